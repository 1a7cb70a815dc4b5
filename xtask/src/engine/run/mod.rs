//! Running a suite, and classifying each test by how its process ended.
//!
//! Nothing a test prints decides its outcome. A test passes when libtest's log file
//! (at a path only the runner knows, with a fresh random part in its name, written by
//! the harness after the test returned) records it as `ok`, and, for a test run on
//! its own, its process exited 0. So learner code that prints `test x ... ok`, or
//! calls `process::exit(0)` half-way, gains nothing. (Code inside the test process can
//! always reach for the harness itself, e.g. append to the log; `grade` flags crates
//! that reach for the process or the environment: see `instructor/grade/flags.rs` and
//! GRADING.md.)
//!
//! Fewer processes when nothing goes wrong, the same guarantees when something does:
//! 0. **All at once.** First the whole suite runs in one libtest process on one
//!    thread per core, as plain `cargo test` runs it: on a passing kata that is the
//!    whole run, as fast as `cargo test` itself. Suites count what is process-wide
//!    (threads, the peak heap, children) in a child process of their own
//!    (`tests/support/child.rs`), so that run is as safe as `cargo test`. With threads
//!    the log cannot say which test ended it, so when that process crashes, exits
//!    early, or logs nothing for longer than its patience, it is killed and what it did
//!    not log as passing goes on in batches (1.); when it went quiet, the tests it was
//!    running (libtest starts them in name order) go straight on as suspects. A loop, a
//!    crash or an early exit costs the tests it touched a second run, never a wrong
//!    result.
//! 1. **Batches.** The tests are split into one batch per core, each batch one
//!    libtest process running its tests one at a time in name order. The log says
//!    which tests ended; the one running is the first not yet logged. A batch test that
//!    runs longer than its patience (`PATIENCE`, or four times the slowest test the
//!    batches have seen pass, so a loaded machine does not make every test a suspect)
//!    is taken out: the batch is killed, that test is
//!    re-run on its own as a *suspect*, and a new batch goes on after it.
//! 2. **On its own.** Every test a batch did not log as `ok` (it crashed the batch,
//!    or was still running when the batch was killed) runs again in its own process
//!    with its own deadline, and that run decides it. A test the batch logged as
//!    failed, in a batch that ran to its end, is a failure without a second run: its
//!    message is the section libtest printed for it (re-run on its own if that section
//!    is missing or was cut). A log line can only be forged into a pass, never into a
//!    failure, so this keeps every guarantee and spares a stub's many failing tests a
//!    process each. Suspects run all at once
//!    at a lower CPU priority (nice 10), so a kata with one looping function reports within
//!    about one timeout, and its other tests still run at full speed.
//!
//! Each test process is the leader of its own process group, killed as a group (see
//! `process.rs`); its output is kept head and tail (see `capture.rs`); its `TMPDIR` is
//! a folder of its own, removed after it (see `tmp.rs`).

mod capture;
mod confine;
mod env;
mod listing;
mod log;
mod process;
mod reaper;
mod status;
mod tmp;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use confine::Confinement;
use env::set_test_env;
pub use env::strip_ci_env;
pub use listing::{list_ignored_tests, list_tests};
use log::{LogDir, failure_section, read_log};
use process::{Limits, TestProcess};
pub use process::{finish_contained, spawn_contained, sweep_strays};
pub use reaper::become_subreaper;
use status::StatusLine;
use tmp::{TestTmp, TmpRoot};

/// How long a test may run inside a batch before it is taken out to run on its own,
/// at least. Suites' tests take milliseconds; one past this is likely looping.
const PATIENCE: Duration = Duration::from_millis(250);
/// A test may take this many times as long as the slowest test a batch has passed...
const PATIENCE_FACTOR: u32 = 4;
/// ...but never more than this in a batch.
const MAX_PATIENCE: Duration = Duration::from_secs(1);
/// At most this many batches run at once: one per core, one more for each suspect
/// found (the rest of a batch that held a suspect goes on as two batches), so the
/// tests of a looping function are found side by side, not one after another.
const MAX_LANES: usize = 16;
/// At most this many suspects (tests taken out of a batch) run at once.
const MAX_SUSPECTS: usize = 64;

