//! The suite of the coroutines kata (协程). It grades both `exercises/coroutines` (your
//! code) and `solutions/coroutines` (the reference): both crates name this file as their
//! test.
//!
//! Test names follow `exercises/coroutines/README.md`, "What the tests check": one module
//! per part of the executor, so a failure names the part and the promise that broke.
//!
//! Every task and every `block_on` future here runs inside a [`Watched`] wrapper that
//! counts its polls and the wakes of its waker. It fails the test, in words, the moment
//! a task is polled without a wake since its last poll (busy polling, or a task queued
//! twice), is polled after it finished, or is polled more than [`POLL_LIMIT`] times (a
//! future that wakes itself forever), so no mistake makes a test spin until the
//! runner's timeout. Nothing here reads a real clock: the executor's clock is virtual.
//! The one wait with a bound in real time is a thread's wake in
//! `wakers::wake_from_another_thread_returns_during_the_poll`: it fails, in words,
//! an executor that keeps its ready queue locked while it polls, which would
//! otherwise hang every test that wakes a task during a poll.
//!
//! Every test whose future must finish runs it through [`block_on`] or [`finish`],
//! which fail at once, as a lost wake, when `block_on` returns `Stalled`: a stall
//! never shows up later as a wrong count or a wrong trace.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use coroutines::{Executor, JoinHandle};

/// The most polls any one future of this suite may take. The largest program here needs
/// fewer than a hundred, so a future polled this often wakes itself forever.
const POLL_LIMIT: u64 = 10_000;

/// What a [`Watched`] future has seen: shared with the test, which reads it afterwards.
struct Probe {
    name: String,
    /// True for a `block_on`'s future, false for a task.
    main: bool,
    polls: Cell<u64>,
    finished: Cell<bool>,
}

impl Probe {
    fn new(name: &str) -> Rc<Probe> {
        Rc::new(Probe {
            name: name.to_string(),
            main: false,
            polls: Cell::new(0),
            finished: Cell::new(false),
        })
    }

    fn main() -> Rc<Probe> {
        Rc::new(Probe {
            name: "block_on's future".to_string(),
            main: true,
            polls: Cell::new(0),
            finished: Cell::new(false),
        })
    }
}

/// The waker a [`Watched`] future hands down: it counts the wake, then passes it on to
/// the executor's waker.
struct Relay {
    wakes: Arc<AtomicU64>,
    inner: Waker,
}

impl Wake for Relay {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}

/// A future that checks how the executor polls it (see the module's docs).
struct Watched<F> {
    future: Pin<Box<F>>,
    probe: Rc<Probe>,
    /// The wakes of this future's relays since its last poll.
    wakes: Arc<AtomicU64>,
    /// How many wakes came before its last poll.
    wakes_before_last_poll: u64,
    /// The executor's waker of the last poll and the relay made for it.
    relay: Option<(Waker, Waker)>,
}

fn watched<F: Future>(probe: &Rc<Probe>, future: F) -> Watched<F> {
    Watched {
        future: Box::pin(future),
        probe: Rc::clone(probe),
        wakes: Arc::new(AtomicU64::new(0)),
        wakes_before_last_poll: 0,
        relay: None,
    }
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let name = &this.probe.name;
        let polls = this.probe.polls.get() + 1;
        this.probe.polls.set(polls);
        assert!(
            !this.probe.finished.get(),
            "{}",
            say!(
                "{name} was polled again after it had finished: a task that is done must \
                 never be polled again (drop it, and let a late wake of its waker do nothing)",
                "{name} 已经结束了却又被 poll：结束的任务绝不能再被 poll（把它丢掉，\
                 之后再有人唤醒它的 waker 也什么都不做）"
            )
        );
        let wakes = this.wakes.swap(0, Ordering::SeqCst);
        let before = std::mem::replace(&mut this.wakes_before_last_poll, wakes);
        if polls > 1 && wakes == 0 && before >= 2 {
            panic!(
                "{}",
                say!(
                    "{name} was polled twice in a row (polls {} and {polls}) for the {before} \
                     wakes that came before the first of them: a wake of a task that is in \
                     the ready queue already must leave it there, once (two wakes before a \
                     poll make one poll), not queue it a second time",
                    "{name} 连着被 poll 了两次（第 {} 次和第 {polls} 次），起因是前一次之前的 \
                     {before} 次唤醒：唤醒一个已经在就绪队列里的任务，应让它在队列里只待一次\
                     （poll 之前的两次唤醒只带来一次 poll），不能再入队一次",
                    polls - 1
                )
            );
        }
        if polls > 1 && wakes == 0 {
            let also = if this.probe.main {
                say!(
                    " Or a wake meant for an earlier block_on's future (its waker, kept by a \
                     timer or a handle) polled this one: give each block_on's future an id \
                     of its own.",
                    "或者是发给之前某次 block_on 的 future 的唤醒（定时器或句柄留着它的 \
                     waker）poll 了这一个：每次 block_on 的 future 都要有自己的 id。"
                )
            } else {
                String::new()
            };
            panic!(
                "{}{also}",
                say!(
                    "{name} was polled again (poll {polls}), though nothing woke it since its \
                     last poll. An executor polls a task when it is spawned, then once per \
                     wake, and never otherwise: putting a task back in the ready queue because \
                     it returned Pending, or polling every task round after round to see \
                     whether it is done yet, is busy polling (忙轮询).",
                    "{name} 又被 poll 了（第 {polls} 次），可自上次 poll 以来没有任何东西唤醒它。\
                     执行器在任务被 spawn 时 poll 它一次，之后每次唤醒再 poll 一次，别的时候\
                     一概不 poll：任务返回 Pending 就把它放回就绪队列，或者一轮又一轮地 poll \
                     每个任务看它好了没有，这就是忙轮询（busy polling）。"
                )
            );
        }
        assert!(
            polls <= POLL_LIMIT,
            "{}",
            say!(
                "{name} was polled {polls} times, each after a wake: a future that wakes \
                 its own task and returns Pending on every poll never ends (does yield_now \
                 return Ready on its second poll? does a Sleep become ready at its deadline?)",
                "{name} 被 poll 了 {polls} 次，每次都是被唤醒之后：一个每次 poll 都唤醒自己\
                 并返回 Pending 的 future 永远结束不了（yield_now 第二次 poll 时返回 Ready \
                 了吗？Sleep 到了截止时刻会变成就绪吗？）"
            )
        );
        let relay = match &this.relay {
            Some((inner, relay)) if inner.will_wake(cx.waker()) => relay.clone(),
            _ => {
                let relay = Waker::from(Arc::new(Relay {
                    wakes: Arc::clone(&this.wakes),
                    inner: cx.waker().clone(),
                }));
                this.relay = Some((cx.waker().clone(), relay.clone()));
                relay
            }
        };
        let poll = this.future.as_mut().poll(&mut Context::from_waker(&relay));
        if poll.is_ready() {
            this.probe.finished.set(true);
        }
        poll
    }
}

/// Spawns `future` as a watched task named `name`.
fn spawn<F>(ex: &Executor, name: &str, future: F) -> (JoinHandle<F::Output>, Rc<Probe>)
where
    F: Future + 'static,
    F::Output: 'static,
{
    let probe = Probe::new(name);
    (ex.spawn(watched(&probe, future)), probe)
}

/// Runs `block_on` on a watched `future`; returns its result and its probe. For the
/// tests where a stall is an answer; the others use [`block_on`].
fn try_block_on<F: Future>(
    ex: &Executor,
    future: F,
) -> (Result<F::Output, coroutines::Stalled>, Rc<Probe>) {
    let probe = Probe::main();
    (ex.block_on(watched(&probe, future)), probe)
}

/// Runs `block_on` on a watched `future` that must finish; returns its output and its
/// probe. A stall fails the test here, as a lost wake, before anything else is checked.
#[track_caller]
fn block_on<F: Future>(ex: &Executor, future: F) -> (F::Output, Rc<Probe>) {
    let (result, probe) = try_block_on(ex, future);
    (finished(result), probe)
}

/// The output of a `block_on` whose future can finish; a stall fails the test, as a
/// lost wake.
#[track_caller]
fn finished<T>(result: Result<T, coroutines::Stalled>) -> T {
    match result {
        Ok(output) => output,
        Err(stalled) => panic!(
            "{}",
            say!(
                "block_on returned Err({stalled:?}) ({stalled}), but this future can finish: \
                 is a wake lost somewhere (a JoinHandle that does not wake its waiter, a \
                 timer that never fires, a Sleep not ready at its deadline, a wake during a \
                 poll forgotten)?",
                "block_on 返回了 Err({stalled:?})（{stalled}），但这个 future 是能完成的：\
                 是不是哪里丢了唤醒（JoinHandle 没唤醒等它的人、定时器没触发、\
                 Sleep 到了截止时刻却没就绪、poll 期间的唤醒被忘掉了）？"
            )
        ),
    }
}

/// Runs `block_on` on a watched `future` that must finish, and returns its output.
#[track_caller]
fn finish<F: Future>(ex: &Executor, future: F) -> F::Output {
    block_on(ex, future).0
}

/// A trace of what the tasks did: lines `t=<now> <what>`.
#[derive(Clone, Default)]
struct Trace(Rc<RefCell<Vec<String>>>);

impl Trace {
    fn line(&self, ex: &Executor, what: impl std::fmt::Display) {
        self.0.borrow_mut().push(format!("t={} {what}", ex.now()));
    }

    fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    fn text(&self) -> String {
        self.lines().join("\n")
    }
}

/// A future that is ready at its second poll, like `yield_now`, but that wakes its
/// waker `wakes` times (through clones and by reference) before its first `Pending`.
struct WakeTwice {
    wakes: usize,
    polled: bool,
}

impl Future for WakeTwice {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            return Poll::Ready(());
        }
        self.polled = true;
        for i in 0..self.wakes {
            if i % 2 == 0 {
                cx.waker().wake_by_ref();
            } else {
                // Woken by value too, as a waker kept by a timer or a handle is.
                let kept = cx.waker().clone();
                kept.wake();
            }
        }
        Poll::Pending
    }
}

/// Polls the future it holds once, then is ready with whether that poll was ready: a
/// way to make a future register one task's waker and then move on to another task.
struct PollOnce<'a, F>(&'a mut F);

impl<F: Future + Unpin> Future for PollOnce<'_, F> {
    type Output = bool;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        Poll::Ready(Pin::new(&mut *self.0).poll(cx).is_ready())
    }
}

/// Polls the future it holds `polls` times in a row, with one waker of its own (which
/// passes its wakes on to the task's), then is ready with how many clones of that waker
/// the future kept after its first poll and after its last: every timer a `Sleep` sets
/// holds a clone of the waker it wakes.
struct KeptClones<'a, F> {
    future: &'a mut F,
    polls: usize,
}

