//! What the runner's integration tests share: a small copy of the repository holding only
//! the sort kata, and running the already-built xtask binary in it with a deadline.
//!
//! Every copy builds into the main repository's target folder (the testing crates are
//! compiled once). Its kata crates get a version of their own, so their artifacts never
//! overwrite the main repository's `sort`; and one lock file lets a single test at a
//! time build and run them, across test binaries and processes, because two copies of
//! the same kata would share artifact names.

#![allow(dead_code)]

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Longest any one xtask run may take (a cold build on a busy machine included).
const RUN_DEADLINE: Duration = Duration::from_secs(600);
/// Longest a test waits for another to finish with the shared artifacts.
const LOCK_DEADLINE: Duration = Duration::from_secs(1200);
const TEST_VERSION: &str = "0.1.0-xtask-test";

pub fn main_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("xtask/tests sits in the repository")
        .to_path_buf()
}

/// The runner's binary, built once per test binary. The tests are a package of their
/// own, apart from the runner's workspace (see Cargo.toml), so cargo does not build it
/// for them; this asks cargo to, as `cargo xtask` would (a no-op when it is fresh). A
/// failed build is tried once: every test that needs the runner then fails with it.
pub fn xtask_exe() -> &'static Path {
    static EXE: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let built = EXE.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--message-format=json",
                "--manifest-path",
            ])
            .arg(main_root().join("xtask/Cargo.toml"))
            .current_dir(main_root())
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|err| format!("running cargo to build the runner: {err}"))?;
        if !output.status.success() {
            return Err("the runner did not build (cargo's errors are above)".into());
        }
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .find(|msg| msg["target"]["name"] == "xtask" && msg["executable"].is_string())
            .and_then(|msg| msg["executable"].as_str().map(PathBuf::from))
            .ok_or_else(|| "cargo did not name the runner's binary".into())
    });
    match built {
        Ok(exe) => exe,
        Err(why) => panic!("{why}"),
    }
}

pub fn target_dir() -> PathBuf {
    main_root().join("target")
}

/// Held while a test builds and runs kata crates in a copy.
pub struct BuildLock {
    _file: File,
}

impl BuildLock {
    pub fn acquire() -> BuildLock {
        let path = target_dir().join("xtask-copy-tests.lock");
        fs::create_dir_all(target_dir()).unwrap();
        let file = File::create(&path).expect("creating the lock file");
        let deadline = Instant::now() + LOCK_DEADLINE;
        loop {
            match file.try_lock() {
                Ok(()) => return BuildLock { _file: file },
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(100));
                }
                Err(err) => panic!("could not lock {}: {err}", path.display()),
            }
        }
    }
}

/// A folder under the system's temporary folder, removed when dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// A copy of the repository with only the sort kata: `<temp>/repo`.
pub struct MiniRepo {
    pub temp: TempDir,
    pub root: PathBuf,
}

impl MiniRepo {
    pub fn new(name: &str) -> MiniRepo {
        MiniRepo::with_kata(name, "sort")
    }

