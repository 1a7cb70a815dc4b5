//! The suite of the queue kata (队列). It grades both `exercises/queue` (your code) and
//! `solutions/queue` (the reference): both crates name this file as their test.
//!
//! Test names follow `exercises/queue/README.md`, "What the tests check": the tests of
//! each queue live in their own module (`seq_queue::...`, `linked_queue::...`), so a
//! failure names the queue and the promise that broke.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
#[path = "support/drops.rs"]
mod drops;

use std::collections::VecDeque;
use std::fmt::Debug;

use proptest::prelude::*;
use queue::{LinkedQueue, QueueFull, SeqQueue};

/// The most items any iteration in this suite will pull, so that an iterator that
/// never ends (a cycle in the links, a ring walked round and round) fails instead of
/// hanging.
const ITER_LIMIT: usize = 1 << 20;

/// Collects what `iter` yields, pulling at most one item more than `len`, and checks
/// that it yields exactly `len` items.
#[track_caller]
fn collect_bounded<'a, T: 'a>(iter: impl Iterator<Item = &'a T>, len: usize) -> Vec<&'a T> {
    let items: Vec<&T> = iter.take(len.saturating_add(1).min(ITER_LIMIT)).collect();
    assert!(
        items.len() == len,
        "{}",
        say!(
            "iter() yielded {}{} items, but len() says {len}",
            "iter() 产出了{}{} 个元素，但 len() 是 {len}",
            if items.len() > len {
                say!("more than ", "超过 ")
            } else {
                String::new()
            },
            items.len().min(len)
        )
    );
    items
}

/// The items of a SeqQueue, front to back, through `iter()`.
fn seq_items<T: Clone>(q: &SeqQueue<T>) -> Vec<T> {
    collect_bounded(q.iter(), q.len())
        .into_iter()
        .cloned()
        .collect()
}

/// The items of a LinkedQueue, front to back, through `iter()`.
fn linked_items<T: Clone>(q: &LinkedQueue<T>) -> Vec<T> {
    collect_bounded(q.iter(), q.len())
        .into_iter()
        .cloned()
        .collect()
}

/// Checks everything a SeqQueue can say about itself against the model `VecDeque`.
/// `when` describes the moment, for the message.
#[track_caller]
fn check_seq<T: Clone + PartialEq + Debug>(
    q: &SeqQueue<T>,
    model: &VecDeque<T>,
    capacity: usize,
    when: &str,
) {
    assert_eq!(
        q.capacity(),
        capacity,
        "{}",
        say!(
            "{when}: capacity() changed; it must stay what with_capacity was given",
            "{when}：capacity() 变了；它必须一直是 with_capacity 给定的值"
        )
    );
    assert_eq!(
        q.len(),
        model.len(),
        "{}",
        say!("{when}: len() is wrong", "{when}：len() 不对")
    );
    assert_eq!(
        q.is_empty(),
        model.is_empty(),
        "{}",
        say!(
            "{when}: is_empty() is wrong for a queue of {} items",
            "{when}：对有 {} 个元素的队列，is_empty() 不对",
            model.len()
        )
    );
    assert_eq!(
        q.is_full(),
        model.len() == capacity,
        "{}",
        say!(
            "{when}: is_full() is wrong for {} items in a queue of capacity {capacity}",
            "{when}：容量为 {capacity} 的队列有 {} 个元素，is_full() 不对",
            model.len()
        )
    );
    assert_eq!(
        q.peek(),
        model.front(),
        "{}",
        say!(
            "{when}: peek() must show the front item (队头)",
            "{when}：peek() 必须给出队头元素"
        )
    );
    let items = seq_items(q);
    let expected: Vec<T> = model.iter().cloned().collect();
    assert_eq!(
        items,
        expected,
        "{}",
        say!(
            "{when}: iter() must yield the items front to back",
            "{when}：iter() 必须从队头到队尾产出元素"
        )
    );
    for (i, item) in expected.iter().enumerate() {
        assert_eq!(
            q.get(i),
            Some(item),
            "{}",
            say!(
                "{when}: get({i}) must be the item {i} places behind the front",
                "{when}：get({i}) 必须是队头后面第 {i} 个元素"
            )
        );
    }
    assert_eq!(
        q.get(model.len()),
        None,
        "{}",
        say!(
            "{when}: get(len()) must be None: there is no item there",
            "{when}：get(len()) 必须是 None：那里没有元素"
        )
    );
    let far =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| q.get(usize::MAX).is_none()));
    assert!(
        matches!(far, Ok(true)),
        "{}",
        say!(
            "{when}: get(usize::MAX) must be None, without a panic: check `index < len()` \
             before working out the slot, or `head + index` overflows",
            "{when}：get(usize::MAX) 必须是 None，而且不能 panic：先检查 `index < len()` 再计算槽位，否则 `head + index` 会溢出"
        )
    );
}

/// Checks everything a LinkedQueue can say about itself against the model `VecDeque`.
#[track_caller]
fn check_linked<T: Clone + PartialEq + Debug>(q: &LinkedQueue<T>, model: &VecDeque<T>, when: &str) {
    assert_eq!(
        q.len(),
        model.len(),
        "{}",
        say!("{when}: len() is wrong", "{when}：len() 不对")
    );
    assert_eq!(
        q.is_empty(),
        model.is_empty(),
        "{}",
        say!(
            "{when}: is_empty() is wrong for a queue of {} items",
            "{when}：对有 {} 个元素的队列，is_empty() 不对",
            model.len()
        )
    );
    assert_eq!(
        q.peek(),
        model.front(),
        "{}",
        say!(
            "{when}: peek() must show the front item (队头)",
            "{when}：peek() 必须给出队头元素"
        )
    );
    let items = linked_items(q);
    let expected: Vec<T> = model.iter().cloned().collect();
    assert_eq!(
        items,
        expected,
        "{}",
        say!(
            "{when}: iter() must yield the items front to back",
            "{when}：iter() 必须从队头到队尾产出元素"
        )
    );
}

