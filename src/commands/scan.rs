//! `errdecode scan`: every error in one or more logs, summarised, or streamed as
//! JSON Lines.
//!
//! A progress line is redrawn in place on stderr only when stderr is a terminal, and
//! not while `--json` streams records to a terminal: both would share one screen and
//! the line would run into the records. (The summary table is written after the
//! progress line is cleared, so it never meets it.)

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::Outcome;
use crate::cli::ColorWhen;
use crate::lookup::Scope;
use crate::render::sanitize::visible;
use crate::render::{self, json, summary};
use crate::scan::{Progress, ScanError, Scanner, Summary};
use crate::words::{fill, words};

/// How often the progress line is redrawn: a followed log's counts no more than once a
/// second, as a live count is read.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
const FOLLOW_PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// Whether to draw the progress line (see the module doc): stderr is a terminal that
/// understands the escape sequence that redraws it (not `TERM=dumb`), and stdout is not
/// streaming JSON records to a terminal, which would be the same screen.
fn progress_shown(stderr_terminal: bool, stdout_terminal: bool, as_json: bool, dumb: bool) -> bool {
    stderr_terminal && !dumb && !(as_json && stdout_terminal)
}

pub fn run(
    out: &mut impl Write,
    files: &[PathBuf],
    follow: bool,
    scope: Scope,
    as_json: bool,
    color: ColorWhen,
    width: Option<u16>,
) -> Result<Outcome> {
    if follow && files.len() != 1 {
        anyhow::bail!("{}", words().follow_one_file());
    }
    let scanner = Scanner::new(scope);
    // Ctrl-C stops the reading; what was found is still printed.
    crate::signals::catch_interrupt();
    let mut summary = Summary::default();
    let show_progress = progress_shown(
        io::stderr().is_terminal(),
        io::stdout().is_terminal(),
        as_json,
        std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
    );
    // The first error met writing stdout. The scanner only sees that its callback
    // failed; this keeps the error apart from a read error of the input.
    let mut write_failed: Option<io::Error> = None;
    let mut last_drawn = Instant::now();
    let mut total = Progress::default();
    let stdin_only = [PathBuf::from("-")];
    // A log pasted into a terminal: say how to end it rather than wait in silence.
    if files.iter().all(|f| f.as_os_str() == "-") && io::stdin().is_terminal() {
        crate::input::paste_hint();
    }
    let files = if files.is_empty() {
        &stdin_only[..]
    } else {
        files
    };
    // Like grep and rg: an unreadable file does not stop the scan. Its error is
    // said at the end, one line per file, and the exit status is 2.
    let mut unreadable: Vec<anyhow::Error> = Vec::new();
    // One JSON line's text, reused from record to record.
    let mut lines = json::LineWriter::default();
    for path in files {
        if crate::signals::interrupted() {
            break;
        }
        let name = (path.as_os_str() != "-").then(|| path.display().to_string());
        let shown = name
            .as_deref()
            .unwrap_or(words().standard_input())
            .to_owned();
        let base = total;
        let every = if follow {
            FOLLOW_PROGRESS_EVERY
        } else {
            PROGRESS_EVERY
        };
        let mut draw = |p: Progress| {
            if show_progress && last_drawn.elapsed() >= every {
                last_drawn = Instant::now();
                let counts = fill(
                    words().scanning(),
                    &[&((base.bytes + p.bytes) >> 20), &(base.errors + p.errors)],
                );
                crate::diag::raw(&format!("\r\x1b[2K{counts}"));
            }
        };
        let mut on_error = |found: crate::scan::Found| -> io::Result<()> {
            let written = if as_json {
                let place = json::Place {
                    file: name.as_deref(),
                    line: found.line,
                    cut: found.cut,
                };
                lines.write(out, &found.report, Some(&place))
            } else if let Some(row) = summary.add(name.as_deref(), &found)
                && follow
            {
                let line = summary::first_seen(
                    row,
                    render::stdout_palette(color),
                    render::stdout_width(width),
                    render::for_people(width),
                );
                // Seen at once, before the summary at the end.
                out.write_all(line.as_bytes()).and_then(|()| out.flush())
            } else {
                Ok(())
            };
            written.map_err(|err| {
                let kind = err.kind();
                write_failed = Some(err);
                kind.into()
            })
        };
        let done = match &name {
            None => scanner.scan_stdin(scanner.decoding(&mut on_error), &mut draw),
            Some(_) if follow => {
                scanner.scan_following(path.clone(), scanner.decoding(&mut on_error), &mut draw)
            }
            Some(_) => match File::open(path) {
                Ok(file) => scanner.scan_file(file, scanner.decoding(&mut on_error), &mut draw),
                Err(e) => Err(ScanError::Read(e, Progress::default())),
            },
        };
        let done = match done {
            Ok(done) => done,
            Err(ScanError::Found(e)) => {
                let err = write_failed.take().unwrap_or(e);
                return Err(anyhow::Error::new(err).context(words().cannot_write()));
            }
            Err(ScanError::Read(e, done)) => {
                unreadable
                    .push(anyhow::Error::new(e).context(fill(words().cannot_read(), &[&shown])));
                done
            }
        };
        total.bytes += done.bytes;
        total.errors += done.errors;
        total.cut += done.cut;
    }
    if show_progress {
        crate::diag::raw("\r\x1b[2K");
    }
    if !as_json {
        let text = summary::render(
            &summary,
            total,
            render::stdout_palette(color),
            render::stdout_width(width),
            render::for_people(width),
        );
        out.write_all(text.as_bytes())
            .context(words().cannot_write())?;
    }
    out.flush().context(words().cannot_write())?;
    // Ctrl-C's status wins, as a shell expects: every unreadable file is said here.
    let interrupted = crate::signals::interrupted();
    let last = if interrupted { None } else { unreadable.pop() };
    for error in unreadable {
        crate::say!("{}", visible(&format!("{error:#}")));
    }
    if let Some(last) = last {
        // main says the last one, as it says every error.
        return Err(last);
    }
    Ok(if interrupted {
        Outcome::Interrupted
    } else if total.errors > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

#[cfg(test)]
mod tests {
    use super::progress_shown;

    #[test]
    fn progress_never_runs_into_records_on_a_terminal() {
        // (stderr is a terminal, stdout is a terminal, --json, TERM=dumb) → progress
        assert!(progress_shown(true, true, false, false)); // summary comes after it is cleared
        assert!(progress_shown(true, false, true, false)); // records go to a file or pipe
        assert!(progress_shown(true, false, false, false));
        assert!(!progress_shown(true, true, true, false)); // records on the same screen
        assert!(!progress_shown(false, true, false, false));
        assert!(!progress_shown(false, false, true, false));
        // A dumb terminal cannot erase a line: nothing to redraw it with.
        assert!(!progress_shown(true, false, false, true));
    }
}
