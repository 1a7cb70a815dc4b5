//! `cargo xtask bench <kata>`: criterion benchmarks of the reference against the
//! standard library, and of the learner's code too once the kata's check passes; then a
//! table of ratios read from criterion's results. `verify` runs every benchmark once.
//!
//! A kata's benchmarks are the crate `benches/<kata>` (package `<kata>-bench`, bench
//! target `<kata>`). It reaches the learner's crate only through its `learner` feature,
//! turned on here only when every test passes, so a learner's crate that does not
//! compile never breaks the benchmarks. Each benchmark is one cell of a row of the
//! table: criterion's group is the operation, its parameter the case, and its function
//! `reference`, `yours`, or std's counterpart (`benches/kit`).

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches};
use serde_json::Value;

use crate::engine::compile::{cargo, target_dir};
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::{Stop, finish_contained, spawn_contained, strip_ci_env};
use crate::engine::style::{LiveLine, Style, display_width, pad_to};
use crate::engine::suite::{self, Graded, Tier};

/// The environment variable the bench kit reads (benches/kit): `quick`, or unset for
/// criterion's own settings (`--full`).
const MODE_VAR: &str = "KATA_BENCH_MODE";
const REFERENCE: &str = "reference";
const YOURS: &str = "yours";

pub struct BenchArgs {
    pub kata: String,
    pub full: bool,
    pub filter: Option<String>,
}

pub fn command() -> clap::Command {
    clap::Command::new("bench")
        .about("Time a kata with criterion: the reference and std, and your code once it passes")
        .arg(
            Arg::new("kata")
                .value_name("KATA")
                .required(true)
                .help("The kata, e.g. `sort`"),
        )
        .arg(
            Arg::new("filter")
                .value_name("FILTER")
                .help("Only the benchmarks whose name contains this (a regular expression), e.g. `quick_sort`"),
        )
        .arg(
            Arg::new("full")
                .long("full")
                .action(ArgAction::SetTrue)
                .help("criterion's full statistical run (100 samples each: minutes, not seconds)"),
        )
}

impl BenchArgs {
    pub fn from_matches(m: &ArgMatches) -> BenchArgs {
        BenchArgs {
            kata: m
                .get_one::<String>("kata")
                .cloned()
                .expect("clap requires the kata"),
            full: m.get_flag("full"),
            filter: m.get_one::<String>("filter").cloned(),
        }
    }
}

/// The folder of a kata's benchmarks.
fn bench_dir(repo: &Repo, kata: &str) -> PathBuf {
    repo.root.join("benches").join(kata)
}

fn bench_package(kata: &str) -> String {
    format!("{kata}-bench")
}

/// The katas that have benchmarks, in course order.
fn benched<'a>(repo: &'a Repo, katas: &[&'a Kata]) -> Vec<&'a Kata> {
    katas
        .iter()
        .copied()
        .filter(|k| bench_dir(repo, &k.name).join("Cargo.toml").is_file())
        .collect()
}

pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    bench(repo, &BenchArgs::from_matches(m), style)
}

