//! GitHub Classroom: `grade --format classroom` gives the reporter's base64 JSON, with
//! per-kata points; the workflows (the class export's and the repository's own CI) are
//! well-formed YAML wired the way the reporter and the gate need.

mod common;

use std::fs;

use base64::Engine;
use common::{BuildLock, MiniRepo};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// Decodes the reporter's input and checks its shape field by field.
fn decode(stdout: &str) -> Value {
    let line = stdout.trim();
    assert!(!line.contains('\n'), "one line of base64: {stdout}");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(line)
        .expect("the result is base64");
    let result: Value = serde_json::from_slice(&bytes).expect("base64 of JSON");
    assert_eq!(result["version"], 1);
    assert!(result["max_score"].is_number());
    let tests = result["tests"].as_array().expect("a tests array");
    for test in tests {
        for (field, is_right_type) in [
            ("name", test["name"].is_string()),
            ("status", test["status"].is_string()),
            ("score", test["score"].is_number()),
            ("message", test["message"].is_string()),
            ("test_code", test["test_code"].is_string()),
            ("filename", test["filename"].is_string()),
            ("line_no", test["line_no"].is_u64()),
            ("duration", test["duration"].is_u64()),
        ] {
            assert!(
                is_right_type,
                "tests[].{field} has the reporter's type: {test}"
            );
        }
        assert!(
            ["pass", "fail", "error"].contains(&test["status"].as_str().unwrap()),
            "{test}"
        );
    }
    result
}

#[test]
fn stubs_score_zero_and_solutions_full_points() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("classroom");

    let run = repo.xtask(&["grade", "--format", "classroom", "--points", "sort=25"]);
    assert_eq!(run.code, Some(0), "{run}");
    let result = decode(&run.stdout);
    assert_eq!(result["status"], "fail", "{result}");
    assert_eq!(result["max_score"], 25.0, "the sum of the kata points");
    let sort = &result["tests"][0];
    assert_eq!(sort["name"], "sort (排序)");
    assert_eq!(sort["status"], "fail");
    assert_eq!(sort["score"], 0.0, "a fresh stub earns nothing");
    assert_eq!(sort["test_code"], "cargo xtask check sort");

    // The reference in place of the stub: every point, default points when none given.
    fs::copy(
        repo.path("solutions/sort/src/lib.rs"),
        repo.path("exercises/sort/src/lib.rs"),
    )
    .unwrap();
    let out = repo.temp.path.join("classroom.b64");
    let out_arg = out.display().to_string();
    let run = repo.xtask(&["grade", "--format", "classroom", "--out", &out_arg]);
    assert_eq!(run.code, Some(0), "{run}");
    let result = decode(&fs::read_to_string(&out).unwrap());
    assert_eq!(result["status"], "pass", "{result}");
    assert_eq!(result["max_score"], 10.0, "a kata is worth 10 unless told");
    assert_eq!(result["tests"][0]["score"], 10.0);
    assert_eq!(result["tests"][0]["status"], "pass");

    // Points for a kata that does not exist, or that are not a number, are refused.
    for bad in ["sotr=5", "sort=-1", "sort", "sort=lots"] {
        let run = repo.xtask(&["grade", "--format", "classroom", "--points", bad]);
        assert_eq!(run.code, Some(2), "--points {bad}\n{run}");
        assert!(run.stderr.contains("--points"), "{run}");
    }
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
        "the reporter finds its check run by this name"
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
        "--format classroom --out classroom.b64",
        ">> \"$GITHUB_OUTPUT\"",
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
    assert_eq!(reporter["with"]["runners"].as_str(), Some("katas"));
    assert_eq!(
        reporter["env"]["KATAS_RESULTS"].as_str(),
        Some("${{ steps.katas.outputs.result }}"),
        "the reporter reads <RUNNER>_RESULTS"
    );
    let permissions = &workflow["permissions"];
    assert_eq!(permissions["checks"].as_str(), Some("write"));
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
