//! `cargo xtask watch [<kata>]`: re-check on save, and move on when the learner is ready.
//!
//! How a save is noticed. File events (notify, a recursive watch of `exercises/`) make
//! the re-check start at once; but on network file systems, in WSL under `/mnt/c`, in
//! some containers and VMs, no event ever arrives, and a watcher that cannot be created
//! at all (inotify limits) is common too. So the loop *also* polls: once a second it
//! takes a fingerprint of the kata's folder (each file's path, length, modification
//! time and a hash of its contents; a kata is a handful of small files, so this costs
//! microseconds). An event only means "look now"; a re-check happens when the
//! fingerprint differs from the one taken before the last check. That one rule
//! debounces editors' bursts of events, ignores events that change nothing (the build
//! reading the file), never checks twice for one save whether the event or the poll
//! sees it first. Polling is always on and events only make it faster, so nobody
//! needs to know which kind of file system they are on; `--poll` turns events off
//! (for a file system that sends wrong ones, and for the runner's own tests).
//!
//! Keys are read as lines from stdin (no raw terminal mode, no extra dependency):
//! `h` shows the next hint, `l` lists the katas, `q` quits, Enter alone re-checks. When
//! the kata passes, watch stays on it and says so: Enter alone goes on to the next kata
//! not yet passing (a save still re-checks this one). It always starts on the kata it
//! is given, passing or not. At the end of stdin, or once every kata passes, watch ends.

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use anyhow::Result;
use clap::{Arg, ArgAction, ArgMatches, Command};
use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::engine::lang::t;
use crate::engine::repo::{Kata, Repo};
use crate::engine::style::Style;
use crate::engine::suite::Tier;
use crate::learner::progress::Progress;
use crate::learner::{check, hints, list};

/// How often the kata's folder is fingerprinted when no event arrives.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// A save is checked once its folder has stayed the same this long (editors write in
/// bursts: a backup, a temporary file, a rename).
const QUIET_PERIOD: Duration = Duration::from_millis(200);
/// How often the kata's folder is looked at while a check runs.
const DURING_CHECK: Duration = Duration::from_millis(250);
/// A folder that keeps changing is checked anyway after this long.
const MAX_SETTLE: Duration = Duration::from_secs(2);

const CLEAR_SCREEN: &str = "\x1b[2J\x1b[H";

/// What wakes the loop up.
enum Wake {
    /// File events under `exercises/` (only the paths matter).
    Files(Vec<PathBuf>),
    /// A line typed on stdin, without its newline.
    Line(String),
    /// Stdin ended or failed.
    Eof,
}

/// What the learner asked for while waiting.
enum Next {
    Recheck,
    /// Enter after a pass: on to the next kata.
    Advance,
    Quit,
}

/// The `watch` subcommand and its options.
pub fn command() -> Command {
    Command::new("watch")
        .about("Re-check a kata every time you save (the next one once it passes)")
        .arg(
            Arg::new("kata")
                .value_name("KATA")
                .help("The kata to start with; without it, the next kata not yet passing"),
        )
        .arg(
            Arg::new("poll")
                .long("poll")
                .action(ArgAction::SetTrue)
                .help("Only look for saves once a second; do not use file events"),
        )
}

pub fn run(repo: &Repo, m: &ArgMatches, style: Style) -> Result<bool> {
    let kata = m.get_one::<String>("kata").map(String::as_str);
    watch(repo, kata, m.get_flag("poll"), style)
}

/// Watches until `q`, the end of stdin, or every kata passing. `poll` leaves file
/// events out (saves are still seen, within a second).
pub fn watch(repo: &Repo, name: Option<&str>, poll: bool, style: Style) -> Result<bool> {
    let mut kata = match name {
        Some(name) => repo.kata(name)?,
        None => match check::next_unfinished(repo, &Progress::load(&repo.root), None) {
            Some(kata) => kata,
            None => {
                println!("{}", t!("every-kata-passes"));
                return Ok(true);
            }
        },
    };

    let (sender, wakes) = mpsc::channel();
    spawn_stdin_reader(sender.clone());
    // Kept alive for the whole loop; dropping it stops the events.
    let _watcher = if poll {
        None
    } else {
        match start_watcher(&repo.root.join("exercises"), sender) {
            Ok(watcher) => Some(watcher),
            Err(err) => {
                println!("{}", t!("watch-no-events", error = format!("{err:#}")));
                None
            }
        }
    };

    let clear = std::io::stdout().is_terminal() && !crate::engine::style::dumb_terminal();
    let mut first = true;
    loop {
        if clear && !first {
            print!("{CLEAR_SCREEN}");
        }
        first = false;
        let mut seen = fingerprint(&kata.exercise_dir());
        let passed = match check(repo, kata, &seen, style) {
            Checked::Passed => true,
            Checked::Failed => false,
            Checked::Stopped => {
                // A save during the check: that check is stale, start the next.
                settle(&kata.exercise_dir(), &mut seen);
                continue;
            }
        };
        if passed {
            // A pass stays on screen: watch moves on only when the learner says so.
            let progress = Progress::load(&repo.root);
            let Some(next) = check::next_unfinished(repo, &progress, Some(kata)) else {
                println!("\n{}", t!("every-kata-passes"));
                return Ok(true);
            };
            println!(
                "\n{} {}\n{}",
                style.green(&t!("watch-passes", kata = kata.title())),
                style.bold(&t!("watch-enter-next", next = next.title())),
                style.dim(&t!("watch-keep-editing", name = kata.name))
            );
            flush();
            match wait(repo, kata, &wakes, &mut seen, true, style)? {
                Next::Recheck => continue,
                Next::Advance => {
                    kata = next;
                    // Not cleared: the learner sees that the last kata passed.
                    first = true;
                    continue;
                }
                Next::Quit => return Ok(true),
            }
        }
        println!(
            "\n{} {}\n{}",
            style.bold(&t!("watch-watching")),
            style.dim(&t!("watch-save-to-recheck", name = kata.name)),
            style.dim(&t!("watch-keys"))
        );
        flush();
        match wait(repo, kata, &wakes, &mut seen, false, style)? {
            Next::Recheck | Next::Advance => {}
            Next::Quit => return Ok(true),
        }
    }
}

