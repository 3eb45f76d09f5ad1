//! Scan mode: find every error in a log of any size, with bounded memory.
//!
//! Three parts, kept apart as ripgrep's searcher keeps its line buffer apart from its
//! sink:
//! - the **window** ([`Scan`]'s buffer) holds at most `CAP` bytes: it is filled a
//!   block at a time (a file, read a block ahead on a thread of its own) or by
//!   whatever a stream has ready, hands whole lines to
//!   the record rules (a line longer than a block goes in pieces), and rolls forward
//!   keeping `LOOKBACK` bytes of context. Nothing it holds is searched twice, except
//!   a record that waits for its next line.
//! - the **record rules** ([`Rules`]) cut one error's bytes around each anchor that
//!   catalog/anchors.tsv lists (`<Code>`, `X-ErrNo:`, `ErrorCode=`, ...), found by one
//!   multi-pattern search. A record holds each anchor group once: a line that brings
//!   a second `ErrorCode=` starts a new error, while the `<Code>` of the body under a
//!   dump's `x-oss-ec` header belongs to the same one.
//! - the **sink**: each record is decoded by the same pipeline as a single paste (or
//!   answered by the [`cache`] of repeated errors), and each error goes to the
//!   caller's callback as soon as its record is complete.
//!
//! A record is at most `MAX_RECORD` bytes: a longer one is cut around its anchor,
//! reported with `cut` set and counted, never dropped.

use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use aho_corasick::{AhoCorasick, MatchKind};

mod cache;
mod follow;
mod inputs;

pub use inputs::{Event, Part, is_stdin};

use crate::catalog::{Entry, StatusMeaning};
use crate::lookup::Scope;
use crate::report::Report;

/// How the record around an anchor is cut.
#[derive(Clone, Copy)]
enum AnchorKind {
    /// An element inside an error body: the record spans from the body's opening to
    /// its closing, written as the anchor is (plain, HTML- or JSON-escaped).
    Body {
        open: &'static str,
        close: &'static str,
    },
    /// A header that carries the error: the header block and the body after it.
    Header,
    /// An SDK or log line: the line and its continuation lines.
    Line,
}

struct Anchor {
    text: &'static str,
    kind: AnchorKind,
    /// The anchor's group (spellings of one thing), below 64: a bit in a record's set.
    group: u8,
}

// ANCHORS and CONTINUATIONS, from catalog/anchors.tsv.
include!(concat!(env!("OUT_DIR"), "/anchors.rs"));

/// The most new bytes read and searched at a time.
const BLOCK: usize = 1 << 20;
/// The most a single record (one error body, dump or SDK block) may span.
const MAX_RECORD: usize = 64 << 10;
/// How far before its `<Code>` a body's opening tag is looked for.
const MAX_OPEN_DISTANCE: usize = 4 << 10;
/// How many header or continuation lines a record may take around its anchor.
const MAX_CONTEXT_LINES: usize = 40;
/// Context kept before the search position when the window rolls: a body's opening,
/// the dump headers before it, the line before an SDK line.
const LOOKBACK: usize = 16 << 10;
/// The window's size: a block, the lookback and a record waiting for its end fit.
const CAP: usize = 2 * BLOCK;
/// How long a stream may stay silent before the records it has sent are final.
const IDLE: Duration = Duration::from_millis(100);
/// The most a stream's reader thread reads at a time.
const CHUNK: usize = 64 << 10;

/// One error found in the input.
pub struct Found {
    /// 1-based line number of the record's first line.
    pub line: u64,
    pub report: Report,
    /// The record was longer than the record limit (64 KiB) and was cut around its
    /// anchor: fields far from the code may be missing.
    pub cut: bool,
}

/// The bytes of one would-be error, cut around its anchor: what the record rules hand
/// to a sink. [`Scanner::decoding`] makes the sink that scan itself uses.
#[derive(Clone, Copy)]
pub struct Record<'a> {
    /// 1-based line number of the record's first line.
    pub line: u64,
    pub bytes: &'a [u8],
    /// Cut to the record limit (see [`Found::cut`]).
    pub cut: bool,
}

/// Totals a scan reports to its progress callback.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub bytes: u64,
    /// Records the sink counted (the decoding sink counts the errors).
    pub errors: u64,
    /// Of those, the ones whose record was cut to the record limit.
    pub cut: u64,
}

impl Progress {
    /// The totals of two parts of a scan.
    pub fn plus(self, other: Progress) -> Progress {
        Progress {
            bytes: self.bytes + other.bytes,
            errors: self.errors + other.errors,
            cut: self.cut + other.cut,
        }
    }
}

