//! Repeated errors are decoded once: a log says the same error thousands of times,
//! with only its request id, time and object name changing.
//!
//! A record's **tokens** are its runs of ASCII letters and digits that hold a digit
//! (ids, times, numbers); its **key** is the record with each token replaced by a
//! marker: the token's group (tokens of equal value share one, so which values repeat
//! is part of the key) and, for a long token, the request-id shape it has. Records
//! with the same key differ only in their tokens' values.
//!
//! Nothing is assumed about which tokens the decode reads. An entry holds the first
//! record's report and values; a group is **free** once a later record with the same
//! key, whose value for it differed, decoded to exactly the entry's report with the
//! values put in (by the JSON that `scan --json` prints, the request id's time
//! decoded again). A record whose values differ from an entry's only in free groups
//! takes the entry's report with its own values put in; any other is decoded in full,
//! and teaches the entry (or starts one). So a status, code or EC that the decode
//! does read never goes free: its records keep being decoded, or get entries of
//! their own.
//!
//! One pair of records cannot show everything a value may mean, so two rules keep
//! a free group from standing for what it cannot: a value that is a token of a
//! catalog code, literal message or status (an unknown `-99999` freed by another
//! unknown one is no stand-in for `-46618`) is never put in, and a report whose
//! findings compare the input's times with the server's (a clock skew is a matter
//! of the values) is never kept.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::catalog;
use crate::parse::Extra;
use crate::report::Report;

/// The longest record kept: a typical error line or body is well under it, and the
/// cache's memory stays bounded by `MAX_ENTRIES` of them.
const MAX_RECORD: usize = 4 << 10;
/// The most token groups a cached record may have (a bit each in `Entry::free`).
const MAX_GROUPS: usize = 64;
/// How many entries the cache holds at most; past it, records are decoded in full.
const MAX_ENTRIES: usize = 512;
/// How many entries (different reports) one key may have.
const MAX_PER_KEY: usize = 4;
/// Tokens this long are request-id candidates: their shape is part of the key.
const SHAPED: usize = 8;

/// A record's key, and where each of its token groups first stands in the record.
pub struct Key {
    masked: Vec<u8>,
    values: Vec<Group>,
}

/// A token group of a record: its first token's place, and the time a request id of
/// that value says (when it has a shape with a time run).
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    time: Option<i64>,
}

/// The first record of a key, decoded.
struct Entry {
    /// Each group's value in that record.
    values: Vec<Box<[u8]>>,
    /// The groups shown to be free (bit per group).
    free: u64,
    report: Option<Report>,
}

#[derive(Default)]
pub struct Cache {
    keys: HashMap<Vec<u8>, Vec<Entry>>,
    entries: usize,
}

/// The token runs of `bytes`: (start, end) of each.
fn tokens(bytes: &[u8], mut each: impl FnMut(usize, usize) -> bool) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digit = false;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            digit |= bytes[i].is_ascii_digit();
            i += 1;
        }
        if digit && !each(start, i) {
            return false;
        }
    }
    true
}

/// The key of a record, or `None` when it is not cached (long, many tokens, or
/// holding a NUL, the marker byte).
pub fn key(bytes: &[u8]) -> Option<Key> {
    if bytes.len() > MAX_RECORD || memchr::memchr(0, bytes).is_some() {
        return None;
    }
    let mut masked = Vec::with_capacity(bytes.len());
    let mut values: Vec<Group> = Vec::new();
    let mut shapes: Vec<u16> = Vec::new();
    let mut copied = 0;
    let fits = tokens(bytes, |start, end| {
        let value = &bytes[start..end];
        let group = match values.iter().position(|g| &bytes[g.start..g.end] == value) {
            Some(group) => group,
            None if values.len() < MAX_GROUPS => {
                // Shorter tokens have no request-id shape.
                let shape = (value.len() >= SHAPED)
                    .then(|| std::str::from_utf8(value).ok().and_then(catalog::id_shape))
                    .flatten();
                shapes.push(shape.map_or(0, |(shape, _)| shape.signal + 1));
                values.push(Group {
                    start,
                    end,
                    time: shape.and_then(|(_, time)| time),
                });
                values.len() - 1
            }
            None => return false,
        };
        masked.extend_from_slice(&bytes[copied..start]);
        masked.push(0);
        masked.push(group as u8);
        masked.extend_from_slice(&shapes[group].to_le_bytes());
        copied = end;
        true
    });
    if !fits {
        return None;
    }
    masked.extend_from_slice(&bytes[copied..]);
    Some(Key { masked, values })
}

