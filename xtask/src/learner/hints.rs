//! A kata's hints: the numbered list under "## Hints" in its README (under "## 提示" in
//! its Chinese README.zh.md, the same hints in the same order). A hint may start
//! with the functions or test groups it helps with, in brackets: ``1. (`bubble_sort`)
//! ...`` or ``2. (`requests`, `parse`) ...``. `cargo xtask hint <kata>` shows them one
//! at a time, the next unseen one in the README's order among those that help with what
//! failed first at the last check (see [`Hint::helps`]), and remembers which were seen.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::engine::lang::{self, Lang, t};
use crate::engine::repo::{Kata, Repo};
use crate::engine::style::Style;
use crate::learner::progress::{Focus, Progress};

/// The heading of the hints in README.md, and in README.zh.md.
pub const HEADING: &str = "Hints";
pub const HEADING_ZH: &str = "提示";

/// One hint: the functions or groups it is tagged with, and its text (tags included).
pub struct Hint {
    pub tags: Vec<String>,
    pub text: String,
}

impl Hint {
    /// True when it helps with `focus`. A failing test: a tag names a module on the
    /// test's group path (`requests`, `parses` or `requests::parses` for
    /// `requests::parses::case_3`). A function not written yet: a tag names it
    /// (`SeqStack::push` names `push`), or its comparator form (`bubble_sort` helps with
    /// `bubble_sort_by`, and the other way round).
    pub fn helps(&self, focus: &Focus) -> bool {
        match focus {
            Focus::Test { group, .. } => self.names_group(group),
            Focus::Unwritten(function) => self.names_function(function),
        }
    }

    /// True when a tag names a module on `group`'s path: its parts are a run of the
    /// path's parts.
    pub fn names_group(&self, group: &str) -> bool {
        let path: Vec<&str> = group.split("::").collect();
        self.tags.iter().any(|tag| {
            let tag: Vec<&str> = tag.split("::").collect();
            path.windows(tag.len()).any(|run| run == tag.as_slice())
        })
    }

    fn names_function(&self, function: &str) -> bool {
        let short = |name: &str| name.rsplit("::").next().unwrap_or(name).to_string();
        let function = short(function);
        self.tags.iter().any(|tag| {
            let tag = short(tag);
            tag == function || tag == format!("{function}_by") || function == format!("{tag}_by")
        })
    }
}

/// The next hint to show: the first unseen one, in the README's order, that helps with
/// `focus`; else (none left for it, or no focus) the first unseen one.
pub fn next(hints: &[Hint], seen: &[usize], focus: Option<&Focus>) -> Option<usize> {
    let unseen = || (0..hints.len()).filter(|i| !seen.contains(i));
    focus
        .and_then(|f| unseen().find(|&i| hints[i].helps(f)))
        .or_else(|| unseen().next())
}

/// The hints in order, with their tags, in `lang` (English when the kata has no
/// README.zh.md), and the README they come from, relative to the repository.
pub fn read(kata: &Kata, lang: Lang) -> Result<(Vec<Hint>, PathBuf)> {
    let chinese = kata.readme_zh_path();
    let (path, heading) = if lang == Lang::Zh && chinese.is_file() {
        (chinese, HEADING_ZH)
    } else {
        (kata.readme_path(), HEADING)
    };
    let hints = read_file(&path, heading)?;
    let shown = path.strip_prefix(&kata.root).unwrap_or(&path).to_path_buf();
    Ok((hints, shown))
}

/// The hints of the README at `path`, listed under `## {heading}`.
pub fn read_file(path: &Path, heading: &str) -> Result<Vec<Hint>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse(&text, heading)
        .into_iter()
        .map(|text| Hint {
            tags: tags(&text),
            text,
        })
        .collect())
}