/// What happened when a script ran: the results of the `-` steps, the values refused
/// by `+` steps, and what stayed queued.
#[derive(Debug, PartialEq)]
struct Outcome {
    dequeued: Vec<Option<i32>>,
    refused: Vec<i32>,
    remaining: Vec<i32>,
}

/// The steps of a script: `+N` enqueues N, `-` dequeues.
fn steps(script: &str) -> impl Iterator<Item = Option<i32>> + '_ {
    script.split_whitespace().map(|step| match step {
        "-" => None,
        _ => Some(
            step.strip_prefix('+')
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("bad step {step:?} in the test's script")),
        ),
    })
}

/// One operation of a model-based test.
#[derive(Debug, Clone)]
enum Op {
    Enqueue(i32),
    Dequeue,
    Peek,
}

/// Random operation sequences, a little more enqueues than dequeues so that small
/// queues fill up, refuse, drain and wrap round again and again.
fn ops(max_len: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            5 => (0i32..1000).prop_map(Op::Enqueue),
            4 => Just(Op::Dequeue),
            1 => Just(Op::Peek),
        ],
        0..max_len,
    )
}

mod seq_queue {
    use super::*;

    /// Runs `script` on a SeqQueue of `capacity`, checking it against the model after
    /// every step.
    fn run(capacity: usize, script: &str) -> Outcome {
        let mut q = SeqQueue::with_capacity(capacity);
        let mut model = VecDeque::new();
        let mut dequeued = Vec::new();
        let mut refused = Vec::new();
        check_seq(&q, &model, capacity, &say!("a new queue", "新建的队列"));
        for (i, step) in steps(script).enumerate() {
            match step {
                Some(x) => match q.enqueue(x) {
                    Ok(()) => model.push_back(x),
                    Err(e) => {
                        assert_eq!(
                            e,
                            QueueFull { value: x, capacity },
                            "{}",
                            say!(
                                "a refused enqueue({x}) must hand the value back with the capacity",
                                "被拒绝的 enqueue({x}) 必须把值和容量一起交还"
                            )
                        );
                        refused.push(e.value);
                    }
                },
                None => {
                    let got = q.dequeue();
                    model.pop_front();
                    dequeued.push(got);
                }
            }
            check_seq(
                &q,
                &model,
                capacity,
                &say!(
                    "capacity {capacity}, after step {} of {script:?}",
                    "容量 {capacity}，{script:?} 的第 {} 步之后",
                    i + 1
                ),
            );
        }
        Outcome {
            dequeued,
            refused,
            remaining: seq_items(&q),
        }
    }

    mod examples {
        use super::*;
        use rstest::rstest;

        #[rstest]
        #[case::new_queue(3, "", &[], &[], &[])]
        #[case::one_in_one_out(3, "+7 -", &[Some(7)], &[], &[])]
        #[case::first_in_first_out(5, "+1 +2 +3 - - +4", &[Some(1), Some(2)], &[], &[3, 4])]
        #[case::dequeue_on_empty(2, "- +1 - -", &[None, Some(1), None], &[], &[])]
        #[case::fill_exactly(3, "+1 +2 +3", &[], &[], &[1, 2, 3])]
        #[case::full_refuses(3, "+1 +2 +3 +4 +5", &[], &[4, 5], &[1, 2, 3])]
        #[case::wraps_round(3, "+1 +2 +3 - - +4 +5", &[Some(1), Some(2)], &[], &[3, 4, 5])]
        #[case::refuses_after_wrapping(3, "+1 +2 +3 - +4 +5", &[Some(1)], &[5], &[2, 3, 4])]
        #[case::drain_and_refill(2, "+1 +2 - - +3 +4 - +5", &[Some(1), Some(2), Some(3)], &[], &[4, 5])]
        #[case::capacity_one(1, "+1 +2 - +3 - -", &[Some(1), Some(3), None], &[2], &[])]
        #[case::capacity_zero(0, "+1 - +2", &[None], &[1, 2], &[])]
        fn examples(
            #[case] capacity: usize,
            #[case] script: &str,
            #[case] dequeued: &[Option<i32>],
            #[case] refused: &[i32],
            #[case] remaining: &[i32],
        ) {
            let outcome = run(capacity, script);
            let expected = Outcome {
                dequeued: dequeued.to_vec(),
                refused: refused.to_vec(),
                remaining: remaining.to_vec(),
            };
            assert_eq!(
                outcome,
                expected,
                "{}",
                say!(
                    "running {script:?} on a queue of capacity {capacity} (+N enqueues N, - dequeues)",
                    "在容量为 {capacity} 的队列上执行 {script:?}（+N 表示 enqueue N，- 表示 dequeue）"
                )
            );
        }

