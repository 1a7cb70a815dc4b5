//! MUTANT: LinkedIter::next forgets to move on to the next node, so iter() yields the top forever
//! Reference solution of the stack kata (栈).
//!
//! Two stacks with the same operations: `SeqStack` keeps its elements in a `Vec`
//! (sequential storage, 顺序存储) and may have a capacity; `LinkedStack` keeps them in a
//! chain of boxed nodes (linked storage, 链式存储). Then two uses of a stack from the
//! course: bracket matching (括号匹配) and reversing a sequence (逆序输出).

use std::fmt;

// ---------------------------------------------------------------------------------------
// SeqStack: sequential storage (顺序存储)
// ---------------------------------------------------------------------------------------

/// A stack (栈) stored in a `Vec`: the end of the `Vec` is the top (栈顶), so push and
/// pop never move the other elements.
#[derive(Clone)]
pub struct SeqStack<T> {
    items: Vec<T>,
    /// `None`: no limit. `Some(n)`: at most `n` elements.
    capacity: Option<usize>,
}

/// The error `SeqStack::push` returns when the stack is full. It hands the value back,
/// so the caller loses nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullError<T> {
    /// The value that could not be pushed.
    pub value: T,
    /// The capacity of the stack that was full.
    pub capacity: usize,
}

impl<T> fmt::Display for FullError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the stack is full: it holds at most {} items",
            self.capacity
        )
    }
}

impl<T: fmt::Debug> std::error::Error for FullError<T> {}

impl<T> SeqStack<T> {
    /// An empty stack with no capacity limit.
    pub fn new() -> Self {
        SeqStack {
            items: Vec::new(),
            capacity: None,
        }
    }

    /// An empty stack that holds at most `capacity` elements.
    pub fn bounded(capacity: usize) -> Self {
        SeqStack {
            items: Vec::with_capacity(capacity),
            capacity: Some(capacity),
        }
    }

    /// The limit given to `bounded`, or `None` for a stack made by `new`.
    pub fn capacity(&self) -> Option<usize> {
        self.capacity
    }

    /// True when a push would fail. An unbounded stack is never full.
    pub fn is_full(&self) -> bool {
        self.capacity.is_some_and(|cap| self.items.len() >= cap)
    }

    /// Puts `value` on top (入栈), or hands it back in a `FullError` when the stack is
    /// full. Never panics.
    pub fn push(&mut self, value: T) -> Result<(), FullError<T>> {
        if let Some(capacity) = self.capacity
            && self.items.len() >= capacity
        {
            return Err(FullError { value, capacity });
        }
        self.items.push(value);
        Ok(())
    }

    /// Takes the top element off (出栈), or `None` when the stack is empty.
    pub fn pop(&mut self) -> Option<T> {
        self.items.pop()
    }

    /// The top element, left in place.
    pub fn peek(&self) -> Option<&T> {
        self.items.last()
    }

    /// The top element, to change in place.
    pub fn peek_mut(&mut self) -> Option<&mut T> {
        self.items.last_mut()
    }

    /// How many elements the stack holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the stack holds nothing (空栈).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The elements from the top down: the order `pop` would return them.
    pub fn iter(&self) -> SeqIter<'_, T> {
        SeqIter {
            inner: self.items.iter().rev(),
        }
    }
}

impl<T> Default for SeqStack<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for SeqStack<T> {
    /// The elements as a list, top first: `[3, 2, 1]` after pushing 1, 2, 3.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The iterator `SeqStack::iter` returns: the elements from the top down.
pub struct SeqIter<'a, T> {
    inner: std::iter::Rev<std::slice::Iter<'a, T>>,
}

impl<'a, T> Iterator for SeqIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        self.inner.next()
    }
}

impl<'a, T> IntoIterator for &'a SeqStack<T> {
    type Item = &'a T;
    type IntoIter = SeqIter<'a, T>;

    fn into_iter(self) -> SeqIter<'a, T> {
        self.iter()
    }
}

// ---------------------------------------------------------------------------------------
// LinkedStack: linked storage (链式存储)
// ---------------------------------------------------------------------------------------

/// A link to the next node: `None` ends the chain.
type Link<T> = Option<Box<Node<T>>>;

/// One element of a `LinkedStack` and the link to the element below it.
struct Node<T> {
    value: T,
    next: Link<T>,
}

/// A stack (栈) stored as a chain of nodes. `head` is the top: push and pop only touch
/// the first node, so both take the same time however deep the stack is.
pub struct LinkedStack<T> {
    head: Link<T>,
    len: usize,
}

impl<T> LinkedStack<T> {
    /// An empty stack.
    pub fn new() -> Self {
        LinkedStack { head: None, len: 0 }
    }

    /// Puts `value` on top (入栈). A linked stack is never full.
    pub fn push(&mut self, value: T) {
        // The new node takes over the old chain; `take` leaves `None` behind so the old
        // head is moved, not copied.
        let node = Box::new(Node {
            value,
            next: self.head.take(),
        });
        self.head = Some(node);
        self.len += 1;
    }

    /// Takes the top element off (出栈), or `None` when the stack is empty.
    pub fn pop(&mut self) -> Option<T> {
        self.head.take().map(|node| {
            // Unbox the node: its `next` becomes the new head, its value is returned.
            let node = *node;
            self.head = node.next;
            self.len -= 1;
            node.value
        })
    }

    /// The top element, left in place.
    pub fn peek(&self) -> Option<&T> {
        self.head.as_ref().map(|node| &node.value)
    }

