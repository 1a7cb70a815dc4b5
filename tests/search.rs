//! The suite of the search kata (查找). It grades both `exercises/search` (your code)
//! and `solutions/search` (the reference): both crates name this file as their test.
//!
//! Test names follow `exercises/search/README.md`, "What the tests check": every
//! function has its own module (`binary_search::examples`, `bounds::...`), so a failure
//! names the function and the property that broke.
//!
//! No test here can hang on a search that never stops: comparators and predicates count
//! their calls and panic past a budget, and the `Fused` values below do the same for the
//! plain forms that compare through `Ord`.

#[path = "support/counting.rs"]
mod counting;
#[macro_use]
#[path = "support/lang.rs"]
mod lang;

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

use proptest::prelude::*;
use quickcheck_macros::quickcheck;
use rstest::rstest;

/// The most comparisons (or predicate calls) a binary search may make over `n` places:
/// ⌈log2(n+1)⌉ + 1. A search that halves the window every step needs ⌈log2(n+1)⌉; the
/// + 1 leaves room for a final equality check.
fn budget(n: usize) -> usize {
    match n.checked_add(1) {
        Some(m) => counting::ceil_log2(m) as usize + 1,
        // n + 1 = 2^64, whose log2 is 64.
        None => usize::BITS as usize + 1,
    }
}

// ---------------------------------------------------------------------------------------
// Fused values: comparisons that cannot go on for ever.
// ---------------------------------------------------------------------------------------

thread_local! {
    /// Comparisons `Fused` values may still make on this thread, and the slice length
    /// the current search started with (for the message).
    static FUEL: Cell<(usize, usize)> = const { Cell::new((usize::MAX, 0)) };
}

/// An `i32` that compares like one, but panics once a search has made far more
/// comparisons than any search should (4n + 100), so a loop that never ends fails at
/// once instead of running until the runner stops it. The exact bound on comparisons is
/// checked separately, with `counting::Counted`.
#[derive(Clone, Copy)]
struct Fused(i32);

impl Fused {
    fn all(values: &[i32]) -> Vec<Fused> {
        values.iter().copied().map(Fused).collect()
    }
}

/// Runs `search` over a slice of `n` elements with a fresh supply of comparisons.
fn fused<R>(n: usize, search: impl FnOnce() -> R) -> R {
    FUEL.set((4 * n + 100, n));
    let result = search();
    FUEL.set((usize::MAX, 0));
    result
}

