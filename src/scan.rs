//! Scan mode: find every error in a log of any size, with bounded memory.
//!
//! The input is read in blocks. One multi-pattern search (SIMD via aho-corasick) finds
//! the anchors every error form carries (`<Code>`, `X-ErrNo`, `ErrorCode=`, ...); only
//! the few lines around an anchor are cut out as a record and decoded by the same
//! pipeline as a single paste. A record that runs past the end of a block is carried
//! into the next one, up to `MAX_RECORD` bytes.

use std::io::{self, Read};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::catalog::{Entry, StatusMeaning};
use crate::lookup::Scope;
use crate::report::Report;

/// Bytes read per block: large enough for the searcher to run at full speed.
const BLOCK: usize = 1 << 20;
/// The most a single record (one error body or dump) may span.
const MAX_RECORD: usize = 64 << 10;
/// How far before its `<Code>` a body's opening tag is looked for.
const MAX_OPEN_DISTANCE: usize = 4 << 10;
/// How many lines of headers or SDK continuation lines a record may take around its anchor.
const MAX_CONTEXT_LINES: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// An XML element inside an error body: the record spans from the body's opening
    /// to its closing tag, written as in the anchor (plain, HTML- or JSON-escaped).
    Body {
        open: &'static str,
        close: &'static str,
    },
    /// A header that carries the error: the record is the header block.
    Header,
    /// An SDK or log line: the record is the line and its continuation lines.
    Line,
}

const ANCHORS: &[(&str, Anchor)] = &[
    (
        "<Code>",
        Anchor::Body {
            open: "<Error",
            close: "</Error>",
        },
    ),
    (
        "<Code ",
        Anchor::Body {
            open: "<Error",
            close: "</Error>",
        },
    ),
    (
        "&lt;Code&gt;",
        Anchor::Body {
            open: "&lt;Error",
            close: "&lt;/Error&gt;",
        },
    ),
    (
        "\\u003cCode\\u003e",
        Anchor::Body {
            open: "\\u003cError",
            close: "\\u003c/Error\\u003e",
        },
    ),
    // Header names in the spellings servers and proxies send (matching ignoring case
    // would make the whole search three times slower).
    ("X-ErrNo:", Anchor::Header),
    ("x-errno:", Anchor::Header),
    ("X-Errno:", Anchor::Header),
    ("x-oss-ec:", Anchor::Header),
    ("X-Oss-Ec:", Anchor::Header),
    ("x-oss-err:", Anchor::Header),
    ("X-Oss-Err:", Anchor::Header),
    ("x-cos-error-code:", Anchor::Header),
    ("X-Cos-Error-Code:", Anchor::Header),
    ("ErrorCode=", Anchor::Line),
    ("[ErrorCode]", Anchor::Line),
    ("ErrorCode:", Anchor::Line),
    ("Error Code: ", Anchor::Line),
    ("Error returned by Service.", Anchor::Line),
    ("'code': '", Anchor::Line),
    ("(Message: ", Anchor::Line),
    ("An error occurred (", Anchor::Line),
    ("TencentCloudSDK", Anchor::Line),
    ("\"Code\":", Anchor::Line),
    ("\"errorcode\":", Anchor::Line),
    // oss2's details dict, Node's util.inspect, Go's %+v, Rust's Debug.
    ("'Code': '", Anchor::Line),
    ("code: '", Anchor::Line),
    ("Code:\"", Anchor::Line),
    ("code: Some(\"", Anchor::Line),
    ("Error Domain=", Anchor::Line),
];

/// One error found in the input.
pub struct Found {
    /// 1-based line number of the record's first line.
    pub line: u64,
    pub report: Report,
}

/// Totals a scan reports to its progress callback.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub bytes: u64,
    pub errors: u64,
}

pub struct Scanner {
    searcher: AhoCorasick,
    scope: Scope,
}

impl Scanner {
    pub fn new(scope: Scope) -> Scanner {
        let searcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(ANCHORS.iter().map(|(p, _)| p))
            .expect("the anchor patterns are valid");
        Scanner { searcher, scope }
    }

