//! `grade --submission <folder>`: a student's work graded by the instructor.
//!
//! Run from the instructor's checkout. Whatever runs in a student's repository is the
//! student's to change (the runner, the `xtask` alias, the workflow), so here nothing of
//! the student's runs but their code under test, and nothing of theirs is read but an
//! allow-list of learner files:
//!
//! - `exercises/<kata>/src/**` for each kata of the instructor's, and
//! - `exercises/<kata>/learner_tests.rs`, the learner's own tests, where it exists.
//!
//! Only regular files are taken, opened without following a symbolic link (and never
//! through a folder that is one): a link, a FIFO or a device is refused and flagged.
//! Everything else comes from the instructor's checkout, read once when grading starts:
//! the workspace manifest (its members cut to `exercises/*`), the lock file, `.cargo/`,
//! `tests/` (without `tests/mutants/` and `tests/wheats/`) and each kata's manifest and
//! READMEs. So no build script or manifest of the student's ever runs, and the suites
//! are the instructor's.
//!
//! These files make the student's copy (`$TMPDIR/kata-submissions/<student>-<target>/`,
//! made anew for every grading and removed after it; never inside the target folder,
//! see [`prepare`]). The copy is built in the instructor's target folder
//! (the dependencies are compiled once for the class), and its tests run in it, confined to
//! it where the kernel allows (`engine/run/confine.rs`): they cannot write the
//! instructor's checkout or the target folder. Before each kata is built, every file
//! of the copy is put back as it was read ([`Submission::restore`]), and any file added
//! to a kata's crate or to `tests/` is removed: nothing a kata's tests wrote changes
//! what a later kata is built from.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml::{Table, Value};

use super::results::Reach;
use crate::engine::compile::{Build, build_suite, target_dir};
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::list_tests;
use crate::engine::suite;

/// A kata's crate may hold at most this many files, this deep, this large in all:
/// far beyond any learner's work, short of a folder meant to stall the grading.
const MAX_FILES: usize = 1000;
const MAX_DEPTH: usize = 16;
const MAX_BYTES: u64 = 32 << 20;
/// The learner's own tests, beside `src/` (once katas have them).
const LEARNER_TESTS: &str = "learner_tests.rs";
/// Maintainers' known-wrong and known-right implementations (answers): never copied
/// where a student's code runs; the learner's tests reach them from the instructor's
/// checkout.
const ANSWERS: [&str; 2] = ["mutants", "wheats"];

/// A student's copy, ready to grade.
pub(super) struct Submission {
    /// The folder given to `--submission`.
    pub(super) source: String,
    /// The copy, as a repository whose katas are the instructor's.
    pub(super) repo: Repo,
    /// Every file of the copy by its path from the copy's root, as read at the start.
    files: BTreeMap<PathBuf, Vec<u8>>,
    /// What was refused, per kata (symbolic links, special files, too much).
    pub(super) refused: BTreeMap<String, Vec<Reach>>,
    /// Katas of the instructor's that the submission has no `src/lib.rs` for.
    pub(super) absent: BTreeSet<String>,
    /// Per kata, the tests its suite has as the instructor's own crate builds it.
    pub(super) expected: BTreeMap<String, Vec<String>>,
}

/// The copy holds a student's code outside the target folder: it goes when the grading
/// is over, never left behind in the temporary folder.
impl Drop for Submission {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.repo.root);
    }
}

