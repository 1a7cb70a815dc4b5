//! The instructor's room: what a teacher runs for a class. `grade` scores every kata
//! for CI (one module per report format, suites from a pristine copy, flags on code
//! that reaches for the harness), `class` grades a folder of student clones at once
//! into a class table, and `export` writes the class's repository. It stands on the
//! engine and the learner's room.

pub mod class;
pub mod export;
pub mod grade;
