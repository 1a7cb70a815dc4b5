//! Each student's own target folder, made from a seed the class shares.
//!
//! Two students' copies cannot share one target folder. Cargo names a workspace
//! crate's artifacts by its name, version and path *within its workspace*, the same in
//! every student's copy, so two students building `sort` at once write the same test
//! binary; and the copies sit inside the target folder, where cargo records a source's
//! path relative to the target folder, so a student graded after another can find the
//! other's build up to date and run it (measured: a reference graded after a stub
//! scored the stub's 1.5 %). So each student is built in a target folder of their own,
//! made for them and removed after: a copy (`cp -a`, times kept, so cargo finds the
//! dependencies up to date) of the seed's compiled units. The seed is the `debug/`
//! units of the instructor's target folder, warmed by grading the instructor's own
//! stubs as a submission (whose copy is then removed): no source of any student is in
//! it, and no record in it points at one (an earlier `grade --submission`'s units are
//! copied, but their sources are not, so cargo rebuilds rather than reuses them).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::engine::compile::target_dir;
use crate::engine::repo::Repo;

/// What a target folder holds that a build needs: the compiled units, their
/// fingerprints and build scripts' outputs, and cargo's notes on the compiler.
const KEPT: [&str; 3] = ["deps", ".fingerprint", "build"];
const RUSTC_INFO: &str = ".rustc_info.json";

/// The class run's folders under the instructor's target folder.
pub struct Targets {
    /// `target/xtask/class/`: the seed, the stubs and each student's target folder.
    root: PathBuf,
}

impl Targets {
    pub fn new(instructor: &Repo) -> Targets {
        Targets {
            root: target_dir(&instructor.root).join("xtask").join("class"),
        }
    }

    fn seed(&self) -> PathBuf {
        self.root.join("seed")
    }

    /// The runner every student is graded with: a copy of this one, made when the run
    /// starts, so a rebuild of the instructor's runner while the class is graded
    /// (which replaces its file) neither stops the run nor grades half the class with
    /// another runner.
    pub fn runner(&self) -> PathBuf {
        self.root.join("runner")
    }

    /// Makes the seed anew: the instructor's compiled dependencies, then (when `warm`)
    /// the instructor's stubs graded in it as a submission, so that what every
    /// student's grading builds alike (the instructor's suites, the clippy pass's
    /// dependencies) is built once, not once per student.
    pub fn prepare(&self, instructor: &Repo, warm: bool, log: &Path) -> Result<()> {
        remove(&self.root)?;
        copy_units(&target_dir(&instructor.root), &self.seed())?;
        let this = std::env::current_exe().context("finding this runner")?;
        fs::copy(&this, self.runner()).with_context(|| {
            format!("copying {} to {}", this.display(), self.runner().display())
        })?;
        if !warm {
            return Ok(());
        }
        let stubs = self.root.join("stubs");
        for kata in &instructor.katas {
            let from = kata.exercise_dir().join("src");
            let to = stubs.join("exercises").join(&kata.name);
            fs::create_dir_all(&to).with_context(|| format!("creating {}", to.display()))?;
            cp(&from, &to)?;
        }
        let out = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let status = Command::new(self.runner())
            .arg("grade")
            .arg("--submission")
            .arg(&stubs)
            .args(["--format", "json", "--out"])
            .arg(self.root.join("stubs.json"))
            .current_dir(&instructor.root)
            .env("CARGO_TARGET_DIR", self.seed())
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .status()
            .context("starting the runner to warm the seed")?;
        if !status.success() {
            bail!(
                "grading the instructor's own stubs to warm the class's build cache failed \
                 ({status}); its output is in {}",
                log.display()
            );
        }
        // The stubs' copy goes, so no record in the seed points at a source anyone has.
        remove(&self.seed().join("xtask"))?;
        remove(&stubs)
    }

    /// A fresh target folder for `name`, made from the seed.
    pub fn for_student(&self, name: &str) -> Result<PathBuf> {
        let dir = self.root.join("students").join(name);
        remove(&dir)?;
        copy_units(&self.seed(), &dir)?;
        Ok(dir)
    }

    /// Removes a student's target folder once they are graded.
    pub fn done(&self, name: &str) -> Result<()> {
        remove(&self.root.join("students").join(name))
    }

    /// Removes everything the class run made here.
    pub fn clean(&self) -> Result<()> {
        remove(&self.root)
    }
}

/// Copies the build-relevant part of target folder `from` (its `debug/` profile) into `to`.
fn copy_units(from: &Path, to: &Path) -> Result<()> {
    let debug = to.join("debug");
    fs::create_dir_all(&debug).with_context(|| format!("creating {}", debug.display()))?;
    for name in KEPT {
        let source = from.join("debug").join(name);
        if source.is_dir() {
            cp(&source, &debug)?;
        }
    }
    let info = from.join(RUSTC_INFO);
    if info.is_file() {
        cp(&info, to)?;
    }
    Ok(())
}

/// `cp -a from into/`: times kept, so that cargo finds what was fresh still fresh.
fn cp(from: &Path, into: &Path) -> Result<()> {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(format!("{}/", into.display()))
        .stdin(Stdio::null())
        .status()
        .context("running cp")?;
    if !status.success() {
        bail!(
            "copying {} into {} failed ({status})",
            from.display(),
            into.display()
        );
    }
    Ok(())
}

fn remove(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(err).with_context(|| format!("removing {}", path.display()))
        }
        _ => Ok(()),
    }
}
