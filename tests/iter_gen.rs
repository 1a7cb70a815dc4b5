//! The suite of the iter_gen kata (迭代器与生成器). It grades both `exercises/iter_gen`
//! (your code) and `solutions/iter_gen` (the reference): both crates name this file as
//! their test.
//!
//! Test names follow `exercises/iter_gen/README.md`, "What the tests check": one module
//! per function (`iter`, `into_iter`, `fibonacci`, `run_length`, `chunks`,
//! `course_generator`), and inside it one module per kind of check (`examples`,
//! `model`, `laws`, `size_hint`, `laziness`, `exhaustion`, `memory`, `snapshots`), so a
//! failure names the function and the promise that broke.
//!
//! Laziness is counted, never timed: `tests/support/pulls.rs` counts how many items an
//! adapter pulls from its source, and `tests/support/heap.rs` (a counting global
//! allocator) measures the most heap it holds at once. The heap is process-wide, so every
//! `memory` test runs its measuring part again in a child process of its own
//! (`tests/support/child.rs`), where no other test runs beside it.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
#[path = "support/child.rs"]
mod child;
#[path = "support/heap.rs"]
mod heap;
#[path = "support/pulls.rs"]
mod pulls;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt::Debug;
use std::iter::FusedIterator;
use std::rc::Rc;

use iter_gen::{Ring, Run, chunks, course_generator, fibonacci, run_length};
use proptest::prelude::*;
use pulls::Pulls;
use quickcheck_macros::quickcheck;
use rstest::rstest;

/// The most items any iteration in this suite takes, so that an iterator that never
/// ends fails instead of hanging.
const LIMIT: usize = 10_000;

/// How many more calls after the first `None` the exhaustion tests make.
const AFTER_THE_END: usize = 100;

/// A ring of `capacity` slots holding `items`, front to back, whose front is `rotation`
/// slots round the ring (so that the items wrap round its end). `spare` makes the
/// values pushed and popped to turn the ring.
fn ring_with<T>(
    capacity: usize,
    rotation: usize,
    items: Vec<T>,
    mut spare: impl FnMut() -> T,
) -> Ring<T> {
    let mut ring = Ring::with_capacity(capacity);
    if capacity > 0 {
        for _ in 0..rotation % capacity {
            assert!(
                ring.push_back(spare()).is_ok(),
                "the test turns an empty ring"
            );
            drop(ring.pop_front());
        }
    }
    for item in items {
        assert!(
            ring.push_back(item).is_ok(),
            "the test's ring has room for its items"
        );
    }
    ring
}

/// A ring of numbers: `1..=len` in `capacity` slots, turned by `rotation`.
fn numbers(capacity: usize, rotation: usize, len: usize) -> Ring<u32> {
    ring_with(capacity, rotation, (1..=len as u32).collect(), || 0)
}

/// Drives `iter` to its first `None` (at most [`LIMIT`] items), then checks that the
/// next [`AFTER_THE_END`] calls of `next` return `None` too.
#[track_caller]
fn assert_stays_exhausted<I>(mut iter: I, what: &str)
where
    I: Iterator + FusedIterator,
    I::Item: Debug,
{
    let taken = iter.by_ref().take(LIMIT).count();
    assert!(
        taken < LIMIT,
        "{}",
        say!(
            "{what} yielded {LIMIT} items without ending",
            "{what} 产出了 {LIMIT} 个元素还没有结束"
        )
    );
    for call in 1..=AFTER_THE_END {
        if let Some(item) = iter.next() {
            panic!(
                "{}",
                say!(
                    "{what} returned None after {taken} items, then {item:?} on call {call} \
                     after that: once an iterator has returned None it must return None \
                     forever (it promises this by implementing FusedIterator)",
                    "{what} 在 {taken} 个元素之后返回了 None，之后的第 {call} 次调用却又返回了 \
                     {item:?}：迭代器一旦返回 None，就必须永远返回 None（实现 FusedIterator \
                     就是这样承诺的）"
                )
            );
        }
    }
}

/// What an iterator yields, named in the learner's language for the suite's messages:
/// "1 run", "3 runs", "3 个游程".
#[derive(Clone, Copy)]
struct Noun {
    one: &'static str,
    many: &'static str,
    /// With its measure word: `个游程`, `块`.
    zh: &'static str,
}

const ITEMS: Noun = Noun {
    one: "item",
    many: "items",
    zh: "个元素",
};
const NUMBERS: Noun = Noun {
    one: "number",
    many: "numbers",
    zh: "个数",
};
const RUNS: Noun = Noun {
    one: "run",
    many: "runs",
    zh: "个游程",
};
const CHUNKS: Noun = Noun {
    one: "chunk",
    many: "chunks",
    zh: "块",
};

impl Noun {
    /// `n` of them: "1 run", "3 runs", "3 个游程".
    fn count(self, n: usize) -> String {
        if lang::zh() {
            format!("{n} {}", self.zh)
        } else {
            format!("{n} {}", if n == 1 { self.one } else { self.many })
        }
    }

    /// "1 run is left", "3 runs are left", "还剩 3 个游程".
    fn left(self, n: usize) -> String {
        if lang::zh() {
            format!("还剩 {}", self.count(n))
        } else {
            format!(
                "{} {} left",
                self.count(n),
                if n == 1 { "is" } else { "are" }
            )
        }
    }

    /// When a check is made, `taken` of `total` having been taken: "before any run was
    /// taken", "after taking 2 runs", "after the last run".
    fn when(self, taken: usize, total: usize) -> String {
        match (taken, lang::zh()) {
            (0, false) => format!("before any {} was taken", self.one),
            (0, true) => format!("一{}也没取时", self.zh),
            (_, false) if taken == total => format!("after the last {}", self.one),
            (_, true) if taken == total => format!("取完最后一{}之后", self.zh),
            (_, false) => format!("after taking {}", self.count(taken)),
            (_, true) => format!("取出 {} 之后", self.count(taken)),
        }
    }
}

/// What is wrong with `iter.size_hint()` when `left` of its `noun` are left, if
/// anything: the contract is `lower <= left <= upper`, and the message names the bound
/// that broke it.
fn size_hint_problem<I: Iterator>(
    iter: &I,
    left: usize,
    noun: Noun,
    what: &str,
    when: &str,
) -> Option<String> {
    let (lower, upper) = iter.size_hint();
    let bound = if lower > left {
        say!(
            "its lower bound promises at least {}",
            "它的下界保证至少有 {}",
            noun.count(lower)
        )
    } else {
        match upper {
            Some(upper) if upper < left => say!(
                "its upper bound promises at most {}",
                "它的上界保证最多只有 {}",
                noun.count(upper)
            ),
            _ => return None,
        }
    };
    let rule = if lang::zh() {
        "size_hint 必须在每一步都成立：下界 ≤ 剩余个数 ≤ 上界".to_string()
    } else {
        format!(
            "A size_hint must be true at every step: lower ≤ {} left ≤ upper",
            noun.many
        )
    };
    Some(say!(
        "{what}, {when}: {}, but size_hint() is ({lower}, {upper:?}) and {bound}. {rule}",
        "{what}，{when}：{}，但 size_hint() 是 ({lower}, {upper:?})，{bound}。{rule}",
        noun.left(left)
    ))
}

/// Checks the `size_hint` contract before every item of `iter`, which must yield
/// exactly `total` of its `noun`, and once more at its end.
#[track_caller]
fn assert_size_hint_holds<I: Iterator>(mut iter: I, total: usize, noun: Noun, what: &str) {
    for taken in 0..=total {
        let when = noun.when(taken, total);
        if let Some(problem) = size_hint_problem(&iter, total - taken, noun, what, &when) {
            panic!("{problem}");
        }
        if taken < total {
            assert!(
                iter.next().is_some(),
                "{}",
                say!(
                    "{what} must yield {}",
                    "{what} 必须产出 {}",
                    noun.count(total)
                )
            );
        }
    }
}

/// What is wrong with an exact-size iterator when `left` items are left, if anything:
/// `size_hint()` must be `(left, Some(left))` and `len()` must be `left`.
fn exact_size_problem<I: ExactSizeIterator>(
    iter: &I,
    left: usize,
    what: &str,
    when: &str,
) -> Option<String> {
    let (hint, len) = (iter.size_hint(), iter.len());
    (hint != (left, Some(left)) || len != left).then(|| {
        say!(
            "{what}, {when}: {}, but size_hint() is {hint:?} and len() is {len}. An \
             ExactSizeIterator says exactly how many are left: size_hint() is \
             ({left}, Some({left})) and len() is {left}",
            "{what}，{when}：{}，但 size_hint() 是 {hint:?}，len() 是 {len}。\
             ExactSizeIterator 必须准确地说出还剩多少：size_hint() 是 ({left}, Some({left}))，\
             len() 是 {left}",
            ITEMS.left(left)
        )
    })
}

/// Runs `measure` in a child process of its own and fails with the child's message if
/// it fails there. The heap counter of `heap.rs` sees every allocation of the process,
/// so a measurement made beside other tests (libtest runs them on several threads)
/// would count theirs too; in the child, this test is the only one running.
#[track_caller]
fn in_own_process(test: &str, measure: impl FnOnce()) {
    if child::role().as_deref() == Some("heap") {
        measure();
        return;
    }
    let out = child::run(test, "heap", |_| {});
    assert!(child::passed(&out), "{}", child::describe(&out));
}

/// Fails unless `peak` (bytes, from `heap::peak_during`) is 0.
#[track_caller]
fn assert_allocated_nothing(peak: usize, what: &str) {
    assert_eq!(
        peak,
        0,
        "{}",
        say!(
            "{what} allocated: the heap grew by up to {peak} bytes while it ran. A lazy \
             iterator keeps only its state (a position, a few numbers), never the items: \
             nothing collected into a Vec, nothing cloned into a new container",
            "{what} 分配了堆内存：运行期间堆最多增长了 {peak} 字节。惰性的迭代器只保存自己的\
             状态（一个位置、几个数），从不保存元素本身：不把元素收集进 Vec，也不把它们克隆\
             到新的容器里"
        )
    );
}

/// How an adapter's source describes its own length in `size_hint`: a source may know
/// it exactly, only bound it, or know nothing. An adapter must work with all three.
#[derive(Debug, Clone, Copy)]
enum Hint {
    /// `(n, Some(n))`, as a `Vec` says.
    Exact,
    /// `(0, Some(n))`, as a `filter` says.
    Bounded,
    /// `(0, None)`, as `from_fn` says.
    Unknown,
}

