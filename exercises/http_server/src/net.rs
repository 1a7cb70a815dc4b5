//! What the server's loop needs from the operating system beyond a socket: its settings,
//! the waker that stops it from another thread, and one socket option.
//!
//! GIVEN, complete: the select_server kata built each of these already (the self-pipe
//! trick, `SO_SNDBUF`); here you use them.

use std::io::{self, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::sync::Arc;

use nix::sys::socket::{setsockopt, sockopt};

use crate::message::Limits;

/// The most response bytes the server holds for one connection before it stops reading
/// that connection's requests: 64 KiB.
pub const MAX_OUTPUT: usize = 64 * 1024;

/// How the server treats its connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// What a request may be (`Limits::default()`: 8 KiB request line, 16 KiB head, 100
    /// headers, 1 MiB body).
    pub limits: Limits,
    /// While a connection holds this many response bytes or more, waiting to be sent, the
    /// server answers none of its requests and reads none: a client that does not read
    /// its responses is sent no more, and costs at most this plus one response.
    pub max_output: usize,
    /// `SO_SNDBUF` set on every accepted socket (`None`: the system's default). Tests make
    /// it small, so a client that stops reading fills it with little data.
    pub send_buffer: Option<usize>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            limits: Limits::default(),
            max_output: MAX_OUTPUT,
            send_buffer: None,
        }
    }
}

/// Sets a socket's send buffer size (`SO_SNDBUF`). One system call.
pub fn set_send_buffer(stream: &TcpStream, bytes: usize) -> io::Result<()> {
    setsockopt(stream, sockopt::SndBuf, &bytes).map_err(io::Error::from)
}

/// Wakes the server's loop from another thread: `Server::run` returns, and a
/// `Server::poll_once` that is waiting returns at once.
///
/// The self-pipe trick (唤醒): one end of a socket pair sits in the server's poll set;
/// waking writes a byte into the other end, which makes the server's end readable.
#[derive(Debug, Clone)]
pub struct Waker {
    tx: Arc<UnixStream>,
}

impl Waker {
    /// A waker and the end to poll (`POLLIN`): both ends are non-blocking. When the polled
    /// end is readable, read it until `WouldBlock` (drain it), then stop.
    pub fn pair() -> io::Result<(Waker, UnixStream)> {
        let (tx, rx) = UnixStream::pair()?;
        tx.set_nonblocking(true)?;
        rx.set_nonblocking(true)?;
        Ok((Waker { tx: Arc::new(tx) }, rx))
    }

    /// Wakes the server. Never blocks; waking twice before the server looks is waking once.
    pub fn wake(&self) {
        // Non-blocking: if the pair's buffer is full, a wake-up is pending anyway.
        let _ = (&*self.tx).write(&[1]);
    }
}
