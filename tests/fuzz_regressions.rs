//! Crashes and hangs found while fuzzing (see `fuzz/`), each replayed through the same
//! library calls as the `decode` fuzz target, so a fix is proven where the bug was
//! found. Also replays the committed fuzz seeds and the test fixtures.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use errdecode::lookup::Scope;
use errdecode::render::{Palette, json, table};

/// What the `decode` fuzz target does with its input: bytes → text → report → table
/// (colour on and off, free and 40-column width) → JSON.
fn pipeline(bytes: &[u8]) {
    let text = errdecode::input::decode(bytes).text;
    let Ok(report) = errdecode::decode(&text, Scope::default()) else {
        return;
    };
    for colour in [false, true] {
        for width in [None, Some(40)] {
            table::render(&report, Palette::new(colour), width);
        }
    }
    let out = serde_json::to_string(&json::to_value(&report)).unwrap();
    let _: serde_json::Value = serde_json::from_str(&out).unwrap();
}

/// Redactor::text took the byte after the last non-name character as the start of a
/// `name=`/`name:` key, which is inside that character when it is not ASCII.
#[test]
fn redact_text_non_ascii_before_a_colon() {
    pipeline(b"<Error><Code>AccessDenied</Code><Message>caf\xc3\xa9: x</Message></Error>");
}

/// The same bug as reached by the fuzzer: a message in a language other than English
/// with an ASCII separator, and U+FFFD from invalid UTF-8 before an `=`.
#[test]
fn redact_text_replacement_character_before_an_equals_sign() {
    pipeline(
        "<Error><Code>AccessDenied</Code><Message>请求失败: 签名错误</Message></Error>".as_bytes(),
    );
    pipeline(b"{\"Code\":\"AccessDenied\",\"Message\":\"a\xff=b\"}");
}

/// request_id_shape cut the unmasked head of a request id to a multiple of 4 bytes,
/// which can fall inside a non-ASCII character.
#[test]
fn request_id_shape_non_ascii_request_id() {
    pipeline(
        b"<Error><Code>AccessDenied</Code><RequestId>\xe2\x82\xac\xe2\x82\xac</RequestId></Error>",
    );
    pipeline(b"RequestId: \xe2\x82\xac\xe2\x82\xac");
}

/// A line template's first word was read back to the space before it, and began one
/// byte after that space: inside it, when the space is U+0085 (two bytes) or U+3000
/// (three, in Chinese text). The parse_sdk target's input, as it found it.
#[test]
fn template_first_word_after_a_multibyte_space() {
    pipeline(
        b"\xc2\x85\x85\xff\xffs code: ade\xff, request id: \xffs):\xffErrorCodeT h=\x84\xff\xfe\xff\xf6*)2\xff\xde\xde\x81\xde\xdf`\x00.\xde,",
    );
    pipeline(
        "错误：\u{3000}AccessDenied: Access Denied status code: 403, request id: 5A44".as_bytes(),
    );
}

/// Runs `work` on a thread and fails when it takes longer than `budget`: a quadratic
/// pass over a large input takes minutes to hours, so the test fails fast instead of
/// hanging the suite (the thread is left behind and ends with the test binary). Inputs
/// are sized so that linear work takes about 2 s at most in a debug build, and the
/// quadratic code over 100 s.
fn within(budget: Duration, work: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        work();
        let _ = done.send(());
    });
    match finished.recv_timeout(budget) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("still running after {budget:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("panicked (see above)"),
    }
}

/// The report only: parse, detect, lookup, redact.
fn decode_within(budget: Duration, text: String) {
    within(budget, move || {
        let _ = errdecode::decode(&text, Scope::default());
    });
}

const BUDGET: Duration = Duration::from_secs(15);

/// Redactor::text scanned from every `=` or `:` to the end of the value before
/// knowing whether the name in front of it is secret: a long run of separators with
/// no whitespace is quadratic (release build: 64 KiB of `:` 2.4 s, 512 KiB 4 min).
#[test]
fn redact_text_long_run_of_separators_is_linear() {
    for run in [
        ":".repeat(1 << 20),
        "k=".repeat(1 << 19),
        "sign=//".repeat(1 << 17),
    ] {
        decode_within(
            BUDGET,
            format!("<Error><Code>AccessDenied</Code><Message>{run}</Message></Error>"),
        );
    }
}

