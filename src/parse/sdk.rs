//! SDK exceptions, CLI errors and log lines: one tolerant extractor, not a parser per SDK.
//!
//! The official SDKs print the same few fields in different notations: `Key=value`
//! (OSS Go, Tencent Cloud API Go), `Key: value` lines (OSS Go v2 / Python v2, Tea Go,
//! the core SDK), `[Key]: value` (OSS Java), Python dict reprs and JSON (`'code': 'X'`),
//! and `Label: value;` runs (COS Java). The scanner finds every `key` + `:`/`=` whose
//! key the field alias table knows, and a value runs to the next key or the line end.
//! A few sentence-shaped formats (botocore, COS Go, Tea's `code: 404, ...`) get anchors.

use std::borrow::Cow;

use super::fields::{Known, Source, known};
use super::{Fields, Parsed, Sighting, host_of, template, xml};
use crate::notation::Capture;
use crate::notation::{is_base64_body, is_kept_key, is_request_key};

/// How many known fields are noted for telling errors apart: enough for the most
/// errors one paste is split into (`parse::MAX_ERRORS`), each with its fields.
pub const MAX_SIGHTINGS: usize = 1024;

/// Fills `parsed` from free text; leaves the fields empty when nothing is recognised.
pub fn parse(text: &str, parsed: &mut Parsed) {
    // An embedded XML body (OSS Java's [ResponseError], ali-oss "raw xml:") is the most
    // exact source, so it is read first and wins.
    if let Some(body) = embedded_xml(text) {
        let mut inner = Parsed::new(parsed.kind);
        if xml::parse(&body, &mut inner).unwrap_or(false) {
            parsed.fields.merge(inner.fields);
            parsed.xml_declaration = inner.xml_declaration;
            parsed.xml_root = inner.xml_root;
        }
    }
    for found in template::matches(text) {
        for (capture, value) in found.values {
            if capture == Capture::Code && parsed.sightings.len() < MAX_SIGHTINGS {
                parsed.sightings.push(Sighting {
                    // Where the code stands: the anchor may be lines further on.
                    at: value.as_ptr() as usize - text.as_ptr() as usize,
                    key: found.template.to_owned(),
                    code: Some(value.to_owned()),
                });
            }
            match capture {
                Capture::Method => parsed.request.method = Some(value.to_owned()),
                Capture::Url => {
                    parsed.request.host = Some(host_of(value).to_owned());
                    parsed.request.target = Some(value.to_owned());
                }
                _ => {
                    if let Some(field) = capture.field() {
                        parsed
                            .fields
                            .add_known(Source::Template, field, found.template, value);
                    }
                }
            }
        }
    }
    // An NSError's own `Code=-1` (or the HTTP status) comes before the service's
    // fields in `UserInfo={...}`: those are read first, so they win.
    let user_info = text.find("UserInfo={");
    if let Some(user_info) = user_info {
        scan(&text[user_info..], |pair| apply(&mut parsed.fields, &pair));
    }
    scan(text, |pair| {
        // The NSError's own fields, before its UserInfo, are no error of their own.
        // A spaced key (gRPC's `code = ...` around an SDK's `Code=...`) starts no error.
        let wrapper = user_info.is_some_and(|u| pair.at < u) || pair.kind == KeyKind::Spaced;
        let room = parsed.sightings.len() < MAX_SIGHTINGS;
        if let Some(field) = known(&pair.key).filter(|_| !wrapper && room) {
            let code = (field == Known::Code)
                .then(|| first_token(clean_value(&pair.value)).to_owned())
                .filter(|c| !c.is_empty() && !super::resolve::is_status_as_code(c));
            // As written: an SDK that prints the body again (`Code: X` ... `Data:
            // {"Code":"X"}`) uses another spelling than a second error of its own would.
            let key = if pair.kind == KeyKind::Quoted {
                format!("'{}'", pair.key)
            } else {
                pair.key.clone()
            };
            parsed.sightings.push(Sighting {
                at: pair.at,
                key,
                code,
            });
        }
        apply(&mut parsed.fields, &pair);
        // A quoted value that spans lines once unescaped holds a sentence of its own,
        // and one with separators pairs of its own (a Laravel dump's `message:
        // ":  RequestId: 60CAB877..."`), read one level deep.
        if pair.value.contains('\n') {
            template::add_fields(&pair.value, &mut parsed.fields);
        }
        if pair.quoted && pair.value.contains([':', '=']) {
            scan(&pair.value, |inner| apply(&mut parsed.fields, &inner));
        }
    });
    if !parsed.fields.has(Known::Status)
        && let Some(status) = status_with_reason(text)
    {
        parsed.fields.add(Source::Headline, "Status", status);
    }
    // A header carrying the body encoded, pasted as a line of its own.
    let encoded = parsed
        .fields
        .extras
        .iter()
        .find_map(|(name, value)| match value {
            super::Extra::Text(text) if is_base64_body(name) => Some(text.clone()),
            _ => None,
        });
    if let Some(Ok(inner)) = encoded.map(|value| super::http::encoded_body(&value)) {
        parsed.fields.merge(inner);
    }
    let fields = &mut parsed.fields;
    // The headline is read only when nothing else gave a message: its head is often an
    // exception class and its text a summary of fields read above.
    // A headline that is one of the pairs read above (`req_id: 56DC...`) says nothing new.
    if !fields.has(Known::Message)
        && let Some((head, message)) = headline(text)
        && known(head).is_none()
    {
        let no_code = !fields.has(Known::Code);
        if no_code && is_code_word(message) {
            // `Error: AccessDenied`: what follows the colon is the code.
            fields.add(Source::Headline, "Code", message);
        } else {
            fields.add(Source::Headline, "Message", message);
            // `InvalidArgument: value > 10 is invalid` (COS JS, ali-oss).
            if no_code && is_code_label(head) {
                fields.add(Source::Headline, "Code", head);
            }
        }
    }
    if parsed.request.host.is_none() {
        // A request key (OSS Go v2's `Request Endpoint`) says where the request went; an error's own
        // `Endpoint` is where it should have gone, so it is no evidence of the host.
        parsed.request.host = fields
            .extras
            .iter()
            .find_map(|(name, value)| match value {
                super::Extra::Text(t) if is_request_key(name) => Some(host_of(t).to_owned()),
                _ => None,
            })
            .or_else(|| first_url(text).map(|u| host_of(u).to_owned()));
    }
}

