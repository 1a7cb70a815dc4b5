//! UDP, broadcast and a chat room (UDP、广播与聊天室): the reference solution.
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
//! Socket options beyond std go through `nix` (see Cargo.toml for why).

pub mod protocol;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::io::{self, ErrorKind, IoSliceMut};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver as Inbox, RecvTimeoutError, Sender as Outbox};
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::socket::{
    AddressFamily, MsgFlags, SockFlag, SockType, SockaddrIn, SockaddrStorage, bind, getsockopt,
    recvmsg, setsockopt, socket, sockopt,
};

use protocol::{MAX_DATAGRAM, Refusal, Reply, Request};

// ---------------------------------------------------------------------------------------
// Datagrams (数据报)

/// One datagram received by [`recv_datagram`].
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
        self.size > self.len
    }
}

/// Receives one datagram into `buf`, waiting as the socket is set to (blocking, with its
/// read timeout, or non-blocking). A datagram longer than `buf` is cut to `buf.len()`
/// bytes, silently as far as `recv_from` is concerned; this function asks the kernel for
/// the true size too (`MSG_TRUNC`), so the caller can tell. An empty datagram is a
/// datagram (`len` and `size` 0), not the end of anything. Errors are the socket's: a
/// read timeout is `ErrorKind::WouldBlock` on Linux (see [`is_timeout`]).
pub fn recv_datagram(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<Datagram> {
    let capacity = buf.len();
    let mut iov = [IoSliceMut::new(buf)];
    let received = loop {
        // With MSG_TRUNC, Linux returns the datagram's real length even when it is
        // longer than the buffer (recvmsg(2), recv(2)).
        match recvmsg::<SockaddrStorage>(socket.as_raw_fd(), &mut iov, None, MsgFlags::MSG_TRUNC) {
            Ok(received) => break received,
            Err(Errno::EINTR) => continue, // a signal: nothing received, ask again
            Err(e) => return Err(e.into()),
        }
    };
    let size = received.bytes;
    let from = received
        .address
        .as_ref()
        .and_then(socket_addr)
        .ok_or_else(|| io::Error::new(ErrorKind::InvalidData, "a datagram without a sender"))?;
    Ok(Datagram {
        from,
        len: size.min(capacity),
        size,
    })
}

/// The std address of a sender as nix gives it (IPv4 or IPv6).
fn socket_addr(addr: &SockaddrStorage) -> Option<SocketAddr> {
    if let Some(v4) = addr.as_sockaddr_in() {
        return Some(SocketAddr::V4((*v4).into()));
    }
    addr.as_sockaddr_in6()
        .map(|v6| SocketAddr::V6((*v6).into()))
}

/// Whether an error only means that a read timeout passed: `WouldBlock` (what Linux
/// reports, EAGAIN) or `TimedOut` (what some other systems report). Not a failure: the
/// caller may look around (a stop flag) and wait again.
pub fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

// ---------------------------------------------------------------------------------------
// Addresses and broadcast (广播)

/// The largest address of 127.0.0.0/8, the loopback network: the broadcast address this
/// kata's tests use (a machine without a network still has loopback).
pub const LOOPBACK_BROADCAST: Ipv4Addr = Ipv4Addr::new(127, 255, 255, 255);

/// A prefix length longer than the 32 bits of an IPv4 address.
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
/// (24 → 255.255.255.0, 0 → 0.0.0.0, 32 → 255.255.255.255).
pub fn netmask(prefix: u8) -> Result<Ipv4Addr, PrefixError> {
    if prefix > 32 {
        return Err(PrefixError { prefix });
    }
    // Shifting a u32 by 32 overflows (a panic in debug builds), so /0 is its own case.
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
    Ok(Ipv4Addr::from(mask))
}

/// The network address (网络地址) of `addr` in a network of `prefix` bits: its host bits
/// cleared (`addr & mask`). 192.168.1.77/24 → 192.168.1.0.
pub fn network(addr: Ipv4Addr, prefix: u8) -> Result<Ipv4Addr, PrefixError> {
    let mask = u32::from(netmask(prefix)?);
    Ok(Ipv4Addr::from(u32::from(addr) & mask))
}

/// The broadcast address (广播地址) of `addr`'s network: the largest address in it, its
/// host bits all set (`addr | !mask`). 192.168.1.77/24 → 192.168.1.255.
pub fn broadcast(addr: Ipv4Addr, prefix: u8) -> Result<Ipv4Addr, PrefixError> {
    let mask = u32::from(netmask(prefix)?);
    Ok(Ipv4Addr::from(u32::from(addr) | !mask))
}

/// A UDP socket bound to `addr` that other sockets may bind too: `SO_REUSEADDR` is set
/// before `bind`, which std's `UdpSocket::bind` cannot do (it binds as it creates). Every
/// socket bound so to a broadcast address and port gets its own copy of each datagram
/// broadcast there. Port 0: the kernel picks a port (see `local_addr`).
pub fn bind_shared(addr: SocketAddrV4) -> io::Result<UdpSocket> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Datagram,
        SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    setsockopt(&fd, sockopt::ReuseAddr, &true)?;
    bind(fd.as_raw_fd(), &SockaddrIn::from(addr))?;
    Ok(UdpSocket::from(fd))
}

