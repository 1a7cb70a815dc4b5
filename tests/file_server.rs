//! The file_server suite: names, requests, the store, sessions over scripted streams,
//! the thread pool, and the three servers on real loopback connections (127.0.0.1, port 0).
//!
//! Nothing is timed. Every wait is bounded (a socket's read timeout, `within`, a bounded
//! number of looks), and a test that proves a server concurrent uses the stalled-client
//! technique: client A starts an upload and stops half-way, and client B must still be
//! served. Tests that count something process-wide (threads, the peak heap) run that part
//! in a child process of their own (`tests/support/child.rs`), so no other test runs beside
//! them, under the runner or under plain `cargo test`.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
#[path = "support/blocked.rs"]
mod blocked;
#[path = "support/child.rs"]
mod child;
#[path = "support/heap.rs"]
mod heap;
#[path = "support/scripted_io.rs"]
mod scripted_io;
#[path = "support/tasks.rs"]
mod tasks;
#[path = "support/within.rs"]
mod within;

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, BufRead, BufReader, Cursor, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use file_server::*;
use proptest::prelude::*;
use rstest::rstest;
use scripted_io::{Scripted, Step};
use within::{BOUND, within};

// ---------------------------------------------------------------------------------------
// Helpers

/// A fresh folder under the temp directory, removed (with what it holds) on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        // Unique to the call: tests run on several threads of one process.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "file_server-{}-{}-{tag}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create a folder in the temp directory");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A served folder `root` inside a temp folder, so a test can see whether anything was
/// written beside the root (by a name like `../x`).
struct Root {
    outer: TempDir,
    root: PathBuf,
}

impl Root {
    fn new(tag: &str) -> Root {
        let outer = TempDir::new(tag);
        let root = outer.path().join("root");
        fs::create_dir(&root).expect("create the served folder");
        Root { outer, root }
    }

    fn store(&self) -> Store {
        Store::open(&self.root).expect("Store::open of an existing folder")
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        fs::write(self.root.join(name), bytes).expect("write a file into the served folder");
    }

    /// Every entry of the root, hidden ones included, sorted.
    fn entries(&self) -> Vec<String> {
        entries(&self.root)
    }

