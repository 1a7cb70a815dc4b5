//! Reference solution of the coroutines kata (协程): a single-threaded executor on a
//! virtual clock.
//!
//! An `async` block is a coroutine the compiler writes for you: a state machine that
//! runs until its next `.await` on something not ready, then returns `Poll::Pending`
//! and waits to be polled again. This crate is the part Rust leaves to a library (tokio,
//! async-std): the executor (执行器) that decides which coroutine runs next.
//!
//! # The rules every run follows
//!
//! They make every run of a program give the same trace, whatever the machine.
//!
//! 1. **Tasks are numbered** 0, 1, 2, … in the order of the calls to
//!    [`Executor::spawn`] on one executor (the spawn index, [`JoinHandle::index`]).
//!    [`Executor::block_on`]'s own future is not a task and has no number.
//! 2. **One ready queue (就绪队列), first in, first out.** `spawn` puts the new task at
//!    the back; `block_on` puts its future at the back; a wake puts the task whose
//!    waker it is at the back, unless that task is in the queue already (two wakes
//!    before a poll make one poll). A task that has finished is never polled again,
//!    even if its waker is woken, and neither is a `block_on` future after its
//!    `block_on` returned: a waker kept from it wakes nothing, whatever `block_on`
//!    runs then.
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

use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

/// What an executor has counted since it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Calls of [`Executor::spawn`].
    pub spawned: u64,
    /// Calls of `poll` the executor made: on tasks and on `block_on`'s futures.
    pub polls: u64,
    /// Wakes that put a task (or `block_on`'s future) into the ready queue. A wake of
    /// one that is in the queue already queues nothing and is not counted. (Here a wake
    /// of a finished task, or of an earlier `block_on`'s future, is counted: it queues
    /// an id that is skipped when it comes out.)
    pub wakes: u64,
}

/// `block_on`'s error: its future is not ready, no task is ready to run and no timer
/// is set, so nothing can ever make progress (a deadlock, 死锁).
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
/// `.await` and so must never move once polled.
type Task = Pin<Box<dyn Future<Output = ()>>>;

/// A single-threaded executor with a virtual clock. Cloning it gives another handle to
/// the same executor (tasks keep one to spawn and sleep).
#[derive(Clone)]
pub struct Executor {
    /// Everything only this thread touches.
    state: Rc<RefCell<State>>,
    /// The ready queue. Wakers push onto it, and a `Waker` must be `Send + Sync` (any
    /// thread may wake it), so it is shared through `Arc<Mutex<_>>`, not `Rc`.
    ready: Arc<Mutex<ReadyQueue>>,
}

struct State {
    /// The virtual time, in ticks.
    now: u64,
    /// The tasks by spawn index: `None` once finished, and while being polled (it is
    /// taken out, so the task can spawn and sleep through the executor as it runs).
    tasks: Vec<Option<Task>>,
    /// One waker per task, made once, so a future sees the same waker every poll.
    wakers: Vec<Waker>,
    /// The timers: a min-heap by (deadline, seq), since `Reverse` turns `BinaryHeap`'s
    /// greatest-first into least-first.
    timers: BinaryHeap<Reverse<Timer>>,
    /// The next timer's sequence number: the order timers were set.
    next_seq: u64,
    /// Polls made so far.
    polls: u64,
    /// `block_on` calls so far. Each gives its future a fresh id, counting down from
    /// `usize::MAX` (task indices count up from 0 and never get near), so that a waker
    /// kept from an earlier `block_on`'s future can never wake a later one's.
    block_ons: usize,
}

struct ReadyQueue {
    /// Ids to poll, front first: spawn indices, or `block_on` futures' ids.
    queue: VecDeque<usize>,
    /// The ids in `queue`, so that a second wake before the poll queues nothing.
    queued: HashSet<usize>,
    /// Wakes that queued something.
    wakes: u64,
}

impl ReadyQueue {
    /// Puts `id` at the back unless it is already queued; true if it was queued now.
    fn push(&mut self, id: usize) -> bool {
        let fresh = self.queued.insert(id);
        if fresh {
            self.queue.push_back(id);
        }
        fresh
    }

    /// Takes the front id. It leaves `queued` now, before its poll, so a wake during
    /// the poll (`yield_now` wakes its own task) queues it again.
    fn pop(&mut self) -> Option<usize> {
        let id = self.queue.pop_front()?;
        self.queued.remove(&id);
        Some(id)
    }
}

