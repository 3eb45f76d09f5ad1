//! The code families added whole from vendors' docs (issue 12): a few members of each,
//! looked up through the built binary as users meet them, must come back with their
//! product, status and an explanation.

use assert_cmd::Command;
use serde_json::Value;

/// The binary in a hermetic environment: no colour or width settings leak in.
fn errdecode() -> Command {
    let mut cmd = Command::cargo_bin("errdecode").unwrap();
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS", "TERM"] {
        cmd.env_remove(var);
    }
    cmd
}

/// `--json` for `args` (a bare code is passed after `--`, so `-3013` is not a flag).
fn json(args: &[&str]) -> Value {
    let out = errdecode().arg("--json").args(args).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// `--json` for a paste on standard input.
fn json_stdin(text: &str) -> Value {
    let out = errdecode()
        .arg("--json")
        .write_stdin(text)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The match of `product` for `code`, which must have `status` and a meaning and fix.
fn member(v: &Value, product: &str, code: &str, status: Option<u64>) -> Value {
    let found = v["matches"]
        .as_array()
        .unwrap_or_else(|| panic!("{code}: no matches in {v}"))
        .iter()
        .find(|m| m["product"] == product && m["code"] == code)
        .unwrap_or_else(|| panic!("{code}: no {product} match in {v}"))
        .clone();
    assert_eq!(found["http_status"].as_u64(), status, "{code}: status");
    for key in ["meaning", "fix", "source"] {
        let text = found[key].as_str().unwrap_or_default();
        assert!(text.len() >= 10, "{code}: {key} is {text:?}");
    }
    found
}

/// Looks a bare code up and returns its `product` match.
fn lookup(product: &str, code: &str, status: Option<u64>) -> Value {
    member(&json(&["--", code]), product, code, status)
}

#[test]
fn ci_hotlink_denial_document_preview_and_service_role() {
    let m = lookup("ci", "-46616", None);
    assert_eq!(m["message"], "not hit white refer, retcode:-46616");
    lookup("ci", "-3013", Some(404));
    lookup("ci", "-3004", Some(404));
    let m = lookup("ci", "QcloudApiRoleNotExist", None);
    assert_eq!(m["message"], "Qcloud api role not exist, need create role");

    // A preview that fails with a headers-only 404 and X-ErrNo.
    let v = json_stdin(
        "HTTP/1.1 404 OK\nConnection: close\nContent-Type: application/xml\nX-ErrNo: -3013\n",
    );
    assert_eq!(v["product"], "ci");
    member(&v, "ci", "-3013", Some(404));
}

#[test]
fn cos_select_object_content_errors() {
    for code in [
        "SQLParsingError",
        "InvalidCompressionFormat",
        "CSVParsingError",
        "GzipDecompressError",
        "Bzip2DecompressError",
        "MissingExpectedExpression",
        "OverMaxRecordSize",
        "InvalidTextEncoding",
    ] {
        let m = member(&json(&["--product", "cos", code]), "cos", code, Some(400));
        assert!(
            m["section"]
                .as_str()
                .unwrap()
                .starts_with("SELECT Object Content"),
            "{code}: {m}"
        );
    }
    // Busy and Overload are worth retrying; a parse error is not.
    let m = member(
        &json(&["--product", "cos", "Overload"]),
        "cos",
        "Overload",
        Some(400),
    );
    assert_eq!(m["retryable"], true);

    // The message says which cause: GZIP asked for, but the object is not GZIP.
    let v = json_stdin(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n<Code>GzipDecompressError</Code>\n\
         <Message>GZIP is not applicable to the queried object</Message>\n\
         <RequestId>NjA5ZTJkZjRfOTBhZTM0MGFfMTlhMjlfMWQ=</RequestId>\n</Error>\n",
    );
    assert_eq!(
        v["matches"][0]["section"],
        "SELECT Object Content (not GZIP)"
    );
    assert_eq!(v["matches"][0]["message_agrees"], true);
}
