//! The kata runner. `cargo xtask <command>`; see `cargo xtask --help` and
//! ARCHITECTURE.md for the map of this crate.

mod bench;
mod classroom;
mod compile;
mod diagnose;
mod export;
mod grade;
mod hints;
mod layout;
mod mutants;
mod progress;
mod repo;
mod report;
mod reset;
mod run;
mod scaffold;
mod scratch;
mod source;
mod style;
mod suite;
mod verify;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, Command, value_parser};

use crate::progress::Progress;
use crate::repo::{Kata, Repo};
use crate::report::CheckReport;
use crate::style::Style;
use crate::suite::Graded;

pub(crate) const EVERY_KATA_PASSES: &str =
    "Every kata passes. Well done! `cargo xtask list` shows them all.";

const NO_SOLUTIONS: &str = "this copy of the repository has no reference solutions \
     (it is a student export), so --solution is not available here";

const NO_MUTANTS: &str = "this copy of the repository has no reference solutions \
     (it is a student export), so it has no mutants either";

/// One command, as read from the command line by [`cli`].
enum Cmd {
    Check {
        kata: Option<String>,
        solution: bool,
        all: bool,
    },
    List,
    Hint {
        kata: String,
        all: bool,
    },
    Watch {
        kata: Option<String>,
        poll: bool,
    },
    Reset {
        kata: String,
        yes: bool,
        from: Option<String>,
    },
    Grade(grade::GradeArgs),
    Export {
        student: PathBuf,
        working_tree: bool,
    },
    Verify {
        katas: Vec<String>,
    },
    Mutants {
        kata: String,
        new: Option<mutants::NewMutant>,
    },
    New(scaffold::NewKata),
    Bench(bench::BenchArgs),
}

/// The command line. Written with clap's builder rather than its derive macros: the
/// macros would add about a minute to the first build every learner waits for.
fn cli() -> Command {
    let kata = |help: &'static str| Arg::new("kata").value_name("KATA").help(help);
    let flag = |name: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .action(ArgAction::SetTrue)
            .help(help)
    };
    Command::new("cargo xtask")
        .bin_name("cargo xtask")
        .about("Work through the katas: check, list, hint, watch, bench, grade, verify, mutants")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("check")
                .about("Grade a kata: your code against its suite (or the next kata not yet passing)")
                .arg(kata(
                    "The kata, e.g. `sort`. Without it, the first kata in course order that \
                     does not pass yet",
                ))
                .arg(flag("solution", "Grade the reference solution instead of your code"))
                .arg(flag("all", "Show every failing test in full, not just the first few")),
        )
        .subcommand(Command::new("list").about("Every kata in course order, with its status from the last check"))
        .subcommand(
            Command::new("hint")
                .about("Show the next hint for a kata (one more each time you ask)")
                .arg(kata("The kata").required(true))
                .arg(flag("all", "Show every hint at once")),
        )
        .subcommand(
            Command::new("watch")
                .about("Re-check a kata every time you save (the next one once it passes)")
                .arg(kata("The kata to start with; without it, the next kata not yet passing"))
                .arg(flag("poll", "Only look for saves once a second; do not use file events")),
        )
        .subcommand(
            Command::new("reset")
                .about("Restore a kata's stub (asks first when your file differs from it)")
                .arg(kata("The kata").required(true))
                .arg(flag("yes", "Do not ask"))
                .arg(
                    Arg::new("from")
                        .long("from")
                        .value_name("GIT_REF")
                        .help(
                            "Take the stub from this git commit or branch instead of the \
                             newest commit whose file is still a whole stub",
                        ),
                ),
        )
        .subcommand(bench::command())
        .subcommand(grade::command())
        .subcommand(
            Command::new("export")
                .about("Write a repository for a class: stubs, suites, runner; no solutions, no mutants")
                .arg(
                    Arg::new("student")
                        .long("student")
                        .value_name("DIR")
                        .required(true)
                        .value_parser(value_parser!(PathBuf))
                        .help("The folder to create"),
                )
                .arg(flag(
                    "working-tree",
                    "Export the stubs as they are in the working tree, even when they differ \
                     from what git has committed or have no todo!() left",
                )),
        )
        .subcommand(
            Command::new("verify")
                .about("Maintainers' gate: references pass, stubs fail, mutants are rejected, lints clean")
                .arg(
                    Arg::new("katas")
                        .value_name("KATA")
                        .action(ArgAction::Append)
                        .help("Only these katas (and skip the workspace-wide checks that need all of them)"),
                ),
        )
        .subcommand(
            Command::new("mutants")
                .about("Maintainers: each mutant's mistake and the tests that reject it; --new writes one")
                .arg(kata("The kata").required(true))
                .arg(
                    Arg::new("new")
                        .long("new")
                        .value_name("NAME")
                        .requires_all(["from", "mistake"])
                        .help("Write tests/mutants/KATA/NAME.patch from a broken copy of the reference, then judge it"),
                )
                .arg(
                    Arg::new("from")
                        .long("from")
                        .value_name("FILE")
                        .requires("new")
                        .value_parser(value_parser!(PathBuf))
                        .help("With --new: the reference's file with one mistake in it"),
                )
                .arg(
                    Arg::new("mistake")
                        .long("mistake")
                        .value_name("TEXT")
                        .requires("new")
                        .help("With --new: the mistake, in one line (the patch's header)"),
                )
                .arg(
                    Arg::new("file")
                        .long("file")
                        .value_name("PATH")
                        .requires("new")
                        .default_value("lib.rs")
                        .value_parser(value_parser!(PathBuf))
                        .help("With --new: which file of solutions/KATA/src/ the broken copy stands for"),
                ),
        )
        .subcommand(
            Command::new("new")
                .about("Maintainers: scaffold a kata that compiles and fails, ready for its suite")
                .arg(kata("The new kata's name, in snake_case").required(true))
                .arg(
                    Arg::new("topic")
                        .long("topic")
                        .value_name("TEXT")
                        .required(true)
                        .help("A word or two, English (`hash tables`)"),
                )
                .arg(
                    Arg::new("chinese")
                        .long("chinese")
                        .value_name("TEXT")
                        .required(true)
                        .help("The course's name for it (`哈希表`)"),
                )
                .arg(
                    Arg::new("order")
                        .long("order")
                        .value_name("N")
                        .value_parser(value_parser!(u32))
                        .help("Its place in the course (default: after the last kata)"),
                ),
        )
}

