//! `tests <kata>`: the learner writes the tests. Their own tests
//! (`exercises/<kata>/learner_tests.rs`, against the kata's API) are built against
//! implementations the course keeps, never against the learner's own code (so it works
//! before that code exists): the reference and every wheat (correct implementations
//! taking another route, `tests/wheats/<kata>/`), which every test must accept, and the
//! chaffs (the kata's mutants, each one known mistake), which the tests should catch.
//! The report names each test that rejects a correct implementation, with the failing
//! input, and counts the chaffs caught; `hint <kata> --tests` reveals an uncaught
//! chaff's mistake, one at a time.
//!
//! Every implementation is a package of one scratch workspace (`engine/scratch.rs`)
//! sharing the real target folder, built by one cargo run: the learner's file compiles
//! once per implementation, side by side, and not at all when nothing changed. The
//! tests run like a check's (`engine/run`): each test process in its own group, under
//! the kata's timeout. Nothing is written in `exercises/` or `solutions/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use clap::{Arg, ArgMatches, Command};

use crate::engine::compile;
use crate::engine::diagnose;
use crate::engine::lang::{self, Lang, t};
use crate::engine::patches::{self, Patch};
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::{self, Outcome, RunPlan, Stop, TestRun};
use crate::engine::scratch;
use crate::engine::style::{LiveLine, Style};
use crate::engine::suite::Tier;
use crate::learner::progress::Progress;

/// The learner's test file, in the kata's exercise folder.
pub const FILE: &str = "learner_tests.rs";
/// The test target's name in every scratch package.
const TEST_NAME: &str = "learner_tests";
/// The scratch workspace, one per kata (`learner-<kata>`): each kata's implementations
/// stay built beside the others'.
const LABEL: &str = "learner";

/// Which side of the line an implementation stands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Reference,
    Wheat,
    Chaff,
}

/// One implementation the learner's tests run against.
struct Implementation {
    /// The scratch package's folder name: `reference`, `wheat_<name>`, `chaff_<name>`.
    member: String,
    /// The patch's name (empty for the reference).
    name: String,
    kind: Kind,
    /// The wheat's route or the chaff's mistake.
    said: String,
    sources: BTreeMap<PathBuf, String>,
}

/// A learner test that rejects a correct implementation.
#[derive(Clone, Debug)]
pub struct Rejection {
    pub test: String,
    /// `None` for the reference, else the wheat's name.
    pub wheat: Option<String>,
    /// The wheat's route.
    pub route: String,
    /// What the failure said (the panic, proptest's minimal failing input).
    pub message: Vec<String>,
}

/// What the learner's tests did.
#[derive(Debug)]
pub enum Evaluation {
    /// The kata has no learner tests.
    NotAKata,
    /// `exercises/<kata>/learner_tests.rs` does not exist yet.
    NoFile,
    /// The file did not compile against the reference: rustc's errors.
    DoesNotCompile(Vec<String>),
    Ran(Results),
}

/// The learner's tests judged against every implementation.
#[derive(Debug)]
pub struct Results {
    /// The learner's tests, by name.
    pub tests: Vec<String>,
    /// How many correct implementations (the reference and the wheats).
    pub correct: usize,
    /// Each test that rejects a correct implementation (the first such one it rejects).
    pub rejections: Vec<Rejection>,
    /// The chaffs caught by a test that accepts every correct implementation, and
    /// those not, by name.
    pub caught: Vec<String>,
    pub uncaught: Vec<String>,
}

impl Results {
    /// The score: chaffs caught, of how many; none while a test rejects a correct
    /// implementation (an over-strict test would catch anything).
    pub fn score(&self) -> (usize, usize) {
        let total = self.caught.len() + self.uncaught.len();
        if self.rejections.is_empty() {
            (self.caught.len(), total)
        } else {
            (0, total)
        }
    }
}

