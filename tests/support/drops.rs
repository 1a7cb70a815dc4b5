#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Counting drops, for suites that prove a container drops every element exactly once:
//! no leak (dropped zero times) and no double drop (dropped twice).
//!
//! Include with `#[path = "support/drops.rs"] mod drops;`.

// Its own copy of the language switch, so that a suite that includes this file need not
// include `lang.rs` first (a suite that does loads the file twice, harmlessly).
#[allow(clippy::duplicate_mod)]
#[path = "lang.rs"]
mod lang;

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// Records how many times each tracked value was dropped.
#[derive(Clone, Default)]
pub struct DropLog(Rc<RefCell<Vec<usize>>>);

impl DropLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new tracked value carrying `payload`. Each call gets its own slot in the log.
    pub fn track<T>(&self, payload: T) -> Tracked<T> {
        let mut drops = self.0.borrow_mut();
        drops.push(0);
        Tracked {
            payload,
            slot: drops.len() - 1,
            log: self.clone(),
        }
    }

    /// How many tracked values exist in all (dropped or not).
    pub fn created(&self) -> usize {
        self.0.borrow().len()
    }

    /// How many tracked values have been dropped at least once.
    pub fn dropped(&self) -> usize {
        self.0.borrow().iter().filter(|&&n| n > 0).count()
    }

    /// How many tracked values are still alive.
    pub fn alive(&self) -> usize {
        self.0.borrow().iter().filter(|&&n| n == 0).count()
    }

    /// Slots of values dropped more than once (a double drop: undefined behaviour in
    /// unsafe code, a logic error in safe code).
    pub fn dropped_twice(&self) -> Vec<usize> {
        let drops = self.0.borrow();
        (0..drops.len()).filter(|&i| drops[i] > 1).collect()
    }

    /// Panics with a clear message unless every tracked value was dropped exactly once.
    #[track_caller]
    pub fn assert_all_dropped_once(&self) {
        let twice = self.dropped_twice();
        assert!(
            twice.is_empty(),
            "{}",
            if lang::zh() {
                format!("编号为 {twice:?} 的值被释放（drop）了不止一次")
            } else {
                format!("values {twice:?} were dropped more than once")
            }
        );
        let (alive, created) = (self.alive(), self.created());
        assert_eq!(
            alive,
            0,
            "{}",
            if lang::zh() {
                format!("{created} 个值中有 {alive} 个从未被释放（drop），内存泄漏")
            } else {
                format!("{alive} of {created} values were never dropped (a leak)")
            }
        );
    }
}

/// A value that records its drop in a `DropLog`.
pub struct Tracked<T> {
    pub payload: T,
    slot: usize,
    log: DropLog,
}

impl<T> Drop for Tracked<T> {
    fn drop(&mut self) {
        self.log.0.borrow_mut()[self.slot] += 1;
    }
}

impl<T: fmt::Debug> fmt::Debug for Tracked<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.payload.fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Tracked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.payload == other.payload
    }
}
