//! The one result every later stage consumes: what was pasted, who sent it, what it
//! means. Renderers only format a `Report`; they decide nothing.

use crate::catalog::{self, EcCategory, Product, Signal, Vendor};
use crate::detect::Detection;
use crate::lookup::{Lookup, Match};
use crate::parse::{Extra, InputKind, Parsed};

#[derive(Debug)]
pub struct Report {
    pub input_kind: InputKind,
    /// `None` when unknown, ambiguous, or out of scope (see `foreign`).
    pub vendor: Option<Vendor>,
    pub product: Option<Product>,
    /// An out-of-scope vendor the evidence points to (`aws`, `minio`, ...).
    pub foreign: Option<&'static str>,
    pub http_status: Option<u16>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    pub trace_id: Option<String>,
    pub ec: Option<String>,
    pub recommend: Option<String>,
    /// Everything else the input carried: Resource, Key, StringToSign, AccessDeniedDetail...
    pub details: Vec<(String, Extra)>,
    pub matches: Vec<Match>,
    pub suggestions: Vec<&'static str>,
    pub evidence: Vec<&'static Signal>,
    /// The category of an OSS EC the catalog has no entry for.
    pub ec_category: Option<&'static EcCategory>,
}

impl Report {
    pub fn new(parsed: Parsed, detection: Detection, lookup: Lookup) -> Report {
        let Lookup {
            matches,
            suggestions,
        } = lookup;
        let f = parsed.fields;
        // Who produced it: the detected vendor and product when the evidence is clear,
        // else whatever all the matches agree on.
        let agreed = |of: fn(&Match) -> (Vendor, Product)| {
            let first = of(matches.first()?);
            Some((
                matches
                    .iter()
                    .all(|m| of(m).0 == first.0)
                    .then_some(first.0),
                matches
                    .iter()
                    .all(|m| of(m).1 == first.1)
                    .then_some(first.1),
            ))
        };
        let (agreed_vendor, agreed_product) =
            agreed(|m| (m.entry.vendor, m.entry.product)).unwrap_or((None, None));
        let (vendor, product) = if detection.foreign.is_some() {
            (None, None)
        } else {
            (
                detection.vendor.or(agreed_vendor),
                detection.product.or(agreed_product.filter(|p| {
                    detection.vendor.is_none_or(|v| v == p.vendor())
                })),
            )
        };
        // A status the input lacks is taken from the catalog only when every match is
        // in the product that produced the error and they agree on it.
        let http_status = f.status.or_else(|| {
            let first = matches.first()?.entry.status?;
            matches
                .iter()
                .all(|m| m.entry.status == Some(first) && Some(m.entry.product) == product)
                .then_some(first)
        });
        let ec_known = f.ec.as_deref().is_some_and(|ec| {
            matches
                .iter()
                .any(|m| m.entry.code.eq_ignore_ascii_case(ec))
        });
        let ec_category =
            f.ec.as_deref()
                .or(f.code.as_deref().filter(|c| catalog::is_ec_shape(c)))
                .filter(|_| !ec_known)
                .and_then(catalog::ec_category);
        let mut details = f.extras;
        if let Some(resource) = f.resource {
            details.insert(0, ("Resource".to_owned(), Extra::Text(resource)));
        }
        Report {
            input_kind: parsed.kind,
            vendor,
            product,
            foreign: detection.foreign,
            http_status,
            code: f.code,
            message: f.message,
            request_id: f.request_id,
            host_id: f.host_id,
            trace_id: f.trace_id,
            ec: f.ec,
            recommend: f.recommend,
            details,
            matches,
            suggestions,
            evidence: detection.evidence,
            ec_category,
        }
    }

    /// Whether errdecode could explain the input (exit status 0).
    pub fn is_explained(&self) -> bool {
        !self.matches.is_empty()
    }
}

/// The display name of an out-of-scope vendor id from `signals.tsv`.
pub fn foreign_name(id: &str) -> &str {
    match id {
        "aws" => "AWS S3 (or an S3-compatible store)",
        "minio" => "MinIO",
        "volcengine" => "Volcengine TOS",
        "huawei" => "Huawei Cloud OBS",
        other => other,
    }
}