        /// The ring wrapped round many times: fill it, take some out, fill it again.
        #[rstest]
        fn long_wrap_around(#[values(1, 2, 3, 5, 8)] capacity: usize) {
            let mut q = SeqQueue::with_capacity(capacity);
            let mut model = VecDeque::new();
            let mut next = 0;
            for round in 0..40 {
                while model.len() < capacity {
                    assert_eq!(
                        q.enqueue(next),
                        Ok(()),
                        "{}",
                        say!(
                            "enqueue onto a queue that is not full",
                            "对未满的队列 enqueue"
                        )
                    );
                    model.push_back(next);
                    next += 1;
                }
                assert_eq!(
                    q.enqueue(-1),
                    Err(QueueFull {
                        value: -1,
                        capacity
                    }),
                    "{}",
                    say!(
                        "enqueue onto a full queue must be refused",
                        "对已满的队列 enqueue 必须被拒绝"
                    )
                );
                for _ in 0..=round % capacity {
                    assert_eq!(
                        q.dequeue(),
                        model.pop_front(),
                        "{}",
                        say!("dequeue in round {round}", "第 {round} 轮的 dequeue")
                    );
                }
                check_seq(
                    &q,
                    &model,
                    capacity,
                    &say!(
                        "capacity {capacity}, round {round}",
                        "容量 {capacity}，第 {round} 轮"
                    ),
                );
            }
        }

        #[test]
        fn holds_strings() {
            let mut q = SeqQueue::with_capacity(2);
            q.enqueue(String::from("队头")).unwrap();
            q.enqueue(String::from("队尾")).unwrap();
            assert_eq!(q.dequeue().as_deref(), Some("队头"));
            q.enqueue(String::from("新")).unwrap();
            assert_eq!(seq_items(&q), ["队尾", "新"]);
        }

        #[test]
        fn for_loop_over_a_reference() {
            let mut q = SeqQueue::with_capacity(3);
            for x in [1, 2, 3] {
                q.enqueue(x).unwrap();
            }
            q.dequeue();
            q.enqueue(4).unwrap();
            let mut seen = Vec::new();
            for x in &q {
                seen.push(*x);
                assert!(
                    seen.len() <= 3,
                    "{}",
                    say!(
                        "`for x in &queue` went past the 3 items",
                        "`for x in &queue` 越过了那 3 个元素"
                    )
                );
            }
            assert_eq!(
                seen,
                [2, 3, 4],
                "{}",
                say!(
                    "`for x in &queue` must go front to back",
                    "`for x in &queue` 必须从队头到队尾"
                )
            );
        }

        #[test]
        fn queue_full_is_an_error() {
            let e: Box<dyn std::error::Error> = Box::new(QueueFull {
                value: 'x',
                capacity: 0,
            });
            assert_eq!(e.to_string(), "queue is full (capacity 0)");
        }
    }

    /// A ring buffer leaves every item in its slot from enqueue to dequeue and moves
    /// the front index instead. Shifting the items forward on each dequeue (like
    /// Python's `list.pop(0)`) gives the right answers but costs n moves per dequeue;
    /// moves are invisible, so the test watches each item's address.
    #[rstest::rstest]
    fn items_stay_in_their_slots(#[values(2, 3, 5)] capacity: usize) {
        let mut q = SeqQueue::with_capacity(capacity);
        let mut addresses: VecDeque<(u64, *const u64)> = VecDeque::new();
        for value in 0..(6 * capacity as u64) {
            if q.is_full() {
                q.dequeue();
                addresses.pop_front();
            }
            q.enqueue(value).unwrap();
            let placed = q.get(q.len() - 1).expect(&say!(
                "get(len() - 1) is the item just enqueued",
                "get(len() - 1) 是刚入队的元素"
            ));
            addresses.push_back((value, placed as *const u64));
            for (i, &(v, at)) in addresses.iter().enumerate() {
                let now = q
                    .get(i)
                    .expect(&say!("get(i) for i < len()", "i < len() 时的 get(i)"));
                assert_eq!(
                    *now,
                    v,
                    "{}",
                    say!("get({i}) is the wrong item", "get({i}) 的元素不对")
                );
                assert!(
                    std::ptr::eq(now, at),
                    "{}",
                    say!(
                        "item {v} moved in memory (from {at:p} to {:p}) while it waited in the queue. \
                         A ring buffer (循环队列) never shifts its items: dequeue moves the front \
                         index on instead, so it takes the same time however full the queue is",
                        "元素 {v} 在队列里等待时被移动了位置（从 {at:p} 到 {:p}）。循环队列从不挪动元素：dequeue 只是把队头下标往后移，所以不管队列多满，用时都一样",
                        now as *const u64
                    )
                );
            }
        }
    }

    proptest! {
        /// Random operations on queues of capacity 0 to 16 (mostly 0 to 3), hundreds of
        /// operations each, checked against `VecDeque` after every step.
        #[test]
        fn matches_vecdeque(capacity in prop_oneof![3 => 0usize..=3, 1 => 4usize..=16], ops in ops(400)) {
            let mut q = SeqQueue::with_capacity(capacity);
            let mut model = VecDeque::new();
            for (i, op) in ops.iter().enumerate() {
                let when = say!(
                    "capacity {capacity}, operation {} ({op:?})",
                    "容量 {capacity}，第 {} 个操作（{op:?}）",
                    i + 1,
                );
                match *op {
                    Op::Enqueue(x) => {
                        let got = q.enqueue(x);
                        if model.len() < capacity {
                            model.push_back(x);
                            prop_assert_eq!(got, Ok(()), "{}", say!(
                                "{}: the queue was not full",
                                "{}：队列并没有满",
                                when,
                            ));
                        } else {
                            prop_assert_eq!(got, Err(QueueFull { value: x, capacity }),
                                "{}", say!(
                                    "{}: the queue was full, so the value must come back in the error",
                                    "{}：队列已满，所以值必须在错误里交还",
                                    when,
                                ));
                        }
                    }
                    Op::Dequeue => {
                        let expected = model.pop_front();
                        prop_assert_eq!(q.dequeue(), expected, "{}", say!(
                            "{}: dequeue must return the front item",
                            "{}：dequeue 必须返回队头元素",
                            when,
                        ));
                    }
                    Op::Peek => {
                        prop_assert_eq!(q.peek(), model.front(), "{}", when);
                    }
                }
                check_seq(&q, &model, capacity, &when);
            }
        }
    }

