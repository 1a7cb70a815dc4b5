//! The HTTP server program: `http-server [--directory DIR] [--port N]` (default: the
//! current folder, port 4221), on 127.0.0.1.
//!
//! A `Handler` that overrides `handle` with a few routes, so that a person can try it
//! with `curl`, and so that the common "build your own HTTP server" exercise testers can
//! drive it unchanged:
//!
//! | request | response |
//! |---|---|
//! | `GET /` | `200 OK`, empty body |
//! | `GET /echo/<text>` | `200 OK`, `text/plain`, the text |
//! | `GET /user-agent` | `200 OK`, `text/plain`, the request's `User-Agent` |
//! | `GET /files/<name>` | `200 OK`, `application/octet-stream`, the file under DIR; or `404` |
//! | `POST /files/<name>` | writes the body to the file under DIR: `201 Created` |
//! | anything else | `404 Not Found` |
//!
//! `HEAD` is answered as `GET`, without the body. A body goes gzip-compressed, with
//! `Content-Encoding: gzip`, when the request's `Accept-Encoding` lists `gzip`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use http_server::{Handler, Method, Request, Response, Server, resolve};

struct Routes {
    directory: PathBuf,
}

impl Handler for Routes {
    fn root(&self) -> &Path {
        &self.directory
    }

    fn handle(&mut self, request: &Request) -> Response {
        let response = self.route(request);
        if request.accepts_encoding("gzip") && !response.body.is_empty() {
            response.gzip()
        } else {
            response
        }
    }
}

impl Routes {
    fn route(&self, request: &Request) -> Response {
        let path = request.target.split('?').next().unwrap_or_default();
        let read = matches!(request.method, Method::Get | Method::Head);
        if read && path == "/" {
            return Response::new(200);
        }
        if read && let Some(text) = path.strip_prefix("/echo/") {
            return Response::new(200).with_body("text/plain", text);
        }
        if read && path == "/user-agent" {
            let agent = request.header("User-Agent").unwrap_or_default();
            return Response::new(200).with_body("text/plain", agent);
        }
        if let Some(name) = path.strip_prefix("/files/") {
            // resolve keeps the name inside the directory (no `..`, no `/` once decoded).
            let Ok(file) = resolve(&self.directory, &format!("/{name}")) else {
                return Response::error(400);
            };
            return match request.method {
                Method::Get | Method::Head => match std::fs::read(&file) {
                    Ok(bytes) if file.is_file() => {
                        Response::new(200).with_body("application/octet-stream", bytes)
                    }
                    _ => Response::error(404),
                },
                Method::Post => match std::fs::write(&file, &request.body) {
                    Ok(()) => Response::new(201),
                    Err(e) => {
                        eprintln!("http-server: writing {}: {e}", file.display());
                        Response::error(500)
                    }
                },
                _ => Response::error(405).with_header("Allow", "GET, HEAD, POST"),
            };
        }
        Response::error(404)
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("http-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let mut directory = PathBuf::from(".");
    let mut port: u16 = 4221;
    let mut args = std::env::args().skip(1);
    let usage = || io::Error::other("usage: http-server [--directory DIR] [--port N]");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--directory" => directory = args.next().ok_or_else(usage)?.into(),
            "--port" => port = args.next().and_then(|p| p.parse().ok()).ok_or_else(usage)?,
            _ => return Err(usage()),
        }
    }
    let mut server = Server::bind(
        ("127.0.0.1", port),
        Routes {
            directory: directory.clone(),
        },
    )?;
    eprintln!(
        "http server on {}, files from {}",
        server.local_addr(),
        directory.display()
    );
    // Nothing wakes it: it serves until it is killed (Ctrl-C).
    loop {
        server.run()?;
    }
}
