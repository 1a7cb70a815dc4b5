//! Mutants: known-wrong versions of a kata's reference, each kept as a small patch.
//!
//! `tests/mutants/<kata>/<mistake>.patch` is a unified diff against a file of
//! `solutions/<kata>/src/` (almost always `lib.rs`), after one header line
//! `MUTANT: <the one mistake>`, and for a mistake only a kata's model tier catches
//! reliably (a lost wakeup that real threads hit once in a thousand runs) a second one,
//! `TIER: model`: such a mutant is judged by the model tier alone. A patch shows the few lines a learner would get wrong,
//! and it stops applying (loudly) when the reference changes under it, where a full
//! copy would silently drift.
//!
//! A mutant is built in a scratch crate: the reference's `src/` copied under
//! `target/xtask/scratch/`, the patch applied there, and the kata's suite compiled
//! against it. Nothing in `exercises/` or `solutions/` is ever written.
//!
//! This file also holds `cargo xtask mutants <kata>`: the map of mistakes to the tests
//! that catch them, and `--new`, which writes a patch from a broken copy.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgMatches, Command, value_parser};

use crate::engine::compile::Subject;
use crate::engine::patches::{self, Patch};
use crate::engine::repo::{Kata, Repo};
use crate::engine::run::{Outcome, Stop, TestRun};
use crate::engine::scratch;
use crate::engine::style::{LiveLine, Style};
use crate::engine::suite::{self, Graded, Tier};
use crate::learner::hints;
use crate::learner::order::Order;
use crate::learner::progress::Focus;
use crate::learner::report;

const NO_MUTANTS: &str = "this copy of the repository has no reference solutions \
     (it is a student export), so it has no mutants either";

/// The header line every mutant starts with.
pub const HEADER: &str = patches::MUTANT;
/// The extension of a mutant's file.
pub const EXTENSION: &str = patches::EXTENSION;
/// Lines of unchanged code around each change in a patch made by `--new`.
const CONTEXT_LINES: usize = 3;
/// Every kata keeps at least this many mutants.
pub const MINIMUM: usize = 5;
/// A kata with learner tests keeps at least this many wheats.
pub const MINIMUM_WHEATS: usize = 3;

/// The scratch workspace mutants (and wheats) are built in.
const LABEL: &str = "mutant";

/// One mutant of a kata (or a wheat: the same patch, another header).
pub type Mutant = Patch;

/// What a patch's header says, for a report: the mistake (the route, for a wheat), or
/// that the header is missing.
pub fn said_text(patch: &Patch, header: &str) -> String {
    patch
        .said
        .clone()
        .unwrap_or_else(|| format!("(no `{header}` line at the top)"))
}

/// The kata's mutants, sorted by file name, and any file in the folder that is not a
/// mutant (a leftover `.rs` copy, a misnamed patch) so the gate can name it.
pub fn find(kata: &Kata) -> Result<(Vec<Mutant>, Vec<PathBuf>)> {
    patches::find(&kata.mutants_dir(), HEADER)
}

/// The kata's wheats (correct implementations taking another route), and any file in
/// their folder that is not one.
pub fn find_wheats(kata: &Kata) -> Result<(Vec<Patch>, Vec<PathBuf>)> {
    patches::find(&kata.wheats_dir(), patches::WHEAT)
}

/// A mutant made ready to build, or why it cannot be.
pub enum Prepared {
    Ready(Subject),
    /// The patch is not a diff, names a file outside the reference's `src/`, or no
    /// longer applies to the reference.
    DoesNotApply(String),
}

/// Lays out the scratch crate for `mutant`: the reference's sources with the patch
/// applied.
pub fn prepare(repo: &Repo, kata: &Kata, mutant: &Mutant) -> Result<Prepared> {
    Ok(match patches::apply(kata, mutant)? {
        Ok(sources) => Prepared::Ready(scratch::subject_from_sources(
            kata,
            LABEL,
            &sources,
            &repo.root.join("tests"),
        )?),
        Err(why) => Prepared::DoesNotApply(why),
    })
}

