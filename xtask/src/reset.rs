//! `cargo xtask reset <kata>`: restore the stub.

use anyhow::{Result, bail};

use crate::repo::Repo;

pub fn reset(repo: &Repo, kata: &str, yes: bool) -> Result<bool> {
    let _ = (repo, kata, yes);
    bail!("reset is not written yet")
}
