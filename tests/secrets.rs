//! No secret leaves errdecode whole (issue 15, section 2): in every mode (the table,
//! `--json`, `scan`, `scan --json`), in every part of a report (fields, details, the
//! `request` object, findings, alternatives) and on stderr (usage errors, the
//! no-match hint, `search`), a secret's tail never appears. Each secret below ends in
//! a tail that no masked form can show: a test fails as soon as one is printed.

mod common;

use assert_cmd::Command;

/// The binary in a hermetic environment: no colour or width settings leak in.
fn errdecode() -> Command {
    let mut cmd = Command::cargo_bin("errdecode").unwrap();
    for var in common::CALLER_SETTINGS {
        cmd.env_remove(var);
    }
    cmd
}

/// stdout and stderr of one run, as text.
fn run(args: &[&str], stdin: &str) -> (String, String) {
    let out = errdecode()
        .args(args)
        .write_stdin(stdin.to_owned())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// The ways a paste is decoded: the table, `--json`, and `scan` both ways.
const MODES: &[&[&str]] = &[
    &["--color", "never"],
    &["--json"],
    &["scan", "--color", "never"],
    &["scan", "--json"],
];

/// Decodes `paste` in `modes` and checks that no tail (nor its hex, for a secret
/// hidden in `StringToSignBytes`) shows on stdout or stderr. Returns each mode's stdout.
fn never_shown(paste: &str, modes: &[&[&str]], tails: &[&str]) -> Vec<String> {
    let mut outputs = Vec::new();
    for args in modes {
        let (stdout, stderr) = run(args, paste);
        for tail in tails {
            let hex: String = tail.bytes().map(|b| format!("{b:02x}")).collect();
            let spaced: Vec<String> = tail.bytes().map(|b| format!("{b:02x}")).collect();
            for shown in [&stdout, &stderr] {
                for form in [tail.to_string(), hex.clone(), spaced.join(" ")] {
                    assert!(
                        !shown
                            .to_ascii_lowercase()
                            .contains(&form.to_ascii_lowercase()),
                        "{form} shown by {args:?}:\n{shown}"
                    );
                }
            }
        }
        outputs.push(stdout);
    }
    outputs
}

/// `text` as OSS writes StringToSignBytes: each byte as two hex digits, spaced.
fn hex_bytes(text: &str) -> String {
    text.bytes()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

const STS_TOKEN: &str = "CAIS8gF1q6Ft5B2yfSjIr5bSAdXhpOxZ4KStokenTAILx7Qk";
const SIGNATURE: &str = "V1pOcuLeNt3gO8nGQk7sigTAILa2u9Xzj0=";
const KEY_ID: &str = "STS.NTQ7vXnbqQ8cRa6keyTAILb";

/// A `curl -v` dump of an OSS request signed with STS credentials: a signed URL,
/// the signature and token as headers, a cookie and a proxy's basic credentials; the
/// server echoes the string-to-sign as text and as hex bytes.
fn oss_curl_v_sts() -> String {
    let string_to_sign = format!(
        "GET\n\n\nTue, 14 Nov 2023 22:00:00 GMT\nx-oss-security-token:{STS_TOKEN}\n/examplebucket/report.pdf"
    );
    format!(
        "*   Trying 47.110.177.44:443...\n\
         * Connected to examplebucket.oss-cn-hangzhou.aliyuncs.com (47.110.177.44) port 443\n\
         > GET /report.pdf?OSSAccessKeyId={KEY_ID}&Expires=1700000000&Signature=V1pOcuLeNt3gO8nGQk7sigTAILa2u9Xzj0%3D&security-token={STS_TOKEN} HTTP/1.1\n\
         > Host: examplebucket.oss-cn-hangzhou.aliyuncs.com\n\
         > Authorization: OSS {KEY_ID}:{SIGNATURE}\n\
         > x-oss-security-token: {STS_TOKEN}\n\
         > Proxy-Authorization: Basic dXNlcjpwcm94eVBhc3N3b3JkVEFJTA==\n\
         > Cookie: session=cookieTAILvalue1; acw_tc=cookieTAILvalue2\n\
         > Date: Tue, 14 Nov 2023 22:00:00 GMT\n\
         >\n\
         < HTTP/1.1 403 Forbidden\n\
         < Server: AliyunOSS\n\
         < Date: Tue, 14 Nov 2023 22:31:10 GMT\n\
         < Content-Type: application/xml\n\
         < Set-Cookie: acw_tc=setcookieTAILvalue; path=/; HttpOnly\n\
         < x-oss-request-id: 6553F4DE8C4A2B3C1D0E1F20\n\
         < x-oss-ec: 0002-00000602\n\
         <\n\
         <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Error>\n\
         \x20 <Code>SignatureDoesNotMatch</Code>\n\
         \x20 <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\n\
         \x20 <RequestId>6553F4DE8C4A2B3C1D0E1F20</RequestId>\n\
         \x20 <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n\
         \x20 <OSSAccessKeyId>{KEY_ID}</OSSAccessKeyId>\n\
         \x20 <SignatureProvided>{SIGNATURE}</SignatureProvided>\n\
         \x20 <StringToSign>{string_to_sign}</StringToSign>\n\
         \x20 <StringToSignBytes>{}</StringToSignBytes>\n\
         \x20 <EC>0002-00000602</EC>\n\
         \x20 <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0002-00000602&amp;security-token={STS_TOKEN}</RecommendDoc>\n\
         </Error>\n",
        hex_bytes(&string_to_sign)
    )
}

const TAILS: &[&str] = &[
    "tokenTAIL",
    "sigTAIL",
    "keyTAIL",
    "cookieTAIL",
    "setcookieTAIL",
    "cHJveHlQYXNzd29yZFRBSUw",
    "proxyPassword",
];

#[test]
fn a_curl_v_oss_dump_with_an_sts_token_and_a_signed_url() {
    let outputs = never_shown(&oss_curl_v_sts(), MODES, TAILS);
    // Masked, not dropped: the prefixes and the diagnosis stay.
    assert!(outputs[0].contains("STS.NTQ7…[masked]"), "{}", outputs[0]);
    assert!(
        outputs[0].contains("SignatureDoesNotMatch"),
        "{}",
        outputs[0]
    );
    let v: serde_json::Value = serde_json::from_str(&outputs[1]).unwrap();
    let kinds = finding_kinds(&v);
    for kind in ["clock-skew", "signature-window", "string-to-sign", "ec"] {
        assert!(kinds.contains(&kind), "{kind} lost: {kinds:?}");
    }
    let target = v["request"]["target"].as_str().unwrap();
    assert!(target.contains("Expires=1700000000"), "{target}");
    let masked: Vec<&str> = v["masked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(masked.contains(&"StringToSignBytes"), "{masked:?}");
    // The string-to-sign stays readable line by line, with the token masked.
    let shown = v["details"]["StringToSign"].as_str().unwrap();
    assert!(
        shown.contains("x-oss-security-token:CAIS…[masked]\n/examplebucket/report.pdf"),
        "{shown}"
    );
}

#[test]
fn a_cos_authorization_header_keeps_its_signing_window_readable() {
    let dump = "> GET /a.jpg HTTP/1.1\n\
        > Host: b-1250000000.cos.ap-guangzhou.myqcloud.com\n\
        > Authorization: q-sign-algorithm=sha1&q-ak=AKIDz8krbsJ5yKBZQpn74WFkmLPx3akTAILx&q-sign-time=1700000000;1700000600&q-key-time=1700000000;1700000600&q-header-list=host&q-url-param-list=&q-signature=2f8d5e7a9c1b3d4e6f70sigTAIL81a2b3c4d5e6f\n\
        > x-cos-security-token: tokenTAILcosAbcdefghijklmnopqrstuvwxyz\n\
        < HTTP/1.1 403 Forbidden\n\
        < Server: tencent-cos\n\
        < Date: Tue, 14 Nov 2023 23:13:20 GMT\n\
        < x-cos-request-id: NjU1NDAwMDBfYTFiMmMzZDRfZTVmNl8xMjM0\n\
        <\n\
        <Error><Code>AccessDenied</Code><Message>Request has expired</Message><Resource>b-1250000000.cos.ap-guangzhou.myqcloud.com/a.jpg</Resource><RequestId>NjU1NDAwMDBfYTFiMmMzZDRfZTVmNl8xMjM0</RequestId></Error>";
    let outputs = never_shown(dump, MODES, &["akTAIL", "sigTAIL", "tokenTAIL"]);
    let v: serde_json::Value = serde_json::from_str(&outputs[1]).unwrap();
    let window = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "signature-window")
        .unwrap_or_else(|| panic!("the signing window is no longer read: {v}"));
    assert!(
        window["text"]
            .as_str()
            .unwrap()
            .contains("valid until 2023-11-14 22:23:20 UTC")
    );
}

#[test]
fn an_oss2_dict_with_a_security_token() {
    let log = "oss2.exceptions.InvalidAccessKeyId: {'status': 403, 'x-oss-request-id': '5C3D9175B6FC201293AD4A1B', 'details': {'Code': 'InvalidAccessKeyId', 'Message': 'The OSS Access Key Id you provided does not exist in our records.', 'RequestId': '5C3D9175B6FC201293AD4A1B', 'HostId': 'b.oss-cn-hangzhou.aliyuncs.com', 'OSSAccessKeyId': 'STS.NUgYrLnoC37keyTAILw', 'SecurityToken': 'CAIS+AF1q6Ft5B2yfSjIr5tokenTAILGc8Km', 'EC': '0002-00000902'}}";
    never_shown(log, MODES, &["keyTAIL", "tokenTAIL"]);
}

#[test]
fn json_quoted_credentials_inside_a_message() {
    let body = r#"<Error><Code>InvalidArgument</Code><Message>config rejected: {"AccessKeyId":"LTAI5tQ9keyTAILzz","AccessKeySecret":"yB3secretTAILqq","SecurityToken":"CAIS9tokenTAILpp"}</Message><RequestId>5C3D9175B6FC201293AD4A1B</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>"#;
    never_shown(body, MODES, &["keyTAIL", "secretTAIL", "tokenTAIL"]);
    // The same object escaped inside a JSON string, as a log line writes it.
    let line = r#"{"level":"error","msg":"oss: ErrorCode=AccessDenied creds={\"AccessKeySecret\":\"yB3secretTAILqq\",\"SecurityToken\":\"CAIS9tokenTAILpp\"}"}"#;
    never_shown(line, &MODES[..2], &["secretTAIL", "tokenTAIL"]);
}

/// A paste that starts with `<` or `{` still loses its terminal colours before it is
/// read (issue 15, section 3): a coloured key cannot hide a secret from the masker,
/// and no escape sequence survives into a value.
#[test]
fn coloured_keys_in_json_and_xml_bodies() {
    let json = "{\"Code\":\"\u{1b}[31mAccessDenied\u{1b}[0m\",\"RequestId\":\"5C3D9175B6FC201293AD4A1B\",\"\u{1b}[1mAccessKeySecret\u{1b}[0m\":\"yB3secretTAILqq\"}";
    let xml = "<Error><Code>\u{1b}[31mNoSuchKey\u{1b}[0m</Code><\u{1b}[1mSecurityToken\u{1b}[0m>CAIS9tokenTAILpp</SecurityToken><RequestId>5C3D9175B6FC201293AD4A1B</RequestId></Error>";
    for (paste, code) in [(json, "AccessDenied"), (xml, "NoSuchKey")] {
        for out in never_shown(paste, MODES, &["secretTAIL", "tokenTAIL"]) {
            assert!(!out.contains('\u{1b}'), "{out:?}");
            assert!(out.contains(code), "{out}");
        }
    }
}

#[test]
fn secrets_in_free_text_whatever_the_quoting_spacing_or_encoding() {
    for text in [
        r#"Signature="abcdsigTAILxyz""#,
        "security-token='CAIStokenTAILxyz'",
        "Signature = abcdsigTAILxyz",
        "token : CAIStokenTAILxyz",
        "x-oss-security-token:\tCAIStokenTAILxyz",
        "x-oss-security-token\t: CAIStokenTAILxyz",
        "callback=https%3A%2F%2Fb.oss-cn-hangzhou.aliyuncs.com%2Fa.jpg%3FExpires%3D1700000000%26Signature%3DabcdsigTAIL%252Bxyz%26security-token%3DCAIStokenTAIL",
        "url=%3FOSSAccessKeyId%3DLTAI5tQ9keyTAIL%26Expires%3D1",
        "header Authorization=OSS%20LTAI5tQ9keyTAIL:abcdsigTAILxyz",
        "Proxy-Authorization: Basic dXNlcjpwcm94eVBhc3N3b3JkVEFJTA==",
        "Cookie: session=cookieTAILvalue; other=cookieTAILtwo",
        "Signature=//abcdsigTAIL+xyz",
        "fetch https://admin:passwordTAILxyz@b.oss-cn-hangzhou.aliyuncs.com/a.jpg",
        "Password: passwordTAILxyz",
        "\"Password\": \"passwordTAILxyz\"",
    ] {
        let body = format!(
            "<Error><Code>AccessDenied</Code><Message>denied: {text} end</Message><RequestId>5C3D9175B6FC201293AD4A1B</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>"
        );
        never_shown(
            &body,
            &MODES[..2],
            &[
                "sigTAIL",
                "tokenTAIL",
                "keyTAIL",
                "cookieTAIL",
                "passwordTAIL",
                "cHJveHlQYXNzd29yZFRBSUw",
            ],
        );
    }
}

#[test]
fn credential_names_of_every_vendor() {
    // An STS answer of each vendor, and AWS's configuration names.
    let tencent = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"Credentials":{"Token":"tokenTAILtencent0001","TmpSecretId":"AKIDtmpkeyTAIL0001","TmpSecretKey":"secretTAILtencent01"},"RequestId":"6a7d5b2c-1f3e-4d5a-9b8c-7e6f5d4c3b2a"}}"#;
    let aliyun = r#"{"Code":"InvalidSecurityToken.Expired","Message":"expired","RequestId":"7E2B6F1A-3C4D-5E6F-7A8B-9C0D1E2F3A4B","Credentials":{"AccessKeyId":"STS.keyTAILaliyun01","AccessKeySecret":"secretTAILaliyun01","SecurityToken":"CAIStokenTAILaliyun","Expiration":"2024-01-01T00:00:00Z"}}"#;
    let aws = "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied aws_access_key_id=AKIAIOSFODNN7keyTAIL aws_secret_access_key=wJalrXUtnFEMIsecretTAILbPxRfiCY SessionToken=FwoGZXIvYXdzEtokenTAILabc x-amz-security-token: FwoGZXIvYXdzEtokenTAILdef";
    let v4 = "> GET /a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7keyTAIL%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=aa11bb22sigTAILcc33 HTTP/1.1\n> Host: b.s3.amazonaws.com\n> Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7keyTAIL/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77dsigTAIL2b6b7\n< HTTP/1.1 403 Forbidden\n< x-amz-request-id: 4442587FB7D0A2F9\n<\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><AWSAccessKeyId>AKIAIOSFODNN7keyTAIL</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n20240101T000000Z</StringToSign><SignatureProvided>fe5f80f77dsigTAIL2b6b7</SignatureProvided><RequestId>4442587FB7D0A2F9</RequestId></Error>";
    for paste in [tencent, aliyun, aws, v4] {
        never_shown(
            paste,
            MODES,
            &["tokenTAIL", "keyTAIL", "secretTAIL", "sigTAIL"],
        );
    }
    // A V4 credential keeps what is not secret: its scope.
    let (stdout, _) = run(&["--json"], v4);
    assert!(
        stdout.contains("X-Amz-Credential=AKIAIOSF…[masked]%2F20240101%2Fus-east-1"),
        "{stdout}"
    );
}

