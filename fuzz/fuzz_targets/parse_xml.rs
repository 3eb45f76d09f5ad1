//! The XML error-body parser.
#![no_main]

use errdecode::parse::{InputKind, Parsed, xml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parsed = Parsed::new(InputKind::Xml);
    let _ = xml::parse(&text, &mut parsed);
});
