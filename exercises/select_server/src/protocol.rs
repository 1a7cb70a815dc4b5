//! The chat protocol (聊天室协议): framing, requests and the server's messages.
//!
//! GIVEN, complete: this is the chat_protocol kata's answer, condensed, so that this kata
//! grades on its own. You do not write it; you use it. The spec it follows to the byte
//! is in this kata's README ("The protocol").
//!
//! - [`Decoder`]: bytes in, complete lines (or line errors) out, in order; it keeps a
//!   partial line until its `\n` arrives (粘包: one read may hold half a line or many).
//! - [`parse_request`]: a line to a [`Request`], or a [`ParseError`].
//! - [`Reply`]: what the server sends; [`Reply::encode`] appends its bytes and `\n`.
//! - [`Refusal`]: every reason the server gives in an `ERR` line, with its exact text.
//!
//! The texts of parse errors are the chat_protocol kata's reference's, word for word.

use std::collections::VecDeque;
use std::fmt;

/// The longest line, in bytes, not counting its `\n` (nor a `\r` before it).
pub const MAX_LINE: usize = 1024;
/// The longest name, in bytes (UTF-8: `小明` is 6 bytes).
pub const MAX_NAME: usize = 32;

/// Why a line could not be taken as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// The line is longer than [`MAX_LINE`] bytes; the whole line is skipped.
    TooLong,
    /// The line is not UTF-8; `at` is the offset of the first bad byte in the line.
    InvalidUtf8 { at: usize },
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::TooLong => write!(f, "line too long (limit {MAX_LINE} bytes)"),
            LineError::InvalidUtf8 { at } => write!(f, "invalid UTF-8 at byte {at}"),
        }
    }
}

/// The line decoder: sans-I/O, fed whatever a read returned.
///
/// It never holds more than `MAX_LINE + 1` bytes of a partial line: a line known to be
/// too long is reported once and its rest skipped up to its `\n`.
#[derive(Debug, Default)]
pub struct Decoder {
    partial: Vec<u8>,
    skipping: bool,
    ready: VecDeque<Result<String, LineError>>,
}

impl Decoder {
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Takes in bytes from the stream; complete lines become available from [`Decoder::next`].
    pub fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if byte == b'\n' {
                if self.skipping {
                    self.skipping = false;
                    self.partial.clear();
                    continue;
                }
                let mut line = std::mem::take(&mut self.partial);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                let item = if line.len() > MAX_LINE {
                    Err(LineError::TooLong)
                } else {
                    String::from_utf8(line).map_err(|e| LineError::InvalidUtf8 {
                        at: e.utf8_error().valid_up_to(),
                    })
                };
                self.ready.push_back(item);
            } else if self.skipping {
                // the rest of a line already reported as too long
            } else if self.partial.len() < MAX_LINE
                || (self.partial.len() == MAX_LINE && byte == b'\r')
            {
                // Room: up to MAX_LINE bytes, then a '\r' that a '\n' may still drop.
                self.partial.push(byte);
            } else {
                // Byte 1025 (not a '\r'), or the byte after a 1025th '\r' (not a '\n'):
                // the line is too long now, whatever comes next. Say so at once: a client
                // that sent exactly this much and waits must get its answer.
                self.partial.clear();
                self.skipping = true;
                self.ready.push_back(Err(LineError::TooLong));
            }
        }
    }

    /// The next complete line (without its `\n` or `\r\n`), or why it was refused.
    #[allow(clippy::should_implement_trait)] // an Iterator would suggest it ends; it waits
    pub fn next(&mut self) -> Option<Result<String, LineError>> {
        self.ready.pop_front()
    }

    /// Bytes of a partial line held while waiting for its `\n`.
    pub fn pending(&self) -> usize {
        self.partial.len()
    }
}

/// A client's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `L <name>`
    Login(String),
    /// `C <name> <text>`
    Chat { name: String, text: String },
    /// `Q <name>`
    Quit(String),
}

/// Why a line is not a request. `at` is a byte offset within the line.
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
fn check_name(name: &str, start: usize) -> Result<(), ParseError> {
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

/// Checks a text (chat, notice) that starts at byte `start` of its line: one or more
/// bytes, no control characters.
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

/// Every reason the server gives in an `ERR` line; `Display` is the exact text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The line itself was refused (too long, not UTF-8).
    Line(LineError),
    /// The line is not a request.
    Parse(ParseError),
    /// `L` with a name somebody else is using.
    NameTaken(String),
    /// `L` from a client that is logged in already (as this name).
    AlreadyLoggedIn(String),
    /// `C` or `Q` before `L`.
    NotLoggedIn,
    /// `C` or `Q` naming someone else.
    NotYou { you: String, named: String },
    /// `C` whose relayed `MSG` line would be longer than [`MAX_LINE`] (it is two bytes
    /// longer than the `C` line), so no client could read it.
    TooLongToRelay,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Line(e) => write!(f, "{e}"),
            Refusal::Parse(e) => write!(f, "{e}"),
            Refusal::NameTaken(name) => write!(f, "name taken: {name}"),
            Refusal::AlreadyLoggedIn(name) => write!(f, "already logged in as {name}"),
            Refusal::NotLoggedIn => write!(f, "not logged in"),
            Refusal::NotYou { you, named } => write!(f, "you are {you}, not {named}"),
            Refusal::TooLongToRelay => {
                write!(f, "text too long to relay (limit {MAX_LINE} bytes as MSG)")
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
    /// `MSG <name> <text>`: chat from name.
    Msg { name: String, text: String },
    /// `JOIN <name>`
    Join(String),
    /// `LEAVE <name>`
    Leave(String),
    /// `NOTICE <text>`: from the server's admin (管理员消息).
    Notice(String),
    /// `EXIT`: the server ends this client and closes the connection.
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
    /// Appends the reply's bytes and its `\n` to `out` (a client's output buffer).
    pub fn encode(&self, out: &mut Vec<u8>) {
        use std::io::Write;
        // Writing into a Vec cannot fail.
        let _ = writeln!(out, "{self}");
    }
}
