//! Reference solution of the http_server kata (HTTP 协议与 HTTPServer v2.0).

/// Twice `x`, as an `i64` so that no `i32` can overflow it.
pub fn double(x: i32) -> i64 {
    i64::from(x) * 2
}
