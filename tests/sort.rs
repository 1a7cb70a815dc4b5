//! The suite of the sort kata (排序). It grades both `exercises/sort` (your code) and
//! `solutions/sort` (the reference): both crates name this file as their test.
//!
//! Test names follow `exercises/sort/README.md`, "What the tests check": every
//! algorithm has its own module (`bubble_sort::examples`, `quick_sort::...`), so a
//! failure names the algorithm and the property that broke.

#[path = "support/counting.rs"]
mod counting;
#[macro_use]
#[path = "support/lang.rs"]
mod lang;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Debug;

use proptest::prelude::*;

/// Panics, saying exactly what is wrong, unless `output` is `input` in ascending order.
/// Compares multisets (how many times each value occurs), so a lost or duplicated
/// element is caught even when the output is in order. `#[track_caller]`: a failure
/// points at the test's line, not at this helper.
#[track_caller]
fn assert_sorted_permutation<T: Ord + Debug>(input: &[T], output: &[T]) {
    assert_eq!(
        output.len(),
        input.len(),
        "{}",
        say!(
            "the output has {} elements but the input had {}",
            "输出有 {} 个元素，输入却有 {} 个",
            output.len(),
            input.len()
        )
    );
    let mut balance: BTreeMap<&T, isize> = BTreeMap::new();
    for x in input {
        *balance.entry(x).or_default() += 1;
    }
    for x in output {
        *balance.entry(x).or_default() -= 1;
    }
    if let Some((value, diff)) = balance.iter().find(|(_, diff)| **diff != 0) {
        let how = if *diff > 0 {
            say!("lost", "丢失了")
        } else {
            say!("invented", "多出了")
        };
        panic!(
            "{}",
            say!(
                "the output is not a permutation of the input: {how} {} copy(ies) of {value:?}\n\
                 input:  {input:?}\noutput: {output:?}",
                "输出不是输入的一个排列：{how} {} 个 {value:?}\n输入：{input:?}\n输出：{output:?}",
                diff.abs()
            )
        );
    }
    if let Some(i) = (1..output.len()).find(|&i| output[i - 1] > output[i]) {
        panic!(
            "{}",
            say!(
                "the output is not in order: output[{}] = {:?} comes before output[{i}] = {:?}\n\
                 input:  {input:?}\noutput: {output:?}",
                "输出没有排好序：output[{}] = {:?} 排在 output[{i}] = {:?} 前面\n输入：{input:?}\n输出：{output:?}",
                i - 1,
                output[i - 1],
                output[i]
            )
        );
    }
}

/// Sorts a copy of `input` with `sort` and checks the result.
#[track_caller]
fn check<T: Ord + Debug + Clone>(sort: fn(&mut [T]), input: &[T]) {
    let mut output = input.to_vec();
    sort(&mut output);
    assert_sorted_permutation(input, &output);
}

/// Counts the comparisons one `_by` sort makes on a copy of `input`.
#[track_caller]
fn comparisons<F>(sort_by: F, input: &[i32]) -> usize
where
    F: Fn(&mut [i32], &mut dyn FnMut(&i32, &i32) -> Ordering),
{
    let mut v = input.to_vec();
    let mut count = 0;
    sort_by(&mut v, &mut |a: &i32, b: &i32| {
        count += 1;
        a.cmp(b)
    });
    assert_sorted_permutation(input, &v);
    count
}

/// n(n-1)/2: the number of pairs, the most comparisons a simple sort should need.
fn pairs(n: usize) -> usize {
    n * n.saturating_sub(1) / 2
}

/// The inversions (逆序对) of `v`: pairs `i < j` with `v[i] > v[j]`. A sort that only
/// swaps out-of-order neighbours (bubble, insertion) removes exactly one with each swap,
/// and each swap follows a comparison, so it needs at least this many comparisons.
fn inversions(v: &[i32]) -> usize {
    (0..v.len())
        .map(|i| v[i + 1..].iter().filter(|&&x| v[i] > x).count())
        .sum()
}

/// Input shapes that defeat naive quick sorts.
fn hard_shapes(n: usize) -> Vec<(String, Vec<i32>)> {
    let n = n as i32;
    let organ_pipe = (0..n / 2).chain((0..n - n / 2).rev()).collect();
    vec![
        (say!("sorted", "已排序"), (0..n).collect()),
        (say!("reversed", "逆序"), (0..n).rev().collect()),
        (say!("all equal", "全部相等"), vec![7; n as usize]),
        (say!("organ pipe", "先升后降"), organ_pipe),
        (
            say!("two values", "只有两种值"),
            (0..n).map(|i| i % 2).collect(),
        ),
    ]
}