/// A UDP socket bound to `addr` that may send to a broadcast address (`SO_BROADCAST`;
/// without it the kernel refuses with `PermissionDenied`).
pub fn broadcast_sender(addr: SocketAddrV4) -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind(addr)?;
    socket.set_broadcast(true)?;
    Ok(socket)
}

/// Asks for a receive buffer (`SO_RCVBUF`) of `bytes` and returns the size the kernel
/// granted (Linux doubles the request for its bookkeeping and has a minimum). Datagrams
/// that arrive while the buffer is full are dropped: that is how UDP loses them.
pub fn set_recv_buffer(socket: &UdpSocket, bytes: usize) -> io::Result<usize> {
    setsockopt(socket, sockopt::RcvBuf, &bytes)?;
    Ok(getsockopt(socket, sockopt::RcvBuf)?)
}

// ---------------------------------------------------------------------------------------
// The chat room (聊天室), sans-IO

/// Datagrams to send: each reply with the address it goes to.
pub type Outgoing = Vec<(SocketAddr, Reply)>;

/// The chat room's state: who is logged in, as a name for each address and an address
/// for each name (the course's `{name: address}`, both ways). No sockets: datagrams in,
/// datagrams out.
#[derive(Debug, Default)]
pub struct Room {
    /// Logged-in names to their addresses; a BTreeMap, so fan-out goes in name order.
    addrs: BTreeMap<String, SocketAddr>,
    /// The same pairs, the other way round.
    names: HashMap<SocketAddr, String>,
}

impl Room {
    /// An empty room.
    pub fn new() -> Room {
        Room::default()
    }

    /// One datagram from `from`: what to send, and to whom. A request is checked against
    /// the address it came from (a name is only the name of the address logged in as
    /// it): `OK` and `JOIN` for a login, `MSG` to everyone else for a chat, `EXIT` and
    /// `LEAVE` for a quit, `ERR <reason>` to the sender for anything refused.
    pub fn handle(&mut self, from: SocketAddr, datagram: &[u8]) -> Outgoing {
        let mut out = Vec::new();
        if let Err(why) = self.serve(from, datagram, &mut out) {
            out.push((from, Reply::Err(why)));
        }
        out
    }

    fn serve(
        &mut self,
        from: SocketAddr,
        datagram: &[u8],
        out: &mut Outgoing,
    ) -> Result<(), Refusal> {
        let request = protocol::decode_request(datagram)?;
        let me = self.names.get(&from).cloned();
        match (request, me) {
            (Request::Login(_), Some(me)) => Err(Refusal::AlreadyLoggedIn(me)),
            (Request::Login(name), None) => {
                if self.addrs.contains_key(&name) {
                    return Err(Refusal::NameTaken(name));
                }
                out.push((from, Reply::Ok));
                self.tell_others(from, Reply::Join(name.clone()), out);
                self.addrs.insert(name.clone(), from);
                self.names.insert(from, name);
                Ok(())
            }
            (Request::Chat { .. } | Request::Quit(_), None) => Err(Refusal::NotLoggedIn),
            // A request naming someone else is refused, whoever that is: the address is
            // the identity, the name in the request only has to agree with it.
            (Request::Chat { name, .. } | Request::Quit(name), Some(me)) if name != me => {
                Err(Refusal::NotYou {
                    you: me,
                    named: name,
                })
            }
            (Request::Chat { name, text }, Some(_)) => {
                let msg = Reply::Msg { name, text };
                if msg.encoded_len() > MAX_DATAGRAM {
                    return Err(Refusal::TooLongToRelay);
                }
                self.tell_others(from, msg, out);
                Ok(())
            }
            (Request::Quit(name), Some(_)) => {
                self.addrs.remove(&name);
                self.names.remove(&from);
                out.push((from, Reply::Exit));
                self.tell_others(from, Reply::Leave(name), out);
                Ok(())
            }
        }
    }

