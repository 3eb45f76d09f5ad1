//! The `scan` summary: one row per distinct error, most frequent first, with a bar
//! proportional to its count, where it was first and last seen, and what to do.

use comfy_table::presets::UTF8_HORIZONTAL_ONLY;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

use super::sanitize::visible;
use super::{Palette, Role};
use crate::scan::{Progress, Sighting, Summary};

/// The longest bar, for the most frequent error.
const BAR_WIDTH: u64 = 16;

pub fn render(summary: &Summary, totals: Progress, palette: Palette, width: Option<u16>) -> String {
    let rows = summary.rows();
    let mut out = palette
        .paint(
            Role::Heading,
            &format!(
                "{} errors in {} ({} distinct)",
                totals.errors,
                human_bytes(totals.bytes),
                rows.len()
            ),
        )
        .into_owned();
    out.push('\n');
    if rows.is_empty() {
        return out;
    }
    let most = rows[0].count.max(1);
    let mut table = Table::new();
    table.load_style(UTF8_HORIZONTAL_ONLY);
    if let Some(width) = width {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
    }
    table.set_header(vec![
        "Count",
        "Error",
        "First / last seen",
        "Meaning and fix",
    ]);
    for row in &rows {
        let bar_len = (row.count * BAR_WIDTH).div_ceil(most) as usize;
        let count = format!("{}\n{}", row.count, "█".repeat(bar_len));
        let who = match (row.vendor, row.product) {
            (Some(v), Some(p)) => format!("{v}/{p}"),
            (Some(v), None) => v.to_owned(),
            _ => "vendor unknown".to_owned(),
        };
        let status = row
            .status
            .map(|s| format!(" · HTTP {s}"))
            .unwrap_or_default();
        // Cells stay uncoloured: comfy-table would count escape sequences as text.
        let error = format!("{}\n{who}{status}", visible(&row.code));
        let seen = format!("{}\n{}", sighting(&row.first), sighting(&row.last));
        let explained = match (row.entry, row.status_meaning) {
            (Some(e), _) => format!("{}\nFix: {}", e.meaning(), e.fix()),
            (None, Some(generic)) => format!(
                "Not in the catalog. HTTP {}: {}\nFix: {}",
                generic.status, generic.meaning, generic.fix
            ),
            (None, None) => "Not in the catalog.".to_owned(),
        };
        table.add_row(vec![
            Cell::new(count).set_alignment(CellAlignment::Left),
            Cell::new(error),
            Cell::new(seen),
            Cell::new(explained),
        ]);
    }
    for line in table.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if totals.cut > 0 {
        out.push_str(&format!(
            "{} errors were in records longer than 64 KiB, read cut around their code.\n",
            totals.cut
        ));
    }
    if summary.untracked > 0 {
        out.push_str(&format!(
            "{} more errors of other kinds were counted but not listed (over {} kinds).\n",
            summary.untracked,
            rows.len()
        ));
    }
    out
}

fn sighting(s: &Sighting) -> String {
    let place = match &s.file {
        Some(file) => format!("{}:{}", visible(file), s.line),
        None => format!("line {}", s.line),
    };
    match &s.request_id {
        Some(id) => format!("{place} {}", visible(id)),
        None => place,
    }
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}
