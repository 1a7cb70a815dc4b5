//! The suite of the bitree_text kata (二叉树的嵌套列表表示). It grades both
//! `exercises/bitree_text` (your code) and `solutions/bitree_text` (the reference): both
//! crates name this file as their test.
//!
//! Test names follow `exercises/bitree_text/README.md`, "What the tests check": one
//! module for `render` and one for `parse`, so a failure names the function and the
//! property that broke.
//!
//! The tree type is the kata's given `src/tree.rs`. The suite builds trees with its
//! builders and walks them itself through the public fields (`root`, `value`, `left`,
//! `right`); its `model_*` helpers recurse, so they are only used on small trees.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

use std::fmt::Debug;

use bitree_text::{BiTree, MAX_DEPTH, ParseError, ParseErrorKind, RenderError};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------
// Building small trees by hand (only the given builders, no learner code).
// ---------------------------------------------------------------------------------

fn n<T>(value: T, left: BiTree<T>, right: BiTree<T>) -> BiTree<T> {
    BiTree::node(value, left, right)
}

fn l<T>(value: T) -> BiTree<T> {
    BiTree::leaf(value)
}

fn e<T>() -> BiTree<T> {
    BiTree::empty()
}

/// The course's tree: A has the leaf B on its left and C on its right; C has D (with
/// leaves F, G) and E (with leaves H, I).
fn course_tree() -> BiTree<char> {
    n(
        'A',
        l('B'),
        n('C', n('D', l('F'), l('G')), n('E', l('H'), l('I'))),
    )
}

/// The same tree as text, laid out the way the course lays it out (one node's children
/// under it, a comma after the last child).
const COURSE_TEXT: &str = "\
['A', ['B', None, None
      ],
      ['C', ['D', ['F', None, None],
                  ['G', None, None],
            ],
            ['E', ['H', None, None],
                  ['I', None, None],
            ],
      ]
]";

/// The course's tree on one line, as `render` must write it.
const COURSE_LINE: &str = "['A', ['B', None, None], ['C', ['D', ['F', None, None], ['G', None, None]], ['E', ['H', None, None], ['I', None, None]]]]";

// ---------------------------------------------------------------------------------
// The suite's own walk (recursive, for small trees only).
// ---------------------------------------------------------------------------------

fn model_preorder<T>(tree: &BiTree<T>) -> Vec<&T> {
    match &tree.root {
        None => vec![],
        Some(node) => {
            let mut out = vec![&node.value];
            out.extend(model_preorder(&node.left));
            out.extend(model_preorder(&node.right));
            out
        }
    }
}

/// The tree with the same shape, whose values in preorder are taken from `labels`.
fn relabel<T, U>(tree: &BiTree<T>, labels: &mut impl Iterator<Item = U>) -> BiTree<U> {
    match &tree.root {
        None => e(),
        Some(node) => {
            let value = labels.next().expect("enough labels");
            let left = relabel(&node.left, labels);
            let right = relabel(&node.right, labels);
            n(value, left, right)
        }
    }
}

// ---------------------------------------------------------------------------------
// Strategies (proptest).
// ---------------------------------------------------------------------------------

/// Random trees of up to 9 levels and about 64 nodes, empty subtrees included.
fn tree_of<S>(value: S) -> BoxedStrategy<BiTree<S::Value>>
where
    S: Strategy + Clone + 'static,
    S::Value: Clone + Debug + 'static,
{
    let base = prop_oneof![
        1 => Just(e()),
        2 => value.clone().prop_map(l),
    ];
    base.prop_recursive(8, 64, 2, move |inner| {
        (value.clone(), inner.clone(), inner).prop_map(|(v, left, right)| n(v, left, right))
    })
    .boxed()
}

/// A value of any kind: mostly the characters the nested form gives a meaning to
/// (quotes, backslashes, brackets, commas, `None`), now and then any string at all.
fn any_value() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        3 => "[ab ,\\[\\]\"\\\\N二]{0,4}",
        2 => "(None|[ab'\"\\\\]){0,3}",
        1 => any::<String>(),
    ]
}

/// Random non-empty trees.
fn non_empty_tree() -> impl Strategy<Value = BiTree<u8>> {
    tree_of(any::<u8>()).prop_filter("a non-empty tree", |t| !t.is_empty())
}