    /// Every entry beside the root (anything but `root` is a file written outside it).
    fn outside(&self) -> Vec<String> {
        entries(self.outer.path())
            .into_iter()
            .filter(|e| e != "root")
            .collect()
    }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read a folder")
        .map(|e| {
            e.expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// `len` bytes from a small fixed generator seeded by `seed`: big inputs cost proptest
/// nothing to make or shrink (it shrinks the length).
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Bytes as text for messages and snapshots: printable ASCII and UTF-8 as they are,
/// newlines as `\n` plus a line break, everything else escaped.
fn show(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n\n"),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// A stream for a session without a socket: reads come from `input`, writes go to
/// `output`.
#[derive(Debug)]
struct Duplex {
    input: Cursor<Vec<u8>>,
    output: Vec<u8>,
}

impl Duplex {
    fn new(input: impl Into<Vec<u8>>) -> Duplex {
        Duplex {
            input: Cursor::new(input.into()),
            output: Vec::new(),
        }
    }
}

impl Read for Duplex {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.input.read(buf)
    }
}

impl Write for Duplex {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.output.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Every read cut to at most `n` bytes, for as many reads as a session of `len` input
/// bytes can make: a socket may hand over any number of bytes at a time.
fn short_reads(n: usize, len: usize) -> Vec<Step> {
    vec![Step::Upto(n); len + 1]
}

/// Runs a session over `input` read at most `n` bytes at a time, on a thread with a
/// bound; gives what the server wrote.
#[track_caller]
fn session(root: &Root, input: &[u8], n: usize) -> Vec<u8> {
    let store = root.store();
    let input = input.to_vec();
    within(
        BOUND,
        &say!(
            "the session never ended although its input did (a read that waits for more than \
             the client sent?)",
            "输入已经结束，会话却没有结束（是不是读的时候等待了比客户端发送的更多的数据？）"
        ),
        move || {
            let len = input.len();
            let mut stream = Scripted::new(Duplex::new(input)).reads(short_reads(n, len));
            // An error ends a session: what was written before it is what a client saw.
            let _ = serve_session(&mut stream, &store);
            stream.into_inner().output
        },
    )
}

/// A put request's bytes: its line, then the body.
fn put(name: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("P {name} {}\n", body.len()).into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A client speaking the protocol byte by byte, every read bounded by the socket's read
/// timeout. The suite's own, so a server test does not depend on the kata's `Client`.
struct Raw {
    reader: BufReader<TcpStream>,
}

impl Raw {
    #[track_caller]
    fn connect(addr: SocketAddr) -> Raw {
        let stream = TcpStream::connect(addr).expect("connect to the server on loopback");
        stream
            .set_read_timeout(Some(BOUND))
            .expect("set a read timeout");
        stream.set_nodelay(true).expect("set TCP_NODELAY");
        Raw {
            reader: BufReader::new(stream),
        }
    }

    #[track_caller]
    fn send(&mut self, bytes: &[u8]) {
        self.reader
            .get_mut()
            .write_all(bytes)
            .expect("send to the server");
    }

    /// The next reply line, without its `\n`. `what` names the likely mistake if none
    /// comes within the bound.
    #[track_caller]
    fn line(&mut self, what: &str) -> String {
        let mut line = Vec::new();
        match self.reader.read_until(b'\n', &mut line) {
            Ok(_) if line.last() == Some(&b'\n') => {
                line.pop();
                String::from_utf8(line).expect("a reply line is UTF-8")
            }
            Ok(_) => panic!(
                "{what}\n{}",
                say!(
                    "(the server closed the connection after {:?} instead of a reply line)",
                    "（服务器没有回复一行，而是关闭了连接，之前收到 {:?}）",
                    show(&line)
                )
            ),
            Err(e) => panic!(
                "{what}\n{}",
                say!(
                    "(no reply line within {BOUND:?}: {e})",
                    "（{BOUND:?} 内没有收到回复行：{e}）"
                )
            ),
        }
    }

    /// `n` body bytes.
    #[track_caller]
    fn body(&mut self, n: usize) -> Vec<u8> {
        let mut body = vec![0; n];
        self.reader.read_exact(&mut body).unwrap_or_else(|e| {
            panic!(
                "{}",
                say!(
                    "the server announced {n} bytes but did not send them all: {e}",
                    "服务器声明了 {n} 字节却没有全部发来：{e}"
                )
            )
        });
        body
    }

    /// A request and its whole reply: `OK` with its body, or `ERR reason`.
    #[track_caller]
    fn ask(&mut self, request: &[u8], what: &str) -> Result<Vec<u8>, String> {
        self.send(request);
        let line = self.line(what);
        if let Some(reason) = line.strip_prefix("ERR ") {
            return Err(reason.to_string());
        }
        let n: usize = line
            .strip_prefix("OK ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| {
                panic!("a reply should be `OK <n>` or `ERR <reason>`, got {line:?}")
            });
        // A put's and a quit's `OK 0` have no body.
        Ok(self.body(n))
    }

    #[track_caller]
    fn list(&mut self, what: &str) -> Vec<String> {
        let body = self.ask(b"L\n", what).expect("L is never refused");
        String::from_utf8(body)
            .expect("names are UTF-8")
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// True once the server has closed the connection (reads the end of the stream).
    #[track_caller]
    fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest).is_ok() && rest.is_empty()
    }
}

#[derive(Clone, Copy, Debug)]
enum Model {
    Loop,
    Threads,
    Pool(usize),
}

/// A server on a thread of its own, on a free loopback port, stopped when dropped.
struct Harness {
    addr: SocketAddr,
    handle: ServerHandle,
    ended: mpsc::Receiver<io::Result<()>>,
}

impl Harness {
    #[track_caller]
    fn start(root: &Root, model: Model) -> Harness {
        let server = Server::bind("127.0.0.1:0", root.store()).expect("bind 127.0.0.1:0");
        let addr = server.local_addr().expect("the server's address");
        let handle = server.handle().expect("the server's handle");
        let (done, ended) = mpsc::channel();
        thread::Builder::new()
            .name("server".into())
            .spawn(move || {
                let result = match model {
                    Model::Loop => server.run_loop(),
                    Model::Threads => server.run_threads(),
                    Model::Pool(n) => server.run_pool(n),
                };
                let _ = done.send(result);
            })
            .expect("start the server's thread");
        Harness {
            addr,
            handle,
            ended,
        }
    }

    /// Waits, a bounded number of looks, until the server reports `n` active sessions.
    #[track_caller]
    fn wait_for_sessions(&self, n: usize, what: &str) {
        let start = Instant::now();
        while self.handle.active_sessions() != n {
            assert!(
                start.elapsed() < BOUND,
                "{what}\n{}",
                say!(
                    "(active_sessions() still says {} after {BOUND:?}, not {n})",
                    "（{BOUND:?} 后 active_sessions() 仍是 {}，而不是 {n}）",
                    self.handle.active_sessions()
                )
            );
            // Paces the looks only: what decides is the count read.
            thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.handle.stop();
        // A server that never stops is reported by `stop`'s own tests; here it is left
        // behind (the process ends it).
        let _ = self.ended.recv_timeout(BOUND);
    }
}

// ---------------------------------------------------------------------------------------

mod names {
    use super::*;

    #[rstest]
    #[case::plain("notes.txt")]
    #[case::chinese("笔记.txt")]
    #[case::no_extension("README")]
    #[case::inner_dots("a..b")]
    #[case::spaces_inside_are_not_the_protocols_business("a b")]
    #[case::longest(&"x".repeat(255))]
    #[case::longest_in_chinese(&"中".repeat(85))]
    fn valid(#[case] name: &str) {
        assert_eq!(check_name(name), Ok(name), "{name:?} is a valid name");
    }

    #[rstest]
    #[case::empty("", NameError::Empty)]
    #[case::parent("..", NameError::Dot)]
    #[case::current(".", NameError::Dot)]
    #[case::hidden(".hidden", NameError::Dot)]
    #[case::up_and_out("../x", NameError::Dot)]
    #[case::slash("a/b", NameError::Forbidden('/'))]
    #[case::absolute("/etc/passwd", NameError::Forbidden('/'))]
    #[case::backslash("a\\b", NameError::Forbidden('\\'))]
    #[case::windows_up("..\\x", NameError::Dot)]
    #[case::nul("a\0b", NameError::Forbidden('\0'))]
    #[case::too_long(&"x".repeat(256), NameError::TooLong(256))]
    #[case::too_long_in_bytes(&format!("{}x", "中".repeat(85)), NameError::TooLong(256))]
    fn refused(#[case] name: &str, #[case] why: NameError) {
        assert_eq!(check_name(name), Err(why), "{name:?} must be refused");
    }

    #[test]
    fn path_of_checks_before_joining() {
        let root = Root::new("path_of");
        let store = root.store();
        assert_eq!(store.path_of("笔记.txt"), Ok(root.root.join("笔记.txt")));
        for bad in ["/etc/passwd", "../x", "a/../../x", ".."] {
            assert!(
                store.path_of(bad).is_err(),
                "{}",
                say!(
                    "path_of({bad:?}) gave a path: check the name before building a path \
                     (joining an absolute path replaces the root)",
                    "path_of({bad:?}) 给出了路径：应在拼接路径之前检查名字（拼接绝对路径会替换掉根目录）"
                )
            );
        }
    }
}

mod parse {
    use super::*;

    #[rstest]
    #[case::list("L", Request::List)]
    #[case::quit("Q", Request::Quit)]
    #[case::get("G a.txt", Request::Get("a.txt".into()))]
    #[case::get_chinese("G 笔记.txt", Request::Get("笔记.txt".into()))]
    #[case::put("P a.txt 12", Request::Put { name: "a.txt".into(), size: 12 })]
    #[case::put_empty("P a 0", Request::Put { name: "a".into(), size: 0 })]
    #[case::crlf("L\r", Request::List)]
    #[case::names_are_checked_by_the_store("G ../x", Request::Get("../x".into()))]
    #[case::largest_size(
        "P a 18446744073709551615",
        Request::Put { name: "a".into(), size: u64::MAX }
    )]
    fn examples(#[case] line: &str, #[case] request: Request) {
        assert_eq!(
            parse_request(line.as_bytes()),
            Ok(request),
            "parsing {line:?}"
        );
    }

    #[rstest]
    #[case::empty("", ParseError::Empty)]
    #[case::spaces("   ", ParseError::Empty)]
    #[case::unknown("X", ParseError::UnknownCommand("X".into()))]
    #[case::lowercase("l", ParseError::UnknownCommand("l".into()))]
    #[case::get_without_name("G", ParseError::MissingArgument('G'))]
    #[case::put_without_size("P a", ParseError::MissingArgument('P'))]
    #[case::list_with_argument("L x", ParseError::ExtraArgument('L'))]
    #[case::get_two_names("G a b", ParseError::ExtraArgument('G'))]
    #[case::put_bad_size("P a ten", ParseError::BadSize("ten".into()))]
    #[case::put_negative("P a -1", ParseError::BadSize("-1".into()))]
    #[case::put_plus("P a +1", ParseError::BadSize("+1".into()))]
    #[case::put_too_big("P a 18446744073709551616", ParseError::BadSize("18446744073709551616".into()))]
    fn malformed(#[case] line: &str, #[case] why: ParseError) {
        assert_eq!(parse_request(line.as_bytes()), Err(why), "parsing {line:?}");
    }

    #[test]
    fn not_utf8_and_too_long() {
        assert_eq!(parse_request(b"G \xff"), Err(ParseError::NotUtf8));
        let long = format!("G {}", "x".repeat(MAX_LINE));
        assert_eq!(parse_request(long.as_bytes()), Err(ParseError::TooLong));
    }

    proptest! {
        #[test]
        fn any_bytes_give_a_value_never_a_panic(line in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_request(&line);
        }

        #[test]
        fn puts_round_trip(name in "[a-z中文]{1,10}", size in any::<u64>()) {
            let line = format!("P {name} {size}");
            prop_assert_eq!(parse_request(line.as_bytes()), Ok(Request::Put { name, size }));
        }
    }
}

mod store {
    use super::*;

    mod listing {
        use super::*;

        #[test]
        fn lists_regular_files_sorted() {
            let root = Root::new("list");
            for name in ["b", "a", "中文.txt", "Z", ".hidden"] {
                root.write(name, b"x");
            }
            fs::create_dir(root.root.join("folder")).expect("create a folder");
            assert_eq!(
                root.store().list().expect("list"),
                ["Z", "a", "b", "中文.txt"],
                "{}",
                say!(
                    "list: regular files only (no folders, no names starting with '.'), sorted by bytes",
                    "list：只列普通文件（不含文件夹、不含以 '.' 开头的名字），按字节排序"
                )
            );
        }

        #[test]
        fn open_file_gives_the_size() {
            let root = Root::new("open");
            root.write("a", b"hello");
            let (mut file, size) = root
                .store()
                .open_file("a")
                .expect("open_file of an existing file");
            assert_eq!(size, 5);
            let mut got = String::new();
            file.read_to_string(&mut got).expect("read");
            assert_eq!(got, "hello");
            assert!(matches!(
                root.store().open_file("missing"),
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                root.store().open_file("../root"),
                Err(StoreError::BadName(_))
            ));
            fs::create_dir(root.root.join("folder")).expect("create a folder");
            assert!(
                matches!(root.store().open_file("folder"), Err(StoreError::NotFound)),
                "a folder is not a file to get"
            );
        }

        #[test]
        fn open_needs_a_folder() {
            let root = Root::new("open_store");
            root.write("file", b"x");
            assert!(
                Store::open(root.root.join("file")).is_err(),
                "a file is not a folder to serve"
            );
            assert!(Store::open(root.root.join("missing")).is_err());
        }
    }

    mod uploads {
        use super::*;

        #[test]
        fn put_replaces_and_leaves_no_temporary_file() {
            let root = Root::new("put");
            let store = root.store();
            root.write("a", b"old");
            store.put("a", 3, &mut &b"new and more"[..]).expect("put");
            assert_eq!(fs::read(root.root.join("a")).expect("read"), b"new");
            assert_eq!(
                root.entries(),
                ["a"],
                "only the file itself remains after a put"
            );
        }

        #[test]
        fn an_incomplete_put_changes_nothing() {
            let root = Root::new("incomplete");
            let store = root.store();
            root.write("a", b"old");
            let got = store.put("a", 10, &mut &b"four"[..]);
            assert!(
                matches!(got, Err(StoreError::Incomplete(4))),
                "a body that ends after 4 of 10 bytes: Incomplete(4), got {got:?}"
            );
            assert_eq!(
                fs::read(root.root.join("a")).expect("read"),
                b"old",
                "the old file stays"
            );
            assert_eq!(
                root.entries(),
                ["a"],
                "{}",
                say!(
                    "an upload that ended early must leave nothing behind (remove its temporary file)",
                    "提前结束的上传不能留下任何东西（删除它的临时文件）"
                )
            );
            assert!(matches!(
                store.put("b", 1, &mut &b""[..]),
                Err(StoreError::Incomplete(0))
            ));
            assert_eq!(root.entries(), ["a"]);
        }

        #[test]
        fn a_bad_name_is_refused_before_reading() {
            let root = Root::new("bad_put");
            let mut body = &b"abc"[..];
            let got = root.store().put("../x", 3, &mut body);
            assert!(
                matches!(got, Err(StoreError::BadName(NameError::Dot))),
                "got {got:?}"
            );
            assert_eq!(body, b"abc", "nothing is read for a name that is refused");
            assert!(root.entries().is_empty() && root.outside().is_empty());
        }
    }
}

mod session {
    use super::*;

    /// The course's session, every read cut to 3 bytes.
    #[test]
    fn transcript() {
        let root = Root::new("transcript");
        let mut input = Vec::new();
        input.extend(b"L\n");
        input.extend(put("hello.txt", b"hi\nthere\n"));
        input.extend(put("中文.txt", "你好".as_bytes()));
        input.extend(b"L\n");
        input.extend(b"G hello.txt\n");
        input.extend(b"G missing\n");
        input.extend(b"G ../secret\n");
        input.extend(put(".hidden", b"skipped"));
        input.extend(b"X\nG\nL extra\nP a ten\n");
        // After `P a ten` the session ends: this is never read.
        input.extend(b"L\n");
        let out = session(&root, &input, 3);
        insta::assert_snapshot!(show(&out));
    }

    #[test]
    fn quit_ends_the_session() {
        let root = Root::new("quit");
        let out = session(&root, b"Q\nL\n", 3);
        assert_eq!(show(&out), show(b"OK 0\n"), "after Q nothing more is read");
    }

    #[rstest]
    #[case::one_byte_reads(1)]
    #[case::three_byte_reads(3)]
    #[case::seven_byte_reads(7)]
    fn put_and_get_through_short_reads(#[case] n: usize) {
        let root = Root::new("short");
        let body = bytes(3000, 7);
        let mut input = put("data.bin", &body);
        input.extend(b"G data.bin\n");
        let out = session(&root, &input, n);
        let mut expected = b"OK 0\n".to_vec();
        expected.extend(b"OK 3000\n");
        expected.extend(&body);
        assert!(
            out == expected,
            "{}",
            say!(
                "with reads of at most {n} bytes, a put then a get gave {:?}... ({} bytes): \
                 a body is read until all its bytes came, however many reads that takes",
                "每次最多读到 {n} 字节时，先上传再下载得到 {:?}……（{} 字节）：\
                 正文要一直读到全部字节都到齐，不管要读多少次",
                show(&out[..out.len().min(30)]),
                out.len()
            )
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Any short reads and interruptions, any body (newlines included): the stored
        /// bytes are the sent ones.
        #[test]
        fn any_short_reads(
            len in 0usize..2000,
            seed in any::<u64>(),
            script in scripted_io::steps(400, 5),
        ) {
            let root = Root::new("any_short");
            let body = bytes(len, seed);
            let mut input = put("f", &body);
            input.extend(b"G f\nQ\n");
            let store = root.store();
            let out = within(BOUND, "a session over short reads never ended", move || {
                let mut stream = Scripted::new(Duplex::new(input)).reads(script);
                let _ = serve_session(&mut stream, &store);
                stream.into_inner().output
            });
            let mut expected = b"OK 0\n".to_vec();
            expected.extend(format!("OK {len}\n").as_bytes());
            expected.extend(&body);
            expected.extend(b"OK 0\n");
            prop_assert!(out == expected, "got {} bytes: {:?}...", out.len(), show(&out[..out.len().min(40)]));
        }
    }

    /// Replies to `puts` puts, each followed by `L`: the listed names after each put.
    fn listings(out: &[u8], puts: usize) -> Result<Vec<Vec<String>>, String> {
        let mut rest = out;
        let mut listings = Vec::new();
        for _ in 0..puts {
            rest = rest
                .strip_prefix(b"OK 0\n")
                .ok_or_else(|| format!("a put's reply should be `OK 0`, got {:?}", show(rest)))?;
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .ok_or("no reply to L")?;
            let head = String::from_utf8_lossy(&rest[..end]).into_owned();
            let n: usize = head
                .strip_prefix("OK ")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("L's reply should be `OK <n>`, got {head:?}"))?;
            let body = rest
                .get(end + 1..end + 1 + n)
                .ok_or("L's body is cut short")?;
            listings.push(
                String::from_utf8_lossy(body)
                    .lines()
                    .map(str::to_string)
                    .collect(),
            );
            rest = &rest[end + 1 + n..];
        }
        Ok(listings)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// After any puts, `L` lists the names put so far, sorted by bytes (a set model).
        #[test]
        fn list_against_a_model(puts in proptest::collection::vec((0usize..6, 0usize..50), 0..12)) {
            const NAMES: [&str; 6] = ["b", "a", "中", "Z9", "a.b", "数据.txt"];
            let root = Root::new("list_model");
            let mut input = Vec::new();
            let mut model = BTreeSet::new();
            let mut expected = Vec::new();
            for &(i, len) in &puts {
                input.extend(put(NAMES[i], &bytes(len, i as u64)));
                input.extend(b"L\n");
                model.insert(NAMES[i].to_string());
                expected.push(model.iter().cloned().collect::<Vec<_>>());
            }
            let out = session(&root, &input, 7);
            prop_assert_eq!(listings(&out, puts.len()), Ok(expected));
        }
    }

    #[rstest]
    #[case::up_and_out("../x")]
    #[case::slash("a/b")]
    #[case::parent("..")]
    #[case::hidden(".hidden")]
    #[case::backslash("a\\b")]
    #[case::windows_up("..\\x")]
    #[case::nul("a\0b")]
    #[case::too_long(&"x".repeat(256))]
    fn bad_names_are_refused(#[case] name: &str) {
        let root = Root::new("bad_names");
        let mut input = put(name, b"payload");
        input.extend(format!("G {name}\nL\n").as_bytes());
        let out = session(&root, &input, 3);
        let text = String::from_utf8_lossy(&out).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.len() == 3 && lines[0].starts_with("ERR ") && lines[1].starts_with("ERR "),
            "{}",
            say!(
                "P and G of {name:?} must each get `ERR <reason>` (and the session go on), got {text:?}",
                "对 {name:?} 的 P 和 G 都应回复 `ERR <原因>`（会话继续），实际得到 {text:?}"
            )
        );
        assert_eq!(lines[2], "OK 0", "then L lists nothing: no file was stored");
        assert!(
            root.entries().is_empty() && root.outside().is_empty(),
            "{}",
            say!(
                "a put of {name:?} wrote {:?} in the root and {:?} beside it: check the name \
                 before building any path",
                "上传 {name:?} 在根目录里写了 {:?}，在根目录旁写了 {:?}：在拼接任何路径之前先检查名字",
                root.entries(),
                root.outside()
            )
        );
    }

    #[test]
    fn absolute_names_are_refused() {
        let root = Root::new("absolute");
        // An absolute path inside the test's own folder: a server that writes it would
        // write outside its root, but never into the system's files.
        let victim = root.outer.path().join("victim");
        let name = victim.to_str().expect("a UTF-8 temp path");
        let mut input = put(name, b"payload");
        input.extend(b"G /etc/passwd\n");
        let out = session(&root, &input, 3);
        let text = String::from_utf8_lossy(&out).into_owned();
        assert!(
            text.lines().count() == 2 && text.lines().all(|l| l.starts_with("ERR ")),
            "{}",
            say!(
                "P {name} and G /etc/passwd must get `ERR`: Path::join of an absolute path \
                 replaces the root. Got {text:?}",
                "P {name} 和 G /etc/passwd 都应回复 `ERR`：Path::join 拼接绝对路径会替换掉根目录。实际得到 {text:?}"
            )
        );
        assert!(!victim.exists(), "the put wrote {}", victim.display());
    }

    #[test]
    fn a_long_line_is_refused_and_ends_the_session() {
        let root = Root::new("long_line");
        let mut input = format!("G {}\n", "x".repeat(2 * MAX_LINE)).into_bytes();
        input.extend(b"L\n");
        let out = session(&root, &input, 64);
        let text = String::from_utf8_lossy(&out).into_owned();
        assert_eq!(
            text,
            format!("ERR {}\n", ParseError::TooLong),
            "a line longer than MAX_LINE: one ERR, then the session ends"
        );
    }

    #[test]
    fn a_client_that_leaves_mid_upload_leaves_nothing() {
        let root = Root::new("leaves");
        root.write("a", b"old");
        let mut input = b"P a 100\n".to_vec();
        input.extend(b"only twenty bytes...");
        let out = session(&root, &input, 3);
        assert!(
            out.is_empty(),
            "nobody is left to answer, got {:?}",
            show(&out)
        );
        assert_eq!(root.entries(), ["a"], "no temporary file remains");
        assert_eq!(fs::read(root.root.join("a")).expect("read"), b"old");
    }
}

mod client {
    use super::*;

