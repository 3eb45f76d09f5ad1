//! `errdecode man`: the man page, rendered from the same clap definitions as
//! `--help`, so the two cannot disagree, with the JSON schema of doc/json.md, so that
//! a `cargo install` user, who has no checkout, has it too.
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
    roff.control("SH", ["JSON OUTPUT"]);
    markdown(&mut roff, json_section(JSON_SCHEMA));
    roff.to_writer(out)?;
    man.render_version_section(out)
}

/// The JSON schema, whose one written form is doc/json.md: its body, after the title.
const JSON_SCHEMA: &str = include_str!("../../doc/json.md");

fn json_section(doc: &str) -> &str {
    doc.split_once('\n').map_or(doc, |(_, body)| body)
}

/// The little Markdown the schema uses, as roff: paragraphs, `- ` items, and a
/// table's rows as tagged paragraphs (key, then type, then meaning); code spans lose
/// their backticks.
fn markdown(roff: &mut Roff, text: &str) {
    let plain = |s: &str| s.replace('`', "").replace("\\|", "|");
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        for (i, item) in block.split("\n- ").enumerate() {
            let bullet = i > 0 || item.starts_with("- ");
            let item = item.trim_start_matches("- ");
            if item.starts_with('|') {
                for row in item.lines().skip(2) {
                    let cells: Vec<&str> =
                        row.trim_matches('|').split(" | ").map(str::trim).collect();
                    if let [key, kind, meaning] = cells[..] {
                        roff.control("TP", [])
                            .text([bold(plain(key)), roman(format!(" ({})", plain(kind)))])
                            .text([roman(plain(meaning))]);
                    }
                }
                continue;
            }
            if bullet {
                roff.control("IP", ["\\(bu", "2"]);
            } else {
                roff.control("PP", []);
            }
            let words: Vec<&str> = item.split_whitespace().collect();
            roff.text([roman(plain(&words.join(" ")))]);
        }
    }
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
        // The JSON schema, every key of doc/json.md's table.
        assert!(page.contains(".SH \"JSON OUTPUT\""), "{page}");
        for key in [
            "schema_version",
            "lang",
            "matched_by",
            "other_errors",
            "repairs",
        ] {
            assert!(page.contains(key), "{key} missing from the man page");
        }
        assert!(
            !page.contains("errdecode\\-list(1)"),
            "points at a missing page"
        );
    }
}
