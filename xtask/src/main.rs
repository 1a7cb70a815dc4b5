//! The kata runner. `cargo xtask <command>`; see `cargo xtask --help` and
//! ARCHITECTURE.md for the map of this crate.

mod compile;
mod diagnose;
mod export;
mod grade;
mod hints;
mod progress;
mod repo;
mod report;
mod reset;
mod run;
mod scratch;
mod style;
mod suite;
mod verify;
mod watch;

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate::progress::Progress;
use crate::repo::{Kata, Repo};
use crate::report::CheckReport;
use crate::style::Style;
use crate::suite::Graded;

pub(crate) const EVERY_KATA_PASSES: &str =
    "Every kata passes. Well done! `cargo xtask list` shows them all.";

const NO_SOLUTIONS: &str = "this copy of the repository has no reference solutions \
     (it is a student export), so --solution is not available here";

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Work through the katas: check, list, hint, verify",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Grade a kata: your code against its suite (or the next kata not yet passing).
    Check {
        /// The kata, e.g. `sort`. Without it, the first kata in course order that does
        /// not pass yet.
        kata: Option<String>,
        /// Grade the reference solution instead of your code.
        #[arg(long)]
        solution: bool,
        /// Show every failing test in full, not just the first few.
        #[arg(long)]
        all: bool,
    },
    /// Every kata in course order, with its status from the last check.
    List,
    /// Show the next hint for a kata (one more each time you ask).
    Hint {
        kata: String,
        /// Show every hint at once.
        #[arg(long)]
        all: bool,
    },
    /// Re-check a kata every time you save (the next one once it passes).
    Watch {
        /// The kata to start with; without it, the next kata not yet passing.
        kata: Option<String>,
        /// Only look for saves once a second; do not use file events.
        #[arg(long)]
        poll: bool,
    },
    /// Restore a kata's stub (asks first when your file differs from it).
    Reset {
        kata: String,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
        /// Take the stub from this git commit or branch instead of the commit that
        /// added the file.
        #[arg(long, value_name = "GIT_REF")]
        from: Option<String>,
    },
    /// Grade every kata, for CI and instructors.
    Grade(grade::GradeArgs),
    /// Write a repository for a class: stubs, suites, runner; no solutions, no mutants.
    Export {
        /// The folder to create.
        #[arg(long)]
        student: std::path::PathBuf,
    },
    /// Maintainers' gate: references pass, stubs fail, mutants are rejected, lints clean.
    Verify {
        /// Only these katas (and skip the workspace-wide checks that need all of them).
        katas: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command. `Ok(false)` means it ran and found something failing.
fn run(cli: Cli) -> Result<bool> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let repo = Repo::find(&cwd)?;
    let style = Style::detect();
    match cli.command {
        Cmd::Check {
            kata,
            solution,
            all,
        } => check(&repo, kata.as_deref(), solution, all, style),
        Cmd::List => {
            list(&repo, style);
            Ok(true)
        }
        Cmd::Hint { kata, all } => hint(&repo, &kata, all),
        Cmd::Watch { kata, poll } => watch::watch(&repo, kata.as_deref(), poll, style),
        Cmd::Reset { kata, yes, from } => reset::reset(&repo, &kata, yes, from.as_deref()),
        Cmd::Grade(args) => grade::grade(&repo, &args, style),
        Cmd::Export { student } => export::export(&repo, &student),
        Cmd::Verify { katas } => verify::verify(&repo, &katas, style),
    }
}

fn check(repo: &Repo, name: Option<&str>, solution: bool, all: bool, style: Style) -> Result<bool> {
    if solution && !repo.has_solutions() {
        bail!(NO_SOLUTIONS);
    }
    let progress = Progress::load(&repo.root);
    let kata = match name {
        Some(name) => repo.kata(name)?,
        None => match next_unfinished(repo, &progress, None) {
            Some(kata) => kata,
            None => {
                println!("{EVERY_KATA_PASSES}");
                return Ok(true);
            }
        },
    };
    check_kata(repo, kata, solution, all, style)
}

