#![allow(dead_code, unused_macros)] // Each suite uses only some of these helpers.

//! The learner's language for the suite's own explanations of a mistake.
//!
//! The runner sets [`LANG_VARIABLE`] (`KATA_LANG`) to `zh` or `en` for every test
//! process it starts, from the learner's locale or `--lang`. A plain `cargo test` leaves
//! it unset, and the explanations are in English. Only the hand-written messages that
//! say what went wrong and where to look are translated; what `assert_eq!`, proptest,
//! quickcheck and insta print around them stays as those libraries print it.
//!
//! Include with `#[macro_use] #[path = "support/lang.rs"] mod lang;` (before the
//! modules that use it), then write each explanation in both languages:
//!
//! ```ignore
//! assert_eq!(count, n - 1, "{}", say!(
//!     "sorted input of {n} elements took {count} comparisons, not {}",
//!     "已排好序的 {n} 个元素用了 {count} 次比较，应为 {} 次",
//!     n - 1,
//! ));
//! ```
//!
//! Both texts take the same arguments (named ones are captured as in `format!`), and
//! only the one in the learner's language is formatted.

/// The variable the runner sets: `zh` for Simplified Chinese, anything else English.
pub const LANG_VARIABLE: &str = "KATA_LANG";

/// True when the learner reads Chinese.
pub fn zh() -> bool {
    std::env::var(LANG_VARIABLE).is_ok_and(|lang| lang.starts_with("zh"))
}

/// `say!(english, chinese, args...)`: a `String` formatted from the text in the
/// learner's language.
macro_rules! say {
    ($en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        if $crate::lang::zh() {
            format!($zh $(, $arg)*)
        } else {
            format!($en $(, $arg)*)
        }
    };
}
