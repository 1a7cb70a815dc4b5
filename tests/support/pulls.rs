#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Counting pulls, for suites that prove an iterator adapter is lazy (惰性): that it
//! asks its source for an item (calls its `next`, a **pull**) only when the item it is
//! itself asked for needs it, never reading ahead through the whole source.
//!
//! Include with `#[path = "support/pulls.rs"] mod pulls;`.
//!
//! [`Pulls::wrap`] wraps a source iterator; every call of its `next` is counted in the
//! [`Pulls`] it was made from, whatever it returns (the call that finds the end counts
//! too).
//!
//! A wrapped source also stops a runaway: past its limit (by default [`PULL_LIMIT`]) the
//! next pull panics with a message that names the likely mistake, so an adapter that
//! collects an endless source fails at once with an explanation, instead of running
//! until the test's timeout or the memory cap. For the same reason its `size_hint` is
//! the source's with the lower bound capped at the pulls left before the limit (the
//! items it can still yield): an endless range says `(usize::MAX, None)`, and a
//! `collect` that reserved that much would die of "capacity overflow" before its first
//! pull, with no word about the mistake.
//!
//! ```ignore
//! let pulls = Pulls::new();
//! let taken: Vec<_> = chunks(pulls.wrap(0u64..), 2).take(3).collect();
//! assert_eq!(pulls.count(), 6); // three full chunks, and not one item past them
//! ```

// Its own copy of the language switch, so that a suite that includes this file need not
// include `lang.rs` first (a suite that does loads the file twice, harmlessly).
#[allow(clippy::duplicate_mod)]
#[path = "lang.rs"]
mod lang;

use std::cell::Cell;
use std::rc::Rc;

/// How many pulls a wrapped source allows by default before it panics. Far more than
/// any lazy adapter in a test needs, small enough that collecting an endless source
/// fails within milliseconds.
pub const PULL_LIMIT: usize = 100_000;

/// A shared pull counter. Clone it to keep a handle while the wrapped source moves
/// into an adapter.
#[derive(Clone)]
pub struct Pulls {
    count: Rc<Cell<usize>>,
    limit: usize,
}

impl Default for Pulls {
    fn default() -> Self {
        Self::with_limit(PULL_LIMIT)
    }
}

impl Pulls {
    /// A counter whose sources allow [`PULL_LIMIT`] pulls.
    pub fn new() -> Self {
        Self::default()
    }

    /// A counter whose sources panic on pull number `limit + 1`.
    pub fn with_limit(limit: usize) -> Self {
        Pulls {
            count: Rc::new(Cell::new(0)),
            limit,
        }
    }

    /// Wraps `source` so that its pulls are counted here.
    pub fn wrap<I: Iterator>(&self, source: I) -> Counted<I> {
        Counted {
            inner: source,
            pulls: self.clone(),
        }
    }

    /// Pulls made so far from every source wrapped by this counter.
    pub fn count(&self) -> usize {
        self.count.get()
    }

    fn tick(&self) {
        let n = self.count.get() + 1;
        self.count.set(n);
        if n > self.limit {
            panic!(
                "{}",
                if lang::zh() {
                    format!(
                        "适配器向它的数据源取了第 {n} 个元素，超过了本测试允许的 {} 个：\
                         它是不是先把整个数据源读进来（collect、list(...)），或者远远地提前\
                         读取？惰性的适配器只取下一个元素需要的那几个",
                        self.limit
                    )
                } else {
                    format!(
                        "the adapter pulled item number {n} from its source, past this \
                         test's limit of {}: does it read the whole source first (collect, \
                         a Vec of everything) or read far ahead? A lazy adapter pulls only \
                         what its next item needs",
                        self.limit
                    )
                }
            );
        }
    }
}

/// A source whose pulls are counted: see [`Pulls::wrap`].
pub struct Counted<I> {
    inner: I,
    pulls: Pulls,
}

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        self.pulls.tick();
        self.inner.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (lower, upper) = self.inner.size_hint();
        let left = self.pulls.limit.saturating_sub(self.pulls.count());
        (lower.min(left), upper)
    }
}
