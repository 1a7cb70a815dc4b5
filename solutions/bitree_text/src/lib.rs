//! Reference solution of the bitree_text kata (二叉树的嵌套列表表示).

/// Twice `x`, as an `i64` so that no `i32` can overflow it.
pub fn double(x: i32) -> i64 {
    i64::from(x) * 2
}
