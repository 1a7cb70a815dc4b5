//! Mutants as patches: `verify` names a patch that no longer applies, a mutant that does
//! not compile and a mutant that survives; `mutants` maps each mistake to the tests
//! that reject it; `mutants --new` writes a patch from a broken copy.

mod common;

use std::fs;

use common::{BuildLock, MiniRepo};

const REFERENCE: &str = "solutions/sort/src/lib.rs";
/// A mutant of the real kata, kept by name so that new mutants never change this test.
const KNOWN_MUTANT: &str = "tests/mutants/sort/one_pass_bubble.patch";

/// A patch whose context is not in the reference (it was made against an older one).
const STALE: &str = "MUTANT: made against a reference that has changed since
--- a/solutions/sort/src/lib.rs
+++ b/solutions/sort/src/lib.rs
@@ -1,3 +1,3 @@
-a line the reference never had
+a line that replaced it
 and some context
 that is not there either
";

/// The reference with `old` replaced by `new`, as a patch with a header.
fn patch(repo: &MiniRepo, mistake: &str, old: &str, new: &str) -> String {
    let reference = fs::read_to_string(repo.path(REFERENCE)).unwrap();
    assert!(reference.contains(old), "the reference holds {old:?}");
    let broken = reference.replacen(old, new, 1);
    let diff = diffy::DiffOptions::new()
        .set_original_filename(format!("a/{REFERENCE}"))
        .set_modified_filename(format!("b/{REFERENCE}"))
        .create_patch(&reference, &broken);
    format!("MUTANT: {mistake}\n{diff}")
}

/// Leaves only `mutants` (file name, text) in the sort kata's mutant folder.
fn replace_mutants(repo: &MiniRepo, mutants: &[(&str, String)]) {
    let dir = repo.path("tests/mutants/sort");
    let known = fs::read_to_string(repo.path(KNOWN_MUTANT)).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("one_pass_bubble.patch"), known).unwrap();
    for (name, text) in mutants {
        fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn verify_names_a_stale_a_broken_and_a_surviving_mutant_and_a_crashing_stub() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("mutants-verify");
    let does_not_compile = patch(
        &repo,
        "a typo",
        "let mut unsorted = v.len();",
        "let mut unsorted = v.len()",
    );
    let survivor = patch(
        &repo,
        "changes a comment only, so no test can tell",
        "// After each pass",
        "// After every pass",
    );
    let headless = patch(
        &repo,
        "x",
        "if compare(&v[i - 1], &v[i]) == Ordering::Greater {",
        "if compare(&v[i - 1], &v[i]) != Ordering::Less {",
    )
    .replacen("MUTANT: x\n", "", 1);
    replace_mutants(
        &repo,
        &[
            ("stale.patch", STALE.to_string()),
            ("typo.patch", does_not_compile),
            ("comment_only.patch", survivor),
            ("swap_order.patch", headless),
            ("left_over_copy.rs", "// a full copy, the old way\n".into()),
        ],
    );

    // A stub that crashes by itself (here: endless recursion before its todo!()).
    let stub_path = repo.path("exercises/sort/src/lib.rs");
    let stub = fs::read_to_string(&stub_path).unwrap();
    let todo = "    let _ = &mut compare;\n    todo!(\"bubble sort";
    assert!(
        stub.contains(todo),
        "the stub's bubble_sort_by is as expected"
    );
    let crashing = stub.replacen(
        todo,
        "    fn deep(n: u64) -> u64 {\n        if n == u64::MAX { n } else { deep(n + 1) + 1 }\n    }\n    \
         let _ = (&mut compare, deep(0));\n    todo!(\"bubble sort",
        1,
    );
    fs::write(&stub_path, crashing).unwrap();

    let run = repo.xtask(&["verify", "sort"]);
    assert_eq!(run.code, Some(1), "{run}");
    let out = &run.stdout;
    for expected in [
        "sort: the stub crashes on its own in",
        "a stub's tests must fail at its todo!()s",
        "mutant tests/mutants/sort/stale.patch does not apply: it no longer applies to the \
         reference",
        "re-make it against the current reference",
        "mutant tests/mutants/sort/typo.patch does not compile",
        "mutant tests/mutants/sort/comment_only.patch SURVIVED",
        "Its mistake: changes a comment only, so no test can tell",
        "mutant tests/mutants/sort/swap_order.patch does not name its mistake",
        "tests/mutants/sort/left_over_copy.rs is not a mutant",
        "2/5 rejected",
        // What a check is, said just before the closing count, which stays alone on its
        // line in the form CI systems read.
        "checks counted: per kata its reference, its stub, each mutant, its snapshots; then \
         layout, fmt, clippy",
        "\nverify: 8 passed, 6 failed\n",
    ] {
        assert!(out.contains(expected), "verify says {expected:?}\n{run}");
    }
    // Scratch copies only: the reference is untouched.
    let reference = fs::read_to_string(repo.path(REFERENCE)).unwrap();
    assert!(reference.contains("let mut unsorted = v.len();"));
}

#[test]
fn mutants_maps_mistakes_to_tests_and_new_writes_a_patch() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("mutants-map");
    replace_mutants(&repo, &[]);

    // A maintainer breaks a copy of the reference and asks for the patch.
    let reference = fs::read_to_string(repo.path(REFERENCE)).unwrap();
    let broken = repo.temp.path.join("broken.rs");
    fs::write(
        &broken,
        reference.replacen(
            "while i > 0 && compare(&v[i - 1], &v[i]) == Ordering::Greater",
            "while i > 0 && compare(&v[i - 1], &v[i]) != Ordering::Less",
            1,
        ),
    )
    .unwrap();
    let broken_arg = broken.display().to_string();
    let run = repo.xtask(&[
        "mutants",
        "sort",
        "--new",
        "unstable_insertion_again",
        "--from",
        &broken_arg,
        "--mistake",
        "insertion sort that walks past equal elements",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run.stdout.contains("rejected by"), "{run}");
    let written =
        fs::read_to_string(repo.path("tests/mutants/sort/unstable_insertion_again.patch")).unwrap();
    assert!(
        written.starts_with(
            "MUTANT: insertion sort that walks past equal elements\n\
             --- a/solutions/sort/src/lib.rs\n+++ b/solutions/sort/src/lib.rs\n@@ "
        ),
        "{written}"
    );
    assert!(
        written.contains("-        while i > 0 && compare(&v[i - 1], &v[i]) == Ordering::Greater"),
        "{written}"
    );

    // The map: each mutant, its mistake, every test that rejects it; a lone guard marked.
    let run = repo.xtask(&["mutants", "sort"]);
    assert_eq!(run.code, Some(0), "{run}");
    let out = &run.stdout;
    assert!(out.contains("one_pass_bubble.patch\n  mistake: "), "{run}");
    assert!(out.contains("unstable_insertion_again.patch"), "{run}");
    assert!(out.contains("stability::insertion_sort_is_stable"), "{run}");
    assert!(out.contains("2 mutant(s);"), "{run}");

    // A name that is not a mistake's snake_case name is refused before anything is written.
    let run = repo.xtask(&[
        "mutants",
        "sort",
        "--new",
        "Bad Name",
        "--from",
        &broken_arg,
        "--mistake",
        "x",
    ]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("snake_case"), "{run}");
}
