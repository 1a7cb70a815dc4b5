//! A chat client: `chat-client NAME [ADDR]` (default 127.0.0.1:7878).
//!
//! Logs in as NAME; each line you type is sent as chat; `/quit` quits. What the server
//! sends is shown as it arrives.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, TcpStream};
use std::thread;

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(name) = args.next() else {
        eprintln!("usage: chat-client NAME [ADDR]");
        std::process::exit(2);
    };
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let mut stream = TcpStream::connect(&addr)?;
    let reader = BufReader::new(stream.try_clone()?);

    // A thread shows the server's lines; when the server closes, the process ends.
    thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            show(&line);
        }
        eprintln!("(connection closed)");
        std::process::exit(0);
    });

    writeln!(stream, "L {name}")?;
    for line in io::stdin().lines() {
        let line = line?;
        if line.trim() == "/quit" {
            writeln!(stream, "Q {name}")?;
            break;
        }
        if !line.is_empty() {
            writeln!(stream, "C {name} {line}")?;
        }
    }
    // Standard input ended (or /quit): let the reader print the server's last words.
    let _ = stream.shutdown(Shutdown::Write);
    thread::park();
    Ok(())
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
        "EXIT" => println!("* the server ended the session"),
        _ => println!("? {line}"),
    }
}
