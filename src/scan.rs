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
    ("X-ErrNo:", Anchor::Header),
    ("x-errno:", Anchor::Header),
    ("X-Errno:", Anchor::Header),
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
        let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + MAX_RECORD);
        let mut totals = Progress::default();
        // Line number of buf[0].
        let mut line = 1u64;
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
                    Some(i) => i + 1,
                    None if buf.len() < MAX_RECORD => continue,
                    None => buf.len(),
                }
            };
            let (consumed, errors) = self.scan_block(&buf[..usable], eof, line, &mut found)?;
            totals.errors += errors;
            line += memchr::memchr_iter(b'\n', &buf[..consumed]).count() as u64;
            buf.drain(..consumed);
            progress(totals);
        }
        Ok(totals)
    }

    /// Scans `block` (whole lines); returns how many bytes are done with. Bytes from
    /// the start of a record that may continue in the next block are not done with.
    fn scan_block(
        &self,
        block: &[u8],
        eof: bool,
        first_line: u64,
        found: &mut impl FnMut(Found) -> io::Result<()>,
    ) -> io::Result<(usize, u64)> {
        let mut errors = 0;
        let mut pos = 0;
        let mut line = first_line;
        let mut counted_to = 0;
        while let Some(hit) = self.searcher.find(&block[pos..]) {
            let at = pos + hit.start();
            let anchor = ANCHORS[hit.pattern().as_usize()].1;
            let Some((start, end)) = record_bounds(block, at, anchor, eof) else {
                // The record continues past this block: carry it over from its line start.
                let carry = line_start(block, at);
                if block.len() - carry < MAX_RECORD {
                    return Ok((carry, errors));
                }
                pos = at + hit.len();
                continue;
            };
            let start = start.max(pos.min(at));
            line += memchr::memchr_iter(b'\n', &block[counted_to..start]).count() as u64;
            counted_to = start;
            let text = String::from_utf8_lossy(&block[start..end]);
            if let Ok(report) = crate::decode(&text, self.scope)
                && is_error(&report)
            {
                errors += 1;
                found(Found { line, report })?;
            }
            pos = end.max(at + hit.len());
        }
        Ok((block.len(), errors))
    }
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
            let hi = (at + MAX_RECORD).min(block.len());
            let end = match memchr::memmem::find(&block[at..hi], close.as_bytes()) {
                Some(i) => line_end(block, at + i),
                None if eof || hi < block.len() => line_end(block, at),
                None => return None,
            };
            Some((headers_before(block, line_start(block, open)), end))
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
            Some((start, end))
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

/// Extends a record back over the HTTP status line and headers right before it, so
/// a saved `curl -i` dump keeps its status and vendor headers.
fn headers_before(block: &[u8], mut start: usize) -> usize {
    for _ in 0..MAX_CONTEXT_LINES {
        if start == 0 {
            break;
        }
        let prev = line_start(block, start - 1);
        let line = &block[prev..start];
        if !is_header_line(line) {
            break;
        }
        start = prev;
        if line.starts_with(b"HTTP/") || line.starts_with(b"< HTTP/") {
            break;
        }
    }
    start
}

fn is_header_line(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"< ").unwrap_or(line).trim_ascii_end();
    if line.starts_with(b"HTTP/") {
        return true;
    }
    let Some(colon) = memchr::memchr(b':', line) else {
        return false;
    };
    colon > 0
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

/// Counts errors by (vendor, product, code, status); memory grows with the number of
/// distinct errors, not with the input.
#[derive(Debug, Default)]
pub struct Summary {
    rows: Vec<SummaryRow>,
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
        let existing = self.rows.iter_mut().find(|row| {
            row.vendor == vendor
                && row.product == product
                && row.code == code
                && row.status == r.http_status
        });
        match existing {
            Some(row) => {
                row.count += 1;
                row.last = sighting;
            }
            None => self.rows.push(SummaryRow {
                vendor,
                product,
                code,
                status: r.http_status,
                count: 1,
                first: sighting.clone(),
                last: sighting,
                entry: r.matches.first().map(|m| m.entry),
                status_meaning: r.status_meaning,
            }),
        }
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
    fn a_multi_line_body_is_one_error() {
        let log = "<?xml version=\"1.0\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n  <Message>m</Message>\n</Error>\n";
        assert_eq!(scan_text(log), [(2, "NoSuchKey".to_owned())]);
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