/// The words a worked example sorts: English and Chinese, upper and lower case, repeats.
const WORDS: [&str; 9] = [
    "pear", "apple", "梨", "banana", "Apple", "苹果", "apple", "", "香蕉",
];

/// The numbers the course sorts in its examples, with a repeat and negatives added.
const COURSE_NUMBERS: [i32; 12] = [35, 12, 99, 18, 76, -3, 12, 0, 54, 88, 23, -41];

/// One module of tests for one algorithm. Every algorithm must meet these; the
/// algorithm-specific ones (stability, comparison counts) follow below.
macro_rules! sort_suite {
    ($name:ident, $sort_by:ident) => {
        mod $name {
            use super::*;
            use quickcheck_macros::quickcheck;
            use rstest::rstest;

            #[rstest]
            #[case::empty(vec![])]
            #[case::one(vec![7])]
            #[case::two_in_order(vec![1, 2])]
            #[case::two_swapped(vec![2, 1])]
            #[case::three(vec![2, 3, 1])]
            #[case::sorted(vec![1, 2, 3, 4, 5, 6, 7])]
            #[case::reversed(vec![7, 6, 5, 4, 3, 2, 1])]
            #[case::duplicates(vec![3, 1, 3, 2, 1, 3, 2])]
            #[case::all_equal(vec![4, 4, 4, 4])]
            #[case::negatives(vec![0, -5, 12, -1, -5, 8])]
            #[case::extremes(vec![i32::MAX, 0, i32::MIN, -1, i32::MAX])]
            #[case::course_numbers(COURSE_NUMBERS.to_vec())]
            fn examples(#[case] input: Vec<i32>) {
                check(sort::$name, &input);
            }

            #[test]
            fn sorts_strings() {
                let input: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
                check(sort::$name, &input);
            }

            #[test]
            fn course_example_snapshot() {
                let mut numbers = COURSE_NUMBERS;
                sort::$name(&mut numbers);
                let mut words = WORDS;
                sort::$name(&mut words);
                // Every correct sort gives exactly this, so all four share one snapshot.
                insta::assert_snapshot!(
                    "course_example",
                    format!("numbers: {numbers:?}\nwords:   {words:?}")
                );
            }

            // Up to 64 elements (40 with a comparator): a learner's unoptimised
            // quadratic sort spends the check's time here, and the mistakes these
            // tests catch show on short vectors (every mutant in tests/mutants/sort is
            // still rejected). Longer inputs are the `comparisons` module's (4096) and
            // quickcheck's (up to 100).
            proptest! {
                #[test]
                fn sorts_any_vec(input in prop::collection::vec(prop_oneof![-20i32..20, any::<i32>()], 0..64)) {
                    check(sort::$name, &input);
                }

                #[test]
                fn sorts_by_reversed_comparator(input in prop::collection::vec(-50i32..50, 0..40)) {
                    let mut output = input.clone();
                    sort::$sort_by(&mut output, |a, b| b.cmp(a));
                    let mut expected = input.clone();
                    expected.sort_by(|a, b| b.cmp(a));
                    prop_assert_eq!(output, expected, "{}", say!(
                        "sorting by `|a, b| b.cmp(a)` must give descending order",
                        "按 `|a, b| b.cmp(a)` 排序应得到降序",
                    ));
                }

                #[test]
                fn sorts_by_key_only(input in prop::collection::vec((0u8..5, any::<u16>()), 0..40)) {
                    // The comparator looks at the key only: elements with equal keys
                    // may come out in any order, but the keys must be in order and no
                    // element may be lost.
                    let mut output = input.clone();
                    sort::$sort_by(&mut output, |a, b| a.0.cmp(&b.0));
                    let keys: Vec<u8> = output.iter().map(|p| p.0).collect();
                    let mut expected_keys: Vec<u8> = input.iter().map(|p| p.0).collect();
                    expected_keys.sort();
                    prop_assert_eq!(keys, expected_keys, "{}", say!(
                        "keys out of order",
                        "键没有按顺序排列",
                    ));
                    let (mut a, mut b) = (input.clone(), output.clone());
                    a.sort();
                    b.sort();
                    prop_assert_eq!(a, b, "{}", say!(
                        "the output is not a permutation of the input",
                        "输出不是输入的一个排列",
                    ));
                }
            }

            /// The law: sorting a copy of `input` gives what std's `sort` gives.
            #[quickcheck]
            fn agrees_with_std(input: Vec<i64>) -> bool {
                let mut ours = input.clone();
                sort::$name(&mut ours);
                let mut std = input;
                std.sort();
                ours == std
            }

            #[quickcheck]
            fn sorting_twice_changes_nothing(input: Vec<i16>) -> bool {
                let mut once = input;
                sort::$name(&mut once);
                let mut twice = once.clone();
                sort::$name(&mut twice);
                once == twice
            }
        }
    };
}

