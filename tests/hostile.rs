//! Hostile and messy input, through the binary: nothing here may panic, hang, blow
//! up memory, reach the terminal raw, or leave garbage on stdout with an error.

use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

fn errdecode() -> Command {
    let mut cmd = Command::cargo_bin("errdecode").unwrap();
    cmd.env_remove("NO_COLOR")
        .env("LC_ALL", "C.UTF-8")
        .timeout(Duration::from_secs(20));
    cmd
}

/// Runs with `stdin` and checks the process ended by itself with 0, 1 or 2 and no panic.
fn survives(stdin: Vec<u8>) -> std::process::Output {
    let out = errdecode()
        .arg("--color")
        .arg("always")
        .write_stdin(stdin)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{:?}: {stderr}",
        out.status
    );
    out
}

#[test]
fn binary_garbage_nul_bytes_and_invalid_utf8() {
    let mut garbage: Vec<u8> = (0..=255u8).cycle().take(64 << 10).collect();
    garbage.extend(b"\0\0<Error><Code>NoSuchKey\0</Code>\xff\xfe</Error>");
    survives(garbage);
    survives(b"\xff\xfe\xfd".to_vec());
    survives(vec![0; 4096]);
}

#[test]
fn truncated_and_cut_bodies() {
    for text in [
        "<Error><Code>NoSu",
        "<Error><Code>NoSuchKey</Code><Mess",
        "<Error",
        "{\"Code\": \"NoSuchKey\", \"Message\": \"x",
        "HTTP/1.1 403 Forbidden\nx-oss-err: not-base64!!\n\n<Err",
    ] {
        survives(text.as_bytes().to_vec());
    }
}

/// Read to its end, where the error is. (Its cost is measured in instructions by
/// benches/linear.sh, not timed here: a loaded machine made this test flaky.)
#[test]
fn a_ten_megabyte_single_line_is_decoded() {
    let mut line = "x".repeat(10 << 20);
    line.push_str(" ErrorCode=AccessDenied, RequestId=5C3D9175B6FC201293ADAAAA");
    let out = survives(line.into_bytes());
    assert!(String::from_utf8_lossy(&out.stdout).contains("AccessDenied"));
}

#[test]
fn deep_nesting_ends_cleanly() {
    let deep_json = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let out = errdecode().write_stdin(deep_json).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nested more than 128 levels deep"));

    let deep_xml = format!("<Error>{}<Code>X</Code>", "<a>".repeat(100_000));
    let out = survives(deep_xml.into_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("XML body is nested more than 128 levels deep"),
        "{stderr}"
    );
}

#[test]
fn fields_before_deep_nesting_are_still_read() {
    let json = format!(
        "{{\"Code\":\"NoSuchKey\",\"RequestId\":\"5C3D9175B6FC201293AD4A1B\",\"x\":{}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let out = survives(json.into_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("NoSuchKey"));
}

#[test]
fn entity_bombs_and_doctypes_do_nothing() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<Error><Code>NoSuchKey</Code><Message>&lol9;&xxe;</Message></Error>"#;
    let out = errdecode()
        .arg("--json")
        .write_stdin(bomb)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["message"], "&lol9;&xxe;");
}

#[test]
fn the_size_limit_is_documented_in_help() {
    errdecode()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--max-input-mib"));
}

#[test]
fn utf16_big_endian_from_powershell() {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend("-46618".encode_utf16().flat_map(u16::to_be_bytes));
    errdecode().write_stdin(bytes).assert().success();
}

#[test]
fn every_untrusted_field_is_neutralised_in_the_table() {
    let esc = "\u{1b}[2J\u{1b}]0;owned\u{7}";
    let dump = format!(
        "> GET /{esc} HTTP/1.1\n> Host: b.oss-cn-hangzhou.aliyuncs.com\n< HTTP/1.1 403 Forbidden\n< x-oss-request-id: {esc}\n<\n<Error><Code>AccessDenied{esc}</Code><Message>{esc}</Message><HostId>{esc}</HostId><Key>{esc}</Key><{esc}>x</{esc}></Error>"
    );
    let out = survives(dump.into_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("\u{1b}[2J") && !text.contains("\u{1b}]0;") && !text.contains('\u{7}'),
        "{text}"
    );
    // CSI sequences are stripped as terminal colour; others are shown escaped.
    assert!(text.contains("\\x1b]0;owned\\x07"), "{text}");
}

/// Ctrl-C while errdecode waits on a pipe that never closes ends it at once.
#[cfg(unix)]
#[test]
fn sigint_while_reading_stdin_ends_at_once() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_errdecode"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _stdin_kept_open = child.stdin.take();
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        child.try_wait().unwrap().is_none(),
        "exited before the signal"
    );
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sends a signal to the child this test started and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "still running after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
}
