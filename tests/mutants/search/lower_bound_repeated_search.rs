//! MUTANT: lower_bound finds a copy with binary_search, then binary-searches the part before it again and again until no copy is left
//! Reference solution of the search kata (查找): binary search (二分查找).
//!
//! Every search here keeps a half-open window `lo..hi` of places the answer can still
//! be, and halves it with one question per step. The plain forms (`binary_search`,
//! `binary_search_recursive`) compare by `Ord` and just call the `_by` forms.

use std::cmp::Ordering;
use std::ops::Range;

/// Searches the sorted slice `v` for `target`, with a loop.
///
/// Returns `Ok(i)` with `v[i] == *target` if the target is there (any of its copies),
/// or `Err(i)`, the index where `target` could be inserted keeping `v` sorted.
pub fn binary_search<T: Ord>(v: &[T], target: &T) -> Result<usize, usize> {
    binary_search_by(v, |x| x.cmp(target))
}

/// Binary search with a comparator: `compare(x)` says how the element `x` orders
/// against the target (`Less`: `x` comes before it). Like `slice::binary_search_by`.
pub fn binary_search_by<T, F>(v: &[T], mut compare: F) -> Result<usize, usize>
where
    F: FnMut(&T) -> Ordering,
{
    // Invariant: every element of v[..lo] is Less than the target and every element of
    // v[hi..] is Greater. The window v[lo..hi] is what is left to look at.
    let (mut lo, mut hi) = (0, v.len());
    while lo < hi {
        // `lo + (hi - lo) / 2` rather than `(lo + hi) / 2`: the same middle, but it cannot
        // overflow. (For a slice it never would; for `first_where` below it can.)
        let mid = lo + (hi - lo) / 2;
        match compare(&v[mid]) {
            Ordering::Less => lo = mid + 1,
            Ordering::Greater => hi = mid,
            Ordering::Equal => return Ok(mid),
        }
    }
    // The window is empty: lo == hi is the boundary between Less and Greater.
    Err(lo)
}

/// Searches the sorted slice `v` for `target`, recursively. Same answers as
/// [`binary_search`].
pub fn binary_search_recursive<T: Ord>(v: &[T], target: &T) -> Result<usize, usize> {
    binary_search_recursive_by(v, |x| x.cmp(target))
}

/// Recursive binary search with a comparator. Same answers as [`binary_search_by`].
pub fn binary_search_recursive_by<T, F>(v: &[T], mut compare: F) -> Result<usize, usize>
where
    F: FnMut(&T) -> Ordering,
{
    // The helper takes the comparator by `&mut`, so every level of the recursion uses
    // the same closure (calling this function itself with `&mut compare` would make the
    // compiler build a new copy of it for every level).
    search_in(v, &mut compare)
}

/// One level of the recursion: one comparison, then at most one call on a half.
fn search_in<T, F>(v: &[T], compare: &mut F) -> Result<usize, usize>
where
    F: FnMut(&T) -> Ordering,
{
    if v.is_empty() {
        // Nothing left to look at: the target belongs right here.
        return Err(0);
    }
    let mid = v.len() / 2;
    match compare(&v[mid]) {
        // The target is after v[mid]. The recursive call answers with indices into the
        // right half, which starts at mid + 1 in `v`, so shift both kinds of answer.
        Ordering::Less => {
            let offset = mid + 1;
            search_in(&v[offset..], compare)
                .map(|i| i + offset)
                .map_err(|i| i + offset)
        }
        // The target is before v[mid]: the left half starts where `v` does.
        Ordering::Greater => search_in(&v[..mid], compare),
        Ordering::Equal => Ok(mid),
    }
}

/// The first index whose element is not less than `target` (下界): where the first copy
/// of `target` is, or where it would be inserted. Equals
/// `v.partition_point(|x| x < target)`.
pub fn lower_bound<T: Ord>(v: &[T], target: &T) -> usize {
    match binary_search(v, target) {
        Ok(mut first) => {
            while let Ok(earlier) = binary_search(&v[..first], target) {
                first = earlier;
            }
            first
        }
        Err(i) => i,
    }
}

/// The first index whose element is greater than `target` (上界): just past the last
/// copy of `target`. Equals `v.partition_point(|x| x <= target)`.
pub fn upper_bound<T: Ord>(v: &[T], target: &T) -> usize {
    partition_point(v, |x| x <= target)
}

/// The index of the first element for which `pred` is false, given that `pred` is true
/// for a prefix of `v` and false for the rest. Like `slice::partition_point`.
pub fn partition_point<T, P>(v: &[T], mut pred: P) -> usize
where
    P: FnMut(&T) -> bool,
{
    // "First element where pred fails" is "first index where !pred holds".
    first_where(0..v.len(), |i| !pred(&v[i])).unwrap_or(v.len())
}

/// The first index `i` in `range` for which `pred(i)` is true, given that `pred` is
/// false then true across the range (once true, it stays true). `None` if it is true
/// nowhere in the range, or if the range is empty (including `start > end`).
///
/// This is binary search on an answer (二分答案) rather than on a slice: the indices need
/// not be stored anywhere, so the range may span almost all of `usize`.
pub fn first_where<P>(range: Range<usize>, mut pred: P) -> Option<usize>
where
    P: FnMut(usize) -> bool,
{
    // Invariant: pred is false before lo, and true at hi (when hi < range.end).
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        // Here `(lo + hi) / 2` would overflow once lo and hi pass usize::MAX / 2.
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    // An inverted range never enters the loop and lands here with lo > range.end.
    (lo < range.end).then_some(lo)
}
