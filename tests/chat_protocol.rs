//! The suite of the chat_protocol kata (聊天室协议). It grades both
//! `exercises/chat_protocol` (your code) and `solutions/chat_protocol` (the reference):
//! both crates name this file as their test.
//!
//! Every module is one line of `exercises/chat_protocol/README.md`, "What the tests
//! check", and every table below comes from the README's section "The protocol".

#[macro_use]
#[path = "support/lang.rs"]
mod lang;

use std::fmt::Debug;

use chat_protocol::*;
use proptest::prelude::*;
use quickcheck_macros::quickcheck;
use rstest::rstest;

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// A name the test knows to be valid.
fn name(s: &str) -> Name {
    Name::new(s).unwrap_or_else(|e| {
        panic!(
            "{}",
            say!(
                "Name::new({s:?}) refused a valid name: {e}",
                "Name::new({s:?}) 拒绝了一个合法的名字：{e}"
            )
        )
    })
}

/// A text the test knows to be valid.
fn text(s: &str) -> Text {
    Text::new(s).unwrap_or_else(|e| {
        panic!(
            "{}",
            say!(
                "Text::new({s:?}) refused a valid text: {e}",
                "Text::new({s:?}) 拒绝了一段合法的文本：{e}"
            )
        )
    })
}

/// `n` copies of `s`.
fn times(s: &str, n: usize) -> String {
    s.repeat(n)
}

/// What the spec allows as a name, written out rule by rule.
fn name_rules(s: &str) -> Result<(), NameError> {
    if s.is_empty() {
        return Err(NameError::Empty);
    }
    if s.len() > MAX_NAME {
        return Err(NameError::TooLong { len: s.len() });
    }
    for (at, c) in s.char_indices() {
        if c.is_whitespace() {
            return Err(NameError::Whitespace { at });
        }
        if c.is_control() {
            return Err(NameError::Control { at });
        }
    }
    Ok(())
}

/// What the spec allows as a text.
fn text_rules(s: &str) -> Result<(), TextError> {
    if s.is_empty() {
        return Err(TextError::Empty);
    }
    match s.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, _)) => Err(TextError::Control { at }),
        None => Ok(()),
    }
}

/// Both message types, so that one set of generic checks serves both directions.
trait Message: Sized + Clone + PartialEq + Debug {
    const KIND: &'static str;
    fn parse(line: &str) -> Result<Self, ParseError>;
    fn render(&self) -> String;
    fn encode(&self) -> Vec<u8>;
}

impl Message for Request {
    const KIND: &'static str = "Request";
    fn parse(line: &str) -> Result<Self, ParseError> {
        Request::parse(line)
    }
    fn render(&self) -> String {
        Request::render(self)
    }
    fn encode(&self) -> Vec<u8> {
        Request::encode(self)
    }
}

impl Message for ServerMessage {
    const KIND: &'static str = "ServerMessage";
    fn parse(line: &str) -> Result<Self, ParseError> {
        ServerMessage::parse(line)
    }
    fn render(&self) -> String {
        ServerMessage::render(self)
    }
    fn encode(&self) -> Vec<u8> {
        ServerMessage::encode(self)
    }
}

#[track_caller]
fn check_parses<M: Message>(line: &str, expected: M) {
    match M::parse(line) {
        Ok(got) => assert_eq!(
            got,
            expected,
            "{}",
            say!(
                "{}::parse({line:?}) gave the wrong message",
                "{}::parse({line:?}) 解析出的消息不对",
                M::KIND
            )
        ),
        Err(e) => panic!(
            "{}",
            say!(
                "{}::parse({line:?}) refused a valid line with {e:?} (\"{e}\"); expected {expected:?}",
                "{}::parse({line:?}) 以 {e:?}（“{e}”）拒绝了一行合法的内容；应为 {expected:?}",
                M::KIND
            )
        ),
    }
}

#[track_caller]
fn check_refuses<M: Message>(line: &str, expected: ParseError) {
    match M::parse(line) {
        Ok(got) => panic!(
            "{}",
            say!(
                "{}::parse({line:?}) accepted an invalid line as {got:?}; expected the error {expected:?}",
                "{}::parse({line:?}) 把不合法的一行接受成了 {got:?}；应为错误 {expected:?}",
                M::KIND
            )
        ),
        Err(e) => assert_eq!(
            e,
            expected,
            "{}",
            say!(
                "{}::parse({line:?}) refused the line, but with the wrong error (\"{e}\")",
                "{}::parse({line:?}) 拒绝了这一行，但错误不对（“{e}”）",
                M::KIND
            )
        ),
    }
}

#[track_caller]
fn check_renders<M: Message>(message: M, expected: &str) {
    assert_eq!(
        message.render(),
        expected,
        "{}",
        say!(
            "{message:?}.render() is not the line the spec gives",
            "{message:?}.render() 不是协议规定的那一行"
        )
    );
}

/// `parse(render(m)) == m`, with messages that say what went wrong.
fn check_round_trip<M: Message>(message: &M) -> Result<(), TestCaseError> {
    let line = message.render();
    prop_assert!(
        !line.contains('\n'),
        "{}",
        say!(
            "{message:?}.render() = {line:?} holds a \\n (render gives the line without it)",
            "{message:?}.render() = {line:?} 含有 \\n（render 给出的行不带换行符）"
        )
    );
    match M::parse(&line) {
        Ok(back) => prop_assert_eq!(
            &back,
            message,
            "{}",
            say!(
                "parse(render(m)) is not m: render gave {:?}",
                "parse(render(m)) 不等于 m：render 给出的是 {:?}",
                line
            )
        ),
        Err(e) => prop_assert!(
            false,
            "{}",
            say!(
                "{}::parse refused {:?}, the rendering of {:?}: {:?} (\"{}\")",
                "{}::parse 拒绝了 {:?}（即 {:?} 的 render 结果）：{:?}（“{}”）",
                M::KIND,
                line,
                message,
                e,
                e
            )
        ),
    }
    Ok(())
}

/// A line `parse` accepts must be the canonical rendering of what it parsed to:
/// nothing in a valid line is ignored or normalised away.
fn check_accepted_renders_back<M: Message>(line: &str) -> Result<(), TestCaseError> {
    if let Ok(message) = M::parse(line) {
        prop_assert_eq!(
            message.render(),
            line,
            "{}",
            say!(
                "{}::parse({:?}) accepted the line as {:?}, which renders differently",
                "{}::parse({:?}) 把这一行接受为 {:?}，但它 render 出来不一样",
                M::KIND,
                line,
                message
            )
        );
    }
    Ok(())
}

/// A refusal's text is sent in an `ERR` line: it must be a valid text, and the line
/// must fit in `MAX_LINE`.
fn check_fits_in_err_line(error: &dyn std::fmt::Display, what: &str) -> Result<(), TestCaseError> {
    let shown = error.to_string();
    match Text::new(shown.clone()) {
        Ok(reason) => {
            let line = ServerMessage::Err(reason).render();
            prop_assert!(
                line.len() <= MAX_LINE,
                "{}",
                say!(
                    "the ERR line for {} is {} bytes, more than MAX_LINE",
                    "{} 的 ERR 行有 {} 字节，超过了 MAX_LINE",
                    what,
                    line.len()
                )
            );
        }
        Err(e) => prop_assert!(
            false,
            "{}",
            say!(
                "the error text {:?} of {} is not a valid Text ({}), so no ERR line can carry it",
                "{1} 的错误文本 {0:?} 不是合法的 Text（{2}），所以没有 ERR 行能带上它",
                shown,
                what,
                e
            )
        ),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------

/// One character a name may hold: ASCII, CJK, other multi-byte, anything allowed.
fn name_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::char::range('!', '~'),
        3 => proptest::char::range('\u{4e00}', '\u{9fff}'),
        1 => prop::sample::select(vec!['é', 'ß', 'Ω', 'ж', '😀', '🦀', 'ｱ', '·']),
        1 => any::<char>().prop_filter("a name character", |c| !c.is_whitespace() && !c.is_control()),
    ]
}

/// A valid name: 1 to 32 bytes of name characters (as many as fit).
fn valid_name() -> impl Strategy<Value = Name> {
    prop::collection::vec(name_char(), 1..=33).prop_map(|chars| {
        let mut s = String::new();
        for c in chars {
            if s.len() + c.len_utf8() > MAX_NAME {
                break;
            }
            s.push(c);
        }
        name(&s)
    })
}

