//! `grade --format human`: the text report, in the learner's language, coloured on a
//! terminal.

use std::fmt::Write as _;

use super::results::{
    KataStatus, Report, changes, kata_title, percent, problem_lines, status_text,
};
use crate::engine::lang::t;
use crate::engine::style::{Style, display_width, pad_to};

pub(super) fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let width = report
        .katas
        .iter()
        .map(|k| display_width(&kata_title(k)))
        .max()
        .unwrap_or(0)
        + 2;
    let tests_of = |kata: &super::results::KataReport| match kata.status {
        KataStatus::Pass | KataStatus::Fail => {
            t!("grade-tests", passed = kata.passed, total = kata.total)
        }
        _ => String::new(),
    };
    // As wide as the widest count in this language (Chinese words take two columns
    // each), so the status column stays in line.
    let tests_width = report
        .katas
        .iter()
        .map(|k| display_width(&tests_of(k)) + 1)
        .max()
        .unwrap_or(0)
        .max(14);
    for kata in &report.katas {
        let title = kata_title(kata);
        let padding = " ".repeat(width.saturating_sub(display_width(&title)));
        let tests = tests_of(kata);
        let status = match kata.status {
            _ if kata.withheld => style.yellow(&status_text(kata)),
            KataStatus::Pass => style.green(&status_text(kata)),
            KataStatus::NotGraded => style.dim(&status_text(kata)),
            _ => style.red(&status_text(kata)),
        };
        let _ = writeln!(
            out,
            "{}{padding}{:>7}  {}{status}",
            style.bold(&title),
            percent(kata.counted_score()),
            pad_to(&tests, tests_width)
        );
        for line in problem_lines(kata) {
            let _ = writeln!(out, "    {line}");
        }
        if let Some(learner) = &kata.learner_tests {
            let line = learner.line(&kata.name);
            let _ = writeln!(out, "    {line}");
        }
        if !kata.reaches.is_empty() {
            let _ = writeln!(out, "    {} {}:", style.yellow("⚑"), t!("grade-reaches"));
            for reach in &kata.reaches {
                let _ = writeln!(out, "      {}", reach.line());
            }
        }
    }
    if let Some(source) = &report.submission {
        let _ = writeln!(out, "\n{}", t!("grade-submission", source = source));
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
    if report.katas_withheld > 0 {
        let _ = writeln!(
            out,
            "{} {}",
            style.yellow("⚑"),
            t!("grade-withheld-total", count = report.katas_withheld)
        );
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\n{}", t!("grade-notes"));
        for note in &report.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
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
