//! Secrets never leave errdecode whole. A pasted `curl -v` dump or SDK log carries
//! signatures, security tokens and signed URLs; everything the report shows passes
//! through here first, keeping a short prefix so a user can still tell which key or
//! token it was.

/// How much of a secret value stays visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// AccessKey ids: enough to tell which key was used.
    KeyId,
    /// Signatures, tokens, credentials: a short prefix only.
    Secret,
}

impl Keep {
    fn chars(self) -> usize {
        match self {
            Keep::KeyId => 8,
            Keep::Secret => 4,
        }
    }
}

/// The masked form of a secret value: its prefix and a marker.
fn mask(value: &str, keep: Keep) -> String {
    let shown: String = value.chars().take(keep.chars()).collect();
    if shown.len() == value.len() && value.chars().count() <= keep.chars() {
        // Too short to show any of it safely.
        return "[masked]".to_owned();
    }
    format!("{shown}…[masked]")
}

/// Collects what was masked, for the report to say so.
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

    /// A named value (a body element, a header): masked whole when the name is secret,
    /// otherwise with any secret query parameters or token lines inside it masked.
    pub fn value(&mut self, name: &str, value: &str) -> String {
        if let Some(keep) = crate::notation::secret(name) {
            self.note(name);
            if name.eq_ignore_ascii_case("authorization") {
                return mask_authorization(value);
            }
            return mask(value, keep);
        }
        self.text(value)
    }

    /// Free text (a message, a URL, a string-to-sign): masks `name=value` query
    /// parameters and `name:value` lines whose name is secret.
    pub fn text(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut value_ends_at = None;
        while let Some(pos) = memchr::memchr2(b'=', b':', rest.as_bytes()) {
            let (before, after) = rest.split_at(pos);
            // Name characters are ASCII, so the run's length in bytes is its char count.
            let name_len = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .count();
            let name = &before[before.len() - name_len..];
            out.push_str(before);
            out.push_str(&after[..1]);
            rest = &after[1..];
            // The value is only looked for behind a secret name: looking behind every
            // separator would make a long run of them quadratic.
            let Some(keep) = crate::notation::secret(name) else {
                continue;
            };
            // `Name: value`, a header line quoted in a message: the value follows the spaces.
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            out.push_str(&rest[..spaces]);
            rest = &rest[spaces..];
            if name.eq_ignore_ascii_case("authorization") {
                // `Authorization: OSS LTAI...:sig`: a known scheme, a space and the
                // credential (the word after it). Other words are prose about the header.
                let scheme_len = rest.find(' ').unwrap_or(rest.len());
                let scheme = &rest[..scheme_len];
                if crate::notation::is_auth_scheme(scheme) {
                    let after = &rest[scheme_len..];
                    let spaces = after.len() - after.trim_start_matches(' ').len();
                    let credential = &after[spaces..];
                    let credential_len = credential
                        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '"' | '\''))
                        .unwrap_or(credential.len());
                    let len = scheme_len + spaces + credential_len;
                    self.note(name);
                    out.push_str(&mask_authorization(&rest[..len]));
                    rest = &rest[len..];
                }
                continue;
            }
            // Where the value ends; a value starting inside the one scanned last ends
            // where that one did, so `sign=//sign=//...` is not scanned again and again.
            let value_start = text.len() - rest.len();
            let value_end = match value_ends_at {
                Some(end) if end >= value_start => end,
                _ => {
                    let len = rest
                        .find(|c: char| matches!(c, '&' | '"' | '\'' | '<') || c.is_whitespace())
                        .unwrap_or(rest.len());
                    value_ends_at = Some(value_start + len);
                    value_start + len
                }
            };
            let value_len = value_end - value_start;
            let value = &rest[..value_len];
            if !value.is_empty() && !value.starts_with("//") {
                self.note(name);
                out.push_str(&mask(value, keep));
                rest = &rest[value_len..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// `OSS LTAI5t...:sig`, `OSS4-HMAC-SHA256 Credential=...`, `q-sign-algorithm=...`:
/// keep the scheme and the start of the credential.
fn mask_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, rest)) => format!("{scheme} {}", mask(rest, Keep::KeyId)),
        None => mask(value, Keep::KeyId),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_masked_with_a_prefix() {
        let mut r = Redactor::default();
        assert_eq!(
            r.value("SignatureProvided", "nJkWb8c0dd9ZRxjjFWc3/P0UO1M="),
            "nJkW…[masked]"
        );
        assert_eq!(
            r.value("OSSAccessKeyId", "LTAI5tAbCdEfGhIjKlMn"),
            "LTAI5tAb…[masked]"
        );
        assert_eq!(
            r.value("Authorization", "OSS LTAI5tAbCdEfGh:c2lnbmF0dXJl"),
            "OSS LTAI5tAb…[masked]"
        );
        assert_eq!(r.value("Key", "photos/a.jpg"), "photos/a.jpg");
        assert_eq!(
            r.masked,
            ["SignatureProvided", "OSSAccessKeyId", "Authorization"]
        );
    }

    #[test]
    fn signed_urls_and_token_lines_are_masked() {
        let mut r = Redactor::default();
        let url = "/a.jpg?OSSAccessKeyId=LTAI5tAbCdEfGhIj&Expires=1700000000&Signature=abcdEFGH%2Bxyz&security-token=CAIS1234567890";
        assert_eq!(
            r.text(url),
            "/a.jpg?OSSAccessKeyId=LTAI5tAb…[masked]&Expires=1700000000&Signature=abcd…[masked]&security-token=CAIS…[masked]"
        );
        let string_to_sign =
            "GET\n\n\n1700000000\nx-oss-security-token:CAISabcdefgh\n/bucket/a.jpg";
        assert_eq!(
            r.text(string_to_sign),
            "GET\n\n\n1700000000\nx-oss-security-token:CAIS…[masked]\n/bucket/a.jpg"
        );
        assert_eq!(r.text("https://host/path?x=1"), "https://host/path?x=1");
    }

    #[test]
    fn header_lines_quoted_in_text_are_masked() {
        let mut r = Redactor::default();
        assert_eq!(
            r.text("rejected Authorization: OSS LTAI5tAbCdEfGhIj:c2lnbmF0dXJlc2VjcmV0\nnext"),
            "rejected Authorization: OSS LTAI5tAb…[masked]\nnext"
        );
        assert_eq!(
            r.text("x-oss-security-token: CAISabcdefghijkl end"),
            "x-oss-security-token: CAIS…[masked] end"
        );
        // The credential only; prose about the header stays.
        assert_eq!(
            r.text("Authorization: OSS LTAI5tAbCdEfGhIj:c2ln for this bucket"),
            "Authorization: OSS LTAI5tAb…[masked] for this bucket"
        );
        assert_eq!(
            r.text("the Authorization: field was empty."),
            "the Authorization: field was empty."
        );
    }
}
