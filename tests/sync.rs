//! The suite of the sync kata (线程与同步互斥). It grades both `exercises/sync`
//! (the learner's code) and `solutions/sync` (the reference).
//!
//! Test names follow `exercises/sync/README.md`, "What the tests check": one module
//! per primitive, then the checks that cut across them.
//!
//! No test sleeps to wait for something. A test wakes a waiter only once it has seen
//! the waiter blocked (`support/blocked.rs`, from `/proc`), and every wait is bounded
//! (`support/within.rs`), so a lost wakeup or a deadlock fails with its likely cause
//! named instead of hanging.
//!
//! Two tiers. By default (`cargo xtask check sync`) everything below runs on real
//! threads. With the feature `model` (`cargo xtask check sync --model`) `src/sys.rs`
//! hands out shuttle's locks and threads, and only the `interleavings` module at the
//! end is compiled: the same scenarios, each run under thousands of thread orders
//! chosen from fixed seeds.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

#[cfg(not(feature = "model"))]
#[path = "support/within.rs"]
mod within;

#[cfg(all(target_os = "linux", not(feature = "model")))]
#[path = "support/blocked.rs"]
mod blocked;

#[cfg(all(target_os = "linux", not(feature = "model")))]
#[path = "support/tasks.rs"]
mod tasks;

#[cfg(not(feature = "model"))]
#[path = "support/child.rs"]
mod child;

/// Shared by the real-thread tests.
#[cfg(not(feature = "model"))]
mod common {
    use std::time::{Duration, Instant};

    /// A timeout no test ever reaches: a wait with it must end by a notification.
    pub const FOREVER: Duration = Duration::from_secs(3600);

    /// A short timeout that a test does wait out.
    pub const SHORT: Duration = Duration::from_millis(30);

    /// Runs `f` and returns its answer with the time it took.
    pub fn timed<R>(f: impl FnOnce() -> R) -> (R, Duration) {
        let start = Instant::now();
        let answer = f();
        (answer, start.elapsed())
    }
}

#[cfg(not(feature = "model"))]
mod event {
    use std::sync::Arc;
    use std::time::Duration;

    use proptest::prelude::*;
    use rstest::rstest;

    use sync::Event;

    use crate::common::{FOREVER, SHORT, timed};
    use crate::within::{BOUND, within};

    /// One step of a script run by one thread.
    #[derive(Debug, Clone, Copy)]
    enum Step {
        Set,
        Clear,
    }

    fn run(event: &Event, script: &[Step]) {
        for step in script {
            match step {
                Step::Set => event.set(),
                Step::Clear => event.clear(),
            }
        }
    }

    #[rstest]
    #[case::new_event(&[], false)]
    #[case::set(&[Step::Set], true)]
    #[case::set_twice(&[Step::Set, Step::Set], true)]
    #[case::cleared(&[Step::Set, Step::Clear], false)]
    #[case::clear_unset(&[Step::Clear], false)]
    #[case::set_again(&[Step::Set, Step::Clear, Step::Set], true)]
    fn examples(#[case] script: &'static [Step], #[case] set: bool) {
        let event = Arc::new(Event::new());
        run(&event, script);
        assert_eq!(
            event.is_set(),
            set,
            "{}",
            say!(
                "is_set() after {script:?}",
                "执行 {script:?} 之后的 is_set()"
            )
        );
        assert_eq!(
            event.wait(Some(Duration::ZERO)),
            set,
            "{}",
            say!(
                "wait(Some(Duration::ZERO)) after {script:?} only looks: true when set",
                "执行 {script:?} 之后 wait(Some(Duration::ZERO)) 只是看一眼：已设置时为 true",
            )
        );
        if set {
            let waiter = Arc::clone(&event);
            let woke = within(
                BOUND,
                &say!(
                    "wait(None) on a set event did not return: it must return true at once",
                    "对已设置的事件调用 wait(None) 没有返回：它应当立即返回 true",
                ),
                move || waiter.wait(None),
            );
            assert!(
                woke,
                "{}",
                say!(
                    "wait(None) returned false; without a timeout it returns only when set, \
                     with true",
                    "wait(None) 返回了 false；没有超时的等待只会在事件被设置后返回 true",
                )
            );
        }
    }

    /// Timed waits that run out.
    mod timeouts {
        use super::*;

        #[test]
        fn an_unset_event_times_out_with_false() {
            let event = Arc::new(Event::new());
            let (woke, took) = within(
                BOUND,
                &say!(
                    "wait(Some(30 ms)) on an unset event never returned: a timed wait must \
                     give up when its time is up",
                    "对未设置的事件调用 wait(Some(30 ms)) 一直没有返回：限时等待到时间就要放弃",
                ),
                move || timed(|| event.wait(Some(SHORT))),
            );
            assert!(
                !woke,
                "{}",
                say!(
                    "wait(Some(30 ms)) on an unset event returned true",
                    "对未设置的事件调用 wait(Some(30 ms)) 返回了 true",
                )
            );
            assert!(
                took >= SHORT,
                "{}",
                say!(
                    "wait(Some(30 ms)) on an unset event gave up after {took:?}, before its \
                     time was up (a wakeup taken for the end of the wait?)",
                    "对未设置的事件调用 wait(Some(30 ms)) 只过了 {took:?} 就放弃了，\
                     时间还没到（把一次唤醒当成了超时？）",
                )
            );
        }

        #[test]
        fn a_set_event_answers_a_long_timed_wait_at_once() {
            let event = Arc::new(Event::new());
            event.set();
            for timeout in [FOREVER, Duration::MAX] {
                let waiter = Arc::clone(&event);
                let woke = within(
                    BOUND,
                    &say!(
                        "wait(Some({timeout:?})) on a set event did not return at once",
                        "对已设置的事件调用 wait(Some({timeout:?})) 没有立即返回",
                    ),
                    move || waiter.wait(Some(timeout)),
                );
                assert!(
                    woke,
                    "{}",
                    say!(
                        "wait(Some({timeout:?})) on a set event returned false",
                        "对已设置的事件调用 wait(Some({timeout:?})) 返回了 false",
                    )
                );
            }
        }
    }

    /// Random scripts from one thread against a plain `bool`.
    mod one_thread {
        use super::*;

        #[derive(Debug, Clone, Copy)]
        enum Op {
            Set,
            Clear,
            IsSet,
            Look,
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                Just(Op::Set),
                Just(Op::Clear),
                Just(Op::IsSet),
                Just(Op::Look)
            ]
        }

        proptest! {
            #[test]
            fn agrees_with_a_flag(ops in proptest::collection::vec(op(), 0..40)) {
                let event = Event::new();
                let mut model = false;
                for (i, op) in ops.iter().enumerate() {
                    match op {
                        Op::Set => { event.set(); model = true; }
                        Op::Clear => { event.clear(); model = false; }
                        Op::IsSet => prop_assert_eq!(event.is_set(), model,
                            "{}", say!("is_set() at step {}", "第 {} 步的 is_set()", i)),
                        Op::Look => prop_assert_eq!(event.wait(Some(Duration::ZERO)), model,
                            "{}", say!("wait(Some(ZERO)) at step {}", "第 {} 步的 wait(Some(ZERO))", i)),
                    }
                }
            }
        }
    }

    /// Waiters seen blocked before they are woken.
    #[cfg(target_os = "linux")]
    mod blocking {
        use super::*;
        use crate::blocked::{self, wait_until_blocked};

        fn waiter(
            event: &Arc<Event>,
            name: &str,
            timeout: Option<Duration>,
        ) -> blocked::Watched<bool> {
            let event = Arc::clone(event);
            blocked::spawn(name, move || event.wait(timeout))
        }

        #[test]
        fn wait_blocks_until_set() {
            let event = Arc::new(Event::new());
            let w = waiter(&event, "waiter", None);
            wait_until_blocked(
                &w,
                &say!(
                    "wait(None) on an unset event must sleep until set()",
                    "对未设置的事件调用 wait(None) 应当睡眠，直到 set()"
                ),
            );
            event.set();
            let woke = w.join_within(
                BOUND,
                &say!(
                    "set() did not wake a thread blocked in wait(None) (does set() notify the Condvar?)",
                    "set() 没有唤醒阻塞在 wait(None) 里的线程（set() 通知 Condvar 了吗？）",
                ),
            );
            assert!(
                woke,
                "{}",
                say!(
                    "wait(None) returned false after set()",
                    "set() 之后 wait(None) 返回了 false"
                )
            );
        }

        #[test]
        fn a_timed_wait_ends_when_set() {
            let event = Arc::new(Event::new());
            let w = waiter(&event, "waiter", Some(FOREVER));
            wait_until_blocked(
                &w,
                &say!(
                    "wait(Some(1 hour)) on an unset event must sleep",
                    "对未设置的事件调用 wait(Some(1 小时)) 应当睡眠"
                ),
            );
            event.set();
            let woke = w.join_within(
                BOUND,
                &say!(
                    "set() did not end a timed wait: a timed wait must wake on the notification, \
                     not sleep out its whole timeout",
                    "set() 没有结束限时等待：限时等待应当被通知唤醒，而不是睡满整个超时",
                ),
            );
            assert!(
                woke,
                "{}",
                say!(
                    "wait(Some(1 hour)) returned false after set()",
                    "set() 之后 wait(Some(1 小时)) 返回了 false"
                )
            );
        }

        #[test]
        fn set_wakes_every_waiter() {
            let event = Arc::new(Event::new());
            let waiters: Vec<_> = (0..3)
                .map(|i| waiter(&event, &format!("waiter-{i}"), None))
                .collect();
            for w in &waiters {
                wait_until_blocked(
                    w,
                    &say!(
                        "wait(None) on an unset event must sleep",
                        "对未设置的事件调用 wait(None) 应当睡眠"
                    ),
                );
            }
            event.set();
            let deadline = std::time::Instant::now() + BOUND;
            let woke = waiters
                .iter()
                .filter(|w| {
                    w.returns_within(deadline.saturating_duration_since(std::time::Instant::now()))
                })
                .count();
            assert_eq!(
                woke,
                3,
                "{}",
                say!(
                    "set() woke {woke} of 3 waiters: every waiter waits for this one change \
                     (notify_all, not notify_one)",
                    "set() 只唤醒了 3 个等待者中的 {woke} 个：它们都在等这一个变化\
                     （用 notify_all，而不是 notify_one）",
                )
            );
            for w in waiters {
                assert!(
                    w.join_within(BOUND, "join"),
                    "{}",
                    say!(
                        "wait(None) returned false after set()",
                        "set() 之后 wait(None) 返回了 false"
                    )
                );
            }
        }

        #[test]
        fn spurious_wakeups_are_slept_through() {
            let event = Arc::new(Event::new());
            let w = {
                let event = Arc::clone(&event);
                blocked::spawn("waiter", move || {
                    sync::sys::spurious_wakeups(3);
                    event.wait(None)
                })
            };
            wait_until_blocked(
                &w,
                &say!(
                    "wait(None) on an unset event must keep sleeping when its Condvar wakes it \
                     without a notification (here 3 spurious wakeups; the OS may do this any \
                     time): check the flag again in a `while` loop around Condvar::wait",
                    "对未设置的事件调用 wait(None) 时，即使 Condvar 在没有通知的情况下醒来\
                     （这里是 3 次虚假唤醒，操作系统随时可能这样做），也要继续睡眠：\
                     在 Condvar::wait 外面用 `while` 循环重新检查标志",
                ),
            );
            event.set();
            assert!(w.join_within(
                BOUND,
                &say!("set() did not wake the waiter", "set() 没有唤醒等待者")
            ));
        }
    }
}

