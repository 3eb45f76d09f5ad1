//! The binary as users meet it: every input form, each vendor, an S3 look-alike,
//! ambiguity, templates, exit statuses, colour and pipe conventions.

mod common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// The binary in a hermetic environment: no colour or width settings leak in.
fn errdecode() -> Command {
    let mut cmd = Command::cargo_bin("errdecode").unwrap();
    for var in common::CALLER_SETTINGS {
        cmd.env_remove(var);
    }
    cmd
}

fn fixture(name: &str) -> String {
    Path::new("tests/fixtures").join(name).display().to_string()
}

/// Runs with `--json` and returns the parsed object.
fn json(args: &[&str]) -> Value {
    let out = errdecode().arg("--json").args(args).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Runs with `--json` on `text` as standard input, as a paste.
fn json_stdin(text: impl Into<Vec<u8>>) -> Value {
    let out = errdecode()
        .arg("--json")
        .write_stdin(text)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn json_file(name: &str) -> Value {
    json(&["--file", &fixture(name)])
}

fn match_products(v: &Value) -> Vec<String> {
    v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}/{}",
                m["product"].as_str().unwrap(),
                m["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_negative_code_works_as_a_bare_argument() {
    errdecode()
        .arg("-46618")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Tencent Cloud CI (Cloud Infinite)",
        ))
        .stdout(predicate::str::contains("download (X-ErrNo)"));
    let v = json(&["-46618"]);
    assert_eq!(v["input_kind"], "code");
    assert_eq!(v["vendor"], "tencent");
    assert_eq!(v["product"], "ci");
}

#[test]
fn bare_codes_are_case_insensitive() {
    let v = json(&["throttling.user"]);
    assert_eq!(v["matches"][0]["code"], "Throttling.User");
    // IMM lists the OpenAPI gateway's code too: with nothing to say which, both.
    assert_eq!(v["product"], Value::Null);
    let products = match_products(&v);
    assert!(
        products.contains(&"imm/Throttling.User".to_owned()),
        "{products:?}"
    );
    assert!(
        products.contains(&"openapi/Throttling.User".to_owned()),
        "{products:?}"
    );
}

#[test]
fn numeric_media_codes_and_ecs_are_codes() {
    let v = json(&["1013"]);
    assert_eq!(match_products(&v), ["ci/1013"]);
    assert_eq!(v["matches"][0]["message"], "InvalidAuthorization");
    let v = json(&["0003-00000201"]);
    assert_eq!(v["product"], "oss");
    assert_eq!(v["matches"][0]["sent_with_code"], "AccessDenied");
    assert_eq!(v["http_status"], 403);
}

#[test]
fn an_ambiguous_code_lists_every_product() {
    let v = json(&["AccessDenied"]);
    assert_eq!(v["vendor"], Value::Null);
    assert_eq!(v["product"], Value::Null);
    let products = match_products(&v);
    for expected in ["oss/", "oss-img/", "imm/", "ci/", "cos/"] {
        assert!(
            products.iter().any(|p| p.starts_with(expected)),
            "{expected} in {products:?}"
        );
    }
    // CI lists AccessDenied at 401 and at 403: two entries.
    let ci_statuses: Vec<&Value> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["product"] == "ci")
        .map(|m| &m["http_status"])
        .collect();
    // Media processing sends 1018 as AccessDenied too, with no documented status.
    assert_eq!(ci_statuses, [&401.into(), &403.into(), &Value::Null]);
}

#[test]
fn a_code_in_two_sections_of_one_product_lists_both() {
    let v = json(&["-3006"]);
    assert_eq!(v["product"], "ci");
    let sections: Vec<&str> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["download (X-ErrNo)", "file preview"]);
}

#[test]
fn imm_templates_match_concrete_codes() {
    let v = json(&["MissingProjectName"]);
    assert_eq!(v["matches"][0]["code"], "Missing{ParameterName}");
    assert_eq!(v["matches"][0]["template"]["value"], "ProjectName");
    let v = json(&["InvalidVideo.Unsupported"]);
    assert_eq!(v["matches"][0]["code"], "Invalid{ResourceType}.Unsupported");
    // A concrete code that exists is not also reported as a template.
    let v = json(&["InvalidArgument", "--product", "imm"]);
    assert_eq!(match_products(&v), ["imm/InvalidArgument"]);
}

#[test]
fn near_misses_get_a_suggestion_and_exit_1() {
    errdecode()
        .arg("46618")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Did you mean: -46618?"))
        .stderr(predicate::str::contains("no catalog entry matches `46618`"));
    let v = json(&["SignatureDoesNotMatch", "--product", "imm"]);
    assert_eq!(v["suggestions"], serde_json::json!(["SignatureNotMatch"]));
}

/// IMM's body says SignatureDoesNotMatch with the literal message of IMM's own
/// SignatureNotMatch: the message finds IMM's entry.
#[test]
fn imm_context_finds_imms_own_spelling_by_its_message() {
    let v = json_file("imm-signature.json");
    assert_eq!(v["product"], "imm");
    assert_eq!(match_products(&v), ["imm/SignatureNotMatch"]);
    assert_eq!(v["matches"][0]["message_agrees"], true);
}

#[test]
fn an_unknown_code_exits_1_with_a_hint() {
    errdecode()
        .arg("NoSuchThingAnywhere")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no catalog entry matches"));
}

