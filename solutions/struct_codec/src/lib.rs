//! Reference solution of the struct_codec kata (struct 模块): Python's `struct` module,
//! faithful to CPython 3.13 down to its error messages.
//!
//! The reading order follows the learner's steps: the value and error types (given in
//! the stub too), sizes, parsing a format into a [`Layout`], half floats, then packing
//! and unpacking through a compiled [`Struct`].

use std::ffi::{c_int, c_long, c_longlong, c_short};
use std::fmt;
use std::mem::{align_of, size_of};

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
pub fn code_size(order: ByteOrder, code: char) -> Option<(usize, usize)> {
    if order == ByteOrder::Native {
        // C's sizes and alignments on this machine: what CPython's native table holds.
        let native = |size: usize, align: usize| Some((size, align));
        return match code {
            'x' | 'c' | 'b' | 'B' | '?' | 's' | 'p' => native(1, 1),
            'h' | 'H' | 'e' => native(size_of::<c_short>(), align_of::<c_short>()),
            'i' | 'I' => native(size_of::<c_int>(), align_of::<c_int>()),
            'l' | 'L' => native(size_of::<c_long>(), align_of::<c_long>()),
            'q' | 'Q' => native(size_of::<c_longlong>(), align_of::<c_longlong>()),
            'n' | 'N' => native(size_of::<usize>(), align_of::<usize>()),
            'f' => native(size_of::<f32>(), align_of::<f32>()),
            'd' => native(size_of::<f64>(), align_of::<f64>()),
            'P' => native(size_of::<*const u8>(), align_of::<*const u8>()),
            _ => None,
        };
    }
    let size = match code {
        'x' | 'c' | 'b' | 'B' | '?' | 's' | 'p' => 1,
        'h' | 'H' | 'e' => 2,
        'i' | 'I' | 'l' | 'L' | 'f' => 4,
        'q' | 'Q' | 'd' => 8,
        _ => return None,
    };
    Some((size, 1))
}

/// Python's `isspace` for bytes: space, `\t \n \r`, and also `\x0b` and `\x0c`
/// (`u8::is_ascii_whitespace` leaves out `\x0b`).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Parses a format string, as CPython does, in one pass from left to right: the first
/// error met is the one reported.
pub fn parse_format(format: &str) -> Result<Layout, StructError> {
    if let Some(error) = StructError::not_ascii(format) {
        return Err(error);
    }
    let bytes = format.as_bytes();
    if bytes.contains(&0) {
        return Err(StructError::EmbeddedNull);
    }
    // Only the very first character can choose the byte order.
    let (order, rest) = match bytes.first() {
        Some(b'@') => (ByteOrder::Native, &bytes[1..]),
        Some(b'=') => (ByteOrder::NativeStandard, &bytes[1..]),
        Some(b'<') => (ByteOrder::Little, &bytes[1..]),
        Some(b'>' | b'!') => (ByteOrder::Big, &bytes[1..]),
        _ => (ByteOrder::Native, bytes),
    };
    const MAX: usize = isize::MAX as usize;
    let mut items = Vec::new();
    let mut size: usize = 0;
    let mut i = 0;
    while i < rest.len() {
        let mut c = rest[i];
        i += 1;
        if is_space(c) {
            continue;
        }
        let mut count = 1;
        if c.is_ascii_digit() {
            count = usize::from(c - b'0');
            loop {
                let Some(&d) = rest.get(i) else {
                    return Err(StructError::CountWithoutCode);
                };
                i += 1;
                if !d.is_ascii_digit() {
                    c = d;
                    break;
                }
                let d = usize::from(d - b'0');
                if count > (MAX - d) / 10 {
                    return Err(StructError::SizeTooLong);
                }
                count = count * 10 + d;
            }
        }
        let code = char::from(c);
        let (item_size, align) = code_size(order, code).ok_or(StructError::BadChar)?;
        // Round the offset up to a multiple of the alignment (1 except under '@').
        let padding = (align - size % align) % align;
        if padding > MAX - size {
            return Err(StructError::SizeTooLong);
        }
        size += padding;
        if count > (MAX - size) / item_size {
            return Err(StructError::SizeTooLong);
        }
        items.push(Item {
            code,
            count,
            offset: size,
        });
        size += count * item_size;
    }
    Ok(Layout { order, items, size })
}