pub fn bench(repo: &Repo, args: &BenchArgs, style: Style) -> Result<bool> {
    let kata = repo.kata(&args.kata)?;
    let name = &kata.name;
    if !repo.has_solutions() {
        bail!(
            "this copy of the repository has no reference solutions (it is a student export), \
             and the benchmarks measure your code against the reference: there are none here"
        );
    }
    if !bench_dir(repo, name).join("Cargo.toml").is_file() {
        let all: Vec<&Kata> = repo.katas.iter().collect();
        let names: Vec<&str> = benched(repo, &all)
            .iter()
            .map(|k| k.name.as_str())
            .collect();
        bail!(
            "{name} has no benchmarks (benches/{name}/ does not exist). The katas with \
             benchmarks: {}",
            names.join(", ")
        );
    }

    // The learner's code is measured only once it passes: a crate that does not
    // compile or is still wrong is left out with one line, never a failed build.
    let status = LiveLine::new();
    status.show(&format!("{name}: checking your code first"));
    let graded = suite::grade(
        &repo.root,
        kata,
        &suite::exercise(kata),
        Tier::Ordinary,
        false,
        Stop::AtAnyFailure,
    )?;
    status.clear();
    let with_learner = graded.all_pass();
    let title = style.bold(&kata.title());
    if !with_learner {
        let why = match graded {
            Graded::DoesNotCompile { .. } => "it does not compile yet",
            Graded::Ran { .. } => "it does not pass every test yet",
        };
        println!(
            "{title}: your code is left out: {why} (`cargo xtask check {name}` says what is \
             wrong). It is measured too once every test passes."
        );
    }

    status.show(&format!("{name}: building the benchmarks (release)"));
    let exe = build(repo, kata, with_learner)?;
    status.clear();
    let Some(exe) = exe else {
        return Ok(false);
    };

    let mode = (!args.full).then_some("quick");
    // criterion's results, one folder a kata; under CRITERION_HOME when that is set
    // (criterion's own variable), else in the target folder.
    let home = std::env::var_os("CRITERION_HOME")
        .map_or_else(|| target_dir(&repo.root).join("criterion"), PathBuf::from)
        .join(name);
    let crate_dir = bench_dir(repo, name);
    let filter: Vec<&str> = args.filter.iter().map(String::as_str).collect();
    let total = list(&exe, &crate_dir, &filter)?;
    if total == 0 {
        println!("No benchmark of {name} matches {:?}.", filter.join(" "));
        return Ok(true);
    }
    println!(
        "{title}: {total} benchmarks, {}",
        match mode {
            Some(_) =>
                "a quick run of 10 samples each (`--full` for criterion's full statistical run)",
            None => "criterion's full statistical run (100 samples each: this takes minutes)",
        }
    );

    let started = Instant::now();
    let mut cmd = Command::new(&exe);
    cmd.args(["--bench", "--output-format", "bencher"])
        .args(&filter)
        .current_dir(&crate_dir)
        .env("CRITERION_HOME", &home)
        .env_remove(MODE_VAR)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(mode) = mode {
        cmd.env(MODE_VAR, mode);
    }
    // The benchmarks run the learner's code: contained like a test (a group of its own,
    // what it leaves swept, no CI variables), and waited for by its end, not by its
    // output's: a process it leaves behind may hold the pipes open.
    strip_ci_env(&mut cmd);
    let mut child =
        spawn_contained(&mut cmd, None).with_context(|| format!("running {}", exe.display()))?;
    // criterion's warnings (too few samples for the time given) go to stderr: kept
    // only to explain a failure.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let stdout = child.stdout.take().expect("stdout is piped");
    let progress_name = name.to_string();
    let lines = std::thread::spawn(move || {
        let status = LiveLine::new();
        let mut ran: Vec<String> = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // `test <id> ... bench: <time> ns/iter (+/- <spread>)`, one line a benchmark.
            if let Some((id, _)) = line
                .strip_prefix("test ")
                .and_then(|rest| rest.split_once(" ... bench:"))
            {
                ran.push(id.to_string());
                status.show(&format!(
                    "{progress_name}: {} of {total} benchmarks done ({id})",
                    ran.len()
                ));
            }
        }
        ran
    });
    let exit = finish_contained(&mut child).context("waiting for the benchmarks")?;
    let ran = lines.join().unwrap_or_default();
    status.clear();
    let errors = errors.join().unwrap_or_default();
    if !exit.success() {
        println!(
            "The benchmarks of {name} stopped ({exit}) after {} of {total}:\n{}",
            ran.len(),
            tail(&errors, 30)
        );
        return Ok(false);
    }

    let estimates = read_estimates(&home)?;
    let table = Table::from_runs(&ran, &estimates);
    let missing: Vec<&String> = ran
        .iter()
        .filter(|id| !estimates.contains_key(*id))
        .collect();
    if !missing.is_empty() {
        println!(
            "{} benchmark(s) left no results under {} (is a name longer than criterion's \
             100 characters?): {}",
            missing.len(),
            home.display(),
            missing
                .iter()
                .map(|id| id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!(
        "{} in {:.0} s. Median time per call; reference{} as a multiple of std's time \
         (lower is faster):\n",
        kata.title(),
        started.elapsed().as_secs_f64(),
        if with_learner { " and yours" } else { "" }
    );
    print!("{}", table.render(style));
    println!(
        "\ncriterion's own results: {}",
        home.strip_prefix(&repo.root).unwrap_or(&home).display()
    );
    Ok(true)
}

/// Builds the kata's bench target in release; `None` (after printing why) when it does
/// not build.
fn build(repo: &Repo, kata: &Kata, with_learner: bool) -> Result<Option<PathBuf>> {
    let package = bench_package(&kata.name);
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&repo.root)
        .args([
            "bench",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .args(["--package", &package, "--bench", &kata.name])
        .env("CARGO_TARGET_DIR", target_dir(&repo.root))
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    if with_learner {
        cmd.args(["--features", "learner"]);
    }
    // cargo's progress and errors: live on a terminal (a first build compiles
    // criterion, about a minute), else kept to explain a failure.
    let live = crate::engine::style::live_stderr();
    cmd.stderr(if live {
        Stdio::inherit()
    } else {
        Stdio::piped()
    });
    let output = cmd
        .output()
        .with_context(|| format!("running cargo to build {package}"))?;
    let exe = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == *kata.name)
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from));
    match exe {
        Some(exe) if output.status.success() => Ok(Some(exe)),
        _ => {
            println!(
                "The benchmarks of {} do not build (cargo bench -p {package}):\n{}",
                kata.name,
                String::from_utf8_lossy(&output.stderr)
            );
            Ok(None)
        }
    }
}

