//! The maintainer's loop: `new` scaffolds a kata that `verify` finds wanting only its
//! mutants, and `verify` refuses a kata the runner cannot see, a shared order, a
//! misnamed package and a README that does not name a test group.

mod common;

use std::fs;

use common::{BuildLock, MiniRepo};

fn problems_line(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|line| line.starts_with("verify: ") && line.contains("problem"))
        .unwrap_or("(no problems line)")
}

/// The course this test's repository follows, fixed here so that katas landing in the
/// real repository never change what it expects: README.md's table with a few built
/// places (7, 8, 10, 17) and the root manifest planning two (9 and 19).
fn fixed_course(repo: &MiniRepo) {
    let readme = "# Katas\n\n## The katas, in course order\n\n| # | kata | topic | |\n|---|---|---|---|\n\
                  | 7 | `sort` | sorting | 排序 |\n| 8 | `search` | binary search | 查找 |\n\
                  | 10 | `file_io` | files and IO | 文件读写 |\n\
                  | 17 | `select_server` | a chat server on poll(2): IO multiplexing | IO 多路复用 |\n\n\
                  `cargo xtask list` shows them with your progress.\n";
    fs::write(repo.path("README.md"), readme).unwrap();
    let manifest = fs::read_to_string(repo.path("Cargo.toml")).unwrap();
    let start = manifest
        .find("planned = [")
        .expect("the root manifest plans places");
    let end = start
        + manifest[start..]
            .find("\n]")
            .expect("the planned list ends")
        + 2;
    let planned = "planned = [\n    \
                   { order = 9, kata = \"iter_gen\", topic = \"iterators\", chinese = \"迭代器与生成器\" },\n    \
                   { order = 19, kata = \"http_server\", topic = \"HTTP server\", chinese = \"HTTP\" },\n]";
    fs::write(
        repo.path("Cargo.toml"),
        format!("{}{planned}{}", &manifest[..start], &manifest[end..]),
    )
    .unwrap();
}