#[cfg(not(feature = "model"))]
mod semaphore {
    use std::sync::Arc;

    use proptest::prelude::*;
    use rstest::rstest;

    use sync::Semaphore;

    use crate::within::{BOUND, within};

    #[rstest]
    #[case::none_taken(3, 0)]
    #[case::one_taken(3, 1)]
    #[case::all_taken(3, 3)]
    #[case::single_permit(1, 1)]
    #[case::no_permits(0, 0)]
    fn examples(#[case] permits: usize, #[case] taken: usize) {
        let semaphore = Semaphore::new(permits);
        assert_eq!(
            semaphore.available(),
            permits,
            "{}",
            say!(
                "available() of Semaphore::new({permits})",
                "Semaphore::new({permits}) 的 available()"
            )
        );
        let held: Vec<_> =
            (0..taken)
                .map(|i| {
                    semaphore.try_acquire().unwrap_or_else(|| {
                    panic!("{}", say!(
                        "try_acquire() number {} of Semaphore::new({permits}) found no permit",
                        "Semaphore::new({permits}) 的第 {} 次 try_acquire() 没有拿到许可",
                        i + 1,
                    ))
                })
                })
                .collect();
        assert_eq!(
            semaphore.available(),
            permits - taken,
            "{}",
            say!(
                "available() with {taken} of {permits} permits taken",
                "{permits} 个许可拿走 {taken} 个之后的 available()"
            )
        );
        if taken == permits {
            assert!(
                semaphore.try_acquire().is_none(),
                "{}",
                say!(
                    "try_acquire() with every permit taken must answer None",
                    "许可全被拿走时 try_acquire() 应当返回 None"
                )
            );
        }
        drop(held);
        assert_eq!(
            semaphore.available(),
            permits,
            "{}",
            say!(
                "available() once every permit was dropped (a dropped permit goes back)",
                "所有许可都被丢弃之后的 available()（丢弃的许可会还回去）"
            )
        );
    }

    #[test]
    fn acquire_takes_an_available_permit_at_once() {
        let semaphore = Arc::new(Semaphore::new(2));
        let left = within(
            BOUND,
            &say!(
                "acquire() twice on Semaphore::new(2) did not return: it must not block while a permit is available",
                "对 Semaphore::new(2) 调用两次 acquire() 没有返回：有许可时它不应阻塞",
            ),
            move || {
                let _first = semaphore.acquire();
                let _second = semaphore.acquire();
                semaphore.available()
            },
        );
        assert_eq!(
            left,
            0,
            "{}",
            say!(
                "available() while both permits of 2 are held",
                "两个许可都被持有时的 available()"
            )
        );
    }

    /// Random scripts from one thread against a plain counter.
    mod one_thread {
        use super::*;

        #[derive(Debug, Clone, Copy)]
        enum Op {
            TryAcquire,
            Acquire,
            Release(usize),
            Available,
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                Just(Op::TryAcquire),
                Just(Op::Acquire),
                any::<usize>().prop_map(Op::Release),
                Just(Op::Available),
            ]
        }

        proptest! {
            #[test]
            fn agrees_with_a_counter(permits in 0usize..4, ops in proptest::collection::vec(op(), 0..40)) {
                let semaphore = Semaphore::new(permits);
                let mut held = Vec::new();
                for (i, op) in ops.iter().enumerate() {
                    let model = permits - held.len();
                    match *op {
                        Op::TryAcquire => match semaphore.try_acquire() {
                            Some(permit) => {
                                prop_assert!(model > 0, "{}", say!(
                                    "step {}: try_acquire() gave a permit with none left",
                                    "第 {} 步：没有剩余许可时 try_acquire() 却给了一个", i));
                                held.push(permit);
                            }
                            None => prop_assert_eq!(model, 0, "{}", say!(
                                "step {}: try_acquire() gave nothing with permits left",
                                "第 {} 步：还有许可时 try_acquire() 却什么都没给", i)),
                        },
                        // Blocking only where the model says it would not block.
                        Op::Acquire if model > 0 => held.push(semaphore.acquire()),
                        Op::Acquire => {}
                        Op::Release(k) if !held.is_empty() => {
                            let at = k % held.len();
                            drop(held.swap_remove(at));
                        }
                        Op::Release(_) => {}
                        Op::Available => prop_assert_eq!(semaphore.available(), model, "{}", say!(
                            "step {}: available()", "第 {} 步：available()", i)),
                    }
                }
            }
        }
    }

    /// A permit goes back on every path out of its scope.
    mod raii {
        use super::*;

        #[test]
        fn a_permit_comes_back_when_its_holder_panics() {
            let semaphore = Arc::new(Semaphore::new(1));
            let holder = Arc::clone(&semaphore);
            let outcome = within(
                BOUND,
                &say!(
                    "a thread that panics holding a permit never ended",
                    "持有许可时 panic 的线程一直没有结束"
                ),
                move || {
                    std::thread::Builder::new()
                        .name("panics".into())
                        .spawn(move || {
                            let _permit = holder.acquire();
                            panic!("a panic while holding a permit (on purpose)");
                        })
                        .expect("start a thread")
                        .join()
                },
            );
            assert!(outcome.is_err(), "the thread was meant to panic");
            assert_eq!(
                semaphore.available(),
                1,
                "{}",
                say!(
                    "a thread panicked while it held the only permit: dropping the permit \
                     (which unwinding does) must give it back, as Python's `with sem:` does",
                    "线程在持有唯一许可时 panic 了：许可被丢弃（栈展开会丢弃它）时应当归还，\
                     就像 Python 的 `with sem:` 一样",
                )
            );
        }
    }

    /// Waiters seen blocked before a permit comes back.
    #[cfg(target_os = "linux")]
    mod blocking {
        use super::*;
        use crate::blocked::{self, wait_until_blocked};
        use std::sync::mpsc;

        #[test]
        fn acquire_waits_for_a_release() {
            for permits in 1..=3 {
                let semaphore = Arc::new(Semaphore::new(permits));
                let mut held: Vec<_> = (0..permits)
                    .map(|_| semaphore.try_acquire().expect("a free permit"))
                    .collect();
                let w = {
                    let semaphore = Arc::clone(&semaphore);
                    blocked::spawn("acquirer", move || {
                        let _permit = semaphore.acquire();
                        semaphore.available()
                    })
                };
                wait_until_blocked(
                    &w,
                    &say!(
                        "acquire() with all {permits} permits held must sleep until one comes back",
                        "{permits} 个许可都被持有时 acquire() 应当睡眠，直到有许可归还",
                    ),
                );
                drop(held.pop());
                let left = w.join_within(
                    BOUND,
                    &say!(
                        "a permit came back but the thread blocked in acquire() never woke: does \
                         a released permit notify the Condvar?",
                        "许可已归还，但阻塞在 acquire() 里的线程没有醒来：归还许可时通知 Condvar 了吗？",
                    ),
                );
                assert_eq!(
                    left,
                    0,
                    "{}",
                    say!(
                        "available() inside the woken acquirer, holding the permit that came back",
                        "被唤醒的 acquire() 拿着归还的许可时的 available()"
                    )
                );
            }
        }

        #[test]
        fn one_release_lets_one_waiter_through() {
            let semaphore = Arc::new(Semaphore::new(2));
            let mut held = vec![
                semaphore.try_acquire().expect("a permit"),
                semaphore.try_acquire().expect("a permit"),
            ];
            let (through_tx, through) = mpsc::channel();
            let mut leave = Vec::new();
            let waiters: Vec<_> = (0..2)
                .map(|i| {
                    let (leave_tx, leave_rx) = mpsc::channel::<()>();
                    leave.push(leave_tx);
                    let semaphore = Arc::clone(&semaphore);
                    let through_tx = through_tx.clone();
                    blocked::spawn(&format!("acquirer-{i}"), move || {
                        let _permit = semaphore.acquire();
                        let _ = through_tx.send(i);
                        // Holds its permit until the test says so.
                        let _ = leave_rx.recv();
                    })
                })
                .collect();
            for w in &waiters {
                wait_until_blocked(
                    w,
                    &say!(
                        "acquire() with both permits held must sleep",
                        "两个许可都被持有时 acquire() 应当睡眠"
                    ),
                );
            }
            drop(held.pop());
            let first = through.recv_timeout(BOUND).unwrap_or_else(|_| {
                panic!(
                    "{}",
                    say!(
                        "one permit came back, and neither thread blocked in acquire() woke up",
                        "归还了一个许可，但两个阻塞在 acquire() 里的线程都没有醒来",
                    )
                )
            });
            let other = 1 - first;
            wait_until_blocked(
                &waiters[other],
                &say!(
                    "one permit came back and one waiter took it: the other must still wait \
                     (re-check the count after every wakeup)",
                    "归还了一个许可，已被一个等待者拿走：另一个必须继续等待（每次醒来都要重新检查计数）",
                ),
            );
            drop(held.pop());
            let second = through.recv_timeout(BOUND).unwrap_or_else(|_| {
                panic!(
                    "{}",
                    say!(
                        "a second permit came back, and the second waiter never woke",
                        "第二个许可归还了，但第二个等待者没有醒来",
                    )
                )
            });
            assert_eq!(second, other);
            drop(leave);
            for w in waiters {
                w.join_within(BOUND, "join");
            }
            assert_eq!(
                semaphore.available(),
                2,
                "{}",
                say!(
                    "available() once every permit is back",
                    "所有许可归还之后的 available()"
                )
            );
        }

        #[test]
        fn spurious_wakeups_are_slept_through() {
            let semaphore = Arc::new(Semaphore::new(1));
            let held = semaphore.try_acquire().expect("a permit");
            let w = {
                let semaphore = Arc::clone(&semaphore);
                blocked::spawn("acquirer", move || {
                    sync::sys::spurious_wakeups(3);
                    let _permit = semaphore.acquire();
                })
            };
            wait_until_blocked(
                &w,
                &say!(
                    "acquire() with no permit left must keep sleeping when its Condvar wakes it \
                     without a notification (here 3 spurious wakeups; the OS may do this any \
                     time): check the count again in a `while` loop around Condvar::wait",
                    "没有剩余许可时 acquire() 即使被 Condvar 无通知地唤醒（这里是 3 次虚假唤醒，\
                     操作系统随时可能这样做），也要继续睡眠：在 Condvar::wait 外面用 `while` 循环重新检查计数",
                ),
            );
            drop(held);
            w.join_within(
                BOUND,
                &say!(
                    "a permit came back and the waiter never woke",
                    "许可已归还，但等待者没有醒来"
                ),
            );
        }
    }
}