    mod laws {
        use super::*;
        use quickcheck_macros::quickcheck;

        /// With room for everything, items come out in the order they went in.
        #[quickcheck]
        fn first_in_first_out(items: Vec<i32>) {
            let mut q = SeqQueue::with_capacity(items.len());
            for &x in &items {
                assert_eq!(
                    q.enqueue(x),
                    Ok(()),
                    "{}",
                    say!(
                        "enqueue onto a queue that has room",
                        "对有空位的队列 enqueue"
                    )
                );
            }
            assert!(
                q.is_full(),
                "{}",
                say!(
                    "{} items in a queue of capacity {} is full",
                    "容量为 {1} 的队列有 {0} 个元素，已满",
                    items.len(),
                    items.len()
                )
            );
            let mut out = Vec::new();
            while let Some(x) = q.dequeue() {
                out.push(x);
                assert!(
                    out.len() <= items.len(),
                    "{}",
                    say!(
                        "dequeue returned more items than went in",
                        "dequeue 返回的元素比放进去的还多"
                    )
                );
            }
            assert_eq!(
                out,
                items,
                "{}",
                say!(
                    "items must come out in the order they went in",
                    "元素必须按进入的顺序出来（先进先出）"
                )
            );
        }

        /// A queue of capacity c keeps the first c items and hands back every later one.
        #[quickcheck]
        fn refused_values_come_back(items: Vec<i32>, capacity: u8) {
            let capacity = usize::from(capacity % 8);
            let mut q = SeqQueue::with_capacity(capacity);
            let mut refused = Vec::new();
            for &x in &items {
                if let Err(e) = q.enqueue(x) {
                    assert_eq!(
                        e.capacity,
                        capacity,
                        "{}",
                        say!(
                            "QueueFull must carry the capacity",
                            "QueueFull 必须带着容量"
                        )
                    );
                    refused.push(e.value);
                }
            }
            let kept = items.len().min(capacity);
            assert_eq!(
                seq_items(&q),
                items[..kept],
                "{}",
                say!(
                    "the first {kept} items must be queued",
                    "前 {kept} 个元素必须入队"
                )
            );
            assert_eq!(
                refused,
                items[kept..],
                "{}",
                say!(
                    "every later item must be handed back, in order",
                    "之后的每个元素都必须按顺序交还"
                )
            );
        }

        /// Iterating looks and does not touch: twice the same, nothing removed.
        #[quickcheck]
        fn iter_leaves_the_queue_alone(items: Vec<i32>, dequeues: u8) {
            let mut q = SeqQueue::with_capacity(items.len());
            for &x in &items {
                q.enqueue(x).unwrap();
            }
            for _ in 0..dequeues % 4 {
                q.dequeue();
            }
            let first = seq_items(&q);
            let second = seq_items(&q);
            assert_eq!(
                first,
                second,
                "{}",
                say!(
                    "iterating twice must give the same items",
                    "遍历两次必须得到同样的元素"
                )
            );
            assert_eq!(
                q.len(),
                first.len(),
                "{}",
                say!("iterating must not change len()", "遍历不能改变 len()")
            );
        }

        /// Debug prints the items front to back, exactly as `VecDeque` does, after any
        /// amount of wrapping round.
        #[quickcheck]
        fn debug_agrees_with_vecdeque(items: Vec<i32>, capacity: u8) {
            let capacity = usize::from(capacity % 6) + 1;
            let mut q = SeqQueue::with_capacity(capacity);
            let mut model = VecDeque::new();
            for x in items {
                if q.is_full() {
                    q.dequeue();
                    model.pop_front();
                }
                q.enqueue(x).unwrap();
                model.push_back(x);
            }
            assert_eq!(
                format!("{q:?}"),
                format!("{model:?}"),
                "{}",
                say!(
                    "`{{:?}}` must print like VecDeque",
                    "`{{:?}}` 的输出必须和 VecDeque 一样"
                )
            );
            assert_eq!(
                format!("{q:#?}"),
                format!("{model:#?}"),
                "{}",
                say!(
                    "`{{:#?}}` must print like VecDeque",
                    "`{{:#?}}` 的输出必须和 VecDeque 一样"
                )
            );
        }
    }

    mod drops {
        use super::*;
        use crate::drops::DropLog;

        #[test]
        fn items_left_in_the_queue_are_dropped_with_it() {
            let log = DropLog::new();
            let mut q = SeqQueue::with_capacity(4);
            for i in 0..3 {
                assert!(q.enqueue(log.track(i)).is_ok());
            }
            assert_eq!(
                log.dropped(),
                0,
                "{}",
                say!(
                    "nothing may be dropped while it is queued",
                    "元素在队列里时不能被释放（drop）"
                )
            );
            drop(q);
            log.assert_all_dropped_once();
        }

