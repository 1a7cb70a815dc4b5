//! UDP, broadcast and a chat room (UDP、广播与聊天室).
//!
//! Five parts, in the order the README takes them:
//! - datagrams: [`recv_datagram`] receives one whole datagram and says when the buffer
//!   was too small (the kernel reports the true size); [`is_timeout`];
//! - addresses and broadcast: [`netmask`], [`network`], [`broadcast`] by bit operations;
//!   [`bind_shared`] (`SO_REUSEADDR` before bind), [`broadcast_sender`] (`SO_BROADCAST`),
//!   [`set_recv_buffer`] (`SO_RCVBUF`, for the loss demonstration);
//! - the chat room: [`Room`], a sans-IO state machine (datagram in, datagrams out), and
//!   [`Server`], which serves it on a socket until stopped;
//! - the client: [`chat`], two threads on one socket;
//! - reliability (the last step): stop-and-wait, a [`Sender`] and a [`Receiver`], sans-IO
//!   on a virtual clock.
//!
//! The protocol (parsing, the replies' texts and bytes) is given in [`protocol`]. Socket
//! options beyond std go through the `nix` crate (`nix::sys::socket`). See the README
//! for the task and hints.

pub mod protocol;

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::sync::mpsc::{Receiver as Inbox, Sender as Outbox};
use std::time::Duration;

use protocol::{Refusal, Reply};

// ---------------------------------------------------------------------------------------
// Datagrams (数据报)

/// One datagram received by [`recv_datagram`]. Given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Datagram {
    /// Who sent it.
    pub from: SocketAddr,
    /// How many of its bytes are in the buffer now (at most the buffer's length).
    pub len: usize,
    /// Its true size in bytes, as it was sent. More than `len` when the buffer was too
    /// small: the rest of the datagram is gone.
    pub size: usize,
}

impl Datagram {
    /// Whether the buffer was too small for the datagram (its end was cut off).
    pub fn truncated(&self) -> bool {
        todo!("was {self:?} cut?")
    }
}

/// Receives one datagram into `buf`, waiting as the socket is set to (blocking, with its
/// read timeout, or non-blocking). A datagram longer than `buf` is cut to `buf.len()`
/// bytes, silently as far as `recv_from` is concerned; this function asks the kernel for
/// the true size too (`MSG_TRUNC`), so the caller can tell. An empty datagram is a
/// datagram (`len` and `size` 0), not the end of anything. Errors are the socket's: a
/// read timeout is `ErrorKind::WouldBlock` on Linux (see [`is_timeout`]).
pub fn recv_datagram(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<Datagram> {
    todo!(
        "receive one datagram on {socket:?} into {} bytes",
        buf.len()
    )
}

/// Whether an error only means that a read timeout passed: `WouldBlock` (what Linux
/// reports, EAGAIN) or `TimedOut` (what some other systems report). Not a failure: the
/// caller may look around (a stop flag) and wait again.
pub fn is_timeout(error: &io::Error) -> bool {
    todo!("is {error:?} a timeout?")
}

// ---------------------------------------------------------------------------------------
// Addresses and broadcast (广播)

/// The largest address of 127.0.0.0/8, the loopback network: the broadcast address this
/// kata's tests use (a machine without a network still has loopback).
pub const LOOPBACK_BROADCAST: Ipv4Addr = Ipv4Addr::new(127, 255, 255, 255);

/// A prefix length longer than the 32 bits of an IPv4 address. Given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefixError {
    /// The prefix length given.
    pub prefix: u8,
}

impl fmt::Display for PrefixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a prefix is 0 to 32 bits long, not {}", self.prefix)
    }
}

impl std::error::Error for PrefixError {}

/// The network mask (子网掩码) of a prefix length: `prefix` one bits, then zeros
/// (24 → 255.255.255.0, 0 → 0.0.0.0, 32 → 255.255.255.255). More than 32: an error.
pub fn netmask(prefix: u8) -> Result<Ipv4Addr, PrefixError> {
    todo!("the mask of a /{prefix}")
}

