//! `grade --format classroom`: what GitHub Classroom's autograding reporter reads.
//!
//! The reporter (`classroom-resources/autograding-grading-reporter@v1`) takes the
//! comma-separated names of its `runners` input and, for each, the environment variable
//! `<RUNNER>_RESULTS` (the name upper-cased): base64 of a JSON object
//! `{"version": 1, "status": "pass"|"fail"|"error", "max_score": N, "tests": [...]}`,
//! each test `{"name", "status", "score", "message", "line_no"}`. It then does three
//! things with them, and each must say the same:
//!
//! - its log: each entry passed or failed, then `Total points for <runner>:` the
//!   runner's points, which it computes as *passed entries ÷ entries × max_score*;
//! - its table: one row per runner with those points and `max_score`, and a total row;
//! - what Classroom receives (a notice `Points <sum of every entry's score>/<sum of
//!   max_score>`), read from the entries' `score`s, not from the log's computation.
//!
//! So every kata is a runner of its own (every kata weighs what `--points` says, however
//! many tests it has), holding one entry per test, every entry worth the same whole
//! number of points: the scores add up exactly, in whole numbers, and the reporter's
//! passed ÷ entries × max_score is that same sum, exactly when no test or every test
//! passes and within one float rounding otherwise (its division cannot be exact unless
//! the count of entries is a power of two; GRADING.md gives how often it is). For that,
//! a kata's `max_score` is its points scaled by one power of ten for the whole class and
//! rounded to a multiple of its test count ([`Scale`]).
//!
//! The format is an environment file for `$GITHUB_ENV`: `CLASSROOM_RUNNERS=<runners>`,
//! then `<RUNNER>_RESULTS=<base64>` per kata, one per line. A runner is the kata's name
//! without its underscores (the reporter accepts letters and digits only).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use base64::Engine;
use serde_json::{Value, json};

use super::results::{KataReport, KataStatus, Report, TestOutcome};

/// Points a kata is worth when the instructor does not say.
pub const DEFAULT_POINTS: f64 = 10.0;
/// How far a kata's `max_score` may stray from its points × the class's scale.
const WEIGHT_TOLERANCE: f64 = 0.005;
/// The scales tried, smallest first; the largest is taken when none fits.
const SCALES: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
/// The most a runner's variable may hold: an environment variable past 128 KiB cannot
/// be passed to a program (Linux's `MAX_ARG_STRLEN`), so the reporter would never run.
const MAX_VARIABLE_BYTES: usize = 96 * 1024;
/// The most all the runners' variables may hold together: every later step of the job
/// gets them, and a program's whole environment and arguments must fit in `ARG_MAX`
/// (2 MiB with Linux's usual 8 MiB stack).
const MAX_TOTAL_BYTES: usize = 1024 * 1024;
/// A failing entry's message: its first line, at most this many characters, shortened
/// for every runner (then dropped) while a variable, or all of them, would be too long.
const MESSAGE_CHARS: [usize; 3] = [200, 60, 0];

/// Points per kata, from `--points KATA=N`.
#[derive(Clone, Debug, Default)]
pub struct Points(BTreeMap<String, f64>);

impl Points {
    /// Reads `KATA=N` pairs; `known` are the instructor's katas (a kata missing from a
    /// student's copy is one of them: it scores 0, out of its points).
    pub fn parse(pairs: &[String], known: &[String]) -> Result<Points> {
        let mut points = BTreeMap::new();
        for pair in pairs {
            let Some((kata, value)) = pair.split_once('=') else {
                bail!("--points takes KATA=N (`--points sort=20`), not `{pair}`");
            };
            let kata = kata.trim();
            if !known.iter().any(|k| k == kata) {
                bail!(
                    "--points names `{kata}`, which is not a kata. The katas are: {}",
                    known.join(", ")
                );
            }
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0 && *v <= 1_000_000.0)
                .with_context(|| {
                    format!(
                        "--points {kata}=... takes a number of points (0 to 1000000), not `{value}`"
                    )
                })?;
            if points.insert(kata.to_string(), value).is_some() {
                bail!("--points names `{kata}` twice: give each kata its points once");
            }
        }
        Ok(Points(points))
    }

    pub(super) fn of(&self, kata: &str) -> f64 {
        self.0.get(kata).copied().unwrap_or(DEFAULT_POINTS)
    }
}

