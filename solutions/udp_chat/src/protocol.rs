//! The chat room protocol (聊天室协议) on datagrams: requests, the server's messages, and
//! why a request is refused.
//!
//! GIVEN, complete: you do not write this module, you use it. Its message texts are the
//! chat_protocol kata's, word for word (and select_server's), so a person who knows one
//! chat room knows them all. The two copies of this file (`exercises/udp_chat/src/` and
//! `solutions/udp_chat/src/`) are identical: `cargo xtask verify` checks it.
//!
//! What UDP changes is the framing: there is none to do. One datagram (数据报) is one
//! message, whole or not at all, so there is no line decoder here and no sticky packets
//! (粘包). A request may end with one `\n` (or `\r\n`), which is dropped, so that
//! `nc -u` works; the server's messages each end with `\n`, so that `nc -u` shows them
//! as lines.
//!
//! - [`decode_request`]: a datagram's bytes to a [`Request`], or the [`Refusal`] to send.
//! - [`Request::encode`]: the bytes a client sends.
//! - [`Reply`]: what the server sends; [`Reply::encode`] gives its datagram's bytes.

use std::fmt;

/// The longest name, in bytes (UTF-8: `小明` is 6 bytes, so 10 CJK characters fit).
pub const MAX_NAME: usize = 32;

/// The longest datagram the room takes or sends, in bytes. A datagram can carry up to
/// 65,507 bytes over IPv4; this protocol keeps to 4 KiB, so one buffer of
/// `MAX_DATAGRAM + 1` bytes is enough to receive any request and to tell a longer one.
pub const MAX_DATAGRAM: usize = 4096;

/// A client's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `L <name>`: log in as `name`.
    Login(String),
    /// `C <name> <text>`: `name` says `text`.
    Chat { name: String, text: String },
    /// `Q <name>`: `name` quits.
    Quit(String),
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Login(name) => write!(f, "L {name}"),
            Request::Chat { name, text } => write!(f, "C {name} {text}"),
            Request::Quit(name) => write!(f, "Q {name}"),
        }
    }
}

impl Request {
    /// The request's datagram: its line, without `\n` (one datagram is one message).
    pub fn encode(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

/// Why a line is not a request, or a text not a text. `at` is a byte offset: from the
/// start of the line for a request ([`parse_request`]), from the start of the text for
/// a text checked on its own (`check_text(text, 0)`, as a notice is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    EmptyLine,
    UnknownCommand(String),
    MissingName,
    MissingText,
    NameTooLong { len: usize },
    NameWhitespace { at: usize },
    NameControl { at: usize },
    TextControl { at: usize },
}

/// An unknown command is shown cut to this many characters, so an `ERR` line stays short.
const SHOWN_COMMAND_CHARS: usize = 16;

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::EmptyLine => write!(f, "empty line"),
            ParseError::UnknownCommand(cmd) => {
                // {:?} quotes it and escapes any control character: it fits in one ERR line.
                let shown: String = cmd.chars().take(SHOWN_COMMAND_CHARS).collect();
                let cut = if shown.len() < cmd.len() { "..." } else { "" };
                write!(f, "unknown command {shown:?}{cut}")
            }
            ParseError::MissingName => write!(f, "missing name"),
            ParseError::MissingText => write!(f, "missing text"),
            ParseError::NameTooLong { len } => {
                write!(f, "name is longer than {MAX_NAME} bytes (it has {len})")
            }
            ParseError::NameWhitespace { at } => write!(f, "name has whitespace at byte {at}"),
            ParseError::NameControl { at } => {
                write!(f, "name has a control character at byte {at}")
            }
            ParseError::TextControl { at } => {
                write!(f, "text has a control character at byte {at}")
            }
        }
    }
}

/// Checks a name that starts at byte `start` of its line. The first problem counts:
/// empty, too long, then the first whitespace or control character.
pub fn check_name(name: &str, start: usize) -> Result<(), ParseError> {
    if name.is_empty() {
        return Err(ParseError::MissingName);
    }
    if name.len() > MAX_NAME {
        return Err(ParseError::NameTooLong { len: name.len() });
    }
    for (i, c) in name.char_indices() {
        if c.is_whitespace() {
            return Err(ParseError::NameWhitespace { at: start + i });
        }
        if c.is_control() {
            return Err(ParseError::NameControl { at: start + i });
        }
    }
    Ok(())
}

/// Checks a text that starts at byte `start` of its line: one or more bytes, no control
/// characters. Spaces count as text, leading and trailing ones too. A chat's text starts
/// after `C <name> `; a notice's text has no line around it, so its `start` is 0.
pub fn check_text(text: &str, start: usize) -> Result<(), ParseError> {
    if text.is_empty() {
        return Err(ParseError::MissingText);
    }
    match text.char_indices().find(|(_, c)| c.is_control()) {
        Some((i, _)) => Err(ParseError::TextControl { at: start + i }),
        None => Ok(()),
    }
}

