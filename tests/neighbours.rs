//! The neighbours (issue 11): AWS S3, Alibaba Cloud OpenAPI and STS, Tencent Cloud API
//! 3.0 and its STS. Each is recognised from real pastes, and the pastes of the products
//! they border on (OSS, COS, CI, IMM) are not taken for it: both ways, item by item.
//! The pastes are those of `tests/fixtures/real/` (their headers name each source).
//!
//! | neighbour | recognised from | not taken for it |
//! |---|---|---|
//! | AWS S3 | an S3 body with S3's HostId (`aws-s3-allaccessdisabled-hostid-multiline`); Ruby's wire trace (`aws-s3-ruby-wire-trace-accessdenied`) | OSS through botocore and aws-sdk-go-v2 (`aliyun-oss-botocore-clienterror-seconddomainforbidden`, `aliyun-oss-s3-gov2-seconddomainforbidden`); COS through the AWS Java SDK (`tencent-cos-aws-java-sdk-zfile-nosuchbucket`); MinIO, named as the sender with S3's meaning (`minio-py-s3error-accessdenied`) |
//! | Alibaba Cloud OpenAPI | ECS's JSON error, service `ecs` (`aliyun-openapi-ecs-json-invalidimageid-notfound`); Alibaba DNS's, service `alidns` (`aliyun-openapi-alidns-signature-json-in-bytes`); a bare gateway host (`ecs.aliyuncs.com`, `ecs-cn-hangzhou.aliyuncs.com`) | IMM's JSON error on IMM's endpoint (`aliyun-imm-json-invalidargument-projectname`); OSS endpoints under the same suffix (`aliyun-oss-ossutil-accessdenied-endpoint`, `oss-cn-hangzhou.aliyuncs.com`, `bucket.oss-cn-hangzhou.aliyuncs.com`, `imm.cn-hangzhou.aliyuncs.com`) |
//! | Alibaba Cloud STS | AssumeRole's `NoPermission` (`aliyun-sts-ali-oss-example-nopermission`) | OSS called with STS keys (`aliyun-oss-flutter-log-sts-invalidaccesskeyid-ec`) |
//! | Tencent Cloud API 3.0 | `{"Response":{"Error":...}}` from DNSPod and CLB (`tencent-api-dnspod-ddns-openwrt-response-json`, `tencent-api-terraform-clb-response-error-json`); the same shape from `ci.tencentcloudapi.com`, service `ci`, never CI's XML catalog | COS (`tencent-cos-nodejs-sdk-error-json-headers`, `tencent-cos-php-sdk-invalidaccesskeyid`); CI (`tencent-ci-media-processing-not-activated`) |
//! | Tencent Cloud STS | GetTempKeys' error JSON (`tencent-sts-php-uncaught-exception-json`), an API 3.0 error | COS reached with STS keys (`tencent-cos-cloudbase-node-comment-invalidaccesskeyid`) |
//!
//! And the new products work everywhere a product does: `list`, `search`, completion,
//! `--vendor aws`, `--product s3|openapi|sts|api`.

use std::fs;

use assert_cmd::Command;
use serde_json::Value;

fn errdecode() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_errdecode"));
    cmd.env_clear();
    cmd
}

/// The paste of a real fixture: what follows its header's `-----` line.
fn paste(name: &str) -> String {
    let raw = fs::read_to_string(format!("tests/fixtures/real/{name}.txt")).unwrap();
    raw.split_once("\n-----\n").unwrap().1.to_owned()
}

fn decode(text: &str, args: &[&str]) -> Value {
    let out = errdecode()
        .args(["--json"])
        .args(args)
        .write_stdin(text)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (vendor, product, service, foreign sender) as `--json` reports them.
fn sender(v: &Value) -> (Option<&str>, Option<&str>, Option<&str>, Option<&str>) {
    (
        v["vendor"].as_str(),
        v["product"].as_str(),
        v["service"].as_str(),
        v["foreign_vendor"].as_str(),
    )
}

fn match_products(v: &Value) -> Vec<&str> {
    v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["product"].as_str().unwrap())
        .collect()
}

