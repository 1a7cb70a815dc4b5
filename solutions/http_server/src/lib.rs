//! An HTTP/1.1 server (HTTP 协议与 HTTPServer v2.0): the reference solution.
//!
//! Built in layers, each testable without the one above it:
//!
//! 1. [`parse_request`]: bytes to a [`Request`], sans-IO (it never reads a socket): it
//!    says `Incomplete`, or gives a request and how many bytes it took, or an error with
//!    the status to answer.
//! 2. [`Response::to_bytes`]: a response to bytes, `Content-Length` counted in bytes.
//! 3. [`resolve`] and [`serve_file`]: a target to a file under a root, never outside it.
//! 4. [`Handler`]: "the class interface" of the course's HTTPServer v2.0: its default
//!    `handle` serves static files; a user overrides it for their own routes.
//! 5. [`Connection`]: one connection's state machine, bytes in and bytes out, no socket.
//! 6. [`Server`]: every connection on one thread with poll(2), as select_server does.

pub mod message;
pub mod net;

pub use message::{
    Limits, Method, ParseError, Parsed, Request, Response, TargetError, Version, content_type,
    reason_phrase,
};
pub use net::{Config, MAX_OUTPUT, Waker, set_send_buffer};

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

// ---------------------------------------------------------------------------------------
// 1. Parsing

/// Parses the request at the start of `buf`.
///
/// - `Ok(Parsed::Incomplete)`: nothing wrong so far, but the request is not all there.
/// - `Ok(Parsed::Complete { request, consumed })`: a whole request, from the first
///   `consumed` bytes; the bytes after them belong to the next request.
/// - `Err(e)`: not a request the server takes; `e.status()` is the status to answer.
///
/// Lines end with CRLF or a bare LF. Limits are checked as soon as the bytes prove them
/// passed, so a buffer never grows past them while `Incomplete`.
pub fn parse_request(buf: &[u8], limits: &Limits) -> Result<Parsed, ParseError> {
    // The request line.
    let Some((line, mut at)) = next_line(buf, 0) else {
        let so_far = buf.strip_suffix(b"\r").unwrap_or(buf);
        if so_far.len() > limits.max_request_line {
            return Err(ParseError::TargetTooLong);
        }
        return incomplete_head(buf, limits);
    };
    if line.len() > limits.max_request_line {
        return Err(ParseError::TargetTooLong);
    }
    let (method, target, version) = request_line(line)?;

    // The headers, up to the blank line.
    let mut headers = Vec::new();
    loop {
        let Some((line, next)) = next_line(buf, at) else {
            return incomplete_head(buf, limits);
        };
        if next > limits.max_head {
            return Err(ParseError::HeadTooLarge);
        }
        at = next;
        if line.is_empty() {
            break;
        }
        headers.push(header_line(line)?);
        if headers.len() > limits.max_headers {
            return Err(ParseError::HeadTooLarge);
        }
    }

    let mut request = Request {
        method,
        target,
        version,
        headers,
        body: Vec::new(),
    };
    // The body: how long it is comes from the headers (RFC 9112 §6.3).
    let end = match body_framing(&request, limits)? {
        Framing::None => at,
        Framing::Length(length) => {
            let end = at + length;
            if buf.len() < end {
                return Ok(Parsed::Incomplete);
            }
            request.body = buf[at..end].to_vec();
            end
        }
        Framing::Chunked => match chunked_body(buf, at, limits)? {
            Some((body, end)) => {
                request.body = body;
                end
            }
            None => return Ok(Parsed::Incomplete),
        },
    };
    Ok(Parsed::Complete {
        request,
        consumed: end,
    })
}

/// The head is not complete yet: `Incomplete`, unless the bytes so far are already more
/// than a head may be.
fn incomplete_head(buf: &[u8], limits: &Limits) -> Result<Parsed, ParseError> {
    if buf.len() > limits.max_head {
        Err(ParseError::HeadTooLarge)
    } else {
        Ok(Parsed::Incomplete)
    }
}