    fn scripted(replies: &[u8]) -> Client<Scripted<Duplex>> {
        Client::new(Scripted::new(Duplex::new(replies)).reads(short_reads(2, replies.len())))
    }

    #[test]
    fn list_get_put_quit() {
        let mut client = scripted(b"OK 8\na\n\xe4\xb8\xad.c\nOK 3\nabcOK 0\nOK 0\n");
        assert_eq!(client.list().expect("list"), ["a", "中.c"]);
        let mut got = Vec::new();
        assert_eq!(client.get("a", &mut got).expect("get"), 3);
        assert_eq!(got, b"abc");
        client.put("b", 2, &mut &b"xy"[..]).expect("put");
        client.quit().expect("quit");
    }

    #[test]
    fn requests_on_the_wire() {
        let mut stream = Duplex::new(&b"OK 0\nOK 0\nOK 1\nzOK 0\n"[..]);
        {
            let mut client = Client::new(&mut stream);
            client.list().expect("list");
            client.put("p", 1, &mut &b"q"[..]).expect("put");
            client.get("中", &mut Vec::new()).expect("get");
            client.quit().expect("quit");
        }
        assert_eq!(
            show(&stream.output),
            show("L\nP p 1\nqG 中\nQ\n".as_bytes())
        );
    }

    #[test]
    fn errors() {
        let got = scripted(b"ERR not found\n").get("a", &mut Vec::new());
        assert!(
            matches!(&got, Err(ClientError::Refused(r)) if r == "not found"),
            "ERR gives Refused with the reason, got {got:?}"
        );
        let got = scripted(b"OK 5\nabc").get("a", &mut Vec::new());
        assert!(
            matches!(got, Err(ClientError::Protocol(_))),
            "a short body: Protocol, got {got:?}"
        );
        let got = scripted(b"HELLO\n").list();
        assert!(
            matches!(got, Err(ClientError::Protocol(_))),
            "not OK nor ERR: Protocol, got {got:?}"
        );
        let got = scripted(b"").list();
        assert!(
            matches!(got, Err(ClientError::Protocol(_))),
            "closed: Protocol, got {got:?}"
        );
    }
}

mod round_trip {
    use super::*;

