//! Turning a failed test's output into what a learner can act on: the assertion's
//! message, proptest's minimal input, quickcheck's arguments, insta's diff, and
//! `todo!()` traced back to the unimplemented function.
//!
//! This only explains failures; it never decides whether a test passed.

use std::path::{Component, Path, PathBuf};

use crate::engine::lang::t;
use crate::engine::source;

mod difference;
mod law;

use difference::first_differences;
use law::law_in_words;

/// Lines of a failure message shown before it is cut short.
const MESSAGE_LINES: usize = 14;
/// Characters of one line shown before it is cut short: room for a suite's longest
/// explanation on one line (about 400 characters, the advice at its end included),
/// while a line of data (a vector of thousands) is still cut.
const LINE_CHARS: usize = 500;
const TODO_MESSAGE: &str = "not yet implemented";
/// Lines shown from the start, and from the end, of what a test printed when it
/// ended without a panic.
const PRINTED_HEAD: usize = 4;
const PRINTED_TAIL: usize = 10;

/// Lines of the learner's own output shown from its start, and from its end, beside
/// a failure's message.
const THEIRS_HEAD: usize = 5;
const THEIRS_TAIL: usize = 5;

/// One panic found in a test's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The thread that panicked: libtest names a test's thread after the test; a thread
    /// the suite or the learner's code starts has its own name, or `<unnamed>`.
    pub thread: String,
    /// `path:line:column` as the panic printed it, with `..` resolved.
    pub location: String,
    pub message: String,
}

/// The panics in `output`, in the order they happened. Proptest and quickcheck catch
/// the panics of each case they try and then panic once more with a summary, so the
/// first panic is the original failure and the last one is the summary.
pub fn panics(output: &str) -> Vec<Panic> {
    const HEAD: &str = " panicked at ";
    let mut found: Vec<Panic> = Vec::new();
    // Lines of the message of the panic being read, if any.
    let mut open = false;
    for line in output.lines() {
        // `thread 'name' panicked at src/lib.rs:3:5:` (newer toolchains add the
        // thread's id: `thread 'name' (1234) panicked at ...`).
        if line.starts_with("thread '")
            && let Some(head) = line.find(HEAD)
        {
            let location = line[head + HEAD.len()..].trim_end().trim_end_matches(':');
            let thread = line["thread '".len()..head]
                .rsplit_once('\'')
                .map_or("", |(name, _)| name);
            found.push(Panic {
                thread: thread.to_string(),
                location: normalize_location(location),
                message: String::new(),
            });
            open = true;
            continue;
        }
        if line.starts_with("note: run with `RUST_BACKTRACE") || line == "failures:" {
            open = false;
        }
        if let (true, Some(panic)) = (open, found.last_mut()) {
            if !panic.message.is_empty() {
                panic.message.push('\n');
            }
            panic.message.push_str(line);
        }
    }
    for panic in &mut found {
        panic.message = panic.message.trim_end().to_string();
    }
    found
}

/// Where a `todo!()` panicked, if that is why the test failed: the first panic whose
/// message is "not yet implemented" and whose location is in the crate's own source.
pub fn todo_location(output: &str) -> Option<String> {
    // A test that runs part of itself again in a child process (to see a stack
    // overflow, say) quotes the child's output in its own message, indented: a
    // `todo!()` reached there is found too.
    let dedented: Vec<&str> = output.lines().map(str::trim_start).collect();
    panics(&dedented.join("\n"))
        .into_iter()
        .find(|p| p.message.starts_with(TODO_MESSAGE) && !p.location.starts_with("tests/"))
        .map(|p| p.location)
}

/// Every `todo!()` call left in the `.rs` files under `src_dir`, as (`path:line`
/// relative to `root`, function name). Found by a tokenizer, so text in comments and
/// strings is not a call.
pub fn todo_sites(root: &Path, src_dir: &Path) -> Vec<(String, String)> {
    let mut sites = Vec::new();
    for path in source::rust_files(src_dir) {
        let Some(scan) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| source::scan(&text))
        else {
            continue;
        };
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        for (line, function) in scan.todos {
            sites.push((format!("{}:{line}", shown.display()), function));
        }
    }
    sites
}

