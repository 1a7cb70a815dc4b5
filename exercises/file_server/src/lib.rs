//! The course's FTP file server (FTP 文件服务器) on three server models (并发服务器模型):
//! a loop server (循环服务器), a thread per client (多线程并发) and a thread pool (线程池).
//!
//! The protocol, one request per line, every reply starting with `OK <n>` or `ERR <reason>`:
//!
//! | request | reply |
//! |---|---|
//! | `L` | `OK <n>`, then n bytes: the names, one per line |
//! | `G name` | `OK <size>`, then the file's bytes |
//! | `P name size`, then exactly `size` bytes | `OK 0` once the file is in place |
//! | `Q` | `OK 0`, then the server closes the connection |
//!
//! Bodies are length-prefixed, never ended by a marker: a file may hold any byte, newlines
//! included (粘包 again, for binary data).

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

/// The longest request line, in bytes, its `\n` included.
pub const MAX_LINE: usize = 1024;
/// The longest file name, in bytes (Linux's `NAME_MAX`).
pub const MAX_NAME: usize = 255;
/// The name every worker thread of a [`ThreadPool`] starts with: `pool-worker-0`, ...
pub const WORKER_NAME: &str = "pool-worker";

// ---------------------------------------------------------------------------------------
// Names and requests. The error types and their texts are given: the protocol's replies
// are fixed, so that every client (and the suite's transcript) can rely on them.

/// Why a file name is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    /// The name is empty.
    Empty,
    /// Longer than [`MAX_NAME`] bytes (its length).
    TooLong(usize),
    /// Starts with `.`: hidden files, `.` and `..`.
    Dot,
    /// Holds a `/`, a `\` or a NUL byte (the character).
    Forbidden(char),
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => write!(f, "bad name: empty"),
            NameError::TooLong(n) => write!(f, "bad name: {n} bytes, at most {MAX_NAME}"),
            NameError::Dot => write!(f, "bad name: starts with a dot"),
            NameError::Forbidden(c) => write!(f, "bad name: holds {c:?}"),
        }
    }
}

impl std::error::Error for NameError {}

/// One request of the protocol. Names are not checked here: the store checks them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `L`: list the files.
    List,
    /// `G name`: get a file.
    Get(String),
    /// `P name size`: put a file of `size` bytes, which follow the line.
    Put { name: String, size: u64 },
    /// `Q`: end the session.
    Quit,
}