#[cfg(not(feature = "model"))]
mod queue {
    use std::collections::VecDeque;
    use std::sync::Arc;
    use std::time::Duration;

    use proptest::prelude::*;
    use rstest::rstest;

    use sync::{BlockingQueue, Closed, GetError, TryPutError, ZeroCapacity};

    use crate::common::{FOREVER, SHORT, timed};
    use crate::within::{BOUND, within};

    fn queue(capacity: usize) -> Arc<BlockingQueue<i32>> {
        Arc::new(BlockingQueue::new(capacity).expect("a queue with room"))
    }

    #[rstest]
    #[case::one(1)]
    #[case::three(3)]
    fn examples(#[case] capacity: usize) {
        let q = queue(capacity);
        assert_eq!(q.capacity(), capacity, "capacity()");
        assert_eq!(
            (q.len(), q.is_empty(), q.is_closed()),
            (0, true, false),
            "{}",
            say!(
                "len(), is_empty(), is_closed() of a new queue",
                "新队列的 len()、is_empty()、is_closed()"
            )
        );
        for i in 0..capacity as i32 {
            assert_eq!(
                q.try_put(i),
                Ok(()),
                "{}",
                say!("try_put({i}) with room left", "还有空位时 try_put({i})")
            );
        }
        assert_eq!(
            q.len(),
            capacity,
            "{}",
            say!("len() when full", "满时的 len()")
        );
        assert_eq!(
            q.try_put(99),
            Err(TryPutError::Full(99)),
            "{}",
            say!(
                "try_put(99) on a full queue gives the item back",
                "对满队列 try_put(99) 要把元素还回来"
            )
        );
        for i in 0..capacity as i32 {
            assert_eq!(
                q.try_get(),
                Ok(i),
                "{}",
                say!(
                    "try_get() hands items out first in, first out",
                    "try_get() 按先进先出交出元素"
                )
            );
        }
        assert_eq!(
            q.try_get(),
            Err(GetError::Empty),
            "{}",
            say!(
                "try_get() on an empty open queue",
                "对空的、开着的队列 try_get()"
            )
        );
        assert!(
            q.is_empty(),
            "{}",
            say!(
                "is_empty() after taking every item",
                "取完所有元素后的 is_empty()"
            )
        );
    }

    #[test]
    fn zero_capacity_is_an_error() {
        assert!(
            matches!(BlockingQueue::<i32>::new(0), Err(ZeroCapacity)),
            "{}",
            say!(
                "BlockingQueue::new(0) must be Err(ZeroCapacity)",
                "BlockingQueue::new(0) 应当是 Err(ZeroCapacity)"
            )
        );
    }

    /// Room for `usize::MAX` items is a promise, not an allocation.
    #[test]
    fn a_huge_capacity_sets_nothing_aside() {
        let q = BlockingQueue::new(usize::MAX).unwrap_or_else(|e| {
            panic!(
                "{}",
                say!(
                    "BlockingQueue::new(usize::MAX) gave {e:?}",
                    "BlockingQueue::new(usize::MAX) 给出了 {e:?}"
                )
            )
        });
        assert_eq!(q.capacity(), usize::MAX, "capacity()");
        assert_eq!(
            (q.try_put(1), q.try_get()),
            (Ok(()), Ok(1)),
            "{}",
            say!(
                "try_put(1), then try_get() on a queue of capacity usize::MAX",
                "容量为 usize::MAX 的队列上先 try_put(1) 再 try_get()"
            )
        );
    }

    #[test]
    fn put_and_get_with_room_do_not_block() {
        let q = queue(3);
        let got = within(
            BOUND,
            &say!(
                "put() with room left, or get(None) with an item there, did not return",
                "有空位时的 put()，或有元素时的 get(None)，没有返回",
            ),
            move || {
                let puts = [q.put(1), q.put(2), q.put(3)];
                let gets = [
                    q.get(None),
                    q.get(Some(FOREVER)),
                    q.get(Some(Duration::ZERO)),
                ];
                (puts, gets)
            },
        );
        assert_eq!(got.0, [Ok(()), Ok(()), Ok(())], "put()");
        assert_eq!(
            got.1,
            [Ok(1), Ok(2), Ok(3)],
            "{}",
            say!(
                "get() in order: first in, first out",
                "get() 的顺序：先进先出"
            )
        );
    }

    #[test]
    fn close_keeps_the_items_for_get() {
        let q = queue(3);
        let got = within(
            BOUND,
            &say!(
                "get(None) on a closed queue did not return: once closed and empty it answers Err(Closed) at once",
                "对已关闭的队列 get(None) 没有返回：关闭且为空之后要立即返回 Err(Closed)",
            ),
            move || {
                q.put(1).expect("room");
                q.put(2).expect("room");
                q.close();
                let put = q.put(3);
                let try_put = q.try_put(4);
                let closed = q.is_closed();
                let gets = [
                    q.get(None),
                    q.try_get(),
                    q.get(None),
                    q.try_get(),
                    q.get(Some(FOREVER)),
                ];
                (put, try_put, closed, gets)
            },
        );
        assert_eq!(
            got.0,
            Err(Closed(3)),
            "{}",
            say!(
                "put(3) after close() gives the item back",
                "close() 之后 put(3) 要把元素还回来"
            )
        );
        assert_eq!(
            got.1,
            Err(TryPutError::Closed(4)),
            "{}",
            say!(
                "try_put(4) after close() gives the item back",
                "close() 之后 try_put(4) 要把元素还回来"
            )
        );
        assert!(got.2, "is_closed()");
        assert_eq!(
            got.3,
            [
                Ok(1),
                Ok(2),
                Err(GetError::Closed),
                Err(GetError::Closed),
                Err(GetError::Closed)
            ],
            "{}",
            say!(
                "a closed queue hands out what it holds, then answers Closed",
                "已关闭的队列先交出剩下的元素，再回答 Closed"
            )
        );
    }

    /// Timed gets that run out.
    mod timeouts {
        use super::*;

        #[test]
        fn an_empty_queue_times_out_with_empty() {
            let q = queue(2);
            let (got, took) = within(
                BOUND,
                &say!(
                    "get(Some(30 ms)) on an empty queue never returned: a timed get must give up when its time is up",
                    "对空队列 get(Some(30 ms)) 一直没有返回：限时的 get 到时间就要放弃",
                ),
                move || timed(|| q.get(Some(SHORT))),
            );
            assert_eq!(
                got,
                Err(GetError::Empty),
                "{}",
                say!(
                    "get(Some(30 ms)) on an empty open queue",
                    "对空的、开着的队列 get(Some(30 ms))"
                )
            );
            assert!(
                took >= SHORT,
                "{}",
                say!(
                    "get(Some(30 ms)) on an empty queue gave up after {took:?}, before its time was up",
                    "对空队列 get(Some(30 ms)) 只过了 {took:?} 就放弃了，时间还没到",
                )
            );
        }

        #[test]
        fn a_zero_timeout_only_looks() {
            let q = queue(2);
            let got = within(
                BOUND,
                &say!(
                    "get(Some(Duration::ZERO)) did not return",
                    "get(Some(Duration::ZERO)) 没有返回"
                ),
                move || {
                    let empty = q.get(Some(Duration::ZERO));
                    q.put(5).expect("room");
                    let five = q.get(Some(Duration::ZERO));
                    q.put(6).expect("room");
                    (empty, five, q.get(Some(Duration::MAX)))
                },
            );
            assert_eq!(
                got,
                (Err(GetError::Empty), Ok(5), Ok(6)),
                "{}",
                say!(
                    "get(Some(ZERO)) on an empty, then on a non-empty queue, then get(Some(Duration::MAX)) with an item there",
                    "对空队列、再对非空队列 get(Some(ZERO))，然后在有元素时 get(Some(Duration::MAX))",
                )
            );
        }
    }

    /// Random scripts from one thread against a `VecDeque`.
    mod one_thread {
        use super::*;

        #[derive(Debug, Clone, Copy)]
        enum Op {
            TryPut(i32),
            Put(i32),
            TryGet,
            Get,
            Close,
            Len,
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                4 => any::<i32>().prop_map(Op::TryPut),
                2 => any::<i32>().prop_map(Op::Put),
                4 => Just(Op::TryGet),
                2 => Just(Op::Get),
                1 => Just(Op::Close),
                1 => Just(Op::Len),
            ]
        }

