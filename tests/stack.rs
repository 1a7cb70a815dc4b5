//! The suite of the stack kata (栈). It grades both `exercises/stack` (your code) and
//! `solutions/stack` (the reference): both crates name this file as their test.
//!
//! Test names follow `exercises/stack/README.md`, "What the tests check": each part of
//! the kata has its own module (`seq_stack::...`, `linked_stack::...`, `brackets::...`,
//! `reverse::...`), so a failure names the part and the property that broke.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
#[path = "support/drops.rs"]
mod drops;

use std::fmt::Debug;

use proptest::prelude::*;
use stack::{BracketError, FullError, LinkedStack, SeqStack, check_brackets};

/// One step of a random operation sequence, applied to a stack and to a `Vec` model
/// (the model's last element is the top).
#[derive(Debug, Clone)]
enum Op {
    Push(i32),
    Pop,
    Peek,
    /// Replace the top element through `peek_mut`.
    PeekMut(i32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<i32>().prop_map(Op::Push),
        3 => Just(Op::Pop),
        1 => Just(Op::Peek),
        1 => any::<i32>().prop_map(Op::PeekMut),
    ]
}

/// The most items the suite pulls from one of your iterators, so that an iterator that
/// never ends fails the test instead of hanging it or filling the memory.
const ITER_LIMIT: usize = 1 << 20;

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

/// The model's elements from the top down: what `iter` must yield.
fn top_first(model: &[i32]) -> Vec<i32> {
    model.iter().rev().copied().collect()
}

/// Both stacks, seen through one interface, so the model test is written once.
trait StackUnderTest: Debug {
    /// `Ok(())`, or the value handed back when the stack is full.
    fn push_value(&mut self, value: i32) -> Result<(), i32>;
    fn pop_value(&mut self) -> Option<i32>;
    fn peek_value(&self) -> Option<i32>;
    fn set_top(&mut self, value: i32) -> bool;
    fn length(&self) -> usize;
    fn empty(&self) -> bool;
    fn items(&self) -> Vec<i32>;
}

impl StackUnderTest for SeqStack<i32> {
    fn push_value(&mut self, value: i32) -> Result<(), i32> {
        self.push(value).map_err(|e| e.value)
    }
    fn pop_value(&mut self) -> Option<i32> {
        self.pop()
    }
    fn peek_value(&self) -> Option<i32> {
        self.peek().copied()
    }
    fn set_top(&mut self, value: i32) -> bool {
        self.peek_mut().map(|top| *top = value).is_some()
    }
    fn length(&self) -> usize {
        self.len()
    }
    fn empty(&self) -> bool {
        self.is_empty()
    }
    fn items(&self) -> Vec<i32> {
        bounded(self.iter().copied(), "iter()")
    }
}

impl StackUnderTest for LinkedStack<i32> {
    fn push_value(&mut self, value: i32) -> Result<(), i32> {
        self.push(value);
        Ok(())
    }
    fn pop_value(&mut self) -> Option<i32> {
        self.pop()
    }
    fn peek_value(&self) -> Option<i32> {
        self.peek().copied()
    }
    fn set_top(&mut self, value: i32) -> bool {
        self.peek_mut().map(|top| *top = value).is_some()
    }
    fn length(&self) -> usize {
        self.len()
    }
    fn empty(&self) -> bool {
        self.is_empty()
    }
    fn items(&self) -> Vec<i32> {
        bounded(self.iter().copied(), "iter()")
    }
}

/// Runs `ops` on `stack` and on a `Vec` model at once; after every step the stack must
/// agree with the model on every observable: results, `len`, `is_empty`, `iter`, `{:?}`.
/// `capacity` is the stack's limit (`None`: unbounded).
fn run_model<S: StackUnderTest>(
    stack: &mut S,
    capacity: Option<usize>,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let mut model: Vec<i32> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        let before = top_first(&model);
        match *op {
            Op::Push(x) => {
                let got = stack.push_value(x);
                if capacity.is_some_and(|cap| model.len() >= cap) {
                    prop_assert_eq!(
                        got,
                        Err(x),
                        "{}",
                        say!(
                            "step {}: push({}) onto a full stack (capacity {:?}, top first {:?}) \
                             must return Err(FullError {{ value: {}, .. }})",
                            "第 {} 步：对已满的栈 push({})（容量 {:?}，栈顶在前 {:?}）必须返回 Err(FullError {{ value: {}, .. }})",
                            step,
                            x,
                            capacity,
                            before,
                            x
                        )
                    );
                } else {
                    prop_assert_eq!(
                        got,
                        Ok(()),
                        "{}",
                        say!(
                            "step {}: push({}) onto {:?} (capacity {:?}) must succeed",
                            "第 {0} 步：对 {2:?}（容量 {3:?}）push({1}) 必须成功",
                            step,
                            x,
                            before,
                            capacity
                        )
                    );
                    model.push(x);
                }
            }
            Op::Pop => {
                let expected = model.pop();
                prop_assert_eq!(
                    stack.pop_value(),
                    expected,
                    "{}",
                    say!(
                        "step {}: pop() on {:?} (top first) must return the top",
                        "第 {} 步：对 {:?}（栈顶在前）pop() 必须返回栈顶",
                        step,
                        before
                    )
                );
            }
            Op::Peek => {
                prop_assert_eq!(
                    stack.peek_value(),
                    model.last().copied(),
                    "{}",
                    say!(
                        "step {}: peek() on {:?} (top first) must return the top",
                        "第 {} 步：对 {:?}（栈顶在前）peek() 必须返回栈顶",
                        step,
                        before
                    )
                );
            }
            Op::PeekMut(x) => {
                let changed = stack.set_top(x);
                prop_assert_eq!(
                    changed,
                    !model.is_empty(),
                    "{}",
                    say!(
                        "step {}: peek_mut() on {:?} (top first) must give the top, or None when empty",
                        "第 {} 步：对 {:?}（栈顶在前）peek_mut() 必须给出栈顶，栈空时为 None",
                        step,
                        before
                    )
                );
                if let Some(top) = model.last_mut() {
                    *top = x;
                }
            }
        }
        let after = top_first(&model);
        prop_assert_eq!(
            stack.length(),
            model.len(),
            "{}",
            say!(
                "after step {} ({:?}) the stack holds {:?} (top first) but len() is wrong",
                "第 {} 步（{:?}）之后栈内为 {:?}（栈顶在前），但 len() 不对",
                step,
                op,
                after
            )
        );
        prop_assert_eq!(
            stack.empty(),
            model.is_empty(),
            "{}",
            say!(
                "after step {} ({:?}) the stack holds {:?} (top first) but is_empty() is wrong",
                "第 {} 步（{:?}）之后栈内为 {:?}（栈顶在前），但 is_empty() 不对",
                step,
                op,
                after
            )
        );
        prop_assert_eq!(
            stack.items(),
            after.clone(),
            "{}",
            say!(
                "after step {} ({:?}): iter() must yield the elements from the top down",
                "第 {} 步（{:?}）之后：iter() 必须从栈顶往下产出元素",
                step,
                op
            )
        );
        prop_assert_eq!(
            format!("{stack:?}"),
            format!("{after:?}"),
            "{}",
            say!(
                "after step {} ({:?}): {{:?}} must print the elements as a list, top first",
                "第 {} 步（{:?}）之后：{{:?}} 必须把元素打印成列表，栈顶在前",
                step,
                op
            )
        );
    }
    Ok(())
}

