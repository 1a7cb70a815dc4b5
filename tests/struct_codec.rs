//! The suite of the struct_codec kata (struct 模块). It grades both
//! `exercises/struct_codec` (your code) and `solutions/struct_codec` (the reference).
//!
//! Test names follow `exercises/struct_codec/README.md`, "What the tests check". The
//! `golden` tests replay what CPython's own `struct` module did on tens of thousands of
//! inputs (the files in `tests/data/struct_codec/`, written by `gen_golden.py` there).

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

use proptest::prelude::*;
use struct_codec::{
    ByteOrder, Item, Layout, MAX_BYTES, Struct, StructError, Value, calcsize, code_size,
    iter_unpack, pack, pack_half, pack_into, parse_format, unpack, unpack_from, unpack_half,
};

/// Bytes as lowercase hex, the way the golden files and Python's `bytes.hex()` write them.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Values the way the golden files write them (`1 True f:3ff0000000000000 b:6869`).
fn show(values: &[Value]) -> String {
    let words: Vec<String> = values
        .iter()
        .map(|v| match v {
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            Value::Float(x) => format!("f:{:016x}", x.to_bits()),
            Value::Bytes(b) => format!("b:{}", hex(b)),
        })
        .collect();
    words.join(" ")
}

/// Two value lists are the same if every value is, floats compared bit for bit (so a
/// NaN equals the same NaN, and 0.0 differs from -0.0).
fn same(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
            _ => x == y,
        })
}

/// An error the way the golden files write it: `!struct.error: bad char in struct format`.
fn show_error(e: &StructError) -> String {
    format!("!{}: {e}", e.python_type())
}

/// Reading the golden files.
mod golden_file {
    use super::*;

    pub fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            out.push(match chars.next() {
                Some('t') => '\t',
                Some('n') => '\n',
                Some('r') => '\r',
                Some('v') => '\x0b',
                Some('f') => '\x0c',
                Some('0') => '\0',
                Some('\\') => '\\',
                other => panic!("bad escape \\{other:?} in a golden file"),
            });
        }
        out
    }

    pub fn bytes(s: &str) -> Vec<u8> {
        assert!(s.len().is_multiple_of(2), "odd hex {s:?} in a golden file");
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex in a golden file"))
            .collect()
    }

    pub fn values(s: &str) -> Vec<Value> {
        s.split_whitespace()
            .map(|w| {
                if let Some(h) = w.strip_prefix("f:") {
                    Value::Float(f64::from_bits(
                        u64::from_str_radix(h, 16).expect("float bits"),
                    ))
                } else if let Some(h) = w.strip_prefix("b:") {
                    Value::Bytes(bytes(h))
                } else if w == "True" || w == "False" {
                    Value::Bool(w == "True")
                } else {
                    Value::Int(w.parse().expect("an integer in a golden file"))
                }
            })
            .collect()
    }

    /// `(VALUES)(VALUES)...`: the records of an iter_unpack.
    pub fn records(s: &str) -> Vec<Vec<Value>> {
        s.split_terminator(')')
            .map(|r| values(r.strip_prefix('(').expect("a record in parentheses")))
            .collect()
    }

    /// Do the golden native vectors (made on a 64-bit little-endian machine whose C long
    /// has 8 bytes) apply to this machine?
    pub fn native_like_generator() -> bool {
        cfg!(target_endian = "little")
            && std::mem::size_of::<std::ffi::c_long>() == 8
            && std::mem::size_of::<usize>() == 8
    }

    /// Runs every line of `data` whose operation is in `ops`, and panics with a report
    /// if any gives another result than CPython: per group, how many failed, and the
    /// first three with the input, the expected and the actual result.
    #[track_caller]
    pub fn check(file: &str, data: &str, ops: &[&str]) {
        let native_ok = native_like_generator();
        let mut group = String::from("(none)");
        let mut report = Vec::new();
        let mut failed_here = 0;
        let mut failed = 0;
        let mut checked = 0;
        let close_group = |group: &str, failed_here: &mut usize, report: &mut Vec<String>| {
            if *failed_here > 3 {
                report.push(say!(
                    "  ... and {} more in [{group}]",
                    "  ……[{group}] 里还有 {} 个",
                    *failed_here - 3
                ));
            }
            *failed_here = 0;
        };
        for line in data.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[') {
                close_group(&group, &mut failed_here, &mut report);
                group = name.trim_end_matches(']').to_string();
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if !ops.contains(&fields[0]) {
                continue;
            }
            let format = unescape(fields[1]);
            let standard = format.starts_with(['<', '>', '!']);
            if !native_ok && !standard {
                continue;
            }
            checked += 1;
            let (input, expected, actual) = run(&fields, &format);
            if expected != actual {
                failed += 1;
                failed_here += 1;
                if failed_here <= 3 {
                    report.push(say!(
                        "  [{group}] {input}\n      expected (CPython): {expected}\n      actual:             {actual}",
                        "  [{group}] {input}\n      期望（CPython）：{expected}\n      实际：           {actual}",
                    ));
                }
            }
        }
        close_group(&group, &mut failed_here, &mut report);
        assert!(checked > 0, "no {ops:?} case in {file} was checked");
        if failed > 0 {
            panic!(
                "{}",
                say!(
                    "{failed} of {checked} cases from tests/data/struct_codec/{file} differ from CPython \
                     (values: integers, True/False, f:<the float's 64 bits in hex>, b:<bytes in hex>):\n{}",
                    "tests/data/struct_codec/{file} 的 {checked} 个用例中有 {failed} 个与 CPython 不同（值的写法：整数、True/False、f:<浮点数 64 位的十六进制>、b:<字节的十六进制>）：\n{}",
                    report.join("\n")
                )
            );
        }
    }

    /// Runs one line: what it did (for the report), CPython's result, ours.
    fn run(fields: &[&str], format: &str) -> (String, String, String) {
        let shown = format!("{format:?}");
        let result = |r: Result<String, StructError>| r.unwrap_or_else(|e| show_error(&e));
        match fields[0] {
            "calcsize" => (
                format!("calcsize({shown})"),
                fields[2].to_string(),
                result(calcsize(format).map(|n| n.to_string())),
            ),
            "pack" => {
                let values = values(fields[2]);
                (
                    format!("pack({shown}, [{}])", fields[2]),
                    fields[3].to_string(),
                    result(pack(format, &values).map(|b| hex(&b))),
                )
            }
            "unpack" => {
                let data = bytes(fields[2]);
                let actual = result(unpack(format, &data).map(|v| show(&v)));
                (
                    format!("unpack({shown}, {})", fields[2]),
                    expected_values(fields[3], &actual),
                    actual,
                )
            }
            "pack_into" => {
                let mut buffer = bytes(fields[2]);
                let offset: isize = fields[3].parse().expect("an offset");
                let values = values(fields[4]);
                let actual = match pack_into(format, &mut buffer, offset, &values) {
                    Ok(()) => hex(&buffer),
                    Err(e) if buffer != bytes(fields[2]) => {
                        say!(
                            "{} (and the buffer changed to {})",
                            "{}（而且缓冲区被改成了 {}）",
                            show_error(&e),
                            hex(&buffer)
                        )
                    }
                    Err(e) => show_error(&e),
                };
                (
                    format!(
                        "pack_into({shown}, buffer {}, offset {offset}, [{}])",
                        fields[2], fields[4]
                    ),
                    fields[5].to_string(),
                    actual,
                )
            }
            "unpack_from" => {
                let buffer = bytes(fields[2]);
                let offset: isize = fields[3].parse().expect("an offset");
                let actual = result(unpack_from(format, &buffer, offset).map(|v| show(&v)));
                (
                    format!("unpack_from({shown}, {}, offset {offset})", fields[2]),
                    expected_values(fields[4], &actual),
                    actual,
                )
            }
            "iter_unpack" => {
                let buffer = bytes(fields[2]);
                let actual = result(iter_unpack(format, &buffer).map(|records| {
                    records
                        .map(|r| format!("({})", show(&r)))
                        .collect::<String>()
                }));
                let expected = if fields[3].starts_with('!') {
                    fields[3].to_string()
                } else {
                    // Compare record by record, floats bit for bit.
                    let expected = records(fields[3]);
                    let ours = iter_unpack(format, &buffer).map(|r| r.collect::<Vec<_>>());
                    match ours {
                        Ok(ours)
                            if ours.len() == expected.len()
                                && ours.iter().zip(&expected).all(|(a, b)| same(a, b)) =>
                        {
                            actual.clone()
                        }
                        _ => fields[3].to_string(),
                    }
                };
                (
                    format!("iter_unpack({shown}, {})", fields[2]),
                    expected,
                    actual,
                )
            }
            op => panic!("unknown operation {op:?} in a golden file"),
        }
    }

    /// CPython's values, written as ours are when they are the same values (so that the
    /// report compares like with like).
    fn expected_values(field: &str, actual: &str) -> String {
        if field.starts_with('!') {
            return field.to_string();
        }
        let expected = values(field);
        if !actual.starts_with('!') && same(&expected, &values(actual)) {
            actual.to_string()
        } else {
            show(&expected)
        }
    }
}