/// The waker of one task (or of a `block_on`'s future): waking it queues `id`.
struct TaskWaker {
    id: usize,
    ready: Arc<Mutex<ReadyQueue>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        let mut ready = lock(&self.ready);
        if ready.push(self.id) {
            ready.wakes += 1;
        }
    }
}

/// The lock, even if a panic poisoned it (the queue stays consistent: every change to
/// it is a single push or pop).
fn lock(ready: &Mutex<ReadyQueue>) -> std::sync::MutexGuard<'_, ReadyQueue> {
    ready.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Executor {
    /// An executor with no tasks, at time 0.
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

    /// The virtual time, in ticks (0 when made).
    pub fn now(&self) -> u64 {
        self.state.borrow().now
    }

    /// What the executor has counted so far.
    pub fn stats(&self) -> Stats {
        let state = self.state.borrow();
        Stats {
            spawned: state.tasks.len() as u64,
            polls: state.polls,
            wakes: lock(&self.ready).wakes,
        }
    }

    /// Runs the executor until `future` is ready and returns its output; the tasks
    /// spawned on this executor run meanwhile. Returns [`Stalled`] instead of waiting
    /// forever when nothing can make progress. Tasks still pending when it returns stay
    /// where they are, and the next `block_on` goes on with them.
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Stalled> {
        let mut future = pin!(future);
        let main = {
            let mut state = self.state.borrow_mut();
            state.block_ons += 1;
            usize::MAX - (state.block_ons - 1)
        };
        let waker = self.waker(main);
        let mut cx = Context::from_waker(&waker);
        lock(&self.ready).push(main);
        loop {
            // The guard is dropped at the end of this statement: the lock must not be
            // held while anything is polled, since a poll may wake (and so lock).
            let next = lock(&self.ready).pop();
            match next {
                Some(id) if id == main => {
                    self.state.borrow_mut().polls += 1;
                    if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                        return Ok(output);
                    }
                }
                Some(id) => self.run(id),
                None => {
                    if !self.fire_timers() {
                        return Err(self.stalled());
                    }
                }
            }
        }
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
        let join = Rc::new(RefCell::new(JoinState {
            output: None,
            waiter: None,
        }));
        let finish = Rc::clone(&join);
        // The task is the future followed by handing its output to the handle.
        let task = async move {
            let output = future.await;
            let waiter = {
                let mut join = finish.borrow_mut();
                join.output = Some(output);
                join.waiter.take()
            };
            if let Some(waiter) = waiter {
                waiter.wake();
            }
        };
        let index = {
            let mut state = self.state.borrow_mut();
            let index = state.tasks.len();
            state.tasks.push(Some(Box::pin(task)));
            let waker = self.waker(index);
            state.wakers.push(waker);
            index
        };
        // A spawn queues the task; it is not a wake.
        lock(&self.ready).push(index);
        JoinHandle { join, index }
    }

    /// A future that is ready once the clock reaches `now() + ticks` (gevent's `sleep`).
    /// The deadline is fixed here, when `sleep` is called, not when first awaited; past
    /// `u64::MAX` it is `u64::MAX`. `sleep(0)` is ready at its first poll.
    pub fn sleep(&self, ticks: u64) -> Sleep {
        Sleep {
            executor: self.clone(),
            deadline: self.now().saturating_add(ticks),
            registered: None,
        }
    }

    /// The waker that queues `id`.
    fn waker(&self, id: usize) -> Waker {
        Waker::from(Arc::new(TaskWaker {
            id,
            ready: Arc::clone(&self.ready),
        }))
    }

    /// Polls task `id` once. The task is taken out of the table while it runs, and
    /// no borrow of the state is held, so it may spawn, sleep and read the clock.
    fn run(&self, id: usize) {
        let (mut task, waker) = {
            let mut state = self.state.borrow_mut();
            // A stale waker can queue an id with nothing to run: a finished task's, or
            // an earlier `block_on` future's (no task has that index). Not a poll.
            let Some(task) = state.tasks.get_mut(id).and_then(Option::take) else {
                return;
            };
            state.polls += 1;
            (task, state.wakers[id].clone())
        };
        let mut cx = Context::from_waker(&waker);
        if task.as_mut().poll(&mut cx).is_pending() {
            self.state.borrow_mut().tasks[id] = Some(task);
        }
    }

    /// Moves the clock to the earliest deadline and fires every timer due then, in the
    /// order they were set. False if no timer is set.
    fn fire_timers(&self) -> bool {
        let due = {
            let mut state = self.state.borrow_mut();
            let Some(Reverse(first)) = state.timers.peek() else {
                return false;
            };
            let deadline = first.deadline;
            state.now = deadline;
            let mut due = Vec::new();
            while let Some(Reverse(timer)) = state.timers.peek()
                && timer.deadline == deadline
            {
                if let Some(Reverse(timer)) = state.timers.pop() {
                    due.push(timer.waker);
                }
            }
            due
        };
        // Woken after the borrow ends: a waker may be anyone's code.
        for waker in due {
            waker.wake();
        }
        true
    }

    /// Sets a timer that wakes `waker` at `deadline`.
    fn add_timer(&self, deadline: u64, waker: Waker) {
        let mut state = self.state.borrow_mut();
        let seq = state.next_seq;
        state.next_seq += 1;
        state.timers.push(Reverse(Timer {
            deadline,
            seq,
            waker,
        }));
    }

    /// The error for a stall now.
    fn stalled(&self) -> Stalled {
        let state = self.state.borrow();
        Stalled {
            now: state.now,
            pending: (0..state.tasks.len())
                .filter(|&index| state.tasks[index].is_some())
                .collect(),
        }
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

/// A timer: wake `waker` at `deadline`. Ordered by deadline, then by `seq`, so timers
/// due at the same tick fire in the order they were set.
struct Timer {
    deadline: u64,
    seq: u64,
    waker: Waker,
}

impl Ord for Timer {
    fn cmp(&self, other: &Timer) -> Ordering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
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
    executor: Executor,
    deadline: u64,
    /// The waker the timer was set with, once set.
    registered: Option<Waker>,
}

impl Sleep {
    /// The tick at which it is ready.
    pub fn deadline(&self) -> u64 {
        self.deadline
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.executor.now() >= self.deadline {
            return Poll::Ready(());
        }
        // One timer per waker: polled again by the same task, it is set already; moved
        // to another task, the new task must be the one woken.
        if !self
            .registered
            .as_ref()
            .is_some_and(|waker| waker.will_wake(cx.waker()))
        {
            self.executor.add_timer(self.deadline, cx.waker().clone());
            self.registered = Some(cx.waker().clone());
        }
        Poll::Pending
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

/// Gives the other tasks a turn (greenlet's `switch`, `asyncio.sleep(0)`): the first
/// poll wakes its own task and returns `Pending`, which puts the task at the back of
/// the ready queue; the next poll is ready. The clock does not move.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future [`yield_now`] returns.
#[derive(Debug)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A spawned task's output, to come: a future that is ready with the output once the
/// task has finished. Dropping it detaches the task, which runs on.
pub struct JoinHandle<T> {
    join: Rc<RefCell<JoinState<T>>>,
    index: usize,
}

/// What a task and its handle share.
struct JoinState<T> {
    /// The task's output, once finished, until the handle takes it.
    output: Option<T>,
    /// The waker of whoever awaits the handle: the task wakes it when it finishes.
    waiter: Option<Waker>,
}

impl<T> JoinHandle<T> {
    /// The task's spawn index: 0 for the executor's first `spawn`, then 1, 2, ...
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut join = self.join.borrow_mut();
        match join.output.take() {
            Some(output) => Poll::Ready(output),
            None => {
                // Always the latest waker: the handle may have moved to another task.
                join.waiter = Some(cx.waker().clone());
                Poll::Pending
            }
        }
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
/// output, in the order of `futures`. Each of its polls polls every future not yet
/// finished, in order, so all of them start at its first poll and their waits overlap.
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
// so pinning a JoinAll pins nothing and it may be `Unpin` whatever `F` is.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let this = self.get_mut();
        for (future, output) in this.futures.iter_mut().zip(this.outputs.iter_mut()) {
            if output.is_none()
                && let Poll::Ready(value) = future.as_mut().poll(cx)
            {
                *output = Some(value);
            }
        }
        if this.outputs.iter().all(Option::is_some) {
            Poll::Ready(this.outputs.drain(..).flatten().collect())
        } else {
            Poll::Pending
        }
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
