//! The runner's map stays true: ARCHITECTURE.md names every file of `xtask/src` and
//! nothing that is not there, and the rooms stand in the order the map gives them.
//!
//! The import check reads each file with the same tokenizer the runner uses
//! (`proc-macro2`): every path that starts with `crate::`, `$crate::`, `super::` or
//! `self::` (in `use` lines, braces expanded, and in code) points at the file of the
//! longest module it names, and a module file (`main.rs`, `mod.rs`) points at each file
//! it declares with `mod`. Then a file may point only at its own floor or the floors
//! below it, and no chain of pointers may come back to where it started, between
//! folders or between the files of one folder. Plain paths (`pristine::prepare` in
//! `grade/mod.rs`) can only reach a module file's own children, which `mod` already
//! points at, so they need no reading.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The floors of `xtask/src`, lowest first; `main.rs` stands above them all.
const FLOORS: [&str; 4] = ["engine", "learner", "instructor", "maintainer"];
/// No file of the runner grows past this: a stage that does is split into a folder, one
/// file per part (DESIGN.md).
const MAX_LINES: usize = 800;
/// `main.rs` is the command line and nothing else.
const MAX_MAIN_LINES: usize = 250;

fn xtask_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/tests sits in xtask/")
        .to_path_buf()
}

fn src_dir() -> PathBuf {
    xtask_dir().join("src")
}

/// Every `.rs` file under `xtask/src`, as a `/`-separated path relative to it.
fn source_files() -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, files: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                walk(&path, &format!("{prefix}{name}/"), files);
            } else if name.ends_with(".rs") {
                files.push(format!("{prefix}{name}"));
            }
        }
    }
    let mut files = Vec::new();
    walk(&src_dir(), "", &mut files);
    files.sort();
    files
}

/// The module a file is: `engine/run/mod.rs` is `engine::run`, `main.rs` the crate.
fn module_of(file: &str) -> Vec<String> {
    let stem = file.strip_suffix(".rs").unwrap();
    let mut segments: Vec<String> = stem.split('/').map(String::from).collect();
    if matches!(segments.last().map(String::as_str), Some("mod" | "main")) {
        segments.pop();
    }
    segments
}

/// The backticked spans of a Markdown text.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn architecture_md_names_every_file_of_the_runner_and_only_real_paths() {
    let root = xtask_dir().parent().unwrap().to_path_buf();
    let map = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let section = map
        .split("\n## ")
        .find(|s| s.starts_with("The runner (`xtask/src`)"))
        .expect("ARCHITECTURE.md has a section \"The runner (`xtask/src`)\"");

    // The first cell of every table row in the runner's section names files by their
    // path from xtask/src.
    let named: BTreeSet<&str> = section
        .lines()
        .filter_map(|line| line.strip_prefix('|')?.split('|').next())
        .flat_map(code_spans)
        .collect();
    let missing: Vec<&&str> = named
        .iter()
        .filter(|path| !src_dir().join(path).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's runner section names paths that xtask/src does not hold: {missing:?}"
    );
    let unnamed: Vec<String> = source_files()
        .into_iter()
        .filter(|file| !named.contains(file.as_str()))
        .collect();
    assert!(
        unnamed.is_empty(),
        "files of xtask/src that ARCHITECTURE.md's runner section does not name (give each \
         its row, by its path from xtask/src): {unnamed:?}"
    );

    // Anywhere in the map, a span starting with `xtask/` is a path from the root.
    let stale: Vec<&str> = code_spans(&map)
        .into_iter()
        .filter(|s| s.starts_with("xtask/") && !s.contains(' '))
        .filter(|path| !root.join(path).exists())
        .collect();
    assert!(
        stale.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {stale:?}"
    );
}

/// The runner's integration tests are listed one by one (their package finds no tests by
/// itself, see its Cargo.toml): a file left out of the list would never run.
#[test]
fn every_test_file_of_the_runner_is_a_test_binary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table = fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let listed: BTreeSet<String> = manifest["test"]
        .as_array()
        .expect("[[test]] entries")
        .iter()
        .map(|test| test["path"].as_str().unwrap().to_string())
        .collect();
    let files: BTreeSet<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    assert_eq!(
        files, listed,
        "xtask/tests/Cargo.toml lists a [[test]] for each .rs file of xtask/tests"
    );
}

#[test]
fn every_file_sits_in_a_room_and_stays_small() {
    for file in source_files() {
        let lines = fs::read_to_string(src_dir().join(&file))
            .unwrap()
            .lines()
            .count();
        if file == "main.rs" {
            assert!(
                lines < MAX_MAIN_LINES,
                "main.rs has {lines} lines: it parses the command line and dispatches, \
                 every command lives in its room"
            );
            continue;
        }
        let room = file.split('/').next().unwrap();
        assert!(
            file.contains('/') && FLOORS.contains(&room),
            "{file} is not in a room: every file but main.rs sits in one of {FLOORS:?}"
        );
        assert!(
            lines <= MAX_LINES,
            "{file} has {lines} lines (at most {MAX_LINES}): make it a folder, one file per part"
        );
    }
}

#[test]
fn every_folder_says_whom_it_serves() {
    for file in source_files().iter().filter(|f| f.ends_with("/mod.rs")) {
        let text = fs::read_to_string(src_dir().join(file)).unwrap();
        assert!(
            text.starts_with("//!"),
            "{file} opens with a `//!` doc saying who the folder serves"
        );
    }
}