/// The line starting at `from`, without its line end (LF, or CRLF), and where the next
/// line starts; `None` while its LF has not arrived.
fn next_line(buf: &[u8], from: usize) -> Option<(&[u8], usize)> {
    let lf = from + buf[from..].iter().position(|&b| b == b'\n')?;
    let line = &buf[from..lf];
    Some((line.strip_suffix(b"\r").unwrap_or(line), lf + 1))
}

fn malformed(why: impl Into<String>) -> ParseError {
    ParseError::Malformed(why.into())
}

/// `method SP target SP version`, one space each.
fn request_line(line: &[u8]) -> Result<(Method, String, Version), ParseError> {
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed(
            "the request line is not `method target version`, one space apart",
        ));
    };
    if method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Err(malformed("the method is not a token"));
    }
    let Some(method) = Method::from_token(method) else {
        return Err(ParseError::NotImplemented(
            String::from_utf8_lossy(method).into_owned(),
        ));
    };
    if target.is_empty() || !target.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return Err(malformed("the target is empty or not visible ASCII"));
    }
    let target = String::from_utf8(target.to_vec()).expect("ASCII is UTF-8");
    let version = match version {
        b"HTTP/1.1" => Version::Http11,
        b"HTTP/1.0" => Version::Http10,
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            return Err(ParseError::VersionNotSupported(
                String::from_utf8_lossy(version).into_owned(),
            ));
        }
        _ => return Err(malformed("the version is not HTTP/<digit>.<digit>")),
    };
    Ok((method, target, version))
}

/// `name: value`: the name a token right before the colon, the value without the
/// spaces and tabs around it.
fn header_line(line: &[u8]) -> Result<(String, String), ParseError> {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(malformed("a header line without a colon"));
    };
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    // A space before the colon, or a line starting with a space (an obsolete folded
    // line), makes the name no token: refused (RFC 9112 §5.1, §5.2).
    if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
        return Err(malformed("a header name is not a token"));
    }
    let value = value.trim_ascii_start();
    let value = value.trim_ascii_end();
    if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(malformed("a header value holds a control character"));
    }
    let value = std::str::from_utf8(value).map_err(|_| malformed("a header value is not UTF-8"))?;
    let name = String::from_utf8(name.to_vec()).expect("a token is ASCII");
    Ok((name, value.to_string()))
}

/// A token character (RFC 9110 §5.6.2): what method and header names are made of.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

enum Framing {
    None,
    Length(usize),
    Chunked,
}

/// How the body's end is found: `Transfer-Encoding: chunked`, a `Content-Length`, or no
/// body at all. Both headers at once, or two different lengths, are refused: a server
/// and a proxy in front of it could read the body differently (request smuggling).
fn body_framing(request: &Request, limits: &Limits) -> Result<Framing, ParseError> {
    let named = |name: &'static str| -> Vec<&str> {
        request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let codings = named("Transfer-Encoding");
    let lengths = named("Content-Length");
    if !codings.is_empty() {
        if !lengths.is_empty() {
            return Err(malformed("both Transfer-Encoding and Content-Length"));
        }
        let coding = codings.join(", ");
        if !coding.eq_ignore_ascii_case("chunked") {
            return Err(ParseError::NotImplemented(coding));
        }
        return Ok(Framing::Chunked);
    }
    let mut length = None;
    for value in lengths {
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed("Content-Length is not a number"));
        }
        // All digits: only too many of them fail, and such a length is too large anyway.
        let n = value.parse::<u64>().unwrap_or(u64::MAX);
        if length.is_some_and(|l| l != n) {
            return Err(malformed("two different Content-Length values"));
        }
        length = Some(n);
    }
    match length {
        None | Some(0) => Ok(Framing::None),
        Some(n) if n > limits.max_body as u64 => Err(ParseError::BodyTooLarge),
        Some(n) => Ok(Framing::Length(n as usize)),
    }
}