/// `(`push`, `pop`) ...` gives `push` and `pop`.
fn tags(text: &str) -> Vec<String> {
    let Some(rest) = text.strip_prefix('(') else {
        return Vec::new();
    };
    let Some((inside, _)) = rest.split_once(')') else {
        return Vec::new();
    };
    let tags: Vec<String> = inside
        .split(',')
        .map(|t| t.trim().trim_matches('`').to_string())
        .collect();
    if tags
        .iter()
        .all(|t| !t.is_empty() && t.chars().all(|c| c.is_alphanumeric() || "_:".contains(c)))
    {
        tags
    } else {
        Vec::new()
    }
}

/// The hints' texts in order. Each item runs from its `N. ` to the next item or heading.
fn parse(readme: &str, heading: &str) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    let mut in_hints = false;
    for line in readme.lines() {
        if line.starts_with("## ") {
            in_hints = line
                .trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case(heading);
            continue;
        }
        if !in_hints {
            continue;
        }
        if let Some(item) = numbered_item(line) {
            hints.push(item.to_string());
        } else if let Some(last) = hints.last_mut()
            && !line.trim().is_empty()
        {
            last.push('\n');
            last.push_str(line.trim());
        }
    }
    hints
}

/// `12. text` gives `text`.
fn numbered_item(line: &str) -> Option<&str> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    line[digits..].strip_prefix(". ")
}

/// The `hint` subcommand and its options.
pub fn command() -> Command {
    Command::new("hint")
        .about("Show the next hint for a kata (one more each time you ask)")
        .arg(
            Arg::new("kata")
                .value_name("KATA")
                .required(true)
                .help("The kata"),
        )
        .arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Show every hint at once"),
        )
        .arg(
            Arg::new("tests")
                .long("tests")
                .action(ArgAction::SetTrue)
                .conflicts_with("all")
                .help("For your own tests (`cargo xtask tests KATA`): reveal one known mistake they do not catch yet"),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, _: Style) -> Result<bool> {
    let name = m.get_one::<String>("kata").expect("clap requires the kata");
    if m.get_flag("tests") {
        return crate::learner::tests::hint(repo, repo.kata(name)?);
    }
    hint(repo, name, m.get_flag("all"), false)
}

/// Shows the next unseen hint for what failed first at the last check (`all`: every
/// hint), and remembers it as seen. The hints come from the README in the learner's
/// language; both READMEs hold the same hints in the same order, so what was seen in
/// one counts in the other. `watching`: asked with `h` inside `watch`, where the way
/// to ask again is that key.
pub fn hint(repo: &Repo, name: &str, all: bool, watching: bool) -> Result<bool> {
    let kata = repo.kata(name)?;
    let (hints, readme) = read(kata, lang::current())?;
    let readme = readme.display().to_string();
    if hints.is_empty() {
        println!("{}", t!("hint-none", kata = kata.title(), readme = readme));
        return Ok(true);
    }
    let mut progress = Progress::load(&repo.root);
    let entry = progress.kata(name);
    let show: Vec<usize> = if all {
        (0..hints.len()).collect()
    } else {
        match next(&hints, &entry.hints_seen, entry.focus.as_ref()) {
            Some(i) => {
                // Say so when the hint is not for what failed first: the learner asked
                // for help there.
                if entry.compile_error {
                    println!("{}\n", t!("hint-compile-error", name = name));
                } else if let Some(focus) = &entry.focus
                    && !hints[i].helps(focus)
                {
                    println!("{}\n", not_for_focus(&hints, focus, name));
                }
                vec![i]
            }
            None => {
                println!(
                    "{}",
                    t!(
                        "hint-all-seen",
                        count = hints.len(),
                        kata = kata.title(),
                        name = name,
                        readme = readme
                    )
                );
                return Ok(true);
            }
        }
    };
    for &i in &show {
        println!(
            "{}\n{}\n",
            t!(
                "hint-heading",
                number = i + 1,
                count = hints.len(),
                kata = kata.title()
            ),
            hints[i].text
        );
        if !entry.hints_seen.contains(&i) {
            entry.hints_seen.push(i);
        }
    }
    let left = hints.len() - entry.hints_seen.len();
    let unsaved = progress.save_or_warn(&repo.root);
    if !all && left > 0 && watching {
        println!("{}", t!("hint-more-watch", left = left));
    } else if !all && left > 0 {
        println!("{}", t!("hint-more", left = left, name = name));
    } else if !all {
        println!("{}", t!("hint-last", readme = readme));
    }
    if let Some(warning) = unsaved {
        eprintln!("\n{warning}");
    }
    Ok(true)
}

