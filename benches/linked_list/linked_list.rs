//! The linked list kata (链表) against `std::collections::LinkedList`, a doubly linked
//! list, on the same operations. The reference's target: `push_front` and `pop_front`
//! within 1.5× of std's.
//!
//! `push_back` is the lesson in the other direction: the kata's list has no pointer to
//! its last node, so each `push_back` walks the whole list, and n of them take O(n²)
//! steps where std's take O(n).

use std::collections::LinkedList;
use std::hint::black_box;

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{both, row};

fn lists(c: &mut Criterion) {
    for n in [1000, 100_000] {
        row(c, "push_front + pop_front", n, |row| {
            row.std("LinkedList", |b| {
                b.iter(|| {
                    let mut list = LinkedList::new();
                    for i in 0..n as u64 {
                        list.push_front(black_box(i));
                    }
                    let mut sum = 0;
                    while let Some(x) = list.pop_front() {
                        sum += x;
                    }
                    sum
                })
            });
            both!(row, kata => |b| b.iter(|| {
                let mut list = kata::LinkedList::new();
                for i in 0..n as u64 {
                    list.push_front(black_box(i));
                }
                let mut sum = 0;
                while let Some(x) = list.pop_front() {
                    sum += x;
                }
                sum
            }));
        });
    }

    let n = 1000;
    let std_list: LinkedList<u64> = (0..n).collect();
    row(c, "iter (sum)", n, |row| {
        row.std("LinkedList", |b| {
            b.iter(|| black_box(&std_list).iter().sum::<u64>())
        });
        both!(row, kata => |b| {
            let list: kata::LinkedList<u64> = (0..n).collect();
            b.iter(|| black_box(&list).iter().sum::<u64>())
        });
    });

    row(c, "collect", n, |row| {
        row.std("LinkedList", |b| {
            b.iter(|| (0..black_box(n)).collect::<LinkedList<u64>>())
        });
        both!(row, kata => |b| b.iter(|| (0..black_box(n)).collect::<kata::LinkedList<u64>>()));
    });

    row(c, "push_back", n, |row| {
        row.std("LinkedList", |b| {
            b.iter(|| {
                let mut list = LinkedList::new();
                for i in 0..n {
                    list.push_back(black_box(i));
                }
                list
            })
        });
        both!(row, kata => |b| b.iter(|| {
            let mut list = kata::LinkedList::new();
            for i in 0..n {
                list.push_back(black_box(i));
            }
            list
        }));
    });
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = lists
}
criterion_main!(benches);