    /// `reply` to every logged-in address but `except`.
    fn tell_others(&self, except: SocketAddr, reply: Reply, out: &mut Outgoing) {
        for &addr in self.addrs.values().filter(|&&a| a != except) {
            out.push((addr, reply.clone()));
        }
    }

    /// `NOTICE <text>` for every logged-in address (管理员消息). A text is 1 or more bytes
    /// without control characters, and its message must fit in a datagram; otherwise
    /// nothing is sent. A notice is no request, so there is no line around its text: the
    /// `at` of a refusal counts bytes from the start of `text` (`protocol::check_text(text,
    /// 0)` checks it so).
    pub fn notice(&mut self, text: &str) -> Result<Outgoing, Refusal> {
        protocol::check_text(text, 0).map_err(Refusal::Parse)?;
        let notice = Reply::Notice(text.to_string());
        if notice.encoded_len() > MAX_DATAGRAM {
            return Err(Refusal::TooLongToRelay);
        }
        Ok(self
            .addrs
            .values()
            .map(|&addr| (addr, notice.clone()))
            .collect())
    }

    /// Ends every session: `EXIT` for every logged-in address, and the room is empty.
    pub fn close(&mut self) -> Outgoing {
        self.names.clear();
        std::mem::take(&mut self.addrs)
            .into_values()
            .map(|addr| (addr, Reply::Exit))
            .collect()
    }

    /// How many are logged in.
    pub fn len(&self) -> usize {
        self.addrs.len()
    }

    /// Whether nobody is logged in.
    pub fn is_empty(&self) -> bool {
        self.addrs.is_empty()
    }

    /// The name `addr` is logged in as.
    pub fn name_of(&self, addr: SocketAddr) -> Option<&str> {
        self.names.get(&addr).map(String::as_str)
    }

    /// The address logged in as `name`.
    pub fn addr_of(&self, name: &str) -> Option<SocketAddr> {
        self.addrs.get(name).copied()
    }
}

/// The read timeout `serve` sets on its socket: the longest its loop waits for a
/// datagram before it looks at its stop flag, so [`Server::stop`] takes effect at the
/// loop's next wake, within one tick. Also a good time for [`chat`]'s sending side to
/// wait for a typed line before it looks whether the session ended.
pub const TICK: Duration = Duration::from_millis(20);

/// A chat room served on a UDP socket. `serve` runs on one thread while others call
/// `notice` and `stop` (all take `&self`: share the server by reference or in an `Arc`).
#[derive(Debug)]
pub struct Server {
    socket: UdpSocket,
    room: Mutex<Room>,
    stopped: AtomicBool,
}

impl Server {
    /// A server with an empty room on a socket bound to `addr` (port 0: any free port).
    pub fn bind(addr: SocketAddr) -> io::Result<Server> {
        Ok(Server {
            socket: UdpSocket::bind(addr)?,
            room: Mutex::new(Room::new()),
            stopped: AtomicBool::new(false),
        })
    }

    /// The address clients send to.
    pub fn local_addr(&self) -> SocketAddr {
        self.socket
            .local_addr()
            .expect("a bound socket has an address")
    }

