//! `cargo xtask reset <kata>`: restore the stub.
//!
//! The stub is taken from git: by default the newest committed version that is still a
//! whole stub (as many `todo!()` calls as when the file was added: the course's stub
//! with its maintainers' later fixes, never a learner's committed work), or from the
//! commit `--from` names. The learner is asked first when their file differs from it;
//! the file is replaced atomically (a temporary file renamed over it), and the kata's
//! score is forgotten (its hints shown are kept).

use std::fs;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::progress::Progress;
use crate::repo::Repo;

const NOT_A_GIT_CHECKOUT: &str = "reset takes the stub from git history, but this repository \
     is not a git checkout (or git is not installed). Copy the file from the course's \
     repository by hand instead.";
const RUNNING_GIT: &str = "running git (is it installed and on PATH?)";
const QUESTION_TAIL: &str = "to the stub? Your changes will be lost [y/N] ";
const KEPT: &str = "Kept your file as it is.";
const KEPT_AT_EOF: &str =
    "No answer (standard input is closed): kept your file as it is. `--yes` resets without asking.";
const ALREADY_THE_STUB: &str = "is already the stub.";
const RESTORED: &str = "was restored to the stub.";
const NEXT: &str = "Next: cargo xtask check";

/// Restores the kata's `src/lib.rs`. `Ok(false)` when the learner kept their file.
pub fn reset(repo: &Repo, name: &str, yes: bool, from: Option<&str>) -> Result<bool> {
    let kata = repo.kata(name)?;
    let relative = format!("exercises/{}/src/lib.rs", kata.name);
    let path = repo.root.join(&relative);
    ensure_git_checkout(&repo.root)?;
    let stub = stub_text(&repo.root, &relative, from)?;

    let current = match fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    };
    match &current {
        Some(current) if *current == stub => {
            println!("{relative} {ALREADY_THE_STUB}");
        }
        Some(current) => {
            let (added, removed) = line_changes(
                &String::from_utf8_lossy(&stub),
                &String::from_utf8_lossy(current),
            );
            println!("{}", describe_changes(&relative, added, removed));
            if !yes {
                match ask(&format!("Reset {relative} {QUESTION_TAIL}"))? {
                    Answer::Yes => {}
                    Answer::No => {
                        println!("{KEPT}");
                        return Ok(false);
                    }
                    Answer::Eof => {
                        println!("\n{KEPT_AT_EOF}");
                        return Ok(false);
                    }
                }
            }
            write_atomically(&path, &stub)?;
            println!("{relative} {RESTORED}");
        }
        None => {
            write_atomically(&path, &stub)?;
            println!("{relative} {RESTORED}");
        }
    }
    forget_score(&repo.root, &kata.name)?;
    println!("{NEXT} {}", kata.name);
    Ok(true)
}

fn ensure_git_checkout(root: &Path) -> Result<()> {
    let inside = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.starts_with(b"true"));
    if !inside {
        bail!(NOT_A_GIT_CHECKOUT);
    }
    Ok(())
}

/// The stub's bytes, as `git checkout` would write them (eol and filters applied).
pub(crate) fn stub_text(root: &Path, relative: &str, from: Option<&str>) -> Result<Vec<u8>> {
    let commit = match from {
        Some(reference) => {
            let verified = git(
                root,
                &[
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    &format!("{reference}^{{commit}}"),
                ],
            )?;
            match verified {
                Some(out) => String::from_utf8_lossy(&out).trim().to_string(),
                None => bail!("`{reference}` is not a commit or branch of this repository"),
            }
        }
        None => {
            // In a shallow clone the oldest commit git has may already hold the
            // learner's solution, which would be "restored" as the stub.
            let shallow = git(root, &["rev-parse", "--is-shallow-repository"])?
                .is_some_and(|out| out.starts_with(b"true"));
            if shallow {
                bail!(
                    "this clone is shallow (made with `git clone --depth`), so git may not have \
                     the commit that added the stub, and could give back your own code instead. \
                     Fetch the whole history first: git fetch --unshallow \
                     (or name the commit to take the stub from: --from <commit>)"
                );
            }
            let log = git(
                root,
                &["log", "--diff-filter=A", "--format=%H", "--", relative],
            )?
            .unwrap_or_default();
            let log = String::from_utf8_lossy(&log);
            match log.lines().map(str::trim).rfind(|l| !l.is_empty()) {
                Some(added) => latest_stub(root, relative, added)?,
                None => bail!(
                    "{relative} was never committed, so git has no stub to restore. \
                     `--from <commit>` takes it from a commit that has it."
                ),
            }
        }
    };
    // `./` makes the path relative to the repository root even when git's top level is
    // further up (the course inside a bigger repository).
    let spec = format!("{commit}:./{relative}");
    match git(root, &["cat-file", "--filters", &spec])? {
        Some(bytes) => Ok(bytes),
        None => bail!(
            "commit {} has no {relative}",
            &commit[..commit.len().min(12)]
        ),
    }
}

