//! Secrets never leave errdecode whole. A pasted `curl -v` dump or SDK log carries
//! signatures, security tokens, signed URLs, cookies and passwords. One stage, [`mask`],
//! runs right after the readers, before anything resolves, detects, diagnoses or
//! reports: no later stage can see a secret value, so none can print one. Masking keeps
//! a short prefix, so a user can still tell which key or token it was, and keeps what
//! is not secret readable (a COS signing window, a V4 credential's scope, `Expires=`).
//!
//! Which names are secret, and how much of each stays, is data: `catalog/names.tsv`.

use std::fmt;

use crate::notation::{self, ValueKind};
use crate::parse::{Extra, Parsed};

/// How much of a secret value stays visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// AccessKey ids: enough to tell which key was used.
    KeyId,
    /// Signatures, tokens, credentials: a short prefix only.
    Secret,
    /// Passwords and cookies: nothing.
    Hidden,
    /// An `Authorization` value: its scheme, and the credential masked as the
    /// scheme says (see [`Scheme`]).
    Credential,
}

impl Keep {
    fn chars(self) -> usize {
        match self {
            Keep::KeyId => 8,
            Keep::Secret => 4,
            Keep::Hidden | Keep::Credential => 0,
        }
    }
}

/// How the credential after a known Authorization scheme is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `name=value` parts (`Credential=...`, `Signature=...`), each by its own name.
    Pairs,
    /// One word (`ID:signature`, a token), masked whole.
    Masked(Keep),
}

/// A secret value as read. Its `Debug` and `Display` never show it, so it cannot
/// reach a log line or a panic message; [`Secret::expose`] is the one way to it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The value itself, for the masking stage.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([masked])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[masked]")
    }
}

/// The masked form of a secret value: its prefix and a marker. A key id longer than
/// its prefix, or a secret more than twice as long, shows the prefix; a shorter one
/// shows nothing.
fn masked(value: &str, keep: Keep) -> String {
    let shortest = match keep {
        Keep::KeyId => keep.chars(),
        _ => keep.chars() * 2,
    };
    let keep = keep.chars();
    let mut ends = value.char_indices().map(|(i, _)| i);
    let cut = match ends.nth(keep) {
        Some(cut) if keep > 0 && shortest == keep => cut,
        Some(cut) if keep > 0 && ends.nth(shortest - keep - 1).is_some() => cut,
        _ => return "[masked]".to_owned(),
    };
    let mut shown = String::with_capacity(cut + 12);
    shown.push_str(&value[..cut]);
    shown.push_str("…[masked]");
    shown
}

/// The masking stage: every value of `parsed` that is a secret, or holds one, is
/// replaced by its masked form. Returns the names of what was masked, for the report
/// to say so. Run by `parse::parse` on what the readers found, before resolving.
pub fn mask(parsed: &mut Parsed) -> Vec<String> {
    let mut r = Redactor::default();
    let f = &mut parsed.fields;
    for c in f.candidates.iter_mut().chain(f.alternatives.iter_mut()) {
        r.text_in(&mut c.value);
    }
    for slot in [
        &mut f.code,
        &mut f.message,
        &mut f.request_id,
        &mut f.host_id,
        &mut f.trace_id,
        &mut f.ec,
        &mut f.recommend,
        &mut f.resource,
    ]
    .into_iter()
    .flatten()
    {
        r.text_in(slot);
    }
    // OSS echoes a rejected header back as ArgumentName/ArgumentValue: when the
    // header is a secret, so is the value.
    let argument_name = match f.extra("ArgumentName") {
        Some(Extra::Text(name)) if f.extra("ArgumentValue").is_some() => Some(name.clone()),
        _ => None,
    };
    for (name, value) in &mut f.extras {
        match value {
            Extra::Text(text) => {
                let name = match &argument_name {
                    Some(argument) if name.eq_ignore_ascii_case("ArgumentValue") => argument,
                    _ => name,
                };
                r.value_in(name, text);
            }
            Extra::Group(members) => {
                for (key, value) in members {
                    r.value_in(key, value);
                }
            }
        }
    }
    for header in parsed
        .headers
        .iter_mut()
        .chain(parsed.request.headers.iter_mut())
    {
        header.mask(&mut r);
    }
    let request = &mut parsed.request;
    for slot in [&mut request.target, &mut request.host]
        .into_iter()
        .flatten()
    {
        r.text_in(slot);
    }
    r.masked
}

