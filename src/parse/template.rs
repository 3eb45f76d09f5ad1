//! Line templates (`catalog/templates.tsv`): the fixed sentences SDKs print around an
//! error's fields, matched as data rather than written as one function per SDK.
//!
//! Each template's anchor (its first literal of three or more characters) is searched
//! for; from each place it occurs, the parts left of it are read backwards and the
//! parts right of it forwards, within the line unless a literal spans lines. A capture
//! whose text does not fit its field fails the match there.

use crate::notation::{Capture, LINE_TEMPLATES, LineTemplate, Part};

/// How many places one template's anchor is tried at, and how many matches it keeps:
/// a real paste has one or two; each try reads back over its line, so a line of
/// thousands of anchors must not be read once per anchor.
const MAX_TRIES: usize = 32;
const MAX_MATCHES: usize = 4;

/// One match: the template's name and what each capture read.
pub struct Match<'t> {
    pub template: &'static str,
    /// Where the anchor starts in the text.
    pub at: usize,
    pub values: Vec<(Capture, &'t str)>,
}

/// Every match of every template in `text`.
pub fn matches(text: &str) -> Vec<Match<'_>> {
    // Each anchor's searcher, built once: building one costs more than a search.
    static FINDERS: std::sync::OnceLock<Vec<Option<memchr::memmem::Finder<'static>>>> =
        std::sync::OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        LINE_TEMPLATES
            .iter()
            .map(|t| match t.parts[t.anchor] {
                Part::Literal(anchor) => Some(memchr::memmem::Finder::new(anchor)),
                Part::Capture(_) => None,
            })
            .collect()
    });
    let mut found = Vec::new();
    for (template, finder) in LINE_TEMPLATES.iter().zip(finders) {
        let Some(finder) = finder else {
            continue;
        };
        let mut kept = 0;
        for start in finder.find_iter(text.as_bytes()).take(MAX_TRIES) {
            if let Some(values) = match_at(text, template, start) {
                found.push(Match {
                    template: template.name,
                    at: start,
                    values,
                });
                kept += 1;
                if kept == MAX_MATCHES {
                    break;
                }
            }
        }
    }
    found
}

/// Adds what the templates matched in `text` to `fields`, as template candidates: for
/// a sentence an SDK printed inside a string value (a JSON log's `"error": "...\n\t
/// status code: 503, ..."`), whose fields only read right once the string is unescaped.
pub fn add_fields(text: &str, fields: &mut super::Fields) {
    for found in matches(text) {
        for (capture, value) in found.values {
            if let Some(field) = capture.field() {
                fields.add_known(super::Source::Template, field, found.template, value);
            }
        }
    }
}

fn match_at<'t>(
    text: &'t str,
    template: &LineTemplate,
    anchor_start: usize,
) -> Option<Vec<(Capture, &'t str)>> {
    let parts = template.parts;
    let mut values = Vec::new();
    // Leftwards from the anchor.
    let mut pos = anchor_start;
    for i in (0..template.anchor).rev() {
        match parts[i] {
            Part::Literal(literal) => {
                text[..pos].ends_with(literal).then_some(())?;
                pos -= literal.len();
            }
            Part::Capture(capture) => {
                let line_start = text[..pos].rfind('\n').map_or(0, |n| n + 1);
                let line = &text[line_start..pos];
                let start = match i.checked_sub(1).map(|p| &parts[p]) {
                    // The template's first part: one word, which an opening bracket or
                    // quote also ends (`(403 (Code): ...`).
                    None => line
                        .char_indices()
                        .rev()
                        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '\''))
                        .map_or(line_start, |(w, c)| line_start + w + c.len_utf8()),
                    Some(Part::Literal(before)) => line_start + line.rfind(before)? + before.len(),
                    Some(Part::Capture(_)) => return None,
                };
                values.push((capture, fitted(capture, &text[start..pos])?));
                pos = start;
            }
        }
    }
    // Rightwards from the anchor.
    let Part::Literal(anchor) = parts[template.anchor] else {
        return None;
    };
    let mut pos = anchor_start + anchor.len();
    for i in template.anchor + 1..parts.len() {
        match parts[i] {
            Part::Literal(literal) => {
                text[pos..].starts_with(literal).then_some(())?;
                pos += literal.len();
            }
            Part::Capture(capture) => {
                let line_end =
                    memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |n| pos + n);
                let end = match parts.get(i + 1) {
                    Some(Part::Literal(next)) if next.contains('\n') => {
                        pos + text[pos..].find(next)?
                    }
                    Some(Part::Literal(next)) => pos + text[pos..line_end].find(next)?,
                    _ => line_end,
                };
                values.push((capture, fitted(capture, &text[pos..end])?));
                pos = end;
            }
        }
    }
    Some(values)
}

