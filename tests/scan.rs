//! `errdecode scan` loses nothing (issue 15, section 1): one error per anchor line,
//! long lines read in pieces and cut rather than dropped, bounded memory without
//! newlines, errors of a slow stream shown as they arrive, and every file scanned
//! when one cannot be read. Logs are generated here, at 1 MiB and 4 MiB where size
//! matters; time is checked for liveness with generous limits, not for speed.

mod common;

use std::io::{Read, Write};
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt;
use errdecode::lookup::Scope;
use errdecode::scan::{Progress, Record, Scanner};
use serde_json::Value;

const MIB: usize = 1 << 20;
/// The record limit scan documents.
const MAX_RECORD: usize = 64 << 10;

/// The OSS Go SDK line of the issue, with a time in brackets before it.
const OSS_LINE: &str = "[2024-05-01 12:00:00] ERROR oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, ErrorMessage=\"You have no right to access this object because of bucket acl.\", RequestId=5C3D9175B6FC201293ADAAAA, Ec=0003-00000001\n";
const BODY: &str = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>636B68BA3C7A1F3233B0AAAA</RequestId><HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0026-00000001</EC></Error>";

/// The binary in a hermetic environment: no colour or width settings leak in.
fn errdecode() -> Command {
    let mut cmd = Command::cargo_bin("errdecode").unwrap();
    for var in common::CALLER_SETTINGS {
        cmd.env_remove(var);
    }
    cmd
}

/// The records the scanner cuts from `log`, read in one go: (line, text, cut).
fn records(log: &[u8]) -> (Vec<(u64, String, bool)>, Progress) {
    let mut out = Vec::new();
    let totals = Scanner::new(Scope::default())
        .scan(log, |r: Record<'_>| keep(&mut out, r), |_| {})
        .unwrap();
    (out, totals)
}

fn keep(out: &mut Vec<(u64, String, bool)>, r: Record<'_>) -> std::io::Result<bool> {
    out.push((r.line, String::from_utf8_lossy(r.bytes).into_owned(), r.cut));
    Ok(true)
}

/// The same, fed `chunk` bytes at a time.
fn records_in_chunks(log: &[u8], chunk: usize) -> Vec<(u64, String, bool)> {
    let mut out = Vec::new();
    let scanner = Scanner::new(Scope::default());
    let mut scan = scanner.feed(|r: Record<'_>| keep(&mut out, r));
    for piece in log.chunks(chunk) {
        scan.push(piece).unwrap();
    }
    scan.finish().unwrap();
    out
}

/// The errors in `log`, decoded as scan decodes them: (line, code, cut).
fn errors(log: &[u8]) -> Vec<(u64, String, bool)> {
    let mut out = Vec::new();
    let scanner = Scanner::new(Scope::default());
    scanner
        .scan(
            log,
            scanner.decoding(|f| {
                out.push((f.line, f.report.code.clone().unwrap_or_default(), f.cut));
                Ok(())
            }),
            |_| {},
        )
        .unwrap();
    out
}

/// Runs `scan --json` on `input` (stdin) and parses each output line.
fn scan_json(input: &[u8]) -> Vec<Value> {
    let out = errdecode()
        .args(["scan", "--json"])
        .write_stdin(input)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    json_lines(&out.stdout)
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Filler lines of an ordinary application log, about `bytes` long.
fn filler(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 100);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "2024-05-01T12:00:{:02}Z INFO request served path=/a/{i} latency={}ms\n",
            i % 60,
            i % 97
        ));
        i += 1;
    }
    out
}

fn line_of(log: &str, at: usize) -> u64 {
    log[..at].bytes().filter(|b| *b == b'\n').count() as u64 + 1
}

#[test]
fn three_error_lines_in_a_row_are_three_errors() {
    let log = OSS_LINE.repeat(3);
    let found = errors(log.as_bytes());
    let lines: Vec<u64> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, [1, 2, 3]);
    assert!(found.iter().all(|f| f.1 == "AccessDenied"), "{found:?}");
}

