//! Two long values that differ (`left`/`right`, `expected`/`actual`): where they first
//! differ, and a window of each around it, since a difference near the end of two
//! lines of 200 hex digits is not seen by eye.

use crate::engine::lang::t;

/// Two values longer than this (in characters) are compared, and where they first
/// differ is shown.
const LONG_VALUE: usize = 60;
/// Characters shown on each side of the first difference of two long values.
const WINDOW: usize = 24;

/// `  left: [..]` over ` right: [..]`, `expected: ..` over `actual: ..`: a line of the
/// form `label: value` followed by another. When both values are long and differ,
/// where they first differ is added below them, with a window of each around it.
pub(super) fn first_differences(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        out.push(lines[i].clone());
        if let Some(next) = lines.get(i + 1)
            && let (Some((a_label, a)), Some((b_label, b))) = (labelled(&lines[i]), labelled(next))
            && paired(&a_label, &b_label)
            && a != b
            && a.chars().count().min(b.chars().count()) > LONG_VALUE
        {
            out.push(next.clone());
            let a_chars: Vec<char> = a.chars().collect();
            let b_chars: Vec<char> = b.chars().collect();
            let at = a_chars
                .iter()
                .zip(&b_chars)
                .take_while(|(x, y)| x == y)
                .count();
            let indent: String = lines[i].chars().take_while(|c| c.is_whitespace()).collect();
            out.push(format!(
                "{indent}{}",
                t!(
                    "diagnose-first-difference",
                    at = at + 1,
                    left = a_label.trim().trim_end_matches([':', '：']),
                    left_len = a_chars.len(),
                    right = b_label.trim().trim_end_matches([':', '：']),
                    right_len = b_chars.len()
                )
            ));
            let width = a_label.chars().count().max(b_label.chars().count());
            for (label, chars) in [(a_label, &a_chars), (b_label, &b_chars)] {
                out.push(format!(
                    "{indent}  {}{}",
                    crate::engine::style::pad_to(label.trim_start(), width),
                    window(chars, at)
                ));
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    out
}

/// True for the labels of two sides of one comparison: `left`/`right` (assert_eq!),
/// `expected…`/`actual…` or `got` (the suites' own messages), `期望…`/`实际…`.
fn paired(a: &str, b: &str) -> bool {
    let word = |label: &str| {
        label
            .trim()
            .trim_end_matches([':', '：'])
            .split([' ', '（', '('])
            .next()
            .unwrap_or_default()
            .to_lowercase()
    };
    matches!(
        (word(a).as_str(), word(b).as_str()),
        ("left", "right") | ("expected", "actual" | "got") | ("期望", "实际")
    )
}

/// `label: value` (or `label：value`): the label with its colon and the spaces after
/// it, and the value. Labels are short words (`left`, `expected (CPython)`).
fn labelled(line: &str) -> Option<(String, String)> {
    let text = line.trim_start();
    let colon = text.find([':', '：'])?;
    let label = &text[..colon];
    if label.is_empty()
        || label.chars().count() > 24
        || label.contains(['`', '"', '[', '{'])
        || label.split_whitespace().count() > 3
    {
        return None;
    }
    let after = &text[colon..];
    let colon_len = after.chars().next()?.len_utf8();
    let value = after[colon_len..].trim_start();
    let spaces = after.len() - colon_len - value.len();
    if value.is_empty() || spaces == 0 {
        return None;
    }
    Some((
        format!("{}{}", &text[..colon + colon_len], " ".repeat(spaces)),
        value.to_string(),
    ))
}

/// Up to `WINDOW` characters each side of `at`, `…` where more was left out.
fn window(chars: &[char], at: usize) -> String {
    let start = at.saturating_sub(WINDOW);
    let end = (at + WINDOW).min(chars.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start.min(chars.len())..end]);
    if end < chars.len() {
        text.push('…');
    }
    if at >= chars.len() {
        text.push_str(&t!("diagnose-value-ends"));
    }
    text
}

/// `left:` and `right:` alone do not say which is the learner's: when the assertion
/// at `origin` (`tests/k.rs:12`) is an `assert_eq!` (or `assert_ne!`,
/// `prop_assert_eq!`) of the suite, each side is followed by the expression it came
/// from (`left: 11  ← clues::total(&[1; 12])`).
pub(super) fn name_the_sides(lines: &mut [String], path: &str, suite: &str, origin: &str) {
    let Some(n) = origin
        .strip_prefix(path)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|n| n.split_whitespace().next()?.parse::<usize>().ok())
    else {
        return;
    };
    // The assertion may span lines: a few from its first are enough for two arguments.
    let text: String = suite
        .lines()
        .skip(n.saturating_sub(1))
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    let Some(start) = [
        "assert_eq!(",
        "assert_ne!(",
        "prop_assert_eq!(",
        "prop_assert_ne!(",
    ]
    .iter()
    .find_map(|m| text.find(m).map(|i| i + m.len())) else {
        return;
    };
    let Some(sides) = two_arguments(&text[start..]) else {
        return;
    };
    for line in lines.iter_mut() {
        let label = line.trim_start();
        let side = if label.starts_with("left: ") {
            &sides.0
        } else if label.starts_with("right: ") {
            &sides.1
        } else {
            continue;
        };
        // A literal says nothing more than its value (`right: 8  ← 8`).
        let value = label.split_once(':').map_or("", |(_, v)| v.trim());
        if label.chars().count() <= LONG_VALUE && value != side.as_str() {
            line.push_str(&format!("  ← {side}"));
        }
    }
}

