//! A single-threaded chat server on poll(2) (IO 多路复用).
//!
//! One thread serves every client. Each turn of the loop ([`Server::poll_once`]) asks the
//! kernel, with one `poll` call, which sockets are ready, and then does only what cannot
//! block: accept pending connections, read from readable clients, write what writable
//! clients' sockets take. The protocol (framing, parsing, the replies' bytes) is given
//! in [`protocol`]; the event loop, the client table, the buffers and the session are
//! yours. See the README for the task, the protocol and hints.

pub mod protocol;

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use nix::sys::socket::{setsockopt, sockopt};

use protocol::ParseError;

/// The most output the server holds for one client; a client that lets more pile up
/// (it stopped reading) is dropped. The kernel's socket buffers come first: this is on top
/// of what they hold.
pub const MAX_OUTPUT: usize = 64 * 1024;

/// How the server treats its clients. Given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The most output held for one client: a reply that would not fit (after writing what
    /// its socket takes) makes it too slow, and it is dropped, without `EXIT`.
    pub max_output: usize,
    /// `SO_SNDBUF` to set on every accepted socket (`None`: the system's default). Tests
    /// make it small, so a client that stops reading fills it with little data.
    pub send_buffer: Option<usize>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_output: MAX_OUTPUT,
            send_buffer: None,
        }
    }
}

/// Sets a socket's send buffer size (`SO_SNDBUF`). Given: it is one system call.
pub fn set_send_buffer(stream: &TcpStream, bytes: usize) -> io::Result<()> {
    setsockopt(stream, sockopt::SndBuf, &bytes).map_err(io::Error::from)
}

/// Wakes the server's loop from another thread: [`Server::run`] returns, and a
/// [`Server::poll_once`] that is waiting returns at once.
///
/// Add the fields you need (hint: one end of a `std::os::unix::net::UnixStream::pair()`
/// whose other end sits in the server's poll set; an `Arc` makes it cheap to clone).
#[derive(Debug, Clone)]
pub struct Waker {}

impl Waker {
    /// Wakes the server. Never blocks; waking twice before the server looks is waking once.
    pub fn wake(&self) {
        todo!("wake the server's loop ({self:?})")
    }
}

/// The chat server. Add the fields you need: the listener, the waker's other end, the
/// config, a table of clients (each with its stream, decoder, output buffer and name)
/// and a table of names in use.
#[derive(Debug)]
pub struct Server {}

impl Server {
    /// Listens on `addr` with the default [`Config`]. Given.
    pub fn bind(addr: impl ToSocketAddrs + fmt::Debug) -> io::Result<Server> {
        Server::bind_with(addr, Config::default())
    }

    /// Listens on `addr` (port 0: any free port; see [`Server::local_addr`]). The
    /// listener must not block: set it non-blocking.
    pub fn bind_with(addr: impl ToSocketAddrs + fmt::Debug, config: Config) -> io::Result<Server> {
        todo!("listen on {addr:?} with {config:?}")
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        todo!("the address of {self:?}")
    }

    /// A handle that wakes this server from another thread.
    pub fn waker(&self) -> Waker {
        todo!("a waker for {self:?}")
    }

    /// Open connections, logged in or not. A client that left is not counted.
    pub fn connections(&self) -> usize {
        todo!("count the connections of {self:?}")
    }

    /// Queues `NOTICE <text>` for every logged-in client (sent by the next turns of the
    /// loop) and returns how many get it. A text must be 1 or more bytes without control
    /// characters (`protocol::check_text`); otherwise nothing is sent.
    pub fn notice(&mut self, text: &str) -> Result<usize, ParseError> {
        todo!("send NOTICE {text:?} to the clients of {self:?}")
    }

    /// Serves (turn after turn of `poll_once`) until the [`Waker`] is woken. The clients
    /// stay connected: go on with `poll_once` or `run`, or end them with `shutdown`.
    pub fn run(&mut self) -> io::Result<()> {
        todo!("serve until woken ({self:?})")
    }

    /// Sends `EXIT` to every client (as far as each socket takes it without blocking)
    /// and closes every connection and the listener.
    pub fn shutdown(mut self) {
        todo!("end every client of {:?}", &mut self)
    }

    /// One turn of the loop: waits until a socket is ready (at most `timeout`; `None`:
    /// no limit), then serves every ready socket without blocking. Returns how many
    /// sockets were ready (0: the timeout passed, or a signal interrupted the wait).
    /// Out of file descriptors, it leaves the listener out of the poll until a client
    /// leaves, so the loop waits instead of spinning on a failing `accept`.
    pub fn poll_once(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        todo!("one turn of the loop of {self:?}, waiting at most {timeout:?}")
    }
}
