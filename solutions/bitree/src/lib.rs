//! Binary tree kata (二叉树): the reference solution.
//!
//! Every traversal comes twice: a recursive form that follows the definition, and an
//! iterative form that keeps its own stack or queue on the heap, so that a tree as
//! deep as a long list cannot overflow the call stack.

use std::collections::VecDeque;
use std::fmt;

// ---------------------------------------------------------------------------------
// The types (given to the learner as they are).
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
// Traversals (遍历).
// ---------------------------------------------------------------------------------

impl<T> BiTree<T> {
    /// Preorder (先序遍历): root, then the left subtree, then the right subtree.
    pub fn preorder_recursive(&self) -> Vec<&T> {
        fn walk<'a, T>(tree: &'a BiTree<T>, out: &mut Vec<&'a T>) {
            if let Some(node) = &tree.root {
                out.push(&node.value);
                walk(&node.left, out);
                walk(&node.right, out);
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    /// Preorder with an explicit stack. Push the right child before the left one, so
    /// that the left one is popped (visited) first.
    pub fn preorder_iterative(&self) -> Vec<&T> {
        let mut out = Vec::new();
        let mut stack: Vec<&Node<T>> = self.root.as_deref().into_iter().collect();
        while let Some(node) = stack.pop() {
            out.push(&node.value);
            stack.extend(node.right.root.as_deref());
            stack.extend(node.left.root.as_deref());
        }
        out
    }

    /// Inorder (中序遍历): the left subtree, then the root, then the right subtree.
    pub fn inorder_recursive(&self) -> Vec<&T> {
        fn walk<'a, T>(tree: &'a BiTree<T>, out: &mut Vec<&'a T>) {
            if let Some(node) = &tree.root {
                walk(&node.left, out);
                out.push(&node.value);
                walk(&node.right, out);
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    /// Inorder with an explicit stack: go left as far as possible, stacking the nodes
    /// passed on the way; pop one, visit it, then do the same from its right child.
    pub fn inorder_iterative(&self) -> Vec<&T> {
        let mut out = Vec::new();
        let mut stack: Vec<&Node<T>> = Vec::new();
        let mut current = self.root.as_deref();
        loop {
            while let Some(node) = current {
                stack.push(node);
                current = node.left.root.as_deref();
            }
            match stack.pop() {
                None => break,
                Some(node) => {
                    out.push(&node.value);
                    current = node.right.root.as_deref();
                }
            }
        }
        out
    }

    /// Postorder (后序遍历): the left subtree, then the right subtree, then the root.
    pub fn postorder_recursive(&self) -> Vec<&T> {
        fn walk<'a, T>(tree: &'a BiTree<T>, out: &mut Vec<&'a T>) {
            if let Some(node) = &tree.root {
                walk(&node.left, out);
                walk(&node.right, out);
                out.push(&node.value);
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    /// Postorder with an explicit stack. Visiting root, right, left (a mirrored
    /// preorder) and reversing the result gives left, right, root.
    pub fn postorder_iterative(&self) -> Vec<&T> {
        let mut out = Vec::new();
        let mut stack: Vec<&Node<T>> = self.root.as_deref().into_iter().collect();
        while let Some(node) = stack.pop() {
            out.push(&node.value);
            stack.extend(node.left.root.as_deref());
            stack.extend(node.right.root.as_deref());
        }
        out.reverse();
        out
    }

    /// Level order (层次遍历) by recursion: for each level from the root down, collect
    /// that level's nodes from left to right with a recursive walk that stops at the
    /// wanted depth.
    pub fn level_order_recursive(&self) -> Vec<&T> {
        fn at_depth<'a, T>(tree: &'a BiTree<T>, depth: usize, out: &mut Vec<&'a T>) {
            if let Some(node) = &tree.root {
                if depth == 1 {
                    out.push(&node.value);
                } else {
                    at_depth(&node.left, depth - 1, out);
                    at_depth(&node.right, depth - 1, out);
                }
            }
        }
        let mut out = Vec::new();
        for depth in 1..=self.height() {
            at_depth(self, depth, &mut out);
        }
        out
    }

    /// Level order with a queue (队列): the first node in is the first visited, so the
    /// nodes leave the queue level by level, each level from left to right.
    pub fn level_order_iterative(&self) -> Vec<&T> {
        let mut out = Vec::new();
        let mut queue: VecDeque<&Node<T>> = self.root.as_deref().into_iter().collect();
        while let Some(node) = queue.pop_front() {
            out.push(&node.value);
            queue.extend(node.left.root.as_deref());
            queue.extend(node.right.root.as_deref());
        }
        out
    }
}

// ---------------------------------------------------------------------------------
// Measures.
// ---------------------------------------------------------------------------------

impl<T> BiTree<T> {
    /// Height (高度/深度): the number of levels. Empty: 0; one node: 1.
    pub fn height(&self) -> usize {
        match &self.root {
            None => 0,
            Some(node) => 1 + node.left.height().max(node.right.height()),
        }
    }

    /// Size: the number of nodes.
    pub fn size(&self) -> usize {
        match &self.root {
            None => 0,
            Some(node) => 1 + node.left.size() + node.right.size(),
        }
    }

    /// Leaf count: the number of nodes with no child at all (树叶, degree 0).
    pub fn leaf_count(&self) -> usize {
        match &self.root {
            None => 0,
            Some(node) if node.left.is_empty() && node.right.is_empty() => 1,
            Some(node) => node.left.leaf_count() + node.right.leaf_count(),
        }
    }
}

// ---------------------------------------------------------------------------------
// Building.
// ---------------------------------------------------------------------------------

impl<T> BiTree<T> {
    /// Builds a tree from level order with gaps, stored as an array (顺序存储): the
    /// root at index 0, and the children of index `i` at `2i + 1` (left) and `2i + 2`
    /// (right). `None` marks a missing node; trailing `None`s may be left out.
    pub fn from_level_order(items: Vec<Option<T>>) -> Result<BiTree<T>, LevelOrderError> {
        // Check first, so the error names the smallest orphaned index.
        for i in 1..items.len() {
            if items[i].is_some() && items[(i - 1) / 2].is_none() {
                return Err(LevelOrderError::Orphan { index: i });
            }
        }
        // Build from the last index down: both children of `i` (at 2i + 1 and 2i + 2)
        // are finished before `i` itself.
        let mut built: Vec<BiTree<T>> = (0..items.len()).map(|_| BiTree::empty()).collect();
        for (i, item) in items.into_iter().enumerate().rev() {
            if let Some(value) = item {
                let left = take_slot(&mut built, 2 * i + 1);
                let right = take_slot(&mut built, 2 * i + 2);
                built[i] = BiTree::node(value, left, right);
            }
        }
        Ok(take_slot(&mut built, 0))
    }

    /// Builds the tree that has this preorder and this inorder. Values must be
    /// distinct. Checks, in this order: equal lengths, distinct values, and that the
    /// two sequences describe one tree.
    pub fn from_preorder_inorder(preorder: &[T], inorder: &[T]) -> Result<BiTree<T>, RebuildError>
    where
        T: Clone + Eq,
    {
        if preorder.len() != inorder.len() {
            return Err(RebuildError::LengthMismatch {
                preorder: preorder.len(),
                inorder: inorder.len(),
            });
        }
        if let Some(index) = (1..preorder.len()).find(|&j| preorder[..j].contains(&preorder[j])) {
            return Err(RebuildError::Duplicate { index });
        }
        rebuild(preorder, inorder)
    }

    /// Inserts `value` into a binary search tree (二叉查找树): smaller values go left,
    /// greater go right. Returns false (and changes nothing) if `value` is already there.
    pub fn insert_bst(&mut self, value: T) -> bool
    where
        T: Ord,
    {
        // Walk down with a mutable reference to the empty slot where `value` belongs.
        let mut slot = &mut self.root;
        while let Some(node) = slot {
            slot = match value.cmp(&node.value) {
                std::cmp::Ordering::Less => &mut node.left.root,
                std::cmp::Ordering::Greater => &mut node.right.root,
                std::cmp::Ordering::Equal => return false,
            };
        }
        *slot = Some(Box::new(Node {
            value,
            left: BiTree::empty(),
            right: BiTree::empty(),
        }));
        true
    }
}

/// The tree at `built[i]`, or the empty tree past the end.
fn take_slot<T>(built: &mut [BiTree<T>], i: usize) -> BiTree<T> {
    built.get_mut(i).map(std::mem::take).unwrap_or_default()
}

/// The first value of the preorder is the root. Its place in the inorder splits the
/// inorder into the left subtree (before it) and the right subtree (after it); the
/// left subtree's k values come next in the preorder, then the right subtree's.
fn rebuild<T: Clone + Eq>(preorder: &[T], inorder: &[T]) -> Result<BiTree<T>, RebuildError> {
    let Some((root, rest)) = preorder.split_first() else {
        return Ok(BiTree::empty());
    };
    let k = inorder
        .iter()
        .position(|v| v == root)
        .ok_or(RebuildError::NotATree)?;
    let left = rebuild(&rest[..k], &inorder[..k])?;
    let right = rebuild(&rest[k..], &inorder[k + 1..])?;
    Ok(BiTree::node(root.clone(), left, right))
}
