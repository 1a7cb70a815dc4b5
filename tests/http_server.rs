//! The http_server suite. It grades both `exercises/http_server` (the learner's code) and
//! `solutions/http_server` (the reference).
//!
//! Most of it needs no socket: `parse_request` and `Connection` are sans-IO, so the
//! parser is checked on byte strings (each vector three ways: whole, one byte at a time,
//! and with bytes after it) and the connection on streams cut anywhere. The groups from
//! `server` on use real TCP clients on 127.0.0.1 against the server on a thread of its
//! own; every wait there is bounded (a loop that blocks fails a test, it does not hang
//! it), and nothing is timed: a test waits for responses, and proves that something did
//! not happen by what arrives next.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
#[path = "support/child.rs"]
mod child;
#[path = "support/heap.rs"]
mod heap;
#[path = "support/threads.rs"]
mod threads;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use http_server::{
    Config, Connection, Handler, Limits, MAX_OUTPUT, Method, ParseError, Parsed, Request, Response,
    Server, StaticFiles, Version, Waker, parse_request, resolve, serve_file,
};

/// The longest any test waits for something that must happen (a response, a call into
/// the server's thread). A correct server answers in microseconds; this bound only
/// decides how soon a broken one is reported.
const WAIT: Duration = Duration::from_secs(2);
/// A client's wait is cut into slices this long, to notice between them that the
/// server's thread has died (a panic in the server, e.g. a `todo!()`).
const SLICE: Duration = Duration::from_millis(50);

// ---------------------------------------------------------------------------------------
// Shared helpers: byte strings, a temporary site, the three-way parse.

/// Bytes shown as text, with escapes for what is not printable.
fn show(bytes: &[u8]) -> String {
    let text: String = bytes.escape_ascii().to_string();
    if text.len() > 200 {
        format!("{}... ({} bytes)", &text[..160], bytes.len())
    } else {
        text
    }
}

/// A folder under the system's temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "http_server-suite-{}-{what}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temp folder");
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        std::fs::write(path, bytes).expect("write a file");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bytes of `big.bin`: 4 KiB, every byte value.
fn big_file() -> Vec<u8> {
    (0..4096u32).map(|i| (i % 251) as u8).collect()
}

/// A site to serve: `root/` holds `index.html`, `hello.txt`, `big.bin`, `sub/index.html`,
/// `你好.txt` and `hello world.txt`; beside the root (outside it) lies `secret.txt`,
/// which no request may reach.
struct Site {
    dir: TempDir,
}

const INDEX: &str = "<h1>Hello</h1>\n";
const HELLO: &str = "hello, world\n";
const SECRET: &str = "the secret that must never be served\n";

impl Site {
    fn new() -> Site {
        let dir = TempDir::new("site");
        dir.write("root/index.html", INDEX);
        dir.write("root/hello.txt", HELLO);
        dir.write("root/big.bin", big_file());
        dir.write("root/sub/index.html", "<p>sub</p>\n");
        dir.write("root/你好.txt", "你好，世界\n");
        dir.write("root/hello world.txt", "spaced\n");
        dir.write("secret.txt", SECRET);
        Site { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("root")
    }
}

/// The suite's handler: static files from a root (the trait's default `handle`), and one
/// route of its own, `POST /echo`, which answers with the request's body. It counts its
/// calls.
struct Files {
    root: PathBuf,
    calls: Arc<AtomicUsize>,
}

impl Files {
    fn new(root: &Path) -> Files {
        Files {
            root: root.to_path_buf(),
            calls: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl Handler for Files {
    fn root(&self) -> &Path {
        &self.root
    }

    fn handle(&mut self, request: &Request) -> Response {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if request.method == Method::Post && request.target == "/echo" {
            return Response::new(200).with_body("text/plain", request.body.clone());
        }
        serve_file(&self.root, request)
    }
}

fn limits() -> Limits {
    Limits::default()
}

/// Bytes that come after a vector in the three-way check: the start of another request.
const TRAILING: &[u8] = b"GET /next HTTP/1.1\r\nHost: x\r\n";

/// Which prefixes of `n` bytes to try one at a time: all of them for short vectors,
/// a sample (every step, and the last 64) for long ones (each try parses from the
/// start, so trying them all would cost n² bytes).
fn prefixes(n: usize) -> Vec<usize> {
    if n <= 2048 {
        return (0..n).collect();
    }
    let step = n / 256;
    let mut cuts: Vec<usize> = (0..n).step_by(step).collect();
    cuts.extend(n.saturating_sub(64)..n);
    cuts.dedup();
    cuts
}

/// The three-way check of one vector that holds exactly one whole, valid request: parsed
/// whole, it is `Complete` and consumes every byte; every shorter prefix is
/// `Incomplete`; with more bytes after it, the same request, and the same count, so the
/// next request's bytes stay. Returns the request.
#[track_caller]
fn parses_three_ways(bytes: &[u8], limits: &Limits) -> Request {
    let request = match parse_request(bytes, limits) {
        Ok(Parsed::Complete { request, consumed }) => {
            assert_eq!(
                consumed,
                bytes.len(),
                "{}",
                say!(
                    "parse_request({}) consumed {consumed} bytes, but the request is all {} of them",
                    "parse_request({}) 消耗了 {consumed} 字节，可这个请求正好是全部 {} 字节",
                    show(bytes),
                    bytes.len()
                )
            );
            request
        }
        other => panic!(
            "{}",
            say!(
                "parse_request({}) should give the whole request (Complete), got {other:?}",
                "parse_request({}) 应得到完整的请求（Complete），却得到 {other:?}",
                show(bytes)
            )
        ),
    };
    for cut in prefixes(bytes.len()) {
        let got = parse_request(&bytes[..cut], limits);
        assert!(
            got == Ok(Parsed::Incomplete),
            "{}",
            say!(
                "fed one byte at a time: the first {cut} bytes of {} are not a whole request yet \
                 and should be Incomplete, got {got:?}",
                "一次喂一个字节：{} 的前 {cut} 个字节还不是完整的请求，应得到 Incomplete，却得到 {got:?}",
                show(bytes)
            )
        );
    }
    let mut longer = bytes.to_vec();
    longer.extend_from_slice(TRAILING);
    let got = parse_request(&longer, limits);
    let expected = Ok(Parsed::Complete {
        request: request.clone(),
        consumed: bytes.len(),
    });
    assert!(
        got == expected,
        "{}",
        say!(
            "with the start of another request after it, {} should parse the same and consume only \
             its own {} bytes (the rest is the next request); got {got:?}",
            "后面跟着另一个请求的开头时，{} 应解析得一样，并且只消耗它自己的 {} 字节（其余的是下一个请求）；却得到 {got:?}",
            show(bytes),
            bytes.len()
        )
    );
    request
}

/// The three-way check of a vector the parser must refuse: whole, it is an error with
/// `status`; each prefix is `Incomplete` or that error (a limit may be seen early); with
/// more bytes after it, the same error.
#[track_caller]
fn refused_three_ways(bytes: &[u8], limits: &Limits, status: u16) {
    let status_of = |got: &Result<Parsed, ParseError>| got.as_ref().err().map(ParseError::status);
    let got = parse_request(bytes, limits);
    assert_eq!(
        status_of(&got),
        Some(status),
        "{}",
        say!(
            "parse_request({}) should be refused with an error whose status() is {status}, got {got:?}",
            "parse_request({}) 应被拒绝，错误的 status() 为 {status}，却得到 {got:?}",
            show(bytes)
        )
    );
    for cut in prefixes(bytes.len()) {
        let got = parse_request(&bytes[..cut], limits);
        assert!(
            got == Ok(Parsed::Incomplete) || status_of(&got) == Some(status),
            "{}",
            say!(
                "fed one byte at a time: the first {cut} bytes of {} should be Incomplete, or already \
                 the error with status {status}; got {got:?}",
                "一次喂一个字节：{} 的前 {cut} 个字节应得到 Incomplete，或者已经是状态码 {status} 的错误；却得到 {got:?}",
                show(bytes)
            )
        );
    }
    let mut longer = bytes.to_vec();
    longer.extend_from_slice(TRAILING);
    let got = parse_request(&longer, limits);
    assert_eq!(
        status_of(&got),
        Some(status),
        "{}",
        say!(
            "with more bytes after it, {} should still be refused with status {status}, got {got:?}",
            "后面再跟些字节，{} 仍应以状态码 {status} 被拒绝，却得到 {got:?}",
            show(bytes)
        )
    );
}

/// A request as the vectors' expectations write it.
fn request(
    method: Method,
    target: &str,
    version: Version,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Request {
    Request {
        method,
        target: target.to_string(),
        version,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.to_vec(),
    }
}

/// Feeds `input` to a new connection, then takes everything it has to send (as a
/// socket that takes it all would), and returns those bytes.
fn converse<H: Handler>(handler: &mut H, input: &[u8]) -> (Vec<u8>, Connection) {
    let mut connection = Connection::new(limits(), MAX_OUTPUT);
    connection.receive(input, handler);
    let out = drain(&mut connection, handler);
    (out, connection)
}

/// Takes everything a connection has to send, as a socket that takes it all would
/// (`written` may answer more requests: those are taken too).
fn drain<H: Handler>(connection: &mut Connection, handler: &mut H) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let n = connection.output().len();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(connection.output());
        connection.written(n, handler);
    }
    panic!(
        "{}",
        say!(
            "the connection never ran out of output (10,000 rounds of written())",
            "连接的输出永远取不完（调用了 10,000 轮 written()）"
        )
    )
}

// ---------------------------------------------------------------------------------------

/// The course's worked examples, through a connection and the default static-file
/// handler: the exact bytes of each response.
mod examples {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::get_a_page(
        "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 15\r\n\r\n<h1>Hello</h1>\n"
    )]
    #[case::slash_serves_index_html(
        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 15\r\n\r\n<h1>Hello</h1>\n"
    )]
    #[case::a_missing_file(
        "GET /nothing-here.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 14\r\n\r\n404 Not Found\n"
    )]
    #[case::head_gives_the_headers_only(
        "HEAD /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\n"
    )]
    #[case::an_unknown_method(
        "BREW /pot HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: 20\r\n\r\n501 Not Implemented\n"
    )]
    #[case::a_post_body_reaches_the_handler(
        "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nname=小明",
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nname=小明"
    )]
    #[case::post_to_a_static_file(
        "POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi",
        "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\nAllow: GET, HEAD\r\nContent-Length: 23\r\n\r\n405 Method Not Allowed\n"
    )]
    fn the_course_examples(#[case] request: &str, #[case] response: &str) {
        let site = Site::new();
        let mut handler = Files::new(&site.root());
        let (out, _) = converse(&mut handler, request.as_bytes());
        assert!(
            out == response.as_bytes(),
            "{}",
            say!(
                "for the request\n    {}\nthe connection should send\n    {}\nit sent\n    {}",
                "对于请求\n    {}\n连接应发送\n    {}\n实际发送的是\n    {}",
                show(request.as_bytes()),
                show(response.as_bytes()),
                show(&out)
            )
        );
    }
}

/// The parser's vectors, each checked three ways.
mod parse {
    use super::*;
    use Method::*;
    use Version::*;
    use rstest::rstest;

