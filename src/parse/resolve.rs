//! Candidates in, one value per field out, by one written rule.
//!
//! Readers record every value they find for a known field with the kind of place it
//! came from (`fields::Source`). For each field the candidate with the highest weight
//! wins; the others are kept as `alternatives`, so `--json` can show what lost. The
//! weight is the source's rank, plus agreement with the catalog: a code the catalog
//! has, a message that is an entry's literal. Equal weights go to the earlier value.

use super::Fields;
use super::fields::{Candidate, Known, Source};
use crate::catalog;

/// What agreeing with the catalog is worth: one and a half steps of source rank, so a
/// code the catalog has, read from a bare key, beats an unknown one from a quoted key,
/// but never a body element's.
const AGREEMENT: i32 = 15;

pub fn resolve(fields: &mut Fields) {
    let mut candidates = std::mem::take(&mut fields.candidates);
    statuses_written_as_codes(&mut candidates);
    words_as_code_or_message(&mut candidates);
    candidates.retain(|c| c.field != Known::Status || status_value(&c.value).is_some());

    let mut alternatives: Vec<Candidate> = Vec::new();
    let mut group = Vec::new();
    for field in FIELDS {
        group.clear();
        group.extend((0..candidates.len()).filter(|&i| candidates[i].field == field));
        let Some(&first) = group.first() else {
            continue;
        };
        // With one value there is nothing to weigh, and asking the catalog costs a search.
        let contested = group
            .iter()
            .any(|&i| candidates[i].value != candidates[first].value);
        // max_by_key keeps the last of equals: compare with the order reversed.
        let best = group
            .iter()
            .copied()
            .max_by_key(|&i| (weight(&candidates[i], contested), std::cmp::Reverse(i)))
            .unwrap_or(first);
        let winner = &candidates[best].value;
        for &i in &group {
            let c = &candidates[i];
            let seen = alternatives
                .iter()
                .any(|a| a.field == field && a.value == c.value);
            if c.value != *winner && !seen {
                alternatives.push(c.clone());
            }
        }
        let value = winner.clone();
        match field {
            Known::Status => fields.status = status_value(&value),
            _ => *slot(fields, field) = Some(value),
        }
    }
    fields.alternatives = alternatives;
    fields.candidates = candidates;
}

const FIELDS: [Known; 9] = [
    Known::Code,
    Known::Message,
    Known::RequestId,
    Known::HostId,
    Known::TraceId,
    Known::Ec,
    Known::Recommend,
    Known::Resource,
    Known::Status,
];

fn slot(fields: &mut Fields, field: Known) -> &mut Option<String> {
    match field {
        Known::Code => &mut fields.code,
        Known::Message => &mut fields.message,
        Known::RequestId => &mut fields.request_id,
        Known::HostId => &mut fields.host_id,
        Known::TraceId => &mut fields.trace_id,
        Known::Ec => &mut fields.ec,
        Known::Recommend => &mut fields.recommend,
        Known::Resource | Known::Status => &mut fields.resource,
    }
}

fn weight(candidate: &Candidate, contested: bool) -> i32 {
    let rank = candidate.source as i32 * 10;
    if !contested {
        return rank;
    }
    let agrees = match candidate.field {
        Known::Code | Known::Ec => catalog::exact(&candidate.value).next().is_some(),
        Known::Message => catalog::is_literal_message(&candidate.value),
        _ => false,
    };
    rank + if agrees { AGREEMENT } else { 0 }
}

/// Three digits, or a reason phrase (.NET's `StatusCode: Forbidden`).
fn status_value(value: &str) -> Option<u16> {
    let digits = catalog::status_of_reason(value).unwrap_or(value);
    digits.parse().ok().filter(|s| (100..600).contains(s))
}

/// Three digits where a code stands are the HTTP status (Tea's `code: 404`, botocore's
/// `An error occurred (403)` for an empty body) when they are a status HTTP defines,
/// unless the catalog has such a code: a service's own `Code=463` stays a code.
fn statuses_written_as_codes(candidates: &mut [Candidate]) {
    for c in candidates.iter_mut().filter(|c| c.field == Known::Code) {
        if is_status_as_code(&c.value) {
            c.field = Known::Status;
        }
    }
}

