#![allow(dead_code)] // Each suite uses only some of these helpers.

//! The threads of this process, by name (Linux only): `/proc/self/task/<tid>/comm`
//! holds each thread's name as the operating system knows it (its first 15 bytes), the
//! name given with `std::thread::Builder::name`.
//!
//! Counting threads is counting something process-wide: a test that counts runs that
//! part in a child process of its own (`tests/support/child.rs`), so that no other test
//! of the suite runs threads beside it, under the runner or under plain `cargo test`.
//! Count only threads known to be alive (blocked where the test holds them): a thread
//! that has just ended may still be listed for a moment after `join` returns.

/// The names of this process's threads that start with `prefix`, sorted.
pub fn named(prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/proc/self/task")
        .expect("read /proc/self/task")
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .map(|comm| comm.trim_end_matches('\n').to_string())
        .filter(|name| name.starts_with(prefix))
        .collect();
    names.sort();
    names
}
