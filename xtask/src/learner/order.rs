//! The order failures are shown in, so the first one is the most basic: by test group
//! (worked examples before properties before stability before complexity bounds), then
//! by function (in the order the kata's source defines them), then in the order the
//! suite writes its tests.
//!
//! A test's group is the first part of its name found in the kata's `groups` list
//! (`[package.metadata.kata] groups = [...]`), or, when the kata declares none, in the
//! suite's modules in source order. Group comes first because the kata's author orders
//! groups from the most basic, and a test's name may mention a function that is not
//! its cause: `encoding::encode_appends_newline` fails when `Name::new` refuses a good
//! name, and must not come before `names::valid`, which shows that directly. A test's
//! function is the first part of its name that names one of the kata's functions
//! (`insertion_sort::examples::case_1`, `stability::insertion_sort_is_stable`): within
//! a group, one function's failures stay together. Tests in no group come after those
//! in one; tests that name no function after those that do. Within both, tests come in
//! the order the suite writes them (the last part of a test's name that is a `fn` of
//! the suite: `examples` for `parse::examples::case_05`), since a suite writes its
//! worked examples before its properties; ties keep libtest's order.
//!
//! A test's group path is where the suite puts it: its name without the test's own
//! last part (`requests::parses` for `requests::parses::case_3`: the module `requests`
//! and the module rstest makes of the function `parses`). What `hint` answers for.

use std::path::Path;

use crate::engine::repo::Kata;
use crate::engine::source;

pub struct Order {
    /// Short names (`push`, not `Stack::push`) in source order, without repeats.
    functions: Vec<String>,
    groups: Vec<String>,
    /// The suite's `fn` names in source order, without repeats.
    suite_functions: Vec<String>,
    /// The suite's `mod` names in source order, without repeats.
    suite_modules: Vec<String>,
}

impl Order {
    /// The order for `kata`, whose code is under `src_dir`.
    pub fn new(kata: &Kata, src_dir: &Path) -> Order {
        let mut functions: Vec<String> = Vec::new();
        for file in source::rust_files(src_dir) {
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
        let suite = std::fs::read_to_string(kata.suite_path()).unwrap_or_default();
        let suite_modules = module_names(&suite);
        let groups = if kata.groups.is_empty() {
            suite_modules.clone()
        } else {
            kata.groups.clone()
        };
        Order {
            functions,
            groups,
            suite_functions: item_names(&suite, "fn "),
            suite_modules,
        }
    }

    /// True when the kata's code defines a function of this short name.
    pub fn has_function(&self, name: &str) -> bool {
        self.functions.iter().any(|f| f == name)
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

    fn group_index(&self, test: &str) -> Option<usize> {
        test.split("::")
            .find_map(|part| self.groups.iter().position(|g| g == part))
    }

    /// The kata's group the test belongs to, with its place (0 first) in the groups'
    /// order: the task a grade report files the test under.
    pub fn group_of(&self, test: &str) -> Option<(usize, &str)> {
        self.group_index(test).map(|i| (i, self.groups[i].as_str()))
    }

    /// The test's group path: its name without its last part, the test's own
    /// (`requests::parses` for `requests::parses::case_3`). The parts a test
    /// framework adds for a table's values, which name no `mod` or `fn` of the suite,
    /// are left out too (`parse_mode::b_changes_nothing` for
    /// `parse_mode::b_changes_nothing::letter_1___r__::mode_1`). A test outside every
    /// module is a group of its own: its path is its name.
    pub fn group_path(&self, test: &str) -> String {
        let parts: Vec<&str> = test.split("::").collect();
        let mut path = &parts[..parts.len() - 1];
        while let [rest @ .., last] = path
            && !rest.is_empty()
            && !self.suite_modules.iter().any(|m| m == last)
            && !self.suite_functions.iter().any(|f| f == last)
        {
            path = rest;
        }
        if path.is_empty() {
            test.to_string()
        } else {
            path.join("::")
        }
    }

    /// Where the suite writes the test: the last part of its name that is a `fn` of
    /// the suite (`examples` in `parse::examples::case_05`).
    fn written_at(&self, test: &str) -> Option<usize> {
        test.rsplit("::")
            .find_map(|part| self.suite_functions.iter().position(|f| f == part))
    }

    /// Sorts by this key (a stable sort keeps libtest's order among equals).
    pub fn key(&self, test: &str) -> (usize, usize, usize) {
        (
            self.group_index(test).unwrap_or(usize::MAX),
            self.function_index(test).unwrap_or(usize::MAX),
            self.written_at(test).unwrap_or(usize::MAX),
        )
    }
}

/// The names of the `mod` items of a suite, in source order (`mod name {` or `mod name;`).
pub fn module_names(suite: &str) -> Vec<String> {
    item_names(suite, "mod ")
}

/// The names of the items a line starts with `keyword` (`"mod "`, `"fn "`), in source
/// order, without repeats: a line scan, which also sees the items a macro's body writes
/// (the tests of `proptest!` and of a suite's own `macro_rules!`).
fn item_names(suite: &str, keyword: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in suite.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("pub ").unwrap_or(line);
        let Some(rest) = line.strip_prefix(keyword) else {
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
            suite_functions: Vec::new(),
            suite_modules: Vec::new(),
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
                "insertion_sort::examples::case_03_two_in_order",
                "insertion_sort::sorts_any_vec",
                "stability::bubble_sort_is_stable",
                "stability::insertion_sort_is_stable",
                "comparisons::insertion_sort_one_comparison_per_inversion",
                "comparisons::plain_forms_use_ord",
            ]
        );
    }

