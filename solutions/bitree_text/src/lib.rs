//! Reference solution of the bitree_text kata (二叉树的嵌套列表表示): the course's
//! nested-list text for a binary tree, written by `render` and read back by `parse`.
//!
//! `parse` is a recursive-descent parser (one method per rule of the grammar) that
//! carries the nesting depth along, so that no text can make it overflow the stack.

mod tree;

use std::fmt;

pub use tree::{BiTree, Node};

// ---------------------------------------------------------------------------------
// The errors (given to the learner as they are).
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
// Writing and reading the course's nested-list text.
// ---------------------------------------------------------------------------------

impl<T: fmt::Display> BiTree<T> {
    /// Writes the tree in the course's nested form, each value between single quotes
    /// as `Display` shows it: `['A', ['B', None, None], None]`. The empty tree is `None`.
    ///
    /// A value holding a `'` is refused (the first one in preorder): no text could
    /// give it back, since `parse` ends a value at the next `'` and knows no escapes.
    /// Every other tree renders, and `parse` gives it back exactly.
    pub fn render(&self) -> Result<String, RenderError> {
        fn write<T: fmt::Display>(tree: &BiTree<T>, out: &mut String) -> Result<(), RenderError> {
            use fmt::Write as _;
            match &tree.root {
                None => out.push_str("None"),
                Some(node) => {
                    out.push_str("['");
                    // The value is written in place, then checked where it landed.
                    let start = out.len();
                    // Writing into a String cannot fail.
                    let _ = write!(out, "{}", node.value);
                    if out[start..].contains('\'') {
                        return Err(RenderError {
                            value: out[start..].to_string(),
                        });
                    }
                    out.push_str("', ");
                    write(&node.left, out)?;
                    out.push_str(", ");
                    write(&node.right, out)?;
                    out.push(']');
                }
            }
            Ok(())
        }
        let mut out = String::new();
        write(self, &mut out)?;
        Ok(out)
    }
}

/// Parses the course's nested form, e.g. `['A', ['B', None, None], None]`.
///
/// The grammar: `tree = None | '[' value ',' tree ',' tree [','] ']'`, where a value is
/// any text between single quotes or between double quotes (no escapes: a backslash is
/// a character like any other), and whitespace (`char::is_whitespace`) may stand
/// between any two tokens and around the tree.
///
/// An error's `position` is the byte offset where the token that does not fit starts
/// (after any whitespace), and `found` the char there, `None` at the end of the text.
/// A token is read whole: `Non` or `Nope` where a tree must start is `ExpectedTree` at
/// its `N`. `UnterminatedValue` points at the opening quote, `TooDeep` at the `[`.
pub fn parse(text: &str) -> Result<BiTree<String>, ParseError> {
    let mut parser = Parser { text, pos: 0 };
    let tree = parser.tree(1)?;
    parser.skip_whitespace();
    match parser.peek() {
        None => Ok(tree),
        Some(found) => Err(parser.error(ParseErrorKind::TrailingInput { found })),
    }
}

/// A recursive-descent parser: one method per rule of the grammar. `pos` is a byte
/// offset that always sits on a char boundary, because it only ever moves past whole
/// chars.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_whitespace(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError {
            position: self.pos,
            kind,
        }
    }

    /// Skips whitespace, then consumes `expected` or fails with `kind(found)`.
    fn expect(
        &mut self,
        expected: char,
        kind: fn(Option<char>) -> ParseErrorKind,
    ) -> Result<(), ParseError> {
        self.skip_whitespace();
        match self.peek() {
            Some(c) if c == expected => {
                self.pos += c.len_utf8();
                Ok(())
            }
            found => Err(self.error(kind(found))),
        }
    }

    /// A tree whose `[`, if it has one, is at nesting depth `depth`.
    fn tree(&mut self, depth: usize) -> Result<BiTree<String>, ParseError> {
        self.skip_whitespace();
        if self.text[self.pos..].starts_with("None") {
            self.pos += "None".len();
            return Ok(BiTree::empty());
        }
        match self.peek() {
            Some('[') if depth > MAX_DEPTH => Err(self.error(ParseErrorKind::TooDeep)),
            Some('[') => {
                self.pos += 1;
                let value = self.value()?;
                self.expect(',', |found| ParseErrorKind::ExpectedComma { found })?;
                let left = self.tree(depth + 1)?;
                self.expect(',', |found| ParseErrorKind::ExpectedComma { found })?;
                let right = self.tree(depth + 1)?;
                self.skip_whitespace();
                if self.peek() == Some(',') {
                    self.pos += 1;
                }
                self.expect(']', |found| ParseErrorKind::ExpectedClose { found })?;
                Ok(BiTree::node(value, left, right))
            }
            found => Err(self.error(ParseErrorKind::ExpectedTree { found })),
        }
    }

    /// A value between matching quotes.
    fn value(&mut self) -> Result<String, ParseError> {
        self.skip_whitespace();
        let quote = match self.peek() {
            Some(q @ ('\'' | '"')) => q,
            found => return Err(self.error(ParseErrorKind::ExpectedValue { found })),
        };
        let start = self.pos + 1;
        match self.text[start..].find(quote) {
            Some(len) => {
                self.pos = start + len + 1;
                Ok(self.text[start..start + len].to_string())
            }
            None => Err(self.error(ParseErrorKind::UnterminatedValue)),
        }
    }
}
