//! The human view: a headline, one block per catalog match (best first), then what
//! the input itself said. Untrusted text passes through `sanitize::visible`.

use super::sanitize::visible;
use super::{Palette, Role};
use crate::catalog::MatchKind;
use crate::catalog::foreign_name;
use crate::diagnose::format_time;
use crate::parse::Extra;
use crate::parse::fields::VERBATIM;
use crate::report::Report;

pub fn render(report: &Report, palette: Palette, width: Option<u16>) -> String {
    // Sized once for a typical report: growing it piece by piece cost more than
    // laying it out (benches/startup.sh, the curl -v row).
    let mut out = String::with_capacity(4096);
    out.push_str(&headline(report, palette));
    out.push('\n');
    if let Some(foreign) = report.foreign {
        let below = match report.matches.first() {
            None => "errdecode has no entry for this code".to_owned(),
            Some(m) => format!(
                "it answers with the API of {}, whose meaning of the code is below",
                m.entry.product.display_name()
            ),
        };
        out.push_str(&palette.paint(
            Role::Warning,
            &format!("This looks like {}: {below}.", foreign_name(foreign)),
        ));
        out.push('\n');
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
            format!(
                "{sender}'s own meaning is left out by --vendor/--product: below is what it means there."
            )
        } else {
            format!(
                "{sender} has no such code in errdecode's catalog: below is what it means elsewhere."
            )
        };
        out.push_str(&palette.paint(Role::Warning, &note));
        out.push('\n');
    }

    if !report.findings.is_empty() {
        out.push('\n');
        out.push_str(&palette.paint(Role::Heading, "Diagnosis"));
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
        out.push_str(&palette.paint(
            Role::Heading,
            &format!(
                "Not in the catalog: what HTTP {} means in general",
                generic.status
            ),
        ));
        out.push('\n');
        let rows = [
            ("Meaning", generic.meaning.to_owned()),
            ("Fix", generic.fix.to_owned()),
            ("Retry", retry_text(generic.retryable, palette)),
            (
                "Source",
                palette.paint(Role::Dim, generic.source).into_owned(),
            ),
        ];
        out.push_str(&key_values(&rows, palette, width));
    }

    let numbered = report.matches.len() > 1;
    for (i, m) in report.matches.iter().enumerate() {
        let e = m.entry;
        let mut title = format!("{} · {}", e.product, e.section());
        if let Some(status) = e.status {
            title.push_str(&format!(" · HTTP {status}"));
        }
        if numbered {
            title = format!("{}. {title}", i + 1);
        }
        out.push('\n');
        out.push_str(&palette.paint(Role::Heading, &title));
        out.push('\n');
        let mut rows: Vec<(&str, String)> = Vec::new();
        if e.code() != report.code.as_deref().unwrap_or_default() || e.is_ec() {
            rows.push(("Code", e.code().to_owned()));
        }
        if let MatchKind::Template { placeholder, value } = &m.kind {
            rows.push(("Template", format!("{placeholder} = {}", visible(value))));
        }
        rows.push(("Meaning", e.meaning().to_owned()));
        rows.push(("Fix", e.fix().to_owned()));
        rows.push(("Retry", retry_text(e.retryable, palette)));
        if let Some(code) = e.error_code() {
            rows.push(("Sent with", code.to_owned()));
        }
        // A literal that is only a placeholder ("%s") says nothing, and one the input
        // contradicts would read as if this server had sent it.
        let contradicted = report.message.is_some() && !m.message_agrees;
        if let Some(message) = e.message().filter(|m| *m != "%s" && !contradicted) {
            // Without a message in the input, the literal is what this product would
            // send, not what the user received.
            let whose = if m.message_agrees {
                "  (matches the input)"
            } else {
                "  (a message this product sends with it)"
            };
            rows.push(("Message", format!("{message}{whose}")));
        }
        // A page the user can open; the exact provenance stays in --json's `source`.
        rows.push(("Docs", palette.paint(Role::Dim, e.doc_url()).into_owned()));
        out.push_str(&key_values(&rows, palette, width));
    }

    let input_rows = input_rows(report);
    if !input_rows.is_empty() {
        out.push('\n');
        out.push_str(&palette.paint(Role::Heading, "From the input"));
        out.push('\n');
        out.push_str(&key_values(&input_rows, palette, width));
    }
    if !report.suggestions.is_empty() {
        out.push('\n');
        out.push_str(&format!(
            "Did you mean: {}?\n",
            report
                .suggestions
                .iter()
                .map(|s| palette.paint(Role::Code, s))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !report.others.is_empty() || report.unread_errors > 0 {
        out.push('\n');
        out.push_str(&palette.paint(Role::Warning, &more_errors(report)));
        out.push('\n');
    }
    out
}

/// `This paste holds 2 more errors: SlowDown (Tencent Cloud COS), NoSuchKey ×2; ...`:
/// each kind once, in the order they come, with how often it comes.
fn more_errors(report: &Report) -> String {
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for other in &report.others {
        let code = other
            .code
            .as_deref()
            .map_or("an error without a code".into(), visible);
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
        "at least "
    } else {
        ""
    };
    let unread = match report.unread_errors {
        0 => String::new(),
        u => format!(", and {at_least}{u} more not read here"),
    };
    format!(
        "This paste holds {at_least}{n} more error{}: {}{unread}. Run `errdecode scan` on it to see each one.",
        if n == 1 { "" } else { "s" },
        listed.join(", ")
    )
}

fn retry_text(retryable: bool, palette: Palette) -> String {
    if retryable {
        palette
            .paint(Role::Yes, "yes, the same request can succeed later")
            .into_owned()
    } else {
        palette
            .paint(Role::No, "no, fix the cause first")
            .into_owned()
    }
}

fn headline(report: &Report, palette: Palette) -> String {
    let mut parts = Vec::new();
    match (&report.code, report.matches.first()) {
        (Some(code), _) => parts.push(palette.paint(Role::Code, &visible(code)).into_owned()),
        (None, Some(m)) => parts.push(format!(
            "{} (found by its {})",
            palette.paint(Role::Code, m.entry.code()),
            if m.entry.is_ec() { "EC" } else { "message" }
        )),
        (None, None) => parts.push(palette.paint(Role::Code, "no error code").into_owned()),
    }
    if let Some(status) = report.http_status {
        parts.push(
            palette
                .paint(Role::Status(status), &format!("HTTP {status}"))
                .into_owned(),
        );
    }
    let who = match (report.vendor, report.product) {
        (_, Some(product)) => product.to_string(),
        (Some(vendor), None) => vendor.display_name().to_owned(),
        (None, None) if report.foreign.is_some() => "vendor unknown".to_owned(),
        (None, None) if report.matches.len() > 1 => {
            format!("{} possible meanings", report.matches.len())
        }
        (None, None) => "vendor unknown".to_owned(),
    };
    parts.push(who);
    if !report.is_explained() {
        parts.push(
            palette
                .paint(Role::Warning, "not in the catalog")
                .into_owned(),
        );
    }
    parts.join(" · ")
}

/// What the input said, all of it untrusted and so sanitised.
fn input_rows(report: &Report) -> Vec<(String, String)> {
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
        rows.push(("Request".to_owned(), visible(&line).into_owned()));
    }
    let redacted = |key: &str| {
        if report.redacted_in_input.contains(&key) {
            "  (redacted in the input)"
        } else {
            ""
        }
    };
    let push = |rows: &mut Vec<(String, String)>, label: &str, value: &Option<String>| {
        if let Some(v) = value {
            rows.push((label.to_owned(), visible(v).into_owned()));
        }
    };
    push(&mut rows, "Message", &report.message);
    if let Some(id) = &report.request_id {
        let received = report
            .received_at
            .map(|t| format!("  (received {})", format_time(t)))
            .unwrap_or_default();
        rows.push((
            "RequestId".to_owned(),
            format!("{}{received}{}", visible(id), redacted("request_id")),
        ));
    }
    for (label, key, value) in [
        ("HostId", "host_id", &report.host_id),
        ("TraceId", "trace_id", &report.trace_id),
    ] {
        if let Some(v) = value {
            rows.push((label.to_owned(), format!("{}{}", visible(v), redacted(key))));
        }
    }
    push(&mut rows, "EC", &report.ec);
    push(&mut rows, "Recommend", &report.recommend);
    if let Some(category) = report.ec_category {
        rows.push((
            "EC category".to_owned(),
            format!(
                "{} {}: {}",
                category.prefix, category.name, category.meaning
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
            "Masked".to_owned(),
            format!(
                "{}: secrets, only a short prefix is shown",
                report
                    .masked
                    .iter()
                    .map(|m| visible(m))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if !report.evidence.is_empty() {
        const SHOWN: usize = 4;
        let mut notes: Vec<&str> = report.evidence.iter().take(SHOWN).map(|s| s.note).collect();
        let more = report.evidence.len().saturating_sub(SHOWN);
        let more = format!("+{more} more (--json lists all)");
        if report.evidence.len() > SHOWN {
            notes.push(&more);
        }
        rows.push(("Evidence".to_owned(), notes.join("; ")));
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
fn key_values<L: AsRef<str>>(rows: &[(L, String)], palette: Palette, width: Option<u16>) -> String {
    let label_width = rows
        .iter()
        .map(|(label, _)| columns(label.as_ref()))
        .max()
        .unwrap_or(0);
    // One space before the label and two between the columns.
    let indent = 1 + label_width + 2;
    let value_width = width.map(|w| {
        usize::from(w)
            .saturating_sub(indent + 1)
            .max(MIN_VALUE_WIDTH)
    });
    let text: usize = rows.iter().map(|(_, value)| value.len()).sum();
    let mut out = String::with_capacity(text + rows.len() * (indent + 16));
    for (label, value) in rows {
        let label = label.as_ref();
        out.push(' ');
        out.push_str(&palette.paint(Role::Label, label));
        push_spaces(&mut out, label_width - columns(label) + 2);
        let mut first = true;
        let mut push_line = |out: &mut String, piece: &str| {
            if !first {
                push_spaces(out, indent);
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

/// `line` cut into pieces of at most `width` columns, at spaces where it can be and
/// inside a word only when the word alone is wider.
fn wrapped(line: &str, width: Option<usize>) -> Vec<&str> {
    let Some(width) = width.filter(|w| columns(line) > *w) else {
        return vec![line];
    };
    let mut pieces = Vec::new();
    let (mut start, mut used) = (0, 0);
    // Where the last space in the current piece is, and the columns before it.
    let mut last_space: Option<(usize, usize)> = None;
    for (at, text, cols) in units(line) {
        if used + cols > width && at > start {
            match last_space {
                Some((space, before)) if space > start => {
                    pieces.push(&line[start..space]);
                    start = space + 1;
                    used -= before + 1;
                }
                _ => {
                    pieces.push(&line[start..at]);
                    start = at;
                    used = 0;
                }
            }
            last_space = None;
        }
        if text == " " {
            last_space = Some((at, used));
        }
        used += cols;
    }
    pieces.push(&line[start..]);
    pieces
}

/// The columns `text` takes on a terminal.
fn columns(text: &str) -> usize {
    // Printable ASCII, most of what is shown, is one column a byte.
    if super::sanitize::is_printable_ascii(text) {
        return text.len();
    }
    units(text).map(|(_, _, cols)| cols).sum()
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
        let cols = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        Some((at, &text[at..at + c.len_utf8()], cols))
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
            "{}… [{} more characters: --json shows all]",
            &value[..cut],
            value[cut..].chars().count()
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
    fn a_word_wider_than_the_column_is_cut() {
        assert_eq!(wrapped("abcdefghij", Some(4)), ["abcd", "efgh", "ij"]);
        assert_eq!(wrapped("ab cdefghij", Some(4)), ["ab", "cdef", "ghij"]);
    }

    #[test]
    fn wide_characters_take_two_columns_and_colours_none() {
        assert_eq!(columns("访问被拒绝"), 10);
        assert_eq!(wrapped("访问被拒绝", Some(4)), ["访问", "被拒", "绝"]);
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
