//! The suite of the linked_list kata (链表). It grades both `exercises/linked_list`
//! (your code) and `solutions/linked_list` (the reference): both crates name this file
//! as their test.
//!
//! Test names follow `exercises/linked_list/README.md`, "What the tests check": each
//! module is one group (`basics::insert_examples`, `model::agrees_with_vecdeque`, ...),
//! so a failure names the method and the property that broke.
//!
//! Lists are built with `push_front` (see `list_of`) and read back with `iter` (see
//! `contents`), so most tests need only those two besides the method they check.

#[path = "support/drops.rs"]
mod drops;

use std::collections::VecDeque;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};

use linked_list::{IndexError, LinkedList};
use proptest::prelude::*;

/// A list holding `values` in order, built with `push_front` only.
fn list_of<T: Clone>(values: &[T]) -> LinkedList<T> {
    let mut list = LinkedList::new();
    for v in values.iter().rev() {
        list.push_front(v.clone());
    }
    list
}

/// The most items the suite pulls from one of your iterators (more than the longest
/// list holds), so that an iterator that never ends fails the test instead of hanging it
/// or filling the memory.
const ITER_LIMIT: usize = 1 << 21;

/// Everything `iter` yields, but never more than `ITER_LIMIT` items.
fn bounded<I: Iterator>(iter: I, what: &str) -> Vec<I::Item> {
    let items: Vec<I::Item> = iter.take(ITER_LIMIT + 1).collect();
    assert!(
        items.len() <= ITER_LIMIT,
        "{what} yielded more than {ITER_LIMIT} items and was stopped: it never ends \
         (does `next` move on to the next node?)"
    );
    items
}

/// The elements of `list`, front to back, read with `iter`.
fn contents<T: Clone>(list: &LinkedList<T>) -> Vec<T> {
    bounded(list.iter(), "iter()")
        .into_iter()
        .cloned()
        .collect()
}

/// Runs `f`, turning a panic into a failure that says what should have happened.
fn must_not_panic<R>(what: &str, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => panic!("{what} panicked; a bad index must give an Err value, never a panic"),
    }
}

/// Checks length, emptiness and elements together, with one message that shows both.
fn assert_holds<T: Clone + PartialEq + Debug>(list: &LinkedList<T>, expected: &[T], after: &str) {
    let got = contents(list);
    assert_eq!(
        got, expected,
        "after {after}: the list should hold {expected:?} but iter() gives {got:?}"
    );
    assert_eq!(
        list.len(),
        expected.len(),
        "after {after}: len() should be {} (the list holds {expected:?})",
        expected.len()
    );
    assert_eq!(
        list.is_empty(),
        expected.is_empty(),
        "after {after}: is_empty() should be {}",
        expected.is_empty()
    );
}

/// Worked examples, one method at a time.
mod basics {
    use super::*;
    use rstest::rstest;

    #[test]
    fn new_list_is_empty() {
        let list: LinkedList<i32> = LinkedList::new();
        assert_eq!(list.len(), 0, "a new list has length 0");
        assert!(list.is_empty(), "a new list is empty");
        let default: LinkedList<i32> = LinkedList::default();
        assert!(default.is_empty(), "LinkedList::default() is an empty list");
    }

    #[rstest]
    #[case::one(vec![7], vec![7])]
    #[case::two(vec![1, 2], vec![2, 1])]
    #[case::three(vec![1, 2, 3], vec![3, 2, 1])]
    #[case::repeats(vec![5, 5, 6], vec![6, 5, 5])]
    fn push_front_examples(#[case] pushed: Vec<i32>, #[case] expected: Vec<i32>) {
        let mut list = LinkedList::new();
        for (n, &x) in pushed.iter().enumerate() {
            list.push_front(x);
            assert_eq!(list.len(), n + 1, "len() after {} push_front calls", n + 1);
        }
        assert_holds(
            &list,
            &expected,
            &format!("push_front of {pushed:?} in turn"),
        );
    }

    #[rstest]
    #[case::empty(vec![])]
    #[case::one(vec![7])]
    #[case::three(vec![1, 2, 3])]
    fn pop_front_examples(#[case] start: Vec<i32>) {
        let mut list = list_of(&start);
        for (n, &x) in start.iter().enumerate() {
            assert_eq!(
                list.pop_front(),
                Some(x),
                "pop_front number {} of {start:?}",
                n + 1
            );
            assert_eq!(
                list.len(),
                start.len() - n - 1,
                "len() after {} pops",
                n + 1
            );
        }
        assert_eq!(
            list.pop_front(),
            None,
            "pop_front on an empty list returns None"
        );
        assert_eq!(list.pop_front(), None, "pop_front on an empty list, again");
        assert_holds(&list, &[], "popping everything");
    }

