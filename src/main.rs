//! The binary: arguments in, a rendered report and an exit status out.
#![deny(clippy::print_stderr)]
#![cfg_attr(all(target_os = "linux", target_env = "gnu"), no_main)]

use std::io;

use anyhow::{Context, Result};

use errdecode::cli::Cli;
use errdecode::commands::{self, Outcome};
use errdecode::input::{self, Source};
use errdecode::render::table::Shape;
use errdecode::report::Report;
use errdecode::words::{fill, words};
use errdecode::{catalog, is_known_code, render, say};

/// Process exit statuses, as documented in `--help` and README.md.
#[derive(Clone, Copy)]
enum Exit {
    Explained = 0,
    NotRecognised = 1,
    Usage = 2,
    Interrupted = errdecode::signals::INTERRUPTED_STATUS as isize,
}

/// The exit status of a whole run: a closed pipe is the reader's choice and ends
/// quietly; any other error is one line on stderr, masked and made visible.
fn exit_status() -> Exit {
    match run() {
        Ok(exit) => exit,
        Err(err) if is_broken_pipe(&err) => Exit::Explained,
        Err(err) => {
            // A message can quote the input (a file name), and so a secret.
            let text = format!("{err:#}");
            let text = errdecode::redact::Redactor::default()
                .text(&text)
                .unwrap_or(text);
            say!("{}", render::sanitize::visible(&text));
            Exit::Usage
        }
    }
}

/// On glibc Linux the C entry point, without std's `lang_start`. That start-up costs
/// about 94,000 instructions, a third of an `errno 13` run, almost all of it glibc's
/// `pthread_getattr_np` reading /proc/self/maps so that std can name a stack
/// overflow (benches/startup.sh). std still reads the arguments there (glibc hands
/// them to its initialiser), so only lang_start's other two duties remain, done here:
/// SIGPIPE ignored, so a closed pipe is an `io::Error` that ends quietly; stdout
/// flushed at the end. A stack overflow is a plain SIGSEGV: every reader bounds its
/// depth, so none is expected.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    const SIGPIPE: std::ffi::c_int = 13;
    const SIG_IGN: usize = 1;
    // SAFETY: called once, before any thread starts; SIG_IGN is a valid disposition.
    unsafe { errdecode::signals::set_disposition(SIGPIPE, SIG_IGN) };
    let exit = exit_status();
    let _ = io::Write::flush(&mut io::stdout());
    exit as std::ffi::c_int
}

/// Elsewhere std's own entry point, which reads the arguments (musl and the BSDs only
/// through it) and does the same.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(exit_status() as u8)
}

/// The most of a code the no-match hint quotes: enough to recognise it, while a
/// 60 KiB "code" from a hostile paste stays one short line (the report shows it).
const HINT_CODE_CHARS: usize = 64;

/// `code` for the hint: whole, or its first `HINT_CODE_CHARS` characters and `…`.
fn hint_code(code: &str) -> std::borrow::Cow<'_, str> {
    match code.char_indices().nth(HINT_CODE_CHARS) {
        Some((cut, _)) => format!("{}…", &code[..cut]).into(),
        None => code.into(),
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
    errdecode::lang::choose(errdecode::lang::from_locale());
    commands::completions::answer_tab();
    let cli = Cli::from_env();
    if let Some(lang) = cli.lang {
        errdecode::lang::choose(lang);
    }
    if let Some(command) = &cli.command {
        return Ok(match commands::run(command, &cli)? {
            Outcome::Found => Exit::Explained,
            Outcome::NothingFound => Exit::NotRecognised,
            Outcome::Interrupted => Exit::Interrupted,
        });
    }
    let source = match (&cli.file, cli.input.as_slice()) {
        (Some(path), _) if path.as_os_str() == "-" => Source::Stdin { explicit: true },
        (Some(path), _) => Source::File(path),
        (None, []) => Source::Stdin { explicit: false },
        (None, [dash]) if dash == "-" => Source::Stdin { explicit: true },
        (None, args) => Source::Args(args),
    };
    let scope = cli.scope();
    let mut reports: Vec<Report> = match source {
        // Several codes, as `errno 13 2` takes them: one report each. Decided by the
        // catalog, so the words of a message (`Request has expired`) stay one input.
        Source::Args(args) if args.len() > 1 && args.iter().all(|a| is_known_code(a)) => args
            .iter()
            .map(|code| errdecode::decode(code, scope))
            .collect::<Result<_, _>>()?,
        source => {
            let input = input::read(source, cli.max_input_mib.saturating_mul(1 << 20))?;
            let mut report = errdecode::decode(&input.text, scope)?;
            report.repairs.splice(0..0, input.repair);
            vec![report]
        }
    };

    // A subcommand mistyped (`lsit`, `serach`, `completion bash`) is a usage error
    // with clap's kind of suggestion, not a code nobody has: said only when the words
    // explain nothing, so a message that starts with a word like one still decodes.
    let typo = cli
        .input
        .first()
        .and_then(|first| errdecode::cli::near_subcommand(first));
    if let Some(subcommand) = typo.filter(|_| !reports.iter().any(Report::is_explained)) {
        let first = render::sanitize::visible(&cli.input[0]);
        say!(
            "{}{}{}",
            fill(words().unknown_subcommand(), &[&first]),
            fill(words().did_you_mean_this(), &[&subcommand]),
            words().see_help()
        );
        return Ok(Exit::Usage);
    }

    // What to say on stderr for each code that explains nothing, said after the output.
    let hints: Vec<String> = reports
        .iter()
        .filter(|r| !r.is_explained())
        .map(|r| hint(r, &cli))
        .collect();
    let text = if cli.json {
        // Several codes are one object, the first, with the others in `other_errors`,
        // as for a paste that holds several errors (doc/json.md).
        let mut first = reports.remove(0);
        first.others.append(&mut reports);
        // Serialised first, so a closed pipe surfaces as an io::Error, not a serde one.
        render::json::to_string_pretty(&render::json::to_value(&first))
    } else {
        let palette = render::stdout_palette(cli.color);
        let width = render::stdout_width(cli.width);
        let mut text = String::new();
        for (i, report) in reports.iter().enumerate() {
            if i > 0 && !cli.short {
                text.push('\n');
            }
            let shape = if cli.all { Shape::All } else { Shape::Best };
            text.push_str(&if cli.short {
                render::table::render_short(report, palette, width)
            } else {
                render::table::render_shaped(report, palette, width, shape)
            });
        }
        text
    };
    errdecode::pager::write(&text, cli.no_pager || cli.json)
        .context(errdecode::words::words().cannot_write())?;
    for hint in &hints {
        say!("{hint}");
    }
    Ok(if hints.is_empty() {
        Exit::Explained
    } else {
        Exit::NotRecognised
    })
}

/// The line on stderr for a report that explains nothing: where to look instead.
fn hint(report: &Report, cli: &Cli) -> String {
    let shown = report
        .code
        .as_deref()
        .map(|c| format!(" `{}`", render::sanitize::visible(&hint_code(c))))
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
    if shown.is_empty() {
        words().no_code_read().to_owned()
    } else if elsewhere.is_empty() {
        fill(words().no_match(), &[&shown])
    } else {
        fill(
            words().other_scope(),
            &[&shown.trim_start(), &elsewhere.join(", ")],
        )
    }
}
