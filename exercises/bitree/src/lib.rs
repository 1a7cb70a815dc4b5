//! Binary tree kata (二叉树): build a tree, walk it in four orders, measure it, rebuild
//! it from two of its walks, and read and write the course's nested-list text.
//!
//! Read `README.md` beside this file for the task, then replace each `todo!()` with
//! your code. Check your work with `cargo xtask check bitree`.
//!
//! The types, their builders, `Drop`, `Debug` and the error types are given: the suite
//! needs them to build trees and to compare answers, whatever your code does. Your part
//! starts at "Traversals" below.

use std::fmt;

// ---------------------------------------------------------------------------------
// The types (given: the suite builds and compares trees with them).
// ---------------------------------------------------------------------------------

/// A binary tree (二叉树): either empty (空树) or a root node with two subtrees.
///
/// An empty tree has `root == None`. Left and right are always told apart: a node
/// with only a right child is a different tree from one with only a left child.
#[derive(Clone, PartialEq, Eq)]
pub struct BiTree<T> {
    pub root: Option<Box<Node<T>>>,
}

/// One node (节点): its value and its left and right subtrees (左子树, 右子树).
#[derive(Clone, PartialEq, Eq)]
pub struct Node<T> {
    pub value: T,
    pub left: BiTree<T>,
    pub right: BiTree<T>,
}

impl<T> BiTree<T> {
    /// The empty tree (the course's `None`).
    pub fn empty() -> Self {
        BiTree { root: None }
    }

    /// A tree of one node with no children (a leaf, 树叶).
    pub fn leaf(value: T) -> Self {
        Self::node(value, Self::empty(), Self::empty())
    }

    /// A tree whose root holds `value`, with the given subtrees: the course's
    /// `[value, left, right]`.
    pub fn node(value: T, left: BiTree<T>, right: BiTree<T>) -> Self {
        BiTree {
            root: Some(Box::new(Node { value, left, right })),
        }
    }

    /// True for the empty tree.
    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }
}

impl<T> Default for BiTree<T> {
    fn default() -> Self {
        Self::empty()
    }
}

/// Dropping takes the tree apart with an explicit stack. The compiler's own drop would
/// recurse once per level, and a tree shaped like a list of 100,000 nodes would
/// overflow the call stack.
impl<T> Drop for BiTree<T> {
    fn drop(&mut self) {
        let mut stack: Vec<Box<Node<T>>> = self.root.take().into_iter().collect();
        while let Some(mut node) = stack.pop() {
            stack.extend(node.left.root.take());
            stack.extend(node.right.root.take());
            // `node` is dropped here, and its subtrees are already empty.
        }
    }
}

/// Shows the tree in the course's nested form, values as `{:?}` shows them:
/// `['A', ['B', None, None], None]`. (It recurses: meant for small trees.)
impl<T: fmt::Debug> fmt::Debug for BiTree<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.root {
            None => f.write_str("None"),
            Some(node) => write!(f, "[{:?}, {:?}, {:?}]", node.value, node.left, node.right),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Node<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{:?}, {:?}, {:?}]", self.value, self.left, self.right)
    }
}

/// Nesting deeper than this is refused by [`parse`] (Python's default recursion limit).
pub const MAX_DEPTH: usize = 1000;

/// Why [`parse`] refused a text, and where: `position` is a byte offset into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub position: usize,
    pub kind: ParseErrorKind,
}

/// What [`parse`] found wrong. `found: None` means the text ended there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// A tree must start here: `[` or `None`.
    ExpectedTree { found: Option<char> },
    /// A quoted value must follow `[`.
    ExpectedValue { found: Option<char> },
    /// A `,` must come after the value and after the left subtree.
    ExpectedComma { found: Option<char> },
    /// A `]` must close the node (after the right subtree and an optional `,`).
    ExpectedClose { found: Option<char> },
    /// The quote at `position` opens a value that is never closed.
    UnterminatedValue,
    /// Something other than whitespace follows the whole tree.
    TrailingInput { found: char },
    /// The `[` at `position` would nest deeper than [`MAX_DEPTH`] levels.
    TooDeep,
}