#[test]
fn a_new_kata_compiles_fails_and_wants_only_mutants() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("scaffold-new");
    fixed_course(&repo);

    let run = repo.xtask(&[
        "new",
        "hash_table",
        "--topic",
        "hash tables",
        "--chinese",
        "哈希表",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let readme = fs::read_to_string(repo.path("README.md")).unwrap();
    // Places need not be contiguous: a kata the course does not plan goes after every
    // place, built or planned (the course here plans up to 19).
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(
        rows.last(),
        Some(&"| 20 | `hash_table` | hash tables | 哈希表 |"),
        "the kata's row follows the last one\n{readme}"
    );
    let lock = fs::read_to_string(repo.path("Cargo.lock")).unwrap();
    assert!(
        lock.contains("name = \"hash_table-solution\""),
        "Cargo.lock knows the kata"
    );

    let run = repo.xtask(&["verify", "hash_table"]);
    assert_eq!(run.code, Some(1), "{run}");
    let out = &run.stdout;
    assert!(out.contains("fails ✓"), "the stub fails\n{run}");
    assert!(
        out.contains("add at least 5"),
        "the one problem: no mutants yet\n{run}"
    );
    assert_eq!(
        problems_line(out),
        "verify: 1 problem(s), listed above",
        "{run}"
    );

    // The same name again, and a taken order, are refused before anything is written.
    let run = repo.xtask(&["new", "hash_table", "--topic", "x", "--chinese", "x"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("exists already"), "{run}");
    let run = repo.xtask(&[
        "new",
        "heap",
        "--topic",
        "x",
        "--chinese",
        "x",
        "--order",
        "7",
    ]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("order 7 is taken by sort"), "{run}");
    // A place the course plans for another kata is refused too.
    let run = repo.xtask(&[
        "new",
        "heap",
        "--topic",
        "x",
        "--chinese",
        "x",
        "--order",
        "9",
    ]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr
            .contains("order 9 is the course's place for iter_gen"),
        "{run}"
    );
    assert!(!repo.path("exercises/heap").exists());

    // A planned kata takes its own place, and its row lands in course order, between
    // the rows of the places around it.
    let run = repo.xtask(&[
        "new",
        "iter_gen",
        "--topic",
        "iterators",
        "--chinese",
        "迭代器与生成器",
    ]);
    assert_eq!(run.code, Some(0), "{run}");
    let readme = fs::read_to_string(repo.path("README.md")).unwrap();
    assert!(
        readme.contains(
            "| 查找 |\n| 9 | `iter_gen` | iterators | 迭代器与生成器 |\n| 10 | `file_io`"
        ),
        "the row sits between places 8 and 10\n{readme}"
    );
    let list = repo.xtask(&["list"]).stdout;
    let rows: Vec<&str> = list.lines().filter(|l| l.contains("iter_gen")).collect();
    assert!(
        rows.len() == 1 && rows[0].contains("not checked yet"),
        "a built kata is listed once, as a kata, not as its planned place\n{list}"
    );
    assert!(
        list.contains("coming"),
        "the other planned places are\n{list}"
    );
}

#[test]
fn verify_refuses_what_the_runner_cannot_see() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("scaffold-layout");
    common::copy_file(
        &common::main_root().join("README.md"),
        &repo.path("README.md"),
    );
    let run = repo.xtask(&["new", "heap", "--topic", "heaps", "--chinese", "堆"]);
    assert_eq!(run.code, Some(0), "{run}");

    // A typo in the metadata table's name hides the kata from every command.
    let manifest = repo.path("exercises/heap/Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace("[package.metadata.kata]", "[package.metadata.katas]"),
    )
    .unwrap();
    // Another kata whose order is sort's and whose reference's package is misnamed.
    let run = repo.xtask(&["new", "trie", "--topic", "tries", "--chinese", "字典树"]);
    assert_eq!(run.code, Some(0), "{run}");
    let manifest = repo.path("exercises/trie/Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    // (A kata the course does not plan is placed after every place, whatever that is.)
    let shared: Vec<&str> = text
        .lines()
        .map(|l| {
            if l.starts_with("order = ") {
                "order = 7"
            } else {
                l
            }
        })
        .collect();
    fs::write(&manifest, shared.join("\n") + "\n").unwrap();
    let solution = repo.path("solutions/trie/Cargo.toml");
    let text = fs::read_to_string(&solution).unwrap();
    fs::write(
        &solution,
        text.replace("name = \"trie-solution\"", "name = \"trie-reference\""),
    )
    .unwrap();
    // Given code that has drifted apart between the two crates.
    fs::write(repo.path("exercises/sort/src/given.rs"), "// one\n").unwrap();
    fs::write(repo.path("solutions/sort/src/given.rs"), "// two\n").unwrap();
    // And a README that does not name one of sort's test groups.
    let readme = repo.path("exercises/sort/README.md");
    let text = fs::read_to_string(&readme).unwrap();
    fs::write(&readme, text.replace("`stability::", "`steadiness::")).unwrap();

    // A Chinese README with its last hint left out, and one with a heading of another
    // level.
    let chinese = repo.path("exercises/sort/README.zh.md");
    let text = fs::read_to_string(&chinese).unwrap();
    let hints_at = text.find("## 提示").unwrap();
    let lines: Vec<&str> = text[hints_at..].lines().collect();
    let last = lines
        .iter()
        .take_while(|l| !l.starts_with("## ") || l.starts_with("## 提示"))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .count();
    let last_line = lines
        .iter()
        .find(|l| l.starts_with(&format!("{last}. ")))
        .unwrap();
    fs::write(&chinese, text.replacen(&format!("{last_line}\n"), "", 1)).unwrap();
    let chinese = repo.path("exercises/trie/README.zh.md");
    let text = fs::read_to_string(&chinese).unwrap();
    fs::write(&chinese, text.replace("## 更进一步", "### 更进一步")).unwrap();
    let hints_missing = format!(
        "sort: exercises/sort/README.zh.md has {} hints under `## 提示`, README.md {last} under \
         `## Hints`; they must match in number, tags and order. Hint {last} is missing there",
        last - 1
    );

    let run = repo.xtask(&["verify", "sort"]);
    assert_eq!(run.code, Some(1), "{run}");
    for expected in [
        hints_missing.as_str(),
        "trie: exercises/trie/README.zh.md has 6 headings, README.md 6; they must match in \
         number, level and order. Heading 6 is `### 更进一步` there and `## Going further` \
         in README.md",
        "exercises/heap is not a kata: its Cargo.toml has no [package.metadata.kata] table",
        "solutions/heap has no kata in exercises/heap",
        "katas sort, trie share order = 7",
        "sort: src/given.rs is given code in both crates, but",
        "solutions/trie/Cargo.toml: the package must be named `trie-solution`",
        "does not name the test group(s) `stability`",
        "layout FAILED",
    ] {
        assert!(
            run.stdout.contains(expected),
            "verify says {expected:?}\n{run}"
        );
    }
}

#[test]
fn verify_says_at_once_when_exercises_holds_a_learners_work() {
    let _lock = BuildLock::acquire();
    let repo = MiniRepo::new("scaffold-learner-work");
    common::git(&repo.root, &["init", "--quiet"]);
    common::git(&repo.root, &["add", "--all"]);
    common::git(&repo.root, &["commit", "--quiet", "--message", "start"]);
    fs::copy(
        repo.path("solutions/sort/src/lib.rs"),
        repo.path("exercises/sort/src/lib.rs"),
    )
    .unwrap();

    let run = repo.xtask(&["verify", "sort"]);
    assert_eq!(run.code, Some(1), "a solved stub fails the gate\n{run}");
    let first = run.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with("exercises/ holds changes to the stubs (exercises/sort/src/lib.rs)")
            && first.contains("cargo xtask check <kata>"),
        "the first line says so, before any kata is graded\n{run}"
    );
}
