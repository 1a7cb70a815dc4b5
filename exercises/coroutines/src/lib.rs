//! coroutines kata (协程): a single-threaded executor on a virtual clock.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the task,
//! then replace each `todo!()` with your code. Check your work with
//! `cargo xtask check coroutines`.
//!
//! An `async` block is a coroutine the compiler writes for you: a state machine that
//! runs until its next `.await` on something not ready, then returns `Poll::Pending`
//! and waits to be polled again. Rust ships no runtime to do the polling: this crate is
//! that runtime, the executor (执行器) that decides which coroutine runs next.
//!
//! # The rules every run follows
//!
//! They make every run of a program give the same trace, whatever the machine, and the
//! tests hold you to them.
//!
//! 1. **Tasks are numbered** 0, 1, 2, … in the order of the calls to
//!    [`Executor::spawn`] on one executor (the spawn index, [`JoinHandle::index`]).
//!    [`Executor::block_on`]'s own future is not a task and has no number.
//! 2. **One ready queue (就绪队列), first in, first out.** `spawn` puts the new task at
//!    the back; `block_on` puts its future at the back; a wake puts the task whose
//!    waker it is at the back, unless that task is in the queue already (two wakes
//!    before a poll make one poll). A task that has finished is never polled again,
//!    even if its waker is woken, and neither is a `block_on` future after its
//!    `block_on` returned: a waker kept from it (by a timer, a handle) wakes nothing,
//!    whatever `block_on` runs then.
//! 3. **One poll per turn.** `block_on` takes the front of the queue and polls it once.
//!    A task or future is polled only when it comes out of the queue: once for its
//!    spawn (or `block_on`'s start), then once per wake that queued it. When
//!    `block_on`'s future is ready, `block_on` returns at once; whatever is still queued
//!    waits for the next `block_on`.
//! 4. **The clock (虚拟时钟) moves only when the queue is empty.** It then jumps to the
//!    earliest deadline among the timers, and every timer due at that tick fires (wakes
//!    its waker), in the order the timers were set (first in, first out).
//! 5. **Stalled.** When the queue is empty and no timer is set, nothing can ever
//!    happen again: `block_on` returns [`Stalled`], naming the tasks not finished.
//!
//! # What is given, and what you write
//!
//! Given: the types with their fields (how an executor's state is laid out, and why an
//! `Rc` here and an `Arc` there), the statistics and the error, the functions that only
//! fill in fields or read them (`Executor::new`, `now`, `stats`, `yield_now`,
//! `join_all`, `index`, `deadline`) and every `Debug`. You write the nine functions
//! that hold a `todo!()`: the executor's loop (`block_on`), `spawn` and `sleep`, the
//! waker (`TaskWaker::wake`), the timers' order (`Timer::cmp`), and the `poll` of each
//! future. The private fields are a suggestion: change them as you like, the tests see
//! only the public API.
//!
//! # Pin, in one paragraph
//!
//! `Future::poll` takes `self: Pin<&mut Self>`, a promise that the future will not move
//! again: the state machine of an `async` block may hold references into itself across
//! an `.await`, and moving it would leave them dangling. For the futures in this file
//! you rarely need to care: [`Sleep`], [`YieldNow`], [`JoinHandle`] and [`JoinAll`] are
//! `Unpin` (nothing in them points into themselves), so inside their `poll` use
//! `self.field` as usual (write `mut self: Pin<&mut Self>` to assign to one), or take
//! `let this = self.get_mut();`. Pinning matters where you hold a future you did not
//! write: a spawned task is boxed and pinned once (`Box::pin(future)`, the `Task`
//! type) and polled with `task.as_mut().poll(&mut cx)`; in `block_on`,
//! `let mut future = std::pin::pin!(future);` pins it on the stack, then
//! `future.as_mut().poll(&mut cx)` each turn.

use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

/// What an executor has counted since it was made. Given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Calls of [`Executor::spawn`].
    pub spawned: u64,
    /// Calls of `poll` the executor made: on tasks and on `block_on`'s futures.
    pub polls: u64,
    /// Wakes that put a task (or `block_on`'s future) into the ready queue. A wake of
    /// one that is in the queue already queues nothing and is not counted. (Whether a
    /// wake of a finished task, or of an earlier `block_on`'s future, counts is up to
    /// you: no test asks.)
    pub wakes: u64,
}

