//! The binary tree (二叉树) this kata reads and writes: given, and the same in
//! `exercises/bitree_text` and `solutions/bitree_text`.
//!
//! It is the tree of the `bitree` kata with only what reading and writing text needs:
//! the type, its builders, `Clone`, `PartialEq`, a `Debug` in the nested form (what the
//! suite's messages print) and a `Drop` that does not recurse. None of the traversals you
//! wrote in `bitree` is here: this kata stands on its own.

use std::fmt;

/// A binary tree: either empty (空树) or a root node with two subtrees.
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

/// Dropping takes the tree apart with an explicit stack: the compiler's own drop would
/// recurse once per level of a deep tree.
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
