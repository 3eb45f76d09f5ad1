//! Beyond a look-up: what the rest of the input says about this particular failure.
//! Clock skew from request and server times, an expired signing window, who was
//! denied what by which policy, the endpoint a bucket wants, when the request reached
//! the server. Each finding is a sentence in the report, computed from input fields.

use crate::catalog;
use crate::notation;
use crate::parse::{Extra, Parsed};
use crate::words::{fill, words};
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// A stable identifier for scripts: `clock-skew`, `signature-window`, ...
    pub kind: &'static str,
    pub text: String,
}

/// The server's clock may differ from the client's by at most this much (OSS, COS, S3).
const MAX_SKEW_SECS: i64 = 15 * 60;

/// What the diagnosis found.
pub struct Diagnosis {
    pub findings: Vec<Finding>,
    /// A time the input carries was compared with the server's: the findings depend
    /// on the times' values, not only on which fields there are (scan's cache keeps
    /// no such report for another record).
    pub times_compared: bool,
}

pub fn diagnose(parsed: &Parsed) -> Diagnosis {
    let mut findings = Vec::new();
    let server = server_time(parsed);
    let client = client_time(parsed);
    clock_skew(parsed, client, server, &mut findings);
    let windowed = signing_window(parsed, server, &mut findings);
    access_denied_detail(parsed, &mut findings);
    endpoint(parsed, &mut findings);
    string_to_sign(parsed, &mut findings);
    ec_link(parsed, &mut findings);
    Diagnosis {
        findings,
        times_compared: server.is_some() && (client.is_some() || windowed),
    }
}

/// When the request reached the server: its RequestTime/ServerTime element, the
/// response `Date` header, or the time encoded in the request id.
fn server_time(parsed: &Parsed) -> Option<i64> {
    let f = &parsed.fields;
    text_extra(parsed, "ServerTime")
        .and_then(parse_time)
        .or_else(|| parsed.header("date").and_then(parse_time))
        .or_else(|| f.request_id.as_deref().and_then(request_id_time))
}

fn text_extra<'a>(parsed: &'a Parsed, name: &str) -> Option<&'a str> {
    match parsed.fields.extra(name)? {
        Extra::Text(t) => Some(t),
        Extra::Group(_) => None,
    }
}

/// When the client signed the request: its RequestTime element or a signed-at header.
fn client_time(parsed: &Parsed) -> Option<i64> {
    let request = &parsed.request;
    text_extra(parsed, "RequestTime")
        .or_else(|| {
            notation::SIGNED_AT_HEADERS
                .iter()
                .find_map(|name| request.header(name))
        })
        .and_then(parse_time)
}

fn clock_skew(
    parsed: &Parsed,
    client: Option<i64>,
    server: Option<i64>,
    findings: &mut Vec<Finding>,
) {
    let (Some(client), Some(server)) = (client, server) else {
        return;
    };
    let skew = client - server;
    let w = words();
    let time_code = parsed.fields.code.as_deref().is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        c.contains("skew") || c.contains("timestamp") || c.contains("expired")
    });
    if skew.abs() >= MAX_SKEW_SECS || (time_code && skew.abs() >= 60) {
        findings.push(Finding {
            kind: "clock-skew",
            text: fill(
                w.clock_skew(),
                &[
                    &format_time(client),
                    &format_time(server),
                    &format_duration(skew.abs()),
                    &if skew > 0 {
                        w.clock_fast()
                    } else {
                        w.clock_slow()
                    },
                ],
            ),
        });
    }
}

/// COS/CI `q-sign-time=start;end` and OSS/V2 `Expires=` against the server's time,
/// from the Authorization header or the URL. Returns whether a window was there to
/// compare.
fn signing_window(parsed: &Parsed, server: Option<i64>, findings: &mut Vec<Finding>) -> bool {
    let Some(server) = server else {
        return false;
    };
    let request = &parsed.request;
    let sources = [request.header("authorization"), request.target.as_deref()];
    let mut windowed = false;
    for source in sources.into_iter().flatten() {
        if let Some(window) = param(source, "q-sign-time") {
            windowed = true;
            let mut bounds = window.split([';', ',']).map(|s| s.trim().parse::<i64>());
            if let (Some(Ok(start)), Some(Ok(end))) = (bounds.next(), bounds.next()) {
                let text = if server > end {
                    fill(
                        words().window_ended(),
                        &[&format_time(end), &format_duration(server - end)],
                    )
                } else if server < start {
                    fill(
                        words().window_not_begun(),
                        &[&format_time(start), &format_duration(start - server)],
                    )
                } else {
                    continue;
                };
                findings.push(Finding {
                    kind: "signature-window",
                    text,
                });
                return true;
            }
        }
        if let Some(expires) = param(source, "Expires") {
            windowed = true;
            if let Some(expires) = expires.parse::<i64>().ok().filter(|&e| server > e) {
                findings.push(Finding {
                    kind: "signature-window",
                    text: fill(
                        words().url_expired(),
                        &[&format_time(expires), &format_duration(server - expires)],
                    ),
                });
                return true;
            }
        }
    }
    windowed
}

