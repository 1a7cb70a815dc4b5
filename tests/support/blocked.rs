#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Seeing a thread blocked (Linux only): a test wakes a waiter only once the waiter
//! really waits, so a lost wakeup, a wakeup that is never sent or one sent to the wrong
//! thread shows up on every run instead of once in a while, and no test sleeps "long
//! enough" hoping the waiter got there.
//!
//! ```ignore
//! let waiter = blocked::spawn("waiter", move || event.wait(None));
//! blocked::wait_until_blocked(&waiter, "wait() on an unset event");
//! event2.set();
//! assert!(waiter.join_within(BOUND, "set() did not wake the waiter"));
//! ```
//!
//! [`spawn`] starts a thread that first records its own thread id (what `gettid(2)`
//! returns, read from `/proc/thread-self` so no C binding is needed), then runs the
//! work. [`wait_until_blocked`] reads `/proc/self/task/<tid>/stat` (the state: `R`
//! running, `S` asleep) and `status` (`voluntary_ctxt_switches`: how many times the
//! thread went to sleep) every millisecond, and returns once the thread is asleep and
//! has not woken up for [`STILL`] (at least [`STILL_POLLS`] reads). A thread asleep in
//! `Condvar::wait` or `Mutex::lock` stays so; one that spins never sleeps, and one that
//! sleeps in a loop (or waits with a short timeout, again and again) keeps adding
//! wakeups: both are named as busy-waiting when the bound runs out. The pause between
//! two reads only paces the polling: what decides is the state read.
//!
//! A loop that naps longer than [`STILL`] between its checks looks asleep: the suite
//! catches such a loop by what it does not do (wake in time for an item that arrived).
//!
//! Include after `lang.rs` and `within.rs` (it uses `within::BOUND`).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

/// How long a thread must stay asleep without a single wakeup to count as blocked.
pub const STILL: Duration = Duration::from_millis(100);
/// And in how many reads of its state, at least.
pub const STILL_POLLS: u32 = 20;
/// The pause between two reads.
const POLL: Duration = Duration::from_millis(1);

/// A thread started by [`spawn`]: its name, its kernel thread id, and its answer once
/// it has one.
pub struct Watched<T> {
    name: String,
    tid: u32,
    answer: Receiver<thread::Result<T>>,
    /// An answer taken early (by [`wait_until_blocked`], which found the thread done),
    /// kept for [`Watched::join_within`].
    early: RefCell<Option<thread::Result<T>>>,
}

/// The calling thread's kernel id (`gettid(2)`), from the link `/proc/thread-self`
/// (`<pid>/task/<tid>`).
pub fn current_tid() -> u32 {
    let link = std::fs::read_link("/proc/thread-self").expect("read /proc/thread-self");
    link.file_name()
        .and_then(|tid| tid.to_str())
        .and_then(|tid| tid.parse().ok())
        .unwrap_or_else(|| panic!("/proc/thread-self points at {}", link.display()))
}

/// Starts a thread named `name` that records its id, then runs `f`.
pub fn spawn<T, F>(name: &str, f: F) -> Watched<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (tid_tx, tid_rx) = mpsc::channel();
    let (answer_tx, answer) = mpsc::channel();
    thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let _ = tid_tx.send(current_tid());
            let _ = answer_tx.send(panic::catch_unwind(AssertUnwindSafe(f)));
        })
        .expect("start a thread");
    let tid = tid_rx
        .recv_timeout(crate::within::BOUND)
        .expect("a new thread tells its id at once");
    Watched {
        name: name.to_string(),
        tid,
        answer,
        early: RefCell::new(None),
    }
}

impl<T> Watched<T> {
    /// The thread's kernel id.
    pub fn tid(&self) -> u32 {
        self.tid
    }

    /// Whether the thread has answered (returned or panicked).
    pub fn is_finished(&self) -> bool {
        self.peek();
        self.early.borrow().is_some()
    }

    fn peek(&self) {
        if self.early.borrow().is_some() {
            return;
        }
        match self.answer.try_recv() {
            Ok(result) => *self.early.borrow_mut() = Some(result),
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => unreachable!("the thread always answers"),
        }
    }

    /// What the thread returned, if it does within `bound`; otherwise the test fails
    /// with `what`. A panic of the thread fails the test with its own message.
    #[track_caller]
    pub fn join_within(self, bound: Duration, what: &str) -> T {
        let result = match self.early.into_inner() {
            Some(result) => result,
            None => match self.answer.recv_timeout(bound) {
                Ok(result) => result,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{what}\n{}",
                    say!(
                        "(thread `{}` still had not returned after {bound:?})",
                        "（线程 `{}` 等了 {bound:?} 仍未返回）",
                        self.name,
                    )
                ),
                Err(RecvTimeoutError::Disconnected) => unreachable!("the thread always answers"),
            },
        };
        result.unwrap_or_else(|payload| panic::resume_unwind(payload))
    }

    /// Whether the thread has returned within `bound`, without taking its answer.
    pub fn returns_within(&self, bound: Duration) -> bool {
        self.peek();
        if self.early.borrow().is_some() {
            return true;
        }
        match self.answer.recv_timeout(bound) {
            Ok(result) => {
                *self.early.borrow_mut() = Some(result);
                true
            }
            Err(_) => false,
        }
    }
}

