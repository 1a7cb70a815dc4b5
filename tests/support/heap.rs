#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Counting the heap of the whole process: a global allocator that passes every call to
//! the system's and counts the bytes live (allocated and not yet freed) and their peak.
//!
//! Including this file (`#[path = "support/heap.rs"] mod heap;`) makes it the allocator
//! of the whole test binary, every test's, but it counts **every thread** of the process:
//! a figure means something only where nothing else runs. So measure in a child process
//! (`tests/support/child.rs`), which runs one test alone:
//!
//! ```ignore
//! let (result, peak) = heap::peak_during(|| server.poll_once(None));
//! assert!(peak <= budget, "...");
//! ```
//!
//! Sizes are what was asked for (`Layout::size`), not what the system allocator rounds
//! them up to. A `realloc` counts the new block before the old one is freed, as a move
//! would hold both.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static LIVE: AtomicUsize = AtomicUsize::new(0);
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
// observe sizes, and never allocate.
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
            grow(new_size);
            shrink(layout.size());
        }
        p
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Bytes allocated and not yet freed, by every thread of the process.
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Runs `f` and returns its result and the most bytes the process held at once while
/// it ran, above what it held when `f` began.
pub fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let result = f();
    let peak = PEAK.load(Ordering::Relaxed);
    (result, peak.saturating_sub(base))
}
