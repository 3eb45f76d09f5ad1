//! The one result every later stage consumes: what was pasted, who sent it, what it
//! means. Renderers only format a `Report`; they decide nothing. Secrets were masked
//! right after parsing (`redact::mask`), so no stage from detection on sees one.

use crate::catalog::{self, EcCategory, Entry, Product, Signal, StatusMeaning, Vendor};
use crate::detect::Detection;
use crate::diagnose::{self, Finding};
use crate::lookup::{Lookup, Match};
use crate::parse::fields::Candidate;
use crate::parse::{Extra, InputKind, Parsed};

#[derive(Clone, Debug)]
pub struct Report {
    pub input_kind: InputKind,
    /// `None` when unknown, ambiguous, or out of scope (see `foreign`).
    pub vendor: Option<Vendor>,
    pub product: Option<Product>,
    /// An out-of-scope vendor the evidence points to (`aws`, `minio`, ...).
    pub foreign: Option<&'static str>,
    /// For a gateway product (Alibaba Cloud OpenAPI, Tencent Cloud API 3.0), the
    /// service the call went to, named by its endpoint: `mt` from
    /// `mt.cn-hangzhou.aliyuncs.com`.
    pub service: Option<String>,
    pub http_status: Option<u16>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// When the server received the request, decoded from an OSS or Tencent request id.
    pub received_at: Option<i64>,
    pub host_id: Option<String>,
    pub trace_id: Option<String>,
    pub ec: Option<String>,
    pub recommend: Option<String>,
    /// The failed request as far as the input shows it: method, host, target.
    pub request: Option<RequestLine>,
    /// Everything else the input carried: Resource, Key, StringToSign, AccessDeniedDetail...
    pub details: Vec<(String, Extra)>,
    pub matches: Vec<Match>,
    pub suggestions: Vec<&'static str>,
    /// The sender's own meaning was left out by `--vendor`/`--product`.
    pub scoped_out: bool,
    pub evidence: Vec<&'static Signal>,
    /// The category of an OSS EC the catalog has no entry for.
    pub ec_category: Option<&'static EcCategory>,
    /// The generic meaning of the HTTP status, when no catalog entry matched.
    pub status_meaning: Option<&'static StatusMeaning>,
    /// For a bare HTTP status typed alone (`403`, `HTTP 503`): the catalog entries
    /// sent with it, in catalog order. `None` for every other input.
    pub status_entries: Option<Vec<&'static Entry>>,
    pub findings: Vec<Finding>,
    /// Names of the values that were masked because they are secrets.
    pub masked: Vec<String>,
    /// Ids that were already masked in the input (`****`, `XXXX`, `<REQUEST_ID>`): not real ids.
    pub redacted_in_input: Vec<&'static str>,
    /// The repairs applied to the paste before it was read (`wire-log`, `line-prefixes`).
    pub repairs: Vec<&'static str>,
    /// Values read for a field that lost to the one shown.
    pub alternatives: Vec<Candidate>,
    /// The other errors of a paste that holds several, each explained on its own.
    pub others: Vec<Report>,
    /// Errors of the paste past those explained: counted, not read (a lower bound when
    /// `unread_at_least`).
    pub unread_errors: usize,
    pub unread_at_least: bool,
    /// The findings compare times the input carries (see
    /// [`diagnose::Diagnosis`]): not shown, but it keeps scan's cache from answering
    /// another record with this report.
    pub times_compared: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLine {
    pub method: Option<String>,
    pub host: Option<String>,
    pub target: Option<String>,
}

impl Report {
    pub fn new(parsed: Parsed, detection: Detection, lookup: Lookup) -> Report {
        // Diagnosis reads the masked input: signing windows and dates are not secret.
        let diagnose::Diagnosis {
            mut findings,
            times_compared,
        } = diagnose::diagnose(&parsed);
        if detection.foreign.is_some() {
            // What an OSS EC means says nothing about another vendor's.
            findings.retain(|f| f.kind != "ec");
        }
        let Lookup {
            matches,
            suggestions,
            scoped_out,
        } = lookup;
        let (vendor, product) = producer(
            &detection,
            &matches,
            parsed.fields.code.as_deref(),
            parsed.kind,
        );
        let mut f = parsed.fields;
        // A status the input lacks is taken from the catalog when every match agrees on it.
        let http_status = f.status.or_else(|| {
            let first = matches.first()?.entry.status?;
            matches
                .iter()
                .all(|m| m.entry.status == Some(first))
                .then_some(first)
        });
        let ec_known = f.ec.as_deref().is_some_and(|ec| {
            matches
                .iter()
                .any(|m| m.entry.code().eq_ignore_ascii_case(ec))
        });
        let ec_category =
            f.ec.as_deref()
                .or(f.code.as_deref().filter(|c| catalog::is_ec_shape(c)))
                .filter(|_| !ec_known && detection.foreign.is_none())
                .and_then(catalog::ec_category);
        let status_meaning = matches
            .is_empty()
            .then_some(http_status)
            .flatten()
            // Only statuses http-status.tsv lists: 3xx to 5xx, and 203 (a 2xx OSS
            // sends when an upload's callback failed).
            .and_then(catalog::status_meaning);

        let mut details = Vec::with_capacity(f.extras.len() + 1);
        if let Some(resource) = &f.resource {
            details.push(("Resource".to_owned(), Extra::Text(resource.clone())));
        }
        details.extend(f.extras);
        let redacted_in_input = [
            ("request_id", &f.request_id),
            ("host_id", &f.host_id),
            ("trace_id", &f.trace_id),
        ]
        .into_iter()
        .filter(|(_, v)| v.as_deref().is_some_and(looks_redacted))
        .map(|(name, _)| name)
        .collect();
        let alternatives = std::mem::take(&mut f.alternatives);
        let request = parsed.request;
        let request = (request.method.is_some() || request.host.is_some()).then_some(RequestLine {
            method: request.method,
            host: request.host,
            target: request.target,
        });
        let service = product.and_then(|p| {
            let hosts = [
                f.host_id.as_deref(),
                request.as_ref().and_then(|r| r.host.as_deref()),
            ];
            hosts
                .into_iter()
                .flatten()
                .find_map(|host| service_of(host, p))
        });
        Report {
            input_kind: parsed.kind,
            vendor,
            product,
            foreign: detection.foreign,
            service,
            http_status,
            received_at: detection.received_at,
            code: f.code,
            message: f.message,
            request_id: f.request_id,
            host_id: f.host_id,
            trace_id: f.trace_id,
            ec: f.ec,
            recommend: f.recommend,
            request,
            details,
            matches,
            suggestions,
            scoped_out,
            evidence: detection.evidence,
            ec_category,
            status_meaning,
            status_entries: None,
            findings,
            masked: parsed.masked,
            redacted_in_input,
            repairs: parsed.repairs,
            alternatives,
            others: Vec::new(),
            unread_errors: parsed.unread_errors,
            unread_at_least: parsed.unread_at_least,
            times_compared,
        }
    }