fn of_real(name: &str) -> Value {
    decode(&paste(name), &[])
}

// ---- AWS S3 ----------------------------------------------------------------------

#[test]
fn s3_is_recognised_from_real_s3_pastes() {
    for name in [
        "aws-s3-allaccessdisabled-hostid-multiline",
        "aws-s3-ruby-wire-trace-accessdenied",
    ] {
        let v = of_real(name);
        assert_eq!(sender(&v), (Some("aws"), Some("s3"), None, None), "{name}");
        assert_eq!(match_products(&v), ["s3"], "{name}");
    }
}

#[test]
fn oss_and_cos_through_an_aws_sdk_are_not_s3() {
    for (name, vendor, product) in [
        (
            "aliyun-oss-botocore-clienterror-seconddomainforbidden",
            "aliyun",
            "oss",
        ),
        ("aliyun-oss-s3-gov2-seconddomainforbidden", "aliyun", "oss"),
        (
            "tencent-cos-aws-java-sdk-zfile-nosuchbucket",
            "tencent",
            "cos",
        ),
    ] {
        let v = of_real(name);
        assert_eq!(
            sender(&v),
            (Some(vendor), Some(product), None, None),
            "{name}"
        );
        assert!(!match_products(&v).contains(&"s3"), "{name}");
    }
}

#[test]
fn an_s3_compatible_store_is_its_own_sender_with_s3s_meaning() {
    let v = of_real("minio-py-s3error-accessdenied");
    assert_eq!(sender(&v), (None, None, None, Some("minio")));
    assert_eq!(match_products(&v), ["s3"]);
}

// ---- Alibaba Cloud OpenAPI and STS -----------------------------------------------

#[test]
fn openapi_is_recognised_and_names_its_service() {
    for (name, service) in [
        ("aliyun-openapi-ecs-json-invalidimageid-notfound", "ecs"),
        ("aliyun-openapi-alidns-signature-json-in-bytes", "alidns"),
    ] {
        let v = of_real(name);
        assert_eq!(
            sender(&v),
            (Some("aliyun"), Some("openapi"), Some(service), None),
            "{name}"
        );
    }
}

#[test]
fn imm_and_oss_pastes_are_not_openapi() {
    let v = of_real("aliyun-imm-json-invalidargument-projectname");
    assert_eq!(sender(&v), (Some("aliyun"), Some("imm"), None, None));
    assert_eq!(match_products(&v), ["imm"]);
    let v = of_real("aliyun-oss-ossutil-accessdenied-endpoint");
    assert_eq!(sender(&v), (Some("aliyun"), Some("oss"), None, None));
    assert!(!match_products(&v).contains(&"openapi"));
}

/// A gateway code from a host under `aliyuncs.com`: `InvalidAccessKeyId.NotFound` is
/// the gateway's, and IMM lists it too.
fn from_host(host: &str) -> Value {
    decode(
        &format!(
            "POST / HTTP/1.1\r\nHost: {host}\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n\
             {{\"Code\":\"InvalidAccessKeyId.NotFound\",\"Message\":\"Specified access key is not found.\"}}"
        ),
        &[],
    )
}

#[test]
fn a_gateway_host_no_product_claims_is_openapis() {
    for (host, service) in [
        ("ecs.aliyuncs.com", "ecs"),
        ("ecs-cn-hangzhou.aliyuncs.com", "ecs"),
        ("ecs.cn-hangzhou.aliyuncs.com", "ecs"),
        ("alidns.aliyuncs.com", "alidns"),
    ] {
        let v = from_host(host);
        assert_eq!(
            sender(&v),
            (Some("aliyun"), Some("openapi"), Some(service), None),
            "{host}"
        );
        assert_eq!(match_products(&v), ["openapi"], "{host}");
    }
}

