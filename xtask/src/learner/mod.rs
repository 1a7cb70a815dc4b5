//! The learner's room: the commands a learner works a kata with (`check`, `list`,
//! `hint`, `watch`, `reset`, `tests`: the learner's own tests) and what they need, the report a check prints, the order
//! it shows failures in, the progress file and the hints read from a kata's README.
//! It stands on the engine; the class's and the maintainers' rooms build on it.

pub mod check;
pub mod hints;
pub mod list;
pub mod order;
pub mod progress;
pub mod report;
pub mod reset;
pub mod tests;
pub mod watch;
