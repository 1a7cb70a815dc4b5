//! GitHub Classroom: `grade --format classroom` gives the reporter's base64 JSON, with
//! per-kata points; the workflows (the class export's and the repository's own CI) are
//! well-formed YAML wired the way the reporter and the gate need.

mod common;

use std::fs;

use base64::Engine;
use common::{BuildLock, MiniRepo};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// One reporter runner: its name, as the reporter reads it, and its result.
struct Runner {
    name: String,
    result: Value,
}

/// Decodes the environment file the reporter reads (`CLASSROOM_RUNNERS`, then each
/// runner's `<RUNNER>_RESULTS`) and checks each result's shape field by field.
fn decode(text: &str) -> Vec<Runner> {
    let mut lines = text.lines();
    let runners = lines
        .next()
        .and_then(|l| l.strip_prefix("CLASSROOM_RUNNERS="))
        .unwrap_or_else(|| panic!("the runners first: {text}"));
    // The reporter's own check of its input, on the error path: letters and digits,
    // separated by commas.
    assert!(
        runners
            .split(',')
            .all(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric())),
        "{runners}"
    );
    let mut out = Vec::new();
    for name in runners.split(',') {
        // The reporter: process.env[`${runner.trim().toUpperCase()}_RESULTS`].
        let key = format!("{}_RESULTS=", name.trim().to_uppercase());
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(key.as_str()))
            .unwrap_or_else(|| panic!("no {key} in {text}"));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(line)
            .expect("the result is base64");
        let result: Value = serde_json::from_slice(&bytes).expect("base64 of JSON");
        assert_eq!(result["version"], 1);
        assert!(result["max_score"].is_u64(), "whole points: {result}");
        assert!(["pass", "fail", "error"].contains(&result["status"].as_str().unwrap()));
        for test in result["tests"].as_array().expect("a tests array") {
            for (field, is_right_type) in [
                ("name", test["name"].is_string()),
                ("status", test["status"].is_string()),
                ("score", test["score"].is_u64()),
                ("line_no", test["line_no"].is_u64()),
            ] {
                assert!(
                    is_right_type,
                    "tests[].{field} has the reporter's type: {test}"
                );
            }
            assert!(["pass", "fail", "error"].contains(&test["status"].as_str().unwrap()));
        }
        out.push(Runner {
            name: name.to_string(),
            result,
        });
    }
    assert_eq!(lines.count(), out.len(), "one variable a runner: {text}");
    out
}

/// What the reporter (autograding-grading-reporter@v1, `dist/main.js`) computes from
/// the runners, the way its code does it, in f64 as JavaScript numbers are:
/// - the log and the table's row: `passed entries / entries * max_score` for each runner
///   (`getTestScore`), the table's total the sum of the rows;
/// - what Classroom receives (`NotifyClassroom`): the sum of every entry's `score`, out
///   of the sum of the `max_score`s of the runners that have one.
struct Reporter {
    rows: Vec<(String, f64, f64)>,
    table_total: f64,
    table_max: f64,
    points: f64,
    max_points: f64,
}

fn reporter(runners: &[Runner]) -> Reporter {
    let mut rows = Vec::new();
    for runner in runners {
        let tests = runner.result["tests"].as_array().unwrap();
        let passed = tests.iter().filter(|t| t["status"] == "pass").count() as f64;
        let max = runner.result["max_score"].as_f64().unwrap_or(0.0);
        rows.push((runner.name.clone(), passed / tests.len() as f64 * max, max));
    }
    let table_total = rows.iter().fold(0.0, |acc, r| acc + r.1);
    let table_max = rows.iter().fold(0.0, |acc, r| acc + r.2);
    let (mut points, mut max_points) = (0.0, 0.0);
    for runner in runners {
        let max = runner.result["max_score"].as_f64().unwrap_or(0.0);
        if max == 0.0 {
            continue;
        }
        max_points += max;
        for test in runner.result["tests"].as_array().unwrap() {
            points += test["score"].as_f64().unwrap();
        }
    }
    Reporter {
        rows,
        table_total,
        table_max,
        points,
        max_points,
    }
}