/// The masking stage reads quoted names (`"token":`), spaced separators, URL-encoded
/// ones (`%3D`), credentials after `Authorization:` and URL passwords: each form,
/// repeated 1 MiB long, must stay linear too.
#[test]
fn redact_text_quoted_spaced_and_encoded_runs_are_linear() {
    for token in [
        "\"token\":\"",
        "\\\"token\\\":",
        "token = ",
        "%3Dtoken%3D",
        "%22token%22%3A%22",
        "%26%3D%3A",
        "a://b:",
        "https://u:p",
        "Authorization: OSS ",
        "Authorization: AWS4-HMAC-SHA256 ",
        "Cookie: ",
        "StringToSignBytes=",
        " \t:",
    ] {
        let run = token.repeat((1 << 20) / token.len());
        decode_within(
            BUDGET,
            format!("<Error><Code>AccessDenied</Code><Message>{run}</Message></Error>"),
        );
        decode_within(BUDGET, format!("ErrorCode=AccessDenied {run}"));
    }
}

/// sdk::scan searched for the end of the line from every unquoted value to the end of
/// the text, not to the next key: one long line of `key=value` pairs is quadratic
/// (release build: 4 MiB 19 s, so a 10 MB log line takes minutes).
#[test]
fn sdk_scan_many_pairs_on_one_line_is_linear() {
    for pair in ["Code=a ", "code: 404, "] {
        decode_within(BUDGET, pair.repeat((2 << 20) / pair.len()));
    }
}

/// Fields::set searched `names` and `extras` linearly for every field it recorded:
/// a body with many distinct element or key names is quadratic (release build:
/// 50,000 names 6 s, 100,000 about 25 s).
#[test]
fn fields_set_many_distinct_names_is_linear() {
    const N: usize = 200_000;
    let xml: String = (0..N).map(|i| format!("<k{i}>x</k{i}>")).collect();
    let json: Vec<String> = (0..N).map(|i| format!("\"k{i}\":\"x\"")).collect();
    let sdk: Vec<String> = (0..N).map(|i| format!("'k{i}': 1")).collect();
    for body in [
        format!("<Error><Code>AccessDenied</Code>{xml}</Error>"),
        format!("{{\"Code\":\"AccessDenied\",{}}}", json.join(",")),
        format!("ErrorCode=AccessDenied {}", sdk.join(" ")),
    ] {
        decode_within(BUDGET, body);
    }
}

/// A table with a width (what a terminal gets) wraps a long word in comfy-table's
/// `split_line`, which is quadratic in the word's length (release build: 64 KiB
/// 0.15 s, 1 MiB about 40-100 s). The table now shows at most 4,096 characters of a
/// value and says how many it left out; JSON keeps the whole value.
#[test]
fn table_long_unbroken_token_with_a_width_is_linear() {
    let body = format!(
        "<Error><Code>AccessDenied</Code><Message>{}</Message></Error>",
        "x".repeat(1 << 20)
    );
    let report = errdecode::decode(&body, Scope::default()).unwrap();
    let shown = table::render(&report, Palette::new(false), Some(80));
    // Wrapped to 80 columns, the note may span lines.
    let words = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(&format!(
            "[{} more characters: --json shows all]",
            (1 << 20) - 4096
        )),
        "{}",
        &shown[..shown.len().min(500)]
    );
    assert!(shown.len() < 64 << 10, "{} bytes", shown.len());
    assert_eq!(report.message.as_deref().map(str::len), Some(1 << 20));
    within(BUDGET, move || pipeline(body.as_bytes()));
}

/// Every committed fuzz seed and every test fixture goes through the pipeline.
#[test]
fn seeds_and_fixtures_never_panic() {
    let mut seen = 0;
    for dir in ["fuzz/seeds", "tests/fixtures"] {
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| pipeline(&bytes));
            assert!(result.is_ok(), "panicked on {}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 20, "only {seen} inputs found");
}

/// sdk::clean_value stripped one closing bracket per pass and looked for its opener
/// each time: a value ending in many `)` was quadratic (issue 15, section 5: 256 KiB
/// took 18 s in a debug build, 512 KiB 71 s).
#[test]
fn sdk_clean_value_many_closers_is_linear() {
    for closer in [")", "}", "]", "), "] {
        decode_within(
            BUDGET,
            format!("Code=a{}", closer.repeat((2 << 20) / closer.len())),
        );
    }
}
