//! `cargo xtask grade`: every kata's score, for CI and instructors.
//!
//! Each kata (in course order) is graded like `check` grades it; the results become one
//! report (`results.rs`), written in any of its formats: text, JSON (also Exercism's
//! `results.json`), JUnit XML, Markdown, and GitHub Classroom's, Gradescope's and
//! PrairieLearn's results (xtask/GRADING.md describes them). With `--pristine`, the suites come from a copy the learner cannot edit (a git
//! ref or a folder), and every difference between it and the learner's `tests/` is
//! reported. Progress goes to stderr, one line per kata, so stdout holds the report.
//!
//! With `--submission`, run from the instructor's checkout, a student's folder is
//! graded by the instructor's runner, suites and manifests: only the learner's files
//! are taken from it (`submission.rs`).
//!
//! A kata whose code reaches for the harness or the environment beyond its task is
//! flagged (`flags.rs` reads its tokens, `resolved.rs` asks the compiler) and its points
//! are withheld for review unless `--count-flagged`.
//!
//! This file grades; the others of this folder each hold one part: `results.rs` the
//! report's data, one module per format (`human.rs`, `json.rs`, `junit.rs`,
//! `markdown.rs`, `classroom.rs`, `gradescope.rs`, `prairielearn.rs`), `pristine.rs` the pristine suites, `submission.rs`
//! a student's copy, and `flags.rs` and `resolved.rs` the code that reaches for the
//! harness.

mod classroom;
mod flags;
mod gradescope;
mod human;
mod json;
mod junit;
mod markdown;
mod prairielearn;
mod pristine;
mod resolved;
mod results;
mod submission;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches, value_parser};

use crate::engine::compile::Subject;
use crate::engine::diagnose;
use crate::engine::lang::t;
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::{Outcome, Stop, TestRun};
use crate::engine::scratch;
use crate::engine::style::Style;
use crate::engine::suite::{self, Graded, Place, Tier};
use crate::learner::order::Order;
use crate::learner::tests::{self as learner_tests, Evaluation};
use pristine::Pristine;
use results::{
    KataReport, KataStatus, LearnerTestsReport, Reach, TestOutcome, TestReport, percent, round2,
    summarize,
};
use submission::Submission;
pub(crate) use submission::head_commit;

const PAIRING: &str = "give one --out per --format to write several reports, or a \
     single --format without --out to print it";
const NOT_GRADED_NO_SUITE: &str = "the pristine tests/ has no suite for this kata, so it is \
     not graded (and not counted in the score)";
const NO_SUBMITTED_LIB: &str = "the submission has no exercises/<kata>/src/lib.rs (as a \
     regular file), so there is nothing to grade: it counts as 0%";
const MISSING_TEST: &str = "the instructor's suite has this test, but the suite built with \
     this code does not: it counts as failed";

/// The options of `grade`, read from the command line by [`command`].
pub struct GradeArgs {
    format: Vec<Format>,
    out: Vec<PathBuf>,
    pristine: Option<String>,
    min_score: Option<f64>,
    /// `--points KATA=N`, for the classroom format.
    points: Vec<String>,
    /// `--submission DIR`: a student's folder, graded with this checkout's runner.
    submission: Option<PathBuf>,
    /// `--count-flagged`: a flagged kata's points count instead of being withheld.
    count_flagged: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Junit,
    Markdown,
    Classroom,
    Gradescope,
    PrairieLearn,
}

const FORMATS: [(&str, Format); 7] = [
    ("human", Format::Human),
    ("json", Format::Json),
    ("junit", Format::Junit),
    ("markdown", Format::Markdown),
    ("classroom", Format::Classroom),
    ("gradescope", Format::Gradescope),
    ("prairielearn", Format::PrairieLearn),
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
                    "Take the suites (tests/) from this git ref, git tree (tests/ itself) or \
                     folder, so edits to tests/ gain nothing, and report every file of tests/ \
                     that differs from it",
                ),
        )
        .arg(
            Arg::new("submission")
                .long("submission")
                .value_name("STUDENT_DIR")
                .value_parser(value_parser!(PathBuf))
                .conflicts_with("pristine")
                .help(
                    "Grade a student's folder (a clone of their repository) from this \
                     checkout: only each exercises/<kata>/src (and learner_tests.rs) is \
                     copied, as regular files, into a fresh copy of this checkout under \
                     $TMPDIR/kata-submissions/; the runner, suites, manifests, lock file and \
                     .cargo/ are this checkout's, so nothing of the student's runs but the \
                     code under test. The score this gives is the trusted one",
                ),
        )
        .arg(
            Arg::new("count-flagged")
                .long("count-flagged")
                .action(ArgAction::SetTrue)
                .help(
                    "Count the points of a kata whose code reaches for the harness or the \
                     environment (flagged), instead of withholding them for review",
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
                    "For --format classroom, gradescope and prairielearn: what a kata is \
                     worth (repeatable; every kata not named is worth 10). Checked against \
                     the instructor's katas (the pristine suites, with --pristine)",
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
            submission: matches.get_one::<PathBuf>("submission").cloned(),
            count_flagged: matches.get_flag("count-flagged"),
        }
    }
}

pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    grade(repo, &GradeArgs::from_matches(m), style)
}

pub fn grade(repo: &Repo, args: &GradeArgs, style: Style) -> Result<bool> {
    let outputs = outputs(args)?;
    if let Some(min) = args.min_score
        && !(0.0..=100.0).contains(&min)
    {
        bail!("--min-score is a percentage from 0 to 100, not {min}");
    }
    let pristine = match &args.pristine {
        Some(source) => Some(pristine::prepare(repo, source)?),
        None => None,
    };
    // --points is checked against the instructor's katas before anything is graded: the
    // pristine suites', else this checkout's (with --submission, the instructor's).
    let instructors_katas = match &pristine {
        Some(p) => pristine::suite_names(&p.tests)?,
        None => repo.kata_names().into_iter().map(String::from).collect(),
    };
    let points = classroom::Points::parse(&args.points, &instructors_katas)?;
    let submission = match &args.submission {
        Some(dir) => {
            eprintln!("grade: {}", t!("grade-submission-preparing"));
            Some(submission::prepare(repo, dir)?)
        }
        None => None,
    };
    // What is graded: this checkout, or the student's copy of it.
    let graded = submission.as_ref().map_or(repo, |s| &s.repo);
    let mut context = Grading {
        instructor: repo,
        submission: submission.as_ref(),
        pristine: pristine.as_ref(),
        count_flagged: args.count_flagged,
        confined: None,
        notes: Vec::new(),
    };
    if let Some(s) = &submission {
        match crate::engine::run::confinement_available(&s.repo.root) {
            Ok(()) => context.confined = Some(s.repo.root.clone()),
            Err(why) => context.notes.push(format!(
                "the tests were not confined to the student's copy ({why}): they could write \
                 wherever this user can (see GRADING.md)"
            )),
        }
    }

    let mut katas = Vec::new();
    let count = graded.katas.len();
    for (i, kata) in graded.katas.iter().enumerate() {
        let report = grade_kata(kata, &mut context)?;
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
    report.notes = context.notes;
    report.submission = submission.as_ref().map(|s| s.source.clone());
    report.commit = match &args.submission {
        Some(dir) => submission::head_commit(dir),
        None => pristine::git_output(&repo.root, &["rev-parse", "--verify", "-q", "HEAD"])
            .ok()
            .flatten()
            .map(|head| head.trim().to_string())
            .filter(|head| !head.is_empty()),
    };

    for (format, out) in &outputs {
        let text = match format {
            Format::Human => human::render(&report, if out.is_none() { style } else { NO_STYLE }),
            Format::Json => json::render(&report)?,
            Format::Junit => junit::render(&report),
            Format::Markdown => markdown::render(&report),
            Format::Classroom => classroom::render(&report, &points)?,
            Format::Gradescope => gradescope::render(&report, &points)?,
            Format::PrairieLearn => prairielearn::render(&report, &points)?,
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
    if report.katas_withheld > 0 {
        eprintln!(
            "grade: {}",
            t!("grade-withheld-total", count = report.katas_withheld)
        );
    }
    for note in &report.notes {
        eprintln!("grade: {note}");
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

/// What grading every kata shares.
struct Grading<'a> {
    /// The checkout `grade` runs in: its target folder, and with --submission its
    /// suites and manifests.
    instructor: &'a Repo,
    submission: Option<&'a Submission>,
    pristine: Option<&'a Pristine>,
    count_flagged: bool,
    /// With --submission: the copy its tests are confined to, where the kernel allows.
    confined: Option<PathBuf>,
    /// What the report's `notes` say (each once).
    notes: Vec<String>,
}

impl Grading<'_> {
    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

fn grade_kata(kata: &Kata, grading: &mut Grading) -> Result<KataReport> {
    let started = Instant::now();
    if let Some(s) = grading.submission {
        // Whatever an earlier kata's tests wrote into the copy is undone.
        s.restore()
            .with_context(|| format!("restoring the student's copy before {}", kata.name))?;
    }
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
        withheld: false,
        tests: Vec::new(),
        todos: Vec::new(),
        learner_tests: None,
    };
    if let Some(s) = grading.submission {
        report
            .reaches
            .extend(s.refused.get(&kata.name).into_iter().flatten().cloned());
        if s.absent.contains(&kata.name) {
            report.status = KataStatus::Missing;
            report.diagnostics.push(NO_SUBMITTED_LIB.to_string());
            return Ok(report);
        }
    }
    let subject = match (grading.pristine, grading.submission) {
        (Some(p), _) => {
            if !p.tests.join(format!("{}.rs", kata.name)).is_file() {
                report.status = KataStatus::NotGraded;
                report.diagnostics.push(NOT_GRADED_NO_SUITE.to_string());
                return Ok(report);
            }
            let lib = kata.exercise_dir().join("src").join("lib.rs");
            scratch::subject(kata, "pristine", &lib, &p.tests)
                .with_context(|| format!("preparing {} against the pristine suite", kata.name))?
        }
        (None, Some(s)) => Subject {
            package: kata.exercise_package(),
            manifest: Some(s.repo.root.join("Cargo.toml")),
            crate_dir: kata.exercise_dir(),
            _lock: None,
        },
        (None, None) => suite::exercise(kata),
    };
    let place = Place {
        repo_root: &kata.root,
        target_root: &grading.instructor.root,
        confine: grading.confined.as_deref(),
    };
    let graded = suite::grade_in(&place, kata, &subject, Tier::Ordinary, false, Stop::Never)
        .with_context(|| format!("grading {}", kata.name))?;
    let cleaner = PathCleaner::new(&kata.root, grading.pristine.map(|p| p.tests.as_path()));
    match &graded {
        Graded::DoesNotCompile { diagnostics } => {
            report.status = KataStatus::DoesNotCompile;
            // Source the tokenizer cannot read does not compile either: rustc's errors
            // say what is wrong, and a kata with no points has nothing to review.
            report.reaches.retain(|reach| reach.kind != "unreadable");
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
            report.todos = diagnose::todo_sites(&kata.root, &kata.exercise_dir().join("src"));
            let expected = match grading.submission {
                Some(s) => s.expected.get(&kata.name).cloned().unwrap_or_default(),
                None => runs.iter().map(|r| r.name.clone()).collect(),
            };
            score_against(&mut report, &expected, *total);
            let order = Order::new(kata, &kata.exercise_dir().join("src"));
            for test in &mut report.tests {
                test.group = order
                    .group_of(&test.name)
                    .map(|(i, group)| (i + 1, group.to_string()));
            }
        }
    }
    // The second pass, for code the token scan found clean and whose points count.
    if report.reaches.is_empty() && report.passed > 0 {
        let manifest = subject
            .manifest
            .clone()
            .unwrap_or_else(|| kata.root.join("Cargo.toml"));
        match resolved::reaches(&subject.package, &manifest, kata, &grading.instructor.root) {
            Ok(found) => report.reaches.extend(found),
            Err(why) => grading.note(format!(
                "the compiler's check of what each kata's code reaches for did not run ({why}; \
                 `rustup component add clippy` installs it): only the token scan could flag \
                 code"
            )),
        }
    }
    report.withheld = !report.reaches.is_empty() && report.passed > 0 && !grading.count_flagged;
    report.learner_tests = learner_tests(kata, grading)?;
    report.seconds = round2(started.elapsed().as_secs_f64());
    Ok(report)
}

/// The learner's own tests of a kata that has them, run against the wheats and chaffs
/// of the instructor's checkout (which a class repository does not hold: this is where
/// a class's learner tests are scored), confined like the kata's tests.
fn learner_tests(kata: &Kata, grading: &Grading) -> Result<Option<LearnerTestsReport>> {
    let Ok(instructor_kata) = grading.instructor.kata(&kata.name) else {
        return Ok(None);
    };
    if instructor_kata.learner_tests.is_none() || !grading.instructor.has_solutions() {
        return Ok(None);
    }
    let file = learner_tests::file_path(kata);
    let evaluation = learner_tests::evaluate(
        grading.instructor,
        instructor_kata,
        &file,
        grading.confined.as_deref(),
        false,
    )
    .with_context(|| format!("running the learner's tests of {}", kata.name))?;
    let empty = |status| LearnerTestsReport {
        status,
        caught: 0,
        chaffs: 0,
        rejecting: Vec::new(),
    };
    Ok(match evaluation {
        Evaluation::NotAKata => None,
        Evaluation::NoFile => Some(empty("no-file")),
        Evaluation::DoesNotCompile(_) => Some(empty("does-not-compile")),
        Evaluation::Ran(results) => {
            let (caught, chaffs) = results.score();
            Some(LearnerTestsReport {
                status: "scored",
                caught,
                chaffs,
                rejecting: results.rejections.iter().map(|r| r.test.clone()).collect(),
            })
        }
    })
}

/// Scores `report` (its tests already listed) against the `expected` test names: the
/// instructor's, with --submission. A test the suite as built lacks counts as failed
/// and flags the kata: the suite has been tampered with. Tests beyond the expected
/// ones count for nothing.
fn score_against(report: &mut KataReport, expected: &[String], built: usize) {
    let listed: BTreeSet<&str> = report.tests.iter().map(|t| t.name.as_str()).collect();
    let missing: Vec<String> = expected
        .iter()
        .filter(|name| !listed.contains(name.as_str()))
        .cloned()
        .collect();
    let expected_names: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    report.passed = report
        .tests
        .iter()
        .filter(|t| t.outcome == TestOutcome::Pass && expected_names.contains(t.name.as_str()))
        .count();
    report.total = expected.len();
    if !missing.is_empty() {
        report.reaches.push(Reach {
            kind: "tampering".into(),
            what: format!(
                "the suite built with this code has {built} tests, {} of the instructor's {}",
                expected.len() - missing.len(),
                expected.len()
            ),
            at: format!("tests/{}.rs", report.name),
        });
        report
            .tests
            .extend(missing.into_iter().map(|name| TestReport {
                name,
                outcome: TestOutcome::Missing,
                message: Some(MISSING_TEST.to_string()),
                unimplemented: None,
                signal: None,
                seconds: 0.0,
                group: None,
            }));
        report.tests.sort_by(|a, b| a.name.cmp(&b.name));
    }
    report.status = if report.total > 0 && report.passed == report.total {
        KataStatus::Pass
    } else {
        KataStatus::Fail
    };
    if report.total > 0 {
        report.score = round2(100.0 * report.passed as f64 / report.total as f64);
    }
}

fn test_report(kata: &Kata, run: &TestRun, cleaner: &PathCleaner) -> TestReport {
    let mut test = TestReport {
        name: run.name.clone(),
        outcome: TestOutcome::Pass,
        message: None,
        unimplemented: None,
        signal: None,
        seconds: round3(run.seconds),
        group: None,
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

/// Seconds to the millisecond: finer is only the runner's polling.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kata_with(tests: &[(&str, TestOutcome)]) -> KataReport {
        KataReport {
            name: "sort".into(),
            order: Some(1),
            topic: String::new(),
            chinese: String::new(),
            status: KataStatus::Fail,
            score: 0.0,
            passed: 0,
            total: 0,
            seconds: 0.0,
            diagnostics: Vec::new(),
            reaches: Vec::new(),
            withheld: false,
            tests: tests
                .iter()
                .map(|(name, outcome)| TestReport {
                    name: (*name).into(),
                    outcome: *outcome,
                    message: None,
                    unimplemented: None,
                    signal: None,
                    seconds: 0.0,
                    group: None,
                })
                .collect(),
            todos: Vec::new(),
            learner_tests: None,
        }
    }

    /// A suite built with fewer tests than the instructor's (every one passing) is
    /// scored against the instructor's count, its missing tests failed, and flagged.
    #[test]
    fn a_suite_with_fewer_tests_than_the_instructors_is_scored_against_the_full_count() {
        let expected: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let mut report = kata_with(&[("a", TestOutcome::Pass)]);
        score_against(&mut report, &expected, 1);
        assert_eq!((report.passed, report.total, report.score), (1, 4, 25.0));
        assert_eq!(report.status, KataStatus::Fail);
        let missing: Vec<&str> = report
            .tests
            .iter()
            .filter(|t| t.outcome == TestOutcome::Missing)
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(missing, ["b", "c", "d"]);
        assert_eq!(report.reaches.len(), 1);
        assert_eq!(report.reaches[0].kind, "tampering");
        assert!(report.reaches[0].what.contains("1 of the instructor's 4"));

        // A test the instructor's suite does not have counts for nothing.
        let mut report = kata_with(&[("a", TestOutcome::Pass), ("extra", TestOutcome::Pass)]);
        score_against(&mut report, &expected[..1], 2);
        assert_eq!((report.passed, report.total), (1, 1));
        assert_eq!(report.status, KataStatus::Pass);
        assert!(report.reaches.is_empty());
    }
}
