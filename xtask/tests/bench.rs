//! `bench`: on the stub, the reference and std only, with the line saying why the
//! learner's code is left out; once the kata passes, the learner's code too; and a
//! table of ratios either way. A filter keeps the run to one row (a second or two).

mod common;

use std::fs;

use common::{BuildLock, MiniRepo, copy_dir, main_root};

/// One row of the sort kata's benchmarks: quick sort on 1000 random numbers.
const ONE_ROW: &str = "quick_sort/.*/random 1000$";

/// The mini repository with the sort kata's benchmarks, under a version of their own
/// (as its kata crates have), so their artifacts never replace the real ones.
fn repo_with_benches(name: &str) -> MiniRepo {
    let repo = MiniRepo::new(name);
    for dir in ["benches/kit", "benches/sort"] {
        copy_dir(&main_root().join(dir), &repo.path(dir));
        let manifest = repo.path(&format!("{dir}/Cargo.toml"));
        let text = fs::read_to_string(&manifest).unwrap();
        fs::write(
            &manifest,
            text.replacen("version = \"0.1.0\"", "version = \"0.1.0-xtask-test\"", 1),
        )
        .unwrap();
    }
    repo
}

/// The lines of the ratio table: from its header to the blank line after it.
fn table(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .skip_while(|line| !line.starts_with("operation"))
        .take_while(|line| !line.is_empty())
        .collect()
}

#[test]
fn bench_measures_the_reference_and_std_then_yours_once_it_passes() {
    let _lock = BuildLock::acquire();
    let repo = repo_with_benches("bench");
    let results = repo.temp.path.join("criterion");
    let env = [("CRITERION_HOME", results.as_path())];

    // The stub: left out, with its reason, and the table has no column for it.
    let run = repo.xtask_env(&["bench", "sort", ONE_ROW], &env);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stdout
            .contains("your code is left out: it does not pass every test yet"),
        "{run}"
    );
    let rows = table(&run.stdout);
    assert_eq!(rows.len(), 2, "a header and one row:\n{run}");
    assert!(
        rows[0].contains("reference") && !rows[0].contains("yours"),
        "no `yours` column:\n{run}"
    );
    assert!(
        rows[1].starts_with("quick_sort  random 1000  slice::sort_unstable")
            && rows[1].ends_with('×')
            && rows[1].contains("slice::sort "),
        "the baseline, the reference, and the other std sort:\n{run}"
    );
    assert!(
        results
            .join("sort/quick_sort/reference/random 1000/new/estimates.json")
            .is_file(),
        "criterion's results go under CRITERION_HOME/<kata>"
    );

    // A learner's crate that does not compile is left out the same way, never a
    // failed benchmark build.
    let stub = repo.path("exercises/sort/src/lib.rs");
    fs::write(&stub, "pub fn quick_sort(").unwrap();
    let run = repo.xtask_env(&["bench", "sort", ONE_ROW], &env);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        run.stdout
            .contains("your code is left out: it does not compile yet"),
        "{run}"
    );
    assert_eq!(table(&run.stdout).len(), 2, "{run}");

    // A passing kata: all three, side by side.
    fs::copy(repo.path("solutions/sort/src/lib.rs"), &stub).unwrap();
    let run = repo.xtask_env(&["bench", "sort", ONE_ROW], &env);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(!run.stdout.contains("left out"), "{run}");
    let rows = table(&run.stdout);
    assert_eq!(rows.len(), 2, "{run}");
    assert!(rows[0].contains("yours"), "{run}");
    assert_eq!(
        rows[1].matches('×').count(),
        3,
        "the reference's, yours and the other std sort's ratio:\n{run}"
    );
}

#[test]
fn bench_names_the_katas_that_have_benchmarks() {
    let repo = repo_with_benches("bench-none");
    fs::remove_dir_all(repo.path("benches/sort")).unwrap();
    let run = repo.xtask(&["bench", "sort"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr
            .contains("sort has no benchmarks (benches/sort/ does not exist)"),
        "{run}"
    );
}
