//! Recursion kata (递归): Hanoi, permutations, Fibonacci three ways, factorial, strings,
//! and a walk over a directory tree.
//!
//! Read the kata's `README.md` (`README.zh.md` in Chinese), one folder up, for the
//! task, then replace each `todo!()` with your code. Check your work with `cargo xtask
//! check recursion`.
//!
//! Write every function recursively (a function that calls itself), except the ones
//! named `_iterative`, which use a loop. (The suite can tell only where the recursion
//! goes deep: `strlen`, `reverse` and `list_files`; see the README.) The types at the top (`Peg`, the errors and
//! `Depth`) are given: the tests build and compare them, so their shape is fixed. You
//! may add private helper functions (most recursions here want one).

use std::cell::Cell;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------
// Given types: use them, do not change them.
// ---------------------------------------------------------------------------------

/// One of the three pegs (柱子) of the Tower of Hanoi.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Peg {
    A,
    B,
    C,
}

impl Peg {
    /// The three pegs, in order.
    pub const ALL: [Peg; 3] = [Peg::A, Peg::B, Peg::C];
}

impl fmt::Display for Peg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Peg::A => "A",
            Peg::B => "B",
            Peg::C => "C",
        };
        f.write_str(name)
    }
}

/// One move of the Tower of Hanoi: the top disk of the first peg goes onto the second.
pub type Move = (Peg, Peg);

/// The most disks `hanoi` accepts: 2^20 − 1 = 1,048,575 moves.
pub const MAX_DISKS: u32 = 20;

/// Why `hanoi` refused to solve a puzzle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HanoiError {
    /// More than `MAX_DISKS` disks: the list of moves would be too long to hold.
    TooManyDisks { disks: u32 },
    /// The source and the target are the same peg.
    SamePeg { peg: Peg },
}

impl fmt::Display for HanoiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HanoiError::TooManyDisks { disks } => write!(
                f,
                "cannot solve Hanoi for {disks} disks: at most {MAX_DISKS} are allowed \
                 ({} moves)",
                (1u64 << MAX_DISKS) - 1
            ),
            HanoiError::SamePeg { peg } => write!(
                f,
                "cannot move disks from peg {peg} to peg {peg}: the two pegs must differ"
            ),
        }
    }
}

impl std::error::Error for HanoiError {}

/// The most items `permutations` accepts: 8! = 40,320 orderings.
pub const MAX_PERMUTATION_ITEMS: usize = 8;

/// `permutations` was given more than `MAX_PERMUTATION_ITEMS` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooManyItems {
    pub items: usize,
}

impl fmt::Display for TooManyItems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot list the permutations of {} items: at most {MAX_PERMUTATION_ITEMS} are \
             allowed",
            self.items
        )
    }
}

impl std::error::Error for TooManyItems {}

/// `list_files` could not read a directory (or the root is not a directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    /// The path that could not be read.
    pub path: PathBuf,
    /// What went wrong, as `std::io` reports it.
    pub kind: io::ErrorKind,
}

impl WalkError {
    /// Wraps an `io::Error` met while reading `path`.
    pub fn new(path: &Path, error: &io::Error) -> Self {
        WalkError {
            path: path.to_path_buf(),
            kind: error.kind(),
        }
    }
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.kind)
    }
}

impl std::error::Error for WalkError {}

/// Measures how deep a recursion goes (递归深度).
///
/// Call [`Depth::enter`] at the top of every recursive call and keep the guard it
/// returns alive until the call returns: `let _level = depth.enter();`. The deepest
/// level reached is then [`Depth::deepest`].
#[derive(Debug, Default)]
pub struct Depth {
    current: Cell<usize>,
    deepest: Cell<usize>,
}

impl Depth {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks the start of one call. The call ends when the returned guard is dropped.
    #[must_use = "bind the guard to a name (`let _level = ...`) so it lives until the call returns"]
    pub fn enter(&self) -> DepthGuard<'_> {
        let level = self.current.get() + 1;
        self.current.set(level);
        self.deepest.set(self.deepest.get().max(level));
        DepthGuard { depth: self }
    }

    /// The most calls that were ever running at once.
    pub fn deepest(&self) -> usize {
        self.deepest.get()
    }
}

/// Returned by [`Depth::enter`]; leaves the level when dropped.
#[derive(Debug)]
pub struct DepthGuard<'a> {
    depth: &'a Depth,
}

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.depth.current.set(self.depth.current.get() - 1);
    }
}

// ---------------------------------------------------------------------------------
// Tower of Hanoi (汉诺塔)
// ---------------------------------------------------------------------------------