#[test]
fn a_pasted_xml_body_as_one_argument() {
    let body = std::fs::read_to_string(fixture("cos-no-such-key.xml")).unwrap();
    let v = json(&[&body]);
    assert_eq!(v["input_kind"], "xml");
    assert_eq!(v["vendor"], "tencent");
    assert_eq!(v["product"], "cos");
    assert_eq!(v["http_status"], 404);
    assert_eq!(v["request_id"], "NjQ4ZDk0ZjBfOTBmYTUwXzFjYjJfMWM0****");
    assert!(v["trace_id"].as_str().unwrap().starts_with("OGVmYzZi"));
    assert_eq!(
        v["details"]["Resource"],
        "examplebucket-1250000000.cos.ap-beijing.myqcloud.com/exampleobject"
    );
}

#[test]
fn the_documented_oss_request_and_response() {
    let v = json_file("oss-curl-i-400-not-implemented.txt");
    assert_eq!(v["input_kind"], "http");
    assert_eq!(v["product"], "oss");
    assert_eq!(v["http_status"], 400);
    // Image processing runs inside OSS and answers with its headers: its meaning stays listed, second.
    assert_eq!(
        match_products(&v),
        ["oss/NotImplemented", "oss-img/NotImplemented"]
    );
    assert_eq!(v["details"]["Header"], "If-Modified-Since");
    assert_eq!(v["matches"][0]["message_agrees"], true);
}

#[test]
fn a_curl_v_dump_on_stdin_with_an_ec_and_access_denied_detail() {
    let dump = std::fs::read(fixture("oss-curl-v-403-explicit-deny.txt")).unwrap();
    let out = errdecode()
        .arg("--json")
        .write_stdin(dump)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["product"], "oss");
    assert_eq!(v["ec"], "0003-00000201");
    // The EC's own entry comes first, then the code's, then image processing's (which
    // answers with OSS's headers).
    assert_eq!(
        match_products(&v),
        [
            "oss/0003-00000201",
            "oss/AccessDenied",
            "oss-img/AccessDenied"
        ]
    );
    assert_eq!(
        v["details"]["AccessDeniedDetail"]["NoPermissionType"],
        "ExplicitDeny"
    );
    assert_eq!(
        v["recommend"],
        "https://api.aliyun.com/troubleshoot?q=0003-00000201"
    );
}

#[test]
fn a_head_error_is_read_from_x_oss_err() {
    let v = json_file("oss-head-404-x-oss-err.txt");
    assert_eq!(v["code"], "NoSuchKey");
    assert_eq!(v["details"]["Key"], "missing.txt");
    assert_eq!(
        match_products(&v),
        ["oss/0026-00000001", "oss/NoSuchKey", "oss-img/NoSuchKey"]
    );
}

#[test]
fn an_image_processing_url_means_oss_img() {
    let v = json_file("oss-img-curl-v-400.txt");
    assert_eq!(v["product"], "oss-img");
    // Image processing's meaning first; OSS's own checks still apply to the request.
    assert_eq!(match_products(&v), ["oss-img/BadRequest", "oss/BadRequest"]);
}

#[test]
fn an_imm_json_body() {
    let v = json_file("imm-missing-project.json");
    assert_eq!(v["input_kind"], "json");
    assert_eq!(
        (v["vendor"].as_str(), v["product"].as_str()),
        (Some("aliyun"), Some("imm"))
    );
    assert_eq!(v["host_id"], "imm.cn-hangzhou.aliyuncs.com");
    assert_eq!(v["matches"][0]["message_agrees"], true);
}

#[test]
fn a_headers_only_x_errno_dump() {
    let v = json_file("ci-curl-i-xerrno.txt");
    assert_eq!(
        (v["vendor"].as_str(), v["product"].as_str()),
        (Some("tencent"), Some("ci"))
    );
    assert_eq!(v["code"], "-46618");
    assert_eq!(v["http_status"], 403);
}

#[test]
fn ci_401_is_not_confused_with_403() {
    let v = json_file("ci-curl-v-401.txt");
    assert_eq!(match_products(&v), ["ci/AccessDenied", "ci/1018"]);
    assert_eq!(v["matches"][0]["http_status"], 401);
    assert_eq!(v["matches"][1]["http_status"], Value::Null);
}

#[test]
fn the_final_response_of_a_redirect_chain_is_decoded() {
    let v = json_file("cos-curl-iL-redirect-then-403.txt");
    assert_eq!(v["http_status"], 403);
    assert_eq!(match_products(&v), ["cos/AccessDenied"]);
}

#[test]
fn a_cos_signature_error_keeps_its_string_to_sign() {
    let v = json_file("cos-curl-i-403-signature.txt");
    assert_eq!(v["product"], "cos");
    assert!(
        v["details"]["StringToSign"]
            .as_str()
            .unwrap()
            .starts_with("sha1\n")
    );
    assert!(
        v["details"]["FormatString"]
            .as_str()
            .unwrap()
            .contains("host=")
    );
}

#[test]
fn s3_is_s3_and_minio_gets_the_s3_apis_meaning() {
    let v = json_file("s3-curl-i-404.txt");
    assert_eq!(
        (v["vendor"].as_str(), v["product"].as_str()),
        (Some("aws"), Some("s3"))
    );
    assert_eq!(match_products(&v), ["s3/NoSuchKey"]);

    let v = json_file("minio-no-such-bucket.xml");
    assert_eq!(v["vendor"], Value::Null);
    assert_eq!(v["foreign_vendor"], "minio");
    // S3's meaning, and never an OSS or COS entry.
    assert_eq!(match_products(&v), ["s3/NoSuchBucket"]);
    errdecode()
        .args(["--file", &fixture("minio-no-such-bucket.xml")])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "This looks like MinIO: it answers with the API of AWS S3",
        ));
}

