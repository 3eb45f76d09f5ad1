//! XML error bodies: `<Error><Code>…</Code>…</Error>` from OSS, COS, CI and S3.
//!
//! Only the root's children (and one level below, for groups such as
//! `AccessDeniedDetail`, or the `Error` inside an `ErrorResponse`) matter. Entities other than the five predefined ones and
//! character references are kept as written, so entity bombs expand to nothing.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::fields::{self, Known, Source};
use super::{ParseError, Parsed};

/// How forgiving a read is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Only a well-formed body: any error means `false`, nothing is repaired.
    WellFormed,
    /// Whatever can be read from a damaged body: mismatched or missing end tags,
    /// bare `&`, a body cut off mid-element.
    Tolerant,
}

/// Fills `parsed` from an XML body, tolerantly; `false` when the text is not an XML error.
pub fn parse(text: &str, parsed: &mut Parsed) -> Result<bool, ParseError> {
    read(text, parsed, Reading::Tolerant)
}

/// Fills `parsed` from an XML body read the way `reading` says.
pub fn read(text: &str, parsed: &mut Parsed, reading: Reading) -> Result<bool, ParseError> {
    let tolerant = reading == Reading::Tolerant;
    let (declaration, body) = split_declaration(text);
    parsed.xml_declaration = declaration.map(str::to_owned);
    let body = if tolerant {
        escape_bare_ampersands(body)
    } else {
        body.into()
    };

    let mut reader = Reader::from_str(&body);
    reader.config_mut().check_end_names = !tolerant;
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut root_seen = false;
    let mut root: Option<String> = None;
    // All the text inside the current child, and whether some is its own (not only
    // its members'): a group such as AccessDeniedDetail has none of its own.
    let mut child_text = String::new();
    let mut child_has_text = false;
    let mut child: Option<String> = None;
    let mut text_buf = String::new();
    let mut group: Vec<(String, String)> = Vec::new();
    let mut member: Option<String> = None;

    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Err(_) if tolerant => break,
            Err(_) => return Ok(false),
            Ok(event) => event,
        };
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_owned();
                // `<Code>NoSuchKey\n  <Message>...`: a child whose text runs on to the
                // next line and opens another element lost its closing tag; it ends
                // here. (Inline markup, `Hello <b>world</b>`, stays on its line.)
                if tolerant
                    && depth == 2
                    && group.is_empty()
                    && text_buf.contains('\n')
                    && !text_buf.trim().is_empty()
                    && let Some(unclosed) = child.take()
                {
                    parsed.fields.add(Source::Element, &unclosed, &text_buf);
                    depth = 1;
                }
                depth += 1;
                deepest = deepest.max(depth);
                match depth {
                    1 => {
                        root_seen = true;
                        if parsed.xml_root.is_none() {
                            parsed.xml_root = Some(name.clone());
                        }
                        root = Some(name);
                    }
                    2 => {
                        child = Some(name);
                        group.clear();
                        child_text.clear();
                        child_has_text = false;
                    }
                    3 => member = Some(name),
                    _ => {}
                }
                text_buf.clear();
            }
            Event::Empty(start) if depth == 1 => {
                let name = start.local_name().as_ref().to_owned();
                parsed.fields.add(Source::Element, &name, "");
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                let before = text_buf.len();
                push_text(event, &mut text_buf);
                let piece = &text_buf[before..];
                if depth >= 2 {
                    child_text.push_str(piece);
                    child_has_text |= depth == 2 && !piece.trim().is_empty();
                }
            }
            Event::End(_) => {
                match depth {
                    // A lone element, `<Code>NoSuchKey</Code>` copied out of a body.
                    1 if parsed.fields.names.is_empty() && !text_buf.trim().is_empty() => {
                        if let Some(name) = root.take() {
                            parsed.fields.add(Source::Element, &name, &text_buf);
                        }
                    }
                    2 => {
                        if let Some(name) = child.take() {
                            if group.is_empty() {
                                parsed.fields.add(Source::Element, &name, &text_buf);
                            } else if child_has_text {
                                // Text with inline markup, `Hello <b>world</b> end`.
                                parsed.fields.add(Source::Element, &name, &child_text);
                            } else if group
                                .iter()
                                .any(|(member, _)| fields::known(member) == Some(Known::Code))
                            {
                                // A group that holds a code is the error itself, one level
                                // down: the query protocol's `<ErrorResponse><Error><Code>`.
                                for (member, value) in group.drain(..) {
                                    parsed.fields.add(Source::Element, &member, &value);
                                }
                            } else {
                                parsed.fields.set_group(&name, std::mem::take(&mut group));
                            }
                        }
                    }
                    3 => {
                        if let Some(name) = member.take() {
                            group.push((name, text_buf.trim().to_owned()));
                        }
                    }
                    _ => {}
                }
                text_buf.clear();
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    // Elements left open are a body cut off: not well-formed.
    if !tolerant && depth != 0 {
        return Ok(false);
    }
    // Reading is a stream, so depth costs nothing; but an error's fields sit one or
    // two levels down, and a body that is only nesting deserves a clear word.
    if parsed.fields.names.is_empty() && deepest > MAX_DEPTH {
        return Err(ParseError::TooDeep("XML body"));
    }
    // A body cut off mid-element still tells us what it had read so far.
    if let Some(name) = child.take().filter(|_| group.is_empty()) {
        parsed.fields.add(Source::Element, &name, &text_buf);
    }
    Ok(root_seen && !parsed.fields.names.is_empty())
}

