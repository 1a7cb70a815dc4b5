//! The class table: one row per student, from the results a class run (or the Actions
//! workflow's jobs) left in `<results>/students/<name>/`.
//!
//! `class.csv` is what a gradebook imports: `student`, `commit`, `status`, one column
//! per kata (its score as counted: 0 while withheld for review), `total`,
//! `katas_passed`, `flags` and `problems`. `class.md` is the same class for people: a
//! table, each kata's mean, the flagged katas to review and the students who could not
//! be graded. Both are made from the JSON reports only, so they agree with them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use super::student::{MARKER, REPORT, read_json};

/// One row: a student's grade, or why there is none.
pub struct Row {
    pub student: String,
    pub commit: String,
    /// The JSON report (schema 2), when the student was graded.
    pub report: Option<Value>,
    /// Why the student has no report.
    pub error: Option<String>,
}

/// Reads every student folder under `<results>/students/`, sorted by name. A folder
/// without a marker (a job that never finished, or a run stopped while grading them)
/// is a row saying there is no result.
pub fn read(results: &Path) -> Result<Vec<Row>> {
    let students = results.join("students");
    let mut rows = Vec::new();
    let entries = match fs::read_dir(&students) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(rows),
        Err(err) => return Err(err).with_context(|| format!("reading {}", students.display())),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", students.display()))?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let student = entry.file_name().to_string_lossy().into_owned();
        let marker = read_json(&entry.path().join(MARKER));
        let commit = marker
            .as_ref()
            .and_then(|m| m["commit"].as_str())
            .unwrap_or("")
            .to_string();
        let (report, error) = match &marker {
            None => (
                None,
                Some("no result (the grading did not finish)".to_string()),
            ),
            Some(m) if m["status"] == "graded" => match read_json(&entry.path().join(REPORT)) {
                Some(report) => (Some(report), None),
                None => (None, Some(format!("{REPORT} is missing or unreadable"))),
            },
            Some(m) => (
                None,
                Some(
                    m["error"]
                        .as_str()
                        .unwrap_or("the grading failed")
                        .to_string(),
                ),
            ),
        };
        rows.push(Row {
            student,
            commit,
            report,
            error,
        });
    }
    rows.sort_by(|a, b| a.student.cmp(&b.student));
    Ok(rows)
}

/// The katas' names in course order, as the reports list them.
fn kata_names(rows: &[Row]) -> Vec<String> {
    let mut order: BTreeMap<String, f64> = BTreeMap::new();
    for report in rows.iter().filter_map(|r| r.report.as_ref()) {
        for kata in report["katas"].as_array().into_iter().flatten() {
            if let Some(name) = kata["name"].as_str() {
                let place = kata["order"].as_f64().unwrap_or(f64::MAX);
                order.entry(name.to_string()).or_insert(place);
            }
        }
    }
    let mut names: Vec<(String, f64)> = order.into_iter().collect();
    names.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    names.into_iter().map(|(name, _)| name).collect()
}

/// A kata's score as it counts in the total: 0 while withheld.
fn counted(kata: &Value) -> f64 {
    if kata["withheld"] == true {
        0.0
    } else {
        kata["score"].as_f64().unwrap_or(0.0)
    }
}

/// Every flag of a report: `kata: kind what at (withheld)`.
fn flags(report: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for kata in report["katas"].as_array().into_iter().flatten() {
        let reaches: Vec<String> = kata["reaches"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "{} {} at {}",
                    r["kind"].as_str().unwrap_or("?"),
                    r["what"].as_str().unwrap_or("?"),
                    r["at"].as_str().unwrap_or("?")
                )
            })
            .collect();
        if !reaches.is_empty() {
            let withheld = if kata["withheld"] == true {
                format!(" (withheld: {} measured)", kata["score"])
            } else {
                String::new()
            };
            found.push(format!(
                "{}: {}{withheld}",
                kata["name"].as_str().unwrap_or("?"),
                reaches.join(", ")
            ));
        }
    }
    found
}

/// Katas that did not compile, are missing, or were not graded; and katas with tests
/// that ran out of time, worth a second look: a timeout is wall-clock, and a machine
/// loaded past its cores (several students at once, other work) can push a correct
/// test past it.
fn problems(report: &Value) -> Vec<String> {
    report["katas"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|kata| {
            let name = kata["name"].as_str().unwrap_or("?");
            let said = match kata["status"].as_str()? {
                "does-not-compile" => "does not compile".to_string(),
                "missing" => "missing".to_string(),
                "not-graded" => "not graded".to_string(),
                _ => {
                    let timeouts = kata["tests"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|t| t["outcome"] == "timeout")
                        .count();
                    match timeouts {
                        0 => return None,
                        1 => "1 test timed out".to_string(),
                        n => format!("{n} tests timed out"),
                    }
                }
            };
            Some(format!("{name}: {said}"))
        })
        .collect()
}

