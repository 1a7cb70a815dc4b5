//! Nothing a test starts outlives it, not even a process that leaves the test's process
//! group.
//!
//! Killing a test's process group misses a process that called `setsid` (a session and
//! a group of its own) or `setpgid`, and a double fork hides a process from its
//! grandparent. So the runner makes itself a *child subreaper*
//! (`prctl(PR_SET_CHILD_SUBREAPER)`, Linux 3.4, no privilege needed): a process whose
//! parent ends is then re-parented to the runner instead of to init, however it
//! detached. Every process a test leaves behind is thus, once the processes between
//! them have ended, a child of the runner.
//!
//! [`sweep`] finds them: every process whose parent is the runner (the runner's
//! threads' `children` lists, each checked against its `/proc/<pid>/stat`; every
//! `/proc/*/stat` where the kernel has no such lists) and that is not one of the
//! runner's own processes still at work (the live tests, given by the caller). Each is killed with its process group when it leads one (a `setsid`
//! leaves it leading both its session and its group), then reaped by its own pid
//! (`waitpid` on that pid only), so the exit status of a `std::process::Child` the
//! runner still holds is never taken. Killing a process re-parents its children to the
//! runner too, so the sweep goes round again until no stray is left, at most
//! [`ROUNDS`] rounds and [`REAP_LIMIT`] of waiting in all.
//!
//! The sweep runs after each test process ends (see `process.rs`), after each build
//! (a build script is a learner's code outside `--submission`), at the end of every
//! run, so before any report is written, and when the runner is interrupted.
//!
//! Only between the sweeps does a stray run: while the tests of its run go on. A stray
//! that forks faster than it is killed, round after round, is not caught: the run then
//! fails (see [`Swept::left`]) rather than report anything.

use std::collections::HashSet;
use std::sync::Once;
use std::time::{Duration, Instant};

/// At most this many rounds of killing and reaping per sweep.
const ROUNDS: usize = 64;
/// At most this long waiting for killed processes to end, per sweep. A process killed
/// with SIGKILL ends at once unless stuck in the kernel (an unreachable network file
/// system); that one is left, and the next sweep tries again.
const REAP_LIMIT: Duration = Duration::from_secs(2);

static SUBREAPER: Once = Once::new();

/// Makes the runner a child subreaper, once; later calls do nothing. Called before the
/// first build or test, so nothing a learner's code starts can miss it. Best effort: on
/// a system without it, processes that left their group are found only while their
/// parent lives (the sweep still kills what it sees).
pub fn become_subreaper() {
    SUBREAPER.call_once(|| {
        // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag of this process.
        unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1 as libc::c_ulong, 0, 0, 0);
        }
    });
}

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Processes killed (or found ended) and reaped.
    pub reaped: usize,
    /// Strays still there when the sweep gave up (its rounds or its time ran out).
    pub left: usize,
}

/// Kills and reaps every child of the runner but the pids in `spare` (the live tests,
/// each leading its own group), round after round until none is left.
pub fn sweep(spare: &[i32]) -> Swept {
    let me = std::process::id() as i32;
    // SAFETY: getpgrp only reads this process's group id.
    let own_group = unsafe { libc::getpgrp() };
    let spare: HashSet<i32> = spare.iter().copied().collect();
    let started = Instant::now();
    let mut swept = Swept::default();
    for _ in 0..ROUNDS {
        let strays: Vec<Child> = children_of(me)
            .into_iter()
            .filter(|c| !spare.contains(&c.pid))
            .collect();
        if strays.is_empty() {
            swept.left = 0;
            return swept;
        }
        for stray in &strays {
            // Its group too, when it leads one of its own: what it started stays in it
            // unless that moved on as well (then the next round finds it). Never the
            // runner's group, nor a live test's (a stray may have joined either).
            if stray.pgid == stray.pid && stray.pgid != own_group && !spare.contains(&stray.pgid) {
                // SAFETY: killpg only sends a signal; the stray is our unreaped child, so
                // its pid (its group's id) cannot have been reused.
                unsafe { libc::killpg(stray.pgid, libc::SIGKILL) };
            }
            // SAFETY: as above, the pid is our child's until we reap it.
            unsafe { libc::kill(stray.pid, libc::SIGKILL) };
        }
        let mut pending: Vec<i32> = strays.iter().map(|c| c.pid).collect();
        let mut pause = Duration::from_micros(100);
        while !pending.is_empty() && started.elapsed() < REAP_LIMIT {
            pending.retain(|&pid| !reap(pid));
            if !pending.is_empty() {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(10));
            }
        }
        swept.reaped += strays.len() - pending.len();
        swept.left = pending.len();
        if started.elapsed() >= REAP_LIMIT {
            break;
        }
    }
    if swept.left == 0 {
        // The rounds ran out with strays still appearing: count what is there now.
        swept.left = children_of(me)
            .iter()
            .filter(|c| !spare.contains(&c.pid))
            .count();
    }
    swept
}

/// True once `pid` (a child of ours) has ended and been reaped.
fn reap(pid: i32) -> bool {
    let mut status = 0;
    // SAFETY: waitpid on one pid writes only the status it is given.
    let found = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    // ECHILD: not ours any more (reaped already); either way it is gone.
    found == pid || found == -1
}

/// A process of /proc whose parent is the runner.
struct Child {
    pid: i32,
    pgid: i32,
}

/// The runner's children, live or ended and not yet reaped. The kernel lists each
/// thread's children in `/proc/self/task/<tid>/children` (an orphan goes to a thread of
/// the subreaper): reading those few files is cheap, where reading every process's
/// `/proc/<pid>/stat` costs milliseconds on a busy machine, after every test. Without
/// those files (a kernel built without them), every `/proc/*/stat` is read instead.
fn children_of(parent: i32) -> Vec<Child> {
    let pids = listed_children().unwrap_or_else(|| {
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
            .collect()
    });
    pids.into_iter()
        .filter_map(|pid: i32| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (ppid, pgid) = parent_and_group(&stat)?;
            (ppid == parent).then_some(Child { pid, pgid })
        })
        .collect()
}

/// The pids in this process's threads' `children` files; `None` when the kernel has
/// none.
fn listed_children() -> Option<Vec<i32>> {
    let mut pids = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        match std::fs::read_to_string(task.path().join("children")) {
            Ok(text) => pids.extend(
                text.split_whitespace()
                    .filter_map(|p| p.parse::<i32>().ok()),
            ),
            // A thread that ended while being read has no children to give.
            Err(_) if !task.path().exists() => {}
            Err(_) => return None,
        }
    }
    pids.sort_unstable();
    pids.dedup();
    Some(pids)
}

/// The parent and the process group in a `/proc/<pid>/stat` line: `pid (name) state
/// ppid pgrp ...`. The name may hold spaces and parentheses, so the fields are counted
/// from its last `) `.
fn parent_and_group(stat: &str) -> Option<(i32, i32)> {
    let mut fields = stat.rsplit_once(") ")?.1.split(' ');
    let _state = fields.next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgid = fields.next()?.parse().ok()?;
    Some((ppid, pgid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parent_and_group_past_a_name_with_parentheses() {
        assert_eq!(
            parent_and_group("4242 (sh) x) (y) S 17 4242 4242 0 -1 4194560"),
            Some((17, 4242))
        );
        assert_eq!(parent_and_group("garbage"), None);
    }
}
