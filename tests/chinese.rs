//! Chinese input and output (issue 16), on real pastes: GBK bytes, Chinese labels,
//! the locale's choice of language, search in Chinese and usage errors.

use assert_cmd::Command;
use serde_json::Value;

/// errdecode with no locale or colour setting of the caller's.
fn errdecode() -> Command {
    let mut cmd = Command::cargo_bin("errdecode").unwrap();
    for var in ["LC_ALL", "LC_MESSAGES", "LANG", "COLUMNS", "NO_COLOR"] {
        cmd.env_remove(var);
    }
    cmd
}

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_gbk_paste_is_read_as_gb18030_and_says_so() {
    let report = json_of(errdecode().args(["--file", "tests/fixtures/zh/tccli-secretid.gbk.txt"]));
    assert_eq!(report["code"], "AuthFailure.SecretIdNotFound");
    // The server's Chinese message, exactly, and the catalog's literal agrees.
    assert_eq!(report["message"], "SecretId不存在，请输入正确的密钥。");
    assert_eq!(report["matches"][0]["message_agrees"], true);
    assert_eq!(report["request_id"], "31b8f548-d924-4e13-bbcc-2222238a9f23");
    assert_eq!(report["repairs"][0], "gb18030");
    // The table says so under the headline, in either language.
    let table = errdecode()
        .args([
            "--lang",
            "zh",
            "--file",
            "tests/fixtures/zh/tccli-secretid.gbk.txt",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().contains("GB18030"), "{text}");
}

#[test]
fn chinese_labels_are_fields_and_a_look_alike_stays_unclaimed() {
    let mut cmd = errdecode();
    cmd.args(["--file", "tests/fixtures/zh/fastdfs-labels.txt"]);
    let report = json_of(&mut cmd);
    assert_eq!(report["code"], "22");
    assert_eq!(report["message"], "无效的参数");
    assert_eq!(report["vendor"], Value::Null);
    errdecode()
        .args(["--file", "tests/fixtures/zh/fastdfs-labels.txt"])
        .assert()
        .code(1);
}

#[test]
fn the_locale_chooses_the_language_and_lang_overrides_it() {
    let meaning = |cmd: &mut Command| {
        let report = json_of(cmd.arg("-46618"));
        (
            report["lang"].as_str().unwrap().to_owned(),
            report["matches"][0]["meaning"].as_str().unwrap().to_owned(),
        )
    };
    let (lang, text) = meaning(errdecode().env("LANG", "zh_CN.UTF-8"));
    assert_eq!(lang, "zh");
    assert!(has_chinese(&text), "{text}");
    let (lang, text) = meaning(
        errdecode()
            .env("LANG", "zh_CN.UTF-8")
            .args(["--lang", "en"]),
    );
    assert_eq!(lang, "en");
    assert!(!has_chinese(&text), "{text}");
    // LC_ALL outranks LANG, as POSIX orders them.
    let (lang, _) = meaning(errdecode().env("LANG", "zh_CN.UTF-8").env("LC_ALL", "C"));
    assert_eq!(lang, "en");
    let (lang, _) = meaning(errdecode().env("LC_MESSAGES", "zh_TW.UTF-8"));
    assert_eq!(lang, "zh");
}

#[test]
fn search_finds_chinese_words_by_substring() {
    let out = errdecode()
        .env("LANG", "zh_CN.UTF-8")
        .args(["search", "签名", "过期"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for code in ["-46619", "SignatureExpired", "AuthFailure.SignatureExpire"] {
        assert!(
            text.lines().any(|l| l.split('\t').next() == Some(code)),
            "{code} missing:\n{text}"
        );
    }
    // Each line's meaning is the Chinese one.
    assert!(
        text.lines()
            .all(|l| has_chinese(l.rsplit('\t').next().unwrap()))
    );
}

#[test]
fn usage_errors_speak_the_language_on_one_line() {
    let out = errdecode()
        .env("LANG", "zh_CN.UTF-8")
        .args(["--colr", "never", "-46618"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = String::from_utf8(out.stderr).unwrap();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(has_chinese(&line) && line.contains("--color"), "{line}");
}

#[test]
fn a_chinese_sentence_without_a_code_suggests_the_codes_that_say_it() {
    let mut cmd = errdecode();
    cmd.arg("签名不匹配");
    let report = json_of(&mut cmd);
    assert_eq!(report["code"], Value::Null);
    let suggested = report["suggestions"].as_array().unwrap();
    assert!(
        !suggested.is_empty() && suggested.len() <= 5,
        "{suggested:?}"
    );
    let out = errdecode().arg("签名不匹配").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("errdecode search"));
}

#[test]
fn help_is_chinese_headings_included() {
    for args in [&["--help"][..], &["search", "--help"][..], &["-h"][..]] {
        let out = errdecode()
            .env("LANG", "zh_CN.UTF-8")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let help = String::from_utf8(out.stdout).unwrap();
        for heading in ["用法：", "选项:", "显示帮助"] {
            assert!(help.contains(heading), "{args:?} lacks {heading}:\n{help}");
        }
        for english in ["Usage:", "Options:", "Print help"] {
            assert!(!help.contains(english), "{args:?} still says {english}");
        }
    }
    errdecode()
        .env("LANG", "zh_CN.UTF-8")
        .arg("--version")
        .assert()
        .success()
        .stdout(predicates::str::starts_with("errdecode "));
}