    #[rstest]
    #[case::get(
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        request(Get, "/", Http11, &[("Host", "example.com")], b"")
    )]
    #[case::bare_lf_line_ends(
        "GET /a HTTP/1.1\nHost: x\nAccept: */*\n\n",
        request(Get, "/a", Http11, &[("Host", "x"), ("Accept", "*/*")], b"")
    )]
    #[case::mixed_line_ends(
        "GET /a HTTP/1.1\r\nHost: x\nAccept: */*\r\n\n",
        request(Get, "/a", Http11, &[("Host", "x"), ("Accept", "*/*")], b"")
    )]
    #[case::http_1_0_without_headers(
        "GET /index.html HTTP/1.0\r\n\r\n",
        request(Get, "/index.html", Http10, &[], b"")
    )]
    #[case::post_with_a_body(
        "POST /form HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
        request(Post, "/form", Http11, &[("Content-Length", "5")], b"hello")
    )]
    #[case::body_bytes_that_look_like_a_head(
        "PUT /x HTTP/1.1\r\ncontent-length: 9\r\n\r\n\r\n\r\nGET /",
        request(Put, "/x", Http11, &[("content-length", "9")], b"\r\n\r\nGET /")
    )]
    #[case::body_counted_in_bytes(
        "POST /x HTTP/1.1\r\nContent-Length: 6\r\n\r\n你好",
        request(Post, "/x", Http11, &[("Content-Length", "6")], "你好".as_bytes())
    )]
    #[case::zero_length(
        "POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        request(Post, "/x", Http11, &[("Content-Length", "0")], b"")
    )]
    #[case::whitespace_around_values(
        "GET / HTTP/1.1\r\nX-A:  spaced  value \t\r\nX-B:\tv\r\nX-Empty:\r\nX-Blank:   \r\n\r\n",
        request(Get, "/", Http11, &[("X-A", "spaced  value"), ("X-B", "v"), ("X-Empty", ""), ("X-Blank", "")], b"")
    )]
    #[case::names_keep_their_case_and_order(
        "DELETE /item/7 HTTP/1.1\r\nhOsT: a\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\n",
        request(Delete, "/item/7", Http11, &[("hOsT", "a"), ("X-Dup", "1"), ("X-Dup", "2")], b"")
    )]
    #[case::a_chinese_value(
        "GET / HTTP/1.1\r\nX-Name: 小明\r\n\r\n",
        request(Get, "/", Http11, &[("X-Name", "小明")], b"")
    )]
    #[case::a_colon_in_the_value(
        "GET / HTTP/1.1\r\nHost: localhost:4221\r\n\r\n",
        request(Get, "/", Http11, &[("Host", "localhost:4221")], b"")
    )]
    #[case::target_kept_as_sent(
        "GET /search?q=rust%20http&x=%E4%BD%A0#top HTTP/1.1\r\n\r\n",
        request(Get, "/search?q=rust%20http&x=%E4%BD%A0#top", Http11, &[], b"")
    )]
    #[case::options_star("OPTIONS * HTTP/1.1\r\n\r\n", request(Options, "*", Http11, &[], b""))]
    #[case::head("HEAD /big.bin HTTP/1.1\r\n\r\n", request(Head, "/big.bin", Http11, &[], b""))]
    #[case::patch(
        "PATCH /x HTTP/1.1\r\nContent-Length: 1\r\n\r\n!",
        request(Patch, "/x", Http11, &[("Content-Length", "1")], b"!")
    )]
    fn a_valid_request_parses_whole_byte_by_byte_and_with_bytes_after_it(
        #[case] bytes: &str,
        #[case] expected: Request,
    ) {
        let got = parses_three_ways(bytes.as_bytes(), &limits());
        assert_eq!(
            got,
            expected,
            "{}",
            say!(
                "parse_request({}) gave the wrong request",
                "parse_request({}) 解析出的请求不对",
                show(bytes.as_bytes())
            )
        );
    }

    #[rstest]
    #[case::two_spaces("GET  / HTTP/1.1\r\n\r\n", 400)]
    #[case::no_version("GET /\r\n\r\n", 400)]
    #[case::a_fourth_part("GET / HTTP/1.1 x\r\n\r\n", 400)]
    #[case::trailing_space("GET / HTTP/1.1 \r\n\r\n", 400)]
    #[case::not_a_token_method("G(T / HTTP/1.1\r\n\r\n", 400)]
    #[case::an_unknown_method("BREW /pot HTTP/1.1\r\n\r\n", 501)]
    #[case::methods_are_case_sensitive("get / HTTP/1.1\r\n\r\n", 501)]
    #[case::http_2("GET / HTTP/2.0\r\n\r\n", 505)]
    #[case::http_1_2("GET / HTTP/1.2\r\n\r\n", 505)]
    #[case::http_0_9("GET / HTTP/0.9\r\n\r\n", 505)]
    #[case::not_http("GET / HTTPS/1.1\r\n\r\n", 400)]
    #[case::two_digit_minor("GET / HTTP/1.10\r\n\r\n", 400)]
    #[case::letters_for_digits("GET / HTTP/A.B\r\n\r\n", 400)]
    #[case::one_letter_for_a_digit("GET / HTTP/1.x\r\n\r\n", 400)]
    #[case::lowercase_version("GET / http/1.1\r\n\r\n", 400)]
    #[case::control_in_target("GET /a\x01b HTTP/1.1\r\n\r\n", 400)]
    #[case::non_ascii_target("GET /你好 HTTP/1.1\r\n\r\n", 400)]
    #[case::bare_cr_in_the_request_line("GET / HTTP/1.1\rHost: x\r\n\r\n", 400)]
    #[case::no_colon("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400)]
    #[case::space_before_the_colon("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400)]
    #[case::empty_name("GET / HTTP/1.1\r\n: x\r\n\r\n", 400)]
    #[case::folded_line("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 400)]
    #[case::nul_in_a_value("GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n", 400)]
    #[case::bare_cr_in_a_value("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400)]
    fn a_bad_request_is_refused_with_its_status(#[case] bytes: &str, #[case] status: u16) {
        refused_three_ways(bytes.as_bytes(), &limits(), status);
    }

    #[test]
    fn a_value_that_is_not_utf8_is_refused() {
        refused_three_ways(b"GET / HTTP/1.1\r\nX: \xff\xfe\r\n\r\n", &limits(), 400);
    }

    #[test]
    fn an_empty_buffer_is_incomplete() {
        assert_eq!(
            parse_request(b"", &limits()),
            Ok(Parsed::Incomplete),
            "{}",
            say!(
                "parse_request(b\"\") should be Incomplete",
                "parse_request(b\"\") 应为 Incomplete"
            )
        );
    }

    /// Three requests in one buffer: each parse takes one, and the next starts where it
    /// stopped.
    #[test]
    fn pipelined_requests_parse_one_after_another() {
        let stream = b"GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzHEAD /c HTTP/1.1\n\n";
        let mut at = 0;
        let mut targets = Vec::new();
        while at < stream.len() && targets.len() < 4 {
            match parse_request(&stream[at..], &limits()) {
                Ok(Parsed::Complete { request, consumed }) => {
                    assert!(consumed > 0, "consumed 0 bytes");
                    targets.push((request.target, request.body));
                    at += consumed;
                }
                other => panic!(
                    "{}",
                    say!(
                        "at byte {at} of {} a whole request starts, got {other:?}",
                        "{} 的第 {at} 字节处是一个完整的请求，却得到 {other:?}",
                        show(stream)
                    )
                ),
            }
        }
        assert_eq!(
            targets,
            vec![
                ("/a".to_string(), b"".to_vec()),
                ("/b".to_string(), b"xyz".to_vec()),
                ("/c".to_string(), b"".to_vec())
            ]
        );
    }
}

/// Limits, lengths and the framing of bodies.
mod limits {
    use super::*;
    use rstest::rstest;

    fn small() -> Limits {
        Limits {
            max_request_line: 64,
            max_head: 256,
            max_headers: 4,
            max_body: 100,
        }
    }

    fn line_of(len: usize) -> String {
        let target = format!("/{}", "a".repeat(len - "GET / HTTP/1.1".len()));
        format!("GET {target} HTTP/1.1")
    }

    #[test]
    fn a_request_line_at_the_limit_passes_and_one_byte_more_is_414() {
        let at = format!("{}\r\n\r\n", line_of(64));
        parses_three_ways(at.as_bytes(), &small());
        let over = format!("{}\r\n\r\n", line_of(65));
        refused_three_ways(over.as_bytes(), &small(), 414);
    }

    /// A request line that never ends must not make the buffer grow for ever: once it
    /// holds more bytes than a request line may, it is refused, LF or not.
    #[test]
    fn a_long_request_line_is_refused_before_it_ends() {
        let endless = format!("GET /{}", "a".repeat(200));
        let got = parse_request(endless.as_bytes(), &small());
        assert_eq!(
            got.as_ref().err().map(ParseError::status),
            Some(414),
            "{}",
            say!(
                "205 bytes of a request line with no line end yet, limit 64: should be refused with \
                 414 at once (else a client could make the buffer grow without end), got {got:?}",
                "205 字节的请求行还没有结束，限制是 64：应立刻以 414 拒绝（否则客户端能让缓冲区无限增长），却得到 {got:?}"
            )
        );
    }

    #[test]
    fn a_head_at_the_limit_passes_and_one_byte_more_is_431() {
        let head = |len: usize| {
            let start = "GET / HTTP/1.1\r\nX: ";
            format!("{start}{}\r\n\r\n", "v".repeat(len - start.len() - 4))
        };
        parses_three_ways(head(256).as_bytes(), &small());
        refused_three_ways(head(257).as_bytes(), &small(), 431);
    }

    /// A head cut in the middle of a line: up to `max_head` bytes it may still end in
    /// time (`Incomplete`); one byte more and it cannot (`431`).
    #[test]
    fn a_head_cut_mid_line_waits_up_to_the_limit_and_no_further() {
        let start = b"GET / HTTP/1.1\r\nX-Long: ";
        let mut bytes = start.to_vec();
        bytes.resize(256, b'v');
        let got = parse_request(&bytes, &small());
        assert_eq!(
            got,
            Ok(Parsed::Incomplete),
            "{}",
            say!(
                "256 bytes of a head cut in the middle of a header, max_head 256: the head may still \
                 end within the limit, so Incomplete; got {got:?}",
                "一个在请求头中间被截断的 256 字节的头部，max_head 为 256：它仍可能在限制之内结束，所以应是 Incomplete；却得到 {got:?}"
            )
        );
        bytes.push(b'v');
        let got = parse_request(&bytes, &small());
        assert_eq!(
            got.as_ref().err().map(ParseError::status),
            Some(431),
            "{}",
            say!(
                "257 bytes of a head cut in the middle of a header, max_head 256: refused with 431 at \
                 once; got {got:?}",
                "一个在请求头中间被截断的 257 字节的头部，max_head 为 256：应立刻以 431 拒绝；却得到 {got:?}"
            )
        );
    }

    #[test]
    fn a_head_that_never_ends_is_refused_once_it_is_too_long() {
        let mut endless = b"GET / HTTP/1.1\r\n".to_vec();
        while endless.len() <= 256 {
            endless.extend_from_slice(b"X: y\r\n");
        }
        // Four headers fit the limit on their count: only the head's size is over.
        let limits = Limits {
            max_headers: 100,
            ..small()
        };
        let got = parse_request(&endless, &limits);
        assert_eq!(
            got.as_ref().err().map(ParseError::status),
            Some(431),
            "{}",
            say!(
                "{} bytes of headers with no blank line yet, max_head 256: should be refused with 431 \
                 at once, got {got:?}",
                "{} 字节的头部还没有空行，max_head 为 256：应立刻以 431 拒绝，却得到 {got:?}",
                endless.len()
            )
        );
    }

    #[test]
    fn four_headers_pass_and_five_are_431() {
        let with = |n: usize| {
            let headers: String = (0..n).map(|i| format!("X-{i}: {i}\r\n")).collect();
            format!("GET / HTTP/1.1\r\n{headers}\r\n")
        };
        parses_three_ways(with(4).as_bytes(), &small());
        refused_three_ways(with(5).as_bytes(), &small(), 431);
    }

    #[test]
    fn a_body_at_the_limit_passes_and_one_byte_more_is_413_before_it_arrives() {
        let at = format!(
            "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n{}",
            "b".repeat(100)
        );
        parses_three_ways(at.as_bytes(), &small());
        let over = "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n";
        // The head alone says it: no byte of the body is needed (nor kept) to refuse it.
        refused_three_ways(over.as_bytes(), &small(), 413);
        let huge = "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n";
        refused_three_ways(huge.as_bytes(), &small(), 413);
    }

    #[rstest]
    #[case::not_a_number("Content-Length: abc\r\n", 400)]
    #[case::negative("Content-Length: -1\r\n", 400)]
    #[case::plus_sign("Content-Length: +5\r\n", 400)]
    #[case::two_numbers("Content-Length: 1 2\r\n", 400)]
    #[case::empty("Content-Length:\r\n", 400)]
    #[case::hex("Content-Length: 0x5\r\n", 400)]
    #[case::two_different_lengths("Content-Length: 3\r\nContent-Length: 4\r\n", 400)]
    #[case::length_and_chunked("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", 400)]
    #[case::chunked_and_length_in_any_case(
        "transfer-encoding: chunked\r\ncontent-length: 3\r\n",
        400
    )]
    #[case::an_unknown_transfer_coding("Transfer-Encoding: gzip\r\n", 501)]
    #[case::gzip_then_chunked("Transfer-Encoding: gzip, chunked\r\n", 501)]
    fn bad_or_conflicting_lengths_are_refused(#[case] headers: &str, #[case] status: u16) {
        let bytes = format!("POST /x HTTP/1.1\r\nHost: h\r\n{headers}\r\nabcd");
        refused_three_ways(bytes.as_bytes(), &limits(), status);
    }

    #[test]
    fn a_body_waits_for_its_last_byte() {
        let bytes = b"POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
        let request = parses_three_ways(bytes, &limits());
        assert_eq!(request.body, b"0123456789");
    }
}

