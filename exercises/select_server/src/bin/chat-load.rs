//! The load tool: `chat-load [CLIENTS] [MESSAGES] [ADDR]` (default 100 clients, 100
//! messages each). Without ADDR it starts this crate's server on a free loopback port in
//! a thread of its own; with ADDR it loads a server already running there.
//!
//! Every client logs in, then sends MESSAGES chats; every client must receive every
//! other client's chats, in each sender's order, or the tool fails. It prints how many
//! chats the server relayed (delivered to a client) per second. The clients are driven
//! by one poll loop; a client sends its next chat only while it is at most WINDOW
//! chats of everyone's behind, so no receiver falls far behind (and none is dropped as
//! too slow).

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsFd;
use std::thread;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use select_server::Server;

/// Chats a client may send ahead of what it has received from everyone.
const WINDOW: usize = 8;
/// The whole run must finish within this.
const DEADLINE: Duration = Duration::from_secs(120);

struct Client {
    stream: TcpStream,
    input: Vec<u8>,
    output: Vec<u8>,
    logged_in: bool,
    sent: usize,
    received: usize,
    /// Chats received from each sender so far (the next one expected is this number).
    from: Vec<usize>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let clients: usize = args.first().map_or(Ok(100), |s| s.parse())?;
    let messages: usize = args.get(1).map_or(Ok(100), |s| s.parse())?;
    raise_fd_limit(2 * clients + 64);

    let addr: SocketAddr = match args.get(2) {
        Some(addr) => addr.parse()?,
        None => {
            let mut server = Server::bind("127.0.0.1:0")?;
            let addr = server.local_addr();
            thread::spawn(move || server.run());
            addr
        }
    };

    let mut all = Vec::with_capacity(clients);
    for i in 0..clients {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.write_all(format!("L c{i}\n").as_bytes())?;
        stream.set_nonblocking(true)?;
        all.push(Client {
            stream,
            input: Vec::new(),
            output: Vec::new(),
            logged_in: false,
            sent: 0,
            received: 0,
            from: vec![0; clients],
        });
    }

    let begin = Instant::now();
    let mut chat_began: Option<Instant> = None;
    let expected = (clients - 1) * messages;
    loop {
        if begin.elapsed() > DEADLINE {
            return Err(format!("not done after {DEADLINE:?}").into());
        }
        let everyone_in = all.iter().all(|c| c.logged_in);
        if everyone_in && chat_began.is_none() {
            chat_began = Some(Instant::now());
        }
        if all
            .iter()
            .all(|c| c.received == expected && c.sent == messages && c.output.is_empty())
        {
            break;
        }
        if everyone_in {
            for (i, c) in all.iter_mut().enumerate() {
                // May send chat number `sent` once it has everyone's chats up to `sent - WINDOW`.
                if c.sent < messages && c.received >= c.sent.saturating_sub(WINDOW) * (clients - 1)
                {
                    c.output
                        .extend_from_slice(format!("C c{i} m{}\n", c.sent).as_bytes());
                    c.sent += 1;
                }
            }
        }
        let mut fds: Vec<PollFd> = all
            .iter()
            .map(|c| {
                let mut events = PollFlags::POLLIN;
                if !c.output.is_empty() {
                    events |= PollFlags::POLLOUT;
                }
                PollFd::new(c.stream.as_fd(), events)
            })
            .collect();
        poll(&mut fds, PollTimeout::from(1000u16))?;
        let ready: Vec<bool> = fds.iter().map(|fd| fd.any().unwrap_or(false)).collect();
        drop(fds);
        for (c, ready) in all.iter_mut().zip(ready) {
            if ready {
                pump(c)?;
            }
        }
    }
    let chat_began = chat_began.expect("everyone logged in");
    let seconds = chat_began.elapsed().as_secs_f64();
    let relayed = clients * expected;
    println!(
        "{clients} clients x {messages} messages: {relayed} chats relayed in {seconds:.3} s = {:.0} messages relayed per second",
        relayed as f64 / seconds
    );
    Ok(())
}

/// Writes what the socket takes, reads what has arrived, checks every complete line.
fn pump(c: &mut Client) -> Result<(), Box<dyn std::error::Error>> {
    while !c.output.is_empty() {
        match c.stream.write(&c.output) {
            Ok(n) => drop(c.output.drain(..n)),
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let mut buf = [0u8; 64 * 1024];
    loop {
        match c.stream.read(&mut buf) {
            Ok(0) => return Err("the server closed a connection".into()),
            Ok(n) => c.input.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let mut start = 0;
    while let Some(end) = c.input[start..].iter().position(|&b| b == b'\n') {
        let line = std::str::from_utf8(&c.input[start..start + end])?;
        start += end + 1;
        if line == "OK" {
            c.logged_in = true;
        } else if let Some(rest) = line.strip_prefix("MSG c") {
            // "MSG c<sender> m<number>"
            let (sender, number) = rest.split_once(" m").ok_or("a malformed MSG")?;
            let (sender, number): (usize, usize) = (sender.parse()?, number.parse()?);
            if c.from[sender] != number {
                return Err(
                    format!("from c{sender}: chat {number}, expected {}", c.from[sender]).into(),
                );
            }
            c.from[sender] += 1;
            c.received += 1;
        } else if !line.starts_with("JOIN ") {
            return Err(format!("unexpected line {line:?}").into());
        }
    }
    c.input.drain(..start);
    Ok(())
}

/// Two sockets a client (one here, one in the server): raise the soft limit on open
/// files if it is lower, as far as the hard limit allows.
fn raise_fd_limit(wanted: usize) {
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        let wanted = (wanted as u64).min(hard);
        if soft < wanted {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, wanted, hard);
        }
    }
}
