//! The kata runner. `cargo xtask <command>`; see `cargo xtask --help` and
//! ARCHITECTURE.md for the map of this crate.

mod engine;
mod instructor;
mod learner;
mod maintainer;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, Command, value_parser};

use crate::engine::lang::{self, Lang, t};
use crate::engine::repo::{Kata, Repo};
use crate::engine::style::{Style, display_width, pad_to};
use crate::engine::suite;
use crate::engine::suite::Graded;
use crate::instructor::{export, grade};
use crate::learner::progress::Progress;
use crate::learner::report::CheckReport;
use crate::learner::{hints, reset, watch};
use crate::maintainer::{bench, mutants, scaffold, verify};

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
        .arg(
            Arg::new("lang")
                .long("lang")
                .value_name("LANG")
                .global(true)
                .value_parser(["zh", "en", lang::AUTO])
                .help(
                    "The language of the messages, remembered for the next commands: zh \
                     (中文) or en; auto forgets the choice and follows the locale (LANG)",
                ),
        )
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

/// Reads the command line, and `--lang` if given; clap prints help or a usage error and
/// exits by itself.
fn parse_command() -> (Cmd, Option<String>) {
    let matches = cli().get_matches();
    let (name, m) = matches.subcommand().expect("clap requires a subcommand");
    let lang = m.get_one::<String>("lang").cloned();
    (command(name, m), lang)
}

/// The subcommand `name` with its arguments.
fn command(name: &str, m: &clap::ArgMatches) -> Cmd {
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
    let (command, flag) = parse_command();
    // Until the progress file is read, `--lang` or the locale: an error finding the
    // repository is said in the learner's language too.
    let locale = Lang::from_locale(|key| std::env::var(key).ok());
    lang::set(lang::choose(flag.as_deref(), None, locale));
    match run(command, flag.as_deref(), locale) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("{}", t!("error", error = format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

/// Runs one command. `Ok(false)` means it ran and found something failing.
fn run(command: Cmd, lang_flag: Option<&str>, locale: Lang) -> Result<bool> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let repo = Repo::find(&cwd)?;
    choose_language(&repo, lang_flag, locale);
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

/// Speaks `--lang`, else the language the progress file remembers, else the locale's;
/// remembers `--lang zh|en`, and forgets the choice on `--lang auto`.
fn choose_language(repo: &Repo, flag: Option<&str>, locale: Lang) {
    let mut progress = Progress::load(&repo.root);
    let chosen = lang::choose(flag, progress.lang, locale);
    lang::set(chosen);
    let remember = flag.and_then(Lang::parse);
    if flag.is_some() && remember != progress.lang {
        progress.lang = remember;
        if let Some(warning) = progress.save_or_warn(&repo.root) {
            eprintln!("{warning}");
        }
    }
}

fn check(repo: &Repo, name: Option<&str>, solution: bool, all: bool, style: Style) -> Result<bool> {
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
    let graded = suite::grade(&repo.root, kata, &subject, true, false)?;
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

pub(crate) fn list(repo: &Repo, style: Style) {
    let progress = Progress::load(&repo.root);
    let topics: Vec<String> = repo
        .katas
        .iter()
        .map(|k| format!("{} {}", k.topic, k.chinese))
        .collect();
    let (kata_heading, topic_heading) = (t!("list-kata"), t!("list-topic"));
    // At least two spaces between columns, however long a name or a topic.
    let column = |heading: &str, cells: Vec<usize>| {
        cells
            .into_iter()
            .max()
            .unwrap_or(0)
            .max(display_width(heading))
            + 2
    };
    let topic_width = column(
        &topic_heading,
        topics.iter().map(|t| display_width(t)).collect(),
    );
    let name_width = column(
        &kata_heading,
        repo.katas.iter().map(|k| display_width(&k.name)).collect(),
    );
    println!(
        "{}",
        style.bold(&format!(
            "{:<4}{}{}{}",
            "#",
            pad_to(&kata_heading, name_width),
            pad_to(&topic_heading, topic_width),
            t!("list-status")
        ))
    );
    for (kata, topic) in repo.katas.iter().zip(&topics) {
        let status = match progress.katas.get(&kata.name) {
            None => style.dim(&t!("list-not-checked")),
            Some(p) if p.compile_error => style.red(&t!("list-does-not-compile")),
            Some(p) if p.total == 0 => style.dim(&t!("list-not-checked-since-reset")),
            Some(p) if p.done() => {
                style.green(&t!("list-done", passed = p.passed, total = p.total))
            }
            Some(p) => style.yellow(&t!("list-passing", passed = p.passed, total = p.total)),
        };
        println!(
            "{:<4}{}{}{status}",
            kata.order,
            pad_to(&kata.name, name_width),
            pad_to(topic, topic_width)
        );
    }
    match next_unfinished(repo, &progress, None) {
        Some(next) => println!("\n{}", t!("list-next", kata = next.name)),
        None => println!("\n{}", t!("list-all-pass")),
    }
}

/// Shows the next unseen hint for what failed first at the last check (`all`: every
/// hint), and remembers it as seen. The hints come from the README in the learner's
/// language; both READMEs hold the same hints in the same order, so what was seen in
/// one counts in the other.
pub(crate) fn hint(repo: &Repo, name: &str, all: bool) -> Result<bool> {
    let kata = repo.kata(name)?;
    let (hints, readme) = hints::read(kata, lang::current())?;
    let readme = readme.display().to_string();
    if hints.is_empty() {
        println!("{}", t!("hint-none", kata = kata.title(), readme = readme));
        return Ok(true);
    }
    let mut progress = Progress::load(&repo.root);
    let entry = progress.kata(name);
    let show: Vec<usize> = if all {
        (0..hints.len()).collect()
    } else {
        match hints::next(&hints, &entry.hints_seen, entry.focus.as_deref()) {
            Some(i) => {
                // Say so when the hint is not about what failed first: the learner
                // asked for help there.
                if entry.compile_error {
                    println!("{}\n", t!("hint-compile-error", name = name));
                } else if let Some(focus) = entry.focus.as_deref()
                    && !hints[i].helps_with(focus)
                {
                    println!("{}\n", t!("hint-not-for-focus", focus = focus));
                }
                vec![i]
            }
            None => {
                println!(
                    "{}",
                    t!(
                        "hint-all-seen",
                        count = hints.len(),
                        kata = kata.title(),
                        name = name,
                        readme = readme
                    )
                );
                return Ok(true);
            }
        }
    };
    for &i in &show {
        println!(
            "{}\n{}\n",
            t!(
                "hint-heading",
                number = i + 1,
                count = hints.len(),
                kata = kata.title()
            ),
            hints[i].text
        );
        if !entry.hints_seen.contains(&i) {
            entry.hints_seen.push(i);
        }
    }
    let left = hints.len() - entry.hints_seen.len();
    let unsaved = progress.save_or_warn(&repo.root);
    if !all && left > 0 {
        println!("{}", t!("hint-more", left = left, name = name));
    } else if !all {
        println!("{}", t!("hint-last", readme = readme));
    }
    if let Some(warning) = unsaved {
        eprintln!("\n{warning}");
    }
    Ok(true)
}
