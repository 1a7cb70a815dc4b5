//! The learner's report of one check: what is not written yet, what fails and why,
//! and what to do next. Rendered to a string so the runner's own tests can snapshot it.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diagnose;
use crate::repo::Kata;
use crate::run::{Outcome, TestRun};
use crate::style::Style;
use crate::suite::Graded;

/// Failing tests shown in full; the rest are counted (`--all` shows every one).
const DETAILED_FAILURES: usize = 6;

pub struct CheckReport<'a> {
    pub kata: &'a Kata,
    pub graded: &'a Graded,
    /// True when the reference was checked instead of the learner's crate.
    pub solution: bool,
    pub show_all: bool,
    /// The kata to suggest once this one passes.
    pub next_kata: Option<&'a Kata>,
}

impl CheckReport<'_> {
    pub fn render(&self, style: Style) -> String {
        let mut out = String::new();
        let kata = self.kata;
        let whose = if self.solution {
            " [reference solution]"
        } else {
            ""
        };
        match self.graded {
            Graded::DoesNotCompile { diagnostics } => {
                let _ = writeln!(
                    out,
                    "{}{whose}: {}\n",
                    style.bold(&kata.title()),
                    style.red("does not compile")
                );
                for d in diagnostics {
                    let _ = writeln!(out, "{}", d.trim_end());
                }
                let _ = writeln!(
                    out,
                    "\nFix the first error above (the others often follow from it), then run \
                     `cargo xtask check {}` again.",
                    kata.name
                );
            }
            Graded::Ran { runs, total, .. } => {
                let (passed, _) = self.graded.score();
                let score = format!("{passed} of {total} tests pass");
                let score = if passed == *total {
                    style.green(&score)
                } else {
                    style.yellow(&score)
                };
                let _ = writeln!(out, "{}{whose}: {score}", style.bold(&kata.title()));
                self.render_problems(&mut out, runs, style);
                self.render_next(&mut out, passed == *total, runs, style);
            }
        }
        out
    }

    fn render_problems(&self, out: &mut String, runs: &[TestRun], style: Style) {
        // todo!() panics collapse to one line per function: (location, function) -> tests.
        let mut todos: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut others = Vec::new();
        for run in runs.iter().filter(|r| r.outcome != Outcome::Pass) {
            let todo = (run.outcome == Outcome::Fail)
                .then(|| diagnose::todo_location(&run.output))
                .flatten();
            match todo {
                Some(location) => {
                    let function = diagnose::split_location(&location)
                        .and_then(|(path, line)| {
                            diagnose::function_at(&self.kata.root.join(path), line)
                        })
                        .unwrap_or_else(|| "a function".to_string());
                    *todos
                        .entry((diagnose::short_location(&location), function))
                        .or_default() += 1;
                }
                None => others.push(run),
            }
        }
        // A test stops at the first todo!() it meets, so functions behind it (a method
        // called after an unwritten constructor) are found by reading the source.
        let source = if self.solution {
            self.kata.solution_dir()
        } else {
            self.kata.exercise_dir()
        };
        for site in diagnose::todo_sites(&self.kata.root, &source.join("src")) {
            todos.entry(site).or_default();
        }

        if !todos.is_empty() {
            out.push('\n');
            let mut rows: Vec<_> = todos.into_iter().collect();
            rows.sort_by_key(|((location, _), _)| location_sort_key(location));
            let width = rows.iter().map(|((_, f), _)| f.len()).max().unwrap_or(0);
            for ((location, function), count) in rows {
                let tests = match count {
                    0 => "(no test reached it yet)".to_string(),
                    1 => "(1 test)".to_string(),
                    n => format!("({n} tests)"),
                };
                let _ = writeln!(
                    out,
                    "  {} {:<width$} is not implemented yet  {}  {}",
                    style.red("✗"),
                    function,
                    style.dim(&location),
                    style.dim(&tests),
                );
            }
        }

        let limit = if self.show_all {
            usize::MAX
        } else {
            DETAILED_FAILURES
        };
        for run in others.iter().take(limit) {
            out.push('\n');
            match &run.outcome {
                Outcome::Timeout => {
                    let _ = writeln!(
                        out,
                        "  {} {} ran past {} s and was stopped (a loop that never ends?)",
                        style.yellow("⏱"),
                        style.bold(&run.name),
                        self.kata.timeout_secs
                    );
                }
                Outcome::Crash { signal } => {
                    let _ = writeln!(
                        out,
                        "  {} {} {}",
                        style.red("✗"),
                        style.bold(&run.name),
                        diagnose::crash_reason(&run.output, *signal, self.kata.memory_mib)
                    );
                }
                Outcome::Fail => {
                    let _ = writeln!(out, "  {} {}", style.red("✗"), style.bold(&run.name));
                    for line in diagnose::failure_message(&run.output) {
                        let _ = writeln!(out, "      {line}");
                    }
                }
                Outcome::Pass => {}
            }
        }
        if others.len() > limit {
            let _ = writeln!(
                out,
                "\n  … and {} more failing tests (`--all` shows every one)",
                others.len() - limit
            );
        }
    }

    fn render_next(&self, out: &mut String, all_pass: bool, runs: &[TestRun], style: Style) {
        let name = &self.kata.name;
        out.push('\n');
        if all_pass {
            let next = match (self.solution, self.next_kata) {
                (true, _) => String::new(),
                (false, Some(next)) => format!(" Next kata: cargo xtask check {}", next.name),
                (false, None) => " That was the last kata not yet passing.".to_string(),
            };
            let _ = writeln!(out, "{} Every test passes.{next}", style.green("✓"));
        } else if runs.iter().all(|r| r.outcome != Outcome::Pass)
            && out.contains("not implemented yet")
        {
            let _ = writeln!(
                out,
                "Next: read exercises/{name}/README.md, then replace the first todo!() above. \
                 Stuck? cargo xtask hint {name}"
            );
        } else {
            let _ = writeln!(
                out,
                "Next: fix the first problem above. Stuck? cargo xtask hint {name}"
            );
        }
    }
}

/// Sorts `path:line` by path, then by line as a number.
fn location_sort_key(location: &str) -> (String, usize) {
    match location.rsplit_once(':') {
        Some((path, line)) => (path.to_string(), line.parse().unwrap_or(0)),
        None => (location.to_string(), 0),
    }
}
