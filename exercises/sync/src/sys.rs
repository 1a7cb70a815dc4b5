//! Given code: the locks, condition variables and threads this kata builds on, all in
//! one place. You need not change this file (it is the same in `exercises/sync` and
//! `solutions/sync`, and `cargo xtask verify` keeps the two copies identical).
//!
//! Reach for `Mutex`, `Condvar` and scoped threads through `crate::sys`, never straight
//! from `std`, and the same code of yours runs two ways:
//!
//! - **By default** they are the standard library's: real threads of the operating
//!   system (线程), the futex-based `std::sync::Mutex` (互斥锁) and `Condvar` (条件变量).
//! - **With the cargo feature `model`** (`cargo xtask check sync --model`) they are
//!   those of [shuttle](https://docs.rs/shuttle), a model checker: it runs the threads
//!   one at a time and picks, from a fixed seed, which one goes next at every lock,
//!   wait and notify. Thousands of runs of a test explore thousands of interleavings,
//!   and a bug that needs one unlucky order (a lost wakeup, a wakeup stolen by another
//!   thread, two locks taken in opposite orders) is found the same way on every run.
//!
//! Two differences of the model checker matter here: a timed wait never runs out of
//! time under it (`wait_timeout` waits for a notification), and it does not name
//! scoped threads (names are for the operating system's thread list only).
//!
//! The one addition to std is [`spurious_wakeups`], the suite's way of making a
//! `Condvar` wake a waiter that nobody notified, as the operating system is allowed to.

use std::time::Duration;

#[cfg(feature = "model")]
use shuttle::sync as backend;
#[cfg(not(feature = "model"))]
use std::sync as backend;

pub use backend::{Mutex, MutexGuard, WaitTimeoutResult};
pub use std::sync::{LockResult, PoisonError};

/// Atomic integers and flags, for the rare state that needs no lock (the model checker
/// must see them too, so take them from here as well).
pub mod atomic {
    pub use super::backend::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
}

/// A condition variable (条件变量): a place where threads sleep until another thread
/// changes the state a `Mutex` guards and notifies them. The same methods as
/// `std::sync::Condvar`.
///
/// A wait may return although nobody notified (a *spurious* wakeup), and by the time a
/// notified thread holds the lock again another thread may have changed the state
/// back (a *stolen* wakeup). So every wait belongs in a loop that checks its condition
/// again: `while !ready { guard = cond.wait(guard)... }`, or [`Condvar::wait_while`].
#[derive(Debug, Default)]
pub struct Condvar {
    inner: backend::Condvar,
}

impl Condvar {
    /// A condition variable nobody waits on yet.
    pub fn new() -> Condvar {
        Condvar {
            inner: backend::Condvar::new(),
        }
    }

    /// Releases `guard`'s lock, sleeps until notified (or woken spuriously), and takes
    /// the lock again before it returns. `Err` carries the guard when another thread
    /// panicked while it held the lock (the lock is *poisoned*).
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        #[cfg(not(feature = "model"))]
        if spurious::take() {
            return Ok(guard);
        }
        self.inner.wait(guard)
    }

    /// Waits for as long as `condition` holds: the loop around [`Condvar::wait`],
    /// written once.
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Like [`Condvar::wait`], but gives up after `timeout`: the result's
    /// `timed_out()` says whether the time ran out. It too may wake early, so check
    /// the condition and the time left again after it returns.
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        self.inner.wait_timeout(guard, timeout)
    }

    /// Waits for as long as `condition` holds, `timeout` at most in all.
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
        condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        self.inner.wait_timeout_while(guard, timeout, condition)
    }

    /// Wakes one thread waiting here, if any.
    pub fn notify_one(&self) {
        self.inner.notify_one();
    }

    /// Wakes every thread waiting here.
    pub fn notify_all(&self) {
        self.inner.notify_all();
    }
}

/// Threads: scoped threads, which may borrow from the function that starts them
/// because they all end before `scope` returns.
pub mod thread {
    #[cfg(feature = "model")]
    pub use shuttle::thread::{Scope, ScopedJoinHandle, scope};
    #[cfg(not(feature = "model"))]
    pub use std::thread::{Scope, ScopedJoinHandle, scope};

    /// Starts a thread named `name` inside `scope`, running `f`. The name is what the
    /// operating system lists the thread as (`/proc/self/task/*/comm` on Linux, at
    /// most 15 bytes of it). Panics, as `Scope::spawn` does, if the operating system
    /// refuses a new thread.
    pub fn spawn_named<'scope, 'env, F, T>(
        scope: &'scope Scope<'scope, 'env>,
        name: String,
        f: F,
    ) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        #[cfg(not(feature = "model"))]
        let handle = std::thread::Builder::new()
            .name(name)
            .spawn_scoped(scope, f)
            .expect("the operating system refused a new thread");
        // The model checker's threads are not the operating system's: nothing lists
        // their names, so there is nothing to name.
        #[cfg(feature = "model")]
        let handle = {
            let _ = name;
            scope.spawn(f)
        };
        handle
    }
}

/// Makes the next `count` calls of [`Condvar::wait`] on the calling thread (each round
/// of [`Condvar::wait_while`] included) return at once, without a notification: the
/// spurious wakeups the operating system may deliver at any time, on demand, so a test
/// can show that a wait without a loop around it goes wrong. Does nothing under the
/// model checker.
pub fn spurious_wakeups(count: u32) {
    #[cfg(not(feature = "model"))]
    spurious::PENDING.with(|pending| pending.set(count));
    #[cfg(feature = "model")]
    let _ = count;
}

#[cfg(not(feature = "model"))]
mod spurious {
    use std::cell::Cell;

    thread_local! {
        pub(super) static PENDING: Cell<u32> = const { Cell::new(0) };
    }

    /// True (and one fewer pending) when this wait is to return spuriously.
    pub(super) fn take() -> bool {
        PENDING.with(|pending| {
            let left = pending.get();
            pending.set(left.saturating_sub(1));
            left > 0
        })
    }
}
