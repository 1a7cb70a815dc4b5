//! MUTANT: Iter::next forgets to move on to the next node, so iter() yields the first element forever
//! Linked list kata (链表): the reference solution.
//!
//! A singly linked list (单链表) built from `Option<Box<Node<T>>>` links, in safe Rust.
//! Read it after you have solved the kata; the comments explain the ideas that are not
//! obvious from the code.

use std::fmt;

/// A link (指针/引用) to the next node: either nothing (the end of the list) or a node
/// on the heap that this link owns.
type Link<T> = Option<Box<Node<T>>>;

/// One node (结点): a value and the link to the rest of the list.
struct Node<T> {
    value: T,
    next: Link<T>,
}

/// A singly linked list (单链表).
///
/// `push_front`, `pop_front`, `len` and `is_empty` are O(1). `push_back`, `insert`,
/// `remove`, `get` and `get_mut` walk from the head, so they are O(n) (O(i) for an
/// index i). `extend` and `collect` walk to the end once and then append, so building a
/// list of n elements is O(n).
pub struct LinkedList<T> {
    head: Link<T>,
    len: usize,
}

/// The error `insert` and `remove` return for an index outside the list.
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
        LinkedList { head: None, len: 0 }
    }

    /// How many elements the list holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list holds no element.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `value` before the first element.
    pub fn push_front(&mut self, value: T) {
        // The new node takes over the old head as its `next`.
        let next = self.head.take();
        self.head = Some(Box::new(Node { value, next }));
        self.len += 1;
    }

    /// Removes the first element and returns it, or `None` if the list is empty.
    pub fn pop_front(&mut self) -> Option<T> {
        self.head.take().map(|node| {
            let Node { value, next } = *node;
            self.head = next;
            self.len -= 1;
            value
        })
    }

    /// Adds `value` after the last element. O(n): it walks to the end.
    pub fn push_back(&mut self, value: T) {
        let tail = last_link(&mut self.head);
        *tail = Some(Box::new(Node { value, next: None }));
        self.len += 1;
    }

    /// Inserts `value` so that it ends up at position `index`, shifting the elements
    /// from `index` on one place back. `index == len()` appends.
    ///
    /// An `index` greater than `len()` is an error, and `value` is dropped.
    pub fn insert(&mut self, index: usize, value: T) -> Result<(), IndexError> {
        let len = self.len;
        if index > len {
            return Err(IndexError { index, len });
        }
        let link = link_at(&mut self.head, index).ok_or(IndexError { index, len })?;
        // Splice: the new node points at what `link` held, and `link` points at it.
        let next = link.take();
        *link = Some(Box::new(Node { value, next }));
        self.len += 1;
        Ok(())
    }

    /// Removes the element at `index` and returns it, shifting the elements after it one
    /// place forward. An `index` of `len()` or more is an error.
    pub fn remove(&mut self, index: usize) -> Result<T, IndexError> {
        let len = self.len;
        let err = IndexError { index, len };
        if index >= len {
            return Err(err);
        }
        let link = link_at(&mut self.head, index).ok_or(err)?;
        let Node { value, next } = *link.take().ok_or(err)?;
        // Unlink: the link that pointed at the removed node now points past it.
        *link = next;
        self.len -= 1;
        Ok(value)
    }

    /// The element at `index`, or `None` if `index >= len()`.
    pub fn get(&self, index: usize) -> Option<&T> {
        self.iter().nth(index)
    }

    /// The element at `index`, mutably, or `None` if `index >= len()`.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.iter_mut().nth(index)
    }

    /// Reverses the order of the elements in place, without moving any value and
    /// without allocating.
    pub fn reverse(&mut self) {
        // Take the nodes off the front one by one and push each onto `reversed`: the
        // first node taken ends up last.
        let mut reversed: Link<T> = None;
        let mut rest = self.head.take();
        while let Some(mut node) = rest {
            rest = node.next.take();
            node.next = reversed;
            reversed = Some(node);
        }
        self.head = reversed;
    }

    /// Removes every element, dropping each exactly once.
    pub fn clear(&mut self) {
        // The same loop as `Drop`: one node at a time, never recursively.
        let mut rest = self.head.take();
        while let Some(mut node) = rest {
            rest = node.next.take();
            // `node` is dropped here; its `next` is already `None`, so dropping it
            // drops one node, not the whole rest of the list.
        }
        self.len = 0;
    }

    /// An iterator over shared references to the elements, front to back.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            next: self.head.as_deref(),
        }
    }

    /// An iterator over mutable references to the elements, front to back.
    pub fn iter_mut(&mut self) -> IterMut<'_, T> {
        IterMut {
            next: self.head.as_deref_mut(),
        }
    }
}