/// How one check in the loop ended.
enum Checked {
    Passed,
    Failed,
    /// A save came while it ran: its tests were stopped and it printed nothing.
    Stopped,
}

/// Runs one check; an error (cargo missing, say) is shown and watching goes on. While
/// it runs, the kata's folder is looked at every `DURING_CHECK`: a save stops the
/// check in progress (its tests are killed), so the learner's fix is checked at once
/// instead of after a check of the code they already replaced.
fn check(repo: &Repo, kata: &Kata, seen: &Fingerprint, style: Style) -> Checked {
    let dir = kata.exercise_dir();
    let done = AtomicBool::new(false);
    crate::engine::run::clear_cancel();
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                std::thread::sleep(DURING_CHECK);
                if !done.load(Ordering::SeqCst) && fingerprint(&dir) != *seen {
                    crate::engine::run::cancel();
                    return;
                }
            }
        });
        let result = check::check_kata(repo, kata, false, Tier::Ordinary, false, true, style);
        done.store(true, Ordering::SeqCst);
        result
    });
    let checked = match result {
        Ok(true) => Checked::Passed,
        Ok(false) => Checked::Failed,
        Err(err) if err.is::<crate::engine::run::Cancelled>() => Checked::Stopped,
        Err(err) => {
            println!("{}", t!("error", error = format!("{err:#}")));
            Checked::Failed
        }
    };
    crate::engine::run::clear_cancel();
    flush();
    checked
}

/// Waits for a save of the kata's files or a key. Every wait is bounded by
/// `POLL_INTERVAL`, so the loop never spins and never sleeps through a save.
/// `passed`: the kata passes, and Enter alone moves on to the next one.
fn wait(
    repo: &Repo,
    kata: &Kata,
    wakes: &Receiver<Wake>,
    seen: &mut Fingerprint,
    passed: bool,
    style: Style,
) -> Result<Next> {
    let dir = kata.exercise_dir();
    // Events may name files by their real path (macOS reports /private/tmp for /tmp).
    let real_dir = dir.canonicalize().unwrap_or_else(|_| dir.clone());
    loop {
        let look = match wakes.recv_timeout(POLL_INTERVAL) {
            Ok(Wake::Files(paths)) => paths
                .iter()
                .any(|p| relevant(&dir, p) || relevant(&real_dir, p)),
            Err(RecvTimeoutError::Timeout) => true,
            Ok(Wake::Line(line)) => match line.trim() {
                "" if passed => return Ok(Next::Advance),
                "" => return Ok(Next::Recheck),
                "q" | "quit" | "exit" => {
                    println!("{}", t!("watch-bye"));
                    return Ok(Next::Quit);
                }
                "h" | "hint" => {
                    if let Err(err) = hints::hint(repo, &kata.name, false, true) {
                        println!("{}", t!("error", error = format!("{err:#}")));
                    }
                    println!("{}", style.dim(&t!("watch-keys")));
                    flush();
                    false
                }
                "l" | "list" => {
                    list::list(repo, style);
                    println!("{}", style.dim(&t!("watch-keys")));
                    flush();
                    false
                }
                other => {
                    println!("{}", t!("watch-unknown-key", key = other));
                    flush();
                    false
                }
            },
            Ok(Wake::Eof) | Err(RecvTimeoutError::Disconnected) => {
                println!("{}", t!("watch-stdin-closed"));
                return Ok(Next::Quit);
            }
        };
        if look && fingerprint(&dir) != *seen {
            settle(&dir, seen);
            return Ok(Next::Recheck);
        }
    }
}

