//! MUTANT: bubble sort whose swapped flag is set once before the passes and never reset, so after the first swap it never stops early
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
    let mut swapped = false;
    while unsorted > 1 {
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

fn quick_sort_rec<T, F>(mut v: &mut [T], compare: &mut F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    while v.len() > 1 {
        let pivot = choose_pivot(v, compare);
        let (less, greater) = partition3(v, pivot, compare);
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

/// Three-way partition (the "Dutch national flag"): rearranges `v` into
/// `[less than pivot | equal to pivot | greater than pivot]` and returns the first and
/// last part. Elements equal to the pivot are finished, so all-equal input takes a
/// single linear pass instead of n passes.
fn partition3<'a, T, F>(v: &'a mut [T], pivot: usize, compare: &mut F) -> (&'a mut [T], &'a mut [T])
where
    F: FnMut(&T, &T) -> Ordering,
{
    // Keep the pivot at index 0 while scanning so that swaps never move it.
    v.swap(0, pivot);
    // Invariant: v[1..lt] < pivot, v[lt..i] == pivot, v[gt..] > pivot, v[i..gt] unseen.
    let (mut lt, mut i, mut gt) = (1, 1, v.len());
    while i < gt {
        match compare(&v[i], &v[0]) {
            Ordering::Less => {
                v.swap(lt, i);
                lt += 1;
                i += 1;
            }
            Ordering::Equal => i += 1,
            Ordering::Greater => {
                gt -= 1;
                v.swap(i, gt);
            }
        }
    }
    // Move the pivot to the end of the "less" part, just before the run of equals.
    v.swap(0, lt - 1);
    let (less, rest) = v.split_at_mut(lt - 1);
    let greater = &mut rest[gt - (lt - 1)..];
    (less, greater)
}