const FORMATS: &str = include_str!("data/struct_codec/formats.txt");
const INTEGERS: &str = include_str!("data/struct_codec/integers.txt");
const FLOATS: &str = include_str!("data/struct_codec/floats.txt");
const HALF: &str = include_str!("data/struct_codec/half.txt");
const BYTES: &str = include_str!("data/struct_codec/bytes.txt");
const RECORDS: &str = include_str!("data/struct_codec/records.txt");
const OFFSETS: &str = include_str!("data/struct_codec/offsets.txt");
const ITER: &str = include_str!("data/struct_codec/iter.txt");
const ERRORS: &str = include_str!("data/struct_codec/errors.txt");

/// Step 1: `code_size`, the sizes and alignments of every code.
mod sizes {
    use super::*;
    use rstest::rstest;
    use std::ffi::{c_int, c_long, c_longlong, c_short};
    use std::mem::{align_of, size_of};

    #[rstest]
    #[case('x', 1)]
    #[case('c', 1)]
    #[case('b', 1)]
    #[case('B', 1)]
    #[case('?', 1)]
    #[case('h', 2)]
    #[case('H', 2)]
    #[case('i', 4)]
    #[case('I', 4)]
    #[case('l', 4)]
    #[case('L', 4)]
    #[case('q', 8)]
    #[case('Q', 8)]
    #[case('e', 2)]
    #[case('f', 4)]
    #[case('d', 8)]
    #[case('s', 1)]
    #[case('p', 1)]
    fn standard_sizes(#[case] code: char, #[case] size: usize) {
        for order in [ByteOrder::NativeStandard, ByteOrder::Little, ByteOrder::Big] {
            assert_eq!(
                code_size(order, code),
                Some((size, 1)),
                "{}",
                say!(
                    "code_size({order:?}, {code:?}): a standard size of {size} bytes, and no \
                     alignment (1) under every order but Native",
                    "code_size({order:?}, {code:?})：标准大小为 {size} 字节，除 Native 以外的字节序下都不对齐（对齐为 1）"
                )
            );
        }
    }

    #[test]
    fn native_sizes_are_this_machines_c_sizes() {
        let c = |size: usize, align: usize| Some((size, align));
        let table = [
            ('x', c(1, 1)),
            ('c', c(1, 1)),
            ('b', c(1, 1)),
            ('B', c(1, 1)),
            ('?', c(1, 1)),
            ('s', c(1, 1)),
            ('p', c(1, 1)),
            ('h', c(size_of::<c_short>(), align_of::<c_short>())),
            ('H', c(size_of::<c_short>(), align_of::<c_short>())),
            ('e', c(size_of::<c_short>(), align_of::<c_short>())),
            ('i', c(size_of::<c_int>(), align_of::<c_int>())),
            ('I', c(size_of::<c_int>(), align_of::<c_int>())),
            ('l', c(size_of::<c_long>(), align_of::<c_long>())),
            ('L', c(size_of::<c_long>(), align_of::<c_long>())),
            ('q', c(size_of::<c_longlong>(), align_of::<c_longlong>())),
            ('Q', c(size_of::<c_longlong>(), align_of::<c_longlong>())),
            ('n', c(size_of::<isize>(), align_of::<isize>())),
            ('N', c(size_of::<usize>(), align_of::<usize>())),
            ('f', c(4, align_of::<f32>())),
            ('d', c(8, align_of::<f64>())),
            ('P', c(size_of::<*const u8>(), align_of::<*const u8>())),
        ];
        for (code, expected) in table {
            assert_eq!(
                code_size(ByteOrder::Native, code),
                expected,
                "{}",
                say!(
                    "code_size(Native, {code:?}): (size, alignment) of the C type on this machine",
                    "code_size(Native, {code:?})：本机上对应 C 类型的（大小, 对齐）"
                )
            );
        }
    }

    #[test]
    fn native_only_and_unknown_codes() {
        for code in ['n', 'N', 'P'] {
            for order in [ByteOrder::NativeStandard, ByteOrder::Little, ByteOrder::Big] {
                assert_eq!(
                    code_size(order, code),
                    None,
                    "{}",
                    say!(
                        "{code:?} exists under Native ('@') only, but code_size({order:?}, {code:?}) gave a size",
                        "{code:?} 只在 Native（'@'）下存在，但 code_size({order:?}, {code:?}) 给出了大小"
                    )
                );
            }
        }
        // u, w, g and O are memoryview's, not struct's; F and D are Python 3.14's.
        for code in [
            'u', 'w', 'g', 'O', 'F', 'D', 'z', ' ', '0', '@', '<', '\0', 'é',
        ] {
            for order in [ByteOrder::Native, ByteOrder::Little] {
                assert_eq!(
                    code_size(order, code),
                    None,
                    "{}",
                    say!(
                        "{code:?} is no struct code, but code_size({order:?}, {code:?}) gave a size",
                        "{code:?} 不是 struct 的格式码，但 code_size({order:?}, {code:?}) 给出了大小"
                    )
                );
            }
        }
    }
}

/// Step 2: `parse_format` (and `calcsize`, which only reads its size).
mod parsing {
    use super::*;
    use rstest::rstest;

    fn item(code: char, count: usize, offset: usize) -> Item {
        Item {
            code,
            count,
            offset,
        }
    }

    #[rstest]
    #[case("", ByteOrder::Native, vec![], 0)]
    #[case("i", ByteOrder::Native, vec![item('i', 1, 0)], 4)]
    #[case("<4h2s", ByteOrder::Little, vec![item('h', 4, 0), item('s', 2, 8)], 10)]
    #[case("!q", ByteOrder::Big, vec![item('q', 1, 0)], 8)]
    #[case(">0sx", ByteOrder::Big, vec![item('s', 0, 0), item('x', 1, 0)], 1)]
    #[case("=ci", ByteOrder::NativeStandard, vec![item('c', 1, 0), item('i', 1, 1)], 5)]
    #[case("@ci", ByteOrder::Native, vec![item('c', 1, 0), item('i', 1, 4)], 8)]
    #[case("ic", ByteOrder::Native, vec![item('i', 1, 0), item('c', 1, 4)], 5)]
    #[case("@ce", ByteOrder::Native, vec![item('c', 1, 0), item('e', 1, 2)], 4)]
    #[case("< i\t2h ", ByteOrder::Little, vec![item('i', 1, 0), item('h', 2, 4)], 8)]
    #[case("i32sf", ByteOrder::Native, vec![item('i', 1, 0), item('s', 32, 4), item('f', 1, 36)], 40)]
    #[case("<i32sf", ByteOrder::Little, vec![item('i', 1, 0), item('s', 32, 4), item('f', 1, 36)], 40)]
    #[case("10x255p", ByteOrder::Native, vec![item('x', 10, 0), item('p', 255, 10)], 265)]
    #[case("007c", ByteOrder::Native, vec![item('c', 7, 0)], 7)]
    fn examples(
        #[case] format: &str,
        #[case] order: ByteOrder,
        #[case] items: Vec<Item>,
        #[case] size: usize,
    ) {
        assert_eq!(
            parse_format(format),
            Ok(Layout { order, items, size }),
            "{}",
            say!(
                "parse_format({format:?}): every item as written (whitespace left out), with its \
                 count and its offset after alignment",
                "parse_format({format:?})：每一项按写的顺序（去掉空白），带上它的个数和对齐后的偏移"
            )
        );
    }

