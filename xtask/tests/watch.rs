//! `cargo xtask watch`: on a copy of the sort kata, with keys sent on stdin. Every wait
//! is bounded and the child is killed when a test gives up, so nothing here can hang.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use common::{BuildLock, MiniRepo, target_dir};

/// A first check may build the kata from cold on a busy machine.
const FIRST_REPORT: Duration = Duration::from_secs(600);
/// A re-check after a save rebuilds one small crate.
const NEXT_REPORT: Duration = Duration::from_secs(300);
const EXIT: Duration = Duration::from_secs(30);

/// What watch prints once each check's report is done.
const WATCHING: &str = "Watching exercises/sort/: save a file to re-check.";
const STUB: &str = "exercises/sort/src/lib.rs";

/// A running `xtask watch`; killed when dropped.
struct Watch {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stdout: String,
}

impl Watch {
    fn start(repo: &MiniRepo, args: &[&str]) -> Watch {
        let mut child = Command::new(common::xtask_exe())
            .arg("watch")
            .args(args)
            .current_dir(&repo.root)
            // English unless `--lang` says otherwise, whatever the machine's locale.
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .env("CARGO_TARGET_DIR", target_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the xtask binary starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        // Drained so that the child never blocks on a full pipe.
        let mut stderr = child.stderr.take().unwrap();
        thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stderr.read_to_end(&mut sink);
        });
        let stdin = child.stdin.take();
        Watch {
            child,
            stdin,
            lines,
            stdout: String::new(),
        }
    }

    /// Reads stdout until `count` lines in all contain `text`, or fails the test.
    fn wait_for(&mut self, text: &str, count: usize, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.stdout.lines().filter(|l| l.contains(text)).count() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.stdout.push_str(&line);
                    self.stdout.push('\n');
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no {count}× `{text}` within {limit:?}; watch printed:\n{}",
                    self.stdout
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "watch ended before {count}× `{text}` ({:?}); it printed:\n{}",
                    self.child.try_wait(),
                    self.stdout
                ),
            }
        }
    }

    fn send(&mut self, keys: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for watch to end by itself and returns its exit code and all it printed.
    fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + EXIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
                    self.stdout.push_str(&line);
                    self.stdout.push('\n');
                }
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "watch did not stop within {EXIT:?}; it printed:\n{}",
                self.stdout
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stdin = None;
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn append(repo: &MiniRepo, text: &str) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(repo.path(STUB))
        .unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

#[test]
fn checks_then_quits_on_q() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("watch-quit");
    let mut watch = Watch::start(&repo, &["sort"]);
    watch.wait_for(WATCHING, 1, FIRST_REPORT);
    assert!(
        watch.stdout.contains("sort (排序): 0 of "),
        "{}",
        watch.stdout
    );
    assert!(
        watch.stdout.contains("is not implemented yet"),
        "{}",
        watch.stdout
    );

    watch.send("h\n");
    // The hint for what fails first: the first function to write, bubble_sort_by.
    watch.wait_for("Hint 2 of 8 for sort (排序):", 1, EXIT);
    // Inside watch, asking again is the same key, not a command.
    watch.wait_for(
        "7 more. Press h again, then Enter, for the next one",
        1,
        EXIT,
    );
    watch.send("q\n");
    assert_eq!(watch.exit_code(), Some(0), "{}", watch.stdout);
    assert!(
        watch.stdout.contains("Stopped watching."),
        "{}",
        watch.stdout
    );
    assert_eq!(
        watch
            .stdout
            .lines()
            .filter(|l| l.contains(WATCHING))
            .count(),
        1,
        "nothing was saved, so nothing was checked again:\n{}",
        watch.stdout
    );
}

/// File events: a save is checked again, and once the kata passes watch moves on (here
/// there is no other kata, so it says so and ends).
#[test]
fn rechecks_on_save_and_ends_when_every_kata_passes() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("watch-save");
    let mut watch = Watch::start(&repo, &["sort"]);
    watch.wait_for(WATCHING, 1, FIRST_REPORT);

    // An editor's scratch files are not saves of the kata.
    std::fs::write(repo.path("exercises/sort/src/.lib.rs.swp"), "x").unwrap();
    std::fs::write(repo.path("exercises/sort/src/lib.rs~"), "x").unwrap();
    append(&repo, "// a first attempt\n");
    watch.wait_for(WATCHING, 2, NEXT_REPORT);

    let solution = std::fs::read(repo.path("solutions/sort/src/lib.rs")).unwrap();
    std::fs::write(repo.path(STUB), solution).unwrap();
    assert_eq!(watch.exit_code(), Some(0), "{}", watch.stdout);
    assert!(
        watch.stdout.contains("Every test passes"),
        "{}",
        watch.stdout
    );
    assert!(
        watch.stdout.contains("Every kata passes"),
        "{}",
        watch.stdout
    );
    assert_eq!(
        watch.stdout.matches("sort (排序): ").count(),
        3,
        "one check per save, no more:\n{}",
        watch.stdout
    );
}

