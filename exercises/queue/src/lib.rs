//! Queue kata (队列): a ring buffer and a linked queue.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check queue`.
//!
//! Both queues keep the same promise, first in, first out (先进先出, FIFO): items
//! join at the back (队尾) and leave from the front (队头).
//!
//! - [`SeqQueue`] keeps its items in a fixed row of slots used as a ring (循环队列).
//! - [`LinkedQueue`] keeps every item in its own node, linked front to back, and
//!   remembers both ends.

use std::error::Error;
use std::fmt;

#[allow(unused_imports)] // `Node` is for the `enqueue` you write.
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
    // These fields are a suggestion that works; they are private, so you may change
    // them. Whatever you keep, the items must stay in their slots while they wait:
    // dequeue moves the front, never the items.
    /// One place per item the queue can hold; `None` where no item is.
    slots: Box<[Option<T>]>,
    /// Index in `slots` of the front item (队头).
    head: usize,
    /// How many items are queued.
    len: usize,
}

impl<T> SeqQueue<T> {
    /// An empty queue with room for `capacity` items. A capacity of 0 is allowed: that
    /// queue is always empty and always full (every enqueue is refused).
    pub fn with_capacity(capacity: usize) -> Self {
        todo!("make an empty queue with room for {capacity} items")
    }

    /// How many items the queue can hold at once.
    pub fn capacity(&self) -> usize {
        todo!("the capacity of a queue with {} slots", self.slots.len())
    }

    /// How many items are queued now.
    pub fn len(&self) -> usize {
        todo!("the length of a queue ({} so far)", self.len)
    }

    /// True when no item is queued.
    pub fn is_empty(&self) -> bool {
        todo!("is a queue of {} items empty?", self.len)
    }

    /// True when `len() == capacity()`: the next enqueue will be refused.
    pub fn is_full(&self) -> bool {
        todo!("is a queue of {} items full?", self.len)
    }

    /// Adds `value` at the back (队尾). On a full queue nothing changes and the value
    /// comes back inside the error: `Err(QueueFull { value, capacity })`.
    pub fn enqueue(&mut self, value: T) -> Result<(), QueueFull<T>> {
        let _ = value;
        todo!("enqueue behind the {} items", self.len)
    }

    /// Removes and returns the front item (队头), or `None` when the queue is empty.
    pub fn dequeue(&mut self) -> Option<T> {
        todo!("dequeue the item in slot {}", self.head)
    }

    /// The front item, the one `dequeue` would return, without removing it.
    pub fn peek(&self) -> Option<&T> {
        todo!("peek at the front of a queue of {} items", self.len)
    }

    /// The item `index` places behind the front (`get(0)` is the front), or `None`
    /// when `index >= len()`.
    pub fn get(&self, index: usize) -> Option<&T> {
        todo!("get item {index} of {}", self.len)
    }

    /// Iterates over the items from front to back, leaving them queued.
    pub fn iter(&self) -> SeqIter<'_, T> {
        SeqIter {
            queue: self,
            index: 0,
        }
    }
}

/// Prints the items from front to back, exactly as `VecDeque` prints: `[1, 2, 3]`
/// (and, with `{:#?}`, one item a line). `f.debug_list()` does the layout for you.
impl<T: fmt::Debug> fmt::Debug for SeqQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("print the {} items front to back", self.len)
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
        todo!(
            "yield item {} of a queue of {} items",
            self.index,
            self.queue.len()
        )
    }
}

/// Lets `for item in &queue` work. Given.
impl<'a, T> IntoIterator for &'a SeqQueue<T> {
    type Item = &'a T;
    type IntoIter = SeqIter<'a, T>;

    fn into_iter(self) -> SeqIter<'a, T> {
        self.iter()
    }
}

/// The error of [`SeqQueue::enqueue`] on a full queue. It owns the value that did not
/// fit, so the caller gets it back (like `std::sync::mpsc::TrySendError::Full`).
/// Given: the suite compares errors with `==`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFull<T> {
    /// The value that was not enqueued.
    pub value: T,
    /// The capacity of the queue that refused it.
    pub capacity: usize,
}

/// Prints exactly `queue is full (capacity 3)` (with the queue's capacity).
impl<T> fmt::Display for QueueFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("say that a queue of capacity {} is full", self.capacity)
    }
}

impl<T: fmt::Debug> Error for QueueFull<T> {}

