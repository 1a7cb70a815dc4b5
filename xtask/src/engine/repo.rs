//! Finding the repository and its katas.
//!
//! A kata is a folder `exercises/<kata>` whose `Cargo.toml` carries a
//! `[package.metadata.kata]` table; everything else about it is found by its name.
//! The places of the course whose katas are not built yet are listed in the root
//! Cargo.toml (`[workspace.metadata.course] planned`).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml::{Table, Value};

use crate::engine::lang::t;

/// Seconds a test may run when a kata does not say otherwise.
const DEFAULT_TIMEOUT_SECS: u64 = 10;
/// The cap on one test process's address space, in MiB, when a kata does not say
/// otherwise. Address space, not memory in use: each thread reserves its stack and
/// the allocator its arenas, so this is far more than any suite needs.
pub const DEFAULT_MEMORY_MIB: u64 = 1024;
/// The kind of reach no kata may declare in `uses`: `std::env` (the command line,
/// hence libtest's log path, and the environment).
pub const NEVER_USED: &str = "env";

/// The repository: its root folder and its katas in course order.
pub struct Repo {
    pub root: PathBuf,
    pub katas: Vec<Kata>,
    /// The places of the course no kata takes yet, in course order.
    pub planned: Vec<Planned>,
}

/// A place of the course whose kata is not built yet: `list` shows it as coming. Orders
/// need not be contiguous: each kata keeps the place the course gives it, and a new one
/// lands in its own free place without renumbering the others.
#[derive(Clone, Debug)]
pub struct Planned {
    pub order: u32,
    pub name: String,
    pub topic: String,
    pub chinese: String,
}

/// One kata and where its parts live.
#[derive(Clone, Debug)]
pub struct Kata {
    pub name: String,
    pub order: u32,
    pub topic: String,
    pub chinese: String,
    pub timeout_secs: u64,
    /// The cap on each test process's address space (`memory_mib`).
    pub memory_mib: u64,
    /// What the kata's own task needs beyond computing (`uses = ["fs", "net"]`): `grade`
    /// flags a learner's crate that reaches for anything else.
    pub uses: Vec<String>,
    /// The order failures are shown in (`groups = ["examples", "properties", ...]`):
    /// the names of test modules or tests. Empty: the suite's module order.
    pub groups: Vec<String>,
    /// The model-check tier (`model = { feature = "model", tests = "interleavings::" }`),
    /// if the kata has one: `check --model` and `verify`'s `TIER: model` mutants.
    pub model: Option<ModelTier>,
    /// Learner tests (`learner_tests = { chaffs = ["brackets_*"] }`): the learner's own
    /// tests in `exercises/<kata>/learner_tests.rs`, run by `tests <kata>` against the
    /// reference, the wheats and the mutants named here (a name, or a prefix and `*`;
    /// none listed: every mutant). `None`: the kata has no learner tests.
    pub learner_tests: Option<Vec<String>>,
    pub root: PathBuf,
}

/// A second tier of a kata's suite: the same suite built with a cargo feature (a model
/// checker in place of real threads), of which only the tests named by `tests` run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelTier {
    /// The cargo feature the suite is built with, in both crates.
    pub feature: String,
    /// The prefix of the tests the tier runs (`interleavings::`).
    pub tests: String,
}

impl Kata {
    /// The learner's crate.
    pub fn exercise_dir(&self) -> PathBuf {
        self.root.join("exercises").join(&self.name)
    }

    /// The reference crate (absent in a student export).
    pub fn solution_dir(&self) -> PathBuf {
        self.root.join("solutions").join(&self.name)
    }

    /// The learner's package name (cargo's `-p`).
    pub fn exercise_package(&self) -> String {
        self.name.clone()
    }

    /// The reference's package name.
    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.name)
    }

    pub fn mutants_dir(&self) -> PathBuf {
        self.root.join("tests").join("mutants").join(&self.name)
    }

    /// The kata's wheats: correct implementations taking another route than the
    /// reference, as patches of it.
    pub fn wheats_dir(&self) -> PathBuf {
        self.root.join("tests").join("wheats").join(&self.name)
    }

    /// The kata's suite, `tests/<kata>.rs`.
    pub fn suite_path(&self) -> PathBuf {
        self.root.join("tests").join(format!("{}.rs", self.name))
    }

    pub fn readme_path(&self) -> PathBuf {
        self.exercise_dir().join("README.md")
    }

    /// The README in Chinese, beside README.md: the same sections and hints.
    pub fn readme_zh_path(&self) -> PathBuf {
        self.exercise_dir().join("README.zh.md")
    }

    /// "sort (排序)"
    pub fn title(&self) -> String {
        format!("{} ({})", self.name, self.chinese)
    }
}