#[test]
fn stubs_score_zero_and_solutions_full_points() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("classroom");

    let run = repo.xtask(&["grade", "--format", "classroom", "--points", "sort=25"]);
    assert_eq!(run.code, Some(0), "{run}");
    let runners = decode(&run.stdout);
    assert_eq!(runners.len(), 1, "one runner a kata");
    let sort = &runners[0];
    assert_eq!(sort.name, "sort");
    assert_eq!(sort.result["status"], "fail", "{}", sort.result);
    let tests = sort.result["tests"].as_array().unwrap();
    assert!(tests.len() > 10, "one entry a test");
    assert!(
        tests
            .iter()
            .all(|t| t["score"] == 0 && t["status"] == "fail")
    );
    assert!(
        tests[0]["message"]
            .as_str()
            .unwrap()
            .contains("is not implemented yet"),
        "a failing entry says why: {}",
        tests[0]
    );
    // 25 points at the class's scale: a whole number a test, within half a percent.
    let max = sort.result["max_score"].as_u64().unwrap();
    assert_eq!(
        max % tests.len() as u64,
        0,
        "every test worth the same whole points"
    );
    let scale = [1u64, 10, 100, 1000, 10_000]
        .into_iter()
        .find(|s| (max as f64 - 25.0 * *s as f64).abs() <= 25.0 * *s as f64 * 0.005)
        .expect("a power of ten scales the points");
    assert!(scale >= 1);

    // The reference in place of the stub: every point, default points when none given.
    fs::copy(
        repo.path("solutions/sort/src/lib.rs"),
        repo.path("exercises/sort/src/lib.rs"),
    )
    .unwrap();
    let out = repo.temp.path.join("classroom.env");
    let out_arg = out.display().to_string();
    let run = repo.xtask(&["grade", "--format", "classroom", "--out", &out_arg]);
    assert_eq!(run.code, Some(0), "{run}");
    let runners = decode(&fs::read_to_string(&out).unwrap());
    assert_eq!(runners[0].result["status"], "pass", "{}", runners[0].result);
    let seen = reporter(&runners);
    assert_eq!(seen.points, seen.max_points, "every point");
    assert_eq!(seen.table_total, seen.points);

    // Points for a kata that is not the instructor's, or that are not a number, are
    // refused before anything is graded.
    for bad in ["sotr=5", "sort=-1", "sort", "sort=lots"] {
        let run = repo.xtask(&["grade", "--format", "classroom", "--points", bad]);
        assert_eq!(run.code, Some(2), "--points {bad}\n{run}");
        assert!(run.stderr.contains("--points"), "{run}");
        assert!(
            !run.stderr.contains("grade: [1/1]"),
            "nothing was graded\n{run}"
        );
    }
}

