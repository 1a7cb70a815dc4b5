//! Issue 9: the runner survives a learner's code. Each test reproduces one numbered
//! case on the fixture repository (`xtask/tests/fixtures/demo-repo`) and asserts the right
//! behaviour. Issue 40: the `processes` kata's checks leave no process and no zombie
//! (the last test, on a copy of the repository with that kata).

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

/// A test killed at its deadline, or crashed, never runs its clean-up: the temporary
/// folders it made (1 MiB each here) must not outlive the check, and neither may those
/// of a test that passes and forgets its own. Each test process has a `TMPDIR` of its
/// own under the runner's scratch folder, removed after the process's group is gone.
#[test]
fn temporary_folders_do_not_outlive_the_check() {
    use std::os::unix::ffi::OsStringExt;
    let fixture = Fixture::new("litter");
    let notes = fixture.path("notes");
    fs::create_dir_all(&notes).unwrap();
    let child = fixture_command(&fixture.dir, &["check", "litter"])
        .env("FIXTURE_TEMPS", &notes)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let runner = child.id();
    let output = child.wait_with_output().unwrap();
    let report = stdout(&output);
    assert!(
        report.contains("litter (测试): 1 of 3 tests pass"),
        "{report}{}",
        stderr(&output)
    );
    assert!(
        report.contains("⏱ spins_in_a_folder ran past 2 s and was stopped"),
        "{report}"
    );
    // Where the runner keeps its test processes' folders (the system's temp folder
    // instead when it runs as root and others cannot reach the target folder).
    let areas = [
        common::fixture_target().join("xtask/tmp"),
        std::env::temp_dir().join("kata-xtask-tmp"),
    ];
    // A note still being written (its name starts with a dot) when an aborting test
    // ended its process is not one.
    let made: Vec<(String, std::path::PathBuf)> = fs::read_dir(&notes)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let path = std::ffi::OsString::from_vec(fs::read(e.path()).unwrap());
            (e.file_name().to_string_lossy().into_owned(), path.into())
        })
        .collect();
    for kind in ["forgotten", "spinner", "aborter"] {
        assert!(
            made.iter().any(|(note, _)| note.starts_with(kind)),
            "no {kind} folder was noted: {made:?}"
        );
    }
    for (note, path) in &made {
        assert!(
            areas.iter().any(|area| path.starts_with(area)),
            "{note}: {} is not in the runner's folder for tests: TMPDIR was not given",
            path.display()
        );
        assert!(
            !path.exists(),
            "{note}: {} outlived the check",
            path.display()
        );
    }
    for area in &areas {
        let left: Vec<_> = fs::read_dir(area)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(&format!("{runner}-")))
            .collect();
        assert!(
            left.is_empty(),
            "the check's folders outlived it in {}: {left:?}",
            area.display()
        );
    }
}

