//! From parsed fields and detected vendor to ranked catalog entries.
//!
//! A code can mean different things in different products. Context narrows the list
//! (the user's `--vendor`/`--product`, then the detected vendor and product, then the
//! HTTP status), but never to nothing: when narrowing would drop every entry, the
//! wider list stays. What remains is ranked, best first.

use crate::catalog::{self, Candidate, Entry, MatchKind, Product, Vendor};
use crate::detect::Detection;
use crate::parse::Fields;

/// Limits the user set on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope {
    pub vendor: Option<Vendor>,
    pub product: Option<Product>,
}

impl Scope {
    pub fn allows(&self, entry: &Entry) -> bool {
        self.vendor.is_none_or(|v| v == entry.vendor)
            && self.product.is_none_or(|p| p == entry.product)
    }
}

#[derive(Clone, Debug)]
pub struct Match {
    pub entry: &'static Entry,
    pub kind: MatchKind,
    /// The input's message equals the entry's literal message.
    pub message_agrees: bool,
}

#[derive(Debug, Default)]
pub struct Lookup {
    pub matches: Vec<Match>,
    /// Codes the user may have meant (a typo, a missing minus, another product's spelling).
    pub suggestions: Vec<&'static str>,
    /// The detected sender has this code, but `--vendor`/`--product` left it out.
    pub scoped_out: bool,
}

pub fn lookup(fields: &Fields, detection: &Detection, scope: Scope) -> Lookup {
    let mut found: Vec<Candidate> = Vec::new();
    // An OSS EC is the most specific explanation there is: it goes first. Another
    // vendor's EC (Volcengine TOS sends one too) means something else.
    if let Some(ec) = fields.ec.as_ref().filter(|_| detection.foreign.is_none()) {
        found.extend(catalog::exact(ec).map(|entry| Candidate {
            entry,
            kind: MatchKind::Exact,
        }));
    }
    if let Some(code) = &fields.code {
        let mut near_miss: Option<bool> = None;
        let candidates = catalog::candidates(code);
        let exact_somewhere = candidates
            .iter()
            .any(|c| matches!(c.kind, MatchKind::Exact));
        for c in candidates {
            let is_template = matches!(c.kind, MatchKind::Template { .. });
            // A template (`Invalid{ParameterName}`) fits a great many codes: it stands
            // only where nothing points at another sender more than at its own, no product has the code
            // itself unless the evidence names the template's, and no real code is a
            // typo away (`InvalidAccesKeyId` is OSS's and COS's InvalidAccessKeyId misspelt).
            if is_template
                && (detection.foreign.is_some()
                    || detection.vendor.is_some_and(|v| v != c.entry.vendor)
                    // Even evidence too weak to name a vendor outweighs a template's
                    // fit (`InvalidClientTokenId` beside an API 3.0 request id).
                    || detection.vendor_score(c.entry.vendor) < detection.best_other_score(c.entry.vendor)
                    || (exact_somewhere && detection.product != Some(c.entry.product))
                    || *near_miss.get_or_insert_with(|| {
                        let near = |e: &Entry| {
                            !e.code().contains('{')
                                && detection.vendor.is_none_or(|v| v == e.vendor)
                        };
                        !catalog::near_misses(code, near, 1).is_empty()
                    }))
            {
                continue;
            }
            if !found.iter().any(|f| std::ptr::eq(f.entry, c.entry)) {
                found.push(c);
            }
        }
    }
    if let Some(said) = fields.message.as_deref() {
        // Some SDKs print only the message: find the codes whose literal message it is.
        if found.is_empty() && fields.code.is_none() {
            found.extend(sent_with(said, |_| true));
        }
        // The product that sent it has no such code, but may have one whose literal
        // is this message (IMM's SignatureNotMatch, reported as SignatureDoesNotMatch).
        if let Some(product) = detection.product
            && !found.iter().any(|c| c.entry.product == product)
        {
            found.extend(sent_with(said, |e| e.product == product));
        }
    }
    let sender_has = |c: &Candidate| {
        detection
            .product
            .map_or(detection.vendor == Some(c.entry.vendor), |p| {
                p.answers_for(c.entry.product)
            })
    };
    let scoped_out = found
        .iter()
        .any(|c| sender_has(c) && !scope.allows(c.entry));
    found.retain(|c| scope.allows(c.entry));
    match detection.foreign {
        // A store that answers with another vendor's API (MinIO speaks S3's) means
        // what that API means, and never what OSS or COS would.
        Some(foreign) => {
            found.retain(|c| catalog::foreign_family(foreign) == Some(c.entry.product.family()))
        }
        None => narrow(&mut found, |c| detection.vendor == Some(c.entry.vendor)),
    }
    narrow(&mut found, |c| {
        detection
            .product
            .is_some_and(|p| p.answers_for(c.entry.product))
    });
    if let Some(status) = fields.status {
        narrow(&mut found, |c| c.entry.status.is_none_or(|s| s == status));
    }

    // Without a message no variant can agree: drop them before scoring (see below).
    if fields.message.is_none() {
        found.retain(|c| !c.entry.is_variant());
    }
    let mut matches: Vec<(i32, Match)> = found
        .into_iter()
        .map(|c| {
            // A literal that is only a placeholder (`%s`) agrees with anything.
            let message_agrees = fields.message.as_deref().is_some_and(|said| {
                c.entry
                    .literals()
                    .any(|literal| catalog::literal_fits(said, literal))
            });
            let m = Match {
                entry: c.entry,
                kind: c.kind,
                message_agrees,
            };
            (score(&m, fields, detection), m)
        })
        .collect();
    // Stable: equal scores keep catalog order.
    matches.sort_by_key(|(score, _)| -score);
    let mut matches: Vec<Match> = matches.into_iter().map(|(_, m)| m).collect();
    // One code, several causes told apart by the message (COS Select's
    // GzipDecompressError, IMG's BadRequest): the entry whose literal the server
    // sent is the cause, and that product's other entries for the code are not.
    let agreeing: Vec<(Product, &str)> = matches
        .iter()
        .filter(|m| m.message_agrees)
        .map(|m| (m.entry.product, m.entry.code()))
        .collect();
    matches.retain(|m| m.message_agrees || !agreeing.contains(&(m.entry.product, m.entry.code())));
    // A variant is the answer only when the server's message is its literal: for a
    // bare code, or another message, the general entry speaks for the code.
    matches.retain(|m| m.message_agrees || !m.entry.is_variant());

    let suggestions = suggest(fields, detection, scope, &matches);
    Lookup {
        matches,
        suggestions,
        scoped_out,
    }
}