/// Runs `f` on a thread whose stack holds `bytes`, and passes on its panic, if any. With
/// a fixed stack, whether deep recursion overflows does not depend on the environment
/// (`RUST_MIN_STACK`). A crash with "stack overflow" in a test that uses this means the
/// code under test recurses once per level of the tree or of the text.
fn on_stack<R: Send>(bytes: usize, f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name(format!("a deep tree on a {} KiB stack", bytes / 1024))
            .stack_size(bytes)
            .spawn_scoped(scope, f)
            .expect("the test could not start a thread");
        thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

// ---------------------------------------------------------------------------------
// The given tree type (src/tree.rs): what the rest of the suite relies on.
// ---------------------------------------------------------------------------------

mod given {
    use super::*;

    #[test]
    fn is_empty_tells_the_empty_tree() {
        assert!(
            e::<char>().is_empty(),
            "{}",
            say!(
                "BiTree::empty().is_empty() must be true",
                "BiTree::empty().is_empty() 必须为 true"
            )
        );
        assert!(
            !l('A').is_empty() && !n('A', e(), l('B')).is_empty(),
            "{}",
            say!("a tree with a node is not empty", "有节点的树不是空树")
        );
    }

    /// `{:?}` is the course's nested form, values as `{:?}` shows them: what every
    /// failure message of this suite prints.
    #[test]
    fn debug_is_the_nested_form() {
        assert_eq!(format!("{:?}", e::<char>()), "None");
        assert_eq!(
            format!("{:?}", n('A', l('B'), e())),
            "['A', ['B', None, None], None]"
        );
    }

    /// Dropping a tree as deep as a 100,000-node list, on a small stack: the given
    /// `Drop` takes it apart with a stack of its own, where the compiler's drop would
    /// recurse once per level.
    #[test]
    fn dropping_a_deep_tree_does_not_overflow() {
        on_stack(512 * 1024, || {
            let mut tree = e();
            for k in 0..100_000u32 {
                tree = if k % 2 == 0 {
                    n(k, tree, e())
                } else {
                    n(k, e(), tree)
                };
            }
            drop(tree);
        });
    }
}

// ---------------------------------------------------------------------------------
// The course's tree, as the snapshot file records it.
// ---------------------------------------------------------------------------------

mod course_tree {
    use super::*;

    #[test]
    fn render() {
        let text = course_tree()
            .render()
            .expect(&say!("the course's tree renders", "课程里的树可以写出"));
        insta::assert_snapshot!("render", text);
    }
}

// ---------------------------------------------------------------------------------
// render and parse: the course's nested-list text.
// ---------------------------------------------------------------------------------

mod render {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::empty(e(), "None")]
    #[case::one_node(l('A'), "['A', None, None]")]
    #[case::left_child(n('A', l('B'), e()), "['A', ['B', None, None], None]")]
    #[case::right_child(n('A', e(), l('B')), "['A', None, ['B', None, None]]")]
    #[case::double_quote(l('"'), "['\"', None, None]")]
    #[case::backslash(l('\\'), "['\\', None, None]")]
    #[case::course(course_tree(), COURSE_LINE)]
    fn examples(#[case] tree: BiTree<char>, #[case] expected: &str) {
        assert_eq!(
            tree.render(),
            Ok(expected.to_string()),
            "{}",
            say!(
                "render of {tree:?}: one line, each value in single quotes, parts separated by \", \"",
                "{tree:?} 的 render：写在一行里，每个值放在单引号中，各部分之间用 \", \" 隔开"
            )
        );
    }

    #[test]
    fn uses_display() {
        let tree = n(10, l(-2), e());
        assert_eq!(
            tree.render(),
            Ok("['10', ['-2', None, None], None]".to_string()),
            "{}",
            say!(
                "render of {tree:?}: each value goes between single quotes, as Display shows it",
                "{tree:?} 的 render：每个值按 Display 的样子放在单引号中"
            )
        );
        let tree = n("二叉树".to_string(), e(), l(String::new()));
        assert_eq!(
            tree.render(),
            Ok("['二叉树', None, ['', None, None]]".to_string()),
            "{}",
            say!(
                "render of {tree:?}: a Chinese value and an empty one, between single quotes",
                "{tree:?} 的 render：中文的值和空的值也都放在单引号中"
            )
        );
    }

    /// No escapes: a backslash is written as it is, wherever it stands.
    #[rstest]
    #[case::trailing(l(r"a\".to_string()), r"['a\', None, None]")]
    #[case::doubled(l(r"\\".to_string()), r"['\\', None, None]")]
    #[case::before_a_letter(n(r"C:\new".to_string(), l(r"\t".to_string()), e()), r"['C:\new', ['\t', None, None], None]")]
    #[case::before_a_double_quote(l(r#"\""#.to_string()), r#"['\"', None, None]"#)]
    fn backslashes_are_written_as_they_are(#[case] tree: BiTree<String>, #[case] expected: &str) {
        assert_eq!(
            tree.render(),
            Ok(expected.to_string()),
            "{}",
            say!(
                "render of {tree:?}: the nested form has no escapes, so each backslash is \
                 written as it is (never doubled, never dropped)",
                "{tree:?} 的 render：嵌套列表的写法没有转义，所以每个反斜杠都原样写出（不加倍，也不丢掉）"
            )
        );
    }

    /// A value holding a `'` cannot be written between single quotes: the tree is
    /// refused, with the first such value in preorder (root, left, right).
    #[rstest]
    #[case::alone(l("it's".to_string()), "it's")]
    #[case::only_a_quote(l("'".to_string()), "'")]
    #[case::the_root_first(n("a'".to_string(), l("b'".to_string()), e()), "a'")]
    #[case::left_before_right(n("ok".to_string(), l("l'".to_string()), l("r'".to_string())), "l'")]
    #[case::deep_on_the_right(n("a".to_string(), l("b".to_string()), n("c".to_string(), e(), l(r"\'".to_string()))), r"\'")]
    #[case::with_double_quotes_too(l("\"it's\"".to_string()), "\"it's\"")]
    fn refuses_a_single_quote(#[case] tree: BiTree<String>, #[case] value: &str) {
        assert_eq!(
            tree.render(),
            Err(RenderError {
                value: value.to_string()
            }),
            "{}",
            say!(
                "render of {tree:?}: the value {value:?} holds a ', which no single-quoted text \
                 can give back (a value ends at the next ', and there are no escapes), so the \
                 tree is refused, naming the first such value in preorder; not written between \
                 double quotes, not escaped",
                "{tree:?} 的 render：值 {value:?} 里有一个 '，任何单引号括起来的文本都还原不出它\
                 （值在下一个 ' 处结束，而且没有转义），所以整棵树被拒绝，并指出先序中第一个这样的值；\
                 不能改用双引号，也不能转义"
            )
        );
    }

    #[test]
    fn refused_by_display_too() {
        let tree = n('A', l('\''), e());
        assert_eq!(
            tree.render(),
            Err(RenderError {
                value: "'".to_string()
            }),
            "{}",
            say!(
                "render of {tree:?}: the value is checked as Display shows it",
                "{tree:?} 的 render：按 Display 显示出来的样子检查值"
            )
        );
        assert_eq!(
            RenderError {
                value: "it's".to_string()
            }
            .to_string(),
            "the value \"it's\" holds a ', which cannot stand between single quotes"
        );
    }
}