/// `struct.calcsize(format)`: the size of the record `format` describes.
pub fn calcsize(format: &str) -> Result<usize, StructError> {
    Ok(parse_format(format)?.size)
}

// ---------------------------------------------------------------------------------
// Step 3: half floats, a port of CPython's PyFloat_Pack2 and PyFloat_Unpack2.
// ---------------------------------------------------------------------------------

/// The IEEE-754 half-precision bits nearest to `x` (ties to even), as CPython rounds
/// them. Finite values that round to 65520 or beyond are too large.
pub fn pack_half(x: f64) -> Result<u16, StructError> {
    let sign = u16::from(x.is_sign_negative()) << 15;
    if x == 0.0 {
        return Ok(sign);
    }
    if x.is_infinite() {
        return Ok(sign | 0x7c00);
    }
    if x.is_nan() {
        // CPython keeps only the sign of a NaN: the quiet NaN with no payload.
        return Ok(sign | 0x7e00);
    }
    // x = f * 2^e with 1 <= f < 2 (what frexp gives, normalised one step further).
    let (mut f, mut e) = frexp(x.abs());
    f *= 2.0;
    e -= 1;
    if e >= 16 {
        return Err(StructError::FloatTooLarge { code: 'e' });
    } else if e < -25 {
        // |x| < 2^-25: below half the smallest subnormal, rounds to zero.
        f = 0.0;
        e = 0;
    } else if e < -14 {
        // A subnormal half: the leading 1 becomes part of the fraction.
        f = ldexp(f, 14 + e);
        e = 0;
    } else {
        e += 15;
        f -= 1.0;
    }
    // The 10 fraction bits, truncated, then rounded half to even by hand. Every step
    // above is exact in f64, so `f - bits` is exactly the part that was cut off.
    f *= 1024.0;
    let mut bits = f as u16;
    let rest = f - f64::from(bits);
    if rest > 0.5 || (rest == 0.5 && bits % 2 == 1) {
        bits += 1;
        if bits == 1024 {
            // The carry ran out of the fraction: the next exponent.
            bits = 0;
            e += 1;
            if e == 31 {
                return Err(StructError::FloatTooLarge { code: 'e' });
            }
        }
    }
    Ok(sign | ((e as u16) << 10) | bits)
}

/// The value of the half-precision bits `bits` (exact: every half is a double).
pub fn unpack_half(bits: u16) -> f64 {
    let negative = bits & 0x8000 != 0;
    let e = i32::from((bits >> 10) & 0x1f);
    let f = bits & 0x3ff;
    let x = if e == 0x1f {
        if f == 0 { f64::INFINITY } else { f64::NAN }
    } else if e == 0 {
        ldexp(f64::from(f) / 1024.0, -14)
    } else {
        ldexp(1.0 + f64::from(f) / 1024.0, e - 15)
    };
    if negative { -x } else { x }
}

/// `x = m * 2^e` with `0.5 <= m < 1`, for finite, non-zero, positive `x`.
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first (exact).
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// `x * 2^e`, exact whenever the result is representable (as here).
fn ldexp(x: f64, e: i32) -> f64 {
    // 2^e itself is a normal double for -1022 <= e <= 1023; split larger shifts.
    let mut x = x;
    let mut e = e;
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e)
}

/// f64 to f32 as C's `(float)x` does on x86-64, NaN payload included: the top 23 bits
/// of the payload are kept and the NaN is made quiet.
fn f64_to_f32(x: f64) -> f32 {
    if x.is_nan() {
        let bits = x.to_bits();
        let sign = ((bits >> 63) as u32) << 31;
        let payload = ((bits >> 29) & 0x7f_ffff) as u32;
        return f32::from_bits(sign | 0x7fc0_0000 | payload);
    }
    x as f32
}

/// f32 to f64 as C does on x86-64: NaN payloads move to the top and become quiet.
fn f32_to_f64(y: f32) -> f64 {
    if y.is_nan() {
        let bits = y.to_bits();
        let sign = u64::from(bits >> 31) << 63;
        let payload = u64::from(bits & 0x7f_ffff) << 29;
        return f64::from_bits(sign | 0x7ff8_0000_0000_0000 | payload);
    }
    f64::from(y)
}

// ---------------------------------------------------------------------------------
// Step 4 on: the compiled Struct.
// ---------------------------------------------------------------------------------

