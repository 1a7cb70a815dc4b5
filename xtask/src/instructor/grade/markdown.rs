//! `grade --format markdown`: the summary a CI job shows (a table of katas, then each
//! kata's problems folded away), in the learner's language.

use std::fmt::Write as _;

use super::results::{
    KataStatus, Report, changes, kata_title, percent, problem_lines, status_text,
};
use crate::engine::lang::t;

pub(super) fn render(report: &Report) -> String {
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
            _ if kata.withheld => "⚑",
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
            percent(kata.counted_score()),
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
    if report.katas_withheld > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            t!("grade-md-withheld-total", count = report.katas_withheld)
        );
    }
    if let Some(source) = &report.submission {
        let _ = writeln!(
            out,
            "\n{}",
            t!(
                "grade-submission",
                source = md_inline(&format!("`{source}`"))
            )
        );
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\n{}\n", t!("grade-notes"));
        for note in &report.notes {
            let _ = writeln!(out, "- {}", md_escape(note));
        }
    }
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
    let learners: Vec<_> = report
        .katas
        .iter()
        .filter_map(|kata| Some((kata, kata.learner_tests.as_ref()?)))
        .collect();
    if !learners.is_empty() {
        let _ = writeln!(out, "\n{}\n", t!("grade-md-learner-tests"));
        for (kata, learner) in learners {
            let _ = writeln!(
                out,
                "- {}: {}",
                md_escape(&kata_title(kata)),
                md_inline(&learner.line(&kata.name))
            );
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn markdown_keeps_code_spans() {
        assert_eq!(
            md_inline("`bubble_sort_by` is not implemented yet (a_b.rs:3)"),
            "`bubble_sort_by` is not implemented yet (a\\_b.rs:3)"
        );
        assert_eq!(md_inline("odd ` tick"), "odd \\` tick");
    }

    #[test]
    pub(super) fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md_escape("a|b\n<c>"), "a\\|b \\<c\\>");
    }
}