/// How the suite judged one mutant.
pub enum Verdict {
    /// At least one test the reference passes failed: those tests (when not asked for
    /// every test, those found up to the first failure a learner's report would show),
    /// and what a learner whose code is this mutant would be told to work on first.
    Rejected {
        failing: Vec<String>,
        focus: Option<Focus>,
    },
    /// Every test the reference passes passed.
    Survived,
    DoesNotApply(String),
    DoesNotCompile(Vec<String>),
    /// The reference fails in the mutant's tier (or there is no such tier): why.
    NotJudged(String),
}

/// The tests the reference passes in each tier, or why it cannot judge mutants there.
pub struct ReferencePasses {
    pub ordinary: Result<BTreeSet<String>, String>,
    /// `None` when the kata has no model tier or no mutant needs it.
    pub model: Option<Result<BTreeSet<String>, String>>,
}

impl ReferencePasses {
    /// The set a mutant of `tier` is judged against.
    pub fn of(&self, tier: Tier) -> Result<&BTreeSet<String>, String> {
        match tier {
            Tier::Ordinary => self.ordinary.as_ref().map_err(String::clone),
            Tier::Model => match &self.model {
                Some(passes) => passes
                    .as_ref()
                    .map_err(|why| format!("in its model tier, {why}")),
                None => Err("the kata has no model tier (no `model` in its metadata)".into()),
            },
        }
    }
}

/// Builds and runs `mutant` against the suite, in the mutant's tier (the model tier
/// for `TIER: model`: the same scratch crate, built with the tier's feature). A test
/// counts against the mutant only if the reference passes it in that tier (`passes`),
/// so a reference that fails a test never makes a mutant look rejected. Without
/// `every_test`, the run stops once the first failure the learner's report would
/// show is known.
pub fn judge(
    repo: &Repo,
    kata: &Kata,
    mutant: &Mutant,
    passes: &ReferencePasses,
    every_test: bool,
) -> Result<Verdict> {
    let tier = match &mutant.tier {
        Ok(tier) => *tier,
        Err(why) => return Ok(Verdict::DoesNotApply(why.clone())),
    };
    let reference_passes = match passes.of(tier) {
        Ok(set) => set,
        Err(why) => return Ok(Verdict::NotJudged(why)),
    };
    let subject = match prepare(repo, kata, mutant)? {
        Prepared::Ready(subject) => subject,
        Prepared::DoesNotApply(why) => return Ok(Verdict::DoesNotApply(why)),
    };
    // The mutant stands in the learner's place: the report's order is its own.
    let src_dir = scratch::sources_dir(kata, LABEL);
    let order = Order::new(kata, &src_dir);
    let key = |test: &str| order.key(test);
    let stop = if every_test {
        Stop::Never
    } else {
        Stop::AtFirstFailureBy(&key)
    };
    let graded = suite::grade(&repo.root, kata, &subject, tier, false, stop)?;
    Ok(match graded {
        Graded::DoesNotCompile { diagnostics } => Verdict::DoesNotCompile(diagnostics),
        Graded::Ran { runs, .. } => {
            let counted: Vec<TestRun> = runs
                .into_iter()
                .filter(|r| reference_passes.contains(&r.name))
                .collect();
            let failing: Vec<String> = counted
                .iter()
                .filter(|r| r.outcome != Outcome::Pass)
                .map(|r| r.name.clone())
                .collect();
            if failing.is_empty() {
                Verdict::Survived
            } else {
                let focus = report::focus(kata, &src_dir, &counted);
                Verdict::Rejected { failing, focus }
            }
        }
    })
}

