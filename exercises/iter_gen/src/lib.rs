//! iter_gen kata (迭代器与生成器): a container's iterators written by hand, and
//! generators written as state machines.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the task,
//! then replace each `todo!()` with your code. Check your work with
//! `cargo xtask check iter_gen`.
//!
//! The container is given, complete, in `src/ring.rs`: a ring buffer (the queue kata's
//! ring, open at both ends). Your part is everything below: its iterators, then the
//! generators. The structs' fields are private: add the fields your state needs, and
//! change the ones given if you like; the suite sees only the public API.

mod ring;

use std::iter::FusedIterator;

pub use ring::{Ring, RingFull};

// ---------------------------------------------------------------------------------------
// The container's iterators
// ---------------------------------------------------------------------------------------

impl<T> Ring<T> {
    /// Iterates over the items by reference, front to back (and back to front with
    /// `.rev()` or `next_back`), leaving them in the ring. Allocates nothing.
    pub fn iter(&self) -> Iter<'_, T> {
        todo!("an iterator over the {} items of the ring", self.len())
    }
}

/// The iterator of [`Ring::iter`] and of `for x in &ring`: yields `&T`, from the front
/// with `next` and from the back with `next_back`, until the two ends meet; then `None`
/// forever.
pub struct Iter<'a, T> {
    /// The ring it walks. `self.ring.get(i)` gives an item that lives as long as the
    /// ring (`Option<&'a T>`), which is what `next` returns.
    ring: &'a Ring<T>,
    // Add what the iterator must remember between two calls: where each end is.
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    /// The front item not yet yielded, or `None` once the two ends have met.
    fn next(&mut self) -> Option<&'a T> {
        todo!(
            "the next item from the front of a ring of {}",
            self.ring.len()
        )
    }

    /// Exact: `(n, Some(n))`, where `n` is how many items `next` and `next_back`
    /// together will still yield. `ExactSizeIterator::len` is computed from it.
    fn size_hint(&self) -> (usize, Option<usize>) {
        todo!("how many of the {} items are left", self.ring.len())
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    /// The back item not yet yielded, or `None` once the two ends have met.
    fn next_back(&mut self) -> Option<Self::Item> {
        todo!(
            "the next item from the back of a ring of {}",
            self.ring.len()
        )
    }
}

/// A promise that `size_hint` is exact (your `size_hint` keeps it).
impl<T> ExactSizeIterator for Iter<'_, T> {}

/// A promise that after the first `None` comes only `None`, from either end.
impl<T> FusedIterator for Iter<'_, T> {}

/// `for x in &ring`: the same as `ring.iter()`. Given, because iterating over a
/// borrowed ring is nothing but your `iter()` above: this impl is what lets a `for` loop
/// take `&ring` (the way std's `&Vec<T>` has one that calls `iter()`). The one
/// `into_iter` left for you is the one that consumes the ring, below.
impl<'a, T> IntoIterator for &'a Ring<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// The iterator of `for x in ring`: owns the ring and moves its items out, one at a
/// time, from either end. Items not yet taken are dropped with it.
pub struct IntoIter<T> {
    ring: Ring<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    /// Moves the front item out, or `None` when none is left.
    fn next(&mut self) -> Option<T> {
        todo!("move out the front item of {} left", self.ring.len())
    }

    /// Exact, as for [`Iter`].
    fn size_hint(&self) -> (usize, Option<usize>) {
        todo!(
            "how many of the items are left ({} in the ring)",
            self.ring.len()
        )
    }
}

impl<T> DoubleEndedIterator for IntoIter<T> {
    /// Moves the back item out, or `None` when none is left.
    fn next_back(&mut self) -> Option<T> {
        todo!("move out the back item of {} left", self.ring.len())
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}

impl<T> FusedIterator for IntoIter<T> {}

/// `for x in ring`: consumes the ring and yields its items by value, front to back.
/// Nothing is cloned and nothing is allocated: the iterator keeps the ring itself.
impl<T> IntoIterator for Ring<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        todo!("move a ring of {} items into its iterator", self.len())
    }
}

// ---------------------------------------------------------------------------------------
// Generators by hand
// ---------------------------------------------------------------------------------------

/// The Fibonacci numbers 0, 1, 1, 2, 3, 5, ... as `u64`, ending with `None` after the
/// last one that fits (F(93) = 12200160415121876738, the 94th item): never a panic,
/// never a wrapped value. The Python generator it mirrors:
///
/// ```python
/// def fibonacci():
///     a, b = 0, 1
///     while True:
///         yield a
///         a, b = b, a + b
/// ```
pub fn fibonacci() -> Fibonacci {
    todo!("start the Fibonacci generator")
}

/// The generator of [`fibonacci`]. Its fields are what the Python generator keeps
/// between two `yield`s.
pub struct Fibonacci {
    // Add the generator's state: the Python version keeps `a` and `b`, and yours must
    // also know when the next number no longer fits in a u64.
}

impl Iterator for Fibonacci {
    type Item = u64;

    /// The next Fibonacci number, or `None` once the next one would not fit.
    fn next(&mut self) -> Option<u64> {
        todo!("the next Fibonacci number")
    }
}

/// After the first `None`, only `None`.
impl FusedIterator for Fibonacci {}

