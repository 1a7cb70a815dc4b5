//! Scratch crates: a kata's suite compiled against some other `lib.rs` (a mutant) or
//! a kata's `lib.rs` compiled against some other suite (a pristine copy, for grading
//! that a learner cannot weaken by editing `tests/`).
//!
//! A scratch crate is the kata's own manifest with two paths changed, inside a
//! scratch workspace under `target/xtask/scratch/` that copies the real workspace's
//! manifest and lock file. It shares the real target folder, so the testing crates are
//! not compiled again; nothing outside `target/` is written. A scratch crate never has
//! a build script.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use toml::{Table, Value};

use crate::engine::compile::{self, Subject};
use crate::engine::repo::Kata;

/// Lays out (or refreshes) the scratch crate `label` for `kata`, whose library is
/// `lib` and whose suite is `<suites>/<kata>.rs`, and returns it as a subject.
pub fn subject(kata: &Kata, label: &str, lib: &Path, suites: &Path) -> Result<Subject> {
    let (workspace, guard) = lock(kata, label)?;
    let crate_manifest = kata.exercise_dir().join("Cargo.toml");
    finish(
        kata,
        label,
        (workspace, guard),
        &crate_manifest,
        lib,
        suites,
    )
}

/// Like [`subject`], for a library given as source files (relative to its `src/`,
/// `lib.rs` among them), written into the scratch crate: a patched copy of the
/// reference, built with the reference's manifest. A file is rewritten only when its text changed, so cargo rebuilds only
/// what a mutant really touched.
pub fn subject_from_sources(
    kata: &Kata,
    label: &str,
    sources: &BTreeMap<PathBuf, String>,
    suites: &Path,
) -> Result<Subject> {
    let (workspace, guard) = lock(kata, label)?;
    let src = sources_dir(kata, label);
    for (relative, text) in sources {
        let path = src.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        write_if_changed(&path, text)?;
    }
    let crate_manifest = kata.solution_dir().join("Cargo.toml");
    let lib = src.join("lib.rs");
    finish(
        kata,
        label,
        (workspace, guard),
        &crate_manifest,
        &lib,
        suites,
    )
}

/// Where [`subject_from_sources`] writes the library's source files for `label`.
pub fn sources_dir(kata: &Kata, label: &str) -> PathBuf {
    scratch_dir(kata).join(label).join("src").join(&kata.name)
}

fn scratch_dir(kata: &Kata) -> PathBuf {
    compile::target_dir(&kata.root)
        .join("xtask")
        .join("scratch")
}

/// Creates the scratch workspace `label` and waits until no other runner uses it.
fn lock(kata: &Kata, label: &str) -> Result<(PathBuf, File)> {
    let scratch = scratch_dir(kata);
    let workspace = scratch.join(label);
    fs::create_dir_all(&workspace).with_context(|| format!("creating {}", workspace.display()))?;
    let lock_path = scratch.join(format!("{label}.lock"));
    let guard =
        File::create(&lock_path).with_context(|| format!("creating {}", lock_path.display()))?;
    guard
        .lock()
        .with_context(|| format!("locking {}", lock_path.display()))?;
    Ok((workspace, guard))
}

/// Writes the scratch workspace's manifests: `crate_manifest` (a kata crate's own)
/// pointed at `lib` and at the kata's suite in `suites`.
fn finish(
    kata: &Kata,
    label: &str,
    (workspace, guard): (PathBuf, File),
    crate_manifest: &Path,
    lib: &Path,
    suites: &Path,
) -> Result<Subject> {
    let root = &kata.root;
    let crate_dir = workspace.join("kata");
    fs::create_dir_all(&crate_dir).with_context(|| format!("creating {}", crate_dir.display()))?;

    let mut workspace_manifest = read_toml(&root.join("Cargo.toml"))?;
    let ws = workspace_manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .context("the root Cargo.toml has no [workspace] table")?;
    ws.insert("members".into(), Value::Array(vec!["kata".into()]));
    ws.remove("exclude");
    write_if_changed(
        &workspace.join("Cargo.toml"),
        &workspace_manifest.to_string(),
    )?;
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        fs::copy(&lock, workspace.join("Cargo.lock")).context("copying Cargo.lock")?;
    }

    let package = format!("{}-{label}", kata.name);
    let mut manifest = read_toml(crate_manifest)?;
    set(&mut manifest, "package", "name", package.clone().into())?;
    // Only the library and the suite: binaries, examples and benches keep paths
    // relative to the real crate, and the suite needs none of them.
    for (table, auto) in [
        ("bin", "autobins"),
        ("example", "autoexamples"),
        ("bench", "autobenches"),
    ] {
        manifest.remove(table);
        set(&mut manifest, "package", auto, false.into())?;
    }
    // Never a build script: under `grade --pristine` the manifest is the learner's, and
    // a script (`build = "/anywhere/script.rs"`) would run with the grader's rights
    // before any test, free to rewrite the pristine suites.
    set(&mut manifest, "package", "build", false.into())?;
    manifest.remove("build-dependencies");
    set(&mut manifest, "lib", "path", path_value(lib))?;
    let suite = suites.join(format!("{}.rs", kata.name));
    if let Some(Value::Array(tests)) = manifest.get_mut("test") {
        for test in tests.iter_mut().filter_map(Value::as_table_mut) {
            test.insert("path".into(), path_value(&suite));
        }
    }
    let manifest_path = crate_dir.join("Cargo.toml");
    write_if_changed(&manifest_path, &manifest.to_string())?;

    Ok(Subject {
        package,
        manifest: Some(manifest_path),
        crate_dir,
        _lock: Some(Arc::new(guard)),
    })
}

