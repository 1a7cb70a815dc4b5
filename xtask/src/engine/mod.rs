//! The engine: what every command stands on, and no command of its own. It finds the
//! repository and its katas, builds a crate's tests, runs them (each kept in its own
//! process group with a deadline), and explains what failed; it reads Rust source,
//! speaks the learner's language and colours the terminal. It serves the three rooms
//! above it (the learner's, the class's and the maintainers') and uses none of them.

pub mod compile;
pub mod diagnose;
pub mod lang;
pub mod patches;
pub mod repo;
pub mod run;
pub mod scratch;
pub mod source;
pub mod style;
pub mod suite;