    #[rstest]
    #[case::onto_empty(vec![], 1, vec![1])]
    #[case::onto_one(vec![1], 2, vec![1, 2])]
    #[case::onto_three(vec![1, 2, 3], 4, vec![1, 2, 3, 4])]
    fn push_back_examples(#[case] start: Vec<i32>, #[case] x: i32, #[case] expected: Vec<i32>) {
        let mut list = list_of(&start);
        list.push_back(x);
        assert_holds(&list, &expected, &format!("push_back({x}) onto {start:?}"));
    }

    #[rstest]
    #[case::into_empty(vec![], 0, vec![9])]
    #[case::at_front(vec![1, 2, 3], 0, vec![9, 1, 2, 3])]
    #[case::after_first(vec![1, 2, 3], 1, vec![1, 9, 2, 3])]
    #[case::before_last(vec![1, 2, 3], 2, vec![1, 2, 9, 3])]
    #[case::at_end(vec![1, 2, 3], 3, vec![1, 2, 3, 9])]
    #[case::one_at_end(vec![1], 1, vec![1, 9])]
    fn insert_examples(#[case] start: Vec<i32>, #[case] index: usize, #[case] expected: Vec<i32>) {
        let mut list = list_of(&start);
        let what = format!("insert({index}, 9) into {start:?}");
        let result = must_not_panic(&what, || list.insert(index, 9));
        assert_eq!(result, Ok(()), "{what} is in range and must succeed");
        assert_holds(&list, &expected, &what);
    }

    #[rstest]
    #[case::empty_at_1(vec![], 1)]
    #[case::one_past_end(vec![1, 2, 3], 4)]
    #[case::far_past_end(vec![1, 2, 3], 1000)]
    fn insert_out_of_range(#[case] start: Vec<i32>, #[case] index: usize) {
        let mut list = list_of(&start);
        let what = format!("insert({index}, 9) into {start:?}");
        let result = must_not_panic(&what, || list.insert(index, 9));
        let len = start.len();
        assert_eq!(
            result,
            Err(IndexError { index, len }),
            "{what}: valid indices are 0..={len}, so it must return Err(IndexError {{ index: {index}, len: {len} }})"
        );
        assert_holds(&list, &start, &format!("the failed {what}"));
    }

    #[rstest]
    #[case::only(vec![7], 0, 7, vec![])]
    #[case::first(vec![1, 2, 3], 0, 1, vec![2, 3])]
    #[case::middle(vec![1, 2, 3], 1, 2, vec![1, 3])]
    #[case::last(vec![1, 2, 3], 2, 3, vec![1, 2])]
    #[case::repeats(vec![4, 4, 4], 1, 4, vec![4, 4])]
    fn remove_examples(
        #[case] start: Vec<i32>,
        #[case] index: usize,
        #[case] removed: i32,
        #[case] expected: Vec<i32>,
    ) {
        let mut list = list_of(&start);
        let what = format!("remove({index}) from {start:?}");
        let result = must_not_panic(&what, || list.remove(index));
        assert_eq!(
            result,
            Ok(removed),
            "{what} must return the element it took out"
        );
        assert_holds(&list, &expected, &what);
    }

    #[rstest]
    #[case::empty(vec![], 0)]
    #[case::at_len(vec![1, 2, 3], 3)]
    #[case::past_end(vec![1, 2, 3], 4)]
    #[case::far_past_end(vec![1], 1000)]
    fn remove_out_of_range(#[case] start: Vec<i32>, #[case] index: usize) {
        let mut list = list_of(&start);
        let what = format!("remove({index}) from {start:?}");
        let result = must_not_panic(&what, || list.remove(index));
        let len = start.len();
        assert_eq!(
            result,
            Err(IndexError { index, len }),
            "{what}: valid indices are 0..{len}, so it must return Err(IndexError {{ index: {index}, len: {len} }})"
        );
        assert_holds(&list, &start, &format!("the failed {what}"));
    }

    #[rstest]
    #[case::empty(vec![], 0, None)]
    #[case::first(vec![1, 2, 3], 0, Some(1))]
    #[case::middle(vec![1, 2, 3], 1, Some(2))]
    #[case::last(vec![1, 2, 3], 2, Some(3))]
    #[case::at_len(vec![1, 2, 3], 3, None)]
    #[case::far(vec![1, 2, 3], 1000, None)]
    fn get_examples(#[case] start: Vec<i32>, #[case] index: usize, #[case] expected: Option<i32>) {
        let mut list = list_of(&start);
        let got = must_not_panic("get", || list.get(index).copied());
        assert_eq!(got, expected, "get({index}) on {start:?}");
        let got = must_not_panic("get_mut", || list.get_mut(index).map(|x| *x));
        assert_eq!(got, expected, "get_mut({index}) on {start:?}");
        assert_holds(&list, &start, "get and get_mut");
    }

    #[rstest]
    #[case::first(0, vec![10, 2, 3])]
    #[case::middle(1, vec![1, 10, 3])]
    #[case::last(2, vec![1, 2, 10])]
    fn get_mut_changes_one_element(#[case] index: usize, #[case] expected: Vec<i32>) {
        let mut list = list_of(&[1, 2, 3]);
        match list.get_mut(index) {
            Some(x) => *x = 10,
            None => panic!("get_mut({index}) on [1, 2, 3] returned None"),
        }
        assert_holds(
            &list,
            &expected,
            &format!("*get_mut({index}) = 10 on [1, 2, 3]"),
        );
    }

