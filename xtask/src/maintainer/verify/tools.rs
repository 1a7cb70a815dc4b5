//! verify's checks with the tools, over all the code at once: `cargo fmt --check` and
//! clippy (each model tier's feature too), on the katas' workspace and on the runner's
//! (a workspace of its own, `xtask/Cargo.toml`), and the runner's own tests.

use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::engine::compile::cargo;
use crate::engine::repo::{Kata, Repo};

/// `cargo fmt --check` on the workspace.
pub(super) fn check_format(
    repo: &Repo,
    katas: &[&Kata],
    only_some: bool,
    problems: &mut Vec<String>,
) -> Result<bool> {
    // All of the workspace, or only the named katas' crates (their suites included).
    let mut fmt_args = vec!["fmt".to_string()];
    if only_some {
        for kata in katas {
            fmt_args.extend(["--package".into(), kata.exercise_package()]);
            fmt_args.extend(["--package".into(), kata.solution_package()]);
        }
    } else {
        fmt_args.push("--all".into());
    }
    // Plain text: the diff lands in a log, where colour escapes would garble it.
    fmt_args.extend([
        "--".into(),
        "--check".into(),
        "--color".into(),
        "never".into(),
    ]);
    let fmt_args: Vec<&str> = fmt_args.iter().map(String::as_str).collect();
    let mut ok = quiet_command(repo, cargo(), &fmt_args, problems, "cargo fmt --check")?;
    if !only_some {
        // The runner and its tests are workspaces of their own, which `--all` does
        // not reach.
        for manifest in RUNNER_MANIFESTS {
            ok &= quiet_command(
                repo,
                cargo(),
                &[
                    "fmt",
                    "--manifest-path",
                    manifest,
                    "--",
                    "--check",
                    "--color",
                    "never",
                ],
                problems,
                &format!("cargo fmt --manifest-path {manifest} --check"),
            )?;
        }
    }
    Ok(ok)
}

pub(super) fn check_clippy(
    repo: &Repo,
    whole: bool,
    packages: &[String],
    problems: &mut Vec<String>,
) -> Result<bool> {
    let mut args = vec!["clippy", "--quiet", "--color", "never", "--all-targets"];
    if whole {
        args.push("--workspace");
    } else {
        for p in packages {
            args.extend(["--package", p.as_str()]);
        }
    }
    args.extend(["--", "-D", "warnings"]);
    let mut ok = quiet_command(
        repo,
        cargo(),
        &args,
        problems,
        "cargo clippy -- -D warnings",
    )?;
    if whole {
        // The runner and its tests are workspaces of their own, which `--workspace`
        // does not reach.
        for manifest in RUNNER_MANIFESTS {
            ok &= quiet_command(
                repo,
                cargo(),
                &[
                    "clippy",
                    "--quiet",
                    "--color",
                    "never",
                    "--all-targets",
                    "--manifest-path",
                    manifest,
                    "--",
                    "-D",
                    "warnings",
                ],
                problems,
                &format!("cargo clippy --manifest-path {manifest} --all-targets -- -D warnings"),
            )?;
        }
    }
    Ok(ok)
}

/// Clippy on each model tier's crates with its feature on, which the plain clippy run
/// never builds (the code behind the feature and the tier's tests).
pub(super) fn check_clippy_model(
    repo: &Repo,
    katas: &[&Kata],
    problems: &mut Vec<String>,
) -> Result<bool> {
    let mut ok = true;
    for kata in katas {
        let Some(model) = &kata.model else {
            continue;
        };
        let (exercise, solution) = (kata.exercise_package(), kata.solution_package());
        let flags = format!(
            "-p {exercise} -p {solution} --all-targets --features {} -- -D warnings",
            model.feature
        );
        // Package and feature names hold no spaces (cargo forbids them).
        let command = format!("clippy --quiet --color never {flags}");
        let args: Vec<&str> = command.split(' ').collect();
        let what = format!("cargo clippy {flags}");
        ok &= quiet_command(repo, cargo(), &args, problems, &what)?;
    }
    Ok(ok)
}

/// The manifests of the runner and of its integration tests, relative to the repository
/// root (where these commands run): each is a workspace of its own.
const RUNNER_MANIFESTS: [&str; 2] = ["xtask/Cargo.toml", "xtask/tests/Cargo.toml"];

/// The runner's unit tests, then its integration tests.
pub(super) fn check_runner_tests(repo: &Repo, problems: &mut Vec<String>) -> Result<bool> {
    let mut ok = true;
    for manifest in RUNNER_MANIFESTS {
        ok &= quiet_command(
            repo,
            cargo(),
            &["test", "--quiet", "--manifest-path", manifest],
            problems,
            &format!("the runner's own tests (cargo test --manifest-path {manifest})"),
        )?;
    }
    Ok(ok)
}

/// Runs a command in the repository root; on failure records its output as a problem.
fn quiet_command(
    repo: &Repo,
    program: String,
    args: &[&str],
    problems: &mut Vec<String>,
    what: &str,
) -> Result<bool> {
    let output = Command::new(&program)
        .args(args)
        .current_dir(&repo.root)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {program}"))?;
    if !output.status.success() {
        problems.push(format!(
            "{what} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output.status.success())
}
