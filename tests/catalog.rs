//! The catalog's own guarantees, like rustc's tidy checks on its error index: every
//! seed code is present with the right product and status, nothing is duplicated,
//! every entry explains itself and names its source, and every product has a
//! detection fixture.

use std::collections::HashSet;

use errdecode::catalog::{ENTRIES, Entry, Product, exact};
use errdecode::lookup::Scope;

const SEED_CODES: &str = include_str!("fixtures/seed-codes.tsv");

fn product_id(id: &str) -> Product {
    Product::ALL
        .into_iter()
        .find(|p| p.id() == id)
        .unwrap_or_else(|| panic!("unknown product {id}"))
}

#[test]
fn every_seed_code_is_in_the_catalog_with_its_product_section_and_status() {
    let mut checked = 0;
    for line in SEED_CODES
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .skip(1)
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (product, section, code, status) = (product_id(cols[0]), cols[1], cols[2], cols[3]);
        let status: Option<u16> = (!status.is_empty()).then(|| status.parse().unwrap());
        let found = ENTRIES.iter().any(|e| {
            e.code() == code
                && e.product == product
                // A code one seed lists the same in two sections is one entry whose
                // section names both (`common error codes; common errors`).
                && e.section().split("; ").any(|s| s.starts_with(section))
                && (status.is_none() || e.status == status)
        });
        assert!(
            found,
            "seed code {code} ({product:?}, {section:?}, {status:?}) is missing"
        );
        checked += 1;
    }
    assert_eq!(checked, 206, "the seeds list 206 code rows");
}

#[test]
fn seed_codes_resolve_to_their_product_when_looked_up() {
    for line in SEED_CODES
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .skip(1)
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (product, code) = (product_id(cols[0]), cols[2]);
        if code.contains('{') || code.contains(' ') {
            continue; // templates are matched through concrete codes, tested in tests/cli.rs
        }
        let report = errdecode::decode(code, Scope::default()).unwrap();
        assert!(
            report.matches.iter().any(|m| m.entry.product == product),
            "{code} does not resolve to {product:?}"
        );
    }
}

#[test]
fn no_entry_is_duplicated() {
    let mut seen = HashSet::new();
    for e in &ENTRIES {
        let key = (e.vendor, e.product, e.section(), e.code(), e.status);
        assert!(seen.insert(key), "duplicate entry {key:?}");
    }
}

#[test]
fn every_entry_explains_itself_and_names_a_source() {
    for e in &ENTRIES {
        let what = format!("{:?} {}", e.product, e.code());
        assert!(e.meaning().len() >= 10, "{what}: meaning too short");
        assert!(e.fix().len() >= 10, "{what}: fix too short");
        assert!(!e.source().is_empty(), "{what}: no source");
        assert_ne!(e.meaning(), e.fix(), "{what}: fix repeats the meaning");
        let controls = |s: &str| s.chars().any(char::is_control);
        assert!(
            !controls(e.meaning()) && !controls(e.fix()),
            "{what}: control character"
        );
    }
}

/// Issue 16's tidy rule, on the compiled catalog: every entry's meaning and fix has a
/// Chinese twin that is written, in Chinese, and not the English left in place
/// (build.rs refuses such a row first; this proves what shipped).
#[test]
fn every_entry_has_its_meaning_and_fix_in_chinese() {
    let chinese = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for e in ENTRIES.iter() {
        let texts: Vec<(bool, &str)> = e.texts().collect();
        let [(_, meaning), (_, meaning_zh), (_, fix), (_, fix_zh)] = texts[..] else {
            panic!("{}: {} texts", e.code(), texts.len());
        };
        for (en, zh) in [(meaning, meaning_zh), (fix, fix_zh)] {
            assert!(
                !en.is_empty() && !chinese(en),
                "{}: English {en:?}",
                e.code()
            );
            assert!(
                chinese(zh) && zh != en,
                "{}: Chinese {zh:?} for {en:?}",
                e.code()
            );
        }
    }
}