/// The `tests` subcommand.
pub fn command() -> Command {
    Command::new("tests")
        .about("Run your own tests (exercises/KATA/learner_tests.rs) against correct and known-wrong implementations")
        .arg(
            Arg::new("kata")
                .value_name("KATA")
                .required(true)
                .help("The kata"),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    let kata = repo.kata(m.get_one::<String>("kata").expect("clap requires the kata"))?;
    if !repo.has_solutions() {
        // A class repository holds no reference, wheats or chaffs: the instructor's
        // trusted grading, which holds them, scores the learner's tests.
        println!(
            "{}",
            t!("tests-in-class", name = kata.name, file = file_shown(kata))
        );
        return Ok(true);
    }
    let evaluation = evaluate(repo, kata, &file_path(kata), None, true)?;
    print!("{}", render(kata, &evaluation, style));
    let Evaluation::Ran(results) = &evaluation else {
        return Ok(false);
    };
    let mut progress = Progress::load(&repo.root);
    let entry = progress.kata(&kata.name);
    entry.chaffs_uncaught = results.uncaught.clone();
    if let Some(warning) = progress.save_or_warn(&repo.root) {
        eprintln!("{warning}");
    }
    Ok(results.rejections.is_empty() && results.uncaught.is_empty())
}

/// `exercises/<kata>/learner_tests.rs`, as the learner types it.
fn file_shown(kata: &Kata) -> String {
    format!("exercises/{}/{FILE}", kata.name)
}

/// The learner's test file of `kata`.
pub fn file_path(kata: &Kata) -> PathBuf {
    kata.exercise_dir().join(FILE)
}

/// The chaffs the learner's tests are judged against: the kata's mutants named by its
/// `learner_tests.chaffs` (every one when it names none), in the ordinary tier.
fn chaffs(kata: &Kata, patterns: &[String]) -> Result<Vec<Patch>> {
    let (mutants, _) = patches::find(&kata.mutants_dir(), patches::MUTANT)?;
    let named = |name: &str| {
        patterns.is_empty()
            || patterns.iter().any(|p| match p.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => name == p,
            })
    };
    Ok(mutants
        .into_iter()
        .filter(|m| named(m.name()) && m.tier == Ok(Tier::Ordinary))
        .collect())
}

/// Builds and runs the learner's tests in `file` against every implementation of
/// `kata` (a kata of `repo`, which holds the reference, the wheats and the mutants; its
/// target folder is the one built in). `confine`: for a trusted grading, the folder the
/// tests may write beneath (`engine/run/confine.rs`).
pub fn evaluate(
    repo: &Repo,
    kata: &Kata,
    file: &Path,
    confine: Option<&Path>,
    for_learner: bool,
) -> Result<Evaluation> {
    let Some(patterns) = &kata.learner_tests else {
        return Ok(Evaluation::NotAKata);
    };
    if !file.is_file() {
        return Ok(Evaluation::NoFile);
    }
    let reference = patches::read_tree(&kata.solution_dir().join("src"))?;
    let mut implementations = vec![Implementation {
        member: "reference".into(),
        name: String::new(),
        kind: Kind::Reference,
        said: String::new(),
        sources: reference,
    }];
    let (wheats, _) = patches::find(&kata.wheats_dir(), patches::WHEAT)?;
    let kinds = [
        (Kind::Wheat, wheats),
        (Kind::Chaff, chaffs(kata, patterns)?),
    ];
    for (kind, found) in kinds {
        for patch in found {
            // A patch that no longer applies is the maintainers' to fix (`verify` names
            // it); the learner is judged by the others.
            if let Ok(sources) = patches::apply(kata, &patch)? {
                let prefix = if kind == Kind::Wheat {
                    "wheat"
                } else {
                    "chaff"
                };
                implementations.push(Implementation {
                    member: format!("{prefix}_{}", patch.name()),
                    name: patch.name().to_string(),
                    kind,
                    said: patch.said.clone().unwrap_or_default(),
                    sources,
                });
            }
        }
    }
    let members: Vec<(String, BTreeMap<PathBuf, String>)> = implementations
        .iter()
        .map(|i| (i.member.clone(), i.sources.clone()))
        .collect();
    let label = format!("{LABEL}-{}", kata.name);
    let workspace = scratch::workspace(kata, &label, &members, TEST_NAME, file)?;
    let status = LiveLine::new();
    if !for_learner {
        status.show(&format!("{}: building the learner's tests", kata.name));
    }
    run::become_subreaper();
    let built =
        compile::build_workspace_tests(&repo.root, &workspace.manifest, TEST_NAME, for_learner);
    run::sweep_strays();
    let built = built?;
    let exe_of = |member: usize| built.test_exes.get(&workspace.members[member].1);
    let Some(reference_exe) = exe_of(0) else {
        let errors = built
            .errors
            .get(&workspace.members[0].1)
            .cloned()
            .or_else(|| built.errors.values().next().cloned())
            .unwrap_or_else(|| built.general.clone());
        return Ok(Evaluation::DoesNotCompile(errors));
    };
    let ignored = run::list_ignored_tests(reference_exe, confine)?;
    let mut tests = run::list_tests(reference_exe, confine)?;
    tests.retain(|name| !ignored.contains(name));
    let scratch_dir = compile::target_dir(&repo.root).join("xtask");
    let place = |member: usize| Place {
        repo,
        kata,
        crate_dir: &workspace.members[member].1,
        scratch_dir: &scratch_dir,
        confine,
    };

    // The correct ones first: every failure there is a test to fix, and only the tests
    // that pass on all of them may judge the chaffs.
    let mut rejections: Vec<Rejection> = Vec::new();
    let mut invalid: BTreeSet<String> = BTreeSet::new();
    let total = implementations.len();
    for (i, implementation) in implementations.iter().enumerate() {
        if implementation.kind == Kind::Chaff {
            continue;
        }
        status.show(&t!("tests-status", done = i + 1, total = total));
        let Some(exe) = exe_of(i) else {
            continue;
        };
        // A test already seen rejecting a correct implementation is not run again: a
        // test that loops costs its timeout once, not once per implementation.
        let pending: Vec<String> = tests
            .iter()
            .filter(|t| !invalid.contains(*t))
            .cloned()
            .collect();
        if pending.is_empty() {
            break;
        }
        let runs = place(i).run(exe, Stop::Never, &pending)?;
        for failed in runs.iter().filter(|r| r.outcome != Outcome::Pass) {
            if invalid.insert(failed.name.clone()) {
                rejections.push(Rejection {
                    test: failed.name.clone(),
                    wheat: (implementation.kind == Kind::Wheat)
                        .then(|| implementation.name.clone()),
                    route: implementation.said.clone(),
                    message: failure_lines(kata, failed),
                });
            }
        }
    }
    let valid: Vec<String> = tests
        .iter()
        .filter(|t| !invalid.contains(*t))
        .cloned()
        .collect();
    let mut caught = Vec::new();
    let mut uncaught = Vec::new();
    for (i, implementation) in implementations.iter().enumerate() {
        if implementation.kind != Kind::Chaff {
            continue;
        }
        status.show(&t!("tests-status", done = i + 1, total = total));
        let is_caught = match exe_of(i) {
            Some(exe) if !valid.is_empty() => {
                let runs = place(i).run(exe, Stop::AtAnyFailure, &valid)?;
                runs.iter().any(|r| r.outcome != Outcome::Pass)
            }
            // No valid test, or a chaff the learner's file does not compile against
            // (it cannot tell it from a correct one by running it).
            _ => false,
        };
        if is_caught {
            caught.push(implementation.name.clone());
        } else {
            uncaught.push(implementation.name.clone());
        }
    }
    status.clear();
    Ok(Evaluation::Ran(Results {
        tests,
        correct: implementations
            .iter()
            .filter(|i| i.kind != Kind::Chaff)
            .count(),
        rejections,
        caught,
        uncaught,
    }))
}