/// The lines to show for a failed test: the panic's message (the last panic: proptest
/// and quickcheck sum up there, with the minimal failing input) and where the first
/// panic happened, insta's diff, and what was cut from the output, if anything. A
/// test that ended without a panic shows the start and the end of what it printed.
pub fn failure_message(output: &str) -> Vec<String> {
    explain(output, "", None)
}

/// [`failure_message`] for the test `test_name` of the suite whose text is `suite`
/// (`tests/<kata>.rs`): where the failure points outside the repository (into
/// quickcheck's or insta's own code, in `~/.cargo/registry`), it points at the test's
/// own function in the suite instead.
pub fn explain(output: &str, test_name: &str, suite: Option<(&str, &str)>) -> Vec<String> {
    let captured = captured_section(output);
    let all = panics(captured);
    let mut lines: Vec<String> = Vec::new();
    if let Some(last) = all.last() {
        // A thread the suite or the learner's code started panicked first: its message
        // and place are the cause; the test's own panic is only what followed.
        for other in other_threads(&all, test_name) {
            let message = other.message.lines().next().unwrap_or_default();
            lines.push(t!(
                "diagnose-thread-panicked",
                thread = other.thread,
                place = short_location(&other.location),
                message = message
            ));
        }
        let (summary, asserted_at) = summarize_panic(&last.message);
        lines.extend(summary);
        // Where to look: proptest's `prop_assert!` names its line in the message; a
        // panic points at the assertion (the suites' helpers are `#[track_caller]`, so
        // that is a line of the test); proptest's and quickcheck's summary panics come
        // after it and point at the test's start or into the library.
        let origin = asserted_at
            .or_else(|| {
                all.iter()
                    .map(|p| p.location.as_str())
                    .find(|l| in_repository(l))
                    .map(short_location)
            })
            .or_else(|| suite.and_then(|(path, text)| test_line(path, text, test_name)))
            .map(|origin| match suite {
                Some((path, text)) => out_of_macro(path, text, test_name, origin),
                None => origin,
            });
        if let (Some(origin), Some((path, text))) = (&origin, suite) {
            difference::name_the_sides(&mut lines, path, text, origin);
        }
        if let Some(origin) = origin
            && !lines.iter().any(|l| l.contains(origin.as_str()))
        {
            lines.push(origin);
        }
    } else {
        // No panic: show what the code printed, without libtest's own lines.
        let printed: Vec<String> = captured
            .lines()
            .filter(|l| !is_harness_line(l))
            .map(str::to_string)
            .collect();
        if printed.len() > PRINTED_HEAD + PRINTED_TAIL {
            lines.extend(printed[..PRINTED_HEAD].iter().cloned());
            lines.push(t!(
                "diagnose-lines-skipped",
                count = printed.len() - PRINTED_HEAD - PRINTED_TAIL
            ));
            lines.extend(printed[printed.len() - PRINTED_TAIL..].iter().cloned());
        } else {
            lines.extend(printed);
        }
    }
    lines.extend(snapshot_diff(captured));
    if lines.is_empty() {
        lines.push(t!("diagnose-no-panic"));
    }
    let mut lines = one_line_inputs(lines);
    if captured.contains("Aborting shrinking") {
        let small = t!("diagnose-shrinking-stopped");
        for line in &mut lines {
            *line = line.replace("minimal failing input", &small);
        }
    }
    let lines = first_differences(lines);
    let mut lines = cut(lines);
    let lines_law = law_in_words(&mut lines, test_name, suite);
    lines.splice(0..0, lines_law);
    if !all.is_empty() {
        lines.extend(theirs(captured));
    }
    // Say so when the output was too long to keep whole.
    if let Some(note) = output.lines().find(|l| is_cut_note(l))
        && !lines.iter().any(|l| l.contains(note))
    {
        lines.push(t!("diagnose-output-cut", note = note));
    }
    lines
}

