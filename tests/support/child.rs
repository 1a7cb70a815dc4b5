#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Running one test of the suite again in a child process, for checks a test cannot
//! make inside its own process:
//!
//! - that a function **overflows** a small stack on a deep input (so it recurses): the
//!   overflow aborts the process it happens in, so it must happen in a child;
//! - what a function does from **another working directory** (relative paths), which
//!   one process shares between all its threads;
//! - what a function does as an **unprivileged user**, so that file permissions apply
//!   even when the suite runs as root (CI does: root reads every file).
//!
//! The child is the test binary itself, run with `--exact <test>` and the environment
//! variable [`CHILD_ROLE`] set: the test sees the variable, does the child's part and
//! returns. Include with `#[path = "support/child.rs"] mod child;`.
//!
//! ```ignore
//! #[test]
//! fn my_check() {
//!     if child::role().as_deref() == Some("deep") {
//!         return deep_part(); // the child
//!     }
//!     let out = child::run("module::my_check", "deep", |_| {});
//!     assert!(child::overflowed(&out), "...");
//! }
//! ```

// Its own copy of the language switch, so that a suite that includes this file need not
// include `lang.rs` first (a suite that does loads the file twice, harmlessly).
#[allow(clippy::duplicate_mod)]
#[path = "lang.rs"]
mod lang;

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The variable that makes a test run as a child, and tells it which part to play.
pub const CHILD_ROLE: &str = "KATA_SUITE_CHILD_ROLE";

/// The user and group `nobody`: no file is readable through them that is not readable
/// by everyone.
pub const NOBODY: u32 = 65534;

thread_local! {
    /// The test this thread last ran in a child ([`run`]): in the child, libtest names
    /// the test's thread after it, which tells the test's own panics from those of
    /// threads that panicked after it (a helper left blocked, then woken by the clean-up).
    static LAST_RUN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The role this process plays: `None` in a normal run, `Some(role)` in a child.
pub fn role() -> Option<String> {
    std::env::var(CHILD_ROLE).ok()
}

/// Runs the test `test` (its full name, `module::name`) of this binary in a child with
/// `role` set, after `configure` (working directory, user, more variables), and returns
/// its exit status and output. Panics if the child cannot be started at all.
pub fn run(test: &str, role: &str, configure: impl Fn(&mut Command)) -> Output {
    LAST_RUN.with(|last| *last.borrow_mut() = Some(test.to_string()));
    let exe = std::env::current_exe().expect("the test binary's own path");
    let command = |exe: &Path| {
        let mut cmd = Command::new(exe);
        cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ROLE, role)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null());
        configure(&mut cmd);
        cmd
    };
    match command(&exe).output() {
        Ok(out) => out,
        // An unprivileged child may not reach the binary where it was built (a private
        // home directory): run a copy from a fresh, world-readable directory instead.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            let copy = world_readable_copy(&exe);
            let out = command(&copy)
                .output()
                .unwrap_or_else(|e| panic!("could not start {}: {e}", copy.display()));
            let _ = std::fs::remove_dir_all(copy.parent().expect("the copy's directory"));
            out
        }
        Err(e) => panic!("could not run the test binary {} again: {e}", exe.display()),
    }
}

fn world_readable_copy(exe: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!(
        "kata-suite-child-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("create a directory for a copy of the test binary");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
        .expect("make the copy's directory readable");
    let copy = dir.join("suite");
    std::fs::copy(exe, &copy).expect("copy the test binary");
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755))
        .expect("make the copy executable");
    copy
}

/// Runs the child as the user and group `nobody` when this process is root, so that
/// file permissions apply to it; as this process's user otherwise (permissions already
/// apply). Use it inside `run`'s `configure`.
pub fn unprivileged(cmd: &mut Command) {
    if running_as_root() {
        cmd.gid(NOBODY).uid(NOBODY);
    }
}

