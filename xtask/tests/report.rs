//! What the learner reads after a check of a wrong sort: failures ordered so the most
//! basic comes first, each pointing at a line of the test itself in `tests/sort.rs`
//! (never at a shared helper, never into `~/.cargo/registry`), with the failing input on
//! one line and nothing of insta's advice to run `cargo insta`.

mod common;

use std::fs;

use common::{BuildLock, Fixture, MiniRepo, stdout};

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
    // quickcheck's "TEST FAILED. Arguments: (..)" said in words, with the law's comment.
    assert!(
        law.contains("The law: sorting a copy of `input` gives what std's `sort` gives."),
        "{law}"
    );
    let law = anonymize_pair(&law, "did not hold for the arguments (");
    common::assert_snapshot!(
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
    common::assert_snapshot!("sort_stub_zh", run.stdout);
}

// ---------------------------------------------------------------------------------------
// Issue 31: the report points at the cause. Each case is a small kata written into a
// copy of the fixture repository (no dependencies: it builds in seconds), whose stub
// holds the learner's mistake; the report a learner sees is snapshotted.

/// Writes the kata `name` into `fixture`: its stub `lib`, a reference with the same
/// text (only the stub is checked here), its suite, and READMEs whose hints name
/// `groups`.
fn add_kata(fixture: &Fixture, name: &str, order: u32, lib: &str, suite: &str) {
    for (dir, package) in [
        ("exercises", name.to_string()),
        ("solutions", format!("{name}-solution")),
    ] {
        let manifest = format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0-report-{name}\"\n\
             edition.workspace = true\npublish.workspace = true\n\n\
             [package.metadata.kata]\norder = {order}\ntopic = \"fixture\"\nchinese = \"测试\"\n\
             timeout = 5\n\n[lib]\nname = \"{name}\"\n\n\
             [[test]]\nname = \"{name}\"\npath = \"../../tests/{name}.rs\"\n"
        );
        let manifest = if dir == "solutions" {
            manifest.replace(
                &format!("[package.metadata.kata]\norder = {order}\ntopic = \"fixture\"\nchinese = \"测试\"\ntimeout = 5\n\n"),
                "",
            )
        } else {
            manifest
        };
        fs::create_dir_all(fixture.path(&format!("{dir}/{name}/src"))).unwrap();
        fs::write(fixture.path(&format!("{dir}/{name}/Cargo.toml")), manifest).unwrap();
        fs::write(fixture.path(&format!("{dir}/{name}/src/lib.rs")), lib).unwrap();
    }
    fs::write(
        fixture.path(&format!("exercises/{name}/README.md")),
        format!(
            "# {name} (测试)\n\nA case of issue 31.\n\n## Hints\n\n1. Read the first failure.\n"
        ),
    )
    .unwrap();
    fs::write(
        fixture.path(&format!("exercises/{name}/README.zh.md")),
        format!("# {name}（测试）\n\n议题 31 的一个例子。\n\n## 提示\n\n1. 先读第一个失败。\n"),
    )
    .unwrap();
    fs::write(fixture.path(&format!("tests/{name}.rs")), suite).unwrap();
}

/// `xtask check <kata> [extra]` in the fixture copy: its report (stdout), which fails.
fn failing_report(fixture: &Fixture, kata: &str, extra: &[&str]) -> String {
    let mut args = vec!["check", kata];
    args.extend_from_slice(extra);
    let output = fixture.xtask(&args);
    let report = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{report}\n{}",
        common::stderr(&output)
    );
    report
}