impl<F: Future + Unpin> Future for KeptClones<'_, F> {
    type Output = (usize, usize);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(usize, usize)> {
        let relay = Arc::new(Relay {
            wakes: Arc::default(),
            inner: cx.waker().clone(),
        });
        let waker = Waker::from(Arc::clone(&relay));
        let mut kept = Vec::new();
        for _ in 0..self.polls {
            let _ = Pin::new(&mut *self.future).poll(&mut Context::from_waker(&waker));
            // Less the two this future holds: `relay` and `waker`.
            kept.push(Arc::strong_count(&relay) - 2);
        }
        Poll::Ready((kept[0], kept[kept.len() - 1]))
    }
}

/// A future that writes `t=<now> <name> polled` at each of its polls, then polls the
/// future it holds. Not watched: for a `block_on` whose polls the test itself judges.
struct Traced<F> {
    future: Pin<Box<F>>,
    ex: Executor,
    trace: Trace,
    name: &'static str,
}

impl<F: Future> Future for Traced<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.trace.line(&self.ex, format!("{} polled", self.name));
        self.future.as_mut().poll(cx)
    }
}

/// A future that keeps the waker of its first poll in `slot` and is ready at once.
struct StashWaker(Rc<RefCell<Option<Waker>>>);

impl Future for StashWaker {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        *self.0.borrow_mut() = Some(cx.waker().clone());
        Poll::Ready(())
    }
}

mod examples {
    use rstest::rstest;

    use coroutines::{Executor, Stats, join_all, yield_now};

    use super::{Trace, block_on, finish, spawn};

    #[test]
    fn block_on_a_ready_future() {
        let ex = Executor::new();
        assert_eq!(
            finish(&ex, async { 7 }),
            7,
            "{}",
            say!(
                "block_on must return the output of its future",
                "block_on 必须返回它的 future 的输出"
            )
        );
        assert_eq!(
            ex.now(),
            0,
            "{}",
            say!(
                "nothing slept, so the clock must still say 0",
                "没有任何东西 sleep，时钟必须仍是 0"
            )
        );
        assert_eq!(
            ex.stats(),
            Stats {
                spawned: 0,
                polls: 1,
                wakes: 0
            },
            "{}",
            say!(
                "a ready future is polled once, and nothing is spawned or woken",
                "一个立刻就绪的 future 只 poll 一次，没有 spawn 也没有唤醒"
            )
        );
    }

    /// Tasks that each sleep some ticks, then note their number: the order they finish
    /// in, and the time at the end. They wait together, so it ends at the longest sleep.
    #[rstest]
    #[case::none(&[], &[], 0)]
    #[case::one(&[4], &[0], 4)]
    #[case::the_course(&[3, 1, 2], &[1, 2, 0], 3)]
    #[case::equal_ticks_first_come_first_served(&[2, 2, 2], &[0, 1, 2], 2)]
    #[case::eight_equal_ticks(&[1; 8], &[0, 1, 2, 3, 4, 5, 6, 7], 1)]
    #[case::mixed_equal_ticks(&[3, 1, 3, 1, 3, 1], &[1, 3, 5, 0, 2, 4], 3)]
    #[case::zero_ticks_finish_at_once(&[0, 5, 0], &[0, 2, 1], 5)]
    #[case::longest_first(&[5, 4, 3, 2, 1], &[4, 3, 2, 1, 0], 5)]
    fn block_on_runs_sleepers_together(
        #[case] ticks: &[u64],
        #[case] order: &[usize],
        #[case] end: u64,
    ) {
        let ex = Executor::new();
        let finished = Trace::default();
        let handles: Vec<_> = ticks
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                let (ex2, finished) = (ex.clone(), finished.clone());
                spawn(&ex, &format!("task {i}"), async move {
                    ex2.sleep(t).await;
                    finished.0.borrow_mut().push(i.to_string());
                    t
                })
                .0
            })
            .collect();
        let outputs = finish(&ex, join_all(handles));
        let order: Vec<String> = order.iter().map(usize::to_string).collect();
        assert_eq!(
            finished.lines(),
            order,
            "{}",
            say!(
                "tasks sleeping {ticks:?} ticks must finish in this order (by their wake-up \
                 time; equal times in the order they went to sleep)",
                "睡眠 {ticks:?} 个 tick 的任务必须按这个顺序结束（按醒来的时刻；\
                 时刻相同的按入睡的先后）"
            )
        );
        assert_eq!(
            outputs,
            ticks,
            "{}",
            say!(
                "join_all must give each task's output, in the order of the handles",
                "join_all 必须按句柄的顺序给出每个任务的输出"
            )
        );
        assert_eq!(
            ex.now(),
            end,
            "{}",
            say!(
                "tasks sleeping {ticks:?} ticks wait at the same time, so the clock must end \
                 at the longest sleep, {end}, not at their sum",
                "睡眠 {ticks:?} 个 tick 的任务是同时等待的，时钟必须停在最长的那次睡眠 {end}，\
                 而不是它们的和"
            )
        );
    }

    #[test]
    fn spawn_gives_a_handle_to_the_output() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let output = finish(&ex, async move {
            let (handle, _) = spawn(&ex2, "task 0", async { "done".to_string() });
            handle.await
        });
        assert_eq!(
            output,
            "done",
            "{}",
            say!(
                "awaiting a JoinHandle must give the task's output",
                "await 一个 JoinHandle 必须得到任务的输出"
            )
        );
    }

    #[test]
    fn spawn_queues_the_task_for_block_on() {
        let ex = Executor::new();
        let ran = Trace::default();
        let (handle, probe) = spawn(&ex, "task 0", {
            let (ex, ran) = (ex.clone(), ran.clone());
            async move {
                ran.line(&ex, "task 0 ran");
                40
            }
        });
        assert_eq!(
            probe.polls.get(),
            0,
            "{}",
            say!(
                "spawn must only queue the task; it runs when block_on turns",
                "spawn 只能把任务放进队列；任务要等 block_on 运转时才运行"
            )
        );
        assert_eq!(finish(&ex, async { handle.await + 2 }), 42);
        assert_eq!(ran.lines(), ["t=0 task 0 ran"]);
    }

    /// Rule 2: `block_on` puts its future at the back of the ready queue, behind the
    /// tasks spawned before it and the tasks an earlier `block_on` left queued.
    #[test]
    fn block_on_queues_its_future_behind_the_ready_tasks() {
        let ex = Executor::new();
        let trace = Trace::default();
        let noter = |what: &'static str| {
            let (ex, trace) = (ex.clone(), trace.clone());
            async move { trace.line(&ex, what) }
        };
        spawn(&ex, "task 0", noter("task 0 ran"));
        spawn(&ex, "task 1", noter("task 1 ran"));
        finish(&ex, noter("the first block_on's future ran"));
        let (ex2, task_2) = (ex.clone(), noter("task 2 ran"));
        let spawner = noter("the second block_on's future spawned task 2");
        finish(&ex, async move {
            spawn(&ex2, "task 2", task_2);
            spawner.await;
        });
        finish(&ex, noter("the third block_on's future ran"));
        assert_eq!(
            trace.lines(),
            [
                "t=0 task 0 ran",
                "t=0 task 1 ran",
                "t=0 the first block_on's future ran",
                "t=0 the second block_on's future spawned task 2",
                "t=0 task 2 ran",
                "t=0 the third block_on's future ran",
            ],
            "{}",
            say!(
                "block_on puts its future at the BACK of the ready queue (rule 2), so the \
                 tasks already queued run before its first poll: tasks 0 and 1, spawned \
                 before the first block_on, and task 2, which the second block_on's future \
                 spawned and left queued when it was ready",
                "block_on 把它的 future 放到就绪队列的队尾（规则 2），所以已经在队列里的任务\
                 先于它的第一次 poll 运行：在第一次 block_on 之前 spawn 的任务 0 和 1，\
                 以及第二次 block_on 的 future spawn、在它就绪时还留在队列里的任务 2"
            )
        );
    }

    #[test]
    fn spawn_runs_a_task_whose_handle_is_dropped() {
        let ex = Executor::new();
        let ran = Trace::default();
        let (handle, probe) = spawn(&ex, "task 0", {
            let (ex, ran) = (ex.clone(), ran.clone());
            async move {
                ex.sleep(2).await;
                ran.line(&ex, "task 0 woke");
            }
        });
        drop(handle);
        finish(&ex, ex.sleep(5));
        assert_eq!(
            ran.lines(),
            ["t=2 task 0 woke"],
            "{}",
            say!(
                "a task whose JoinHandle was dropped must still run to its end",
                "JoinHandle 被丢掉的任务仍必须运行到结束"
            )
        );
        assert!(probe.finished.get());
        assert_eq!(ex.now(), 5);
    }

    #[test]
    fn block_on_returns_as_soon_as_its_future_is_ready() {
        let ex = Executor::new();
        let trace = Trace::default();
        let (long, _) = spawn(&ex, "task 0", {
            let (ex, trace) = (ex.clone(), trace.clone());
            async move {
                ex.sleep(10).await;
                trace.line(&ex, "task 0 woke");
                "long"
            }
        });
        finish(&ex, ex.sleep(3));
        assert_eq!(
            (ex.now(), trace.lines()),
            (3, vec![]),
            "{}",
            say!(
                "block_on(sleep(3)) must return at t=3, leaving the task that sleeps 10 \
                 ticks asleep (the time, and the lines the task wrote)",
                "block_on(sleep(3)) 必须在 t=3 返回，睡 10 个 tick 的任务继续睡着\
                 （时间，以及任务写下的行）"
            )
        );
        assert_eq!(
            finish(&ex, long),
            "long",
            "{}",
            say!(
                "a later block_on must go on with the tasks still pending",
                "之后的 block_on 必须继续运行尚未完成的任务"
            )
        );
        assert_eq!(trace.lines(), ["t=10 task 0 woke"]);
    }

    #[test]
    fn block_on_leaves_queued_tasks_for_later() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let (handle, probe) = finish(&ex, async move {
            // Spawned, so queued, but block_on's future is ready first.
            spawn(&ex2, "task 0", async { "later" })
        });
        assert_eq!(
            probe.polls.get(),
            0,
            "{}",
            say!(
                "block_on must return as soon as its future is ready, leaving the task it \
                 spawned in the queue, not run every ready task first",
                "block_on 的 future 一就绪就必须返回，把它 spawn 的任务留在队列里，\
                 而不是先把所有就绪的任务跑完"
            )
        );
        assert_eq!(finish(&ex, handle), "later");
        assert_eq!(probe.polls.get(), 1);
    }

    #[test]
    fn spawn_numbers_tasks_from_zero() {
        let ex = Executor::new();
        let (first, _) = spawn(&ex, "task 0", async {});
        let ex2 = ex.clone();
        let (second, _) = spawn(&ex, "task 1", async move {
            let (inner, _) = spawn(&ex2, "task 2", async {});
            inner.index()
        });
        assert_eq!(
            (first.index(), second.index()),
            (0, 1),
            "{}",
            say!(
                "the first two spawns are tasks 0 and 1",
                "前两次 spawn 的是任务 0 和 1"
            )
        );
        assert_eq!(
            finish(&ex, second),
            2,
            "{}",
            say!(
                "a task spawned from inside a task is numbered on, in spawn order",
                "在任务里 spawn 的任务按 spawn 的先后继续编号"
            )
        );
        assert_eq!(ex.stats().spawned, 3);
    }

    #[test]
    fn yield_now_takes_two_polls_and_no_time() {
        let ex = Executor::new();
        let (_, probe) = block_on(&ex, yield_now());
        assert_eq!(
            (probe.polls.get(), ex.now()),
            (2, 0),
            "{}",
            say!(
                "yield_now is Pending at its first poll (after waking its task) and Ready at \
                 the second; the clock does not move (polls, time)",
                "yield_now 第一次 poll 返回 Pending（先唤醒自己的任务），第二次返回 Ready；\
                 时钟不动（poll 次数，时间）"
            )
        );
    }

    #[test]
    fn join_all_of_nothing_is_ready_at_once() {
        let ex = Executor::new();
        let (output, probe) = block_on(&ex, join_all(Vec::<std::future::Ready<u8>>::new()));
        assert_eq!(
            (output, probe.polls.get()),
            (vec![], 1),
            "{}",
            say!(
                "join_all of no futures is ready with an empty Vec at its first poll",
                "没有任何 future 的 join_all 第一次 poll 就以空 Vec 就绪"
            )
        );
    }
}

