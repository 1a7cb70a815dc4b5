//! The class's results, as every report format reads them: one report for the class,
//! one entry per kata, one per test, and what the text formats share (a kata's title,
//! its status in the learner's language, its problems in a few lines).

use crate::engine::lang::t;

/// Version of the JSON report's layout; raised on any incompatible change (2: a flagged
/// kata's points are withheld from the total score).
const SCHEMA_VERSION: u32 = 2;
/// Failing tests listed per kata in the text and Markdown reports (JSON and JUnit list
/// every one).
const LISTED_FAILURES: usize = 12;

/// The whole report; its JSON form ([`Report::to_json`]) is the documented schema
/// (xtask/GRADING.md).
pub(super) struct Report {
    pub(super) schema: u32,
    /// `git rev-parse HEAD` of the graded repository, when git knows it.
    pub(super) commit: Option<String>,
    /// Mean of the graded katas' counted scores (a withheld kata counts 0), in percent.
    pub(super) score: f64,
    pub(super) min_score: Option<f64>,
    pub(super) below_min_score: bool,
    pub(super) katas_passed: usize,
    pub(super) katas_graded: usize,
    /// Flagged katas whose points are withheld for review.
    pub(super) katas_withheld: usize,
    pub(super) tests_passed: usize,
    pub(super) tests_total: usize,
    pub(super) pristine: Option<PristineReport>,
    /// `--submission`: the student's folder graded with the instructor's runner.
    pub(super) submission: Option<String>,
    /// What the instructor should know about how far the guarantees held (tests not
    /// confined, clippy missing), in English.
    pub(super) notes: Vec<String>,
    pub(super) katas: Vec<KataReport>,
}

pub(super) struct PristineReport {
    /// The git ref or folder given to --pristine.
    pub(super) source: String,
    /// True when the learner's tests/ matches the pristine copy.
    pub(super) unchanged: bool,
    /// Paths (from the repository root) that differ, are missing, or were added.
    pub(super) changed: Vec<String>,
    pub(super) missing: Vec<String>,
    pub(super) added: Vec<String>,
}

pub(super) struct KataReport {
    pub(super) name: String,
    pub(super) order: Option<u32>,
    pub(super) topic: String,
    pub(super) chinese: String,
    pub(super) status: KataStatus,
    /// Percent of the suite's tests that pass (0 when it does not compile).
    pub(super) score: f64,
    pub(super) passed: usize,
    pub(super) total: usize,
    pub(super) seconds: f64,
    /// rustc's errors (does-not-compile) or why the kata was not graded.
    pub(super) diagnostics: Vec<String>,
    /// Where the learner's crate reaches beyond what its kata declares it needs.
    pub(super) reaches: Vec<Reach>,
    /// Flagged, so its points are withheld for review: it counts 0 in the total.
    pub(super) withheld: bool,
    pub(super) tests: Vec<TestReport>,
    /// Every `todo!()` left in the learner's code, as (`path:line`, function), in
    /// source order: read from the source, so the same from run to run.
    pub(super) todos: Vec<(String, String)>,
    /// The learner's own tests (`tests <kata>`), for a kata that has them: scored
    /// beside the implementation's score, never mixed into it.
    pub(super) learner_tests: Option<LearnerTestsReport>,
}

/// How the learner's own tests did against the wheats and chaffs (`learner/tests.rs`).
pub(super) struct LearnerTestsReport {
    /// `scored`, `no-file` or `does-not-compile`.
    pub(super) status: &'static str,
    /// Known mistakes caught by tests that accept every correct implementation, of how
    /// many (none count while a test rejects a correct implementation).
    pub(super) caught: usize,
    pub(super) chaffs: usize,
    /// The learner's tests that reject a correct implementation.
    pub(super) rejecting: Vec<String>,
}

impl LearnerTestsReport {
    /// One line for the human and Markdown reports: caught of how many, or why none count.
    pub(super) fn line(&self, kata: &str) -> String {
        match self.status {
            "scored" if self.rejecting.is_empty() => t!(
                "grade-learner-tests",
                caught = self.caught,
                total = self.chaffs
            ),
            "scored" => t!(
                "grade-learner-tests-rejecting",
                count = self.rejecting.len()
            ),
            "no-file" => t!("grade-learner-tests-none", name = kata),
            _ => t!("grade-learner-tests-no-build"),
        }
    }
}

/// A place where the learner's crate reaches for the harness or the environment
/// beyond what its kata uses (`uses` in its metadata): it could forge a pass.
#[derive(Clone)]
pub(super) struct Reach {
    /// `process`, `env`, `fs`, `net`, `os`, `unsafe`, `extern`, `include`, `link`,
    /// `asm`, `build-script`, `dependencies`.
    pub(super) kind: String,
    /// What was written, e.g. `std::process`.
    pub(super) what: String,
    /// `path:line` from the repository root (the manifest for the last two kinds).
    pub(super) at: String,
}