/// `SeqStack` (顺序栈): the Vec-backed stack and its capacity.
mod seq_stack {
    use super::*;
    use rstest::rstest;

    #[test]
    fn new_is_empty_and_unbounded() {
        let s: SeqStack<i32> = SeqStack::new();
        assert!(
            s.is_empty(),
            "{}",
            say!(
                "SeqStack::new() must be empty",
                "SeqStack::new() 必须是空栈"
            )
        );
        assert_eq!(
            s.len(),
            0,
            "{}",
            say!(
                "SeqStack::new() must have len() 0",
                "SeqStack::new() 的 len() 必须是 0"
            )
        );
        assert_eq!(
            s.peek(),
            None,
            "{}",
            say!(
                "peek() on an empty stack must be None",
                "空栈的 peek() 必须是 None"
            )
        );
        assert_eq!(
            s.capacity(),
            None,
            "{}",
            say!(
                "SeqStack::new() has no capacity limit",
                "SeqStack::new() 没有容量上限"
            )
        );
        assert!(
            !s.is_full(),
            "{}",
            say!("an unbounded stack is never full", "无界的栈永远不会满")
        );
        let d: SeqStack<i32> = SeqStack::default();
        assert!(
            d.is_empty(),
            "{}",
            say!(
                "SeqStack::default() must be empty",
                "SeqStack::default() 必须是空栈"
            )
        );
        assert_eq!(
            d.capacity(),
            None,
            "{}",
            say!(
                "SeqStack::default() has no capacity limit",
                "SeqStack::default() 没有容量上限"
            )
        );
    }

    #[test]
    fn push_pop_is_last_in_first_out() {
        let mut s = SeqStack::new();
        for x in [1, 2, 3] {
            assert_eq!(
                s.push(x),
                Ok(()),
                "{}",
                say!(
                    "push({x}) onto an unbounded stack must succeed",
                    "对无界的栈 push({x}) 必须成功"
                )
            );
        }
        assert_eq!(
            s.peek(),
            Some(&3),
            "{}",
            say!(
                "after pushing 1, 2, 3 the top is 3",
                "依次压入 1、2、3 之后栈顶是 3"
            )
        );
        assert_eq!(
            s.len(),
            3,
            "{}",
            say!(
                "after pushing 1, 2, 3 len() is 3",
                "依次压入 1、2、3 之后 len() 是 3"
            )
        );
        let popped: Vec<i32> = std::iter::from_fn(|| s.pop()).take(10).collect();
        assert_eq!(
            popped,
            [3, 2, 1],
            "{}",
            say!(
                "popping must return the elements last in, first out",
                "出栈必须后进先出"
            )
        );
        assert!(
            s.is_empty(),
            "{}",
            say!(
                "after popping everything the stack is empty",
                "全部出栈之后栈为空"
            )
        );
        assert_eq!(
            s.pop(),
            None,
            "{}",
            say!(
                "pop() on an empty stack must be None",
                "空栈的 pop() 必须是 None"
            )
        );
    }

