//! `cargo xtask export --student <dir>`: a repository for a class.
//!
//! It holds the stubs (`exercises/`), the suites (`tests/` without `tests/mutants/` and
//! `tests/wheats/`),
//! the runner (`xtask/` without its own tests, which need the solutions), the workspace
//! files (`Cargo.toml` with its members fixed to what exists, `Cargo.lock`, `.cargo/`,
//! `.gitignore`), a short README for students and a GitHub Actions workflow that grades
//! every push. No `solutions/`. The folder is not made a git repository: the instructor
//! decides where its history starts. The workflow takes the suites from git's object
//! id of the exported `tests/`, baked into it here ([`suites_tree`]): whatever a
//! student's history holds, that id names the instructor's suites.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches, value_parser};
use toml::{Table, Value};

use crate::engine::compile::cargo;
use crate::engine::lang::t;
use crate::engine::repo::Repo;
use crate::engine::style::Style;

const WORKFLOW: &str = include_str!("../../templates/grade.yml");
/// The workflow's variable that holds the suites' tree id, as the template has it.
const SUITES_TREE_KEY: &str = "SUITES_TREE: ";
const STUDENT_README: &str = include_str!("../../templates/student-README.md");
const NOT_EMPTY: &str = "is not empty; export writes only into a new or empty folder";

/// What is copied, from the repository root: (path, what to leave out of it).
const COPIED: &[(&str, &[&str])] = &[
    (".cargo", &[]),
    ("Cargo.lock", &[]),
    (".gitignore", &[]),
    ("exercises", &["target"]),
    // The mutants and the wheats are answers (known-wrong and known-right references).
    ("tests", &["mutants", "wheats"]),
    ("xtask", &["tests", "target"]),
];

/// File names never copied: insta's pending snapshots, editors' leftovers.
fn skipped_file(name: &str) -> bool {
    name.ends_with(".snap.new")
        || name.ends_with(".pending-snap")
        || name.ends_with('~')
        || name == ".DS_Store"
}

