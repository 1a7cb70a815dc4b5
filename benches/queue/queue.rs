//! The queue kata (队列): `SeqQueue`, the ring buffer, against `VecDeque`, the standard
//! library's ring buffer, and `LinkedQueue` against `std::collections::LinkedList` used
//! as a queue. The reference's target: the ring buffer within 1.5× of `VecDeque`.
//!
//! A call fills a queue of capacity n, then n times takes one item off the front and
//! puts one on the back (so the ring wraps round), then empties it.

use std::collections::{LinkedList, VecDeque};
use std::hint::black_box;

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{both, row};

fn queues(c: &mut Criterion) {
    for n in [1000u64, 100_000] {
        row(c, "SeqQueue fill, cycle, drain", n, |row| {
            row.std("VecDeque", |b| {
                b.iter(|| {
                    let mut queue = VecDeque::with_capacity(n as usize);
                    for i in 0..n {
                        queue.push_back(black_box(i));
                    }
                    let mut sum = 0;
                    for i in 0..n {
                        sum += queue.pop_front().unwrap_or(0);
                        queue.push_back(black_box(i));
                    }
                    while let Some(x) = queue.pop_front() {
                        sum += x;
                    }
                    sum
                })
            });
            both!(row, kata => |b| b.iter(|| {
                let mut queue = kata::SeqQueue::with_capacity(n as usize);
                for i in 0..n {
                    queue.enqueue(black_box(i)).expect("the queue has room");
                }
                let mut sum = 0;
                for i in 0..n {
                    sum += queue.dequeue().unwrap_or(0);
                    queue.enqueue(black_box(i)).expect("the queue has room");
                }
                while let Some(x) = queue.dequeue() {
                    sum += x;
                }
                sum
            }));
        });

        row(c, "LinkedQueue fill, cycle, drain", n, |row| {
            row.std("LinkedList", |b| {
                b.iter(|| {
                    let mut queue = LinkedList::new();
                    for i in 0..n {
                        queue.push_back(black_box(i));
                    }
                    let mut sum = 0;
                    for i in 0..n {
                        sum += queue.pop_front().unwrap_or(0);
                        queue.push_back(black_box(i));
                    }
                    while let Some(x) = queue.pop_front() {
                        sum += x;
                    }
                    sum
                })
            });
            both!(row, kata => |b| b.iter(|| {
                let mut queue = kata::LinkedQueue::new();
                for i in 0..n {
                    queue.enqueue(black_box(i));
                }
                let mut sum = 0;
                for i in 0..n {
                    sum += queue.dequeue().unwrap_or(0);
                    queue.enqueue(black_box(i));
                }
                while let Some(x) = queue.dequeue() {
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
    targets = queues
}
criterion_main!(benches);
