//! `cargo xtask grade`: every kata's score, for CI and instructors.
//!
//! Each kata (in course order) is graded like `check` grades it; the results become one
//! report, written as text, JSON, JUnit XML or Markdown (xtask/GRADING.md describes
//! them). With `--pristine`, the suites come from a copy the learner cannot edit (a git
//! ref or a folder), and every difference between it and the learner's `tests/` is
//! reported. Progress goes to stderr, one line per kata, so stdout holds the report.
//!
//! This file grades; the others of this folder each hold one part: `results.rs` the
//! report's data, one module per format (`human.rs`, `json.rs`, `junit.rs`,
//! `markdown.rs`, `classroom.rs`), `pristine.rs` the pristine suites and `flags.rs` the
//! code that reaches for the harness.

mod classroom;
mod flags;
mod human;
mod json;
mod junit;
mod markdown;
mod pristine;
mod results;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches, value_parser};

use crate::engine::diagnose;
use crate::engine::lang::t;
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::{Outcome, Stop, TestRun};
use crate::engine::scratch;
use crate::engine::style::Style;
use crate::engine::suite::{self, Graded};
use pristine::Pristine;
use results::{KataReport, KataStatus, TestOutcome, TestReport, percent, round2, summarize};

const PAIRING: &str = "give one --out per --format to write several reports, or a \
     single --format without --out to print it";
const NOT_GRADED_NO_SUITE: &str = "the pristine tests/ has no suite for this kata, so it is \
     not graded (and not counted in the score)";

/// The options of `grade`, read from the command line by [`command`].
pub struct GradeArgs {
    format: Vec<Format>,
    out: Vec<PathBuf>,
    pristine: Option<String>,
    min_score: Option<f64>,
    /// `--points KATA=N`, for the classroom format.
    points: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Junit,
    Markdown,
    Classroom,
}

const FORMATS: [(&str, Format); 5] = [
    ("human", Format::Human),
    ("json", Format::Json),
    ("junit", Format::Junit),
    ("markdown", Format::Markdown),
    ("classroom", Format::Classroom),
];

/// The `grade` subcommand and its options.
pub fn command() -> clap::Command {
    clap::Command::new("grade")
        .about("Grade every kata, for CI and instructors")
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .action(ArgAction::Append)
                .value_parser(FORMATS.map(|(name, _)| name))
                .help(
                    "Report format. Give it several times, each with its own --out, to \
                     write several reports from one grading",
                ),
        )
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("FILE")
                .action(ArgAction::Append)
                .value_parser(value_parser!(PathBuf))
                .help("Write the report to this file instead of stdout (one per --format)"),
        )
        .arg(
            Arg::new("pristine")
                .long("pristine")
                .value_name("GIT_REF_OR_DIR")
                .help(
                    "Take the suites (tests/) from this git ref or folder, so edits to \
                     tests/ gain nothing, and report every file of tests/ that differs from it",
                ),
        )
        .arg(
            Arg::new("min-score")
                .long("min-score")
                .value_name("PERCENT")
                .value_parser(value_parser!(f64))
                .help("Exit with status 1 when the total score is below this percentage"),
        )
        .arg(
            Arg::new("points")
                .long("points")
                .value_name("KATA=N")
                .action(ArgAction::Append)
                .help(
                    "For --format classroom: what a kata is worth (repeatable; every kata \
                     not named is worth 10)",
                ),
        )
}

impl GradeArgs {
    pub fn from_matches(matches: &ArgMatches) -> GradeArgs {
        let format = matches
            .get_many::<String>("format")
            .into_iter()
            .flatten()
            .filter_map(|name| FORMATS.iter().find(|(n, _)| n == name).map(|(_, f)| *f))
            .collect();
        GradeArgs {
            format,
            out: matches
                .get_many::<PathBuf>("out")
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            pristine: matches.get_one::<String>("pristine").cloned(),
            min_score: matches.get_one::<f64>("min-score").copied(),
            points: matches
                .get_many::<String>("points")
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
        }
    }
}

pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    grade(repo, &GradeArgs::from_matches(m), style)
}