/// Header lookup and what headers ask for.
mod headers {
    use super::*;
    use rstest::rstest;

    fn with_headers(version: Version, headers: &[(&str, &str)]) -> Request {
        request(Method::Get, "/", version, headers, b"")
    }

    #[rstest]
    #[case::same_case("Content-Type", Some("text/html"))]
    #[case::lower_case("content-type", Some("text/html"))]
    #[case::upper_case("CONTENT-TYPE", Some("text/html"))]
    #[case::the_first_of_two("x-dup", Some("first"))]
    #[case::absent("Accept", None)]
    #[case::a_prefix_is_not_a_name("Content", None)]
    fn header_names_are_case_insensitive(#[case] name: &str, #[case] expected: Option<&str>) {
        let r = with_headers(
            Version::Http11,
            &[
                ("Host", "h"),
                ("Content-Type", "text/html"),
                ("X-Dup", "first"),
                ("x-dup", "second"),
            ],
        );
        assert_eq!(
            r.header(name),
            expected,
            "{}",
            say!(
                "header({name:?}) on {:?}",
                "对 {:?} 调用 header({name:?})",
                r.headers
            )
        );
    }

    #[rstest]
    #[case::http_1_1_keeps_alive(Version::Http11, &[], false)]
    #[case::keep_alive_said(Version::Http11, &[("Connection", "keep-alive")], false)]
    #[case::close(Version::Http11, &[("Connection", "close")], true)]
    #[case::close_in_any_case(Version::Http11, &[("connection", "Close")], true)]
    #[case::close_in_a_list(Version::Http11, &[("Connection", "Upgrade, close")], true)]
    #[case::close_in_a_second_header(Version::Http11, &[("Connection", "keep-alive"), ("Connection", "close")], true)]
    #[case::closed_is_not_close(Version::Http11, &[("Connection", "closed")], false)]
    #[case::close_in_another_header(Version::Http11, &[("X-Connection", "close")], false)]
    #[case::http_1_0_closes(Version::Http10, &[], true)]
    fn wants_close(
        #[case] version: Version,
        #[case] headers: &[(&str, &str)],
        #[case] expected: bool,
    ) {
        let r = with_headers(version, headers);
        assert_eq!(
            r.wants_close(),
            expected,
            "{}",
            say!(
                "wants_close() for {version:?} with {headers:?}",
                "{version:?} 带 {headers:?} 时的 wants_close()"
            )
        );
    }

    #[rstest]
    #[case::gzip("gzip", true)]
    #[case::among_others("deflate, gzip, br", true)]
    #[case::no_spaces("br,gzip", true)]
    #[case::any_case("GZIP", true)]
    #[case::with_a_weight("gzip;q=0.5", true)]
    #[case::weight_one("br;q=1.0, gzip; q=1", true)]
    #[case::refused_by_q_0("gzip;q=0", false)]
    #[case::refused_by_q_0_000("deflate, gzip;q=0.000", false)]
    #[case::others_only("deflate, br", false)]
    #[case::a_longer_name("x-gzip-like", false)]
    #[case::invalid_encoding("invalid-encoding", false)]
    #[case::empty("", false)]
    fn accepts_encoding(#[case] value: &str, #[case] expected: bool) {
        let r = with_headers(Version::Http11, &[("Accept-Encoding", value)]);
        assert_eq!(
            r.accepts_encoding("gzip"),
            expected,
            "{}",
            say!(
                "accepts_encoding(\"gzip\") with Accept-Encoding: {value:?}",
                "Accept-Encoding: {value:?} 时的 accepts_encoding(\"gzip\")"
            )
        );
    }

    #[test]
    fn no_accept_encoding_accepts_nothing() {
        let r = with_headers(Version::Http11, &[("Host", "h")]);
        assert!(!r.accepts_encoding("gzip"));
    }
}

/// The parser agrees with httparse on generated valid requests.
mod differential {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct Generated {
        bytes: Vec<u8>,
        body: Vec<u8>,
    }

    fn token() -> impl Strategy<Value = String> {
        "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
    }

    fn value() -> impl Strategy<Value = String> {
        // Visible ASCII, spaces and tabs inside, and some Chinese: never starting or
        // ending with whitespace (that is the whitespace around it, added apart).
        prop_oneof![
            Just(String::new()),
            "[!-~]([ !-~\t]{0,20}[!-~])?",
            "[a-z]{1,5}[ ]?(小明|你好|世界)",
        ]
    }

    fn ows() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(" "), Just("  "), Just("\t"), Just(" \t ")]
    }

    fn line_end() -> impl Strategy<Value = &'static str> {
        prop_oneof![3 => Just("\r\n"), 1 => Just("\n")]
    }

    fn target() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("/".to_string()),
            Just("*".to_string()),
            "/[A-Za-z0-9._~%/?=&;:@!$'()*+,-]{0,30}",
        ]
    }

    fn generated() -> impl Strategy<Value = Generated> {
        let header = (token(), ows(), value(), ows(), line_end()).prop_filter(
            "framing headers are generated apart",
            |(n, ..)| {
                !n.eq_ignore_ascii_case("content-length")
                    && !n.eq_ignore_ascii_case("transfer-encoding")
            },
        );
        (
            prop::sample::select(Method::ALL.to_vec()),
            target(),
            prop::sample::select(vec!["HTTP/1.0", "HTTP/1.1"]),
            line_end(),
            prop::collection::vec(header, 0..8),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
            line_end(),
        )
            .prop_map(|(method, target, version, end, headers, body, blank)| {
                let mut bytes = format!("{method} {target} {version}{end}").into_bytes();
                for (name, before, value, after, end) in &headers {
                    bytes.extend_from_slice(
                        format!("{name}:{before}{value}{after}{end}").as_bytes(),
                    );
                }
                if let Some(body) = &body {
                    bytes.extend_from_slice(
                        format!("Content-Length: {}\r\n", body.len()).as_bytes(),
                    );
                }
                bytes.extend_from_slice(blank.as_bytes());
                let body = body.unwrap_or_default();
                bytes.extend_from_slice(&body);
                Generated { bytes, body }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Method, target, version, headers (names, and values without the whitespace
        /// around them) and the bytes consumed: the same as httparse finds.
        #[test]
        fn agrees_with_httparse(g in generated()) {
            let mut slots = [httparse::EMPTY_HEADER; 16];
            let mut oracle = httparse::Request::new(&mut slots);
            let head = match oracle.parse(&g.bytes) {
                Ok(httparse::Status::Complete(n)) => n,
                other => panic!("httparse could not parse a generated request: {other:?}: {}", show(&g.bytes)),
            };
            let got = parse_request(&g.bytes, &limits());
            let Ok(Parsed::Complete { request, consumed }) = got else {
                panic!(
                    "{}",
                    say!(
                        "parse_request({}) should be a whole request (httparse parses it), got {got:?}",
                        "parse_request({}) 应是一个完整的请求（httparse 能解析它），却得到 {got:?}",
                        show(&g.bytes)
                    )
                );
            };
            let context = show(&g.bytes);
            prop_assert_eq!(request.method.as_str(), oracle.method.unwrap(), "method of {}", &context);
            prop_assert_eq!(request.target.as_str(), oracle.path.unwrap(), "target of {}", &context);
            let version = match request.version { Version::Http10 => 0, Version::Http11 => 1 };
            prop_assert_eq!(Some(version), oracle.version, "version of {}", &context);
            let expected: Vec<(String, Vec<u8>)> = oracle
                .headers
                .iter()
                .map(|h| (h.name.to_string(), h.value.trim_ascii_end().to_vec()))
                .collect();
            let headers: Vec<(String, Vec<u8>)> = request
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), v.as_bytes().to_vec()))
                .collect();
            prop_assert_eq!(headers, expected, "headers of {}", &context);
            prop_assert_eq!(consumed, head + g.body.len(), "bytes consumed by {}", &context);
            prop_assert_eq!(&request.body, &g.body, "body of {}", &context);
        }
    }
}

/// Responses to bytes, and gzip.
mod responses {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::empty(
        Response::new(200),
        false,
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    )]
    #[case::created(
        Response::new(201),
        false,
        b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
    )]
    #[case::text(
        Response::text(200, "hi"),
        false,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nhi"
    )]
    #[case::chinese_counted_in_bytes(
        Response::text(200, "你好，世界"),
        false,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 15\r\n\r\n你好，世界".as_bytes()
    )]
    #[case::head_only_keeps_the_length(
        Response::text(200, "你好"),
        true,
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n\r\n"
    )]
    #[case::headers_in_order(
        Response::new(404).with_header("X-B", "2").with_header("X-A", "1"),
        false,
        b"HTTP/1.1 404 Not Found\r\nX-B: 2\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n"
    )]
    #[case::error_statuses(
        Response::error(505),
        false,
        b"HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 31\r\n\r\n505 HTTP Version Not Supported\n"
    )]
    #[case::binary_body(
        Response::new(200).with_body("application/octet-stream", vec![0u8, 255, 13, 10]),
        false,
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n\x00\xff\r\n"
    )]
    fn to_bytes(#[case] response: Response, #[case] head_only: bool, #[case] expected: &[u8]) {
        let got = response.to_bytes(head_only);
        assert!(
            got == expected,
            "{}",
            say!(
                "to_bytes({head_only}) of {response:?}\nshould be {}\n      got {}",
                "{response:?} 的 to_bytes({head_only})\n应为   {}\n实际为 {}",
                show(expected),
                show(&got)
            )
        );
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap_or_else(|e| {
                panic!(
                    "{}",
                    say!(
                        "the gzip body does not decompress: {e} ({})",
                        "gzip 过的响应体解压失败：{e}（{}）",
                        show(bytes)
                    )
                )
            });
        out
    }

    #[rstest]
    #[case::text("hello, gzip")]
    #[case::chinese("你好，世界")]
    #[case::long(&"abc".repeat(1000))]
    #[case::empty("")]
    fn gzip_compresses_the_body_and_says_so(#[case] text: &str) {
        let original = Response::new(200)
            .with_body("text/plain", text)
            .with_header("X-Kept", "yes");
        let zipped = original.clone().gzip();
        assert_eq!(zipped.status, 200, "gzip() must keep the status");
        assert_eq!(
            zipped.headers,
            vec![
                ("Content-Type".to_string(), "text/plain".to_string()),
                ("X-Kept".to_string(), "yes".to_string()),
                ("Content-Encoding".to_string(), "gzip".to_string()),
            ],
            "{}",
            say!(
                "gzip() keeps the headers and adds Content-Encoding: gzip after them",
                "gzip() 保留原有的头，并在它们之后加上 Content-Encoding: gzip"
            )
        );
        assert_eq!(
            gunzip(&zipped.body),
            text.as_bytes(),
            "{}",
            say!(
                "the gzip body must decompress to the original",
                "gzip 后的响应体解压后必须是原文"
            )
        );
        if text.len() > 100 {
            assert!(
                zipped.body.len() < text.len() / 4,
                "{}",
                say!(
                    "3000 bytes of \"abc\" repeated should compress to well under a quarter, got {} bytes",
                    "重复的 \"abc\" 共 3000 字节，压缩后应远小于四分之一，却有 {} 字节",
                    zipped.body.len()
                )
            );
        }
        let bytes = zipped.to_bytes(false);
        let length = format!("Content-Length: {}\r\n", zipped.body.len());
        assert!(
            bytes.windows(length.len()).any(|w| w == length.as_bytes()),
            "{}",
            say!(
                "the Content-Length of a gzip response counts the compressed bytes",
                "gzip 响应的 Content-Length 数的是压缩后的字节"
            )
        );
    }
}

