//! MUTANT: list_files checks root.is_dir() first and reports NotFound for a root that is a file, not the NotADirectory that read_dir gives
//! Reference solution of the recursion kata (递归).
//!
//! Every function here is written recursively, the way the course writes it, except
//! the ones named `_iterative`, which show the loop that replaces the recursion when the
//! input is too deep for the call stack. The types at the top (`Peg`, the errors and
//! `Depth`) are the same in the learner's crate.

use std::cell::Cell;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------
// Types shared with the learner's crate (given there, not to be written).
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

/// The moves that carry `disks` disks from peg `from` to peg `to`, never putting a
/// larger disk on a smaller one: 2^disks − 1 moves, the shortest solution.
pub fn hanoi(disks: u32, from: Peg, to: Peg) -> Result<Vec<Move>, HanoiError> {
    if from == to {
        return Err(HanoiError::SamePeg { peg: from });
    }
    if disks > MAX_DISKS {
        return Err(HanoiError::TooManyDisks { disks });
    }
    // The spare peg is the one that is neither the source nor the target.
    let via = Peg::ALL
        .into_iter()
        .find(|&p| p != from && p != to)
        .expect("three pegs, two taken");
    let mut moves = Vec::with_capacity((1usize << disks) - 1);
    hanoi_into(disks, from, via, to, &mut moves);
    Ok(moves)
}

/// Moves `n` disks from `from` to `to` using `via` as the spare.
fn hanoi_into(n: u32, from: Peg, via: Peg, to: Peg, moves: &mut Vec<Move>) {
    if n == 0 {
        return;
    }
    // Park the n − 1 smaller disks on the spare peg, move the largest disk, then
    // bring the smaller ones back on top of it.
    hanoi_into(n - 1, from, to, via, moves);
    moves.push((from, to));
    hanoi_into(n - 1, via, from, to, moves);
}

// ---------------------------------------------------------------------------------
// Permutations (全排列)
// ---------------------------------------------------------------------------------

/// Every distinct ordering of `items`, each exactly once, in lexicographic order.
///
/// Equal items are interchangeable, so `[a, a, b]` has 3 orderings, not 6. The empty
/// slice has one ordering, the empty one.
pub fn permutations<T: Ord + Clone>(items: &[T]) -> Result<Vec<Vec<T>>, TooManyItems> {
    if items.len() > MAX_PERMUTATION_ITEMS {
        return Err(TooManyItems { items: items.len() });
    }
    // Sorting first makes the choices below come out in lexicographic order, and puts
    // equal items next to each other so that duplicates are easy to skip.
    let mut remaining = items.to_vec();
    remaining.sort();
    let mut prefix = Vec::with_capacity(items.len());
    let mut out = Vec::new();
    permute(&mut remaining, &mut prefix, &mut out);
    Ok(out)
}

/// Extends `prefix` with every ordering of `remaining` (sorted), appending to `out`.
fn permute<T: Ord + Clone>(remaining: &mut Vec<T>, prefix: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
    if remaining.is_empty() {
        out.push(prefix.clone());
        return;
    }
    for i in 0..remaining.len() {
        // Choosing the second of two equal items would repeat every ordering that
        // choosing the first already produced.
        if i > 0 && remaining[i] == remaining[i - 1] {
            continue;
        }
        let chosen = remaining.remove(i);
        prefix.push(chosen);
        permute(remaining, prefix, out);
        let chosen = prefix.pop().expect("pushed above");
        // Put it back where it was, so `remaining` stays sorted for the next choice.
        remaining.insert(i, chosen);
    }
}

// ---------------------------------------------------------------------------------
// Fibonacci (斐波那契数列), three ways
// ---------------------------------------------------------------------------------

/// The largest n whose Fibonacci number fits in a `u64`.
const FIB_MAX_N: u32 = 93;

/// The n-th Fibonacci number (fib(0) = 0, fib(1) = 1), by the plain recursion
/// fib(n) = fib(n − 1) + fib(n − 2). Exponential: use it for small n only.
/// `None` when the answer does not fit in a `u64` (n > 93), found without recursing.
pub fn fib_naive(n: u32) -> Option<u64> {
    if n > FIB_MAX_N {
        return None;
    }
    match n {
        0 => Some(0),
        1 => Some(1),
        _ => fib_naive(n - 1)?.checked_add(fib_naive(n - 2)?),
    }
}

