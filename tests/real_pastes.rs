//! Real pastes, collected verbatim from public threads and repositories: every file in
//! `tests/fixtures/real/` names its source and what a careful reader gets from the text
//! alone (format in that folder's README.md). Each one must decode to exactly that, or
//! be listed in `KNOWN-MISSES` with the reason; a listed paste that now decodes fails
//! too, so the list only ever shrinks and the score printed here is honest.
//! `ERRDECODE_BLESS=1 cargo test --test real_pastes` rewrites the list from what the
//! decoder does now, for review in the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const DIR: &str = "tests/fixtures/real";

/// The products errdecode covers: a look-alike reported as one of them is claimed.
const CORE_PRODUCTS: &[&str] = &["oss", "oss-img", "imm", "ci", "cos"];
/// Their vendors. An S3-compatible store reported as AWS S3 is not claimed: it answers
/// with S3's API, whose meaning errdecode shows.
const CORE_VENDORS: &[&str] = &["aliyun", "tencent"];

struct Paste {
    file: String,
    header: BTreeMap<String, String>,
    text: String,
}

impl Paste {
    /// A header value, `None` for `-` (the paste does not say).
    fn want(&self, key: &str) -> Option<&str> {
        let value = self
            .header
            .get(key)
            .unwrap_or_else(|| panic!("{}: header lacks `{key}`", self.file));
        (value != "-").then_some(value.as_str())
    }
}

fn read_pastes() -> Vec<Paste> {
    let mut pastes = Vec::new();
    for entry in fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let raw = fs::read_to_string(&path).unwrap();
        let (head, text) = raw
            .split_once("\n-----\n")
            .unwrap_or_else(|| panic!("{file}: no `-----` line after the header"));
        let header = head
            .lines()
            .map(|line| {
                let (key, value) = line
                    .split_once(": ")
                    .unwrap_or_else(|| panic!("{file}: header line `{line}` is not `key: value`"));
                (key.to_owned(), value.trim().to_owned())
            })
            .collect();
        pastes.push(Paste {
            file,
            header,
            text: text.to_owned(),
        });
    }
    pastes.sort_by(|a, b| a.file.cmp(&b.file));
    pastes
}

fn known_misses() -> BTreeMap<String, String> {
    let list = fs::read_to_string(Path::new(DIR).join("KNOWN-MISSES")).unwrap_or_default();
    list.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (file, why) = l.split_once(' ').unwrap_or((l, ""));
            (file.to_owned(), why.trim().to_owned())
        })
        .collect()
}

fn decode(paste: &Paste) -> Value {
    let out = Command::cargo_bin("errdecode")
        .unwrap()
        .env_clear()
        .args(["--json", "--color", "never"])
        .write_stdin(paste.text.as_bytes())
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// What is wrong with the decoder's answer, or `None` when it is right.
fn verdict(paste: &Paste, got: &Value) -> Option<String> {
    let mut wrong = Vec::new();
    let (vendor, product) = paste
        .want("sender")
        .and_then(|s| s.split_once('/'))
        .unwrap_or_else(|| panic!("{}: sender is not vendor/product", paste.file));
    let product = product.split(':').next().unwrap_or(product);
    let claim = paste.want("claim") == Some("yes");
    let got_vendor = got["vendor"].as_str();
    let got_product = got["product"].as_str();
    if claim {
        if got_vendor != Some(vendor) {
            wrong.push(format!("vendor {got_vendor:?}, want {vendor}"));
        }
        if got_product != Some(product) {
            wrong.push(format!("product {got_product:?}, want {product}"));
        }
        // A paste without a code (a bare request id, a HEAD error) has nothing to match.
        let has_code = paste.want("code").is_some() || paste.want("ec").is_some();
        // A code that is no code at all (a user's typo) matches nothing: its catalog
        // match is the did-you-mean, and the code check below holds it to the paste.
        let matched = |key: &str| got[key].as_array().is_some_and(|m| !m.is_empty());
        if has_code && !matched("matches") && !matched("suggestions") {
            wrong.push("no catalog match".to_owned());
        }
    } else if got_product.is_some_and(|p| CORE_PRODUCTS.contains(&p)) {
        wrong.push(format!("claimed as {}", got_product.unwrap_or_default()));
    } else if got_vendor.is_some_and(|v| v != vendor && CORE_VENDORS.contains(&v)) {
        wrong.push(format!(
            "claimed for vendor {}",
            got_vendor.unwrap_or_default()
        ));
    }
    let field = |key: &str| got[key].as_str().map(str::to_owned);
    let status = got["http_status"].as_u64().map(|s| s.to_string());
    for (key, got) in [
        ("code", field("code")),
        ("status", status),
        ("request_id", field("request_id")),
        ("ec", field("ec")),
    ] {
        let want = paste.want(key);
        if want.is_some() && got.as_deref() != want {
            wrong.push(format!("{key} {got:?}, want {want:?}"));
        }
    }
    (!wrong.is_empty()).then(|| wrong.join("; "))
}

#[test]
fn every_real_paste_decodes_as_a_careful_reader_would() {
    let pastes = read_pastes();
    let misses = known_misses();
    let mut regressions = Vec::new();
    let mut fixed = Vec::new();
    let mut wrong = Vec::new();
    let mut passed = 0;
    for paste in &pastes {
        assert!(
            paste.want("source").is_some_and(|s| s.starts_with("http")),
            "{}: every real paste names the public page it comes from",
            paste.file
        );
        let verdict = verdict(paste, &decode(paste));
        match (&verdict, misses.contains_key(&paste.file)) {
            (None, false) => passed += 1,
            (None, true) => fixed.push(paste.file.clone()),
            (Some(why), false) => regressions.push(format!("{}: {why}", paste.file)),
            (Some(_), true) => {}
        }
        if let Some(why) = verdict {
            wrong.push(format!("{}  {why}", paste.file));
        }
    }
    for file in misses.keys() {
        assert!(
            pastes.iter().any(|p| &p.file == file),
            "KNOWN-MISSES lists {file}, which does not exist"
        );
    }
    let claims = pastes
        .iter()
        .filter(|p| p.want("claim") == Some("yes"))
        .count();
    println!(
        "real pastes: {} of {} decoded right ({claims} in scope, {} look-alikes)",
        passed + fixed.len(),
        pastes.len(),
        pastes.len() - claims,
    );
    if std::env::var_os("ERRDECODE_BLESS").is_some() {
        let header = "# Pastes errdecode does not read right yet: file, then what it gets \
                      wrong (see README.md).\n";
        let list = header.to_owned() + &wrong.join("\n") + "\n";
        fs::write(Path::new(DIR).join("KNOWN-MISSES"), list).unwrap();
        return;
    }
    assert!(
        regressions.is_empty(),
        "decoded wrong (fix, or list in KNOWN-MISSES with why):\n{}",
        regressions.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "now decoded right: remove from KNOWN-MISSES:\n{}",
        fixed.join("\n")
    );
}
