//! `grade --format junit`: JUnit XML, one test suite per kata and one test case per
//! test, for CI systems that show test results; stable English words throughout.
//!
//! It follows the common `junit-10.xsd` (the Jenkins xUnit plugin's, kept as
//! `xtask/tests/junit-10.xsd` and checked in `xtask/tests/junit.rs`): `<testsuites>`
//! takes only `name`, `time`, `tests`, `failures` and `errors` (so the total score is in
//! its name), and every `<testcase>` has a `time`, so reporters that sum or show it have
//! a number. Written by hand: the best kept JUnit writer, `quick-junit` (nextest's),
//! brings `thiserror`'s proc macro and `syn`, which the runner keeps out of its build,
//! and always writes `skipped` on `<testsuites>`, which the schema refuses (0.8.0).

use std::fmt::Write as _;

use super::results::{KataReport, KataStatus, Reach, Report, TestOutcome, percent};

/// What a flagged kata is told in the JUnit report (the text and Markdown reports say
/// it in the learner's language: `grade-reaches` in xtask/locales).
const REACHES: &str = "reaches for the harness or the environment beyond what its kata needs \
     (it could forge passing tests: review its code before trusting the score)";
/// ...and when its points are withheld for that review.
const WITHHELD: &str = "; its points are withheld until then (it counts 0 in the score)";

/// The kata's status as a stable English word (JUnit's `status` property).
fn status_words(kata: &KataReport) -> &'static str {
    match kata.status {
        KataStatus::Pass => "pass",
        KataStatus::Fail => "fail",
        KataStatus::DoesNotCompile => "does not compile",
        KataStatus::Missing => "missing",
        KataStatus::NotGraded => "not graded",
    }
}

pub(super) fn render(report: &Report) -> String {
    let mut suites = String::new();
    // No skipped total: the schema's `<testsuites>` has no such attribute (each suite has).
    let (mut tests, mut failures, mut errors, mut seconds) = (0, 0, 0, 0.0);
    for kata in &report.katas {
        let mut cases = String::new();
        let (mut k_tests, mut k_failures, mut k_errors, mut k_skipped) = (0, 0, 0, 0);
        match kata.status {
            KataStatus::Pass | KataStatus::Fail => {
                for test in &kata.tests {
                    k_tests += 1;
                    let _ = write!(
                        cases,
                        "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                        xml_escape(&kata.name),
                        xml_escape(&test.name),
                        test.seconds
                    );
                    let (element, kind) = match test.outcome {
                        TestOutcome::Pass => {
                            cases.push_str("/>\n");
                            continue;
                        }
                        TestOutcome::Fail => ("failure", "fail"),
                        TestOutcome::Timeout => ("error", "timeout"),
                        TestOutcome::Crash => ("error", "crash"),
                        TestOutcome::Missing => ("failure", "missing"),
                    };
                    if element == "failure" {
                        k_failures += 1;
                    } else {
                        k_errors += 1;
                    }
                    let message = test.message.as_deref().unwrap_or("");
                    let _ = write!(
                        cases,
                        ">\n      <{element} type=\"{kind}\" message=\"{}\">{}</{element}>\n    </testcase>\n",
                        xml_escape(message.lines().next().unwrap_or("")),
                        xml_escape(message)
                    );
                }
            }
            KataStatus::NotGraded => {
                k_tests = 1;
                k_skipped = 1;
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{0}\" name=\"graded\" time=\"0\">\n      <skipped message=\"{1}\"/>\n    </testcase>",
                    xml_escape(&kata.name),
                    xml_escape(&kata.diagnostics.join("\n"))
                );
            }
            KataStatus::DoesNotCompile | KataStatus::Missing => {
                k_tests = 1;
                k_errors = 1;
                let (name, kind, message) = if kata.status == KataStatus::Missing {
                    ("exists", "missing", "the kata is missing from exercises/")
                } else {
                    ("compiles", "does-not-compile", "the kata does not compile")
                };
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{}\" name=\"{name}\" time=\"0\">\n      <error type=\"{kind}\" message=\"{message}\">{}</error>\n    </testcase>",
                    xml_escape(&kata.name),
                    xml_escape(&kata.diagnostics.join("\n\n"))
                );
            }
        }
        if !kata.reaches.is_empty() {
            k_tests += 1;
            k_failures += 1;
            let listed: Vec<String> = kata.reaches.iter().map(Reach::line).collect();
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{}\" name=\"stays within its task\" time=\"0\">\n      <failure type=\"reaches-outside\" message=\"{}\">{}</failure>\n    </testcase>",
                xml_escape(&kata.name),
                xml_escape(&format!(
                    "{REACHES}{}",
                    if kata.withheld { WITHHELD } else { "" }
                )),
                xml_escape(&listed.join("\n"))
            );
        }
        tests += k_tests;
        failures += k_failures;
        errors += k_errors;
        seconds += kata.seconds;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{k_tests}\" failures=\"{k_failures}\" errors=\"{k_errors}\" skipped=\"{k_skipped}\" time=\"{:.3}\">",
            xml_escape(&kata.name),
            kata.seconds
        );
        let _ = writeln!(
            suites,
            "    <properties>\n      <property name=\"score\" value=\"{}\"/>\n      <property name=\"measured_score\" value=\"{}\"/>\n      <property name=\"withheld\" value=\"{}\"/>\n      <property name=\"status\" value=\"{}\"/>\n    </properties>",
            kata.counted_score(),
            kata.score,
            kata.withheld,
            xml_escape(status_words(kata))
        );
        suites.push_str(&cases);
        suites.push_str("  </testsuite>\n");
    }
    if let Some(p) = &report.pristine {
        tests += 1;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"pristine\" tests=\"1\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            usize::from(!p.unchanged)
        );
        let _ = write!(
            suites,
            "    <testcase classname=\"pristine\" name=\"tests/ matches {}\" time=\"0\"",
            xml_escape(&p.source)
        );
        if p.unchanged {
            suites.push_str("/>\n");
        } else {
            failures += 1;
            let mut listing = String::new();
            for (what, files) in [
                ("changed", &p.changed),
                ("missing", &p.missing),
                ("added", &p.added),
            ] {
                for file in files {
                    let _ = writeln!(listing, "{what} {file}");
                }
            }
            let count = p.changed.len() + p.missing.len() + p.added.len();
            let _ = write!(
                suites,
                ">\n      <failure type=\"tests-changed\" message=\"{count} file(s) of tests/ differ from the pristine copy\">{}</failure>\n    </testcase>\n",
                xml_escape(&listing)
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"katas (score {})\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{seconds:.3}\">\n{suites}</testsuites>\n",
        percent(report.score)
    )
}

/// Escapes text for XML content and attribute values, dropping the characters XML 1.0
/// cannot hold at all (most control characters).
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

fn xml_char(c: char) -> bool {
    matches!(c as u32, 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1b}[31m\u{0}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;[31m&#10;"
        );
        assert_eq!(xml_escape("排序 \u{FFFE}ok"), "排序 ok");
    }
}
