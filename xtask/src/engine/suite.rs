//! Grading one subject against its suite: build, list, run, and summarize.

use std::path::Path;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::engine::compile::{self, Build, Subject};
use crate::engine::repo::Kata;
use crate::engine::run::{self, Outcome, RunPlan, Stop, TestRun};

/// What grading one subject produced.
pub enum Graded {
    /// The crate or its suite did not compile; rustc's rendered errors.
    DoesNotCompile { diagnostics: Vec<String> },
    /// Every test's run (all of them, or those that ran before the plan's [`Stop`]).
    Ran {
        runs: Vec<TestRun>,
        total: usize,
        warnings: Vec<String>,
    },
}

impl Graded {
    /// Tests that passed, and tests in the suite (0 of 0 when nothing compiled).
    pub fn score(&self) -> (usize, usize) {
        match self {
            Graded::DoesNotCompile { .. } => (0, 0),
            Graded::Ran { runs, total, .. } => (
                runs.iter().filter(|r| r.outcome == Outcome::Pass).count(),
                *total,
            ),
        }
    }

    /// True when it compiled and every test passed.
    pub fn all_pass(&self) -> bool {
        let (passed, total) = self.score();
        matches!(self, Graded::Ran { .. }) && passed == total
    }
}

/// Which tier of a kata's suite is built and run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// The suite as plain `cargo test` builds it: no feature.
    Ordinary,
    /// The kata's model tier (`model` in its metadata): built with its feature, and only
    /// the tests under its prefix run.
    Model,
}

/// Builds `subject`'s copy of the kata's suite and runs its tests. `for_learner`: a
/// learner's check, which shows cargo's progress and, on a terminal, a live status
/// line while the tests run. `stop`: when to stop before every test has run.
pub fn grade(
    root: &Path,
    kata: &Kata,
    subject: &Subject,
    tier: Tier,
    for_learner: bool,
    stop: Stop,
) -> Result<Graded> {
    let place = Place {
        repo_root: root,
        target_root: root,
        confine: None,
    };
    grade_in(&place, kata, subject, tier, for_learner, stop)
}

/// Where a subject is built and run: for `grade --submission`, a student's copy built
/// in the instructor's target folder, its tests confined to the copy.
pub struct Place<'a> {
    /// The tree the suite is read from (insta's snapshots are found against it).
    pub repo_root: &'a Path,
    /// The repository whose target folder cargo builds in.
    pub target_root: &'a Path,
    /// The folder confined tests may write beneath (see `run/confine.rs`).
    pub confine: Option<&'a Path>,
}

/// [`grade`], in a [`Place`].
pub fn grade_in(
    place: &Place,
    kata: &Kata,
    subject: &Subject,
    tier: Tier,
    for_learner: bool,
    stop: Stop,
) -> Result<Graded> {
    let model = match tier {
        Tier::Ordinary => None,
        Tier::Model => match &kata.model {
            Some(model) => Some(model),
            None => bail!(
                "{} has no model tier (no `model = {{ feature = ..., tests = ... }}` in its \
                 [package.metadata.kata])",
                kata.name
            ),
        },
    };
    // A build script is a learner's code too (outside `grade --submission`, which
    // builds with the instructor's manifests): what it leaves running is swept once
    // cargo is done.
    run::become_subreaper();
    let feature = model.map(|m| m.feature.as_str());
    let built = compile::build_suite(place.target_root, subject, &kata.name, feature, for_learner);
    run::sweep_strays();
    let (test_exe, warnings) = match built? {
        Build::Failed { diagnostics } => return Ok(Graded::DoesNotCompile { diagnostics }),
        Build::Ready { test_exe, warnings } => (test_exe, warnings),
    };
    // The runner's own files go in the target folder cargo chose, found from the test
    // binary it built (`<target>/debug/deps/<suite>-<hash>`): `<target>/xtask`.
    let scratch_dir = test_exe
        .ancestors()
        .nth(3)
        .map_or_else(|| compile::target_dir(place.target_root), Path::to_path_buf)
        .join("xtask");
    let title = kata.title();
    let plan = RunPlan {
        test_exe: &test_exe,
        crate_dir: &subject.crate_dir,
        repo_root: place.repo_root,
        scratch_dir: &scratch_dir,
        timeout: Duration::from_secs(kata.timeout_secs),
        memory_mib: kata.memory_mib,
        stop,
        status: (for_learner && crate::engine::style::live_stderr()).then_some(title.as_str()),
        confine: place.confine,
    };
    let (names, runs) = match model {
        // The whole suite: it starts while its tests are listed.
        None => run::run_suite(&plan)?,
        Some(model) => {
            // The feature may leave other tests compiled in; the tier is its own tests
            // only.
            let mut names = run::list_tests(&test_exe, place.confine)?;
            names.retain(|name| name.starts_with(&model.tests));
            let runs = run::run_tests(&plan, &names)?;
            (names, runs)
        }
    };
    Ok(Graded::Ran {
        runs,
        total: names.len(),
        warnings,
    })
}

/// The learner's crate.
pub fn exercise(kata: &Kata) -> Subject {
    Subject {
        package: kata.exercise_package(),
        manifest: None,
        crate_dir: kata.exercise_dir(),
        _lock: None,
    }
}

/// The reference crate.
pub fn solution(kata: &Kata) -> Subject {
    Subject {
        package: kata.solution_package(),
        manifest: None,
        crate_dir: kata.solution_dir(),
        _lock: None,
    }
}