/// The value of `name=` in a query string or an `a=b&c=d` header.
fn param<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    // Split on the separators' bytes: a signature header is read for each of its
    // parameters, on every dump (benches/startup.sh).
    let is_separator = |b: &u8| matches!(b, b'?' | b'&' | b' ' | b',');
    let mut start = 0;
    for end in (0..text.len())
        .filter(|&i| is_separator(&text.as_bytes()[i]))
        .chain([text.len()])
    {
        let pair = &text[start..end];
        start = end + 1;
        if let Some((key, value)) = pair.split_once('=')
            && key.eq_ignore_ascii_case(name)
        {
            return Some(value);
        }
    }
    None
}

fn access_denied_detail(parsed: &Parsed, findings: &mut Vec<Finding>) {
    let Some(Extra::Group(members)) = parsed.fields.extra("AccessDeniedDetail") else {
        return;
    };
    let get = |name: &str| {
        members
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let w = words();
    let how = match get("NoPermissionType") {
        Some(t) if t.eq_ignore_ascii_case("ExplicitDeny") => w.explicitly_denied(),
        Some(t) if t.eq_ignore_ascii_case("ImplicitDeny") => w.implicitly_denied(),
        _ => w.denied(),
    };
    let who = match (get("AuthPrincipalType"), get("AuthPrincipalDisplayName")) {
        (Some(t), Some(n)) => format!("{t} {n}"),
        (Some(t), None) => t.to_owned(),
        (None, Some(n)) => n.to_owned(),
        (None, None) => w.the_caller().to_owned(),
    };
    let owner = get("AuthPrincipalOwnerId")
        .map(|o| fill(w.of_account(), &[&o]))
        .unwrap_or_default();
    let action = get("AuthAction").unwrap_or(w.this_action());
    let policy = get("PolicyType")
        .map(|p| fill(w.policy_type(), &[&p]))
        .unwrap_or_default();
    let mut text = fill(w.access_denied(), &[&who, &owner, &how, &action, &policy]);
    if get("PolicyType").is_some() {
        text.push_str(w.trust_policy_type());
    }
    if get("EncodedDiagnosticMessage").is_some() {
        text.push_str(w.decode_diagnostic());
    }
    findings.push(Finding {
        kind: "access-denied",
        text,
    });
}

fn endpoint(parsed: &Parsed, findings: &mut Vec<Finding>) {
    let Some(endpoint) = text_extra(parsed, "Endpoint") else {
        return;
    };
    let w = words();
    let bucket = text_extra(parsed, "Bucket")
        .or_else(|| text_extra(parsed, "BucketName"))
        .map(|b| fill(w.bucket_named(), &[&b]))
        .unwrap_or_else(|| w.this_bucket().to_owned());
    let used = parsed
        .request
        .host
        .as_deref()
        .or(parsed.fields.host_id.as_deref())
        .filter(|h| !h.eq_ignore_ascii_case(endpoint) && !h.ends_with(&format!(".{endpoint}")))
        .map(|h| fill(w.request_went_to(), &[&h]))
        .unwrap_or_default();
    findings.push(Finding {
        kind: "endpoint",
        text: fill(w.endpoint_required(), &[&bucket, &endpoint, &used]),
    });
}

fn string_to_sign(parsed: &Parsed, findings: &mut Vec<Finding>) {
    if parsed.fields.has_name("StringToSign") || parsed.fields.has_name("CanonicalRequest") {
        findings.push(Finding {
            kind: "string-to-sign",
            text: words().compare_string_to_sign().to_owned(),
        });
    }
}

fn ec_link(parsed: &Parsed, findings: &mut Vec<Finding>) {
    let f = &parsed.fields;
    let Some(ec) = f.ec.as_deref().filter(|ec| catalog::is_ec_shape(ec)) else {
        return;
    };
    let category = catalog::ec_category(ec);
    let raised_by = category
        .map(|c| fill(words().raised_by_module(), &[&c.name, &c.meaning()]))
        .unwrap_or_default();
    // The server's own RecommendDoc, else the EC's page in the catalog, else its
    // module's list.
    let Some(link) = f
        .recommend
        .as_deref()
        .map(Cow::Borrowed)
        .or_else(|| catalog::exact(ec).find(|e| e.is_ec()).map(|e| e.doc_url()))
        .or_else(|| category.map(|c| Cow::Borrowed(c.source)))
    else {
        return;
    };
    findings.push(Finding {
        kind: "ec",
        text: fill(words().ec_cause(), &[&ec, &raised_by, &link]),
    });
}

/// The receipt time encoded in a request id: the time run of its shape in
/// `signals.tsv` (OSS's hex, Tencent's base64).
pub fn request_id_time(id: &str) -> Option<i64> {
    catalog::id_shape(id)?.1
}

/// Parses RFC 1123 (`Wed, 09 Nov 2022 08:45:46 GMT`), ISO 8601 (`2022-11-09T08:45:46.000Z`),
/// compact ISO (`20221109T084546Z`) and Unix seconds into Unix seconds (UTC).
pub fn parse_time(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.len() == 10 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok();
    }
    let digits = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let Some((_, rest)) = t.split_once(", ") {
        // RFC 1123
        let mut parts = rest.split_whitespace();
        let day = digits(parts.next()?)?;
        let month = month_number(parts.next()?)?;
        let year = digits(parts.next()?)?;
        let mut hms = parts.next()?.split(':');
        let (h, m, s) = (
            digits(hms.next()?)?,
            digits(hms.next()?)?,
            digits(hms.next()?)?,
        );
        return Some(to_unix(year, month, day, h, m, s));
    }
    let t = t.trim_end_matches('Z');
    let (date, time) = t.split_once('T')?;
    let time = time.split(['.', '+']).next()?;
    let (y, mo, d) = if date.len() == 8 {
        (
            digits(&date[..4])?,
            digits(&date[4..6])?,
            digits(&date[6..])?,
        )
    } else {
        let mut p = date.split('-');
        (digits(p.next()?)?, digits(p.next()?)?, digits(p.next()?)?)
    };
    let (h, mi, s) = if time.len() == 6 {
        (
            digits(&time[..2])?,
            digits(&time[2..4])?,
            digits(&time[4..])?,
        )
    } else {
        let mut p = time.split(':');
        (digits(p.next()?)?, digits(p.next()?)?, digits(p.next()?)?)
    };
    ((1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && s < 61)
        .then(|| to_unix(y, mo, d, h, mi, s))
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let name = name.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == name).map(|i| i as i64 + 1)
}

