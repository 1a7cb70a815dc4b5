//! The search kata (查找): each search against the standard library's on the same
//! sorted numbers. A call of the benchmark is 1000 lookups (half of them of numbers
//! that are there, half of numbers that are not), so the figures are per 1000.

use std::hint::black_box;

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{Rng, both, row};

const LOOKUPS: usize = 1000;

/// `n` sorted numbers (even ones, so the odd numbers between them are absent) and the
/// numbers to look up among them.
fn data(n: usize) -> (Vec<u64>, Vec<u64>) {
    let v: Vec<u64> = (0..n as u64).map(|i| 2 * i).collect();
    let mut rng = Rng::new(7);
    let targets = (0..LOOKUPS).map(|_| rng.below(2 * n as u64)).collect();
    (v, targets)
}

fn searches(c: &mut Criterion) {
    for n in [1000, 1_000_000] {
        let (v, targets) = data(n);
        let (v, targets) = (&v[..], &targets[..]);
        let case = format!("{LOOKUPS} in {n}");

        row(c, "binary_search", &case, |row| {
            row.std("slice::binary_search", |b| {
                b.iter(|| {
                    targets
                        .iter()
                        .map(|t| black_box(v).binary_search(t).unwrap_or_else(|i| i))
                        .sum::<usize>()
                })
            });
            both!(row, kata => |b| b.iter(|| {
                targets
                    .iter()
                    .map(|t| kata::binary_search(black_box(v), t).unwrap_or_else(|i| i))
                    .sum::<usize>()
            }));
        });

        row(c, "binary_search_recursive", &case, |row| {
            row.std("slice::binary_search", |b| {
                b.iter(|| {
                    targets
                        .iter()
                        .map(|t| black_box(v).binary_search(t).unwrap_or_else(|i| i))
                        .sum::<usize>()
                })
            });
            both!(row, kata => |b| b.iter(|| {
                targets
                    .iter()
                    .map(|t| kata::binary_search_recursive(black_box(v), t).unwrap_or_else(|i| i))
                    .sum::<usize>()
            }));
        });

        row(c, "lower_bound", &case, |row| {
            row.std("slice::partition_point", |b| {
                b.iter(|| {
                    targets
                        .iter()
                        .map(|t| black_box(v).partition_point(|x| x < t))
                        .sum::<usize>()
                })
            });
            both!(row, kata => |b| b.iter(|| {
                targets.iter().map(|t| kata::lower_bound(black_box(v), t)).sum::<usize>()
            }));
        });

        row(c, "upper_bound", &case, |row| {
            row.std("slice::partition_point", |b| {
                b.iter(|| {
                    targets
                        .iter()
                        .map(|t| black_box(v).partition_point(|x| x <= t))
                        .sum::<usize>()
                })
            });
            both!(row, kata => |b| b.iter(|| {
                targets.iter().map(|t| kata::upper_bound(black_box(v), t)).sum::<usize>()
            }));
        });

        row(c, "partition_point", &case, |row| {
            row.std("slice::partition_point", |b| {
                b.iter(|| {
                    targets
                        .iter()
                        .map(|t| black_box(v).partition_point(|x| x < t))
                        .sum::<usize>()
                })
            });
            both!(row, kata => |b| b.iter(|| {
                targets.iter().map(|t| kata::partition_point(black_box(v), |x| x < t)).sum::<usize>()
            }));
        });
    }
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = searches
}
criterion_main!(benches);
