//! The Rust half of `bench/throughput.py`: how many pack + unpack pairs per second the
//! reference's compiled `Struct` does on the three formats the kata is measured on.
//!
//! Run it through the script, which times CPython on the same records and prints the
//! ratio: `python3 solutions/struct_codec/bench/throughput.py`. Alone:
//! `cargo run --release -p struct_codec-solution --example throughput`.
//! Prints one line per format: `<format>\t<pairs per second>`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use struct_codec::{Struct, Value};

/// The three records: the course's `i32sf`, sixteen `q`s, one 64-byte `s`. The same
/// values as in throughput.py.
fn cases() -> Vec<(&'static str, Vec<Value>)> {
    vec![
        (
            "i32sf",
            vec![
                Value::Int(1),
                Value::Bytes(b"Tom".to_vec()),
                Value::Float(1.75),
            ],
        ),
        (
            "16q",
            (0..16)
                .map(|i| Value::Int(i * 1_000_000_007 - 8_000_000_000))
                .collect(),
        ),
        ("64s", vec![Value::Bytes((0..64).collect())]),
    ]
}

/// Pack + unpack pairs per second: the best of five runs of at least 0.2 s each.
fn rate(st: &Struct, values: &[Value]) -> f64 {
    let mut best = 0.0f64;
    for _ in 0..5 {
        let mut pairs = 0u64;
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(200) {
            for _ in 0..1000 {
                let data = st.pack(black_box(values)).expect("a valid record");
                let back = st.unpack(black_box(&data)).expect("what was packed");
                black_box(back);
            }
            pairs += 1000;
        }
        best = best.max(pairs as f64 / start.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    for (format, values) in cases() {
        let st = Struct::new(format).expect("a valid format");
        println!("{format}\t{:.0}", rate(&st, &values));
    }
}
