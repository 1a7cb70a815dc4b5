//! Running a suite: every test in its own process, classified by how the process ended.
//!
//! Nothing a test prints decides its outcome. A test passes when its process exits
//! with status 0 *and* libtest's log file (a path only the runner knows, written by
//! the harness after the test returns) records it as `ok`. So learner code that prints
//! `test x ... ok`, or calls `process::exit(0)` half-way, gains nothing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How much of a test's output is kept: enough for any assertion message or diff.
const OUTPUT_LIMIT: usize = 256 * 1024;

/// How one test ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// The test panicked (or the process exited non-zero by itself).
    Fail,
    /// Still running at the deadline; the runner killed it.
    Timeout,
    /// Killed by a signal: a stack overflow or an abort, most often.
    Crash {
        signal: i32,
    },
}

/// One test's result and what it printed (stdout then stderr, control characters
/// removed, so printed garbage cannot repaint the learner's terminal).
#[derive(Clone, Debug)]
pub struct TestRun {
    pub name: String,
    pub outcome: Outcome,
    pub output: String,
}

/// How to run a suite's tests.
pub struct RunPlan<'a> {
    pub test_exe: &'a Path,
    /// The folder the tests run in (cargo's convention: the crate's folder).
    pub crate_dir: &'a Path,
    /// The repository root (insta resolves snapshot paths against it).
    pub repo_root: &'a Path,
    pub timeout: Duration,
    /// Stop starting new tests after the first that does not pass (for mutants: one
    /// failure is enough to reject one).
    pub stop_at_first_failure: bool,
}

/// The names of every test in the binary, sorted.
pub fn list_tests(test_exe: &Path) -> Result<Vec<String>> {
    let output = Command::new(test_exe)
        .args(["--list", "--format", "terse"])
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("listing the tests of {}", test_exe.display()))?;
    if !output.status.success() {
        bail!(
            "{} --list failed: {}",
            test_exe.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut names: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect();
    names.sort();
    Ok(names)
}

/// Runs every named test in its own process, as many at once as there are cores.
/// Returns the runs in the order of `names` (tests skipped after a stop are left out).
pub fn run_tests(plan: &RunPlan, names: &[String]) -> Result<Vec<TestRun>> {
    let log_dir = scratch_log_dir(plan.repo_root)?;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let jobs = thread::available_parallelism().map_or(2, |n| n.get());
    let mut results: Vec<Option<TestRun>> = vec![None; names.len()];

    let finished: Result<Vec<Vec<(usize, TestRun)>>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|worker| {
                let (next, stop, log_dir) = (&next, &stop, &log_dir);
                scope.spawn(move || -> Result<Vec<(usize, TestRun)>> {
                    let log = log_dir.join(format!("worker-{worker}.log"));
                    let mut done = Vec::new();
                    loop {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(name) = names.get(i) else { break };
                        let run = run_one(plan, name, &log)?;
                        if run.outcome != Outcome::Pass && plan.stop_at_first_failure {
                            stop.store(true, Ordering::Relaxed);
                        }
                        done.push((i, run));
                    }
                    Ok(done)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a test worker thread panicked"))
            .collect::<Result<_>>()
    });
    let _ = std::fs::remove_dir_all(&log_dir);
    let finished = finished?;
    for (i, run) in finished.into_iter().flatten() {
        results[i] = Some(run);
    }
    Ok(results.into_iter().flatten().collect())
}

fn scratch_log_dir(repo_root: &Path) -> Result<PathBuf> {
    let dir = crate::compile::target_dir(repo_root)
        .join("xtask")
        .join(format!("logs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

fn run_one(plan: &RunPlan, name: &str, log: &Path) -> Result<TestRun> {
    // A stale log from the previous test on this worker must not count for this one.
    let _ = std::fs::remove_file(log);
    let mut cmd = Command::new(plan.test_exe);
    cmd.arg(name)
        .args(["--exact", "--test-threads", "1", "--logfile"])
        .arg(log)
        .current_dir(plan.crate_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    set_test_env(&mut cmd, plan.repo_root);
    let mut child = cmd
        .spawn()
        .with_context(|| format!("starting {}", plan.test_exe.display()))?;

    // Each pipe reaches its end when the process exits: waiting for that, rather than
    // polling the process, answers as soon as a test ends.
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let readers: Vec<_> = [
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
    .map(|pipe| {
        let done = done_tx.clone();
        thread::spawn(move || {
            let text = read_capped(pipe);
            let _ = done.send(());
            text
        })
    })
    .collect();
    drop(done_tx);
    let deadline = Instant::now() + plan.timeout;
    for _ in 0..readers.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        if done_rx.recv_timeout(left).is_err() {
            break;
        }
    }
    let status = wait_with_deadline(
        &mut child,
        deadline.saturating_duration_since(Instant::now()),
    )?;
    let mut output = String::new();
    for reader in readers {
        output.push_str(&reader.join().unwrap_or_default());
    }

    let outcome = match status {
        None => Outcome::Timeout,
        Some(status) => classify(status, name, log),
    };
    Ok(TestRun {
        name: name.to_string(),
        outcome,
        output: sanitize(&output),
    })
}

/// The environment cargo would give a test, minus anything a learner could set to
/// weaken the suite (fewer proptest cases, insta forced to pass).
fn set_test_env(cmd: &mut Command, repo_root: &Path) {
    for (key, _) in std::env::vars_os() {
        let key_text = key.to_string_lossy();
        if ["PROPTEST_", "QUICKCHECK_", "INSTA_", "RUST_TEST_"]
            .iter()
            .any(|prefix| key_text.starts_with(prefix))
        {
            cmd.env_remove(&key);
        }
    }
    cmd.env("RUST_BACKTRACE", "0")
        .env("INSTA_UPDATE", "no")
        .env("INSTA_WORKSPACE_ROOT", repo_root)
        .env("PROPTEST_DISABLE_FAILURE_PERSISTENCE", "1")
        .env("NO_COLOR", "1");
}

/// Waits for the child; kills it and returns `None` if it outlives `timeout`.
fn wait_with_deadline(child: &mut Child, timeout: Duration) -> Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    // Most tests end within a few milliseconds: poll often at first, then back off.
    let mut pause = Duration::from_micros(200);
    loop {
        if let Some(status) = child.try_wait().context("waiting for a test")? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

fn classify(status: ExitStatus, name: &str, log: &Path) -> Outcome {
    if let Some(signal) = signal_of(status) {
        return Outcome::Crash { signal };
    }
    let logged_ok = std::fs::read_to_string(log)
        .map(|text| text.lines().any(|line| line == format!("ok {name}")))
        .unwrap_or(false);
    if status.success() && logged_ok {
        Outcome::Pass
    } else {
        Outcome::Fail
    }
}

#[cfg(unix)]
fn signal_of(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_status: ExitStatus) -> Option<i32> {
    None
}

/// Reads a pipe to its end, keeping the first `OUTPUT_LIMIT` bytes. Reading on past
/// the limit keeps a chatty test from blocking on a full pipe.
fn read_capped(mut pipe: impl Read) -> String {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match pipe.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = OUTPUT_LIMIT.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// Removes control characters (escape sequences included) except newlines and tabs.
fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}