/// A compiled format, like Python's `struct.Struct`: parse once, pack and unpack often.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    format: String,
    layout: Layout,
    // What `new` works out once so that `pack` and `unpack` need not: one step per
    // item, the number of values a record holds, and whether it is little-endian.
    steps: Vec<Step>,
    value_count: usize,
    little: bool,
}

/// What packing or unpacking one value of an item does.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// `x`: nothing (the record starts zeroed).
    Pad,
    /// `c`: one byte.
    Char,
    /// `?`: Python's truthiness in, a bool out.
    Bool,
    /// An integer code with the range it accepts; `signed` says how to read it back.
    Int { min: i128, max: i128, signed: bool },
    /// `P`: any value a C long long or unsigned long long holds, read back unsigned.
    Pointer,
    /// `e`.
    Half,
    /// `f`; `overflow_is_error` is false under `@` only (CPython 3.13 packs infinity).
    Float { overflow_is_error: bool },
    /// `d`.
    Double,
    /// `s`: one bytes value filling the whole field.
    Str,
    /// `p`: a length byte, then the bytes.
    Pascal,
}

/// The size of `P`, a C pointer, on this machine.
const POINTER: usize = size_of::<*const u8>();

/// One item of the layout, ready to pack: its kind, where its bytes are in the record
/// and where its values are in the list of values.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Step {
    kind: Kind,
    code: char,
    /// The item's bytes: `offset..end` of the record, values of `size` bytes each.
    offset: usize,
    end: usize,
    size: usize,
    /// The item's values: `first_value..first_value + values` of the list.
    first_value: usize,
    values: usize,
}

impl Step {
    fn new(order: ByteOrder, item: &Item, first_value: usize) -> Step {
        let (size, _) = code_size(order, item.code).expect("a parsed code has a size");
        let bits = 8 * size as u32;
        let kind = match item.code {
            'x' => Kind::Pad,
            'c' => Kind::Char,
            '?' => Kind::Bool,
            'P' => Kind::Pointer,
            'e' => Kind::Half,
            'f' => Kind::Float {
                overflow_is_error: order != ByteOrder::Native,
            },
            'd' => Kind::Double,
            's' => Kind::Str,
            'p' => Kind::Pascal,
            code if code.is_ascii_uppercase() => Kind::Int {
                min: 0,
                max: (1i128 << bits) - 1,
                signed: false,
            },
            _ => Kind::Int {
                min: -(1i128 << (bits - 1)),
                max: (1i128 << (bits - 1)) - 1,
                signed: true,
            },
        };
        // How many values the item takes: one bytes value for `s` and `p`, none for
        // `x`, `count` for every other code.
        let values = match kind {
            Kind::Str | Kind::Pascal => 1,
            Kind::Pad => 0,
            _ => item.count,
        };
        Step {
            kind,
            code: item.code,
            offset: item.offset,
            end: item.offset + item.count * size,
            size,
            first_value,
            values,
        }
    }
}