mod parse {
    use super::*;
    use quickcheck_macros::quickcheck;
    use rstest::rstest;

    fn strings(tree: &BiTree<char>) -> BiTree<String> {
        let labels: Vec<String> = model_preorder(tree).iter().map(|c| c.to_string()).collect();
        relabel(tree, &mut labels.into_iter())
    }

    #[rstest]
    #[case::none("None", e())]
    #[case::none_with_spaces("  None\n", e())]
    #[case::one_node("['A', None, None]", l("A".to_string()))]
    #[case::no_spaces("['A',None,None]", l("A".to_string()))]
    #[case::trailing_comma("['A', None, None,]", l("A".to_string()))]
    #[case::spaces_everywhere(" [ 'A' , None , None , ] ", l("A".to_string()))]
    #[case::tabs_and_newlines("\t[\n'A'\r\n,None,\tNone\n]\n", l("A".to_string()))]
    #[case::ideographic_space("\u{3000}['A',\u{3000}None, None]\u{3000}", l("A".to_string()))]
    #[case::line_break_in_value("['a\nb', None, None]", l("a\nb".to_string()))]
    #[case::double_quotes("[\"A\", None, None]", l("A".to_string()))]
    #[case::quote_inside_other_quotes("[\"it's\", None, ['\"', None, None]]", n("it's".to_string(), e(), l("\"".to_string())))]
    // No escapes: a backslash is an ordinary character, also just before a quote.
    #[case::backslash_before_the_quote(r"['a\', None, None]", l(r"a\".to_string()))]
    #[case::two_backslashes(r"['\\', None, None]", l(r"\\".to_string()))]
    #[case::backslash_letters(r"['\n\t', None, ['C:\x', None, None]]", n(r"\n\t".to_string(), e(), l(r"C:\x".to_string())))]
    #[case::backslash_in_double_quotes(r#"["a\", None, None]"#, l(r"a\".to_string()))]
    #[case::empty_value("['', None, None]", l(String::new()))]
    #[case::long_and_spaced_value("[' a b ', None, None]", l(" a b ".to_string()))]
    #[case::chinese("['根', ['左', None, None], ['右', None, None]]", n("根".to_string(), l("左".to_string()), l("右".to_string())))]
    #[case::course_line(COURSE_LINE, strings(&course_tree()))]
    #[case::course_layout(COURSE_TEXT, strings(&course_tree()))]
    fn examples(#[case] text: &str, #[case] expected: BiTree<String>) {
        assert_eq!(
            bitree_text::parse(text),
            Ok(expected),
            "{}",
            say!(
                "parse({text:?}) must give the tree on the right",
                "parse({text:?}) 必须得到 right 那棵树"
            )
        );
    }

