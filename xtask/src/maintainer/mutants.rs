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
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgMatches, Command, value_parser};

use crate::engine::compile::Subject;
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

/// The header line every patch starts with.
pub const HEADER: &str = "MUTANT:";
/// The optional second header line: the tier that judges the mutant.
pub const TIER_HEADER: &str = "TIER:";
/// The extension of a mutant's file.
pub const EXTENSION: &str = "patch";
/// Lines of unchanged code around each change in a patch made by `--new`.
const CONTEXT_LINES: usize = 3;
/// Every kata keeps at least this many mutants.
pub const MINIMUM: usize = 5;

/// The scratch workspace mutants are built in.
const LABEL: &str = "mutant";

const REMAKE: &str = "re-make it against the current reference \
     (CONTRIBUTING.md, \"Making a mutant\")";

/// One mutant of a kata.
pub struct Mutant {
    /// `tests/mutants/<kata>/<name>.patch`.
    pub path: PathBuf,
    /// The file name, as reports show it.
    pub file_name: String,
    /// The one mistake, from the header line; `None` when the header is missing.
    pub mistake: Option<String>,
    /// The tier that judges it (`TIER: model` on the second line), or what is wrong
    /// with that line.
    pub tier: Result<Tier, String>,
}

impl Mutant {
    pub fn mistake_text(&self) -> String {
        self.mistake
            .clone()
            .unwrap_or_else(|| format!("(no `{HEADER}` line at the top)"))
    }
}

/// The kata's mutants, sorted by file name, and any file in the folder that is not a
/// mutant (a leftover `.rs` copy, a misnamed patch) so the gate can name it.
pub fn find(kata: &Kata) -> Result<(Vec<Mutant>, Vec<PathBuf>)> {
    let dir = kata.mutants_dir();
    if !dir.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut mutants = Vec::new();
    let mut strays = Vec::new();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.extension().is_none_or(|e| e != EXTENSION) {
            strays.push(path);
            continue;
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let mistake = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix(HEADER))
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty());
        let tier = header_tier(&text);
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        mutants.push(Mutant {
            path,
            file_name,
            mistake,
            tier,
        });
    }
    Ok((mutants, strays))
}

/// The tier a patch's header names: `TIER: model` on a line before the diff starts
/// (the one after `MUTANT:`), else the ordinary tier.
pub fn header_tier(text: &str) -> Result<Tier, String> {
    let header = text
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("--- ") && !line.starts_with("diff "));
    let mut tier = Tier::Ordinary;
    for line in header {
        if let Some(name) = line.strip_prefix(TIER_HEADER) {
            tier = match name.trim() {
                "model" => Tier::Model,
                other => {
                    return Err(format!(
                        "its header names the tier `{other}`; the only tier a mutant can \
                         name is `{TIER_HEADER} model`"
                    ));
                }
            };
        }
    }
    Ok(tier)
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
    let text = fs::read_to_string(&mutant.path)
        .with_context(|| format!("reading {}", mutant.path.display()))?;
    let patch = match diffy::Patch::from_str(&text) {
        Ok(patch) => patch,
        Err(err) => {
            return Ok(Prepared::DoesNotApply(format!(
                "it is not a unified diff ({err})"
            )));
        }
    };
    if patch.hunks().is_empty() {
        return Ok(Prepared::DoesNotApply("it changes nothing".into()));
    }
    let src_dir = kata.solution_dir().join("src");
    let relative = match patched_file(kata, patch.original()) {
        Ok(relative) => relative,
        Err(why) => return Ok(Prepared::DoesNotApply(why)),
    };
    let mut sources = read_tree(&src_dir)?;
    let Some(original) = sources.get(&relative) else {
        return Ok(Prepared::DoesNotApply(format!(
            "it patches solutions/{}/src/{}, which does not exist",
            kata.name,
            relative.display()
        )));
    };
    let patched = match diffy::apply(original, &patch) {
        Ok(patched) => patched,
        Err(err) => {
            return Ok(Prepared::DoesNotApply(format!(
                "it no longer applies to the reference ({err}): {REMAKE}"
            )));
        }
    };
    sources.insert(relative, patched);
    let subject = scratch::subject_from_sources(kata, LABEL, &sources, &repo.root.join("tests"))?;
    Ok(Prepared::Ready(subject))
}

/// The file a patch changes, relative to the reference's `src/`: its `---` path with
/// git's `a/` and the `solutions/<kata>/src/` prefix removed (`lib.rs` when the patch
/// names no file).
fn patched_file(kata: &Kata, original: Option<&str>) -> Result<PathBuf, String> {
    let Some(name) = original else {
        return Ok(PathBuf::from("lib.rs"));
    };
    let name = name.strip_prefix("a/").unwrap_or(name);
    let prefix = format!("solutions/{}/src/", kata.name);
    match name.strip_prefix(&prefix) {
        Some(rest) if !rest.is_empty() && !rest.split('/').any(|part| part == "..") => {
            Ok(PathBuf::from(rest))
        }
        _ => Err(format!(
            "it patches `{name}`; a mutant of {} patches a file under {prefix}",
            kata.name
        )),
    }
}

