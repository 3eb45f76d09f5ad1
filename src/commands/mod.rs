//! The subcommands: ways to find a code (list, search, shell completion) and to
//! document the tool (completion scripts, man page), as opposed to decoding an error.
//!
//! Each writes to the writer it is given; `run` hands them a locked stdout, so a
//! closed pipe surfaces as an `io::Error` for main's broken-pipe path.

pub mod completions;
mod entries;
pub mod list;
pub mod man;
pub mod scan;
pub mod search;

use std::io::{self, Write};

use anyhow::{Context, Result};

use crate::cli::{Cli, Command};
use entries::Format;

/// Whether a subcommand found what it was asked for; main turns this into the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Found,
    NothingFound,
    /// Ctrl-C ended a scan, after it printed what it had found.
    Interrupted,
}

/// Runs `command`, narrowed by `--vendor`/`--product` (`scope`) and printed as JSON
/// Lines when `json` is set.
pub fn run(command: &Command, cli: &Cli) -> Result<Outcome> {
    let (scope, json) = (cli.scope(), cli.json);
    let stdout = io::stdout();
    let format = match (json, crate::render::for_people(cli.width)) {
        (true, _) => Format::JsonLines,
        (false, true) => Format::Columns(crate::render::stdout_width(cli.width)),
        (false, false) => Format::Tabs,
    };
    let mut out = stdout.lock();
    let written = match command {
        // Reads as well as writes: it gives its own errors their context.
        Command::Scan { files, follow } => {
            return scan::run(&mut out, files, *follow, scope, json, cli.color, cli.width);
        }
        Command::List | Command::Search { .. } => {
            // Laid out for people, the text is paged as a decode is.
            let paged = matches!(format, Format::Columns(_));
            let mut page = Vec::new();
            let mut sink: &mut dyn Write = if paged { &mut page } else { &mut out };
            let found = match command {
                Command::Search { words } => search::run(&mut sink, words, scope, format),
                _ => list::run(&mut sink, scope, format),
            };
            if paged {
                let found = found.context(crate::words::words().cannot_write())?;
                drop(out);
                let text = String::from_utf8_lossy(&page);
                crate::pager::write(&text, cli.no_pager)
                    .context(crate::words::words().cannot_write())?;
                return Ok(found);
            }
            found
        }
        Command::Completions { shell } => {
            completions::write_script(&mut out, *shell).map(|()| Outcome::Found)
        }
        Command::Man => man::write(&mut out).map(|()| Outcome::Found),
    };
    // Only stdout is written here, so every io::Error is an output error.
    let outcome = written.and_then(|outcome| out.flush().map(|()| outcome));
    outcome.context(crate::words::words().cannot_write())
}
