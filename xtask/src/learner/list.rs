//! `cargo xtask list`: every kata in course order, with its status from the last check
//! and the next kata to work on. The places of the course whose katas are not built yet
//! show among them, dim, as coming, so the numbers' gaps explain themselves.

use anyhow::Result;
use clap::{ArgMatches, Command};

use crate::engine::lang::t;
use crate::engine::repo::{Kata, Repo};
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

/// One row of the course: a kata, or a place whose kata is not built yet (`None`).
struct Row<'a> {
    order: u32,
    name: &'a str,
    topic: String,
    kata: Option<&'a Kata>,
}

pub(crate) fn list(repo: &Repo, style: Style) {
    let progress = Progress::load(&repo.root);
    let mut rows: Vec<Row> = repo
        .katas
        .iter()
        .map(|k| Row {
            order: k.order,
            name: &k.name,
            topic: format!("{} {}", k.topic, k.chinese),
            kata: Some(k),
        })
        .chain(repo.planned.iter().map(|p| Row {
            order: p.order,
            name: &p.name,
            topic: format!("{} {}", p.topic, p.chinese),
            kata: None,
        }))
        .collect();
    // Stable: katas sharing a place (which verify refuses) keep their name order.
    rows.sort_by_key(|row| row.order);
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
        rows.iter().map(|r| display_width(&r.topic)).collect(),
    );
    let name_width = column(
        &kata_heading,
        rows.iter().map(|r| display_width(r.name)).collect(),
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
    for row in &rows {
        let line = format!(
            "{:<4}{}{}",
            row.order,
            pad_to(row.name, name_width),
            pad_to(&row.topic, topic_width)
        );
        let Some(kata) = row.kata else {
            // A place of the course not built yet: dim, so the katas stand out.
            println!("{}", style.dim(&format!("{line}{}", t!("list-coming"))));
            continue;
        };
        let status = match progress.katas.get(&kata.name) {
            None => style.dim(&t!("list-not-checked")),
            Some(p) if p.compile_error => style.red(&t!("list-does-not-compile")),
            Some(p) if p.total == 0 => style.dim(&t!("list-not-checked-since-reset")),
            Some(p) if p.done() => {
                style.green(&t!("list-done", passed = p.passed, total = p.total))
            }
            Some(p) => style.yellow(&t!("list-passing", passed = p.passed, total = p.total)),
        };
        println!("{line}{status}");
    }
    match next_unfinished(repo, &progress, None) {
        Some(next) => println!("\n{}", t!("list-next", kata = next.name)),
        None => println!("\n{}", t!("list-all-pass")),
    }
}