mod clock {
    use coroutines::{Executor, yield_now};

    use super::{KeptClones, PollOnce, Trace, block_on, finish, spawn};

    #[test]
    fn moves_only_when_no_task_is_ready() {
        let ex = Executor::new();
        let trace = Trace::default();
        spawn(&ex, "sleeper", {
            let (ex, trace) = (ex.clone(), trace.clone());
            async move {
                ex.sleep(1).await;
                trace.line(&ex, "sleeper woke");
            }
        });
        let (busy, _) = spawn(&ex, "yielder", {
            let (ex, trace) = (ex.clone(), trace.clone());
            async move {
                for i in 0..4 {
                    trace.line(&ex, format!("yielder turn {i}"));
                    yield_now().await;
                }
            }
        });
        finish(&ex, busy);
        finish(&ex, ex.sleep(1));
        assert_eq!(
            trace.lines(),
            [
                "t=0 yielder turn 0",
                "t=0 yielder turn 1",
                "t=0 yielder turn 2",
                "t=0 yielder turn 3",
                "t=1 sleeper woke",
            ],
            "{}",
            say!(
                "while a task is ready (the yielder), the clock must stand still: it moves \
                 to the next deadline only when the ready queue is empty",
                "只要还有任务就绪（这里是 yielder），时钟就必须停着：只有就绪队列空了，\
                 它才跳到下一个截止时刻"
            )
        );
    }

    #[test]
    fn equal_deadlines_fire_in_the_order_they_were_set() {
        let ex = Executor::new();
        let trace = Trace::default();
        // Task 0 sets its timer for t=2 at t=1, task 1 at t=0, task 2 at t=0 after a
        // yield: they are set in the order 1, 2, 0.
        let plans: [&[u64]; 3] = [&[1, 1], &[2], &[0, 2]];
        let handles: Vec<_> = plans
            .iter()
            .enumerate()
            .map(|(i, &plan)| {
                let (ex2, trace) = (ex.clone(), trace.clone());
                spawn(&ex, &format!("task {i}"), async move {
                    for &ticks in plan {
                        if ticks == 0 {
                            yield_now().await;
                        } else {
                            ex2.sleep(ticks).await;
                        }
                    }
                    trace.line(&ex2, format!("task {i} done"));
                })
                .0
            })
            .collect();
        finish(&ex, coroutines::join_all(handles));
        assert_eq!(
            trace.lines(),
            ["t=2 task 1 done", "t=2 task 2 done", "t=2 task 0 done"],
            "{}",
            say!(
                "three timers due at t=2 must fire in the order they were set (task 1's at \
                 t=0, task 2's at t=0 after its yield, task 0's at t=1): first in, first \
                 out, not by task number and not last in, first out",
                "三个都在 t=2 到期的定时器必须按设置的先后触发（任务 1 的在 t=0，任务 2 的在 \
                 t=0 yield 之后，任务 0 的在 t=1）：先进先出，不按任务编号，也不是后进先出"
            )
        );
    }

    #[test]
    fn every_timer_due_fires_before_their_tasks_run() {
        let ex = Executor::new();
        let trace = Trace::default();
        let handles: Vec<_> = ["A", "B"]
            .into_iter()
            .map(|name| {
                let (ex2, trace) = (ex.clone(), trace.clone());
                spawn(&ex, name, async move {
                    ex2.sleep(1).await;
                    trace.line(&ex2, format!("{name} woke"));
                    yield_now().await;
                    trace.line(&ex2, format!("{name} after its yield"));
                })
                .0
            })
            .collect();
        finish(&ex, coroutines::join_all(handles));
        assert_eq!(
            trace.lines(),
            [
                "t=1 A woke",
                "t=1 B woke",
                "t=1 A after its yield",
                "t=1 B after its yield",
            ],
            "{}",
            say!(
                "when the clock reaches t=1, both timers due then fire (A's, then B's) \
                 before either task runs, so B wakes before A's yield comes back: fire \
                 every timer due at the new time, not one per turn",
                "时钟到 t=1 时，两个都在此刻到期的定时器要先全部触发（先 A 后 B），\
                 然后任务才运行，所以 B 在 A 的 yield 回来之前醒来：\
                 新时刻到期的定时器要全部触发，而不是每轮一个"
            )
        );
    }

    #[test]
    fn earliest_deadline_fires_first() {
        let ex = Executor::new();
        let trace = Trace::default();
        let handles: Vec<_> = [7u64, 2, 9, 4]
            .into_iter()
            .map(|ticks| {
                let (ex2, trace) = (ex.clone(), trace.clone());
                spawn(&ex, &format!("the task sleeping {ticks}"), async move {
                    ex2.sleep(ticks).await;
                    trace.line(&ex2, format!("slept {ticks}"));
                })
                .0
            })
            .collect();
        finish(&ex, coroutines::join_all(handles));
        assert_eq!(
            trace.lines(),
            ["t=2 slept 2", "t=4 slept 4", "t=7 slept 7", "t=9 slept 9"],
            "{}",
            say!(
                "timers must fire earliest deadline first (a min-heap, 最小堆; BinaryHeap \
                 alone is a max-heap)",
                "定时器必须按截止时刻从早到晚触发（最小堆；BinaryHeap 本身是最大堆）"
            )
        );
    }

    #[test]
    fn sleep_deadline_is_fixed_when_called() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let deadline = finish(&ex, async move {
            let early = ex2.sleep(3);
            let deadline = early.deadline();
            ex2.sleep(2).await;
            early.await;
            deadline
        });
        assert_eq!(
            (deadline, ex.now()),
            (3, 3),
            "{}",
            say!(
                "sleep(3) called at t=0 is due at t=3 even when awaited at t=2 \
                 (its deadline, the time at the end)",
                "在 t=0 调用的 sleep(3) 在 t=3 到期，即使 t=2 才 await 它（截止时刻，\
                 最后的时间）"
            )
        );
    }

    /// A `Sleep` polled before its deadline is `Pending`, at its first poll and at
    /// every later one, however it is polled.
    #[test]
    fn sleep_is_pending_until_its_deadline() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let seen = finish(&ex, async move {
            let mut nap = ex2.sleep(3);
            let mut seen = vec![(ex2.now(), PollOnce(&mut nap).await)];
            yield_now().await;
            seen.push((ex2.now(), PollOnce(&mut nap).await));
            ex2.sleep(2).await;
            seen.push((ex2.now(), PollOnce(&mut nap).await));
            nap.await;
            seen.push((ex2.now(), true));
            seen
        });
        assert_eq!(
            seen,
            [(0, false), (0, false), (2, false), (3, true)],
            "{}",
            say!(
                "sleep(3), polled at t=0, at t=0 again and at t=2, must be Pending at every \
                 one of those polls (not only the first: a timer set is no reason to be \
                 ready) and Ready at t=3 (the time of each poll, and whether it was Ready)",
                "sleep(3) 在 t=0、又一次 t=0、t=2 被 poll，每一次都必须是 Pending\
                 （不只是第一次：定时器设好了不等于就绪），到 t=3 才就绪\
                 （每次 poll 的时间，以及是否就绪）"
            )
        );
    }

    /// "Polled again before then, it sets no second timer for the same waker": a timer
    /// holds a clone of its waker, so a `Sleep` that set a timer at every poll would
    /// keep one clone more at each.
    #[test]
    fn sleep_polled_again_sets_no_second_timer() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let (first, fifth) = finish(&ex, async move {
            let mut nap = ex2.sleep(5);
            let kept = KeptClones {
                future: &mut nap,
                polls: 5,
            }
            .await;
            nap.await;
            kept
        });
        assert_eq!(
            fifth,
            first,
            "{}",
            say!(
                "sleep(5), polled 5 times at t=0 with the same waker, kept {first} clone(s) \
                 of that waker after its first poll and {fifth} after its fifth: it sets a \
                 new timer (which keeps a clone) at every poll. Polled with a waker that \
                 will_wake the one it registered, a Sleep's timer is set already",
                "sleep(5) 在 t=0 用同一个 waker 被 poll 了 5 次，第一次 poll 后留着这个 waker \
                 的 {first} 个克隆，第五次后留着 {fifth} 个：它每次 poll 都设了一个新的定时器\
                 （定时器留着一个克隆）。poll 时用的 waker 与登记过的 will_wake 为真，\
                 这个 Sleep 的定时器就已经设好了"
            )
        );
        assert_eq!(
            ex.now(),
            5,
            "{}",
            say!(
                "sleep(5), awaited after those polls, ends at t=5",
                "那几次 poll 之后再 await 的 sleep(5) 在 t=5 结束"
            )
        );
    }

    #[test]
    fn sleep_zero_is_ready_at_once() {
        let ex = Executor::new();
        let (_, probe) = block_on(&ex, ex.sleep(0));
        assert_eq!(
            (probe.polls.get(), ex.now()),
            (1, 0),
            "{}",
            say!(
                "sleep(0) is due now: ready at its first poll, the clock unmoved (polls, time)",
                "sleep(0) 此刻就到期：第一次 poll 就就绪，时钟不动（poll 次数，时间）"
            )
        );
    }

    #[test]
    fn sleeps_wait_and_add_up() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let (_, probe) = block_on(&ex, async move {
            ex2.sleep(2).await;
            let woke = ex2.now();
            ex2.sleep(3).await;
            woke
        });
        assert_eq!(
            (probe.polls.get(), ex.now()),
            (3, 5),
            "{}",
            say!(
                "sleep(2) then sleep(3): each must be Pending until its deadline (3 polls: \
                 the start and one per wake) and the clock must end at 5 (polls, time)",
                "先 sleep(2) 再 sleep(3)：每个都要 Pending 到截止时刻（3 次 poll：开始一次，\
                 每次唤醒一次），时钟停在 5（poll 次数，时间）"
            )
        );
    }

    #[test]
    fn sleep_past_u64_max_saturates() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let deadline = finish(&ex, async move {
            ex2.sleep(1).await;
            ex2.sleep(u64::MAX).deadline()
        });
        assert_eq!(
            deadline,
            u64::MAX,
            "{}",
            say!(
                "sleep(u64::MAX) at t=1 is due at u64::MAX: a deadline past the largest u64 \
                 is the largest u64 (saturating_add), never an overflow",
                "在 t=1 调用 sleep(u64::MAX) 到期于 u64::MAX：超过 u64 最大值的截止时刻\
                 就取最大值（saturating_add），绝不能溢出"
            )
        );
    }

    /// The clock jumps to the next deadline in one step. A clock that counts up one tick
    /// at a time would need 2^64 steps to get there: this test then runs out of time
    /// (no test can see the steps, since nothing runs between them).
    #[test]
    fn jumps_straight_to_the_last_tick() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        finish(&ex, async move {
            ex2.sleep(1).await;
            ex2.sleep(u64::MAX).await;
        });
        assert_eq!(
            ex.now(),
            u64::MAX,
            "{}",
            say!(
                "sleep(u64::MAX) at t=1 ends at u64::MAX, reached in one jump",
                "在 t=1 调用的 sleep(u64::MAX) 在 u64::MAX 结束，一步跳到"
            )
        );
    }
}

