//! A chat client: `udp-chat-client NAME [ADDR]` (default 127.0.0.1:8888).
//!
//! Logs in as NAME; each line you type is sent as chat; `/quit` quits. What the server
//! sends is shown as it arrives. It uses your `chat`, so it works once your kata does:
//! this file only connects the terminal to `chat`'s two channels.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc;
use std::thread;

use udp_chat::{ClientError, chat};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(name) = args.next() else {
        eprintln!("usage: udp-chat-client NAME [ADDR]");
        std::process::exit(2);
    };
    let server = args.next().unwrap_or_else(|| "127.0.0.1:8888".to_string());
    let Ok(server) = server.parse::<SocketAddr>() else {
        eprintln!("not an address: {server}");
        std::process::exit(2);
    };
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|e| {
        eprintln!("cannot open a socket: {e}");
        std::process::exit(1);
    });

    // The terminal as two channels: a thread types what stdin reads, another shows what
    // the session shows. Reading stdin blocks, so its thread is never joined: the
    // process ends when the session does.
    let (typed, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in io::stdin().lines() {
            let Ok(line) = line else { break };
            if typed.send(line).is_err() {
                break;
            }
        }
    });
    let (shown, to_show) = mpsc::channel::<String>();
    let printer = thread::spawn(move || {
        for line in to_show {
            show(&line);
        }
    });

    let outcome = chat(&socket, server, &name, lines, shown);
    let _ = printer.join(); // `chat` dropped its end: everything shown has been printed
    match outcome {
        Ok(()) => std::process::exit(0),
        Err(ClientError::Refused(reason)) => {
            eprintln!("* refused: {reason}");
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("* {e}");
            std::process::exit(1);
        }
    }
}

/// Prints one line from the server in a friendlier form.
fn show(line: &str) {
    let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
    match kind {
        "OK" => println!("* logged in"),
        "MSG" => {
            let (who, text) = rest.split_once(' ').unwrap_or((rest, ""));
            println!("{who}: {text}");
        }
        "JOIN" => println!("* {rest} joined"),
        "LEAVE" => println!("* {rest} left"),
        "NOTICE" => println!("* NOTICE: {rest}"),
        "ERR" => println!("* refused: {rest}"),
        "EXIT" => println!("* the session is over"),
        _ => println!("? {line}"),
    }
}
