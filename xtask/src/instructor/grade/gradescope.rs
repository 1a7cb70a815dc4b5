//! `grade --format gradescope`: the `results.json` a Gradescope autograder writes to
//! `/autograder/results/results.json` (its "autograder specifications").
//!
//! One entry of `tests[]` per graded kata: `name` (the kata and its Chinese name),
//! `number` (its place in the course), `score` out of `max_score` (its `--points`, 10 by
//! default, times the share of its tests that pass, 0 while withheld), `status`
//! (`passed` when every test passes), `output` (what fails, in a few lines) and
//! `visibility` (`visible`). The top level has `score` (the sum of the katas'),
//! `execution_time` (whole seconds), `output` and `visibility`. A kata is one entry, not
//! one per test, so that each weighs what `--points` says.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::classroom::Points;
use super::results::{KataReport, KataStatus, Report, kata_title, problem_lines, sum_points};

/// The `results.json` object.
pub(super) fn result(report: &Report, points: &Points) -> Value {
    let katas: Vec<&KataReport> = report.katas.iter().filter(|k| k.is_graded()).collect();
    let tests: Vec<Value> = katas
        .iter()
        .map(|kata| {
            let worth = points.of(&kata.name);
            json!({
                "name": kata_title(kata),
                "number": kata.order.map_or_else(|| kata.name.clone(), |o| o.to_string()),
                "score": kata.points(worth),
                "max_score": worth,
                "status": if kata.status == KataStatus::Pass && !kata.withheld { "passed" } else { "failed" },
                "output": kata_output(kata),
                "visibility": "visible",
            })
        })
        .collect();
    let score = sum_points(katas.iter().map(|k| k.points(points.of(&k.name))));
    let max = sum_points(katas.iter().map(|k| points.of(&k.name)));
    let seconds: f64 = report.katas.iter().map(|k| k.seconds).sum();
    json!({
        "score": score,
        "execution_time": seconds.ceil() as u64,
        "output": format!(
            "{score} of {max} points; {} of {} katas pass, {} of {} tests",
            report.katas_passed, report.katas_graded, report.tests_passed, report.tests_total
        ),
        "visibility": "visible",
        "tests": tests,
    })
}

/// What a kata's entry says: its count, then its problems, one a line.
fn kata_output(kata: &KataReport) -> String {
    let mut lines = vec![match kata.status {
        KataStatus::Pass | KataStatus::Fail => {
            format!("{} of {} tests pass", kata.passed, kata.total)
        }
        KataStatus::DoesNotCompile => "does not compile".to_string(),
        KataStatus::Missing => "missing: it scores 0".to_string(),
        KataStatus::NotGraded => "not graded".to_string(),
    }];
    if kata.withheld {
        lines.push("its points are withheld until a person has reviewed its code".to_string());
    }
    lines.extend(problem_lines(kata));
    lines.join("\n")
}

pub(super) fn render(report: &Report, points: &Points) -> Result<String> {
    Ok(serde_json::to_string_pretty(&result(report, points))
        .context("encoding the Gradescope result")?
        + "\n")
}
