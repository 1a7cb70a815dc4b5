//! MUTANT: get works out the slot (head + index) before it checks index < len, so a huge index overflows and panics
//! Queue kata (队列): reference solution.
//!
//! Two queues with the same promise, first in, first out (先进先出, FIFO):
//!
//! - [`SeqQueue`] keeps its items in a fixed row of slots and lets the front and the
//!   back chase each other round it: a ring buffer (循环队列).
//! - [`LinkedQueue`] keeps every item in its own node, linked front to back, and
//!   remembers both ends so that enqueueing never walks the list.

use std::error::Error;
use std::fmt;

use nodes::{Node, Nodes};

// ---------------------------------------------------------------------------------------
// SeqQueue: the ring buffer
// ---------------------------------------------------------------------------------------

/// A first-in, first-out queue of at most `capacity` items, stored in a ring buffer
/// (循环队列, sequential storage 顺序存储).
///
/// Enqueueing onto a full queue hands the value back inside [`QueueFull`]; nothing
/// panics and nothing is overwritten.
pub struct SeqQueue<T> {
    /// One place per item the queue can hold; `None` where no item is.
    slots: Box<[Option<T>]>,
    /// Index in `slots` of the front item (队头). Always below `slots.len()` when the
    /// queue has any slot at all.
    head: usize,
    /// How many items are queued. Keeping the count is what tells "full"
    /// (`len == capacity`) from "empty" (`len == 0`): with only a front and a back
    /// index, both states would have the two indices equal.
    len: usize,
}

impl<T> SeqQueue<T> {
    /// An empty queue with room for `capacity` items. A capacity of 0 is allowed: that
    /// queue is always empty and always full.
    pub fn with_capacity(capacity: usize) -> Self {
        // `vec![None; capacity]` would need `T: Clone`; building each `None` does not.
        let slots = std::iter::repeat_with(|| None).take(capacity).collect();
        SeqQueue {
            slots,
            head: 0,
            len: 0,
        }
    }

    /// How many items the queue can hold at once.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// How many items are queued now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no item is queued.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when `len() == capacity()`: the next enqueue will be refused.
    pub fn is_full(&self) -> bool {
        self.len == self.capacity()
    }

    /// Adds `value` at the back (队尾). On a full queue nothing changes and the value
    /// comes back inside the error.
    pub fn enqueue(&mut self, value: T) -> Result<(), QueueFull<T>> {
        if self.is_full() {
            return Err(QueueFull {
                value,
                capacity: self.capacity(),
            });
        }
        // The back is `len` places after the front, going round the ring.
        let back = self.slot_of(self.len);
        self.slots[back] = Some(value);
        self.len += 1;
        Ok(())
    }

    /// Removes and returns the front item (队头), or `None` when the queue is empty.
    pub fn dequeue(&mut self) -> Option<T> {
        if self.is_empty() {
            return None;
        }
        let value = self.slots[self.head].take();
        // Step the front one place on; past the last slot it wraps round to slot 0.
        self.head = (self.head + 1) % self.capacity();
        self.len -= 1;
        value
    }

    /// The front item, the one `dequeue` would return, without removing it.
    pub fn peek(&self) -> Option<&T> {
        self.get(0)
    }

    /// The item `index` places behind the front (`get(0)` is the front), or `None`
    /// when `index >= len()`.
    pub fn get(&self, index: usize) -> Option<&T> {
        if self.is_empty() {
            return None;
        }
        let slot = self.slot_of(index);
        if index >= self.len {
            return None;
        }
        self.slots[slot].as_ref()
    }

    /// Iterates over the items from front to back, leaving them queued.
    pub fn iter(&self) -> SeqIter<'_, T> {
        SeqIter {
            queue: self,
            index: 0,
        }
    }

    /// The slot that holds the item `index` places behind the front. Only called when
    /// there is at least one slot, so the `%` never divides by zero.
    fn slot_of(&self, index: usize) -> usize {
        (self.head + index) % self.capacity()
    }
}