/// Why a request line is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing but spaces.
    Empty,
    /// A command the protocol does not have (the word).
    UnknownCommand(String),
    /// `G` or `P` without its name or size (the command's letter).
    MissingArgument(char),
    /// More words than the command takes (the command's letter).
    ExtraArgument(char),
    /// A size that is not a decimal number of bytes (the word).
    BadSize(String),
    /// Not UTF-8.
    NotUtf8,
    /// Longer than [`MAX_LINE`] bytes.
    TooLong,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => write!(f, "empty request"),
            ParseError::UnknownCommand(word) => write!(f, "unknown command {word:?}"),
            ParseError::MissingArgument(c) => write!(f, "{c} needs more arguments"),
            ParseError::ExtraArgument(c) => write!(f, "{c} takes fewer arguments"),
            ParseError::BadSize(word) => write!(f, "bad size {word:?}"),
            ParseError::NotUtf8 => write!(f, "request is not UTF-8"),
            ParseError::TooLong => write!(f, "request longer than {MAX_LINE} bytes"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Why the store refused an operation.
#[derive(Debug)]
pub enum StoreError {
    /// The name is not a valid file name.
    BadName(NameError),
    /// No file of that name.
    NotFound,
    /// The upload ended before its `size` bytes arrived (how many did).
    Incomplete(u64),
    /// Anything else the file system said.
    Io(io::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::BadName(e) => write!(f, "{e}"),
            StoreError::NotFound => write!(f, "not found"),
            StoreError::Incomplete(n) => write!(f, "upload ended after {n} bytes"),
            StoreError::Io(e) => write!(f, "{}", e.kind()),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<io::Error> for StoreError {
    fn from(e: io::Error) -> StoreError {
        StoreError::Io(e)
    }
}

/// Checks a file name, before any path is built from it: 1 to [`MAX_NAME`] bytes of
/// UTF-8, not starting with `.`, without `/`, `\` or NUL. Chinese names are fine.
///
/// The checks go in this order, and the first that fails is the error: empty, too long,
/// starts with a dot, holds a forbidden character (the first one in the name).
pub fn check_name(name: &str) -> Result<&str, NameError> {
    todo!("check the file name {name:?}")
}

/// Parses one request line (without its `\n`; a `\r` before it is allowed). Words are
/// separated by spaces; a name holds no space. A line of [`MAX_LINE`] bytes or more is
/// `TooLong`; then, in order: `NotUtf8`, `Empty`, `UnknownCommand` (commands are the
/// capital letters `L`, `G`, `P`, `Q`), `MissingArgument`, `ExtraArgument`, `BadSize`
/// (a size is decimal digits only, and fits a `u64`). Names are not checked here.
pub fn parse_request(line: &[u8]) -> Result<Request, ParseError> {
    todo!("parse the request line {line:?}")
}

// ---------------------------------------------------------------------------------------
// The store.

/// The folder the server serves. Uploads go through a temporary file, renamed into place
/// once complete, so no reader ever sees half a file.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// A store serving the folder `root`, which must exist (an error otherwise, and for
    /// a file that is not a folder).
    pub fn open(root: impl Into<PathBuf>) -> io::Result<Store> {
        let root = root.into();
        todo!("open a store on {}", root.display())
    }

    /// The folder served.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of the file `name`, built only once the name passed [`check_name`].
    pub fn path_of(&self, name: &str) -> Result<PathBuf, NameError> {
        todo!("the path of {name:?} under {}", self.root.display())
    }

    /// The names of the regular files served (no folders), sorted by bytes. Names
    /// [`check_name`] refuses (hidden files, uploads in progress) are left out.
    pub fn list(&self) -> io::Result<Vec<String>> {
        todo!("list the files of {}", self.root.display())
    }

    /// Opens the file `name` for reading, with its size in bytes. `BadName` for a name
    /// [`check_name`] refuses, `NotFound` when there is no regular file of that name.
    pub fn open_file(&self, name: &str) -> Result<(File, u64), StoreError> {
        todo!("open {name:?} in {}", self.root.display())
    }

    /// Stores exactly `size` bytes read from `body` as the file `name`, replacing any
    /// file of that name at once. The bytes go to a temporary file in the root first (its
    /// name starts with `.`, so it is never listed), written as they arrive and renamed
    /// into place when all have; if `body` ends early (`Incomplete`, with the bytes that
    /// came) or fails, the temporary file is removed and nothing changes. A bad name is
    /// refused (`BadName`) before anything is read.
    pub fn put(&self, name: &str, size: u64, body: &mut impl Read) -> Result<(), StoreError> {
        let _ = body;
        todo!("store {size} bytes as {name:?} in {}", self.root.display())
    }
}

// ---------------------------------------------------------------------------------------
// A session.

/// Serves one client on `stream` until it sends `Q` (answered `OK 0`), leaves, or breaks
/// the protocol beyond repair: a line of [`MAX_LINE`] bytes or more, or a malformed `P`
/// line (the bytes that follow could not be told apart from the next request), each
/// answered `ERR <reason>` before the session ends. Any other malformed line gets
/// `ERR <reason>` and the session goes on. A `P` of a bad name reads and drops its body,
/// then answers `ERR`. A client that leaves mid-upload gets no answer. The reasons are
/// the `Display` texts of [`ParseError`], [`NameError`] and [`StoreError`].
///
/// Works on any `Read + Write`: a socket, or a scripted stream in the tests. An IO error
/// of the stream ends the session with it.
pub fn serve_session<S: Read + Write>(stream: S, store: &Store) -> io::Result<()> {
    let _ = stream;
    todo!("serve one client of {}", store.root().display())
}

// ---------------------------------------------------------------------------------------
// The thread pool.

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of named worker threads that run the jobs given to [`ThreadPool::execute`]
/// in the order given, each exactly once (线程池: threads reused, not created per job).
///
/// Its fields are given in the shape the Rust Book's pool has (a channel of boxed jobs,
/// the workers' handles); change them if you build it another way.
#[derive(Debug)]
pub struct ThreadPool {
    queue: Option<mpsc::Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts `size` workers named `pool-worker-0` to `pool-worker-{size - 1}`
    /// ([`WORKER_NAME`]). An error of kind `InvalidInput` for a size of 0, or the
    /// system's error if a thread cannot be started. A job that panics does not take its
    /// worker with it.
    pub fn new(size: usize) -> io::Result<ThreadPool> {
        todo!("start {size} workers")
    }

    /// Queues `job` for the next free worker. Never blocks and never starts a thread.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let _ = job;
        todo!("queue a job for {} workers", self.workers.len())
    }

    /// Closes the queue, lets the workers run every job still queued, and joins them.
    pub fn shutdown(self) {
        todo!(
            "close the queue (open: {}) and join {} workers",
            self.queue.is_some(),
            self.workers.len()
        )
    }
}

// ---------------------------------------------------------------------------------------
// The servers.

/// Stops a running server from another thread, and tells how many sessions it serves.
#[derive(Clone, Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    // Add what the handle shares with the server's threads (behind an `Arc`): whether it
    // is stopping, and the connections being served, so `stop` can shut them down.
}