    /// Every char for which `char::is_whitespace` is true, found by asking it about
    /// every char there is: the grammar's own definition of whitespace, not a list of
    /// examples (it holds spaces, line breaks, U+00A0, U+000C, U+2003, U+3000, ...).
    fn all_whitespace() -> Vec<char> {
        (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect()
    }

    /// The tokens of `['A', ['B', None, None], None,]`, to put whitespace between.
    const TOKENS: [&str; 15] = [
        "[", "'A'", ",", "[", "'B'", ",", "None", ",", "None", "]", ",", "None", ",", "]", "",
    ];

    fn tokens_tree() -> BiTree<String> {
        n("A".to_string(), l("B".to_string()), e())
    }

    /// Each whitespace char, alone, before the tree, between every two tokens and after
    /// the tree: skipped everywhere.
    #[test]
    fn any_whitespace_between_tokens() {
        let whitespace = all_whitespace();
        assert!(
            whitespace.len() > 20,
            "{}",
            say!(
                "the suite found too few whitespace chars",
                "测试找到的空白字符太少"
            )
        );
        for c in whitespace {
            let text = format!("{c}{}", TOKENS.join(&c.to_string()));
            assert_eq!(
                bitree_text::parse(&text),
                Ok(tokens_tree()),
                "{}",
                say!(
                    "parse({text:?}): {c:?} (U+{:04X}) is whitespace (char::is_whitespace), \
                     which may stand between any two tokens and around the tree",
                    "parse({text:?})：{c:?}（U+{:04X}）是空白字符（char::is_whitespace），\
                     可以出现在任意两个记号之间以及整棵树的前后",
                    c as u32
                )
            );
        }
    }

    /// A char that may never start a token here, whitespace or not.
    fn filler() -> impl Strategy<Value = char> {
        prop_oneof![
            prop::sample::select(all_whitespace()),
            any::<char>().prop_filter("not a token's first char", |c| !"[],'\"N".contains(*c)),
        ]
    }

    proptest! {
        /// Random chars between the tokens: the text parses exactly when every one of
        /// them is whitespace, and otherwise the error is at the first that is not.
        #[test]
        fn skips_exactly_the_whitespace(gaps in prop::collection::vec(prop::collection::vec(filler(), 0..3), TOKENS.len())) {
            let mut text = String::new();
            let mut first_bad = None;
            for (gap, token) in gaps.iter().zip(TOKENS) {
                for &c in gap {
                    if !c.is_whitespace() && first_bad.is_none() {
                        first_bad = Some((text.len(), c));
                    }
                    text.push(c);
                }
                text.push_str(token);
            }
            match first_bad {
                None => prop_assert_eq!(bitree_text::parse(&text), Ok(tokens_tree()), "{}", say!(
                    "parse({:?}): only whitespace (char::is_whitespace) between the tokens",
                    "parse({:?})：记号之间只有空白字符（char::is_whitespace）",
                    text
                )),
                Some((at, c)) => {
                    let got = bitree_text::parse(&text);
                    prop_assert!(matches!(&got, Err(e) if e.position == at), "{}", say!(
                        "parse({:?}): {:?} (U+{:04X}) is not whitespace, so the error is at \
                         byte {}, got {:?}",
                        "parse({:?})：{:?}（U+{:04X}）不是空白字符，所以错误应在第 {} 字节，\
                         实际得到 {:?}",
                        text, c, c as u32, at, got
                    ));
                }
            }
        }
    }

    fn err(position: usize, kind: ParseErrorKind) -> ParseError {
        ParseError { position, kind }
    }

    use ParseErrorKind::*;

    /// Bad inputs and the error each must give. Positions are byte offsets.
    fn bad_inputs() -> Vec<(&'static str, ParseError)> {
        vec![
            ("", err(0, ExpectedTree { found: None })),
            ("   ", err(3, ExpectedTree { found: None })),
            ("A", err(0, ExpectedTree { found: Some('A') })),
            ("none", err(0, ExpectedTree { found: Some('n') })),
            // A token is read whole: a `None` cut short is a wrong token at its `N`.
            ("Non", err(0, ExpectedTree { found: Some('N') })),
            ("  Non", err(2, ExpectedTree { found: Some('N') })),
            (
                "['A', None, Non]",
                err(12, ExpectedTree { found: Some('N') }),
            ),
            ("[]", err(1, ExpectedValue { found: Some(']') })),
            (
                "[A, None, None]",
                err(1, ExpectedValue { found: Some('A') }),
            ),
            // The error is at the char that is wrong, after any whitespace.
            (
                "[ 1, None, None]",
                err(2, ExpectedValue { found: Some('1') }),
            ),
            ("[\u{3000}", err(4, ExpectedValue { found: None })),
            ("['A'", err(4, ExpectedComma { found: None })),
            // No escapes: the value is `\` and the next quote is a token of its own.
            (
                r"['\'', None, None]",
                err(4, ExpectedComma { found: Some('\'') }),
            ),
            (
                r#"["\"", None, None]"#,
                err(4, ExpectedComma { found: Some('"') }),
            ),
            (
                "['A' None, None]",
                err(5, ExpectedComma { found: Some('N') }),
            ),
            (
                "['A', None None]",
                err(11, ExpectedComma { found: Some('N') }),
            ),
            (
                "['A', ['B', None], None]",
                err(16, ExpectedComma { found: Some(']') }),
            ),
            ("['A', , None]", err(6, ExpectedTree { found: Some(',') })),
            // `None` is exactly four letters: "Nonex" is None followed by a stray 'x'.
            (
                "['A', Nonex, None]",
                err(10, ExpectedComma { found: Some('x') }),
            ),
            ("['A', None, None", err(16, ExpectedClose { found: None })),
            (
                "['A', None, None, None]",
                err(18, ExpectedClose { found: Some('N') }),
            ),
            (
                "['A', None, None,, ]",
                err(17, ExpectedClose { found: Some(',') }),
            ),
            ("['A, None, None]", err(1, UnterminatedValue)),
            ("['A\", None, None]", err(1, UnterminatedValue)),
            ("['A', None, None]]", err(17, TrailingInput { found: ']' })),
            ("['A', None, None] x", err(18, TrailingInput { found: 'x' })),
            ("None None", err(5, TrailingInput { found: 'N' })),
            (
                "['根', None, Nope]",
                err(14, ExpectedTree { found: Some('N') }),
            ),
            (
                "['根', None, None]尾",
                err(19, TrailingInput { found: '尾' }),
            ),
        ]
    }

    #[test]
    fn bad_input_is_an_error() {
        for (text, expected) in bad_inputs() {
            assert_eq!(
                bitree_text::parse(text),
                Err(expected.clone()),
                "{}",
                say!(
                    "parse({text:?}) must fail with: {expected}",
                    "parse({text:?}) 必须失败，错误为：{expected}"
                )
            );
        }
    }

    #[test]
    fn error_texts() {
        let deep = nested("left", MAX_DEPTH + 1);
        let mut inputs: Vec<(&str, &str)> = bad_inputs().into_iter().map(|(t, _)| (t, t)).collect();
        inputs.push(("<MAX_DEPTH + 1 nested nodes>", &deep));
        let report: Vec<String> = inputs
            .into_iter()
            .map(|(label, text)| match bitree_text::parse(text) {
                Ok(tree) => format!("{label:?}\n  -> parsed as {tree:?}"),
                Err(error) => format!("{label:?}\n  -> {error}"),
            })
            .collect();
        insta::assert_snapshot!("error_texts", report.join("\n"));
    }

    /// `depth` nodes, each the left child of the one before (`['x', ['x', ... None,
    /// None], None]`), or each the right child of the one before (`['x', None, ['x',
    /// None, ... None]]`).
    fn nested(shape: &str, depth: usize) -> String {
        match shape {
            "left" => format!("{}None{}", "['x', ".repeat(depth), ", None]".repeat(depth)),
            "right" => format!("{}None{}", "['x', None, ".repeat(depth), "]".repeat(depth)),
            other => panic!("no shape named {other:?}"),
        }
    }

    /// The byte offset of the `[` that opens level `level` (1 is the outermost).
    fn bracket_of_level(shape: &str, level: usize) -> usize {
        let step = match shape {
            "left" => "['x', ".len(),
            _ => "['x', None, ".len(),
        };
        step * (level - 1)
    }

    /// Parsing runs on a stack of this size: room for a recursive parser to go
    /// `MAX_DEPTH` levels deep (the reference needs under 1 KiB a level in a debug
    /// build, this allows 8 KiB), but not a million levels.
    const PARSE_STACK: usize = 8 * 1024 * 1024;

    /// "left" or "right" in Chinese, for the explanations.
    fn side_zh(shape: &str) -> &'static str {
        if shape == "left" { "左" } else { "右" }
    }

