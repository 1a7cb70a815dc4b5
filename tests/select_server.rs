//! The select_server suite: real TCP clients on 127.0.0.1 against the server.
//!
//! The server runs on a thread of its own (`Harness`), usually in `Server::run`; a test
//! may pause it (wake it, then call its methods on its thread, e.g. one `poll_once` at a
//! time) and let it run again. Every wait is bounded: clients read with a timeout, and
//! every call into the server's thread is waited for with a timeout, so a loop that
//! blocks makes a test fail with a message instead of hanging. Nothing is timed: a test
//! waits for the protocol's replies, and proves that something did NOT arrive by sending
//! a later message (a sentinel) and checking that it is the next line to arrive.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
#[path = "support/child.rs"]
mod child;
#[path = "support/heap.rs"]
mod heap;
#[path = "support/threads.rs"]
mod threads;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use select_server::protocol::MAX_LINE;
use select_server::{Config, MAX_OUTPUT, Server, Waker};

/// The longest any test waits for something that must happen (a reply, a call into the
/// server's thread). A correct server answers in microseconds; this bound only decides
/// how soon a broken one is reported.
const WAIT: Duration = Duration::from_secs(2);
/// A client's wait is cut into slices this long, to notice between them that the
/// server's thread has died (a panic in the server, e.g. a `todo!()`).
const SLICE: Duration = Duration::from_millis(50);

// ---------------------------------------------------------------------------------------
// The harness: the server on its own thread.

type Job = Box<dyn FnOnce(&mut Server) + Send>;

struct Harness {
    addr: SocketAddr,
    waker: Waker,
    jobs: mpsc::Sender<Job>,
    /// The server's thread: whether it has ended, and its panic's message and place.
    server: threads::Watch,
    /// `Some` while the server's thread is inside `Server::run`.
    running: Option<mpsc::Receiver<std::io::Result<()>>>,
}

impl Harness {
    fn start() -> Harness {
        Harness::start_with(Config::default())
    }

    /// Binds a server on a free loopback port and runs it on a thread of its own.
    fn start_with(config: Config) -> Harness {
        let server = Server::bind_with("127.0.0.1:0", config).unwrap_or_else(|e| {
            panic!(
                "{}",
                say!(
                    "Server::bind_with(\"127.0.0.1:0\", ..) failed: {e}",
                    "Server::bind_with(\"127.0.0.1:0\", ..) 失败了：{e}"
                )
            )
        });
        let addr = server.local_addr();
        assert!(
            addr.ip().is_loopback() && addr.port() != 0,
            "{}",
            say!(
                "local_addr() should be the bound address, got {addr}",
                "local_addr() 应为绑定的地址，却得到 {addr}"
            )
        );
        let waker = server.waker();
        let (jobs, inbox) = mpsc::channel::<Job>();
        let thread = threads::spawn("server", move || {
            let mut server = server;
            for job in inbox {
                job(&mut server);
            }
        });
        let mut harness = Harness {
            addr,
            waker,
            jobs,
            server: thread.watch(),
            running: None,
        };
        harness.go();
        harness
    }

    /// Lets the server run (`Server::run` on its thread) until `stop`.
    fn go(&mut self) {
        assert!(
            self.running.is_none(),
            "the harness is running the server already"
        );
        let (done, running) = mpsc::channel();
        self.jobs
            .send(Box::new(move |server: &mut Server| {
                let _ = done.send(server.run());
            }))
            .unwrap_or_else(|_| panic!("{}", self.server.why_ended()));
        self.running = Some(running);
    }

    /// Wakes the server and waits until `Server::run` returns.
    fn stop(&mut self) {
        let running = self
            .running
            .take()
            .expect("the harness is not running the server");
        self.waker.wake();
        match running.recv_timeout(WAIT) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!(
                "{}",
                say!(
                    "Server::run returned an error: {e}",
                    "Server::run 返回了错误：{e}"
                )
            ),
            Err(RecvTimeoutError::Timeout) => panic!(
                "{}",
                say!(
                    "Server::run did not return within {WAIT:?} after Waker::wake: is the waker's \
                     socket in the poll set, and does the loop block anywhere (a blocking read or write)?",
                    "Waker::wake 之后 {WAIT:?} 内 Server::run 没有返回：waker 的套接字在 poll 集合里吗？循环有没有在哪里阻塞（阻塞的读或写）？"
                )
            ),
            Err(RecvTimeoutError::Disconnected) => {
                panic!(
                    "{}",
                    say!(
                        "Server::run did not return: {}",
                        "Server::run 没有返回：{}",
                        self.server.why_ended()
                    )
                )
            }
        }
    }

    /// Runs `f` on the server's thread (the server must be stopped) and returns its result.
    fn call<R: Send + 'static>(
        &mut self,
        what: &str,
        f: impl FnOnce(&mut Server) -> R + Send + 'static,
    ) -> R {
        assert!(
            self.running.is_none(),
            "stop the server before calling into it"
        );
        let (done, result) = mpsc::channel();
        self.jobs
            .send(Box::new(move |server: &mut Server| {
                let _ = done.send(f(server));
            }))
            .unwrap_or_else(|_| panic!("{}", self.server.why_ended()));
        match result.recv_timeout(3 * WAIT) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "{}",
                    say!(
                        "{what} did not return within {:?}: does the loop block somewhere?",
                        "{what} 在 {:?} 内没有返回：循环是不是在哪里阻塞了？",
                        3 * WAIT
                    )
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!(
                    "{}",
                    say!(
                        "{what} did not return: {}",
                        "{what} 没有返回：{}",
                        self.server.why_ended()
                    )
                )
            }
        }
    }

    /// Pauses the server, runs `f` on its thread, lets it run again.
    fn paused<R: Send + 'static>(
        &mut self,
        what: &str,
        f: impl FnOnce(&mut Server) -> R + Send + 'static,
    ) -> R {
        self.stop();
        let r = self.call(what, f);
        self.go();
        r
    }

    /// One turn of the (stopped) server's loop, waiting at most `WAIT` for a socket.
    fn turn(&mut self) -> usize {
        self.call("poll_once", |s| s.poll_once(Some(WAIT)))
            .unwrap_or_else(|e| {
                panic!("{}", say!("poll_once failed: {e}", "poll_once 失败了：{e}"))
            })
    }

    /// Turns the (stopped) server's loop until it holds `n` connections (a client that
    /// left must leave the table), and reports how many it holds.
    fn settle(&mut self, n: usize) -> usize {
        self.call("poll_once", move |s| {
            for _ in 0..8 {
                if s.connections() == n {
                    break;
                }
                match s.poll_once(Some(WAIT)) {
                    Ok(0) | Err(_) => break, // nothing happened for WAIT: nothing will
                    Ok(_) => {}
                }
            }
            s.connections()
        })
    }

    /// With the server stopped and every client idle and read up: a turn that does not
    /// wait must find no socket ready (a closed socket in the poll set is always ready,
    /// and so is any socket polled for POLLOUT with nothing to write).
    #[track_caller]
    fn assert_idle(&mut self) {
        let ready = self.call("poll_once", |s| s.poll_once(Some(Duration::ZERO)));
        let ready = ready.unwrap_or_else(|e| {
            panic!(
                "{}",
                say!(
                    "poll_once(Some(0)) failed: {e}",
                    "poll_once(Some(0)) 失败了：{e}"
                )
            )
        });
        assert_eq!(
            ready,
            0,
            "{}",
            say!(
                "nothing is happening, yet poll_once found {ready} socket(s) ready: a closed client left in \
                 the poll set, POLLOUT asked with an empty output buffer, or the waker not drained",
                "什么事也没发生，poll_once 却发现 {ready} 个套接字就绪：可能是已关闭的客户端还留在 poll 集合里，输出缓冲区为空时还请求了 POLLOUT，或者 waker 没有读空"
            )
        );
    }

    fn connect(&self, who: &str) -> Client {
        Client::connect(self.addr, who, self.server.clone())
    }

    /// Connects a client whose receive buffer is `rcvbuf` bytes (set before connecting,
    /// so the connection never advertises a bigger window than the buffer holds).
    fn connect_small(&self, who: &str, rcvbuf: usize) -> Client {
        use nix::sys::socket::{AddressFamily, SockFlag, SockType, SockaddrIn, socket};
        use nix::sys::socket::{connect, setsockopt, sockopt};
        use std::os::fd::AsRawFd;
        let SocketAddr::V4(addr) = self.addr else {
            panic!("the server should be on 127.0.0.1")
        };
        let fd = socket(
            AddressFamily::Inet,
            SockType::Stream,
            SockFlag::empty(),
            None,
        )
        .expect("socket");
        setsockopt(&fd, sockopt::RcvBuf, &rcvbuf).expect("SO_RCVBUF");
        // Bounds the connect on Linux (it honours the send timeout).
        let limit = nix::sys::time::TimeVal::new(WAIT.as_secs() as _, 0);
        setsockopt(&fd, sockopt::SendTimeout, &limit).expect("SO_SNDTIMEO");
        connect(fd.as_raw_fd(), &SockaddrIn::from(addr))
            .unwrap_or_else(|e| panic!("{who} could not connect: {e}"));
        Client::from_stream(TcpStream::from(fd), who, self.server.clone())
    }

    /// Connects and logs in as `name`; answers `OK`.
    fn login(&self, name: &str) -> Client {
        let mut client = self.connect(name);
        client.send(format!("L {name}\n"));
        client.expect("OK");
        client
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if self.running.is_some() {
            self.waker.wake(); // let the server's thread end
        }
    }
}