/// The class's scale: every kata's test is worth the same whole number of points, its
/// `max_score` that times its entries (its tests, or one entry when none ran), within
/// [`WEIGHT_TOLERANCE`] of its points × `factor`.
pub(super) struct Scale {
    pub(super) factor: u64,
}

impl Scale {
    /// The smallest power of ten at which every kata's `max_score` fits (and every kata
    /// with points has at least one a test). It depends on the points and the test
    /// counts only, so a kata's `max_score` is the same from one run to the next.
    pub(super) fn for_katas(katas: &[(f64, usize)]) -> Scale {
        let fits = |factor: u64| {
            katas.iter().all(|&(points, entries)| {
                let ideal = points * factor as f64;
                let max = Self::per_test_at(points, entries, factor) * entries.max(1) as u64;
                ideal == 0.0
                    || (ideal.fract() == 0.0
                        && max > 0
                        && (max as f64 - ideal).abs() <= ideal * WEIGHT_TOLERANCE)
            })
        };
        let factor = SCALES
            .into_iter()
            .find(|&f| fits(f))
            .unwrap_or(SCALES[SCALES.len() - 1]);
        Scale { factor }
    }

    /// The whole number of points nearest points × `factor` ÷ entries.
    fn per_test_at(points: f64, entries: usize, factor: u64) -> u64 {
        (points * factor as f64 / entries.max(1) as f64).round() as u64
    }

    pub(super) fn per_test(&self, points: f64, entries: usize) -> u64 {
        Self::per_test_at(points, entries, self.factor)
    }
}

/// The katas Classroom is told about: every graded one (a `not-graded` kata counts in
/// no score).
fn counted(report: &Report) -> impl Iterator<Item = &KataReport> {
    report
        .katas
        .iter()
        .filter(|k| k.status != KataStatus::NotGraded)
}

/// The reporter's runner for a kata: its name without underscores.
pub(super) fn runner(kata: &str) -> Result<String> {
    let name: String = kata.chars().filter(|&c| c != '_').collect();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        bail!(
            "kata `{kata}` cannot be a Classroom runner: the reporter takes letters, digits \
             (and here underscores) only"
        );
    }
    Ok(name)
}

/// Each kata's runner and its result object, in course order, failing entries' messages
/// cut to `message_chars`.
fn results_with(
    report: &Report,
    points: &Points,
    message_chars: usize,
) -> Result<Vec<(String, Value)>> {
    let sizes: Vec<(f64, usize)> = counted(report)
        .map(|k| (points.of(&k.name), k.tests.len().max(1)))
        .collect();
    let scale = Scale::for_katas(&sizes);
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for kata in counted(report) {
        let name = runner(&kata.name)?;
        if let Some(other) = seen.insert(name.clone(), &kata.name) {
            bail!(
                "katas `{other}` and `{}` would be the same Classroom runner `{name}`",
                kata.name
            );
        }
        let each = scale.per_test(points.of(&kata.name), kata.tests.len());
        out.push((name, kata_result(kata, each, message_chars)));
    }
    Ok(out)
}

fn first_line(text: &str, chars: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut short: String = line.chars().take(chars).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}