/// The `export` subcommand and its options.
pub fn command() -> clap::Command {
    clap::Command::new("export")
        .about("Write a repository for a class: stubs, suites, runner; no solutions, no mutants")
        .arg(
            Arg::new("student")
                .long("student")
                .value_name("DIR")
                .required(true)
                .value_parser(value_parser!(PathBuf))
                .help("The folder to create"),
        )
        .arg(
            Arg::new("working-tree")
                .long("working-tree")
                .action(ArgAction::SetTrue)
                .help(
                    "Export the stubs as they are in the working tree, even when they differ \
                     from what git has committed or have no todo!() left",
                ),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, _: Style) -> Result<bool> {
    let student = m
        .get_one::<PathBuf>("student")
        .expect("clap requires --student");
    export(repo, student, m.get_flag("working-tree"))
}

/// Writes the class repository. Each kata's stub is exported as committed in git;
/// a stub that differs from its committed version, or that has no `todo!()` left
/// (a solution committed in its place), is refused by name unless `working_tree`.
pub fn export(repo: &Repo, dir: &Path, working_tree: bool) -> Result<bool> {
    let dest = std::path::absolute(dir).with_context(|| format!("resolving {}", dir.display()))?;
    if dest.exists() {
        if !dest.is_dir() {
            bail!("{} exists and is not a folder", dest.display());
        }
        let mut entries =
            fs::read_dir(&dest).with_context(|| format!("reading {}", dest.display()))?;
        if entries.next().is_some() {
            bail!("{} {NOT_EMPTY}", dest.display());
        }
    }
    refuse_inside_sources(repo, &dest)?;
    if !working_tree {
        refuse_solved_stubs(repo)?;
    }
    fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;

    for (path, skipped) in COPIED {
        let from = repo.root.join(path);
        if from.is_dir() {
            copy_tree(&from, &dest.join(path), skipped)?;
        } else if from.is_file() {
            fs::copy(&from, dest.join(path))
                .with_context(|| format!("copying {}", from.display()))?;
        }
    }
    let manifest = workspace_manifest(&repo.root.join("Cargo.toml"), &dest)?;
    write(&dest.join("Cargo.toml"), &manifest)?;
    write(&dest.join("README.md"), STUDENT_README)?;
    let tree = suites_tree(&dest);
    let workflow = match &tree {
        Ok(id) => WORKFLOW.replacen(
            &format!("{SUITES_TREE_KEY}\"\""),
            &format!("{SUITES_TREE_KEY}\"{id}\""),
            1,
        ),
        Err(_) => WORKFLOW.to_string(),
    };
    write(
        &dest.join(".github").join("workflows").join("grade.yml"),
        &workflow,
    )?;
    let lock_refreshed = refresh_lock(&dest);

    println!(
        "{}",
        t!(
            "export-wrote",
            dest = dest.display(),
            count = repo.katas.len(),
            katas = repo.kata_names().join(", ")
        )
    );
    if !lock_refreshed {
        println!("{}", t!("export-lock-not-refreshed"));
    }
    if let Err(why) = &tree {
        println!("{}", t!("export-no-suites-tree", why = why));
    }
    println!(
        "{}",
        t!(
            "export-publish",
            dest = shell_quote(&dest.display().to_string())
        )
    );
    Ok(true)
}

/// Refuses when a stub is not what git has committed (a solved kata in the working
/// tree), or has no `todo!()` left (a solution committed as the stub), naming them.
fn refuse_solved_stubs(repo: &Repo) -> Result<()> {
    let mut problems = Vec::new();
    for kata in &repo.katas {
        let relative = format!("exercises/{}/src/lib.rs", kata.name);
        let path = repo.root.join(&relative);
        let current = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        // Without git (an export of an export) only the todo!() test can tell.
        if let Some(committed) = committed(repo, &relative)?
            && committed != current
        {
            problems.push(t!("export-stub-differs", file = &relative));
            continue;
        }
        let todos = crate::engine::source::scan(&String::from_utf8_lossy(&current))
            .map_or(0, |scan| scan.todos.len());
        if todos == 0 {
            problems.push(t!("export-stub-solved", file = &relative));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    bail!(t!("export-refused", problems = problems.join("\n  ")))
}

/// The file as committed at HEAD; `None` when this is not a git checkout (or git is
/// missing), so there is nothing committed to compare with.
fn committed(repo: &Repo, relative: &str) -> Result<Option<Vec<u8>>> {
    let inside = Command::new("git")
        .current_dir(&repo.root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.starts_with(b"true"));
    if !inside {
        return Ok(None);
    }
    crate::learner::reset::stub_text(&repo.root, relative, Some("HEAD")).map(Some)
}

/// git's object id of `dest/tests` (a tree): what git will record for the folder when
/// the export is committed, as `.gitignore` leaves it, whatever the commit. Computed in
/// a throwaway repository, so the export is not made one.
fn suites_tree(dest: &Path) -> Result<String, String> {
    let scratch = std::env::temp_dir().join(format!(
        "xtask-export-tree-{}-{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let git = |args: &[&str]| -> Result<String, String> {
        let output = Command::new("git")
            .arg("--git-dir")
            .arg(scratch.join("git"))
            .arg("--work-tree")
            .arg(dest)
            .args(args)
            .current_dir(dest)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("git could not be run: {e}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    fs::create_dir_all(&scratch).map_err(|e| format!("creating {}: {e}", scratch.display()))?;
    let id = git(&["init", "--quiet"])
        .and_then(|_| git(&["add", "--all", "--", "tests"]))
        .and_then(|_| git(&["write-tree", "--prefix=tests/"]));
    let _ = fs::remove_dir_all(&scratch);
    id
}

/// `text` quoted for a POSIX shell when it needs quoting (spaces, quotes, `$`...).
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Copying into a folder that is itself being copied would never end.
fn refuse_inside_sources(repo: &Repo, dest: &Path) -> Result<()> {
    let root = fs::canonicalize(&repo.root)
        .with_context(|| format!("resolving {}", repo.root.display()))?;
    let dest = canonical_prefix(dest)?;
    if dest == root {
        bail!("export writes a new repository; give it a folder outside this one");
    }
    for (path, _) in COPIED {
        if dest.starts_with(root.join(path)) {
            bail!(
                "{} is inside {path}/, which export copies; choose a folder elsewhere",
                dest.display()
            );
        }
    }
    Ok(())
}

/// `path` with its longest existing ancestor resolved (symlinks included).
fn canonical_prefix(path: &Path) -> Result<PathBuf> {
    let mut rest = Vec::new();
    let mut existing = path;
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved =
        fs::canonicalize(existing).with_context(|| format!("resolving {}", existing.display()))?;
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

fn copy_tree(from: &Path, to: &Path, skipped: &[&str]) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        let path = entry.path();
        if path.is_dir() {
            if skipped.contains(&name_text.as_ref()) {
                continue;
            }
            // Only the top level has exceptions (tests/mutants, tests/wheats, xtask/tests).
            copy_tree(&path, &to.join(&name), &[])?;
        } else if !skipped_file(&name_text) {
            fs::copy(&path, to.join(&name))
                .with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The root manifest with `[workspace] members` keeping only what exists in `dest`
/// (`solutions/*` goes). The text is edited in place so its comments survive; should
/// that not give the intended members, the manifest is written anew from its parsed
/// form.
fn workspace_manifest(path: &Path, dest: &Path) -> Result<String> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut manifest: Table = text
        .parse::<Table>()
        .with_context(|| format!("parsing {}", path.display()))?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .context("the root Cargo.toml has no [workspace] table")?;
    let members: Vec<String> = workspace
        .get("members")
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let kept: Vec<String> = members
        .into_iter()
        .filter(|m| member_exists(dest, m))
        .collect();
    let array = format!(
        "[{}]",
        kept.iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(edited) = replace_members(&text, &array)
        && edited
            .parse::<Table>()
            .ok()
            .and_then(|t| {
                t.get("workspace")?
                    .get("members")?
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).eq(kept.iter()))
            })
            .unwrap_or(false)
    {
        return Ok(edited);
    }
    workspace.insert(
        "members".into(),
        Value::Array(kept.into_iter().map(Value::String).collect()),
    );
    Ok(manifest.to_string())
}

/// A member path or glob (`exercises/*`) exists when its part before the first glob
/// character names a folder in `dest`.
fn member_exists(dest: &Path, member: &str) -> bool {
    let fixed: PathBuf = Path::new(member)
        .components()
        .take_while(|c| match c {
            Component::Normal(part) => !part.to_string_lossy().contains(['*', '?', '[']),
            _ => true,
        })
        .collect();
    dest.join(fixed).is_dir()
}

/// The text with the value of `members = [...]` (in `[workspace]`) replaced.
fn replace_members(text: &str, array: &str) -> Option<String> {
    let section = text.find("[workspace]")?;
    let key = section + text[section..].find("\nmembers")? + 1;
    let open = key + text[key..].find('[')?;
    let close = open + text[open..].find(']')?;
    Some(format!("{}{array}{}", &text[..open], &text[close + 1..]))
}

/// Drops the reference crates from Cargo.lock (`cargo metadata` rewrites it; offline,
/// since every package it needs is already known). Where cargo cannot (a package not in
/// this machine's cache), their `[[package]]` entries are taken out of the file: no
/// other package depends on a reference crate. False only when the file still lists
/// one afterwards.
fn refresh_lock(dest: &Path) -> bool {
    let _ = Command::new(cargo())
        .current_dir(dest)
        .args(["metadata", "--format-version", "1", "--offline"])
        .arg("--manifest-path")
        .arg(dest.join("Cargo.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let path = dest.join("Cargo.lock");
    let Ok(text) = fs::read_to_string(&path) else {
        return true; // No lock file: cargo writes one on the first build.
    };
    let pruned = without_references(&text);
    (pruned == text || fs::write(&path, &pruned).is_ok()) && !lists_references(&pruned)
}

/// Cargo.lock's text without the `[[package]]` entries of reference crates
/// (`<kata>-solution`, path packages: no `source`).
fn without_references(lock: &str) -> String {
    let mut parts = lock.split("\n[[package]]\n");
    let mut out = parts.next().unwrap_or("").to_string();
    for entry in parts {
        let reference = entry
            .lines()
            .any(|l| l.starts_with("name = \"") && l.ends_with("-solution\""))
            && !entry.lines().any(|l| l.starts_with("source = "));
        if !reference {
            out.push_str("\n[[package]]\n");
            out.push_str(entry);
        }
    }
    if lock.ends_with('\n') && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn lists_references(lock: &str) -> bool {
    lock.lines()
        .any(|l| l.starts_with("name = \"") && l.ends_with("-solution\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_only_the_reference_crates_from_the_lock() {
        let lock = "version = 4\n\n[[package]]\nname = \"sort\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"sort-solution\"\nversion = \"0.1.0\"\ndependencies = [\n \"proptest\",\n]\n\n[[package]]\nname = \"proptest\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let pruned = without_references(lock);
        assert!(!lists_references(&pruned), "{pruned}");
        assert_eq!(
            pruned,
            "version = 4\n\n[[package]]\nname = \"sort\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"proptest\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        );
    }

    #[test]
    fn quotes_paths_for_the_shell() {
        assert_eq!(shell_quote("/tmp/class"), "/tmp/class");
        assert_eq!(shell_quote("/tmp/my class"), "'/tmp/my class'");
        assert_eq!(shell_quote("/tmp/it's"), "'/tmp/it'\\''s'");
    }

    #[test]
    fn replaces_only_the_members_value() {
        let text = "[workspace]\nresolver = \"3\"\n# comment\nmembers = [\"exercises/*\", \"solutions/*\", \"xtask\"]\n\n[workspace.package]\nedition = \"2024\"\n";
        assert_eq!(
            replace_members(text, "[\"exercises/*\", \"xtask\"]").as_deref(),
            Some(
                "[workspace]\nresolver = \"3\"\n# comment\nmembers = [\"exercises/*\", \"xtask\"]\n\n[workspace.package]\nedition = \"2024\"\n"
            )
        );
    }
}
