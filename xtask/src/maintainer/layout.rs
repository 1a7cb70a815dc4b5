//! The repository's conventions, checked by `verify` so that a kata the runner cannot
//! see is an error rather than a kata that is silently never gated.
//!
//! Every folder in `exercises/` is a kata (its Cargo.toml has `[package.metadata.kata]`);
//! each has its reference in `solutions/` and its suite in `tests/`; orders are unique;
//! package, lib and test names follow the one-suite-two-subjects convention; the
//! kata's README has its sections and names every group of tests, every test group is
//! named by a hint's tag (in both READMEs), and its Chinese README.zh.md has the same
//! headings and hints.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use toml::{Table, Value};

use crate::engine::repo::{Kata, Repo};
use crate::learner::hints::{self, Hint};
use crate::learner::order::Order;

/// The sections of a kata's README, in order (CONTRIBUTING.md, "The README").
pub const README_SECTIONS: [&str; 5] = [
    "## The concepts",
    "## The API at a glance",
    "## What the tests check",
    "## Hints",
    "## Going further",
];

/// What is wrong with the repository's layout, one sentence each.
pub fn problems(repo: &Repo) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let kata_names: Vec<&str> = repo.kata_names();

    // Every folder of exercises/ must be a kata.
    for dir in folders(&repo.root.join("exercises"))? {
        let manifest = dir.join("Cargo.toml");
        let name = file_name(&dir);
        if !manifest.is_file() {
            problems.push(format!("exercises/{name} has no Cargo.toml"));
        } else if !kata_names.contains(&name.as_str()) {
            problems.push(format!(
                "exercises/{name} is not a kata: its Cargo.toml has no [package.metadata.kata] \
                 table (check the table's name), so no command sees it"
            ));
        }
    }
    // Every reference has its exercise.
    if repo.has_solutions() {
        for dir in folders(&repo.root.join("solutions"))? {
            let name = file_name(&dir);
            if !kata_names.contains(&name.as_str()) {
                problems.push(format!("solutions/{name} has no kata in exercises/{name}"));
            }
        }
    }
    // Orders are unique.
    let mut by_order: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for kata in &repo.katas {
        by_order.entry(kata.order).or_default().push(&kata.name);
    }
    for (order, names) in by_order.iter().filter(|(_, names)| names.len() > 1) {
        problems.push(format!(
            "katas {} share order = {order}; each kata has its own place in the course",
            names.join(", ")
        ));
    }
    for kata in &repo.katas {
        problems.extend(kata_problems(repo, kata)?);
    }
    Ok(problems)
}

/// One kata's manifests and files.
fn kata_problems(repo: &Repo, kata: &Kata) -> Result<Vec<String>> {
    let name = &kata.name;
    let mut problems = Vec::new();
    if !repo.root.join("tests").join(format!("{name}.rs")).is_file() {
        problems.push(format!("{name}: its suite tests/{name}.rs is missing"));
    }
    if !kata.readme_path().is_file() {
        problems.push(format!("{name}: exercises/{name}/README.md is missing"));
    }
    problems.extend(chinese_readme_problems(kata)?);
    problems.extend(given_files_differ(repo, kata)?);
    let mut crates = vec![("exercises", kata.exercise_package())];
    if repo.has_solutions() {
        if kata.solution_dir().join("Cargo.toml").is_file() {
            crates.push(("solutions", kata.solution_package()));
        } else {
            problems.push(format!(
                "{name}: its reference solutions/{name}/ is missing"
            ));
        }
    }
    for (folder, package) in crates {
        let path = repo.root.join(folder).join(name).join("Cargo.toml");
        let manifest = read_manifest(&path)?;
        let at = format!("{folder}/{name}/Cargo.toml");
        let text =
            |table: &Value, key: &str| table.get(key).and_then(Value::as_str).map(str::to_string);
        let package_name = manifest.get("package").and_then(|p| text(p, "name"));
        if package_name.as_deref() != Some(package.as_str()) {
            problems.push(format!("{at}: the package must be named `{package}`"));
        }
        let lib = manifest.get("lib");
        if lib.and_then(|l| text(l, "name")).as_deref() != Some(name.as_str()) {
            problems.push(format!(
                "{at}: [lib] name must be `{name}`, so the suite's `use {name}::...` binds to it"
            ));
        }
        if folder == "solutions"
            && lib.and_then(|l| l.get("doc")).and_then(Value::as_bool) != Some(false)
        {
            problems.push(format!(
                "{at}: [lib] needs `doc = false` (two libs named `{name}` collide in cargo doc)"
            ));
        }
        let suite_path = format!("../../tests/{name}.rs");
        let has_suite = manifest
            .get("test")
            .and_then(Value::as_array)
            .is_some_and(|tests| {
                tests.iter().any(|t| {
                    text(t, "name").as_deref() == Some(name.as_str())
                        && text(t, "path").as_deref() == Some(suite_path.as_str())
                })
            });
        if !has_suite {
            problems.push(format!(
                "{at}: needs [[test]] name = \"{name}\", path = \"{suite_path}\" (both crates \
                 share the suite and its snapshots)"
            ));
        }
    }
    Ok(problems)
}

