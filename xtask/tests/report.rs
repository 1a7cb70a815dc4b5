//! What the learner reads after a check of a wrong sort: failures ordered so the most
//! basic comes first, each pointing at a line of the test itself in `tests/sort.rs`
//! (never at a shared helper, never into `~/.cargo/registry`), with the failing input on
//! one line and nothing of insta's advice to run `cargo insta`.

mod common;

use std::fs;

use common::{BuildLock, MiniRepo};

const STUB: &str = "exercises/sort/src/lib.rs";

/// The stub with `bubble_sort_by` written as a sort that leaves the slice as it is.
fn with_bubble_sort(repo: &MiniRepo, body: &str) {
    let path = repo.path(STUB);
    let stub = fs::read_to_string(&path).unwrap();
    let old =
        "    let _ = &mut compare;\n    todo!(\"bubble sort a slice of {} elements\", v.len())";
    assert!(
        stub.contains(old),
        "the stub's bubble_sort_by is as expected"
    );
    fs::write(&path, stub.replacen(old, body, 1)).unwrap();
}

/// The block of the report about `test`: its name line and the indented lines below.
fn block(report: &str, test: &str) -> String {
    let head = format!("  ✗ {test}\n");
    let start = report
        .find(&head)
        .unwrap_or_else(|| panic!("the report shows {test}:\n{report}"));
    let mut lines = vec![head.trim_end().to_string()];
    lines.extend(
        report[start + head.len()..]
            .lines()
            .take_while(|l| l.starts_with("      "))
            .map(str::to_string),
    );
    lines.join("\n")
}

/// The line `location` (`tests/sort.rs:N`) names, in the copy's suite.
fn suite_line(repo: &MiniRepo, location: &str) -> String {
    let n: usize = location
        .strip_prefix("tests/sort.rs:")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{location} is a line of tests/sort.rs"));
    fs::read_to_string(repo.path("tests/sort.rs"))
        .unwrap()
        .lines()
        .nth(n - 1)
        .unwrap()
        .to_string()
}

#[test]
fn failures_point_at_the_tests_own_lines() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("report-points");
    // A bubble sort that does nothing: every kind of test of it fails.
    with_bubble_sort(&repo, "    let _ = (v, &mut compare);");
    let run = repo.xtask(&["check", "sort", "--all"]);
    assert_eq!(run.code, Some(1), "{run}");
    let report = &run.stdout;
    assert!(
        !report.contains(".cargo") && !report.contains("cargo insta"),
        "{report}"
    );

    // The first failure shown is a worked example of the first function.
    let first = report
        .lines()
        .find(|l| l.starts_with("  ✗ ") && !l.contains("is not implemented yet"))
        .unwrap();
    assert_eq!(
        first, "  ✗ bubble_sort::examples::case_04_two_swapped",
        "{report}"
    );

    let example = block(report, "bubble_sort::examples::case_04_two_swapped");
    let property = block(report, "bubble_sort::sorts_any_vec");
    let law = block(report, "bubble_sort::agrees_with_std");
    let snapshot = block(report, "bubble_sort::course_example_snapshot");
    assert!(snapshot.contains("snapshot differs"), "{snapshot}");
    for (block, call) in [
        (&snapshot, "fn course_example_snapshot() {"),
        (&example, "fn examples(#[case] input: Vec<i32>) {"),
        (
            &property,
            "fn sorts_any_vec(input in prop::collection::vec(prop_oneof![-20i32..20, any::<i32>()], 0..64)) {",
        ),
        (&law, "fn agrees_with_std(input: Vec<i64>) -> bool {"),
    ] {
        // The sort suite's tests are written by a macro: the line is the test's own
        // function inside it.
        let last = block
            .lines()
            .map(str::trim)
            .rfind(|l| l.starts_with("tests/sort.rs:"))
            .unwrap_or_else(|| panic!("a line of the suite is named: {block}"));
        let location = last.split(" (in `sort_suite!` on line").next().unwrap();
        assert_eq!(suite_line(&repo, location).trim(), call, "{block}");
    }
    // The input on one line.
    assert!(
        property.contains("minimal failing input: input = ["),
        "{property}"
    );
    assert!(
        property
            .lines()
            .any(|l| l.contains("minimal failing input") && l.ends_with(']')),
        "{property}"
    );
    // Shrinking ends at a pair out of order, but not always the same pair.
    let property = anonymize_pair(&property, "minimal failing input: input = ");
    let law = anonymize_pair(&law, "TEST FAILED. Arguments: (");
    insta::assert_snapshot!(
        "sort_failures_point_at_the_tests",
        [example, property, law].join("\n\n")
    );
}

