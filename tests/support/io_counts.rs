#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Counting what code does to a reader, a writer or a seekable stream, for suites that
//! bound I/O work without timing it: how many calls, how many bytes, how large a
//! buffer each read asked to fill.
//!
//! Include with `#[path = "support/io_counts.rs"] mod io_counts;`.
//!
//! [`Counting<T>`] wraps any value and is `Read` when `T: Read`, `Write` when `T: Write`
//! and `Seek` when `T: Seek`, passing every call through unchanged and counting it in
//! [`Counting::counts`]. Code generic over those traits cannot tell the difference. Pass
//! `&mut counting` to code that takes its reader or writer by value, then read the
//! counts:
//!
//! ```ignore
//! let mut sink = Counting::new(Vec::new());
//! write_lines(&mut sink, &lines)?;
//! assert!(sink.counts.writes <= 2);
//! ```
//!
//! The counts are plain numbers kept in the wrapper: counting allocates nothing, so it
//! does not disturb a peak-heap measurement (`heap.rs`), and it is not shared between
//! threads (move the wrapper, or count on each side).
//!
//! It does not implement `BufRead`: code that wants buffering must add its own
//! `BufReader` on top, whose reads of the inner value are then counted.

use std::io::{self, IoSlice, IoSliceMut, Read, Seek, SeekFrom, Write};

/// What has been done through a [`Counting`] wrapper so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IoCounts {
    /// Calls of `read` (and of `read_vectored`, counted as one read each).
    pub reads: u64,
    /// Bytes those reads returned.
    pub bytes_read: u64,
    /// The largest buffer a read asked to fill (for `read_vectored`, all its buffers
    /// together), whatever it got.
    pub largest_read_request: usize,
    /// Reads that returned an error (`Interrupted` included).
    pub read_errors: u64,
    /// Calls of `write` (and of `write_vectored`, counted as one write each).
    pub writes: u64,
    /// Bytes those writes took.
    pub bytes_written: u64,
    /// The most bytes one write was offered.
    pub largest_write: usize,
    /// Writes that returned an error.
    pub write_errors: u64,
    /// Calls of `flush`.
    pub flushes: u64,
    /// Calls of `seek` (`stream_position` is a seek too).
    pub seeks: u64,
}

/// A reader, writer or seekable stream whose calls are counted. See the module's docs.
#[derive(Debug, Default)]
pub struct Counting<T> {
    inner: T,
    /// The counts so far; reset them by assigning `IoCounts::default()`.
    pub counts: IoCounts,
}

impl<T> Counting<T> {
    pub fn new(inner: T) -> Counting<T> {
        Counting {
            inner,
            counts: IoCounts::default(),
        }
    }

    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The wrapped value, for calls that should not be counted.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    pub fn into_inner(self) -> T {
        self.inner
    }

    fn count_read(&mut self, requested: usize, result: &io::Result<usize>) {
        let c = &mut self.counts;
        c.reads += 1;
        c.largest_read_request = c.largest_read_request.max(requested);
        match result {
            Ok(n) => c.bytes_read += *n as u64,
            Err(_) => c.read_errors += 1,
        }
    }

    fn count_write(&mut self, offered: usize, result: &io::Result<usize>) {
        let c = &mut self.counts;
        c.writes += 1;
        c.largest_write = c.largest_write.max(offered);
        match result {
            Ok(n) => c.bytes_written += *n as u64,
            Err(_) => c.write_errors += 1,
        }
    }
}

// Only the required methods and the vectored ones are passed through: every provided
// method (`read_exact`, `read_to_end`, `write_all`, ...) is built on them by std, so
// each underlying call is counted exactly once.
impl<T: Read> Read for Counting<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let requested = buf.len();
        let result = self.inner.read(buf);
        self.count_read(requested, &result);
        result
    }

    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        let requested = bufs.iter().map(|b| b.len()).sum();
        let result = self.inner.read_vectored(bufs);
        self.count_read(requested, &result);
        result
    }
}

impl<T: Write> Write for Counting<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let offered = buf.len();
        let result = self.inner.write(buf);
        self.count_write(offered, &result);
        result
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        let offered = bufs.iter().map(|b| b.len()).sum();
        let result = self.inner.write_vectored(bufs);
        self.count_write(offered, &result);
        result
    }

    fn flush(&mut self) -> io::Result<()> {
        self.counts.flushes += 1;
        self.inner.flush()
    }
}

impl<T: Seek> Seek for Counting<T> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.counts.seeks += 1;
        self.inner.seek(pos)
    }
}
