//! `cargo xtask class`: the instructor's trusted grade of a whole class at once.
//!
//! Every folder of the class folder is a student's clone, graded exactly as
//! `grade --submission` grades one (this runner runs itself as a child for each, so
//! every student has the whole of its guarantees: its own child subreaper, its own
//! confined copy), several students at a time, each in a target folder of their own
//! (`targets.rs`). One report per student per format, a marker that makes a rerun skip
//! the students already graded (`student.rs`), and the class table, a CSV and a
//! Markdown summary (`table.rs`). Without a class folder, it only writes the table
//! from the results already there: the Actions workflow's final job.

mod student;
mod table;
mod targets;

use std::collections::VecDeque;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches, value_parser};

use crate::engine::repo::Repo;
use crate::engine::style::Style;
use crate::instructor::grade::head_commit;
use student::{FORMATS, Format, Grader, Student};
use targets::Targets;

pub fn command() -> clap::Command {
    clap::Command::new("class")
        .about("Grade a folder of student clones at once (the trusted grade of each), into a class table")
        .arg(
            Arg::new("class")
                .value_name("CLASS_DIR")
                .value_parser(value_parser!(PathBuf))
                .help(
                    "The folder holding one clone per student (its folder's name is the \
                     student's row). Without it, only the class table is written, from the \
                     results already in --results",
                ),
        )
        .arg(
            Arg::new("results")
                .long("results")
                .value_name("DIR")
                .required(true)
                .value_parser(value_parser!(PathBuf))
                .help(
                    "Where the reports go (students/<name>/), with class.csv and class.md. \
                     A student whose result there is complete for their commit is kept, not \
                     graded again",
                ),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .action(ArgAction::Append)
                .value_parser(FORMATS.map(|(name, _, _)| name))
                .help("A report to write per student, besides grade.json (repeatable)"),
        )
        .arg(
            Arg::new("jobs")
                .long("jobs")
                .short('j')
                .value_name("N")
                .value_parser(value_parser!(usize))
                .help("Students graded at once (default: the number of cores)"),
        )
        .arg(
            Arg::new("count-flagged")
                .long("count-flagged")
                .action(ArgAction::SetTrue)
                .help("Passed to grade: count a flagged kata's points instead of withholding them"),
        )
        .arg(
            Arg::new("points")
                .long("points")
                .value_name("KATA=N")
                .action(ArgAction::Append)
                .help("Passed to grade, for --format classroom (repeatable)"),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, _: Style) -> Result<bool> {
    let results = m
        .get_one::<PathBuf>("results")
        .expect("clap requires --results");
    let results = std::path::absolute(results).context("resolving --results")?;
    if let Some(class) = m.get_one::<PathBuf>("class") {
        let mut formats = vec![Format::Json];
        for name in m.get_many::<String>("format").into_iter().flatten() {
            let format = FORMATS
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, f, _)| *f);
            if let Some(format) = format.filter(|f| !formats.contains(f)) {
                formats.push(format);
            }
        }
        let mut extra_args = Vec::new();
        if m.get_flag("count-flagged") {
            extra_args.push("--count-flagged".to_string());
        }
        for pair in m.get_many::<String>("points").into_iter().flatten() {
            extra_args.extend(["--points".to_string(), pair.clone()]);
        }
        let jobs = m
            .get_one::<usize>("jobs")
            .copied()
            .unwrap_or_else(|| thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        let grader = Grader {
            instructor_root: &repo.root,
            instructor_commit: instructor_commit(&repo.root),
            formats: &formats,
            extra_args: &extra_args,
            results: &results,
        };
        grade_class(repo, class, &grader, jobs)?;
    }
    let rows = table::read(&results)?;
    table::write(&results, &rows)?;
    eprintln!(
        "class: the class table ({} students) is in {} and {}",
        rows.len(),
        results.join("class.csv").display(),
        results.join("class.md").display()
    );
    Ok(rows.iter().all(|row| row.report.is_some()))
}

/// The instructor's commit: git asked in the instructor's own checkout (trusted, and a
/// worktree's `.git` is a file that [`head_commit`] does not read), else `.git` read.
fn instructor_commit(root: &Path) -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["rev-parse", "--verify", "-q", "HEAD"])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success());
    output
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|id| !id.is_empty())
        .or_else(|| head_commit(root))
}

/// Every sub-folder of `class` but hidden ones, by name.
fn students(class: &Path) -> Result<Vec<Student>> {
    let mut students = Vec::new();
    for entry in fs::read_dir(class).with_context(|| format!("reading {}", class.display()))? {
        let entry = entry.with_context(|| format!("reading {}", class.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() && !name.starts_with('.') {
            students.push(Student {
                name,
                dir: entry.path(),
            });
        }
    }
    if students.is_empty() {
        bail!("{} holds no student folders", class.display());
    }
    students.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(students)
}

fn grade_class(repo: &Repo, class: &Path, grader: &Grader, jobs: usize) -> Result<()> {
    let started = Instant::now();
    let all = students(class)?;
    let (kept, todo): (Vec<Student>, Vec<Student>) =
        all.iter().cloned().partition(|s| grader.is_complete(s));
    eprintln!(
        "class: {} students: {} already graded for their commit (kept), {} to grade, {} at a time",
        all.len(),
        kept.len(),
        todo.len(),
        jobs.min(todo.len().max(1))
    );
    if todo.is_empty() {
        return Ok(());
    }
    fs::create_dir_all(grader.results).context("creating --results")?;
    let targets = Targets::new(repo);
    let warm = todo.len() > 1;
    if warm {
        eprintln!("class: warming the class's build cache (the instructor's stubs, graded once)");
    }
    targets.prepare(repo, warm, &grader.results.join("warm-up.log"))?;
    if warm {
        eprintln!(
            "class: build cache ready ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    }

    let count = todo.len();
    let queue = Arc::new(Mutex::new(VecDeque::from(todo)));
    let (tx, rx) = mpsc::channel();
    thread::scope(|scope| -> Result<()> {
        for _ in 0..jobs.min(count) {
            let queue = Arc::clone(&queue);
            let tx = tx.clone();
            let targets = &targets;
            scope.spawn(move || {
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
                    let Some(student) = next else { break };
                    let outcome = targets
                        .for_student(&student.name)
                        .and_then(|target| grader.grade(&student, &targets.runner(), &target))
                        .and_then(|outcome| targets.done(&student.name).map(|()| outcome));
                    if tx.send((student, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (done, (student, outcome)) in rx.iter().enumerate() {
            let waiting = queue.lock().unwrap_or_else(|p| p.into_inner()).len();
            let said = match outcome {
                Ok(o) => match &o.report {
                    Ok(r) => format!(
                        "{:.1}% ({} of {} katas pass{}) in {:.0} s",
                        r["score"].as_f64().unwrap_or(0.0),
                        r["katas_passed"],
                        r["katas_graded"],
                        match r["katas_withheld"].as_u64() {
                            Some(0) | None => String::new(),
                            Some(n) => format!(", {n} withheld for review"),
                        },
                        o.seconds
                    ),
                    Err(why) => format!("NOT GRADED: {why}"),
                },
                Err(err) => format!("NOT GRADED: {err:#}"),
            };
            eprintln!(
                "class: [{}/{count}] {}: {said}; {waiting} waiting, {:.0} s so far",
                done + 1,
                student.name,
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    })?;
    targets.clean()
}