/// Set to stop the check in progress (watch saw a save).
static CANCEL: AtomicBool = AtomicBool::new(false);

/// The error of a run stopped by [`cancel`].
#[derive(Debug)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the check was stopped")
    }
}

impl std::error::Error for Cancelled {}

/// Stops the run in progress (its tests are killed and it returns [`Cancelled`]).
pub fn cancel() {
    CANCEL.store(true, Ordering::SeqCst);
}

/// Lets runs go on again after a [`cancel`].
pub fn clear_cancel() {
    CANCEL.store(false, Ordering::SeqCst);
}

pub fn cancelled() -> bool {
    CANCEL.load(Ordering::SeqCst)
}

/// How one test ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// The test panicked (or the process exited non-zero by itself).
    Fail,
    /// Still running at the deadline; the runner killed it.
    Timeout,
    /// Killed by a signal: a stack overflow, an abort, an allocation failure.
    Crash {
        signal: i32,
    },
}

/// One test's result and what it printed (stdout then stderr, head and tail, control
/// characters removed, so printed garbage cannot repaint the learner's terminal).
#[derive(Clone, Debug)]
pub struct TestRun {
    pub name: String,
    pub outcome: Outcome,
    pub output: String,
    /// Wall-clock seconds the test took, as the runner saw it: a test on its own, from
    /// its process's start to its end; a test in a batch, the time since the batch's
    /// log last grew, shared among the lines that arrived together (so to the grain of
    /// the runner's polling). For reports (JUnit's `time`), never for a verdict.
    pub seconds: f64,
}

/// How to run a suite's tests.
pub struct RunPlan<'a> {
    pub test_exe: &'a Path,
    /// The folder the tests run in (cargo's convention: the crate's folder).
    pub crate_dir: &'a Path,
    /// The repository root (insta resolves snapshot paths against it).
    pub repo_root: &'a Path,
    /// A folder only the runner writes to (under the target folder), for the logs.
    pub scratch_dir: &'a Path,
    pub timeout: Duration,
    /// The cap on each test process's address space, in MiB.
    pub memory_mib: u64,
    /// When to stop before every test has run.
    pub stop: Stop<'a>,
    /// A live status line on stderr, labelled with this (a learner's terminal).
    pub status: Option<&'a str>,
    /// For a trusted grading: the tests may write only beneath this folder (the
    /// student's copy; its `tmp/` is their temporary folder) and the run's logs
    /// (`confine.rs`).
    pub confine: Option<&'a Path>,
}

/// When to stop running a suite's tests before every test has run.
#[derive(Clone, Copy)]
pub enum Stop<'a> {
    /// Never: every test runs (a learner's check, a class's grade).
    Never,
    /// At the first test seen not to pass: enough to know that something fails.
    AtAnyFailure,
    /// Once the first failure in this order (a sort key on test names; ties keep name
    /// order) is known, that is once every test before it has passed: the failure a
    /// learner's report shows first, found without running the rest.
    AtFirstFailureBy(&'a dyn Fn(&str) -> (usize, usize, usize)),
}

/// Whether test processes can be confined here (`confine.rs`): `Err` says why not.
pub fn confinement_available(writable: &Path) -> Result<(), String> {
    Confinement::new(&[writable]).map(drop)
}

/// The temporary folder of confined tests, inside the folder they may write.
fn confined_tmp(root: &Path) -> PathBuf {
    root.join("tmp")
}

