//! Reading a learner's Rust source with a real tokenizer (`proc-macro2`, without its
//! proc-macro feature: a plain library, about 2 s of a cold build against 10 s for
//! `syn` with its full parser, measured on this project's 2 cores). Comments are not
//! tokens and string literals are single tokens, so text such as
//! `// I replaced the todo!() here` or `"todo!()"` is never taken for code.
//!
//! Two things are read: where functions are and where `todo!()` is called (to point a
//! learner at what is left), and what the code reaches for beyond computing (process
//! exit, the command line, files, sockets, `unsafe`, `extern` blocks, `include_bytes!`),
//! which `grade` flags (issue 9, case 15). And which `.rs` files a folder holds.

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// A function and the lines its body spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// `push`, or `Stack::push` inside an `impl` or `trait` block.
    pub name: String,
    pub first_line: usize,
    pub last_line: usize,
}

/// What a source file holds that the runner cares about.
#[derive(Debug, Default)]
pub struct Scan {
    pub functions: Vec<Function>,
    /// `todo!()` calls: (line, the function around it).
    pub todos: Vec<(usize, String)>,
    /// Reaches beyond computing.
    pub reaches: Vec<Reach>,
}

/// One place where code reaches for the harness or the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// What kind: `process`, `env`, `fs`, `net`, `os`, `unsafe`, `extern`, `include`,
    /// `link`, `asm`, `hides`. A kata's `uses` names the kinds its task needs.
    pub kind: &'static str,
    /// What was written, e.g. `std::process` or `include_bytes!`.
    pub what: String,
    pub line: usize,
}

/// Scans a source file; `None` when it does not tokenize (unbalanced brackets, a
/// stray quote), which a crate that compiled never has.
pub fn scan(text: &str) -> Option<Scan> {
    let tokens: TokenStream = text.parse().ok()?;
    let mut scan = Scan::default();
    walk(tokens, None, None, &mut scan);
    Some(scan)
}

fn line(span: Span) -> usize {
    span.start().line
}

/// Walks a token stream. `owner` is the type of the `impl` or `trait` block around
/// it; `function` the function whose body it is.
fn walk(tokens: TokenStream, owner: Option<&str>, function: Option<&str>, scan: &mut Scan) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        match token {
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                let next = tokens.get(i + 1);
                let is_macro = matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == '!');
                match word.as_str() {
                    "fn" => {
                        if let Some(TokenTree::Ident(name)) = next
                            && let Some(body) = next_brace(&tokens, i + 2)
                        {
                            let name = match owner {
                                Some(owner) => format!("{owner}::{name}"),
                                None => name.to_string(),
                            };
                            let TokenTree::Group(group) = &tokens[body] else {
                                unreachable!("next_brace gives a group")
                            };
                            scan.functions.push(Function {
                                name: name.clone(),
                                first_line: line(ident.span()),
                                last_line: group.span_close().end().line,
                            });
                            walk_between(&tokens[i + 2..body], owner, function, scan);
                            walk(group.stream(), owner, Some(&name), scan);
                            i = body + 1;
                            continue;
                        }
                    }
                    "impl" | "trait" => {
                        if let Some(body) = next_brace(&tokens, i + 1) {
                            let header = &tokens[i + 1..body];
                            let name = if word == "impl" {
                                impl_type(header)
                            } else {
                                header.iter().find_map(|t| match t {
                                    TokenTree::Ident(n) => Some(n.to_string()),
                                    _ => None,
                                })
                            };
                            let TokenTree::Group(group) = &tokens[body] else {
                                unreachable!("next_brace gives a group")
                            };
                            walk_between(header, owner, function, scan);
                            walk(group.stream(), name.as_deref().or(owner), function, scan);
                            i = body + 1;
                            continue;
                        }
                    }
                    "todo" if is_macro => {
                        scan.todos.push((
                            line(ident.span()),
                            function.unwrap_or("a function").to_string(),
                        ));
                    }
                    "unsafe" => reach(scan, "unsafe", "unsafe", ident.span()),
                    "extern" => {
                        let what = match next {
                            Some(TokenTree::Ident(n)) if n == "crate" => "extern crate",
                            _ => "extern block or function",
                        };
                        reach(scan, "extern", what, ident.span());
                    }
                    "include_bytes" | "include_str" | "include" if is_macro => {
                        reach(scan, "include", &format!("{word}!"), ident.span());
                    }
                    "env" | "option_env" if is_macro => {
                        reach(scan, "env", &format!("{word}!"), ident.span());
                    }
                    "asm" | "global_asm" | "naked_asm" if is_macro => {
                        reach(scan, "asm", &format!("{word}!"), ident.span());
                    }
                    // `cfg(clippy)`, `cfg(not(clippy))`, `cfg!(clippy)`: code the
                    // compiler's check (clippy, see `grade`) would not see, or would see
                    // instead of what runs. A lint's name (`clippy::...`) is fine.
                    "clippy" if !is_path_sep(&tokens, i + 1) => {
                        reach(scan, "hides", "`clippy` as a condition", ident.span());
                    }
                    "std" | "core" | "alloc" if is_path_sep(&tokens, i + 1) => {
                        for module in path_modules(&tokens, i + 3) {
                            if let Some(kind) = module_kind(&module) {
                                reach(scan, kind, &format!("{word}::{module}"), ident.span());
                            }
                        }
                    }
                    _ => {}
                }
            }
            TokenTree::Punct(p) if p.as_char() == '#' => {
                // An attribute: `#[no_mangle]`, `#[unsafe(export_name = "..")]`,
                // `#[link(...)]`, `#[path = "..."]`.
                let bracket = match tokens.get(i + 1) {
                    Some(TokenTree::Punct(bang)) if bang.as_char() == '!' => tokens.get(i + 2),
                    other => other,
                };
                if let Some(TokenTree::Group(group)) = bracket
                    && group.delimiter() == Delimiter::Bracket
                {
                    // `#[$name = $file]` in a macro: the attribute's name arrives as an
                    // argument (`path`, say), which no scan of this text can read.
                    if let Some(TokenTree::Punct(dollar)) = group.stream().into_iter().next()
                        && dollar.as_char() == '$'
                    {
                        reach(
                            scan,
                            "include",
                            "#[$…] (an attribute named by a macro's argument, #[path] say)",
                            p.span(),
                        );
                    }
                    for word in attribute_words(group.stream()) {
                        match word.as_str() {
                            "no_mangle" | "export_name" | "link_section" | "link" | "used" => {
                                reach(scan, "link", &format!("#[{word}]"), p.span());
                            }
                            "path" => reach(scan, "include", "#[path]", p.span()),
                            _ => {}
                        }
                    }
                }
            }
            // `$name!(...)` in a macro: the macro called is an argument (`include`, say).
            TokenTree::Punct(p)
                if p.as_char() == '$'
                    && matches!(tokens.get(i + 1), Some(TokenTree::Ident(_)))
                    && matches!(tokens.get(i + 2), Some(TokenTree::Punct(b)) if b.as_char() == '!') =>
            {
                reach(
                    scan,
                    "include",
                    "$…! (a macro named by a macro's argument, include! say)",
                    p.span(),
                );
            }
            TokenTree::Group(group) => walk(group.stream(), owner, function, scan),
            _ => {}
        }
        i += 1;
    }
}