/// proptest's count of the cases a `prop_assume!` (or a filter) threw away at one
/// place (`12 times at tests/bitree_text.rs:80`): bookkeeping, not a reason.
fn is_reject_detail(line: &str) -> bool {
    line.split_once(" times at ")
        .is_some_and(|(count, _)| !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()))
}

/// What most failing tests of one check share, if they fail the same way: the message
/// of a test's first panic (a set-up step every test takes: a server that cannot bind
/// its port, a first `poll_once` that never returns). Its first line is the key; a
/// bare `assertion \`left == right\` failed` says nothing of a cause, so for it the
/// whole message is.
pub fn first_cause(output: &str) -> Option<String> {
    let first = panics(captured_section(output)).into_iter().next()?;
    let mut lines = first.message.lines();
    let head = lines.next()?.trim();
    if head.is_empty() {
        return None;
    }
    let bare = head.starts_with("assertion `") && head.ends_with("` failed");
    let text = if bare {
        first.message.trim().to_string()
    } else {
        head.to_string()
    };
    // The same message from two places in the learner's code (two `unwrap()`s on
    // `None`) is two causes; from the suite's lines it is one (each test calls the
    // same set-up, and `#[track_caller]` helpers name the test's own line).
    if in_repository(&first.location) && !first.location.starts_with("tests/") {
        Some(format!("{text} @ {}", short_location(&first.location)))
    } else {
        Some(text)
    }
}

/// Panics of threads other than the test's own (a server's thread, a worker the
/// learner's code spawned), before the test's last panic, once each.
fn other_threads<'p>(all: &'p [Panic], test_name: &str) -> Vec<&'p Panic> {
    let Some(last) = all.last() else {
        return Vec::new();
    };
    let mut seen: Vec<&str> = Vec::new();
    all[..all.len() - 1]
        .iter()
        .filter(|p| p.thread != last.thread && p.thread != test_name && p.thread != "main")
        .filter(|p| {
            let first = !seen.contains(&p.thread.as_str());
            seen.push(&p.thread);
            first
        })
        .collect()
}

/// What the test printed that is no panic's message and no line of libtest's: the
/// learner's own `println!`s, head and tail, each line marked as theirs.
fn theirs(captured: &str) -> Vec<String> {
    let mut printed: Vec<&str> = Vec::new();
    let mut open = false;
    // insta's summary of a failed snapshot, which the diff above already shows.
    let mut insta = false;
    for line in captured.lines() {
        if line.contains("Snapshot Summary") {
            insta = true;
        }
        if insta {
            insta = !(line.starts_with("Stopped on the first failure")
                || line.starts_with("To update snapshots"));
            continue;
        }
        if line.starts_with("thread '") && line.contains(" panicked at ") {
            open = true;
            continue;
        }
        if line.starts_with("proptest: ") {
            continue;
        }
        if line.starts_with("note: run with `RUST_BACKTRACE") {
            open = false;
            continue;
        }
        if !open && !is_harness_line(line) {
            printed.push(line);
        }
    }
    if printed.is_empty() {
        return Vec::new();
    }
    let mark = |l: &&str| {
        let l: String = l.chars().take(LINE_CHARS).collect();
        format!("│ {l}")
    };
    let mut lines = vec![match printed.len() {
        1 => t!("diagnose-printed-one"),
        n => t!("diagnose-printed", count = n),
    }];
    if printed.len() > THEIRS_HEAD + THEIRS_TAIL {
        lines.extend(printed[..THEIRS_HEAD].iter().map(mark));
        lines.push(format!(
            "│ {}",
            t!(
                "diagnose-lines-skipped",
                count = printed.len() - THEIRS_HEAD - THEIRS_TAIL
            )
        ));
        lines.extend(printed[printed.len() - THEIRS_TAIL..].iter().map(mark));
    } else {
        lines.extend(printed.iter().map(mark));
    }
    lines
}