    #[rstest]
    fn nesting_up_to_max_depth_is_fine(#[values("left", "right")] shape: &str) {
        let side = side_zh(shape);
        let text = nested(shape, MAX_DEPTH);
        let tree = on_stack(PARSE_STACK, || bitree_text::parse(&text)).unwrap_or_else(|error| {
            panic!(
                "{}",
                say!(
                    "MAX_DEPTH levels nested on the {shape} must parse, got: {error}",
                    "向{side}嵌套 MAX_DEPTH 层必须能解析，实际得到：{error}"
                )
            )
        });
        let mut depth = 0;
        let mut t = &tree;
        while let Some(node) = &t.root {
            depth += 1;
            t = if shape == "left" {
                &node.left
            } else {
                &node.right
            };
        }
        assert_eq!(
            depth,
            MAX_DEPTH,
            "{}",
            say!(
                "the parsed tree must be a chain of {MAX_DEPTH} levels going {shape}",
                "解析出的树必须是向{side}延伸的 {MAX_DEPTH} 层链"
            )
        );
    }

    #[rstest]
    fn deeper_nesting_is_an_error(
        #[values("left", "right")] shape: &str,
        #[values(MAX_DEPTH + 1, 1_000_000)] depth: usize,
    ) {
        let side = side_zh(shape);
        let text = nested(shape, depth);
        assert_eq!(
            on_stack(PARSE_STACK, || bitree_text::parse(&text)),
            Err(err(bracket_of_level(shape, MAX_DEPTH + 1), TooDeep)),
            "{}",
            say!(
                "nodes nested on the {shape}: the '[' that opens level {} is too deep (every \
                 subtree, left or right, is one level deeper than its parent; and the parser must \
                 not overflow the stack)",
                "节点向{side}嵌套：开始第 {} 层的 '[' 太深了（每个子树，不论左右，都比它的\
                 父节点深一层；解析器也不能让栈溢出）",
                MAX_DEPTH + 1
            )
        );
    }

