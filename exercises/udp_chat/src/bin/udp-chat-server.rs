//! The chat room's server: `udp-chat-server [ADDR]` (default 127.0.0.1:8888).
//!
//! Serves the room on a thread of its own; each line typed here is sent to every client
//! as a `NOTICE` (the admin's messages, 管理员消息); `/quit` (or the end of input) stops
//! the server, and every client gets `EXIT`. It uses your `Server`, so it works once
//! your kata does.

use std::io;
use std::net::SocketAddr;
use std::thread;

use udp_chat::Server;

fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8888".to_string());
    let addr: SocketAddr = addr
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("{addr}: {e}")))?;
    let server = Server::bind(addr)?;
    println!(
        "udp chat server on {}: type a line to send a NOTICE, /quit to stop",
        server.local_addr()
    );
    thread::scope(|scope| {
        let serving = scope.spawn(|| server.serve());
        for line in io::stdin().lines() {
            let Ok(line) = line else { break };
            if line.trim() == "/quit" {
                break;
            }
            match server.notice(&line) {
                Ok(count) => println!("(notice sent to {count})"),
                Err(why) => println!("(not sent: {why})"),
            }
        }
        server.stop();
        serving.join().expect("the serving thread does not panic")
    })
}
