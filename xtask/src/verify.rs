//! The maintainers' gate. For every kata: the reference passes its whole suite, the
//! stub compiles without warnings and fails, every mutant is rejected, no snapshot is
//! pending. Then formatting, clippy and the runner's own tests. One table, and a
//! non-zero exit on any miss.

use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::compile::cargo;
use crate::diagnose;
use crate::repo::{Kata, Repo};
use crate::run::Outcome;
use crate::scratch;
use crate::style::Style;
use crate::suite::{self, Graded};

const MUTANT_MARKER: &str = "//! MUTANT:";

/// Runs the gate; returns true when everything holds.
pub fn verify(repo: &Repo, only: &[String], style: Style) -> Result<bool> {
    let katas: Vec<&Kata> = if only.is_empty() {
        repo.katas.iter().collect()
    } else {
        only.iter()
            .map(|name| repo.kata(name))
            .collect::<Result<_>>()?
    };

    let mut problems: Vec<String> = Vec::new();
    // Checks that held: a reference, a stub, a mutant, a kata's snapshots, fmt, ...
    let mut checks_held = 0;
    println!(
        "{}",
        style.bold(&format!(
            "{:<14}{:<12}{:<12}{:<16}{}",
            "kata", "reference", "stub", "mutants", "snapshots"
        ))
    );
    for kata in &katas {
        let (row, held) = verify_kata(repo, kata, style, &mut problems)?;
        checks_held += held;
        println!("{row}");
    }

    let packages: Vec<String> = katas
        .iter()
        .flat_map(|k| [k.exercise_package(), k.solution_package()])
        .collect();
    let mut checks = Vec::new();
    checks.push((
        "fmt",
        check_format(repo, &katas, !only.is_empty(), &mut problems)?,
    ));
    checks.push((
        "clippy",
        check_clippy(repo, only.is_empty(), &packages, &mut problems)?,
    ));
    if only.is_empty() {
        checks.push((
            "runner's own tests",
            check_runner_tests(repo, &mut problems)?,
        ));
    }
    let line: Vec<String> = checks
        .iter()
        .map(|(name, ok)| {
            format!(
                "{name} {}",
                if *ok {
                    style.green("ok")
                } else {
                    style.red("FAILED")
                }
            )
        })
        .collect();
    println!("{}", line.join(" · "));

    for problem in &problems {
        println!("\n{problem}");
    }
    checks_held += checks.iter().filter(|(_, ok)| *ok).count();
    let ok = problems.is_empty();
    println!(
        "\nverify: {}",
        if ok {
            style.green("all good")
        } else {
            style.red(&format!("{} problem(s), listed above", problems.len()))
        }
    );
    // The conventional closing line CI systems read: each check held or missed.
    println!("verify: {checks_held} passed, {} failed", problems.len());
    Ok(ok)
}

/// One kata's row of the table and how many of its checks held; what is wrong goes
/// into `problems`.
fn verify_kata(
    repo: &Repo,
    kata: &Kata,
    style: Style,
    problems: &mut Vec<String>,
) -> Result<(String, usize)> {
    let name = &kata.name;
    let mut held = 0;
    let ok = |text: String| style.green(&text);
    let bad = |text: String| style.red(&text);

    // The reference must pass every test.
    let status = Status::new();
    status.show(&format!("{name}: the reference"));
    let reference = suite::grade(&repo.root, kata, &suite::solution(kata), false, false)?;
    let (passed, total) = reference.score();
    let reference_cell = match &reference {
        Graded::DoesNotCompile { diagnostics } => {
            problems.push(format!(
                "{name}: the reference does not compile:\n{}",
                diagnostics.join("\n")
            ));
            bad("no build".into())
        }
        Graded::Ran { runs, .. } if passed < total || total == 0 => {
            let failing: Vec<String> = runs
                .iter()
                .filter(|r| r.outcome != Outcome::Pass)
                .map(|r| {
                    format!(
                        "  {} ({:?})\n      {}",
                        r.name,
                        r.outcome,
                        diagnose::failure_message(&r.output).join("\n      ")
                    )
                })
                .collect();
            problems.push(format!(
                "{name}: the reference fails {} test(s):\n{}",
                total - passed,
                failing.join("\n")
            ));
            bad(format!("{passed}/{total}"))
        }
        Graded::Ran { .. } => {
            held += 1;
            ok(format!("{passed}/{total}"))
        }
    };

    // The stub must compile cleanly and fail.
    status.show(&format!("{name}: the stub"));
    let stub = suite::grade(&repo.root, kata, &suite::exercise(kata), false, false)?;
    let stub_cell = match &stub {
        Graded::DoesNotCompile { diagnostics } => {
            problems.push(format!(
                "{name}: the stub does not compile:\n{}",
                diagnostics.join("\n")
            ));
            bad("no build".into())
        }
        Graded::Ran { warnings, .. } if !warnings.is_empty() => {
            problems.push(format!(
                "{name}: the stub compiles with warnings:\n{}",
                warnings.join("\n")
            ));
            bad("warnings".into())
        }
        Graded::Ran { .. } if stub.all_pass() => {
            problems.push(format!(
                "{name}: the stub passes its whole suite; it must leave work to do"
            ));
            bad("passes ✗".into())
        }
        Graded::Ran { .. } => {
            held += 1;
            ok("fails ✓".into())
        }
    };

    // Every mutant must make the suite fail.
    let mutants = mutant_files(&kata.mutants_dir())?;
    let mut rejected = 0;
    for (i, mutant) in mutants.iter().enumerate() {
        status.show(&format!("{name}: mutant {} of {}", i + 1, mutants.len()));
        let subject = scratch::subject(kata, "mutant", mutant, &repo.root.join("tests"))?;
        let graded = suite::grade(&repo.root, kata, &subject, false, true)?;
        let what = mutant_description(mutant);
        let shown = mutant
            .strip_prefix(&repo.root)
            .unwrap_or(mutant)
            .display()
            .to_string();
        match graded {
            Graded::DoesNotCompile { diagnostics } => problems.push(format!(
                "{name}: mutant {shown} does not compile, so it tests the compiler, not the suite:\n{}",
                diagnostics.join("\n")
            )),
            Graded::Ran { .. } if graded.all_pass() => problems.push(format!(
                "{name}: mutant {shown} SURVIVED: every test passed.\n  Its mistake: {what}\n  \
                 Strengthen tests/{name}.rs until it fails."
            )),
            Graded::Ran { .. } => rejected += 1,
        }
    }
    let mutant_text = format!("{rejected}/{} rejected", mutants.len());
    let mutant_cell = if rejected == mutants.len() && mutants.len() >= 5 {
        ok(mutant_text)
    } else {
        if mutants.len() < 5 {
            problems.push(format!(
                "{name}: {} mutant(s) in tests/mutants/{name}/; every kata needs at least five",
                mutants.len()
            ));
        }
        bad(mutant_text)
    };

    // No snapshot may be left pending.
    let pending = pending_snapshots(&repo.root.join("tests").join("snapshots"), name)?;
    held += rejected;
    status.clear();
    let snapshot_cell = if pending.is_empty() {
        held += 1;
        ok("ok".into())
    } else {
        problems.push(format!(
            "{name}: pending snapshots (review, then accept on the reference or delete): {}",
            pending.join(", ")
        ));
        bad(format!("{} pending", pending.len()))
    };

    let row = format!(
        "{:<14}{}{}{}{}",
        name,
        pad(&reference_cell, 12),
        pad(&stub_cell, 12),
        pad(&mutant_cell, 16),
        snapshot_cell
    );
    Ok((row, held))
}