    #[rstest]
    #[case::empty(vec![])]
    #[case::one(vec![1])]
    #[case::two(vec![1, 2])]
    #[case::three(vec![1, 2, 3])]
    #[case::seven(vec![1, 2, 3, 4, 5, 6, 7])]
    fn reverse_examples(#[case] start: Vec<i32>) {
        let mut list = list_of(&start);
        list.reverse();
        let expected: Vec<i32> = start.iter().rev().copied().collect();
        assert_holds(&list, &expected, &format!("reverse of {start:?}"));
    }

    #[rstest]
    #[case::empty(vec![])]
    #[case::one(vec![1])]
    #[case::three(vec![1, 2, 3])]
    fn clear_examples(#[case] start: Vec<i32>) {
        let mut list = list_of(&start);
        list.clear();
        assert_holds(&list, &[], &format!("clear of {start:?}"));
        list.push_front(5);
        assert_holds(&list, &[5], "clear, then push_front(5)");
    }

    /// The course's walk through a list (`L = [1, 2, 3, 4]`, append, insert, remove,
    /// assign), done on a linked list. Every correct list prints exactly this.
    #[test]
    fn course_example() {
        let mut log = String::new();
        let mut step = |what: String, list: &LinkedList<i32>| {
            log += &format!("{what:<26} -> {list:?}\n");
        };
        let mut list: LinkedList<i32> = [1, 2, 3, 4].into_iter().collect();
        step("collect [1, 2, 3, 4]".into(), &list);
        list.push_back(10);
        step("push_back(10)".into(), &list);
        let r = list.insert(1, 20);
        step(format!("insert(1, 20) = {r:?}"), &list);
        let r = list.remove(3);
        step(format!("remove(3) = {r:?}"), &list);
        if let Some(x) = list.get_mut(4) {
            *x = 30;
        }
        step("*get_mut(4) = 30".into(), &list);
        let r = list.get(2).copied();
        step(format!("get(2) = {r:?}"), &list);
        let r = list.insert(9, 0);
        step(format!("insert(9, 0) = {r:?}"), &list);
        list.reverse();
        step("reverse()".into(), &list);
        let r = list.pop_front();
        step(format!("pop_front() = {r:?}"), &list);
        log += &format!("len() = {}", list.len());
        insta::assert_snapshot!("course_example", log);
    }
}

/// The three iterators and `for` loops.
mod iterators {
    use super::*;

    #[test]
    fn iter_goes_front_to_back_and_leaves_the_list_alone() {
        let list = list_of(&[1, 2, 3]);
        let first: Vec<&i32> = bounded(list.iter(), "iter()");
        assert_eq!(
            first,
            [&1, &2, &3],
            "iter() yields the elements front to back"
        );
        let second: Vec<&i32> = bounded(list.iter(), "iter()");
        assert_eq!(second, [&1, &2, &3], "iter() a second time yields the same");
        assert_eq!(list.len(), 3, "iterating does not change len()");
        let empty: LinkedList<i32> = LinkedList::new();
        assert_eq!(
            empty.iter().next(),
            None,
            "iter() on an empty list yields nothing"
        );
    }

    #[test]
    fn iter_yields_the_last_element() {
        for n in 1..=4 {
            let values: Vec<i32> = (1..=n).collect();
            let list = list_of(&values);
            let mut it = list.iter();
            for want in &values {
                assert_eq!(it.next(), Some(want), "iter() over {values:?}");
            }
            assert_eq!(
                it.next(),
                None,
                "iter() over {values:?} ends after {n} elements"
            );
        }
    }

    #[test]
    fn iter_mut_changes_every_element() {
        let mut list = list_of(&[1, 2, 3]);
        for x in list.iter_mut().take(ITER_LIMIT) {
            *x *= 10;
        }
        assert_holds(
            &list,
            &[10, 20, 30],
            "multiplying each element by 10 through iter_mut()",
        );
        let mut empty: LinkedList<i32> = LinkedList::new();
        assert!(
            empty.iter_mut().next().is_none(),
            "iter_mut() on an empty list yields nothing"
        );
    }

    #[test]
    fn into_iter_yields_values_front_to_back() {
        let list = list_of(&["链".to_string(), "表".to_string(), "node".to_string()]);
        let owned: Vec<String> = bounded(list.into_iter(), "into_iter()");
        assert_eq!(
            owned,
            ["链", "表", "node"],
            "into_iter() yields the elements by value, in order"
        );
        let empty: LinkedList<String> = LinkedList::new();
        assert_eq!(
            empty.into_iter().next(),
            None,
            "into_iter() on an empty list yields nothing"
        );
    }

