//! The errdecode binary: arguments in, a rendered report and an exit status out.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use errdecode::cli::Cli;
use errdecode::commands::{self, Outcome};
use errdecode::input::{self, Source};
use errdecode::render;

/// Process exit statuses, as documented in `--help` and README.md.
#[derive(Clone, Copy)]
enum Exit {
    Explained = 0,
    NotRecognised = 1,
    Usage = 2,
}

fn main() -> ExitCode {
    match run() {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(Exit::Explained as u8),
        Err(err) => {
            eprintln!("errdecode: {err:#}");
            ExitCode::from(Exit::Usage as u8)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run() -> Result<Exit> {
    commands::completions::answer_tab();
    let cli = Cli::parse();
    if let Some(command) = &cli.command {
        return Ok(match commands::run(command, &cli)? {
            Outcome::Found => Exit::Explained,
            Outcome::NothingFound => Exit::NotRecognised,
        });
    }
    let source = match (&cli.file, cli.input.as_slice()) {
        (Some(path), _) => Source::File(path),
        (None, []) => Source::Stdin,
        (None, [dash]) if dash == "-" => Source::Stdin,
        (None, args) => Source::Args(args),
    };
    let text = input::read(source, cli.max_input_mib.saturating_mul(1 << 20))?;
    let report = errdecode::decode(&text, cli.scope())
        .context("nothing to decode: pass an error code or a response")?;

    let mut out = io::stdout().lock();
    if cli.json {
        // Serialised first, so a closed pipe surfaces as an io::Error, not a serde one.
        let json = serde_json::to_string_pretty(&render::json::to_value(&report))?;
        writeln!(out, "{json}")?;
    } else {
        let text = render::table::render(
            &report,
            render::stdout_palette(cli.color),
            render::stdout_width(),
        );
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    if report.is_explained() {
        Ok(Exit::Explained)
    } else {
        eprintln!(
            "errdecode: no catalog entry matches{}: try `errdecode --help` for the input forms, or check the code's spelling",
            report
                .code
                .as_deref()
                .map(|c| format!(" `{}`", render::sanitize::visible(c)))
                .unwrap_or_default()
        );
        Ok(Exit::NotRecognised)
    }
}