mod polls {
    use coroutines::{Executor, Stats, join_all};

    use super::{WakeTwice, block_on, finish, spawn, try_block_on};

    /// The course's three tasks (sleeping 3, 1 and 2 ticks), joined by block_on's future.
    #[test]
    fn once_for_the_spawn_and_once_per_wake() {
        let ex = Executor::new();
        let mut probes = Vec::new();
        let handles: Vec<_> = [3u64, 1, 2]
            .into_iter()
            .map(|ticks| {
                let ex2 = ex.clone();
                let (handle, probe) =
                    spawn(&ex, &format!("the task sleeping {ticks}"), async move {
                        ex2.sleep(ticks).await;
                    });
                probes.push(probe);
                handle
            })
            .collect();
        let (_, main) = block_on(&ex, join_all(handles));
        let polls: Vec<u64> = probes.iter().map(|p| p.polls.get()).collect();
        assert_eq!(
            polls,
            [2, 2, 2],
            "{}",
            say!(
                "each task is polled once when it starts (it sets its timer) and once when \
                 its timer wakes it",
                "每个任务开始时 poll 一次（设置定时器），定时器唤醒它时再 poll 一次"
            )
        );
        assert_eq!(
            main.polls.get(),
            4,
            "{}",
            say!(
                "block_on's future (join_all of the three handles) is polled once at the \
                 start and once per task that finishes, since each wakes it",
                "block_on 的 future（三个句柄的 join_all）开始时 poll 一次，\
                 之后每结束一个任务（它会唤醒 future）再 poll 一次"
            )
        );
        assert_eq!(
            ex.stats(),
            Stats {
                spawned: 3,
                polls: 10,
                wakes: 6
            },
            "{}",
            say!(
                "stats: 3 spawns; 10 polls (2 per task, 4 of block_on's future); 6 wakes \
                 (3 timers, 3 tasks finishing)",
                "统计：3 次 spawn；10 次 poll（每个任务 2 次，block_on 的 future 4 次）；\
                 6 次唤醒（3 个定时器，3 个任务结束）"
            )
        );
    }

    #[test]
    fn a_long_sleep_is_two_polls() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let (handle, probe) = spawn(&ex, "the task sleeping 1000", async move {
            ex2.sleep(1000).await;
        });
        finish(&ex, handle);
        assert_eq!(
            probe.polls.get(),
            2,
            "{}",
            say!(
                "a task that sleeps 1000 ticks is polled twice, whatever the length of the \
                 sleep: once to start, once when its timer wakes it",
                "睡 1000 个 tick 的任务无论睡多久都只 poll 两次：开始一次，定时器唤醒时一次"
            )
        );
    }

    #[test]
    fn two_wakes_before_a_poll_make_one_poll() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let (twice, twice_probe) = spawn(
            &ex,
            "the task woken twice",
            WakeTwice {
                wakes: 2,
                polled: false,
            },
        );
        let (pair, pair_probe) = spawn(&ex, "the task joining two equal sleeps", async move {
            join_all([ex2.sleep(1), ex2.sleep(1)]).await;
        });
        finish(&ex, join_all([twice, pair]));
        assert_eq!(
            (twice_probe.polls.get(), pair_probe.polls.get()),
            (2, 2),
            "{}",
            say!(
                "a task woken twice before it runs is queued once and polled once (a future \
                 that wakes itself twice; two timers due at the same tick)",
                "运行前被唤醒两次的任务只入队一次、只 poll 一次（一个唤醒自己两次的 future；\
                 两个同一时刻到期的定时器）"
            )
        );
        assert_eq!(
            ex.stats().wakes,
            4,
            "{}",
            say!(
                "stats().wakes counts wakes that queued a task: once for each of the two \
                 tasks, and twice for block_on's future (each task finishing wakes it)",
                "stats().wakes 只统计把任务放进队列的唤醒：两个任务各一次，\
                 block_on 的 future 两次（每个任务结束都唤醒它）"
            )
        );
    }

    #[test]
    fn a_wake_during_its_own_poll_is_kept() {
        let ex = Executor::new();
        let (handle, probe) = spawn(
            &ex,
            "the task that wakes itself",
            WakeTwice {
                wakes: 1,
                polled: false,
            },
        );
        let (result, _) = try_block_on(&ex, handle);
        assert!(
            result.is_ok() && probe.polls.get() == 2,
            "{}",
            say!(
                "block_on gave {result:?} after {} polls of the task: a task that wakes its \
                 own waker during its poll (as yield_now does) must be queued again and \
                 polled once more. If block_on stalled, the wake was lost: is the task \
                 marked as not queued only after its poll, so that the wake looked like a \
                 duplicate?",
                "block_on 在任务被 poll {} 次之后给出了 {result:?}：任务在自己被 poll 的过程中\
                 唤醒自己的 waker（yield_now 就是这样），必须再次入队并再 poll 一次。\
                 如果 block_on 停滞了，就是这次唤醒丢了：是不是 poll 完才把它标成不在队列里，\
                 于是这次唤醒被当成了重复？",
                probe.polls.get()
            )
        );
    }

    #[test]
    fn counts_add_up() {
        let ex = Executor::new();
        let ex2 = ex.clone();
        let (_, main) = block_on(&ex, async move {
            let (a, _) = spawn(&ex2, "task 0", {
                let ex = ex2.clone();
                async move {
                    ex.sleep(2).await;
                    coroutines::yield_now().await;
                }
            });
            let (b, _) = spawn(&ex2, "task 1", async {});
            a.await;
            b.await;
        });
        let stats = ex.stats();
        assert_eq!(
            (stats.spawned, stats.polls, stats.wakes),
            (2, 6, 3),
            "{}",
            say!(
                "spawned 2; polls: task 0 three times (start, timer, yield), task 1 once, \
                 block_on's future twice (start, task 0 done); wakes: 3 (timer, yield, task \
                 0 done), since task 1 finished before anyone awaited it",
                "spawn 2 次；poll：任务 0 三次（开始、定时器、yield），任务 1 一次，\
                 block_on 的 future 两次（开始、任务 0 结束）；唤醒 3 次（定时器、yield、\
                 任务 0 结束），因为任务 1 在有人 await 它之前就结束了"
            )
        );
        assert_eq!(main.polls.get(), 2);
    }
}

mod wakers {
    use std::cell::RefCell;
    use std::panic::AssertUnwindSafe;
    use std::rc::Rc;
    use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
    use std::sync::{Arc, Mutex};
    use std::task::{Poll, Waker};
    use std::thread::JoinHandle;
    use std::time::Duration;

    use coroutines::{Executor, yield_now};

    use super::{PollOnce, StashWaker, Trace, Traced, finish, finished, spawn, try_block_on};

    /// A thread that wakes a task, and the channel on which it says its wake returned.
    type Helper = (JoinHandle<()>, Receiver<()>);

    /// How long a thread's wake may take to return: a wake is a lock and a push, done
    /// in microseconds; this bound only keeps a locked queue from hanging the test.
    const WAKE_PATIENCE: Duration = Duration::from_secs(2);

    #[test]
    fn a_waker_works_from_another_thread() {
        let ex = Executor::new();
        let slot: Arc<Mutex<Option<Waker>>> = Arc::default();
        let (sleeper, _) = spawn(&ex, "the task woken by a thread", {
            let slot = Arc::clone(&slot);
            std::future::poll_fn(move |cx| {
                let mut slot = slot.lock().unwrap();
                if slot.is_some() {
                    return Poll::Ready("woken");
                }
                *slot = Some(cx.waker().clone());
                Poll::Pending
            })
        });
        // The task runs first and parks its waker; block_on's future is done after it.
        finish(&ex, yield_now());
        // A thread of its own wakes the task, between two block_ons (so no poll runs and
        // the thread waits for nothing); joined at once, so the wake has happened when
        // the test goes on. `wakers::wake_from_another_thread_returns_during_the_poll`
        // wakes from a thread during a poll.
        let waker = slot.lock().unwrap().clone();
        let woke = std::thread::spawn(move || {
            if let Some(waker) = waker {
                waker.wake();
            }
        })
        .join();
        assert!(
            woke.is_ok(),
            "{}",
            say!(
                "waking a task's waker on another thread panicked",
                "在另一个线程上唤醒任务的 waker 时 panic 了"
            )
        );
        let (result, _) = try_block_on(&ex, sleeper);
        assert_eq!(
            result,
            Ok("woken"),
            "{}",
            say!(
                "a Waker is Send + Sync: a wake from another thread must queue the task like \
                 any other, for the next block_on to run (keep the ready queue behind an \
                 Arc<Mutex<..>> that the waker holds, not in a thread_local!)",
                "Waker 是 Send + Sync 的：来自另一个线程的唤醒也必须像别的唤醒一样把任务\
                 入队，让下一次 block_on 运行它（就绪队列要放在 waker 持有的 \
                 Arc<Mutex<..>> 里，不要放进 thread_local!）"
            )
        );
    }

