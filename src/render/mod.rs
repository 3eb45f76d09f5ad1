//! The last stage: a `Report` to text. `table` is for people, `json` for scripts.

pub mod json;
pub mod sanitize;
pub mod summary;
pub mod table;

use std::borrow::Cow;
use std::ffi::OsStr;
use std::io::IsTerminal;

use owo_colors::{OwoColorize, Style};

use crate::cli::ColorWhen;

/// Whether to colour stdout: `--color always|never`, else only a terminal, and not
/// when `NO_COLOR` is set (<https://no-color.org>) or `TERM` is `dumb` (a terminal
/// that says it understands no escape sequences: Emacs' shell, some CI logs).
pub fn stdout_palette(when: ColorWhen) -> Palette {
    Palette::new(colours(
        when,
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    ))
}

/// The decision of [`stdout_palette`], from what it reads.
fn colours(
    when: ColorWhen,
    terminal: bool,
    no_color: Option<&OsStr>,
    term: Option<&OsStr>,
) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            terminal && no_color.is_none_or(OsStr::is_empty) && term.is_none_or(|t| t != "dumb")
        }
    }
}

/// The width to lay output out for: `--width N`, else `COLUMNS` when it holds a
/// number, else the terminal's; none (no wrapping) when piped without either.
pub fn stdout_width(flag: Option<u16>) -> Option<u16> {
    flag.or_else(|| columns_variable(std::env::var_os("COLUMNS").as_deref()))
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(|| terminal_size::terminal_size().map(|(w, _)| w.0))
                .flatten()
        })
        .map(|w| w.max(MIN_WIDTH))
}

/// The narrowest layout: below it, values would have no room beside their labels.
pub const MIN_WIDTH: u16 = 20;

/// `COLUMNS` as a width, when it is a positive number.
fn columns_variable(value: Option<&OsStr>) -> Option<u16> {
    value?.to_str()?.trim().parse().ok().filter(|w| *w > 0)
}

/// Whether `list`, `search` and `scan` lay their output out for people (a header row,
/// columns cut to the width) rather than as tab-separated lines: on a terminal, or
/// when `--width` asks for a width.
pub fn for_people(flag: Option<u16>) -> bool {
    flag.is_some() || std::io::stdout().is_terminal()
}

/// What a piece of output is, so colours come from one palette keyed by meaning.
#[derive(Clone, Copy)]
pub enum Role {
    Code,
    Heading,
    Label,
    Status(u16),
    Yes,
    No,
    Dim,
    Warning,
}

/// Colours on or off, decided once from `--color`, `NO_COLOR` and the terminal.
#[derive(Clone, Copy)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    pub fn new(enabled: bool) -> Self {
        Palette { enabled }
    }

    fn style(role: Role) -> Style {
        let s = Style::new();
        match role {
            Role::Code => s.bold().bright_red(),
            Role::Heading => s.bold(),
            Role::Label => s.cyan(),
            Role::Status(400..) => s.bold().red(),
            Role::Status(300..) => s.bold().yellow(),
            Role::Status(_) => s.bold().green(),
            Role::Yes => s.green(),
            Role::No => s.yellow(),
            Role::Dim => s.dimmed(),
            Role::Warning => s.bold().yellow(),
        }
    }

    /// `text` in the colour of `role`; borrowed as it is when colours are off, so the
    /// uncoloured table (every pipe) allocates nothing for it.
    pub fn paint<'a>(&self, role: Role, text: &'a str) -> Cow<'a, str> {
        if self.enabled {
            text.style(Self::style(role)).to_string().into()
        } else {
            text.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_is_a_positive_number_or_nothing() {
        assert_eq!(columns_variable(Some(OsStr::new("80"))), Some(80));
        assert_eq!(columns_variable(Some(OsStr::new(" 120\n"))), Some(120));
        assert_eq!(columns_variable(Some(OsStr::new("0"))), None);
        assert_eq!(columns_variable(Some(OsStr::new("wide"))), None);
        assert_eq!(columns_variable(Some(OsStr::new(""))), None);
        assert_eq!(columns_variable(None), None);
    }

    #[test]
    fn auto_colours_only_a_terminal_that_can_show_them() {
        let dumb = Some(OsStr::new("dumb"));
        let xterm = Some(OsStr::new("xterm-256color"));
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(colours(ColorWhen::Auto, true, None, xterm));
        assert!(colours(ColorWhen::Auto, true, None, None));
        assert!(colours(ColorWhen::Auto, true, empty, xterm));
        assert!(!colours(ColorWhen::Auto, true, None, dumb));
        assert!(!colours(ColorWhen::Auto, true, set, xterm));
        assert!(!colours(ColorWhen::Auto, false, None, xterm));
        // Asked for in so many words, colour is given, or not, whatever TERM says.
        assert!(colours(ColorWhen::Always, false, set, dumb));
        assert!(!colours(ColorWhen::Never, true, None, xterm));
    }
}