        #[test]
        fn reused_slots_drop_each_item_once() {
            let log = DropLog::new();
            let mut q = SeqQueue::with_capacity(3);
            for round in 0..10 {
                // Bounded, so that a queue that never says it is full fails here instead
                // of hanging the test.
                let mut enqueued = 0;
                while !q.is_full() {
                    enqueued += 1;
                    assert!(
                        enqueued <= 3,
                        "{}",
                        say!(
                            "a queue of capacity 3 holding {} items after {enqueued} enqueues is \
                             still not full (is_full() or len() is wrong)",
                            "容量为 3 的队列经过 {enqueued} 次 enqueue 后有 {} 个元素，却仍然不满（is_full() 或 len() 不对）",
                            q.len()
                        )
                    );
                    assert!(q.enqueue(log.track(round)).is_ok());
                }
                for _ in 0..2 {
                    let item = q
                        .dequeue()
                        .expect(&say!("a full queue has a front item", "满的队列有队头元素"));
                    assert_eq!(
                        log.dropped(),
                        log.created() - q.len() - 1,
                        "{}",
                        say!(
                            "dequeue must hand the item over without dropping it (or any other)",
                            "dequeue 必须把元素交出来，不能释放它（或其他元素）"
                        )
                    );
                    drop(item);
                }
                assert_eq!(
                    log.alive(),
                    q.len(),
                    "{}",
                    say!(
                        "round {round}: only queued items may be alive",
                        "第 {round} 轮：只有队列里的元素可以存活"
                    )
                );
            }
            drop(q);
            log.assert_all_dropped_once();
        }

        #[test]
        fn refused_value_belongs_to_the_caller() {
            let log = DropLog::new();
            let mut q = SeqQueue::with_capacity(1);
            assert!(q.enqueue(log.track("in")).is_ok());
            let err = q
                .enqueue(log.track("out"))
                .expect_err(&say!("a full queue refuses", "已满的队列会拒绝入队"));
            assert_eq!(
                err.value.payload,
                "out",
                "{}",
                say!(
                    "the error must hold the refused value",
                    "错误必须装着被拒绝的值"
                )
            );
            assert_eq!(
                log.alive(),
                2,
                "{}",
                say!(
                    "the refused value must not be dropped by the queue",
                    "被拒绝的值不能被队列释放"
                )
            );
            drop(err);
            assert_eq!(
                log.alive(),
                1,
                "{}",
                say!(
                    "dropping the error drops the refused value",
                    "释放错误时会释放被拒绝的值"
                )
            );
            drop(q);
            log.assert_all_dropped_once();
        }

        proptest! {
            /// After every operation exactly the queued items are alive (dequeued and
            /// refused values are dropped by the test at once); at the end, every value
            /// was dropped exactly once.
            #[test]
            fn every_item_dropped_once(capacity in 0usize..=4, ops in ops(200)) {
                let log = DropLog::new();
                let mut q = SeqQueue::with_capacity(capacity);
                for (i, op) in ops.iter().enumerate() {
                    match *op {
                        Op::Enqueue(x) => drop(q.enqueue(log.track(x))),
                        Op::Dequeue => drop(q.dequeue()),
                        Op::Peek => {}
                    }
                    prop_assert_eq!(log.alive(), q.len(),
                        "{}", say!(
                            "after operation {} ({:?}): {} values alive but {} queued (a leak, or an item dropped while queued)",
                            "第 {} 个操作（{:?}）之后：{} 个值存活，但队列里有 {} 个（内存泄漏，或元素在队列里时被释放了）",
                            i + 1, op, log.alive(), q.len(),
                        ));
                }
                drop(q);
                log.assert_all_dropped_once();
            }
        }
    }

    mod snapshots {
        use super::*;
        use std::fmt::Write;

        /// A queue of capacity 3 through a fill, a refusal, a wrap and a drain.
        #[test]
        fn course_trace() {
            let mut q = SeqQueue::with_capacity(3);
            let mut trace = String::new();
            for step in "+1 +2 +3 +4 - +5 - - - - +6".split_whitespace() {
                let result = match steps(step).next().unwrap() {
                    Some(x) => match q.enqueue(x) {
                        Ok(()) => "Ok(())".to_string(),
                        Err(e) => format!("Err({e})"),
                    },
                    None => format!("{:?}", q.dequeue()),
                };
                writeln!(
                    trace,
                    "{step:<3} {result:<36} {:<10} len={} empty={} full={}",
                    format!("{q:?}"),
                    q.len(),
                    q.is_empty(),
                    q.is_full()
                )
                .unwrap();
            }
            insta::assert_snapshot!("course_trace", trace);
        }

        #[test]
        fn debug_after_wrap_around() {
            let mut q = SeqQueue::with_capacity(4);
            let empty = format!("{q:?}");
            for x in ["一", "二", "三", "四"] {
                q.enqueue(x).unwrap();
            }
            q.dequeue();
            q.dequeue();
            for x in ["五", "六"] {
                q.enqueue(x).unwrap();
            }
            insta::assert_snapshot!(
                "debug_after_wrap_around",
                format!("empty: {empty}\n{{:?}}:  {q:?}\n{{:#?}}: {q:#?}")
            );
        }

        #[test]
        fn queue_full_error() {
            let mut q = SeqQueue::with_capacity(3);
            for x in ["一", "二", "三"] {
                q.enqueue(x).unwrap();
            }
            let e = q
                .enqueue("四")
                .expect_err(&say!("a full queue refuses", "已满的队列会拒绝入队"));
            insta::assert_snapshot!("queue_full_error", format!("Display: {e}\nDebug:   {e:?}"));
        }
    }
}

mod linked_queue {
    use super::*;

    /// The most nodes one `enqueue`, `dequeue`, `peek`, `len` or `is_empty` may look at,
    /// however long the queue: a fixed number, so each costs O(1).
    const MOST_VISITS: usize = 3;

