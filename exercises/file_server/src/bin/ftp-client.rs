//! The file client with the course's menu: `ftp-client [ADDR]` (default 127.0.0.1:8021).
//!
//! Lists the server's files, downloads one into the current folder, or uploads a local
//! file; each choice is typed at the prompt, as in the course's client.

use std::fs::File;
use std::io::{self, BufRead, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::ExitCode;

use file_server::{Client, check_name};

fn main() -> ExitCode {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8021".to_string());
    let client = match Client::connect(addr.as_str()) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("ftp-client: cannot connect to {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match menu(client) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ftp-client: {e}");
            ExitCode::FAILURE
        }
    }
}

const MENU: &str = "
========== 文件服务器 file server ==========
  1. list  查看文件      2. get  下载文件
  3. put   上传文件      4. quit 退出
=============================================";

fn ask(input: &mut impl BufRead, prompt: &str) -> io::Result<Option<String>> {
    print!("{prompt}");
    io::stdout().flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None); // end of input: leave as if `quit` was chosen
    }
    Ok(Some(line.trim().to_string()))
}

fn menu(mut client: Client<TcpStream>) -> Result<(), Box<dyn std::error::Error>> {
    let mut input = io::stdin().lock();
    println!("{MENU}");
    while let Some(choice) = ask(&mut input, "> ")? {
        match choice.as_str() {
            "1" | "list" => match client.list() {
                Ok(names) if names.is_empty() => println!("(no files)"),
                Ok(names) => names.iter().for_each(|n| println!("{n}")),
                Err(e) => println!("{e}"),
            },
            "2" | "get" => {
                let Some(name) = ask(&mut input, "file to download: ")? else {
                    break;
                };
                // The name becomes a local path too: the same check keeps it in this folder.
                if let Err(e) = check_name(&name) {
                    println!("{e}");
                    continue;
                }
                // Into a temporary file first, so a refused or broken download leaves no
                // empty or partial file behind.
                let partial = format!(".{name}.part");
                let mut file = File::create(&partial)?;
                match client.get(&name, &mut file) {
                    Ok(size) => {
                        std::fs::rename(&partial, &name)?;
                        println!("downloaded {name} ({size} bytes)");
                    }
                    Err(e) => {
                        std::fs::remove_file(&partial)?;
                        println!("{e}");
                    }
                }
            }
            "3" | "put" => {
                let Some(path) = ask(&mut input, "file to upload: ")? else {
                    break;
                };
                let Some(name) = Path::new(&path).file_name().and_then(|n| n.to_str()) else {
                    println!("no file name in {path:?}");
                    continue;
                };
                let mut file = match File::open(&path) {
                    Ok(file) => file,
                    Err(e) => {
                        println!("cannot open {path}: {e}");
                        continue;
                    }
                };
                let size = file.metadata()?.len();
                match client.put(name, size, &mut file) {
                    Ok(()) => println!("uploaded {name} ({size} bytes)"),
                    Err(e) => println!("{e}"),
                }
            }
            "4" | "quit" => break,
            other => println!("unknown choice {other:?}: type 1, 2, 3 or 4{MENU}"),
        }
    }
    client.quit()?;
    println!("bye");
    Ok(())
}
