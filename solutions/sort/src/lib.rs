//! Reference solution of the sort kata (排序).
//!
//! Every algorithm is written once, in its `_by` form, against a comparator
//! `FnMut(&T, &T) -> Ordering` (the same shape as `slice::sort_by`). The plain forms
//! sort by `Ord` and just pass `T::cmp`.

use std::cmp::Ordering;

/// Sorts `v` in ascending order with bubble sort (冒泡排序). Stable; stops as soon as a
/// pass swaps nothing, so already sorted input costs `n - 1` comparisons.
pub fn bubble_sort<T: Ord>(v: &mut [T]) {
    bubble_sort_by(v, T::cmp);
}

/// Bubble sort with a comparator.
pub fn bubble_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    // After each pass the largest remaining element has bubbled to the end of
    // `v[..unsorted]`, so the next pass can stop one place earlier.
    let mut unsorted = v.len();
    while unsorted > 1 {
        let mut swapped = false;
        for i in 1..unsorted {
            // Only a strictly greater left neighbour moves right: equal elements never
            // pass each other, which is what makes bubble sort stable.
            if compare(&v[i - 1], &v[i]) == Ordering::Greater {
                v.swap(i - 1, i);
                swapped = true;
            }
        }
        if !swapped {
            return;
        }
        unsorted -= 1;
    }
}

/// Sorts `v` in ascending order with selection sort (选择排序). Not stable.
pub fn selection_sort<T: Ord>(v: &mut [T]) {
    selection_sort_by(v, T::cmp);
}

/// Selection sort with a comparator.
pub fn selection_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    for start in 0..v.len() {
        // Find the smallest element of the unsorted tail and swap it to its front.
        let mut smallest = start;
        for i in start + 1..v.len() {
            if compare(&v[i], &v[smallest]) == Ordering::Less {
                smallest = i;
            }
        }
        v.swap(start, smallest);
    }
}

/// Sorts `v` in ascending order with insertion sort (插入排序). Stable; already sorted
/// input costs `n - 1` comparisons.
pub fn insertion_sort<T: Ord>(v: &mut [T]) {
    insertion_sort_by(v, T::cmp);
}

/// Insertion sort with a comparator.
pub fn insertion_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    for next in 1..v.len() {
        // Walk the new element left while its neighbour is strictly greater. Stopping at
        // an equal neighbour keeps equal elements in their original order.
        let mut i = next;
        while i > 0 && compare(&v[i - 1], &v[i]) == Ordering::Greater {
            v.swap(i - 1, i);
            i -= 1;
        }
    }
}

/// Sorts `v` in ascending order with quick sort (快速排序). Not stable. Takes
/// O(n log n) comparisons on sorted, reversed, organ-pipe and all-equal input.
pub fn quick_sort<T: Ord>(v: &mut [T]) {
    quick_sort_by(v, T::cmp);
}

/// Quick sort with a comparator.
pub fn quick_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    quick_sort_rec(v, &mut compare);
}

/// Below this length a slice is finished by insertion sort: on a handful of elements
/// its simple loop beats another round of pivots and partitions.
const SMALL: usize = 16;

fn quick_sort_rec<T, F>(mut v: &mut [T], compare: &mut F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    while v.len() > SMALL {
        let pivot = choose_pivot(v, compare);
        let (less, greater) = partition(v, pivot, compare);
        // Recurse into the smaller side and loop on the larger one: the recursion is
        // then never deeper than log2(n), whatever the pivots turn out to be.
        let (small, large) = if less.len() < greater.len() {
            (less, greater)
        } else {
            (greater, less)
        };
        quick_sort_rec(small, compare);
        v = large;
    }
    insertion_sort_by(v, compare);
}

/// The index of the median of three elements spread over the slice. Taking the median
/// (rather than the first element) avoids the quadratic case on sorted and reversed
/// input; sampling at the quarters rather than the ends also handles organ pipes
/// (`1 2 3 .. 3 2 1`), whose ends are both minimal.
fn choose_pivot<T, F>(v: &[T], compare: &mut F) -> usize
where
    F: FnMut(&T, &T) -> Ordering,
{
    let n = v.len();
    let (mut a, b, mut c) = (n / 4, n / 2, 3 * n / 4);
    // Order a and c, then place b between them.
    if compare(&v[a], &v[c]) == Ordering::Greater {
        std::mem::swap(&mut a, &mut c);
    }
    if compare(&v[b], &v[a]) == Ordering::Less {
        a
    } else if compare(&v[b], &v[c]) == Ordering::Greater {
        c
    } else {
        b
    }
}

/// Partitions `v` around the element at `pivot` and returns the parts still to sort:
/// `[less than pivot | pivot | not less]`, or, when nothing is less than the pivot (it
/// is the smallest element), `[pivot and every element equal to it | greater]`. The
/// equal elements are then finished, so all-equal input takes two linear passes
/// instead of n of them, and input with few distinct values stays O(n log n).
///
/// The README's three-way partition (less | equal | greater, the "Dutch national
/// flag") does the same in one pass and is just as correct, but it branches and swaps
/// on every element; on random numbers it made this quick sort about five times slower
/// than `slice::sort_unstable`, against 1.5 times with this one (`cargo xtask bench
/// sort`).
fn partition<'a, T, F>(v: &'a mut [T], pivot: usize, compare: &mut F) -> (&'a mut [T], &'a mut [T])
where
    F: FnMut(&T, &T) -> Ordering,
{
    // Keep the pivot at index 0, out of the way of the scan.
    v.swap(0, pivot);
    let (first, rest) = v.split_first_mut().expect("only slices longer than SMALL");
    let less = move_to_front(rest, |x| compare(x, first) == Ordering::Less);
    if less == 0 {
        let equal = move_to_front(rest, |x| compare(x, first) == Ordering::Equal);
        let (_, greater) = v.split_at_mut(1 + equal);
        return (&mut [], greater);
    }
    // Put the pivot between the two parts: swap it with the last element less than it.
    v.swap(0, less);
    let (less_part, rest) = v.split_at_mut(less);
    (less_part, &mut rest[1..])
}

/// Moves every element for which `goes_first` is true to the front of `v`, keeping
/// none of the order, and returns how many there are (Lomuto's partition).
fn move_to_front<T>(v: &mut [T], mut goes_first: impl FnMut(&T) -> bool) -> usize {
    // Invariant: v[..front] go first, v[front..i] do not, v[i..] are not looked at yet.
    let mut front = 0;
    for i in 0..v.len() {
        // Swap v[i] to the end of the front part unconditionally, and keep it there
        // only if it belongs: `front += 0 or 1` instead of `if .. { swap; front += 1 }`.
        // On random input the processor cannot guess which way an `if` goes, and every
        // wrong guess costs more than the swap; without the branch there is nothing to
        // guess. (The idea is the textbook one; this is what makes it fast.)
        let belongs = goes_first(&v[i]);
        v.swap(front, i);
        front += usize::from(belongs);
    }
    front
}
