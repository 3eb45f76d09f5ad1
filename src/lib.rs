//! errdecode explains Alibaba Cloud and Tencent Cloud error responses, offline.
//!
//! One stage per module, data flowing one way:
//! input → [`parse`] (whose last step, [`redact::mask`], masks every secret) → [`detect`] → [`lookup`] (over the [`catalog`]) → [`report`] → [`render`].
//!
//! Diagnostics go to stderr only through [`diag`], which cannot abort the process.
#![deny(clippy::print_stderr)]

pub mod catalog;
pub mod cli;
pub mod commands;
pub mod detect;
pub mod diag;
pub mod diagnose;
pub mod input;
pub mod lookup;
pub mod notation;
pub mod parse;
pub mod redact;
pub mod render;
pub mod report;
pub mod scan;

use lookup::Scope;
use parse::ParseError;
use report::Report;

/// The whole pipeline from pasted text to a report, as the binary runs it.
/// A paste that holds several errors gives the first, with the others in
/// `Report::others`, each read on its own.
pub fn decode(text: &str, scope: Scope) -> Result<Report, ParseError> {
    let mut parsed = parse::parse(text)?;
    let others = std::mem::take(&mut parsed.others);
    let mut report = explain(parsed, scope);
    report.others = others.into_iter().map(|p| explain(p, scope)).collect();
    Ok(report)
}

fn explain(parsed: parse::Parsed, scope: Scope) -> Report {
    let detection = detect::detect(&parsed);
    let found = lookup::lookup(&parsed.fields, &detection, scope);
    Report::new(parsed, detection, found)
}