    #[rstest]
    #[case::zero(0)]
    #[case::one(1)]
    #[case::three(3)]
    fn bounded_refuses_push_when_full(#[case] capacity: usize) {
        let mut s = SeqStack::bounded(capacity);
        assert_eq!(
            s.capacity(),
            Some(capacity),
            "{}",
            say!(
                "bounded({capacity}).capacity()",
                "bounded({capacity}).capacity()"
            )
        );
        for x in 0..capacity as i32 {
            assert!(
                !s.is_full(),
                "{}",
                say!(
                    "a stack of {x} items with capacity {capacity} is not full",
                    "容量 {capacity} 的栈里有 {x} 个元素，还没满"
                )
            );
            assert_eq!(
                s.push(x),
                Ok(()),
                "{}",
                say!(
                    "push({x}) with room left must succeed",
                    "还有空位时 push({x}) 必须成功"
                )
            );
        }
        assert!(
            s.is_full(),
            "{}",
            say!(
                "{capacity} items in a stack of capacity {capacity}: is_full() must be true",
                "容量 {capacity} 的栈里有 {capacity} 个元素：is_full() 应为 true，却返回了 false"
            )
        );
        let err = s.push(99).expect_err(&say!(
            "push onto a full stack must return Err, not Ok",
            "对已满的栈 push 必须返回 Err，而不是 Ok"
        ));
        assert_eq!(
            err,
            FullError {
                value: 99,
                capacity
            },
            "{}",
            say!(
                "the error must hand back the value that did not fit, and the capacity",
                "错误必须交还放不下的那个值，以及容量"
            )
        );
        assert_eq!(
            s.len(),
            capacity,
            "{}",
            say!(
                "a refused push must not change the stack",
                "被拒绝的 push 不能改变栈"
            )
        );
        if capacity > 0 {
            assert_eq!(
                s.peek(),
                Some(&(capacity as i32 - 1)),
                "{}",
                say!(
                    "a refused push must not change the top",
                    "被拒绝的 push 不能改变栈顶"
                )
            );
            s.pop();
            assert!(
                !s.is_full(),
                "{}",
                say!("after a pop there is room again", "pop 之后又有空位了")
            );
            assert_eq!(
                s.push(7),
                Ok(()),
                "{}",
                say!(
                    "after a pop a push must succeed again",
                    "pop 之后 push 必须再次成功"
                )
            );
        }
    }

    #[test]
    fn full_error_gives_back_a_value_without_clone() {
        // A `String` is not `Copy`: the error must own the very value that was pushed.
        let mut s = SeqStack::bounded(1);
        s.push(String::from("底")).unwrap();
        let err = s.push(String::from("顶")).expect_err(&say!(
            "push onto a full bounded(1) stack must return Err",
            "对已满的 bounded(1) 栈 push 必须返回 Err"
        ));
        assert_eq!(
            err.value,
            "顶",
            "{}",
            say!(
                "the error must carry the refused value",
                "错误必须带着被拒绝的值"
            )
        );
        assert_eq!(s.peek().map(String::as_str), Some("底"));
    }

    #[test]
    fn peek_mut_changes_the_top() {
        let mut s = SeqStack::new();
        s.push(1).unwrap();
        s.push(2).unwrap();
        *s.peek_mut().expect(&say!(
            "peek_mut() on a non-empty stack",
            "对非空栈调用 peek_mut()"
        )) += 40;
        assert_eq!(
            s.pop(),
            Some(42),
            "{}",
            say!(
                "peek_mut() must give the top element to change",
                "peek_mut() 必须给出可修改的栈顶元素"
            )
        );
        assert_eq!(
            s.pop(),
            Some(1),
            "{}",
            say!(
                "peek_mut() must change only the top",
                "peek_mut() 只能改变栈顶"
            )
        );
    }

    #[test]
    fn iter_goes_from_the_top_down() {
        let mut s = SeqStack::new();
        for x in 1..=4 {
            s.push(x).unwrap();
        }
        let items: Vec<i32> = bounded(s.iter().copied(), "iter()");
        assert_eq!(
            items,
            [4, 3, 2, 1],
            "{}",
            say!("iter() yields the top first", "iter() 先产出栈顶")
        );
        let by_ref: Vec<&i32> = bounded((&s).into_iter(), "`for x in &stack`");
        assert_eq!(
            by_ref,
            [&4, &3, &2, &1],
            "{}",
            say!(
                "`for x in &stack` yields the top first",
                "`for x in &stack` 先产出栈顶"
            )
        );
        assert_eq!(
            s.len(),
            4,
            "{}",
            say!("iterating must not remove anything", "遍历不能移除任何元素")
        );
    }

    /// How many elements the constant-time tests push: enough that a stack which moves
    /// every element on each push or pop (the top at index 0 of the `Vec`) does
    /// 45,000,000,000 element moves, 150,000 times the 600,000 steps of the right one.
    /// The runner stops it long before it ends.
    const MANY: usize = 300_000;

    /// A 32-byte element: the more bytes a needless move copies, the further apart the
    /// right and the wrong complexity are.
    type Wide = [u64; 4];

    /// Push and pop work at the top without moving the other elements: O(1) each (the
    /// end of the `Vec` is the top). Checked by a budget: `MANY` pushes and pops are
    /// instant when each is O(1), and hours of copying when each moves the whole stack.
    #[test]
    fn push_and_pop_leave_the_other_elements_in_place() {
        let mut s: SeqStack<Wide> = SeqStack::new();
        for i in 0..MANY as u64 {
            s.push([i; 4]).expect(&say!(
                "push onto an unbounded stack must succeed",
                "对无界的栈 push 必须成功"
            ));
        }
        assert_eq!(
            s.len(),
            MANY,
            "{}",
            say!("len() after {MANY} pushes", "{MANY} 次 push 之后的 len()")
        );
        assert_eq!(
            s.peek(),
            Some(&[MANY as u64 - 1; 4]),
            "{}",
            say!("the top is the last push", "栈顶是最后压入的元素")
        );
        for i in (0..MANY as u64).rev() {
            assert_eq!(
                s.pop(),
                Some([i; 4]),
                "{}",
                say!(
                    "pop() must return the elements last in, first out",
                    "pop() 必须后进先出"
                )
            );
        }
        assert!(
            s.is_empty(),
            "{}",
            say!(
                "after popping everything the stack is empty",
                "全部出栈之后栈为空"
            )
        );
    }