/// The first status written with its own reason phrase in free text: `403 Forbidden`
/// (boto's `S3ResponseError: 403 Forbidden`, Guzzle's `` resulted in a `404 Not Found`
/// response``), `403 (Forbidden)` (a browser console), `403 - Forbidden`. The pair is the evidence: three
/// digits alone are too common in logs to be taken for a status.
fn status_with_reason(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut run = 0;
    for (i, b) in bytes.iter().enumerate() {
        if !b.is_ascii_digit() {
            run = 0;
            continue;
        }
        run += 1;
        let start = i + 1 - run;
        let bounded = run == 3
            && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            && bytes.get(i + 1) == Some(&b' ');
        if !bounded {
            continue;
        }
        let status = &text[start..=i];
        let Some(reason) = crate::catalog::reason_of(status) else {
            continue;
        };
        // `403 Forbidden`, `403 (Forbidden)`, `403 - Forbidden` (COS .NET).
        let rest = &text[i + 2..];
        let rest = rest.strip_prefix("- ").unwrap_or(rest);
        let rest = rest.strip_prefix('(').unwrap_or(rest);
        let ends = rest
            .as_bytes()
            .get(reason.len())
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if rest.len() >= reason.len()
            && rest.as_bytes()[..reason.len()].eq_ignore_ascii_case(reason.as_bytes())
            && ends
        {
            return Some(status);
        }
    }
    None
}

/// Records one scanned pair, cleaning the value the way its field needs.
/// The `key=value` and `key: value` pairs of `text` (a JSON string that holds an SDK's
/// message, `"error": "... statuscode=403, ErrorCode=InvalidAccessKeyId"`) as fields.
pub fn add_pairs(text: &str, fields: &mut Fields) {
    scan(text, |pair| apply(fields, &pair));
}

fn apply(fields: &mut Fields, pair: &Pair) {
    let source = match pair.kind {
        KeyKind::Quoted => Source::QuotedKey,
        KeyKind::Bare => Source::BareKey,
        KeyKind::Spaced => Source::SpacedKey,
    };
    let (key, value) = (pair.key.as_str(), clean_value(&pair.value));
    // Source code in a traceback (`request_id=request_id)`) names a field, not a value.
    if first_token(value).eq_ignore_ascii_case(key) {
        return;
    }
    match known(key) {
        Some(
            Known::Code
            | Known::Status
            | Known::RequestId
            | Known::TraceId
            | Known::Ec
            | Known::HostId,
        ) => fields.add(source, key, first_token(value)),
        Some(Known::Message) => {
            // OSS Go v2 and Python v2 append a '.' to a message that usually has one.
            let message = value.strip_suffix('.').filter(|m| m.ends_with('.'));
            fields.add(source, key, message.unwrap_or(value));
        }
        _ => fields.add(source, key, value),
    }
}

/// A `key` + separator + `value` found in free text.
struct Pair {
    /// Where the key starts in the text.
    at: usize,
    key: String,
    value: String,
    kind: KeyKind,
    /// The value was a quoted string, unescaped.
    quoted: bool,
}

/// How a key is written, which says how deliberately it names a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    /// Quoted or bracketed (`'code'`, `[ErrorCode]`): any name is a key.
    Quoted,
    /// Bare, right before its separator (`Code: x`, `Code=x`).
    Bare,
    /// Bare, with spaces before its separator (`statusCode = 403`): also what source
    /// code and wrappers look like (`error_code = ...`, gRPC's `code = ...`).
    Spaced,
}

/// `：` in UTF-8.
const FULLWIDTH_COLON: [u8; 3] = [0xEF, 0xBC, 0x9A];

