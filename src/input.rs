//! Reading the input: arguments, a file or stdin, with a size limit applied while
//! reading, and text decoded from UTF-8 or UTF-16 (Windows PowerShell pipes UTF-16).

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::words::{fill, words};

/// Where the input comes from.
pub enum Source<'a> {
    Args(&'a [String]),
    File(&'a Path),
    Stdin,
}

pub fn read(source: Source<'_>, max_bytes: u64) -> Result<String> {
    let bytes = match source {
        Source::Args(args) => return Ok(args.join(" ")),
        Source::File(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| fill(words().cannot_read, &[&path.display()]))?;
            read_limited(file, max_bytes)
                .with_context(|| fill(words().cannot_read, &[&path.display()]))?
        }
        Source::Stdin => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                bail!(words().no_input);
            }
            read_limited(stdin.lock(), max_bytes)
                .with_context(|| fill(words().cannot_read, &[&words().standard_input]))?
        }
    };
    Ok(decode(&bytes))
}

fn read_limited(reader: impl Read, max_bytes: u64) -> Result<Vec<u8>> {
    // A pasted response is a few KiB: read it without growing the buffer on the way.
    let mut bytes = Vec::with_capacity(16 << 10);
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        bail!(fill(words().too_large, &[&(max_bytes >> 20)]));
    }
    Ok(bytes)
}

/// UTF-8 (BOM optional) or UTF-16 with a BOM; invalid sequences become U+FFFD.
pub fn decode(bytes: &[u8]) -> String {
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
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        _ => utf8(bytes),
    }
}

/// Valid UTF-8 is checked by the fast validator and copied once; only invalid input
/// pays for the lossy decoder.
fn utf8(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc"), "abc");
        assert_eq!(decode(b"\xFF\xFEa\0b\0"), "ab");
        assert_eq!(decode(b"\xFE\xFF\0a\0b"), "ab");
        assert_eq!(decode(b"a\xFFb"), "a\u{FFFD}b");
    }

    #[test]
    fn refuses_input_over_the_limit_without_reading_it_all() {
        let endless = std::io::repeat(b'x');
        let err = read_limited(endless, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
    }
}
