//! `cargo xtask class`: a folder of student clones graded at once, into the class table.
//!
//! On the fixture repository's `demo` kata (small, quick to build), four students: the
//! stub, the reference, one whose code does not compile and one that reads libtest's
//! command line (a cheat GRADING.md lists). Two are graded at once. The reference is
//! graded beside and after the others and must score 100: a student's build never
//! runs another's. A rerun keeps every complete result; a new commit, or a result
//! whose marker is gone (a run stopped while grading it), is graded again. A class of
//! one (each job of the Actions workflow) is graded without warming a cache.

mod common;

use std::fs;
use std::path::Path;

use common::{Fixture, fixture_command, git, stderr};

const OTHER_KATAS: [&str; 5] = ["broken", "strays", "loops", "noisy", "litter"];

/// The instructor's checkout: the fixture with the demo kata only.
fn instructor() -> Fixture {
    let fixture = Fixture::new("class-instructor");
    for kata in OTHER_KATAS {
        for dir in ["exercises", "solutions"] {
            fs::remove_dir_all(fixture.path(&format!("{dir}/{kata}"))).unwrap();
        }
        fs::remove_file(fixture.path(&format!("tests/{kata}.rs"))).unwrap();
    }
    fixture
}

/// A student's clone holding `lib` as their demo kata, with one commit.
fn student(class: &Path, name: &str, lib: &str) {
    let dir = class.join(name);
    fs::create_dir_all(dir.join("exercises/demo/src")).unwrap();
    fs::write(dir.join("exercises/demo/src/lib.rs"), lib).unwrap();
    git(&dir, &["init", "--quiet"]);
    commit(&dir, "work");
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "--quiet", "--allow-empty", "-m", message]);
}

fn class_run(instructor: &Fixture, args: &[&str]) -> String {
    let output = fixture_command(&instructor.dir, args).output().unwrap();
    let err = stderr(&output);
    assert!(output.status.success(), "xtask {args:?} failed:\n{err}");
    err
}

/// The CSV's row for `student`, as cells (no cell of these rows holds a comma).
fn row(csv: &str, student: &str) -> Vec<String> {
    csv.lines()
        .find(|line| line.starts_with(&format!("{student},")))
        .unwrap_or_else(|| panic!("no row for {student}:\n{csv}"))
        .split(',')
        .map(String::from)
        .collect()
}

