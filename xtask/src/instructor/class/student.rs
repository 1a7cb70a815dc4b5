//! One student of a class run: their trusted grade, run as a child `grade --submission`,
//! and the marker that says it is complete.
//!
//! Each student's results sit in `<results>/students/<name>/`: one report per format
//! asked for (`grade.json` always, since the class table reads it), the grading's
//! progress lines (`grade.log`), and last of all `result.json`, the marker. A result
//! is complete when its marker exists and names the commit that is checked out in the
//! student's folder now, the instructor's commit now, every format asked for now, and
//! the same options passed to `grade` (`--points`, `--count-flagged`): then a rerun
//! keeps it. The marker is removed before a student is graded and written
//! (to a temporary name, then renamed) only after the grade has ended, so a run
//! stopped halfway leaves no marker for the student it was grading.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::instructor::grade::head_commit;

/// The marker's name; every other file of the folder is a report or the log.
pub const MARKER: &str = "result.json";
pub const REPORT: &str = "grade.json";
const LOG: &str = "grade.log";

/// A report format, written to `students/<name>/<file>`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Human,
    Junit,
    Markdown,
    Classroom,
    Gradescope,
    Prairielearn,
}

pub const FORMATS: [(&str, Format, &str); 7] = [
    ("json", Format::Json, REPORT),
    ("human", Format::Human, "grade.txt"),
    ("junit", Format::Junit, "grade.xml"),
    ("markdown", Format::Markdown, "grade.md"),
    ("classroom", Format::Classroom, "classroom.env"),
    ("gradescope", Format::Gradescope, "gradescope.json"),
    ("prairielearn", Format::Prairielearn, "prairielearn.json"),
];

impl Format {
    fn entry(self) -> &'static (&'static str, Format, &'static str) {
        FORMATS
            .iter()
            .find(|(_, f, _)| *f == self)
            .expect("every format is listed")
    }

    pub fn name(self) -> &'static str {
        self.entry().0
    }

    pub fn file(self) -> &'static str {
        self.entry().2
    }
}

/// A student of the class folder.
#[derive(Clone)]
pub struct Student {
    /// The folder's name: the student's row in the class table.
    pub name: String,
    /// Their clone.
    pub dir: PathBuf,
}

/// What a class run grades against: the same for every student.
pub struct Grader<'a> {
    pub instructor_root: &'a Path,
    /// The instructor's commit, recorded in every marker.
    pub instructor_commit: Option<String>,
    pub formats: &'a [Format],
    /// Passed through to `grade` as they are.
    pub extra_args: &'a [String],
    pub results: &'a Path,
}

/// How one student's grading ended.
pub struct Outcome {
    /// The grade report, or why there is none.
    pub report: Result<Value, String>,
    pub seconds: f64,
}

impl Grader<'_> {
    pub fn folder(&self, student: &Student) -> PathBuf {
        self.results.join("students").join(&student.name)
    }

    /// True when `student`'s result is complete for what is asked now (see the module's
    /// doc): a student folder that is not a git checkout is never, since nothing says
    /// its files are the ones graded.
    pub fn is_complete(&self, student: &Student) -> bool {
        let folder = self.folder(student);
        let Some(marker) = read_json(&folder.join(MARKER)) else {
            return false;
        };
        let commit = head_commit(&student.dir);
        let formats_written = self.formats.iter().all(|f| {
            marker["formats"]
                .as_array()
                .is_some_and(|done| done.contains(&json!(f.name())))
        });
        marker["status"] == "graded"
            && commit.is_some()
            && marker["commit"].as_str() == commit.as_deref()
            && marker["instructor"].as_str() == self.instructor_commit.as_deref()
            // `--points` and `--count-flagged` change the scores: a result graded with
            // other options is graded again.
            && marker["options"] == json!(self.extra_args)
            && formats_written
            && self.formats.iter().all(|f| folder.join(f.file()).is_file())
    }

    /// Grades `student` with `runner` (this runner's copy) as a child process whose
    /// builds go to `target` (theirs alone), and writes the marker.
    pub fn grade(&self, student: &Student, runner: &Path, target: &Path) -> Result<Outcome> {
        let folder = self.folder(student);
        fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
        let marker = folder.join(MARKER);
        if marker.exists() {
            fs::remove_file(&marker).with_context(|| format!("removing {}", marker.display()))?;
        }
        let commit = head_commit(&student.dir);
        let started = Instant::now();
        let mut command = Command::new(runner);
        command.arg("grade").arg("--submission").arg(&student.dir);
        for format in self.formats {
            command
                .args(["--format", format.name(), "--out"])
                .arg(folder.join(format.file()));
        }
        let log = fs::File::create(folder.join(LOG))
            .with_context(|| format!("creating {}", folder.join(LOG).display()))?;
        let status = command
            .args(self.extra_args)
            .current_dir(self.instructor_root)
            .env("CARGO_TARGET_DIR", target)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .status()
            .context("starting the runner for a student")?;
        let seconds = started.elapsed().as_secs_f64();
        // `grade` exits 1 only for --min-score, with its reports written.
        let report = match status.code() {
            Some(0 | 1) => match read_json(&folder.join(REPORT)) {
                Some(report) if report["commit"].as_str() == commit.as_deref() => Ok(report),
                Some(_) => Err("the folder's HEAD moved while it was graded".to_string()),
                None => Err(format!("{REPORT} was not written")),
            },
            _ => Err(last_line(&folder.join(LOG))
                .unwrap_or_else(|| format!("the grading ended with {status}"))),
        };
        let written = json!({
            "student": student.name,
            "status": if report.is_ok() { "graded" } else { "error" },
            "error": report.as_ref().err(),
            "commit": commit,
            "instructor": self.instructor_commit,
            "formats": self.formats.iter().map(|f| f.name()).collect::<Vec<_>>(),
            "options": self.extra_args,
            "seconds": (seconds * 10.0).round() / 10.0,
        });
        let temporary = folder.join(format!(".{MARKER}.partial"));
        fs::write(&temporary, serde_json::to_string_pretty(&written)? + "\n")
            .with_context(|| format!("writing {}", temporary.display()))?;
        fs::rename(&temporary, &marker).with_context(|| format!("writing {}", marker.display()))?;
        Ok(Outcome { report, seconds })
    }
}

/// The last line `grade` wrote (its error, when it could not grade).
fn last_line(log: &Path) -> Option<String> {
    let text = fs::read_to_string(log).ok()?;
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .map(|line| line.trim().to_string())
}

pub fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}
