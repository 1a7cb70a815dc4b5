//! `grade --format json`: the report as JSON, field for field as xtask/GRADING.md
//! documents it (the classroom format is made from it too).

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::results::{KataReport, KataStatus, Report, TestOutcome, TestReport};

/// The JSON report, pretty-printed, with a final newline.
pub(super) fn render(report: &Report) -> Result<String> {
    Ok(serde_json::to_string_pretty(&report.to_json()).context("encoding the JSON report")? + "\n")
}

impl Report {
    /// The JSON form, field for field as xtask/GRADING.md documents it.
    pub(super) fn to_json(&self) -> Value {
        json!({
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
