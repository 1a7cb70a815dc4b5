//! `tests <kata>`: the learner's own tests against the reference, the wheats and the
//! chaffs; `hint <kata> --tests`; and `verify` judging the wheats (a suite that rejects
//! a correct implementation is over-strict).

mod common;

use std::fs;

use common::{BuildLock, MiniRepo};

/// The first property of the README's section on writing your own tests: the one a
/// learner starts with (for sort: every sort agrees with the standard library's on
/// integers, which equal keys cannot tell apart).
fn readme_property(repo: &MiniRepo, kata: &str) -> String {
    let readme = fs::read_to_string(repo.path(&format!("exercises/{kata}/README.md"))).unwrap();
    let (_, section) = readme
        .split_once("\n## Writing your own tests\n")
        .expect("the README has a section on writing your own tests");
    let (_, code) = section.split_once("\n```rust\n").expect("a Rust block");
    let (code, _) = code.split_once("\n```").unwrap();
    format!("{code}\n")
}

/// A test that demands stability from quick_sort, which the task does not promise.
const STABLE_QUICK_SORT: &str = r#"
proptest! {
    #[test]
    fn quick_sort_keeps_equal_keys_in_order(v in proptest::collection::vec((0..3u8, any::<u16>()), 0..60)) {
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        let mut got = v;
        sort::quick_sort_by(&mut got, |a, b| a.0.cmp(&b.0));
        prop_assert_eq!(got, expected);
    }
}
"#;

#[test]
fn without_a_file_it_says_how_to_start() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("learner-tests-start");
    let run = repo.xtask(&["tests", "sort"]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(
        run.stdout.contains(
            "You have not written your own tests yet. Create exercises/sort/learner_tests.rs"
        ),
        "{run}"
    );
    assert!(run.stdout.contains("fn sorts_agree_with_std"), "{run}");
    assert!(
        !repo.path("exercises/sort/learner_tests.rs").exists(),
        "nothing is written into exercises/"
    );
}

#[test]
fn one_property_catches_some_mistakes_and_a_stable_quick_sort_test_rejects_the_reference() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("learner-tests-report");
    let file = repo.path("exercises/sort/learner_tests.rs");
    let one_property = readme_property(&repo, "sort");
    fs::write(&file, &one_property).unwrap();
    let run = repo.xtask(&["tests", "sort"]);
    // Known mistakes slip through: the command fails until every one is caught.
    assert_eq!(run.code, Some(1), "{run}");
    common::assert_snapshot!("sort_one_property", run.stdout);

    // The hints reveal one uncaught mistake at a time.
    let hint = repo.xtask(&["hint", "sort", "--tests"]);
    assert_eq!(hint.code, Some(0), "{hint}");
    assert_eq!(
        hint.stdout
            .matches("A mistake your tests do not catch yet:")
            .count(),
        1,
        "{hint}"
    );
    let again = repo.xtask(&["hint", "sort", "--tests"]);
    assert_ne!(
        hint.stdout, again.stdout,
        "the second hint is another mistake"
    );

    // The class's grading reports the same score beside the implementation's.
    let graded = repo.xtask(&["grade", "--format", "json"]);
    assert_eq!(graded.code, Some(0), "{graded}");
    let report: serde_json::Value = serde_json::from_str(&graded.stdout).unwrap();
    let learner = &report["katas"][0]["learner_tests"];
    assert_eq!(learner["status"], "scored", "{graded}");
    assert_eq!(learner["caught"], 4, "{graded}");
    assert_eq!(learner["chaffs"], 18, "{graded}");
    let human = repo.xtask(&["grade"]);
    assert!(
        human
            .stdout
            .contains("own tests: catch 4 of 18 known mistakes"),
        "{human}"
    );

    fs::write(&file, format!("{one_property}{STABLE_QUICK_SORT}")).unwrap();
    let run = repo.xtask(&["tests", "sort"]);
    assert_eq!(run.code, Some(1), "{run}");
    let out = &run.stdout;
    assert!(
        out.contains("✗ quick_sort_keeps_equal_keys_in_order rejects the reference solution:"),
        "{run}"
    );
    assert!(out.contains("minimal failing input: v = ["), "{run}");
    assert!(
        !out.contains("sorts_agree_with_std rejects"),
        "the valid property is not reported: {run}"
    );
    assert!(
        out.contains("(Known mistakes are judged only by your tests that pass on every correct implementation.)"),
        "{run}"
    );
}

/// The README's first property of each other kata with learner tests catches some of
/// its known mistakes, and the report says how many remain.
#[test]
fn the_readmes_first_property_catches_some_mistakes_in_every_kata() {
    let _lock = BuildLock::acquire();
    for kata in ["search", "stack", "chat_protocol"] {
        let repo = MiniRepo::with_kata(&format!("learner-tests-{kata}"), kata);
        let property = readme_property(&repo, kata);
        fs::write(
            repo.path(&format!("exercises/{kata}/learner_tests.rs")),
            property,
        )
        .unwrap();
        let run = repo.xtask(&["tests", kata]);
        assert_eq!(run.code, Some(1), "{run}");
        common::assert_snapshot!(format!("{kata}_one_property"), run.stdout);
    }
}

#[test]
fn verify_names_a_wheat_the_suite_rejects() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("learner-tests-wheat");
    // A "correct" implementation the suite rejects: here a mutant relabelled as a wheat
    // (bubble sort handing the work to the standard library: right answers, but the
    // suite counts comparisons), standing for a suite that is too strict.
    let mutant =
        fs::read_to_string(repo.path("tests/mutants/sort/bubble_calls_std_sort.patch")).unwrap();
    let (_, diff) = mutant.split_once('\n').unwrap();
    fs::write(
        repo.path("tests/wheats/sort/std_bubble.patch"),
        format!("WHEAT: bubble sort by the standard library's stable sort\n{diff}"),
    )
    .unwrap();
    // One mutant and one other wheat are enough here (verify then also says the kata
    // keeps too few mutants), and keep this test short.
    for (dir, keep) in [
        ("mutants", "one_pass_bubble.patch"),
        ("wheats", "std_bubble.patch"),
    ] {
        for entry in fs::read_dir(repo.path(&format!("tests/{dir}/sort"))).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name != keep && name != "three_way_partition.patch" {
                fs::remove_file(path).unwrap();
            }
        }
    }
    let run = repo.xtask(&["verify", "sort"]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(
        run.stdout
            .contains("sort: wheat tests/wheats/sort/std_bubble.patch REJECTED by"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("Its route: bubble sort by the standard library's stable sort"),
        "{run}"
    );
    for accepted in fs::read_dir(repo.path("tests/wheats/sort")).unwrap() {
        let name = accepted.unwrap().file_name().to_string_lossy().to_string();
        if name != "std_bubble.patch" {
            assert!(
                !run.stdout.contains(&format!("wheats/sort/{name}")),
                "{run}"
            );
        }
    }
}

#[test]
fn a_class_repository_says_the_instructor_scores_learner_tests() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("learner-tests-class");
    fs::remove_dir_all(repo.path("solutions")).unwrap();
    let run = repo.xtask(&["tests", "sort"]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stdout
            .contains("scored in your instructor's grading run"),
        "{run}"
    );
}