    #[test]
    fn a_moved_join_handle_wakes_its_new_owner() {
        let ex = Executor::new();
        let trace = Trace::default();
        let ex2 = ex.clone();
        let trace2 = trace.clone();
        let result = try_block_on(&ex, async move {
            let (mut slow, _) = spawn(&ex2, "task 0", {
                let ex = ex2.clone();
                async move {
                    ex.sleep(3).await;
                    "slow"
                }
            });
            // block_on's future polls the handle once (its waker is kept), then gives the
            // handle to task 1, which awaits it: task 1 must be the one woken.
            let ready = PollOnce(&mut slow).await;
            assert!(!ready, "task 0 cannot be done at t=0");
            let (owner, _) = spawn(&ex2, "task 1", {
                let (ex, trace) = (ex2.clone(), trace2.clone());
                async move {
                    let output = slow.await;
                    trace.line(&ex, format!("task 1 got {output}"));
                }
            });
            owner.await;
        })
        .0;
        assert!(
            result.is_ok() && trace.lines() == ["t=3 task 1 got slow"],
            "{}",
            say!(
                "a JoinHandle polled first by block_on's future and then awaited by task 1 \
                 must wake task 1 (the waker of its latest poll) when task 0 finishes at t=3; \
                 got {result:?} and the lines {:?}",
                "一个 JoinHandle 先被 block_on 的 future poll 过，之后由任务 1 await，\
                 任务 0 在 t=3 结束时必须唤醒任务 1（最近一次 poll 的 waker）；\
                 实际得到 {result:?} 和这些行 {:?}",
                trace.lines()
            )
        );
    }

    #[test]
    fn a_moved_sleep_wakes_its_new_owner() {
        let ex = Executor::new();
        let trace = Trace::default();
        let ex2 = ex.clone();
        let trace2 = trace.clone();
        let result = try_block_on(&ex, async move {
            let mut nap = ex2.sleep(2);
            let ready = PollOnce(&mut nap).await;
            assert!(!ready, "sleep(2) cannot be due at t=0");
            let (owner, _) = spawn(&ex2, "task 0", {
                let (ex, trace) = (ex2.clone(), trace2.clone());
                async move {
                    nap.await;
                    trace.line(&ex, "task 0 woke");
                }
            });
            owner.await;
        })
        .0;
        assert!(
            result.is_ok() && trace.lines() == ["t=2 task 0 woke"],
            "{}",
            say!(
                "a Sleep polled first by block_on's future and then awaited by task 0 must \
                 wake task 0 at t=2 (a future wakes the waker of its latest poll: set the \
                 timer again when polled with a waker that !will_wake the one you kept); got \
                 {result:?} and the lines {:?}",
                "一个 Sleep 先被 block_on 的 future poll 过，之后由任务 0 await，\
                 必须在 t=2 唤醒任务 0（future 要唤醒最近一次 poll 的 waker：\
                 换了一个 will_wake 不认的 waker，就要重新设置定时器）；\
                 实际得到 {result:?} 和这些行 {:?}",
                trace.lines()
            )
        );
    }

    #[test]
    fn a_finished_task_woken_late_is_not_polled() {
        let ex = Executor::new();
        let slot: Rc<RefCell<Option<Waker>>> = Rc::default();
        let (done, probe) = spawn(&ex, "the finished task", StashWaker(Rc::clone(&slot)));
        let ex2 = ex.clone();
        finish(&ex, async move {
            done.await;
            // The task has finished; its waker, kept, is woken now.
            if let Some(waker) = slot.borrow_mut().take() {
                waker.wake();
            }
            yield_now().await;
            ex2.sleep(1).await;
        });
        assert_eq!(
            probe.polls.get(),
            1,
            "{}",
            say!(
                "a finished task must not be polled again, even when its waker is woken",
                "已结束的任务即使它的 waker 被唤醒，也不能再被 poll"
            )
        );
        assert_eq!(
            ex.stats().polls,
            4,
            "{}",
            say!(
                "stats().polls counts the calls of poll: the task's one, and three of \
                 block_on's future (its start, after its yield, at its timer). The turn the \
                 late wake gave the finished task polls nothing, so it is not a poll",
                "stats().polls 统计的是 poll 的调用次数：任务的一次，block_on 的 future 的三次\
                 （开始、yield 之后、定时器到时）。迟到的唤醒给已结束任务的那一轮什么也没 \
                 poll，所以不算一次 poll"
            )
        );
    }

    /// A waker kept from an earlier `block_on`'s future (here by a timer) is woken while
    /// a later `block_on` runs: the later future must not be polled for it.
    #[test]
    fn a_waker_of_an_earlier_block_on_wakes_nothing_later() {
        let ex = Executor::new();
        let trace = Trace::default();
        let ex2 = ex.clone();
        finish(&ex, async move {
            let mut nap = ex2.sleep(5);
            // The sleep sets its timer with this future's waker, then is dropped.
            assert!(!PollOnce(&mut nap).await, "sleep(5) cannot be due at t=0");
        });
        let second = Traced {
            future: Box::pin(ex.sleep(10)),
            ex: ex.clone(),
            trace: trace.clone(),
            name: "the second block_on's future",
        };
        finished(ex.block_on(second));
        assert_eq!(
            trace.lines(),
            [
                "t=0 the second block_on's future polled",
                "t=10 the second block_on's future polled",
            ],
            "{}",
            say!(
                "the first block_on's future left a timer due at t=5 with its waker; the \
                 second block_on's future (sleep(10)) must be polled at its start and when \
                 its own timer wakes it at t=10, never for the first one's waker: each \
                 block_on's future needs an id of its own, and a wake of an old one queues \
                 nothing that runs (the polls of the second block_on's future)",
                "第一次 block_on 的 future 留下了一个 t=5 到期、带着它的 waker 的定时器；\
                 第二次 block_on 的 future（sleep(10)）只能在开始时、以及 t=10 它自己的定时器\
                 唤醒它时被 poll，绝不能因为第一个的 waker 被 poll：每次 block_on 的 future \
                 都要有自己的 id，唤醒旧的 id 不会让任何东西运行（第二次 block_on 的 future \
                 的各次 poll）"
            )
        );
        assert_eq!(
            ex.stats().polls,
            3,
            "{}",
            say!(
                "stats().polls: one of the first block_on's future, two of the second; the \
                 turn of the old future's id at t=5 polls nothing",
                "stats().polls：第一次 block_on 的 future 一次，第二次的两次；t=5 轮到旧 \
                 future 的 id 时什么也没 poll"
            )
        );
    }

    /// A `block_on` future that wakes itself and is then ready leaves its wake behind:
    /// it must not put the next `block_on`'s future ahead of a task spawned in between.
    #[test]
    fn a_wake_left_by_an_earlier_block_on_runs_nothing_later() {
        let ex = Executor::new();
        let trace = Trace::default();
        finish(
            &ex,
            std::future::poll_fn(|cx| {
                cx.waker().wake_by_ref();
                Poll::Ready(())
            }),
        );
        spawn(&ex, "task 0", {
            let (ex, trace) = (ex.clone(), trace.clone());
            async move { trace.line(&ex, "task 0 ran") }
        });
        let (ex2, trace2) = (ex.clone(), trace.clone());
        finish(&ex, async move {
            trace2.line(&ex2, "the second block_on's future ran");
        });
        assert_eq!(
            trace.lines(),
            ["t=0 task 0 ran", "t=0 the second block_on's future ran"],
            "{}",
            say!(
                "the first block_on's future woke itself, then was ready: its id stayed in \
                 the queue. Task 0, spawned next, must run before the second block_on's \
                 future, which goes to the back of the queue (rule 2): with one id for \
                 every block_on's future, the old id at the front polls the new future out \
                 of turn. Give each block_on's future an id of its own",
                "第一次 block_on 的 future 唤醒了自己，然后就绪了：它的 id 留在了队列里。\
                 接着 spawn 的任务 0 必须在第二次 block_on 的 future 之前运行，后者排在队尾\
                 （规则 2）：如果每次 block_on 的 future 都用同一个 id，队首那个旧 id 就会让\
                 新的 future 插队被 poll。每次 block_on 的 future 都要有自己的 id"
            )
        );
    }

    /// A wake from another thread while the task it wakes is being polled. The thread's
    /// wake needs the ready queue's lock; if the executor holds it while it polls, the
    /// wake waits until the poll ends, and a wake on the executor's own thread would
    /// wait forever: every test that wakes during a poll would hang. So this test waits
    /// for the thread with a bound, and names the mistake.
    #[test]
    fn wake_from_another_thread_returns_during_the_poll() {
        let ex = Executor::new();
        let helper: Rc<RefCell<Option<Helper>>> = Rc::default();
        let (handle, probe) = spawn(&ex, "task 0", {
            let helper = Rc::clone(&helper);
            let mut polled = false;
            std::future::poll_fn(move |cx| {
                if polled {
                    return Poll::Ready(());
                }
                polled = true;
                let waker = cx.waker().clone();
                let (done, returned) = mpsc::channel();
                let thread = std::thread::spawn(move || {
                    waker.wake();
                    let _ = done.send(());
                });
                let waited = returned.recv_timeout(WAKE_PATIENCE);
                *helper.borrow_mut() = Some((thread, returned));
                assert!(
                    waited.is_ok(),
                    "{}",
                    say!(
                        "a wake from another thread, made while task 0 was being polled, had \
                         not returned after {:?}: it waits for the ready queue's lock, so the \
                         executor holds that lock while it polls, and a wake on its own thread \
                         (yield_now, a task finishing, a timer firing) would wait for it \
                         forever. A MutexGuard lives to the end of the statement that made it: \
                         `match lock(&self.ready).queue.pop_front() {{ .. }}` (or `while let`, \
                         `if let`) keeps the queue locked through the whole match, polls \
                         included. Take the id out in a statement of its own, \
                         `let next = {{ let mut ready = lock(&self.ready); .. }};`, then \
                         poll",
                        "task 0 被 poll 期间，另一个线程发出的唤醒过了 {:?} 还没返回：它在等就绪\
                         队列的锁，说明执行器在 poll 的时候一直拿着这把锁，那么在执行器自己的线程\
                         上唤醒（yield_now、任务结束、定时器触发）就会永远等下去。MutexGuard 要活到\
                         创建它的那条语句结束：`match lock(&self.ready).queue.pop_front() {{ .. }}`\
                         （`while let`、`if let` 也一样）让队列在整个 match 期间都锁着，poll 也在\
                         其中。在单独的一条语句里把 id 取出来，\
                         `let next = {{ let mut ready = lock(&self.ready); .. }};`，然后再 poll",
                        WAKE_PATIENCE
                    )
                );
                Poll::Pending
            })
        });
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| try_block_on(&ex, handle)));
        // The thread ends once the lock is free (the panic above released it): join it,
        // so that it does not outlive the test.
        if let Some((thread, returned)) = helper.borrow_mut().take()
            && returned.recv_timeout(WAKE_PATIENCE) != Err(RecvTimeoutError::Timeout)
        {
            let _ = thread.join();
        }
        let (result, _) = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        assert!(
            result.is_ok() && probe.polls.get() == 2,
            "{}",
            say!(
                "block_on gave {result:?} after {} polls of task 0: woken from another thread \
                 during its poll, it must be queued again and polled once more. If block_on \
                 stalled, the wake was lost: is the task marked as not queued only after its \
                 poll, so that the wake looked like a duplicate?",
                "block_on 在 task 0 被 poll {} 次之后给出了 {result:?}：它在被 poll 期间被另一个\
                 线程唤醒，必须再次入队并再 poll 一次。如果 block_on 停滞了，就是这次唤醒丢了：\
                 是不是 poll 完才把它标成不在队列里，于是这次唤醒被当成了重复？",
                probe.polls.get()
            )
        );
    }
}

