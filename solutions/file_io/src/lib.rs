//! file_io kata (文件读写): the course's file modes, copies in chunks through short reads
//! and writes, buffered writing whose errors reach the caller, and files used as arrays
//! of bytes (seek, tail, patch, fixed-width records). The reference solution.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, ErrorKind, Read, Seek, SeekFrom, Write};
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

fn invalid_input(message: String) -> io::Error {
    io::Error::new(ErrorKind::InvalidInput, message)
}

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
    let unknown = || ModeError {
        mode: mode.to_string(),
    };
    let mut chars = mode.chars();
    let letter = chars.next().ok_or_else(unknown)?;
    let plus = match chars.as_str() {
        "" | "b" => false,
        "+" | "b+" | "+b" => true,
        _ => return Err(unknown()),
    };
    let mut options = OpenOptions::new();
    match letter {
        'r' => options.read(true).write(plus),
        // `truncate` is what empties the file: `create` alone keeps its old bytes.
        'w' => options.write(true).create(true).truncate(true).read(plus),
        // `append` makes every write go to the end (O_APPEND), wherever the position is.
        'a' => options.append(true).create(true).read(plus),
        _ => return Err(unknown()),
    };
    Ok(options)
}

/// Opens `path` with the course's `mode` (see [`parse_mode`]), like Python's
/// `open(path, mode)`. The position starts at 0 in every mode, `a` and `a+` included.
///
/// Errors: an unknown mode (`InvalidInput`), then whatever opening fails with
/// (`NotFound` for `r` and `r+` on a missing file).
pub fn open(path: impl AsRef<Path>, mode: &str) -> io::Result<File> {
    parse_mode(mode)?.open(path)
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
    if chunk == 0 {
        return Err(invalid_input(
            "a copy needs a buffer of at least one byte".to_string(),
        ));
    }
    // Never more than MAX_BUFFER: `vec![0; usize::MAX]` would panic (capacity
    // overflow), and a buffer of a terabyte would abort the process.
    let mut buffer = vec![0; chunk.min(MAX_BUFFER)];
    let mut copied = 0;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => return Ok(copied),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // Only the first `n` bytes are new: the rest of the buffer is left over from
        // an earlier read. `write_all` continues short writes and retries `Interrupted`.
        writer.write_all(&buffer[..n])?;
        copied += n as u64;
    }
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
    let mut buffered = BufWriter::new(out);
    for line in lines {
        buffered.write_all(line.as_ref().as_bytes())?;
        buffered.write_all(b"\n")?;
    }
    buffered.flush()
}

