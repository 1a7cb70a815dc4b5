//! A single-threaded chat server on poll(2) (IO 多路复用): the reference solution.
//!
//! One thread serves every client. Each turn of the loop ([`Server::poll_once`]) asks the
//! kernel, with one `poll` call, which sockets are ready, and then does only what cannot
//! block: accept the pending connections, read once from each readable client, write as
//! much as each writable client's socket takes. Nothing here ever waits on one client.
//!
//! - Partial reads: a read returns whatever bytes arrived (half a line, or many lines);
//!   each client has its own [`protocol::Decoder`] that keeps a partial line.
//! - Partial writes: a write may take only part of a buffer; each client has an output
//!   buffer, and the server asks for `POLLOUT` only while that buffer holds bytes (a
//!   socket is almost always writable, so asking for it always would spin the loop).
//! - Bounded memory: a reply is queued for a client only if its output buffer stays within
//!   [`Config::max_output`] (after writing what the socket takes); a client whose reply
//!   does not fit is too slow, and dropped. So the server never holds more than
//!   `clients x max_output` bytes of output, however many clients send at once.
//! - Out of file descriptors: `accept` fails while the connection waits in the listen
//!   queue, so the listener stays readable. The server stops polling the listener until a
//!   client leaves (freeing a descriptor), instead of spinning on a failing `accept`.

pub mod protocol;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::socket::{setsockopt, sockopt};

use protocol::{Decoder, MAX_LINE, ParseError, Refusal, Reply, Request};

/// The most output the server holds for one client; a client that lets more pile up
/// (it stopped reading) is dropped. The kernel's socket buffers come first: this is on top
/// of what they hold.
pub const MAX_OUTPUT: usize = 64 * 1024;

/// How the server treats its clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The most output held for one client: a reply that would not fit (after writing what
    /// its socket takes) makes it too slow, and it is dropped, without `EXIT`.
    pub max_output: usize,
    /// `SO_SNDBUF` set on every accepted socket (`None`: the system's default). Tests
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
/// The self-pipe trick: one end of a socket pair sits in the server's poll set, and
/// waking writes a byte into the other end, which makes the server's end readable.
#[derive(Debug, Clone)]
pub struct Waker {
    tx: Arc<UnixStream>,
}

impl Waker {
    /// Wakes the server. Never blocks; waking twice before the server looks is waking once.
    pub fn wake(&self) {
        // Non-blocking: if the pair's buffer is full, a wake-up is pending anyway.
        let _ = (&*self.tx).write(&[1]);
    }
}

/// One connection.
struct Client {
    stream: TcpStream,
    decoder: Decoder,
    /// Bytes waiting to be written, oldest first.
    out: Vec<u8>,
    /// `Some` once logged in.
    name: Option<String>,
    /// It sent `Q`: its `EXIT` is queued, and it is closed after the next write.
    quitting: bool,
    /// A reply did not fit in its output buffer: it is closed at the end of the turn
    /// (without `EXIT`: there is no room for it), and nothing more is queued for it.
    too_slow: bool,
}

/// The chat server.
pub struct Server {
    listener: TcpListener,
    /// The server's end of the waker's socket pair.
    wake_rx: UnixStream,
    waker: Waker,
    config: Config,
    /// Every connection by id (ids are never reused, so a stale id finds nothing).
    clients: BTreeMap<u64, Client>,
    /// Logged-in names to their connection's id.
    names: HashMap<String, u64>,
    next_id: u64,
    /// Set when a poll saw the waker.
    woken: bool,
    /// False while the process is out of file descriptors: the listener is left out of
    /// the poll set (it would be readable, with `accept` failing, for ever) until a client
    /// leaves and frees one.
    accepting: bool,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.listener.local_addr().ok())
            .field("connections", &self.clients.len())
            .field("names", &self.names.len())
            .finish()
    }
}

impl Server {
    /// Listens on `addr` with the default [`Config`].
    pub fn bind(addr: impl ToSocketAddrs + fmt::Debug) -> io::Result<Server> {
        Server::bind_with(addr, Config::default())
    }