/// One character a text may hold: many spaces, ASCII, CJK (with its full-width
/// space), anything not a control character.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => Just(' '),
        4 => proptest::char::range(' ', '~'),
        2 => proptest::char::range('\u{4e00}', '\u{9fff}'),
        1 => prop::sample::select(vec!['\u{3000}', '，', '。', 'é', '😀', '\u{a0}']),
        1 => any::<char>().prop_filter("a text character", |c| !c.is_control()),
    ]
}

/// A valid text, leading and trailing spaces included.
fn valid_text() -> impl Strategy<Value = Text> {
    (
        0..3usize,
        prop::collection::vec(text_char(), 1..60),
        0..3usize,
    )
        .prop_map(|(before, chars, after)| {
            let s = format!(
                "{}{}{}",
                " ".repeat(before),
                chars.into_iter().collect::<String>(),
                " ".repeat(after)
            );
            text(&s)
        })
}

fn any_request() -> impl Strategy<Value = Request> {
    prop_oneof![
        valid_name().prop_map(Request::Login),
        (valid_name(), valid_text()).prop_map(|(name, text)| Request::Chat { name, text }),
        valid_name().prop_map(Request::Quit),
    ]
}

fn any_server_message() -> impl Strategy<Value = ServerMessage> {
    prop_oneof![
        Just(ServerMessage::Ok),
        valid_text().prop_map(ServerMessage::Err),
        (valid_name(), valid_text()).prop_map(|(name, text)| ServerMessage::Msg { name, text }),
        valid_name().prop_map(ServerMessage::Join),
        valid_name().prop_map(ServerMessage::Leave),
        valid_text().prop_map(ServerMessage::Notice),
        Just(ServerMessage::Exit),
    ]
}

/// Strings made of the characters that matter to names and texts: ordinary ones,
/// spaces, tabs, `\r`, control characters, CJK and its full-width space.
fn tricky_string(max_chars: usize) -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('\u{4e00}', '\u{4e20}'),
        2 => Just(' '),
        1 => prop::sample::select(vec!['\t', '\r', '\u{0}', '\u{7f}', '\u{85}', '\u{3000}', '\u{1b}', '\u{a0}']),
        1 => any::<char>(),
    ];
    prop::collection::vec(c, 0..=max_chars).prop_map(|v| v.into_iter().collect())
}

/// Lines that look like messages more often than random strings do: a known or
/// nearly known command, then anything.
fn candidate_line() -> impl Strategy<Value = String> {
    let commands = vec![
        "L", "C", "Q", "OK", "ERR", "MSG", "JOIN", "LEAVE", "NOTICE", "EXIT", "l", "", "X",
    ];
    prop_oneof![
        3 => (prop::sample::select(commands), any::<bool>(), tricky_string(40))
            .prop_map(|(c, space, rest)| format!("{c}{}{rest}", if space { " " } else { "" })),
        1 => tricky_string(40),
        1 => any::<String>(),
        1 => (prop::sample::select(vec!["L ", "C bob ", "ERR ", "NOTICE "]), 1000..1100usize)
            .prop_map(|(c, n)| format!("{c}{}", "é".repeat(n / 2))),
    ]
}

// ---------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------

mod names {
    use super::*;

    #[rstest]
    #[case::ascii("bob")]
    #[case::one_byte("a")]
    #[case::chinese("小明")]
    #[case::digits_and_punctuation("user_01.x-y")]
    #[case::exactly_32_ascii_bytes(&times("a", 32))]
    #[case::ten_cjk_chars_are_30_bytes(&times("明", 10))]
    #[case::sixteen_two_byte_chars(&times("é", 16))]
    #[case::eight_emoji_are_32_bytes(&times("🦀", 8))]
    #[case::mixed("小明_bob")]
    fn valid(#[case] s: &str) {
        match Name::new(s) {
            Ok(n) => assert_eq!(
                n.as_str(),
                s,
                "{}",
                say!(
                    "Name::new({s:?}) changed the name",
                    "Name::new({s:?}) 改动了名字"
                )
            ),
            Err(e) => panic!(
                "{}",
                say!(
                    "Name::new({s:?}) refused a valid name: {e:?} (\"{e}\")",
                    "Name::new({s:?}) 拒绝了一个合法的名字：{e:?}（“{e}”）"
                )
            ),
        }
    }

    #[rstest]
    #[case::empty("", NameError::Empty)]
    #[case::thirty_three_ascii_bytes(&times("a", 33), NameError::TooLong { len: 33 })]
    #[case::eleven_cjk_chars_are_33_bytes(&times("明", 11), NameError::TooLong { len: 33 })]
    #[case::seventeen_two_byte_chars(&times("é", 17), NameError::TooLong { len: 34 })]
    #[case::nine_emoji(&times("🦀", 9), NameError::TooLong { len: 36 })]
    #[case::space("a b", NameError::Whitespace { at: 1 })]
    #[case::leading_space(" bob", NameError::Whitespace { at: 0 })]
    #[case::trailing_space("bob ", NameError::Whitespace { at: 3 })]
    #[case::tab("a\tb", NameError::Whitespace { at: 1 })]
    #[case::carriage_return("bob\r", NameError::Whitespace { at: 3 })]
    #[case::ideographic_space("小\u{3000}明", NameError::Whitespace { at: 3 })]
    #[case::no_break_space("a\u{a0}b", NameError::Whitespace { at: 1 })]
    #[case::nul("a\u{0}", NameError::Control { at: 1 })]
    #[case::delete("明\u{7f}", NameError::Control { at: 3 })]
    #[case::escape("\u{1b}[1m", NameError::Control { at: 0 })]
    // Control characters beyond ASCII: the C1 controls U+0080 to U+009F (two bytes each).
    #[case::c1_control("a\u{80}", NameError::Control { at: 1 })]
    #[case::c1_control_first("\u{90}bob", NameError::Control { at: 0 })]
    #[case::c1_control_after_cjk("小明\u{9f}", NameError::Control { at: 6 })]
    // U+0085 (next line) is a control character and whitespace: whitespace wins.
    #[case::next_line_is_whitespace("a\u{85}b", NameError::Whitespace { at: 1 })]
    #[case::first_problem_reported("a\u{1}b c", NameError::Control { at: 1 })]
    #[case::length_checked_before_characters(&format!("{} b", times("a", 31)), NameError::TooLong { len: 33 })]
    fn refused(#[case] s: &str, #[case] expected: NameError) {
        match Name::new(s) {
            Ok(n) => {
                panic!(
                    "{}",
                    say!(
                        "Name::new({s:?}) accepted an invalid name as {n:?}; expected {expected:?}",
                        "Name::new({s:?}) 把不合法的名字接受成了 {n:?}；应为 {expected:?}"
                    )
                )
            }
            Err(e) => assert_eq!(
                e,
                expected,
                "{}",
                say!(
                    "Name::new({s:?}) refused it with the wrong error",
                    "Name::new({s:?}) 拒绝了它，但错误不对"
                )
            ),
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_rules(s in tricky_string(40)) {
            let expected = name_rules(&s);
            match (Name::new(s.clone()), expected) {
                (Ok(n), Ok(())) => prop_assert_eq!(n.as_str(), s.as_str(), "{}", say!(
                    "Name::new changed the name",
                    "Name::new 改动了名字",
                )),
                (Ok(n), Err(e)) => prop_assert!(false, "{}", say!(
                    "Name::new({:?}) accepted {:?}; expected {:?}",
                    "Name::new({:?}) 接受成了 {:?}；应为 {:?}",
                    s, n, e,
                )),
                (Err(e), Ok(())) => prop_assert!(false, "{}", say!(
                    "Name::new({:?}) refused a valid name: {:?}",
                    "Name::new({:?}) 拒绝了一个合法的名字：{:?}",
                    s, e,
                )),
                (Err(got), Err(e)) => prop_assert_eq!(got, e, "{}", say!(
                    "Name::new({:?}) gave the wrong error",
                    "Name::new({:?}) 给出的错误不对",
                    s,
                )),
            }
        }
    }

    /// The same rules, on quickcheck's arbitrary strings (any character at all).
    #[quickcheck]
    fn law_agrees_on_any_string(s: String) -> bool {
        Name::new(s.clone()).map(|n| n.as_str() == s) == name_rules(&s).map(|()| true)
    }
}

mod texts {
    use super::*;