/// Whether this process runs as root: the owner of a file it creates.
pub fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Unique to the call: tests run on several threads of one process.
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let probe = std::env::temp_dir().join(format!(
        "kata-suite-uid-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&probe, b"").expect("create a file in the temp dir");
    let uid = std::fs::metadata(&probe).expect("read its owner").uid();
    let _ = std::fs::remove_file(&probe);
    uid == 0
}

/// True when the child died of a stack overflow: Rust prints "has overflowed its
/// stack" and aborts.
pub fn overflowed(out: &Output) -> bool {
    out.status.signal().is_some()
        && String::from_utf8_lossy(&out.stderr).contains("has overflowed its stack")
}

/// True when the child's test passed.
///
/// It exited 0 *and* libtest summed up one test passed: a child that exits 0 before
/// its test ends (a `std::process::exit(0)` in the code under test) never reached the
/// test's checks, and a test name that matches nothing runs no test at all.
pub fn passed(out: &Output) -> bool {
    out.status.success() && summed_up_one_pass(out)
}

fn summed_up_one_pass(out: &Output) -> bool {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|line| line.starts_with("test result: ok. 1 passed;"))
}

/// The child's output, for a failure message: the child's own panic message (its last
/// panic: proptest and quickcheck sum up there), then its exit status; without a panic,
/// its exit status and the end of what it printed.
///
/// It also prints the child's panics, as the child printed them, on this process's
/// stderr: the runner then finds the child's panic, and the line of the suite's
/// assertion it points at, before this process's own panic, whose place would be only
/// the line that called `describe`.
pub fn describe(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let zh = lang::zh();
    let status = match (out.status.code(), out.status.signal()) {
        (Some(code), _) if zh => format!("以退出码 {code} 结束"),
        (Some(code), _) => format!("exited with code {code}"),
        (None, Some(signal)) if zh => format!("被信号 {signal} 终止"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        _ if zh => "已结束".to_string(),
        _ => "ended".to_string(),
    };
    let mut panics = panics(&stderr);
    // The test's last panic ends its story (proptest and quickcheck sum up there);
    // panics after it come from threads woken by the clean-up that followed.
    let test = LAST_RUN
        .with(|last| last.borrow().clone())
        .unwrap_or_default();
    let of_test =
        |p: &String| p.starts_with(&format!("thread '{test}'")) || p.starts_with("thread 'main'");
    if let Some(end) = panics.iter().rposition(of_test) {
        panics.truncate(end + 1);
    }
    if let Some(last) = panics.last() {
        eprintln!("{}", panics.join("\n"));
        let message = last.split_once('\n').map_or("", |(_, message)| message);
        return if zh {
            format!("{message}\n（在单独的子进程里运行，子进程{status}）")
        } else {
            format!("{message}\n(run in a process of its own, which {status})")
        };
    }
    if out.status.success() && !summed_up_one_pass(out) {
        return if zh {
            "子进程以退出码 0 结束，但它的测试并没有运行完（代码里调用了 std::process::exit 吗？）"
                .to_string()
        } else {
            "the child process exited with code 0 before its test finished (does the code \
             call std::process::exit?)"
                .to_string()
        };
    }
    let text = format!("{stdout}{stderr}");
    let interesting: Vec<&str> = text
        .lines()
        .filter(|l| {
            let l = l.trim();
            !l.is_empty()
                && !l.starts_with("running ")
                && !l.starts_with("test result")
                && !l.starts_with("note: run with")
                && !l.starts_with("failures:")
                && !l.starts_with("---- ")
        })
        .collect();
    let tail = interesting[interesting.len().saturating_sub(12)..].join("\n    ");
    if zh {
        format!("子进程{status}：\n    {tail}")
    } else {
        format!("the child process {status}:\n    {tail}")
    }
}

/// The panics in a child's stderr, each its `thread '...' panicked at <place>:` line
/// and its message, in the order they happened. A panic's message ends where the
/// standard library's note on backtraces, or the next panic, begins.
fn panics(stderr: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut open = false;
    for line in stderr.lines() {
        if line.starts_with("thread '") && line.contains(" panicked at ") {
            found.push(line.to_string());
            open = true;
        } else if line.starts_with("note: run with `RUST_BACKTRACE") {
            open = false;
        } else if let (true, Some(panic)) = (open, found.last_mut()) {
            panic.push('\n');
            panic.push_str(line);
        }
    }
    for panic in &mut found {
        panic.truncate(panic.trim_end().len());
    }
    found
}