    #[test]
    fn native_alignment() {
        // On every common machine a C long long and a double align to 8 (4 on 32-bit x86).
        let q = std::mem::align_of::<std::ffi::c_longlong>();
        let l = std::mem::size_of::<std::ffi::c_long>();
        let layout = parse_format("@llh0l").expect(&say!("a valid format", "这是合法的格式"));
        assert_eq!(
            layout.items[3],
            item('l', 0, 2 * l + 2 + (l - 2 % l) % l),
            "{}",
            say!(
                "a count of 0 still aligns: '@llh0l' puts its last item at the next multiple of {l}",
                "个数为 0 也要对齐：'@llh0l' 把最后一项放在 {l} 的下一个整数倍处"
            )
        );
        assert_eq!(
            calcsize("@qh"),
            Ok(8 + 2),
            "{}",
            say!(
                "no padding after the last item: '@qh'",
                "最后一项之后不填充：'@qh'"
            )
        );
        assert_eq!(
            calcsize("@cq"),
            Ok(q + 8),
            "{}",
            say!(
                "'@cq' pads the c up to q's alignment",
                "'@cq' 在 c 之后填充到 q 的对齐"
            )
        );
        assert_eq!(
            calcsize("<cq"),
            Ok(9),
            "{}",
            say!("'<' never pads", "'<' 从不填充")
        );
    }

    #[rstest]
    #[case("c1", StructError::CountWithoutCode)]
    #[case("3", StructError::CountWithoutCode)]
    #[case("4 h", StructError::BadChar)]
    #[case(" <i", StructError::BadChar)]
    #[case("i<", StructError::BadChar)]
    #[case("<n", StructError::BadChar)]
    #[case("!P", StructError::BadChar)]
    #[case("u", StructError::BadChar)]
    #[case("w", StructError::BadChar)]
    #[case("g", StructError::BadChar)]
    #[case("O", StructError::BadChar)]
    #[case("i\0", StructError::EmbeddedNull)]
    #[case("z\0", StructError::EmbeddedNull)]
    #[case("9223372036854775808c", StructError::SizeTooLong)]
    #[case("9223372036854775807q", StructError::SizeTooLong)]
    #[case("9223372036854775807qz", StructError::SizeTooLong)]
    #[case("z9223372036854775807q", StructError::BadChar)]
    // A bad char is reported where it stands, even when a count ends the format after it.
    #[case("z1", StructError::BadChar)]
    #[case("iz1", StructError::BadChar)]
    #[case("u2", StructError::BadChar)]
    #[case("4 h2", StructError::BadChar)]
    #[case("<z 1", StructError::BadChar)]
    #[case("z99999999999999999999", StructError::BadChar)]
    #[case("é", StructError::NotAscii { start: 0, end: 1, first: 'é' })]
    #[case("i中文\0", StructError::NotAscii { start: 1, end: 3, first: '中' })]
    fn errors(#[case] format: &str, #[case] error: StructError) {
        assert_eq!(
            parse_format(format),
            Err(error.clone()),
            "{}",
            say!(
                "parse_format({format:?}) must fail with {error}",
                "parse_format({format:?}) 必须以 {error} 失败"
            )
        );
    }
}

/// The golden vectors, CPython's own results, file by file.
mod golden {
    use super::*;

    #[test]
    fn formats() {
        golden_file::check("formats.txt", FORMATS, &["calcsize"]);
    }

    #[test]
    fn half_pack() {
        golden_file::check("half.txt", HALF, &["pack"]);
    }

    #[test]
    fn half_unpack() {
        golden_file::check("half.txt", HALF, &["unpack"]);
    }

    #[test]
    fn integers_pack() {
        golden_file::check("integers.txt", INTEGERS, &["pack"]);
    }

    #[test]
    fn integers_unpack() {
        golden_file::check("integers.txt", INTEGERS, &["unpack"]);
    }

    #[test]
    fn floats_pack() {
        golden_file::check("floats.txt", FLOATS, &["pack"]);
    }

    #[test]
    fn floats_unpack() {
        golden_file::check("floats.txt", FLOATS, &["unpack"]);
    }

    #[test]
    fn bytes_and_bools_pack() {
        golden_file::check("bytes.txt", BYTES, &["pack"]);
    }

    #[test]
    fn bytes_and_bools_unpack() {
        golden_file::check("bytes.txt", BYTES, &["unpack"]);
    }

    #[test]
    fn records_pack() {
        golden_file::check("records.txt", RECORDS, &["pack"]);
    }

    #[test]
    fn records_unpack() {
        golden_file::check("records.txt", RECORDS, &["unpack"]);
    }

    #[test]
    fn pack_and_unpack_errors() {
        golden_file::check("errors.txt", ERRORS, &["pack", "unpack"]);
    }

    #[test]
    fn pack_into() {
        golden_file::check("offsets.txt", OFFSETS, &["pack_into"]);
    }

    #[test]
    fn unpack_from() {
        golden_file::check("offsets.txt", OFFSETS, &["unpack_from"]);
    }

    #[test]
    fn iter_unpack() {
        golden_file::check("iter.txt", ITER, &["iter_unpack"]);
    }
}