/// What a running process is doing.
enum Job {
    /// Tests (indices into the names, in name order) in one libtest process on
    /// `threads` threads; `ended` counts those its log has recorded so far, `failed`
    /// those it logged as failed.
    Batch {
        tests: Vec<usize>,
        threads: usize,
        ended: usize,
        since: Instant,
        failed: Vec<usize>,
    },
    /// One test on its own.
    Alone { test: usize, suspect: bool },
}

struct Running {
    job: Job,
    process: TestProcess,
    log: PathBuf,
    /// Dropped after `process` (fields drop in order): the folder goes once the
    /// process's group has been killed.
    _tmp: TestTmp,
}

/// Runs the named tests; returns their runs in the order of `names` (when stopping
/// at the first failure, only the tests that ran).
pub fn run_tests(plan: &RunPlan, names: &[String]) -> Result<Vec<TestRun>> {
    run(plan, |_, _, _| Ok((names.to_vec(), None))).map(|(_, runs)| runs)
}

/// Runs every test of the suite; returns their names (sorted) and their runs, in that
/// order (when stopping at the first failure, only the tests that ran). The whole suite
/// starts at once (step 0, with no names given, libtest runs them all) while the tests
/// are listed beside it, so the listing costs no time of its own.
pub fn run_suite(plan: &RunPlan) -> Result<(Vec<String>, Vec<TestRun>)> {
    run(plan, |logs, tmp, confinement| {
        let jobs = lanes_wanted();
        let log = logs.fresh()?;
        let how = How {
            names: &[],
            log: &log,
            suspect: false,
            threads: jobs,
        };
        let (process, test_tmp) = spawn_test(plan, tmp, confinement, &how)?;
        let started = Running {
            job: Job::Batch {
                tests: Vec::new(), // every test: filled in once they are listed
                threads: jobs,
                ended: 0,
                since: Instant::now(),
                failed: Vec::new(),
            },
            process,
            log,
            _tmp: test_tmp,
        };
        // If the listing fails, `started` is dropped: its group is killed.
        let names = list_tests(plan.test_exe, plan.confine)?;
        Ok((names, Some(started)))
    })
}

/// What [`run_tests`] and [`run_suite`] share: the run's folders and confinement, the
/// tests to run (and maybe the whole suite already started) from `start`, the
/// scheduler, and the sweep before anything is reported.
fn run(
    plan: &RunPlan,
    start: impl FnOnce(
        &LogDir,
        &TmpRoot,
        Option<&Confinement>,
    ) -> Result<(Vec<String>, Option<Running>)>,
) -> Result<(Vec<String>, Vec<TestRun>)> {
    let logs = LogDir::create(plan.scratch_dir)?;
    let confinement = match plan.confine {
        Some(root) => {
            std::fs::create_dir_all(confined_tmp(root))
                .with_context(|| format!("creating {}", confined_tmp(root).display()))?;
            Some(Confinement::new(&[root, &logs.dir]).map_err(anyhow::Error::msg)?)
        }
        None => None,
    };
    let tmp = TmpRoot::create(plan.scratch_dir)?;
    let result = start(&logs, &tmp, confinement.as_ref()).and_then(|(names, started)| {
        let runs = Scheduler::new(plan, &names, &logs, &tmp, confinement.as_ref())
            .adopt(started)
            .run()?;
        Ok((names, runs))
    });
    if result.is_err() {
        process::kill_all();
    }
    // Before anything is reported: nothing the tests started may still run (each test's
    // end swept already; this catches what a killed test's children left on their way).
    let swept = sweep_strays();
    if swept.left > 0 {
        bail!(
            "the tests started processes that could not all be stopped ({} still running \
             after the runner killed what it found, round after round): nothing is \
             reported, since they could change what would be",
            swept.left
        );
    }
    result
}

/// How many tests run at once: one per core.
fn lanes_wanted() -> usize {
    thread::available_parallelism().map_or(2, |n| n.get())
}

