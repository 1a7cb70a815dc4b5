//! `cargo xtask check [<kata>]`: grade one kata (the learner's code, or the reference
//! with `--solution`), record the score and print the report; without a kata, the
//! first in course order that does not pass yet. `--model`: the kata's model-check tier
//! (its suite built with the feature its metadata names), for the katas that have one.

use anyhow::{Result, bail};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::engine::lang::t;
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::Stop;
use crate::engine::style::Style;
use crate::engine::suite::{self, Graded, Tier};
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
            Arg::new("model")
                .long("model")
                .action(ArgAction::SetTrue)
                .requires("kata")
                .help(
                    "Run the kata's model-check tier (its suite under a model checker), \
                     for a kata that has one, e.g. `sync`",
                ),
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
    let tier = if m.get_flag("model") {
        Tier::Model
    } else {
        Tier::Ordinary
    };
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
    if tier == Tier::Model && kata.model.is_none() {
        let with: Vec<&str> = repo
            .katas
            .iter()
            .filter(|k| k.model.is_some())
            .map(|k| k.name.as_str())
            .collect();
        bail!(t!(
            "no-model-tier",
            name = kata.name,
            katas = if with.is_empty() {
                "-".to_string()
            } else {
                with.join(", ")
            }
        ));
    }
    check_kata(repo, kata, solution, tier, all, false, style)
}

/// Grades one kata, records the learner's score and prints the report (`watch` too).
/// `watching`: inside `watch`, where a save re-checks (the report says so).
pub(crate) fn check_kata(
    repo: &Repo,
    kata: &Kata,
    solution: bool,
    tier: Tier,
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
    let graded = suite::grade(&repo.root, kata, &subject, tier, true, Stop::Never)?;
    let mut report = CheckReport {
        kata,
        graded: &graded,
        solution,
        model: tier == Tier::Model,
        show_all: all,
        next_kata: None,
        watching,
    };
    let mut unsaved = None;
    // The progress file keeps the ordinary tier's score (what `list` and the next kata
    // go by); the model tier is a second opinion on code that already passes, so it
    // records nothing.
    if !solution && tier == Tier::Ordinary {
        let (passed, total) = graded.score();
        let entry = progress.kata(&kata.name);
        entry.passed = passed;
        entry.total = total;
        entry.compile_error = matches!(graded, Graded::DoesNotCompile { .. });
        // Nothing fails, nothing to focus on: spares reading the suite and the code.
        entry.focus = if graded.all_pass() {
            None
        } else {
            report.focus()
        };
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