    /// What a bare HTTP status (`403`, `HTTP 503`) means: its general meaning, and
    /// the catalog entries in `scope` that are sent with it. `None` when the catalog
    /// has no general meaning for it (a 2xx).
    pub fn for_status(status: u16, scope: crate::lookup::Scope) -> Option<Report> {
        let status_meaning = catalog::status_meaning(status)?;
        let entries = catalog::ENTRIES
            .iter()
            .filter(|e| e.status == Some(status) && scope.allows(e))
            .collect();
        Some(Report {
            input_kind: InputKind::Code,
            vendor: scope.vendor.or(scope.product.map(Product::vendor)),
            product: scope.product,
            foreign: None,
            service: None,
            http_status: Some(status),
            code: None,
            message: None,
            request_id: None,
            received_at: None,
            host_id: None,
            trace_id: None,
            ec: None,
            recommend: None,
            request: None,
            details: Vec::new(),
            matches: Vec::new(),
            suggestions: Vec::new(),
            scoped_out: false,
            evidence: Vec::new(),
            ec_category: None,
            status_meaning: Some(status_meaning),
            status_entries: Some(entries),
            findings: Vec::new(),
            masked: Vec::new(),
            redacted_in_input: Vec::new(),
            repairs: Vec::new(),
            alternatives: Vec::new(),
            others: Vec::new(),
            unread_errors: 0,
            unread_at_least: false,
            times_compared: false,
        })
    }