/// Waits until the folder has stopped changing for `QUIET_PERIOD` (at most
/// `MAX_SETTLE`), leaving its last fingerprint in `seen`.
fn settle(dir: &Path, seen: &mut Fingerprint) {
    let start = Instant::now();
    let mut last = fingerprint(dir);
    while start.elapsed() < MAX_SETTLE {
        std::thread::sleep(QUIET_PERIOD);
        let now = fingerprint(dir);
        if now == last {
            break;
        }
        last = now;
    }
    *seen = last;
}

fn flush() {
    let _ = std::io::stdout().flush();
}

/// Reads stdin line by line on its own thread. The thread blocks in `read_line` and
/// ends with the process.
fn spawn_stdin_reader(sender: Sender<Wake>) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut line = String::new();
        loop {
            line.clear();
            let wake = match stdin.lock().read_line(&mut line) {
                Ok(0) | Err(_) => Wake::Eof,
                Ok(_) => Wake::Line(line.trim_end_matches(['\n', '\r']).to_string()),
            };
            let eof = matches!(wake, Wake::Eof);
            if sender.send(wake).is_err() || eof {
                return;
            }
        }
    });
}

fn start_watcher(exercises: &Path, sender: Sender<Wake>) -> Result<notify::RecommendedWatcher> {
    use anyhow::Context;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Errors are left to the poll, which sees every save anyway.
        if let Ok(event) = event
            && may_change_contents(&event.kind)
        {
            let _ = sender.send(Wake::Files(event.paths));
        }
    })
    .context("creating the file watcher")?;
    watcher
        .watch(exercises, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", exercises.display()))?;
    Ok(watcher)
}

/// False for events that only say a file was opened or read: the build reads the
/// learner's files, and so does `fingerprint`, which would otherwise wake itself up
/// again and again.
fn may_change_contents(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// True for a file of the kata's folder that a save of the learner's could touch: not
/// in `target/`, not hidden (`.git`, vim's `.lib.rs.swp`, emacs' `.#lib.rs`), not an
/// editor's temporary or backup file.
fn relevant(kata_dir: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(kata_dir) else {
        return false;
    };
    let mut components = inside.components().peekable();
    while let Some(component) = components.next() {
        let name = component.as_os_str().to_string_lossy();
        if name.starts_with('.') || (name == "target" && components.peek().is_some()) {
            return false;
        }
        if components.peek().is_none() && is_temp_file(&name) {
            return false;
        }
    }
    true
}

/// Editors' scratch files: `lib.rs~`, `#lib.rs#`, `lib.rs.swp`, vim's `4913` probe,
/// JetBrains' `___jb_tmp___`, `*.tmp`.
fn is_temp_file(name: &str) -> bool {
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.contains("___jb_")
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Each relevant file's length, modification time and content hash.
type Fingerprint = BTreeMap<PathBuf, (u64, Option<SystemTime>, u64)>;

fn fingerprint(dir: &Path) -> Fingerprint {
    let mut files = Fingerprint::new();
    collect(dir, dir, 0, &mut files);
    files
}

/// Folders deeper than this are not looked into (a symlink loop ends here).
const MAX_DEPTH: usize = 16;

fn collect(kata_dir: &Path, dir: &Path, depth: usize, files: &mut Fingerprint) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !relevant(kata_dir, &path) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if depth < MAX_DEPTH && entry.file_name() != "target" {
                collect(kata_dir, &path, depth + 1, files);
            }
        } else {
            let mut hasher = DefaultHasher::new();
            std::fs::read(&path).ok().hash(&mut hasher);
            files.insert(path, (meta.len(), meta.modified().ok(), hasher.finish()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        assert!(!may_change_contents(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!may_change_contents(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(may_change_contents(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(may_change_contents(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(may_change_contents(&EventKind::Create(CreateKind::File)));
        assert!(may_change_contents(&EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn only_the_learners_files_count() {
        let dir = Path::new("/r/exercises/sort");
        assert!(relevant(dir, Path::new("/r/exercises/sort/src/lib.rs")));
        assert!(relevant(dir, Path::new("/r/exercises/sort/Cargo.toml")));
        assert!(!relevant(dir, Path::new("/r/exercises/stack/src/lib.rs")));
        assert!(!relevant(
            dir,
            Path::new("/r/exercises/sort/target/debug/x")
        ));
        assert!(!relevant(
            dir,
            Path::new("/r/exercises/sort/src/.lib.rs.swp")
        ));
        assert!(!relevant(dir, Path::new("/r/exercises/sort/src/lib.rs~")));
        assert!(!relevant(dir, Path::new("/r/exercises/sort/src/#lib.rs#")));
        assert!(!relevant(dir, Path::new("/r/exercises/sort/src/4913")));
        assert!(!relevant(dir, Path::new("/r/exercises/sort/.git/index")));
    }
}