/// The network address (网络地址) of `addr` in a network of `prefix` bits: its host bits
/// cleared. 192.168.1.77/24 → 192.168.1.0.
pub fn network(addr: Ipv4Addr, prefix: u8) -> Result<Ipv4Addr, PrefixError> {
    todo!("the network of {addr}/{prefix}")
}

/// The broadcast address (广播地址) of `addr`'s network: the largest address in it, its
/// host bits all set. 192.168.1.77/24 → 192.168.1.255.
pub fn broadcast(addr: Ipv4Addr, prefix: u8) -> Result<Ipv4Addr, PrefixError> {
    todo!("the broadcast address of {addr}/{prefix}")
}

/// A UDP socket bound to `addr` that other sockets may bind too: `SO_REUSEADDR` is set
/// before `bind`, which std's `UdpSocket::bind` cannot do (it binds as it creates). Every
/// socket bound so to a broadcast address and port gets its own copy of each datagram
/// broadcast there. Port 0: the kernel picks a port (see `local_addr`).
pub fn bind_shared(addr: SocketAddrV4) -> io::Result<UdpSocket> {
    todo!("bind a shared socket to {addr}")
}

/// A UDP socket bound to `addr` that may send to a broadcast address (`SO_BROADCAST`;
/// without it the kernel refuses with `PermissionDenied`).
pub fn broadcast_sender(addr: SocketAddrV4) -> io::Result<UdpSocket> {
    todo!("bind a socket that may broadcast to {addr}")
}

/// Asks for a receive buffer (`SO_RCVBUF`) of `bytes` and returns the size the kernel
/// granted (Linux doubles the request for its bookkeeping and has a minimum). Datagrams
/// that arrive while the buffer is full are dropped: that is how UDP loses them.
pub fn set_recv_buffer(socket: &UdpSocket, bytes: usize) -> io::Result<usize> {
    todo!("a receive buffer of {bytes} bytes for {socket:?}")
}

// ---------------------------------------------------------------------------------------
// The chat room (聊天室), sans-IO

/// Datagrams to send: each reply with the address it goes to.
pub type Outgoing = Vec<(SocketAddr, Reply)>;

/// The chat room's state: who is logged in, as a name for each address and an address
/// for each name (the course's `{name: address}`, both ways). No sockets: datagrams in,
/// datagrams out.
///
/// Add the fields you need (hint: two maps, kept in step).
#[derive(Debug, Default)]
pub struct Room {}

impl Room {
    /// An empty room.
    pub fn new() -> Room {
        todo!("an empty room")
    }

    /// One datagram from `from`: what to send, and to whom. A request is checked against
    /// the address it came from (a name is only the name of the address logged in as
    /// it): `OK` and `JOIN` for a login, `MSG` to everyone else for a chat, `EXIT` and
    /// `LEAVE` for a quit, `ERR <reason>` to the sender for anything refused
    /// (`protocol::decode_request` reads the datagram).
    pub fn handle(&mut self, from: SocketAddr, datagram: &[u8]) -> Outgoing {
        todo!("{} bytes from {from} into {self:?}", datagram.len())
    }

    /// `NOTICE <text>` for every logged-in address (管理员消息). A text is 1 or more bytes
    /// without control characters, and its message must fit in a datagram; otherwise
    /// nothing is sent. A notice is no request, so there is no line around its text: the
    /// `at` of a refusal counts bytes from the start of `text` (`protocol::check_text(text,
    /// 0)` checks it so).
    pub fn notice(&mut self, text: &str) -> Result<Outgoing, Refusal> {
        todo!("NOTICE {text:?} to everyone in {self:?}")
    }

    /// Ends every session: `EXIT` for every logged-in address, and the room is empty.
    pub fn close(&mut self) -> Outgoing {
        todo!("EXIT to everyone in {self:?}")
    }

    /// How many are logged in.
    pub fn len(&self) -> usize {
        todo!("count who is in {self:?}")
    }

    /// Whether nobody is logged in.
    pub fn is_empty(&self) -> bool {
        todo!("is {self:?} empty?")
    }

