//! `cargo xtask reset <kata>`: restore the stub.
//!
//! The stub is taken from git: by default the newest committed version that is still a
//! whole stub (as many `todo!()` calls as the course last set it with: the course's
//! stub with its maintainers' later fixes, never a learner's committed work), or from the
//! commit `--from` names. The learner is asked first when their file differs from it;
//! the file is replaced atomically (a temporary file renamed over it), and the kata's
//! score and hints seen are forgotten (`list` shows it as not checked since).

use std::fs;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches};

use crate::engine::lang::t;
use crate::engine::repo::Repo;
use crate::engine::style::Style;
use crate::learner::progress::Progress;

/// The `reset` subcommand and its options.
pub fn command() -> clap::Command {
    clap::Command::new("reset")
        .about("Restore a kata's stub (asks first when your file differs from it)")
        .arg(
            Arg::new("kata")
                .value_name("KATA")
                .required(true)
                .help("The kata"),
        )
        .arg(
            Arg::new("yes")
                .long("yes")
                .action(ArgAction::SetTrue)
                .help("Do not ask"),
        )
        .arg(Arg::new("from").long("from").value_name("GIT_REF").help(
            "Take the stub from this git commit or branch instead of the \
             newest commit whose file is still a whole stub",
        ))
}

pub fn run(repo: &Repo, m: &ArgMatches, _: Style) -> Result<bool> {
    let name = m.get_one::<String>("kata").expect("clap requires the kata");
    let from = m.get_one::<String>("from").map(String::as_str);
    reset(repo, name, m.get_flag("yes"), from)
}

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
            println!("{}", t!("reset-already-stub", file = relative));
        }
        Some(current) => {
            let (added, removed) = line_changes(
                &String::from_utf8_lossy(&stub),
                &String::from_utf8_lossy(current),
            );
            println!("{}", describe_changes(&relative, added, removed));
            if !yes {
                match ask(&format!("{} ", t!("reset-question", file = relative)))? {
                    Answer::Yes => {}
                    Answer::No => {
                        println!("{}", t!("reset-kept"));
                        return Ok(false);
                    }
                    Answer::Eof => {
                        println!("\n{}", t!("reset-kept-at-eof"));
                        return Ok(false);
                    }
                }
            }
            write_atomically(&path, &stub)?;
            println!("{}", t!("reset-restored", file = relative));
        }
        None => {
            write_atomically(&path, &stub)?;
            println!("{}", t!("reset-restored", file = relative));
        }
    }
    forget_score(&repo.root, &kata.name)?;
    println!("{}", t!("reset-next", name = kata.name));
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
        bail!(t!("reset-not-git"));
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
                None => bail!(t!("reset-no-such-commit", reference = reference)),
            }
        }
        None => {
            // In a shallow clone the oldest commit git has may already hold the
            // learner's solution, which would be "restored" as the stub.
            let shallow = git(root, &["rev-parse", "--is-shallow-repository"])?
                .is_some_and(|out| out.starts_with(b"true"));
            if shallow {
                bail!(t!("reset-shallow"));
            }
            let log = git(
                root,
                &["log", "--diff-filter=A", "--format=%H", "--", relative],
            )?
            .unwrap_or_default();
            let log = String::from_utf8_lossy(&log);
            match log.lines().map(str::trim).rfind(|l| !l.is_empty()) {
                Some(added) => latest_stub(root, relative, added)?,
                None => bail!(t!("reset-never-committed", file = relative)),
            }
        }
    };
    // `./` makes the path relative to the repository root even when git's top level is
    // further up (the course inside a bigger repository).
    let spec = format!("{commit}:./{relative}");
    match git(root, &["cat-file", "--filters", &spec])? {
        Some(bytes) => Ok(bytes),
        None => bail!(t!(
            "reset-commit-lacks-file",
            commit = &commit[..commit.len().min(12)],
            file = relative
        )),
    }
}

/// The newest commit whose `relative` is still a whole stub: as many `todo!()` calls as
/// the stub the course last set, or more. The course sets a stub when it adds the file,
/// and again whenever one commit changes the stub together with the kata's reference or
/// suite (a maintainer reshaping the kata, as when a kata is split and its stub loses
/// functions); a learner's commits only fill stubs in (fewer `todo!()`s, and neither
/// reference nor suite touched), so their work is never taken for the stub.
fn latest_stub(root: &Path, relative: &str, added: &str) -> Result<String> {
    let todos = |commit: &str| -> Result<usize> {
        let spec = format!("{commit}:./{relative}");
        let text = git(root, &["cat-file", "blob", &spec])?.unwrap_or_default();
        Ok(crate::engine::source::scan(&String::from_utf8_lossy(&text))
            .map_or(0, |s| s.todos.len()))
    };
    let commits = |paths: &[&str]| -> Result<Vec<String>> {
        let mut args = vec!["log", "--format=%H", "--"];
        args.extend_from_slice(paths);
        let log = git(root, &args)?.unwrap_or_default();
        Ok(String::from_utf8_lossy(&log)
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect())
    };
    let stub_commits = commits(&[relative])?;
    // exercises/<kata>/src/lib.rs: the kata's reference and suite.
    let kata = relative.split('/').nth(1).unwrap_or_default();
    let reshaped = commits(&[&format!("solutions/{kata}"), &format!("tests/{kata}.rs")])?;
    let set_by_course = stub_commits
        .iter()
        .find(|commit| reshaped.contains(commit))
        .map_or(added, String::as_str);
    let whole = todos(set_by_course)?;
    for commit in &stub_commits {
        if todos(commit)? >= whole {
            return Ok(commit.clone());
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
        .with_context(|| t!("reset-running-git"))?;
    Ok(out.status.success().then_some(out.stdout))
}

fn describe_changes(relative: &str, added: usize, removed: usize) -> String {
    if added == 1 {
        t!("reset-differs-one", file = relative, removed = removed)
    } else {
        t!(
            "reset-differs",
            file = relative,
            added = added,
            removed = removed
        )
    }
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
    Ok(if ["y", "yes", "是", "好"].contains(&answer.as_str()) {
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

/// The kata starts over: its last score no longer describes its file, and its hints
/// are new again. `list` shows it as not checked since.
fn forget_score(root: &Path, name: &str) -> Result<()> {
    let mut progress = Progress::load(root);
    if progress.katas.remove(name).is_none() {
        return Ok(());
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