    /// Runs `script` on a LinkedQueue, checking it against the model after every step.
    fn run(script: &str) -> (Vec<Option<i32>>, Vec<i32>) {
        let mut q = LinkedQueue::new();
        let mut model = VecDeque::new();
        let mut dequeued = Vec::new();
        check_linked(&q, &model, &say!("a new queue", "新建的队列"));
        for (i, step) in steps(script).enumerate() {
            match step {
                Some(x) => {
                    q.enqueue(x);
                    model.push_back(x);
                }
                None => {
                    dequeued.push(q.dequeue());
                    model.pop_front();
                }
            }
            check_linked(
                &q,
                &model,
                &say!(
                    "after step {} of {script:?}",
                    "{script:?} 的第 {} 步之后",
                    i + 1
                ),
            );
        }
        (dequeued, linked_items(&q))
    }

    mod examples {
        use super::*;
        use rstest::rstest;

        #[rstest]
        #[case::new_queue("", &[], &[])]
        #[case::one_in_one_out("+7 -", &[Some(7)], &[])]
        #[case::first_in_first_out("+1 +2 +3 - - +4", &[Some(1), Some(2)], &[3, 4])]
        #[case::dequeue_on_empty("- +1 - -", &[None, Some(1), None], &[])]
        #[case::empty_then_refill("+1 - +2 +3", &[Some(1)], &[2, 3])]
        #[case::drain_twice("+1 +2 - - +3 - +4 +5", &[Some(1), Some(2), Some(3)], &[4, 5])]
        #[case::many("+1 +2 +3 +4 +5 +6 +7 +8 - - -", &[Some(1), Some(2), Some(3)], &[4, 5, 6, 7, 8])]
        fn examples(
            #[case] script: &str,
            #[case] dequeued: &[Option<i32>],
            #[case] remaining: &[i32],
        ) {
            assert_eq!(
                run(script),
                (dequeued.to_vec(), remaining.to_vec()),
                "{}",
                say!(
                    "running {script:?} (+N enqueues N, - dequeues): (dequeued, remaining)",
                    "执行 {script:?}（+N 表示 enqueue N，- 表示 dequeue）：（出队的元素，剩下的元素）"
                )
            );
        }

        #[test]
        fn default_is_empty() {
            let q: LinkedQueue<String> = LinkedQueue::default();
            assert!(
                q.is_empty(),
                "{}",
                say!(
                    "LinkedQueue::default() must be empty",
                    "LinkedQueue::default() 必须是空队列"
                )
            );
            assert_eq!(q.len(), 0);
            assert_eq!(q.peek(), None);
        }

        #[test]
        fn holds_strings() {
            let mut q = LinkedQueue::new();
            q.enqueue(String::from("队头"));
            q.enqueue(String::from("队尾"));
            assert_eq!(q.dequeue().as_deref(), Some("队头"));
            q.enqueue(String::from("新"));
            assert_eq!(linked_items(&q), ["队尾", "新"]);
        }

        #[test]
        fn for_loop_over_a_reference() {
            let mut q = LinkedQueue::new();
            for x in [1, 2, 3] {
                q.enqueue(x);
            }
            q.dequeue();
            q.enqueue(4);
            let mut seen = Vec::new();
            for x in &q {
                seen.push(*x);
                assert!(
                    seen.len() <= 3,
                    "{}",
                    say!(
                        "`for x in &queue` went past the 3 items",
                        "`for x in &queue` 越过了那 3 个元素"
                    )
                );
            }
            assert_eq!(
                seen,
                [2, 3, 4],
                "{}",
                say!(
                    "`for x in &queue` must go front to back",
                    "`for x in &queue` 必须从队头到队尾"
                )
            );
        }

        /// Emptying the queue and filling it again many times: the tail (队尾) must be
        /// forgotten when the last item leaves.
        #[test]
        fn empty_and_refill_many_times() {
            let mut q = LinkedQueue::new();
            let mut model = VecDeque::new();
            for round in 0..50 {
                for x in 0..round % 4 + 1 {
                    q.enqueue(x);
                    model.push_back(x);
                }
                while let Some(x) = model.pop_front() {
                    assert_eq!(
                        q.dequeue(),
                        Some(x),
                        "{}",
                        say!("round {round}: dequeue", "第 {round} 轮：dequeue")
                    );
                }
                check_linked(
                    &q,
                    &model,
                    &say!(
                        "round {round}, after emptying the queue",
                        "第 {round} 轮，把队列取空之后"
                    ),
                );
            }
        }
    }

    proptest! {
        /// Random operations checked against `VecDeque` after every step; no single
        /// operation may look at more than a few nodes.
        #[test]
        fn matches_vecdeque(ops in ops(400)) {
            let mut q = LinkedQueue::new();
            let mut model = VecDeque::new();
            for (i, op) in ops.iter().enumerate() {
                let when = say!(
                    "operation {} ({op:?}) on a queue of {} items",
                    "对有 {1} 个元素的队列执行第 {0} 个操作（{op:?}）",
                    i + 1, model.len(),
                );
                let before = q.visits();
                match *op {
                    Op::Enqueue(x) => {
                        q.enqueue(x);
                        model.push_back(x);
                    }
                    Op::Dequeue => {
                        let expected = model.pop_front();
                        prop_assert_eq!(q.dequeue(), expected, "{}", say!(
                            "{}: dequeue must return the front item",
                            "{}：dequeue 必须返回队头元素",
                            when,
                        ));
                    }
                    Op::Peek => {
                        prop_assert_eq!(q.peek(), model.front(), "{}", when);
                    }
                }
                let cost = q.visits() - before;
                prop_assert!(cost <= MOST_VISITS,
                    "{}", say!(
                        "{}: looked at {} nodes; at most {} allowed, however long the queue",
                        "{}：看了 {} 个节点；不管队列多长，最多允许 {} 个",
                        when, cost, MOST_VISITS,
                    ));
                check_linked(&q, &model, &when);
            }
        }
    }