    #[rstest]
    #[case::word("hi")]
    #[case::spaces_inside("hello, world")]
    #[case::leading_and_trailing_spaces("  hi  ")]
    #[case::one_space(" ")]
    #[case::chinese("你好，世界")]
    #[case::ideographic_space("你好\u{3000}世界")]
    #[case::long(&times("长", 300))]
    #[case::looks_like_a_command("L bob")]
    fn valid(#[case] s: &str) {
        match Text::new(s) {
            Ok(t) => assert_eq!(
                t.as_str(),
                s,
                "{}",
                say!(
                    "Text::new({s:?}) changed the text (trimmed it?)",
                    "Text::new({s:?}) 改动了文本（去掉了首尾空白？）"
                )
            ),
            Err(e) => panic!(
                "{}",
                say!(
                    "Text::new({s:?}) refused a valid text: {e:?} (\"{e}\")",
                    "Text::new({s:?}) 拒绝了一段合法的文本：{e:?}（“{e}”）"
                )
            ),
        }
    }

    #[rstest]
    #[case::empty("", TextError::Empty)]
    #[case::tab("a\tb", TextError::Control { at: 1 })]
    #[case::carriage_return("hi\r", TextError::Control { at: 2 })]
    #[case::newline("a\nb", TextError::Control { at: 1 })]
    #[case::escape_after_cjk("你\u{1b}", TextError::Control { at: 3 })]
    #[case::delete("\u{7f}", TextError::Control { at: 0 })]
    #[case::next_line_control("a\u{85}b", TextError::Control { at: 1 })]
    #[case::c1_control_after_cjk("你好\u{9f}", TextError::Control { at: 6 })]
    fn refused(#[case] s: &str, #[case] expected: TextError) {
        match Text::new(s) {
            Ok(t) => {
                panic!(
                    "{}",
                    say!(
                        "Text::new({s:?}) accepted an invalid text as {t:?}; expected {expected:?}",
                        "Text::new({s:?}) 把不合法的文本接受成了 {t:?}；应为 {expected:?}"
                    )
                )
            }
            Err(e) => assert_eq!(
                e,
                expected,
                "{}",
                say!(
                    "Text::new({s:?}) refused it with the wrong error",
                    "Text::new({s:?}) 拒绝了它，但错误不对"
                )
            ),
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_rules(s in tricky_string(60)) {
            let expected = text_rules(&s);
            match (Text::new(s.clone()), expected) {
                (Ok(t), Ok(())) => prop_assert_eq!(t.as_str(), s.as_str(), "{}", say!(
                    "Text::new changed the text",
                    "Text::new 改动了文本",
                )),
                (Ok(t), Err(e)) => prop_assert!(false, "{}", say!(
                    "Text::new({:?}) accepted {:?}; expected {:?}",
                    "Text::new({:?}) 接受成了 {:?}；应为 {:?}",
                    s, t, e,
                )),
                (Err(e), Ok(())) => prop_assert!(false, "{}", say!(
                    "Text::new({:?}) refused a valid text: {:?}",
                    "Text::new({:?}) 拒绝了一段合法的文本：{:?}",
                    s, e,
                )),
                (Err(got), Err(e)) => prop_assert_eq!(got, e, "{}", say!(
                    "Text::new({:?}) gave the wrong error",
                    "Text::new({:?}) 给出的错误不对",
                    s,
                )),
            }
        }
    }

    #[quickcheck]
    fn law_agrees_on_any_string(s: String) -> bool {
        Text::new(s.clone()).map(|t| t.as_str() == s) == text_rules(&s).map(|()| true)
    }
}

// ---------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------

mod requests {
    use super::*;

    #[rstest]
    #[case::login("L bob", Request::Login(name("bob")))]
    #[case::login_chinese("L 小明", Request::Login(name("小明")))]
    #[case::login_32_bytes(&format!("L {}", times("a", 32)), Request::Login(name(&times("a", 32))))]
    #[case::login_ten_cjk(&format!("L {}", times("明", 10)), Request::Login(name(&times("明", 10))))]
    #[case::chat("C bob hi", Request::Chat { name: name("bob"), text: text("hi") })]
    #[case::chat_with_spaces("C bob hello, world", Request::Chat { name: name("bob"), text: text("hello, world") })]
    #[case::chat_keeps_outer_spaces("C bob  hi ", Request::Chat { name: name("bob"), text: text(" hi ") })]
    #[case::chat_one_space("C bob  ", Request::Chat { name: name("bob"), text: text(" ") })]
    #[case::chat_double_spaces("C bob a  b", Request::Chat { name: name("bob"), text: text("a  b") })]
    #[case::chat_chinese("C 小明 你好，世界", Request::Chat { name: name("小明"), text: text("你好，世界") })]
    #[case::chat_text_like_a_request("C bob C amy hi", Request::Chat { name: name("bob"), text: text("C amy hi") })]
    #[case::quit("Q bob", Request::Quit(name("bob")))]
    #[case::quit_chinese("Q 小明", Request::Quit(name("小明")))]
    fn parses(#[case] line: &str, #[case] expected: Request) {
        check_parses(line, expected);
    }

    #[rstest]
    #[case::empty_line("", ParseError::EmptyLine)]
    #[case::unknown_command("X bob", ParseError::UnknownCommand("X".into()))]
    #[case::lower_case_command("l bob", ParseError::UnknownCommand("l".into()))]
    #[case::lower_case_chat("c bob hi", ParseError::UnknownCommand("c".into()))]
    #[case::lower_case_quit("q bob", ParseError::UnknownCommand("q".into()))]
    #[case::long_command("LOGIN bob", ParseError::UnknownCommand("LOGIN".into()))]
    #[case::leading_space(" L bob", ParseError::UnknownCommand("".into()))]
    #[case::command_without_space("Lbob", ParseError::UnknownCommand("Lbob".into()))]
    #[case::server_message("OK", ParseError::UnknownCommand("OK".into()))]
    #[case::login_without_name("L", ParseError::MissingName)]
    #[case::login_empty_name("L ", ParseError::MissingName)]
    #[case::login_two_fields("L a b", ParseError::NameWhitespace { at: 3 })]
    #[case::login_two_spaces("L  bob", ParseError::NameWhitespace { at: 2 })]
    #[case::login_trailing_space("L bob ", ParseError::NameWhitespace { at: 5 })]
    #[case::login_tab("L a\tb", ParseError::NameWhitespace { at: 3 })]
    #[case::login_ideographic_space("L 小\u{3000}明", ParseError::NameWhitespace { at: 5 })]
    #[case::login_carriage_return("L bob\r", ParseError::NameWhitespace { at: 5 })]
    #[case::login_control("L a\u{7f}", ParseError::NameControl { at: 3 })]
    #[case::login_nul("L 小明\u{0}", ParseError::NameControl { at: 8 })]
    #[case::login_c1_control("L a\u{80}", ParseError::NameControl { at: 3 })]
    #[case::chat_c1_control_in_name("C 小明\u{9f} hi", ParseError::NameControl { at: 8 })]
    #[case::login_33_bytes(&format!("L {}", times("a", 33)), ParseError::NameTooLong { len: 33 })]
    #[case::login_eleven_cjk(&format!("L {}", times("明", 11)), ParseError::NameTooLong { len: 33 })]
    #[case::chat_without_name("C", ParseError::MissingName)]
    #[case::chat_empty_name("C ", ParseError::MissingName)]
    #[case::chat_without_text("C bob", ParseError::MissingText)]
    #[case::chat_empty_text("C bob ", ParseError::MissingText)]
    #[case::chat_name_empty_text_given("C  hi", ParseError::MissingName)]
    #[case::chat_tab_in_text("C bob hi\t", ParseError::TextControl { at: 8 })]
    #[case::chat_escape_in_text("C 小明 \u{1b}[31m", ParseError::TextControl { at: 9 })]
    #[case::chat_tab_in_name("C bob\thi", ParseError::NameWhitespace { at: 5 })]
    #[case::chat_long_name(&format!("C {} hi", times("a", 33)), ParseError::NameTooLong { len: 33 })]
    #[case::chat_name_checked_before_text("C a\u{1} b\u{1}", ParseError::NameControl { at: 3 })]
    #[case::quit_without_name("Q", ParseError::MissingName)]
    #[case::quit_empty_name("Q ", ParseError::MissingName)]
    #[case::quit_two_fields("Q a b", ParseError::NameWhitespace { at: 3 })]
    fn refuses(#[case] line: &str, #[case] expected: ParseError) {
        check_refuses::<Request>(line, expected);
    }

