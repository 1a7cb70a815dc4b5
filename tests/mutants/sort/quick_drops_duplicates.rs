//! MUTANT: quick sort that keeps one copy of the pivot and drops every other element equal to it
//! Reference solution of the sort kata, with a quick sort that partitions into new vectors.

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

pub fn quick_sort<T: Ord + Clone>(v: &mut [T]) {
    quick_sort_by(v, T::cmp);
}

pub fn quick_sort_by<T: Clone, F>(v: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    let sorted = quick_sorted(v.to_vec(), &mut compare);
    // The result is shorter than the input when duplicates were dropped; the tail
    // keeps its old contents, as a learner's copy-back loop would.
    for (slot, value) in v.iter_mut().zip(sorted) {
        *slot = value;
    }
}

fn quick_sorted<T: Clone, F>(v: Vec<T>, compare: &mut F) -> Vec<T>
where
    F: FnMut(&T, &T) -> Ordering,
{
    if v.len() <= 1 {
        return v;
    }
    let pivot = v[v.len() / 2].clone();
    let less = v
        .iter()
        .filter(|x| compare(x, &pivot) == Ordering::Less)
        .cloned()
        .collect();
    let greater = v
        .iter()
        .filter(|x| compare(x, &pivot) == Ordering::Greater)
        .cloned()
        .collect();
    let mut out = quick_sorted(less, compare);
    out.push(pivot);
    out.extend(quick_sorted(greater, compare));
    out
}
