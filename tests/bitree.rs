//! The suite of the bitree kata (二叉树). It grades both `exercises/bitree` (your code)
//! and `solutions/bitree` (the reference): both crates name this file as their test.
//!
//! Test names follow `exercises/bitree/README.md`, "What the tests check": every
//! function has its own module (`preorder_iterative::examples`, `rebuild::...`), so a
//! failure names the function and the property that broke.
//!
//! The suite walks trees itself through the public fields (`root`, `value`, `left`,
//! `right`) to know the right answer: those `model_*` helpers recurse, so they are only
//! used on small trees. Deep trees are checked against sequences computed by formula.

#[path = "support/drops.rs"]
mod drops;
#[macro_use]
#[path = "support/lang.rs"]
mod lang;

#[cfg(unix)]
#[path = "support/child.rs"]
mod child;

use std::collections::VecDeque;
use std::fmt::Debug;

use bitree::{BiTree, LevelOrderError, RebuildError};
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

/// A worked example: a tree and everything the kata computes about it.
struct Example {
    tree: BiTree<char>,
    preorder: &'static str,
    inorder: &'static str,
    postorder: &'static str,
    level_order: &'static str,
    height: usize,
    size: usize,
    leaves: usize,
}

/// An example tree's name in Chinese, for the explanations.
fn tree_zh(name: &str) -> &'static str {
    match name {
        "empty" => "空",
        "one node" => "只有一个节点的",
        "left child" => "根只有左孩子的",
        "right child" => "根只有右孩子的",
        "left chain" => "一路向左的链状",
        "right chain" => "一路向右的链状",
        "zigzag" => "左右交替的链状",
        "full" => "满二叉",
        "lopsided" => "一边深一边浅的",
        _ => "课程示例中的",
    }
}

fn example(name: &str) -> Example {
    let (tree, preorder, inorder, postorder, level_order, height, size, leaves) = match name {
        "empty" => (e(), "", "", "", "", 0, 0, 0),
        "one node" => (l('A'), "A", "A", "A", "A", 1, 1, 1),
        "left child" => (n('A', l('B'), e()), "AB", "BA", "BA", "AB", 2, 2, 1),
        "right child" => (n('A', e(), l('B')), "AB", "AB", "BA", "AB", 2, 2, 1),
        "left chain" => (
            n('A', n('B', l('C'), e()), e()),
            "ABC",
            "CBA",
            "CBA",
            "ABC",
            3,
            3,
            1,
        ),
        "right chain" => (
            n('A', e(), n('B', e(), l('C'))),
            "ABC",
            "ABC",
            "CBA",
            "ABC",
            3,
            3,
            1,
        ),
        "zigzag" => (
            n('A', n('B', e(), l('C')), e()),
            "ABC",
            "BCA",
            "CBA",
            "ABC",
            3,
            3,
            1,
        ),
        "full" => (
            n('A', n('B', l('D'), l('E')), n('C', l('F'), l('G'))),
            "ABDECFG",
            "DBEAFCG",
            "DEBFGCA",
            "ABCDEFG",
            3,
            7,
            4,
        ),
        "lopsided" => (
            n(
                'A',
                n('B', n('D', e(), l('G')), e()),
                n('C', l('E'), l('F')),
            ),
            "ABDGCEF",
            "DGBAECF",
            "GDBEFCA",
            "ABCDEFG",
            4,
            7,
            3,
        ),
        "course" => (
            course_tree(),
            "ABCDFGEHI",
            "BAFDGCHEI",
            "BFGDHIECA",
            "ABCDEFGHI",
            4,
            9,
            5,
        ),
        other => panic!("no example named {other:?}"),
    };
    Example {
        tree,
        preorder,
        inorder,
        postorder,
        level_order,
        height,
        size,
        leaves,
    }
}

fn letters(visited: Vec<&char>) -> String {
    visited.into_iter().collect()
}

// ---------------------------------------------------------------------------------
// The suite's own walks (recursive, for small trees only).
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

fn model_inorder<T>(tree: &BiTree<T>) -> Vec<&T> {
    match &tree.root {
        None => vec![],
        Some(node) => {
            let mut out = model_inorder(&node.left);
            out.push(&node.value);
            out.extend(model_inorder(&node.right));
            out
        }
    }
}

fn model_postorder<T>(tree: &BiTree<T>) -> Vec<&T> {
    match &tree.root {
        None => vec![],
        Some(node) => {
            let mut out = model_postorder(&node.left);
            out.extend(model_postorder(&node.right));
            out.push(&node.value);
            out
        }
    }
}

fn model_level_order<T>(tree: &BiTree<T>) -> Vec<&T> {
    let mut out = vec![];
    let mut queue: VecDeque<&BiTree<T>> = VecDeque::from([tree]);
    while let Some(t) = queue.pop_front() {
        if let Some(node) = &t.root {
            out.push(&node.value);
            queue.push_back(&node.left);
            queue.push_back(&node.right);
        }
    }
    out
}

