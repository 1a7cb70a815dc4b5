//! What the katas' benchmarks (`benches/<kata>`) share.
//!
//! Every benchmark is one cell of a row: a criterion group named after the operation
//! (`quick_sort`), a case as the parameter (`random 1000`), and one function each for
//! the standard library's counterpart (named after it, `slice::sort_unstable`), the
//! reference (`reference`) and the learner's code (`yours`, only when the bench crate is
//! built with its `learner` feature). `cargo xtask bench <kata>` reads criterion's
//! results back in that shape and prints each row's times as multiples of std's.

use std::fmt::Display;
use std::time::Duration;

pub use criterion;
use criterion::measurement::WallTime;
use criterion::{BatchSize, Bencher, BenchmarkGroup, BenchmarkId, Criterion};

/// The environment variable `cargo xtask bench` sets to choose how long criterion
/// measures. Unset: criterion's own defaults (the full statistical run, minutes a kata).
pub const MODE_VAR: &str = "KATA_BENCH_MODE";

/// The function name of the reference's benchmark in every row.
pub const REFERENCE: &str = "reference";
/// The function name of the learner's benchmark in every row.
pub const YOURS: &str = "yours";

/// criterion, set up for the mode in [`MODE_VAR`]; the command line still wins
/// (`criterion_group!` applies it after this config).
///
/// - `quick` (what `cargo xtask bench` runs): 10 samples in about a quarter of a second
///   a benchmark, enough to tell 1× from 2× on a quiet machine, and a kata answers in
///   well under a minute.
/// - anything else: criterion's defaults (100 samples, 3 s warm-up, 5 s measurement).
pub fn config() -> Criterion {
    let base = Criterion::default().without_plots();
    match std::env::var(MODE_VAR).as_deref() {
        Ok("quick") => base
            .sample_size(10)
            .warm_up_time(Duration::from_millis(50))
            .measurement_time(Duration::from_millis(200))
            .nresamples(1000),
        _ => base,
    }
}

/// One row of the ratio table: the same operation on the same input, measured for std,
/// the reference and the learner's code.
pub struct Row<'a> {
    group: BenchmarkGroup<'a, WallTime>,
    case: String,
}

impl<'a> Row<'a> {
    /// A row for `operation` (the criterion group) on `case` (its parameter). Keep
    /// `operation/function/case` under 100 characters: criterion shortens longer names
    /// in its output, and `cargo xtask bench` would not find their results.
    pub fn new(c: &'a mut Criterion, operation: &str, case: impl Display) -> Row<'a> {
        Row {
            group: c.benchmark_group(operation),
            case: case.to_string(),
        }
    }

    /// The standard library's way, named as a reader would look it up
    /// (`slice::sort_unstable`, `VecDeque`). The first one of a row is its baseline.
    pub fn std(&mut self, name: &str, routine: impl FnMut(&mut Bencher)) -> &mut Self {
        self.bench(name, routine)
    }

    /// The reference solution's way.
    pub fn reference(&mut self, routine: impl FnMut(&mut Bencher)) -> &mut Self {
        self.bench(REFERENCE, routine)
    }

    /// The learner's way (call it under `#[cfg(feature = "learner")]`).
    pub fn yours(&mut self, routine: impl FnMut(&mut Bencher)) -> &mut Self {
        self.bench(YOURS, routine)
    }

    fn bench(&mut self, function: &str, mut routine: impl FnMut(&mut Bencher)) -> &mut Self {
        self.group
            .bench_function(BenchmarkId::new(function, &self.case), |b| routine(b));
        self
    }
}

/// Measures one row: `fill` adds its benchmarks (`row.std(..)`, `row.reference(..)`,
/// [`both!`]), and the row is finished when it returns.
pub fn row(c: &mut Criterion, operation: &str, case: impl Display, fill: impl FnOnce(&mut Row)) {
    fill(&mut Row::new(c, operation, case));
}

/// The shapes of input a sort or a search is measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Every order equally likely (a fixed seed, so every run sorts the same numbers).
    Random,
    /// Already in ascending order.
    Sorted,
    /// In descending order.
    Reversed,
    /// Random order, but only 8 different values: many runs of equal keys.
    FewDistinct,
}

impl Shape {
    pub const ALL: [Shape; 4] = [
        Shape::Random,
        Shape::Sorted,
        Shape::Reversed,
        Shape::FewDistinct,
    ];
}

impl Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Shape::Random => "random",
            Shape::Sorted => "sorted",
            Shape::Reversed => "reversed",
            Shape::FewDistinct => "few-distinct",
        })
    }
}

/// `n` numbers of the given shape.
pub fn input(shape: Shape, n: usize) -> Vec<u64> {
    let mut rng = Rng::new(n as u64);
    match shape {
        Shape::Random => (0..n).map(|_| rng.next_u64()).collect(),
        Shape::Sorted => (0..n as u64).collect(),
        Shape::Reversed => (0..n as u64).rev().collect(),
        Shape::FewDistinct => (0..n).map(|_| rng.next_u64() % 8).collect(),
    }
}

/// A small, fixed pseudo-random generator (xorshift64*): inputs are the same on every
/// run and every machine, and the kit needs no `rand`.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Any seed but 0 works; mix it so that nearby seeds start far apart.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `bound` (> 0); the small bias of `%` does not matter here.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }
}

/// Measures `sort` on a fresh copy of `input` each time (the copy is not timed).
pub fn sort_each(b: &mut Bencher, input: &[u64], sort: fn(&mut [u64])) {
    // Small inputs are copied in batches so the timer's own cost stays out of the
    // figure; a large one is copied once a call (a batch would not fit in the caches).
    let batch = if input.len() <= 10_000 {
        BatchSize::SmallInput
    } else {
        BatchSize::LargeInput
    };
    b.iter_batched_ref(|| input.to_vec(), |v| sort(v), batch);
}

/// Adds the same routine to a [`Row`] for the reference and, when the bench crate is
/// built with its `learner` feature, for the learner's crate: `both!(row, kata =>
/// |b| b.iter(|| kata::function(..)))` names the crate under test `kata` in the routine.
/// The bench crate depends on the two under the keys `reference` and `learner`.
#[macro_export]
macro_rules! both {
    ($row:expr, $krate:ident => $routine:expr) => {{
        {
            use reference as $krate;
            $row.reference($routine);
        }
        #[cfg(feature = "learner")]
        {
            use learner as $krate;
            $row.yours($routine);
        }
    }};
}