/// A status HTTP defines that the catalog has no code for, standing where a code does.
pub fn is_status_as_code(value: &str) -> bool {
    value.len() == 3
        && value.bytes().all(|b| b.is_ascii_digit())
        && catalog::reason_of(value).is_some()
        && catalog::exact(value).next().is_none()
}

/// A line of plain words was read as both a code and a message (`Request has expired`,
/// `access denied`, `The specified key does not exist.`): keep the code when the
/// catalog has it, else the message when it is an entry's literal, else the code, whose
/// near misses can still be suggested.
fn words_as_code_or_message(candidates: &mut Vec<Candidate>) {
    let words = |field: Known| {
        candidates
            .iter()
            .position(|c| c.source == Source::Words && c.field == field)
    };
    let (Some(code), Some(message)) = (words(Known::Code), words(Known::Message)) else {
        return;
    };
    // `Request has expired.`: a code with spaces, copied with its sentence's period.
    let value = &candidates[code].value;
    let unstopped = value.trim_end_matches('.');
    if unstopped != value && catalog::exact(unstopped).next().is_some() {
        candidates[code].value = unstopped.to_owned();
    }
    let as_code = catalog::exact(&candidates[code].value).next().is_some();
    let as_message = !as_code && catalog::is_literal_message(&candidates[message].value);
    candidates.remove(if as_message { code } else { message });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(values: &[(Source, &str, &str)]) -> Fields {
        let mut fields = Fields::default();
        for (source, name, value) in values {
            fields.add(*source, name, value);
        }
        resolve(&mut fields);
        fields
    }

    #[test]
    fn the_stronger_source_wins_and_the_loser_is_kept() {
        let f = resolved(&[
            (Source::BareKey, "Code", "Other"),
            (Source::Element, "Code", "NoSuchKey"),
        ]);
        assert_eq!(f.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(f.alternatives.len(), 1);
        assert_eq!(f.alternatives[0].value, "Other");
    }

    #[test]
    fn equal_sources_keep_the_first_value() {
        let f = resolved(&[
            (Source::BareKey, "RequestId", "A"),
            (Source::BareKey, "request_id", "B"),
        ]);
        assert_eq!(f.request_id.as_deref(), Some("A"));
    }

    #[test]
    fn a_code_the_catalog_has_beats_a_stronger_unknown_one() {
        let f = resolved(&[
            (Source::QuotedKey, "code", "E500x"),
            (Source::BareKey, "Code", "AccessDenied"),
        ]);
        assert_eq!(f.code.as_deref(), Some("AccessDenied"));
    }

    #[test]
    fn three_digits_in_a_code_slot_are_the_status() {
        let f = resolved(&[
            (Source::BareKey, "code", "404"),
            (Source::Headline, "Code", "X"),
        ]);
        assert_eq!(f.status, Some(404));
        assert_eq!(f.code.as_deref(), Some("X"));
    }

    #[test]
    fn three_digits_that_are_no_http_status_stay_a_code() {
        let f = resolved(&[(Source::BareKey, "Code", "463")]);
        assert_eq!((f.status, f.code.as_deref()), (None, Some("463")));
        let f = resolved(&[(Source::BareKey, "Code", "422")]);
        assert_eq!((f.status, f.code), (Some(422), None));
    }

    #[test]
    fn words_are_a_code_or_a_message() {
        let words = |text: &str| {
            resolved(&[
                (Source::Words, "Code", text),
                (Source::Words, "Message", text),
            ])
        };
        let f = words("The specified key does not exist.");
        assert_eq!((f.code, f.message.is_some()), (None, true));
        let f = words("acess denied");
        assert_eq!((f.code.is_some(), f.message), (true, None));
    }

    #[test]
    fn the_status_line_beats_a_body_status() {
        let f = resolved(&[
            (Source::Element, "Status", "400"),
            (Source::StatusLine, "status", "403"),
            (Source::BareKey, "status", "-2"),
        ]);
        assert_eq!(f.status, Some(403));
    }
}