/// The first two arguments of a macro call whose `(` was just read, as written.
fn two_arguments(text: &str) -> Option<(String, String)> {
    let mut args: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut quote = false;
    let mut escaped = false;
    for c in text.chars() {
        if quote {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quote = false;
            }
            continue;
        }
        match c {
            '"' => {
                quote = true;
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' if depth == 0 => {
                args.push(current.trim().to_string());
                break;
            }
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => {
                args.push(current.trim().to_string());
                current.clear();
                if args.len() == 2 {
                    break;
                }
            }
            _ => current.push(c),
        }
    }
    let mut args = args.into_iter().filter(|a| !a.is_empty());
    let left = args.next()?;
    let right = args.next()?;
    let squeeze = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    Some((squeeze(left), squeeze(right)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    /// Two long values that differ near their end: where, and a window of each.
    #[test]
    fn long_values_show_their_first_difference() {
        let a = format!("{}01", "ab".repeat(40));
        let b = format!("{}02", "ab".repeat(40));
        let lines = first_differences(owned(&[
            &format!("    expected (CPython): {a}"),
            &format!("    actual:             {b}"),
        ]));
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert_eq!(
            lines[2],
            "    they first differ at character 82 (expected (CPython) has 82 characters, \
             actual 82):"
        );
        assert!(
            lines[3].ends_with("…bababababababababababab01"),
            "{lines:?}"
        );
        assert!(
            lines[4].ends_with("…bababababababababababab02"),
            "{lines:?}"
        );
    }

    /// Labels that are not two sides of one comparison, or short values: unchanged.
    #[test]
    fn other_lines_are_left_alone() {
        let long = "x".repeat(80);
        let unpaired = owned(&[&format!("input: {long}"), &format!("output: {long}y")]);
        assert_eq!(first_differences(unpaired.clone()), unpaired);
        let short = owned(&["  left: [1, 2]", " right: [2, 1]"]);
        assert_eq!(first_differences(short.clone()), short);
    }

    /// `left`/`right` named by the expressions of the `assert_eq!` at the origin.
    #[test]
    fn the_sides_of_an_assert_eq_are_named() {
        let suite = "fn t() {\n    assert_eq!(\n        k::total(&[1, 2]),\n        4,\n        \"sum\"\n    );\n}\n";
        let mut lines = owned(&["  left: 3", " right: 4"]);
        name_the_sides(&mut lines, "tests/k.rs", suite, "tests/k.rs:2");
        assert_eq!(lines, ["  left: 3  ← k::total(&[1, 2])", " right: 4"]);
    }
}
