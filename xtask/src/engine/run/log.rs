//! libtest's log files: the run's own folder for them, and reading what they say; the
//! section of a batch's output that explains one failed test.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The captured output libtest printed for failed test `name` at the end of a batch
/// (`---- name stdout ----` up to the next section or the closing list), shaped as a
/// run of that test alone would print it; `None` if it is not there whole.
pub(super) fn failure_section(output: &str, name: &str) -> Option<String> {
    let header = format!("\n---- {name} stdout ----\n");
    let start = output.find(&header)? + 1;
    let body_start = start + header.len() - 1;
    let rest = &output[body_start..];
    // The next section, or the list of failures that closes them.
    let end = rest
        .match_indices("\n---- ")
        .find(|(i, _)| {
            rest[*i + 6..]
                .lines()
                .next()
                .is_some_and(|l| l.ends_with(" stdout ----"))
        })
        .map(|(i, _)| i)
        .or_else(|| rest.find("\nfailures:\n"))?;
    let section = &output[start..body_start + end];
    if section.contains(" of output cut here …]") {
        return None;
    }
    Some(format!("{section}\n\nfailures:\n    {name}\n"))
}

/// The log's entries: (`ok`, test name). libtest writes one line per test that ended:
/// `ok <name>`, `failed <name>`, `ignored <name>`, `failed: <message> <name>`. Names
/// have no spaces, so the name is the line's last word.
pub(super) fn read_log(log: &Path) -> Vec<(bool, String)> {
    let Ok(text) = std::fs::read_to_string(log) else {
        return Vec::new();
    };
    // A line still being written has no newline yet.
    let complete = text.rfind('\n').map_or("", |end| &text[..end]);
    complete
        .lines()
        .filter_map(|line| {
            let name = line.rsplit(' ').next()?;
            Some((line == format!("ok {name}"), name.to_string()))
        })
        .collect()
}

/// The runner's own folder for libtest's logs, removed when the run ends. Each log's
/// name holds a fresh random part, so learner code cannot guess where it is.
pub(super) struct LogDir {
    pub(super) dir: PathBuf,
    next: std::cell::Cell<u64>,
    token: u64,
}

impl LogDir {
    pub(super) fn create(scratch: &Path) -> Result<LogDir> {
        let token = random_token();
        let dir = scratch.join(format!("logs-{}-{token:016x}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(LogDir {
            dir,
            next: std::cell::Cell::new(0),
            token,
        })
    }

    pub(super) fn fresh(&self) -> Result<PathBuf> {
        let n = self.next.get();
        self.next.set(n + 1);
        Ok(self
            .dir
            .join(format!("{:016x}-{n}.log", self.token.rotate_left(n as u32))))
    }
}

impl Drop for LogDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// 64 unpredictable bits from the standard library's randomly keyed hasher.
fn random_token() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}