/// True for a location in the repository's own files (`tests/sort.rs:12:5`), false
/// for one in a library (`/home/me/.cargo/registry/...`) or the standard library.
fn in_repository(location: &str) -> bool {
    !(location.starts_with('/')
        || location.starts_with('\\')
        || location.contains(":\\")
        || location.contains(".cargo")
        || location.contains("/rustc/"))
}

/// A panic inside a test that a `macro_rules!` of the suite writes points at the
/// macro's call (`sort_suite!(bubble_sort, bubble_sort_by);`), shared by many tests:
/// point at the test's function inside the macro instead, naming the call.
fn out_of_macro(path: &str, suite: &str, test_name: &str, origin: String) -> String {
    let Some(n) = origin
        .strip_prefix(path)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return origin;
    };
    let Some(line) = suite.lines().nth(n.saturating_sub(1)) else {
        return origin;
    };
    let call = line.trim_start();
    let name: String = call
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let is_suite_macro = !name.is_empty()
        && call[name.len()..].starts_with('!')
        && suite.contains(&format!("macro_rules! {name}"));
    match test_line(path, suite, test_name) {
        Some(inside) if is_suite_macro => {
            t!("diagnose-in-macro", place = inside, name = name, line = n)
        }
        _ => origin,
    }
}

/// `tests/sort.rs:133`: the line of the test's function in the suite, found module by
/// module (names repeat: `patch::bad_input` is not `copy_chunked::bad_input`); rstest's
/// `examples::case_1_empty` is `fn examples`.
fn test_line(path: &str, suite: &str, test_name: &str) -> Option<String> {
    source::test_line(suite, test_name).map(|line| format!("{path}:{line}"))
}

/// Joins a failing input that Debug printed over several lines (`[\n    3,\n    1,\n]`)
/// into one line (`[3, 1]`).
fn one_line_inputs(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = 0i32;
    for line in lines {
        if open > 0
            && let Some(last) = out.last_mut()
        {
            let piece = line.trim();
            if piece.starts_with([']', ')', '}']) {
                if last.ends_with(',') {
                    last.pop();
                }
                if piece.starts_with('}') {
                    last.push(' ');
                }
            } else if !last.ends_with(['[', '(']) {
                last.push(' ');
            }
            last.push_str(piece);
            open += depth_change(piece);
            continue;
        }
        if is_minimal_input(&line) {
            open = depth_change(&line);
        }
        out.push(line);
    }
    out
}

/// Brackets opened minus brackets closed, outside string and char literals.
fn depth_change(text: &str) -> i32 {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' => quote = Some('"'),
                '[' | '(' | '{' => depth += 1,
                ']' | ')' | '}' => depth -= 1,
                _ => {}
            },
        }
    }
    depth
}

fn is_cut_note(line: &str) -> bool {
    line.starts_with("[… ") && line.ends_with(" of output cut here …]")
}

/// Why a crashed test's process died, in words. `memory_mib` is the cap on its
/// address space: an allocation past it fails, and Rust aborts with "memory
/// allocation of N bytes failed".
pub fn crash_reason(output: &str, signal: i32, memory_mib: u64) -> String {
    if output.contains("has overflowed its stack") {
        t!("crash-stack-overflow")
    } else if ran_out_of_memory(output) {
        t!("crash-out-of-memory", limit = memory_mib)
    } else {
        match signal {
            6 => t!("crash-abort"),
            9 => t!("crash-killed"),
            11 => t!("crash-segfault"),
            _ => t!("crash-signal", signal = signal),
        }
    }
}

/// True when the output says an allocation failed.
fn ran_out_of_memory(output: &str) -> bool {
    output.lines().any(|l| {
        (l.starts_with("memory allocation of") && l.contains("failed"))
            || l.contains("capacity overflow")
            || l.contains("failed to allocate")
    })
}

/// The name of the function around `line` (1-based) of `file`: `push` or, inside an
/// `impl` block, `Stack::push`.
pub fn function_at(file: &Path, line: usize) -> Option<String> {
    let scan = source::scan(&std::fs::read_to_string(file).ok()?)?;
    source::function_at(&scan, line).map(|f| f.name.clone())
}