/// Lays out the copy of `dir` graded against `instructor`'s checkout.
pub(super) fn prepare(instructor: &Repo, dir: &Path) -> Result<Submission> {
    let student = fs::canonicalize(dir)
        .with_context(|| format!("--submission {}: no such folder", dir.display()))?;
    if !student.is_dir() {
        bail!("--submission {}: not a folder", dir.display());
    }
    let own_root = fs::canonicalize(&instructor.root).unwrap_or(instructor.root.clone());
    if student == own_root {
        bail!(
            "--submission names this checkout itself; give the student's folder (a clone of \
             their repository)"
        );
    }
    let mut files = instructor_files(instructor)?;
    // Listed now, before any student's code runs, from the checkout as it is.
    let mut expected = BTreeMap::new();
    for kata in &instructor.katas {
        expected.insert(kata.name.clone(), expected_tests(instructor, kata)?);
    }
    let mut refused = BTreeMap::new();
    let mut absent = BTreeSet::new();
    for kata in &instructor.katas {
        let crate_dir = Path::new("exercises").join(&kata.name);
        let src = crate_dir.join("src");
        let mut taken = Taken::default();
        if let Some(dir) = real_dir(&student, &src, &mut taken.refused) {
            take_tree(&student, &dir, 0, &mut taken)?;
        }
        let tests = crate_dir.join(LEARNER_TESTS);
        if fs::symlink_metadata(student.join(&tests)).is_ok()
            && real_dir(&student, &crate_dir, &mut Vec::new()).is_some()
        {
            take_file(&student, &tests, &mut taken)?;
        }
        if taken.files.contains_key(&src.join("lib.rs")) {
            // The student's src/ replaces the instructor's stub whole.
            files.retain(|path, _| !path.starts_with(&src));
        } else {
            // Nothing to grade: the stub stays, so that the workspace still loads.
            absent.insert(kata.name.clone());
            taken.files.retain(|path, _| !path.starts_with(&src));
        }
        files.extend(taken.files);
        if !taken.refused.is_empty() {
            refused.insert(kata.name.clone(), taken.refused);
        }
    }

    // Outside the target folder: cargo records the sources of a crate inside the
    // target folder relative to that folder, so a copy there, left in place by an
    // earlier student, made the next student's build look up to date, and the next
    // student was graded on the earlier one's test binary. Outside it, the record is
    // relative to the crate itself, which is always the copy just written. One folder
    // per student and target folder, so gradings at once never share one; removed when
    // the grading is over (see `Drop`).
    let target = target_dir(&instructor.root);
    // Where copies lay before: a record pointing there would still fool cargo.
    let inside = target.join("xtask").join("submissions");
    if fs::symlink_metadata(&inside).is_ok() {
        remove_any(&inside)?;
    }
    let root = std::env::temp_dir().join("kata-submissions").join(format!(
        "{}-{}",
        label(&student),
        label(&target)
    ));
    if fs::symlink_metadata(&root).is_ok() {
        remove_any(&root)?;
    }
    fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    restore(&root, &files)?;
    let repo = Repo::find(&root).context("reading the katas of the student's copy")?;
    Ok(Submission {
        source: dir.display().to_string(),
        repo,
        files,
        refused,
        absent,
        expected,
    })
}

impl Submission {
    /// Puts the copy back as it was made (see [`restore`]): before each kata's build.
    pub(super) fn restore(&self) -> Result<()> {
        restore(&self.repo.root, &self.files)
    }
}

/// Puts every file of the copy at `root` back as it was read, through real folders
/// only, and removes any file added to `.cargo/`, `exercises/` (a `build.rs` beside a
/// kata's manifest would run at its build) or `tests/`.
fn restore(root: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    for (relative, bytes) in files {
        place(root, relative, bytes)?;
    }
    for dir in [".cargo", "exercises", "tests"] {
        remove_extras(root, Path::new(dir), files)?;
    }
    // The confined tests' temporary folder starts empty for each kata.
    let tmp = root.join("tmp");
    if fs::symlink_metadata(&tmp).is_ok() {
        remove_any(&tmp)?;
    }
    Ok(())
}

/// The instructor's files the copy is made of, by their path from the root.
fn instructor_files(instructor: &Repo) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let root = &instructor.root;
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("Cargo.toml"),
        workspace_manifest(&root.join("Cargo.toml"))?.into_bytes(),
    );
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        files.insert(PathBuf::from("Cargo.lock"), read(&lock)?);
    }
    read_tree(root, Path::new(".cargo"), &[], &mut files)?;
    read_tree(root, Path::new("tests"), &ANSWERS, &mut files)?;
    for kata in &instructor.katas {
        let dir = Path::new("exercises").join(&kata.name);
        read_tree(root, &dir, &["src", "target"], &mut files)?;
        // The instructor's stub too, for a kata the student has nothing of.
        read_tree(root, &dir.join("src"), &[], &mut files)?;
    }
    Ok(files)
}