/// Step 3: `pack_half` and `unpack_half`, IEEE-754 half precision by hand.
mod half {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0.0, 0x0000)]
    #[case(-0.0, 0x8000)]
    #[case(1.0, 0x3c00)]
    #[case(-2.0, 0xc000)]
    #[case(65504.0, 0x7bff)]
    #[case(65519.99, 0x7bff)]
    #[case(f64::INFINITY, 0x7c00)]
    #[case(f64::NEG_INFINITY, 0xfc00)]
    #[case(f64::NAN, 0x7e00)]
    #[case(-f64::NAN, 0xfe00)]
    #[case(5.960464477539063e-8, 0x0001)] // 2^-24, the smallest subnormal
    #[case(2.9802322387695312e-8, 0x0000)] // 2^-25: a tie between 0 and 2^-24, to even
    #[case(f64::from_bits(0x3e60_0000_0000_0001), 0x0001)] // just above 2^-25
    #[case(8.940696716308594e-8, 0x0002)] // 3 * 2^-25: a tie between 1 and 2, to even
    #[case(6.103515625e-5, 0x0400)] // 2^-14, the smallest normal
    #[case(2049.0, 0x6800)] // a tie between 2048 and 2050, to even (2048)
    #[case(2051.0, 0x6802)] // a tie between 2050 and 2052, to even (2052)
    #[case(0.1, 0x2e66)]
    #[case(1e-300, 0x0000)]
    fn examples(#[case] x: f64, #[case] bits: u16) {
        assert_eq!(
            pack_half(x),
            Ok(bits),
            "{}",
            say!(
                "pack_half({x:e}) must give {bits:#06x} (round half to even)",
                "pack_half({x:e}) 必须得到 {bits:#06x}（四舍六入五成双）"
            )
        );
    }

    #[rstest]
    #[case(65520.0)]
    #[case(-65520.0)]
    #[case(1e300)]
    #[case(f64::MAX)]
    fn too_large(#[case] x: f64) {
        assert_eq!(
            pack_half(x),
            Err(StructError::FloatTooLarge { code: 'e' }),
            "{}",
            say!(
                "{x:e} rounds to 65520 or beyond, too large for a half",
                "{x:e} 舍入后是 65520 或更大，半精度放不下"
            )
        );
    }

    #[test]
    fn every_half_round_trips() {
        for bits in 0..=u16::MAX {
            let x = unpack_half(bits);
            let is_nan = bits & 0x7c00 == 0x7c00 && bits & 0x3ff != 0;
            if is_nan {
                assert!(
                    x.is_nan(),
                    "{}",
                    say!(
                        "unpack_half({bits:#06x}) must be a NaN, got {x}",
                        "unpack_half({bits:#06x}) 必须是 NaN，却得到 {x}"
                    )
                );
                assert_eq!(
                    x.is_sign_negative(),
                    bits & 0x8000 != 0,
                    "{}",
                    say!(
                        "unpack_half({bits:#06x}) must keep the NaN's sign",
                        "unpack_half({bits:#06x}) 必须保留 NaN 的符号位"
                    )
                );
            } else {
                assert_eq!(
                    pack_half(x),
                    Ok(bits),
                    "{}",
                    say!(
                        "pack_half(unpack_half({bits:#06x})) = pack_half({x:e}) must give the bits back",
                        "pack_half(unpack_half({bits:#06x})) = pack_half({x:e}) 必须还原出原来的位"
                    )
                );
            }
        }
    }

    #[test]
    fn every_tie_rounds_to_even() {
        // Between every two neighbouring finite halves: the midpoint goes to the one
        // whose last bit is 0, and the doubles just either side of it go to the nearer.
        for bits in 0..0x7bffu16 {
            let (low, high) = (unpack_half(bits), unpack_half(bits + 1));
            let mid = (low + high) / 2.0; // exact: halves have few bits
            let even = if bits % 2 == 0 { bits } else { bits + 1 };
            let above = f64::from_bits(mid.to_bits() + 1);
            let below = f64::from_bits(mid.to_bits() - 1);
            for (x, expected, what) in [
                (mid, even, say!("the tie", "正好在两者中点")),
                (above, bits + 1, say!("just above the tie", "略高于中点")),
                (below, bits, say!("just below the tie", "略低于中点")),
                (-mid, even | 0x8000, say!("the negative tie", "负数的中点")),
            ] {
                assert_eq!(
                    pack_half(x),
                    Ok(expected),
                    "{}",
                    say!(
                        "pack_half({x:e}), {what} between {low:e} ({bits:#06x}) and {high:e}, \
                         must give {expected:#06x}",
                        "pack_half({x:e})，{what}，在 {low:e}（{bits:#06x}）和 {high:e} 之间，必须得到 {expected:#06x}"
                    )
                );
            }
        }
    }

    proptest! {
        #[test]
        fn rounds_to_the_nearest_half(x in -70000.0f64..70000.0) {
            // Whatever half pack_half picks, no other half may be nearer to x.
            match pack_half(x) {
                Ok(bits) => {
                    let h = unpack_half(bits);
                    let up = unpack_half(bits.wrapping_add(1) & 0x7fff | bits & 0x8000);
                    let down = unpack_half((bits & 0x7fff).wrapping_sub(1) & 0x7fff | bits & 0x8000);
                    prop_assert!((h - x).abs() <= (up - x).abs() || up.is_nan(),
                        "{}", say!(
                            "pack_half({x:e}) gave {h:e} but {up:e} is nearer",
                            "pack_half({x:e}) 得到 {h:e}，但 {up:e} 更近",
                        ));
                    if bits & 0x7fff != 0 {
                        prop_assert!((h - x).abs() <= (down - x).abs(),
                            "{}", say!(
                                "pack_half({x:e}) gave {h:e} but {down:e} is nearer",
                                "pack_half({x:e}) 得到 {h:e}，但 {down:e} 更近",
                            ));
                    }
                }
                Err(e) => prop_assert!(x.abs() >= 65520.0, "{}", say!(
                    "pack_half({x:e}) failed with {e}",
                    "pack_half({x:e}) 失败了：{e}",
                )),
            }
        }
    }
}

/// The course's record: `Struct('i32sf')`, an id, a name and a height
/// (struct_send.py / struct_recv.py).
mod course_record {
    use super::*;
    use rstest::rstest;

    fn record(id: i32, name: &[u8], height: f64) -> Vec<Value> {
        vec![Value::from(id), Value::from(name), Value::from(height)]
    }

    #[rstest]
    #[case(1, b"Tom", 1.75, 1.75)]
    #[case(2, "张三".as_bytes(), 1.68, 1.6799999475479126)]
    #[case(0, b"", 0.0, 0.0)]
    #[case(-7, b"Lily", -1.5, -1.5)]
    #[case(
        2147483647,
        b"exactly thirty-two bytes long!!!",
        1.6,
        1.600000023841858
    )]
    fn send_and_receive(
        #[case] id: i32,
        #[case] name: &[u8],
        #[case] height: f64,
        #[case] received_height: f64,
    ) {
        let st = Struct::new("<i32sf").expect(&say!("the course's format", "课程里的格式是合法的"));
        assert_eq!(st.size(), 40, "Struct('<i32sf').size");
        let data = st
            .pack(&record(id, name, height))
            .expect(&say!("a valid record", "这是合法的记录"));
        assert_eq!(
            data.len(),
            40,
            "{}",
            say!(
                "a packed record has size() bytes",
                "打包后的记录有 size() 个字节"
            )
        );
        assert_eq!(
            &data[..4],
            &id.to_le_bytes(),
            "{}",
            say!(
                "the id, little-endian, comes first",
                "id 按小端字节序排在最前"
            )
        );
        let mut padded = name.to_vec();
        padded.resize(32, 0);
        assert_eq!(
            &data[4..36],
            &padded[..],
            "{}",
            say!(
                "the name, padded with zeros to 32 bytes",
                "名字，用零填充到 32 字节"
            )
        );
        let back = st
            .unpack(&data)
            .expect(&say!("unpacking what was packed", "解包刚打包的数据"));
        // The name comes back with its padding, the height rounded to an f32.
        let expected = vec![
            Value::from(id),
            Value::Bytes(padded),
            Value::Float(received_height),
        ];
        assert!(
            same(&back, &expected),
            "{}",
            say!(
                "unpack(pack(record)): expected {expected:?}, got {back:?}",
                "unpack(pack(record))：应为 {expected:?}，却得到 {back:?}"
            )
        );
    }

    #[test]
    fn a_long_name_is_cut() {
        let data = pack("<i32sf", &record(9, &[b'a'; 40], 2.0))
            .expect(&say!("a valid record", "这是合法的记录"));
        assert_eq!(
            &data[4..36],
            &[b'a'; 32],
            "{}",
            say!(
                "'32s' keeps the first 32 bytes of a longer name",
                "'32s' 只保留较长名字的前 32 个字节"
            )
        );
        assert_eq!(data.len(), 40);
    }

    #[test]
    fn snapshot() {
        let mut lines = Vec::new();
        for format in ["i32sf", "<i32sf", ">i32sf", "!i32sf", "=i32sf"] {
            for (id, name, height) in [(1, &b"Tom"[..], 1.75), (2, "张三".as_bytes(), 1.68)] {
                let data = pack(format, &record(id, name, height))
                    .expect(&say!("a valid record", "这是合法的记录"));
                lines.push(format!("{format:7} {id} {height:4}: {}", hex(&data)));
            }
        }
        insta::assert_snapshot!("course_records", lines.join("\n"));
    }
}

/// Error values and their texts.
mod errors {
    use super::*;