        proptest! {
            #[test]
            fn agrees_with_a_vecdeque(capacity in 1usize..5, ops in proptest::collection::vec(op(), 0..60)) {
                let q = BlockingQueue::new(capacity).expect("room");
                let mut model = VecDeque::new();
                let mut closed = false;
                for (i, op) in ops.iter().enumerate() {
                    let full = model.len() == capacity;
                    match *op {
                        Op::TryPut(x) => {
                            let expected = if closed {
                                Err(TryPutError::Closed(x))
                            } else if full {
                                Err(TryPutError::Full(x))
                            } else {
                                model.push_back(x);
                                Ok(())
                            };
                            prop_assert_eq!(q.try_put(x), expected, "{}", say!("step {}: try_put", "第 {} 步：try_put", i));
                        }
                        // Blocking calls only where the model says they would not block.
                        Op::Put(x) if closed || !full => {
                            let expected = if closed { Err(Closed(x)) } else { model.push_back(x); Ok(()) };
                            prop_assert_eq!(q.put(x), expected, "{}", say!("step {}: put", "第 {} 步：put", i));
                        }
                        Op::Put(_) => {}
                        Op::TryGet => {
                            let expected = model.pop_front().ok_or(if closed { GetError::Closed } else { GetError::Empty });
                            prop_assert_eq!(q.try_get(), expected, "{}", say!("step {}: try_get", "第 {} 步：try_get", i));
                        }
                        Op::Get if closed || !model.is_empty() => {
                            let expected = model.pop_front().ok_or(GetError::Closed);
                            prop_assert_eq!(q.get(None), expected, "{}", say!("step {}: get(None)", "第 {} 步：get(None)", i));
                        }
                        Op::Get => {}
                        Op::Close => { q.close(); closed = true; }
                        Op::Len => {
                            prop_assert_eq!(q.len(), model.len(), "{}", say!("step {}: len()", "第 {} 步：len()", i));
                            prop_assert_eq!(q.is_empty(), model.is_empty(), "{}", say!("step {}: is_empty()", "第 {} 步：is_empty()", i));
                            prop_assert_eq!(q.is_closed(), closed, "{}", say!("step {}: is_closed()", "第 {} 步：is_closed()", i));
                        }
                    }
                }
            }
        }
    }

    /// Putters and getters seen blocked before they are woken.
    #[cfg(target_os = "linux")]
    mod blocking {
        use super::*;
        use crate::blocked::{self, wait_until_blocked};

        #[test]
        fn put_waits_while_full() {
            let q = queue(1);
            q.put(1).expect("room");
            let putter = {
                let q = Arc::clone(&q);
                blocked::spawn("putter", move || q.put(2))
            };
            wait_until_blocked(
                &putter,
                &say!(
                    "put(2) on a full queue must sleep until there is room",
                    "对满队列 put(2) 应当睡眠，直到有空位"
                ),
            );
            assert_eq!(q.try_get(), Ok(1), "try_get()");
            let put = putter.join_within(
                BOUND,
                &say!(
                    "an item left the full queue but the thread blocked in put() never woke (does get notify the putters?)",
                    "满队列取走了一个元素，但阻塞在 put() 里的线程没有醒来（get 通知等待放入的线程了吗？）",
                ),
            );
            assert_eq!(put, Ok(()), "put(2)");
            assert_eq!(
                q.try_get(),
                Ok(2),
                "{}",
                say!(
                    "the item the woken put() added",
                    "被唤醒的 put() 放入的元素"
                )
            );
        }

        #[test]
        fn get_waits_while_empty() {
            for timeout in [None, Some(FOREVER)] {
                let q = queue(2);
                let getter = {
                    let q = Arc::clone(&q);
                    blocked::spawn("getter", move || q.get(timeout))
                };
                wait_until_blocked(
                    &getter,
                    &say!(
                        "get({timeout:?}) on an empty queue must sleep until an item comes",
                        "对空队列 get({timeout:?}) 应当睡眠，直到有元素到来"
                    ),
                );
                q.put(7).expect("room");
                let got = getter.join_within(
                    BOUND,
                    &say!(
                        "an item arrived but the thread blocked in get({timeout:?}) did not take it (a timed get must wake on the notification, not sleep out its timeout)",
                        "元素已经到来，但阻塞在 get({timeout:?}) 里的线程没有取走它（限时的 get 应当被通知唤醒，而不是睡满整个超时）",
                    ),
                );
                assert_eq!(got, Ok(7), "get({timeout:?})");
            }
        }

        #[test]
        fn close_wakes_every_waiter() {
            let q = queue(1);
            let getters: Vec<_> = (0..3)
                .map(|i| {
                    let q = Arc::clone(&q);
                    let timeout = if i == 0 { Some(FOREVER) } else { None };
                    blocked::spawn(&format!("getter-{i}"), move || q.get(timeout))
                })
                .collect();
            for g in &getters {
                wait_until_blocked(
                    g,
                    &say!(
                        "get() on an empty queue must sleep",
                        "对空队列 get() 应当睡眠"
                    ),
                );
            }
            q.close();
            let deadline = std::time::Instant::now() + BOUND;
            let woke = getters
                .iter()
                .filter(|g| {
                    g.returns_within(deadline.saturating_duration_since(std::time::Instant::now()))
                })
                .count();
            assert_eq!(
                woke,
                3,
                "{}",
                say!(
                    "close() woke {woke} of 3 threads blocked in get(): no item will ever come, so every waiter must hear it (notify_all)",
                    "close() 只唤醒了 3 个阻塞在 get() 里的线程中的 {woke} 个：不会再有元素了，所有等待者都要知道（notify_all）",
                )
            );
            for g in getters {
                assert_eq!(
                    g.join_within(BOUND, "join"),
                    Err(GetError::Closed),
                    "{}",
                    say!("get() woken by close()", "被 close() 唤醒的 get()")
                );
            }
        }

        #[test]
        fn close_gives_a_waiting_putter_its_item_back() {
            let q = queue(1);
            q.put(1).expect("room");
            let putter = {
                let q = Arc::clone(&q);
                blocked::spawn("putter", move || q.put(2))
            };
            wait_until_blocked(
                &putter,
                &say!(
                    "put(2) on a full queue must sleep",
                    "对满队列 put(2) 应当睡眠"
                ),
            );
            q.close();
            let put = putter.join_within(
                BOUND,
                &say!(
                    "close() did not wake the thread blocked in put()",
                    "close() 没有唤醒阻塞在 put() 里的线程"
                ),
            );
            assert_eq!(
                put,
                Err(Closed(2)),
                "{}",
                say!(
                    "put(2) woken by close() gives its item back",
                    "被 close() 唤醒的 put(2) 要把元素还回来"
                )
            );
            assert_eq!(
                q.try_get(),
                Ok(1),
                "{}",
                say!("the item put before close()", "close() 之前放入的元素")
            );
        }

        #[test]
        fn a_waiter_leaves_the_lock_free() {
            let q = queue(1);
            let getter = {
                let q = Arc::clone(&q);
                blocked::spawn("getter", move || q.get(None))
            };
            wait_until_blocked(
                &getter,
                &say!(
                    "get(None) on an empty queue must sleep",
                    "对空队列 get(None) 应当睡眠"
                ),
            );
            let q2 = Arc::clone(&q);
            let (len, closed) = within(
                BOUND,
                &say!(
                    "len() and is_closed() did not answer while a thread waited in get(): the waiter holds the lock while it waits (Condvar::wait releases it; a guard kept across a sleep does not)",
                    "有线程在 get() 里等待时，len() 和 is_closed() 没有回答：等待者睡眠时还拿着锁\
                     （Condvar::wait 会释放锁；睡眠时一直留着的 guard 不会）",
                ),
                move || (q2.len(), q2.is_closed()),
            );
            assert_eq!((len, closed), (0, false), "len(), is_closed()");
            q.put(3).expect("room");
            assert_eq!(
                getter.join_within(
                    BOUND,
                    &say!(
                        "put() did not wake the getter",
                        "put() 没有唤醒等待取出的线程"
                    )
                ),
                Ok(3)
            );
        }

        #[test]
        fn spurious_wakeups_are_slept_through() {
            let q = queue(1);
            let getter = {
                let q = Arc::clone(&q);
                blocked::spawn("getter", move || {
                    sync::sys::spurious_wakeups(3);
                    q.get(None)
                })
            };
            wait_until_blocked(
                &getter,
                &say!(
                    "get(None) on an empty queue must keep sleeping when its Condvar wakes it without a notification (here 3 spurious wakeups): check again in a `while` loop around Condvar::wait",
                    "对空队列 get(None) 即使被 Condvar 无通知地唤醒（这里是 3 次虚假唤醒）也要继续睡眠：在 Condvar::wait 外面用 `while` 循环重新检查",
                ),
            );
            q.put(4).expect("room");
            assert_eq!(
                getter.join_within(
                    BOUND,
                    &say!(
                        "put() did not wake the getter",
                        "put() 没有唤醒等待取出的线程"
                    )
                ),
                Ok(4)
            );

            q.put(5).expect("room");
            let putter = {
                let q = Arc::clone(&q);
                blocked::spawn("putter", move || {
                    sync::sys::spurious_wakeups(3);
                    q.put(6)
                })
            };
            wait_until_blocked(
                &putter,
                &say!(
                    "put(6) on a full queue must keep sleeping when its Condvar wakes it without a notification (here 3 spurious wakeups): check again in a `while` loop around Condvar::wait",
                    "对满队列 put(6) 即使被 Condvar 无通知地唤醒（这里是 3 次虚假唤醒）也要继续睡眠：在 Condvar::wait 外面用 `while` 循环重新检查",
                ),
            );
            assert_eq!(q.try_get(), Ok(5));
            assert_eq!(
                putter.join_within(
                    BOUND,
                    &say!(
                        "get() did not wake the putter",
                        "get() 没有唤醒等待放入的线程"
                    )
                ),
                Ok(())
            );
            assert_eq!(q.try_get(), Ok(6));
        }
    }
}

#[cfg(not(feature = "model"))]
mod transfer {
    use proptest::prelude::*;
    use rstest::rstest;

    use sync::{Account, TransferError, transfer};

    use crate::within::{BOUND, within};

