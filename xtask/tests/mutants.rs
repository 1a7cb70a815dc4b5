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

/// Takes `bubble_sort` out of the tags of sort's hints, in both READMEs: the groups
/// `bubble_sort` and `bubble_sort::examples` are then named by no hint.
fn untag_bubble_sort(repo: &MiniRepo) {
    for readme in ["exercises/sort/README.md", "exercises/sort/README.zh.md"] {
        let path = repo.path(readme);
        let text = fs::read_to_string(&path).unwrap();
        let untagged = text.replacen("2. (`bubble_sort`, ", "2. (", 1).replacen(
            "(`stability`, `bubble_sort`, ",
            "(`stability`, ",
            1,
        );
        let tagged = untagged
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
            .filter(|l| l.contains("`bubble_sort`,") || l.contains("`bubble_sort`)"))
            .count();
        assert_eq!(
            tagged, 0,
            "no hint of {readme} is tagged `bubble_sort` any more"
        );
        fs::write(&path, untagged).unwrap();
    }
}

#[test]
fn verify_names_a_stale_a_broken_and_a_surviving_mutant_a_crashing_stub_and_an_unhinted_group() {
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
    untag_bubble_sort(&repo);

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
        // A group no hint names, in each README...
        "sort: no hint in exercises/sort/README.md is tagged with a module of the test \
         group(s) `bubble_sort`, `bubble_sort::examples`, so `hint` has nothing",
        "sort: no hint in exercises/sort/README.zh.md is tagged with a module of the test \
         group(s) `bubble_sort`, `bubble_sort::examples`",
        // ...and the replay of a mutant whose first failure a learner sees is there: the
        // hint they would get first, in each language, is not about it.
        "sort: mutant tests/mutants/sort/one_pass_bubble.patch: a learner with its mistake \
         sees `bubble_sort::examples::case_",
        "(group `bubble_sort::examples`), and `hint` gives them first \
         exercises/sort/README.md hint 1 (`selection_sort`), which is not about \
         `bubble_sort::examples`",
        "(group `bubble_sort::examples`), and `hint` gives them first \
         exercises/sort/README.zh.md hint 1 (`selection_sort`), which is not about \
         `bubble_sort::examples`",
        // What a check is, said just before the closing count, which stays alone on its
        // line in the form CI systems read.
        "checks counted: per kata its reference, its stub, each mutant, each wheat, its snapshots; then \
         layout, fmt, clippy",
    ] {
        assert!(out.contains(expected), "verify says {expected:?}\n{run}");
    }
    // The reference, 2 mutants, the snapshots, layout, fmt, clippy and benches pass, and
    // so does every wheat of sort's (the copy holds them all).
    let wheats = fs::read_dir(repo.path("tests/wheats/sort"))
        .unwrap()
        .count();
    let counted = format!("\nverify: {} passed, 10 failed\n", 8 + wheats);
    assert!(out.contains(&counted), "verify says {counted:?}\n{run}");
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
    // What a learner with each mistake sees first, and the hint they get for it.
    assert!(
        out.contains(
            "a learner sees stability::insertion_sort_is_stable fails first (group \
             `stability`); `hint` gives README.md hint 3 (`stability`, `bubble_sort`, \
             `insertion_sort`), README.zh.md hint 3 (`stability`, `bubble_sort`, \
             `insertion_sort`)"
        ),
        "{run}"
    );

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