fn kata_result(kata: &KataReport, each: u64, message_chars: usize) -> Value {
    let mut tests = Vec::new();
    let mut flag = String::new();
    if !kata.reaches.is_empty() {
        // A crate that reaches for the harness could forge its passes.
        let _ = write!(
            flag,
            "FLAGGED: it reaches for the harness or the environment in {} place(s) (see the \
             JSON report's `reaches`): review it before trusting the score",
            kata.reaches.len()
        );
    }
    match kata.status {
        KataStatus::Pass | KataStatus::Fail => {
            for test in &kata.tests {
                // A withheld kata's passes earn nothing until reviewed, and show as
                // failed, so the reporter's log and table agree with its points.
                let passed = test.outcome == TestOutcome::Pass && !kata.withheld;
                let mut entry = json!({
                    "name": test.name,
                    "status": if passed { "pass" } else { "fail" },
                    "score": if passed { each } else { 0 },
                    "line_no": 0,
                });
                let message = if kata.withheld && test.outcome == TestOutcome::Pass {
                    "passes, but the kata's points are withheld for review".to_string()
                } else {
                    first_line(test.message.as_deref().unwrap_or(""), message_chars)
                };
                if !passed && message_chars > 0 {
                    entry["message"] = json!(message);
                }
                tests.push(entry);
            }
        }
        KataStatus::DoesNotCompile | KataStatus::Missing | KataStatus::NotGraded => {
            let (name, message) = if kata.status == KataStatus::Missing {
                ("exists", "the kata is missing: it scores 0")
            } else {
                (
                    "compiles",
                    "does not compile: run `cargo xtask check` for rustc's errors",
                )
            };
            tests.push(json!({
                "name": format!("{} {name}", kata.name),
                "status": "error",
                "score": 0,
                "line_no": 0,
                "message": message,
            }));
        }
    }
    if !flag.is_empty()
        && let Some(first) = tests.first_mut()
    {
        let message = first["message"].as_str().unwrap_or("").to_string();
        first["message"] = json!(if message.is_empty() {
            flag
        } else {
            format!("{message}; {flag}")
        });
    }
    let status = match kata.status {
        KataStatus::Pass if !kata.withheld => "pass",
        KataStatus::Pass | KataStatus::Fail => "fail",
        _ => "error",
    };
    json!({
        "version": 1,
        "status": status,
        "max_score": each * kata.tests.len().max(1) as u64,
        "tests": tests,
    })
}

