//! The maintainers' room: the commands that keep the katas worth trusting. `verify`
//! (the gate: references pass, stubs fail, every mutant is rejected, the layout holds),
//! `mutants`, `new` (a kata's scaffold) and `bench`. It stands on every room below it.

pub mod bench;
pub mod layout;
pub mod mutants;
pub mod scaffold;
pub mod verify;