/// A chunked body starting at `start`: `size-in-hex [;extensions]`, a line end, the
/// data, a line end, again, until a chunk of size 0, then trailer lines up to a blank
/// line. Gives the data joined and where the message ends, or `None` if it is not all
/// there. Everything after the head counts towards `max_body`.
fn chunked_body(
    buf: &[u8],
    start: usize,
    limits: &Limits,
) -> Result<Option<(Vec<u8>, usize)>, ParseError> {
    let too_large = |end: usize| end - start > limits.max_body;
    let mut body = Vec::new();
    let mut at = start;
    loop {
        let Some((line, next)) = next_line(buf, at) else {
            return if too_large(buf.len()) {
                Err(ParseError::BodyTooLarge)
            } else {
                Ok(None)
            };
        };
        if too_large(next) {
            return Err(ParseError::BodyTooLarge);
        }
        let size = line
            .split(|&b| b == b';')
            .next()
            .unwrap_or_default()
            .trim_ascii_end();
        if size.is_empty() || size.len() > 16 || !size.iter().all(u8::is_ascii_hexdigit) {
            return Err(malformed("a chunk size is not a hex number"));
        }
        let size = u64::from_str_radix(std::str::from_utf8(size).expect("hex digits"), 16)
            .expect("at most 16 hex digits fit a u64");
        at = next;
        if size == 0 {
            break;
        }
        // The data alone would pass the limit: refused before it arrives.
        if size > (limits.max_body - (at - start)) as u64 {
            return Err(ParseError::BodyTooLarge);
        }
        let data_end = at + size as usize;
        let Some(&after) = buf.get(data_end) else {
            return Ok(None);
        };
        let end = match after {
            b'\n' => data_end + 1,
            b'\r' => match buf.get(data_end + 1) {
                None => return Ok(None),
                Some(b'\n') => data_end + 2,
                Some(_) => return Err(malformed("a chunk's data is not followed by a line end")),
            },
            _ => return Err(malformed("a chunk's data is not followed by a line end")),
        };
        if too_large(end) {
            return Err(ParseError::BodyTooLarge);
        }
        body.extend_from_slice(&buf[at..data_end]);
        at = end;
    }
    // The trailer section: header lines the server reads past, up to a blank line.
    loop {
        let Some((line, next)) = next_line(buf, at) else {
            return if too_large(buf.len()) {
                Err(ParseError::BodyTooLarge)
            } else {
                Ok(None)
            };
        };
        if too_large(next) {
            return Err(ParseError::BodyTooLarge);
        }
        at = next;
        if line.is_empty() {
            return Ok(Some((body, at)));
        }
    }
}

impl Request {
    /// The value of the first header called `name`, compared without regard to case
    /// (`content-length` finds `Content-Length`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True when the connection closes after this request's response: an HTTP/1.0
    /// request, or a `Connection` header listing `close` (any case).
    pub fn wants_close(&self) -> bool {
        self.version == Version::Http10
            || self
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("Connection"))
                .flat_map(|(_, v)| v.split(','))
                .any(|token| token.trim().eq_ignore_ascii_case("close"))
    }

    /// True when an `Accept-Encoding` header lists `coding` (any case) with a weight
    /// other than `q=0`: `gzip`, `deflate, gzip;q=0.5`, but not `gzip;q=0`.
    pub fn accepts_encoding(&self, coding: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("Accept-Encoding"))
            .flat_map(|(_, v)| v.split(','))
            .any(|item| {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|param| {
                    let param = param.trim();
                    let q = param
                        .strip_prefix("q=")
                        .or_else(|| param.strip_prefix("Q="));
                    q.is_some_and(|q| q.trim().parse::<f64>() == Ok(0.0))
                });
                name.eq_ignore_ascii_case(coding) && !refused
            })
    }
}

// ---------------------------------------------------------------------------------------
// 2. Responses

impl Response {
    /// The bytes sent for this response: the status line (`HTTP/1.1 404 Not Found`), each
    /// header as `Name: value`, then `Content-Length` (the body's length in bytes), each
    /// line ended by CRLF, a blank line, and the body, unless `head_only` (the answer to
    /// `HEAD`: the same head, `Content-Length` included, and no body).
    pub fn to_bytes(&self, head_only: bool) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        )
        .into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        // Bytes, not characters: "你好" is 6 bytes on the wire.
        out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", self.body.len()).as_bytes());
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        out
    }

    /// The same response with its body compressed by gzip and `Content-Encoding: gzip`
    /// added after the other headers.
    pub fn gzip(mut self) -> Response {
        use flate2::{Compression, write::GzEncoder};
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder
            .write_all(&self.body)
            .expect("writing to a Vec cannot fail");
        self.body = encoder.finish().expect("writing to a Vec cannot fail");
        self.with_header("Content-Encoding", "gzip")
    }
}