    /// A copy of the repository with only `kata` (its crates, suite, snapshots, mutants
    /// and wheats).
    pub fn with_kata(name: &str, kata: &str) -> MiniRepo {
        let temp = TempDir::new(name);
        let root = temp.path.join("repo");
        let main = main_root();
        for file in ["Cargo.toml", "Cargo.lock", ".gitignore"] {
            copy_file(&main.join(file), &root.join(file));
        }
        for dir in [
            ".cargo",
            // The workspace's `benches/*` must match a folder, or cargo refuses to load
            // it; the kit alone compiles nothing until a benchmark needs it.
            "benches/kit",
            "tests/support",
            "xtask/src",
            "xtask/templates",
        ] {
            if main.join(dir).exists() {
                copy_dir(&main.join(dir), &root.join(dir));
            }
        }
        for dir in ["exercises", "solutions", "tests/mutants", "tests/wheats"] {
            let dir = format!("{dir}/{kata}");
            if main.join(&dir).exists() {
                copy_dir(&main.join(&dir), &root.join(&dir));
            }
        }
        // The runner is a workspace of its own: its manifest and lock file.
        for file in ["xtask/Cargo.toml", "xtask/Cargo.lock"] {
            copy_file(&main.join(file), &root.join(file));
        }
        let suite = format!("tests/{kata}.rs");
        copy_file(&main.join(&suite), &root.join(&suite));
        for entry in fs::read_dir(main.join("tests/snapshots")).unwrap() {
            let entry = entry.unwrap();
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(&format!("{kata}__"))
            {
                copy_file(
                    &entry.path(),
                    &root.join("tests/snapshots").join(entry.file_name()),
                );
            }
        }
        // Until the kata's Chinese README is written, one with README.md's text and
        // the hints under their Chinese heading: what verify checks is the shape.
        let chinese = root.join(format!("exercises/{kata}/README.zh.md"));
        if !chinese.is_file() {
            let english =
                fs::read_to_string(root.join(format!("exercises/{kata}/README.md"))).unwrap();
            fs::write(&chinese, english.replace("\n## Hints\n", "\n## 提示\n")).unwrap();
        }
        for manifest in ["exercises", "solutions"] {
            let path = root.join(format!("{manifest}/{kata}/Cargo.toml"));
            let text = fs::read_to_string(&path).unwrap();
            let (head, rest) = text.split_once("\nversion = ").expect("a version line");
            let rest = rest.split_once('\n').map_or("", |(_, rest)| rest);
            fs::write(
                &path,
                format!("{head}\nversion = \"{TEST_VERSION}\"\n{rest}"),
            )
            .unwrap();
        }
        MiniRepo { temp, root }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn xtask(&self, args: &[&str]) -> Run {
        xtask_in(&self.root, args)
    }

    /// `xtask` with extra environment variables.
    pub fn xtask_env(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        xtask_in_env(&self.root, args, env)
    }
}

/// The reference of `kata` with the mutant `name` applied (`tests/mutants/<kata>/<name>.patch`).
pub fn mutant_source(repo: &MiniRepo, kata: &str, name: &str) -> String {
    let reference = fs::read_to_string(repo.path(&format!("solutions/{kata}/src/lib.rs"))).unwrap();
    let text =
        fs::read_to_string(repo.path(&format!("tests/mutants/{kata}/{name}.patch"))).unwrap();
    let patch = diffy::Patch::from_str(&text).expect("a mutant is a unified diff");
    diffy::apply(&reference, &patch).expect("the mutant applies to the reference")
}

/// What one xtask run printed, and how it ended.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs the built xtask in `dir`, without colour, in English (no locale variables),
/// killing it past the deadline.
pub fn xtask_in(dir: &Path, args: &[&str]) -> Run {
    xtask_in_env(dir, args, &[])
}

/// [`xtask_in`] with extra environment variables.
pub fn xtask_in_env(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut child = Command::new(xtask_exe())
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CARGO_TARGET_DIR", target_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the xtask binary starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + RUN_DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("xtask {args:?} ran past {RUN_DEADLINE:?} and was stopped");
        }
        thread::sleep(Duration::from_millis(50));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Runs git in `dir` (for pristine refs), failing the test on an error.
pub fn git(dir: &Path, args: &[&str]) {
    let output: Output = Command::new("git")
        .args([
            "-c",
            "user.name=xtask tests",
            "-c",
            "user.email=xtask@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

pub fn copy_file(from: &Path, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::copy(from, to).unwrap_or_else(|e| panic!("copying {}: {e}", from.display()));
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, as paths relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// A fresh copy of the fixture repository (`xtask/tests/fixtures/demo-repo`) in a temporary
/// folder, removed when dropped.
pub struct Fixture {
    pub dir: PathBuf,
}

impl Fixture {
    pub fn new(name: &str) -> Fixture {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-repo");
        let dir = std::env::temp_dir().join(format!("xtask-runner-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        copy_dir(&source, &dir);
        // Copies share one target folder, where cargo names a crate's artifacts by
        // its name and version (not its folder): a version of its own per test keeps
        // one test's edited crate from overwriting another's binary.
        let version: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        for side in ["exercises", "solutions"] {
            for kata in fs::read_dir(dir.join(side)).unwrap() {
                let manifest = kata.unwrap().path().join("Cargo.toml");
                let text = fs::read_to_string(&manifest).unwrap();
                let text = text.replacen(
                    "\nversion = \"0.1.0\"\n",
                    &format!("\nversion = \"0.1.0-{version}\"\n"),
                    1,
                );
                fs::write(&manifest, text).unwrap();
            }
        }
        Fixture { dir }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Runs `xtask args...` in the fixture, without colour (see [`fixture_command`]).
    pub fn xtask(&self, args: &[&str]) -> Output {
        fixture_command(&self.dir, args)
            .output()
            .expect("the xtask binary runs")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `xtask args...` in `dir`, without colour, building into a target folder shared by
/// all fixture tests (the fixture has no dependencies).
pub fn fixture_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(xtask_exe());
    cmd.args(args)
        .current_dir(dir)
        // English unless a test asks for another language: the machine's locale must
        // not change what the tests see.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .env("CARGO_TARGET_DIR", fixture_target())
        .stdin(Stdio::null());
    cmd
}

pub fn fixture_target() -> PathBuf {
    target_dir().join("xtask-fixture-target")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// True while the process `pid` exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command's name in parentheses: `123 (sleep) S ...`.
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

/// The pids written into `dir` by the fixture's processes (`<kind>-<pid>` files).
pub fn noted_pids(dir: &Path) -> Vec<(String, u32)> {
    let mut pids: Vec<(String, u32)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            let (kind, pid) = name.rsplit_once('-')?;
            Some((kind.to_string(), pid.parse().ok()?))
        })
        .collect();
    pids.sort();
    pids
}

/// insta's `assert_snapshot!`, kept in `xtask/tests/snapshots/`. These tests are a
/// workspace of their own, while `.cargo/config.toml` gives insta the katas' workspace
/// root (`INSTA_WORKSPACE_ROOT`), where it would otherwise look for these snapshots.
#[allow(unused_macros)]
macro_rules! assert_snapshot {
    ($name:expr, $value:expr $(,)?) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        settings.bind(|| insta::assert_snapshot!($name, $value));
    }};
}
#[allow(unused_imports)]
pub(crate) use assert_snapshot;
