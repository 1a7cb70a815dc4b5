//! The live status line of a check on a terminal: "sort: 115 tests · 12 s · 2 still
//! running", rewritten in place on stderr and cleared before the report.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::engine::lang::t;

/// How often the line is redrawn.
const EVERY: Duration = Duration::from_millis(100);

pub struct StatusLine<'a> {
    label: Option<&'a str>,
    total: usize,
    started: Instant,
    drawn: Option<Instant>,
}

impl<'a> StatusLine<'a> {
    /// `label` is None when there is no terminal to draw on.
    pub fn new(label: Option<&'a str>, total: usize) -> StatusLine<'a> {
        StatusLine {
            label,
            total,
            started: Instant::now(),
            drawn: None,
        }
    }

    pub fn show(&mut self, done: usize, running: usize) {
        let Some(label) = self.label else { return };
        // Quiet for the first moments: a fast check needs no status line.
        if self.started.elapsed() < EVERY || self.drawn.is_some_and(|d| d.elapsed() < EVERY) {
            return;
        }
        self.drawn = Some(Instant::now());
        let line = render(label, done, self.total, self.started.elapsed(), running);
        // A line wider than the terminal wraps, and `\r` with "clear line" then rubs
        // out only its last row: every redraw would leave a copy behind.
        let columns = crate::engine::compile::terminal_columns().map_or(80, usize::from);
        let line = fit(&line, columns.saturating_sub(1));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }

    pub fn clear(&mut self) {
        if self.drawn.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

impl Drop for StatusLine<'_> {
    fn drop(&mut self) {
        self.clear();
    }
}

/// "sort: 96 of 115 tests · 12 s · 2 still running"
pub fn render(label: &str, done: usize, total: usize, elapsed: Duration, running: usize) -> String {
    let status = t!(
        "status-line",
        done = done,
        total = total,
        seconds = elapsed.as_secs(),
        running = running
    );
    format!("  {label}: {status}")
}

/// `line` cut to at most `columns` terminal columns (a Chinese character takes two).
fn fit(line: &str, columns: usize) -> String {
    let mut width = 0;
    line.chars()
        .take_while(|&c| {
            width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            width <= columns
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_wider_than_the_terminal_is_cut_to_fit() {
        let line =
            "  bitree_text (二叉树的嵌套列表表示): 41 个测试已完成 16 个 · 0 秒 · 还有 2 个在运行";
        assert_eq!(crate::engine::style::display_width(line), 84);
        let cut = fit(line, 79);
        assert!(crate::engine::style::display_width(&cut) <= 79, "{cut}");
        assert!(line.starts_with(&cut));
        assert_eq!(fit("  sort: 1 of 2 tests", 79), "  sort: 1 of 2 tests");
        // A wide character that would straddle the edge is left out whole.
        assert_eq!(fit("ab二", 3), "ab");
    }

    #[test]
    fn says_how_far_the_check_is() {
        assert_eq!(
            render("sort", 96, 115, Duration::from_millis(12_400), 2),
            "  sort: 96 of 115 tests · 12 s · 2 still running"
        );
    }
}