    /// The full tree of `levels` levels as text, and as a tree, its values numbered in
    /// preorder from `*next` on.
    fn full(levels: usize, next: &mut usize) -> (String, BiTree<String>) {
        if levels == 0 {
            return ("None".to_string(), e());
        }
        let value = next.to_string();
        *next += 1;
        let (left_text, left) = full(levels - 1, next);
        let (right_text, right) = full(levels - 1, next);
        (
            format!("['{value}', {left_text}, {right_text}]"),
            n(value, left, right),
        )
    }

    /// Depth is how deeply brackets nest, not how many there are: a full tree of 11
    /// levels has 2,047 nodes, more than MAX_DEPTH, and parses.
    #[test]
    fn many_nodes_are_not_too_deep() {
        let (text, expected) = full(11, &mut 0);
        assert!(
            bitree_text::parse(&text) == Ok(expected),
            "{}",
            say!(
                "a full tree of 11 levels and 2,047 nodes must parse: MAX_DEPTH limits how deeply \
                 '[' nest (the depth), not how many there are; parse gave {:?}",
                "11 层、2047 个节点的满二叉树必须能解析：MAX_DEPTH 限制的是 '[' 嵌套的深度，\
                 而不是 '[' 的个数；parse 给出 {:?}",
                bitree_text::parse(&text).map(|t| say!(
                    "a tree of {} nodes",
                    "一棵有 {} 个节点的树",
                    model_preorder(&t).len()
                ))
            )
        );
    }

