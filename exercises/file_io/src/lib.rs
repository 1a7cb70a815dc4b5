//! file_io kata (文件读写): the course's file modes, copies in chunks through short reads
//! and writes, buffered writing whose errors reach the caller, and files used as arrays
//! of bytes (seek, tail, patch, fixed-width records).
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the task,
//! then replace each `todo!()` with your code. Check your work with
//! `cargo xtask check file_io`.

use std::ffi::OsString;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Read, Seek, Write};
use std::path::Path;

// ---------------------------------------------------------------------------------
// Given: the error of a mode string, and the entries of a directory listing
// ---------------------------------------------------------------------------------

/// A mode string that is not in the course's table (`"rw"`, `"x"`, `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeError {
    /// The mode as it was given.
    pub mode: String,
}

impl fmt::Display for ModeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown mode {:?}: expected r, w or a, then an optional + and an optional b",
            self.mode
        )
    }
}

impl std::error::Error for ModeError {}

/// So that `?` turns a `ModeError` into an `io::Error` (of the kind `InvalidInput`).
impl From<ModeError> for io::Error {
    fn from(error: ModeError) -> io::Error {
        io::Error::new(ErrorKind::InvalidInput, error)
    }
}

/// What a directory entry is, as `os.path.isfile` and `os.path.isdir` would say
/// (symbolic links followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    File,
    Dir,
    /// Anything else: a socket, a FIFO, a device.
    Other,
}

/// One line of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry {
    /// The entry's own name (not its path), exactly as the file system holds it.
    pub name: OsString,
    pub kind: Kind,
    /// Bytes, for a file (`os.path.getsize`); 0 for anything else, since what a
    /// directory's size means depends on the file system.
    pub size: u64,
}

/// The largest buffer `copy_chunked` and `tail` allocate, in bytes (1 MiB): a larger
/// `chunk` or `block`, up to `usize::MAX`, is used as this many bytes. A buffer that
/// size already holds many disk blocks at once; `usize::MAX` bytes could not be
/// allocated at all. (Given.)
pub const MAX_BUFFER: usize = 1 << 20;

// ---------------------------------------------------------------------------------
// The mode table (打开方式)
// ---------------------------------------------------------------------------------

/// The `OpenOptions` of one of the course's mode strings: `r`, `w` or `a`, then an
/// optional `+`, and a `b` anywhere after the letter (`rb+` and `r+b` alike). `b` changes
/// nothing: Rust reads and writes bytes in every mode, there is no text mode.
///
/// | mode | reads | writes | missing file | existing file |
/// |---|---|---|---|---|
/// | `r` | yes | no | error | kept |
/// | `w` | no | yes | created | emptied |
/// | `a` | no | at the end | created | kept |
/// | `r+` | yes | yes | error | kept |
/// | `w+` | yes | yes | created | emptied |
/// | `a+` | yes | at the end | created | kept |
///
/// Errors: any other string, with [`ModeError`].
pub fn parse_mode(mode: &str) -> Result<OpenOptions, ModeError> {
    todo!("the OpenOptions of the mode {mode:?}")
}

/// Opens `path` with the course's `mode` (see [`parse_mode`]), like Python's
/// `open(path, mode)`. The position starts at 0 in every mode, `a` and `a+` included.
///
/// Errors: an unknown mode (`InvalidInput`), then whatever opening fails with
/// (`NotFound` for `r` and `r+` on a missing file).
pub fn open(path: impl AsRef<Path>, mode: &str) -> io::Result<File> {
    todo!("open {} with the mode {mode:?}", path.as_ref().display())
}

// ---------------------------------------------------------------------------------
// Copying in chunks (分块读写)
// ---------------------------------------------------------------------------------

/// Copies everything `reader` gives, up to its end, into `writer`, through one buffer of
/// `chunk` bytes, and returns the number of bytes copied. Like `std::io::copy`, but the
/// buffer is yours: no read asks for more than `chunk` bytes, and the memory used does
/// not grow with the data. It need not flush `writer` (`std::io::copy` does not).
///
/// A `chunk` larger than [`MAX_BUFFER`] (`usize::MAX` included) is not an error: the
/// buffer then holds `MAX_BUFFER` bytes, and no read asks for more.
///
/// A read that returns fewer bytes than asked is normal (a pipe, a socket, a scripted
/// reader): only `Ok(0)` means the end. `Interrupted` is retried, on both sides; a
/// write that takes fewer bytes than offered is continued with the rest.
///
/// Errors: `chunk == 0` (`InvalidInput`), and any other error of either side, as it came.
pub fn copy_chunked<R: Read + ?Sized, W: Write + ?Sized>(
    reader: &mut R,
    writer: &mut W,
    chunk: usize,
) -> io::Result<u64> {
    let _ = (reader, writer);
    todo!("copy through a buffer of {chunk} bytes")
}

// ---------------------------------------------------------------------------------
// Writing and reading lines through a buffer (缓冲区)
// ---------------------------------------------------------------------------------

