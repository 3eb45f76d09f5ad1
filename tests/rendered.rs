//! Golden files for the rendered table, reviewed like code. After an intended change
//! to the output, regenerate them with `ERRDECODE_BLESS=1 cargo test --test rendered`
//! and review the diff.

use std::path::Path;

use assert_cmd::Command;

fn check(name: &str, args: &[&str]) {
    let actual = run(args);
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

// --- Screens at every width ---

/// The widths every screen is checked at, from a split tmux pane to a wide monitor.
const WIDTHS: [usize; 5] = [40, 60, 80, 100, 200];

/// The scan screen's log: three errors of three senders.
const SCAN_LOG: [&str; 3] = [
    "tests/fixtures/oss-403-request-time-too-skewed.xml",
    "tests/fixtures/sdk-cos-go.txt",
    "tests/fixtures/oss-curl-v-403-explicit-deny.txt",
];

/// (golden name, arguments) of every screen checked at every width.
fn screens() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut scan = vec!["scan"];
    scan.extend(SCAN_LOG);
    vec![
        ("ambiguous", vec!["AccessDenied"]),
        (
            "oss-curl-v",
            vec!["--file", "tests/fixtures/oss-curl-v-403-explicit-deny.txt"],
        ),
        (
            "cos-sdk-line",
            vec!["--file", "tests/fixtures/sdk-cos-go.txt"],
        ),
        ("status-403", vec!["403"]),
        ("list", vec!["list", "--product", "sts"]),
        ("search", vec!["search", "signature", "expired"]),
        ("scan", scan.clone()),
        // Chinese output: CJK takes two columns and breaks between characters.
        ("zh-ambiguous", vec!["--lang", "zh", "AccessDenied"]),
        (
            "zh-oss-curl-v",
            vec![
                "--lang",
                "zh",
                "--file",
                "tests/fixtures/oss-curl-v-403-explicit-deny.txt",
            ],
        ),
        (
            "zh-gbk",
            vec![
                "--lang",
                "zh",
                "--file",
                "tests/fixtures/zh/tccli-secretid.gbk.txt",
            ],
        ),
        ("zh-status-403", vec!["--lang", "zh", "403"]),
        ("zh-list", vec!["--lang", "zh", "list", "--product", "sts"]),
        ("zh-search", vec!["--lang", "zh", "search", "签名", "过期"]),
        ("zh-scan", [vec!["--lang", "zh"], scan].concat()),
    ]
}

/// stdout of one uncoloured run, with no width or colour setting of the caller's.
fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("errdecode")
        .unwrap()
        .env_remove("NO_COLOR")
        .env("LC_ALL", "C.UTF-8")
        .env_remove("COLUMNS")
        .arg("--color")
        .arg("never")
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Golden files `tests/rendered/width/<name>-<width>.txt`, one per screen and width.
#[test]
fn screens_at_every_width() {
    for (name, args) in screens() {
        for width in WIDTHS {
            let mut with = vec!["--width".to_owned(), width.to_string()];
            with.extend(args.iter().map(|a| a.to_string()));
            let with: Vec<&str> = with.iter().map(String::as_str).collect();
            check(&format!("width/{name}-{width}"), &with);
        }
    }
}

/// The columns a line takes on a terminal.
fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// What must never be split across lines in a screen: ids, URLs and codes, as the
/// JSON (or, for list and search, the TSV) of the same input gives them.
fn tokens(args: &[&str]) -> Vec<String> {
    // The language changes no id or code.
    let args = match args {
        ["--lang", _, rest @ ..] => rest,
        _ => args,
    };
    let mut found = Vec::new();
    let mut add = |v: &serde_json::Value| {
        for key in [
            "code",
            "request_id",
            "host_id",
            "trace_id",
            "ec",
            "recommend",
        ] {
            if let Some(s) = v[key].as_str() {
                found.push(s.to_owned());
            }
        }
        for e in v["status_entries"].as_array().into_iter().flatten() {
            found.push(e["code"].as_str().unwrap().to_owned());
        }
        for m in v["matches"].as_array().into_iter().flatten() {
            found.push(m["code"].as_str().unwrap().to_owned());
            found.push(m["source"].as_str().unwrap().to_owned());
        }
    };
    match args[0] {
        "list" | "search" => {
            for line in run(args).lines() {
                found.push(line.split('\t').next().unwrap().to_owned());
            }
        }
        "scan" => {
            let mut json = vec!["--json"];
            json.extend(args);
            for line in run(&json).lines() {
                add(&serde_json::from_str(line).unwrap());
            }
        }
        _ => {
            let mut json = vec!["--json"];
            json.extend(args);
            add(&serde_json::from_str(&run(&json)).unwrap());
        }
    }
    found.retain(|t| !t.is_empty());
    found
}

/// Every line of every golden screen fits its width, but for a lone token wider than
/// the width itself (a URL at 40 columns), which starts the line; no id, URL or
/// code is split across lines.
#[test]
fn no_golden_line_is_wider_than_its_width_and_no_id_is_split() {
    for (name, args) in screens() {
        let wide = std::fs::read_to_string(format!("tests/rendered/width/{name}-200.txt")).unwrap();
        let tokens = tokens(&args);
        // What the widest screen shows, every screen shows (a bare status's lists of
        // codes are cut to the width: there, only that none is split).
        let shown: Vec<&String> = tokens
            .iter()
            .filter(|t| {
                !name.ends_with("status-403") && wide.lines().any(|l| l.contains(t.as_str()))
            })
            .collect();
        assert!(!tokens.is_empty(), "{name}: no id or code to check");
        for width in WIDTHS {
            let path = format!("tests/rendered/width/{name}-{width}.txt");
            let screen = std::fs::read_to_string(&path).unwrap();
            for (n, line) in screen.lines().enumerate() {
                let lone =
                    !line.trim_start().contains(' ') && line.len() - line.trim_start().len() <= 1;
                assert!(
                    columns(line) <= width || lone,
                    "{path}:{}: {} columns: {line:?}",
                    n + 1,
                    columns(line)
                );
            }
            for token in &shown {
                assert!(
                    screen.lines().any(|l| l.contains(token.as_str())),
                    "{path}: `{token}` is split across lines or missing"
                );
            }
            let lines: Vec<&str> = screen.lines().collect();
            for pair in lines.windows(2) {
                let (end, next) = (pair[0], pair[1].trim_start());
                for token in &tokens {
                    let split = (1..token.len())
                        .filter(|&i| token.is_char_boundary(i))
                        .any(|i| end.ends_with(&token[..i]) && next.starts_with(&token[i..]));
                    assert!(
                        !split,
                        "{path}: `{token}` is split across lines:\n{end}\n{next}"
                    );
                }
            }
        }
    }
}