// ---------------------------------------------------------------------------------------
// A client: a blocking std TcpStream with timeouts.

struct Client {
    who: String,
    reader: BufReader<TcpStream>,
    server: threads::Watch,
}

impl Client {
    fn connect(addr: SocketAddr, who: &str, server: threads::Watch) -> Client {
        let stream = TcpStream::connect_timeout(&addr, WAIT)
            .unwrap_or_else(|e| panic!("{who} could not connect: {e}"));
        Client::from_stream(stream, who, server)
    }

    fn from_stream(stream: TcpStream, who: &str, server: threads::Watch) -> Client {
        stream
            .set_read_timeout(Some(SLICE))
            .expect("set_read_timeout");
        stream
            .set_write_timeout(Some(WAIT))
            .expect("set_write_timeout");
        stream.set_nodelay(true).expect("set_nodelay");
        Client {
            who: who.to_string(),
            reader: BufReader::new(stream),
            server,
        }
    }

    fn stream(&self) -> &TcpStream {
        self.reader.get_ref()
    }

    fn send(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        if let Err(e) = self.reader.get_mut().write_all(bytes) {
            panic!(
                "{}",
                say!(
                    "{} could not send {:?}: {e}",
                    "{} 无法发送 {:?}：{e}",
                    self.who,
                    String::from_utf8_lossy(bytes)
                )
            );
        }
    }

    /// Runs a read (`read_until`, `read_to_end`, `read`) for at most `WAIT`: each try
    /// waits at most a `SLICE` (the socket's read timeout), and no more tries are made
    /// once the server's thread is dead. Bytes a try reads stay in the caller's buffer.
    fn bounded<T>(
        &mut self,
        mut read: impl FnMut(&mut BufReader<TcpStream>) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        let tries = WAIT.as_millis() / SLICE.as_millis();
        for _ in 0..tries {
            match read(&mut self.reader) {
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    if self.server.ended() {
                        panic!(
                            "{}",
                            say!(
                                "{} is waiting for the server, but {}",
                                "{} 在等服务器，但{}",
                                self.who,
                                self.server.why_ended()
                            )
                        );
                    }
                }
                other => return other,
            }
        }
        Err(ErrorKind::TimedOut.into())
    }

    /// The next line from the server (without its `\n`).
    fn line(&mut self) -> String {
        self.line_expecting(None)
    }

    /// The next line; `expecting` only makes the messages clearer.
    fn line_expecting(&mut self, expecting: Option<&str>) -> String {
        let wanted = match expecting {
            Some(line) => say!("the line {}", "这一行 {}", short(line)),
            None => say!("a line", "一行"),
        };
        let mut buf = Vec::new();
        match self.bounded(|r| r.read_until(b'\n', &mut buf)) {
            Ok(0) => match self.server.panic() {
                Some(panic) => panic!(
                    "{}",
                    say!(
                        "{} expected {wanted}, but the server closed the connection: {panic}",
                        "{} 在等{wanted}，服务器却关闭了连接：{panic}",
                        self.who
                    )
                ),
                None => panic!(
                    "{}",
                    say!(
                        "{} expected {wanted}, but the server closed the connection",
                        "{} 在等{wanted}，服务器却关闭了连接",
                        self.who
                    )
                ),
            },
            Ok(_) if buf.ends_with(b"\n") => {
                buf.pop();
                String::from_utf8(buf).unwrap_or_else(|e| {
                    panic!(
                        "{}",
                        say!(
                            "{} got a line that is not UTF-8: {e}",
                            "{} 收到的一行不是 UTF-8：{e}",
                            self.who
                        )
                    )
                })
            }
            Ok(_) => panic!(
                "{}",
                say!(
                    "{} got {:?} and then the connection closed, in the middle of a line",
                    "{} 收到 {:?} 之后连接就关闭了，停在一行的中间",
                    self.who,
                    String::from_utf8_lossy(&buf)
                )
            ),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if buf.is_empty() {
                    panic!(
                        "{}",
                        say!(
                            "{} waited {WAIT:?} for {wanted} from the server and got nothing: is it \
                             never sent, or is the server's loop stuck?",
                            "{} 等了 {WAIT:?} 要从服务器收到{wanted}，什么也没收到：是根本没发，还是服务器的循环卡住了？",
                            self.who
                        )
                    )
                }
                // Part of a line came and the rest never did: the cause is a write
                // cut short, not a server that said nothing.
                panic!(
                    "{}",
                    say!(
                        "{} waited {WAIT:?} for {wanted} and got only {}: the rest of the line never \
                         came. Was part of a write dropped (what write() did not take, never sent \
                         later)?",
                        "{} 等了 {WAIT:?} 要收到{wanted}，只收到 {}：这一行剩下的部分一直没来。是不是有一部分写入被丢掉了（write() 没写完的部分后来没有再发）？",
                        self.who,
                        short(&String::from_utf8_lossy(&buf))
                    )
                )
            }
            Err(e) => panic!(
                "{}",
                say!(
                    "{} could not read from the server: {e}",
                    "{} 无法从服务器读取：{e}",
                    self.who
                )
            ),
        }
    }

    #[track_caller]
    fn expect(&mut self, expected: &str) {
        let got = self.line_expecting(Some(expected));
        if got != expected {
            // Long lines (a thousand dashes after a number) are compared where they
            // first differ, not printed whole.
            let at = got
                .char_indices()
                .zip(expected.chars())
                .find(|((_, a), b)| a != b)
                .map_or(got.len().min(expected.len()), |((i, _), _)| i);
            panic!(
                "{}",
                say!(
                    "{} expected the line {} from the server, got {}; they first differ at byte {at}: \
                     expected {}, got {}",
                    "{} 应从服务器收到这一行 {}，却收到 {}；两者从第 {at} 字节开始不同：期望 {}，收到 {}",
                    self.who,
                    short(expected),
                    short(&got),
                    around(expected, at),
                    around(&got, at)
                )
            );
        }
    }

    /// The server must close the connection: end of stream (or a reset) is next.
    #[track_caller]
    fn expect_closed(&mut self) {
        let mut rest = Vec::new();
        match self.bounded(|r| r.read_to_end(&mut rest)) {
            Ok(_) if rest.is_empty() => {}
            Ok(_) => panic!(
                "{}",
                say!(
                    "{} expected the connection to close, got {:?} first",
                    "{} 应看到连接关闭，却先收到 {:?}",
                    self.who,
                    String::from_utf8_lossy(&rest)
                )
            ),
            Err(e) if e.kind() == ErrorKind::ConnectionReset && rest.is_empty() => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "{}",
                    say!(
                        "{} waited {WAIT:?} for the server to close the connection; it stayed open",
                        "{} 等了 {WAIT:?}，服务器一直没有关闭连接",
                        self.who
                    )
                )
            }
            Err(e) => panic!(
                "{}",
                say!(
                    "{} expected the connection to close, got {e} (after {rest:?})",
                    "{} 应看到连接关闭，却得到 {e}（在 {rest:?} 之后）",
                    self.who
                )
            ),
        }
    }
}

/// Up to 12 characters each side of byte `at` of `line`, quoted, `…` where cut.
fn around(line: &str, at: usize) -> String {
    let before: String = line[..at.min(line.len())].chars().rev().take(12).collect();
    let before: String = before.chars().rev().collect();
    let after: String = line[at.min(line.len())..].chars().take(12).collect();
    let cut_before = before.len() < at;
    let cut_after = at + after.len() < line.len();
    format!(
        "{}{:?}{}",
        if cut_before { "…" } else { "" },
        format!("{before}{after}"),
        if cut_after { "…" } else { "" }
    )
}

/// A line for a message: quoted, and cut short if long.
fn short(line: &str) -> String {
    if line.chars().count() <= 80 {
        return format!("{line:?}");
    }
    match line.char_indices().nth(60) {
        Some((cut, _)) => say!(
            "{:?}... ({} bytes)",
            "{:?}…（{} 字节）",
            &line[..cut],
            line.len()
        ),
        None => format!("{line:?}"),
    }
}

/// Raises the soft limit on open files to at least `n` if the hard limit allows.
fn raise_fd_limit(n: u64) -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).expect("getrlimit");
    if soft >= n {
        return soft;
    }
    let wanted = n.min(hard);
    setrlimit(Resource::RLIMIT_NOFILE, wanted, hard).expect("setrlimit");
    wanted
}

// ---------------------------------------------------------------------------------------

mod login {
    use super::*;
    use rstest::rstest;