fn hints() -> impl Strategy<Value = Hint> {
    prop_oneof![Just(Hint::Exact), Just(Hint::Bounded), Just(Hint::Unknown)]
}

/// `items`, served by a source that describes its length as `hint` says.
fn source<T: 'static>(items: Vec<T>, hint: Hint) -> Box<dyn Iterator<Item = T>> {
    match hint {
        Hint::Exact => Box::new(items.into_iter()),
        Hint::Bounded => Box::new(items.into_iter().filter(|_| true)),
        Hint::Unknown => {
            let mut items = items.into_iter();
            Box::new(std::iter::from_fn(move || items.next()))
        }
    }
}

/// A source that is not fused: it yields `first`, then `None` once, then `then`. Most
/// iterators never do this, but nothing forbids it; a fused adapter must end at the
/// first `None` and never ask again.
struct Resuming<T> {
    first: std::vec::IntoIter<T>,
    then: std::vec::IntoIter<T>,
    ended_once: bool,
}

fn resuming<T>(first: Vec<T>, then: Vec<T>) -> Resuming<T> {
    Resuming {
        first: first.into_iter(),
        then: then.into_iter(),
        ended_once: false,
    }
}

impl<T> Iterator for Resuming<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.ended_once {
            return self.then.next();
        }
        let item = self.first.next();
        self.ended_once = item.is_none();
        item
    }
}

/// The given ring (`src/ring.rs`), which every other test relies on. If these fail, the
/// given file was changed: restore it (`git checkout -- exercises/iter_gen/src/ring.rs`).
mod given {
    use super::*;

    /// A bounded double-ended queue: push at the back, pop at either end, a full ring
    /// refuses and hands the value back, and `{:?}` lists the items front to back.
    #[test]
    fn ring_is_a_bounded_double_ended_queue() {
        let broken = |what: &str| {
            say!(
                "the given ring (src/ring.rs) is broken: {what}. Restore the file; your part \
                 is in src/lib.rs",
                "给定的环（src/ring.rs）坏了：{what}。请把这个文件恢复原样；你要写的部分在 \
                 src/lib.rs 里"
            )
        };
        let mut ring = Ring::with_capacity(3);
        assert!(
            ring.is_empty() && !ring.is_full() && ring.capacity() == 3,
            "{}",
            broken("a new ring of capacity 3")
        );
        for x in [1, 2, 3] {
            assert_eq!(
                ring.push_back(x),
                Ok(()),
                "{}",
                broken("push_back with room")
            );
        }
        assert!(
            ring.is_full() && ring.len() == 3,
            "{}",
            broken("is_full, len")
        );
        let refused = ring
            .push_back(4)
            .expect_err(&broken("a full ring must refuse"));
        assert_eq!(
            (refused.value, refused.capacity),
            (4, 3),
            "{}",
            broken("RingFull")
        );
        assert_eq!(
            refused.to_string(),
            "ring is full (capacity 3)",
            "{}",
            broken("RingFull's Display")
        );
        assert_eq!(format!("{ring:?}"), "[1, 2, 3]", "{}", broken("Debug"));
        assert_eq!(ring.pop_front(), Some(1), "{}", broken("pop_front"));
        assert_eq!(
            ring.push_back(4),
            Ok(()),
            "{}",
            broken("push_back after a wrap")
        );
        assert_eq!(
            format!("{ring:?}"),
            "[2, 3, 4]",
            "{}",
            broken("Debug after a wrap")
        );
        assert_eq!(ring.pop_back(), Some(4), "{}", broken("pop_back"));
        assert_eq!(
            (ring.get(0), ring.get(1), ring.get(2)),
            (Some(&2), Some(&3), None),
            "{}",
            broken("get")
        );
        assert_eq!(
            (
                ring.pop_back(),
                ring.pop_front(),
                ring.pop_front(),
                ring.pop_back()
            ),
            (Some(3), Some(2), None, None),
            "{}",
            broken("popping to empty")
        );
        let mut none = Ring::with_capacity(0);
        assert!(
            none.is_empty() && none.is_full() && none.push_back('x').is_err(),
            "{}",
            broken("a ring of capacity 0 is empty, full, and refuses")
        );
    }
}

/// The ring's iterator by reference: `ring.iter()` and `for x in &ring`.
mod iter {
    use super::*;

    mod examples {
        use super::*;

        /// Front to back, back to front, and through `for x in &ring`, on rings that
        /// are empty, full, partly full, and wrapped round the end of their slots.
        #[rstest]
        #[case::no_slots(0, 0, 0)]
        #[case::empty(3, 0, 0)]
        #[case::empty_turned(3, 2, 0)]
        #[case::one(1, 0, 1)]
        #[case::three_of_five(5, 0, 3)]
        #[case::full(4, 0, 4)]
        #[case::wrapped(5, 3, 5)]
        #[case::wrapped_partly_full(6, 4, 4)]
        fn walks_every_item(#[case] capacity: usize, #[case] rotation: usize, #[case] len: usize) {
            let ring = numbers(capacity, rotation, len);
            let expected: Vec<u32> = (1..=len as u32).collect();
            let forward: Vec<u32> = ring.iter().take(LIMIT).copied().collect();
            assert_eq!(
                forward,
                expected,
                "{}",
                say!(
                    "ring.iter() on a ring of capacity {capacity} holding {expected:?} (front \
                     turned {rotation} slots round) must yield the items front to back",
                    "容量为 {capacity}、装着 {expected:?} 的环（队头转过了 {rotation} 格）上，\
                     ring.iter() 必须从前到后产出元素"
                )
            );
            let mut by_for = Vec::new();
            for item in &ring {
                by_for.push(*item);
                if by_for.len() > LIMIT {
                    break;
                }
            }
            assert_eq!(
                by_for,
                expected,
                "{}",
                say!(
                    "`for x in &ring` must yield what ring.iter() yields",
                    "`for x in &ring` 必须产出和 ring.iter() 一样的元素"
                )
            );
            let backward: Vec<u32> = ring.iter().rev().take(LIMIT).copied().collect();
            let reversed: Vec<u32> = expected.iter().rev().copied().collect();
            assert_eq!(
                backward,
                reversed,
                "{}",
                say!(
                    "ring.iter().rev() (next_back) on {expected:?} must yield the items back to \
                     front",
                    "在 {expected:?} 上，ring.iter().rev()（next_back）必须从后往前产出元素"
                )
            );
            assert_eq!(
                ring.iter().len(),
                len,
                "{}",
                say!(
                    "ring.iter().len() before any item is taken must be the ring's len()",
                    "还没取任何元素时，ring.iter().len() 必须等于环的 len()"
                )
            );
        }

        /// Taking from both ends in turn, the two ends meet in the middle and every item
        /// comes out exactly once.
        #[rstest]
        #[case::odd(5, "FBFBFBB", &[Some(1), Some(5), Some(2), Some(4), Some(3), None, None])]
        #[case::even(4, "FBFBF", &[Some(1), Some(4), Some(2), Some(3), None])]
        #[case::back_first(3, "BBBFB", &[Some(3), Some(2), Some(1), None, None])]
        #[case::front_first(3, "FFFBF", &[Some(1), Some(2), Some(3), None, None])]
        fn meets_in_the_middle(
            #[case] len: usize,
            #[case] ends: &str,
            #[case] expected: &[Option<u32>],
        ) {
            let ring = numbers(7, 5, len);
            let mut iter = ring.iter();
            let mut calls = Vec::new();
            for (end, want) in ends.chars().zip(expected) {
                let got = if end == 'F' {
                    calls.push("next()");
                    iter.next().copied()
                } else {
                    calls.push("next_back()");
                    iter.next_back().copied()
                };
                assert_eq!(
                    got,
                    *want,
                    "{}",
                    say!(
                        "on a ring holding 1..={len}, the calls {} must give {want:?} last",
                        "在装着 1..={len} 的环上，依次调用 {} 时最后一次必须得到 {want:?}",
                        calls.join(", ")
                    )
                );
                let left = len.saturating_sub(calls.len());
                assert_eq!(
                    iter.len(),
                    left,
                    "{}",
                    say!(
                        "on a ring holding 1..={len}, after {}, {left} items are left: len() \
                         (from size_hint) must count the items taken from both ends",
                        "在装着 1..={len} 的环上，调用 {} 之后还剩 {left} 个元素：len()（由 \
                         size_hint 算出）必须把从两端取走的元素都算上",
                        calls.join(", ")
                    )
                );
            }
        }

        /// Iterating borrows the ring: it changes nothing, and two iterators may walk it
        /// at once.
        #[test]
        fn leaves_the_ring_as_it_was() {
            let ring = numbers(5, 3, 4);
            let before = format!("{ring:?}");
            let mut a = ring.iter();
            let mut b = ring.iter();
            assert_eq!(
                a.next(),
                Some(&1),
                "{}",
                say!("a first iterator's first item", "第一个迭代器的第一个元素")
            );
            assert_eq!(
                b.next_back(),
                Some(&4),
                "{}",
                say!(
                    "a second iterator's last item",
                    "第二个迭代器的最后一个元素"
                )
            );
            assert_eq!(
                a.next(),
                Some(&2),
                "{}",
                say!(
                    "two iterators over one ring must not disturb each other",
                    "同一个环上的两个迭代器不能互相干扰"
                )
            );
            assert_eq!(
                format!("{ring:?}"),
                before,
                "{}",
                say!("iterating must leave the ring as it was", "遍历不能改变环")
            );
            assert_eq!(
                ring.len(),
                4,
                "{}",
                say!("iterating must take nothing out", "遍历不能取走元素")
            );
        }

