//! Processes and IPC (进程与进程间通信): running programs and reporting how they ended,
//! talking to a child through pipes without deadlock, pipelines, reaping children
//! without blocking and without zombies, `fork` done safely in a multithreaded program,
//! the third cure for zombies (SIGCHLD ignored), and a pool of worker processes.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};

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
        self == Exit::Code(0)
    }
}

/// How `status` ended: its code, or the signal that killed it.
pub fn exit_of(status: ExitStatus) -> Exit {
    // On Unix a status has a code or a signal, never both: a process killed by a signal
    // never called exit. (A stopped process has neither, but `wait` never reports one.)
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        (None, None) => Exit::Signal(0),
    }
}

/// Runs `program` with `args` (its stdin empty), waits for it and says how it ended.
/// Errors: the program could not be started (not found, not executable).
pub fn run(program: &str, args: &[&str]) -> io::Result<Exit> {
    // `status` waits for the child, so it is reaped: no zombie is left.
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .status()?;
    Ok(exit_of(status))
}

/// Runs `command` with `input` on its stdin and returns everything it wrote to its
/// stdout, with how it ended. Any size of input and output: the input is written on a
/// thread of its own while this one reads, so neither pipe's buffer (64 KiB on Linux)
/// filling up can stop both sides. A child that ends without reading all of its input
/// is not an error. Errors: the command could not be started, or a pipe failed.
pub fn feed(mut command: Command, input: &[u8]) -> io::Result<(Vec<u8>, Exit)> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let mut stdout = child.stdout.take().expect("stdout was piped");
    let mut output = Vec::new();
    let (written, read) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let written = stdin.write_all(input);
            // Dropping stdin here closes the pipe: the child sees the end of its input.
            drop(stdin);
            match written {
                // The child closed its end before reading everything: its choice.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        });
        let read = stdout.read_to_end(&mut output);
        (
            writer.join().expect("the writing thread never panics"),
            read,
        )
    });
    // Wait (reap) before reporting any error, so no zombie is left behind.
    let status = child.wait()?;
    written?;
    read?;
    Ok((output, exit_of(status)))
}

/// Runs `stages` as a pipeline, `a | b | c`: the first reads nothing (an empty stdin),
/// each one's stdout is the next one's stdin, and the last one's stdout is returned with
/// how each stage ended, in order. Errors: no stage (`InvalidInput`), a stage could not
/// be started (those already started are killed and reaped first), or a pipe failed.
pub fn pipeline(stages: Vec<Command>) -> io::Result<(Vec<u8>, Vec<Exit>)> {
    if stages.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a pipeline needs at least one command",
        ));
    }
    let mut children: Vec<Child> = Vec::new();
    let mut next_stdin = Stdio::null();
    let mut last_output = None;
    let count = stages.len();
    // `into_iter` hands over each Command, and each is dropped at the end of its turn.
    // That matters: a Command keeps the pipe ends it was given, and while this process
    // holds a pipe's write end, the reader at its other end never sees the end of file.
    for (i, mut stage) in stages.into_iter().enumerate() {
        let (reader, writer) = match io::pipe() {
            Ok(pipe) => pipe,
            Err(e) => return Err(abandon(children, e)),
        };
        stage
            .stdin(std::mem::replace(&mut next_stdin, Stdio::null()))
            .stdout(writer);
        match stage.spawn() {
            Ok(child) => children.push(child),
            Err(e) => return Err(abandon(children, e)),
        }
        if i + 1 == count {
            last_output = Some(reader);
        } else {
            next_stdin = Stdio::from(reader);
        }
    }
    let mut output = Vec::new();
    let read = last_output
        .expect("the last stage's reader")
        .read_to_end(&mut output);
    // Wait for every stage before reporting any error: none is left a zombie.
    let exits: Vec<io::Result<Exit>> = children
        .iter_mut()
        .map(|child| child.wait().map(exit_of))
        .collect();
    read?;
    let exits = exits.into_iter().collect::<io::Result<Vec<Exit>>>()?;
    Ok((output, exits))
}

/// Kills and reaps every child started so far, then hands back `error`.
fn abandon(children: Vec<Child>, error: io::Error) -> io::Error {
    for mut child in children {
        let _ = child.kill();
        let _ = child.wait();
    }
    error
}