/// Splits `path:line:col` into the path and the line.
pub fn split_location(location: &str) -> Option<(PathBuf, usize)> {
    let mut parts = location.rsplitn(3, ':');
    let _column = parts.next()?;
    let line = parts.next()?.parse().ok()?;
    Some((PathBuf::from(parts.next()?), line))
}

/// `path:line`, dropping the column a learner does not need.
pub fn short_location(location: &str) -> String {
    match split_location(location) {
        Some((path, line)) => format!("{}:{line}", path.display()),
        None => location.to_string(),
    }
}

/// The part of libtest's output that the test itself printed (its panics included).
fn captured_section(output: &str) -> &str {
    let Some(start) = output.find("---- ").and_then(|i| {
        output[i..]
            .find(" stdout ----\n")
            .map(|j| i + j + " stdout ----\n".len())
    }) else {
        return output;
    };
    let rest = &output[start..];
    let end = rest.find("\nfailures:\n").unwrap_or(rest.len());
    &rest[..end]
}

/// Lines libtest prints around a test, which say nothing about why it failed.
fn is_harness_line(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with("running ")
        || t.starts_with("test result:")
        || (line.starts_with("test ")
            && (t.ends_with(" ...") || t.ends_with("... ok") || t.ends_with("FAILED")))
        || t == "failures:"
        || is_cut_note(t)
}

/// The useful lines of a panic message: proptest's bookkeeping lines and insta's
/// advice to run `cargo insta` (a tool for maintainers) dropped; and the location
/// proptest's `prop_assert!` writes at the end of its message (`... at
/// tests/sort.rs:236:17.`), taken out as `tests/sort.rs:236`.
fn summarize_panic(message: &str) -> (Vec<String>, Option<String>) {
    let mut location = None;
    let lines = message
        .lines()
        .filter(|l| {
            let t = l.trim();
            !(t.starts_with("successes:")
                || t.starts_with("local rejects:")
                || t.starts_with("global rejects:")
                || is_reject_detail(t)
                || t.contains("cargo insta"))
        })
        .map(|l| {
            let l = l.trim_end();
            if location.is_none()
                && let Some(body) = l.strip_suffix('.')
                && let Some((text, at)) = body.rsplit_once(" at ")
                && let Some(at) = with_column(at)
            {
                let at = normalize_location(&at);
                if in_repository(&at) {
                    location = Some(short_location(&at));
                    return if text.ends_with(['.', '?', '!']) {
                        text.to_string()
                    } else {
                        format!("{text}.")
                    };
                }
            }
            l.to_string()
        })
        .filter(|l| !l.is_empty())
        .collect();
    (lines, location)
}

/// `path:line:column`, from either that or `path:line` (proptest writes no column).
fn with_column(at: &str) -> Option<String> {
    if split_location(at).is_some() {
        return Some(at.to_string());
    }
    let (path, line) = at.rsplit_once(':')?;
    (!path.is_empty() && line.parse::<usize>().is_ok()).then(|| format!("{at}:1"))
}

/// insta's diff of a failed snapshot, if there is one.
fn snapshot_diff(captured: &str) -> Vec<String> {
    let Some(start) = captured.find("-old snapshot") else {
        return Vec::new();
    };
    let mut lines = vec![t!("diagnose-snapshot-differs")];
    lines.extend(
        captured[start..]
            .lines()
            .skip(2)
            .take_while(|l| !l.starts_with("To update snapshots") && !l.contains("panicked at"))
            .filter(|l| !l.contains("cargo insta"))
            .filter(|l| !l.trim().is_empty() && !l.chars().all(|c| "─┬┴".contains(c)))
            .map(|l| l.trim_end().to_string()),
    );
    lines
}