/// Issue 33: the reporter's log and table, and the score Classroom receives, agree with
/// the JSON report's for a kata half done (the reference with one mistake: some of its
/// tests pass, some fail). Classroom receives whole points, exactly the JSON report's
/// share of the kata's `max_score`, and the log line says the same. The table's cell is
/// the reporter's own float arithmetic (passed ÷ entries × max_score), which no choice of
/// whole points makes exact for every count: it is that same whole number, or within one
/// rounding of it (GRADING.md says how often each).
#[test]
fn the_reporters_table_and_total_agree_with_our_score_for_a_half_done_kata() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("classroom-half");
    let mutants = fs::read_dir(common::main_root().join("tests/mutants/sort")).unwrap();
    let mut names: Vec<String> = mutants
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".patch").map(String::from))
        .collect();
    names.sort();
    let half_done = common::mutant_source(&repo, "sort", &names[0]);
    fs::write(repo.path("exercises/sort/src/lib.rs"), half_done).unwrap();
    let run = repo.xtask(&[
        "grade",
        "--points",
        "sort=7",
        "--format",
        "classroom",
        "--out",
        "out/c.env",
        "--format",
        "json",
        "--out",
        "out/g.json",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let report: Value =
        serde_json::from_str(&fs::read_to_string(repo.path("out/g.json")).unwrap()).unwrap();
    let kata = &report["katas"][0];
    let (passed, total) = (
        kata["passed"].as_u64().unwrap(),
        kata["total"].as_u64().unwrap(),
    );
    assert!(
        0 < passed && passed < total,
        "a half-done kata: {passed} of {total}"
    );

    let runners = decode(&fs::read_to_string(repo.path("out/c.env")).unwrap());
    let seen = reporter(&runners);
    assert_eq!(seen.rows.len(), 1);
    let (name, row, max) = seen.rows[0].clone();
    assert_eq!(name, "sort");
    let tests = runners[0].result["tests"].as_array().unwrap();
    assert_eq!(tests.len() as u64, total, "one entry a test");
    let each = tests
        .iter()
        .map(|t| t["score"].as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(
        max as u64,
        each * total,
        "every test worth the same whole points"
    );

    // What Classroom receives: `Points <sum of scores>/<sum of max_score>`, whole
    // numbers, in exactly the JSON report's share.
    assert_eq!(seen.points, (each * passed) as f64);
    assert_eq!(seen.max_points, max);
    let notice = format!("Points {}/{}", seen.points, seen.max_points);
    assert_eq!(notice, format!("Points {}/{}", each * passed, each * total));
    assert_eq!(seen.points as u64 * total, seen.max_points as u64 * passed);
    // Its weight: 7 points at the class's scale, within half a percent.
    let scale = [1u64, 10, 100, 1000, 10_000]
        .into_iter()
        .find(|s| (max - 7.0 * *s as f64).abs() <= 7.0 * *s as f64 * 0.005)
        .expect("the kata's points, scaled");

    // The log: `Total points for sort: <row.toFixed(2)>/<max>`, the same number.
    assert_eq!(
        format!("Total points for {name}: {row:.2}/{max}"),
        format!(
            "Total points for sort: {}.00/{}",
            each * passed,
            each * total
        )
    );
    // The table: the row's cell and the total row, printed as JavaScript prints numbers
    // (Rust's `{}` for f64 is the same shortest form), the total the sum of the rows.
    assert_eq!(seen.table_total, row);
    assert_eq!(seen.table_max, max);
    if row == seen.points {
        assert_eq!(format!("{row}"), format!("{}", each * passed));
    } else {
        // The reporter's division rounds: the cell is within one rounding of the points.
        assert!(
            (row - seen.points).abs() <= seen.points * f64::EPSILON,
            "{row}"
        );
        eprintln!(
            "the reporter's table shows {row} for {} points ({passed}/{total}, scale {scale})",
            seen.points
        );
    }
    assert_eq!(runners[0].result["status"], "fail");
}

/// `--points` names the instructor's katas: with `--pristine`, those with a pristine
/// suite. A kata the student deleted is one of them: it scores 0 out of its points.
#[test]
fn a_kata_the_student_deleted_scores_zero_out_of_its_points() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("classroom-deleted");
    let pristine = repo.temp.path.join("pristine");
    fs::create_dir_all(&pristine).unwrap();
    fs::copy(repo.path("tests/sort.rs"), pristine.join("sort.rs")).unwrap();
    fs::remove_dir_all(repo.path("exercises/sort")).unwrap();
    let pristine_arg = pristine.display().to_string();
    let run = repo.xtask(&[
        "grade",
        "--pristine",
        &pristine_arg,
        "--points",
        "sort=20",
        "--format",
        "classroom",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let runners = decode(&run.stdout);
    assert_eq!(runners.len(), 1, "{}", run.stdout);
    assert_eq!(runners[0].result["status"], "error");
    assert_eq!(runners[0].result["max_score"], 20, "out of its points");
    let seen = reporter(&runners);
    assert_eq!((seen.points, seen.max_points), (0.0, 20.0));
}

fn load(path: &str) -> Yaml {
    let text = fs::read_to_string(common::main_root().join(path)).unwrap();
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(docs.len(), 1, "{path} is one YAML document");
    docs.remove(0)
}

/// The steps of the workflow's only job.
fn steps(workflow: &Yaml) -> Vec<Yaml> {
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    assert_eq!(jobs.len(), 1, "one job");
    let job = jobs.values().next().unwrap();
    job["steps"].as_vec().expect("steps").clone()
}

#[test]
fn the_class_workflow_feeds_the_classroom_reporter() {
    let workflow = load("xtask/templates/grade.yml");
    let job = workflow["jobs"]["grade"].clone();
    assert_eq!(
        job["name"].as_str(),
        Some("Autograding Tests"),
        "the name Classroom's autograding workflows give the job"
    );
    let steps = steps(&workflow);
    let grade = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("katas"))
        .expect("a grading step with id `katas`");
    let script = grade["run"].as_str().unwrap();
    for part in [
        "cargo xtask grade",
        "--format junit",
        "--format markdown --out \"$GITHUB_STEP_SUMMARY\"",
        "--format classroom --out classroom.env",
        "cat classroom.env >> \"$GITHUB_ENV\"",
    ] {
        assert!(script.contains(part), "the grading step runs {part:?}");
    }
    let reporter = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("classroom-resources/autograding-grading-reporter@"))
        })
        .expect("the reporter step");
    assert_eq!(
        reporter["with"]["runners"].as_str(),
        Some("${{ env.CLASSROOM_RUNNERS }}"),
        "one runner a kata, as the grading step names them"
    );
    let permissions = &workflow["permissions"];
    assert!(
        permissions["checks"].is_badvalue(),
        "the reporter writes no check run: no write permission"
    );
    shellcheck(script);
}

/// shellcheck on a workflow's script, where it is installed (`apt-get install
/// shellcheck`); otherwise says that it was not run.
fn shellcheck(script: &str) {
    let dir = common::TempDir::new("shellcheck");
    let file = dir.path.join("step.sh");
    fs::write(&file, format!("#!/usr/bin/env bash\n{script}")).unwrap();
    match std::process::Command::new("shellcheck").arg(&file).output() {
        Ok(out) => assert!(
            out.status.success(),
            "shellcheck finds fault with the grading step:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
        Err(e) => eprintln!("shellcheck was not run ({e}): install it to check the workflow"),
    }
}

#[test]
fn the_repository_ci_runs_the_gate_on_every_push_and_pull_request() {
    let workflow = load(".github/workflows/ci.yml");
    let on = &workflow["on"];
    assert!(
        !on["push"].is_badvalue() && !on["pull_request"].is_badvalue(),
        "{on:?}"
    );
    let steps = steps(&workflow);
    assert!(
        steps.iter().any(|s| s["run"]
            .as_str()
            .is_some_and(|r| r.trim() == "bash .ci/run")),
        "a step runs .ci/run"
    );
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    let paths = cache["with"]["path"].as_str().unwrap();
    for dir in [
        "~/.cargo/registry/index/",
        "~/.cargo/registry/cache/",
        "target/",
    ] {
        assert!(paths.contains(dir), "the cache keeps {dir}");
    }
}
