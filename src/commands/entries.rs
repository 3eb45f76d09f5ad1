//! Printing a list of catalog entries, shared by `list` and `search` so both read
//! the same way: columns for a person, tabs for `cut`/`awk`, JSON Lines for `jq`.

use std::io::{self, Write};

use serde_json::Value;

use crate::catalog::Entry;
use crate::render::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns, for a terminal.
    Columns,
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
        Format::Columns => {
            let code_width = entries.iter().map(|e| e.code().len()).max().unwrap_or(0);
            let product_width = entries
                .iter()
                .map(|e| e.product.id().len())
                .max()
                .unwrap_or(0);
            for e in entries {
                writeln!(
                    out,
                    "{:code_width$}  {:product_width$}  {:>3}  {}",
                    e.code(),
                    e.product.id(),
                    status(e),
                    e.meaning()
                )?;
            }
        }
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
            for e in entries {
                json::write_line(out, &Value::Object(json::entry(e)))?;
            }
        }
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
    fn json_lines_parse_one_by_one() {
        for line in printed(Format::JsonLines).lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["code"], "-46618");
            assert_eq!(v["http_status"], serde_json::Value::Null);
        }
    }
}
