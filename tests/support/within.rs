#![allow(dead_code)] // Each suite uses only some of these helpers.

//! A bound on every wait of a thread test, so that code that never finishes (a
//! deadlock, a lost wakeup, a thread waiting for a notification that never comes) fails
//! its test with the likely mistake named, long before the runner stops the test as
//! "hung", and long before a plain `cargo test` would give up.
//!
//! ```ignore
//! let total = within(BOUND, &say!("two transfers deadlocked ...", "..."), move || {
//!     /* the work that must end */
//! });
//! ```
//!
//! [`within`] runs the work on a helper thread and waits for its answer for `bound`
//! at most. When the bound passes first, the test fails and the helper thread is left
//! behind, blocked: Rust ends every other thread when the process ends (unlike
//! Python's non-daemon threads), so a stuck helper never keeps the test process alive.
//! The suite's `instruments::within_leaves_nothing_running` checks that in a child
//! process. A child process that runs such work calls [`end_after`] first, so that it
//! too ends by itself.
//!
//! Include after `lang.rs` (its `say!` words the messages):
//! `#[macro_use] #[path = "support/lang.rs"] mod lang;` then
//! `#[path = "support/within.rs"] mod within;`.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// The bound a thread test gives each step that must end: hundreds of times what a
/// correct step takes on a busy machine (milliseconds), and well under a kata's
/// timeout (10 s), so the learner reads the likely mistake rather than "ran past 10 s".
pub const BOUND: Duration = Duration::from_secs(4);

/// Runs `f` on a helper thread and returns what it returns, if it does so within
/// `bound`. Otherwise fails the test with `what` (the likely mistake, in the learner's
/// words) and leaves the helper thread behind. A panic of `f` fails the test with `f`'s
/// own message. A failure points at the caller's line (`#[track_caller]`).
#[track_caller]
pub fn within<R, F>(bound: Duration, what: &str, f: F) -> R
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    let (answer, answered) = mpsc::channel();
    std::thread::Builder::new()
        .name("within".into())
        .spawn(move || {
            // The receiver is gone only when the test gave up already.
            let _ = answer.send(panic::catch_unwind(AssertUnwindSafe(f)));
        })
        .expect("start a helper thread");
    match answered.recv_timeout(bound) {
        Ok(Ok(value)) => value,
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(RecvTimeoutError::Timeout) => panic!(
            "{what}\n{}",
            say!(
                "(given up after {bound:?}: it never finished)",
                "（等了 {bound:?} 仍未结束，放弃等待）",
            )
        ),
        Err(RecvTimeoutError::Disconnected) => {
            unreachable!("the helper thread answers unless its process is ending")
        }
    }
}

/// In a child process: ends the whole process (abort) if it still runs after `bound`,
/// so a child whose threads block forever never outlives the test that started it. A
/// deadline, not a wait for something: the child's work decides everything before it.
pub fn end_after(bound: Duration) {
    std::thread::Builder::new()
        .name("deadline".into())
        .spawn(move || {
            std::thread::sleep(bound);
            eprintln!("the child process ran past {bound:?} and ends itself");
            std::process::abort();
        })
        .expect("start the child's deadline thread");
}