/// At most `MESSAGE_LINES` lines of at most `LINE_CHARS` characters; lines that name
/// the minimal failing input (proptest, quickcheck) are always kept.
fn cut(lines: Vec<String>) -> Vec<String> {
    let total = lines.len();
    let shorten = |l: &String| {
        if l.chars().count() > LINE_CHARS {
            let kept: String = l.chars().take(LINE_CHARS).collect();
            t!("diagnose-line-cut", kept = kept, count = l.chars().count())
        } else {
            l.clone()
        }
    };
    let mut shown: Vec<String> = lines.iter().take(MESSAGE_LINES).map(shorten).collect();
    if total > MESSAGE_LINES {
        shown.push(t!("diagnose-more-lines", count = total - MESSAGE_LINES));
        shown.extend(
            lines[MESSAGE_LINES..]
                .iter()
                .filter(|l| is_minimal_input(l))
                .map(shorten),
        );
    }
    shown
}

/// proptest's `minimal failing input: ...`, quickcheck's `TEST FAILED. Arguments: ...`.
fn is_minimal_input(line: &str) -> bool {
    line.contains("minimal failing input") || line.contains("TEST FAILED. Arguments:")
}

/// `solutions/sort/../../tests/sort.rs:12:5` becomes `tests/sort.rs:12:5`.
fn normalize_location(location: &str) -> String {
    let Some((path, _)) = split_location(location) else {
        return location.to_string();
    };
    let mut parts: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            Component::CurDir => {}
            other => parts.push(other),
        }
    }
    let clean: PathBuf = parts.iter().collect();
    let suffix = &location[path.as_os_str().len()..];
    format!("{}{suffix}", clean.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_panics_of_a_proptest_failure() {
        let out = "thread 'a::b' panicked at exercises/sort/src/lib.rs:25:5:\n\
                   not yet implemented: sort 3\n\
                   thread 'a::b' panicked at solutions/sort/../../tests/sort.rs:9:1:\n\
                   Test failed: not yet implemented: sort 0.\n\
                   minimal failing input: v = []\n\tsuccesses: 0\n";
        let found = panics(out);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].location, "exercises/sort/src/lib.rs:25:5");
        assert_eq!(found[1].location, "tests/sort.rs:9:1");
        assert_eq!(
            todo_location(out).as_deref(),
            Some("exercises/sort/src/lib.rs:25:5")
        );
    }

    #[test]
    fn finds_a_todo_reached_in_a_child_process() {
        let out = "thread 'deep::recurse' (7) panicked at tests/bitree.rs:613:5:\n\
                   on a 64 KiB stack it must overflow, but the child exited with code 101:\n    \
                   thread 'a deep tree' (8) panicked at exercises/bitree/src/lib.rs:157:9:\n    \
                   not yet implemented: preorder\n";
        assert_eq!(
            todo_location(out).as_deref(),
            Some("exercises/bitree/src/lib.rs:157:9")
        );
    }

    /// A failure whose panic points into a library (quickcheck's summary) is pointed
    /// at the test's own function, in its own module: `bad_input` is in both.
    #[test]
    fn points_at_the_test_in_its_own_module() {
        let suite = "mod copy {\n    #[test]\n    fn bad_input() {}\n}\n\n\
                     mod patch {\n    #[rstest]\n    fn bad_input() {}\n}\n";
        let out = "thread 'patch::bad_input::case_5' (9) panicked at \
                   /root/.cargo/registry/src/index.crates.io-0/quickcheck-1.0.3/src/tester.rs:165:28:\n\
                   [quickcheck] TEST FAILED. Arguments: (5)\n";
        let lines = explain(out, "patch::bad_input::case_5", Some(("tests/k.rs", suite)));
        assert!(lines.contains(&"tests/k.rs:8".to_string()), "{lines:?}");
        assert!(!lines.contains(&"tests/k.rs:3".to_string()), "{lines:?}");
    }

    /// The key of a shared failure: the first panic's first line, with the place when
    /// it is in the learner's code; a bare `assert_eq!` header keeps its values.
    #[test]
    fn the_first_cause_of_a_failure() {
        let set_up = "thread 't::a' (3) panicked at tests/k.rs:10:9:\n\
                      the server could not bind its listener: Address already in use\n\
                      note: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            first_cause(set_up).as_deref(),
            Some("the server could not bind its listener: Address already in use")
        );
        let unwrap = "thread 't::a' (3) panicked at exercises/k/src/lib.rs:278:40:\n\
                      called `Option::unwrap()` on a `None` value\n";
        assert_eq!(
            first_cause(unwrap).as_deref(),
            Some("called `Option::unwrap()` on a `None` value @ exercises/k/src/lib.rs:278")
        );
        let bare = "thread 't::a' (3) panicked at tests/k.rs:4:5:\n\
                    assertion `left == right` failed\n  left: 1\n right: 2\n";
        assert_eq!(
            first_cause(bare).as_deref(),
            Some("assertion `left == right` failed\n  left: 1\n right: 2")
        );
    }

    /// A panic on a thread the suite started is shown with its place, before the
    /// test's own message; what the learner's code printed follows, marked, without
    /// insta's summary or proptest's notes.
    #[test]
    fn another_threads_panic_and_the_learners_lines() {
        let out = "---- t::a stdout ----\n\
                   handling a\n\
                   proptest: FileFailurePersistence::SourceParallel set\n\
                   thread 'server' (4) panicked at exercises/k/src/lib.rs:346:17:\n\
                   index out of bounds: the len is 3 but the index is 3\n\
                   note: run with `RUST_BACKTRACE=1`\n\
                   still here\n\
                   thread 't::a' (3) panicked at tests/k.rs:9:5:\n\
                   the server closed the connection\n";
        let lines = explain(out, "t::a", None);
        assert_eq!(
            lines,
            [
                "the thread 'server' panicked at exercises/k/src/lib.rs:346: index out of \
                 bounds: the len is 3 but the index is 3",
                "the server closed the connection",
                "your code printed (2 lines, marked │):",
                "│ handling a",
                "│ still here",
            ]
        );
    }

    /// proptest's count of rejected cases at a place is bookkeeping, not a reason.
    #[test]
    fn proptest_reject_details_are_left_out() {
        let out = "thread 't::a' (3) panicked at tests/k.rs:9:1:\n\
                   Test failed: no.\nminimal failing input: x = 1\n\tsuccesses: 3\n\
                   \tlocal rejects: 12\n\t\t12 times at tests/k.rs:80\n\tglobal rejects: 0\n";
        let lines = explain(out, "t::a", None);
        assert!(!lines.iter().any(|l| l.contains("times at")), "{lines:?}");
    }

    /// quickcheck's bare "TEST FAILED" said in words, with the law's `///` comment.
    #[test]
    fn a_law_in_words() {
        let suite = "mod laws {\n    /// Reversing twice gives the input back.\n    \
                     #[quickcheck]\n    fn twice(v: Vec<u8>) -> bool {\n        true\n    }\n}\n";
        let out = "thread 'laws::twice' (9) panicked at \
                   /root/.cargo/registry/src/x/quickcheck-1.1.0/src/tester.rs:165:28:\n\
                   [quickcheck] TEST FAILED. Arguments: ([1, 2])\n";
        let lines = explain(out, "laws::twice", Some(("tests/k.rs", suite)));
        assert_eq!(
            lines,
            [
                "Reversing twice gives the input back.",
                "the law `twice` did not hold for the arguments ([1, 2])",
                "tests/k.rs:4",
            ]
        );
    }

    #[test]
    fn names_methods_by_their_impl() {
        let dir = std::env::temp_dir().join(format!("xtask-diagnose-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lib.rs");
        std::fs::write(
            &file,
            "pub fn free(x: u8) {\n    todo!()\n}\n\nimpl<T: Ord> Stack<T> {\n    pub fn push(&mut self) {\n        todo!()\n    }\n}\n",
        )
        .unwrap();
        assert_eq!(function_at(&file, 2).as_deref(), Some("free"));
        assert_eq!(function_at(&file, 7).as_deref(), Some("Stack::push"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