// ---------------------------------------------------------------------------------------
// LinkedQueue: nodes linked by index
// ---------------------------------------------------------------------------------------

/// A first-in, first-out queue without a size limit, stored as a singly linked list
/// (链式存储) that remembers its last node, so that `enqueue` and `dequeue` each take a
/// fixed number of steps however long the queue is.
///
/// The nodes live in the [`Nodes`] store below and link to each other by index (an
/// index is a "pointer" the borrow checker does not track, so the queue may keep two
/// of them: the head and the tail). Keep every item in `self.nodes`: the suite counts
/// the nodes your code looks at.
pub struct LinkedQueue<T> {
    // Given, because the suite counts work through `nodes`. Keep all four.
    nodes: Nodes<T>,
    /// The front node (队头): the next to leave.
    head: Option<usize>,
    /// The back node (队尾): the last to arrive.
    tail: Option<usize>,
    /// How many items are queued.
    len: usize,
}

impl<T> LinkedQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        todo!("make an empty linked queue")
    }

    /// How many items are queued now. Must not walk the list.
    pub fn len(&self) -> usize {
        todo!("the length of a linked queue ({} so far)", self.len)
    }

    /// True when no item is queued.
    pub fn is_empty(&self) -> bool {
        todo!("is a linked queue of {} items empty?", self.len)
    }

    /// Adds `value` at the back (队尾). Must look at no node but the last one.
    pub fn enqueue(&mut self, value: T) {
        let _ = value;
        todo!("link a new node behind node {:?}", self.tail)
    }

    /// Removes and returns the front item (队头), or `None` when the queue is empty.
    pub fn dequeue(&mut self) -> Option<T> {
        todo!("unlink the front node {:?}", self.head)
    }

    /// The front item, the one `dequeue` would return, without removing it.
    pub fn peek(&self) -> Option<&T> {
        todo!("peek at node {:?}", self.head)
    }

    /// Iterates over the items from front to back, leaving them queued.
    pub fn iter(&self) -> LinkedIter<'_, T> {
        LinkedIter {
            queue: self,
            next: self.head,
        }
    }

    /// How many times this queue has looked at one of its nodes (every call of
    /// `Nodes::get`, `get_mut` and `remove` counts one). Given: the suite reads it to
    /// prove that `enqueue` does not walk the list, counting work instead of timing it.
    pub fn visits(&self) -> usize {
        self.nodes.visits()
    }
}

/// Given: the default queue is the empty one.
impl<T> Default for LinkedQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Prints the items from front to back, exactly as `VecDeque` prints: `[1, 2, 3]`
/// (and, with `{:#?}`, one item a line). `f.debug_list()` does the layout for you.
impl<T: fmt::Debug> fmt::Debug for LinkedQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("print the {} items front to back", self.len)
    }
}

/// The iterator of [`LinkedQueue::iter`]: front to back.
pub struct LinkedIter<'a, T> {
    queue: &'a LinkedQueue<T>,
    /// The node to yield next (`None` when done).
    next: Option<usize>,
}

impl<'a, T> Iterator for LinkedIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        todo!(
            "yield the item of node {:?} and step on (the queue holds {})",
            self.next,
            self.queue.len()
        )
    }
}

/// Lets `for item in &queue` work. Given.
impl<'a, T> IntoIterator for &'a LinkedQueue<T> {
    type Item = &'a T;
    type IntoIter = LinkedIter<'a, T>;

    fn into_iter(self) -> LinkedIter<'a, T> {
        self.iter()
    }
}

/// The node store of `LinkedQueue`. Given, and finished: use it, do not change it.
///
/// Nodes live in a `Vec` and are named by their index in it. A removed node's slot goes
/// on a free list (itself linked by index) and is handed out again by the next
/// `insert`, so the store never holds more slots than the queue once held items.
/// Every look at a node is counted, which lets the suite measure the queue's work.
///
/// - `insert(node) -> usize` stores a node and gives its index;
/// - `get(i) -> &Node<T>` and `get_mut(i) -> &mut Node<T>` look at node `i`;
/// - `remove(i) -> Node<T>` takes node `i` out (its index may come back from the next
///   `insert`!).
///
/// Each of `get`, `get_mut` and `remove` panics with a message when `i` names no node.
// Nothing calls these until your code does; the `allow` keeps the stub free of
// warnings. The reference solution has the same module without it.
#[allow(dead_code)]
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