/// A set of running children, reaped without blocking.
///
/// A `Child` handle has no `Drop`: dropping one neither waits for the process nor kills
/// it, and a process that ends with nobody waiting for it stays a zombie (僵尸进程)
/// until its parent ends. So the set keeps every handle until its child is reaped, and
/// dropping the set kills and reaps whatever still runs.
#[derive(Debug, Default)]
pub struct Children {
    running: Vec<Child>,
}

impl Children {
    /// An empty set.
    pub fn new() -> Children {
        Children::default()
    }

    /// Starts `command` and keeps its child; returns its process id.
    /// Errors: the command could not be started.
    pub fn spawn(&mut self, command: &mut Command) -> io::Result<u32> {
        let child = command.spawn()?;
        let pid = child.id();
        self.running.push(child);
        Ok(pid)
    }

    /// How many children are not reaped yet.
    pub fn len(&self) -> usize {
        self.running.len()
    }

    /// True when every child has been reaped.
    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// Reaps every child that has ended, without waiting for those still running: their
    /// ids and exits, in the order they were started. Those that still run stay in the
    /// set. Errors: asking the system about a child failed (that child stays).
    pub fn reap(&mut self) -> io::Result<Vec<(u32, Exit)>> {
        let mut ended = Vec::new();
        let mut i = 0;
        while i < self.running.len() {
            // `try_wait` is `waitpid(pid, WNOHANG)`: it reaps an ended child, and answers
            // at once for one still running.
            match self.running[i].try_wait()? {
                Some(status) => {
                    // Reaped: the handle has nothing left to wait for.
                    let pid = self.running.remove(i).id();
                    ended.push((pid, exit_of(status)));
                }
                None => i += 1,
            }
        }
        Ok(ended)
    }

    /// Waits for every child to end and reaps it; their ids and exits in the order they
    /// were started. Errors: waiting failed.
    pub fn wait_all(&mut self) -> io::Result<Vec<(u32, Exit)>> {
        let mut ended = Vec::with_capacity(self.running.len());
        while let Some(child) = self.running.first_mut() {
            // A child whose wait fails stays in the set (its drop kills and reaps it).
            let status = child.wait()?;
            let pid = self.running.remove(0).id();
            ended.push((pid, exit_of(status)));
        }
        Ok(ended)
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        // Kill what still runs, then reap everything: no process and no zombie outlives
        // the set.
        for child in &mut self.running {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs `compute(input)` in a child made by `fork` and returns its answer.
///
/// Only async-signal-safe calls are safe in the child of a multithreaded process (a test
/// binary always is): another thread may have held a lock (the allocator's, stdout's)
/// at the moment of the fork, and in the child no thread will ever release it. So the
/// child only computes (`compute` must not allocate, lock, print or panic), writes the
/// 8 bytes of the answer with `write(2)` and ends with `_exit(2)`, which runs no
/// destructor, no `atexit` handler and flushes no buffer that belongs to the parent.
/// The parent reads the answer and reaps the child. Errors: `fork` or the pipe failed,
/// or the child ended without an answer (`InvalidData`).
pub fn compute_in_child(compute: fn(u64) -> u64, input: u64) -> io::Result<u64> {
    use nix::sys::wait::{WaitStatus, waitpid};
    use nix::unistd::{ForkResult, fork};

    let (mut reader, writer) = io::pipe()?;
    // SAFETY: the child calls only async-signal-safe functions (`write`, `_exit`) after
    // `compute`, which the caller promises only computes.
    match unsafe { fork() }.map_err(io::Error::from)? {
        ForkResult::Child => {
            drop(reader);
            // If `compute` unwinds anyway, this guard's drop ends the child before the
            // unwinding reaches the parent's code (a copy of the test harness).
            let guard = ExitOnUnwind;
            let answer = compute(input).to_le_bytes();
            // 8 bytes are far below PIPE_BUF (4096): one write moves them whole.
            let code = match nix::unistd::write(&writer, &answer) {
                Ok(8) => 0,
                _ => 1,
            };
            std::mem::forget(guard);
            // SAFETY: `_exit` is async-signal-safe and never returns.
            unsafe { nix::libc::_exit(code) }
        }
        ForkResult::Parent { child } => {
            drop(writer);
            let mut answer = Vec::with_capacity(8);
            let read = reader.read_to_end(&mut answer);
            // Reap the child whatever happened, so it never stays a zombie.
            let status = waitpid(child, None).map_err(io::Error::from)?;
            read?;
            match (status, <[u8; 8]>::try_from(answer.as_slice())) {
                (WaitStatus::Exited(_, 0), Ok(bytes)) => Ok(u64::from_le_bytes(bytes)),
                (status, _) => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the child gave no answer ({status:?})"),
                )),
            }
        }
    }
}

struct ExitOnUnwind;

impl Drop for ExitOnUnwind {
    fn drop(&mut self) {
        // SAFETY: as above; reached only while the forked child unwinds.
        unsafe { nix::libc::_exit(101) }
    }
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
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    use nix::sys::wait::waitpid;
    use nix::unistd::{ForkResult, fork};

