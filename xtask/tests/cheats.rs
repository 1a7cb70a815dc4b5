//! Issue 27: five ways a student got marks without the work, tried as a student of an
//! exported class would. Each test plays one cheat on copies of the fixture repository
//! (`xtask/tests/fixtures/demo-repo`, the instructor's checkout, and a second copy as the
//! student's clone) and asserts that grading gives the student's true work: the
//! trusted grading (`grade --submission`, run from the instructor's checkout) always,
//! and the exported workflow where it can. Where a cheat cannot be stopped (code inside
//! the test process forging the harness's log), it is flagged and its points withheld.
//! Each test failed on the runner before this issue's fixes.
//!
//! The kata graded is mostly `strays`, whose stub passes 1 of its 3 tests: the true
//! score is 33.33%, a forged one 100%.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::{Fixture, copy_file, fixture_command, fixture_target, stderr, stdout};
use serde_json::Value;

const ALL_KATAS: [&str; 6] = ["demo", "broken", "strays", "loops", "noisy", "litter"];
/// A suite that passes anything: what a forged "pristine" copy holds.
const WEAK_SUITE: &str = "#[test]\nfn passes() {}\n";

/// A fresh copy of the fixture repository holding only the katas in `keep`.
fn copy_of(name: &str, keep: &[&str]) -> Fixture {
    let fixture = Fixture::new(name);
    for kata in ALL_KATAS.iter().filter(|k| !keep.contains(k)) {
        for dir in ["exercises", "solutions"] {
            let _ = fs::remove_dir_all(fixture.path(&format!("{dir}/{kata}")));
        }
        let _ = fs::remove_file(fixture.path(&format!("tests/{kata}.rs")));
    }
    fixture
}

fn run(cmd: &mut Command) -> std::process::Output {
    cmd.output().expect("the command runs")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn kata<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["katas"]
        .as_array()
        .expect("katas")
        .iter()
        .find(|k| k["name"] == name)
        .unwrap_or_else(|| panic!("{name} is in the report: {report}"))
}

/// The classroom result in `file`, decoded.
/// The classroom result (an environment file: `CLASSROOM_RUNNERS`, then each runner's
/// `<RUNNER>_RESULTS`), as the reporter adds it up: `score` and `max` over every runner,
/// and under `runners.<runner>` its own `score`, `max` and failing entries' `messages`.
fn classroom(file: &Path) -> Value {
    let text = fs::read_to_string(file).unwrap();
    let (mut score, mut max) = (0.0, 0.0);
    let mut runners = serde_json::Map::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once('=') else {
            panic!("not an environment file: {text}");
        };
        let Some(runner) = key.strip_suffix("_RESULTS") else {
            continue;
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value)
            .unwrap_or_else(|e| panic!("not base64 ({e}): {text}"));
        let result: Value = serde_json::from_slice(&bytes).expect("base64 of JSON");
        let tests = result["tests"].as_array().unwrap();
        let own: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
        let messages: Vec<&Value> = tests
            .iter()
            .map(|t| &t["message"])
            .filter(|m| m.is_string())
            .collect();
        score += own;
        max += result["max_score"].as_f64().unwrap();
        runners.insert(
            runner.to_lowercase(),
            serde_json::json!({"score": own, "max": result["max_score"], "messages": messages}),
        );
    }
    serde_json::json!({"score": score, "max": max, "runners": runners})
}

/// A classroom result giving every point: what a forger writes.
fn full_marks() -> String {
    let result = serde_json::json!({
        "version": 1, "status": "pass", "max_score": 10,
        "tests": [{"name": "forged", "status": "pass", "score": 10, "message": "forged",
                   "line_no": 0}]
    });
    format!(
        "CLASSROOM_RUNNERS=strays\nSTRAYS_RESULTS={}\n",
        base64::engine::general_purpose::STANDARD.encode(result.to_string())
    )
}

/// The strays kata graded on its own, as the JSON report says.
fn assert_true_strays_score(report: &Value, what: &str) {
    let strays = kata(report, "strays");
    assert_eq!(
        (strays["passed"].as_u64(), strays["total"].as_u64()),
        (Some(1), Some(3)),
        "{what}: the stub's true work is 1 of 3 tests\n{strays}"
    );
    assert_eq!(report["score"], 33.33, "{what}\n{report}");
}

