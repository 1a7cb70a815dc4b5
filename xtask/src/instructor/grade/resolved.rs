//! What a learner's library reaches for, as the compiler resolves it: the second pass
//! of `grade`'s flags, after the token scan of `flags.rs`.
//!
//! The token scan reads what is written, so `use std as s;` and then `s::fs::write`, or
//! a `pub use std::fs as files;` in one module and `crate::files::write` in another,
//! pass it by. The compiler sees through both. So `grade` runs clippy on the library
//! with a configuration the runner writes (`CLIPPY_CONF_DIR`): its `disallowed-methods`,
//! `disallowed-types` and `disallowed-macros` name the standard library's ways out of
//! computing (the command line and environment, files, processes, sockets, raw file
//! descriptors, `include_str!`), less what the kata's `uses` declares (never `env`).
//! The three lints are forced on (`--force-warn`: an `#[allow]` in the source cannot
//! turn them off) and every other lint off, and what they report in the library is
//! read from cargo's JSON. `#[cfg(clippy)]` would hide code from this pass: the token
//! scan flags any `clippy` used as a condition.
//!
//! Only a kata with passing tests whose source the token scan found clean is checked
//! this way: a flagged kata is withheld already, and one with no passing test has no
//! points to withhold. Its cost, about a second a kata, is measured in GRADING.md.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::flags::declared;
use super::results::Reach;
use crate::engine::compile::{cargo, target_dir};
use crate::engine::repo::Kata;

/// What each kind of reach is, as paths clippy resolves: (kind, lint table, paths).
/// Kinds as in `source.rs`; `env` is never declarable.
const DISALLOWED: &[(&str, Table, &[&str])] = &[
    (
        "env",
        Table::Methods,
        &[
            "std::env::args",
            "std::env::args_os",
            "std::env::var",
            "std::env::var_os",
            "std::env::vars",
            "std::env::vars_os",
            "std::env::current_dir",
            "std::env::set_current_dir",
            "std::env::current_exe",
            "std::env::temp_dir",
            "std::env::home_dir",
            "std::env::set_var",
            "std::env::remove_var",
        ],
    ),
    ("env", Table::Macros, &["core::env", "core::option_env"]),
    (
        "fs",
        Table::Methods,
        &[
            "std::fs::read",
            "std::fs::read_to_string",
            "std::fs::read_dir",
            "std::fs::write",
            "std::fs::copy",
            "std::fs::rename",
            "std::fs::remove_file",
            "std::fs::remove_dir",
            "std::fs::remove_dir_all",
            "std::fs::create_dir",
            "std::fs::create_dir_all",
            "std::fs::hard_link",
            "std::fs::set_permissions",
            "std::os::unix::fs::symlink",
        ],
    ),
    (
        "fs",
        Table::Types,
        &[
            "std::fs::File",
            "std::fs::OpenOptions",
            "std::fs::DirBuilder",
        ],
    ),
    (
        "process",
        Table::Methods,
        &[
            "std::process::exit",
            "std::process::abort",
            "std::process::id",
        ],
    ),
    (
        "process",
        Table::Types,
        &["std::process::Command", "std::process::Child"],
    ),
    (
        "net",
        Table::Types,
        &[
            "std::net::TcpStream",
            "std::net::TcpListener",
            "std::net::UdpSocket",
        ],
    ),
    (
        "os",
        Table::Methods,
        &[
            "std::os::fd::FromRawFd::from_raw_fd",
            "std::os::fd::BorrowedFd::borrow_raw",
        ],
    ),
    (
        "os",
        Table::Types,
        &[
            "std::os::fd::OwnedFd",
            "std::os::unix::net::UnixStream",
            "std::os::unix::net::UnixListener",
            "std::os::unix::net::UnixDatagram",
        ],
    ),
    (
        "include",
        Table::Macros,
        &["core::include", "core::include_str", "core::include_bytes"],
    ),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Methods,
    Types,
    Macros,
}

impl Table {
    fn key(self) -> &'static str {
        match self {
            Table::Methods => "disallowed-methods",
            Table::Types => "disallowed-types",
            Table::Macros => "disallowed-macros",
        }
    }
}

