//! Test processes and their process groups.
//!
//! The model is cargo-nextest's. Every test process starts as the leader of a process
//! group of its own, so everything it starts (a `sleep` it spawns, a child that
//! inherits its pipes) is in that group too. The whole group is killed:
//! - when the test's own process ends, so nothing it left behind keeps running or
//!   holds its pipes open (the runner never waits for a pipe's end: see `capture`);
//! - at its deadline;
//! - when the runner is interrupted (Ctrl-C, `kill -TERM`, the terminal closing): a
//!   signal thread kills every group the runner started, then lets the signal take
//!   its usual course. Nothing a check starts outlives it.
//!
//! A process that leaves the group (`setsid`, a double fork) is found and killed by
//! the sweep of `reaper.rs`, after each test process ends and before the run returns.
//!
//! Each test's address space is capped (`setrlimit(RLIMIT_AS)` between fork and
//! exec), so a test that prints or allocates without end fails with an allocation
//! error instead of taking the machine's memory.
//!
//! The signal thread is `signal-hook`'s (its `iterator`): a well-kept crate whose only
//! dependencies are `libc` and its own registry, no proc macros, and which lets the
//! killing happen on an ordinary thread instead of inside a signal handler. (`ctrlc`
//! would do too, but pulls in `nix`.)

use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::capture::Capture;
use super::confine::Confinement;
use super::reaper::{self, Swept};

/// The process groups of running tests (each group's id is its leader's pid).
static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
static SIGNALS: Once = Once::new();
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A test on its own that reached its deadline while runnable but starved of CPU
/// (many suspects at once on a busy machine) is given up to this many timeouts...
const STARVED_TIMEOUTS: u32 = 3;
/// ...unless it has used this share of the timeout in CPU time (half a second of 10
/// s): more than a suite's tests need, so a test past its deadline that had that much
/// is looping; yet little enough that 38 looping tests on 2 cores (`sort` with a
/// bubble sort that never stops) are all stopped in about one timeout.
const CPU_FLOOR_DIVISOR: u32 = 20;

/// How a test process is started.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The cap on the process's address space, in MiB (0: no cap).
    pub memory_mib: u64,
    /// Run at a lower CPU priority, nice 10 (tests suspected of looping, so they do not
    /// slow down the others).
    pub low_priority: bool,
    /// A Landlock ruleset to confine the process with (`confine.rs`), by its descriptor.
    pub confine: Option<RawFd>,
}

/// A running test process, the leader of its own process group.
pub struct TestProcess {
    child: Child,
    pgid: i32,
    /// Readable once the process has ended (Linux's pidfd), so the scheduler wakes at
    /// that moment instead of at its next look; `None` where the kernel has none.
    pidfd: Option<OwnedFd>,
    capture: Option<Capture>,
    pub started: Instant,
    status: Option<ExitStatus>,
}