/// `grade --submission <student> args...` from the instructor's checkout.
fn trusted(instructor: &Fixture, student: &Path, args: &[&str]) -> std::process::Output {
    let student = student.display().to_string();
    let mut all = vec!["grade", "--submission", student.as_str()];
    all.extend_from_slice(args);
    run(&mut fixture_command(&instructor.dir, &all))
}

/// Cheat 1: the runner is the student's. In their repository the `xtask` alias can
/// point at a program that writes full marks (or the runner's source can be edited, or
/// the workflow's step, or `.cargo/config.toml` name a compiler wrapper): the workflow
/// runs whatever is there. The instructor's
/// `grade --submission` runs its own runner, takes only the learner's files, and gives
/// the true score; the student's program never runs.
#[test]
fn a_forged_runner_in_the_students_repository_is_never_run() {
    let instructor = copy_of("cheat-runner", &["strays"]);
    let student = copy_of("cheat-runner-student", &["strays"]);
    let forger = student.path("forger");
    let ran = student.path("forger-ran");
    fs::create_dir_all(forger.join("src")).unwrap();
    fs::write(
        forger.join("Cargo.toml"),
        "[package]\nname = \"forger\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    fs::write(
        forger.join("src/main.rs"),
        format!(
            r#"//! `cargo xtask grade ... --out FILE`: full marks, whatever the code.
fn main() {{
    let args: Vec<String> = std::env::args().collect();
    std::fs::write({ran:?}, "").unwrap();
    if let Some(i) = args.iter().position(|a| a == "--out") {{
        std::fs::write(&args[i + 1], {marks:?}).unwrap();
    }}
}}
"#,
            ran = ran.display().to_string(),
            marks = full_marks()
        ),
    )
    .unwrap();
    // And a compiler wrapper, which would run at every build made from their folder.
    let wrapped = student.path("wrapper-ran");
    let wrapper = student.path("wrapper.sh");
    fs::write(
        &wrapper,
        format!("#!/bin/sh\ntouch '{}'\nexec \"$@\"\n", wrapped.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir_all(student.path(".cargo")).unwrap();
    fs::write(
        student.path(".cargo/config.toml"),
        format!(
            "[alias]\nxtask = \"run --quiet --manifest-path forger/Cargo.toml --\"\n\n\
             [build]\nrustc-wrapper = {:?}\n",
            wrapper.display().to_string()
        ),
    )
    .unwrap();

    // Before: the student's repository grades itself with the student's runner.
    let out = student.path("classroom.env");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let forged = run(Command::new(&cargo)
        .args(["xtask", "grade", "--format", "classroom", "--out"])
        .arg(&out)
        .current_dir(&student.dir)
        .env("CARGO_TARGET_DIR", fixture_target())
        .stdin(Stdio::null()));
    assert!(forged.status.success(), "{}", stderr(&forged));
    assert_eq!(
        classroom(&out)["score"],
        10.0,
        "the student's own runner gives what it likes"
    );
    fs::remove_file(&ran).unwrap();
    let _ = fs::remove_file(&wrapped);

    // After: the instructor's run.
    let trusted_out = instructor.path("classroom.env");
    let output = trusted(
        &instructor,
        &student.dir,
        &[
            "--format",
            "json",
            "--out",
            "grade.json",
            "--format",
            "classroom",
            "--out",
            trusted_out.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&fs::read_to_string(instructor.path("grade.json")).unwrap());
    assert_true_strays_score(&report, "graded by the instructor");
    assert_eq!(report["submission"], student.dir.display().to_string());
    let result = classroom(&trusted_out);
    // 1 of 3 tests: a third of the kata's 10 points, at the scale of 100 (333 a test).
    assert_eq!(
        (result["score"].as_f64(), result["max"].as_f64()),
        (Some(333.0), Some(999.0)),
        "{result}"
    );
    assert!(!ran.exists(), "nothing of the student's but their code ran");
    assert!(!wrapped.exists(), "their .cargo/ is never read");
}

/// Cheat 2: the pristine copy came from the student's history. The old workflow took the
/// oldest root commit as pristine, so an orphan commit dated 2000 holding a one-test
/// suite, merged with `-s ours`, was "pristine": 1 of 1 = 100%. The exported workflow
/// now refuses a history with two roots, and takes the suites from the tree id baked
/// in at export time, so rewriting the one root commit gains nothing either.
#[test]
fn the_suites_come_from_the_export_not_from_the_students_history() {
    let instructor = copy_of("cheat-history", &["strays"]);
    let class = instructor.path("class");
    let class_arg = class.display().to_string();
    let exported = run(&mut fixture_command(
        &instructor.dir,
        &["export", "--student", &class_arg, "--working-tree"],
    ));
    assert_eq!(exported.status.code(), Some(0), "{}", stderr(&exported));
    let workflow = fs::read_to_string(class.join(".github/workflows/grade.yml")).unwrap();
    let tree = baked_tree(&workflow);
    assert_eq!(tree.len(), 40, "a git object id is baked in: {tree:?}");
    common::git(&class, &["init", "--quiet"]);
    common::git(&class, &["add", "--all"]);
    common::git(
        &class,
        &["commit", "--quiet", "--message", "the class starts"],
    );
    let tests_tree = git_text(&class, &["rev-parse", "HEAD:tests"]);
    assert_eq!(tree, tests_tree, "the baked id is the committed tests/");

    // The student: an orphan commit from 2000 holding a weak suite, merged with
    // `-s ours`, and the weak suite in the working tree too.
    let branch = git_text(&class, &["rev-parse", "--abbrev-ref", "HEAD"]);
    common::git(&class, &["checkout", "--quiet", "--orphan", "old"]);
    fs::write(class.join("tests/strays.rs"), WEAK_SUITE).unwrap();
    common::git(&class, &["add", "--all"]);
    git_dated(
        &class,
        &["commit", "--quiet", "--message", "older than the class"],
    );
    common::git(&class, &["checkout", "--quiet", &branch]);
    common::git(
        &class,
        &[
            "merge",
            "--quiet",
            "--strategy",
            "ours",
            "--allow-unrelated-histories",
            "--message",
            "merge",
            "old",
        ],
    );
    fs::write(class.join("tests/strays.rs"), WEAK_SUITE).unwrap();
    common::git(
        &class,
        &["commit", "--quiet", "--all", "--message", "weak suite"],
    );

    // Before: the old workflow's pristine, the oldest root.
    let oldest = git_text(&class, &["rev-list", "--max-parents=0", "HEAD"])
        .lines()
        .last()
        .unwrap()
        .to_string();
    let output = run(&mut fixture_command(
        &class,
        &["grade", "--pristine", &oldest, "--format", "json"],
    ));
    let report = json(&stdout(&output));
    assert_eq!(
        kata(&report, "strays")["score"],
        100.0,
        "the old way is fooled"
    );
    assert_eq!(report["pristine"]["unchanged"], true);

    // After: the workflow refuses two roots...
    let step = workflow_step(&class, &workflow);
    assert_ne!(step.status.code(), Some(0), "{}", stdout(&step));
    assert!(
        stdout(&step).contains("2 root commits"),
        "{}",
        stdout(&step)
    );

    // ...and with one root rewritten to hold the weak suite, it grades against the
    // exported suites all the same.
    common::git(&class, &["checkout", "--quiet", "--orphan", "rewritten"]);
    common::git(
        &class,
        &[
            "commit",
            "--quiet",
            "--message",
            "the class starts, rewritten",
        ],
    );
    let summary_dir = tempdir(&instructor, "rewritten");
    let step = workflow_step_in(&class, &workflow, &summary_dir);
    assert!(
        step.status.success(),
        "{}\n{}",
        stdout(&step),
        stderr(&step)
    );
    let result = classroom(&class.join("classroom.env"));
    assert_eq!(
        (result["score"].as_f64(), result["max"].as_f64()),
        (Some(333.0), Some(999.0)),
        "{result}"
    );
    let summary = fs::read_to_string(summary_dir.join("summary.md")).unwrap();
    assert!(summary.contains("changed: `tests/strays.rs`"), "{summary}");

    // And the instructor's run, which names the commit it graded (read without
    // running git in the student's repository).
    let output = trusted(&instructor, &class, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&stdout(&output));
    assert_true_strays_score(&report, "graded by the instructor");
    assert_eq!(report["commit"], git_text(&class, &["rev-parse", "HEAD"]));
}

/// Cheat 3: a process outlives grading. From a kata's tests, `setsid -f` starts a
/// process (its own session and group, so killing the test's group misses it) that
/// waits for the classroom result and overwrites it with full marks; a double fork
/// leaves another. The runner, a child subreaper, finds and kills both when the test
/// ends, before any report is written, in `check` and in `grade`; and the tests see
/// no CI variables.
#[test]
fn nothing_a_test_starts_outlives_it() {
    let fixture = copy_of("cheat-setsid", &["strays"]);
    let marker = format!("cheat-setsid-{}", std::process::id());
    let out = fixture.path("classroom.env");
    let forger = format!(
        "i=0; while [ $i -lt 400 ] && [ ! -s '{out}' ]; do sleep 0.05; i=$((i+1)); done; \
         [ -s '{out}' ] && printf '{marks}' > '{out}'; sleep 30; : {marker}-forger",
        out = out.display(),
        marks = full_marks()
    );
    fs::write(
        fixture.path("exercises/strays/src/lib.rs"),
        format!(
            r#"//! Leaves a process in a session of its own, and one behind a double fork.
use std::process::Command;

pub fn leave_sleeper() -> bool {{
    Command::new("setsid").args(["-f", "sh", "-c", {forger:?}]).status().is_ok()
}}

pub fn sleep_then_spin() -> u32 {{
    let _ = Command::new("sh").args(["-c", "(sleep 30; : {marker}-double) &"]).status();
    7
}}

/// 7 only when the CI's variables are out of sight.
pub fn spin() -> u32 {{
    let seen = ["GITHUB_OUTPUT", "RUNNER_TEMP", "ACTIONS_RUNTIME_TOKEN"]
        .iter()
        .any(|key| std::env::var_os(key).is_some());
    if seen {{ 0 }} else {{ 7 }}
}}
"#
        ),
    )
    .unwrap();
    let ci = [
        ("GITHUB_OUTPUT", "/dev/null"),
        ("RUNNER_TEMP", "/tmp"),
        ("ACTIONS_RUNTIME_TOKEN", "secret"),
    ];

    // The forger works when left alive: run on its own, it rewrites a result.
    fs::write(&out, "the real result\n").unwrap();
    let alone = run(Command::new("sh").args(["-c", &forger.replace("sleep 30", "true")]));
    assert!(alone.status.success());
    assert_eq!(fs::read_to_string(&out).unwrap(), full_marks());
    fs::remove_file(&out).unwrap();

    let checked = run(fixture_command(&fixture.dir, &["check", "strays"]).envs(ci));
    assert!(
        stdout(&checked).contains("strays (测试): 3 of 3 tests pass"),
        "{}\n{}",
        stdout(&checked),
        stderr(&checked)
    );
    assert_no_process_with(&marker, "after check");

    let graded = run(fixture_command(
        &fixture.dir,
        &[
            "grade",
            "--format",
            "classroom",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .envs(ci));
    assert_eq!(graded.status.code(), Some(0), "{}", stderr(&graded));
    assert_no_process_with(&marker, "after grade");
    let result = classroom(&out);
    assert!(!result.to_string().contains("forged"), "{result}");
    // The lib reads the environment and starts processes beyond what strays declares
    // (env is never declarable): flagged, so its points are withheld.
    assert_eq!(result["score"], 0.0, "{result}");
    assert!(
        result["runners"]["strays"]["messages"][0]
            .as_str()
            .unwrap()
            .starts_with("passes, but the kata's points are withheld for review; FLAGGED"),
        "{result}"
    );

    // The trusted run too (the student's copy is the fixture itself).
    let instructor = copy_of("cheat-setsid-instructor", &["strays"]);
    let output = trusted(&instructor, &fixture.dir, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_no_process_with(&marker, "after grade --submission");
    assert_eq!(kata(&json(&stdout(&output)), "strays")["passed"], 3);
}

/// Cheat 4: a build script writes into the pristine suites. `build = "<absolute path>"`
/// in a kata's manifest ran in the scratch build of `grade --pristine`, rewrote a later
/// kata's pristine suite to one empty test (1 of 1 = 100%) and, the pristine copy being
/// the instructor's folder, changed it for every student graded after. Now no scratch
/// crate has a build script, and `--submission` never reads a student's manifest.
#[test]
fn a_build_script_never_runs_nor_writes_the_instructors_suites() {
    let instructor = copy_of("cheat-build", &["demo", "strays"]);
    let student = copy_of("cheat-build-student", &["demo", "strays"]);
    let ran = student.path("build-script-ran");
    let script = student.path("evil-build.rs");
    let suite = instructor.path("tests/strays.rs");
    let original = fs::read_to_string(&suite).unwrap();
    fs::write(
        &script,
        format!(
            "fn main() {{\n    std::fs::write({ran:?}, \"\").unwrap();\n    \
             std::fs::write({suite:?}, {WEAK_SUITE:?}).unwrap();\n}}\n",
            ran = ran.display().to_string(),
            suite = suite.display().to_string()
        ),
    )
    .unwrap();
    let manifest = student.path("exercises/demo/Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replacen(
            "publish.workspace = true\n",
            &format!(
                "publish.workspace = true\nbuild = {:?}\n",
                script.display().to_string()
            ),
            1,
        ),
    )
    .unwrap();

    // The student's way: against the instructor's folder as pristine.
    let pristine = instructor.dir.display().to_string();
    let output = run(&mut fixture_command(
        &student.dir,
        &["grade", "--pristine", &pristine, "--format", "json"],
    ));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!ran.exists(), "a scratch crate never runs a build script");
    assert_eq!(fs::read_to_string(&suite).unwrap(), original);
    let report = json(&stdout(&output));
    let strays = kata(&report, "strays");
    assert_eq!(
        (strays["passed"].as_u64(), strays["total"].as_u64()),
        (Some(1), Some(3))
    );
    let kinds: Vec<&str> = kata(&report, "demo")["reaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"build-script"), "{kinds:?}");

    // The instructor's way: the manifest is the instructor's.
    let output = trusted(&instructor, &student.dir, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!ran.exists());
    assert_eq!(fs::read_to_string(&suite).unwrap(), original);
    let report = json(&stdout(&output));
    let strays = kata(&report, "strays");
    assert_eq!(
        (strays["passed"].as_u64(), strays["total"].as_u64()),
        (Some(1), Some(3))
    );
}

/// Cheat 5: the harness flag was a token match. A lib that forges libtest's log with
/// `std::env`, `std::fs` and `std::process` was flagged, but after `use std as s;` (and
/// a module re-exporting `s::fs`) nothing was, and a flagged kata counted in full. The
/// compiler now resolves the paths (clippy with the runner's configuration), and a
/// flagged kata's points are withheld in every format unless `--count-flagged`.
#[test]
fn a_forger_behind_an_alias_is_flagged_and_withheld() {
    let fixture = copy_of("cheat-alias", &["loops", "strays"]);
    fs::write(
        fixture.path("exercises/loops/src/lib.rs"),
        r#"//! Forges every pass, out of the tokens' sight.
use std as s;
use s::io::Write;

mod m {
    pub use super::s::fs as files;
}

pub fn bubble_sort(_v: &mut [i32]) {
    let args: Vec<String> = s::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--logfile") {
        let mut log = crate::m::files::OpenOptions::new().append(true).open(&args[i + 1]).unwrap();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            let _ = writeln!(log, "ok {name}");
        }
    }
    s::process::exit(0);
}

pub fn is_sorted(v: &[i32]) -> bool {
    v.windows(2).all(|w| w[0] <= w[1])
}
"#,
    )
    .unwrap();
    let formats = [
        ("json", "g.json"),
        ("human", "g.txt"),
        ("markdown", "g.md"),
        ("junit", "g.xml"),
        ("classroom", "g.env"),
    ];
    let mut args = vec!["grade"];
    for (format, out) in &formats {
        args.extend(["--format", format, "--out", out]);
    }
    let output = run(&mut fixture_command(&fixture.dir, &args));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&fs::read_to_string(fixture.path("g.json")).unwrap());
    let loops = kata(&report, "loops");
    assert_eq!(loops["passed"], loops["total"], "the forgery runs: {loops}");
    let kinds: Vec<&str> = loops["reaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    for kind in ["env", "fs", "process"] {
        assert!(kinds.contains(&kind), "{kind} is resolved: {loops}");
    }
    assert_eq!(loops["withheld"], true);
    assert_eq!(report["katas_withheld"], 1);
    // strays' stub: 1 of 3, counted; loops withheld: 0.
    assert_eq!(report["score"], 16.67, "{report}");
    let human = fs::read_to_string(fixture.path("g.txt")).unwrap();
    assert!(
        human.contains("withheld for review (100% of its tests pass)"),
        "{human}"
    );
    assert!(human.contains("(as the compiler resolves it)"), "{human}");
    let markdown = fs::read_to_string(fixture.path("g.md")).unwrap();
    assert!(markdown.contains("| 4 | loops (测试) | 0% |"), "{markdown}");
    assert!(
        markdown.contains("**1 flagged kata(s) count 0**"),
        "{markdown}"
    );
    let junit = fs::read_to_string(fixture.path("g.xml")).unwrap();
    assert!(
        junit.contains("<property name=\"withheld\" value=\"true\"/>")
            && junit.contains("its points are withheld"),
        "{junit}"
    );
    let result = classroom(&fixture.path("g.env"));
    assert_eq!(result["runners"]["loops"]["score"], 0.0, "{result}");

    // --count-flagged counts them.
    let output = run(&mut fixture_command(
        &fixture.dir,
        &["grade", "--count-flagged", "--format", "json"],
    ));
    let report = json(&stdout(&output));
    assert_eq!(kata(&report, "loops")["withheld"], false);
    let strays = kata(&report, "strays")["score"].as_f64().unwrap();
    let mean = ((strays + 100.0) / 2.0 * 100.0).round() / 100.0;
    assert_eq!(report["score"], mean, "{report}");

    // Hiding the forger from the compiler's check behind `cfg(clippy)` is flagged by
    // the token scan.
    let lib = fixture.path("exercises/loops/src/lib.rs");
    let text = fs::read_to_string(&lib).unwrap();
    fs::write(
        &lib,
        text.replace("use std as s;", "#[cfg(not(clippy))]\nuse std as s;"),
    )
    .unwrap();
    let output = run(&mut fixture_command(
        &fixture.dir,
        &["grade", "--format", "json"],
    ));
    let report = json(&stdout(&output));
    let loops = kata(&report, "loops");
    assert!(
        loops["reaches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "hides"),
        "{loops}"
    );
    assert_eq!(loops["withheld"], true);
}

/// Two students graded one after the other from one checkout: the second is graded on
/// their own code. (Each copy used to lie at a path of its own inside the target
/// folder, where cargo's record of the first student's sources made the second's build
/// look up to date: a student holding the reference scored the stub's marks.)
#[test]
fn a_student_graded_after_another_is_graded_on_their_own_code() {
    let instructor = copy_of("one-after-another", &["demo"]);
    let first = copy_of("one-after-another-first", &["demo"]);
    let second = copy_of("one-after-another-second", &["demo"]);
    copy_file(
        &instructor.path("solutions/demo/src/lib.rs"),
        &second.path("exercises/demo/src/lib.rs"),
    );
    let scores: Vec<Value> = [&first, &second]
        .iter()
        .map(|student| {
            let output = trusted(&instructor, &student.dir, &["--format", "json"]);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            kata(&json(&stdout(&output)), "demo")["status"].clone()
        })
        .collect();
    assert_ne!(scores[0], "pass", "the stub passes: {scores:?}");
    assert_eq!(
        scores[1], "pass",
        "the second student holds the reference: {scores:?}"
    );
}

/// `--submission` copies only regular files: a `src/lib.rs` that links to the
/// instructor's reference, or an `exercises/<kata>` that links elsewhere, is refused
/// (and flagged), never followed. And on a kernel with Landlock, the code under test
/// cannot write the instructor's checkout.
#[test]
fn submissions_are_read_as_regular_files_and_their_tests_confined() {
    let instructor = copy_of("submission-files", &["demo", "strays"]);
    let student = copy_of("submission-files-student", &["demo", "strays"]);
    let lib = student.path("exercises/strays/src/lib.rs");
    fs::remove_file(&lib).unwrap();
    std::os::unix::fs::symlink(instructor.path("solutions/strays/src/lib.rs"), &lib).unwrap();
    let demo = student.path("exercises/demo");
    fs::remove_dir_all(&demo).unwrap();
    std::os::unix::fs::symlink(instructor.path("solutions/demo"), &demo).unwrap();
    let output = trusted(&instructor, &student.dir, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&stdout(&output));
    for name in ["strays", "demo"] {
        let graded = kata(&report, name);
        assert_eq!(graded["status"], "missing", "{graded}");
        assert_eq!(graded["score"], 0.0);
        assert!(
            graded["reaches"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["kind"] == "refused"),
            "{graded}"
        );
    }

    // Code under test writing into the instructor's checkout.
    let target = instructor.path("tests/strays.rs");
    let original = fs::read_to_string(&target).unwrap();
    fs::remove_file(&lib).unwrap();
    fs::write(
        &lib,
        format!(
            "pub fn leave_sleeper() -> bool {{\n    \
             std::fs::write({:?}, \"#[test]\\nfn passes() {{}}\\n\").is_err()\n}}\n\
             pub fn sleep_then_spin() -> u32 {{ 7 }}\npub fn spin() -> u32 {{ 7 }}\n",
            target.display().to_string()
        ),
    )
    .unwrap();
    let output = trusted(&instructor, &student.dir, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&stdout(&output));
    let notes = report["notes"].to_string();
    if notes.contains("not confined") {
        // A kernel without Landlock: said so in the report.
        fs::write(&target, original).unwrap();
        return;
    }
    assert_eq!(fs::read_to_string(&target).unwrap(), original, "{report}");
    assert_eq!(
        kata(&report, "strays")["passed"],
        3,
        "the write was refused"
    );
}

/// Waits (up to 3 s) for no process's command line to hold `marker`.
fn assert_no_process_with(marker: &str, when: &str) {
    let end = Instant::now() + Duration::from_secs(3);
    loop {
        let found = processes_with(marker);
        if found.is_empty() {
            return;
        }
        if Instant::now() >= end {
            for pid in &found {
                // Clean up before failing: this test's own strays, by their pids.
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            }
            panic!("{when}: still running: {found:?}");
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// The live processes whose command line holds `marker`.
fn processes_with(marker: &str) -> Vec<u32> {
    fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = fs::read(entry.path().join("cmdline")).ok()?;
            (String::from_utf8_lossy(&cmdline).contains(marker) && common::alive(pid))
                .then_some(pid)
        })
        .collect()
}

fn git_text(dir: &Path, args: &[&str]) -> String {
    let output = run(Command::new("git").args(args).current_dir(dir));
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    stdout(&output).trim().to_string()
}

/// `git args` with the author and committer dated 2000.
fn git_dated(dir: &Path, args: &[&str]) {
    let output = run(Command::new("git")
        .args([
            "-c",
            "user.name=student",
            "-c",
            "user.email=student@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z"));
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

/// The `SUITES_TREE` the export wrote into the workflow.
fn baked_tree(workflow: &str) -> String {
    let docs = yaml_rust2::YamlLoader::load_from_str(workflow).expect("the workflow is YAML");
    docs[0]["env"]["SUITES_TREE"]
        .as_str()
        .expect("SUITES_TREE")
        .to_string()
}

fn tempdir(fixture: &Fixture, name: &str) -> PathBuf {
    let dir = fixture.path(&format!("step-{name}"));
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn workflow_step(class: &Path, workflow: &str) -> std::process::Output {
    let dir = class.with_file_name("step-files");
    fs::create_dir_all(&dir).unwrap();
    workflow_step_in(class, workflow, &dir)
}

/// Runs the workflow's grading step as GitHub Actions would (bash, `-eo pipefail`,
/// the workflow's `env`, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` in `files`), with
/// `cargo xtask` being the runner under test.
fn workflow_step_in(class: &Path, workflow: &str, files: &Path) -> std::process::Output {
    let docs = yaml_rust2::YamlLoader::load_from_str(workflow).unwrap();
    let doc = &docs[0];
    let step = doc["jobs"]["grade"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_str() == Some("katas"))
        .expect("the grading step");
    let script = step["run"].as_str().unwrap();
    // `cargo xtask ...` is this build of the runner; any other cargo command is cargo.
    let bin = files.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let shim = bin.join("cargo");
    fs::write(
        &shim,
        format!(
            "#!/bin/sh\n[ \"$1\" = xtask ] || exec '{cargo}' \"$@\"\nshift\nCARGO='{cargo}' exec '{}' \"$@\"\n",
            common::xtask_exe().display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&shim, fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(class)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("GITHUB_OUTPUT", files.join("output"))
        .env("GITHUB_ENV", files.join("env"))
        .env("GITHUB_STEP_SUMMARY", files.join("summary.md"))
        .env("CARGO_TARGET_DIR", fixture_target())
        .env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .stdin(Stdio::null());
    for (key, value) in doc["env"].as_hash().unwrap() {
        let value = match value {
            yaml_rust2::Yaml::String(s) => s.clone(),
            other => format!("{other:?}"),
        };
        cmd.env(key.as_str().unwrap(), value);
    }
    run(&mut cmd)
}
