//! The HTTP dump parser (`curl -i`, `curl -v`, pasted request + response).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = errdecode::parse::http::parse(&text);
});
