//! `cargo xtask grade`: every kata's score, for CI and instructors.
//!
//! Each kata (in course order) is graded like `check` grades it; the results become one
//! report, written as text, JSON, JUnit XML or Markdown (xtask/GRADING.md describes
//! them). With `--pristine`, the suites come from a copy the learner cannot edit (a git
//! ref or a folder), and every difference between it and the learner's `tests/` is
//! reported. Progress goes to stderr, one line per kata, so stdout holds the report.

mod classroom;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches, value_parser};
use serde_json::{Value, json};

use crate::engine::diagnose;
use crate::engine::lang::t;
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::{Outcome, TestRun};
use crate::engine::scratch;
use crate::engine::style::{Style, display_width, pad_to};
use crate::engine::suite::{self, Graded};

/// Version of the JSON report's layout; raised on any incompatible change.
const SCHEMA_VERSION: u32 = 1;
/// Failing tests listed per kata in the text and Markdown reports (JSON and JUnit list
/// every one).
const LISTED_FAILURES: usize = 12;
/// Maintainers' known-wrong implementations: never part of grading, so never compared.
const MUTANTS_DIR: &str = "mutants";
const PAIRING: &str = "give one --out per --format to write several reports, or a \
     single --format without --out to print it";
const NOT_GRADED_NO_SUITE: &str = "the pristine tests/ has no suite for this kata, so it is \
     not graded (and not counted in the score)";
const MISSING_KATA: &str = "the pristine tests/ has a suite for this kata, but exercises/ \
     has no such kata (it counts as 0%)";

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

/// The whole report; its JSON form ([`Report::to_json`]) is the documented schema
/// (xtask/GRADING.md).
struct Report {
    schema: u32,
    /// `git rev-parse HEAD` of the graded repository, when git knows it.
    commit: Option<String>,
    /// Mean of the graded katas' scores, in percent.
    score: f64,
    min_score: Option<f64>,
    below_min_score: bool,
    katas_passed: usize,
    katas_graded: usize,
    tests_passed: usize,
    tests_total: usize,
    pristine: Option<PristineReport>,
    katas: Vec<KataReport>,
}

struct PristineReport {
    /// The git ref or folder given to --pristine.
    source: String,
    /// True when the learner's tests/ matches the pristine copy.
    unchanged: bool,
    /// Paths (from the repository root) that differ, are missing, or were added.
    changed: Vec<String>,
    missing: Vec<String>,
    added: Vec<String>,
}

struct KataReport {
    name: String,
    order: Option<u32>,
    topic: String,
    chinese: String,
    status: KataStatus,
    /// Percent of the suite's tests that pass (0 when it does not compile).
    score: f64,
    passed: usize,
    total: usize,
    seconds: f64,
    /// rustc's errors (does-not-compile) or why the kata was not graded.
    diagnostics: Vec<String>,
    /// Where the learner's crate reaches beyond what its kata declares it needs.
    reaches: Vec<Reach>,
    tests: Vec<TestReport>,
    /// Every `todo!()` left in the learner's code, as (`path:line`, function), in
    /// source order: read from the source, so the same from run to run.
    todos: Vec<(String, String)>,
}

/// A place where the learner's crate reaches for the harness or the environment
/// beyond what its kata uses (`uses` in its metadata): it could forge a pass.
struct Reach {
    /// `process`, `env`, `fs`, `net`, `os`, `unsafe`, `extern`, `include`, `link`,
    /// `asm`, `build-script`, `dependencies`.
    kind: String,
    /// What was written, e.g. `std::process`.
    what: String,
    /// `path:line` from the repository root (the manifest for the last two kinds).
    at: String,
}