/// Prints the items from front to back, exactly as `VecDeque` prints: `[1, 2, 3]`.
impl<T: fmt::Debug> fmt::Debug for SeqQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The iterator of [`SeqQueue::iter`]: front to back.
pub struct SeqIter<'a, T> {
    queue: &'a SeqQueue<T>,
    /// How many items have been yielded so far.
    index: usize,
}

impl<'a, T> Iterator for SeqIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let item = self.queue.get(self.index)?;
        self.index += 1;
        Some(item)
    }
}

impl<'a, T> IntoIterator for &'a SeqQueue<T> {
    type Item = &'a T;
    type IntoIter = SeqIter<'a, T>;

    fn into_iter(self) -> SeqIter<'a, T> {
        self.iter()
    }
}

/// The error of [`SeqQueue::enqueue`] on a full queue. It owns the value that did not
/// fit, so the caller gets it back (like `std::sync::mpsc::TrySendError::Full`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFull<T> {
    /// The value that was not enqueued.
    pub value: T,
    /// The capacity of the queue that refused it.
    pub capacity: usize,
}

/// Prints `queue is full (capacity 3)`.
impl<T> fmt::Display for QueueFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "queue is full (capacity {})", self.capacity)
    }
}

impl<T: fmt::Debug> Error for QueueFull<T> {}

// ---------------------------------------------------------------------------------------
// LinkedQueue: nodes linked by index
// ---------------------------------------------------------------------------------------

/// A first-in, first-out queue without a size limit, stored as a singly linked list
/// (链式存储) that remembers its last node, so that both `enqueue` and `dequeue` take
/// a fixed number of steps however long the queue is.
///
/// The nodes live in a [`Nodes`] store and link to each other by index: an index is a
/// "pointer" that the borrow checker does not track, so the queue may keep two of
/// them (the head and the tail) without any `unsafe`.
pub struct LinkedQueue<T> {
    nodes: Nodes<T>,
    /// The front node (队头): the next to leave.
    head: Option<usize>,
    /// The back node (队尾): the last to arrive. `None` exactly when `head` is.
    tail: Option<usize>,
    len: usize,
}

impl<T> LinkedQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        LinkedQueue {
            nodes: Nodes::new(),
            head: None,
            tail: None,
            len: 0,
        }
    }

    /// How many items are queued now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no item is queued.
    pub fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Adds `value` at the back (队尾), looking at no node but the old tail.
    pub fn enqueue(&mut self, value: T) {
        let new = self.nodes.insert(Node { value, next: None });
        match self.tail {
            // The old last node now links to the new one.
            Some(tail) => self.nodes.get_mut(tail).next = Some(new),
            // The queue was empty: the new node is the front too.
            None => self.head = Some(new),
        }
        self.tail = Some(new);
        self.len += 1;
    }

    /// Removes and returns the front item (队头), or `None` when the queue is empty.
    pub fn dequeue(&mut self) -> Option<T> {
        let head = self.head?;
        let node = self.nodes.remove(head);
        self.head = node.next;
        if self.head.is_none() {
            // The last node just left. `tail` still holds its index, which the store
            // will hand out again: forget it, or the next enqueue links to a ghost.
            self.tail = None;
        }
        self.len -= 1;
        Some(node.value)
    }

    /// The front item, the one `dequeue` would return, without removing it.
    pub fn peek(&self) -> Option<&T> {
        self.head.map(|head| &self.nodes.get(head).value)
    }

    /// Iterates over the items from front to back, leaving them queued.
    pub fn iter(&self) -> LinkedIter<'_, T> {
        LinkedIter {
            queue: self,
            next: self.head,
        }
    }

    /// How many times this queue has looked at one of its nodes (every call of
    /// `Nodes::get`, `get_mut` and `remove` counts one). The suite reads it to prove
    /// that `enqueue` does not walk the list: it counts work instead of timing it.
    pub fn visits(&self) -> usize {
        self.nodes.visits()
    }
}

