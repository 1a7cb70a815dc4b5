//! The shapes of HTTP/1.1 messages (HTTP 报文): requests, responses, limits and errors.
//!
//! GIVEN, complete: these are the types the kata's functions take and return, with the
//! tables that are only typing (methods, reason phrases, content types). You read them
//! and use them; the parsing, the serialising, the resolving and the serving are yours,
//! in `lib.rs`.

use std::fmt;
use std::path::Path;

/// The request methods (请求类别) the course lists, and `PATCH`. A method token the server
/// does not know is answered with `501 Not Implemented`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Delete,
    Connect,
    Options,
    Trace,
    Patch,
}

impl Method {
    /// Every method, in the order above.
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Head,
        Method::Post,
        Method::Put,
        Method::Delete,
        Method::Connect,
        Method::Options,
        Method::Trace,
        Method::Patch,
    ];

    /// The method's token as it is sent: `GET`, `HEAD`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Connect => "CONNECT",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Patch => "PATCH",
        }
    }

    /// The method a token names, exactly (methods are case-sensitive: `get` is not `GET`).
    pub fn from_token(token: &[u8]) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().as_bytes() == token)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The protocol versions (协议版本) the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `HTTP/1.0`: the connection closes after each response.
    Http10,
    /// `HTTP/1.1`: the connection stays open (持久连接) unless a side says `Connection: close`.
    Http11,
}

impl Version {
    /// `HTTP/1.0` or `HTTP/1.1`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed request (HTTP 请求): request line, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// The request target exactly as sent (`/index.html?x=1`, still percent-encoded).
    pub target: String,
    pub version: Version,
    /// Every header in the order sent: the name as sent (its case kept), the value without
    /// the whitespace around it. Look one up with `Request::header` (names are
    /// case-insensitive).
    pub headers: Vec<(String, String)>,
    /// The body (请求体): `Content-Length` bytes, or the chunks joined; empty if none.
    pub body: Vec<u8>,
}

/// A response (HTTP 响应) before it is turned into bytes by `Response::to_bytes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code (响应码): 200, 404, ...
    pub status: u16,
    /// Headers in the order they are sent, without `Content-Length` (`to_bytes` counts
    /// the body and adds it last).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with this status, no headers and an empty body.
    pub fn new(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header (after the ones already there).
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body and its `Content-Type`.
    pub fn with_body(self, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        let mut response = self.with_header("Content-Type", content_type);
        response.body = body.into();
        response
    }

    /// A plain-text response: `Content-Type: text/plain; charset=utf-8`.
    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status).with_body("text/plain; charset=utf-8", text)
    }

    /// The response to an error status: its code and reason phrase as plain text,
    /// `404 Not Found\n`.
    pub fn error(status: u16) -> Response {
        Response::text(status, &format!("{status} {}\n", reason_phrase(status)))
    }
}

/// The reason phrase (附加信息) sent after a status code. Codes outside this table get
/// `Unknown`; the first digit is the class (1xx information, 2xx success, 3xx
/// redirection, 4xx client error, 5xx server error).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// The `Content-Type` of a file, by its extension (case-insensitive);
/// `application/octet-stream` (bytes of no known kind) for anything else.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// How much of a request the server accepts. Each limit's error names its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest request line, in bytes, without its line end. Longer: `414 URI Too
    /// Long` (the target is what makes a request line long).
    pub max_request_line: usize,
    /// The longest head (请求头部: the request line, the headers and the blank line, line
    /// ends included), in bytes. Longer: `431 Request Header Fields Too Large`.
    pub max_head: usize,
    /// The most header lines. More: `431`.
    pub max_headers: usize,
    /// The largest body, in bytes: the `Content-Length`, or for a chunked body everything
    /// after the head as sent (chunk sizes, data, line ends and trailers). Larger: `413
    /// Content Too Large`.
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_request_line: 8 * 1024,
            max_head: 16 * 1024,
            max_headers: 100,
            max_body: 1024 * 1024,
        }
    }
}

/// What `parse_request` found at the start of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Not a whole request yet (and nothing wrong so far): read more, then parse again
    /// from the start of the buffer.
    Incomplete,
    /// A whole request, which took the first `consumed` bytes of the buffer. Whatever
    /// follows them is the start of the next request (pipelining, 管线化).
    Complete { request: Request, consumed: usize },
}

/// Why a request was refused. Each maps to the status the server answers with
/// (`ParseError::status`); after it, the server closes the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// `400 Bad Request`: the bytes are not an HTTP/1.1 request. Says what is wrong.
    Malformed(String),
    /// `413 Content Too Large`: the body is longer than `Limits::max_body`.
    BodyTooLarge,
    /// `414 URI Too Long`: the request line is longer than `Limits::max_request_line`.
    TargetTooLong,
    /// `431 Request Header Fields Too Large`: the head is longer than `Limits::max_head`,
    /// or has more than `Limits::max_headers` headers.
    HeadTooLarge,
    /// `501 Not Implemented`: a method or a transfer coding the server does not know.
    NotImplemented(String),
    /// `505 HTTP Version Not Supported`: `HTTP/x.y` other than 1.0 and 1.1.
    VersionNotSupported(String),
}

impl ParseError {
    /// The status code the server answers this error with.
    pub fn status(&self) -> u16 {
        match self {
            ParseError::Malformed(_) => 400,
            ParseError::BodyTooLarge => 413,
            ParseError::TargetTooLong => 414,
            ParseError::HeadTooLarge => 431,
            ParseError::NotImplemented(_) => 501,
            ParseError::VersionNotSupported(_) => 505,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status();
        write!(f, "{status} {}", reason_phrase(status))?;
        match self {
            ParseError::Malformed(why) => write!(f, ": {why}"),
            ParseError::NotImplemented(what) | ParseError::VersionNotSupported(what) => {
                write!(f, ": {what:?}")
            }
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ParseError {}

/// Why a request target was refused as a path under the root (`resolve`): the server
/// answers `400 Bad Request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetError {
    /// The path does not start with `/` (`*`, `http://host/x`, `x`).
    NotAPath,
    /// A `%` not followed by two hex digits.
    BadEscape,
    /// A segment that is `..`, or that holds `/`, `\` or NUL once decoded: it could
    /// leave the root, or mean something else to the file system than it says.
    Forbidden(String),
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetError::NotAPath => f.write_str("the target is not a path starting with /"),
            TargetError::BadEscape => f.write_str("a % is not followed by two hex digits"),
            TargetError::Forbidden(segment) => write!(f, "forbidden path segment {segment:?}"),
        }
    }
}

impl std::error::Error for TargetError {}
