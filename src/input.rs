//! Reading the input: arguments, a file or stdin, with a size limit applied while
//! reading, and text decoded from UTF-8, UTF-16 (Windows PowerShell pipes UTF-16) or
//! GB18030 (GBK, the code page of Chinese Windows consoles and many older logs).

use std::borrow::Cow;
use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::words::{fill, words};

/// Where the input comes from.
pub enum Source<'a> {
    Args(&'a [String]),
    File(&'a Path),
    /// Standard input; `explicit` when asked for by `-` or `--file -`, which on a
    /// terminal reads what the user pastes, as `cat -` does.
    Stdin {
        explicit: bool,
    },
}

/// The repair that names input read as GB18030.
pub const GB18030: &str = "gb18030";

/// The input as text, and the repair its decoding was, if any ([`GB18030`]).
pub struct Decoded {
    pub text: String,
    pub repair: Option<&'static str>,
}

pub fn read(source: Source<'_>, max_bytes: u64) -> Result<Decoded> {
    let bytes = match source {
        Source::Args(args) => {
            return Ok(Decoded {
                text: args.join(" "),
                repair: None,
            });
        }
        Source::File(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| fill(words().cannot_read(), &[&path.display()]))?;
            read_limited(file, max_bytes)
                .with_context(|| fill(words().cannot_read(), &[&path.display()]))?
        }
        Source::Stdin { explicit } => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                if !explicit {
                    bail!(words().no_input());
                }
                paste_hint();
            }
            read_limited(stdin.lock(), max_bytes)
                .with_context(|| fill(words().cannot_read(), &[&words().standard_input()]))?
        }
    };
    Ok(decode(&bytes))
}

/// The one line a terminal user gets before errdecode reads what they paste.
pub fn paste_hint() {
    crate::say!("{}", words().paste_hint());
}

fn read_limited(reader: impl Read, max_bytes: u64) -> Result<Vec<u8>> {
    // A pasted response is a few KiB: read it without growing the buffer on the way.
    let mut bytes = Vec::with_capacity(16 << 10);
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        bail!(fill(words().too_large(), &[&(max_bytes >> 20)]));
    }
    Ok(bytes)
}

/// UTF-8 (BOM optional), UTF-16 with a BOM, or GB18030 (see [`utf8_or_gb18030`]).
pub fn decode(bytes: &[u8]) -> Decoded {
    let utf16 = |bytes: &[u8], big_endian: bool| {
        let units = bytes.chunks_exact(2).map(|pair| {
            let pair = [pair[0], pair[1]];
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    let text = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        _ => {
            let (text, repair) = utf8_or_gb18030(bytes);
            return Decoded {
                text: text.into_owned(),
                repair,
            };
        }
    };
    Decoded { text, repair: None }
}

/// Text without a BOM: UTF-8 when it is valid UTF-8 (checked by the fast validator,
/// borrowed as it is); else GB18030 when every byte decodes cleanly as GB18030, with
/// the repair `gb18030` to say so; else UTF-8 with U+FFFD for each invalid sequence.
/// GB18030 is tried second because valid UTF-8 of any length is never meant as GBK
/// in practice, while GBK text is almost never valid UTF-8.
pub fn utf8_or_gb18030(bytes: &[u8]) -> (Cow<'_, str>, Option<&'static str>) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.into(), None);
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => (text, Some(GB18030)),
        None => (String::from_utf8_lossy(bytes), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").text, "abc");
        assert_eq!(decode(b"\xFF\xFEa\0b\0").text, "ab");
        assert_eq!(decode(b"\xFE\xFF\0a\0b").text, "ab");
        assert_eq!(decode(b"a\xFFb").text, "a\u{FFFD}b");
    }

    #[test]
    fn gbk_is_read_as_gb18030_and_says_so() {
        // "签名不匹配" in GBK, as a Chinese Windows console writes it.
        let gbk = b"<Message>\xc7\xa9\xc3\xfb\xb2\xbb\xc6\xa5\xc5\xe4</Message>";
        let decoded = decode(gbk);
        assert_eq!(decoded.text, "<Message>签名不匹配</Message>");
        assert_eq!(decoded.repair, Some("gb18030"));
        // UTF-8 stays UTF-8, and bytes neither can read stay replaced.
        assert_eq!(decode("签名".as_bytes()).repair, None);
        let broken = decode(b"a\xFF\xFFb");
        assert_eq!(
            (broken.text.as_str(), broken.repair),
            ("a\u{FFFD}\u{FFFD}b", None)
        );
    }

    #[test]
    fn refuses_input_over_the_limit_without_reading_it_all() {
        let endless = std::io::repeat(b'x');
        let err = read_limited(endless, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
    }
}