/// A target to a path under a root, and the traversal table.
mod targets {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::slash("/", "")]
    #[case::file("/index.html", "index.html")]
    #[case::nested("/a/b/c.txt", "a/b/c.txt")]
    #[case::query_dropped("/index.html?x=1&y=/../..", "index.html")]
    #[case::space("/hello%20world.txt", "hello world.txt")]
    #[case::chinese("/%E4%BD%A0%E5%A5%BD.txt", "你好.txt")]
    #[case::lowercase_hex("/%e4%bd%a0%e5%a5%bd.txt", "你好.txt")]
    #[case::encoded_letters("/%69ndex.html", "index.html")]
    #[case::empty_segments("//a///b", "a/b")]
    #[case::dot_segments("/./a/./b", "a/b")]
    #[case::plus_is_a_plus("/a+b", "a+b")]
    #[case::dots_inside_a_name("/a..b/...", "a..b/...")]
    fn a_target_resolves_under_the_root(#[case] target: &str, #[case] relative: &str) {
        let root = Path::new("/srv/site");
        let got = resolve(root, target);
        let expected = root.join(relative);
        assert_eq!(
            got.as_ref().ok(),
            Some(&expected),
            "{}",
            say!(
                "resolve(\"/srv/site\", {target:?}) should be {expected:?}, got {got:?}",
                "resolve(\"/srv/site\", {target:?}) 应为 {expected:?}，却得到 {got:?}"
            )
        );
    }

    /// Targets that try to leave the root. Each must be refused, or resolve to a path
    /// that stays inside the root; served, each is 400 or 404, never the file beside the
    /// root.
    const TRAVERSALS: &[&str] = &[
        "/../secret.txt",
        "/../../etc/passwd",
        "/..%2fsecret.txt",
        "/..%2f..%2fetc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/a/../../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/x%00.html",
        "/index.html%00.txt",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/%2Fetc%2Fpasswd",
        "/..",
        "/sub/..",
        "..",
        "../secret.txt",
        "secret.txt",
        "http://localhost/../secret.txt",
        "/%",
        "/%2",
        "/%zz",
        "/%%32%65%%32%65/secret.txt",
    ];

    #[test]
    fn no_target_resolves_outside_the_root() {
        let site = Site::new();
        let root = site.root();
        for target in TRAVERSALS {
            if let Ok(path) = resolve(&root, target) {
                let inside = path.starts_with(&root)
                    && path
                        .strip_prefix(&root)
                        .expect("starts with the root")
                        .components()
                        .all(|c| matches!(c, std::path::Component::Normal(_)));
                let name_ok = !path.as_os_str().as_encoded_bytes().contains(&0);
                assert!(
                    inside && name_ok,
                    "{}",
                    say!(
                        "resolve(root, {target:?}) gave {path:?}: a path must stay under the root, with \
                         no `..` and no NUL (decode each segment first, then check it)",
                        "resolve(root, {target:?}) 得到 {path:?}：路径必须留在根目录下，不能有 `..` 也不能有 NUL（先解码每一段，再检查它）"
                    )
                );
            }
        }
    }

    #[test]
    fn traversals_are_400_or_404_and_never_the_secret() {
        let site = Site::new();
        let mut handler = StaticFiles::new(site.root());
        for target in TRAVERSALS {
            let r = request(Method::Get, target, Version::Http11, &[], b"");
            let response = handler.handle(&r);
            assert!(
                matches!(response.status, 400 | 404)
                    && !response.body.windows(6).any(|w| w == b"secret"),
                "{}",
                say!(
                    "GET {target:?} should be 400 or 404, never the file beside the root; got {} {}",
                    "GET {target:?} 应为 400 或 404，绝不能是根目录旁边的那个文件；却得到 {} {}",
                    response.status,
                    show(&response.body)
                )
            );
        }
    }

    #[rstest]
    #[case::dot_dot("/../x")]
    #[case::encoded_dot_dot("/%2e%2e/x")]
    #[case::encoded_slash("/a%2fb")]
    #[case::encoded_backslash("/a%5cb")]
    #[case::nul("/x%00.html")]
    #[case::bad_escape("/%zz")]
    #[case::short_escape("/ab%4")]
    #[case::not_a_path("index.html")]
    #[case::absolute_form("http://h/x")]
    #[case::star("*")]
    fn these_are_refused(#[case] target: &str) {
        let got = resolve(Path::new("/srv/site"), target);
        assert!(
            got.is_err(),
            "{}",
            say!(
                "resolve(\"/srv/site\", {target:?}) should be refused (Err), got {got:?}",
                "resolve(\"/srv/site\", {target:?}) 应被拒绝（Err），却得到 {got:?}"
            )
        );
    }
}

/// The default handler: static files.
mod static_files {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::a_page("/index.html", 200, "text/html; charset=utf-8", INDEX.as_bytes())]
    #[case::the_root("/", 200, "text/html; charset=utf-8", INDEX.as_bytes())]
    #[case::a_folder_with_a_slash("/sub/", 200, "text/html; charset=utf-8", b"<p>sub</p>\n")]
    #[case::a_folder_without("/sub", 200, "text/html; charset=utf-8", b"<p>sub</p>\n")]
    #[case::text("/hello.txt", 200, "text/plain; charset=utf-8", HELLO.as_bytes())]
    #[case::query_ignored("/hello.txt?lang=zh", 200, "text/plain; charset=utf-8", HELLO.as_bytes())]
    #[case::binary("/big.bin", 200, "application/octet-stream", &big_file())]
    #[case::a_chinese_name("/%E4%BD%A0%E5%A5%BD.txt", 200, "text/plain; charset=utf-8", "你好，世界\n".as_bytes())]
    #[case::a_space("/hello%20world.txt", 200, "text/plain; charset=utf-8", b"spaced\n")]
    #[case::missing("/missing.html", 404, "text/plain; charset=utf-8", b"404 Not Found\n")]
    #[case::missing_folder("/nope/", 404, "text/plain; charset=utf-8", b"404 Not Found\n")]
    #[case::a_file_is_no_folder(
        "/hello.txt/x",
        404,
        "text/plain; charset=utf-8",
        b"404 Not Found\n"
    )]
    #[case::refused_target(
        "/../secret.txt",
        400,
        "text/plain; charset=utf-8",
        b"400 Bad Request\n"
    )]
    fn get_serves_files_from_the_root(
        #[case] target: &str,
        #[case] status: u16,
        #[case] content_type: &str,
        #[case] body: &[u8],
    ) {
        let site = Site::new();
        let mut handler = StaticFiles::new(site.root());
        let r = request(Method::Get, target, Version::Http11, &[("Host", "h")], b"");
        let got = handler.handle(&r);
        let expected = Response::new(status).with_body(content_type, body);
        assert!(
            got == expected,
            "{}",
            say!(
                "GET {target}: expected {} {content_type:?} {}, got {} {:?} {}",
                "GET {target}：应为 {} {content_type:?} {}，却得到 {} {:?} {}",
                status,
                show(body),
                got.status,
                got.headers,
                show(&got.body)
            )
        );
    }

    #[test]
    fn head_gets_what_get_gets() {
        let site = Site::new();
        let mut handler = StaticFiles::new(site.root());
        for target in ["/", "/hello.txt", "/missing"] {
            let get = handler.handle(&request(Method::Get, target, Version::Http11, &[], b""));
            let head = handler.handle(&request(Method::Head, target, Version::Http11, &[], b""));
            assert_eq!(
                (head.status, &head.headers),
                (get.status, &get.headers),
                "{}",
                say!(
                    "HEAD {target} should have GET's status and headers (the connection drops the body)",
                    "HEAD {target} 的状态码和头应与 GET 相同（连接会去掉响应体）"
                )
            );
        }
    }

    #[rstest]
    #[case(Method::Post)]
    #[case(Method::Put)]
    #[case(Method::Delete)]
    #[case(Method::Options)]
    fn other_methods_are_405_with_allow(#[case] method: Method) {
        let site = Site::new();
        let mut handler = StaticFiles::new(site.root());
        let got = handler.handle(&request(method, "/hello.txt", Version::Http11, &[], b"x"));
        let expected = Response::error(405).with_header("Allow", "GET, HEAD");
        assert_eq!(
            got,
            expected,
            "{}",
            say!(
                "{method} /hello.txt: a static file is only read: 405 with Allow: GET, HEAD",
                "{method} /hello.txt：静态文件只能读取：405，并带 Allow: GET, HEAD"
            )
        );
    }

    /// The class interface: a handler that overrides `handle` for one route and leaves
    /// the rest to the default, which serves files from its `root`.
    #[test]
    fn an_override_keeps_the_default_for_the_rest() {
        struct Hello {
            root: PathBuf,
        }
        impl Handler for Hello {
            fn root(&self) -> &Path {
                &self.root
            }
            fn handle(&mut self, request: &Request) -> Response {
                if request.target == "/hello" {
                    Response::text(200, "hi")
                } else {
                    serve_file(self.root(), request)
                }
            }
        }
        let site = Site::new();
        let mut handler = Hello { root: site.root() };
        let (out, _) = converse(
            &mut handler,
            b"GET /hello HTTP/1.1\r\n\r\nGET /hello.txt HTTP/1.1\r\n\r\n",
        );
        let mut expected = Response::text(200, "hi").to_bytes(false);
        expected.extend(Response::text(200, HELLO).to_bytes(false));
        assert_eq!(show(&out), show(&expected));
    }
}

/// One connection's state machine, without a socket.
mod connection {
    use super::*;
    use proptest::prelude::*;

    const HELLO_200: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\nhello, world\n";
    const HELLO_HEAD: &str =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\n";
    const MISSING_404: &str = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 14\r\n\r\n404 Not Found\n";

    #[track_caller]
    fn assert_sent(got: &[u8], expected: &str, what: &str) {
        assert!(
            got == expected.as_bytes(),
            "{}",
            say!(
                "{what}: the connection should send\n    {}\nit sent\n    {}",
                "{what}：连接应发送\n    {}\n实际发送的是\n    {}",
                show(expected.as_bytes()),
                show(got)
            )
        );
    }