/// Appends the text of a text, CDATA or reference event. Entities other than XML's
/// five stay as written, so an entity bomb expands to nothing.
fn push_text(event: Event<'_>, text: &mut String) {
    match event {
        Event::Text(t) => text.push_str(&t.xml10_content()),
        Event::CData(t) => text.push_str(&t.into_inner()),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(c)) => text.push(c),
            _ => match r.as_ref() {
                "lt" => text.push('<'),
                "gt" => text.push('>'),
                "amp" => text.push('&'),
                "quot" => text.push('"'),
                "apos" => text.push('\''),
                other => {
                    text.push('&');
                    text.push_str(other);
                    text.push(';');
                }
            },
        },
        _ => {}
    }
}

/// A `&` that starts no entity or character reference (`a&b.txt`, a URL's query)
/// is not well-formed XML, but servers and copy-paste produce it: it is escaped so
/// the parser reads on instead of stopping there.
fn escape_bare_ampersands(body: &str) -> std::borrow::Cow<'_, str> {
    let starts_reference = |rest: &str| {
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
            .count();
        name_len > 0 && rest.as_bytes().get(name_len) == Some(&b';')
    };
    let bare: Vec<usize> = memchr::memchr_iter(b'&', body.as_bytes())
        .filter(|&at| !starts_reference(&body[at + 1..]))
        .collect();
    if bare.is_empty() {
        return body.into();
    }
    let mut out = String::with_capacity(body.len() + 4 * bare.len());
    let mut from = 0;
    for at in bare {
        out.push_str(&body[from..=at]);
        out.push_str("amp;");
        from = at + 1;
    }
    out.push_str(&body[from..]);
    out.into()
}

/// Deeper than any error body nests (JSON's limit is serde_json's, also 128).
pub const MAX_DEPTH: usize = 128;

