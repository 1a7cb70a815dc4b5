//! The flags `grade` raises on a learner's crate that reaches for the harness or the
//! environment beyond what its kata needs (xtask/GRADING.md): code that could forge a
//! passing test, for the instructor to review.

use std::fs;
use std::path::Path;

use super::results::Reach;
use crate::engine::repo::{Kata, NEVER_USED};
use crate::engine::source;

/// Where the learner's crate reaches beyond what its kata uses: found in its source
/// with the tokenizer (`source.rs`), plus a build script or dependencies in its
/// manifest (code that runs with the learner's rights at build time).
pub(super) fn reaches_outside(kata: &Kata) -> Vec<Reach> {
    let dir = kata.exercise_dir();
    let shown = |path: &Path| {
        path.strip_prefix(&kata.root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut found = Vec::new();
    let files = source::rust_files(&dir);
    // Programs (src/bin/, examples/) are targets of their own, never linked into the
    // suite's test binary, so what they reach for cannot forge a test's result (the
    // select_server kata's given chat programs read their arguments and exit). Unless
    // the library pulls that folder in as a module (`#[path]` is flagged anyway).
    let lib_takes_bin = files.iter().any(|file| {
        !file.starts_with(dir.join("src").join("bin"))
            && fs::read_to_string(file).is_ok_and(|text| text.contains("mod bin"))
    });
    let programs = |file: &Path| {
        (!lib_takes_bin && file.starts_with(dir.join("src").join("bin")))
            || file.starts_with(dir.join("examples"))
    };
    for file in files {
        if file.starts_with(dir.join("target")) || programs(&file) {
            continue;
        }
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        if file.file_name().is_some_and(|n| n == "build.rs") {
            found.push(Reach {
                kind: "build-script".into(),
                what: "a build script".into(),
                at: shown(&file),
            });
        }
        let Some(scan) = source::scan(&text) else {
            found.push(Reach {
                kind: "unreadable".into(),
                what: "source the tokenizer cannot read".into(),
                at: shown(&file),
            });
            continue;
        };
        for reach in scan.reaches {
            if !declared(kata, reach.kind) {
                found.push(Reach {
                    kind: reach.kind.into(),
                    what: reach.what,
                    at: format!("{}:{}", shown(&file), reach.line),
                });
            }
        }
    }
    let manifest_path = dir.join("Cargo.toml");
    if let Ok(manifest) = fs::read_to_string(&manifest_path)
        .map_err(anyhow::Error::from)
        .and_then(|t| t.parse::<toml::Table>().map_err(anyhow::Error::from))
    {
        let package = manifest.get("package").and_then(|p| p.as_table());
        if package.is_some_and(|p| p.contains_key("build")) {
            found.push(Reach {
                kind: "build-script".into(),
                what: "`build` in [package]".into(),
                at: shown(&manifest_path),
            });
        }
        for table in ["dependencies", "build-dependencies"] {
            for name in manifest
                .get(table)
                .and_then(|d| d.as_table())
                .into_iter()
                .flat_map(|d| d.keys())
            {
                if !kata.uses.iter().any(|u| *u == format!("dependency:{name}")) {
                    found.push(Reach {
                        kind: "dependencies".into(),
                        what: format!("[{table}] {name}"),
                        at: shown(&manifest_path),
                    });
                }
            }
        }
    }
    found
}

/// True when the kata's `uses` declares `kind` (never `env`: see `repo.rs`).
pub(super) fn declared(kata: &Kata, kind: &str) -> bool {
    kind != NEVER_USED && kata.uses.iter().any(|u| u == kind)
}