// ---------------------------------------------------------------------------------------
// 3. Files under a root

/// The file a request target names under `root`: the path before any `?`, split at `/`,
/// each segment percent-decoded (`%20` is a space) and joined onto `root`. Empty and `.`
/// segments are skipped. Refused: a target that does not start with `/`, a bad `%`
/// escape, and any segment that is `..` or holds `/`, `\` or NUL once decoded, so the
/// path never leaves `root`. (Decode first, then check: `%2e%2e` is `..`.)
pub fn resolve(root: &Path, target: &str) -> Result<PathBuf, TargetError> {
    let path = target.split('?').next().unwrap_or_default();
    let Some(path) = path.strip_prefix('/') else {
        return Err(TargetError::NotAPath);
    };
    let mut resolved = root.to_path_buf();
    for segment in path.split('/') {
        let decoded = percent_decode(segment)?;
        match decoded.as_slice() {
            b"" | b"." => continue,
            b".." => return Err(TargetError::Forbidden(segment.to_string())),
            // A `/` would split the segment, and a leading one would make `join` throw
            // the root away: `root.join("/etc")` is `/etc`.
            bytes if bytes.iter().any(|b| matches!(b, b'/' | b'\\' | 0)) => {
                return Err(TargetError::Forbidden(segment.to_string()));
            }
            bytes => resolved.push(OsStr::from_bytes(bytes)),
        }
    }
    Ok(resolved)
}

