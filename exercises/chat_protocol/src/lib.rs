//! Chat protocol kata (聊天室协议): the chat room's messages, and framing a byte stream.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the task
//! and the protocol, then replace each `todo!()` with your code, in the order of this
//! file. Check your work with `cargo xtask check chat_protocol`.
//!
//! Given to you: the constants, the error types and their `Display` texts (they are
//! part of the protocol: the server sends them in `ERR` lines), `ParseError::from_name`
//! and `from_text`, the accessors, `encode`, and the decoder's fields. The validation,
//! parsing, rendering and framing are yours.

use std::collections::VecDeque;
use std::fmt;

/// The most bytes a line may hold, not counting its `\n` (nor a `\r` before it).
pub const MAX_LINE: usize = 1024;

/// The most bytes (not characters) a name may hold.
pub const MAX_NAME: usize = 32;

// ---------------------------------------------------------------------------------
// Errors (given to the learner: their texts are part of the protocol).
// ---------------------------------------------------------------------------------

/// Why a string is not a valid name. Offsets count bytes from the start of the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameError {
    /// The name is the empty string.
    Empty,
    /// The name has more than `MAX_NAME` bytes (`len` of them).
    TooLong { len: usize },
    /// A whitespace character starts at byte `at`.
    Whitespace { at: usize },
    /// A control character (that is not whitespace) starts at byte `at`.
    Control { at: usize },
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => write!(f, "name is empty"),
            NameError::TooLong { len } => {
                write!(f, "name is longer than {MAX_NAME} bytes (it has {len})")
            }
            NameError::Whitespace { at } => write!(f, "name has whitespace at byte {at}"),
            NameError::Control { at } => write!(f, "name has a control character at byte {at}"),
        }
    }
}

impl std::error::Error for NameError {}

/// Why a string is not a valid text. Offsets count bytes from the start of the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TextError {
    /// The text is the empty string.
    Empty,
    /// A control character starts at byte `at`.
    Control { at: usize },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Empty => write!(f, "text is empty"),
            TextError::Control { at } => write!(f, "text has a control character at byte {at}"),
        }
    }
}

impl std::error::Error for TextError {}

/// Why a line is not a valid message. Offsets count bytes from the start of the line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParseError {
    /// The line is empty.
    EmptyLine,
    /// The command (the line up to its first space) is none the protocol knows.
    UnknownCommand(String),
    /// The name field is absent or empty.
    MissingName,
    /// The text field is absent or empty.
    MissingText,
    /// The name has more than `MAX_NAME` bytes (`len` of them).
    NameTooLong { len: usize },
    /// The name has a whitespace character at byte `at` of the line.
    NameWhitespace { at: usize },
    /// The name has a control character at byte `at` of the line.
    NameControl { at: usize },
    /// The text has a control character at byte `at` of the line.
    TextControl { at: usize },
    /// A command that takes no field (`OK`, `EXIT`) is followed by a space at byte `at`.
    UnexpectedField { at: usize },
}

impl ParseError {
    /// The line's error for a name field starting at byte `start` of the line.
    pub fn from_name(error: NameError, start: usize) -> ParseError {
        match error {
            NameError::Empty => ParseError::MissingName,
            NameError::TooLong { len } => ParseError::NameTooLong { len },
            NameError::Whitespace { at } => ParseError::NameWhitespace { at: start + at },
            NameError::Control { at } => ParseError::NameControl { at: start + at },
        }
    }

    /// The line's error for a text field starting at byte `start` of the line.
    pub fn from_text(error: TextError, start: usize) -> ParseError {
        match error {
            TextError::Empty => ParseError::MissingText,
            TextError::Control { at } => ParseError::TextControl { at: start + at },
        }
    }
}

/// How many characters of an unknown command its error text shows.
const SHOWN_COMMAND_CHARS: usize = 16;

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::EmptyLine => write!(f, "empty line"),
            ParseError::UnknownCommand(command) => {
                // `{:?}` quotes the command and escapes control characters, so the text
                // stays a valid `Text`; cutting it keeps an `ERR` line short.
                let shown: String = command.chars().take(SHOWN_COMMAND_CHARS).collect();
                let cut = if shown.len() < command.len() {
                    "..."
                } else {
                    ""
                };
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
            ParseError::UnexpectedField { at } => write!(f, "unexpected field at byte {at}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Why the decoder refused a line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FrameError {
    /// The line has more than `MAX_LINE` bytes.
    LineTooLong,
    /// The line is not UTF-8; its first bad byte is at offset `at` of the line.
    InvalidUtf8 { at: usize },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::LineTooLong => write!(f, "line too long (limit {MAX_LINE} bytes)"),
            FrameError::InvalidUtf8 { at } => write!(f, "invalid UTF-8 at byte {at}"),
        }
    }
}

