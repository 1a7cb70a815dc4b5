//! The learner's progress: each kata's score from its last check and how many hints
//! were shown. Kept in `.kata-progress.json` at the repository root (git ignores it).
//!
//! Written atomically (a temporary file renamed over the old one), so an interrupted
//! write never leaves a half-written file; a file that cannot be read counts as no
//! progress rather than stopping the runner.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

const FILE_NAME: &str = ".kata-progress.json";

#[derive(Default, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub katas: BTreeMap<String, KataProgress>,
}

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct KataProgress {
    /// Tests passing at the last check, and tests in the suite (0 when it did not
    /// compile).
    pub passed: usize,
    pub total: usize,
    /// True when the last check did not compile.
    #[serde(default)]
    pub compile_error: bool,
    /// Hints shown so far.
    #[serde(default)]
    pub hints_shown: usize,
}

impl KataProgress {
    pub fn done(&self) -> bool {
        self.total > 0 && self.passed == self.total && !self.compile_error
    }
}

impl Progress {
    pub fn load(root: &Path) -> Progress {
        fs::read_to_string(path(root))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, root: &Path) -> Result<()> {
        let target = path(root);
        let temp = target.with_extension(format!("json.{}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(self).context("encoding progress")?;
        fs::write(&temp, text).with_context(|| format!("writing {}", temp.display()))?;
        fs::rename(&temp, &target).with_context(|| format!("replacing {}", target.display()))
    }

    pub fn kata(&mut self, name: &str) -> &mut KataProgress {
        self.katas.entry(name.to_string()).or_default()
    }
}

fn path(root: &Path) -> PathBuf {
    root.join(FILE_NAME)
}