#[test]
fn a_hundred_thousand_error_lines_are_a_hundred_thousand_records() {
    let log = OSS_LINE.repeat(100_000);
    let (found, totals) = records(log.as_bytes());
    assert_eq!(found.len(), 100_000);
    assert_eq!(totals.bytes, log.len() as u64);
    for (i, (line, text, cut)) in found.iter().enumerate() {
        assert_eq!(
            (*line, text.as_str(), *cut),
            (i as u64 + 1, OSS_LINE, false)
        );
    }
}

/// The same through the binary, decoded: fewer lines, as each decode costs.
#[test]
fn a_thousand_error_lines_are_a_thousand_errors_with_their_lines() {
    let found = scan_json(OSS_LINE.repeat(1000).as_bytes());
    assert_eq!(found.len(), 1000);
    for (i, v) in found.iter().enumerate() {
        assert_eq!(v["line"], i as u64 + 1);
        assert_eq!(v["code"], "AccessDenied");
        assert_eq!(v["cut"], false);
    }
}

#[test]
fn a_thousand_indented_error_lines_are_a_thousand_errors() {
    let line = "    oss: service returned error: StatusCode=404, ErrorCode=NoSuchKey, ErrorMessage=\"The specified key does not exist.\", RequestId=636B68BA3C7A1F3233B0AAAA\n";
    let log = format!("worker 3 failed:\n{}", line.repeat(1000));
    let found = errors(log.as_bytes());
    assert_eq!(found.len(), 1000);
    assert!(found.iter().all(|f| f.1 == "NoSuchKey"));
    assert_eq!(found[0].0, 2);
    assert_eq!(found[999].0, 1001);
}

#[test]
fn two_bodies_on_one_line_are_two_errors() {
    let other = BODY
        .replace("NoSuchKey", "AccessDenied")
        .replace("AAAA<", "BBBB<");
    let log = format!("get failed: {BODY} retry failed: {other}\n{BODY}{BODY}{BODY}\n");
    let found = errors(log.as_bytes());
    let codes: Vec<(u64, &str)> = found.iter().map(|f| (f.0, f.1.as_str())).collect();
    assert_eq!(
        codes,
        [
            (1, "NoSuchKey"),
            (1, "AccessDenied"),
            (2, "NoSuchKey"),
            (2, "NoSuchKey"),
            (2, "NoSuchKey")
        ]
    );
}

/// What must stay one error: a pretty-printed body, a `curl -i` dump whose headers
/// and body both carry the error, an OSS Java exception with the body it prints,
/// the OSS SDK v2 labelled block, each of them twice in a row.
#[test]
fn a_multi_line_error_is_one_error() {
    let forms = [
        (
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n  <Message>The specified key does not exist.</Message>\n  <RequestId>636B68BA3C7A1F3233B0AAAA</RequestId>\n</Error>\n",
            "NoSuchKey",
        ),
        (
            "HTTP/1.1 404 Not Found\nServer: AliyunOSS\nx-oss-request-id: 636B68BA3C7A1F3233B0AAAA\nx-oss-ec: 0026-00000001\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n  <EC>0026-00000001</EC>\n</Error>\n",
            "NoSuchKey",
        ),
        (
            &std::fs::read_to_string("tests/fixtures/sdk-oss-java.txt").unwrap(),
            "MissingArgument",
        ),
        (
            &std::fs::read_to_string("tests/fixtures/pastes/oss-python-v2.txt").unwrap(),
            "NoSuchKey",
        ),
        (
            &std::fs::read_to_string("tests/fixtures/ci-curl-i-xerrno.txt").unwrap(),
            "-46618",
        ),
    ];
    for (form, code) in forms {
        let log = format!("start\n{form}between\n{form}end\n");
        let found = errors(log.as_bytes());
        let codes: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(codes, [code, code], "{form}");
    }
}

/// An error line of `len` bytes: the code at the start, the request id at the end.
fn long_error_line(len: usize) -> String {
    let head =
        "oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, ErrorMessage=\"";
    let tail = "\", RequestId=5C3D9175B6FC201293ADAAAA\n";
    let words = "no right to access ".repeat(len / 19 + 1);
    format!("{head}{}{tail}", &words[..len - head.len() - tail.len()])
}