    #[test]
    fn a_name_that_mentions_a_function_does_not_jump_ahead_of_an_earlier_group() {
        // chat_protocol: a `Name::new` that refuses "小明" fails `encoding`'s test too,
        // whose name mentions `encode`; the worked example of names must come first.
        let order = order(&["new", "encode"], &["names", "encoding"]);
        let mut tests = vec![
            "encoding::encode_appends_newline",
            "names::valid::case_3_chinese",
        ];
        tests.sort_by_key(|t| order.key(t));
        assert_eq!(
            tests,
            [
                "names::valid::case_3_chinese",
                "encoding::encode_appends_newline"
            ]
        );
    }

    #[test]
    fn within_a_group_the_suites_order() {
        let suite = "mod parse {\n    #[rstest]\n    fn examples(text: &str) {}\n\n    \
                     #[test]\n    fn any_whitespace_between_tokens() {}\n    proptest! {\n        \
                     #[test]\n        fn skips_exactly_the_whitespace(x in 0..1) {}\n    }\n}\n";
        let order = Order {
            suite_functions: item_names(suite, "fn "),
            ..order(
                &["parse"],
                &module_names(suite)
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            )
        };
        let mut tests = vec![
            "parse::any_whitespace_between_tokens",
            "parse::skips_exactly_the_whitespace",
            "parse::examples::case_05_trailing_comma",
        ];
        tests.sort_by_key(|t| order.key(t));
        assert_eq!(
            tests,
            [
                "parse::examples::case_05_trailing_comma",
                "parse::any_whitespace_between_tokens",
                "parse::skips_exactly_the_whitespace",
            ]
        );
    }

    #[test]
    fn a_tests_group_is_where_the_suite_puts_it() {
        let suite = "mod parse_mode {\n    #[rstest]\n    fn b_changes_nothing(#[values] x: u8) {}\n}\n\
                     mod requests {\n    fn parses() {}\n}\n#[test]\nfn alone() {}\n\
                     macro_rules! sorts {\n    ($name:ident) => {\n        mod $name {\n            \
                     fn examples() {}\n        }\n    };\n}\n";
        let order = Order {
            suite_functions: item_names(suite, "fn "),
            suite_modules: module_names(suite),
            ..order(&[], &[])
        };
        assert_eq!(
            order.group_path("requests::parses::case_3"),
            "requests::parses"
        );
        assert_eq!(order.group_path("requests::round_trip"), "requests");
        assert_eq!(
            order.group_path("parse_mode::b_changes_nothing::letter_1___r__::mode_2"),
            "parse_mode::b_changes_nothing"
        );
        // A module a macro writes (`mod $name`) is still the first part.
        assert_eq!(
            order.group_path("bubble_sort::examples::case_1"),
            "bubble_sort::examples"
        );
        assert_eq!(order.group_path("alone"), "alone");
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