    /// A stack that is not full takes a push, and a full one refuses it: "full" means
    /// `len() == capacity`, the number given to `bounded`, whatever the element type
    /// and however the stack was made (cloned, popped). `Vec::capacity` is how much
    /// memory the `Vec` happens to hold, not the stack's limit: a clone holds just
    /// enough for its elements, and a `Vec` of a zero-sized type never needs any.
    #[test]
    fn a_clone_keeps_the_capacity_limit() {
        let mut s = SeqStack::bounded(5);
        s.push(1).unwrap();
        s.push(2).unwrap();
        let mut copy = s.clone();
        assert_eq!(
            copy.capacity(),
            Some(5),
            "{}",
            say!(
                "a clone has the original's capacity",
                "克隆的容量与原栈相同"
            )
        );
        assert!(
            !copy.is_full(),
            "{}",
            say!(
                "a clone holding 2 of 5 is not full",
                "装了 2 个元素、容量为 5 的克隆没有满"
            )
        );
        for x in 3..=5 {
            assert_eq!(
                copy.push(x),
                Ok(()),
                "{}",
                say!(
                    "push({x}) onto a clone of a bounded(5) stack holding {} items must succeed",
                    "对装有 {} 个元素的 bounded(5) 栈的克隆 push({x}) 必须成功",
                    copy.len()
                )
            );
        }
        assert!(
            copy.is_full(),
            "{}",
            say!(
                "5 items in a clone of a bounded(5) stack: is_full() must be true",
                "bounded(5) 栈的克隆装了 5 个元素：is_full() 应为 true，却返回了 false"
            )
        );
        assert_eq!(
            copy.push(6),
            Err(FullError {
                value: 6,
                capacity: 5
            }),
            "{}",
            say!(
                "the clone is full at 5 items: push(6) must be refused with the value and the capacity",
                "克隆装了 5 个元素时已满：push(6) 必须被拒绝，并交回这个值和容量"
            )
        );
        assert_eq!(
            s.len(),
            2,
            "{}",
            say!(
                "pushing onto the clone must not change the original",
                "向克隆压栈不能改变原栈"
            )
        );
        let mut full_copy = copy.clone();
        full_copy.pop();
        assert_eq!(
            full_copy.push(9),
            Ok(()),
            "{}",
            say!("a popped clone has room again", "克隆 pop 之后又有空位")
        );
    }

    fn fill_and_overflow<T: Clone + Debug + PartialEq>(value: T, capacity: usize) {
        let what = std::any::type_name::<T>();
        let mut s = SeqStack::bounded(capacity);
        for i in 0..capacity {
            assert!(
                !s.is_full(),
                "{}",
                say!(
                    "a bounded({capacity}) stack of {what} holding {i} is not full",
                    "元素类型为 {what} 的 bounded({capacity}) 栈装有 {i} 个元素，没有满"
                )
            );
            assert!(
                s.push(value.clone()).is_ok(),
                "{}",
                say!(
                    "push #{} onto a bounded({capacity}) stack of {what} must succeed",
                    "向元素类型为 {what} 的 bounded({capacity}) 栈第 {} 次 push 必须成功",
                    i + 1
                )
            );
        }
        assert!(
            s.is_full(),
            "{}",
            say!(
                "a bounded({capacity}) stack of {what} holding {capacity}: is_full() must be true",
                "元素类型为 {what} 的 bounded({capacity}) 栈装有 {capacity} 个元素：is_full() 应为 true，却返回了 false"
            )
        );
        let err = s.push(value.clone()).expect_err(&say!(
            "a push past the capacity must be refused, whatever the element type",
            "超出容量的 push 必须被拒绝，不管元素是什么类型"
        ));
        assert_eq!(
            err.capacity,
            capacity,
            "{}",
            say!("the error names the capacity", "错误要写明容量")
        );
        assert_eq!(
            err.value,
            value,
            "{}",
            say!("the error hands the value back", "错误要交还那个值")
        );
        assert_eq!(
            s.len(),
            capacity,
            "{}",
            say!(
                "a refused push changes nothing",
                "被拒绝的 push 什么也不改变"
            )
        );
        if capacity == 0 {
            return;
        }
        let mut copy = s.clone();
        copy.pop();
        assert!(
            copy.push(value.clone()).is_ok() && copy.push(value).is_err(),
            "{}",
            say!(
                "a clone of a full bounded({capacity}) stack of {what}, popped once, takes exactly one push",
                "元素类型为 {what} 的已满 bounded({capacity}) 栈的克隆，pop 一次之后，正好还能 push 一次"
            )
        );
    }

    /// Zero-sized values (`()`), bytes and big values fill a bounded stack at exactly
    /// its capacity.
    #[rstest]
    fn capacity_counts_elements_of_any_size(#[values(0, 1, 4, 33)] capacity: usize) {
        fill_and_overflow((), capacity);
        fill_and_overflow(7u8, capacity);
        fill_and_overflow([1u64; 16], capacity);
        fill_and_overflow(String::from("栈"), capacity);
    }

    proptest! {
        #[test]
        fn behaves_like_vec(capacity in prop::option::of(0usize..8), ops in prop::collection::vec(op(), 0..120)) {
            let mut s = match capacity {
                Some(cap) => SeqStack::bounded(cap),
                None => SeqStack::new(),
            };
            prop_assert_eq!(s.capacity(), capacity, "{}", say!(
                "capacity() must be the limit given to bounded(), or None",
                "capacity() 必须是传给 bounded() 的上限，或者 None",
            ));
            run_model(&mut s, capacity, &ops)?;
            let full = capacity.is_some_and(|cap| s.len() >= cap);
            prop_assert_eq!(s.is_full(), full, "{}", say!(
                "is_full() after the operations, with {} items and capacity {:?}",
                "操作之后的 is_full()：{} 个元素，容量 {:?}",
                s.len(), capacity,
            ));
        }
    }
}

/// `LinkedStack` (链栈): the stack of linked nodes.
mod linked_stack {
    use super::*;

