//! Threads and synchronisation (线程与同步互斥): the tools threads use to wait for each
//! other, built on `Mutex` and `Condvar` only, a bank transfer that cannot deadlock,
//! and a sum that really runs on every core.
//!
//! Read `README.md` (or `README.zh.md`, 中文) beside this file for the task, then
//! replace each `todo!()` with your code. Check your work with `cargo xtask check
//! sync`, and hunt interleaving bugs with `cargo xtask check sync --model`.
//!
//! Take `Mutex`, `Condvar` and threads from [`sys`] (given), never straight from
//! `std`: then the same code runs on real threads and under the model checker.

pub mod sys;

use std::collections::VecDeque;
use std::fmt;
use std::iter::Sum;
use std::time::Duration;

use sys::{Condvar, Mutex};

/// A flag threads can wait on (事件, Python's `threading.Event`): one thread sets it,
/// every thread waiting for it wakes.
///
/// The fields are given (a flag behind a lock, and the condition variable waiters
/// sleep on); you may change them.
#[allow(dead_code)] // You will use these fields in the methods below.
pub struct Event {
    set: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        todo!("a new event, not set")
    }

    /// Sets the flag and wakes every thread waiting for it.
    pub fn set(&self) {
        todo!("set the flag and wake every waiter")
    }

    /// Clears the flag: later waits block again until the next `set`.
    pub fn clear(&self) {
        todo!("clear the flag")
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        todo!("is the flag set?")
    }

    /// Blocks until the flag is set, or until `timeout` has passed (`None`: no limit).
    /// Returns true when the flag is set, false when the time ran out first. Returns at
    /// once when the flag is set already; `Some(Duration::ZERO)` only looks.
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        todo!("wait for the flag, {timeout:?} at most")
    }
}

impl Default for Event {
    fn default() -> Event {
        Event::new()
    }
}

/// Prints `Event { set: false }`.
impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("print the event as `Event {{ set: false }}`")
    }
}

/// A counting semaphore (信号量, Python's `threading.Semaphore`): at most `permits`
/// threads hold one of its permits at a time; the others wait for a permit to come
/// back.
///
/// The fields are given (a count behind a lock, and the condition variable waiters
/// sleep on); you may change them.
#[allow(dead_code)] // You will use these fields in the methods below.
pub struct Semaphore {
    available: Mutex<usize>,
    released: Condvar,
}

/// One permit of a [`Semaphore`]. It goes back to the semaphore when it is dropped
/// (like Python's `with sem:`), on every path out of its scope, a panic's included.
#[must_use = "a permit goes back to its semaphore as soon as it is dropped"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` permits, all available.
    pub fn new(permits: usize) -> Semaphore {
        todo!("a semaphore with {permits} permits")
    }

    /// Takes a permit, blocking while none is available.
    pub fn acquire(&self) -> Permit<'_> {
        todo!("take a permit, waiting while there is none")
    }

    /// Takes a permit if one is available now; `None` otherwise. Never blocks.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        todo!("take a permit if there is one")
    }

    /// How many permits are available now.
    pub fn available(&self) -> usize {
        todo!("count the available permits")
    }

    /// Gives a permit back and wakes a thread waiting for one. A dropped [`Permit`]
    /// calls it.
    fn release(&self) {
        todo!("give a permit back")
    }
}

/// Given: a permit goes back through [`Semaphore::release`].
impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}

/// Given: prints `Permit`.
impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Permit")
    }
}

/// Prints `Semaphore { available: 2 }`.
impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("print the semaphore as `Semaphore {{ available: 2 }}`")
    }
}

/// A bounded blocking queue (阻塞队列, Python's `queue.Queue(maxsize)`): first in, first
/// out, at most `capacity` items. `put` waits while it is full, `get` while it is
/// empty; `close` ends the waiting for everyone.
///
/// The fields are given (the items and the closed flag behind one lock, and one
/// condition variable for each kind of waiter); you may change them.
#[allow(dead_code)] // You will use these fields in the methods below.
pub struct BlockingQueue<T> {
    state: Mutex<QueueState<T>>,
    capacity: usize,
    /// Signalled when an item arrives (or the queue closes): getters wait here.
    not_empty: Condvar,
    /// Signalled when an item leaves (or the queue closes): putters wait here.
    not_full: Condvar,
}

#[allow(dead_code)] // You will use these fields in the methods below.
struct QueueState<T> {
    items: VecDeque<T>,
    closed: bool,
}

impl<T> BlockingQueue<T> {
    /// An empty, open queue holding at most `capacity` items. A capacity of zero is an
    /// error: such a queue could never take an item.
    pub fn new(capacity: usize) -> Result<BlockingQueue<T>, ZeroCapacity> {
        todo!("an empty queue with room for {capacity} items")
    }

    /// Adds `item` at the back, blocking while the queue is full. Once the queue is
    /// closed (before or during the wait) the item comes back in the error.
    pub fn put(&self, item: T) -> Result<(), Closed<T>> {
        let _ = item;
        todo!("add an item, waiting while the queue is full")
    }