impl ServerHandle {
    /// Stops the server: no new client is served, every open connection is shut down,
    /// and the server's `run_*` returns `Ok(())` once every session has ended.
    pub fn stop(&self) {
        todo!("stop the server on {}", self.addr)
    }

    /// How many sessions are being served right now.
    pub fn active_sessions(&self) -> usize {
        todo!("count the sessions of the server on {}", self.addr)
    }
}

/// A listening file server. Bind it, take a [`ServerHandle`], then run it with one of
/// the three models; each returns after [`ServerHandle::stop`].
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    store: Arc<Store>,
    // Add what the server's threads and its handles share (see `ServerHandle`).
}

impl Server {
    /// Listens on `addr` (port 0: any free port) and serves `store`.
    pub fn bind(addr: impl ToSocketAddrs, store: Store) -> io::Result<Server> {
        let _ = addr;
        todo!("listen and serve {}", store.root().display())
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        todo!("the address of {:?}", self.listener)
    }

    /// A handle to stop the server and count its sessions from another thread.
    pub fn handle(&self) -> io::Result<ServerHandle> {
        todo!("a handle on {:?}", self.listener)
    }

    /// The loop server (循环服务器): serves one client at a time, on this thread, and
    /// starts no thread. The next client waits until this one has left.
    pub fn run_loop(self) -> io::Result<()> {
        todo!("serve {} one client at a time", self.store.root().display())
    }

    /// A thread per client (多线程并发): each connection is served on a thread of its
    /// own, which ends with the session. Returns once stopped and every thread joined.
    pub fn run_threads(self) -> io::Result<()> {
        todo!(
            "serve {} on a thread per client",
            self.store.root().display()
        )
    }

    /// The pool (线程池): `workers` threads serve the clients, the others wait in the
    /// pool's queue until a worker is free; no other thread is started. Returns once
    /// stopped and the pool shut down.
    pub fn run_pool(self, workers: usize) -> io::Result<()> {
        todo!(
            "serve {} with {workers} workers",
            self.store.root().display()
        )
    }
}

// ---------------------------------------------------------------------------------------
// The client.
/// Why a request of the [`Client`] failed.
#[derive(Debug)]
pub enum ClientError {
    /// The server answered `ERR` (its reason).
    Refused(String),
    /// The server's reply broke the protocol (what was wrong).
    Protocol(String),
    /// The connection failed.
    Io(io::Error),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Refused(reason) => write!(f, "the server refused: {reason}"),
            ClientError::Protocol(what) => write!(f, "bad reply from the server: {what}"),
            ClientError::Io(e) => write!(f, "connection failed: {e}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> ClientError {
        ClientError::Io(e)
    }
}

/// A client of the file server, on any `Read + Write` stream.
#[derive(Debug)]
pub struct Client<S: Read + Write> {
    stream: BufReader<S>,
}

impl Client<TcpStream> {
    /// Connects to a server.
    pub fn connect(addr: impl ToSocketAddrs) -> io::Result<Client<TcpStream>> {
        let _ = addr;
        todo!("connect to a server")
    }
}

impl<S: Read + Write> Client<S> {
    /// A client on an open stream.
    pub fn new(stream: S) -> Client<S> {
        Client {
            stream: BufReader::new(stream),
        }
    }

    /// The server's file names, in its order (`L`). `Refused` with the reason for an
    /// `ERR` reply; `Protocol` for a reply that is neither `OK <n>` nor `ERR <reason>`, or
    /// a body shorter than announced.
    pub fn list(&mut self) -> Result<Vec<String>, ClientError> {
        todo!(
            "ask for the list ({} bytes buffered)",
            self.stream.buffer().len()
        )
    }

    /// Downloads the file `name` into `out` (`G name`); gives its size in bytes. Errors
    /// as for [`Client::list`].
    pub fn get(&mut self, name: &str, out: &mut impl Write) -> Result<u64, ClientError> {
        let _ = out;
        todo!("download {name:?}")
    }

    /// Uploads `size` bytes read from `body` as the file `name` (`P name size`, then the
    /// bytes). Errors as for [`Client::list`].
    pub fn put(&mut self, name: &str, size: u64, body: &mut impl Read) -> Result<(), ClientError> {
        let _ = body;
        todo!("upload {size} bytes as {name:?}")
    }

    /// Ends the session (`Q`).
    pub fn quit(self) -> Result<(), ClientError> {
        todo!("quit ({} bytes buffered)", self.stream.buffer().len())
    }
}