#[test]
fn oss_imm_and_sts_hosts_under_the_gateway_suffix_keep_their_product() {
    for (host, product) in [
        ("oss-cn-hangzhou.aliyuncs.com", "oss"),
        ("bucket.oss-cn-hangzhou.aliyuncs.com", "oss"),
        ("imm.cn-hangzhou.aliyuncs.com", "imm"),
        ("sts.aliyuncs.com", "sts"),
    ] {
        let v = from_host(host);
        assert_eq!(v["product"], product, "{host}");
        assert_eq!(v["service"], Value::Null, "{host}");
    }
    // botocore against OSS's endpoint (tests/fixtures/pastes): OSS, not the gateway.
    let text = fs::read_to_string("tests/fixtures/pastes/awscli-retries.txt").unwrap();
    let v = decode(&text, &[]);
    assert_eq!(sender(&v), (Some("aliyun"), Some("oss"), None, None));
}

#[test]
fn sts_is_recognised_and_oss_with_sts_keys_is_oss() {
    let v = of_real("aliyun-sts-ali-oss-example-nopermission");
    assert_eq!(sender(&v), (Some("aliyun"), Some("sts"), None, None));
    assert_eq!(match_products(&v), ["sts"]);
    let v = of_real("aliyun-oss-flutter-log-sts-invalidaccesskeyid-ec");
    assert_eq!(sender(&v), (Some("aliyun"), Some("oss"), None, None));
    assert!(!match_products(&v).contains(&"sts"));
}

// ---- Tencent Cloud API 3.0 and STS -----------------------------------------------

#[test]
fn api_3_0_is_recognised_from_its_response_shape() {
    for name in [
        "tencent-api-dnspod-ddns-openwrt-response-json",
        "tencent-api-terraform-clb-response-error-json",
        "tencent-sts-php-uncaught-exception-json",
    ] {
        let v = of_real(name);
        assert_eq!(
            (v["vendor"].as_str(), v["product"].as_str()),
            (Some("tencent"), Some("api")),
            "{name}"
        );
        assert_eq!(match_products(&v), ["api"], "{name}");
    }
}

#[test]
fn cos_and_ci_pastes_are_not_api_3_0() {
    for (name, product) in [
        ("tencent-cos-nodejs-sdk-error-json-headers", "cos"),
        ("tencent-cos-php-sdk-invalidaccesskeyid", "cos"),
        (
            "tencent-cos-cloudbase-node-comment-invalidaccesskeyid",
            "cos",
        ),
        ("tencent-ci-media-processing-not-activated", "ci"),
    ] {
        let v = of_real(name);
        assert_eq!(
            sender(&v),
            (Some("tencent"), Some(product), None, None),
            "{name}"
        );
        assert!(!match_products(&v).contains(&"api"), "{name}");
    }
}

/// API 3.0 answers in JSON only: a query-protocol `<ErrorResponse>` body is evidence
/// against it, which outweighs a code that only its catalog has (a Kingsoft Cloud API
/// error with a lower-case UUID request id, as API 3.0's are).
#[test]
fn an_error_response_xml_body_is_not_api_3_0() {
    let v = of_real("other-ksyun-billing-api-xml-errorresponse-lowercase-code");
    assert_eq!(v["code"], "InvalidParameterValue");
    assert_eq!(sender(&v), (None, None, None, None));
    // Its meaning is still shown, as one the code could have.
    assert_eq!(match_products(&v), ["api"]);
}