    fn client(addr: SocketAddr) -> Client<TcpStream> {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(BOUND))
            .expect("set a read timeout");
        // As Client::connect does: a reply's line and body may come in two writes, and
        // Nagle's algorithm would hold the second back until the first is acknowledged.
        stream.set_nodelay(true).expect("set TCP_NODELAY");
        Client::new(stream)
    }

    #[test]
    fn connect_then_list() {
        let root = Root::new("connect");
        root.write("a", b"x");
        let server = Harness::start(&root, Model::Threads);
        let addr = server.addr;
        let listed = within(
            BOUND,
            "Client::connect then list never finished",
            move || {
                let mut client = Client::connect(addr).expect("Client::connect");
                let listed = client.list().expect("list");
                client.quit().expect("quit");
                listed
            },
        );
        assert_eq!(listed, ["a"]);
    }

    /// get(put(x)) == x over real loopback, for random files up to 1 MiB, all on one
    /// server and one connection (each request is a round trip between two threads, which
    /// a busy machine makes slow: the suite keeps their number small).
    #[test]
    fn get_of_put() {
        let root = Root::new("round_trip");
        let server = Harness::start(&root, Model::Threads);
        // The runner takes a `Fn`: the client, which each case uses mutably, in a RefCell.
        let client = std::cell::RefCell::new(client(server.addr));
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(12));
        let result = runner.run(&(0usize..=(1 << 20), any::<u64>()), |(len, seed)| {
            let body = bytes(len, seed);
            let mut client = client.borrow_mut();
            client
                .put("文件.bin", len as u64, &mut &body[..])
                .expect("put");
            let mut got = Vec::new();
            prop_assert_eq!(client.get("文件.bin", &mut got).expect("get"), len as u64);
            prop_assert!(
                got == body,
                "the file came back different ({} bytes)",
                got.len()
            );
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        client.into_inner().quit().expect("quit");
    }
}

mod pool {
    use super::*;

