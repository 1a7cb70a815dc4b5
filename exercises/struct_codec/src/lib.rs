//! The struct_codec kata (struct 模块): Python's `struct` module in Rust, faithful to
//! CPython 3.13 down to its error messages. Read `README.md` next to this file first.
//!
//! Given (real code, not the lesson): [`Value`], [`ByteOrder`], [`Item`], [`Layout`],
//! [`StructError`] with CPython's texts, `Struct::new`/`size`/`format`/`layout`, and the
//! module functions (`pack`, `unpack`, ...) that compile a format and call the `Struct`.
//! Yours: every `todo!()`, in this order: `code_size`, `parse_format`, `pack_half`,
//! `unpack_half`, `Struct::pack` and `Struct::pack_to`, `Struct::unpack` and
//! `Struct::unpack_to`, then `pack_into`, `unpack_from`, `iter_unpack` and
//! `IterUnpack::next`. `cargo xtask check struct_codec` tells you
//! what is still wrong after each.

use std::fmt;

// ---------------------------------------------------------------------------------
// Given in the stub: values, byte orders, layouts, errors.
// ---------------------------------------------------------------------------------

/// One Python value as `struct` packs and unpacks it.
///
/// Python's `int` is unbounded; `i128` holds every value any code accepts (the widest,
/// `Q`, goes up to 2⁶⁴ − 1) and enough beyond to show the range errors.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `int`: what the integer codes `b B h H i I l L q Q n N P` give back.
    Int(i128),
    /// `bool`: what `?` gives back. An integer code takes it as 0 or 1, like Python.
    Bool(bool),
    /// `float`: what `e f d` give back. A float code also takes an `Int` or a `Bool`.
    Float(f64),
    /// `bytes`: what `c s p` give back (`c`: exactly one byte).
    Bytes(Vec<u8>),
}

impl From<i128> for Value {
    fn from(v: i128) -> Value {
        Value::Int(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v.into())
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Int(v.into())
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Value {
        Value::Int(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Float(v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Value {
        Value::Bytes(v.to_vec())
    }
}
impl<const N: usize> From<&[u8; N]> for Value {
    fn from(v: &[u8; N]) -> Value {
        Value::Bytes(v.to_vec())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Value {
        Value::Bytes(v)
    }
}

/// The byte order, size and alignment a format's first character chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrder {
    /// `@`, or no prefix: this machine's byte order, C sizes and C alignment.
    Native,
    /// `=`: this machine's byte order, standard sizes, no alignment.
    NativeStandard,
    /// `<`: little-endian, standard sizes, no alignment.
    Little,
    /// `>` and `!` (network order): big-endian, standard sizes, no alignment.
    Big,
}

/// One item of a format: a code, its repeat count and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// The format character: one of `x c b B ? h H i I l L q Q n N e f d s p P`.
    pub code: char,
    /// The repeat count (1 when none was written). For `s` and `p` it is the length of
    /// the one bytes value, for every other code the number of values (`x`: pad bytes).
    pub count: usize,
    /// The item's first byte in the packed record, after alignment.
    pub offset: usize,
}

/// A parsed format: its byte order, its items in order, and the record's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub order: ByteOrder,
    /// Every item as written, zero counts included, whitespace left out.
    pub items: Vec<Item>,
    /// `calcsize`: the offset just past the last item (no padding at the end).
    pub size: usize,
}

/// The largest record `pack` can return: CPython's largest `bytes` object, `isize::MAX`
/// less its 32-byte header and its trailing NUL (on a 64-bit machine).
pub const MAX_BYTES: usize = isize::MAX as usize - 33;

/// What can go wrong, as a value. `Display` writes CPython 3.13's message for the same
/// input, and [`StructError::python_type`] names the exception CPython raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructError {
    /// The format holds a character outside ASCII (Python encodes it first).
    /// `start..end` is the first run of such characters, counted in characters.
    NotAscii {
        start: usize,
        end: usize,
        first: char,
    },
    /// The format holds a NUL character.
    EmbeddedNull,
    /// A character that is no code (under this byte order), or a misplaced one.
    BadChar,
    /// Digits at the very end of the format, with no code after them (`"c1"`).
    CountWithoutCode,
    /// A repeat count or the record's size is larger than `isize::MAX`.
    SizeTooLong,
    /// `pack` got a different number of values than the format takes.
    PackCount { expected: usize, got: usize },
    /// `pack`: the record would be larger than [`MAX_BYTES`] (CPython's `OverflowError`).
    BytesTooLarge,
    /// `pack`: the allocator refused room for the record (CPython's `MemoryError`, whose
    /// text is empty).
    NoMemory,
    /// `pack_into` got a different number of values than the format takes.
    PackIntoCount { expected: usize, got: usize },
    /// `unpack` got a buffer whose length is not the record's size.
    UnpackSize { size: usize },
    /// `pack_into`: the record does not fit between `offset` and the buffer's end.
    PackIntoTooSmall {
        size: usize,
        offset: usize,
        len: usize,
    },
    /// `unpack_from`: the record does not fit between `offset` and the buffer's end.
    UnpackFromTooSmall {
        size: usize,
        offset: usize,
        len: usize,
    },
    /// `pack_into` with a negative offset too close to the end for the record.
    NoSpace { size: usize, offset: isize },
    /// `unpack_from` with a negative offset too close to the end for the record.
    NotEnoughData { size: usize, offset: isize },
    /// A negative offset that reaches before the buffer's start.
    OffsetOutOfRange { offset: isize, len: usize },
    /// `iter_unpack` with a format of size 0.
    IterZeroSize,
    /// `iter_unpack` over a buffer that is not a whole number of records.
    IterNotMultiple { size: usize },
    /// An integer code was given a float or bytes.
    NotAnInteger,
    /// A float code was given bytes.
    NotAFloat,
    /// An integer code was given a value outside `min..=max`.
    IntRange { code: char, min: i128, max: i128 },
    /// A value that does not fit: `P` out of its range, or an `Int` (or `Bool`) that
    /// overflows `e` or `f` (where a `Float` would be [`StructError::FloatTooLarge`]).
    IntTooLarge,
    /// `c` was given something other than exactly one byte.
    CharLength,
    /// `s` or `p` was given something other than bytes.
    NotBytes { code: char },
    /// A float too large for `e`, or for `f` under a standard byte order.
    FloatTooLarge { code: char },
}

impl StructError {
    /// The exception CPython raises: `"struct.error"`, `"OverflowError"`,
    /// `"UnicodeEncodeError"` or `"MemoryError"`.
    pub fn python_type(&self) -> &'static str {
        match self {
            StructError::NotAscii { .. } => "UnicodeEncodeError",
            StructError::FloatTooLarge { .. } | StructError::BytesTooLarge => "OverflowError",
            StructError::NoMemory => "MemoryError",
            _ => "struct.error",
        }
    }