sort_suite!(bubble_sort, bubble_sort_by);
sort_suite!(selection_sort, selection_sort_by);
sort_suite!(insertion_sort, insertion_sort_by);
sort_suite!(quick_sort, quick_sort_by);

/// Stability (稳定性): sorting by key only must keep equal keys in their input order.
/// `slice::sort_by_key` is stable, so its output is the one right answer.
macro_rules! stability_test {
    ($name:ident, $sort_by:ident) => {
        proptest! {
            #[test]
            fn $name(keys in prop::collection::vec(0u8..4, 0..60)) {
                let input: Vec<(u8, usize)> = keys.into_iter().zip(0..).collect();
                let mut output = input.clone();
                sort::$sort_by(&mut output, |a, b| a.0.cmp(&b.0));
                let mut expected = input;
                expected.sort_by_key(|p| p.0);
                prop_assert_eq!(output, expected, "{}", say!(
                    "two equal keys swapped places (key, original index)",
                    "两个键相等的元素交换了位置（不稳定）（键, 原下标）",
                ));
            }
        }
    };
}

mod stability {
    use super::*;
    stability_test!(bubble_sort_is_stable, bubble_sort_by);
    stability_test!(insertion_sort_is_stable, insertion_sort_by);
}

/// Work, counted in comparisons (never timed).
mod comparisons {
    use super::*;
    use rstest::rstest;

    #[rstest]
    fn bubble_sort_stops_early_on_sorted_input(#[values(0, 1, 2, 10, 100)] n: usize) {
        let sorted: Vec<i32> = (0..n as i32).collect();
        let count = comparisons(|v, c| sort::bubble_sort_by(v, c), &sorted);
        assert_eq!(
            count,
            n.saturating_sub(1),
            "{}",
            say!(
                "on sorted input one pass with no swap proves it sorted: n - 1 comparisons",
                "已排好序的输入只需一趟、没有交换就能确认有序：n - 1 次比较"
            )
        );
    }

    /// Zero or one element is already sorted: no sort needs to compare anything (a
    /// quick sort that picks a pivot in a one-element slice compares for nothing).
    #[rstest]
    fn fewer_than_two_elements_need_no_comparison(
        #[values("bubble", "selection", "insertion", "quick")] algorithm: &str,
        #[values(0, 1)] n: usize,
    ) {
        let input: Vec<i32> = (0..n as i32).collect();
        let count = match algorithm {
            "bubble" => comparisons(|v, c| sort::bubble_sort_by(v, c), &input),
            "selection" => comparisons(|v, c| sort::selection_sort_by(v, c), &input),
            "insertion" => comparisons(|v, c| sort::insertion_sort_by(v, c), &input),
            _ => comparisons(|v, c| sort::quick_sort_by(v, c), &input),
        };
        assert_eq!(
            count,
            0,
            "{}",
            say!(
                "{algorithm}_sort_by on {n} element(s) made {count} comparisons; a slice of \
                 fewer than two elements is already sorted and needs none",
                "{algorithm}_sort_by 对 {n} 个元素做了 {count} 次比较；少于两个元素的切片本来就有序，不需要比较"
            )
        );
    }

    #[rstest]
    fn insertion_sort_is_linear_on_sorted_input(#[values(0, 1, 2, 10, 100)] n: usize) {
        let sorted: Vec<i32> = (0..n as i32).collect();
        let count = comparisons(|v, c| sort::insertion_sort_by(v, c), &sorted);
        assert_eq!(
            count,
            n.saturating_sub(1),
            "{}",
            say!(
                "on sorted input each new element needs one comparison: n - 1 in all",
                "已排好序的输入，每个新元素只需一次比较：一共 n - 1 次"
            )
        );
    }

