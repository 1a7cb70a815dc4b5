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

use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};

/// The longest request line, in bytes, its `\n` included.
pub const MAX_LINE: usize = 1024;
/// The longest file name, in bytes (Linux's `NAME_MAX`).
pub const MAX_NAME: usize = 255;
/// The name every worker thread of a [`ThreadPool`] starts with: `pool-worker-0`, ...
pub const WORKER_NAME: &str = "pool-worker";

// ---------------------------------------------------------------------------------------
// Names and requests (given: the protocol's texts are fixed, so that every client can rely
// on them).

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
pub fn check_name(name: &str) -> Result<&str, NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.len() > MAX_NAME {
        return Err(NameError::TooLong(name.len()));
    }
    if name.starts_with('.') {
        return Err(NameError::Dot);
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\' | '\0')) {
        return Err(NameError::Forbidden(c));
    }
    Ok(name)
}

/// Parses one request line (without its `\n`; a `\r` before it is allowed). Words are
/// separated by single spaces; a name holds no space.
pub fn parse_request(line: &[u8]) -> Result<Request, ParseError> {
    if line.len() >= MAX_LINE {
        return Err(ParseError::TooLong);
    }
    let line = std::str::from_utf8(line).map_err(|_| ParseError::NotUtf8)?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut words = line.split(' ').filter(|w| !w.is_empty());
    let command = words.next().ok_or(ParseError::Empty)?;
    let (letter, wanted) = match command {
        "L" => ('L', 0),
        "G" => ('G', 1),
        "P" => ('P', 2),
        "Q" => ('Q', 0),
        other => return Err(ParseError::UnknownCommand(other.to_string())),
    };
    let args: Vec<&str> = words.collect();
    if args.len() < wanted {
        return Err(ParseError::MissingArgument(letter));
    }
    if args.len() > wanted {
        return Err(ParseError::ExtraArgument(letter));
    }
    Ok(match letter {
        'L' => Request::List,
        'Q' => Request::Quit,
        'G' => Request::Get(args[0].to_string()),
        _ => {
            // Digits only: `u64::from_str` would also take a leading `+`.
            let size = args[1]
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| args[1].parse().ok())
                .flatten()
                .ok_or_else(|| ParseError::BadSize(args[1].to_string()))?;
            Request::Put {
                name: args[0].to_string(),
                size,
            }
        }
    })
}

// ---------------------------------------------------------------------------------------
// The store.

/// The folder the server serves. Uploads go through a temporary file, renamed into place
/// once complete, so no reader ever sees half a file.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
}

/// Tells apart the temporary files of uploads running at once.
static NEXT_UPLOAD: AtomicU64 = AtomicU64::new(0);