impl Ord for Fused {
    fn cmp(&self, other: &Self) -> Ordering {
        let (left, n) = FUEL.get();
        assert!(
            left > 0,
            "{}",
            say!(
                "the search made more than {} comparisons on a slice of {n} elements and was \
                 stopped: a binary search needs about log2(n). Does the loop (or recursion) \
                 always shrink the window? Check the loop condition and how lo and hi move.",
                "在 {n} 个元素的切片上比较次数超过 {} 次，查找被强行停止：二分查找大约只需 log2(n) 次。循环（或递归）每次都缩小了查找区间吗？检查循环条件，以及 lo 和 hi 怎么移动。",
                4 * n + 100
            )
        );
        FUEL.set((left - 1, n));
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for Fused {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Fused {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Fused {}

impl fmt::Debug for Fused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

// ---------------------------------------------------------------------------------------
// Running and judging a search.
// ---------------------------------------------------------------------------------------

/// A `_by` search, over `i32`s, with a comparator the suite controls.
type SearchBy = fn(&[i32], &mut dyn FnMut(&i32) -> Ordering) -> Result<usize, usize>;

/// Searches `v` for `target` with a `_by` form, counting comparator calls and failing
/// the test as soon as they pass ⌈log2(n+1)⌉ + 1.
fn run_by(name: &str, search: SearchBy, v: &[i32], target: i32) -> Result<usize, usize> {
    let limit = budget(v.len());
    let mut calls = 0;
    search(v, &mut |x: &i32| {
        calls += 1;
        assert!(
            calls <= limit,
            "{}",
            say!(
                "{name} called the comparator more than {limit} times searching {} elements for \
                 {target}; a binary search needs at most ⌈log2(n+1)⌉ + 1 = {limit}. Does every \
                 step halve the window, and does the loop stop when it is empty?",
                "{name} 在 {} 个元素里查找 {target}，调用比较函数超过了 {limit} 次；二分查找最多需要 ⌈log2(n+1)⌉ + 1 = {limit} 次。每一步都把区间减半了吗？区间为空时循环停下了吗？",
                v.len()
            )
        );
        x.cmp(&target)
    })
}

/// Panics, saying what is wrong, unless `got` is a right answer to searching the sorted
/// `v` for `target`: `Ok(i)` with `v[i] == target` when it is there (any copy), and
/// otherwise exactly the insertion point `slice::binary_search` gives.
#[track_caller]
fn check_search(name: &str, v: &[i32], target: i32, got: Result<usize, usize>) {
    match (got, v.binary_search(&target)) {
        (Ok(i), Ok(_)) => assert!(
            i < v.len() && v[i] == target,
            "{}",
            say!(
                "{name} returned Ok({i}) searching for {target}, but v[{i}] is {:?}; Ok must \
                 point at a copy of the target\nv: {v:?}",
                "{name} 查找 {target} 返回了 Ok({i})，但 v[{i}] 是 {:?}；Ok 必须指向目标的一个副本\nv: {v:?}",
                v.get(i)
            )
        ),
        (Err(i), Err(expected)) => assert_eq!(
            i,
            expected,
            "{}",
            say!(
                "{name}: {target} is not in the slice, so the answer is Err(insertion point): \
                 Err({expected}) is where it would go to keep the slice sorted, not Err({i})\n\
                 v: {v:?}",
                "{name}：{target} 不在切片里，所以答案是 Err(插入位置)：Err({expected}) 是它为保持有序应插入的位置，而不是 Err({i})\nv: {v:?}"
            )
        ),
        (Ok(i), Err(expected)) => panic!(
            "{}",
            say!(
                "{name} returned Ok({i}) but {target} is not in the slice (v[{i}] is {:?}); \
                 expected Err({expected})\nv: {v:?}",
                "{name} 返回了 Ok({i})，但 {target} 不在切片里（v[{i}] 是 {:?}）；应为 Err({expected})\nv: {v:?}",
                v.get(i)
            )
        ),
        (Err(i), Ok(at)) => panic!(
            "{}",
            say!(
                "{name} returned Err({i}) but {target} is in the slice, at index {at}; expected \
                 Ok(index of a copy)\nv: {v:?}",
                "{name} 返回了 Err({i})，但 {target} 在切片里，下标为 {at}；应为 Ok(某个副本的下标)\nv: {v:?}"
            )
        ),
    }
}

/// Sorted vectors: mostly small values (many duplicates), sometimes any `i32`.
fn sorted_vec(max_len: usize) -> impl Strategy<Value = Vec<i32>> {
    prop::collection::vec(prop_oneof![3 => -20i32..20, 1 => any::<i32>()], 0..max_len).prop_map(
        |mut v| {
            v.sort();
            v
        },
    )
}

/// Targets: mostly near the small values (so they are often found), sometimes extreme.
fn target() -> impl Strategy<Value = i32> {
    prop_oneof![
        6 => -25i32..25,
        1 => any::<i32>(),
        1 => Just(i32::MIN),
        1 => Just(i32::MAX),
    ]
}

/// The shapes the exhaustive tests search: every element of each, and every gap.
fn shapes(n: usize) -> Vec<(String, Vec<i32>)> {
    let n = n as i32;
    vec![
        (
            say!("even numbers", "偶数"),
            (0..n).map(|i| 2 * i).collect(),
        ),
        (
            say!("each value three times", "每个值出现三次"),
            (0..n).map(|i| i / 3 * 2).collect(),
        ),
        (say!("all equal", "全部相等"), vec![4; n as usize]),
    ]
}

/// The sorted numbers the worked examples search.
const ODDS: [i32; 6] = [1, 3, 5, 7, 9, 11];

/// One module of tests for one binary search (the loop or the recursion): both must
/// answer the same and stay within the same number of comparisons.
macro_rules! search_suite {
    ($name:ident, $by:ident $(, $extra:item)*) => {
        mod $name {
            use super::*;

            $($extra)*

            const NAME: &str = stringify!($by);

            fn by(v: &[i32], compare: &mut dyn FnMut(&i32) -> Ordering) -> Result<usize, usize> {
                search::$by(v, compare)
            }

            #[rstest]
            #[case::empty(vec![], 5, Err(0))]
            #[case::one_found(vec![5], 5, Ok(0))]
            #[case::one_below(vec![5], 1, Err(0))]
            #[case::one_above(vec![5], 9, Err(1))]
            #[case::two_found_first(vec![2, 4], 2, Ok(0))]
            #[case::two_found_second(vec![2, 4], 4, Ok(1))]
            #[case::two_between(vec![2, 4], 3, Err(1))]
            #[case::found_at_start(ODDS.to_vec(), 1, Ok(0))]
            #[case::found_at_end(ODDS.to_vec(), 11, Ok(5))]
            #[case::found_in_middle(ODDS.to_vec(), 7, Ok(3))]
            #[case::not_found_below(ODDS.to_vec(), 0, Err(0))]
            #[case::not_found_above(ODDS.to_vec(), 12, Err(6))]
            #[case::not_found_between(ODDS.to_vec(), 6, Err(3))]
            #[case::duplicates_found(vec![1, 2, 2, 2, 2, 3], 2, Ok(1))]
            #[case::duplicates_not_found(vec![1, 1, 4, 4, 4], 2, Err(2))]
            #[case::all_equal(vec![7; 5], 7, Ok(0))]
            #[case::extremes(vec![i32::MIN, -1, 0, i32::MAX], i32::MAX, Ok(3))]
            #[case::below_extremes(vec![i32::MIN + 1, 0], i32::MIN, Err(0))]
            fn examples(
                #[case] v: Vec<i32>,
                #[case] target: i32,
                #[case] expected: Result<usize, usize>,
            ) {
                let got = run_by(NAME, by, &v, target);
                match expected {
                    // With duplicates any copy will do, so compare the values found.
                    Ok(i) => assert!(
                        matches!(got, Ok(j) if j < v.len() && v[j] == v[i]),
                        "{}", say!(
                            "searching {v:?} for {target}: expected Ok(index of a {target}), \
                             such as Ok({i}); got {got:?}",
                            "在 {v:?} 中查找 {target}：应为 Ok(某个 {target} 的下标)，例如 Ok({i})；实际得到 {got:?}",
                        )
                    ),
                    Err(e) => assert_eq!(
                        got,
                        Err(e),
                        "{}", say!(
                            "searching {v:?} for {target}: it is not there, so expected \
                             Err({e}), the place where it would go",
                            "在 {v:?} 中查找 {target}：它不在里面，所以应为 Err({e})，即它应插入的位置",
                        )
                    ),
                }
            }

            /// Every element and every gap of a few shapes and sizes, each within budget.
            #[rstest]
            fn every_target(#[values(0, 1, 2, 3, 4, 7, 8, 9, 100, 1000, 1024)] n: usize) {
                for (_shape, v) in shapes(n) {
                    let top = v.last().map_or(0, |&x| x + 1);
                    for target in -1..=top {
                        check_search(NAME, &v, target, run_by(NAME, by, &v, target));
                    }
                }
            }

            /// A binary search is over as soon as the middle element is the target: it
            /// returns that index and calls the comparator no more. (The standard library's
            /// `binary_search_by` goes on halving to the end, so calling it fails this.)
            #[rstest]
            fn stops_at_the_first_equal(#[values(1, 2, 3, 7, 8, 40, 101)] n: usize) {
                for (shape, v) in shapes(n) {
                    for &target in &v {
                        let (mut equal_at, mut calls, limit) = (None, 0, budget(n));
                        let got = by(&v, &mut |x: &i32| {
                            calls += 1;
                            assert!(
                                calls <= limit,
                                "{}", say!(
                                    "{NAME} called the comparator more than {limit} times \
                                     searching {shape} ({n} elements) for {target}; at most \
                                     ⌈log2(n+1)⌉ + 1 = {limit} allowed",
                                    "{NAME} 在 {shape}（{n} 个元素）中查找 {target}，调用比较函数超过了 {limit} 次；最多允许 ⌈log2(n+1)⌉ + 1 = {limit} 次",
                                )
                            );
                            // Where `x` sits in `v` (a `_by` search can only hand the
                            // comparator references into the slice).
                            let index = (x as *const i32 as usize)
                                .wrapping_sub(v.as_ptr() as usize)
                                / std::mem::size_of::<i32>();
                            if let Some(i) = equal_at {
                                panic!(
                                    "{}", say!(
                                        "{NAME} called the comparator again (on index {index}) \
                                         after it said Equal at index {i}, searching {shape} \
                                         ({n} elements) for {target}: once the middle element is \
                                         the target the search is over, return Ok(mid)",
                                        "{NAME} 在 {shape}（{n} 个元素）中查找 {target}：比较函数在下标 {i} 处已经返回 Equal，之后又被调用（下标 {index}）：中间元素就是目标时查找就结束了，返回 Ok(mid)",
                                    )
                                );
                            }
                            let order = x.cmp(&target);
                            if order == Ordering::Equal {
                                equal_at = Some(index);
                            }
                            order
                        });
                        assert_eq!(
                            got.ok(),
                            equal_at,
                            "{}", say!(
                                "{NAME} searching {shape} ({n} elements) for {target}: the \
                                 comparator said Equal at {equal_at:?}, so that is the answer",
                                "{NAME} 在 {shape}（{n} 个元素）中查找 {target}：比较函数在 {equal_at:?} 处返回了 Equal，那就是答案",
                            )
                        );
                    }
                }
            }

            proptest! {
                #[test]
                fn agrees_with_std(v in sorted_vec(200), target in target()) {
                    check_search(NAME, &v, target, run_by(NAME, by, &v, target));
                }

                /// The plain form through `Ord`, comparisons counted by `counting.rs`.
                #[test]
                fn comparisons_within_bound(v in sorted_vec(300), target in target()) {
                    let counter = counting::Comparisons::new();
                    let items = counter.wrap_all(Fused::all(&v));
                    let wrapped = counter.wrap(Fused(target));
                    let got = fused(v.len(), || search::$name(&items, &wrapped));
                    let limit = budget(v.len());
                    prop_assert!(
                        counter.count() <= limit,
                        "{}", say!(
                            "{} made {} comparisons on {} elements; at most ⌈log2(n+1)⌉ + 1 = {} \
                             allowed",
                            "{0} 在 {2} 个元素上比较了 {1} 次；最多允许 ⌈log2(n+1)⌉ + 1 = {3} 次",
                            stringify!($name), counter.count(), v.len(), limit,
                        )
                    );
                    check_search(stringify!($name), &v, target, got);
                }
            }

            /// Every element of the sorted slice is found, at a copy of itself.
            #[quickcheck]
            fn finds_every_element(v: Vec<i32>) -> bool {
                let mut v = v;
                v.sort();
                let items = Fused::all(&v);
                v.iter().all(|&x| {
                    let found = fused(v.len(), || search::$name(&items, &Fused(x)));
                    matches!(found, Ok(i) if v[i] == x)
                })
            }

            /// A missing value's insertion point keeps the slice sorted. (Evens are
            /// searched for an odd number, so it is always missing.)
            #[quickcheck]
            fn insertion_point_keeps_order(v: Vec<i16>, target: i16) -> bool {
                let mut v: Vec<i32> = v.into_iter().map(|x| i32::from(x) * 2).collect();
                v.sort();
                let target = i32::from(target) * 2 + 1;
                let items = Fused::all(&v);
                match fused(v.len(), || search::$name(&items, &Fused(target))) {
                    Ok(_) => false,
                    Err(i) => {
                        i <= v.len()
                            && v[..i].iter().all(|&x| x < target)
                            && v[i..].iter().all(|&x| x > target)
                    }
                }
            }
        }
    };
}

/// The stack address of a local of the comparator at each call a `_by` search makes
/// (searching `$v` for `$target`), in call order: how deep in the stack each call was
/// made from.
///
/// Unoptimised (the test profile, opt-level 0), every call is a frame of its own, so a
/// recursion shows one frame per level and a loop one frame in all. An optimising build
/// may turn a recursion whose recursive calls are tail calls into a loop (tail-call
/// elimination), but only if nothing may still point into the frame it reuses. The
/// comparator is `#[inline(always)]`, so its body and its local land in the frame of
/// the function that calls it, and the local's address escapes (`black_box`): a
/// recursion that calls the comparator as a generic keeps its frames at every
/// opt-level. One that calls it through a `&mut dyn FnMut` cannot inline it, and from
/// opt-level 1 on its tail calls become a loop, indistinguishable from a loop by any
/// probe (the machine code is one). `calls_itself` therefore checks the build on the
/// suite's own tail recursions of both kinds first, and judges only where both keep
/// their frames: always at opt-level 0. (Tried at opt-levels 0 to 3 on the reference,
/// a generic and a `dyn` tail recursion, and a loop.)
///
/// A macro, not a function: the closure must reach the search as its own type (never a
/// `&mut dyn FnMut`, which the compiler cannot inline).
macro_rules! comparator_depths {
    ($search:path, $v:expr, $target:expr) => {{
        let (v, target): (&[i32], i32) = ($v, $target);
        let limit = budget(v.len());
        // Room enough up front: growing the list inside the probe is not what it measures.
        let mut depths: Vec<usize> = Vec::with_capacity(limit + 1);
        let _ = $search(
            v,
            #[inline(always)]
            |x: &i32| {
                let here = 0u8;
                assert!(
                    depths.len() < limit,
                    "{}",
                    say!(
                        "the search called the comparator more than {limit} times on {} \
                         elements; at most ⌈log2(n+1)⌉ + 1 = {limit} allowed",
                        "查找在 {} 个元素上调用比较函数超过了 {limit} 次；最多允许 ⌈log2(n+1)⌉ + 1 = {limit} 次",
                        v.len()
                    )
                );
                depths.push(std::hint::black_box(&here) as *const u8 as usize);
                x.cmp(&target)
            },
        );
        depths
    }};
}
/// True when each call was made from deeper in the stack than the one before: every
/// address lower than the last (the stack grows down on every machine Rust targets but
/// a few; growing up, every address higher).
fn strictly_deeper_each_time(depths: &[usize]) -> bool {
    depths.windows(2).all(|w| w[1] < w[0]) || depths.windows(2).all(|w| w[1] > w[0])
}

/// The suite's own recursive search, whose recursive calls are all tail calls: what
/// `calls_itself` checks the build on.
fn tail_recursive_by<F: FnMut(&i32) -> Ordering>(
    v: &[i32],
    mut compare: F,
) -> Result<usize, usize> {
    tail_recursive_search(v, 0, v.len(), &mut compare)
}

/// The same through a `&mut dyn FnMut`: the comparator cannot be inlined into it.
fn tail_recursive_dyn_by<F: FnMut(&i32) -> Ordering>(
    v: &[i32],
    mut compare: F,
) -> Result<usize, usize> {
    fn go(
        v: &[i32],
        lo: usize,
        hi: usize,
        compare: &mut dyn FnMut(&i32) -> Ordering,
    ) -> Result<usize, usize> {
        if lo >= hi {
            return Err(lo);
        }
        let mid = lo + (hi - lo) / 2;
        match compare(&v[mid]) {
            Ordering::Less => go(v, mid + 1, hi, compare),
            Ordering::Greater => go(v, lo, mid, compare),
            Ordering::Equal => Ok(mid),
        }
    }
    go(v, 0, v.len(), &mut compare)
}

/// Searches `v[lo..hi]` and answers with indices into `v`, so that neither recursive
/// call has anything left to do after it.
fn tail_recursive_search<F: FnMut(&i32) -> Ordering>(
    v: &[i32],
    lo: usize,
    hi: usize,
    compare: &mut F,
) -> Result<usize, usize> {
    if lo >= hi {
        return Err(lo);
    }
    let mid = lo + (hi - lo) / 2;
    match compare(&v[mid]) {
        Ordering::Less => tail_recursive_search(v, mid + 1, hi, compare),
        Ordering::Greater => tail_recursive_search(v, lo, mid, compare),
        Ordering::Equal => Ok(mid),
    }
}

search_suite!(binary_search, binary_search_by);
search_suite!(
    binary_search_recursive,
    binary_search_recursive_by,
    /// Writing the search as a recursion is the exercise, and the comparator can tell:
    /// a recursion calls it once per level, each time from a frame deeper in the stack,
    /// where a loop calls it from the same frame every time. See `comparator_depths`.
    #[test]
    fn calls_itself() {
        let v: Vec<i32> = (0..1000).map(|i| 2 * i + 1).collect();
        // Missing targets, below every element (always the left half), above (always
        // the right half) and between two: each of the 1,001 places it could go takes
        // at least ten comparisons (log2 of 1,001) to tell apart.
        let targets = [0, 5000, 1000];
        // The suite's own recursions, whose recursive calls are all tail calls: the
        // shape an optimiser most readily turns into a loop, with the comparator as a
        // generic and as a `&mut dyn FnMut`. Where both still show one frame per level,
        // so does any recursion built the same way (see `comparator_depths`).
        let kept = targets.iter().all(|&target| {
            strictly_deeper_each_time(&comparator_depths!(tail_recursive_by, &v, target))
                && strictly_deeper_each_time(&comparator_depths!(tail_recursive_dyn_by, &v, target))
        });
        if !kept {
            eprintln!(
                "{}",
                say!(
                    "calls_itself: this build turned the suite's own recursion into a loop, so \
                     a recursion and a loop look the same here; nothing judged",
                    "calls_itself：这次构建把测试自己的递归优化成了循环，递归和循环在这里看起来一样；不做判断"
                )
            );
            return;
        }
        for target in targets {
            let depths = comparator_depths!(search::binary_search_recursive_by, &v, target);
            assert!(
                depths.len() >= 2,
                "{}",
                say!(
                    "binary_search_recursive_by searching {} elements for {target} (missing) \
                     called the comparator {} time(s); telling 1,001 places apart takes at least ten",
                    "binary_search_recursive_by 在 {} 个元素中查找 {target}（不在里面），只调用了 {} 次比较函数；要区分 1,001 个位置至少需要十次",
                    v.len(),
                    depths.len()
                )
            );
            let offsets: Vec<usize> = depths.iter().map(|&d| d.abs_diff(depths[0])).collect();
            assert!(
                strictly_deeper_each_time(&depths),
                "{}",
                say!(
                    "binary_search_recursive_by searching {} elements for {target}: a recursion \
                     calls the comparator from one frame deeper in the stack at every step, but \
                     these calls came from {offsets:?} bytes below the first one. The same place \
                     every time is a loop (or a call to binary_search_by): write it as a function \
                     that compares the middle element, then calls itself on one half.",
                    "binary_search_recursive_by 在 {} 个元素中查找 {target}：递归每一步都从栈里更深一层的帧调用比较函数，可这些调用离第一次调用分别是 {offsets:?} 字节。每次都在同一个地方，那就是循环（或者调用了 binary_search_by）：把它写成一个先比较中间元素、再对一半调用自己的函数。",
                    v.len()
                )
            );
        }
    }
);

/// Lower bound (下界) and upper bound (上界).
mod bounds {
    use super::*;

    fn lower(v: &[i32], target: i32) -> usize {
        let items = Fused::all(v);
        fused(v.len(), || search::lower_bound(&items, &Fused(target)))
    }

    fn upper(v: &[i32], target: i32) -> usize {
        let items = Fused::all(v);
        fused(v.len(), || search::upper_bound(&items, &Fused(target)))
    }

    #[rstest]
    #[case::empty(vec![], 3, 0, 0)]
    #[case::one_equal(vec![3], 3, 0, 1)]
    #[case::one_below(vec![3], 1, 0, 0)]
    #[case::one_above(vec![3], 5, 1, 1)]
    #[case::run_in_middle(vec![1, 3, 3, 3, 5], 3, 1, 4)]
    #[case::run_at_start(vec![2, 2, 2, 7], 2, 0, 3)]
    #[case::run_at_end(vec![1, 4, 4], 4, 1, 3)]
    #[case::all_equal(vec![6; 5], 6, 0, 5)]
    #[case::missing_between(vec![1, 3, 3, 5], 4, 3, 3)]
    #[case::missing_below(vec![1, 3, 3, 5], 0, 0, 0)]
    #[case::missing_above(vec![1, 3, 3, 5], 9, 4, 4)]
    #[case::extremes(vec![i32::MIN, i32::MIN, i32::MAX], i32::MIN, 0, 2)]
    fn examples(
        #[case] v: Vec<i32>,
        #[case] target: i32,
        #[case] expected_lower: usize,
        #[case] expected_upper: usize,
    ) {
        assert_eq!(
            lower(&v, target),
            expected_lower,
            "{}",
            say!(
                "lower_bound of {target} in {v:?}: the first index whose element is not less \
                 than {target} is {expected_lower}",
                "{v:?} 中 {target} 的 lower_bound：第一个不小于 {target} 的元素下标是 {expected_lower}"
            )
        );
        assert_eq!(
            upper(&v, target),
            expected_upper,
            "{}",
            say!(
                "upper_bound of {target} in {v:?}: the first index whose element is greater \
                 than {target} is {expected_upper}",
                "{v:?} 中 {target} 的 upper_bound：第一个大于 {target} 的元素下标是 {expected_upper}"
            )
        );
    }

    proptest! {
        /// The same answers as std's `partition_point`, within the comparison budget.
        #[test]
        fn agree_with_partition_point(v in sorted_vec(300), target in target()) {
            let counter = counting::Comparisons::new();
            let items = counter.wrap_all(Fused::all(&v));
            let wrapped = counter.wrap(Fused(target));
            let limit = budget(v.len());

            let got = fused(v.len(), || search::lower_bound(&items, &wrapped));
            let expected = v.partition_point(|&x| x < target);
            prop_assert_eq!(got, expected,
                "{}", say!(
                    "lower_bound of {} must be v.partition_point(|x| x < target) = {}\nv: {:?}",
                    "{} 的 lower_bound 必须等于 v.partition_point(|x| x < target) = {}\nv: {:?}",
                    target, expected, v,
                ));
            prop_assert!(counter.count() <= limit,
                "{}", say!(
                    "lower_bound made {} comparisons on {} elements; at most ⌈log2(n+1)⌉ + 1 = {}",
                    "lower_bound 在 {1} 个元素上比较了 {0} 次；最多 ⌈log2(n+1)⌉ + 1 = {2} 次",
                    counter.count(), v.len(), limit,
                ));

            counter.reset();
            let got = fused(v.len(), || search::upper_bound(&items, &wrapped));
            let expected = v.partition_point(|&x| x <= target);
            prop_assert_eq!(got, expected,
                "{}", say!(
                    "upper_bound of {} must be v.partition_point(|x| x <= target) = {}\nv: {:?}",
                    "{} 的 upper_bound 必须等于 v.partition_point(|x| x <= target) = {}\nv: {:?}",
                    target, expected, v,
                ));
            prop_assert!(counter.count() <= limit,
                "{}", say!(
                    "upper_bound made {} comparisons on {} elements; at most ⌈log2(n+1)⌉ + 1 = {}",
                    "upper_bound 在 {1} 个元素上比较了 {0} 次；最多 ⌈log2(n+1)⌉ + 1 = {2} 次",
                    counter.count(), v.len(), limit,
                ));
        }

        /// With long runs of equal values, lower_bound finds the first copy of the
        /// target and upper_bound the place just after the last.
        #[test]
        fn find_the_ends_of_a_run(
            runs in prop::collection::vec((0i32..6, 1usize..40), 1..8),
            pick in any::<prop::sample::Index>(),
        ) {
            let mut v: Vec<i32> = runs.iter().flat_map(|&(x, k)| std::iter::repeat_n(x, k)).collect();
            v.sort();
            let target = v[pick.index(v.len())];
            let (lo, hi) = (lower(&v, target), upper(&v, target));
            let first = v.iter().position(|&x| x == target).unwrap();
            let last = v.iter().rposition(|&x| x == target).unwrap();
            prop_assert_eq!(lo, first,
                "{}", say!(
                    "lower_bound must point at the FIRST copy of {} (index {}), not just any copy\nv: {:?}",
                    "lower_bound 必须指向 {} 的第一个副本（下标 {}），而不是随便哪个副本\nv: {:?}",
                    target, first, v,
                ));
            prop_assert_eq!(hi, last + 1,
                "{}", say!(
                    "upper_bound must point just past the LAST copy of {} (index {} + 1)\nv: {:?}",
                    "upper_bound 必须指向 {} 的最后一个副本之后（下标 {} + 1）\nv: {:?}",
                    target, last, v,
                ));
        }
    }

    /// A long run of equal values costs no more than any other slice: finding a copy and
    /// then stepping along the run to its end is right, but linear.
    #[rstest]
    fn comparisons_on_long_runs(#[values(10, 100, 1000, 4096)] n: usize) {
        // A run of n sevens between a one and a nine.
        let v: Vec<i32> = std::iter::once(1)
            .chain(std::iter::repeat_n(7, n))
            .chain(std::iter::once(9))
            .collect();
        let limit = budget(v.len());
        let counter = counting::Comparisons::new();
        let items = counter.wrap_all(Fused::all(&v));
        let seven = counter.wrap(Fused(7));
        for (name, bound, want) in [
            ("lower_bound", search::lower_bound as fn(&_, &_) -> usize, 1),
            ("upper_bound", search::upper_bound, n + 1),
        ] {
            counter.reset();
            let got = fused(v.len(), || bound(&items, &seven));
            assert_eq!(
                got,
                want,
                "{}",
                say!(
                    "{name} of 7 in [1, 7 × {n}, 9] should be {want}",
                    "在 [1, 7 × {n}, 9] 中 7 的 {name} 应为 {want}"
                )
            );
            assert!(
                counter.count() <= limit,
                "{}",
                say!(
                    "{name} of 7 in [1, 7 × {n}, 9] made {} comparisons; at most ⌈log2(n+1)⌉ + 1 = \
                     {limit} allowed. Stepping along the run of sevens one by one is linear: \
                     search for the edge of the run instead",
                    "在 [1, 7 × {n}, 9] 中求 7 的 {name} 比较了 {} 次；最多允许 ⌈log2(n+1)⌉ + 1 = {limit} 次。沿着一串 7 逐个往前走是线性的：应该用二分查找这串 7 的边界",
                    counter.count()
                )
            );
        }
    }

    /// upper_bound - lower_bound counts the copies of the target.
    #[quickcheck]
    fn count_is_upper_minus_lower(v: Vec<u8>, target: u8) -> bool {
        let mut v: Vec<i32> = v.into_iter().map(|x| i32::from(x % 16)).collect();
        v.sort();
        let target = i32::from(target % 18);
        let (lo, hi) = (lower(&v, target), upper(&v, target));
        lo <= hi && hi - lo == v.iter().filter(|&&x| x == target).count()
    }

    /// A table of bounds for one slice; every correct implementation prints exactly this.
    #[test]
    fn bounds_table_snapshot() {
        let v = [1, 3, 3, 3, 5, 8, 8, 13];
        let mut table =
            format!("v = {v:?}\n\ntarget  lower_bound  upper_bound  copies  binary_search\n");
        for target in 0..=14 {
            let (lo, hi) = (lower(&v, target), upper(&v, target));
            let items = Fused::all(&v);
            // Which copy binary_search finds may differ; whether it finds one may not.
            let found = match fused(v.len(), || search::binary_search(&items, &Fused(target))) {
                Ok(_) => "found".to_string(),
                Err(i) => format!("Err({i})"),
            };
            table += &format!(
                "{target:>6}  {lo:>11}  {hi:>11}  {:>6}  {found}\n",
                hi.saturating_sub(lo)
            );
        }
        insta::assert_snapshot!("bounds_table", table);
    }
}

/// Partition point (分界点): the first element for which the predicate fails.
mod partition_point {
    use super::*;

    /// Runs `partition_point` with `pred`, failing past the call budget.
    fn run<T: fmt::Debug>(v: &[T], mut pred: impl FnMut(&T) -> bool) -> usize {
        let limit = budget(v.len());
        let mut calls = 0;
        search::partition_point(v, |x| {
            calls += 1;
            assert!(
                calls <= limit,
                "{}",
                say!(
                    "partition_point called the predicate more than {limit} times on {} elements; \
                     at most ⌈log2(n+1)⌉ + 1 = {limit} allowed",
                    "partition_point 在 {} 个元素上调用谓词超过了 {limit} 次；最多允许 ⌈log2(n+1)⌉ + 1 = {limit} 次",
                    v.len()
                )
            );
            pred(x)
        })
    }

    #[rstest]
    #[case::empty(vec![], 0)]
    #[case::all_true(vec![1, 2, 3], 3)]
    #[case::all_false(vec![5, 6, 7], 0)]
    #[case::one_true(vec![1], 1)]
    #[case::one_false(vec![9], 0)]
    #[case::in_the_middle(vec![1, 2, 3, 4, 5, 6, 7], 4)]
    #[case::last_fails(vec![1, 2, 3, 4, 4, 4, 9], 6)]
    fn examples(#[case] v: Vec<i32>, #[case] expected: usize) {
        let got = run(&v, |&x| x < 5);
        assert_eq!(
            got,
            expected,
            "{}",
            say!(
                "partition_point({v:?}, |x| x < 5): the first element that is not < 5 is at \
                 index {expected}",
                "partition_point({v:?}, |x| x < 5)：第一个不满足 < 5 的元素下标是 {expected}"
            )
        );
    }

    /// The predicate need not be a comparison: any "true, then false" split works.
    #[test]
    fn evens_then_odds() {
        let v = [2, 8, 4, 6, 0, 3, 1, 7];
        assert_eq!(
            run(&v, |x| x % 2 == 0),
            5,
            "{}",
            say!(
                "in {v:?} the evens come first and the first odd number is at index 5",
                "在 {v:?} 中偶数在前，第一个奇数的下标是 5"
            )
        );
    }

    proptest! {
        #[test]
        fn agrees_with_std(v in sorted_vec(300), target in target()) {
            let got = run(&v, |&x| x < target);
            let expected = v.partition_point(|&x| x < target);
            prop_assert_eq!(got, expected,
                "{}", say!(
                    "partition_point(v, |x| x < {}) should be {}\nv: {:?}",
                    "partition_point(v, |x| x < {}) 应为 {}\nv: {:?}",
                    target, expected, v,
                ));
        }

        /// Any split point of any length, with elements that are not numbers.
        #[test]
        fn finds_any_split(len in 0usize..2000, split in any::<prop::sample::Index>()) {
            let split = split.index(len + 1);
            let v: Vec<bool> = (0..len).map(|i| i < split).collect();
            prop_assert_eq!(run(&v, |&b| b), split,
                "{}", say!(
                    "{} trues then {} falses: the first false is at index {}",
                    "{} 个 true 之后是 {} 个 false：第一个 false 的下标是 {}",
                    split, len - split, split,
                ));
        }
    }
}

/// Binary search on an answer (二分答案): the first index in a range where a monotone
/// predicate holds.
mod first_where {
    use super::*;

    /// Runs `first_where(range, |i| i >= threshold)`, failing if the predicate is called
    /// outside the range or more than the budget allows.
    fn run(range: Range<usize>, threshold: usize) -> Option<usize> {
        let limit = budget(range.end.saturating_sub(range.start));
        let mut calls = 0;
        let inside = range.clone();
        search::first_where(range, |i| {
            assert!(
                inside.contains(&i),
                "{}",
                say!(
                    "first_where called the predicate with {i}, outside the range {inside:?}",
                    "first_where 用 {i} 调用了谓词，超出了范围 {inside:?}"
                )
            );
            calls += 1;
            assert!(
                calls <= limit,
                "{}",
                say!(
                    "first_where called the predicate more than {limit} times on the range \
                     {inside:?}; at most ⌈log2(n+1)⌉ + 1 = {limit} allowed",
                    "first_where 在范围 {inside:?} 上调用谓词超过了 {limit} 次；最多允许 ⌈log2(n+1)⌉ + 1 = {limit} 次"
                )
            );
            i >= threshold
        })
    }

    /// What `run` must return.
    fn expected(range: &Range<usize>, threshold: usize) -> Option<usize> {
        let first = threshold.max(range.start);
        (first < range.end).then_some(first)
    }

    const MAX: usize = usize::MAX;

    #[rstest]
    #[case::empty(5..5, 0, None)]
    #[case::empty_at_zero(0..0, 0, None)]
    #[case::inverted(Range { start: 7, end: 3 }, 0, None)]
    #[case::one_true(4..5, 4, Some(4))]
    #[case::one_false(4..5, 5, None)]
    #[case::true_everywhere(10..20, 0, Some(10))]
    #[case::true_nowhere(10..20, 20, None)]
    #[case::true_from_the_last(10..20, 19, Some(19))]
    #[case::true_from_the_middle(10..20, 15, Some(15))]
    #[case::top_of_usize(MAX - 1..MAX, 0, Some(MAX - 1))]
    fn examples(
        #[case] range: Range<usize>,
        #[case] threshold: usize,
        #[case] want: Option<usize>,
    ) {
        let got = run(range.clone(), threshold);
        assert_eq!(
            got,
            want,
            "{}",
            say!(
                "first_where({range:?}, |i| i >= {threshold}) should be {want:?}",
                "first_where({range:?}, |i| i >= {threshold}) 应为 {want:?}"
            )
        );
    }

    /// Indices near `usize::MAX`: `(lo + hi) / 2` overflows here (a panic in a debug
    /// build, a wrong middle in a release build). `lo + (hi - lo) / 2` does not.
    #[rstest]
    #[case::whole_usize_answer_near_top(0..MAX, MAX - 2)]
    #[case::whole_usize_answer_just_past_half(0..MAX, MAX / 2 + 1)]
    #[case::whole_usize_answer_at_one(0..MAX, 1)]
    #[case::whole_usize_no_answer(0..MAX, MAX)]
    #[case::upper_half(MAX / 2..MAX, MAX - 1)]
    #[case::last_few(MAX - 10..MAX, MAX - 4)]
    fn huge_range_near_usize_max(#[case] range: Range<usize>, #[case] threshold: usize) {
        let want = expected(&range, threshold);
        let got = run(range.clone(), threshold);
        assert_eq!(
            got,
            want,
            "{}",
            say!(
                "first_where({range:?}, |i| i >= {threshold}) should be {want:?}. Near \
                 usize::MAX, lo + hi does not fit in a usize: compute the middle as \
                 lo + (hi - lo) / 2",
                "first_where({range:?}, |i| i >= {threshold}) 应为 {want:?}。接近 usize::MAX 时 lo + hi 会超出 usize：中点要算成 lo + (hi - lo) / 2"
            )
        );
    }

    /// The integer square root by binary search: the first x with x * x > n, minus one.
    #[rstest]
    #[case(0, 0)]
    #[case(1, 1)]
    #[case(3, 1)]
    #[case(4, 2)]
    #[case(99, 9)]
    #[case(100, 10)]
    #[case(1_000_000, 1000)]
    #[case(u64::MAX as usize, 4_294_967_295)]
    fn integer_square_root(#[case] n: usize, #[case] root: usize) {
        let mut calls = 0;
        let first_too_big = search::first_where(0..n.saturating_add(2), |x| {
            calls += 1;
            assert!(
                calls <= 70,
                "{}",
                say!(
                    "first_where called the predicate more than 70 times",
                    "first_where 调用谓词超过了 70 次"
                )
            );
            x.checked_mul(x).is_none_or(|square| square > n)
        });
        assert_eq!(
            first_too_big.map(|x| x - 1),
            Some(root),
            "{}",
            say!(
                "the first x with x * x > {n} is {} (so the square root is {root})",
                "第一个满足 x * x > {n} 的 x 是 {}（所以平方根是 {root}）",
                root + 1
            )
        );
    }

    proptest! {
        #[test]
        fn agrees_with_a_scan(
            start in prop_oneof![0usize..2000, (MAX - 2000)..MAX],
            len in 0usize..1500,
            offset in 0usize..1600,
        ) {
            let end = start.saturating_add(len);
            let threshold = start.saturating_add(offset).saturating_sub(50);
            let range = start..end;
            prop_assert_eq!(run(range.clone(), threshold), expected(&range, threshold),
                "first_where({:?}, |i| i >= {})", range, threshold);
        }

        /// A range whose start is past its end is empty: the answer is `None`, and the
        /// predicate must not be called (with any index).
        #[test]
        fn inverted_range_is_empty(end in 0usize..1000, gap in 1usize..1000) {
            let start = end + gap;
            prop_assert_eq!(run(start..end, 0), None,
                "{}", say!(
                    "the range {}..{} is empty, so no index in it satisfies anything",
                    "范围 {}..{} 是空的，所以其中没有任何下标满足条件",
                    start, end,
                ));
        }
    }
}