    #[test]
    fn three_pipelined_requests_get_three_responses_in_order() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let (out, connection) = converse(
            &mut files,
            b"GET /hello.txt HTTP/1.1\r\n\r\nGET /missing HTTP/1.1\r\n\r\nHEAD /hello.txt HTTP/1.1\r\n\r\n",
        );
        assert_sent(
            &out,
            &format!("{HELLO_200}{MISSING_404}{HELLO_HEAD}"),
            "three requests in one read",
        );
        assert!(
            !connection.is_finished() && connection.wants_input(),
            "{}",
            say!(
                "HTTP/1.1 keeps the connection open (keep-alive): not finished, and reading",
                "HTTP/1.1 默认保持连接（keep-alive）：既不结束，也继续读取"
            )
        );
    }

    #[test]
    fn the_bytes_after_a_request_start_the_next_one() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let mut connection = Connection::new(limits(), MAX_OUTPUT);
        connection.receive(b"GET /hello.txt HTTP/1.1\r\n\r\nGET /mis", &mut files);
        let first = drain(&mut connection, &mut files);
        assert_sent(
            &first,
            HELLO_200,
            "the first request, with the start of a second after it",
        );
        connection.receive(b"sing HTTP/1.1\r\n\r\n", &mut files);
        let second = drain(&mut connection, &mut files);
        assert_sent(
            &second,
            MISSING_404,
            "the rest of the second request (its start came with the first)",
        );
    }

    #[test]
    fn a_body_then_the_next_request() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let (out, _) = converse(
            &mut files,
            b"POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nbodyGET /hello.txt HTTP/1.1\r\n\r\n",
        );
        let echo = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nbody";
        assert_sent(
            &out,
            &format!("{echo}{HELLO_200}"),
            "a POST body, then a GET",
        );
    }

    #[test]
    fn connection_close_is_answered_then_closes() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let calls = files.calls.clone();
        let (out, mut connection) = converse(
            &mut files,
            b"GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\nGET /index.html HTTP/1.1\r\n\r\n",
        );
        assert_sent(
            &out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: 13\r\n\r\nhello, world\n",
            "Connection: close (the response says so, after the handler's headers; nothing after it is answered)",
        );
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "{}",
            say!(
                "after Connection: close the next request must not reach the handler",
                "Connection: close 之后，下一个请求不应再交给 handler"
            )
        );
        assert!(
            connection.is_finished(),
            "{}",
            say!(
                "after Connection: close, once the response is sent, is_finished() must be true",
                "Connection: close 的响应发完之后，is_finished() 必须为 true"
            )
        );
        connection.receive(b"GET /hello.txt HTTP/1.1\r\n\r\n", &mut files);
        assert!(
            connection.output().is_empty() && connection.is_finished(),
            "{}",
            say!(
                "a closing connection answers nothing more",
                "正在关闭的连接不再回答任何请求"
            )
        );
    }

    #[test]
    fn http_1_0_is_answered_then_closes() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let (out, connection) = converse(&mut files, b"GET /hello.txt HTTP/1.0\r\n\r\n");
        assert_sent(
            &out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: 13\r\n\r\nhello, world\n",
            "an HTTP/1.0 request",
        );
        assert!(
            connection.is_finished(),
            "{}",
            say!(
                "HTTP/1.0 closes after its response: is_finished() must be true once it is sent",
                "HTTP/1.0 在响应之后关闭：响应发完后 is_finished() 必须为 true"
            )
        );
    }

    #[test]
    fn an_error_is_answered_with_its_status_then_closes() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let calls = files.calls.clone();
        let (out, connection) = converse(
            &mut files,
            b"GET / HTTP/1.1\r\nbad header\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        );
        assert_sent(
            &out,
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: 16\r\n\r\n400 Bad Request\n",
            "a malformed request",
        );
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "a refused request never reaches the handler"
        );
        assert!(
            connection.is_finished(),
            "after an error the connection closes"
        );
    }

    #[test]
    fn the_end_of_the_stream_drops_half_a_request_and_finishes() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let calls = files.calls.clone();
        let mut connection = Connection::new(limits(), MAX_OUTPUT);
        connection.receive(
            b"GET /hello.txt HTTP/1.1\r\n\r\nGET /index.html HTTP/1.1\r\nHo",
            &mut files,
        );
        connection.end_of_input(&mut files);
        let out = drain(&mut connection, &mut files);
        assert_sent(
            &out,
            HELLO_200,
            "a whole request, half of another, then the end of the stream",
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(
            connection.is_finished() && !connection.wants_input(),
            "{}",
            say!(
                "after the end of the stream and its output sent, the connection is finished and reads no more",
                "流结束、输出也发完之后，连接应结束，不再读取"
            )
        );
    }

    /// While a connection holds `max_output` bytes or more, it answers nothing more (and
    /// asks for no input); as they are sent, it answers the requests that waited. The
    /// limit is two responses exactly: holding `max_output` bytes is holding too many.
    #[test]
    fn responses_wait_while_the_output_is_full() {
        // Exactly two responses: at max_output, not above it, the connection stops.
        const LIMIT: usize = 2 * HELLO_200.len();
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let calls = files.calls.clone();
        let mut connection = Connection::new(limits(), LIMIT);
        connection.receive(&b"GET /hello.txt HTTP/1.1\r\n\r\n".repeat(10), &mut files);
        let held = connection.output().len();
        assert!(
            held >= LIMIT && held < LIMIT + HELLO_200.len(),
            "{}",
            say!(
                "10 pipelined requests of {} response bytes each, max_output {LIMIT}: a connection answers \
                 while it holds less than max_output, so it should hold from {LIMIT} to {} bytes; it holds {held}",
                "10 个管线化请求，每个响应 {} 字节，max_output 为 {LIMIT}：连接只在输出少于 max_output 时回答，所以它应持有 {LIMIT} 到 {} 字节；实际持有 {held}",
                HELLO_200.len(),
                LIMIT + HELLO_200.len() - 1
            )
        );
        assert!(
            !connection.wants_input(),
            "{}",
            say!(
                "with max_output bytes waiting, wants_input() must be false (read no more requests)",
                "等待发送的字节达到 max_output 时，wants_input() 必须为 false（不再读取请求）"
            )
        );
        assert!(calls.load(Ordering::SeqCst) < 10);
        let out = drain(&mut connection, &mut files);
        assert_sent(
            &out,
            &HELLO_200.repeat(10),
            "the 10 responses, as room was made",
        );
        assert_eq!(calls.load(Ordering::SeqCst), 10);
        assert!(connection.wants_input());
    }

    #[test]
    fn the_end_of_the_stream_still_answers_requests_that_waited_for_room() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let mut connection = Connection::new(limits(), 100);
        connection.receive(&b"GET /hello.txt HTTP/1.1\r\n\r\n".repeat(5), &mut files);
        connection.end_of_input(&mut files);
        assert!(!connection.is_finished(), "output is waiting: not finished");
        let out = drain(&mut connection, &mut files);
        assert_sent(
            &out,
            &HELLO_200.repeat(5),
            "5 requests, then the end of the stream",
        );
        assert!(connection.is_finished());
    }

    /// The property's handler: the same answers as `Files` on a `Site` for the stream's
    /// targets, without touching the file system, so that many cases run in little time.
    struct Canned;

    impl Handler for Canned {
        fn root(&self) -> &Path {
            Path::new("/nonexistent")
        }

        fn handle(&mut self, request: &Request) -> Response {
            match request.target.as_str() {
                "/echo" => Response::new(200).with_body("text/plain", request.body.clone()),
                "/hello.txt" => Response::text(200, HELLO),
                "/big.bin" => Response::new(200).with_body("application/octet-stream", big_file()),
                "/" => Response::new(200).with_body("text/html; charset=utf-8", INDEX),
                _ => Response::error(404),
            }
        }
    }

    /// A stream of requests for the split-anywhere property: keep-alive GETs and HEADs, a
    /// POST with a body (its bytes look like a request), errors are left out (they close).
    fn stream() -> Vec<u8> {
        [
            &b"GET /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n"[..],
            b"POST /echo HTTP/1.1\r\nContent-Length: 25\r\n\r\nGET /x HTTP/1.1\r\n\r\n\r\n\r\n\r\n",
            b"HEAD /big.bin HTTP/1.1\n\n",
            b"GET /missing HTTP/1.1\r\nAccept: */*\r\n\r\n",
            b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
        ]
        .concat()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// The stream cut at any points, and the output taken a few bytes at a time, gives
        /// the same bytes as the whole stream at once.
        #[test]
        fn a_stream_cut_anywhere_gets_the_same_responses(
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
            takes in prop::collection::vec(1usize..400, 1..8),
        ) {
            let input = stream();
            let (whole, _) = converse(&mut Canned, &input);
            let mut files = Canned;
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(input.len())).collect();
            points.push(input.len());
            points.sort_unstable();
            let mut connection = Connection::new(limits(), MAX_OUTPUT);
            let mut out = Vec::new();
            let mut from = 0;
            for (i, &to) in points.iter().enumerate() {
                connection.receive(&input[from..to], &mut files);
                from = to;
                // A socket that takes only some bytes each time.
                let take = takes[i % takes.len()].min(connection.output().len());
                out.extend_from_slice(&connection.output()[..take]);
                connection.written(take, &mut files);
            }
            out.extend(drain(&mut connection, &mut files));
            prop_assert!(
                out == whole,
                "{}",
                say!(
                    "cut at {:?}, the stream got\n    {}\nwhole, it got\n    {}",
                    "在 {:?} 处切开，这串请求得到\n    {}\n整串一次给出时得到\n    {}",
                    points,
                    show(&out),
                    show(&whole)
                )
            );
            prop_assert!(connection.is_finished(), "the stream ends with Connection: close");
        }
    }
}

/// The exact bytes of the responses to a fixed set of requests, each on a new connection.
mod exact_bytes {
    use super::*;

    #[test]
    fn responses_to_a_fixed_request_set() {
        let site = Site::new();
        let requests: &[&[u8]] = &[
            b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            b"GET /hello.txt HTTP/1.1\r\n\r\n",
            b"HEAD /hello.txt HTTP/1.1\r\n\r\n",
            b"GET /%E4%BD%A0%E5%A5%BD.txt HTTP/1.1\r\n\r\n",
            b"GET /sub/ HTTP/1.0\r\n\r\n",
            b"GET /missing.png HTTP/1.1\r\n\r\n",
            b"GET /../secret.txt HTTP/1.1\r\n\r\n",
            b"DELETE /hello.txt HTTP/1.1\r\n\r\n",
            b"POST /echo HTTP/1.1\r\nContent-Length: 6\r\nConnection: close\r\n\r\n\xe4\xbd\xa0\xe5\xa5\xbd",
            b"BREW /pot HTTP/1.1\r\n\r\n",
            b"GET / HTTP/2.0\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"GET / HTTP/1.1\r\nTransfer-Encoding: br\r\n\r\n",
            b"GET /x HTTP/1.1\r\nX : y\r\n\r\n",
        ];
        let mut transcript = String::new();
        for request in requests {
            let (out, _) = converse(&mut Files::new(&site.root()), request);
            let lines = |bytes: &[u8]| show_lines(bytes);
            transcript.push_str(&format!("> {}\n< {}\n\n", lines(request), lines(&out)));
        }
        insta::assert_snapshot!(transcript);
    }

    /// Bytes escaped, with a line break after each `\n`, so a response reads line by line.
    fn show_lines(bytes: &[u8]) -> String {
        bytes
            .escape_ascii()
            .to_string()
            .replace("\\n", "\\n\n  ")
            .trim_end()
            .to_string()
    }
}

// ---------------------------------------------------------------------------------------
// The harness: the server on its own thread, serving a `Site` with `Files`.

type Job = Box<dyn FnOnce(&mut Server<Files>) + Send>;

struct Harness {
    addr: SocketAddr,
    waker: Waker,
    jobs: mpsc::Sender<Job>,
    /// The server's thread: whether it has ended, and its panic's message and place.
    server: threads::Watch,
    /// `Some` while the server's thread is inside `Server::run`.
    running: Option<mpsc::Receiver<std::io::Result<()>>>,
    /// The folder served, removed when the harness is dropped.
    _site: Site,
}

impl Drop for Harness {
    fn drop(&mut self) {
        if self.running.is_some() {
            self.waker.wake(); // let the server's thread end
        }
    }
}

impl Harness {
    fn start() -> Harness {
        Harness::start_with(Config::default())
    }

    /// Binds a server on a free loopback port and runs it on a thread of its own.
    fn start_with(config: Config) -> Harness {
        let site = Site::new();
        let server = Server::bind_with("127.0.0.1:0", Files::new(&site.root()), config)
            .unwrap_or_else(|e| {
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
            _site: site,
        };
        harness.go();
        harness
    }

    /// Lets the server run (`Server::run` on its thread) until `stop`.
    fn go(&mut self) {
        let (done, running) = mpsc::channel();
        self.send_job(Box::new(move |server| {
            let _ = done.send(server.run());
        }));
        self.running = Some(running);
    }

    fn send_job(&self, job: Job) {
        self.jobs
            .send(job)
            .unwrap_or_else(|_| panic!("{}", self.server.why_ended()));
    }

    /// Wakes the server and waits until `Server::run` returns.
    fn stop(&mut self) {
        let running = self.running.take().expect("the server is running");
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
                    "Server::run did not return within {WAIT:?} after Waker::wake: is the waker's socket \
                     in the poll set, and does the loop block anywhere (a blocking read or write)?",
                    "Waker::wake 之后 {WAIT:?} 内 Server::run 没有返回：waker 的套接字在 poll 集合里吗？循环有没有在哪里阻塞（阻塞的读或写）？"
                )
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "{}",
                say!(
                    "Server::run did not return: {}",
                    "Server::run 没有返回：{}",
                    self.server.why_ended()
                )
            ),
        }
    }

    /// Runs `f` on the server's thread (the server must be stopped) and returns its result.
    fn call<R: Send + 'static>(
        &mut self,
        what: &str,
        f: impl FnOnce(&mut Server<Files>) -> R + Send + 'static,
    ) -> R {
        assert!(
            self.running.is_none(),
            "stop the server before calling into it"
        );
        let (done, result) = mpsc::channel();
        self.send_job(Box::new(move |server| {
            let _ = done.send(f(server));
        }));
        match result.recv_timeout(3 * WAIT) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => panic!(
                "{}",
                say!(
                    "{what} did not return within {:?}: does the loop block somewhere?",
                    "{what} 在 {:?} 内没有返回：循环是不是在哪里阻塞了？",
                    3 * WAIT
                )
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "{}",
                say!(
                    "{what} did not return: {}",
                    "{what} 没有返回：{}",
                    self.server.why_ended()
                )
            ),
        }
    }

    /// Turns the (stopped) server's loop until it holds `n` connections, and reports how
    /// many it holds.
    fn settle(&mut self, n: usize) -> usize {
        self.call("poll_once", move |s| {
            for _ in 0..8 {
                if s.connections() == n {
                    break;
                }
                match s.poll_once(Some(WAIT)) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
            s.connections()
        })
    }

    /// With the server stopped and every client idle and read up: a turn that does not
    /// wait must find no socket ready.
    #[track_caller]
    fn assert_idle(&mut self) {
        let ready = self.call("poll_once", |s| s.poll_once(Some(Duration::ZERO)));
        let ready = ready.unwrap_or_else(|e| panic!("poll_once(Some(0)) failed: {e}"));
        assert_eq!(
            ready,
            0,
            "{}",
            say!(
                "nothing is happening, yet poll_once found {ready} socket(s) ready: a closed connection \
                 left in the poll set, POLLOUT asked with nothing to write, or the waker not drained",
                "什么事也没发生，poll_once 却发现 {ready} 个套接字就绪：可能是已关闭的连接还留在 poll 集合里，没有东西要写时还请求了 POLLOUT，或者 waker 没有读空"
            )
        );
    }

    fn connect(&self, who: &str) -> Client {
        let stream = TcpStream::connect_timeout(&self.addr, WAIT)
            .unwrap_or_else(|e| panic!("{who} could not connect: {e}"));
        Client::new(stream, who, self.server.clone())
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
        Client::new(TcpStream::from(fd), who, self.server.clone())
    }
}

