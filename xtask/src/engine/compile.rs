//! Building a kata's test binary with cargo and finding it.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result};
use serde_json::Value;

/// The crate whose suite is built: the learner's, the reference, or a scratch crate
/// (a mutant or a pristine suite) with its own manifest.
#[derive(Clone, Debug)]
pub struct Subject {
    /// cargo's package name.
    pub package: String,
    /// `--manifest-path` for crates outside the workspace.
    pub manifest: Option<PathBuf>,
    /// Where the test binary runs (cargo runs tests in the package's folder).
    pub crate_dir: PathBuf,
    /// For a scratch crate: a lock on its folder, held while this subject lives, so
    /// two runners (two maintainers' `verify`, a test beside a `grade`) never rewrite
    /// one scratch workspace under each other.
    pub _lock: Option<Arc<File>>,
}

/// What came of the build.
pub enum Build {
    /// The test binary, and any warnings the build printed (rendered by rustc).
    Ready {
        test_exe: PathBuf,
        warnings: Vec<String>,
    },
    /// The crate did not compile: rustc's rendered errors (or cargo's own words).
    Failed { diagnostics: Vec<String> },
}

/// Builds (without running) the test target `test_name` of `subject`.
///
/// Only the JSON lines cargo prints on stdout are read. `for_learner` is true for a
/// learner's check: then cargo's own words (its progress, "Blocking waiting for file
/// lock", a download) go straight to the learner's stderr, so a long first build or a
/// wait on cargo's lock shows at once that something is happening and why; errors keep
/// their colours when the terminal has them (`NO_COLOR` means no colour, not no
/// progress). Otherwise (verify, grade) cargo's words are kept and shown only when the
/// build fails for a reason that is not a compile error. `feature`: a cargo feature
/// to build with (a kata's model tier); the ordinary build has none.
pub fn build_suite(
    root: &Path,
    subject: &Subject,
    test_name: &str,
    feature: Option<&str>,
    for_learner: bool,
) -> Result<Build> {
    let format = if for_learner && crate::engine::style::Style::detect().color {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    };
    let mut cmd = Command::new(cargo());
    // Run in the folder `cargo xtask` was run in, as the cargo that built the runner
    // was: a relative CARGO_TARGET_DIR then names the same folder for both.
    cmd
        // Only the suite: the lib's own unit-test harness and doc tests would cost a
        // rebuild after every edit and hold no tests.
        .args(["test", "--no-run", format, "--package", &subject.package])
        .args(["--test", test_name])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    if let Some(feature) = feature {
        cmd.args(["--features", feature]);
    }
    match &subject.manifest {
        // A scratch crate is a workspace of its own: it builds in the repository's
        // target folder, so the testing crates are not compiled again.
        Some(manifest) => {
            cmd.arg("--manifest-path")
                .arg(manifest)
                .env("CARGO_TARGET_DIR", target_dir(root));
        }
        None => {
            cmd.arg("--manifest-path").arg(root.join("Cargo.toml"));
        }
    }
    cmd.stderr(Stdio::piped());
    if for_learner {
        // cargo's words are passed on as they come (see `relay`); on a terminal it
        // is asked for its progress bar and colours as if it wrote there itself.
        if let Some(columns) = terminal_columns()
            && !crate::engine::style::dumb_terminal()
        {
            if std::env::var_os("CARGO_TERM_PROGRESS_WHEN").is_none() {
                cmd.env("CARGO_TERM_PROGRESS_WHEN", "always")
                    .env("CARGO_TERM_PROGRESS_WIDTH", columns.to_string());
            }
            if crate::engine::style::Style::detect().color {
                cmd.env("CARGO_TERM_COLOR", "always");
            }
        }
    }
    let mut child = cmd
        .spawn()
        .with_context(|| format!("running cargo to build {}", subject.package))?;
    let mut child_err = child.stderr.take().expect("stderr is piped");
    let relayed = std::thread::spawn(move || relay(&mut child_err, for_learner));
    let output = child
        .wait_with_output()
        .with_context(|| format!("running cargo to build {}", subject.package))?;
    let output = std::process::Output {
        stderr: relayed.join().unwrap_or_default(),
        ..output
    };

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut test_exe = None;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        // One JSON object a line (cargo's `--message-format=json`); anything else on
        // stdout (a build script's output) is not ours to read.
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-message") => {
                let Some(text) = msg["message"]["rendered"].as_str() else {
                    continue;
                };
                match msg["message"]["level"].as_str() {
                    Some("error" | "error: internal compiler error") => errors.push(text.into()),
                    Some("warning") => warnings.push(text.into()),
                    _ => {}
                }
            }
            Some("compiler-artifact") => {
                let target = &msg["target"];
                let is_suite = target["name"] == test_name
                    && target["kind"]
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|k| k == "test"));
                if let (true, Some(exe)) = (is_suite, msg["executable"].as_str()) {
                    test_exe = Some(PathBuf::from(exe));
                }
            }
            _ => {}
        }
    }

    match test_exe {
        Some(test_exe) if output.status.success() => Ok(Build::Ready { test_exe, warnings }),
        _ => {
            if errors.is_empty() {
                // Not a compile error: cargo itself failed (a bad manifest, no network
                // for a first download). Its own words are on stderr.
                let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
                errors.push(if stderr.is_empty() {
                    format!(
                        "cargo could not build {} (see its output above)",
                        subject.package
                    )
                } else {
                    stderr
                });
            }
            Ok(Build::Failed {
                diagnostics: errors,
            })
        }
    }
}

