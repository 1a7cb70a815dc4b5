//! The file_server kata (并发服务器模型与 FTP 文件服务器): connections per second, by
//! server model, when every connection is short.
//!
//! One iteration is one client's whole visit on loopback: connect, `L` (an empty
//! folder), `Q`, and the server's close. So a row's time is that of one connection, and
//! one second divided by it is the connections served per second. A thread per client
//! starts and ends a thread for each; the pool hands each to a worker it started once;
//! the loop server serves it on its own thread and starts nothing. The clients come one
//! after the other, from the benchmark's thread: this measures what each model spends
//! per connection, not how many clients it serves at once (the suite checks that).
//! The loop server has no std counterpart, so it is the rows' common reference point.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

use bench_kit::both;
use bench_kit::criterion::{Bencher, Criterion, criterion_group, criterion_main};

/// One client's visit: connect, list, quit, read until the server closes.
fn visit(addr: SocketAddr) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.set_nodelay(true).expect("nodelay");
    stream.write_all(b"L\nQ\n").expect("send");
    let mut reply = Vec::with_capacity(16);
    stream.read_to_end(&mut reply).expect("the replies");
    assert_eq!(reply, b"OK 0\nOK 0\n", "an empty list, then the quit");
}

/// The server of the crate called `kata`, run with `$run` on an empty folder, and one
/// visit measured per iteration.
macro_rules! connections {
    ($kata:ident, $run:expr) => {
        |b: &mut Bencher| {
            let dir = std::env::temp_dir().join(format!(
                "file_server-bench-{}-{}",
                std::process::id(),
                stringify!($kata)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("an empty folder to serve");
            let store = $kata::Store::open(&dir).expect("the store");
            let server = $kata::Server::bind("127.0.0.1:0", store).expect("bind");
            let addr = server.local_addr().expect("its address");
            let handle = server.handle().expect("its handle");
            let run: fn($kata::Server) -> std::io::Result<()> = $run;
            let running = thread::spawn(move || run(server).expect("run"));
            b.iter(|| visit(addr));
            handle.stop();
            running.join().expect("the server's thread");
            let _ = std::fs::remove_dir_all(&dir);
        }
    };
}

fn models(c: &mut Criterion) {
    bench_kit::row(c, "connection (L, Q)", "loop server", |row| {
        both!(row, kata => connections!(kata, |s| s.run_loop()));
    });
    bench_kit::row(c, "connection (L, Q)", "a thread per client", |row| {
        both!(row, kata => connections!(kata, |s| s.run_threads()));
    });
    bench_kit::row(c, "connection (L, Q)", "a pool of 4", |row| {
        both!(row, kata => connections!(kata, |s| s.run_pool(4)));
    });
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = models
}
criterion_main!(benches);
