//! `grade --format json`: the report as JSON, field for field as xtask/GRADING.md
//! documents it. It is also a superset of Exercism's `results.json` version 3 (its test
//! runner interface): `version`, `status`, `message` and a flat `tests[]` with `name`,
//! `status`, `message`, `test_code` and `task_id` sit beside the report's own fields.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::results::{KataReport, KataStatus, Report, TestOutcome, TestReport};

/// The JSON report, pretty-printed, with a final newline.
pub(super) fn render(report: &Report) -> Result<String> {
    Ok(serde_json::to_string_pretty(&report.to_json()).context("encoding the JSON report")? + "\n")
}

/// Exercism's version of its `results.json` layout that the report also is.
const EXERCISM_VERSION: u32 = 3;

impl Report {
    /// The JSON form, field for field as xtask/GRADING.md documents it.
    pub(super) fn to_json(&self) -> Value {
        let (status, message, tests) = self.exercism();
        json!({
            "version": EXERCISM_VERSION,
            "status": status,
            "message": message,
            "tests": tests,
            "schema": self.schema,
            "commit": self.commit,
            "score": self.score,
            "min_score": self.min_score,
            "below_min_score": self.below_min_score,
            "katas_passed": self.katas_passed,
            "katas_graded": self.katas_graded,
            "katas_withheld": self.katas_withheld,
            "tests_passed": self.tests_passed,
            "tests_total": self.tests_total,
            "pristine": self.pristine.as_ref().map(|p| json!({
                "source": p.source,
                "unchanged": p.unchanged,
                "changed": p.changed,
                "missing": p.missing,
                "added": p.added,
            })),
            "submission": self.submission,
            "notes": self.notes,
            "katas": self.katas.iter().map(KataReport::to_json).collect::<Vec<_>>(),
        })
    }

    /// Exercism's overall `status` (`pass`: every graded kata passes and counts;
    /// `error`: not one test ran, so `message` says why; else `fail`), its `message`,
    /// and its `tests`: every test of every graded kata, named `<kata>::<test>`, in course
    /// order, then a kata that did not compile or is missing as one `error` entry.
    /// `task_id` numbers the (kata, test group) pairs of the class from 1, in course order
    /// and each kata's group order.
    fn exercism(&self) -> (&'static str, Option<String>, Vec<Value>) {
        let graded: Vec<&KataReport> = self
            .katas
            .iter()
            .filter(|k| k.status != KataStatus::NotGraded)
            .collect();
        let mut tests = Vec::new();
        let mut tasks = 0;
        for kata in &graded {
            // The kata's groups, in its order, get the next task numbers.
            let groups = kata
                .tests
                .iter()
                .filter_map(|t| t.group.as_ref().map(|g| g.0));
            let first_task = tasks;
            tasks += groups.max().unwrap_or(0);
            match kata.status {
                KataStatus::Pass | KataStatus::Fail => {
                    for test in &kata.tests {
                        let mut entry = json!({
                            "name": format!("{}::{}", kata.name, test.name),
                            "status": match test.outcome {
                                TestOutcome::Pass => "pass",
                                TestOutcome::Fail | TestOutcome::Missing => "fail",
                                TestOutcome::Timeout | TestOutcome::Crash => "error",
                            },
                            "message": test.message,
                            "test_code": test_code(&kata.name, &test.name),
                        });
                        if let Some((place, _)) = &test.group {
                            entry["task_id"] = json!(first_task + place);
                        }
                        tests.push(entry);
                    }
                }
                _ => {
                    let what = if kata.status == KataStatus::Missing {
                        "exists"
                    } else {
                        "compiles"
                    };
                    tests.push(json!({
                        "name": format!("{}::{what}", kata.name),
                        "status": "error",
                        "message": kata.diagnostics.join("\n\n"),
                        "test_code": format!("cargo xtask check {}", kata.name),
                    }));
                }
            }
        }
        let ran = graded
            .iter()
            .any(|k| matches!(k.status, KataStatus::Pass | KataStatus::Fail));
        if !ran {
            let message = graded
                .iter()
                .flat_map(|k| k.diagnostics.first().map(|d| format!("{}: {d}", k.name)))
                .next()
                .unwrap_or_else(|| "there was no kata to grade".to_string());
            return ("error", Some(message), tests);
        }
        let all_pass = graded
            .iter()
            .all(|k| k.status == KataStatus::Pass && !k.withheld);
        (if all_pass { "pass" } else { "fail" }, None, tests)
    }
}

/// What reruns one test in the learner's checkout (Exercism's `test_code`: the code a
/// test runs is the suite's, which the report points at by name).
fn test_code(kata: &str, test: &str) -> String {
    format!("cargo test -p {kata} --test {kata} -- --exact {test}")
}

impl KataReport {
    pub(super) fn to_json(&self) -> Value {
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
            "withheld": self.withheld,
            "learner_tests": self.learner_tests.as_ref().map(|l| json!({
                "status": l.status,
                "caught": l.caught,
                "chaffs": l.chaffs,
                "rejecting": l.rejecting,
            })),
            "tests": self.tests.iter().map(TestReport::to_json).collect::<Vec<_>>(),
        })
    }
}

impl TestReport {
    pub(super) fn to_json(&self) -> Value {
        let mut test = json!({
            "name": self.name,
            "outcome": self.outcome.json_name(),
            "seconds": self.seconds,
        });
        // Optional fields are left out, not null, when they do not apply.
        let optional = [
            ("message", self.message.as_ref().map(|m| json!(m))),
            (
                "unimplemented",
                self.unimplemented.as_ref().map(|u| json!(u)),
            ),
            ("signal", self.signal.map(|s| json!(s))),
            ("group", self.group.as_ref().map(|(_, g)| json!(g))),
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
    pub(super) fn json_name(self) -> &'static str {
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
    pub(super) fn json_name(self) -> &'static str {
        match self {
            TestOutcome::Pass => "pass",
            TestOutcome::Fail => "fail",
            TestOutcome::Timeout => "timeout",
            TestOutcome::Crash => "crash",
            TestOutcome::Missing => "missing",
        }
    }
}
