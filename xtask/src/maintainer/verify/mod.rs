//! The maintainers' gate. For every kata: the reference passes its whole suite, the
//! stub compiles without warnings and fails, every mutant is rejected, every wheat (a
//! correct implementation taking another route) is accepted, no snapshot is
//! pending; for a kata with a model tier, its reference passes that tier and its stub
//! fails it, and the `TIER: model` mutants are judged there. Then formatting, clippy
//! (with each model tier's feature too) and the runner's own tests. One table, and a
//! non-zero exit on any miss.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches};

use crate::engine::diagnose;
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::{Outcome, Stop, TestRun};
use crate::engine::style::{LiveLine, Style};
use crate::engine::suite::{self, Graded, Tier};
use crate::learner::progress::Focus;
use crate::maintainer::bench;
use crate::maintainer::layout;
use crate::maintainer::mutants::{self, Verdict};

mod tools;
use tools::{check_clippy, check_clippy_model, check_format, check_runner_tests};

const NO_SOLUTIONS: &str = "this copy of the repository has no reference solutions (it is a \
     student export), so there is nothing for the maintainers' gate to verify. Learners grade \
     their work with `cargo xtask check <kata>`; instructors with `cargo xtask grade`.";

/// The `verify` subcommand and its options.
pub fn command() -> clap::Command {
    clap::Command::new("verify")
        .about("Maintainers' gate: references pass, stubs fail, mutants are rejected, lints clean")
        .arg(
            Arg::new("katas")
                .value_name("KATA")
                .action(ArgAction::Append)
                .help(
                    "Only these katas (and skip the workspace-wide checks that need all of them)",
                ),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    let katas: Vec<String> = m
        .get_many::<String>("katas")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    verify(repo, &katas, style)
}

/// Runs the gate; returns true when everything holds.
pub fn verify(repo: &Repo, only: &[String], style: Style) -> Result<bool> {
    if !repo.has_solutions() {
        bail!(NO_SOLUTIONS);
    }
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
    // Said before the long part: a learner who ran the wrong command learns it now.
    let edited = edited_stubs(repo);
    if !edited.is_empty() {
        println!(
            "{}\n",
            style.yellow(&format!(
                "exercises/ holds changes to the stubs ({}). verify is the maintainers' gate: it \
                 requires every stub to fail, so a solved kata fails it. Learners grade their \
                 work with `cargo xtask check <kata>`.",
                edited.join(", ")
            ))
        );
    }
    // The layout first: a kata the runner cannot see would otherwise pass unseen.
    let layout_problems = layout::problems(repo)?;
    let layout_ok = layout_problems.is_empty();
    problems.extend(layout_problems);
    println!(
        "{}",
        style.bold(&format!(
            "{:<14}{:<12}{:<12}{:<34}{:<12}{}",
            "kata", "reference", "stub", "mutants", "snapshots", "model tier"
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
    let mut checks = vec![("layout", layout_ok)];
    // The last phase: a status line for each part, as for the katas above.
    let status = LiveLine::new();
    status.show("fmt: cargo fmt --check");
    checks.push((
        "fmt",
        check_format(repo, &katas, !only.is_empty(), &mut problems)?,
    ));
    status.show(if only.is_empty() {
        "clippy: the katas' workspace, the runner's and its tests'"
    } else {
        "clippy: these katas' crates"
    });
    checks.push((
        "clippy",
        check_clippy(repo, only.is_empty(), &packages, &mut problems)?
            & check_clippy_model(repo, &katas, &mut problems)?,
    ));
    // Every benchmark of these katas runs once (benches/<kata>, criterion's test mode).
    checks.push((
        "benches",
        bench::check_benches(repo, &katas, &mut problems)?,
    ));
    if only.is_empty() {
        status.show(
            "the runner's own tests (cargo test --manifest-path xtask/Cargo.toml, and xtask/tests/Cargo.toml; a few minutes)",
        );
        checks.push((
            "runner's own tests",
            check_runner_tests(repo, &mut problems)?,
        ));
    }
    status.clear();
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

    if !only.is_empty() {
        for note in untouched_dependents(repo, &katas)? {
            println!("\n{}", style.yellow(&note));
        }
    }
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
    // The conventional closing line CI systems read: each check held or missed. A check
    // is one reference passing its suite, one stub compiling cleanly and failing, one
    // mutant rejected, one wheat accepted, one kata's snapshots, and each workspace check (layout, fmt,
    // clippy, the runner's tests).
    let workspace: Vec<&str> = checks.iter().map(|(name, _)| *name).collect();
    // The closing line stays alone on its line, in the form CI systems read.
    println!(
        "checks counted: per kata its reference, its stub, each mutant, each wheat, its snapshots{}; then {}",
        if katas.iter().any(|k| k.model.is_some()) {
            " (with a model tier, its reference and stub there too)"
        } else {
            ""
        },
        workspace.join(", ")
    );
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
    let status = LiveLine::new();
    status.show(&format!("{name}: the reference"));
    let reference = suite::grade(
        &repo.root,
        kata,
        &suite::solution(kata),
        Tier::Ordinary,
        false,
        Stop::Never,
    )?;
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
            problems.push(format!(
                "{name}: the reference fails {} test(s):\n{}",
                total - passed,
                failures(runs)
            ));
            bad(format!("{passed}/{total}"))
        }
        Graded::Ran { .. } => {
            held += 1;
            ok(format!("{passed}/{total}"))
        }
    };
    if let Graded::Ran { runs, .. } = &reference {
        let names: Vec<String> = runs.iter().map(|r| r.name.clone()).collect();
        problems.extend(layout::readme_problems(kata, &names)?);
    }

    // The stub must compile cleanly and fail.
    status.show(&format!("{name}: the stub"));
    let stub = suite::grade(
        &repo.root,
        kata,
        &suite::exercise(kata),
        Tier::Ordinary,
        false,
        Stop::Never,
    )?;
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
        Graded::Ran { runs, .. }
            if runs
                .iter()
                .any(|r| matches!(r.outcome, Outcome::Crash { .. })) =>
        {
            // A learner's first check must show what is left to write, not a crash the
            // stub causes by itself (a Drop that recurses after a todo!(), say).
            let crashed: Vec<&str> = runs
                .iter()
                .filter(|r| matches!(r.outcome, Outcome::Crash { .. }))
                .map(|r| r.name.as_str())
                .collect();
            problems.push(format!(
                "{name}: the stub crashes on its own in {} test(s) ({}): a stub's tests must \
                 fail at its todo!()s",
                crashed.len(),
                crashed
                    .iter()
                    .take(3)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            bad("crashes".into())
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

    // Every mutant must make the suite fail, judged only by the tests the reference
    // passes: while the reference fails, a mutant's failures prove nothing.
    let (mutants, strays) = mutants::find(kata)?;
    for stray in &strays {
        problems.push(format!(
            "{name}: {} is not a mutant: a mutant is a `.{}` file (CONTRIBUTING.md, \"Making a mutant\")",
            shown(repo, stray),
            mutants::EXTENSION
        ));
    }
    // The model tier: the reference passes it, the stub fails it, and its tests alone
    // judge the `TIER: model` mutants.
    let (model_cell, model_reference) = if kata.model.is_some() {
        status.show(&format!("{name}: the model tier"));
        let (cell, held_here, reference) = verify_model_tier(repo, kata, style, problems)?;
        held += held_here;
        (cell, Some(reference))
    } else {
        ("-".to_string(), None)
    };
    let passes = mutants::ReferencePasses {
        ordinary: mutants::reference_passes(&reference),
        model: model_reference.as_ref().map(mutants::reference_passes),
    };
    let model_mutants = mutants.iter().filter(|m| m.tier == Ok(Tier::Model)).count();
    let mutant_cell = match &passes.ordinary {
        Err(why) => {
            problems.push(format!(
                "{name}: its {} mutant(s) were not judged: {why}",
                mutants.len()
            ));
            bad("not judged".into())
        }
        Ok(_) => {
            let mut rejected = 0;
            for (i, mutant) in mutants.iter().enumerate() {
                status.show(&format!("{name}: mutant {} of {}", i + 1, mutants.len()));
                let file = shown(repo, &mutant.path);
                if mutant.said.is_none() {
                    problems.push(format!(
                        "{name}: mutant {file} does not name its mistake: its first line must be \
                         `{} <the one mistake>`",
                        mutants::HEADER
                    ));
                }
                match mutants::judge(repo, kata, mutant, &passes, false)? {
                    Verdict::Rejected { focus, .. } => {
                        rejected += 1;
                        if let Some(focus) = focus {
                            // A model-tier mutant's first failure is in the model
                            // tier's tests, whose group the hints name like any other.
                            problems.extend(hint_replay(kata, &file, &focus)?);
                        }
                    }
                    Verdict::NotJudged(why) => {
                        problems.push(format!("{name}: mutant {file} was not judged: {why}"))
                    }
                    Verdict::DoesNotApply(why) => {
                        problems.push(format!("{name}: mutant {file} does not apply: {why}"))
                    }
                    Verdict::DoesNotCompile(diagnostics) => problems.push(format!(
                        "{name}: mutant {file} does not compile, so it tests the compiler, not the suite:\n{}",
                        diagnostics.join("\n")
                    )),
                    Verdict::Survived => problems.push(format!(
                        "{name}: mutant {file} SURVIVED: every test passed.\n  Its mistake: {}\n  \
                         Strengthen tests/{name}.rs until it fails.",
                        mutants::said_text(mutant, mutants::HEADER)
                    )),
                }
            }
            held += rejected;
            let (accepted, wheat_count) = mutants::judge_wheats(repo, kata, &passes, problems)?;
            held += accepted;
            let mut text = match model_mutants {
                0 => format!("{rejected}/{} rejected", mutants.len()),
                n => format!("{rejected}/{} rejected ({n} model)", mutants.len()),
            };
            if wheat_count > 0 {
                text.push_str(&format!(", {accepted}/{wheat_count} wheats"));
            }
            if mutants.len() < mutants::MINIMUM {
                problems.push(format!(
                    "{name}: {} mutant(s) in tests/mutants/{name}/; add at least {} \
                     (CONTRIBUTING.md, \"Making a mutant\")",
                    mutants.len(),
                    mutants::MINIMUM
                ));
                bad(text)
            } else if rejected == mutants.len() && accepted == wheat_count {
                ok(text)
            } else {
                bad(text)
            }
        }
    };

    // No snapshot may be left pending.
    let pending = pending_snapshots(&repo.root.join("tests").join("snapshots"), name)?;
    let missing = missing_snapshots(repo, &reference);
    status.clear();
    let accept = format!("INSTA_UPDATE=always cargo test -p {name}-solution --test {name}");
    let snapshot_cell = if pending.is_empty() && missing.is_empty() {
        held += 1;
        ok("ok".into())
    } else {
        if !pending.is_empty() {
            problems.push(format!(
                "{name}: pending snapshots (review, then accept on the reference or delete): {}",
                pending.join(", ")
            ));
        }
        if !missing.is_empty() {
            problems.push(format!(
                "{name}: snapshot(s) never accepted: {}\n  The reference's output is shown \
                 above as `+new results`. When it is right, accept it on the reference:\n    \
                 {accept}\n  and commit the .snap file(s).",
                missing.join(", ")
            ));
        }
        let mut cells = Vec::new();
        if !missing.is_empty() {
            cells.push(format!("{} missing", missing.len()));
        }
        if !pending.is_empty() {
            cells.push(format!("{} pending", pending.len()));
        }
        bad(cells.join(", "))
    };

    let row = format!(
        "{:<14}{}{}{}{}{}",
        name,
        pad(&reference_cell, 12),
        pad(&stub_cell, 12),
        pad(&mutant_cell, 34),
        pad(&snapshot_cell, 12),
        model_cell
    );
    Ok((row, held))
}

/// Each failing run's name, outcome and message, for a problem's text.
fn failures(runs: &[TestRun]) -> String {
    let failing: Vec<String> = runs
        .iter()
        .filter(|r| r.outcome != Outcome::Pass)
        .map(|r| {
            let message = diagnose::failure_message(&r.output).join("\n      ");
            format!("  {} ({:?})\n      {message}", r.name, r.outcome)
        })
        .collect();
    failing.join("\n")
}

/// A kata's model tier: the reference must pass all of it and the stub must compile
/// cleanly and fail it. Returns the table's cell, the checks that held and the
/// reference's grading (its passes judge the `TIER: model` mutants).
fn verify_model_tier(
    repo: &Repo,
    kata: &Kata,
    style: Style,
    problems: &mut Vec<String>,
) -> Result<(String, usize, Graded)> {
    let name = &kata.name;
    let grade = |subject| suite::grade(&repo.root, kata, &subject, Tier::Model, false, Stop::Never);
    let reference = grade(suite::solution(kata))?;
    let stub = grade(suite::exercise(kata))?;
    let mut held = 0;
    let (passed, total) = reference.score();
    let reference_text = match &reference {
        Graded::DoesNotCompile { diagnostics } => {
            problems.push(format!(
                "{name}: the reference does not compile in the model tier:\n{}",
                diagnostics.join("\n")
            ));
            style.red("ref no build")
        }
        Graded::Ran { runs, .. } if passed < total || total == 0 => {
            problems.push(format!(
                "{name}: the reference fails {} of {total} model-tier test(s):\n{}",
                total - passed,
                failures(runs)
            ));
            style.red(&format!("ref {passed}/{total}"))
        }
        Graded::Ran { .. } => {
            held += 1;
            style.green(&format!("ref {passed}/{total}"))
        }
    };
    let stub_text = match &stub {
        Graded::DoesNotCompile { diagnostics } => {
            problems.push(format!(
                "{name}: the stub does not compile in the model tier:\n{}",
                diagnostics.join("\n")
            ));
            style.red("stub no build")
        }
        Graded::Ran { warnings, .. } if !warnings.is_empty() => {
            problems.push(format!(
                "{name}: the stub compiles with warnings in the model tier:\n{}",
                warnings.join("\n")
            ));
            style.red("stub warnings")
        }
        Graded::Ran { .. } if stub.all_pass() => {
            problems.push(format!(
                "{name}: the stub passes the whole model tier; it must leave work to do"
            ));
            style.red("stub passes ✗")
        }
        Graded::Ran { .. } => {
            held += 1;
            style.green("stub fails ✓")
        }
    };
    Ok((format!("{reference_text}, {stub_text}"), held, reference))
}

/// The hint replay: a learner whose code is this mutant checks, then asks for a hint.
/// The hint `hint` gives first, in each README, must help with what the report shows
/// failing first (be tagged with a module of that test's group).
fn hint_replay(kata: &Kata, file: &str, focus: &Focus) -> Result<Vec<String>> {
    let name = &kata.name;
    let seen = match focus {
        Focus::Test { name, group } => format!("`{name}` fail first (group `{group}`)"),
        Focus::Unwritten(function) => format!("`{function}` not written"),
    };
    Ok(mutants::first_hints(kata, focus)?
        .into_iter()
        .filter(|first| !first.helps)
        .map(|first| {
            format!(
                "{name}: mutant {file}: a learner with its mistake sees {seen}, and `hint` gives \
                 them first exercises/{name}/{} {}, which is not about `{}`: tag the hints that \
                 help there with a module of that group (CONTRIBUTING.md, \"The README\")",
                first.readme,
                first.describe(),
                focus.subject()
            )
        })
        .collect())
}

/// A path as the report shows it: relative to the repository.
fn shown(repo: &Repo, path: &Path) -> String {
    path.strip_prefix(&repo.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Files under `exercises/` that differ from the last commit (none outside git).
fn edited_stubs(repo: &Repo) -> Vec<String> {
    let output = Command::new("git")
        .args(["status", "--porcelain", "--", "exercises"])
        .current_dir(&repo.root)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        // Changed files the last commit has; a new, untracked kata is not a learner's work.
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.starts_with("??"))
            .filter_map(|line| line.get(3..))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// For a `verify` of some katas: the other katas that uncommitted changes to shared
/// files (suite helpers, the workspace's manifests) also touch, which this run skips.
fn untouched_dependents(repo: &Repo, checked: &[&Kata]) -> Result<Vec<String>> {
    let output = Command::new("git")
        .args([
            "status",
            "--porcelain",
            "--",
            "tests/support",
            "Cargo.toml",
            "Cargo.lock",
            ".cargo",
        ])
        .current_dir(&repo.root)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let Ok(output) = output else {
        return Ok(Vec::new()); // No git: nothing to compare with.
    };
    let changed: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.get(3..))
        .map(str::to_string)
        .collect();
    let others: Vec<&Kata> = repo
        .katas
        .iter()
        .filter(|k| !checked.iter().any(|c| c.name == k.name))
        .collect();
    let mut notes = Vec::new();
    for file in changed {
        let touched: Vec<&str> = if let Some(helper) = file.strip_prefix("tests/") {
            let mut names = Vec::new();
            for kata in &others {
                let suite = repo.root.join("tests").join(format!("{}.rs", kata.name));
                if fs::read_to_string(&suite).is_ok_and(|text| text.contains(helper)) {
                    names.push(kata.name.as_str());
                }
            }
            names
        } else {
            others.iter().map(|k| k.name.as_str()).collect()
        };
        if !touched.is_empty() {
            notes.push(format!(
                "{file} has changed, and it is shared with {}, which this run skipped: run \
                 `cargo xtask verify` (every kata, and the runner's own tests) before you commit.",
                touched.join(", ")
            ));
        }
    }
    Ok(notes)
}

/// Snapshot files the reference's failing tests asked for and that do not exist: insta
/// names the file it compared against (`Snapshot file: <path>`) in a failure's summary.
fn missing_snapshots(repo: &Repo, reference: &Graded) -> Vec<String> {
    let Graded::Ran { runs, .. } = reference else {
        return Vec::new();
    };
    let mut missing: Vec<String> = runs
        .iter()
        .filter(|r| r.outcome != Outcome::Pass)
        .flat_map(|r| r.output.lines())
        .filter_map(|line| line.trim().strip_prefix("Snapshot file: "))
        .filter(|file| !Path::new(file).exists())
        .map(|file| shown(repo, Path::new(file)))
        .collect();
    missing.sort();
    missing.dedup();
    missing
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
