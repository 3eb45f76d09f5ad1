//! Golden files for the rendered table, reviewed like code. After an intended change
//! to the output, regenerate them with `ERRDECODE_BLESS=1 cargo test --test rendered`
//! and review the diff.

use std::path::Path;

use assert_cmd::Command;

fn check(name: &str, args: &[&str]) {
    let out = Command::cargo_bin("errdecode")
        .unwrap()
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .arg("--color")
        .arg("never")
        .args(args)
        .output()
        .unwrap();
    let actual = String::from_utf8(out.stdout).unwrap();
    let path = Path::new("tests/rendered").join(format!("{name}.txt"));
    if std::env::var_os("ERRDECODE_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with ERRDECODE_BLESS=1 to create)",
            path.display()
        )
    });
    assert!(
        actual == expected,
        "{} differs from the output:\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

#[test]
fn bare_negative_code() {
    check("code-46618", &["-46618"]);
}

#[test]
fn ambiguous_code() {
    check("code-AccessDenied", &["AccessDenied"]);
}

#[test]
fn oss_curl_v_with_ec_and_detail() {
    check(
        "oss-curl-v-403",
        &["--file", "tests/fixtures/oss-curl-v-403-explicit-deny.txt"],
    );
}

#[test]
fn imm_near_miss() {
    check(
        "imm-signature",
        &["--file", "tests/fixtures/imm-signature.json"],
    );
}

#[test]
fn s3_look_alike() {
    check("s3-404", &["--file", "tests/fixtures/s3-curl-i-404.txt"]);
}

#[test]
fn ambiguous_code_every_block() {
    check("code-AccessDenied-all", &["--all", "AccessDenied"]);
}

#[test]
fn short_lines() {
    check(
        "short-AccessDenied",
        &["--short", "AccessDenied", "-46618", "403"],
    );
}