    #[rstest]
    #[case::some(10, 0, 3, Ok(()), (7, 3))]
    #[case::everything(10, 0, 10, Ok(()), (0, 10))]
    #[case::nothing(10, 5, 0, Ok(()), (10, 5))]
    #[case::up_to_the_limit(5, u64::MAX - 5, 5, Ok(()), (0, u64::MAX))]
    #[case::too_little(2, 5, 3, Err(TransferError::InsufficientFunds { balance: 2, amount: 3 }), (2, 5))]
    #[case::overflow(5, u64::MAX, 1, Err(TransferError::Overflow { balance: u64::MAX, amount: 1 }), (5, u64::MAX))]
    #[case::too_little_before_overflow(2, u64::MAX, 3, Err(TransferError::InsufficientFunds { balance: 2, amount: 3 }), (2, u64::MAX))]
    fn examples(
        #[case] from: u64,
        #[case] to: u64,
        #[case] amount: u64,
        #[case] expected: Result<(), TransferError>,
        #[case] after: (u64, u64),
    ) {
        let (result, balances) = within(
            BOUND,
            &say!(
                "transfer() between two accounts did not return",
                "两个账户之间的 transfer() 没有返回"
            ),
            move || {
                let (a, b) = (Account::new(from), Account::new(to));
                let result = transfer(&a, &b, amount);
                (result, (a.balance(), b.balance()))
            },
        );
        assert_eq!(
            result,
            expected,
            "{}",
            say!(
                "transfer of {amount} from an account holding {from} to one holding {to}",
                "从余额 {from} 的账户转 {amount} 到余额 {to} 的账户",
            )
        );
        assert_eq!(
            balances,
            after,
            "{}",
            say!(
                "the two balances after moving {amount} from {from} to {to} (an error changes nothing)",
                "从 {from} 转 {amount} 到 {to} 之后的两个余额（出错时什么都不变）",
            )
        );
    }

    #[rstest]
    #[case::some(10, 3, Ok(()))]
    #[case::everything(10, 10, Ok(()))]
    #[case::too_little(2, 3, Err(TransferError::InsufficientFunds { balance: 2, amount: 3 }))]
    fn to_itself(
        #[case] balance: u64,
        #[case] amount: u64,
        #[case] expected: Result<(), TransferError>,
    ) {
        let (result, after) = within(
            BOUND,
            &say!(
                "transfer(a, a, {amount}) never returned: taking one account's lock twice deadlocks the thread with itself (check std::ptr::eq(from, to) first)",
                "transfer(a, a, {amount}) 一直没有返回：同一个账户的锁拿两次，线程就和自己死锁了（先用 std::ptr::eq(from, to) 判断）",
            ),
            move || {
                let a = Account::new(balance);
                (transfer(&a, &a, amount), a.balance())
            },
        );
        assert_eq!(
            result,
            expected,
            "{}",
            say!(
                "transfer(a, a, {amount}) with a holding {balance}",
                "a 余额为 {balance} 时 transfer(a, a, {amount})"
            )
        );
        assert_eq!(
            after,
            balance,
            "{}",
            say!(
                "a transfer from an account to itself changes nothing",
                "账户转给自己，什么都不变"
            )
        );
    }

    /// Random transfers from one thread against an array of balances.
    mod one_thread {
        use super::*;

        proptest! {
            #[test]
            fn agrees_with_plain_numbers(
                start in proptest::collection::vec(0u64..100, 3),
                moves in proptest::collection::vec((0usize..3, 0usize..3, 0u64..60), 0..40),
            ) {
                let accounts: Vec<Account> = start.iter().map(|&b| Account::new(b)).collect();
                let mut model = start.clone();
                for (i, &(from, to, amount)) in moves.iter().enumerate() {
                    let expected = if model[from] < amount {
                        Err(TransferError::InsufficientFunds { balance: model[from], amount })
                    } else {
                        model[from] -= amount;
                        model[to] += amount;
                        Ok(())
                    };
                    prop_assert_eq!(transfer(&accounts[from], &accounts[to], amount), expected,
                        "{}", say!("step {}: transfer({}, {}, {})", "第 {} 步：transfer({}, {}, {})", i, from, to, amount));
                    let balances: Vec<u64> = accounts.iter().map(Account::balance).collect();
                    prop_assert_eq!(&balances, &model, "{}", say!("step {}: balances", "第 {} 步：余额", i));
                }
            }
        }
    }
}

#[cfg(not(feature = "model"))]
mod parallel_sum {
    use std::collections::BTreeMap;
    use std::iter::Sum;
    use std::sync::Mutex;
    use std::thread::{self, ThreadId};

    use rstest::rstest;

    use sync::{MAX_THREADS, SumError, parallel_sum};

    use crate::within::{BOUND, within};

    #[rstest]
    #[case::empty_one_thread(&[], 1, 0)]
    #[case::empty_four_threads(&[], 4, 0)]
    #[case::one_item(&[5], 1, 5)]
    #[case::one_to_ten(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, 55)]
    #[case::more_threads_than_items(&[1, 2, 3], 8, 6)]
    #[case::negative(&[-4, 9, -5, 1], 2, 1)]
    fn examples(#[case] items: &'static [i64], #[case] threads: usize, #[case] expected: i64) {
        let sum = within(
            BOUND,
            &say!(
                "parallel_sum({items:?}, {threads}) did not return",
                "parallel_sum({items:?}, {threads}) 没有返回"
            ),
            move || parallel_sum(items, threads),
        );
        assert_eq!(sum, Ok(expected), "parallel_sum({items:?}, {threads})");
    }

    #[test]
    fn a_thread_count_out_of_range_is_an_error() {
        assert_eq!(
            parallel_sum(&[1i64, 2], 0),
            Err(SumError::NoThreads),
            "{}",
            say!("parallel_sum with 0 threads", "0 个线程的 parallel_sum")
        );
        assert_eq!(
            parallel_sum(&[1i64, 2], MAX_THREADS + 1),
            Err(SumError::TooManyThreads {
                requested: MAX_THREADS + 1,
                limit: MAX_THREADS
            }),
            "{}",
            say!(
                "parallel_sum with MAX_THREADS + 1 threads",
                "MAX_THREADS + 1 个线程的 parallel_sum"
            )
        );
        let sum = within(
            BOUND,
            &say!(
                "parallel_sum with MAX_THREADS threads did not return",
                "MAX_THREADS 个线程的 parallel_sum 没有返回"
            ),
            || parallel_sum(&[1i64, 2, 3], MAX_THREADS),
        );
        assert_eq!(
            sum,
            Ok(6),
            "{}",
            say!(
                "parallel_sum with MAX_THREADS threads",
                "MAX_THREADS 个线程的 parallel_sum"
            )
        );
    }

    mod properties {
        use super::*;
        use quickcheck_macros::quickcheck;

        /// Any numbers, any thread count from 1 to 16: the same sum as one loop.
        #[quickcheck]
        fn matches_the_sequential_sum(items: Vec<i32>, threads: u8) -> bool {
            let items: Vec<i64> = items.into_iter().map(i64::from).collect();
            let threads = 1 + usize::from(threads % 16);
            parallel_sum(&items, threads) == Ok(items.iter().sum::<i64>())
        }
    }

    /// What each worker thread summed: its thread, its name and how many items, one
    /// entry for every `Sum` call outside the calling thread (which sums the partial
    /// sums). A [`Gate`] makes the workers wait for each other.
    pub(crate) struct Log {
        caller: ThreadId,
        sums: Mutex<Vec<(ThreadId, Option<String>, usize)>>,
        gate: Option<crate::parallel_sum::Gate>,
    }

    impl Log {
        pub(crate) fn new(gate: Option<Gate>) -> &'static Log {
            // One small log a test: leaked, so the numbers that point at it can be Copy.
            Box::leak(Box::new(Log {
                caller: thread::current().id(),
                sums: Mutex::new(Vec::new()),
                gate,
            }))
        }

