//! `grade --pristine`: the suites from a copy the learner cannot edit (a git ref or a
//! folder), and every file of the learner's `tests/` that differs from it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use super::results::{KataReport, KataStatus, PristineReport};
use crate::engine::repo::Repo;

/// Maintainers' known-wrong and known-right implementations (mutants, wheats): never
/// part of a suite, so never compared.
const ANSWER_DIRS: [&str; 2] = ["mutants", "wheats"];
const MISSING_KATA: &str = "the pristine tests/ has a suite for this kata, but exercises/ \
     has no such kata (it counts as 0%)";

/// Where the suites come from when grading against a pristine copy.
pub(super) struct Pristine {
    pub(super) source: String,
    /// The pristine `tests/` folder.
    pub(super) tests: PathBuf,
}

/// Finds (or extracts) the pristine `tests/` folder.
pub(super) fn prepare(repo: &Repo, source: &str) -> Result<Pristine> {
    let as_dir = Path::new(source);
    if as_dir.is_dir() {
        let dir = std::path::absolute(as_dir)
            .with_context(|| format!("resolving the folder {source}"))?;
        // A repository (or export) root holds tests/; otherwise it is tests/ itself.
        let tests = if dir.join("tests").is_dir() {
            dir.join("tests")
        } else {
            dir
        };
        return Ok(Pristine {
            source: source.to_string(),
            tests,
        });
    }
    // A commit (or branch, tag) holds tests/; a tree is tests/ itself: the id the
    // exported workflow is given (`SUITES_TREE`), which names the suites' content.
    let resolve = |kind: &str| -> Result<Option<String>> {
        Ok(git_output(
            &repo.root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{source}^{{{kind}}}"),
            ],
        )?
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty()))
    };
    let (id, is_tree) = match resolve("commit")? {
        Some(commit) => (commit, false),
        None => (
            resolve("tree")?.with_context(|| {
                format!(
                    "--pristine {source}: there is no such folder, and git knows no such \
                     commit, branch or tree in {}",
                    repo.root.display()
                )
            })?,
            true,
        ),
    };
    // In the target folder cargo uses (CARGO_TARGET_DIR and config included), which
    // is writable even when the checkout is not.
    let dest = crate::engine::compile::target_dir(&repo.root)
        .join("xtask")
        .join("pristine")
        .join(&id);
    if dest.exists() {
        fs::remove_dir_all(&dest).with_context(|| format!("clearing {}", dest.display()))?;
    }
    fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
    extract_tests(&repo.root, &id, is_tree, &dest)
        .with_context(|| format!("extracting tests/ of {source} ({id})"))?;
    let tests = dest.join("tests");
    if !tests.is_dir() {
        bail!("--pristine {source}: commit {id} has no tests/ folder");
    }
    Ok(Pristine {
        source: source.to_string(),
        tests,
    })
}

/// `git archive <commit> tests | tar -x -C <dest>`, or for a tree (tests/ itself)
/// `git archive --prefix=tests/ <tree>`.
fn extract_tests(root: &Path, id: &str, is_tree: bool, dest: &Path) -> Result<()> {
    let mut git = Command::new("git");
    git.current_dir(root).args(["archive", "--format=tar"]);
    if is_tree {
        git.args(["--prefix=tests/", id]);
    } else {
        git.args([id, "tests"]);
    }
    let mut archive = git
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context(GIT_NOT_RUN)?;
    let tar_input = archive.stdout.take().context("reading git archive")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(tar_input)
        .stderr(Stdio::piped())
        .output()
        .context("running tar to unpack git archive's output (is tar installed?)")?;
    let archive = archive
        .wait_with_output()
        .context("waiting for git archive")?;
    if !archive.status.success() {
        bail!(
            "git archive failed: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        );
    }
    if !tar.status.success() {
        bail!(
            "tar failed: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        );
    }
    Ok(())
}

/// git's stdout when it succeeds, `None` when it ran and failed; an error when git
/// could not be run at all (not installed, not on PATH), which is not the same as a
/// commit that does not exist.
pub(super) fn git_output(root: &Path, args: &[&str]) -> Result<Option<String>> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context(GIT_NOT_RUN)?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
}

const GIT_NOT_RUN: &str = "git could not be run (is it installed and on PATH?); \
     --pristine with a git ref needs it (a folder does not)";

/// Every file of the learner's tests/ that differs from, is missing in, or was added to
/// the pristine copy (tests/mutants/ and tests/wheats/ left out: maintainers' files, never graded).
pub(super) fn compare_tests(learner: &Path, pristine: &Pristine) -> Result<PristineReport> {
    let ours = list_files(learner)?;
    let theirs = list_files(&pristine.tests)?;
    let mut report = PristineReport {
        source: pristine.source.clone(),
        unchanged: true,
        changed: Vec::new(),
        missing: Vec::new(),
        added: Vec::new(),
    };
    for (relative, path) in &theirs {
        let shown = format!("tests/{relative}");
        match ours.get(relative) {
            None => report.missing.push(shown),
            Some(learner_path) => {
                let same = fs::read(path).with_context(|| format!("reading {}", path.display()))?
                    == fs::read(learner_path)
                        .with_context(|| format!("reading {}", learner_path.display()))?;
                if !same {
                    report.changed.push(shown);
                }
            }
        }
    }
    let theirs_names: BTreeSet<&String> = theirs.keys().collect();
    report.added = ours
        .keys()
        .filter(|k| !theirs_names.contains(k))
        .map(|k| format!("tests/{k}"))
        .collect();
    report.unchanged =
        report.changed.is_empty() && report.missing.is_empty() && report.added.is_empty();
    Ok(report)
}

/// The files under `dir` by their `/`-separated path relative to it, sorted.
fn list_files(dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, "", &mut files)?;
    }
    Ok(files)
}

fn walk(dir: &Path, prefix: &str, files: &mut BTreeMap<String, PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        let path = entry.path();
        if path.is_dir() {
            if ANSWER_DIRS.contains(&relative.as_str()) {
                continue;
            }
            walk(&path, &format!("{relative}/"), files)?;
        } else {
            files.insert(relative, path);
        }
    }
    Ok(())
}

/// Katas whose suite is in the pristine tests/ but which exercises/ lacks.
/// The katas the pristine `tests/` has a suite for (`tests/<kata>.rs`), sorted.
pub(super) fn suite_names(pristine_tests: &Path) -> Result<Vec<String>> {
    Ok(list_files(pristine_tests)?
        .into_keys()
        .filter_map(|relative| relative.strip_suffix(".rs").map(String::from))
        .filter(|name| !name.contains('/'))
        .collect())
}

pub(super) fn missing_katas(repo: &Repo, pristine_tests: &Path) -> Result<Vec<KataReport>> {
    let known: BTreeSet<&str> = repo.katas.iter().map(|k| k.name.as_str()).collect();
    let mut missing = Vec::new();
    for (relative, _) in list_files(pristine_tests)? {
        let Some(name) = relative.strip_suffix(".rs") else {
            continue;
        };
        if name.contains('/') || known.contains(name) {
            continue;
        }
        eprintln!("grade: {name}: missing from exercises/");
        missing.push(KataReport {
            name: name.to_string(),
            order: None,
            topic: String::new(),
            chinese: String::new(),
            status: KataStatus::Missing,
            score: 0.0,
            passed: 0,
            total: 0,
            seconds: 0.0,
            diagnostics: vec![MISSING_KATA.to_string()],
            reaches: Vec::new(),
            withheld: false,
            tests: Vec::new(),
            todos: Vec::new(),
            learner_tests: None,
        });
    }
    Ok(missing)
}