/// How many benchmarks a run with `filter` would measure (criterion's `--list`).
fn list(exe: &Path, crate_dir: &Path, filter: &[&str]) -> Result<usize> {
    let mut cmd = Command::new(exe);
    cmd.args(["--bench", "--list"])
        .args(filter)
        .current_dir(crate_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // The benchmark program is the learner's code too (what its setup calls).
    strip_ci_env(&mut cmd);
    let listing = || format!("listing the benchmarks of {}", exe.display());
    let mut child = spawn_contained(&mut cmd, None).with_context(listing)?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    finish_contained(&mut child).with_context(listing)?;
    Ok(reader
        .join()
        .unwrap_or_default()
        .lines()
        .filter(|line| line.ends_with(": benchmark"))
        .count())
}

/// One benchmark's identity and median time, from criterion's `new/benchmark.json` and
/// `new/estimates.json`.
struct Estimate {
    group: String,
    function: String,
    case: String,
    median_ns: f64,
}

/// Every benchmark criterion has results for under `home`, by full id.
fn read_estimates(home: &Path) -> Result<HashMap<String, Estimate>> {
    let mut found = HashMap::new();
    let mut stack = vec![home.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.ends_with("new/benchmark.json")
                && let Some((id, estimate)) = read_one(path.parent().expect("new/"))
            {
                found.insert(id, estimate);
            }
        }
    }
    Ok(found)
}

fn read_one(new: &Path) -> Option<(String, Estimate)> {
    let json = |file: &str| -> Option<Value> {
        serde_json::from_str(&fs::read_to_string(new.join(file)).ok()?).ok()
    };
    let id = json("benchmark.json")?;
    let estimates = json("estimates.json")?;
    let text = |key: &str| id[key].as_str().unwrap_or_default().to_string();
    Some((
        text("full_id"),
        Estimate {
            group: text("group_id"),
            function: text("function_id"),
            case: text("value_str"),
            median_ns: estimates["median"]["point_estimate"].as_f64()?,
        },
    ))
}

/// The ratio table: one row per operation and case, in the order they ran.
struct Table {
    rows: Vec<Row>,
    with_learner: bool,
}

struct Row {
    operation: String,
    case: String,
    /// std's counterpart: its name and median time.
    std: Option<(String, f64)>,
    /// Any other std function of the row (`slice::sort` beside `sort_unstable`).
    other_std: Vec<(String, f64)>,
    reference: Option<f64>,
    yours: Option<f64>,
}

impl Table {
    fn from_runs(ran: &[String], estimates: &HashMap<String, Estimate>) -> Table {
        let mut rows: Vec<Row> = Vec::new();
        for id in ran {
            let Some(e) = estimates.get(id) else {
                continue;
            };
            let index = match rows
                .iter()
                .position(|r| r.operation == e.group && r.case == e.case)
            {
                Some(index) => index,
                None => {
                    rows.push(Row {
                        operation: e.group.clone(),
                        case: e.case.clone(),
                        std: None,
                        other_std: Vec::new(),
                        reference: None,
                        yours: None,
                    });
                    rows.len() - 1
                }
            };
            let row = &mut rows[index];
            match e.function.as_str() {
                REFERENCE => row.reference = Some(e.median_ns),
                YOURS => row.yours = Some(e.median_ns),
                // The first std function of a row is its baseline.
                std if row.std.is_none() => row.std = Some((std.to_string(), e.median_ns)),
                std => row.other_std.push((std.to_string(), e.median_ns)),
            }
        }
        let with_learner = rows.iter().any(|r| r.yours.is_some());
        Table { rows, with_learner }
    }

