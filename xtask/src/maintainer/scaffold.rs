//! `cargo xtask new <kata>`: a new kata with everything in place, compiling and failing
//! as a fresh stub should, ready for its real API, suite and mutants.
//!
//! The files come from `xtask/templates/kata/`, with `{{kata}}`, `{{order}}`,
//! `{{topic}}` and `{{chinese}}` filled in. Each crate's `src/lib.rs` is written before
//! its Cargo.toml: the workspace lists `exercises/*` and `solutions/*`, so a manifest
//! without its library would break every cargo command in the repository.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgMatches, value_parser};

use crate::engine::compile::cargo;
use crate::engine::repo::Repo;
use crate::engine::style::Style;

const EXERCISE_MANIFEST: &str = include_str!("../../templates/kata/exercise.Cargo.toml");
const SOLUTION_MANIFEST: &str = include_str!("../../templates/kata/solution.Cargo.toml");
const STUB: &str = include_str!("../../templates/kata/stub.rs");
const REFERENCE: &str = include_str!("../../templates/kata/reference.rs");
const SUITE: &str = include_str!("../../templates/kata/suite.rs");
const README: &str = include_str!("../../templates/kata/README.md");
const README_ZH: &str = include_str!("../../templates/kata/README.zh.md");

/// The root README's table of katas starts after this heading.
const KATA_TABLE_HEADING: &str = "## The katas, in course order";

/// What `new` is told.
pub struct NewKata {
    pub name: String,
    pub order: Option<u32>,
    pub topic: String,
    pub chinese: String,
}