/// Why the hint shown is not about `focus`: none is, or the learner has seen every one
/// that is (which ones, so they can read them again).
fn not_for_focus(hints: &[Hint], focus: &Focus, name: &str) -> String {
    let about: Vec<String> = (0..hints.len())
        .filter(|&i| hints[i].helps(focus))
        .map(|i| (i + 1).to_string())
        .collect();
    if about.is_empty() {
        t!("hint-focus-none", focus = focus.subject())
    } else {
        t!(
            "hint-focus-seen",
            focus = focus.subject(),
            seen = t!("hint-focus-numbers", numbers = about.join(", ")),
            name = name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbered_items_under_hints_only() {
        let readme = "# k\n1. not a hint\n## Hints\n\n1. First\n   goes on.\n2. Second\n\n## Going further\n3. no\n";
        assert_eq!(parse(readme, HEADING), vec!["First\ngoes on.", "Second"]);
        let chinese = "# k\n## 提示\n\n1. 第一\n2. (`sort`) 第二\n## 更进一步\n3. 不是\n";
        assert_eq!(parse(chinese, HEADING_ZH), vec!["第一", "(`sort`) 第二"]);
    }

    #[test]
    fn the_next_hint_follows_the_failure() {
        let hints: Vec<Hint> = [
            "Read the README.",
            "(`bubble_sort`) Swap neighbours.",
            "(`SeqStack::push`) Check for room.",
            "(`quick_sort`, `partition`) Pick a pivot.",
            "(`quick_sort`) Recurse on the smaller side.",
            "(not a tag) text",
            "(`stability`, `requests::parses`) Keep equal keys in order.",
        ]
        .iter()
        .map(|t| Hint {
            tags: tags(t),
            text: t.to_string(),
        })
        .collect();
        assert!(hints[5].tags.is_empty());
        let unwritten = |f: &str| Focus::Unwritten(f.to_string());
        let failing = |test: &str, group: &str| Focus::Test {
            name: test.to_string(),
            group: group.to_string(),
        };
        // A function not written yet: its tags, its comparator form.
        assert_eq!(
            next(&hints, &[], Some(&unwritten("quick_sort_by"))),
            Some(3)
        );
        assert_eq!(
            next(&hints, &[3], Some(&unwritten("quick_sort_by"))),
            Some(4)
        );
        assert_eq!(next(&hints, &[], Some(&unwritten("push"))), Some(2));
        // None left for it, or none at all: the next in order.
        assert_eq!(
            next(&hints, &[3, 4], Some(&unwritten("quick_sort"))),
            Some(0)
        );
        assert_eq!(
            next(&hints, &[0, 3, 4], Some(&unwritten("quick_sort"))),
            Some(1)
        );
        assert_eq!(next(&hints, &[], Some(&unwritten("push_front"))), Some(0));
        // A failing test: a tag names a module on its group path, never a function its
        // name merely mentions.
        let stable = failing("stability::bubble_sort_is_stable", "stability");
        assert_eq!(next(&hints, &[], Some(&stable)), Some(6));
        let examples = failing("quick_sort::examples::case_1", "quick_sort::examples");
        assert_eq!(next(&hints, &[], Some(&examples)), Some(3));
        let parses = failing("requests::parses::case_3", "requests::parses");
        assert_eq!(next(&hints, &[], Some(&parses)), Some(6));
        let refuses = failing("requests::refuses::case_1", "requests::refuses");
        assert_eq!(next(&hints, &[], Some(&refuses)), Some(0));
        assert!(!hints[6].helps(&failing("x::parses::case_1", "x::parses")));
        assert_eq!(next(&hints, &[0, 1, 2, 3, 4, 5, 6], None), None);
        assert_eq!(next(&hints, &[], None), Some(0));
    }
}
