//! The learner's report of one check: what is not written yet, what fails and why,
//! and what to do next. Rendered to a string so the runner's own tests can snapshot it.
//! Also what the learner should work on first (the focus `hint` answers for).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use crate::engine::diagnose;
use crate::engine::lang::t;
use crate::engine::repo::Kata;
use crate::engine::run::{Outcome, TestRun};
use crate::engine::style::{Style, display_width, pad_to};
use crate::engine::suite::Graded;
use crate::learner::order::Order;
use crate::learner::progress::Focus;

/// Failing tests shown in full; the rest are counted (`--all` shows every one).
const DETAILED_FAILURES: usize = 6;
/// Names of the tests a shared failure stopped, listed before the rest are counted.
const SHARED_NAMES: usize = 6;

pub struct CheckReport<'a> {
    pub kata: &'a Kata,
    pub graded: &'a Graded,
    /// True when the reference was checked instead of the learner's crate.
    pub solution: bool,
    /// True for the kata's model tier (`check --model`).
    pub model: bool,
    pub show_all: bool,
    /// The kata to suggest once this one passes.
    pub next_kata: Option<&'a Kata>,
    /// True inside `watch`, where saving the file re-checks.
    pub watching: bool,
}

impl CheckReport<'_> {
    pub fn render(&self, style: Style) -> String {
        let mut out = String::new();
        let kata = self.kata;
        let mut whose = if self.solution {
            format!(" {}", t!("report-reference"))
        } else {
            String::new()
        };
        if self.model {
            whose = format!("{whose} {}", t!("report-model-tier"));
        }
        match self.graded {
            Graded::DoesNotCompile { diagnostics } => {
                let _ = writeln!(
                    out,
                    "{}{whose}: {}\n",
                    style.bold(&kata.title()),
                    style.red(&t!("report-does-not-compile"))
                );
                for d in diagnostics {
                    let _ = writeln!(out, "{}", d.trim_end());
                }
                let again = if self.watching {
                    t!("report-save-again")
                } else {
                    t!("report-run-again", name = kata.name)
                };
                let _ = writeln!(out, "\n{}", t!("report-fix-first-error", again = again));
            }
            Graded::Ran { runs, total, .. } => {
                let (passed, _) = self.graded.score();
                let score = t!("report-score", passed = passed, total = total);
                let score = if passed == *total {
                    style.green(&score)
                } else {
                    style.yellow(&score)
                };
                let _ = writeln!(out, "{}{whose}: {score}", style.bold(&kata.title()));
                let first_failure = self.render_problems(&mut out, runs, style);
                self.render_next(&mut out, passed == *total, first_failure, style);
            }
        }
        out
    }

    fn source_dir(&self) -> std::path::PathBuf {
        if self.solution {
            self.kata.solution_dir()
        } else {
            self.kata.exercise_dir()
        }
    }

    fn problems<'r>(&self, runs: &'r [TestRun]) -> (TodoRows, Vec<&'r TestRun>) {
        let src_dir = self.source_dir().join("src");
        problems(self.kata, &src_dir, &Order::new(self.kata, &src_dir), runs)
    }

    /// What the learner should work on first (`hint` answers for it): see [`focus`].
    pub fn focus(&self) -> Option<Focus> {
        let Graded::Ran { runs, .. } = self.graded else {
            return None;
        };
        focus(self.kata, &self.source_dir().join("src"), runs)
    }

    /// Writes the unwritten functions and the failures; returns the name of the first
    /// failure shown that is not an unwritten function (what `focus` and `hint` follow)
    /// and, when most failing tests share it, how many share it.
    fn render_problems(
        &self,
        out: &mut String,
        runs: &[TestRun],
        style: Style,
    ) -> Option<(String, Option<usize>)> {
        let (rows, others) = self.problems(runs);
        let shared = shared_cause(&others);
        let first_failure = match &shared {
            Some(shared) => Some((shared[0].name.clone(), Some(shared.len()))),
            None => others.first().map(|run| (run.name.clone(), None)),
        };
        if !rows.is_empty() {
            out.push('\n');
            let width = rows
                .iter()
                .map(|((_, f), _)| display_width(f))
                .max()
                .unwrap_or(0);
            for ((location, function), count) in rows {
                let tests = match count {
                    0 => t!("report-no-test-reached"),
                    1 => t!("report-one-test"),
                    n => t!("report-tests", count = n),
                };
                let _ = writeln!(
                    out,
                    "  {} {} {}  {}  {}",
                    style.red("✗"),
                    pad_to(&function, width),
                    t!("report-not-implemented"),
                    style.dim(&location),
                    style.dim(&tests),
                );
            }
        }
        let suite = std::fs::read_to_string(self.kata.suite_path()).unwrap_or_default();
        let suite_path = format!("tests/{}.rs", self.kata.name);

        let limit = if self.show_all {
            usize::MAX
        } else {
            DETAILED_FAILURES
        };
        // One cause behind most failures (a port already in use, a listener left
        // blocking): told once, first, with the tests it stopped named after it.
        let mut others = others;
        if let Some(shared) = &shared {
            let first = shared[0];
            let _ = writeln!(
                out,
                "\n  {} {}",
                style.red("✗"),
                style.bold(&if shared.len() == others.len() {
                    t!("report-shared-cause-all", count = shared.len())
                } else {
                    t!(
                        "report-shared-cause",
                        count = shared.len(),
                        failing = others.len()
                    )
                })
            );
            let _ = writeln!(
                out,
                "      {}",
                t!("report-shared-first", test = first.name)
            );
            for line in diagnose::explain(&first.output, &first.name, Some((&suite_path, &suite))) {
                let _ = writeln!(out, "      {line}");
            }
            let shown = if self.show_all {
                usize::MAX
            } else {
                SHARED_NAMES
            };
            let names: Vec<&str> = shared.iter().take(shown).map(|r| r.name.as_str()).collect();
            let names = names.join(", ");
            let tests = if shared.len() > shown {
                t!(
                    "report-shared-broke-more",
                    tests = names,
                    count = shared.len() - shown
                )
            } else {
                names
            };
            let _ = writeln!(
                out,
                "      {}",
                style.dim(&t!("report-shared-broke", tests = tests))
            );
            others.retain(|run| !shared.iter().any(|s| std::ptr::eq(*s, *run)));
        }
        for run in others.iter().take(limit) {
            out.push('\n');
            match &run.outcome {
                Outcome::Timeout => {
                    let _ = writeln!(
                        out,
                        "  {} {} {}",
                        style.yellow("⏱"),
                        style.bold(&run.name),
                        t!("report-timeout", seconds = self.kata.timeout_secs)
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
                    let lines =
                        diagnose::explain(&run.output, &run.name, Some((&suite_path, &suite)));
                    for line in lines {
                        let _ = writeln!(out, "      {line}");
                    }
                }
                Outcome::Pass => {}
            }
        }
        if others.len() > limit {
            let _ = writeln!(
                out,
                "\n  {}",
                t!("report-more-failing", count = others.len() - limit)
            );
        }
        first_failure
    }

    fn render_next(
        &self,
        out: &mut String,
        all_pass: bool,
        first_failure: Option<(String, Option<usize>)>,
        style: Style,
    ) {
        let name = &self.kata.name;
        out.push('\n');
        if all_pass {
            let passes = match (self.solution || self.model, self.next_kata) {
                // The model tier is a second opinion: the next kata comes from `check`.
                (true, _) => t!("report-all-pass"),
                // watch says what comes next itself.
                (false, Some(_)) if self.watching => t!("report-all-pass"),
                (false, Some(next)) => t!("report-all-pass-next", next = next.name),
                (false, None) => t!("report-all-pass-last"),
            };
            let _ = writeln!(out, "{} {passes}", style.green("✓"));
        } else if let Some((test, shared)) = first_failure {
            // Code the learner wrote fails: that comes before writing more (and is
            // what `hint` answers for).
            let next = match shared {
                Some(count) => t!(
                    "report-next-shared",
                    count = count,
                    test = test,
                    stuck = self.stuck()
                ),
                None => t!("report-next-fix-test", test = test, stuck = self.stuck()),
            };
            let _ = writeln!(out, "{next}");
        } else {
            let readme = if crate::engine::lang::current() == crate::engine::lang::Lang::Zh
                && self.kata.readme_zh_path().is_file()
            {
                "README.zh.md"
            } else {
                "README.md"
            };
            let _ = writeln!(
                out,
                "{}",
                t!(
                    "report-next-read-readme",
                    name = name,
                    readme = readme,
                    stuck = self.stuck()
                )
            );
        }
    }

    /// Where to ask for a hint: the `h` key inside `watch`, else the command.
    fn stuck(&self) -> String {
        if self.watching {
            t!("report-stuck-watch")
        } else {
            t!("report-stuck", name = self.kata.name)
        }
    }
}

