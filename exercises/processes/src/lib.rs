//! Processes and IPC (进程与进程间通信): running programs and reporting how they ended,
//! talking to a child through pipes without deadlock, pipelines, reaping children
//! without blocking and without zombies, `fork` done safely in a multithreaded program,
//! the third cure for zombies (SIGCHLD ignored), and a pool of worker processes.
//!
//! Replace every `todo!()` with your code. `cargo xtask check processes` says what is
//! still wrong; the README walks through the task.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus};

/// How a process ended: with an exit code (`exit(3)`, `return` from `main`), or killed
/// by a signal (then it has no code at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code (0 to 255 on Linux).
    Code(i32),
    /// A signal (9 for SIGKILL, 15 for SIGTERM) ended it.
    Signal(i32),
}

impl Exit {
    /// True for `Code(0)`, the only exit that means success.
    pub fn success(self) -> bool {
        todo!("is {self:?} a success?")
    }
}

/// How `status` ended: its code, or the signal that killed it.
pub fn exit_of(status: ExitStatus) -> Exit {
    todo!("how did {status:?} end?")
}

/// Runs `program` with `args` (its stdin empty), waits for it and says how it ended.
/// Errors: the program could not be started (not found, not executable).
pub fn run(program: &str, args: &[&str]) -> io::Result<Exit> {
    todo!("run {program} {args:?}")
}

/// Runs `command` with `input` on its stdin and returns everything it wrote to its
/// stdout, with how it ended. Any size of input and output: neither pipe's buffer (64 KiB
/// on Linux) filling up may stop both sides. A child that ends without reading all of
/// its input is not an error. Errors: the command could not be started, or a pipe failed.
pub fn feed(command: Command, input: &[u8]) -> io::Result<(Vec<u8>, Exit)> {
    todo!("feed {} bytes to {command:?}", input.len())
}

/// Runs `stages` as a pipeline, `a | b | c`: the first reads nothing (an empty stdin),
/// each one's stdout is the next one's stdin, and the last one's stdout is returned with
/// how each stage ended, in order. Errors: no stage (`InvalidInput`), a stage could not
/// be started (those already started are killed and reaped first), or a pipe failed.
pub fn pipeline(stages: Vec<Command>) -> io::Result<(Vec<u8>, Vec<Exit>)> {
    todo!("run the pipeline {stages:?}")
}

/// A set of running children, reaped without blocking.
///
/// A `Child` handle has no `Drop`: dropping one neither waits for the process nor kills
/// it, and a process that ends with nobody waiting for it stays a zombie (僵尸进程)
/// until its parent ends. Dropping the set must kill and reap whatever still runs.
#[derive(Debug, Default)]
pub struct Children {
    // Given: the set is the handles of the children not reaped yet.
    running: Vec<Child>,
}

impl Children {
    /// An empty set.
    pub fn new() -> Children {
        todo!("an empty set of children")
    }

    /// Starts `command` and keeps its child; returns its process id.
    /// Errors: the command could not be started.
    pub fn spawn(&mut self, command: &mut Command) -> io::Result<u32> {
        todo!("spawn {command:?} beside {:?}", self.running)
    }

    /// How many children are not reaped yet.
    pub fn len(&self) -> usize {
        todo!("count {:?}", self.running)
    }

    /// True when every child has been reaped.
    pub fn is_empty(&self) -> bool {
        todo!("is {:?} empty?", self.running)
    }

    /// Reaps every child that has ended, without waiting for those still running: their
    /// ids and exits, in the order they were started. Those that still run stay in the
    /// set. Errors: asking the system about a child failed (that child stays).
    pub fn reap(&mut self) -> io::Result<Vec<(u32, Exit)>> {
        todo!("reap the ended children of {:?}", self.running)
    }

    /// Waits for every child to end and reaps it; their ids and exits in the order they
    /// were started. Errors: waiting failed.
    pub fn wait_all(&mut self) -> io::Result<Vec<(u32, Exit)>> {
        todo!("wait for every child of {:?}", self.running)
    }
}

