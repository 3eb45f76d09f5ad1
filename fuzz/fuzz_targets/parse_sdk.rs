//! The SDK exception / log line extractor.
#![no_main]

use errdecode::parse::{InputKind, Parsed, sdk};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parsed = Parsed::new(InputKind::Sdk);
    sdk::parse(&text, &mut parsed);
});
