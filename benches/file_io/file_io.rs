//! The file_io kata (文件读写): where the speed of file IO comes from.
//!
//! - `copy_chunked`: a 4 MiB file copied to another file through buffers of 512 B,
//!   8 KiB, 64 KiB and 1 MiB, against `std::io::copy` between the same two files (on
//!   Linux it asks the kernel to copy, `copy_file_range`, and the bytes never enter the
//!   program). Small buffers cost one pair of system calls per 512 bytes.
//! - `write_lines`: 10,000 lines of 8 bytes into a file, against writing each line with
//!   its own `write_all` on the `File` (one system call a line, the baseline) and
//!   against `BufWriter` with `writeln!`, the usual std way.
//!
//! Files live in a folder under the temp directory, removed at the end; the page cache
//! keeps them in memory, so this measures system calls and copies, not the disk.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use bench_kit::criterion::{Criterion, criterion_group, criterion_main};
use bench_kit::{Rng, both, row};

const FILE_SIZE: usize = 4 << 20;
const BUFFERS: [usize; 4] = [512, 8 << 10, 64 << 10, 1 << 20];
const LINES: usize = 10_000;

/// A folder of its own under the temp directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("file_io-bench-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("create the bench's folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Copies `src` into a fresh (truncated) `dst` with `copy`, and checks the length.
fn copy_files(src: &Path, dst: &Path, copy: impl FnOnce(&mut File, &mut File) -> io::Result<u64>) {
    let mut from = File::open(src).expect("open the source");
    let mut to = File::create(dst).expect("create the copy");
    let copied = copy(&mut from, &mut to).expect("copy");
    assert_eq!(copied, FILE_SIZE as u64);
}

fn copies(c: &mut Criterion, dir: &Path) {
    let src = dir.join("source.bin");
    let dst = dir.join("copy.bin");
    let mut rng = Rng::new(1);
    let data: Vec<u8> = (0..FILE_SIZE).map(|_| rng.next_u64() as u8).collect();
    fs::write(&src, &data).expect("write the source file");
    for chunk in BUFFERS {
        let case = format!("4 MiB file, {} buffer", size_name(chunk));
        row(c, "copy_chunked", case, |row| {
            row.std("io::copy", |b| b.iter(|| copy_files(&src, &dst, io::copy)));
            both!(row, kata => |b| b.iter(|| {
                copy_files(&src, &dst, |from, to| kata::copy_chunked(from, to, chunk))
            }));
        });
    }
}

fn lines(c: &mut Criterion, dir: &Path) {
    let path = dir.join("lines.txt");
    let lines: Vec<String> = (0..LINES).map(|i| format!("line{i:04}")).collect();
    row(
        c,
        "write_lines",
        format!("{LINES} lines of 8 bytes"),
        |row| {
            row.std("File::write_all", |b| {
                b.iter(|| {
                    let mut file = File::create(&path).expect("create");
                    for line in &lines {
                        file.write_all(line.as_bytes()).expect("write");
                        file.write_all(b"\n").expect("write");
                    }
                })
            });
            row.std("BufWriter", |b| {
                b.iter(|| {
                    let mut out = BufWriter::new(File::create(&path).expect("create"));
                    for line in &lines {
                        writeln!(out, "{line}").expect("write");
                    }
                    out.flush().expect("flush");
                })
            });
            both!(row, kata => |b| b.iter(|| {
                kata::write_lines(File::create(&path).expect("create"), &lines).expect("write_lines")
            }));
        },
    );
}

fn size_name(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

fn file_io(c: &mut Criterion) {
    let scratch = Scratch::new();
    copies(c, &scratch.0);
    lines(c, &scratch.0);
}

criterion_group! {
    name = benches;
    config = bench_kit::config();
    targets = file_io
}
criterion_main!(benches);