mod join_all {
    use coroutines::{Executor, join_all, yield_now};

    use super::{Trace, block_on, finish, spawn};

    #[test]
    fn outputs_come_in_the_order_given() {
        let ex = Executor::new();
        let handles: Vec<_> = [4u64, 0, 2]
            .into_iter()
            .map(|ticks| {
                let ex2 = ex.clone();
                spawn(&ex, &format!("the task sleeping {ticks}"), async move {
                    ex2.sleep(ticks).await;
                    ticks * 10
                })
                .0
            })
            .collect();
        assert_eq!(
            finish(&ex, join_all(handles)),
            [40, 0, 20],
            "{}",
            say!(
                "join_all's outputs come in the order of its futures, not the order they \
                 finished in",
                "join_all 的输出按 future 给出的顺序排列，而不是按它们结束的顺序"
            )
        );
    }

    #[test]
    fn futures_start_together() {
        let ex = Executor::new();
        let trace = Trace::default();
        let futures: Vec<_> = [3u64, 1, 2]
            .into_iter()
            .map(|ticks| {
                let (ex, trace) = (ex.clone(), trace.clone());
                // The sleep is made only when this future is first polled.
                async move {
                    trace.line(&ex, format!("start {ticks}"));
                    ex.sleep(ticks).await;
                    trace.line(&ex, format!("end {ticks}"));
                }
            })
            .collect();
        let (_, probe) = block_on(&ex, join_all(futures));
        assert_eq!(
            (trace.lines(), ex.now()),
            (
                vec![
                    "t=0 start 3".to_string(),
                    "t=0 start 1".to_string(),
                    "t=0 start 2".to_string(),
                    "t=1 end 1".to_string(),
                    "t=2 end 2".to_string(),
                    "t=3 end 3".to_string(),
                ],
                3
            ),
            "{}",
            say!(
                "join_all's first poll must poll every one of its futures, so that all three \
                 start at t=0 and wait together (awaiting them one after another ends at 6). \
                 If every start is at t=0 but the ends are early (all at t=1), look at Sleep \
                 instead: join_all polls each sleep again whenever one of them wakes the \
                 task, and a Sleep must stay Pending at every poll before its deadline",
                "join_all 的第一次 poll 必须 poll 它的每一个 future，让三个都在 t=0 开始、\
                 一起等待（一个接一个地 await 会在 6 结束）。如果开始都在 t=0 而结束得太早\
                 （都在 t=1），那就要看 Sleep：其中一个唤醒任务时，join_all 会把每个 sleep \
                 再 poll 一遍，而 Sleep 在截止时刻之前的每次 poll 都必须是 Pending"
            )
        );
        assert_eq!(
            probe.polls.get(),
            4,
            "{}",
            say!(
                "block_on's future is polled at the start and at each of the three wake-ups",
                "block_on 的 future 开始时 poll 一次，三次醒来各一次"
            )
        );
    }

    #[test]
    fn a_yield_inside_join_all_yields_its_task() {
        let ex = Executor::new();
        let trace = Trace::default();
        let ex2 = ex.clone();
        let trace2 = trace.clone();
        finish(&ex, async move {
            let (other, _) = spawn(&ex2, "task 0", {
                let (ex, trace) = (ex2.clone(), trace2.clone());
                async move { trace.line(&ex, "task 0 ran") }
            });
            join_all([yield_now(), yield_now()]).await;
            trace2.line(&ex2, "block_on's future went on");
            other.await;
        });
        assert_eq!(
            trace.lines(),
            ["t=0 task 0 ran", "t=0 block_on's future went on"],
            "{}",
            say!(
                "join_all of two yield_now gives the queue's other tasks one turn",
                "两个 yield_now 的 join_all 让队列里的其他任务运行一轮"
            )
        );
    }
}

mod stall {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    use coroutines::{Executor, Stalled, join_all};

    use super::{spawn, try_block_on};

    #[test]
    fn a_handle_that_never_finishes() {
        let ex = Executor::new();
        let (never, _) = spawn(&ex, "task 0", std::future::pending::<()>());
        let (result, _) = try_block_on(&ex, never);
        assert_eq!(
            result,
            Err(Stalled {
                now: 0,
                pending: vec![0]
            }),
            "{}",
            say!(
                "task 0 awaits a future that is never ready, and block_on awaits task 0: \
                 when no task is ready and no timer is set, block_on must return Stalled \
                 naming the tasks not finished, not wait forever",
                "任务 0 在等一个永远不会就绪的 future，block_on 又在等任务 0：没有任务就绪、\
                 也没有定时器时，block_on 必须返回 Stalled 并列出未完成的任务，而不是永远等下去"
            )
        );
    }

    #[test]
    fn after_time_has_passed() {
        let ex = Executor::new();
        let mut handles = Vec::new();
        for (i, ticks) in [4u64, 1, 2].into_iter().enumerate() {
            let ex2 = ex.clone();
            let (handle, _) = spawn(&ex, &format!("task {i}"), async move {
                ex2.sleep(ticks).await;
                if ticks != 1 {
                    std::future::pending::<()>().await;
                }
            });
            handles.push(handle);
        }
        let (result, _) = try_block_on(&ex, coroutines::join_all(handles));
        assert_eq!(
            result,
            Err(Stalled {
                now: 4,
                pending: vec![0, 2]
            }),
            "{}",
            say!(
                "tasks 0 and 2 wait forever after sleeping (4 and 2 ticks); task 1 finished \
                 at t=1: block_on must give up at t=4 naming tasks 0 and 2, in order",
                "任务 0 和 2 睡完（4 和 2 个 tick）之后永远等待；任务 1 在 t=1 结束：\
                 block_on 必须在 t=4 放弃，按顺序列出任务 0 和 2"
            )
        );
    }

    #[test]
    fn a_future_nothing_can_wake() {
        let ex = Executor::new();
        let (result, probe) = try_block_on(&ex, std::future::pending::<()>());
        assert_eq!(
            (result, probe.polls.get()),
            (
                Err(Stalled {
                    now: 0,
                    pending: vec![]
                }),
                1
            ),
            "{}",
            say!(
                "block_on of a future that stays Pending, with no task and no timer, is \
                 Stalled with no tasks pending, after one poll",
                "对一个一直 Pending 的 future 调用 block_on，没有任务也没有定时器：\
                 poll 一次后返回 Stalled，没有未完成的任务"
            )
        );
    }

    #[test]
    fn a_stuck_task_does_not_stop_block_on() {
        let ex = Executor::new();
        spawn(&ex, "task 0", std::future::pending::<()>());
        let (result, _) = try_block_on(&ex, ex.sleep(1));
        assert_eq!(
            (result, ex.now()),
            (Ok(()), 1),
            "{}",
            say!(
                "a task that never finishes does not matter to a block_on that does not \
                 wait for it",
                "一个永远不结束的任务，不影响不等它的 block_on"
            )
        );
    }

    /// "Tasks still pending when it returns stay where they are": a stall too leaves
    /// them, and a wake from outside lets the next `block_on` finish them.
    #[test]
    fn pending_tasks_stay_for_the_next_block_on() {
        let ex = Executor::new();
        let slot: Rc<RefCell<Option<Waker>>> = Rc::default();
        let (mut handle, _) = spawn(&ex, "task 0", {
            let slot = Rc::clone(&slot);
            std::future::poll_fn(move |cx| {
                let mut slot = slot.borrow_mut();
                if slot.is_some() {
                    return Poll::Ready("woken");
                }
                // Parked: nothing in the executor will wake it, only whoever takes the
                // waker from the slot.
                *slot = Some(cx.waker().clone());
                Poll::Pending
            })
        });
        let (first, _) = try_block_on(&ex, &mut handle);
        assert_eq!(
            first,
            Err(Stalled {
                now: 0,
                pending: vec![0]
            }),
            "{}",
            say!(
                "task 0 parks its waker where only the test can reach it, so the first \
                 block_on on its handle stalls",
                "任务 0 把它的 waker 放在只有测试能拿到的地方，所以第一次对它的句柄调用 \
                 block_on 会停滞"
            )
        );
        // Woken from outside any block_on, as a thread or the operating system might.
        let waker = slot.borrow().clone();
        if let Some(waker) = waker {
            waker.wake();
        }
        let (second, _) = try_block_on(&ex, handle);
        assert_eq!(
            second,
            Ok("woken"),
            "{}",
            say!(
                "after block_on returned Stalled, task 0 was still pending: it must stay in \
                 the executor, so that once woken it runs in the next block_on and finishes. \
                 Returning Stalled must not drop the tasks it names",
                "block_on 返回 Stalled 之后，任务 0 仍未完成：它必须留在执行器里，被唤醒之后\
                 在下一次 block_on 里运行并结束。返回 Stalled 不能把它列出的任务丢掉"
            )
        );
    }

    /// `Stalled::pending` is in increasing order whatever the order the tasks stopped
    /// in (here the reverse of their spawn order). Several sizes, so that an order a
    /// `HashSet` or `HashMap` gives (a different one each run) cannot pass by luck: the
    /// chance that it comes out sorted all three times is below one in 10^20.
    #[test]
    fn pending_tasks_are_named_in_increasing_order() {
        for tasks in [8usize, 16, 24] {
            let ex = Executor::new();
            let handles: Vec<_> = (0..tasks)
                .map(|i| {
                    let ex2 = ex.clone();
                    spawn(&ex, &format!("task {i}"), async move {
                        ex2.sleep((tasks - i) as u64).await;
                        if i % 3 != 1 {
                            std::future::pending::<()>().await;
                        }
                    })
                    .0
                })
                .collect();
            let (result, _) = try_block_on(&ex, join_all(handles));
            let expected: Vec<usize> = (0..tasks).filter(|i| i % 3 != 1).collect();
            assert_eq!(
                result,
                Err(Stalled {
                    now: tasks as u64,
                    pending: expected
                }),
                "{}",
                say!(
                    "{tasks} tasks sleep {tasks}, {}, …, 1 ticks, then every one but tasks \
                     1, 4, 7, … waits forever: block_on must stall at t={tasks} naming the \
                     unfinished tasks in increasing order of spawn index (a HashSet or \
                     HashMap gives its items in no fixed order: walk the tasks by index, or \
                     sort)",
                    "{tasks} 个任务分别睡 {tasks}、{}、……、1 个 tick，之后除了任务 1、4、7……\
                     都永远等待：block_on 必须在 t={tasks} 停滞，按 spawn 编号从小到大列出没\
                     完成的任务（HashSet 或 HashMap 给出元素的顺序是不固定的：按编号遍历任务，\
                     或者排序）",
                    tasks - 1
                )
            );
        }
    }