impl Cache {
    /// The report of the record `bytes`, whose key is `key`, if an entry answers it
    /// (the report of a record that decodes to none is `None`). A record it does not
    /// answer is decoded in full, and taught to it ([`Cache::learn`]).
    pub fn find(&self, key: &Key, bytes: &[u8]) -> Option<Option<Report>> {
        let entries = self.keys.get(&key.masked)?;
        let answers = |entry: &&Entry| {
            key.values.iter().enumerate().all(|(group, g)| {
                let value = &bytes[g.start..g.end];
                *entry.values[group] == *value
                    || (entry.free & (1 << group) != 0 && !catalog_tokens().contains(value))
            })
        };
        Some(entries.iter().find(answers)?.report_for(key, bytes))
    }

    /// Learns from a record decoded in full: frees the groups of an entry of its key
    /// whose values it changed without changing the report, or starts an entry.
    pub fn learn(&mut self, key: Key, bytes: &[u8], report: &Option<Report>) {
        // A report that shows masked secrets shows a part of them, which the values
        // put in would not replace; one that compares times depends on their values.
        if report
            .as_ref()
            .is_some_and(|r| !r.masked.is_empty() || compares_times(r))
        {
            return;
        }
        let full = self.entries >= MAX_ENTRIES;
        let entries = match self.keys.get_mut(&key.masked) {
            Some(entries) => entries,
            // A full cache takes no new key: 300,000 distinct errors cost no memory.
            None if full => return,
            None => self.keys.entry(key.masked.clone()).or_default(),
        };
        let mut shown = None;
        for entry in entries.iter_mut() {
            let changed: u64 = key
                .values
                .iter()
                .enumerate()
                .filter(|&(group, g)| *entry.values[group] != bytes[g.start..g.end])
                .fold(0, |set, (group, _)| set | 1 << group);
            let predicted = entry.report_for(&key, bytes);
            // The code, status and matches first: a different error needs no JSON.
            let alike = match (&predicted, report) {
                (Some(p), Some(r)) => {
                    p.code == r.code
                        && p.http_status == r.http_status
                        && p.matches.len() == r.matches.len()
                }
                (p, r) => p.is_none() && r.is_none(),
            };
            if alike
                && predicted.as_ref().map(crate::render::json::report_text)
                    == *shown.get_or_insert_with(|| {
                        report.as_ref().map(crate::render::json::report_text)
                    })
            {
                entry.free |= changed;
                return;
            }
        }
        if entries.len() < MAX_PER_KEY && !full {
            self.entries += 1;
            entries.push(Entry {
                values: key
                    .values
                    .iter()
                    .map(|g| bytes[g.start..g.end].into())
                    .collect(),
                free: 0,
                report: report.clone(),
            });
        }
    }
}

impl Entry {
    /// The entry's report with the record's values put in place of its own.
    fn report_for(&self, key: &Key, bytes: &[u8]) -> Option<Report> {
        self.report.as_ref().map(|report| {
            let mut report = report.clone();
            put_values(&mut report, &self.values, key, bytes);
            report
        })
    }
}

/// Whether the report, or one of the other errors it holds, compares times.
fn compares_times(report: &Report) -> bool {
    report.times_compared || report.others.iter().any(compares_times)
}

/// The tokens of every catalog code, literal message and status: values that mean
/// something to the decode whatever the record around them.
fn catalog_tokens() -> &'static HashSet<Vec<u8>> {
    static TOKENS: OnceLock<HashSet<Vec<u8>>> = OnceLock::new();
    TOKENS.get_or_init(|| {
        let mut set = HashSet::new();
        let mut add = |text: &str| {
            tokens(text.as_bytes(), |start, end| {
                set.insert(text.as_bytes()[start..end].to_vec());
                true
            });
        };
        for entry in &catalog::ENTRIES {
            add(entry.code());
            entry.literals().for_each(&mut add);
            if let Some(status) = entry.status {
                add(&status.to_string());
            }
        }
        for status in &catalog::HTTP_STATUSES {
            add(status.status);
        }
        set
    })
}

/// Puts the record's values in place of the entry's, in every text of `report` that
/// came from the input, and the time its request id says.
fn put_values(report: &mut Report, old: &[Box<[u8]>], key: &Key, bytes: &[u8]) {
    let swaps: Vec<Swap<'_>> = key
        .values
        .iter()
        .zip(old)
        .map(|(g, old)| Swap {
            old,
            new: &bytes[g.start..g.end],
            time: g.time,
        })
        .filter(|swap| swap.old != swap.new)
        .collect();
    if !swaps.is_empty() {
        report.put(&swaps);
    }
}

