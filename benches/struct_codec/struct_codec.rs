//! The struct_codec kata (struct 模块): packing and unpacking one record, `<ihqd`
//! (little-endian i32, i16, i64, f64: 22 bytes), against the same bytes written and
//! read by hand with `to_le_bytes` and `from_le_bytes`, what a Rust program would do
//! without a format string. A call handles 1000 records.
//!
//! `Struct::new` parses the format once and is reused; `pack` and `unpack` (the free
//! functions) parse it on every call, as Python's `struct.pack` does without its cache.
//! `Struct::pack_to` and `Struct::unpack_to` write into one buffer and one list kept
//! from record to record, against `to_le_bytes` into one reused buffer: no allocation
//! on either side.

use std::hint::black_box;

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{both, row};

const FORMAT: &str = "<ihqd";
const RECORDS: usize = 1000;
const SIZE: usize = 22;

/// The record number `i`.
fn record(i: usize) -> (i32, i16, i64, f64) {
    let i = i as i64;
    (
        (i * 7919 - 40_000) as i32,
        (i % 30_000) as i16,
        i * -1_000_003,
        i as f64 * 0.25,
    )
}

fn pack_by_hand(out: &mut Vec<u8>, (a, b, c, d): (i32, i16, i64, f64)) {
    out.extend_from_slice(&a.to_le_bytes());
    out.extend_from_slice(&b.to_le_bytes());
    out.extend_from_slice(&c.to_le_bytes());
    out.extend_from_slice(&d.to_le_bytes());
}

fn unpack_by_hand(bytes: &[u8]) -> (i32, i16, i64, f64) {
    let field = |at: usize, len: usize| &bytes[at..at + len];
    (
        i32::from_le_bytes(field(0, 4).try_into().expect("4 bytes")),
        i16::from_le_bytes(field(4, 2).try_into().expect("2 bytes")),
        i64::from_le_bytes(field(6, 8).try_into().expect("8 bytes")),
        f64::from_le_bytes(field(14, 8).try_into().expect("8 bytes")),
    )
}

/// The record as the kata's values (one type per crate: `kata` is either one).
macro_rules! values {
    ($kata:ident, $record:expr) => {{
        let (a, b, c, d) = $record;
        [
            $kata::Value::Int(a.into()),
            $kata::Value::Int(b.into()),
            $kata::Value::Int(c.into()),
            $kata::Value::Float(d),
        ]
    }};
}

fn codec(c: &mut Criterion) {
    let records: Vec<_> = (0..RECORDS).map(record).collect();
    let mut bytes = Vec::with_capacity(RECORDS * SIZE);
    for &r in &records {
        pack_by_hand(&mut bytes, r);
    }
    let case = format!("{RECORDS} × {FORMAT}");

    row(c, "Struct::pack", &case, |row| {
        row.std("to_le_bytes", |b| {
            b.iter(|| {
                // A new vector a record, as `pack` returns one.
                for &r in black_box(&records) {
                    let mut out = Vec::with_capacity(SIZE);
                    pack_by_hand(&mut out, r);
                    black_box(out);
                }
            })
        });
        both!(row, kata => |b| {
            let codec = kata::Struct::new(FORMAT).expect("a valid format");
            let values: Vec<_> = records.iter().map(|&r| values!(kata, r)).collect();
            b.iter(|| {
                for v in black_box(&values) {
                    black_box(codec.pack(v).expect("the values fit"));
                }
            })
        });
    });

    row(c, "Struct::unpack", &case, |row| {
        row.std("from_le_bytes", |b| {
            b.iter(|| {
                for chunk in black_box(&bytes).chunks_exact(SIZE) {
                    black_box(unpack_by_hand(chunk));
                }
            })
        });
        both!(row, kata => |b| {
            let codec = kata::Struct::new(FORMAT).expect("a valid format");
            b.iter(|| {
                for chunk in black_box(&bytes).chunks_exact(SIZE) {
                    black_box(codec.unpack(chunk).expect("22 bytes"));
                }
            })
        });
    });

    row(c, "Struct::pack_to (one buffer reused)", &case, |row| {
        row.std("to_le_bytes", |b| {
            let mut out = Vec::with_capacity(SIZE);
            b.iter(|| {
                for &r in black_box(&records) {
                    out.clear();
                    pack_by_hand(&mut out, r);
                    black_box(&out);
                }
            })
        });
        both!(row, kata => |b| {
            let codec = kata::Struct::new(FORMAT).expect("a valid format");
            let values: Vec<_> = records.iter().map(|&r| values!(kata, r)).collect();
            let mut out = Vec::with_capacity(SIZE);
            b.iter(|| {
                for v in black_box(&values) {
                    out.clear();
                    codec.pack_to(v, &mut out).expect("the values fit");
                    black_box(&out);
                }
            })
        });
    });

    row(c, "Struct::unpack_to (one list reused)", &case, |row| {
        row.std("from_le_bytes", |b| {
            b.iter(|| {
                for chunk in black_box(&bytes).chunks_exact(SIZE) {
                    black_box(unpack_by_hand(chunk));
                }
            })
        });
        both!(row, kata => |b| {
            let codec = kata::Struct::new(FORMAT).expect("a valid format");
            let mut out = Vec::new();
            b.iter(|| {
                for chunk in black_box(&bytes).chunks_exact(SIZE) {
                    codec.unpack_to(chunk, &mut out).expect("22 bytes");
                    black_box(&out);
                }
            })
        });
    });

    row(c, "pack (format parsed each call)", &case, |row| {
        row.std("to_le_bytes", |b| {
            b.iter(|| {
                // A new vector a record, as `pack` returns one.
                for &r in black_box(&records) {
                    let mut out = Vec::with_capacity(SIZE);
                    pack_by_hand(&mut out, r);
                    black_box(out);
                }
            })
        });
        both!(row, kata => |b| {
            let values: Vec<_> = records.iter().map(|&r| values!(kata, r)).collect();
            b.iter(|| {
                for v in black_box(&values) {
                    black_box(kata::pack(FORMAT, v).expect("the values fit"));
                }
            })
        });
    });

    row(c, "unpack (format parsed each call)", &case, |row| {
        row.std("from_le_bytes", |b| {
            b.iter(|| {
                for chunk in black_box(&bytes).chunks_exact(SIZE) {
                    black_box(unpack_by_hand(chunk));
                }
            })
        });
        both!(row, kata => |b| b.iter(|| {
            for chunk in black_box(&bytes).chunks_exact(SIZE) {
                black_box(kata::unpack(FORMAT, chunk).expect("22 bytes"));
            }
        }));
    });
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = codec
}
criterion_main!(benches);