    #[test]
    fn new_is_empty() {
        let s: LinkedStack<i32> = LinkedStack::new();
        assert!(
            s.is_empty(),
            "{}",
            say!(
                "LinkedStack::new() must be empty",
                "LinkedStack::new() 必须是空栈"
            )
        );
        assert_eq!(
            s.len(),
            0,
            "{}",
            say!(
                "LinkedStack::new() must have len() 0",
                "LinkedStack::new() 的 len() 必须是 0"
            )
        );
        assert_eq!(
            s.peek(),
            None,
            "{}",
            say!(
                "peek() on an empty stack must be None",
                "空栈的 peek() 必须是 None"
            )
        );
        assert!(
            LinkedStack::<i32>::default().is_empty(),
            "{}",
            say!("default() must be empty", "default() 必须是空栈")
        );
    }

    #[test]
    fn push_pop_is_last_in_first_out() {
        let mut s = LinkedStack::new();
        for x in [1, 2, 3] {
            s.push(x);
        }
        assert_eq!(
            s.peek(),
            Some(&3),
            "{}",
            say!(
                "after pushing 1, 2, 3 the top is 3",
                "依次压入 1、2、3 之后栈顶是 3"
            )
        );
        assert_eq!(
            s.len(),
            3,
            "{}",
            say!(
                "after pushing 1, 2, 3 len() is 3",
                "依次压入 1、2、3 之后 len() 是 3"
            )
        );
        let popped: Vec<i32> = std::iter::from_fn(|| s.pop()).take(10).collect();
        assert_eq!(
            popped,
            [3, 2, 1],
            "{}",
            say!(
                "popping must return the elements last in, first out",
                "出栈必须后进先出"
            )
        );
        assert!(
            s.is_empty(),
            "{}",
            say!(
                "after popping everything the stack is empty",
                "全部出栈之后栈为空"
            )
        );
        assert_eq!(
            s.len(),
            0,
            "{}",
            say!(
                "after popping everything len() is 0",
                "全部出栈之后 len() 是 0"
            )
        );
        assert_eq!(
            s.pop(),
            None,
            "{}",
            say!(
                "pop() on an empty stack must be None",
                "空栈的 pop() 必须是 None"
            )
        );
    }

    #[test]
    fn peek_mut_changes_the_top() {
        let mut s = LinkedStack::new();
        s.push(1);
        s.push(2);
        *s.peek_mut().expect(&say!(
            "peek_mut() on a non-empty stack",
            "对非空栈调用 peek_mut()"
        )) += 40;
        assert_eq!(
            s.pop(),
            Some(42),
            "{}",
            say!(
                "peek_mut() must give the top element to change",
                "peek_mut() 必须给出可修改的栈顶元素"
            )
        );
        assert_eq!(
            s.pop(),
            Some(1),
            "{}",
            say!(
                "peek_mut() must change only the top",
                "peek_mut() 只能改变栈顶"
            )
        );
    }

    #[test]
    fn iter_goes_from_the_top_down() {
        let mut s = LinkedStack::new();
        for x in 1..=4 {
            s.push(x);
        }
        let items: Vec<i32> = bounded(s.iter().copied(), "iter()");
        assert_eq!(
            items,
            [4, 3, 2, 1],
            "{}",
            say!("iter() yields the top first", "iter() 先产出栈顶")
        );
        let by_ref: Vec<&i32> = bounded((&s).into_iter(), "`for x in &stack`");
        assert_eq!(
            by_ref,
            [&4, &3, &2, &1],
            "{}",
            say!(
                "`for x in &stack` yields the top first",
                "`for x in &stack` 先产出栈顶"
            )
        );
        assert_eq!(
            s.len(),
            4,
            "{}",
            say!("iterating must not remove anything", "遍历不能移除任何元素")
        );
    }

    /// Dropping a million nodes must not overflow the stack of the thread that drops
    /// them. The drop runs on a thread with a small stack (256 KiB), so one nested call
    /// per node (the default, recursive drop of a `Box` chain) overflows for certain.
    #[test]
    fn dropping_a_deep_stack_does_not_overflow() {
        const DEPTH: u32 = 1_000_000;
        let mut s = LinkedStack::new();
        for x in 0..DEPTH {
            s.push(x);
        }
        assert_eq!(
            s.len(),
            DEPTH as usize,
            "{}",
            say!("len() after {DEPTH} pushes", "{DEPTH} 次 push 之后的 len()")
        );
        let dropper = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || drop(s))
            .expect("spawn a thread to drop the stack");
        assert!(
            dropper.join().is_ok(),
            "{}",
            say!(
                "dropping a stack of {DEPTH} nodes failed (write Drop with a loop, not recursion)",
                "释放一个有 {DEPTH} 个节点的栈失败了（用循环写 Drop，不要用递归）"
            )
        );
    }

    /// `push`, `pop`, `len` and `is_empty` are O(1): they touch the head and the
    /// counter, never the rest of the chain. Checked by a budget: 300,000 of each are
    /// instant when each is O(1); walking the chain in any of them costs 45,000,000,000
    /// node visits, which the runner stops long before the end.
    #[test]
    fn push_pop_and_len_are_constant_time() {
        const MANY: usize = 300_000;
        let mut s = LinkedStack::new();
        for i in 0..MANY {
            s.push(i);
            assert_eq!(
                s.len(),
                i + 1,
                "{}",
                say!("len() after {} pushes", "{} 次 push 之后的 len()", i + 1)
            );
            assert!(
                !s.is_empty(),
                "{}",
                say!(
                    "a stack of {} items is not empty",
                    "有 {} 个元素的栈不为空",
                    i + 1
                )
            );
        }
        for i in (0..MANY).rev() {
            assert_eq!(
                s.pop(),
                Some(i),
                "{}",
                say!(
                    "pop() must return the last value pushed",
                    "pop() 必须返回最后压入的值"
                )
            );
            assert_eq!(
                s.len(),
                i,
                "{}",
                say!("len() after a pop", "一次 pop 之后的 len()")
            );
            assert_eq!(
                s.is_empty(),
                i == 0,
                "{}",
                say!(
                    "is_empty() with {i} items left",
                    "还剩 {i} 个元素时的 is_empty()"
                )
            );
        }
    }

    proptest! {
        #[test]
        fn behaves_like_vec(ops in prop::collection::vec(op(), 0..120)) {
            let mut s = LinkedStack::new();
            run_model(&mut s, None, &ops)?;
        }
    }
}

