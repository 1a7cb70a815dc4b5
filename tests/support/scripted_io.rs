#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Readers and writers that misbehave on a script, the way pipes, sockets and full
//! disks do: short reads (fewer bytes than asked), short writes (fewer bytes taken than
//! offered), `Interrupted` errors (a signal arrived: try again) and errors that end the
//! work. Code that is right for a file on an idle machine and wrong for a socket fails
//! here every time, not once a month in production.
//!
//! Include with `#[path = "support/scripted_io.rs"] mod scripted_io;`.
//!
//! [`Scripted<T>`] wraps a reader, a writer or a seekable stream. Each `read` and each
//! `write` takes the next [`Step`] of its script (reads and writes have one script
//! each) and does what it says; when the script is over, calls pass through unchanged.
//! `seek` always passes through; `flush` does too, unless [`Scripted::failing_flush`]
//! made it fail.
//!
//! ```ignore
//! let mut reader = Scripted::new(Cursor::new(data)).reads([Step::Upto(3), Step::Interrupted]);
//! ```
//!
//! [`steps`] is a proptest strategy for scripts. (The `partial-io` crate does most of
//! this; see the kata's Cargo.toml for why the suites carry this file instead.)

use std::collections::VecDeque;
use std::io::{self, ErrorKind, Read, Seek, SeekFrom, Write};

use proptest::prelude::*;

/// What the next read or write does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Passes the call through with its buffer cut to at most this many bytes (at least
    /// 1: a read of 0 bytes would mean the end of the data, a write of 0 a full disk).
    Upto(usize),
    /// Returns `Interrupted` without touching the inner value: the caller should retry.
    Interrupted,
    /// Returns an error of this kind without touching the inner value.
    Fail(ErrorKind),
}

/// A reader or writer that follows a script. See the module's docs.
#[derive(Debug)]
pub struct Scripted<T> {
    inner: T,
    reads: VecDeque<Step>,
    writes: VecDeque<Step>,
    flush_error: Option<ErrorKind>,
}

impl<T> Scripted<T> {
    /// A wrapper with empty scripts: every call passes through.
    pub fn new(inner: T) -> Scripted<T> {
        Scripted {
            inner,
            reads: VecDeque::new(),
            writes: VecDeque::new(),
            flush_error: None,
        }
    }

    /// Sets the script of the reads.
    pub fn reads(mut self, script: impl IntoIterator<Item = Step>) -> Scripted<T> {
        self.reads = script.into_iter().collect();
        self
    }

    /// Sets the script of the writes.
    pub fn writes(mut self, script: impl IntoIterator<Item = Step>) -> Scripted<T> {
        self.writes = script.into_iter().collect();
        self
    }

    /// Makes every `flush` return an error of `kind` (after flushing the inner value).
    pub fn failing_flush(mut self, kind: ErrorKind) -> Scripted<T> {
        self.flush_error = Some(kind);
        self
    }

    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    pub fn into_inner(self) -> T {
        self.inner
    }
}

fn scripted_error(kind: ErrorKind) -> io::Error {
    io::Error::new(kind, "scripted error")
}

impl<T: Read> Read for Scripted<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.reads.pop_front() {
            None => self.inner.read(buf),
            Some(Step::Upto(n)) => {
                let n = n.max(1).min(buf.len());
                self.inner.read(&mut buf[..n])
            }
            Some(Step::Interrupted) => Err(scripted_error(ErrorKind::Interrupted)),
            Some(Step::Fail(kind)) => Err(scripted_error(kind)),
        }
    }
}

impl<T: Write> Write for Scripted<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.writes.pop_front() {
            None => self.inner.write(buf),
            Some(Step::Upto(n)) => {
                let n = n.max(1).min(buf.len());
                self.inner.write(&buf[..n])
            }
            Some(Step::Interrupted) => Err(scripted_error(ErrorKind::Interrupted)),
            Some(Step::Fail(kind)) => Err(scripted_error(kind)),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()?;
        match self.flush_error {
            Some(kind) => Err(scripted_error(kind)),
            None => Ok(()),
        }
    }
}

impl<T: Seek> Seek for Scripted<T> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Scripts of up to `max_steps` steps: short reads or writes of 1 to `max_bytes` bytes,
/// and `Interrupted` (about one step in four), never an error that ends the work. It
/// shrinks towards fewer steps and smaller limits.
pub fn steps(max_steps: usize, max_bytes: usize) -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        3 => (1..=max_bytes.max(1)).prop_map(Step::Upto),
        1 => Just(Step::Interrupted),
    ];
    proptest::collection::vec(step, 0..=max_steps)
}