/// The environment file: the runners' names, then each runner's variable.
pub(super) fn render(report: &Report, points: &Points) -> Result<String> {
    let encode = |value: &Value| -> Result<String> {
        let text = serde_json::to_string(value).context("encoding the classroom result")?;
        Ok(base64::engine::general_purpose::STANDARD.encode(text))
    };
    // The longest messages at which every variable, and all of them, fit.
    let mut encoded: Vec<(String, String)> = Vec::new();
    for chars in MESSAGE_CHARS {
        encoded = results_with(report, points, chars)?
            .into_iter()
            .map(|(runner, value)| Ok((runner, encode(&value)?)))
            .collect::<Result<_>>()?;
        let total: usize = encoded.iter().map(|(_, text)| text.len()).sum();
        if total <= MAX_TOTAL_BYTES && encoded.iter().all(|(_, t)| t.len() <= MAX_VARIABLE_BYTES) {
            break;
        }
    }
    let mut out = String::new();
    let names: Vec<&str> = encoded.iter().map(|(r, _)| r.as_str()).collect();
    let _ = writeln!(out, "CLASSROOM_RUNNERS={}", names.join(","));
    for (runner, text) in &encoded {
        let _ = writeln!(out, "{}_RESULTS={text}", runner.to_uppercase());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reporter's own arithmetic for a runner's row in its log and table, in f64 as
    /// JavaScript's numbers are: `passed / entries * max_score`.
    fn reporter_row(passed: usize, entries: usize, max_score: u64) -> f64 {
        passed as f64 / entries as f64 * max_score as f64
    }

    #[test]
    fn points_name_each_known_kata_once() {
        let known = ["sort".to_string(), "stack".to_string()];
        let parse = |pairs: &[&str]| {
            let pairs: Vec<String> = pairs.iter().map(|p| p.to_string()).collect();
            Points::parse(&pairs, &known)
        };
        assert_eq!(parse(&["sort=20"]).unwrap().of("sort"), 20.0);
        assert!(parse(&["sort=20", "sort=30"]).is_err());
        assert!(parse(&["sorting=20"]).is_err());
    }

    #[test]
    fn the_scale_is_exact_where_test_counts_divide_it_and_close_elsewhere() {
        // 10 points over 10 and 5 tests: exact at scale 1.
        let scale = Scale::for_katas(&[(10.0, 10), (10.0, 5)]);
        assert_eq!(scale.factor, 1);
        assert_eq!((scale.per_test(10.0, 10), scale.per_test(10.0, 5)), (1, 2));
        // 123 tests: 10 × 1000 = 10000 is 81.3 a test; 81 × 123 = 9963, within 0.5%.
        let scale = Scale::for_katas(&[(10.0, 123), (20.0, 58)]);
        assert_eq!(scale.factor, 1000);
        assert_eq!(scale.per_test(10.0, 123), 81);
        // Half points need a scale of at least ten.
        assert_eq!(Scale::for_katas(&[(2.5, 1)]).factor, 10);
        // A kata worth nothing fits any scale, and is worth nothing a test.
        let scale = Scale::for_katas(&[(0.0, 7)]);
        assert_eq!((scale.factor, scale.per_test(0.0, 7)), (1, 0));
    }

    /// For every count of tests up to 300 and every count passing: the kata's weight is
    /// within the tolerance; the reporter's row, its own float arithmetic, is within a
    /// rounding of the whole number Classroom receives, and exactly it when no test or
    /// every test passes. (How often it is exact otherwise is in GRADING.md, measured
    /// by `grade_classroom_exact_rows` below.)
    #[test]
    fn the_reporters_row_is_the_points_classroom_receives() {
        let mut exact = 0;
        let mut pairs = 0;
        for entries in 1..=300 {
            let scale = Scale::for_katas(&[(10.0, entries)]);
            let each = scale.per_test(10.0, entries);
            let max = each * entries as u64;
            let ideal = 10.0 * scale.factor as f64;
            assert!(
                (max as f64 - ideal).abs() <= ideal * WEIGHT_TOLERANCE,
                "{entries}"
            );
            assert!(scale.factor <= 10_000, "{entries}: {}", scale.factor);
            for passed in 0..=entries {
                let row = reporter_row(passed, entries, max);
                let received = (passed as u64 * each) as f64;
                assert!(
                    (row - received).abs() <= received * f64::EPSILON,
                    "{passed}/{entries}"
                );
                if passed == 0 || passed == entries {
                    assert_eq!(row, received);
                }
                pairs += 1;
                exact += usize::from(row == received);
            }
        }
        eprintln!("grade_classroom_exact_rows: {exact} of {pairs} (passed, tests) pairs");
    }

    /// A kata of 300 failing tests with long messages: cut to 60 characters, the
    /// variable stays under the limit a program's environment allows.
    #[test]
    fn long_messages_are_cut_until_each_variable_fits() {
        use super::super::results::{TestReport, summarize};
        let tests = (0..300)
            .map(|i| TestReport {
                name: format!("group::a_rather_long_test_name_number_{i:04}"),
                outcome: TestOutcome::Fail,
                message: Some(format!("{}\nsecond line", "x".repeat(5000))),
                unimplemented: None,
                signal: None,
                seconds: 0.0,
                group: None,
            })
            .collect::<Vec<_>>();
        let kata = KataReport {
            name: "big_kata".into(),
            order: Some(1),
            topic: String::new(),
            chinese: String::new(),
            status: KataStatus::Fail,
            score: 0.0,
            passed: 0,
            total: tests.len(),
            seconds: 0.0,
            diagnostics: Vec::new(),
            reaches: Vec::new(),
            withheld: false,
            tests,
            todos: Vec::new(),
            learner_tests: None,
        };
        let report = summarize(vec![kata], None, None);
        let text = render(&report, &Points::default()).unwrap();
        let line = text.lines().nth(1).unwrap();
        let value = line.strip_prefix("BIGKATA_RESULTS=").unwrap();
        assert!(value.len() <= MAX_VARIABLE_BYTES, "{}", value.len());
        let json: Value = serde_json::from_slice(
            &base64::engine::general_purpose::STANDARD
                .decode(value)
                .unwrap(),
        )
        .unwrap();
        let message = json["tests"][0]["message"].as_str().unwrap();
        assert_eq!(
            message,
            format!("{}…", "x".repeat(60)),
            "cut to its first 60 characters"
        );
    }

    #[test]
    fn runners_are_letters_and_digits() {
        assert_eq!(runner("linked_list").unwrap(), "linkedlist");
        assert!(runner("a-b").is_err());
        assert!(runner("___").is_err());
    }
}