/// Walks a slice of tokens (a function's signature, an impl's header).
fn walk_between(
    tokens: &[TokenTree],
    owner: Option<&str>,
    function: Option<&str>,
    scan: &mut Scan,
) {
    walk(tokens.iter().cloned().collect(), owner, function, scan);
}

fn reach(scan: &mut Scan, kind: &'static str, what: &str, span: Span) {
    scan.reaches.push(Reach {
        kind,
        what: what.to_string(),
        line: line(span),
    });
}

/// The index of the first `{...}` group at or after `from`, before any `;` (a
/// function without a body, `fn f();`, has none).
fn next_brace(tokens: &[TokenTree], from: usize) -> Option<usize> {
    for (i, token) in tokens.iter().enumerate().skip(from) {
        match token {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return Some(i),
            TokenTree::Punct(p) if p.as_char() == ';' => return None,
            _ => {}
        }
    }
    None
}

/// `::` at `at`.
fn is_path_sep(tokens: &[TokenTree], at: usize) -> bool {
    matches!((tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

/// The module names right after `std::`: `process` in `std::process::exit`, or each
/// first name in `std::{fs::File, process}`.
fn path_modules(tokens: &[TokenTree], at: usize) -> Vec<String> {
    match tokens.get(at) {
        Some(TokenTree::Ident(name)) => vec![name.to_string()],
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
            let inner: Vec<TokenTree> = group.stream().into_iter().collect();
            let mut names = Vec::new();
            let mut first = true;
            for token in &inner {
                match token {
                    TokenTree::Ident(name) if first => {
                        names.push(name.to_string());
                        first = false;
                    }
                    TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                    _ => first = false,
                }
            }
            names
        }
        _ => Vec::new(),
    }
}

/// What reaching for a module of the standard library means.
fn module_kind(module: &str) -> Option<&'static str> {
    Some(match module {
        "process" => "process",
        "env" => "env",
        "fs" => "fs",
        "net" => "net",
        "os" => "os",
        _ => return None,
    })
}

/// The words of an attribute at its top level and inside `unsafe(...)`.
fn attribute_words(stream: TokenStream) -> Vec<String> {
    let mut words = Vec::new();
    for token in stream {
        match token {
            TokenTree::Ident(ident) => words.push(ident.to_string()),
            TokenTree::Group(group)
                if group.delimiter() == Delimiter::Parenthesis
                    && words.last().is_some_and(|w| w == "unsafe") =>
            {
                words.extend(attribute_words(group.stream()));
            }
            _ => {}
        }
    }
    words
}

/// The type an `impl` header names: `Stack` in `impl<T: Ord> Stack<T>`, `List` in
/// `impl<T> fmt::Debug for List<T> where T: Clone`.
fn impl_type(header: &[TokenTree]) -> Option<String> {
    // Top-level tokens only: `<...>` is not a group, so count its depth by hand.
    let mut depth = 0i32;
    let mut top: Vec<&TokenTree> = Vec::new();
    for token in header {
        if let TokenTree::Punct(p) = token {
            match p.as_char() {
                '<' => {
                    depth += 1;
                    continue;
                }
                '>' => {
                    depth -= 1;
                    continue;
                }
                _ => {}
            }
        }
        if depth == 0 {
            top.push(token);
        }
    }
    let mut ty = &top[..];
    if let Some(pos) = ty
        .iter()
        .position(|t| matches!(t, TokenTree::Ident(i) if i == "for"))
    {
        ty = &ty[pos + 1..];
    }
    if let Some(pos) = ty
        .iter()
        .position(|t| matches!(t, TokenTree::Ident(i) if i == "where"))
    {
        ty = &ty[..pos];
    }
    ty.iter().rev().find_map(|t| match t {
        TokenTree::Ident(i) if i != "dyn" && i != "mut" => Some(i.to_string()),
        _ => None,
    })
}

/// The line of the function a test's full name points to in its suite (`tests/<kata>.rs`),
/// found module by module, so that `patch::bad_input::case_5` is the `fn bad_input`
/// inside `mod patch`, not the first `fn bad_input` of the file. The parts after the
/// function are rstest's (`case_5`, `letter_1_r`); a test inside `proptest! { ... }`
/// (or any macro call) is found there. A module that a `macro_rules!` of the suite
/// writes (`sort_suite!(bubble_sort, ..)` makes `mod bubble_sort`) is not in the text:
/// from the deepest module found, the innermost part of the name that is a function
/// anywhere below it (in the macro's body) is taken instead. `None` when nothing fits or
/// the text does not tokenize.
pub fn test_line(text: &str, test_name: &str) -> Option<usize> {
    let tokens: TokenStream = text.parse().ok()?;
    let mut scope: Vec<TokenTree> = tokens.into_iter().collect();
    let mut parts: Vec<&str> = test_name.split("::").collect();
    parts.reverse();
    while let Some(part) = parts.pop() {
        if let Some(body) = find_in_module(&scope, "mod", part) {
            let TokenTree::Group(group) = body else {
                unreachable!("a module's body is a group")
            };
            scope = group.stream().into_iter().collect();
            continue;
        }
        if let Some(TokenTree::Ident(name)) = find_in_module(&scope, "fn", part) {
            return Some(line(name.span()));
        }
        parts.push(part);
        break;
    }
    // The rest of the name is not in the text as modules: a macro wrote them.
    parts.iter().find_map(|part| fn_anywhere(&scope, part))
}

/// In the items of one module (`tokens`), looking inside macro calls and other groups
/// but not into functions' bodies or other modules: for `keyword` `mod`, the body of
/// `mod name { .. }`; for `fn`, the name's token of `fn name`.
fn find_in_module(tokens: &[TokenTree], keyword: &str, name: &str) -> Option<TokenTree> {
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(word) if word == "fn" || word == "mod" => {
                if let Some(TokenTree::Ident(found)) = tokens.get(i + 1) {
                    let body = next_brace(tokens, i + 2);
                    if word == keyword && found == name {
                        return match keyword {
                            "fn" => Some(tokens[i + 1].clone()),
                            _ => body.map(|b| tokens[b].clone()),
                        };
                    }
                    if let Some(body) = body {
                        i = body + 1;
                        continue;
                    }
                }
            }
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                if let Some(found) = find_in_module(&inner, keyword, name) {
                    return Some(found);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The line of the first `fn name` anywhere in `tokens`, at any depth.
fn fn_anywhere(tokens: &[TokenTree], name: &str) -> Option<usize> {
    tokens
        .iter()
        .enumerate()
        .find_map(|(i, token)| match token {
            TokenTree::Ident(word) if word == "fn" => match tokens.get(i + 1) {
                Some(TokenTree::Ident(found)) if found == name => Some(line(found.span())),
                _ => None,
            },
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                fn_anywhere(&inner, name)
            }
            _ => None,
        })
}

/// The innermost function whose lines hold `line`.
pub fn function_at(scan: &Scan, line: usize) -> Option<&Function> {
    scan.functions
        .iter()
        .filter(|f| f.first_line <= line && line <= f.last_line)
        .min_by_key(|f| f.last_line - f.first_line)
}

/// The `.rs` files under `dir`, sorted (folders deeper than 16 are not looked into).
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), 0)];
    while let Some((dir, depth)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                if depth < 16 {
                    pending.push((path, depth + 1));
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
// I replaced the todo!() here
/// Doc: todo!() is not code either.
pub fn free(x: u8) -> u8 {
    let s = "todo!(\"quoted\")";
    todo!("free {x} {s}")
}

impl<T: Ord> Stack<T> {
    pub fn push(&mut self, x: T) {
        /* todo!() in a block comment */
        todo!()
    }
}

impl<T> std::fmt::Debug for List<T> where T: Clone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}
"#;

    #[test]
    fn finds_todo_calls_and_not_comments_or_strings() {
        let scan = scan(SOURCE).unwrap();
        assert_eq!(
            scan.todos,
            vec![(6, "free".to_string()), (12, "Stack::push".to_string())]
        );
        assert_eq!(function_at(&scan, 18).unwrap().name, "List::fmt");
        assert_eq!(function_at(&scan, 5).unwrap().name, "free");
        assert!(function_at(&scan, 9).is_none());
    }

    /// Test names repeat across modules (`bad_input` in every function's module): each
    /// is found in its own module.
    #[test]
    fn finds_a_test_by_its_module_path() {
        let suite = r#"
mod copy {
    use super::*;

    #[test]
    fn bad_input() {}
}

/// fn bad_input() in a doc comment is not a function
mod patch {
    fn helper() {
        fn bad_input() {}
    }

    #[rstest]
    #[case::far_away(1000)]
    fn bad_input(#[case] offset: u64) {}

    proptest! {
        #[test]
        fn model(data in any::<u8>()) {}
    }

    mod inner {
        fn model() {}
    }
}

macro_rules! sort_suite {
    ($name:ident) => {
        mod $name {
            #[rstest]
            fn examples() {}
        }
    };
}
sort_suite!(bubble_sort);
"#;
        assert_eq!(test_line(suite, "copy::bad_input"), Some(6));
        assert_eq!(
            test_line(suite, "patch::bad_input::case_1_far_away"),
            Some(17)
        );
        assert_eq!(test_line(suite, "patch::model"), Some(21));
        assert_eq!(test_line(suite, "patch::inner::model"), Some(25));
        // A module the suite's macro writes: the function in the macro's body.
        assert_eq!(test_line(suite, "bubble_sort::examples::case_1"), Some(33));
        assert_eq!(test_line(suite, "nowhere::at_all"), None);
        assert_eq!(test_line(suite, "patch::nowhere"), None);
    }

    #[test]
    fn finds_reaches_beyond_computing() {
        let source = r#"
use std::{fs::File, process};
use std::io::Write;
// std::process::exit(0) in a comment is nothing
fn f() {
    let args: Vec<String> = std::env::args().collect();
    std::process::exit(0);
    let _ = include_bytes!("../../tests/sort.rs");
    unsafe { core::hint::unreachable_unchecked() }
}
unsafe extern "C" { fn abort(); }
#[unsafe(no_mangle)]
pub fn main() {}
#[allow(clippy::needless_range_loop)]
#[cfg(not(clippy))]
fn g() {}
"#;
        let scan = scan(source).unwrap();
        let found: Vec<(&str, usize)> = scan.reaches.iter().map(|r| (r.kind, r.line)).collect();
        assert_eq!(
            found,
            vec![
                ("fs", 2),
                ("process", 2),
                ("env", 6),
                ("process", 7),
                ("include", 8),
                ("unsafe", 9),
                ("unsafe", 11),
                ("extern", 11),
                ("link", 12),
                ("unsafe", 12),
                ("hides", 15),
            ]
        );
    }

    /// A macro that takes the attribute's name or the macro to call as an argument
    /// hides `#[path]` and `include!` from a scan of the text: the instructor's
    /// reference pulled in at compile time (found by a newcomer: it scored 100 %).
    #[test]
    fn finds_what_a_macro_names_by_its_arguments() {
        let source = r#"
macro_rules! grab { ($a:ident, $p:literal) => { #[$a = $p] mod r; }; }
grab!(path, "/elsewhere/solutions/search/src/lib.rs");
macro_rules! call { ($m:ident, $p:literal) => { $m!($p) }; }
macro_rules! fine { ($x:expr) => { vec![$x] }; }
"#;
        let scan = scan(source).unwrap();
        let found: Vec<(&str, usize)> = scan.reaches.iter().map(|r| (r.kind, r.line)).collect();
        assert_eq!(found, vec![("include", 2), ("include", 4)]);
    }
}