/// Where the records go: the records the rules cut in one round, in input order.
/// A closure taking one record at a time is a sink (it returns whether the record
/// was an error); [`Scanner::decoding`] is the sink that decodes them, on every core.
pub trait Sink {
    /// Takes `records`; returns how many were errors, and how many of those were cut.
    fn records(&mut self, records: &[Record<'_>]) -> io::Result<(u64, u64)>;
}

impl<F: FnMut(Record<'_>) -> io::Result<bool>> Sink for F {
    fn records(&mut self, records: &[Record<'_>]) -> io::Result<(u64, u64)> {
        let mut counted = (0, 0);
        for &record in records {
            if self(record)? {
                counted.0 += 1;
                counted.1 += u64::from(record.cut);
            }
        }
        Ok(counted)
    }
}

/// The most records decoded at a time: their reports wait to be passed on in input
/// order, so this bounds the memory they take.
const BATCH: usize = 256;

/// The fewest full decodes of a round worth a second thread: a stream's rounds (64
/// KiB reads) hold a few records, and starting a thread for each round cost more than
/// it saved (`cat log | errdecode scan` took twice as long).
const MIN_PARALLEL: usize = 32;

/// The sink scan uses (see [`Scanner::decoding`]).
pub struct Decoding<F> {
    found: F,
    scope: Scope,
    threads: usize,
    /// Reports of repeated errors (see [`cache`]); `None` decodes every record.
    cache: Option<cache::Cache>,
}

/// A record decoded in full: its report (an error or not), and whether the cache may
/// keep it (it was read as the UTF-8 it is, with no repair of its own).
fn decode_record(record: &Record<'_>, scope: Scope) -> (Option<Report>, bool) {
    let (text, repair) = crate::input::utf8_or_gb18030(record.bytes);
    let mut report = crate::decode(&text, scope).ok();
    if let Some(report) = &mut report {
        report.repairs.splice(0..0, repair);
    }
    (report, repair.is_none())
}

/// `f` of each of `items`, in order, on up to `threads` threads when they are many.
fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if threads < 2 || items.len() < MIN_PARALLEL {
        return items.iter().map(f).collect();
    }
    // Each thread maps a run; the runs are joined in order, so the output is the same
    // on any number of cores.
    let per = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let mut runs = items.chunks(per);
        let first = runs.next().unwrap_or_default();
        let others: Vec<_> = runs
            .map(|run| s.spawn(move || run.iter().map(f).collect::<Vec<_>>()))
            .collect();
        let mut out: Vec<R> = first.iter().map(f).collect();
        for other in others {
            match other.join() {
                Ok(run) => out.extend(run),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// What the cache made of one record: its report, or a decode to do (and, when the
/// record may teach the cache, its key).
// A batch's few hundred live briefly: boxing the report would cost an allocation
// per answer.
#[allow(clippy::large_enum_variant)]
enum Decoded {
    Answered(Option<Report>),
    Pending(Option<cache::Key>),
}

/// A decoding sink lent to one scan after another (a worker's files): its cache
/// serves them all.
impl<F: FnMut(Found) -> io::Result<()>> Sink for &mut Decoding<F> {
    fn records(&mut self, records: &[Record<'_>]) -> io::Result<(u64, u64)> {
        (**self).records(records)
    }
}

impl<F: FnMut(Found) -> io::Result<()>> Sink for Decoding<F> {
    fn records(&mut self, records: &[Record<'_>]) -> io::Result<(u64, u64)> {
        let mut counted = (0, 0);
        let scope = self.scope;
        for batch in records.chunks(BATCH) {
            // The cache answers what it can, here: an answer costs less than handing it
            // to another thread. The rest is decoded on every core, then taught to the
            // cache in input order, so what it answers does not depend on the thread
            // count.
            let decoded: Vec<Decoded> = batch
                .iter()
                .map(|record| {
                    let Some(cache) = &self.cache else {
                        return Decoded::Pending(None);
                    };
                    let key = cache::key(record.bytes);
                    match key.as_ref().and_then(|key| cache.find(key, record.bytes)) {
                        Some(report) => Decoded::Answered(report),
                        None => Decoded::Pending(key),
                    }
                })
                .collect();
            let pending: Vec<&Record<'_>> = batch
                .iter()
                .zip(&decoded)
                .filter(|(_, d)| matches!(d, Decoded::Pending(_)))
                .map(|(record, _)| record)
                .collect();
            let mut full =
                map_in_order(&pending, self.threads, |r| decode_record(r, scope)).into_iter();
            for (record, decoded) in batch.iter().zip(decoded) {
                let report = match decoded {
                    Decoded::Answered(report) => report,
                    Decoded::Pending(key) => {
                        let (report, cacheable) = full.next().unwrap_or_default();
                        if let (Some(cache), Some(key), true) = (&mut self.cache, key, cacheable) {
                            cache.learn(key, record.bytes, &report);
                        }
                        report
                    }
                };
                if let Some(report) = report.filter(is_error) {
                    (self.found)(Found {
                        line: record.line,
                        report,
                        cut: record.cut,
                    })?;
                    counted.0 += 1;
                    counted.1 += u64::from(record.cut);
                }
            }
        }
        Ok(counted)
    }
}

/// How many threads decode records: `ERRDECODE_SCAN_THREADS` when set to a number
/// above 0, else one per core.
fn default_threads() -> usize {
    std::env::var("ERRDECODE_SCAN_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n: &usize| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
}

/// Why a scan stopped before the end of its input.
#[derive(Debug)]
pub enum ScanError {
    /// Reading failed; the errors before the failure were reported, and are counted
    /// in the totals.
    Read(io::Error, Progress),
    /// The callback failed (writing the output): the scan stopped at once.
    Found(io::Error),
}

pub struct Scanner {
    searcher: AhoCorasick,
    /// The longest anchor, in bytes.
    longest: usize,
    scope: Scope,
    /// How many threads decode records (see [`default_threads`]).
    threads: usize,
    /// Whether repeated errors are answered from a cache (see [`cache`]).
    cache: bool,
}

impl Scanner {
    pub fn new(scope: Scope) -> Scanner {
        let searcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(ANCHORS.iter().map(|a| a.text))
            .expect("the anchor patterns are valid");
        let longest = ANCHORS.iter().map(|a| a.text.len()).max().unwrap_or(1);
        Scanner {
            searcher,
            longest,
            scope,
            threads: default_threads(),
            cache: true,
        }
    }

    /// The same scanner decoding on `threads` threads (at least one).
    pub fn with_threads(mut self, threads: usize) -> Scanner {
        self.threads = threads.max(1);
        self
    }

    /// The same scanner decoding every record in full, with no cache: what the
    /// cache's answers are checked against.
    pub fn without_cache(mut self) -> Scanner {
        self.cache = false;
        self
    }

    /// The sink scan uses: decodes each record by the same pipeline as a single
    /// paste, on the scanner's threads, and passes on the errors in input order (and
    /// counts them).
    pub fn decoding<F: FnMut(Found) -> io::Result<()>>(&self, found: F) -> Decoding<F> {
        Decoding {
            found,
            scope: self.scope,
            threads: self.threads,
            cache: self.cache.then(cache::Cache::default),
        }
    }

    /// A scan fed by the caller a piece at a time ([`Scan::push`]), each record going
    /// to `sink`.
    pub fn feed<S: Sink>(&self, sink: S) -> Scan<'_, S> {
        Scan {
            scanner: self,
            sink,
            buf: vec![0; CAP].into_boxed_slice(),
            end: 0,
            marks: Marks::at_start(),
            totals: Progress::default(),
        }
    }

    /// Reads `input` to the end with one `read` per block, straight into the window:
    /// for regular files and input in memory, which never keep a reader waiting.
    /// `progress` is called after every read.
    pub fn scan(
        &self,
        mut input: impl Read,
        sink: impl Sink,
        mut progress: impl FnMut(Progress),
    ) -> Result<Progress, ScanError> {
        let mut scan = self.feed(sink);
        while !crate::signals::interrupted() {
            let n = match input.read(scan.spare()) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(scan.fail(e)),
            };
            if n == 0 {
                break;
            }
            scan.filled(n).map_err(ScanError::Found)?;
            progress(scan.totals);
        }
        scan.end(progress)
    }

    /// Reads a stream (a pipe, a terminal, a device) on a thread of its own, so the
    /// records it has sent are final once it stays silent for `IDLE`: an error in a
    /// slow log is reported when its lines arrive, not when a block is full.
    pub fn scan_stream(
        &self,
        input: impl Read + Send + 'static,
        sink: impl Sink,
        mut progress: impl FnMut(Progress),
    ) -> Result<Progress, ScanError> {
        // Bounded, so a fast writer waits for the decoder instead of filling memory.
        // Not scoped: on an output error the scan returns at once, while the thread
        // may still be blocked reading a silent stream; it ends with the process.
        let (rx, back) = read_on_thread(input, CHUNK, 4)?;
        let mut scan = self.feed(sink);
        // Woken every `IDLE` even when nothing waits: to see a Ctrl-C.
        while !crate::signals::interrupted() {
            let message = match rx.recv_timeout(IDLE) {
                Ok(message) => message,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if scan.waiting() {
                        scan.idle().map_err(ScanError::Found)?;
                        progress(scan.totals);
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            scan.take(message, &back)?;
            progress(scan.totals);
        }
        scan.end(progress)
    }

    /// Scans an open file: a regular file with the search beside the sink (or, on one
    /// thread, read a block ahead), a pipe or a device through
    /// [`Scanner::scan_stream`].
    pub fn scan_file(
        &self,
        file: File,
        sink: impl Sink,
        progress: impl FnMut(Progress),
    ) -> Result<Progress, ScanError> {
        let regular = file.metadata().is_ok_and(|m| m.is_file());
        if !regular {
            self.scan_stream(file, sink, progress)
        } else if self.threads > 1 {
            self.scan_beside(file, sink, progress)
        } else {
            self.scan_ahead(file, sink, progress)
        }
    }

    /// Scans a regular file with the search on a thread of its own, reading straight
    /// into its window, and the sink on this one: each round's records (a small part
    /// of a log) are copied out and sent over, so searching and decoding take a core
    /// each. (With a third thread reading ahead, as [`Scanner::scan_ahead`] does, a
    /// log without errors went faster, one with many slower, on two cores:
    /// benches/scan.sh. A mapped file, searched in place, was slower still: its
    /// search ran at half the speed of one over a copy just made.)
    fn scan_beside(
        &self,
        file: File,
        mut sink: impl Sink,
        mut progress: impl FnMut(Progress),
    ) -> Result<Progress, ScanError> {
        // Bounded, so the search stays a few rounds ahead of the sink.
        let (tx, rx) = mpsc::sync_channel::<Round>(4);
        let read = AtomicU64::new(0);
        std::thread::scope(|s| {
            let read = &read;
            let searcher = s.spawn(move || {
                let forward = Forward { tx };
                self.scan(file, forward, |p| read.store(p.bytes, Ordering::Relaxed))
            });
            // Moved here, so that a failing sink drops it, and the search stops.
            let rx = rx;
            let mut totals = Progress::default();
            for round in &rx {
                let records: Vec<Record<'_>> = round
                    .spots
                    .iter()
                    .map(|spot| Record {
                        line: spot.line,
                        bytes: &round.bytes[spot.start..spot.end],
                        cut: spot.cut,
                    })
                    .collect();
                let (errors, cut) = sink.records(&records).map_err(ScanError::Found)?;
                totals.errors += errors;
                totals.cut += cut;
                totals.bytes = read.load(Ordering::Relaxed);
                progress(totals);
            }
            let searched = match searcher.join() {
                Ok(searched) => searched,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            match searched {
                Ok(done) => totals.bytes = done.bytes,
                Err(ScanError::Read(e, done)) => {
                    totals.bytes = done.bytes;
                    return Err(ScanError::Read(e, totals));
                }
                // The sink stopped first, or the channel did.
                Err(ScanError::Found(e)) => return Err(ScanError::Found(e)),
            }
            progress(totals);
            Ok(totals)
        })
    }

    /// Reads a regular file a block ahead on a thread of its own: the kernel's copy
    /// of the next block runs on another core while this one searches and decodes.
    fn scan_ahead(
        &self,
        file: File,
        sink: impl Sink,
        mut progress: impl FnMut(Progress),
    ) -> Result<Progress, ScanError> {
        let (rx, back) = read_on_thread(file, BLOCK, 2)?;
        let mut scan = self.feed(sink);
        for message in rx.iter().take_while(|_| !crate::signals::interrupted()) {
            scan.take(message, &back)?;
            progress(scan.totals);
        }
        scan.end(progress)
    }

    /// Scans standard input, as [`Scanner::scan_file`] does a file.
    pub fn scan_stdin(
        &self,
        sink: impl Sink,
        progress: impl FnMut(Progress),
    ) -> Result<Progress, ScanError> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            if let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() {
                return self.scan_file(File::from(fd), sink, progress);
            }
        }
        self.scan_stream(io::stdin(), sink, progress)
    }
}

/// One round of records cut by a search on a thread of its own, copied out of its
/// window.
struct Round {
    bytes: Vec<u8>,
    spots: Vec<Spot>,
}

/// Where a record of a [`Round`] is in its bytes.
struct Spot {
    line: u64,
    start: usize,
    end: usize,
    cut: bool,
}

/// The sink of a search run on a thread of its own: each round's records go, copied,
/// to the sink on the scan's own thread ([`Scanner::scan_beside`]).
struct Forward {
    tx: mpsc::SyncSender<Round>,
}

impl Sink for Forward {
    fn records(&mut self, records: &[Record<'_>]) -> io::Result<(u64, u64)> {
        let size = records.iter().map(|r| r.bytes.len()).sum();
        let mut round = Round {
            bytes: Vec::with_capacity(size),
            spots: Vec::with_capacity(records.len()),
        };
        for r in records {
            let start = round.bytes.len();
            round.bytes.extend_from_slice(r.bytes);
            round.spots.push(Spot {
                line: r.line,
                start,
                end: round.bytes.len(),
                cut: r.cut,
            });
        }
        self.tx
            .send(round)
            .map_err(|_| io::Error::other("the scan's sink stopped"))?;
        // Counted where they are decoded.
        Ok((0, 0))
    }
}

/// Where a reader thread's pieces arrive: each, or the read error that ended it.
type Pieces = mpsc::Receiver<io::Result<Vec<u8>>>;

/// Reads `input` on a thread of its own, in pieces of at most `size` bytes, at most
/// `depth` of them waiting: returns where the pieces arrive, and where a piece read
/// is sent back to be filled again (so a few are ever allocated). The thread ends at
/// the input's end, at a read error (sent on), or when the pieces are no longer
/// taken.
fn read_on_thread(
    mut input: impl Read + Send + 'static,
    size: usize,
    depth: usize,
) -> Result<(Pieces, mpsc::Sender<Vec<u8>>), ScanError> {
    let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(depth);
    let (back, spent) = mpsc::channel::<Vec<u8>>();
    std::thread::Builder::new()
        .name("scan-reader".into())
        .spawn(move || {
            loop {
                let mut piece = spent.try_recv().unwrap_or_default();
                piece.resize(size, 0);
                let read = match input.read(&mut piece) {
                    Ok(0) => break,
                    Ok(n) => {
                        piece.truncate(n);
                        Ok(piece)
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Err(e),
                };
                let failed = read.is_err();
                if tx.send(read).is_err() || failed {
                    break;
                }
            }
        })
        .map_err(|e| ScanError::Read(e, Progress::default()))?;
    Ok((rx, back))
}

/// Positions in the window, and the line count.
#[derive(Default)]
struct Marks {
    /// Anchors starting before it are dealt with; the search resumes here.
    searched: usize,
    /// Where the last record ended: a record never starts before it.
    floor: usize,
    /// The end of the last whole line in the window (0 when there is none).
    complete: usize,
    /// Newlines before `counted_to` are counted: `counted_to` is on line `line_at_counted`.
    counted_to: usize,
    line_at_counted: u64,
    /// Whether the window's first byte begins a line (not so after a long line rolled).
    starts_line: bool,
}

impl Marks {
    /// The marks of an empty window at the input's first line.
    fn at_start() -> Marks {
        Marks {
            starts_line: true,
            line_at_counted: 1,
            ..Marks::default()
        }
    }
}

/// One scan in progress: the window, the marks, the totals and the sink.
pub struct Scan<'s, S> {
    scanner: &'s Scanner,
    sink: S,
    buf: Box<[u8]>,
    /// The window holds `buf[..end]`.
    end: usize,
    marks: Marks,
    totals: Progress,
}

impl<S: Sink> Scan<'_, S> {
    /// Adds `bytes` to the input; the records in the whole lines so far go to the
    /// sink. Fails only when the sink does.
    pub fn push(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let spare = self.spare();
            let n = spare.len().min(bytes.len());
            spare[..n].copy_from_slice(&bytes[..n]);
            self.filled(n)?;
            bytes = &bytes[n..];
        }
        Ok(())
    }

    /// The input paused: the records in the whole lines so far are final, although a
    /// later line might have continued one of them.
    pub fn idle(&mut self) -> io::Result<()> {
        if self.marks.complete > self.marks.searched {
            self.process(self.marks.complete, true)?;
        }
        Ok(())
    }

    /// The end of the input: the rest is read as it stands.
    pub fn finish(mut self) -> io::Result<Progress> {
        self.process(self.end, true)?;
        Ok(self.totals)
    }

    /// The input starts again from its first line (a followed log rotated or
    /// truncated): the rest is read as it stands, then the window is emptied.
    fn start_over(&mut self) -> io::Result<()> {
        self.process(self.end, true)?;
        self.end = 0;
        self.marks = Marks::at_start();
        Ok(())
    }

    /// The totals so far.
    pub fn totals(&self) -> Progress {
        self.totals
    }

    /// A piece from [`read_on_thread`]: scanned, then sent back to be filled again; a
    /// read error ends the scan (see [`Scan::fail`]).
    fn take(
        &mut self,
        piece: io::Result<Vec<u8>>,
        back: &mpsc::Sender<Vec<u8>>,
    ) -> Result<(), ScanError> {
        let piece = piece.map_err(|e| self.fail(e))?;
        self.push(&piece).map_err(ScanError::Found)?;
        let _ = back.send(piece);
        Ok(())
    }

    /// The end of the input, reported to `progress` too.
    fn end(self, mut progress: impl FnMut(Progress)) -> Result<Progress, ScanError> {
        let totals = self.finish().map_err(ScanError::Found)?;
        progress(totals);
        Ok(totals)
    }

    /// A read failed: what was read is scanned to the end, then the error is returned
    /// with the totals.
    fn fail(&mut self, error: io::Error) -> ScanError {
        match self.process(self.end, true) {
            Ok(()) => ScanError::Read(error, self.totals),
            Err(e) => ScanError::Found(e),
        }
    }

    /// Whether whole lines wait for a line that may continue their record.
    fn waiting(&self) -> bool {
        self.marks.complete > self.marks.searched
    }

    /// Room to read into, at most a block; rolls the window first when it is short.
    fn spare(&mut self) -> &mut [u8] {
        if CAP - self.end < BLOCK / 2 {
            self.roll();
        }
        let to = CAP.min(self.end + BLOCK);
        // A round leaves less than a block unsearched (a long line goes in pieces, a
        // waiting record is within the record limit), so rolling always makes room.
        debug_assert!(to > self.end, "the window has no room after rolling");
        &mut self.buf[self.end..to]
    }

    /// Drops what is dealt with, but for `LOOKBACK` bytes (from a line start when
    /// one is near).
    fn roll(&mut self) {
        let m = &mut self.marks;
        let mut keep = m.searched.saturating_sub(LOOKBACK);
        if keep > 0 {
            let from = keep.saturating_sub(MAX_OPEN_DISTANCE);
            if let Some(i) = memchr::memrchr(b'\n', &self.buf[from..keep]) {
                keep = from + i + 1;
            }
        }
        if keep == 0 {
            return;
        }
        if m.counted_to < keep {
            m.line_at_counted +=
                memchr::memchr_iter(b'\n', &self.buf[m.counted_to..keep]).count() as u64;
            m.counted_to = keep;
        }
        m.starts_line = self.buf[keep - 1] == b'\n';
        self.buf.copy_within(keep..self.end, 0);
        self.end -= keep;
        m.searched -= keep;
        m.counted_to -= keep;
        m.floor = m.floor.saturating_sub(keep);
        m.complete = m.complete.saturating_sub(keep);
    }

    /// `n` bytes were read into [`Scan::spare`]: scans the whole lines they complete,
    /// or a piece of a line longer than a block.
    fn filled(&mut self, n: usize) -> io::Result<()> {
        let start = self.end;
        self.end += n;
        self.totals.bytes += n as u64;
        // Only the new bytes are looked at: no byte is searched for a newline twice.
        if let Some(i) = memchr::memrchr(b'\n', &self.buf[start..self.end]) {
            self.marks.complete = start + i + 1;
        }
        if self.marks.complete > self.marks.searched {
            self.process(self.marks.complete, false)?;
        }
        // A block without a line end: search it as a piece, keeping the last bytes,
        // where an anchor may begin, for the next piece.
        if self.end - self.marks.searched >= BLOCK {
            self.process(self.end + 1 - self.scanner.longest, false)?;
        }
        Ok(())
    }

    /// Cuts and decodes the records of the anchors that start before `limit`. With
    /// `last`, `limit` is the end of the input (or of what a silent stream sent);
    /// else a record that may continue past `limit` waits for more input, unless it
    /// has reached the record limit.
    fn process(&mut self, limit: usize, last: bool) -> io::Result<()> {
        let scanner = self.scanner;
        let m = &mut self.marks;
        // An anchor starting before `limit` ends before `limit + longest`.
        let hay = &self.buf[..self.end.min(limit + scanner.longest - 1)];
        let mut pos = m.searched;
        // The round's records: they go to the sink together.
        let mut records: Vec<Record<'_>> = Vec::new();
        let mut waits = false;
        let mut rules = Rules {
            b: &self.buf[..limit],
            lo: m.floor,
            wait: !last,
            searcher: &scanner.searcher,
            eol: (usize::MAX, 0),
            close: None,
        };
        while pos < limit {
            let Some(hit) = scanner.searcher.find(&hay[pos..]) else {
                break;
            };
            let at = pos + hit.start();
            if at >= limit {
                break;
            }
            let hit_end = pos + hit.end();
            let anchor = &ANCHORS[hit.pattern().as_usize()];
            rules.lo = m.floor;
            let Some((mut start, mut end)) = rules.bounds(at, hit_end, anchor) else {
                // Waits for the next line: searched again from its anchor.
                m.searched = at;
                waits = true;
                break;
            };
            m.floor = end;
            pos = end.max(hit_end);
            let mut cut = start == 0 && !m.starts_line;
            if end - start > MAX_RECORD {
                start = start.max(at.saturating_sub(MAX_RECORD / 4));
                end = end.min(start + MAX_RECORD);
                cut = true;
            }
            m.line_at_counted +=
                memchr::memchr_iter(b'\n', &self.buf[m.counted_to..start]).count() as u64;
            m.counted_to = start;
            // A record that is its anchor alone (`<Code><Code>...`) carries no code.
            let outside = |r: &[u8]| r.iter().any(u8::is_ascii_alphanumeric);
            if !(outside(&self.buf[start..at.max(start)])
                || outside(&self.buf[hit_end.min(end)..end]))
            {
                continue;
            }
            records.push(Record {
                line: m.line_at_counted,
                bytes: &self.buf[start..end],
                cut,
            });
        }
        // Unless a record waits for its next line (searched again from its anchor).
        if !waits {
            m.searched = pos.max(limit);
        }
        let (errors, cut) = self.sink.records(&records)?;
        self.totals.errors += errors;
        self.totals.cut += cut;
        Ok(())
    }
}

/// A record is an error when it has a code or EC and errdecode either knows it or
/// knows who sent it; a stray `"Code": 200` in an application log is not.
fn is_error(report: &Report) -> bool {
    let has_code = report.code.is_some() || report.ec.is_some();
    has_code && (report.is_explained() || report.vendor.is_some())
}

/// The record rules over the whole lines `b` of the window.
struct Rules<'a> {
    b: &'a [u8],
    /// Where the last record ended: nothing before it belongs to a new record.
    lo: usize,
    /// More input may follow `b`: a record reaching its end may wait for it.
    wait: bool,
    searcher: &'a AhoCorasick,
    /// (from, to): `b[from..to]` holds no newline, and `to` is one or `b.len()`.
    eol: (usize, usize),
    /// (close, from, found): the first `close` at or after `from`, up to where the
    /// search went (`Err(to)`: none before `to`).
    close: Option<(&'static str, usize, Result<usize, usize>)>,
}

impl Rules<'_> {
    /// The record around the anchor at `at..hit_end`, or `None` when it waits for
    /// more input.
    fn bounds(&mut self, at: usize, hit_end: usize, anchor: &Anchor) -> Option<(usize, usize)> {
        let mut set = 1u64 << anchor.group;
        match anchor.kind {
            AnchorKind::Body { open, close } => self.body(at, hit_end, open, close, &mut set),
            AnchorKind::Header => self.header(at, hit_end, &mut set),
            AnchorKind::Line => self.line(at, hit_end, &mut set),
        }
    }

    /// A record may wait for more input when it is still short of the record limit.
    fn can_wait(&self, at: usize) -> bool {
        self.wait && self.b.len() - at < MAX_RECORD
    }

    /// The start of the line holding `at`, or `lo`.
    fn line_start(&self, at: usize) -> usize {
        memchr::memrchr(b'\n', &self.b[self.lo..at]).map_or(self.lo, |i| self.lo + i + 1)
    }

    /// The end of the line holding `at` (after its newline), or the end of `b`.
    fn line_end(&mut self, at: usize) -> usize {
        let (from, to) = self.eol;
        let nl = if (from..=to).contains(&at) {
            to
        } else {
            let to = memchr::memchr(b'\n', &self.b[at..]).map_or(self.b.len(), |i| at + i);
            self.eol = (at, to);
            to
        };
        (nl + 1).min(self.b.len())
    }

    /// Adds the groups of the anchors in `b[from..to]` to `set`; returns where the
    /// first one whose group is in it already starts: a new error begins there.
    fn absorb(&self, from: usize, to: usize, set: &mut u64) -> Option<usize> {
        for hit in self.searcher.find_iter(&self.b[from..to]) {
            let bit = 1u64 << ANCHORS[hit.pattern().as_usize()].group;
            if *set & bit != 0 {
                return Some(from + hit.start());
            }
            *set |= bit;
        }
        None
    }

    /// The first `close` in `b[from..to]`, remembering how far it looked, so the
    /// anchors of one long run without a close are not each searched to the limit.
    fn find_close(&mut self, close: &'static str, from: usize, to: usize) -> Option<usize> {
        let mut search_from = from;
        if let Some((text, cached_from, found)) = self.close
            && text == close
            && cached_from <= from
        {
            match found {
                Ok(at) if at >= from => return (at + close.len() <= to).then_some(at),
                Err(upto) if upto >= to => return None,
                Err(upto) => search_from = upto.saturating_sub(close.len() - 1).max(from),
                Ok(_) => {}
            }
        }
        let found = memchr::memmem::find(&self.b[search_from..to], close.as_bytes())
            .map(|i| search_from + i);
        self.close = Some((close, from, found.ok_or(to)));
        found
    }

    fn body(
        &mut self,
        at: usize,
        hit_end: usize,
        open: &'static str,
        close: &'static str,
        set: &mut u64,
    ) -> Option<(usize, usize)> {
        let b = self.b;
        let lo_open = at.saturating_sub(MAX_OPEN_DISTANCE).max(self.lo);
        let open_at =
            memchr::memmem::rfind(&b[lo_open..at], open.as_bytes()).map_or(at, |i| lo_open + i);
        let mut start = self.line_start(open_at);
        // The XML declaration on the line before belongs to the body.
        if start > self.lo {
            let declaration = self.line_start(start - 1);
            if b[declaration..].starts_with(b"<?xml") {
                start = declaration;
            }
        }
        let start = self.headers_before(start);
        let hi = (at + MAX_RECORD).min(b.len());
        let close_at = self.find_close(close, hit_end, hi);
        if let Some(next) = self.absorb(hit_end, close_at.unwrap_or(hi), set) {
            // Another body starts before this one closes: this one was cut short.
            let next_open = memchr::memmem::rfind(&b[hit_end..next], open.as_bytes())
                .map_or(next, |i| hit_end + i);
            let line = memchr::memrchr(b'\n', &b[hit_end..next_open]).map(|i| hit_end + i + 1);
            return Some((start, line.unwrap_or(next_open)));
        }
        match close_at {
            Some(c) => {
                let close_end = c + close.len();
                let line_end = self.line_end(close_end);
                // Text after the close on its line is this record's, unless another
                // error starts in it.
                let end = match self.absorb(close_end, line_end, set) {
                    Some(_) => close_end,
                    None => line_end,
                };
                Some((start, end))
            }
            None if hi == b.len() && self.can_wait(at) => None,
            None => Some((start, self.line_end(hit_end))),
        }
    }

    fn header(&mut self, at: usize, hit_end: usize, set: &mut u64) -> Option<(usize, usize)> {
        let b = self.b;
        let start = self.headers_before(self.line_start(at));
        let mut end = self.line_end(at);
        let _ = self.absorb(hit_end, end, set);
        for _ in 0..MAX_CONTEXT_LINES {
            if end >= b.len() {
                if self.can_wait(at) {
                    return None;
                }
                break;
            }
            let next = self.line_end(end);
            let line = &b[end..next];
            // A status line starts the next response.
            if line.starts_with(b"HTTP/") || !is_header_line(line) {
                break;
            }
            if self.absorb(end, next, set).is_some() {
                break;
            }
            end = next;
        }
        match self.body_after_headers(at, end, set) {
            Body::Wait => None,
            Body::At(body_end) => Some((start, body_end)),
            Body::None => Some((start, end)),
        }
    }

    /// The body after a header block ending at `end`: a blank line (or curl -v's `<`),
    /// then an error body or a JSON line. One response is one record, so a dump whose
    /// headers and body both carry the error counts once.
    fn body_after_headers(&mut self, at: usize, end: usize, set: &mut u64) -> Body {
        let b = self.b;
        let wait = |rules: &Self| {
            if rules.can_wait(at) {
                Body::Wait
            } else {
                Body::None
            }
        };
        if end >= b.len() {
            return wait(self);
        }
        let blank_end = self.line_end(end);
        let blank = b[end..blank_end].trim_ascii();
        if !(blank.is_empty() || blank == b"<") {
            return Body::None;
        }
        // curl -v may note the data before it: `{ [700 bytes data]`.
        let mut body_start = blank_end;
        for _ in 0..MAX_CONTEXT_LINES {
            if body_start >= b.len() {
                break;
            }
            let next = self.line_end(body_start);
            if !is_curl_trace(&b[body_start..next]) {
                break;
            }
            body_start = next;
        }
        if body_start >= b.len() {
            return wait(self);
        }
        match b[body_start] {
            b'{' => {
                let line_end = self.line_end(body_start);
                match self.absorb(body_start, line_end, set) {
                    Some(_) => Body::None,
                    None => Body::At(line_end),
                }
            }
            b'<' => {
                // The body's own anchor is near its start.
                let hi = (body_start + MAX_OPEN_DISTANCE).min(b.len());
                let Some(hit) = self.searcher.find(&b[body_start..hi]) else {
                    return if hi == b.len() {
                        wait(self)
                    } else {
                        Body::None
                    };
                };
                let anchor = &ANCHORS[hit.pattern().as_usize()];
                let bit = 1u64 << anchor.group;
                let AnchorKind::Body { close, .. } = anchor.kind else {
                    return Body::None;
                };
                if *set & bit != 0 {
                    return Body::None;
                }
                let hit_end = body_start + hit.end();
                let to = (hit_end + MAX_RECORD).min(b.len());
                match self.find_close(close, hit_end, to) {
                    Some(c) if self.absorb(hit_end, c, &mut (*set | bit)).is_none() => {
                        *set |= bit;
                        Body::At(self.line_end(c + close.len()))
                    }
                    Some(_) => Body::None,
                    None if to == b.len() => wait(self),
                    None => Body::None,
                }
            }
            _ => Body::None,
        }
    }

    fn line(&mut self, at: usize, hit_end: usize, set: &mut u64) -> Option<(usize, usize)> {
        let b = self.b;
        let line_start = self.line_start(at);
        // An anchor that begins its line (`[ErrorCode]: ...`, `  "Code": ...`) follows
        // the line that says what failed (OSS Java prints its message there).
        let start = if line_start > self.lo && b[line_start..at].trim_ascii().is_empty() {
            self.line_start(line_start - 1)
        } else {
            line_start
        };
        let line_end = self.line_end(at);
        if let Some(next) = self.absorb(hit_end, line_end, set) {
            // A second error on the same line.
            return Some((start, next));
        }
        let mut end = line_end;
        for _ in 0..MAX_CONTEXT_LINES {
            if end >= b.len() {
                if self.can_wait(at) {
                    return None;
                }
                break;
            }
            let next = self.line_end(end);
            if end - start > MAX_RECORD
                || !is_continuation(&b[end..next])
                || self.absorb(end, next, set).is_some()
            {
                break;
            }
            end = next;
        }
        Some((start, end))
    }

    /// Extends a record back over the HTTP status line and headers right before it,
    /// so a saved `curl -i` dump keeps its status and vendor headers; in a `curl -v`
    /// trace, also over the request (`> ` lines) and curl's `* ` notes before the
    /// response, so the request's host and URL count as evidence too.
    fn headers_before(&self, mut start: usize) -> usize {
        let mut in_request = false;
        for _ in 0..2 * MAX_CONTEXT_LINES {
            if start <= self.lo {
                break;
            }
            let prev = self.line_start(start - 1);
            let line = &self.b[prev..start];
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
}

/// What follows a header block.
enum Body {
    /// Not known yet: the input stops before it.
    Wait,
    /// A body that belongs to the response, ending here.
    At(usize),
    /// No body of this response's error.
    None,
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
    line[0].is_ascii_alphabetic() && crate::parse::http::is_header_name(&line[..colon])
}

/// Lines that continue a multi-line SDK error: indented, a `[Label]` line, or one
/// that starts with a label of catalog/anchors.tsv (`Request Id:`, the XML body
/// under an exception). A `[2024-05-01 ...]` time is not a label.
fn is_continuation(line: &[u8]) -> bool {
    let bracketed = || {
        let Some(rest) = line.strip_prefix(b"[") else {
            return false;
        };
        let word = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        word > 0 && rest.get(word) == Some(&b']')
    };
    line.first().is_some_and(|b| *b == b' ' || *b == b'\t')
        || bracketed()
        || CONTINUATIONS.iter().any(|l| line.starts_with(l.as_bytes()))
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

/// The most bytes of a code or request id a row keeps: a log of huge codes must not
/// hold 1,000 of them whole.
const MAX_KEPT: usize = 256;

fn capped(s: &str) -> String {
    if s.len() <= MAX_KEPT {
        return s.to_owned();
    }
    let mut end = MAX_KEPT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

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
    /// Counts `found`; returns its row when it is the first of its kind.
    pub fn add(&mut self, file: Option<&str>, found: &Found) -> Option<&SummaryRow> {
        let r = &found.report;
        let code = capped(r.code.as_deref().or(r.ec.as_deref()).unwrap_or_default());
        let vendor = r.vendor.map(|v| v.id()).or(r.foreign);
        let product = r.product.map(|p| p.id());
        let sighting = Sighting {
            file: file.map(str::to_owned),
            line: found.line,
            request_id: r.request_id.as_deref().map(capped),
        };
        let key = (vendor, product, code, r.http_status);
        self.tally(
            key,
            1,
            sighting,
            |(vendor, product, code, status), sighting| SummaryRow {
                vendor,
                product,
                code,
                status,
                count: 1,
                first: sighting.clone(),
                last: sighting,
                entry: r.matches.first().map(|m| m.entry),
                status_meaning: r.status_meaning,
            },
        )
    }

    /// Counts `count` errors of the kind `key`, the last of them seen at `last`: in
    /// the kind's row, else in the row `new_row` makes when there is room for one,
    /// else as untracked. Returns the new row.
    fn tally(
        &mut self,
        key: RowKey,
        count: u64,
        last: Sighting,
        new_row: impl FnOnce(RowKey, Sighting) -> SummaryRow,
    ) -> Option<&SummaryRow> {
        if let Some(&i) = self.index.get(&key) {
            let row = &mut self.rows[i];
            row.count += count;
            row.last = last;
            return None;
        }
        if self.rows.len() == MAX_ROWS {
            self.untracked += count;
            return None;
        }
        self.index.insert(key.clone(), self.rows.len());
        self.rows.push(new_row(key, last));
        self.rows.last()
    }

    /// Adds the tallies of `later`, a summary of what came after this one's errors:
    /// the same as adding its errors one by one, but for errors past `MAX_ROWS`
    /// distinct ones, counted as untracked by whichever summary met them.
    pub fn merge(&mut self, later: Summary) {
        self.untracked += later.untracked;
        for row in later.rows {
            let key = (row.vendor, row.product, row.code.clone(), row.status);
            let (count, last) = (row.count, row.last.clone());
            self.tally(key, count, last, |_, _| row);
        }
    }

    /// About how many bytes its rows take.
    pub fn size(&self) -> usize {
        self.rows.len() * (std::mem::size_of::<SummaryRow>() + 2 * MAX_KEPT)
    }

    /// The rows, most frequent first (ties in order of first appearance).
    pub fn rows(&self) -> Vec<&SummaryRow> {
        let mut rows: Vec<&SummaryRow> = self.rows.iter().collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.count));
        rows
    }
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(text: &str) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        let scanner = Scanner::new(Scope::default());
        scanner
            .scan(
                text.as_bytes(),
                scanner.decoding(|f| {
                    out.push((f.line, f.report.code.clone().unwrap_or_default()));
                    Ok(())
                }),
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
        let scanner = Scanner::new(Scope::default());
        scanner
            .scan(
                log.as_bytes(),
                scanner.decoding(|f| {
                    summary.add(Some("app.log"), &f);
                    Ok(())
                }),
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

    /// The summary table's rows of a whole log, as `scan` builds them.
    fn summarise(log: &str) -> Summary {
        let mut summary = Summary::default();
        summarise_into(&mut summary, None, log);
        summary
    }

    /// Adds the errors of `log`, the file `file`, to `summary`.
    fn summarise_into(summary: &mut Summary, file: Option<&str>, log: &str) {
        let scanner = Scanner::new(Scope::default());
        scanner
            .scan(
                log.as_bytes(),
                scanner.decoding(|f| {
                    summary.add(file, &f);
                    Ok(())
                }),
                |_| {},
            )
            .unwrap();
    }

    /// A row as the summary shows it: kind, count, first and last sighting.
    fn shown_rows(summary: &Summary) -> Vec<String> {
        summary
            .rows()
            .iter()
            .map(|r| format!("{} {} {:?} {:?}", r.code, r.count, r.first, r.last))
            .collect()
    }

    /// The summaries of two files, merged, are the summary of both, file after file.
    #[test]
    fn merged_summaries_are_the_summary_of_the_whole() {
        let log = "<Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0AAA1</RequestId></Error>\n\
                   X-ErrNo: -46618\n\
                   <Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0AAA2</RequestId></Error>\n\
                   <Error><Code>AccessDenied</Code></Error>\n\
                   <Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0AAA3</RequestId></Error>\n\
                   X-ErrNo: -46618\n";
        let (first, second) = log.split_at(log.find("<Error><Code>AccessDenied").unwrap());
        let mut merged = Summary::default();
        summarise_into(&mut merged, Some("a.log"), first);
        let mut later = Summary::default();
        summarise_into(&mut later, Some("b.log"), second);
        merged.merge(later);
        let mut both = Summary::default();
        summarise_into(&mut both, Some("a.log"), first);
        summarise_into(&mut both, Some("b.log"), second);
        assert_eq!(shown_rows(&merged), shown_rows(&both));
        assert_eq!(shown_rows(&both).len(), 3);
    }

    #[test]
    fn distinct_errors_past_the_cap_are_counted_not_kept() {
        let log: String = (0..MAX_ROWS + 5)
            .map(|i| format!("<Error><Code>Unknown{i}</Code><RequestId>636B68BA3C7A1F3233B0AAAA</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>\n"))
            .collect();
        let summary = summarise(&log);
        assert_eq!(summary.rows().len(), MAX_ROWS);
        assert_eq!(summary.untracked, 5);
    }

    #[test]
    fn the_summary_keeps_a_bounded_part_of_huge_codes() {
        let log: String = (0..300)
            .map(|i| format!("<Error><Code>{}{i}</Code><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>\n", "A".repeat(2000)))
            .collect();
        let summary = summarise(&log);
        let rows = summary.rows();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].count, 300);
        assert!(rows[0].code.len() <= MAX_KEPT + '…'.len_utf8());
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

    /// The errors of a log of every form, in order, decoded on `threads` threads.
    /// Every report `scanner` finds in `log`, as `scan --json` prints it, with its
    /// line. The log is read a few KiB at a time: the cache learns between rounds.
    fn shown(scanner: &Scanner, log: &str) -> Vec<(u64, String)> {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(4 << 10);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        scanner
            .scan(
                Trickle(log.as_bytes()),
                scanner.decoding(|f| {
                    out.push((f.line, crate::render::json::report_text(&f.report)));
                    Ok(())
                }),
                |_| {},
            )
            .unwrap();
        out
    }

    /// `text` with the last digit of every token holding one moved on by `by`: ids,
    /// times, statuses and codes alike.
    fn varied(text: &str, by: u8) -> String {
        let mut bytes = text.as_bytes().to_vec();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let mut last_digit = None;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                if bytes[i].is_ascii_digit() {
                    last_digit = Some(i);
                }
                i += 1;
            }
            if let Some(d) = last_digit {
                bytes[d] = b'0' + (bytes[d] - b'0' + by) % 10;
            }
        }
        String::from_utf8(bytes).unwrap()
    }

    /// The cache's answers are the reports a full decode gives: every fixture (the
    /// real pastes' bodies too), repeated with its ids, times, statuses and codes
    /// changed, scans to the same JSON with the cache as without it, on one thread
    /// and on several.
    #[test]
    fn the_cache_answers_as_a_full_decode_would() {
        let mut texts = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    // A real paste's header says where it comes from; its body follows.
                    let body = text
                        .split_once("\n-----\n")
                        .map_or(text.as_str(), |(_, b)| b);
                    texts.push(body.to_owned());
                }
            }
        }
        texts.sort();
        assert!(texts.len() > 300, "{} fixtures", texts.len());
        let mut log = String::new();
        for text in &texts {
            for by in [0, 1, 2, 3, 4, 0, 5] {
                log.push_str(&varied(text, by));
                log.push_str("\n2024-05-01T12:00:00Z INFO served\n");
            }
        }
        let full = shown(
            &Scanner::new(Scope::default())
                .with_threads(1)
                .without_cache(),
            &log,
        );
        assert!(full.len() > 1000, "{} errors", full.len());
        for threads in [1, 2] {
            let cached = shown(&Scanner::new(Scope::default()).with_threads(threads), &log);
            assert_eq!(cached.len(), full.len());
            for (c, f) in cached.iter().zip(&full) {
                assert_eq!(c, f);
            }
        }
    }

    type Seen = Vec<(u64, Option<String>, Option<String>, bool)>;

    /// What a scan of `log` read a block at a time finds.
    fn found_on(threads: usize, log: &str) -> Seen {
        found_by(threads, |scanner, sink| {
            scanner.scan(log.as_bytes(), sink, |_| {})
        })
    }

    fn found_by(
        threads: usize,
        scan: impl FnOnce(
            &Scanner,
            Decoding<&mut dyn FnMut(Found) -> io::Result<()>>,
        ) -> Result<Progress, ScanError>,
    ) -> Seen {
        let mut out = Vec::new();
        let scanner = Scanner::new(Scope::default()).with_threads(threads);
        let mut keep = |f: Found| {
            let r = f.report;
            out.push((f.line, r.code, r.request_id, f.cut));
            Ok(())
        };
        let progress = scan(&scanner, scanner.decoding(&mut keep)).unwrap();
        assert_eq!(progress.errors as usize, out.len());
        out
    }

    /// A log of every form, some records cut, several blocks long.
    fn log_of_every_form(lines: usize) -> String {
        let forms = [
            "<Error><Code>NoSuchKey</Code><RequestId>636B68BA3C7A1F3233B0{n:04}</RequestId></Error>\n",
            "HTTP/1.1 403 Forbidden\nServer: tencent-cos\nX-ErrNo: -46618\n\n",
            "oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, ErrorMessage=\"x\", RequestId=5C3D9175B6FC201293AD{n:04}\n",
            "{\"Code\": 200, \"Message\": \"fine\"}\n",
        ];
        let mut log = String::new();
        for n in 0..lines {
            log.push_str(&forms[n % forms.len()].replace("{n:04}", &format!("{n:04}")));
            if n % 7 == 0 {
                log.push_str(&"x".repeat(900));
                log.push('\n');
            }
        }
        log
    }

    #[test]
    fn a_file_scanned_beside_its_sink_gives_what_reading_it_gives() {
        let mut log = log_of_every_form(30_000);
        // A record longer than the limit, and a last line without its newline.
        log.push_str(&format!(
            "ErrorCode=AccessDenied {}\n",
            "y".repeat(MAX_RECORD * 2)
        ));
        log.push_str("<Error><Code>NoSuchBucket</Code></Error>");
        assert!(log.len() > 3 * BLOCK);
        let path = std::env::temp_dir().join(format!("errdecode-beside-{}", std::process::id()));
        std::fs::write(&path, &log).unwrap();
        let read = found_on(1, &log);
        assert!(read.iter().any(|(.., cut)| *cut));
        for threads in [1, 2] {
            let beside = found_by(threads, |scanner, sink| {
                scanner.scan_file(File::open(&path).unwrap(), sink, |_| {})
            });
            assert_eq!(beside, read, "{threads} threads");
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn every_thread_count_finds_the_same_errors_in_order() {
        let log = log_of_every_form(3000);
        let one = found_on(1, &log);
        assert_eq!(one.len(), 2250);
        for threads in [2, 3, 8] {
            assert_eq!(found_on(threads, &log), one, "{threads} threads");
        }
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
