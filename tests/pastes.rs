//! What users really paste: SDK exceptions of every official SDK, language-level
//! wrappers (tracebacks, dict reprs, Go structs, Rust Debug, NSError, Excon dumps),
//! escaped bodies and copy damage. One table: file → what must come out of it.

use assert_cmd::Command;
use serde_json::Value;

struct Expect {
    file: &'static str,
    product: Option<&'static str>,
    code: &'static str,
    status: Option<u16>,
    request_id: Option<&'static str>,
    ec: Option<&'static str>,
}

const fn expect(
    file: &'static str,
    product: Option<&'static str>,
    code: &'static str,
    status: Option<u16>,
    request_id: Option<&'static str>,
    ec: Option<&'static str>,
) -> Expect {
    Expect {
        file,
        product,
        code,
        status,
        request_id,
        ec,
    }
}

const OSS_ID: Option<&str> = Some("57ABD896CCB80C366955****");
const OSS_ID2: Option<&str> = Some("636B68BA3C7A1F3233B0****");
const OSS_ID3: Option<&str> = Some("5C3D9175B6FC201293AD****");
const COS_ID: Option<&str> = Some("NjQ4ZmZlNTBfNDBiYjRlMGJfMjQ1OF8yYWQ5****");
const IMM_ID: Option<&str> = Some("7E2B2A1B-4C5D-4E6F-8A9B-8B3E8F2C****");

const CASES: &[Expect] = &[
    expect(
        "ali-oss-node.txt",
        Some("oss"),
        "MissingArgument",
        Some(400),
        OSS_ID,
        Some("0016-00000502"),
    ),
    expect(
        "ossutil.txt",
        Some("oss"),
        "AccessDenied",
        Some(403),
        OSS_ID3,
        Some("0003-00000001"),
    ),
    expect(
        "oss-python-v2.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        OSS_ID2,
        Some("0026-00000001"),
    ),
    expect(
        "tea-go.txt",
        Some("imm"),
        "Throttling.User",
        Some(400),
        IMM_ID,
        None,
    ),
    expect(
        "aliyun-cli.txt",
        Some("imm"),
        "Forbidden.AccountInDebt",
        Some(403),
        IMM_ID,
        None,
    ),
    expect(
        "cos-js.txt",
        Some("cos"),
        "NoSuchKey",
        Some(404),
        Some("NjQ4ZDk0ZjBfOTBmYTUw****"),
        None,
    ),
    expect(
        "go-struct.txt",
        Some("cos"),
        "AccessDenied",
        Some(403),
        COS_ID,
        None,
    ),
    expect(
        "rust-debug.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        OSS_ID2,
        Some("0026-00000001"),
    ),
    expect(
        "ios-nserror.txt",
        Some("oss"),
        "AccessDenied",
        Some(403),
        OSS_ID3,
        Some("0003-00000001"),
    ),
    expect(
        "ruby-excon.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        OSS_ID2,
        Some("0026-00000001"),
    ),
    expect(
        "botocore-to-oss.txt",
        Some("oss"),
        "AccessDenied",
        Some(403),
        None,
        None,
    ),
    expect(
        "json-in-log.txt",
        Some("oss"),
        "AccessDenied",
        Some(403),
        OSS_ID3,
        Some("0003-00000001"),
    ),
    expect(
        "html-escaped.txt",
        Some("cos"),
        "NoSuchBucket",
        Some(404),
        COS_ID,
        None,
    ),
    expect(
        "browser-banner.txt",
        Some("oss"),
        "AccessDenied",
        Some(403),
        OSS_ID3,
        Some("0003-00000001"),
    ),
    expect(
        "docker-compose.txt",
        Some("cos"),
        "RequestTimeTooSkewed",
        Some(403),
        COS_ID,
        None,
    ),
    expect(
        "truncated.txt",
        Some("oss"),
        "NoSuchUpload",
        Some(404),
        OSS_ID2,
        None,
    ),
];

fn decode(file: &str) -> Value {
    let out = Command::cargo_bin("errdecode")
        .unwrap()
        .args(["--json", "--file", &format!("tests/fixtures/pastes/{file}")])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{file}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn every_paste_yields_vendor_code_status_and_ids() {
    let mut failures = Vec::new();
    for case in CASES {
        let v = decode(case.file);
        let got = (
            v["product"].as_str(),
            v["code"].as_str(),
            v["http_status"].as_u64().map(|s| s as u16),
            v["request_id"].as_str(),
            v["ec"].as_str(),
        );
        let want = (
            case.product,
            Some(case.code),
            case.status,
            case.request_id,
            case.ec,
        );
        if got != want {
            failures.push(format!("{}: got {got:?}, want {want:?}", case.file));
        }
        if v["matches"].as_array().is_none_or(|m| m.is_empty()) {
            failures.push(format!("{}: no catalog match", case.file));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_tencent_sdk_line_without_a_code_still_names_the_vendor() {
    let v = decode("tencent-node.txt");
    assert_eq!(v["vendor"], "tencent");
    assert_eq!(v["request_id"], "6d8f6e0a-1b2c-4d5e-8f90-123456789abc");
}