struct Scheduler<'a> {
    plan: &'a RunPlan<'a>,
    names: &'a [String],
    index: HashMap<&'a str, usize>,
    logs: &'a LogDir,
    tmp: &'a TmpRoot,
    confinement: Option<&'a Confinement>,
    jobs: usize,
    results: Vec<Option<TestRun>>,
    /// Seconds each test took in a batch, set when its log line is read (see
    /// [`TestRun::seconds`]).
    batch_seconds: Vec<f64>,
    /// Tests to run in one libtest process, and on how many threads.
    batches: VecDeque<(Vec<usize>, usize)>,
    alone: VecDeque<usize>,
    suspects: VecDeque<usize>,
    running: Vec<Running>,
    stop: bool,
    /// With [`Stop::AtFirstFailureBy`]: the tests (indices into the names) in its order.
    order: Vec<usize>,
    /// The longest a test has taken to pass in a batch so far.
    slowest_pass: Duration,
    /// How many batches may run at once.
    lanes: usize,
}

impl<'a> Scheduler<'a> {
    fn new(
        plan: &'a RunPlan<'a>,
        names: &'a [String],
        logs: &'a LogDir,
        tmp: &'a TmpRoot,
        confinement: Option<&'a Confinement>,
    ) -> Scheduler<'a> {
        let jobs = lanes_wanted();
        let all: Vec<usize> = (0..names.len()).collect();
        let mut order: Vec<usize> = (0..names.len()).collect();
        if let Stop::AtFirstFailureBy(key) = plan.stop {
            order.sort_by_cached_key(|&i| key(&names[i]));
        }
        Scheduler {
            plan,
            names,
            index: names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect(),
            logs,
            tmp,
            confinement,
            jobs,
            results: vec![None; names.len()],
            batch_seconds: vec![0.0; names.len()],
            // The whole suite at once, on a thread per core (step 0).
            batches: Some((all, jobs))
                .filter(|(all, _)| !all.is_empty())
                .into_iter()
                .collect(),
            alone: VecDeque::new(),
            suspects: VecDeque::new(),
            running: Vec::new(),
            stop: false,
            order,
            slowest_pass: Duration::ZERO,
            lanes: jobs,
        }
    }

    /// Takes on the whole suite already started on its threads (step 0), if it was.
    fn adopt(mut self, started: Option<Running>) -> Self {
        if let Some(mut started) = started {
            if let Job::Batch { tests, .. } = &mut started.job {
                *tests = (0..self.names.len()).collect();
            }
            self.batches.clear();
            self.running.push(started);
        }
        self
    }

    fn run(mut self) -> Result<Vec<TestRun>> {
        let mut status = StatusLine::new(self.plan.status, self.names.len());
        let mut pause = Duration::from_micros(500);
        loop {
            if cancelled() {
                self.running.clear();
                status.clear();
                return Err(Cancelled.into());
            }
            if !self.stop {
                self.start_jobs()?;
            }
            if self.running.is_empty() {
                break;
            }
            let mut progressed = false;
            let mut i = 0;
            while i < self.running.len() {
                if let Some(done) = self.poll(i)? {
                    progressed = true;
                    if done {
                        self.running.swap_remove(i);
                        continue;
                    }
                }
                i += 1;
            }
            if progressed && self.stops_at_failures() {
                self.stop = self.first_failure_known();
            }
            if self.stop {
                self.running.clear();
                break;
            }
            let done = self.results.iter().filter(|r| r.is_some()).count();
            status.show(done, self.running.len());
            // Most tests end within milliseconds: look often, then back off. A test
            // process that ends wakes the wait at once (`wait_any`).
            if progressed {
                pause = Duration::from_micros(500);
            } else {
                process::wait_any(self.running.iter().map(|r| &r.process), pause);
                pause = (pause * 2).min(Duration::from_millis(10));
            }
        }
        status.clear();
        Ok(self.results.into_iter().flatten().collect())
    }

    fn stops_at_failures(&self) -> bool {
        !matches!(self.plan.stop, Stop::Never)
    }

    /// True when the failure the plan stops at has been seen: any failure, or the
    /// first in its order once every test before it has passed.
    fn first_failure_known(&self) -> bool {
        let failed = |test: &usize| {
            self.results[*test]
                .as_ref()
                .map(|run| run.outcome != Outcome::Pass)
        };
        match self.plan.stop {
            Stop::Never => false,
            Stop::AtAnyFailure => (0..self.names.len()).any(|t| failed(&t) == Some(true)),
            Stop::AtFirstFailureBy(_) => self
                .order
                .iter()
                .map(failed)
                .find(|outcome| *outcome != Some(false))
                .is_some_and(|outcome| outcome == Some(true)),
        }
    }

    fn start_jobs(&mut self) -> Result<()> {
        let count = |s: &Self, batch: bool| {
            s.running
                .iter()
                .filter(|r| matches!(r.job, Job::Batch { .. }) == batch)
                .filter(|r| !matches!(r.job, Job::Alone { suspect: true, .. }))
                .count()
        };
        let busy = |s: &Self| count(s, true) + count(s, false);
        loop {
            let batch_room = count(self, true) < self.lanes;
            let room = busy(self) < self.jobs;
            if let Some((tests, threads)) = self
                .batches
                .pop_front_if(|_| batch_room && (room || self.lanes > self.jobs))
            {
                let names: Vec<&str> = tests.iter().map(|&t| self.names[t].as_str()).collect();
                let log = self.logs.fresh()?;
                let (process, tmp) = self.spawn(&names, &log, false, threads)?;
                self.running.push(Running {
                    job: Job::Batch {
                        tests,
                        threads,
                        ended: 0,
                        since: Instant::now(),
                        failed: Vec::new(),
                    },
                    process,
                    log,
                    _tmp: tmp,
                });
            } else if let Some(test) = self.alone.pop_front_if(|_| room) {
                self.start_alone(test, false)?;
            } else {
                break;
            }
        }
        let suspects = |s: &Self| s.running.len() - busy(s);
        while suspects(self) < MAX_SUSPECTS {
            let Some(test) = self.suspects.pop_front() else {
                break;
            };
            self.start_alone(test, true)?;
        }
        Ok(())
    }

    fn start_alone(&mut self, test: usize, suspect: bool) -> Result<()> {
        let log = self.logs.fresh()?;
        let (process, tmp) = self.spawn(&[self.names[test].as_str()], &log, suspect, 1)?;
        self.running.push(Running {
            job: Job::Alone { test, suspect },
            process,
            log,
            _tmp: tmp,
        });
        Ok(())
    }

    fn spawn(
        &self,
        names: &[&str],
        log: &Path,
        suspect: bool,
        threads: usize,
    ) -> Result<(TestProcess, TestTmp)> {
        let how = How {
            names,
            log,
            suspect,
            threads,
        };
        spawn_test(self.plan, self.tmp, self.confinement, &how)
    }

    /// Looks at running process `i`: `None` if nothing changed, `Some(true)` when it
    /// is finished with (remove it), `Some(false)` when a batch moved on.
    fn poll(&mut self, i: usize) -> Result<Option<bool>> {
        let timeout = self.plan.timeout;
        let running = &mut self.running[i];
        let status = running.process.poll()?;
        match running.job {
            Job::Alone { test, .. } => {
                let outcome = match status {
                    Some(status) => classify(status, &self.names[test], &running.log),
                    None if running.process.past_deadline(timeout) => {
                        running.process.kill();
                        Outcome::Timeout
                    }
                    None => return Ok(None),
                };
                let output = running.process.output();
                self.results[test] = Some(TestRun {
                    name: self.names[test].clone(),
                    outcome,
                    output,
                    seconds: running.process.started.elapsed().as_secs_f64(),
                });
                Ok(Some(true))
            }
            Job::Batch { .. } => self.poll_batch(i, status),
        }
    }

    fn poll_batch(&mut self, i: usize, status: Option<ExitStatus>) -> Result<Option<bool>> {
        let stops_at_failures = self.stops_at_failures();
        let running = &mut self.running[i];
        let Job::Batch {
            tests,
            threads,
            ended,
            since,
            failed,
        } = &mut running.job
        else {
            unreachable!("poll_batch on a batch")
        };
        // The log is read whole each time: it is a line per test.
        let logged = read_log(&running.log);
        let mut moved = false;
        let arrived = logged.len().saturating_sub(*ended);
        let each = if arrived == 0 {
            0.0
        } else {
            since.elapsed().as_secs_f64() / arrived as f64
        };
        for (ok, name) in &logged[(*ended).min(logged.len())..] {
            let Some(&test) = self.index.get(name.as_str()) else {
                continue;
            };
            if !tests.contains(&test) || self.results[test].is_some() {
                continue;
            }
            moved = true;
            self.batch_seconds[test] = each;
            if *ok {
                self.results[test] = Some(TestRun {
                    name: self.names[test].clone(),
                    outcome: Outcome::Pass,
                    output: String::new(),
                    seconds: each,
                });
            } else if stops_at_failures {
                // Whether and where it fails is all that is asked: no second run to
                // explain it.
                self.results[test] = Some(TestRun {
                    name: self.names[test].clone(),
                    outcome: Outcome::Fail,
                    output: String::new(),
                    seconds: each,
                });
            } else {
                failed.push(test);
            }
        }
        if logged.len() > *ended {
            // Lines come one test at a time: the time since the last line is about how
            // long the tests it records took (the first includes the process's start).
            if logged[*ended..].iter().all(|(ok, _)| *ok) {
                // On several threads, tests overlap: each took about that many times
                // as long as the lines' spacing.
                let each = since.elapsed() * *threads as u32 / (logged.len() - *ended) as u32;
                self.slowest_pass = self.slowest_pass.max(each);
            }
            *ended = logged.len();
            *since = Instant::now();
        }
        let patience = PATIENCE
            .max(self.slowest_pass * PATIENCE_FACTOR)
            .min(MAX_PATIENCE)
            .min(self.plan.timeout / 2);
        // The tests this batch has not logged yet, in the order it runs them.
        let ended_tests: Vec<usize> = logged
            .iter()
            .filter_map(|(_, n)| self.index.get(n.as_str()).copied())
            .collect();
        let unfinished: Vec<usize> = tests
            .iter()
            .copied()
            .filter(|t| !ended_tests.contains(t))
            .collect();
        let threads = *threads;
        let finished_with = match status {
            // The whole suite on threads (step 0) ended before logging every test, or
            // went quiet past its patience. With threads, the log cannot say which test
            // is to blame, so every test it did not log as passing goes on in batches,
            // one test at a time, which can. (Its failures too: a batch that ends
            // whole prints their sections, so they need no process each.)
            _ if threads > 1
                && !unfinished.is_empty()
                && (status.is_some() || since.elapsed() >= patience) =>
            {
                running.process.kill();
                // libtest starts the tests in name order, a new one as one ends: when
                // none has ended for so long, the ones running are those not logged
                // among the first (logged + threads). Those are the suspects.
                let (suspects, rest): (Vec<usize>, Vec<usize>) = if status.is_none() {
                    let started = &tests[..(logged.len() + threads).min(tests.len())];
                    unfinished.iter().partition(|t| started.contains(t))
                } else {
                    (Vec::new(), unfinished)
                };
                self.suspects.extend(suspects);
                let mut again: Vec<usize> = failed.iter().copied().chain(rest).collect();
                again.sort_unstable();
                let chunk = again.len().div_ceil(self.jobs).max(1);
                for part in again.chunks(chunk).rev() {
                    self.batches.push_front((part.to_vec(), 1));
                }
                true
            }
            Some(status) => {
                // The batch ended. If it did not log every test, the first it did
                // not log is the one that ended it (a crash, an exit): that one runs
                // on its own; the tests after it never ran, so they go on as a batch.
                if let Some((&first, rest)) = unfinished.split_first() {
                    self.alone.push_back(first);
                    if !rest.is_empty() {
                        self.batches.push_front((rest.to_vec(), 1));
                    }
                }
                // A batch that ran to its end printed each failed test's captured
                // output: a failure found there needs no second run. (The log said it
                // failed; the section only explains why.) Any other runs on its own.
                let whole = unfinished.is_empty() && signal_of(status).is_none();
                let output = if whole {
                    running.process.output()
                } else {
                    String::new()
                };
                for &test in failed.iter() {
                    match whole
                        .then(|| failure_section(&output, &self.names[test]))
                        .flatten()
                    {
                        Some(section) => {
                            self.results[test] = Some(TestRun {
                                name: self.names[test].clone(),
                                outcome: Outcome::Fail,
                                output: section,
                                seconds: self.batch_seconds[test],
                            });
                        }
                        None => self.alone.push_back(test),
                    }
                }
                true
            }
            None if since.elapsed() >= patience && !unfinished.is_empty() => {
                // The running test is taking long: take it out as a suspect.
                running.process.kill();
                self.alone.extend(failed.iter().copied());
                let (&first, rest) = unfinished.split_first().expect("not empty");
                self.suspects.push_back(first);
                // Where one test loops, its neighbours often do too: go on with the
                // rest as two batches, side by side.
                self.lanes = (self.lanes + 1).min(MAX_LANES);
                let half = rest.len().div_ceil(2);
                for part in rest.chunks(half.max(1)).rev() {
                    self.batches.push_front((part.to_vec(), 1));
                }
                true
            }
            None => false,
        };
        Ok((moved || finished_with).then_some(finished_with))
    }
}