#[test]
fn a_class_is_graded_at_once_into_the_table_and_a_rerun_keeps_what_is_complete() {
    let instructor = instructor();
    let class = instructor.dir.with_extension("class");
    let results = instructor.dir.with_extension("results");
    let _ = fs::remove_dir_all(&class);
    let _ = fs::remove_dir_all(&results);
    let stub = fs::read_to_string(instructor.path("exercises/demo/src/lib.rs")).unwrap();
    let reference = fs::read_to_string(instructor.path("solutions/demo/src/lib.rs")).unwrap();
    student(&class, "a-stub", &stub);
    student(
        &class,
        "b-broken",
        &format!("{reference}\npub fn oops() -> u32 {{ \"text\" }}\n"),
    );
    student(
        &class,
        "c-cheat",
        &reference.replace("a + b", "{ let _log = std::env::args().count(); a + b }"),
    );
    student(&class, "d-reference", &reference);
    let (class_arg, results_arg) = (class.display().to_string(), results.display().to_string());
    let args = [
        "class",
        class_arg.as_str(),
        "--results",
        results_arg.as_str(),
        "--format",
        "junit",
        "--jobs",
        "2",
    ];

    let first = class_run(&instructor, &args);
    assert!(first.contains("4 to grade, 2 at a time"), "{first}");
    let csv = fs::read_to_string(results.join("class.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(
        header,
        [
            "student",
            "commit",
            "status",
            "demo",
            "total",
            "katas_passed",
            "flags",
            "problems"
        ],
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 5, "a row per student:\n{csv}");
    let reference_row = row(&csv, "d-reference");
    assert_eq!(
        reference_row[2..6],
        ["graded", "100.00", "100.00", "1"],
        "{csv}"
    );
    assert_eq!(
        reference_row[1].len(),
        40,
        "the graded commit: {reference_row:?}"
    );
    let broken = row(&csv, "b-broken");
    assert_eq!(broken[3..6], ["0.00", "0.00", "0"], "{csv}");
    assert_eq!(broken[7], "demo: does not compile", "{csv}");
    let cheat = row(&csv, "c-cheat");
    assert_eq!(cheat[3..6], ["0.00", "0.00", "0"], "withheld: {csv}");
    assert!(
        cheat[6].starts_with("demo: env std::env")
            && cheat[6].contains("(withheld: 100.0 measured)"),
        "the cheat is flagged in the table: {csv}"
    );
    let stub_row = row(&csv, "a-stub");
    let stub_report: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(results.join("students/a-stub/grade.json")).unwrap(),
    )
    .unwrap();
    assert!(stub_report["katas"][0]["passed"].as_u64() < stub_report["katas"][0]["total"].as_u64());
    assert_eq!(stub_row[2], "graded", "{csv}");
    for name in ["a-stub", "b-broken", "c-cheat", "d-reference"] {
        for file in ["grade.json", "grade.xml", "result.json", "grade.log"] {
            assert!(
                results.join("students").join(name).join(file).is_file(),
                "{name}/{file}"
            );
        }
    }
    let summary = fs::read_to_string(results.join("class.md")).unwrap();
    assert!(
        summary.contains("| d-reference | 100.0% | 1 of 1 |"),
        "{summary}"
    );
    assert!(
        summary.contains("**Flagged for review**") && summary.contains("- c-cheat: demo: env"),
        "{summary}"
    );

    // Everything is complete: nothing is graded again.
    let again = class_run(&instructor, &args);
    assert!(
        again.contains("4 already graded for their commit (kept), 0 to grade"),
        "{again}"
    );
    assert_eq!(fs::read_to_string(results.join("class.csv")).unwrap(), csv);

    // A new commit of one student, and a result whose marker is gone (a run stopped
    // while grading it): those two are graded again, the others kept.
    fs::write(class.join("a-stub/exercises/demo/src/lib.rs"), &reference).unwrap();
    commit(&class.join("a-stub"), "solved");
    fs::remove_file(results.join("students/b-broken/result.json")).unwrap();
    let resumed = class_run(&instructor, &args);
    assert!(
        resumed.contains("2 already graded for their commit (kept), 2 to grade"),
        "{resumed}"
    );
    let csv = fs::read_to_string(results.join("class.csv")).unwrap();
    assert_eq!(row(&csv, "a-stub")[3], "100.00", "{csv}");
    assert_eq!(row(&csv, "b-broken")[7], "demo: does not compile", "{csv}");

    // Other options change the scores: every student is graded again with them.
    let mut counted = args.to_vec();
    counted.push("--count-flagged");
    let recounted = class_run(&instructor, &counted);
    assert!(
        recounted.contains("0 already graded for their commit (kept), 4 to grade"),
        "{recounted}"
    );
    let csv = fs::read_to_string(results.join("class.csv")).unwrap();
    assert_eq!(row(&csv, "c-cheat")[3], "100.00", "counted: {csv}");

    // Without a class folder, only the table is written; a student folder with no
    // result (a job that left nothing) is a row saying so, and the exit status is 1.
    fs::create_dir_all(results.join("students/e-missing")).unwrap();
    let output = fixture_command(
        &instructor.dir,
        &["class", "--results", results_arg.as_str()],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let csv = fs::read_to_string(results.join("class.csv")).unwrap();
    let missing = row(&csv, "e-missing");
    assert_eq!(missing[2], "error", "{csv}");
    assert!(missing.last().unwrap().starts_with("no result"), "{csv}");

    // One student (an Actions job's class): graded without warming a cache first.
    let single = instructor.dir.with_extension("single");
    let _ = fs::remove_dir_all(&single);
    student(&single, "f-alone", &reference);
    let single_results = instructor.dir.with_extension("single-results");
    let single_arg = single.display().to_string();
    let single_results_arg = single_results.display().to_string();
    let alone = class_run(
        &instructor,
        &[
            "class",
            single_arg.as_str(),
            "--results",
            single_results_arg.as_str(),
        ],
    );
    assert!(!alone.contains("warming"), "{alone}");
    let csv = fs::read_to_string(single_results.join("class.csv")).unwrap();
    assert_eq!(row(&csv, "f-alone")[3..5], ["100.00", "100.00"], "{csv}");

    for dir in [&class, &single, &results, &single_results] {
        let _ = fs::remove_dir_all(dir);
    }
}
