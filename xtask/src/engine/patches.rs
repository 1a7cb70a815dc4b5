//! Patches against a kata's reference: the mutants (`tests/mutants/<kata>/`, each one
//! known mistake, first line `MUTANT: ...`) and the wheats (`tests/wheats/<kata>/`, each
//! a correct implementation taking another route, first line `WHEAT: ...`).
//!
//! Both are unified diffs of a file of `solutions/<kata>/src/` (applied with `diffy`),
//! found and applied here, below every room: the maintainers' `verify` and `mutants`
//! judge them with the kata's suite, the learner's `tests` runs the learner's own tests
//! against them. A patch is applied to a copy of the reference's sources in memory;
//! nothing in `exercises/` or `solutions/` is ever written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::engine::repo::Kata;
use crate::engine::suite::Tier;

/// The header line every mutant starts with.
pub const MUTANT: &str = "MUTANT:";
/// The header line every wheat starts with.
pub const WHEAT: &str = "WHEAT:";
/// The optional second header line: the tier that judges a mutant.
pub const TIER_HEADER: &str = "TIER:";
/// The extension of a patch's file.
pub const EXTENSION: &str = "patch";

const REMAKE: &str = "re-make it against the current reference \
     (CONTRIBUTING.md, \"Making a mutant\")";

/// One patch of a kata: a mutant or a wheat.
pub struct Patch {
    /// `tests/<mutants|wheats>/<kata>/<name>.patch`.
    pub path: PathBuf,
    /// The file name, as reports show it.
    pub file_name: String,
    /// What the header line says (the mistake, or the route taken); `None` when the
    /// header is missing.
    pub said: Option<String>,
    /// The tier that judges it (`TIER: model` on the second line), or what is wrong
    /// with that line.
    pub tier: Result<Tier, String>,
}

impl Patch {
    /// The file name without `.patch`.
    pub fn name(&self) -> &str {
        self.file_name
            .strip_suffix(&format!(".{EXTENSION}"))
            .unwrap_or(&self.file_name)
    }
}

/// The patches in `dir` whose header is `header`, sorted by file name, and any file
/// in the folder that is not a patch (a leftover `.rs` copy, a misnamed patch) so the
/// gate can name it.
pub fn find(dir: &Path, header: &str) -> Result<(Vec<Patch>, Vec<PathBuf>)> {
    if !dir.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut found = Vec::new();
    let mut strays = Vec::new();
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.extension().is_none_or(|e| e != EXTENSION) {
            strays.push(path);
            continue;
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let said = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix(header))
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty());
        let tier = header_tier(&text);
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        found.push(Patch {
            path,
            file_name,
            said,
            tier,
        });
    }
    Ok((found, strays))
}

/// The tier a patch's header names: `TIER: model` on a line before the diff starts
/// (the one after `MUTANT:`), else the ordinary tier.
pub fn header_tier(text: &str) -> Result<Tier, String> {
    let header = text
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("--- ") && !line.starts_with("diff "));
    let mut tier = Tier::Ordinary;
    for line in header {
        if let Some(name) = line.strip_prefix(TIER_HEADER) {
            tier = match name.trim() {
                "model" => Tier::Model,
                other => {
                    return Err(format!(
                        "its header names the tier `{other}`; the only tier a patch can \
                         name is `{TIER_HEADER} model`"
                    ));
                }
            };
        }
    }
    Ok(tier)
}

/// The reference's sources (by path relative to its `src/`) with `patch` applied, or
/// why it cannot be: it is not a diff, names a file outside the reference's `src/`,
/// or no longer applies to the reference.
pub fn apply(kata: &Kata, patch: &Patch) -> Result<Result<BTreeMap<PathBuf, String>, String>> {
    let text = fs::read_to_string(&patch.path)
        .with_context(|| format!("reading {}", patch.path.display()))?;
    let diff = match diffy::Patch::from_str(&text) {
        Ok(diff) => diff,
        Err(err) => return Ok(Err(format!("it is not a unified diff ({err})"))),
    };
    if diff.hunks().is_empty() {
        return Ok(Err("it changes nothing".into()));
    }
    let relative = match patched_file(kata, diff.original()) {
        Ok(relative) => relative,
        Err(why) => return Ok(Err(why)),
    };
    let mut sources = read_tree(&kata.solution_dir().join("src"))?;
    let Some(original) = sources.get(&relative) else {
        return Ok(Err(format!(
            "it patches solutions/{}/src/{}, which does not exist",
            kata.name,
            relative.display()
        )));
    };
    match diffy::apply(original, &diff) {
        Ok(patched) => {
            sources.insert(relative, patched);
            Ok(Ok(sources))
        }
        Err(err) => Ok(Err(format!(
            "it no longer applies to the reference ({err}): {REMAKE}"
        ))),
    }
}

/// The file a patch changes, relative to the reference's `src/`: its `---` path with
/// git's `a/` and the `solutions/<kata>/src/` prefix removed (`lib.rs` when the patch
/// names no file).
fn patched_file(kata: &Kata, original: Option<&str>) -> Result<PathBuf, String> {
    let Some(name) = original else {
        return Ok(PathBuf::from("lib.rs"));
    };
    let name = name.strip_prefix("a/").unwrap_or(name);
    let prefix = format!("solutions/{}/src/", kata.name);
    match name.strip_prefix(&prefix) {
        Some(rest) if !rest.is_empty() && !rest.split('/').any(|part| part == "..") => {
            Ok(PathBuf::from(rest))
        }
        _ => Err(format!(
            "it patches `{name}`; a patch of {} patches a file under {prefix}",
            kata.name
        )),
    }
}

/// Every file under `dir`, by path relative to it.
pub fn read_tree(dir: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in
            fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
                files.insert(relative, text);
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tier_is_read_from_the_header() {
        let diff = "--- a/solutions/k/src/lib.rs\n+++ b/solutions/k/src/lib.rs\n";
        let ordinary = format!("{MUTANT} a mistake\n{diff}");
        assert_eq!(header_tier(&ordinary), Ok(Tier::Ordinary));
        let model = format!("{MUTANT} a mistake\n{TIER_HEADER} model\n{diff}");
        assert_eq!(header_tier(&model), Ok(Tier::Model));
        let spaced = format!("{MUTANT} a mistake\n{TIER_HEADER}   model  \n{diff}");
        assert_eq!(header_tier(&spaced), Ok(Tier::Model));
        // A `TIER:` inside the diff is code, not the header.
        let in_diff = format!("{MUTANT} a mistake\n{diff}@@ -1 +1 @@\n-x\n+{TIER_HEADER} model\n");
        assert_eq!(header_tier(&in_diff), Ok(Tier::Ordinary));
        let unknown = format!("{MUTANT} a mistake\n{TIER_HEADER} loom\n{diff}");
        assert!(header_tier(&unknown).is_err_and(|why| why.contains("`loom`")));
    }
}
