//! The human view: a headline, one block per catalog match (best first), then what
//! the input itself said. Untrusted text passes through `sanitize::visible`.

use super::sanitize::visible;
use super::{Palette, Role};
use crate::catalog::foreign_name;
use crate::catalog::{Entry, MatchKind};
use crate::diagnose::format_time;
use crate::parse::Extra;
use crate::parse::fields::VERBATIM;
use crate::report::Report;
use crate::words::{fill, plural, words};

/// How many of a report's matches get their whole block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// One line per meaning, then the best one's block and how to narrow it down.
    #[default]
    Best,
    /// Every match's block (`--all`, `-v`).
    All,
}

/// The report for people, best match in full (`Shape::Best`).
pub fn render(report: &Report, palette: Palette, width: Option<u16>) -> String {
    render_shaped(report, palette, width, Shape::Best)
}

pub fn render_shaped(
    report: &Report,
    palette: Palette,
    width: Option<u16>,
    shape: Shape,
) -> String {
    // Sized once for a typical report: growing it piece by piece cost more than
    // laying it out (benches/startup.sh, the curl -v row).
    let mut out = String::with_capacity(4096);
    let w = words();
    out.push_str(&headline(report, palette, width));
    if report.repairs.contains(&crate::input::GB18030) {
        paragraph(&mut out, palette, Role::Dim, w.read_as_gb18030(), width, 0);
    }
    if let Some(foreign) = report.foreign {
        let below = match report.matches.first() {
            None => w.no_entry_for_code().to_owned(),
            Some(m) => fill(w.answers_with_api(), &[&m.entry.product.display_name()]),
        };
        paragraph(
            &mut out,
            palette,
            Role::Warning,
            &fill(w.looks_like(), &[&foreign_name(foreign), &below]),
            width,
            0,
        );
    }

    // The sender is known but the catalog has the code only elsewhere: say so.
    let sender = match (report.product, report.vendor) {
        (Some(product), _) if !report.matches.iter().any(|m| m.entry.product == product) => {
            Some(product.to_string())
        }
        (None, Some(vendor)) if !report.matches.iter().any(|m| m.entry.vendor == vendor) => {
            Some(vendor.display_name().to_owned())
        }
        _ => None,
    };
    if let Some(sender) = sender.filter(|_| !report.matches.is_empty()) {
        let note = if report.scoped_out {
            fill(w.scoped_out(), &[&sender])
        } else {
            fill(w.meaning_elsewhere(), &[&sender])
        };
        paragraph(&mut out, palette, Role::Warning, &note, width, 0);
    }

    if !report.findings.is_empty() {
        out.push('\n');
        out.push_str(&palette.paint(Role::Heading, w.diagnosis()));
        out.push('\n');
        let rows: Vec<(&str, String)> = report
            .findings
            .iter()
            .map(|f| ("»", visible(&f.text).into_owned()))
            .collect();
        out.push_str(&key_values(&rows, palette, width));
    }
    if let Some(generic) = report.status_meaning {
        out.push('\n');
        let heading = if report.status_entries.is_some() {
            fill(w.status_in_general(), &[&generic.status])
        } else {
            fill(w.status_not_in_catalog(), &[&generic.status])
        };
        paragraph(&mut out, palette, Role::Heading, &heading, width, 0);
        let rows = [
            (w.meaning(), generic.meaning().to_owned()),
            (w.fix(), generic.fix().to_owned()),
            (w.retry(), retry_text(generic.retryable, palette)),
            (
                w.source(),
                palette.paint(Role::Dim, generic.source).into_owned(),
            ),
        ];
        out.push_str(&key_values(&rows, palette, width));
    }

    if let Some(entries) = &report.status_entries {
        out.push_str(&sent_with_status(
            report.http_status,
            entries,
            palette,
            width,
        ));
    }

    let numbered = report.matches.len() > 1;
    let shown = if numbered && shape == Shape::Best {
        out.push('\n');
        out.push_str(&meaning_lines(report, width));
        1
    } else {
        report.matches.len()
    };
    // The widest label any shown block has, so their values line up.
    let label_width = report
        .matches
        .iter()
        .take(shown)
        .map(|m| match (m.entry.error_code(), &m.kind) {
            (Some(_), _) => columns(w.sent_with()),
            (None, MatchKind::Template { .. }) => columns(w.template()),
            (None, MatchKind::Exact) => columns(w.meaning()),
        })
        .max()
        .unwrap_or(0);
    for (i, m) in report.matches.iter().enumerate().take(shown) {
        let e = m.entry;
        let mut title = format!("{} · {}", e.product, e.section());
        if let Some(status) = e.status {
            title.push_str(&format!(" · HTTP {status}"));
        }
        if numbered {
            title = format!("{}. {title}", i + 1);
        }
        out.push('\n');
        let hang = if numbered {
            (i + 1).to_string().len() + 2
        } else {
            0
        };
        paragraph(&mut out, palette, Role::Heading, &title, width, hang);
        let mut rows: Vec<(&str, String)> = Vec::new();
        if e.code() != report.code.as_deref().unwrap_or_default() || e.is_ec() {
            rows.push((w.code(), e.code().to_owned()));
        }
        if let MatchKind::Template { placeholder, value } = &m.kind {
            rows.push((w.template(), format!("{placeholder} = {}", visible(value))));
        }
        rows.push((w.meaning(), e.meaning().to_owned()));
        rows.push((w.fix(), e.fix().to_owned()));
        rows.push((w.retry(), retry_text(e.retryable, palette)));
        if let Some(code) = e.error_code() {
            rows.push((w.sent_with(), code.to_owned()));
        }
        // A literal that is only a placeholder ("%s") says nothing, and one the input
        // contradicts would read as if this server had sent it.
        let contradicted = report.message.is_some() && !m.message_agrees;
        if let Some(message) = e.message().filter(|m| *m != "%s" && !contradicted) {
            // Without a message in the input, the literal is what this product would
            // send, not what the user received.
            let whose = if m.message_agrees {
                w.matches_input()
            } else {
                w.product_sends()
            };
            rows.push((w.message(), format!("{message}{whose}")));
        }
        // A page the user can open; the exact provenance stays in --json's `source`.
        rows.push((
            w.docs(),
            palette.paint(Role::Dim, &e.doc_url()).into_owned(),
        ));
        out.push_str(&key_values_aligned(&rows, palette, width, label_width));
    }
    if shown < report.matches.len() {
        let more = report.matches.len() - shown;
        let narrow = match (report.product, report.input_kind) {
            // The sender is known: the others are its wider meanings.
            (Some(_), _) => "",
            (None, crate::parse::InputKind::Code) => w.narrow_paste(),
            (None, _) => w.narrow_product(),
        };
        let hint = fill(w.more_meanings(), &[&more, &plural(more), &narrow]);
        out.push('\n');
        paragraph(&mut out, palette, Role::Dim, &hint, width, 0);
    }

    let input_rows = input_rows(report);
    if !input_rows.is_empty() {
        out.push('\n');
        out.push_str(&palette.paint(Role::Heading, w.from_input()));
        out.push('\n');
        out.push_str(&key_values(&input_rows, palette, width));
    }
    if !report.suggestions.is_empty() {
        out.push('\n');
        let mut parts = vec![(w.did_you_mean().to_owned(), w.did_you_mean().to_owned())];
        let last = report.suggestions.len() - 1;
        for (i, s) in report.suggestions.iter().enumerate() {
            let end = if i == last { "?" } else { "," };
            parts.push((
                format!("{s}{end}"),
                format!("{}{end}", palette.paint(Role::Code, s)),
            ));
        }
        out.push_str(&packed(&parts, " ", width));
    }
    if !report.others.is_empty() || report.unread_errors > 0 {
        out.push('\n');
        paragraph(
            &mut out,
            palette,
            Role::Warning,
            &more_errors(report),
            width,
            0,
        );
    }
    out
}

