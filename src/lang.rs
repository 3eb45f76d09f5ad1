//! The language errdecode writes in: English or Chinese (`--lang`, else the locale).
//!
//! Chosen once per process, as the C locale is, so that every stage that shows a
//! catalog text (table, JSON, `list`, `search`, completion answers) shows it in one
//! language without each taking a parameter it only passes on.

use std::ffi::OsStr;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The id `--lang` and `--json`'s `lang` use.
    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

static CHINESE: AtomicBool = AtomicBool::new(false);

/// Sets the process's language: from the locale first, then from `--lang` once the
/// command line is read, so that even a usage error speaks the locale's language.
pub fn choose(lang: Lang) {
    CHINESE.store(lang == Lang::Zh, Ordering::Relaxed);
}

/// The process's language: English until [`choose`] says otherwise.
pub fn current() -> Lang {
    if CHINESE.load(Ordering::Relaxed) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// Of an English text and its Chinese twin, the one in the process's language.
pub fn pick<T>([en, zh]: [T; 2]) -> T {
    match current() {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The language the locale asks for: the first of `LC_ALL`, `LC_MESSAGES` and `LANG`
/// that is set and not empty decides, as POSIX orders them; `zh_CN.UTF-8`, `zh_TW`
/// or plain `zh` give Chinese, anything else English.
pub fn from_locale() -> Lang {
    from_variables(["LC_ALL", "LC_MESSAGES", "LANG"].map(std::env::var_os))
}

fn from_variables<S: AsRef<OsStr>>(values: [Option<S>; 3]) -> Lang {
    let chosen = values
        .iter()
        .flatten()
        .map(AsRef::as_ref)
        .find(|v| !v.is_empty());
    match chosen.and_then(OsStr::to_str) {
        Some(v) if v == "zh" || v.starts_with("zh_") || v.starts_with("zh.") => Lang::Zh,
        _ => Lang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_locale_variable_set_decides() {
        let zh = Some("zh_CN.UTF-8");
        let en = Some("en_US.UTF-8");
        assert_eq!(from_variables([None, None, zh]), Lang::Zh);
        assert_eq!(from_variables([en, None, zh]), Lang::En);
        assert_eq!(from_variables([Some(""), zh, en]), Lang::Zh);
        assert_eq!(from_variables([Some("zh_TW"), None, None]), Lang::Zh);
        assert_eq!(from_variables([Some("zh"), None, None]), Lang::Zh);
        assert_eq!(from_variables([Some("C"), None, zh]), Lang::En);
        assert_eq!(from_variables::<&str>([None, None, None]), Lang::En);
        // A language that merely starts with the letters is not Chinese.
        assert_eq!(from_variables([Some("zha_XX"), None, None]), Lang::En);
    }
}