    #[test]
    fn error_texts_snapshot() {
        let cases: Vec<(&str, Result<Vec<u8>, StructError>)> = vec![
            ("pack('c1')", pack("c1", &[])),
            ("pack('4 h')", pack("4 h", &[])),
            ("pack('i\\0')", pack("i\0", &[])),
            ("pack('é')", pack("é", &[])),
            ("pack('ié中')", pack("ié中", &[])),
            (
                "pack('99999999999999999999x')",
                pack("99999999999999999999x", &[]),
            ),
            ("pack('ii', 1)", pack("ii", &[1.into()])),
            ("pack('<b', 128)", pack("<b", &[128.into()])),
            ("pack('<Q', -1)", pack("<Q", &[(-1).into()])),
            ("pack('<i', 1.5)", pack("<i", &[1.5.into()])),
            ("pack('<d', b'x')", pack("<d", &[b"x".into()])),
            ("pack('<c', b'ab')", pack("<c", &[b"ab".into()])),
            ("pack('<p', 1)", pack("<p", &[1.into()])),
            ("pack('<e', 65520.0)", pack("<e", &[65520.0.into()])),
            ("pack('<e', 65520)", pack("<e", &[65520.into()])),
            ("pack('<f', 1e39)", pack("<f", &[1e39.into()])),
            ("pack('P', 2**64)", pack("P", &[(1i128 << 64).into()])),
            // Huge repeat counts: errors, never an attempt to allocate the record first.
            (
                "pack('<9223372036854775807x', 1)",
                pack("<9223372036854775807x", &[1.into()]),
            ),
            (
                "pack('<9223372036854775807x')",
                pack("<9223372036854775807x", &[]),
            ),
            (
                "pack('<1152921504606846976s', b'a')",
                pack("<1152921504606846976s", &[b"a".into()]),
            ),
            (
                "unpack('<288230376151711744b', b'')",
                unpack("<288230376151711744b", b"").map(|_| vec![]),
            ),
            ("unpack('<i', b'12')", unpack("<i", b"12").map(|_| vec![])),
            (
                "unpack_from('<i', b'1234', -2)",
                unpack_from("<i", b"1234", -2).map(|_| vec![]),
            ),
            (
                "unpack_from('<i', b'1234', -8)",
                unpack_from("<i", b"1234", -8).map(|_| vec![]),
            ),
            (
                "unpack_from('<i', b'1234', 2)",
                unpack_from("<i", b"1234", 2).map(|_| vec![]),
            ),
            (
                "pack_into('<i', buf4, -2, 1)",
                pack_into("<i", &mut [0; 4], -2, &[1.into()]).map(|_| vec![]),
            ),
            (
                "pack_into('<i', buf4, 3, 1)",
                pack_into("<i", &mut [0; 4], 3, &[1.into()]).map(|_| vec![]),
            ),
            (
                "pack_into('<i', buf4, 0)",
                pack_into("<i", &mut [0; 4], 0, &[]).map(|_| vec![]),
            ),
            (
                "iter_unpack('', b'ab')",
                iter_unpack("", b"ab").map(|_| vec![]),
            ),
            (
                "iter_unpack('<h', b'abc')",
                iter_unpack("<h", b"abc").map(|_| vec![]),
            ),
        ];
        let lines: Vec<String> = cases
            .iter()
            .map(|(call, result)| match result {
                Ok(data) => format!("{call} -> ok {}", hex(data)),
                Err(e) => format!("{call} -> {}", show_error(e)),
            })
            .collect();
        insta::assert_snapshot!("error_texts", lines.join("\n"));
    }

    #[test]
    fn errors_are_std_errors() {
        let e: Box<dyn std::error::Error> = Box::new(StructError::BadChar);
        assert_eq!(e.to_string(), "bad char in struct format");
    }
}

/// The compiled `Struct` and the module functions agree.
mod compiled {
    use super::*;

    #[test]
    fn struct_keeps_its_format_and_size() {
        let st = Struct::new("<hq").expect(&say!("a valid format", "这是合法的格式"));
        assert_eq!(st.format(), "<hq");
        assert_eq!(st.size(), 10);
        assert_eq!(
            st.layout(),
            &parse_format("<hq").expect(&say!("a valid format", "这是合法的格式"))
        );
        assert_eq!(Struct::new("c1").err(), Some(StructError::CountWithoutCode));
    }

    #[test]
    fn pack_into_writes_nothing_past_a_trailing_0p() {
        // CPython 3.13.0 writes a zero byte just past such a record (its gh-156939).
        let mut buffer = [0xaa; 4];
        pack_into("<h0p", &mut buffer, 0, &[1.into(), b"abc".into()])
            .expect(&say!("a valid record", "这是合法的记录"));
        assert_eq!(
            hex(&buffer),
            "0100aaaa",
            "{}",
            say!(
                "pack_into('<h0p', aa aa aa aa, 0, 1, b'abc') writes the 2 bytes of the record \
                 and nothing after them ('0p' is 0 bytes: no length byte)",
                "pack_into('<h0p', aa aa aa aa, 0, 1, b'abc') 只写记录的 2 个字节，之后什么都不写（'0p' 是 0 个字节：没有长度字节）"
            )
        );
    }

    #[test]
    fn iter_unpack_yields_each_record() {
        let records: Vec<Vec<Value>> = Struct::new(">h")
            .and_then(|st| {
                st.iter_unpack(&[0, 1, 0xff, 0xfe, 0x7f, 0xff])
                    .map(|it| it.collect())
            })
            .expect(&say!("three records", "三条记录"));
        assert_eq!(
            records,
            vec![
                vec![Value::Int(1)],
                vec![Value::Int(-2)],
                vec![Value::Int(32767)]
            ]
        );
        let none: Vec<Vec<Value>> = iter_unpack("<q", &[])
            .expect(&say!("no records", "没有记录"))
            .collect();
        assert!(
            none.is_empty(),
            "{}",
            say!("an empty buffer holds no records", "空缓冲区里没有记录")
        );
    }
}

/// Formats and the values that fit them, for the properties.
fn item_strategy() -> impl Strategy<Value = (String, Vec<Value>)> {
    // One item: its format text and the values that pack and unpack to themselves.
    let int = |code: char, min: i128, max: i128| {
        (1usize..4, prop::collection::vec(min..=max, 3)).prop_map(move |(n, vs)| {
            (
                format!("{n}{code}"),
                vs[..n].iter().map(|&v| Value::Int(v)).collect(),
            )
        })
    };
    prop_oneof![
        int('b', -128, 127),
        int('B', 0, 255),
        int('h', -32768, 32767),
        int('H', 0, 65535),
        int('i', i32::MIN.into(), i32::MAX.into()),
        int('I', 0, u32::MAX.into()),
        int('l', i32::MIN.into(), i32::MAX.into()),
        int('L', 0, u32::MAX.into()),
        int('q', i64::MIN.into(), i64::MAX.into()),
        int('Q', 0, u64::MAX.into()),
        any::<bool>().prop_map(|b| ("?".to_string(), vec![Value::Bool(b)])),
        any::<u8>().prop_map(|b| ("c".to_string(), vec![Value::Bytes(vec![b])])),
        any::<f64>().prop_map(|x| ("d".to_string(), vec![Value::Float(x)])),
        any::<f32>()
            .prop_filter("not a NaN (its payload is C's business)", |y| !y.is_nan())
            .prop_map(|y| ("f".to_string(), vec![Value::Float(f64::from(y))])),
        (0u16..0x7c00, any::<bool>()).prop_map(|(h, neg)| {
            let bits = h | if neg { 0x8000 } else { 0 };
            ("e".to_string(), vec![Value::Float(unpack_half(bits))])
        }),
        prop::collection::vec(any::<u8>(), 0..12)
            .prop_map(|b| (format!("{}s", b.len()), vec![Value::Bytes(b)])),
        (prop::collection::vec(any::<u8>(), 0..12), 0usize..3)
            .prop_map(|(b, extra)| (format!("{}p", b.len() + 1 + extra), vec![Value::Bytes(b)])),
        (0usize..3).prop_map(|n| (format!("{n}x"), vec![])),
        // Packs nothing and unpacks b'': at a record's end, pack_into must not write past it.
        Just(("0p".to_string(), vec![Value::Bytes(vec![])])),
    ]
}

fn record_strategy() -> impl Strategy<Value = (String, Vec<Value>)> {
    (
        prop::sample::select(vec!["<", ">", "!", "=", "@", ""]),
        prop::collection::vec(item_strategy(), 0..6),
    )
        .prop_map(|(order, items)| {
            let mut format = order.to_string();
            let mut values = Vec::new();
            for (text, vs) in items {
                format.push_str(&text);
                values.extend(vs);
            }
            (format, values)
        })
}

