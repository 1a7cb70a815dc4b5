//! Binary tree kata (二叉树): build a tree, walk it in four orders, measure it, and
//! rebuild it from two of its walks. (Reading and writing the course's nested-list text
//! is the next kata, `bitree_text`.)
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check bitree`.
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