    /// The name `addr` is logged in as.
    pub fn name_of(&self, addr: SocketAddr) -> Option<&str> {
        todo!("the name of {addr} in {self:?}")
    }

    /// The address logged in as `name`.
    pub fn addr_of(&self, name: &str) -> Option<SocketAddr> {
        todo!("the address of {name:?} in {self:?}")
    }
}

/// The read timeout `serve` sets on its socket: the longest its loop waits for a
/// datagram before it looks at its stop flag, so [`Server::stop`] takes effect at the
/// loop's next wake, within one tick. Also a good time for [`chat`]'s sending side to
/// wait for a typed line before it looks whether the session ended.
pub const TICK: Duration = Duration::from_millis(20);

/// A chat room served on a UDP socket. `serve` runs on one thread while others call
/// `notice` and `stop` (all take `&self`: share the server by reference or in an `Arc`).
///
/// Add the fields you need (hint: the socket, the room in a `Mutex`, and an
/// `AtomicBool` for "stopped").
#[derive(Debug)]
pub struct Server {}

impl Server {
    /// A server with an empty room on a socket bound to `addr` (port 0: any free port).
    pub fn bind(addr: SocketAddr) -> io::Result<Server> {
        todo!("serve a room on {addr}")
    }

    /// The address clients send to.
    pub fn local_addr(&self) -> SocketAddr {
        todo!("the address of {self:?}")
    }

    /// Serves the room until [`Server::stop`]: each datagram received goes to the room,
    /// and what the room says goes out. It sets its socket's read timeout
    /// (`SO_RCVTIMEO`) to [`TICK`] or less: a timeout is the loop's chance to see the
    /// stop flag, not an error. When stopped, every client gets `EXIT` and the room is
    /// emptied. Returns the socket's error if receiving fails otherwise.
    pub fn serve(&self) -> io::Result<()> {
        todo!("serve the room of {self:?} until stopped")
    }

    /// Sends `NOTICE <text>` to every logged-in client, now, and returns how many.
    pub fn notice(&self, text: &str) -> Result<usize, Refusal> {
        todo!("send NOTICE {text:?} to the clients of {self:?}")
    }

    /// Makes `serve` end: it sees the flag when its wait for a datagram ends, within a
    /// [`TICK`]. For good: a `serve` called after `stop` returns at once.
    pub fn stop(&self) {
        todo!("stop {self:?}")
    }
}

// ---------------------------------------------------------------------------------------
// The client

/// Why [`chat`] ended without the server's `EXIT`. Given.
#[derive(Debug)]
pub enum ClientError {
    /// The server refused the login; the reason is its `ERR` text.
    Refused(String),
    /// The socket failed.
    Io(io::Error),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Refused(reason) => write!(f, "login refused: {reason}"),
            ClientError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> ClientError {
        ClientError::Io(e)
    }
}

/// The client's session (聊天室客户端): logs in as `name` at `server` and chats until
/// the server sends `EXIT`. `typed` is what the person types, a line at a time; `shown`
/// is what the client shows them, a line at a time.
///
/// - Sends `L <name>`; the server's first answer decides: `ERR <reason>` returns
///   `Err(ClientError::Refused(reason))` and shows nothing; any other answer (the
///   server's `OK`, or whatever overtook it: UDP does not keep order) is shown and
///   starts the session.
/// - Two threads share the socket (a `UdpSocket` is `Sync`): one receives and shows
///   every line the server sends (without its `\n`, and nothing else taken off: spaces
///   are text), the login's answer first and `EXIT` last, and ignores datagrams from
///   any other address; the other sends each typed line as `C <name> <line>` (an empty
///   line sends nothing), `/quit` or the end of `typed` as `Q <name>`.
/// - Returns `Ok(())` once `EXIT` has been shown, whoever ended the session: after the
///   client's `Q`, or when the server stops, even while nothing is typed and `typed`
///   stays open. A read timeout set on the socket only makes the receiving side wait
///   again.
pub fn chat(
    socket: &UdpSocket,
    server: SocketAddr,
    name: &str,
    typed: Inbox<String>,
    shown: Outbox<String>,
) -> Result<(), ClientError> {
    todo!("chat as {name:?} at {server} on {socket:?}, reading {typed:?}, showing on {shown:?}")
}