#[test]
fn sdk_lines_of_every_vendor() {
    let cases = [
        ("sdk-oss-go-v1.txt", "oss", "MissingArgument", Some(400)),
        ("sdk-oss-python.txt", "oss", "MissingArgument", Some(400)),
        ("sdk-oss-java.txt", "oss", "MissingArgument", None),
        ("sdk-cos-python.txt", "cos", "NoSuchKey", None),
        ("sdk-cos-go.txt", "cos", "NoSuchKey", Some(404)),
        ("sdk-cos-java.txt", "cos", "NoSuchKey", Some(404)),
        ("sdk-tea-imm.txt", "imm", "Throttling.User", Some(400)),
    ];
    for (file, product, code, status) in cases {
        let v = json_file(file);
        assert_eq!(v["input_kind"], "sdk", "{file}");
        assert_eq!(v["product"], product, "{file}");
        assert_eq!(v["code"], code, "{file}");
        if let Some(status) = status {
            assert_eq!(v["http_status"], status, "{file}");
        }
        assert!(v["request_id"].is_string(), "{file}");
    }
}

#[test]
fn an_s3_sdk_error_without_evidence_lists_every_product() {
    let v = json_file("sdk-botocore-oss.txt");
    assert_eq!(v["vendor"], Value::Null);
    assert_eq!(v["code"], "SignatureDoesNotMatch");
    assert!(match_products(&v).len() >= 3);
}

#[test]
fn scope_flags_narrow() {
    let v = json(&["AccessDenied", "--vendor", "tencent"]);
    assert_eq!(
        match_products(&v),
        [
            "ci/AccessDenied",
            "ci/AccessDenied",
            "cos/AccessDenied",
            "ci/1018"
        ]
    );
    let v = json(&["AccessDenied", "--product", "cos"]);
    assert_eq!(match_products(&v), ["cos/AccessDenied"]);
}

#[test]
fn stdin_file_and_dash_read_the_same_input() {
    let path = fixture("sdk-cos-go.txt");
    let text = std::fs::read(&path).unwrap();
    let a = errdecode().args(["--file", &path]).output().unwrap();
    let b = errdecode().write_stdin(text.clone()).output().unwrap();
    let c = errdecode().arg("-").write_stdin(text).output().unwrap();
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stdout, c.stdout);
}

#[test]
fn utf16_and_bom_input_is_decoded() {
    let text = std::fs::read_to_string(fixture("cos-no-such-key.xml")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let v = json_stdin(utf16);
    assert_eq!(v["code"], "NoSuchKey");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(b"-46618");
    errdecode().write_stdin(bom).assert().success();
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    errdecode()
        .args(["--color", "sometimes", "x"])
        .assert()
        .code(2);
    errdecode()
        .args(["--file", "does/not/exist.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "errdecode: cannot read does/not/exist.txt",
        ));
    errdecode()
        .write_stdin("   \n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("the input is empty"));
}

#[test]
fn input_over_the_size_limit_is_refused() {
    errdecode()
        .args(["--max-input-mib", "1"])
        .write_stdin(vec![b'x'; (1 << 20) + 1])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than 1 MiB"));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = errdecode().arg("-46618").output().unwrap();
    assert!(!plain.stdout.contains(&0x1b), "piped output must be plain");
    let coloured = errdecode()
        .args(["--color", "always", "-46618"])
        .output()
        .unwrap();
    assert!(coloured.stdout.contains(&0x1b));
    let never = errdecode()
        .args(["--color", "never", "-46618"])
        .output()
        .unwrap();
    assert_eq!(never.stdout, plain.stdout);
}

#[test]
fn hostile_text_cannot_drive_the_terminal() {
    let body = "<Error><Code>NoSuchKey</Code><Message>\u{1b}]8;;http://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\ \u{1b}[2J\u{7}</Message><RequestId>\u{1b}[31mX</RequestId></Error>";
    let out = errdecode()
        .args(["--color", "always", body])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\\x1b]8;;http://evil"), "{text}");
    assert!(
        !text.contains("\u{1b}]"),
        "an OSC sequence reached the terminal"
    );
    assert!(!text.contains("\u{1b}[2J") && !text.contains('\u{7}'));
    // JSON keeps the exact value, escaped as JSON.
    let v = json(&[body]);
    assert!(v["message"].as_str().unwrap().starts_with("\u{1b}]8;;"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("errdecode");
    let mut child = Std::new(bin)
        .args(["AccessDenied"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader went away, like `| head -0`
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        status.code().is_some_and(|c| c == 0),
        "{status:?}: {stderr}"
    );
}

#[test]
fn help_and_version() {
    errdecode()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("curl -sv URL 2>&1 | errdecode"))
        .stdout(predicate::str::contains("Exit status: 0 explained"));
    errdecode()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("errdecode "));
}

#[test]
fn secrets_in_a_pasted_dump_are_never_printed_whole() {
    let secrets = [
        "CAIS8gF1q6Ft5B2yfSjIr5bSAdXhpOxZ4KSlSVLjqwYxZoJ",
        "V1pOcuLeNt3gO8nGQk7",
        "NTQ7vXnbqQ8cRa6HbyGj1XQ2",
    ];
    let path = fixture("oss-curl-v-403-signature-secrets.txt");
    for args in [vec!["--file", &path], vec!["--json", "--file", &path]] {
        let out = errdecode().args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{secret} printed by {args:?}:\n{text}"
            );
        }
        assert!(
            text.contains("STS.NTQ7…[masked]"),
            "the AccessKeyId prefix stays visible"
        );
    }
    let v = json_file("oss-curl-v-403-signature-secrets.txt");
    let masked: Vec<&str> = v["masked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    for name in [
        "SignatureProvided",
        "OSSAccessKeyId",
        "x-oss-security-token",
        "Signature",
    ] {
        assert!(
            masked.contains(&name),
            "{name} not reported as masked: {masked:?}"
        );
    }
}

