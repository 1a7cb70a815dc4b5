//! Sort kata (排序): bubble, selection, insertion and quick sort.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check sort`.
//!
//! You write the `_by` forms, which take a comparator shaped like the one
//! `slice::sort_by` takes. The plain forms are done for you: they sort by `Ord`.

use std::cmp::Ordering;

/// Sorts `v` in ascending order with bubble sort (冒泡排序).
///
/// Must be stable (equal elements keep their order) and must stop as soon as a pass
/// swaps nothing.
pub fn bubble_sort<T: Ord>(v: &mut [T]) {
    bubble_sort_by(v, T::cmp);
}

/// Bubble sort with a comparator: `compare(a, b)` says how `a` orders against `b`.
pub fn bubble_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut compare;
    todo!("bubble sort a slice of {} elements", v.len())
}

/// Sorts `v` in ascending order with selection sort (选择排序).
pub fn selection_sort<T: Ord>(v: &mut [T]) {
    selection_sort_by(v, T::cmp);
}

/// Selection sort with a comparator.
pub fn selection_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut compare;
    todo!("selection sort a slice of {} elements", v.len())
}

/// Sorts `v` in ascending order with insertion sort (插入排序).
///
/// Must be stable, and must make only `n - 1` comparisons on sorted input.
pub fn insertion_sort<T: Ord>(v: &mut [T]) {
    insertion_sort_by(v, T::cmp);
}

/// Insertion sort with a comparator.
pub fn insertion_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut compare;
    todo!("insertion sort a slice of {} elements", v.len())
}

/// Sorts `v` in ascending order with quick sort (快速排序).
///
/// Must stay near `n log n` comparisons on sorted, reversed, organ-pipe and all-equal
/// input.
pub fn quick_sort<T: Ord>(v: &mut [T]) {
    quick_sort_by(v, T::cmp);
}

/// Quick sort with a comparator.
pub fn quick_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut compare;
    todo!("quick sort a slice of {} elements", v.len())
}