/// The captured text as its field wants it, or `None` when it does not fit.
fn fitted(capture: Capture, text: &str) -> Option<&str> {
    let text = text.trim();
    let token = || {
        let end = text
            // A backslash starts an escape that was printed, not decoded (`403\r\n`).
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')' | '\\'))
            .unwrap_or(text.len());
        let token = text[..end].trim_end_matches(['.', '"', '\'']);
        (!token.is_empty()).then_some(token)
    };
    match capture {
        Capture::Code => (super::is_bare_code(text)
            && text
                .starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && !text.ends_with("Error")
            && !text.ends_with("Exception")
            // A field's label (`Message: code: 400`) is no code.
            && crate::notation::field(text).is_none())
        .then_some(text),
        // Three digits, or the status's reason phrase (`Http Status Code Forbidden`).
        Capture::Status => token().and_then(|status| {
            let digits = status.len() == 3 && status.bytes().all(|b| b.is_ascii_digit());
            if digits {
                Some(status)
            } else {
                crate::catalog::status_of_reason(status)
            }
        }),
        // An SDK prints the label even when the server sent no id (`request id: , host id: `).
        Capture::RequestId | Capture::HostId | Capture::TraceId => Some(token().unwrap_or("")),
        Capture::Method => {
            (!text.is_empty() && text.bytes().all(|b| b.is_ascii_uppercase())).then_some(text)
        }
        Capture::Url => (text.contains("://") || text.starts_with('/')).then_some(text),
        Capture::Message => (!text.is_empty()).then_some(text),
        Capture::Skip => Some(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(text: &str) -> Vec<(&'static str, Vec<(Capture, &str)>)> {
        matches(text)
            .into_iter()
            .map(|m| (m.template, m.values))
            .collect()
    }

    #[test]
    fn botocore_with_and_without_retries() {
        let found = captured(
            "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation (reached max retries: 4): Access Denied",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "botocore-retries");
        assert!(found[0].1.contains(&(Capture::Code, "AccessDenied")));
        assert!(found[0].1.contains(&(Capture::Message, "Access Denied")));
    }

    #[test]
    fn a_first_word_after_a_wide_space_starts_after_it() {
        // An ideographic space (3 bytes) before the code, as Chinese text has; the
        // fuzzer found the same with U+0085, which cut a character in two.
        let found = captured(
            "错误：\u{3000}AccessDenied: Access Denied status code: 403, request id: 5A44",
        );
        let go = &found.iter().find(|f| f.0 == "aws-go-v1-joined").unwrap().1;
        assert!(go.contains(&(Capture::Code, "AccessDenied")));
        assert!(captured("\u{85}\u{85}s code: a, request id: x").len() <= MAX_MATCHES);
    }

    #[test]
    fn reads_backwards_from_the_anchor() {
        let found = captured(
            "[ERRO] GET https://b-1250000000.cos.ap-guangzhou.myqcloud.com/o: 404 NoSuchKey(Message: The specified key does not exist., RequestId: NjQ4ZDk0, TraceId: OGVm)",
        );
        let full = &found.iter().find(|f| f.0 == "cos-go").unwrap().1;
        assert!(full.contains(&(Capture::Method, "GET")));
        assert!(full.contains(&(Capture::Status, "404")));
        assert!(full.contains(&(Capture::Code, "NoSuchKey")));
        assert!(full.contains(&(Capture::RequestId, "NjQ4ZDk0")));
        assert!(found.iter().any(|f| f.0 == "cos-go-bare"));
    }

    #[test]
    fn a_template_may_span_lines() {
        let found = captured(
            "error listing: AccessDenied: Access Denied\n\tstatus code: 403, request id: 4442587FB7D0A2F9, host id: abc",
        );
        let values = &found.iter().find(|f| f.0 == "aws-go-v1").unwrap().1;
        assert!(values.contains(&(Capture::Code, "AccessDenied")));
        assert!(values.contains(&(Capture::Message, "Access Denied")));
        assert!(values.contains(&(Capture::Status, "403")));
        assert!(values.contains(&(Capture::RequestId, "4442587FB7D0A2F9")));
    }

    #[test]
    fn a_status_as_its_reason_phrase_and_an_empty_id() {
        let found = captured(
            "Error making request with Error Code SignatureDoesNotMatch and Http Status Code Forbidden. No further error information was returned by the service.",
        );
        assert!(found[0].1.contains(&(Capture::Status, "403")));
        let found = captured("Forbidden: Forbidden\n\tstatus code: 403, request id: , host id: ");
        let values = &found.iter().find(|f| f.0 == "aws-go-v1").unwrap().1;
        assert!(values.contains(&(Capture::RequestId, "")));
    }

    #[test]
    fn a_capture_that_does_not_fit_fails_the_match() {
        // `Message:` is no code: only the template without a code matches.
        let found = captured("Message: code: 400, Bad thing. request id: 7E2B");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "tea-no-code");
    }

    #[test]
    fn many_anchors_on_one_line_stay_cheap() {
        let line = "An error occurred (".repeat(200_000);
        assert!(matches(&line).is_empty());
    }
}