/// What a learner whose code is under `src_dir` should work on first, given its test
/// runs: the first failure the report shows that is not an unwritten function (code
/// they wrote that fails), with its group path; or else the first function not written
/// yet. Code without `todo!()` (a mutant) may be run only until the first failure in
/// [`Order::key`]'s order is known (`Stop::AtFirstFailureBy`): the tests after it
/// change nothing here.
pub fn focus(kata: &Kata, src_dir: &Path, runs: &[TestRun]) -> Option<Focus> {
    let order = Order::new(kata, src_dir);
    let (rows, others) = problems(kata, src_dir, &order, runs);
    let shared = shared_cause(&others);
    let first = shared.as_ref().map(|s| s[0]).or(others.first().copied());
    if let Some(first) = first {
        return Some(Focus::Test {
            name: first.name.clone(),
            group: order.group_path(&first.name),
        });
    }
    rows.first().map(|((_, function), _)| {
        Focus::Unwritten(function.rsplit("::").next().unwrap_or(function).to_string())
    })
}

/// The unwritten functions of the code under `src_dir`, as ((location, function), tests
/// that reached it) in source order, and the other failures, most basic first (see
/// `order`).
fn problems<'r>(
    kata: &Kata,
    src_dir: &Path,
    order: &Order,
    runs: &'r [TestRun],
) -> (TodoRows, Vec<&'r TestRun>) {
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
                    .and_then(|(path, line)| diagnose::function_at(&kata.root.join(path), line))
                    .unwrap_or_else(|| t!("report-a-function"));
                *todos
                    .entry((diagnose::short_location(&location), function))
                    .or_default() += 1;
            }
            None => others.push(run),
        }
    }
    // A test stops at the first todo!() it meets, so functions behind it (a method
    // called after an unwritten constructor) are found by reading the source.
    for site in diagnose::todo_sites(&kata.root, src_dir) {
        todos.entry(site).or_default();
    }
    let mut rows: Vec<_> = todos.into_iter().collect();
    rows.sort_by_key(|((location, _), _)| location_sort_key(location));
    others.sort_by_key(|run| order.key(&run.name));
    (rows, others)
}