        /// The iterator works with the standard adapters, which rely on its traits.
        #[test]
        fn works_with_std_adapters() {
            let words = ring_with(4, 3, vec!["容器", "可迭代对象", "迭代器", "生成器"], || "");
            let joined: Vec<&str> = words.iter().rev().skip(1).take(LIMIT).copied().collect();
            assert_eq!(
                joined,
                ["迭代器", "可迭代对象", "容器"],
                "{}",
                say!("ring.iter().rev().skip(1)", "ring.iter().rev().skip(1)")
            );
            let pairs: Vec<(usize, &&str)> = words
                .iter()
                .take(LIMIT)
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .collect();
            assert_eq!(
                pairs,
                [(1, &"可迭代对象"), (3, &"生成器")],
                "{}",
                say!(
                    "ring.iter().enumerate().filter(..)",
                    "ring.iter().enumerate().filter(..)"
                )
            );
            assert_eq!(
                words
                    .iter()
                    .take(LIMIT)
                    .map(|w| w.chars().count())
                    .sum::<usize>(),
                13,
                "{}",
                say!("ring.iter().map(..).sum()", "ring.iter().map(..).sum()")
            );
            assert_eq!(
                words.iter().rposition(|w| w.starts_with('可')),
                Some(1),
                "{}",
                say!(
                    "ring.iter().rposition(..) (needs DoubleEndedIterator and ExactSizeIterator)",
                    "ring.iter().rposition(..)（需要 DoubleEndedIterator 和 ExactSizeIterator）"
                )
            );
        }
    }

    /// The ring's iterator against `VecDeque`'s, both driven by the same random calls
    /// of `next` and `next_back`, with `size_hint` and `len` checked before every call.
    mod model {
        use super::*;

        proptest! {
            #[test]
            fn matches_vecdeque(
                len in 0usize..8,
                free_slots in 0usize..4,
                rotation in 0usize..16,
                from_front in proptest::collection::vec(any::<bool>(), 0..20),
            ) {
                let capacity = len + free_slots;
                let ring = numbers(capacity, rotation, len);
                let model: VecDeque<u32> = (1..=len as u32).collect();
                let mut iter = ring.iter();
                let mut expected = model.iter();
                let mut calls = vec![format!("ring.iter() over {model:?}")];
                for front in from_front {
                    let when = say!("after {}", "在 {} 之后", calls.join(", "));
                    let problem = exact_size_problem(&iter, expected.len(), "ring.iter()", &when);
                    prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
                    let (got, want, call) = if front {
                        (iter.next(), expected.next(), "next()")
                    } else {
                        (iter.next_back(), expected.next_back(), "next_back()")
                    };
                    calls.push(call.to_string());
                    prop_assert_eq!(
                        got,
                        want,
                        "{}",
                        say!(
                            "{}: the last call must give what VecDeque's iterator gives",
                            "{}：最后一次调用必须得到 VecDeque 的迭代器给出的结果",
                            calls.join(", ")
                        )
                    );
                }
                let when = say!("after {}", "在 {} 之后", calls.join(", "));
                let problem = exact_size_problem(&iter, expected.len(), "ring.iter()", &when);
                prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
            }
        }
    }

    mod exhaustion {
        use super::*;

        /// After its first `None`, from either end, `None` forever.
        #[rstest]
        #[case::empty(0)]
        #[case::one(1)]
        #[case::several(4)]
        fn none_forever_after_the_end(#[case] len: usize) {
            let ring = numbers(5, 3, len);
            assert_stays_exhausted(ring.iter(), "ring.iter()");
            assert_stays_exhausted(ring.iter().rev(), "ring.iter().rev()");
            let mut iter = ring.iter();
            let _ = iter.by_ref().take(LIMIT).count();
            assert_eq!(
                iter.next_back(),
                None,
                "{}",
                say!(
                    "ring.iter() ran to its end with next(); next_back() must then give None \
                     too: the two ends have met",
                    "ring.iter() 用 next() 走到了尽头，这时 next_back() 也必须返回 None：\
                     两端已经相遇"
                )
            );
        }
    }

    mod memory {
        use super::*;

        /// Walking a ring of 10,000 items both ways allocates nothing (measured in a
        /// child process of its own: see `in_own_process`).
        #[test]
        fn allocates_nothing() {
            in_own_process("iter::memory::allocates_nothing", || {
                let ring = numbers(10_000, 6_000, 10_000);
                let (sums, peak) = heap::peak_during(|| {
                    let forward: u64 = ring.iter().take(LIMIT).map(|&x| u64::from(x)).sum();
                    let backward: u64 = ring.iter().rev().take(LIMIT).map(|&x| u64::from(x)).sum();
                    (forward, backward)
                });
                assert_allocated_nothing(peak, "walking a ring with ring.iter()");
                assert_eq!(sums, (50_005_000, 50_005_000), "the sums of 1..=10000");
            });
        }
    }
}

/// The items of the tests of `for x in ring`: each probe counts its clones and its drops
/// in the `Probes` log it borrows, so the suite sees whether moving a ring hands out its
/// very items (no clone) and drops each exactly once. A probe holds only numbers and a
/// borrow, never an `Rc` or a `String`: dropping one twice (an item copied out with
/// `ptr::read` and dropped again by the ring) then only counts twice, where freeing
/// something twice would abort the whole test before it could say what went wrong.
/// It is `Clone` on purpose: the suite must be able to see a clone happen.
struct Probe<'a> {
    id: u32,
    /// Its place in the log.
    slot: usize,
    log: &'a Probes,
}

/// The log of every probe made: its id and how many times it was dropped.
#[derive(Default)]
struct Probes {
    made: RefCell<Vec<(u32, usize)>>,
    clones: Cell<usize>,
}

impl Probes {
    fn make(&self, id: u32) -> Probe<'_> {
        let mut made = self.made.borrow_mut();
        made.push((id, 0));
        Probe {
            id,
            slot: made.len() - 1,
            log: self,
        }
    }

    /// How many times `probe` has been dropped so far.
    fn drops_of(&self, probe: &Probe<'_>) -> usize {
        self.made.borrow()[probe.slot].1
    }

    /// How many probes have not been dropped yet.
    fn alive(&self) -> usize {
        self.made.borrow().iter().filter(|(_, n)| *n == 0).count()
    }

    /// Fails unless every probe was dropped exactly once, naming a double drop first.
    #[track_caller]
    fn assert_each_dropped_once(&self) {
        let made = self.made.borrow();
        let twice: Vec<u32> = made
            .iter()
            .filter(|(_, n)| *n > 1)
            .map(|(id, _)| *id)
            .collect();
        assert!(twice.is_empty(), "{}", dropped_twice(&twice));
        let never: Vec<u32> = made
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(id, _)| *id)
            .collect();
        assert!(
            never.is_empty(),
            "{}",
            say!(
                "items {never:?} were never dropped: a leak. Every item is dropped once, \
                 whether it was taken out or left in the iterator",
                "元素 {never:?} 从没被释放（drop）：内存泄漏。每个元素都要恰好释放一次，\
                 不管它是被取了出来，还是留在了迭代器里"
            )
        );
    }
}

/// The explanation of a double drop of the items `ids`.
fn dropped_twice(ids: &[u32]) -> String {
    say!(
        "items {ids:?} were dropped twice (a double drop). An item moved out of the ring must \
         leave it: pop_front and pop_back take it out of its slot. Copying it out (ptr::read) \
         leaves the original in the ring, which drops it again; with a String or a Box that \
         frees the same memory twice and crashes the program",
        "元素 {ids:?} 被释放（drop）了两次（重复释放）。从环里移出的元素必须离开环：\
         pop_front 和 pop_back 会把它从格子里拿走。把它复制出来（ptr::read）会把原件留在\
         环里，环又会再释放它一次；如果元素是 String 或 Box，同一块内存会被释放两次，\
         程序就崩溃了"
    )
}

impl Probe<'_> {
    fn id(&self) -> u32 {
        self.id
    }
}

impl Clone for Probe<'_> {
    fn clone(&self) -> Self {
        self.log.clones.set(self.log.clones.get() + 1);
        self.log.make(self.id)
    }
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        self.log.made.borrow_mut()[self.slot].1 += 1;
    }
}

impl Debug for Probe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Probe({})", self.id)
    }
}

/// The ring's iterator by value: `for x in ring`.
mod into_iter {
    use super::*;

    mod examples {
        use super::*;

        #[rstest]
        #[case::no_slots(0, 0, 0)]
        #[case::empty(3, 1, 0)]
        #[case::one(1, 0, 1)]
        #[case::full(4, 0, 4)]
        #[case::wrapped(5, 3, 5)]
        #[case::wrapped_partly_full(6, 4, 4)]
        fn moves_every_item_out(
            #[case] capacity: usize,
            #[case] rotation: usize,
            #[case] len: usize,
        ) {
            // Probes, not Strings: they are moved like any owned value, and a double drop
            // of one is counted instead of crashing the test (see `Probe`).
            let probes = Probes::default();
            let expected: Vec<u32> = (1..=len as u32).collect();
            let make = || {
                let items = expected.iter().map(|&id| probes.make(id)).collect();
                ring_with(capacity, rotation, items, || probes.make(0))
            };
            let forward: Vec<u32> = make().into_iter().take(LIMIT).map(|p| p.id()).collect();
            assert_eq!(
                forward,
                expected,
                "{}",
                say!(
                    "ring.into_iter() must yield the items front to back",
                    "ring.into_iter() 必须从前到后产出元素"
                )
            );
            let mut by_for = Vec::new();
            for item in make() {
                by_for.push(item.id());
                if by_for.len() > LIMIT {
                    break;
                }
            }
            assert_eq!(
                by_for,
                expected,
                "{}",
                say!(
                    "`for x in ring` must yield the items front to back",
                    "`for x in ring` 必须从前到后产出元素"
                )
            );
            let backward: Vec<u32> = make()
                .into_iter()
                .rev()
                .take(LIMIT)
                .map(|p| p.id())
                .collect();
            let reversed: Vec<u32> = expected.iter().rev().copied().collect();
            assert_eq!(
                backward,
                reversed,
                "{}",
                say!(
                    "ring.into_iter().rev() (next_back) must yield the items back to front",
                    "ring.into_iter().rev()（next_back）必须从后往前产出元素"
                )
            );
            assert_eq!(
                make().into_iter().len(),
                len,
                "{}",
                say!(
                    "ring.into_iter().len() before any item is taken must be the ring's len()",
                    "还没取任何元素时，ring.into_iter().len() 必须等于环的 len()"
                )
            );
        }