impl Reach {
    pub(super) fn line(&self) -> String {
        format!("{} ({}, {})", self.what, self.kind, self.at)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KataStatus {
    Pass,
    Fail,
    DoesNotCompile,
    /// A pristine suite with no kata in exercises/: counts as 0%.
    Missing,
    /// A kata with no pristine suite: not counted.
    NotGraded,
}

pub(super) struct TestReport {
    pub(super) name: String,
    pub(super) outcome: TestOutcome,
    /// What went wrong, for a test that did not pass.
    pub(super) message: Option<String>,
    /// The function whose `todo!()` the test ran into.
    pub(super) unimplemented: Option<String>,
    /// The signal that ended a crashed test.
    pub(super) signal: Option<i32>,
    /// Wall-clock seconds the test took, as the runner saw it (0 for a `missing` one).
    pub(super) seconds: f64,
    /// The kata's test group (a `groups` entry of its metadata, else a `mod` of the
    /// suite) the test belongs to, and its place in that order counted from 1: the
    /// "task" of formats that have one (Exercism's `task_id`).
    pub(super) group: Option<(usize, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TestOutcome {
    Pass,
    Fail,
    Timeout,
    Crash,
    /// In the instructor's suite, but not in the suite as built with the learner's code.
    Missing,
}

impl KataReport {
    /// The score that counts in the total: 0 while withheld.
    pub(super) fn counted_score(&self) -> f64 {
        if self.withheld { 0.0 } else { self.score }
    }

    /// The points it earns out of `worth` (`--points`): `worth` × the share of its tests
    /// that pass, 0 while withheld or when no test ran; to four decimals, so that the
    /// platforms that take fractions show no float artefacts.
    pub(super) fn points(&self, worth: f64) -> f64 {
        (worth * self.share() * 10_000.0).round() / 10_000.0
    }

    /// The share of its tests that pass, as it counts: 0 while withheld or when no test
    /// ran.
    pub(super) fn share(&self) -> f64 {
        if self.withheld || self.total == 0 {
            0.0
        } else {
            self.passed as f64 / self.total as f64
        }
    }

    /// True when it is counted in a score (all but `not-graded`).
    pub(super) fn is_graded(&self) -> bool {
        self.status != KataStatus::NotGraded
    }

    /// True when its tests ran (it compiled, and exists).
    pub(super) fn ran(&self) -> bool {
        matches!(self.status, KataStatus::Pass | KataStatus::Fail)
    }
}

/// A sum of points to four decimals (each term is already), free of float artefacts.
pub(super) fn sum_points(points: impl Iterator<Item = f64>) -> f64 {
    let units: i64 = points.map(|p| (p * 10_000.0).round() as i64).sum();
    units as f64 / 10_000.0
}

pub(super) fn summarize(
    katas: Vec<KataReport>,
    pristine: Option<PristineReport>,
    min_score: Option<f64>,
) -> Report {
    // A withheld kata counts 0 until reviewed, and does not count as passing.
    let graded: Vec<&KataReport> = katas
        .iter()
        .filter(|k| k.status != KataStatus::NotGraded)
        .collect();
    let score = if graded.is_empty() {
        0.0
    } else {
        round2(graded.iter().map(|k| k.counted_score()).sum::<f64>() / graded.len() as f64)
    };
    Report {
        schema: SCHEMA_VERSION,
        commit: None,
        score,
        min_score,
        below_min_score: min_score.is_some_and(|min| score < min),
        katas_passed: graded
            .iter()
            .filter(|k| k.status == KataStatus::Pass && !k.withheld)
            .count(),
        katas_graded: graded.len(),
        katas_withheld: graded.iter().filter(|k| k.withheld).count(),
        tests_passed: graded.iter().map(|k| k.passed).sum(),
        tests_total: graded.iter().map(|k| k.total).sum(),
        pristine,
        submission: None,
        notes: Vec::new(),
        katas,
    }
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `37.5%`, `100%`.
pub(super) fn percent(x: f64) -> String {
    let text = format!("{x:.1}");
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

pub(super) fn kata_title(kata: &KataReport) -> String {
    if kata.chinese.is_empty() {
        kata.name.clone()
    } else {
        format!("{} ({})", kata.name, kata.chinese)
    }
}

/// The kata's status in the learner's language (the text and Markdown reports).
pub(super) fn status_text(kata: &KataReport) -> String {
    if kata.withheld {
        return t!("grade-withheld", score = percent(kata.score));
    }
    match kata.status {
        KataStatus::Pass => t!("grade-pass"),
        KataStatus::Fail => t!("grade-fail"),
        KataStatus::DoesNotCompile => t!("grade-does-not-compile"),
        KataStatus::Missing => t!("grade-missing"),
        KataStatus::NotGraded => t!("grade-not-graded"),
    }
}

/// The problems of one kata: each function left with a `todo!()` (read from the source,
/// so the lines are the same from run to run; which of them a test meets first can
/// depend on its random input), the number of tests stopped at one, then the other
/// failures.
pub(super) fn problem_lines(kata: &KataReport) -> Vec<String> {
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
            TestOutcome::Missing => t!("grade-missing"),
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

/// The files of tests/ that differ from the pristine copy, by what happened to them.
pub(super) fn changes(p: &PristineReport) -> [(String, &Vec<String>); 3] {
    [
        (t!("grade-changed"), &p.changed),
        (t!("grade-missing"), &p.missing),
        (t!("grade-added"), &p.added),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn percentages_read_naturally() {
        assert_eq!(percent(100.0), "100%");
        assert_eq!(percent(37.5), "37.5%");
        assert_eq!(percent(0.0), "0%");
    }
}