/// Case 3: a bubble sort that never stops looping, called by 40 tests with a 3 s
/// timeout, costs a few timeouts, not 40 × 3 s ÷ 2 workers = 60 s; the tests of the
/// other function are still graded. (The bound is 30 s: half the old runner's least,
/// several times what this one needs even on a loaded machine.)
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
        report.contains("loops (测试): 4 of 44 tests pass"),
        "{report}"
    );
    assert!(
        report.contains("⏱ sorts_00 ran past 3 s and was stopped"),
        "{report}\n{}",
        stderr(&output)
    );
    assert!(
        took < Duration::from_secs(30),
        "40 looping tests took {took:?}, more than a few timeouts of 3 s"
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
    // A long timeout, so that the save below lands while the looping check still runs.
    let manifest = fixture.path("exercises/loops/Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, text.replace("timeout = 3", "timeout = 30")).unwrap();
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
    // The looping check takes at least its 30 s timeout; save the fix during it.
    thread::sleep(Duration::from_millis(1000));
    fs::copy(
        fixture.path("solutions/loops/src/lib.rs"),
        fixture.path("exercises/loops/src/lib.rs"),
    )
    .unwrap();
    let passed = wait_until(Duration::from_secs(60), || {
        seen.lock().unwrap().contains("44 of 44 tests pass")
    });
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    let text = seen.lock().unwrap().clone();
    assert!(passed, "the saved fix was never checked:\n{text}");
    assert!(
        !text.contains("(测试): 4 of 44 tests pass"),
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

/// A git repository of the fixture, every file committed.
fn committed_fixture(name: &str) -> Fixture {
    let fixture = Fixture::new(name);
    common::git(&fixture.dir, &["init", "-q"]);
    common::git(&fixture.dir, &["add", "."]);
    common::git(&fixture.dir, &["commit", "-q", "-m", "the course"]);
    fixture
}

/// Case 8: a relative CARGO_TARGET_DIR names the folder cargo uses (the runner asks
/// cargo instead of reading the variable): the reference passes every test, and the
/// runner writes nothing outside that folder.
#[test]
fn a_relative_cargo_target_dir_is_honoured() {
    let fixture = Fixture::new("relative-target");
    let output = fixture_command(&fixture.dir, &["check", "demo", "--solution"])
        .env("CARGO_TARGET_DIR", "tgt")
        .output()
        .unwrap();
    let report = stdout(&output);
    assert!(
        report.contains("10 of 10 tests pass"),
        "{report}{}",
        stderr(&output)
    );
    assert!(fixture.path("tgt").is_dir());
    assert!(!fixture.path("target").exists(), "wrote outside tgt/");
}

/// Case 9: progress that cannot be saved (here `.kata-progress.json` is a folder: the
/// tests run as root, who can write anywhere, so a read-only mount cannot be made)
/// is a warning after the report, never a lost report; the same for a hint; and
/// `grade --pristine` writes only into cargo's target folder.
#[test]
fn progress_that_cannot_be_saved_is_a_warning_after_the_report() {
    let fixture = committed_fixture("unsaved");
    let _ = fs::remove_file(fixture.path(".kata-progress.json"));
    fs::create_dir_all(fixture.path(".kata-progress.json")).unwrap();
    let output = fixture.xtask(&["check", "demo"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("demo (测试): 1 of 10 tests pass"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("warning: your progress could not be saved"),
        "{}",
        stderr(&output)
    );
    let hint = fixture.xtask(&["hint", "demo"]);
    assert_eq!(hint.status.code(), Some(0), "{}", stderr(&hint));
    assert!(stdout(&hint).contains("Read the test that fails first."));
    assert!(stderr(&hint).contains("warning: your progress could not be saved"));

    let grade = fixture.xtask(&["grade", "--pristine", "HEAD", "--format", "json"]);
    assert_eq!(grade.status.code(), Some(0), "{}", stderr(&grade));
    assert!(
        !fixture.path("target").exists(),
        "grade --pristine wrote into the checkout"
    );
}

/// Cases 10 and 13: `export --student` refuses, by name, a stub that differs from its
/// committed version (a kata solved in the instructor's clone) or has no todo!() left
/// (a solution committed as the stub); `--working-tree` exports the files as they
/// are; the `cd` line it prints is quoted for the shell.
#[test]
fn export_ships_stubs_as_committed() {
    let fixture = committed_fixture("export-solved");
    fs::copy(
        fixture.path("solutions/demo/src/lib.rs"),
        fixture.path("exercises/demo/src/lib.rs"),
    )
    .unwrap();
    let class = fixture.path("out/my class");
    let class_arg = class.display().to_string();
    let refused = fixture.xtask(&["export", "--student", &class_arg]);
    assert_eq!(refused.status.code(), Some(2), "{}", stdout(&refused));
    assert!(
        stderr(&refused).contains("exercises/demo/src/lib.rs differs from its committed version"),
        "{}",
        stderr(&refused)
    );
    assert!(!class.exists(), "a refused export writes nothing");

    // Committed, the solution is still not a stub.
    common::git(&fixture.dir, &["commit", "-q", "-am", "solved demo"]);
    let refused = fixture.xtask(&["export", "--student", &class_arg]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("exercises/demo/src/lib.rs has no todo!() left"),
        "{}",
        stderr(&refused)
    );

    let forced = fixture.xtask(&["export", "--student", &class_arg, "--working-tree"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(class.join("exercises/demo/src/lib.rs").is_file());
    let said = stdout(&forced);
    assert!(
        said.contains(&format!("cd '{class_arg}' && git init")),
        "the cd line is not quoted:\n{said}"
    );
}

/// Case 11: `reset` in a shallow clone, whose oldest commit holds the learner's
/// solution, refuses and says how to fetch the history.
#[test]
fn reset_refuses_in_a_shallow_clone() {
    let fixture = committed_fixture("shallow");
    fs::copy(
        fixture.path("solutions/demo/src/lib.rs"),
        fixture.path("exercises/demo/src/lib.rs"),
    )
    .unwrap();
    common::git(&fixture.dir, &["commit", "-q", "-am", "my solution"]);
    let clone = fixture.path("clone");
    let source = format!("file://{}", fixture.dir.display());
    common::git(
        &fixture.dir,
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &source,
            clone.to_str().unwrap(),
        ],
    );
    let before = fs::read(clone.join("exercises/demo/src/lib.rs")).unwrap();
    let output = fixture_command(&clone, &["reset", "demo", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("git fetch --unshallow"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read(clone.join("exercises/demo/src/lib.rs")).unwrap(),
        before,
        "the file was changed"
    );
}

/// Case 12: with git missing from PATH, `grade --pristine HEAD` says git could not
/// be run, not that the commit does not exist.
#[test]
fn git_missing_is_said_so() {
    let fixture = Fixture::new("no-git");
    let empty = fixture.path("empty-bin");
    fs::create_dir_all(&empty).unwrap();
    let output = fixture_command(&fixture.dir, &["grade", "--pristine", "HEAD"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("git could not be run"), "{err}");
    assert!(!err.contains("no such commit"), "{err}");
}

/// Case 14: progress is visible. The alias does not hide cargo (`--quiet` made a
/// first build silent for 25 s), and `NO_COLOR` hides colour, not cargo's progress.
#[test]
fn progress_stays_visible() {
    let config = fs::read_to_string(common::main_root().join(".cargo/config.toml")).unwrap();
    let alias = config
        .lines()
        .find(|l| l.starts_with("xtask = "))
        .expect("the xtask alias");
    assert!(!alias.contains("--quiet"), "{alias}");

    let fixture = Fixture::new("visible");
    let output = fixture.xtask(&["check", "demo"]);
    let err = stderr(&output);
    assert!(
        err.contains("Finished") || err.contains("Compiling"),
        "cargo's progress is hidden under NO_COLOR:\n{err}"
    );
    assert!(
        !err.contains('\x1b'),
        "NO_COLOR still means no colour:\n{err}"
    );
}

/// Case 15: a stub that appends `ok <test>` to libtest's log (its path read from the
/// command line) and exits 0 forges a full score, as any code inside the test process
/// can; `grade` flags it in every format and withholds its points (issue 27). A kata that declares what it uses
/// (`uses = ["process", "fs"]` for strays) and one that reaches for nothing
/// are not flagged.
#[test]
fn grade_flags_a_crate_that_reaches_for_the_harness() {
    let fixture = Fixture::new("forged");
    fs::write(
        fixture.path("exercises/loops/src/lib.rs"),
        r#"//! Forges every pass.
use std::io::Write;

pub fn bubble_sort(_v: &mut [i32]) {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--logfile") {
        let mut log = std::fs::OpenOptions::new().append(true).open(&args[i + 1]).unwrap();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            let _ = writeln!(log, "ok {name}");
        }
    }
    std::process::exit(0);
}

pub fn is_sorted(v: &[i32]) -> bool {
    v.windows(2).all(|w| w[0] <= w[1])
}
"#,
    )
    .unwrap();
    // A program of the crate (src/bin/) is never linked into the suite's tests: what it
    // reaches for is not a way to forge a result, and is not flagged.
    let program = fixture.path("exercises/strays/src/bin/tool.rs");
    fs::create_dir_all(program.parent().unwrap()).unwrap();
    fs::write(
        &program,
        "fn main() {\n    std::process::exit(std::env::args().count() as i32);\n}\n",
    )
    .unwrap();
    let output = fixture.xtask(&[
        "grade",
        "--format",
        "json",
        "--out",
        "g.json",
        "--format",
        "human",
        "--out",
        "g.txt",
        "--format",
        "markdown",
        "--out",
        "g.md",
        "--format",
        "junit",
        "--out",
        "g.xml",
        "--format",
        "classroom",
        "--out",
        "g.env",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(fixture.path("g.json")).unwrap()).unwrap();
    let kata = |name: &str| {
        report["katas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == name)
            .unwrap()
            .clone()
    };
    let loops = kata("loops");
    assert_eq!(
        loops["passed"], loops["total"],
        "the forgery works: {loops}"
    );
    assert_eq!(loops["withheld"], true, "{loops}");
    let kinds: Vec<&str> = loops["reaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    for kind in ["env", "fs", "process"] {
        assert!(kinds.contains(&kind), "{kind} not flagged: {kinds:?}");
    }
    assert_eq!(kata("strays")["reaches"], serde_json::json!([]));
    assert_eq!(kata("noisy")["reaches"], serde_json::json!([]));

    let human = fs::read_to_string(fixture.path("g.txt")).unwrap();
    assert!(human.contains("⚑ reaches for the harness"), "{human}");
    assert!(
        human.contains("std::process (process, exercises/loops/src/lib.rs:12)"),
        "{human}"
    );
    let markdown = fs::read_to_string(fixture.path("g.md")).unwrap();
    assert!(markdown.contains("**Flagged:** loops"), "{markdown}");
    let junit = fs::read_to_string(fixture.path("g.xml")).unwrap();
    assert!(
        junit.contains("name=\"stays within its task\"") && junit.contains("reaches-outside"),
        "{junit}"
    );
    // The classroom result: the loops kata's runner (`LOOPS_RESULTS`, base64 of JSON).
    use base64::Engine as _;
    let env = fs::read_to_string(fixture.path("g.env")).unwrap();
    let loops_results = env
        .lines()
        .find_map(|line| line.strip_prefix("LOOPS_RESULTS="))
        .unwrap_or_else(|| panic!("no runner for loops:\n{env}"));
    let classroom = base64::engine::general_purpose::STANDARD
        .decode(loops_results)
        .unwrap();
    let classroom = String::from_utf8(classroom).unwrap();
    assert!(classroom.contains("FLAGGED"), "{classroom}");
}

/// Case 3: on a terminal, a live status line says how far the check is while its
/// tests run ("loops (测试): 4 of 44 tests · 1 s · 40 still running"), and is cleared
/// before the report. The terminal is `script`'s pseudo-terminal.
#[test]
fn a_live_status_line_shows_on_a_terminal() {
    let fixture = Fixture::new("status-line");
    fixture.xtask(&["check", "loops"]);
    let command = format!(
        "{} check loops",
        common::xtask_exe()
            .to_str()
            .expect("a UTF-8 path")
            .replace('\'', "'\\''")
    );
    let output = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(&fixture.dir)
        // English whatever the machine's locale.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .env("CARGO_TARGET_DIR", common::fixture_target())
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    let screen = stdout(&output);
    assert!(
        screen.contains("tests · ") && screen.contains("still running"),
        "no status line:\n{screen}"
    );
    assert!(screen.contains("\r\x1b[2K"), "the line is redrawn in place");
    assert!(screen.contains("4 of 44 tests pass"), "{screen}");
}

/// Issue 40: the `processes` kata forks, runs pipelines and pools of worker processes,
/// and makes zombies on purpose to watch them reaped. After its checks (the reference's
/// and the stub's), no process they started remains and no zombie: none is a child of
/// this process, which is a child subreaper (every orphan of the check is re-parented
/// here, zombies included), none runs from the kata's target folder (its test binary:
/// a pool worker, a child role), and none is a child of one that does. Being a subreaper
/// is the whole process's state, and the test counts this process's children, so it
/// runs again in a process of its own, where no other test starts children beside it.
#[test]
fn the_processes_kata_leaves_no_process_and_no_zombie() {
    const ALONE: &str = "XTASK_TEST_ALONE";
    let name = "the_processes_kata_leaves_no_process_and_no_zombie";
    if std::env::var_os(ALONE).is_none() {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([name, "--exact", "--nocapture", "--test-threads=1"])
            .env(ALONE, "1")
            .stdin(Stdio::null())
            .output()
            .expect("the test binary runs again");
        assert!(
            output.status.success(),
            "in a process of its own: {:?}\n{}{}",
            output.status,
            stdout(&output),
            stderr(&output)
        );
        return;
    }
    // SAFETY: PR_SET_CHILD_SUBREAPER sets one flag of this process; no pointer is passed.
    let set = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    assert_eq!(set, 0, "could not become a child subreaper");
    let target = common::target_dir();

    // The search finds what it must: a shell's background `sleep`, orphaned when the
    // shell exits, is re-parented here and seen.
    let shell = std::process::Command::new("sh")
        .args(["-c", "sleep 60 & exit 0"])
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(shell.success());
    let orphans = leftovers(&target);
    end_all(&orphans);
    // (Found at once: the shell's background child is re-parented here as the shell
    // exits, before `status` returns, whether or not it has become `sleep` yet.)
    let me = std::process::id();
    assert!(
        orphans.iter().any(|p| p.ppid == me),
        "an orphan was not found: {orphans:?}"
    );
    assert!(leftovers(&target).is_empty(), "the orphan was not ended");

    let _lock = common::BuildLock::acquire();
    let repo = common::MiniRepo::with_kata("processes-leftovers", "processes");
    for (args, passes) in [
        (&["check", "processes", "--solution"][..], true),
        (&["check", "processes"][..], false),
    ] {
        let run = repo.xtask(args);
        let left = leftovers(&target);
        end_all(&left);
        // The checks ran the kata's tests: the reference passes them all, the stub not.
        let counts = run
            .stdout
            .lines()
            .find_map(|line| {
                // `processes (进程与进程间通信) [reference solution]: 44 of 44 tests pass`
                let rest = line.strip_prefix("processes (")?;
                let (_, rest) = rest.rsplit_once(": ")?;
                let (passed, rest) = rest.split_once(" of ")?;
                let total = rest.strip_suffix(" tests pass")?;
                Some((passed.parse::<u32>().ok()?, total.parse::<u32>().ok()?))
            })
            .unwrap_or_else(|| panic!("xtask {args:?}: no score in the report\n{run}"));
        assert!(
            counts.1 > 0 && (counts.0 == counts.1) == passes,
            "xtask {args:?}: {counts:?} tests pass\n{run}"
        );
        let zombies = left.iter().filter(|p| p.state == 'Z').count();
        assert!(
            left.is_empty(),
            "xtask {args:?} left {} processes behind, {zombies} of them zombies: {left:?}\n{run}",
            left.len()
        );
    }
}

/// A process found after a check: its pid, name (`comm`), state letter and parent.
struct Leftover {
    pid: u32,
    name: String,
    state: char,
    ppid: u32,
}

impl std::fmt::Debug for Leftover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Leftover {
            pid,
            name,
            state,
            ppid,
        } = self;
        write!(f, "{pid} {name} (state {state}, parent {ppid})")
    }
}

/// Every process that is a child of this one, runs a test binary of the `processes`
/// kata from `target`, or is a child of one that does.
fn leftovers(target: &std::path::Path) -> Vec<Leftover> {
    let me = std::process::id();
    let all: Vec<Leftover> = fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (head, rest) = stat.rsplit_once(") ")?;
            let name = head.split_once(" (")?.1.to_string();
            let mut fields = rest.split(' ');
            let state = fields.next()?.chars().next()?;
            let ppid = fields.next()?.parse().ok()?;
            Some(Leftover {
                pid,
                name,
                state,
                ppid,
            })
        })
        .collect();
    let kata_binary = |pid: u32| {
        fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| {
            exe.starts_with(target)
                && exe
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("processes-"))
        })
    };
    let binaries: Vec<u32> = all
        .iter()
        .map(|p| p.pid)
        .filter(|&pid| kata_binary(pid))
        .collect();
    all.into_iter()
        .filter(|p| p.ppid == me || binaries.contains(&p.pid) || binaries.contains(&p.ppid))
        .collect()
}

/// Kills every leftover and reaps those that are children of this process, so a failing
/// run leaves nothing behind either.
fn end_all(left: &[Leftover]) {
    let me = std::process::id();
    for p in left {
        // SAFETY: kill and waitpid take plain numbers; the pids were read just now.
        unsafe {
            libc::kill(p.pid as libc::pid_t, libc::SIGKILL);
            if p.ppid == me {
                libc::waitpid(p.pid as libc::pid_t, std::ptr::null_mut(), 0);
            }
        }
    }
}
