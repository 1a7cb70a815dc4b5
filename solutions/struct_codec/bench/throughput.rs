//! The Rust half of `bench/throughput.py`: how many pack + unpack pairs per second the
//! reference's compiled `Struct` does on the three formats the kata is measured on, with
//! the allocating pair (`pack`, `unpack`) and the buffer-reusing one (`pack_to`,
//! `unpack_to`).
//!
//! Run it through the script, which times CPython on the same records and prints the
//! ratio: `python3 solutions/struct_codec/bench/throughput.py`. Alone:
//! `cargo run --release -p struct_codec-solution --example throughput`.
//! Prints one line per format, tab-separated: the format, then pairs per CPU second of
//! `pack` and `unpack`, of `pack_to` and `unpack_to`, and of the allocations alone that
//! one `pack` and `unpack` pair makes.

use std::hint::black_box;
use std::time::Instant;

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

/// Seconds this thread has run on a CPU: Linux's `/proc/thread-self/schedstat` (the
/// clock Python's `time.thread_time()` reads), so that other processes on a busy
/// machine do not count. Elsewhere, wall-clock seconds since the first call.
fn cpu_seconds() -> f64 {
    if let Ok(stat) = std::fs::read_to_string("/proc/thread-self/schedstat")
        && let Some(Ok(ns)) = stat.split_whitespace().next().map(str::parse::<u64>)
    {
        return ns as f64 / 1e9;
    }
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Runs of `pair` per CPU second: the best of seven runs of at least 0.2 s each.
fn rate(mut pair: impl FnMut()) -> f64 {
    let mut best = 0.0f64;
    for _ in 0..7 {
        let mut pairs = 0u64;
        let start = cpu_seconds();
        let mut elapsed = 0.0;
        while elapsed < 0.2 {
            // Batches of 10,000 so that reading the clock (a file read) costs under 1%.
            for _ in 0..10_000 {
                pair();
            }
            pairs += 10_000;
            elapsed = cpu_seconds() - start;
        }
        best = best.max(pairs as f64 / elapsed);
    }
    best
}

fn main() {
    for (format, values) in cases() {
        let st = Struct::new(format).expect("a valid format");
        // `pack` and `unpack`: a new record and a new list of values each time.
        let allocating = rate(|| {
            let data = st.pack(black_box(&values)).expect("a valid record");
            let back = st.unpack(black_box(&data)).expect("what was packed");
            black_box(back);
        });
        // `pack_to` and `unpack_to` into a buffer and a list kept from pair to pair.
        let mut data = Vec::new();
        let mut back = Vec::new();
        let reusing = rate(|| {
            data.clear();
            st.pack_to(black_box(&values), &mut data)
                .expect("a valid record");
            st.unpack_to(black_box(&data), &mut back)
                .expect("what was packed");
            black_box(&back);
        });
        // The heap allocations one allocating pair makes (the record, the list of
        // values, a copy of each bytes value) and nothing else: no `pack` and `unpack`
        // that return new vectors can beat this rate with this allocator.
        #[allow(clippy::slow_vector_initialization)] // as the reference allocates it
        let allocations = rate(|| {
            let mut record = Vec::<u8>::with_capacity(st.size());
            record.resize(st.size(), 0);
            let mut back: Vec<Value> = Vec::with_capacity(values.len());
            for value in black_box(&values) {
                if let Value::Bytes(b) = value {
                    back.push(Value::Bytes(b.clone()));
                }
            }
            black_box((record, back));
        });
        println!("{format}\t{allocating:.0}\t{reusing:.0}\t{allocations:.0}");
    }
}