/// Properties over random formats and values (proptest).
mod round_trips {
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn unpack_of_pack_gives_the_values_back((format, values) in record_strategy()) {
            let data = pack(&format, &values);
            prop_assert!(data.is_ok(), "{}", say!(
                "pack({format:?}, {values:?}) failed: {data:?}",
                "pack({format:?}, {values:?}) 失败了：{data:?}",
            ));
            let data = data.unwrap();
            let back = unpack(&format, &data);
            prop_assert!(back.is_ok(), "{}", say!(
                "unpack({format:?}, {}) failed: {back:?}",
                "unpack({format:?}, {}) 失败了：{back:?}",
                hex(&data),
            ));
            let back = back.unwrap();
            // Every item the strategy makes gives its values back exactly: 's' gets
            // bytes of its exact length, 'p' bytes that fit.
            prop_assert!(same(&back, &values),
                "{}", say!(
                    "unpack(pack({format:?}, {})) gave {}",
                    "unpack(pack({format:?}, {})) 得到 {}",
                    show(&values), show(&back),
                ));
        }

        #[test]
        fn calcsize_is_the_packed_length((format, values) in record_strategy()) {
            let size = calcsize(&format);
            let data = pack(&format, &values);
            prop_assert_eq!(size, data.map(|d| d.len()), "{}", say!(
                "calcsize({:?}) against pack's length",
                "calcsize({:?}) 与 pack 的长度对比",
                format,
            ));
        }

        #[test]
        fn pack_into_and_unpack_from_agree_at_any_offset(
            (format, values) in record_strategy(),
            before in 0usize..9,
            after in 0usize..9,
            fill in any::<u8>(),
            from_end in any::<bool>(),
        ) {
            let data = pack(&format, &values).expect(&say!("a valid record", "这是合法的记录"));
            let mut buffer = vec![fill; before + data.len() + after];
            let offset = if from_end { -((data.len() + after) as isize) } else { before as isize };
            if from_end && data.len() + after == 0 {
                return Ok(()); // offset 0 from the end is offset 0, covered elsewhere
            }
            prop_assert_eq!(pack_into(&format, &mut buffer, offset, &values), Ok(()),
                "{}", say!(
                    "pack_into({:?}, {} bytes, {}, ..)",
                    "pack_into({:?}, {} 字节, {}, ..)",
                    format, buffer.len(), offset,
                ));
            let mut expected = vec![fill; before];
            expected.extend(&data);
            expected.extend(vec![fill; after]);
            prop_assert_eq!(hex(&buffer), hex(&expected),
                "{}", say!(
                    "pack_into must write pack's bytes at the offset and leave the rest alone",
                    "pack_into 必须在偏移处写入 pack 的字节，其余部分保持不动",
                ));
            let from = unpack_from(&format, &buffer, offset).map(|v| show(&v));
            let plain = unpack(&format, &data).map(|v| show(&v));
            prop_assert_eq!(from, plain, "{}", say!(
                "unpack_from({:?}, .., {}) against unpack",
                "unpack_from({:?}, .., {}) 与 unpack 对比",
                format, offset,
            ));
        }
    }
}

/// `pack_to` and `unpack_to`: the same results as `pack` and `unpack`, into buffers the
/// caller keeps, whatever those held before.
mod reused_buffers {
    use super::*;

    /// Any value, in range or not, of any type: what a caller might pass by mistake.
    fn any_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<i128>().prop_map(Value::Int),
            (-300i128..300).prop_map(Value::Int),
            any::<bool>().prop_map(Value::Bool),
            any::<f64>().prop_map(Value::Float),
            prop::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        ]
    }

    /// A record's format and values, now and then spoiled (one value replaced, one
    /// too many, one too few), so that errors are met as well as records.
    fn maybe_bad_record() -> impl Strategy<Value = (String, Vec<Value>)> {
        (record_strategy(), any_value(), 0usize..8, 0u8..5).prop_map(
            |((format, mut values), other, at, how)| {
                match how {
                    0 if !values.is_empty() => {
                        let at = at % values.len();
                        values[at] = other;
                    }
                    1 => values.push(other),
                    2 => {
                        values.pop();
                    }
                    _ => {}
                }
                (format, values)
            },
        )
    }

    /// A byte buffer that holds `kept`, with `stale` bytes past its end (its spare
    /// capacity holds something other than zeros).
    fn used_bytes(kept: &[u8], stale: &[u8]) -> Vec<u8> {
        let mut out = kept.to_vec();
        out.extend_from_slice(stale);
        out.truncate(kept.len());
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn pack_to_appends_what_pack_returns(
            (format, values) in maybe_bad_record(),
            kept in prop::collection::vec(any::<u8>(), 0..8),
            stale in prop::collection::vec(any::<u8>(), 0..48),
        ) {
            let st = Struct::new(&format).expect(&say!("a valid format", "这是合法的格式"));
            let mut out = used_bytes(&kept, &stale);
            let result = st.pack_to(&values, &mut out);
            match st.pack(&values) {
                Ok(record) => {
                    prop_assert_eq!(result, Ok(()),
                        "{}", say!(
                            "pack_to({:?}, {}) failed where pack succeeded",
                            "pack_to({:?}, {}) 失败了，而 pack 成功了",
                            format, show(&values),
                        ));
                    let mut expected = kept.clone();
                    expected.extend_from_slice(&record);
                    prop_assert_eq!(hex(&out), hex(&expected),
                        "{}", say!(
                            "pack_to({:?}, {}) on a buffer holding {}: the buffer must keep what it \
                             held and get pack's bytes after it",
                            "pack_to({:?}, {}) 写入原本装着 {} 的缓冲区：缓冲区必须保留原有内容，并在其后接上 pack 的字节",
                            format, show(&values), hex(&kept),
                        ));
                }
                Err(error) => {
                    prop_assert_eq!(result, Err(error),
                        "{}", say!(
                            "pack_to({:?}, {}) must fail as pack does",
                            "pack_to({:?}, {}) 必须和 pack 一样失败",
                            format, show(&values),
                        ));
                    prop_assert_eq!(hex(&out), hex(&kept),
                        "{}", say!(
                            "a failed pack_to({:?}, {}) must leave the buffer as it was",
                            "失败的 pack_to({:?}, {}) 必须让缓冲区保持原样",
                            format, show(&values),
                        ));
                }
            }
        }

        #[test]
        fn unpack_to_replaces_what_the_list_held(
            (format, values) in record_strategy(),
            held in prop::collection::vec(any_value(), 0..8),
            cut in 0usize..3,
        ) {
            let st = Struct::new(&format).expect(&say!("a valid format", "这是合法的格式"));
            let record = st.pack(&values).expect(&say!("a valid record", "这是合法的记录"));
            // The record, and now and then a buffer a byte too short or too long.
            let mut data = record.clone();
            match cut {
                1 if !data.is_empty() => { data.pop(); }
                2 => data.push(0),
                _ => {}
            }
            let mut out = held.clone();
            let result = st.unpack_to(&data, &mut out);
            match st.unpack(&data) {
                Ok(expected) => {
                    prop_assert_eq!(result, Ok(()),
                        "{}", say!(
                            "unpack_to({:?}, {}) failed where unpack succeeded",
                            "unpack_to({:?}, {}) 失败了，而 unpack 成功了",
                            format, hex(&data),
                        ));
                    prop_assert!(same(&out, &expected),
                        "{}", say!(
                            "unpack_to({:?}, {}) into a list holding [{}]: expected [{}] (what \
                             unpack returns, nothing of the old values), got [{}]",
                            "unpack_to({:?}, {}) 写入装着 [{}] 的列表：应为 [{}]（即 unpack 的结果，不含任何旧值），却得到 [{}]",
                            format, hex(&data), show(&held), show(&expected), show(&out),
                        ));
                }
                Err(error) => {
                    prop_assert_eq!(result, Err(error),
                        "{}", say!(
                            "unpack_to({:?}, {}) must fail as unpack does",
                            "unpack_to({:?}, {}) 必须和 unpack 一样失败",
                            format, hex(&data),
                        ));
                    prop_assert!(same(&out, &held),
                        "{}", say!(
                            "a failed unpack_to({:?}, {}) must leave the list as it was: \
                             expected [{}], got [{}]",
                            "失败的 unpack_to({:?}, {}) 必须让列表保持原样：应为 [{}]，却得到 [{}]",
                            format, hex(&data), show(&held), show(&out),
                        ));
                }
            }
        }
    }

    #[test]
    fn one_buffer_and_one_list_for_many_records() {
        // Names of every length, so that a bytes value left from the last record shows.
        let st = Struct::new("<i10p").expect(&say!("a valid format", "这是合法的格式"));
        let people = [
            (1, &b"Tommy"[..]),
            (2, &b"Al"[..]),
            (3, &b""[..]),
            (4, &b"Josephine"[..]),
            (5, &b"Li"[..]),
        ];
        let mut all = Vec::new();
        let mut record = Vec::new();
        let mut back = Vec::new();
        for (id, name) in people {
            let values = vec![Value::from(id), Value::from(name)];
            record.clear();
            st.pack_to(&values, &mut record)
                .expect(&say!("a valid record", "这是合法的记录"));
            assert_eq!(
                record,
                st.pack(&values)
                    .expect(&say!("a valid record", "这是合法的记录")),
                "{}",
                say!(
                    "pack_to into a cleared buffer must give what pack gives, for {values:?}",
                    "对 {values:?}，pack_to 写入清空后的缓冲区，必须得到与 pack 相同的结果"
                )
            );
            st.pack_to(&values, &mut all)
                .expect(&say!("a valid record", "这是合法的记录"));
            st.unpack_to(&record, &mut back)
                .expect(&say!("a whole record", "一条完整的记录"));
            assert_eq!(
                back,
                values,
                "{}",
                say!(
                    "unpack_to into the list of the last record must give this record's values",
                    "unpack_to 写入上一条记录的列表，必须得到这条记录的值"
                )
            );
        }
        let records: Vec<Vec<Value>> = st
            .iter_unpack(&all)
            .expect(&say!("5 records", "5 条记录"))
            .collect();
        let expected: Vec<Vec<Value>> = people
            .iter()
            .map(|&(id, name)| vec![Value::from(id), Value::from(name)])
            .collect();
        assert_eq!(
            records,
            expected,
            "{}",
            say!(
                "pack_to appends: five calls on one buffer give the five records back to back",
                "pack_to 是追加的：对同一个缓冲区调用五次，得到首尾相接的五条记录"
            )
        );
    }

    #[test]
    fn a_reused_buffer_keeps_its_allocation() {
        // What the two functions are for: no new buffer when the one given is big enough.
        let st = Struct::new("<i32sf").expect(&say!("the course's format", "课程里的格式是合法的"));
        let values = vec![Value::from(1), Value::from(&b"Tom"[..]), Value::from(1.75)];
        let mut record = Vec::with_capacity(64);
        let mut back = Vec::with_capacity(8);
        let (record_at, back_at) = (record.as_ptr(), back.as_ptr());
        for _ in 0..3 {
            record.clear();
            st.pack_to(&values, &mut record)
                .expect(&say!("a valid record", "这是合法的记录"));
            st.unpack_to(&record, &mut back)
                .expect(&say!("a whole record", "一条完整的记录"));
        }
        assert_eq!(
            record.as_ptr(),
            record_at,
            "{}",
            say!(
                "pack_to must write into the buffer it is given (it had room for the record), \
                 not replace it with a new one",
                "pack_to 必须写入传给它的缓冲区（它有足够的空间放这条记录），而不是换成一个新的"
            )
        );
        assert_eq!(
            back.as_ptr(),
            back_at,
            "{}",
            say!(
                "unpack_to must fill the list it is given (it had room for the values), not \
                 replace it with a new one",
                "unpack_to 必须填充传给它的列表（它有足够的空间放这些值），而不是换成一个新的"
            )
        );
        assert_eq!(record.len(), 40);
        assert_eq!(back.len(), 3);
    }
}