/// Writes each line followed by `\n` into `out` through a `BufWriter` of the default
/// capacity (8 KiB), so that many small lines cost few writes of `out`; then flushes,
/// so that every byte has reached `out` (and `out.flush()` was called) when it returns.
///
/// Errors: the first error of a write or of the flush. A `BufWriter` that is dropped
/// flushes too, but ignores the error: the caller would never hear of lost lines.
pub fn write_lines<W: Write>(
    out: W,
    lines: impl IntoIterator<Item = impl AsRef<str>>,
) -> io::Result<()> {
    let _ = out;
    todo!("write {} lines", lines.into_iter().count())
}

/// The number of lines `reader` holds: every `\n` ends a line, and bytes after the last
/// `\n` are one more line (a last line without its newline still counts). Works on any
/// bytes, UTF-8 or not; reads through one buffer, so memory does not grow with the input.
///
/// Errors: those of `reader` (`Interrupted` is retried).
pub fn count_lines<R: Read>(reader: R) -> io::Result<u64> {
    let _ = reader;
    todo!("count the lines of a reader")
}

// ---------------------------------------------------------------------------------
// Seeking: tail, patch and records (文件偏移量)
// ---------------------------------------------------------------------------------

/// The last `n` lines of `file`, each with its `\n` (the last one has none when the file
/// does not end with one), found by reading backwards from the end `block` bytes at a
/// time: the work grows with the lines asked for, not with the file. The lines are
/// those of `split_inclusive('\n')`; fewer than `n` when the file has fewer. `n == 0`
/// gives none. The position afterwards is unspecified.
///
/// A `block` larger than [`MAX_BUFFER`] (`usize::MAX` included) is not an error: the
/// file is then read `MAX_BUFFER` bytes at a time, and no more is allocated for the
/// search (the lines returned take what they take).
///
/// Errors: `block == 0` (`InvalidInput`), and those of `file`.
pub fn tail<F: Read + Seek + ?Sized>(
    file: &mut F,
    n: usize,
    block: usize,
) -> io::Result<Vec<Vec<u8>>> {
    let _ = file;
    todo!("the last {n} lines, reading blocks of {block} bytes from the end")
}

/// Overwrites the bytes at `offset..offset + bytes.len()` of `file` with `bytes`, then
/// puts the position back where it was. The file's length never changes. A write that
/// takes only part of the bytes is continued with the rest.
///
/// Errors: a range that does not lie within the file (`InvalidInput`; nothing written
/// and the position unchanged: seeking past the end is allowed, and writing there would
/// grow the file), and those of `file`. The position is put back after a failed write
/// too (the write's error is the one returned).
pub fn patch<F: Write + Seek + ?Sized>(file: &mut F, offset: u64, bytes: &[u8]) -> io::Result<()> {
    let _ = file;
    todo!("write {bytes:?} at offset {offset}")
}

/// A file of fixed-width records (定长记录): record `i` is the `width` bytes at offset
/// `i * width`, so any record is one seek away. A read or a write that moves fewer bytes
/// than the record holds is not the end: it is continued until the record is whole.
///
/// The fields are given: a `Records` is a file and a width. Add any you need.
#[derive(Debug)]
pub struct Records<F> {
    file: F,
    width: usize,
}

impl<F: Read + Write + Seek> Records<F> {
    /// Records of `width` bytes in `file` (opened for reading and writing, not in
    /// append mode: `set` must write where it seeks).
    ///
    /// Errors: `width == 0` (`InvalidInput`); a file whose length is not a multiple of
    /// `width` (`InvalidData`: it holds a torn record); those of `file`.
    pub fn new(file: F, width: usize) -> io::Result<Records<F>> {
        let _ = file;
        todo!("records of {width} bytes")
    }

    /// The number of records.
    pub fn len(&mut self) -> io::Result<u64> {
        todo!("count the records of {} bytes", self.width)
    }

    /// Whether there are no records. (Given: it follows from `len`.)
    pub fn is_empty(&mut self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Record `index`.
    ///
    /// Errors: `index >= len()` (`InvalidInput`), and those of the file.
    pub fn get(&mut self, index: u64) -> io::Result<Vec<u8>> {
        todo!("read record {index} of {} bytes", self.width)
    }

    /// Replaces record `index` with `record`.
    ///
    /// Errors: a record that is not `width` bytes, `index >= len()` (both
    /// `InvalidInput`, nothing written), and those of the file.
    pub fn set(&mut self, index: u64, record: &[u8]) -> io::Result<()> {
        todo!("write {record:?} as record {index}")
    }

    /// Appends `record` and returns its index.
    ///
    /// Errors: a record that is not `width` bytes (`InvalidInput`, nothing written),
    /// and those of the file.
    pub fn push(&mut self, record: &[u8]) -> io::Result<u64> {
        todo!("append {record:?}")
    }

    /// The file back. (Given.)
    pub fn into_inner(self) -> F {
        self.file
    }
}

// ---------------------------------------------------------------------------------
// File management (文件管理函数)
// ---------------------------------------------------------------------------------

/// The entries of the directory `dir` (`os.listdir`), each with its kind
/// (`os.path.isfile`) and size (`os.path.getsize`), sorted by name (byte order). Symbolic
/// links are followed, as those functions do. `.` and `..` are not listed.
///
/// Errors: `dir` cannot be read (missing, not a directory), or an entry's metadata
/// cannot be read.
pub fn list_dir(dir: impl AsRef<Path>) -> io::Result<Vec<Entry>> {
    todo!("list {}", dir.as_ref().display())
}
