//! `grade --format prairielearn`: the `results.json` a PrairieLearn external grader
//! writes to `/grade/results/results.json`.
//!
//! `gradable` is false when not one kata's tests could run (every graded kata does not
//! compile or is missing): PrairieLearn then tells the student the submission could not
//! be graded, rather than scoring it 0. Otherwise `score` is in [0, 1]: the katas'
//! points (`--points`, 10 each by default, times the share of their tests that pass,
//! 0 while withheld) out of their sum. `tests[]` has one entry per graded kata, `name`,
//! `description`, `points` out of `max_points`, `message` and `output`.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::classroom::Points;
use super::results::{KataReport, KataStatus, Report, kata_title, problem_lines, sum_points};

/// The `results.json` object.
pub(super) fn result(report: &Report, points: &Points) -> Value {
    let katas: Vec<&KataReport> = report.katas.iter().filter(|k| k.is_graded()).collect();
    let earned = sum_points(katas.iter().map(|k| k.points(points.of(&k.name))));
    let max = sum_points(katas.iter().map(|k| points.of(&k.name)));
    let tests: Vec<Value> = katas
        .iter()
        .map(|kata| {
            let worth = points.of(&kata.name);
            json!({
                "name": kata_title(kata),
                "description": format!("{} ({}): cargo xtask check {}", kata.name, kata.topic, kata.name),
                "points": kata.points(worth),
                "max_points": worth,
                "message": kata_message(kata),
                "output": problem_lines(kata).join("\n"),
            })
        })
        .collect();
    if !katas.iter().any(|k| k.ran()) {
        let why: Vec<String> = katas
            .iter()
            .map(|k| {
                format!(
                    "{}: {}",
                    k.name,
                    k.diagnostics.first().map_or("", |d| d.as_str())
                )
            })
            .collect();
        return json!({
            "gradable": false,
            "message": "the code does not compile, so no test could run: run `cargo xtask check` for rustc's errors",
            "output": why.join("\n\n"),
            "tests": tests,
        });
    }
    // From the exact shares, not the rounded points, so one kata's score is its share.
    let exact: f64 = katas.iter().map(|k| points.of(&k.name) * k.share()).sum();
    let score = if max > 0.0 {
        (exact / max * 10_000.0).round() / 10_000.0
    } else {
        0.0
    };
    json!({
        "gradable": true,
        "score": score,
        "message": format!(
            "{earned} of {max} points; {} of {} katas pass",
            report.katas_passed, report.katas_graded
        ),
        "output": report.notes.join("\n"),
        "tests": tests,
    })
}

fn kata_message(kata: &KataReport) -> String {
    let base = match kata.status {
        KataStatus::Pass | KataStatus::Fail => {
            format!("{} of {} tests pass", kata.passed, kata.total)
        }
        KataStatus::DoesNotCompile => "does not compile".to_string(),
        KataStatus::Missing => "missing: it scores 0".to_string(),
        KataStatus::NotGraded => "not graded".to_string(),
    };
    if kata.withheld {
        format!("{base}; its points are withheld until a person has reviewed its code")
    } else {
        base
    }
}

pub(super) fn render(report: &Report, points: &Points) -> Result<String> {
    Ok(serde_json::to_string_pretty(&result(report, points))
        .context("encoding the PrairieLearn result")?
        + "\n")
}