    proptest! {
        /// Every tree of strings, whatever its values hold (backslashes, both quotes,
        /// brackets, commas, `None`, any char): `render` refuses exactly the trees with a
        /// `'` in a value (naming the first in preorder), and `parse` gives every other
        /// tree back from its text.
        #[test]
        fn render_then_parse_gives_the_tree(tree in tree_of(any_value())) {
            let first_quote = model_preorder(&tree).into_iter().find(|v| v.contains('\'')).cloned();
            match (tree.render(), first_quote) {
                (Ok(text), None) => prop_assert_eq!(bitree_text::parse(&text), Ok(tree), "{}", say!(
                    "parse({:?}) must give back the tree render wrote (no escapes: every \
                     backslash is a character of its value)",
                    "parse({:?}) 必须还原出 render 写出的那棵树（没有转义：每个反斜杠都是值里的一个字符）",
                    text
                )),
                (Err(error), Some(value)) => prop_assert_eq!(error, RenderError { value }, "{}", say!(
                    "render must name the first value in preorder that holds a '",
                    "render 必须指出先序中第一个含有 ' 的值",
                )),
                (Ok(text), Some(value)) => prop_assert!(false, "{}", say!(
                    "render wrote {:?} for a tree whose value {:?} holds a ': it must refuse \
                     the tree (RenderError), since no single-quoted text gives that value back",
                    "对于值 {1:?} 含有 ' 的树，render 写出了 {0:?}：它必须拒绝这棵树（RenderError），\
                     因为没有哪段单引号文本能还原出这个值",
                    text, value
                )),
                (Err(error), None) => prop_assert!(false, "{}", say!(
                    "render refused {:?} ({}), yet no value holds a '",
                    "render 拒绝了 {:?}（{}），可是没有哪个值含有 '",
                    tree, error
                )),
            }
        }

        /// Every proper prefix of a tree's text is incomplete, so it is an error.
        #[test]
        fn cut_text_is_an_error(tree in non_empty_tree(), cut in any::<prop::sample::Index>()) {
            let text = tree.render().expect(&say!("a tree of numbers renders", "数字的树可以写出"));
            let at = cut.index(text.len());
            prop_assert!(bitree_text::parse(&text[..at]).is_err(), "{}", say!(
                "parse({:?}) must fail: the text was cut off",
                "parse({:?}) 必须失败：这段文本被截断了",
                &text[..at]
            ));
        }

        /// Edited tree texts never panic, and an error points inside the text, on a char
        /// boundary.
        #[test]
        fn edited_text_never_panics(
            tree in tree_of("[ab根]{0,2}"),
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0..3usize, "[\\[\\]',\" N根]"), 1..4),
        ) {
            let mut text = tree.render().expect(&say!("a tree without a ' renders", "不含 ' 的树可以写出"));
            for (at, remove, insert) in edits {
                let mut start = at.index(text.len() + 1);
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = (start + remove).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(start..end, &insert);
            }
            if let Err(error) = bitree_text::parse(&text) {
                prop_assert!(error.position <= text.len() && text.is_char_boundary(error.position), "{}", say!(
                    "parse({:?}) gave position {}, which is not a char boundary of the text",
                    "parse({:?}) 给出的位置 {} 不在文本的字符边界上",
                    text, error.position
                ));
            }
        }
    }

    /// Any string at all: an answer, never a panic, and an error position inside it.
    #[quickcheck]
    fn any_string_never_panics(text: String) -> bool {
        match bitree_text::parse(&text) {
            Ok(_) => true,
            Err(error) => error.position <= text.len() && text.is_char_boundary(error.position),
        }
    }
}