fn clean_value(value: &str) -> &str {
    let mut v = value.trim();
    // Go's fmt wraps a value printed with the wrong verb: `%!d(string=2a1b-...)`.
    if let Some(inner) = v.strip_prefix("%!").and_then(|r| r.split_once("(string=")) {
        v = inner.1.strip_suffix(')').unwrap_or(inner.1);
    }
    // A closing bracket belongs to the surrounding notation when the value has no
    // opening one. Trimming only ever removes closers and separators from the end,
    // so whether it has an opener is looked up once, not once per closer: a value
    // ending in a million `)` is read in one pass (issue 15, section 5).
    let opens = |open: u8| memchr::memchr(open, v.as_bytes()).is_some();
    let (paren, brace, bracket) = (opens(b'('), opens(b'{'), opens(b'['));
    let notation = |c: char| match c {
        ')' => !paren,
        '}' => !brace,
        ']' => !bracket,
        _ => false,
    };
    loop {
        let before = v.len();
        v = v
            .trim_end_matches([',', ';', ' ', '，', '；', '、'])
            .trim_end_matches(". ")
            .trim_end()
            .trim_end_matches(notation);
        if v.len() == before {
            return v;
        }
    }
}

/// The first whitespace/punctuation-delimited token, without a trailing '.' (a backtick
/// ends it too: Markdown prose quotes ids as `` `5A44...` ``).
fn first_token(value: &str) -> &str {
    // Codes and ids are ASCII: one ends where other text starts (`-46618，请求…`).
    let end = value
        .find(|c: char| {
            c.is_whitespace()
                || !c.is_ascii()
                || matches!(c, ',' | ';' | '(' | ')' | '}' | ']' | '`' | '\\')
        })
        .unwrap_or(value.len());
    // A quote after an id closes the string it was printed in (`RequestID: X" of type`);
    // a sentence's `!` is no part of it.
    let token = value[..end].trim_end_matches(['.', '"', '\'', '!']);
    // Markdown bold around a code (`"**SignatureDoesNotMatch**"`).
    token
        .strip_prefix("**")
        .and_then(|t| t.strip_suffix("**"))
        .unwrap_or(token)
}

/// Finds `key` `:`/`=`/`=>` `value` pairs anywhere in the text, and hands each to
/// `each` as soon as the next key ends its value. Works from the separators
/// backwards, so the cost is one pass plus a little per separator, and memory holds
/// one pair at a time however many the text has (a 63 MiB log pasted whole).
fn scan(text: &str, mut each: impl FnMut(Pair)) {
    struct Hit {
        key: String,
        key_start: usize,
        value_start: usize,
        kind: KeyKind,
        quoted: Option<String>,
    }
    let bytes = text.as_bytes();
    // A hit's value runs to the next hit's key: it is handed on when that is found.
    let finish = |hit: Hit, next_key: usize| {
        // `'details': {...}`: the members are keys of their own; the key that opens
        // them still ends the value before it, and is a name the input used.
        let opens = hit.quoted.is_none() && matches!(bytes.get(hit.value_start), Some(b'{' | b'['));
        // (An opening bracket is an unquoted value: `opens` and `quoted` never both hold.)
        let quoted = hit.quoted.is_some();
        let value = match hit.quoted {
            _ if opens => String::new(),
            Some(q) => q,
            None => {
                // Only as far as the next key: searching on to the line's end would
                // make one long line of pairs quadratic.
                let next_key = next_key.max(hit.value_start);
                let end = memchr::memchr(b'\n', &bytes[hit.value_start..next_key])
                    .map_or(next_key, |p| hit.value_start + p);
                text[hit.value_start..end].to_owned()
            }
        };
        Pair {
            at: hit.key_start,
            key: hit.key,
            value,
            kind: hit.kind,
            quoted,
        }
    };
    let mut pending: Option<Hit> = None;
    // Keys may not start inside the previous hit's key or quoted value.
    let mut floor = 0;
    let mut from = 0;
    while let Some(offset) = memchr::memchr3(b':', b'=', FULLWIDTH_COLON[0], &bytes[from..]) {
        let sep = from + offset;
        from = sep + 1;
        let mut after = sep + 1;
        match bytes[sep] {
            b':' if bytes.get(after) == Some(&b'/') => continue, // a URL scheme
            b'=' if bytes.get(after) == Some(&b'>') => after += 1, // Ruby's `=>`
            // `错误信息：无效的参数`: the colon of Chinese text (other fullwidth
            // characters share its first byte).
            b':' | b'=' => {}
            _ if bytes[sep..].starts_with(&FULLWIDTH_COLON) => {
                after = sep + FULLWIDTH_COLON.len();
                from = after;
            }
            _ => continue,
        }
        let Some((key, key_start, kind)) = key_before(text, sep, floor) else {
            continue;
        };
        let mut value_start = skip_spaces(bytes, after);
        // Rust's Debug output wraps optional values: `request_id: Some("...")`, and
        // pretty-printed, `Some(\n    "...",\n)`.
        if text[value_start..].starts_with("Some(") {
            value_start += "Some(".len();
            while bytes.get(value_start).is_some_and(u8::is_ascii_whitespace) {
                value_start += 1;
            }
        }
        // xml2js gives every element as an array of one string: `code: [ 'AccessDenied' ]`.
        if bytes.get(value_start) == Some(&b'[') {
            let inner = skip_spaces(bytes, value_start + 1);
            if let Some((_, end)) = quoted_string(text, inner)
                && bytes.get(skip_spaces(bytes, end)) == Some(&b']')
            {
                value_start = inner;
            }
        }
        let quoted = quoted_string(text, value_start);
        if let Some((_, end)) = &quoted {
            from = *end;
        }
        let accepted = kind == KeyKind::Quoted || known(&key).is_some() || is_kept_key(&key);
        if accepted {
            if let Some(previous) = pending.take() {
                each(finish(previous, key_start));
            }
            floor = value_start;
            pending = Some(Hit {
                key,
                key_start,
                value_start,
                kind,
                quoted: quoted.map(|(s, _)| s),
            });
        }
    }
    if let Some(last) = pending {
        each(finish(last, text.len()));
    }
}