    #[rstest]
    #[case::login(Request::Login(name("bob")), "L bob")]
    #[case::login_chinese(Request::Login(name("小明")), "L 小明")]
    #[case::chat(Request::Chat { name: name("bob"), text: text("hi there") }, "C bob hi there")]
    #[case::chat_outer_spaces(Request::Chat { name: name("小明"), text: text(" 你好 ") }, "C 小明  你好 ")]
    #[case::quit(Request::Quit(name("bob")), "Q bob")]
    fn renders(#[case] message: Request, #[case] expected: &str) {
        check_renders(message, expected);
    }

    proptest! {
        #[test]
        fn round_trip(message in any_request()) {
            check_round_trip(&message)?;
        }

        #[test]
        fn never_panics(line in candidate_line()) {
            let _ = Request::parse(&line);
            check_accepted_renders_back::<Request>(&line)?;
        }
    }

    /// Any line `parse` accepts renders back to itself. quickcheck's strings are mostly
    /// unknown commands, so `prefix` picks a command to put in front.
    #[quickcheck]
    fn accepted_lines_render_back(prefix: u8, rest: String) -> bool {
        let line = format!("{}{rest}", ["L ", "C ", "Q ", ""][prefix as usize % 4]);
        match Request::parse(&line) {
            Ok(m) => m.render() == line,
            Err(_) => true,
        }
    }
}

mod server_messages {
    use super::*;

    #[rstest]
    #[case::ok("OK", ServerMessage::Ok)]
    #[case::err("ERR not logged in", ServerMessage::Err(text("not logged in")))]
    #[case::err_name_taken("ERR name taken: 小明", ServerMessage::Err(text("name taken: 小明")))]
    #[case::err_not_you(
        "ERR you are bob, not amy",
        ServerMessage::Err(text("you are bob, not amy"))
    )]
    #[case::err_too_long(
        "ERR line too long (limit 1024 bytes)",
        ServerMessage::Err(text("line too long (limit 1024 bytes)"))
    )]
    #[case::err_outer_spaces("ERR  x ", ServerMessage::Err(text(" x ")))]
    #[case::msg("MSG bob hi there", ServerMessage::Msg { name: name("bob"), text: text("hi there") })]
    #[case::msg_chinese("MSG 小明 你好", ServerMessage::Msg { name: name("小明"), text: text("你好") })]
    #[case::msg_outer_spaces("MSG bob  a  ", ServerMessage::Msg { name: name("bob"), text: text(" a  ") })]
    #[case::join("JOIN bob", ServerMessage::Join(name("bob")))]
    #[case::leave("LEAVE 小明", ServerMessage::Leave(name("小明")))]
    #[case::notice(
        "NOTICE server restarts at 10:00",
        ServerMessage::Notice(text("server restarts at 10:00"))
    )]
    #[case::notice_chinese("NOTICE 管理员消息", ServerMessage::Notice(text("管理员消息")))]
    #[case::exit("EXIT", ServerMessage::Exit)]
    fn parses(#[case] line: &str, #[case] expected: ServerMessage) {
        check_parses(line, expected);
    }

    #[rstest]
    #[case::empty_line("", ParseError::EmptyLine)]
    #[case::lower_case("ok", ParseError::UnknownCommand("ok".into()))]
    #[case::request("L bob", ParseError::UnknownCommand("L".into()))]
    #[case::okay("OKAY", ParseError::UnknownCommand("OKAY".into()))]
    #[case::ok_with_field("OK x", ParseError::UnexpectedField { at: 2 })]
    #[case::ok_with_space("OK ", ParseError::UnexpectedField { at: 2 })]
    #[case::exit_with_field("EXIT now", ParseError::UnexpectedField { at: 4 })]
    #[case::err_without_reason("ERR", ParseError::MissingText)]
    #[case::err_empty_reason("ERR ", ParseError::MissingText)]
    #[case::err_bell("ERR a\u{7}", ParseError::TextControl { at: 5 })]
    #[case::msg_without_name("MSG", ParseError::MissingName)]
    #[case::msg_without_text("MSG bob", ParseError::MissingText)]
    #[case::msg_empty_text("MSG bob ", ParseError::MissingText)]
    #[case::msg_empty_name("MSG  hi", ParseError::MissingName)]
    #[case::msg_control_in_text("MSG 小明 a\tb", ParseError::TextControl { at: 12 })]
    #[case::join_without_name("JOIN", ParseError::MissingName)]
    #[case::join_two_fields("JOIN a b", ParseError::NameWhitespace { at: 6 })]
    #[case::join_long_name(&format!("JOIN {}", times("明", 11)), ParseError::NameTooLong { len: 33 })]
    #[case::leave_empty_name("LEAVE ", ParseError::MissingName)]
    #[case::leave_control("LEAVE a\u{1}", ParseError::NameControl { at: 7 })]
    #[case::notice_without_text("NOTICE", ParseError::MissingText)]
    #[case::notice_tab("NOTICE \t", ParseError::TextControl { at: 7 })]
    fn refuses(#[case] line: &str, #[case] expected: ParseError) {
        check_refuses::<ServerMessage>(line, expected);
    }

    #[rstest]
    #[case::ok(ServerMessage::Ok, "OK")]
    #[case::err(ServerMessage::Err(text("not logged in")), "ERR not logged in")]
    #[case::msg(ServerMessage::Msg { name: name("bob"), text: text(" hi ") }, "MSG bob  hi ")]
    #[case::join(ServerMessage::Join(name("小明")), "JOIN 小明")]
    #[case::leave(ServerMessage::Leave(name("bob")), "LEAVE bob")]
    #[case::notice(ServerMessage::Notice(text("bye all")), "NOTICE bye all")]
    #[case::exit(ServerMessage::Exit, "EXIT")]
    fn renders(#[case] message: ServerMessage, #[case] expected: &str) {
        check_renders(message, expected);
    }

    proptest! {
        #[test]
        fn round_trip(message in any_server_message()) {
            check_round_trip(&message)?;
        }

        #[test]
        fn never_panics(line in candidate_line()) {
            let _ = ServerMessage::parse(&line);
            check_accepted_renders_back::<ServerMessage>(&line)?;
        }
    }

    #[quickcheck]
    fn accepted_lines_render_back(prefix: u8, rest: String) -> bool {
        let commands = [
            "OK", "ERR ", "MSG ", "JOIN ", "LEAVE ", "NOTICE ", "EXIT", "",
        ];
        let line = format!("{}{rest}", commands[prefix as usize % commands.len()]);
        match ServerMessage::parse(&line) {
            Ok(m) => m.render() == line,
            Err(_) => true,
        }
    }
}

mod errors {
    use super::*;

    proptest! {
        #[test]
        fn texts_fit_in_an_err_line(line in candidate_line()) {
            if let Err(e) = Request::parse(&line) {
                check_fits_in_err_line(&e, &format!("Request::parse({line:?})"))?;
            }
            if let Err(e) = ServerMessage::parse(&line) {
                check_fits_in_err_line(&e, &format!("ServerMessage::parse({line:?})"))?;
            }
        }

        #[test]
        fn frame_error_texts_fit_in_an_err_line(at in 0..=MAX_LINE) {
            check_fits_in_err_line(&FrameError::InvalidUtf8 { at }, "InvalidUtf8")?;
            check_fits_in_err_line(&FrameError::LineTooLong, "LineTooLong")?;
        }
    }

    #[test]
    fn refusal_texts() {
        assert_eq!(
            FrameError::LineTooLong.to_string(),
            "line too long (limit 1024 bytes)"
        );
        assert_eq!(
            FrameError::InvalidUtf8 { at: 7 }.to_string(),
            "invalid UTF-8 at byte 7"
        );
    }