    mod laws {
        use super::*;
        use quickcheck_macros::quickcheck;

        #[quickcheck]
        fn first_in_first_out(items: Vec<i32>) {
            let mut q = LinkedQueue::new();
            for &x in &items {
                q.enqueue(x);
            }
            assert_eq!(
                q.len(),
                items.len(),
                "{}",
                say!(
                    "len() after {} enqueues",
                    "{} 次 enqueue 之后的 len()",
                    items.len()
                )
            );
            let mut out = Vec::new();
            while let Some(x) = q.dequeue() {
                out.push(x);
                assert!(
                    out.len() <= items.len(),
                    "{}",
                    say!(
                        "dequeue returned more items than went in",
                        "dequeue 返回的元素比放进去的还多"
                    )
                );
            }
            assert_eq!(
                out,
                items,
                "{}",
                say!(
                    "items must come out in the order they went in",
                    "元素必须按进入的顺序出来（先进先出）"
                )
            );
            assert!(
                q.is_empty(),
                "{}",
                say!("a drained queue is empty", "取空的队列是空的")
            );
        }

        /// Iterating looks and does not touch: twice the same, nothing removed.
        #[quickcheck]
        fn iter_leaves_the_queue_alone(items: Vec<i32>, dequeues: u8) {
            let mut q = LinkedQueue::new();
            for &x in &items {
                q.enqueue(x);
            }
            for _ in 0..dequeues % 4 {
                q.dequeue();
            }
            let first = linked_items(&q);
            let second = linked_items(&q);
            assert_eq!(
                first,
                second,
                "{}",
                say!(
                    "iterating twice must give the same items",
                    "遍历两次必须得到同样的元素"
                )
            );
            assert_eq!(
                q.len(),
                first.len(),
                "{}",
                say!("iterating must not change len()", "遍历不能改变 len()")
            );
        }

        /// Debug prints the items front to back, exactly as `VecDeque` does.
        #[quickcheck]
        fn debug_agrees_with_vecdeque(items: Vec<i32>, dequeues: u8) {
            let mut q = LinkedQueue::new();
            let mut model = VecDeque::new();
            for x in items {
                q.enqueue(x);
                model.push_back(x);
            }
            for _ in 0..dequeues % 8 {
                q.dequeue();
                model.pop_front();
            }
            assert_eq!(
                format!("{q:?}"),
                format!("{model:?}"),
                "{}",
                say!(
                    "`{{:?}}` must print like VecDeque",
                    "`{{:?}}` 的输出必须和 VecDeque 一样"
                )
            );
            assert_eq!(
                format!("{q:#?}"),
                format!("{model:#?}"),
                "{}",
                say!(
                    "`{{:#?}}` must print like VecDeque",
                    "`{{:#?}}` 的输出必须和 VecDeque 一样"
                )
            );
        }
    }

    /// Work, counted in node visits (never timed). `visits()` counts every look at a
    /// node through the given `Nodes` store.
    mod work {
        use super::*;
        use rstest::rstest;

        #[rstest]
        fn enqueue_does_not_walk_the_list(#[values(1, 10, 1000)] n: usize) {
            let mut q = LinkedQueue::new();
            for i in 0..n {
                let before = q.visits();
                q.enqueue(i);
                let cost = q.visits() - before;
                assert!(
                    cost <= MOST_VISITS,
                    "{}",
                    say!(
                        "enqueue onto a queue of {i} items looked at {cost} nodes; at most \
                         {MOST_VISITS} allowed whatever the length. Keep the index of the last \
                         node (队尾) and link the new node to it, instead of walking there from the front",
                        "对有 {i} 个元素的队列 enqueue 看了 {cost} 个节点；不管多长，最多允许 {MOST_VISITS} 个。记住最后一个节点（队尾）的下标，把新节点接在它后面，而不是从队头走过去"
                    )
                );
            }
            assert_eq!(q.len(), n);
        }

        #[test]
        fn other_operations_do_not_walk() {
            let mut q = LinkedQueue::new();
            for i in 0..1000 {
                q.enqueue(i);
            }
            for _ in 0..10 {
                q.dequeue();
            }
            let cost = |q: &LinkedQueue<i32>, before: usize| q.visits() - before;
            let before = q.visits();
            assert_eq!(q.len(), 990);
            let c = cost(&q, before);
            assert!(
                c <= MOST_VISITS,
                "{}",
                say!(
                    "len() looked at {c} nodes: keep a count instead of walking",
                    "len() 看了 {c} 个节点：保存一个计数，不要遍历"
                )
            );
            let before = q.visits();
            assert!(!q.is_empty());
            let c = cost(&q, before);
            assert!(
                c <= MOST_VISITS,
                "{}",
                say!(
                    "is_empty() looked at {c} nodes; at most {MOST_VISITS}",
                    "is_empty() 看了 {c} 个节点；最多 {MOST_VISITS} 个"
                )
            );
            let before = q.visits();
            assert_eq!(q.peek(), Some(&10));
            let c = cost(&q, before);
            assert!(
                c <= MOST_VISITS,
                "{}",
                say!(
                    "peek() looked at {c} nodes; at most {MOST_VISITS}",
                    "peek() 看了 {c} 个节点；最多 {MOST_VISITS} 个"
                )
            );
            let before = q.visits();
            assert_eq!(q.dequeue(), Some(10));
            let c = cost(&q, before);
            assert!(
                c <= MOST_VISITS,
                "{}",
                say!(
                    "dequeue() looked at {c} nodes; at most {MOST_VISITS}",
                    "dequeue() 看了 {c} 个节点；最多 {MOST_VISITS} 个"
                )
            );
        }