/// The paths a token stream names from `crate`, `super` or `self`, each resolved to
/// absolute module segments (the item's own name may trail), with the modules that
/// `mod name;` declares in it.
struct Paths {
    used: Vec<Vec<String>>,
    declared: Vec<Vec<String>>,
}

fn read_paths(tokens: TokenStream, module: &[String], paths: &mut Paths) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let ident = |i: usize| match tokens.get(i) {
        Some(TokenTree::Ident(id)) => Some(id.to_string()),
        _ => None,
    };
    let colons = |i: usize| {
        matches!((tokens.get(i), tokens.get(i + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
    };
    let mut i = 0;
    while i < tokens.len() {
        // `mod name;` declares a file; `mod name { .. }` is a module inside this one.
        if ident(i).as_deref() == Some("mod")
            && let Some(name) = ident(i + 1)
        {
            let mut child = module.to_vec();
            child.push(name);
            match tokens.get(i + 2) {
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                    read_paths(g.stream(), &child, paths);
                    i += 3;
                    continue;
                }
                _ => paths.declared.push(child),
            }
        }
        let after_colons = i >= 2 && colons(i - 2);
        let start = ident(i).filter(|s| matches!(s.as_str(), "crate" | "super" | "self"));
        if let Some(start) = start.filter(|_| !after_colons && colons(i + 1)) {
            let mut base: Vec<String> = match start.as_str() {
                "crate" => Vec::new(),
                _ => module.to_vec(),
            };
            if start == "super" {
                base.pop();
            }
            i = read_tree(&tokens, i + 3, base, paths);
            continue;
        }
        if let TokenTree::Group(g) = &tokens[i] {
            read_paths(g.stream(), module, paths);
        }
        i += 1;
    }
}

/// Reads a path's rest (`a::b::{c, d::e}`) from `tokens[i]`, adding each full path;
/// returns the index after it.
fn read_tree(
    tokens: &[TokenTree],
    mut i: usize,
    mut path: Vec<String>,
    paths: &mut Paths,
) -> usize {
    loop {
        match tokens.get(i) {
            Some(TokenTree::Ident(id)) => {
                let name = id.to_string();
                if name == "super" {
                    path.pop();
                } else if name != "self" {
                    path.push(name);
                }
                i += 1;
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                for item in inner.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                {
                    if !item.is_empty() {
                        read_tree(item, 0, path.clone(), paths);
                    }
                }
                return i + 1;
            }
            _ => break,
        }
        let more = matches!((tokens.get(i), tokens.get(i + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':');
        if !more {
            break;
        }
        i += 2;
    }
    paths.used.push(path);
    i
}

/// Each file of xtask/src with the files it points at.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let files = source_files();
    let by_module: BTreeMap<Vec<String>, String> =
        files.iter().map(|f| (module_of(f), f.clone())).collect();
    let file_of = |segments: &[String]| {
        (0..=segments.len())
            .rev()
            .find_map(|n| by_module.get(&segments[..n]))
            .cloned()
    };
    let mut graph = BTreeMap::new();
    for file in &files {
        let text = fs::read_to_string(src_dir().join(file)).unwrap();
        let tokens = TokenStream::from_str(&text)
            .unwrap_or_else(|e| panic!("{file} does not tokenize: {e:?}"));
        let mut paths = Paths {
            used: Vec::new(),
            declared: Vec::new(),
        };
        read_paths(tokens, &module_of(file), &mut paths);
        let targets: BTreeSet<String> = paths
            .used
            .iter()
            .chain(&paths.declared)
            .filter_map(|segments| file_of(segments))
            .filter(|target| target != file)
            .collect();
        graph.insert(file.clone(), targets);
    }
    graph
}

/// A file's floor: its room's place in [`FLOORS`]; `main.rs` above them all.
fn floor(file: &str) -> usize {
    let room = file.split('/').next().unwrap();
    FLOORS
        .iter()
        .position(|f| *f == room)
        .unwrap_or(FLOORS.len())
}

#[test]
fn rooms_use_only_their_own_floor_and_those_below() {
    let graph = imports();
    assert!(
        graph["main.rs"].contains("learner/check.rs")
            && graph["learner/hints.rs"].contains("learner/progress.rs"),
        "the reader finds `use crate::` paths: {graph:#?}"
    );
    let upward: Vec<String> = graph
        .iter()
        .flat_map(|(from, to)| to.iter().map(move |to| (from, to)))
        .filter(|(from, to)| floor(to) > floor(from))
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect();
    assert!(
        upward.is_empty(),
        "a room uses one above it (the floors, lowest first: {FLOORS:?}, then main.rs); move \
         what both need down to the lower room: {upward:#?}"
    );
}

#[test]
fn no_import_circle() {
    let graph = imports();
    // Depth-first, remembering the chain being walked: meeting a file on it is a circle.
    fn visit<'a>(
        file: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        chain: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(file) {
            return;
        }
        if let Some(at) = chain.iter().position(|f| *f == file) {
            panic!(
                "an import circle: {} -> {file} (move what they share into a file below both)",
                chain[at..].join(" -> ")
            );
        }
        chain.push(file);
        for next in &graph[file] {
            visit(next, graph, chain, done);
        }
        chain.pop();
        done.insert(file);
    }
    let mut done = BTreeSet::new();
    for file in graph.keys() {
        visit(file, &graph, &mut Vec::new(), &mut done);
    }
}