/// The `new` subcommand and its options.
pub fn command() -> clap::Command {
    clap::Command::new("new")
        .about("Maintainers: scaffold a kata that compiles and fails, ready for its suite")
        .arg(
            Arg::new("kata")
                .value_name("KATA")
                .required(true)
                .help("The new kata's name, in snake_case"),
        )
        .arg(
            Arg::new("topic")
                .long("topic")
                .value_name("TEXT")
                .required(true)
                .help("A word or two, English (`hash tables`)"),
        )
        .arg(
            Arg::new("chinese")
                .long("chinese")
                .value_name("TEXT")
                .required(true)
                .help("The course's name for it (`哈希表`)"),
        )
        .arg(
            Arg::new("order")
                .long("order")
                .value_name("N")
                .value_parser(value_parser!(u32))
                .help("Its place in the course (default: the course's place for this name in Cargo.toml's [workspace.metadata.course], else after every place)"),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, _: Style) -> Result<bool> {
    let text = |id: &str| {
        m.get_one::<String>(id)
            .cloned()
            .expect("clap requires this argument")
    };
    let new = NewKata {
        name: text("kata"),
        order: m.get_one::<u32>("order").copied(),
        topic: text("topic"),
        chinese: text("chinese"),
    };
    new_kata(repo, &new)
}

/// Creates the kata, printing each file it writes.
pub fn new_kata(repo: &Repo, new: &NewKata) -> Result<bool> {
    let name = &new.name;
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        bail!("a kata's name is a Rust crate name in snake_case (`hash_table`), not `{name}`");
    }
    if !repo.has_solutions() {
        bail!("this copy has no solutions/ (a student export): add katas in the full repository");
    }
    for taken in [
        format!("exercises/{name}"),
        format!("solutions/{name}"),
        format!("tests/{name}.rs"),
    ] {
        if repo.root.join(&taken).exists() {
            bail!("{taken} exists already: `{name}` is taken");
        }
    }
    for field in [&new.topic, &new.chinese] {
        if field.trim().is_empty() || field.contains(['"', '\\', '\n']) {
            bail!("--topic and --chinese are short texts without quotes or line breaks");
        }
    }
    let order = match new.order {
        Some(order) => {
            if let Some(other) = repo.katas.iter().find(|k| k.order == order) {
                bail!(
                    "order {order} is taken by {}; every kata has its own place",
                    other.name
                );
            }
            if let Some(planned) = repo
                .planned
                .iter()
                .find(|p| p.order == order && p.name != *name)
            {
                bail!(
                    "order {order} is the course's place for {} (Cargo.toml's \
                     [workspace.metadata.course]); every kata has its own place",
                    planned.name
                );
            }
            order
        }
        // The course's own place for it, else after every place, built or planned.
        None => match repo.planned.iter().find(|p| p.name == *name) {
            Some(planned) => planned.order,
            None => {
                let orders = repo.katas.iter().map(|k| k.order);
                orders
                    .chain(repo.planned.iter().map(|p| p.order))
                    .max()
                    .unwrap_or(0)
                    + 1
            }
        },
    };
    let fill = |template: &str| {
        template
            .replace("{{kata}}", name)
            .replace("{{order}}", &order.to_string())
            .replace("{{topic}}", &new.topic)
            .replace("{{chinese}}", &new.chinese)
    };

    let files = [
        (format!("exercises/{name}/src/lib.rs"), fill(STUB)),
        (format!("exercises/{name}/README.md"), fill(README)),
        (format!("exercises/{name}/README.zh.md"), fill(README_ZH)),
        (
            format!("exercises/{name}/Cargo.toml"),
            fill(EXERCISE_MANIFEST),
        ),
        (format!("solutions/{name}/src/lib.rs"), fill(REFERENCE)),
        (
            format!("solutions/{name}/Cargo.toml"),
            fill(SOLUTION_MANIFEST),
        ),
        (format!("tests/{name}.rs"), fill(SUITE)),
    ];
    for (relative, text) in &files {
        write_new(&repo.root.join(relative), text)?;
        println!("  wrote {relative}");
    }
    let mutants = repo.root.join("tests").join("mutants").join(name);
    fs::create_dir_all(&mutants).with_context(|| format!("creating {}", mutants.display()))?;
    add_readme_row(&repo.root, name, order, &new.topic, &new.chinese)?;
    println!("  added {name} to the table in README.md");
    // Records the two new packages in Cargo.lock (no other version changes).
    let status = Command::new(cargo())
        .args(["metadata", "--format-version", "1"])
        .current_dir(&repo.root)
        .stdout(Stdio::null())
        .status()
        .context("running cargo metadata to update Cargo.lock")?;
    if !status.success() {
        bail!("cargo could not read the workspace with the new kata (see above)");
    }
    println!(
        "\n{name} is ready: a stub that compiles and fails, a reference that passes, one \
         placeholder function.\nNext: write the real API (CONTRIBUTING.md walks you through it), \
         then `cargo xtask verify {name}`."
    );
    Ok(true)
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Appends `| order | `kata` | topic | chinese |` to the root README's table of katas.
fn add_readme_row(root: &Path, name: &str, order: u32, topic: &str, chinese: &str) -> Result<()> {
    let path = root.join("README.md");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let Some(heading) = text.find(KATA_TABLE_HEADING) else {
        bail!("README.md has no `{KATA_TABLE_HEADING}` section to add the kata to");
    };
    let mut lines: Vec<&str> = text.lines().collect();
    let heading_line = text[..heading].lines().count();
    let Some(last_row) = (heading_line..lines.len())
        .skip_while(|&i| !lines[i].starts_with('|'))
        .take_while(|&i| lines[i].starts_with('|'))
        .last()
    else {
        bail!("README.md's `{KATA_TABLE_HEADING}` section has no table");
    };
    let row = format!("| {order} | `{name}` | {topic} | {chinese} |");
    // In course order: before the first row of a later place (places need not be
    // contiguous, so a kata may land between two others).
    let first_row = (heading_line..=last_row)
        .find(|&i| lines[i].starts_with('|'))
        .unwrap_or(last_row);
    let later = (first_row..=last_row).find(|&i| {
        let cell = lines[i]
            .trim_start_matches('|')
            .split('|')
            .next()
            .unwrap_or("");
        cell.trim().parse::<u32>().is_ok_and(|n| n > order)
    });
    lines.insert(later.unwrap_or(last_row + 1), &row);
    let mut updated = lines.join("\n");
    if text.ends_with('\n') {
        updated.push('\n');
    }
    fs::write(&path, updated).with_context(|| format!("writing {}", path.display()))
}