fn read_toml(path: &Path) -> Result<Table> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.parse::<Table>()
        .with_context(|| format!("parsing {}", path.display()))
}

fn set(manifest: &mut Table, table: &str, key: &str, value: Value) -> Result<()> {
    manifest
        .entry(table)
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .with_context(|| format!("[{table}] in a kata's Cargo.toml is not a table"))?
        .insert(key.into(), value);
    Ok(())
}

fn path_value(path: &Path) -> Value {
    Value::String(absolute(path).display().to_string())
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Rewriting an unchanged manifest would make cargo check it again for nothing.
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// A scratch workspace of many implementations of one kata's library, each its own
/// package beside the others, all sharing one test file: the learner's own tests
/// (`tests <kata>`) against the reference, every wheat and every mutant, built by one
/// cargo run that compiles the packages side by side in the real target folder.
pub struct Workspace {
    /// The scratch workspace's manifest.
    pub manifest: PathBuf,
    /// Each member's package name and folder, in the order given.
    pub members: Vec<(String, PathBuf)>,
    _lock: File,
}

/// Lays out (or refreshes) the scratch workspace `label` (one of its own per kata) for
/// `kata`: one package per
/// entry of `members` (a short name, and the library's sources relative to its
/// `src/`), each built with the reference's manifest, its library those sources and its
/// one test target `test_name`, at `test_path`. A file is rewritten only when its text
/// changed, so a second run rebuilds only what changed since the first.
pub fn workspace(
    kata: &Kata,
    label: &str,
    members: &[(String, BTreeMap<PathBuf, String>)],
    test_name: &str,
    test_path: &Path,
) -> Result<Workspace> {
    let (workspace, guard) = lock(kata, label)?;
    let mut workspace_manifest = read_toml(&kata.root.join("Cargo.toml"))?;
    let ws = workspace_manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .context("the root Cargo.toml has no [workspace] table")?;
    ws.insert(
        "members".into(),
        Value::Array(
            members
                .iter()
                .map(|(name, _)| name.clone().into())
                .collect(),
        ),
    );
    ws.remove("exclude");
    write_if_changed(
        &workspace.join("Cargo.toml"),
        &workspace_manifest.to_string(),
    )?;
    let lock = kata.root.join("Cargo.lock");
    if lock.is_file() {
        let text = fs::read_to_string(&lock).context("reading Cargo.lock")?;
        write_if_changed(&workspace.join("Cargo.lock"), &text)?;
    }
    let reference = read_toml(&kata.solution_dir().join("Cargo.toml"))?;
    let mut built = Vec::new();
    for (name, sources) in members {
        let dir = workspace.join(name);
        let src = dir.join("src");
        for (relative, text) in sources {
            let path = src.join(relative);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            write_if_changed(&path, text)?;
        }
        let package = format!("{label}-{name}").replace('_', "-");
        let mut manifest = reference.clone();
        set(&mut manifest, "package", "name", package.clone().into())?;
        for (table, auto) in [
            ("bin", "autobins"),
            ("example", "autoexamples"),
            ("bench", "autobenches"),
            ("test", "autotests"),
        ] {
            manifest.remove(table);
            set(&mut manifest, "package", auto, false.into())?;
        }
        set(&mut manifest, "package", "build", false.into())?;
        manifest.remove("build-dependencies");
        set(
            &mut manifest,
            "lib",
            "path",
            path_value(&src.join("lib.rs")),
        )?;
        let mut test = Table::new();
        test.insert("name".into(), test_name.into());
        test.insert("path".into(), path_value(test_path));
        manifest.insert("test".into(), Value::Array(vec![Value::Table(test)]));
        write_if_changed(&dir.join("Cargo.toml"), &manifest.to_string())?;
        built.push((package, dir));
    }
    Ok(Workspace {
        manifest: workspace.join("Cargo.toml"),
        members: built,
        _lock: guard,
    })
}