        #[test]
        fn meets_in_the_middle() {
            let mut iter = numbers(6, 4, 5).into_iter();
            let got = [
                iter.next(),
                iter.next_back(),
                iter.next_back(),
                iter.next(),
                iter.next(),
                iter.next_back(),
                iter.next(),
            ];
            assert_eq!(
                got,
                [Some(1), Some(5), Some(4), Some(2), Some(3), None, None],
                "{}",
                say!(
                    "on a ring of 1..=5 moved into an iterator: next, next_back, next_back, \
                     next, next, next_back, next",
                    "把装着 1..=5 的环变成迭代器后依次调用 next, next_back, next_back, next, \
                     next, next_back, next"
                )
            );
        }
    }

    /// `ring.into_iter()` against `VecDeque::into_iter`, driven by the same random
    /// calls, with `size_hint` and `len` checked before every call.
    mod model {
        use super::*;

        proptest! {
            #[test]
            fn matches_vecdeque(
                len in 0usize..8,
                free_slots in 0usize..4,
                rotation in 0usize..16,
                from_front in proptest::collection::vec(any::<bool>(), 0..20),
            ) {
                let capacity = len + free_slots;
                let model: VecDeque<u32> = (1..=len as u32).collect();
                let mut iter = numbers(capacity, rotation, len).into_iter();
                let mut calls = vec![format!("ring.into_iter() over {model:?}")];
                let mut expected = model.into_iter();
                for front in from_front {
                    let when = say!("after {}", "在 {} 之后", calls.join(", "));
                    let problem = exact_size_problem(&iter, expected.len(), "ring.into_iter()", &when);
                    prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
                    let (got, want, call) = if front {
                        (iter.next(), expected.next(), "next()")
                    } else {
                        (iter.next_back(), expected.next_back(), "next_back()")
                    };
                    calls.push(call.to_string());
                    prop_assert_eq!(
                        got,
                        want,
                        "{}",
                        say!(
                            "{}: the last call must give what VecDeque's into_iter gives",
                            "{}：最后一次调用必须得到 VecDeque 的 into_iter 给出的结果",
                            calls.join(", ")
                        )
                    );
                }
                let when = say!("after {}", "在 {} 之后", calls.join(", "));
                let problem = exact_size_problem(&iter, expected.len(), "ring.into_iter()", &when);
                prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
            }
        }
    }

    /// `for x in ring` moves the ring's own items out: no clone, and every item dropped
    /// exactly once, whether it was taken or left in the iterator.
    mod drops {
        use super::*;

        #[test]
        fn moves_items_without_cloning() {
            let probes = Probes::default();
            let ring = ring_with(5, 3, (1..=5).map(|i| probes.make(i)).collect(), || {
                probes.make(0)
            });
            let ids: Vec<u32> = ring.into_iter().take(LIMIT).map(|p| p.id()).collect();
            assert_eq!(
                ids,
                [1, 2, 3, 4, 5],
                "{}",
                say!(
                    "ring.into_iter() must yield the items front to back",
                    "ring.into_iter() 必须从前到后产出元素"
                )
            );
            assert_eq!(
                probes.clones.get(),
                0,
                "{}",
                say!(
                    "ring.into_iter() cloned items: moving a ring into a `for` loop must move \
                     its own items out (pop them), never hand out copies",
                    "ring.into_iter() 克隆（clone）了元素：把环交给 `for` 循环时必须把它自己的\
                     元素移出来（pop），而不是交出副本"
                )
            );
            probes.assert_each_dropped_once();
        }

        /// An iterator dropped half way drops the items it did not yield, once each, and
        /// never the ones it yielded.
        #[rstest]
        #[case::none_taken(0, 0)]
        #[case::from_the_front(2, 0)]
        #[case::from_both_ends(1, 2)]
        #[case::all_taken(3, 2)]
        fn drops_the_rest_once(#[case] front: usize, #[case] back: usize) {
            let probes = Probes::default();
            let ring = ring_with(6, 4, (1..=5).map(|i| probes.make(i)).collect(), || {
                probes.make(0)
            });
            let mut iter = ring.into_iter();
            let mut taken = Vec::new();
            for _ in 0..front {
                taken.extend(iter.next());
            }
            for _ in 0..back {
                taken.extend(iter.next_back());
            }
            assert_eq!(
                taken.len(),
                front + back,
                "{}",
                say!(
                    "{front} next() and {back} next_back() on 5 items each give one",
                    "在 5 个元素上调用 {front} 次 next() 和 {back} 次 next_back()，每次都应得到一个元素"
                )
            );
            drop(iter);
            // An item the test still holds has not been dropped by its owner yet: if it
            // has been dropped, the iterator dropped it too, and it will be dropped twice.
            let gone: Vec<u32> = taken
                .iter()
                .filter(|p| probes.drops_of(p) > 0)
                .map(|p| p.id())
                .collect();
            assert!(gone.is_empty(), "{}", dropped_twice(&gone));
            assert_eq!(
                probes.alive(),
                taken.len(),
                "{}",
                say!(
                    "after dropping the iterator, only the {} items taken out may be alive: \
                     the iterator must drop the items it still held",
                    "迭代器被丢弃后，只有取出来的 {} 个元素还能活着：迭代器必须释放它还拿着的元素",
                    taken.len()
                )
            );
            drop(taken);
            assert_eq!(
                probes.clones.get(),
                0,
                "{}",
                say!(
                    "ring.into_iter() must not clone items",
                    "ring.into_iter() 不能克隆元素"
                )
            );
            probes.assert_each_dropped_once();
        }
    }

    mod exhaustion {
        use super::*;

        #[rstest]
        #[case::empty(0)]
        #[case::one(1)]
        #[case::several(4)]
        fn none_forever_after_the_end(#[case] len: usize) {
            assert_stays_exhausted(numbers(5, 2, len).into_iter(), "ring.into_iter()");
            assert_stays_exhausted(
                numbers(5, 2, len).into_iter().rev(),
                "ring.into_iter().rev()",
            );
        }
    }

    mod memory {
        use super::*;

        /// Moving a ring of 10,000 items into an iterator and draining it from both ends
        /// allocates nothing: the iterator keeps the ring itself (measured in a child
        /// process of its own).
        #[test]
        fn allocates_nothing() {
            in_own_process("into_iter::memory::allocates_nothing", || {
                let ring = numbers(10_000, 6_000, 10_000);
                let (sum, peak) = heap::peak_during(move || {
                    let mut iter = ring.into_iter();
                    let mut sum = 0u64;
                    // Bounded: 5,000 steps of two items each drain it.
                    for _ in 0..LIMIT {
                        let (Some(a), b) = (iter.next(), iter.next_back()) else {
                            break;
                        };
                        sum += u64::from(a) + b.map_or(0, u64::from);
                    }
                    sum
                });
                assert_allocated_nothing(peak, "ring.into_iter()");
                assert_eq!(sum, 50_005_000, "the sum of 1..=10000");
            });
        }
    }
}

/// The Fibonacci generator.
mod fibonacci {
    use super::*;

    /// F(93), the last Fibonacci number that fits in a `u64`.
    const F93: u64 = 12_200_160_415_121_876_738;

    mod examples {
        use super::*;

        #[test]
        fn starts_0_1_1_2() {
            let first: Vec<u64> = fibonacci().take(12).collect();
            assert_eq!(
                first,
                [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
                "{}",
                say!("the first twelve Fibonacci numbers", "前十二个斐波那契数")
            );
        }

        #[rstest]
        #[case::f10(10, 55)]
        #[case::f50(50, 12_586_269_025)]
        #[case::f90(90, 2_880_067_194_370_816_120)]
        #[case::f92(92, 7_540_113_804_746_346_429)]
        #[case::f93(93, F93)]
        fn nth(#[case] n: usize, #[case] expected: u64) {
            assert_eq!(
                fibonacci().nth(n),
                Some(expected),
                "{}",
                say!(
                    "fibonacci().nth({n}) is F({n})",
                    "fibonacci().nth({n}) 是 F({n})"
                )
            );
        }

        /// 94 numbers, F(0) to F(93), then `None`: F(94) does not fit in a `u64`.
        #[test]
        fn stops_at_the_first_overflow() {
            let all: Vec<u64> = fibonacci().take(200).collect();
            assert_eq!(
                all.len(),
                94,
                "{}",
                say!(
                    "fibonacci() must yield F(0) to F(93), 94 numbers, and then None (F(94) \
                     does not fit in a u64); it yielded {} (last {:?})",
                    "fibonacci() 必须产出 F(0) 到 F(93) 共 94 个数，然后返回 None（F(94) 装不进 \
                     u64）；它产出了 {} 个（最后一个是 {:?}）",
                    if all.len() == 200 {
                        say!("200 or more", "200 个或更多")
                    } else {
                        all.len().to_string()
                    },
                    all.last()
                )
            );
            assert_eq!(
                all.last(),
                Some(&F93),
                "{}",
                say!("the last number is F(93)", "最后一个数是 F(93)")
            );
            assert!(
                all.windows(3).all(|w| w[0].checked_add(w[1]) == Some(w[2])),
                "{}",
                say!(
                    "each number is the sum of the two before it",
                    "每个数都是前两个数之和"
                )
            );
        }
    }

    /// `size_hint` is optional here, but if you write one it must be true at every
    /// step of the 94 numbers.
    mod size_hint {
        use super::*;

        #[test]
        fn keeps_its_contract() {
            assert_size_hint_holds(fibonacci(), 94, NUMBERS, "fibonacci()");
        }
    }

    mod exhaustion {
        use super::*;

        #[test]
        fn none_forever_after_the_end() {
            assert_stays_exhausted(fibonacci(), "fibonacci()");
        }
    }

    mod memory {
        use super::*;

        /// The generator keeps two numbers, not a list (measured in a child process of
        /// its own).
        #[test]
        fn allocates_nothing() {
            in_own_process("fibonacci::memory::allocates_nothing", || {
                let (last, peak) = heap::peak_during(|| fibonacci().take(200).last());
                assert_allocated_nothing(peak, "fibonacci()");
                assert_eq!(last, Some(F93), "the last Fibonacci number");
            });
        }
    }

    mod snapshots {
        use super::*;