    /// Every refusal of the README's tables, with the text an `ERR` line carries.
    #[test]
    fn snapshot() {
        let requests = [
            "",
            "X bob",
            "L",
            "L ",
            "L a b",
            "L a\u{7f}",
            &format!("L {}", times("a", 33)),
            &format!("L {}", times("明", 11)),
            "L 小\u{3000}明",
            "C bob",
            "C bob ",
            "C bob hi\t",
            "Q a b",
            "LOGIN\u{1}\u{1b}[31m_and_a_very_long_command bob",
        ];
        let server = ["OK x", "EXIT now", "ERR", "MSG bob", "JOIN a b"];
        let mut out = String::new();
        for line in requests {
            let shown = match Request::parse(line) {
                Ok(m) => format!("accepted as {m:?}"),
                Err(e) => format!("ERR {e}"),
            };
            out += &format!("Request {line:?}\n  -> {shown}\n");
        }
        for line in server {
            let shown = match ServerMessage::parse(line) {
                Ok(m) => format!("accepted as {m:?}"),
                Err(e) => format!("ERR {e}"),
            };
            out += &format!("ServerMessage {line:?}\n  -> {shown}\n");
        }
        insta::assert_snapshot!("refusals", out);
    }
}

mod encoding {
    use super::*;

    fn every_kind() -> (Vec<Request>, Vec<ServerMessage>) {
        let requests = vec![
            Request::Login(name("小明")),
            Request::Chat {
                name: name("小明"),
                text: text("大家好 hello  "),
            },
            Request::Quit(name("小明")),
        ];
        let server = vec![
            ServerMessage::Ok,
            ServerMessage::Err(text("name taken: 小明")),
            ServerMessage::Msg {
                name: name("bob"),
                text: text(" hi, 小明"),
            },
            ServerMessage::Join(name("bob")),
            ServerMessage::Leave(name("bob")),
            ServerMessage::Notice(text("服务器将于 10:00 重启")),
            ServerMessage::Exit,
        ];
        (requests, server)
    }

    /// The rendered line of every kind of message (as `{:?}`, so spaces show).
    #[test]
    fn snapshot() {
        let (requests, server) = every_kind();
        let mut out = String::new();
        for m in requests {
            out += &format!("{:?}\n", m.render());
        }
        for m in server {
            out += &format!("{:?}\n", m.render());
        }
        insta::assert_snapshot!("rendered", out);
    }

    #[track_caller]
    fn check_encode<M: Message>(messages: &[M]) {
        for m in messages {
            let expected = format!("{}\n", m.render()).into_bytes();
            assert_eq!(
                m.encode(),
                expected,
                "{}",
                say!(
                    "{m:?}.encode() is not render() + \\n",
                    "{m:?}.encode() 不等于 render() + \\n"
                )
            );
        }
    }

    /// The README's note on the limits: a chat at the limit is relayed as a longer
    /// `MSG`, which the decoder refuses.
    #[test]
    fn relayed_chat_can_pass_the_limit() {
        let said = times("x", MAX_LINE - "C bob ".len());
        let chat = Request::Chat {
            name: name("bob"),
            text: text(&said),
        };
        let mut decoder = Decoder::new();
        decoder.feed(&chat.encode());
        let line = drain(&mut decoder);
        assert_eq!(
            line.len(),
            1,
            "{}",
            say!("one line in, one item out", "进一行，出一项")
        );
        let line = line[0].clone().expect(&say!(
            "a 1024-byte line is within MAX_LINE",
            "1024 字节的一行没有超过 MAX_LINE"
        ));
        assert_eq!(Request::parse(&line), Ok(chat));
        let relayed = ServerMessage::Msg {
            name: name("bob"),
            text: text(&said),
        };
        assert_eq!(relayed.render().len(), MAX_LINE + 2);
        decoder.feed(&relayed.encode());
        assert_eq!(drain(&mut decoder), vec![TOO_LONG]);
    }

    #[test]
    fn encode_appends_newline() {
        let (requests, server) = every_kind();
        check_encode(&requests);
        check_encode(&server);
    }
}

// ---------------------------------------------------------------------------------
// Framing
// ---------------------------------------------------------------------------------

type Item = Result<String, FrameError>;

/// Every item the decoder has ready now.
fn drain(decoder: &mut Decoder) -> Vec<Item> {
    let mut items = Vec::new();
    // Bounded: a decoder that never runs dry is a bug this suite reports, not a hang.
    for _ in 0..1_000_000 {
        match decoder.next_line() {
            Some(item) => items.push(item),
            None => return items,
        }
    }
    panic!(
        "{}",
        say!(
            "next_line kept giving items: 1,000,000 of them from a small stream",
            "next_line 一直在产出：一个很短的字节流产出了 1,000,000 项"
        )
    );
}

/// Feeds `chunks` in order, taking the items after every chunk.
fn decode_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<Item> {
    let mut decoder = Decoder::new();
    let mut items = Vec::new();
    for chunk in chunks {
        decoder.feed(chunk);
        items.extend(drain(&mut decoder));
    }
    items
}

/// The chunks of `bytes` cut at `cuts` (byte offsets, any order, repeats allowed).
fn cut_at<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(bytes.len())).collect();
    cuts.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for c in cuts {
        chunks.push(&bytes[start..c]);
        start = c;
    }
    chunks.push(&bytes[start..]);
    chunks
}

/// The spec's framing, written as directly as possible: find each `\n` in the whole
/// stream and judge the line before it; a partial line at the end yields its error
/// only if its bytes already prove it too long.
fn model(stream: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut rest = stream;
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        let mut line = &rest[..end];
        if let [head @ .., b'\r'] = line {
            line = head;
        }
        items.push(if line.len() > MAX_LINE {
            Err(FrameError::LineTooLong)
        } else {
            match std::str::from_utf8(line) {
                Ok(s) => Ok(s.to_string()),
                Err(e) => Err(FrameError::InvalidUtf8 {
                    at: e.valid_up_to(),
                }),
            }
        });
        rest = &rest[end + 1..];
    }
    let saved_by_cr = rest.len() == MAX_LINE + 1 && rest[MAX_LINE] == b'\r';
    if rest.len() > MAX_LINE && !saved_by_cr {
        items.push(Err(FrameError::LineTooLong));
    }
    items
}

fn ok(s: &str) -> Item {
    Ok(s.to_string())
}

const TOO_LONG: Item = Err(FrameError::LineTooLong);

fn bad(at: usize) -> Item {
    Err(FrameError::InvalidUtf8 { at })
}

/// The concatenation of `parts`: text and raw bytes, as one stream.
fn bytes(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// One segment of a random stream.
fn segment() -> impl Strategy<Value = Vec<u8>> {
    let line_end = prop::sample::select(vec![&b"\n"[..], &b"\r\n"[..]]);
    let short_text = prop::collection::vec(
        prop_oneof![
            6 => proptest::char::range(' ', '~'),
            3 => proptest::char::range('\u{4e00}', '\u{9fff}'),
            1 => Just('\r'),
            1 => Just('🦀'),
        ],
        0..30,
    )
    .prop_map(|v| v.into_iter().collect::<String>().into_bytes());
    let invalid = prop::sample::select(vec![
        &b"\xff"[..],
        &b"\x80"[..],
        &b"\xe5\xb0"[..],
        &b"\xc0\xaf"[..],
        &b"\xed\xa0\x80"[..],
        &b"\xf4\x90\x80\x80"[..],
    ]);
    prop_oneof![
        // A good line, a few per stream.
        6 => (short_text.clone(), line_end.clone()).prop_map(|(t, e)| [t, e.to_vec()].concat()),
        // A line around the limit: 1022 to 1027 bytes, of ASCII or of 3-byte characters.
        2 => (1022..=1027usize, any::<bool>(), line_end.clone()).prop_map(|(n, cjk, e)| {
            let mut line = if cjk { "明".repeat(n / 3) + &"a".repeat(n % 3) } else { "a".repeat(n) }.into_bytes();
            line.extend_from_slice(e);
            line
        }),
        // A line far too long.
        1 => (1025..3000usize, line_end.clone()).prop_map(|(n, e)| [vec![b'x'; n], e.to_vec()].concat()),
        // Invalid UTF-8 somewhere in a line.
        2 => (short_text.clone(), invalid, short_text.clone(), line_end.clone())
            .prop_map(|(a, bad, b, e)| [a, bad.to_vec(), b, e.to_vec()].concat()),
        // Empty lines and stray carriage returns.
        1 => prop::sample::select(vec![&b"\n"[..], &b"\r\n"[..], &b"\r\r\n"[..], &b"\r"[..]]).prop_map(|s| s.to_vec()),
        // A partial line (the last one in a stream stays partial).
        1 => short_text,
    ]
}

fn stream() -> impl Strategy<Value = Bytes> {
    prop::collection::vec(segment(), 0..10).prop_map(|segments| Bytes(segments.concat()))
}

/// A stream and cut points inside it.
fn stream_and_cuts() -> impl Strategy<Value = (Bytes, Vec<usize>)> {
    stream().prop_flat_map(|s| {
        let len = s.0.len();
        (Just(s), prop::collection::vec(0..=len, 0..25))
    })
}

/// Bytes that proptest shows the way `show` does, when it reports a failing input.
#[derive(Clone, PartialEq)]
struct Bytes(Vec<u8>);

impl Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&show(&self.0))
    }
}