#[test]
fn a_long_error_line_at_the_end_of_a_block_is_found() {
    for (total, line_len) in [(MIB, 64 << 10), (MIB, 100 << 10), (4 * MIB, 64 << 10)] {
        let line = long_error_line(line_len);
        // Ends exactly at a 1 MiB boundary, then a little later, then straddles it.
        for shift in [0, 1, 4096, line_len / 2] {
            let boundary = total.min(MIB * (total / MIB));
            let mut log = filler(boundary - line_len + shift - 200);
            log.truncate(log.len() - 1);
            log.push_str(&" ".repeat(boundary - line_len + shift - log.len() - 1));
            log.push('\n');
            let at = log.len();
            log.push_str(&line);
            log.push_str(&filler(total.saturating_sub(log.len())));
            let found = errors(log.as_bytes());
            assert_eq!(found.len(), 1, "{line_len} bytes, shift {shift}");
            assert_eq!(found[0].0, line_of(&log, at));
            assert_eq!(found[0].1, "AccessDenied");
            assert_eq!(found[0].2, line_len > MAX_RECORD, "cut");
        }
    }
}

#[test]
fn a_long_error_line_at_the_end_of_the_input_is_found() {
    for line_len in [64 << 10, 200 << 10] {
        let line = long_error_line(line_len);
        let mut log = filler(MIB - line_len);
        log.push_str(&line);
        assert_eq!(errors(log.as_bytes()).len(), 1, "{line_len}");
        log.pop();
        assert_eq!(errors(log.as_bytes()).len(), 1, "{line_len}, no newline");
    }
}

/// Longer than a block and longer than the window: read in pieces, the record cut
/// around its anchor and marked so, in JSON and in the summary.
#[test]
fn an_error_line_longer_than_a_block_is_cut_not_dropped() {
    for (before, after) in [(0, 2 * MIB), (3 * MIB, MIB), (MIB + 5, 3 * MIB)] {
        let mut log = filler(1000);
        let at = log.len();
        log.push_str(&"x".repeat(before));
        log.push_str(&long_error_line(after));
        log.push_str(&filler(1000));
        let found = scan_json(log.as_bytes());
        assert_eq!(found.len(), 1, "{before} + {after}");
        assert_eq!(found[0]["code"], "AccessDenied");
        assert_eq!(found[0]["cut"], true);
        assert_eq!(found[0]["line"], line_of(&log, at));
    }
    let log = long_error_line(2 * MIB);
    errdecode()
        .arg("scan")
        .write_stdin(log)
        .assert()
        .success()
        .stdout(predicates::str::contains("1 errors in 2.0 MiB"))
        .stdout(predicates::str::contains(
            "1 errors were in records longer than 64 KiB",
        ));
}

/// The peak memory (VmHWM) of a running process, in KiB.
#[cfg(target_os = "linux")]
fn vm_hwm(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
}

/// `scan --json` reading a pipe that the test writes to, its output piped back.
fn scan_json_stream() -> std::process::Child {
    Process::cargo_bin("errdecode")
        .unwrap()
        .args(["scan", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Runs `scan --json` on `input` as a stream and returns its output and its peak
/// memory in KiB, read from /proc while it runs: stdin stays open until the output
/// has been quiet for a second, so the process is still there to be measured.
#[cfg(target_os = "linux")]
fn peak_rss(input: Vec<u8>) -> (Vec<Value>, u64) {
    let mut child = scan_json_stream();
    let mut stdin = child.stdin.take().unwrap();
    let (written, done) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
        written.send(stdin).unwrap();
    });
    let mut stdout = child.stdout.take().unwrap();
    let (lines, output) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0; 1 << 16];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || lines.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut peak = 0;
    let mut out = Vec::new();
    let mut stdin = None;
    let mut quiet = 0;
    for _ in 0..6000 {
        peak = peak.max(vm_hwm(child.id()).unwrap_or(0));
        if stdin.is_none() {
            stdin = done.try_recv().ok();
        }
        match output.recv_timeout(Duration::from_millis(20)) {
            Ok(bytes) => {
                out.extend(bytes);
                quiet = 0;
            }
            Err(_) if stdin.is_some() => quiet += 1,
            Err(_) => {}
        }
        if quiet >= 50 {
            break;
        }
    }
    drop(stdin);
    out.extend(output.iter().flatten());
    child.wait().unwrap();
    (json_lines(&out), peak)
}