fn model_height<T>(tree: &BiTree<T>) -> usize {
    tree.root.as_ref().map_or(0, |node| {
        1 + model_height(&node.left).max(model_height(&node.right))
    })
}

/// (nodes with no child, nodes with one child, nodes with two children)
fn model_degrees<T>(tree: &BiTree<T>) -> (usize, usize, usize) {
    match &tree.root {
        None => (0, 0, 0),
        Some(node) => {
            let (a0, a1, a2) = model_degrees(&node.left);
            let (b0, b1, b2) = model_degrees(&node.right);
            let children = usize::from(!node.left.is_empty()) + usize::from(!node.right.is_empty());
            (
                a0 + b0 + usize::from(children == 0),
                a1 + b1 + usize::from(children == 1),
                a2 + b2 + usize::from(children == 2),
            )
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

/// The tree as an array with gaps: the root at 0, the children of `i` at `2i + 1` and
/// `2i + 2`, trailing gaps removed.
fn model_level_slots<T: Clone>(tree: &BiTree<T>) -> Vec<Option<T>> {
    fn place<T: Clone>(tree: &BiTree<T>, i: usize, slots: &mut Vec<Option<T>>) {
        if let Some(node) = &tree.root {
            if slots.len() <= i {
                slots.resize(i + 1, None);
            }
            slots[i] = Some(node.value.clone());
            place(&node.left, 2 * i + 1, slots);
            place(&node.right, 2 * i + 2, slots);
        }
    }
    let mut slots = vec![];
    place(tree, 0, &mut slots);
    slots
}

/// Whether some binary tree has this preorder and this inorder (distinct values).
fn model_tree_exists<T: PartialEq>(preorder: &[T], inorder: &[T]) -> bool {
    match preorder.split_first() {
        None => inorder.is_empty(),
        Some((root, rest)) => match inorder.iter().position(|v| v == root) {
            None => false,
            Some(k) => {
                k <= rest.len()
                    && model_tree_exists(&rest[..k], &inorder[..k])
                    && model_tree_exists(&rest[k..], &inorder[k + 1..])
            }
        },
    }
}

/// The binary search tree that inserting `values` one by one must give.
fn model_bst(values: &[i16]) -> BiTree<i16> {
    fn insert(tree: BiTree<i16>, v: i16) -> BiTree<i16> {
        let mut tree = tree;
        match tree.root.take() {
            None => l(v),
            Some(mut node) => {
                if v < node.value {
                    node.left = insert(std::mem::take(&mut node.left), v);
                } else if v > node.value {
                    node.right = insert(std::mem::take(&mut node.right), v);
                }
                BiTree { root: Some(node) }
            }
        }
    }
    values.iter().fold(e(), |tree, &v| insert(tree, v))
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

/// Random trees whose values are all different (a shuffled set of numbers).
fn distinct_tree() -> impl Strategy<Value = BiTree<u32>> {
    tree_of(Just(0u8))
        .prop_flat_map(|shape| {
            let labels: Vec<u32> = (0..model_preorder(&shape).len() as u32)
                .map(|i| i * 7 + 3)
                .collect();
            (Just(shape), Just(labels).prop_shuffle())
        })
        .prop_map(|(shape, labels)| relabel(&shape, &mut labels.into_iter()))
}

/// Random non-empty trees.
fn non_empty_tree() -> impl Strategy<Value = BiTree<u8>> {
    tree_of(any::<u8>()).prop_filter("a non-empty tree", |t| !t.is_empty())
}

/// Panics with the first place where `got` differs from `expected`.
#[track_caller]
fn assert_same_sequence<T: PartialEq + Debug>(what: &str, got: &[T], expected: &[T]) {
    if let Some(i) = (0..got.len().min(expected.len())).find(|&i| got[i] != expected[i]) {
        panic!(
            "{}",
            say!(
                "{what}: item {i} is {:?}, expected {:?} ({} items in all, expected {})",
                "{what}：第 {i} 项是 {:?}，应为 {:?}（共 {} 项，应为 {} 项）",
                got[i],
                expected[i],
                got.len(),
                expected.len()
            )
        );
    }
    assert_eq!(
        got.len(),
        expected.len(),
        "{}",
        say!(
            "{what}: gave {} items, expected {} (every node exactly once)",
            "{what}：给出 {} 项，应为 {} 项（每个节点恰好一次）",
            got.len(),
            expected.len()
        )
    );
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
// Traversals (遍历): worked examples and the definition, for each of the eight.
// ---------------------------------------------------------------------------------

macro_rules! traversal_suite {
    ($method:ident, $field:ident, $model:ident, $rule:expr) => {
        mod $method {
            use super::*;
            use rstest::rstest;

            #[rstest]
            #[case::empty("empty")]
            #[case::one_node("one node")]
            #[case::left_child("left child")]
            #[case::right_child("right child")]
            #[case::left_chain("left chain")]
            #[case::right_chain("right chain")]
            #[case::zigzag("zigzag")]
            #[case::full("full")]
            #[case::lopsided("lopsided")]
            #[case::course("course")]
            fn examples(#[case] name: &str) {
                let ex = example(name);
                let name_zh = tree_zh(name);
                let got = letters(ex.tree.$method());
                assert_eq!(
                    got,
                    ex.$field,
                    "{}",
                    say!(
                        "{} of the {name} tree {:?} ({})",
                        "{} 作用于{name_zh}树 {:?}（{}）",
                        stringify!($method),
                        ex.tree,
                        $rule
                    )
                );
            }

            proptest! {
                #[test]
                fn matches_definition(tree in tree_of(any::<u8>())) {
                    let got = tree.$method();
                    let expected = $model(&tree);
                    prop_assert_eq!(
                        got, expected,
                        "{}",
                        say!(
                            "{} of {:?} ({}): left is yours, right is expected",
                            "{} 作用于 {:?}（{}）：left 是你的结果，right 是应有的结果",
                            stringify!($method), tree, $rule
                        )
                    );
                }
            }
        }
    };
}

/// The rule of each order, in the learner's language.
fn pre() -> String {
    say!(
        "root, then left subtree, then right subtree",
        "先根，再左子树，再右子树"
    )
}

fn in_() -> String {
    say!(
        "left subtree, then root, then right subtree",
        "先左子树，再根，再右子树"
    )
}

fn post() -> String {
    say!(
        "left subtree, then right subtree, then root",
        "先左子树，再右子树，最后根"
    )
}

fn level() -> String {
    say!(
        "level by level from the root, each level from left to right",
        "从根开始一层一层地访问，每层从左到右"
    )
}

traversal_suite!(preorder_recursive, preorder, model_preorder, pre());
traversal_suite!(preorder_iterative, preorder, model_preorder, pre());
traversal_suite!(inorder_recursive, inorder, model_inorder, in_());
traversal_suite!(inorder_iterative, inorder, model_inorder, in_());
traversal_suite!(postorder_recursive, postorder, model_postorder, post());
traversal_suite!(postorder_iterative, postorder, model_postorder, post());
traversal_suite!(
    level_order_recursive,
    level_order,
    model_level_order,
    level()
);
traversal_suite!(
    level_order_iterative,
    level_order,
    model_level_order,
    level()
);

/// The recursive and the iterative form of each order must agree on every tree.
mod iterative_agrees_with_recursive {
    use super::*;

    proptest! {
        #[test]
        fn preorder(tree in tree_of(any::<u8>())) {
            prop_assert_eq!(tree.preorder_iterative(), tree.preorder_recursive(),
                "{}", say!(
                    "preorder_iterative (left) and preorder_recursive (right) disagree on {:?}",
                    "preorder_iterative（left）与 preorder_recursive（right）在 {:?} 上结果不同",
                    tree
                ));
        }

        #[test]
        fn inorder(tree in tree_of(any::<u8>())) {
            prop_assert_eq!(tree.inorder_iterative(), tree.inorder_recursive(),
                "{}", say!(
                    "inorder_iterative (left) and inorder_recursive (right) disagree on {:?}",
                    "inorder_iterative（left）与 inorder_recursive（right）在 {:?} 上结果不同",
                    tree
                ));
        }

        #[test]
        fn postorder(tree in tree_of(any::<u8>())) {
            prop_assert_eq!(tree.postorder_iterative(), tree.postorder_recursive(),
                "{}", say!(
                    "postorder_iterative (left) and postorder_recursive (right) disagree on {:?}",
                    "postorder_iterative（left）与 postorder_recursive（right）在 {:?} 上结果不同",
                    tree
                ));
        }

        #[test]
        fn level_order(tree in tree_of(any::<u8>())) {
            prop_assert_eq!(tree.level_order_iterative(), tree.level_order_recursive(),
                "{}", say!(
                    "level_order_iterative (left) and level_order_recursive (right) disagree on {:?}",
                    "level_order_iterative（left）与 level_order_recursive（right）在 {:?} 上结果不同",
                    tree
                ));
        }
    }
}

/// Trees shaped like a list, far deeper than the call stack allows recursion. Only the
/// iterative traversals (and dropping) must survive them. Each test runs on a small
/// stack of fixed size: plenty for a loop, far too little for one frame per node.
mod deep_trees {
    use super::*;
    use rstest::rstest;

    const DEPTH: u32 = 100_000;

    /// 512 KiB.
    const STACK: usize = 512 * 1024;

    /// A chain of `DEPTH` nodes numbered 0 (the root) to DEPTH - 1 (the leaf). Each node
    /// hangs on its parent's left ("left"), right ("right"), or alternately left and
    /// right starting with left ("zigzag"). Built bottom-up, without recursion.
    fn chain(shape: &str) -> BiTree<u32> {
        let mut tree = e();
        for k in (0..DEPTH).rev() {
            let on_left = match shape {
                "left" => true,
                "right" => false,
                _ => k % 2 == 0,
            };
            tree = if on_left {
                n(k, tree, e())
            } else {
                n(k, e(), tree)
            };
        }
        tree
    }

    fn ascending() -> Vec<u32> {
        (0..DEPTH).collect()
    }

    fn descending() -> Vec<u32> {
        (0..DEPTH).rev().collect()
    }

    fn check(what: &str, shape: &str, got: Vec<&u32>, expected: Vec<u32>) {
        let got: Vec<u32> = got.into_iter().copied().collect();
        let shape_zh = match shape {
            "left" => "一路向左的",
            "right" => "一路向右的",
            _ => "左右交替的",
        };
        assert_same_sequence(
            &say!(
                "{what} of a {shape} chain of {DEPTH} nodes",
                "{what} 作用于 {DEPTH} 个节点的{shape_zh}链"
            ),
            &got,
            &expected,
        );
    }

    /// The `_recursive` forms must recurse, one call per level: on a chain of
    /// `DEPTH` nodes and a 64 KiB stack each must die of a stack overflow. That kills
    /// the process, so each runs in a child process that this test expects to die of
    /// it. A loop (or a stack on the heap) survives, and fails this test.
    #[cfg(unix)]
    #[test]
    fn recursive_forms_recurse() {
        const FORMS: [&str; 4] = [
            "preorder_recursive",
            "inorder_recursive",
            "postorder_recursive",
            "level_order_recursive",
        ];
        if child::role().as_deref() == Some("deep") {
            let form = std::env::var("KATA_TRAVERSAL").expect("which traversal");
            let tree = chain("left");
            let visited = on_stack(64 * 1024, || match form.as_str() {
                "preorder_recursive" => tree.preorder_recursive().len(),
                "inorder_recursive" => tree.inorder_recursive().len(),
                "postorder_recursive" => tree.postorder_recursive().len(),
                _ => tree.level_order_recursive().len(),
            });
            // Reached only by a traversal that does not recurse.
            assert_eq!(visited, DEPTH as usize);
            return;
        }
        for form in FORMS {
            let out = child::run("deep_trees::recursive_forms_recurse", "deep", |cmd| {
                cmd.env("KATA_TRAVERSAL", form);
            });
            assert!(
                child::overflowed(&out),
                "{}",
                say!(
                    "{form} of a chain of {DEPTH} nodes on a 64 KiB stack must run out of stack \
                     (a recursion goes one call deeper per level; a loop does not), but {}",
                    "在 64 KiB 的栈上对 {DEPTH} 个节点的链做 {form} 必须耗尽栈空间（递归每深一层就多一次\
                     调用，循环则不会），但是{}",
                    child::describe(&out)
                )
            );
        }
    }

    #[rstest]
    fn preorder_iterative(#[values("left", "right", "zigzag")] shape: &str) {
        on_stack(STACK, || {
            let tree = chain(shape);
            check(
                "preorder_iterative",
                shape,
                tree.preorder_iterative(),
                ascending(),
            );
        });
    }

    #[rstest]
    fn inorder_iterative(#[values("left", "right", "zigzag")] shape: &str) {
        on_stack(STACK, || {
            let tree = chain(shape);
            let expected = match shape {
                "left" => descending(),
                "right" => ascending(),
                // Every odd node has only a right child and every even one only a left:
                // the odd nodes come on the way down, the even ones on the way back up.
                _ => (0..DEPTH)
                    .filter(|k| k % 2 == 1)
                    .chain((0..DEPTH).rev().filter(|k| k % 2 == 0))
                    .collect(),
            };
            check(
                "inorder_iterative",
                shape,
                tree.inorder_iterative(),
                expected,
            );
        });
    }

    #[rstest]
    fn postorder_iterative(#[values("left", "right", "zigzag")] shape: &str) {
        on_stack(STACK, || {
            let tree = chain(shape);
            check(
                "postorder_iterative",
                shape,
                tree.postorder_iterative(),
                descending(),
            );
        });
    }

    #[rstest]
    fn level_order_iterative(#[values("left", "right", "zigzag")] shape: &str) {
        on_stack(STACK, || {
            let tree = chain(shape);
            check(
                "level_order_iterative",
                shape,
                tree.level_order_iterative(),
                ascending(),
            );
        });
    }

    /// Dropping is given code, but a changed `Drop` must still not recurse.
    #[test]
    fn dropping_does_not_overflow() {
        on_stack(STACK, || {
            for shape in ["left", "right", "zigzag"] {
                drop(chain(shape));
            }
        });
    }
}

// ---------------------------------------------------------------------------------
// The course's tree: every traversal, as the snapshot files record them.
// ---------------------------------------------------------------------------------

mod course_tree {
    use super::*;

    #[test]
    fn traversals_recursive() {
        let t = course_tree();
        insta::assert_snapshot!(
            "traversals_recursive",
            format!(
                "preorder    (先序): {}\ninorder     (中序): {}\npostorder   (后序): {}\nlevel order (层次): {}",
                letters(t.preorder_recursive()),
                letters(t.inorder_recursive()),
                letters(t.postorder_recursive()),
                letters(t.level_order_recursive()),
            )
        );
    }

    #[test]
    fn traversals_iterative() {
        let t = course_tree();
        insta::assert_snapshot!(
            "traversals_iterative",
            format!(
                "preorder    (先序): {}\ninorder     (中序): {}\npostorder   (后序): {}\nlevel order (层次): {}",
                letters(t.preorder_iterative()),
                letters(t.inorder_iterative()),
                letters(t.postorder_iterative()),
                letters(t.level_order_iterative()),
            )
        );
    }

    #[test]
    fn measures() {
        let t = course_tree();
        insta::assert_snapshot!(
            "measures",
            format!(
                "height: {}\nsize: {}\nleaves: {}",
                t.height(),
                t.size(),
                t.leaf_count(),
            )
        );
    }
}

// ---------------------------------------------------------------------------------
// Measures: height, size, leaf count.
// ---------------------------------------------------------------------------------

macro_rules! measure_suite {
    ($method:ident, $field:ident, $rule:expr) => {
        mod $method {
            use super::*;
            use rstest::rstest;

            #[rstest]
            #[case::empty("empty")]
            #[case::one_node("one node")]
            #[case::left_child("left child")]
            #[case::right_child("right child")]
            #[case::left_chain("left chain")]
            #[case::right_chain("right chain")]
            #[case::zigzag("zigzag")]
            #[case::full("full")]
            #[case::lopsided("lopsided")]
            #[case::course("course")]
            fn examples(#[case] name: &str) {
                let ex = example(name);
                let name_zh = tree_zh(name);
                let got = ex.tree.$method();
                assert_eq!(
                    got,
                    ex.$field,
                    "{}",
                    say!(
                        "{} of the {name} tree {:?} ({})",
                        "{} 作用于{name_zh}树 {:?}（{}）",
                        stringify!($method),
                        ex.tree,
                        $rule
                    )
                );
            }
        }
    };
}

measure_suite!(
    height,
    height,
    say!(
        "the number of levels: empty 0, one node 1",
        "层数：空树为 0，一个节点为 1"
    )
);
measure_suite!(size, size, say!("the number of nodes", "节点的个数"));
measure_suite!(
    leaf_count,
    leaves,
    say!("nodes with no child at all", "没有任何孩子的节点（树叶）")
);

mod measures {
    use super::*;

    proptest! {
        #[test]
        fn match_definitions(tree in tree_of(any::<u8>())) {
            let (leaves, one, two) = model_degrees(&tree);
            prop_assert_eq!(tree.size(), leaves + one + two, "{}",
                say!("size of {:?} (the number of nodes)", "{:?} 的 size（节点个数）", tree));
            prop_assert_eq!(tree.height(), model_height(&tree), "{}",
                say!("height of {:?} (levels, empty 0, one node 1)", "{:?} 的 height（层数，空树为 0，一个节点为 1）", tree));
            prop_assert_eq!(tree.leaf_count(), leaves, "{}",
                say!("leaf_count of {:?} (nodes with no child)", "{:?} 的 leaf_count（没有孩子的节点）", tree));
        }

        /// The course's law: in any non-empty binary tree there is one more leaf than
        /// there are nodes with two children.
        #[test]
        fn leaves_are_two_child_nodes_plus_one(tree in non_empty_tree()) {
            let (_, _, two) = model_degrees(&tree);
            prop_assert_eq!(tree.leaf_count(), two + 1,
                "{}", say!(
                    "{:?} has {} nodes with two children, so it must have {} leaves",
                    "{:?} 有 {} 个度为 2 的节点，所以必须有 {} 片树叶",
                    tree, two, two + 1
                ));
        }

        /// Level i holds at most 2^(i-1) nodes, so h levels hold at most 2^h - 1.
        #[test]
        fn size_is_bounded_by_height(tree in tree_of(any::<u8>())) {
            let (h, s) = (tree.height(), tree.size());
            prop_assert!(h <= s && s < (1usize << h),
                "{}", say!(
                    "a tree of height {} must have between {} and {} nodes, but size says {}",
                    "高度为 {} 的树应有 {} 到 {} 个节点，但 size 给出 {}",
                    h, h, (1usize << h) - 1, s
                ));
        }
    }
}

// ---------------------------------------------------------------------------------
// Building from level order with gaps (顺序存储).
// ---------------------------------------------------------------------------------

mod from_level_order {
    use super::*;
    use quickcheck_macros::quickcheck;
    use rstest::rstest;

    fn slots(text: &str) -> Vec<Option<char>> {
        text.chars().map(|c| (c != '.').then_some(c)).collect()
    }

    /// `text` is one char per slot, `.` for a gap.
    #[rstest]
    #[case::nothing("", e())]
    #[case::only_a_gap(".", e())]
    #[case::one_node("A", l('A'))]
    #[case::trailing_gaps("A......", l('A'))]
    #[case::left_child("AB", n('A', l('B'), e()))]
    #[case::right_child("A.B", n('A', e(), l('B')))]
    #[case::full("ABCDEFG", example("full").tree)]
    #[case::lopsided("ABCD.EF.G", example("lopsided").tree)]
    #[case::course("ABC..DE....FGHI", course_tree())]
    fn examples(#[case] text: &str, #[case] expected: BiTree<char>) {
        let got = BiTree::from_level_order(slots(text));
        assert_eq!(
            got,
            Ok(expected),
            "{}",
            say!(
                "from_level_order({text:?}) (children of i at 2i+1 and 2i+2, '.' a gap)",
                "from_level_order({text:?})（下标 i 的孩子在 2i+1 和 2i+2，'.' 表示空位）"
            )
        );
    }

    #[rstest]
    #[case::child_of_a_gap(".A", 1)]
    #[case::right_child_of_a_gap(".BA", 1)]
    #[case::grandchild("A.B.C", 4)]
    #[case::under_a_missing_left("AB.DEF", 5)]
    #[case::course_shifted("ABC.D.EF", 7)]
    fn orphans_are_errors(#[case] text: &str, #[case] index: usize) {
        let got = BiTree::from_level_order(slots(text));
        assert_eq!(
            got,
            Err(LevelOrderError::Orphan { index }),
            "{}",
            say!(
                "from_level_order({text:?}): slot {index} has a value but its parent slot {} is a gap \
                 (report the smallest such index)",
                "from_level_order({text:?})：下标 {index} 有值，但它的父位置 {} 是空位\
                 （报告最小的这种下标）",
                (index - 1) / 2
            )
        );
    }

    proptest! {
        /// Writing any tree as slots and building it back gives the same tree.
        #[test]
        fn rebuilds_any_tree(tree in tree_of(any::<u8>())) {
            let slots = model_level_slots(&tree);
            let got = BiTree::from_level_order(slots.clone());
            prop_assert_eq!(got, Ok(tree), "{}", say!(
                "from_level_order({:?}) must give back the tree these slots describe",
                "from_level_order({:?}) 必须还原出这些位置所描述的树",
                slots
            ));
        }
    }

    /// With no gaps the tree is complete (完全二叉树): every value present, in level
    /// order, and ⌈log2(n + 1)⌉ levels.
    #[quickcheck]
    fn no_gaps_gives_a_complete_tree(values: Vec<u8>) -> bool {
        let count = values.len();
        let tree = BiTree::from_level_order(values.iter().copied().map(Some).collect())
            .unwrap_or_else(|error| {
                panic!(
                    "{}",
                    say!(
                        "from_level_order({values:?}) gave {error:?}: no gaps means no orphans",
                        "from_level_order({values:?}) 给出 {error:?}：没有空位就不会有孤儿",
                    )
                )
            });
        let levels = (usize::BITS - count.leading_zeros()) as usize;
        tree.size() == count
            && model_height(&tree) == levels
            && model_level_order(&tree).into_iter().eq(values.iter())
    }
}

// ---------------------------------------------------------------------------------
// Rebuilding from preorder + inorder.
// ---------------------------------------------------------------------------------

mod rebuild {
    use super::*;
    use rstest::rstest;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[rstest]
    #[case::empty("empty")]
    #[case::one_node("one node")]
    #[case::left_child("left child")]
    #[case::right_child("right child")]
    #[case::left_chain("left chain")]
    #[case::zigzag("zigzag")]
    #[case::full("full")]
    #[case::lopsided("lopsided")]
    #[case::course("course")]
    fn examples(#[case] name: &str) {
        let ex = example(name);
        let name_zh = tree_zh(name);
        let got = BiTree::from_preorder_inorder(&chars(ex.preorder), &chars(ex.inorder));
        assert_eq!(
            got,
            Ok(ex.tree),
            "{}",
            say!(
                "from_preorder_inorder({:?}, {:?}): the {name} tree",
                "from_preorder_inorder({:?}, {:?})：应得{name_zh}树",
                ex.preorder,
                ex.inorder
            )
        );
    }

    #[rstest]
    #[case::longer_preorder("ABC", "AB", RebuildError::LengthMismatch { preorder: 3, inorder: 2 })]
    #[case::longer_inorder("", "A", RebuildError::LengthMismatch { preorder: 0, inorder: 1 })]
    #[case::length_before_duplicates("AA", "A", RebuildError::LengthMismatch { preorder: 2, inorder: 1 })]
    #[case::duplicate("ABA", "BAA", RebuildError::Duplicate { index: 2 })]
    #[case::first_duplicate("ABBA", "ABBA", RebuildError::Duplicate { index: 2 })]
    #[case::different_values("AB", "AC", RebuildError::NotATree)]
    #[case::duplicate_in_inorder_only("AB", "AA", RebuildError::NotATree)]
    #[case::impossible_order("ABC", "CAB", RebuildError::NotATree)]
    #[case::course_shuffled("ABCDFGEHI", "IAFDGCHEB", RebuildError::NotATree)]
    fn bad_input_is_an_error(
        #[case] preorder: &str,
        #[case] inorder: &str,
        #[case] expected: RebuildError,
    ) {
        let got = BiTree::from_preorder_inorder(&chars(preorder), &chars(inorder));
        assert_eq!(
            got,
            Err(expected.clone()),
            "{}",
            say!(
                "from_preorder_inorder({preorder:?}, {inorder:?}) must fail with {expected:?} \
                 (checked in this order: lengths, duplicates, a tree exists)",
                "from_preorder_inorder({preorder:?}, {inorder:?}) 必须失败并给出 {expected:?}\
                 （按这个顺序检查：长度、重复的值、是否存在这样的树）"
            )
        );
    }

    proptest! {
        /// rebuild(preorder(t), inorder(t)) == t for any tree with distinct values.
        #[test]
        fn rebuilds_any_tree(tree in distinct_tree()) {
            let pre: Vec<u32> = model_preorder(&tree).into_iter().copied().collect();
            let ino: Vec<u32> = model_inorder(&tree).into_iter().copied().collect();
            let got = BiTree::from_preorder_inorder(&pre, &ino);
            prop_assert_eq!(got, Ok(tree), "{}", say!(
                "from_preorder_inorder({:?}, {:?}) must give back the tree they were taken from",
                "from_preorder_inorder({:?}, {:?}) 必须还原出它们所来自的那棵树",
                pre, ino
            ));
        }

        /// Against any shuffled inorder: a tree exactly when one exists, and then the tree
        /// has the given preorder and inorder; otherwise `NotATree`.
        #[test]
        fn any_inorder(pre in Just((1..=7u32).collect::<Vec<_>>()).prop_shuffle(),
                       ino in Just((1..=7u32).collect::<Vec<_>>()).prop_shuffle()) {
            let got = BiTree::from_preorder_inorder(&pre, &ino);
            match (got, model_tree_exists(&pre, &ino)) {
                (Ok(tree), true) => {
                    prop_assert_eq!(model_preorder(&tree), pre.iter().collect::<Vec<_>>(),
                        "{}", say!(
                            "the rebuilt tree {:?} does not have the given preorder",
                            "重建的树 {:?} 的先序遍历与给定的不同",
                            tree
                        ));
                    prop_assert_eq!(model_inorder(&tree), ino.iter().collect::<Vec<_>>(),
                        "{}", say!(
                            "the rebuilt tree {:?} does not have the given inorder",
                            "重建的树 {:?} 的中序遍历与给定的不同",
                            tree
                        ));
                }
                (Err(RebuildError::NotATree), false) => {}
                (got, true) => prop_assert!(false, "{}", say!(
                    "from_preorder_inorder({:?}, {:?}) gave {:?}, but a tree does exist",
                    "from_preorder_inorder({:?}, {:?}) 给出 {:?}，但这样的树是存在的",
                    pre, ino, got
                )),
                (got, false) => prop_assert!(false, "{}", say!(
                    "from_preorder_inorder({:?}, {:?}) gave {:?}, but no tree exists: NotATree",
                    "from_preorder_inorder({:?}, {:?}) 给出 {:?}，但这样的树不存在：应为 NotATree",
                    pre, ino, got
                )),
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Binary search tree (二叉查找树) by insertion.
// ---------------------------------------------------------------------------------

mod insert_bst {
    use super::*;
    use quickcheck_macros::quickcheck;

    #[test]
    fn example() {
        let mut tree = BiTree::empty();
        for v in [50, 30, 70, 20, 40, 60, 80, 35] {
            assert!(
                tree.insert_bst(v),
                "{}",
                say!(
                    "inserting {v} for the first time must return true",
                    "第一次插入 {v} 必须返回 true"
                )
            );
        }
        let expected = n(50, n(30, l(20), n(40, l(35), e())), n(70, l(60), l(80)));
        assert_eq!(
            tree,
            expected,
            "{}",
            say!(
                "inserting 50, 30, 70, 20, 40, 60, 80, 35: smaller values go left, greater go right",
                "依次插入 50, 30, 70, 20, 40, 60, 80, 35：较小的值往左，较大的值往右"
            )
        );
        assert!(
            !tree.insert_bst(40),
            "{}",
            say!(
                "40 is already there: insert_bst must return false",
                "40 已经在树中：insert_bst 必须返回 false"
            )
        );
        assert_eq!(
            tree,
            expected,
            "{}",
            say!(
                "inserting a value already there must change nothing",
                "插入树中已有的值不能改变任何东西"
            )
        );
    }

    /// Inorder of a binary search tree is sorted, without repeats.
    #[quickcheck]
    fn inorder_is_sorted(values: Vec<i16>) -> bool {
        let mut tree = BiTree::empty();
        for &v in &values {
            tree.insert_bst(v);
        }
        let mut expected = values;
        expected.sort();
        expected.dedup();
        model_inorder(&tree).into_iter().eq(expected.iter())
    }

    /// `insert_bst` returns true exactly for a value's first insertion.
    #[quickcheck]
    fn reports_repeats(values: Vec<u8>) -> bool {
        let mut tree = BiTree::empty();
        let mut seen = std::collections::HashSet::new();
        values.iter().all(|&v| tree.insert_bst(v) == seen.insert(v))
    }

    proptest! {
        /// Each value goes exactly where a walk from the root leads.
        #[test]
        fn shape_follows_insertion_order(values in prop::collection::vec(-40i16..40, 0..40)) {
            let mut tree = BiTree::empty();
            for &v in &values {
                tree.insert_bst(v);
            }
            prop_assert_eq!(tree, model_bst(&values), "{}", say!(
                "inserting {:?} one by one: each value goes where a walk from the root leads",
                "逐个插入 {:?}：每个值都应放在从根往下走到的空位上",
                values
            ));
        }
    }
}

// ---------------------------------------------------------------------------------
// The given texts: `{:?}` of trees and nodes, and the error messages.
// ---------------------------------------------------------------------------------

mod texts {
    use super::*;

    /// `{:?}` of a tree (and of a node) is the course's nested form, values as `{:?}`
    /// shows them: what every failure message of this suite prints.
    #[test]
    fn debug_is_the_nested_form() {
        let tree = n('A', l('B'), e());
        assert_eq!(format!("{tree:?}"), "['A', ['B', None, None], None]");
        assert_eq!(format!("{:?}", BiTree::<u8>::empty()), "None");
        let node = tree.root.as_deref().expect("a node");
        assert_eq!(format!("{node:?}"), "['A', ['B', None, None], None]");
    }

    /// The messages of the errors `from_level_order` and `from_preorder_inorder`
    /// return (given, like the `{:?}` above).
    #[test]
    fn error_messages() {
        assert_eq!(
            LevelOrderError::Orphan { index: 5 }.to_string(),
            "the value at index 5 has no parent (index 2 is None)"
        );
        let texts: Vec<String> = [
            RebuildError::LengthMismatch {
                preorder: 3,
                inorder: 2,
            },
            RebuildError::Duplicate { index: 4 },
            RebuildError::NotATree,
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            texts,
            [
                "the preorder has 3 values but the inorder has 2",
                "preorder[4] repeats an earlier value; values must be distinct",
                "no binary tree has this preorder and this inorder",
            ]
        );
    }
}

// ---------------------------------------------------------------------------------
// Dropping: every value exactly once.
// ---------------------------------------------------------------------------------

mod drops_once {
    use super::*;

    #[test]
    fn built_trees_drop_every_value_once() {
        let log = drops::DropLog::new();
        let mut tree = e();
        for k in 0..1000 {
            tree = if k % 3 == 0 {
                n(log.track(k), tree, l(log.track(-k)))
            } else {
                n(log.track(k), e(), tree)
            };
        }
        drop(tree);
        log.assert_all_dropped_once();
    }

    #[test]
    fn level_order_trees_drop_every_value_once() {
        let log = drops::DropLog::new();
        let slots: Vec<_> = (0..100)
            .map(|i| (i % 5 != 4 || i > 60).then(|| log.track(i)))
            .collect();
        // Whatever the answer (a tree or an orphan error), nothing may leak.
        drop(BiTree::from_level_order(slots));
        log.assert_all_dropped_once();
        let slots: Vec<_> = (0..100).map(|i| Some(log.track(i))).collect();
        let tree = BiTree::from_level_order(slots).unwrap_or_else(|error| {
            panic!(
                "{}",
                say!(
                    "from_level_order of 100 values without gaps gave {error:?}: no gaps, no orphans",
                    "对 100 个没有空位的值调用 from_level_order 给出 {error:?}：没有空位就没有孤儿",
                )
            )
        });
        assert_eq!(
            model_preorder(&tree).len(),
            100,
            "{}",
            say!("all 100 values must be in the tree", "100 个值必须都在树里")
        );
        drop(tree);
        log.assert_all_dropped_once();
    }
}