        #[test]
        fn every_number() {
            let text: Vec<String> = fibonacci()
                .take(200)
                .enumerate()
                .map(|(n, f)| format!("F({n}) = {f}"))
                .collect();
            insta::assert_snapshot!("every_number", text.join("\n"));
        }
    }
}

/// What `run_length` must give, written plainly: runs of equal bytes, split at 255.
fn model_runs(bytes: &[u8]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for &byte in bytes {
        match runs.last_mut() {
            Some(run) if run.byte == byte && run.count < u8::MAX => run.count += 1,
            _ => runs.push(Run { byte, count: 1 }),
        }
    }
    runs
}

/// Bytes made of `runs` (byte, length): the way the properties make long runs.
fn bytes_of(runs: &[(u8, usize)]) -> Vec<u8> {
    runs.iter()
        .flat_map(|&(byte, len)| std::iter::repeat_n(byte, len))
        .collect()
}

/// Runs of a few byte values (so that neighbours are often equal and merge), mostly
/// short and sometimes up to 600 long. Short runs, above all runs of one byte, are where
/// an encoder's state shows: a last run of one byte is the pending byte alone, the case
/// a size_hint that forgets it gets wrong. Long runs pass 255 and must be split.
fn long_runs() -> impl Strategy<Value = Vec<u8>> {
    let length = prop_oneof![3 => 1usize..4, 1 => 1usize..600];
    proptest::collection::vec((0u8..3, length), 0..6).prop_map(|runs| bytes_of(&runs))
}

/// Bytes as a message shows them: listed when they are few, else counted.
fn shown(bytes: &[u8]) -> String {
    if bytes.len() > 12 {
        say!("{} bytes", "{} 个字节", bytes.len())
    } else {
        format!("{bytes:?}")
    }
}

/// Run-length encoding as a lazy adapter.
mod run_length {
    use super::*;

    fn run(byte: u8, count: u8) -> Run {
        Run { byte, count }
    }

    mod examples {
        use super::*;

        #[rstest]
        #[case::empty(vec![], vec![])]
        #[case::one(vec![7], vec![run(7, 1)])]
        #[case::one_run(b"aaa".to_vec(), vec![run(b'a', 3)])]
        #[case::two_runs(b"aaab".to_vec(), vec![run(b'a', 3), run(b'b', 1)])]
        #[case::all_different(b"abc".to_vec(), vec![run(b'a', 1), run(b'b', 1), run(b'c', 1)])]
        #[case::comes_back(b"aabbaa".to_vec(), vec![run(b'a', 2), run(b'b', 2), run(b'a', 2)])]
        #[case::extreme_bytes(vec![0, 0, 255], vec![run(0, 2), run(255, 1)])]
        #[case::exactly_255(vec![9; 255], vec![run(9, 255)])]
        #[case::just_over_255(vec![9; 256], vec![run(9, 255), run(9, 1)])]
        #[case::over_twice(vec![0; 600], vec![run(0, 255), run(0, 255), run(0, 90)])]
        #[case::long_then_short(bytes_of(&[(1, 510), (2, 1)]), vec![run(1, 255), run(1, 255), run(2, 1)])]
        fn encodes(#[case] bytes: Vec<u8>, #[case] expected: Vec<Run>) {
            let shown = shown(&bytes);
            let got: Vec<Run> = run_length(bytes).take(LIMIT).collect();
            assert_eq!(
                got,
                expected,
                "{}",
                say!("run_length of {shown}", "{shown} 的 run_length")
            );
        }

        /// Any `IntoIterator` of bytes will do: a `Vec`, a byte string's iterator, a
        /// range, an adapter chain.
        #[test]
        fn takes_any_source() {
            let from_str: Vec<Run> = run_length("好好".bytes()).take(LIMIT).collect();
            assert_eq!(
                from_str,
                [
                    run(0xe5, 1),
                    run(0xa5, 1),
                    run(0xbd, 1),
                    run(0xe5, 1),
                    run(0xa5, 1),
                    run(0xbd, 1)
                ],
                "{}",
                say!(
                    "run_length(\"好好\".bytes()): six different neighbours",
                    "run_length(\"好好\".bytes())：六个互不相同的相邻字节"
                )
            );
            let from_chain: Vec<Run> =
                run_length([3u8; 4].into_iter().chain(std::iter::repeat_n(4, 300)))
                    .take(LIMIT)
                    .collect();
            assert_eq!(
                from_chain,
                [run(3, 4), run(4, 255), run(4, 45)],
                "{}",
                say!("run_length over a chain", "对 chain 做 run_length")
            );
        }
    }

    /// Laws any correct encoder obeys, on random bytes with long runs (quickcheck).
    mod laws {
        use super::*;

        fn bytes(runs: Vec<(u8, u16)>) -> Vec<u8> {
            let runs: Vec<(u8, usize)> = runs
                .into_iter()
                .take(8)
                .map(|(b, n)| (b % 4, usize::from(n % 600)))
                .collect();
            bytes_of(&runs)
        }

        /// Expanding the runs again (each `count` copies of its `byte`) gives back the
        /// input: nothing lost, nothing added, nothing reordered.
        #[quickcheck]
        fn expanding_gives_back_the_input(runs: Vec<(u8, u16)>) {
            let bytes = bytes(runs);
            let expanded: Vec<u8> = run_length(bytes.clone())
                .take(LIMIT)
                .flat_map(|run| std::iter::repeat_n(run.byte, usize::from(run.count)))
                .collect();
            let first_difference = bytes
                .iter()
                .zip(&expanded)
                .position(|(a, b)| a != b)
                .unwrap_or(bytes.len().min(expanded.len()));
            assert!(
                expanded == bytes,
                "{}",
                say!(
                    "the input is {} bytes long; expanding its runs gave {} bytes, which differ \
                     from the input first at index {first_difference}: run_length lost, added \
                     or changed bytes",
                    "输入有 {} 个字节；把它的游程展开，得到 {} 个字节，和输入第一处不同在下标 \
                     {first_difference}：run_length 丢了、多了或改了字节",
                    bytes.len(),
                    expanded.len()
                )
            );
        }

        /// Every run is as long as it may be: counts are 1 to 255, and two neighbouring
        /// runs have the same byte only when the first is full (255).
        #[quickcheck]
        fn runs_are_as_long_as_allowed(runs: Vec<(u8, u16)>) {
            let got: Vec<Run> = run_length(bytes(runs)).take(LIMIT).collect();
            for (i, r) in got.iter().enumerate() {
                assert!(
                    r.count >= 1,
                    "{}",
                    say!(
                        "run {i} is {r:?}: a run has at least one byte",
                        "第 {i} 个游程是 {r:?}：游程至少有一个字节"
                    )
                );
            }
            for (i, pair) in got.windows(2).enumerate() {
                assert!(
                    pair[0].byte != pair[1].byte || pair[0].count == u8::MAX,
                    "{}",
                    say!(
                        "runs {i} and {} are {:?} and {:?}: the same byte, and the first is not \
                         full, so they should be one run",
                        "第 {i} 和第 {} 个游程是 {:?} 和 {:?}：字节相同，而前一个还没满 255，\
                         它们应该是同一个游程",
                        i + 1,
                        pair[0],
                        pair[1]
                    )
                );
            }
        }
    }

    /// The `size_hint` contract at every step, over sources that know their length
    /// exactly, only bound it, or know nothing: worked cases first, then random bytes.
    mod size_hint {
        use super::*;

        /// Fixed inputs where a wrong bound shows at once: after `[0, 1]`'s first run,
        /// the byte 1 has been pulled (to see the run end) and is the whole second run,
        /// while the source has nothing left.
        #[rstest]
        #[case::empty(vec![])]
        #[case::one_byte(vec![7])]
        #[case::pending_byte_is_the_last_run(vec![0, 1])]
        #[case::pending_byte_after_a_pair(vec![0, 0, 1])]
        #[case::all_different(vec![1, 2, 3])]
        #[case::full_run_then_one(bytes_of(&[(4, 255), (5, 1)]))]
        #[case::split_at_255(vec![9; 256])]
        #[case::long(vec![9; 600])]
        fn holds_on_worked_cases(
            #[case] bytes: Vec<u8>,
            #[values(Hint::Exact, Hint::Bounded, Hint::Unknown)] hint: Hint,
        ) {
            let total = model_runs(&bytes).len();
            let shown = shown(&bytes);
            let what = say!(
                "run_length over {shown} from a source whose size_hint is {hint:?}",
                "对 {shown}（数据源的 size_hint 属于 {hint:?}）做 run_length"
            );
            assert_size_hint_holds(run_length(source(bytes, hint)), total, RUNS, &what);
        }

        proptest! {
            #[test]
            fn holds_on_random_bytes(bytes in long_runs(), hint in hints()) {
                let expected = model_runs(&bytes);
                let what = say!(
                    "run_length over {} bytes from a source whose size_hint is {hint:?}",
                    "对 {} 个字节（数据源的 size_hint 属于 {hint:?}）做 run_length",
                    bytes.len()
                );
                let mut runs = run_length(source(bytes, hint));
                for (taken, want) in expected.iter().enumerate() {
                    let problem = size_hint_problem(&runs, expected.len() - taken, RUNS, &what, &RUNS.when(taken, expected.len()));
                    prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
                    prop_assert_eq!(runs.next(), Some(*want), "{}: {}", what, say!("run {}", "第 {} 个游程", taken));
                }
                let problem = size_hint_problem(&runs, 0, RUNS, &what, &RUNS.when(expected.len(), expected.len()));
                prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
            }
        }
    }

    /// How many bytes `run_length` pulls from its source, counted: only what the runs
    /// taken need, plus at most the one byte that ends the last of them.
    mod laziness {
        use super::*;

        #[test]
        fn making_it_pulls_nothing() {
            let pulls = Pulls::new();
            let runs = run_length(pulls.wrap(std::iter::repeat(1u8)));
            assert_eq!(
                pulls.count(),
                0,
                "{}",
                say!(
                    "run_length(source) pulled {} bytes before anyone asked for a run: making \
                     the adapter must run nothing (like calling a Python generator function)",
                    "run_length(source) 在还没有人要游程的时候就取了 {} 个字节：创建适配器时什么都\
                     不能运行（就像调用 Python 的生成器函数那样）",
                    pulls.count()
                )
            );
            drop(runs);
        }

