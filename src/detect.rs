//! Who produced the error: scores the vendor evidence in a parsed input against the
//! signal table compiled from `catalog/signals.tsv`. No vendor rule lives in code here;
//! this module only knows how to test each kind of signal.

use crate::catalog::{self, Product, SIGNALS, Signal, SignalKind, Vendor};
use crate::parse::{InputKind, Parsed};

/// A vendor leads when it has at least this much evidence...
const MIN_SCORE: i32 = 4;
/// ...and this much more than any other vendor; the same margin picks a product.
const MIN_LEAD: i32 = 3;

#[derive(Debug, Default)]
pub struct Detection {
    /// The in-scope vendor the evidence points to, when it clearly does.
    pub vendor: Option<Vendor>,
    /// The product within that vendor, when the evidence clearly says which.
    pub product: Option<Product>,
    /// An out-of-scope vendor (AWS S3, MinIO, ...) that the evidence points to instead.
    pub foreign: Option<&'static str>,
    /// The signals that fired, strongest first.
    pub evidence: Vec<&'static Signal>,
    /// When the server received the request, read from the request id's shape.
    pub received_at: Option<i64>,
    vendor_scores: Vec<(Vendor, i32)>,
    product_scores: Vec<(Product, i32)>,
}

impl Detection {
    /// The evidence score of one vendor (0 when nothing points to it).
    pub fn vendor_score(&self, vendor: Vendor) -> i32 {
        score_of(&self.vendor_scores, vendor)
    }

    /// The highest evidence score of a vendor other than `vendor` (0 when none).
    pub fn best_other_score(&self, vendor: Vendor) -> i32 {
        self.vendor_scores
            .iter()
            .filter(|(v, _)| *v != vendor)
            .map(|(_, score)| *score)
            .max()
            .unwrap_or(0)
    }

    /// The evidence score of one product (0 when nothing points to it).
    pub fn product_score(&self, product: Product) -> i32 {
        score_of(&self.product_scores, product)
    }
}

fn score_of<K: PartialEq>(scores: &[(K, i32)], key: K) -> i32 {
    scores
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(0, |(_, s)| *s)
}

