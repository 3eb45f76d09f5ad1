//! Scan mode's reader: bytes fed through the scanner in small and large pieces.
//!
//! The first byte picks the piece size. Checked on every input:
//! - the records do not depend on how the input arrives (read at once, or in
//!   pieces of 1 to 64 bytes or of 4 KiB and more), as long as no pause ends them;
//! - every record is within the record limit, line numbers never go back, and
//!   every byte is counted;
//! - the decoding sink the binary uses, fed in pieces with a pause after some of
//!   them (a silent stream), neither panics nor loses the byte count;
//! - its cache of repeated errors answers as a full decode would: the input, then
//!   twice again with the last digit of each token changed, scans to the same JSON
//!   with the cache as without it.
#![no_main]

use errdecode::lookup::Scope;
use errdecode::scan::{Record, Scanner};
use libfuzzer_sys::fuzz_target;

const MAX_RECORD: usize = 64 << 10;

fn records(scanner: &Scanner, data: &[u8], piece: usize) -> Vec<(u64, Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut scan = scanner.feed(|r: Record<'_>| {
        out.push((r.line, r.bytes.to_vec(), r.cut));
        Ok(true)
    });
    for chunk in data.chunks(piece.max(1)) {
        scan.push(chunk).expect("a sink that never fails");
    }
    let totals = scan.finish().expect("a sink that never fails");
    assert_eq!(totals.bytes, data.len() as u64);
    out
}

/// `data` with the last digit of every run of letters and digits moved on by `by`.
fn varied(data: &[u8], by: u8) -> Vec<u8> {
    let mut out = data.to_vec();
    let mut i = 0;
    while i < out.len() {
        let mut last_digit = None;
        while i < out.len() && out[i].is_ascii_alphanumeric() {
            if out[i].is_ascii_digit() {
                last_digit = Some(i);
            }
            i += 1;
        }
        if let Some(d) = last_digit {
            out[d] = b'0' + (out[d] - b'0' + by) % 10;
        }
        i += 1;
    }
    out
}

/// Every error `scanner` finds, as `scan --json` prints it, fed in pieces of `piece`.
fn shown(scanner: &Scanner, data: &[u8], piece: usize) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    let mut scan = scanner.feed(scanner.decoding(|found| {
        out.push((found.line, errdecode::render::json::report_text(&found.report)));
        Ok(())
    }));
    for chunk in data.chunks(piece) {
        scan.push(chunk).expect("a sink that never fails");
    }
    scan.finish().expect("a sink that never fails");
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else {
        return;
    };
    let scanner = Scanner::new(Scope::default());
    let whole = records(&scanner, data, data.len());
    let mut line = 0;
    for (l, bytes, _) in &whole {
        assert!(bytes.len() <= MAX_RECORD, "a record of {} bytes", bytes.len());
        assert!(*l >= line, "line {l} after line {line}");
        line = *l;
    }
    let piece = if pick < 128 {
        usize::from(pick % 64) + 1
    } else {
        4096 + usize::from(pick) * 61
    };
    // Pieces change nothing below a block (1 MiB), where long lines go in pieces.
    if data.len() < 1 << 19 {
        assert_eq!(records(&scanner, data, piece), whole, "pieces of {piece}");
    }

    let mut errors = 0u64;
    let mut scan = scanner.feed(scanner.decoding(|found| {
        errors += 1;
        std::hint::black_box(&found.report);
        Ok(())
    }));
    for (i, chunk) in data.chunks(piece).enumerate() {
        scan.push(chunk).expect("a sink that never fails");
        if i % 3 == usize::from(pick % 3) {
            scan.idle().expect("a sink that never fails");
        }
    }
    let totals = scan.finish().expect("a sink that never fails");
    assert_eq!(totals.bytes, data.len() as u64);
    assert_eq!(totals.errors, errors);

    // The cache: the input three times, its values changed, in pieces so that it
    // learns between rounds.
    if data.len() < 1 << 16 {
        let mut log = data.to_vec();
        for by in [1, 2, 1] {
            log.push(b'\n');
            log.extend(varied(data, by));
        }
        let one = Scanner::new(Scope::default()).with_threads(1);
        let cached = shown(&one, &log, piece);
        let full = shown(&Scanner::new(Scope::default()).with_threads(1).without_cache(), &log, piece);
        assert_eq!(cached, full, "the cache answered otherwise");
    }
});