impl Reach {
    fn line(&self) -> String {
        format!("{} ({}, {})", self.what, self.kind, self.at)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum KataStatus {
    Pass,
    Fail,
    DoesNotCompile,
    /// A pristine suite with no kata in exercises/: counts as 0%.
    Missing,
    /// A kata with no pristine suite: not counted.
    NotGraded,
}

struct TestReport {
    name: String,
    outcome: TestOutcome,
    /// What went wrong, for a test that did not pass.
    message: Option<String>,
    /// The function whose `todo!()` the test ran into.
    unimplemented: Option<String>,
    /// The signal that ended a crashed test.
    signal: Option<i32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TestOutcome {
    Pass,
    Fail,
    Timeout,
    Crash,
}

impl Report {
    /// The JSON form, field for field as xtask/GRADING.md documents it.
    fn to_json(&self) -> Value {
        json!({
            "schema": self.schema,
            "commit": self.commit,
            "score": self.score,
            "min_score": self.min_score,
            "below_min_score": self.below_min_score,
            "katas_passed": self.katas_passed,
            "katas_graded": self.katas_graded,
            "tests_passed": self.tests_passed,
            "tests_total": self.tests_total,
            "pristine": self.pristine.as_ref().map(|p| json!({
                "source": p.source,
                "unchanged": p.unchanged,
                "changed": p.changed,
                "missing": p.missing,
                "added": p.added,
            })),
            "katas": self.katas.iter().map(KataReport::to_json).collect::<Vec<_>>(),
        })
    }
}

impl KataReport {
    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "order": self.order,
            "topic": self.topic,
            "chinese": self.chinese,
            "status": self.status.json_name(),
            "score": self.score,
            "passed": self.passed,
            "total": self.total,
            "seconds": self.seconds,
            "diagnostics": self.diagnostics,
            "reaches": self.reaches.iter().map(|r| json!({
                "kind": r.kind,
                "what": r.what,
                "at": r.at,
            })).collect::<Vec<_>>(),
            "tests": self.tests.iter().map(TestReport::to_json).collect::<Vec<_>>(),
        })
    }
}

impl TestReport {
    fn to_json(&self) -> Value {
        let mut test = json!({ "name": self.name, "outcome": self.outcome.json_name() });
        // Optional fields are left out, not null, when they do not apply.
        let optional = [
            ("message", self.message.as_ref().map(|m| json!(m))),
            (
                "unimplemented",
                self.unimplemented.as_ref().map(|u| json!(u)),
            ),
            ("signal", self.signal.map(|s| json!(s))),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                test[key] = value;
            }
        }
        test
    }
}

impl KataStatus {
    fn json_name(self) -> &'static str {
        match self {
            KataStatus::Pass => "pass",
            KataStatus::Fail => "fail",
            KataStatus::DoesNotCompile => "does-not-compile",
            KataStatus::Missing => "missing",
            KataStatus::NotGraded => "not-graded",
        }
    }
}

impl TestOutcome {
    fn json_name(self) -> &'static str {
        match self {
            TestOutcome::Pass => "pass",
            TestOutcome::Fail => "fail",
            TestOutcome::Timeout => "timeout",
            TestOutcome::Crash => "crash",
        }
    }
}