/// The instructor's workspace manifest with its members cut to the katas.
fn workspace_manifest(path: &Path) -> Result<String> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut manifest: Table = text
        .parse()
        .with_context(|| format!("parsing {}", path.display()))?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(Value::as_table_mut)
        .context("the root Cargo.toml has no [workspace] table")?;
    workspace.insert("members".into(), Value::Array(vec!["exercises/*".into()]));
    workspace.remove("exclude");
    Ok(manifest.to_string())
}

/// Every file under `root/dir` (but the top-level folders in `skipped`), read.
fn read_tree(
    root: &Path,
    dir: &Path,
    skipped: &[&str],
    files: &mut BTreeMap<PathBuf, Vec<u8>>,
) -> Result<()> {
    let Ok(entries) = fs::read_dir(root.join(dir)) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let relative = dir.join(entry.file_name());
        let path = entry.path();
        if path.is_dir() {
            if !skipped.iter().any(|s| entry.file_name() == *s) {
                read_tree(root, &relative, &[], files)?;
            }
        } else if path.is_file() {
            files.insert(relative, read(&path)?);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// What was taken from one kata of the submission.
#[derive(Default)]
struct Taken {
    files: BTreeMap<PathBuf, Vec<u8>>,
    refused: Vec<Reach>,
    bytes: u64,
}

/// `relative` under `student` when every folder on the way is a real folder (not a
/// link); a link on the way is refused.
fn real_dir(student: &Path, relative: &Path, refused: &mut Vec<Reach>) -> Option<PathBuf> {
    let mut at = PathBuf::new();
    for part in relative.components() {
        at.push(part);
        let meta = fs::symlink_metadata(student.join(&at)).ok()?;
        if meta.file_type().is_symlink() {
            refused.push(refusal(&at, "a symbolic link to a folder"));
            return None;
        }
        if !meta.is_dir() {
            return None;
        }
    }
    Some(at)
}

fn take_tree(student: &Path, dir: &Path, depth: usize, taken: &mut Taken) -> Result<()> {
    if depth > MAX_DEPTH {
        taken.refused.push(refusal(dir, "folders nested too deep"));
        return Ok(());
    }
    let mut entries: Vec<_> = fs::read_dir(student.join(dir))
        .with_context(|| format!("reading {}", student.join(dir).display()))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let relative = dir.join(entry.file_name());
        let kind = entry
            .file_type()
            .with_context(|| format!("reading {}", entry.path().display()))?;
        if kind.is_dir() {
            take_tree(student, &relative, depth + 1, taken)?;
        } else {
            take_file(student, &relative, taken)?;
        }
    }
    Ok(())
}

/// Takes one regular file, opened without following a link (`O_NOFOLLOW`).
fn take_file(student: &Path, relative: &Path, taken: &mut Taken) -> Result<()> {
    if taken.files.len() >= MAX_FILES {
        taken.refused.push(refusal(relative, "one file too many"));
        return Ok(());
    }
    let path = student.join(relative);
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path);
    let meta = file.as_ref().ok().and_then(|f| f.metadata().ok());
    let (Ok(mut file), Some(meta)) = (file, meta) else {
        let what = match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&path) {
                Ok(target) => format!("a symbolic link to {}", target.display()),
                Err(_) => "a symbolic link".to_string(),
            },
            _ => "a file that cannot be read".to_string(),
        };
        taken.refused.push(refusal(relative, &what));
        return Ok(());
    };
    if !meta.is_file() {
        taken.refused.push(refusal(
            relative,
            "not a regular file (a FIFO, a socket, a device)",
        ));
        return Ok(());
    }
    if taken.bytes + meta.len() > MAX_BYTES {
        taken
            .refused
            .push(refusal(relative, "more bytes than a kata's code needs"));
        return Ok(());
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    taken.bytes += bytes.len() as u64;
    taken.files.insert(relative.to_path_buf(), bytes);
    Ok(())
}