    #[test]
    fn for_loops_over_all_three() {
        let mut list = list_of(&[1, 2, 3]);
        let mut sum = 0;
        let mut visited = 0;
        for x in &list {
            visited += 1;
            assert!(visited <= 3, "`for x in &list` went past the 3 elements");
            sum += x;
        }
        assert_eq!(sum, 6, "`for x in &list` visits 1, 2 and 3");
        let mut visited = 0;
        for x in &mut list {
            visited += 1;
            assert!(
                visited <= 3,
                "`for x in &mut list` went past the 3 elements"
            );
            *x += 1;
        }
        assert_holds(&list, &[2, 3, 4], "`for x in &mut list {{ *x += 1 }}`");
        let mut seen = Vec::new();
        for x in list {
            seen.push(x);
            assert!(seen.len() <= 3, "`for x in list` went past the 3 elements");
        }
        assert_eq!(
            seen,
            [2, 3, 4],
            "`for x in list` yields the values in order"
        );
    }
}

/// The standard traits: FromIterator, Extend, Debug, PartialEq, Clone, Default.
mod traits {
    use super::*;
    use rstest::rstest;

    #[test]
    fn collect_keeps_order() {
        let list: LinkedList<i32> = (1..=5).collect();
        assert_holds(&list, &[1, 2, 3, 4, 5], "(1..=5).collect()");
        let empty: LinkedList<i32> = std::iter::empty().collect();
        assert_holds(&empty, &[], "collecting an empty iterator");
    }

    #[rstest]
    #[case::empty_by_empty(vec![], vec![])]
    #[case::empty_by_some(vec![], vec![1, 2])]
    #[case::some_by_empty(vec![1, 2], vec![])]
    #[case::some_by_some(vec![1, 2], vec![3, 4, 5])]
    fn extend_appends_in_order(#[case] start: Vec<i32>, #[case] more: Vec<i32>) {
        let mut list = list_of(&start);
        list.extend(more.iter().copied());
        let expected: Vec<i32> = start.iter().chain(&more).copied().collect();
        assert_holds(
            &list,
            &expected,
            &format!("extending {start:?} by {more:?}"),
        );
        list.push_front(0);
        list.push_back(99);
        assert_eq!(
            list.len(),
            expected.len() + 2,
            "len() after extend, push_front and push_back"
        );
    }

    #[rstest]
    #[case::both_empty(vec![], vec![], true)]
    #[case::same(vec![1, 2, 3], vec![1, 2, 3], true)]
    #[case::one_differs(vec![1, 2, 3], vec![1, 5, 3], false)]
    #[case::prefix(vec![1, 2], vec![1, 2, 3], false)]
    #[case::longer(vec![1, 2, 3], vec![1, 2], false)]
    #[case::empty_and_one(vec![], vec![0], false)]
    #[case::reversed(vec![1, 2], vec![2, 1], false)]
    fn equality(#[case] a: Vec<i32>, #[case] b: Vec<i32>, #[case] equal: bool) {
        let (la, lb) = (list_of(&a), list_of(&b));
        assert_eq!(la == lb, equal, "{a:?} == {b:?} as lists should be {equal}");
        assert_eq!(lb == la, equal, "{b:?} == {a:?} as lists should be {equal}");
        assert_eq!(
            la != lb,
            !equal,
            "{a:?} != {b:?} as lists should be {}",
            !equal
        );
    }

    #[test]
    fn clone_is_independent() {
        let original = list_of(&[1, 2, 3]);
        let mut copy = original.clone();
        assert_holds(&copy, &[1, 2, 3], "clone of [1, 2, 3]");
        copy.push_front(0);
        if let Some(x) = copy.get_mut(2) {
            *x = 20;
        }
        assert_holds(
            &original,
            &[1, 2, 3],
            "changing the clone (the original must not change)",
        );
        assert_holds(
            &copy,
            &[0, 1, 20, 3],
            "push_front(0) and *get_mut(2) = 20 on the clone",
        );
    }

    /// `{:?}` and `{:#?}` print exactly what a `Vec` of the same elements prints.
    #[test]
    fn debug_output() {
        let empty: LinkedList<i32> = LinkedList::new();
        let numbers = list_of(&[1, -2, 3]);
        let words = list_of(&["链表", "linked list", ""]);
        let nested = list_of(&[Some(vec![1, 2]), None]);
        let text = format!(
            "{empty:?}\n{numbers:?}\n{words:?}\n{nested:?}\n{numbers:#?}\n{words:#?}\n{nested:#?}"
        );
        insta::assert_snapshot!("debug_output", text);
    }
}

/// The error type: its fields and its text.
mod errors {
    use super::*;

    #[test]
    fn error_texts() {
        let mut list = list_of(&[1, 2, 3]);
        let mut text = String::new();
        for (what, result) in [
            ("insert(4, 0) on [1, 2, 3]", list.insert(4, 0)),
            ("remove(3) on [1, 2, 3]", list.remove(3).map(drop)),
            ("insert(1, 0) on []", LinkedList::new().insert(1, 0)),
            (
                "remove(0) on []",
                LinkedList::<i32>::new().remove(0).map(drop),
            ),
        ] {
            match result {
                Ok(()) => panic!("{what} must fail: the index is out of range"),
                Err(e) => text += &format!("{what}: {e}\n"),
            }
        }
        insta::assert_snapshot!("error_texts", text);
    }
}

