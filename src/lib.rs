//! errdecode explains Alibaba Cloud and Tencent Cloud error responses, offline.
//!
//! One stage per module, data flowing one way:
//! input → [`parse`] (whose last step, [`redact::mask`], masks every secret) → [`detect`] → [`lookup`] (over the [`catalog`]) → [`report`] → [`render`].
//!
//! Diagnostics go to stderr only through [`diag`], which cannot abort the process.
#![deny(clippy::print_stderr)]

pub mod catalog;
pub mod cli;
pub mod commands;
pub mod detect;
pub mod diag;
pub mod diagnose;
mod endpoint_form;
pub mod find;
pub mod input;
pub mod lang;
pub mod lookup;
mod message_key;
pub mod notation;
pub mod pager;
pub mod parse;
pub mod redact;
pub mod render;
pub mod report;
pub mod scan;
pub mod signals;
pub mod words;

use lookup::Scope;
use parse::ParseError;
use report::Report;

/// The whole pipeline from pasted text to a report, as the binary runs it.
/// A paste that holds several errors gives the first, with the others in
/// `Report::others`, each read on its own.
pub fn decode(text: &str, scope: Scope) -> Result<Report, ParseError> {
    if let Some(report) = bare_status(text).and_then(|s| Report::for_status(s, scope)) {
        return Ok(report);
    }
    let mut parsed = parse::parse(text)?;
    let others = std::mem::take(&mut parsed.others);
    let mut report = explain(parsed, scope);
    report.others = others.into_iter().map(|p| explain(p, scope)).collect();
    Ok(report)
}

fn explain(parsed: parse::Parsed, scope: Scope) -> Report {
    let detection = detect::detect(&parsed);
    let found = lookup::lookup(&parsed.fields, &detection, scope);
    Report::new(parsed, detection, found)
}

/// An HTTP status typed alone, `403`, `HTTP 503` or `http/1.1 404` (any case, a
/// status from 100 to 599), that is not also a catalog code: CI's `423` decodes as
/// the code. Anything more (a body, a reason phrase) is a paste for the readers.
pub fn bare_status(text: &str) -> Option<u16> {
    let text = text.trim();
    // Short inputs only: the check costs nothing on a paste.
    if text.len() > 12 {
        return None;
    }
    let digits = match text.get(..4) {
        Some(http) if http.eq_ignore_ascii_case("http") => {
            let rest = &text[4..];
            let rest = match rest.strip_prefix('/') {
                Some(version) => {
                    version.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                }
                None => rest,
            };
            let digits = rest.trim_start();
            (digits.len() < rest.len()).then_some(digits)?
        }
        _ if catalog::exact(text).next().is_some() => return None,
        _ => text,
    };
    let b = digits.as_bytes();
    if b.len() != 3 || !b.iter().all(u8::is_ascii_digit) || !(b'1'..=b'5').contains(&b[0]) {
        return None;
    }
    digits.parse().ok()
}

/// Whether `arg` is a code the catalog knows on its own (exactly, or through a
/// template such as `Missing{ParameterName}`), or a bare HTTP status: several such
/// arguments are several codes, one report each, where other words are one message.
pub fn is_known_code(arg: &str) -> bool {
    !arg.is_empty()
        && !arg.contains(char::is_whitespace)
        && (!catalog::candidates(arg).is_empty() || bare_status(arg).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_statuses_are_read_in_the_forms_people_type() {
        for (text, status) in [
            ("403", Some(403)),
            (" 503\n", Some(503)),
            ("HTTP 503", Some(503)),
            ("http 404", Some(404)),
            ("HTTP/1.1 404", Some(404)),
            ("HTTP/2 500", Some(500)),
            ("HTTP 423", Some(423)),
            // CI's code 423 is a code first.
            ("423", None),
            ("HTTP503", None),
            ("HTTP 5030", None),
            ("600", None),
            ("HTTP 503 Service Unavailable", None),
            ("-46618", None),
        ] {
            assert_eq!(bare_status(text), status, "{text:?}");
        }
    }

    #[test]
    fn words_of_a_message_are_not_codes() {
        for word in [
            "Request",
            "has",
            "expired",
            "The",
            "specified",
            "key",
            "does",
            "not",
            "exist.",
        ] {
            assert!(!is_known_code(word), "{word}");
        }
        for code in [
            "-46618",
            "NoSuchKey",
            "accessdenied",
            "MissingProjectName",
            "0003-00000201",
            "403",
        ] {
            assert!(is_known_code(code), "{code}");
        }
    }
}