/// One group's value in the entry's record and in the record at hand.
struct Swap<'a> {
    old: &'a [u8],
    new: &'a [u8],
    /// The time a request id of the new value says.
    time: Option<i64>,
}

/// `text` with each token that is a swap's old value replaced by its new one; whether
/// any was.
fn swap_tokens(text: &mut String, swaps: &[Swap<'_>]) -> bool {
    let bytes = text.as_bytes();
    // Every token holds a digit: a text without one (most messages) has none.
    if !bytes.iter().any(u8::is_ascii_digit) {
        return false;
    }
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    tokens(bytes, |start, end| {
        if let Some(swap) = swaps.iter().find(|swap| swap.old == &bytes[start..end]) {
            let out = out.get_or_insert_with(|| Vec::with_capacity(bytes.len()));
            out.extend_from_slice(&bytes[copied..start]);
            out.extend_from_slice(swap.new);
            copied = end;
        }
        true
    });
    let Some(mut out) = out else {
        return false;
    };
    out.extend_from_slice(&bytes[copied..]);
    // ASCII tokens swapped for ASCII tokens: still UTF-8.
    *text = String::from_utf8(out).unwrap_or_default();
    true
}

impl Report {
    /// Swaps the values in every text of the report read from the input, and of the
    /// other errors it holds, and decodes a changed request id's time again.
    fn put(&mut self, swaps: &[Swap<'_>]) {
        let f = |text: &mut String| {
            swap_tokens(text, swaps);
        };
        let fields = [
            &mut self.service,
            &mut self.code,
            &mut self.message,
            &mut self.host_id,
            &mut self.trace_id,
            &mut self.ec,
            &mut self.recommend,
        ];
        for text in fields.into_iter().flatten() {
            f(text);
        }
        if let Some(request) = &mut self.request {
            for text in [&mut request.method, &mut request.host, &mut request.target]
                .into_iter()
                .flatten()
            {
                f(text);
            }
        }
        for (name, value) in &mut self.details {
            f(name);
            match value {
                Extra::Text(text) => f(text),
                Extra::Group(members) => {
                    for (name, value) in members {
                        f(name);
                        f(value);
                    }
                }
            }
        }
        for finding in &mut self.findings {
            f(&mut finding.text);
        }
        for candidate in &mut self.alternatives {
            f(&mut candidate.value);
            f(&mut candidate.key);
        }
        if let Some(id) = &mut self.request_id
            && swap_tokens(id, swaps)
        {
            // A time-run shape is one token: the key decoded its time. An id of several
            // tokens is read again.
            self.received_at = match swaps.iter().find(|swap| swap.new == id.as_bytes()) {
                Some(swap) => swap.time,
                None => catalog::id_shape(id).and_then(|(_, time)| time),
            };
        }
        for other in &mut self.others {
            other.put(swaps);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::Scope;

    fn decode(text: &str) -> Option<Report> {
        crate::decode(text, Scope::default()).ok()
    }

    /// Decodes each record through the cache, learning as scan does.
    fn through(cache: &mut Cache, text: &str) -> (Option<Report>, bool) {
        let key = key(text.as_bytes()).expect("cacheable");
        match cache.find(&key, text.as_bytes()) {
            Some(report) => (report, true),
            None => {
                let report = decode(text);
                cache.learn(key, text.as_bytes(), &report);
                (report, false)
            }
        }
    }

    fn shown(report: &Option<Report>) -> Option<String> {
        report.as_ref().map(crate::render::json::report_text)
    }

    #[test]
    fn a_free_id_is_put_in_and_its_time_decoded_again() {
        let mut cache = Cache::default();
        let line = |id: &str, ms: u32| {
            format!(
                "2024-05-01T12:00:05.{ms:03}Z oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, \
                 ErrorMessage=\"You have no right to access this object because of bucket acl.\", RequestId={id}, Ec=0003-00000001"
            )
        };
        let ids = [
            "5C3D9175B6FC201293AD0003",
            "5C3D9176B6FC201293AD0004",
            "65B0A1B2C3D4E5F60718293A",
            "5C3D9175B6FC201293AD0003",
        ];
        let mut hits = 0;
        for (n, id) in ids.iter().enumerate() {
            let text = line(id, n as u32 * 7);
            let (report, hit) = through(&mut cache, &text);
            hits += usize::from(hit);
            assert_eq!(shown(&report), shown(&decode(&text)), "{text}");
            assert_eq!(report.unwrap().request_id.as_deref(), Some(*id));
        }
        // The second record frees the time and the id; the others are answered.
        assert_eq!(hits, 2);
    }

    #[test]
    fn a_value_the_decode_reads_is_never_put_in() {
        let mut cache = Cache::default();
        // The status differs, and with it the report: each is decoded.
        for (status, id) in [(403, "A1"), (404, "A2"), (403, "A3"), (404, "A4")] {
            let text = format!(
                "HTTP/1.1 {status} X\nServer: tencent-cos\nx-cos-request-id: NjQ4ZmZlNTBfYjZiYjRlMGJfMTU2YV8x{id}\nX-ErrNo: -46618\n\n"
            );
            let (report, _) = through(&mut cache, &text);
            assert_eq!(shown(&report), shown(&decode(&text)), "{text}");
        }
        // Nor the code: -46618 and -46628 share a key.
        for code in ["-46618", "-46628", "-46618", "-46628"] {
            let text = format!("HTTP/1.1 403 X\nServer: tencent-cos\nX-ErrNo: {code}\n\n");
            let (report, _) = through(&mut cache, &text);
            assert_eq!(shown(&report), shown(&decode(&text)), "{text}");
        }
    }

    #[test]
    fn a_value_freed_by_unknown_ones_never_stands_for_a_catalog_code() {
        let mut cache = Cache::default();
        let dump = |errno: &str, id: &str| {
            format!(
                "HTTP/1.1 403 X\nServer: tencent-cos\nx-cos-request-id: {id}\nX-ErrNo: {errno}\n\n"
            )
        };
        // Two unknown errnos decode alike but for the value: the group goes free.
        for (errno, id) in [("-99991", "A1"), ("-99992", "A2"), ("-99993", "A3")] {
            through(&mut cache, &dump(errno, id));
        }
        let (report, hit) = through(&mut cache, &dump("-99994", "A4"));
        assert!(hit);
        assert_eq!(shown(&report), shown(&decode(&dump("-99994", "A4"))));
        // A catalog code in its place is decoded.
        let text = dump("-46618", "A5");
        let (report, hit) = through(&mut cache, &text);
        assert!(!hit);
        assert_eq!(shown(&report), shown(&decode(&text)));
    }

    #[test]
    fn a_report_that_compares_times_is_not_kept() {
        let mut cache = Cache::default();
        // The server's time is the request id's: the first two agree with the
        // request's time, the third is a year later, a clock skew.
        for id in [
            "5C3D9175B6FC201293AD0001",
            "5C3D9176B6FC201293AD0002",
            "5E3D9175B6FC201293AD0003",
        ] {
            let text = format!(
                "<Error><Code>RequestTimeTooSkewed</Code><RequestId>{id}</RequestId>\
                 <RequestTime>2019-01-15T07:53:25Z</RequestTime></Error>"
            );
            let (report, hit) = through(&mut cache, &text);
            assert!(!hit, "{text}");
            assert_eq!(shown(&report), shown(&decode(&text)));
        }
        let skewed = decode(
            "<Error><Code>RequestTimeTooSkewed</Code><RequestId>5E3D9175B6FC201293AD0003</RequestId>\
             <RequestTime>2019-01-15T07:53:25Z</RequestTime></Error>",
        );
        assert!(
            !skewed.unwrap().findings.is_empty(),
            "the test's third record is skewed"
        );
    }

    #[test]
    fn which_values_repeat_is_part_of_the_key() {
        let a = key(b"RequestId=AB12 HostId=AB12").unwrap();
        let b = key(b"RequestId=AB12 HostId=AB13").unwrap();
        assert_ne!(a.masked, b.masked);
        let c = key(b"RequestId=CD34 HostId=CD34").unwrap();
        assert_eq!(a.masked, c.masked);
    }

    #[test]
    fn long_records_and_nul_bytes_are_not_cached() {
        assert!(key(&vec![b'a'; MAX_RECORD + 1]).is_none());
        assert!(key(b"Code=1\0").is_none());
        let many: String = (0..=MAX_GROUPS).map(|n| format!("x{n} ")).collect();
        assert!(key(many.as_bytes()).is_none());
    }

    #[test]
    fn tokens_are_swapped_whole() {
        let mut text = "id AB12 in AB123 and AB12.".to_owned();
        let swap = Swap {
            old: b"AB12",
            new: b"CD34",
            time: None,
        };
        assert!(swap_tokens(&mut text, &[swap]));
        assert_eq!(text, "id CD34 in AB123 and CD34.");
    }
}