/// One step of a random operation sequence.
#[derive(Debug, Clone)]
enum Op {
    PushFront(i32),
    PushBack(i32),
    PopFront,
    Insert(usize, i32),
    Remove(usize),
    Get(usize),
    Set(usize, i32),
    Reverse,
    Clear,
    Extend(Vec<i32>),
    AddToAll(i32),
}

/// Indices mostly in range of the short lists the ops build, sometimes past the end.
fn index() -> impl Strategy<Value = usize> {
    prop_oneof![0usize..4, 0usize..40]
}

fn op() -> impl Strategy<Value = Op> {
    let x = -100i32..100;
    prop_oneof![
        4 => x.clone().prop_map(Op::PushFront),
        4 => x.clone().prop_map(Op::PushBack),
        2 => Just(Op::PopFront),
        4 => (index(), x.clone()).prop_map(|(i, x)| Op::Insert(i, x)),
        3 => index().prop_map(Op::Remove),
        2 => index().prop_map(Op::Get),
        2 => (index(), x.clone()).prop_map(|(i, x)| Op::Set(i, x)),
        1 => Just(Op::Reverse),
        1 => Just(Op::Clear),
        1 => prop::collection::vec(x.clone(), 0..5).prop_map(Op::Extend),
        1 => x.prop_map(Op::AddToAll),
    ]
}

/// Model-based tests: the list against `VecDeque`, step by step.
mod model {
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn agrees_with_vecdeque(ops in prop::collection::vec(op(), 1..80)) {
            let mut list: LinkedList<i32> = LinkedList::new();
            let mut model: VecDeque<i32> = VecDeque::new();
            for (step, op) in ops.iter().enumerate() {
                let before: Vec<i32> = model.iter().copied().collect();
                let at = format!("step {step}: {op:?} on {before:?}");
                let len = model.len();
                match op.clone() {
                    Op::PushFront(x) => {
                        list.push_front(x);
                        model.push_front(x);
                    }
                    Op::PushBack(x) => {
                        list.push_back(x);
                        model.push_back(x);
                    }
                    Op::PopFront => {
                        prop_assert_eq!(list.pop_front(), model.pop_front(), "{}: pop_front returned the wrong value", at);
                    }
                    Op::Insert(i, x) => {
                        let got = must_not_panic(&at, || list.insert(i, x));
                        let want = if i <= len {
                            model.insert(i, x);
                            Ok(())
                        } else {
                            Err(IndexError { index: i, len })
                        };
                        prop_assert_eq!(got, want, "{}: insert returned the wrong result", at);
                    }
                    Op::Remove(i) => {
                        let got = must_not_panic(&at, || list.remove(i));
                        let want = model.remove(i).ok_or(IndexError { index: i, len });
                        prop_assert_eq!(got, want, "{}: remove returned the wrong result", at);
                    }
                    Op::Get(i) => {
                        prop_assert_eq!(list.get(i), model.get(i), "{}: get returned the wrong element", at);
                    }
                    Op::Set(i, x) => {
                        let got = list.get_mut(i).map(|v| std::mem::replace(v, x));
                        let want = model.get_mut(i).map(|v| std::mem::replace(v, x));
                        prop_assert_eq!(got, want, "{}: get_mut found the wrong element", at);
                    }
                    Op::Reverse => {
                        list.reverse();
                        model = model.into_iter().rev().collect();
                    }
                    Op::Clear => {
                        list.clear();
                        model.clear();
                    }
                    Op::Extend(xs) => {
                        list.extend(xs.iter().copied());
                        model.extend(xs);
                    }
                    Op::AddToAll(d) => {
                        for v in list.iter_mut().take(ITER_LIMIT) {
                            *v += d;
                        }
                        for v in model.iter_mut() {
                            *v += d;
                        }
                    }
                }
                let want: Vec<i32> = model.iter().copied().collect();
                prop_assert_eq!(contents(&list), want.clone(), "after {}: the elements differ", at);
                prop_assert_eq!(list.len(), model.len(), "after {}: len() should be {}", at, model.len());
                prop_assert_eq!(list.is_empty(), model.is_empty(), "after {}: is_empty() is wrong", at);
            }
            let want: Vec<i32> = model.into_iter().collect();
            let got: Vec<i32> = bounded(list.into_iter(), "into_iter()");
            prop_assert_eq!(got, want, "into_iter() at the end of the sequence yields the wrong elements");
        }
    }
}

/// Every element dropped exactly once: no leak, no double drop.
mod dropping {
    use super::drops::{DropLog, Tracked};
    use super::*;