/// One response as a client reads it.
#[derive(Debug)]
struct Received {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Every byte of it, as sent.
    raw: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A client: a blocking std TcpStream with timeouts, and what it has read but not used.
struct Client {
    who: String,
    stream: TcpStream,
    buffer: Vec<u8>,
    server: threads::Watch,
}

impl Client {
    fn new(stream: TcpStream, who: &str, server: threads::Watch) -> Client {
        stream
            .set_read_timeout(Some(SLICE))
            .expect("set_read_timeout");
        stream
            .set_write_timeout(Some(WAIT))
            .expect("set_write_timeout");
        stream.set_nodelay(true).expect("set_nodelay");
        Client {
            who: who.to_string(),
            stream,
            buffer: Vec::new(),
            server,
        }
    }

    fn send(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        if let Err(e) = self.stream.write_all(bytes) {
            panic!(
                "{}",
                say!(
                    "{} could not send {}: {e}",
                    "{} 无法发送 {}：{e}",
                    self.who,
                    show(bytes)
                )
            );
        }
    }

    /// One read of at most 64 KiB, waiting at most `WAIT`: `Ok(0)` at the end of the
    /// stream, `Err` on a reset or after `WAIT` with nothing.
    fn read_some(&mut self) -> std::io::Result<usize> {
        let tries = WAIT.as_millis() / SLICE.as_millis();
        let mut buf = vec![0u8; 64 * 1024];
        for _ in 0..tries {
            match self.stream.read(&mut buf) {
                Ok(n) => {
                    self.buffer.extend_from_slice(&buf[..n]);
                    return Ok(n);
                }
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
                Err(e) => return Err(e),
            }
        }
        Err(ErrorKind::TimedOut.into())
    }

    /// The next whole response (its head, then `Content-Length` bytes of body).
    fn response(&mut self) -> Received {
        self.response_to(false)
    }

    /// The next response; `head_only` for a response to `HEAD` (no body follows).
    fn response_to(&mut self, head_only: bool) -> Received {
        loop {
            if let Some(received) = split_response(&self.buffer, head_only) {
                self.buffer.drain(..received.raw.len());
                return received;
            }
            match self.read_some() {
                Ok(0) => panic!(
                    "{}{}",
                    say!(
                        "{} expected a response, but the connection closed after {}",
                        "{} 在等一个响应，连接却在收到 {} 之后关闭了",
                        self.who,
                        if self.buffer.is_empty() {
                            say!("nothing of it", "任何内容")
                        } else {
                            show(&self.buffer)
                        }
                    ),
                    self.server
                        .panic()
                        .map(|p| format!(": {p}"))
                        .unwrap_or_default()
                ),
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::TimedOut && self.buffer.is_empty() => panic!(
                    "{}",
                    say!(
                        "{} waited {WAIT:?} for a response and got nothing: is it never sent, or is \
                         the server's loop stuck?",
                        "{} 等了 {WAIT:?} 要收到一个响应，什么也没收到：是根本没发，还是服务器的循环卡住了？",
                        self.who
                    )
                ),
                // Part of a response came and the rest never did: a write cut short.
                Err(e) if e.kind() == ErrorKind::TimedOut => panic!(
                    "{}",
                    say!(
                        "{} waited {WAIT:?} for a response and got only {}: the rest never came. Was \
                         part of a write dropped (what write() did not take, never sent later)?",
                        "{} 等了 {WAIT:?} 要收到一个响应，只收到 {}：剩下的部分一直没来。是不是有一部分写入被丢掉了（write() 没写完的部分后来没有再发）？",
                        self.who,
                        show(&self.buffer)
                    )
                ),
                Err(e) => panic!(
                    "{}",
                    say!(
                        "{} could not read a response: {e}",
                        "{} 读不到响应：{e}",
                        self.who
                    )
                ),
            }
        }
    }

    /// The server must close the connection: the end of the stream (or a reset) is next.
    #[track_caller]
    fn expect_closed(&mut self) {
        loop {
            if !self.buffer.is_empty() {
                panic!(
                    "{}",
                    say!(
                        "{} expected the connection to close, got {} first",
                        "{} 应看到连接关闭，却先收到 {}",
                        self.who,
                        show(&self.buffer)
                    )
                );
            }
            match self.read_some() {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => return,
                Err(e) if e.kind() == ErrorKind::TimedOut => panic!(
                    "{}",
                    say!(
                        "{} waited {WAIT:?} for the server to close the connection; it stayed open",
                        "{} 等了 {WAIT:?}，服务器一直没有关闭连接",
                        self.who
                    )
                ),
                Err(e) => panic!("{}: {e}", self.who),
            }
        }
    }
}

/// The first whole response in `bytes`, or `None` if it is not all there.
fn split_response(bytes: &[u8], head_only: bool) -> Option<Received> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&bytes[..end - 4]).unwrap_or_else(|_| {
        panic!(
            "{}",
            say!(
                "a response head that is not UTF-8: {}",
                "响应头不是 UTF-8：{}",
                show(bytes)
            )
        )
    });
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "{}",
                say!(
                    "a response must start with `HTTP/1.1 <code> <reason>`, got {status_line:?}",
                    "响应必须以 `HTTP/1.1 <状态码> <附加信息>` 开头，却是 {status_line:?}"
                )
            )
        });
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("a header line without `: `: {line:?}"));
            (name.to_string(), value.to_string())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "{}",
                say!(
                    "every response must say its Content-Length: {}",
                    "每个响应都必须给出 Content-Length：{}",
                    show(&bytes[..end])
                )
            )
        });
    let total = if head_only { end } else { end + length };
    if bytes.len() < total {
        return None;
    }
    Some(Received {
        status,
        headers,
        body: bytes[end..total].to_vec(),
        raw: bytes[..total].to_vec(),
    })
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

#[track_caller]
fn assert_hello(got: &Received, who: &str) {
    assert!(
        got.status == 200 && got.body == HELLO.as_bytes(),
        "{}",
        say!(
            "{who} asked for /hello.txt and got {}",
            "{who} 请求了 /hello.txt，却收到 {}",
            show(&got.raw)
        )
    );
}

// ---------------------------------------------------------------------------------------
// Real clients on loopback.

mod server {
    use super::*;

    #[test]
    fn keep_alive_serves_request_after_request_on_one_connection() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        for _ in 0..3 {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assert_hello(&c.response(), "the client");
        }
        c.send("HEAD /hello.txt HTTP/1.1\r\n\r\n");
        let head = c.response_to(true);
        assert!(head.body.is_empty() && head.header("Content-Length") == Some("13"));
        c.send("GET /missing HTTP/1.1\r\n\r\n");
        assert_eq!(c.response().status, 404);
        h.stop();
        assert_eq!(
            h.settle(1),
            1,
            "{}",
            say!(
                "an HTTP/1.1 connection stays open between requests (keep-alive): connections() should be 1",
                "HTTP/1.1 连接在请求之间保持打开（keep-alive）：connections() 应为 1"
            )
        );
        h.assert_idle();
    }

    #[test]
    fn three_requests_in_one_write_get_three_responses_in_order() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        c.send(
            "GET /hello.txt HTTP/1.1\r\n\r\nGET /missing HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        );
        assert_hello(&c.response(), "request 1 of 3");
        let second = c.response();
        assert_eq!(
            second.status,
            404,
            "request 2 of 3 was for /missing: {}",
            show(&second.raw)
        );
        let third = c.response();
        assert_eq!(
            third.body,
            INDEX.as_bytes(),
            "request 3 of 3 was for /: {}",
            show(&third.raw)
        );
        h.stop();
        h.assert_idle();
    }

    /// Each byte of a request in a write of its own, with a turn of the loop after each,
    /// so each is a read of its own.
    #[test]
    fn a_request_one_byte_per_read() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        h.stop();
        for &byte in b"GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n" {
            c.send([byte]);
            h.call("poll_once", |s| s.poll_once(Some(WAIT)))
                .unwrap_or_else(|e| panic!("poll_once failed: {e}"));
        }
        h.go();
        assert_hello(&c.response(), "a request sent one byte at a time");
    }

    #[test]
    fn connection_close_gets_its_response_then_the_end() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        c.send("GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
        let got = c.response();
        assert_hello(&got, "the client");
        assert_eq!(
            got.header("Connection"),
            Some("close"),
            "{}",
            say!(
                "the response to Connection: close says Connection: close",
                "对 Connection: close 的响应也要带 Connection: close"
            )
        );
        c.expect_closed();
        h.stop();
        assert_eq!(h.settle(0), 0, "a closed connection must leave the table");
        h.assert_idle();
    }

    #[test]
    fn http_1_0_gets_its_response_then_the_end() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        c.send("GET /hello.txt HTTP/1.0\r\n\r\n");
        assert_hello(&c.response(), "an HTTP/1.0 client");
        c.expect_closed();
        h.stop();
        assert_eq!(h.settle(0), 0, "a closed connection must leave the table");
        h.assert_idle();
    }

    #[test]
    fn a_bad_request_gets_its_status_then_the_end() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        c.send("HELLO SERVER\r\n\r\n");
        let got = c.response();
        assert_eq!(got.status, 400, "{}", show(&got.raw));
        c.expect_closed();
        let mut other = h.connect("another client");
        other.send("GET /hello.txt HTTP/1.1\r\n\r\n");
        assert_hello(&other.response(), "another client");
        h.stop();
        h.assert_idle();
    }

    #[test]
    fn half_a_request_blocks_nobody() {
        let mut h = Harness::start();
        let mut half = h.connect("the client that sent half a request");
        half.send("GET /hello.txt HTTP/1.1\r\nHo");
        let mut other = h.connect("another client");
        for _ in 0..3 {
            other.send("GET /hello.txt HTTP/1.1\r\n\r\n");
            assert_hello(&other.response(), "another client");
        }
        half.send("st: x\r\n\r\n");
        assert_hello(&half.response(), "the client that finished its request");
        h.stop();
        h.assert_idle();
    }

    /// A client that ends its side after its requests (as `nc -N` does) still gets every
    /// response, then the end of the stream.
    #[test]
    fn a_half_closed_client_gets_its_responses_then_the_end() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        c.send("GET /hello.txt HTTP/1.1\r\n\r\nGET /hello.txt HTTP/1.1\r\n\r\nGET /hel");
        c.stream
            .shutdown(std::net::Shutdown::Write)
            .expect("shutdown");
        assert_hello(&c.response(), "a half-closed client");
        assert_hello(&c.response(), "a half-closed client");
        c.expect_closed();
        h.stop();
        assert_eq!(h.settle(0), 0, "a finished connection must leave the table");
        h.assert_idle();
    }

    /// Two servers listening at once, each on a port of its own: `bind` listens where it
    /// is asked (port 0: any free port the system gives), never on a port it picked.
    /// One server at a time cannot show it: the system lets a listener's port be taken
    /// again as soon as it is closed.
    #[test]
    fn two_servers_listen_at_once_on_ports_of_their_own() {
        let site = Site::new();
        let bind = |which: &str| {
            Server::bind("127.0.0.1:0", Files::new(&site.root())).unwrap_or_else(|e| {
                panic!(
                    "{}",
                    say!(
                        "Server::bind(\"127.0.0.1:0\", ..) for the {which} server failed: {e} (does bind listen on a fixed port instead of the address it is given? Port 0 asks the system for any free port)",
                        "为{which}服务器调用 Server::bind(\"127.0.0.1:0\", ..) 失败了：{e}（bind 是否监听了固定端口，而不是传入的地址？端口 0 表示由系统分配任意空闲端口）"
                    )
                )
            })
        };
        let first = bind(&say!("first", "第一个"));
        let second = bind(&say!("second", "第二个"));
        let (a, b) = (first.local_addr(), second.local_addr());
        assert!(
            a != b && a.port() != 0 && b.port() != 0,
            "{}",
            say!(
                "two servers bound to 127.0.0.1:0 should listen on two ports, got {a} and {b}",
                "两个绑定到 127.0.0.1:0 的服务器应监听两个不同端口，却得到 {a} 和 {b}"
            )
        );
    }

    /// `run` on a thread of its own stops when another thread wakes it; dropping the
    /// server then closes every connection.
    #[test]
    fn the_server_stops_when_woken_from_another_thread() {
        let site = Site::new();
        let mut server = Server::bind("127.0.0.1:0", Files::new(&site.root()))
            .unwrap_or_else(|e| panic!("Server::bind failed: {e}"));
        let addr = server.local_addr();
        let waker = server.waker();
        let (done, finished) = mpsc::channel();
        let thread = threads::spawn("server", move || {
            let result = server.run().map_err(|e| e.to_string());
            let connections = server.connections();
            drop(server);
            let _ = done.send((result, connections));
        });
        let stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        let mut c = Client::new(stream, "the client", thread.watch());
        c.send("GET /hello.txt HTTP/1.1\r\n\r\n");
        assert_hello(&c.response(), "the client");
        waker.wake();
        match finished.recv_timeout(WAIT) {
            Ok((Ok(()), connections)) => assert_eq!(
                connections,
                1,
                "{}",
                say!(
                    "stopping keeps the connections open (connections() should still be 1)",
                    "停止时连接仍然保持（connections() 应仍为 1）"
                )
            ),
            Ok((Err(e), _)) => panic!("Server::run returned an error: {e}"),
            Err(_) => panic!(
                "{}",
                say!(
                    "Server::run did not return within {WAIT:?} after Waker::wake from another thread",
                    "另一个线程调用 Waker::wake 之后，{WAIT:?} 内 Server::run 没有返回"
                )
            ),
        }
        c.expect_closed();
    }
}

