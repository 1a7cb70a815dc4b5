//! `cargo xtask check [<kata>]`: grade one kata (the learner's code, or the reference
//! with `--solution`), record the score and print the report; without a kata, the
//! first in course order that does not pass yet.

use anyhow::{Result, bail};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::engine::lang::t;
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::Stop;
use crate::engine::style::Style;
use crate::engine::suite::{self, Graded};
use crate::learner::progress::Progress;
use crate::learner::report::CheckReport;

/// The `check` subcommand and its options.
pub fn command() -> Command {
    Command::new("check")
        .about("Grade a kata: your code against its suite (or the next kata not yet passing)")
        .arg(Arg::new("kata").value_name("KATA").help(
            "The kata, e.g. `sort`. Without it, the first kata in course order that \
             does not pass yet",
        ))
        .arg(
            Arg::new("solution")
                .long("solution")
                .action(ArgAction::SetTrue)
                .help("Grade the reference solution instead of your code"),
        )
        .arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Show every failing test in full, not just the first few"),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    let name = m.get_one::<String>("kata").map(String::as_str);
    let (solution, all) = (m.get_flag("solution"), m.get_flag("all"));
    if solution && !repo.has_solutions() {
        bail!(t!("no-solutions"));
    }
    let progress = Progress::load(&repo.root);
    let kata = match name {
        Some(name) => repo.kata(name)?,
        None => match next_unfinished(repo, &progress, None) {
            Some(kata) => kata,
            None => {
                println!("{}", t!("every-kata-passes"));
                return Ok(true);
            }
        },
    };
    check_kata(repo, kata, solution, all, false, style)
}

/// Grades one kata, records the learner's score and prints the report (`watch` too).
/// `watching`: inside `watch`, where a save re-checks (the report says so).
pub(crate) fn check_kata(
    repo: &Repo,
    kata: &Kata,
    solution: bool,
    all: bool,
    watching: bool,
    style: Style,
) -> Result<bool> {
    let mut progress = Progress::load(&repo.root);
    let subject = if solution {
        suite::solution(kata)
    } else {
        suite::exercise(kata)
    };
    let graded = suite::grade(&repo.root, kata, &subject, true, Stop::Never)?;
    let mut report = CheckReport {
        kata,
        graded: &graded,
        solution,
        show_all: all,
        next_kata: None,
        watching,
    };
    let mut unsaved = None;
    if !solution {
        let (passed, total) = graded.score();
        let entry = progress.kata(&kata.name);
        entry.passed = passed;
        entry.total = total;
        entry.compile_error = matches!(graded, Graded::DoesNotCompile { .. });
        entry.focus = report.focus();
        unsaved = progress.save_or_warn(&repo.root);
    }
    report.next_kata = next_unfinished(repo, &progress, Some(kata));
    print!("{}", report.render(style));
    if let Some(warning) = unsaved {
        eprintln!("\n{warning}");
    }
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
