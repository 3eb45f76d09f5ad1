//! The `scan` summary: one row per distinct error, most frequent first, with a bar
//! proportional to its count, where it was first and last seen, and what to do.

use comfy_table::presets::UTF8_HORIZONTAL_ONLY;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

use super::sanitize::visible;
use super::{Palette, Role};
use crate::scan::{Progress, Sighting, Summary, SummaryRow as Row};
use crate::words::{fill, words};

/// The longest bar, for the most frequent error.
const BAR_WIDTH: u64 = 16;

/// Below this width the table's four columns would break ids: each error is a
/// stack of labelled lines instead.
const TABLE_WIDTH: u16 = 120;

/// The summary: for people (`for_people`, a terminal or `--width`), a table at 120
/// columns and more, a stack of labelled lines per error below; piped, tab-separated
/// lines under `#` comments.
pub fn render(
    summary: &Summary,
    totals: Progress,
    palette: Palette,
    width: Option<u16>,
    for_people: bool,
) -> String {
    let rows = summary.rows();
    let w = words();
    let heading = fill(
        w.scan_heading(),
        &[&totals.errors, &human_bytes(totals.bytes), &rows.len()],
    );
    if !for_people {
        return tab_separated(&heading, &rows, summary, totals);
    }
    let mut out = palette.paint(Role::Heading, &heading).into_owned();
    out.push('\n');
    if rows.is_empty() {
        return out;
    }
    if width.is_some_and(|w| w < TABLE_WIDTH) {
        out.push_str(&stacked(&rows, palette, width));
        out.push_str(&footer(summary, totals, rows.len()));
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
        w.count(),
        w.error(),
        w.first_last_seen(),
        w.meaning_and_fix(),
    ]);
    for row in &rows {
        let bar_len = (row.count * BAR_WIDTH).div_ceil(most) as usize;
        let count = format!("{}\n{}", row.count, "█".repeat(bar_len));
        let who = who(row);
        let status = row
            .status
            .map(|s| format!(" · HTTP {s}"))
            .unwrap_or_default();
        // Cells stay uncoloured: comfy-table would count escape sequences as text.
        let error = format!("{}\n{who}{status}", visible(&row.code));
        let seen = format!("{}\n{}", sighting(&row.first), sighting(&row.last));
        let explained = match meaning_and_fix(row) {
            (meaning, Some(fix)) => format!("{meaning}\n{}", fill(w.fix_line(), &[&fix])),
            (meaning, None) => meaning,
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
    out.push_str(&footer(summary, totals, rows.len()));
    out
}

/// A kind of error seen for the first time while a log is followed: for people, its
/// code, sender, status, place and meaning as one labelled line, wrapped to the width;
/// piped, `new` and the summary's columns but the count and the last sighting,
/// tab-separated.
pub fn first_seen(row: &Row, palette: Palette, width: Option<u16>, for_people: bool) -> String {
    let meaning = meaning_and_fix(row).0;
    if !for_people {
        return format!(
            "new\t{}\t{}\t{}\t{}\t{meaning}\n",
            tsv_field(&row.code),
            who(row),
            tsv_status(row),
            tsv_field(&sighting(&row.first)),
        );
    }
    let status = row.status.map(|s| format!("HTTP {s}"));
    let parts = [
        Some(visible(&row.code).into_owned()),
        Some(who(row)),
        status,
        Some(sighting(&row.first)),
        Some(meaning),
    ];
    let line = parts.into_iter().flatten().collect::<Vec<_>>().join(" · ");
    super::table::key_values(&[(words().new_kind(), line)], palette, width)
}

fn who(row: &Row) -> String {
    match (row.vendor, row.product) {
        (Some(v), Some(p)) => format!("{v}/{p}"),
        (Some(v), None) => v.to_owned(),
        _ => words().vendor_unknown().to_owned(),
    }
}

fn meaning_and_fix(row: &Row) -> (String, Option<String>) {
    let w = words();
    match (row.entry, row.status_meaning) {
        (Some(e), _) => (e.meaning().to_owned(), Some(e.fix().to_owned())),
        (None, Some(generic)) => (
            fill(
                w.status_not_in_catalog_sentence(),
                &[&generic.status, &generic.meaning()],
            ),
            Some(generic.fix().to_owned()),
        ),
        (None, None) => (w.not_in_catalog_sentence().to_owned(), None),
    }
}

/// Each error as labelled lines, wrapped to the width at spaces: ids stay whole.
fn stacked(rows: &[&Row], palette: Palette, width: Option<u16>) -> String {
    let most = rows[0].count.max(1);
    let mut out = String::new();
    for row in rows {
        let bar_len = (row.count * BAR_WIDTH).div_ceil(most) as usize;
        let status = row
            .status
            .map(|s| format!(" · HTTP {s}"))
            .unwrap_or_default();
        let (meaning, fix) = meaning_and_fix(row);
        let w = words();
        let mut lines: Vec<(&str, String)> = vec![
            (w.count(), format!("{} {}", row.count, "█".repeat(bar_len))),
            (w.error(), visible(&row.code).into_owned()),
            (w.sender(), format!("{}{status}", who(row))),
            (w.first_seen(), sighting(&row.first)),
            (w.last_seen(), sighting(&row.last)),
            (w.meaning(), meaning),
        ];
        if let Some(fix) = fix {
            lines.push((w.fix(), fix));
        }
        out.push('\n');
        out.push_str(&super::table::key_values(&lines, palette, width));
    }
    out
}

/// Piped: `count, code, sender, status, first, last, meaning` per error, tab-separated
/// (no field holds a tab: each is made visible), the totals as `#` comments.
fn tab_separated(heading: &str, rows: &[&Row], summary: &Summary, totals: Progress) -> String {
    let mut out = format!("# {heading}\n");
    if !rows.is_empty() {
        out.push_str("count\tcode\tsender\tstatus\tfirst\tlast\tmeaning\n");
    }
    for row in rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            row.count,
            tsv_field(&row.code),
            who(row),
            tsv_status(row),
            tsv_field(&sighting(&row.first)),
            tsv_field(&sighting(&row.last)),
            meaning_and_fix(row).0,
        ));
    }
    for line in footer(summary, totals, rows.len()).lines() {
        out.push_str(&format!("# {line}\n"));
    }
    out
}

/// A text as a tab-separated field: visible, its tabs escaped.
fn tsv_field(text: &str) -> String {
    visible(text).replace('\t', "\\t")
}

/// A row's status as a tab-separated field, `-` when it has none.
fn tsv_status(row: &Row) -> String {
    row.status.map_or("-".to_owned(), |s| s.to_string())
}

fn footer(summary: &Summary, totals: Progress, kinds: usize) -> String {
    let mut out = String::new();
    if totals.cut > 0 {
        out.push_str(&fill(words().cut_records(), &[&totals.cut]));
        out.push('\n');
    }
    if summary.untracked > 0 {
        out.push_str(&fill(
            words().unlisted_kinds(),
            &[&summary.untracked, &kinds],
        ));
        out.push('\n');
    }
    out
}

fn sighting(s: &Sighting) -> String {
    let place = match &s.file {
        Some(file) => format!("{}:{}", visible(file), s.line),
        None => fill(words().line_number(), &[&s.line]),
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