    mod workers {
        use super::*;

        #[test]
        fn zero_workers_is_an_error() {
            let got = ThreadPool::new(0);
            assert!(
                matches!(&got, Err(e) if e.kind() == io::ErrorKind::InvalidInput),
                "ThreadPool::new(0): an InvalidInput error, got {got:?}"
            );
        }

        /// Two jobs that wait for each other: both must run at once on two workers.
        fn rendezvous(pool: &ThreadPool, what: &str) {
            let barrier = Arc::new(Barrier::new(2));
            let (done, finished) = mpsc::channel();
            for _ in 0..2 {
                let (barrier, done) = (Arc::clone(&barrier), done.clone());
                pool.execute(move || {
                    barrier.wait();
                    let _ = done.send(());
                });
            }
            for _ in 0..2 {
                finished
                    .recv_timeout(BOUND)
                    .unwrap_or_else(|_| panic!("{what}"));
            }
        }

        /// What a `shutdown` that never returns most likely does wrong.
        pub(super) fn shutdown_hangs() -> String {
            say!(
                "shutdown never returned: close the queue before joining the workers (a worker \
                 leaves its loop only when the queue is closed and empty)",
                "shutdown 一直没有返回：先关闭队列再 join 工作线程（工作线程只有在队列关闭且为空时才退出循环）"
            )
        }