#[cfg(target_os = "linux")]
#[test]
fn input_without_newlines_keeps_memory_bounded() {
    // /dev/zero never ends: watch the process's peak memory while it reads.
    let mut child = Process::cargo_bin("errdecode")
        .unwrap()
        .args(["scan", "/dev/zero"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Until it has read well past any buffer (32 MiB), however busy the machine: the
    // point is the memory, not the speed.
    let mut read = 0;
    for _ in 0..600 {
        if read > 32 << 20 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        // How much it has read, so the test knows it is reading.
        if let Ok(io) = std::fs::read_to_string(format!("/proc/{}/io", child.id())) {
            read = io
                .lines()
                .find_map(|l| l.strip_prefix("rchar: "))
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    let hwm = vm_hwm(child.id()).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(read > 32 << 20, "read only {read} bytes in 60 s");
    assert!(hwm < 32 << 10, "peak RSS {hwm} KiB reading /dev/zero");

    // Distinct huge codes, one code of 4 MiB, and 4 MiB of each anchor and opening
    // repeated without a newline. (The summary keeps at most 256 bytes of a code:
    // src/scan/mod.rs's own tests.)
    let mut huge = String::new();
    for i in 0..100 {
        huge.push_str(&format!(
            "<Error><Code>{}{i}</Code><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>\n",
            "A".repeat(8 << 10)
        ));
    }
    huge.push_str(&format!(
        "<Error><Code>{}</Code></Error>\n",
        "B".repeat(4 * MIB)
    ));
    let (found, rss) = peak_rss(huge.into_bytes());
    assert!(rss < 32 << 10, "peak RSS {rss} KiB on huge codes");
    assert_eq!(found.len(), 100);
    for token in [
        "<Code>",
        "ErrorCode=",
        "X-ErrNo: ",
        "<Error>",
        "&lt;Code&gt;",
    ] {
        let (_, rss) = peak_rss(token.repeat(4 * MIB / token.len()).into_bytes());
        assert!(rss < 32 << 10, "peak RSS {rss} KiB on {token:?} repeated");
    }
}

/// Each anchor or opening repeated 1 MiB and 4 MiB long, without a newline: the scan
/// ends (within a generous limit), every record within the limit, in order, and the
/// same whether read in one go or in pieces.
#[test]
fn repeated_tokens_without_newlines_are_read_in_linear_time() {
    let tokens = [
        "<Code>",
        "<Error>",
        "ErrorCode=",
        "X-ErrNo: 1",
        "&lt;Code&gt;",
        "\\u003cCode\\u003e",
        "\"Code\":",
        "\0",
    ];
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for token in tokens {
            for size in [MIB, 4 * MIB] {
                let log = token.repeat(size / token.len());
                let (found, totals) = records(log.as_bytes());
                assert_eq!(totals.bytes, log.len() as u64);
                let mut last_line = 0;
                for (line, text, _) in &found {
                    assert!(text.len() <= MAX_RECORD, "{token:?}: {} bytes", text.len());
                    assert!(*line >= last_line);
                    last_line = *line;
                }
                if size == MIB {
                    assert_eq!(records_in_chunks(log.as_bytes(), 4093), found, "{token:?}");
                }
            }
        }
        tx.send(()).unwrap();
    });
    rx.recv_timeout(Duration::from_secs(300))
        .expect("repeated tokens took more than 300 s");
}

/// A realistic log: every error form scan reads, among ordinary lines.
fn generated_log(errors_wanted: usize) -> (String, Vec<(u64, &'static str)>) {
    // (form, code); a record starts on its form's first line, but for the body
    // after `ERROR put failed:`, which starts at its XML declaration.
    let forms: [(&str, &str); 9] = [
        (
            "2024-05-01T12:00:01Z ERROR get failed: <?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>636B68BA3C7A1F3233B0AAAA</RequestId><HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0026-00000001</EC></Error>\n",
            "NoSuchKey",
        ),
        (
            "2024-05-01T12:00:02Z ERROR put failed:\n<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Access Denied.</Message>\n  <Resource>examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/a.txt</Resource>\n  <RequestId>NjQ4ZmZlNTBfNDBiYjRlMGJfMjQ1OF8y</RequestId>\n  <TraceId>OGVmYzZiMmQzYjA2OWNh</TraceId>\n</Error>\n",
            "AccessDenied",
        ),
        (
            "HTTP/1.1 403 Forbidden\nServer: tencent-cos\nx-cos-request-id: NjQ4ZmZlNTBfYjZiYjRlMGJfMTU2YV8x\nX-ErrNo: -46618\n\n",
            "-46618",
        ),
        (OSS_LINE, "AccessDenied"),
        (
            "com.aliyun.oss.OSSException: Missing Some Required Arguments.\n[ErrorCode]: MissingArgument\n[RequestId]: 57ABD896CCB80C366955AAAA\n[HostId]: oss-example.oss-cn-hangzhou.aliyuncs.com\n[EC]: 0016-00000502\n",
            "MissingArgument",
        ),
        (
            "GET https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/o: 404 NoSuchKey(Message: The specified key does not exist., RequestId: NjQ4ZDk0ZjBfOTBmYTUw, TraceId: OGVmYzZiMmQzYjA2OWNh)\n",
            "NoSuchKey",
        ),
        (
            "qcloud_cos.cos_exception.CosServiceError: {'code': 'SlowDown', 'message': 'Please reduce your request rate.', 'resource': 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/o', 'requestid': 'NjQ4ZDk0ZjBfOTBmYTUw', 'traceid': 'OGVmYzZiMmQzYjA2OWNh'}\n",
            "SlowDown",
        ),
        (
            "HTTP/1.1 404 Not Found\nServer: AliyunOSS\nx-oss-request-id: 636B68BA3C7A1F3233B0AAAA\nx-oss-ec: 0026-00000001\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n  <EC>0026-00000001</EC>\n</Error>\n",
            "NoSuchKey",
        ),
        (
            "[TencentCloudSDKException] code:AuthFailure.SignatureFailure message:The provided credentials could not be validated. requestId:6d8f6e0a-1b2c-4d5e-8f90-123456789abc\n",
            "AuthFailure.SignatureFailure",
        ),
    ];
    let mut log = String::new();
    let mut expected = Vec::new();
    for i in 0..errors_wanted {
        log.push_str(&filler(i * 7919 % 3000));
        let (form, code) = forms[i % forms.len()];
        let skip = u64::from(form.starts_with("2024-05-01T12:00:02Z ERROR put failed:\n"));
        expected.push((line_of(&log, log.len()) + skip, code));
        log.push_str(form);
    }
    log.push_str(&filler(500));
    (log, expected)
}

#[test]
fn a_generated_log_gives_every_error_on_its_line() {
    let (log, expected) = generated_log(180);
    let found = scan_json(log.as_bytes());
    let got: Vec<(u64, &str)> = found
        .iter()
        .map(|v| (v["line"].as_u64().unwrap(), v["code"].as_str().unwrap()))
        .collect();
    assert_eq!(got, expected);
}

/// Where input is split must not change the records: lines arriving one byte at a
/// time, or a block at a time, give what the whole log gives.
#[test]
fn records_do_not_depend_on_how_the_input_arrives() {
    let (log, _) = generated_log(300);
    let (whole, _) = records(log.as_bytes());
    for chunk in [1, 7, 4096, 65_536 + 3] {
        assert_eq!(records_in_chunks(log.as_bytes(), chunk), whole, "{chunk}");
    }
}

/// A stream that pauses: the first error is printed (one JSON line) while the
/// writer still holds the second, not when a block is full or the input ends.
#[test]
fn a_slow_stream_shows_each_error_as_it_arrives() {
    let mut child = scan_json_stream();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    stdin.write_all(filler(3000).as_bytes()).unwrap();
    stdin.write_all(OSS_LINE.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let first = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the first error was not shown while the stream paused");
    let first: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["code"], "AccessDenied");
    // The writer goes on: a pause, the second error, the end.
    std::thread::sleep(Duration::from_millis(300));
    stdin.write_all(BODY.as_bytes()).unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin);
    let second: Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(20)).unwrap()).unwrap();
    assert_eq!(second["code"], "NoSuchKey");
    assert!(child.wait().unwrap().success());
}

