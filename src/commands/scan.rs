//! `errdecode scan`: every error in one or more logs, summarised, or streamed as
//! JSON Lines. Progress goes to stderr only when stderr is a terminal.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::Outcome;
use crate::cli::ColorWhen;
use crate::lookup::Scope;
use crate::render::{self, json, summary};
use crate::scan::{Progress, Scanner, Summary};

/// How often the progress line is redrawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

pub fn run(
    out: &mut impl Write,
    files: &[PathBuf],
    scope: Scope,
    as_json: bool,
    color: ColorWhen,
) -> Result<Outcome> {
    let scanner = Scanner::new(scope);
    let mut summary = Summary::default();
    let show_progress = io::stderr().is_terminal();
    let mut last_drawn = Instant::now();
    let mut total = Progress::default();
    let stdin_only = [PathBuf::from("-")];
    let files = if files.is_empty() {
        &stdin_only[..]
    } else {
        files
    };
    for path in files {
        let name = (path.as_os_str() != "-").then(|| path.display().to_string());
        let base = total;
        let mut draw = |p: Progress| {
            if show_progress && last_drawn.elapsed() >= PROGRESS_EVERY {
                last_drawn = Instant::now();
                eprint!(
                    "\r\x1b[2Kscanning: {} MiB read, {} errors found",
                    (base.bytes + p.bytes) >> 20,
                    base.errors + p.errors
                );
            }
        };
        let mut on_error = |found: crate::scan::Found| -> io::Result<()> {
            if as_json {
                let mut value = json::to_value(&found.report);
                if let Some(object) = value.as_object_mut() {
                    object.insert("file".into(), name.clone().into());
                    object.insert("line".into(), found.line.into());
                }
                writeln!(out, "{value}")?;
            } else {
                summary.add(name.as_deref(), &found);
            }
            Ok(())
        };
        let done = match &name {
            None => scanner.scan(io::stdin().lock(), &mut on_error, &mut draw),
            Some(shown) => {
                let file = File::open(path).with_context(|| format!("cannot read {shown}"))?;
                scanner.scan(file, &mut on_error, &mut draw)
            }
        };
        let done = done.with_context(|| {
            format!(
                "cannot read {}",
                name.as_deref().unwrap_or("standard input")
            )
        })?;
        total.bytes += done.bytes;
        total.errors += done.errors;
    }
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    if !as_json {
        let text = summary::render(
            &summary,
            total,
            render::stdout_palette(color),
            render::stdout_width(),
        );
        out.write_all(text.as_bytes())?;
    }
    Ok(if total.errors > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}