/// A one-line status on an interactive stderr ("sort: mutant 3 of 17"), rewritten in
/// place and cleared before the kata's row is printed. Elsewhere (CI logs) it stays
/// silent: the rows themselves are the plain progress lines.
struct Status {
    live: bool,
}

impl Status {
    fn new() -> Status {
        Status {
            live: std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, text: &str) {
        if self.live {
            eprint!("\r\x1b[2K  … {text}");
        }
    }

    fn clear(&self) {
        if self.live {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The mutants of a kata: every `.rs` file in its folder, sorted.
pub fn mutant_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    Ok(files)
}

/// The mistake a mutant makes, from its first line.
fn mutant_description(path: &Path) -> String {
    fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            text.lines()
                .next()
                .and_then(|l| l.strip_prefix(MUTANT_MARKER))
                .map(|d| d.trim().to_string())
        })
        .unwrap_or_else(|| format!("(no `{MUTANT_MARKER}` line at the top)"))
}

fn pending_snapshots(dir: &Path, kata: &str) -> Result<Vec<String>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let prefix = format!("{kata}__");
    let mut pending = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let file = entry?.file_name().to_string_lossy().to_string();
        if file.starts_with(&prefix)
            && (file.ends_with(".snap.new") || file.ends_with(".pending-snap"))
        {
            pending.push(file);
        }
    }
    pending.sort();
    Ok(pending)
}

/// `cargo fmt --check` on the workspace, and rustfmt on the mutants (no crate owns them).
fn check_format(
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
    fmt_args.extend(["--".into(), "--check".into()]);
    let fmt_args: Vec<&str> = fmt_args.iter().map(String::as_str).collect();
    let mut ok = quiet_command(repo, cargo(), &fmt_args, problems, "cargo fmt --check")?;
    let mut mutants = Vec::new();
    for kata in katas {
        mutants.extend(mutant_files(&kata.mutants_dir())?);
    }
    if !mutants.is_empty() {
        let mut args: Vec<String> = vec!["--check".into(), "--edition".into(), "2024".into()];
        args.extend(mutants.iter().map(|m| m.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok &= quiet_command(
            repo,
            "rustfmt".into(),
            &args,
            problems,
            "rustfmt --check on the mutants",
        )?;
    }
    Ok(ok)
}

fn check_clippy(
    repo: &Repo,
    whole: bool,
    packages: &[String],
    problems: &mut Vec<String>,
) -> Result<bool> {
    let mut args = vec!["clippy", "--quiet", "--all-targets"];
    if whole {
        args.push("--workspace");
    } else {
        for p in packages {
            args.extend(["--package", p.as_str()]);
        }
    }
    args.extend(["--", "-D", "warnings"]);
    quiet_command(
        repo,
        cargo(),
        &args,
        problems,
        "cargo clippy -- -D warnings",
    )
}

fn check_runner_tests(repo: &Repo, problems: &mut Vec<String>) -> Result<bool> {
    quiet_command(
        repo,
        cargo(),
        &["test", "--quiet", "--package", "xtask"],
        problems,
        "the runner's own tests (cargo test -p xtask)",
    )
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

/// Pads text that may hold colour codes to a visible width.
fn pad(text: &str, width: usize) -> String {
    let visible = strip_ansi(text).chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(visible)))
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