/// The kata's `[package.metadata.kata]` table, if its manifest has one.
struct KataMetadata {
    order: u32,
    topic: String,
    chinese: String,
    timeout: Option<u64>,
    memory_mib: Option<u64>,
    uses: Vec<String>,
    groups: Vec<String>,
    model: Option<ModelTier>,
    learner_tests: Option<Vec<String>>,
}

impl KataMetadata {
    fn read(manifest: &Table) -> Result<Option<KataMetadata>> {
        let Some(table) = manifest
            .get("package")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| m.get("kata"))
        else {
            return Ok(None);
        };
        let text = |key: &str| {
            table
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .with_context(|| format!("[package.metadata.kata] needs `{key} = \"...\"`"))
        };
        let number = |key: &str| table.get(key).and_then(Value::as_integer);
        let order = number("order")
            .and_then(|n| u32::try_from(n).ok())
            .context("[package.metadata.kata] needs `order = <place in the course>`")?;
        let timeout = match number("timeout") {
            None => None,
            Some(secs) => Some(u64::try_from(secs).ok().filter(|&s| s > 0).context(
                "[package.metadata.kata] `timeout` must be a positive number of seconds",
            )?),
        };
        let memory_mib = match number("memory_mib") {
            None => None,
            Some(mib) => Some(u64::try_from(mib).ok().filter(|&m| m >= 16).context(
                "[package.metadata.kata] `memory_mib` must be a number of MiB, at least 16",
            )?),
        };
        let strings = |key: &str| match table.get(key) {
            None => Ok(Vec::new()),
            Some(value) => value
                .as_array()
                .and_then(|items| {
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                })
                .with_context(|| {
                    format!("[package.metadata.kata] `{key}` must be a list of strings")
                }),
        };
        let uses = strings("uses")?;
        if uses.iter().any(|kind| kind == NEVER_USED) {
            bail!(
                "[package.metadata.kata] `uses` cannot name `{NEVER_USED}`: the command line \
                 holds the path of libtest's log, so code that reads it could forge a pass \
                 (xtask/GRADING.md); give a kata's code what it needs as arguments instead"
            );
        }
        let groups = strings("groups")?;
        let model = match table.get("model") {
            None => None,
            Some(value) => {
                let field = |key: &str| {
                    value
                        .get(key)
                        .and_then(Value::as_str)
                        .filter(|text| !text.trim().is_empty())
                        .map(str::to_string)
                };
                match (value.as_table(), field("feature"), field("tests")) {
                    (Some(_), Some(feature), Some(tests)) => Some(ModelTier { feature, tests }),
                    _ => bail!(
                        "[package.metadata.kata] `model` must be \
                         `{{ feature = \"<cargo feature>\", tests = \"<test name prefix>\" }}`"
                    ),
                }
            }
        };
        let learner_tests = match table.get("learner_tests") {
            None => None,
            Some(value) => {
                let chaffs = value
                    .as_table()
                    .map(|t| t.get("chaffs"))
                    .and_then(|c| match c {
                        None => Some(Vec::new()),
                        Some(list) => list.as_array().and_then(|items| {
                            items
                                .iter()
                                .map(|i| i.as_str().map(str::to_string))
                                .collect::<Option<Vec<_>>>()
                        }),
                    });
                match chaffs {
                    Some(chaffs) => Some(chaffs),
                    None => bail!(
                        "[package.metadata.kata] `learner_tests` must be \
                         `{{ chaffs = [\"<mutant name, or prefix*>\", ...] }}` (or `{{}}`: every mutant)"
                    ),
                }
            }
        };
        Ok(Some(KataMetadata {
            order,
            topic: text("topic")?,
            chinese: text("chinese")?,
            timeout,
            memory_mib,
            uses,
            groups,
            model,
            learner_tests,
        }))
    }
}

impl Repo {
    /// Finds the repository at or above `start` and reads its katas.
    pub fn find(start: &Path) -> Result<Repo> {
        let root = start
            .ancestors()
            .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("exercises").is_dir())
            .with_context(|| t!("not-in-repo"))?
            .to_path_buf();
        let katas = read_katas(&root)?;
        let planned = read_planned(&root, &katas)?;
        Ok(Repo {
            root,
            katas,
            planned,
        })
    }

    /// The kata called `name`, or an error that lists the known ones.
    pub fn kata(&self, name: &str) -> Result<&Kata> {
        match self.katas.iter().find(|k| k.name == name) {
            Some(kata) => Ok(kata),
            None => {
                let guess = self
                    .katas
                    .iter()
                    .map(|k| (edit_distance(name, &k.name), &k.name))
                    .filter(|(d, k)| *d <= 2.max(k.len() / 4))
                    .min();
                let katas = self.kata_names().join(", ");
                match guess {
                    Some((_, guess)) => bail!(t!(
                        "no-such-kata-guess",
                        name = name,
                        guess = guess,
                        katas = katas
                    )),
                    None => bail!(t!("no-such-kata", name = name, katas = katas)),
                }
            }
        }
    }

    pub fn kata_names(&self) -> Vec<&str> {
        self.katas.iter().map(|k| k.name.as_str()).collect()
    }

    /// True in a student export, where the reference solutions are left out.
    pub fn has_solutions(&self) -> bool {
        self.root.join("solutions").is_dir()
    }
}

