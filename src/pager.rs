//! Paging long output on a terminal, as git and bat do: through `ERRDECODE_PAGER`,
//! else `PAGER`, else `less -FRX`, only when stdout is a terminal and the text is
//! longer than it, and never with `--no-pager`. A value that is empty or `cat` means
//! no pager; one that cannot be started means the text is written directly.
//!
//! Built with the `pager` feature, on by default (Cargo.toml says what it costs);
//! without it, output is written directly and `--no-pager` changes nothing.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
#[cfg(feature = "pager")]
use std::process::{Command, Stdio};

/// The pager when none is set: quits when the text fits (-F), keeps colours (-R) and
/// leaves the text on the screen after quitting (-X).
const DEFAULT: &str = "less -FRX";

/// Writes `text` to stdout, through the pager when one applies; `Ok` once written.
pub fn write(text: &str, no_pager: bool) -> io::Result<()> {
    if cfg!(feature = "pager")
        && !no_pager
        && let Some(command) = pager_for(text)
    {
        // Not started (`false`): the text goes out as it would without a pager.
        if page(&command, text)? {
            return Ok(());
        }
    }
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// The pager's words, when stdout is a terminal that `text` does not fit.
fn pager_for(text: &str) -> Option<Vec<String>> {
    let stdout = io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let (terminal_size::Width(columns), terminal_size::Height(rows)) =
        terminal_size::terminal_size()?;
    if screen_lines(text, usize::from(columns)) < usize::from(rows) {
        return None;
    }
    command(
        std::env::var_os("ERRDECODE_PAGER"),
        std::env::var_os("PAGER"),
    )
}

/// The lines `text` takes on a terminal `columns` wide (a longer line wraps).
fn screen_lines(text: &str, columns: usize) -> usize {
    text.lines()
        .map(|l| {
            let width = unicode_width::UnicodeWidthStr::width(l);
            width.div_ceil(columns.max(1)).max(1)
        })
        .sum()
}

/// The pager's words from `ERRDECODE_PAGER` and `PAGER`, the first set winning; none
/// for an empty value or `cat`.
fn command(ours: Option<OsString>, theirs: Option<OsString>) -> Option<Vec<String>> {
    let chosen = ours.or(theirs);
    let chosen = match &chosen {
        Some(value) => value.to_str()?,
        None => DEFAULT,
    };
    let words: Vec<String> = chosen.split_whitespace().map(str::to_owned).collect();
    match words.first().map(String::as_str) {
        None | Some("cat") => None,
        Some(_) => Some(words),
    }
}

/// Without the `pager` feature: never started.
#[cfg(not(feature = "pager"))]
fn page(_words: &[String], _text: &str) -> io::Result<bool> {
    Ok(false)
}

/// Runs the pager with `text` on its stdin; `Ok(false)` when it could not be started.
#[cfg(feature = "pager")]
fn page(words: &[String], text: &str) -> io::Result<bool> {
    let mut command = Command::new(&words[0]);
    command.args(&words[1..]).stdin(Stdio::piped());
    if words[0] == "less" && std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    let Ok(mut child) = command.spawn() else {
        return Ok(false);
    };
    if let Some(mut stdin) = child.stdin.take() {
        // Quitting the pager early closes the pipe: that is the reader's choice.
        match stdin.write_all(text.as_bytes()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    child.wait()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ours: Option<&str>, theirs: Option<&str>) -> Option<Vec<String>> {
        command(ours.map(OsString::from), theirs.map(OsString::from))
    }

    #[test]
    fn errdecode_pager_then_pager_then_less() {
        assert_eq!(words(None, None).unwrap(), ["less", "-FRX"]);
        assert_eq!(words(None, Some("more")).unwrap(), ["more"]);
        assert_eq!(
            words(Some("most -s"), Some("more")).unwrap(),
            ["most", "-s"]
        );
        assert_eq!(words(Some(""), Some("more")), None);
        assert_eq!(words(None, Some("cat")), None);
        assert_eq!(words(Some("  "), None), None);
    }

    #[test]
    fn long_lines_take_several_screen_lines() {
        assert_eq!(screen_lines("a\nb\n", 80), 2);
        assert_eq!(screen_lines(&"x".repeat(81), 80), 2);
        assert_eq!(screen_lines("\n\n", 80), 2);
    }
}
