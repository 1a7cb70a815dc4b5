//! `cargo xtask grade` on a copy of the repository holding only the sort kata: the
//! fresh stubs, the reference in place of the stub, and a mutant hidden behind a
//! weakened suite that `--pristine` sees through.

mod common;

use std::fs;

use common::{BuildLock, MiniRepo};
use serde_json::Value;

/// A suite a learner might write to pass anything.
const WEAK_SUITE: &str = "#[test]\nfn sorts() {}\n";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn sort_kata(report: &Value) -> &Value {
    report["katas"]
        .as_array()
        .expect("katas is an array")
        .iter()
        .find(|k| k["name"] == "sort")
        .expect("the sort kata is in the report")
}

#[test]
fn fresh_stubs_score_zero_in_every_format() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("grade-stubs");
    let run = repo.xtask(&[
        "grade",
        "--format",
        "json",
        "--out",
        "out/grade.json",
        "--format",
        "junit",
        "--out",
        "out/grade.xml",
        "--format",
        "markdown",
        "--out",
        "out/grade.md",
        "--format",
        "human",
        "--out",
        "out/grade.txt",
    ]);
    assert_eq!(
        run.code,
        Some(0),
        "grading worked, whatever the score\n{run}"
    );
    assert!(run.stdout.is_empty(), "reports go to --out only\n{run}");
    assert!(
        run.stderr.contains("grade: [1/1] sort (排序): 0 of "),
        "one progress line per kata on stderr\n{run}"
    );

    // JSON.
    let report = json(&fs::read_to_string(repo.path("out/grade.json")).unwrap());
    assert_eq!(report["schema"], 2);
    assert_eq!(report["score"], 0.0);
    assert!(report["commit"].is_null(), "not a git repository");
    assert_eq!(report["katas_graded"], 1);
    assert_eq!(report["katas_passed"], 0);
    assert_eq!(report["pristine"], Value::Null);
    let sort = sort_kata(&report);
    assert_eq!(sort["status"], "fail");
    assert_eq!(sort["score"], 0.0);
    assert_eq!(sort["passed"], 0);
    let total = sort["total"].as_u64().unwrap();
    assert!(total > 10, "the sort suite has its tests: {total}");
    let tests = sort["tests"].as_array().unwrap();
    assert_eq!(tests.len() as u64, total, "every test is listed");
    assert!(tests.iter().all(|t| t["outcome"] == "fail"));
    let unimplemented: Vec<&str> = tests
        .iter()
        .filter_map(|t| t["unimplemented"].as_str())
        .collect();
    assert_eq!(
        unimplemented.len(),
        tests.len(),
        "every failure is a todo!()"
    );
    for function in [
        "bubble_sort_by",
        "selection_sort_by",
        "insertion_sort_by",
        "quick_sort_by",
    ] {
        assert!(unimplemented.contains(&function), "{function} is named");
    }
    assert!(
        tests[0]["message"]
            .as_str()
            .unwrap()
            .contains("is not implemented yet (exercises/sort/src/lib.rs:"),
        "{}",
        tests[0]
    );

    // JUnit.
    let xml = fs::read_to_string(repo.path("out/grade.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("the JUnit report is not well-formed XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1, "one testsuite per kata");
    let suite = suites[0];
    assert_eq!(suite.attribute("name"), Some("sort"));
    assert_eq!(suite.attribute("tests"), Some(total.to_string().as_str()));
    assert_eq!(
        suite.attribute("failures"),
        Some(total.to_string().as_str())
    );
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len() as u64, total);
    for case in &cases {
        let failure = case
            .children()
            .find(|n| n.has_tag_name("failure"))
            .unwrap_or_else(|| panic!("{:?} has a failure", case.attribute("name")));
        assert!(
            failure
                .attribute("message")
                .unwrap()
                .contains("is not implemented yet"),
            "the diagnose message is the failure's"
        );
    }

    // Markdown.
    let markdown = fs::read_to_string(repo.path("out/grade.md")).unwrap();
    assert!(markdown.starts_with("## Kata grades: 0%"), "{markdown}");
    assert!(
        markdown.contains(&format!("| 7 | sort (排序) | 0% | 0 / {total} | ❌ fail |")),
        "{markdown}"
    );

    assert!(
        markdown.contains("The total score is the mean of the kata scores"),
        "{markdown}"
    );
    // Code spans stay code spans; the lines are read from the source, so they are
    // the same in every run.
    assert!(
        markdown.contains("- `bubble_sort_by` is not implemented yet (exercises/sort/src/lib.rs:"),
        "{markdown}"
    );
    assert!(!markdown.contains("\\`"), "{markdown}");
    assert!(
        markdown.contains(&format!("- {total} tests stop at a todo!()")),
        "{markdown}"
    );

    // Text.
    let human = fs::read_to_string(repo.path("out/grade.txt")).unwrap();
    assert!(human.contains(&format!("0/{total} tests")), "{human}");
    assert!(
        human.contains("Score: 0% (the mean of the kata scores; 0 of 1 katas pass"),
        "{human}"
    );
    assert!(!human.contains('\x1b'), "no colour in a file\n{human}");

    // Without --out the report is all of stdout.
    let run = repo.xtask(&["grade", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(json(&run.stdout)["score"], 0.0);

    // --min-score fails the job, and the report is still written.
    let run = repo.xtask(&[
        "grade",
        "--min-score",
        "50",
        "--format",
        "json",
        "--out",
        "out/min.json",
    ]);
    assert_eq!(run.code, Some(1), "below --min-score exits 1\n{run}");
    assert!(run.stderr.contains("below --min-score 50%"), "{run}");
    let report = json(&fs::read_to_string(repo.path("out/min.json")).unwrap());
    assert_eq!(report["below_min_score"], true);
    assert_eq!(report["min_score"], 50.0);
}

#[test]
fn the_reference_in_place_of_the_stub_gets_full_marks() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("grade-reference");
    fs::copy(
        repo.path("solutions/sort/src/lib.rs"),
        repo.path("exercises/sort/src/lib.rs"),
    )
    .unwrap();
    let run = repo.xtask(&[
        "grade",
        "--min-score",
        "100",
        "--format",
        "json",
        "--out",
        "grade.json",
        "--format",
        "junit",
        "--out",
        "grade.xml",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let report = json(&fs::read_to_string(repo.path("grade.json")).unwrap());
    assert_eq!(report["score"], 100.0);
    assert_eq!(report["katas_passed"], 1);
    let sort = sort_kata(&report);
    assert_eq!(sort["status"], "pass");
    assert_eq!(sort["passed"], sort["total"]);
    assert!(
        sort["tests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["outcome"] == "pass" && t.get("message").is_none())
    );
    let xml = fs::read_to_string(repo.path("grade.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit");
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert_eq!(doc.root_element().attribute("errors"), Some("0"));

    // With --pristine, suites, snapshots and helpers all come from the pristine copy:
    // the learner's tests/ can be gone entirely.
    let pristine = repo.temp.path.join("pristine-tests");
    common::copy_dir(&repo.path("tests"), &pristine);
    fs::remove_dir_all(repo.path("tests")).unwrap();
    let pristine_arg = pristine.display().to_string();
    let run = repo.xtask(&["grade", "--pristine", &pristine_arg, "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run}");
    let report = json(&run.stdout);
    assert_eq!(report["score"], 100.0, "{run}");
    let missing: Vec<&str> = report["pristine"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(missing.contains(&"tests/sort.rs"), "{missing:?}");
    assert!(
        missing
            .iter()
            .any(|m| m.starts_with("tests/snapshots/sort__")),
        "{missing:?}"
    );
    assert!(
        missing.iter().any(|m| m.starts_with("tests/support/")),
        "{missing:?}"
    );
    assert!(
        !missing.iter().any(|m| m.starts_with("tests/mutants/")),
        "mutants are never compared: {missing:?}"
    );
}

#[test]
fn a_weakened_suite_does_not_fool_pristine_grading() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("grade-pristine");
    // The untouched suites, as a folder and as a commit.
    let pristine = repo.temp.path.join("pristine");
    common::copy_dir(&repo.path("tests"), &pristine.join("tests"));
    common::git(&repo.root, &["init", "--quiet"]);
    common::git(&repo.root, &["add", "--all"]);
    common::git(
        &repo.root,
        &["commit", "--quiet", "--message", "the class starts"],
    );

    // A known-wrong implementation, and a suite weakened until it passes.
    // A named mutant, so that adding mutants to the kata never changes this test.
    let mutant = common::mutant_source(&repo, "sort", "one_pass_bubble");
    fs::write(repo.path("exercises/sort/src/lib.rs"), mutant).unwrap();
    fs::write(repo.path("tests/sort.rs"), WEAK_SUITE).unwrap();

    let run = repo.xtask(&["grade", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run}");
    let report = json(&run.stdout);
    assert_eq!(
        report["score"], 100.0,
        "without --pristine the weakened suite passes the mutant one_pass_bubble.patch"
    );
    // The report names the commit it graded.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&repo.root)
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    assert_eq!(report["commit"], head.trim(), "{run}");

    // Against the pristine folder: graded by the real suite, and the edit is reported.
    let pristine_arg = pristine.display().to_string();
    let run = repo.xtask(&["grade", "--pristine", &pristine_arg, "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run}");
    let report = json(&run.stdout);
    let sort = sort_kata(&report);
    assert_eq!(
        sort["status"], "fail",
        "the mutant fails the pristine suite\n{run}"
    );
    assert!(sort["score"].as_f64().unwrap() < 100.0);
    assert!(sort["total"].as_u64().unwrap() > 1, "the real suite ran");
    let tampering = &report["pristine"];
    assert_eq!(tampering["source"], pristine_arg.as_str());
    assert_eq!(tampering["unchanged"], false);
    assert_eq!(tampering["changed"], serde_json::json!(["tests/sort.rs"]));
    assert_eq!(tampering["missing"], serde_json::json!([]));
    assert_eq!(tampering["added"], serde_json::json!([]));
    assert!(
        run.stderr.contains("tests/ differs from the pristine copy"),
        "{run}"
    );

    // Against the first commit: the same, in every other format.
    let run = repo.xtask(&[
        "grade",
        "--pristine",
        "HEAD",
        "--format",
        "junit",
        "--out",
        "grade.xml",
        "--format",
        "markdown",
        "--out",
        "grade.md",
        "--format",
        "human",
        "--out",
        "grade.txt",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let xml = fs::read_to_string(repo.path("grade.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit");
    let suite = |name: &str| {
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("a testsuite {name}\n{xml}"))
    };
    assert_ne!(suite("sort").attribute("failures"), Some("0"), "{xml}");
    let tampered = suite("pristine");
    assert_eq!(tampered.attribute("failures"), Some("1"), "{xml}");
    let failure = tampered
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure for the changed suite");
    assert!(
        failure
            .text()
            .unwrap_or("")
            .contains("changed tests/sort.rs")
    );
    let markdown = fs::read_to_string(repo.path("grade.md")).unwrap();
    assert!(
        markdown.contains("- changed: `tests/sort.rs`"),
        "{markdown}"
    );
    let human = fs::read_to_string(repo.path("grade.txt")).unwrap();
    assert!(human.contains("changed tests/sort.rs"), "{human}");
    assert!(!human.contains("| 6 |"));
}

/// The text and Markdown reports in Chinese; the JSON report keeps its English keys and
/// values a machine reads.
#[test]
fn the_reports_for_people_speak_chinese() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("grade-chinese");
    let run = repo.xtask(&[
        "grade",
        "--lang",
        "zh",
        "--format",
        "json",
        "--out",
        "out/grade.json",
        "--format",
        "markdown",
        "--out",
        "out/grade.md",
        "--format",
        "human",
        "--out",
        "out/grade.txt",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run.stderr.contains("grade: [1/1] sort (排序)："), "{run}");

    let markdown = fs::read_to_string(repo.path("out/grade.md")).unwrap();
    for expected in [
        "## 练习成绩：0%",
        "| # | 练习 | 得分 | 通过的测试 | 状态 |",
        "❌ 失败 |",
        "`bubble_sort_by` 还没有实现",
    ] {
        assert!(markdown.contains(expected), "{expected}\n{markdown}");
    }
    let human = fs::read_to_string(repo.path("out/grade.txt")).unwrap();
    assert!(human.contains("总分： 0%"), "{human}");
    // The tests column is padded by terminal columns: the status starts right after.
    let row = human.lines().next().unwrap();
    let tests = row.split("0%  ").nth(1).expect("the score, then the tests");
    let status_at = tests.find("失败").expect("the status");
    assert_eq!(
        unicode_width::UnicodeWidthStr::width(&tests[..status_at]),
        14,
        "{human}"
    );

    let report = json(&fs::read_to_string(repo.path("out/grade.json")).unwrap());
    assert_eq!(sort_kata(&report)["status"], "fail");
}