/// `block_on`'s error: its future is not ready, no task is ready to run and no timer
/// is set, so nothing can ever make progress (a deadlock, 死锁). Given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stalled {
    /// The virtual time when the executor gave up, in ticks.
    pub now: u64,
    /// The spawn indices of the tasks that have not finished, in increasing order.
    pub pending: Vec<usize>,
}

impl fmt::Display for Stalled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stalled at t={}: block_on's future", self.now)?;
        match self.pending.as_slice() {
            [] => write!(f, " is pending, and nothing can wake it")?,
            [task] => write!(f, " and task {task} are pending, and nothing can wake them")?,
            tasks => {
                let list: Vec<String> = tasks.iter().map(usize::to_string).collect();
                write!(
                    f,
                    " and tasks {} are pending, and nothing can wake them",
                    list.join(", ")
                )?;
            }
        }
        write!(f, ": no task is ready and no timer is set")
    }
}

impl std::error::Error for Stalled {}

/// A spawned task: its future, boxed so that tasks of any type fit one `Vec`, and
/// pinned because an `async` block may hold references into itself across an
/// `.await` and so must never move once polled. A task's output goes to its
/// [`JoinHandle`], so the task itself returns `()`.
type Task = Pin<Box<dyn Future<Output = ()>>>;

/// A single-threaded executor with a virtual clock. Cloning it gives another handle to
/// the same executor (tasks keep one, to spawn, sleep and read the clock).
#[derive(Clone)]
pub struct Executor {
    /// Everything only this thread touches.
    state: Rc<RefCell<State>>,
    /// The ready queue. Wakers push onto it, and a `Waker` must be `Send + Sync` (any
    /// thread may wake it), so it is shared through `Arc<Mutex<_>>`, not `Rc`.
    ready: Arc<Mutex<ReadyQueue>>,
}

/// The executor's state. Never hold a borrow of it while you poll a future: the future
/// may spawn, sleep or read the clock, which borrow it again (a `RefCell` then panics
/// with "already borrowed").
struct State {
    /// The virtual time, in ticks.
    now: u64,
    /// The tasks by spawn index: `None` once finished. Take a task out (`take()`) to
    /// poll it, and put it back if it is still pending.
    tasks: Vec<Option<Task>>,
    /// One waker per task, made once when it is spawned, so a future sees the same
    /// waker at every poll (`Waker::from(Arc::new(TaskWaker { .. }))`).
    wakers: Vec<Waker>,
    /// The timers. `BinaryHeap` pops its greatest element first; `Reverse` makes that
    /// the least, so with [`Timer`]'s order this is a min-heap: earliest first.
    timers: BinaryHeap<Reverse<Timer>>,
    /// The next timer's sequence number: the order timers were set.
    next_seq: u64,
    /// Polls made so far.
    polls: u64,
    /// `block_on` calls so far. Each `block_on` gives its future an id of its own,
    /// which no task and no earlier `block_on`'s future has: count down from
    /// `usize::MAX` (task indices count up from 0 and never get near). A waker kept
    /// from an earlier `block_on`'s future then queues an id nothing answers to.
    block_ons: usize,
}

/// The ready queue, shared with the wakers.
struct ReadyQueue {
    /// Ids to poll, front first: spawn indices, and the ids of `block_on`'s futures
    /// (see `State::block_ons`). An id that comes out with nothing to poll (a finished
    /// task's, an earlier `block_on`'s) is skipped, and is no poll.
    queue: VecDeque<usize>,
    /// The ids in `queue`, so that a second wake before the poll queues nothing. Take
    /// an id out of it when you take it out of the queue, before the poll: a wake
    /// during the poll (`yield_now` wakes its own task) must queue it again.
    queued: HashSet<usize>,
    /// Wakes that queued something.
    wakes: u64,
}

/// The waker of one task (or of a `block_on`'s future): waking it queues `id`.
#[allow(dead_code)] // Given for the code you write: the stub never makes one.
struct TaskWaker {
    id: usize,
    ready: Arc<Mutex<ReadyQueue>>,
}