/// The entries among `allowed` whose literal message (one with words of its own,
/// not only a placeholder) is `said`.
fn sent_with<'a>(
    said: &'a str,
    allowed: impl Fn(&Entry) -> bool + 'a,
) -> impl Iterator<Item = Candidate> + 'a {
    catalog::entries_with_literal(said)
        .into_iter()
        .filter(move |e| allowed(e))
        .map(|entry| Candidate {
            entry,
            kind: MatchKind::Exact,
        })
}

/// Keeps the candidates that satisfy `keep`, unless none do.
fn narrow(found: &mut Vec<Candidate>, keep: impl Fn(&Candidate) -> bool) {
    if found.iter().any(&keep) {
        found.retain(keep);
    }
}

fn score(m: &Match, fields: &Fields, detection: &Detection) -> i32 {
    let e = m.entry;
    let mut score = detection.vendor_score(e.vendor) + detection.product_score(e.product);
    if fields
        .ec
        .as_deref()
        .is_some_and(|ec| ec.eq_ignore_ascii_case(e.code()))
    {
        score += 100;
    }
    if fields.status.is_some() && fields.status == e.status {
        score += 4;
    }
    if m.message_agrees {
        score += 6;
    }
    if m.kind == MatchKind::Exact {
        score += 1;
    }
    // The code itself rather than a name it is also sent as (1018 for AccessDenied).
    if fields
        .code
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case(e.code()))
    {
        score += 1;
    }
    score
}

/// Near misses: when nothing matched, or when the detected product has no such code
/// (`SignatureDoesNotMatch` against IMM, whose spelling is `SignatureNotMatch`).
fn suggest(
    fields: &Fields,
    detection: &Detection,
    scope: Scope,
    matches: &[Match],
) -> Vec<&'static str> {
    let Some(code) = &fields.code else {
        return match &fields.message {
            // A Chinese sentence with no code in it (`签名不匹配`): the codes whose
            // Chinese meaning says it, as `errdecode search` finds them.
            Some(said) if matches.is_empty() && is_chinese_prose(said) => {
                let mut codes: Vec<&'static str> = Vec::new();
                let found = crate::find::search(std::slice::from_ref(said), scope);
                // Named codes before OSS's numbered causes, which their codes cover.
                let (named, numbered): (Vec<_>, Vec<_>) =
                    found.into_iter().partition(|e| !e.is_ec());
                for e in named.into_iter().chain(numbered) {
                    if !codes.contains(&e.code()) {
                        codes.push(e.code());
                    }
                    if codes.len() == MAX_WORD_SUGGESTIONS {
                        break;
                    }
                }
                codes
            }
            _ => Vec::new(),
        };
    };
    let wanted_product = scope.product.or(detection.product);
    let product_missing =
        wanted_product.is_some_and(|p| !matches.iter().any(|m| m.entry.product == p));
    if !matches.is_empty() && !product_missing {
        return Vec::new();
    }
    let vendor = scope.vendor.or(detection.vendor);
    catalog::near_misses(
        code,
        |e| {
            scope.allows(e)
                && vendor.is_none_or(|v| v == e.vendor)
                && wanted_product.is_none_or(|p| p == e.product)
        },
        3,
    )
}