/// Drop counting (析构计数): every element is dropped exactly once, never leaked.
mod drop_counts {
    use super::drops::DropLog;
    use super::*;

    proptest! {
        #[test]
        fn seq_stack_drops_each_element_once(
            capacity in prop::option::of(0usize..12),
            pushes in 0usize..20,
            pops in 0usize..25,
        ) {
            let log = DropLog::new();
            {
                let mut s = match capacity {
                    Some(cap) => SeqStack::bounded(cap),
                    None => SeqStack::new(),
                };
                for i in 0..pushes {
                    // A refused value comes back in the error, and is dropped here.
                    if let Err(e) = s.push(log.track(i)) {
                        prop_assert_eq!(e.value.payload, i, "{}", say!(
                            "the error must hand back the pushed value",
                            "错误必须交还被压入的值",
                        ));
                    }
                }
                for _ in 0..pops {
                    drop(s.pop());
                }
                prop_assert_eq!(log.alive(), s.len(),
                    "{}", say!(
                        "after {} pushes and {} pops, the stack holds {} values but {} are alive \
                         (a popped or refused value must be handed back, a kept one must not be dropped)",
                        "{} 次 push、{} 次 pop 之后，栈里有 {} 个值，却有 {} 个存活（弹出或被拒绝的值必须交还出去，栈里保留的值不能被释放）",
                        pushes, pops, s.len(), log.alive(),
                    ));
                prop_assert!(log.dropped_twice().is_empty(), "{}", say!(
                    "values {:?} were dropped twice",
                    "编号为 {:?} 的值被释放（drop）了两次",
                    log.dropped_twice(),
                ));
            }
            log.assert_all_dropped_once();
        }

        #[test]
        fn linked_stack_drops_each_element_once(pushes in 0usize..40, pops in 0usize..50) {
            let log = DropLog::new();
            {
                let mut s = LinkedStack::new();
                for i in 0..pushes {
                    s.push(log.track(i));
                }
                for _ in 0..pops {
                    let expected_top = s.len().checked_sub(1);
                    let got = s.pop();
                    prop_assert_eq!(got.as_ref().map(|t| t.payload), expected_top,
                        "{}", say!(
                            "pop() must return the last value pushed that is still on the stack",
                            "pop() 必须返回仍在栈里的、最后压入的那个值",
                        ));
                }
                prop_assert_eq!(log.alive(), pushes.saturating_sub(pops),
                    "{}", say!(
                        "after {} pushes and {} pops, {} values are alive",
                        "{} 次 push、{} 次 pop 之后，有 {} 个值存活",
                        pushes, pops, log.alive(),
                    ));
            }
            // Dropping the stack must drop what it still holds, once each.
            log.assert_all_dropped_once();
        }
    }

    #[test]
    fn peek_and_iter_drop_nothing() {
        let log = DropLog::new();
        let mut linked = LinkedStack::new();
        let mut seq = SeqStack::new();
        for i in 0..5 {
            linked.push(log.track(i));
            seq.push(log.track(i)).unwrap();
        }
        let _ = (
            linked.peek(),
            seq.peek(),
            bounded(linked.iter(), "iter()").len(),
            bounded(seq.iter(), "iter()").len(),
        );
        assert_eq!(
            log.alive(),
            10,
            "{}",
            say!(
                "peek() and iter() must not drop anything",
                "peek() 和 iter() 不能释放任何值"
            )
        );
        drop(linked);
        assert_eq!(
            log.alive(),
            5,
            "{}",
            say!(
                "dropping a LinkedStack of 5 must drop its 5 values",
                "释放一个装有 5 个值的 LinkedStack 必须释放这 5 个值"
            )
        );
        drop(seq);
        log.assert_all_dropped_once();
    }
}

/// A simple, obviously correct bracket checker to compare with: the suite's model.
fn model_check(text: &str) -> Result<(), BracketError> {
    let mut open: Vec<(char, usize)> = Vec::new();
    for (at, c) in text.chars().enumerate() {
        let pair = match c {
            '(' | '[' | '{' => {
                open.push((c, at));
                continue;
            }
            ')' => '(',
            ']' => '[',
            '}' => '{',
            _ => continue,
        };
        match open.pop() {
            None => return Err(BracketError::UnexpectedClose { close: c, at }),
            Some((o, open_at)) if o != pair => {
                return Err(BracketError::Mismatched {
                    open: o,
                    open_at,
                    close: c,
                    close_at: at,
                });
            }
            Some(_) => {}
        }
    }
    match open.pop() {
        Some((o, at)) => Err(BracketError::Unclosed { open: o, at }),
        None => Ok(()),
    }
}

/// Bracket matching (括号匹配).
mod brackets {
    use super::*;
    use quickcheck::{Arbitrary, Gen};
    use quickcheck_macros::quickcheck;
    use rstest::rstest;

    use BracketError::{Mismatched, Unclosed, UnexpectedClose};