#[test]
fn findings_show_values_only_masked() {
    // Each finding quotes a value of the input: the EC's RecommendDoc, the Endpoint,
    // the AccessDeniedDetail's principal.
    let body = "<Error><Code>AccessDenied</Code><Message>You are denied by bucket policy.</Message><RequestId>5C3D9175B6FC201293AD4A1B</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><Endpoint>oss-cn-beijing.aliyuncs.com?security-token=CAIStokenTAILend</Endpoint><AccessDeniedDetail><AuthAction>oss:GetObject</AuthAction><AuthPrincipalType>SubUser</AuthPrincipalType><AuthPrincipalDisplayName>token=CAIStokenTAILwho</AuthPrincipalDisplayName><NoPermissionType>ExplicitDeny</NoPermissionType></AccessDeniedDetail><EC>0003-00000301</EC><RecommendDoc>https://api.aliyun.com/troubleshoot?q=0003-00000301&amp;Signature=abcdsigTAILdoc</RecommendDoc></Error>";
    let outputs = never_shown(body, MODES, &["tokenTAIL", "sigTAIL"]);
    let v: serde_json::Value = serde_json::from_str(&outputs[1]).unwrap();
    let kinds = finding_kinds(&v);
    for kind in ["access-denied", "endpoint", "ec"] {
        assert!(kinds.contains(&kind), "{kind} lost: {kinds:?}");
    }
}

