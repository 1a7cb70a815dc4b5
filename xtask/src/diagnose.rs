//! Turning a failed test's output into what a learner can act on: the assertion's
//! message, proptest's minimal input, quickcheck's arguments, insta's diff, and
//! `todo!()` traced back to the unimplemented function.
//!
//! This only explains failures; it never decides whether a test passed.

use std::path::{Component, Path, PathBuf};

/// Lines of a failure message shown before it is cut short.
const MESSAGE_LINES: usize = 14;
/// Characters of one line shown before it is cut short.
const LINE_CHARS: usize = 240;
const TODO_MESSAGE: &str = "not yet implemented";
const NO_PANIC: &str = "the test's process ended before the test finished, without a panic \
     (does the code call std::process::exit?)";

/// One panic found in a test's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
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
            found.push(Panic {
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
    panics(output)
        .into_iter()
        .find(|p| p.message.starts_with(TODO_MESSAGE) && !p.location.starts_with("tests/"))
        .map(|p| p.location)
}

/// Every `todo!()` left in the `.rs` files under `src_dir`, as (`path:line` relative
/// to `root`, function name). Lines that are comments are skipped.
pub fn todo_sites(root: &Path, src_dir: &Path) -> Vec<(String, String)> {
    let mut sites = Vec::new();
    let mut pending = vec![src_dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            for (i, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") || !code.contains("todo!(") {
                    continue;
                }
                let name = function_at(&path, i + 1).unwrap_or_else(|| "a function".into());
                sites.push((format!("{}:{}", shown.display(), i + 1), name));
            }
        }
    }
    sites
}

/// The lines to show for a failed test.
pub fn failure_message(output: &str) -> Vec<String> {
    let captured = captured_section(output);
    let all = panics(captured);
    let mut lines: Vec<String> = Vec::new();
    if let Some(last) = all.last() {
        lines.extend(summarize_panic(&last.message));
        // The first panic points at the assertion that failed; the summary panic of
        // proptest or quickcheck points at the test function.
        let origin = short_location(&all[0].location);
        if !lines.iter().any(|l| l.contains(origin.as_str())) {
            lines.push(origin);
        }
    } else {
        // No panic: show what the code printed, without libtest's own lines.
        lines.extend(
            captured
                .lines()
                .filter(|l| !is_harness_line(l))
                .map(str::to_string),
        );
    }
    lines.extend(snapshot_diff(captured));
    lines.retain(|l| !l.contains("`--logfile` is deprecated"));
    if lines.is_empty() {
        lines.push(NO_PANIC.to_string());
    }
    cut(lines)
}

/// Why a crashed test's process died, in words.
pub fn crash_reason(output: &str, signal: i32) -> String {
    if output.contains("has overflowed its stack") {
        "overflowed its stack (endless or too deep recursion?)".to_string()
    } else {
        match signal {
            6 => "aborted (signal 6: a double panic, or std::process::abort)".to_string(),
            9 => "was killed (signal 9: out of memory?)".to_string(),
            11 => "crashed with a segmentation fault (signal 11)".to_string(),
            _ => format!("was stopped by signal {signal}"),
        }
    }
}

/// The name of the function around `line` (1-based) of `file`: `push` or, inside an
/// `impl` block, `Stack::push`. Found by reading the source backwards, which is all the
/// runner needs to point a learner at a `todo!()`.
pub fn function_at(file: &Path, line: usize) -> Option<String> {
    let source = std::fs::read_to_string(file).ok()?;
    let lines: Vec<&str> = source.lines().take(line).collect();
    let (fn_index, name) = lines
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, l)| fn_name(l).map(|n| (i, n)))?;
    let fn_indent = indent(lines[fn_index]);
    let owner = lines[..fn_index]
        .iter()
        .rev()
        .find(|l| indent(l) < fn_indent && !l.trim().is_empty())
        .and_then(|l| impl_type(l));
    Some(match owner {
        Some(ty) => format!("{ty}::{name}"),
        None => name,
    })
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

fn fn_name(line: &str) -> Option<String> {
    let t = line.trim_start();
    let t = t.strip_prefix("pub ").unwrap_or(t);
    let t = t.strip_prefix("pub(crate) ").unwrap_or(t);
    let t = t.strip_prefix("const ").unwrap_or(t);
    let t = t.strip_prefix("unsafe ").unwrap_or(t);
    let rest = t.strip_prefix("fn ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn impl_type(line: &str) -> Option<String> {
    let t = line.trim_start().strip_prefix("impl")?;
    let t = t.split('{').next()?;
    // `impl<T> Trait for Type<T>` names the type after `for`.
    let ty = t.rsplit(" for ").next()?;
    // Drop the impl's own generics (`impl<T: Ord> Type<T>`), then the type's.
    let ty = if ty.trim_start().starts_with('<') {
        skip_generics(ty.trim_start())
    } else {
        ty
    };
    let name: String = ty
        .trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let name = name.rsplit("::").next()?.to_string();
    (!name.is_empty()).then_some(name)
}

fn skip_generics(text: &str) -> &str {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return &text[i + 1..];
                }
            }
            _ => {}
        }
    }
    text
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
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
        || t.contains("`--logfile` is deprecated")
}

/// The useful lines of a panic message: proptest's bookkeeping lines dropped.
fn summarize_panic(message: &str) -> Vec<String> {
    message
        .lines()
        .filter(|l| {
            let t = l.trim();
            !(t.starts_with("successes:")
                || t.starts_with("local rejects:")
                || t.starts_with("global rejects:"))
        })
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// insta's diff of a failed snapshot, if there is one.
fn snapshot_diff(captured: &str) -> Vec<String> {
    let Some(start) = captured.find("-old snapshot") else {
        return Vec::new();
    };
    let mut lines = vec!["snapshot differs (- expected, + yours):".to_string()];
    lines.extend(
        captured[start..]
            .lines()
            .skip(2)
            .take_while(|l| !l.starts_with("To update snapshots") && !l.contains("panicked at"))
            .filter(|l| !l.trim().is_empty() && !l.chars().all(|c| "─┬┴".contains(c)))
            .map(|l| l.trim_end().to_string()),
    );
    lines
}

fn cut(lines: Vec<String>) -> Vec<String> {
    let total = lines.len();
    let mut shown: Vec<String> = lines
        .into_iter()
        .take(MESSAGE_LINES)
        .map(|l| {
            if l.chars().count() > LINE_CHARS {
                let kept: String = l.chars().take(LINE_CHARS).collect();
                format!("{kept}…")
            } else {
                l
            }
        })
        .collect();
    if total > MESSAGE_LINES {
        shown.push(format!("… {} more lines", total - MESSAGE_LINES));
    }
    shown
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

    #[test]
    fn impl_type_reads_trait_impls_and_generics() {
        assert_eq!(
            impl_type("impl<T: fmt::Debug> fmt::Debug for List<T> {").as_deref(),
            Some("List")
        );
        assert_eq!(impl_type("impl Queue {").as_deref(), Some("Queue"));
    }
}
