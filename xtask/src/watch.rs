//! `cargo xtask watch`: re-check on save.

use anyhow::{Result, bail};

use crate::repo::Repo;
use crate::style::Style;

pub fn watch(repo: &Repo, kata: Option<&str>, style: Style) -> Result<bool> {
    let _ = (repo, kata, style);
    bail!("watch is not written yet")
}
