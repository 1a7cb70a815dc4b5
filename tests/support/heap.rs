#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Measuring the peak heap: the most bytes allocated and not yet freed at any moment
//! while some code runs, for suites that bound memory by counting, never by timing.
//!
//! Include with `#[path = "support/heap.rs"] mod heap;`. Including it installs a
//! counting global allocator in the whole test binary (every allocation is passed on to
//! the system allocator; the counter only adds two atomic operations to each), so a
//! suite includes it at most once.
//!
//! The counter is process-wide: it sees every thread. That is what makes the scope
//! cover the threads a measured function spawns (a server's threads are counted with
//! the server), and it is also why a measurement must run **in a process of its own**:
//! libtest runs tests on several threads, and another test allocating meanwhile would
//! be counted. So a test that measures runs itself again as a child with
//! `tests/support/child.rs` (`child::run(test, role, ...)`, which runs that one test,
//! on one thread) and does the measuring there; [`peak_during`] refuses to measure
//! anywhere else. One process, one test: nothing runs beside it under the runner or
//! under plain `cargo test` alike.
//!
//! ```ignore
//! #[test]
//! fn copy_memory() {
//!     if child::role().as_deref() == Some("measure") {
//!         let ((), peak) = heap::peak_during(|| copy_big_input());
//!         assert!(peak <= LIMIT, "...");
//!         return;
//!     }
//!     let out = child::run("module::copy_memory", "measure", |_| {});
//!     assert!(child::passed(&out), "{}", child::describe(&out));
//! }
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

// The same variable `child.rs` sets in a child (its `CHILD_ROLE`), named here so that
// this file stands alone.
const CHILD_ROLE: &str = "KATA_SUITE_CHILD_ROLE";

/// Bytes allocated and not yet freed, by every thread.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most `LIVE` has been since the last reset.
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrink(n: usize) {
    LIVE.fetch_sub(n, Ordering::Relaxed);
}

struct Counting;

// SAFETY: every call is passed on to the system allocator unchanged; the counters only
// observe sizes, with atomics that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // A move may hold both blocks for a moment: count the larger sum.
            grow(new_size);
            shrink(layout.size());
        }
        p
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Bytes allocated and not yet freed right now, by the whole process.
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Runs `f` and returns its result and the most bytes that were allocated at once while
/// it ran, above what was allocated when it started, by any thread of the process
/// (threads `f` spawns included).
///
/// It first waits until libtest's main thread is seen waiting for the test, so that its
/// own bookkeeping is not charged to `f`.
///
/// Panics unless this process is a child started by `child::run` (see the module's
/// docs): anywhere else other tests' allocations would be counted too.
pub fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    assert!(
        std::env::var_os(CHILD_ROLE).is_some(),
        "heap::peak_during measures the whole process: call it in a child process of its own \
         (tests/support/child.rs), never beside other tests"
    );
    wait_until_the_harness_waits();
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let result = f();
    let peak = PEAK.load(Ordering::Relaxed);
    (result, peak.saturating_sub(base))
}

/// Waits until libtest's main thread is seen blocked. Even in a child that runs one
/// test, the main thread allocates a little (its bookkeeping of the test it has just
/// started) right after starting the test's thread, so a measurement that began at once
/// sometimes charged a correct iterator for those bytes. Once blocked, the main thread
/// waits for the test to end and allocates nothing more. A bounded number of looks at
/// its state in /proc; never a sleep.
fn wait_until_the_harness_waits() {
    let main_thread = format!("/proc/self/task/{}/stat", std::process::id());
    for _ in 0..1_000_000 {
        let stat = std::fs::read_to_string(&main_thread).unwrap_or_default();
        // The state is the first field after the command name, which is in parentheses.
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next());
        if state == Some("S") {
            return;
        }
        std::thread::yield_now();
    }
    panic!("libtest's main thread was never seen waiting for this test");
}
