//! Search kata (查找): binary search (二分查找), iterative and recursive, lower and
//! upper bound, and the first index where a condition starts to hold.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check search`.
//!
//! Every slice you are given is sorted (for the `_by` forms: sorted the way the
//! comparator sees it). The plain `binary_search` and `binary_search_recursive` are done
//! for you: they compare by `Ord` and call your `_by` forms.

use std::cmp::Ordering;
use std::ops::Range;

/// Searches the sorted slice `v` for `target`, with a loop.
///
/// Returns `Ok(i)` with `v[i] == *target` if the target is there (any of its copies),
/// or `Err(i)`, the index where `target` could be inserted keeping `v` sorted.
pub fn binary_search<T: Ord>(v: &[T], target: &T) -> Result<usize, usize> {
    binary_search_by(v, |x| x.cmp(target))
}

/// Binary search with a loop and a comparator: `compare(x)` says how the element `x`
/// orders against the target (`Less`: `x` comes before the target, `Greater`: after,
/// `Equal`: found). Answers like `slice::binary_search_by`, but returns as soon as
/// `compare` says `Equal`.
///
/// At most ⌈log2(n+1)⌉ + 1 calls of `compare` on `n` elements.
pub fn binary_search_by<T, F>(v: &[T], mut compare: F) -> Result<usize, usize>
where
    F: FnMut(&T) -> Ordering,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut compare;
    todo!("binary search a slice of {} elements with a loop", v.len())
}

/// Searches the sorted slice `v` for `target`, recursively. Same answers as
/// [`binary_search`].
pub fn binary_search_recursive<T: Ord>(v: &[T], target: &T) -> Result<usize, usize> {
    binary_search_recursive_by(v, |x| x.cmp(target))
}

/// Binary search by recursion (递归) with a comparator: same answers and the same bound
/// on calls of `compare` as [`binary_search_by`], but each step calls a function on
/// one half of the slice instead of going round a loop. The suite checks that it
/// does: each call of `compare` must come from one frame deeper in the stack than the
/// one before (a loop calls it from the same frame every time).
pub fn binary_search_recursive_by<T, F>(v: &[T], mut compare: F) -> Result<usize, usize>
where
    F: FnMut(&T) -> Ordering,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut compare;
    todo!("binary search a slice of {} elements by recursion", v.len())
}

/// Lower bound (下界): the first index whose element is not less than `target`. If
/// `target` is in `v`, that is its first copy; if not, where it would be inserted.
///
/// Equals `v.partition_point(|x| x < target)`. At most ⌈log2(n+1)⌉ + 1 comparisons.
pub fn lower_bound<T: Ord>(v: &[T], target: &T) -> usize {
    let _ = target;
    todo!("lower bound in a slice of {} elements", v.len())
}

/// Upper bound (上界): the first index whose element is greater than `target`, just
/// past its last copy.
///
/// Equals `v.partition_point(|x| x <= target)`. At most ⌈log2(n+1)⌉ + 1 comparisons.
pub fn upper_bound<T: Ord>(v: &[T], target: &T) -> usize {
    let _ = target;
    todo!("upper bound in a slice of {} elements", v.len())
}

/// Partition point (分界点): the index of the first element for which `pred` is false,
/// given that `pred` is true for a prefix of `v` and false for the rest (`v.len()` if
/// it is true everywhere). Like `slice::partition_point`.
///
/// At most ⌈log2(n+1)⌉ + 1 calls of `pred`.
pub fn partition_point<T, P>(v: &[T], mut pred: P) -> usize
where
    P: FnMut(&T) -> bool,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut pred;
    todo!("partition point of a slice of {} elements", v.len())
}

/// Binary search on an answer (二分答案): the first index `i` in `range` for which
/// `pred(i)` is true, given that `pred` is false and then true across the range (once
/// true, it stays true). `None` if it is true nowhere in the range, or if the range is
/// empty (`start >= end`, which is not an error).
///
/// `pred` may be called only with indices inside `range`, at most ⌈log2(n+1)⌉ + 1 times
/// for a range of `n` indices. The range may reach up to `usize::MAX`.
pub fn first_where<P>(range: Range<usize>, mut pred: P) -> Option<usize>
where
    P: FnMut(usize) -> bool,
{
    // `mut`, because calling an FnMut needs it; this use keeps the stub warning-free.
    let _ = &mut pred;
    todo!("find the first index in {range:?} where the predicate holds")
}