/// Starts `cmd` in a process group of its own, its stdout and stderr captured.
pub fn spawn(cmd: &mut Command, limits: Limits, keep_output: bool) -> Result<TestProcess> {
    install_signal_thread();
    reaper::become_subreaper();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let memory = limits.memory_mib.saturating_mul(1024 * 1024);
    let low = limits.low_priority;
    let confine = limits.confine;
    // SAFETY: the closure runs in the child between fork and exec, and only calls
    // async-signal-safe functions (setrlimit, setpriority, prctl, Landlock's system
    // call) on values it owns.
    unsafe {
        cmd.pre_exec(move || {
            if let Some(ruleset) = confine {
                Confinement::apply(ruleset)?;
            }
            if memory > 0 {
                let limit = libc::rlimit {
                    rlim_cur: memory as libc::rlim_t,
                    rlim_max: memory as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            if low {
                // Best effort: a failure only leaves the priority as it was.
                libc::setpriority(libc::PRIO_PROCESS, 0, 10);
            }
            Ok(())
        });
    }
    // Spawning while holding the list means an interruption either happens before the
    // process exists or finds it in the list: no group can slip through.
    let mut groups = groups();
    if INTERRUPTED.load(Ordering::SeqCst) {
        anyhow::bail!("interrupted");
    }
    let mut child = cmd.spawn().context("starting a test process")?;
    let pgid = child.id() as i32;
    groups.push(pgid);
    drop(groups);
    let pipes: Vec<Box<dyn Read + Send>> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(TestProcess {
        child,
        pgid,
        pidfd: pidfd_open(pgid),
        capture: Some(Capture::start(pipes, keep_output)),
        started: Instant::now(),
        status: None,
    })
}

impl TestProcess {
    /// The process's exit status once it has ended. At that moment its whole group
    /// is killed, so whatever it left behind ends with it.
    pub fn poll(&mut self) -> Result<Option<ExitStatus>> {
        if self.status.is_some() {
            return Ok(self.status);
        }
        if has_exited(self.pgid) {
            // Kill the group before reaping the leader: until then its pid (the
            // group's id) cannot be reused, so the signal cannot reach a stranger.
            kill_group(self.pgid);
            let status = self.child.wait().context("waiting for a test process")?;
            self.forget_group();
            self.status = Some(status);
            sweep_strays();
        }
        Ok(self.status)
    }

    /// Kills the whole group now (a deadline, or a run that stopped early).
    pub fn kill(&mut self) {
        if self.status.is_none() {
            kill_group(self.pgid);
            self.status = self.child.wait().ok();
            self.forget_group();
            sweep_strays();
        }
    }

    /// What the process printed (stdout, then stderr), cleaned; call after it ended.
    pub fn output(&mut self) -> String {
        self.capture.take().map(Capture::take).unwrap_or_default()
    }

    /// True when a test on its own is to be stopped as hung: it has run for `timeout`
    /// and either used a fair amount of CPU time or is not waiting for CPU (asleep,
    /// blocked: more time would not help). One that is runnable but has had little CPU,
    /// starved by other tests, gets more time, up to `STARVED_TIMEOUTS` timeouts.
    pub fn past_deadline(&self, timeout: Duration) -> bool {
        let elapsed = self.started.elapsed();
        if elapsed < timeout {
            return false;
        }
        if elapsed >= timeout * STARVED_TIMEOUTS {
            return true;
        }
        match self.cpu() {
            Some((cpu, runnable)) => cpu >= timeout / CPU_FLOOR_DIVISOR || !runnable,
            // Nothing to tell starving from looping: the deadline is the deadline.
            None => true,
        }
    }

    /// CPU time the process has used (all its threads), and whether any of its
    /// threads is runnable (running or waiting for a CPU), from Linux's /proc.
    /// `None` where /proc cannot tell.
    pub fn cpu(&self) -> Option<(Duration, bool)> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pgid)).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
        // After the name: state (3), ..., utime (14), stime (15), counted from 1.
        let ticks: u64 =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        // SAFETY: sysconf only reads a system constant.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        let per_second = u64::try_from(per_second).ok().filter(|&t| t > 0)?;
        let cpu = Duration::from_millis(ticks * 1000 / per_second);
        let runnable = std::fs::read_dir(format!("/proc/{}/task", self.pgid))
            .ok()?
            .flatten()
            .any(|task| {
                std::fs::read_to_string(task.path().join("stat"))
                    .ok()
                    .and_then(|t| t.rsplit_once(") ").map(|(_, rest)| rest.starts_with('R')))
                    .unwrap_or(false)
            });
        Some((cpu, runnable))
    }

    fn forget_group(&self) {
        groups().retain(|&g| g != self.pgid);
    }
}

impl Drop for TestProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn groups() -> MutexGuard<'static, Vec<i32>> {
    GROUPS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn kill_group(pgid: i32) {
    // SAFETY: killpg only sends a signal; a group that is already gone gives ESRCH.
    unsafe {
        libc::killpg(pgid, libc::SIGKILL);
    }
}