    /// The error for a format holding characters outside ASCII, if it does.
    pub fn not_ascii(format: &str) -> Option<StructError> {
        let mut chars = format.chars().enumerate().skip_while(|(_, c)| c.is_ascii());
        let (start, first) = chars.next()?;
        let run = chars.take_while(|(_, c)| !c.is_ascii()).count();
        Some(StructError::NotAscii {
            start,
            end: start + 1 + run,
            first,
        })
    }
}

impl fmt::Display for StructError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StructError::*;
        match self {
            NotAscii { start, end, first } => {
                if end - start == 1 {
                    let c = u32::from(*first);
                    let repr = match c {
                        0..=0xff => format!("\\x{c:02x}"),
                        0x100..=0xffff => format!("\\u{c:04x}"),
                        _ => format!("\\U{c:08x}"),
                    };
                    write!(
                        f,
                        "'ascii' codec can't encode character '{repr}' in position {start}: \
                         ordinal not in range(128)"
                    )
                } else {
                    write!(
                        f,
                        "'ascii' codec can't encode characters in position {start}-{}: \
                         ordinal not in range(128)",
                        end - 1
                    )
                }
            }
            EmbeddedNull => write!(f, "embedded null character"),
            BadChar => write!(f, "bad char in struct format"),
            CountWithoutCode => write!(f, "repeat count given without format specifier"),
            SizeTooLong => write!(f, "total struct size too long"),
            PackCount { expected, got } => {
                write!(f, "pack expected {expected} items for packing (got {got})")
            }
            BytesTooLarge => write!(f, "byte string is too large"),
            NoMemory => Ok(()),
            PackIntoCount { expected, got } => {
                write!(
                    f,
                    "pack_into expected {expected} items for packing (got {got})"
                )
            }
            UnpackSize { size } => write!(f, "unpack requires a buffer of {size} bytes"),
            PackIntoTooSmall { size, offset, len } => write!(
                f,
                "pack_into requires a buffer of at least {} bytes for packing {size} bytes \
                 at offset {offset} (actual buffer size is {len})",
                size + offset
            ),
            UnpackFromTooSmall { size, offset, len } => write!(
                f,
                "unpack_from requires a buffer of at least {} bytes for unpacking {size} \
                 bytes at offset {offset} (actual buffer size is {len})",
                size + offset
            ),
            NoSpace { size, offset } => {
                write!(f, "no space to pack {size} bytes at offset {offset}")
            }
            NotEnoughData { size, offset } => {
                write!(
                    f,
                    "not enough data to unpack {size} bytes at offset {offset}"
                )
            }
            OffsetOutOfRange { offset, len } => {
                write!(f, "offset {offset} out of range for {len}-byte buffer")
            }
            IterZeroSize => write!(f, "cannot iteratively unpack with a struct of length 0"),
            IterNotMultiple { size } => write!(
                f,
                "iterative unpacking requires a buffer of a multiple of {size} bytes"
            ),
            NotAnInteger => write!(f, "required argument is not an integer"),
            NotAFloat => write!(f, "required argument is not a float"),
            IntRange { code, min, max } => {
                write!(f, "'{code}' format requires {min} <= number <= {max}")
            }
            IntTooLarge => write!(f, "int too large to convert"),
            CharLength => write!(f, "char format requires a bytes object of length 1"),
            NotBytes { code } => write!(f, "argument for '{code}' must be a bytes object"),
            FloatTooLarge { code } => write!(f, "float too large to pack with {code} format"),
        }
    }
}