/// Ctrl-C on a scan of a live stream (`kubectl logs -f | errdecode scan`): the summary
/// of what was found is printed, and the status is 130, as for a command SIGINT ended.
#[cfg(unix)]
#[test]
fn ctrl_c_prints_the_summary_and_exits_130() {
    let mut child = Process::cargo_bin("errdecode")
        .unwrap()
        .args(["scan"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(OSS_LINE.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // The line is read and decoded; the stream stays open, as a live log's does.
    std::thread::sleep(Duration::from_millis(500));
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sends a signal to the child this test started and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(out.contains("AccessDenied"), "{out}");
    drop(stdin);
}

/// `scan --follow`, as `tail -F`: an error appended to the log is printed when it
/// arrives (its kind's first sighting), through a truncation and a rotation, each of
/// which starts the line numbers again; Ctrl-C prints the summary and exits 130.
#[cfg(unix)]
#[test]
fn follow_reads_a_growing_log_through_truncation_and_rotation() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("errdecode-follow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("app.log");
    std::fs::write(&log, "started\n").unwrap();
    let mut child = Process::cargo_bin("errdecode")
        .unwrap()
        .args(["scan", "--follow"])
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let next = || {
        rx.recv_timeout(Duration::from_secs(20))
            .expect("no line while following")
    };
    let append = |text: &str| {
        let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        file.write_all(text.as_bytes()).unwrap();
    };
    append(OSS_LINE);
    let first = next();
    assert!(
        first.starts_with("new\tAccessDenied\taliyun/oss\t403\t"),
        "{first}"
    );
    assert!(first.contains("app.log:2 "), "{first}");
    // The same kind again is only counted.
    append(OSS_LINE);
    // copytruncate: the log is emptied in place, then written again.
    std::thread::sleep(Duration::from_millis(600));
    std::fs::File::create(&log).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    append(&format!("{BODY}\n"));
    let second = next();
    assert!(
        second.starts_with("new\tNoSuchKey\taliyun/oss\t404\t"),
        "{second}"
    );
    assert!(second.contains("app.log:1 "), "{second}");
    // Rotation: the log is renamed away and a new one takes its name.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(&log, dir.join("app.log.1")).unwrap();
    std::fs::write(
        &log,
        "x\nHTTP/1.1 403 Forbidden\nServer: tencent-cos\nX-ErrNo: -46618\n\n",
    )
    .unwrap();
    let third = next();
    assert!(
        third.starts_with("new\t-46618\ttencent/ci\t403\t"),
        "{third}"
    );
    assert!(third.contains("app.log:2"), "{third}");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sends a signal to the child this test started and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    let rest: Vec<String> = rx.iter().collect();
    assert!(rest[0].starts_with("# 4 errors"), "{rest:?}");
    assert!(
        rest.iter().any(|l| l.starts_with("2\tAccessDenied\t")),
        "{rest:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--follow` reads one log.
#[test]
fn follow_takes_one_file() {
    errdecode()
        .args(["scan", "--follow", "a.log", "b.log"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("--follow reads one log"));
}

/// Like grep and rg: an unreadable file is said on stderr, one line naming it; the
/// other files are scanned and printed; the exit status is 2.
#[test]
fn an_unreadable_file_is_named_and_the_others_are_scanned() {
    let dir = std::env::temp_dir().join(format!("errdecode-scan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("first.log");
    let third = dir.join("third.log");
    std::fs::write(&first, OSS_LINE).unwrap();
    std::fs::write(&third, format!("{BODY}\n")).unwrap();
    let missing = dir.join("missing.log");
    for (second, why) in [(&missing, "No such file"), (&dir, "directory")] {
        let out = errdecode()
            .args(["scan", "--json"])
            .arg(&first)
            .arg(second)
            .arg(&third)
            .output()
            .unwrap();
        let found = json_lines(&out.stdout);
        let codes: Vec<&str> = found.iter().map(|v| v["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["AccessDenied", "NoSuchKey"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("cannot read {}", second.display())) && stderr.contains(why),
            "{stderr}"
        );
        assert_eq!(out.status.code(), Some(2));
        // The summary, too, counts the files that could be read.
        errdecode()
            .arg("scan")
            .arg(&first)
            .arg(second)
            .arg(&third)
            .assert()
            .code(2)
            .stdout(predicates::str::contains("2 errors in"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Knowledge is data: no anchor or continuation label of catalog/anchors.tsv is
/// written in the code of src/scan/ (its tests may quote them).
#[test]
fn scan_anchors_are_data_not_code() {
    let table = std::fs::read_to_string("catalog/anchors.tsv").unwrap();
    for file in ["src/scan/mod.rs", "src/scan/cache.rs"] {
        anchors_not_in(&table, file);
    }
}

fn anchors_not_in(table: &str, file: &str) {
    let source = std::fs::read_to_string(file).unwrap();
    let code: Vec<&str> = source
        .split("#[cfg(test)]")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    let mut checked = 0;
    for row in table.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let anchor = row.split('\t').next().unwrap().trim_matches('`');
        if anchor.len() < 3 {
            continue;
        }
        checked += 1;
        for line in &code {
            assert!(
                !line.contains(&format!("\"{anchor}")),
                "{file} writes {anchor:?}: {line}"
            );
        }
    }
    assert!(checked > 30);
}

/// The fuzz target's first property on every `cargo test`: random logs made of the
/// tokens the record rules look at give the same records at once and in pieces.
#[test]
fn random_logs_of_anchor_tokens_give_the_same_records_in_pieces() {
    let table = std::fs::read_to_string("catalog/anchors.tsv").unwrap();
    let mut tokens: Vec<String> = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .flat_map(|row| {
            let cols: Vec<&str> = row.split('\t').collect();
            [cols[0].trim_matches('`'), cols[3], cols[4]]
                .into_iter()
                .filter(|t| *t != "-")
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    for t in [
        "\n",
        "\n",
        "\n",
        "\n\n",
        " ",
        "    ",
        "\t",
        "NoSuchKey",
        "AccessDenied",
        "-46618",
        "</Code>",
        "HTTP/1.1 404 Not Found\n",
        "<?xml version=\"1.0\"?>\n",
        "> ",
        "* ",
        "< ",
        "Server: AliyunOSS\n",
        "[RequestId]: x\n",
        "[2024-05-01] ",
        "\"",
        "'",
    ] {
        tokens.push(t.to_owned());
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..200 {
        let mut log = String::new();
        for _ in 0..(next() % 300) {
            log.push_str(&tokens[(next() % tokens.len() as u64) as usize]);
        }
        let (whole, totals) = records(log.as_bytes());
        assert_eq!(totals.bytes, log.len() as u64);
        for chunk in [1, 3, 17, 4096] {
            assert_eq!(
                records_in_chunks(log.as_bytes(), chunk),
                whole,
                "round {round}, pieces of {chunk}: {log:?}"
            );
        }
    }
}

/// Several files are scanned on several threads (the summary's at once), and what is
/// printed is what one thread prints: each file's errors in order, the files in the
/// order given, an unreadable one named, and the summary the same.
#[test]
fn files_scanned_at_once_give_what_one_thread_gives() {
    let dir = std::env::temp_dir().join(format!("errdecode-scan-at-once-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut args: Vec<std::path::PathBuf> = Vec::new();
    for (i, errors) in [40, 2500, 7, 0, 300].into_iter().enumerate() {
        let path = dir.join(format!("{i}.log"));
        std::fs::write(&path, generated_log(errors).0).unwrap();
        args.push(path);
        if i == 2 {
            args.push(dir.join("missing.log"));
        }
    }
    let run = |threads: &str, json: bool| {
        let mut cmd = errdecode();
        cmd.env("ERRDECODE_SCAN_THREADS", threads).arg("scan");
        if json {
            cmd.arg("--json");
        }
        let out = cmd.args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{threads} threads");
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (one, one_err) = run("1", true);
    let found = json_lines(&one);
    assert_eq!(found.len(), 40 + 2500 + 7 + 300);
    assert_eq!(found[40]["file"].as_str(), args[1].to_str());
    assert!(one_err.contains("missing.log"), "{one_err}");
    for threads in ["2", "4"] {
        let (many, many_err) = run(threads, true);
        assert!(many == one, "--json on {threads} threads differs from 1");
        assert_eq!(many_err, one_err);
        assert!(
            run(threads, false).0 == run("1", false).0,
            "summary on {threads} threads"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