/// A server bound to a fixed port: every test that starts it fails with "Address
/// already in use", and the first test in the report's order fails for another
/// reason. The shared failure is told once, first, with its count; "Next" points at it.
#[test]
fn a_failure_most_tests_share_is_told_once_first() {
    let fixture = Fixture::new("report-ports");
    add_kata(
        &fixture,
        "ports",
        7,
        "use std::io;\nuse std::net::TcpListener;\n\n\
         /// The chat server's listener, on a fixed port: another test holds it already.\n\
         pub fn bind() -> io::Result<TcpListener> {\n    \
         Err(io::Error::new(io::ErrorKind::AddrInUse, \"Address already in use (os error 98)\"))\n}\n\n\
         pub fn greeting() -> &'static str {\n    \"hello\"\n}\n",
        "mod basics {\n    #[test]\n    fn greets() {\n        assert_eq!(ports::greeting(), \"hi\");\n    }\n}\n\n\
         mod chat {\n    fn start() -> std::net::TcpListener {\n        \
         ports::bind().unwrap_or_else(|e| panic!(\"the server could not bind its listener: {e}\"))\n    }\n\n\
         #[test]\n    fn login() {\n        let _server = start();\n    }\n\n\
         #[test]\n    fn chat() {\n        let _server = start();\n    }\n\n\
         #[test]\n    fn quit() {\n        let _server = start();\n    }\n\n\
         #[test]\n    fn shutdown_sends_exit_to_everyone() {\n        let _server = start();\n    }\n}\n",
    );
    let report = failing_report(&fixture, "ports", &[]);
    assert!(
        report.contains("4 of 5 failing tests stop at the same first failure"),
        "{report}"
    );
    assert_eq!(
        report.matches("Address already in use").count(),
        1,
        "told once: {report}"
    );
    // The story comes before the other failure, though that one is first in order.
    assert!(
        report.find("Address already in use") < report.find("basics::greets"),
        "{report}"
    );
    assert!(
        report.contains("Next: fix what the 4 tests above share, first seen in `chat::login`."),
        "{report}"
    );
    common::assert_snapshot!("shared_cause_fixed_port", report);
}

/// A listener left blocking: the first `poll_once` never returns, in every test. The
/// suite's bounded wait says so; the report tells it once.
#[test]
fn a_listener_left_blocking_is_one_story() {
    let fixture = Fixture::new("report-blocking");
    add_kata(
        &fixture,
        "blocking",
        8,
        "use std::sync::mpsc::Receiver;\n\n\
         /// One turn of the server's loop. The listener was left blocking: this waits for a\n\
         /// client that never comes.\n\
         pub fn poll_once(clients: &Receiver<()>) -> usize {\n    \
         let _ = clients.recv();\n    1\n}\n",
        "use std::sync::mpsc;\nuse std::time::Duration;\n\n\
         /// Runs one turn on a thread of its own, waiting for it at most a second.\n\
         fn turn() -> usize {\n    let (clients, inbox) = mpsc::channel::<()>();\n    \
         let (done, result) = mpsc::channel();\n    std::thread::spawn(move || {\n        \
         let _ = done.send(blocking::poll_once(&inbox));\n    });\n    \
         let turned = result.recv_timeout(Duration::from_secs(1));\n    drop(clients);\n    \
         turned.unwrap_or_else(|_| panic!(\"the first poll_once never returned: is the listener left blocking?\"))\n}\n\n\
         #[test]\nfn accepts_a_client() {\n    assert_eq!(turn(), 1);\n}\n\n\
         #[test]\nfn reads_a_line() {\n    assert_eq!(turn(), 1);\n}\n\n\
         #[test]\nfn many_clients() {\n    assert_eq!(turn(), 1);\n}\n",
    );
    let report = failing_report(&fixture, "blocking", &[]);
    assert!(
        report.contains("All 3 failing tests stop at the same first failure"),
        "{report}"
    );
    assert_eq!(report.matches("never returned").count(), 1, "{report}");
    common::assert_snapshot!("shared_cause_blocking_listener", report);
}

