//! `cargo xtask export --student` on a copy of the repository holding only the sort
//! kata: no solutions, no mutants or wheats, a grading workflow, and a runner that still checks.

mod common;

use std::fs;
use std::path::Path;

use common::{BuildLock, MiniRepo};

#[test]
fn the_export_has_no_solutions_nor_mutants_and_still_checks() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("export");
    let student = repo.temp.path.join("class");
    let student_arg = student.display().to_string();
    let run = repo.xtask(&["export", "--student", &student_arg]);
    assert_eq!(run.code, Some(0), "{run}");

    let files = common::files_under(&student);
    let has = |path: &str| files.iter().any(|f| f == Path::new(path));
    for path in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        ".gitignore",
        "README.md",
        ".github/workflows/grade.yml",
        "exercises/sort/Cargo.toml",
        "exercises/sort/src/lib.rs",
        "tests/sort.rs",
        "xtask/Cargo.toml",
        "xtask/src/main.rs",
    ] {
        assert!(has(path), "{path} is exported: {files:?}");
    }
    assert!(
        files.iter().any(|f| f.starts_with("tests/snapshots")),
        "snapshots are exported"
    );
    for file in &files {
        let text = file.display().to_string();
        assert!(
            !text.starts_with("solutions")
                && !text.starts_with("tests/mutants")
                && !text.starts_with("tests/wheats")
                && !text.starts_with("xtask/tests"),
            "{text} must not be exported"
        );
    }

    let manifest: toml::Table =
        toml::from_str(&fs::read_to_string(student.join("Cargo.toml")).unwrap()).unwrap();
    assert_eq!(
        manifest["workspace"]["members"],
        toml::Value::Array(vec!["exercises/*".into()]),
        "the workspace lists only what exists"
    );
    // The runner is a workspace of its own, with its own lock file.
    assert_eq!(
        manifest["workspace"]["exclude"],
        toml::Value::Array(vec!["xtask".into()])
    );
    assert!(
        student.join("xtask/Cargo.lock").is_file(),
        "the runner's lock file is exported"
    );
    let lock = fs::read_to_string(student.join("Cargo.lock")).unwrap();
    assert!(
        !lock.contains("name = \"sort-solution\""),
        "Cargo.lock no longer lists the reference"
    );
    // The students' README speaks to those who read Chinese first too, and says how to
    // choose the language and where a mirror goes (issue 31).
    let readme = fs::read_to_string(student.join("README.md")).unwrap();
    for needed in [
        "## 中文",
        "--lang zh",
        "--lang auto",
        "README.zh.md",
        "replace-with",
    ] {
        assert!(
            readme.contains(needed),
            "the README has {needed}:\n{readme}"
        );
    }
    let workflow = fs::read_to_string(student.join(".github/workflows/grade.yml")).unwrap();
    for needed in [
        "actions/checkout",
        "rustup toolchain install stable",
        "cargo xtask grade",
        "--format junit --out grade.xml",
        "--format markdown --out \"$GITHUB_STEP_SUMMARY\"",
        "actions/upload-artifact",
        "actions/cache",
        "~/.cargo",
        "target/",
    ] {
        assert!(workflow.contains(needed), "the workflow has {needed}");
    }

    // Only into a new or empty folder.
    let run = repo.xtask(&["export", "--student", &student_arg]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("is not empty"), "{run}");

    // The runner works there, and says plainly that there are no solutions.
    let run = common::xtask_in(&student, &["check", "sort"]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(
        run.stdout.contains("bubble_sort_by") && run.stdout.contains("is not implemented yet"),
        "{run}"
    );
    let run = common::xtask_in(&student, &["check", "sort", "--solution"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr.contains("no reference solutions")
            && run.stderr.contains("--solution is not available"),
        "{run}"
    );
    // The learner's own tests are scored where the wheats and chaffs are: in the
    // instructor's grading run.
    let run = common::xtask_in(&student, &["tests", "sort"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stdout
            .contains("scored in your instructor's grading run"),
        "{run}"
    );
}