/// Where one implementation's tests run.
struct Place<'a> {
    repo: &'a Repo,
    kata: &'a Kata,
    /// The implementation's scratch package: the tests' working folder.
    crate_dir: &'a Path,
    /// The runner's own files (logs, each test's `TMPDIR`).
    scratch_dir: &'a Path,
    confine: Option<&'a Path>,
}

impl Place<'_> {
    /// Runs `names` of the test binary `exe` the way a check does.
    fn run(&self, exe: &Path, stop: Stop, names: &[String]) -> Result<Vec<TestRun>> {
        let plan = RunPlan {
            test_exe: exe,
            crate_dir: self.crate_dir,
            repo_root: &self.repo.root,
            scratch_dir: self.scratch_dir,
            timeout: Duration::from_secs(self.kata.timeout_secs),
            memory_mib: self.kata.memory_mib,
            stop,
            status: None,
            confine: self.confine,
        };
        run::run_tests(&plan, names)
    }
}

/// What to show of a failure: the panic's message with the failing input (proptest's
/// minimal one), or that the test ran past its time.
fn failure_lines(kata: &Kata, failed: &TestRun) -> Vec<String> {
    match failed.outcome {
        Outcome::Timeout => vec![t!("report-timeout", seconds = kata.timeout_secs)],
        Outcome::Crash { signal } => vec![diagnose::crash_reason(
            &failed.output,
            signal,
            kata.memory_mib,
        )],
        _ => diagnose::failure_message(&failed.output),
    }
}