mod many_clients {
    use super::*;

    const CLIENTS: usize = 50;

    /// 50 keep-alive clients, each pipelining 3 requests in one write; every client gets
    /// its 3 responses, in order.
    #[test]
    fn fifty_clients_each_pipelining_three_requests() {
        raise_fd_limit(2 * CLIENTS as u64 + 64);
        let mut h = Harness::start();
        let mut clients: Vec<Client> = (0..CLIENTS)
            .map(|i| h.connect(&format!("client {i}")))
            .collect();
        for (i, c) in clients.iter_mut().enumerate() {
            c.send(format!(
                "GET /hello.txt HTTP/1.1\r\n\r\nPOST /echo HTTP/1.1\r\nContent-Length: {}\r\n\r\nfrom {i}GET /big.bin HTTP/1.1\r\n\r\n",
                format!("from {i}").len()
            ));
        }
        for (i, c) in clients.iter_mut().enumerate() {
            let who = format!("client {i}");
            assert_hello(&c.response(), &who);
            let echo = c.response();
            assert_eq!(
                echo.body,
                format!("from {i}").as_bytes(),
                "{}",
                say!(
                    "{who}'s second response should echo its own body: {}",
                    "{who} 的第二个响应应是它自己的请求体：{}",
                    show(&echo.raw)
                )
            );
            assert_eq!(
                c.response().body,
                big_file(),
                "{who}'s third response is /big.bin"
            );
        }
        h.stop();
        assert_eq!(
            h.settle(CLIENTS),
            CLIENTS,
            "every keep-alive connection stays open"
        );
        h.assert_idle();
    }
}

mod slow_reader {
    use super::*;

    const SMALL: usize = 4096;

    /// A client pipelines 100 requests for a 4 KiB file and reads nothing: 400 KiB of
    /// responses, far more than its sockets' buffers and the server's `max_output` hold.
    /// Another client is served meanwhile; then the slow one reads everything, in order.
    #[test]
    fn a_client_that_does_not_read_stalls_only_itself() {
        let mut h = Harness::start_with(Config {
            max_output: 16 * 1024,
            send_buffer: Some(SMALL),
            ..Config::default()
        });
        let mut slow = h.connect_small("the slow reader", SMALL);
        slow.send(b"GET /big.bin HTTP/1.1\r\n\r\n".repeat(100));
        let mut other = h.connect("another client");
        // Its requests come after the slow reader's, and pass them.
        for _ in 0..3 {
            other.send("GET /hello.txt HTTP/1.1\r\n\r\n");
            assert_hello(&other.response(), "a client beside a slow reader");
        }
        for i in 0..100 {
            let got = slow.response();
            assert!(
                got.status == 200 && got.body == big_file(),
                "{}",
                say!(
                    "the slow reader's response {i} of 100 should be /big.bin, got {}",
                    "慢读者的第 {i} 个（共 100 个）响应应是 /big.bin，却收到 {}",
                    show(&got.raw)
                )
            );
        }
        h.stop();
        assert_eq!(h.settle(2), 2, "both connections stay open");
        h.assert_idle();
    }

    /// A client leaves while responses still wait for it (its socket fails when written
    /// to): the server closes the connection and goes on; nothing is left to poll.
    #[test]
    fn a_client_that_leaves_with_responses_waiting_is_closed() {
        let mut h = Harness::start_with(Config {
            max_output: 16 * 1024,
            send_buffer: Some(SMALL),
            ..Config::default()
        });
        let mut slow = h.connect_small("the slow reader", SMALL);
        slow.send(b"GET /big.bin HTTP/1.1\r\n\r\n".repeat(100));
        // One response read: the server is answering, and 400 KiB cannot all have left.
        let first = slow.response();
        assert_eq!(first.body, big_file(), "the slow reader's first response");
        drop(slow);
        let mut other = h.connect("another client");
        other.send("GET /hello.txt HTTP/1.1\r\n\r\n");
        assert_hello(&other.response(), "a client after the slow reader left");
        h.stop();
        assert_eq!(
            h.settle(1),
            1,
            "{}",
            say!(
                "a client left with responses waiting: a write to its socket fails, and the connection \
                 must be closed and leave the table (connections() should be 1)",
                "一个客户端在还有响应等着发给它的时候离开了：写它的套接字会失败，这个连接必须关闭并离开表（connections() 应为 1）"
            )
        );
        h.assert_idle();
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
    /// Requests each client pipelines, each for the 4 KiB file, each 1 KiB long (a
    /// padding header): 48 KiB of requests, which the server's socket buffer takes whole.
    const REQUESTS: usize = 48;

    /// 100 clients each pipeline 48 requests of 1 KiB for a 4 KiB file and read nothing:
    /// 19 MiB of responses if the server answered them all, and 4.7 MiB of requests if it
    /// read them all. The peak of the heap while it serves them (counted by
    /// `tests/support/heap.rs`) must stay within 2 x (`max_output` + 8 KiB) and 16 KiB a
    /// client, plus 1 MiB: responses wait until there is room for them, and requests wait
    /// in the kernel until responses have room (the reference peaks at 4.2 MB, the budget
    /// is 7.6 MB; answering everything or reading everything costs 10 MB or more).
    #[test]
    fn pipelined_requests_wait_for_room_in_max_output() {
        if child::role().as_deref() == Some("burst") {
            return burst();
        }
        let out = child::run(
            "memory::pipelined_requests_wait_for_room_in_max_output",
            "burst",
            |_| {},
        );
        assert!(child::passed(&out), "{}", child::describe(&out));
    }

    fn burst() {
        let files = raise_fd_limit(2 * CLIENTS as u64 + 64);
        assert!(
            files >= 2 * CLIENTS as u64 + 16,
            "this test needs {} open files",
            2 * CLIENTS + 16
        );
        let mut h = Harness::start_with(Config {
            max_output: LIMIT,
            send_buffer: Some(4096),
            ..Config::default()
        });
        let mut clients: Vec<Client> = (0..CLIENTS)
            .map(|i| h.connect_small(&format!("client {i}"), 4096))
            .collect();
        // Every connection accepted before the measure.
        h.stop();
        assert_eq!(h.settle(CLIENTS), CLIENTS);
        for c in &mut clients {
            let pad = "p".repeat(1000);
            c.send(format!("GET /big.bin HTTP/1.1\r\nX-Pad: {pad}\r\n\r\n").repeat(REQUESTS));
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
        // Every client's output is full and its socket stalled: nothing more can happen,
        // so a turn must come that finds nothing ready.
        assert!(
            turns.len() < 64,
            "{}",
            say!(
                "with every client's output full and no client reading, 64 turns of poll_once(0) in a \
                 row found sockets ready: the loop spins. No POLLIN for a connection that does not \
                 wants_input (its unread requests keep its socket readable), no POLLOUT without output",
                "所有客户端的输出都满了、没有客户端在读，连续 64 轮 poll_once(0) 都发现有套接字就绪：循环在空转。连接不 wants_input 时不要 POLLIN（它没读的请求让套接字一直可读），没有输出时不要 POLLOUT"
            )
        );
        let budget = CLIENTS * (2 * (LIMIT + 8192) + 16 * 1024) + (1 << 20);
        assert!(
            peak <= budget,
            "{}",
            say!(
                "while {CLIENTS} clients each pipelined {REQUESTS} requests of 1 KiB for a 4 KiB file and read \
                 nothing, the heap grew by {peak} bytes (at most {budget}: 2 x (max_output ({LIMIT}) + \
                 8 KiB) and 16 KiB a client, and 1 MiB): answer a connection's requests only while it \
                 holds less than max_output to send, and read from it only then (no POLLIN while it \
                 does not wants_input)",
                "{CLIENTS} 个客户端各管线化发出 {REQUESTS} 个 1 KiB 长、请求 4 KiB 文件的请求、却一个也不读时，堆增长了 {peak} 字节（最多 {budget}：每个客户端 2 x (max_output（{LIMIT}）+ 8 KiB) 加 16 KiB，再加 1 MiB）：只在连接待发送的字节少于 max_output 时才回答它的请求、才从它读取（它不 wants_input 时不要 POLLIN）"
            )
        );
        drop(clients);
    }

    /// Waits until every byte the client wrote is acknowledged by the server's socket
    /// (`SIOCOUTQ`: bytes not yet acknowledged), so the server finds them all at its next
    /// turn. On loopback this is at once; the wait is bounded all the same.
    fn wait_until_acknowledged(client: &Client) {
        use std::os::fd::AsRawFd;
        let fd = client.stream.as_raw_fd();
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
        panic!("the server's socket never acknowledged a client's requests");
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
    /// finds nothing ready after its first failed `accept`. Once a connection closes, new
    /// clients are served again.
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
        let mut a = h.connect("a");
        a.send("GET /hello.txt HTTP/1.1\r\n\r\n");
        assert_hello(&a.response(), "a");
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
                 spins. Leave the listener out of the poll (no events) until a connection closes",
                "文件描述符用光、还有一个连接等着被 accept 时，{TURNS} 轮里有 {busy} 轮发现有套接字就绪（最多只能有 3 轮）：accept 失败，连接留在队列里，监听套接字一直可读，再 poll 它就会立刻返回：循环在空转。在有连接关闭之前，别再让 poll 关注监听套接字（不请求任何事件）"
            )
        );
        // A connection closes: the server accepts again (the descriptors taken are given
        // back too, so the files it serves can be opened).
        drop(a);
        drop(fillers);
        h.go();
        let mut newcomer = h.connect("a new client");
        newcomer.send("GET /hello.txt HTTP/1.1\r\n\r\n");
        assert_hello(&newcomer.response(), "a client after a connection closed");
        drop(waiting);
    }
}

mod program {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::process::{Child, Command, Stdio};

