//! The sync kata (线程与同步互斥): `parallel_sum` on 1, 2, 4 and as many threads as the
//! machine has cores, against one plain loop (`Iterator::sum`), to show what the GIL
//! would forbid: threads that compute at the same time, each on its own core.
//!
//! Two kinds of items. Plain `u64`s take a nanosecond or less each, so their sum soon
//! waits on memory rather than on the cores. `Mixed` numbers cost about as much work as
//! a small hash each, so their sum is all computing: on n idle cores, n threads should
//! take close to 1/n of one loop's time. Every call starts its threads afresh (tens of
//! microseconds each), which the larger sizes make small.

use std::hint::black_box;
use std::iter::Sum;

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{Rng, both, row};

/// A number whose addition does some mixing first: summing these keeps a core busy
/// computing rather than waiting on memory.
#[derive(Clone, Copy)]
struct Mixed(u64);

impl Mixed {
    fn mixed(self) -> u64 {
        let mut x = self.0;
        for _ in 0..32 {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        }
        x
    }
}

impl Sum for Mixed {
    fn sum<I: Iterator<Item = Mixed>>(items: I) -> Mixed {
        Mixed(items.fold(0u64, |total, item| total.wrapping_add(item.mixed())))
    }
}

/// 1, 2, 4 and every core, without repeats, in order.
fn thread_counts() -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut counts = vec![1, 2, 4, cores];
    counts.retain(|&n| n <= cores.max(2));
    counts.sort_unstable();
    counts.dedup();
    counts
}

fn sums(c: &mut Criterion) {
    let mut rng = Rng::new(15);
    let numbers: Vec<u64> = (0..4_000_000).map(|_| rng.below(1 << 20)).collect();
    let mixed: Vec<Mixed> = numbers[..400_000].iter().map(|&n| Mixed(n)).collect();
    for threads in thread_counts() {
        row(c, "parallel_sum u64", format!("4M on {threads}"), |row| {
            row.std("Iterator::sum", |b| {
                b.iter(|| black_box(&numbers).iter().sum::<u64>())
            });
            both!(row, kata => |b| b.iter(|| {
                kata::parallel_sum(black_box(&numbers), threads).expect("a thread count in range")
            }));
        });
        row(
            c,
            "parallel_sum Mixed",
            format!("400k on {threads}"),
            |row| {
                row.std("Iterator::sum", |b| {
                    b.iter(|| black_box(&mixed).iter().copied().sum::<Mixed>().0)
                });
                both!(row, kata => |b| b.iter(|| {
                    kata::parallel_sum(black_box(&mixed), threads).expect("a thread count in range").0
                }));
            },
        );
    }
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = sums
}
criterion_main!(benches);