/// The newest commit whose `relative` is still a whole stub: as many `todo!()` calls as
/// when the file was `added`, or more. The course's maintainers improve stubs after
/// adding them (those commits keep every `todo!()`); a learner's commits fill them in
/// (fewer `todo!()`s), so their work is never taken for the stub.
fn latest_stub(root: &Path, relative: &str, added: &str) -> Result<String> {
    let todos = |commit: &str| -> Result<usize> {
        let spec = format!("{commit}:./{relative}");
        let text = git(root, &["cat-file", "blob", &spec])?.unwrap_or_default();
        Ok(crate::source::scan(&String::from_utf8_lossy(&text)).map_or(0, |s| s.todos.len()))
    };
    let at_start = todos(added)?;
    let log = git(root, &["log", "--format=%H", "--", relative])?.unwrap_or_default();
    for commit in String::from_utf8_lossy(&log).lines().map(str::trim) {
        if !commit.is_empty() && todos(commit)? >= at_start {
            return Ok(commit.to_string());
        }
    }
    Ok(added.to_string())
}

/// Runs git in `root`: its stdout when it succeeds, `None` when it fails.
fn git(root: &Path, args: &[&str]) -> Result<Option<Vec<u8>>> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context(RUNNING_GIT)?;
    Ok(out.status.success().then_some(out.stdout))
}

fn describe_changes(relative: &str, added: usize, removed: usize) -> String {
    let lines = if added == 1 { "line" } else { "lines" };
    format!("{relative} differs from the stub: {added} {lines} added, {removed} removed.")
}

/// Lines only in `new` and lines only in `old`, by a longest common subsequence
/// (files past a few thousand lines are compared line by line instead).
fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len().saturating_mul(b.len()) > 16_000_000 {
        let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        return (b.len() - same, a.len() - same);
    }
    // lcs[j] for the current row: common lines of a[i..] and b[j..].
    let mut next = vec![0usize; b.len() + 1];
    for i in (0..a.len()).rev() {
        let mut row = vec![0usize; b.len() + 1];
        for j in (0..b.len()).rev() {
            row[j] = if a[i] == b[j] {
                next[j + 1] + 1
            } else {
                next[j].max(row[j + 1])
            };
        }
        next = row;
    }
    let common = next[0];
    (b.len() - common, a.len() - common)
}

enum Answer {
    Yes,
    No,
    Eof,
}

fn ask(question: &str) -> Result<Answer> {
    print!("{question}");
    std::io::stdout().flush().context("writing the question")?;
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the answer")?;
    if read == 0 {
        return Ok(Answer::Eof);
    }
    let answer = line.trim().to_ascii_lowercase();
    Ok(if answer == "y" || answer == "yes" {
        Answer::Yes
    } else {
        Answer::No
    })
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, so an
/// interrupted reset leaves either the old file or the stub, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no folder", path.display()))?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let temp = path.with_extension(format!("rs.{}.reset-tmp", std::process::id()));
    let result = fs::write(&temp, bytes)
        .with_context(|| format!("writing {}", temp.display()))
        .and_then(|()| {
            fs::rename(&temp, path).with_context(|| format!("replacing {}", path.display()))
        });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// The kata's last score no longer describes its file; the hints shown still count.
fn forget_score(root: &Path, name: &str) -> Result<()> {
    let mut progress = Progress::load(root);
    let Some(entry) = progress.katas.get_mut(name) else {
        return Ok(());
    };
    entry.passed = 0;
    entry.total = 0;
    entry.compile_error = false;
    if entry.hints_shown == 0 {
        // Nothing left worth keeping: `list` shows it as not checked yet.
        progress.katas.remove(name);
    }
    progress.save(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_changed_lines() {
        assert_eq!(line_changes("a\nb\nc\n", "a\nb\nc\n"), (0, 0));
        assert_eq!(line_changes("a\nb\nc\n", "a\nx\nc\n"), (1, 1));
        assert_eq!(line_changes("a\nc\n", "a\nb\nb2\nc\n"), (2, 0));
        assert_eq!(line_changes("a\nb\nc\n", ""), (0, 3));
    }
}