    /// Reads `input` to the end, calling `found` for every error and `progress`
    /// after every block.
    pub fn scan(
        &self,
        mut input: impl Read,
        mut found: impl FnMut(Found) -> io::Result<()>,
        mut progress: impl FnMut(Progress),
    ) -> io::Result<Progress> {
        let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + MAX_RECORD + MAX_OPEN_DISTANCE);
        let mut totals = Progress::default();
        // Line number of buf[0].
        let mut line = 1u64;
        // Where searching resumes: the bytes before it were searched already and are
        // kept only so a record found later can reach back to its opening tag.
        let mut searched = 0;
        // Where the last record ended: a record never starts before it.
        let mut floor = 0;
        let mut eof = false;
        while !eof {
            let start = buf.len();
            buf.resize(start + BLOCK, 0);
            let n = read_full(&mut input, &mut buf[start..])?;
            buf.truncate(start + n);
            totals.bytes += n as u64;
            eof = n == 0;
            // Process whole lines only, unless this is the end.
            let usable = if eof {
                buf.len()
            } else {
                match memchr::memrchr(b'\n', &buf) {
                    Some(i) if i >= searched => i + 1,
                    _ if buf.len() - searched < MAX_RECORD => continue,
                    _ => buf.len(),
                }
            };
            let block = Block {
                bytes: &buf[..usable],
                searched,
                floor,
                first_line: line,
                eof,
            };
            let (done, last_end, errors) = self.scan_block(&block, &mut found)?;
            totals.errors += errors;
            // Keep a little of what was searched: the opening of a body whose anchor
            // is in the next block (`<Error>` here, `<Code>` there) lies in it.
            let keep_from = line_start(&buf, done.saturating_sub(MAX_OPEN_DISTANCE).max(last_end));
            line += memchr::memchr_iter(b'\n', &buf[..keep_from]).count() as u64;
            buf.drain(..keep_from);
            searched = done - keep_from;
            floor = last_end.saturating_sub(keep_from);
            progress(totals);
        }
        Ok(totals)
    }

    /// Scans `block.bytes` from `block.searched`; returns how many bytes are done
    /// with, where the last record ended, and the errors found. Bytes from the start
    /// of a record that may continue in the next block are not done with.
    fn scan_block(
        &self,
        block: &Block<'_>,
        found: &mut impl FnMut(Found) -> io::Result<()>,
    ) -> io::Result<(usize, usize, u64)> {
        let bytes = block.bytes;
        let mut errors = 0;
        let mut pos = block.searched;
        let mut floor = block.floor;
        let mut line = block.first_line;
        let mut counted_to = 0;
        while let Some(hit) = self.searcher.find(&bytes[pos..]) {
            let at = pos + hit.start();
            let anchor = ANCHORS[hit.pattern().as_usize()].1;
            let Some((start, end)) = record_bounds(bytes, at, anchor, block.eof) else {
                // The record continues past this block: carry it over from its line start.
                let carry = line_start(bytes, at);
                if bytes.len() - carry < MAX_RECORD {
                    return Ok((carry, floor, errors));
                }
                pos = at + hit.len();
                continue;
            };
            let start = start.max(floor.min(at));
            line += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count() as u64;
            counted_to = start;
            let text = String::from_utf8_lossy(&bytes[start..end]);
            if let Ok(report) = crate::decode(&text, self.scope)
                && is_error(&report)
            {
                errors += 1;
                found(Found { line, report })?;
            }
            pos = end.max(at + hit.len());
            floor = pos;
        }
        Ok((bytes.len(), floor, errors))
    }
}

/// The part of the input one `scan_block` call looks at.
struct Block<'a> {
    /// Whole lines (or the input's end).
    bytes: &'a [u8],
    /// Where searching starts; what is before it was searched in the last block.
    searched: usize,
    /// Where the last record ended.
    floor: usize,
    /// The line number of `bytes[0]`.
    first_line: u64,
    eof: bool,
}

/// A record is an error when it has a code or EC and errdecode either knows it or
/// knows who sent it; a stray `"Code": 200` in an application log is not.
fn is_error(report: &Report) -> bool {
    let has_code = report.code.is_some() || report.ec.is_some();
    has_code && (report.is_explained() || report.vendor.is_some())
}

fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn line_start(block: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &block[..at]).map_or(0, |i| i + 1)
}

fn line_end(block: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i + 1)
}

