//! HTTP dumps: `curl -i` (status line, headers, body) and `curl -v` (`< ` response
//! headers, `> ` request headers, `* ` info lines, the body interleaved).
//!
//! A dump may hold several responses (`100 Continue`, redirects followed with `-L`):
//! the final non-informational one is the one that failed.

use super::fields::Source;
use super::{Header, InputKind, ParseError, Parsed, Request, base64, parse_body, xml};

#[derive(Default)]
struct Response {
    status: u16,
    headers: Vec<Header>,
    /// The body's lines, each ended by `\n`.
    body: String,
}

impl Response {
    fn push_body_line(&mut self, line: &str) {
        self.body.push_str(line);
        self.body.push('\n');
    }
}

/// `None` when the text has no HTTP status line.
pub fn parse(text: &str) -> Option<Result<Parsed, ParseError>> {
    let verbose = text.starts_with("< HTTP/") || text.contains("\n< HTTP/");
    let (responses, request) = if verbose {
        split_verbose(text)
    } else {
        split_plain(text)
    };
    let response = responses.into_iter().rev().find(|r| r.status >= 200)?;
    Some(build(response, request))
}

fn build(mut response: Response, request: Request) -> Result<Parsed, ParseError> {
    let chunked = response.headers.iter().any(|h| {
        h.name.eq_ignore_ascii_case("transfer-encoding")
            && h.value().eq_ignore_ascii_case("chunked")
    });
    // Without its headers, a chunked body still shows: a size line, then the body.
    let looks_chunked = {
        let mut lines = super::lines(&response.body).filter(|l| !l.trim().is_empty());
        lines.next().is_some_and(is_chunk_size)
            && lines.next().is_some_and(|l| l.starts_with(['<', '{']))
    };
    let body_starts_with_size = |body: &str| {
        super::lines(body)
            .find(|l| !l.trim().is_empty())
            .is_some_and(is_chunk_size)
    };
    // A header that says chunked over a body a tool already joined has no size line.
    if looks_chunked || (chunked && body_starts_with_size(&response.body)) {
        response.body = dechunked(&response.body);
    }
    let mut parsed = match parse_body(&response.body, InputKind::Http, xml::Reading::Tolerant)? {
        Some(parsed) => parsed,
        None => Parsed::new(InputKind::Http),
    };
    parsed.request = request;
    parsed
        .fields
        .add(Source::StatusLine, "status", &response.status.to_string());
    for header in &response.headers {
        if header.meaning.base64_body {
            parsed.fields.merge(encoded_body(header.value())?);
        }
    }
    for header in &response.headers {
        if let Some(field) = header.meaning.field {
            parsed
                .fields
                .add_known(Source::Header, field, &header.name, header.value());
        }
    }
    parsed.headers = response.headers;
    Ok(parsed)
}

/// The error body a HEAD error carries base64-encoded in a header (OSS's `x-oss-err`,
/// named in `catalog/names.tsv`); empty fields when the value is not that.
pub fn encoded_body(value: &str) -> Result<super::Fields, ParseError> {
    let mut inner = Parsed::new(InputKind::Xml);
    if let Some(bytes) = base64::decode(value.trim()) {
        xml::parse(&String::from_utf8_lossy(&bytes), &mut inner)?;
    }
    Ok(inner.fields)
}