/// For `verify`: every wheat (a correct implementation taking another route, `tests/wheats/<kata>/`)
/// must pass every test the reference passes: a suite that rejects one is over-strict,
/// and the suite is what to fix. Wheats are built in the mutants' scratch crate and run
/// the way mutants are, stopping at their first failure. Returns how many were
/// accepted, of how many.
pub fn judge_wheats(
    repo: &Repo,
    kata: &Kata,
    passes: &ReferencePasses,
    problems: &mut Vec<String>,
) -> Result<(usize, usize)> {
    let name = &kata.name;
    let (wheats, strays) = find_wheats(kata)?;
    for stray in &strays {
        problems.push(format!(
            "{name}: {} is not a wheat: a wheat is a `.{}` file",
            stray.strip_prefix(&repo.root).unwrap_or(stray).display(),
            EXTENSION
        ));
    }
    if kata.learner_tests.is_some() && wheats.len() < MINIMUM_WHEATS {
        // Learners' tests are judged valid by the wheats: with too few, a test that
        // demands the reference's own route passes for valid.
        problems.push(format!(
            "{name}: {} wheat(s) in tests/wheats/{name}/; a kata with learner tests keeps at \
             least {MINIMUM_WHEATS} (CONTRIBUTING.md, \"Wheats\")",
            wheats.len()
        ));
    }
    let status = LiveLine::new();
    let mut accepted = 0;
    for (i, wheat) in wheats.iter().enumerate() {
        status.show(&format!("{name}: wheat {} of {}", i + 1, wheats.len()));
        let file = wheat
            .path
            .strip_prefix(&repo.root)
            .unwrap_or(&wheat.path)
            .display();
        if wheat.said.is_none() {
            problems.push(format!(
                "{name}: wheat {file} does not say which route it takes: its first line must \
                 be `{} <the route taken>`",
                patches::WHEAT
            ));
        }
        match judge(repo, kata, wheat, passes, false)? {
            Verdict::Survived => accepted += 1,
            Verdict::Rejected { failing, .. } => problems.push(format!(
                "{name}: wheat {file} REJECTED by {}: the suite rejects a correct \
                 implementation.\n  Its route: {}\n  Loosen tests/{name}.rs (an over-strict \
                 test is as wrong as a weak one), not the wheat.",
                failing.join(", "),
                said_text(wheat, patches::WHEAT)
            )),
            Verdict::NotJudged(why) => {
                problems.push(format!("{name}: wheat {file} was not judged: {why}"))
            }
            Verdict::DoesNotApply(why) => {
                problems.push(format!("{name}: wheat {file} does not apply: {why}"))
            }
            Verdict::DoesNotCompile(diagnostics) => problems.push(format!(
                "{name}: wheat {file} does not compile:\n{}",
                diagnostics.join("\n")
            )),
        }
    }
    status.clear();
    Ok((accepted, wheats.len()))
}

/// The hint `hint` would show first to a learner with no hint seen yet, for `focus`,
/// from each README: (the README's name, the hint's number from 1, its tags, and
/// whether it helps with the focus). `verify` requires every one to help.
pub fn first_hints(kata: &Kata, focus: &Focus) -> Result<Vec<FirstHint>> {
    let mut found = Vec::new();
    for (path, heading) in [
        (kata.readme_path(), hints::HEADING),
        (kata.readme_zh_path(), hints::HEADING_ZH),
    ] {
        if !path.is_file() {
            continue;
        }
        let readme = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let list = hints::read_file(&path, heading)?;
        let first = hints::next(&list, &[], Some(focus)).map(|i| (i + 1, list[i].tags.clone()));
        let helps = first
            .as_ref()
            .is_some_and(|(number, _)| list[number - 1].helps(focus));
        found.push(FirstHint {
            readme,
            first,
            helps,
        });
    }
    Ok(found)
}

/// See [`first_hints`].
pub struct FirstHint {
    /// `README.md` or `README.zh.md`.
    pub readme: String,
    /// The hint's number (from 1) and its tags; none when the README has no hints.
    pub first: Option<(usize, Vec<String>)>,
    pub helps: bool,
}

