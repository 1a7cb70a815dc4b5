//! The http_server kata (HTTP 协议与 HTTPServer v2.0): `parse_request` against `httparse`
//! (hyper's parser, written for speed, with SIMD) on three requests, and the server
//! answering keep-alive clients.
//!
//! The server's row has no std counterpart: its time is that of one round, in which each
//! of 50 keep-alive clients sends one request and reads its response (50 requests in
//! flight at once on loopback), so 50 divided by it is the requests answered per second.
//! The clients are driven from the benchmark's thread, the server runs on its own.

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use bench_kit::both;
use bench_kit::criterion::{Bencher, Criterion, criterion_group, criterion_main};

/// What curl sends.
const CURL: &[u8] = b"GET /echo/abc HTTP/1.1\r\nHost: localhost:4221\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n";

/// What a browser sends: a dozen headers, 500 bytes.
const BROWSER: &[u8] = b"GET /static/app.js?v=3 HTTP/1.1\r\n\
Host: www.example.com\r\n\
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: zh-CN,zh;q=0.8,en-US;q=0.5,en;q=0.3\r\n\
Accept-Encoding: gzip, deflate, br, zstd\r\n\
Referer: https://www.example.com/index.html\r\n\
Connection: keep-alive\r\n\
Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark\r\n\
Upgrade-Insecure-Requests: 1\r\n\
Sec-Fetch-Dest: script\r\n\
Sec-Fetch-Mode: no-cors\r\n\
Priority: u=2\r\n\r\n";

/// A POST with a 1 KiB body (`Content-Length`).
fn post() -> Vec<u8> {
    let mut bytes =
        b"POST /files/upload.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1024\r\n\r\n"
            .to_vec();
    bytes.extend((0..1024u32).map(|i| (i % 256) as u8));
    bytes
}

fn httparse_head(bytes: &[u8]) -> usize {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        other => panic!("httparse: {other:?}"),
    }
}

fn parsing(c: &mut Criterion) {
    let post = post();
    let cases: [(&str, &[u8]); 3] = [
        ("curl GET, 3 headers", CURL),
        ("browser GET, 12 headers", BROWSER),
        ("POST, 1 KiB body", &post),
    ];
    for (case, bytes) in cases {
        bench_kit::row(c, "parse_request", case, |row| {
            // httparse parses the head only; the body's bytes are a slice of the buffer.
            row.std("httparse", |b| b.iter(|| httparse_head(black_box(bytes))));
            both!(row, kata => |b: &mut Bencher| {
                let limits = kata::Limits::default();
                b.iter(|| match kata::parse_request(black_box(bytes), &limits) {
                    Ok(kata::Parsed::Complete { consumed, .. }) => consumed,
                    other => panic!("parse_request: {other:?}"),
                })
            });
        });
    }
}

const CLIENTS: usize = 50;

/// One round: every client sends a request, then every client reads its response.
fn rounds(b: &mut Bencher, clients: &mut [TcpStream], response_len: usize) {
    let mut buf = vec![0u8; response_len];
    b.iter(|| {
        for client in clients.iter_mut() {
            client
                .write_all(b"GET /echo/abc HTTP/1.1\r\n\r\n")
                .expect("send a request");
        }
        for client in clients.iter_mut() {
            client.read_exact(&mut buf).expect("read a response");
        }
    });
}

fn connect(addr: std::net::SocketAddr) -> Vec<TcpStream> {
    (0..CLIENTS)
        .map(|_| {
            let stream = TcpStream::connect(addr).expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .expect("timeout");
            stream
        })
        .collect()
}

/// The server of the crate called `kata` (an `/echo/` route, as the http-server program
/// has), 50 keep-alive clients, and the rounds measured.
macro_rules! serve {
    ($kata:ident) => {
        |b: &mut Bencher| {
            struct Echo;
            impl $kata::Handler for Echo {
                fn root(&self) -> &std::path::Path {
                    std::path::Path::new(".")
                }
                fn handle(&mut self, request: &$kata::Request) -> $kata::Response {
                    let text = request.target.strip_prefix("/echo/").unwrap_or_default();
                    $kata::Response::new(200).with_body("text/plain", text)
                }
            }
            let expected = $kata::Response::new(200).with_body("text/plain", "abc");
            let response_len = expected.to_bytes(false).len();
            let mut server = $kata::Server::bind("127.0.0.1:0", Echo).expect("bind");
            let addr = server.local_addr();
            let waker = server.waker();
            let running = thread::spawn(move || server.run().expect("run"));
            let mut clients = connect(addr);
            rounds(b, &mut clients, response_len);
            waker.wake();
            running.join().expect("the server's thread");
        }
    };
}

fn serving(c: &mut Criterion) {
    bench_kit::row(c, "serve", "50 keep-alive clients, 1 request each", |row| {
        row.reference(serve!(reference));
        #[cfg(feature = "learner")]
        row.yours(serve!(learner));
    });
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = parsing, serving
}
criterion_main!(benches);
