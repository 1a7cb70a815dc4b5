//! Issue 9: the runner survives a learner's code. Each test reproduces one numbered
//! case on the fixture repository (`tests/fixtures/demo-repo`) and asserts the right
//! behaviour.

mod common;

use std::fs;
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use common::{Fixture, alive, fixture_command, noted_pids, stderr, stdout};

/// Waits up to `limit` for `ready`, looking every 20 ms.
fn wait_until(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if ready() {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    ready()
}

/// Every process the fixture noted is gone (killed ones may take a moment to be
/// reaped by init).
fn assert_none_alive(pids_dir: &std::path::Path, what: &str) {
    let pids = noted_pids(pids_dir);
    assert!(!pids.is_empty(), "the fixture noted no process ({what})");
    let gone = wait_until(Duration::from_secs(2), || {
        pids.iter().all(|(_, pid)| !alive(*pid))
    });
    let alive_now: Vec<_> = pids.iter().filter(|(_, pid)| alive(*pid)).collect();
    for (_, pid) in &alive_now {
        // Clean up for the next test run before failing.
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status();
    }
    assert!(gone, "{what}: still running after the check: {alive_now:?}");
}

/// Case 1: a process a test leaves behind (a `sleep 60` holding the test's stdout)
/// neither holds the runner nor makes the test pass late; a `sleep 40` before an
/// endless loop does not stretch the timeout to 40 s. And case 2: none of them, nor
/// the looping test, outlives the check.
#[test]
fn a_process_left_behind_neither_holds_the_runner_nor_outlives_the_check() {
    let fixture = Fixture::new("strays");
    let pids = fixture.path("pids");
    fs::create_dir_all(&pids).unwrap();
    let started = Instant::now();
    let output = fixture_command(&fixture.dir, &["check", "strays"])
        .env("FIXTURE_PIDS", &pids)
        .output()
        .unwrap();
    let took = started.elapsed();
    let report = stdout(&output);
    assert!(
        report.contains("strays (测试): 1 of 3 tests pass"),
        "{report}"
    );
    assert!(
        report.contains("⏱ sleeps_then_spins ran past 2 s and was stopped"),
        "{report}"
    );
    assert!(report.contains("⏱ spins ran past 2 s"), "{report}");
    // The build is warm or small: well under the sleepers' 40 and 60 s.
    assert!(
        took < Duration::from_secs(30),
        "the check took {took:?}: something waited for the sleepers\n{report}"
    );
    assert_none_alive(&pids, "after the check");
}

/// Case 2: when the runner is interrupted (`kill -TERM`, Ctrl-C), it kills every test
/// process it started, and their children, before it ends.
#[test]
fn an_interrupted_check_leaves_nothing_running() {
    for signal in ["TERM", "INT"] {
        let fixture = Fixture::new(&format!("interrupted-{signal}"));
        let pids = fixture.path("pids");
        fs::create_dir_all(&pids).unwrap();
        let mut child = fixture_command(&fixture.dir, &["check", "strays"])
            .env("FIXTURE_PIDS", &pids)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until a test spins (the build may come first).
        let spinning = wait_until(Duration::from_secs(300), || {
            noted_pids(&pids).iter().any(|(kind, _)| kind == "spinner")
        });
        assert!(spinning, "no test started spinning");
        thread::sleep(Duration::from_millis(300));
        std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let ended = wait_until(Duration::from_secs(5), || {
            child.try_wait().unwrap().is_some()
        });
        if !ended {
            let _ = child.kill();
        }
        assert!(ended, "the runner did not end on SIG{signal}");
        assert_none_alive(&pids, &format!("after SIG{signal}"));
    }
}

/// Case 3: a bubble sort that never stops looping, called by 12 tests with a 2 s
/// timeout, costs about one timeout, not 12 × 2 s ÷ 2 workers; the tests of the other
/// function are still graded.
#[test]
fn one_looping_function_costs_about_one_timeout() {
    let fixture = Fixture::new("loops");
    // The first check builds; the second is timed.
    fixture.xtask(&["check", "loops"]);
    let started = Instant::now();
    let output = fixture.xtask(&["check", "loops"]);
    let took = started.elapsed();
    let report = stdout(&output);
    assert!(
        report.contains("loops (测试): 4 of 16 tests pass"),
        "{report}"
    );
    assert!(
        report.contains("⏱ sorts_00 ran past 2 s and was stopped"),
        "{report}\n{}",
        stderr(&output)
    );
    assert!(
        took < Duration::from_secs(8),
        "12 looping tests took {took:?}, more than a few timeouts of 2 s"
    );
}

/// Case 3, in `watch`: a save stops the check in progress (its looping tests are
/// killed and it prints nothing) and a check of the saved code starts at once.
#[test]
fn in_watch_a_save_stops_the_check_in_progress() {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    let fixture = Fixture::new("watch-save");
    fixture.xtask(&["check", "loops"]);
    let mut child = fixture_command(&fixture.dir, &["watch", "loops", "--poll"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let mut out = child.stdout.take().unwrap();
    let reader = {
        let seen = Arc::clone(&seen);
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    // The looping check takes at least its 2 s timeout; save the fix during it.
    thread::sleep(Duration::from_millis(1000));
    fs::copy(
        fixture.path("solutions/loops/src/lib.rs"),
        fixture.path("exercises/loops/src/lib.rs"),
    )
    .unwrap();
    let passed = wait_until(Duration::from_secs(60), || {
        seen.lock().unwrap().contains("16 of 16 tests pass")
    });
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    let text = seen.lock().unwrap().clone();
    assert!(passed, "the saved fix was never checked:\n{text}");
    assert!(
        !text.contains("4 of 16 tests pass"),
        "the check of the replaced code ran to its end instead of stopping:\n{text}"
    );
}

/// `check noisy --all` in a fresh fixture: the report (stdout).
fn noisy_report(name: &str) -> String {
    let fixture = Fixture::new(name);
    let output = fixture.xtask(&["check", "noisy", "--all"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    stdout(&output)
}

/// Case 4: each test's address space is capped (`memory_mib = 128` in the kata's
/// metadata), and an allocation past it is reported as running out of memory, not as
/// "a double panic, or std::process::abort". Printing without end is one such case:
/// libtest keeps a test's output in memory.
#[test]
fn a_test_that_eats_memory_is_stopped_and_said_to() {
    let report = noisy_report("memory");
    for test in ["prints_for_ever", "hoards_memory"] {
        assert!(
            report.contains(&format!("✗ {test} ran out of memory (limit 128 MiB)")),
            "{test}:\n{report}"
        );
    }
    assert!(!report.contains("double panic"), "{report}");
}

/// Case 5: output is kept head and tail, so the assertion after a flood of debug
/// prints is shown and the cut is said; a huge panic message is shown (its start),
/// not lost; the minimal failing input is shown even past the message's line limit.
#[test]
fn the_failure_reason_survives_long_output() {
    let report = noisy_report("output");
    let chatty = report
        .split("✗ chatty_then_wrong")
        .nth(1)
        .expect("chatty_then_wrong is reported");
    assert!(chatty.contains("chatty(3000): the real reason"), "{report}");
    assert!(chatty.contains("of output cut here"), "{report}");
    assert!(
        report.contains("huge message starts here yyyy"),
        "the huge panic message is lost:\n{report}"
    );
    assert!(!report.contains("--logfile"), "{report}");
    assert!(
        report.contains("minimal failing input: v = [3, 1, 2]"),
        "{report}"
    );
}

/// Case 6: `todo!(` in a comment or a string is not a call: a crate whose every
/// function is written has nothing "not implemented yet".
#[test]
fn todo_in_comments_and_strings_is_not_a_todo() {
    let report = noisy_report("todo-text");
    assert!(!report.contains("not implemented yet"), "{report}");
}

/// Case 7: bidirectional controls (U+202E and the isolates) never reach the terminal.
#[test]
fn bidirectional_controls_are_removed() {
    let report = noisy_report("bidi");
    assert!(report.contains("sneaky() said txet desrever"), "{report}");
    for c in ['\u{202E}', '\u{202C}', '\u{2066}', '\u{2069}', '\x1b'] {
        assert!(!report.contains(c), "{c:?} reaches the terminal:\n{report}");
    }
}