/// Grades one kata, records the learner's score and prints the report (`watch` too).
pub(crate) fn check_kata(
    repo: &Repo,
    kata: &Kata,
    solution: bool,
    all: bool,
    style: Style,
) -> Result<bool> {
    let mut progress = Progress::load(&repo.root);
    let subject = if solution {
        suite::solution(kata)
    } else {
        suite::exercise(kata)
    };
    let graded = suite::grade(&repo.root, kata, &subject, style.color, false)?;
    if !solution {
        let (passed, total) = graded.score();
        let entry = progress.kata(&kata.name);
        entry.passed = passed;
        entry.total = total;
        entry.compile_error = matches!(graded, Graded::DoesNotCompile { .. });
        progress.save(&repo.root)?;
    }
    let report = CheckReport {
        kata,
        graded: &graded,
        solution,
        show_all: all,
        next_kata: next_unfinished(repo, &progress, Some(kata)),
    };
    print!("{}", report.render(style));
    Ok(graded.all_pass())
}

/// The first kata in course order (other than `skip`) whose last check did not pass.
pub(crate) fn next_unfinished<'a>(
    repo: &'a Repo,
    progress: &Progress,
    skip: Option<&Kata>,
) -> Option<&'a Kata> {
    repo.katas.iter().find(|k| {
        skip.is_none_or(|s| s.name != k.name)
            && !progress.katas.get(&k.name).is_some_and(|p| p.done())
    })
}

pub(crate) fn list(repo: &Repo, style: Style) {
    let progress = Progress::load(&repo.root);
    println!(
        "{}",
        style.bold(&format!(
            "{:<4}{:<16}{:<22}{}",
            "#", "kata", "topic", "status"
        ))
    );
    for kata in &repo.katas {
        let status = match progress.katas.get(&kata.name) {
            None => style.dim("not checked yet"),
            Some(p) if p.compile_error => style.red("does not compile"),
            Some(p) if p.done() => style.green(&format!("done ({}/{})", p.passed, p.total)),
            Some(p) => style.yellow(&format!("{}/{} tests pass", p.passed, p.total)),
        };
        let topic = format!("{} {}", kata.topic, kata.chinese);
        println!(
            "{:<4}{:<16}{}{status}",
            kata.order,
            kata.name,
            pad_to(&topic, 22)
        );
    }
    match next_unfinished(repo, &progress, None) {
        Some(next) => println!("\nNext: cargo xtask check {}", next.name),
        None => println!("\nEvery kata passes."),
    }
}

pub(crate) fn hint(repo: &Repo, name: &str, all: bool) -> Result<bool> {
    let kata = repo.kata(name)?;
    let hints = hints::read(kata)?;
    if hints.is_empty() {
        println!(
            "{} has no hints; its README is exercises/{name}/README.md",
            kata.title()
        );
        return Ok(true);
    }
    let mut progress = Progress::load(&repo.root);
    let entry = progress.kata(name);
    let upto = if all {
        hints.len()
    } else {
        (entry.hints_shown + 1).min(hints.len())
    };
    for (i, hint) in hints.iter().enumerate().take(upto) {
        println!(
            "Hint {} of {} for {}:\n{hint}\n",
            i + 1,
            hints.len(),
            kata.title()
        );
    }
    entry.hints_shown = upto;
    progress.save(&repo.root)?;
    if upto < hints.len() {
        println!("Ask again for the next one: cargo xtask hint {name}");
    } else {
        println!(
            "That was the last hint. The README has the whole task: exercises/{name}/README.md"
        );
    }
    Ok(true)
}

/// Pads text with wide (CJK) characters to a visible width of `width` columns.
fn pad_to(text: &str, width: usize) -> String {
    let visible: usize = text
        .chars()
        .map(|c| if c as u32 >= 0x1100 { 2 } else { 1 })
        .sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(visible)))
}