    /// The http-server program built with the crate under test (`http-server`, or
    /// `http-server-ref` in the reference). A scratch crate (a mutant's, a copy graded
    /// against pristine suites) is built without its programs: then there is none.
    fn program() -> Option<&'static str> {
        option_env!("CARGO_BIN_EXE_http-server").or(option_env!("CARGO_BIN_EXE_http-server-ref"))
    }

    /// The program, serving a temp folder on a free loopback port; killed when dropped.
    struct Running {
        child: Child,
        addr: SocketAddr,
        dir: TempDir,
    }

    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Running {
        fn start() -> Option<Running> {
            let Some(path) = program() else {
                eprintln!("this crate was built without its programs: nothing to run");
                return None;
            };
            let dir = TempDir::new("program");
            dir.write("hello.txt", HELLO);
            let mut child = Command::new(path)
                .args(["--port", "0", "--directory"])
                .arg(dir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
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
            let banner = log.recv_timeout(WAIT).unwrap_or_default();
            let addr = banner
                .strip_prefix("http server on ")
                .and_then(|rest| rest.split_once(", "))
                .and_then(|(addr, _)| addr.parse().ok());
            let Some(addr) = addr else {
                let mut printed = vec![banner];
                printed.extend(log.recv_timeout(WAIT).ok());
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{}",
                    say!(
                        "the program's first line on standard error should be `http server on \
                         <address>, files from <dir>`; it printed:\n    {}",
                        "程序在标准错误上的第一行应是 `http server on <地址>, files from <目录>`；它打印的是：\n    {}",
                        printed.join("\n    ")
                    )
                );
            };
            Some(Running { child, addr, dir })
        }

        fn connect(&self) -> Client {
            let stream =
                TcpStream::connect_timeout(&self.addr, WAIT).expect("connect to the program");
            Client::new(stream, "curl", threads::Watch::elsewhere("server"))
        }
    }

    /// What the program needs of the library, tried here first, in this test's own
    /// process, so that a function not written yet is named by the runner.
    fn library_works() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        c.send("GET /hello.txt HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n");
        assert_hello(&c.response(), "the client");
        let r = request(
            Method::Get,
            "/",
            Version::Http11,
            &[("Accept-Encoding", "gzip")],
            b"",
        );
        assert!(r.accepts_encoding("gzip"));
        let _ = Response::text(200, "x").gzip();
        assert!(resolve(Path::new("/d"), "/f").is_ok());
        h.stop();
    }

    #[track_caller]
    fn assert_bytes(got: &Received, expected: &str, what: &str) {
        assert!(
            got.raw == expected.as_bytes(),
            "{}",
            say!(
                "{what}: the program should answer\n    {}\nit answered\n    {}",
                "{what}：程序应回答\n    {}\n它回答的是\n    {}",
                show(expected.as_bytes()),
                show(&got.raw)
            )
        );
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap_or_else(|e| panic!("the gzip body does not decompress: {e}"));
        out
    }

    /// Every route, on one keep-alive connection, as `curl` and the common HTTP-server
    /// exercise testers ask: the exact bytes where they are fixed.
    #[test]
    fn every_route_answers_as_the_testers_expect() {
        library_works();
        let Some(server) = Running::start() else {
            return;
        };
        let mut c = server.connect();
        c.send("GET / HTTP/1.1\r\nHost: localhost:4221\r\n\r\n");
        assert_bytes(
            &c.response(),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            "GET /",
        );
        c.send("GET /echo/abc HTTP/1.1\r\nHost: localhost:4221\r\n\r\n");
        assert_bytes(
            &c.response(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc",
            "GET /echo/abc",
        );
        c.send(
            "GET /user-agent HTTP/1.1\r\nHost: localhost:4221\r\nUser-Agent: foobar/1.2.3\r\n\r\n",
        );
        assert_bytes(
            &c.response(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nfoobar/1.2.3",
            "GET /user-agent",
        );
        c.send("GET /files/hello.txt HTTP/1.1\r\n\r\n");
        assert_bytes(
            &c.response(),
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 13\r\n\r\nhello, world\n",
            "GET /files/hello.txt",
        );
        c.send("GET /files/non_existent_file HTTP/1.1\r\n\r\n");
        assert_eq!(c.response().status, 404, "GET /files/<a missing file>");
        c.send("POST /files/new.txt HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\n12345");
        assert_bytes(
            &c.response(),
            "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
            "POST /files/new.txt",
        );
        let written = std::fs::read(server.dir.path().join("new.txt")).unwrap_or_default();
        assert_eq!(
            written, b"12345",
            "POST /files/new.txt must write the body to the file"
        );
        c.send("GET /files/new.txt HTTP/1.1\r\n\r\n");
        assert_eq!(
            c.response().body,
            b"12345",
            "GET /files/new.txt after the POST"
        );
        c.send("GET /files/../hello.txt HTTP/1.1\r\n\r\n");
        assert_ne!(
            c.response().status,
            200,
            "GET /files/../hello.txt must not leave the directory"
        );
        c.send("GET /nowhere HTTP/1.1\r\n\r\n");
        assert_eq!(c.response().status, 404, "GET /nowhere");
        c.send("GET /echo/abc HTTP/1.1\r\nAccept-Encoding: invalid-encoding-1, gzip, invalid-encoding-2\r\n\r\n");
        let zipped = c.response();
        assert_eq!(
            zipped.header("Content-Encoding"),
            Some("gzip"),
            "gzip asked among others: {}",
            show(&zipped.raw)
        );
        assert_eq!(gunzip(&zipped.body), b"abc", "the gzip body of /echo/abc");
        c.send("GET /echo/abc HTTP/1.1\r\nAccept-Encoding: invalid-encoding\r\n\r\n");
        let plain = c.response();
        assert_eq!(
            plain.header("Content-Encoding"),
            None,
            "no gzip asked: {}",
            show(&plain.raw)
        );
        c.send("HEAD /echo/hello HTTP/1.1\r\n\r\n");
        let head = c.response_to(true);
        assert_eq!(
            head.header("Content-Length"),
            Some("5"),
            "HEAD /echo/hello: {}",
            show(&head.raw)
        );
        c.send("GET /echo/bye HTTP/1.1\r\nConnection: close\r\n\r\n");
        let last = c.response();
        assert_bytes(
            &last,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye",
            "GET /echo/bye with Connection: close",
        );
        c.expect_closed();
    }

    /// Several clients at once, as a tester's concurrency stage does.
    #[test]
    fn concurrent_clients_are_served() {
        library_works();
        let Some(server) = Running::start() else {
            return;
        };
        let mut clients: Vec<Client> = (0..3).map(|_| server.connect()).collect();
        for (i, c) in clients.iter_mut().enumerate().rev() {
            c.send(format!("GET /echo/{i} HTTP/1.1\r\n\r\n"));
        }
        for (i, c) in clients.iter_mut().enumerate() {
            assert_eq!(c.response().body, i.to_string().as_bytes());
        }
    }
}

/// The last step: chunked request bodies (`Transfer-Encoding: chunked`).
mod chunked {
    use super::*;
    use rstest::rstest;

    fn chunked(body: &str) -> String {
        format!("POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{body}")
    }

    #[rstest]
    #[case::one_chunk("5\r\nhello\r\n0\r\n\r\n", b"hello")]
    #[case::two_chunks("5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n", b"hello, world")]
    #[case::only_the_last_chunk("0\r\n\r\n", b"")]
    #[case::hex_sizes(
        "a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n",
        b"0123456789abcdefghij"
    )]
    #[case::leading_zeros("0005\r\nhello\r\n000\r\n\r\n", b"hello")]
    #[case::sixteen_digits("0000000000000005\r\nhello\r\n0\r\n\r\n", b"hello")]
    #[case::extensions("5;name=value\r\nhello\r\n0;last\r\n\r\n", b"hello")]
    #[case::line_ends_in_the_data("4\r\n\r\n\r\n\r\n0\r\n\r\n", b"\r\n\r\n")]
    #[case::bare_lf("5\nhello\n0\n\n", b"hello")]
    #[case::trailers("5\r\nhello\r\n0\r\nX-Checksum: 1234\r\nX-More: yes\r\n\r\n", b"hello")]
    fn a_chunked_body_is_joined(#[case] body: &str, #[case] expected: &[u8]) {
        let bytes = chunked(body);
        let request = parses_three_ways(bytes.as_bytes(), &limits());
        assert_eq!(
            request.body,
            expected,
            "{}",
            say!(
                "the chunks of {} joined",
                "{} 的各块拼接起来",
                show(bytes.as_bytes())
            )
        );
    }

    #[test]
    fn transfer_coding_names_are_case_insensitive() {
        let bytes = "POST /up HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        assert_eq!(parses_three_ways(bytes.as_bytes(), &limits()).body, b"abc");
    }

    #[rstest]
    #[case::not_hex("zz\r\nhello\r\n0\r\n\r\n")]
    #[case::no_size("\r\nhello\r\n0\r\n\r\n")]
    #[case::negative("-5\r\nhello\r\n0\r\n\r\n")]
    #[case::seventeen_digits("00000000000000005\r\nhello\r\n0\r\n\r\n")]
    #[case::too_big_for_64_bits("fffffffffffffffff\r\nhello\r\n0\r\n\r\n")]
    #[case::data_longer_than_its_size("3\r\nhello\r\n0\r\n\r\n")]
    #[case::no_line_end_after_the_data("5\r\nhelloX0\r\n\r\n")]
    fn a_bad_chunk_is_400(#[case] body: &str) {
        refused_three_ways(chunked(body).as_bytes(), &limits(), 400);
    }

    fn small() -> Limits {
        Limits {
            max_body: 32,
            ..Limits::default()
        }
    }

    /// `max_body` bounds a chunked body as it is sent: sizes, data, line ends and
    /// trailers, everything after the head.
    #[test]
    fn a_chunked_body_at_the_limit_passes_and_one_byte_more_is_413() {
        // 32 bytes after the head: "13\r\n" (4) + 19 data + "\r\n" (2) + "0\r\n\r\n" (5) = 30,
        // plus two bytes of extension on the last chunk.
        let at = chunked(&format!("13\r\n{}\r\n0;x\r\n\r\n", "d".repeat(19)));
        let request = parses_three_ways(at.as_bytes(), &small());
        assert_eq!(request.body.len(), 19);
        let over = chunked(&format!("13\r\n{}\r\n0;xy\r\n\r\n", "d".repeat(19)));
        refused_three_ways(over.as_bytes(), &small(), 413);
    }

    #[test]
    fn a_chunk_too_large_is_413_before_its_data_arrives() {
        let bytes = chunked("100\r\n");
        refused_three_ways(bytes.as_bytes(), &small(), 413);
    }

    /// A chunk that fits `max_body` alone, but not after the chunks before it: refused
    /// as soon as its size is read, before its data arrives.
    #[test]
    fn a_chunk_too_large_for_what_is_left_is_413_before_its_data_arrives() {
        let bytes = chunked(&format!("10\r\n{}\r\na\r\n", "d".repeat(16)));
        let got = parse_request(bytes.as_bytes(), &small());
        assert_eq!(
            got.as_ref().err().map(ParseError::status),
            Some(413),
            "{}",
            say!(
                "max_body 32: 25 bytes so far (a first chunk and the size line of the next), then 10 \
                 bytes of data (0xa) make 35, so 413 as soon as the size is read; got {got:?}",
                "max_body 为 32：目前已有 25 字节（第一块和下一块的大小行），再加上 10（0xa）字节的数据就是 35，所以一读到大小就应是 413；却得到 {got:?}"
            )
        );
    }

    #[test]
    fn many_small_chunks_add_up_to_413() {
        let bytes = chunked(&"1\r\nx\r\n".repeat(20));
        refused_three_ways(bytes.as_bytes(), &small(), 413);
    }

    #[test]
    fn endless_trailers_are_413() {
        let bytes = chunked(&format!("0\r\n{}", "X: y\r\n".repeat(20)));
        refused_three_ways(bytes.as_bytes(), &small(), 413);
    }

    /// Through a connection: a chunked body reaches the handler, and the request after it
    /// is answered too.
    #[test]
    fn a_chunked_post_then_the_next_request() {
        let site = Site::new();
        let mut files = Files::new(&site.root());
        let mut connection = Connection::new(limits(), MAX_OUTPUT);
        let stream = b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n\xe4\xbd\xa0\r\n3\r\n\xe5\xa5\xbd\r\n0\r\n\r\nGET /hello.txt HTTP/1.1\r\n\r\n";
        for piece in stream.chunks(7) {
            connection.receive(piece, &mut files);
        }
        let out = drain(&mut connection, &mut files);
        let expected = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\n你好{}",
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\nhello, world\n"
        );
        assert!(
            out == expected.as_bytes(),
            "{}",
            say!(
                "a chunked POST to /echo, then a GET, fed 7 bytes at a time: expected\n    {}\ngot\n    {}",
                "一个分块的 POST /echo，再一个 GET，每次喂 7 字节：应得到\n    {}\n实际得到\n    {}",
                show(expected.as_bytes()),
                show(&out)
            )
        );
    }

    #[test]
    fn a_real_client_sends_a_chunked_body() {
        let mut h = Harness::start();
        let mut c = h.connect("the client");
        c.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nchunk-");
        c.send("\r\n4\r\nsent\r\n0\r\n\r\n");
        let got = c.response();
        assert_eq!(got.body, b"chunk-sent", "{}", show(&got.raw));
        h.stop();
        h.assert_idle();
    }
}