/// Given code: a file other than `lib.rs` that both crates' `src/` hold (select_server's
/// `protocol.rs`) is the same code for the learner and the reference, so the two copies
/// must not drift apart.
fn given_files_differ(repo: &Repo, kata: &Kata) -> Result<Vec<String>> {
    let name = &kata.name;
    let stub_src = kata.exercise_dir().join("src");
    let reference_src = kata.solution_dir().join("src");
    let mut problems = Vec::new();
    if !repo.has_solutions() || !stub_src.is_dir() {
        return Ok(problems);
    }
    let mut pending = vec![stub_src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            let relative = path.strip_prefix(&stub_src).unwrap_or(&path).to_path_buf();
            if path.is_dir() {
                pending.push(path);
            } else if relative != Path::new("lib.rs") {
                let other = reference_src.join(&relative);
                if other.is_file() && fs::read(&path).ok() != fs::read(&other).ok() {
                    problems.push(format!(
                        "{name}: src/{} is given code in both crates, but \
                         exercises/{name}/src/{0} and solutions/{name}/src/{0} differ",
                        relative.display()
                    ));
                }
            }
        }
    }
    Ok(problems)
}

/// The README's sections in order, and a mention of every group of tests (the first
/// part of each test's name) in "What the tests check".
pub fn readme_problems(kata: &Kata, test_names: &[String]) -> Result<Vec<String>> {
    let name = &kata.name;
    let path = kata.readme_path();
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(Vec::new()); // Reported by `problems`.
    };
    let mut problems = Vec::new();
    let positions: Vec<Option<usize>> = README_SECTIONS
        .iter()
        .map(|heading| text.lines().position(|line| line.trim_end() == *heading))
        .collect();
    let missing: Vec<&str> = README_SECTIONS
        .iter()
        .zip(&positions)
        .filter(|(_, at)| at.is_none())
        .map(|(heading, _)| *heading)
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{name}: exercises/{name}/README.md lacks {}",
            missing.join(", ")
        ));
    } else if positions.windows(2).any(|pair| pair[0] > pair[1]) {
        problems.push(format!(
            "{name}: exercises/{name}/README.md has its sections out of order; they are: {}",
            README_SECTIONS.join(", ")
        ));
    }
    let section = section(&text, "## What the tests check");
    let mut groups: Vec<&str> = test_names
        .iter()
        .map(|test| test.split("::").next().unwrap_or(test))
        .collect();
    groups.sort();
    groups.dedup();
    let unnamed: Vec<&str> = groups
        .into_iter()
        .filter(|group| {
            !section.contains(&format!("`{group}`")) && !section.contains(&format!("`{group}::"))
        })
        .collect();
    if !unnamed.is_empty() {
        problems.push(format!(
            "{name}: \"What the tests check\" in exercises/{name}/README.md does not name the \
             test group(s) {}, so a failure there points nowhere",
            unnamed
                .iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // A hint's tags name what it helps with, so `hint` can follow the failure: each must
    // be a function of the kata or a part of a test's name.
    let functions = Order::new(kata, &kata.exercise_dir().join("src"));
    let mut unknown: Vec<String> = hints::read_file(&kata.readme_path(), hints::HEADING)?
        .iter()
        .flat_map(|hint| hint.tags.iter())
        .filter(|tag| {
            let short = tag.rsplit("::").next().unwrap_or(tag);
            !functions.has_function(short)
                && !test_names
                    .iter()
                    .any(|test| test.split("::").any(|part| part == short))
        })
        .map(|tag| format!("`{tag}`"))
        .collect();
    unknown.dedup();
    if !unknown.is_empty() {
        problems.push(format!(
            "{name}: hints in exercises/{name}/README.md are tagged with {}, which name no \
             function of the kata and no test group",
            unknown.join(", ")
        ));
    }
    problems.extend(unhinted_groups(kata, &functions, test_names)?);
    Ok(problems)
}

/// Every test group must be named by a hint, in each README, so that `hint` has an
/// answer for whatever fails first. A test's group is its group path (`requests::parses`
/// for `requests::parses::case_3`, see `learner::order`); a hint names it when a tag
/// names a module on that path (`requests`, `parses` or `requests::parses`).
fn unhinted_groups(kata: &Kata, order: &Order, test_names: &[String]) -> Result<Vec<String>> {
    let name = &kata.name;
    let mut groups: Vec<String> = test_names.iter().map(|t| order.group_path(t)).collect();
    groups.sort();
    groups.dedup();
    let mut problems = Vec::new();
    for (path, heading) in [
        (kata.readme_path(), hints::HEADING),
        (kata.readme_zh_path(), hints::HEADING_ZH),
    ] {
        if !path.is_file() {
            continue; // Reported by `problems`.
        }
        let hints = hints::read_file(&path, heading)?;
        let unnamed: Vec<String> = groups
            .iter()
            .filter(|group| !hints.iter().any(|hint| hint.names_group(group)))
            .map(|group| format!("`{group}`"))
            .collect();
        if !unnamed.is_empty() {
            let readme = path.strip_prefix(&kata.root).unwrap_or(&path);
            problems.push(format!(
                "{name}: no hint in {} is tagged with a module of the test group(s) {}, so \
                 `hint` has nothing for a learner whose first failure is there: tag a hint \
                 that helps (one module of a group's path is enough), or write one \
                 (CONTRIBUTING.md, \"The README\")",
                readme.display(),
                unnamed.join(", ")
            ));
        }
    }
    Ok(problems)
}

/// README.zh.md beside README.md, with the same headings (number, levels, order) and
/// the same hints (number, tags, order): `hint` shows either, and the hints seen are
/// counted by their place. Names the first heading or hint that differs.
fn chinese_readme_problems(kata: &Kata) -> Result<Vec<String>> {
    let name = &kata.name;
    let zh_path = kata.readme_zh_path();
    let at = format!("{name}: exercises/{name}/README.zh.md");
    if !zh_path.is_file() {
        return Ok(vec![format!(
            "{at} is missing (the README in Chinese: README.md's headings and hints, in the \
             same order)"
        )]);
    }
    let read = |path: &Path| {
        fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    };
    let Ok(english) = read(&kata.readme_path()) else {
        return Ok(Vec::new()); // README.md is missing: reported by `kata_problems`.
    };
    let chinese = read(&zh_path)?;
    let mut problems = Vec::new();
    let (en_headings, zh_headings) = (headings(&english), headings(&chinese));
    let level = |h: &&str| h.len() - h.trim_start_matches('#').len();
    let differs = (0..en_headings.len().max(zh_headings.len()))
        .find(|&i| en_headings.get(i).map(level) != zh_headings.get(i).map(level));
    if let Some(i) = differs {
        let show = |h: Option<&&str>| h.map_or("nothing".to_string(), |h| format!("`{h}`"));
        problems.push(format!(
            "{at} has {} headings, README.md {}; they must match in number, level and order. \
             Heading {} is {} there and {} in README.md",
            zh_headings.len(),
            en_headings.len(),
            i + 1,
            show(zh_headings.get(i)),
            show(en_headings.get(i))
        ));
    }
    let en_hints = hints::read_file(&kata.readme_path(), hints::HEADING)?;
    let zh_hints = hints::read_file(&zh_path, hints::HEADING_ZH)?;
    let differs = (0..en_hints.len().max(zh_hints.len()))
        .find(|&i| en_hints.get(i).map(|h| &h.tags) != zh_hints.get(i).map(|h| &h.tags));
    if let Some(i) = differs {
        let show = |h: Option<&Hint>| match h {
            None => "missing".to_string(),
            Some(h) if h.tags.is_empty() => "untagged".to_string(),
            Some(h) => format!("tagged ({})", h.tags.join(", ")),
        };
        problems.push(format!(
            "{at} has {} hints under `## {}`, README.md {} under `## {}`; they must match in \
             number, tags and order. Hint {} is {} there and {} in README.md",
            zh_hints.len(),
            hints::HEADING_ZH,
            en_hints.len(),
            hints::HEADING,
            i + 1,
            show(zh_hints.get(i)),
            show(en_hints.get(i))
        ));
    }
    Ok(problems)
}

/// The Markdown headings of `text` (`## Hints`), outside fenced code blocks.
fn headings(text: &str) -> Vec<&str> {
    let mut fenced = false;
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') && line.trim_start_matches('#').starts_with(' ')
        {
            found.push(line);
        }
    }
    found
}

/// The text under `heading`, up to the next heading of the same level.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let Some(start) = text.find(heading) else {
        return "";
    };
    let body = &text[start + heading.len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    &body[..end]
}

fn folders(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut dirs: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn read_manifest(path: &Path) -> Result<Table> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.parse::<Table>()
        .with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_outside_code_blocks() {
        let text = "# t\n\n## A\n```sh\n# a comment\n```\n### B\n#not a heading\n";
        assert_eq!(headings(text), vec!["# t", "## A", "### B"]);
    }
}