/// Masks values and collects the names of what was masked.
#[derive(Debug, Default)]
pub struct Redactor {
    pub masked: Vec<String>,
}

impl Redactor {
    fn note(&mut self, what: &str) {
        if !self.masked.iter().any(|m| m == what) {
            self.masked.push(what.to_owned());
        }
    }

    /// Masks `text` in place (see [`Redactor::text`]).
    pub fn text_in(&mut self, text: &mut String) {
        if let Some(masked) = self.text(text) {
            *text = masked;
        }
    }

    /// Masks a named value in place (see [`Redactor::value`]).
    pub fn value_in(&mut self, name: &str, value: &mut String) {
        if let Some(masked) = self.value(name, value) {
            *value = masked;
        }
    }

    /// A named value (a body element, a header, a dict key): masked whole when the
    /// name is secret, otherwise with any secrets inside it masked. `None` when
    /// nothing in it is secret.
    pub fn value(&mut self, name: &str, value: &str) -> Option<String> {
        match notation::value_kind(name) {
            ValueKind::Secret(Keep::Credential) => {
                self.note(name);
                Some(self.credential(value))
            }
            ValueKind::Secret(keep) => {
                self.note(name);
                Some(masked(value, keep))
            }
            ValueKind::HexText => self.hex_text(name, value),
            ValueKind::Text => self.text(value),
        }
    }

    /// An `Authorization` value: the scheme stays, the credential is masked as the
    /// scheme's row in `names.tsv` says; a COS value (`q-sign-algorithm=...&q-ak=...`)
    /// is masked part by part, so its signing window stays readable.
    fn credential(&mut self, value: &str) -> String {
        let value = value.trim();
        let (scheme, rest) = match value.split_once([' ', '\t']) {
            Some((scheme, rest)) => (scheme, rest.trim_start()),
            None => (value, ""),
        };
        match notation::auth_scheme(scheme) {
            Some(Scheme::Pairs) => {
                let rest = self.text(rest).unwrap_or_else(|| rest.to_owned());
                format!("{scheme} {rest}")
            }
            Some(Scheme::Masked(keep)) => format!("{scheme} {}", masked(rest, keep)),
            None if rest.is_empty() && value.contains('=') => {
                self.text(value).unwrap_or_else(|| value.to_owned())
            }
            None => masked(value, Keep::Secret),
        }
    }