/// Arbitrary formats, values and buffers: an error or a result, never a panic.
mod never_panics {
    use super::*;

    /// A repeat count past 2^40: records of a terabyte and more, up to and past
    /// `isize::MAX` bytes, which must be refused by checking, never by allocating.
    fn huge_count() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => ((1u64 << 40)..(1u64 << 56)).prop_map(|n| n.to_string()),
            2 => ((1u64 << 56)..(1u64 << 63)).prop_map(|n| n.to_string()),
            1 => prop::sample::select(vec![
                "1099511627776",
                "288230376151711744",
                "1152921504606846976",
                "4611686018427387904",
                "9223372036854775775",
                "9223372036854775807",
                "9223372036854775808",
                "99999999999999999999999",
            ])
            .prop_map(String::from),
        ]
    }

    fn format_strategy() -> impl Strategy<Value = String> {
        // Mostly format characters, so that deep parts of the parser are reached, and
        // now and then a huge count.
        let piece = prop_oneof![
            16 => prop::sample::select("@=<>! \t\x0b0123456789xcbB?hHiIlLqQnNefdspP".chars().collect::<Vec<_>>())
                .prop_map(String::from),
            2 => any::<char>().prop_map(String::from),
            1 => huge_count(),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    /// Well-formed formats whose items have small or huge counts. Pad bytes and
    /// strings (`x s p`) are frequent: a huge one is a huge record with few values.
    fn huge_format() -> impl Strategy<Value = String> {
        let count = prop_oneof![
            1 => (0u64..4).prop_map(|n| n.to_string()),
            2 => huge_count(),
        ];
        let code = prop_oneof![
            2 => prop::sample::select(vec!['x', 's', 'p']),
            3 => prop::sample::select("cbB?hHiIlLqQnNefdP".chars().collect::<Vec<_>>()),
        ];
        (
            prop::sample::select(vec!["<", ">", "!", "=", "@", ""]),
            prop::collection::vec((count, code), 1..4),
        )
            .prop_map(|(order, items)| {
                let mut format = order.to_string();
                for (count, code) in items {
                    format.push_str(&count);
                    format.push(code);
                }
                format
            })
    }

    fn value_strategy() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<i128>().prop_map(Value::Int),
            (-300i128..300).prop_map(Value::Int),
            any::<bool>().prop_map(Value::Bool),
            any::<f64>().prop_map(Value::Float),
            prop::collection::vec(any::<u8>(), 0..4).prop_map(Value::Bytes),
        ]
    }

    /// How many values a record of `layout` holds: one bytes value for each `s` and
    /// `p`, none for `x`, `count` for every other code.
    fn value_count(layout: &Layout) -> usize {
        layout
            .items
            .iter()
            .map(|item| match item.code {
                's' | 'p' => 1,
                'x' => 0,
                _ => item.count,
            })
            .sum()
    }

    /// Values of the right number and kinds for `layout`: bytes for `c s p`, an `Int`
    /// (which every other code takes) for the rest.
    fn fitting_values(layout: &Layout) -> Vec<Value> {
        let mut values = Vec::new();
        for item in &layout.items {
            match item.code {
                'x' => {}
                's' | 'p' => values.push(Value::Bytes(b"ab".to_vec())),
                'c' => values.extend((0..item.count).map(|_| Value::Bytes(b"z".to_vec()))),
                _ => values.extend((0..item.count).map(|_| Value::Int(1))),
            }
        }
        values
    }

    /// A record of at least this many bytes (2^60) is more than any machine's address
    /// space holds, so asking for it must fail everywhere: packing one is `NoMemory`.
    const NO_MACHINE_HAS: u64 = 1 << 60;

    /// Whether the suite may call `pack` with `values`: when the call must fail before
    /// it allocates (the wrong number of values, a record no machine has room for), or
    /// when the record is small. A record in between (a terabyte of 'x') is one a
    /// machine might really allocate, and zero, and is never asked for.
    fn may_pack(st: &Struct, values: &[Value]) -> bool {
        values.len() != value_count(st.layout())
            || st.size() <= 1 << 16
            || st.size() as u64 >= NO_MACHINE_HAS
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_format_any_input(
            format in format_strategy(),
            values in prop::collection::vec(value_strategy(), 0..6),
            buffer in prop::collection::vec(any::<u8>(), 0..40),
            offset in -50isize..50,
        ) {
            let size = calcsize(&format);
            if let Ok(st) = Struct::new(&format) {
                prop_assert_eq!(size, Ok(st.size()));
                if may_pack(&st, &values) {
                    let _ = st.pack(&values);
                }
                let mut target = buffer.clone();
                let _ = st.pack_into(&mut target, offset, &values);
                let _ = st.unpack(&buffer);
                let _ = st.unpack_from(&buffer, offset);
                if let Ok(records) = st.iter_unpack(&buffer) {
                    prop_assert!(records.count() <= buffer.len().max(1));
                }
            }
        }

        /// Records of 2^40 bytes and more: every call checks the values and the buffer
        /// before it allocates anything, and gives CPython's error (the golden files hold
        /// the texts; here, any count and any byte order).
        #[test]
        fn huge_counts_are_checked_before_allocating(
            format in huge_format(),
            values in prop::collection::vec(value_strategy(), 0..4),
            fit in any::<bool>(),
            buffer in prop::collection::vec(any::<u8>(), 0..16),
            offset in -20isize..20,
        ) {
            let st = match Struct::new(&format) {
                Ok(st) => st,
                Err(error) => {
                    prop_assert_eq!(calcsize(&format), Err(error));
                    return Ok(());
                }
            };
            // Half the time, values that fit (when there are few): then the record's
            // own size is what pack must check.
            let values = if fit && value_count(st.layout()) <= 8 {
                fitting_values(st.layout())
            } else {
                values
            };
            let size = st.size();
            let expected = value_count(st.layout());
            let got = values.len();
            let packed = may_pack(&st, &values).then(|| st.pack(&values));
            if got != expected {
                prop_assert_eq!(packed, Some(Err(StructError::PackCount { expected, got })), "{}", say!(
                    "pack({:?}) with {} values: the number of values is checked first",
                    "pack({:?}) 传入 {} 个值：首先检查值的个数",
                    format, got,
                ));
            } else if size > MAX_BYTES {
                prop_assert_eq!(packed, Some(Err(StructError::BytesTooLarge)), "{}", say!(
                    "pack({:?}): a record of {} bytes is larger than MAX_BYTES",
                    "pack({:?})：{} 字节的记录比 MAX_BYTES 还大",
                    format, size,
                ));
            } else if size as u64 >= NO_MACHINE_HAS {
                prop_assert_eq!(packed, Some(Err(StructError::NoMemory)), "{}", say!(
                    "pack({:?}): no machine has room for a record of {} bytes; ask for it with \
                     try_reserve_exact and report the refusal",
                    "pack({:?})：没有机器放得下 {} 字节的记录；用 try_reserve_exact 申请，并报告被拒绝",
                    format, size,
                ));
            }
            let mut target = buffer.clone();
            let into = st.pack_into(&mut target, offset, &values);
            if got != expected {
                prop_assert_eq!(into, Err(StructError::PackIntoCount { expected, got }));
            } else if size > buffer.len() {
                prop_assert!(into.is_err(), "{}", say!(
                    "pack_into({:?}) into {} bytes succeeded",
                    "pack_into({:?}) 写入 {} 字节竟然成功了",
                    format, buffer.len(),
                ));
            }
            if size != buffer.len() {
                prop_assert_eq!(st.unpack(&buffer).map(|v| show(&v)), Err(StructError::UnpackSize { size }));
            }
            if size > buffer.len() {
                prop_assert!(st.unpack_from(&buffer, offset).is_err(), "{}", say!(
                    "unpack_from({:?}) of {} bytes succeeded",
                    "unpack_from({:?}) 读 {} 字节竟然成功了",
                    format, buffer.len(),
                ));
            }
            let records = st.iter_unpack(&buffer).map(|records| records.count());
            let iterated = if size == 0 {
                Err(StructError::IterZeroSize)
            } else if !buffer.len().is_multiple_of(size) {
                Err(StructError::IterNotMultiple { size })
            } else {
                Ok(buffer.len() / size)
            };
            prop_assert_eq!(records, iterated, "{}", say!(
                "iter_unpack({:?}) over {} bytes: the records it yields, or its error",
                "iter_unpack({:?}) 遍历 {} 字节：产出的记录数，或者它的错误",
                format, buffer.len(),
            ));
        }

        #[test]
        fn any_bytes_unpack_with_every_code(
            code in prop::sample::select("xcbB?hHiIlLqQnNefdspP".chars().collect::<Vec<_>>()),
            count in 0usize..4,
            buffer in prop::collection::vec(any::<u8>(), 0..40),
            x in any::<f64>(),
        ) {
            let format = format!("{count}{code}");
            if let Ok(size) = calcsize(&format) {
                let _ = unpack(&format, &buffer[..size.min(buffer.len())]);
            }
            let _ = pack_half(x);
        }
    }
}

