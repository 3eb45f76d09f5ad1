//! `errdecode man`: the man page, rendered from the same clap definitions as
//! `--help`, so the two cannot disagree. Hidden from help; README.md says how to
//! install it.
//!
//! One self-contained page: clap_mangen renders the name, synopsis, description
//! and options, but would point at `errdecode-list(1)` and friends for the
//! subcommands and reflow the examples into prose, so those two sections are ours.

use std::io::{self, Write};

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

pub fn write(out: &mut impl Write) -> io::Result<()> {
    let mut cmd = crate::cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let usage = sub.clone().render_usage().to_string();
        roff.control("TP", [])
            .text([bold(usage.trim_start_matches("Usage: "))]);
        if let Some(about) = sub.get_about() {
            roff.text([roman(about.to_string())]);
        }
        if let Some(examples) = sub.get_after_help() {
            verbatim(&mut roff, &examples.to_string());
        }
    }
    if let Some(examples) = cmd.get_after_help() {
        roff.control("SH", ["EXAMPLES"]);
        verbatim(&mut roff, &examples.to_string());
    }
    roff.to_writer(out)?;
    man.render_version_section(out)
}

/// Lines kept as written (the examples are aligned in columns).
fn verbatim(roff: &mut Roff, text: &str) {
    roff.control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_stands_alone_with_examples_and_subcommands() {
        let mut out = Vec::new();
        super::write(&mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains(".TH errdecode 1"));
        assert!(page.contains(".SH EXAMPLES"));
        assert!(page.contains("search signature expired"));
        assert!(page.contains("errdecode completions"));
        assert!(
            !page.contains("errdecode\\-list(1)"),
            "points at a missing page"
        );
    }
}
