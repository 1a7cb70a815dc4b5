//! The recursion kata (递归): Fibonacci three ways, each against a plain loop written
//! here (the standard library has no Fibonacci). The naive recursion makes about
//! fib(n) calls, so it is measured at small n only; the memoised one and the loop at
//! n = 90 too, close to the largest that fits in a `u64`.

use std::hint::black_box;

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{both, row};

/// The baseline: a loop over pairs, wrapping (the kata's functions check overflow).
fn fib_loop(n: u32) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}

fn fibonacci(c: &mut Criterion) {
    for n in [10, 20] {
        row(c, "fib_naive", format!("n = {n}"), |row| {
            row.std("loop", |b| b.iter(|| fib_loop(black_box(n))));
            both!(row, kata => |b| b.iter(|| kata::fib_naive(black_box(n))));
        });
    }
    for n in [20, 90] {
        row(c, "fib_memo", format!("n = {n}"), |row| {
            row.std("loop", |b| b.iter(|| fib_loop(black_box(n))));
            both!(row, kata => |b| b.iter(|| kata::fib_memo(black_box(n))));
        });
        row(c, "fib_iterative", format!("n = {n}"), |row| {
            row.std("loop", |b| b.iter(|| fib_loop(black_box(n))));
            both!(row, kata => |b| b.iter(|| kata::fib_iterative(black_box(n))));
        });
    }
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = fibonacci
}
criterion_main!(benches);
