//! bitree_text kata (二叉树的嵌套列表表示): binary tree as nested-list text.
//!
//! Read `README.md` beside this file for the task, then replace each `todo!()` with
//! your code. Check your work with `cargo xtask check bitree_text`.

/// Twice `x`, as an `i64` so that no `i32` can overflow it.
///
/// (The scaffold's placeholder: replace it with the kata's real API.)
pub fn double(x: i32) -> i64 {
    todo!("double {x}")
}