/// `%XX` escapes to their bytes; anything else as it is.
fn percent_decode(segment: &str) -> Result<Vec<u8>, TargetError> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(TargetError::BadEscape)?;
            let hex = std::str::from_utf8(hex).map_err(|_| TargetError::BadEscape)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(TargetError::BadEscape);
            }
            out.push(u8::from_str_radix(hex, 16).map_err(|_| TargetError::BadEscape)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Serves a static file under `root`, as the course's HTTPServer does:
///
/// - `GET` or `HEAD` of a file: `200 OK`, its bytes, `Content-Type` by its extension
///   (`content_type`); a folder (`/` included) serves its `index.html`;
/// - a target `resolve` refuses: `400 Bad Request`;
/// - nothing there, or nothing readable: `404 Not Found`;
/// - any other method: `405 Method Not Allowed` with `Allow: GET, HEAD`.
///
/// Error statuses answer with `Response::error`.
pub fn serve_file(root: &Path, request: &Request) -> Response {
    if !matches!(request.method, Method::Get | Method::Head) {
        return Response::error(405).with_header("Allow", "GET, HEAD");
    }
    let Ok(mut path) = resolve(root, &request.target) else {
        return Response::error(400);
    };
    if path.is_dir() {
        path.push("index.html");
    }
    match std::fs::read(&path) {
        Ok(bytes) => Response::new(200).with_body(content_type(&path), bytes),
        Err(_) => Response::error(404),
    }
}

// ---------------------------------------------------------------------------------------
// 4. The class interface

/// What the server does with each request: "the class interface" (类接口) of the course's
/// HTTPServer v2.0. Implement `root`, and override `handle` for your own routes; the
/// default `handle` serves static files from `root`. The server calls `handle` once per
/// request, in the order requests arrive, and turns a `HEAD` request's response into a
/// head without its body.
pub trait Handler {
    /// The folder static files are served from.
    fn root(&self) -> &Path;

    /// Answers one request. The default serves the file the target names under `root`
    /// (`serve_file`).
    fn handle(&mut self, request: &Request) -> Response {
        serve_file(self.root(), request)
    }
}

/// A handler that only serves static files: `Handler` with its defaults.
#[derive(Debug, Clone)]
pub struct StaticFiles {
    root: PathBuf,
}

impl StaticFiles {
    pub fn new(root: impl Into<PathBuf>) -> StaticFiles {
        StaticFiles { root: root.into() }
    }
}

impl Handler for StaticFiles {
    fn root(&self) -> &Path {
        &self.root
    }
}

// ---------------------------------------------------------------------------------------
// 5. One connection, without a socket

/// One connection's state: the bytes received and not yet parsed, the response bytes
/// not yet sent, and whether it is closing. No socket: the server (or a test) feeds it
/// bytes and takes bytes out, so it behaves the same however the bytes are cut.
#[derive(Debug)]
pub struct Connection {
    limits: Limits,
    max_output: usize,
    /// Received, not yet parsed: the start of the next request(s).
    input: Vec<u8>,
    /// Responses, in request order, not yet sent.
    output: Vec<u8>,
    /// A response said `Connection: close` (or answered an error): nothing after it is
    /// answered, and the connection closes once the output is sent.
    closing: bool,
    /// The peer ended its side of the stream.
    input_ended: bool,
}

impl Connection {
    /// A new connection. It answers requests while it holds less than `max_output`
    /// response bytes; past that it waits for them to be sent (`written`).
    pub fn new(limits: Limits, max_output: usize) -> Connection {
        Connection {
            limits,
            max_output,
            input: Vec::new(),
            output: Vec::new(),
            closing: false,
            input_ended: false,
        }
    }

    /// Bytes received from the peer: keeps them, then answers every whole request they
    /// complete, in order, while it holds less than `max_output` to send: each response
    /// from `handler.handle`, with `Connection: close` added when the request
    /// `wants_close` (then nothing after it is answered), and without its body for `HEAD`.
    /// A request refused by `parse_request` is answered with `Response::error(status)`
    /// and `Connection: close`, and closes the connection. Bytes received once the
    /// connection is closing are dropped.
    pub fn receive<H: Handler + ?Sized>(&mut self, bytes: &[u8], handler: &mut H) {
        if !self.closing {
            self.input.extend_from_slice(bytes);
        }
        self.answer(handler);
    }

    /// The peer ended its side (a read returned 0): the requests already whole are still
    /// answered; a request half received never will be, and the connection closes once
    /// its output is sent.
    pub fn end_of_input<H: Handler + ?Sized>(&mut self, handler: &mut H) {
        self.input_ended = true;
        self.answer(handler);
    }

    /// The response bytes waiting to be sent, oldest first.
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    /// The first `n` bytes of `output()` were sent: drops them, then answers the requests
    /// that waited for room (`max_output`), as `receive` does.
    pub fn written<H: Handler + ?Sized>(&mut self, n: usize, handler: &mut H) {
        self.output.drain(..n);
        self.answer(handler);
    }

    /// True while the server should read from this connection: its peer has not ended
    /// the stream, and it holds less than `max_output` bytes to send.
    pub fn wants_input(&self) -> bool {
        !self.input_ended && self.output.len() < self.max_output
    }

    /// True once the connection should be closed: everything is sent, and it is closing
    /// (after `Connection: close`, HTTP/1.0 or an error) or its peer ended the stream.
    pub fn is_finished(&self) -> bool {
        self.output.is_empty() && (self.closing || self.input_ended)
    }

    /// Answers whole requests from the input, in order, while there is room for their
    /// responses; stops at an incomplete request, at a response that closes the
    /// connection, and at an error (answered with its status, then closing).
    fn answer<H: Handler + ?Sized>(&mut self, handler: &mut H) {
        while !self.closing && self.output.len() < self.max_output {
            match parse_request(&self.input, &self.limits) {
                Ok(Parsed::Incomplete) => return,
                Ok(Parsed::Complete { request, consumed }) => {
                    // Only this request's bytes go: the rest is the next request.
                    self.input.drain(..consumed);
                    let mut response = handler.handle(&request);
                    if request.wants_close() {
                        response = response.with_header("Connection", "close");
                        self.closing = true;
                    }
                    let head_only = request.method == Method::Head;
                    self.output.extend_from_slice(&response.to_bytes(head_only));
                }
                Err(e) => {
                    let response = Response::error(e.status()).with_header("Connection", "close");
                    self.output.extend_from_slice(&response.to_bytes(false));
                    self.closing = true;
                }
            }
        }
        if self.closing {
            self.input = Vec::new();
        }
    }
}

// ---------------------------------------------------------------------------------------
// 6. The server: poll(2) on one thread

/// An HTTP/1.1 server on one thread: every connection served with poll(2), none ever
/// waited on. Each connection is a [`Connection`]; `handler` answers every request.
pub struct Server<H: Handler> {
    listener: TcpListener,
    /// The waker's end that sits in the poll set (`POLLIN`): drain it when readable.
    wake_rx: UnixStream,
    waker: Waker,
    handler: H,
    config: Config,
    /// Every connection by id (never reused, so a stale id finds nothing): its socket and
    /// its state.
    clients: BTreeMap<u64, (TcpStream, Connection)>,
    /// The id the next accepted connection gets.
    next_id: u64,
    /// Set when a turn saw the waker (`run` stops then).
    woken: bool,
    /// False while the process is out of file descriptors: the listener is left out of
    /// the poll set (readable, with `accept` failing, for ever) until a connection closes.
    accepting: bool,
}

impl<H: Handler> fmt::Debug for Server<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.listener.local_addr().ok())
            .field("connections", &self.clients.len())
            .finish()
    }
}