/// `--short`: one line per match, as `errno 13` prints one: the code, the product, the
/// HTTP status (`-` when none) and the meaning, cut at a word to the width. A bare
/// status is one line of its general meaning; a report that explains nothing, none.
pub fn render_short(report: &Report, palette: Palette, width: Option<u16>) -> String {
    let mut rows: Vec<[&str; 3]> = Vec::new();
    let mut statuses: Vec<String> = Vec::new();
    for m in &report.matches {
        statuses.push(m.entry.status.map_or("-".to_owned(), |s| s.to_string()));
    }
    for (m, status) in report.matches.iter().zip(&statuses) {
        rows.push([m.entry.code(), m.entry.product.id(), status]);
    }
    let meanings: Vec<&str> = report.matches.iter().map(|m| m.entry.meaning()).collect();
    let (rows, meanings) = match (report.status_entries.is_some(), report.status_meaning) {
        (true, Some(generic)) => (vec![["HTTP", "-", generic.status]], vec![generic.meaning()]),
        _ => (rows, meanings),
    };
    let widths: Vec<usize> = (0..3)
        .map(|i| rows.iter().map(|r| columns(r[i])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (row, meaning) in rows.iter().zip(meanings) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let shown = if i == 0 {
                palette.paint(Role::Code, cell)
            } else {
                (*cell).into()
            };
            line.push_str(&shown);
            push_spaces(&mut line, widths[i] - columns(cell) + 2);
        }
        let used: usize = widths.iter().map(|w| w + 2).sum();
        let room = width.map(|w| usize::from(w).saturating_sub(used));
        line.push_str(&cut_at_word(meaning, room));
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// One line per match, numbered as the blocks are: product, HTTP status and the
/// meaning, cut at a word to the width.
fn meaning_lines(report: &Report, width: Option<u16>) -> String {
    let status = |m: &crate::lookup::Match| {
        m.entry
            .status
            .map(|s| format!("HTTP {s}"))
            .unwrap_or_default()
    };
    let number_width = report.matches.len().to_string().len();
    let product_width = report
        .matches
        .iter()
        .map(|m| m.entry.product.id().len())
        .max()
        .unwrap_or(0);
    let status_width = report
        .matches
        .iter()
        .map(|m| status(m).len())
        .max()
        .unwrap_or(0);
    let mut out = String::with_capacity(report.matches.len() * 128);
    for (i, m) in report.matches.iter().enumerate() {
        let start = out.len();
        let number = (i + 1).to_string();
        push_spaces(&mut out, 1 + number_width - number.len());
        out.push_str(&number);
        out.push_str(". ");
        let product = m.entry.product.id();
        out.push_str(product);
        push_spaces(&mut out, product_width - product.len() + 2);
        let status = status(m);
        out.push_str(&status);
        push_spaces(&mut out, status_width - status.len() + 2);
        let room = width.map(|w| usize::from(w).saturating_sub(out.len() - start));
        out.push_str(&cut_at_word(m.entry.meaning(), room));
        trim_line_end(&mut out);
        out.push('\n');
    }
    out
}

/// `text` whole when it fits in `room` columns, else its words (or, in Chinese, its
/// characters) that fit and `…`.
pub(crate) fn cut_at_word(text: &str, room: Option<usize>) -> std::borrow::Cow<'_, str> {
    let Some(room) = room.filter(|r| columns(text) > *r) else {
        return text.into();
    };
    let room = room.saturating_sub(1);
    let mut end = 0;
    let mut used = 0;
    for (at, to, cols) in breakable_units(text) {
        used += (at - end) + cols;
        if used > room {
            break;
        }
        end = to;
    }
    let kept = text[..end].trim_end_matches([' ', ',', ';', ':', '，', '；', '：', '、']);
    format!("{kept}…").into()
}

/// For a bare status: the catalog's codes sent with it, one row per product (its EC
/// values on a row of their own), as many codes as fit on the row, then how to get
/// the exact cause.
fn sent_with_status(
    status: Option<u16>,
    entries: &[&Entry],
    palette: Palette,
    width: Option<u16>,
) -> String {
    let status = status.unwrap_or_default();
    let w = words();
    let mut out = String::from("\n");
    if entries.is_empty() {
        paragraph(
            &mut out,
            palette,
            Role::Dim,
            &fill(w.no_entry_with_status(), &[&status]),
            width,
            0,
        );
        return out;
    }
    let mut rows: Vec<(String, Vec<&str>)> = Vec::new();
    for e in entries {
        let label = if e.is_ec() {
            format!("{} EC", e.product.id())
        } else {
            e.product.id().to_owned()
        };
        match rows.iter_mut().find(|(l, _)| *l == label) {
            Some((_, codes)) if codes.contains(&e.code()) => {}
            Some((_, codes)) => codes.push(e.code()),
            None => rows.push((label, vec![e.code()])),
        }
    }
    // The codes most products send first (AccessDenied before a product's own).
    let products_sending = |code: &str| {
        let mut products: Vec<_> = entries
            .iter()
            .filter(|e| e.code().eq_ignore_ascii_case(code))
            .map(|e| e.product)
            .collect();
        products.dedup();
        products.len()
    };
    for (_, codes) in &mut rows {
        codes.sort_by_cached_key(|c| std::cmp::Reverse(products_sending(c)));
    }
    let codes: usize = rows.iter().map(|(_, c)| c.len()).sum();
    paragraph(
        &mut out,
        palette,
        Role::Heading,
        &fill(
            w.sent_with_status(),
            &[
                &status,
                &codes,
                &plural(codes),
                &rows.len(),
                &plural(rows.len()),
            ],
        ),
        width,
        0,
    );
    let label_width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    // As `key_values` lays rows out: one line each, so what fits is decided here.
    let room = width.map(|w| usize::from(w).saturating_sub(1 + label_width + 2));
    let rows: Vec<(String, String)> = rows
        .into_iter()
        .map(|(label, codes)| {
            let shown = fitted_list(&codes, room);
            (label, shown)
        })
        .collect();
    out.push_str(&key_values(&rows, palette, width));
    out.push('\n');
    paragraph(&mut out, palette, Role::Dim, w.own_code_says(), width, 0);
    out
}

/// `codes` joined with commas, as many as fit in `room` columns (at most 8 when there
/// is no width), then `+N more`: never a code cut.
fn fitted_list(codes: &[&str], room: Option<usize>) -> String {
    let limit = |k: usize| {
        let more = codes.len() - k;
        let mut text = codes[..k].join(", ");
        if more > 0 {
            text.push_str(&fill(words().n_more(), &[&more]));
        }
        text
    };
    let most = match room {
        None => codes.len().min(8),
        Some(room) => (1..=codes.len())
            .rev()
            .find(|&k| columns(&limit(k)) <= room)
            .unwrap_or(1),
    };
    limit(most)
}

/// `This paste holds 2 more errors: SlowDown (Tencent Cloud COS), NoSuchKey ×2; ...`:
/// each kind once, in the order they come, with how often it comes.
fn more_errors(report: &Report) -> String {
    let w = words();
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for other in &report.others {
        let code = other
            .code
            .as_deref()
            .map_or(w.error_without_code().into(), visible);
        let sender = other
            .product
            .map(|p| p.display_name())
            .or(other.vendor.map(|v| v.display_name()));
        let kind = match sender {
            Some(sender) => format!("{code} ({sender})"),
            None => code.into_owned(),
        };
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    let listed: Vec<String> = kinds
        .into_iter()
        .map(|(kind, n)| if n > 1 { format!("{kind} ×{n}") } else { kind })
        .collect();
    let n = report.others.len() + report.unread_errors;
    let at_least = if report.unread_at_least {
        w.at_least()
    } else {
        ""
    };
    let unread = match report.unread_errors {
        0 => String::new(),
        u => fill(w.not_read_here(), &[&at_least, &u]),
    };
    fill(
        w.more_errors(),
        &[&at_least, &n, &plural(n), &listed.join(", "), &unread],
    )
}

fn retry_text(retryable: bool, palette: Palette) -> String {
    if retryable {
        palette.paint(Role::Yes, words().retry_yes()).into_owned()
    } else {
        palette.paint(Role::No, words().retry_no()).into_owned()
    }
}

/// The first line: code, status, sender, verdict, each in its colour, joined by ` · `
/// and wrapped between parts to the width.
fn headline(report: &Report, palette: Palette, width: Option<u16>) -> String {
    // (plain, painted)
    let mut parts: Vec<(String, String)> = Vec::new();
    let part = |plain: String, role: Option<Role>| {
        let painted = match role {
            Some(role) => palette.paint(role, &plain).into_owned(),
            None => plain.clone(),
        };
        (plain, painted)
    };
    let w = words();
    match (&report.code, report.matches.first()) {
        (Some(code), _) => parts.push(part(visible(code).into_owned(), Some(Role::Code))),
        (None, Some(m)) => {
            let by = if m.entry.is_ec() {
                w.found_by_ec()
            } else {
                w.found_by_message()
            };
            let code = m.entry.code();
            parts.push((
                fill(by, &[&code]),
                fill(by, &[&palette.paint(Role::Code, code)]),
            ));
        }
        (None, None) if report.status_entries.is_some() => {}
        (None, None) => parts.push(part(w.no_error_code().to_owned(), Some(Role::Code))),
    }
    if let Some(status) = report.http_status {
        parts.push(part(format!("HTTP {status}"), Some(Role::Status(status))));
    }
    let who = match (report.vendor, report.product) {
        (_, Some(product)) => match &report.service {
            Some(service) => format!("{product} ({})", visible(service)),
            None => product.to_string(),
        },
        (Some(vendor), None) => vendor.display_name().to_owned(),
        (None, None) if report.status_entries.is_some() => w.any_vendor().to_owned(),
        (None, None) if report.foreign.is_some() => w.vendor_unknown().to_owned(),
        (None, None) if report.matches.len() > 1 => {
            fill(w.possible_meanings(), &[&report.matches.len()])
        }
        (None, None) => w.vendor_unknown().to_owned(),
    };
    parts.push(part(who, None));
    if !report.is_explained() {
        parts.push(part(w.not_in_catalog().to_owned(), Some(Role::Warning)));
    }
    packed(&parts, " · ", width)
}

/// What the input said, all of it untrusted and so sanitised.
fn input_rows(report: &Report) -> Vec<(String, String)> {
    let w = words();
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(request) = &report.request {
        let target = request.target.as_deref().unwrap_or_default();
        let location = match request.host.as_deref() {
            Some(host) if !target.contains("://") => format!("{host}{target}"),
            _ => target.to_owned(),
        };
        let line = match request.method.as_deref() {
            Some(method) => format!("{method} {location}"),
            None => location,
        };
        rows.push((w.request().to_owned(), visible(&line).into_owned()));
    }
    let redacted = |key: &str| {
        if report.redacted_in_input.contains(&key) {
            w.redacted_in_input()
        } else {
            ""
        }
    };
    let push = |rows: &mut Vec<(String, String)>, label: &str, value: &Option<String>| {
        if let Some(v) = value {
            rows.push((label.to_owned(), visible(v).into_owned()));
        }
    };
    push(&mut rows, w.message(), &report.message);
    if let Some(id) = &report.request_id {
        let received = report
            .received_at
            .map(|t| fill(w.received(), &[&format_time(t)]))
            .unwrap_or_default();
        rows.push((
            w.request_id().to_owned(),
            format!("{}{received}{}", visible(id), redacted("request_id")),
        ));
    }
    for (label, key, value) in [
        (w.host_id(), "host_id", &report.host_id),
        (w.trace_id(), "trace_id", &report.trace_id),
    ] {
        if let Some(v) = value {
            rows.push((label.to_owned(), format!("{}{}", visible(v), redacted(key))));
        }
    }
    push(&mut rows, w.ec(), &report.ec);
    push(&mut rows, w.recommend(), &report.recommend);
    if let Some(category) = report.ec_category {
        rows.push((
            w.ec_category().to_owned(),
            format!(
                "{} {}: {}",
                category.prefix,
                category.name,
                category.meaning()
            ),
        ));
    }
    for (name, value) in &report.details {
        let shown = match value {
            // Compared line by line with the client's: a visible \n where the server had one.
            Extra::Text(text) if VERBATIM.iter().any(|n| n.eq_ignore_ascii_case(name)) => text
                .split_inclusive('\n')
                .map(|line| match line.strip_suffix('\n') {
                    Some(line) => format!("{}\\n", visible(line)),
                    None => visible(line).into_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Extra::Text(text) => visible(text).into_owned(),
            Extra::Group(members) => members
                .iter()
                .map(|(k, v)| format!("{}: {}", visible(k), visible(v)))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        // Detail names come from the input too: keep them short and visible.
        rows.push((shortened_label(&visible(name)), shown));
    }
    if !report.masked.is_empty() {
        rows.push((
            w.masked().to_owned(),
            fill(
                w.masked_note(),
                &[&report
                    .masked
                    .iter()
                    .map(|m| visible(m))
                    .collect::<Vec<_>>()
                    .join(", ")],
            ),
        ));
    }
    if !report.evidence.is_empty() {
        const SHOWN: usize = 4;
        let mut notes: Vec<&str> = report
            .evidence
            .iter()
            .take(SHOWN)
            .map(|s| s.note())
            .collect();
        let more = report.evidence.len().saturating_sub(SHOWN);
        let more = fill(w.more_evidence(), &[&more]);
        if report.evidence.len() > SHOWN {
            notes.push(&more);
        }
        rows.push((w.evidence().to_owned(), notes.join(w.list_separator())));
    }
    rows
}

/// Labels in one column, values beside them, wrapped to the terminal width when there
/// is one: the layout of a borderless two-column table.
///
/// Laid out here rather than by comfy-table, which spent more instructions on these
/// few rows than a whole `errno` run (benches/startup.sh). Painted text (labels, a
/// dimmed source) carries ANSI sequences, which take no columns; untrusted text has
/// had its escapes made visible before it gets here.
pub(crate) fn key_values<L: AsRef<str>>(
    rows: &[(L, String)],
    palette: Palette,
    width: Option<u16>,
) -> String {
    key_values_aligned(rows, palette, width, 0)
}

/// [`key_values`] with the label column at least `min_label` wide, so the blocks of
/// one report line up. Where a label leaves the value fewer than `MIN_VALUE_WIDTH`
/// columns, the value goes under it instead. A word wider than the value column (an
/// id, a URL) is never cut: it gets a line of its own, moved left as far as needed
/// to fit the width, and only a word wider than the whole width is longer than it.
fn key_values_aligned<L: AsRef<str>>(
    rows: &[(L, String)],
    palette: Palette,
    width: Option<u16>,
    min_label: usize,
) -> String {
    let Some(width) = width.map(usize::from) else {
        return unwrapped_key_values(rows, palette, min_label);
    };
    let width = Some(width);
    // One space before the label and two between the columns; a label that leaves
    // too little room beside it is left out of the column and stands alone.
    let beside = |label_width: usize| {
        width.is_none_or(|w| w.saturating_sub(1 + label_width + 2 + 1) >= MIN_VALUE_WIDTH)
    };
    let label_width = rows
        .iter()
        .map(|(label, _)| columns(label.as_ref()))
        .filter(|w| beside(*w))
        .max()
        .unwrap_or(0)
        .max(min_label);
    let text: usize = rows.iter().map(|(_, value)| value.len()).sum();
    let mut out = String::with_capacity(text + rows.len() * (label_width + 20));
    for (label, value) in rows {
        let label = label.as_ref();
        let stacked = !beside(columns(label).max(label_width));
        let indent = if stacked {
            STACKED_INDENT
        } else {
            1 + label_width + 2
        };
        let value_width = width.map(|w| w.saturating_sub(indent + 1));
        out.push(' ');
        out.push_str(&palette.paint(Role::Label, label));
        let mut first = !stacked;
        if first {
            push_spaces(&mut out, label_width - columns(label) + 2);
        } else {
            out.push('\n');
        }
        let mut push_line = |out: &mut String, piece: &str| {
            // Piped (no width), nothing is measured.
            let cols = if width.is_some() { columns(piece) } else { 0 };
            if first && value_width.is_some_and(|w| cols > w) {
                // The label's line cannot hold it: the label stands alone.
                trim_line_end(out);
                out.push('\n');
                first = false;
            }
            if !first {
                let lead = match width {
                    Some(w) if indent + cols > w => usize::from(cols < w),
                    _ => indent,
                };
                push_spaces(out, lead);
            }
            first = false;
            out.push_str(piece);
            trim_line_end(out);
            out.push('\n');
        };
        for line in shortened(value).split('\n') {
            // Most lines fit (every line when piped): no list of pieces for them.
            if value_width.is_none_or(|w| columns(line) <= w) {
                push_line(&mut out, line);
            } else {
                for piece in wrapped(line, value_width) {
                    push_line(&mut out, piece);
                }
            }
        }
    }
    out
}

/// [`key_values_aligned`] without a width (piped): nothing to measure or wrap, so
/// the cheapest layout, which the start-up budgets count on (benches/startup.sh).
fn unwrapped_key_values<L: AsRef<str>>(
    rows: &[(L, String)],
    palette: Palette,
    min_label: usize,
) -> String {
    let label_width = rows
        .iter()
        .map(|(label, _)| columns(label.as_ref()))
        .max()
        .unwrap_or(0)
        .max(min_label);
    let indent = 1 + label_width + 2;
    let text: usize = rows.iter().map(|(_, value)| value.len()).sum();
    let mut out = String::with_capacity(text + rows.len() * (indent + 16));
    for (label, value) in rows {
        let label = label.as_ref();
        out.push(' ');
        out.push_str(&palette.paint(Role::Label, label));
        push_spaces(&mut out, label_width - columns(label) + 2);
        for (i, line) in shortened(value).split('\n').enumerate() {
            if i > 0 {
                push_spaces(&mut out, indent);
            }
            out.push_str(line);
            trim_line_end(&mut out);
            out.push('\n');
        }
    }
    out
}

/// Where values start under a label that left them too little room beside it.
const STACKED_INDENT: usize = 3;

/// `parts` (plain, painted) joined by `separator`, a new line started before a part
/// that would not fit the width; a part wider than the width on a line of its own.
/// Ends with a newline.
fn packed(parts: &[(String, String)], separator: &str, width: Option<u16>) -> String {
    let width = width.map(usize::from);
    let mut out = String::new();
    let mut used = 0;
    for (i, (plain, painted)) in parts.iter().enumerate() {
        let cols = columns(plain);
        if i > 0 {
            if width.is_some_and(|w| used + columns(separator) + cols > w) {
                out.push_str(separator.trim_end());
                trim_line_end(&mut out);
                out.push('\n');
                used = 0;
            } else {
                out.push_str(separator);
                used += columns(separator);
            }
        }
        out.push_str(painted);
        used += cols;
    }
    out.push('\n');
    out
}

/// `text` in `role`'s colour, wrapped at spaces to the width, lines after the first
/// indented by `hang`; a word wider than a line is never cut. Ends with a newline.
fn paragraph(
    out: &mut String,
    palette: Palette,
    role: Role,
    text: &str,
    width: Option<u16>,
    hang: usize,
) {
    let room = width.map(|w| usize::from(w).saturating_sub(hang));
    for (i, piece) in wrapped(text, room).into_iter().enumerate() {
        if i > 0 {
            push_spaces(out, hang);
        }
        out.push_str(&palette.paint(role, piece));
        out.push('\n');
    }
}

/// Values get at least this many columns, however narrow the terminal.
const MIN_VALUE_WIDTH: usize = 20;

fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    match SPACES.get(..n) {
        Some(spaces) => out.push_str(spaces),
        None => out.extend(std::iter::repeat_n(' ', n)),
    }
}

fn trim_line_end(out: &mut String) {
    out.truncate(out.trim_end_matches(' ').len());
}

/// `line` cut into pieces of at most `width` columns, at spaces and, in Chinese or
/// Japanese text, which has none, between wide characters. Anything else between two
/// spaces (an id, a URL, a code with its comma) is one piece of its own when it is
/// wider than `width`: a copied id must stay one token.
fn wrapped(line: &str, width: Option<usize>) -> Vec<&str> {
    let Some(width) = width.filter(|w| columns(line) > *w) else {
        return vec![line];
    };
    let mut pieces = Vec::new();
    // The current piece is line[start..end], `used` columns; `open` once it has a word.
    let (mut start, mut end, mut used, mut open) = (0, 0, 0, false);
    for (at, to, cols) in breakable_units(line) {
        if open && used + (at - end) + cols > width {
            pieces.push(&line[start..end]);
            (start, used) = (at, cols);
        } else {
            used += if open { at - end } else { at - start } + cols;
        }
        end = to;
        open = true;
    }
    pieces.push(&line[start..end]);
    pieces
}

/// The units a line may be broken between, as (start, end, columns): its words
/// between spaces, and inside a word each wide character, except that punctuation
/// which closes (`，` `。` `）`) stays with what it follows and punctuation which opens
/// (`（` `【`) with what follows it.
fn breakable_units(line: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    const CLOSING: &str = "，。、；：！？）】」』》〉…";
    const OPENING: &str = "（【「『《〈";
    let mut offset = 0;
    line.split(' ').flat_map(move |word| {
        let word_start = offset;
        offset += word.len() + 1;
        let mut pieces: Vec<(usize, usize, usize)> = Vec::new();
        if word.is_ascii() {
            if !word.is_empty() {
                pieces.push((word_start, word_start + word.len(), word.len()));
            }
            return pieces;
        }
        let mut prev: Option<&str> = None;
        for (at, unit, cols) in units(word) {
            let (at, to) = (word_start + at, word_start + at + unit.len());
            let wide = |u: &str| u.chars().next().is_some_and(|c| char_columns(c) == 2);
            let joins = match prev {
                None => false,
                Some(p) if OPENING.contains(p) => true,
                Some(_) if CLOSING.contains(unit) => true,
                Some(p) => !wide(p) && !wide(unit),
            };
            match pieces.last_mut() {
                Some(last) if joins => (last.1, last.2) = (to, last.2 + cols),
                _ => pieces.push((at, to, cols)),
            }
            prev = Some(unit);
        }
        pieces
    })
}

/// The columns `text` takes on a terminal.
pub(crate) fn columns(text: &str) -> usize {
    // Printable ASCII, most of what is shown, is one column a byte.
    if super::sanitize::is_printable_ascii(text) {
        return text.len();
    }
    units(text).map(|(_, _, cols)| cols).sum()
}

fn char_columns(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `text` as (offset, unit, columns): characters, and whole ANSI SGR sequences
/// (`ESC [ ... m`) as units of no width, so a wrap never splits one.
fn units(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (at, c) = rest.next()?;
        if c == '\u{1b}' && rest.peek().is_some_and(|(_, c)| *c == '[') {
            let mut end = text.len();
            for (i, c) in rest.by_ref() {
                if c.is_ascii_alphabetic() {
                    end = i + 1;
                    break;
                }
            }
            return Some((at, &text[at..end], 0));
        }
        Some((at, &text[at..at + c.len_utf8()], char_columns(c)))
    })
}

/// A detail's name (from the input) as a label: at most 40 characters, and an
/// ellipsis when it was longer.
fn shortened_label(name: &str) -> String {
    const MAX: usize = 40;
    match name.char_indices().nth(MAX - 1) {
        Some((cut, _)) if name.chars().count() > MAX => format!("{}…", &name[..cut]),
        _ => name.to_owned(),
    }
}

/// The most characters a value shows in a table. Real messages and strings-to-sign are
/// far shorter; a pasted megabyte is cut, because it helps nobody on a terminal.
const MAX_VALUE_CHARS: usize = 4096;

fn shortened(value: &str) -> std::borrow::Cow<'_, str> {
    // A char is at least a byte: a short value needs no counting.
    if value.len() <= MAX_VALUE_CHARS {
        return value.into();
    }
    match value.char_indices().nth(MAX_VALUE_CHARS) {
        None => value.into(),
        Some((cut, _)) => format!(
            "{}{}",
            &value[..cut],
            fill(words().more_characters(), &[&value[cut..].chars().count()])
        )
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_wrap_at_spaces_under_their_label() {
        let rows = [
            (
                "Fix",
                "sync the clock with NTP and retry the request".to_owned(),
            ),
            ("Retry", "no".to_owned()),
        ];
        let out = key_values(&rows, Palette::new(false), Some(30));
        assert_eq!(
            out,
            " Fix    sync the clock with\n        NTP and retry the\n        request\n Retry  no\n"
        );
        let unwrapped = key_values(&rows, Palette::new(false), None);
        assert_eq!(
            unwrapped,
            " Fix    sync the clock with NTP and retry the request\n Retry  no\n"
        );
    }

    #[test]
    fn a_word_wider_than_the_column_is_never_cut() {
        assert_eq!(wrapped("abcdefghij", Some(4)), ["abcdefghij"]);
        assert_eq!(wrapped("ab cdefghij", Some(4)), ["ab", "cdefghij"]);
        assert_eq!(wrapped("ab cd ef gh", Some(5)), ["ab cd", "ef gh"]);
        assert_eq!(wrapped("a  b c", Some(3)), ["a", "b c"]);
        assert_eq!(wrapped("  ab cd", Some(4)), ["  ab", "cd"]);
        // Piped: no width, no wrapping.
        assert_eq!(wrapped("ab cd", None), ["ab cd"]);
    }

    #[test]
    fn an_id_wider_than_its_column_gets_a_line_of_its_own() {
        let id = "https://help.aliyun.com/en/oss/user-guide/0003-00000201";
        let rows = [("Source", id.to_owned()), ("Fix", "do x".to_owned())];
        let out = key_values(&rows, Palette::new(false), Some(50));
        assert_eq!(out, format!(" Source\n{id}\n Fix     do x\n"));
        let out = key_values(&rows, Palette::new(false), Some(60));
        assert_eq!(out, format!(" Source\n {id}\n Fix     do x\n"));
    }

    #[test]
    fn a_long_label_puts_its_value_under_it() {
        let label = "x-oss-a-rather-long-detail-name-from-the-input";
        let rows = [(label, "one two three".to_owned())];
        let out = key_values(&rows, Palette::new(false), Some(40));
        assert_eq!(out, format!(" {label}\n   one two three\n"));
    }

    #[test]
    fn wide_characters_take_two_columns_and_colours_none() {
        assert_eq!(columns("访问被拒绝"), 10);
        assert_eq!(wrapped("访问被拒绝", Some(4)), ["访问", "被拒", "绝"]);
        // Chinese fills the line, punctuation stays with its word, and an id or a
        // code glued to a comma is never cut.
        assert_eq!(
            wrapped("检查 SecretKey，然后重试。", Some(16)),
            ["检查 SecretKey，", "然后重试。"]
        );
        assert_eq!(
            wrapped("请求（签名）过期", Some(6)),
            ["请求", "（签", "名）过", "期"]
        );
        assert_eq!(
            wrapped("错误码 0002-00000069，请检查", Some(10)),
            ["错误码", "0002-00000069，", "请检查"]
        );
        let painted = Palette::new(true).paint(Role::Label, "Fix");
        assert_eq!(columns(&painted), 3);
        // A colour sequence is never split, whatever the width.
        for piece in wrapped(&painted, Some(1)) {
            assert!(
                !piece.starts_with('[') && !piece.ends_with('\u{1b}'),
                "{piece:?}"
            );
        }
    }

    #[test]
    fn lines_of_a_value_keep_their_indent() {
        let rows = [("StringToSign", "GET\\n\n\\n\n/bucket/key".to_owned())];
        assert_eq!(
            key_values(&rows, Palette::new(false), None),
            " StringToSign  GET\\n\n               \\n\n               /bucket/key\n"
        );
    }
}