        /// Items summed by each worker thread, by thread.
        pub(crate) fn per_worker(&self) -> BTreeMap<String, (Option<String>, usize)> {
            let mut per = BTreeMap::new();
            for (id, name, count) in self.sums.lock().unwrap().iter() {
                let entry = per.entry(format!("{id:?}")).or_insert((name.clone(), 0));
                entry.1 += count;
            }
            per
        }
    }

    /// A number whose `Sum` writes down which thread summed how many items.
    #[derive(Clone, Copy)]
    pub(crate) struct Tally {
        pub(crate) value: i64,
        log: Option<&'static Log>,
    }

    impl Tally {
        pub(crate) fn list(n: usize, log: &'static Log) -> Vec<Tally> {
            (1..=n as i64)
                .map(|value| Tally {
                    value,
                    log: Some(log),
                })
                .collect()
        }
    }

    impl Sum for Tally {
        fn sum<I: Iterator<Item = Tally>>(items: I) -> Tally {
            let items: Vec<Tally> = items.collect();
            let log = items.iter().find_map(|t| t.log);
            if let Some(log) = log
                && !items.is_empty()
            {
                let me = thread::current();
                if me.id() != log.caller {
                    log.sums.lock().unwrap().push((
                        me.id(),
                        me.name().map(str::to_string),
                        items.len(),
                    ));
                    if let Some(gate) = &log.gate {
                        gate.arrive(me.id());
                    }
                }
            }
            Tally {
                value: items.iter().map(|t| t.value).sum(),
                log,
            }
        }
    }

    /// Holds each worker in its `Sum` until `expected` workers are in theirs at once
    /// (or the bound passes), and lists the process's `sum-*` threads at that moment.
    /// Only the Linux test that counts threads makes one.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub(crate) struct Gate {
        expected: usize,
        state: Mutex<GateState>,
        opened: std::sync::Condvar,
    }

    #[derive(Default)]
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub(crate) struct GateState {
        arrived: Vec<ThreadId>,
        open: bool,
        /// The threads named `sum-*` when the last expected worker arrived.
        pub(crate) seen: Option<Vec<String>>,
        /// How many workers were there at once when the bound passed, if it did.
        pub(crate) gave_up_at: Option<usize>,
    }

    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    impl Gate {
        pub(crate) fn new(expected: usize) -> Gate {
            Gate {
                expected,
                state: Mutex::new(GateState::default()),
                opened: std::sync::Condvar::new(),
            }
        }

        fn arrive(&self, me: ThreadId) {
            let mut state = self.state.lock().unwrap();
            if !state.arrived.contains(&me) {
                state.arrived.push(me);
            }
            if !state.open && state.arrived.len() >= self.expected {
                #[cfg(target_os = "linux")]
                {
                    state.seen = Some(crate::tasks::named("sum-"));
                }
                state.open = true;
                self.opened.notify_all();
            }
            let (mut state, timeout) = self
                .opened
                .wait_timeout_while(state, BOUND / 2, |state| !state.open)
                .unwrap();
            if timeout.timed_out() && !state.open {
                state.gave_up_at = Some(state.arrived.len());
                state.open = true;
                self.opened.notify_all();
            }
        }

        pub(crate) fn state(&self) -> std::sync::MutexGuard<'_, GateState> {
            self.state.lock().unwrap()
        }
    }

    /// How the items are shared out: by thread, without looking at names.
    mod shares {
        use super::*;

        #[rstest]
        #[case::even(12, 3)]
        #[case::remainder(10, 4)]
        #[case::remainder_one(7, 2)]
        #[case::one_thread(5, 1)]
        #[case::as_many_threads_as_items(4, 4)]
        #[case::more_threads_than_items(3, 5)]
        fn differ_by_one_item_at_most(#[case] len: usize, #[case] threads: usize) {
            let expected_sum = (len * (len + 1) / 2) as i64;
            let (sum, log) = within(
                BOUND,
                &say!(
                    "parallel_sum of {len} items on {threads} threads did not return",
                    "{threads} 个线程对 {len} 个元素的 parallel_sum 没有返回"
                ),
                move || {
                    // Made on the thread that calls parallel_sum: its own sums are not a worker's.
                    let log = Log::new(None);
                    let items = Tally::list(len, log);
                    (parallel_sum(&items, threads).map(|t| t.value), log)
                },
            );
            assert_eq!(
                sum,
                Ok(expected_sum),
                "{}",
                say!(
                    "parallel_sum of 1..={len} on {threads} threads",
                    "{threads} 个线程对 1..={len} 的 parallel_sum"
                )
            );
            let mut counts: Vec<usize> =
                log.per_worker().values().map(|(_, count)| *count).collect();
            counts.sort_unstable();
            let (short, longer) = (len / threads, len % threads);
            let mut expected: Vec<usize> = (0..threads)
                .map(|i| short + usize::from(i < longer))
                .filter(|&n| n > 0)
                .collect();
            expected.sort_unstable();
            assert_eq!(
                counts,
                expected,
                "{}",
                say!(
                    "how many of {len} items each worker thread summed, with {threads} threads (sorted; threads that summed none left out): every item once, and no thread more than one item ahead of another. Did the main thread sum some items itself, or did the last run get the whole remainder?",
                    "{threads} 个线程分 {len} 个元素时，每个工作线程各加了几个（已排序，一个都没加的线程不计）：\
                     每个元素恰好一次，任何两个线程相差不超过一个。是不是主线程自己加了一部分，或者最后一段拿了全部余数？",
                )
            );
        }
    }

    /// The threads themselves, as the operating system lists them (Linux: /proc).
    #[cfg(target_os = "linux")]
    mod threads {
        use super::*;
        use crate::child;

        const TEST: &str = "parallel_sum::threads::exactly_the_threads_asked_for_run_at_once";

        /// Counts threads, which is process-wide: each count runs in a child process of
        /// its own (`support/child.rs`), where no other test runs a thread.
        #[test]
        fn exactly_the_threads_asked_for_run_at_once() {
            if let Some(role) = child::role() {
                return counted(role.parse().expect("a thread count"));
            }
            for threads in [1, 2, 3, 8] {
                let out = child::run(TEST, &threads.to_string(), |_| {});
                assert!(
                    child::passed(&out),
                    "{}",
                    say!(
                        "parallel_sum(&items, {threads}) with more items than threads: {}",
                        "parallel_sum(&items, {threads})，元素比线程多：{}",
                        child::describe(&out),
                    )
                );
            }
        }

        /// The child's part: every worker waits in its `Sum` until all `threads` of them
        /// are there, and the last one in lists the threads named `sum-*`.
        fn counted(threads: usize) {
            crate::within::end_after(BOUND * 2);
            let log = Log::new(Some(Gate::new(threads)));
            let items = Tally::list(3 * threads + 1, log);
            let sum = parallel_sum(&items, threads).map(|t| t.value);
            let n = 3 * threads + 1;
            assert_eq!(
                sum,
                Ok((n * (n + 1) / 2) as i64),
                "{}",
                say!("the sum", "和")
            );
            let gate = log.gate.as_ref().expect("a gate");
            let state = gate.state();
            if let Some(together) = state.gave_up_at {
                panic!(
                    "{}",
                    say!(
                        "only {together} of {threads} threads were summing at the same time: start every thread before you join any (a join inside the loop that spawns runs them one after another)",
                        "同一时刻只有 {threads} 个线程中的 {together} 个在求和：先启动所有线程，再逐个 join（在创建线程的循环里 join，线程就一个接一个地运行了）",
                    )
                );
            }
            let mut expected: Vec<String> = (0..threads).map(|i| format!("sum-{i}")).collect();
            expected.sort();
            let names: Vec<Option<String>> = log
                .per_worker()
                .into_values()
                .map(|(name, _)| name)
                .collect();
            assert_eq!(
                state.seen.as_ref(),
                Some(&expected),
                "{}",
                say!(
                    "the threads named sum-* while all {threads} workers were summing (from /proc/self/task/*/comm); your workers were named {names:?}. Start each with sys::thread::spawn_named(scope, format!(\"sum-{{i}}\"), ...)",
                    "{threads} 个工作线程都在求和时，名为 sum-* 的线程（取自 /proc/self/task/*/comm）；你的工作线程名为 {names:?}。用 sys::thread::spawn_named(scope, format!(\"sum-{{i}}\"), ...) 启动每个线程",
                )
            );
        }
    }
}

/// Each primitive's `Debug` after a scripted sequence.
#[cfg(not(feature = "model"))]
mod debug {
    use sync::{Account, BlockingQueue, Event, Semaphore, transfer};

    #[test]
    fn event() {
        let event = Event::new();
        let mut lines = vec![format!("new:   {event:?}")];
        event.set();
        lines.push(format!("set:   {event:?}"));
        event.clear();
        lines.push(format!("clear: {event:?}"));
        insta::assert_snapshot!(lines.join("\n"));
    }

    #[test]
    fn semaphore() {
        let semaphore = Semaphore::new(3);
        let mut lines = vec![format!("new(3):        {semaphore:?}")];
        let first = semaphore.try_acquire().expect("a permit");
        let second = semaphore.try_acquire().expect("a permit");
        lines.push(format!("two taken:     {semaphore:?}"));
        lines.push(format!("a permit:      {first:?}"));
        drop(first);
        lines.push(format!("one back:      {semaphore:?}"));
        drop(second);
        lines.push(format!("all back:      {semaphore:?}"));
        insta::assert_snapshot!(lines.join("\n"));
    }

    #[test]
    fn queue() {
        let queue = BlockingQueue::new(3).expect("room");
        let mut lines = vec![format!("new(3):     {queue:?}")];
        queue.put("a").expect("room");
        queue.put("b").expect("room");
        lines.push(format!("put a, b:   {queue:?}"));
        queue.try_get().expect("an item");
        queue.put("c").expect("room");
        queue.put("d").expect("room");
        lines.push(format!("get, c, d:  {queue:?}"));
        queue.close();
        lines.push(format!("close:      {queue:?}"));
        insta::assert_snapshot!(lines.join("\n"));
    }

    #[test]
    fn account() {
        let (a, b) = (Account::new(10), Account::new(0));
        let mut lines = vec![format!("new:         {a:?} {b:?}")];
        transfer(&a, &b, 3).expect("enough");
        lines.push(format!("move 3:      {a:?} {b:?}"));
        transfer(&b, &a, 5).expect_err("too little");
        lines.push(format!("move 5 back: {a:?} {b:?}"));
        insta::assert_snapshot!(lines.join("\n"));
    }
}

/// What the compiler checks for us.
#[cfg(not(feature = "model"))]
mod compiler {
    use sync::{Account, BlockingQueue, Event, Permit, Semaphore};

    /// Compiles only when `T` may move to another thread (`Send`) and be shared
    /// between threads (`Sync`).
    fn send_and_sync<T: Send + Sync>() {}

    /// This test fails by not compiling: a primitive whose state lives in a `Cell` or
    /// an `Rc` is not `Sync`, and rustc names the field and this line.
    #[test]
    fn primitives_can_be_shared_between_threads() {
        send_and_sync::<Event>();
        send_and_sync::<Semaphore>();
        send_and_sync::<Permit<'static>>();
        send_and_sync::<BlockingQueue<String>>();
        send_and_sync::<Account>();
    }
}

/// A panic while a lock is held.
#[cfg(not(feature = "model"))]
mod poison {
    use std::fmt;
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::Arc;
    use std::time::Duration;

    use sync::BlockingQueue;

    /// An item whose `Debug` panics, so printing a queue panics while it holds the lock.
    #[derive(PartialEq, Eq)]
    struct Loud(i32);

    impl fmt::Debug for Loud {
        fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
            panic!("this item refuses to be printed (a panic on purpose)")
        }
    }

    #[test]
    fn a_queue_keeps_working_after_a_panic_while_locked() {
        let queue = Arc::new(BlockingQueue::new(3).expect("room"));
        queue.put(Loud(1)).expect("room");
        queue.put(Loud(2)).expect("room");
        let printer = Arc::clone(&queue);
        let printed = std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || format!("{printer:?}"))
            .expect("start a thread")
            .join();
        assert!(printed.is_err(), "printing a Loud item was meant to panic");
        let after = panic::catch_unwind(AssertUnwindSafe(|| {
            (
                queue.len(),
                queue.try_put(Loud(3)).is_ok(),
                queue.try_get().map(|l| l.0),
                queue.get(Some(Duration::ZERO)).map(|l| l.0),
                queue.is_closed(),
            )
        }));
        match after {
            Ok(answers) => assert_eq!(
                answers,
                (2, true, Ok(1), Ok(2), false),
                "len, try_put, try_get, get, is_closed"
            ),
            Err(payload) => panic!(
                "{}",
                say!(
                    "a thread panicked while it held the queue's lock (an item's Debug panicked while the queue was printed); after that the queue itself panicked: {}. The lock is now poisoned, but the queue's state is whole (no step leaves it half-changed): take the guard anyway with lock().unwrap_or_else(PoisonError::into_inner)",
                    "有线程在持有队列的锁时 panic 了（打印队列时某个元素的 Debug panic）；之后队列自己也 panic 了：{}。这把锁已经中毒，但队列的状态是完整的（没有哪一步会只改一半）：照样拿到 guard，用 lock().unwrap_or_else(PoisonError::into_inner)",
                    panic_text(payload.as_ref()),
                )
            ),
        }
    }

    fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    }
}

/// Many threads at once on real threads: whatever orders the machine happens to run
/// them in. The `model` feature runs the same scenarios under the model checker.
#[cfg(not(feature = "model"))]
mod interleavings {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    use proptest::prelude::*;