    #[rstest]
    #[case::empty("", Ok(()))]
    #[case::no_brackets("hello, 栈", Ok(()))]
    #[case::one_pair("()", Ok(()))]
    #[case::nested("{[()]}", Ok(()))]
    #[case::side_by_side("()[]{}", Ok(()))]
    #[case::code("fn main() { let v = vec![1, (2 + 3)]; }", Ok(()))]
    #[case::course_text("Hello (world) [in {Python} and (Rust)]", Ok(()))]
    #[case::chinese_ok("栈(后进先出)是[线性表{的一种}]", Ok(()))]
    #[case::full_width_ignored("函数（参数）(x)【注】", Ok(()))]
    #[case::angle_brackets_ignored("Vec<Option<u8>> if a < b { c > d }", Ok(()))]
    #[case::wrong_kind("(]", Err(Mismatched { open: '(', open_at: 0, close: ']', close_at: 1 }))]
    #[case::crossed("([)]", Err(Mismatched { open: '[', open_at: 1, close: ')', close_at: 2 }))]
    #[case::two_open("((", Err(Unclosed { open: '(', at: 1 }))]
    #[case::innermost_unclosed("{ ( ) [", Err(Unclosed { open: '[', at: 6 }))]
    #[case::lone_close(")", Err(UnexpectedClose { close: ')', at: 0 }))]
    #[case::close_after_balanced("()}", Err(UnexpectedClose { close: '}', at: 2 }))]
    #[case::first_error_wins(")(", Err(UnexpectedClose { close: ')', at: 0 }))]
    #[case::mismatch_before_unclosed("{(]", Err(Mismatched { open: '(', open_at: 1, close: ']', close_at: 2 }))]
    #[case::chinese_position("栈顶(元素]", Err(Mismatched { open: '(', open_at: 2, close: ']', close_at: 5 }))]
    #[case::chinese_unclosed("中文{括号", Err(Unclosed { open: '{', at: 2 }))]
    #[case::chinese_stray_close("后进先出)", Err(UnexpectedClose { close: ')', at: 4 }))]
    #[case::full_width_is_not_a_bracket("（]", Err(UnexpectedClose { close: ']', at: 1 }))]
    #[case::angle_is_not_a_bracket("(<]>", Err(Mismatched { open: '(', open_at: 0, close: ']', close_at: 2 }))]
    #[case::newline_then_stray_close("a\n)", Err(UnexpectedClose { close: ')', at: 2 }))]
    #[case::lines_then_mismatch("(\n\r\n]", Err(Mismatched { open: '(', open_at: 0, close: ']', close_at: 4 }))]
    #[case::unclosed_on_a_later_line("ok\n  {\n\t中", Err(Unclosed { open: '{', at: 5 }))]
    #[case::many_lines_ok("fn f() {\n    g(1);\n}\n", Ok(()))]
    fn examples(#[case] text: &str, #[case] expected: Result<(), BracketError>) {
        assert_eq!(
            check_brackets(text),
            expected,
            "{}",
            say!(
                "check_brackets({text:?}); positions count chars, not bytes, from 0",
                "check_brackets({text:?})；位置按字符（char）计数而不是按字节，从 0 开始"
            )
        );
    }

    #[rstest]
    #[case::mismatch(Mismatched { open: '(', open_at: 0, close: ']', close_at: 7 }, 7)]
    #[case::unexpected(UnexpectedClose { close: ')', at: 3 }, 3)]
    #[case::unclosed(Unclosed { open: '{', at: 5 }, 5)]
    fn position_points_at_the_problem(#[case] error: BracketError, #[case] at: usize) {
        assert_eq!(
            error.position(),
            at,
            "{}",
            say!("position() of {error:?}", "{error:?} 的 position()")
        );
    }

    /// Text made of brackets, letters, Chinese, full-width brackets and line breaks
    /// (positions count every char, across lines), in random order:
    /// most are wrong somewhere, at every kind of place.
    fn bracket_soup() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                '(', ')', '[', ']', '{', '}', 'a', ' ', '栈', '（', '）', '<', '>', '\n', '\r',
                '\t', '\u{2028}',
            ]),
            0..40,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn agrees_with_a_model(text in bracket_soup()) {
            prop_assert_eq!(
                check_brackets(&text),
                model_check(&text),
                "{}", say!(
                    "check_brackets({:?}): the first problem from the left, positions in chars",
                    "check_brackets({:?})：报告从左边数第一个问题，位置按字符计",
                    text,
                )
            );
        }
    }

    /// Nesting 100,000 deep, checked on a thread with a 256 KiB stack: a checker that
    /// recurses once per open bracket (instead of keeping its own stack of open
    /// brackets) overflows the thread's stack and crashes this test.
    #[test]
    fn deep_nesting_does_not_recurse() {
        const DEPTH: usize = 100_000;
        let checker = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let opens = "([{".repeat(DEPTH / 3);
                let n = opens.chars().count();
                let closes: String = opens
                    .chars()
                    .rev()
                    .map(|c| match c {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    })
                    .collect();
                assert_eq!(
                    check_brackets(&format!("{opens}{closes}")),
                    Ok(()),
                    "{}",
                    say!(
                        "{n} brackets nested one inside the other, then all closed",
                        "{n} 个括号层层嵌套，然后全部闭合"
                    )
                );
                assert_eq!(
                    check_brackets(&opens),
                    Err(Unclosed {
                        open: '{',
                        at: n - 1
                    }),
                    "{}",
                    say!(
                        "{n} brackets opened and never closed: the innermost is reported",
                        "{n} 个括号打开后从未闭合：报告最里层的那个"
                    )
                );
                assert_eq!(
                    check_brackets(&format!("{opens})")),
                    Err(Mismatched {
                        open: '{',
                        open_at: n - 1,
                        close: ')',
                        close_at: n
                    }),
                    "{}",
                    say!(
                        "{n} brackets opened, then a `)` that does not match the innermost `{{`",
                        "{n} 个括号打开后，出现一个与最里层的 `{{` 不匹配的 `)`"
                    )
                );
            })
            .expect("spawn a thread to check deeply nested brackets");
        if let Err(panic) = checker.join() {
            std::panic::resume_unwind(panic);
        }
    }

    /// A string whose brackets are balanced, built by a grammar:
    /// `S = "" | S S | "(" S ")" | "[" S "]" | "{" S "}" | filler S`.
    #[derive(Clone, Debug)]
    struct Balanced(String);

    fn grow(g: &mut Gen, out: &mut String, depth: u32) {
        let parts = usize::arbitrary(g) % 4;
        for _ in 0..parts {
            if depth < 6 && bool::arbitrary(g) {
                let (open, close) = *g.choose(&[('(', ')'), ('[', ']'), ('{', '}')]).unwrap();
                out.push(open);
                grow(g, out, depth + 1);
                out.push(close);
            } else {
                out.push(
                    *g.choose(&[
                        'a', ' ', '1', '中', '文', '（', '）', '。', '\n', '\r', '\t',
                    ])
                    .unwrap(),
                );
            }
        }
    }

    impl Arbitrary for Balanced {
        fn arbitrary(g: &mut Gen) -> Self {
            let mut s = String::new();
            grow(g, &mut s, 0);
            Balanced(s)
        }
    }

    #[quickcheck]
    fn balanced_text_is_accepted(b: Balanced) -> bool {
        check_brackets(&b.0).is_ok()
    }

    #[quickcheck]
    fn stray_closer_after_balanced_text(b: Balanced, close: u8) -> bool {
        let close = [')', ']', '}'][close as usize % 3];
        let text = format!("{}{close}", b.0);
        check_brackets(&text)
            == Err(UnexpectedClose {
                close,
                at: b.0.chars().count(),
            })
    }

    #[quickcheck]
    fn opener_left_between_balanced_texts(a: Balanced, b: Balanced, open: u8) -> bool {
        let open = ['(', '[', '{'][open as usize % 3];
        let text = format!("{}{open}{}", a.0, b.0);
        check_brackets(&text)
            == Err(Unclosed {
                open,
                at: a.0.chars().count(),
            })
    }

    #[test]
    fn error_texts_snapshot() {
        let texts = [
            "Hello (world) [in {Python} and (Rust)]",
            "(]",
            "((",
            ")",
            "([)]",
            "栈顶(元素]",
            "中文{括号",
            "后进先出)",
        ];
        let report: Vec<String> = texts
            .iter()
            .map(|t| match check_brackets(t) {
                Ok(()) => format!("{t:?}\n  ok"),
                Err(e) => format!("{t:?}\n  {e:?}\n  {e}"),
            })
            .collect();
        insta::assert_snapshot!("bracket_report", report.join("\n"));
    }
}