        #[test]
        fn iter_looks_at_each_node_once() {
            let n = 200;
            let mut q = LinkedQueue::new();
            for i in 0..n {
                q.enqueue(i);
            }
            let before = q.visits();
            assert_eq!(linked_items(&q).len(), n);
            let cost = q.visits() - before;
            assert!(
                cost <= 2 * n + MOST_VISITS,
                "{}",
                say!(
                    "iterating over {n} items looked at {cost} nodes; each node once or twice is \
                     enough: follow `next` from one node to the next, do not start again from the front",
                    "遍历 {n} 个元素看了 {cost} 个节点；每个节点看一两次就够了：顺着 `next` 从一个节点走到下一个，不要每次从队头重新开始"
                )
            );
        }

        /// The counting above only sees work done through the given `Nodes` store, so
        /// the queue must keep its items there.
        #[test]
        fn items_live_in_the_node_store() {
            let mut q = LinkedQueue::new();
            q.enqueue(1);
            q.enqueue(2);
            let before = q.visits();
            assert_eq!(q.dequeue(), Some(1));
            assert!(
                q.visits() > before,
                "{}",
                say!(
                    "dequeue took an item without removing its node from the `Nodes` store: \
                     LinkedQueue must keep its items in nodes (self.nodes) linked by index",
                    "dequeue 取走了元素，却没有把它的节点从 `Nodes` 存储里移除：LinkedQueue 必须把元素放在按下标链接的节点（self.nodes）里"
                )
            );
        }
    }

    mod drops {
        use super::*;
        use crate::drops::DropLog;

        #[test]
        fn items_left_in_the_queue_are_dropped_with_it() {
            let log = DropLog::new();
            let mut q = LinkedQueue::new();
            for i in 0..100 {
                q.enqueue(log.track(i));
            }
            for _ in 0..30 {
                drop(q.dequeue());
            }
            assert_eq!(
                log.alive(),
                70,
                "{}",
                say!(
                    "only the 70 queued items may be alive",
                    "只有队列里的 70 个元素可以存活"
                )
            );
            drop(q);
            log.assert_all_dropped_once();
        }

        #[test]
        fn dequeue_hands_the_item_over() {
            let log = DropLog::new();
            let mut q = LinkedQueue::new();
            q.enqueue(log.track("a"));
            q.enqueue(log.track("b"));
            let a = q
                .dequeue()
                .expect(&say!("the queue holds two items", "队列里有两个元素"));
            assert_eq!(a.payload, "a");
            assert_eq!(
                log.alive(),
                2,
                "{}",
                say!(
                    "dequeue must hand the item over without dropping it",
                    "dequeue 必须把元素交出来，不能释放它"
                )
            );
            drop(a);
            assert_eq!(log.alive(), 1);
            drop(q);
            log.assert_all_dropped_once();
        }

        proptest! {
            /// After every operation exactly the queued items are alive; at the end,
            /// every value was dropped exactly once.
            #[test]
            fn every_item_dropped_once(ops in ops(200)) {
                let log = DropLog::new();
                let mut q = LinkedQueue::new();
                for (i, op) in ops.iter().enumerate() {
                    match *op {
                        Op::Enqueue(x) => q.enqueue(log.track(x)),
                        Op::Dequeue => drop(q.dequeue()),
                        Op::Peek => {}
                    }
                    prop_assert_eq!(log.alive(), q.len(),
                        "{}", say!(
                            "after operation {} ({:?}): {} values alive but {} queued",
                            "第 {} 个操作（{:?}）之后：{} 个值存活，但队列里有 {} 个",
                            i + 1, op, log.alive(), q.len(),
                        ));
                }
                drop(q);
                log.assert_all_dropped_once();
            }
        }
    }

    mod snapshots {
        use super::*;
        use std::fmt::Write;

        #[test]
        fn course_trace() {
            let mut q = LinkedQueue::new();
            let mut trace = String::new();
            for step in "+10 +20 +30 - +40 - - - - +50".split_whitespace() {
                let result = match steps(step).next().unwrap() {
                    Some(x) => {
                        q.enqueue(x);
                        "()".to_string()
                    }
                    None => format!("{:?}", q.dequeue()),
                };
                writeln!(
                    trace,
                    "{step:<3} {result:<8} {:<12} len={} empty={} peek={:?}",
                    format!("{q:?}"),
                    q.len(),
                    q.is_empty(),
                    q.peek()
                )
                .unwrap();
            }
            insta::assert_snapshot!("course_trace", trace);
        }

        #[test]
        fn debug_output() {
            let mut q = LinkedQueue::new();
            let empty = format!("{q:?}");
            for x in ["一", "二", "三"] {
                q.enqueue(x);
            }
            q.dequeue();
            q.enqueue("四");
            insta::assert_snapshot!(
                "debug_output",
                format!("empty: {empty}\n{{:?}}:  {q:?}\n{{:#?}}: {q:#?}")
            );
        }
    }
}