/// One character of a byte string, or one byte that is not part of a UTF-8 character.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Char(char),
    Byte(u8),
}

impl Unit {
    fn escaped(self) -> String {
        match self {
            Unit::Char(c) => c.escape_debug().to_string(),
            Unit::Byte(b) => format!("\\x{b:02x}"),
        }
    }
}

/// Bytes for people: quoted like a Rust string, a byte that is not UTF-8 as `\xff`, and
/// a run of 8 or more of one character shortened: `"L bob\n" + "x"×3000 + "\r\n"`.
fn show(bytes: &[u8]) -> String {
    let units: Vec<Unit> = bytes
        .utf8_chunks()
        .flat_map(|chunk| {
            let chars = chunk.valid().chars().map(Unit::Char);
            chars.chain(chunk.invalid().iter().map(|&b| Unit::Byte(b)))
        })
        .collect();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < units.len() {
        let run = units[i..].iter().take_while(|&&u| u == units[i]).count();
        if run >= 8 {
            if !literal.is_empty() {
                pieces.push(format!("\"{}\"", std::mem::take(&mut literal)));
            }
            pieces.push(format!("\"{}\"×{run}", units[i].escaped()));
        } else {
            literal += &units[i].escaped().repeat(run);
        }
        i += run;
    }
    if !literal.is_empty() || pieces.is_empty() {
        pieces.push(format!("\"{literal}\""));
    }
    pieces.join(" + ")
}

/// Items for people: lines shown by `show`, errors by name.
fn show_items(items: &[Item]) -> String {
    let shown: Vec<String> = items
        .iter()
        .map(|item| match item {
            Ok(line) => format!("Ok({})", show(line.as_bytes())),
            Err(e) => format!("Err({e:?})"),
        })
        .collect();
    format!("[{}]", shown.join(", "))
}

/// `None` when the items are the expected ones, else both lists, for a message.
fn compare_items(got: &[Item], expected: &[Item]) -> Option<String> {
    (got != expected).then(|| {
        say!(
            "\n  got:      {}\n  expected: {}",
            "\n  得到：{}\n  应为：{}",
            show_items(got),
            show_items(expected)
        )
    })
}

#[track_caller]
fn assert_items(got: &[Item], expected: &[Item], context: &str) {
    if let Some(diff) = compare_items(got, expected) {
        panic!("{context}{diff}");
    }
}

mod decoder {
    use super::*;

    const CONVERSATION: &str =
        "L 小明\nC 小明 大家好！\r\nL bob\nC bob hi 小明  \nQ bob\r\nQ 小明\n";