    fn tracked_list(log: &DropLog, n: i32) -> LinkedList<Tracked<i32>> {
        let mut list = LinkedList::new();
        for i in (0..n).rev() {
            list.push_front(log.track(i));
        }
        list
    }

    fn check_alive(log: &DropLog, expected: usize, after: &str) {
        assert!(
            log.dropped_twice().is_empty(),
            "after {after}: values {:?} were dropped twice",
            log.dropped_twice()
        );
        assert_eq!(
            log.alive(),
            expected,
            "after {after}: {expected} values should still be alive, but {} are (fewer: dropped too early; more: a leak)",
            log.alive()
        );
    }

    #[test]
    fn dropping_the_list_drops_every_element() {
        let log = DropLog::new();
        let list = tracked_list(&log, 10);
        check_alive(&log, 10, "building a list of 10");
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn pop_front_hands_the_element_over() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 3);
        let first = list.pop_front();
        check_alive(&log, 3, "pop_front (the caller now owns the popped value)");
        drop(first);
        check_alive(&log, 2, "dropping the popped value");
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn remove_hands_the_element_over() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 4);
        let removed = list.remove(2);
        check_alive(&log, 4, "remove(2) (the caller now owns the removed value)");
        drop(removed);
        check_alive(&log, 3, "dropping the removed value");
        let failed = list.remove(3);
        assert!(failed.is_err(), "remove(3) on a list of 3 must fail");
        check_alive(&log, 3, "a failed remove (it must drop nothing)");
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn clear_drops_every_element_once() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 5);
        list.clear();
        check_alive(&log, 0, "clear");
        list.push_front(log.track(99));
        check_alive(&log, 1, "clear, then push_front");
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn failed_insert_drops_the_value() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 2);
        let result = list.insert(5, log.track(99));
        assert!(result.is_err(), "insert(5, _) on a list of 2 must fail");
        check_alive(
            &log,
            2,
            "a failed insert (the value it was given is dropped)",
        );
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn reverse_drops_nothing() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 5);
        list.reverse();
        check_alive(&log, 5, "reverse");
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn unfinished_into_iter_drops_the_rest() {
        let log = DropLog::new();
        let list = tracked_list(&log, 6);
        let mut it = list.into_iter();
        let first = it.next();
        let second = it.next();
        check_alive(&log, 6, "taking two values from into_iter()");
        drop(it);
        check_alive(&log, 2, "dropping the iterator after two values");
        drop((first, second));
        log.assert_all_dropped_once();
    }

    #[test]
    fn assigning_through_get_mut_drops_the_old_value() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 3);
        if let Some(slot) = list.get_mut(1) {
            *slot = log.track(10);
        }
        check_alive(&log, 3, "*get_mut(1) = new value (the old one is dropped)");
        drop(list);
        log.assert_all_dropped_once();
    }

    proptest! {
        /// Random operations on tracked values: at every step exactly `len()` values are
        /// alive (every value taken out is dropped at once), and at the end all of them
        /// were dropped exactly once.
        #[test]
        fn random_operations_drop_each_element_once(ops in prop::collection::vec(op(), 1..60)) {
            let log = DropLog::new();
            let mut list: LinkedList<Tracked<i32>> = LinkedList::new();
            for (step, op) in ops.iter().enumerate() {
                match op.clone() {
                    Op::PushFront(x) => list.push_front(log.track(x)),
                    Op::PushBack(x) => list.push_back(log.track(x)),
                    Op::PopFront => drop(list.pop_front()),
                    Op::Insert(i, x) => drop(must_not_panic("insert", || list.insert(i, log.track(x)))),
                    Op::Remove(i) => drop(must_not_panic("remove", || list.remove(i))),
                    Op::Get(i) => drop(list.get(i)),
                    Op::Set(i, x) => {
                        if let Some(slot) = list.get_mut(i) {
                            *slot = log.track(x);
                        }
                    }
                    Op::Reverse => list.reverse(),
                    Op::Clear => list.clear(),
                    Op::Extend(xs) => list.extend(xs.into_iter().map(|x| log.track(x))),
                    Op::AddToAll(d) => list.iter_mut().take(ITER_LIMIT).for_each(|v| v.payload += d),
                }
                prop_assert!(log.dropped_twice().is_empty(),
                    "after step {} ({:?}): values {:?} were dropped twice", step, op, log.dropped_twice());
                prop_assert_eq!(log.alive(), list.len(),
                    "after step {} ({:?}): the list has len() {} but {} values are alive", step, op, list.len(), log.alive());
            }
            drop(list);
            prop_assert!(log.dropped_twice().is_empty(), "values {:?} were dropped twice", log.dropped_twice());
            prop_assert_eq!(log.alive(), 0, "{} values were never dropped (a leak)", log.alive());
        }
    }
}

/// Long lists: everything that walks the list must loop, not recurse. Each test runs on
/// a thread with a small stack of a fixed size, so a recursive walk overflows it
/// whatever the environment (`RUST_MIN_STACK`) says. A crash with "stack overflow" in
/// one of these tests means the method named in the test recurses: one stack frame per
/// node.
mod long_lists {
    use super::*;