impl Wake for TaskWaker {
    /// Puts `self.id` at the back of the ready queue unless it is there already, and
    /// counts the wake if it queued it. Any thread may call this.
    fn wake(self: Arc<Self>) {
        todo!("queue {} unless it is queued already", self.id)
    }
}

/// The ready queue's lock, even if a panic poisoned it. Given.
fn lock(ready: &Mutex<ReadyQueue>) -> std::sync::MutexGuard<'_, ReadyQueue> {
    ready.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Executor {
    /// An executor with no tasks, at time 0. Given.
    pub fn new() -> Executor {
        Executor {
            state: Rc::new(RefCell::new(State {
                now: 0,
                tasks: Vec::new(),
                wakers: Vec::new(),
                timers: BinaryHeap::new(),
                next_seq: 0,
                polls: 0,
                block_ons: 0,
            })),
            ready: Arc::new(Mutex::new(ReadyQueue {
                queue: VecDeque::new(),
                queued: HashSet::new(),
                wakes: 0,
            })),
        }
    }

    /// The virtual time, in ticks (0 when made). Given.
    pub fn now(&self) -> u64 {
        self.state.borrow().now
    }

    /// What the executor has counted so far. Given: it reads the counts you keep.
    pub fn stats(&self) -> Stats {
        let state = self.state.borrow();
        Stats {
            spawned: state.tasks.len() as u64,
            polls: state.polls,
            wakes: lock(&self.ready).wakes,
        }
    }

    /// Runs the executor until `future` is ready and returns its output; the tasks
    /// spawned on this executor run meanwhile, by the rules in the crate's docs.
    /// Returns [`Stalled`] instead of waiting forever when nothing can make progress.
    /// Tasks still pending when it returns stay where they are, and the next
    /// `block_on` goes on with them. Not to be called from inside a task.
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Stalled> {
        let _ = &future;
        todo!("run {self:?} until the future is ready")
    }

    /// Starts `future` as a task (gevent's `spawn`): it is queued at once and runs
    /// whenever a `block_on` on this executor turns, whether or not anyone awaits the
    /// handle (dropping the handle detaches the task). The handle is a future of the
    /// task's output.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let _ = &future;
        todo!("spawn a task on {self:?}")
    }

    /// A future that is ready once the clock reaches `now() + ticks` (gevent's `sleep`).
    /// The deadline is fixed here, when `sleep` is called, not when first awaited; past
    /// `u64::MAX` it is `u64::MAX`. `sleep(0)` is ready at its first poll.
    pub fn sleep(&self, ticks: u64) -> Sleep {
        todo!("a future ready {ticks} ticks after the time of {self:?}")
    }
}

impl Default for Executor {
    fn default() -> Executor {
        Executor::new()
    }
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.borrow();
        let ready = lock(&self.ready);
        f.debug_struct("Executor")
            .field("now", &state.now)
            .field("tasks", &state.tasks.len())
            .field(
                "pending",
                &state.tasks.iter().filter(|task| task.is_some()).count(),
            )
            .field("wakers", &state.wakers.len())
            .field("timers", &state.timers.len())
            .field("next_seq", &state.next_seq)
            .field("polls", &state.polls)
            .field("block_ons", &state.block_ons)
            .field("ready", &ready.queue)
            .field("queued", &ready.queued.len())
            .field("wakes", &ready.wakes)
            .finish()
    }
}

/// A timer: wake `waker` at `deadline`. `seq` is the order it was set in (from
/// `State::next_seq`).
#[allow(dead_code)] // Given for the code you write: the stub never makes one.
struct Timer {
    deadline: u64,
    seq: u64,
    waker: Waker,
}