#[test]
fn diagnosis_explains_this_failure() {
    let kinds = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let v = json_file("oss-403-request-time-too-skewed.xml");
    assert_eq!(kinds(&v), ["clock-skew", "ec"]);
    assert!(
        v["findings"][0]["text"]
            .as_str()
            .unwrap()
            .contains("31 min 10 s slow")
    );
    let v = json_file("oss-curl-v-403-signature-secrets.txt");
    assert!(kinds(&v).contains(&"signature-window".to_owned()));
    assert!(kinds(&v).contains(&"string-to-sign".to_owned()));
    let v = json_file("oss-curl-v-403-explicit-deny.txt");
    assert!(
        v["findings"][0]["text"].as_str().unwrap().starts_with(
            "SubUser 20407xxxx (account 1234567890) was explicitly denied oss:GetObject"
        )
    );
    assert_eq!(v["received_at"], "2022-11-09T08:45:46Z");
}

#[test]
fn an_unknown_code_still_gets_its_status_class_explained() {
    let dump = "HTTP/1.1 503 Service Unavailable\nServer: AliyunOSS\nx-oss-request-id: 636B68BA3C7A1F3233B0AAAA\n\n<Error><Code>BrandNewThrottle</Code></Error>";
    let out = errdecode()
        .arg("--json")
        .write_stdin(dump)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["vendor"], "aliyun");
    assert_eq!(v["http_status"], 503);
    assert_eq!(v["status_meaning"]["status"], 503);
    assert_eq!(v["status_meaning"]["retryable"], true);
    errdecode()
        .write_stdin(dump)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Not in the catalog: what HTTP 503 means in general",
        ));
}

#[test]
fn media_processing_codes_are_found_by_name() {
    let v = json(&["QueueNotFound"]);
    assert_eq!(match_products(&v), ["ci/1106"]);
    assert_eq!(v["matches"][0]["section"], "media processing");
    let v = json(&["AccessDenied"]);
    assert!(match_products(&v).contains(&"ci/1018".to_owned()), "{v}");
}

#[test]
fn templated_codes_match_in_any_case() {
    for code in [
        "missingprojectname",
        "MISSINGPROJECTNAME",
        "invalidfile.unsupported",
    ] {
        let v = json(&[code]);
        assert_eq!(v["matches"][0]["product"], "imm", "{code}: {v}");
        assert!(v["matches"][0]["template"].is_object(), "{code}: {v}");
    }
}

#[test]
fn the_catalog_status_is_used_when_every_meaning_agrees() {
    assert_eq!(json(&["NoSuchKey"])["http_status"], 404);
    // AccessDenied is 401 in one place and 403 in others: no single status.
    assert_eq!(json(&["AccessDenied"])["http_status"], Value::Null);
}