    // Everything the children need is made before the first fork: after it, nothing
    // may allocate.
    let path = CString::new(program.as_os_str().as_bytes())?;
    let mut owned = vec![path.clone()];
    for arg in args {
        owned.push(CString::new(*arg)?);
    }
    let mut argv: Vec<*const nix::libc::c_char> = owned.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // The child writes the grandchild's pid here (`P` and 4 bytes); the grandchild writes
    // its errno if `execv` fails (`E` and 4 bytes). The two run at once, so either may
    // come first; a write this small is never split. The pipe closes on exec, so end of
    // file means both are done.
    let (mut reader, writer) = io::pipe()?;
    // SAFETY: both children call only async-signal-safe functions (fork, write, execv,
    // _exit) on values made above.
    match unsafe { fork() }.map_err(io::Error::from)? {
        ForkResult::Child => {
            let code = match unsafe { fork() } {
                Ok(ForkResult::Child) => {
                    // SAFETY: `argv` ends with a null pointer, and its strings live on.
                    unsafe { nix::libc::execv(path.as_ptr(), argv.as_ptr()) };
                    let [a, b, c, d] = nix::errno::Errno::last_raw().to_le_bytes();
                    let _ = nix::unistd::write(&writer, &[b'E', a, b, c, d]);
                    127
                }
                Ok(ForkResult::Parent { child }) => {
                    // A failed write leaves the parent without a pid: its error then.
                    let [a, b, c, d] = child.as_raw().to_le_bytes();
                    let _ = nix::unistd::write(&writer, &[b'P', a, b, c, d]);
                    0
                }
                Err(_) => 1,
            };
            // SAFETY: `_exit` is async-signal-safe and never returns.
            unsafe { nix::libc::_exit(code) }
        }
        ForkResult::Parent { child } => {
            drop(writer);
            let mut report = Vec::with_capacity(10);
            let read = reader.read_to_end(&mut report);
            // Reap the child at once: it exits right after its fork.
            waitpid(child, None).map_err(io::Error::from)?;
            read?;
            let (mut pid, mut errno) = (None, None);
            for record in report.chunks(5) {
                if let [tag, a, b, c, d] = *record {
                    match tag {
                        b'P' => pid = Some(u32::from_le_bytes([a, b, c, d])),
                        b'E' => errno = Some(i32::from_le_bytes([a, b, c, d])),
                        _ => {}
                    }
                }
            }
            match (pid, errno) {
                (_, Some(errno)) => Err(io::Error::from_raw_os_error(errno)),
                (Some(pid), None) => Ok(pid),
                (None, None) => Err(io::Error::other("the first child could not fork")),
            }
        }
    }
}

/// The third cure for zombies: sets SIGCHLD's disposition to "ignore" (`SIG_IGN`), so
/// the kernel reaps every child of this process as it ends and none becomes a zombie.
/// It changes the whole process (no child can be waited for any more: `wait` then fails
/// with `ECHILD`), so call it only in a process that never waits for its children.
pub fn ignore_children() -> io::Result<()> {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: SIG_IGN installs no handler code, so nothing can run at a bad moment.
    unsafe { signal(Signal::SIGCHLD, SigHandler::SigIgn) }.map_err(io::Error::from)?;
    Ok(())
}

/// The worker's side of [`Pool`]: reads one task a line (a decimal `u64`) from `tasks`
/// until its end, and writes `compute(task)` for each as one line to `results`, flushed
/// at once (the pool waits for it). Errors: reading or writing failed, or a line is not
/// a number (`InvalidData`).
pub fn serve(
    compute: fn(u64) -> u64,
    tasks: impl BufRead,
    mut results: impl Write,
) -> io::Result<()> {
    for line in tasks.lines() {
        let line = line?;
        let task: u64 = line.trim().parse().map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, format!("not a task: {line:?}"))
        })?;
        writeln!(results, "{}", compute(task))?;
        results.flush()?;
    }
    Ok(())
}

