//! iter_gen kata (迭代器与生成器): reference solution.
//!
//! Two halves, one idea: an iterator (迭代器) is a value that remembers where it is and
//! hands out the next item only when asked.
//!
//! - A **container** (容器) and its **iterators**: [`Ring`] (given, in `ring.rs`) is
//!   walked by reference with [`Ring::iter`] and `for x in &ring` ([`Iter`]), and by
//!   value with `for x in ring` ([`IntoIter`]), from either end.
//! - **Generators** (生成器) written by hand: what a Python generator keeps between two
//!   `yield`s (its locals and the line it stopped at) becomes the fields of a struct,
//!   and `next` runs from one breakpoint (断点) to the next. [`fibonacci`],
//!   [`run_length`], [`chunks`] and [`course_generator`] are such state machines. The
//!   adapters among them pull from their source only what the next item needs, so they
//!   work on endless sources and never hold more than one item's worth of it.

mod ring;

use std::iter::{Fuse, FusedIterator};

pub use ring::{Ring, RingFull};

// ---------------------------------------------------------------------------------------
// The container's iterators
// ---------------------------------------------------------------------------------------

impl<T> Ring<T> {
    /// Iterates over the items by reference, front to back (and back to front with
    /// `.rev()` or `next_back`), leaving them in the ring. Allocates nothing.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            ring: self,
            front: 0,
            back: self.len(),
        }
    }
}

/// The iterator of [`Ring::iter`] and of `for x in &ring`: yields `&T`, from the front
/// with `next` and from the back with `next_back`, until the two ends meet.
pub struct Iter<'a, T> {
    ring: &'a Ring<T>,
    /// Position (0 = the ring's front) of the next item `next` yields.
    front: usize,
    /// One past the position of the next item `next_back` yields. The items not yet
    /// yielded are exactly the positions `front..back`; the two ends meet when
    /// `front == back`, and stay met: that makes the iterator fused.
    back: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.front == self.back {
            return None;
        }
        let item = self.ring.get(self.front);
        self.front += 1;
        item
    }

    /// Exact: the items between the two ends.
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        self.ring.get(self.back)
    }
}

/// `len()` comes from `size_hint`, which is exact.
impl<T> ExactSizeIterator for Iter<'_, T> {}

/// Once the ends have met they stay met: `None` forever.
impl<T> FusedIterator for Iter<'_, T> {}

/// `for x in &ring`: the same as `ring.iter()`.
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

    fn next(&mut self) -> Option<T> {
        self.ring.pop_front()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.ring.len(), Some(self.ring.len()))
    }
}

impl<T> DoubleEndedIterator for IntoIter<T> {
    fn next_back(&mut self) -> Option<T> {
        self.ring.pop_back()
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}

/// An empty ring stays empty.
impl<T> FusedIterator for IntoIter<T> {}

/// `for x in ring`: consumes the ring and yields its items by value, front to back.
/// Nothing is cloned and nothing is allocated: the iterator keeps the ring itself.
impl<T> IntoIterator for Ring<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter { ring: self }
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
    Fibonacci {
        current: Some(0),
        next: Some(1),
    }
}

/// The generator of [`fibonacci`]. Its two fields are the Python generator's `a` and
/// `b`; `None` stands for a number too big for `u64`.
pub struct Fibonacci {
    /// The number the next call yields.
    current: Option<u64>,
    /// The one after it.
    next: Option<u64>,
}

impl Iterator for Fibonacci {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let value = self.current?;
        // Yield `value` even when the number two places on will not fit: only the step
        // after that has nothing to yield.
        self.current = self.next;
        self.next = self.next.and_then(|next| next.checked_add(value));
        Some(value)
    }
}

/// After the first `None`, `current` stays `None`.
impl FusedIterator for Fibonacci {}

/// One run of run-length encoding (游程编码): `count` copies of `byte` in a row.
/// `count` is 1 to 255, never 0.
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
    RunLength {
        source: bytes.into_iter().fuse(),
        pending: None,
    }
}

/// The adapter of [`run_length`].
pub struct RunLength<I> {
    /// `fuse()`: once the source has said `None`, it is never asked again.
    source: Fuse<I>,
    /// The byte that ended the last run: already pulled, it starts the next one.
    pending: Option<u8>,
}

impl<I: Iterator<Item = u8>> Iterator for RunLength<I> {
    type Item = Run;

    fn next(&mut self) -> Option<Run> {
        let byte = self.pending.take().or_else(|| self.source.next())?;
        let mut count: u8 = 1;
        // A full run ends without looking at the next byte.
        while count < u8::MAX {
            match self.source.next() {
                Some(next) if next == byte => count += 1,
                // A different byte, or the end (`None`): either way the run is over.
                other => {
                    self.pending = other;
                    break;
                }
            }
        }
        Some(Run { byte, count })
    }

    /// Each remaining byte makes at most one run, and every 255 of them at least one.
    fn size_hint(&self) -> (usize, Option<usize>) {
        let pending = usize::from(self.pending.is_some());
        let (lower, upper) = self.source.size_hint();
        (
            lower.saturating_add(pending).div_ceil(255),
            upper.and_then(|upper| upper.checked_add(pending)),
        )
    }
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
    assert!(size != 0, "chunk size must be non-zero");
    Chunks {
        source: source.into_iter().fuse(),
        size,
    }
}

/// The adapter of [`chunks`].
pub struct Chunks<I> {
    source: Fuse<I>,
    /// At least 1.
    size: usize,
}

impl<I: Iterator> Iterator for Chunks<I> {
    type Item = Vec<I::Item>;

    fn next(&mut self) -> Option<Vec<I::Item>> {
        // The first item decides whether there is a chunk at all: at the source's end
        // there is none, rather than an empty one.
        let first = self.source.next()?;
        // Room for a whole chunk, unless the source says it has fewer items left: a
        // size of `usize::MAX` is allowed and must not reserve that much.
        let (left, _) = self.source.size_hint();
        let mut chunk = Vec::with_capacity(self.size.min(left.saturating_add(1)));
        chunk.push(first);
        chunk.extend(self.source.by_ref().take(self.size - 1));
        Some(chunk)
    }

    /// One chunk per `size` items, the last one possibly short: rounded up.
    fn size_hint(&self) -> (usize, Option<usize>) {
        let (lower, upper) = self.source.size_hint();
        (
            lower.div_ceil(self.size),
            upper.map(|upper| upper.div_ceil(self.size)),
        )
    }
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
    CourseGenerator {
        record,
        at: Breakpoint::NotStarted,
    }
}

/// The generator of [`course_generator`].
pub struct CourseGenerator<F> {
    record: F,
    /// Where the body is paused: the state of the state machine.
    at: Breakpoint,
}

/// The places the Python body can be paused at.
enum Breakpoint {
    /// Before its first line: nothing has run yet.
    NotStarted,
    /// At `yield 1`.
    AtYield,
    /// Past its last line.
    Finished,
}

impl<F: FnMut(&'static str)> Iterator for CourseGenerator<F> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        match self.at {
            Breakpoint::NotStarted => {
                (self.record)("start");
                self.at = Breakpoint::AtYield;
                Some(1)
            }
            Breakpoint::AtYield => {
                (self.record)("end");
                self.at = Breakpoint::Finished;
                None
            }
            Breakpoint::Finished => None,
        }
    }

    /// Exact: one item before the `yield`, none after it.
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.at {
            Breakpoint::NotStarted => (1, Some(1)),
            Breakpoint::AtYield | Breakpoint::Finished => (0, Some(0)),
        }
    }
}

impl<F: FnMut(&'static str)> FusedIterator for CourseGenerator<F> {}