/// How many codes a sentence without one suggests.
const MAX_WORD_SUGGESTIONS: usize = 5;

/// Short Chinese text: a few words typed or pasted, not a document to search.
fn is_chinese_prose(text: &str) -> bool {
    text.len() <= 120 && crate::parse::has_non_ascii_letters(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(code: &str, status: Option<u16>) -> Fields {
        Fields {
            code: Some(code.to_owned()),
            status,
            ..Fields::default()
        }
    }

    #[test]
    fn without_context_every_product_is_listed() {
        let found = lookup(
            &fields("AccessDenied", None),
            &Detection::default(),
            Scope::default(),
        );
        let products: Vec<Product> = found.matches.iter().map(|m| m.entry.product).collect();
        assert!(products.len() >= 5, "{products:?}");
    }

    #[test]
    fn a_template_stands_aside_for_a_products_own_code_unless_the_evidence_names_it() {
        // OSS has InvalidResponse; IMM's Invalid{ParameterName} would fit it too.
        let products = |detection: &Detection| -> Vec<Product> {
            let found = lookup(
                &fields("InvalidResponse", None),
                detection,
                Scope::default(),
            );
            found.matches.iter().map(|m| m.entry.product).collect()
        };
        assert_eq!(products(&Detection::default()), [Product::Oss]);
        let imm = crate::detect::detect(
            &crate::parse::parse(
                r#"{"Code":"InvalidResponse","HostId":"imm.cn-hangzhou.aliyuncs.com"}"#,
            )
            .unwrap(),
        );
        assert_eq!(imm.product, Some(Product::Imm));
        assert!(products(&imm).contains(&Product::Imm));
    }

    #[test]
    fn the_status_narrows_and_ranks() {
        let found = lookup(
            &fields("AccessDenied", Some(401)),
            &Detection::default(),
            Scope::default(),
        );
        // CI's 401 entry first; CI media processing's 1018 (sent as AccessDenied, no
        // documented status) may still be it.
        assert_eq!(found.matches[0].entry.product, Product::Ci);
        assert_eq!(found.matches[0].entry.status, Some(401));
        assert!(
            found.matches[1..].iter().all(|m| m.entry.status.is_none()),
            "{:?}",
            found.matches
        );
    }

    #[test]
    fn a_placeholder_message_does_not_outrank_evidence() {
        let detection = Detection::default();
        let mut f = fields("AccessDenied", None);
        f.message = Some("Access Denied.".into());
        let found = lookup(&f, &detection, Scope::default());
        let imm = found
            .matches
            .iter()
            .find(|m| m.entry.product == Product::Imm)
            .unwrap();
        assert!(!imm.message_agrees, "IMM's literal is only %s");
    }

    #[test]
    fn image_processing_codes_survive_oss_evidence() {
        let parsed = crate::parse::parse(
            "HTTP/1.1 400 Bad Request\nServer: AliyunOSS\nx-oss-request-id: 5C3D9175B6FC201293AD4A1B\n\n<Error><Code>WatermarkError</Code></Error>",
        )
        .unwrap();
        let detection = crate::detect::detect(&parsed);
        assert_eq!(detection.product, Some(Product::Oss));
        let found = lookup(&parsed.fields, &detection, Scope::default());
        assert!(
            found
                .matches
                .iter()
                .any(|m| m.entry.product == Product::OssImg),
            "{:?}",
            found.matches
        );
    }

    #[test]
    fn the_scope_is_strict() {
        let scope = Scope {
            vendor: None,
            product: Some(Product::Imm),
        };
        let found = lookup(
            &fields("SignatureDoesNotMatch", None),
            &Detection::default(),
            scope,
        );
        assert!(found.matches.is_empty());
        assert_eq!(found.suggestions, ["SignatureNotMatch"]);
    }

    #[test]
    fn a_message_without_a_code_finds_the_codes_that_send_it() {
        let fields = Fields {
            message: Some("The Signature you specified is invalid.".into()),
            ..Fields::default()
        };
        let found = lookup(&fields, &Detection::default(), Scope::default());
        let codes: Vec<&str> = found.matches.iter().map(|m| m.entry.code()).collect();
        assert_eq!(codes, ["SignatureDoesNotMatch"]);
        let fields = Fields {
            message: Some("anything".into()),
            ..Fields::default()
        };
        assert!(
            lookup(&fields, &Detection::default(), Scope::default())
                .matches
                .is_empty()
        );
    }

    #[test]
    fn templates_resolve() {
        let found = lookup(
            &fields("MissingProjectName", None),
            &Detection::default(),
            Scope::default(),
        );
        assert_eq!(found.matches[0].entry.code(), "Missing{ParameterName}");
    }
}