/// Every file under `dir`, by path relative to it.
fn read_tree(dir: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in
            fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
                files.insert(relative, text);
            }
        }
    }
    Ok(files)
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
        println!("  mistake: {}", mutant.mistake_text());
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
                .requires_all(["from", "mistake"])
                .help("Write tests/mutants/KATA/NAME.patch from a broken copy of the reference, then judge it"),
        )
        .arg(
            Arg::new("from")
                .long("from")
                .value_name("FILE")
                .requires("new")
                .value_parser(value_parser!(PathBuf))
                .help("With --new: the reference's file with one mistake in it"),
        )
        .arg(
            Arg::new("mistake")
                .long("mistake")
                .value_name("TEXT")
                .requires("new")
                .help("With --new: the mistake, in one line (the patch's header)"),
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
                mistake: m
                    .get_one::<String>("mistake")
                    .cloned()
                    .expect("clap requires --mistake with --new"),
                file: path("file").expect("--file has a default"),
            };
            create(repo, kata, &new, style)
        }
        None => map(repo, kata, style),
    }
}

/// What `--new` needs: the mutant's name, the broken file and the mistake.
pub struct NewMutant {
    pub name: String,
    pub from: PathBuf,
    pub mistake: String,
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
    if new.mistake.trim().is_empty() || new.mistake.contains('\n') {
        bail!("--mistake is the one mistake, in one line");
    }
    let relative = new.file.display().to_string();
    let reference_path = kata.solution_dir().join("src").join(&new.file);
    let reference = fs::read_to_string(&reference_path)
        .with_context(|| format!("reading {}", reference_path.display()))?;
    let broken =
        fs::read_to_string(&new.from).with_context(|| format!("reading {}", new.from.display()))?;
    if broken == reference {
        bail!(
            "{} is the reference itself: break it first (one mistake)",
            new.from.display()
        );
    }
    let label = format!("solutions/{}/src/{relative}", kata.name);
    let patch = diffy::DiffOptions::new()
        .set_context_len(CONTEXT_LINES)
        .set_original_filename(format!("a/{label}"))
        .set_modified_filename(format!("b/{label}"))
        .create_patch(&reference, &broken);
    let path = kata.mutants_dir().join(format!("{}.{EXTENSION}", new.name));
    if path.exists() {
        bail!("{} exists already; choose another name", path.display());
    }
    fs::create_dir_all(kata.mutants_dir())
        .with_context(|| format!("creating {}", kata.mutants_dir().display()))?;
    fs::write(&path, format!("{HEADER} {}\n{patch}", new.mistake.trim()))
        .with_context(|| format!("writing {}", path.display()))?;
    println!(
        "wrote {}",
        path.strip_prefix(&repo.root).unwrap_or(&path).display()
    );

    let (mutants, _) = find(kata)?;
    let mutant = mutants
        .iter()
        .find(|m| m.path == path)
        .context("the new mutant is not in its folder")?;
    let passes = grade_reference(repo, kata, std::slice::from_ref(mutant))?;
    if let Err(why) = &passes.ordinary {
        println!(
            "{why}: fix it, then judge the mutant with `cargo xtask mutants {}`",
            kata.name
        );
        return Ok(false);
    }
    Ok(match judge(repo, kata, mutant, &passes, true)? {
        Verdict::Rejected { failing, .. } => {
            println!(
                "{} by {} test(s): {}",
                style.green("rejected"),
                failing.len(),
                group_by_module(&failing).join("; ")
            );
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
                "{} a mutant must compile, or it tests the compiler:\n{}",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tier_is_read_from_the_header() {
        let diff = "--- a/solutions/k/src/lib.rs\n+++ b/solutions/k/src/lib.rs\n";
        let ordinary = format!("{HEADER} a mistake\n{diff}");
        assert_eq!(header_tier(&ordinary), Ok(Tier::Ordinary));
        let model = format!("{HEADER} a mistake\n{TIER_HEADER} model\n{diff}");
        assert_eq!(header_tier(&model), Ok(Tier::Model));
        let spaced = format!("{HEADER} a mistake\n{TIER_HEADER}   model  \n{diff}");
        assert_eq!(header_tier(&spaced), Ok(Tier::Model));
        // A `TIER:` inside the diff is code, not the header.
        let in_diff = format!("{HEADER} a mistake\n{diff}@@ -1 +1 @@\n-x\n+{TIER_HEADER} model\n");
        assert_eq!(header_tier(&in_diff), Ok(Tier::Ordinary));
        let unknown = format!("{HEADER} a mistake\n{TIER_HEADER} loom\n{diff}");
        assert!(header_tier(&unknown).is_err_and(|why| why.contains("`loom`")));
    }
}