/// Parses one line (without its `\n`) into a request.
pub fn parse_request(line: &str) -> Result<Request, ParseError> {
    if line.is_empty() {
        return Err(ParseError::EmptyLine);
    }
    let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
    let start = command.len() + 1; // where `rest` starts in the line
    match command {
        "L" | "Q" => {
            // A name has no spaces, so `L a b` fails here on the space at byte 3.
            check_name(rest, start)?;
            let name = rest.to_string();
            Ok(if command == "L" {
                Request::Login(name)
            } else {
                Request::Quit(name)
            })
        }
        "C" => {
            let (name, text) = rest.split_once(' ').unwrap_or((rest, ""));
            check_name(name, start)?;
            check_text(text, start + name.len() + 1)?;
            Ok(Request::Chat {
                name: name.to_string(),
                text: text.to_string(),
            })
        }
        _ => Err(ParseError::UnknownCommand(command.to_string())),
    }
}

/// Why a datagram could not be read as a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatagramError {
    /// The datagram has more than [`MAX_DATAGRAM`] bytes.
    TooLong,
    /// The datagram is not UTF-8; `at` is the offset of its first bad byte.
    InvalidUtf8 { at: usize },
}

impl fmt::Display for DatagramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatagramError::TooLong => {
                write!(f, "datagram too long (limit {MAX_DATAGRAM} bytes)")
            }
            DatagramError::InvalidUtf8 { at } => write!(f, "invalid UTF-8 at byte {at}"),
        }
    }
}

/// Reads one datagram as a request: at most [`MAX_DATAGRAM`] bytes of UTF-8, one `\n`
/// (or `\r\n`) at its end dropped, then [`parse_request`]. An empty datagram is a
/// message like any other: an empty line.
pub fn decode_request(datagram: &[u8]) -> Result<Request, Refusal> {
    if datagram.len() > MAX_DATAGRAM {
        return Err(Refusal::Datagram(DatagramError::TooLong));
    }
    let line = std::str::from_utf8(datagram).map_err(|e| {
        Refusal::Datagram(DatagramError::InvalidUtf8 {
            at: e.valid_up_to(),
        })
    })?;
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    parse_request(line).map_err(Refusal::Parse)
}

/// Every reason the server gives in an `ERR` message; `Display` is the exact text.
///
/// When more than one applies, the first check wins, in this order (chat_protocol's
/// and select_server's): the datagram (too long, then not UTF-8), the parse, then the
/// session: for `L`, already logged in, then name taken; for `C` and `Q`, not logged
/// in, then someone else's name, then (for `C`) too long to relay. So `C bob` from an
/// address not logged in is `missing text`, and `L 小明` from the address logged in as
/// 小明 is `already logged in as 小明`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The datagram itself was refused (too long, not UTF-8).
    Datagram(DatagramError),
    /// The line is not a request.
    Parse(ParseError),
    /// `L` with a name somebody else is using.
    NameTaken(String),
    /// `L` from an address that is logged in already (as this name).
    AlreadyLoggedIn(String),
    /// `C` or `Q` from an address that is not logged in.
    NotLoggedIn,
    /// `C` or `Q` naming someone other than the sender's address is logged in as.
    NotYou { you: String, named: String },
    /// A chat or notice whose message would not fit in [`MAX_DATAGRAM`] bytes (`MSG` is
    /// two bytes longer than `C`, and ends with `\n`).
    TooLongToRelay,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Datagram(e) => write!(f, "{e}"),
            Refusal::Parse(e) => write!(f, "{e}"),
            Refusal::NameTaken(name) => write!(f, "name taken: {name}"),
            Refusal::AlreadyLoggedIn(name) => write!(f, "already logged in as {name}"),
            Refusal::NotLoggedIn => write!(f, "not logged in"),
            Refusal::NotYou { you, named } => write!(f, "you are {you}, not {named}"),
            Refusal::TooLongToRelay => {
                write!(f, "text too long to relay (limit {MAX_DATAGRAM} bytes)")
            }
        }
    }
}

/// What the server sends to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `OK`: the login was accepted.
    Ok,
    /// `ERR <reason>`
    Err(Refusal),
    /// `MSG <name> <text>`: chat from `name`.
    Msg { name: String, text: String },
    /// `JOIN <name>`
    Join(String),
    /// `LEAVE <name>`
    Leave(String),
    /// `NOTICE <text>`: from the server's admin (管理员消息).
    Notice(String),
    /// `EXIT`: the session of this client is over.
    Exit,
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Ok => write!(f, "OK"),
            Reply::Err(why) => write!(f, "ERR {why}"),
            Reply::Msg { name, text } => write!(f, "MSG {name} {text}"),
            Reply::Join(name) => write!(f, "JOIN {name}"),
            Reply::Leave(name) => write!(f, "LEAVE {name}"),
            Reply::Notice(text) => write!(f, "NOTICE {text}"),
            Reply::Exit => write!(f, "EXIT"),
        }
    }
}

impl Reply {
    /// The reply's datagram: its line and `\n`.
    pub fn encode(&self) -> Vec<u8> {
        format!("{self}\n").into_bytes()
    }

    /// The size of [`Reply::encode`]'s datagram, in bytes.
    pub fn encoded_len(&self) -> usize {
        self.to_string().len() + 1
    }
}
