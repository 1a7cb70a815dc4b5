//! Threads and synchronisation (线程与同步互斥): the tools threads use to wait for each
//! other, built on `Mutex` and `Condvar` only, a bank transfer that cannot deadlock,
//! and a sum that really runs on every core.
//!
//! Everything blocks through [`sys`], so the same code runs on the operating system's
//! threads and under a model checker (the `model` feature).

pub mod sys;

use std::collections::VecDeque;
use std::fmt;
use std::iter::Sum;
use std::time::{Duration, Instant};

use sys::{Condvar, Mutex, MutexGuard, PoisonError};

/// Takes `mutex`'s lock, poisoned or not. A lock is poisoned when a thread panicked
/// while it held it (a `T` whose `Debug` panicked while a queue was being printed).
/// Every primitive here changes its state in steps that each leave it whole, so the
/// data behind a poisoned lock is still right, and the primitive keeps working.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sleeps on `cond` for as long as `blocked` holds, `timeout` at most (`None`: for as
/// long as it takes). Returns the guard and whether `blocked` still holds, which only
/// a timeout can leave true.
///
/// The condition is checked again after every wakeup: a wakeup may be spurious (nobody
/// notified), or stolen (another thread got the lock first and changed the state back).
fn wait_while<'a, T>(
    cond: &Condvar,
    mut guard: MutexGuard<'a, T>,
    timeout: Option<Duration>,
    mut blocked: impl FnMut(&mut T) -> bool,
) -> (MutexGuard<'a, T>, bool) {
    // A timeout too large to add to the clock is as good as none.
    let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
    while blocked(&mut guard) {
        guard = match (timeout, deadline) {
            (Some(_), Some(deadline)) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return (guard, true);
                }
                cond.wait_timeout(guard, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
            _ => cond.wait(guard).unwrap_or_else(PoisonError::into_inner),
        };
    }
    (guard, false)
}

/// A flag threads can wait on (事件, Python's `threading.Event`): one thread sets it,
/// every thread waiting for it wakes.
pub struct Event {
    set: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        Event {
            set: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    /// Sets the flag and wakes every thread waiting for it.
    pub fn set(&self) {
        *lock(&self.set) = true;
        // Every waiter is waiting for this one change: wake them all, not one.
        self.changed.notify_all();
    }

    /// Clears the flag: later waits block again until the next `set`.
    pub fn clear(&self) {
        *lock(&self.set) = false;
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        *lock(&self.set)
    }

    /// Blocks until the flag is set, or until `timeout` has passed (`None`: no limit).
    /// Returns true when the flag is set, false when the time ran out first. Returns at
    /// once when the flag is set already; `Some(Duration::ZERO)` only looks.
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        let (_set, timed_out) = wait_while(&self.changed, lock(&self.set), timeout, |set| !*set);
        !timed_out
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
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .finish()
    }
}

/// A counting semaphore (信号量, Python's `threading.Semaphore`): at most `permits`
/// threads hold one of its permits at a time; the others wait for a permit to come
/// back.
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
        Semaphore {
            available: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// Takes a permit, blocking while none is available.
    pub fn acquire(&self) -> Permit<'_> {
        let (mut available, _) =
            wait_while(&self.released, lock(&self.available), None, |n| *n == 0);
        *available -= 1;
        Permit { semaphore: self }
    }

    /// Takes a permit if one is available now; `None` otherwise. Never blocks.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut available = lock(&self.available);
        if *available == 0 {
            return None;
        }
        *available -= 1;
        Some(Permit { semaphore: self })
    }

    /// How many permits are available now.
    pub fn available(&self) -> usize {
        *lock(&self.available)
    }

    /// Gives a permit back and wakes one thread waiting for it (a permit is for one
    /// thread: waking more would only send the rest back to sleep).
    fn release(&self) {
        *lock(&self.available) += 1;
        self.released.notify_one();
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}

/// Prints `Permit`.
impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Permit")
    }
}

/// Prints `Semaphore { available: 2 }`.
impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available", &self.available())
            .finish()
    }
}

/// A bounded blocking queue (阻塞队列, Python's `queue.Queue(maxsize)`): first in, first
/// out, at most `capacity` items. `put` waits while it is full, `get` while it is
/// empty; `close` ends the waiting for everyone.
pub struct BlockingQueue<T> {
    state: Mutex<QueueState<T>>,
    capacity: usize,
    /// Signalled when an item arrives (or the queue closes): getters wait here.
    not_empty: Condvar,
    /// Signalled when an item leaves (or the queue closes): putters wait here.
    not_full: Condvar,
}

struct QueueState<T> {
    items: VecDeque<T>,
    closed: bool,
}

impl<T> BlockingQueue<T> {
    /// An empty, open queue holding at most `capacity` items. A capacity of zero is an
    /// error: such a queue could never take an item.
    pub fn new(capacity: usize) -> Result<BlockingQueue<T>, ZeroCapacity> {
        if capacity == 0 {
            return Err(ZeroCapacity);
        }
        Ok(BlockingQueue {
            state: Mutex::new(QueueState {
                // Not `with_capacity`: a queue of capacity `usize::MAX` is allowed, and
                // room for that many items cannot be set aside in advance.
                items: VecDeque::new(),
                closed: false,
            }),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        })
    }

