//! MUTANT: quick sort with a two-way partition that sends equal elements to one side: quadratic on all-equal input
//! Reference solution of the sort kata, with quick sort's partition replaced.

use std::cmp::Ordering;

pub fn bubble_sort<T: Ord>(v: &mut [T]) {
    bubble_sort_by(v, T::cmp);
}

pub fn bubble_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    let mut unsorted = v.len();
    while unsorted > 1 {
        let mut swapped = false;
        for i in 1..unsorted {
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

pub fn selection_sort<T: Ord>(v: &mut [T]) {
    selection_sort_by(v, T::cmp);
}

pub fn selection_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    for start in 0..v.len() {
        let mut smallest = start;
        for i in start + 1..v.len() {
            if compare(&v[i], &v[smallest]) == Ordering::Less {
                smallest = i;
            }
        }
        v.swap(start, smallest);
    }
}

pub fn insertion_sort<T: Ord>(v: &mut [T]) {
    insertion_sort_by(v, T::cmp);
}

pub fn insertion_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    for next in 1..v.len() {
        let mut i = next;
        while i > 0 && compare(&v[i - 1], &v[i]) == Ordering::Greater {
            v.swap(i - 1, i);
            i -= 1;
        }
    }
}

pub fn quick_sort<T: Ord>(v: &mut [T]) {
    quick_sort_by(v, T::cmp);
}

pub fn quick_sort_by<T, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    quick_sort_rec(v, &mut compare);
}

fn quick_sort_rec<T, F>(v: &mut [T], compare: &mut F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    if v.len() <= 1 {
        return;
    }
    // Middle element as pivot, moved to the end (Lomuto's scheme).
    let last = v.len() - 1;
    v.swap(v.len() / 2, last);
    let mut store = 0;
    for i in 0..last {
        // `<=` sends every element equal to the pivot left: with all-equal input the
        // left part is everything but the pivot, at every level.
        if compare(&v[i], &v[last]) != Ordering::Greater {
            v.swap(i, store);
            store += 1;
        }
    }
    v.swap(store, last);
    let (left, right) = v.split_at_mut(store);
    quick_sort_rec(left, compare);
    quick_sort_rec(&mut right[1..], compare);
}