/// Reads the command line; clap prints help or a usage error and exits by itself.
fn parse_command() -> Cmd {
    let matches = cli().get_matches();
    let (name, m) = matches.subcommand().expect("clap requires a subcommand");
    let text = |id: &str| m.get_one::<String>(id).cloned();
    let required = |id: &str| text(id).expect("clap requires this argument");
    match name {
        "check" => Cmd::Check {
            kata: text("kata"),
            solution: m.get_flag("solution"),
            all: m.get_flag("all"),
        },
        "list" => Cmd::List,
        "hint" => Cmd::Hint {
            kata: required("kata"),
            all: m.get_flag("all"),
        },
        "watch" => Cmd::Watch {
            kata: text("kata"),
            poll: m.get_flag("poll"),
        },
        "reset" => Cmd::Reset {
            kata: required("kata"),
            yes: m.get_flag("yes"),
            from: text("from"),
        },
        "bench" => Cmd::Bench(bench::BenchArgs::from_matches(m)),
        "grade" => Cmd::Grade(grade::GradeArgs::from_matches(m)),
        "export" => Cmd::Export {
            student: m
                .get_one::<PathBuf>("student")
                .cloned()
                .expect("clap requires --student"),
            working_tree: m.get_flag("working-tree"),
        },
        "verify" => Cmd::Verify {
            katas: m
                .get_many::<String>("katas")
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
        },
        "mutants" => Cmd::Mutants {
            kata: required("kata"),
            new: text("new").map(|name| mutants::NewMutant {
                name,
                from: m
                    .get_one::<PathBuf>("from")
                    .cloned()
                    .expect("clap requires --from with --new"),
                mistake: required("mistake"),
                file: m
                    .get_one::<PathBuf>("file")
                    .cloned()
                    .expect("--file has a default"),
            }),
        },
        "new" => Cmd::New(scaffold::NewKata {
            name: required("kata"),
            order: m.get_one::<u32>("order").copied(),
            topic: required("topic"),
            chinese: required("chinese"),
        }),
        other => unreachable!("clap accepted an unknown subcommand {other}"),
    }
}

fn main() -> ExitCode {
    match run(parse_command()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command. `Ok(false)` means it ran and found something failing.
fn run(command: Cmd) -> Result<bool> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let repo = Repo::find(&cwd)?;
    let style = Style::detect();
    match command {
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
        Cmd::Bench(args) => bench::bench(&repo, &args, style),
        Cmd::Grade(args) => grade::grade(&repo, &args, style),
        Cmd::Export {
            student,
            working_tree,
        } => export::export(&repo, &student, working_tree),
        Cmd::Verify { katas } => verify::verify(&repo, &katas, style),
        Cmd::New(new) => scaffold::new_kata(&repo, &new),
        Cmd::Mutants { kata, new } => {
            if !repo.has_solutions() {
                bail!(NO_MUTANTS);
            }
            let kata = repo.kata(&kata)?;
            match new {
                Some(new) => mutants::create(&repo, kata, &new, style),
                None => mutants::map(&repo, kata, style),
            }
        }
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
    let graded = suite::grade(&repo.root, kata, &subject, true, false)?;
    let mut unsaved = None;
    if !solution {
        let (passed, total) = graded.score();
        let entry = progress.kata(&kata.name);
        entry.passed = passed;
        entry.total = total;
        entry.compile_error = matches!(graded, Graded::DoesNotCompile { .. });
        unsaved = progress.save_or_warn(&repo.root);
    }
    let report = CheckReport {
        kata,
        graded: &graded,
        solution,
        show_all: all,
        next_kata: next_unfinished(repo, &progress, Some(kata)),
    };
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
    let unsaved = progress.save_or_warn(&repo.root);
    if upto < hints.len() {
        println!("Ask again for the next one: cargo xtask hint {name}");
    } else {
        println!(
            "That was the last hint. The README has the whole task: exercises/{name}/README.md"
        );
    }
    if let Some(warning) = unsaved {
        eprintln!("\n{warning}");
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
