//! bitree_text kata (二叉树的嵌套列表表示): write a binary tree as the course's
//! nested-list text, `['A', ['B', None, None], None]`, and read such text back.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check bitree_text`.
//!
//! The tree type is given in `src/tree.rs` (the suite builds and compares trees with it)
//! and the error types are given below; your part is `render` and `parse`, at the end.

mod tree;

use std::fmt;

pub use tree::{BiTree, Node};

// ---------------------------------------------------------------------------------
// The errors (given: the suite compares your errors with them).
// ---------------------------------------------------------------------------------

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

/// Why [`BiTree::render`] refused a tree: a value holds a single quote, which the
/// nested form cannot write (a value ends at the next `'`, and there are no escapes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The first such value in preorder (root, left subtree, right subtree), as
    /// `Display` shows it.
    pub value: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the value {:?} holds a ', which cannot stand between single quotes",
            self.value
        )
    }
}

impl std::error::Error for RenderError {}

// ---------------------------------------------------------------------------------
// Writing and reading the course's nested-list text: yours.
// ---------------------------------------------------------------------------------

impl<T: fmt::Display> BiTree<T> {
    /// Writes the tree in the course's nested form on one line, each value between
    /// single quotes as `Display` shows it, parts separated by `", "`:
    /// `['A', ['B', None, None], None]`. The empty tree is `None`.
    ///
    /// Values are written as they are, with no escapes: a backslash is written as it
    /// is. A value holding a `'` cannot be written (the value would end there), so the
    /// tree is refused with a [`RenderError`] naming the first such value in preorder
    /// (root, left subtree, right subtree); never double quotes instead, never `\'`.
    /// For every other tree, `parse(&tree.render()?)` gives the tree back.
    pub fn render(&self) -> Result<String, RenderError> {
        todo!("render a tree (empty: {})", self.is_empty())
    }
}

/// Parses the course's nested form, e.g. `['A', ['B', None, None], None]`.
///
/// The grammar: `tree = None | '[' value ',' tree ',' tree [','] ']'`.
/// - `None` is exactly those four letters.
/// - A value is any text between `'` and the next `'`, or between `"` and the next `"`.
///   There are no escapes: a backslash is a character like any other (`['a\', None,
///   None]` holds the value `a\`). A value between double quotes may hold a `'`; such a
///   tree parses, but `render` refuses it.
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
