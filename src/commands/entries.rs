//! Printing a list of catalog entries, shared by `list` and `search` so both read
//! the same way: columns for a person, tabs for `cut`/`awk`, JSON Lines for `jq`.

use std::io::{self, Write};

use serde_json::Value;

use crate::catalog::Entry;
use crate::render::json;
use crate::render::table::{columns, cut_at_word};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns under a header row, for a terminal, the meaning cut at a word
    /// to the width when there is one.
    Columns(Option<u16>),
    /// `code \t product \t status \t meaning`, for a pipe: the catalog is itself
    /// tab-separated, so no field can hold a tab and splitting on tabs is always safe.
    Tabs,
    /// One JSON object per line, so a script can stream and filter it.
    JsonLines,
}

/// Shown where an entry documents no HTTP status.
const NO_STATUS: &str = "-";

pub fn write(out: &mut impl Write, entries: &[&Entry], format: Format) -> io::Result<()> {
    match format {
        Format::Columns(width) => write_columns(out, entries, width.map(usize::from))?,
        Format::Tabs => {
            for e in entries {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    e.code(),
                    e.product.id(),
                    status(e),
                    e.meaning()
                )?;
            }
        }
        Format::JsonLines => {
            let lang = Value::from(crate::lang::current().id());
            for e in entries {
                let mut object = json::entry(e);
                object.insert("lang".to_owned(), lang.clone());
                json::write_line(out, &Value::Object(object))?;
            }
        }
    }
    Ok(())
}

/// The columns the meaning keeps however long the codes: what is shown of it.
const MEANING_ROOM: usize = 24;

/// The columns layout: a code wider than its column (at most half the width) gets a
/// line of its own, the rest of its row on the next, so no code is ever cut.
fn write_columns(out: &mut impl Write, entries: &[&Entry], width: Option<usize>) -> io::Result<()> {
    let w = crate::words::words();
    let header = [
        w.column_code(),
        w.column_product(),
        w.column_status(),
        w.column_meaning(),
    ];
    let widest = |f: &dyn Fn(&Entry) -> usize, header: &str| {
        entries
            .iter()
            .map(|e| f(e))
            .max()
            .unwrap_or(0)
            .max(columns(header))
    };
    let mut code_width = widest(&|e| columns(e.code()), header[0]);
    let product_width = widest(&|e| e.product.id().len(), header[1]);
    let status_width = widest(&|e| status(e).len(), header[2]);
    if let Some(width) = width {
        // The meaning keeps MEANING_ROOM columns: longer codes go on their own line.
        let rest = product_width + status_width + 6 + MEANING_ROOM;
        code_width = code_width.min(width.saturating_sub(rest).max(columns(header[0])));
    }
    let meaning_at = code_width + product_width + status_width + 6;
    let room = width.map(|w| w.saturating_sub(meaning_at));
    let row = |out: &mut dyn Write, code: &str, product: &str, status: &str, meaning: &str| {
        let mut line = String::with_capacity(128);
        if columns(code) > code_width {
            line.push_str(code);
            line.push('\n');
            line.push_str(&" ".repeat(code_width));
        } else {
            line.push_str(code);
            line.push_str(&" ".repeat(code_width - columns(code)));
        }
        // Padded by columns, not characters: a Chinese header is two a character.
        for (cell, cell_width) in [(product, product_width), (status, status_width)] {
            line.push_str("  ");
            line.push_str(cell);
            line.push_str(&" ".repeat(cell_width - columns(cell)));
        }
        line.push_str("  ");
        line.push_str(&cut_at_word(meaning, room));
        writeln!(out, "{}", line.trim_end())
    };
    row(out, header[0], header[1], header[2], header[3])?;
    for e in entries {
        row(out, e.code(), e.product.id(), &status(e), e.meaning())?;
    }
    Ok(())
}

fn status(e: &Entry) -> String {
    e.status
        .map_or_else(|| NO_STATUS.to_owned(), |s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    fn printed(format: Format) -> String {
        let entries: Vec<&Entry> = catalog::exact("-46618").collect();
        let mut out = Vec::new();
        write(&mut out, &entries, format).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tabs_have_four_fields_and_a_dash_for_no_status() {
        let text = printed(Format::Tabs);
        let fields: Vec<&str> = text.trim_end().split('\t').collect();
        assert_eq!(fields[..3], ["-46618", "ci", "-"]);
        assert_eq!(fields.len(), 4);
    }

    #[test]
    fn columns_have_a_header_and_fit_the_width() {
        let entries: Vec<&Entry> = catalog::ENTRIES.iter().collect();
        let mut out = Vec::new();
        write(&mut out, &entries, Format::Columns(Some(60))).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("CODE "), "{}", &text[..200]);
        for line in text.lines() {
            assert!(
                columns(line) <= 60 || !line.trim().contains("  "),
                "{line:?}"
            );
        }
        // Every code is whole on some line.
        for e in &entries {
            assert!(
                text.lines().any(|l| l.starts_with(e.code())),
                "{}",
                e.code()
            );
        }
    }

    #[test]
    fn json_lines_parse_one_by_one() {
        for line in printed(Format::JsonLines).lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["code"], "-46618");
            assert_eq!(v["http_status"], serde_json::Value::Null);
        }
    }
}