    #[test]
    fn several_clients_log_in_and_the_others_see_them_join() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        let mut c = h.login("小明");
        a.expect("JOIN 小明");
        b.expect("JOIN 小明");
        // c got no JOIN for the clients already there: its next line is a's chat.
        a.send("C a hi\n");
        c.expect("MSG a hi");
    }

    #[test]
    fn a_duplicate_name_is_refused_and_another_may_be_tried() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut other = h.connect(&say!("the second client", "第二个客户端"));
        other.send("L a\n");
        other.expect("ERR name taken: a");
        other.send("L a2\n");
        other.expect("OK");
        // The refused login told a nothing: JOIN a2 is its next line.
        a.expect("JOIN a2");
        // And the duplicate is not logged in as a: chat as a is refused.
        other.send("C a hi\n");
        other.expect("ERR you are a2, not a");
    }

    #[test]
    fn nothing_is_sent_before_a_client_speaks_and_a_client_not_logged_in_hears_nothing() {
        let h = Harness::start();
        let mut quiet = h.connect("quiet");
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        a.send("C a hello\n");
        b.expect("MSG a hello");
        // Not logged in: no JOIN, no MSG. Its first line is the reply to its own login.
        quiet.send("L quiet\n");
        quiet.expect("OK");
        a.expect("JOIN quiet");
    }

    /// Lines and the exact refusal each gets, from a client logged in as `a` or not.
    #[rstest]
    #[case::chat_before_login(false, "C a hi", "ERR not logged in")]
    #[case::quit_before_login(false, "Q a", "ERR not logged in")]
    #[case::login_twice(true, "L b", "ERR already logged in as a")]
    #[case::chat_as_someone_else(true, "C b hi", "ERR you are a, not b")]
    #[case::quit_as_someone_else(true, "Q b", "ERR you are a, not b")]
    #[case::unknown_command(true, "X hello", "ERR unknown command \"X\"")]
    #[case::empty_line(false, "", "ERR empty line")]
    #[case::name_with_a_space(false, "L a b", "ERR name has whitespace at byte 3")]
    #[case::name_too_long(
        false,
        "L abcdefghijklmnopqrstuvwxyz0123456",
        "ERR name is longer than 32 bytes (it has 33)"
    )]
    #[case::eleven_cjk_chars(
        false,
        "L 一二三四五六七八九十百",
        "ERR name is longer than 32 bytes (it has 33)"
    )]
    #[case::control_char_in_name(false, "L a\x07", "ERR name has a control character at byte 3")]
    #[case::long_unknown_command(
        true,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ERR unknown command \"ABCDEFGHIJKLMNOP\"..."
    )]
    #[case::missing_text(true, "C a", "ERR missing text")]
    #[case::control_char_in_text(
        true,
        "C a tab\there",
        "ERR text has a control character at byte 7"
    )]
    #[case::lone_carriage_return(true, "C a a\rb", "ERR text has a control character at byte 5")]
    // An unknown command is shown as Rust's `{:?}` shows a string: quoted, with `\0`,
    // `\"`, `\\` and `\u{..}` escapes, its first 16 characters (counted before escaping),
    // and `...` after the closing quote when it was cut.
    #[case::nul_command(true, "\0", r#"ERR unknown command "\0""#)]
    #[case::ideographic_space_command(true, "\u{3000}", r#"ERR unknown command "\u{3000}""#)]
    #[case::quote_and_backslash(false, r#"a"b\c"#, r#"ERR unknown command "a\"b\\c""#)]
    #[case::sixteen_chars_uncut(
        true,
        "ABCDEFGHIJKLMNOP",
        r#"ERR unknown command "ABCDEFGHIJKLMNOP""#
    )]
    #[case::seventeen_escaped_chars(
        true,
        &"\u{3000}".repeat(17),
        &format!(r#"ERR unknown command "{}"..."#, r"\u{3000}".repeat(16))
    )]
    // The line is parsed before the session is asked: a malformed request gets its parse
    // error whether or not the client is logged in.
    #[case::chat_without_text_before_login(false, "C bob", "ERR missing text")]
    #[case::quit_with_a_spaced_name_before_login(
        false,
        "Q a b",
        "ERR name has whitespace at byte 3"
    )]
    fn refusals_get_their_exact_reason_and_the_client_stays(
        #[case] logged_in: bool,
        #[case] line: &str,
        #[case] reply: &str,
    ) {
        let h = Harness::start();
        let mut client = if logged_in {
            h.login("a")
        } else {
            h.connect(&say!("the client", "该客户端"))
        };
        client.send(format!("{line}\n"));
        client.expect(reply);
        // The connection stays open and usable.
        client.send("X\n");
        client.expect("ERR unknown command \"X\"");
    }

    /// When two refusals apply, the first check wins: the frame (too long, then UTF-8),
    /// then the parse, then the session: logged in or not first, then the name (taken, or
    /// someone else's), then the relay limit.
    #[test]
    fn when_two_refusals_apply_the_first_check_wins() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        let mut stranger = h.connect(&say!("the client not logged in", "未登录的客户端"));
        let too_long_to_relay = "x".repeat(MAX_LINE - "C a ".len());
        // Logged in, and the name is taken: "already logged in" wins.
        b.send("L a\n");
        b.expect("ERR already logged in as b");
        // Someone else's name, and too long to relay: "you are" wins.
        b.send(format!("C a {too_long_to_relay}\n"));
        b.expect("ERR you are b, not a");
        // Not logged in, someone else's name, too long to relay: "not logged in" wins.
        stranger.send(format!("C a {too_long_to_relay}\n"));
        stranger.expect("ERR not logged in");
        stranger.send("Q b\n");
        stranger.expect("ERR not logged in");
        // Too long and not UTF-8: the frame's first check, "too long", wins.
        let mut bad = vec![0xff; MAX_LINE + 1];
        bad.push(b'\n');
        stranger.send(bad);
        stranger.expect("ERR line too long (limit 1024 bytes)");
        // Not UTF-8 and not a request: the frame's refusal comes before any parse.
        stranger.send(b"\xffX\n");
        stranger.expect("ERR invalid UTF-8 at byte 0");
        // None of it reached a: its next line is b's chat.
        b.send("C b sentinel\n");
        a.expect("MSG b sentinel");
    }

    /// `MSG` is two bytes longer than the `C` it relays: the longest chat whose `MSG` fits
    /// in 1024 bytes is relayed, one byte more is refused, and the refused one never
    /// reaches anybody (the sentinel after it is the next line `b` reads).
    #[test]
    fn a_chat_too_long_to_relay_is_refused() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        let fits = "x".repeat(1024 - "MSG a ".len());
        a.send(format!("C a {fits}\n"));
        b.expect(&format!("MSG a {fits}"));
        a.send(format!("C a {fits}y\n"));
        a.expect("ERR text too long to relay (limit 1024 bytes as MSG)");
        a.send("C a sentinel\n");
        b.expect("MSG a sentinel");
    }

    #[test]
    fn ten_cjk_chars_make_a_name() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("一二三四五六七八九十");
        a.expect("JOIN 一二三四五六七八九十");
        b.send("C 一二三四五六七八九十 你好\n");
        a.expect("MSG 一二三四五六七八九十 你好");
    }
}

mod chat {
    use super::*;

    #[test]
    fn chat_reaches_everyone_but_the_sender() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        let mut c = h.login("c");
        a.expect("JOIN b");
        a.expect("JOIN c");
        b.expect("JOIN c");
        a.send("C a  hello,  world \n");
        b.expect("MSG a  hello,  world ");
        c.expect("MSG a  hello,  world ");
        // No echo: the next line a gets is b's sentinel, not its own chat.
        b.send("C b sentinel\n");
        a.expect("MSG b sentinel");
        c.expect("MSG b sentinel");
    }

    #[test]
    fn a_notice_reaches_every_logged_in_client() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        let mut quiet = h.connect("quiet");
        let sent = h.paused("notice", |s| {
            (
                s.notice("maintenance at 10:00, 请保存"),
                s.notice(""),
                s.notice("two\nlines"),
            )
        });
        assert_eq!(
            sent.0,
            Ok(2),
            "{}",
            say!(
                "notice() should reach the 2 logged-in clients (not the one not logged in)",
                "notice() 应送达 2 个已登录的客户端（不包括那个没登录的）"
            )
        );
        assert!(
            sent.1.is_err(),
            "{}",
            say!(
                "an empty notice must be refused, got {:?}",
                "空的通知必须被拒绝，却得到 {:?}",
                sent.1
            )
        );
        assert!(
            sent.2.is_err(),
            "{}",
            say!(
                "a notice with a control character must be refused, got {:?}",
                "含控制字符的通知必须被拒绝，却得到 {:?}",
                sent.2
            )
        );
        a.expect("NOTICE maintenance at 10:00, 请保存");
        b.expect("NOTICE maintenance at 10:00, 请保存");
        quiet.send("L quiet\n");
        quiet.expect("OK");
    }
}

mod quit {
    use super::*;