impl std::error::Error for FrameError {}

// ---------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------

/// A valid name: 1 to `MAX_NAME` bytes, no whitespace, no control character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(String);

impl Name {
    /// Checks `s` and wraps it. Errors report the first problem: empty, too long, then
    /// the first whitespace or control character.
    pub fn new(s: impl Into<String>) -> Result<Name, NameError> {
        let s = s.into();
        todo!("check the name {s:?}")
    }

    /// The name itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A valid text: 1 or more bytes, no control character; spaces anywhere, kept exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(String);

impl Text {
    /// Checks `s` and wraps it unchanged (no trimming).
    pub fn new(s: impl Into<String>) -> Result<Text, TextError> {
        let s = s.into();
        todo!("check the text {s:?}")
    }

    /// The text itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------

/// A message from a client to the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Request {
    /// `L <name>`: log in.
    Login(Name),
    /// `C <name> <text>`: say `text`.
    Chat { name: Name, text: Text },
    /// `Q <name>`: quit.
    Quit(Name),
}

/// A message from the server to a client.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServerMessage {
    /// `OK`: the login was accepted.
    Ok,
    /// `ERR <reason>`: a request was refused.
    Err(Text),
    /// `MSG <name> <text>`: `name` said `text`.
    Msg { name: Name, text: Text },
    /// `JOIN <name>`: `name` logged in.
    Join(Name),
    /// `LEAVE <name>`: `name` left.
    Leave(Name),
    /// `NOTICE <text>`: a message from the admin.
    Notice(Text),
    /// `EXIT`: the server ends this client.
    Exit,
}

impl Request {
    /// Parses one line (without its `\n`) into a request.
    ///
    /// The command is the line up to its first space; each field follows one space.
    /// Refusals and their exact errors are in the README's section "The protocol";
    /// byte offsets in errors count from the start of the line.
    pub fn parse(line: &str) -> Result<Request, ParseError> {
        todo!("parse the request {line:?}")
    }

    /// The request's line, without `\n`: `parse(&m.render())` must give back `m`.
    pub fn render(&self) -> String {
        todo!("render {self:?}")
    }

    /// The request's bytes on the wire: its line and `\n`.
    pub fn encode(&self) -> Vec<u8> {
        let mut line = self.render();
        line.push('\n');
        line.into_bytes()
    }
}

impl ServerMessage {
    /// Parses one line (without its `\n`) into a server message, by the same rules
    /// as `Request::parse`. `OK` and `EXIT` take no field.
    pub fn parse(line: &str) -> Result<ServerMessage, ParseError> {
        todo!("parse the server message {line:?}")
    }

    /// The message's line, without `\n`: `parse(&m.render())` must give back `m`.
    pub fn render(&self) -> String {
        todo!("render {self:?}")
    }

    /// The message's bytes on the wire: its line and `\n`.
    pub fn encode(&self) -> Vec<u8> {
        let mut line = self.render();
        line.push('\n');
        line.into_bytes()
    }
}

// ---------------------------------------------------------------------------------
// Framing
// ---------------------------------------------------------------------------------

/// Splits a byte stream into lines, sans I/O: `feed` it chunks as they arrive, take
/// the items with `next_line`.
///
/// The fields are a suggestion (one way that works); change them as you like, and
/// keep `buffered` and `new` in step.
#[derive(Debug, Default)]
pub struct Decoder {
    /// The partial line: bytes after the last `\n`, at most `MAX_LINE + 1` of them.
    buf: Vec<u8>,
    /// True while skipping the rest of a line already refused as too long.
    skipping: bool,
    /// Items finished but not yet taken, in stream order.
    items: VecDeque<Result<String, FrameError>>,
}

impl Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Takes the next bytes of the stream, whatever their size and wherever they cut.
    ///
    /// Every line the bytes complete becomes an item (the line without `\n` and
    /// without a `\r` just before it, or a `FrameError`); a line is refused as
    /// `LineTooLong` as soon as its bytes prove it too long, and its rest is skipped.
    /// Never store more than `MAX_LINE + 1` bytes of a partial line.
    pub fn feed(&mut self, bytes: &[u8]) {
        todo!(
            "feed {} bytes to a decoder holding {} bytes (skipping: {}, {} items waiting)",
            bytes.len(),
            self.buf.len(),
            self.skipping,
            self.items.len()
        )
    }

    /// The next item (a line without its `\n`, or why a line was refused), in stream
    /// order; `None` until more bytes complete one.
    pub fn next_line(&mut self) -> Option<Result<String, FrameError>> {
        todo!("take the next of {} items", self.items.len())
    }

    /// How many bytes of a partial line the decoder holds (never more than
    /// `MAX_LINE + 1`).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }
}
