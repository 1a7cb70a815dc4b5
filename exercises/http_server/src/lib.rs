//! An HTTP/1.1 server (HTTP 协议与 HTTPServer v2.0), the course's last project.
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
//!
//! The message types and tables are given in [`message`], the waker and settings in
//! [`net`]. See the README for the task, the rules of HTTP/1.1 the tests check, and hints.

pub mod message;
pub mod net;

pub use message::{
    Limits, Method, ParseError, Parsed, Request, Response, TargetError, Version, content_type,
    reason_phrase,
};
pub use net::{Config, MAX_OUTPUT, Waker, set_send_buffer};

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
/// passed, so a buffer never grows past them while `Incomplete`. The README's "The
/// rules" lists every check.
pub fn parse_request(buf: &[u8], limits: &Limits) -> Result<Parsed, ParseError> {
    todo!(
        "parse the request at the start of {} bytes, within {limits:?}",
        buf.len()
    )
}

impl Request {
    /// The value of the first header called `name`, compared without regard to case
    /// (`content-length` finds `Content-Length`).
    pub fn header(&self, name: &str) -> Option<&str> {
        todo!("find the header {name:?} in {:?}", self.headers)
    }

    /// True when the connection closes after this request's response: an HTTP/1.0
    /// request, or a `Connection` header listing `close` (any case).
    pub fn wants_close(&self) -> bool {
        todo!(
            "does {:?} {:?} close its connection?",
            self.version,
            self.headers
        )
    }

    /// True when an `Accept-Encoding` header lists `coding` (any case) with a weight
    /// other than `q=0`: `gzip`, `deflate, gzip;q=0.5`, but not `gzip;q=0`.
    pub fn accepts_encoding(&self, coding: &str) -> bool {
        todo!("does {:?} accept {coding:?}?", self.headers)
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
        todo!("the bytes of {self:?} (head only: {head_only})")
    }

    /// The same response with its body compressed by gzip (`flate2`) and
    /// `Content-Encoding: gzip` added after the other headers.
    pub fn gzip(self) -> Response {
        todo!("gzip the body of {self:?}")
    }
}

// ---------------------------------------------------------------------------------------
// 3. Files under a root

/// The file a request target names under `root`: the path before any `?`, split at `/`,
/// each segment percent-decoded (`%20` is a space) and joined onto `root`. Empty and `.`
/// segments are skipped. Refused: a target that does not start with `/`, a bad `%`
/// escape, and any segment that is `..` or holds `/`, `\` or NUL once decoded, so the
/// path never leaves `root`.
pub fn resolve(root: &Path, target: &str) -> Result<PathBuf, TargetError> {
    todo!("the path {target:?} names under {root:?}")
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
    todo!("serve {} {} from {root:?}", request.method, request.target)
}

// ---------------------------------------------------------------------------------------
// 4. The class interface (given)

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
///
/// The fields are given (they are the state the tests describe); the methods that
/// change them are yours.
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
    /// response bytes; past that it waits for them to be sent (`written`). Given.
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

    /// The response bytes waiting to be sent, oldest first. Given.
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    /// Bytes received from the peer: keeps them, then answers every whole request they
    /// complete, in order, while it holds less than `max_output` to send: each response
    /// from `handler.handle`, with `Connection: close` added when the request
    /// `wants_close` (then nothing after it is answered), and without its body for `HEAD`.
    /// A request refused by `parse_request` is answered with `Response::error(status)`
    /// and `Connection: close`, and closes the connection. Bytes received once the
    /// connection is closing are dropped.
    pub fn receive<H: Handler + ?Sized>(&mut self, bytes: &[u8], handler: &mut H) {
        let _ = handler;
        todo!(
            "keep {} bytes after the {} held, and answer the whole requests within {:?} ({} bytes to send, closing: {})",
            bytes.len(),
            self.input.len(),
            self.limits,
            self.output.len(),
            self.closing
        )
    }

    /// The peer ended its side (a read returned 0): the requests already whole are still
    /// answered; a request half received never will be, and the connection closes once
    /// its output is sent.
    pub fn end_of_input<H: Handler + ?Sized>(&mut self, handler: &mut H) {
        let _ = handler;
        todo!(
            "the end of the stream, with {} bytes held",
            self.input.len()
        )
    }

    /// The first `n` bytes of `output()` were sent: drops them, then answers the requests
    /// that waited for room (`max_output`), as `receive` does.
    pub fn written<H: Handler + ?Sized>(&mut self, n: usize, handler: &mut H) {
        let _ = handler;
        todo!("{n} of the {} bytes to send were sent", self.output.len())
    }

    /// True while the server should read from this connection: its peer has not ended
    /// the stream, and it holds less than `max_output` bytes to send.
    pub fn wants_input(&self) -> bool {
        todo!(
            "read more? (ended: {}, {} bytes to send, at most {})",
            self.input_ended,
            self.output.len(),
            self.max_output
        )
    }

    /// True once the connection should be closed: everything is sent, and it is closing
    /// (after `Connection: close`, HTTP/1.0 or an error) or its peer ended the stream.
    pub fn is_finished(&self) -> bool {
        todo!(
            "finished? (closing: {}, ended: {}, {} bytes to send)",
            self.closing,
            self.input_ended,
            self.output.len()
        )
    }
}

// ---------------------------------------------------------------------------------------
// 6. The server: poll(2) on one thread

/// An HTTP/1.1 server on one thread: every connection served with poll(2), none ever
/// waited on. Each connection is a [`Connection`]; `handler` answers every request.
///
/// The fields and the functions that only set them up or read them are given (the
/// select_server kata wrote their like); `poll_once` and `run` are yours.
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
    /// Listens on `addr` with the default [`Config`]. Given.
    pub fn bind(addr: impl ToSocketAddrs + fmt::Debug, handler: H) -> io::Result<Server<H>> {
        Server::bind_with(addr, handler, Config::default())
    }

    /// Listens on `addr` (port 0: any free port; see `local_addr`), non-blocking, with
    /// `handler` answering every request. Given.
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

    /// The address the server listens on. Given.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// A handle that wakes this server from another thread. Given.
    pub fn waker(&self) -> Waker {
        self.waker.clone()
    }

    /// Open connections. Given.
    pub fn connections(&self) -> usize {
        self.clients.len()
    }

    /// Serves until the [`Waker`] is woken. The connections stay open: go on with
    /// `poll_once` or `run`, or drop the server to close them all.
    pub fn run(&mut self) -> io::Result<()> {
        todo!("serve until woken (woken: {})", self.woken)
    }

    /// One turn of the loop: one `poll` (waiting at most `timeout`; `None`: no limit),
    /// then everything the ready sockets allow without blocking: accept, one read from
    /// each readable connection, as much writing as each socket takes. Returns how many
    /// sockets were ready (0: the timeout passed, or a signal cut the wait short).
    pub fn poll_once(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        let _ = (&mut self.handler, &self.wake_rx, &self.config);
        todo!(
            "one turn of the loop, waiting at most {timeout:?} (next id {}, accepting: {})",
            self.next_id,
            self.accepting
        )
    }
}
