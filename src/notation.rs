//! How pasted errors name things, compiled from `catalog/names.tsv` by build.rs: which
//! known field a key, element or header means, which keys are kept as details, which
//! header carries an encoded body, and which names hold secrets. No stage spells a
//! name itself; each asks here.

use crate::parse::fields::Known;
use crate::redact::{Keep, Scheme};

include!(concat!(env!("OUT_DIR"), "/notations.rs"));

/// What a line template's capture holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    Code,
    Message,
    Status,
    RequestId,
    HostId,
    TraceId,
    /// The failed request's method and URL.
    Method,
    Url,
    /// Text the template reads past (an operation name).
    Skip,
}

impl Capture {
    /// The known field the capture fills, if it fills one.
    pub fn field(self) -> Option<Known> {
        match self {
            Capture::Code => Some(Known::Code),
            Capture::Message => Some(Known::Message),
            Capture::Status => Some(Known::Status),
            Capture::RequestId => Some(Known::RequestId),
            Capture::HostId => Some(Known::HostId),
            Capture::TraceId => Some(Known::TraceId),
            Capture::Method | Capture::Url | Capture::Skip => None,
        }
    }
}

/// One part of a line template: fixed text, or a value.
#[derive(Debug)]
pub enum Part {
    Literal(&'static str),
    Capture(Capture),
}

/// A sentence an SDK prints around an error's fields (`catalog/templates.tsv`).
#[derive(Debug)]
pub struct LineTemplate {
    pub name: &'static str,
    /// The index in `parts` of the literal searched for.
    pub anchor: usize,
    pub parts: &'static [Part],
}

/// Longer than any folded name in the tables.
const FOLD_BUFFER: usize = 48;

/// `name` folded as the tables are (ASCII lower case, without `-`, `_` and spaces)
/// into a buffer on the stack, or `None` when it is longer than `limit` once folded:
/// every key and header of a paste comes through here, so nothing is
/// allocated and a long word is given up early.
fn folded(name: &str, limit: usize, buffer: &mut [u8; FOLD_BUFFER]) -> Option<usize> {
    let mut len = 0;
    for b in name.bytes().filter(|b| !matches!(b, b'-' | b'_' | b' ')) {
        // Other scripts' bytes are kept as they are: a Chinese label (`错误码`) is a name.
        if len == limit.min(FOLD_BUFFER) {
            return None;
        }
        buffer[len] = b.to_ascii_lowercase();
        len += 1;
    }
    Some(len)
}

/// The known field a name stands for (`x-oss-request-id`, `Request Id`, `requestId`).
pub fn field(name: &str) -> Option<Known> {
    let mut buffer = [0; FOLD_BUFFER];
    let len = folded(name, LONGEST_FIELD, &mut buffer)?;
    field_named(&buffer[..len])
}

/// How much of a value named `name` may be shown, when it is a secret.
pub fn secret(name: &str) -> Option<Keep> {
    let mut buffer = [0; FOLD_BUFFER];
    let len = folded(name, LONGEST_SECRET, &mut buffer)?;
    secret_named(&buffer[..len])
}

/// How the credential after an Authorization scheme is masked, for a known scheme.
pub fn auth_scheme(scheme: &str) -> Option<Scheme> {
    if scheme.len() > LONGEST_SCHEME || !scheme.is_ascii() {
        return None;
    }
    let mut buffer = [0; FOLD_BUFFER];
    let lower = &mut buffer[..scheme.len()];
    lower.copy_from_slice(scheme.as_bytes());
    lower.make_ascii_lowercase();
    auth_scheme_named(lower)
}

/// Whether a value named `name` is text written as hex bytes (`StringToSignBytes`).
pub fn is_hex_text(name: &str) -> bool {
    matches!(value_kind(name), ValueKind::HexText)
}

/// What a named value is, as far as masking goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A secret, shown as `Keep` says.
    Secret(Keep),
    /// Text written as hex bytes (`StringToSignBytes`).
    HexText,
    /// Anything else: free text, which may hold secrets.
    Text,
}

/// What a value named `name` is: its name folded once for both tables.
pub fn value_kind(name: &str) -> ValueKind {
    let mut buffer = [0; FOLD_BUFFER];
    let Some(len) = folded(name, FOLD_BUFFER, &mut buffer) else {
        return ValueKind::Text;
    };
    let name = &buffer[..len];
    match secret_named(name) {
        Some(keep) => ValueKind::Secret(keep),
        None if is_hex_text_named(name) => ValueKind::HexText,
        None => ValueKind::Text,
    }
}

/// What a header's name means, from one fold of it: every header of a dump is
/// looked up, for the field it fills, its encoded body and its secrecy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeaderName {
    pub field: Option<Known>,
    pub base64_body: bool,
    pub secret: Option<Keep>,
}

pub fn header_name(name: &str) -> HeaderName {
    // Folded no further than the longest name either table has: most headers of a
    // dump (`Access-Control-Allow-Methods`) are given up early.
    let longest = LONGEST_FIELD.max(LONGEST_SECRET).max(LONGEST_BODY_HEADER);
    let mut buffer = [0; FOLD_BUFFER];
    let Some(len) = folded(name, longest, &mut buffer) else {
        return HeaderName::default();
    };
    let name = &buffer[..len];
    HeaderName {
        field: (len <= LONGEST_FIELD).then(|| field_named(name)).flatten(),
        base64_body: is_base64_body_header(name),
        secret: (len <= LONGEST_SECRET)
            .then(|| secret_named(name))
            .flatten(),
    }
}

/// Whether a header named `name` carries the error body as base64-encoded XML.
pub fn is_base64_body(name: &str) -> bool {
    let mut buffer = [0; FOLD_BUFFER];
    folded(name, FOLD_BUFFER, &mut buffer).is_some_and(|len| is_base64_body_header(&buffer[..len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_folded() {
        for name in [
            "RequestId",
            "request_id",
            "Request Id",
            "x-oss-request-id",
            "ossRequestId",
        ] {
            assert_eq!(field(name), Some(Known::RequestId), "{name}");
        }
        assert_eq!(field("StringToSign"), None);
        assert_eq!(field(&"a".repeat(10_000)), None);
        assert_eq!(secret("X-Amz-Security-Token"), Some(Keep::Secret));
        assert_eq!(secret("q_ak"), Some(Keep::KeyId));
        assert!(is_base64_body("X-Oss-Err"));
        let header = header_name("X-Oss-Request-Id");
        assert_eq!(header.field, Some(Known::RequestId));
        assert!(header.secret.is_none() && !header.base64_body);
        assert_eq!(header_name("Cookie").secret, Some(Keep::Hidden));
        assert!(header_name("x-oss-err").base64_body);
        assert_eq!(auth_scheme("oss4-HMAC-sha256"), Some(Scheme::Pairs));
        assert_eq!(auth_scheme("Basic"), Some(Scheme::Masked(Keep::Hidden)));
        assert_eq!(auth_scheme(&"A".repeat(100)), None);
        assert_eq!(secret("Proxy-Authorization"), Some(Keep::Credential));
        assert_eq!(secret("aws_secret_access_key"), Some(Keep::Secret));
        assert!(is_hex_text("StringToSignBytes") && !is_hex_text("StringToSign"));
        assert!(is_kept_key("Request Endpoint") && !is_kept_key("request endpoint"));
    }
}
