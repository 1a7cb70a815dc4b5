#![allow(dead_code)] // Each suite uses only some of these helpers.

//! Threads a suite starts (a server's loop, a worker), whose panic reaches the test
//! that started them with its message and its place: "the server thread panicked at
//! exercises/select_server/src/lib.rs:346:17: index out of bounds: ...", where the test
//! would otherwise see only what followed ("the server closed the connection").
//!
//! Include with `#[path = "support/threads.rs"] mod threads;` after `lang.rs`, then
//! start a thread with [`spawn`] and either [`Thread::join`] it (its panic becomes the
//! test's) or keep a [`Watch`] of it where the test waits for it, and ask
//! [`Watch::panic`] why it ended.
//!
//! A panic hook, put in front of the one already set (which still prints the panic as
//! usual), notes the place and message of a panic on a thread started here.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::thread::{self, JoinHandle};

/// What a test can learn of a thread it started, shared with that thread.
#[derive(Default)]
struct State {
    /// The thread's name (`server`), as its panic names it.
    name: String,
    ended: AtomicBool,
    /// "the server thread panicked at <place>: <message>", once it has.
    panic: Mutex<Option<String>>,
}

thread_local! {
    /// The state of the thread running here, when this module started it.
    static CURRENT: RefCell<Option<Arc<State>>> = const { RefCell::new(None) };
}

/// Sets the hook that notes panics, once per test process.
fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = CURRENT.try_with(|current| {
                if let Some(state) = current.borrow().as_ref() {
                    let place = info
                        .location()
                        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                        .unwrap_or_else(|| "?".to_string());
                    let payload = info.payload();
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    let text = say!(
                        "the {} thread panicked at {place}: {message}",
                        "{} 线程在 {place} panic 了：{message}",
                        state.name
                    );
                    let mut slot = state.panic.lock().unwrap_or_else(|e| e.into_inner());
                    // The first panic is the cause; one during unwinding only follows.
                    slot.get_or_insert(text);
                }
            });
            previous(info);
        }));
    });
}

/// Marks the thread as ended when its closure returns or unwinds.
struct Ended(Arc<State>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.ended.store(true, Ordering::SeqCst);
    }
}

/// A view of a thread started by [`spawn`], to keep where a test waits for it.
#[derive(Clone)]
pub struct Watch(Arc<State>);

impl Watch {
    /// A watch of no thread (a server running in a process of its own): never ended.
    pub fn elsewhere(name: &str) -> Watch {
        Watch(Arc::new(State {
            name: name.to_string(),
            ..State::default()
        }))
    }

    /// True once the thread has ended, by returning or by a panic.
    pub fn ended(&self) -> bool {
        self.0.ended.load(Ordering::SeqCst)
    }

    /// "the server thread panicked at <place>: <message>", if it did.
    pub fn panic(&self) -> Option<String> {
        self.0
            .panic
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Why the thread is gone, for a test's message: its panic, or that it ended.
    pub fn why_ended(&self) -> String {
        self.panic().unwrap_or_else(|| {
            say!(
                "the {} thread ended without a panic",
                "{} 线程结束了，没有 panic",
                self.0.name
            )
        })
    }
}

/// A thread started by [`spawn`].
pub struct Thread<T> {
    watch: Watch,
    handle: Option<JoinHandle<T>>,
}

/// Starts `f` on a thread called `name` (`server`, `client 3`).
pub fn spawn<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> Thread<T> {
    install();
    let state = Arc::new(State {
        name: name.to_string(),
        ..State::default()
    });
    let inside = state.clone();
    let handle = thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let _ended = Ended(inside.clone());
            CURRENT.with(|current| *current.borrow_mut() = Some(inside));
            f()
        })
        .expect("the test could not start a thread");
    Thread {
        watch: Watch(state),
        handle: Some(handle),
    }
}

impl<T> Thread<T> {
    pub fn watch(&self) -> Watch {
        self.watch.clone()
    }

    /// True once the thread has ended (see [`JoinHandle::is_finished`]).
    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Waits for the thread. Its panic becomes this test's, with its message and place.
    /// Call it only when the thread is sure to end (it was told to stop, or has ended).
    #[track_caller]
    pub fn join(mut self) -> T {
        let handle = self.handle.take().expect("joined once");
        match handle.join() {
            Ok(value) => value,
            Err(_) => panic!("{}", self.watch.why_ended()),
        }
    }
}

impl<T> Drop for Thread<T> {
    /// A thread that has already ended in a panic fails the test that started it, even
    /// when the test did not join it; one still running is left (it ends with the
    /// test's process), since waiting for it could hang.
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take()
            && handle.is_finished()
            && handle.join().is_err()
            && !thread::panicking()
        {
            panic!("{}", self.watch.why_ended());
        }
    }
}