pub fn grade(repo: &Repo, args: &GradeArgs, style: Style) -> Result<bool> {
    let outputs = outputs(args)?;
    let points = classroom::Points::parse(&args.points, &repo.kata_names())?;
    if let Some(min) = args.min_score
        && !(0.0..=100.0).contains(&min)
    {
        bail!("--min-score is a percentage from 0 to 100, not {min}");
    }
    let pristine = match &args.pristine {
        Some(source) => Some(pristine::prepare(repo, source)?),
        None => None,
    };

    let mut katas = Vec::new();
    let count = repo.katas.len();
    for (i, kata) in repo.katas.iter().enumerate() {
        let report = grade_kata(repo, kata, pristine.as_ref())?;
        eprintln!(
            "grade: {}",
            t!(
                "grade-progress",
                number = i + 1,
                count = count,
                kata = kata.title(),
                summary = progress_summary(&report),
                seconds = format!("{:.1}", report.seconds)
            )
        );
        katas.push(report);
    }
    let pristine_report = match &pristine {
        Some(p) => {
            katas.extend(pristine::missing_katas(repo, &p.tests)?);
            Some(pristine::compare_tests(&repo.root.join("tests"), p)?)
        }
        None => None,
    };
    let mut report = summarize(katas, pristine_report, args.min_score);
    report.commit = pristine::git_output(&repo.root, &["rev-parse", "--verify", "-q", "HEAD"])
        .ok()
        .flatten()
        .map(|head| head.trim().to_string())
        .filter(|head| !head.is_empty());

    for (format, out) in &outputs {
        let text = match format {
            Format::Human => human::render(&report, if out.is_none() { style } else { NO_STYLE }),
            Format::Json => json::render(&report)?,
            Format::Junit => junit::render(&report),
            Format::Markdown => markdown::render(&report),
            Format::Classroom => classroom::render(&report.to_json(), &points)?,
        };
        match out {
            Some(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    fs::create_dir_all(parent)
                        .with_context(|| format!("creating {}", parent.display()))?;
                }
                fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
            }
            None => print!("{text}"),
        }
    }

    eprintln!(
        "grade: {}",
        t!(
            "grade-final-score",
            score = percent(report.score),
            katas_passed = report.katas_passed,
            katas = report.katas_graded
        )
    );
    if let Some(p) = &report.pristine
        && !p.unchanged
    {
        eprintln!("grade: {}", t!("grade-final-pristine", source = p.source));
    }
    if report.below_min_score {
        eprintln!(
            "grade: {}",
            t!(
                "grade-final-below",
                score = percent(report.score),
                min = percent(args.min_score.unwrap_or(0.0))
            )
        );
    }
    Ok(!report.below_min_score)
}

const NO_STYLE: Style = Style { color: false };

/// Pairs each --format with its --out (None: stdout).
fn outputs(args: &GradeArgs) -> Result<Vec<(Format, Option<PathBuf>)>> {
    let formats = if args.format.is_empty() {
        vec![Format::Human]
    } else {
        args.format.clone()
    };
    if args.out.is_empty() {
        if formats.len() > 1 {
            bail!(PAIRING);
        }
        return Ok(vec![(formats[0], None)]);
    }
    if args.out.len() != formats.len() {
        bail!(PAIRING);
    }
    Ok(formats
        .into_iter()
        .zip(args.out.iter().cloned().map(Some))
        .collect())
}

