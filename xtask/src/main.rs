//! The kata runner. `cargo xtask <command>`; see `cargo xtask --help` and
//! ARCHITECTURE.md for the map of this crate.
//!
//! This file is the command line only: it reads `--lang`, finds the repository and
//! hands each subcommand to the module that holds it. Every command lives in the room
//! of the people who use it: `learner/`, `instructor/`, `maintainer/`, all standing on
//! `engine/`.

mod engine;
mod instructor;
mod learner;
mod maintainer;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Arg, ArgMatches, Command};

use crate::engine::lang::{self, Lang, t};
use crate::engine::repo::Repo;
use crate::engine::style::Style;
use crate::instructor::{class, export, grade};
use crate::learner::progress::Progress;
use crate::learner::{check, hints, list, reset, tests, watch};
use crate::maintainer::{bench, mutants, scaffold, verify};

/// A subcommand: its definition, and what runs it on the repository. `Ok(false)` means
/// it ran and found something failing.
struct Subcommand {
    command: fn() -> Command,
    run: fn(&Repo, &ArgMatches, Style) -> Result<bool>,
}

/// Every subcommand, in the order `--help` lists them.
const SUBCOMMANDS: [Subcommand; 13] = [
    Subcommand {
        command: check::command,
        run: check::run,
    },
    Subcommand {
        command: list::command,
        run: list::run,
    },
    Subcommand {
        command: hints::command,
        run: hints::run,
    },
    Subcommand {
        command: tests::command,
        run: tests::run,
    },
    Subcommand {
        command: watch::command,
        run: watch::run,
    },
    Subcommand {
        command: reset::command,
        run: reset::run,
    },
    Subcommand {
        command: bench::command,
        run: bench::run,
    },
    Subcommand {
        command: grade::command,
        run: grade::run,
    },
    Subcommand {
        command: class::command,
        run: class::run,
    },
    Subcommand {
        command: export::command,
        run: export::run,
    },
    Subcommand {
        command: verify::command,
        run: verify::run,
    },
    Subcommand {
        command: mutants::command,
        run: mutants::run,
    },
    Subcommand {
        command: scaffold::command,
        run: scaffold::run,
    },
];

/// The command line. Written with clap's builder rather than its derive macros: the
/// macros would add about a minute to the first build every learner waits for.
fn cli() -> Command {
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
        .subcommands(SUBCOMMANDS.iter().map(|s| (s.command)()))
}

fn main() -> ExitCode {
    // clap prints help or a usage error and exits by itself.
    let matches = cli().get_matches();
    let (name, m) = matches.subcommand().expect("clap requires a subcommand");
    let flag = m.get_one::<String>("lang").map(String::as_str);
    // Until the progress file is read, `--lang` or the locale: an error finding the
    // repository is said in the learner's language too.
    let locale = Lang::from_locale(|key| std::env::var(key).ok());
    lang::set(lang::choose(flag, None, locale));
    match run(name, m, flag, locale) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("{}", t!("error", error = format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

/// Runs the subcommand `name` with its arguments `m`.
fn run(name: &str, m: &ArgMatches, lang_flag: Option<&str>, locale: Lang) -> Result<bool> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let repo = Repo::find(&cwd)?;
    choose_language(&repo, lang_flag, locale);
    let subcommand = SUBCOMMANDS
        .iter()
        .find(|s| (s.command)().get_name() == name)
        .unwrap_or_else(|| unreachable!("clap accepted an unknown subcommand {name}"));
    (subcommand.run)(&repo, m, Style::detect())
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