/// One libtest process to start: which tests (none: every test of the suite), its log,
/// whether it is a suspect (a lower priority), on how many threads.
struct How<'a> {
    names: &'a [&'a str],
    log: &'a Path,
    suspect: bool,
    threads: usize,
}

/// Starts one libtest process of the plan's suite, in a group of its own, with its own
/// `TMPDIR`.
fn spawn_test(
    plan: &RunPlan,
    tmp_root: &TmpRoot,
    confinement: Option<&Confinement>,
    how: &How,
) -> Result<(TestProcess, TestTmp)> {
    let tmp = tmp_root.fresh()?;
    let mut cmd = Command::new(plan.test_exe);
    cmd.args(how.names)
        .args([
            "--exact",
            "--test-threads",
            &how.threads.to_string(),
            "--logfile",
        ])
        .arg(how.log)
        .current_dir(plan.crate_dir);
    set_test_env(&mut cmd, plan.repo_root);
    // Temporary folders the test makes go to a folder of its own, removed after it
    // even when it is killed before its own clean-up runs; a confined test's is one
    // the sandbox lets it write.
    match plan.confine {
        Some(root) => cmd.env("TMPDIR", confined_tmp(root)),
        None => cmd.env("TMPDIR", tmp.path()),
    };
    let limits = Limits {
        memory_mib: plan.memory_mib,
        low_priority: how.suspect,
        confine: confinement.map(Confinement::fd),
    };
    // Output decides nothing; it only explains failures (a batch's, when it ends
    // normally, holds its failed tests' sections).
    let process = process::spawn(&mut cmd, limits, true)
        .with_context(|| format!("starting {}", plan.test_exe.display()))?;
    Ok((process, tmp))
}

fn classify(status: ExitStatus, name: &str, log: &Path) -> Outcome {
    if let Some(signal) = signal_of(status) {
        return Outcome::Crash { signal };
    }
    let logged_ok = read_log(log).iter().any(|(ok, n)| *ok && n == name);
    if status.success() && logged_ok {
        Outcome::Pass
    } else {
        Outcome::Fail
    }
}

fn signal_of(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}