/// The key that ends right before the separator at `sep` (not reaching below
/// `floor`): `'key'`, `"key"` or `[key]` (quoted: any name), or up to four bare words
/// of which the longest known suffix wins (`Http Status Code`, `request id`).
/// Returns the key, where it starts, and whether it was quoted or bracketed.
fn key_before(text: &str, sep: usize, floor: usize) -> Option<(String, usize, KeyKind)> {
    const MAX_KEY: usize = 48;
    let bytes = text.as_bytes();
    let mut end = sep;
    while end > floor && bytes[end - 1] == b' ' {
        end -= 1;
    }
    let last = *bytes.get(end.checked_sub(1)?)?;
    if matches!(last, b'\'' | b'"' | b']') {
        let open = match last {
            b']' => b'[',
            q => q,
        };
        let lo = end.saturating_sub(MAX_KEY).max(floor);
        let start = memchr::memrchr(open, &bytes[lo..end - 1])? + lo;
        let key = &text[start + 1..end - 1];
        let valid = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_ .".contains(&b));
        return valid.then(|| (key.to_owned(), start, KeyKind::Quoted));
    }
    // Bare words: letters, digits, '-', '_', single spaces between words; a key sits
    // right before the separator (`Code: x`, `Code=x`), or a space or two before it
    // (`statusCode = 403`, Haskell's and Go's `%#v` records).
    if sep - end > 2 {
        return None;
    }
    let kind = if end == sep {
        KeyKind::Bare
    } else {
        KeyKind::Spaced
    };
    let sep = end;
    let lo = sep.saturating_sub(MAX_KEY).max(floor);
    let mut start = sep;
    let mut best: Option<usize> = None;
    let mut words = 0;
    // A word is ASCII letters, digits, `-` and `_`, or the letters of another script
    // (a Chinese label, `错误码`), not its punctuation (`，`).
    let word_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_') || c.is_alphabetic();
    let lo = text.floor_char_boundary(lo);
    while start > lo && words < 4 {
        let mut word_start = start;
        while let Some(c) = text[lo..word_start]
            .chars()
            .next_back()
            .filter(|c| word_char(*c))
        {
            word_start -= c.len_utf8();
        }
        // A `\n` printed, not decoded, before a key (`...\nRequest ID: ...` in a
        // log line) is no part of it.
        if word_start > lo && bytes[word_start - 1] == b'\\' && b"nrt".contains(&bytes[word_start])
        {
            word_start += 1;
        }
        if word_start == start
            || !(bytes[word_start].is_ascii_alphabetic() || bytes[word_start] >= 0x80)
        {
            break;
        }
        words += 1;
        let key = &text[word_start..sep];
        if known(key).is_some() || is_kept_key(key) {
            best = Some(word_start);
        } else if best.is_none() && bytes[word_start] >= 0x80 {
            // Chinese has no spaces: a label ends a run of text (`上传失败错误码`).
            best = label_at_end(&text[word_start..sep]).map(|at| word_start + at);
        }
        // Continue over one space to an earlier word, if there is one.
        if word_start > lo + 1
            && bytes[word_start - 1] == b' '
            && (bytes[word_start - 2].is_ascii_alphanumeric() || bytes[word_start - 2] >= 0x80)
        {
            start = word_start - 1;
        } else {
            break;
        }
    }
    let start = best?;
    Some((text[start..sep].to_owned(), start, kind))
}

/// Where the longest known name that ends `run` starts, if one does.
fn label_at_end(run: &str) -> Option<usize> {
    run.char_indices()
        .map(|(at, _)| at)
        .find(|&at| known(&run[at..]).is_some())
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// A Python/JSON quoted string at `i`: its unescaped content and the offset after it.
fn quoted_string(text: &str, i: usize) -> Option<(String, usize)> {
    let quote = *text.as_bytes().get(i)?;
    if quote != b'\'' && quote != b'"' {
        return None;
    }
    let mut out = String::new();
    let mut chars = text[i + 1..].char_indices();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, other)) => out.push(other),
                None => break,
            },
            '\n' => return None,
            c if c as u32 == u32::from(quote) => return Some((out, i + 1 + offset + 1)),
            c => out.push(c),
        }
    }
    None
}