    fn render(&self, style: Style) -> String {
        let width = |f: fn(&Row) -> usize, title: &str| {
            self.rows
                .iter()
                .map(f)
                .chain([display_width(title)])
                .max()
                .unwrap_or(0)
        };
        // Terminal columns, not characters: a benchmark's name may hold Chinese.
        let w_op = width(|r| display_width(&r.operation), "operation");
        let w_case = width(|r| display_width(&r.case), "case");
        let w_std = width(
            |r| r.std.as_ref().map_or(1, |(name, _)| display_width(name)),
            "std",
        );
        let with_others = self.rows.iter().any(|r| !r.other_std.is_empty());
        let mut header = format!(
            "{:<w_op$}  {:<w_case$}  {:<w_std$}  {:>9}  {:>9}",
            "operation", "case", "std", "time", "reference"
        );
        if self.with_learner {
            header.push_str(&format!("  {:>9}", "yours"));
        }
        if with_others {
            header.push_str("  other std");
        }
        let mut out = format!("{}\n", style.bold(header.trim_end()));
        for row in &self.rows {
            let (std_name, std_time) = match &row.std {
                Some((name, time)) => (name.as_str(), Some(*time)),
                None => ("-", None),
            };
            let ratio = |time: Option<f64>| match (time, std_time) {
                (Some(time), Some(base)) if base > 0.0 => format!("{:.2}×", time / base),
                (Some(time), _) => duration(time),
                (None, _) => "-".to_string(),
            };
            let mut line = format!(
                "{}  {}  {}  {:>9}  {:>9}",
                pad_to(&row.operation, w_op),
                pad_to(&row.case, w_case),
                pad_to(std_name, w_std),
                std_time.map_or("-".to_string(), duration),
                ratio(row.reference),
            );
            if self.with_learner {
                line.push_str(&format!("  {:>9}", ratio(row.yours)));
            }
            for (name, time) in &row.other_std {
                line.push_str(&format!("  {name} {}", ratio(Some(*time))));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Nanoseconds as a short human figure: `812 ns`, `33.3 µs`, `1.09 ms`, `2.31 s`.
fn duration(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let digits = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    format!("{value:.digits$} {unit}")
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// For `verify`: every benchmark of `katas` runs once (criterion's test mode), so a
/// benchmark that no longer builds or panics fails the gate; and every folder of
/// `benches/` (but the shared kit) belongs to a kata.
pub fn check_benches(repo: &Repo, katas: &[&Kata], problems: &mut Vec<String>) -> Result<bool> {
    let mut ok = true;
    if let Ok(entries) = fs::read_dir(repo.root.join("benches")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.path().is_dir() && name != "kit" && repo.kata(&name).is_err() {
                problems.push(format!(
                    "benches/{name} measures no kata: there is no exercises/{name}"
                ));
                ok = false;
            }
        }
    }
    let benched = benched(repo, katas);
    if benched.is_empty() {
        return Ok(ok);
    }
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&repo.root)
        .args(["bench", "--quiet", "--no-fail-fast"])
        .env("CARGO_TARGET_DIR", target_dir(&repo.root))
        .env_remove(MODE_VAR)
        .stdin(Stdio::null());
    for kata in &benched {
        cmd.args(["--package", &bench_package(&kata.name)]);
    }
    // Test mode: each benchmark runs once, nothing is measured or saved.
    let output = cmd
        .args(["--", "--test"])
        .output()
        .context("running cargo bench")?;
    if !output.status.success() {
        problems.push(format!(
            "the benchmarks (cargo bench -- --test) failed:\n{}{}",
            tail(&String::from_utf8_lossy(&output.stdout), 20),
            tail(&String::from_utf8_lossy(&output.stderr), 40)
        ));
        ok = false;
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_three_figures() {
        assert_eq!(duration(812.0), "812 ns");
        assert_eq!(duration(33_312.0), "33.3 µs");
        assert_eq!(duration(1_094_000.0), "1.09 ms");
        assert_eq!(duration(2_310_000_000.0), "2.31 s");
    }

    #[test]
    fn rows_group_std_reference_and_yours() {
        let estimate = |group: &str, function: &str, case: &str, ns: f64| Estimate {
            group: group.into(),
            function: function.into(),
            case: case.into(),
            median_ns: ns,
        };
        let mut estimates = HashMap::new();
        for (id, e) in [
            ("q/std/n 1", estimate("q", "std", "n 1", 10.0)),
            ("q/std2/n 1", estimate("q", "std2", "n 1", 12.0)),
            ("q/reference/n 1", estimate("q", "reference", "n 1", 15.0)),
            ("q/yours/n 1", estimate("q", "yours", "n 1", 40.0)),
            ("q/std/n 2", estimate("q", "std", "n 2", 2000.0)),
            ("q/reference/n 2", estimate("q", "reference", "n 2", 1000.0)),
        ] {
            estimates.insert(id.to_string(), e);
        }
        let ran: Vec<String> = [
            "q/std/n 1",
            "q/std2/n 1",
            "q/reference/n 1",
            "q/yours/n 1",
            "q/std/n 2",
            "q/reference/n 2",
        ]
        .map(String::from)
        .to_vec();
        let table = Table::from_runs(&ran, &estimates).render(Style { color: false });
        assert_eq!(
            table,
            "operation  case  std       time  reference      yours  other std\n\
             q          n 1   std    10.0 ns      1.50×      4.00×  std2 1.20×\n\
             q          n 2   std    2.00 µs      0.50×          -\n"
        );
    }
}