impl Struct {
    /// Compiles `format`, or says what is wrong with it.
    pub fn new(format: &str) -> Result<Struct, StructError> {
        let layout = parse_format(format)?;
        let mut value_count = 0;
        let steps: Vec<Step> = layout
            .items
            .iter()
            .map(|item| {
                let step = Step::new(layout.order, item, value_count);
                value_count += step.values;
                step
            })
            .collect();
        Ok(Struct {
            format: format.to_string(),
            value_count,
            little: match layout.order {
                ByteOrder::Little => true,
                ByteOrder::Big => false,
                ByteOrder::Native | ByteOrder::NativeStandard => cfg!(target_endian = "little"),
            },
            steps,
            layout,
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

    /// Packs `values` into a new record of `self.size()` bytes.
    pub fn pack(&self, values: &[Value]) -> Result<Vec<u8>, StructError> {
        // An empty Vec allocates nothing: `pack_to` reserves exactly one record, once
        // it knows the values fit the format (a format's size can be anything up to
        // isize::MAX bytes, so nothing may be reserved before that).
        let mut out = Vec::new();
        self.pack_to(values, &mut out)?;
        Ok(out)
    }

    /// Appends the record `pack` would return to `out`, as `Read::read_to_end` appends
    /// to its buffer. A buffer that is cleared and reused packs with no allocation at
    /// all. On an error `out` is left as it was (its length, and the bytes it held).
    pub fn pack_to(&self, values: &[Value], out: &mut Vec<u8>) -> Result<(), StructError> {
        // CPython's order: the number of values, then the record's allocation (too
        // large for a bytes object, or refused), then the values one by one.
        if values.len() != self.value_count {
            return Err(StructError::PackCount {
                expected: self.value_count,
                got: values.len(),
            });
        }
        if self.layout.size > MAX_BYTES {
            return Err(StructError::BytesTooLarge);
        }
        // `try_reserve_exact` reports a refusal as a value where `resize` would abort
        // the process; it does nothing when `out` already has the room.
        out.try_reserve_exact(self.layout.size)
            .map_err(|_| StructError::NoMemory)?;
        let start = out.len();
        // A zeroed record first: pad bytes and the rest of a short `s` stay zero.
        // (`resize` writes the zeros; unlike `vec![0; n]` it never asks for calloc,
        // which glibc serves outside its fast per-thread cache.)
        out.resize(start + self.layout.size, 0);
        let packed = self.pack_values(&mut out[start..], values);
        if packed.is_err() {
            out.truncate(start);
        }
        packed
    }

    /// Packs `values` into `buffer` at `offset` (negative: from the end). On an error
    /// the buffer is left as it was.
    pub fn pack_into(
        &self,
        buffer: &mut [u8],
        offset: isize,
        values: &[Value],
    ) -> Result<(), StructError> {
        if values.len() != self.value_count {
            return Err(StructError::PackIntoCount {
                expected: self.value_count,
                got: values.len(),
            });
        }
        let size = self.layout.size;
        let len = buffer.len();
        let start = match resolve_offset(offset, size, len) {
            Ok(start) => start,
            Err(Negative::TooClose) => return Err(StructError::NoSpace { size, offset }),
            Err(Negative::BeforeStart) => {
                return Err(StructError::OffsetOutOfRange { offset, len });
            }
        };
        if len.saturating_sub(start) < size || start > len {
            return Err(StructError::PackIntoTooSmall {
                size,
                offset: start,
                len,
            });
        }
        // Pack into a scratch record first so that a bad value changes nothing.
        let mut record = zeroed(size);
        self.pack_values(&mut record, values)?;
        buffer[start..start + size].copy_from_slice(&record);
        Ok(())
    }

    /// Unpacks a record of exactly `self.size()` bytes.
    pub fn unpack(&self, data: &[u8]) -> Result<Vec<Value>, StructError> {
        // The length first: only a whole record justifies a list of `value_count`
        // values (a format of 2**58 'b's takes 2**58 of them, too many to reserve).
        if data.len() != self.layout.size {
            return Err(StructError::UnpackSize {
                size: self.layout.size,
            });
        }
        let mut out = Vec::with_capacity(self.value_count);
        self.unpack_values(data, &mut out);
        Ok(out)
    }

    /// Unpacks a record of exactly `self.size()` bytes into `out`, replacing what it
    /// held: afterwards `out` is what `unpack` returns. A reused `out` keeps its
    /// allocation, and so does each bytes value in it that a bytes value replaces (as
    /// `Vec::clone_from` does): unpacking the same format again allocates nothing. On
    /// an error `out` is left as it was.
    pub fn unpack_to(&self, data: &[u8], out: &mut Vec<Value>) -> Result<(), StructError> {
        if data.len() != self.layout.size {
            return Err(StructError::UnpackSize {
                size: self.layout.size,
            });
        }
        self.unpack_values(data, out);
        Ok(())
    }

    /// Unpacks the record that starts at `offset` of `buffer` (negative: from the end);
    /// bytes after it are ignored.
    pub fn unpack_from(&self, buffer: &[u8], offset: isize) -> Result<Vec<Value>, StructError> {
        let size = self.layout.size;
        let len = buffer.len();
        let start = match resolve_offset(offset, size, len) {
            Ok(start) => start,
            Err(Negative::TooClose) => return Err(StructError::NotEnoughData { size, offset }),
            Err(Negative::BeforeStart) => {
                return Err(StructError::OffsetOutOfRange { offset, len });
            }
        };
        if len.saturating_sub(start) < size || start > len {
            return Err(StructError::UnpackFromTooSmall {
                size,
                offset: start,
                len,
            });
        }
        let mut out = Vec::with_capacity(self.value_count);
        self.unpack_values(&buffer[start..start + size], &mut out);
        Ok(out)
    }

    /// An iterator over the records `buffer` holds back to back.
    pub fn iter_unpack<'a>(&self, buffer: &'a [u8]) -> Result<IterUnpack<'a>, StructError> {
        let size = self.layout.size;
        if size == 0 {
            return Err(StructError::IterZeroSize);
        }
        if !buffer.len().is_multiple_of(size) {
            return Err(StructError::IterNotMultiple { size });
        }
        Ok(IterUnpack {
            st: self.clone(),
            rest: buffer,
        })
    }

    /// Writes every value into `out`, a zeroed record of `self.size()` bytes. The
    /// caller has checked the number of values.
    fn pack_values(&self, out: &mut [u8], values: &[Value]) -> Result<(), StructError> {
        let little = self.little;
        for step in &self.steps {
            // The item's bytes and its values, side by side: the loops below walk two
            // slices of the same length, with no check left inside them.
            let field = &mut out[step.offset..step.end];
            let values = &values[step.first_value..step.first_value + step.values];
            match step.kind {
                Kind::Pad => {}
                Kind::Str | Kind::Pascal => pack_bytes(step.code, field, &values[0])?,
                Kind::Int { min, max, .. } => {
                    let bits = |value: &Value| int_bits(value, step.code, min, max);
                    match step.size {
                        1 => pack_each::<1>(field, values, little, bits)?,
                        2 => pack_each::<2>(field, values, little, bits)?,
                        4 => pack_each::<4>(field, values, little, bits)?,
                        _ => pack_each::<8>(field, values, little, bits)?,
                    }
                }
                Kind::Pointer => pack_each::<POINTER>(field, values, little, pointer_bits)?,
                Kind::Char => pack_each::<1>(field, values, little, char_bits)?,
                Kind::Bool => pack_each::<1>(field, values, little, bool_bits)?,
                Kind::Half => pack_each::<2>(field, values, little, half_bits)?,
                Kind::Float { overflow_is_error } => {
                    let bits = |value: &Value| float_bits(value, overflow_is_error);
                    pack_each::<4>(field, values, little, bits)?;
                }
                Kind::Double => pack_each::<8>(field, values, little, double_bits)?,
            }
        }
        Ok(())
    }

    /// Reads every value out of `data`, a record of exactly `self.size()` bytes, into
    /// `out` in place of what it held.
    fn unpack_values(&self, data: &[u8], out: &mut Vec<Value>) {
        let little = self.little;
        // One slot per value: the values past the record's last are dropped, new
        // slots start as 0, and the values `out` already holds are overwritten in
        // place, so that a bytes value keeps its allocation (`put_bytes`).
        if out.len() != self.value_count {
            out.resize_with(self.value_count, || Value::Int(0));
        }
        for step in &self.steps {
            let field = &data[step.offset..step.end];
            let slots = &mut out[step.first_value..step.first_value + step.values];
            match step.kind {
                Kind::Pad => {}
                Kind::Str => put_bytes(&mut slots[0], field),
                Kind::Pascal => {
                    // The first byte says how long the string is, but never past the
                    // field's end (and a field of 0 bytes holds the empty string).
                    let n = match field.split_first() {
                        Some((&n, text)) => usize::from(n).min(text.len()),
                        None => 0,
                    };
                    put_bytes(&mut slots[0], field.get(1..1 + n).unwrap_or(&[]));
                }
                Kind::Char => {
                    for (slot, byte) in slots.iter_mut().zip(field.chunks_exact(1)) {
                        put_bytes(slot, byte);
                    }
                }
                Kind::Int { signed, .. } => match step.size {
                    1 => unpack_each::<1>(field, slots, little, |b| int_value::<1>(b, signed)),
                    2 => unpack_each::<2>(field, slots, little, |b| int_value::<2>(b, signed)),
                    4 => unpack_each::<4>(field, slots, little, |b| int_value::<4>(b, signed)),
                    _ => unpack_each::<8>(field, slots, little, |b| int_value::<8>(b, signed)),
                },
                Kind::Pointer => {
                    unpack_each::<POINTER>(field, slots, little, |b| Value::Int(b.into()));
                }
                Kind::Bool => unpack_each::<1>(field, slots, little, |b| Value::Bool(b != 0)),
                Kind::Half => unpack_each::<2>(field, slots, little, |b| {
                    Value::Float(unpack_half(b as u16))
                }),
                Kind::Float { .. } => unpack_each::<4>(field, slots, little, |b| {
                    Value::Float(f32_to_f64(f32::from_bits(b as u32)))
                }),
                Kind::Double => {
                    unpack_each::<8>(field, slots, little, |b| Value::Float(f64::from_bits(b)));
                }
            }
        }
    }
}

/// Puts `bytes` into `slot` as a bytes value. A bytes value already there keeps its
/// allocation and only has its bytes replaced (what `Vec::clone_from` does, for the
/// same reason): unpacking into a reused list allocates nothing.
fn put_bytes(slot: &mut Value, bytes: &[u8]) {
    match slot {
        Value::Bytes(old) => {
            old.clear();
            old.extend_from_slice(bytes);
        }
        _ => *slot = Value::Bytes(bytes.to_vec()),
    }
}

/// `n` zero bytes. The same as `vec![0; n]`, which asks the allocator for zeroed
/// memory: glibc's `calloc` skips its fast per-thread cache, so for the small records
/// of this module allocating and then zeroing is faster (bench/throughput.py).
#[allow(clippy::slow_vector_initialization)]
fn zeroed(n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    v.resize(n, 0);
    v
}

/// Why a negative offset was refused.
enum Negative {
    /// It leaves fewer than `size` bytes before the buffer's end.
    TooClose,
    /// It reaches before the buffer's start.
    BeforeStart,
}

/// Turns CPython's offset into an index from the buffer's start: a negative offset
/// counts from the end, and must leave room for the whole record and stay in the
/// buffer (checked in that order, as CPython does). A positive one is only checked by
/// the caller.
fn resolve_offset(offset: isize, size: usize, len: usize) -> Result<usize, Negative> {
    if offset >= 0 {
        return Ok(offset.unsigned_abs());
    }
    let back = offset.unsigned_abs();
    if size > back {
        return Err(Negative::TooClose);
    }
    if back > len {
        return Err(Negative::BeforeStart);
    }
    Ok(len - back)
}

/// The integer a value stands for, as Python's `__index__` gives it.
fn as_int(value: &Value) -> Result<i128, StructError> {
    match value {
        Value::Int(v) => Ok(*v),
        Value::Bool(b) => Ok(i128::from(*b)),
        Value::Float(_) | Value::Bytes(_) => Err(StructError::NotAnInteger),
    }
}

/// The float a value stands for, as Python's `float()` gives it.
fn as_float(value: &Value) -> Result<f64, StructError> {
    match value {
        Value::Int(v) => Ok(*v as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Float(x) => Ok(*x),
        Value::Bytes(_) => Err(StructError::NotAFloat),
    }
}

// Every code but `x s p` packs one value into a fixed number of bytes, 1, 2, 4 or 8:
// the value becomes a number (its bits), and the low `N` bytes of that number are
// written in the byte order. `pack_each` and `unpack_each` do the bytes, the small
// functions after them the bits. With `N` a constant, each value is a single load or
// store, and which code it is was decided once per item, not once per value.

/// Packs each value of a fixed-size item into its field: `bits` gives the number whose
/// low `N` bytes are the value's bytes.
fn pack_each<const N: usize>(
    field: &mut [u8],
    values: &[Value],
    little: bool,
    bits: impl Fn(&Value) -> Result<u64, StructError>,
) -> Result<(), StructError> {
    for (out, value) in field.chunks_exact_mut(N).zip(values) {
        let bits = bits(value)?;
        // The low N bytes: at the start when little-endian, at the end when big.
        if little {
            out.copy_from_slice(&bits.to_le_bytes()[..N]);
        } else {
            out.copy_from_slice(&bits.to_be_bytes()[8 - N..]);
        }
    }
    Ok(())
}

/// Unpacks each `N`-byte value of a fixed-size item into its slot: `value` turns the
/// number those bytes hold (zero-extended) into a value.
fn unpack_each<const N: usize>(
    field: &[u8],
    slots: &mut [Value],
    little: bool,
    value: impl Fn(u64) -> Value,
) {
    for (slot, chunk) in slots.iter_mut().zip(field.chunks_exact(N)) {
        // Put the N bytes where a u64 keeps its low bytes, and read it.
        let mut bytes = [0u8; 8];
        let bits = if little {
            bytes[..N].copy_from_slice(chunk);
            u64::from_le_bytes(bytes)
        } else {
            bytes[8 - N..].copy_from_slice(chunk);
            u64::from_be_bytes(bytes)
        };
        *slot = value(bits);
    }
}

/// The bits of an integer code's value: checked against the code's range, then its
/// two's complement (the low bytes of a negative number are all we need).
fn int_bits(value: &Value, code: char, min: i128, max: i128) -> Result<u64, StructError> {
    let v = as_int(value)?;
    if v < min || v > max {
        return Err(StructError::IntRange { code, min, max });
    }
    Ok(v as u64)
}

/// The value of an `N`-byte integer code's bits: a signed code copies its sign bit
/// into the bits above (shift it to the top, then back: an arithmetic shift copies it).
fn int_value<const N: usize>(bits: u64, signed: bool) -> Value {
    let unused = 64 - 8 * N as u32;
    Value::Int(if signed {
        i128::from(((bits << unused) as i64) >> unused)
    } else {
        i128::from(bits)
    })
}

/// `P`: any integer a C long long or unsigned long long holds.
fn pointer_bits(value: &Value) -> Result<u64, StructError> {
    let v = as_int(value)?;
    if v < i128::from(i64::MIN) || v > i128::from(u64::MAX) {
        return Err(StructError::IntTooLarge);
    }
    Ok(v as u64)
}

/// `c`: a bytes value of exactly one byte.
fn char_bits(value: &Value) -> Result<u64, StructError> {
    match value {
        Value::Bytes(b) if b.len() == 1 => Ok(u64::from(b[0])),
        _ => Err(StructError::CharLength),
    }
}

/// `?`: Python's truthiness.
fn bool_bits(value: &Value) -> Result<u64, StructError> {
    let truth = match value {
        Value::Int(v) => *v != 0,
        Value::Bool(b) => *b,
        Value::Float(x) => *x != 0.0,
        Value::Bytes(b) => !b.is_empty(),
    };
    Ok(u64::from(truth))
}

/// CPython reports an int that overflows a float code as an int error.
fn float_overflow(value: &Value, error: StructError) -> StructError {
    match value {
        Value::Int(_) | Value::Bool(_) => StructError::IntTooLarge,
        _ => error,
    }
}

/// `e`: the half nearest to the value.
fn half_bits(value: &Value) -> Result<u64, StructError> {
    let bits = pack_half(as_float(value)?).map_err(|e| float_overflow(value, e))?;
    Ok(bits.into())
}

/// `f`: the f32 nearest to the value; one too large is infinity under `@` and an
/// error elsewhere (`overflow_is_error`).
fn float_bits(value: &Value, overflow_is_error: bool) -> Result<u64, StructError> {
    let x = as_float(value)?;
    let y = f64_to_f32(x);
    if y.is_infinite() && x.is_finite() && overflow_is_error {
        return Err(float_overflow(
            value,
            StructError::FloatTooLarge { code: 'f' },
        ));
    }
    Ok(y.to_bits().into())
}

/// `d`: the value's own bits.
fn double_bits(value: &Value) -> Result<u64, StructError> {
    Ok(as_float(value)?.to_bits())
}

/// Packs the one bytes value of an `s` or `p` item into its field.
fn pack_bytes(code: char, field: &mut [u8], value: &Value) -> Result<(), StructError> {
    let Value::Bytes(bytes) = value else {
        return Err(StructError::NotBytes { code });
    };
    if code == 's' {
        // Cut to the field, or padded with the zeros already there.
        let n = bytes.len().min(field.len());
        field[..n].copy_from_slice(&bytes[..n]);
    } else if let Some((length, text)) = field.split_first_mut() {
        // 'p': a length byte, then the text cut to what fits. The length byte can
        // only say 255 even when more text fits.
        let n = bytes.len().min(text.len());
        text[..n].copy_from_slice(&bytes[..n]);
        *length = n.min(255) as u8;
    }
    Ok(())
}

/// The records of a buffer, one `Vec<Value>` each, from [`Struct::iter_unpack`].
#[derive(Debug, Clone)]
pub struct IterUnpack<'a> {
    st: Struct,
    rest: &'a [u8],
}

impl Iterator for IterUnpack<'_> {
    type Item = Vec<Value>;

    fn next(&mut self) -> Option<Vec<Value>> {
        if self.rest.is_empty() {
            return None;
        }
        let (record, rest) = self.rest.split_at(self.st.size().min(self.rest.len()));
        self.rest = rest;
        self.st.unpack(record).ok()
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