fn describe(found: &Option<char>) -> String {
    match found {
        Some(c) => format!("{c:?}"),
        None => "the end of the text".to_string(),
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.position;
        match &self.kind {
            ParseErrorKind::ExpectedTree { found } => {
                write!(
                    f,
                    "expected '[' or None at byte {p}, found {}",
                    describe(found)
                )
            }
            ParseErrorKind::ExpectedValue { found } => {
                write!(
                    f,
                    "expected a quoted value at byte {p}, found {}",
                    describe(found)
                )
            }
            ParseErrorKind::ExpectedComma { found } => {
                write!(f, "expected ',' at byte {p}, found {}", describe(found))
            }
            ParseErrorKind::ExpectedClose { found } => {
                write!(f, "expected ']' at byte {p}, found {}", describe(found))
            }
            ParseErrorKind::UnterminatedValue => {
                write!(f, "the value opened at byte {p} has no closing quote")
            }
            ParseErrorKind::TrailingInput { found } => {
                write!(f, "unexpected {found:?} at byte {p} after the tree")
            }
            ParseErrorKind::TooDeep => {
                write!(
                    f,
                    "the '[' at byte {p} nests deeper than {MAX_DEPTH} levels"
                )
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Why [`BiTree::from_level_order`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelOrderError {
    /// The value at `index` has no parent: the slot `(index - 1) / 2` is `None`.
    Orphan { index: usize },
}

impl fmt::Display for LevelOrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LevelOrderError::Orphan { index } => write!(
                f,
                "the value at index {index} has no parent (index {} is None)",
                (index - 1) / 2
            ),
        }
    }
}

impl std::error::Error for LevelOrderError {}

/// Why [`BiTree::from_preorder_inorder`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildError {
    /// The two sequences have different lengths.
    LengthMismatch { preorder: usize, inorder: usize },
    /// `preorder[index]` equals a value earlier in the preorder (values must be distinct).
    Duplicate { index: usize },
    /// No binary tree has this preorder and this inorder.
    NotATree,
}

impl fmt::Display for RebuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RebuildError::LengthMismatch { preorder, inorder } => write!(
                f,
                "the preorder has {preorder} values but the inorder has {inorder}"
            ),
            RebuildError::Duplicate { index } => write!(
                f,
                "preorder[{index}] repeats an earlier value; values must be distinct"
            ),
            RebuildError::NotATree => {
                f.write_str("no binary tree has this preorder and this inorder")
            }
        }
    }
}

impl std::error::Error for RebuildError {}

// ---------------------------------------------------------------------------------
// Traversals (遍历). Each returns references to the values, in the order visited.
// ---------------------------------------------------------------------------------

impl<T> BiTree<T> {
    /// Preorder (先序遍历): the root, then the left subtree, then the right subtree.
    /// Recursive: a helper that walks one subtree and pushes onto a shared `Vec`.
    pub fn preorder_recursive(&self) -> Vec<&T> {
        todo!(
            "preorder of a tree (empty: {}), recursively",
            self.is_empty()
        )
    }

    /// Preorder without recursion: an explicit stack (`Vec`) of nodes still to visit.
    /// Must work on a tree shaped like a list of 100,000 nodes.
    pub fn preorder_iterative(&self) -> Vec<&T> {
        todo!(
            "preorder of a tree (empty: {}), with a stack",
            self.is_empty()
        )
    }

    /// Inorder (中序遍历): the left subtree, then the root, then the right subtree.
    pub fn inorder_recursive(&self) -> Vec<&T> {
        todo!(
            "inorder of a tree (empty: {}), recursively",
            self.is_empty()
        )
    }

    /// Inorder without recursion, with an explicit stack. Must survive 100,000 levels.
    pub fn inorder_iterative(&self) -> Vec<&T> {
        todo!(
            "inorder of a tree (empty: {}), with a stack",
            self.is_empty()
        )
    }

    /// Postorder (后序遍历): the left subtree, then the right subtree, then the root.
    pub fn postorder_recursive(&self) -> Vec<&T> {
        todo!(
            "postorder of a tree (empty: {}), recursively",
            self.is_empty()
        )
    }

    /// Postorder without recursion, with an explicit stack. Must survive 100,000 levels.
    pub fn postorder_iterative(&self) -> Vec<&T> {
        todo!(
            "postorder of a tree (empty: {}), with a stack",
            self.is_empty()
        )
    }

    /// Level order (层次遍历): level by level from the root, each level from left to
    /// right. Recursive: for each level, a recursive walk that collects the nodes at
    /// exactly that depth.
    pub fn level_order_recursive(&self) -> Vec<&T> {
        todo!(
            "level order of a tree (empty: {}), recursively",
            self.is_empty()
        )
    }

    /// Level order without recursion, with a queue (`VecDeque`). Must survive 100,000
    /// levels.
    pub fn level_order_iterative(&self) -> Vec<&T> {
        todo!(
            "level order of a tree (empty: {}), with a queue",
            self.is_empty()
        )
    }
}