        #[test]
        fn jobs_run_at_once() {
            let pool = ThreadPool::new(2).expect("a pool of 2");
            rendezvous(
                &pool,
                &say!(
                    "two jobs that wait for each other did not both run on a pool of 2: does a \
                     worker hold the queue's lock while it runs its job?",
                    "两个互相等待的任务没能在 2 个线程的池里同时运行：是不是工作线程在执行任务时仍持有队列的锁？"
                ),
            );
            within(BOUND, &shutdown_hangs(), move || pool.shutdown());
        }

        #[test]
        fn a_panicking_job_does_not_shrink_the_pool() {
            let pool = ThreadPool::new(2).expect("a pool of 2");
            pool.execute(|| panic!("a job that panics (on purpose)"));
            rendezvous(
                &pool,
                &say!(
                    "after a job panicked, two jobs that wait for each other never both ran: did \
                     the worker die with the job? (catch the job's panic)",
                    "一个任务 panic 之后，两个互相等待的任务没能同时运行：工作线程是不是随任务一起死了？（捕获任务的 panic）"
                ),
            );
            within(BOUND, &shutdown_hangs(), move || pool.shutdown());
        }

        /// Counts this process's threads: runs in a child process of its own.
        #[test]
        fn new_starts_exactly_its_workers_and_execute_none() {
            if child::role().is_none() {
                let out = child::run(
                    "pool::workers::new_starts_exactly_its_workers_and_execute_none",
                    "count",
                    |_| {},
                );
                assert!(child::passed(&out), "{}", child::describe(&out));
                return;
            }
            within::end_after(2 * BOUND);
            let before = tasks::named("").len();
            let pool = ThreadPool::new(3).expect("a pool of 3");
            assert_eq!(
                tasks::named("").len(),
                before + 3,
                "new(3) adds exactly three threads"
            );
            // A thread names itself as it starts: look (a bounded number of times) until the
            // three have, or the bound has passed.
            let start = Instant::now();
            while tasks::named(WORKER_NAME).len() < 3 && start.elapsed() < BOUND {
                thread::yield_now();
            }
            let workers = tasks::named(WORKER_NAME);
            assert_eq!(
                workers,
                ["pool-worker-0", "pool-worker-1", "pool-worker-2"],
                "{}",
                say!(
                    "ThreadPool::new(3) starts three threads named pool-worker-0 to pool-worker-2",
                    "ThreadPool::new(3) 启动三个线程，名为 pool-worker-0 到 pool-worker-2"
                )
            );
            let (open, gate) = mpsc::channel::<()>();
            let gate = Arc::new(std::sync::Mutex::new(gate));
            for _ in 0..100 {
                let gate = Arc::clone(&gate);
                pool.execute(move || {
                    let _ = gate.lock().expect("the gate").recv();
                });
            }
            assert_eq!(
                tasks::named("").len(),
                before + 3,
                "{}",
                say!(
                    "100 calls of execute must start no thread: the workers take the jobs",
                    "调用 100 次 execute 不应启动任何线程：由工作线程来取任务"
                )
            );
            drop(open);
            // Whether shutdown runs every queued job is `pool::shutdown`'s to check.
            within(BOUND, &shutdown_hangs(), move || pool.shutdown());
        }
    }

    mod shutdown {
        use super::*;