    /// Adds `item` at the back, blocking while the queue is full. Once the queue is
    /// closed (before or during the wait) the item comes back in the error.
    pub fn put(&self, item: T) -> Result<(), Closed<T>> {
        let capacity = self.capacity;
        let (mut state, _) = wait_while(&self.not_full, lock(&self.state), None, |state| {
            !state.closed && state.items.len() == capacity
        });
        if state.closed {
            return Err(Closed(item));
        }
        state.items.push_back(item);
        // One new item is for one getter.
        self.not_empty.notify_one();
        Ok(())
    }

    /// Adds `item` at the back if there is room now. Never blocks.
    pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
        let mut state = lock(&self.state);
        if state.closed {
            return Err(TryPutError::Closed(item));
        }
        if state.items.len() == self.capacity {
            return Err(TryPutError::Full(item));
        }
        state.items.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    /// Takes the item at the front, blocking while the queue is empty, for `timeout` at
    /// most (`None`: no limit). A closed queue still hands out the items it holds;
    /// once it is empty, `get` answers `Err(GetError::Closed)` at once. When the time
    /// runs out first: `Err(GetError::Empty)`.
    pub fn get(&self, timeout: Option<Duration>) -> Result<T, GetError> {
        let (state, _) = wait_while(&self.not_empty, lock(&self.state), timeout, |state| {
            !state.closed && state.items.is_empty()
        });
        self.take(state)
    }

    /// Takes the item at the front if there is one now. Never blocks.
    pub fn try_get(&self) -> Result<T, GetError> {
        self.take(lock(&self.state))
    }

    /// The front item out of a locked state: `Empty` or `Closed` when there is none.
    fn take(&self, mut state: MutexGuard<'_, QueueState<T>>) -> Result<T, GetError> {
        match state.items.pop_front() {
            Some(item) => {
                // One free place is for one putter.
                self.not_full.notify_one();
                Ok(item)
            }
            None if state.closed => Err(GetError::Closed),
            None => Err(GetError::Empty),
        }
    }

    /// Closes the queue and wakes every thread blocked in `put` or `get`. Later `put`s
    /// give their item back; `get`s hand out what is left, then report `Closed`.
    pub fn close(&self) {
        lock(&self.state).closed = true;
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }

    /// How many items the queue holds now.
    pub fn len(&self) -> usize {
        lock(&self.state).items.len()
    }

    /// Whether the queue holds no item now.
    pub fn is_empty(&self) -> bool {
        lock(&self.state).items.is_empty()
    }

    /// The most items the queue holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Whether `close` has been called.
    pub fn is_closed(&self) -> bool {
        lock(&self.state).closed
    }
}

/// Prints `BlockingQueue { items: [1, 2], capacity: 3, closed: false }`, front first.
impl<T: fmt::Debug> fmt::Debug for BlockingQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("BlockingQueue")
            .field("items", &state.items)
            .field("capacity", &self.capacity)
            .field("closed", &state.closed)
            .finish()
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
pub struct Account {
    balance: Mutex<u64>,
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: u64) -> Account {
        Account {
            balance: Mutex::new(balance),
        }
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        *lock(&self.balance)
    }
}

/// Prints `Account { balance: 10 }`.
impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("balance", &self.balance())
            .finish()
    }
}

/// Moves `amount` from `from` to `to`, as one step no other thread sees half done.
/// Any number of threads may transfer between any accounts at once, in both
/// directions, without a deadlock (死锁). When `from` holds less than `amount`, or
/// `to`'s balance would pass `u64::MAX`, nothing changes and the error says why
/// (`InsufficientFunds` first when both hold). `transfer(a, a, x)` changes nothing (an
/// error if `a` holds less than `x`).
pub fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), TransferError> {
    if std::ptr::eq(from, to) {
        // Locking one lock twice would deadlock this thread with itself.
        let balance = *lock(&from.balance);
        if balance < amount {
            return Err(TransferError::InsufficientFunds { balance, amount });
        }
        return Ok(());
    }
    // A deadlock needs a cycle of threads, each holding a lock the next one wants. Take
    // the two locks in one order every thread agrees on (by address), whatever the
    // direction of the transfer, and no cycle can form.
    let from_first = (from as *const Account) < (to as *const Account);
    let (first, second) = if from_first { (from, to) } else { (to, from) };
    let first = lock(&first.balance);
    let second = lock(&second.balance);
    let (mut source, mut target) = if from_first {
        (first, second)
    } else {
        (second, first)
    };
    if *source < amount {
        return Err(TransferError::InsufficientFunds {
            balance: *source,
            amount,
        });
    }
    let Some(sum) = target.checked_add(amount) else {
        return Err(TransferError::Overflow {
            balance: *target,
            amount,
        });
    };
    *source -= amount;
    *target = sum;
    Ok(())
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
    if threads == 0 {
        return Err(SumError::NoThreads);
    }
    if threads > MAX_THREADS {
        return Err(SumError::TooManyThreads {
            requested: threads,
            limit: MAX_THREADS,
        });
    }
    // `len / threads` items each, and one more for the first `len % threads` runs, so
    // no item is left over and no run is longer than another by more than one.
    let short = items.len() / threads;
    let longer = items.len() % threads;
    sys::thread::scope(|scope| {
        let mut rest = items;
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let (run, tail) = rest.split_at(short + usize::from(i < longer));
                rest = tail;
                sys::thread::spawn_named(scope, format!("sum-{i}"), move || {
                    run.iter().copied().sum::<T>()
                })
            })
            .collect();
        // Every worker runs before the first join: the joins only collect.
        let partials: Vec<T> = workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        Ok(partials.into_iter().sum())
    })
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