fn refusal(relative: &Path, what: &str) -> Reach {
    Reach {
        kind: "refused".into(),
        what: format!("{what}: not copied"),
        at: relative.display().to_string(),
    }
}

/// Writes `bytes` at `root/relative` unless it is there already, making every folder
/// on the way a real folder (anything else in its place is removed) and replacing
/// anything at the path itself that is not a regular file.
fn place(root: &Path, relative: &Path, bytes: &[u8]) -> Result<()> {
    let mut at = root.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                remove_any(&at)?;
                fs::create_dir(&at).with_context(|| format!("creating {}", at.display()))?;
            }
            Err(_) => fs::create_dir(&at).with_context(|| format!("creating {}", at.display()))?,
        }
    }
    let path = root.join(relative);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => {
            if fs::read(&path).ok().as_deref() == Some(bytes) {
                return Ok(());
            }
        }
        Ok(_) => remove_any(&path)?,
        Err(_) => {}
    }
    // A new file, never one written through: a hard link to a file elsewhere is
    // replaced, not overwritten.
    let _ = fs::remove_file(&path);
    fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Removes the files under `root/dir` that the copy does not hold.
fn remove_extras(root: &Path, dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    let Ok(entries) = fs::read_dir(root.join(dir)) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let relative = dir.join(entry.file_name());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && files.keys().any(|f| f.starts_with(&relative)) {
            remove_extras(root, &relative, files)?;
        } else if !files.contains_key(&relative) {
            remove_any(&entry.path())?;
        }
    }
    Ok(())
}

fn remove_any(path: &Path) -> Result<()> {
    let meta = fs::symlink_metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
    .with_context(|| format!("removing {}", path.display()))
}

/// The copy's folder name: the submission folder's name and a hash of its full path,
/// so two students' `repo` folders never share a copy.
fn label(student: &Path) -> String {
    let name: String = student
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    let hash = student
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{name}-{:08x}", hash as u32)
}

/// The commit checked out in the student's folder, read from `.git/HEAD` and its ref
/// (loose or packed) rather than by running git there: a repository's own
/// configuration can name programs for git to run, and this one is the student's.
pub(crate) fn head_commit(dir: &Path) -> Option<String> {
    let git = dir.join(".git");
    let head = fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let id = match head.strip_prefix("ref: ") {
        None => head.to_string(),
        Some(name) => {
            let name = name.trim();
            if !name.starts_with("refs/") || name.split('/').any(|part| part == "..") {
                return None;
            }
            match fs::read_to_string(git.join(name)) {
                Ok(id) => id.trim().to_string(),
                Err(_) => fs::read_to_string(git.join("packed-refs"))
                    .ok()?
                    .lines()
                    .find_map(|line| {
                        let (id, packed) = line.split_once(' ')?;
                        (packed == name).then(|| id.to_string())
                    })?,
            }
        }
    };
    let hex = id.chars().all(|c| c.is_ascii_hexdigit());
    (hex && (id.len() == 40 || id.len() == 64)).then_some(id)
}

/// The tests of `kata`'s suite as the instructor's own crate builds it (the reference,
/// or the stub in a checkout without references): what a student's copy of the suite
/// must hold.
fn expected_tests(instructor: &Repo, kata: &Kata) -> Result<Vec<String>> {
    let subject = if instructor.has_solutions() {
        suite::solution(kata)
    } else {
        suite::exercise(kata)
    };
    match build_suite(&instructor.root, &subject, &kata.name, None, false)? {
        Build::Ready { test_exe, .. } => list_tests(&test_exe, None),
        Build::Failed { diagnostics } => bail!(
            "the instructor's {} does not build, so the tests its suite should have are not \
             known:\n{}",
            subject.package,
            diagnostics.join("\n")
        ),
    }
}
