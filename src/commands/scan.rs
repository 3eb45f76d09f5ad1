//! `errdecode scan`: every error in one or more logs, summarised, or streamed as
//! JSON Lines.
//!
//! A progress line is redrawn in place on stderr only when stderr is a terminal, and
//! not while `--json` streams records to a terminal: both would share one screen and
//! the line would run into the records. (The summary table is written after the
//! progress line is cleared, so it never meets it.)

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::Outcome;
use crate::cli::ColorWhen;
use crate::lookup::Scope;
use crate::render::sanitize::visible;
use crate::render::{self, json, summary};
use crate::scan::{Event, Found, Part, Progress, Scanner, Summary, is_stdin};
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

/// What a worker makes of its file's errors when files are scanned at once: the
/// summary's tallies, merged in file order. (`--json` scans files one by one, each on
/// every core: a file's JSON lines, a third of its size, would wait in memory for the
/// files before it, and a worker soon waits for them; benches/scan.sh.)
struct FilePart {
    name: Option<String>,
    summary: Summary,
}

impl Part for FilePart {
    fn add(&mut self, found: Found) {
        self.summary.add(self.name.as_deref(), &found);
    }

    fn size(&self) -> usize {
        self.summary.size()
    }
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
    let mut last_drawn = Instant::now();
    let mut total = Progress::default();
    let stdin_only = [PathBuf::from("-")];
    // A log pasted into a terminal: say how to end it rather than wait in silence.
    if files.iter().all(|f| is_stdin(f)) && io::stdin().is_terminal() {
        crate::input::paste_hint();
    }
    let files = if files.is_empty() {
        &stdin_only[..]
    } else {
        files
    };
    let names: Vec<Option<String>> = files
        .iter()
        .map(|path| (!is_stdin(path)).then(|| path.display().to_string()))
        .collect();
    // Like grep and rg: an unreadable file does not stop the scan. Its error is
    // said at the end, one line per file, and the exit status is 2.
    let mut unreadable: Vec<anyhow::Error> = Vec::new();
    // One JSON line's text, reused from record to record.
    let mut lines = json::LineWriter::default();
    let every = if follow {
        FOLLOW_PROGRESS_EVERY
    } else {
        PROGRESS_EVERY
    };
    let new_part = |index: usize| FilePart {
        name: names[index].clone(),
        summary: Summary::default(),
    };
    let new_part = (!as_json).then_some(new_part);
    let scanned = scanner.scan_inputs(files, follow, new_part, |event| match event {
        Event::Found(index, found) => {
            let name = names[index].as_deref();
            if as_json {
                let place = json::Place {
                    file: name,
                    line: found.line,
                    cut: found.cut,
                };
                lines.write(out, &found.report, Some(&place))
            } else if let Some(row) = summary.add(name, &found)
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
            }
        }
        Event::Part(_, part) => {
            summary.merge(part.summary);
            Ok(())
        }
        Event::Progress(p) => {
            if show_progress && last_drawn.elapsed() >= every {
                last_drawn = Instant::now();
                let counts = fill(words().scanning(), &[&(p.bytes >> 20), &p.errors]);
                crate::diag::raw(&format!("\r\x1b[2K{counts}"));
            }
            Ok(())
        }
        Event::Done(index, done, failed) => {
            if let Some(e) = failed {
                let shown = names[index].as_deref().unwrap_or(words().standard_input());
                unreadable
                    .push(anyhow::Error::new(e).context(fill(words().cannot_read(), &[&shown])));
            }
            total = total.plus(done);
            Ok(())
        }
    });
    scanned.context(words().cannot_write())?;
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
