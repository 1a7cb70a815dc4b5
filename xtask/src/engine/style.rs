//! Terminal colours (only when the output is a terminal, `NO_COLOR` is not set and
//! `TERM` is not `dumb`), display width, and the one-line status a long step rewrites
//! in place (never on a dumb terminal).

use std::io::IsTerminal;

#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour when stdout is a terminal that shows escape sequences and the user has
    /// not asked for none (https://no-color.org).
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && !dumb_terminal() && std::io::stdout().is_terminal(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// True when `TERM=dumb`: a terminal (Emacs' shell, some CI logs) that shows escape
/// sequences as text, so neither colours nor a line redrawn in place.
pub fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// True when stderr is a terminal a line can be redrawn on in place.
pub fn live_stderr() -> bool {
    !dumb_terminal() && std::io::stderr().is_terminal()
}

/// `text` without its ANSI escape sequences (`\x1b[1m`, `\x1b[K`).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.peek() == Some(&'[') {
                chars.next();
                // Parameters, then one final byte in @..~.
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The columns `text` takes in a terminal: CJK characters take two.
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` padded with spaces to `width` columns as a terminal shows them (`{:<width$}`
/// counts characters, and a Chinese one takes two columns).
pub fn pad_to(text: &str, width: usize) -> String {
    format!(
        "{text}{}",
        " ".repeat(width.saturating_sub(display_width(text)))
    )
}

/// A one-line status of a long step on an interactive stderr ("sort: mutant 3 of 17"), rewritten in
/// place and cleared before the kata's row is printed. Elsewhere (CI logs) it stays
/// silent: the rows themselves are the plain progress lines.
pub struct LiveLine {
    live: bool,
}

impl LiveLine {
    pub fn new() -> LiveLine {
        LiveLine {
            live: live_stderr(),
        }
    }

    pub fn show(&self, text: &str) {
        if self.live {
            eprint!("\r\x1b[2K  … {text}");
        }
    }

    pub fn clear(&self) {
        if self.live {
            eprint!("\r\x1b[2K");
        }
    }
}
