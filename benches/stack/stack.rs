//! The stack kata (栈): `SeqStack` against `Vec`, the standard library's stack, and
//! `LinkedStack` against `std::collections::LinkedList` used as a stack. A call pushes
//! n numbers and pops them all.

use std::collections::LinkedList;
use std::hint::black_box;

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{both, row};

fn stacks(c: &mut Criterion) {
    for n in [1000u64, 100_000] {
        row(c, "SeqStack push + pop", n, |row| {
            row.std("Vec", |b| {
                b.iter(|| {
                    let mut stack = Vec::new();
                    for i in 0..n {
                        stack.push(black_box(i));
                    }
                    let mut sum = 0;
                    while let Some(x) = stack.pop() {
                        sum += x;
                    }
                    sum
                })
            });
            both!(row, kata => |b| b.iter(|| {
                let mut stack = kata::SeqStack::new();
                for i in 0..n {
                    stack.push(black_box(i)).expect("an unbounded stack is never full");
                }
                let mut sum = 0;
                while let Some(x) = stack.pop() {
                    sum += x;
                }
                sum
            }));
        });

        row(c, "LinkedStack push + pop", n, |row| {
            row.std("LinkedList", |b| {
                b.iter(|| {
                    let mut stack = LinkedList::new();
                    for i in 0..n {
                        stack.push_front(black_box(i));
                    }
                    let mut sum = 0;
                    while let Some(x) = stack.pop_front() {
                        sum += x;
                    }
                    sum
                })
            });
            both!(row, kata => |b| b.iter(|| {
                let mut stack = kata::LinkedStack::new();
                for i in 0..n {
                    stack.push(black_box(i));
                }
                let mut sum = 0;
                while let Some(x) = stack.pop() {
                    sum += x;
                }
                sum
            }));
        });
    }
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = stacks
}
criterion_main!(benches);