/// A descriptor that becomes readable when the process `pid` ends (Linux 5.3 and
/// later). Opened right after the spawn: the process is not reaped before `poll` has
/// seen it end, so `pid` still names it, a zombie at worst. (Only `poll` and `kill`
/// reap a test's leader, and the reaper spares live tests: were anything else to reap
/// one, its pidfd would stay readable and the scheduler would look without pausing
/// until that test's deadline.)
fn pidfd_open(pid: i32) -> Option<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    // SAFETY: a non-negative result is a descriptor this process now owns alone.
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// Waits until one of `processes` ends or `pause` has passed, whichever is first. The
/// scheduler's pause between looks at its running tests: with every process's pidfd,
/// the end of one wakes it at once; without (an old kernel), the pause is slept whole.
pub fn wait_any<'a>(processes: impl Iterator<Item = &'a TestProcess>, pause: Duration) {
    let mut fds: Vec<libc::pollfd> = Vec::new();
    for process in processes {
        let Some(pidfd) = &process.pidfd else {
            std::thread::sleep(pause);
            return;
        };
        fds.push(libc::pollfd {
            fd: pidfd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        });
    }
    let timeout = libc::timespec {
        tv_sec: pause.as_secs() as libc::time_t,
        tv_nsec: pause.subsec_nanos() as libc::c_long,
    };
    // SAFETY: ppoll reads `fds.len()` entries of `fds` and the timeout, and writes only
    // their `revents`. An interruption by a signal or an error ends the wait early,
    // which costs only an earlier look.
    unsafe {
        libc::ppoll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            &timeout,
            std::ptr::null(),
        );
    }
}

/// True once the process has ended, without reaping it (`WNOWAIT`).
fn has_exited(pid: i32) -> bool {
    // SAFETY: waitid writes only into the zeroed siginfo it is given.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let found = libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        found == 0 && info.si_pid() != 0
    }
}

/// Waits until the process has ended, without reaping it (`WNOWAIT`).
fn wait_exited(pid: i32) {
    loop {
        // SAFETY: waitid writes only into the zeroed siginfo it is given.
        let found = unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        // Interrupted by a signal: wait again; any other error (no such child) means
        // there is nothing to wait for.
        if found == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return;
        }
    }
}

/// Kills every test group the runner started. Used by the signal thread and by a
/// check that is cancelled (watch saw a save).
pub fn kill_all() {
    for &pgid in groups().iter() {
        kill_group(pgid);
    }
}

/// Kills and reaps every process the tests left behind, however it detached, sparing
/// the tests still running (see `reaper.rs`).
pub fn sweep_strays() -> Swept {
    let live = groups().clone();
    reaper::sweep(&live)
}

/// Starts a program that runs a learner's code outside the tests (listing a suite's
/// tests, criterion's benchmarks): like a test process, it leads a group of its own
/// that an interruption kills, confined when `confine` holds a ruleset, and whatever it
/// leaves is swept when [`finish_contained`] has waited for it. Its output is the
/// caller's to read.
pub fn spawn_contained(cmd: &mut Command, confine: Option<RawFd>) -> Result<Child> {
    install_signal_thread();
    reaper::become_subreaper();
    cmd.process_group(0);
    if let Some(ruleset) = confine {
        // SAFETY: between fork and exec, only system calls on a descriptor made before.
        unsafe {
            cmd.pre_exec(move || Confinement::apply(ruleset));
        }
    }
    let mut groups = groups();
    if INTERRUPTED.load(Ordering::SeqCst) {
        anyhow::bail!("interrupted");
    }
    let child = cmd.spawn()?;
    groups.push(child.id() as i32);
    Ok(child)
}

/// Waits for a program started by [`spawn_contained`], then kills its group and sweeps
/// what it left behind.
pub fn finish_contained(child: &mut Child) -> Result<ExitStatus> {
    let pgid = child.id() as i32;
    // Blocks until it ends (an interruption kills its group, which ends it), without
    // reaping it, so its group is killed while its id cannot be reused.
    wait_exited(pgid);
    kill_group(pgid);
    let status = child.wait().context("waiting for a program")?;
    groups().retain(|&g| g != pgid);
    sweep_strays();
    Ok(status)
}

/// On SIGINT, SIGTERM or SIGHUP: kill every test group, then end the runner as that
/// signal would have.
fn install_signal_thread() {
    SIGNALS.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the process ends: no test starts after this point.
                let groups = groups();
                INTERRUPTED.store(true, Ordering::SeqCst);
                for &pgid in groups.iter() {
                    kill_group(pgid);
                }
                // And every other child: what the tests left, a build in progress.
                reaper::sweep(&[]);
                // Clear a half-drawn status line before the shell's prompt.
                eprintln!();
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}
