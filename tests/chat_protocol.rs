//! The suite of the chat_protocol kata (聊天室协议), growing.

use chat_protocol::*;

#[test]
fn login_round_trip() {
    let request = Request::parse("L 小明").expect("`L 小明` is a valid login");
    assert_eq!(request.render(), "L 小明");
}