#[test]
fn alternatives_show_values_only_masked() {
    // Two messages: the one that loses is an alternative, and carries a token.
    let body = "oss: ErrorCode: AccessDenied\nMessage: Access Denied\nErrorMessage: retry with security-token=CAIStokenTAILalt failed\nRequestId: 5C3D9175B6FC201293AD4A1B\n";
    let outputs = never_shown(body, &MODES[..2], &["tokenTAIL"]);
    let v: serde_json::Value = serde_json::from_str(&outputs[1]).unwrap();
    let alternatives = v["alternatives"].as_array().unwrap();
    assert!(
        alternatives.iter().any(|a| a["value"]
            .as_str()
            .unwrap()
            .contains("security-token=CAIS…[masked]")),
        "{v}"
    );
}

#[test]
fn stderr_never_quotes_a_secret() {
    // The no-match hint quotes the code.
    let (_, stderr) = run(&["ErrorCode=Signature=abcdsigTAILxyz"], "");
    assert!(!stderr.contains("sigTAIL"), "{stderr}");
    assert!(stderr.contains("no catalog entry"), "{stderr}");
    // A usage error quotes the argument.
    for args in [
        &["--vendor", "x-oss-security-token:CAIStokenTAILxyz"][..],
        &["--product", "Signature=abcdsigTAILxyz"],
    ] {
        let (_, stderr) = run(args, "");
        assert!(
            !stderr.contains("tokenTAIL") && !stderr.contains("sigTAIL"),
            "{stderr}"
        );
        assert!(stderr.contains("invalid value"), "{stderr}");
    }
    // `search` quotes the words it could not find.
    let (_, stderr) = run(&["search", "security-token=CAIStokenTAILxyz"], "");
    assert!(!stderr.contains("tokenTAIL"), "{stderr}");
}

/// The kinds of the findings of a `--json` report.
fn finding_kinds(v: &serde_json::Value) -> Vec<&str> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect()
}