    #[test]
    fn quit_gets_exit_and_the_others_leave() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        a.send("Q a\nC a too late\n");
        a.expect("EXIT");
        a.expect_closed();
        b.expect("LEAVE a");
        // The name is free again.
        let mut again = h.login("a");
        b.expect("JOIN a");
        again.send("C a back\n");
        b.expect("MSG a back");
        h.stop();
        assert_eq!(
            h.settle(2),
            2,
            "{}",
            say!(
                "after a quit, connections() should count the 2 clients left",
                "一个客户端退出（quit）之后，connections() 应计为剩下的 2 个客户端"
            )
        );
        h.assert_idle();
    }

    #[test]
    fn an_abrupt_disconnect_frees_the_name_and_notifies_the_others() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        // No Q: the connection just closes (everything read, so the server sees the end
        // of the stream; a reset is the next test).
        drop(a);
        b.expect("LEAVE a");
        let mut again = h.login("a");
        b.expect("JOIN a");
        again.send("C a back\n");
        b.expect("MSG a back");
        h.stop();
        assert_eq!(
            h.settle(2),
            2,
            "{}",
            say!(
                "after a disconnect, connections() should count the 2 clients left",
                "一个客户端断开之后，connections() 应计为剩下的 2 个客户端"
            )
        );
        h.assert_idle();
    }

    #[test]
    fn a_reset_connection_is_a_disconnect_too() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        b.send("C b unread\n");
        // b's reply to X proves its chat was handled (and queued for a) first.
        b.send("X\n");
        b.expect("ERR unknown command \"X\"");
        // a closes with unread data: the kernel sends a reset, not an end of stream.
        drop(a);
        b.expect("LEAVE a");
        h.stop();
        assert_eq!(
            h.settle(1),
            1,
            "{}",
            say!(
                "after a reset, connections() should count the 1 client left",
                "一个连接被重置之后，connections() 应计为剩下的 1 个客户端"
            )
        );
        h.assert_idle();
    }

    #[test]
    fn a_client_that_never_logged_in_leaves_quietly() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let quiet = h.connect("quiet");
        quiet
            .stream()
            .shutdown(std::net::Shutdown::Both)
            .expect("shutdown");
        drop(quiet);
        let mut b = h.login("b");
        // No LEAVE for a client without a name: a's next line is JOIN b.
        a.expect("JOIN b");
        b.send("C b hi\n");
        a.expect("MSG b hi");
        h.stop();
        assert_eq!(
            h.settle(2),
            2,
            "{}",
            say!(
                "the client that left must leave the table",
                "离开的客户端必须从表里移除"
            )
        );
        h.assert_idle();
    }

    /// `EXIT` goes to every connection, even one that never sent a byte.
    #[test]
    fn shutdown_sends_exit_to_everyone() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let mut quiet = h.connect("quiet");
        h.stop();
        // quiet was accepted (it is in the table) before the server shuts down.
        assert_eq!(
            h.settle(2),
            2,
            "{}",
            say!(
                "connections() should count a and the client that never sent a byte",
                "connections() 应计入 a 和那个一个字节都没发的客户端"
            )
        );
        h.call("shutdown", |s| {
            // shutdown takes the server by value: swap in a fresh one for the harness.
            let server = std::mem::replace(s, Server::bind("127.0.0.1:0").expect("bind"));
            server.shutdown();
        });
        a.expect("EXIT");
        a.expect_closed();
        quiet.expect("EXIT");
        quiet.expect_closed();
    }

    /// A client that half-closes (shuts down its sending side, as `nc -N` does at the end
    /// of its input) gets the replies to every line it sent, then the end of the stream:
    /// it has left, as if it had disconnected.
    #[test]
    fn a_half_closed_client_gets_its_replies_then_leaves() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let mut half = h.connect("half");
        half.send("L half\nX\nC half bye\n");
        half.stream()
            .shutdown(std::net::Shutdown::Write)
            .expect("shutdown(Write)");
        half.expect("OK");
        half.expect("ERR unknown command \"X\"");
        half.expect_closed();
        a.expect("JOIN half");
        a.expect("MSG half bye");
        a.expect("LEAVE half");
        h.stop();
        assert_eq!(
            h.settle(1),
            1,
            "{}",
            say!(
                "the half-closed client must leave the table",
                "半关闭的客户端必须从表里移除"
            )
        );
        h.assert_idle();
    }

    /// The server never closes a connection for being idle: not one that never sent a
    /// byte, not one in the middle of a line, not a logged-in one, however many turns
    /// the loop takes (with traffic, and with nothing to do) while they say nothing.
    #[test]
    fn idle_connections_stay_open() {
        let mut h = Harness::start();
        let mut silent = h.connect("silent");
        let mut halfway = h.connect("halfway");
        halfway.send("L half");
        let mut idle = h.login("idle");
        let mut a = h.login("a");
        let mut b = h.login("b");
        idle.expect("JOIN a");
        idle.expect("JOIN b");
        a.expect("JOIN b");
        for i in 0..50 {
            a.send(format!("C a {i}\n"));
            b.expect(&format!("MSG a {i}"));
        }
        h.stop();
        let empty_turns = h.call("poll_once", |s| {
            (0..20)
                .filter(|_| matches!(s.poll_once(Some(Duration::from_millis(1))), Ok(0)))
                .count()
        });
        assert_eq!(
            empty_turns,
            20,
            "{}",
            say!(
                "with every client read up and silent, 20 turns of poll_once(1 ms) should each find nothing \
                 ready, but only {empty_turns} did",
                "所有客户端都读完且不说话时，20 次 poll_once(1 ms) 都应当什么也没找到，却只有 {empty_turns} 次如此"
            )
        );
        h.go();
        silent.send("L silent\n");
        silent.expect("OK");
        halfway.send("way\n");
        halfway.expect("OK");
        for i in 0..50 {
            idle.expect(&format!("MSG a {i}"));
        }
        idle.expect("JOIN silent");
        idle.expect("JOIN halfway");
        idle.send("C idle still here\n");
        a.expect("JOIN silent");
        a.expect("JOIN halfway");
        a.expect("MSG idle still here");
    }
}

mod framing {
    use super::*;

    #[test]
    fn half_a_line_then_silence_blocks_nobody() {
        let h = Harness::start();
        let mut half = h.connect("half");
        half.send("L hal");
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        a.send("C a still here\n");
        b.expect("MSG a still here");
        half.send("f\n");
        half.expect("OK");
        a.expect("JOIN half");
        b.expect("JOIN half");
    }

    /// Each byte is a write of its own, and the server takes a turn (one poll_once) after
    /// each, so every byte arrives in a read of its own.
    #[test]
    fn a_message_split_across_many_writes() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        h.stop();
        for piece in "C a 你好, world\r\n".as_bytes().chunks(1) {
            a.send(piece);
            h.turn();
        }
        h.go();
        b.expect("MSG a 你好, world");
        // Nothing else came of the pieces: b's sentinel is a's next line.
        b.send("C b sentinel\n");
        a.expect("MSG b sentinel");
    }

    #[test]
    fn many_messages_in_one_write() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut c = h.connect("c");
        c.send("L c\nC c one\nC c two\r\nC c three\n");
        c.expect("OK");
        a.expect("JOIN c");
        a.expect("MSG c one");
        a.expect("MSG c two");
        a.expect("MSG c three");
    }

    #[test]
    fn an_over_long_line_gets_an_error_and_the_server_stays_up() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        // Exactly MAX_LINE bytes is read (then refused: its MSG would be 1026 bytes); one
        // more is too long to read at all.
        let fits = format!("C a {}", "x".repeat(MAX_LINE - 4));
        let too_long = format!("C a {}", "y".repeat(MAX_LINE - 3));
        a.send(format!("{fits}\n{too_long}\nC a after\n"));
        a.expect("ERR text too long to relay (limit 1024 bytes as MSG)");
        a.expect("ERR line too long (limit 1024 bytes)");
        b.expect("MSG a after");
        // A flood without a newline: one refusal, and the server serves on.
        a.send(vec![b'z'; 100 * MAX_LINE]);
        a.send("\nC a survived\n");
        a.expect("ERR line too long (limit 1024 bytes)");
        b.expect("MSG a survived");
        b.send("C b sentinel\n");
        a.expect("MSG b sentinel");
    }

    /// A line is too long as soon as its bytes prove it: on byte 1025, or on the byte after
    /// a 1025th `\r` unless that is the `\n`. A client that sends exactly that much and
    /// waits must get its answer without sending anything more.
    #[test]
    fn a_line_is_refused_as_soon_as_it_is_too_long() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        a.send(vec![b'x'; MAX_LINE + 1]);
        a.expect("ERR line too long (limit 1024 bytes)");
        // The rest of that line is skipped up to its newline; the next line counts.
        a.send("more of the same\nC a after\n");
        b.expect("MSG a after");
        // 1024 bytes and a `\r`: the `\r` may still be dropped by a `\n`, so no answer yet.
        let longest = format!("X{}", "y".repeat(MAX_LINE - 1));
        a.send(format!("{longest}\r"));
        // ... and it is: a line of exactly 1024 bytes, the unknown command X...
        a.send("\n");
        a.expect("ERR unknown command \"Xyyyyyyyyyyyyyyy\"...");
        // 1024 bytes, a `\r` and one more byte that is not `\n`: too long at once.
        a.send(format!("{longest}\rz"));
        a.expect("ERR line too long (limit 1024 bytes)");
        a.send("\nC a done\n");
        b.expect("MSG a done");
    }

    #[test]
    fn invalid_utf8_gets_an_error_and_the_next_line_counts() {
        let h = Harness::start();
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        a.send(b"C a caf\xe9\nC a caf\xc3\xa9\n");
        a.expect("ERR invalid UTF-8 at byte 7");
        b.expect("MSG a café");
    }
}

mod slow_reader {
    use super::*;
    use nix::sys::socket::{getsockopt, sockopt};

    const SMALL: usize = 4096;

