//! Chat protocol kata (聊天室协议): the reference solution.
//!
//! The protocol is specified in `exercises/chat_protocol/README.md`, "The protocol".
//! Three layers, each independent of the next:
//! - validated fields (`Name`, `Text`): built only through a check;
//! - typed messages (`Request`, `ServerMessage`): `parse` one line, `render` one line;
//! - framing (`Decoder`): bytes in any chunks → complete lines, with no I/O at all.

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
        if s.is_empty() {
            return Err(NameError::Empty);
        }
        // `len` counts bytes, which is what the limit is about (`小明` is 6).
        if s.len() > MAX_NAME {
            return Err(NameError::TooLong { len: s.len() });
        }
        for (at, c) in s.char_indices() {
            if c.is_whitespace() {
                return Err(NameError::Whitespace { at });
            }
            if c.is_control() {
                return Err(NameError::Control { at });
            }
        }
        Ok(Name(s))
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
        if s.is_empty() {
            return Err(TextError::Empty);
        }
        if let Some((at, _)) = s.char_indices().find(|(_, c)| c.is_control()) {
            return Err(TextError::Control { at });
        }
        Ok(Text(s))
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

/// Splits a line into its command and the rest after the first space (if any).
fn command(line: &str) -> (&str, Option<&str>) {
    match line.split_once(' ') {
        Some((command, rest)) => (command, Some(rest)),
        None => (line, None),
    }
}

/// The name field that is all of `rest`, which starts at byte `start` of the line.
/// `None` (no field at all) is a missing name, like an empty one.
fn name_field(rest: Option<&str>, start: usize) -> Result<Name, ParseError> {
    let field = rest.ok_or(ParseError::MissingName)?;
    Name::new(field).map_err(|e| ParseError::from_name(e, start))
}

/// The text field that is all of `rest`, which starts at byte `start` of the line.
fn text_field(rest: Option<&str>, start: usize) -> Result<Text, ParseError> {
    let field = rest.ok_or(ParseError::MissingText)?;
    Text::new(field).map_err(|e| ParseError::from_text(e, start))
}

/// `<name> <text>`, starting at byte `start` of the line: the name ends at the first
/// space (a name has none), the text is everything after it.
fn name_and_text(rest: Option<&str>, start: usize) -> Result<(Name, Text), ParseError> {
    let rest = rest.ok_or(ParseError::MissingName)?;
    let (name, text) = match rest.split_once(' ') {
        Some((name, text)) => (name, Some(text)),
        None => (rest, None),
    };
    let name = name_field(Some(name), start)?;
    let text = text_field(text, start + name.as_str().len() + 1)?;
    Ok((name, text))
}

/// Refuses anything after a command that takes no field.
fn no_field(command: &str, rest: Option<&str>) -> Result<(), ParseError> {
    match rest {
        None => Ok(()),
        Some(_) => Err(ParseError::UnexpectedField { at: command.len() }),
    }
}

impl Request {
    /// Parses one line (without its `\n`) into a request.
    pub fn parse(line: &str) -> Result<Request, ParseError> {
        if line.is_empty() {
            return Err(ParseError::EmptyLine);
        }
        let (cmd, rest) = command(line);
        // Every field starts after the command and its space.
        let start = cmd.len() + 1;
        match cmd {
            "L" => Ok(Request::Login(name_field(rest, start)?)),
            "C" => {
                let (name, text) = name_and_text(rest, start)?;
                Ok(Request::Chat { name, text })
            }
            "Q" => Ok(Request::Quit(name_field(rest, start)?)),
            _ => Err(ParseError::UnknownCommand(cmd.to_string())),
        }
    }

    /// The request's line, without `\n`.
    pub fn render(&self) -> String {
        match self {
            Request::Login(name) => format!("L {name}"),
            Request::Chat { name, text } => format!("C {name} {text}"),
            Request::Quit(name) => format!("Q {name}"),
        }
    }

    /// The request's bytes on the wire: its line and `\n`.
    pub fn encode(&self) -> Vec<u8> {
        let mut line = self.render();
        line.push('\n');
        line.into_bytes()
    }
}

impl ServerMessage {
    /// Parses one line (without its `\n`) into a server message.
    pub fn parse(line: &str) -> Result<ServerMessage, ParseError> {
        if line.is_empty() {
            return Err(ParseError::EmptyLine);
        }
        let (cmd, rest) = command(line);
        let start = cmd.len() + 1;
        match cmd {
            "OK" => no_field(cmd, rest).map(|()| ServerMessage::Ok),
            "ERR" => Ok(ServerMessage::Err(text_field(rest, start)?)),
            "MSG" => {
                let (name, text) = name_and_text(rest, start)?;
                Ok(ServerMessage::Msg { name, text })
            }
            "JOIN" => Ok(ServerMessage::Join(name_field(rest, start)?)),
            "LEAVE" => Ok(ServerMessage::Leave(name_field(rest, start)?)),
            "NOTICE" => Ok(ServerMessage::Notice(text_field(rest, start)?)),
            "EXIT" => no_field(cmd, rest).map(|()| ServerMessage::Exit),
            _ => Err(ParseError::UnknownCommand(cmd.to_string())),
        }
    }

    /// The message's line, without `\n`.
    pub fn render(&self) -> String {
        match self {
            ServerMessage::Ok => "OK".to_string(),
            ServerMessage::Err(reason) => format!("ERR {reason}"),
            ServerMessage::Msg { name, text } => format!("MSG {name} {text}"),
            ServerMessage::Join(name) => format!("JOIN {name}"),
            ServerMessage::Leave(name) => format!("LEAVE {name}"),
            ServerMessage::Notice(text) => format!("NOTICE {text}"),
            ServerMessage::Exit => "EXIT".to_string(),
        }
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
    pub fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if byte == b'\n' {
                if self.skipping {
                    // The end of a line already reported: start afresh, report nothing.
                    self.skipping = false;
                } else {
                    self.finish_line();
                }
            } else if !self.skipping {
                self.buf.push(byte);
                if self.known_too_long() {
                    self.items.push_back(Err(FrameError::LineTooLong));
                    self.buf.clear();
                    self.skipping = true;
                }
            }
        }
    }

    /// True when no `\n` can save the partial line: more than `MAX_LINE` bytes, unless
    /// it is exactly `MAX_LINE` bytes and a `\r` (which a `\n` would drop).
    fn known_too_long(&self) -> bool {
        match self.buf.len() {
            n if n <= MAX_LINE => false,
            n if n == MAX_LINE + 1 => self.buf[MAX_LINE] != b'\r',
            _ => true,
        }
    }

    /// The partial line has met its `\n`: turn it into an item.
    fn finish_line(&mut self) {
        let mut line = std::mem::take(&mut self.buf);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let item = String::from_utf8(line).map_err(|e| FrameError::InvalidUtf8 {
            at: e.utf8_error().valid_up_to(),
        });
        self.items.push_back(item);
    }

    /// The next item (a line without its `\n`, or why a line was refused), in stream
    /// order; `None` until more bytes complete one.
    pub fn next_line(&mut self) -> Option<Result<String, FrameError>> {
        self.items.pop_front()
    }

    /// How many bytes of a partial line the decoder holds (never more than
    /// `MAX_LINE + 1`).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }
}