/// A pool of worker processes (进程池), like Python's `multiprocessing.Pool`: each worker
/// is `program` with `args`, started once, that runs [`serve`] on its stdin and stdout.
#[derive(Debug)]
pub struct Pool {
    workers: Vec<Worker>,
}

#[derive(Debug)]
struct Worker {
    child: Child,
    tasks: Option<ChildStdin>,
    results: BufReader<ChildStdout>,
}

impl Pool {
    /// Starts `size` workers. Errors: `size` is 0 (`InvalidInput`), or a worker could not
    /// be started.
    pub fn new(size: usize, program: &Path, args: &[&str]) -> io::Result<Pool> {
        if size == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a pool needs at least one worker",
            ));
        }
        // Dropping a half-built pool stops and reaps the workers already started.
        let mut pool = Pool {
            workers: Vec::with_capacity(size),
        };
        for _ in 0..size {
            let mut child = Command::new(program)
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?;
            let tasks = child.stdin.take();
            let results = BufReader::new(child.stdout.take().expect("stdout was piped"));
            pool.workers.push(Worker {
                child,
                tasks,
                results,
            });
        }
        Ok(pool)
    }

    /// How many workers the pool has.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// The workers' process ids.
    pub fn pids(&self) -> Vec<u32> {
        self.workers.iter().map(|w| w.child.id()).collect()
    }

    /// Hands `tasks` to the workers and returns their results in the tasks' order.
    /// Each worker has one task at a time: a round gives the next `size` tasks one to
    /// each worker, then reads their answers in the same order, so no pipe ever holds
    /// more than a line. Errors: a pipe failed, or a worker ended or answered with
    /// something other than a number (`InvalidData`).
    pub fn map(&mut self, tasks: &[u64]) -> io::Result<Vec<u64>> {
        let mut results = Vec::with_capacity(tasks.len());
        for round in tasks.chunks(self.workers.len()) {
            for (worker, task) in self.workers.iter_mut().zip(round) {
                let pipe = worker.tasks.as_mut().ok_or_else(closed)?;
                writeln!(pipe, "{task}")?;
                pipe.flush()?;
            }
            for worker in self.workers.iter_mut().take(round.len()) {
                let mut line = String::new();
                if worker.results.read_line(&mut line)? == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "a worker ended before it answered",
                    ));
                }
                let value = line.trim().parse().map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("a worker answered {line:?}"),
                    )
                })?;
                results.push(value);
            }
        }
        Ok(results)
    }

    /// Closes the pool like `pool.close(); pool.join()`: closes every worker's stdin, so
    /// each one's `serve` sees the end of its tasks and the worker exits by itself, then
    /// waits for and reaps each one. Returns how each worker ended, in order.
    /// Errors: waiting failed (the remaining workers are still stopped and reaped).
    pub fn close(mut self) -> io::Result<Vec<Exit>> {
        let mut exits = Vec::with_capacity(self.workers.len());
        for worker in &mut self.workers {
            worker.tasks = None;
        }
        for mut worker in std::mem::take(&mut self.workers) {
            exits.push(exit_of(worker.child.wait()?));
        }
        Ok(exits)
    }
}

fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the worker's stdin is closed")
}

impl Drop for Pool {
    fn drop(&mut self) {
        // A pool dropped without `close` (an error, a panic) still leaves no worker and
        // no zombie: close their stdins, and kill any that does not end by itself.
        for worker in &mut self.workers {
            worker.tasks = None;
            let _ = worker.child.kill();
            let _ = worker.child.wait();
        }
    }
}