/// One run of run-length encoding (游程编码): `count` copies of `byte` in a row.
/// `count` is 1 to 255, never 0. Given: the suite builds and compares runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Run {
    pub byte: u8,
    pub count: u8,
}

/// Run-length encodes `bytes`, lazily: each [`Run`] is the longest stretch of equal
/// bytes, except that a stretch longer than 255 is split into runs of 255 and a rest.
/// `b"aaab"` gives `Run { byte: b'a', count: 3 }` then `Run { byte: b'b', count: 1 }`.
///
/// Nothing is pulled from `bytes` until the first `next`, and each `next` pulls the
/// bytes of its run and at most one byte beyond it (the one that ends the run, kept
/// for the next call). Allocates nothing.
///
/// Fused, and more strictly than `FusedIterator` asks: once the source has returned
/// `None`, even while a run was being counted, `run_length` never calls its `next`
/// again. A source that is not fused may yield again after a `None` (nothing forbids
/// it); those bytes are never seen, and after its own first `None` `run_length`
/// returns `None` forever.
pub fn run_length<I: IntoIterator<Item = u8>>(bytes: I) -> RunLength<I::IntoIter> {
    let _ = bytes;
    todo!("a lazy run-length encoder over a source of bytes")
}

/// The adapter of [`run_length`].
pub struct RunLength<I> {
    /// Where the bytes come from.
    source: I,
    // Add the state kept between two runs.
}

impl<I: Iterator<Item = u8>> Iterator for RunLength<I> {
    type Item = Run;

    /// The next run, or `None` when the source has no byte left.
    fn next(&mut self) -> Option<Run> {
        let _ = &mut self.source;
        todo!("the next run of equal bytes")
    }

    // Optional: a `size_hint` better than the default `(0, None)`. If you write one, it
    // must be true at every step: at least `lower` and at most `upper` runs are left.
}

impl<I: Iterator<Item = u8>> FusedIterator for RunLength<I> {}

/// Splits `source` into `Vec`s of `size` items, lazily; the last one holds what is left
/// (1 to `size` items). No chunk is ever empty: an empty source gives no chunk at all.
/// `chunks(1..=5, 2)` gives `[1, 2]`, `[3, 4]`, `[5]`.
///
/// Nothing is pulled from `source` until the first `next`, and each `next` pulls the
/// items of its chunk and not one more: a full chunk is returned as soon as it is full,
/// without pulling the item after it (on a source that blocks, such as lines read from
/// stdin, that pull would wait for input no chunk needs yet), and nothing is kept
/// between two calls. Only a chunk cut short by the source's end, or the call that
/// finds the source empty, has also pulled the `None` that ended it.
///
/// Fused, as strictly as [`run_length`]: once the source has returned `None`, even in
/// the middle of a chunk, `chunks` never calls its `next` again (a source that is not
/// fused may yield again after a `None`; those items are never seen), and after its own
/// first `None` it returns `None` forever.
///
/// # Panics
///
/// At the call, before anything is pulled, when `size` is 0, with the message `chunk
/// size must be non-zero` (as `slice::chunks` does).
pub fn chunks<I: IntoIterator>(source: I, size: usize) -> Chunks<I::IntoIter> {
    let _ = source;
    todo!("a lazy chunker making Vecs of {size} items")
}

/// The adapter of [`chunks`].
pub struct Chunks<I> {
    /// Where the items come from.
    source: I,
    /// How many items a full chunk holds (at least 1).
    size: usize,
}

impl<I: Iterator> Iterator for Chunks<I> {
    type Item = Vec<I::Item>;

    /// The next chunk, or `None` when the source has no item left.
    fn next(&mut self) -> Option<Vec<I::Item>> {
        let _ = &mut self.source;
        todo!("the next chunk of up to {} items", self.size)
    }

    // Optional, as for `RunLength`: a `size_hint` that is true at every step.
}

impl<I: Iterator> FusedIterator for Chunks<I> {}

/// The course's own generator, by hand:
///
/// ```python
/// def fun():
///     print("start")
///     yield 1
///     print("end")
/// ```
///
/// `record` stands for `print`. Making the generator runs none of its body. The first
/// `next` records `"start"` and yields 1; the second records `"end"` and returns `None`;
/// every later call returns `None` and records nothing. Dropped while paused at the
/// `yield`, it never records `"end"` (a Python generator closed there never prints it).
pub fn course_generator<F: FnMut(&'static str)>(record: F) -> CourseGenerator<F> {
    let _ = record;
    todo!("the course's generator, not started yet")
}

/// The generator of [`course_generator`].
pub struct CourseGenerator<F> {
    /// Call it as `(self.record)("start")`.
    record: F,
    // Add where the body is paused: an enum of its breakpoints (断点) is clearest.
}

impl<F: FnMut(&'static str)> Iterator for CourseGenerator<F> {
    type Item = u32;

    /// Runs the body from where it is paused to its next `yield` (giving `Some`) or to
    /// its end (giving `None`).
    fn next(&mut self) -> Option<u32> {
        let _ = &mut self.record;
        todo!("resume the course's generator")
    }
}

impl<F: FnMut(&'static str)> FusedIterator for CourseGenerator<F> {}