        #[test]
        fn shutdown_runs_every_queued_job_once() {
            let pool = ThreadPool::new(2).expect("a pool of 2");
            let (open, gate) = mpsc::channel::<()>();
            let gate = Arc::new(std::sync::Mutex::new(gate));
            let runs: Arc<Vec<AtomicUsize>> =
                Arc::new((0..50).map(|_| AtomicUsize::new(0)).collect());
            // Two jobs hold both workers until the gate opens; fifty wait in the queue.
            for _ in 0..2 {
                let gate = Arc::clone(&gate);
                pool.execute(move || {
                    let _ = gate.lock().expect("the gate").recv();
                });
            }
            for i in 0..50 {
                let runs = Arc::clone(&runs);
                pool.execute(move || {
                    runs[i].fetch_add(1, Ordering::SeqCst);
                });
            }
            let closing = blocked::spawn("shutdown", move || pool.shutdown());
            blocked::wait_until_blocked(&closing, "shutdown() waiting for its busy workers");
            drop(open); // the gate opens: both held jobs return
            closing.join_within(BOUND, &super::workers::shutdown_hangs());
            let counts: Vec<usize> = runs.iter().map(|r| r.load(Ordering::SeqCst)).collect();
            assert!(
                counts.iter().all(|&c| c == 1),
                "{}",
                say!(
                    "every job queued before shutdown runs exactly once; runs per job: {counts:?}",
                    "shutdown 之前排队的每个任务都恰好运行一次；每个任务的运行次数：{counts:?}"
                )
            );
        }
    }
}

mod loop_server {
    use super::*;

    /// Counts this process's threads: runs in a child process of its own.
    #[test]
    fn starts_no_thread() {
        if child::role().is_none() {
            let out = child::run("loop_server::starts_no_thread", "count", |_| {});
            assert!(child::passed(&out), "{}", child::describe(&out));
            return;
        }
        within::end_after(2 * BOUND);
        let root = Root::new("loop_threads");
        let before = tasks::named("").len();
        let server = Harness::start(&root, Model::Loop);
        let mut a = Raw::connect(server.addr);
        assert!(
            a.list("the loop server never answered its only client")
                .is_empty()
        );
        let mut b = Raw::connect(server.addr);
        b.send(b"L\n");
        assert_eq!(
            tasks::named("").len(),
            before + 1,
            "{}",
            say!(
                "the loop server (循环服务器) serves its clients on its own thread, one after the \
                 other, and starts no thread: {} threads beside it",
                "循环服务器在自己的线程上一个接一个地服务客户端，不启动任何线程：它之外还有 {} 个线程",
                tasks::named("").len() - before - 1
            )
        );
        a.ask(b"Q\n", "Q was not answered")
            .expect("Q is never refused");
        b.list("the second client was never served after the first left");
    }

    #[test]
    fn serves_one_client_at_a_time() {
        let root = Root::new("loop_order");
        let server = Harness::start(&root, Model::Loop);
        let mut a = Raw::connect(server.addr);
        a.list("the loop server never answered its only client");
        a.send(b"P a.txt 5\nab");
        let mut b = Raw::connect(server.addr);
        b.send(b"L\n");
        a.send(b"cde");
        assert_eq!(a.line("the upload was not answered"), "OK 0");
        a.ask(b"Q\n", "Q was not answered").expect("Q");
        assert!(a.closed(), "after Q the server closes the connection");
        let listed = b.list("the second client was never served after the first left");
        assert_eq!(
            listed,
            ["a.txt"],
            "{}",
            say!(
                "B asked while A was uploading: a loop server answers B only after A has left, \
                 so B's list holds A's file",
                "B 在 A 上传时发出请求：循环服务器在 A 离开之后才回答 B，所以 B 的列表里有 A 的文件"
            )
        );
    }
}

mod stop {
    use super::*;

    #[rstest]
    #[case::loop_server(Model::Loop)]
    #[case::threads(Model::Threads)]
    #[case::pool(Model::Pool(2))]
    fn from_another_thread(#[case] model: Model) {
        let root = Root::new("stop");
        let server = Harness::start(&root, model);
        let mut a = Raw::connect(server.addr);
        a.list("the server never answered");
        server.wait_for_sessions(1, "one client is being served");
        server.handle.stop();
        let ended = server.ended.recv_timeout(BOUND);
        assert!(
            matches!(ended, Ok(Ok(()))),
            "{}",
            say!(
                "after stop() the server's run should return Ok(()) once its sessions have \
                 ended (shut their connections down), got {ended:?}",
                "stop() 之后，服务器的 run 应在会话结束（关闭其连接）后返回 Ok(())，实际得到 {ended:?}"
            )
        );
        assert!(
            a.closed(),
            "a client's connection is closed when the server stops"
        );
        assert_eq!(server.handle.active_sessions(), 0);
    }
}

mod concurrency {
    use super::*;