impl Ord for Timer {
    /// The timer that must fire first is the least: the earlier deadline, and for equal
    /// deadlines the one set first (the smaller `seq`).
    fn cmp(&self, other: &Timer) -> Ordering {
        todo!(
            "compare the timers due at {} (set {}) and at {} (set {})",
            self.deadline,
            self.seq,
            other.deadline,
            other.seq
        )
    }
}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Timer) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Timer {
    fn eq(&self, other: &Timer) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Timer {}

/// The future [`Executor::sleep`] returns.
pub struct Sleep {
    /// The executor whose clock it waits for.
    executor: Executor,
    /// The tick at which it is ready.
    deadline: u64,
    /// The waker its timer was set with, once set.
    registered: Option<Waker>,
}

impl Sleep {
    /// The tick at which it is ready. Given.
    pub fn deadline(&self) -> u64 {
        self.deadline
    }
}

impl Future for Sleep {
    type Output = ();

    /// Ready once the executor's clock has reached the deadline. Otherwise sets a timer
    /// that will wake `cx.waker()` at the deadline and returns `Pending`. Polled again
    /// before then, it is `Pending` again; it sets no second timer for the same waker
    /// (a timer keeps a clone of its waker, and the tests count the clones), but does
    /// set one for a waker that is not the same (`!registered.will_wake(cx.waker())`):
    /// a future must wake the waker of its latest poll, and a `Sleep` may move to
    /// another task.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let _ = &mut self.registered;
        todo!(
            "ready at {} on {:?}, else wake {cx:?} then",
            self.deadline,
            self.executor
        )
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("registered", &self.registered.is_some())
            .finish()
    }
}

/// Gives the other tasks a turn (greenlet's `switch`, `asyncio.sleep(0)`). Given.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future [`yield_now`] returns.
#[derive(Debug)]
pub struct YieldNow {
    /// Whether its first poll has happened.
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    /// The first poll wakes its own task and returns `Pending`, which puts the task at
    /// the back of the ready queue; the next poll is ready. The clock does not move.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let _ = &mut self.yielded;
        todo!("yield once, then be ready ({self:?}, {cx:?})")
    }
}

/// A spawned task's output, to come: a future that is ready with the output once the
/// task has finished. Dropping it detaches the task, which runs on.
pub struct JoinHandle<T> {
    /// What the task and its handle share.
    join: Rc<RefCell<JoinState<T>>>,
    /// The task's spawn index.
    index: usize,
}

/// What a task and its handle share.
#[allow(dead_code)] // Given for the code you write: the stub never makes one.
struct JoinState<T> {
    /// The task's output, once finished, until the handle takes it.
    output: Option<T>,
    /// The waker of whoever awaits the handle: the task wakes it when it finishes.
    waiter: Option<Waker>,
}

impl<T> JoinHandle<T> {
    /// The task's spawn index: 0 for the executor's first `spawn`, then 1, 2, …
    /// Given.
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    /// Ready with the output if the task has finished; otherwise keeps `cx.waker()`
    /// (the latest one: the handle may have moved to another task) for the task to wake
    /// when it finishes, and returns `Pending`.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        todo!("the output of task {}, or wait ({cx:?})", self.index)
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = self.join.borrow();
        f.debug_struct("JoinHandle")
            .field("index", &self.index)
            .field("finished", &join.output.is_some())
            .field("awaited", &join.waiter.is_some())
            .finish()
    }
}

/// Waits for all of `futures` (gevent's `joinall`): a future whose output is every
/// output, in the order of `futures`. Given: it pins each future in a box, so that
/// `JoinAll` can be `Unpin`.
pub fn join_all<I>(futures: I) -> JoinAll<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    let futures: Vec<Pin<Box<I::Item>>> = futures.into_iter().map(Box::pin).collect();
    let outputs = futures.iter().map(|_| None).collect();
    JoinAll { futures, outputs }
}

/// The future [`join_all`] returns.
pub struct JoinAll<F: Future> {
    /// The futures, each pinned in its own box, so `JoinAll` itself may move.
    futures: Vec<Pin<Box<F>>>,
    /// Each future's output once it is ready, in the same order.
    outputs: Vec<Option<F::Output>>,
}

// Nothing in a JoinAll is ever pinned in place (the futures are pinned in their boxes),
// so pinning a JoinAll pins nothing and it may be `Unpin` whatever `F` is. Given.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    /// Polls every future not finished yet, in order (with the same `cx`), and keeps
    /// the outputs of those that are ready; ready with all the outputs, in order, once
    /// every future has finished. So all of them start at its first poll, and their
    /// waits overlap.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        todo!("poll every unfinished future of {self:?} with {cx:?}")
    }
}

impl<F: Future> fmt::Debug for JoinAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinAll")
            .field("futures", &self.futures.len())
            .field(
                "finished",
                &self.outputs.iter().filter(|o| o.is_some()).count(),
            )
            .finish()
    }
}