/// Laws about byte order (quickcheck).
mod laws {
    use super::*;
    use quickcheck::TestResult;
    use quickcheck_macros::quickcheck;

    /// Packs `v` with `code` under `<`, `>` and `!`: the big-endian bytes must be the
    /// little-endian ones reversed, and `!` (network order) the same as `>`, for any
    /// integer in range. A failure names both sides.
    fn reverses(code: char, v: i128) -> TestResult {
        let little = pack(&format!("<{code}"), &[Value::Int(v)]);
        let big = pack(&format!(">{code}"), &[Value::Int(v)]);
        let network = pack(&format!("!{code}"), &[Value::Int(v)]);
        let holds = match (&little, &big) {
            (Ok(l), Ok(b)) => {
                let mut reversed = l.clone();
                reversed.reverse();
                &reversed == b && network.as_ref() == Ok(b)
            }
            (Err(a), Err(b)) => a == b,
            _ => false,
        };
        if holds {
            return TestResult::passed();
        }
        TestResult::error(say!(
            "the bytes of one value in the three byte orders: pack(\"<{code}\", [{v}]) = {little:02x?}, \
             pack(\">{code}\", [{v}]) = {big:02x?}, pack(\"!{code}\", [{v}]) = {network:02x?}; '>' \
             should be '<' reversed, and '!' the same as '>'",
            "同一个值在三种字节序下的字节：pack(\"<{code}\", [{v}]) = {little:02x?}，\
             pack(\">{code}\", [{v}]) = {big:02x?}，pack(\"!{code}\", [{v}]) = {network:02x?}；'>' \
             应是 '<' 的逆序，'!' 应与 '>' 相同"
        ))
    }

    /// The first of `results` that failed, else a pass.
    fn all(results: impl IntoIterator<Item = TestResult>) -> TestResult {
        results
            .into_iter()
            .find(TestResult::is_failure)
            .unwrap_or_else(TestResult::passed)
    }

    #[quickcheck]
    fn h_reverses(v: i16) -> TestResult {
        all([
            reverses('h', v.into()),
            reverses('H', u16::from_ne_bytes(v.to_ne_bytes()).into()),
        ])
    }

    #[quickcheck]
    fn i_reverses(v: i32) -> TestResult {
        all([
            reverses('i', v.into()),
            reverses('l', v.into()),
            reverses('I', (v as u32).into()),
        ])
    }

    #[quickcheck]
    fn q_reverses(v: i64) -> TestResult {
        all([reverses('q', v.into()), reverses('Q', (v as u64).into())])
    }

    #[quickcheck]
    fn float_reverses(x: f64) -> TestResult {
        let little = pack("<d", &[Value::Float(x)]);
        let big = pack(">d", &[Value::Float(x)]);
        let reversed = little.clone().map(|mut b| {
            b.reverse();
            b
        });
        if reversed == big {
            return TestResult::passed();
        }
        TestResult::error(say!(
            "pack(\"<d\", [{x:?}]) = {little:02x?} reversed should be pack(\">d\", [{x:?}]) = {big:02x?}",
            "pack(\"<d\", [{x:?}]) = {little:02x?} 的逆序应等于 pack(\">d\", [{x:?}]) = {big:02x?}"
        ))
    }

    #[quickcheck]
    fn equals_sign_is_this_machines_order(v: i32) -> bool {
        let machine = if cfg!(target_endian = "little") {
            "<i"
        } else {
            ">i"
        };
        pack("=i", &[Value::Int(v.into())]) == pack(machine, &[Value::Int(v.into())])
    }
}
