//! The suite of the queue kata (队列). It grades both `exercises/queue` (your code) and
//! `solutions/queue` (the reference): both crates name this file as their test.
//!
//! Test names follow `exercises/queue/README.md`, "What the tests check": the tests of
//! each queue live in their own module (`seq_queue::...`, `linked_queue::...`), so a
//! failure names the queue and the promise that broke.

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
fn collect_bounded<'a, T: 'a>(iter: impl Iterator<Item = &'a T>, len: usize) -> Vec<&'a T> {
    let items: Vec<&T> = iter.take(len.saturating_add(1).min(ITER_LIMIT)).collect();
    assert!(
        items.len() == len,
        "iter() yielded {}{} items, but len() says {len}",
        if items.len() > len { "more than " } else { "" },
        items.len().min(len)
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
fn check_seq<T: Clone + PartialEq + Debug>(
    q: &SeqQueue<T>,
    model: &VecDeque<T>,
    capacity: usize,
    when: &str,
) {
    assert_eq!(
        q.capacity(),
        capacity,
        "{when}: capacity() changed; it must stay what with_capacity was given"
    );
    assert_eq!(q.len(), model.len(), "{when}: len() is wrong");
    assert_eq!(
        q.is_empty(),
        model.is_empty(),
        "{when}: is_empty() is wrong for a queue of {} items",
        model.len()
    );
    assert_eq!(
        q.is_full(),
        model.len() == capacity,
        "{when}: is_full() is wrong for {} items in a queue of capacity {capacity}",
        model.len()
    );
    assert_eq!(
        q.peek(),
        model.front(),
        "{when}: peek() must show the front item (队头)"
    );
    let items = seq_items(q);
    let expected: Vec<T> = model.iter().cloned().collect();
    assert_eq!(
        items, expected,
        "{when}: iter() must yield the items front to back"
    );
    for (i, item) in expected.iter().enumerate() {
        assert_eq!(
            q.get(i),
            Some(item),
            "{when}: get({i}) must be the item {i} places behind the front"
        );
    }
    assert_eq!(
        q.get(model.len()),
        None,
        "{when}: get(len()) must be None: there is no item there"
    );
    let far =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| q.get(usize::MAX).is_none()));
    assert!(
        matches!(far, Ok(true)),
        "{when}: get(usize::MAX) must be None, without a panic: check `index < len()` \
         before working out the slot, or `head + index` overflows"
    );
}

/// Checks everything a LinkedQueue can say about itself against the model `VecDeque`.
fn check_linked<T: Clone + PartialEq + Debug>(q: &LinkedQueue<T>, model: &VecDeque<T>, when: &str) {
    assert_eq!(q.len(), model.len(), "{when}: len() is wrong");
    assert_eq!(
        q.is_empty(),
        model.is_empty(),
        "{when}: is_empty() is wrong for a queue of {} items",
        model.len()
    );
    assert_eq!(
        q.peek(),
        model.front(),
        "{when}: peek() must show the front item (队头)"
    );
    let items = linked_items(q);
    let expected: Vec<T> = model.iter().cloned().collect();
    assert_eq!(
        items, expected,
        "{when}: iter() must yield the items front to back"
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
        check_seq(&q, &model, capacity, "a new queue");
        for (i, step) in steps(script).enumerate() {
            match step {
                Some(x) => match q.enqueue(x) {
                    Ok(()) => model.push_back(x),
                    Err(e) => {
                        assert_eq!(
                            e,
                            QueueFull { value: x, capacity },
                            "a refused enqueue({x}) must hand the value back with the capacity"
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
                &format!("capacity {capacity}, after step {} of {script:?}", i + 1),
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
                outcome, expected,
                "running {script:?} on a queue of capacity {capacity} (+N enqueues N, - dequeues)"
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
                        "enqueue onto a queue that is not full"
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
                    "enqueue onto a full queue must be refused"
                );
                for _ in 0..=round % capacity {
                    assert_eq!(q.dequeue(), model.pop_front(), "dequeue in round {round}");
                }
                check_seq(
                    &q,
                    &model,
                    capacity,
                    &format!("capacity {capacity}, round {round}"),
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
                assert!(seen.len() <= 3, "`for x in &queue` went past the 3 items");
            }
            assert_eq!(seen, [2, 3, 4], "`for x in &queue` must go front to back");
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
            let placed = q
                .get(q.len() - 1)
                .expect("get(len() - 1) is the item just enqueued");
            addresses.push_back((value, placed as *const u64));
            for (i, &(v, at)) in addresses.iter().enumerate() {
                let now = q.get(i).expect("get(i) for i < len()");
                assert_eq!(*now, v, "get({i}) is the wrong item");
                assert!(
                    std::ptr::eq(now, at),
                    "item {v} moved in memory (from {at:p} to {:p}) while it waited in the queue. \
                     A ring buffer (循环队列) never shifts its items: dequeue moves the front \
                     index on instead, so it takes the same time however full the queue is",
                    now as *const u64
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
                let when = format!("capacity {capacity}, operation {} ({op:?})", i + 1);
                match *op {
                    Op::Enqueue(x) => {
                        let got = q.enqueue(x);
                        if model.len() < capacity {
                            model.push_back(x);
                            prop_assert_eq!(got, Ok(()), "{}: the queue was not full", when);
                        } else {
                            prop_assert_eq!(got, Err(QueueFull { value: x, capacity }),
                                "{}: the queue was full, so the value must come back in the error", when);
                        }
                    }
                    Op::Dequeue => {
                        let expected = model.pop_front();
                        prop_assert_eq!(q.dequeue(), expected, "{}: dequeue must return the front item", when);
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
                assert_eq!(q.enqueue(x), Ok(()), "enqueue onto a queue that has room");
            }
            assert!(
                q.is_full(),
                "{} items in a queue of capacity {} is full",
                items.len(),
                items.len()
            );
            let mut out = Vec::new();
            while let Some(x) = q.dequeue() {
                out.push(x);
                assert!(
                    out.len() <= items.len(),
                    "dequeue returned more items than went in"
                );
            }
            assert_eq!(out, items, "items must come out in the order they went in");
        }

        /// A queue of capacity c keeps the first c items and hands back every later one.
        #[quickcheck]
        fn refused_values_come_back(items: Vec<i32>, capacity: u8) {
            let capacity = usize::from(capacity % 8);
            let mut q = SeqQueue::with_capacity(capacity);
            let mut refused = Vec::new();
            for &x in &items {
                if let Err(e) = q.enqueue(x) {
                    assert_eq!(e.capacity, capacity, "QueueFull must carry the capacity");
                    refused.push(e.value);
                }
            }
            let kept = items.len().min(capacity);
            assert_eq!(
                seq_items(&q),
                items[..kept],
                "the first {kept} items must be queued"
            );
            assert_eq!(
                refused,
                items[kept..],
                "every later item must be handed back, in order"
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
            assert_eq!(first, second, "iterating twice must give the same items");
            assert_eq!(q.len(), first.len(), "iterating must not change len()");
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
                "`{{:?}}` must print like VecDeque"
            );
            assert_eq!(
                format!("{q:#?}"),
                format!("{model:#?}"),
                "`{{:#?}}` must print like VecDeque"
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
                "nothing may be dropped while it is queued"
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
                        "a queue of capacity 3 holding {} items after {enqueued} enqueues is \
                         still not full (is_full() or len() is wrong)",
                        q.len()
                    );
                    assert!(q.enqueue(log.track(round)).is_ok());
                }
                for _ in 0..2 {
                    let item = q.dequeue().expect("a full queue has a front item");
                    assert_eq!(
                        log.dropped(),
                        log.created() - q.len() - 1,
                        "dequeue must hand the item over without dropping it (or any other)"
                    );
                    drop(item);
                }
                assert_eq!(
                    log.alive(),
                    q.len(),
                    "round {round}: only queued items may be alive"
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
                .expect_err("a full queue refuses");
            assert_eq!(
                err.value.payload, "out",
                "the error must hold the refused value"
            );
            assert_eq!(
                log.alive(),
                2,
                "the refused value must not be dropped by the queue"
            );
            drop(err);
            assert_eq!(log.alive(), 1, "dropping the error drops the refused value");
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
                        "after operation {} ({:?}): {} values alive but {} queued (a leak, or an item dropped while queued)",
                        i + 1, op, log.alive(), q.len());
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
            let e = q.enqueue("四").expect_err("a full queue refuses");
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
        check_linked(&q, &model, "a new queue");
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
            check_linked(&q, &model, &format!("after step {} of {script:?}", i + 1));
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
                "running {script:?} (+N enqueues N, - dequeues): (dequeued, remaining)"
            );
        }

        #[test]
        fn default_is_empty() {
            let q: LinkedQueue<String> = LinkedQueue::default();
            assert!(q.is_empty(), "LinkedQueue::default() must be empty");
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
                assert!(seen.len() <= 3, "`for x in &queue` went past the 3 items");
            }
            assert_eq!(seen, [2, 3, 4], "`for x in &queue` must go front to back");
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
                    assert_eq!(q.dequeue(), Some(x), "round {round}: dequeue");
                }
                check_linked(
                    &q,
                    &model,
                    &format!("round {round}, after emptying the queue"),
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
                let when = format!("operation {} ({op:?}) on a queue of {} items", i + 1, model.len());
                let before = q.visits();
                match *op {
                    Op::Enqueue(x) => {
                        q.enqueue(x);
                        model.push_back(x);
                    }
                    Op::Dequeue => {
                        let expected = model.pop_front();
                        prop_assert_eq!(q.dequeue(), expected, "{}: dequeue must return the front item", when);
                    }
                    Op::Peek => {
                        prop_assert_eq!(q.peek(), model.front(), "{}", when);
                    }
                }
                let cost = q.visits() - before;
                prop_assert!(cost <= MOST_VISITS,
                    "{}: looked at {} nodes; at most {} allowed, however long the queue", when, cost, MOST_VISITS);
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
            assert_eq!(q.len(), items.len(), "len() after {} enqueues", items.len());
            let mut out = Vec::new();
            while let Some(x) = q.dequeue() {
                out.push(x);
                assert!(
                    out.len() <= items.len(),
                    "dequeue returned more items than went in"
                );
            }
            assert_eq!(out, items, "items must come out in the order they went in");
            assert!(q.is_empty(), "a drained queue is empty");
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
            assert_eq!(first, second, "iterating twice must give the same items");
            assert_eq!(q.len(), first.len(), "iterating must not change len()");
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
                "`{{:?}}` must print like VecDeque"
            );
            assert_eq!(
                format!("{q:#?}"),
                format!("{model:#?}"),
                "`{{:#?}}` must print like VecDeque"
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
                    "enqueue onto a queue of {i} items looked at {cost} nodes; at most \
                     {MOST_VISITS} allowed whatever the length. Keep the index of the last \
                     node (队尾) and link the new node to it, instead of walking there from the front"
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
                "len() looked at {c} nodes: keep a count instead of walking"
            );
            let before = q.visits();
            assert!(!q.is_empty());
            let c = cost(&q, before);
            assert!(
                c <= MOST_VISITS,
                "is_empty() looked at {c} nodes; at most {MOST_VISITS}"
            );
            let before = q.visits();
            assert_eq!(q.peek(), Some(&10));
            let c = cost(&q, before);
            assert!(
                c <= MOST_VISITS,
                "peek() looked at {c} nodes; at most {MOST_VISITS}"
            );
            let before = q.visits();
            assert_eq!(q.dequeue(), Some(10));
            let c = cost(&q, before);
            assert!(
                c <= MOST_VISITS,
                "dequeue() looked at {c} nodes; at most {MOST_VISITS}"
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
                "iterating over {n} items looked at {cost} nodes; each node once or twice is \
                 enough: follow `next` from one node to the next, do not start again from the front"
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
                "dequeue took an item without removing its node from the `Nodes` store: \
                 LinkedQueue must keep its items in nodes (self.nodes) linked by index"
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
            assert_eq!(log.alive(), 70, "only the 70 queued items may be alive");
            drop(q);
            log.assert_all_dropped_once();
        }

        #[test]
        fn dequeue_hands_the_item_over() {
            let log = DropLog::new();
            let mut q = LinkedQueue::new();
            q.enqueue(log.track("a"));
            q.enqueue(log.track("b"));
            let a = q.dequeue().expect("the queue holds two items");
            assert_eq!(a.payload, "a");
            assert_eq!(
                log.alive(),
                2,
                "dequeue must hand the item over without dropping it"
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
                        "after operation {} ({:?}): {} values alive but {} queued",
                        i + 1, op, log.alive(), q.len());
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