    /// Listens on `addr` (port 0: any free port; see [`Server::local_addr`]).
    pub fn bind_with(addr: impl ToSocketAddrs + fmt::Debug, config: Config) -> io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let (tx, wake_rx) = UnixStream::pair()?;
        tx.set_nonblocking(true)?;
        wake_rx.set_nonblocking(true)?;
        Ok(Server {
            listener,
            wake_rx,
            waker: Waker { tx: Arc::new(tx) },
            config,
            clients: BTreeMap::new(),
            names: HashMap::new(),
            next_id: 0,
            woken: false,
            accepting: true,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// A handle that wakes this server from another thread.
    pub fn waker(&self) -> Waker {
        self.waker.clone()
    }

    /// Open connections, logged in or not.
    pub fn connections(&self) -> usize {
        self.clients.len()
    }

    /// Queues `NOTICE <text>` for every logged-in client (sent by the next turns of the
    /// loop) and returns how many get it. A text must be 1 or more bytes without control
    /// characters; otherwise nothing is sent.
    pub fn notice(&mut self, text: &str) -> Result<usize, ParseError> {
        protocol::check_text(text, 0)?;
        let mut bytes = Vec::new();
        Reply::Notice(text.to_string()).encode(&mut bytes);
        let mut sent = 0;
        for client in self.clients.values_mut().filter(|c| c.name.is_some()) {
            queue(client, &bytes, self.config.max_output);
            sent += 1;
        }
        Ok(sent)
    }

    /// Serves until the [`Waker`] is woken. The clients stay connected: go on with
    /// `poll_once` or `run`, or end them with [`Server::shutdown`].
    pub fn run(&mut self) -> io::Result<()> {
        self.woken = false;
        while !self.woken {
            self.poll_once(None)?;
        }
        Ok(())
    }

    /// Sends `EXIT` to every client (as far as each socket takes it without blocking)
    /// and closes every connection and the listener.
    pub fn shutdown(mut self) {
        for client in self.clients.values_mut() {
            Reply::Exit.encode(&mut client.out);
            let _ = write_some(client);
        }
    }

    /// One turn of the loop: waits until a socket is ready (at most `timeout`; `None`:
    /// no limit), then serves every ready socket without blocking. Returns how many
    /// sockets were ready (0: the timeout passed, or a signal interrupted the wait).
    /// Out of file descriptors, it leaves the listener out of the poll until a client
    /// leaves, so the loop waits instead of spinning on a failing `accept`.
    pub fn poll_once(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        let timeout = match timeout {
            None => PollTimeout::NONE,
            Some(t) => PollTimeout::try_from(t).unwrap_or(PollTimeout::MAX),
        };

        // The poll set, rebuilt every turn from the tables, so a closed client is never
        // in it: [listener, waker, clients in id order].
        let ids: Vec<u64> = self.clients.keys().copied().collect();
        let mut fds = Vec::with_capacity(2 + ids.len());
        // No events asked: poll skips the listener while no descriptor is free.
        let listen = if self.accepting {
            PollFlags::POLLIN
        } else {
            PollFlags::empty()
        };
        fds.push(PollFd::new(self.listener.as_fd(), listen));
        fds.push(PollFd::new(self.wake_rx.as_fd(), PollFlags::POLLIN));
        for client in self.clients.values() {
            let mut events = PollFlags::POLLIN;
            if !client.out.is_empty() {
                events |= PollFlags::POLLOUT;
            }
            fds.push(PollFd::new(client.stream.as_fd(), events));
        }
        let ready = match poll(&mut fds, timeout) {
            Ok(n) => n as usize,
            Err(Errno::EINTR) => return Ok(0), // a signal: not an error, just a short turn
            Err(e) => return Err(e.into()),
        };
        let revents: Vec<PollFlags> = fds
            .iter()
            .map(|fd| fd.revents().unwrap_or(PollFlags::empty()))
            .collect();
        drop(fds); // ends the poll set's borrows of the sockets

        if !revents[0].is_empty() {
            self.accept_all();
        }
        if !revents[1].is_empty() {
            self.drain_waker();
        }
        let readable = PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR;
        for (&id, events) in ids.iter().zip(&revents[2..]) {
            if events.intersects(readable) {
                self.read_from(id);
            }
        }
        // Writable sockets, and everything queued this turn: write what the kernel takes.
        self.flush_all();
        Ok(ready)
    }

    fn accept_all(&mut self) {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Err(e) = self.add_client(stream) {
                        eprintln!("select_server: dropping a new connection: {e}");
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return, // no more pending
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if out_of_descriptors(&e) => {
                    // The connection stays in the listen queue and the listener readable:
                    // polling it again would return at once, every turn, while nothing
                    // changes. Leave it out until a client leaves (drop_client).
                    eprintln!("select_server: {e}: not accepting until a client leaves");
                    self.accepting = false;
                    return;
                }
                // Anything else (a connection reset before it was accepted): that
                // connection is gone; the others are accepted next turn.
                Err(_) => return,
            }
        }
    }

    fn add_client(&mut self, stream: TcpStream) -> io::Result<()> {
        stream.set_nonblocking(true)?;
        // Small replies go out at once instead of waiting to be merged (Nagle).
        stream.set_nodelay(true)?;
        if let Some(bytes) = self.config.send_buffer {
            set_send_buffer(&stream, bytes)?;
        }
        let id = self.next_id;
        self.next_id += 1;
        let client = Client {
            stream,
            decoder: Decoder::new(),
            out: Vec::new(),
            name: None,
            quitting: false,
            too_slow: false,
        };
        self.clients.insert(id, client);
        Ok(())
    }

    fn drain_waker(&mut self) {
        self.woken = true;
        let mut buf = [0u8; 64];
        while matches!((&self.wake_rx).read(&mut buf), Ok(n) if n > 0) {}
    }

    /// One read from a readable client (poll says so again next turn if more is waiting),
    /// then every complete line in its decoder.
    fn read_from(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return; // dropped earlier in this turn
        };
        let mut buf = [0u8; 4096];
        match client.stream.read(&mut buf) {
            Ok(0) => {
                // End of stream: it left without Q, or half-closed. Replies still queued
                // (to its last lines, or chat from others this turn) get one more write.
                let _ = write_some(client);
                return self.drop_client(id);
            }
            Ok(n) => client.decoder.feed(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => return,
            Err(_) => return self.drop_client(id), // reset
        }
        loop {
            let Some(client) = self.clients.get_mut(&id) else {
                return;
            };
            if client.quitting || client.too_slow {
                return; // nothing after Q counts; a client about to be dropped is not heard
            }
            let Some(line) = client.decoder.next() else {
                return;
            };
            match line {
                Ok(line) => self.handle_line(id, &line),
                Err(e) => self.send(id, Reply::Err(Refusal::Line(e))),
            }
        }
    }

    /// The session: one request from client `id`.
    fn handle_line(&mut self, id: u64, line: &str) {
        let outcome = match protocol::parse_request(line) {
            Ok(request) => self.handle_request(id, request),
            Err(e) => Err(Refusal::Parse(e)),
        };
        if let Err(why) = outcome {
            self.send(id, Reply::Err(why));
        }
    }

    /// Does what a request asks, or says why not.
    fn handle_request(&mut self, id: u64, request: Request) -> Result<(), Refusal> {
        let me = self.clients[&id].name.clone();
        match (request, me) {
            (Request::Login(_), Some(me)) => Err(Refusal::AlreadyLoggedIn(me)),
            (Request::Login(name), None) => {
                if self.names.contains_key(&name) {
                    return Err(Refusal::NameTaken(name));
                }
                self.names.insert(name.clone(), id);
                self.client(id).name = Some(name.clone());
                self.send(id, Reply::Ok);
                self.broadcast(id, Reply::Join(name));
                Ok(())
            }
            (Request::Chat { .. } | Request::Quit(_), None) => Err(Refusal::NotLoggedIn),
            (Request::Chat { name, .. } | Request::Quit(name), Some(me)) if name != me => {
                Err(Refusal::NotYou {
                    you: me,
                    named: name,
                })
            }
            (Request::Chat { name, text }, Some(_)) => {
                // `MSG name text` is two bytes longer than `C name text`: a chat that fit
                // as a request may not fit as the line every other client must read.
                if "MSG ".len() + name.len() + 1 + text.len() > MAX_LINE {
                    return Err(Refusal::TooLongToRelay);
                }
                self.broadcast(id, Reply::Msg { name, text });
                Ok(())
            }
            (Request::Quit(name), Some(_)) => {
                // EXIT now; the connection is closed once EXIT had its chance to be
                // written (flush_all). The name is free at once.
                self.send(id, Reply::Exit);
                let client = self.client(id);
                client.quitting = true;
                client.name = None;
                self.names.remove(&name);
                self.broadcast(id, Reply::Leave(name));
                Ok(())
            }
        }
    }

    fn client(&mut self, id: u64) -> &mut Client {
        self.clients.get_mut(&id).expect("the client is connected")
    }

    /// Queues a reply for one client.
    fn send(&mut self, id: u64, reply: Reply) {
        if let Some(client) = self.clients.get_mut(&id) {
            let mut bytes = Vec::new();
            reply.encode(&mut bytes);
            queue(client, &bytes, self.config.max_output);
        }
    }

    /// Queues a reply for every logged-in client but `except`.
    fn broadcast(&mut self, except: u64, reply: Reply) {
        let mut bytes = Vec::new();
        reply.encode(&mut bytes);
        for (_, client) in self
            .clients
            .iter_mut()
            .filter(|(id, c)| **id != except && c.name.is_some())
        {
            queue(client, &bytes, self.config.max_output);
        }
    }

    /// Removes a client from every table at once; the others get `LEAVE` if it had a name.
    /// Dropping its stream closes the socket, and frees a descriptor: accept again.
    fn drop_client(&mut self, id: u64) {
        let Some(client) = self.clients.remove(&id) else {
            return;
        };
        self.accepting = true;
        if let Some(name) = client.name {
            self.names.remove(&name);
            self.broadcast(id, Reply::Leave(name));
        }
    }

    /// Writes what each socket takes. Drops the clients that quit (once their `EXIT` had
    /// its chance), whose socket failed, or that are too slow; dropping one queues `LEAVE`
    /// for the others, so go round until nobody is dropped.
    fn flush_all(&mut self) {
        loop {
            let mut doomed = Vec::new();
            for (&id, client) in &mut self.clients {
                // A client too slow is closed as it stands: nothing more is written to it.
                if client.too_slow || write_some(client).is_err() || client.quitting {
                    doomed.push(id);
                }
            }
            if doomed.is_empty() {
                return;
            }
            for id in doomed {
                self.drop_client(id);
            }
        }
    }
}

/// Queues `bytes` for a client if its output stays within `max_output`. When it would
/// not, what the socket takes is written first (the kernel's buffers come first); if the
/// bytes still do not fit, the client is too slow: nothing more is queued for it, and it
/// is dropped at the end of the turn. So no client's buffer ever holds more than
/// `max_output`, even while many clients send at once within one turn.
fn queue(client: &mut Client, bytes: &[u8], max_output: usize) {
    if !client.too_slow && client.out.len() + bytes.len() > max_output {
        // A socket that fails here is dropped either way: too slow, or its write fails
        // again in flush_all.
        let _ = write_some(client);
        client.too_slow = client.out.len() + bytes.len() > max_output;
    }
    if !client.too_slow {
        client.out.extend_from_slice(bytes);
    }
}

/// Out of file descriptors (this process's or the system's) or of kernel memory: accept
/// fails and leaves the connection waiting, until something is freed.
fn out_of_descriptors(e: &io::Error) -> bool {
    [Errno::EMFILE, Errno::ENFILE, Errno::ENOBUFS, Errno::ENOMEM]
        .iter()
        .any(|&errno| e.raw_os_error() == Some(errno as i32))
}

/// Writes as much of the client's output as its socket takes now, without blocking.
fn write_some(client: &mut Client) -> io::Result<()> {
    let mut written = 0;
    while written < client.out.len() {
        match client.stream.write(&client.out[written..]) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => written += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break, // full: POLLOUT says when
            Err(e) => return Err(e),
        }
    }
    client.out.drain(..written);
    Ok(())
}