/// The head and message of `SomeException: message` / `NoSuchKey: message` on the first
/// line, or in the first inline code span of a sentence (``it says: `NoSuchKey: ...` ``).
fn headline(text: &str) -> Option<(&str, &str)> {
    let line = text.lines().find(|l| !l.trim().is_empty())?.trim();
    headline_of(line).or_else(|| {
        let (_, code) = line.split_once('`')?;
        headline_of(code.split_once('`')?.0.trim())
    })
}

fn headline_of(line: &str) -> Option<(&str, &str)> {
    let mut line = line.strip_prefix("ERROR: ").unwrap_or(line);
    // A tool's label before a code the catalog knows (`error: InvalidRequest: Missing
    // required header ...`): the code is the head.
    let (head, message) = loop {
        let (head, message) = line.split_once(": ")?;
        match message.split_once(": ") {
            Some((code, _))
                if !is_code_label(head)
                    && is_code_label(code)
                    && crate::catalog::exact(code).next().is_some() =>
            {
                line = message;
            }
            _ => break (head, message),
        }
    };
    let label = |ascii: bool| {
        !head.is_empty()
            && head
                .chars()
                .all(|c| ((c.is_ascii() || !ascii) && c.is_alphanumeric()) || c == '.' || c == '_')
    };
    // COS Java's ` (Status Code: 404; ...)` and the AWS Java SDK's ` (Service: Amazon
    // S3; Status Code: ...)` tails are fields of their own, read by `scan`.
    let message = message
        .split(" (Status Code: ")
        .next()
        .and_then(|m| m.split(" (Service: ").next())
        .unwrap_or(message)
        .trim();
    // A label in another script only before a code (`腾讯验证码: FailedOperation.ImageDecodeFailed`):
    // before a sentence it is prose.
    // After prose (`curl oss url报错: ...`), only a message the catalog knows.
    let head_ok = label(true)
        || (label(false) && is_code_word(message))
        || crate::catalog::is_literal_message(message);
    (head_ok && !message.is_empty() && !message.starts_with('{')).then_some((head, message))
}

/// A code where a line puts a label before its colon: a code word that names no
/// exception class (`oss2.exceptions.ServerError`, `...OSSException`) and no field
/// (`Message`).
fn is_code_label(word: &str) -> bool {
    is_code_word(word)
        && !word.ends_with("Error")
        && !word.ends_with("Exception")
        && known(word).is_none()
}

/// One word shaped like a code (`AccessDenied`, `Throttling.User`, `-46618`), with
/// an upper-case letter or a digit first, as codes are written.
fn is_code_word(word: &str) -> bool {
    super::is_bare_code(word)
        && word.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !word.chars().all(|c| c.is_ascii_uppercase())
}

/// An XML body inside other text: a whole one, or elements copied without their
/// `<Error>` wrapper after a line of prose (given one back).
fn embedded_xml(text: &str) -> Option<Cow<'_, str>> {
    if let Some(first) = text.find("<?xml").or_else(|| text.find("<Error>")) {
        // The first whole body: an SDK may print the body cut short first (Guzzle's
        // `<RequestId>xxxxx (truncated...)`) and whole after it, so the body is the
        // last `<Error>` to open before the first close, with its declaration.
        let Some(close) = text[first..].find("</Error>").map(|e| first + e) else {
            return Some(Cow::Borrowed(&text[first..]));
        };
        let mut start = text[first..close]
            .rfind("<Error>")
            .map_or(first, |s| first + s);
        if let Some(declaration) = text[..start].trim_end().strip_suffix("?>")
            && let Some(open) = declaration.rfind("<?xml").filter(|&d| d >= first)
        {
            start = open;
        }
        return Some(Cow::Borrowed(&text[start..close + "</Error>".len()]));
    }
    let start = memchr::memchr_iter(b'<', text.as_bytes())
        .take(64)
        .find(|&i| super::normalize::is_fragment(&text[i..]))?;
    let end = text.rfind('>').filter(|&e| e > start)? + 1;
    Some(Cow::Owned(format!("<Error>{}</Error>", &text[start..end])))
}