/// Splits off an XML declaration, tolerating the mangled `<? xml ... ? >` form that
/// appears in vendor documentation.
fn split_declaration(text: &str) -> (Option<&str>, &str) {
    let text = text.trim_start();
    if !text.starts_with("<?") {
        return (None, text);
    }
    let end = text
        .find("?>")
        .map(|i| i + 2)
        .or_else(|| text.find("? >").map(|i| i + 3));
    match end {
        Some(end) => (Some(&text[..end]), &text[end..]),
        None => (None, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Extra, InputKind};

    fn parse_xml(text: &str) -> Parsed {
        let mut parsed = Parsed::new(InputKind::Xml);
        assert!(parse(text, &mut parsed).unwrap(), "not parsed: {text}");
        crate::parse::resolve::resolve(&mut parsed.fields);
        parsed
    }

    #[test]
    fn the_query_protocols_error_is_read_one_level_down() {
        let parsed = parse_xml(
            "<ErrorResponse>\n<RequestId>e1eac1b3-1f35-44ba-abd4-7c4b7a9859f3</RequestId>\n<Error>\n<Type>Sender</Type>\n<code>InvalidParameterValue</code>\n<Message>An invalid value.</Message>\n</Error>\n</ErrorResponse>",
        );
        assert_eq!(parsed.xml_root.as_deref(), Some("ErrorResponse"));
        assert_eq!(parsed.fields.code.as_deref(), Some("InvalidParameterValue"));
        assert_eq!(parsed.fields.message.as_deref(), Some("An invalid value."));
        assert_eq!(
            parsed.fields.request_id.as_deref(),
            Some("e1eac1b3-1f35-44ba-abd4-7c4b7a9859f3")
        );
        // A group without a code stays a group.
        let parsed = parse_xml(
            "<Error><Code>AccessDenied</Code><AccessDeniedDetail><AuthAction>oss:PutObject</AuthAction></AccessDeniedDetail></Error>",
        );
        assert!(matches!(
            parsed.fields.extra("AccessDeniedDetail"),
            Some(Extra::Group(_))
        ));
    }

    #[test]
    fn reads_the_documented_oss_sample_with_its_mangled_declaration() {
        let parsed = parse_xml(
            "<? xml version=\"1.0\" ? >\n<Error xmlns=\"http://doc.oss-cn-hangzhou.aliyuncs.com\">\n  <Code>\n    AccessDenied\n  </Code>\n  <Message>Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters</Message>\n  <RequestId>1D842BC54255****</RequestId>\n  <HostId>oss-cn-hangzhou.aliyuncs.com</HostId>\n</Error>",
        );
        assert_eq!(parsed.fields.code.as_deref(), Some("AccessDenied"));
        assert_eq!(
            parsed.fields.host_id.as_deref(),
            Some("oss-cn-hangzhou.aliyuncs.com")
        );
        assert_eq!(
            parsed.xml_declaration.as_deref(),
            Some("<? xml version=\"1.0\" ? >")
        );
    }

    #[test]
    fn groups_access_denied_detail_members() {
        let parsed = parse_xml(
            "<Error><Code>AccessDenied</Code><AccessDeniedDetail><AuthAction>oss:PutObject</AuthAction><NoPermissionType>ExplicitDeny</NoPermissionType></AccessDeniedDetail><EC>0003-00000201</EC></Error>",
        );
        assert_eq!(parsed.fields.ec.as_deref(), Some("0003-00000201"));
        assert_eq!(
            parsed.fields.extra("AccessDeniedDetail"),
            Some(&Extra::Group(vec![
                ("AuthAction".into(), "oss:PutObject".into()),
                ("NoPermissionType".into(), "ExplicitDeny".into()),
            ]))
        );
    }

    #[test]
    fn entities_resolve_but_custom_ones_do_not_expand() {
        let parsed = parse_xml(
            "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><Error><Code>X</Code><Message>a &lt;b&gt; &#x41; &b;</Message></Error>",
        );
        assert_eq!(parsed.fields.message.as_deref(), Some("a <b> A &b;"));
    }

    #[test]
    fn a_truncated_body_keeps_what_was_read() {
        let parsed = parse_xml("<Error><Code>NoSuchKey</Code><Message>The specified key");
        assert_eq!(parsed.fields.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(parsed.fields.message.as_deref(), Some("The specified key"));
    }

    #[test]
    fn html_is_not_an_error_body() {
        let mut parsed = Parsed::new(InputKind::Xml);
        assert!(!parse("<p></p>", &mut parsed).unwrap());
    }
}
