//! A kata's hints: the numbered list under "## Hints" in its README.

use anyhow::{Context, Result};

use crate::repo::Kata;

/// The hints in order. Each item runs from its `N. ` to the next item or heading.
pub fn read(kata: &Kata) -> Result<Vec<String>> {
    let path = kata.readme_path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse(&text))
}

fn parse(readme: &str) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    let mut in_hints = false;
    for line in readme.lines() {
        if line.starts_with("## ") {
            in_hints = line
                .trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case("hints");
            continue;
        }
        if !in_hints {
            continue;
        }
        if let Some(item) = numbered_item(line) {
            hints.push(item.to_string());
        } else if let Some(last) = hints.last_mut()
            && !line.trim().is_empty()
        {
            last.push('\n');
            last.push_str(line.trim());
        }
    }
    hints
}

/// `12. text` gives `text`.
fn numbered_item(line: &str) -> Option<&str> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    line[digits..].strip_prefix(". ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbered_items_under_hints_only() {
        let readme = "# k\n1. not a hint\n## Hints\n\n1. First\n   goes on.\n2. Second\n\n## Going further\n3. no\n";
        assert_eq!(parse(readme), vec!["First\ngoes on.", "Second"]);
    }
}