#[test]
fn the_same_code_in_two_sections_is_two_entries() {
    let sections: Vec<&str> = exact("-3006").map(|e| e.section()).collect();
    assert_eq!(sections, ["download (X-ErrNo)", "file preview"]);
    let statuses: Vec<Option<u16>> = exact("InvalidContent")
        .filter(|e| e.product == Product::Ci && e.section() == "API (XML)")
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, [Some(400), Some(413)]);
}

#[test]
fn a_code_listed_twice_the_same_is_one_entry_with_both_provenances() {
    let imm: Vec<&Entry> = exact("Throttling.User")
        .filter(|e| e.product == Product::Imm)
        .collect();
    assert_eq!(imm.len(), 1, "{imm:?}");
    assert_eq!(imm[0].section(), "common error codes; common errors");
    assert_eq!(imm[0].source().matches("seed:002_").count(), 2);
    // The seed's `InvalidJSON Array parsing error, {ParameterName}` is a code and the
    // start of its message run together: the code is InvalidJSON.
    let e = exact("InvalidJSON")
        .find(|e| e.product == Product::Imm)
        .unwrap();
    assert_eq!(
        e.message(),
        Some("Specified parameter JSON Array parsing error, {ParameterName} is not valid.")
    );
    assert!(
        ENTRIES
            .iter()
            .all(|e| !e.code().contains(' ') || e.code() == "Imm Client")
    );
}

#[test]
fn retryable_follows_the_status_class() {
    // Throttling and 5xx can succeed later; a missing object never will.
    assert!(exact("Throttling.User").all(|e| e.retryable));
    assert!(exact("SlowDown").all(|e| e.retryable));
    assert!(exact("InternalError").all(|e| e.retryable));
    assert!(!exact("NoSuchKey").any(|e: &Entry| e.retryable));
}

#[test]
fn every_product_has_a_detection_fixture() {
    let fixtures = [
        ("oss-curl-v-403-explicit-deny.txt", Product::Oss),
        ("oss-img-curl-v-400.txt", Product::OssImg),
        ("imm-missing-project.json", Product::Imm),
        ("ci-curl-i-xerrno.txt", Product::Ci),
        ("cos-no-such-key.xml", Product::Cos),
        ("s3-curl-i-404.txt", Product::S3),
        ("sts-assumerole-nopermission.json", Product::Sts),
        (
            "real/tencent-api-dnspod-ddns-openwrt-response-json.txt",
            Product::Api,
        ),
        (
            "real/aliyun-openapi-ecs-json-invalidimageid-notfound.txt",
            Product::Openapi,
        ),
    ];
    for product in Product::ALL {
        let (file, _) = fixtures
            .iter()
            .find(|(_, p)| *p == product)
            .unwrap_or_else(|| panic!("{product:?} has no detection fixture"));
        let text = std::fs::read_to_string(format!("tests/fixtures/{file}")).unwrap();
        // A real paste's header (see tests/fixtures/real/README.md) is not input.
        let text = text
            .split_once("\n-----\n")
            .map_or(text.as_str(), |(_, paste)| paste);
        let parsed = errdecode::parse::parse(text).unwrap();
        let detection = errdecode::detect::detect(&parsed);
        assert_eq!(detection.product, Some(product), "{file}");
    }
}

/// Tidy: a server message longer than `MAX_LITERAL_BYTES` is never compared with the
/// literals, so every literal, with room for its placeholders filled in, is far shorter.
#[test]
fn every_literal_message_is_well_under_the_comparison_bound() {
    let longest = errdecode::catalog::ENTRIES
        .iter()
        .filter_map(|e| e.message())
        .map(str::len)
        .max()
        .unwrap();
    assert!(
        longest * 2 <= errdecode::catalog::MAX_LITERAL_BYTES,
        "a literal of {longest} bytes"
    );
}

/// A numeric code whose literal message is a code name finds its entry by that name too,
/// underscores and all (COS v4 sends -133 as `ERROR_CMD_BUCKET_NOTEXIST`).
#[test]
fn an_errno_is_found_by_the_name_it_is_sent_with() {
    let codes: Vec<&str> = errdecode::catalog::exact("error_cmd_bucket_notexist")
        .map(|e| e.code())
        .collect();
    assert_eq!(codes, ["-133"]);
}