    #[rstest]
    #[case::nothing(vec![], vec![])]
    #[case::empty_chunk(vec![b"".to_vec()], vec![])]
    #[case::one_line(vec![b"L bob\n".to_vec()], vec![ok("L bob")])]
    #[case::sticky_packets(vec![b"L bob\nC bob hi\nQ bob\n".to_vec()], vec![ok("L bob"), ok("C bob hi"), ok("Q bob")])]
    #[case::half_packets(vec![b"L b".to_vec(), b"o".to_vec(), b"b\n".to_vec()], vec![ok("L bob")])]
    #[case::half_and_sticky(vec![b"L bob\nC b".to_vec(), b"ob hi\nQ".to_vec(), b" bob\n".to_vec()], vec![ok("L bob"), ok("C bob hi"), ok("Q bob")])]
    #[case::cut_inside_a_character(vec![b"L \xe5".to_vec(), b"\xb0\x8f\xe6\x98".to_vec(), b"\x8e\n".to_vec()], vec![ok("L 小明")])]
    #[case::crlf(vec![b"L bob\r\n".to_vec()], vec![ok("L bob")])]
    #[case::cut_inside_crlf(vec![b"L bob\r".to_vec(), b"\nQ bob\r".to_vec(), b"\n".to_vec()], vec![ok("L bob"), ok("Q bob")])]
    #[case::lone_cr_stays(vec![b"a\rb\n".to_vec()], vec![ok("a\rb")])]
    #[case::only_one_cr_dropped(vec![b"a\r\r\n".to_vec()], vec![ok("a\r")])]
    #[case::cr_at_the_start(vec![b"\ra\n".to_vec()], vec![ok("\ra")])]
    #[case::empty_lines(vec![b"\n\r\n\n".to_vec()], vec![ok(""), ok(""), ok("")])]
    #[case::partial_line_at_the_end(vec![b"L bob\nC bo".to_vec()], vec![ok("L bob")])]
    #[case::cr_without_newline(vec![b"L bob\r".to_vec()], vec![])]
    #[case::limit_exactly(vec![bytes(&[&[b'a'; 1024], b"\n"])], vec![ok(&times("a", 1024))])]
    #[case::limit_exactly_with_crlf(vec![bytes(&[&[b'a'; 1024], b"\r\n"])], vec![ok(&times("a", 1024))])]
    #[case::limit_in_cjk(vec![bytes(&[times("明", 341).as_bytes(), b"a\r\n"])], vec![ok(&(times("明", 341) + "a"))])]
    #[case::one_byte_over(vec![bytes(&[&[b'a'; 1025], b"\n"])], vec![TOO_LONG])]
    #[case::one_byte_over_with_crlf(vec![bytes(&[&[b'a'; 1025], b"\r\n"])], vec![TOO_LONG])]
    #[case::cr_then_more(vec![bytes(&[&[b'a'; 1024], b"\rb\nok\n"])], vec![TOO_LONG, ok("ok")])]
    #[case::too_long_then_good(vec![bytes(&[&[b'x'; 3000], b"\nL bob\n"])], vec![TOO_LONG, ok("L bob")])]
    #[case::too_long_in_pieces(vec![vec![b'x'; 700], vec![b'x'; 700], b"x\nL bob\nQ".to_vec(), b" bob\n".to_vec()], vec![TOO_LONG, ok("L bob"), ok("Q bob")])]
    #[case::too_long_twice(vec![bytes(&[&[b'x'; 2000], b"\n", &[b'y'; 1500], b"\r\n\n"])], vec![TOO_LONG, TOO_LONG, ok("")])]
    #[case::too_long_and_invalid(vec![bytes(&[&[0xff; 2000], b"\nok\n"])], vec![TOO_LONG, ok("ok")])]
    #[case::too_long_without_newline(vec![vec![b'x'; 5000]], vec![TOO_LONG])]
    #[case::invalid_utf8(vec![b"ab\xffcd\nok\n".to_vec()], vec![bad(2), ok("ok")])]
    #[case::invalid_after_cjk(vec!["小明".as_bytes().to_vec(), b"\xff\n".to_vec()], vec![bad(6)])]
    #[case::truncated_character(vec![b"\xe5\xb0\n".to_vec(), b"ok\n".to_vec()], vec![bad(0), ok("ok")])]
    #[case::lone_continuation_byte(vec![b"ab\x80\n".to_vec()], vec![bad(2)])]
    #[case::overlong_encoding(vec![b"\xc0\xaf\n".to_vec()], vec![bad(0)])]
    #[case::invalid_before_crlf(vec![b"a\xff\r\nok\r\n".to_vec()], vec![bad(1), ok("ok")])]
    #[case::invalid_offset_in_second_line(vec![b"first\nab\xff\n".to_vec()], vec![ok("first"), bad(2)])]
    #[case::invalid_offset_across_chunks(vec![b"abc".to_vec(), b"de\xff\n".to_vec()], vec![bad(5)])]
    fn examples(#[case] chunks: Vec<Vec<u8>>, #[case] expected: Vec<Item>) {
        let got = decode_chunks(chunks.iter().map(Vec::as_slice));
        let shown: Vec<String> = chunks.iter().map(|c| show(c)).collect();
        let context = say!(
            "wrong items from the chunks [{}]",
            "分块 [{}] 解出的项不对",
            shown.join(", ")
        );
        assert_items(&got, &expected, &context);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Same bytes, any cuts: the same items as feeding everything at once, and as
        /// the model. Items are taken only at the end, after every chunk is fed.
        #[test]
        fn split_anywhere((Bytes(stream), cuts) in stream_and_cuts()) {
            let chunks = cut_at(&stream, &cuts);
            let mut decoder = Decoder::new();
            for chunk in &chunks {
                decoder.feed(chunk);
            }
            let split = drain(&mut decoder);
            let whole = decode_chunks([stream.as_slice()]);
            let expected = model(&stream);
            if let Some(diff) = compare_items(&whole, &expected) {
                prop_assert!(false, "{}", say!(
                    "fed all at once, the stream {} gave the wrong items{}",
                    "一次全部喂入，字节流 {} 解出的项不对{}",
                    show(&stream), diff,
                ));
            }
            if let Some(diff) = compare_items(&split, &expected) {
                prop_assert!(
                    false,
                    "{}", say!(
                        "fed in {} chunks cut at {:?}, the stream {} gave other items than fed at once{}",
                        "分成 {} 块（在 {:?} 处切开）喂入，字节流 {} 解出的项与一次全部喂入时不同{}",
                        chunks.len(), cuts, show(&stream), diff,
                    )
                );
            }
        }

        /// After every chunk, the items yielded so far are exactly those the bytes
        /// received so far determine.
        #[test]
        fn items_as_soon_as_known((Bytes(stream), cuts) in stream_and_cuts()) {
            let chunks = cut_at(&stream, &cuts);
            let mut decoder = Decoder::new();
            let mut items = Vec::new();
            let mut received = 0;
            for chunk in &chunks {
                decoder.feed(chunk);
                received += chunk.len();
                items.extend(drain(&mut decoder));
                let expected = model(&stream[..received]);
                if let Some(diff) = compare_items(&items, &expected) {
                    prop_assert!(
                        false,
                        "{}", say!(
                            "after the first {} bytes of {} (cut at {:?}), the items so far are not those the bytes determine{}",
                            "收到 {1} 的前 {0} 个字节后（在 {2:?} 处切开），目前解出的项不是这些字节所决定的那些{3}",
                            received, show(&stream), cuts, diff,
                        )
                    );
                }
                prop_assert!(
                    decoder.buffered() <= MAX_LINE + 1,
                    "{}", say!(
                        "the decoder holds {} bytes, more than MAX_LINE + 1",
                        "解码器缓存了 {} 字节，超过了 MAX_LINE + 1",
                        decoder.buffered(),
                    )
                );
            }
        }

        /// Arbitrary bytes in arbitrary chunks: no panic, and the model's items.
        #[test]
        fn never_panics(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300).prop_map(Bytes), 0..20)) {
            let all: Vec<u8> = chunks.iter().flat_map(|c| c.0.iter().copied()).collect();
            let got = decode_chunks(chunks.iter().map(|c| c.0.as_slice()));
            if let Some(diff) = compare_items(&got, &model(&all)) {
                prop_assert!(false, "{}", say!(
                    "wrong items from arbitrary bytes {}{}",
                    "任意字节 {} 解出的项不对{}",
                    show(&all), diff,
                ));
            }
        }
    }

    /// One cut anywhere changes nothing (quickcheck: any bytes, any cut).
    #[quickcheck]
    fn law_one_cut_changes_nothing(stream: Vec<u8>, cut: usize) -> bool {
        let cut = if stream.is_empty() {
            0
        } else {
            cut % (stream.len() + 1)
        };
        decode_chunks([&stream[..cut], &stream[cut..]]) == decode_chunks([stream.as_slice()])
    }

    /// Every single cut of a stream holding CJK, `\r\n`, an over-long line and invalid
    /// UTF-8.
    #[test]
    fn every_single_cut() {
        let stream = bytes(&[
            CONVERSATION.as_bytes(),
            &[b'z'; 1030],
            b"\r\nok\r\nab\xe5\xb0\r\n",
            &[b'a'; 1024],
            b"\r\n",
        ]);
        let expected = model(&stream);
        for cut in 0..=stream.len() {
            let got = decode_chunks([&stream[..cut], &stream[cut..]]);
            assert_items(
                &got,
                &expected,
                &say!(
                    "cut at byte {cut} of {}",
                    "在 {} 的第 {cut} 个字节处切开",
                    show(&stream)
                ),
            );
        }
    }

    #[test]
    fn one_byte_at_a_time() {
        let stream = CONVERSATION.as_bytes();
        let got = decode_chunks(stream.chunks(1));
        let expected: Vec<Item> = [
            "L 小明",
            "C 小明 大家好！",
            "L bob",
            "C bob hi 小明  ",
            "Q bob",
            "Q 小明",
        ]
        .iter()
        .map(|s| ok(s))
        .collect();
        assert_items(
            &got,
            &expected,
            &say!(
                "the conversation fed one byte at a time",
                "一次喂入一个字节的对话"
            ),
        );
    }

    #[test]
    fn parses_requests() {
        let stream = CONVERSATION.as_bytes();
        let lines = decode_chunks(stream.chunks(5));
        let requests: Vec<Request> = lines
            .into_iter()
            .map(|item| {
                let line = item.unwrap_or_else(|e| {
                    panic!(
                        "{}",
                        say!(
                            "a good line was refused: {e}",
                            "一行正确的内容被拒绝了：{e}"
                        )
                    )
                });
                Request::parse(&line).unwrap_or_else(|e| {
                    panic!(
                        "{}",
                        say!("{line:?} did not parse: {e}", "{line:?} 解析失败：{e}")
                    )
                })
            })
            .collect();
        let (xm, bob) = (name("小明"), name("bob"));
        assert_eq!(
            requests,
            vec![
                Request::Login(xm.clone()),
                Request::Chat {
                    name: xm.clone(),
                    text: text("大家好！")
                },
                Request::Login(bob.clone()),
                Request::Chat {
                    name: bob.clone(),
                    text: text("hi 小明  ")
                },
                Request::Quit(bob),
                Request::Quit(xm),
            ]
        );
    }

    /// A chunk size larger than the whole stream.
    const ALL_AT_ONCE: usize = 1 << 21;

    /// A 1 MB line between two good ones, fed in chunks of many sizes: `buffered()`
    /// never passes `MAX_LINE + 1`, the memory allocated meanwhile stays small, and
    /// the lines around it arrive intact.
    #[rstest]
    fn bounded_buffer(
        #[values(1, 7, 1000, 1024, 1025, 1026, 4096, 65536, ALL_AT_ONCE)] chunk: usize,
    ) {
        let stream = bytes(&[b"L bob\n", &vec![b'x'; 1 << 20], b"\r\nL amy\n"]);
        let chunk = chunk.min(stream.len());
        let mut decoder = Decoder::new();
        let mut items = Vec::with_capacity(8);
        let mut largest = 0;
        let ((), allocated) = alloc_count::peak_during(|| {
            for piece in stream.chunks(chunk) {
                decoder.feed(piece);
                largest = largest.max(decoder.buffered());
                while let Some(item) = decoder.next_line() {
                    if items.len() < 8 {
                        items.push(item);
                    }
                }
            }
        });
        assert!(
            largest <= MAX_LINE + 1,
            "{}",
            say!(
                "in chunks of {chunk} bytes, the decoder held {largest} bytes of one line (at most MAX_LINE + 1 = {})",
                "以 {chunk} 字节为一块喂入时，解码器为一行缓存了 {largest} 字节（最多 MAX_LINE + 1 = {}）",
                MAX_LINE + 1
            )
        );
        let limit = 8 * (MAX_LINE + 1);
        assert!(
            allocated <= limit,
            "{}",
            say!(
                "in chunks of {chunk} bytes, feeding a 1 MB line made the decoder allocate {allocated} bytes at once \
                 (at most {limit}): does it store the line, or copy whole chunks?",
                "以 {chunk} 字节为一块喂入时，喂入一行 1 MB 的内容让解码器一次分配了 {allocated} 字节（最多 {limit}）：它是只存这一行，还是把整块都复制了？"
            )
        );
        let context = say!(
            "in chunks of {chunk} bytes, wrong items around a 1 MB line",
            "以 {chunk} 字节为一块喂入时，1 MB 长行前后解出的项不对"
        );
        assert_items(&items, &[ok("L bob"), TOO_LONG, ok("L amy")], &context);
    }

    /// A million short lines, each taken as soon as it is complete (what a server does
    /// with a chatty client that stays connected for hours): the memory the decoder
    /// holds stays what one line needs. A decoder that keeps every line it has handed
    /// out and only moves a start index past it holds all 21 MB.
    #[rstest]
    fn many_short_lines(#[values(21, 7, 1000)] chunk: usize) {
        const LINES: usize = 1_000_000;
        const LINE: &[u8] = b"C bob hello everyone\n";
        let stream = LINE.repeat(1000);
        let mut decoder = Decoder::new();
        let mut taken = 0;
        let mut wrong = None;
        let ((), allocated) = alloc_count::peak_during(|| {
            for _ in 0..LINES / 1000 {
                for piece in stream.chunks(chunk) {
                    decoder.feed(piece);
                    while let Some(item) = decoder.next_line() {
                        if item.as_deref() != Ok("C bob hello everyone") && wrong.is_none() {
                            wrong = Some(item);
                        }
                        taken += 1;
                    }
                }
            }
        });
        assert_eq!(
            wrong,
            None,
            "{}",
            say!(
                "in chunks of {chunk} bytes, a line of a million came out wrong",
                "以 {chunk} 字节为一块喂入时，一百万行里有一行解出来不对"
            )
        );
        assert_eq!(
            taken,
            LINES,
            "{}",
            say!(
                "in chunks of {chunk} bytes, {LINES} lines fed, {taken} taken",
                "以 {chunk} 字节为一块喂入时，喂入 {LINES} 行，取出 {taken} 行"
            )
        );
        let limit = 8 * (MAX_LINE + 1);
        assert!(
            allocated <= limit,
            "{}",
            say!(
                "in chunks of {chunk} bytes, a million 21-byte lines, each taken as soon as it \
                 was complete, made the decoder hold {allocated} bytes at once (at most {limit}): \
                 does it keep the lines it has handed out, and only move a start index past them? \
                 Take each finished line out of the buffer.",
                "以 {chunk} 字节为一块喂入时，一百万行 21 字节的内容，每行一完整就被取走，\
                 解码器却一度占用了 {allocated} 字节（最多 {limit}）：它是不是把已经交出去的行都留着，\
                 只把起点下标往后挪？把每一行完成的内容从缓冲区里拿走。"
            )
        );
    }
}