    /// The dropping, clearing, reversing and comparing tests use a million nodes.
    const N: u32 = 1_000_000;

    /// 512 KiB: plenty for a loop, far too little for one frame per node.
    const STACK: usize = 512 * 1024;

    /// Runs `f` on a thread with a `STACK`-byte stack and passes on its panic, if any.
    fn on_small_stack(f: impl FnOnce() + Send + 'static) {
        let thread = std::thread::Builder::new()
            .name("a long list on a 512 KiB stack".into())
            .stack_size(STACK)
            .spawn(f)
            .expect("the test could not start a thread");
        if let Err(panic) = thread.join() {
            std::panic::resume_unwind(panic);
        }
    }

    /// 0, 1, ..., n - 1, built with `push_front` (O(1) each).
    fn long_list(n: u32) -> LinkedList<u32> {
        let mut list = LinkedList::new();
        for i in (0..n).rev() {
            list.push_front(i);
        }
        assert_eq!(list.len(), n as usize, "len() after {n} push_front calls");
        list
    }

    #[test]
    fn dropping_a_million_nodes() {
        on_small_stack(|| drop(long_list(N)));
    }

    #[test]
    fn clearing_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            list.clear();
            assert!(list.is_empty(), "clear() leaves the list empty");
        });
    }

    #[test]
    fn reversing_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            list.reverse();
            assert_eq!(list.len(), N as usize, "reverse() keeps len()");
            assert_eq!(
                list.pop_front(),
                Some(N - 1),
                "after reverse() the last element comes first"
            );
        });
    }

    #[test]
    fn unfinished_into_iter_over_a_million_nodes() {
        on_small_stack(|| {
            let mut it = long_list(N).into_iter();
            assert_eq!(it.next(), Some(0), "into_iter() starts at the front");
            drop(it);
        });
    }

    #[test]
    fn comparing_a_million_nodes() {
        on_small_stack(|| {
            let (a, mut b) = (long_list(N), long_list(N));
            assert!(a == b, "two lists 0..{N} are equal");
            if let Some(x) = b.get_mut(N as usize - 1) {
                *x = 0;
            }
            assert!(
                a != b,
                "lists that differ in the last element are not equal"
            );
        });
    }

    #[test]
    fn push_back_onto_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            list.push_back(N);
            assert_eq!(list.len(), N as usize + 1, "push_back adds one to len()");
            assert_eq!(
                list.iter().take(ITER_LIMIT).last(),
                Some(&N),
                "push_back(x) puts x after the last element"
            );
        });
    }

    #[test]
    fn get_at_the_end_of_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            let last = N as usize - 1;
            assert_eq!(
                list.get(last),
                Some(&(N - 1)),
                "get({last}) is the last element"
            );
            assert_eq!(list.get(N as usize), None, "get(len()) is None");
            assert_eq!(
                list.get_mut(last).map(|x| *x),
                Some(N - 1),
                "get_mut({last}) is the last element"
            );
            assert_eq!(list.get_mut(N as usize), None, "get_mut(len()) is None");
        });
    }

    #[test]
    fn insert_and_remove_at_the_end_of_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            let n = N as usize;
            assert_eq!(list.insert(n, N), Ok(()), "insert(len(), x) appends");
            assert_eq!(list.len(), n + 1, "insert adds one to len()");
            assert_eq!(
                list.remove(n),
                Ok(N),
                "remove(len() - 1) takes the last element"
            );
            assert_eq!(
                list.remove(n - 1),
                Ok(N - 1),
                "remove(len() - 1) takes the last element"
            );
            assert_eq!(list.len(), n - 1, "two removes take two from len()");
        });
    }

    #[test]
    fn extending_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            list.extend([N, N + 1]);
            assert_eq!(
                list.len(),
                N as usize + 2,
                "extend by two adds two to len()"
            );
            let back: Vec<u32> = bounded(list.iter(), "iter()")
                .into_iter()
                .skip(N as usize - 1)
                .copied()
                .collect();
            assert_eq!(
                back,
                [N - 1, N, N + 1],
                "extend([{N}, {}]) appends at the back, in order",
                N + 1
            );
        });
    }

    #[test]
    fn cloning_twenty_thousand_nodes() {
        // Fewer nodes than the others: enough to overflow a recursive clone on this
        // stack, few enough that a clone through a slow `extend` still finishes.
        on_small_stack(|| {
            let list = long_list(20_000);
            let copy = list.clone();
            assert_eq!(copy.len(), 20_000, "the clone has the same len()");
            assert!(copy == list, "the clone holds the same elements");
        });
    }
}

/// Algebraic laws and agreement with `Vec`, on random vectors (quickcheck).
mod laws {
    use super::*;
    use quickcheck_macros::quickcheck;