/// The moves that carry `disks` disks from peg `from` to peg `to`, one disk at a time,
/// never putting a larger disk on a smaller one, in the fewest moves (2^disks − 1).
/// The third peg is the spare.
///
/// Errors: `HanoiError::SamePeg` when `from == to` (checked first), and
/// `HanoiError::TooManyDisks` when `disks > MAX_DISKS`.
pub fn hanoi(disks: u32, from: Peg, to: Peg) -> Result<Vec<Move>, HanoiError> {
    todo!("move {disks} disks from peg {from} to peg {to}")
}

// ---------------------------------------------------------------------------------
// Permutations (全排列)
// ---------------------------------------------------------------------------------

/// Every distinct ordering of `items`, each exactly once, in lexicographic order
/// (whatever order `items` come in).
///
/// Equal items are interchangeable, so `[a, a, b]` has 3 orderings, not 6. The empty
/// slice has one ordering, the empty one. Error: more than `MAX_PERMUTATION_ITEMS`
/// items.
pub fn permutations<T: Ord + Clone>(items: &[T]) -> Result<Vec<Vec<T>>, TooManyItems> {
    todo!("list the orderings of {} items", items.len())
}

// ---------------------------------------------------------------------------------
// Fibonacci (斐波那契数列), three ways
// ---------------------------------------------------------------------------------

/// The n-th Fibonacci number (fib(0) = 0, fib(1) = 1), by the plain recursion
/// fib(n) = fib(n − 1) + fib(n − 2), no memo. `None` when the answer does not fit in a
/// `u64`: that is every n > 93, and you must return `None` for those before
/// recursing (the plain recursion would take years to find out).
pub fn fib_naive(n: u32) -> Option<u64> {
    todo!("fib_naive({n})")
}

/// The n-th Fibonacci number by recursion with a memo table (记忆化), and the number
/// of times your recursive function was entered (the first call included). Each value
/// is computed once, so the count grows linearly: at most 2·n + 1. `None` when the
/// answer does not fit in a `u64` (n > 93; say so before allocating a memo of n
/// entries).
pub fn fib_memo(n: u32) -> (Option<u64>, usize) {
    todo!("fib_memo({n}), counting the calls")
}

/// The n-th Fibonacci number by a loop. `None` when it does not fit in a `u64`,
/// never a wrapped-around number.
pub fn fib_iterative(n: u32) -> Option<u64> {
    todo!("fib_iterative({n})")
}

// ---------------------------------------------------------------------------------
// Factorial (阶乘), digits, strings
// ---------------------------------------------------------------------------------

/// n! = n · (n − 1) · … · 1, with 0! = 1, recursively. `None` when it does not fit in
/// a `u64` (n > 20), never a wrapped-around number; a huge n must not recurse n
/// levels deep.
pub fn factorial(n: u32) -> Option<u64> {
    todo!("factorial({n})")
}

/// The sum of the decimal digits of `n` (数位之和), recursively: 1234 gives 10.
pub fn digit_sum(n: u64) -> u32 {
    todo!("digit_sum({n})")
}

/// `s` with its characters (not bytes) in reverse order (反转字符串), recursively.
/// "你好" gives "好你".
pub fn reverse(s: &str) -> String {
    todo!("reverse({s:?})")
}

/// The number of characters (not bytes) in `s`, recursively (案例4, strlen): one
/// level of recursion per character. Start every call with
/// `let _level = depth.enter();` and pass `depth` down, so the tests can see how deep
/// the recursion went.
pub fn strlen(s: &str, depth: &Depth) -> usize {
    todo!("strlen({s:?}), at depth {}", depth.deepest())
}

/// The number of characters in `s`, by a loop: it must cope with a string of a
/// million characters, which would overflow the call stack of `strlen`.
pub fn strlen_iterative(s: &str) -> usize {
    todo!("strlen_iterative of {} bytes", s.len())
}

// ---------------------------------------------------------------------------------
// Walking a directory tree (遍历查找非文件夹的文件)
// ---------------------------------------------------------------------------------

/// Every entry under `root`, at any depth, that is not a directory, as `root` joined
/// with its relative path, sorted (as `Vec<PathBuf>::sort` sorts: component by
/// component). Symbolic links are listed, never followed.
///
/// Errors: `root`, or a directory below it, cannot be read, or `root` is not a
/// directory. The error names the path that failed, with the `io::ErrorKind` that
/// `std::fs` reported. Never panic.
pub fn list_files(root: &Path) -> Result<Vec<PathBuf>, WalkError> {
    todo!("list the files under {}", root.display())
}
