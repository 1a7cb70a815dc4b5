//! The learner's language: English or Simplified Chinese, and the catalogue of every
//! message the runner shows a learner (`xtask/locales/en.txt`, `zh.txt`).
//!
//! Why a plain catalogue and not Fluent: adding `fluent-bundle` 0.16 to the runner
//! (measured with `cargo tree --manifest-path xtask/Cargo.toml -e normal`) took its normal dependencies from 44
//! crates to 62, two of them proc macros (`displaydoc`, through unic-langid and
//! tinystr; `thiserror-impl`, through fluent-syntax) and `syn` with them: the first
//! build every learner waits for, which the runner keeps free of proc macros. The
//! runner needs no plural rules or gender (its messages are written around numbers),
//! so `id = text with {placeholder}` files, included in the binary, do the job.
//!
//! The format: one entry a line, `id = text`; `\n` in the text is a line break; `{name}`
//! is a placeholder filled by the caller; `#` starts a comment line. Both files hold
//! the same ids with the same placeholders (the tests below check it).

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

const EN: &str = include_str!("../../locales/en.txt");
const ZH: &str = include_str!("../../locales/zh.txt");

/// The variable the runner sets for every test process, read by the suites' `say!`
/// (`tests/support/lang.rs`).
pub const TEST_VARIABLE: &str = "KATA_LANG";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// `en` or `zh`: the value of `--lang`, of [`TEST_VARIABLE`] and in the progress file.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The locale's language, as `gettext` reads it: the first non-empty of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG`; Chinese when it starts with `zh` (`zh_CN.UTF-8`).
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.is_empty());
        match locale {
            Some(value) if value.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// The language to speak: `--lang` when given (`auto`: none), else the choice the
/// progress file remembers, else the locale's.
pub fn choose(flag: Option<&str>, remembered: Option<Lang>, locale: Lang) -> Lang {
    match flag {
        Some(AUTO) => locale,
        Some(code) => Lang::parse(code).unwrap_or(locale),
        None => remembered.unwrap_or(locale),
    }
}

/// `--lang auto`: forget the remembered choice, follow the locale.
pub const AUTO: &str = "auto";

/// Set once at start (a plain flag: the language is read from every thread).
static CHINESE: AtomicBool = AtomicBool::new(false);

pub fn set(lang: Lang) {
    CHINESE.store(lang == Lang::Zh, Ordering::Relaxed);
}

pub fn current() -> Lang {
    if CHINESE.load(Ordering::Relaxed) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The message `id` in the current language, its `{placeholders}` filled from `args`.
/// Use [`t!`] rather than calling this.
pub fn text(id: &str, args: &[(&str, &dyn Display)]) -> String {
    let template = catalogue(current())
        .get(id)
        .or_else(|| catalogue(Lang::En).get(id))
        .map_or(id, String::as_str);
    fill(template, args)
}

/// `t!("id", name = value, ...)`: the message `id` in the learner's language.
macro_rules! t {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::engine::lang::text($id, &[$((stringify!($name), &$value as &dyn std::fmt::Display)),*])
    };
}
pub(crate) use t;

fn catalogue(lang: Lang) -> &'static HashMap<&'static str, String> {
    static TABLES: [OnceLock<HashMap<&'static str, String>>; 2] =
        [OnceLock::new(), OnceLock::new()];
    let (slot, source) = match lang {
        Lang::En => (&TABLES[0], EN),
        Lang::Zh => (&TABLES[1], ZH),
    };
    slot.get_or_init(|| entries(source).collect())
}

/// The catalogue's entries, as (id, text with its line breaks).
fn entries(source: &'static str) -> impl Iterator<Item = (&'static str, String)> {
    source
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(" = "))
        .map(|(id, text)| (id.trim(), text.replace("\\n", "\n")))
}

/// Replaces each `{name}` of `template` by its argument; an unknown one stays as it is.
fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (v.to_string(), close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// The `{placeholders}` of a message.
    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|piece| piece.split_once('}').map(|(name, _)| name))
            .collect()
    }

    fn table(source: &'static str) -> BTreeMap<&'static str, String> {
        let mut table = BTreeMap::new();
        for (id, text) in entries(source) {
            assert!(table.insert(id, text).is_none(), "`{id}` is there twice");
        }
        table
    }

    #[test]
    fn both_languages_hold_the_same_ids_with_the_same_placeholders() {
        let (en, zh) = (table(EN), table(ZH));
        let ids = |t: &BTreeMap<&'static str, String>| t.keys().copied().collect::<Vec<_>>();
        assert_eq!(ids(&en), ids(&zh), "en.txt and zh.txt hold different ids");
        for (id, english) in &en {
            assert_eq!(
                placeholders(english),
                placeholders(&zh[id]),
                "`{id}` has other placeholders in zh.txt than in en.txt"
            );
        }
        // Every non-comment line is an entry, so a typo never drops one silently.
        for source in [EN, ZH] {
            for line in source.lines() {
                assert!(
                    line.trim().is_empty() || line.starts_with('#') || line.contains(" = "),
                    "not an entry: {line}"
                );
            }
        }
    }

    /// Every `t!("id"` of the runner's source names an entry, and every entry is used.
    #[test]
    fn the_code_uses_every_entry_and_only_those() {
        let en = table(EN);
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used = BTreeSet::new();
        for file in crate::engine::source::rust_files(&src) {
            let code = std::fs::read_to_string(&file).unwrap();
            // `t!(` as a macro of its own (not the end of `format!(`), then its id.
            for (at, _) in code.match_indices("t!(") {
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = code[at + 3..].trim_start();
                let id = rest.strip_prefix('"').and_then(|r| r.split('"').next());
                // An id is kebab-case; `id` itself is the example in the docs.
                if let Some(id) = id
                    && id != "id"
                    && !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    used.insert(id.to_string());
                }
            }
        }
        for id in &used {
            assert!(en.contains_key(id.as_str()), "`{id}` is not in en.txt");
        }
        for id in en.keys() {
            assert!(
                used.contains(*id),
                "`{id}` is in en.txt but no code uses it"
            );
        }
    }

    #[test]
    fn the_flag_beats_the_remembered_choice_which_beats_the_locale() {
        assert_eq!(choose(Some("en"), Some(Lang::Zh), Lang::Zh), Lang::En);
        assert_eq!(choose(None, Some(Lang::Zh), Lang::En), Lang::Zh);
        assert_eq!(choose(Some("auto"), Some(Lang::En), Lang::Zh), Lang::Zh);
        assert_eq!(choose(None, None, Lang::Zh), Lang::Zh);
    }

    #[test]
    fn the_locale_is_the_first_non_empty_variable() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", ""), ("LANG", "zh_TW.UTF-8")])),
            Lang::Zh
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_MESSAGES", "C"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        let n = 3;
        assert_eq!(
            fill(
                "{n} of {total} ({unknown}) {",
                &[("n", &n), ("total", &"7")]
            ),
            "3 of 7 ({unknown}) {"
        );
    }
}