/// `block` with the two-number list that follows `before` (two numbers out of order)
/// written `[x, y]` wherever it occurs.
fn anonymize_pair(block: &str, before: &str) -> String {
    let start = block.find(before).expect("the failing input is shown") + before.len();
    let list = &block[start..start + block[start..].find(']').unwrap() + 1];
    let numbers: Vec<i64> = list
        .trim_matches(['[', ']'])
        .split(", ")
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        numbers.len() == 2 && numbers[0] > numbers[1],
        "a minimal input is two numbers out of order: {block}"
    );
    block.replace(list, "[x, y]").replace(
        &format!("= {} comes before output[1] = {}", numbers[0], numbers[1]),
        "= x comes before output[1] = y",
    )
}

#[test]
fn hint_gives_one_hint_for_what_fails_first() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("report-hints");
    // The stub: bubble_sort_by is the first function to write.
    let run = repo.xtask(&["check", "sort"]);
    assert_eq!(run.code, Some(1), "{run}");

    let first = repo.xtask(&["hint", "sort"]);
    assert_eq!(first.code, Some(0), "{first}");
    let text = &first.stdout;
    assert!(
        text.starts_with("Hint 2 of 8 for sort (排序):\n(`bubble_sort`,"),
        "{first}"
    );
    assert_eq!(text.matches("Hint ").count(), 1, "only one hint: {first}");
    assert!(text.contains("7 more."), "{first}");

    // A bubble sort that works but is unstable: the first failure is its stability.
    with_bubble_sort(
        &repo,
        "    for end in (1..v.len()).rev() {\n        for i in 0..end {\n            \
         if compare(&v[i], &v[i + 1]) != Ordering::Less {\n                v.swap(i, i + 1);\n            \
         }\n        }\n    }",
    );
    let run = repo.xtask(&["check", "sort"]);
    assert!(
        run.stdout.contains("✗ stability::bubble_sort_is_stable"),
        "{run}"
    );
    let second = repo.xtask(&["hint", "sort"]);
    assert!(
        second
            .stdout
            .starts_with("Hint 3 of 8 for sort (排序):\n(`stability`, `bubble_sort`"),
        "the stability hint, not the next in line: {second}"
    );
    // The one hint about `stability` seen: the next says so and is the next in order.
    let third = repo.xtask(&["hint", "sort"]);
    assert!(
        third.stdout.starts_with(
            "You have seen every hint about `stability`, where your last check failed first \
             (hint 3; `cargo xtask hint sort --all` shows them again). Here is the next one \
             in order.\n\nHint 1 of 8"
        ),
        "{third}"
    );

    // After a check that did not compile, no hint is about that: it says so.
    let mut stub = fs::read_to_string(repo.path(STUB)).unwrap();
    stub.push_str("\npub fn broken() -> u8 {\n    \"no\"\n}\n");
    fs::write(repo.path(STUB), stub).unwrap();
    let run = repo.xtask(&["check", "sort"]);
    assert_ne!(run.code, Some(0), "{run}");
    let after_error = repo.xtask(&["hint", "sort"]);
    assert!(
        after_error
            .stdout
            .starts_with("Your last check did not compile"),
        "{after_error}"
    );

    let all = repo.xtask(&["hint", "sort", "--all"]);
    assert_eq!(all.stdout.matches("Hint ").count(), 8, "{all}");
}

/// `LANG=zh_CN.UTF-8 cargo xtask check sort` on the stub: the whole report in Chinese.
#[test]
fn the_stub_report_in_a_chinese_locale() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("report-chinese");
    let run = repo.xtask_env(
        &["check", "sort"],
        &[("LANG", std::path::Path::new("zh_CN.UTF-8"))],
    );
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stdout.contains("还没有实现"), "{run}");
    insta::assert_snapshot!("sort_stub_zh", run.stdout);
}
