//! `cargo xtask reset`: on a copy of the sort kata committed to its own git repository.
//! Nothing here builds a kata, so these tests need no build lock.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{MiniRepo, git};

const STUB: &str = "exercises/sort/src/lib.rs";
const DEADLINE: Duration = Duration::from_secs(60);

/// A copy whose sort stub is committed, and the stub's bytes.
fn committed_repo(name: &str) -> (MiniRepo, Vec<u8>) {
    let repo = MiniRepo::new(name);
    git(&repo.root, &["init", "--quiet"]);
    git(&repo.root, &["config", "user.name", "xtask tests"]);
    git(
        &repo.root,
        &["config", "user.email", "xtask@example.invalid"],
    );
    git(&repo.root, &["add", "--all"]);
    git(
        &repo.root,
        &["commit", "--quiet", "--message", "the course"],
    );
    let stub = std::fs::read(repo.path(STUB)).unwrap();
    (repo, stub)
}

/// The learner's work: one line changed, two added.
fn edit(repo: &MiniRepo) -> Vec<u8> {
    let text = std::fs::read_to_string(repo.path(STUB)).unwrap();
    // A real call (the stub's docs mention `todo!()` too): work the learner did.
    let mut edited = text.replacen("todo!(\"bubble", "unimplemented!(\"bubble", 1);
    assert_ne!(edited, text);
    edited.push_str("// my notes\n// more notes\n");
    std::fs::write(repo.path(STUB), &edited).unwrap();
    edited.into_bytes()
}

struct Reset {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `xtask reset args...` in the copy with `input` on stdin (`None`: stdin closed).
fn reset(dir: &Path, args: &[&str], input: Option<&str>) -> Reset {
    let mut child = Command::new(common::xtask_exe())
        .arg("reset")
        .args(args)
        .current_dir(dir)
        // English whatever the machine's locale.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        // Git looks no further up than the copy's folder.
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the xtask binary starts");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().unwrap();
        // The child may exit before reading (an error); a broken pipe is fine then.
        let _ = stdin.write_all(input.as_bytes());
    }
    let deadline = Instant::now() + DEADLINE;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("reset {args:?} ran past {DEADLINE:?} and was stopped");
        }
        thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Reset {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

#[test]
fn asks_first_and_keeps_the_file_unless_told_yes() {
    let (repo, stub) = committed_repo("reset-ask");
    let edited = edit(&repo);

    let run = reset(&repo.root, &["sort"], Some("n\n"));
    assert_eq!(run.code, Some(1), "keeping the file exits 1\n{run}");
    assert!(
        run.stdout
            .contains("exercises/sort/src/lib.rs differs from the stub: 3 lines added, 1 removed."),
        "{run}"
    );
    assert!(
        run.stdout.contains(
            "Reset exercises/sort/src/lib.rs to the stub? Your changes will be lost [y/N]"
        ),
        "{run}"
    );
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), edited, "{run}");

    // Closed stdin is a no, too.
    let run = reset(&repo.root, &["sort"], None);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stdout.contains("--yes"), "{run}");
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), edited, "{run}");

    let run = reset(&repo.root, &["sort"], Some("yes\n"));
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), stub, "{run}");
}

#[test]
fn yes_restores_the_stub_byte_for_byte_and_forgets_the_score_and_hints() {
    let (repo, stub) = committed_repo("reset-yes");
    edit(&repo);
    std::fs::write(
        repo.path(".kata-progress.json"),
        r#"{"katas":{"sort":{"passed":40,"total":95,"compile_error":false,"hints_shown":2}}}"#,
    )
    .unwrap();

    let run = reset(&repo.root, &["sort", "--yes"], None);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stdout
            .contains("exercises/sort/src/lib.rs was restored to the stub."),
        "{run}"
    );
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), stub, "{run}");
    let progress = std::fs::read_to_string(repo.path(".kata-progress.json")).unwrap();
    let progress: serde_json::Value = serde_json::from_str(&progress).unwrap();
    assert!(
        progress["katas"].get("sort").is_none(),
        "the kata starts over, its hints too: {progress}"
    );
    // No temporary file is left beside the stub.
    let leftovers: Vec<_> = std::fs::read_dir(repo.path("exercises/sort/src"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "lib.rs")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Once it is the stub, there is nothing to ask.
    let run = reset(&repo.root, &["sort"], None);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run.stdout.contains("is already the stub"), "{run}");
}

#[test]
fn the_stub_is_the_file_as_first_committed_even_after_the_learner_commits() {
    let (repo, stub) = committed_repo("reset-history");
    let edited = edit(&repo);
    git(
        &repo.root,
        &["commit", "--quiet", "--all", "--message", "my work"],
    );
    std::fs::write(repo.path(STUB), "// oops\n").unwrap();

    // --from takes it from the commit named.
    let run = reset(&repo.root, &["sort", "--yes", "--from", "HEAD"], None);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), edited, "{run}");

    let run = reset(&repo.root, &["sort", "--yes"], None);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), stub, "{run}");

    // A deleted file comes back without a question.
    std::fs::remove_file(repo.path(STUB)).unwrap();
    let run = reset(&repo.root, &["sort"], None);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), stub, "{run}");

    let run = reset(&repo.root, &["sort", "--from", "no-such-branch"], None);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr
            .contains("`no-such-branch` is not a commit or branch"),
        "{run}"
    );
}