/// The number of lines `reader` holds: every `\n` ends a line, and bytes after the last
/// `\n` are one more line (a last line without its newline still counts). Works on any
/// bytes, UTF-8 or not; reads through one buffer, so memory does not grow with the input.
///
/// Errors: those of `reader` (`Interrupted` is retried).
pub fn count_lines<R: Read>(mut reader: R) -> io::Result<u64> {
    let mut buffer = vec![0; 8 * 1024];
    let mut lines = 0;
    let mut last = None;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let bytes = &buffer[..n];
        lines += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        last = bytes.last().copied();
    }
    if last.is_some_and(|b| b != b'\n') {
        lines += 1;
    }
    Ok(lines)
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
    if block == 0 {
        return Err(invalid_input(
            "tail needs a block of at least one byte".to_string(),
        ));
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let len = file.seek(SeekFrom::End(0))?;
    // The last byte ends the last line, newline or not, so the search for the `n`th
    // newline from the end starts before it. The tail begins just after that newline.
    let mut unsearched = len.saturating_sub(1);
    let mut start = 0;
    let mut newlines = 0;
    // The buffer holds at most MAX_BUFFER bytes, and no more than the file.
    let block = len.min(block.min(MAX_BUFFER) as u64) as usize;
    let mut buffer = vec![0; block];
    'search: while unsearched > 0 {
        let size = unsearched.min(block as u64) as usize;
        let from = unsearched - size as u64;
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut buffer[..size])?;
        for (i, &byte) in buffer[..size].iter().enumerate().rev() {
            if byte == b'\n' {
                newlines += 1;
                if newlines == n {
                    start = from + i as u64 + 1;
                    break 'search;
                }
            }
        }
        unsearched = from;
    }
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    (&mut *file).take(len - start).read_to_end(&mut bytes)?;
    Ok(bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect())
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
    let position = file.stream_position()?;
    let len = file.seek(SeekFrom::End(0))?;
    let end = offset.checked_add(bytes.len() as u64);
    let written = match end {
        Some(end) if end <= len => file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| file.write_all(bytes)),
        _ => Err(invalid_input(format!(
            "a patch of {} bytes at offset {offset} does not fit in a file of {len} bytes",
            bytes.len()
        ))),
    };
    // Put the position back even when the patch failed; the first error wins.
    let restored = file.seek(SeekFrom::Start(position));
    written?;
    restored.map(|_| ())
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
    pub fn new(mut file: F, width: usize) -> io::Result<Records<F>> {
        if width == 0 {
            return Err(invalid_input(
                "records need a width of at least one byte".to_string(),
            ));
        }
        let len = file.seek(SeekFrom::End(0))?;
        if len % width as u64 != 0 {
            return Err(io::Error::new(
                ErrorKind::InvalidData,
                format!("a file of {len} bytes is not a whole number of {width}-byte records"),
            ));
        }
        Ok(Records { file, width })
    }

    /// The number of records.
    pub fn len(&mut self) -> io::Result<u64> {
        Ok(self.file.seek(SeekFrom::End(0))? / self.width as u64)
    }

    /// Whether there are no records. (Given: it follows from `len`.)
    pub fn is_empty(&mut self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Record `index`.
    ///
    /// Errors: `index >= len()` (`InvalidInput`), and those of the file.
    pub fn get(&mut self, index: u64) -> io::Result<Vec<u8>> {
        self.seek_to(index)?;
        let mut record = vec![0; self.width];
        self.file.read_exact(&mut record)?;
        Ok(record)
    }

    /// Replaces record `index` with `record`.
    ///
    /// Errors: a record that is not `width` bytes, `index >= len()` (both
    /// `InvalidInput`, nothing written), and those of the file.
    pub fn set(&mut self, index: u64, record: &[u8]) -> io::Result<()> {
        self.check_width(record)?;
        self.seek_to(index)?;
        self.file.write_all(record)
    }

    /// Appends `record` and returns its index.
    ///
    /// Errors: a record that is not `width` bytes (`InvalidInput`, nothing written),
    /// and those of the file.
    pub fn push(&mut self, record: &[u8]) -> io::Result<u64> {
        self.check_width(record)?;
        let index = self.len()?;
        // `len` left the position at the end.
        self.file.write_all(record)?;
        Ok(index)
    }

    /// The file back. (Given.)
    pub fn into_inner(self) -> F {
        self.file
    }

    fn check_width(&self, record: &[u8]) -> io::Result<()> {
        if record.len() == self.width {
            Ok(())
        } else {
            Err(invalid_input(format!(
                "a record of {} bytes where every record has {}",
                record.len(),
                self.width
            )))
        }
    }

    /// Seeks to the start of record `index`, which must exist.
    fn seek_to(&mut self, index: u64) -> io::Result<()> {
        let len = self.len()?;
        if index >= len {
            return Err(invalid_input(format!(
                "record {index} does not exist: there are {len}"
            )));
        }
        // `index < len` and `len * width` is the file's length: no overflow.
        self.file.seek(SeekFrom::Start(index * self.width as u64))?;
        Ok(())
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
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        // `fs::metadata` follows links; `DirEntry::metadata` would not.
        let metadata = fs::metadata(entry.path())?;
        let kind = if metadata.is_file() {
            Kind::File
        } else if metadata.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        };
        let size = if kind == Kind::File {
            metadata.len()
        } else {
            0
        };
        entries.push(Entry {
            name: entry.file_name(),
            kind,
            size,
        });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}