        /// Three runs taken from an endless source: the pulls stay within the bytes of
        /// those runs plus one.
        #[rstest]
        #[case::short_runs(&[1, 1, 2, 3, 3, 3], &[(1, 2), (2, 1), (3, 3)], 6)]
        #[case::all_different(&[5, 6, 7, 8], &[(5, 1), (6, 1), (7, 1)], 3)]
        #[case::one_byte_forever(&[9], &[(9, 255), (9, 255), (9, 255)], 765)]
        fn takes_three_runs_from_an_endless_source(
            #[case] cycle: &[u8],
            #[case] expected: &[(u8, u8)],
            #[case] needed: usize,
        ) {
            let pulls = Pulls::new();
            let taken: Vec<(u8, u8)> = run_length(pulls.wrap(cycle.iter().copied().cycle()))
                .take(3)
                .map(|r| (r.byte, r.count))
                .collect();
            assert_eq!(
                taken,
                expected,
                "{}",
                say!(
                    "the first three runs of {cycle:?} repeated forever",
                    "{cycle:?} 无限重复时的前三个游程"
                )
            );
            assert!(
                pulls.count() <= needed + 1,
                "{}",
                say!(
                    "taking 3 runs from {cycle:?} repeated forever pulled {} bytes; those runs \
                     hold {needed}, and one more may be read to see the last run end, so at \
                     most {}",
                    "从无限重复的 {cycle:?} 里取 3 个游程，取了 {} 个字节；这些游程一共 {needed} \
                     个字节，为了看到最后一个游程结束可以多读一个，所以最多 {}",
                    pulls.count(),
                    needed + 1
                )
            );
        }

        proptest! {
            /// After each run, the pulls so far stay within the bytes of the runs given
            /// so far plus one.
            #[test]
            fn pulls_follow_demand(bytes in long_runs()) {
                let expected = model_runs(&bytes);
                let pulls = Pulls::new();
                let mut runs = run_length(pulls.wrap(bytes.clone().into_iter()));
                let mut given = 0usize;
                for (i, want) in expected.iter().enumerate() {
                    prop_assert_eq!(runs.next(), Some(*want), "{}", say!("run {}", "第 {} 个游程", i));
                    given += usize::from(want.count);
                    let (runs_taken, pulled, total) = (i + 1, pulls.count(), bytes.len());
                    prop_assert!(
                        pulled <= given + 1,
                        "{}",
                        say!(
                            "after {runs_taken} runs holding {given} bytes, run_length had pulled \
                             {pulled} times from a source of {total} bytes (the pull that finds \
                             the end counts too), where {} are enough: it reads ahead instead of \
                             pulling only what the next run needs",
                            "取出 {runs_taken} 个游程（共 {given} 个字节）之后，run_length 已经向\
                             一个有 {total} 个字节的数据源拉取了 {pulled} 次（发现结尾的那一次也\
                             算），而 {} 次就够了：它在提前读取，而不是只取下一个游程需要的",
                            given + 1
                        )
                    );
                }
            }
        }
    }

    mod exhaustion {
        use super::*;

        /// `None` forever after the first, and no pull after it, even from a source
        /// that would yield again.
        #[test]
        fn none_forever_even_if_the_source_resumes() {
            let pulls = Pulls::new();
            let mut runs = run_length(pulls.wrap(resuming(vec![1, 1, 2], vec![3, 3])));
            let first: Vec<Run> = runs.by_ref().take(LIMIT).collect();
            assert_eq!(
                first,
                [run(1, 2), run(2, 1)],
                "{}",
                say!(
                    "this source yields 1, 1, 2, then None, then 3, 3 (an iterator that is not \
                     fused may yield again after None). run_length must give the runs of \
                     [1, 1, 2] and end there: once its source has said None, even while a run \
                     was being counted, it never asks it again (`.fuse()` the source, or keep a \
                     `done` flag)",
                    "这个数据源先产出 1, 1, 2，然后返回 None，之后又产出 3, 3（没有融合的迭代器\
                     在 None 之后可以再产出元素）。run_length 必须给出 [1, 1, 2] 的游程，然后就\
                     结束：数据源一旦返回过 None，哪怕当时正在数一个游程，它也再不能向数据源要\
                     东西（对数据源调用 `.fuse()`，或者记一个 `done` 标志）"
                )
            );
            let at_end = pulls.count();
            assert_stays_exhausted(
                &mut runs,
                &say!(
                    "run_length over a source that says None, then yields again",
                    "对一个先返回 None、之后又产出元素的数据源做 run_length"
                ),
            );
            assert_eq!(
                pulls.count(),
                at_end,
                "{}",
                say!(
                    "run_length pulled from its source again after the source had said None: \
                     a fused adapter never asks an ended source again (`.fuse()` it, or keep a \
                     `done` flag)",
                    "数据源已经返回 None 之后，run_length 又向它取元素：融合（fused）的适配器\
                     不会再向已结束的数据源要东西（对它调用 `.fuse()`，或者记一个 `done` 标志）"
                )
            );
        }
    }

    mod memory {
        use super::*;

        /// Encoding a million bytes in runs of 1,000 allocates nothing: a run is
        /// counted, never stored (measured in a child process of its own).
        #[test]
        fn allocates_nothing() {
            in_own_process("run_length::memory::allocates_nothing", || {
                let (counted, peak) = heap::peak_during(|| {
                    let bytes = (0..1_000_000u32).map(|i| (i / 1000) as u8);
                    // Bounded: 4,000 runs are expected (each 1,000 splits in four).
                    run_length(bytes)
                        .take(1_000_000)
                        .map(|run| usize::from(run.count))
                        .sum::<usize>()
                });
                assert_allocated_nothing(peak, "run_length over a million bytes");
                assert_eq!(
                    counted, 1_000_000,
                    "the run counts add up to the input's length"
                );
            });
        }
    }

    mod snapshots {
        use super::*;

        #[test]
        fn encoded_text() {
            // A classic example of run-length encoding, then a line of 300 `=` (split at 255).
            let text = format!(
                "WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWB\n{}\n",
                "=".repeat(300)
            );
            let runs: Vec<String> = run_length(text.bytes())
                .take(LIMIT)
                .map(|r| {
                    if r.byte.is_ascii_graphic() {
                        format!("{}{}", r.count, r.byte as char)
                    } else {
                        format!("{}x{:02x}", r.count, r.byte)
                    }
                })
                .collect();
            insta::assert_snapshot!("encoded_text", runs.join(" "));
        }
    }
}

/// Lazy chunking of any iterator.
mod chunks {
    use super::*;

    mod examples {
        use super::*;

        #[rstest]
        #[case::short_last(5, 2, vec![vec![1, 2], vec![3, 4], vec![5]])]
        #[case::exact_multiple(6, 3, vec![vec![1, 2, 3], vec![4, 5, 6]])]
        #[case::empty(0, 3, vec![])]
        #[case::size_one(3, 1, vec![vec![1], vec![2], vec![3]])]
        #[case::size_of_the_source(4, 4, vec![vec![1, 2, 3, 4]])]
        #[case::size_over_the_source(3, 10, vec![vec![1, 2, 3]])]
        #[case::largest_size(3, usize::MAX, vec![vec![1, 2, 3]])]
        fn splits(#[case] len: u32, #[case] size: usize, #[case] expected: Vec<Vec<u32>>) {
            let got: Vec<Vec<u32>> = chunks(1..=len, size).take(LIMIT).collect();
            assert_eq!(
                got,
                expected,
                "{}",
                say!("chunks(1..={len}, {size})", "chunks(1..={len}, {size})")
            );
        }

        /// Any `IntoIterator` will do, and its items are moved into the chunks.
        #[test]
        fn takes_any_source() {
            let words = vec!["容器".to_string(), "迭代器".into(), "生成器".into()];
            let got: Vec<Vec<String>> = chunks(words, 2).take(LIMIT).collect();
            assert_eq!(
                got,
                [vec!["容器", "迭代器"], vec!["生成器"]],
                "{}",
                say!(
                    "chunks of a Vec<String> by 2",
                    "把 Vec<String> 每 2 个分一块"
                )
            );
            let got: Vec<Vec<char>> = chunks("迭代器与生成器".chars().filter(|c| *c != '与'), 3)
                .take(LIMIT)
                .collect();
            assert_eq!(
                got,
                [vec!['迭', '代', '器'], vec!['生', '成', '器']],
                "{}",
                say!("chunks of a filtered chars()", "对过滤后的 chars() 分块")
            );
        }
    }

    /// A size of 0 cannot make progress: it is a documented precondition, and
    /// `chunks` panics at once, as `slice::chunks` does.
    mod panics {
        use super::*;

        #[test]
        #[should_panic(expected = "chunk size must be non-zero")]
        fn zero_size_panics_at_the_call() {
            let _never_iterated = chunks(0..10, 0);
        }
    }

    /// Laws any correct chunker obeys (quickcheck).
    mod laws {
        use super::*;

        /// `chunks(v, size)` gives what `v.chunks(size)` gives for a slice.
        #[quickcheck]
        fn agrees_with_slice_chunks(items: Vec<u32>, size: u8) {
            let size = usize::from(size % 12) + 1;
            let got: Vec<Vec<u32>> = chunks(items.clone(), size).take(LIMIT).collect();
            let expected: Vec<Vec<u32>> = items.chunks(size).map(<[u32]>::to_vec).collect();
            assert_eq!(
                got,
                expected,
                "{}",
                say!(
                    "chunks of {} items by {size} must be what slice::chunks gives: full chunks, \
                     then one short chunk if any items are left, never an empty one",
                    "{} 个元素每 {size} 个一块，必须和 slice::chunks 的结果一样：先是满的块，\
                     有剩余时最后一块短一些，永远没有空块",
                    items.len()
                )
            );
        }
    }

    /// The `size_hint` contract at every step, over sources that know their length
    /// exactly, only bound it, or know nothing: worked cases first, then random sizes.
    mod size_hint {
        use super::*;

        /// Fixed lengths and sizes: a short last chunk (where rounding down loses it),
        /// an exact multiple (where rounding up too far adds one), and the edges.
        #[rstest]
        #[case::empty(0, 3)]
        #[case::short_last(5, 2)]
        #[case::exact_multiple(6, 3)]
        #[case::size_one(3, 1)]
        #[case::size_over_the_source(3, 10)]
        #[case::largest_size(3, usize::MAX)]
        fn holds_on_worked_cases(
            #[case] len: usize,
            #[case] size: usize,
            #[values(Hint::Exact, Hint::Bounded, Hint::Unknown)] hint: Hint,
        ) {
            let total = len.div_ceil(size);
            let what = say!(
                "chunks of {len} items by {size} from a source whose size_hint is {hint:?}",
                "{len} 个元素每 {size} 个一块（数据源的 size_hint 属于 {hint:?}）"
            );
            let items: Vec<usize> = (0..len).collect();
            assert_size_hint_holds(chunks(source(items, hint), size), total, CHUNKS, &what);
        }

