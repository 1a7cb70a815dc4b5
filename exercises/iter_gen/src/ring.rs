//! The container (容器) of this kata: a ring buffer, given complete, and the same in
//! `exercises/iter_gen` and `solutions/iter_gen`.
//!
//! It is the queue kata's ring (循环队列) with both ends open: items join at the back and
//! leave from the front or from the back. Its storage is done; what it lacks is a way
//! to be walked with `for`, and that is your part, in `lib.rs`: `iter()`, the iterators
//! and `IntoIterator`. Everything they need is public here: `len`, `get`, `pop_front`
//! and `pop_back`.

use std::error::Error;
use std::fmt;

/// A double-ended queue of at most `capacity` items, kept in a fixed row of slots used
/// as a ring: the front moves round the slots, the items never move.
///
/// Pushing onto a full ring hands the value back inside [`RingFull`]; nothing panics
/// and nothing is overwritten.
pub struct Ring<T> {
    /// One place per item the ring can hold; `None` where no item is.
    slots: Box<[Option<T>]>,
    /// Index in `slots` of the front item. Below `slots.len()` whenever there is a slot.
    head: usize,
    /// How many items are held: it tells a full ring (`len == capacity`) from an empty
    /// one (`len == 0`), which two indices alone could not.
    len: usize,
}

impl<T> Ring<T> {
    /// An empty ring with room for `capacity` items. A capacity of 0 is allowed: that
    /// ring is always empty and always full.
    pub fn with_capacity(capacity: usize) -> Self {
        // `vec![None; capacity]` would need `T: Clone`; building each `None` does not.
        let slots = std::iter::repeat_with(|| None).take(capacity).collect();
        Ring {
            slots,
            head: 0,
            len: 0,
        }
    }

    /// How many items the ring can hold at once.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// How many items the ring holds now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the ring holds no item.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when `len() == capacity()`: the next push will be refused.
    pub fn is_full(&self) -> bool {
        self.len == self.capacity()
    }

    /// Adds `value` at the back. On a full ring nothing changes and the value comes back
    /// inside the error.
    pub fn push_back(&mut self, value: T) -> Result<(), RingFull<T>> {
        if self.is_full() {
            return Err(RingFull {
                value,
                capacity: self.capacity(),
            });
        }
        let back = self.slot_of(self.len);
        self.slots[back] = Some(value);
        self.len += 1;
        Ok(())
    }

    /// Removes and returns the front item, or `None` when the ring is empty.
    pub fn pop_front(&mut self) -> Option<T> {
        if self.is_empty() {
            return None;
        }
        let value = self.slots[self.head].take();
        self.head = (self.head + 1) % self.capacity();
        self.len -= 1;
        value
    }

    /// Removes and returns the back item, or `None` when the ring is empty.
    pub fn pop_back(&mut self) -> Option<T> {
        if self.is_empty() {
            return None;
        }
        let back = self.slot_of(self.len - 1);
        self.len -= 1;
        self.slots[back].take()
    }

    /// The item `index` places behind the front (`get(0)` is the front, `get(len() - 1)`
    /// the back), or `None` when `index >= len()`.
    pub fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len {
            return None;
        }
        self.slots[self.slot_of(index)].as_ref()
    }

    /// The slot of the item `index` places behind the front, going round the ring. Only
    /// called when there is a slot, so the `%` never divides by zero.
    fn slot_of(&self, index: usize) -> usize {
        (self.head + index) % self.capacity()
    }
}

/// Prints the items front to back, as `VecDeque` does: `[1, 2, 3]`. It walks the ring
/// with `get`, so that it works before your iterators do.
impl<T: fmt::Debug> fmt::Debug for Ring<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries((0..self.len).filter_map(|i| self.get(i)))
            .finish()
    }
}

/// The error of [`Ring::push_back`] on a full ring. It owns the value that did not fit,
/// so the caller gets it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingFull<T> {
    /// The value that was not pushed.
    pub value: T,
    /// The capacity of the ring that refused it.
    pub capacity: usize,
}

/// Prints `ring is full (capacity 3)`.
impl<T> fmt::Display for RingFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ring is full (capacity {})", self.capacity)
    }
}

impl<T: fmt::Debug> Error for RingFull<T> {}