/// The learner's screen for an evaluation.
pub fn render(kata: &Kata, evaluation: &Evaluation, style: Style) -> String {
    let mut out = String::new();
    let file = file_shown(kata);
    let title = style.bold(&format!("{} · {}", kata.title(), file));
    match evaluation {
        Evaluation::NotAKata => {
            let _ = writeln!(out, "{}", t!("tests-not-a-kata", name = kata.name));
        }
        Evaluation::NoFile => {
            let first = first_property(kata);
            let _ = writeln!(out, "{}", t!("tests-how-to-start", file = file));
            let _ = writeln!(out, "\n{first}\n");
            let _ = writeln!(out, "{}", t!("tests-then-run", name = kata.name));
        }
        Evaluation::DoesNotCompile(errors) => {
            let _ = writeln!(out, "{title}\n");
            for error in errors {
                let _ = writeln!(out, "{error}");
            }
            let _ = writeln!(out, "{}", t!("tests-does-not-compile", file = file));
        }
        Evaluation::Ran(results) => {
            let _ = writeln!(
                out,
                "{title}\n{}\n",
                t!(
                    "tests-ran",
                    tests = results.tests.len(),
                    correct = results.correct,
                    chaffs = results.caught.len() + results.uncaught.len()
                )
            );
            if results.tests.is_empty() {
                let _ = writeln!(out, "{}", t!("tests-none-in-file", file = file));
            }
            for rejection in &results.rejections {
                let whom = match &rejection.wheat {
                    None => t!("tests-the-reference"),
                    Some(name) => t!("tests-a-wheat", name = name, route = rejection.route),
                };
                let _ = writeln!(
                    out,
                    "{} {}",
                    style.red("✗"),
                    t!(
                        "tests-rejects",
                        test = style.bold(&rejection.test),
                        whom = whom
                    )
                );
                for line in &rejection.message {
                    let _ = writeln!(out, "    {line}");
                }
                let _ = writeln!(out);
            }
            if !results.rejections.is_empty() {
                let _ = writeln!(out, "{}\n", t!("tests-rejections-explained"));
            }
            let (caught, total) = (
                results.caught.len(),
                results.caught.len() + results.uncaught.len(),
            );
            let line = t!("tests-catch", caught = caught, total = total);
            let _ = writeln!(
                out,
                "{}",
                if caught == total {
                    style.green(&line)
                } else {
                    style.bold(&line)
                }
            );
            if !results.rejections.is_empty() {
                let _ = writeln!(out, "{}", t!("tests-catch-needs-valid"));
            } else if caught < total {
                let _ = writeln!(
                    out,
                    "{}",
                    t!(
                        "tests-slip-through",
                        count = total - caught,
                        name = kata.name
                    )
                );
            }
        }
    }
    out
}

/// The heading of the README section on writing your own tests, in each language.
pub const HEADING: &str = "## Writing your own tests";
pub const HEADING_ZH: &str = "## 编写你自己的测试";

/// A first property to write: the first Rust block of the README's section on writing
/// your own tests, in the learner's language, or a general suggestion.
fn first_property(kata: &Kata) -> String {
    let (path, heading) = match lang::current() {
        Lang::Zh => (kata.readme_zh_path(), HEADING_ZH),
        Lang::En => (kata.readme_path(), HEADING),
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let block = text
        .split_once(&format!("\n{heading}\n"))
        .and_then(|(_, section)| section.split_once("\n```rust\n"))
        .and_then(|(before, rest)| {
            // Only a block inside the section, before the next heading.
            (!before.contains("\n## ")).then_some(rest)
        })
        .and_then(|rest| rest.split_once("\n```").map(|(code, _)| code.to_string()));
    block.unwrap_or_else(|| t!("tests-first-any"))
}

/// `hint <kata> --tests`: the next uncaught chaff's mistake (its `MUTANT:` line), one
/// more each time, from the last `tests <kata>`.
pub fn hint(repo: &Repo, kata: &Kata) -> Result<bool> {
    if !repo.has_solutions() {
        println!(
            "{}",
            t!("tests-in-class", name = kata.name, file = file_shown(kata))
        );
        return Ok(true);
    }
    let mut progress = Progress::load(&repo.root);
    let entry = progress.kata(&kata.name);
    let next = entry
        .chaffs_uncaught
        .iter()
        .find(|name| !entry.chaffs_revealed.contains(name))
        .cloned();
    let Some(name) = next else {
        if entry.chaffs_uncaught.is_empty() {
            println!("{}", t!("tests-hint-nothing", name = kata.name));
        } else {
            println!("{}", t!("tests-hint-all-revealed", name = kata.name));
        }
        return Ok(true);
    };
    let (mutants, _) = patches::find(&kata.mutants_dir(), patches::MUTANT)?;
    let mistake = mutants
        .iter()
        .find(|m| m.name() == name)
        .and_then(|m| m.said.clone())
        .unwrap_or_else(|| name.clone());
    entry.chaffs_revealed.push(name);
    let left = entry
        .chaffs_uncaught
        .iter()
        .filter(|n| !entry.chaffs_revealed.contains(n))
        .count();
    println!("{}", t!("tests-hint", mistake = mistake));
    println!("{}", t!("tests-hint-left", count = left, name = kata.name));
    if let Some(warning) = progress.save_or_warn(&repo.root) {
        eprintln!("{warning}");
    }
    Ok(true)
}