/// The first URL in the text that is not a troubleshooting link (OSS's
/// `RecommendDoc`, OpenAPI's `Recommend`), which names no host the request used.
fn first_url(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let start = rest.find("http")?;
        rest = &rest[start..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | ',' | ')'))
            .unwrap_or(rest.len());
        let url = &rest[..end];
        // `http:// host` (a space after the scheme, in prose) names no host.
        let host = host_of(url);
        if (url.starts_with("https://") || url.starts_with("http://"))
            && !host.is_empty()
            && !url.contains("/troubleshoot")
        {
            return Some(url);
        }
        rest = &rest[end.max(4)..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::InputKind;

    fn fields(text: &str) -> Parsed {
        let mut parsed = Parsed::new(InputKind::Sdk);
        parse(text, &mut parsed);
        crate::parse::resolve::resolve(&mut parsed.fields);
        parsed
    }

    fn check(text: &str, code: &str, status: Option<u16>, request_id: &str) -> Parsed {
        let parsed = fields(text);
        let f = &parsed.fields;
        assert_eq!(f.code.as_deref(), Some(code), "code in {text}");
        assert_eq!(f.status, status, "status in {text}");
        assert_eq!(
            f.request_id.as_deref(),
            Some(request_id),
            "request id in {text}"
        );
        parsed
    }

    #[test]
    fn chinese_labels_name_fields_and_fullwidth_colons_separate() {
        // The fullwidth colon before a Chinese value, and a label glued to the
        // Chinese text before it; the code ends where the Chinese text starts.
        let parsed = fields(
            "上传失败错误代码：AccessDenied，错误信息：拒绝访问，请求 ID：5C3D8F2A1B4E6D7F8A9B0C1D",
        );
        let f = &parsed.fields;
        assert_eq!(f.code.as_deref(), Some("AccessDenied"));
        assert_eq!(f.message.as_deref(), Some("拒绝访问"));
        assert_eq!(f.request_id.as_deref(), Some("5C3D8F2A1B4E6D7F8A9B0C1D"));
        assert_eq!(fields("HTTP状态码：403").fields.status, Some(403));
        // Chinese prose before a colon names nothing.
        assert!(fields("原因：请检查签名").fields.is_empty());
    }

    #[test]
    fn a_headline_that_is_a_pair_read_is_no_message() {
        // The OSS C SDK's aos_status_t dump with an empty error_msg.
        let parsed = fields(
            "req_id: 56DCFA06DA14FDFF1BC21924\nerror_code: \"UnknownError\"\nerror_msg: \"\"",
        );
        assert_eq!(parsed.fields.message, None);
        assert_eq!(
            parsed.fields.request_id.as_deref(),
            Some("56DCFA06DA14FDFF1BC21924")
        );
        assert_eq!(parsed.fields.code.as_deref(), Some("UnknownError"));
    }

    #[test]
    fn a_status_before_its_reason_phrase_after_a_dash() {
        let f = fields("CosServerException: 403 - Forbidden at COSXML.Network").fields;
        assert_eq!(f.status, Some(403));
        assert_eq!(fields("it returned 403 - later").fields.status, None);
    }

    #[test]
    fn a_scheme_without_a_host_is_no_url() {
        assert_eq!(
            first_url("http:// oss-cn-hangzhou.aliyuncs.com or http://b.example.test/k"),
            Some("http://b.example.test/k")
        );
    }

    #[test]
    fn a_headline_after_a_tools_label_or_in_an_inline_code_span() {
        for text in [
            "error: InvalidRequest: Missing required header for this request: Appid",
            "it reports an error: `InvalidRequest: Missing required header for this request: Appid`.",
        ] {
            let f = fields(text).fields;
            assert_eq!(f.code.as_deref(), Some("InvalidRequest"), "{text}");
            assert_eq!(
                f.message.as_deref(),
                Some("Missing required header for this request: Appid"),
                "{text}"
            );
        }
        // After prose, a message the catalog knows (here with a space for its hyphen).
        let f = fields("curl oss url报错: Query string authentication requires the Signature, Expires and OSSAccessKeyId parameters").fields;
        assert!(
            f.message
                .as_deref()
                .is_some_and(|m| m.starts_with("Query string"))
        );
        assert!(fields("I think: it is broken").fields.message.is_none());
        // A word the catalog does not know as a code stays part of the message.
        let f = fields("warning: Retrying: connection reset").fields;
        assert_eq!(f.message.as_deref(), Some("Retrying: connection reset"));
    }

    #[test]
    fn a_body_cut_short_then_printed_whole() {
        let p = fields(
            "resulted in a `403 Forbidden` response:\n<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code><RequestId>xxxxx (truncated...)\n AccessDenied (client): Access Denied - <?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code><RequestId>4442587FB7D0A2F9</RequestId></Error>",
        );
        assert_eq!(p.fields.request_id.as_deref(), Some("4442587FB7D0A2F9"));
    }

    #[test]
    fn source_code_bold_and_quotes_around_values() {
        // A traceback's `request_id=request_id)` is no request id.
        let p = fields(
            "request_id=request_id)\nServerException: HTTP Status: 404 Error:InvalidAccessKeyId.NotFound Specified access key is not found. RequestID: B395284E-9787-4083-9BCF-762FCD230402\" of type",
        );
        assert_eq!(
            p.fields.request_id.as_deref(),
            Some("B395284E-9787-4083-9BCF-762FCD230402")
        );
        let p = fields(r#""error":{"code":"**SignatureDoesNotMatch**"}"#);
        assert_eq!(p.fields.code.as_deref(), Some("SignatureDoesNotMatch"));
    }

    #[test]
    fn pairs_inside_a_quoted_value_and_printed_escapes() {
        // A Laravel dump of an SDK exception whose message holds the fields.
        let p = fields(
            "exception: \"OSS\\\\Core\\\\OssException\"\nmessage: \":  RequestId: 60CAB8775423BA3639E2504A\"",
        );
        assert_eq!(
            p.fields.request_id.as_deref(),
            Some("60CAB8775423BA3639E2504A")
        );
        // `\r\n` printed, not decoded, ends a status.
        assert_eq!(
            fields(r"server exception: 403\r\n at COSXML.Network")
                .fields
                .status,
            Some(403)
        );
    }

    #[test]
    fn a_printed_newline_before_a_key() {
        let p = fields(
            r#"["tag=AWSXmlClient message=HTTP response code: 503\nRequest ID: 5WYFY5P28HFWHTHX\nException name: SlowDown\nError message: Please reduce your request rate."]"#,
        );
        assert_eq!(p.fields.request_id.as_deref(), Some("5WYFY5P28HFWHTHX"));
        assert_eq!(p.fields.code.as_deref(), Some("SlowDown"));
    }

    #[test]
    fn a_status_with_its_reason_phrase() {
        assert_eq!(
            fields("boto.exception.S3ResponseError: S3ResponseError: 403 Forbidden")
                .fields
                .status,
            Some(403)
        );
        assert_eq!(
            fields("POST http://b/ 404 (Not Found)").fields.status,
            Some(404)
        );
        // Three digits alone, or with another status's phrase, are no status.
        assert_eq!(
            fields("took 403 ms; 500 Forbidden; x403 Forbidden")
                .fields
                .status,
            None
        );
        // .NET prints the status as its enum name.
        assert_eq!(fields("StatusCode: Forbidden").fields.status, Some(403));
    }

    #[test]
    fn an_sdk_sentence_inside_a_quoted_value() {
        let p = fields(
            r#""error": "XMinioServerNotInitialized: Server not initialized.\n\tstatus code: 503, request id: 1727B70AA8052EB1, host id: ","#,
        );
        assert_eq!(p.fields.status, Some(503));
        assert_eq!(p.fields.request_id.as_deref(), Some("1727B70AA8052EB1"));
    }

    #[test]
    fn xml2js_arrays_hold_one_value() {
        let p = fields(
            "{ [Error: x]\n  status: 403,\n  code: [ 'AccessDenied' ],\n  requestId: [ '5C3D9175B6FC201293AD1234' ] }",
        );
        assert_eq!(p.fields.code.as_deref(), Some("AccessDenied"));
        assert_eq!(
            p.fields.request_id.as_deref(),
            Some("5C3D9175B6FC201293AD1234")
        );
    }

    #[test]
    fn elements_after_a_line_of_prose_are_a_body() {
        let p = fields(
            "小程序测试返回403\n\t<Code>SignatureDoesNotMatch</Code>\n\t<Message>m</Message>",
        );
        assert_eq!(p.fields.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(p.fields.message.as_deref(), Some("m"));
    }

    #[test]
    fn oss_go_v1() {
        let p = check(
            "oss: service returned error: StatusCode=400, ErrorCode=MissingArgument, ErrorMessage=\"Missing Some Required Arguments.\", RequestId=57ABD896CCB80C366955****, Ec=0016-00000502",
            "MissingArgument",
            Some(400),
            "57ABD896CCB80C366955****",
        );
        assert_eq!(
            p.fields.message.as_deref(),
            Some("Missing Some Required Arguments.")
        );
        assert_eq!(p.fields.ec.as_deref(), Some("0016-00000502"));
    }

    #[test]
    fn oss_go_v2_lines() {
        let p = check(
            "operation error PutObject: Error returned by Service. \nHttp Status Code: 400. \nError Code: MissingArgument. \nRequest Id: 57ABD896CCB80C366955****. \nMessage: Missing Some Required Arguments..\nEC: 0016-00000502.\nTimestamp: 2019-08-11 01:44:54 +0000 UTC.\nRequest Endpoint: PUT https://oss-example.oss-cn-hangzhou.aliyuncs.com/a.txt.",
            "MissingArgument",
            Some(400),
            "57ABD896CCB80C366955****",
        );
        assert_eq!(
            p.fields.message.as_deref(),
            Some("Missing Some Required Arguments.")
        );
        assert_eq!(p.fields.ec.as_deref(), Some("0016-00000502"));
        assert_eq!(
            p.request.host.as_deref(),
            Some("oss-example.oss-cn-hangzhou.aliyuncs.com")
        );
    }

    #[test]
    fn oss2_dict() {
        let p = check(
            "oss2.exceptions.ServerError: {'status': 400, 'x-oss-request-id': '57ABD896CCB80C366955****', 'details': {'Code': 'MissingArgument', 'Message': 'Missing Some Required Arguments.', 'RequestId': '57ABD896CCB80C366955****', 'HostId': 'oss-example.oss-cn-hangzhou.aliyuncs.com', 'EC': '0016-00000502', 'RecommendDoc': 'https://api.aliyun.com/troubleshoot?q=0016-00000502'}}",
            "MissingArgument",
            Some(400),
            "57ABD896CCB80C366955****",
        );
        assert_eq!(
            p.fields.host_id.as_deref(),
            Some("oss-example.oss-cn-hangzhou.aliyuncs.com")
        );
    }

    #[test]
    fn oss_java_with_embedded_body() {
        let p = check(
            "com.aliyun.oss.OSSException: Missing Some Required Arguments.\n[ErrorCode]: MissingArgument\n[RequestId]: 57ABD896CCB80C366955****\n[HostId]: oss-example.oss-cn-hangzhou.aliyuncs.com\n[EC]: 0016-00000502\n[ResponseError]:\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>MissingArgument</Code>\n  <RequestId>57ABD896CCB80C366955****</RequestId>\n</Error>",
            "MissingArgument",
            None,
            "57ABD896CCB80C366955****",
        );
        assert_eq!(
            p.fields.message.as_deref(),
            Some("Missing Some Required Arguments.")
        );
    }

    #[test]
    fn cos_python_dict() {
        let p = check(
            "qcloud_cos.cos_exception.CosServiceError: {'code': 'NoSuchKey', 'message': 'The specified key does not exist.', 'resource': 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/exampleobject', 'requestid': 'NjQ4ZDk0ZjBfOTBmYTUw****', 'traceid': 'OGVmYzZiMmQzYjA2OWNh****'}",
            "NoSuchKey",
            None,
            "NjQ4ZDk0ZjBfOTBmYTUw****",
        );
        assert_eq!(
            p.fields.trace_id.as_deref(),
            Some("OGVmYzZiMmQzYjA2OWNh****")
        );
    }

    #[test]
    fn cos_go() {
        let p = check(
            "GET https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/exampleobject: 404 NoSuchKey(Message: The specified key does not exist., RequestId: NjQ4ZDk0ZjBfOTBmYTUw****, TraceId: OGVmYzZiMmQzYjA2OWNh****)",
            "NoSuchKey",
            Some(404),
            "NjQ4ZDk0ZjBfOTBmYTUw****",
        );
        assert_eq!(
            p.fields.message.as_deref(),
            Some("The specified key does not exist.")
        );
        assert_eq!(
            p.fields.trace_id.as_deref(),
            Some("OGVmYzZiMmQzYjA2OWNh****")
        );
        assert_eq!(
            p.request.host.as_deref(),
            Some("examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com")
        );
    }

    #[test]
    fn cos_java() {
        let p = check(
            "com.qcloud.cos.exception.CosServiceException: The specified key does not exist. (Status Code: 404; Error Code: NoSuchKey; Request ID: NjQ4ZDk0ZjBfOTBmYTUw****); Trace ID: OGVmYzZiMmQzYjA2OWNh****. errCode:NoSuchKey,causeExp:null. statusCode:404,requestId:NjQ4ZDk0ZjBfOTBmYTUw****,errType:Client",
            "NoSuchKey",
            Some(404),
            "NjQ4ZDk0ZjBfOTBmYTUw****",
        );
        assert_eq!(
            p.fields.message.as_deref(),
            Some("The specified key does not exist.")
        );
        assert_eq!(
            p.fields.trace_id.as_deref(),
            Some("OGVmYzZiMmQzYjA2OWNh****")
        );
    }

    #[test]
    fn tencent_cloud_api_sdks() {
        for line in [
            "[TencentCloudSDKException] code:AuthFailure.SignatureFailure message:The provided credentials could not be validated. requestId:6d8f6e0a-1b2c",
            "[TencentCloudSDKError] Code=AuthFailure.SignatureFailure, Message=The provided credentials could not be validated., RequestId=6d8f6e0a-1b2c",
            "[TencentCloudSDKException]code: AuthFailure.SignatureFailure message:The provided credentials could not be validated. requestId:6d8f6e0a-1b2c",
        ] {
            let p = check(line, "AuthFailure.SignatureFailure", None, "6d8f6e0a-1b2c");
            assert_eq!(
                p.fields.message.as_deref(),
                Some("The provided credentials could not be validated."),
                "{line}"
            );
        }
    }

    #[test]
    fn botocore_and_tea() {
        check(
            "botocore.exceptions.ClientError: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist. RequestId: 5C3D9175B6FC201293AD****",
            "NoSuchKey",
            None,
            "5C3D9175B6FC201293AD****",
        );
        let p = check(
            "alibabacloud_tea_openapi.exceptions._client.ClientException: Error: InvalidAccessKeyId.NotFound code: 404, Specified access key is not found. request id: 7E2B2A1B-XXXX Response: {'RequestId': '7E2B2A1B-XXXX', 'HostId': 'imm.cn-hangzhou.aliyuncs.com', 'Code': 'InvalidAccessKeyId.NotFound', 'Message': 'Specified access key is not found.', 'statusCode': 404}",
            "InvalidAccessKeyId.NotFound",
            Some(404),
            "7E2B2A1B-XXXX",
        );
        assert_eq!(
            p.fields.message.as_deref(),
            Some("Specified access key is not found.")
        );
    }

    #[test]
    fn coloured_log_lines_are_read() {
        let p = crate::parse::parse(
            "\u{1b}[31mERRO\u{1b}[0m[2025-03-20 18:24:24] GET https://b-1250000000.cos.ap-guangzhou.myqcloud.com/o: 403 AccessDenied(Message: Access Denied., RequestId: NjQ4, TraceId: OGVm)  ",
        )
        .unwrap();
        assert_eq!(p.fields.code.as_deref(), Some("AccessDenied"));
        assert_eq!(p.fields.status, Some(403));
    }

    #[test]
    fn prose_yields_nothing() {
        let p = fields("this is just some text that went wrong");
        assert!(p.fields.is_empty());
    }
}