/// Runs `compute(input)` in a child made by `fork` and returns its answer.
///
/// Only async-signal-safe calls are safe in the child of a multithreaded process (a test
/// binary always is): the child only computes (`compute` must not allocate, lock, print
/// or panic), writes the 8 bytes of the answer (little-endian) with `write(2)` and ends
/// with `_exit(2)`. The parent reads the answer and reaps the child. Errors: `fork` or
/// the pipe failed, or the child ended without an answer (`InvalidData`).
pub fn compute_in_child(compute: fn(u64) -> u64, input: u64) -> io::Result<u64> {
    let _ = compute;
    todo!("fork a child to compute on {input}")
}

/// The second cure for zombies, the double fork: starts `program` with `args` as a
/// grandchild that is no child of this process, and returns its pid. The child forks the
/// grandchild and exits at once; this process reaps the child, and the grandchild, now an
/// orphan (孤儿进程), is adopted by init (or the nearest subreaper), which reaps it when it
/// ends. `program` is a path (no `PATH` search: the search allocates, which the child
/// of a multithreaded process must not do). Errors: a fork or the pipe failed, the
/// program could not be run (the grandchild's `execv` error, such as `NotFound`), or a
/// name holds a NUL byte (`InvalidInput`).
pub fn spawn_detached(program: &Path, args: &[&str]) -> io::Result<u32> {
    todo!("start {program:?} {args:?} as a grandchild")
}

/// The third cure for zombies: sets SIGCHLD's disposition to "ignore" (`SIG_IGN`), so
/// the kernel reaps every child of this process as it ends and none becomes a zombie.
/// It changes the whole process (no child can be waited for any more: `wait` then fails
/// with `ECHILD`), so call it only in a process that never waits for its children.
pub fn ignore_children() -> io::Result<()> {
    todo!("ignore SIGCHLD")
}

/// The worker's side of [`Pool`]: reads one task a line (a decimal `u64`) from `tasks`
/// until its end, and writes `compute(task)` for each as one line to `results`, flushed
/// at once (the pool waits for it). Errors: reading or writing failed, or a line is not
/// a number (`InvalidData`).
pub fn serve(compute: fn(u64) -> u64, tasks: impl BufRead, results: impl Write) -> io::Result<()> {
    let (_, _) = (tasks, results);
    todo!("serve tasks with {compute:?}")
}

/// A pool of worker processes (进程池), like Python's `multiprocessing.Pool`: each worker
/// is `program` with `args`, started once, that runs [`serve`] on its stdin and stdout.
/// Dropping a pool that was not closed must leave no worker running and no zombie.
#[derive(Debug)]
pub struct Pool {
    // Reshape as you need: each worker's pipes belong here too.
    workers: Vec<Child>,
}

impl Pool {
    /// Starts `size` workers. Errors: `size` is 0 (`InvalidInput`), or a worker could not
    /// be started.
    pub fn new(size: usize, program: &Path, args: &[&str]) -> io::Result<Pool> {
        todo!("start {size} workers running {program:?} {args:?}")
    }

    /// How many workers the pool has.
    pub fn size(&self) -> usize {
        todo!("count the workers {:?}", self.workers)
    }

    /// The workers' process ids.
    pub fn pids(&self) -> Vec<u32> {
        todo!("the pids of {:?}", self.workers)
    }

    /// Hands `tasks` to the workers and returns their results in the tasks' order, each
    /// worker started once and given many tasks. Errors: a pipe failed, or a worker ended
    /// or answered with something other than a number (`InvalidData`).
    pub fn map(&mut self, tasks: &[u64]) -> io::Result<Vec<u64>> {
        todo!("map {tasks:?} on {:?}", self.workers)
    }

    /// Closes the pool like `pool.close(); pool.join()`: closes every worker's stdin, so
    /// each one's `serve` sees the end of its tasks and the worker exits by itself, then
    /// waits for and reaps each one. Returns how each worker ended, in order.
    /// Errors: waiting failed (the remaining workers are still stopped and reaped).
    pub fn close(self) -> io::Result<Vec<Exit>> {
        todo!("close the pool of {:?}", self.workers)
    }
}
