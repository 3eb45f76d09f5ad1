//! The script view: one JSON object per report, schema documented in doc/json.md.
//! Keys are never removed or renamed within a schema version.

use std::collections::HashMap;
use std::io::{self, Write};

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::sanitize;

use crate::catalog::{Entry, MatchKind};
use crate::diagnose::format_rfc3339;
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

/// What in the input found a match, so that a script seeing an EC (`0003-00000201`)
/// under a report whose code is `AccessDenied` knows why: `ec`, `template` (the code
/// fits a templated entry), `message` (no code; the message is the entry's literal) or
/// `code`.
fn matched_by(report: &Report, m: &crate::lookup::Match) -> &'static str {
    match m.kind {
        MatchKind::Template { .. } => "template",
        MatchKind::Exact if m.entry.is_ec() => "ec",
        MatchKind::Exact if report.code.is_none() => "message",
        MatchKind::Exact => "code",
    }
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
            object.insert("matched_by".into(), matched_by(report, m).into());
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
                "note": s.note(),
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
        "lang": crate::lang::current().id(),
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
        "received_at": report.received_at.map(format_rfc3339),
        "host_id": report.host_id,
        "trace_id": report.trace_id,
        "ec": report.ec,
        "ec_category": report.ec_category.map(|c| json!({
            "prefix": c.prefix, "name": c.name, "meaning": c.meaning(), "source": c.source,
        })),
        "recommend": report.recommend,
        "request": report.request.as_ref().map(|r| json!({
            "method": r.method, "host": r.host, "target": r.target,
        })),
        "details": details,
        "matches": matches,
        "status_meaning": report.status_meaning.map(|s| json!({
            // The status itself, a number as http_status is; the meaning may be its
            // class's (4xx).
            "status": report.http_status, "meaning": s.meaning(), "fix": s.fix(),
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

/// Where scan found a record: the keys `scan --json` adds after a report's own.
pub struct Place<'a> {
    pub file: Option<&'a str>,
    pub line: u64,
    pub cut: bool,
}

/// Writes reports as JSON lines, the bytes `write_line(out, &to_value(report))`
/// writes (with `place`'s keys after the report's, as `scan --json` inserts them),
/// straight into a reused line without building a `Value`: scan mode prints thousands
/// of reports, and the tree of maps and strings cost more than decoding each one.
#[derive(Default)]
pub struct LineWriter {
    line: String,
    memo: MatchesMemo,
}

impl LineWriter {
    pub fn write(
        &mut self,
        out: &mut impl Write,
        report: &Report,
        place: Option<&Place<'_>>,
    ) -> io::Result<()> {
        let line = &mut self.line;
        line.clear();
        report_object(line, report, place, Some(&mut self.memo));
        if line.is_ascii() && !line.contains('\x7f') {
            line.push('\n');
            return out.write_all(line.as_bytes());
        }
        let mut safe = terminal_safe(std::mem::take(line));
        safe.push('\n');
        let written = out.write_all(safe.as_bytes());
        *line = safe;
        written
    }
}

/// `report` as the JSON object `scan --json` prints for it, without a place.
pub fn report_text(report: &Report) -> String {
    let mut text = String::new();
    report_object(&mut text, report, None, None);
    text
}

/// A value written as serde_json writes it, compact.
trait Json {
    fn json(&self, out: &mut String);
}

impl Json for str {
    fn json(&self, out: &mut String) {
        json_str(out, self);
    }
}
impl Json for String {
    fn json(&self, out: &mut String) {
        json_str(out, self);
    }
}
impl<T: Json + ?Sized> Json for &T {
    fn json(&self, out: &mut String) {
        (**self).json(out);
    }
}
impl Json for bool {
    fn json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}
macro_rules! json_integer {
    ($($t:ty),*) => {$(
        impl Json for $t {
            fn json(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
json_integer!(u16, u32, u64, usize);
impl<T: Json> Json for Option<T> {
    fn json(&self, out: &mut String) {
        match self {
            Some(v) => v.json(out),
            None => out.push_str("null"),
        }
    }
}
impl<T: Json> Json for [T] {
    fn json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.json(out);
        }
        out.push(']');
    }
}
impl<T: Json> Json for Vec<T> {
    fn json(&self, out: &mut String) {
        self.as_slice().json(out);
    }
}

/// A string as serde_json escapes it: `"` and `\`, C0 controls (`\b \f \n \r \t`,
/// else `\u00xx`); everything else as it is.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time past those that need no escape: most of a report's
        // text is plain, and scan prints thousands of reports.
        if let Some(word) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            if !any_to_escape(word) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i - 1]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        from = i;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// Whether any of the eight bytes of `word` is a control character, a quote or a
/// backslash: the bytes JSON escapes. Each test is exact for the word as a whole.
fn any_to_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH != 0;
    below(word, 0x20)
        || below(word ^ (ONES * u64::from(b'"')), 1)
        || below(word ^ (ONES * u64::from(b'\\')), 1)
}

/// The `matches` array of `report`.
fn write_matches(out: &mut String, report: &Report) {
    out.push('[');
    for (i, m) in report.matches.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let e = m.entry;
        let mut m_o = Object::open(out);
        m_o.field("vendor", e.vendor.id())
            .field("product", e.product.id())
            .field("section", e.section())
            .field("code", e.code())
            .field("http_status", e.status)
            .field("message", e.message())
            .field("meaning", e.meaning())
            .field("fix", e.fix())
            .field("retryable", e.retryable)
            .field("source", e.source())
            .field("doc_url", &*e.doc_url())
            .field("sent_with_code", e.error_code());
        {
            let out = m_o.key("template");
            match &m.kind {
                MatchKind::Exact => out.push_str("null"),
                MatchKind::Template { placeholder, value } => {
                    let mut t_o = Object::open(out);
                    t_o.field("placeholder", *placeholder).field("value", value);
                    t_o.close();
                }
            }
        }
        m_o.field("message_agrees", m.message_agrees)
            .field("matched_by", matched_by(report, m));
        m_o.close();
    }
    out.push(']');
}

/// The `matches` arrays written so far, by what they are made of: in scan mode one
/// array serves every report of the same error, and writing its entries' texts again
/// was most of the cost of a JSON line.
#[derive(Default)]
struct MatchesMemo {
    written: HashMap<Vec<MatchKey>, String>,
}

/// What a match's JSON is made of: the entry (by address: entries are statics), the
/// template's placeholder and value, whether the message agrees, and what matched.
type MatchKey = (usize, Option<(&'static str, String)>, bool, &'static str);

/// How many arrays the memo keeps: past it, arrays are written each time.
const MAX_MEMO: usize = 1024;

impl MatchesMemo {
    fn write(&mut self, out: &mut String, report: &Report) {
        let key: Vec<MatchKey> = report
            .matches
            .iter()
            .map(|m| {
                let template = match &m.kind {
                    MatchKind::Exact => None,
                    MatchKind::Template { placeholder, value } => {
                        Some((*placeholder, value.clone()))
                    }
                };
                (
                    std::ptr::from_ref(m.entry) as usize,
                    template,
                    m.message_agrees,
                    matched_by(report, m),
                )
            })
            .collect();
        if let Some(written) = self.written.get(&key) {
            out.push_str(written);
            return;
        }
        let from = out.len();
        write_matches(out, report);
        if self.written.len() < MAX_MEMO {
            self.written.insert(key, out[from..].to_owned());
        }
    }
}

/// An object's keys and values, written in order.
struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    fn open(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, empty: true }
    }

    /// Starts the next member: the comma, the key (one of the schema's names, which
    /// need no escape), the colon.
    fn key(&mut self, key: &'static str) -> &mut String {
        debug_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        self.comma();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    /// Starts the next member under a key read from the input, escaped.
    fn input_key(&mut self, key: &str) -> &mut String {
        self.comma();
        json_str(self.out, key);
        self.out.push(':');
        self.out
    }

    fn comma(&mut self) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
    }

    fn field(&mut self, key: &'static str, value: impl Json) -> &mut Self {
        value.json(self.key(key));
        self
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// Members of a map collected from pairs, as a `serde_json::Map` keeps them: a key
/// said twice is at its first place, with its last value.
fn write_map<V>(out: &mut String, pairs: &[(String, V)], value: impl Fn(&mut String, &V)) {
    let mut object = Object::open(out);
    for (i, (key, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(k, _)| k == key) {
            continue;
        }
        let last = pairs.iter().rposition(|(k, _)| k == key).unwrap_or(i);
        value(object.input_key(key), &pairs[last].1);
    }
    object.close();
}

fn report_object(
    out: &mut String,
    report: &Report,
    place: Option<&Place<'_>>,
    memo: Option<&mut MatchesMemo>,
) {
    let mut o = Object::open(out);
    o.field("schema_version", SCHEMA_VERSION)
        .field("lang", crate::lang::current().id())
        .field("explained", report.is_explained())
        .field("input_kind", report.input_kind.id())
        .field("vendor", report.vendor.map(|v| v.id()))
        .field("product", report.product.map(|p| p.id()))
        .field("foreign_vendor", report.foreign)
        .field("service", &report.service)
        .field("http_status", report.http_status)
        .field("code", &report.code)
        .field("message", &report.message)
        .field("request_id", &report.request_id)
        .field("received_at", report.received_at.map(format_rfc3339))
        .field("host_id", &report.host_id)
        .field("trace_id", &report.trace_id)
        .field("ec", &report.ec);
    {
        let out = o.key("ec_category");
        match report.ec_category {
            None => out.push_str("null"),
            Some(c) => {
                let mut c_o = Object::open(out);
                c_o.field("prefix", c.prefix)
                    .field("name", c.name)
                    .field("meaning", c.meaning())
                    .field("source", c.source);
                c_o.close();
            }
        }
    }
    o.field("recommend", &report.recommend);
    {
        let out = o.key("request");
        match &report.request {
            None => out.push_str("null"),
            Some(r) => {
                let mut r_o = Object::open(out);
                r_o.field("method", &r.method)
                    .field("host", &r.host)
                    .field("target", &r.target);
                r_o.close();
            }
        }
    }
    write_map(
        o.key("details"),
        &report.details,
        |out, value| match value {
            Extra::Text(text) => json_str(out, text),
            Extra::Group(members) => write_map(out, members, |out, v| json_str(out, v)),
        },
    );
    {
        let out = o.key("matches");
        match memo {
            Some(memo) => memo.write(out, report),
            None => write_matches(out, report),
        }
    }
    {
        let out = o.key("status_meaning");
        match report.status_meaning {
            None => out.push_str("null"),
            Some(s) => {
                let mut s_o = Object::open(out);
                s_o.field("status", report.http_status)
                    .field("meaning", s.meaning())
                    .field("fix", s.fix())
                    .field("retryable", s.retryable)
                    .field("source", s.source);
                s_o.close();
            }
        }
    }
    {
        let out = o.key("status_entries");
        out.push('[');
        for (i, e) in report.status_entries.iter().flatten().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut e_o = Object::open(out);
            e_o.field("vendor", e.vendor.id())
                .field("product", e.product.id())
                .field("code", e.code());
            e_o.close();
        }
        out.push(']');
    }
    {
        let out = o.key("findings");
        out.push('[');
        for (i, f) in report.findings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut f_o = Object::open(out);
            f_o.field("kind", f.kind).field("text", &f.text);
            f_o.close();
        }
        out.push(']');
    }
    o.field("suggestions", &report.suggestions);
    {
        let out = o.key("evidence");
        out.push('[');
        for (i, s) in report.evidence.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut s_o = Object::open(out);
            s_o.field("vendor", s.vendor.map(|v| v.id()).or(s.foreign))
                .field("product", s.product.map(|p| p.id()))
                .field("note", s.note());
            s_o.close();
        }
        out.push(']');
    }
    o.field("masked", &report.masked)
        .field("redacted_in_input", &report.redacted_in_input)
        .field("repairs", &report.repairs);
    {
        let out = o.key("other_errors");
        out.push('[');
        for (i, other) in report.others.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            report_object(out, other, None, None);
        }
        out.push(']');
    }
    o.field("unread_errors", report.unread_errors)
        .field("unread_at_least", report.unread_at_least);
    {
        let out = o.key("alternatives");
        out.push('[');
        for (i, c) in report.alternatives.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut c_o = Object::open(out);
            c_o.field("field", c.field.id())
                .field("value", &c.value)
                .field("source", c.source.id())
                .field("key", &c.key);
            c_o.close();
        }
        out.push(']');
    }
    if let Some(place) = place {
        o.field("file", place.file)
            .field("line", place.line)
            .field("cut", place.cut);
    }
    o.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII byte at every place of an eight-byte word, and past its end.
        for b in 0u8..0x80 {
            for at in 0..12 {
                let mut text = "abcdefghijkl".to_owned().into_bytes();
                text[at] = b;
                let text = String::from_utf8(text).unwrap();
                let mut out = String::new();
                json_str(&mut out, &text);
                assert_eq!(out, serde_json::to_string(&text).unwrap(), "{b:#x} at {at}");
            }
        }
        let mut out = String::new();
        json_str(&mut out, "签名 \"ok\"\u{7f}é");
        assert_eq!(out, serde_json::to_string("签名 \"ok\"\u{7f}é").unwrap());
    }

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

    /// The direct writer against the `Value` path, byte for byte, on every paste
    /// fixture (the curated ones and the real ones), with and without scan's keys.
    #[test]
    fn the_direct_writer_writes_the_value_path_s_bytes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut files = Vec::new();
        for sub in [dir.clone(), dir.join("real")] {
            for entry in std::fs::read_dir(sub).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    files.push(path);
                }
            }
        }
        let mut extra = vec![
            "<Error><Code>A\u{7f}\u{202e}\"\\\u{1}\u{8}\u{c}\t</Code><Message>é 中\u{9b}</Message></Error>".to_owned(),
            "-46618".to_owned(),
            "403".to_owned(),
        ];
        let mut compared = 0;
        let mut lines = LineWriter::default();
        for text in files
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .chain(extra.drain(..))
        {
            let Ok(report) = crate::decode(&text, crate::lookup::Scope::default()) else {
                continue;
            };
            for place in [
                None,
                Some(Place {
                    file: Some("a\"b.log"),
                    line: 7,
                    cut: true,
                }),
                Some(Place {
                    file: None,
                    line: 1,
                    cut: false,
                }),
            ] {
                let mut value = to_value(&report);
                if let Some(p) = &place {
                    let object = value.as_object_mut().unwrap();
                    object.insert("file".into(), p.file.map(str::to_owned).into());
                    object.insert("line".into(), p.line.into());
                    object.insert("cut".into(), p.cut.into());
                }
                let mut expected = Vec::new();
                write_line(&mut expected, &value).unwrap();
                let mut got = Vec::new();
                lines.write(&mut got, &report, place.as_ref()).unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(expected).unwrap()
                );
            }
            compared += 1;
        }
        assert!(compared > 200, "{compared} pastes compared");
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