/// Three clues the report used to lose: a panic in a thread the suite started (the
/// test saw only the connection closing), the learner's own `println!`s, and two long
/// values that differ near their end.
#[test]
fn thread_panics_printed_lines_and_long_values_reach_the_report() {
    let fixture = Fixture::new("report-clues");
    add_kata(
        &fixture,
        "clues",
        9,
        "/// Answers the clients' requests: one past the end is read by mistake.\n\
         pub fn serve(requests: &[u8]) -> u32 {\n    \
         let mut sum = 0;\n    for i in 0..=requests.len() {\n        sum += u32::from(requests[i]);\n    }\n    sum\n}\n\n\
         /// Sums `v`, printing as it goes (the learner's way of debugging).\n\
         pub fn total(v: &[i32]) -> i32 {\n    let mut sum = 0;\n    \
         for (i, x) in v.iter().enumerate() {\n        println!(\"step {i}: sum = {sum}, adding {x}\");\n        \
         if i > 0 {\n            sum += x;\n        }\n    }\n    sum\n}\n\n\
         /// `n` bytes as hex, two digits each: the last byte is written wrong.\n\
         pub fn hex(bytes: &[u8]) -> String {\n    \
         let mut out: String = bytes.iter().map(|b| format!(\"{b:02x}\")).collect();\n    \
         if !out.is_empty() {\n        out.pop();\n        out.push('0');\n    }\n    out\n}\n",
        "#[test]\nfn server_answers() {\n    \
         let server = std::thread::Builder::new()\n        .name(\"server\".to_string())\n        \
         .spawn(|| clues::serve(&[1, 2, 3]))\n        .unwrap();\n    \
         assert!(server.join().is_ok(), \"the server closed the connection\");\n}\n\n\
         #[test]\nfn total_of_twelve() {\n    assert_eq!(clues::total(&[1; 12]), 12);\n}\n\n\
         #[test]\nfn packs_a_long_record() {\n    \
         let bytes: Vec<u8> = (0..100).map(|i| i as u8 | 1).collect();\n    \
         let expected: String = bytes.iter().map(|b| format!(\"{b:02x}\")).collect();\n    \
         assert_eq!(clues::hex(&bytes), expected);\n}\n",
    );
    let report = failing_report(&fixture, "clues", &["--all"]);
    assert!(
        report.contains(
            "the thread 'server' panicked at exercises/clues/src/lib.rs:5: index out of bounds"
        ),
        "{report}"
    );
    assert!(report.contains("your code printed (12 lines"), "{report}");
    assert!(report.contains("│ step 0: sum = 0, adding 1"), "{report}");
    assert!(
        report.contains("they first differ at character 201"),
        "{report}"
    );
    assert!(
        !report.contains("shared"),
        "no cause is shared here: {report}"
    );
    common::assert_snapshot!("clues_thread_printed_long_value", report);
}

/// `TERM=dumb` (Emacs' shell, some CI logs) shows escape sequences as text: a check on
/// such a terminal has no colour and no live status line, as with `NO_COLOR`. The
/// check runs under `script`, which gives it a terminal; the same check with
/// `TERM=xterm` has colours, so the terminal is real.
#[test]
fn a_dumb_terminal_gets_no_escape_sequences() {
    let fixture = Fixture::new("report-dumb");
    let on_terminal = |term: &str| {
        let xtask = common::xtask_exe().display();
        let output = std::process::Command::new("script")
            .args(["-qec", &format!("{xtask} check demo"), "/dev/null"])
            .current_dir(&fixture.dir)
            .env_remove("NO_COLOR")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env("TERM", term)
            .env("CARGO_TARGET_DIR", common::fixture_target())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script (util-linux) runs");
        stdout(&output)
    };
    let colours = on_terminal("xterm");
    assert!(colours.contains("\x1b["), "a real terminal: {colours}");
    let dumb = on_terminal("dumb");
    assert!(dumb.contains("1 of 10 tests pass"), "{dumb}");
    assert!(!dumb.contains('\x1b'), "{dumb:?}");
    // From the report's first line: cargo's own lines before it say how long the build took.
    let dumb = dumb.replace("\r\n", "\n");
    let report = &dumb[dumb.find("demo (测试)").expect("the report")..];
    common::assert_snapshot!("dumb_terminal", report);
}