/// Returns once `thread` is blocked (asleep, not woken for [`STILL`]). Fails the test
/// with `what` (what the thread should be waiting for) and the reason when it returns
/// or panics instead, or when it is still busy after [`crate::within::BOUND`]. A
/// failure points at the caller's line (`#[track_caller]`).
#[track_caller]
pub fn wait_until_blocked<T>(thread: &Watched<T>, what: &str) {
    wait_until_blocked_for(thread, crate::within::BOUND, what);
}

/// [`wait_until_blocked`] with another bound (the instruments' own tests use a short
/// one).
#[track_caller]
pub fn wait_until_blocked_for<T>(thread: &Watched<T>, bound: Duration, what: &str) {
    let start = Instant::now();
    let mut still_since = start;
    let mut still_polls = 0;
    let mut last_switches = None;
    let (mut reads, mut running, mut wakeups) = (0u32, 0u32, 0u64);
    loop {
        if thread.is_finished() {
            let early = thread.early.borrow();
            let how = match early.as_ref() {
                Some(Err(payload)) => say!(
                    "it panicked: {}",
                    "它 panic 了：{}",
                    panic_text(payload.as_ref()),
                ),
                _ => say!("it returned", "它直接返回了"),
            };
            panic!(
                "{what}\n{}",
                say!(
                    "... but thread `{}` did not wait: {how}",
                    "……但线程 `{}` 没有等待：{how}",
                    thread.name,
                )
            );
        }
        let Some((state, switches)) = read_task(thread.tid) else {
            // Gone from /proc between two looks: it has just returned, and the next
            // look finds its answer.
            assert!(
                start.elapsed() <= bound,
                "/proc/self/task/{}/stat cannot be read",
                thread.tid
            );
            thread::sleep(POLL);
            continue;
        };
        reads += 1;
        if state != 'S' {
            running += 1;
        }
        match last_switches {
            Some(last) if state == 'S' && last == switches => {
                still_polls += 1;
                if still_polls >= STILL_POLLS && still_since.elapsed() >= STILL {
                    return;
                }
            }
            _ => {
                if let Some(last) = last_switches {
                    wakeups += switches.saturating_sub(last);
                }
                last_switches = Some(switches);
                still_since = Instant::now();
                still_polls = 0;
            }
        }
        if start.elapsed() > bound {
            let why = if running * 2 > reads {
                say!(
                    "it is busy-waiting: in {reads} looks over {bound:?} it was running, not asleep, \
                     {running} times (a loop that checks again and again instead of \
                     sleeping in Condvar::wait?)",
                    "它在忙等：{bound:?} 内看了 {reads} 次，有 {running} 次它在运行而不是睡眠\
                     （是不是用循环反复检查，而没有在 Condvar::wait 里睡眠？）",
                )
            } else {
                say!(
                    "it is busy-waiting: it woke up {wakeups} times in {bound:?} although nothing \
                     changed (a loop around sleep, or around a short wait_timeout, instead of \
                     one Condvar::wait that a notification ends?)",
                    "它在忙等：{bound:?} 内什么都没变，它却醒了 {wakeups} 次\
                     （是不是在循环里 sleep，或反复调用很短的 wait_timeout，\
                     而不是用一次由通知结束的 Condvar::wait？）",
                )
            };
            panic!("{what}\n{}", say!("... but {why}", "……但{why}"));
        }
        thread::sleep(POLL);
    }
}

/// A task's state letter and its voluntary context switches, or `None` once it is gone.
fn read_task(tid: u32) -> Option<(char, u64)> {
    let dir = format!("/proc/self/task/{tid}");
    let stat = std::fs::read_to_string(format!("{dir}/stat")).ok()?;
    // `tid (comm) S ...`: the name may hold spaces and brackets, so the state is the
    // first field after the last ')'.
    let state = stat[stat.rfind(')')? + 1..].trim_start().chars().next()?;
    let status = std::fs::read_to_string(format!("{dir}/status")).ok()?;
    let switches = status
        .lines()
        .find_map(|line| line.strip_prefix("voluntary_ctxt_switches:"))?
        .trim()
        .parse()
        .ok()?;
    Some((state, switches))
}

/// A panic's message, for a failure that reports another thread's panic.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(a panic without a message)".to_string())
}