    /// The stalled-client technique: two clients start uploads and stop half-way; a third
    /// must still be served, and must never see a half-written file.
    #[rstest]
    #[case::threads(Model::Threads)]
    #[case::pool(Model::Pool(4))]
    fn a_stalled_client_blocks_nobody(#[case] model: Model) {
        let root = Root::new("stalled");
        root.write("old.txt", b"old content\n");
        let server = Harness::start(&root, model);
        let mut stalled = Vec::new();
        for name in ["new.bin", "old.txt"] {
            let mut a = Raw::connect(server.addr);
            a.list("a client was never served");
            a.send(format!("P {name} 100\n0123456789").as_bytes());
            stalled.push(a);
        }
        // Until both uploads are seen in the root (a new entry, or old.txt changed).
        let start = Instant::now();
        loop {
            let fresh = root.entries().iter().filter(|e| *e != "old.txt").count();
            let changed =
                fs::read(root.root.join("old.txt")).ok().as_deref() != Some(b"old content\n");
            if fresh + usize::from(changed) >= 2 {
                break;
            }
            assert!(
                start.elapsed() < BOUND,
                "{}",
                say!(
                    "two uploads started, but the root shows {:?}: write an upload to a temporary \
                     file in the root as its bytes arrive",
                    "两个上传已经开始，根目录里却是 {:?}：上传的字节一到就写进根目录里的临时文件",
                    root.entries()
                )
            );
            // Paces the looks only: what decides is what the folder holds.
            thread::sleep(Duration::from_millis(1));
        }
        let addr = server.addr;
        let stuck = say!(
            "client B was not served while client A was stalled mid-upload: a server that \
             serves one client at a time (循环服务器) waits for A for ever",
            "客户端 A 上传到一半停住时，客户端 B 没有得到服务：一次只服务一个客户端的服务器（循环服务器）会一直等 A"
        );
        let (listed, new_bin, old_txt, after) = within(BOUND, &stuck, move || {
            let mut b = Raw::connect(addr);
            let listed = b.list("B's list");
            let new_bin = b.ask(b"G new.bin\n", "B's get");
            let old_txt = b.ask(b"G old.txt\n", "B's get");
            b.send(b"P b.txt 3\nabc");
            assert_eq!(b.line("B's put"), "OK 0", "B's put");
            let after = b.list("B's second list");
            b.ask(b"Q\n", "B's quit").expect("Q");
            (listed, new_bin, old_txt, after)
        });
        let half = say!(
            "while an upload is unfinished, nobody sees its file: store it under a temporary \
             name and rename it into place once complete",
            "上传未完成时谁也看不到它的文件：先存为临时名字，完整后再改名到位"
        );
        assert_eq!(listed, ["old.txt"], "{half}");
        assert!(
            matches!(&new_bin, Err(reason) if reason == "not found"),
            "{half}\nG new.bin: {new_bin:?}"
        );
        assert_eq!(old_txt.as_deref(), Ok(&b"old content\n"[..]), "{half}");
        assert_eq!(after, ["b.txt", "old.txt"]);
        drop(stalled); // both leave mid-upload
        server.wait_for_sessions(0, "the stalled clients left");
        assert_eq!(
            root.entries(),
            ["b.txt", "old.txt"],
            "{}",
            say!(
                "once every session has ended no temporary file remains",
                "所有会话结束后不应留下临时文件"
            )
        );
        assert_eq!(
            fs::read(root.root.join("old.txt")).expect("read"),
            b"old content\n"
        );
    }
}

mod memory {
    use super::*;

    const SIZE: u64 = 64 << 20;
    const LIMIT: usize = 1 << 20;

    /// Measures the whole process's heap: runs in a child process of its own.
    #[test]
    fn get_of_64_mib_keeps_the_heap_small() {
        if child::role().is_none() {
            let out = child::run(
                "memory::get_of_64_mib_keeps_the_heap_small",
                "measure",
                |_| {},
            );
            assert!(child::passed(&out), "{}", child::describe(&out));
            return;
        }
        within::end_after(2 * BOUND);
        let root = Root::new("memory");
        // A sparse file: 64 MiB of zeros that take no disk.
        fs::File::create(root.root.join("big"))
            .and_then(|f| f.set_len(SIZE))
            .expect("create a sparse file");
        let server = Harness::start(&root, Model::Threads);
        let mut client = Raw::connect(server.addr);
        client.list("the server never answered");
        let (got, peak) = heap::peak_during(|| {
            client.send(b"G big\n");
            let line = client.line("G big was not answered");
            let copied = io::copy(&mut (&mut client.reader).take(SIZE), &mut io::sink())
                .expect("read the body");
            (line, copied)
        });
        assert_eq!(got, (format!("OK {SIZE}"), SIZE));
        assert!(
            peak < LIMIT,
            "{}",
            say!(
                "sending a 64 MiB file took {peak} bytes of heap at once: copy it in chunks \
                 (io::copy), never read it whole",
                "发送 64 MiB 文件时堆上同时占用了 {peak} 字节：分块复制（io::copy），不要整个读进内存"
            )
        );
    }
}

mod pool_server {
    use super::*;

    /// Counts this process's threads: runs in a child process of its own.
    #[test]
    fn twenty_clients_keep_exactly_its_workers() {
        if child::role().is_none() {
            let out = child::run(
                "pool_server::twenty_clients_keep_exactly_its_workers",
                "count",
                |_| {},
            );
            assert!(child::passed(&out), "{}", child::describe(&out));
            return;
        }
        within::end_after(2 * BOUND);
        let root = Root::new("pool_threads");
        let before = tasks::named("").len();
        let server = Harness::start(&root, Model::Pool(4));
        let expected = before + 1 + 4;
        let count = |when: &str| {
            let workers = tasks::named(WORKER_NAME).len();
            let all = tasks::named("").len();
            assert!(
                workers == 4 && all == expected,
                "{}",
                say!(
                    "{when}: a pool server of 4 workers runs its 4 pool-worker threads and no \
                     other ({workers} pool workers, {} threads beside the server's own)",
                    "{when}：4 个工作线程的线程池服务器只运行它的 4 个 pool-worker 线程（实际 {workers} 个工作线程，服务器线程之外共 {} 个线程）",
                    all - before - 1
                )
            );
        };
        let mut clients: Vec<Raw> = (0..4)
            .map(|_| {
                let mut c = Raw::connect(server.addr);
                c.list("one of the first four clients was not served by a pool of four");
                c
            })
            .collect();
        for _ in 4..20 {
            let mut c = Raw::connect(server.addr);
            c.send(b"L\n");
            clients.push(c);
        }
        count("with 4 clients served and 16 waiting");
        for i in 0..16 {
            clients[i].ask(b"Q\n", "Q was not answered").expect("Q");
            let reply =
                clients[i + 4].line("a waiting client was not served once a worker was free");
            assert_eq!(reply, "OK 0", "an empty list");
            count(&format!("after client {i} left"));
        }
    }
}
