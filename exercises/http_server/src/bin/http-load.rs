//! The load tool: `http-load [CLIENTS] [REQUESTS] [ADDR] [PIPELINE]` (default 50
//! clients, 2000 requests each, no pipelining). Without ADDR (or with `-`) it starts this
//! crate's server on a free loopback port in a thread of its own; with ADDR it loads a
//! server already running there (`http-server`, whose `/echo/` route it asks for).
//!
//! Each client is a thread with one keep-alive connection. It sends `GET
//! /echo/hello-<client>-<n>`, PIPELINE requests at a time (1: one request, then its
//! response), and checks that every response is `200 OK` with the text it asked for, in
//! order, or the tool fails. It prints the requests answered per second.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use http_server::{Handler, Request, Response, Server};

/// Any one read must finish within this, so a stuck server fails the run instead of
/// hanging it.
const PATIENCE: Duration = Duration::from_secs(10);

/// The in-process server's handler: the `/echo/` route of the http-server program.
struct Echo;

impl Handler for Echo {
    fn root(&self) -> &Path {
        Path::new(".")
    }

    fn handle(&mut self, request: &Request) -> Response {
        match request.target.strip_prefix("/echo/") {
            Some(text) => Response::new(200).with_body("text/plain", text),
            None => Response::error(404),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let clients: usize = args.first().map_or(Ok(50), |s| s.parse())?;
    let requests: usize = args.get(1).map_or(Ok(2000), |s| s.parse())?;
    let pipeline: usize = args.get(3).map_or(Ok(1), |s| s.parse())?;
    let pipeline = pipeline.max(1);
    let addr: SocketAddr = match args.get(2).map(String::as_str) {
        Some(addr) if addr != "-" => addr.parse()?,
        _ => {
            let mut server = Server::bind("127.0.0.1:0", Echo)?;
            let addr = server.local_addr();
            thread::spawn(move || server.run());
            addr
        }
    };

    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|client| thread::spawn(move || load(addr, client, requests, pipeline)))
        .collect();
    for worker in workers {
        worker.join().map_err(|_| "a client thread panicked")??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let total = clients * requests;
    println!(
        "{clients} keep-alive clients x {requests} requests (pipelined {pipeline} at a time): \
         {total} responses in {seconds:.3} s = {:.0} requests per second",
        total as f64 / seconds
    );
    Ok(())
}

/// One client: `requests` requests on one connection, `pipeline` at a time.
fn load(addr: SocketAddr, client: usize, requests: usize, pipeline: usize) -> Result<(), String> {
    let stream = TcpStream::connect(addr).map_err(|e| format!("client {client}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(PATIENCE))
        .map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut sent = 0;
    while sent < requests {
        let batch = pipeline.min(requests - sent);
        let mut out = String::new();
        for n in sent..sent + batch {
            out.push_str(&format!(
                "GET /echo/hello-{client}-{n} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
            ));
        }
        writer
            .write_all(out.as_bytes())
            .map_err(|e| format!("client {client}: {e}"))?;
        for n in sent..sent + batch {
            let body = response(&mut reader).map_err(|e| format!("client {client}: {e}"))?;
            let expected = format!("hello-{client}-{n}");
            if body != expected.as_bytes() {
                return Err(format!(
                    "client {client} asked for {expected:?} and got {:?}",
                    String::from_utf8_lossy(&body)
                ));
            }
        }
        sent += batch;
    }
    Ok(())
}

/// Reads one `200 OK` response and returns its body.
fn response(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, String> {
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| e.to_string())?;
    if !line.starts_with("HTTP/1.1 200 ") {
        return Err(format!("expected 200 OK, got {line:?}"));
    }
    let mut length = None;
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let length = length.ok_or("a response without Content-Length")?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(body)
}
