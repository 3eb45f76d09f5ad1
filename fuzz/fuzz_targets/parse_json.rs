//! The JSON error-body parser.
#![no_main]

use errdecode::parse::{Fields, json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = Fields::default();
    let _ = json::parse(&text, &mut fields);
});
