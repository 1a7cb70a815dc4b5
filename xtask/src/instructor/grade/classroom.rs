//! `grade --format classroom`: the result GitHub Classroom's autograding reporter reads.
//!
//! The reporter (`classroom-resources/autograding-grading-reporter`) takes, for each
//! grading step named in its `runners` input, the environment variable
//! `<STEP ID>_RESULTS`: base64 of a JSON object
//! `{"version": 1, "status": "pass"|"fail"|"error", "max_score": N, "tests": [...]}`,
//! each test `{"name", "status", "score", "message", "test_code", "filename",
//! "line_no", "duration"}`. Classroom is sent the sum of the tests' scores out of the
//! sum of the steps' `max_score`. Here every kata is one entry, worth its points
//! (`--points KATA=N`, 10 by default) times the share of its tests that pass, so a
//! class sees per-kata credit rather than all or nothing.
//!
//! It is made from the JSON report (its schema is in GRADING.md), so it can never
//! disagree with the other formats.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use base64::Engine;
use serde_json::{Value, json};

/// Points a kata is worth when the instructor does not say.
pub const DEFAULT_POINTS: f64 = 10.0;

/// Points per kata, from `--points KATA=N`.
#[derive(Clone, Debug, Default)]
pub struct Points(BTreeMap<String, f64>);

impl Points {
    /// Reads `KATA=N` pairs; `known` are the katas that exist.
    pub fn parse(pairs: &[String], known: &[&str]) -> Result<Points> {
        let mut points = BTreeMap::new();
        for pair in pairs {
            let Some((kata, value)) = pair.split_once('=') else {
                bail!("--points takes KATA=N (`--points sort=20`), not `{pair}`");
            };
            let kata = kata.trim();
            if !known.contains(&kata) {
                bail!(
                    "--points names `{kata}`, which is not a kata. The katas are: {}",
                    known.join(", ")
                );
            }
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .with_context(|| {
                    format!(
                        "--points {kata}=... takes a number of points (0 or more), not `{value}`"
                    )
                })?;
            points.insert(kata.to_string(), value);
        }
        Ok(Points(points))
    }

    fn of(&self, kata: &str) -> f64 {
        self.0.get(kata).copied().unwrap_or(DEFAULT_POINTS)
    }
}

/// The reporter's JSON object for the JSON report `report`.
pub fn result(report: &Value, points: &Points) -> Value {
    let katas = report["katas"].as_array().cloned().unwrap_or_default();
    let mut tests = Vec::new();
    let mut max_score = 0.0;
    let mut all_pass = true;
    for kata in &katas {
        let name = kata["name"].as_str().unwrap_or("?");
        let worth = points.of(name);
        max_score += worth;
        let passed = kata["passed"].as_u64().unwrap_or(0);
        let total = kata["total"].as_u64().unwrap_or(0);
        let kata_status = kata["status"].as_str().unwrap_or("error");
        // A flagged kata's points are withheld for review (unless --count-flagged).
        let withheld = kata["withheld"].as_bool().unwrap_or(false);
        let share = if total == 0 || withheld {
            0.0
        } else {
            passed as f64 / total as f64
        };
        let (status, message) = match kata_status {
            _ if withheld => (
                "fail",
                format!("points withheld for review: {passed} of {total} tests pass"),
            ),
            "pass" => ("pass", format!("all {total} tests pass")),
            "does-not-compile" => (
                "error",
                "does not compile: run `cargo xtask check` for rustc's errors".to_string(),
            ),
            "fail" => ("fail", format!("{passed} of {total} tests pass")),
            other => ("error", format!("not graded ({other})")),
        };
        // A crate that reaches for the harness could forge its passes (issue 9, case 15).
        let reaches = kata["reaches"].as_array().map_or(0, Vec::len);
        let message = if reaches == 0 {
            message
        } else {
            format!(
                "{message}; FLAGGED: it reaches for the harness or the environment in {reaches} \
                 place(s) (see the JSON report's `reaches`): review it before trusting the score"
            )
        };
        all_pass &= status == "pass";
        let chinese = kata["chinese"].as_str().unwrap_or("");
        tests.push(json!({
            "name": if chinese.is_empty() { name.to_string() } else { format!("{name} ({chinese})") },
            "status": status,
            "score": round2(worth * share),
            "message": message,
            "test_code": format!("cargo xtask check {name}"),
            "filename": format!("exercises/{name}/src/lib.rs"),
            "line_no": 0,
            "duration": (kata["seconds"].as_f64().unwrap_or(0.0) * 1000.0).round() as u64,
        }));
    }
    json!({
        "version": 1,
        "status": if all_pass && !katas.is_empty() { "pass" } else { "fail" },
        "max_score": round2(max_score),
        "tests": tests,
    })
}

/// The result as the reporter takes it: base64 of its JSON, on one line.
pub fn render(report: &Value, points: &Points) -> Result<String> {
    let text = serde_json::to_string(&result(report, points)).context("encoding the result")?;
    Ok(base64::engine::general_purpose::STANDARD.encode(text) + "\n")
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