    /// Whether errdecode could explain the input from its catalog (exit status 0): an
    /// entry matched, or the input was a bare HTTP status with a general meaning.
    pub fn is_explained(&self) -> bool {
        !self.matches.is_empty() || self.status_entries.is_some()
    }
}

/// Who produced the error: the detected vendor and product when the evidence is
/// clear, else whatever all the matches agree on; nobody in scope for a foreign sender.
///
/// The matches speak for a code the user typed alone, and for a code distinctive
/// enough to name its sender (`SecondLevelDomainForbidden`); a one-word code in a
/// paste (`Forbidden`, which tools also print as the status's reason phrase) does not.
fn producer(
    detection: &Detection,
    matches: &[Match],
    code: Option<&str>,
    kind: InputKind,
) -> (Option<Vendor>, Option<Product>) {
    if detection.foreign.is_some() {
        return (None, None);
    }
    let telling = kind == InputKind::Code
        || code.is_none_or(|c| c.bytes().filter(u8::is_ascii_uppercase).count() >= 2);
    // A code the catalog gives one vendor names it, unless evidence speaks against it.
    let vendor = detection.vendor.or_else(|| {
        telling
            .then(|| all_same(matches, |m| m.entry.vendor))?
            .filter(|v| detection.vendor_score(*v) >= 0)
    });
    // The server's message is one product's literal: that product sent it. Evidence
    // for a family's general product (OSS, whose endpoints serve image processing too)
    // narrows so to a member; a member (STS) is never widened back to the general one.
    let agreeing = matches.iter().filter(|m| m.message_agrees);
    let said_by = all_same(agreeing, |m| m.entry.product).filter(|p| {
        vendor.is_none_or(|v| v == p.vendor())
            && detection
                .product
                .is_none_or(|d| d.id() == d.family() && d.answers_for(*p))
    });
    let product = said_by.or(detection.product).or_else(|| {
        telling
            .then(|| all_same(matches, |m| m.entry.product))?
            .filter(|p| vendor.is_none_or(|v| v == p.vendor()) && detection.product_score(*p) >= 0)
    });
    (vendor, product)
}

/// An id someone masked before pasting: `57AB****`, `7E2B-XXXX-...`, `<REQUEST_ID>`.
pub fn looks_redacted(value: &str) -> bool {
    let v = value.trim();
    v.contains("**")
        || v.contains("XXXX")
        || v.contains("xxxx")
        || (v.starts_with('<') && v.ends_with('>'))
        || v.eq_ignore_ascii_case("redacted")
        || v == "..."
}

/// The value every match has in common, if they agree (and there is at least one).
fn all_same<'a, T: PartialEq>(
    matches: impl IntoIterator<Item = &'a Match>,
    key: impl Fn(&Match) -> T,
) -> Option<T> {
    let mut matches = matches.into_iter();
    let first = key(matches.next()?);
    matches.all(|m| key(m) == first).then_some(first)
}

/// The calling service that `host` names, when it has one of the endpoint forms of
/// `product` in `catalog/endpoints.tsv` (`mt.cn-hangzhou.aliyuncs.com` gives `mt`).
fn service_of(host: &str, product: Product) -> Option<String> {
    let mut forms = catalog::ENDPOINT_FORMS
        .iter()
        .filter(|(p, ..)| *p == product)
        .map(|&(_, start, end)| &catalog::ENDPOINT_TEXT[usize::from(start)..usize::from(end)])
        .peekable();
    // Most products are no gateway: nothing to lower-case then.
    forms.peek()?;
    let host = host.trim().to_ascii_lowercase();
    forms
        .find_map(|form| crate::endpoint_form::service(form, &host))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gateway_endpoint_names_the_calling_service() {
        let service = |host: &str, product| service_of(host, product);
        assert_eq!(
            service("mt.cn-hangzhou.aliyuncs.com", Product::Openapi).as_deref(),
            Some("mt")
        );
        assert_eq!(
            service("ecs-cn-hangzhou.aliyuncs.com", Product::Openapi).as_deref(),
            Some("ecs")
        );
        assert_eq!(
            service("r-kvstore.aliyuncs.com", Product::Openapi).as_deref(),
            Some("r-kvstore")
        );
        assert_eq!(
            service("cvm.tencentcloudapi.com", Product::Api).as_deref(),
            Some("cvm")
        );
        assert_eq!(service("aliyuncs.com", Product::Openapi), None);
        assert_eq!(service("evilaliyuncs.com", Product::Openapi), None);
        assert_eq!(service("mt.cn-hangzhou.aliyuncs.com", Product::Oss), None);
    }
}
