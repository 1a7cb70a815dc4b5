//! The learner's progress: each kata's score and what failed first at its last check,
//! which hints were shown, and the language chosen with `--lang`. Kept in
//! `.kata-progress.json` at the repository root (git ignores it).
//!
//! Written atomically (a temporary file renamed over the old one), so an interrupted
//! write never leaves a half-written file; a file that cannot be read counts as no
//! progress rather than stopping the runner.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::engine::lang::{Lang, t};

const FILE_NAME: &str = ".kata-progress.json";

#[derive(Default)]
pub struct Progress {
    pub katas: BTreeMap<String, KataProgress>,
    /// The language chosen with `--lang zh|en`; none: the locale's.
    pub lang: Option<Lang>,
}

#[derive(Clone, Default)]
pub struct KataProgress {
    /// Tests passing at the last check, and tests in the suite (0 when it did not
    /// compile).
    pub passed: usize,
    pub total: usize,
    /// True when the last check did not compile.
    pub compile_error: bool,
    /// The hints shown so far (their numbers, from 0), in the order they were shown.
    pub hints_seen: Vec<usize>,
    /// What to work on first, from the last check (`hint` picks the hints for it).
    pub focus: Option<Focus>,
    /// The known mistakes (mutant names) the learner's own tests let through at the
    /// last `tests <kata>`, and those `hint <kata> --tests` has revealed so far.
    pub chaffs_uncaught: Vec<String>,
    pub chaffs_revealed: Vec<String>,
}

/// What a learner should work on first, as the last check's report shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The first failing test the report shows, and its group path in the suite
    /// (`requests::parses` for `requests::parses::case_3`; see `learner::order`).
    Test { name: String, group: String },
    /// The first function not written yet (its `todo!()`), by its short name.
    Unwritten(String),
}

impl Focus {
    /// What the hints answer for: the test's group, or the function.
    pub fn subject(&self) -> &str {
        match self {
            Focus::Test { group, .. } => group,
            Focus::Unwritten(function) => function,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Focus::Test { name, group } => json!({ "test": name, "group": group }),
            Focus::Unwritten(function) => json!({ "function": function }),
        }
    }

    fn from_json(value: &Value) -> Option<Focus> {
        let text = |key: &str| value[key].as_str().map(str::to_string);
        match (text("test"), text("group"), text("function")) {
            (Some(name), Some(group), _) => Some(Focus::Test { name, group }),
            (_, _, Some(function)) => Some(Focus::Unwritten(function)),
            // Older files kept a name: a function, or a group the hints were tagged with.
            _ => value
                .as_str()
                .map(|name| Focus::Unwritten(name.to_string())),
        }
    }
}

impl KataProgress {
    pub fn done(&self) -> bool {
        self.total > 0 && self.passed == self.total && !self.compile_error
    }
}

impl Progress {
    pub fn load(root: &Path) -> Progress {
        let Some(file) = fs::read_to_string(path(root))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        else {
            return Progress::default();
        };
        let count = |entry: &Value, key: &str| entry[key].as_u64().unwrap_or(0) as usize;
        let katas = file["katas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, entry)| {
                let progress = KataProgress {
                    passed: count(entry, "passed"),
                    total: count(entry, "total"),
                    compile_error: entry["compile_error"].as_bool().unwrap_or(false),
                    // Older files kept a count: the first N hints.
                    hints_seen: match entry["hints_seen"].as_array() {
                        Some(seen) => seen
                            .iter()
                            .filter_map(|n| n.as_u64().map(|n| n as usize))
                            .collect(),
                        None => (0..count(entry, "hints_shown")).collect(),
                    },
                    focus: Focus::from_json(&entry["focus"]),
                    chaffs_uncaught: names(&entry["chaffs_uncaught"]),
                    chaffs_revealed: names(&entry["chaffs_revealed"]),
                };
                (name.clone(), progress)
            })
            .collect();
        let lang = file["lang"].as_str().and_then(Lang::parse);
        Progress { katas, lang }
    }

    pub fn save(&self, root: &Path) -> Result<()> {
        let target = path(root);
        let temp = target.with_extension(format!("json.{}.tmp", std::process::id()));
        let katas: serde_json::Map<String, Value> = self
            .katas
            .iter()
            .map(|(name, p)| {
                let entry = json!({
                    "passed": p.passed,
                    "total": p.total,
                    "compile_error": p.compile_error,
                    "hints_seen": p.hints_seen,
                    "focus": p.focus.as_ref().map(Focus::to_json),
                    "chaffs_uncaught": p.chaffs_uncaught,
                    "chaffs_revealed": p.chaffs_revealed,
                });
                (name.clone(), entry)
            })
            .collect();
        let lang = self.lang.map(Lang::code);
        let text = serde_json::to_string_pretty(&json!({ "lang": lang, "katas": katas }))
            .context("encoding progress")?;
        fs::write(&temp, text).with_context(|| format!("writing {}", temp.display()))?;
        fs::rename(&temp, &target).with_context(|| format!("replacing {}", target.display()))
    }

    /// Saves, or says why it could not, as a warning to print after the command's own
    /// output: a read-only checkout still gets its report or its hint.
    pub fn save_or_warn(&self, root: &Path) -> Option<String> {
        self.save(root)
            .err()
            .map(|err| t!("progress-not-saved", error = format!("{err:#}")))
    }

    pub fn kata(&mut self, name: &str) -> &mut KataProgress {
        self.katas.entry(name.to_string()).or_default()
    }
}

/// A list of names in the file (none when missing).
fn names(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

fn path(root: &Path) -> PathBuf {
    root.join(FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_focus_survives_the_file_and_an_old_one_still_reads() {
        for focus in [
            Focus::Test {
                name: "requests::parses::case_3".into(),
                group: "requests::parses".into(),
            },
            Focus::Unwritten("bubble_sort_by".into()),
        ] {
            assert_eq!(Focus::from_json(&focus.to_json()), Some(focus));
        }
        assert_eq!(
            Focus::from_json(&json!("push")),
            Some(Focus::Unwritten("push".into()))
        );
        assert_eq!(Focus::from_json(&Value::Null), None);
    }
}