// ---------------------------------------------------------------------------------
// Measures. These may recurse: the suite only measures small trees.
// ---------------------------------------------------------------------------------

impl<T> BiTree<T> {
    /// Height (高度, also called depth 深度): the number of levels. The root is on level
    /// 1, so the empty tree has height 0 and a single node height 1.
    pub fn height(&self) -> usize {
        todo!("height of a tree (empty: {})", self.is_empty())
    }

    /// Size: the number of nodes.
    pub fn size(&self) -> usize {
        todo!("size of a tree (empty: {})", self.is_empty())
    }

    /// Leaf count: the number of leaves (树叶), the nodes with no child at all.
    pub fn leaf_count(&self) -> usize {
        todo!("leaves of a tree (empty: {})", self.is_empty())
    }
}

// ---------------------------------------------------------------------------------
// Building.
// ---------------------------------------------------------------------------------

impl<T> BiTree<T> {
    /// Builds a tree from level order with gaps, stored as an array (顺序存储): the
    /// root at index 0, and the children of index `i` at `2i + 1` (left) and `2i + 2`
    /// (right). `None` marks a missing node; trailing `None`s may be left out, and `[]`
    /// and `[None]` are the empty tree.
    ///
    /// A value whose parent slot is `None` is an error: `Orphan { index }` with the
    /// smallest such index.
    pub fn from_level_order(items: Vec<Option<T>>) -> Result<BiTree<T>, LevelOrderError> {
        todo!("build a tree from {} slots in level order", items.len())
    }

    /// Builds the one tree that has this preorder and this inorder (values distinct).
    ///
    /// Checks, in this order: the lengths are equal (`LengthMismatch`); no value occurs
    /// twice in the preorder (`Duplicate` with the index of the first repeat); the two
    /// sequences describe a tree (`NotATree`).
    pub fn from_preorder_inorder(preorder: &[T], inorder: &[T]) -> Result<BiTree<T>, RebuildError>
    where
        T: Clone + Eq,
    {
        todo!(
            "rebuild from a preorder of {} and an inorder of {} values",
            preorder.len(),
            inorder.len()
        )
    }

    /// Inserts `value` into a binary search tree (二叉查找树): walk down from the root,
    /// left when `value` is smaller than the node's value, right when greater, and put
    /// a new leaf in the empty place where the walk ends. Returns true if inserted,
    /// false (changing nothing) if an equal value is already there.
    pub fn insert_bst(&mut self, value: T) -> bool
    where
        T: Ord,
    {
        let _ = value;
        todo!(
            "insert a value into a search tree (empty: {})",
            self.is_empty()
        )
    }
}

// ---------------------------------------------------------------------------------
// The course's nested-list text.
// ---------------------------------------------------------------------------------

impl<T: fmt::Display> BiTree<T> {
    /// Writes the tree in the course's nested form on one line, each value between
    /// single quotes as `Display` shows it, parts separated by `", "`:
    /// `['A', ['B', None, None], None]`. The empty tree is `None`.
    ///
    /// `parse(&tree.render())` gives the tree back when no value contains a `'`.
    pub fn render(&self) -> String {
        todo!("render a tree (empty: {})", self.is_empty())
    }
}

/// Parses the course's nested form, e.g. `['A', ['B', None, None], None]`.
///
/// The grammar: `tree = None | '[' value ',' tree ',' tree [','] ']'`.
/// - `None` is exactly those four letters.
/// - A value is any text between `'` and the next `'`, or between `"` and the next `"`
///   (no escapes).
/// - Whitespace (`char::is_whitespace`) may stand between any two tokens and around the
///   tree; nothing else may follow the tree.
/// - A `[` nested deeper than [`MAX_DEPTH`] levels (the outermost `[` is level 1) is
///   refused with `TooDeep`, so that no input can overflow the stack.
///
/// Any string gives `Ok` or `Err`, never a panic. The grammar is read token by token
/// (`[`, `]`, `,`, a quoted value, `None`), skipping whitespace before each. An error's
/// `position` is the byte offset where the token that does not fit starts, and `found`
/// is the char there (`None` when the text ends where a token should start; then
/// `position` is the text's length). A token is read whole: where a tree must start,
/// `Non` or `Nope` is not `None`, so it is `ExpectedTree` at its `N` with
/// `found: Some('N')`. Two errors point elsewhere: `UnterminatedValue` at the value's
/// opening quote, `TooDeep` at the `[` that nests too deep.
pub fn parse(text: &str) -> Result<BiTree<String>, ParseError> {
    todo!("parse {text:?}")
}
