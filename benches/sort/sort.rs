//! The sort kata (排序): each algorithm against the standard library's two sorts on the
//! same input. The stable sorts (bubble, insertion) take `slice::sort` as their baseline,
//! the unstable ones (selection, quick) `slice::sort_unstable`; the other std sort is
//! measured beside it.
//!
//! The simple sorts take O(n²) steps, so they are measured at sizes where they finish
//! in a blink (100 and 1000 on random input, 1000 on the other shapes); quick sort at
//! 1000 and 100,000 and, on random input, 1,000,000 elements.

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{Row, Shape, input, sort_each};

/// One algorithm: its name, its std counterpart, the reference's and the learner's.
struct Algorithm {
    name: &'static str,
    std: (&'static str, fn(&mut [u64])),
    reference: fn(&mut [u64]),
    #[cfg(feature = "learner")]
    yours: fn(&mut [u64]),
    sizes: &'static [usize],
}

const SIMPLE_SIZES: &[usize] = &[100, 1000];
const QUICK_SIZES: &[usize] = &[1000, 100_000];
const STABLE: (&str, fn(&mut [u64])) = ("slice::sort", <[u64]>::sort);
const UNSTABLE: (&str, fn(&mut [u64])) = ("slice::sort_unstable", <[u64]>::sort_unstable);

fn algorithms() -> [Algorithm; 4] {
    [
        Algorithm {
            name: "quick_sort",
            std: UNSTABLE,
            reference: reference::quick_sort,
            #[cfg(feature = "learner")]
            yours: learner::quick_sort,
            sizes: QUICK_SIZES,
        },
        Algorithm {
            name: "insertion_sort",
            std: STABLE,
            reference: reference::insertion_sort,
            #[cfg(feature = "learner")]
            yours: learner::insertion_sort,
            sizes: SIMPLE_SIZES,
        },
        Algorithm {
            name: "selection_sort",
            std: UNSTABLE,
            reference: reference::selection_sort,
            #[cfg(feature = "learner")]
            yours: learner::selection_sort,
            sizes: SIMPLE_SIZES,
        },
        Algorithm {
            name: "bubble_sort",
            std: STABLE,
            reference: reference::bubble_sort,
            #[cfg(feature = "learner")]
            yours: learner::bubble_sort,
            sizes: SIMPLE_SIZES,
        },
    ]
}

fn row(c: &mut Criterion, algorithm: &Algorithm, shape: Shape, n: usize) {
    let data = input(shape, n);
    let (std_name, std_sort) = algorithm.std;
    // The other std sort too: the table shows it against the first, the row's baseline.
    let (other_name, other_sort) = if algorithm.std.0 == STABLE.0 {
        UNSTABLE
    } else {
        STABLE
    };
    let mut row = Row::new(c, algorithm.name, format!("{shape} {n}"));
    row.std(std_name, |b| sort_each(b, &data, std_sort));
    row.std(other_name, |b| sort_each(b, &data, other_sort));
    row.reference(|b| sort_each(b, &data, algorithm.reference));
    #[cfg(feature = "learner")]
    row.yours(|b| sort_each(b, &data, algorithm.yours));
}

fn sorts(c: &mut Criterion) {
    for algorithm in &algorithms() {
        for shape in Shape::ALL {
            for &n in algorithm.sizes {
                // The simple sorts' growth shows on random input; the other shapes,
                // where each has its best and worst case, at the larger size only.
                let simple = algorithm.name != "quick_sort";
                if simple && shape != Shape::Random && n != SIMPLE_SIZES[1] {
                    continue;
                }
                row(c, algorithm, shape, n);
            }
        }
        if algorithm.name == "quick_sort" {
            // The reference's target: within 2× of sort_unstable here (release build).
            row(c, algorithm, Shape::Random, 1_000_000);
        }
    }
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = sorts
}
criterion_main!(benches);