/// A `Transfer-Encoding: chunked` body as a terminal shows it: each chunk's size on a
/// line of its own before the chunk. The sizes go, and the chunks are joined as sent
/// (a chunk may end mid-line), whatever copying did to the line ends.
fn dechunked(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in super::lines(body) {
        if is_chunk_size(line) {
            // The line end before a size line is the chunk's framing, not its data.
            if out.ends_with('\n') {
                out.pop();
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A chunk-size line: hex digits, maybe with chunk extensions after `;`.
fn is_chunk_size(line: &str) -> bool {
    let size = line.trim().split(';').next().unwrap_or_default();
    !size.is_empty() && size.len() <= 8 && size.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `HTTP/1.1 403 Forbidden`, `HTTP/2 404` → the status.
fn status_line(line: &str) -> Option<u16> {
    let rest = line.strip_prefix("HTTP/")?;
    let mut parts = rest.split_whitespace();
    let version = parts.next()?;
    if !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let status = parts.next()?;
    if status.len() != 3 {
        return None;
    }
    status.parse().ok().filter(|s| (100..600).contains(s))
}

/// `GET /key HTTP/1.1` → (method, target).
fn request_line(line: &str) -> Option<(String, String)> {
    // Most `> ` lines are headers: a request line ends with its HTTP version.
    if !line.trim_end().rsplit(' ').next()?.starts_with("HTTP/") {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    let is_method = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
    (is_method && version.starts_with("HTTP/") && parts.next().is_none())
        .then(|| (method.to_owned(), target.to_owned()))
}

/// A header name as RFC 9110 defines one, a token: `x-oss-meta-file.name` and
/// `x-amz-meta-a~b` are names, so a body after them is not lost. The HTTP reader and
/// scan both ask this.
pub fn is_header_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b))
}

fn header_line(line: &str) -> Option<Header> {
    // memchr, not `split_once`: every line of a dump comes through here, and the
    // masking stage's lookup of each header's name is paid for by this.
    let colon = memchr::memchr(b':', line.as_bytes())?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    // HTTP's optional whitespace is ASCII (SP, HTAB): `trim_ascii` finds it in fewer
    // instructions than the Unicode-aware `trim`, on every header of a dump.
    is_header_name(name.as_bytes())
        .then(|| Header::new(name.to_owned(), value.trim_ascii().to_owned()))
}

fn note_request_header(request: &mut Request, header: Header) {
    if header.name.eq_ignore_ascii_case("host") || header.name == ":authority" {
        request.host = Some(header.value().to_owned());
    }
    request.headers.push(header);
}

fn split_verbose(text: &str) -> (Vec<Response>, Request) {
    let mut responses: Vec<Response> = Vec::new();
    let mut request = Request::default();
    // The body is at most the whole trace: sized once, not regrown line by line.
    let mut body = String::with_capacity(text.len());
    for line in super::lines(text).map(|l| l.trim_end_matches('\r')) {
        if let Some(rest) = line.strip_prefix("< ").or((line == "<").then_some("")) {
            if let Some(status) = status_line(rest) {
                responses.push(Response {
                    status,
                    ..Response::default()
                });
            } else if let (Some(header), Some(current)) = (header_line(rest), responses.last_mut())
            {
                current.headers.push(header);
            }
        } else if let Some(rest) = line.strip_prefix("> ") {
            if let Some((method, target)) = request_line(rest) {
                request = Request {
                    method: Some(method),
                    target: Some(target),
                    ..Request::default()
                };
            } else if let Some(header) = header_line(rest) {
                note_request_header(&mut request, header);
            }
        } else if !is_trace_line(line) {
            body.push_str(line);
            body.push('\n');
        }
    }
    // curl writes the body to stdout and the trace to stderr: with `2>&1` the two
    // interleave, so every non-trace line belongs to the last response.
    if let Some(last) = responses.last_mut() {
        last.body = body;
    }
    (responses, request)
}

fn is_trace_line(line: &str) -> bool {
    matches!(line, "*" | ">" | "{" | "}") || ["* ", "{ ", "} "].iter().any(|p| line.starts_with(p))
}

#[derive(PartialEq)]
enum State {
    Outside,
    RequestHeaders,
    ResponseHeaders,
    Body,
}

fn split_plain(text: &str) -> (Vec<Response>, Request) {
    let mut responses: Vec<Response> = Vec::new();
    let mut request = Request::default();
    let mut state = State::Outside;
    for line in super::lines(text).map(|l| l.trim_end_matches('\r')) {
        if let Some(status) = status_line(line) {
            responses.push(Response {
                status,
                ..Response::default()
            });
            state = State::ResponseHeaders;
            continue;
        }
        if state != State::Body
            && let Some((method, target)) = request_line(line)
        {
            request = Request {
                method: Some(method),
                target: Some(target),
                ..Request::default()
            };
            state = State::RequestHeaders;
            continue;
        }
        match state {
            State::RequestHeaders => match header_line(line) {
                Some(header) => note_request_header(&mut request, header),
                None => state = State::Outside,
            },
            State::ResponseHeaders => match (header_line(line), responses.last_mut()) {
                (Some(header), Some(current)) => current.headers.push(header),
                // Some captures drop the blank line before the body.
                (None, Some(current)) => {
                    state = State::Body;
                    if !line.trim().is_empty() {
                        current.push_body_line(line);
                    }
                }
                (_, None) => state = State::Outside,
            },
            State::Body => {
                if let Some(current) = responses.last_mut() {
                    current.push_body_line(line);
                }
            }
            State::Outside => {}
        }
    }
    (responses, request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Parsed {
        let mut parsed = parse(text).expect("an HTTP dump").expect("parsed");
        crate::parse::resolve::resolve(&mut parsed.fields);
        parsed
    }

    #[test]
    fn a_header_name_with_a_dot_or_tilde_keeps_the_body() {
        let parsed = parse_ok(
            "HTTP/1.1 404 Not Found\nx-oss-meta-file.name: a.txt\nx-amz-meta-a~b: c\n\n<Error><Code>NoSuchKey</Code></Error>\n",
        );
        assert_eq!(parsed.fields.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(parsed.header("x-amz-meta-a~b"), Some("c"));
        assert!(!is_header_name(b"a b") && !is_header_name(b"") && !is_header_name(b"a:b"));
    }

    #[test]
    fn reads_a_curl_i_dump_with_crlf() {
        let parsed = parse_ok(
            "HTTP/1.1 404 Not Found\r\nServer: AliyunOSS\r\nx-oss-request-id: 5C3D9175B6FC201293AD****\r\nx-oss-ec: 0026-00000001\r\n\r\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<Error>\r\n  <Code>NoSuchKey</Code>\r\n</Error>\r\n",
        );
        assert_eq!(parsed.kind, InputKind::Http);
        assert_eq!(parsed.fields.status, Some(404));
        assert_eq!(parsed.fields.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(parsed.fields.ec.as_deref(), Some("0026-00000001"));
        assert_eq!(parsed.header("server"), Some("AliyunOSS"));
    }

    #[test]
    fn the_final_response_wins() {
        let parsed = parse_ok(
            "HTTP/1.1 100 Continue\n\nHTTP/1.1 301 Moved Permanently\nLocation: x\n\nHTTP/2 403\nx-cos-request-id: abc\n\n<Error><Code>AccessDenied</Code></Error>",
        );
        assert_eq!(parsed.fields.status, Some(403));
        assert_eq!(parsed.fields.request_id.as_deref(), Some("abc"));
    }

    #[test]
    fn reads_a_curl_v_dump() {
        let parsed = parse_ok(
            "*   Trying 1.2.3.4:443...\n> GET /a.jpg?imageMogr2/thumbnail/100x HTTP/1.1\n> Host: ex-1250000000.cos.ap-guangzhou.myqcloud.com\n>\n< HTTP/1.1 403 Forbidden\n< X-ErrNo: -46618\n< x-cos-request-id: NjQ4ZDk0ZjBfOTBmYTUw\n<\n* Connection #0 left intact\n",
        );
        assert_eq!(parsed.fields.code.as_deref(), Some("-46618"));
        assert_eq!(parsed.request.method.as_deref(), Some("GET"));
        assert_eq!(
            parsed.request.host.as_deref(),
            Some("ex-1250000000.cos.ap-guangzhou.myqcloud.com")
        );
    }

    #[test]
    fn decodes_x_oss_err_on_a_head_error() {
        // base64 of <Error><Code>NoSuchKey</Code><EC>0026-00000001</EC></Error>
        let parsed = parse_ok(
            "HTTP/1.1 404 Not Found\nx-oss-err: PEVycm9yPjxDb2RlPk5vU3VjaEtleTwvQ29kZT48RUM+MDAyNi0wMDAwMDAwMTwvRUM+PC9FcnJvcj4=\n\n",
        );
        assert_eq!(parsed.fields.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(parsed.fields.ec.as_deref(), Some("0026-00000001"));
    }

    #[test]
    fn reads_a_pasted_request_and_response() {
        let parsed = parse_ok(
            "PUT /abc.zip HTTP/1.1\nHost: bucketname.oss-cn-shanghai.aliyuncs.com\n\nHTTP/1.1 400 Bad Request\nServer: AliyunOSS\n\n<Error><Code>NotImplemented</Code><Header>If-Modified-Since</Header></Error>",
        );
        assert_eq!(
            parsed.request.host.as_deref(),
            Some("bucketname.oss-cn-shanghai.aliyuncs.com")
        );
        assert_eq!(parsed.fields.code.as_deref(), Some("NotImplemented"));
    }

    #[test]
    fn a_chunked_body_is_joined_back() {
        let parsed = parse_ok(
            "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n9a\r\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>You have no right.</Me\r\n7f\r\nssage>\n  <EC>0003-00000001</EC>\n</Error>\r\n0\r\n\r\n",
        );
        assert_eq!(parsed.fields.code.as_deref(), Some("AccessDenied"));
        assert_eq!(parsed.fields.message.as_deref(), Some("You have no right."));
        assert_eq!(parsed.fields.ec.as_deref(), Some("0003-00000001"));
    }

    #[test]
    fn text_without_a_status_line_is_not_http() {
        assert!(parse("<Error/>").is_none());
        assert!(parse("HTTP/1.1 is a protocol").is_none());
    }
}