/// The byte range of the record around an anchor at `at`, or `None` when it may
/// continue past the end of the block.
fn record_bounds(block: &[u8], at: usize, anchor: Anchor, eof: bool) -> Option<(usize, usize)> {
    match anchor {
        Anchor::Body { open, close } => {
            let lo = at.saturating_sub(MAX_OPEN_DISTANCE);
            let open =
                memchr::memmem::rfind(&block[lo..at], open.as_bytes()).map_or(at, |i| lo + i);
            // The XML declaration on the line before belongs to the body.
            let open_line = line_start(block, open);
            let open = match open_line.checked_sub(1).map(|end| line_start(block, end)) {
                Some(declaration) if block[declaration..].starts_with(b"<?xml") => declaration,
                _ => open_line,
            };
            let hi = (at + MAX_RECORD).min(block.len());
            let end = match memchr::memmem::find(&block[at..hi], close.as_bytes()) {
                Some(i) => line_end(block, at + i),
                None if eof || hi < block.len() => line_end(block, at),
                None => return None,
            };
            Some((headers_before(block, open), end))
        }
        Anchor::Header => {
            let start = headers_before(block, line_start(block, at));
            let mut end = line_end(block, at);
            for _ in 0..MAX_CONTEXT_LINES {
                if end >= block.len() {
                    return (eof).then_some((start, end));
                }
                let next = line_end(block, end);
                if !is_header_line(&block[end..next]) {
                    break;
                }
                end = next;
            }
            Some((start, body_after_headers(block, end).unwrap_or(end)))
        }
        Anchor::Line => {
            let mut start = line_start(block, at);
            // OSS Java prints the message on the line before `[ErrorCode]`.
            if block[start..at].trim_ascii().is_empty() || block[start] == b'[' {
                start = line_start(block, start.saturating_sub(1));
            }
            let mut end = line_end(block, at);
            for _ in 0..MAX_CONTEXT_LINES {
                if end >= block.len() {
                    return (eof).then_some((start, end));
                }
                let next = line_end(block, end);
                if !is_continuation(&block[end..next]) {
                    break;
                }
                end = next;
            }
            Some((start, end))
        }
    }
}

/// Where the body that follows a header block at `end` ends: a dump's headers, a
/// blank line, then `<Error>...</Error>` or a JSON line. One response is one record,
/// so a dump whose headers and body both carry the error counts once.
fn body_after_headers(block: &[u8], end: usize) -> Option<usize> {
    let blank_end = line_end(block, end);
    // A blank line, or curl -v's `<` that stands for one.
    let blank = block[end..blank_end].trim_ascii();
    if end >= block.len() || !(blank.is_empty() || blank == b"<") {
        return None;
    }
    // curl -v may note the data before it: `{ [700 bytes data]`.
    let mut body_start = blank_end;
    while body_start < block.len() && is_curl_trace(&block[body_start..line_end(block, body_start)])
    {
        body_start = line_end(block, body_start);
    }
    let body = block.get(body_start..)?;
    match body.first()? {
        b'{' => Some(line_end(block, body_start)),
        b'<' => {
            let hi = body.len().min(MAX_RECORD);
            memchr::memmem::find(&body[..hi], b"</Error>").map(|i| line_end(block, body_start + i))
        }
        _ => None,
    }
}

/// Extends a record back over the HTTP status line and headers right before it, so
/// a saved `curl -i` dump keeps its status and vendor headers; in a `curl -v` trace,
/// also over the request (`> ` lines) and curl's `* ` notes before the response, so
/// the request's host and URL count as evidence too.
fn headers_before(block: &[u8], mut start: usize) -> usize {
    let mut in_request = false;
    for _ in 0..2 * MAX_CONTEXT_LINES {
        if start == 0 {
            break;
        }
        let prev = line_start(block, start - 1);
        let line = &block[prev..start];
        let trace = is_curl_trace(line);
        if in_request && !trace {
            break;
        }
        if !in_request && !trace && !is_header_line(line) && line.trim_ascii() != b"<" {
            break;
        }
        start = prev;
        if line.starts_with(b"HTTP/") {
            break;
        }
        // Above curl -v's status line: the request it answers.
        in_request |= line.starts_with(b"< HTTP/");
    }
    start
}

/// curl -v's own lines: the request (`> `), notes (`* `), data markers (`{ [5 bytes
/// data]`, `} [...]`).
fn is_curl_trace(line: &[u8]) -> bool {
    [b"> ", b"* ", b"{ ", b"} "]
        .iter()
        .any(|p| line.starts_with(*p))
        || line.trim_ascii() == b">"
}

fn is_header_line(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"< ").unwrap_or(line).trim_ascii_end();
    if line.starts_with(b"HTTP/") {
        return true;
    }
    let Some(colon) = memchr::memchr(b':', line) else {
        return false;
    };
    // A header name starts with a letter: `2024-05-01T12:00` is a log line's time.
    colon > 0
        && line[0].is_ascii_alphabetic()
        && line[..colon]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// Lines that continue a multi-line SDK error: indented, `[Label]:`, or an OSS Go v2
