//! Untrusted text (server messages, header values, ids, codes, arguments quoted in an
//! error) is shown with every character that could drive the terminal or hide from
//! the reader made visible: no escape sequences, no cursor moves, no bells, no hidden
//! bidirectional reordering, no invisible characters between visible ones.
//!
//! What counts as unsafe comes from Unicode's general categories, not a hand list, so
//! a new Unicode release adds its new format characters by itself: `Cc` (C0, DEL,
//! C1), `Cf` (format: bidi controls, zero-width characters, the soft hyphen, U+061C,
//! U+180E, U+2060–2064, U+206A–206F, U+FFF9–FFFB, the tag characters, ...), `Zl` and
//! `Zp` (U+2028, U+2029, which terminals and editors may take as line breaks). On top
//! of those, the variation selectors (U+FE00–FE0F, U+E0100–E01EF: nonspacing marks
//! that change a glyph unseen) and the whole tag block U+E0000–E007F, unassigned
//! code points included.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether `c` is shown as an escape rather than as itself.
pub fn is_unsafe(c: char) -> bool {
    match c {
        // ASCII: C0 and DEL only; C1 too, so the table is not consulted below U+00A0.
        '\0'..='\u{9f}' => c.is_control(),
        '\u{fe00}'..='\u{fe0f}' | '\u{e0000}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}' => true,
        _ => matches!(
            c.general_category(),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        ),
    }
}

/// Whether `visible` would show `text` unchanged.
pub fn is_shown_as_is(text: &str) -> bool {
    is_printable_ascii(text) || !text.chars().any(is_unsafe)
}

/// Whether `text` is all printable ASCII (space to `~`), what nearly every field is:
/// safe without decoding a character. Without an early exit the loop is vectorised,
/// 16 or 32 bytes a step, so checking a whole long value costs less than stopping
/// early would save.
pub fn is_printable_ascii(text: &str) -> bool {
    let outside = text.bytes().fold(0u8, |any, b| {
        any | u8::from(b.wrapping_sub(b' ') > b'~' - b' ')
    });
    outside == 0
}

/// `text` with every unsafe character replaced by a visible escape (`\x1b`, `\n`,
/// `\u{202e}`).
pub fn visible(text: &str) -> Cow<'_, str> {
    if is_shown_as_is(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{is_unsafe, visible};

    #[test]
    fn escapes_cannot_reach_the_terminal() {
        let hostile = "\u{1b}]8;;http://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\ \u{1b}[2J\u{7}\u{8}\r\u{9b}31m\u{202e}";
        let shown = visible(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(
            shown,
            "\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\ \\x1b[2J\\x07\\x08\\r\\x9b31m\\u{202e}"
        );
    }

    #[test]
    fn plain_text_is_untouched() {
        for text in [
            "Access Denied. 访问被拒绝",
            "Zugriff verweigert: Größe überschritten",
            "ошибка доступа",
            "مرفوض", // Arabic letters, no marks
            "emoji ok 👍",
            "",
        ] {
            assert!(
                matches!(visible(text), std::borrow::Cow::Borrowed(_)),
                "{text}"
            );
        }
    }

    /// Issue 15's list of format characters that reached the terminal raw.
    #[test]
    fn format_characters_are_escaped() {
        let escaped = [
            '\u{61c}',
            '\u{ad}',
            '\u{180e}',
            '\u{2028}',
            '\u{2029}',
            '\u{2060}',
            '\u{2061}',
            '\u{2062}',
            '\u{2063}',
            '\u{2064}',
            '\u{206a}',
            '\u{206b}',
            '\u{206c}',
            '\u{206d}',
            '\u{206e}',
            '\u{206f}',
            '\u{fff9}',
            '\u{fffa}',
            '\u{fffb}',
            '\u{e0000}',
            '\u{e0001}',
            '\u{e0020}',
            '\u{e0041}',
            '\u{e007f}',
            '\u{fe00}',
            '\u{fe0f}',
            '\u{e0100}',
            '\u{e01ef}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            '\u{feff}',
            '\u{7f}',
            '\u{80}',
            '\u{9f}',
            '\u{0}',
            '\u{1b}',
            '\u{110bd}',
            '\u{1d173}',
            '\u{600}',
        ];
        for c in escaped {
            assert!(is_unsafe(c), "U+{:04X}", c as u32);
            let shown = visible(&format!("a{c}b")).into_owned();
            assert!(shown.starts_with("a\\") && shown.ends_with('b'), "{shown}");
            assert!(!shown.contains(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn escapes_are_named_by_code_point() {
        assert_eq!(visible("\u{ad}"), "\\xad");
        assert_eq!(visible("\u{2028}"), "\\u{2028}");
        assert_eq!(visible("\u{e0041}"), "\\u{e0041}");
        assert_eq!(visible("a\nb\tc\r"), "a\\nb\\tc\\r");
    }

    #[test]
    fn visible_neighbours_stay_themselves() {
        // Just outside the escaped ranges, or visible characters of the same blocks.
        for c in [
            ' ',
            '~',
            '\u{a0}',
            '\u{a9}',
            '\u{ae}',
            '\u{2010}',
            '\u{2027}',
            '\u{202f}',
            '\u{2070}',
            '\u{fdff}',
            '\u{fe10}',
            '\u{fffc}',
            '\u{fffd}',
            '\u{e0080}',
            '\u{e01f0}',
            '\u{3000}',
            '中',
        ] {
            assert!(!is_unsafe(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_categories() {
        for b in 0u8..0x80 {
            let c = char::from(b);
            assert_eq!(is_unsafe(c), !(b' '..=b'~').contains(&b), "{b:#x}");
        }
    }
}