impl<T> Default for LinkedQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Prints the items from front to back, exactly as `VecDeque` prints: `[1, 2, 3]`.
impl<T: fmt::Debug> fmt::Debug for LinkedQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The iterator of [`LinkedQueue::iter`]: front to back.
pub struct LinkedIter<'a, T> {
    queue: &'a LinkedQueue<T>,
    /// The node to yield next.
    next: Option<usize>,
}

impl<'a, T> Iterator for LinkedIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let node = self.queue.nodes.get(self.next?);
        self.next = node.next;
        Some(&node.value)
    }
}

impl<'a, T> IntoIterator for &'a LinkedQueue<T> {
    type Item = &'a T;
    type IntoIter = LinkedIter<'a, T>;

    fn into_iter(self) -> LinkedIter<'a, T> {
        self.iter()
    }
}

/// The node store of `LinkedQueue`: given in the stub, the same here.
///
/// Nodes live in a `Vec` and are named by their index in it. A removed node's slot goes
/// on a free list (itself linked by index) and is handed out again by the next
/// `insert`, so the store never holds more slots than the queue once held items.
/// Every look at a node is counted, which lets the suite measure the queue's work.
mod nodes {
    use std::cell::Cell;

    /// One item and the index of the node behind it (`None` for the last node).
    pub struct Node<T> {
        pub value: T,
        pub next: Option<usize>,
    }

    enum Slot<T> {
        Used(Node<T>),
        /// A slot free for reuse, linking to the next free slot.
        Free {
            next_free: Option<usize>,
        },
    }

    pub struct Nodes<T> {
        slots: Vec<Slot<T>>,
        /// The first free slot, if any.
        free: Option<usize>,
        visits: Cell<usize>,
    }

    impl<T> Nodes<T> {
        pub const fn new() -> Self {
            Nodes {
                slots: Vec::new(),
                free: None,
                visits: Cell::new(0),
            }
        }

        /// Stores `node` and returns its index. Looks at no other node.
        pub fn insert(&mut self, node: Node<T>) -> usize {
            match self.free {
                Some(index) => {
                    let Slot::Free { next_free } = self.slots[index] else {
                        unreachable!("the free list leads to slot {index}, which is in use");
                    };
                    self.free = next_free;
                    self.slots[index] = Slot::Used(node);
                    index
                }
                None => {
                    self.slots.push(Slot::Used(node));
                    self.slots.len() - 1
                }
            }
        }

        /// Takes the node at `index` out of the store; its index may be reused by the
        /// next `insert`. Counts one visit.
        pub fn remove(&mut self, index: usize) -> Node<T> {
            self.visit(index);
            let free = Slot::Free {
                next_free: self.free,
            };
            let Slot::Used(node) = std::mem::replace(&mut self.slots[index], free) else {
                unreachable!("checked by visit");
            };
            self.free = Some(index);
            node
        }

        /// The node at `index`. Counts one visit.
        pub fn get(&self, index: usize) -> &Node<T> {
            self.visit(index);
            match &self.slots[index] {
                Slot::Used(node) => node,
                Slot::Free { .. } => unreachable!("checked by visit"),
            }
        }

        /// The node at `index`, to change. Counts one visit.
        pub fn get_mut(&mut self, index: usize) -> &mut Node<T> {
            self.visit(index);
            match &mut self.slots[index] {
                Slot::Used(node) => node,
                Slot::Free { .. } => unreachable!("checked by visit"),
            }
        }

        /// How many times a node has been looked at.
        pub fn visits(&self) -> usize {
            self.visits.get()
        }

        /// Counts a visit, and stops with a clear message when `index` names no node.
        fn visit(&self, index: usize) {
            self.visits.set(self.visits.get() + 1);
            match self.slots.get(index) {
                Some(Slot::Used(_)) => {}
                Some(Slot::Free { .. }) => panic!(
                    "node {index} was removed earlier, yet a link still leads to it \
                     (is `tail` or a `next` stale?)"
                ),
                None => panic!(
                    "there is no node {index}: the store holds {} slots",
                    self.slots.len()
                ),
            }
        }
    }
}