    #[test]
    fn the_error_says_what_is_pending() {
        let texts: Vec<String> = [vec![], vec![3], vec![0, 2, 5]]
            .into_iter()
            .map(|pending| Stalled { now: 7, pending }.to_string())
            .collect();
        insta::assert_snapshot!("stalled_texts", texts.join("\n"));
    }
}

mod course {
    use coroutines::{Executor, join_all};

    use super::{Trace, finish, spawn};

    /// The course's gevent example, in Rust: three coroutines sleep 3, 1 and 2 ticks,
    /// and the main one joins them all (`gevent.spawn`, `gevent.sleep`, `gevent.joinall`).
    #[test]
    fn gevent_scenario() {
        let ex = Executor::new();
        let trace = Trace::default();
        let ex2 = ex.clone();
        let trace2 = trace.clone();
        let outputs = finish(&ex, async move {
            trace2.line(&ex2, "main spawns A, B, C");
            let handles: Vec<_> = [("A", 3u64), ("B", 1), ("C", 2)]
                .into_iter()
                .map(|(name, ticks)| {
                    let (ex, trace) = (ex2.clone(), trace2.clone());
                    spawn(&ex2, name, async move {
                        trace.line(&ex, format!("{name} start, sleeps {ticks}"));
                        ex.sleep(ticks).await;
                        trace.line(&ex, format!("{name} done"));
                        ticks
                    })
                    .0
                })
                .collect();
            let outputs = join_all(handles).await;
            trace2.line(&ex2, format!("main joined all: {outputs:?}"));
            outputs
        });
        assert_eq!(outputs, [3, 1, 2]);
        let stats = ex.stats();
        let report = format!(
            "{}\n--\nnow: {}\nspawned: {}, polls: {}, wakes: {}",
            trace.text(),
            ex.now(),
            stats.spawned,
            stats.polls,
            stats.wakes
        );
        insta::assert_snapshot!("gevent_scenario", report);
    }
}

mod fairness {
    use coroutines::{Executor, join_all, yield_now};

    use super::{Trace, finish, spawn};

    /// Two tasks that each do three steps, yielding after each step or not.
    fn two_workers(yields: bool) -> String {
        let ex = Executor::new();
        let trace = Trace::default();
        let handles: Vec<_> = ["A", "B"]
            .into_iter()
            .map(|name| {
                let (ex2, trace) = (ex.clone(), trace.clone());
                spawn(&ex, name, async move {
                    for step in 0..3 {
                        trace.line(&ex2, format!("{name} step {step}"));
                        if yields {
                            yield_now().await;
                        }
                    }
                })
                .0
            })
            .collect();
        finish(&ex, join_all(handles));
        trace.text()
    }

    /// greenlet's `switch`: with a yield after each step, the two take turns.
    #[test]
    fn yielding_tasks_take_turns() {
        insta::assert_snapshot!("yielding_tasks_take_turns", two_workers(true));
    }

    /// Without an `.await` that waits, a task runs to its end before any other starts.
    #[test]
    fn no_yield_starves_the_others() {
        insta::assert_snapshot!("no_yield_starves_the_others", two_workers(false));
    }

    /// A task that waits for the clock without awaiting (checking `now()` in a loop)
    /// waits in vain: the clock moves only when no task is ready, and this task never
    /// lets go. It gives up after 1000 checks; the sleeper wakes only afterwards.
    #[test]
    fn a_busy_wait_freezes_the_clock() {
        let ex = Executor::new();
        let trace = Trace::default();
        let (sleeper, _) = spawn(&ex, "sleeper", {
            let (ex, trace) = (ex.clone(), trace.clone());
            async move {
                ex.sleep(1).await;
                trace.line(&ex, "sleeper woke");
            }
        });
        let (spinner, _) = spawn(&ex, "spinner", {
            let (ex, trace) = (ex.clone(), trace.clone());
            async move {
                trace.line(&ex, "spinner waits for t=1 without awaiting");
                let mut checks = 0;
                while ex.now() < 1 && checks < 1000 {
                    checks += 1;
                }
                trace.line(&ex, format!("spinner gave up after {checks} checks"));
            }
        });
        finish(&ex, join_all([sleeper, spinner]));
        insta::assert_snapshot!("a_busy_wait_freezes_the_clock", trace.text());
    }
}

mod model {
    use std::cell::RefCell;
    use std::collections::{HashSet, VecDeque};
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;

    use proptest::prelude::*;

    use coroutines::{Executor, JoinHandle, Stalled, Stats, join_all, yield_now};

    use super::{Probe, Trace, spawn, try_block_on};

    /// One step of a task's program.
    #[derive(Clone, Debug)]
    enum Step {
        /// `ex.sleep(ticks).await`
        Sleep(u64),
        /// `yield_now().await`
        Yield,
        /// Spawns a task with this program; its parent awaits it after its last step.
        Spawn(Vec<Step>),
    }

    fn step() -> impl Strategy<Value = Step> {
        let leaf = prop_oneof![(0u64..4).prop_map(Step::Sleep), Just(Step::Yield)];
        leaf.prop_recursive(2, 24, 4, |inner| {
            prop_oneof![
                3 => inner.clone(),
                1 => prop::collection::vec(inner, 0..4).prop_map(Step::Spawn),
            ]
        })
    }

    /// The programs of the tasks block_on's future spawns, then joins.
    fn programs() -> impl Strategy<Value = Vec<Vec<Step>>> {
        prop::collection::vec(prop::collection::vec(step(), 0..5), 1..5)
    }

    /// Everything a run shows.
    #[derive(Debug, PartialEq)]
    struct Outcome {
        result: Result<(), Stalled>,
        trace: Vec<String>,
        /// Each task's polls, by spawn index.
        task_polls: Vec<u64>,
        main_polls: u64,
        stats: Stats,
        now: u64,
    }

    // ----- the programs run on the executor under test -----

    struct Run {
        ex: Executor,
        trace: Trace,
        probes: RefCell<Vec<Rc<Probe>>>,
    }

    /// Spawns a task running `steps`.
    fn start(run: &Rc<Run>, steps: Vec<Step>) -> JoinHandle<()> {
        let index = run.probes.borrow().len();
        let name = format!("T{index}");
        let (handle, probe) = spawn(&run.ex, &name, task(Rc::clone(run), name.clone(), steps));
        assert_eq!(
            handle.index(),
            index,
            "{}",
            say!(
                "spawn number {index} (counting from 0) must give the index {index}",
                "第 {index} 次 spawn（从 0 数起）的任务编号必须是 {index}"
            )
        );
        run.probes.borrow_mut().push(probe);
        handle
    }

