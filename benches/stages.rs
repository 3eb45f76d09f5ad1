//! Where a decode's time goes, stage by stage, inside one process: the pipeline of
//! `errdecode::decode` and the two renderers, each timed alone over representative
//! inputs. benches/startup.sh measures the whole process against `errno`; this shows
//! which stage to look at when a row there grows.
//!
//! Run with `cargo bench --bench stages`. Wall-clock nanoseconds per call, so only
//! comparable within one run on one machine; nothing here is asserted.

use std::hint::black_box;
use std::time::{Duration, Instant};

use errdecode::detect::{self, Detection};
use errdecode::lookup::{self, Lookup, Scope};
use errdecode::parse::{self, Parsed};
use errdecode::render::{self, Palette};
use errdecode::report::Report;

/// The input forms, from a bare code to the 4 KiB trace benches/startup.sh decodes.
const INPUTS: &[(&str, &str)] = &[
    ("bare code -46618", "-46618"),
    ("bare code AccessDenied (7 meanings)", "AccessDenied"),
    (
        "OSS curl -v trace, 4 KiB",
        include_str!("inputs/curl-v-4k.txt"),
    ),
    (
        "COS XML body",
        include_str!("../tests/fixtures/cos-no-such-key.xml"),
    ),
    (
        "OSS Go SDK line",
        include_str!("../tests/fixtures/sdk-oss-go-v1.txt"),
    ),
];

/// How long each stage is repeated for; long enough to swamp timer resolution.
const BUDGET: Duration = Duration::from_millis(200);

/// `Report::new` consumes its inputs, so they are made in batches outside the clock.
const BATCH: usize = 64;

fn main() {
    let stages = [
        "parse",
        "detect",
        "lookup",
        "report",
        "render table",
        "render json",
    ];
    println!("| input | {} |", stages.join(" | "));
    println!("|---|{}", "---:|".repeat(stages.len()));
    for (name, text) in INPUTS {
        let parsed = parse::parse(text).expect("every bench input parses");
        let detection = detect::detect(&parsed);
        let report = errdecode::decode(text, Scope::default()).expect("every bench input parses");
        let timings = [
            per_call(|| parse::parse(black_box(text))),
            per_call(|| detect::detect(black_box(&parsed))),
            per_call(|| lookup::lookup(black_box(&parsed.fields), &detection, Scope::default())),
            report_per_call(&parsed),
            per_call(|| render::table::render(black_box(&report), Palette::new(false), None)),
            per_call(|| {
                serde_json::to_string_pretty(&render::json::to_value(black_box(&report)))
                    .expect("a report serialises")
            }),
        ];
        let cells: Vec<String> = timings.iter().map(|t| format!("{t:.0}")).collect();
        println!("| {name} | {} |", cells.join(" | "));
    }
    println!();
    println!("Nanoseconds per call (wall clock, about {BUDGET:?} per cell).");
}

/// Mean nanoseconds per call of `f`, over about `BUDGET`.
fn per_call<T>(mut f: impl FnMut() -> T) -> f64 {
    let mut calls = 0u64;
    let start = Instant::now();
    while start.elapsed() < BUDGET {
        for _ in 0..BATCH {
            black_box(f());
        }
        calls += BATCH as u64;
    }
    start.elapsed().as_nanos() as f64 / calls as f64
}

/// Mean nanoseconds per `Report::new`, its inputs built beforehand in batches.
fn report_per_call(parsed: &Parsed) -> f64 {
    let mut calls = 0u64;
    let mut timed = Duration::ZERO;
    while timed < BUDGET {
        let inputs: Vec<(Parsed, Detection, Lookup)> = (0..BATCH)
            .map(|_| {
                let detection = detect::detect(parsed);
                let found = lookup::lookup(&parsed.fields, &detection, Scope::default());
                (parsed.clone(), detection, found)
            })
            .collect();
        let start = Instant::now();
        for (parsed, detection, found) in inputs {
            black_box(Report::new(parsed, detection, found));
        }
        timed += start.elapsed();
        calls += BATCH as u64;
    }
    timed.as_nanos() as f64 / calls as f64
}