    /// Adds `item` at the back if there is room now. Never blocks.
    pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
        let _ = item;
        todo!("add an item if there is room")
    }

    /// Takes the item at the front, blocking while the queue is empty, for `timeout` at
    /// most (`None`: no limit). A closed queue still hands out the items it holds;
    /// once it is empty, `get` answers `Err(GetError::Closed)` at once. When the time
    /// runs out first: `Err(GetError::Empty)`.
    pub fn get(&self, timeout: Option<Duration>) -> Result<T, GetError> {
        todo!("take the front item, waiting {timeout:?} at most")
    }

    /// Takes the item at the front if there is one now. Never blocks.
    pub fn try_get(&self) -> Result<T, GetError> {
        todo!("take the front item if there is one")
    }

    /// Closes the queue and wakes every thread blocked in `put` or `get`. Later `put`s
    /// give their item back; `get`s hand out what is left, then report `Closed`.
    pub fn close(&self) {
        todo!("close the queue and wake every waiter")
    }

    /// How many items the queue holds now.
    pub fn len(&self) -> usize {
        todo!("count the items")
    }

    /// Whether the queue holds no item now.
    pub fn is_empty(&self) -> bool {
        todo!("is the queue empty?")
    }

    /// The most items the queue holds.
    pub fn capacity(&self) -> usize {
        todo!("the capacity given to new")
    }

    /// Whether `close` has been called.
    pub fn is_closed(&self) -> bool {
        todo!("is the queue closed?")
    }
}

/// Prints `BlockingQueue { items: [1, 2], capacity: 3, closed: false }`, front first.
impl<T: fmt::Debug> fmt::Debug for BlockingQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("print the queue as `BlockingQueue {{ items: [1, 2], capacity: 3, closed: false }}`")
    }
}

/// `BlockingQueue::new(0)`: a queue must have room for at least one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZeroCapacity;

/// `put` on a closed queue: the item, given back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed<T>(pub T);

/// Why `try_put` did not add its item: the item, given back, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue holds `capacity` items.
    Full(T),
    /// The queue is closed.
    Closed(T),
}

/// Why `get` or `try_get` returned no item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetError {
    /// The queue was empty (and still open) when the time ran out.
    Empty,
    /// The queue is closed and empty: no item will ever come.
    Closed,
}

impl fmt::Display for ZeroCapacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a queue needs room for at least one item")
    }
}

impl<T> fmt::Display for Closed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is closed")
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryPutError::Full(_) => "the queue is full",
            TryPutError::Closed(_) => "the queue is closed",
        })
    }
}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GetError::Empty => "the queue stayed empty",
            GetError::Closed => "the queue is closed and empty",
        })
    }
}

impl std::error::Error for ZeroCapacity {}
impl<T: fmt::Debug> std::error::Error for Closed<T> {}
impl<T: fmt::Debug> std::error::Error for TryPutError<T> {}
impl std::error::Error for GetError {}

/// A bank account (账户) whose balance many threads may change at once.
///
/// The field is given (the balance behind a lock); you may change it.
#[allow(dead_code)] // You will use this field in the methods below.
pub struct Account {
    balance: Mutex<u64>,
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: u64) -> Account {
        todo!("an account holding {balance}")
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        todo!("the balance")
    }
}

/// Prints `Account { balance: 10 }`.
impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!("print the account as `Account {{ balance: 10 }}`")
    }
}

/// Moves `amount` from `from` to `to`, as one step no other thread sees half done.
/// Any number of threads may transfer between any accounts at once, in both
/// directions, without a deadlock (死锁). When `from` holds less than `amount`, or
/// `to`'s balance would pass `u64::MAX`, nothing changes and the error says why
/// (`InsufficientFunds` first when both hold). `transfer(a, a, x)` changes nothing (an
/// error if `a` holds less than `x`).
pub fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), TransferError> {
    let _ = (from, to);
    todo!("move {amount} from one account to the other")
}

/// Why a [`transfer`] changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    /// The source holds `balance`, less than `amount`.
    InsufficientFunds { balance: u64, amount: u64 },
    /// The target holds `balance`, and `balance + amount` would pass `u64::MAX`.
    Overflow { balance: u64, amount: u64 },
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::InsufficientFunds { balance, amount } => {
                write!(f, "cannot move {amount}: the source holds only {balance}")
            }
            TransferError::Overflow { balance, amount } => {
                write!(
                    f,
                    "cannot move {amount}: the target's {balance} would overflow"
                )
            }
        }
    }
}

impl std::error::Error for TransferError {}

/// The most threads [`parallel_sum`] starts: more than any machine of this course has
/// cores, and each thread reserves its own stack.
pub const MAX_THREADS: usize = 64;

/// The sum of `items`, computed by exactly `threads` threads at once, named `sum-0`,
/// `sum-1`, ... (scoped threads, started with `sys::thread::spawn_named`). Each thread
/// sums its share of `items`, and no share is longer than another by more than one
/// item (with more threads than items, some shares are empty); the calling thread
/// then sums the partial sums. Sums use `T`'s own `Sum`: for integers that is `+`,
/// which panics on overflow in a debug build as everywhere else.
///
/// Zero threads, or more than [`MAX_THREADS`], is an error.
pub fn parallel_sum<T>(items: &[T], threads: usize) -> Result<T, SumError>
where
    T: Copy + Send + Sync + Sum<T>,
{
    todo!("sum {} items on {threads} threads", items.len())
}

/// Why [`parallel_sum`] did not sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumError {
    /// Zero threads were asked for.
    NoThreads,
    /// More than `limit` threads were asked for.
    TooManyThreads { requested: usize, limit: usize },
}

impl fmt::Display for SumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SumError::NoThreads => f.write_str("a sum needs at least one thread"),
            SumError::TooManyThreads { requested, limit } => {
                write!(f, "{requested} threads asked for; at most {limit}")
            }
        }
    }
}

impl std::error::Error for SumError {}