/// Days-from-civil (proleptic Gregorian), then seconds.
fn to_unix(year: i64, month: i64, day: i64, h: i64, m: i64, s: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + h * 3600 + m * 60 + s
}

/// `2022-11-09 08:45:46 UTC`.
pub fn format_time(unix: i64) -> String {
    let (date, (h, m, s)) = civil(unix);
    format!("{date} {h:02}:{m:02}:{s:02} UTC")
}

/// `unix` in RFC 3339, as scripts parse it: `2019-01-15T07:53:25Z`.
pub fn format_rfc3339(unix: i64) -> String {
    let (date, (h, m, s)) = civil(unix);
    format!("{date}T{h:02}:{m:02}:{s:02}Z")
}

/// The UTC date (`YYYY-MM-DD`) and time of day of `unix`.
fn civil(unix: i64) -> (String, (i64, i64, i64)) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil-from-days, the inverse of `to_unix`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        (secs / 3600, secs % 3600 / 60, secs % 60),
    )
}

/// `1 h 20 min`, `45 min 3 s`, `12 s`.
fn format_duration(secs: i64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) => format!("{m} min {s} s"),
        (0, _, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn times_round_trip() {
        let t = parse_time("Wed, 09 Nov 2022 08:45:46 GMT").unwrap();
        assert_eq!(format_time(t), "2022-11-09 08:45:46 UTC");
        assert_eq!(parse_time("2022-11-09T08:45:46.000Z"), Some(t));
        assert_eq!(parse_time("20221109T084546Z"), Some(t));
        assert_eq!(parse_time("1668st"), None);
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_rfc3339(1_547_538_805), "2019-01-15T07:53:25Z");
    }

    #[test]
    fn request_ids_encode_their_receipt_time() {
        // The documented OSS sample: 57ABD896 is the sample response's Date.
        let t = request_id_time("57ABD896CCB80C366955****").unwrap();
        assert_eq!(format_time(t), "2016-08-11 01:44:54 UTC");
        let t = request_id_time("NTk5ZDM5OTRfZDNhZDM1MGFfMjYyMTFfZmU3NWQ=").unwrap();
        assert_eq!(format_time(t), "2017-08-23 08:15:16 UTC");
        assert_eq!(request_id_time("4442587FB7D0A2F9"), None);
    }

    fn findings(text: &str) -> Vec<Finding> {
        diagnose(&parse(text).unwrap()).findings
    }

    #[test]
    fn an_ec_links_the_servers_page_else_the_catalogs_else_its_modules() {
        let link = |text: &str| {
            findings(text)
                .into_iter()
                .find(|f| f.kind == "ec")
                .map(|f| f.text.rsplit(' ').next().unwrap().to_owned())
        };
        let own = "<Error><Code>AccessDenied</Code><EC>0003-00000201</EC><RecommendDoc>https://example.test/doc</RecommendDoc></Error>";
        assert_eq!(link(own).as_deref(), Some("https://example.test/doc"));
        let known = "<Error><Code>AccessDenied</Code><EC>0003-00000201</EC></Error>";
        let page = catalog::exact("0003-00000201").find(|e| e.is_ec()).unwrap();
        assert_eq!(link(known).as_deref(), Some(&*page.doc_url()));
        let unknown = "<Error><Code>AccessDenied</Code><EC>0003-09999999</EC></Error>";
        let module = catalog::ec_category("0003-09999999").unwrap();
        assert_eq!(link(unknown).as_deref(), Some(module.source));
    }

    #[test]
    fn skew_from_request_and_server_time() {
        let f = findings(
            "<Error><Code>RequestTimeTooSkewed</Code><RequestTime>2024-01-01T12:00:00Z</RequestTime><ServerTime>2024-01-01T12:20:05Z</ServerTime></Error>",
        );
        assert_eq!(f[0].kind, "clock-skew");
        assert!(f[0].text.contains("20 min 5 s slow"), "{}", f[0].text);
    }

    #[test]
    fn an_expired_cos_signature_window() {
        let f = findings(
            "> GET /a.jpg HTTP/1.1\n> Host: b-1250000000.cos.ap-guangzhou.myqcloud.com\n> Authorization: q-sign-algorithm=sha1&q-ak=AKIDxxxx&q-sign-time=1700000000;1700000600&q-key-time=1700000000;1700000600&q-signature=abc\n< HTTP/1.1 403 Forbidden\n< Date: Tue, 14 Nov 2023 23:13:20 GMT\n<\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
        );
        let window = f.iter().find(|f| f.kind == "signature-window").unwrap();
        assert!(
            window
                .text
                .contains("valid until 2023-11-14 22:23:20 UTC, 50 min 0 s before"),
            "{}",
            window.text
        );
    }

    #[test]
    fn access_denied_detail_names_who_what_and_which_policy() {
        let f = findings(
            "<Error><Code>AccessDenied</Code><AccessDeniedDetail><AuthAction>oss:GetObject</AuthAction><AuthPrincipalType>SubUser</AuthPrincipalType><AuthPrincipalDisplayName>dev</AuthPrincipalDisplayName><PolicyType>AccountLevelIdentityBasedPolicy</PolicyType><NoPermissionType>ExplicitDeny</NoPermissionType></AccessDeniedDetail></Error>",
        );
        assert_eq!(
            f[0].text,
            "SubUser dev was explicitly denied oss:GetObject (policy type AccountLevelIdentityBasedPolicy). Trust PolicyType over the Message text, which can name another policy."
        );
    }

    #[test]
    fn the_endpoint_a_bucket_wants() {
        let f = findings(
            "<Error><Code>AccessDenied</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.</Message><Bucket>photos</Bucket><Endpoint>oss-cn-beijing.aliyuncs.com</Endpoint></Error>",
        );
        assert_eq!(
            f[0].text,
            "Bucket photos must be addressed through oss-cn-beijing.aliyuncs.com: use that endpoint."
        );
    }
}