    /// A client that pauses while 48 KB of chat are relayed to it: far more than its
    /// sockets' buffers (a few KiB each) hold, far less than `MAX_OUTPUT`. The server
    /// must keep the rest and send it when the socket can take more (`POLLOUT`), with no
    /// other event to prompt it.
    #[test]
    fn a_client_that_pauses_gets_everything_when_it_resumes() {
        const CHATS: usize = 48;
        let config = Config {
            max_output: MAX_OUTPUT,
            send_buffer: Some(SMALL),
        };
        let mut h = Harness::start_with(config);
        let mut paused = h.connect_small("paused", SMALL);
        paused.send("L paused\n");
        paused.expect("OK");
        let mut a = h.login("a");
        let mut b = h.login("b");
        paused.expect("JOIN a");
        paused.expect("JOIN b");
        a.expect("JOIN b");
        let text = |i: usize| format!("{i:04}{}", "-".repeat(996));
        for i in 0..CHATS {
            a.send(format!("C a {}\n", text(i)));
        }
        // b got them all: the server has handled every chat (and queued each for paused).
        for i in 0..CHATS {
            b.expect(&format!("MSG a {}", text(i)));
        }
        // Now paused reads: everything, in order; nothing else happens meanwhile.
        for i in 0..CHATS {
            paused.expect(&format!("MSG a {}", text(i)));
        }
        b.send("C b sentinel\n");
        paused.expect("MSG b sentinel");
        h.stop();
        assert_eq!(
            h.settle(3),
            3,
            "{}",
            say!(
                "nobody left: connections() should count 3",
                "没有人离开：connections() 应为 3"
            )
        );
        h.assert_idle();
    }

    /// A client that stops reading: the server's send buffer and the client's receive
    /// buffer are a few KiB, so its output piles up in the server after a few dozen chats.
    /// It is dropped only once more than `max_output` waits for it beyond what the
    /// kernel's buffers took, and simply closed: what it receives is exactly the start of
    /// what was queued for it (no `EXIT`; the stream may end in the middle of a line).
    #[test]
    fn a_slow_reader_is_dropped_and_the_others_keep_chatting() {
        const LIMIT: usize = 16 * 1024;
        let config = Config {
            max_output: LIMIT,
            send_buffer: Some(SMALL),
        };
        let mut h = Harness::start_with(config);
        let mut slow = h.connect_small("slow", SMALL);
        slow.send("L slow\n");
        slow.expect("OK");
        let mut a = h.login("a");
        let mut b = h.login("b");
        a.expect("JOIN b");
        // From here on, slow reads nothing. a chats; b reads each chat before the next,
        // so only slow falls behind. Its output passes max_output long before 400 chats
        // of 1000 bytes (400 KB, far more than its sockets' buffers hold).
        let mut dropped = false;
        // Everything queued for slow since its OK (the chats: at most one too many, the
        // chat sent when LEAVE had already been queued).
        let mut queued = b"JOIN a\nJOIN b\n".to_vec();
        for i in 0..400 {
            let text = format!("{i:04}{}", ".".repeat(996));
            a.send(format!("C a {text}\n"));
            queued.extend_from_slice(format!("MSG a {text}\n").as_bytes());
            let mut line = b.line();
            if line == "LEAVE slow" {
                dropped = true;
                line = b.line();
            }
            assert_eq!(
                line,
                format!("MSG a {text}"),
                "{}",
                say!(
                    "b expected chat number {i} from a",
                    "b 应收到 a 的第 {i} 条聊天"
                )
            );
            if dropped {
                break;
            }
        }
        assert!(
            dropped,
            "{}",
            say!(
                "slow stopped reading, yet after 400 KB of chat it was not dropped (b got no LEAVE slow): \
                 is its output buffer bounded by max_output?",
                "slow 不再读取，但 400 KB 的聊天之后它仍没有被踢掉（b 没有收到 LEAVE slow）：它的输出缓冲区有没有受 max_output 限制？"
            )
        );
        // The others chat on.
        b.send("C b still here\n");
        a.expect("LEAVE slow");
        a.expect("MSG b still here");
        // And slow's connection was closed: what it had been sent, then the end.
        let rcvbuf = getsockopt(slow.stream(), sockopt::RcvBuf).expect("SO_RCVBUF");
        let mut received = Vec::new();
        loop {
            let mut buf = [0u8; 4096];
            let got = received.len();
            match slow.bounded(|r| r.read(&mut buf)) {
                Ok(0) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
                Err(e) => panic!(
                    "{}",
                    say!(
                        "slow was dropped but its connection did not close ({got} bytes read): {e}",
                        "slow 被踢掉了，但它的连接没有关闭（读到了 {got} 字节）：{e}"
                    )
                ),
            }
            assert!(
                received.len() <= 64 * rcvbuf + 64 * 1024,
                "{}",
                say!(
                    "slow keeps receiving data after it was dropped",
                    "slow 被踢掉之后还在收到数据"
                )
            );
        }
        if let Some(at) = received.iter().zip(&queued).position(|(r, q)| r != q) {
            panic!(
                "{}",
                say!(
                    "slow received something else than the lines queued for it, from byte {at} on: {:?}; \
                     a client dropped as too slow is simply closed (no EXIT: its buffer is full)",
                    "slow 从第 {at} 个字节起收到的不是排队给它的那些行：{:?}；因为太慢被踢掉的客户端只是被关闭（没有 EXIT：它的缓冲区已经满了）",
                    String::from_utf8_lossy(&received[at..received.len().min(at + 40)])
                )
            );
        }
        assert!(
            received.len() <= queued.len(),
            "{}",
            say!(
                "slow received {} bytes more than was queued for it: {:?}",
                "slow 比排队给它的多收到了 {} 个字节：{:?}",
                received.len() - queued.len(),
                String::from_utf8_lossy(&received[queued.len()..])
            )
        );
        let waiting = queued.len() - received.len();
        assert!(
            waiting > LIMIT,
            "{}",
            say!(
                "slow was dropped with at most {waiting} bytes waiting for it in the server (it received \
                 {} of the {} queued), not more than max_output ({LIMIT}): the kernel's buffers come \
                 first, and a client is too slow only once more than max_output waits beyond them",
                "slow 被踢掉时，服务器里等着发给它的最多只有 {waiting} 个字节（它收到了 {} 个字节，排队的共有 {} 个），没有超过 max_output（{LIMIT}）：内核的缓冲区先用，只有超出它们还在等的部分超过 max_output，客户端才算太慢",
                received.len(),
                queued.len()
            )
        );
        h.stop();
        assert_eq!(
            h.settle(2),
            2,
            "{}",
            say!(
                "the dropped client must leave the table",
                "被踢掉的客户端必须从表里移除"
            )
        );
        h.assert_idle();
    }
}

mod many_clients {
    use super::*;

    const CLIENTS: usize = 200;

