//! The chat server: `chat-server [ADDR]` (default 127.0.0.1:7878).
//!
//! Every line typed on its standard input goes to every logged-in client as a
//! `NOTICE` (管理员消息); `/quit` sends `EXIT` to everyone and stops the server.

use std::io;
use std::sync::mpsc;
use std::thread;

use select_server::Server;

fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let mut server = Server::bind(addr.as_str())?;
    eprintln!(
        "chat server on {}: type a line to send a NOTICE, /quit to stop",
        server.local_addr()
    );

    // Standard input is read by a thread that hands each line over and wakes the loop,
    // so the loop itself never waits on the keyboard.
    let (lines_tx, lines) = mpsc::channel::<String>();
    let waker = server.waker();
    thread::spawn(move || {
        for line in io::stdin().lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
            waker.wake();
        }
    });

    loop {
        server.run()?; // returns when the stdin thread wakes it
        while let Ok(line) = lines.try_recv() {
            if line.trim() == "/quit" {
                server.shutdown();
                return Ok(());
            }
            match server.notice(&line) {
                Ok(n) => eprintln!("notice sent to {n} client(s)"),
                Err(e) => eprintln!("notice not sent: {e}"),
            }
        }
    }
}