    #[quickcheck]
    fn reverse_twice_is_identity(v: Vec<i32>) -> bool {
        let mut list = list_of(&v);
        list.reverse();
        list.reverse();
        contents(&list) == v && list.len() == v.len()
    }

    #[quickcheck]
    fn reverse_agrees_with_vec(v: Vec<i32>) -> bool {
        let mut list = list_of(&v);
        list.reverse();
        let mut expected = v;
        expected.reverse();
        contents(&list) == expected
    }

    #[quickcheck]
    fn collect_then_iter_round_trips(v: Vec<i32>) -> bool {
        let list: LinkedList<i32> = v.iter().copied().collect();
        list.len() == v.len() && list.iter().eq(v.iter())
    }

    #[quickcheck]
    fn collect_then_into_iter_round_trips(v: Vec<String>) -> bool {
        let list: LinkedList<String> = v.clone().into_iter().collect();
        bounded(list.into_iter(), "into_iter()") == v
    }

    #[quickcheck]
    fn push_back_agrees_with_vec_push(v: Vec<i32>) -> bool {
        let mut list = LinkedList::new();
        for &x in &v {
            list.push_back(x);
        }
        contents(&list) == v && list.len() == v.len()
    }

    #[quickcheck]
    fn extend_agrees_with_vec_extend(a: Vec<i32>, b: Vec<i32>) -> bool {
        let mut list = list_of(&a);
        list.extend(b.iter().copied());
        let mut expected = a;
        expected.extend(b);
        contents(&list) == expected && list.len() == expected.len()
    }

    #[quickcheck]
    fn get_agrees_with_vec_get(v: Vec<i32>, i: usize) -> bool {
        let list = list_of(&v);
        let i = i % (v.len() + 3);
        list.get(i) == v.get(i)
    }

    #[quickcheck]
    fn debug_agrees_with_vec_debug(v: Vec<String>) -> bool {
        let list = list_of(&v);
        format!("{list:?}") == format!("{v:?}") && format!("{list:#?}") == format!("{v:#?}")
    }

    #[quickcheck]
    fn equality_agrees_with_vec(a: Vec<u8>, b: Vec<u8>) -> bool {
        // Random vectors are rarely equal, so compare `a` with itself and with `a` + `b`.
        let (la, lab) = (list_of(&a), list_of(&[a.clone(), b.clone()].concat()));
        (la == list_of(&a)) && ((la == lab) == b.is_empty()) && (la == la.clone())
    }
}

/// The costs the README promises, checked by a budget rather than a stopwatch: each
/// test does a few hundred thousand operations that are instant at the promised cost,
/// while the wrong cost (a walk over the whole list in each of them) makes them do
/// tens of billions of node visits, 100,000 times the work, and the runner stops the
/// test long before the end.
mod complexity {
    use super::*;

    /// How many elements these tests use.
    const N: usize = 200_000;

    /// `len`, `is_empty`, `push_front` and `pop_front` are O(1): the length is kept in
    /// a field, and the front is the head.
    #[test]
    fn len_is_empty_and_the_front_are_constant_time() {
        let mut list = LinkedList::new();
        for i in 0..N {
            list.push_front(i);
            assert_eq!(list.len(), i + 1, "len() after {} push_front calls", i + 1);
            assert!(
                !list.is_empty(),
                "a list of {} elements is not empty",
                i + 1
            );
        }
        for i in (0..N).rev() {
            assert_eq!(list.pop_front(), Some(i), "pop_front() returns the front");
            assert_eq!(list.len(), i, "len() after a pop_front");
            assert_eq!(list.is_empty(), i == 0, "is_empty() with {i} elements left");
        }
    }

    /// `collect` and `extend` walk to the end once and then append there: O(n) for n
    /// elements, not n walks to the end (`push_back` in a loop is O(n²)).
    #[test]
    fn collect_and_extend_are_linear() {
        let mut list: LinkedList<usize> = (0..N).collect();
        assert_eq!(list.len(), N, "collect of {N} elements: len()");
        list.extend(N..2 * N);
        assert_eq!(list.len(), 2 * N, "extend by {N} more: len()");
        let all = bounded(list.iter(), "iter()");
        assert!(
            all.into_iter().copied().eq(0..2 * N),
            "collect then extend must keep every element in order"
        );
    }

    /// `get`, `get_mut`, `insert` and `remove` at index i cost O(i): near the front of
    /// a long list they stop early instead of walking (or counting) the whole list.
    #[test]
    fn index_near_the_front_is_cheap() {
        let mut list: LinkedList<usize> = (0..N).collect();
        for k in 0..N {
            assert_eq!(list.insert(1, k), Ok(()), "insert(1, x) on a long list");
            assert_eq!(list.get(1), Some(&k), "get(1) after insert(1, {k})");
            if let Some(x) = list.get_mut(1) {
                *x += 1;
            }
            assert_eq!(list.remove(1), Ok(k + 1), "remove(1) after get_mut(1)");
        }
        assert_eq!(
            list.len(),
            N,
            "as many inserts as removes: len() is back to {N}"
        );
    }
}