    proptest! {
        #[test]
        fn bubble_sort_at_most_one_comparison_per_pair(input in prop::collection::vec(-30i32..30, 0..60)) {
            let count = comparisons(|v, c| sort::bubble_sort_by(v, c), &input);
            prop_assert!(count <= pairs(input.len()),
                "{}", say!(
                    "{count} comparisons for {} elements; at most n(n-1)/2 = {} (each pass can stop one place earlier)",
                    "{count} 次比较，{} 个元素；最多 n(n-1)/2 = {} 次（每一趟可以比上一趟少比较一个位置）",
                    input.len(), pairs(input.len()),
                ));
        }

        #[test]
        fn selection_sort_at_most_one_comparison_per_pair(input in prop::collection::vec(-30i32..30, 0..60)) {
            let count = comparisons(|v, c| sort::selection_sort_by(v, c), &input);
            prop_assert!(count <= pairs(input.len()),
                "{}", say!(
                    "{count} comparisons for {} elements; at most n(n-1)/2 = {}",
                    "{count} 次比较，{} 个元素；最多 n(n-1)/2 = {} 次",
                    input.len(), pairs(input.len()),
                ));
        }

        #[test]
        fn insertion_sort_at_most_one_comparison_per_pair(input in prop::collection::vec(-30i32..30, 0..60)) {
            let count = comparisons(|v, c| sort::insertion_sort_by(v, c), &input);
            prop_assert!(count <= pairs(input.len()),
                "{}", say!(
                    "{count} comparisons for {} elements; at most n(n-1)/2 = {}",
                    "{count} 次比较，{} 个元素；最多 n(n-1)/2 = {} 次",
                    input.len(), pairs(input.len()),
                ));
        }
    }

    /// Bubble sort must stop after the first pass that swaps nothing, not only when the
    /// very first pass does. Input: sorted, except that the smallest element sits at
    /// index k, so k passes (left to right) or one pass (right to left) put it in front;
    /// the next pass swaps nothing and must be the last.
    #[rstest]
    fn bubble_sort_stops_after_a_pass_without_swaps(
        #[values(1, 2, 5, 50)] k: usize,
        #[values(60, 100)] n: usize,
    ) {
        let mut input: Vec<i32> = (1..n as i32).collect();
        input.insert(k, 0);
        // k + 1 passes, each one comparison shorter than the one before.
        let bound: usize = (0..=k).map(|pass| n - 1 - pass).sum();
        let count = comparisons(|v, c| sort::bubble_sort_by(v, c), &input);
        assert!(
            count <= bound,
            "{}",
            say!(
                "{n} elements, sorted except that the smallest is at index {k}: {count} \
                 comparisons, but at most {bound} are needed ({} passes, the last of which swaps \
                 nothing). Does the sort stop after ANY pass without a swap, not just the first? \
                 And does each pass stop one element earlier than the one before (the largest \
                 elements are already in place at the end)?",
                "{n} 个元素，除了最小的在下标 {k} 处，其余都已排好：用了 {count} 次比较，但最多只需 {bound} 次（{} 趟，最后一趟没有交换）。是否在任何一趟没有交换后就停止，而不只是第一趟？每一趟是否比上一趟少走一个元素（最大的几个元素已经在末尾就位）？",
                k + 1
            )
        );
    }

    /// Bubble and insertion sort only ever swap out-of-order neighbours, one inversion
    /// at a time, so they make at least one comparison per inversion: on reversed input,
    /// every one of the n(n-1)/2 pairs. Selection sort always scans the whole unsorted
    /// tail. (A sort that merges or partitions, like `slice::sort`, makes far fewer.)
    #[rstest]
    #[case::bubble_sort("bubble_sort")]
    #[case::selection_sort("selection_sort")]
    #[case::insertion_sort("insertion_sort")]
    fn reversed_input_compares_every_pair(#[case] algorithm: &str, #[values(2, 10, 100)] n: usize) {
        let reversed: Vec<i32> = (0..n as i32).rev().collect();
        let count = match algorithm {
            "bubble_sort" => comparisons(|v, c| sort::bubble_sort_by(v, c), &reversed),
            "selection_sort" => comparisons(|v, c| sort::selection_sort_by(v, c), &reversed),
            _ => comparisons(|v, c| sort::insertion_sort_by(v, c), &reversed),
        };
        assert_eq!(
            count,
            pairs(n),
            "{}",
            say!(
                "{algorithm} on {n} elements in reverse order: every pair is out of order, so \
                 it takes exactly n(n-1)/2 = {} comparisons (is it really {algorithm}?)",
                "用 {algorithm} 给逆序的 {n} 个元素排序：每一对都是逆序对，所以正好需要 n(n-1)/2 = {} 次比较（真的是 {algorithm} 吗？）",
                pairs(n)
            )
        );
    }