    /// Text written as hex bytes (`StringToSignBytes`): decoded and masked as text.
    /// When the text holds a secret, the hex is shown up to the secret's kept prefix,
    /// then `…[masked]`; the hex of a secret is never shown.
    fn hex_text(&mut self, name: &str, value: &str) -> Option<String> {
        let Some(bytes) = hex_decode(value) else {
            return self.text(value);
        };
        let decoded = String::from_utf8_lossy(&bytes);
        let text = self.text(&decoded)?;
        self.note(name);
        let same = decoded
            .bytes()
            .zip(text.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let spaced = value.trim().contains(char::is_whitespace);
        let mut shown = String::with_capacity(same * 3 + 12);
        for (i, b) in decoded.as_bytes()[..same].iter().enumerate() {
            if spaced && i > 0 {
                shown.push(' ');
            }
            shown.push_str(&format!("{b:02x}"));
        }
        if !shown.is_empty() {
            shown.push(' ');
        }
        shown.push_str("…[masked]");
        Some(shown)
    }

    /// Free text (a message, a URL, a string-to-sign, a log line): masks the value
    /// of every `name=value` or `name: value` whose name is secret, however it is
    /// written: quoted (`"SecurityToken":"..."`, `Signature="..."`, `\"token\":\"...\"`),
    /// spaced (`Signature = ...`, a tab after `name:`), URL-encoded (`%26Signature%3D...`,
    /// `Authorization=OSS%20...`); an `Authorization:` line's credential; and the
    /// password of a URL (`https://user:password@host`). `None` when nothing is secret.
    ///
    /// Linear: each separator's name is read back only to the separator before it,
    /// and a masked value is skipped whole.
    pub fn text(&mut self, text: &str) -> Option<String> {
        let b = text.as_bytes();
        let mut out: Option<String> = None;
        let mut copied = 0;
        let mut pos = 0;
        let mut floor = 0;
        while let Some(i) = memchr::memchr3(b'=', b':', b'%', &b[pos..]) {
            let at = pos + i;
            let sep_len = if b[at] == b'%' {
                match b.get(at + 1..at + 3) {
                    Some(h) if h.eq_ignore_ascii_case(b"3d") || h.eq_ignore_ascii_case(b"3a") => 3,
                    _ => {
                        pos = at + 1;
                        continue;
                    }
                }
            } else {
                1
            };
            let (name_start, name_end) = name_before(b, floor, at);
            let after = at + sep_len;
            pos = after;
            floor = after;
            if b[at] == b':' && b[after..].starts_with(b"//") {
                if let Some((start, end)) = url_password(b, after + 2) {
                    self.note("URL password");
                    splice(&mut out, &mut copied, text, start, end, "[masked]");
                    pos = end;
                    floor = end;
                }
                continue;
            }
            // No secret name is empty or starts with a digit (`12:30:00`, `Nov 2023 22:31`).
            let plain = name_start == name_end || b[name_start].is_ascii_digit();
            let Some(keep) = (!plain)
                .then(|| notation::secret(&text[name_start..name_end]))
                .flatten()
            else {
                continue;
            };
            let name = &text[name_start..name_end];
            let start = skip_blanks(b, after);
            if keep == Keep::Credential {
                // `Authorization: OSS LTAI...:sig`: a known scheme, a space and the
                // credential. Other words are prose about the header, or COS's
                // `q-...=` parts, which the loop masks one by one.
                let scheme_end = start
                    + b[start..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
                        .count();
                let gap = match &b[scheme_end..] {
                    [b' ' | b'\t', ..] => 1,
                    [b'%', b'2', b'0', ..] => 3,
                    _ => continue,
                };
                let credential = skip_blanks(b, scheme_end + gap);
                match notation::auth_scheme(&text[start..scheme_end]) {
                    Some(Scheme::Pairs) => {
                        self.note(name);
                        pos = credential;
                        floor = credential;
                    }
                    Some(Scheme::Masked(keep)) => {
                        let end = value_end(b, credential, Keep::Secret, false);
                        if end > credential {
                            self.note(name);
                            let shown = masked(&text[credential..end], keep);
                            splice(&mut out, &mut copied, text, credential, end, &shown);
                            pos = end;
                            floor = end;
                        }
                    }
                    None => {}
                }
                continue;
            }
            let (start, end) = value_span(b, start, keep, b[at] == b':');
            if end > start {
                self.note(name);
                let shown = masked(&text[start..end], keep);
                splice(&mut out, &mut copied, text, start, end, &shown);
                pos = end;
                floor = end;
            }
        }
        let mut out = out?;
        out.push_str(&text[copied..]);
        Some(out)
    }
}

/// Copies `text[copied..start]` and `with` to `out` (created on the first splice),
/// and moves past the replaced `start..end`.
fn splice(
    out: &mut Option<String>,
    copied: &mut usize,
    text: &str,
    start: usize,
    end: usize,
    with: &str,
) {
    let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
    out.push_str(&text[*copied..start]);
    out.push_str(with);
    *copied = end;
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}

fn skip_blanks(b: &[u8], mut at: usize) -> usize {
    while matches!(b.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// The name in front of the separator at `at`, read back no further than `floor`:
/// blanks, then a closing quote (`"`, `'`, `\"`, `%22`), then name characters. A run
/// that starts right after a `%` starts with the escape's two hex digits
/// (`%26Signature`): they are not part of the name.
fn name_before(b: &[u8], floor: usize, at: usize) -> (usize, usize) {
    let mut end = at;
    while end > floor && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if end > floor && matches!(b[end - 1], b'"' | b'\'') {
        end -= 1;
        if end > floor && b[end - 1] == b'\\' {
            end -= 1;
        }
    } else if end >= floor + 3 && is_encoded_quote(&b[end - 3..end]) {
        end -= 3;
    }
    let mut start = end;
    while start > floor && is_name_byte(b[start - 1]) {
        start -= 1;
    }
    if start > 0 && b[start - 1] == b'%' && end - start > 2 {
        start += 2;
    }
    (start, end)
}

fn is_encoded_quote(b: &[u8]) -> bool {
    b[0] == b'%' && (b[1..].eq_ignore_ascii_case(b"22") || b[1..].eq_ignore_ascii_case(b"27"))
}

/// Where the value that starts at `start` (blanks skipped) begins and ends: inside
/// its quotes when quoted, else up to the first byte that ends a value.
fn value_span(b: &[u8], start: usize, keep: Keep, after_colon: bool) -> (usize, usize) {
    let (quote, open) = match &b[start..] {
        [q @ (b'"' | b'\''), ..] => (Some(*q), 1),
        [b'\\', q @ (b'"' | b'\''), ..] => (Some(*q), 2),
        [b'%', rest @ ..] if rest.len() >= 2 && is_encoded_quote(&b[start..start + 3]) => (None, 3),
        _ => (None, 0),
    };
    let start = start + open;
    match quote {
        Some(q) => {
            let mut end = memchr::memchr2(q, b'\n', &b[start..]).map_or(b.len(), |i| start + i);
            if end > start && b[end - 1] == b'\\' {
                end -= 1;
            }
            (start, end)
        }
        None => (start, value_end(b, start, keep, after_colon)),
    }
}

/// The end of an unquoted value: whitespace, `&`, `,`, a quote or `<`, or the same
/// URL-encoded (`%26`, `%20`, `%22`...). A hidden value after `:` (`Cookie: ...`) is
/// the rest of the line; a key id ends at `/` or `%`, so a V4 credential's scope
/// (`AKID/20240101/us-east-1/s3/aws4_request`) stays.
fn value_end(b: &[u8], start: usize, keep: Keep, after_colon: bool) -> usize {
    let line = keep == Keep::Hidden && after_colon;
    let mut i = start;
    while i < b.len() {
        let c = b[i];
        let ends = match c {
            b'\n' | b'\r' => true,
            _ if line => false,
            b' ' | b'\t' | b'&' | b',' | b'"' | b'\'' | b'<' => true,
            b'/' => keep == Keep::KeyId,
            b'%' => {
                keep == Keep::KeyId
                    || b.get(i + 1..i + 3).is_some_and(|h| {
                        [b"26", b"20", b"22", b"27", b"2c", b"3c", b"0a", b"0d"]
                            .iter()
                            .any(|e| h.eq_ignore_ascii_case(*e))
                    })
            }
            _ => false,
        };
        if ends {
            break;
        }
        i += 1;
    }
    i
}

/// The password of `user:password@host`, the authority starting at `from`: where it
/// starts and ends, if the authority has one.
fn url_password(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut colon = None;
    for (i, &c) in b.iter().enumerate().skip(from) {
        match c {
            b'@' => return colon.filter(|&start| start < i).map(|start| (start, i)),
            b':' if colon.is_none() => colon = Some(i + 1),
            b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' => return None,
            _ if c.is_ascii_whitespace() => return None,
            _ => {}
        }
    }
    None
}

/// `47 45 54 0a ...` or `4745540a...`: the bytes, if the value is only hex digit pairs.
fn hex_decode(value: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = value.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let digit = |d: u8| (d as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` masked, or as it was when nothing in it is secret.
    fn text(r: &mut Redactor, text: &str) -> String {
        r.text(text).unwrap_or_else(|| text.to_owned())
    }

    fn value(r: &mut Redactor, name: &str, value: &str) -> String {
        r.value(name, value).unwrap_or_else(|| value.to_owned())
    }

    #[test]
    fn secret_names_are_masked_with_a_prefix() {
        let mut r = Redactor::default();
        assert_eq!(
            value(&mut r, "SignatureProvided", "nJkWb8c0dd9ZRxjjFWc3/P0UO1M="),
            "nJkW…[masked]"
        );
        assert_eq!(
            value(&mut r, "OSSAccessKeyId", "LTAI5tAbCdEfGhIjKlMn"),
            "LTAI5tAb…[masked]"
        );
        assert_eq!(
            value(&mut r, "Authorization", "OSS LTAI5tAbCdEfGh:c2lnbmF0dXJl"),
            "OSS LTAI5tAb…[masked]"
        );
        assert_eq!(value(&mut r, "Key", "photos/a.jpg"), "photos/a.jpg");
        assert_eq!(r.value("Key", "photos/a.jpg"), None);
        assert_eq!(
            r.masked,
            ["SignatureProvided", "OSSAccessKeyId", "Authorization"]
        );
        // Too short to keep most of it hidden: no prefix.
        assert_eq!(value(&mut r, "token", "abcdefgh"), "[masked]");
        assert_eq!(value(&mut r, "Password", "hunter2hunter2"), "[masked]");
    }

    #[test]
    fn authorization_values_keep_what_is_not_secret() {
        let mut r = Redactor::default();
        // COS: the signing window and the lists stay, the key id keeps its prefix.
        assert_eq!(
            value(
                &mut r,
                "Authorization",
                "q-sign-algorithm=sha1&q-ak=AKIDz8krbsJ5yKBZQpn74WFkmLPx3&q-sign-time=1700000000;1700000600&q-key-time=1700000000;1700000600&q-header-list=host&q-url-param-list=&q-signature=2f8d5e7a9c1b3d4e6f7081a2"
            ),
            "q-sign-algorithm=sha1&q-ak=AKIDz8kr…[masked]&q-sign-time=1700000000;1700000600&q-key-time=1700000000;1700000600&q-header-list=host&q-url-param-list=&q-signature=2f8d…[masked]"
        );
        // V4: the scope and the signed headers stay.
        assert_eq!(
            value(
                &mut r,
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027"
            ),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSF…[masked]/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f…[masked]"
        );
        // Basic: base64 of `user:password`, of which no prefix is safe.
        assert_eq!(
            value(&mut r, "Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA=="),
            "Basic [masked]"
        );
        assert_eq!(
            value(
                &mut r,
                "Authorization",
                "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"
            ),
            "Bearer eyJh…[masked]"
        );
        assert_eq!(
            value(&mut r, "Authorization", "whatever-this-is-abcdef"),
            "what…[masked]"
        );
    }

    #[test]
    fn signed_urls_and_token_lines_are_masked() {
        let mut r = Redactor::default();
        let url = "/a.jpg?OSSAccessKeyId=LTAI5tAbCdEfGhIj&Expires=1700000000&Signature=abcdEFGH%2Bxyz&security-token=CAIS1234567890";
        assert_eq!(
            text(&mut r, url),
            "/a.jpg?OSSAccessKeyId=LTAI5tAb…[masked]&Expires=1700000000&Signature=abcd…[masked]&security-token=CAIS…[masked]"
        );
        let string_to_sign =
            "GET\n\n\n1700000000\nx-oss-security-token:CAISabcdefgh\n/bucket/a.jpg";
        assert_eq!(
            text(&mut r, string_to_sign),
            "GET\n\n\n1700000000\nx-oss-security-token:CAIS…[masked]\n/bucket/a.jpg"
        );
        assert_eq!(r.text("https://host/path?x=1"), None);
        // A value may start with `//`: a base64 signature can.
        assert_eq!(
            text(&mut r, "Signature=//abcdEFGH+xyz end"),
            "Signature=//ab…[masked] end"
        );
    }

    #[test]
    fn header_lines_quoted_in_text_are_masked() {
        let mut r = Redactor::default();
        assert_eq!(
            text(
                &mut r,
                "rejected Authorization: OSS LTAI5tAbCdEfGhIj:c2lnbmF0dXJlc2VjcmV0\nnext"
            ),
            "rejected Authorization: OSS LTAI5tAb…[masked]\nnext"
        );
        assert_eq!(
            text(&mut r, "x-oss-security-token: CAISabcdefghijkl end"),
            "x-oss-security-token: CAIS…[masked] end"
        );
        // The credential only; prose about the header stays.
        assert_eq!(
            text(
                &mut r,
                "Authorization: OSS LTAI5tAbCdEfGhIj:c2ln for this bucket"
            ),
            "Authorization: OSS LTAI5tAb…[masked] for this bucket"
        );
        assert_eq!(r.text("the Authorization: field was empty."), None);
        assert_eq!(
            text(&mut r, "Proxy-Authorization:\tBasic dXNlcjpwYXNz\nnext"),
            "Proxy-Authorization:\tBasic [masked]\nnext"
        );
        // A cookie header's value is the rest of its line.
        assert_eq!(
            text(&mut r, "Cookie: a=1; session=abcdefghijkl\nnext"),
            "Cookie: [masked]\nnext"
        );
    }

    #[test]
    fn quoted_spaced_and_encoded_forms_are_masked() {
        let mut r = Redactor::default();
        for (input, expected) in [
            (
                r#"{"AccessKeyId":"LTAI5tAbCdEfGhIj","AccessKeySecret":"yB3secretsecret","SecurityToken":"CAISabcdefghijk"}"#,
                r#"{"AccessKeyId":"LTAI5tAb…[masked]","AccessKeySecret":"yB3s…[masked]","SecurityToken":"CAIS…[masked]"}"#,
            ),
            (
                r#"creds={\"AccessKeySecret\":\"yB3secretsecret\"}"#,
                r#"creds={\"AccessKeySecret\":\"yB3s…[masked]\"}"#,
            ),
            (
                r#"Signature="abcd efgh ijkl" next"#,
                r#"Signature="abcd…[masked]" next"#,
            ),
            (
                "security-token='CAISabcdefghijk'",
                "security-token='CAIS…[masked]'",
            ),
            ("Signature = abcdefghijkl x", "Signature = abcd…[masked] x"),
            ("token : CAISabcdefghijk x", "token : CAIS…[masked] x"),
            (
                "x-oss-security-token\t:\tCAISabcdefghijk",
                "x-oss-security-token\t:\tCAIS…[masked]",
            ),
            (
                "u=%3FExpires%3D1%26Signature%3Dabcdefgh%252Bxyz%26security-token%3DCAISabcdefghijk",
                "u=%3FExpires%3D1%26Signature%3Dabcd…[masked]%26security-token%3DCAIS…[masked]",
            ),
            (
                "%22SecurityToken%22%3A%22CAISabcdefghijk%22",
                "%22SecurityToken%22%3A%22CAIS…[masked]%22",
            ),
            (
                "Authorization=OSS%20LTAI5tAbCdEfGhIj:c2lnbmF0dXJl next",
                "Authorization=OSS%20LTAI5tAb…[masked] next",
            ),
            (
                "see https://admin:hunter2hunter2@b.example.com/a?x=1",
                "see https://admin:[masked]@b.example.com/a?x=1",
            ),
            (
                "aws_secret_access_key=wJalrXUtnFEMIK7MDENG aws_access_key_id=AKIAIOSFODNN7EXAMPLE",
                "aws_secret_access_key=wJal…[masked] aws_access_key_id=AKIAIOSF…[masked]",
            ),
            (
                "\"Password\": \"hunter2hunter2\"",
                "\"Password\": \"[masked]\"",
            ),
        ] {
            assert_eq!(text(&mut r, input), expected, "{input}");
        }
        // No secret name, nothing masked: a URL with a port, a time, a plain pair.
        for input in [
            "https://b.example.com:443/a",
            "12:30:00",
            "x=1&y=2",
            "q-sign-time=1;2",
        ] {
            assert_eq!(r.text(input), None, "{input}");
        }
    }

    #[test]
    fn hex_of_a_string_to_sign_is_masked_like_the_string() {
        let mut r = Redactor::default();
        let string_to_sign = "GET\n\nx-oss-security-token:CAISabcdefghijk\n/b/a";
        let spaced: Vec<String> = string_to_sign.bytes().map(|b| format!("{b:02x}")).collect();
        let shown = value(&mut r, "StringToSignBytes", &spaced.join(" "));
        // Up to the token's kept prefix, `CAIS`, then the marker.
        assert!(shown.ends_with("43 41 49 53 …[masked]"), "{shown}");
        assert!(!shown.contains("61 62 63"), "{shown}");
        assert!(r.masked.contains(&"StringToSignBytes".to_owned()));
        let compact = spaced.concat();
        let shown = value(&mut r, "StringToSignBytes", &compact);
        assert!(shown.ends_with("43414953 …[masked]"), "{shown}");
        // Without a secret in it, the hex stays as it was.
        assert_eq!(r.value("StringToSignBytes", "47 45 54 0a"), None);
    }

    #[test]
    fn a_secret_never_shows_in_debug_or_display() {
        let secret = Secret::new("CAISabcdefghijk".to_owned());
        assert_eq!(format!("{secret:?}"), "Secret([masked])");
        assert_eq!(format!("{secret}"), "[masked]");
        assert_eq!(secret.expose(), "CAISabcdefghijk");
        let header =
            crate::parse::Header::new("x-oss-security-token".into(), "CAISabcdefghijk".into());
        assert!(!format!("{header:?}").contains("abcdefghijk"));
        assert_eq!(header.value(), "CAISabcdefghijk");
    }

    #[test]
    fn nothing_after_the_masking_stage_holds_a_secret() {
        let dump = "> GET /a?Signature=abcdefghijkl HTTP/1.1\n> Host: b.oss-cn-hangzhou.aliyuncs.com\n> x-oss-security-token: CAISabcdefghijk\n< HTTP/1.1 403 Forbidden\n< Server: AliyunOSS\n<\n<Error><Code>AccessDenied</Code><Message>token=CAISabcdefghijk</Message><SecurityToken>CAISabcdefghijk</SecurityToken></Error>";
        let parsed = crate::parse::parse(dump).unwrap();
        let debug = format!("{parsed:?}");
        assert!(!debug.contains("abcdefghijk"), "{debug}");
        assert!(
            parsed.masked.contains(&"x-oss-security-token".to_owned()),
            "{:?}",
            parsed.masked
        );
    }
}
