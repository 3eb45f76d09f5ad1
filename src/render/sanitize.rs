//! Untrusted text (server messages, header values, ids) is shown with every control
//! character made visible, so a pasted body can never drive the terminal: no escape
//! sequences, no cursor moves, no bells, no hidden bidirectional reordering.

use std::borrow::Cow;
use std::fmt::Write as _;

fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Whether `text` is all printable ASCII (space to `~`), what nearly every field is.
/// Without an early exit the loop is vectorised, 16 or 32 bytes a step, so checking a
/// whole long value costs less than stopping early would save.
pub fn is_printable_ascii(text: &str) -> bool {
    let outside = text.bytes().fold(0u8, |any, b| {
        any | u8::from(b.wrapping_sub(b' ') > b'~' - b' ')
    });
    outside == 0
}

/// Whether `visible` would show `text` unchanged.
pub fn is_shown_as_is(text: &str) -> bool {
    matches!(visible(text), Cow::Borrowed(_))
}

/// `text` with control, bidi and zero-width characters replaced by visible escapes
/// (`\x1b`, `\n`, `\u{202e}`).
pub fn visible(text: &str) -> Cow<'_, str> {
    // Printable ASCII, what nearly every field is, needs no decoding to check.
    if is_printable_ascii(text) || !text.chars().any(is_unsafe) {
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
    use super::visible;

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
        assert!(matches!(
            visible("Access Denied. 访问被拒绝"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