pub fn detect(parsed: &Parsed) -> Detection {
    let probe = Probe::new(parsed);
    let mut evidence: Vec<&'static Signal> = SIGNALS.iter().filter(|s| probe.fires(s)).collect();
    evidence.sort_by_key(|s| -s.weight);

    let mut vendor_scores: Vec<(Vendor, i32)> = Vendor::ALL.iter().map(|v| (*v, 0)).collect();
    let mut foreign_scores: Vec<(&'static str, i32)> = Vec::new();
    let mut product_scores: Vec<(Product, i32)> = Product::ALL.iter().map(|p| (*p, 0)).collect();
    for signal in &evidence {
        if let Some(vendor) = signal.vendor {
            add(&mut vendor_scores, vendor, signal.weight);
        }
        if let Some(name) = signal.foreign {
            add(&mut foreign_scores, name, signal.weight);
        }
        if let Some(product) = signal.product {
            // Evidence of a family's own product (OSS's request id) is evidence of its
            // members too (OSS image processing answers with OSS's ids and headers):
            // a member is chosen only when evidence of its own puts it ahead.
            add(&mut product_scores, product, signal.weight);
            if product.id() == product.family() {
                for member in Product::ALL {
                    if member != product && member.family() == product.id() {
                        add(&mut product_scores, member, signal.weight);
                    }
                }
            }
        }
    }
    let (best_vendor, vendor_score, runner_up) = leader(&vendor_scores);
    let (foreign, foreign_score, _) = leader(&foreign_scores);

    let mut detection = Detection {
        evidence,
        received_at: probe.received_at,
        ..Detection::default()
    };
    if foreign_score >= MIN_SCORE && foreign_score > vendor_score {
        detection.foreign = foreign;
    } else if vendor_score >= MIN_SCORE && vendor_score - runner_up.max(foreign_score) >= MIN_LEAD {
        detection.vendor = best_vendor;
        let own: Vec<(Product, i32)> = product_scores
            .iter()
            .copied()
            .filter(|(p, _)| Some(p.vendor()) == best_vendor)
            .collect();
        let (product, best, second) = leader(&own);
        if best - second >= MIN_LEAD {
            detection.product = product;
        } else if let Some(&(head, _)) = own
            .iter()
            .find(|(p, score)| *score == best && p.id() == p.family())
        {
            // Tied with its members on the family's evidence alone: the family's own
            // product, when it leads every product outside the family.
            let outside = own
                .iter()
                .filter(|(p, _)| p.family() != head.id())
                .map(|(_, score)| *score)
                .max()
                .unwrap_or(0);
            if best - outside >= MIN_LEAD {
                detection.product = Some(head);
            }
        }
    }
    detection.vendor_scores = vendor_scores;
    detection.product_scores = product_scores;
    detection
}

fn add<K: PartialEq>(scores: &mut Vec<(K, i32)>, key: K, weight: i32) {
    match scores.iter_mut().find(|(k, _)| *k == key) {
        Some((_, score)) => *score += weight,
        None => scores.push((key, weight)),
    }
}

/// The best key, its score, and the best score among the others.
fn leader<K: Copy>(scores: &[(K, i32)]) -> (Option<K>, i32, i32) {
    let mut best: Option<(K, i32)> = None;
    let mut second = 0;
    for &(key, score) in scores {
        match best {
            Some((_, b)) if score <= b => second = second.max(score),
            _ => {
                if let Some((_, b)) = best {
                    second = second.max(b);
                }
                best = Some((key, score));
            }
        }
    }
    match best {
        Some((key, score)) if score > 0 => (Some(key), score, second),
        _ => (None, 0, second),
    }
}

/// The parts of the input each kind of signal is tested against.
struct Probe<'a> {
    parsed: &'a Parsed,
    /// Lower-cased, once: every host signal is tested against each of them.
    hosts: Vec<String>,
    urls: Vec<&'a str>,
    request_id_shape: Option<&'static str>,
    /// The Unix seconds in the request id's time run, if its shape has one.
    received_at: Option<i64>,
    host_id_shape: Option<&'static str>,
    /// The one product whose entries' literal is the input's message, if only one's is.
    sender: Option<Product>,
    /// The one product that has the input's code as an exact entry, if only one has.
    owner: Option<Product>,
}

impl<'a> Probe<'a> {
    fn new(parsed: &'a Parsed) -> Self {
        let f = &parsed.fields;
        let mut hosts: Vec<String> = Vec::new();
        let mut urls: Vec<&str> = Vec::new();
        if let Some(host) = &parsed.request.host {
            hosts.push(host.to_ascii_lowercase());
        }
        if let Some(target) = &parsed.request.target {
            urls.push(target);
        }
        for value in [&f.host_id, &f.resource, &f.recommend]
            .into_iter()
            .flatten()
        {
            urls.push(value);
            let host = crate::parse::host_of(value);
            if looks_like_host(host) {
                hosts.push(host.to_ascii_lowercase());
            }
        }
        let shape = f.request_id.as_deref().and_then(catalog::id_shape);
        Probe {
            parsed,
            hosts,
            urls,
            request_id_shape: shape.map(|(shape, _)| shape.text()),
            received_at: shape.and_then(|(_, time)| time),
            host_id_shape: f
                .host_id
                .as_deref()
                .and_then(catalog::host_id_shape)
                .map(catalog::IdShape::text),
            sender: f
                .message
                .as_deref()
                .and_then(|m| sole_sender(m, f.code.as_deref())),
            // A bare code needs no evidence of whose it is: the lookup says so.
            owner: f
                .code
                .as_deref()
                .filter(|_| parsed.kind != InputKind::Code)
                .and_then(sole_owner),
        }
    }