#[test]
fn another_vendors_ec_is_not_read_as_an_oss_ec() {
    let v = json_file("tos-403-with-ec.txt");
    assert_eq!(v["foreign_vendor"], "volcengine");
    assert_eq!(v["ec"], "0003-00000001");
    assert!(
        !match_products(&v).iter().any(|m| m.contains("0003-")),
        "{v}"
    );
    assert_eq!(v["ec_category"], Value::Null);
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn an_image_processing_error_from_oss_lists_the_image_processing_entry() {
    let body = "HTTP/1.1 400 Bad Request\nServer: AliyunOSS\nx-oss-request-id: 5C3D9175B6FC201293AD4A1B\n\n<Error><Code>WatermarkError</Code><Message>x</Message></Error>";
    let v = json(&[body]);
    assert!(
        match_products(&v).contains(&"oss-img/WatermarkError".to_owned()),
        "{v}"
    );
}

#[test]
fn a_contradicted_literal_is_not_shown_as_what_the_server_said() {
    let body = "<Error><Code>AccessDenied</Code><Message>You have no right to access this object because of bucket acl.</Message><RequestId>5C3D9175B6FC201293AD4A1B</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>";
    errdecode()
        .args(["--color", "never", body])
        .assert()
        .success()
        .stdout(predicate::str::contains("Query-string authentication").not());
}

#[test]
fn a_secret_echoed_back_as_argument_value_or_in_a_message_is_masked() {
    for args in [vec!["--json"], vec!["--color", "never"]] {
        let out = errdecode()
            .args(&args)
            .args(["--file", &fixture("oss-argument-value-secret.xml")])
            .output()
            .unwrap();
        let shown = String::from_utf8(out.stdout).unwrap();
        for secret in ["ARGVALSIGSECRET", "ARGVALKEYID", "SECRETSIG", "XYZKEYID"] {
            assert!(
                !shown.contains(secret),
                "{secret} shown in {args:?}:\n{shown}"
            );
        }
        assert!(shown.contains("LTAI5tAR…[masked]"), "{shown}");
    }
}

#[test]
fn a_few_plain_words_are_tried_as_a_code_and_as_a_message() {
    // A message alone: COS sends `Request has expired` and OSS `Request has expired.`
    // as AccessDenied's message, not as a code.
    for said in ["Request has expired", "Request has expired."] {
        let v = json(&[said]);
        assert_eq!(v["code"], Value::Null, "{said}");
        assert_eq!(
            match_products(&v),
            ["oss/AccessDenied", "cos/AccessDenied"],
            "{said}"
        );
    }
    // Codes with spaces, as the servers send them.
    assert_eq!(
        match_products(&json(&["Imm", "Client"])),
        ["imm/Imm Client"]
    );
    // A message alone finds the codes that send it.
    let v = json(&["The specified key does not exist."]);
    assert_eq!(v["code"], Value::Null);
    assert!(
        match_products(&v).contains(&"oss/NoSuchKey".to_owned()),
        "{v}"
    );
    // A misspelling with spaces is a near miss.
    let out = errdecode()
        .args(["--color", "never", "acess denied"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Did you mean: AccessDenied?"));
}

#[test]
fn a_code_copied_with_its_quotes_or_tags_still_decodes() {
    assert_eq!(match_products(&json(&["\"-46618\""])), ["ci/-46618"]);
    assert!(match_products(&json(&["'NoSuchKey'"])).contains(&"oss/NoSuchKey".to_owned()));
    let v = json(&["<Code>NoSuchKey</Code>"]);
    assert_eq!(v["code"], "NoSuchKey");
    assert!(
        match_products(&v).contains(&"cos/NoSuchKey".to_owned()),
        "{v}"
    );
}

#[test]
fn a_code_narrowed_away_says_where_it_belongs() {
    errdecode()
        .args(["--product", "imm", "-46618"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "`-46618` is not a code of the vendor or product asked for, but of ci",
        ));
}

#[test]
fn ci_processing_on_a_cos_url_is_ci() {
    let dump = "> GET /a.jpg?imageMogr2/thumbnail/100x HTTP/1.1\n> Host: ex-1250000000.cos.ap-guangzhou.myqcloud.com\n>\n< HTTP/1.1 400 Bad Request\n< Server: tencent-cos\n<\n<Error><Code>InvalidArgument</Code><Message>m</Message></Error>\n";
    assert_eq!(json(&[dump])["product"], "ci");
}

#[test]
fn a_file_name_in_an_error_cannot_drive_the_terminal() {
    let out = errdecode()
        .args(["--file", "/nonexistent/\u{1b}]0;pwn\u{7}\u{1b}[2J"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\x1b]0;pwn\\x07"), "{stderr}");
}

#[test]
fn a_known_sender_without_the_code_is_said_so() {
    let out = errdecode()
        .args([
            "--color",
            "never",
            "[TencentCloudSDKError] Code=Forbidden.RAM, Message=Invalid parameter, RequestId=2a1b2c3d-4e5f-6789-abcd-ef0123456789",
        ])
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("Tencent Cloud API 3.0 has no such code in errdecode's catalog"),
        "{shown}"
    );
}

#[test]
fn a_body_from_a_volcengine_host_is_not_claimed_as_oss() {
    let v = json(&[
        "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>1a2b3c4d5e6f7a8b9c0d1e2f</RequestId><HostId>b.tos-cn-beijing.volces.com</HostId><EC>0003-00000001</EC></Error>",
    ]);
    assert_eq!(v["foreign_vendor"], "volcengine");
    assert!(
        !match_products(&v).iter().any(|m| m.contains("0003-")),
        "{v}"
    );
}

/// Repairs for damaged pastes must leave well-formed bodies exactly as they are.
#[test]
fn well_formed_bodies_are_read_as_they_are() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "<Error><Code>InvalidArgument</Code><Message>foo /Key> bar</Message><RequestId>6551D7B8E8A4F53739C1E0F2</RequestId></Error>",
            "message",
            "foo /Key> bar",
        ),
        (
            "<Error><Code>InvalidArgument</Code><Message>Hello <b>world</b> end</Message></Error>",
            "message",
            "Hello world end",
        ),
        (
            "<Error><Code>NoSuchKey</Code><Message><![CDATA[a & b]]></Message></Error>",
            "message",
            "a & b",
        ),
        (
            r#"{"Code":"InvalidArgument","Message":"\u003cb\u003e \"q\"","HostId":"imm.cn-hangzhou.aliyuncs.com"}"#,
            "message",
            "<b> \"q\"",
        ),
        (
            "<Error><Code>NoSuchKey</Code><Message>正确，以及：其他</Message></Error>",
            "message",
            "正确，以及：其他",
        ),
    ];
    for (body, key, want) in cases {
        let v = json(&[body]);
        assert_eq!(v[key], *want, "{body}");
        assert_eq!(
            v["request_id"].is_null(),
            !body.contains("RequestId"),
            "{body}"
        );
    }
}

