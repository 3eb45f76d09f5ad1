//! Issue 15's hardening, as users would meet it: a full or closed stderr or stdout,
//! hostile characters in arguments, values, file names and codes, and terminals.
//! Each test names the promise it pins.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The built binary, with none of the caller's colour, width or terminal settings.
fn errdecode() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_errdecode"));
    for var in common::CALLER_SETTINGS
        .iter()
        .chain(&["ERRDECODE_COMPLETE"])
    {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

fn full() -> Stdio {
    File::create("/dev/full").expect("/dev/full").into()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `code()` is `None` when a signal (SIGABRT from a panic in `eprintln!`) ended it.
fn status(out: &Output) -> Option<i32> {
    out.status.code()
}

// --- Section 4: a full stderr or stdout never aborts, and is reported right. ---

#[test]
fn a_full_stderr_keeps_each_documented_status() {
    let cases: &[(&[&str], i32)] = &[
        (&["zzz"], 1),                                         // the no-match hint
        (&["--vendor", "aliyun", "-46618"], 1),                // narrowed away
        (&["--bogus"], 2),                                     // a usage error
        (&["--file", "/nonexistent/dump.txt"], 2),             // a missing file
        (&["search", "zzzzzz-nothing"], 1),                    // search without a match
        (&["--max-input-mib", "1", "--file", "/dev/zero"], 2), // oversize input
        (&["scan", "/nonexistent/app.log"], 2),
    ];
    for (args, want) in cases {
        let out = run(errdecode().args(*args).stdout(Stdio::null()).stderr(full()));
        assert_eq!(status(&out), Some(*want), "{args:?}: {:?}", out.status);
    }
}

#[test]
fn empty_input_with_a_full_stderr_exits_2() {
    let out = run(errdecode().stdin(Stdio::piped()).stderr(full()));
    assert_eq!(status(&out), Some(2), "{:?}", out.status);
}

#[test]
fn help_and_version_fail_when_stdout_is_full() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["--version"],
        &["list", "--help"],
        &["help", "scan"],
    ] {
        let out = run(errdecode().args(args).stdout(full()));
        assert_eq!(status(&out), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("errdecode: cannot write output: No space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn help_still_succeeds_on_a_working_stdout() {
    let out = run(errdecode().arg("--help"));
    assert_eq!(status(&out), Some(0));
    assert!(stdout(&out).contains("Exit status"));
    assert!(out.stderr.is_empty());
}

#[test]
fn a_full_stdout_is_named_as_the_output_side() {
    let log = "tests/fixtures/oss-403-request-time-too-skewed.xml";
    for args in [
        &["scan", "--json", log][..],
        &["scan", log],
        &["--json", "-46618"],
        &["-46618"],
        &["list"],
        &["search", "signature"],
        &["completions", "bash"],
        &["man"],
    ] {
        let out = run(errdecode().args(args).stdout(full()));
        assert_eq!(status(&out), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("errdecode: cannot write output: No space left on device"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("cannot read"), "{args:?}: {err}");
    }
}

// --- Section 7 and 3: TAB answers. ---

/// One TAB as the bash or zsh script asks for it: `words` after `errdecode --`, the
/// cursor on word `index`.
fn tab(shell: &str, index: usize, words: &[&str], dir: Option<&Path>) -> Output {
    let mut cmd = errdecode();
    cmd.env("ERRDECODE_COMPLETE", shell)
        .env("_CLAP_IFS", "\u{b}")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "false")
        .arg("--")
        .args(words);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    run(&mut cmd)
}

#[test]
fn the_quick_tab_answers_as_clap_does() {
    // A word after the cursor sends the same TAB through clap_complete itself.
    for shell in ["bash", "zsh"] {
        for word in ["-466", "acc", "NoSuch", "thr", "0003", "x"] {
            let quick = tab(shell, 1, &["errdecode", word], None);
            let clap = tab(shell, 1, &["errdecode", word, "more"], None);
            assert_eq!(status(&quick), Some(0));
            assert!(!quick.stdout.is_empty() || word == "x", "{shell} {word}");
            assert_eq!(stdout(&quick), stdout(&clap), "{shell} {word}");
        }
    }
}

/// A fresh directory under the system's temporary one, named for the test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("errdecode-hardening-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn tab_never_offers_a_file_name_that_would_drive_the_terminal() {
    let dir = scratch("tab-files");
    let hostile = [
        "esc\u{1b}[31mred.log",
        "bell\u{7}.log",
        "new\nline.log",
        "cr\r.log",
        "rlo\u{202e}gol.log",
        "zwsp\u{200b}.log",
        "c1\u{9b}31m.log",
    ];
    for name in hostile.iter().chain(&["good.log"]) {
        File::create(dir.join(name)).unwrap();
    }
    for (shell, index, words) in [
        ("bash", 2, &["errdecode", "--file", ""][..]),
        ("bash", 2, &["errdecode", "scan", ""]),
        ("zsh", 2, &["errdecode", "scan", ""]),
        ("fish", 0, &["errdecode", "scan", ""]),
        ("fish", 0, &["errdecode", "--file", ""]),
    ] {
        let out = tab(shell, index, words, Some(&dir));
        assert_eq!(status(&out), Some(0), "{shell} {words:?}");
        let answer = stdout(&out);
        assert!(answer.contains("good.log"), "{shell} {words:?}: {answer:?}");
        for name in hostile {
            assert!(!answer.contains(name), "{shell} {words:?}: {answer:?}");
        }
        // Only the protocol's separators: no other control character at all.
        assert!(
            !answer
                .chars()
                .any(|c| c.is_control() && c != '\u{b}' && c != '\n' && c != '\t'),
            "{shell} {words:?}: {answer:?}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// --- Section 3: terminal safety everywhere. ---

/// The characters issue 15 found reaching a terminal raw, each with the escape the
/// table shows for it and the one `--json` writes.
const HOSTILE: &[(char, &str, &str)] = &[
    ('\u{7f}', "\\x7f", "\\u007f"),
    ('\u{9b}', "\\x9b", "\\u009b"),
    ('\u{202e}', "\\u{202e}", "\\u202e"),
    ('\u{200b}', "\\u{200b}", "\\u200b"),
    ('\u{ad}', "\\xad", "\\u00ad"),
    ('\u{61c}', "\\u{61c}", "\\u061c"),
    ('\u{180e}', "\\u{180e}", "\\u180e"),
    ('\u{2028}', "\\u{2028}", "\\u2028"),
    ('\u{2029}', "\\u{2029}", "\\u2029"),
    ('\u{2060}', "\\u{2060}", "\\u2060"),
    ('\u{206a}', "\\u{206a}", "\\u206a"),
    ('\u{fff9}', "\\u{fff9}", "\\ufff9"),
    ('\u{fe0f}', "\\u{fe0f}", "\\ufe0f"),
    ('\u{e0041}', "\\u{e0041}", "\\udb40\\udc41"),
    ('\u{e0100}', "\\u{e0100}", "\\udb40\\udd00"),
];

fn hostile_body(c: char) -> String {
    format!(
        "<Error><Code>Bad{c}Code</Code><Message>one{c}two</Message><RequestId>id{c}1</RequestId></Error>"
    )
}

#[test]
fn the_table_escapes_every_format_character() {
    for (c, table, _) in HOSTILE {
        let out = run(errdecode().arg(hostile_body(*c)));
        let shown = stdout(&out);
        assert!(!shown.contains(*c), "U+{:04X}: {shown}", *c as u32);
        assert!(
            shown.contains(&format!("one{table}two")),
            "U+{:04X}: {shown}",
            *c as u32
        );
        let hint = stderr(&out);
        assert!(!hint.contains(*c), "U+{:04X}: {hint}", *c as u32);
    }
}
#[test]
fn json_escapes_del_c1_and_format_characters_and_keeps_values_exact() {
    for (c, _, json) in HOSTILE {
        let out = run(errdecode().arg("--json").arg(hostile_body(*c)));
        let text = stdout(&out);
        assert!(!text.contains(*c), "U+{:04X}: {text}", *c as u32);
        assert!(
            text.contains(&format!("\"one{json}two\"")),
            "U+{:04X}: {text}",
            *c as u32
        );
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(v["message"], format!("one{c}two"), "U+{:04X}", *c as u32);
        assert_eq!(v["code"], format!("Bad{c}Code"), "U+{:04X}", *c as u32);
    }
}

#[test]
fn scan_json_lines_escape_them_too() {
    let log: String = HOSTILE
        .iter()
        .map(|(c, _, _)| format!("2024-05-01 ERROR oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, ErrorMessage=\"one{c}two\", RequestId=5F1A
"))
        .collect();
    let mut cmd = errdecode();
    cmd.args(["scan", "--json"]).stdin(Stdio::piped());
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), log.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(!text.is_empty());
    for (c, _, _) in HOSTILE {
        assert!(!text.contains(*c), "U+{:04X}: {text}", *c as u32);
    }
    let messages: Vec<String> = text
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            v["message"].as_str().unwrap().to_owned()
        })
        .collect();
    for (c, _, _) in HOSTILE {
        assert!(
            messages.contains(&format!("one{c}two")),
            "U+{:04X}: {messages:?}",
            *c as u32
        );
    }
}
#[test]
fn usage_errors_never_pass_hostile_arguments_raw() {
    for (arg, shown) in [
        ("a\rb", "'a\\rb'"),
        ("a\nb", "'a\\nb'"),
        ("a\u{1b}[2Jb", "'a\\x1b[2Jb'"),
        ("a\u{9b}31mb", "'a\\x9b31mb'"),
        ("a\u{202e}b", "'a\\u{202e}b'"),
        ("a\u{200b}b", "'a\\u{200b}b'"),
    ] {
        for args in [&["--vendor", arg][..], &["list", "--product", arg]] {
            let out = run(errdecode().args(args));
            assert_eq!(status(&out), Some(2), "{args:?}");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{args:?}: {err:?}");
            assert!(
                !err.trim_end_matches('\n').chars().any(|c| c.is_control()),
                "{args:?}: {err:?}"
            );
            assert!(err.contains(shown), "{args:?}: {err:?}");
            assert!(err.contains("[possible values:"), "{args:?}: {err:?}");
        }
    }
}

#[test]
fn the_no_match_hint_cuts_a_huge_code() {
    let code = "A".repeat(60 << 10);
    let out = run(errdecode().arg(format!("<Error><Code>{code}</Code></Error>")));
    assert_eq!(status(&out), Some(1));
    let hint = stderr(&out);
    assert_eq!(hint.lines().count(), 1, "{}", hint.len());
    assert!(hint.len() < 300, "{} bytes", hint.len());
    assert!(hint.contains(&format!("`{}…`", "A".repeat(64))), "{hint}");
    // A code of ordinary length is quoted whole.
    let hint = stderr(&run(errdecode().arg("NoSuchThingAtAll")));
    assert!(hint.contains("`NoSuchThingAtAll`"), "{hint}");
}

/// `command` run by `script` on a pseudo-terminal: stdout and stderr are both the
/// terminal, and what the terminal received comes back as stdout.
fn on_a_terminal(command: &str, term: &str) -> String {
    let out = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .env("TERM", term)
        .env("LC_ALL", "C.UTF-8")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    stdout(&out)
}

#[test]
fn term_dumb_gets_no_colour() {
    let bin = env!("CARGO_BIN_EXE_errdecode");
    let coloured = on_a_terminal(&format!("{bin} -46618"), "xterm-256color");
    assert!(coloured.contains("\u{1b}["), "the control: {coloured:?}");
    let dumb = on_a_terminal(&format!("{bin} -46618"), "dumb");
    assert!(dumb.contains("-46618"), "{dumb:?}");
    assert!(!dumb.contains('\u{1b}'), "{dumb:?}");
}

#[test]
fn scan_progress_never_runs_into_json_on_a_terminal() {
    let dir = scratch("progress");
    let log = dir.join("app.log");
    let line = "2024-05-01 ERROR oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, ErrorMessage=\"denied\", RequestId=5F1A\n";
    std::fs::write(&log, line.repeat(50)).unwrap();
    let bin = env!("CARGO_BIN_EXE_errdecode");
    // The stream stalls first, so the progress line is due when the data arrives.
    let piped = |flags: &str| format!("(sleep 0.3; cat '{}') | {bin} scan {flags}", log.display());
    let summary = on_a_terminal(&piped(""), "xterm");
    assert!(summary.contains("scanning:"), "the control: {summary:?}");
    let json = on_a_terminal(&piped("--json"), "xterm");
    assert!(json.contains("\"AccessDenied\""), "{json:?}");
    assert!(!json.contains("scanning:"), "{json:?}");
    assert!(!json.contains("\u{1b}[2K"), "{json:?}");
    // Records to a file: the terminal shows the progress alone.
    let to_file = on_a_terminal(
        &format!(
            "{} > '{}'",
            piped("--json"),
            dir.join("out.jsonl").display()
        ),
        "xterm",
    );
    assert!(to_file.contains("scanning:"), "{to_file:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