const LINTS: [&str; 3] = [
    "clippy::disallowed_methods",
    "clippy::disallowed_types",
    "clippy::disallowed_macros",
];
/// Each path's `reason`, which clippy repeats in a note: how the kind is read back.
const REASON: &str = "xtask-reach:";

/// The configuration for a kata: every path of [`DISALLOWED`] whose kind it does not
/// declare.
fn configuration(kata: &Kata) -> String {
    let mut text =
        String::from("# Written by `cargo xtask grade`: what a kata's code may not reach for.\n");
    for table in [Table::Methods, Table::Types, Table::Macros] {
        let _ = writeln!(text, "{} = [", table.key());
        for (kind, _, paths) in DISALLOWED
            .iter()
            .filter(|(kind, t, _)| *t == table && !declared(kata, kind))
        {
            for path in *paths {
                let _ = writeln!(
                    text,
                    "  {{ path = \"{path}\", reason = \"{REASON}{kind}\" }},"
                );
            }
        }
        text.push_str("]\n");
    }
    text
}

/// Where `kata`'s library, cargo's `package` in the workspace of `manifest` (the
/// learner's crate, the student's copy of it, or a scratch crate), reaches beyond what
/// the kata declares, as clippy resolves it, built in `target_root`'s target folder.
/// `Err` when clippy could not check it (not installed).
pub(super) fn reaches(
    package: &str,
    manifest: &Path,
    kata: &Kata,
    target_root: &Path,
) -> Result<Vec<Reach>, String> {
    let text = configuration(kata);
    // One folder per configuration: kata with the same `uses` share it, and cargo
    // sees the file unchanged from run to run.
    let dir = target_dir(target_root)
        .join("xtask")
        .join("clippy")
        .join(format!("{:016x}", fnv1a(text.as_bytes())));
    fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let file = dir.join("clippy.toml");
    if fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
        fs::write(&file, &text).map_err(|e| format!("writing {}: {e}", file.display()))?;
    }
    let mut cmd = Command::new(cargo());
    cmd.args(["clippy", "--message-format=json", "--lib"])
        .args(["--package", package])
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target_dir(target_root))
        .env("CLIPPY_CONF_DIR", &dir)
        .args(["--", "-A", "warnings", "-A", "clippy::all"]);
    for lint in LINTS {
        cmd.args(["--force-warn", lint]);
    }
    crate::engine::run::strip_ci_env(&mut cmd);
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("running cargo clippy: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let found = read_messages(&stdout, &kata.exercise_dir(), &kata.root);
    if !output.status.success() && found.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("cargo clippy failed")
            .trim()
            .to_string();
        return Err(why);
    }
    Ok(found)
}

/// The disallowed-lint messages of cargo's JSON whose place is in `crate_dir`, as
/// reaches with paths from `root`.
fn read_messages(json: &str, crate_dir: &Path, root: &Path) -> Vec<Reach> {
    let mut found: Vec<Reach> = Vec::new();
    for message in json
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message")
        .map(|m| m["message"].clone())
    {
        let Some(code) = message["code"]["code"].as_str() else {
            continue;
        };
        if !LINTS.contains(&code) {
            continue;
        }
        let Some(span) = message["spans"]
            .as_array()
            .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
        else {
            continue;
        };
        let file = PathBuf::from(span["file_name"].as_str().unwrap_or(""));
        let file = if file.is_absolute() {
            file
        } else {
            root.join(file)
        };
        if !file.starts_with(crate_dir) {
            continue;
        }
        let kind = message["children"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|c| {
                c["message"]
                    .as_str()?
                    .strip_prefix(REASON)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "unknown".to_string());
        let text = message["message"].as_str().unwrap_or("");
        let path = text.split('`').nth(1).unwrap_or(text);
        let reach = Reach {
            kind,
            what: format!("{path} (as the compiler resolves it)"),
            at: format!(
                "{}:{}",
                file.strip_prefix(root).unwrap_or(&file).display(),
                span["line_start"].as_u64().unwrap_or(0)
            ),
        };
        if !found
            .iter()
            .any(|r| r.what == reach.what && r.at == reach.at)
        {
            found.push(reach);
        }
    }
    found
}

/// FNV-1a: a stable name for a configuration's folder (std's hasher is randomly
/// keyed).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