impl<H: Handler> Server<H> {
    /// Listens on `addr` with the default [`Config`].
    pub fn bind(addr: impl ToSocketAddrs + fmt::Debug, handler: H) -> io::Result<Server<H>> {
        Server::bind_with(addr, handler, Config::default())
    }

    /// Listens on `addr` (port 0: any free port; see `local_addr`), non-blocking, with
    /// `handler` answering every request.
    pub fn bind_with(
        addr: impl ToSocketAddrs + fmt::Debug,
        handler: H,
        config: Config,
    ) -> io::Result<Server<H>> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let (waker, wake_rx) = Waker::pair()?;
        Ok(Server {
            listener,
            wake_rx,
            waker,
            handler,
            config,
            clients: BTreeMap::new(),
            next_id: 0,
            woken: false,
            accepting: true,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// A handle that wakes this server from another thread.
    pub fn waker(&self) -> Waker {
        self.waker.clone()
    }

    /// Open connections.
    pub fn connections(&self) -> usize {
        self.clients.len()
    }

    /// Serves until the [`Waker`] is woken. The connections stay open: go on with
    /// `poll_once` or `run`, or drop the server to close them all.
    pub fn run(&mut self) -> io::Result<()> {
        self.woken = false;
        while !self.woken {
            self.poll_once(None)?;
        }
        Ok(())
    }

    /// One turn of the loop: one `poll` (waiting at most `timeout`; `None`: no limit),
    /// then everything the ready sockets allow without blocking: accept, one read from
    /// each readable connection, as much writing as each socket takes. Returns how many
    /// sockets were ready (0: the timeout passed, or a signal cut the wait short).
    pub fn poll_once(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        let timeout = match timeout {
            None => PollTimeout::NONE,
            Some(t) => PollTimeout::try_from(t).unwrap_or(PollTimeout::MAX),
        };
        // The poll set, rebuilt each turn from the table: [listener, waker, clients].
        let ids: Vec<u64> = self.clients.keys().copied().collect();
        let mut fds = Vec::with_capacity(2 + ids.len());
        let listen = if self.accepting {
            PollFlags::POLLIN
        } else {
            PollFlags::empty() // out of descriptors: poll skips it
        };
        fds.push(PollFd::new(self.listener.as_fd(), listen));
        fds.push(PollFd::new(self.wake_rx.as_fd(), PollFlags::POLLIN));
        for (stream, connection) in self.clients.values() {
            let mut events = PollFlags::empty();
            // Not reading a connection whose responses pile up: its requests wait in
            // the kernel's buffers, and its client waits, not the server's memory.
            if connection.wants_input() {
                events |= PollFlags::POLLIN;
            }
            // Only with something to write: an idle socket is always writable.
            if !connection.output().is_empty() {
                events |= PollFlags::POLLOUT;
            }
            fds.push(PollFd::new(stream.as_fd(), events));
        }
        let ready = match poll(&mut fds, timeout) {
            Ok(n) => n as usize,
            Err(Errno::EINTR) => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let revents: Vec<PollFlags> = fds
            .iter()
            .map(|fd| fd.revents().unwrap_or(PollFlags::empty()))
            .collect();
        drop(fds); // ends the poll set's borrows of the sockets

        if !revents[0].is_empty() {
            self.accept_all();
        }
        if !revents[1].is_empty() {
            self.drain_waker();
        }
        let readable = PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR;
        for (&id, events) in ids.iter().zip(&revents[2..]) {
            if events.intersects(readable) {
                self.read_from(id);
            }
        }
        self.write_all_ready();
        Ok(ready)
    }

    fn accept_all(&mut self) {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Err(e) = self.add_client(stream) {
                        eprintln!("http_server: dropping a new connection: {e}");
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if out_of_descriptors(&e) => {
                    // The connection stays queued and the listener readable: polling it
                    // again would return at once, every turn. Leave it out until a
                    // connection closes.
                    eprintln!("http_server: {e}: not accepting until a connection closes");
                    self.accepting = false;
                    return;
                }
                // A connection reset before it was accepted: gone; the rest next turn.
                Err(_) => return,
            }
        }
    }

    fn add_client(&mut self, stream: TcpStream) -> io::Result<()> {
        stream.set_nonblocking(true)?;
        stream.set_nodelay(true)?;
        if let Some(bytes) = self.config.send_buffer {
            set_send_buffer(&stream, bytes)?;
        }
        let connection = Connection::new(self.config.limits, self.config.max_output);
        self.clients.insert(self.next_id, (stream, connection));
        self.next_id += 1;
        Ok(())
    }

    fn drain_waker(&mut self) {
        self.woken = true;
        let mut buf = [0u8; 64];
        while matches!((&self.wake_rx).read(&mut buf), Ok(n) if n > 0) {}
    }

    /// One read from a readable connection (poll says so again if more is waiting).
    fn read_from(&mut self, id: u64) {
        let Some((stream, connection)) = self.clients.get_mut(&id) else {
            return;
        };
        if !connection.wants_input() {
            return;
        }
        let mut buf = [0u8; 8192];
        match stream.read(&mut buf) {
            Ok(0) => connection.end_of_input(&mut self.handler),
            Ok(n) => connection.receive(&buf[..n], &mut self.handler),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
            Err(_) => self.remove(id), // reset
        }
    }

    /// Writes what every socket takes now; closes the connections that are finished or
    /// whose socket failed.
    fn write_all_ready(&mut self) {
        let mut done = Vec::new();
        for (&id, (stream, connection)) in &mut self.clients {
            if write_some(stream, connection, &mut self.handler).is_err()
                || connection.is_finished()
            {
                done.push(id);
            }
        }
        for id in done {
            self.remove(id);
        }
    }

    /// Closes a connection (dropping its stream closes the socket), which frees a
    /// descriptor: accept again.
    fn remove(&mut self, id: u64) {
        self.clients.remove(&id);
        self.accepting = true;
    }
}

/// Writes as much output as the socket takes without blocking; each write makes room,
/// so the connection may answer requests that waited, and that is written too.
fn write_some<H: Handler>(
    mut stream: &TcpStream,
    connection: &mut Connection,
    handler: &mut H,
) -> io::Result<()> {
    while !connection.output().is_empty() {
        match stream.write(connection.output()) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => connection.written(n, handler),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break, // POLLOUT says when
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Out of file descriptors (this process's or the system's) or of kernel memory: accept
/// fails and leaves the connection waiting until something is freed.
fn out_of_descriptors(e: &io::Error) -> bool {
    [Errno::EMFILE, Errno::ENFILE, Errno::ENOBUFS, Errno::ENOMEM]
        .iter()
        .any(|&errno| e.raw_os_error() == Some(errno as i32))
}