        proptest! {
            #[test]
            fn holds_on_random_lengths(size in 1usize..8, len in 0usize..40, hint in hints()) {
                let items: Vec<usize> = (0..len).collect();
                let expected: Vec<Vec<usize>> = items.chunks(size).map(<[usize]>::to_vec).collect();
                let what = say!(
                    "chunks of {len} items by {size} from a source whose size_hint is {hint:?}",
                    "{len} 个元素每 {size} 个一块（数据源的 size_hint 属于 {hint:?}）"
                );
                let mut got = chunks(source(items, hint), size);
                let total = expected.len();
                for (taken, want) in expected.iter().enumerate() {
                    let problem = size_hint_problem(&got, total - taken, CHUNKS, &what, &CHUNKS.when(taken, total));
                    prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
                    prop_assert_eq!(got.next(), Some(want.clone()), "{}: {}", what, say!("chunk {}", "第 {} 块", taken));
                }
                let problem = size_hint_problem(&got, 0, CHUNKS, &what, &CHUNKS.when(total, total));
                prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
            }
        }
    }

    /// How many items `chunks` pulls from its source, counted, and exactly: a full chunk
    /// pulls its items and nothing more (the item after it is not looked at), and only a
    /// chunk cut short by the end, or the call that finds the end, pulls the `None`.
    mod laziness {
        use super::*;

        #[test]
        fn making_it_pulls_nothing() {
            let pulls = Pulls::new();
            let chunked = chunks(pulls.wrap(0u64..), 4);
            assert_eq!(
                pulls.count(),
                0,
                "{}",
                say!(
                    "chunks(source, 4) pulled {} items before anyone asked for a chunk: making \
                     the adapter must run nothing",
                    "chunks(source, 4) 在还没有人要块的时候就取了 {} 个元素：创建适配器时什么都\
                     不能运行",
                    pulls.count()
                )
            );
            drop(chunked);
        }

        /// Three chunks taken from an endless source pull exactly those chunks' items.
        #[rstest]
        #[case::size_1(1)]
        #[case::size_2(2)]
        #[case::size_1000(1000)]
        fn takes_three_chunks_from_an_endless_source(#[case] size: usize) {
            let pulls = Pulls::new();
            let mut chunked = chunks(pulls.wrap(0u64..), size);
            for c in 0..3u64 {
                let expected: Vec<u64> = (c * size as u64..(c + 1) * size as u64).collect();
                assert_eq!(
                    chunked.next(),
                    Some(expected),
                    "{}",
                    say!(
                        "chunk {c} of 0.. by {size}",
                        "0.. 每 {size} 个一块的第 {c} 块"
                    )
                );
                let needed = (c as usize + 1) * size;
                assert_eq!(
                    pulls.count(),
                    needed,
                    "{}",
                    say!(
                        "after {} of {size} from an endless source, chunks had pulled {} items \
                         from it, where those chunks hold {needed}. A full chunk is returned as \
                         soon as it is full, without pulling the item after it: on a source that \
                         blocks (lines read from stdin) that pull would wait for input no chunk \
                         needs yet",
                        "从无限的数据源里取出 {}（每块 {size} 个）之后，chunks 已经从它那里取了 \
                         {} 个元素，而这些块一共只有 {needed} 个。一块装满就要立刻返回，不能再去\
                         取它后面的那个元素：如果数据源会阻塞（比如从 stdin 读行），多取的这一次会\
                         等待一个还没有哪一块需要的输入",
                        CHUNKS.count(c as usize + 1),
                        pulls.count()
                    )
                );
            }
        }

        /// Exactly how many items each call pulls, on worked cases: `(len, size)`.
        #[rstest]
        #[case::short_last(5, 2)]
        #[case::exact_multiple(6, 3)]
        #[case::one_chunk(3, 3)]
        #[case::size_over_the_source(2, 5)]
        #[case::empty(0, 4)]
        fn pulls_exactly_each_chunk(#[case] len: usize, #[case] size: usize) {
            let pulls = Pulls::new();
            let mut chunked = chunks(pulls.wrap(0..len), size);
            let items: Vec<usize> = (0..len).collect();
            let expected: Vec<Vec<usize>> = items.chunks(size).map(<[usize]>::to_vec).collect();
            let mut log = PullLog::new(len, size);
            for (taken, want) in expected.iter().enumerate() {
                let chunk = chunked.next();
                assert_eq!(
                    chunk.as_ref(),
                    Some(want),
                    "{}",
                    say!(
                        "chunk {taken} of {len} items by {size}",
                        "{len} 个元素每 {size} 个一块的第 {taken} 块"
                    )
                );
                let problem = log.after(chunk.map(|c| c.len()), pulls.count());
                assert!(problem.is_none(), "{}", problem.unwrap_or_default());
            }
            let end = chunked.next();
            assert_eq!(
                end,
                None,
                "{}",
                say!(
                    "chunks of {len} items by {size} give {}, then None",
                    "{len} 个元素每 {size} 个一块，先给出 {}，然后是 None",
                    CHUNKS.count(expected.len())
                )
            );
            let problem = log.after(None, pulls.count());
            assert!(problem.is_none(), "{}", problem.unwrap_or_default());
        }

        proptest! {
            /// After each chunk, the pulls so far are exactly the items given so far; only
            /// a short last chunk, or the call that finds the end, may also pull the `None`.
            #[test]
            fn pulls_follow_demand_exactly(size in 1usize..8, len in 0usize..60) {
                let pulls = Pulls::new();
                let mut chunked = chunks(pulls.wrap(0..len), size);
                let mut log = PullLog::new(len, size);
                // Bounded: `len + 1` calls give every chunk and the `None`, whatever the size.
                for _ in 0..=len {
                    let chunk = chunked.next();
                    let problem = log.after(chunk.as_ref().map(Vec::len), pulls.count());
                    prop_assert!(problem.is_none(), "{}", problem.unwrap_or_default());
                    if chunk.is_none() {
                        break;
                    }
                }
            }
        }

        /// The pulls of `chunks(0..len, size)`, checked after every call of `next`.
        struct PullLog {
            len: usize,
            size: usize,
            /// Chunks returned so far, and the items they hold.
            taken: usize,
            given: usize,
            /// Pulls counted at the last check.
            pulled: usize,
            /// True once the source has returned `None`: a pull beyond the items given
            /// can only be that one, since a pull ahead fails its own check at once.
            ended: bool,
        }

        impl PullLog {
            fn new(len: usize, size: usize) -> Self {
                PullLog {
                    len,
                    size,
                    taken: 0,
                    given: 0,
                    pulled: 0,
                    ended: false,
                }
            }

            /// What is wrong, if anything, now that a call of `next` returned a chunk of
            /// `chunk` items (`None`: no chunk) and `pulled` pulls are counted in all.
            /// Right: exactly the items given; one more (the `None`) only after a chunk
            /// cut short by the end or the call that returns `None`; and nothing at all
            /// once the source has said `None`. A chunker may know the end without
            /// pulling it (from an exact `size_hint`), so the `None` is allowed, never
            /// required.
            fn after(&mut self, chunk: Option<usize>, pulled: usize) -> Option<String> {
                let (len, size) = (self.len, self.size);
                let (ended_before, pulled_before) = (self.ended, self.pulled);
                if let Some(n) = chunk {
                    self.taken += 1;
                    self.given += n;
                }
                let (taken, given) = (self.taken, self.given);
                self.pulled = pulled;
                self.ended |= pulled > given;
                let may_end = chunk.is_none_or(|n| n < size);
                let right = if ended_before {
                    pulled == pulled_before
                } else {
                    pulled == given || (may_end && pulled == given + 1)
                };
                if right {
                    return None;
                }
                let took = if chunk.is_some() {
                    say!(
                        "chunks of {len} items by {size}: after {}, holding {given} items",
                        "{len} 个元素每 {size} 个一块：取出 {}（共 {given} 个元素）之后",
                        CHUNKS.count(taken)
                    )
                } else {
                    say!(
                        "chunks of {len} items by {size}: after {}, holding {given} items, and \
                         the call that returned None",
                        "{len} 个元素每 {size} 个一块：取出 {}（共 {given} 个元素）并且又一次调用\
                         返回了 None 之后",
                        CHUNKS.count(taken)
                    )
                };
                Some(if ended_before {
                    say!(
                        "{took}, chunks had pulled {pulled} times from its source, {} more \
                         after the source had already returned None. Once its source has said \
                         None, even in the middle of a chunk, chunks must never ask it again: \
                         a source that is not fused may yield again (`.fuse()` the source, or \
                         keep a `done` flag)",
                        "{took}，chunks 已经向数据源拉取了 {pulled} 次，其中 {} 次是在数据源\
                         已经返回 None 之后。数据源一旦返回过 None，哪怕是在一块的中间，chunks \
                         也再不能向它要东西：没有融合的数据源可能会再产出元素（对数据源调用 \
                         `.fuse()`，或者记一个 `done` 标志）",
                        pulled - pulled_before
                    )
                } else if pulled > given {
                    let allowed = if may_end {
                        say!(
                            "{given}, or {} with the pull that finds the end",
                            "{given} 次，或者算上发现结尾的那一次共 {} 次",
                            given + 1
                        )
                    } else {
                        say!("exactly {given}", "恰好 {given} 次")
                    };
                    say!(
                        "{took}, chunks had pulled {pulled} times from its source (the pull \
                         that finds the end counts too), where {allowed} are right: it pulls \
                         ahead instead of only what the chunk it returns needs. A full chunk \
                         is returned as soon as it is full, without looking at the item after \
                         it: on a source that blocks (lines read from stdin) that pull would \
                         wait for input no chunk needs yet",
                        "{took}，chunks 已经向数据源拉取了 {pulled} 次（发现结尾的那一次也算），\
                         而正确的是 {allowed}：它在提前读取，而不是只取它返回的那一块需要的元素。\
                         一块装满就要立刻返回，不能再去看它后面的元素：如果数据源会阻塞（比如\
                         从 stdin 读行），多取的这一次会等待一个还没有哪一块需要的输入"
                    )
                } else {
                    say!(
                        "{took}, chunks had pulled only {pulled} times from its source: its \
                         chunks hold items it never pulled",
                        "{took}，chunks 只向数据源拉取了 {pulled} 次：它的块里有它根本没取过的元素"
                    )
                })
            }
        }
    }

