#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Counting comparisons, for suites that bound an algorithm's work without timing it.
//!
//! Include with `#[path = "support/counting.rs"] mod counting;`.
//!
//! `Counted<T>` wraps a value and counts every comparison made through `Ord`,
//! `PartialOrd` or `PartialEq` in a counter shared by all values made from the same
//! `Comparisons`. Algorithms generic over `T: Ord` cannot tell the difference.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::rc::Rc;

/// A shared comparison counter. Clone it to keep a handle while the values move.
#[derive(Clone, Default)]
pub struct Comparisons(Rc<Cell<usize>>);

impl Comparisons {
    pub fn new() -> Self {
        Self::default()
    }

    /// Wraps one value so that its comparisons are counted here.
    pub fn wrap<T>(&self, value: T) -> Counted<T> {
        Counted {
            value,
            counter: self.clone(),
        }
    }

    /// Wraps every value of an iterator.
    pub fn wrap_all<T>(&self, values: impl IntoIterator<Item = T>) -> Vec<Counted<T>> {
        values.into_iter().map(|v| self.wrap(v)).collect()
    }

    /// Comparisons made so far.
    pub fn count(&self) -> usize {
        self.0.get()
    }

    pub fn reset(&self) {
        self.0.set(0);
    }

    fn tick(&self) {
        self.0.set(self.0.get() + 1);
    }
}

/// A value whose every comparison is counted.
#[derive(Clone)]
pub struct Counted<T> {
    pub value: T,
    counter: Comparisons,
}

impl<T: fmt::Debug> fmt::Debug for Counted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Ord> Ord for Counted<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.counter.tick();
        self.value.cmp(&other.value)
    }
}

impl<T: Ord> PartialOrd for Counted<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> PartialEq for Counted<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T: Ord> Eq for Counted<T> {}

/// ⌈log2(n)⌉ for n ≥ 1, and 0 for n = 0: the number of halvings that bring n to 1.
pub fn ceil_log2(n: usize) -> u32 {
    if n <= 1 {
        0
    } else {
        usize::BITS - (n - 1).leading_zeros()
    }
}