fn read_katas(root: &Path) -> Result<Vec<Kata>> {
    let exercises = root.join("exercises");
    let mut katas = Vec::new();
    let entries =
        fs::read_dir(&exercises).with_context(|| format!("reading {}", exercises.display()))?;
    for entry in entries {
        let dir = entry.context("listing exercises/")?.path();
        let manifest_path = dir.join("Cargo.toml");
        if !manifest_path.is_file() {
            continue;
        }
        let text = fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let manifest: Table = text
            .parse()
            .with_context(|| format!("parsing {}", manifest_path.display()))?;
        let meta = KataMetadata::read(&manifest)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let Some(meta) = meta else {
            continue;
        };
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| format!("{} has a name that is not UTF-8", dir.display()))?
            .to_string();
        katas.push(Kata {
            name,
            order: meta.order,
            topic: meta.topic,
            chinese: meta.chinese,
            timeout_secs: meta.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS),
            memory_mib: meta.memory_mib.unwrap_or(DEFAULT_MEMORY_MIB),
            uses: meta.uses,
            groups: meta.groups,
            model: meta.model,
            learner_tests: meta.learner_tests,
            root: root.to_path_buf(),
        });
    }
    katas.sort_by(|a, b| (a.order, &a.name).cmp(&(b.order, &b.name)));
    Ok(katas)
}

/// The root Cargo.toml's `[workspace.metadata.course] planned` entries
/// (`{ order = 9, kata = "iter_gen", topic = "...", chinese = "..." }`) whose place and
/// name no kata takes yet: once a kata is built, its own metadata wins, so its branch
/// need not touch the list.
fn read_planned(root: &Path, katas: &[Kata]) -> Result<Vec<Planned>> {
    let path = root.join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let entries = manifest
        .get("workspace")
        .and_then(|w| w.get("metadata"))
        .and_then(|m| m.get("course"))
        .and_then(|c| c.get("planned"));
    let Some(entries) = entries else {
        return Ok(Vec::new());
    };
    let bad = || {
        format!(
            "reading {}: [workspace.metadata.course] planned is a list of \
             {{ order = <place>, kata = \"<name>\", topic = \"...\", chinese = \"...\" }}",
            path.display()
        )
    };
    let mut planned = Vec::new();
    for entry in entries.as_array().with_context(bad)? {
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
        let order = entry
            .get("order")
            .and_then(Value::as_integer)
            .and_then(|o| u32::try_from(o).ok());
        let (Some(order), Some(name), Some(topic), Some(chinese)) =
            (order, text("kata"), text("topic"), text("chinese"))
        else {
            bail!(bad());
        };
        if !katas.iter().any(|k| k.order == order || k.name == name) {
            planned.push(Planned {
                order,
                name,
                topic,
                chinese,
            });
        }
    }
    planned.sort_by_key(|p| p.order);
    Ok(planned)
}

/// Edits (insert, delete, change, swap two neighbours) that turn `a` into `b`: `sotr` is
/// one from `sort`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let change = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_near() {
        assert_eq!(edit_distance("sotr", "sort"), 1);
        assert_eq!(edit_distance("linkedlist", "linked_list"), 1);
        assert_eq!(edit_distance("Sort", "sort"), 0);
        assert_eq!(edit_distance("stack", "search"), 3);
    }

    fn metadata(kata_table: &str) -> Result<Option<KataMetadata>> {
        let manifest: Table = format!(
            "[package.metadata.kata]\norder = 1\ntopic = \"t\"\nchinese = \"c\"\n{kata_table}"
        )
        .parse()
        .expect("a valid manifest");
        KataMetadata::read(&manifest)
    }

    #[test]
    fn the_model_tier_is_read_from_the_metadata() {
        let meta = metadata("model = { feature = \"model\", tests = \"interleavings::\" }")
            .unwrap()
            .unwrap();
        assert_eq!(
            meta.model,
            Some(ModelTier {
                feature: "model".into(),
                tests: "interleavings::".into()
            })
        );
        assert_eq!(metadata("").unwrap().unwrap().model, None);
        for bad in [
            "model = \"model\"",
            "model = { feature = \"model\" }",
            "model = { feature = \"\", tests = \"interleavings::\" }",
        ] {
            let err = metadata(bad).err().map(|e| e.to_string());
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains("`model` must be")),
                "{bad}: {err:?}"
            );
        }
    }
}