impl FirstHint {
    /// `hint 3 (`parse`, `requests`)`, or `no hint`.
    pub fn describe(&self) -> String {
        match &self.first {
            None => "no hint".to_string(),
            Some((number, tags)) if tags.is_empty() => format!("hint {number} (untagged)"),
            Some((number, tags)) => format!(
                "hint {number} ({})",
                tags.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The tests the reference passes, or why the mutants cannot be judged.
pub fn reference_passes(graded: &Graded) -> Result<BTreeSet<String>, String> {
    match graded {
        Graded::DoesNotCompile { .. } => Err("the reference does not compile".into()),
        Graded::Ran { runs, total, .. } => {
            let passing: BTreeSet<String> = runs
                .iter()
                .filter(|r| r.outcome == Outcome::Pass)
                .map(|r| r.name.clone())
                .collect();
            if passing.len() == *total && *total > 0 {
                Ok(passing)
            } else {
                Err(format!(
                    "the reference passes {} of {total} tests",
                    passing.len()
                ))
            }
        }
    }
}

/// Grades the reference in each tier `mutants` need: the ordinary one always, the
/// model tier when the kata has one and a mutant names it.
pub fn grade_reference(repo: &Repo, kata: &Kata, mutants: &[Mutant]) -> Result<ReferencePasses> {
    let solution = suite::solution(kata);
    let ordinary = suite::grade(
        &repo.root,
        kata,
        &solution,
        Tier::Ordinary,
        false,
        Stop::Never,
    )?;
    let needs_model = mutants.iter().any(|m| m.tier == Ok(Tier::Model));
    let model = if kata.model.is_some() && needs_model {
        let graded = suite::grade(&repo.root, kata, &solution, Tier::Model, false, Stop::Never)?;
        Some(reference_passes(&graded))
    } else {
        None
    };
    Ok(ReferencePasses {
        ordinary: reference_passes(&ordinary),
        model,
    })
}

/// `cargo xtask mutants <kata>`: every mutant, its mistake and the tests that reject
/// it. Returns false when a mutant survives or cannot be judged.
pub fn map(repo: &Repo, kata: &Kata, style: Style) -> Result<bool> {
    let (mutants, strays) = find(kata)?;
    let passes = grade_reference(repo, kata, &mutants)?;
    let ordinary = match &passes.ordinary {
        Ok(ordinary) => ordinary.len(),
        Err(why) => bail!(
            "{why}, so its mutants cannot be judged: run `cargo xtask check {} --solution`",
            kata.name
        ),
    };
    let model = match &passes.model {
        Some(Ok(model)) => format!(" (and all {} of its model tier)", model.len()),
        _ => String::new(),
    };
    println!(
        "{}: {} mutant(s) in tests/mutants/{}/; the reference passes all {ordinary} tests{model}\n",
        style.bold(&kata.name),
        mutants.len(),
        kata.name,
    );
    let mut all_good = strays.is_empty();
    let mut lone_guards = 0;
    let status = LiveLine::new();
    for (i, mutant) in mutants.iter().enumerate() {
        status.show(&format!("mutant {} of {}", i + 1, mutants.len()));
        let verdict = judge(repo, kata, mutant, &passes, true)?;
        status.clear();
        println!("{}", style.bold(&mutant.file_name));
        println!("  mistake: {}", said_text(mutant, HEADER));
        if mutant.tier == Ok(Tier::Model) {
            println!("  tier: model (judged only by the model tier, `check --model`)");
        }
        match verdict {
            Verdict::Rejected { failing, focus } => {
                if let [only] = failing.as_slice() {
                    lone_guards += 1;
                    println!(
                        "  {} {only}  {}",
                        style.yellow("rejected by 1 test only:"),
                        style.yellow("(its only guard)")
                    );
                } else {
                    println!(
                        "  {}",
                        style.green(&format!("rejected by {} tests:", failing.len()))
                    );
                    for line in group_by_module(&failing) {
                        println!("    {line}");
                    }
                }
                if let Some(focus) = focus {
                    let (line, helps) = learner_sees(kata, &focus)?;
                    all_good &= helps;
                    if helps {
                        println!("  {line}");
                    } else {
                        println!("  {}", style.red(&line));
                    }
                }
            }
            Verdict::Survived => {
                all_good = false;
                println!("  {}", style.red("SURVIVED: every test passed"));
            }
            Verdict::DoesNotApply(why) => {
                all_good = false;
                println!("  {}", style.red(&format!("does not apply: {why}")));
            }
            Verdict::DoesNotCompile(diagnostics) => {
                all_good = false;
                println!("  {}", style.red("does not compile:"));
                println!("{}", diagnostics.join("\n"));
            }
            Verdict::NotJudged(why) => {
                all_good = false;
                println!("  {}", style.red(&format!("not judged: {why}")));
            }
        }
    }
    for stray in &strays {
        println!(
            "{} is not a mutant: mutants are `.{EXTENSION}` files",
            stray.display()
        );
    }
    println!(
        "\n{} mutant(s); {lone_guards} caught by a single test",
        mutants.len()
    );
    Ok(all_good)
}

/// What a learner whose code is a mutant sees first and the hint `hint` gives them
/// first, in one line, and whether that hint helps there in every README.
fn learner_sees(kata: &Kata, focus: &Focus) -> Result<(String, bool)> {
    let first = first_hints(kata, focus)?;
    let hints: Vec<String> = first
        .iter()
        .map(|h| format!("{} {}", h.readme, h.describe()))
        .collect();
    let seen = match focus {
        Focus::Test { name, group } => format!("{name} fails first (group `{group}`)"),
        Focus::Unwritten(function) => format!("`{function}` is not written"),
    };
    let helps = first.iter().all(|h| h.helps);
    let verdict = if helps { "" } else { ": NOT for that group" };
    Ok((
        format!(
            "a learner sees {seen}; `hint` gives {}{verdict}",
            hints.join(", ")
        ),
        helps,
    ))
}

/// Test names grouped by module: `bubble_sort::examples::{case_1, case_2}`.
fn group_by_module(tests: &[String]) -> Vec<String> {
    let mut modules: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for test in tests {
        let (module, name) = test.rsplit_once("::").unwrap_or(("", test));
        modules.entry(module).or_default().push(name);
    }
    modules
        .into_iter()
        .map(|(module, names)| match (module, names.as_slice()) {
            ("", names) => names.join(", "),
            (module, [name]) => format!("{module}::{name}"),
            (module, names) => format!("{module}::{{{}}}", names.join(", ")),
        })
        .collect()
}

/// The `mutants` subcommand and its options.
pub fn command() -> Command {
    Command::new("mutants")
        .about("Maintainers: each mutant's mistake and the tests that reject it; --new writes one")
        .arg(
            Arg::new("kata")
                .value_name("KATA")
                .required(true)
                .help("The kata"),
        )
        .arg(
            Arg::new("new")
                .long("new")
                .value_name("NAME")
                .requires("from")
                .help("Write tests/mutants/KATA/NAME.patch from a broken copy of the reference (with --wheat: tests/wheats/KATA/NAME.patch from a correct one), then judge it"),
        )
        .arg(
            Arg::new("from")
                .long("from")
                .value_name("FILE")
                .requires("new")
                .value_parser(value_parser!(PathBuf))
                .help("With --new: the reference's file with one mistake in it (with --wheat: rewritten another correct way)"),
        )
        .arg(
            Arg::new("mistake")
                .long("mistake")
                .value_name("TEXT")
                .requires("new")
                .conflicts_with("wheat")
                .help("With --new: the mistake, in one line (the patch's header)"),
        )
        .arg(
            Arg::new("wheat")
                .long("wheat")
                .value_name("ROUTE")
                .requires("new")
                .help("With --new: write a wheat instead, a correct implementation taking another route than the reference; ROUTE says which, in one line (the patch's header)"),
        )
        .arg(
            Arg::new("file")
                .long("file")
                .value_name("PATH")
                .requires("new")
                .default_value("lib.rs")
                .value_parser(value_parser!(PathBuf))
                .help("With --new: which file of solutions/KATA/src/ the broken copy stands for"),
        )
}

/// `mutants <kata>`, or `--new`: the map of a kata's mutants, or a new one.
pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    if !repo.has_solutions() {
        bail!(NO_MUTANTS);
    }
    let kata = repo.kata(m.get_one::<String>("kata").expect("clap requires the kata"))?;
    let path = |id: &str| m.get_one::<PathBuf>(id).cloned();
    match m.get_one::<String>("new") {
        Some(name) => {
            let new = NewMutant {
                name: name.clone(),
                from: path("from").expect("clap requires --from with --new"),
                said: m
                    .get_one::<String>("wheat")
                    .or_else(|| m.get_one::<String>("mistake"))
                    .cloned()
                    .context("--new needs --mistake TEXT (a mutant) or --wheat ROUTE (a wheat)")?,
                wheat: m.contains_id("wheat"),
                file: path("file").expect("--file has a default"),
            };
            create(repo, kata, &new, style)
        }
        None => map(repo, kata, style),
    }
}

/// What `--new` needs: the mutant's name, the broken file and the mistake (or, for a
/// wheat, the rewritten file and the route it takes).
pub struct NewMutant {
    pub name: String,
    pub from: PathBuf,
    /// The mistake, or the wheat's route: the header's text.
    pub said: String,
    /// A wheat (`WHEAT:`, in tests/wheats/), which the suite must accept.
    pub wheat: bool,
    /// The reference file the broken copy stands for, relative to its `src/`.
    pub file: PathBuf,
}

/// `cargo xtask mutants <kata> --new NAME --from FILE --mistake TEXT`: writes the patch
/// that turns the reference into FILE, then checks that the suite rejects it.
pub fn create(repo: &Repo, kata: &Kata, new: &NewMutant, style: Style) -> Result<bool> {
    let valid_name = !new.name.is_empty()
        && new
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_name {
        bail!(
            "a mutant's name is its mistake in snake_case (`one_pass_bubble`), not `{}`",
            new.name
        );
    }
    let (option, header, dir) = if new.wheat {
        (
            "--wheat is the route taken",
            patches::WHEAT,
            kata.wheats_dir(),
        )
    } else {
        ("--mistake is the one mistake", HEADER, kata.mutants_dir())
    };
    if new.said.trim().is_empty() || new.said.contains('\n') {
        bail!("{option}, in one line");
    }
    let relative = new.file.display().to_string();
    let reference_path = kata.solution_dir().join("src").join(&new.file);
    let reference = fs::read_to_string(&reference_path)
        .with_context(|| format!("reading {}", reference_path.display()))?;
    let broken =
        fs::read_to_string(&new.from).with_context(|| format!("reading {}", new.from.display()))?;
    if broken == reference {
        bail!(
            "{} is the reference itself: {}",
            new.from.display(),
            if new.wheat {
                "rewrite it another correct way first"
            } else {
                "break it first (one mistake)"
            }
        );
    }
    let label = format!("solutions/{}/src/{relative}", kata.name);
    let patch = diffy::DiffOptions::new()
        .set_context_len(CONTEXT_LINES)
        .set_original_filename(format!("a/{label}"))
        .set_modified_filename(format!("b/{label}"))
        .create_patch(&reference, &broken);
    let path = dir.join(format!("{}.{EXTENSION}", new.name));
    if path.exists() {
        bail!("{} exists already; choose another name", path.display());
    }
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    fs::write(&path, format!("{header} {}\n{patch}", new.said.trim()))
        .with_context(|| format!("writing {}", path.display()))?;
    println!(
        "wrote {}",
        path.strip_prefix(&repo.root).unwrap_or(&path).display()
    );

    let (found, _) = patches::find(&dir, header)?;
    let mutant = found
        .iter()
        .find(|m| m.path == path)
        .context("the new patch is not in its folder")?;
    let passes = grade_reference(repo, kata, std::slice::from_ref(mutant))?;
    if let Err(why) = &passes.ordinary {
        println!(
            "{why}: fix it, then judge the patch with `cargo xtask {} {}`",
            if new.wheat { "verify" } else { "mutants" },
            kata.name
        );
        return Ok(false);
    }
    Ok(match judge(repo, kata, mutant, &passes, true)? {
        Verdict::Rejected { failing, .. } if new.wheat => {
            println!(
                "{} by {} test(s): {}\nIf the wheat is correct, these tests are over-strict: \
                 loosen tests/{}.rs, not the wheat.",
                style.red("REJECTED"),
                failing.len(),
                group_by_module(&failing).join("; "),
                kata.name
            );
            false
        }
        Verdict::Rejected { failing, .. } => {
            println!(
                "{} by {} test(s): {}",
                style.green("rejected"),
                failing.len(),
                group_by_module(&failing).join("; ")
            );
            true
        }
        Verdict::Survived if new.wheat => {
            println!("{} every test passes on it", style.green("accepted:"));
            true
        }
        Verdict::Survived => {
            println!(
                "{} every test passes on it. Keep the patch and strengthen tests/{}.rs until \
                 `cargo xtask mutants {}` rejects it.",
                style.red("SURVIVED:"),
                kata.name,
                kata.name
            );
            false
        }
        Verdict::DoesNotApply(why) => {
            println!("{} {why}", style.red("does not apply:"));
            false
        }
        Verdict::DoesNotCompile(diagnostics) => {
            println!(
                "{} a patch must compile, or it tests the compiler:\n{}",
                style.red("does not compile:"),
                diagnostics.join("\n")
            );
            false
        }
        Verdict::NotJudged(why) => {
            println!("{} {why}", style.red("not judged:"));
            false
        }
    })
}
