//! Abuses a running chat server, for `measure-abuse.sh` (an example, not a program of the
//! kata: a learner's check never builds it).
//!
//! - `chat-abuse hold N ADDR SECONDS`: opens N connections that never send a byte, prints
//!   `holding N connections` once all are connected, holds them for SECONDS, exits. With
//!   the server's descriptor limit below N, the connections it cannot accept wait in its
//!   listen queue: the listener stays readable while `accept` fails.
//! - `chat-abuse burst N BYTES ADDR`: logs N clients in (`L bN`), then every client
//!   writes BYTES of chat at once, in chats of 1,023 bytes with their newline (the
//!   longest whose `MSG` still fits in 1,024), and reads everything the server sends until
//!   each client has every other client's chats or was closed (dropped as too slow).
//!   Prints how many clients got everything and how many were closed.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{Resource, getrlimit, setrlimit};

/// Every wait of the tool ends by then.
const DEADLINE: Duration = Duration::from_secs(120);
/// A chat line with its newline: the relayed `MSG` line is 2 bytes longer, 1,024 without its newline.
const CHAT_LINE: usize = 1023;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: chat-abuse hold N ADDR SECONDS | chat-abuse burst N BYTES ADDR";
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["hold", n, addr, seconds] => hold(n.parse()?, addr.parse()?, seconds.parse()?),
        ["burst", n, bytes, addr] => burst(n.parse()?, bytes.parse()?, addr.parse()?),
        _ => Err(usage.into()),
    }
}

fn hold(n: usize, addr: SocketAddr, seconds: u64) -> Result<()> {
    raise_fd_limit(n + 64);
    let held: Vec<TcpStream> = (0..n)
        .map(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(5)))
        .collect::<std::io::Result<_>>()?;
    println!("holding {} connections", held.len());
    std::io::stdout().flush()?;
    std::thread::sleep(Duration::from_secs(seconds));
    Ok(())
}

struct Client {
    stream: TcpStream,
    input: Vec<u8>,
    chats: usize,
    closed: bool,
}

fn burst(n: usize, bytes: usize, addr: SocketAddr) -> Result<()> {
    raise_fd_limit(n + 64);
    let mut clients = Vec::with_capacity(n);
    for i in 0..n {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        (&stream).write_all(format!("L b{i}\n").as_bytes())?;
        // JOINs of the clients already in may not come before OK; everything up to OK
        // is the login's (the JOINs of later clients come after it).
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        while line != "OK\n" {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Err(format!("b{i} was closed while logging in").into());
            }
        }
        if !reader.buffer().is_empty() {
            return Err("a line came after OK before anyone chatted".into());
        }
        clients.push(Client {
            stream,
            input: Vec::new(),
            chats: 0,
            closed: false,
        });
    }
    // Every burst written before any is read back: the server finds them all at once.
    let per_client = bytes / CHAT_LINE;
    for (i, c) in clients.iter_mut().enumerate() {
        let prefix = format!("C b{i} ");
        let chat = format!("{prefix}{}\n", "x".repeat(CHAT_LINE - prefix.len() - 1));
        c.stream.write_all(chat.repeat(per_client).as_bytes())?;
        c.stream.set_nonblocking(true)?;
    }
    let expected = (n - 1) * per_client;
    let begin = Instant::now();
    while clients.iter().any(|c| !c.closed && c.chats < expected) {
        if begin.elapsed() > DEADLINE {
            return Err(format!("not done after {DEADLINE:?}").into());
        }
        let mut fds: Vec<PollFd> = clients
            .iter()
            .map(|c| PollFd::new(c.stream.as_fd(), PollFlags::POLLIN))
            .collect();
        poll(&mut fds, PollTimeout::from(1000u16))?;
        let ready: Vec<bool> = fds.iter().map(|fd| fd.any().unwrap_or(false)).collect();
        drop(fds);
        for (c, ready) in clients.iter_mut().zip(ready) {
            if ready && !c.closed {
                pump(c)?;
            }
        }
    }
    let closed = clients.iter().filter(|c| c.closed).count();
    println!(
        "{n} clients x {} bytes ({per_client} chats each): {} got all {expected} chats, {closed} were closed by the server",
        per_client * CHAT_LINE,
        n - closed
    );
    Ok(())
}

/// Reads what has arrived and counts the complete `MSG` lines.
fn pump(c: &mut Client) -> Result<()> {
    let mut buf = [0u8; 64 * 1024];
    loop {
        match c.stream.read(&mut buf) {
            Ok(0) => {
                c.closed = true;
                break;
            }
            Ok(k) => c.input.extend_from_slice(&buf[..k]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                c.closed = true;
                break;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut start = 0;
    while let Some(end) = c.input[start..].iter().position(|&b| b == b'\n') {
        if c.input[start..].starts_with(b"MSG ") {
            c.chats += 1;
        }
        start += end + 1;
    }
    c.input.drain(..start);
    Ok(())
}

/// One socket a client: raise the soft limit on open files if it is lower, as far as the
/// hard limit allows.
fn raise_fd_limit(wanted: usize) {
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        let wanted = (wanted as u64).min(hard);
        if soft < wanted {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, wanted, hard);
        }
    }
}