    use sync::{Account, BlockingQueue, GetError, Semaphore, transfer};

    use crate::within::{BOUND, within};

    /// Producers put `(producer, sequence number)`, consumers get until `Closed`;
    /// returns what each consumer got, in the order it got it.
    fn producers_and_consumers(
        producers: usize,
        consumers: usize,
        each: usize,
        capacity: usize,
    ) -> Vec<Vec<(usize, usize)>> {
        let queue = Arc::new(BlockingQueue::new(capacity).expect("room"));
        let putters: Vec<_> = (0..producers)
            .map(|p| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || {
                    for i in 0..each {
                        queue
                            .put((p, i))
                            .expect("the queue is open while producers run");
                    }
                })
            })
            .collect();
        let getters: Vec<_> = (0..consumers)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || {
                    let mut got = Vec::new();
                    loop {
                        match queue.get(None) {
                            Ok(item) => got.push(item),
                            Err(GetError::Closed) => return got,
                            Err(GetError::Empty) => panic!("{}", say!(
                                "get(None) answered Empty: without a timeout it waits for an item or for close()",
                                "get(None) 回答了 Empty：没有超时的 get 要一直等到有元素或 close()",
                            )),
                        }
                    }
                })
            })
            .collect();
        for putter in putters {
            putter
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
        queue.close();
        getters
            .into_iter()
            .map(|getter| {
                getter
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Every item reaches exactly one consumer, and each consumer sees each
        /// producer's items in the order they were put.
        #[test]
        fn every_item_reaches_one_getter_in_order(
            producers in 1usize..4,
            consumers in 1usize..4,
            each in 0usize..200,
            capacity in 1usize..4,
        ) {
            let got = within(
                BOUND,
                &say!(
                    "{producers} producers and {consumers} consumers on a queue of capacity {capacity} never finished: a wakeup lost (a put that notifies nobody, a notify_one that wakes a thread of the wrong kind), or close() not waking every waiter",
                    "容量为 {capacity} 的队列上，{producers} 个生产者和 {consumers} 个消费者一直没有结束：\
                     丢了一次唤醒（put 没有通知任何人、notify_one 叫醒了另一类线程），或者 close() 没有唤醒所有等待者",
                ),
                move || producers_and_consumers(producers, consumers, each, capacity),
            );
            let mut all: Vec<(usize, usize)> = got.iter().flatten().copied().collect();
            all.sort_unstable();
            let expected: Vec<(usize, usize)> = (0..producers).flat_map(|p| (0..each).map(move |i| (p, i))).collect();
            prop_assert_eq!(all.len(), expected.len(), "{}", say!("items got in all, against items put", "取到的元素总数与放入的元素总数"));
            prop_assert!(all == expected, "{}", say!("every item put must be got exactly once", "放入的每个元素都要恰好被取到一次"));
            for (c, items) in got.iter().enumerate() {
                for p in 0..producers {
                    let order: Vec<usize> = items.iter().filter(|(q, _)| *q == p).map(|(_, i)| *i).collect();
                    prop_assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", say!(
                        "consumer {} got producer {}'s items out of order: {:?} (first in, first out)",
                        "消费者 {} 取到生产者 {} 的元素顺序不对：{:?}（先进先出）", c, p, order));
                }
            }
        }
    }

    #[test]
    fn transfers_in_opposite_directions_never_deadlock() {
        let total = within(
            BOUND,
            &say!(
                "10,000 transfers a→b on one thread and 10,000 b→a on another never finished: each thread holds one account's lock and waits for the other's (a deadlock, 死锁). Take the two locks in one order every thread agrees on, whatever the direction",
                "一个线程做 10,000 次 a→b、另一个做 10,000 次 b→a，一直没有结束：\
                 每个线程拿着一个账户的锁，等着另一个（死锁）。不管转账方向如何，所有线程都按同一个顺序拿两把锁",
            ),
            || {
                let a = Arc::new(Account::new(1000));
                let b = Arc::new(Account::new(1000));
                let movers: Vec<_> = [(0, 1), (1, 0), (0, 0), (1, 1)]
                    .into_iter()
                    .map(|(from, to)| {
                        let accounts = [Arc::clone(&a), Arc::clone(&b)];
                        thread::spawn(move || {
                            for i in 0..10_000u64 {
                                // Amounts 1 to 7; too little money is fine, a lost one is not.
                                let _ = transfer(&accounts[from], &accounts[to], 1 + i * 5 % 7);
                            }
                        })
                    })
                    .collect();
                for mover in movers {
                    mover
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p));
                }
                a.balance() + b.balance()
            },
        );
        assert_eq!(
            total,
            2000,
            "{}",
            say!(
                "the total of the two balances after 20,000 transfers between them: money was made or lost",
                "两个账户之间转账 20,000 次之后的余额总和：钱变多或变少了",
            )
        );
    }

    #[test]
    fn a_semaphore_admits_no_more_than_its_permits() {
        let (most, left) = within(
            BOUND,
            &say!(
                "4 threads taking and giving back 2 permits 500 times each never finished: a permit given back without waking a waiter?",
                "4 个线程各自取还 2 个许可 500 次，一直没有结束：归还许可时没有唤醒等待者？",
            ),
            || {
                let semaphore = Arc::new(Semaphore::new(2));
                let inside = Arc::new(AtomicUsize::new(0));
                let most = Arc::new(AtomicUsize::new(0));
                let workers: Vec<_> = (0..4)
                    .map(|_| {
                        let (semaphore, inside, most) = (
                            Arc::clone(&semaphore),
                            Arc::clone(&inside),
                            Arc::clone(&most),
                        );
                        thread::spawn(move || {
                            for _ in 0..500 {
                                let _permit = semaphore.acquire();
                                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                                most.fetch_max(now, Ordering::SeqCst);
                                inside.fetch_sub(1, Ordering::SeqCst);
                            }
                        })
                    })
                    .collect();
                for worker in workers {
                    worker
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p));
                }
                (most.load(Ordering::SeqCst), semaphore.available())
            },
        );
        assert!(
            most <= 2,
            "{}",
            say!(
                "{most} threads held a permit of Semaphore::new(2) at the same time",
                "Semaphore::new(2) 的许可同时被 {most} 个线程持有",
            )
        );
        assert_eq!(
            left,
            2,
            "{}",
            say!(
                "available() once every permit is back",
                "所有许可归还之后的 available()"
            )
        );
    }
}

/// The model-check tier (`--features model`): each scenario runs under shuttle's
/// scheduler, which picks the next thread at every lock, wait and notify from a fixed
/// seed, thousands of times. A lost wakeup shows as a deadlock, a stolen one as a
/// thread that goes on without what it waited for, a lock-order mistake as a deadlock:
/// the same schedule on every run.
#[cfg(feature = "model")]
mod interleavings {
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use shuttle::scheduler::RandomScheduler;
    use shuttle::thread;
    use shuttle::{Config, Runner};

    use sync::{Account, BlockingQueue, Event, GetError, Semaphore, parallel_sum, transfer};

    /// The seed of every exploration. Fixed: the same thread orders on every run.
    const SEED: u64 = 0x5EED_0F5A_17C4;
    /// Thread orders tried per scenario.
    const RUNS: usize = 1000;