impl std::error::Error for StructError {}

// ---------------------------------------------------------------------------------
// Step 1: sizes. Step 2: parsing.
// ---------------------------------------------------------------------------------

/// The size in bytes of one value of `code` under `order`, and the alignment its offset
/// is rounded up to (1 under every order but `Native`). `None` if `code` is no code
/// under that order (`n N P` exist under `Native` only).
///
/// Standard sizes: `x c b B ? s p` 1, `h H e` 2, `i I l L f` 4, `q Q d` 8. Native
/// sizes and alignments are those of C on this machine (`std::ffi::c_long`, ...).
pub fn code_size(order: ByteOrder, code: char) -> Option<(usize, usize)> {
    todo!("the size and alignment of {code:?} under {order:?}")
}

/// Parses a format string, as CPython does, in one pass from left to right: the first
/// error met is the one reported. Before parsing: a character outside ASCII is
/// [`StructError::not_ascii`], then a NUL anywhere is [`StructError::EmbeddedNull`].
pub fn parse_format(format: &str) -> Result<Layout, StructError> {
    todo!("parse {format:?} into a Layout")
}

/// `struct.calcsize(format)`: the size of the record `format` describes.
pub fn calcsize(format: &str) -> Result<usize, StructError> {
    Ok(parse_format(format)?.size)
}

// ---------------------------------------------------------------------------------
// Step 3: half floats, a port of CPython's PyFloat_Pack2 and PyFloat_Unpack2.
// ---------------------------------------------------------------------------------

/// The IEEE-754 half-precision bits nearest to `x` (ties to even), as CPython rounds
/// them. Finite values that round to 65520 or beyond are too large
/// ([`StructError::FloatTooLarge`] with code `'e'`); a NaN packs as `0x7e00` with its sign.
pub fn pack_half(x: f64) -> Result<u16, StructError> {
    todo!("the half-precision bits of {x:?}")
}

/// The value of the half-precision bits `bits` (exact: every half is a double).
pub fn unpack_half(bits: u16) -> f64 {
    todo!("the value of the half {bits:#06x}")
}

// ---------------------------------------------------------------------------------
// Step 4 on: the compiled Struct.
// ---------------------------------------------------------------------------------

/// A compiled format, like Python's `struct.Struct`: parse once, pack and unpack often.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    format: String,
    layout: Layout,
}

impl Struct {
    /// Compiles `format`, or says what is wrong with it.
    pub fn new(format: &str) -> Result<Struct, StructError> {
        Ok(Struct {
            format: format.to_string(),
            layout: parse_format(format)?,
        })
    }

    /// The size of a packed record (`Struct.size`).
    pub fn size(&self) -> usize {
        self.layout.size
    }

    /// The format it was compiled from (`Struct.format`).
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The parsed format.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Packs `values` into a new record of `self.size()` bytes: one value per item,
    /// `count` values for most codes, one bytes value for `s` and `p`, none for `x`.
    ///
    /// A format's size can be anything up to `isize::MAX` bytes (`'9223372036854775807x'`
    /// is a valid format), so reserve nothing before these checks, in CPython's order:
    /// the number of values ([`StructError::PackCount`]), then a record larger than
    /// [`MAX_BYTES`] ([`StructError::BytesTooLarge`]), then the room for the record,
    /// asked for with `Vec::try_reserve_exact` ([`StructError::NoMemory`] when refused:
    /// `Vec::with_capacity` and `resize` abort the whole process instead), and only
    /// then the values one by one.
    pub fn pack(&self, values: &[Value]) -> Result<Vec<u8>, StructError> {
        todo!("pack {values:?} as {self:?}")
    }