/// Without file events (`--poll`, as on file systems that send none) a save is still
/// seen; and watch ends when its stdin does.
#[test]
fn polling_sees_a_save_and_stdin_closing_ends_watch() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("watch-poll");
    let mut watch = Watch::start(&repo, &["sort", "--poll"]);
    watch.wait_for(WATCHING, 1, FIRST_REPORT);

    append(&repo, "// saved\n");
    watch.wait_for(WATCHING, 2, NEXT_REPORT);

    watch.stdin = None;
    assert_eq!(watch.exit_code(), Some(0), "{}", watch.stdout);
    assert!(
        watch.stdout.contains("Standard input is closed"),
        "{}",
        watch.stdout
    );
}

/// A kata that passes stays on screen: watch starts on the kata it is given even when
/// it passes, and goes on to the next kata only when Enter is pressed.
#[test]
fn a_passing_kata_waits_for_enter() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("watch-pause");
    // A second kata, before sort in the course: the runner's fixture `demo`.
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-repo");
    for dir in ["exercises/demo", "solutions/demo"] {
        common::copy_dir(&fixture.join(dir), &repo.path(dir));
    }
    common::copy_file(&fixture.join("tests/demo.rs"), &repo.path("tests/demo.rs"));
    let solution = std::fs::read(repo.path("solutions/sort/src/lib.rs")).unwrap();
    std::fs::write(repo.path(STUB), solution).unwrap();

    let mut watch = Watch::start(&repo, &["sort"]);
    let prompt = "Press Enter to go on to demo (测试), the next kata not yet passing.";
    watch.wait_for(prompt, 1, FIRST_REPORT);
    assert!(
        watch.stdout.contains("✓ sort (排序) passes."),
        "{}",
        watch.stdout
    );
    assert!(
        !watch.stdout.contains("cargo xtask check"),
        "watch does not send the learner to another command:\n{}",
        watch.stdout
    );
    // Nothing moves until Enter.
    append(&repo, "// still passing\n");
    watch.wait_for(prompt, 2, NEXT_REPORT);
    assert!(!watch.stdout.contains("demo (测试):"), "{}", watch.stdout);

    watch.send("\n");
    watch.wait_for("Watching exercises/demo/", 1, FIRST_REPORT);
    assert!(watch.stdout.contains("demo (测试): "), "{}", watch.stdout);
    watch.send("q\n");
    assert_eq!(watch.exit_code(), Some(0), "{}", watch.stdout);
}

#[test]
fn speaks_chinese_when_asked() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("watch-chinese");
    let mut watch = Watch::start(&repo, &["sort", "--lang", "zh", "--poll"]);
    watch.wait_for(
        "监视中 exercises/sort/：保存文件即可重新检查。",
        1,
        FIRST_REPORT,
    );
    assert!(watch.stdout.contains("还没有实现"), "{}", watch.stdout);
    // Inside watch, a hint is a key away.
    assert!(
        watch.stdout.contains("卡住了？按 h 再按回车，看一条提示。"),
        "{}",
        watch.stdout
    );
    watch.wait_for(
        "按键后回车：h 下一条提示 · l 列出练习 · q 退出 · 直接回车重新检查",
        1,
        EXIT,
    );
    watch.send("x\n");
    watch.wait_for("不认识的按键 `x`。", 1, EXIT);
    watch.send("h\n");
    watch.wait_for("sort (排序) 的提示 2/8：", 1, EXIT);
    watch.wait_for("还有 7 条。再按一次 h 和回车", 1, EXIT);
    watch.send("q\n");
    assert_eq!(watch.exit_code(), Some(0), "{}", watch.stdout);
    assert!(watch.stdout.contains("已停止监视。"), "{}", watch.stdout);
}
