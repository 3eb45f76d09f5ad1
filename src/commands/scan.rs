//! `errdecode scan`: every error in one or more logs, summarised, or streamed as
//! JSON Lines. Progress goes to stderr only when stderr is a terminal.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::Outcome;
use crate::cli::ColorWhen;
use crate::lookup::Scope;
use crate::render::sanitize::visible;
use crate::render::{self, json, summary};
use crate::scan::{Progress, ScanError, Scanner, Summary};

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
    // Like grep and rg: an unreadable file does not stop the scan. Its error is
    // said at the end, one line per file, and the exit status is 2.
    let mut unreadable: Vec<anyhow::Error> = Vec::new();
    for path in files {
        let name = (path.as_os_str() != "-").then(|| path.display().to_string());
        let shown = name.as_deref().unwrap_or("standard input").to_owned();
        let base = total;
        let mut draw = |p: Progress| {
            if show_progress && last_drawn.elapsed() >= PROGRESS_EVERY {
                last_drawn = Instant::now();
                let _ = write!(
                    io::stderr(),
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
                    object.insert("cut".into(), found.cut.into());
                }
                // One line per error, written at once: stdout is line-buffered.
                writeln!(out, "{value}")?;
            } else {
                summary.add(name.as_deref(), &found);
            }
            Ok(())
        };
        let done = match &name {
            None => scanner.scan_stdin(scanner.decoding(&mut on_error), &mut draw),
            Some(_) => match File::open(path) {
                Ok(file) => scanner.scan_file(file, scanner.decoding(&mut on_error), &mut draw),
                Err(e) => Err(ScanError::Read(e, Progress::default())),
            },
        };
        let done = match done {
            Ok(done) => done,
            Err(ScanError::Found(e)) => {
                return Err(anyhow::Error::new(e).context("cannot write output"));
            }
            Err(ScanError::Read(e, done)) => {
                unreadable.push(anyhow::Error::new(e).context(format!("cannot read {shown}")));
                done
            }
        };
        total.bytes += done.bytes;
        total.errors += done.errors;
        total.cut += done.cut;
    }
    if show_progress {
        let _ = write!(io::stderr(), "\r\x1b[2K");
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
    out.flush()?;
    if let Some(last) = unreadable.pop() {
        // main says the last one, as it says every error; the others first.
        let mut stderr = io::stderr().lock();
        for error in unreadable {
            let _ = writeln!(stderr, "errdecode: {}", visible(&format!("{error:#}")));
        }
        return Err(last);
    }
    Ok(if total.errors > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}
