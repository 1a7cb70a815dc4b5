//! A quickcheck law that failed, said in words: which law, what it says (the `///`
//! comment above its function), and its arguments, instead of quickcheck's
//! `[quickcheck] TEST FAILED. Arguments: (1)`.

use crate::engine::lang::t;
use crate::engine::source;

/// quickcheck says only `[quickcheck] TEST FAILED. Arguments: (1)`: which law, and
/// what it says (the `///` comment above the test's function, when it has one), are
/// put before it, and the line itself is said in words. Returns the lines to put first.
pub(super) fn law_in_words(
    lines: &mut [String],
    test_name: &str,
    suite: Option<(&str, &str)>,
) -> Vec<String> {
    const FAILED: &str = "[quickcheck] TEST FAILED. Arguments: ";
    const ERRORED: &str = "[quickcheck] TEST FAILED (runtime error). Arguments: ";
    let mut found = false;
    for line in lines.iter_mut() {
        let law = test_name.rsplit("::").next().unwrap_or(test_name);
        if let Some(arguments) = line.strip_prefix(FAILED) {
            *line = t!("diagnose-law-false", law = law, arguments = arguments);
            found = true;
        } else if let Some(arguments) = line.strip_prefix(ERRORED) {
            *line = t!("diagnose-law-error", law = law, arguments = arguments);
            found = true;
        } else if let Some(error) = line.strip_prefix("Error: ")
            && found
        {
            *line = error.to_string();
        }
    }
    if !found {
        return Vec::new();
    }
    suite
        .and_then(|(_, text)| {
            let n = source::test_line(text, test_name)?;
            Some(doc_comment(text, n))
        })
        .unwrap_or_default()
}

/// The `///` lines just above line `n` (1-based) of `text`, past its attributes, as one
/// line each (without the slashes).
fn doc_comment(text: &str, n: usize) -> Vec<String> {
    let above: Vec<&str> = text.lines().take(n.saturating_sub(1)).collect();
    let mut doc: Vec<String> = Vec::new();
    for line in above.iter().rev() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("///") {
            doc.push(rest.trim().to_string());
        } else if !(t.starts_with("#[") || t.is_empty() && doc.is_empty()) {
            break;
        }
    }
    doc.reverse();
    if doc.is_empty() {
        Vec::new()
    } else {
        vec![doc.join(" ")]
    }
}
