//! The order failures are shown in, so the first one is the most basic: by function
//! (in the order the kata's source defines them), then by test group (worked examples
//! before properties before stability before complexity bounds).
//!
//! A test's function is the first part of its name that names one of the kata's
//! functions (`insertion_sort::examples::case_1`, `stability::insertion_sort_is_stable`).
//! Its group is the first part of its name found in the kata's `groups` list
//! (`[package.metadata.kata] groups = [...]`), or, when the kata declares none, in the
//! suite's modules in source order. Tests that name no function come after those that
//! do; tests in no group come after those in one; ties keep libtest's order.

use std::path::Path;

use crate::diagnose;
use crate::repo::Kata;
use crate::source;

pub struct Order {
    /// Short names (`push`, not `Stack::push`) in source order, without repeats.
    functions: Vec<String>,
    groups: Vec<String>,
}

impl Order {
    /// The order for `kata`, whose code is under `src_dir`.
    pub fn new(kata: &Kata, src_dir: &Path) -> Order {
        let mut functions: Vec<String> = Vec::new();
        for file in diagnose::rust_files(src_dir) {
            let Some(scan) = std::fs::read_to_string(&file)
                .ok()
                .and_then(|text| source::scan(&text))
            else {
                continue;
            };
            let mut found: Vec<_> = scan.functions.iter().collect();
            found.sort_by_key(|f| f.first_line);
            for f in found {
                let short = f.name.rsplit("::").next().unwrap_or(&f.name).to_string();
                if !functions.contains(&short) {
                    functions.push(short);
                }
            }
        }
        let groups = if kata.groups.is_empty() {
            std::fs::read_to_string(kata.suite_path())
                .map(|text| module_names(&text))
                .unwrap_or_default()
        } else {
            kata.groups.clone()
        };
        Order { functions, groups }
    }

    /// True when the kata's code defines a function of this short name.
    pub fn has_function(&self, name: &str) -> bool {
        self.functions.iter().any(|f| f == name)
    }

    /// The function a test is about (its short name), if its name says.
    pub fn function_of(&self, test: &str) -> Option<&str> {
        self.function_index(test)
            .map(|i| self.functions[i].as_str())
    }

    fn function_index(&self, test: &str) -> Option<usize> {
        test.split("::").find_map(|part| {
            // The longest name that fits: `insertion_sort_by` before `insertion_sort`.
            self.functions
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    part == f.as_str()
                        || part
                            .strip_prefix(f.as_str())
                            .is_some_and(|rest| rest.starts_with('_'))
                })
                .max_by_key(|(_, f)| f.len())
                .map(|(i, _)| i)
        })
    }

    /// The group a test belongs to, if any.
    pub fn group_of(&self, test: &str) -> Option<&str> {
        self.group_index(test).map(|i| self.groups[i].as_str())
    }

    fn group_index(&self, test: &str) -> Option<usize> {
        test.split("::")
            .find_map(|part| self.groups.iter().position(|g| g == part))
    }

    /// Sorts by this key (a stable sort keeps libtest's order among equals).
    pub fn key(&self, test: &str) -> (usize, usize) {
        (
            self.function_index(test).unwrap_or(usize::MAX),
            self.group_index(test).unwrap_or(usize::MAX),
        )
    }
}

/// The names of the `mod` items of a suite, in source order (`mod name {` or `mod name;`).
pub fn module_names(suite: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in suite.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("pub ").unwrap_or(line);
        let Some(rest) = line.strip_prefix("mod ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(functions: &[&str], groups: &[&str]) -> Order {
        Order {
            functions: functions.iter().map(|s| s.to_string()).collect(),
            groups: groups.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_most_basic_failure_comes_first() {
        let order = order(
            &[
                "bubble_sort",
                "bubble_sort_by",
                "insertion_sort",
                "insertion_sort_by",
            ],
            &["examples", "sorts_any_vec", "stability", "comparisons"],
        );
        let mut tests = vec![
            "comparisons::insertion_sort_one_comparison_per_inversion",
            "comparisons::plain_forms_use_ord",
            "insertion_sort::sorts_any_vec",
            "stability::insertion_sort_is_stable",
            "insertion_sort::examples::case_03_two_in_order",
            "stability::bubble_sort_is_stable",
        ];
        tests.sort_by_key(|t| order.key(t));
        assert_eq!(
            tests,
            [
                "stability::bubble_sort_is_stable",
                "insertion_sort::examples::case_03_two_in_order",
                "insertion_sort::sorts_any_vec",
                "stability::insertion_sort_is_stable",
                "comparisons::insertion_sort_one_comparison_per_inversion",
                "comparisons::plain_forms_use_ord",
            ]
        );
        assert_eq!(
            order.function_of("insertion_sort::examples::case_1"),
            Some("insertion_sort")
        );
        assert_eq!(order.function_of("comparisons::plain_forms_use_ord"), None);
    }

    #[test]
    fn modules_in_source_order() {
        let suite =
            "mod support;\nmod examples {\n    mod inner {}\n}\npub mod laws;\n// mod not_code\n";
        assert_eq!(
            module_names(suite),
            ["support", "examples", "inner", "laws"]
        );
    }
}
