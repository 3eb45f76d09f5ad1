//! The errdecode binary: arguments in, a rendered report and an exit status out.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use errdecode::cli::{Cli, ColorWhen};
use errdecode::input::{self, Source};
use errdecode::lookup::Scope;
use errdecode::render::{self, Palette};

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
    let cli = Cli::parse();
    let source = match (&cli.file, cli.input.as_slice()) {
        (Some(path), _) => Source::File(path),
        (None, []) => Source::Stdin,
        (None, [dash]) if dash == "-" => Source::Stdin,
        (None, args) => Source::Args(args),
    };
    let text = input::read(source, cli.max_input_mib.saturating_mul(1 << 20))?;
    let scope = Scope {
        vendor: cli.vendor.map(Into::into),
        product: cli.product.map(Into::into),
    };
    let report = errdecode::decode(&text, scope)
        .context("nothing to decode: pass an error code or a response")?;

    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    if cli.json {
        // Serialised first, so a closed pipe surfaces as an io::Error, not a serde one.
        let json = serde_json::to_string_pretty(&render::json::to_value(&report))?;
        writeln!(out, "{json}")?;
    } else {
        let colour = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let width = is_terminal
            .then(|| terminal_size::terminal_size().map(|(w, _)| w.0))
            .flatten();
        out.write_all(render::table::render(&report, Palette::new(colour), width).as_bytes())?;
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
