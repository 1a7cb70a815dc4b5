//! A temporary folder of its own for every test process: its `TMPDIR`.
//!
//! A test that runs past its deadline, or crashes, is killed (`SIGKILL`): no destructor
//! runs, so a temporary folder it made (with a 10 MiB file in it, say) would stay in the
//! system's temp folder for ever, one more at every check and at every save under
//! `watch`. So each test process gets `TMPDIR=<scratch>/tmp/<run>/<n>`, which
//! `std::env::temp_dir` (and `mktemp`, and the children a test starts) use, and the
//! runner removes it:
//! - when it is finished with the process, after its process group was killed
//!   (dropping the [`TestTmp`] after the process);
//! - the whole run's folder when the run ends, whatever a dying process created at the
//!   last moment;
//! - at the next run, the folders of runs that could not clean up (the runner was
//!   killed, or interrupted: the signal thread exits at once), and of this process's
//!   earlier runs (`watch` checks again and again in one process).
//!
//! Each test's folder has the mode of `/tmp` (`1777`): when the suite runs as root, a
//! child it starts as the user `nobody` (`tests/support/child.rs`) must be able to use
//! it as it would `/tmp`. For the same reason, when the runner is root and someone
//! other than root could not reach the scratch folder (a repository under a private
//! home), the folders go under the system's temp folder instead.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use anyhow::{Context, Result};

/// This process's runs: how many were started (a run's folder is `<pid>-<run>`), and
/// those still running, whose folders a sweep must leave alone.
static RUNS: Mutex<(u64, Vec<u64>)> = Mutex::new((0, Vec::new()));

fn runs() -> MutexGuard<'static, (u64, Vec<u64>)> {
    RUNS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The temporary folders of one run's test processes, removed with it.
pub struct TmpRoot {
    dir: PathBuf,
    run: u64,
    next: std::cell::Cell<u64>,
}

impl TmpRoot {
    /// A fresh folder for this run under `scratch` (after sweeping away what earlier
    /// runs left).
    pub fn create(scratch: &Path) -> Result<TmpRoot> {
        let base = base_folder(scratch);
        let run = {
            let mut runs = runs();
            sweep(&base, &runs.1);
            let run = runs.0;
            runs.0 += 1;
            runs.1.push(run);
            run
        };
        let dir = base.join(format!("{}-{run}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        // Reachable by a child of a test that runs as `nobody` (see the module's docs).
        for folder in [&base, &dir] {
            let _ = std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755));
        }
        Ok(TmpRoot {
            dir,
            run,
            next: std::cell::Cell::new(0),
        })
    }

    /// A new, empty folder for one test process.
    pub fn fresh(&self) -> Result<TestTmp> {
        let n = self.next.get();
        self.next.set(n + 1);
        let dir = self.dir.join(n.to_string());
        std::fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777))
            .with_context(|| format!("opening {} to everyone, as /tmp is", dir.display()))?;
        Ok(TestTmp { dir })
    }
}

impl Drop for TmpRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        runs().1.retain(|&run| run != self.run);
    }
}

/// One test process's `TMPDIR`, removed when dropped (drop it after the process).
pub struct TestTmp {
    dir: PathBuf,
}

impl TestTmp {
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for TestTmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `<scratch>/tmp`; but when the runner is root and that folder could not be reached by
/// other users, a folder of the system's temp folder (see the module's docs).
fn base_folder(scratch: &Path) -> PathBuf {
    let local = scratch.join("tmp");
    // SAFETY: geteuid only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    if root && !reachable_by_all(scratch) {
        std::env::temp_dir().join("kata-xtask-tmp")
    } else {
        local
    }
}

/// True when every existing folder from `/` down to `path` may be entered by anyone.
fn reachable_by_all(path: &Path) -> bool {
    let Ok(absolute) = std::path::absolute(path) else {
        return false;
    };
    absolute
        .ancestors()
        .filter_map(|folder| std::fs::metadata(folder).ok())
        .all(|metadata| metadata.mode() & 0o001 != 0)
}

/// Removes the run folders under `base` that no run is using: those of processes that
/// have ended, and this process's own runs that are over (not in `active`).
fn sweep(base: &Path, active: &[u64]) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((pid, run)) = name
            .to_str()
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, run)| Some((pid.parse::<u32>().ok()?, run.parse::<u64>().ok()?)))
        else {
            continue;
        };
        let over = if pid == me {
            !active.contains(&run)
        } else {
            !alive(pid)
        };
        if over {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// True while a process `pid` exists (a pid reused by another process counts: its
/// folder is then kept until a later run).
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sweep removes the folders of runs that have ended (their process is gone, or it
    /// is this process and the run is over) and nothing else.
    #[test]
    fn a_sweep_removes_only_what_no_run_uses() {
        let base = std::env::temp_dir().join(format!("xtask-tmp-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let ended = std::process::Command::new("true").spawn().unwrap();
        let dead = ended.id();
        let _ = { ended }.wait();
        let me = std::process::id();
        let folders = [
            (format!("{dead}-0"), false),
            (format!("{me}-7"), false),
            (format!("{me}-8"), true),
            ("1-0".to_string(), true),
            ("notes".to_string(), true),
        ];
        for (name, _) in &folders {
            std::fs::create_dir_all(base.join(name).join("inside")).unwrap();
        }
        sweep(&base, &[8]);
        for (name, kept) in &folders {
            assert_eq!(base.join(name).exists(), *kept, "{name}");
        }
        std::fs::remove_dir_all(&base).unwrap();
    }

    /// Each test process's folder is fresh and open to all as /tmp is, and goes when
    /// it is dropped; the run's folder goes with the run.
    #[test]
    fn folders_go_with_their_process_and_their_run() {
        let scratch = std::env::temp_dir().join(format!("xtask-tmp-run-{}", std::process::id()));
        let root = TmpRoot::create(&scratch).unwrap();
        let first = root.fresh().unwrap();
        let second = root.fresh().unwrap();
        assert_ne!(first.path(), second.path());
        let mode = std::fs::metadata(first.path()).unwrap().mode();
        assert_eq!(mode & 0o7777, 0o1777);
        std::fs::write(first.path().join("big.bin"), [0u8; 64]).unwrap();
        let (first_path, run) = (first.path().to_path_buf(), root.dir.clone());
        drop(first);
        assert!(!first_path.exists());
        assert!(second.path().exists());
        std::mem::forget(second);
        drop(root);
        assert!(!run.exists(), "the run's folder outlived the run");
        let _ = std::fs::remove_dir_all(&scratch);
    }
}
