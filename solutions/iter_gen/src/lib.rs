//! Reference solution of the iter_gen kata (迭代器与生成器).

/// Twice `x`, as an `i64` so that no `i32` can overflow it.
pub fn double(x: i32) -> i64 {
    i64::from(x) * 2
}
