//! Linked list kata (链表): a singly linked list in safe Rust.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check linked_list`.
//!
//! Start where the README's "Where to start" says: each step makes more tests pass.

use std::fmt;

/// A link (指针/引用) to the next node: either nothing (the end of the list) or a node
/// on the heap that this link owns.
///
/// Given, with `Node` and the fields of `LinkedList`, so that everyone builds the same
/// shape of list: the kata is about working with it.
type Link<T> = Option<Box<Node<T>>>;

/// One node (结点): a value and the link to the rest of the list.
#[allow(dead_code)] // You will use these fields in the methods below.
struct Node<T> {
    value: T,
    next: Link<T>,
}

/// A singly linked list (单链表).
///
/// `push_front`, `pop_front`, `len` and `is_empty` must be O(1): keep `len` up to date
/// in every method that adds or removes a node. `push_back`, `insert`, `remove`, `get`
/// and `get_mut` walk from the head.
#[allow(dead_code)] // You will use these fields in the methods below.
pub struct LinkedList<T> {
    head: Link<T>,
    len: usize,
}

/// The error `insert` and `remove` return for an index outside the list.
///
/// Given, so that every solution reports a bad index in the same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexError {
    /// The index that was asked for.
    pub index: usize,
    /// The length of the list at the time.
    pub len: usize,
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "index {} is out of range for a list of length {}",
            self.index, self.len
        )
    }
}

impl std::error::Error for IndexError {}

impl<T> LinkedList<T> {
    /// An empty list.
    pub fn new() -> Self {
        todo!("create an empty list")
    }

    /// How many elements the list holds. O(1).
    pub fn len(&self) -> usize {
        todo!("the length of a list")
    }

    /// Whether the list holds no element. O(1).
    pub fn is_empty(&self) -> bool {
        todo!("is a list empty?")
    }

    /// Adds `value` before the first element. O(1).
    pub fn push_front(&mut self, value: T) {
        let _ = value;
        todo!("push onto the front of a list")
    }

    /// Removes the first element and returns it, or `None` if the list is empty. O(1).
    pub fn pop_front(&mut self) -> Option<T> {
        todo!("pop from the front of a list")
    }

    /// Adds `value` after the last element. O(n): it walks to the end.
    pub fn push_back(&mut self, value: T) {
        let _ = value;
        todo!("push onto the back of a list")
    }

    /// Inserts `value` so that it ends up at position `index`, shifting the elements
    /// from `index` on one place back. `index == len()` appends; `index == 0` is
    /// `push_front`.
    ///
    /// An `index` greater than `len()` returns `Err(IndexError { index, len })` (and
    /// `value` is dropped). Never panics.
    pub fn insert(&mut self, index: usize, value: T) -> Result<(), IndexError> {
        let _ = value;
        todo!("insert at index {index}")
    }

    /// Removes the element at `index` and returns it, shifting the elements after it one
    /// place forward.
    ///
    /// An `index` of `len()` or more returns `Err(IndexError { index, len })`. Never
    /// panics.
    pub fn remove(&mut self, index: usize) -> Result<T, IndexError> {
        todo!("remove at index {index}")
    }

    /// The element at `index`, or `None` if `index >= len()`.
    pub fn get(&self, index: usize) -> Option<&T> {
        todo!("get the element at index {index}")
    }

    /// The element at `index`, mutably, or `None` if `index >= len()`.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        todo!("get the element at index {index} mutably")
    }

    /// Reverses the order of the elements in place: no element is dropped, cloned or
    /// allocated anew. Must work on a list of a million elements (no recursion).
    pub fn reverse(&mut self) {
        todo!("reverse a list")
    }

    /// Removes every element, dropping each exactly once. Must work on a list of a
    /// million elements (no recursion).
    pub fn clear(&mut self) {
        todo!("clear a list")
    }

    /// An iterator over shared references to the elements, front to back.
    pub fn iter(&self) -> Iter<'_, T> {
        todo!("iterate over a list")
    }

    /// An iterator over mutable references to the elements, front to back.
    pub fn iter_mut(&mut self) -> IterMut<'_, T> {
        todo!("iterate mutably over a list")
    }
}

impl<T> Drop for LinkedList<T> {
    /// Drops every node exactly once, without recursion: dropping a list of a million
    /// elements must not overflow the stack.
    fn drop(&mut self) {
        // Replace these lines with your loop. Until then the nodes are leaked (never
        // freed) instead of dropped: the compiler's own drop would go from node to
        // node by recursion and crash on a long list, and a second panic while a
        // failed test cleans up would abort it.
        std::mem::forget(self.head.take());
        if !std::thread::panicking() {
            todo!("drop a list without recursion")
        }
    }
}

impl<T> Default for LinkedList<T> {
    /// An empty list (done for you: it calls `new`).
    fn default() -> Self {
        Self::new()
    }
}

/// Borrowing iterator, from [`LinkedList::iter`]. It remembers the node it yields next.
#[allow(dead_code)] // You will use this field in `next`.
pub struct Iter<'a, T> {
    next: Option<&'a Node<T>>,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        todo!("the next element of a borrowing iterator")
    }
}

/// Mutably borrowing iterator, from [`LinkedList::iter_mut`].
#[allow(dead_code)] // You will use this field in `next`.
pub struct IterMut<'a, T> {
    next: Option<&'a mut Node<T>>,
}

impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = &'a mut T;

    fn next(&mut self) -> Option<&'a mut T> {
        todo!("the next element of a mutably borrowing iterator")
    }
}

/// Owning iterator, from `LinkedList::into_iter`: it yields the elements by value.
#[allow(dead_code)] // You will use this field in `next`.
pub struct IntoIter<T> {
    list: LinkedList<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        todo!("the next element of an owning iterator")
    }
}

impl<T> IntoIterator for LinkedList<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    /// Turns the list into an iterator that yields its elements by value, front to back.
    fn into_iter(self) -> IntoIter<T> {
        let _ = self;
        todo!("turn a list into an owning iterator")
    }
}

/// `for x in &list` (done for you: it calls `iter`).
impl<'a, T> IntoIterator for &'a LinkedList<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// `for x in &mut list` (done for you: it calls `iter_mut`).
impl<'a, T> IntoIterator for &'a mut LinkedList<T> {
    type Item = &'a mut T;
    type IntoIter = IterMut<'a, T>;

    fn into_iter(self) -> IterMut<'a, T> {
        self.iter_mut()
    }
}

impl<T> FromIterator<T> for LinkedList<T> {
    /// `iter.collect::<LinkedList<_>>()`: the elements in the iterator's order.
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let _ = iter;
        todo!("collect an iterator into a list")
    }
}

impl<T> Extend<T> for LinkedList<T> {
    /// Appends every element of `iter` at the back, in order.
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let _ = iter;
        todo!("extend a list")
    }
}

impl<T: fmt::Debug> fmt::Debug for LinkedList<T> {
    /// Formats exactly as a `Vec` holding the same elements does: `[1, 2, 3]` with
    /// `{:?}`, one element per line with `{:#?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("format a list for debugging")
    }
}

impl<T: PartialEq> PartialEq for LinkedList<T> {
    /// Two lists are equal when they hold equal elements in the same order.
    fn eq(&self, other: &Self) -> bool {
        let _ = other;
        todo!("compare two lists")
    }
}

impl<T: Eq> Eq for LinkedList<T> {}

impl<T: Clone> Clone for LinkedList<T> {
    /// A new list with a clone of every element, in the same order.
    fn clone(&self) -> Self {
        todo!("clone a list")
    }
}
