//! Reference solution of the udp_chat kata (UDP、广播与聊天室).

/// Twice `x`, as an `i64` so that no `i32` can overflow it.
pub fn double(x: i32) -> i64 {
    i64::from(x) * 2
}