/// `Label: value.` line, or the embedded XML body of an OSS Java exception.
fn is_continuation(line: &[u8]) -> bool {
    const LABELS: &[&[u8]] = &[
        b"Http Status Code:",
        b"Error Code:",
        b"Request Id:",
        b"Message:",
        b"EC:",
        b"Timestamp:",
        b"Request Endpoint:",
        b"ErrorCode:",
        b"RequestId:",
        b"Recommend:",
        b"<",
    ];
    line.first()
        .is_some_and(|b| *b == b' ' || *b == b'\t' || *b == b'[')
        || LABELS.iter().any(|l| line.starts_with(l))
}

/// Where one occurrence of an error was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    /// The file (as named on the command line), or `None` for stdin.
    pub file: Option<String>,
    pub line: u64,
    pub request_id: Option<String>,
}

/// One row of the summary: an error (vendor, product, code, status) and how often.
#[derive(Debug)]
pub struct SummaryRow {
    pub vendor: Option<&'static str>,
    pub product: Option<&'static str>,
    pub code: String,
    pub status: Option<u16>,
    pub count: u64,
    pub first: Sighting,
    pub last: Sighting,
    /// The best catalog entry, or the status class's meaning when the code is unknown.
    pub entry: Option<&'static Entry>,
    pub status_meaning: Option<&'static StatusMeaning>,
}

/// The most distinct errors a summary keeps rows for. Real logs have a handful; a
/// log of random codes must not grow memory with its size, so later distinct
/// errors are only counted (`Summary::untracked`).
const MAX_ROWS: usize = 1000;

/// What identifies a row: (vendor, product, code, status).
type RowKey = (
    Option<&'static str>,
    Option<&'static str>,
    String,
    Option<u16>,
);

/// Counts errors by (vendor, product, code, status); memory grows with the number of
/// distinct errors (at most `MAX_ROWS`), not with the input.
#[derive(Debug, Default)]
pub struct Summary {
    rows: Vec<SummaryRow>,
    index: std::collections::HashMap<RowKey, usize>,
    /// Errors whose (vendor, product, code, status) came after `MAX_ROWS` others.
    pub untracked: u64,
}

impl Summary {
    pub fn add(&mut self, file: Option<&str>, found: &Found) {
        let r = &found.report;
        let code = r.code.clone().or_else(|| r.ec.clone()).unwrap_or_default();
        let vendor = r.vendor.map(|v| v.id()).or(r.foreign);
        let product = r.product.map(|p| p.id());
        let sighting = Sighting {
            file: file.map(str::to_owned),
            line: found.line,
            request_id: r.request_id.clone(),
        };
        let key = (vendor, product, code, r.http_status);
        if let Some(&i) = self.index.get(&key) {
            let row = &mut self.rows[i];
            row.count += 1;
            row.last = sighting;
            return;
        }
        if self.rows.len() == MAX_ROWS {
            self.untracked += 1;
            return;
        }
        self.rows.push(SummaryRow {
            vendor,
            product,
            code: key.2.clone(),
            status: r.http_status,
            count: 1,
            first: sighting.clone(),
            last: sighting,
            entry: r.matches.first().map(|m| m.entry),
            status_meaning: r.status_meaning,
        });
        self.index.insert(key, self.rows.len() - 1);
    }

