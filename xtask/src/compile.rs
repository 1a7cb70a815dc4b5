//! Building a kata's test binary with cargo and finding it.

use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

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
/// learner's check, whose output is a coloured terminal: then errors keep their
/// colours and cargo's progress goes to the terminal, so a long first build shows that
/// it is moving. Otherwise (verify, grade, NO_COLOR, a pipe) cargo's words are kept
/// and shown only when the build fails for a reason that is not a compile error.
pub fn build_suite(
    root: &Path,
    subject: &Subject,
    test_name: &str,
    for_learner: bool,
) -> Result<Build> {
    let format = if for_learner {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    };
    let mut cmd = Command::new(cargo());
    cmd.current_dir(root)
        // Only the suite: the lib's own unit-test harness and doc tests would cost a
        // rebuild after every edit and hold no tests.
        .args(["test", "--no-run", format, "--package", &subject.package])
        .args(["--test", test_name])
        .env("CARGO_TARGET_DIR", target_dir(root))
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    if let Some(manifest) = &subject.manifest {
        cmd.arg("--manifest-path").arg(manifest);
    }
    let show_progress = for_learner && std::io::stderr().is_terminal();
    cmd.stderr(if show_progress {
        Stdio::inherit()
    } else {
        Stdio::piped()
    });
    let output = cmd
        .output()
        .with_context(|| format!("running cargo to build {}", subject.package))?;

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

/// Where cargo builds: `CARGO_TARGET_DIR` when set, else `target/` in the repository.
/// Scratch crates build there too, so they reuse the compiled testing crates.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The cargo that ran us (so `cargo +toolchain xtask` stays on that toolchain).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}