/// `class.csv`.
pub fn csv(rows: &[Row]) -> String {
    let katas = kata_names(rows);
    let mut header = vec!["student", "commit", "status"];
    header.extend(katas.iter().map(String::as_str));
    header.extend(["total", "katas_passed", "flags", "problems"]);
    let mut out = line(header.iter().map(|s| s.to_string()));
    for row in rows {
        let mut cells = vec![row.student.clone(), row.commit.clone()];
        match &row.report {
            Some(report) => {
                cells.push("graded".into());
                for name in &katas {
                    let kata = report["katas"]
                        .as_array()
                        .and_then(|all| all.iter().find(|k| k["name"] == name.as_str()));
                    cells.push(kata.map_or(String::new(), |k| format!("{:.2}", counted(k))));
                }
                cells.push(format!("{:.2}", report["score"].as_f64().unwrap_or(0.0)));
                cells.push(report["katas_passed"].to_string());
                cells.push(flags(report).join("; "));
                cells.push(problems(report).join("; "));
            }
            None => {
                cells.push("error".into());
                cells.extend(katas.iter().map(|_| String::new()));
                cells.extend([String::new(), String::new(), String::new()]);
                cells.push(row.error.clone().unwrap_or_default());
            }
        }
        out.push_str(&line(cells.into_iter()));
    }
    out
}

/// One CSV line (RFC 4180): a cell with a comma, quote or line break is quoted. A cell
/// a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) gets a `'` before it:
/// a student's folder name must never run in the instructor's gradebook.
fn line(cells: impl Iterator<Item = String>) -> String {
    let cells: Vec<String> = cells
        .map(|cell| {
            let cell = if cell.starts_with(['=', '+', '-', '@']) {
                format!("'{cell}")
            } else {
                cell
            };
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell
            }
        })
        .collect();
    cells.join(",") + "\r\n"
}

/// `class.md`.
pub fn markdown(rows: &[Row]) -> String {
    let katas = kata_names(rows);
    let graded: Vec<&Value> = rows.iter().filter_map(|r| r.report.as_ref()).collect();
    let mut out = String::from("# Class grades\n\n");
    let mean = |values: &[f64]| {
        if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    };
    let totals: Vec<f64> = graded
        .iter()
        .map(|r| r["score"].as_f64().unwrap_or(0.0))
        .collect();
    let _ = writeln!(
        out,
        "{} students: {} graded, {} without a grade; mean total {:.1}%.\n",
        rows.len(),
        graded.len(),
        rows.len() - graded.len(),
        mean(&totals)
    );
    out.push_str(
        "| student | total | katas passed | flagged | problems |\n|---|--:|--:|---|---|\n",
    );
    for row in rows {
        let student = cell(&row.student);
        match &row.report {
            Some(r) => {
                let flagged: Vec<String> = flags(r)
                    .iter()
                    .map(|f| f.split(':').next().unwrap_or("").to_string())
                    .collect();
                let _ = writeln!(
                    out,
                    "| {student} | {:.1}% | {} of {} | {} | {} |",
                    r["score"].as_f64().unwrap_or(0.0),
                    r["katas_passed"],
                    r["katas_graded"],
                    cell(&flagged.join(", ")),
                    cell(&problems(r).join(", "))
                );
            }
            None => {
                let error = row.error.as_deref().unwrap_or("");
                let _ = writeln!(out, "| {student} | not graded | | | {} |", cell(error));
            }
        }
    }
    out.push_str("\nEach kata's mean score over the graded students (withheld katas count 0):\n\n");
    out.push_str("| kata | mean | students passing |\n|---|--:|--:|\n");
    for name in &katas {
        let found: Vec<&Value> = graded
            .iter()
            .filter_map(|r| {
                r["katas"]
                    .as_array()?
                    .iter()
                    .find(|k| k["name"] == name.as_str())
            })
            .collect();
        let scores: Vec<f64> = found.iter().map(|k| counted(k)).collect();
        let passing = found
            .iter()
            .filter(|k| k["status"] == "pass" && k["withheld"] != true)
            .count();
        let _ = writeln!(out, "| {name} | {:.1}% | {passing} |", mean(&scores));
    }
    let flagged: Vec<(String, String)> = rows
        .iter()
        .filter_map(|row| Some((row, row.report.as_ref()?)))
        .flat_map(|(row, r)| flags(r).into_iter().map(|f| (row.student.clone(), f)))
        .collect();
    if !flagged.is_empty() {
        out.push_str(
            "\n**Flagged for review** (a person reads the code before the points count):\n\n",
        );
        for (student, flag) in flagged {
            let _ = writeln!(out, "- {}: {}", cell(&student), cell(&flag));
        }
    }
    out
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Writes `class.csv` and `class.md` into `results`.
pub fn write(results: &Path, rows: &[Row]) -> Result<()> {
    fs::create_dir_all(results).with_context(|| format!("creating {}", results.display()))?;
    for (name, text) in [("class.csv", csv(rows)), ("class.md", markdown(rows))] {
        let path = results.join(name);
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell with a separator, a quote or a line break is quoted; one a spreadsheet
    /// would run as a formula is not a formula any more.
    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        let cells = [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "=HYPERLINK(1)",
            "-1",
            "@x",
        ];
        assert_eq!(
            line(cells.iter().map(|c| c.to_string())),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=HYPERLINK(1),'-1,'@x\r\n"
        );
    }
}