    /// The top element, to change in place.
    pub fn peek_mut(&mut self) -> Option<&mut T> {
        self.head.as_mut().map(|node| &mut node.value)
    }

    /// How many elements the stack holds. Kept in a field, so this is O(1).
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the stack holds nothing (空栈).
    pub fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// The elements from the top down: the order `pop` would return them.
    pub fn iter(&self) -> LinkedIter<'_, T> {
        LinkedIter {
            next: self.head.as_deref(),
        }
    }
}

impl<T> Default for LinkedStack<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for LinkedStack<T> {
    /// Without this, dropping `head` drops its `next`, which drops its `next`, and so on:
    /// one nested call per node, which overflows the thread's stack for a deep chain.
    /// Unlinking the nodes one at a time in a loop keeps the depth constant.
    fn drop(&mut self) {
        let mut link = self.head.take();
        while let Some(mut node) = link {
            // Detach the rest of the chain before `node` is dropped at the end of this
            // iteration, so dropping it drops one node and no more.
            link = node.next.take();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for LinkedStack<T> {
    /// The elements as a list, top first: `[3, 2, 1]` after pushing 1, 2, 3.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The iterator `LinkedStack::iter` returns: the elements from the top down.
pub struct LinkedIter<'a, T> {
    next: Option<&'a Node<T>>,
}

impl<'a, T> Iterator for LinkedIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        self.next.map(|node| &node.value)
    }
}

impl<'a, T> IntoIterator for &'a LinkedStack<T> {
    type Item = &'a T;
    type IntoIter = LinkedIter<'a, T>;

    fn into_iter(self) -> LinkedIter<'a, T> {
        self.iter()
    }
}

// ---------------------------------------------------------------------------------------
// Bracket matching (括号匹配)
// ---------------------------------------------------------------------------------------

/// What is wrong with the brackets of a text. Every position is a **char index**: the
/// number of `char`s before the bracket (`text.chars().nth(at)` is the bracket), not a
/// byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BracketError {
    /// A closing bracket of another kind than the innermost open one, as in `(]`.
    Mismatched {
        open: char,
        open_at: usize,
        close: char,
        close_at: usize,
    },
    /// A closing bracket while no bracket is open, as in `)`.
    UnexpectedClose { close: char, at: usize },
    /// The text ended with this bracket still open, as in `((`. When several are open,
    /// it is the innermost one (the last opened, the top of the stack).
    Unclosed { open: char, at: usize },
}

impl BracketError {
    /// Where the problem shows: the closing bracket of a mismatch or an unexpected
    /// close, the opening bracket left unclosed.
    pub fn position(&self) -> usize {
        match *self {
            BracketError::Mismatched { close_at, .. } => close_at,
            BracketError::UnexpectedClose { at, .. } => at,
            BracketError::Unclosed { at, .. } => at,
        }
    }
}

impl fmt::Display for BracketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BracketError::Mismatched {
                open,
                open_at,
                close,
                close_at,
            } => write!(
                f,
                "`{close}` at char {close_at} does not match `{open}` opened at char {open_at}"
            ),
            BracketError::UnexpectedClose { close, at } => {
                write!(
                    f,
                    "`{close}` at char {at} closes nothing: no bracket is open"
                )
            }
            BracketError::Unclosed { open, at } => {
                write!(f, "`{open}` opened at char {at} is never closed")
            }
        }
    }
}

impl std::error::Error for BracketError {}

/// The opening bracket that `close` closes, or `None` if `close` is not a closing bracket.
fn opener_of(close: char) -> Option<char> {
    match close {
        ')' => Some('('),
        ']' => Some('['),
        '}' => Some('{'),
        _ => None,
    }
}

/// Checks that the brackets `()`, `[]` and `{}` in `text` are balanced and properly
/// nested. Every other character (letters, spaces, Chinese text, angle brackets `<>`,
/// full-width `（）`) is ignored. Returns the first problem found, reading left to right;
/// an unclosed bracket can only be known at the end, so it is reported only when nothing
/// else is wrong.
pub fn check_brackets(text: &str) -> Result<(), BracketError> {
    // The stack holds the brackets still open, with their char index: the innermost
    // one is on top, and it is the only one the next closing bracket may close.
    let mut open: SeqStack<(char, usize)> = SeqStack::new();
    // `chars().enumerate()` counts chars; `char_indices()` would give byte offsets.
    for (at, c) in text.chars().enumerate() {
        match c {
            '(' | '[' | '{' => {
                // An unbounded stack is never full.
                let _ = open.push((c, at));
            }
            ')' | ']' | '}' => match open.pop() {
                None => return Err(BracketError::UnexpectedClose { close: c, at }),
                Some((o, open_at)) if Some(o) != opener_of(c) => {
                    return Err(BracketError::Mismatched {
                        open: o,
                        open_at,
                        close: c,
                        close_at: at,
                    });
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    match open.pop() {
        Some((o, at)) => Err(BracketError::Unclosed { open: o, at }),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Reversing through a stack (逆序输出)
// ---------------------------------------------------------------------------------------

/// The items in reverse order, by pushing them all onto a stack and popping them off:
/// last in, first out (后进先出).
pub fn reverse<I: IntoIterator>(items: I) -> Vec<I::Item> {
    let mut stack = LinkedStack::new();
    for item in items {
        stack.push(item);
    }
    let mut out = Vec::with_capacity(stack.len());
    while let Some(item) = stack.pop() {
        out.push(item);
    }
    out
}

/// The chars of `text` in reverse order (by `char`, so Chinese text stays readable).
pub fn reverse_chars(text: &str) -> String {
    reverse(text.chars()).into_iter().collect()
}
