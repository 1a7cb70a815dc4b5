//! The runner's own tests, on the fixture repository in `tests/fixtures/demo-repo`:
//! a kata whose stub passes, fails, times out, overflows its stack, aborts, forges a
//! passing test's output, exits early and leaves `todo!()`s; and a kata that does not
//! compile. Each test works on its own copy of the fixture.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Fixture, stderr, stdout};

fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    common::fixture_command(dir, args)
        .output()
        .expect("the xtask binary runs")
}

#[test]
fn check_reports_every_kind_of_outcome() {
    let fixture = Fixture::new("check");
    let output = fixture.xtask(&["check", "demo"]);
    let report = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a failing kata exits 1\n{report}"
    );

    assert!(
        report.contains("demo (测试): 1 of 10 tests pass"),
        "{report}"
    );
    // todo!() collapses to one line per function, with its test count.
    assert!(
        report
            .contains("later      is not implemented yet  exercises/demo/src/lib.rs:48  (1 test)"),
        "{report}"
    );
    assert!(
        report
            .contains("afterwards is not implemented yet  exercises/demo/src/lib.rs:53  (2 tests)"),
        "{report}"
    );
    assert!(
        report.contains("⏱ spin_times_out ran past 2 s and was stopped"),
        "{report}"
    );
    assert!(
        report.contains("depth_overflows overflowed its stack"),
        "{report}"
    );
    assert!(report.contains("give_up_aborts aborted"), "{report}");
    assert!(report.contains("double(4) should be 8"), "{report}");
    // Printing what a passing test prints gains nothing, and its escape codes are gone.
    assert!(report.contains("✗ forged_output_still_fails"), "{report}");
    assert!(
        !report.contains('\x1b'),
        "control characters reach the terminal:\n{report}"
    );
    // Exiting with status 0 half-way is not a pass.
    assert!(report.contains("✗ quit_early_does_not_pass"), "{report}");

    insta::assert_snapshot!("check_demo_report", report);
}

#[test]
fn check_of_the_reference_passes() {
    let fixture = Fixture::new("solution");
    let output = fixture.xtask(&["check", "demo", "--solution"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}{}", stderr(&output));
    assert!(report.contains("10 of 10 tests pass"), "{report}");
}

#[test]
fn a_stub_that_does_not_compile_shows_rustc_errors() {
    let fixture = Fixture::new("broken");
    let output = fixture.xtask(&["check", "broken"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.contains("broken (测试): does not compile"),
        "{report}"
    );
    assert!(
        report.contains("mismatched types"),
        "rustc's own diagnostic is shown:\n{report}"
    );
}

#[test]
fn an_unknown_kata_lists_the_known_ones() {
    let fixture = Fixture::new("unknown");
    let output = fixture.xtask(&["check", "sorting"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(
            "there is no kata called `sorting`. The katas are: demo, broken, strays, loops"
        ),
        "{err}"
    );
}

#[test]
fn outside_a_repository_says_so() {
    let dir = std::env::temp_dir().join(format!("xtask-outside-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = xtask_in(&dir, &["list"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("this is not a kata repository"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn list_shows_the_last_check() {
    let fixture = Fixture::new("list");
    fixture.xtask(&["check", "demo"]);
    let output = fixture.xtask(&["list"]);
    let listing = stdout(&output);
    assert!(listing.contains("demo"), "{listing}");
    assert!(listing.contains("1/10 tests pass"), "{listing}");
    assert!(
        listing.contains("not checked yet"),
        "broken was never checked:\n{listing}"
    );
    assert!(
        listing.contains("Next: cargo xtask check demo"),
        "{listing}"
    );
}
