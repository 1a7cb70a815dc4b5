//! Stack kata (栈): a sequential stack, a linked stack, bracket matching and reversal.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check stack`.
//!
//! Some pieces are written for you because they are about Rust's plumbing rather than
//! stacks: the error types and their `Display` texts, `Default`, the `IntoIterator`
//! impls, and `SeqIter::next`. The struct fields are given too, so that everyone's
//! stack has the same shape and the hints can talk about them.

use std::fmt;

// ---------------------------------------------------------------------------------------
// SeqStack: sequential storage (顺序存储)
// ---------------------------------------------------------------------------------------

/// A stack (栈) stored in a `Vec`. Decide which end of the `Vec` is the top (栈顶):
/// one choice makes push and pop O(1), the other moves every element.
#[derive(Clone)]
pub struct SeqStack<T> {
    items: Vec<T>,
    /// `None`: no limit. `Some(n)`: at most `n` elements.
    capacity: Option<usize>,
}

/// The error `SeqStack::push` returns when the stack is full. It hands the value back,
/// so the caller loses nothing. (Given.)
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
        todo!("create an empty, unbounded SeqStack")
    }

    /// An empty stack that holds at most `capacity` elements.
    pub fn bounded(capacity: usize) -> Self {
        todo!("create an empty SeqStack holding at most {capacity} items")
    }

    /// The limit given to `bounded`, or `None` for a stack made by `new`.
    pub fn capacity(&self) -> Option<usize> {
        todo!("return the capacity ({:?})", self.capacity)
    }

    /// True when a push would fail. An unbounded stack is never full.
    pub fn is_full(&self) -> bool {
        todo!("is a stack of {} items full?", self.items.len())
    }

    /// Puts `value` on top (入栈), or hands it back in `Err(FullError { value, capacity })`
    /// when the stack is full. Never panics.
    pub fn push(&mut self, value: T) -> Result<(), FullError<T>> {
        let _ = value;
        todo!("push onto a stack of {} items", self.items.len())
    }

    /// Takes the top element off (出栈), or `None` when the stack is empty.
    pub fn pop(&mut self) -> Option<T> {
        todo!("pop from a stack of {} items", self.items.len())
    }

    /// The top element, left in place, or `None` when the stack is empty.
    pub fn peek(&self) -> Option<&T> {
        todo!("peek at a stack of {} items", self.items.len())
    }

    /// The top element, to change in place, or `None` when the stack is empty.
    pub fn peek_mut(&mut self) -> Option<&mut T> {
        todo!("peek_mut at a stack of {} items", self.items.len())
    }

    /// How many elements the stack holds.
    pub fn len(&self) -> usize {
        todo!("count the items of a SeqStack")
    }

    /// True when the stack holds nothing (空栈).
    pub fn is_empty(&self) -> bool {
        todo!("is a stack of {} items empty?", self.items.len())
    }

    /// The elements from the top down: the order `pop` would return them.
    pub fn iter(&self) -> SeqIter<'_, T> {
        todo!("iterate over a stack of {} items", self.items.len())
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
        let _ = f;
        todo!("format a SeqStack of {} items", self.items.len())
    }
}

/// The iterator `SeqStack::iter` returns: the elements from the top down.
///
/// Given: it wraps a reversed slice iterator, `self.items.iter().rev()`, and passes
/// its items on. Your `SeqStack::iter` builds one.
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
// The stub never builds a node yet; your push will.
#[allow(dead_code)]
struct Node<T> {
    value: T,
    next: Link<T>,
}

/// A stack (栈) stored as a chain of nodes. `head` is the top node (`None` when the
/// stack is empty) and `len` counts the nodes, so `len()` need not walk the chain.
pub struct LinkedStack<T> {
    head: Link<T>,
    len: usize,
}

impl<T> LinkedStack<T> {
    /// An empty stack.
    pub fn new() -> Self {
        todo!("create an empty LinkedStack")
    }

    /// Puts `value` on top (入栈). A linked stack is never full.
    pub fn push(&mut self, value: T) {
        let _ = value;
        todo!("push onto a stack of {} items", self.len)
    }

    /// Takes the top element off (出栈), or `None` when the stack is empty.
    pub fn pop(&mut self) -> Option<T> {
        todo!("pop from a stack of {} items", self.len)
    }

    /// The top element, left in place, or `None` when the stack is empty.
    pub fn peek(&self) -> Option<&T> {
        todo!("peek at a stack of {} items", self.len)
    }

    /// The top element, to change in place, or `None` when the stack is empty.
    pub fn peek_mut(&mut self) -> Option<&mut T> {
        todo!("peek_mut at a stack of {} items", self.len)
    }

    /// How many elements the stack holds, in O(1).
    pub fn len(&self) -> usize {
        todo!("count the items of a LinkedStack")
    }

    /// True when the stack holds nothing (空栈).
    pub fn is_empty(&self) -> bool {
        todo!("is a stack with head {} empty?", self.head.is_some())
    }

    /// The elements from the top down: the order `pop` would return them.
    pub fn iter(&self) -> LinkedIter<'_, T> {
        todo!("iterate over a stack of {} items", self.len)
    }
}

impl<T> Default for LinkedStack<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for LinkedStack<T> {
    /// Drops every node with a loop. Without this impl, Rust drops the chain
    /// recursively (each node drops the next), and a deep stack overflows the thread.
    fn drop(&mut self) {
        // Stays quiet while another panic unwinds (a second panic would abort the test
        // and hide the first message). Replace this whole body with your loop.
        if std::thread::panicking() {
            return;
        }
        todo!("drop a stack of {} items", self.len)
    }
}

impl<T: fmt::Debug> fmt::Debug for LinkedStack<T> {
    /// The elements as a list, top first: `[3, 2, 1]` after pushing 1, 2, 3.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("format a LinkedStack of {} items", self.len)
    }
}

/// The iterator `LinkedStack::iter` returns: the elements from the top down. `next` is
/// the node whose value comes next (`None` when done).
pub struct LinkedIter<'a, T> {
    next: Option<&'a Node<T>>,
}

impl<'a, T> Iterator for LinkedIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        todo!("step to the next node ({} left)", self.next.is_some())
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
/// byte offset. (Given, all but `position`.)
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
        todo!("the position of {self:?}")
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

/// Checks that the brackets `()`, `[]` and `{}` in `text` are balanced and properly
/// nested. Every other character (letters, spaces, Chinese text, angle brackets `<>`,
/// full-width `（）`) is ignored. Returns the first problem found reading left to right; an
/// unclosed bracket can only be known at the end, so it is reported only when nothing
/// else is wrong.
pub fn check_brackets(text: &str) -> Result<(), BracketError> {
    todo!("check the brackets of {text:?}")
}

// ---------------------------------------------------------------------------------------
// Reversing through a stack (逆序输出)
// ---------------------------------------------------------------------------------------

/// The items in reverse order, by pushing them all onto a stack and popping them off.
pub fn reverse<I: IntoIterator>(items: I) -> Vec<I::Item> {
    let _ = items;
    todo!("reverse a sequence through a stack")
}

/// The chars of `text` in reverse order (by `char`, so Chinese text stays readable).
pub fn reverse_chars(text: &str) -> String {
    todo!("reverse the chars of {text:?}")
}