/// The failing tests (in report order) that stop at the same first failure (see
/// [`diagnose::first_cause`]), when they are more than half of `failing` and at least
/// two: one cause (a fixed port already in use, a listener left blocking) is then the
/// story, told once. None when no one cause holds most failures.
fn shared_cause<'r>(failing: &[&'r TestRun]) -> Option<Vec<&'r TestRun>> {
    let causes: Vec<Option<String>> = failing
        .iter()
        .map(|run| {
            (run.outcome == Outcome::Fail)
                .then(|| diagnose::first_cause(&run.output))
                .flatten()
        })
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for cause in causes.iter().flatten() {
        *counts.entry(cause).or_default() += 1;
    }
    let (cause, count) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    if count < 2 || count * 2 <= failing.len() {
        return None;
    }
    Some(
        failing
            .iter()
            .zip(&causes)
            .filter(|(_, c)| c.as_deref() == Some(cause))
            .map(|(run, _)| *run)
            .collect(),
    )
}

/// ((`path:line`, function), tests that stopped at its `todo!()`).
type TodoRows = Vec<((String, String), usize)>;

/// Sorts `path:line` by path, then by line as a number.
fn location_sort_key(location: &str) -> (String, usize) {
    match location.rsplit_once(':') {
        Some((path, line)) => (path.to_string(), line.parse().unwrap_or(0)),
        None => (location.to_string(), 0),
    }
}