// ---------------------------------------------------------------------------------------
// Reliability (可靠传输): stop-and-wait, sans-IO on a virtual clock. The kata's last step.

/// A time on the virtual clock, in ticks. Nothing here reads a real clock: the caller
/// says what time it is.
pub type Tick = u64;

/// A data segment: message number `seq` (0, 1, 2, ... in the order sent) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data {
    pub seq: u64,
    pub payload: Vec<u8>,
}

/// An acknowledgement (确认): the receiver has message `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ack {
    pub seq: u64,
}

/// The sending side of stop-and-wait (停等协议): one message in flight at a time; it is
/// sent again every `rto` ticks until its [`Ack`] arrives, and only then does the next
/// message go.
///
/// Add the fields you need (hint: the timeout, a queue, the message in flight, its
/// deadline, the next sequence number, a counter).
#[derive(Debug)]
pub struct Sender {}

impl Sender {
    /// A sender that retransmits after `rto` ticks without an acknowledgement
    /// (`rto` ≥ 1; 0 is taken as 1).
    pub fn new(rto: Tick) -> Sender {
        todo!("a sender with a timeout of {rto} ticks")
    }

    /// Queues a message; it gets the next sequence number when it goes out.
    pub fn send(&mut self, payload: Vec<u8>) {
        todo!("queue {payload:?} on {self:?}")
    }

    /// What to put on the wire at time `now`, if anything: the next message when none is
    /// in flight, the message in flight again when its timer has run out (`now` at or
    /// after the deadline, which then moves to `now + rto`), else nothing. Call it until
    /// it returns `None`.
    pub fn poll_transmit(&mut self, now: Tick) -> Option<Data> {
        todo!("what {self:?} sends at {now}")
    }

    /// An acknowledgement arrived. It ends the message in flight if it names it; an ack
    /// of anything else (a late copy of an older ack) changes nothing.
    pub fn handle_ack(&mut self, ack: Ack) {
        todo!("{ack:?} arrives at {self:?}")
    }

    /// When `poll_transmit` must be called next, if a message is in flight: its deadline.
    pub fn poll_timeout(&self) -> Option<Tick> {
        todo!("the deadline of {self:?}")
    }

    /// How many times a message was sent again (first transmissions not counted).
    pub fn retransmissions(&self) -> u64 {
        todo!("the retransmissions of {self:?}")
    }

    /// Whether every message queued has been acknowledged.
    pub fn is_idle(&self) -> bool {
        todo!("is {self:?} done?")
    }
}

/// What the receiver does with one data segment. Given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The acknowledgement to send back, if any.
    pub ack: Option<Ack>,
    /// The message to hand to the application, if this segment brought a new one.
    pub delivered: Option<Vec<u8>>,
}

/// The receiving side of stop-and-wait: delivers each message once, in order, and
/// acknowledges every copy it gets of a message it has.
///
/// Add the fields you need (hint: one number is enough).
#[derive(Debug, Default)]
pub struct Receiver {}

impl Receiver {
    /// A receiver expecting message 0.
    pub fn new() -> Receiver {
        todo!("a receiver expecting message 0")
    }

    /// A data segment arrived (maybe a copy, maybe late). The next message in order is
    /// delivered and acknowledged. A copy of a message delivered already is acknowledged
    /// again (its first ack may be lost, and the sender retransmits until one arrives)
    /// but not delivered again. A message from the future cannot come from a
    /// stop-and-wait sender: it is ignored, neither delivered nor acknowledged.
    pub fn handle_data(&mut self, data: Data) -> Received {
        todo!("{data:?} arrives at {self:?}")
    }

    /// How many messages have been delivered.
    pub fn delivered(&self) -> u64 {
        todo!("count what {self:?} delivered")
    }
}