/// Cloud Infinite has no API 3.0 product of its own (tencentcloud-sdk-python's
/// products.md lists none): an API 3.0 error from `ci.tencentcloudapi.com` is the
/// gateway's common error, service `ci`, and never one of CI's XML codes.
#[test]
fn an_api_3_0_error_from_ci_tencentcloudapi_com_is_the_gateways() {
    let text = "POST / HTTP/1.1\r\nHost: ci.tencentcloudapi.com\r\n\r\n\
                HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n\
                {\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\",\"Message\":\"The provided credentials could not be validated. Please check your signature is correct.\"},\"RequestId\":\"ed93f3cb-f35e-473f-b9f3-0d451b8b79c6\"}}";
    let v = decode(text, &[]);
    assert_eq!(sender(&v), (Some("tencent"), Some("api"), Some("ci"), None));
    assert_eq!(match_products(&v), ["api"]);
    // CI's own hosts stay CI's.
    let v = decode(
        "GET /a.jpg?imageMogr2/thumbnail/100x HTTP/1.1\r\nHost: b-1250000000.cos.ap-beijing.myqcloud.com\r\n\r\n\
         HTTP/1.1 403 Forbidden\r\nServer: tencent-ci\r\n\r\n<Error><Code>AccessDenied</Code></Error>",
        &[],
    );
    assert_eq!(v["product"], "ci");
    assert_eq!(v["service"], Value::Null);
}

// ---- list, search, completion and the scope flags ---------------------------------

fn lines_of(args: &[&str]) -> Vec<String> {
    let out = errdecode().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn list_and_search_know_the_neighbours() {
    for (args, product, code) in [
        (&["list", "--product", "s3"][..], "s3", "NoSuchBucket"),
        (&["list", "--vendor", "aws"][..], "s3", "SlowDown"),
        (
            &["list", "--product", "openapi"][..],
            "openapi",
            "SignatureDoesNotMatch",
        ),
        (&["list", "--product", "sts"][..], "sts", "NoPermission"),
        (
            &["list", "--product", "api"][..],
            "api",
            "AuthFailure.SignatureFailure",
        ),
        (
            &["search", "--product", "api", "signature"][..],
            "api",
            "AuthFailure.SignatureFailure",
        ),
        (
            &["search", "--vendor", "aws", "bucket"][..],
            "s3",
            "NoSuchBucket",
        ),
    ] {
        let lines = lines_of(args);
        assert!(!lines.is_empty(), "{args:?}");
        for line in &lines {
            assert_eq!(line.split('\t').nth(1), Some(product), "{args:?}: {line}");
        }
        assert!(
            lines.iter().any(|l| l.split('\t').next() == Some(code)),
            "{args:?} lacks {code}"
        );
    }
}

#[test]
fn the_scope_flags_pick_a_neighbours_meaning() {
    // SignatureDoesNotMatch is OSS's, COS's, IMM's, the gateway's and S3's.
    for (args, product) in [
        (&["SignatureDoesNotMatch", "--product", "s3"][..], "s3"),
        (&["SignatureDoesNotMatch", "--vendor", "aws"][..], "s3"),
        (
            &["SignatureDoesNotMatch", "--product", "OpenAPI"][..],
            "openapi",
        ),
        (&["NoPermission", "--product", "sts"][..], "sts"),
        (
            &["AuthFailure.SecretIdNotFound", "--product", "api"][..],
            "api",
        ),
        (&["AccessDenied", "--vendor", "aws"][..], "s3"),
    ] {
        let v = decode("", args);
        assert_eq!(match_products(&v), [product], "{args:?}");
    }
}

/// The candidates the binary offers on a TAB, as the fish script asks for them.
fn completions(words: &[&str]) -> Vec<String> {
    let out = errdecode()
        .env("ERRDECODE_COMPLETE", "fish")
        .arg("--")
        .args(words)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect()
}

#[test]
fn completion_offers_the_neighbours_products_vendor_and_codes() {
    let products = completions(&["errdecode", "--product", ""]);
    for product in ["s3", "openapi", "sts", "api"] {
        assert!(
            products.iter().any(|p| p == product),
            "{product}: {products:?}"
        );
    }
    assert!(completions(&["errdecode", "--vendor", ""]).contains(&"aws".to_owned()));
    assert_eq!(
        completions(&["errdecode", "AuthFailure.Signature"]),
        [
            "AuthFailure.SignatureExpire",
            "AuthFailure.SignatureFailure"
        ]
    );
    assert!(
        completions(&["errdecode", "InvalidAccessKeyId.N"])
            .contains(&"InvalidAccessKeyId.NotFound".to_owned())
    );
}