/// Counts the bytes the current thread has allocated and not yet freed, and their
/// peak, so that `bounded_buffer` and `many_short_lines` can check what the decoder
/// stores without trusting `buffered()` or its fields. Per thread (nothing process-wide
/// is counted), so tests running in parallel do not disturb each other.
mod alloc_count {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        // `const` and `Cell<usize>`: no lazy initialisation and no destructor, so the
        // allocator can use them without allocating.
        static LIVE: Cell<usize> = const { Cell::new(0) };
        static PEAK: Cell<usize> = const { Cell::new(0) };
    }

    fn grow(n: usize) {
        let _ = LIVE.try_with(|live| {
            let now = live.get() + n;
            live.set(now);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        });
    }

    fn shrink(n: usize) {
        let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(n)));
    }

    struct Counting;

    // SAFETY: every call is passed on to the system allocator unchanged; the counters
    // only observe sizes.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                grow(layout.size());
            }
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                grow(layout.size());
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            shrink(layout.size());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                // Moving may hold both blocks for a moment: count the larger sum.
                grow(new_size);
                shrink(layout.size());
            }
            p
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    /// Runs `f` and returns the most bytes it had allocated at once on this thread.
    pub fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
        let base = LIVE.with(Cell::get);
        PEAK.with(|p| p.set(base));
        let result = f();
        let peak = PEAK.with(Cell::get);
        (result, peak - base)
    }
}

/// The spec's corners, written down for a client written in another language: how an
/// unknown command is shown, and which parser gives which row of the parse-error table.
mod edge_cases {
    use super::*;

    /// An unknown command's text: `Request::parse` keeps the whole command (up to the
    /// first space), and the given `Display` shows it as `{:?}` does, cut to its first 16
    /// characters (counted before escaping) with `...` after the closing quote.
    #[rstest]
    #[case::nul("\0", r#"unknown command "\0""#)]
    #[case::tab_and_return("\tX\rY hi", r#"unknown command "\tX\rY""#)]
    #[case::ideographic_space("\u{3000}", r#"unknown command "\u{3000}""#)]
    #[case::no_break_space("\u{a0}", r#"unknown command "\u{a0}""#)]
    #[case::zero_width_space("a\u{200b}", r#"unknown command "a\u{200b}""#)]
    #[case::combining_mark("e\u{301}", r#"unknown command "e\u{301}""#)]
    #[case::delete("\u{7f}", r#"unknown command "\u{7f}""#)]
    #[case::quote_and_backslash(r#"a"b\c"#, r#"unknown command "a\"b\\c""#)]
    #[case::printable("é'小明", r#"unknown command "é'小明""#)]
    #[case::sixteen_uncut("ABCDEFGHIJKLMNOP", r#"unknown command "ABCDEFGHIJKLMNOP""#)]
    #[case::seventeen_cut("ABCDEFGHIJKLMNOPQ", r#"unknown command "ABCDEFGHIJKLMNOP"..."#)]
    #[case::cut_before_escaping(
        &"\u{3000}".repeat(17),
        &format!(r#"unknown command "{}"..."#, r"\u{3000}".repeat(16))
    )]
    fn unknown_commands_are_shown_escaped_and_cut(#[case] line: &str, #[case] expected: &str) {
        let shown = Request::parse(line).map_err(|e| e.to_string());
        assert_eq!(
            shown,
            Err(expected.to_string()),
            "{}",
            say!(
                "Request::parse({line:?}) should refuse the line as an unknown command, shown as the spec says",
                "Request::parse({line:?}) 应把这一行当作未知命令拒绝，并按规范显示"
            )
        );
    }

    /// Each row of the README's parse-error table (and its neighbours) through both
    /// parsers: every row but `OK x` is `Request::parse`'s; to `ServerMessage::parse` a
    /// request's line is an unknown command, and the other way round.
    #[rstest]
    #[case::empty_line("", ParseError::EmptyLine, ParseError::EmptyLine)]
    #[case::unknown("X bob", ParseError::UnknownCommand("X".into()), ParseError::UnknownCommand("X".into()))]
    #[case::login_without_name("L", ParseError::MissingName, ParseError::UnknownCommand("L".into()))]
    #[case::name_too_long(
        &format!("L {}", times("a", 33)),
        ParseError::NameTooLong { len: 33 },
        ParseError::UnknownCommand("L".into())
    )]
    #[case::name_with_a_space("L a b", ParseError::NameWhitespace { at: 3 }, ParseError::UnknownCommand("L".into()))]
    #[case::name_control("L a\u{7f}", ParseError::NameControl { at: 3 }, ParseError::UnknownCommand("L".into()))]
    #[case::chat_without_text("C bob", ParseError::MissingText, ParseError::UnknownCommand("C".into()))]
    #[case::chat_without_name("C  hi", ParseError::MissingName, ParseError::UnknownCommand("C".into()))]
    #[case::text_control("C bob hi\t", ParseError::TextControl { at: 8 }, ParseError::UnknownCommand("C".into()))]
    #[case::ok_with_a_field("OK x", ParseError::UnknownCommand("OK".into()), ParseError::UnexpectedField { at: 2 })]
    #[case::msg_without_text("MSG bob", ParseError::UnknownCommand("MSG".into()), ParseError::MissingText)]
    #[case::join_with_a_space("JOIN a b", ParseError::UnknownCommand("JOIN".into()), ParseError::NameWhitespace { at: 6 })]
    fn each_parser_refuses_its_own_rows(
        #[case] line: &str,
        #[case] as_request: ParseError,
        #[case] as_server_message: ParseError,
    ) {
        check_refuses::<Request>(line, as_request);
        check_refuses::<ServerMessage>(line, as_server_message);
    }
}