#[test]
fn a_code_with_a_message_after_a_colon_is_read() {
    for (line, code) in [
        ("Error: AccessDenied", "AccessDenied"),
        ("InvalidArgument: value > 10 is invalid", "InvalidArgument"),
        ("NoSuchKey.", "NoSuchKey"),
        ("(NoSuchKey)", "NoSuchKey"),
    ] {
        assert_eq!(json(&[line])["code"], code, "{line}");
    }
}

#[test]
fn an_error_known_only_by_its_ec_says_so() {
    errdecode()
        .args([
            "--color",
            "never",
            "HTTP/1.1 403 Forbidden\nServer: AliyunOSS\nx-oss-ec: 0003-00000201\n\n",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "0003-00000201 (found by its EC) · HTTP 403",
        ));
}

#[test]
fn a_misspelt_code_gets_a_near_miss_not_a_template() {
    // `Invalid{ParameterName}` (IMM) would fit; the real code is a typo away.
    let v = json(&["InvalidAccesKeyId"]);
    assert_eq!(v["explained"], false);
    assert!(
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "InvalidAccessKeyId"),
        "{v}"
    );
}

#[test]
fn a_template_never_stands_against_another_vendors_evidence() {
    let v = json(&[
        "<?xml version='1.0' encoding='utf-8' ?><Error><Code>InvalidParameter.GrantOtherResource</Code><Message>x</Message><RequestId>NjQ4ZDk0ZjBfOTBmYTUwXzFhNWJfMTIzNA==</RequestId><TraceId>OGVmYzZiMmQzYjA2OWNh</TraceId></Error>",
    ]);
    assert_eq!(v["vendor"], "tencent");
    assert!(match_products(&v).iter().all(|p| !p.contains("imm")), "{v}");
}

#[test]
fn json_says_which_repairs_ran_and_which_values_lost() {
    let wire = "DEBUG [o.a.h.wire] - http-outgoing-8 << \"HTTP/1.1 404 Not Found[\\r][\\n]\"\n\
                DEBUG [o.a.h.wire] - http-outgoing-8 << \"Server: AliyunOSS[\\r][\\n]\"\n\
                DEBUG [o.a.h.wire] - http-outgoing-8 << \"x-oss-request-id: 65D6F9792316833136343709[\\r][\\n]\"\n\
                DEBUG [o.a.h.wire] - http-outgoing-8 << \"x-oss-ec: 0026-00000001[\\r][\\n]\"\n";
    let v = json_stdin(wire);
    assert_eq!(v["product"], "oss");
    assert_eq!(v["request_id"], "65D6F9792316833136343709");
    assert_eq!(v["ec"], "0026-00000001");
    assert_eq!(v["http_status"], 404);
    assert!(
        v["repairs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "wire-log"),
        "{v}"
    );

    let v = json(&["HTTP/1.1 403 Forbidden\n\n{\"Code\":\"AccessDenied\",\"Status\":\"400\"}"]);
    assert_eq!(v["http_status"], 403);
    assert_eq!(
        v["alternatives"],
        serde_json::json!([{"field": "http_status", "value": "400", "source": "element", "key": "Status"}])
    );
}

#[test]
fn small_answers_are_right() {
    // A code with spaces, copied with its sentence's period.
    let v = json(&["Imm Client."]);
    assert_eq!(v["code"], "Imm Client");
    assert_eq!(v["explained"], true);
    // A bare code's literal is what the product sends, not what the user received.
    let out = errdecode()
        .args(["--color", "never", "NoSuchKey"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Server says"), "{text}");
    assert!(
        text.contains("(a message this product sends with it)"),
        "{text}"
    );
    // Narrowing away the sender's own entry says so, and does not deny it exists.
    let out = errdecode()
        .args(["--color", "never", "--vendor", "tencent", "--file"])
        .arg(fixture("oss-403-request-time-too-skewed.xml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("own meaning is left out by --vendor/--product"),
        "{text}"
    );
    assert!(!text.contains("has no such code"), "{text}");
}

#[test]
fn a_paste_of_several_errors_never_mixes_their_fields() {
    // Issue 10's example: a COS SlowDown line and an OSS NoSuchKey line.
    let paste = "[2024-05-01 12:00:00] ERROR GET https://b-1250000000.cos.ap-guangzhou.myqcloud.com/o: 503 SlowDown(Message: Please reduce your request rate., RequestId: NjQ4ZDk0ZjBfOTBmYTUwXzFhNWJfMTIzNA==, TraceId: OGVm)\n\
                 [2024-05-01 12:00:01] ERROR oss: service returned error: StatusCode=404, ErrorCode=NoSuchKey, ErrorMessage=\"The specified key does not exist.\", RequestId=636B68BA3C7A1F3233B0AAAA, Ec=0026-00000001\n";
    let v = json_stdin(paste);
    assert_eq!(
        (v["code"].as_str(), v["product"].as_str()),
        (Some("SlowDown"), Some("cos"))
    );
    assert_eq!(
        v["ec"],
        Value::Null,
        "the OSS EC belongs to the other error"
    );
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["kind"] != "ec")
    );
    let other = &v["other_errors"][0];
    assert_eq!(
        (other["code"].as_str(), other["product"].as_str()),
        (Some("NoSuchKey"), Some("oss"))
    );
    assert_eq!(other["request_id"], "636B68BA3C7A1F3233B0AAAA");
    assert_eq!(other["ec"], "0026-00000001");

    let out = errdecode()
        .args(["--color", "never"])
        .write_stdin(paste)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "This paste holds 1 more error: NoSuchKey (Alibaba Cloud OSS). Run `errdecode scan` on it to see each one."
    ));
}

