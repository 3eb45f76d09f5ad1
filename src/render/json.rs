//! The script view: one JSON object per report, schema documented in README.md
//! ("JSON output"). Keys are never removed or renamed within a schema version.

use std::io::{self, Write};

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::sanitize;

use crate::catalog::{Entry, MatchKind};
use crate::diagnose::format_time;
use crate::parse::Extra;
use crate::report::Report;

pub const SCHEMA_VERSION: u32 = 1;

/// A catalog entry as JSON: the keys of a report's `matches` that do not depend on
/// the input. `list` and `search` print entries this way too.
pub fn entry(e: &Entry) -> Map<String, Value> {
    [
        ("vendor", json!(e.vendor.id())),
        ("product", json!(e.product.id())),
        ("section", json!(e.section())),
        ("code", json!(e.code())),
        ("http_status", json!(e.status)),
        ("message", json!(e.message())),
        ("meaning", json!(e.meaning())),
        ("fix", json!(e.fix())),
        ("retryable", json!(e.retryable)),
        ("source", json!(e.source())),
        ("doc_url", json!(e.doc_url())),
        ("sent_with_code", json!(e.error_code())),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value))
    .collect()
}

/// `value` on one line, then a newline (JSON Lines), in one write.
pub fn write_line(out: &mut impl Write, value: &Value) -> io::Result<()> {
    let mut line = terminal_safe(value.to_string());
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// `value` indented for people, with a final newline.
pub fn to_string_pretty(value: &Value) -> String {
    // From a Value (string keys only), serialising cannot fail.
    let mut text = terminal_safe(serde_json::to_string_pretty(value).unwrap_or_default());
    text.push('\n');
    text
}

/// `json` with every character the table's sanitiser would escape (DEL, C1 controls
/// such as U+009B, bidi overrides, zero-width and other format characters; see
/// `sanitize::is_unsafe`) written as `\uXXXX`. serde_json escapes only C0, so
/// `jq -r .message` on a terminal would have played the rest. Outside strings JSON
/// is ASCII, so each such character is inside a string, where its escape means the
/// same: the JSON stays valid and every value decodes to exactly what was read. A raw
/// C0 character can only be the layout's own newline: serde_json escaped the others.
fn terminal_safe(json: String) -> String {
    // Nearly all output: ASCII, where serde_json already escaped all but DEL.
    if json.is_ascii() && !json.contains('\x7f') {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c >= '\x7f' && sanitize::is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub fn to_value(report: &Report) -> Value {
    let matches: Vec<Value> = report
        .matches
        .iter()
        .map(|m| {
            let mut object = entry(m.entry);
            let template = match &m.kind {
                MatchKind::Exact => Value::Null,
                MatchKind::Template { placeholder, value } => {
                    json!({ "placeholder": placeholder, "value": value })
                }
            };
            object.insert("template".into(), template);
            object.insert("message_agrees".into(), m.message_agrees.into());
            Value::Object(object)
        })
        .collect();
    let details: Map<String, Value> = report
        .details
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Extra::Text(text) => Value::String(text.clone()),
                Extra::Group(members) => Value::Object(
                    members
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                ),
            };
            (name.clone(), value)
        })
        .collect();
    let evidence: Vec<Value> = report
        .evidence
        .iter()
        .map(|s| {
            json!({
                "vendor": s.vendor.map(|v| v.id()).or(s.foreign),
                "product": s.product.map(|p| p.id()),
                "note": s.note,
            })
        })
        .collect();
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| json!({ "kind": f.kind, "text": f.text }))
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "explained": report.is_explained(),
        "input_kind": report.input_kind.id(),
        "vendor": report.vendor.map(|v| v.id()),
        "product": report.product.map(|p| p.id()),
        "foreign_vendor": report.foreign,
        "service": report.service,
        "http_status": report.http_status,
        "code": report.code,
        "message": report.message,
        "request_id": report.request_id,
        "received_at": report.received_at.map(format_time),
        "host_id": report.host_id,
        "trace_id": report.trace_id,
        "ec": report.ec,
        "ec_category": report.ec_category.map(|c| json!({
            "prefix": c.prefix, "name": c.name, "meaning": c.meaning, "source": c.source,
        })),
        "recommend": report.recommend,
        "request": report.request.as_ref().map(|r| json!({
            "method": r.method, "host": r.host, "target": r.target,
        })),
        "details": details,
        "matches": matches,
        "status_meaning": report.status_meaning.map(|s| json!({
            "status": s.status, "meaning": s.meaning, "fix": s.fix,
            "retryable": s.retryable, "source": s.source,
        })),
        "status_entries": report.status_entries.iter().flatten().map(|e| json!({
            "vendor": e.vendor.id(), "product": e.product.id(), "code": e.code(),
        })).collect::<Vec<_>>(),
        "findings": findings,
        "suggestions": report.suggestions,
        "evidence": evidence,
        "masked": report.masked,
        "redacted_in_input": report.redacted_in_input,
        "repairs": report.repairs,
        "other_errors": report.others.iter().map(to_value).collect::<Vec<_>>(),
        "unread_errors": report.unread_errors,
        "unread_at_least": report.unread_at_least,
        "alternatives": report.alternatives.iter().map(|c| json!({
            "field": c.field.id(), "value": c.value, "source": c.source.id(), "key": c.key,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_and_values_stay_exact() {
        let value = json!({
            "k\u{202e}": "del\u{7f} c1\u{9b} rlo\u{202e} zw\u{200b} tag\u{e0041} ok é 中",
            "plain": "a\"b\\c\n\u{1b}",
        });
        for text in [to_string_pretty(&value), {
            let mut line = Vec::new();
            write_line(&mut line, &value).unwrap();
            String::from_utf8(line).unwrap()
        }] {
            assert!(
                !text.chars().any(|c| c != '\n' && sanitize::is_unsafe(c)),
                "{text:?}"
            );
            assert!(
                text.contains(
                    "del\\u007f c1\\u009b rlo\\u202e zw\\u200b tag\\udb40\\udc41 ok é 中"
                ),
                "{text}"
            );
            assert!(text.contains("\"k\\u202e\""), "{text}");
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
        }
    }

    #[test]
    fn ascii_output_is_serde_json_s_own() {
        let value = json!({ "a": [1, "x\ty"], "b": null });
        assert_eq!(
            to_string_pretty(&value),
            format!("{}\n", serde_json::to_string_pretty(&value).unwrap())
        );
    }
}