    /// Appends the record `pack` would return to `out`, as `Read::read_to_end` appends
    /// to its buffer: a buffer that is cleared and reused packs with no allocation. On
    /// an error `out` is left as it was (its length, and the bytes it held). The same
    /// checks as `pack`, in the same order, before `out` grows.
    pub fn pack_to(&self, values: &[Value], out: &mut Vec<u8>) -> Result<(), StructError> {
        todo!("append {values:?} packed as {self:?} to {out:?}")
    }

    /// Packs `values` into `buffer` at `offset` (negative: from the end). On an error
    /// the buffer is left as it was.
    pub fn pack_into(
        &self,
        buffer: &mut [u8],
        offset: isize,
        values: &[Value],
    ) -> Result<(), StructError> {
        todo!("pack {values:?} as {self:?} into {buffer:?} at {offset}")
    }

    /// Unpacks a record of exactly `self.size()` bytes. Check the length before you
    /// reserve room for the values: `'288230376151711744b'` takes 2⁵⁸ of them, which no
    /// `Vec` can hold, and its record is never there to unpack.
    pub fn unpack(&self, data: &[u8]) -> Result<Vec<Value>, StructError> {
        todo!("unpack {data:?} as {self:?}")
    }

    /// Unpacks a record of exactly `self.size()` bytes into `out`, replacing what it
    /// held: afterwards `out` holds what `unpack` returns, whatever it held before.
    /// Reuse its allocation (and, to go further, that of each bytes value in it). On an
    /// error `out` is left as it was.
    pub fn unpack_to(&self, data: &[u8], out: &mut Vec<Value>) -> Result<(), StructError> {
        todo!("unpack {data:?} as {self:?} into {out:?}")
    }

    /// Unpacks the record that starts at `offset` of `buffer` (negative: from the end);
    /// bytes after it are ignored.
    pub fn unpack_from(&self, buffer: &[u8], offset: isize) -> Result<Vec<Value>, StructError> {
        todo!("unpack {buffer:?} at {offset} as {self:?}")
    }

    /// An iterator over the records `buffer` holds back to back.
    pub fn iter_unpack<'a>(&self, buffer: &'a [u8]) -> Result<IterUnpack<'a>, StructError> {
        todo!("iterate over {buffer:?} as {self:?}")
    }
}

/// The records of a buffer, one `Vec<Value>` each, from [`Struct::iter_unpack`].
#[derive(Debug, Clone)]
pub struct IterUnpack<'a> {
    /// The compiled format (a clone of the `Struct` that made the iterator).
    st: Struct,
    /// The records not yet unpacked: a whole number of them.
    rest: &'a [u8],
}

impl Iterator for IterUnpack<'_> {
    type Item = Vec<Value>;

    fn next(&mut self) -> Option<Vec<Value>> {
        todo!("the next record of {self:?}")
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.rest.len() / self.st.size().max(1);
        (n, Some(n))
    }
}

// ---------------------------------------------------------------------------------
// The module-level functions: each compiles the format and calls the Struct.
// ---------------------------------------------------------------------------------

/// `struct.pack(format, *values)`.
pub fn pack(format: &str, values: &[Value]) -> Result<Vec<u8>, StructError> {
    Struct::new(format)?.pack(values)
}

/// `struct.unpack(format, data)`.
pub fn unpack(format: &str, data: &[u8]) -> Result<Vec<Value>, StructError> {
    Struct::new(format)?.unpack(data)
}

/// `struct.pack_into(format, buffer, offset, *values)`.
pub fn pack_into(
    format: &str,
    buffer: &mut [u8],
    offset: isize,
    values: &[Value],
) -> Result<(), StructError> {
    Struct::new(format)?.pack_into(buffer, offset, values)
}

/// `struct.unpack_from(format, buffer, offset)`.
pub fn unpack_from(format: &str, buffer: &[u8], offset: isize) -> Result<Vec<Value>, StructError> {
    Struct::new(format)?.unpack_from(buffer, offset)
}

/// `struct.iter_unpack(format, buffer)`.
pub fn iter_unpack<'a>(format: &str, buffer: &'a [u8]) -> Result<IterUnpack<'a>, StructError> {
    Struct::new(format)?.iter_unpack(buffer)
}