    fn task(run: Rc<Run>, name: String, steps: Vec<Step>) -> Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(async move {
            let ex = &run.ex;
            run.trace.line(ex, format!("{name} start"));
            let mut children = Vec::new();
            for step in steps {
                match step {
                    Step::Sleep(ticks) => {
                        ex.sleep(ticks).await;
                        run.trace.line(ex, format!("{name} slept {ticks}"));
                    }
                    Step::Yield => {
                        yield_now().await;
                        run.trace.line(ex, format!("{name} yielded"));
                    }
                    Step::Spawn(steps) => {
                        let child = start(&run, steps);
                        run.trace
                            .line(ex, format!("{name} spawned T{}", child.index()));
                        children.push(child);
                    }
                }
            }
            for child in children {
                let index = child.index();
                child.await;
                run.trace.line(ex, format!("{name} joined T{index}"));
            }
            run.trace.line(ex, format!("{name} done"));
        })
    }

    fn run_for_real(programs: &[Vec<Step>]) -> Outcome {
        let run = Rc::new(Run {
            ex: Executor::new(),
            trace: Trace::default(),
            probes: RefCell::default(),
        });
        let main = {
            let run = Rc::clone(&run);
            let programs = programs.to_vec();
            async move {
                let handles: Vec<_> = programs
                    .into_iter()
                    .map(|steps| start(&run, steps))
                    .collect();
                join_all(handles).await;
                run.trace.line(&run.ex, "main done");
            }
        };
        let (result, main) = try_block_on(&run.ex, main);
        Outcome {
            result,
            trace: run.trace.lines(),
            task_polls: run.probes.borrow().iter().map(|p| p.polls.get()).collect(),
            main_polls: main.polls.get(),
            stats: run.ex.stats(),
            now: run.ex.now(),
        }
    }

    // ----- the model: the README's rules, played out on the programs directly -----

    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Id {
        Main,
        Task(usize),
    }

    /// What a model task waits for.
    enum Wait {
        Sleep(u64),
        Yield,
        Join(usize),
    }

    struct SimTask {
        steps: Vec<Step>,
        next: usize,
        children: Vec<usize>,
        joined: usize,
        wait: Option<Wait>,
        done: bool,
        /// Who awaits this task's handle.
        waiter: Option<Id>,
        polls: u64,
    }

    #[derive(Default)]
    struct Sim {
        now: u64,
        tasks: Vec<SimTask>,
        queue: VecDeque<Id>,
        queued: HashSet<Id>,
        /// (deadline, order set, whom to wake)
        timers: Vec<(u64, u64, Id)>,
        next_seq: u64,
        polls: u64,
        wakes: u64,
        main_polls: u64,
        top: Vec<usize>,
        trace: Vec<String>,
    }

    impl Sim {
        fn line(&mut self, what: String) {
            self.trace.push(format!("t={} {what}", self.now));
        }

        fn spawn(&mut self, steps: Vec<Step>) -> usize {
            self.tasks.push(SimTask {
                steps,
                next: 0,
                children: Vec::new(),
                joined: 0,
                wait: None,
                done: false,
                waiter: None,
                polls: 0,
            });
            let index = self.tasks.len() - 1;
            self.queued.insert(Id::Task(index));
            self.queue.push_back(Id::Task(index));
            index
        }

        fn wake(&mut self, id: Id) {
            if self.queued.insert(id) {
                self.queue.push_back(id);
                self.wakes += 1;
            }
        }

        /// Block_on's future: spawns the programs, then waits for them all.
        fn poll_main(&mut self, programs: &[Vec<Step>]) -> bool {
            self.polls += 1;
            self.main_polls += 1;
            if self.main_polls == 1 {
                for steps in programs {
                    let index = self.spawn(steps.clone());
                    self.tasks[index].waiter = Some(Id::Main);
                    self.top.push(index);
                }
            }
            let all_done = self.top.iter().all(|&i| self.tasks[i].done);
            if all_done {
                self.line("main done".to_string());
            }
            all_done
        }

        fn poll_task(&mut self, i: usize) {
            self.polls += 1;
            self.tasks[i].polls += 1;
            if self.tasks[i].polls == 1 {
                self.line(format!("T{i} start"));
            }
            match self.tasks[i].wait.take() {
                Some(Wait::Sleep(ticks)) => {
                    self.line(format!("T{i} slept {ticks}"));
                    self.tasks[i].next += 1;
                }
                Some(Wait::Yield) => {
                    self.line(format!("T{i} yielded"));
                    self.tasks[i].next += 1;
                }
                Some(Wait::Join(child)) => {
                    self.line(format!("T{i} joined T{child}"));
                    self.tasks[i].joined += 1;
                }
                None => {}
            }
            loop {
                let task = &self.tasks[i];
                if let Some(step) = task.steps.get(task.next).cloned() {
                    match step {
                        Step::Sleep(0) => {
                            self.line(format!("T{i} slept 0"));
                            self.tasks[i].next += 1;
                        }
                        Step::Sleep(ticks) => {
                            self.timers
                                .push((self.now + ticks, self.next_seq, Id::Task(i)));
                            self.next_seq += 1;
                            self.tasks[i].wait = Some(Wait::Sleep(ticks));
                            return;
                        }
                        Step::Yield => {
                            self.tasks[i].wait = Some(Wait::Yield);
                            self.wake(Id::Task(i));
                            return;
                        }
                        Step::Spawn(steps) => {
                            let child = self.spawn(steps);
                            self.line(format!("T{i} spawned T{child}"));
                            self.tasks[i].children.push(child);
                            self.tasks[i].next += 1;
                        }
                    }
                } else if let Some(&child) = task.children.get(task.joined) {
                    if self.tasks[child].done {
                        self.line(format!("T{i} joined T{child}"));
                        self.tasks[i].joined += 1;
                    } else {
                        self.tasks[child].waiter = Some(Id::Task(i));
                        self.tasks[i].wait = Some(Wait::Join(child));
                        return;
                    }
                } else {
                    self.line(format!("T{i} done"));
                    self.tasks[i].done = true;
                    if let Some(waiter) = self.tasks[i].waiter.take() {
                        self.wake(waiter);
                    }
                    return;
                }
            }
        }
    }

    fn run_model(programs: &[Vec<Step>]) -> Outcome {
        let mut sim = Sim::default();
        sim.queued.insert(Id::Main);
        sim.queue.push_back(Id::Main);
        loop {
            let next = sim.queue.pop_front();
            if let Some(id) = next {
                sim.queued.remove(&id);
            }
            match next {
                Some(Id::Main) => {
                    if sim.poll_main(programs) {
                        break;
                    }
                }
                Some(Id::Task(i)) => sim.poll_task(i),
                None => {
                    let deadline = sim
                        .timers
                        .iter()
                        .map(|timer| timer.0)
                        .min()
                        .expect("the model's programs always finish");
                    sim.now = deadline;
                    let mut due: Vec<(u64, u64, Id)> = sim
                        .timers
                        .iter()
                        .copied()
                        .filter(|timer| timer.0 == deadline)
                        .collect();
                    sim.timers.retain(|timer| timer.0 != deadline);
                    due.sort_by_key(|timer| timer.1);
                    for (_, _, id) in due {
                        sim.wake(id);
                    }
                }
            }
        }
        Outcome {
            result: Ok(()),
            task_polls: sim.tasks.iter().map(|t| t.polls).collect(),
            main_polls: sim.main_polls,
            stats: Stats {
                spawned: sim.tasks.len() as u64,
                polls: sim.polls,
                wakes: sim.wakes,
            },
            now: sim.now,
            trace: sim.trace,
        }
    }

    proptest! {
        /// Random programs of sleeps, yields and spawns: the trace (who did what when),
        /// every task's polls, the stats and the time at the end must be the model's.
        #[test]
        fn programs_run_as_the_rules_say(programs in programs()) {
            let expected = run_model(&programs);
            let got = run_for_real(&programs);
            prop_assert!(
                got.result.is_ok(),
                "{}",
                say!(
                    "block_on returned {:?}, but these programs always finish: a wake was \
                     lost (a JoinHandle that does not wake its waiter, a timer that never \
                     fires, a wake during a poll forgotten). The last lines of the trace: \
                     {:?}; the model's next ones: {:?}",
                    "block_on 返回了 {:?}，可这些程序总是能完成的：有唤醒丢了（JoinHandle \
                     没唤醒等它的人、定时器没触发、poll 期间的唤醒被忘掉了）。轨迹的最后几行：\
                     {:?}；模型接下来的几行：{:?}",
                    got.result,
                    &got.trace[got.trace.len().saturating_sub(3)..],
                    expected.trace.iter().skip(got.trace.len()).take(3).collect::<Vec<_>>()
                )
            );
            prop_assert_eq!(
                &got.trace,
                &expected.trace,
                "{}",
                say!(
                    "the trace differs from the model's (the README's rules: a FIFO ready \
                     queue, one poll per wake, the clock moving only when no task is ready, \
                     timers due together firing in the order they were set); block_on gave \
                     {:?}",
                    "轨迹和模型的不同（README 的规则：先进先出的就绪队列，一次唤醒一次 poll，\
                     只有没有任务就绪时时钟才走，同时到期的定时器按设置的先后触发）；\
                     block_on 返回了 {:?}",
                    got.result
                )
            );
            prop_assert_eq!(
                (&got.task_polls, got.main_polls),
                (&expected.task_polls, expected.main_polls),
                "{}",
                say!(
                    "each task's polls (by spawn index), then block_on's future's: one for \
                     the start, one per wake",
                    "每个任务的 poll 次数（按 spawn 编号），然后是 block_on 的 future 的：\
                     开始一次，每次唤醒一次"
                )
            );
            prop_assert_eq!(
                got.stats,
                expected.stats,
                "{}",
                say!(
                    "stats(): spawns, polls, and wakes that queued a task",
                    "stats()：spawn 次数、poll 次数、把任务放进队列的唤醒次数"
                )
            );
            prop_assert_eq!(got.now, expected.now, "{}", say!("the time at the end", "最后的时间"));
        }
    }
}

mod sleepers {
    use std::cell::RefCell;
    use std::rc::Rc;

    use proptest::prelude::*;

    use coroutines::{Executor, join_all};

    use super::{spawn, try_block_on};

    proptest! {
        /// The model: tasks spawned together that each sleep once finish sorted
        /// by (the tick they wake at, their spawn order), all by the longest sleep.
        #[test]
        fn finish_by_tick_then_spawn_order(ticks in prop::collection::vec(0u64..6, 0..8)) {
            let ex = Executor::new();
            let finished: Rc<RefCell<Vec<(u64, usize)>>> = Rc::default();
            let mut probes = Vec::new();
            let handles: Vec<_> = ticks
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    let (ex2, finished) = (ex.clone(), Rc::clone(&finished));
                    let (handle, probe) = spawn(&ex, &format!("task {i}"), async move {
                        ex2.sleep(t).await;
                        finished.borrow_mut().push((ex2.now(), i));
                    });
                    probes.push(probe);
                    handle
                })
                .collect();
            let (result, _) = try_block_on(&ex, join_all(handles));
            prop_assert!(
                result.is_ok(),
                "{}",
                say!(
                    "block_on returned {:?}, but tasks that only sleep always finish: a wake \
                     was lost (a timer that never fires, a Sleep not ready at its deadline, a \
                     JoinHandle that does not wake its waiter)",
                    "block_on 返回了 {:?}，可只会睡眠的任务总是能完成的：有唤醒丢了（定时器\
                     没触发、Sleep 到了截止时刻却没就绪、JoinHandle 没唤醒等它的人）",
                    result
                )
            );
            let mut expected: Vec<(u64, usize)> =
                ticks.iter().enumerate().map(|(i, &t)| (t, i)).collect();
            expected.sort();
            prop_assert_eq!(
                finished.borrow().clone(),
                expected,
                "{}",
                say!(
                    "(tick, task) as the tasks finished: sorted by tick, then by spawn order",
                    "任务结束时的（时刻，任务）：先按时刻，再按 spawn 的先后"
                )
            );
            prop_assert_eq!(
                ex.now(),
                ticks.iter().copied().max().unwrap_or(0),
                "{}",
                say!(
                    "the sleeps overlap: the clock ends at the longest, not at their sum",
                    "睡眠是重叠的：时钟停在最长的那个，而不是它们的和"
                )
            );
            let polls: Vec<u64> = probes.iter().map(|p| p.polls.get()).collect();
            let expected_polls: Vec<u64> = ticks.iter().map(|&t| if t == 0 { 1 } else { 2 }).collect();
            prop_assert_eq!(
                polls,
                expected_polls,
                "{}",
                say!(
                    "a task that sleeps polls twice (start, wake), once if it sleeps 0 ticks",
                    "睡眠的任务 poll 两次（开始、唤醒），睡 0 个 tick 的只 poll 一次"
                )
            );
        }
    }
}

mod laws {
    use quickcheck_macros::quickcheck;

    use coroutines::{Executor, join_all, yield_now};

    use super::{block_on, finish};

    /// Sleeping `a` then `b` ticks takes `a + b`, from any time.
    #[quickcheck]
    fn sequential_sleeps_add(start: u8, a: u16, b: u16) {
        let ex = Executor::new();
        finish(&ex, ex.sleep(u64::from(start)));
        let ex2 = ex.clone();
        finish(&ex, async move {
            ex2.sleep(u64::from(a)).await;
            ex2.sleep(u64::from(b)).await;
        });
        assert_eq!(
            ex.now(),
            u64::from(start) + u64::from(a) + u64::from(b),
            "{}",
            say!(
                "from t={start}, sleep({a}) then sleep({b}) must end at t={start} + {a} + {b}",
                "从 t={start} 开始，先 sleep({a}) 再 sleep({b})，必须停在 t={start} + {a} + {b}"
            )
        );
    }

    /// `join_all` of sleeps made inside its futures (so each starts when join_all polls
    /// it first) takes the longest of them.
    #[quickcheck]
    fn joined_sleeps_take_the_longest(ticks: Vec<u8>) {
        let ex = Executor::new();
        let futures: Vec<_> = ticks
            .iter()
            .map(|&t| {
                let ex = ex.clone();
                async move { ex.sleep(u64::from(t)).await }
            })
            .collect();
        finish(&ex, join_all(futures));
        let longest = ticks.iter().copied().max().map_or(0, u64::from);
        assert_eq!(
            ex.now(),
            longest,
            "{}",
            say!(
                "join_all of sleeps {ticks:?} must end at the longest, {longest}: its first \
                 poll starts every one of them, and they wait together",
                "睡眠 {ticks:?} 的 join_all 必须停在最长的 {longest}：它第一次 poll 就启动\
                 每一个，它们一起等待"
            )
        );
    }

    /// Yielding never moves the clock, and each yield costs one more poll.
    #[quickcheck]
    fn yields_take_no_time(yields: u8) {
        let ex = Executor::new();
        let (_, probe) = block_on(&ex, async move {
            for _ in 0..yields {
                yield_now().await;
            }
        });
        assert_eq!(
            (ex.now(), probe.polls.get()),
            (0, u64::from(yields) + 1),
            "{}",
            say!(
                "{yields} yields: the clock stays at 0, and the future is polled once more \
                 per yield (time, polls)",
                "yield {yields} 次：时钟停在 0，每 yield 一次 future 多 poll 一次（时间，poll 次数）"
            )
        );
    }
}
