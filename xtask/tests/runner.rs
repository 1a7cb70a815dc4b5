//! The runner's own tests, on the fixture repository in `xtask/tests/fixtures/demo-repo`:
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

    common::assert_snapshot!("check_demo_report", report);
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
    // cargo's closing line would come before the report's header: the report says it.
    let err = stderr(&output);
    assert!(!err.contains("could not compile"), "{err}");
    assert!(
        err.contains("Compiling broken"),
        "cargo's progress still shows:\n{err}"
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
fn a_misspelt_kata_gets_a_suggestion() {
    let fixture = Fixture::new("misspelt");
    let output = fixture.xtask(&["check", "dmeo"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("there is no kata called `dmeo`. Did you mean `demo`?"),
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
    // The topic (with its Chinese name, two columns a character) never touches the
    // status: at least two spaces between them, the statuses in one column.
    let columns: Vec<usize> = listing
        .lines()
        .filter(|l| l.contains("测试"))
        .map(|l| {
            let (before, _) = l.split_once("测试").unwrap();
            let after = &l[before.len() + "测试".len()..];
            assert!(after.starts_with("  "), "{listing}");
            before.chars().count() + 4 + (after.len() - after.trim_start().len())
        })
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{listing}");

    // A kata reset since (its entry has no tests) is not "0/0 tests pass".
    std::fs::write(
        fixture.path(".kata-progress.json"),
        r#"{"katas":{"demo":{"passed":0,"total":0,"compile_error":false}}}"#,
    )
    .unwrap();
    let listing = stdout(&fixture.xtask(&["list"]));
    assert!(listing.contains("not checked since reset"), "{listing}");
    assert!(!listing.contains("0/0"), "{listing}");
}

/// `xtask args...` in the fixture with these locale variables.
fn xtask_with_locale(fixture: &Fixture, args: &[&str], locale: &[(&str, &str)]) -> Output {
    common::fixture_command(&fixture.dir, args)
        .envs(locale.iter().copied())
        .output()
        .expect("the xtask binary runs")
}

#[test]
fn the_report_speaks_the_learners_language() {
    let fixture = Fixture::new("chinese");
    let output = fixture.xtask(&["check", "demo", "--lang", "zh"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.contains("demo (测试): 10 个测试中通过了 1 个"),
        "{report}"
    );
    assert!(
        report.contains("later      还没有实现  exercises/demo/src/lib.rs:48  （1 个测试）"),
        "{report}"
    );
    // The suite's own explanation follows KATA_LANG, which the runner sets.
    assert!(report.contains("double(4) 应该是 8"), "{report}");
    assert!(
        report.contains(
            "下一步：先修好上面第一个失败的测试 `double_fails`。卡住了？cargo xtask hint demo"
        ),
        "{report}"
    );
    common::assert_snapshot!("check_demo_report_zh", report);

    // `--lang en` beats a Chinese locale: the English report, word for word.
    let output = xtask_with_locale(
        &fixture,
        &["check", "demo", "--lang", "en"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    let report = stdout(&output);
    assert!(report.contains("double(4) should be 8"), "{report}");
    common::assert_snapshot!("check_demo_report", report);
}

#[test]
fn the_language_comes_from_the_flag_then_the_memory_then_the_locale() {
    let fixture = Fixture::new("choose-lang");
    let list = |args: &[&str], locale: &[(&str, &str)]| {
        let mut all = vec!["list"];
        all.extend(args);
        stdout(&xtask_with_locale(&fixture, &all, locale))
    };
    let chinese = |listing: &str| listing.contains("还没检查过");
    let english = |listing: &str| listing.contains("not checked yet");
    let zh_locale = [("LANG", "zh_CN.UTF-8")];

    let listing = list(&[], &zh_locale);
    assert!(
        chinese(&listing),
        "a Chinese locale speaks Chinese:\n{listing}"
    );
    let listing = list(&[], &[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")]);
    assert!(english(&listing), "LC_ALL comes first:\n{listing}");
    let listing = list(&[], &[("LC_MESSAGES", ""), ("LANG", "zh_CN.UTF-8")]);
    assert!(
        chinese(&listing),
        "an empty variable is skipped:\n{listing}"
    );

    let listing = list(&["--lang", "en"], &zh_locale);
    assert!(english(&listing), "--lang en beats the locale:\n{listing}");
    let listing = list(&[], &zh_locale);
    assert!(english(&listing), "the choice is remembered:\n{listing}");

    let listing = list(&["--lang", "zh"], &[]);
    assert!(chinese(&listing), "{listing}");
    let listing = list(&[], &[("LANG", "en_US.UTF-8")]);
    assert!(
        chinese(&listing),
        "remembered over an English locale:\n{listing}"
    );
    let progress = std::fs::read_to_string(fixture.path(".kata-progress.json")).unwrap();
    assert!(progress.contains(r#""lang": "zh""#), "{progress}");

    let listing = list(&["--lang", "auto"], &[("LANG", "en_US.UTF-8")]);
    assert!(english(&listing), "auto follows the locale:\n{listing}");
    let listing = list(&[], &zh_locale);
    assert!(chinese(&listing), "and the choice is forgotten:\n{listing}");

    // Errors a learner meets are in their language too.
    let output = xtask_with_locale(&fixture, &["check", "dmeo"], &zh_locale);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("错误：没有叫 `dmeo` 的练习。你是不是想找 `demo`？"),
        "{err}"
    );
}

#[test]
fn the_chinese_list_keeps_its_columns() {
    let fixture = Fixture::new("list-zh");
    let listing = stdout(&fixture.xtask(&["list", "--lang", "zh"]));
    // Every status starts in the same terminal column (a Chinese character takes two).
    let columns: Vec<usize> = listing
        .lines()
        .filter(|l| l.contains("还没检查过") || l.contains("状态"))
        .map(|l| {
            let at = l.find("还没检查过").or_else(|| l.find("状态")).unwrap();
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert!(columns.len() > 2, "{listing}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{listing}");
}

#[test]
fn hint_reads_the_readme_in_the_learners_language() {
    let fixture = Fixture::new("hint-zh");
    let zh_locale = [("LANG", "zh_CN.UTF-8")];
    let shown = stdout(&xtask_with_locale(&fixture, &["hint", "demo"], &zh_locale));
    assert!(
        shown.contains("demo (测试) 的提示 1/2：\n先读最先失败的那个测试。"),
        "{shown}"
    );
    // The same hints in the same order: the next one, in English, is the second.
    let shown = stdout(&fixture.xtask(&["hint", "demo", "--lang", "en"]));
    assert!(
        shown.contains("Hint 2 of 2 for demo (测试):\nThen the one after it."),
        "{shown}"
    );
    // Without a README.zh.md, the English hints.
    std::fs::remove_file(fixture.path("exercises/demo/README.zh.md")).unwrap();
    let shown = stdout(&xtask_with_locale(
        &fixture,
        &["hint", "demo", "--all", "--lang", "zh"],
        &[],
    ));
    assert!(
        shown.contains("demo (测试) 的提示 1/2：\nRead the test that fails first."),
        "{shown}"
    );
}
