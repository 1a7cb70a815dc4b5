//! What a test prints: read on threads, kept head and tail, cleaned for the terminal.
//!
//! A pipe is read to its end on a thread of its own, so a test that prints without
//! end never blocks on a full pipe, and memory stays bounded: the first `HEAD` bytes
//! and the last `TAIL` bytes are kept, with the number of bytes cut between them. The
//! start says what the test was doing; the end holds the panic, proptest's minimal
//! input and insta's diff.
//!
//! The runner never waits for a pipe's end once the test's process is gone: a
//! process the test left behind may hold the pipe open for ever. [`Capture::take`]
//! gives what was read so far after a short, bounded wait.

use std::io::Read;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Bytes kept from the start of one stream.
pub const HEAD: usize = 64 * 1024;
/// Bytes kept from the end of one stream.
pub const TAIL: usize = 192 * 1024;
/// What libtest prints first, on stderr, when given `--logfile`.
const LOGFILE_WARNING: &str = "warning: `--logfile` is deprecated";
/// How long the rest of the output may take to arrive once the process has ended
/// (its process group is killed first, so the pipes close at once unless something
/// escaped the group).
const DRAIN: Duration = Duration::from_millis(250);

/// The start and the end of a stream, and how much was cut between them.
#[derive(Default)]
pub struct HeadTail {
    head: Vec<u8>,
    tail: Vec<u8>,
    /// Start of the oldest byte in `tail` (it is a ring once full).
    tail_start: usize,
    cut: u64,
    head_limit: usize,
    tail_limit: usize,
}

impl HeadTail {
    pub fn new(head_limit: usize, tail_limit: usize) -> HeadTail {
        HeadTail {
            head_limit,
            tail_limit,
            ..HeadTail::default()
        }
    }

    pub fn push(&mut self, mut bytes: &[u8]) {
        let room = self.head_limit - self.head.len();
        if room > 0 {
            let n = room.min(bytes.len());
            self.head.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
        }
        if self.tail_limit == 0 {
            self.cut += bytes.len() as u64;
            return;
        }
        if bytes.len() >= self.tail_limit {
            let dropped = bytes.len() - self.tail_limit;
            self.cut += (self.tail.len() + dropped) as u64;
            self.tail.clear();
            self.tail.extend_from_slice(&bytes[dropped..]);
            self.tail_start = 0;
            return;
        }
        // Fill the ring, then overwrite its oldest bytes (at `tail_start`).
        let free = self.tail_limit - self.tail.len();
        let n = free.min(bytes.len());
        self.tail.extend_from_slice(&bytes[..n]);
        bytes = &bytes[n..];
        while !bytes.is_empty() {
            let n = (self.tail_limit - self.tail_start).min(bytes.len());
            self.tail[self.tail_start..self.tail_start + n].copy_from_slice(&bytes[..n]);
            self.cut += n as u64;
            self.tail_start = (self.tail_start + n) % self.tail_limit;
            bytes = &bytes[n..];
        }
    }

    /// The kept text, with a line saying how much was cut where it was cut.
    pub fn text(&self) -> String {
        let mut bytes = self.head.clone();
        if self.cut > 0 {
            // The cut falls mid-line: start the note on a line of its own.
            if bytes.last().is_some_and(|&b| b != b'\n') {
                bytes.push(b'\n');
            }
            bytes.extend_from_slice(format!("{}\n", cut_note(self.cut)).as_bytes());
        }
        bytes.extend_from_slice(&self.tail[self.tail_start..]);
        bytes.extend_from_slice(&self.tail[..self.tail_start]);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// The line that stands where output was cut.
pub fn cut_note(bytes: u64) -> String {
    format!("[… {} of output cut here …]", human_bytes(bytes))
}

fn human_bytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Both pipes of one process, read on their own threads.
pub struct Capture {
    streams: Vec<Arc<Mutex<HeadTail>>>,
    finished: Receiver<()>,
    readers: usize,
}

impl Capture {
    /// Starts reading each pipe; `keep` false reads and forgets (a batch's output,
    /// which decides nothing and is shown nowhere).
    pub fn start(pipes: Vec<Box<dyn Read + Send>>, keep: bool) -> Capture {
        let (done, finished) = mpsc::channel();
        let readers = pipes.len();
        let streams = pipes
            .into_iter()
            .map(|mut pipe| {
                let (head, tail) = if keep { (HEAD, TAIL) } else { (0, 0) };
                let stream = Arc::new(Mutex::new(HeadTail::new(head, tail)));
                let kept = Arc::clone(&stream);
                let done = done.clone();
                thread::spawn(move || {
                    let mut buf = [0u8; 16 * 1024];
                    loop {
                        match pipe.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => lock(&kept).push(&buf[..n]),
                        }
                    }
                    let _ = done.send(());
                });
                stream
            })
            .collect();
        Capture {
            streams,
            finished,
            readers,
        }
    }

    /// Everything read (stdout, then stderr), once the pipes have closed or `DRAIN`
    /// has passed; control characters removed.
    pub fn take(self) -> String {
        let until = Instant::now() + DRAIN;
        for _ in 0..self.readers {
            let left = until.saturating_duration_since(Instant::now());
            if self.finished.recv_timeout(left).is_err() {
                break;
            }
        }
        let mut text = String::new();
        for stream in &self.streams {
            // stdout may end mid-line: stderr starts on a line of its own.
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            // libtest's notice about `--logfile` (which the runner uses on purpose)
            // has no newline: left in, it would be glued to the test's first line.
            let stream = lock(stream).text();
            let stream = stream.strip_prefix(LOGFILE_WARNING).unwrap_or(&stream);
            text.push_str(stream.strip_prefix('\n').unwrap_or(stream));
        }
        sanitize(&text)
    }
}

fn lock(stream: &Mutex<HeadTail>) -> std::sync::MutexGuard<'_, HeadTail> {
    stream
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes control characters (escape sequences included) except newlines and tabs,
/// and the Unicode controls that reorder or hide text (bidirectional overrides and
/// isolates, zero-width marks), so printed garbage can neither repaint the learner's
/// terminal nor make a line read other than it is.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || is_format_control(c)))
        .collect()
}

/// Bidirectional and other invisible format characters (Unicode category Cf that
/// terminals honour): U+061C, U+200B..U+200F, U+202A..U+202E, U+2060..U+2069, U+FEFF.
fn is_format_control(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_head_and_tail_and_says_what_was_cut() {
        let mut kept = HeadTail::new(4, 6);
        kept.push(b"abcdefgh");
        kept.push(b"ijklmnop");
        assert_eq!(kept.text(), format!("abcd\n{}\nklmnop", cut_note(6)));
        let mut big = HeadTail::new(2, 3);
        big.push(b"0123456789");
        assert_eq!(big.text(), format!("01\n{}\n789", cut_note(5)));
        let mut small = HeadTail::new(4, 6);
        small.push(b"hello");
        assert_eq!(small.text(), "hello");
        // Byte by byte, the ring wraps several times.
        let mut ring = HeadTail::new(2, 5);
        for b in b"abcdefghijklmnopq" {
            ring.push(&[*b]);
        }
        assert_eq!(ring.text(), format!("ab\n{}\nmnopq", cut_note(10)));
    }

    #[test]
    fn removes_terminal_and_bidi_controls() {
        assert_eq!(
            sanitize("a\u{202E}b\x1b[2Jc\u{2066}d\u{200B}e\n\tf"),
            "ab[2Jcde\n\tf"
        );
    }
}