#[test]
fn outside_a_git_checkout_says_so() {
    let repo = MiniRepo::new("reset-no-git");
    let run = reset(&repo.root, &["sort", "--yes"], None);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("is not a git checkout"), "{run}");
}

#[test]
fn an_unknown_kata_is_named() {
    let (repo, _) = committed_repo("reset-unknown");
    let run = reset(&repo.root, &["sorting", "--yes"], None);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr.contains("there is no kata called `sorting`"),
        "{run}"
    );
}

/// The stub as the course last committed it: a maintainer's later fix to the stub
/// (every `todo!()` kept) is restored, a learner's committed work (fewer `todo!()`s)
/// never is.
#[test]
fn restores_the_newest_whole_stub_not_the_first_nor_the_learners() {
    let (repo, _) = committed_repo("reset-newest");
    let first = std::fs::read_to_string(repo.path(STUB)).unwrap();
    let fixed = first.replacen("//!", "//! (fixed by a maintainer)\n//!", 1);
    std::fs::write(repo.path(STUB), &fixed).unwrap();
    git(
        &repo.root,
        &["commit", "--quiet", "--all", "--message", "a better stub"],
    );
    let todos = fixed.matches("todo!(").count();
    assert!(todos >= 2, "the stub has todo!()s to fill in");
    commit_learners_work(&repo, &fixed);
    resets_to(
        &repo,
        &fixed,
        "the maintainer's fixed stub, neither the first version nor the learner's",
    );
}

/// The learner fills in bubble sort in `stub` and commits it.
fn commit_learners_work(repo: &MiniRepo, stub: &str) {
    let solved = stub.replacen("todo!(\"bubble", "unimplemented!(\"bubble", 1);
    assert_ne!(solved, stub);
    std::fs::write(repo.path(STUB), &solved).unwrap();
    git(
        &repo.root,
        &["commit", "--quiet", "--all", "--message", "my work"],
    );
}

/// `reset sort --yes` writes `expected`.
fn resets_to(repo: &MiniRepo, expected: &str, why: &str) {
    let run = reset(&repo.root, &["sort", "--yes"], None);
    assert_eq!(run.code, Some(0), "{run}");
    assert_eq!(
        std::fs::read_to_string(repo.path(STUB)).unwrap(),
        expected,
        "{why}\n{run}"
    );
}

/// A maintainer who reshapes a kata (a function moves to another kata, so the stub has
/// fewer `todo!()`s) changes the stub with its reference in one commit: that stub is
/// the one restored, not an older one with more `todo!()`s, and a learner's committed
/// work after it still is not.
#[test]
fn a_stub_reshaped_with_its_reference_is_the_stub_from_then_on() {
    let (repo, _) = committed_repo("reset-reshaped");
    let first = std::fs::read_to_string(repo.path(STUB)).unwrap();
    // quick sort leaves the kata: its todo!() becomes code in the stub and the
    // reference changes in the same commit.
    let reshaped = first.replacen("todo!(\"quick", "unimplemented!(\"quick", 1);
    assert_ne!(reshaped, first);
    std::fs::write(repo.path(STUB), &reshaped).unwrap();
    let reference = repo.path("solutions/sort/src/lib.rs");
    let mut text = std::fs::read_to_string(&reference).unwrap();
    text.push_str("// quick sort moved to another kata\n");
    std::fs::write(&reference, text).unwrap();
    git(
        &repo.root,
        &["commit", "--quiet", "--all", "--message", "the kata split"],
    );
    commit_learners_work(&repo, &reshaped);
    resets_to(
        &repo,
        &reshaped,
        "the stub as reshaped, neither the one before nor the learner's",
    );
}

#[test]
fn asks_in_chinese_and_takes_a_chinese_yes() {
    let (repo, stub) = committed_repo("reset-chinese");
    let edited = edit(&repo);

    let run = reset(&repo.root, &["sort", "--lang", "zh"], Some("n\n"));
    assert_eq!(run.code, Some(1), "{run}");
    for expected in [
        "exercises/sort/src/lib.rs 和初始代码不同：增加了 3 行，删除了 1 行。",
        "把 exercises/sort/src/lib.rs 恢复成初始代码吗？你的修改会丢失 [y/N]",
        "已保留你的文件，没有改动。",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{run}");
    }
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), edited, "{run}");

    // The language is remembered; 是 is a yes.
    let run = reset(&repo.root, &["sort"], Some("是\n"));
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stdout.contains(
            "exercises/sort/src/lib.rs 已恢复成初始代码。\n下一步：cargo xtask check sort"
        ),
        "{run}"
    );
    assert_eq!(std::fs::read(repo.path(STUB)).unwrap(), stub, "{run}");
}
