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

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
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
#[track_caller]
fn bounded<I: Iterator>(iter: I, what: &str) -> Vec<I::Item> {
    let items: Vec<I::Item> = iter.take(ITER_LIMIT + 1).collect();
    assert!(
        items.len() <= ITER_LIMIT,
        "{}",
        say!(
            "{what} yielded more than {ITER_LIMIT} items and was stopped: it never ends \
             (does `next` move on to the next node?)",
            "{what} 产出了超过 {ITER_LIMIT} 个元素后被强行停止：它永远不会结束（`next` 有没有移到下一个节点？）"
        )
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
#[track_caller]
fn must_not_panic<R>(what: &str, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => panic!(
            "{}",
            say!(
                "{what} panicked; a bad index must give an Err value, never a panic",
                "{what} panic 了；下标越界必须返回 Err 值，绝不能 panic"
            )
        ),
    }
}

/// Checks length, emptiness and elements together, with one message that shows both.
#[track_caller]
fn assert_holds<T: Clone + PartialEq + Debug>(list: &LinkedList<T>, expected: &[T], after: &str) {
    let got = contents(list);
    assert_eq!(
        got,
        expected,
        "{}",
        say!(
            "after {after}: the list should hold {expected:?} but iter() gives {got:?}",
            "{after} 之后：链表应为 {expected:?}，但 iter() 给出 {got:?}"
        )
    );
    assert_eq!(
        list.len(),
        expected.len(),
        "{}",
        say!(
            "after {after}: len() should be {} (the list holds {expected:?})",
            "{after} 之后：len() 应为 {}（链表内容为 {expected:?}）",
            expected.len()
        )
    );
    assert_eq!(
        list.is_empty(),
        expected.is_empty(),
        "{}",
        say!(
            "after {after}: is_empty() should be {}",
            "{after} 之后：is_empty() 应为 {}",
            expected.is_empty()
        )
    );
}

/// Worked examples, one method at a time.
mod basics {
    use super::*;
    use rstest::rstest;

    #[test]
    fn new_list_is_empty() {
        let list: LinkedList<i32> = LinkedList::new();
        assert_eq!(
            list.len(),
            0,
            "{}",
            say!("a new list has length 0", "新建的链表长度为 0")
        );
        assert!(
            list.is_empty(),
            "{}",
            say!("a new list is empty", "新建的链表是空的")
        );
        let default: LinkedList<i32> = LinkedList::default();
        assert!(
            default.is_empty(),
            "{}",
            say!(
                "LinkedList::default() is an empty list",
                "LinkedList::default() 是空链表"
            )
        );
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
            assert_eq!(
                list.len(),
                n + 1,
                "{}",
                say!(
                    "len() after {} push_front calls",
                    "{} 次 push_front 之后的 len()",
                    n + 1
                )
            );
        }
        assert_holds(
            &list,
            &expected,
            &say!(
                "push_front of {pushed:?} in turn",
                "依次 push_front {pushed:?}"
            ),
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
                "{}",
                say!(
                    "pop_front number {} of {start:?}",
                    "对 {start:?} 第 {} 次 pop_front",
                    n + 1
                )
            );
            assert_eq!(
                list.len(),
                start.len() - n - 1,
                "{}",
                say!("len() after {} pops", "{} 次 pop 之后的 len()", n + 1)
            );
        }
        assert_eq!(
            list.pop_front(),
            None,
            "{}",
            say!(
                "pop_front on an empty list returns None",
                "对空链表 pop_front 返回 None"
            )
        );
        assert_eq!(
            list.pop_front(),
            None,
            "{}",
            say!(
                "pop_front on an empty list, again",
                "再次对空链表 pop_front"
            )
        );
        assert_holds(&list, &[], &say!("popping everything", "全部 pop 出来"));
    }

    #[rstest]
    #[case::onto_empty(vec![], 1, vec![1])]
    #[case::onto_one(vec![1], 2, vec![1, 2])]
    #[case::onto_three(vec![1, 2, 3], 4, vec![1, 2, 3, 4])]
    fn push_back_examples(#[case] start: Vec<i32>, #[case] x: i32, #[case] expected: Vec<i32>) {
        let mut list = list_of(&start);
        list.push_back(x);
        assert_holds(
            &list,
            &expected,
            &say!(
                "push_back({x}) onto {start:?}",
                "对 {start:?} 执行 push_back({x})"
            ),
        );
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
        let what = say!(
            "insert({index}, 9) into {start:?}",
            "对 {start:?} 执行 insert({index}, 9)"
        );
        let result = must_not_panic(&what, || list.insert(index, 9));
        assert_eq!(
            result,
            Ok(()),
            "{}",
            say!(
                "{what} is in range and must succeed",
                "{what}：下标在范围内，必须成功"
            )
        );
        assert_holds(&list, &expected, &what);
    }

    #[rstest]
    #[case::empty_at_1(vec![], 1)]
    #[case::one_past_end(vec![1, 2, 3], 4)]
    #[case::far_past_end(vec![1, 2, 3], 1000)]
    fn insert_out_of_range(#[case] start: Vec<i32>, #[case] index: usize) {
        let mut list = list_of(&start);
        let what = say!(
            "insert({index}, 9) into {start:?}",
            "对 {start:?} 执行 insert({index}, 9)"
        );
        let result = must_not_panic(&what, || list.insert(index, 9));
        let len = start.len();
        assert_eq!(
            result,
            Err(IndexError { index, len }),
            "{}",
            say!(
                "{what}: valid indices are 0..={len}, so it must return Err(IndexError {{ index: {index}, len: {len} }})",
                "{what}：合法下标是 0..={len}，所以必须返回 Err(IndexError {{ index: {index}, len: {len} }})"
            )
        );
        assert_holds(&list, &start, &say!("the failed {what}", "失败的 {what}"));
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
        let what = say!(
            "remove({index}) from {start:?}",
            "对 {start:?} 执行 remove({index})"
        );
        let result = must_not_panic(&what, || list.remove(index));
        assert_eq!(
            result,
            Ok(removed),
            "{}",
            say!(
                "{what} must return the element it took out",
                "{what} 必须返回被取出的元素"
            )
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
        let what = say!(
            "remove({index}) from {start:?}",
            "对 {start:?} 执行 remove({index})"
        );
        let result = must_not_panic(&what, || list.remove(index));
        let len = start.len();
        assert_eq!(
            result,
            Err(IndexError { index, len }),
            "{}",
            say!(
                "{what}: valid indices are 0..{len}, so it must return Err(IndexError {{ index: {index}, len: {len} }})",
                "{what}：合法下标是 0..{len}，所以必须返回 Err(IndexError {{ index: {index}, len: {len} }})"
            )
        );
        assert_holds(&list, &start, &say!("the failed {what}", "失败的 {what}"));
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
        assert_eq!(
            got,
            expected,
            "{}",
            say!(
                "get({index}) on {start:?}",
                "对 {start:?} 执行 get({index})"
            )
        );
        let got = must_not_panic("get_mut", || list.get_mut(index).map(|x| *x));
        assert_eq!(
            got,
            expected,
            "{}",
            say!(
                "get_mut({index}) on {start:?}",
                "对 {start:?} 执行 get_mut({index})"
            )
        );
        assert_holds(&list, &start, &say!("get and get_mut", "get 和 get_mut"));
    }

    #[rstest]
    #[case::first(0, vec![10, 2, 3])]
    #[case::middle(1, vec![1, 10, 3])]
    #[case::last(2, vec![1, 2, 10])]
    fn get_mut_changes_one_element(#[case] index: usize, #[case] expected: Vec<i32>) {
        let mut list = list_of(&[1, 2, 3]);
        match list.get_mut(index) {
            Some(x) => *x = 10,
            None => panic!(
                "{}",
                say!(
                    "get_mut({index}) on [1, 2, 3] returned None",
                    "对 [1, 2, 3] 执行 get_mut({index}) 返回了 None"
                )
            ),
        }
        assert_holds(
            &list,
            &expected,
            &say!(
                "*get_mut({index}) = 10 on [1, 2, 3]",
                "对 [1, 2, 3] 执行 *get_mut({index}) = 10"
            ),
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
        assert_holds(
            &list,
            &expected,
            &say!("reverse of {start:?}", "反转 {start:?}"),
        );
    }

    #[rstest]
    #[case::empty(vec![])]
    #[case::one(vec![1])]
    #[case::three(vec![1, 2, 3])]
    fn clear_examples(#[case] start: Vec<i32>) {
        let mut list = list_of(&start);
        list.clear();
        assert_holds(&list, &[], &say!("clear of {start:?}", "清空 {start:?}"));
        list.push_front(5);
        assert_holds(
            &list,
            &[5],
            &say!("clear, then push_front(5)", "先 clear 再 push_front(5)"),
        );
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
            "{}",
            say!(
                "iter() yields the elements front to back",
                "iter() 从头到尾依次产出元素"
            )
        );
        let second: Vec<&i32> = bounded(list.iter(), "iter()");
        assert_eq!(
            second,
            [&1, &2, &3],
            "{}",
            say!(
                "iter() a second time yields the same",
                "第二次 iter() 产出同样的元素"
            )
        );
        assert_eq!(
            list.len(),
            3,
            "{}",
            say!("iterating does not change len()", "遍历不会改变 len()")
        );
        let empty: LinkedList<i32> = LinkedList::new();
        assert_eq!(
            empty.iter().next(),
            None,
            "{}",
            say!(
                "iter() on an empty list yields nothing",
                "空链表的 iter() 什么也不产出"
            )
        );
    }

    #[test]
    fn iter_yields_the_last_element() {
        for n in 1..=4 {
            let values: Vec<i32> = (1..=n).collect();
            let list = list_of(&values);
            let mut it = list.iter();
            for want in &values {
                assert_eq!(
                    it.next(),
                    Some(want),
                    "{}",
                    say!("iter() over {values:?}", "遍历 {values:?} 的 iter()")
                );
            }
            assert_eq!(
                it.next(),
                None,
                "{}",
                say!(
                    "iter() over {values:?} ends after {n} elements",
                    "遍历 {values:?} 的 iter() 应在 {n} 个元素后结束"
                )
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
            &say!(
                "multiplying each element by 10 through iter_mut()",
                "通过 iter_mut() 把每个元素乘以 10"
            ),
        );
        let mut empty: LinkedList<i32> = LinkedList::new();
        assert!(
            empty.iter_mut().next().is_none(),
            "{}",
            say!(
                "iter_mut() on an empty list yields nothing",
                "空链表的 iter_mut() 什么也不产出"
            )
        );
    }

    #[test]
    fn into_iter_yields_values_front_to_back() {
        let list = list_of(&["链".to_string(), "表".to_string(), "node".to_string()]);
        let owned: Vec<String> = bounded(list.into_iter(), "into_iter()");
        assert_eq!(
            owned,
            ["链", "表", "node"],
            "{}",
            say!(
                "into_iter() yields the elements by value, in order",
                "into_iter() 按顺序按值产出元素"
            )
        );
        let empty: LinkedList<String> = LinkedList::new();
        assert_eq!(
            empty.into_iter().next(),
            None,
            "{}",
            say!(
                "into_iter() on an empty list yields nothing",
                "空链表的 into_iter() 什么也不产出"
            )
        );
    }

    #[test]
    fn for_loops_over_all_three() {
        let mut list = list_of(&[1, 2, 3]);
        let mut sum = 0;
        let mut visited = 0;
        for x in &list {
            visited += 1;
            assert!(
                visited <= 3,
                "{}",
                say!(
                    "`for x in &list` went past the 3 elements",
                    "`for x in &list` 越过了那 3 个元素"
                )
            );
            sum += x;
        }
        assert_eq!(
            sum,
            6,
            "{}",
            say!(
                "`for x in &list` visits 1, 2 and 3",
                "`for x in &list` 依次访问 1、2、3"
            )
        );
        let mut visited = 0;
        for x in &mut list {
            visited += 1;
            assert!(
                visited <= 3,
                "{}",
                say!(
                    "`for x in &mut list` went past the 3 elements",
                    "`for x in &mut list` 越过了那 3 个元素"
                )
            );
            *x += 1;
        }
        assert_holds(&list, &[2, 3, 4], "`for x in &mut list {{ *x += 1 }}`");
        let mut seen = Vec::new();
        for x in list {
            seen.push(x);
            assert!(
                seen.len() <= 3,
                "{}",
                say!(
                    "`for x in list` went past the 3 elements",
                    "`for x in list` 越过了那 3 个元素"
                )
            );
        }
        assert_eq!(
            seen,
            [2, 3, 4],
            "{}",
            say!(
                "`for x in list` yields the values in order",
                "`for x in list` 按顺序产出值"
            )
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
        assert_holds(
            &empty,
            &[],
            &say!("collecting an empty iterator", "collect 一个空迭代器"),
        );
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
            &say!(
                "extending {start:?} by {more:?}",
                "用 {more:?} 扩展 {start:?}"
            ),
        );
        list.push_front(0);
        list.push_back(99);
        assert_eq!(
            list.len(),
            expected.len() + 2,
            "{}",
            say!(
                "len() after extend, push_front and push_back",
                "extend、push_front 和 push_back 之后的 len()"
            )
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
        assert_eq!(
            la == lb,
            equal,
            "{}",
            say!(
                "{a:?} == {b:?} as lists should be {equal}",
                "作为链表，{a:?} == {b:?} 应为 {equal}"
            )
        );
        assert_eq!(
            lb == la,
            equal,
            "{}",
            say!(
                "{b:?} == {a:?} as lists should be {equal}",
                "作为链表，{b:?} == {a:?} 应为 {equal}"
            )
        );
        assert_eq!(
            la != lb,
            !equal,
            "{}",
            say!(
                "{a:?} != {b:?} as lists should be {}",
                "作为链表，{a:?} != {b:?} 应为 {}",
                !equal
            )
        );
    }

    #[test]
    fn clone_is_independent() {
        let original = list_of(&[1, 2, 3]);
        let mut copy = original.clone();
        assert_holds(
            &copy,
            &[1, 2, 3],
            &say!("clone of [1, 2, 3]", "克隆 [1, 2, 3]"),
        );
        copy.push_front(0);
        if let Some(x) = copy.get_mut(2) {
            *x = 20;
        }
        assert_holds(
            &original,
            &[1, 2, 3],
            &say!(
                "changing the clone (the original must not change)",
                "修改克隆（原链表不能变）"
            ),
        );
        assert_holds(
            &copy,
            &[0, 1, 20, 3],
            &say!(
                "push_front(0) and *get_mut(2) = 20 on the clone",
                "对克隆执行 push_front(0) 和 *get_mut(2) = 20"
            ),
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
                Ok(()) => panic!(
                    "{}",
                    say!(
                        "{what} must fail: the index is out of range",
                        "{what} 必须失败：下标越界"
                    )
                ),
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
                let at = say!(
                    "step {step}: {op:?} on {before:?}",
                    "第 {step} 步：对 {before:?} 执行 {op:?}",
                );
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
                        prop_assert_eq!(list.pop_front(), model.pop_front(), "{}", say!(
                            "{}: pop_front returned the wrong value",
                            "{}：pop_front 返回的值不对",
                            at,
                        ));
                    }
                    Op::Insert(i, x) => {
                        let got = must_not_panic(&at, || list.insert(i, x));
                        let want = if i <= len {
                            model.insert(i, x);
                            Ok(())
                        } else {
                            Err(IndexError { index: i, len })
                        };
                        prop_assert_eq!(got, want, "{}", say!(
                            "{}: insert returned the wrong result",
                            "{}：insert 返回的结果不对",
                            at,
                        ));
                    }
                    Op::Remove(i) => {
                        let got = must_not_panic(&at, || list.remove(i));
                        let want = model.remove(i).ok_or(IndexError { index: i, len });
                        prop_assert_eq!(got, want, "{}", say!(
                            "{}: remove returned the wrong result",
                            "{}：remove 返回的结果不对",
                            at,
                        ));
                    }
                    Op::Get(i) => {
                        prop_assert_eq!(list.get(i), model.get(i), "{}", say!(
                            "{}: get returned the wrong element",
                            "{}：get 返回的元素不对",
                            at,
                        ));
                    }
                    Op::Set(i, x) => {
                        let got = list.get_mut(i).map(|v| std::mem::replace(v, x));
                        let want = model.get_mut(i).map(|v| std::mem::replace(v, x));
                        prop_assert_eq!(got, want, "{}", say!(
                            "{}: get_mut found the wrong element",
                            "{}：get_mut 找到的元素不对",
                            at,
                        ));
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
                prop_assert_eq!(contents(&list), want.clone(), "{}", say!(
                    "after {}: the elements differ",
                    "{} 之后：元素不一致",
                    at,
                ));
                prop_assert_eq!(list.len(), model.len(), "{}", say!(
                    "after {}: len() should be {}",
                    "{} 之后：len() 应为 {}",
                    at, model.len(),
                ));
                prop_assert_eq!(list.is_empty(), model.is_empty(), "{}", say!(
                    "after {}: is_empty() is wrong",
                    "{} 之后：is_empty() 不对",
                    at,
                ));
            }
            let want: Vec<i32> = model.into_iter().collect();
            let got: Vec<i32> = bounded(list.into_iter(), "into_iter()");
            prop_assert_eq!(got, want, "{}", say!(
                "into_iter() at the end of the sequence yields the wrong elements",
                "操作序列结束时 into_iter() 产出的元素不对",
            ));
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

    #[track_caller]
    fn check_alive(log: &DropLog, expected: usize, after: &str) {
        assert!(
            log.dropped_twice().is_empty(),
            "{}",
            say!(
                "after {after}: values {:?} were dropped twice",
                "{after} 之后：编号为 {:?} 的值被释放（drop）了两次",
                log.dropped_twice()
            )
        );
        assert_eq!(
            log.alive(),
            expected,
            "{}",
            say!(
                "after {after}: {expected} values should still be alive, but {} are (fewer: dropped too early; more: a leak)",
                "{after} 之后：应有 {expected} 个值仍然存活，实际有 {} 个（少了：释放得太早；多了：内存泄漏）",
                log.alive()
            )
        );
    }

    #[test]
    fn dropping_the_list_drops_every_element() {
        let log = DropLog::new();
        let list = tracked_list(&log, 10);
        check_alive(
            &log,
            10,
            &say!("building a list of 10", "建一个 10 个元素的链表"),
        );
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn pop_front_hands_the_element_over() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 3);
        let first = list.pop_front();
        check_alive(
            &log,
            3,
            &say!(
                "pop_front (the caller now owns the popped value)",
                "pop_front（弹出的值现在归调用者所有）"
            ),
        );
        drop(first);
        check_alive(&log, 2, &say!("dropping the popped value", "释放弹出的值"));
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn remove_hands_the_element_over() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 4);
        let removed = list.remove(2);
        check_alive(
            &log,
            4,
            &say!(
                "remove(2) (the caller now owns the removed value)",
                "remove(2)（取出的值现在归调用者所有）"
            ),
        );
        drop(removed);
        check_alive(&log, 3, &say!("dropping the removed value", "释放取出的值"));
        let failed = list.remove(3);
        assert!(
            failed.is_err(),
            "{}",
            say!(
                "remove(3) on a list of 3 must fail",
                "对 3 个元素的链表执行 remove(3) 必须失败"
            )
        );
        check_alive(
            &log,
            3,
            &say!(
                "a failed remove (it must drop nothing)",
                "一次失败的 remove（它不能释放任何值）"
            ),
        );
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
        check_alive(
            &log,
            1,
            &say!("clear, then push_front", "先 clear 再 push_front"),
        );
        drop(list);
        log.assert_all_dropped_once();
    }

    #[test]
    fn failed_insert_drops_the_value() {
        let log = DropLog::new();
        let mut list = tracked_list(&log, 2);
        let result = list.insert(5, log.track(99));
        assert!(
            result.is_err(),
            "{}",
            say!(
                "insert(5, _) on a list of 2 must fail",
                "对 2 个元素的链表执行 insert(5, _) 必须失败"
            )
        );
        check_alive(
            &log,
            2,
            &say!(
                "a failed insert (the value it was given is dropped)",
                "一次失败的 insert（传给它的值被释放）"
            ),
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
        check_alive(
            &log,
            6,
            &say!(
                "taking two values from into_iter()",
                "从 into_iter() 取出两个值"
            ),
        );
        drop(it);
        check_alive(
            &log,
            2,
            &say!(
                "dropping the iterator after two values",
                "取了两个值后释放迭代器"
            ),
        );
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
        check_alive(
            &log,
            3,
            &say!(
                "*get_mut(1) = new value (the old one is dropped)",
                "*get_mut(1) = 新值（旧值被释放）"
            ),
        );
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
                    "{}", say!(
                        "after step {} ({:?}): values {:?} were dropped twice",
                        "第 {} 步（{:?}）之后：编号为 {:?} 的值被释放（drop）了两次",
                        step, op, log.dropped_twice(),
                    ));
                prop_assert_eq!(log.alive(), list.len(),
                    "{}", say!(
                        "after step {} ({:?}): the list has len() {} but {} values are alive",
                        "第 {} 步（{:?}）之后：链表的 len() 为 {}，但有 {} 个值存活",
                        step, op, list.len(), log.alive(),
                    ));
            }
            drop(list);
            prop_assert!(log.dropped_twice().is_empty(), "{}", say!(
                "values {:?} were dropped twice",
                "编号为 {:?} 的值被释放（drop）了两次",
                log.dropped_twice(),
            ));
            prop_assert_eq!(log.alive(), 0, "{}", say!(
                "{} values were never dropped (a leak)",
                "{} 个值从未被释放（内存泄漏）",
                log.alive(),
            ));
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
        assert_eq!(
            list.len(),
            n as usize,
            "{}",
            say!(
                "len() after {n} push_front calls",
                "{n} 次 push_front 之后的 len()"
            )
        );
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
            assert!(
                list.is_empty(),
                "{}",
                say!("clear() leaves the list empty", "clear() 之后链表为空")
            );
        });
    }

    #[test]
    fn reversing_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            list.reverse();
            assert_eq!(
                list.len(),
                N as usize,
                "{}",
                say!("reverse() keeps len()", "reverse() 不改变 len()")
            );
            assert_eq!(
                list.pop_front(),
                Some(N - 1),
                "{}",
                say!(
                    "after reverse() the last element comes first",
                    "reverse() 之后最后一个元素排到最前"
                )
            );
        });
    }

    #[test]
    fn unfinished_into_iter_over_a_million_nodes() {
        on_small_stack(|| {
            let mut it = long_list(N).into_iter();
            assert_eq!(
                it.next(),
                Some(0),
                "{}",
                say!(
                    "into_iter() starts at the front",
                    "into_iter() 从链表头开始"
                )
            );
            drop(it);
        });
    }

    #[test]
    fn comparing_a_million_nodes() {
        on_small_stack(|| {
            let (a, mut b) = (long_list(N), long_list(N));
            assert!(
                a == b,
                "{}",
                say!("two lists 0..{N} are equal", "两个 0..{N} 的链表相等")
            );
            if let Some(x) = b.get_mut(N as usize - 1) {
                *x = 0;
            }
            assert!(
                a != b,
                "{}",
                say!(
                    "lists that differ in the last element are not equal",
                    "最后一个元素不同的两个链表不相等"
                )
            );
        });
    }

    #[test]
    fn push_back_onto_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            list.push_back(N);
            assert_eq!(
                list.len(),
                N as usize + 1,
                "{}",
                say!("push_back adds one to len()", "push_back 使 len() 加一")
            );
            assert_eq!(
                list.iter().take(ITER_LIMIT).last(),
                Some(&N),
                "{}",
                say!(
                    "push_back(x) puts x after the last element",
                    "push_back(x) 把 x 放在最后一个元素之后"
                )
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
                "{}",
                say!(
                    "get({last}) is the last element",
                    "get({last}) 是最后一个元素"
                )
            );
            assert_eq!(
                list.get(N as usize),
                None,
                "{}",
                say!("get(len()) is None", "get(len()) 是 None")
            );
            assert_eq!(
                list.get_mut(last).map(|x| *x),
                Some(N - 1),
                "{}",
                say!(
                    "get_mut({last}) is the last element",
                    "get_mut({last}) 是最后一个元素"
                )
            );
            assert_eq!(
                list.get_mut(N as usize),
                None,
                "{}",
                say!("get_mut(len()) is None", "get_mut(len()) 是 None")
            );
        });
    }

    #[test]
    fn insert_and_remove_at_the_end_of_a_million_nodes() {
        on_small_stack(|| {
            let mut list = long_list(N);
            let n = N as usize;
            assert_eq!(
                list.insert(n, N),
                Ok(()),
                "{}",
                say!("insert(len(), x) appends", "insert(len(), x) 追加到末尾")
            );
            assert_eq!(
                list.len(),
                n + 1,
                "{}",
                say!("insert adds one to len()", "insert 使 len() 加一")
            );
            assert_eq!(
                list.remove(n),
                Ok(N),
                "{}",
                say!(
                    "remove(len() - 1) takes the last element",
                    "remove(len() - 1) 取出最后一个元素"
                )
            );
            assert_eq!(
                list.remove(n - 1),
                Ok(N - 1),
                "{}",
                say!(
                    "remove(len() - 1) takes the last element",
                    "remove(len() - 1) 取出最后一个元素"
                )
            );
            assert_eq!(
                list.len(),
                n - 1,
                "{}",
                say!(
                    "two removes take two from len()",
                    "两次 remove 使 len() 减二"
                )
            );
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
                "{}",
                say!(
                    "extend by two adds two to len()",
                    "extend 两个元素使 len() 加二"
                )
            );
            let back: Vec<u32> = bounded(list.iter(), "iter()")
                .into_iter()
                .skip(N as usize - 1)
                .copied()
                .collect();
            assert_eq!(
                back,
                [N - 1, N, N + 1],
                "{}",
                say!(
                    "extend([{N}, {}]) appends at the back, in order",
                    "extend([{N}, {}]) 按顺序追加到末尾",
                    N + 1
                )
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
            assert_eq!(
                copy.len(),
                20_000,
                "{}",
                say!("the clone has the same len()", "克隆的 len() 相同")
            );
            assert!(
                copy == list,
                "{}",
                say!("the clone holds the same elements", "克隆持有相同的元素")
            );
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
            assert_eq!(
                list.len(),
                i + 1,
                "{}",
                say!(
                    "len() after {} push_front calls",
                    "{} 次 push_front 之后的 len()",
                    i + 1
                )
            );
            assert!(
                !list.is_empty(),
                "{}",
                say!(
                    "a list of {} elements is not empty",
                    "{} 个元素的链表不为空",
                    i + 1
                )
            );
        }
        for i in (0..N).rev() {
            assert_eq!(
                list.pop_front(),
                Some(i),
                "{}",
                say!("pop_front() returns the front", "pop_front() 返回链表头")
            );
            assert_eq!(
                list.len(),
                i,
                "{}",
                say!("len() after a pop_front", "一次 pop_front 之后的 len()")
            );
            assert_eq!(
                list.is_empty(),
                i == 0,
                "{}",
                say!(
                    "is_empty() with {i} elements left",
                    "还剩 {i} 个元素时的 is_empty()"
                )
            );
        }
    }

    /// `collect` and `extend` walk to the end once and then append there: O(n) for n
    /// elements, not n walks to the end (`push_back` in a loop is O(n²)).
    #[test]
    fn collect_and_extend_are_linear() {
        let mut list: LinkedList<usize> = (0..N).collect();
        assert_eq!(
            list.len(),
            N,
            "{}",
            say!(
                "collect of {N} elements: len()",
                "collect {N} 个元素：len()"
            )
        );
        list.extend(N..2 * N);
        assert_eq!(
            list.len(),
            2 * N,
            "{}",
            say!("extend by {N} more: len()", "再 extend {N} 个：len()")
        );
        let all = bounded(list.iter(), "iter()");
        assert!(
            all.into_iter().copied().eq(0..2 * N),
            "{}",
            say!(
                "collect then extend must keep every element in order",
                "先 collect 再 extend 必须按顺序保留每个元素"
            )
        );
    }

    /// `get`, `get_mut`, `insert` and `remove` at index i cost O(i): near the front of
    /// a long list they stop early instead of walking (or counting) the whole list.
    #[test]
    fn index_near_the_front_is_cheap() {
        let mut list: LinkedList<usize> = (0..N).collect();
        for k in 0..N {
            assert_eq!(
                list.insert(1, k),
                Ok(()),
                "{}",
                say!("insert(1, x) on a long list", "在长链表上 insert(1, x)")
            );
            assert_eq!(
                list.get(1),
                Some(&k),
                "{}",
                say!(
                    "get(1) after insert(1, {k})",
                    "insert(1, {k}) 之后的 get(1)"
                )
            );
            if let Some(x) = list.get_mut(1) {
                *x += 1;
            }
            assert_eq!(
                list.remove(1),
                Ok(k + 1),
                "{}",
                say!("remove(1) after get_mut(1)", "get_mut(1) 之后的 remove(1)")
            );
        }
        assert_eq!(
            list.len(),
            N,
            "{}",
            say!(
                "as many inserts as removes: len() is back to {N}",
                "insert 和 remove 次数相同：len() 回到 {N}"
            )
        );
    }
}