/// A temporary upload file, removed when dropped unless it was renamed into place.
struct Partial {
    path: PathBuf,
    kept: bool,
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl Store {
    /// A store serving the folder `root`, which must exist.
    pub fn open(root: impl Into<PathBuf>) -> io::Result<Store> {
        let root = root.into();
        if !fs::metadata(&root)?.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a folder", root.display()),
            ));
        }
        Ok(Store { root })
    }

    /// The folder served.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of the file `name`, built only once the name passed [`check_name`].
    pub fn path_of(&self, name: &str) -> Result<PathBuf, NameError> {
        Ok(self.root.join(check_name(name)?))
    }

    /// The names of the regular files served, sorted by bytes. Names [`check_name`]
    /// refuses (hidden files, uploads in progress) are left out.
    pub fn list(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.root)? {
            let entry = entry?;
            if !entry.file_type()?.is_file() {
                continue;
            }
            if let Ok(name) = entry.file_name().into_string()
                && check_name(&name).is_ok()
            {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// Opens the file `name` for reading, with its size in bytes.
    pub fn open_file(&self, name: &str) -> Result<(File, u64), StoreError> {
        let path = self.path_of(name).map_err(StoreError::BadName)?;
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(StoreError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(StoreError::NotFound);
        }
        Ok((file, meta.len()))
    }

    /// Stores exactly `size` bytes read from `body` as the file `name`, replacing any
    /// file of that name at once. The bytes go to a temporary file first (its name starts
    /// with `.`, so it is never listed), renamed into place when all have arrived; if
    /// `body` ends early or fails, the temporary file is removed and nothing changes.
    /// A bad name is refused before anything is read.
    pub fn put(&self, name: &str, size: u64, body: &mut impl Read) -> Result<(), StoreError> {
        let path = self.path_of(name).map_err(StoreError::BadName)?;
        let mut partial = Partial {
            path: self.root.join(format!(
                ".upload-{}-{}",
                std::process::id(),
                NEXT_UPLOAD.fetch_add(1, Ordering::Relaxed)
            )),
            kept: false,
        };
        let mut file = File::create(&partial.path)?;
        // `io::copy` reads again and again until `size` bytes came or the body ended:
        // one read of a socket may bring any number of bytes.
        let copied = io::copy(&mut body.take(size), &mut file)?;
        if copied < size {
            return Err(StoreError::Incomplete(copied));
        }
        drop(file);
        fs::rename(&partial.path, &path)?;
        partial.kept = true;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// A session.

/// Reads one line of at most [`MAX_LINE`] bytes, without its `\n`. `Ok(None)` at the end
/// of the stream; `Err(TooLong)`-style lines are returned whole as too long.
fn read_line(reader: &mut impl BufRead) -> io::Result<Option<Result<Vec<u8>, ParseError>>> {
    let mut line = Vec::new();
    let n = reader
        .by_ref()
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    match line.last() {
        Some(b'\n') => {
            line.pop();
            Ok(Some(Ok(line)))
        }
        // No `\n` within MAX_LINE bytes: too long. A shorter line without `\n` is a
        // client that left mid-line: the session ends.
        _ if line.len() >= MAX_LINE => Ok(Some(Err(ParseError::TooLong))),
        _ => Ok(None),
    }
}

fn reply_err(out: &mut impl Write, reason: &dyn fmt::Display) -> io::Result<()> {
    // A reason is one line: no client could read past a newline in it.
    let reason = reason.to_string().replace(['\n', '\r'], " ");
    out.write_all(format!("ERR {reason}\n").as_bytes())?;
    out.flush()
}

/// Serves one client on `stream` until it sends `Q`, leaves, or breaks the protocol
/// beyond repair (a line too long, a `P` whose size cannot be read: the bytes that follow
/// could not be told apart from the next request). Works on any `Read + Write`: a socket,
/// or a scripted stream in the tests. An IO error of the stream ends the session with it.
pub fn serve_session<S: Read + Write>(stream: S, store: &Store) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    loop {
        let line = match read_line(&mut reader)? {
            None => return Ok(()),
            Some(Ok(line)) => line,
            Some(Err(e)) => return reply_err(reader.get_mut(), &e),
        };
        let request = match parse_request(&line) {
            Ok(request) => request,
            Err(e) => {
                reply_err(reader.get_mut(), &e)?;
                let is_put = line.first() == Some(&b'P');
                if is_put {
                    // Its body, if any, cannot be skipped: end the session.
                    return Ok(());
                }
                continue;
            }
        };
        match request {
            Request::List => {
                let names = store.list()?;
                let body: String = names.iter().map(|n| format!("{n}\n")).collect();
                let out = reader.get_mut();
                out.write_all(format!("OK {}\n{body}", body.len()).as_bytes())?;
                out.flush()?;
            }
            Request::Get(name) => match store.open_file(&name) {
                Ok((file, size)) => {
                    let out = reader.get_mut();
                    out.write_all(format!("OK {size}\n").as_bytes())?;
                    // In chunks: a 64 MiB file never sits in memory.
                    let sent = io::copy(&mut file.take(size), out)?;
                    if sent < size {
                        // The file shrank under us: the reply cannot be finished.
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                    out.flush()?;
                }
                Err(e) => reply_err(reader.get_mut(), &e)?,
            },
            Request::Put { name, size } => {
                if let Err(e) = check_name(&name) {
                    // Keep in step with the client: skip the body it sends anyway.
                    let skipped = io::copy(&mut (&mut reader).take(size), &mut io::sink())?;
                    if skipped < size {
                        return Ok(());
                    }
                    reply_err(reader.get_mut(), &e)?;
                    continue;
                }
                match store.put(&name, size, &mut reader) {
                    Ok(()) => {
                        let out = reader.get_mut();
                        out.write_all(b"OK 0\n")?;
                        out.flush()?;
                    }
                    // The client left mid-upload: nothing was stored, nobody to answer.
                    Err(StoreError::Incomplete(_)) => return Ok(()),
                    Err(e) => reply_err(reader.get_mut(), &e)?,
                }
            }
            Request::Quit => {
                let out = reader.get_mut();
                out.write_all(b"OK 0\n")?;
                out.flush()?;
                return Ok(());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The thread pool.

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of named worker threads that run the jobs given to [`ThreadPool::execute`]
/// in the order given, each exactly once (线程池: threads reused, not created per job).
pub struct ThreadPool {
    queue: Option<mpsc::Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadPool")
            .field("workers", &self.workers.len())
            .finish()
    }
}

impl ThreadPool {
    /// Starts `size` workers named `pool-worker-0` to `pool-worker-{size - 1}`. An error
    /// of kind `InvalidInput` for a size of 0, or the system's error if a thread cannot
    /// be started (the workers already started are stopped first).
    pub fn new(size: usize) -> io::Result<ThreadPool> {
        if size == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a thread pool needs at least one worker",
            ));
        }
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        let mut pool = ThreadPool {
            queue: Some(queue),
            workers: Vec::with_capacity(size),
        };
        for i in 0..size {
            let jobs = Arc::clone(&jobs);
            let worker = thread::Builder::new()
                .name(format!("{WORKER_NAME}-{i}"))
                .spawn(move || work(&jobs))?; // `pool` dropped on error: shut down
            pool.workers.push(worker);
        }
        Ok(pool)
    }

    /// Queues `job` for the next free worker. Never blocks and never starts a thread.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        if let Some(queue) = &self.queue {
            // The workers hold the receiver until the queue is closed, and only
            // `shutdown` closes it: sending cannot fail here.
            let _ = queue.send(Box::new(job));
        }
    }

    /// Closes the queue, lets the workers run every job still queued, and joins them.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        // Closing first: a worker leaves its loop only once the queue is closed and
        // empty, so joining before closing would wait for ever.
        drop(self.queue.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A worker's loop: take a job, release the queue's lock, run the job.
fn work(jobs: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // The guard is a temporary of this statement: the lock is released before the
        // job runs, so the other workers can take jobs meanwhile.
        let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(job) = job else {
            return; // closed and empty
        };
        // A panicking job must not take its worker with it.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

// ---------------------------------------------------------------------------------------
// The servers.

/// What the servers' threads share: the stop flag and the open connections.
#[derive(Debug, Default)]
struct Shared {
    state: Mutex<Sessions>,
}

#[derive(Debug, Default)]
struct Sessions {
    stopped: bool,
    next: u64,
    /// A clone of each connection being served, so `stop` can shut it down.
    open: HashMap<u64, TcpStream>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Sessions> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Serves `stream` as one session, counted in `active_sessions` while it runs. A
    /// connection that arrives once the server is stopping is closed unserved.
    fn serve(&self, stream: TcpStream, store: &Store) {
        let id = {
            let mut state = self.lock();
            if state.stopped {
                return;
            }
            let Ok(clone) = stream.try_clone() else {
                return;
            };
            // A reply's head and body go out in separate writes: without this, Nagle's
            // algorithm holds the body back until the client acknowledges the head.
            let _ = stream.set_nodelay(true);
            let id = state.next;
            state.next += 1;
            state.open.insert(id, clone);
            id
        };
        // A client that breaks the connection ends its own session, nobody else's.
        let _ = serve_session(&stream, store);
        let _ = stream.shutdown(Shutdown::Both);
        self.lock().open.remove(&id);
    }
}

/// Stops a running server from another thread, and tells how many sessions it serves.
#[derive(Clone, Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl ServerHandle {
    /// Stops the server: no new client is served, every open connection is shut down,
    /// and the server's `run_*` returns once every session has ended.
    pub fn stop(&self) {
        let mut state = self.shared.lock();
        state.stopped = true;
        for stream in state.open.values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        drop(state);
        // `accept` blocks: a connection of our own wakes it to see the flag.
        let _ = TcpStream::connect(self.addr);
    }

    /// How many sessions are being served right now.
    pub fn active_sessions(&self) -> usize {
        self.shared.lock().open.len()
    }
}

/// A listening file server. Bind it, take a [`ServerHandle`], then run it with one of
/// the three models; each returns after [`ServerHandle::stop`].
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    store: Arc<Store>,
    shared: Arc<Shared>,
}

impl Server {
    /// Listens on `addr` (port 0: any free port) and serves `store`.
    pub fn bind(addr: impl ToSocketAddrs, store: Store) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
            store: Arc::new(store),
            shared: Arc::default(),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// A handle to stop the server and count its sessions from another thread.
    pub fn handle(&self) -> io::Result<ServerHandle> {
        Ok(ServerHandle {
            addr: self.local_addr()?,
            shared: Arc::clone(&self.shared),
        })
    }

    /// The next connection, or `None` once stopped. A failed `accept` (a client that
    /// reset before it was accepted, too many open files) skips that client only.
    fn next_client(&self) -> Option<TcpStream> {
        loop {
            let accepted = self.listener.accept();
            if self.shared.lock().stopped {
                return None;
            }
            if let Ok((stream, _)) = accepted {
                return Some(stream);
            }
        }
    }

    /// The loop server (循环服务器): serves one client at a time, on this thread, and
    /// starts no thread. The next client waits until this one has left.
    pub fn run_loop(self) -> io::Result<()> {
        while let Some(stream) = self.next_client() {
            self.shared.serve(stream, &self.store);
        }
        Ok(())
    }

    /// A thread per client (多线程并发): each connection is served on a thread of its
    /// own, which ends with the session. Returns once stopped and every thread joined.
    pub fn run_threads(self) -> io::Result<()> {
        let mut sessions: Vec<JoinHandle<()>> = Vec::new();
        let mut next = 0u64;
        while let Some(stream) = self.next_client() {
            // Forget the threads that have ended, so a long run keeps no list of them.
            sessions.retain(|s| !s.is_finished());
            let (shared, store) = (Arc::clone(&self.shared), Arc::clone(&self.store));
            let spawned = thread::Builder::new()
                .name(format!("session-{next}"))
                .spawn(move || shared.serve(stream, &store));
            next += 1;
            // Out of threads: that client is dropped, the server goes on.
            if let Ok(session) = spawned {
                sessions.push(session);
            }
        }
        for session in sessions {
            let _ = session.join();
        }
        Ok(())
    }

    /// The pool (线程池): `workers` threads serve the clients, the others wait in the
    /// pool's queue until a worker is free. Returns once stopped and the pool shut down.
    pub fn run_pool(self, workers: usize) -> io::Result<()> {
        let pool = ThreadPool::new(workers)?;
        while let Some(stream) = self.next_client() {
            let (shared, store) = (Arc::clone(&self.shared), Arc::clone(&self.store));
            pool.execute(move || shared.serve(stream, &store));
        }
        // Queued clients are closed unserved (the flag is set), then the workers join.
        pool.shutdown();
        Ok(())
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
        let stream = TcpStream::connect(addr)?;
        // A put's line and body go out in separate writes (see the server's side).
        stream.set_nodelay(true)?;
        Ok(Client::new(stream))
    }
}

impl<S: Read + Write> Client<S> {
    /// A client on an open stream.
    pub fn new(stream: S) -> Client<S> {
        Client {
            stream: BufReader::new(stream),
        }
    }

    fn send(&mut self, line: &str) -> io::Result<()> {
        let out = self.stream.get_mut();
        out.write_all(format!("{line}\n").as_bytes())?;
        out.flush()
    }

    /// Reads `OK <n>` (giving n) or `ERR <reason>` (as `Refused`).
    fn reply(&mut self) -> Result<u64, ClientError> {
        let mut line = Vec::new();
        self.stream
            .by_ref()
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)?;
        if line.pop() != Some(b'\n') {
            return Err(ClientError::Protocol(if line.is_empty() {
                "the connection closed".to_string()
            } else {
                "a reply line without its end".to_string()
            }));
        }
        let line = String::from_utf8(line)
            .map_err(|_| ClientError::Protocol("a reply that is not UTF-8".to_string()))?;
        if let Some(reason) = line.strip_prefix("ERR ") {
            return Err(ClientError::Refused(reason.to_string()));
        }
        line.strip_prefix("OK ")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| ClientError::Protocol(format!("unexpected reply {line:?}")))
    }

    /// Reads exactly `n` body bytes into `out`.
    fn body(&mut self, n: u64, out: &mut impl Write) -> Result<(), ClientError> {
        let got = io::copy(&mut self.stream.by_ref().take(n), out)?;
        if got < n {
            return Err(ClientError::Protocol(format!(
                "the body ended after {got} of {n} bytes"
            )));
        }
        Ok(())
    }

    /// The server's file names, in its order.
    pub fn list(&mut self) -> Result<Vec<String>, ClientError> {
        self.send("L")?;
        let n = self.reply()?;
        let mut body = Vec::new();
        self.body(n, &mut body)?;
        let body = String::from_utf8(body)
            .map_err(|_| ClientError::Protocol("names that are not UTF-8".to_string()))?;
        Ok(body.lines().map(str::to_string).collect())
    }

    /// Downloads the file `name` into `out`; gives its size in bytes.
    pub fn get(&mut self, name: &str, out: &mut impl Write) -> Result<u64, ClientError> {
        self.send(&format!("G {name}"))?;
        let n = self.reply()?;
        self.body(n, out)?;
        Ok(n)
    }

    /// Uploads `size` bytes read from `body` as the file `name`.
    pub fn put(&mut self, name: &str, size: u64, body: &mut impl Read) -> Result<(), ClientError> {
        // The line and the body through one buffer: a small file goes out in one write
        // (and one packet) with its line.
        let mut out = io::BufWriter::new(self.stream.get_mut());
        out.write_all(format!("P {name} {size}\n").as_bytes())?;
        let sent = io::copy(&mut body.take(size), &mut out)?;
        if sent < size {
            return Err(ClientError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the file ended after {sent} of {size} bytes"),
            )));
        }
        out.flush()?;
        drop(out);
        match self.reply()? {
            0 => Ok(()),
            n => Err(ClientError::Protocol(format!("OK {n} after a put"))),
        }
    }

    /// Ends the session.
    pub fn quit(mut self) -> Result<(), ClientError> {
        self.send("Q")?;
        self.reply().map(|_| ())
    }
}