    /// Serves the room until [`Server::stop`]: each datagram received goes to the room,
    /// and what the room says goes out. It sets its socket's read timeout
    /// (`SO_RCVTIMEO`) to [`TICK`] or less: a timeout is the loop's chance to see the
    /// stop flag, not an error. When stopped, every client gets `EXIT` and the room is
    /// emptied. Returns the socket's error if receiving fails otherwise.
    pub fn serve(&self) -> io::Result<()> {
        self.socket.set_read_timeout(Some(TICK))?;
        // One byte more than the longest request, so a longer one shows as too long
        // (cut to MAX_DATAGRAM + 1 bytes) instead of as a shorter request.
        let mut buf = vec![0u8; MAX_DATAGRAM + 1];
        while !self.stopped.load(Ordering::SeqCst) {
            match self.socket.recv_from(&mut buf) {
                Ok((n, from)) => {
                    let mut room = self.room();
                    let out = room.handle(from, &buf[..n]);
                    self.send_all(out);
                }
                Err(e) if is_timeout(&e) || e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        let mut room = self.room();
        let out = room.close();
        self.send_all(out);
        Ok(())
    }

    /// Sends `NOTICE <text>` to every logged-in client, now, and returns how many.
    pub fn notice(&self, text: &str) -> Result<usize, Refusal> {
        let mut room = self.room();
        let out = room.notice(text)?;
        let count = out.len();
        self.send_all(out);
        Ok(count)
    }

    /// Makes `serve` end: it sees the flag when its wait for a datagram ends, within a
    /// [`TICK`]. For good: a `serve` called after `stop` returns at once.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }

    /// The room, locked. Callers send while they hold it, so every client gets the
    /// messages in the order the room made them, whichever thread made them.
    fn room(&self) -> MutexGuard<'_, Room> {
        // A thread that panicked while holding the lock left a consistent room behind
        // (the room changes only inside its own methods), so go on with it.
        self.room
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn send_all(&self, out: Outgoing) {
        for (to, reply) in out {
            // Best effort, like UDP itself: a client that vanished must not stop the
            // server, and nothing tells a UDP sender whether a datagram arrived.
            let _ = self.socket.send_to(&reply.encode(), to);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The client

/// Why [`chat`] ended without the server's `EXIT`.
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
    socket.send_to(&Request::Login(name.to_string()).encode(), server)?;
    let answer = next_line(socket, server)?;
    if let Some(reason) = answer.strip_prefix("ERR ") {
        return Err(ClientError::Refused(reason.to_string()));
    }
    let _ = shown.send(answer);

    let ended = AtomicBool::new(false);
    thread::scope(|scope| {
        let receiving = scope.spawn(|| {
            let outcome = show_until_exit(socket, server, &shown);
            // However it ended, the sending side must stop waiting for typed lines.
            ended.store(true, Ordering::SeqCst);
            outcome
        });
        let sent = send_typed(socket, server, name, &typed, &ended);
        let received = receiving
            .join()
            .expect("the receiving thread does not panic");
        sent.and(received)
    })?;
    Ok(())
}

/// The receiving side: shows each line from the server until `EXIT`.
fn show_until_exit(
    socket: &UdpSocket,
    server: SocketAddr,
    shown: &Outbox<String>,
) -> io::Result<()> {
    loop {
        let line = next_line(socket, server)?;
        let exit = line == "EXIT";
        // The person may have stopped looking (the receiver dropped): keep the session.
        let _ = shown.send(line);
        if exit {
            return Ok(());
        }
    }
}

/// The sending side: typed lines out, until `/quit`, the end of input, or the end of
/// the session (looked at every [`TICK`]).
fn send_typed(
    socket: &UdpSocket,
    server: SocketAddr,
    name: &str,
    typed: &Inbox<String>,
    ended: &AtomicBool,
) -> io::Result<()> {
    let quit = Request::Quit(name.to_string()).encode();
    while !ended.load(Ordering::SeqCst) {
        match typed.recv_timeout(TICK) {
            Ok(line) if line == "/quit" => {
                socket.send_to(&quit, server)?;
                return Ok(());
            }
            Ok(line) if line.is_empty() => {}
            Ok(text) => {
                let chat = Request::Chat {
                    name: name.to_string(),
                    text,
                };
                socket.send_to(&chat.encode(), server)?;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                socket.send_to(&quit, server)?;
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The next line from `server` (its datagram without the `\n`), skipping datagrams from
/// anyone else and read timeouts.
fn next_line(socket: &UdpSocket, server: SocketAddr) -> io::Result<String> {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        match socket.recv_from(&mut buf) {
            Ok((n, from)) if from == server => {
                let line = String::from_utf8_lossy(&buf[..n]);
                return Ok(line.strip_suffix('\n').unwrap_or(&line).to_string());
            }
            Ok(_) => continue, // a stranger: anyone can send to a UDP port
            Err(e) if is_timeout(&e) || e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reliability (可靠传输): stop-and-wait, sans-IO on a virtual clock

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
#[derive(Debug)]
pub struct Sender {
    /// The retransmission timeout, in ticks.
    rto: Tick,
    /// Messages not sent yet, oldest first.
    queue: VecDeque<Vec<u8>>,
    /// The message sent and not acknowledged yet.
    in_flight: Option<Data>,
    /// When to send `in_flight` again; `None` while nothing has been sent of it.
    deadline: Option<Tick>,
    next_seq: u64,
    retransmissions: u64,
}

impl Sender {
    /// A sender that retransmits after `rto` ticks without an acknowledgement
    /// (`rto` ≥ 1; 0 is taken as 1).
    pub fn new(rto: Tick) -> Sender {
        Sender {
            rto: rto.max(1),
            queue: VecDeque::new(),
            in_flight: None,
            deadline: None,
            next_seq: 0,
            retransmissions: 0,
        }
    }

    /// Queues a message; it gets the next sequence number when it goes out.
    pub fn send(&mut self, payload: Vec<u8>) {
        self.queue.push_back(payload);
    }

    /// What to put on the wire at time `now`, if anything: the next message when none is
    /// in flight, the message in flight again when its timer has run out (`now` at or
    /// after the deadline, which then moves to `now + rto`), else nothing. Call it until
    /// it returns `None`.
    pub fn poll_transmit(&mut self, now: Tick) -> Option<Data> {
        if self.in_flight.is_none() {
            let payload = self.queue.pop_front()?;
            self.in_flight = Some(Data {
                seq: self.next_seq,
                payload,
            });
            self.next_seq += 1;
        }
        let data = self.in_flight.as_ref()?;
        match self.deadline {
            Some(deadline) if now < deadline => None, // waiting for the ack
            Some(_) => {
                self.retransmissions += 1;
                self.deadline = Some(now + self.rto);
                Some(data.clone())
            }
            None => {
                self.deadline = Some(now + self.rto);
                Some(data.clone())
            }
        }
    }

    /// An acknowledgement arrived. It ends the message in flight if it names it; an ack
    /// of anything else (a late copy of an older ack) changes nothing.
    pub fn handle_ack(&mut self, ack: Ack) {
        if self
            .in_flight
            .as_ref()
            .is_some_and(|data| data.seq == ack.seq)
        {
            self.in_flight = None;
            // Stop the timer: the next message starts its own when it is sent.
            self.deadline = None;
        }
    }

    /// When `poll_transmit` must be called next, if a message is in flight: its deadline.
    pub fn poll_timeout(&self) -> Option<Tick> {
        self.in_flight.as_ref().and(self.deadline)
    }

    /// How many times a message was sent again (first transmissions not counted).
    pub fn retransmissions(&self) -> u64 {
        self.retransmissions
    }

    /// Whether every message queued has been acknowledged.
    pub fn is_idle(&self) -> bool {
        self.in_flight.is_none() && self.queue.is_empty()
    }
}

/// What the receiver does with one data segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The acknowledgement to send back, if any.
    pub ack: Option<Ack>,
    /// The message to hand to the application, if this segment brought a new one.
    pub delivered: Option<Vec<u8>>,
}

/// The receiving side of stop-and-wait: delivers each message once, in order, and
/// acknowledges every copy it gets of a message it has.
#[derive(Debug, Default)]
pub struct Receiver {
    /// The sequence number of the next message to deliver.
    expected: u64,
}

impl Receiver {
    /// A receiver expecting message 0.
    pub fn new() -> Receiver {
        Receiver::default()
    }

    /// A data segment arrived (maybe a copy, maybe late). The next message in order is
    /// delivered and acknowledged. A copy of a message delivered already is acknowledged
    /// again (its first ack may be lost, and the sender retransmits until one arrives)
    /// but not delivered again. A message from the future cannot come from a
    /// stop-and-wait sender: it is ignored, neither delivered nor acknowledged.
    pub fn handle_data(&mut self, data: Data) -> Received {
        let ack = Some(Ack { seq: data.seq });
        if data.seq == self.expected {
            self.expected += 1;
            Received {
                ack,
                delivered: Some(data.payload),
            }
        } else if data.seq < self.expected {
            Received {
                ack,
                delivered: None,
            }
        } else {
            Received {
                ack: None,
                delivered: None,
            }
        }
    }

    /// How many messages have been delivered.
    pub fn delivered(&self) -> u64 {
        self.expected
    }
}
