//! Finding a code without having one: `list`, `search`, and the help, man page and
//! version that teach the tool. The binary runs in a hermetic environment, so a
//! developer's NO_COLOR or locale cannot change what is asserted.

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt as _;
use serde_json::Value;

use errdecode::catalog::ENTRIES;

fn errdecode() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_errdecode"));
    cmd.env_clear();
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = errdecode().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The first field of each tab-separated line.
fn codes(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect()
}

#[test]
fn list_prints_every_entry_as_four_tab_separated_fields() {
    let text = stdout_of(&["list"]);
    assert_eq!(text.lines().count(), ENTRIES.len());
    for (line, entry) in text.lines().zip(ENTRIES.iter()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let status = entry.status.map_or("-".to_owned(), |s| s.to_string());
        assert_eq!(
            fields,
            [entry.code(), entry.product.id(), &status, entry.meaning()]
        );
    }
}

#[test]
fn list_narrows_by_vendor_and_product() {
    let text = stdout_of(&["list", "--product", "imm"]);
    assert!(text.lines().all(|l| l.split('\t').nth(1) == Some("imm")));
    assert!(codes(&text).contains(&"InvalidTimeStampExpired"));

    let text = stdout_of(&["list", "--vendor", "tencent"]);
    let products: Vec<&str> = text.lines().filter_map(|l| l.split('\t').nth(1)).collect();
    assert!(products.contains(&"ci") && products.contains(&"cos") && products.contains(&"api"));
    assert!(products.iter().all(|p| ["ci", "cos", "api"].contains(p)));
}

#[test]
fn list_of_a_vendor_without_that_product_exits_1() {
    errdecode()
        .args(["list", "--vendor", "aliyun", "--product", "cos"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("--vendor and --product"));
}

#[test]
fn list_json_is_one_object_per_line_before_or_after_the_subcommand() {
    let after = stdout_of(&["list", "--product", "oss-img", "--json"]);
    let before = stdout_of(&["--json", "list", "--product", "oss-img"]);
    assert_eq!(after, before);
    let objects: Vec<Value> = after
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!objects.is_empty());
    for o in &objects {
        assert_eq!(o["vendor"], "aliyun");
        assert_eq!(o["product"], "oss-img");
        for key in [
            "section",
            "code",
            "http_status",
            "message",
            "meaning",
            "fix",
            "retryable",
            "source",
            "sent_with_code",
        ] {
            assert!(o.get(key).is_some(), "{key} missing from {o}");
        }
    }
}

#[test]
fn search_signature_expired_finds_each_products_code_code_hits_first() {
    let text = stdout_of(&["search", "signature", "expired"]);
    let found = codes(&text);
    assert_eq!(found.first(), Some(&"SignatureExpired"));
    for code in ["-46619", "SignatureExpired", "InvalidTimeStampExpired"] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }
}

#[test]
fn search_ignores_case_and_takes_negative_codes() {
    let text = stdout_of(&["search", "THROTTLING.API"]);
    assert_eq!(codes(&text).first(), Some(&"Throttling.Api"));
    let text = stdout_of(&["search", "-46619"]);
    assert_eq!(codes(&text), ["-46619"]);
}

#[test]
fn search_narrows_by_product_and_prints_json() {
    let text = stdout_of(&[
        "search",
        "--product",
        "cos",
        "--json",
        "signature",
        "expired",
    ]);
    let objects: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!objects.is_empty());
    assert!(objects.iter().all(|o| o["product"] == "cos"));
}

#[test]
fn search_without_a_match_exits_1_and_says_what_to_try() {
    errdecode()
        .args(["search", "signature", "zebra"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicates::str::contains("`zebra`").and(predicates::str::contains("errdecode list")),
        );
}

#[test]
fn search_needs_a_word() {
    errdecode().arg("search").assert().code(2);
}

#[test]
fn a_bare_code_still_decodes_beside_the_subcommands() {
    let text = stdout_of(&["--json", "-46618"]);
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["matches"][0]["code"], "-46618");
}

#[test]
fn help_shows_an_example_of_every_input_form() {
    let help = stdout_of(&["--help"]);
    for example in [
        "errdecode -46618",
        "errdecode AccessDenied",
        "errdecode 0003-00000201",
        "<Error><Code>",
        "{\"Code\":",
        "ErrorCode=MissingArgument",
        "curl -si URL | errdecode",
        "curl -sv URL 2>&1 | errdecode",
        "errdecode --file dump.txt",
        "errdecode list",
        "errdecode search signature expired",
        "errdecode completions zsh",
    ] {
        assert!(help.contains(example), "--help lacks {example:?}");
    }
}

#[test]
fn version_names_the_release() {
    errdecode()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("errdecode {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn man_page_is_roff_with_the_examples() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH errdecode 1"), "{page}");
    assert!(page.contains("errdecode search signature expired"));
}