    fn fires(&self, signal: &Signal) -> bool {
        let p = signal.pattern;
        let parsed = self.parsed;
        let f = &parsed.fields;
        let host_matches = |test: &dyn Fn(&str) -> bool| self.hosts.iter().any(|h| test(h));
        match signal.kind {
            SignalKind::Header => parsed.header(p).is_some(),
            SignalKind::HeaderPrefix => parsed
                .headers
                .iter()
                .any(|h| starts_with_ignoring_case(&h.name, p)),
            SignalKind::Server => parsed
                .header("server")
                .is_some_and(|s| s.eq_ignore_ascii_case(p)),
            SignalKind::Element => f.has_name(p) || parsed.xml_root.as_deref() == Some(p),
            SignalKind::HostSuffix => host_matches(&|h| h.ends_with(p)),
            SignalKind::HostPrefix => host_matches(&|h| h.starts_with(p)),
            SignalKind::HostContains => host_matches(&|h| h.contains(p)),
            SignalKind::GatewayHost => host_matches(&|h| {
                let under = h.strip_suffix(p).is_some_and(|head| head.ends_with('.'));
                under && !claimed_by_another(h, signal.product)
            }),
            SignalKind::UrlContains => {
                self.urls.iter().any(|u| u.contains(p)) || parsed.text_markers.contains(&p)
            }
            SignalKind::XmlDeclaration => parsed
                .xml_declaration
                .as_deref()
                .is_some_and(|d| p == "single-quote" && d.contains("version='")),
            SignalKind::RequestIdShape => self.request_id_shape == Some(p),
            SignalKind::HostIdShape => self.host_id_shape == Some(p),
            SignalKind::Message => f.message.as_deref() == Some(p),
            SignalKind::CatalogMessage => signal.product.is_some() && self.sender == signal.product,
            SignalKind::CatalogCode => signal.product.is_some() && self.owner == signal.product,
            SignalKind::SdkMarker | SignalKind::Named => parsed.text_markers.contains(&p),
            // Headers have signals of their own: a key counts where it is not one.
            SignalKind::KeyPrefix => f
                .names
                .iter()
                .any(|n| starts_with_ignoring_case(n, p) && parsed.header(n).is_none()),
        }
    }
}

/// Whether a host signal of a product other than `product` fires on `host`: an OSS
/// endpoint under a gateway's suffix is OSS's, not the gateway's.
fn claimed_by_another(host: &str, product: Option<Product>) -> bool {
    SIGNALS.iter().any(|s| {
        s.product.is_some()
            && s.product != product
            && match s.kind {
                SignalKind::HostSuffix => host.ends_with(s.pattern),
                SignalKind::HostPrefix => host.starts_with(s.pattern),
                SignalKind::HostContains => host.contains(s.pattern),
                _ => false,
            }
    })
}

/// The product that alone sends `message` as the literal of its entries. When some of
/// those entries have the input's code, only they count: S3 sends OSS's endpoint
/// message too, but as PermanentRedirect, so with AccessDenied it is OSS's.
fn sole_sender(message: &str, code: Option<&str>) -> Option<Product> {
    let with_code = |e: &&catalog::Entry| code.is_some_and(|c| e.code().eq_ignore_ascii_case(c));
    let code_agrees = catalog::entries_sending_in(message).any(|e| with_code(&e));
    let mut senders = catalog::entries_sending_in(message)
        .filter(|e| !code_agrees || with_code(e))
        .map(|e| e.product);
    let first = senders.next()?;
    senders.all(|p| p == first).then_some(first)
}

