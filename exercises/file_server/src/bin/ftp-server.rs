//! The file server: `ftp-server ROOT [ADDR] [loop|threads|pool[:N]]` (default
//! 127.0.0.1:8021, a pool of 4 workers).
//!
//! Serves the folder ROOT to any number of clients (`ftp-client`, or `nc` by hand). Type
//! `/quit` on its standard input to stop it; it keeps running when its standard input is
//! closed, so it can run in the background.

use std::io;
use std::process::ExitCode;
use std::thread;

use file_server::{Server, Store};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ftp-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = || io::Error::other("usage: ftp-server ROOT [ADDR] [loop|threads|pool[:N]]");
    let root = args.next().ok_or_else(usage)?;
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8021".to_string());
    let model = args.next().unwrap_or_else(|| "pool:4".to_string());

    let server = Server::bind(addr.as_str(), Store::open(&root)?)?;
    let handle = server.handle()?;
    eprintln!(
        "file server on {}: serving {root} ({model}); type /quit to stop",
        server.local_addr()?
    );

    // The keyboard is read on a thread of its own: the server's thread blocks in accept.
    thread::spawn(move || {
        for line in io::stdin().lines() {
            match line {
                Ok(line) if line.trim() == "/quit" => {
                    handle.stop();
                    return;
                }
                Ok(_) => eprintln!("active sessions: {}", handle.active_sessions()),
                Err(_) => return,
            }
        }
    });

    match model.split_once(':') {
        _ if model == "loop" => server.run_loop(),
        _ if model == "threads" => server.run_threads(),
        _ if model == "pool" => server.run_pool(4),
        Some(("pool", n)) => {
            let n = n.parse().map_err(|_| usage())?;
            server.run_pool(n)
        }
        _ => Err(usage()),
    }
}