    /// Runs `scenario` under the model checker; a failure in any thread order fails
    /// the test with `mistake` (what usually causes it) and shuttle's own report.
    fn explore(mistake: &str, scenario: impl Fn() + Send + Sync + 'static) {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&runs);
        let found = panic::catch_unwind(AssertUnwindSafe(|| {
            Runner::new(
                RandomScheduler::new_from_seed(SEED, RUNS),
                Config::default(),
            )
            .run(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                scenario();
            });
        }));
        if let Err(payload) = found {
            let run = runs.load(Ordering::SeqCst);
            let report = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "{}\n{mistake}\n{}: {report}",
                say!(
                    "the model checker found a thread order in which this goes wrong (run {run} of {RUNS}, seed {SEED:#x})",
                    "模型检查器找到了一种会出错的线程执行顺序（第 {run} 次，共 {RUNS} 次，种子 {SEED:#x}）",
                ),
                say!("what it saw", "它看到的是"),
            );
        }
    }

    #[test]
    fn set_wakes_every_waiter() {
        explore(
            &say!(
                "Likely: a wakeup lost between checking the flag and waiting (check and wait under one lock, in one loop), or set() waking one waiter of two (notify_one).",
                "可能的原因：检查标志和开始等待之间丢了一次唤醒（在同一把锁下、同一个循环里检查并等待），或者 set() 只唤醒了两个等待者中的一个（notify_one）。",
            ),
            || {
                let event = Arc::new(Event::new());
                let waiters: Vec<_> = (0..2)
                    .map(|_| {
                        let event = Arc::clone(&event);
                        thread::spawn(move || event.wait(None))
                    })
                    .collect();
                event.set();
                for waiter in waiters {
                    assert!(
                        waiter.join().expect("a waiter"),
                        "wait(None) returned false"
                    );
                }
            },
        );
    }

    #[test]
    fn a_semaphore_admits_no_more_than_its_permits() {
        explore(
            &say!(
                "Likely: `if` instead of `while` around the wait (another thread took the permit between the notification and the waiter's return: a stolen wakeup), or a permit given back after the notification (a lost wakeup).",
                "可能的原因：等待外面用了 `if` 而不是 `while`（通知和等待者返回之间，另一个线程拿走了许可：被偷走的唤醒），或者先通知、后归还许可（丢失的唤醒）。",
            ),
            || {
                let semaphore = Arc::new(Semaphore::new(1));
                let inside = Arc::new(AtomicUsize::new(0));
                let workers: Vec<_> = (0..3)
                    .map(|_| {
                        let (semaphore, inside) = (Arc::clone(&semaphore), Arc::clone(&inside));
                        thread::spawn(move || {
                            let _permit = semaphore.acquire();
                            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                            assert_eq!(now, 1, "two threads held the one permit at once");
                            thread::yield_now();
                            inside.fetch_sub(1, Ordering::SeqCst);
                        })
                    })
                    .collect();
                for worker in workers {
                    worker.join().expect("a worker");
                }
                assert_eq!(
                    semaphore.available(),
                    1,
                    "available() once the permit is back"
                );
            },
        );
    }

    #[test]
    fn every_item_reaches_one_getter() {
        explore(
            &say!(
                "Likely: one Condvar for both 'not empty' and 'not full' woken with notify_one (a producer wakes a producer, and the consumer that should have woken sleeps on), `if` instead of `while` around a wait, or close() waking one waiter only.",
                "可能的原因：“不空”和“不满”共用一个 Condvar 又用 notify_one 唤醒（生产者叫醒了生产者，本该醒来的消费者继续睡），等待外面用了 `if` 而不是 `while`，或者 close() 只唤醒了一个等待者。",
            ),
            || {
                let queue = Arc::new(BlockingQueue::new(1).expect("room"));
                let putters: Vec<_> = (0..2)
                    .map(|p| {
                        let queue = Arc::clone(&queue);
                        thread::spawn(move || {
                            for i in 0..2 {
                                queue.put((p, i)).expect("open");
                            }
                        })
                    })
                    .collect();
                let getters: Vec<_> = (0..2)
                    .map(|_| {
                        let queue = Arc::clone(&queue);
                        thread::spawn(move || {
                            let mut got = Vec::new();
                            loop {
                                match queue.get(None) {
                                    Ok(item) => got.push(item),
                                    Err(GetError::Closed) => return got,
                                    Err(GetError::Empty) => panic!("get(None) answered Empty"),
                                }
                            }
                        })
                    })
                    .collect();
                for putter in putters {
                    putter.join().expect("a producer");
                }
                queue.close();
                let mut all: Vec<(i32, i32)> = getters
                    .into_iter()
                    .flat_map(|g| g.join().expect("a consumer"))
                    .collect();
                all.sort_unstable();
                assert_eq!(
                    all,
                    [(0, 0), (0, 1), (1, 0), (1, 1)],
                    "every item got exactly once"
                );
            },
        );
    }

    #[test]
    fn close_wakes_every_waiter() {
        explore(
            &say!(
                "Likely: close() waking one waiter (notify_one), or a waiter that does not look at `closed` when it wakes.",
                "可能的原因：close() 只唤醒了一个等待者（notify_one），或者等待者醒来后没有检查 `closed`。",
            ),
            || {
                let queue: Arc<BlockingQueue<i32>> = Arc::new(BlockingQueue::new(1).expect("room"));
                let getters: Vec<_> = (0..2)
                    .map(|_| {
                        let queue = Arc::clone(&queue);
                        thread::spawn(move || queue.get(None))
                    })
                    .collect();
                queue.close();
                for getter in getters {
                    assert_eq!(getter.join().expect("a getter"), Err(GetError::Closed));
                }
            },
        );
    }

    #[test]
    fn transfers_in_opposite_directions_never_deadlock() {
        explore(
            &say!(
                "Likely: the two locks taken in argument order, so a→b takes a then b while b→a takes b then a (a deadlock, 死锁). Take them in one order every thread agrees on.",
                "可能的原因：按参数顺序拿两把锁，a→b 先拿 a 再拿 b，b→a 先拿 b 再拿 a（死锁）。所有线程都按同一个顺序拿锁。",
            ),
            || {
                let a = Arc::new(Account::new(10));
                let b = Arc::new(Account::new(10));
                let movers: Vec<_> = [(0, 1), (1, 0)]
                    .into_iter()
                    .map(|(from, to)| {
                        let accounts = [Arc::clone(&a), Arc::clone(&b)];
                        thread::spawn(move || {
                            transfer(&accounts[from], &accounts[to], 3).expect("enough money");
                        })
                    })
                    .collect();
                for mover in movers {
                    mover.join().expect("a transfer");
                }
                assert_eq!(
                    (a.balance(), b.balance()),
                    (10, 10),
                    "balances after 3 each way"
                );
            },
        );
    }

    #[test]
    fn parallel_sum_adds_up() {
        explore(
            &say!(
                "Likely: a partial sum lost or counted twice.",
                "可能的原因：某个部分和丢了或算了两次。"
            ),
            || {
                let items: Vec<i64> = (1..=7).collect();
                assert_eq!(parallel_sum(&items, 3), Ok(28));
            },
        );
    }
}

/// The suite's own instruments (`tests/support/`), checked on their own: a failure
/// here is the machine's (no /proc?) or the instrument's, never the kata's.
#[cfg(not(feature = "model"))]
mod instruments {
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::time::Duration;

    use crate::child;
    use crate::within::{self, within};

    const SHORT_BOUND: Duration = Duration::from_millis(200);

    fn panic_message(f: impl FnOnce()) -> String {
        let payload = panic::catch_unwind(AssertUnwindSafe(f)).expect_err("it was meant to fail");
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    }

    /// Work that never ends: it waits for a message whose sender it keeps.
    fn stuck() {
        let (_keep, never) = mpsc::channel::<()>();
        let _ = never.recv();
    }

    #[test]
    fn within_returns_what_the_work_returns() {
        assert_eq!(within(within::BOUND, "unused", || 6 * 7), 42);
    }

    #[test]
    fn within_names_the_mistake_when_the_work_never_ends() {
        let message = panic_message(|| within(SHORT_BOUND, "the likely mistake", stuck));
        assert!(
            message.starts_with("the likely mistake"),
            "within()'s message: {message}"
        );
    }

    #[test]
    fn within_passes_a_panic_of_the_work_on() {
        let message =
            panic_message(|| within(within::BOUND, "unused", || panic!("the work's own message")));
        assert_eq!(message, "the work's own message");
    }

    /// A helper thread left blocked by `within` must not keep its process alive: run in
    /// a child process, which must end by itself once its test returns.
    #[test]
    fn within_leaves_nothing_running() {
        const TEST: &str = "instruments::within_leaves_nothing_running";
        if child::role().is_some() {
            within::end_after(within::BOUND);
            let _ = panic_message(|| within(SHORT_BOUND, "stuck on purpose", stuck));
            return;
        }
        let out = child::run(TEST, "stuck", |_| {});
        assert!(child::passed(&out), "{}", child::describe(&out));
    }

    #[test]
    fn spurious_wakeups_wake_a_waiter_nobody_notified() {
        use sync::sys::{Condvar, Mutex};
        let lock = Mutex::new(());
        let cond = Condvar::new();
        let woke = within(within::BOUND, "a spurious wakeup did not come", move || {
            sync::sys::spurious_wakeups(2);
            let guard = lock.lock().unwrap();
            let guard = cond.wait(guard).unwrap();
            let _guard = cond.wait(guard).unwrap();
            true
        });
        assert!(woke);
    }

    #[cfg(target_os = "linux")]
    mod linux {
        use super::*;
        use crate::blocked::{self, wait_until_blocked, wait_until_blocked_for};
        use crate::tasks;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};

        #[test]
        fn a_thread_knows_its_own_id() {
            let here = blocked::current_tid();
            let there = blocked::spawn("probe", blocked::current_tid);
            let tid = there.tid();
            assert_eq!(there.join_within(within::BOUND, "join"), tid);
            assert_ne!(here, tid, "two threads, two ids");
        }

        #[test]
        fn wait_until_blocked_sees_a_parked_thread() {
            let (wake, woken) = mpsc::channel::<u32>();
            let sleeper = blocked::spawn("sleeper", move || woken.recv().expect("a message"));
            wait_until_blocked(&sleeper, "a thread blocked in recv()");
            wake.send(7).expect("the sleeper listens");
            assert_eq!(
                sleeper.join_within(within::BOUND, "the sleeper did not wake"),
                7
            );
        }

        /// Busy-waiting threads, each stopped by `done` once the check has failed.
        fn busy(name: &str, pause: Option<Duration>) -> (blocked::Watched<()>, Arc<AtomicBool>) {
            let done = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&done);
            let thread = blocked::spawn(name, move || {
                while !flag.load(Ordering::SeqCst) {
                    match pause {
                        Some(pause) => std::thread::sleep(pause),
                        None => std::hint::spin_loop(),
                    }
                }
            });
            (thread, done)
        }

        #[test]
        fn wait_until_blocked_names_a_spinning_thread() {
            let (spinner, done) = busy("spinner", None);
            let message =
                panic_message(|| wait_until_blocked_for(&spinner, SHORT_BOUND * 2, "a spinner"));
            done.store(true, Ordering::SeqCst);
            spinner.join_within(within::BOUND, "the spinner did not stop");
            assert!(
                message.contains("busy-waiting"),
                "wait_until_blocked's message: {message}"
            );
        }

        #[test]
        fn wait_until_blocked_names_a_sleep_loop() {
            let (napper, done) = busy("napper", Some(Duration::from_millis(2)));
            let message =
                panic_message(|| wait_until_blocked_for(&napper, SHORT_BOUND * 2, "a napper"));
            done.store(true, Ordering::SeqCst);
            napper.join_within(within::BOUND, "the napper did not stop");
            assert!(
                message.contains("busy-waiting"),
                "wait_until_blocked's message: {message}"
            );
        }

        #[test]
        fn wait_until_blocked_names_a_thread_that_returned() {
            let quick = blocked::spawn("quick", || 5);
            let message = panic_message(|| wait_until_blocked(&quick, "a quick thread"));
            assert!(
                message.contains("did not wait"),
                "wait_until_blocked's message: {message}"
            );
            assert_eq!(quick.join_within(within::BOUND, "join"), 5);
        }

        /// Counts threads, which is process-wide: the counting runs in a child process
        /// of its own (`support/child.rs`).
        #[test]
        fn threads_are_listed_by_name() {
            const TEST: &str = "instruments::linux::threads_are_listed_by_name";
            if child::role().is_some() {
                within::end_after(within::BOUND);
                let (release, released) = mpsc::channel::<()>();
                let released = Arc::new(std::sync::Mutex::new(released));
                let probes: Vec<_> = (0..3)
                    .map(|i| {
                        let released = Arc::clone(&released);
                        blocked::spawn(&format!("probe-{i}"), move || {
                            let _ = released.lock().unwrap().recv();
                        })
                    })
                    .collect();
                // Alive for sure: each one is seen asleep (one in recv, two on the lock).
                for probe in &probes {
                    wait_until_blocked(probe, "a probe thread");
                }
                assert_eq!(tasks::named("probe-"), ["probe-0", "probe-1", "probe-2"]);
                assert!(tasks::named("nothing-is-named-so").is_empty());
                drop(release);
                for probe in probes {
                    probe.join_within(within::BOUND, "a probe did not end");
                }
                return;
            }
            let out = child::run(TEST, "count", |_| {});
            assert!(child::passed(&out), "{}", child::describe(&out));
        }
    }
}