/// The n-th Fibonacci number by recursion with a memo table (记忆化), and the number
/// of times the recursive function was entered. Each number is computed once, so the
/// count grows linearly with n. `None` for n > 93.
pub fn fib_memo(n: u32) -> (Option<u64>, usize) {
    if n > FIB_MAX_N {
        return (None, 0);
    }
    let mut memo = vec![None; n as usize + 1];
    let mut calls = 0;
    let value = fib_memo_rec(n as usize, &mut memo, &mut calls);
    (value, calls)
}

fn fib_memo_rec(n: usize, memo: &mut [Option<u64>], calls: &mut usize) -> Option<u64> {
    *calls += 1;
    if n < 2 {
        return Some(n as u64);
    }
    if let Some(known) = memo[n] {
        return Some(known);
    }
    let value = fib_memo_rec(n - 1, memo, calls)?.checked_add(fib_memo_rec(n - 2, memo, calls)?)?;
    memo[n] = Some(value);
    Some(value)
}

/// The n-th Fibonacci number by a loop. `None` when it does not fit in a `u64`.
pub fn fib_iterative(n: u32) -> Option<u64> {
    // (prev, cur) walks along the sequence as (fib(k - 1), fib(k)), starting at k = 0
    // with fib(-1) = 1 (so that fib(1) = fib(-1) + fib(0) = 1). Each step computes
    // only the number it will return, so overflow shows up exactly when the answer
    // does not fit, and `?` stops the loop there.
    let (mut prev, mut cur) = (1u64, 0u64);
    for _ in 0..n {
        (prev, cur) = (cur, prev.checked_add(cur)?);
    }
    Some(cur)
}

// ---------------------------------------------------------------------------------
// Factorial (阶乘), digits, strings
// ---------------------------------------------------------------------------------

/// n! = n · (n − 1) · … · 1, with 0! = 1. `None` when it does not fit in a `u64`
/// (n > 20), found without recursing n levels deep.
pub fn factorial(n: u32) -> Option<u64> {
    // 21! already overflows, so a larger n needs no recursion (and must not get one:
    // factorial(u32::MAX) would go four billion calls deep).
    if n > 20 {
        return None;
    }
    if n == 0 {
        return Some(1);
    }
    factorial(n - 1)?.checked_mul(u64::from(n))
}

/// The sum of the decimal digits of `n` (数位之和): 1234 gives 10.
pub fn digit_sum(n: u64) -> u32 {
    if n < 10 {
        return n as u32;
    }
    (n % 10) as u32 + digit_sum(n / 10)
}

/// `s` with its characters (not bytes) in reverse order (反转字符串), recursively:
/// the reverse of the rest, followed by the first character.
pub fn reverse(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let mut reversed = reverse(chars.as_str());
            reversed.push(first);
            reversed
        }
    }
}

/// The number of characters (not bytes) in `s`, recursively (案例4, strlen): one for
/// the first character plus the length of the rest. Enters `depth` once per call.
pub fn strlen(s: &str, depth: &Depth) -> usize {
    let _level = depth.enter();
    let mut chars = s.chars();
    match chars.next() {
        None => 0,
        Some(_) => 1 + strlen(chars.as_str(), depth),
    }
}

/// The number of characters in `s`, by a loop: no call stack to overflow, so it copes
/// with strings of millions of characters.
pub fn strlen_iterative(s: &str) -> usize {
    let mut count = 0;
    for _ in s.chars() {
        count += 1;
    }
    count
}

// ---------------------------------------------------------------------------------
// Walking a directory tree (遍历查找非文件夹的文件)
// ---------------------------------------------------------------------------------

/// Every entry under `root` (at any depth) that is not a directory, as `root` joined
/// with its relative path, sorted. Symbolic links are listed, never followed.
///
/// Errors: `root` (or a directory below it) cannot be read, or `root` is not a
/// directory. The error names the path that failed.
pub fn list_files(root: &Path) -> Result<Vec<PathBuf>, WalkError> {
    if !root.is_dir() {
        return Err(WalkError {
            path: root.to_path_buf(),
            kind: io::ErrorKind::NotFound,
        });
    }
    let mut files = Vec::new();
    walk(root, &mut files)?;
    // `PathBuf` orders component by component, so this is the order of a tree
    // listing: `a/z.txt` comes before `b.txt`.
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), WalkError> {
    let entries = std::fs::read_dir(dir).map_err(|e| WalkError::new(dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| WalkError::new(dir, &e))?;
        let path = entry.path();
        // `DirEntry::file_type` does not follow symbolic links (`Path::is_dir` does):
        // a link to a directory is listed like a file, so a link that points back up
        // the tree cannot send the walk round in circles.
        let file_type = entry.file_type().map_err(|e| WalkError::new(&path, &e))?;
        if file_type.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