/// Reads cargo's stderr to its end and returns it. With `live`, passes it on to the
/// runner's stderr as it comes, a line (or a progress bar's `\r`-ended update) at a
/// time, except cargo's closing "error: could not compile ..." and "build failed"
/// lines: the report that follows says that, with the errors, under its own header.
fn relay(from: &mut impl std::io::Read, live: bool) -> Vec<u8> {
    use std::io::Write;
    let mut all = Vec::new();
    let mut line = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut out = std::io::stderr();
    let mut pass_on = |line: &mut Vec<u8>| {
        let text = crate::engine::style::strip_ansi(&String::from_utf8_lossy(line));
        let text = text.trim_start_matches(['\r', ' ']);
        let closing = text.starts_with("error: could not compile")
            || text.starts_with("warning: build failed, waiting for other jobs");
        if live && !closing {
            let _ = out.write_all(line);
            let _ = out.flush();
        }
        line.clear();
    };
    loop {
        let n = match from.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        all.extend_from_slice(&chunk[..n]);
        for &byte in &chunk[..n] {
            line.push(byte);
            if byte == b'\n' || byte == b'\r' {
                pass_on(&mut line);
            }
        }
    }
    if !line.is_empty() {
        pass_on(&mut line);
    }
    all
}

/// The width of the terminal on stderr, if stderr is one.
pub fn terminal_columns() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; fd 2 is stderr.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(2, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col)
}

/// Where cargo builds this repository, as cargo itself says (`cargo metadata`): it
/// knows `CARGO_TARGET_DIR` (relative to the folder cargo was started in),
/// `build.target-dir` in config files, and whatever comes next. Every path the runner
/// writes lives in it. Asked once per run; `<root>/target` if cargo cannot say.
pub fn target_dir(root: &Path) -> PathBuf {
    static ASKED: OnceLock<Mutex<Vec<(PathBuf, PathBuf)>>> = OnceLock::new();
    let asked = ASKED.get_or_init(|| Mutex::new(Vec::new()));
    let mut asked = asked.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, dir)) = asked.iter().find(|(r, _)| r == root) {
        return dir.clone();
    }
    let dir = ask_target_dir(root).unwrap_or_else(|| root.join("target"));
    asked.push((root.to_path_buf(), dir.clone()));
    dir
}

fn ask_target_dir(root: &Path) -> Option<PathBuf> {
    // Run from the current folder, as `cargo xtask` was: a relative
    // CARGO_TARGET_DIR means the same folder to both.
    let output = Command::new(cargo())
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let meta: Value = serde_json::from_slice(&output.stdout).ok()?;
    meta["target_directory"].as_str().map(PathBuf::from)
}

/// The cargo that ran us (so `cargo +toolchain xtask` stays on that toolchain).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// What one cargo run building every package of a scratch workspace gave: each
/// package's test binary, and rustc's rendered errors for those that did not compile.
pub struct WorkspaceBuild {
    /// Test binaries, by package folder (the folder of the package's Cargo.toml).
    pub test_exes: BTreeMap<PathBuf, PathBuf>,
    /// Errors, by package folder; `general` holds cargo's own when it gave no rustc error.
    pub errors: BTreeMap<PathBuf, Vec<String>>,
    pub general: Vec<String>,
}

/// Builds the test target `test_name` of every package in the workspace at
/// `manifest` (a scratch workspace sharing `root`'s target folder), in one cargo run,
/// so cargo compiles them side by side and the shared dependencies once. Cargo's
/// progress goes to the learner's stderr when `for_learner`.
pub fn build_workspace_tests(
    root: &Path,
    manifest: &Path,
    test_name: &str,
    for_learner: bool,
) -> Result<WorkspaceBuild> {
    let mut cmd = Command::new(cargo());
    cmd.args([
        "test",
        "--no-run",
        "--workspace",
        // Every package that compiles is built, even when another does not.
        "--no-fail-fast",
        "--message-format=json",
    ])
    .args(["--test", test_name])
    .arg("--manifest-path")
    .arg(manifest)
    .env("CARGO_TARGET_DIR", target_dir(root))
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .context("running cargo to build the learner's tests")?;
    let mut child_err = child.stderr.take().expect("stderr is piped");
    let relayed = std::thread::spawn(move || relay(&mut child_err, for_learner));
    let output = child
        .wait_with_output()
        .context("running cargo to build the learner's tests")?;
    let stderr = relayed.join().unwrap_or_default();
    let mut built = WorkspaceBuild {
        test_exes: BTreeMap::new(),
        errors: BTreeMap::new(),
        general: Vec::new(),
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let package_dir = msg["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        match msg["reason"].as_str() {
            Some("compiler-message") => {
                let level = msg["message"]["level"].as_str();
                if let (Some(text), Some("error" | "error: internal compiler error")) =
                    (msg["message"]["rendered"].as_str(), level)
                {
                    built
                        .errors
                        .entry(package_dir)
                        .or_default()
                        .push(text.into());
                }
            }
            Some("compiler-artifact") => {
                let is_test = msg["target"]["name"] == test_name
                    && msg["target"]["kind"]
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|k| k == "test"));
                if let (true, Some(exe)) = (is_test, msg["executable"].as_str()) {
                    built.test_exes.insert(package_dir, PathBuf::from(exe));
                }
            }
            _ => {}
        }
    }
    if !output.status.success() && built.errors.is_empty() {
        let stderr = String::from_utf8_lossy(&stderr).trim().to_string();
        built.general.push(if stderr.is_empty() {
            "cargo could not build the learner's tests (see its output above)".into()
        } else {
            stderr
        });
    }
    Ok(built)
}