/// The link at position `index`: the one that holds the node at `index`, or the empty
/// link after the last node when `index == len`. `None` when the list is shorter.
fn link_at<T>(head: &mut Link<T>, index: usize) -> Option<&mut Link<T>> {
    let mut link = head;
    for _ in 0..index {
        link = &mut link.as_mut()?.next;
    }
    Some(link)
}

/// The empty link after the last node (the head itself when the list is empty).
fn last_link<T>(head: &mut Link<T>) -> &mut Link<T> {
    let mut link = head;
    while let Some(node) = link {
        link = &mut node.next;
    }
    link
}

impl<T> Drop for LinkedList<T> {
    fn drop(&mut self) {
        // Without this, dropping the head drops its `next`, which drops its `next`, ...
        // one stack frame per node: a long list overflows the stack. `clear` unlinks
        // the nodes one at a time in a loop instead.
        self.clear();
    }
}

impl<T> Default for LinkedList<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Borrowing iterator, from [`LinkedList::iter`].
pub struct Iter<'a, T> {
    next: Option<&'a Node<T>>,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        // `Option<&Node>` is `Copy`, so `map` works on a copy and we can overwrite
        // `self.next` inside it.
        self.next.map(|node| &node.value)
    }
}

/// Mutably borrowing iterator, from [`LinkedList::iter_mut`].
pub struct IterMut<'a, T> {
    next: Option<&'a mut Node<T>>,
}

impl<'a, T> Iterator for IterMut<'a, T> {
    type Item = &'a mut T;

    fn next(&mut self) -> Option<&'a mut T> {
        // `&mut` is not `Copy`: `take` the reference out, so that we hold the only one,
        // then split the node into its two disjoint fields.
        self.next.take().map(|node| {
            self.next = node.next.as_deref_mut();
            &mut node.value
        })
    }
}

/// Owning iterator, from `LinkedList::into_iter`. It pops from the front.
pub struct IntoIter<T> {
    list: LinkedList<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.list.pop_front()
    }
}

impl<T> IntoIterator for LinkedList<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter { list: self }
    }
}

impl<'a, T> IntoIterator for &'a LinkedList<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut LinkedList<T> {
    type Item = &'a mut T;
    type IntoIter = IterMut<'a, T>;

    fn into_iter(self) -> IterMut<'a, T> {
        self.iter_mut()
    }
}

impl<T> FromIterator<T> for LinkedList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = LinkedList::new();
        list.extend(iter);
        list
    }
}

impl<T> Extend<T> for LinkedList<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        // Walk to the end once, then keep a reference to the last (empty) link and
        // fill it: n elements cost O(len + n), not n walks of O(len) each.
        let mut tail = last_link(&mut self.head);
        for value in iter {
            let node = tail.insert(Box::new(Node { value, next: None }));
            tail = &mut node.next;
            self.len += 1;
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for LinkedList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Exactly like a `Vec`: `[1, 2, 3]`, and one element per line with `{:#?}`.
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for LinkedList<T> {
    fn eq(&self, other: &Self) -> bool {
        // Compare lengths first: `Iterator::eq` alone would be right too, but this
        // answers in O(1) for lists of different lengths. A derived `PartialEq` would
        // compare node by node recursively and overflow the stack on a long list.
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for LinkedList<T> {}

impl<T: Clone> Clone for LinkedList<T> {
    fn clone(&self) -> Self {
        // A derived `Clone` would recurse through the nodes, like a derived `Drop`.
        self.iter().cloned().collect()
    }
}