    /// The rows, most frequent first (ties in order of first appearance).
    pub fn rows(&self) -> Vec<&SummaryRow> {
        let mut rows: Vec<&SummaryRow> = self.rows.iter().collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.count));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(text: &str) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        Scanner::new(Scope::default())
            .scan(
                text.as_bytes(),
                |f| {
                    out.push((f.line, f.report.code.clone().unwrap_or_default()));
                    Ok(())
                },
                |_| {},
            )
            .unwrap();
        out
    }

    #[test]
    fn finds_every_form_with_its_line() {
        let log = "\
start
2024-05-01 ERROR <Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0AAAA</RequestId></Error>
ok
HTTP/1.1 403 Forbidden
Server: tencent-cos
X-ErrNo: -46618

oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, ErrorMessage=\"x\", RequestId=5C3D9175B6FC201293ADAAAA
com.aliyun.oss.OSSException: Missing Some Required Arguments.
[ErrorCode]: MissingArgument
[RequestId]: 57ABD896CCB80C366955AAAA
{\"Code\": 200, \"Message\": \"fine\"}
";
        assert_eq!(
            scan_text(log),
            [
                (2, "NoSuchKey".to_owned()),
                (4, "-46618".to_owned()),
                (8, "AccessDenied".to_owned()),
                (9, "MissingArgument".to_owned()),
            ]
        );
    }

    #[test]
    fn the_summary_counts_by_error_most_frequent_first() {
        let log = "<Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0AAA1</RequestId></Error>\n\
                   -\n\
                   X-ErrNo: -46618\n\
                   <Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0AAA2</RequestId></Error>\n";
        let mut summary = Summary::default();
        Scanner::new(Scope::default())
            .scan(
                log.as_bytes(),
                |f| {
                    summary.add(Some("app.log"), &f);
                    Ok(())
                },
                |_| {},
            )
            .unwrap();
        let rows = summary.rows();
        assert_eq!((rows[0].code.as_str(), rows[0].count), ("NoSuchKey", 2));
        assert_eq!(
            rows[0].first.request_id.as_deref(),
            Some("636B68BA3C7A1F3233B0AAA1")
        );
        assert_eq!(
            (rows[0].last.line, rows[0].last.file.as_deref()),
            (4, Some("app.log"))
        );
        assert_eq!((rows[1].code.as_str(), rows[1].count), ("-46618", 1));
    }

    #[test]
    fn distinct_errors_past_the_cap_are_counted_not_kept() {
        let log: String = (0..MAX_ROWS + 5)
            .map(|i| format!("<Error><Code>Unknown{i}</Code><RequestId>636B68BA3C7A1F3233B0AAAA</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>\n"))
            .collect();
        let mut summary = Summary::default();
        Scanner::new(Scope::default())
            .scan(
                log.as_bytes(),
                |f| {
                    summary.add(None, &f);
                    Ok(())
                },
                |_| {},
            )
            .unwrap();
        assert_eq!(summary.rows().len(), MAX_ROWS);
        assert_eq!(summary.untracked, 5);
    }

    #[test]
    fn a_dump_whose_headers_and_body_carry_the_error_is_one_error() {
        let log = "before\nHTTP/1.1 404 Not Found\nServer: AliyunOSS\nx-oss-request-id: 636B68BA3C7A1F3233B0AAAA\nx-oss-ec: 0026-00000001\n\n<?xml version=\"1.0\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n</Error>\nafter\n<Error><Code type=\"x\">NoSuchBucket</Code><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>\n";
        assert_eq!(
            scan_text(log),
            [(2, "NoSuchKey".to_owned()), (12, "NoSuchBucket".to_owned())]
        );
    }

    #[test]
    fn a_multi_line_body_is_one_error() {
        let log = "<?xml version=\"1.0\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n  <Message>m</Message>\n</Error>\n";
        // The record, and so its line, starts at the XML declaration.
        assert_eq!(scan_text(log), [(1, "NoSuchKey".to_owned())]);
    }

    /// A multi-line body whose `<Error>` opens in one block and whose `<Code>` is in
    /// the next, at every offset around the boundary.
    #[test]
    fn a_body_split_across_blocks_is_found_with_its_line() {
        let body = "<Error>\n  <Code>AccessDenied</Code>\n  <RequestId>NjQ4ZmZlNTBfNDBiYjRlMGJfMjQ1OF8y</RequestId>\n</Error>\n";
        for before in [1, 8, 9, 100, 162, 400] {
            let mut log = String::new();
            let mut lines = 0;
            while log.len() + before < BLOCK {
                log.push_str(&"x".repeat(99));
                log.push('\n');
                lines += 1;
            }
            log.truncate(BLOCK - before);
            log.push('\n');
            log.push_str(body);
            let found = scan_text(&log);
            assert_eq!(found.len(), 1, "{before} bytes before the boundary");
            assert_eq!(found[0].0, lines + 1, "{before} bytes before the boundary");
        }
    }

    #[test]
    fn log_lines_with_times_are_not_taken_for_headers() {
        let mut log: String = (0..50)
            .map(|i| format!("2024-05-01T12:00:{:02}Z INFO request ok\n", i % 60))
            .collect();
        log.push_str("<Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0AAAA</RequestId></Error>\n");
        assert_eq!(scan_text(&log), [(51, "NoSuchKey".to_owned())]);
    }

    #[test]
    fn records_across_block_boundaries_are_found_once() {
        let body = "<Error>\n<Code>NoSuchKey</Code>\n<RequestId>636B68BA3C7A1F3233B0AAAA</RequestId>\n</Error>\n";
        let filler = "x".repeat(999) + "\n";
        let mut log = String::new();
        let mut expected = 0;
        while log.len() < 3 * BLOCK {
            log.push_str(&filler);
            log.push_str(body);
            expected += 1;
        }
        assert_eq!(scan_text(&log).len(), expected);
    }
}