    proptest! {
        #[test]
        fn bubble_sort_one_comparison_per_inversion(input in prop::collection::vec(-30i32..30, 0..60)) {
            let count = comparisons(|v, c| sort::bubble_sort_by(v, c), &input);
            let inv = inversions(&input);
            prop_assert!(count >= inv,
                "{}", say!(
                    "{} comparisons, but the input has {} inversions (pairs out of order) and each \
                     swap of neighbours fixes only one: is it really bubble sort?",
                    "{} 次比较，但输入有 {} 个逆序对，而每次交换相邻元素只能消除一个：这真的是冒泡排序吗？",
                    count, inv,
                ));
        }

        /// Insertion sort walks each element left one swap (one inversion) at a time, plus
        /// one comparison to stop: between inversions and inversions + n - 1 comparisons.
        #[test]
        fn insertion_sort_one_comparison_per_inversion(input in prop::collection::vec(-30i32..30, 0..60)) {
            let count = comparisons(|v, c| sort::insertion_sort_by(v, c), &input);
            let inv = inversions(&input);
            let most = inv + input.len().saturating_sub(1);
            prop_assert!(count >= inv,
                "{}", say!(
                    "{} comparisons, but the input has {} inversions (pairs out of order) and each \
                     step left fixes only one: is it really insertion sort?",
                    "{} 次比较，但输入有 {} 个逆序对，而每向左移一步只能消除一个：这真的是插入排序吗？",
                    count, inv,
                ));
            prop_assert!(count <= most,
                "{}", say!(
                    "{} comparisons for {} elements with {} inversions: insertion sort needs one per \
                     step left plus one to stop each walk, at most {}. Does each walk stop at the \
                     first neighbour that is not greater?",
                    "{} 次比较，{} 个元素，{} 个逆序对：插入排序每向左移一步需一次比较，每次移动结束再加一次，最多 {} 次。每次移动是否在遇到第一个不比它大的邻居时就停下？",
                    count, input.len(), inv, most,
                ));
        }

        /// Selection sort finds the smallest of m remaining elements with m - 1
        /// comparisons, whatever the input: n(n-1)/2 in all.
        #[test]
        fn selection_sort_scans_the_whole_tail(input in prop::collection::vec(-30i32..30, 0..60)) {
            let count = comparisons(|v, c| sort::selection_sort_by(v, c), &input);
            prop_assert_eq!(count, pairs(input.len()),
                "{}", say!(
                    "selection sort of {} elements: finding the smallest of the m that remain takes \
                     m - 1 comparisons, n(n-1)/2 = {} in all",
                    "对 {} 个元素做选择排序：在剩下的 m 个里找最小值需要 m - 1 次比较，一共 n(n-1)/2 = {} 次",
                    input.len(), pairs(input.len()),
                ));
        }
    }

    /// Quick sort must not go quadratic on inputs shaped to defeat a naive pivot or a
    /// partition that mishandles equal elements: at most 4·n·log2(n) comparisons.
    #[rstest]
    fn quick_sort_n_log_n_on_hard_shapes(#[values(64, 1000, 4096)] n: usize) {
        let bound = 4 * n * counting::ceil_log2(n) as usize;
        for (shape, input) in hard_shapes(n) {
            let count = comparisons(|v, c| sort::quick_sort_by(v, c), &input);
            assert!(
                count <= bound,
                "{}",
                say!(
                    "{shape} input of {n} elements took {count} comparisons; \
                     at most 4·n·log2(n) = {bound} allowed (is the pivot always the first element? \
                     are equal elements handled?)",
                    "{shape}的输入，{n} 个元素，用了 {count} 次比较；最多允许 4·n·log2(n) = {bound} 次（基准是不是总取第一个元素？相等的元素处理了吗？）"
                )
            );
        }
    }

    /// The plain forms must compare through `Ord`, as the `_by` forms do.
    #[test]
    fn plain_forms_use_ord() {
        let counter = counting::Comparisons::new();
        let mut v = counter.wrap_all([3, 1, 2]);
        sort::insertion_sort(&mut v);
        let values: Vec<i32> = v.iter().map(|c| c.value).collect();
        assert_eq!(values, [1, 2, 3]);
        assert!(
            counter.count() >= 2,
            "{}",
            say!(
                "sorting three values needs at least two comparisons",
                "给三个值排序至少需要两次比较"
            )
        );
    }
}