#[test]
fn the_same_error_twice_is_counted_and_one_error_stays_one() {
    // Two OSS Java exceptions: each keeps its own request id and headline.
    let paste = "com.aliyun.oss.OSSException: The specified key does not exist.\n\
                 [ErrorCode]: NoSuchKey\n[RequestId]: 636B68BA3C7A1F3233B0AAAA\n[HostId]: b.oss-cn-hangzhou.aliyuncs.com\n\
                 com.aliyun.oss.OSSException: The specified key does not exist.\n\
                 [ErrorCode]: NoSuchKey\n[RequestId]: 636B68BA3C7A1F3233B0BBBB\n[HostId]: b.oss-cn-hangzhou.aliyuncs.com\n";
    let v = json_stdin(paste);
    assert_eq!(v["request_id"], "636B68BA3C7A1F3233B0AAAA");
    assert_eq!(
        v["other_errors"][0]["request_id"],
        "636B68BA3C7A1F3233B0BBBB"
    );
    assert_eq!(
        v["other_errors"][0]["message"],
        "The specified key does not exist."
    );
    // An SDK exception that prints its body is one error, and so is an NSError.
    for file in ["sdk-oss-java.txt", "pastes/ios-userinfo.txt"] {
        let v = json_file(file);
        assert_eq!(v["other_errors"], serde_json::json!([]), "{file}");
    }
}

#[test]
fn errors_past_the_ones_read_are_counted() {
    let paste: String = (0..20)
        .map(|i| format!("ERROR oss: service returned error: StatusCode=404, ErrorCode=NoSuchKey, RequestId=636B68BA3C7A1F3233B0{i:04}\n"))
        .collect();
    let v = json_stdin(paste);
    assert_eq!(v["request_id"], "636B68BA3C7A1F3233B00000");
    assert_eq!(v["other_errors"].as_array().unwrap().len(), 15);
    assert_eq!(
        v["other_errors"][14]["request_id"],
        "636B68BA3C7A1F3233B00015"
    );
    assert_eq!(
        (v["unread_errors"].as_u64(), v["unread_at_least"].as_bool()),
        (Some(4), Some(false))
    );
}

#[test]
fn several_codes_get_one_report_each() {
    let out = errdecode().args(["-46618", "-46628"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let headlines: Vec<&str> = text.lines().filter(|l| l.starts_with('-')).collect();
    assert_eq!(
        headlines,
        [
            "-46618 · Tencent Cloud CI (Cloud Infinite)",
            "-46628 · Tencent Cloud CI (Cloud Infinite)"
        ],
        "{text}"
    );
    // JSON: one object, the schema's way for several errors (doc/json.md).
    let v = json(&["NoSuchKey", "AccessDenied"]);
    assert_eq!(v["code"], "NoSuchKey");
    let others = v["other_errors"].as_array().unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0]["code"], "AccessDenied");
    assert_eq!(others[0]["schema_version"], 1);
    assert!(others[0]["other_errors"].as_array().unwrap().is_empty());
}

#[test]
fn words_that_are_not_each_a_code_stay_one_input() {
    // COS's message of AccessDenied, not a code (issue 12): read as one message.
    let v = json(&["Request", "has", "expired"]);
    assert_eq!(v["message"], "Request has expired");
    assert!(v["other_errors"].as_array().unwrap().is_empty());
    // One known code beside a word that is none: one text, as before.
    let v = json(&["NoSuchKey", "happened"]);
    assert!(v["other_errors"].as_array().unwrap().is_empty());
}

#[test]
fn a_bare_http_status_gets_its_meaning_and_the_codes_sent_with_it() {
    for args in [
        &["403"][..],
        &["HTTP 403"],
        &["HTTP", "403"],
        &["http/1.1", "403"],
    ] {
        let out = errdecode().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with("HTTP 403 · any vendor\n"),
            "{args:?}: {text}"
        );
        assert!(text.contains("What HTTP 403 means in general"), "{text}");
        assert!(
            text.contains("Sent with HTTP 403 in the catalog:"),
            "{text}"
        );
        assert!(!text.contains("Did you mean"), "{text}");
        assert!(out.stderr.is_empty());
    }
    let v = json(&["HTTP 503"]);
    assert_eq!(v["explained"], true);
    assert_eq!(v["http_status"], 503);
    assert!(v["status_meaning"]["meaning"].as_str().is_some());
    let sent = v["status_entries"].as_array().unwrap();
    assert!(
        sent.iter()
            .any(|e| e["code"] == "SlowDown" && e["product"] == "cos")
    );
    // Narrowed like any look-up.
    let v = json(&["--product", "cos", "503"]);
    let sent = v["status_entries"].as_array().unwrap();
    assert!(!sent.is_empty() && sent.iter().all(|e| e["product"] == "cos"));
    // CI's code 423 is a code first; other inputs have no status entries.
    let v = json(&["423"]);
    assert_eq!(v["matches"][0]["code"], "423");
    assert!(v["status_entries"].as_array().unwrap().is_empty());
}