    #[test]
    fn two_hundred_clients_each_message_reaches_every_other() {
        // Each client is two sockets in this process (ours and the server's).
        let limit = raise_fd_limit(2 * CLIENTS as u64 + 64);
        assert!(
            limit >= 2 * CLIENTS as u64 + 16,
            "this test needs {} open files; the limit is {limit}",
            2 * CLIENTS + 16
        );
        let h = Harness::start();
        let mut clients: Vec<Client> = (0..CLIENTS).map(|i| h.login(&format!("c{i}"))).collect();
        for (i, client) in clients.iter_mut().enumerate() {
            client.send(format!("C c{i} hello from {i}\n"));
        }
        for (i, client) in clients.iter_mut().enumerate() {
            // First the JOINs of those who came later, then a chat from everyone else.
            for j in i + 1..CLIENTS {
                client.expect(&format!("JOIN c{j}"));
            }
            let mut heard = [false; CLIENTS];
            for _ in 0..CLIENTS - 1 {
                let line = client.line();
                let j: usize = line
                    .strip_prefix("MSG c")
                    .and_then(|rest| rest.split_once(' '))
                    .and_then(|(j, text)| (text == format!("hello from {j}")).then_some(j))
                    .and_then(|j| j.parse().ok())
                    .unwrap_or_else(|| {
                        panic!(
                            "{}",
                            say!(
                                "c{i} expected a chat from another client, got {line:?}",
                                "c{i} 应收到别的客户端的聊天，却收到 {line:?}"
                            )
                        )
                    });
                assert!(
                    j != i,
                    "{}",
                    say!("c{i} got its own chat back", "c{i} 收到了自己的聊天")
                );
                assert!(
                    !heard[j],
                    "{}",
                    say!(
                        "c{i} got c{j}'s chat twice",
                        "c{i} 把 c{j} 的聊天收到了两次"
                    )
                );
                heard[j] = true;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Counted process-wide, so each runs its counting part in a process of its own (the test
// runs again as a child, `tests/support/child.rs`), where no other test runs beside it:
// the heap (every thread's allocations) and the limit on open files are the process's.

mod memory {
    use super::*;

    const CLIENTS: usize = 100;
    const LIMIT: usize = 16 * 1024;
    /// Chats each client sends at once, each 1,023 bytes with its newline (the longest
    /// whose `MSG` fits in 1,024): about 4 KiB a client.
    const CHATS: usize = 4;
    const CHAT_LINE: usize = 1023;

    /// 100 clients each write 4 KiB of chat at once, and the server finds them all in one
    /// turn: 100 x 99 x 4 KiB (39 MiB) of `MSG` lines to queue, if it checks the limit only
    /// at the end of the turn. The peak of the heap while it serves the burst (counted by
    /// `tests/support/heap.rs`) must stay within 2 x `max_output` a client (a `Vec` may
    /// hold up to twice what it was asked for) and 4 KiB more, plus 1 MiB.
    #[test]
    fn a_burst_from_every_client_stays_within_max_output_each() {
        if child::role().as_deref() == Some("burst") {
            return burst();
        }
        let out = child::run(
            "memory::a_burst_from_every_client_stays_within_max_output_each",
            "burst",
            |_| {},
        );
        assert!(child::passed(&out), "{}", child::describe(&out));
    }

    fn burst() {
        let files = raise_fd_limit(2 * CLIENTS as u64 + 64);
        assert!(
            files >= 2 * CLIENTS as u64 + 16,
            "this test needs {} open files; the limit is {files}",
            2 * CLIENTS + 16
        );
        let mut h = Harness::start_with(Config {
            max_output: LIMIT,
            send_buffer: Some(4096),
        });
        // Small receive buffers: the kernel takes little of what the server sends them.
        let mut clients: Vec<Client> = (0..CLIENTS)
            .map(|i| {
                let mut c = h.connect_small(&format!("c{i}"), 4096);
                c.send(format!("L c{i}\n"));
                c.expect("OK");
                c
            })
            .collect();
        h.stop();
        for (i, c) in clients.iter_mut().enumerate() {
            let prefix = format!("C c{i} ");
            let chat = format!("{prefix}{}\n", "x".repeat(CHAT_LINE - prefix.len() - 1));
            c.send(chat.repeat(CHATS));
        }
        for c in &clients {
            wait_until_acknowledged(c);
        }
        let (turns, peak) = h.call("poll_once", |s| {
            heap::peak_during(|| {
                let mut turns = Vec::new();
                for _ in 0..64 {
                    match s.poll_once(Some(Duration::ZERO)) {
                        Ok(0) => break,
                        other => turns.push(other.map_err(|e| e.to_string())),
                    }
                }
                turns
            })
        });
        if let Some(Err(e)) = turns.iter().find(|t| t.is_err()) {
            panic!("{}", say!("poll_once failed: {e}", "poll_once 失败了：{e}"));
        }
        let budget = CLIENTS * (2 * LIMIT + 4096) + (1 << 20);
        assert!(
            peak <= budget,
            "{}",
            say!(
                "while {CLIENTS} clients each sent {} bytes at once, the heap grew by {peak} bytes \
                 (at most {budget}: 2 x max_output ({LIMIT}) and 4 KiB a client, and 1 MiB): check \
                 that a reply fits in what is left of a client's max_output before queueing it (write \
                 what the socket takes first; if it still does not fit, the client is too slow), not \
                 only at the end of the turn",
                "{CLIENTS} 个客户端同时各发了 {} 字节，堆增长了 {peak} 字节（最多 {budget}：每个客户端 2 x max_output（{LIMIT}）加 4 KiB，再加 1 MiB）：在把回复放进队列之前，先检查它放不放得进这个客户端 max_output 剩下的空间（先写出套接字能接收的部分；还放不下，这个客户端就是太慢），而不是只在这一轮结束时检查",
                CHATS * CHAT_LINE
            )
        );
        drop(clients);
    }

    /// Waits until every byte the client wrote is acknowledged by the server's socket
    /// (`SIOCOUTQ`: bytes not yet acknowledged), so the server finds them all at its next
    /// turn. On loopback this is at once; the wait is bounded all the same.
    fn wait_until_acknowledged(client: &Client) {
        use std::os::fd::AsRawFd;
        let fd = client.stream().as_raw_fd();
        for _ in 0..1_000_000 {
            let mut pending: nix::libc::c_int = 0;
            // SAFETY: SIOCOUTQ (TIOCOUTQ) writes one int, and `pending` is one.
            let r = unsafe { nix::libc::ioctl(fd, nix::libc::TIOCOUTQ, &mut pending) };
            assert_eq!(r, 0, "ioctl(SIOCOUTQ) failed");
            if pending == 0 {
                return;
            }
            thread::yield_now();
        }
        panic!("the server's socket never acknowledged a client's burst");
    }
}

mod exhaustion {
    use super::*;
    use std::fs::File;

    /// The open-file limit of the child process.
    const FILES: u64 = 64;
    /// Turns of the loop watched while no descriptor is free.
    const TURNS: usize = 20;

    /// Out of file descriptors, `accept` fails and the connection stays in the listen
    /// queue, so the listener stays readable: a server that polls it again returns at
    /// once, every turn, and spins. Each of 20 turns may wait 1 ms: a server that waits
    /// finds nothing ready after its first failed `accept`, a spinning one finds the
    /// listener ready every time. Once clients leave, new clients are served again.
    #[test]
    fn out_of_descriptors_the_loop_waits_instead_of_spinning() {
        if child::role().as_deref() == Some("exhausted") {
            return exhausted();
        }
        let out = child::run(
            "exhaustion::out_of_descriptors_the_loop_waits_instead_of_spinning",
            "exhausted",
            |_| {},
        );
        assert!(child::passed(&out), "{}", child::describe(&out));
    }

    fn exhausted() {
        use nix::sys::resource::{Resource, getrlimit, setrlimit};
        let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).expect("getrlimit");
        if soft > FILES {
            setrlimit(Resource::RLIMIT_NOFILE, FILES, hard).expect("setrlimit");
        }
        let mut h = Harness::start();
        let mut a = h.login("a");
        let b = h.login("b");
        a.expect("JOIN b");
        h.stop();
        // Take every free descriptor of the process (the server's too: it is this
        // process), then give one back for a client the server cannot accept.
        let mut fillers = Vec::new();
        for _ in 0..FILES {
            match File::open("/dev/null") {
                Ok(f) => fillers.push(f),
                Err(e) if e.raw_os_error() == Some(nix::libc::EMFILE) => break,
                Err(e) => panic!("opening /dev/null: {e}"),
            }
        }
        assert!(
            File::open("/dev/null").is_err(),
            "the process should be out of descriptors"
        );
        fillers.pop();
        let waiting = TcpStream::connect_timeout(&h.addr, WAIT)
            .expect("a connection the kernel completes, waiting to be accepted");
        let turns = h.call("poll_once", |s| {
            (0..TURNS)
                .map(|_| {
                    s.poll_once(Some(Duration::from_millis(1)))
                        .map_err(|e| e.to_string())
                })
                .collect::<Vec<_>>()
        });
        if let Some(Err(e)) = turns.iter().find(|t| t.is_err()) {
            panic!(
                "{}",
                say!(
                    "out of file descriptors, poll_once failed: {e}; a server must live through it \
                     (the connection waits in the listen queue until a descriptor frees)",
                    "文件描述符用光时，poll_once 失败了：{e}；服务器必须挺过去（连接会在监听队列里等到有描述符空出来）"
                )
            );
        }
        let busy = turns
            .iter()
            .filter(|t| matches!(t, Ok(n) if *n > 0))
            .count();
        assert!(
            busy <= 3,
            "{}",
            say!(
                "out of file descriptors, with one connection waiting to be accepted, {busy} of {TURNS} \
                 turns found a socket ready (at most 3 may): accept fails and the connection stays in the \
                 queue, so the listener stays readable, and polling it again returns at once: the loop \
                 spins. Leave the listener out of the poll (no events) until a client leaves",
                "文件描述符用光、还有一个连接等着被 accept 时，{TURNS} 轮里有 {busy} 轮发现有套接字就绪（最多只能有 3 轮）：accept 失败，连接留在队列里，监听套接字一直可读，再 poll 它就会立刻返回：循环在空转。在有客户端离开之前，别再让 poll 关注监听套接字（不请求任何事件）"
            )
        );
        // Clients leave and free descriptors: the server accepts again.
        drop(a);
        drop(b);
        h.go();
        let mut newcomer = h.connect("newcomer");
        newcomer.send("L newcomer\n");
        let got = newcomer.line_expecting(Some("OK"));
        assert_eq!(
            got,
            "OK",
            "{}",
            say!(
                "after two clients left, a new client should be accepted and served",
                "两个客户端离开之后，新的客户端应当被接受并得到服务"
            )
        );
        drop((waiting, fillers));
    }
}

mod program {
    use super::*;
    use std::process::{Child, ChildStdin, Command, Stdio};

    /// The chat-server program built with the crate under test (`chat-server`, or
    /// `chat-server-ref` in the reference). A scratch crate (a mutant's, a copy graded
    /// against pristine suites) is built without its programs: then there is none.
    fn program() -> Option<&'static str> {
        option_env!("CARGO_BIN_EXE_chat-server").or(option_env!("CARGO_BIN_EXE_chat-server-ref"))
    }

    /// The program, running on a free loopback port; killed when dropped.
    struct Running {
        child: Child,
        stdin: Option<ChildStdin>,
        /// Its standard error, line by line.
        log: mpsc::Receiver<String>,
        /// Everything it writes to standard output, once it has ended.
        stdout: Option<thread::JoinHandle<Vec<u8>>>,
        addr: SocketAddr,
    }

    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Running {
        /// Starts the program, or `None` if the crate was built without it.
        fn start() -> Option<Running> {
            let Some(path) = program() else {
                eprintln!("this crate was built without its programs: nothing to run");
                return None;
            };
            let mut child = Command::new(path)
                .arg("127.0.0.1:0")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("could not start {path}: {e}"));
            let stderr = BufReader::new(child.stderr.take().expect("piped"));
            let (lines, log) = mpsc::channel();
            thread::spawn(move || {
                for line in stderr.lines() {
                    let Ok(line) = line else { break };
                    if lines.send(line).is_err() {
                        break;
                    }
                }
            });
            let mut stdout = child.stdout.take().expect("piped");
            let stdout = thread::spawn(move || {
                let mut all = Vec::new();
                let _ = stdout.read_to_end(&mut all);
                all
            });
            let stdin = child.stdin.take();
            let mut running = Running {
                child,
                stdin,
                log,
                stdout: Some(stdout),
                addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            };
            let banner = running.next_log("chat server on ...");
            let addr = banner
                .strip_prefix("chat server on ")
                .and_then(|rest| rest.split_once(": "))
                .and_then(|(addr, _)| addr.parse().ok());
            let Some(addr) = addr else {
                // Show what it printed instead (a panic of the server, most likely).
                let mut printed = vec![banner];
                while let Ok(line) = running.log.recv_timeout(WAIT) {
                    printed.push(line);
                    if printed.len() == 20 {
                        break;
                    }
                }
                let printed = printed.join("\n    ");
                panic!(
                    "{}",
                    say!(
                        "the program's first line on standard error should be its banner, naming its \
                         address; it printed:\n    {printed}",
                        "程序在标准错误上的第一行应是写明它地址的横幅；它打印的是：\n    {printed}"
                    )
                );
            };
            running.addr = addr;
            Some(running)
        }

        /// The next line on its standard error.
        fn next_log(&mut self, expecting: &str) -> String {
            self.log.recv_timeout(WAIT).unwrap_or_else(|_| {
                panic!(
                    "{}",
                    say!(
                        "the program printed no line like {expecting:?} on standard error within {WAIT:?}",
                        "程序在 {WAIT:?} 内没有在标准错误上打印类似 {expecting:?} 的一行"
                    )
                )
            })
        }

        /// Types a line on its standard input.
        fn type_line(&mut self, line: &str) {
            let stdin = self.stdin.as_mut().expect("standard input is open");
            writeln!(stdin, "{line}").expect("write to the program's standard input");
            stdin.flush().expect("flush");
        }

        fn login(&self, name: &str) -> Client {
            let mut client = Client::connect(self.addr, name, threads::Watch::elsewhere("server"));
            client.send(format!("L {name}\n"));
            client.expect("OK");
            client
        }

        /// What it wrote to standard output, once it has ended (killed if need be).
        fn stdout(&mut self) -> Vec<u8> {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.stdout
                .take()
                .expect("read once")
                .join()
                .expect("the reader of its standard output")
        }
    }

    #[track_caller]
    fn assert_quiet(stdout: &[u8]) {
        assert!(
            stdout.is_empty(),
            "{}",
            say!(
                "the program should write nothing to standard output (its banner and notes go to \
                 standard error; print debugging lines with eprintln!), got {:?}",
                "程序不应向标准输出写任何东西（横幅和提示都写到标准错误；调试输出请用 eprintln!），却写了 {:?}",
                String::from_utf8_lossy(stdout)
            )
        );
    }

    /// What the program needs of the library, tried here first, so that a function not
    /// written yet fails in this test's own process, where the runner names it.
    fn library_works() {
        let mut h = Harness::start();
        let mut a = h.login("a");
        let sent = h.paused("notice", |s| s.notice("ready"));
        assert_eq!(
            sent,
            Ok(1),
            "{}",
            say!(
                "notice(\"ready\") should reach the 1 logged-in client",
                "notice(\"ready\") 应送达那 1 个已登录的客户端"
            )
        );
        a.expect("NOTICE ready");
        h.stop();
        h.call("shutdown", |s| {
            let server = std::mem::replace(s, Server::bind("127.0.0.1:0").expect("bind"));
            server.shutdown();
        });
        a.expect("EXIT");
    }

    /// A line typed on its standard input is a `NOTICE` to every logged-in client, and
    /// each is reported on standard error; `/quit` sends `EXIT` to everyone and ends it.
    #[test]
    fn typed_lines_are_notices_and_quit_ends_everyone() {
        library_works();
        let Some(mut server) = Running::start() else {
            return;
        };
        let mut a = server.login("a");
        server.type_line("maintenance at 10:00, 请保存");
        a.expect("NOTICE maintenance at 10:00, 请保存");
        assert_eq!(
            server.next_log("notice sent to 1 client(s)"),
            "notice sent to 1 client(s)"
        );
        server.type_line("");
        assert_eq!(
            server.next_log("notice not sent: missing text"),
            "notice not sent: missing text"
        );
        server.type_line("/quit");
        a.expect("EXIT");
        a.expect_closed();
        // It ends: its standard error closes, then it exits with success.
        while server.log.recv_timeout(WAIT).is_ok() {}
        let status = server.child.wait().expect("wait for the program");
        assert!(
            status.success(),
            "{}",
            say!(
                "after /quit the program should exit with success, got {status}",
                "输入 /quit 之后程序应当成功退出，却是 {status}"
            )
        );
        assert_quiet(&server.stdout());
    }

    /// With its standard input closed (run in the background, `< /dev/null`), the program
    /// goes on serving: only `/quit` or a signal ends it.
    #[test]
    fn the_server_serves_on_when_its_input_closes() {
        library_works();
        let Some(mut server) = Running::start() else {
            return;
        };
        let mut a = server.login("a");
        drop(server.stdin.take());
        let mut b = server.login("b");
        a.expect("JOIN b");
        b.send("C b still here\n");
        a.expect("MSG b still here");
        assert!(
            matches!(server.child.try_wait(), Ok(None)),
            "{}",
            say!(
                "the program ended after its standard input closed",
                "标准输入关闭之后程序结束了"
            )
        );
        assert_quiet(&server.stdout());
    }
}

// ---------------------------------------------------------------------------------------
// Scripted sessions against a model of who should receive what.

mod session {
    use super::*;

    pub const SLOTS: usize = 4;
    pub const NAMES: [&str; 3] = ["a", "bob", "小明"];
    pub const TEXTS: [&str; 4] = ["hi", "hello world", " spaced  out ", "你好，世界"];
    /// Bad lines (as bytes) and the refusal each gets, whoever sends it.
    pub fn bad_line(i: usize) -> (Vec<u8>, String) {
        match i % 4 {
            0 => (b"HELLO".to_vec(), "ERR unknown command \"HELLO\"".into()),
            1 => (
                b"L a b".to_vec(),
                "ERR name has whitespace at byte 3".into(),
            ),
            2 => (
                vec![b'x'; MAX_LINE + 1],
                "ERR line too long (limit 1024 bytes)".into(),
            ),
            _ => (b"C a \xff".to_vec(), "ERR invalid UTF-8 at byte 4".into()),
        }
    }

    #[derive(Debug, Clone)]
    pub enum Act {
        Login(usize, usize),
        Chat(usize, usize, usize),
        Quit(usize, usize),
        Disconnect(usize),
        Bad(usize, usize),
        Notice(usize),
    }

    struct Slot {
        client: Client,
        name: Option<String>,
    }

    /// Plays acts against a server, checking each client gets what the model says.
    pub struct Session {
        h: Harness,
        slots: Vec<Option<Slot>>,
        /// What happened, line by line (for the snapshot).
        pub log: Vec<String>,
    }

    impl Session {
        pub fn new() -> Session {
            Session {
                h: Harness::start(),
                slots: (0..SLOTS).map(|_| None).collect(),
                log: Vec::new(),
            }
        }

        fn logged_in(&self, name: &str) -> bool {
            self.slots
                .iter()
                .flatten()
                .any(|s| s.name.as_deref() == Some(name))
        }

        fn connected(&self) -> usize {
            self.slots.iter().flatten().count()
        }

        fn send(&mut self, s: usize, bytes: &[u8]) {
            // Quoted, so spaces at the ends show; bytes that are not UTF-8 escaped.
            let shown = match std::str::from_utf8(bytes) {
                Ok(text) if text.len() > 40 => {
                    format!("{:?}... ({} bytes)", &text[..20], bytes.len())
                }
                Ok(text) => format!("{text:?}"),
                Err(_) => format!("b\"{}\"", bytes.escape_ascii()),
            };
            self.log.push(format!("c{s}> {shown}"));
            let slot = self.slots[s].as_mut().expect("connected");
            slot.client.send(bytes);
            slot.client.send("\n");
        }

        /// Every logged-in client but `except`.
        fn others(&self, except: usize) -> Vec<usize> {
            (0..SLOTS)
                .filter(|&i| {
                    i != except && self.slots[i].as_ref().is_some_and(|s| s.name.is_some())
                })
                .collect()
        }

        pub fn play(&mut self, act: &Act) {
            let actor = match *act {
                Act::Login(s, _)
                | Act::Chat(s, _, _)
                | Act::Quit(s, _)
                | Act::Disconnect(s)
                | Act::Bad(s, _) => Some(s),
                Act::Notice(_) => None,
            };
            if let Some(s) = actor
                && self.slots[s].is_none()
            {
                self.log.push(format!("c{s} connects"));
                self.slots[s] = Some(Slot {
                    client: self.h.connect(&format!("c{s}")),
                    name: None,
                });
            }
            let mut expect: Vec<Vec<String>> = vec![Vec::new(); SLOTS];
            let mut closes = None;
            match *act {
                Act::Login(s, n) => {
                    let name = NAMES[n];
                    self.send(s, format!("L {name}").as_bytes());
                    let me = self.slots[s].as_ref().unwrap().name.clone();
                    if let Some(me) = me {
                        expect[s].push(format!("ERR already logged in as {me}"));
                    } else if self.logged_in(name) {
                        expect[s].push(format!("ERR name taken: {name}"));
                    } else {
                        expect[s].push("OK".into());
                        for o in self.others(s) {
                            expect[o].push(format!("JOIN {name}"));
                        }
                        self.slots[s].as_mut().unwrap().name = Some(name.into());
                    }
                }
                Act::Chat(s, n, t) => {
                    let (name, text) = (NAMES[n], TEXTS[t]);
                    self.send(s, format!("C {name} {text}").as_bytes());
                    match self.slots[s].as_ref().unwrap().name.clone() {
                        None => expect[s].push("ERR not logged in".into()),
                        Some(me) if me != name => {
                            expect[s].push(format!("ERR you are {me}, not {name}"))
                        }
                        Some(_) => {
                            for o in self.others(s) {
                                expect[o].push(format!("MSG {name} {text}"));
                            }
                        }
                    }
                }
                Act::Quit(s, n) => {
                    let name = NAMES[n];
                    self.send(s, format!("Q {name}").as_bytes());
                    match self.slots[s].as_ref().unwrap().name.clone() {
                        None => expect[s].push("ERR not logged in".into()),
                        Some(me) if me != name => {
                            expect[s].push(format!("ERR you are {me}, not {name}"))
                        }
                        Some(_) => {
                            expect[s].push("EXIT".into());
                            for o in self.others(s) {
                                expect[o].push(format!("LEAVE {name}"));
                            }
                            closes = Some(s);
                        }
                    }
                }
                Act::Disconnect(s) => {
                    self.log.push(format!("c{s} disconnects"));
                    let slot = self.slots[s].take().unwrap();
                    if let Some(name) = slot.name {
                        for o in self.others(s) {
                            expect[o].push(format!("LEAVE {name}"));
                        }
                    }
                    drop(slot.client);
                }
                Act::Bad(s, i) => {
                    let (line, reply) = bad_line(i);
                    self.send(s, &line);
                    expect[s].push(reply);
                }
                Act::Notice(t) => {
                    let text = TEXTS[t];
                    self.log.push(format!("admin> {text:?}"));
                    let sent = self.h.paused("notice", move |server| server.notice(text));
                    let others = self.others(usize::MAX);
                    assert_eq!(
                        sent,
                        Ok(others.len()),
                        "{}",
                        say!(
                            "notice({text:?}) should reach every logged-in client",
                            "notice({text:?}) 应送达每个已登录的客户端"
                        )
                    );
                    for o in others {
                        expect[o].push(format!("NOTICE {text}"));
                    }
                }
            }
            if let Some(s) = closes {
                let mut slot = self.slots[s].take().unwrap();
                self.read_expected(act, s, &mut slot.client, &expect[s]);
                slot.client.expect_closed();
                self.log.push(format!("    c{s} closed by the server"));
            }
            if matches!(act, Act::Quit(..) | Act::Disconnect(..)) {
                // The one that left must leave the server's table before the next act
                // (its name is free for the next login).
                self.h.stop();
                let n = self.connected();
                let held = self.h.settle(n);
                assert_eq!(
                    held,
                    n,
                    "{}",
                    say!(
                        "after {act:?}, connections() should count {n}, got {held}",
                        "{act:?} 之后，connections() 应为 {n}，却是 {held}"
                    )
                );
                self.h.go();
            }
            // Every client still connected is pinged with an empty line (answered
            // `ERR empty line`), the actor first, so its act is handled before anyone
            // else's ping. The ping's reply must come right after the lines the model
            // expects: a missing line or an extra one shows at once, without waiting.
            let order = actor
                .into_iter()
                .chain((0..SLOTS).filter(|&s| Some(s) != actor));
            for s in order {
                let Some(mut slot) = self.slots[s].take() else {
                    continue;
                };
                slot.client.send("\n");
                self.read_expected(act, s, &mut slot.client, &expect[s]);
                let got = slot.client.line_expecting(Some("ERR empty line"));
                assert_eq!(
                    got,
                    "ERR empty line",
                    "{}",
                    say!(
                        "after {act:?}, c{s} got {got:?}, which the model does not expect there (it \
                         expected nothing more, then the reply to an empty line)",
                        "{act:?} 之后，c{s} 收到了 {got:?}，模型认为这里不该有它（它预期不再有别的，然后是对空行的回复）"
                    )
                );
                self.slots[s] = Some(slot);
            }
        }

        /// Reads the lines the model expects client `s` to get after `act`.
        fn read_expected(&mut self, act: &Act, s: usize, client: &mut Client, lines: &[String]) {
            for line in lines {
                let got = client.line_expecting(Some(line));
                self.log.push(format!("    c{s}< {got:?}"));
                assert_eq!(
                    &got,
                    line,
                    "{}",
                    say!(
                        "after {act:?}, c{s} expected {line:?}, got {got:?}",
                        "{act:?} 之后，c{s} 应收到 {line:?}，却收到 {got:?}"
                    )
                );
            }
        }

        /// Nothing more is on its way to anyone, and the server's tables are clean.
        pub fn finish(mut self) {
            let logged_in = self.others(usize::MAX).len();
            let sent = self.h.paused("notice", |server| server.notice("end"));
            assert_eq!(
                sent,
                Ok(logged_in),
                "{}",
                say!(
                    "notice(\"end\") should reach every logged-in client",
                    "notice(\"end\") 应送达每个已登录的客户端"
                )
            );
            for (s, slot) in self.slots.iter_mut().enumerate() {
                let Some(slot) = slot else { continue };
                // The next line of each is the last notice (or, not logged in, the reply
                // to one more line): nothing else arrived before it.
                if slot.name.is_some() {
                    let got = slot.client.line();
                    assert_eq!(
                        got,
                        "NOTICE end",
                        "{}",
                        say!(
                            "c{s} got {got:?} that no act explains",
                            "c{s} 收到了 {got:?}，没有哪个动作能解释它"
                        )
                    );
                } else {
                    slot.client.send("\n");
                    let got = slot.client.line();
                    assert_eq!(
                        got,
                        "ERR empty line",
                        "{}",
                        say!(
                            "c{s} got {got:?} that no act explains",
                            "c{s} 收到了 {got:?}，没有哪个动作能解释它"
                        )
                    );
                }
            }
            self.h.stop();
            let n = self.connected();
            assert_eq!(
                self.h.settle(n),
                n,
                "{}",
                say!(
                    "connections() should count the {n} connected clients",
                    "connections() 应为已连接的 {n} 个客户端"
                )
            );
            self.h.assert_idle();
        }
    }
}

mod transcript {
    use super::session::{Act::*, Session};

    #[test]
    fn a_scripted_session() {
        let mut session = Session::new();
        let script = [
            Login(0, 0),   // c0: L a
            Login(1, 1),   // c1: L bob
            Chat(0, 0, 1), // a: hello world
            Login(2, 0),   // c2: L a (taken)
            Chat(2, 0, 0), // not logged in
            Login(2, 2),   // c2: L 小明
            Chat(2, 2, 3), // 小明: 你好，世界
            Chat(1, 0, 0), // bob pretends to be a
            Login(1, 2),   // already logged in
            Bad(1, 0),     // HELLO
            Bad(0, 2),     // too long
            Bad(2, 3),     // invalid UTF-8
            Notice(2),     // admin
            Quit(0, 0),    // a quits
            Chat(1, 1, 2), // bob: " spaced  out "
            Disconnect(2), // 小明 vanishes
            Login(3, 0),   // c3 takes the free name a
            Chat(3, 0, 0), // a: hi
            Disconnect(1), // bob vanishes
            Chat(3, 0, 1), // a talks to nobody
            Quit(3, 0),    // a quits
        ];
        for act in &script {
            session.play(act);
        }
        let log = session.log.join("\n");
        session.finish();
        insta::assert_snapshot!(log);
    }
}

mod model {
    use super::session::{Act, NAMES, SLOTS, Session, TEXTS};
    use proptest::prelude::*;

    fn act() -> impl Strategy<Value = Act> {
        let slot = 0..SLOTS;
        let name = 0..NAMES.len();
        let text = 0..TEXTS.len();
        prop_oneof![
            4 => (slot.clone(), name.clone()).prop_map(|(s, n)| Act::Login(s, n)),
            5 => (slot.clone(), name.clone(), text.clone()).prop_map(|(s, n, t)| Act::Chat(s, n, t)),
            2 => (slot.clone(), name).prop_map(|(s, n)| Act::Quit(s, n)),
            2 => slot.clone().prop_map(Act::Disconnect),
            1 => (slot, 0..4usize).prop_map(|(s, i)| Act::Bad(s, i)),
            1 => text.prop_map(Act::Notice),
        ]
    }

    proptest! {
        // Each case opens sockets and a server: few cases, and shrinking bounded in time.
        #![proptest_config(ProptestConfig {
            cases: 24,
            max_shrink_time: 1500,
            max_shrink_iters: 200,
            ..ProptestConfig::default()
        })]

        /// Random scripts of logins, chats, quits, disconnects, bad lines and notices:
        /// every client gets exactly what the model says, in order, and nothing else.
        #[test]
        fn every_client_gets_what_the_model_says(acts in prop::collection::vec(act(), 1..30)) {
            let mut session = Session::new();
            for act in &acts {
                session.play(act);
            }
            session.finish();
        }
    }
}
