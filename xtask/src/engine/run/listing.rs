//! Listing a suite's tests: its binary run with `--list`, contained like a test.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{Context, Result, bail};

use super::confine::Confinement;
use super::env::strip_ci_env;
use super::process::{finish_contained, spawn_contained};

/// The names of every test in the binary, sorted. Listing runs the learner's build
/// (its static initialisers, if any), so it is contained like a test: confined beneath
/// `confine` when given, and what it leaves is swept.
pub fn list_tests(test_exe: &Path, confine: Option<&Path>) -> Result<Vec<String>> {
    list(test_exe, confine, &[])
}

/// The names of the tests marked `#[ignore]`, sorted: libtest skips them unless asked,
/// so a learner's ignored test is neither a pass nor a failure.
pub fn list_ignored_tests(test_exe: &Path, confine: Option<&Path>) -> Result<Vec<String>> {
    list(test_exe, confine, &["--ignored"])
}

fn list(test_exe: &Path, confine: Option<&Path>, extra: &[&str]) -> Result<Vec<String>> {
    let confinement = match confine {
        Some(root) => Some(Confinement::new(&[root]).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let mut cmd = Command::new(test_exe);
    cmd.args(["--list", "--format", "terse"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    strip_ci_env(&mut cmd);
    let listing = || format!("listing the tests of {}", test_exe.display());
    let mut child = spawn_contained(&mut cmd, confinement.as_ref().map(Confinement::fd))
        .with_context(listing)?;
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            text
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = finish_contained(&mut child).with_context(listing)?;
    let (stdout, stderr) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    if !status.success() {
        bail!(
            "{} --list failed: {}",
            test_exe.display(),
            String::from_utf8_lossy(&stderr)
        );
    }
    let mut names: Vec<String> = String::from_utf8_lossy(&stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect();
    names.sort();
    Ok(names)
}
