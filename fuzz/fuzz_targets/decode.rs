//! The whole pipeline, as the binary runs it: bytes → text (UTF-8 / UTF-16 / BOM) →
//! parse → detect → lookup → report → table (colour on and off, free and 40-column
//! width) and JSON.
//!
//! The report is built twice: once without a scope (what `errdecode` does by
//! default) and once with the `--vendor`/`--product` scope picked by the input's
//! length, so the narrowing paths are fuzzed too without changing the input format.
#![no_main]

use errdecode::catalog::{Product, Vendor};
use errdecode::lookup::Scope;
use errdecode::render::{Palette, json, table};
use libfuzzer_sys::fuzz_target;

fn scope_for(len: usize) -> Scope {
    let vendors = [None, Some(Vendor::Aliyun), Some(Vendor::Tencent)];
    let mut products = vec![None];
    products.extend(Product::ALL.into_iter().map(Some));
    let n = len % (vendors.len() * products.len());
    Scope {
        vendor: vendors[n % vendors.len()],
        product: products[n / vendors.len()],
    }
}

fn run(text: &str, scope: Scope) {
    let Ok(report) = errdecode::decode(text, scope) else {
        return;
    };
    for colour in [false, true] {
        for width in [None, Some(40)] {
            let out = table::render(&report, Palette::new(colour), width);
            std::hint::black_box(out);
        }
    }
    let value = json::to_value(&report);
    let out = serde_json::to_string(&value).expect("a report serialises to JSON");
    // JSON output must stay valid JSON whatever the input held.
    let _: serde_json::Value = serde_json::from_str(&out).expect("JSON output reparses");
}

fuzz_target!(|data: &[u8]| {
    let text = errdecode::input::decode(data).text;
    run(&text, Scope::default());
    let scope = scope_for(data.len());
    if scope.vendor.is_some() || scope.product.is_some() {
        run(&text, scope);
    }
});
