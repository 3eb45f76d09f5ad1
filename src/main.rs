//! The errdecode binary: arguments in, a rendered report and an exit status out.
//!
//! Entered from the C runtime rather than through std's `lang_start`: see `main`.
#![no_main]
#![deny(clippy::print_stderr)]

use std::ffi::{c_char, c_int};
use std::io::{self, Write};

use anyhow::{Context, Result};

use errdecode::cli::Cli;
use errdecode::commands::{self, Outcome};
use errdecode::input::{self, Source};
use errdecode::{catalog, render, say};

/// Process exit statuses, as documented in `--help` and README.md.
#[derive(Clone, Copy)]
enum Exit {
    Explained = 0,
    NotRecognised = 1,
    Usage = 2,
}

/// The process entry point, called by the C runtime in place of std's `lang_start`.
///
/// errdecode runs on every paste and every TAB, so its whole-process cost is its
/// speed (benches/startup.sh). On Linux, std's start-up spends about 96,000
/// instructions under callgrind, a third of a whole `errno 13` run, asking glibc for
/// the main thread's stack bounds (glibc parses /proc/self/maps) so that a stack
/// overflow can be reported by name; without it an overflow is still stopped by the
/// kernel's guard gap, as a plain SIGSEGV. The one part of std's start-up errdecode
/// relies on is redone here: SIGPIPE is ignored, so a closed pipe is an `io::Error`
/// that ends in a quiet exit 0 below. std still reads the arguments itself, and
/// `process::exit` (clap's `--help`, a TAB) still flushes stdout.
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    #[cfg(unix)]
    // SAFETY: no other thread exists yet, and SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let exit = match run() {
        Ok(exit) => exit,
        Err(err) if is_broken_pipe(&err) => Exit::Explained,
        Err(err) => {
            // A message can quote the input (a file name): never raw to the terminal.
            say!("{}", render::sanitize::visible(&format!("{err:#}")));
            Exit::Usage
        }
    };
    exit as c_int
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
    let cli = Cli::from_env();
    if let Some(command) = &cli.command {
        return Ok(match commands::run(command, &cli)? {
            Outcome::Found => Exit::Explained,
            Outcome::NothingFound => Exit::NotRecognised,
        });
    }
    let source = match (&cli.file, cli.input.as_slice()) {
        (Some(path), _) if path.as_os_str() == "-" => Source::Stdin,
        (Some(path), _) => Source::File(path),
        (None, []) => Source::Stdin,
        (None, [dash]) if dash == "-" => Source::Stdin,
        (None, args) => Source::Args(args),
    };
    let text = input::read(source, cli.max_input_mib.saturating_mul(1 << 20))?;
    let report = errdecode::decode(&text, cli.scope())?;

    let text = if cli.json {
        // Serialised first, so a closed pipe surfaces as an io::Error, not a serde one.
        render::json::to_string_pretty(&render::json::to_value(&report))
    } else {
        render::table::render(
            &report,
            render::stdout_palette(cli.color),
            render::stdout_width(),
        )
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context(commands::CANNOT_WRITE)?;
    if report.is_explained() {
        return Ok(Exit::Explained);
    }
    let shown = report
        .code
        .as_deref()
        .map(|c| format!(" `{}`", render::sanitize::visible(c)))
        .unwrap_or_default();
    // Narrowed away by --vendor/--product: say where the code does belong.
    let elsewhere: Vec<&str> = match (&report.code, cli.vendor.is_some() || cli.product.is_some()) {
        (Some(code), true) => {
            let mut products: Vec<&str> = catalog::candidates(code)
                .iter()
                .map(|c| c.entry.product.id())
                .collect();
            products.dedup();
            products
        }
        _ => Vec::new(),
    };
    if elsewhere.is_empty() {
        say!(
            "no catalog entry matches{shown}: try `errdecode --help` for the input forms, or check the code's spelling"
        );
    } else {
        say!(
            "{} is not a code of the vendor or product asked for, but of {}: drop --vendor/--product to see it",
            shown.trim_start(),
            elsewhere.join(", ")
        );
    }
    Ok(Exit::NotRecognised)
}