/// Reversing through a stack (逆序输出).
mod reverse {
    use quickcheck_macros::quickcheck;
    use rstest::rstest;
    use stack::{reverse, reverse_chars};

    #[rstest]
    #[case::empty(vec![], vec![])]
    #[case::one(vec![7], vec![7])]
    #[case::two(vec![1, 2], vec![2, 1])]
    #[case::course(vec![1, 2, 3, 4, 5], vec![5, 4, 3, 2, 1])]
    #[case::repeats(vec![3, 3, 1, 3], vec![3, 1, 3, 3])]
    fn examples(#[case] input: Vec<i32>, #[case] expected: Vec<i32>) {
        assert_eq!(
            reverse(input.clone()),
            expected,
            "{}",
            say!("reverse({input:?})", "reverse({input:?})")
        );
    }

    #[rstest]
    #[case::empty("", "")]
    #[case::ascii("stack", "kcats")]
    #[case::chinese("后进先出", "出先进后")]
    #[case::mixed("栈 top", "pot 栈")]
    fn chars_examples(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(
            reverse_chars(input),
            expected,
            "{}",
            say!(
                "reverse_chars({input:?}) reverses chars, not bytes",
                "reverse_chars({input:?}) 按字符而不是按字节反转"
            )
        );
    }

    #[test]
    fn reverses_values_without_clone() {
        let words = vec![String::from("a"), String::from("b"), String::from("c")];
        assert_eq!(
            reverse(words),
            ["c", "b", "a"],
            "{}",
            say!("reverse of owned strings", "反转有所有权的字符串")
        );
    }

    #[quickcheck]
    fn reverse_twice_is_identity(v: Vec<i32>) -> bool {
        reverse(reverse(v.clone())) == v
    }

    #[quickcheck]
    fn agrees_with_std(v: Vec<i32>) -> bool {
        reverse(v.iter().copied()) == v.iter().rev().copied().collect::<Vec<_>>()
    }

    #[quickcheck]
    fn reverse_chars_twice_is_identity(s: String) -> bool {
        reverse_chars(&reverse_chars(&s)) == s
    }

    #[quickcheck]
    fn reverse_chars_agrees_with_std(s: String) -> bool {
        reverse_chars(&s) == s.chars().rev().collect::<String>()
    }
}

/// `{:?}` of the stacks and the texts of the errors.
mod snapshots {
    use super::*;

    #[test]
    fn debug_and_display() {
        let mut seq = SeqStack::bounded(3);
        for x in [1, 2, 3] {
            seq.push(x).unwrap();
        }
        let full = seq.push(4).expect_err(&say!(
            "push onto a full bounded(3) stack must return Err",
            "对已满的 bounded(3) 栈 push 必须返回 Err"
        ));
        let mut linked = LinkedStack::new();
        for w in ["栈底", "middle", "栈顶"] {
            linked.push(w);
        }
        let empty: LinkedStack<i32> = LinkedStack::new();
        let text = format!(
            "SeqStack after pushing 1, 2, 3: {seq:?}\n\
             FullError: {full:?}\n\
             FullError as text: {full}\n\
             LinkedStack of words: {linked:?}\n\
             empty LinkedStack: {empty:?}\n\
             empty SeqStack: {:?}\n\
             pretty: {linked:#?}",
            SeqStack::<u8>::new()
        );
        insta::assert_snapshot!("debug_and_display", text);
    }
}