fn grade_kata(repo: &Repo, kata: &Kata, pristine: Option<&Pristine>) -> Result<KataReport> {
    let started = Instant::now();
    let mut report = KataReport {
        name: kata.name.clone(),
        order: Some(kata.order),
        topic: kata.topic.clone(),
        chinese: kata.chinese.clone(),
        status: KataStatus::Fail,
        score: 0.0,
        passed: 0,
        total: 0,
        seconds: 0.0,
        diagnostics: Vec::new(),
        reaches: flags::reaches_outside(kata),
        tests: Vec::new(),
        todos: Vec::new(),
    };
    let subject = match pristine {
        None => suite::exercise(kata),
        Some(p) => {
            if !p.tests.join(format!("{}.rs", kata.name)).is_file() {
                report.status = KataStatus::NotGraded;
                report.diagnostics.push(NOT_GRADED_NO_SUITE.to_string());
                return Ok(report);
            }
            let lib = kata.exercise_dir().join("src").join("lib.rs");
            scratch::subject(kata, "pristine", &lib, &p.tests)
                .with_context(|| format!("preparing {} against the pristine suite", kata.name))?
        }
    };
    let graded = suite::grade(&repo.root, kata, &subject, false, Stop::Never)
        .with_context(|| format!("grading {}", kata.name))?;
    let cleaner = PathCleaner::new(&repo.root, pristine.map(|p| p.tests.as_path()));
    match &graded {
        Graded::DoesNotCompile { diagnostics } => {
            report.status = KataStatus::DoesNotCompile;
            report.diagnostics = diagnostics
                .iter()
                .map(|d| cleaner.clean(d.trim_end()))
                .collect();
        }
        Graded::Ran { runs, total, .. } => {
            report.tests = runs
                .iter()
                .map(|run| test_report(kata, run, &cleaner))
                .collect();
            report.passed = runs.iter().filter(|r| r.outcome == Outcome::Pass).count();
            report.todos = diagnose::todo_sites(&kata.root, &kata.exercise_dir().join("src"));
            report.total = *total;
            report.status = if graded.all_pass() && *total > 0 {
                KataStatus::Pass
            } else {
                KataStatus::Fail
            };
            if *total > 0 {
                report.score = round2(100.0 * report.passed as f64 / *total as f64);
            }
        }
    }
    report.seconds = round2(started.elapsed().as_secs_f64());
    Ok(report)
}

fn test_report(kata: &Kata, run: &TestRun, cleaner: &PathCleaner) -> TestReport {
    let mut test = TestReport {
        name: run.name.clone(),
        outcome: TestOutcome::Pass,
        message: None,
        unimplemented: None,
        signal: None,
    };
    match &run.outcome {
        Outcome::Pass => {}
        Outcome::Timeout => {
            test.outcome = TestOutcome::Timeout;
            test.message = Some(format!(
                "ran past {} s and was stopped (a loop that never ends?)",
                kata.timeout_secs
            ));
        }
        Outcome::Crash { signal } => {
            test.outcome = TestOutcome::Crash;
            test.signal = Some(*signal);
            test.message = Some(diagnose::crash_reason(
                &run.output,
                *signal,
                kata.memory_mib,
            ));
        }
        Outcome::Fail => {
            test.outcome = TestOutcome::Fail;
            if let Some(location) = diagnose::todo_location(&run.output) {
                let function = diagnose::split_location(&location)
                    .and_then(|(path, line)| diagnose::function_at(&kata.root.join(path), line))
                    .unwrap_or_else(|| "a function".to_string());
                test.message = Some(format!(
                    "`{function}` is not implemented yet ({})",
                    cleaner.clean(&diagnose::short_location(&location))
                ));
                test.unimplemented = Some(function);
            } else {
                let lines = diagnose::failure_message(&run.output);
                test.message = Some(cleaner.clean(&lines.join("\n")));
            }
        }
    }
    test
}

/// Absolute paths in messages made relative to the repository (a pristine suite's
/// folder reads as `tests/`).
struct PathCleaner {
    prefixes: Vec<(String, String)>,
}

impl PathCleaner {
    fn new(root: &Path, pristine_tests: Option<&Path>) -> PathCleaner {
        let mut prefixes = Vec::new();
        if let Some(tests) = pristine_tests {
            prefixes.push((format!("{}/", tests.display()), "tests/".to_string()));
        }
        prefixes.push((format!("{}/", root.display()), String::new()));
        PathCleaner { prefixes }
    }

    fn clean(&self, text: &str) -> String {
        self.prefixes
            .iter()
            .fold(text.to_string(), |text, (from, to)| text.replace(from, to))
    }
}

fn progress_summary(report: &KataReport) -> String {
    match report.status {
        KataStatus::DoesNotCompile => t!("grade-does-not-compile"),
        KataStatus::NotGraded => t!("grade-not-graded-no-suite"),
        KataStatus::Missing => t!("grade-missing"),
        KataStatus::Pass | KataStatus::Fail => {
            t!("report-score", passed = report.passed, total = report.total)
        }
    }
}