    mod exhaustion {
        use super::*;

        /// `None` forever after the first, and no pull after it, even from a source
        /// that would yield again.
        #[test]
        fn none_forever_even_if_the_source_resumes() {
            let pulls = Pulls::new();
            let mut chunked = chunks(pulls.wrap(resuming(vec![1, 2, 3], vec![4, 5])), 2);
            let first: Vec<Vec<i32>> = chunked.by_ref().take(LIMIT).collect();
            assert_eq!(
                first,
                [vec![1, 2], vec![3]],
                "{}",
                say!(
                    "this source yields 1, 2, 3, then None, then 4, 5 (an iterator that is not \
                     fused may yield again after None). chunks by 2 must give [1, 2] and [3] \
                     and end there: once its source has said None, even in the middle of a \
                     chunk, it never asks it again (`.fuse()` the source, or keep a `done` \
                     flag)",
                    "这个数据源先产出 1, 2, 3，然后返回 None，之后又产出 4, 5（没有融合的迭代器\
                     在 None 之后可以再产出元素）。每 2 个一块，chunks 必须给出 [1, 2] 和 [3]，\
                     然后就结束：数据源一旦返回过 None，哪怕是在一块的中间，它也再不能向数据源\
                     要东西（对数据源调用 `.fuse()`，或者记一个 `done` 标志）"
                )
            );
            let at_end = pulls.count();
            assert_stays_exhausted(
                &mut chunked,
                &say!(
                    "chunks over a source that says None, then yields again",
                    "对一个先返回 None、之后又产出元素的数据源分块"
                ),
            );
            assert_eq!(
                pulls.count(),
                at_end,
                "{}",
                say!(
                    "chunks pulled from its source again after the source had said None: a \
                     fused adapter never asks an ended source again (`.fuse()` it, or keep a \
                     `done` flag)",
                    "数据源已经返回 None 之后，chunks 又向它取元素：融合（fused）的适配器\
                     不会再向已结束的数据源要东西（对它调用 `.fuse()`，或者记一个 `done` 标志）"
                )
            );
        }

        #[test]
        fn none_forever_after_an_exact_multiple() {
            assert_stays_exhausted(chunks(0..6, 3), "chunks(0..6, 3)");
            assert_stays_exhausted(chunks(0..0, 3), "chunks(0..0, 3)");
        }
    }

    mod memory {
        use super::*;

        /// A million `u64`s (8,000,000 bytes if collected) in chunks of 100 (800 bytes)
        /// never hold more than 8,000 bytes at once: one chunk at a time, with room to
        /// grow it (measured in a child process of its own).
        #[test]
        fn holds_one_chunk_at_a_time() {
            in_own_process("chunks::memory::holds_one_chunk_at_a_time", || {
                let ((count, sum), peak) = heap::peak_during(|| {
                    let mut count = 0usize;
                    let mut sum = 0u64;
                    // Bounded: 10,000 chunks are expected, so a chunker that never ends fails here.
                    for chunk in chunks(0..1_000_000u64, 100).take(20_000) {
                        count += 1;
                        sum += chunk.iter().sum::<u64>();
                    }
                    (count, sum)
                });
                assert!(
                    peak <= 8_000,
                    "{}",
                    say!(
                        "chunking a million u64s by 100 held up to {peak} bytes at once; one \
                         chunk is 800 bytes, and 8,000 is allowed. A lazy chunker holds only \
                         the chunk it is filling, never the whole source",
                        "把一百万个 u64 每 100 个分一块，同时占用了最多 {peak} 字节；一块是 800 \
                         字节，允许 8000 字节。惰性的分块器只拿着正在装的那一块，从不拿着整个数据源"
                    )
                );
                assert_eq!(
                    (count, sum),
                    (10_000, 499_999_500_000),
                    "10,000 chunks of 0..1000000"
                );
            });
        }
    }

    mod snapshots {
        use super::*;

        #[test]
        fn one_to_ten_by_three() {
            let text: Vec<String> = chunks(1..=10, 3)
                .take(LIMIT)
                .map(|c| format!("{c:?}"))
                .collect();
            insta::assert_snapshot!("one_to_ten_by_three", text.join("\n"));
        }
    }
}

/// A log of events shared by a test and the generator's `record`.
type Log = Rc<RefCell<Vec<String>>>;

/// A log and a `record` function that writes into it.
fn recorder() -> (Log, impl FnMut(&'static str)) {
    let log = Log::default();
    let writer = log.clone();
    (log, move |event| {
        writer.borrow_mut().push(event.to_string())
    })
}

fn events(log: &Log) -> Vec<String> {
    log.borrow().clone()
}

/// The course's generator: "start", `yield 1`, "end".
mod course_generator {
    use super::*;

    mod examples {
        use super::*;

        /// Calling a generator function runs none of its body.
        #[test]
        fn making_it_runs_nothing() {
            let (log, record) = recorder();
            let generator = course_generator(record);
            assert_eq!(
                events(&log),
                Vec::<String>::new(),
                "{}",
                say!(
                    "course_generator(record) recorded {:?} before its first next(): making a \
                     generator runs none of its body, just as `g = fun()` prints nothing in \
                     Python",
                    "course_generator(record) 在第一次 next() 之前就记录了 {:?}：创建生成器时\
                     它的函数体一行都不运行，就像 Python 里 `g = fun()` 什么也不打印",
                    events(&log)
                )
            );
            drop(generator);
            assert_eq!(
                events(&log),
                Vec::<String>::new(),
                "{}",
                say!(
                    "dropping a course_generator that never started recorded {:?}: a generator \
                     that is never resumed runs none of its body",
                    "丢弃一个从没开始运行的 course_generator 时记录了 {:?}：从没被唤醒的生成器\
                     一行函数体都不运行",
                    events(&log)
                )
            );
        }

        /// Each `next` runs the body from one breakpoint to the next.
        #[test]
        fn runs_from_breakpoint_to_breakpoint() {
            let (log, record) = recorder();
            let mut generator = course_generator(record);
            let steps: [(Option<u32>, &[&str], &str, &str); 3] = [
                (
                    Some(1),
                    &["start"],
                    "the first next() runs up to `yield 1`: it records \"start\" and yields 1",
                    "第一次 next() 运行到 `yield 1`：记录 \"start\" 并产出 1",
                ),
                (
                    None,
                    &["start", "end"],
                    "the second next() resumes after the yield: it records \"end\" and, at the body's end, returns None",
                    "第二次 next() 从 yield 之后继续：记录 \"end\"，函数体结束，返回 None",
                ),
                (
                    None,
                    &["start", "end"],
                    "a third next() finds the body finished: None, and nothing recorded",
                    "第三次 next() 发现函数体已经结束：返回 None，什么也不记录",
                ),
            ];
            for (call, (yielded, recorded, en, zh)) in steps.into_iter().enumerate() {
                let got = generator.next();
                let says = if lang::zh() { zh } else { en };
                assert_eq!(
                    got,
                    yielded,
                    "{}",
                    say!("call {}: {says}", "第 {} 次调用：{says}", call + 1)
                );
                assert_eq!(
                    events(&log),
                    recorded,
                    "{}",
                    say!("call {}: {says}", "第 {} 次调用：{says}", call + 1)
                );
            }
        }

        /// A generator dropped while paused at its `yield` never runs the rest of its
        /// body.
        #[test]
        fn dropped_at_the_yield_never_records_end() {
            let (log, record) = recorder();
            let mut generator = course_generator(record);
            assert_eq!(
                generator.next(),
                Some(1),
                "{}",
                say!("the first next() yields 1", "第一次 next() 产出 1")
            );
            drop(generator);
            assert_eq!(
                events(&log),
                ["start"],
                "{}",
                say!(
                    "a generator dropped while paused at `yield 1` must not record \"end\": the \
                     line after the yield runs only when next() resumes it",
                    "停在 `yield 1` 处被丢弃的生成器不能记录 \"end\"：yield 后面那一行只有在 \
                     next() 唤醒它时才会运行"
                )
            );
        }

        /// In a `for` loop, the loop's body runs between "start" and "end".
        #[test]
        fn for_loop_runs_between_start_and_end() {
            let (log, record) = recorder();
            for item in course_generator(record).take(LIMIT) {
                log.borrow_mut().push(format!("loop body got {item}"));
            }
            assert_eq!(
                events(&log),
                ["start", "loop body got 1", "end"],
                "{}",
                say!(
                    "`for item in course_generator(record)`: the generator records \"start\", \
                     the loop's body sees 1, then the generator records \"end\"",
                    "`for item in course_generator(record)`：生成器记录 \"start\"，循环体拿到 1，\
                     然后生成器记录 \"end\""
                )
            );
        }
    }

    /// `size_hint` is optional here, but if you write one it must be true at every
    /// step: one item before the `yield`, none after.
    mod size_hint {
        use super::*;

        #[test]
        fn keeps_its_contract() {
            let (_log, record) = recorder();
            assert_size_hint_holds(
                course_generator(record),
                1,
                NUMBERS,
                "course_generator(record)",
            );
        }
    }

    mod exhaustion {
        use super::*;

        #[test]
        fn none_forever_after_the_end() {
            let (log, record) = recorder();
            assert_stays_exhausted(course_generator(record), "course_generator(record)");
            assert_eq!(
                events(&log),
                ["start", "end"],
                "{}",
                say!(
                    "after the end, more calls of next() must record nothing: \"end\" is \
                     recorded once",
                    "结束以后再调用 next() 不能再记录任何东西：\"end\" 只记录一次"
                )
            );
        }
    }

    mod snapshots {
        use super::*;

        /// The course's example, step by step, as its Python would print it.
        #[test]
        fn course_example() {
            let (log, record) = recorder();
            log.borrow_mut().push("g = fun()".into());
            let mut g = course_generator(record);
            for _ in 0..3 {
                log.borrow_mut().push("next(g)".into());
                let got = g.next();
                log.borrow_mut().push(match got {
                    Some(value) => format!("  -> {value}"),
                    None => "  -> StopIteration (None)".into(),
                });
            }
            insta::assert_snapshot!("course_example", events(&log).join("\n"));
        }
    }
}