/// The product that alone has `code` as an exact entry (templates do not count).
fn sole_owner(code: &str) -> Option<Product> {
    let mut owners = catalog::exact(code).map(|e| e.product);
    let first = owners.next()?;
    owners.all(|p| p == first).then_some(first)
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn looks_like_host(text: &str) -> bool {
    text.contains('.')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
}

/// The shape of a request id: the pattern, as written in `signals.tsv`, of the first
/// `request-id-shape` row it has.
pub fn request_id_shape(id: &str) -> Option<&'static str> {
    catalog::id_shape(id).map(|(shape, _)| shape.text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn detect_text(text: &str) -> Detection {
        detect(&parse(text).unwrap())
    }

    #[test]
    fn a_message_names_its_sender_among_the_entries_of_the_code() {
        // S3 sends this message as PermanentRedirect; with AccessDenied only OSS does.
        let message = "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.";
        assert_eq!(
            sole_sender(message, Some("AccessDenied")),
            Some(Product::Oss)
        );
        assert_eq!(sole_sender(message, None), None);
        let d = detect_text(&format!(
            "code: [ 'AccessDenied' ],\nmessage: [ '{message}' ]"
        ));
        assert_eq!(d.product, Some(Product::Oss));
    }

    #[test]
    fn a_code_only_one_product_has_names_it_over_a_shared_id_shape() {
        assert_eq!(sole_owner("InvalidProject.NotFound"), Some(Product::Imm));
        assert_eq!(sole_owner("AccessDenied"), None);
        // The 24-hex id has OSS's shape, which IMM's ids share.
        let d = detect_text(
            r#"{"RequestId":"5C1354EC9D6327C0FC68B120","code":"InvalidProject.NotFound","httpStatusCode":404}"#,
        );
        assert_eq!(d.product, Some(Product::Imm));
    }

    #[test]
    fn an_api_path_quoted_in_free_text_is_evidence() {
        let d = detect_text(
            "You do not have permission to get URL '\\/files\\/v2\\/12\\/b-12\\/a.png' from this server.",
        );
        assert_eq!(d.product, Some(Product::Cos));
    }

    #[test]
    fn s3_compatible_stores_are_named_by_their_endpoints() {
        for (host, sender) in [
            ("acct.r2.cloudflarestorage.com", "cloudflare"),
            ("s3.us-west-002.backblazeb2.com", "backblaze"),
            ("s3.us-west-1.wasabisys.com", "wasabi"),
            ("b.obs.cn-north-4.myhuaweicloud.com", "huawei"),
        ] {
            let d = detect_text(&format!(
                "HTTP/1.1 403 Forbidden\r\nx-amz-request-id: 4442587FB7D0A2F9\r\n\r\n<Error><Code>AccessDenied</Code><HostId>{host}</HostId></Error>"
            ));
            assert_eq!(d.foreign, Some(sender), "{host}");
            assert_eq!(d.vendor, None, "{host}");
        }
        let ceph = detect_text(
            "<Error><Code>AccessDenied</Code><RequestId>tx00000298610441b142d8b-006aa7511f-10398601-ceph-objectstore</RequestId></Error>",
        );
        assert_eq!(ceph.foreign, Some("ceph"));
    }

    #[test]
    fn a_family_member_needs_evidence_of_its_own() {
        // OSS's request id alone: OSS, though image processing answers with the same ids.
        let oss = detect_text(
            "<Error><Code>BadRequest</Code><RequestId>52B155D2D8BD99A15D0005FF</RequestId></Error>",
        );
        assert_eq!(oss.product.map(Product::id), Some("oss"));
        // The same id with a message only image processing sends.
        let img = detect_text(
            "<Error><Code>BadRequest</Code><Message>Input is not base64 decoding. </Message><RequestId>52B155D2D8BD99A15D0005FF</RequestId></Error>",
        );
        assert_eq!(img.product.map(Product::id), Some("oss-img"));
    }

    /// Who the first signal with the id's shape names: `aliyun/oss`, `ceph/-`.
    fn shape_owner(id: &str) -> Option<String> {
        let shape = request_id_shape(id)?;
        let signal = SIGNALS.iter().find(|s| s.pattern == shape)?;
        let who = signal
            .vendor
            .map_or(signal.foreign.unwrap_or("-"), Vendor::id);
        Some(format!("{who}/{}", signal.product.map_or("-", Product::id)))
    }

    #[test]
    fn request_id_shapes() {
        for (id, owner) in [
            ("57ABD896CCB80C366955****", "aliyun/oss"),
            ("4442587FB7D0A2F9", "aws/s3"),
            (
                "tx00000298610441b142d8b-006aa7511f-10398601-ceph-objectstore",
                "ceph/-",
            ),
            ("D18E94DF-1D00-0B75-811E-****", "aliyun/-"),
            ("NTk5ZDM5OTRfZDNhZDM1MGFfMjYyMTFfZmU3NWQ=", "tencent/-"),
            ("NjQ4ZDk0ZjBfOTBmYTUw****", "tencent/-"),
        ] {
            assert_eq!(shape_owner(id).as_deref(), Some(owner), "{id}");
        }
        // Not a time a service sent, a lower-case id (a MongoDB ObjectId), not an id.
        for id in [
            "00000000CCB80C366955ABCD",
            "5f1b2c3d4e5f6a7b8c9d0e1f",
            "hello",
            "é",
        ] {
            assert_eq!(request_id_shape(id), None, "{id}");
        }
    }

    #[test]
    fn oss_headers_mean_oss() {
        let d = detect_text(
            "HTTP/1.1 403 Forbidden\nServer: AliyunOSS\nx-oss-request-id: 57ABD896CCB80C366955****\n\n",
        );
        assert_eq!(d.vendor, Some(Vendor::Aliyun));
        assert_eq!(d.product, Some(Product::Oss));
    }

    #[test]
    fn x_errno_means_ci_even_through_the_cos_domain() {
        let d = detect_text(
            "HTTP/1.1 403 Forbidden\nServer: tencent-cos\nx-cos-request-id: NjQ4ZDk0ZjBfOTBmYTUw\nX-ErrNo: -46618\n\n",
        );
        assert_eq!(d.vendor, Some(Vendor::Tencent));
        assert_eq!(d.product, Some(Product::Ci));
    }

    #[test]
    fn an_imm_json_body_means_imm() {
        let d = detect_text(
            r#"{"RequestId": "D18E94DF-1D00-0B75-811E-****", "HostId": "imm.cn-hangzhou.aliyuncs.com", "Code": "InvalidArgument", "Message": "x", "Recommend": "https://next.api.aliyun.com/troubleshoot?q=InvalidArgument&product=imm"}"#,
        );
        assert_eq!(d.vendor, Some(Vendor::Aliyun));
        assert_eq!(d.product, Some(Product::Imm));
    }

    #[test]
    fn an_s3_body_is_s3s() {
        let d = detect_text(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>eftixk72aD6Ap51TnqcoF8eFidJG9Z/2mkiDFu8yU9AS1ed4OpIszj7UDNEHGran</HostId></Error>",
        );
        assert_eq!(d.vendor, Some(Vendor::Aws));
        assert_eq!(d.product, Some(Product::S3));
        assert_eq!(d.foreign, None);
    }

    #[test]
    fn a_cos_body_is_tencent() {
        let d = detect_text(
            "<?xml version='1.0' encoding='utf-8' ?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Resource>examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a</Resource><RequestId>NjQ4ZDk0ZjBfOTBmYTUw****</RequestId><TraceId>OGVmYzZiMmQzYjA2OWNh****</TraceId></Error>",
        );
        assert_eq!(d.vendor, Some(Vendor::Tencent));
        assert_eq!(d.product, Some(Product::Cos));
    }

    #[test]
    fn a_bare_code_has_no_evidence() {
        let d = detect_text("AccessDenied");
        assert_eq!((d.vendor, d.product, d.foreign), (None, None, None));
        assert!(d.evidence.is_empty());
    }
}
