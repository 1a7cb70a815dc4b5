//! `cargo xtask list`: every kata in course order, with its status from the last check
//! and the next kata to work on.

use anyhow::Result;
use clap::{ArgMatches, Command};

use crate::engine::lang::t;
use crate::engine::repo::Repo;
use crate::engine::style::{Style, display_width, pad_to};
use crate::learner::check::next_unfinished;
use crate::learner::progress::Progress;

/// The `list` subcommand.
pub fn command() -> Command {
    Command::new("list").about("Every kata in course order, with its status from the last check")
}

pub fn run(repo: &Repo, _: &ArgMatches, style: Style) -> Result<bool> {
    list(repo, style);
    Ok(true)
}

pub(crate) fn list(repo: &Repo, style: Style) {
    let progress = Progress::load(&repo.root);
    let topics: Vec<String> = repo
        .katas
        .iter()
        .map(|k| format!("{} {}", k.topic, k.chinese))
        .collect();
    let (kata_heading, topic_heading) = (t!("list-kata"), t!("list-topic"));
    // At least two spaces between columns, however long a name or a topic.
    let column = |heading: &str, cells: Vec<usize>| {
        cells
            .into_iter()
            .max()
            .unwrap_or(0)
            .max(display_width(heading))
            + 2
    };
    let topic_width = column(
        &topic_heading,
        topics.iter().map(|t| display_width(t)).collect(),
    );
    let name_width = column(
        &kata_heading,
        repo.katas.iter().map(|k| display_width(&k.name)).collect(),
    );
    println!(
        "{}",
        style.bold(&format!(
            "{:<4}{}{}{}",
            "#",
            pad_to(&kata_heading, name_width),
            pad_to(&topic_heading, topic_width),
            t!("list-status")
        ))
    );
    for (kata, topic) in repo.katas.iter().zip(&topics) {
        let status = match progress.katas.get(&kata.name) {
            None => style.dim(&t!("list-not-checked")),
            Some(p) if p.compile_error => style.red(&t!("list-does-not-compile")),
            Some(p) if p.total == 0 => style.dim(&t!("list-not-checked-since-reset")),
            Some(p) if p.done() => {
                style.green(&t!("list-done", passed = p.passed, total = p.total))
            }
            Some(p) => style.yellow(&t!("list-passing", passed = p.passed, total = p.total)),
        };
        println!(
            "{:<4}{}{}{status}",
            kata.order,
            pad_to(&kata.name, name_width),
            pad_to(topic, topic_width)
        );
    }
    match next_unfinished(repo, &progress, None) {
        Some(next) => println!("\n{}", t!("list-next", kata = next.name)),
        None => println!("\n{}", t!("list-all-pass")),
    }
}
