//! The suite of the file_io kata (文件读写). It grades both `exercises/file_io` (your
//! code) and `solutions/file_io` (the reference): both crates name this file as their
//! test.
//!
//! Test names follow `exercises/file_io/README.md`, "What the tests check": one module
//! per function (`copy_chunked::...`, `tail::...`), and `corrections` for the README's
//! corrections to the course notes.
//!
//! Files live in fresh folders under the system's temp directory, removed when the test
//! ends. Two tests measure the peak heap with a process-wide counter
//! (`support/heap.rs`): each runs its measuring part in a child process of its own
//! (`support/child.rs`), so no other test allocates beside it.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

#[path = "support/child.rs"]
mod child;

#[path = "support/heap.rs"]
mod heap;

#[path = "support/io_counts.rs"]
mod io_counts;

#[path = "support/scripted_io.rs"]
mod scripted_io;

use std::fs;
use std::io::{self, Cursor, ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use file_io::*;
use io_counts::Counting;
use proptest::prelude::*;
use quickcheck_macros::quickcheck;
use rstest::rstest;
use scripted_io::{Scripted, Step};

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// A fresh folder under the temp directory, removed (with what it holds) on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        // Unique to the call: tests run on several threads of one process.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "file_io-{}-{}-{tag}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create a folder in the temp directory");
        TempDir(dir)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Bytes as a quoted string, for messages (invalid UTF-8 shown as U+FFFD).
fn show(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

fn show_lines(lines: &[Vec<u8>]) -> String {
    let shown: Vec<String> = lines.iter().map(|l| show(l)).collect();
    format!("[{}]", shown.join(", "))
}

/// How `got` differs from `expected`, for messages about data too long to show whole:
/// both lengths and the first byte where they part.
fn first_difference(got: &[u8], expected: &[u8]) -> String {
    let at = got
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(expected.len()));
    say!(
        "{} bytes where {} were expected; they first differ at byte {at}",
        "得到 {} 字节，应为 {} 字节；第一个不同在第 {at} 字节",
        got.len(),
        expected.len()
    )
}

/// `len` bytes from a small fixed generator seeded by `seed`: big inputs cost proptest
/// two numbers, and shrink by their length.
fn pseudo_random(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Bytes with many newlines: what line-oriented functions should be tried on.
fn text_bytes(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        3 => Just(b'\n'),
        6 => b'a'..=b'e',
        1 => any::<u8>(),
    ];
    proptest::collection::vec(byte, 0..=max_len)
}

/// The lines of `data` as the spec defines them: `split_inclusive` on `\n`.
fn lines_of(data: &[u8]) -> Vec<Vec<u8>> {
    data.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

#[track_caller]
fn expect_ok<T>(result: io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|e| {
        panic!(
            "{}",
            say!(
                "{what} returned the error \"{e}\" ({:?}); expected it to succeed",
                "{what} 返回了错误“{e}”（{:?}）；它应该成功",
                e.kind()
            )
        )
    })
}

#[track_caller]
fn expect_error<T: std::fmt::Debug>(result: io::Result<T>, kind: ErrorKind, what: &str) {
    match result {
        Err(e) => assert_eq!(
            e.kind(),
            kind,
            "{}",
            say!(
                "{what} failed as it should, but with the kind {:?} (\"{e}\"); expected {kind:?}",
                "{what} 正确地失败了，但错误类型是 {:?}（“{e}”）；应为 {kind:?}",
                e.kind()
            )
        ),
        Ok(value) => panic!(
            "{}",
            say!(
                "{what} returned Ok({value:?}); expected an error of the kind {kind:?}",
                "{what} 返回了 Ok({value:?})；应该返回 {kind:?} 类型的错误"
            )
        ),
    }
}

/// A reader of `len` bytes of a fixed pattern of 16-byte lines, generated as it is
/// read: big inputs that take no memory.
struct PatternLines {
    left: u64,
    at: usize,
}

const PATTERN_LINE: &[u8; 16] = b"0123456789abcde\n";

impl PatternLines {
    fn new(len: u64) -> PatternLines {
        PatternLines { left: len, at: 0 }
    }
}

impl Read for PatternLines {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.left as usize);
        for slot in &mut buf[..n] {
            *slot = PATTERN_LINE[self.at];
            self.at = (self.at + 1) % PATTERN_LINE.len();
        }
        self.left -= n as u64;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------
// The mode table (打开方式)
// ---------------------------------------------------------------------------------

mod parse_mode {
    use super::*;

    /// The course's six modes; each also comes with `b`.
    const MODES: [&str; 6] = ["r", "w", "a", "r+", "w+", "a+"];

    /// What happens to a file opened with `mode`: read to the end right after opening,
    /// then seek to 0 and write "XY", then what the file holds. `existing`: the file's
    /// bytes before, or `None` when it does not exist.
    fn probe(mode: &str, existing: Option<&[u8]>) -> [String; 4] {
        let dir = TempDir::new("mode");
        let path = dir.join("f.txt");
        if let Some(bytes) = existing {
            fs::write(&path, bytes).expect("write the file to open");
        }
        let mut file = match open(&path, mode) {
            Ok(file) => file,
            Err(e) => {
                let created = if path.exists() {
                    say!(" (but created the file)", "（但创建了文件）")
                } else {
                    String::new()
                };
                return [
                    format!("{:?}{created}", e.kind()),
                    "".into(),
                    "".into(),
                    "".into(),
                ];
            }
        };
        let opened = if existing.is_some() {
            "opened"
        } else {
            "created"
        };
        let mut read = Vec::new();
        let read = match file.read_to_end(&mut read) {
            Ok(_) => show(&read),
            Err(_) => "error".to_string(),
        };
        let write = match file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(b"XY"))
        {
            Ok(()) => "ok",
            Err(_) => "error",
        };
        drop(file);
        let after = show(&fs::read(&path).expect("read the file back"));
        [opened.to_string(), read, write.to_string(), after]
    }

    fn row(mode: &str) -> String {
        let missing = probe(mode, None);
        let hello = probe(mode, Some(b"hello"));
        format!(
            "{:<5} {:<9}{:<9}{:<7}{:<10}| {:<9}{:<7}{}",
            mode, missing[0], missing[1], missing[2], missing[3], hello[1], hello[2], hello[3]
        )
        .trim_end()
        .to_string()
    }

    /// The course's mode table, tried: each mode against a missing file and a file
    /// holding "hello".
    #[test]
    fn table() {
        let mut table = vec![
            "read: read to the end right after opening; write: seek(0), then write \"XY\"; file: what it holds then".to_string(),
            String::new(),
            "      file missing                        | file holding \"hello\"".to_string(),
            "mode  open     read     write  file      | read     write  file".to_string(),
        ];
        table.extend(MODES.iter().map(|mode| row(mode)));
        insta::assert_snapshot!("mode_table", table.join("\n"));
    }

    /// `b` is accepted after the letter, before or after the `+`, and changes nothing.
    #[rstest]
    fn b_changes_nothing(#[values("r", "w", "a")] letter: &str, #[values(false, true)] plus: bool) {
        let base = if plus {
            format!("{letter}+")
        } else {
            letter.to_string()
        };
        let expected = row(&base);
        let variants = if plus {
            vec![format!("{letter}b+"), format!("{letter}+b")]
        } else {
            vec![format!("{letter}b")]
        };
        for variant in variants {
            let got = row(&variant);
            assert_eq!(
                got[variant.len()..].trim_start(),
                expected[base.len()..].trim_start(),
                "{}",
                say!(
                    "the mode {variant:?} should behave exactly as {base:?} (b changes nothing in Rust)",
                    "模式 {variant:?} 的行为应与 {base:?} 完全相同（在 Rust 里 b 不改变任何东西）"
                )
            );
        }
    }

    /// Strings that are not in the table: an error that names the mode, and `open`
    /// creates nothing.
    #[rstest]
    #[case::empty("")]
    #[case::both_letters("rw")]
    #[case::exclusive("x")]
    #[case::text("rt")]
    #[case::capital("R")]
    #[case::b_first("br")]
    #[case::b_alone("b")]
    #[case::plus_alone("+")]
    #[case::two_plus("r++")]
    #[case::two_b("rbb")]
    #[case::space_after("w ")]
    #[case::space_before(" a")]
    #[case::python_u("rU")]
    #[case::chinese("读")]
    fn refused(#[case] mode: &str) {
        match parse_mode(mode) {
            Err(e) => assert_eq!(
                e,
                ModeError {
                    mode: mode.to_string()
                },
                "{}",
                say!(
                    "the ModeError should hold the mode as given",
                    "ModeError 应保存原样的模式字符串"
                )
            ),
            Ok(_) => panic!(
                "{}",
                say!(
                    "parse_mode({mode:?}) accepted a mode that is not in the table",
                    "parse_mode({mode:?}) 接受了一个不在表中的模式"
                )
            ),
        }
        let dir = TempDir::new("refused");
        let path = dir.join("f.txt");
        expect_error(
            open(&path, mode),
            ErrorKind::InvalidInput,
            &format!("open(path, {mode:?})"),
        );
        assert!(
            !path.exists(),
            "{}",
            say!(
                "open with the unknown mode {mode:?} created the file",
                "用未知模式 {mode:?} 打开时创建了文件"
            )
        );
    }

    /// Every mode string of the table, and nothing else.
    fn accepted(mode: &str) -> bool {
        let mut chars = mode.chars();
        matches!(chars.next(), Some('r' | 'w' | 'a'))
            && matches!(chars.as_str(), "" | "b" | "+" | "b+" | "+b")
    }

    proptest! {
        #[test]
        fn only_the_table(mode in "[rwab+xt ]{0,4}") {
            prop_assert_eq!(
                parse_mode(&mode).is_ok(),
                accepted(&mode),
                "{}",
                say!(
                    "parse_mode({:?}) should {} it",
                    "parse_mode({:?}) 应该{}它",
                    mode,
                    if accepted(&mode) { say!("accept", "接受") } else { say!("refuse", "拒绝") }
                )
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Copying in chunks (分块读写)
// ---------------------------------------------------------------------------------

mod copy_chunked {
    use super::*;

    #[rstest]
    #[case::empty(0, 1)]
    #[case::one_byte(1, 1)]
    #[case::hello_in_twos(5, 2)]
    #[case::exactly_one_chunk(4096, 4096)]
    #[case::one_more_than_a_chunk(4097, 4096)]
    #[case::many_chunks(10_000, 3)]
    #[case::chunk_bigger_than_data(100, 8192)]
    fn examples(#[case] len: usize, #[case] chunk: usize) {
        let data = pseudo_random(len, 7);
        let mut reader = Counting::new(Cursor::new(data.clone()));
        let mut out = Vec::new();
        let what = format!("copy_chunked({len} bytes, chunk {chunk})");
        let copied = expect_ok(copy_chunked(&mut reader, &mut out, chunk), &what);
        assert_eq!(
            copied,
            len as u64,
            "{}",
            say!(
                "{what}: the count returned (left) should be the length (right)",
                "{what}：返回的字节数（left）应等于长度（right）"
            )
        );
        assert!(
            out == data,
            "{}",
            say!(
                "{what}: the copy differs from the input: {}",
                "{what}：复制结果与输入不同：{}",
                first_difference(&out, &data)
            )
        );
        let largest = reader.counts.largest_read_request;
        assert!(
            largest <= chunk,
            "{}",
            say!(
                "{what}: a read asked for {largest} bytes, more than the buffer of {chunk}",
                "{what}：有一次 read 请求了 {largest} 字节，超过了 {chunk} 字节的缓冲区"
            )
        );
    }

    /// Worked short reads and writes: "hello world" through a reader that gives 1 byte,
    /// is interrupted, then gives 2 bytes, into a writer that takes 1 byte, is
    /// interrupted, then takes 3.
    #[rstest]
    #[case::short_reads(&[Step::Upto(1), Step::Upto(2), Step::Upto(1)], &[])]
    #[case::interrupted_read(&[Step::Upto(1), Step::Interrupted, Step::Upto(2)], &[])]
    #[case::short_writes(&[], &[Step::Upto(1), Step::Upto(3)])]
    #[case::interrupted_write(&[], &[Step::Upto(1), Step::Interrupted, Step::Upto(3)])]
    #[case::everything(&[Step::Interrupted, Step::Upto(1), Step::Interrupted], &[Step::Interrupted, Step::Upto(1)])]
    fn short_io_examples(#[case] reads: &[Step], #[case] writes: &[Step]) {
        let what = format!(
            "copy_chunked(\"hello world\", chunk 4) with reads {reads:?} and writes {writes:?}"
        );
        let mut reader = Scripted::new(Cursor::new(b"hello world".to_vec())).reads(reads.to_vec());
        let mut writer = Scripted::new(Vec::new()).writes(writes.to_vec());
        let copied = expect_ok(copy_chunked(&mut reader, &mut writer, 4), &what);
        assert_eq!(
            copied,
            11,
            "{}",
            say!(
                "{what}: the count returned (left) should be 11 (right)",
                "{what}：返回的字节数（left）应为 11（right）"
            )
        );
        assert_eq!(
            show(writer.get_ref()),
            show(b"hello world"),
            "{}",
            say!(
                "{what}: the bytes written (left), and what they should be (right)",
                "{what}：写出的字节（left）与应有的字节（right）"
            )
        );
    }

    /// From one real file to another, opened with your `open`.
    #[test]
    fn between_files() {
        let dir = TempDir::new("copy");
        let data = pseudo_random(100_000, 3);
        fs::write(dir.join("src"), &data).expect("write the source file");
        let mut src = expect_ok(open(dir.join("src"), "rb"), "open(src, \"rb\")");
        let mut dst = expect_ok(open(dir.join("dst"), "wb"), "open(dst, \"wb\")");
        let what = "copy_chunked(a file of 100,000 bytes, a new file, 1000)";
        let copied = expect_ok(copy_chunked(&mut src, &mut dst, 1000), what);
        drop(dst);
        assert_eq!(
            copied,
            data.len() as u64,
            "{}",
            say!(
                "{what}: the count returned (left) should be the length (right)",
                "{what}：返回的字节数（left）应等于长度（right）"
            )
        );
        let copy = fs::read(dir.join("dst")).expect("read the copy");
        assert!(
            copy == data,
            "{}",
            say!(
                "{what}: the copied file differs from the source: {}",
                "{what}：复制出的文件与源文件不同：{}",
                first_difference(&copy, &data)
            )
        );
    }

    #[test]
    fn bad_input() {
        let mut out = Vec::new();
        expect_error(
            copy_chunked(&mut Cursor::new(b"hello".to_vec()), &mut out, 0),
            ErrorKind::InvalidInput,
            "copy_chunked(.., chunk 0)",
        );
        assert!(
            out.is_empty(),
            "{}",
            say!(
                "a refused copy wrote {}",
                "被拒绝的复制写入了 {}",
                show(&out)
            )
        );
    }

    /// A chunk past `MAX_BUFFER` is no error: the buffer stops at `MAX_BUFFER` bytes
    /// (`vec![0; usize::MAX]` panics, and a terabyte cannot be allocated).
    #[rstest]
    #[case::just_past_the_cap(MAX_BUFFER + 1)]
    #[case::a_tebibyte(1 << 40)]
    #[case::usize_max(usize::MAX)]
    fn huge_sizes(#[case] chunk: usize) {
        let data = pseudo_random(2 * MAX_BUFFER + 5, 11);
        let mut reader = Counting::new(Cursor::new(data.clone()));
        let mut out = Vec::new();
        let what = format!("copy_chunked(2 MiB + 5 bytes, chunk {chunk})");
        let copied = expect_ok(copy_chunked(&mut reader, &mut out, chunk), &what);
        assert_eq!(
            copied,
            data.len() as u64,
            "{}",
            say!(
                "{what}: the count returned (left) should be the length (right)",
                "{what}：返回的字节数（left）应等于长度（right）"
            )
        );
        assert!(
            out == data,
            "{}",
            say!(
                "{what}: the copy differs from the input ({} bytes copied, {} expected)",
                "{what}：复制结果与输入不同（复制了 {} 字节，应为 {}）",
                out.len(),
                data.len()
            )
        );
        let largest = reader.counts.largest_read_request;
        assert!(
            largest <= MAX_BUFFER,
            "{}",
            say!(
                "{what}: a read asked for {largest} bytes, more than MAX_BUFFER ({MAX_BUFFER}): \
                 the buffer must stop at MAX_BUFFER bytes",
                "{what}：有一次 read 请求了 {largest} 字节，超过了 MAX_BUFFER（{MAX_BUFFER}）：\
                 缓冲区最多只能有 MAX_BUFFER 字节"
            )
        );
    }

    /// An error that is not `Interrupted`, on either side, reaches the caller.
    #[test]
    fn errors_reach_the_caller() {
        let mut reader = Scripted::new(Cursor::new(b"hello world".to_vec()))
            .reads([Step::Upto(3), Step::Fail(ErrorKind::ConnectionReset)]);
        expect_error(
            copy_chunked(&mut reader, &mut Vec::new(), 4),
            ErrorKind::ConnectionReset,
            "copy_chunked from a reader that fails",
        );
        let mut writer =
            Scripted::new(Vec::new()).writes([Step::Upto(2), Step::Fail(ErrorKind::BrokenPipe)]);
        expect_error(
            copy_chunked(&mut Cursor::new(b"hello world".to_vec()), &mut writer, 4),
            ErrorKind::BrokenPipe,
            "copy_chunked into a writer that fails",
        );
        // A writer that takes nothing (`Ok(0)`: a full fixed-size buffer) must not be
        // offered the same bytes forever.
        let mut full = [0u8; 4];
        expect_error(
            copy_chunked(
                &mut Cursor::new(b"hello world".to_vec()),
                &mut Cursor::new(&mut full[..]),
                4,
            ),
            ErrorKind::WriteZero,
            "copy_chunked into a writer with room for 4 bytes",
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Up to 64 KiB through short reads, `Interrupted` and short writes.
        #[test]
        fn through_short_io(
            len in 0..=65_536usize,
            seed in any::<u64>(),
            chunk in prop_oneof![1..=16usize, 1..=4096usize],
            reads in scripted_io::steps(64, 5000),
            writes in scripted_io::steps(64, 5000),
        ) {
            let data = pseudo_random(len, seed);
            let mut reader = Counting::new(Scripted::new(Cursor::new(data.clone())).reads(reads));
            let mut writer = Scripted::new(Vec::new()).writes(writes);
            let result = copy_chunked(&mut reader, &mut writer, chunk);
            let copied = match result {
                Ok(n) => n,
                Err(e) => return Err(TestCaseError::fail(say!(
                    "copy_chunked returned the error \"{}\" ({:?}): a short read or write is not an error, and Interrupted means try again",
                    "copy_chunked 返回了错误“{}”（{:?}）：读少了或写少了都不是错误，Interrupted 的意思是再试一次",
                    e, e.kind()
                ))),
            };
            prop_assert_eq!(copied, len as u64, "{}", say!(
                "copy_chunked({} bytes, chunk {}): the count returned (left) should be the length (right)",
                "copy_chunked({} 字节, chunk {})：返回的字节数（left）应等于长度（right）",
                len, chunk
            ));
            let out = writer.into_inner();
            prop_assert!(out == data, "{}", say!(
                "copy_chunked({} bytes, chunk {}): the copy differs from the input: {}",
                "copy_chunked({} 字节, chunk {})：复制结果与输入不同：{}",
                len, chunk, first_difference(&out, &data)
            ));
            let largest = reader.counts.largest_read_request;
            prop_assert!(largest <= chunk, "{}", say!(
                "copy_chunked({} bytes, chunk {}): a read asked for {} bytes, more than the buffer of {}",
                "copy_chunked({} 字节, chunk {})：有一次 read 请求了 {} 字节，超过了 {} 字节的缓冲区",
                len, chunk, largest, chunk
            ));
        }
    }

    /// A copy changes nothing.
    #[quickcheck]
    fn law_copy_is_identity(data: Vec<u8>, chunk: u16) -> bool {
        let chunk = usize::from(chunk % 64) + 1;
        let mut out = Vec::new();
        copy_chunked(&mut Cursor::new(data.clone()), &mut out, chunk).ok()
            == Some(data.len() as u64)
            && out == data
    }

    const BIG: u64 = 64 << 20;
    /// What a copy may allocate besides its buffer.
    const SLACK: usize = 4096;

    /// 64 MiB streamed from a generated reader into a sink: the peak heap stays within
    /// the buffer plus 4 KiB, and a chunk of `usize::MAX` has a buffer of `MAX_BUFFER`.
    /// Measured in a child process of its own (see `heap.rs`).
    #[test]
    fn peak_heap() {
        if child::role().as_deref() == Some("measure") {
            for chunk in [512, 64 * 1024, usize::MAX] {
                let mut reader = io::repeat(b'x').take(BIG);
                let mut sink = Counting::new(io::sink());
                let (result, peak) =
                    heap::peak_during(|| copy_chunked(&mut reader, &mut sink, chunk));
                let what = format!("copy_chunked(64 MiB, chunk {chunk})");
                let copied = expect_ok(result, &what);
                assert_eq!(
                    copied,
                    BIG,
                    "{}",
                    say!(
                        "{what}: the count returned (left) should be 64 MiB (right)",
                        "{what}：返回的字节数（left）应为 64 MiB（right）"
                    )
                );
                assert_eq!(
                    sink.counts.bytes_written,
                    BIG,
                    "{}",
                    say!(
                        "{what}: the bytes that reached the writer (left) should be 64 MiB (right)",
                        "{what}：到达写入端的字节数（left）应为 64 MiB（right）"
                    )
                );
                let limit = chunk.min(MAX_BUFFER) + SLACK;
                assert!(
                    peak <= limit,
                    "{}",
                    say!(
                        "copy_chunked(64 MiB, chunk {chunk}) had {peak} bytes allocated at once \
                         (at most {limit}: the buffer, never above MAX_BUFFER, plus 4 KiB): \
                         is the data read into memory (read_to_end)?",
                        "copy_chunked(64 MiB, chunk {chunk}) 同一时刻分配了 {peak} 字节\
                         （最多 {limit}：缓冲区，不超过 MAX_BUFFER，再加 4 KiB）：\
                         是不是把数据整个读进了内存（read_to_end）？"
                    )
                );
            }
            return;
        }
        let out = child::run("copy_chunked::peak_heap", "measure", |_| {});
        assert!(child::passed(&out), "{}", child::describe(&out));
    }
}

// ---------------------------------------------------------------------------------
// Writing lines through a buffer (缓冲区)
// ---------------------------------------------------------------------------------

mod write_lines {
    use super::*;

    #[rstest]
    #[case::none(&[], "")]
    #[case::one(&["hello"], "hello\n")]
    #[case::empty_lines(&["", ""], "\n\n")]
    #[case::chinese(&["你好", "world"], "你好\nworld\n")]
    #[case::spaces_kept(&[" a ", "b  "], " a \nb  \n")]
    fn examples(#[case] lines: &[&str], #[case] expected: &str) {
        let mut out = Vec::new();
        expect_ok(
            write_lines(&mut out, lines),
            &format!("write_lines({lines:?})"),
        );
        assert_eq!(
            String::from_utf8_lossy(&out),
            expected,
            "{}",
            say!(
                "write_lines({lines:?}): what was written (left), and what should be (right)",
                "write_lines({lines:?})：写出的内容（left）与应有的内容（right）"
            )
        );
    }

    /// Into a real file opened with your `open`.
    #[test]
    fn into_a_file() {
        let dir = TempDir::new("lines");
        let path = dir.join("out.txt");
        let file = expect_ok(open(&path, "w"), "open(path, \"w\")");
        let lines: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        expect_ok(write_lines(file, &lines), "write_lines(file, 100 lines)");
        let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let written = fs::read(&path).expect("read the file back");
        assert!(
            written == expected.as_bytes(),
            "{}",
            say!(
                "write_lines(a file opened with \"w\", \"line 0\" to \"line 99\"): the file differs from the lines, each followed by \\n: {}",
                "write_lines（用 \"w\" 打开的文件, \"line 0\" 到 \"line 99\"）：文件内容与这些行（每行后跟 \\n）不同：{}",
                first_difference(&written, expected.as_bytes())
            )
        );
    }

    /// 1,000 lines of 8 bytes (and their newlines) through a buffer of 8 KiB: at most
    /// 2 writes reach the writer underneath, and it is flushed.
    #[test]
    fn few_underlying_writes() {
        let lines: Vec<String> = (0..1000).map(|i| format!("line{i:04}")).collect();
        let mut out = Counting::new(Vec::new());
        expect_ok(write_lines(&mut out, &lines), "write_lines(1,000 lines)");
        let writes = out.counts.writes;
        assert!(
            writes <= 2,
            "{}",
            say!(
                "1,000 short lines made {writes} writes of the underlying writer (at most 2): \
                 are they buffered (BufWriter), or written one by one?",
                "1,000 行短行让底层写入端被写了 {writes} 次（最多 2 次）：它们经过缓冲区（BufWriter）了吗，还是逐行写入？"
            )
        );
        assert!(
            out.counts.flushes >= 1,
            "{}",
            say!(
                "write_lines never flushed the writer it was given",
                "write_lines 从未 flush 传给它的写入端"
            )
        );
        let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
        assert!(
            out.get_ref() == expected.as_bytes(),
            "{}",
            say!(
                "write_lines(1,000 lines): the bytes written are not the lines, each followed by \\n: {}",
                "write_lines(1,000 行)：写入的字节不是这些行（每行后跟 \\n）：{}",
                first_difference(out.get_ref(), expected.as_bytes())
            )
        );
    }

    /// A writer that fails, at its first write or at its flush: the error reaches the
    /// caller (a `BufWriter` dropped unflushed would swallow it).
    #[test]
    fn errors_reach_the_caller() {
        let full = Scripted::new(Vec::new()).writes([Step::Fail(ErrorKind::StorageFull)]);
        expect_error(
            write_lines(full, ["a", "b", "c"]),
            ErrorKind::StorageFull,
            "write_lines into a writer whose first write fails",
        );
        let failing_flush = Scripted::new(Vec::new()).failing_flush(ErrorKind::BrokenPipe);
        expect_error(
            write_lines(failing_flush, ["a", "b", "c"]),
            ErrorKind::BrokenPipe,
            "write_lines into a writer whose flush fails",
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn through_short_writes(
            count in 0..2000usize,
            seed in 0..7usize,
            writes in scripted_io::steps(64, 10_000),
        ) {
            // Up to about 30 KB: several buffers' worth, flushed while the lines go in.
            let lines: Vec<String> = (0..count)
                .map(|i| format!("line {i}{}", "你".repeat((i * seed) % 5)))
                .collect();
            let mut out = Scripted::new(Vec::new()).writes(writes);
            if let Err(e) = write_lines(&mut out, &lines) {
                return Err(TestCaseError::fail(say!(
                    "write_lines returned the error \"{}\" ({:?}) on a writer that only takes part of each write",
                    "写入端每次只接受一部分时，write_lines 返回了错误“{}”（{:?}）",
                    e, e.kind()
                )));
            }
            let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
            prop_assert!(out.get_ref() == expected.as_bytes(), "{}", say!(
                "write_lines({} lines) through short writes: the bytes written are not the lines, each followed by \\n: {}",
                "write_lines({} 行) 经过写不完的写入端：写入的字节不是这些行（每行后跟 \\n）：{}",
                count, first_difference(out.get_ref(), expected.as_bytes())
            ));
        }
    }
}

// ---------------------------------------------------------------------------------
// Counting lines (逐行读取)
// ---------------------------------------------------------------------------------

mod count_lines {
    use super::*;

    fn model(data: &[u8]) -> u64 {
        lines_of(data).len() as u64
    }

    #[rstest]
    #[case::empty(b"", 0)]
    #[case::one_without_newline(b"a", 1)]
    #[case::one_with_newline(b"a\n", 1)]
    #[case::last_without_newline(b"a\nb", 2)]
    #[case::only_a_newline(b"\n", 1)]
    #[case::two_empty_lines(b"\n\n", 2)]
    #[case::empty_line_inside(b"a\n\nb\n", 3)]
    #[case::not_utf8(b"\xff\n\xfe", 2)]
    fn examples(#[case] data: &[u8], #[case] expected: u64) {
        let what = format!("count_lines({})", show(data));
        assert_eq!(
            expect_ok(count_lines(Cursor::new(data)), &what),
            expected,
            "{}",
            say!(
                "{what}: the count returned (left), and the lines there are (right)",
                "{what}：返回的行数（left）与实际行数（right）"
            )
        );
    }

    /// Short reads and `Interrupted`: a read that returns 1 byte is not the end, and
    /// `Interrupted` means try again.
    #[test]
    fn short_reads() {
        let script = [
            Step::Upto(1),
            Step::Interrupted,
            Step::Upto(2),
            Step::Interrupted,
        ];
        let reader = Scripted::new(Cursor::new(b"a\nb\nc".to_vec())).reads(script);
        let what = "count_lines(\"a\\nb\\nc\") read 1 byte, interrupted, 2 bytes, interrupted";
        assert_eq!(
            expect_ok(count_lines(reader), what),
            3,
            "{}",
            say!(
                "{what}: the count returned (left) should be 3 (right)",
                "{what}：返回的行数（left）应为 3（right）"
            )
        );
    }

    #[test]
    fn a_real_file() {
        let dir = TempDir::new("count");
        let path = dir.join("f.txt");
        let text: String = (0..10_000).map(|i| format!("{i}\n")).collect();
        fs::write(&path, &text).expect("write the file");
        let file = expect_ok(open(&path, "r"), "open(path, \"r\")");
        let what = "count_lines(a file of the lines \"0\" to \"9999\")";
        assert_eq!(
            expect_ok(count_lines(file), what),
            10_000,
            "{}",
            say!(
                "{what}: the count returned (left) should be 10,000 (right)",
                "{what}：返回的行数（left）应为 10,000（right）"
            )
        );
    }

    proptest! {
        /// Any bytes, through short reads and `Interrupted`: the model's count.
        #[test]
        fn model_through_short_reads(data in text_bytes(3000), reads in scripted_io::steps(64, 100)) {
            let reader = Scripted::new(Cursor::new(data.clone())).reads(reads);
            let got = count_lines(reader).map_err(|e| TestCaseError::fail(say!(
                "count_lines returned the error \"{}\" ({:?}): a short read is not an error, and Interrupted means try again",
                "count_lines 返回了错误“{}”（{:?}）：读少了不是错误，Interrupted 的意思是再试一次",
                e, e.kind()
            )))?;
            prop_assert_eq!(got, model(&data), "{}", say!(
                "count_lines({}) through short reads: the count returned (left), and the lines there are (right)",
                "count_lines({}) 经过读不满的读取端：返回的行数（left）与实际行数（right）",
                show(&data)
            ));
        }
    }

    const BIG: u64 = 16 << 20;
    const LIMIT: usize = 64 * 1024;

    /// 16 MiB of short lines, generated as they are read: at most 64 KiB allocated at
    /// once. Measured in a child process of its own (see `heap.rs`).
    #[test]
    fn peak_heap() {
        if child::role().as_deref() == Some("measure") {
            let (result, peak) = heap::peak_during(|| count_lines(PatternLines::new(BIG)));
            let what = "count_lines(16 MiB of 16-byte lines)";
            let lines = expect_ok(result, what);
            assert_eq!(
                lines,
                BIG / PATTERN_LINE.len() as u64,
                "{}",
                say!(
                    "{what}: the count returned (left), and the lines there are (right)",
                    "{what}：返回的行数（left）与实际行数（right）"
                )
            );
            assert!(
                peak <= LIMIT,
                "{}",
                say!(
                    "counting the lines of 16 MiB had {peak} bytes allocated at once (at most {LIMIT}): \
                     is the input read into memory (read_to_end, read_to_string)?",
                    "数 16 MiB 内容的行数时，同一时刻分配了 {peak} 字节（最多 {LIMIT}）：是不是把输入整个读进了内存（read_to_end、read_to_string）？"
                )
            );
            return;
        }
        let out = child::run("count_lines::peak_heap", "measure", |_| {});
        assert!(child::passed(&out), "{}", child::describe(&out));
    }
}

// ---------------------------------------------------------------------------------
// The last lines (文件偏移量: seeking from the end)
// ---------------------------------------------------------------------------------

mod tail {
    use super::*;

    #[rstest]
    #[case::last_two(b"a\nb\nc\n", 2, 4096, &["b\n", "c\n"])]
    #[case::no_final_newline(b"a\nb\nc", 2, 4096, &["b\n", "c"])]
    #[case::empty_file(b"", 3, 4096, &[])]
    #[case::more_than_there_are(b"a\nb\n", 5, 4096, &["a\n", "b\n"])]
    #[case::zero_lines(b"a\nb\n", 0, 4096, &[])]
    #[case::empty_lines(b"\n\n\n", 2, 4096, &["\n", "\n"])]
    #[case::one_line_no_newline(b"x", 1, 4096, &["x"])]
    #[case::block_of_one(b"one\ntwo\nthree\n", 1, 1, &["three\n"])]
    #[case::block_of_two(b"one\ntwo\nthree\n", 3, 2, &["one\n", "two\n", "three\n"])]
    #[case::block_inside_a_line(b"first line\nsecond line\n", 1, 3, &["second line\n"])]
    fn examples(
        #[case] data: &[u8],
        #[case] n: usize,
        #[case] block: usize,
        #[case] expected: &[&str],
    ) {
        let what = format!("tail({}, {n}, block {block})", show(data));
        let got = expect_ok(tail(&mut Cursor::new(data), n, block), &what);
        let expected: Vec<Vec<u8>> = expected.iter().map(|l| l.as_bytes().to_vec()).collect();
        assert!(
            got == expected,
            "{}",
            say!(
                "{what} gave {}, expected {}",
                "{what} 得到 {}，应为 {}",
                show_lines(&got),
                show_lines(&expected)
            )
        );
    }

    /// On a real file, opened with your `open`.
    #[test]
    fn a_real_file() {
        let dir = TempDir::new("tail");
        let path = dir.join("log.txt");
        let text: String = (1..=1000).map(|i| format!("line {i}\n")).collect();
        fs::write(&path, &text).expect("write the file");
        let mut file = expect_ok(open(&path, "r"), "open(path, \"r\")");
        let what = "tail(a file of \"line 1\\n\" to \"line 1000\\n\", 2, block 64)";
        let got = expect_ok(tail(&mut file, 2, 64), what);
        let expected = [b"line 999\n".to_vec(), b"line 1000\n".to_vec()];
        assert!(
            got == expected,
            "{}",
            say!(
                "{what} gave {}, expected {}",
                "{what} 得到 {}，应为 {}",
                show_lines(&got),
                show_lines(&expected)
            )
        );
    }

    #[test]
    fn bad_input() {
        expect_error(
            tail(&mut Cursor::new(b"a\nb\n"), 1, 0),
            ErrorKind::InvalidInput,
            "tail(.., block 0)",
        );
    }

    /// A block past `MAX_BUFFER`, and `n` as large as it gets, are no error:
    /// `vec![0; usize::MAX]` panics, and a terabyte cannot be allocated.
    #[rstest]
    #[case::block_usize_max(2, usize::MAX)]
    #[case::block_a_tebibyte(2, 1 << 40)]
    #[case::block_just_past_the_cap(2, MAX_BUFFER + 1)]
    #[case::n_usize_max(usize::MAX, 3)]
    #[case::both_usize_max(usize::MAX, usize::MAX)]
    fn huge_sizes(#[case] n: usize, #[case] block: usize) {
        let data = b"a\nb\nc\n";
        let what = format!("tail({}, {n}, block {block})", show(data));
        let got = expect_ok(tail(&mut Cursor::new(data), n, block), &what);
        let lines = lines_of(data);
        let expected = &lines[lines.len().saturating_sub(n)..];
        assert!(
            got == expected,
            "{}",
            say!(
                "{what} gave {}, expected {}",
                "{what} 得到 {}，应为 {}",
                show_lines(&got),
                show_lines(expected)
            )
        );
    }

    proptest! {
        /// Any bytes, any n and block, through short reads and `Interrupted`: the
        /// lines of `split_inclusive`, the last n of them.
        #[test]
        fn model(
            data in text_bytes(400),
            n in 0..12usize,
            block in 1..40usize,
            reads in scripted_io::steps(32, 50),
        ) {
            let mut file = Scripted::new(Cursor::new(data.clone())).reads(reads);
            let got = tail(&mut file, n, block).map_err(|e| TestCaseError::fail(say!(
                "tail returned the error \"{}\" ({:?})", "tail 返回了错误“{}”（{:?}）", e, e.kind()
            )))?;
            let lines = lines_of(&data);
            let expected = &lines[lines.len().saturating_sub(n)..];
            prop_assert!(got == expected, "{}", say!(
                "tail({}, {}, block {}) gave {}, expected {}",
                "tail({}, {}, block {}) 得到 {}，应为 {}",
                show(&data), n, block, show_lines(&got), show_lines(expected)
            ));
        }

        /// The bytes read grow with the lines asked for, not with the file: at most
        /// twice the tail and two blocks.
        #[test]
        fn work_grows_with_the_tail(
            lines in 0..300usize,
            width in 1..30usize,
            n in 1..8usize,
            block in 1..64usize,
        ) {
            let data = vec![[vec![b'x'; width - 1], vec![b'\n']].concat(); lines].concat();
            let mut file = Counting::new(Cursor::new(data));
            let got = tail(&mut file, n, block).map_err(|e| TestCaseError::fail(say!(
                "tail(a file of {} lines of {} bytes, {}, block {}) returned the error \"{}\" ({:?})",
                "tail（{} 行、每行 {} 字节的文件, {}, block {}）返回了错误“{}”（{:?}）",
                lines, width, n, block, e, e.kind()
            )))?;
            let tail_bytes: usize = got.iter().map(Vec::len).sum();
            let read = file.counts.bytes_read;
            let limit = 2 * (tail_bytes + block) as u64;
            prop_assert!(read <= limit, "{}", say!(
                "tail(a file of {2} lines of {3} bytes, {0}, block {4}): the last {0} lines ({1} bytes) took {5} bytes of reads (at most {6}: twice the tail and two blocks)",
                "tail（{2} 行、每行 {3} 字节的文件, {0}, block {4}）：取最后 {0} 行（{1} 字节）读了 {5} 字节（最多 {6}：结果的两倍加两块）",
                n, tail_bytes, lines, width, block, read, limit
            ));
        }
    }

    /// The last 3 lines of a 10 MiB file, in blocks of 4 KiB: at most 2 blocks read.
    #[test]
    fn reads_at_most_two_blocks() {
        const BLOCK: usize = 4096;
        let dir = TempDir::new("tail-big");
        let path = dir.join("big.log");
        let mut data = PATTERN_LINE.repeat((10 << 20) / PATTERN_LINE.len());
        data.extend_from_slice(b"third to last\nsecond to last\nlast\n");
        fs::write(&path, &data).expect("write a 10 MiB file");
        let mut file = Counting::new(expect_ok(open(&path, "r"), "open(path, \"r\")"));
        let what = "tail(a 10 MiB file, 3, block 4096)";
        let got = expect_ok(tail(&mut file, 3, BLOCK), what);
        let expected = [
            b"third to last\n".to_vec(),
            b"second to last\n".to_vec(),
            b"last\n".to_vec(),
        ];
        assert!(
            got == expected,
            "{}",
            say!(
                "{what} gave {}, expected {}",
                "{what} 得到 {}，应为 {}",
                show_lines(&got),
                show_lines(&expected)
            )
        );
        let read = file.counts.bytes_read;
        assert!(
            read <= 2 * BLOCK as u64,
            "{}",
            say!(
                "the last 3 lines of a 10 MiB file took {read} bytes of reads (at most 2 blocks, {}): \
                 does tail read from the start? Seek to the end and read backwards.",
                "取 10 MiB 文件的最后 3 行读了 {read} 字节（最多两块，{}）：tail 是从头读的吗？应先 seek 到末尾再向前读。",
                2 * BLOCK
            )
        );
    }

    /// What the tail of a 3 MiB file may allocate besides its buffer and its lines.
    const SLACK: usize = 4096;

    /// The last 2 lines of a 3 MiB file, with a block of `usize::MAX`: the buffer stops at
    /// `MAX_BUFFER`, not at the file's length. Measured in a child process of its own
    /// (see `heap.rs`).
    #[test]
    fn peak_heap() {
        if child::role().as_deref() == Some("measure") {
            let mut data = PATTERN_LINE.repeat((3 << 20) / PATTERN_LINE.len());
            data.extend_from_slice(b"last\n");
            let mut file = Cursor::new(data);
            let what = "tail(a 3 MiB file, 2, block usize::MAX)";
            let (result, peak) = heap::peak_during(|| tail(&mut file, 2, usize::MAX));
            let got = expect_ok(result, what);
            let expected = [PATTERN_LINE.to_vec(), b"last\n".to_vec()];
            assert!(
                got == expected,
                "{}",
                say!(
                    "{what} gave {}, expected {}",
                    "{what} 得到 {}，应为 {}",
                    show_lines(&got),
                    show_lines(&expected)
                )
            );
            // The lines are held twice at most (read, then split).
            let limit = MAX_BUFFER + 2 * (PATTERN_LINE.len() + 5) + SLACK;
            assert!(
                peak <= limit,
                "{}",
                say!(
                    "{what} had {peak} bytes allocated at once (at most {limit}: MAX_BUFFER, \
                     the lines, 4 KiB): a block larger than MAX_BUFFER must be read \
                     MAX_BUFFER bytes at a time, not in a buffer as large as the file",
                    "{what} 同一时刻分配了 {peak} 字节（最多 {limit}：MAX_BUFFER、结果的行、4 KiB）：\
                     比 MAX_BUFFER 大的块要按每次 MAX_BUFFER 字节来读，而不是用和文件一样大的缓冲区"
                )
            );
            return;
        }
        let out = child::run("tail::peak_heap", "measure", |_| {});
        assert!(child::passed(&out), "{}", child::describe(&out));
    }
}

// ---------------------------------------------------------------------------------
// Patching in place (文件偏移量: seek, write, seek back)
// ---------------------------------------------------------------------------------

mod patch {
    use super::*;

    #[rstest]
    #[case::at_the_start(0, b"XY", b"XYllo")]
    #[case::in_the_middle(2, b"L", b"heLlo")]
    #[case::up_to_the_end(3, b"LO", b"helLO")]
    #[case::all_of_it(0, b"HELLO", b"HELLO")]
    #[case::nothing_at_the_end(5, b"", b"hello")]
    fn examples(
        #[case] offset: u64,
        #[case] bytes: &[u8],
        #[case] expected: &[u8],
        #[values(0, 1, 5)] position: u64,
    ) {
        let what = format!(
            "patch(\"hello\" at position {position}, offset {offset}, {})",
            show(bytes)
        );
        let mut file = Cursor::new(b"hello".to_vec());
        file.set_position(position);
        expect_ok(patch(&mut file, offset, bytes), &what);
        assert_eq!(
            show(file.get_ref()),
            show(expected),
            "{}",
            say!(
                "{what}: the file after the patch (left), and what it should hold (right)",
                "{what}：patch 之后的文件（left）与应有的内容（right）"
            )
        );
        assert_eq!(
            file.position(),
            position,
            "{}",
            say!(
                "{what} did not put the position back: the position now (left), and before (right)",
                "{what} 没有把偏移量恢复原位：现在的偏移量（left）与之前的（right）"
            )
        );
    }

    /// A real file opened with your `open(path, "r+")`.
    #[test]
    fn a_real_file() {
        let dir = TempDir::new("patch");
        let path = dir.join("f.bin");
        fs::write(&path, b"0123456789").expect("write the file");
        let mut file = expect_ok(open(&path, "r+"), "open(path, \"r+\")");
        file.seek(SeekFrom::Start(4)).expect("seek");
        let what = "patch(a file holding \"0123456789\" at position 4, offset 8, \"AB\")";
        expect_ok(patch(&mut file, 8, b"AB"), what);
        let mut rest = String::new();
        file.read_to_string(&mut rest).expect("read on");
        assert_eq!(
            rest,
            "4567AB",
            "{}",
            say!(
                "{what}, then reading on from the position it left (left), and what should be read (right): \
                 the position must be put back to 4",
                "{what}，然后从它留下的偏移量接着读（left）与应读到的（right）：偏移量必须放回 4"
            )
        );
        drop(file);
        assert_eq!(
            show(&fs::read(&path).expect("read back")),
            show(b"01234567AB"),
            "{}",
            say!(
                "{what}: the file after the patch (left), and what it should hold (right)",
                "{what}：patch 之后的文件（left）与应有的内容（right）"
            )
        );
    }

    /// A range past the end is an error, and nothing changes: not the bytes, not the
    /// length, not the position.
    #[rstest]
    #[case::one_past_the_end(6, b"")]
    #[case::overlapping_the_end(4, b"XY")]
    #[case::starting_at_the_end(5, b"!")]
    #[case::far_away(1000, b"X")]
    #[case::offset_overflows(u64::MAX, b"X")]
    #[case::largest_offset(u64::MAX, b"")]
    fn bad_input(#[case] offset: u64, #[case] bytes: &[u8]) {
        let what = format!("patch(\"hello\", offset {offset}, {})", show(bytes));
        let mut file = Cursor::new(b"hello".to_vec());
        file.set_position(2);
        expect_error(
            patch(&mut file, offset, bytes),
            ErrorKind::InvalidInput,
            &what,
        );
        assert_eq!(
            show(file.get_ref()),
            show(b"hello"),
            "{}",
            say!(
                "{what} changed the file: what it holds now (left), and before (right)",
                "{what} 改动了文件：现在的内容（left）与之前的（right）"
            )
        );
        assert_eq!(
            file.position(),
            2,
            "{}",
            say!(
                "{what} moved the position: the position now (left), and before (right)",
                "{what} 移动了偏移量：现在的偏移量（left）与之前的（right）"
            )
        );
    }

    /// Worked short writes: "XYZ" into "hello world" through writes that take 1 byte,
    /// are interrupted, then take 1 byte (then all that is left).
    #[rstest]
    #[case::one_byte_at_a_time(&[Step::Upto(1), Step::Upto(1), Step::Upto(1)])]
    #[case::interrupted(&[Step::Upto(1), Step::Interrupted, Step::Upto(1)])]
    fn short_io_examples(#[case] writes: &[Step]) {
        let what = format!(
            "patch(\"hello world\" at position 7, offset 2, \"XYZ\") with writes {writes:?}"
        );
        let mut file = Scripted::new(Cursor::new(b"hello world".to_vec())).writes(writes.to_vec());
        file.seek(SeekFrom::Start(7)).expect("seek");
        expect_ok(patch(&mut file, 2, b"XYZ"), &what);
        assert_eq!(
            show(file.get_ref().get_ref()),
            show(b"heXYZ world"),
            "{}",
            say!(
                "{what}: the file after the patch (left), and what it should hold (right): \
                 a write may take only part of the bytes (write_all continues)",
                "{what}：patch 之后的文件（left）与应有的内容（right）：一次 write 可能只写了一部分（write_all 会继续写）"
            )
        );
        assert_eq!(
            file.get_ref().position(),
            7,
            "{}",
            say!(
                "{what} did not put the position back: the position now (left), and before (right)",
                "{what} 没有把偏移量恢复原位：现在的偏移量（left）与之前的（right）"
            )
        );
    }

    /// A write that fails part of the way: its error reaches the caller, and the
    /// position is put back all the same.
    #[rstest]
    #[case::at_the_first_write(&[Step::Fail(ErrorKind::StorageFull)])]
    #[case::after_one_byte(&[Step::Upto(1), Step::Fail(ErrorKind::StorageFull)])]
    #[case::after_an_interruption(&[Step::Interrupted, Step::Upto(2), Step::Fail(ErrorKind::StorageFull)])]
    fn errors_reach_the_caller(#[case] writes: &[Step]) {
        let what = format!(
            "patch(\"hello world\" at position 7, offset 2, \"XYZ\") with writes {writes:?}"
        );
        let mut file = Scripted::new(Cursor::new(b"hello world".to_vec())).writes(writes.to_vec());
        file.seek(SeekFrom::Start(7)).expect("seek");
        expect_error(patch(&mut file, 2, b"XYZ"), ErrorKind::StorageFull, &what);
        let position = file.get_ref().position();
        assert_eq!(
            position,
            7,
            "{}",
            say!(
                "{what}: the position is {position} after the failed write, expected 7: \
                 put it back also when the write fails",
                "{what}：写失败后偏移量是 {position}，应为 7：写失败时也要把偏移量放回原处"
            )
        );
    }

    /// Patches: (offset, bytes, the position to patch from).
    type Patches = Vec<(u64, Vec<u8>, u64)>;

    fn patches() -> impl Strategy<Value = Patches> {
        proptest::collection::vec(
            (
                0..80u64,
                proptest::collection::vec(any::<u8>(), 0..12),
                0..80u64,
            ),
            1..12,
        )
    }

    fn itself(cursor: &Cursor<Vec<u8>>) -> &Cursor<Vec<u8>> {
        cursor
    }

    /// Runs `patches` on `file`, whose bytes and position `cursor` shows, against a
    /// `Vec` spliced by hand. `file_is` says what the file is, for the messages.
    fn run_patches<F: Write + Seek>(
        file: &mut F,
        cursor: impl Fn(&F) -> &Cursor<Vec<u8>>,
        mut model: Vec<u8>,
        patches: &Patches,
        file_is: &str,
    ) -> Result<(), TestCaseError> {
        for (offset, bytes, position) in patches {
            file.seek(SeekFrom::Start(*position))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let fits = *offset as usize + bytes.len() <= model.len();
            let what = say!(
                "patch({} {}, positioned at {}; offset {}, {})",
                "patch({} {}、偏移量在 {} 处；offset {}, {})",
                file_is,
                show(&model),
                position,
                offset,
                show(bytes)
            );
            match patch(file, *offset, bytes) {
                Ok(()) if fits => {
                    model[*offset as usize..*offset as usize + bytes.len()].copy_from_slice(bytes);
                }
                Err(e) if !fits && e.kind() == ErrorKind::InvalidInput => {}
                result => {
                    return Err(TestCaseError::fail(say!(
                        "{} returned {:?}, expected {}",
                        "{} 返回了 {:?}，应为 {}",
                        what,
                        result,
                        if fits {
                            "Ok(())".to_string()
                        } else {
                            say!(
                                "an InvalidInput error: the range does not lie within the file",
                                "InvalidInput 类型的错误：这个范围不在文件之内"
                            )
                        }
                    )));
                }
            }
            let got = cursor(file).get_ref();
            prop_assert!(
                got == &model,
                "{}",
                say!(
                    "{}: the file then held {}, expected {}",
                    "{}：之后文件是 {}，应为 {}",
                    what,
                    show(got),
                    show(&model)
                )
            );
            let now = cursor(file).position();
            prop_assert_eq!(
                now,
                *position,
                "{}",
                say!(
                    "{}: the position was not put back: the position then (left), and before (right)",
                    "{}：偏移量没有恢复原位：之后的偏移量（left）与之前的（right）",
                    what
                )
            );
        }
        Ok(())
    }

    proptest! {
        /// Patches at random offsets, from random positions, against a `Vec` spliced
        /// by hand.
        #[test]
        fn model(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            patches in patches(),
        ) {
            let mut file = Cursor::new(data.clone());
            let file_is = say!("a Cursor holding", "内容为");
            run_patches(&mut file, itself, data, &patches, &file_is)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The same through a file whose writes take part of the bytes or are
        /// interrupted: `write` is not `write_all`.
        #[test]
        fn model_through_short_io(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            patches in patches(),
            writes in scripted_io::steps(64, 4),
        ) {
            let mut file = Scripted::new(Cursor::new(data.clone())).writes(writes);
            let file_is = say!(
                "a file whose writes take part of the bytes or are interrupted, holding",
                "写入时每次只接受一部分或被中断的文件，内容为"
            );
            run_patches(&mut file, Scripted::get_ref, data, &patches, &file_is)?;
        }
    }

    /// Patching with the bytes that were there undoes a patch.
    #[quickcheck]
    fn law_old_bytes_undo(data: Vec<u8>, offset: usize, new: Vec<u8>) -> bool {
        let offset = offset % (data.len() + 1);
        let new = &new[..new.len().min(data.len() - offset)];
        let old = data[offset..offset + new.len()].to_vec();
        let mut file = Cursor::new(data.clone());
        patch(&mut file, offset as u64, new).is_ok()
            && patch(&mut file, offset as u64, &old).is_ok()
            && file.into_inner() == data
    }
}

// ---------------------------------------------------------------------------------
// Fixed-width records (定长记录)
// ---------------------------------------------------------------------------------

mod records {
    use super::*;

    /// `got == expected`, or a failure that names the call and both values.
    #[track_caller]
    fn expect_same<T: PartialEq + std::fmt::Debug>(got: T, expected: T, what: &str) {
        assert!(
            got == expected,
            "{}",
            say!(
                "{what} gave {got:?}, expected {expected:?}",
                "{what} 得到 {got:?}，应为 {expected:?}"
            )
        );
    }

    #[test]
    fn examples() {
        let on = "Records::new(\"aaaabbbb\", 4)";
        let mut records = expect_ok(Records::new(Cursor::new(b"aaaabbbb".to_vec()), 4), on);
        let then = |call: &str| say!("{on}, then {call}", "{on}，然后 {call}");
        expect_same(expect_ok(records.len(), &then("len()")), 2, &then("len()"));
        expect_same(
            expect_ok(records.is_empty(), &then("is_empty()")),
            false,
            &then("is_empty()"),
        );
        for (index, expected) in [(1, "bbbb"), (0, "aaaa")] {
            let call = then(&format!("get({index})"));
            expect_same(
                show(&expect_ok(records.get(index), &call)),
                show(expected.as_bytes()),
                &call,
            );
        }
        let on = "Records::new(\"aaaabbbb\", 4), set(0, \"AAAA\")";
        expect_ok(records.set(0, b"AAAA"), on);
        let then = |call: &str| say!("{on}, then {call}", "{on}，然后 {call}");
        expect_same(
            expect_ok(records.push(b"cccc"), &then("push(\"cccc\")")),
            2,
            &say!(
                "{}: push returns the new record's index",
                "{}：push 返回新记录的下标",
                then("push(\"cccc\")")
            ),
        );
        let on = "Records::new(\"aaaabbbb\", 4), set(0, \"AAAA\"), push(\"cccc\")";
        let then = |call: &str| say!("{on}, then {call}", "{on}，然后 {call}");
        expect_same(expect_ok(records.len(), &then("len()")), 3, &then("len()"));
        expect_same(
            show(&expect_ok(records.get(2), &then("get(2)"))),
            show(b"cccc"),
            &then("get(2)"),
        );
        expect_same(
            show(&records.into_inner().into_inner()),
            show(b"AAAAbbbbcccc"),
            &say!("{on}: the bytes underneath", "{on}：底层的字节"),
        );

        let on = "Records::new(empty, 3)";
        let mut empty = expect_ok(Records::new(Cursor::new(Vec::new()), 3), on);
        let then = |call: &str| say!("{on}, then {call}", "{on}，然后 {call}");
        expect_same(
            expect_ok(empty.is_empty(), &then("is_empty()")),
            true,
            &then("is_empty()"),
        );
        expect_same(expect_ok(empty.len(), &then("len()")), 0, &then("len()"));
    }

    /// Worked short reads and writes: records of 4 bytes in a file whose reads give and
    /// whose writes take 1 or 2 bytes at a time, or are interrupted.
    #[rstest]
    #[case::short_reads(&[Step::Upto(1), Step::Upto(2), Step::Interrupted, Step::Upto(1)], &[])]
    #[case::short_writes(&[], &[Step::Upto(1), Step::Interrupted, Step::Upto(2), Step::Upto(3), Step::Upto(1)])]
    #[case::both(&[Step::Upto(2), Step::Upto(1)], &[Step::Upto(3), Step::Upto(2)])]
    fn short_io_examples(#[case] reads: &[Step], #[case] writes: &[Step]) {
        let on = format!(
            "Records::new(\"aaaabbbb\", 4) on a file with reads {reads:?} and writes {writes:?}"
        );
        let file = Scripted::new(Cursor::new(b"aaaabbbb".to_vec()))
            .reads(reads.to_vec())
            .writes(writes.to_vec());
        let mut records = expect_ok(Records::new(file, 4), &on);
        let then = |call: &str| say!("{on}, then {call}", "{on}，然后 {call}");
        expect_same(
            show(&expect_ok(records.get(1), &then("get(1)"))),
            show(b"bbbb"),
            &then("get(1)"),
        );
        let on = format!("{on}, get(1)");
        let then = |call: &str| say!("{on}, then {call}", "{on}，然后 {call}");
        expect_ok(records.set(0, b"AAAA"), &then("set(0, \"AAAA\")"));
        let on = format!("{on}, set(0, \"AAAA\")");
        let then = |call: &str| say!("{on}, then {call}", "{on}，然后 {call}");
        expect_same(
            expect_ok(records.push(b"cccc"), &then("push(\"cccc\")")),
            2,
            &then("push(\"cccc\")"),
        );
        expect_same(
            show(records.into_inner().get_ref().get_ref()),
            show(b"AAAAbbbbcccc"),
            &say!(
                "{on}, push(\"cccc\"): the bytes underneath (a read or a write may move only part \
                 of a record: read_exact and write_all continue)",
                "{on}，push(\"cccc\")：底层的字节（一次 read 或 write 可能只移动记录的一部分：read_exact 和 write_all 会继续）"
            ),
        );
    }

    #[rstest]
    #[case::width_zero(b"", 0, ErrorKind::InvalidInput)]
    #[case::torn_record(b"aaaabb", 4, ErrorKind::InvalidData)]
    fn bad_files(#[case] data: &[u8], #[case] width: usize, #[case] kind: ErrorKind) {
        expect_error(
            Records::new(Cursor::new(data.to_vec()), width),
            kind,
            &format!("Records::new({}, {width})", show(data)),
        );
    }

    /// Bad indexes and widths: an error, and the file unchanged.
    #[test]
    fn bad_input() {
        let mut records = expect_ok(
            Records::new(Cursor::new(b"aaaabbbb".to_vec()), 4),
            "Records::new",
        );
        expect_error(
            records.get(2),
            ErrorKind::InvalidInput,
            "get(2) of 2 records",
        );
        expect_error(
            records.get(u64::MAX),
            ErrorKind::InvalidInput,
            "get(u64::MAX)",
        );
        expect_error(
            records.set(2, b"cccc"),
            ErrorKind::InvalidInput,
            "set(2, ..) of 2 records",
        );
        expect_error(
            records.set(u64::MAX, b"cccc"),
            ErrorKind::InvalidInput,
            "set(u64::MAX, ..)",
        );
        expect_error(
            records.set(0, b"ccc"),
            ErrorKind::InvalidInput,
            "set(0, 3 bytes) with width 4",
        );
        expect_error(
            records.set(1, b"ccccc"),
            ErrorKind::InvalidInput,
            "set(1, 5 bytes) with width 4",
        );
        expect_error(
            records.push(b"cc"),
            ErrorKind::InvalidInput,
            "push(2 bytes) with width 4",
        );
        expect_error(
            records.push(b"cccccc"),
            ErrorKind::InvalidInput,
            "push(6 bytes) with width 4",
        );
        assert_eq!(
            show(&records.into_inner().into_inner()),
            show(b"aaaabbbb"),
            "{}",
            say!(
                "refused operations changed the file",
                "被拒绝的操作改动了文件"
            )
        );
    }

    #[derive(Clone, Debug)]
    enum Op {
        Get(u64),
        Set(u64, Vec<u8>),
        Push(Vec<u8>),
        Len,
    }

    fn ops(width: usize) -> impl Strategy<Value = Vec<Op>> {
        // Mostly records of the right width, sometimes one byte off either way.
        let record = prop_oneof![
            8 => proptest::collection::vec(any::<u8>(), width),
            1 => proptest::collection::vec(any::<u8>(), width + 1),
            1 => proptest::collection::vec(any::<u8>(), width.saturating_sub(1)),
        ];
        let op = prop_oneof![
            (0..12u64).prop_map(Op::Get),
            (0..12u64, record.clone()).prop_map(|(i, r)| Op::Set(i, r)),
            record.prop_map(Op::Push),
            Just(Op::Len),
        ];
        proptest::collection::vec(op, 0..40)
    }

    /// Runs `ops` on `records` and on a `Vec` of records, comparing every answer.
    /// True for an error of the kind `InvalidInput`.
    fn invalid<T>(result: &io::Result<T>) -> bool {
        result
            .as_ref()
            .is_err_and(|e| e.kind() == ErrorKind::InvalidInput)
    }

    fn run_model<F: Read + Write + Seek>(
        records: &mut Records<F>,
        model: &mut Vec<Vec<u8>>,
        width: usize,
        ops: &[Op],
        file_is: &str,
    ) -> Result<(), TestCaseError> {
        let expected_invalid = say!("an InvalidInput error", "InvalidInput 类型的错误");
        for op in ops {
            let len = model.len() as u64;
            let call = match op {
                Op::Get(i) => format!("get({i})"),
                Op::Set(i, record) => format!("set({i}, {})", show(record)),
                Op::Push(record) => format!("push({})", show(record)),
                Op::Len => "len()".to_string(),
            };
            let what = say!(
                "{} of {} records of {} bytes {}: {}",
                "{} 上的 {} 条 {} 字节的记录 {}：{}",
                file_is,
                len,
                width,
                show(&model.concat()),
                call
            );
            let fail = |got: String, expected: String| {
                TestCaseError::fail(say!(
                    "{} gave {}, expected {}",
                    "{} 得到 {}，应为 {}",
                    what,
                    got,
                    expected
                ))
            };
            match op {
                Op::Get(i) => {
                    let got = records.get(*i);
                    match (model.get(*i as usize), &got) {
                        (Some(record), Ok(bytes)) if bytes == record => {}
                        (Some(record), _) => {
                            return Err(fail(
                                format!("{:?}", got.map(|b| show(&b))),
                                format!("Ok({})", show(record)),
                            ));
                        }
                        (None, _) if invalid(&got) => {}
                        (None, _) => {
                            return Err(fail(
                                format!("{:?}", got.map(|b| show(&b))),
                                expected_invalid.clone(),
                            ));
                        }
                    }
                }
                Op::Set(i, record) => {
                    let result = records.set(*i, record);
                    if *i < len && record.len() == width {
                        if result.is_err() {
                            return Err(fail(format!("{result:?}"), "Ok(())".to_string()));
                        }
                        model[*i as usize] = record.clone();
                    } else if !invalid(&result) {
                        return Err(fail(format!("{result:?}"), expected_invalid.clone()));
                    }
                }
                Op::Push(record) => {
                    let result = records.push(record);
                    if record.len() == width {
                        if !matches!(result, Ok(index) if index == len) {
                            return Err(fail(
                                format!("{result:?}"),
                                say!(
                                    "Ok({}), the new record's index",
                                    "Ok({})，新记录的下标",
                                    len
                                ),
                            ));
                        }
                        model.push(record.clone());
                    } else if !invalid(&result) {
                        return Err(fail(format!("{result:?}"), expected_invalid.clone()));
                    }
                }
                Op::Len => {
                    let got = records.len();
                    if !matches!(got, Ok(n) if n == len) {
                        return Err(fail(format!("{got:?}"), format!("Ok({len})")));
                    }
                }
            }
        }
        Ok(())
    }

    /// The bytes under the records after the operations, against the model's.
    fn check_bytes(got: &[u8], model: &[Vec<u8>], file_is: &str) -> Result<(), TestCaseError> {
        let expected = model.concat();
        prop_assert!(
            got == expected,
            "{}",
            say!(
                "after the operations, {} holds {}; expected the records in order, {}",
                "这些操作之后，{} 里是 {}；应为按顺序排列的记录 {}",
                file_is,
                show(got),
                show(&expected)
            )
        );
        Ok(())
    }

    fn initial(width: usize) -> impl Strategy<Value = Vec<Vec<u8>>> {
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), width), 0..6)
    }

    /// `Records::new(file, width)`, or the failure that names it.
    fn new_records<F: Read + Write + Seek>(
        file: F,
        width: usize,
        start: &[Vec<u8>],
        file_is: &str,
    ) -> Result<Records<F>, TestCaseError> {
        Records::new(file, width).map_err(|e| {
            TestCaseError::fail(say!(
                "Records::new({} {}, {}) returned the error \"{}\" ({:?}); expected it to succeed",
                "Records::new({} {}, {}) 返回了错误“{}”（{:?}）；它应该成功",
                file_is,
                show(&start.concat()),
                width,
                e,
                e.kind()
            ))
        })
    }

    proptest! {
        /// Random operations on a `Cursor`, against a `Vec` of records.
        #[test]
        fn model(
            (width, start, ops) in (1..6usize).prop_flat_map(|w| (Just(w), initial(w), ops(w)))
        ) {
            let file_is = say!("a Cursor", "Cursor");
            let mut model = start.clone();
            let mut records = new_records(Cursor::new(start.concat()), width, &start, &file_is)?;
            run_model(&mut records, &mut model, width, &ops, &file_is)?;
            check_bytes(records.into_inner().get_ref(), &model, &file_is)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The same through a file whose reads and writes move part of the bytes or
        /// are interrupted: `read` is not `read_exact`, `write` is not `write_all`.
        #[test]
        fn model_through_short_io(
            (width, start, ops) in (1..6usize).prop_flat_map(|w| (Just(w), initial(w), ops(w))),
            reads in scripted_io::steps(64, 3),
            writes in scripted_io::steps(64, 3),
        ) {
            let file_is = say!(
                "a file whose reads and writes move part of the bytes or are interrupted",
                "读写时每次只移动一部分字节或被中断的文件"
            );
            let mut model = start.clone();
            let file = Scripted::new(Cursor::new(start.concat())).reads(reads).writes(writes);
            let mut records = new_records(file, width, &start, &file_is)?;
            run_model(&mut records, &mut model, width, &ops, &file_is)?;
            check_bytes(records.into_inner().get_ref().get_ref(), &model, &file_is)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// The same on a real file, opened with your `open(path, "w+")`.
        #[test]
        fn model_on_a_file(
            (width, start, ops) in (1..6usize).prop_flat_map(|w| (Just(w), initial(w), ops(w)))
        ) {
            let file_is = say!("a file opened with \"w+\"", "用 \"w+\" 打开的文件");
            let dir = TempDir::new("records");
            let path = dir.join("records.bin");
            let mut file = open(&path, "w+").map_err(|e| TestCaseError::fail(format!("open(path, \"w+\"): {e}")))?;
            file.write_all(&start.concat()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut model = start.clone();
            let mut records = new_records(file, width, &start, &file_is)?;
            run_model(&mut records, &mut model, width, &ops, &file_is)?;
            drop(records);
            let bytes = fs::read(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
            check_bytes(&bytes, &model, &file_is)?;
        }
    }
}

// ---------------------------------------------------------------------------------
// File management (文件管理函数)
// ---------------------------------------------------------------------------------

mod list_dir {
    use super::*;

    /// A fixture folder: files of several sizes, an empty one, a Chinese name, a hidden
    /// one, a folder (with a file inside, not listed), a link to a file, and a link to
    /// `/dev/null`, a device: neither a file nor a folder. (A link to a device rather than
    /// a socket: a socket's path must fit in 108 bytes, and the temp folder may be deep.)
    fn fixture(dir: &Path) {
        fs::write(dir.join("a.txt"), "hello").unwrap();
        fs::write(dir.join("B.txt"), "capital letters sort first\n").unwrap();
        fs::write(dir.join("empty"), "").unwrap();
        fs::write(dir.join("文件.txt"), "你好").unwrap();
        fs::write(dir.join(".hidden"), "...").unwrap();
        fs::create_dir(dir.join("sub")).unwrap();
        fs::write(dir.join("sub").join("inner.txt"), "not listed").unwrap();
        std::os::unix::fs::symlink("a.txt", dir.join("link")).unwrap();
        std::os::unix::fs::symlink("/dev/null", dir.join("null")).unwrap();
    }

    #[test]
    fn snapshot() {
        let dir = TempDir::new("listing");
        fixture(&dir.0);
        let entries = expect_ok(list_dir(&dir.0), "list_dir(fixture)");
        let kind_of = |name: &str| entries.iter().find(|e| e.name == name).map(|e| e.kind);
        for (name, expected, what) in [
            ("a.txt", Kind::File, say!("a file", "一个文件")),
            ("sub", Kind::Dir, say!("a folder", "一个文件夹")),
            (
                "link",
                Kind::File,
                say!("a link to a file", "一个指向文件的链接"),
            ),
            (
                "null",
                Kind::Other,
                say!(
                    "a link to /dev/null, a device: neither a file nor a folder",
                    "一个指向 /dev/null 的链接，它是设备：既不是文件也不是文件夹"
                ),
            ),
        ] {
            let got = kind_of(name);
            assert_eq!(
                got,
                Some(expected),
                "{}",
                say!(
                    "list_dir(fixture): the entry {name:?} ({what}) has the kind {got:?}, expected {:?}",
                    "list_dir(fixture)：条目 {name:?}（{what}）的类型是 {got:?}，应为 {:?}",
                    Some(expected)
                )
            );
        }
        let listing: Vec<String> = entries
            .iter()
            .map(|e| {
                format!(
                    "{:<10} {:<6} {}",
                    e.name.to_string_lossy(),
                    format!("{:?}", e.kind),
                    e.size
                )
            })
            .collect();
        insta::assert_snapshot!("listing", listing.join("\n"));
    }

    /// Names created in a shuffled order come back sorted by name (byte order), whatever
    /// order the file system keeps them in.
    #[test]
    fn sorted_by_name() {
        let dir = TempDir::new("listing-sorted");
        let mut names: Vec<String> = (0..40).map(|i| format!("f{:02}", (i * 17) % 40)).collect();
        names.extend(["Z", "_", "a", "é", "中"].map(String::from));
        for name in &names {
            fs::write(dir.join(name), name).unwrap();
        }
        let got: Vec<String> = expect_ok(list_dir(&dir.0), "list_dir")
            .into_iter()
            .map(|e| e.name.to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            got,
            names,
            "{}",
            say!(
                "list_dir(a folder of 45 names created in a shuffled order): the names it gave (left), \
                 and the same sorted by name, byte order (right)",
                "list_dir（以打乱的顺序创建了 45 个名字的文件夹）：它给出的名字（left）与按名字（字节序）排好序的名字（right）"
            )
        );
    }

    #[test]
    fn bad_input() {
        let dir = TempDir::new("listing-bad");
        expect_error(
            list_dir(dir.join("missing")),
            ErrorKind::NotFound,
            "list_dir(a missing folder)",
        );
        fs::write(dir.join("file"), "x").unwrap();
        expect_error(
            list_dir(dir.join("file")),
            ErrorKind::NotADirectory,
            "list_dir(a file)",
        );
        let entries = expect_ok(list_dir(&dir.0), "list_dir(a folder holding one file)");
        assert!(
            entries.len() == 1,
            "{}",
            say!(
                "list_dir(a folder holding one file) gave {entries:?}, expected the one file",
                "list_dir（只有一个文件的文件夹）得到 {entries:?}，应只有那一个文件"
            )
        );
    }
}

// ---------------------------------------------------------------------------------
// The README's corrections to the course notes
// ---------------------------------------------------------------------------------

mod corrections {
    use super::*;

    const FOLDER: &str = "FILE_IO_SUITE_FOLDER";

    /// "Buffers always reach the disk when the program ends": not with
    /// `process::exit`, which runs no destructors, so a `BufWriter` never flushes.
    /// `write_lines` flushes before it returns, so its lines survive. Shown in a child
    /// process, which exits.
    #[test]
    fn exit_skips_destructors() {
        if child::role().as_deref() == Some("exit") {
            let dir = PathBuf::from(std::env::var_os(FOLDER).expect("the folder"));
            let mut buffered =
                io::BufWriter::new(open(dir.join("buffered.txt"), "w").expect("open"));
            buffered
                .write_all(b"lost\n")
                .expect("write into the buffer");
            let lines = open(dir.join("lines.txt"), "w").expect("open");
            write_lines(lines, ["kept"]).expect("write_lines");
            std::process::exit(0);
        }
        let dir = TempDir::new("exit");
        let out = child::run("corrections::exit_skips_destructors", "exit", |cmd| {
            cmd.env(FOLDER, &dir.0);
        });
        // The child's part ends in process::exit(0) on purpose, before libtest sums up:
        // its exit status is all there is to check.
        assert!(out.status.success(), "{}", child::describe(&out));
        assert_eq!(
            fs::read_to_string(dir.join("buffered.txt")).expect("the file was created"),
            "",
            "{}",
            say!(
                "a BufWriter never flushed before process::exit should lose its bytes",
                "在 process::exit 之前没有 flush 的 BufWriter 应该丢失数据"
            )
        );
        assert_eq!(
            fs::read_to_string(dir.join("lines.txt")).expect("the file was created"),
            "kept\n",
            "{}",
            say!(
                "write_lines returned, then the process exited: its lines must be in the file \
                 (flush before returning; a BufWriter's drop never runs under process::exit)",
                "write_lines 返回后进程退出：它写的行必须已在文件中（返回前要 flush；process::exit 时 BufWriter 的 drop 不会运行）"
            )
        );
    }

    /// "w empties the file": only because of `truncate`. Without it (`r+`, or
    /// `OpenOptions` with `create` alone), writing over the start keeps the old tail.
    #[test]
    fn create_without_truncate_keeps_the_tail() {
        let dir = TempDir::new("truncate");
        let path = dir.join("f.txt");
        let write_xy = |file: &mut fs::File| file.write_all(b"XY").expect("write");

        fs::write(&path, "hello").unwrap();
        // `truncate(false)` is what `create` alone means; clippy asks for it to be said
        // (`suspicious_open_options`), for the very reason this test exists.
        let opened = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path);
        write_xy(&mut opened.unwrap());
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "XYllo",
            "OpenOptions: write + create"
        );

        fs::write(&path, "hello").unwrap();
        write_xy(&mut expect_ok(open(&path, "r+"), "open(path, \"r+\")"));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "XYllo",
            "{}",
            say!(
                "open(a file holding \"hello\", \"r+\"), then write \"XY\": the file (left), and what it should hold (right): mode r+ keeps the tail",
                "open（内容为 \"hello\" 的文件, \"r+\"），然后写入 \"XY\"：文件内容（left）与应有的内容（right）：r+ 模式保留后面的内容"
            )
        );

        fs::write(&path, "hello").unwrap();
        write_xy(&mut expect_ok(open(&path, "w"), "open(path, \"w\")"));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "XY",
            "{}",
            say!(
                "open(a file holding \"hello\", \"w\"), then write \"XY\": the file (left), and what it should hold (right): mode w must empty the file first (truncate)",
                "open（内容为 \"hello\" 的文件, \"w\"），然后写入 \"XY\"：文件内容（left）与应有的内容（right）：w 模式必须先清空文件（truncate）"
            )
        );
    }

    /// Append mode writes at the end, even after `seek(0)`: the seek moves the
    /// position for reading, and every write goes to the end anyway.
    #[rstest]
    fn append_writes_at_the_end_after_seek(#[values("a", "a+", "ab+")] mode: &str) {
        let dir = TempDir::new("append");
        let path = dir.join("f.txt");
        fs::write(&path, "hello").unwrap();
        let mut file = expect_ok(open(&path, mode), &format!("open(path, {mode:?})"));
        file.write_all(b"1").expect("write");
        // Someone else makes the file longer meanwhile: append still finds the end.
        fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"2")
            .unwrap();
        file.seek(SeekFrom::Start(0)).expect("seek(0)");
        file.write_all(b"XY").expect("write after seek(0)");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "hello12XY",
            "{}",
            say!(
                "open(a file holding \"hello\", {mode:?}), write \"1\", another writer appends \"2\", seek(0), write \"XY\": \
                 the file (left), and what it should hold (right). In mode {mode:?} every write goes to the end of the file (O_APPEND), even after seek(0) \
                 and after another writer grew the file: one seek to the end at opening is not append mode",
                "open（内容为 \"hello\" 的文件, {mode:?}），写入 \"1\"，另一个写入者追加 \"2\"，seek(0)，写入 \"XY\"：\
                 文件内容（left）与应有的内容（right）。{mode:?} 模式下每次写都追加到文件末尾（O_APPEND），即使 seek(0) 之后、其他写入者把文件变长之后也是：打开时 seek 到末尾一次不等于追加模式"
            )
        );
    }

    /// Seeking before the start is an error; seeking past the end is not (a write there
    /// leaves a hole of zero bytes), so `patch` must check the end itself.
    #[test]
    fn seeking_before_the_start_and_past_the_end() {
        let dir = TempDir::new("seek");
        let path = dir.join("f.txt");
        fs::write(&path, "hello").unwrap();
        let mut file = expect_ok(open(&path, "r+"), "open(path, \"r+\")");
        let before = file.seek(SeekFrom::Current(-1));
        assert!(
            before
                .as_ref()
                .is_err_and(|e| e.kind() == ErrorKind::InvalidInput),
            "seek(Current(-1)) at 0: {before:?}"
        );
        assert_eq!(
            file.stream_position().unwrap(),
            0,
            "a failed seek leaves the position"
        );
        assert_eq!(
            file.seek(SeekFrom::End(3)).unwrap(),
            8,
            "seek(End(3)) is not an error"
        );
        expect_error(
            patch(&mut file, 6, b"XY"),
            ErrorKind::InvalidInput,
            "patch(\"hello\", 6, \"XY\")",
        );
        assert_eq!(
            fs::read(&path).unwrap(),
            b"hello",
            "{}",
            say!(
                "a refused patch grew the file",
                "被拒绝的 patch 让文件变长了"
            )
        );
        file.write_all(b"XY").unwrap();
        assert_eq!(
            fs::read(&path).unwrap(),
            b"hello\0\0\0XY",
            "a write past the end leaves zeros"
        );
    }
}