#[test]
fn an_ambiguous_code_fits_one_screen_with_the_best_block_and_a_hint() {
    let out = errdecode().arg("AccessDenied").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() < 24, "{text}");
    // One line per meaning, one block: the best one's.
    assert!(
        text.contains("\n 1. oss      HTTP 403  The request was refused"),
        "{text}"
    );
    assert!(text.contains("\n 8. ci "), "{text}");
    assert_eq!(text.matches("\n Fix ").count(), 1, "{text}");
    assert!(
        text.contains("paste the whole response, or add `--product`"),
        "{text}"
    );
    for all in ["--all", "-v", "--verbose"] {
        let every = errdecode().args([all, "AccessDenied"]).output().unwrap();
        let every = String::from_utf8(every.stdout).unwrap();
        assert_eq!(every.matches("\n Fix ").count(), 8, "{all}: {every}");
        assert!(!every.contains("--all"), "{every}");
    }
    // One meaning: nothing to choose, no hint.
    let one = errdecode().arg("-46618").output().unwrap();
    assert!(!String::from_utf8(one.stdout).unwrap().contains("--all"));
}

#[test]
fn short_is_one_line_per_meaning() {
    errdecode()
        .args(["--short", "-46618", "NoSuchKey"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "-46618  ci  -  The request signature failed verification.\nNoSuchKey  oss ",
        ));
    let out = errdecode()
        .args(["--short", "AccessDenied"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 8);
    // Nothing known: nothing on stdout, the hint on stderr, status 1.
    errdecode()
        .args(["--short", "NoSuchThingAnywhere"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("no catalog entry matches"));
    errdecode().args(["--short", "--all", "x"]).assert().code(2);
}

/// An OpenAPI gateway error names the service it came from by its endpoint (issue 11).
#[test]
fn an_openapi_error_names_its_calling_service() {
    let body = r#"{"RequestId":"8673D3CC-3EAF-472F-92B3-69C7C0BF07EE","HostId":"mt.cn-hangzhou.aliyuncs.com","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound&product=alimt"}"#;
    let v = json_stdin(body);
    assert_eq!(v["product"], "openapi");
    assert_eq!(v["service"], "mt");
    let text = errdecode()
        .args(["--color", "never"])
        .write_stdin(body)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("Alibaba Cloud OpenAPI (mt)"),
        "{text}"
    );
    // IMM's own endpoint is IMM's, not a service behind the gateway.
    let imm = json_stdin(body.replace("mt.cn-hangzhou", "imm.cn-hangzhou"));
    assert_eq!(
        (imm["product"].as_str(), &imm["service"]),
        (Some("imm"), &Value::Null)
    );
}

/// Issue 13: a mistyped subcommand is a usage error that names the one meant, and is
/// not decoded as a code nobody has; words that explain something still decode.
#[test]
fn a_mistyped_subcommand_gets_did_you_mean() {
    for (typed, meant) in [
        (&["lsit"][..], "list"),
        (&["serach", "signature"][..], "search"),
        (&["completion", "bash"][..], "completions"),
        (&["scna", "app.log"][..], "scan"),
    ] {
        errdecode()
            .args(typed)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!("did you mean '{meant}'?")));
    }
    errdecode().args(["lsit", "-46618"]).assert().success();
}

/// Issue 13: on a terminal, `errdecode -` (and `--file -`, and `scan` without a file)
/// says how to end a paste, then reads it until Ctrl-D, as `cat -` does. Run under
/// `script`, whose pseudo-terminal turns the Ctrl-D typed after the paste into the end
/// of input.
#[test]
fn a_paste_on_a_terminal_is_read_until_ctrl_d_after_a_hint() {
    use std::io::Write as _;
    use std::process::{Command as Std, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("errdecode");
    for args in ["--color never -", "--color never --file -"] {
        let mut child = Std::new("script")
            .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("script (util-linux) runs the pseudo-terminal");
        let mut typed = child.stdin.take().unwrap();
        typed.write_all(b"-46618\n").unwrap();
        // The line is read before Ctrl-D ends the input, as a person types it.
        std::thread::sleep(std::time::Duration::from_millis(300));
        typed.write_all(b"\x04").unwrap();
        // Closed, so that `script` ends the session even if errdecode waited on.
        drop(typed);
        let out = child.wait_with_output().unwrap();
        let screen = String::from_utf8_lossy(&out.stdout);
        assert!(screen.contains("then press Ctrl-D"), "{args}: {screen}");
        assert!(
            screen.contains("-46618 · Tencent Cloud CI"),
            "{args}: {screen}"
        );
    }
}

/// Issue 13: an EC's entry under a report whose code is the `<Code>` it came with says
/// so, and so does a match found by the message alone.
#[test]
fn each_match_says_what_found_it() {
    let json = |args: &[&str]| -> Value {
        let out = errdecode().arg("--json").args(args).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let dump = json(&["--file", "tests/fixtures/oss-curl-v-403-explicit-deny.txt"]);
    assert_eq!(dump["code"], "AccessDenied");
    assert_eq!(dump["matches"][0]["code"], "0003-00000201");
    assert_eq!(dump["matches"][0]["matched_by"], "ec");
    assert_eq!(dump["matches"][1]["matched_by"], "code");
    assert_eq!(
        json(&["MissingProjectName"])["matches"][0]["matched_by"],
        "template"
    );
    let by_message = json(&["The specified key does not exist."]);
    assert_eq!(by_message["code"], Value::Null);
    assert_eq!(by_message["matches"][0]["matched_by"], "message");
}
