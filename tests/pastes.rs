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
    expect(
        "rust-debug-some.txt",
        Some("oss"),
        "AccessDenied",
        Some(403),
        Some("6613C0E10123456789ABCDEF"),
        Some("0003-00000001"),
    ),
    expect(
        "rust-pretty.txt",
        Some("cos"),
        "NoSuchKey",
        Some(404),
        Some("NjYxMzAwMDJfYWJjZGVmXzEyMzRfNTY4OA=="),
        None,
    ),
    expect(
        "ios-userinfo.txt",
        Some("oss"),
        "InvalidObjectName",
        Some(400),
        Some("6613C0E20123456789ABCDEF"),
        Some("0016-00000005"),
    ),
    expect(
        "tea-ts.txt",
        // Forbidden.RAM is the OpenAPI gateway's, which IMM lists too: nothing says which.
        None,
        "Forbidden.RAM",
        Some(403),
        Some("6C2A1B4C-5D6E-7F80-91A2-B3C4D5E6F70B"),
        None,
    ),
    expect(
        "aliyun-core-python.txt",
        Some("imm"),
        "InvalidRegionId",
        Some(400),
        Some("7D2A1B4C-5D6E-7F80-91A2-B3C4D5E6F70C"),
        None,
    ),
    expect(
        "aws-go-v2-cos.txt",
        // The id is Tencent's, and of Tencent's products only COS sends NoSuchKey.
        Some("cos"),
        "NoSuchKey",
        Some(404),
        Some("NjYxMjM0NjNfYWJjZGVmXzEyMzRfNTY4NQ=="),
        None,
    ),
    expect(
        "chunked-no-headers.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        Some("6613E0080123456789ABCDEF"),
        Some("0026-00000001"),
    ),
    expect(
        "chunked-mid-line.txt",
        Some("oss"),
        "AccessDenied",
        Some(403),
        Some("6613E0050123456789ABCDEF"),
        Some("0003-00000001"),
    ),
    expect(
        "lost-angles.txt",
        Some("cos"),
        "NoSuchBucket",
        Some(404),
        Some("NjYxM2YwMDdfYWJjZGVmXzEyMzRfNTY5Nw=="),
        None,
    ),
    expect(
        "lost-angle-in-closing-tag.txt",
        Some("oss"),
        "NoSuchBucket",
        Some(404),
        Some("6613F0080123456789ABCDEF"),
        None,
    ),
    expect(
        "unclosed-tags.txt",
        Some("oss"),
        "InvalidArgument",
        Some(400),
        Some("6613F00B0123456789ABCDEF"),
        Some("0002-00000012"),
    ),
    expect(
        "html-pre-ampersand.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        Some("6613E0040123456789ABCDEF"),
        Some("0026-00000001"),
    ),
    expect(
        "fullwidth-commas.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        Some("6613F0060123456789ABCDEF"),
        Some("0026-00000001"),
    ),
    expect(
        "x-oss-err-alone.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        Some("66140A010123456789ABCDEF"),
        Some("0026-00000001"),
    ),
    expect(
        "awscli-retries.txt",
        Some("oss"),
        "SignatureDoesNotMatch",
        Some(403),
        None,
        None,
    ),
    expect(
        "aws-java-to-oss.txt",
        Some("oss"),
        "NoSuchKey",
        Some(404),
        Some("6612AB34CD56EF7890123458"),
        None,
    ),
    expect(
        "node-inspect-wrapped.txt",
        Some("oss"),
        "RequestTimeTooSkewed",
        Some(403),
        Some("6613C0DE0123456789ABCDEF"),
        Some("0002-00000504"),
    ),
    expect(
        "tencent-go-fmt-verb.txt",
        Some("api"),
        "InvalidParameter",
        // API 3.0 answers HTTP 200 with the error in its body: the text gives no status.
        None,
        Some("2a1b2c3d-4e5f-6789-abcd-ef0123456789"),
        None,
    ),
];

fn decode(file: &str) -> Value {
    let out = Command::cargo_bin("errdecode")
        .unwrap()
        .env("LC_ALL", "C.UTF-8")
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

#[test]
fn ids_typed_over_before_pasting_are_reported_as_redacted() {
    let v = decode("placeholder-ids.txt");
    assert_eq!(v["request_id"], "<REQUEST_ID>");
    assert_eq!(
        v["redacted_in_input"],
        serde_json::json!(["request_id", "trace_id"])
    );
}

#[test]
fn botocore_retry_notes_are_not_part_of_the_message() {
    let v = decode("awscli-retries.txt");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("The request signature we calculated"),
        "{v}"
    );
}

#[test]
fn the_endpoint_to_use_is_not_mistaken_for_the_one_used() {
    let v = decode("node-inspect-endpoint.txt");
    let endpoint = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "endpoint")
        .unwrap_or_else(|| panic!("no endpoint finding: {v}"));
    assert_eq!(
        endpoint["text"],
        "Bucket media-bkt must be addressed through oss-cn-hangzhou.aliyuncs.com \
         (this request went to media-bkt.oss-cn-beijing.aliyuncs.com): use that endpoint."
    );
}

#[test]
fn a_string_node_wrapped_over_lines_is_one_message() {
    let v = decode("node-inspect-wrapped.txt");
    assert_eq!(
        v["message"],
        "The difference between the request time and the current time is too large."
    );
}