/// Where the suites come from when grading against a pristine copy.
struct Pristine {
    source: String,
    /// The pristine `tests/` folder.
    tests: PathBuf,
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
        Some(source) => Some(prepare_pristine(repo, source)?),
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
            katas.extend(missing_katas(repo, &p.tests)?);
            Some(compare_tests(&repo.root.join("tests"), p)?)
        }
        None => None,
    };
    let mut report = summarize(katas, pristine_report, args.min_score);
    report.commit = git_output(&repo.root, &["rev-parse", "--verify", "-q", "HEAD"])
        .ok()
        .flatten()
        .map(|head| head.trim().to_string())
        .filter(|head| !head.is_empty());

    for (format, out) in &outputs {
        let text = match format {
            Format::Human => render_human(&report, if out.is_none() { style } else { NO_STYLE }),
            Format::Json => {
                serde_json::to_string_pretty(&report.to_json())
                    .context("encoding the JSON report")?
                    + "\n"
            }
            Format::Junit => render_junit(&report),
            Format::Markdown => render_markdown(&report),
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

/// What a flagged kata is told in the JUnit report (the text and Markdown reports say
/// it in the learner's language: `grade-reaches` in xtask/locales).
const REACHES: &str = "reaches for the harness or the environment beyond what its kata needs \
     (it could forge passing tests: review its code before trusting the score)";

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
        reaches: reaches_outside(kata),
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
    let graded = suite::grade(&repo.root, kata, &subject, false, false)
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

/// Where the learner's crate reaches beyond what its kata uses: found in its source
/// with the tokenizer (`source.rs`), plus a build script or dependencies in its
/// manifest (code that runs with the learner's rights at build time).
fn reaches_outside(kata: &Kata) -> Vec<Reach> {
    let dir = kata.exercise_dir();
    let shown = |path: &Path| {
        path.strip_prefix(&kata.root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut found = Vec::new();
    let files = diagnose::rust_files(&dir);
    // Programs (src/bin/, examples/) are targets of their own, never linked into the
    // suite's test binary, so what they reach for cannot forge a test's result (the
    // select_server kata's given chat programs read their arguments and exit). Unless
    // the library pulls that folder in as a module (`#[path]` is flagged anyway).
    let lib_takes_bin = files.iter().any(|file| {
        !file.starts_with(dir.join("src").join("bin"))
            && fs::read_to_string(file).is_ok_and(|text| text.contains("mod bin"))
    });
    let programs = |file: &Path| {
        (!lib_takes_bin && file.starts_with(dir.join("src").join("bin")))
            || file.starts_with(dir.join("examples"))
    };
    for file in files {
        if file.starts_with(dir.join("target")) || programs(&file) {
            continue;
        }
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        if file.file_name().is_some_and(|n| n == "build.rs") {
            found.push(Reach {
                kind: "build-script".into(),
                what: "a build script".into(),
                at: shown(&file),
            });
        }
        let Some(scan) = crate::engine::source::scan(&text) else {
            found.push(Reach {
                kind: "unreadable".into(),
                what: "source the tokenizer cannot read".into(),
                at: shown(&file),
            });
            continue;
        };
        for reach in scan.reaches {
            if !kata.uses.iter().any(|u| u == reach.kind) {
                found.push(Reach {
                    kind: reach.kind.into(),
                    what: reach.what,
                    at: format!("{}:{}", shown(&file), reach.line),
                });
            }
        }
    }
    let manifest_path = dir.join("Cargo.toml");
    if let Ok(manifest) = fs::read_to_string(&manifest_path)
        .map_err(anyhow::Error::from)
        .and_then(|t| t.parse::<toml::Table>().map_err(anyhow::Error::from))
    {
        let package = manifest.get("package").and_then(|p| p.as_table());
        if package.is_some_and(|p| p.contains_key("build")) {
            found.push(Reach {
                kind: "build-script".into(),
                what: "`build` in [package]".into(),
                at: shown(&manifest_path),
            });
        }
        for table in ["dependencies", "build-dependencies"] {
            for name in manifest
                .get(table)
                .and_then(|d| d.as_table())
                .into_iter()
                .flat_map(|d| d.keys())
            {
                if !kata.uses.iter().any(|u| *u == format!("dependency:{name}")) {
                    found.push(Reach {
                        kind: "dependencies".into(),
                        what: format!("[{table}] {name}"),
                        at: shown(&manifest_path),
                    });
                }
            }
        }
    }
    found
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

fn summarize(
    katas: Vec<KataReport>,
    pristine: Option<PristineReport>,
    min_score: Option<f64>,
) -> Report {
    let graded: Vec<&KataReport> = katas
        .iter()
        .filter(|k| k.status != KataStatus::NotGraded)
        .collect();
    let score = if graded.is_empty() {
        0.0
    } else {
        round2(graded.iter().map(|k| k.score).sum::<f64>() / graded.len() as f64)
    };
    Report {
        schema: SCHEMA_VERSION,
        commit: None,
        score,
        min_score,
        below_min_score: min_score.is_some_and(|min| score < min),
        katas_passed: graded
            .iter()
            .filter(|k| k.status == KataStatus::Pass)
            .count(),
        katas_graded: graded.len(),
        tests_passed: graded.iter().map(|k| k.passed).sum(),
        tests_total: graded.iter().map(|k| k.total).sum(),
        pristine,
        katas,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `37.5%`, `100%`.
fn percent(x: f64) -> String {
    let text = format!("{x:.1}");
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

// ---------------------------------------------------------------------------------------
// The pristine suites.

/// Finds (or extracts) the pristine `tests/` folder.
fn prepare_pristine(repo: &Repo, source: &str) -> Result<Pristine> {
    let as_dir = Path::new(source);
    if as_dir.is_dir() {
        let dir = std::path::absolute(as_dir)
            .with_context(|| format!("resolving the folder {source}"))?;
        // A repository (or export) root holds tests/; otherwise it is tests/ itself.
        let tests = if dir.join("tests").is_dir() {
            dir.join("tests")
        } else {
            dir
        };
        return Ok(Pristine {
            source: source.to_string(),
            tests,
        });
    }
    let commit = git_output(
        &repo.root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{source}^{{commit}}"),
        ],
    )?
    .map(|c| c.trim().to_string())
    .filter(|c| !c.is_empty())
    .with_context(|| {
        format!(
            "--pristine {source}: there is no such folder, and git knows no such commit or \
             branch in {}",
            repo.root.display()
        )
    })?;
    // In the target folder cargo uses (CARGO_TARGET_DIR and config included), which
    // is writable even when the checkout is not.
    let dest = crate::engine::compile::target_dir(&repo.root)
        .join("xtask")
        .join("pristine")
        .join(&commit);
    if dest.exists() {
        fs::remove_dir_all(&dest).with_context(|| format!("clearing {}", dest.display()))?;
    }
    fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
    extract_tests(&repo.root, &commit, &dest)
        .with_context(|| format!("extracting tests/ of {source} ({commit})"))?;
    let tests = dest.join("tests");
    if !tests.is_dir() {
        bail!("--pristine {source}: commit {commit} has no tests/ folder");
    }
    Ok(Pristine {
        source: source.to_string(),
        tests,
    })
}

/// `git archive <commit> tests | tar -x -C <dest>`.
fn extract_tests(root: &Path, commit: &str, dest: &Path) -> Result<()> {
    let mut archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", commit, "tests"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context(GIT_NOT_RUN)?;
    let tar_input = archive.stdout.take().context("reading git archive")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(tar_input)
        .stderr(Stdio::piped())
        .output()
        .context("running tar to unpack git archive's output (is tar installed?)")?;
    let archive = archive
        .wait_with_output()
        .context("waiting for git archive")?;
    if !archive.status.success() {
        bail!(
            "git archive failed: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        );
    }
    if !tar.status.success() {
        bail!(
            "tar failed: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        );
    }
    Ok(())
}

/// git's stdout when it succeeds, `None` when it ran and failed; an error when git
/// could not be run at all (not installed, not on PATH), which is not the same as a
/// commit that does not exist.
fn git_output(root: &Path, args: &[&str]) -> Result<Option<String>> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context(GIT_NOT_RUN)?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
}

const GIT_NOT_RUN: &str = "git could not be run (is it installed and on PATH?); \
     --pristine with a git ref needs it (a folder does not)";

/// Every file of the learner's tests/ that differs from, is missing in, or was added to
/// the pristine copy (tests/mutants/ left out: maintainers' files, never graded).
fn compare_tests(learner: &Path, pristine: &Pristine) -> Result<PristineReport> {
    let ours = list_files(learner)?;
    let theirs = list_files(&pristine.tests)?;
    let mut report = PristineReport {
        source: pristine.source.clone(),
        unchanged: true,
        changed: Vec::new(),
        missing: Vec::new(),
        added: Vec::new(),
    };
    for (relative, path) in &theirs {
        let shown = format!("tests/{relative}");
        match ours.get(relative) {
            None => report.missing.push(shown),
            Some(learner_path) => {
                let same = fs::read(path).with_context(|| format!("reading {}", path.display()))?
                    == fs::read(learner_path)
                        .with_context(|| format!("reading {}", learner_path.display()))?;
                if !same {
                    report.changed.push(shown);
                }
            }
        }
    }
    let theirs_names: BTreeSet<&String> = theirs.keys().collect();
    report.added = ours
        .keys()
        .filter(|k| !theirs_names.contains(k))
        .map(|k| format!("tests/{k}"))
        .collect();
    report.unchanged =
        report.changed.is_empty() && report.missing.is_empty() && report.added.is_empty();
    Ok(report)
}

/// The files under `dir` by their `/`-separated path relative to it, sorted.
fn list_files(dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, "", &mut files)?;
    }
    Ok(files)
}

fn walk(dir: &Path, prefix: &str, files: &mut BTreeMap<String, PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        let path = entry.path();
        if path.is_dir() {
            if relative == MUTANTS_DIR {
                continue;
            }
            walk(&path, &format!("{relative}/"), files)?;
        } else {
            files.insert(relative, path);
        }
    }
    Ok(())
}

/// Katas whose suite is in the pristine tests/ but which exercises/ lacks.
fn missing_katas(repo: &Repo, pristine_tests: &Path) -> Result<Vec<KataReport>> {
    let known: BTreeSet<&str> = repo.katas.iter().map(|k| k.name.as_str()).collect();
    let mut missing = Vec::new();
    for (relative, _) in list_files(pristine_tests)? {
        let Some(name) = relative.strip_suffix(".rs") else {
            continue;
        };
        if name.contains('/') || known.contains(name) {
            continue;
        }
        eprintln!("grade: {name}: missing from exercises/");
        missing.push(KataReport {
            name: name.to_string(),
            order: None,
            topic: String::new(),
            chinese: String::new(),
            status: KataStatus::Missing,
            score: 0.0,
            passed: 0,
            total: 0,
            seconds: 0.0,
            diagnostics: vec![MISSING_KATA.to_string()],
            reaches: Vec::new(),
            tests: Vec::new(),
            todos: Vec::new(),
        });
    }
    Ok(missing)
}

// ---------------------------------------------------------------------------------------
// Rendering.

fn kata_title(kata: &KataReport) -> String {
    if kata.chinese.is_empty() {
        kata.name.clone()
    } else {
        format!("{} ({})", kata.name, kata.chinese)
    }
}

/// The kata's status in the learner's language (the text and Markdown reports).
fn status_text(kata: &KataReport) -> String {
    match kata.status {
        KataStatus::Pass => t!("grade-pass"),
        KataStatus::Fail => t!("grade-fail"),
        KataStatus::DoesNotCompile => t!("grade-does-not-compile"),
        KataStatus::Missing => t!("grade-missing"),
        KataStatus::NotGraded => t!("grade-not-graded"),
    }
}

/// The kata's status as a stable English word (JUnit's `status` property).
fn status_words(kata: &KataReport) -> &'static str {
    match kata.status {
        KataStatus::Pass => "pass",
        KataStatus::Fail => "fail",
        KataStatus::DoesNotCompile => "does not compile",
        KataStatus::Missing => "missing",
        KataStatus::NotGraded => "not graded",
    }
}

/// The problems of one kata: each function left with a `todo!()` (read from the source,
/// so the lines are the same from run to run; which of them a test meets first can
/// depend on its random input), the number of tests stopped at one, then the other
/// failures.
fn problem_lines(kata: &KataReport) -> Vec<String> {
    let mut lines = Vec::new();
    let mut others = Vec::new();
    let mut stopped = 0;
    for test in kata.tests.iter().filter(|t| t.outcome != TestOutcome::Pass) {
        match test.unimplemented {
            Some(_) => stopped += 1,
            None => others.push(test),
        }
    }
    for (location, function) in &kata.todos {
        lines.push(t!(
            "grade-not-implemented",
            function = function,
            location = location
        ));
    }
    if stopped > 0 {
        lines.push(if stopped == 1 {
            t!("grade-one-test-stops")
        } else {
            t!("grade-tests-stop", count = stopped)
        });
    }
    for test in others.iter().take(LISTED_FAILURES) {
        let first = test
            .message
            .as_deref()
            .and_then(|m| m.lines().next())
            .unwrap_or("");
        let what = match test.outcome {
            TestOutcome::Timeout => t!("grade-timeout"),
            TestOutcome::Crash => t!("grade-crash"),
            _ => t!("grade-fail"),
        };
        lines.push(format!("{} ({what}): {first}", test.name));
    }
    if others.len() > LISTED_FAILURES {
        lines.push(t!(
            "grade-more-failing",
            count = others.len() - LISTED_FAILURES
        ));
    }
    lines.extend(kata.diagnostics.iter().take(1).map(|d| {
        let first: Vec<&str> = d.lines().take(6).collect();
        first.join("\n    ")
    }));
    lines
}

fn render_human(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let width = report
        .katas
        .iter()
        .map(|k| display_width(&kata_title(k)))
        .max()
        .unwrap_or(0)
        + 2;
    for kata in &report.katas {
        let title = kata_title(kata);
        let padding = " ".repeat(width.saturating_sub(display_width(&title)));
        let tests = match kata.status {
            KataStatus::Pass | KataStatus::Fail => {
                t!("grade-tests", passed = kata.passed, total = kata.total)
            }
            _ => String::new(),
        };
        let status = match kata.status {
            KataStatus::Pass => style.green(&status_text(kata)),
            KataStatus::NotGraded => style.dim(&status_text(kata)),
            _ => style.red(&status_text(kata)),
        };
        let _ = writeln!(
            out,
            "{}{padding}{:>7}  {}{status}",
            style.bold(&title),
            percent(kata.score),
            pad_to(&tests, 14)
        );
        for line in problem_lines(kata) {
            let _ = writeln!(out, "    {line}");
        }
        if !kata.reaches.is_empty() {
            let _ = writeln!(out, "    {} {}:", style.yellow("⚑"), t!("grade-reaches"));
            for reach in &kata.reaches {
                let _ = writeln!(out, "      {}", reach.line());
            }
        }
    }
    if let Some(p) = &report.pristine {
        out.push('\n');
        if p.unchanged {
            let _ = writeln!(out, "{}", t!("grade-pristine-same", source = p.source));
        } else {
            let _ = writeln!(
                out,
                "{} {}",
                style.yellow("!"),
                t!("grade-pristine-differs", source = p.source)
            );
            for (what, files) in changes(p) {
                for file in files {
                    let _ = writeln!(out, "    {}{file}", pad_to(&what, 8));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{} {}",
        style.bold(&t!("grade-score-heading")),
        t!(
            "grade-score",
            score = percent(report.score),
            katas_passed = report.katas_passed,
            katas = report.katas_graded,
            tests_passed = report.tests_passed,
            tests = report.tests_total
        )
    );
    if let Some(min) = report.min_score {
        let _ = writeln!(
            out,
            "{} --min-score {}",
            if report.below_min_score {
                style.red(&t!("grade-below"))
            } else {
                style.green(&t!("grade-at-or-above"))
            },
            percent(min)
        );
    }
    out
}

/// The files of tests/ that differ from the pristine copy, by what happened to them.
fn changes(p: &PristineReport) -> [(String, &Vec<String>); 3] {
    [
        (t!("grade-changed"), &p.changed),
        (t!("grade-missing"), &p.missing),
        (t!("grade-added"), &p.added),
    ]
}

fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {}\n",
        t!("grade-md-title", score = percent(report.score))
    );
    let _ = writeln!(out, "{}", t!("grade-md-header"));
    let _ = writeln!(out, "|--:|---|--:|--:|---|");
    for kata in &report.katas {
        let icon = match kata.status {
            KataStatus::Pass => "✅",
            KataStatus::NotGraded => "➖",
            _ => "❌",
        };
        let tests = match kata.status {
            KataStatus::Pass | KataStatus::Fail => format!("{} / {}", kata.passed, kata.total),
            _ => "–".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {tests} | {icon} {} |",
            kata.order.map_or(String::new(), |o| o.to_string()),
            md_escape(&kata_title(kata)),
            percent(kata.score),
            status_text(kata)
        );
    }
    let _ = writeln!(
        out,
        "{}",
        t!(
            "grade-md-total",
            score = percent(report.score),
            tests_passed = report.tests_passed,
            tests = report.tests_total,
            katas_passed = report.katas_passed,
            katas = report.katas_graded
        )
    );
    let _ = writeln!(out, "\n{}", t!("grade-md-mean"));
    if let Some(min) = report.min_score {
        let min = percent(min);
        let _ = writeln!(
            out,
            "\n{}",
            if report.below_min_score {
                t!("grade-md-below", min = min)
            } else {
                t!("grade-md-at-or-above", min = min)
            }
        );
    }
    if let Some(p) = &report.pristine {
        out.push('\n');
        if p.unchanged {
            let _ = writeln!(
                out,
                "{}",
                t!("grade-md-pristine-same", source = md_escape(&p.source))
            );
        } else {
            let _ = writeln!(
                out,
                "{}\n",
                t!("grade-md-pristine-differs", source = md_escape(&p.source))
            );
            for (what, files) in changes(p) {
                for file in files {
                    let _ = writeln!(out, "- {what}: `{}`", file.replace('`', "'"));
                }
            }
        }
    }
    for kata in report.katas.iter().filter(|k| !k.reaches.is_empty()) {
        let _ = writeln!(
            out,
            "\n{}\n",
            t!(
                "grade-md-flagged",
                kata = md_escape(&kata_title(kata)),
                reaches = t!("grade-reaches")
            )
        );
        for reach in &kata.reaches {
            let _ = writeln!(out, "- {}", md_inline(&reach.line()));
        }
    }
    for kata in &report.katas {
        let lines = problem_lines(kata);
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n<details><summary>{}: {}</summary>\n",
            html_escape(&kata_title(kata)),
            status_text(kata)
        );
        for line in lines {
            let _ = writeln!(out, "- {}", md_inline(&line.replace('\n', " ")));
        }
        let _ = writeln!(out, "\n</details>");
    }
    out
}

/// Escapes text inside an HTML element of a Markdown document (where Markdown's own
/// escapes are not read).
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for a Markdown list item: its `code` spans kept as code spans (escaping their
/// backticks would show them as text), the rest escaped with [`md_escape`].
fn md_inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of parts: every backtick has its pair.
    if parts.len().is_multiple_of(2) {
        return md_escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                md_escape(part)
            } else if part.is_empty() {
                String::new()
            } else {
                let part = part.replace(['\n', '\r'], " ");
                // A code span that starts or ends with a space needs one more each side.
                if part.starts_with(' ') || part.ends_with(' ') {
                    format!("` {part} `")
                } else {
                    format!("`{part}`")
                }
            }
        })
        .collect()
}

/// Escapes text for a Markdown table cell or list item (no HTML, no table breaks).
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn render_junit(report: &Report) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors, mut skipped, mut seconds) = (0, 0, 0, 0, 0.0);
    for kata in &report.katas {
        let mut cases = String::new();
        let (mut k_tests, mut k_failures, mut k_errors, mut k_skipped) = (0, 0, 0, 0);
        match kata.status {
            KataStatus::Pass | KataStatus::Fail => {
                for test in &kata.tests {
                    k_tests += 1;
                    let _ = write!(
                        cases,
                        "    <testcase classname=\"{}\" name=\"{}\"",
                        xml_escape(&kata.name),
                        xml_escape(&test.name)
                    );
                    let (element, kind) = match test.outcome {
                        TestOutcome::Pass => {
                            cases.push_str("/>\n");
                            continue;
                        }
                        TestOutcome::Fail => ("failure", "fail"),
                        TestOutcome::Timeout => ("error", "timeout"),
                        TestOutcome::Crash => ("error", "crash"),
                    };
                    if element == "failure" {
                        k_failures += 1;
                    } else {
                        k_errors += 1;
                    }
                    let message = test.message.as_deref().unwrap_or("");
                    let _ = write!(
                        cases,
                        ">\n      <{element} type=\"{kind}\" message=\"{}\">{}</{element}>\n    </testcase>\n",
                        xml_escape(message.lines().next().unwrap_or("")),
                        xml_escape(message)
                    );
                }
            }
            KataStatus::NotGraded => {
                k_tests = 1;
                k_skipped = 1;
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{0}\" name=\"graded\">\n      <skipped message=\"{1}\"/>\n    </testcase>",
                    xml_escape(&kata.name),
                    xml_escape(&kata.diagnostics.join("\n"))
                );
            }
            KataStatus::DoesNotCompile | KataStatus::Missing => {
                k_tests = 1;
                k_errors = 1;
                let (name, kind, message) = if kata.status == KataStatus::Missing {
                    ("exists", "missing", "the kata is missing from exercises/")
                } else {
                    ("compiles", "does-not-compile", "the kata does not compile")
                };
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{}\" name=\"{name}\">\n      <error type=\"{kind}\" message=\"{message}\">{}</error>\n    </testcase>",
                    xml_escape(&kata.name),
                    xml_escape(&kata.diagnostics.join("\n\n"))
                );
            }
        }
        if !kata.reaches.is_empty() {
            k_tests += 1;
            k_failures += 1;
            let listed: Vec<String> = kata.reaches.iter().map(Reach::line).collect();
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{}\" name=\"stays within its task\">\n      <failure type=\"reaches-outside\" message=\"{}\">{}</failure>\n    </testcase>",
                xml_escape(&kata.name),
                xml_escape(REACHES),
                xml_escape(&listed.join("\n"))
            );
        }
        tests += k_tests;
        failures += k_failures;
        errors += k_errors;
        skipped += k_skipped;
        seconds += kata.seconds;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{k_tests}\" failures=\"{k_failures}\" errors=\"{k_errors}\" skipped=\"{k_skipped}\" time=\"{:.3}\">",
            xml_escape(&kata.name),
            kata.seconds
        );
        let _ = writeln!(
            suites,
            "    <properties>\n      <property name=\"score\" value=\"{}\"/>\n      <property name=\"status\" value=\"{}\"/>\n    </properties>",
            kata.score,
            xml_escape(status_words(kata))
        );
        suites.push_str(&cases);
        suites.push_str("  </testsuite>\n");
    }
    if let Some(p) = &report.pristine {
        tests += 1;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"pristine\" tests=\"1\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            usize::from(!p.unchanged)
        );
        let _ = write!(
            suites,
            "    <testcase classname=\"pristine\" name=\"tests/ matches {}\"",
            xml_escape(&p.source)
        );
        if p.unchanged {
            suites.push_str("/>\n");
        } else {
            failures += 1;
            let mut listing = String::new();
            for (what, files) in [
                ("changed", &p.changed),
                ("missing", &p.missing),
                ("added", &p.added),
            ] {
                for file in files {
                    let _ = writeln!(listing, "{what} {file}");
                }
            }
            let count = p.changed.len() + p.missing.len() + p.added.len();
            let _ = write!(
                suites,
                ">\n      <failure type=\"tests-changed\" message=\"{count} file(s) of tests/ differ from the pristine copy\">{}</failure>\n    </testcase>\n",
                xml_escape(&listing)
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"katas\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">\n  <properties>\n    <property name=\"score\" value=\"{}\"/>\n  </properties>\n{suites}</testsuites>\n",
        report.score
    )
}

/// Escapes text for XML content and attribute values, dropping the characters XML 1.0
/// cannot hold at all (most control characters).
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

fn xml_char(c: char) -> bool {
    matches!(c as u32, 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1b}[31m\u{0}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;[31m&#10;"
        );
        assert_eq!(xml_escape("排序 \u{FFFE}ok"), "排序 ok");
    }

    #[test]
    fn markdown_keeps_code_spans() {
        assert_eq!(
            md_inline("`bubble_sort_by` is not implemented yet (a_b.rs:3)"),
            "`bubble_sort_by` is not implemented yet (a\\_b.rs:3)"
        );
        assert_eq!(md_inline("odd ` tick"), "odd \\` tick");
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md_escape("a|b\n<c>"), "a\\|b \\<c\\>");
    }

    #[test]
    fn percentages_read_naturally() {
        assert_eq!(percent(100.0), "100%");
        assert_eq!(percent(37.5), "37.5%");
        assert_eq!(percent(0.0), "0%");
    }
}
