//! Undoes what copying did to a paste before the strict parsers see it: terminal
//! colours, bodies escaped inside JSON strings or HTML, per-line log prefixes, chat
//! and markdown decorations, a browser's banner, fullwidth punctuation, a lost `<`.
//! Each repair runs only when its symptom is present, so clean input costs a few scans.

use std::borrow::Cow;

/// The repaired text (borrowed when nothing needed repair) and the names of the
/// repairs applied, in order, so later stages and `--json` can say what was undone.
pub fn clean(text: &str) -> (Cow<'_, str>, Vec<&'static str>) {
    let mut text = Cow::Borrowed(text);
    let mut repairs = Vec::new();
    let mut apply = |text: &mut Cow<'_, str>, name: &'static str, repaired: String| {
        *text = Cow::Owned(repaired);
        repairs.push(name);
    };
    if text.contains('\u{1b}') {
        let plain = strip_ansi(&text);
        apply(&mut text, "terminal-colours", plain);
    }
    // Fullwidth separators a CJK input method put between ASCII keys and values
    // (`Code：NoSuchKey，RequestId：...`); inside Chinese text they stay.
    // (All three are encoded with a leading 0xEF byte, which memchr finds fast.)
    if memchr::memchr(0xEF, text.as_bytes()).is_some()
        && let Some(ascii) = ascii_separators(&text)
    {
        apply(&mut text, "fullwidth-separators", ascii);
    }
    // Each repair's symptom starts with a byte rare in clean input; looking for that
    // byte first (memchr) keeps a clean 4 KiB dump from being searched a dozen times.
    let has = |text: &str, byte: u8| memchr::memchr(byte, text.as_bytes()).is_some();
    if has(&text, b'[') && contains(&text, "[\\r][\\n]\"") {
        let dump = unwire(&text);
        apply(&mut text, "wire-log", dump);
    }
    if has(&text, b'\\') && has_escaped_body(&text) {
        let body = unescape_string(&text);
        apply(&mut text, "string-escapes", body);
    }
    if has(&text, b'&') && (contains(&text, "&lt;Error") || contains(&text, "&lt;?xml")) {
        let body = unescape_html(&text);
        apply(&mut text, "html-escapes", body);
    }
    if let Some(cleaned) = strip_browser_banner(&text) {
        apply(&mut text, "browser-banner", cleaned);
    }
    if has(&text, b']') && contains(&text, "](http") {
        let plain = unlink_markdown(&text);
        apply(&mut text, "markdown-links", plain);
    }
    if has(&text, b'+') && contains(&text, "' +") {
        let joined = join_wrapped_strings(&text);
        apply(&mut text, "wrapped-strings", joined);
    }
    if let Some(cleaned) = strip_line_decorations(&text) {
        apply(&mut text, "line-prefixes", cleaned);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with("?xml") {
        let restored = format!("<{trimmed}");
        apply(&mut text, "lost-angles", restored);
    }
    // Every `>` of a well-formed body has its `<`: only more `>` than `<` means some
    // were lost (a curl -v dump's `< ` lines keep the balance on the `<` side).
    let count = |text: &str, byte: u8| memchr::memchr_iter(byte, text.as_bytes()).count();
    if count(&text, b'>') > count(&text, b'<')
        && let Some(repaired) = restore_lost_angles(&text)
    {
        apply(&mut text, "lost-angles", repaired);
    }
    if let Some(escaped) = escape_placeholders(&text) {
        apply(&mut text, "placeholders", escaped);
    }
    if is_fragment(&text) {
        let wrapped = format!("<Error>{}</Error>", text.trim());
        apply(&mut text, "xml-fragment", wrapped);
    }
    (text, repairs)
}

/// Elements copied without their `<Error>` wrapper (from a browser, a code comment):
/// the text opens with an element named like a field (`<Code>`, `<RequestId>`).
pub fn is_fragment(text: &str) -> bool {
    let Some(rest) = text.trim_start().strip_prefix('<') else {
        return false;
    };
    let name = rest.split('>').next().unwrap_or_default();
    // One element alone reads as it is; only siblings need a root.
    let siblings = super::finder!("</")
        .find_iter(text.as_bytes())
        .nth(1)
        .is_some();
    name.len() < rest.len() && siblings && super::fields::known(name).is_some()
}

/// Apache HttpClient's wire log quotes each line sent (`>> "...[\r][\n]"`) and
/// received (`<< "..."`), line ends written out: made a curl -v trace, which the HTTP
/// reader knows. Other lines stay as they are.
fn unwire(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in super::lines(text) {
        let quoted = [("<< \"", "< "), (">> \"", "> ")]
            .into_iter()
            .find_map(|(mark, curl)| line.find(mark).map(|i| (&line[i + mark.len()..], curl)));
        match quoted {
            Some((rest, curl)) => {
                let content = rest.strip_suffix('"').unwrap_or(rest);
                let content = content.replace("[\\r]", "").replace("[\\n]", "");
                out.push_str(curl);
                out.push_str(&content);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Node's util.inspect breaks a long string over lines as `'first part ' +\n    'rest'`:
/// the parts are joined back into one string.
fn join_wrapped_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("' +") {
        let after = &rest[at + "' +".len()..];
        let continued = after.trim_start_matches([' ', '\t', '\r', '\n']);
        let breaks_line = after[..after.len() - continued.len()].contains('\n');
        if breaks_line && continued.starts_with('\'') {
            out.push_str(&rest[..at]);
            rest = &continued[1..];
        } else {
            out.push_str(&rest[..at + "' +".len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Fullwidth `：` after an ASCII key, and `，`/`；` between ASCII text, as ASCII
/// separators; `None` when there are none.
fn ascii_separators(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut chars = text.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        let ascii = match c {
            '\u{ff1a}' => ":",
            '\u{ff0c}' => ", ",
            '\u{ff1b}' => "; ",
            _ => "",
        };
        // A colon after an ASCII key separates it from any value; a comma or
        // semicolon separates pairs only between ASCII text.
        let after_key = previous.is_some_and(|p: char| p.is_ascii_alphabetic());
        let before_ascii = chars
            .peek()
            .is_some_and(|n| n.is_ascii_graphic() || *n == ' ');
        let separates = match c {
            // After a Chinese label, only before an ASCII value (`错误码：-46618`,
            // `腾讯验证码：FailedOperation.ImageDecodeFailed`).
            '\u{ff1a}' => {
                after_key
                    || chars
                        .peek()
                        .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '-')
            }
            _ => previous.is_some_and(|p: char| p.is_ascii_graphic()) && before_ascii,
        };
        if !ascii.is_empty() && separates {
            // After a label in another script, as a label's colon is written in ASCII.
            let spaced = c == '\u{ff1a}' && !after_key;
            out.push_str(if spaced { ": " } else { ascii });
            changed = true;
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    changed.then_some(out)
}

/// An XML body that lost some `<` in copying (`Error>`, `  Message>...`,
/// `NoSuchBucket/Code>`): each tag is given its `<` back when the body has the same
/// element elsewhere, or it is `Error`. `None` when no tag lost one.
fn restore_lost_angles(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let name_before = |end: usize| {
        let start = bytes[..end]
            .iter()
            .rposition(|b| !b.is_ascii_alphanumeric())
            .map_or(0, |i| i + 1);
        (start, &text[start..end])
    };
    let known_tag = |name: &str| {
        name == "Error"
            || text.contains(&format!("<{name}>"))
            || text.contains(&format!("</{name}>"))
    };
    let mut inserts = Vec::new();
    for gt in memchr::memchr_iter(b'>', bytes) {
        let (start, name) = name_before(gt);
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let before = bytes[..start].last().copied();
        match before {
            // `Name>` opening a line (or the text), after its indentation.
            None | Some(b'\n' | b' ' | b'\t')
                if bytes[..start]
                    .iter()
                    .rev()
                    .take_while(|b| **b != b'\n')
                    .all(|b| *b == b' ' || *b == b'\t')
                    && known_tag(name) =>
            {
                inserts.push(start);
            }
            // `value/Name>`: a closing tag without its `<`.
            Some(b'/') if start >= 2 && bytes[start - 2] != b'<' && known_tag(name) => {
                inserts.push(start - 1);
            }
            _ => {}
        }
    }
    if inserts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + inserts.len());
    let mut from = 0;
    for at in inserts {
        out.push_str(&text[from..at]);
        out.push('<');
        from = at;
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// Placeholders someone typed over an id before pasting (`<RequestId><REQUEST_ID></RequestId>`)
/// would read as elements; they are escaped so the field keeps them as its text.
fn escape_placeholders(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut from = 0;
    let bytes = text.as_bytes();
    for open in memchr::memchr_iter(b'<', bytes) {
        if open == 0 || bytes[open - 1] != b'>' || open < from {
            continue;
        }
        let name_len = bytes[open + 1..]
            .iter()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_')
            .count();
        let close = open + 1 + name_len;
        if name_len == 0 || !bytes[close..].starts_with(b"></") {
            continue;
        }
        out.push_str(&text[from..open]);
        out.push_str("&lt;");
        out.push_str(&text[open + 1..close]);
        out.push_str("&gt;");
        from = close + 1;
    }
    (from > 0).then(|| {
        out.push_str(&text[from..]);
        out
    })
}

/// Whether `text` holds `needle`, found with the SIMD memmem: a paste is searched
/// for a dozen symptoms, and std's substring search costs a few instructions a byte.
/// Whether `text` holds `needle`: each place its first byte occurs is compared. The
/// needles are a few bytes long and start with a byte rare in a paste (`]`, `&`, `[`),
/// so this costs less than building a substring searcher for each, on every paste.
fn contains(text: &str, needle: &str) -> bool {
    let Some((&first, rest)) = needle.as_bytes().split_first() else {
        return true;
    };
    let bytes = text.as_bytes();
    memchr::memchr_iter(first, bytes).any(|i| bytes[i + 1..].starts_with(rest))
}

/// Removes ANSI CSI sequences (coloured log output such as coscli's).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// An error body written inside a JSON or log string: `<Error>` with `\"` or `\n`
/// escapes, or `\u003cError`.
fn has_escaped_body(text: &str) -> bool {
    let unicode = contains(text, "\\u003c") || contains(text, "\\u003C");
    let body = contains(text, "<Error") || contains(text, "{\\\"");
    let escapes = contains(text, "\\\"") || contains(text, "\\n") || contains(text, "\\r");
    unicode || (body && escapes)
}

/// Resolves JSON string escapes (`\"`, `\n`, `\t`, `\\`, `\uXXXX`).
fn unescape_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// An XML body shown in an HTML page: the page's own `<pre>` goes, then the escapes.
fn unescape_html(text: &str) -> String {
    text.replace("<pre>", "")
        .replace("</pre>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Chrome and Firefox put a sentence above an XML document they show raw.
fn strip_browser_banner(text: &str) -> Option<String> {
    const BANNER: &str = "does not appear to have any style information";
    // The banner heads the page, so only the start of a paste is searched.
    let head = &text.as_bytes()[..text.len().min(1024)];
    let at = if head.len() < 64 {
        memchr::memmem::find(head, BANNER.as_bytes())?
    } else {
        super::finder!(BANNER).find(head)?
    };
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[at..];
    let end = rest.find('<').map_or(text.len(), |i| at + i);
    Some(format!("{}{}", &text[..start], &text[end..]))
}

/// `[host](http://host/)` → `host`, as chat apps and markdown editors auto-link.
fn unlink_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| {
            let url = &after[close + 2..];
            let end = url.find(')')?;
            (url.starts_with("http") && !after[..close].contains(['\n', '[']))
                .then_some((close, close + 2 + end + 1))
        });
        match link {
            Some((close, consumed)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[consumed..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Per-line prefixes added by loggers, terminals and chat: timestamps and levels,
/// `docker compose` service columns, logcat tags, `> ` quote markers, code fences.
/// `None` when no line had one.
fn strip_line_decorations(text: &str) -> Option<String> {
    // `> ` also marks curl -v request lines; only strip it from a quote of something else.
    let quoted = !text.starts_with("< ")
        && !contains(text, "\n< ")
        && super::lines(text)
            .filter(|l| !l.trim().is_empty())
            .all(|l| l.starts_with('>'));
    // Most pastes have no decoration at all: find that out without building anything.
    if super::lines(text).all(|line| undecorated(line, quoted) == Some(line)) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for line in super::lines(text).filter_map(|line| undecorated(line, quoted)) {
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

/// A line without its decorations; `None` for a line that is only one (a code fence).
fn undecorated(line: &str, quoted: bool) -> Option<&str> {
    // A curl -v trace line (`< `, `> `, `* `, `{ `, `} `) carries no logger prefix:
    // every line of a dump comes through here.
    let trace = matches!(
        line.as_bytes(),
        [b'<' | b'>' | b'*' | b'{' | b'}', b' ', ..]
    );
    if trace && !quoted {
        return Some(line);
    }
    let mut stripped = line;
    if quoted {
        stripped = stripped.trim_start_matches('>').trim_start_matches(' ');
    }
    stripped = strip_log_prefix(stripped);
    if let Some(fenced) = stripped.trim_start().strip_prefix("```") {
        // A fence line (```` ``` ```` or ```` ```xml ````) is only decoration; a line
        // fenced on both ends (```` ```tos: error...``` ````) is inline code.
        let inline = fenced.trim_end().strip_suffix("```");
        match inline {
            Some(code) if !code.trim().is_empty() => return Some(code),
            _ if fenced
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b.is_ascii_whitespace()) =>
            {
                return None;
            }
            _ => return Some(fenced),
        }
    }
    let unticked = stripped.trim_matches('`');
    if unticked.len() != stripped.len() && !unticked.contains('`') {
        stripped = unticked;
    }
    Some(stripped)
}

/// One line's logger prefix: `app-1  | `, `E/Tag( 123): `, `2024-05-01 12:00:00,123 ERROR [main] `.
fn strip_log_prefix(line: &str) -> &str {
    // docker compose: `service-1  | text`
    let head = &line.as_bytes()[..line.len().min(48)];
    if let Some(bar) = memchr::memchr(b'|', head)
        .filter(|&bar| bar > 0 && head[bar - 1] == b' ' && head.get(bar + 1) == Some(&b' '))
        .map(|bar| bar - 1)
    {
        let name = line[..bar].trim_end();
        if !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return &line[bar + 3..];
        }
    }
    // logcat: `I/OSS-Android( 1234): text`
    let b = line.as_bytes();
    if b.len() > 2
        && b"VDIWEF".contains(&b[0])
        && b[1] == b'/'
        && let Some(end) = line.get(..80).unwrap_or(line).find("): ")
    {
        return &line[end + 3..];
    }
    let rest = strip_timestamp(line);
    if rest.len() == line.len() {
        return line;
    }
    strip_level(rest)
}

/// `[2024-05-01T12:00:00.123Z] `, `2024/05/01 12:00:00 `, `2024-05-01 12:00:00,123+08:00 `.
fn strip_timestamp(line: &str) -> &str {
    let b = line.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'['));
    let digits =
        |i: usize, n: usize| b.len() >= i + n && b[i..i + n].iter().all(u8::is_ascii_digit);
    let date = digits(i, 4)
        && matches!(b.get(i + 4), Some(b'-' | b'/'))
        && digits(i + 5, 2)
        && b.get(i + 7) == b.get(i + 4)
        && digits(i + 8, 2)
        && matches!(b.get(i + 10), Some(b'T' | b' '))
        && digits(i + 11, 2)
        && b.get(i + 13) == Some(&b':')
        && digits(i + 14, 2)
        && b.get(i + 16) == Some(&b':')
        && digits(i + 17, 2);
    if !date {
        return line;
    }
    i += 19;
    if matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if b.get(i) == Some(&b'Z') {
        i += 1;
    } else if matches!(b.get(i), Some(b'+' | b'-')) && digits(i + 1, 2) {
        i += 3;
        if b.get(i) == Some(&b':') {
            i += 1;
        }
        if digits(i, 2) {
            i += 2;
        }
    }
    if b.get(i) == Some(&b']') {
        i += 1;
    }
    line[i..].trim_start()
}

fn strip_level(line: &str) -> &str {
    const LEVELS: &[&str] = &[
        "TRACE", "DEBUG", "INFO", "WARNING", "WARN", "ERROR", "ERRO", "FATAL", "CRITICAL",
    ];
    let bare = line.trim_start_matches('[');
    for level in LEVELS {
        if let Some(rest) = bare.strip_prefix(level) {
            let rest = rest.trim_start_matches([']', ':']);
            if rest.starts_with(' ') || rest.is_empty() {
                let rest = rest.trim_start();
                // A thread or logger name in brackets: `[main] `.
                if let Some(close) = rest.strip_prefix('[').and_then(|r| r.find("] ")) {
                    return rest[close + 3..].trim_start();
                }
                return rest;
            }
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    /// The repaired text alone.
    fn clean(text: &str) -> Cow<'_, str> {
        super::clean(text).0
    }

    #[test]
    fn repairs_are_named_in_order() {
        let (_, repairs) = super::clean("\u{1b}[31m?xml version=\"1.0\"?><Error/>\u{1b}[0m");
        assert_eq!(repairs, ["terminal-colours", "lost-angles"]);
        assert!(super::clean("<Error/>").1.is_empty());
    }

    #[test]
    fn elements_without_their_wrapper_are_wrapped() {
        let (text, repairs) = super::clean("<Code>AccessDenied</Code>\n<RequestId>X</RequestId>\n");
        assert_eq!(
            text,
            "<Error><Code>AccessDenied</Code>\n<RequestId>X</RequestId></Error>"
        );
        assert_eq!(repairs, ["xml-fragment"]);
        assert!(!super::is_fragment("<Error><Code>X</Code></Error>"));
        assert!(!super::is_fragment("<html><body>Code</body></html>"));
    }

    #[test]
    fn an_httpclient_wire_log_becomes_a_trace() {
        let log = "12:00 DEBUG [o.a.h.wire] - http-outgoing-8 << \"HTTP/1.1 404 Not Found[\\r][\\n]\"\n\
                   12:00 DEBUG [o.a.h.wire] - http-outgoing-8 << \"x-oss-ec: 0026-00000001[\\r][\\n]\"\n";
        let (text, repairs) = super::clean(log);
        assert!(repairs.contains(&"wire-log"), "{repairs:?}");
        assert!(
            text.contains("< HTTP/1.1 404 Not Found\n< x-oss-ec: 0026-00000001\n"),
            "{text}"
        );
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(
            clean("<Error><Code>X</Code></Error>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_body_inside_a_json_string() {
        let t = clean(
            r#"{"body":"<?xml version=\"1.0\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n</Error>"}"#,
        );
        assert!(
            t.contains("<?xml version=\"1.0\"?>\n<Error>\n  <Code>NoSuchKey</Code>"),
            "{t}"
        );
        let t = clean(
            r"\u003cError\u003e\u003cCode\u003eAccessDenied\u003c/Code\u003e\u003c/Error\u003e",
        );
        assert_eq!(t, "<Error><Code>AccessDenied</Code></Error>");
    }

    #[test]
    fn html_escaped_bodies_and_browser_banners() {
        assert_eq!(
            clean("&lt;Error&gt;&lt;Code&gt;A&amp;B&lt;/Code&gt;&lt;/Error&gt;"),
            "<Error><Code>A&B</Code></Error>"
        );
        let t = clean(
            "This XML file does not appear to have any style information associated with it. The document tree is shown below.\n<Error><Code>NoSuchKey</Code></Error>",
        );
        assert_eq!(t.trim(), "<Error><Code>NoSuchKey</Code></Error>");
    }

    #[test]
    fn log_prefixes_go() {
        let t = clean(
            "2024-05-01 12:00:00,123 ERROR [main] <Error>\n2024-05-01 12:00:00,124 ERROR [main]   <Code>NoSuchKey</Code>\n2024-05-01 12:00:00,125 ERROR [main] </Error>\n",
        );
        assert_eq!(t, "<Error>\n<Code>NoSuchKey</Code>\n</Error>\n");
        let t = clean("api-1  | <Error>\napi-1  |   <Code>NoSuchKey</Code>\napi-1  | </Error>");
        assert_eq!(t, "<Error>\n  <Code>NoSuchKey</Code>\n</Error>\n");
        let t = clean("E/OSS-Android( 1234): [ErrorCode]: AccessDenied");
        assert_eq!(t.trim(), "[ErrorCode]: AccessDenied");
        let t = clean("> <Error>\n>   <Code>NoSuchKey</Code>\n> </Error>");
        assert_eq!(t, "<Error>\n<Code>NoSuchKey</Code>\n</Error>\n");
    }

    #[test]
    fn node_wraps_long_strings_and_they_are_joined() {
        assert_eq!(
            clean("  message: 'The difference is ' +\n    'too large.',\n  status: 403"),
            "  message: 'The difference is too large.',\n  status: 403"
        );
        assert_eq!(clean("a' + b'"), "a' + b'");
    }

    #[test]
    fn curl_v_request_lines_are_not_quotes() {
        let dump = "> GET / HTTP/1.1\n> Host: x\n< HTTP/1.1 403 Forbidden\n";
        assert_eq!(clean(dump), dump);
    }

    #[test]
    fn a_fullwidth_colon_after_a_chinese_label_before_a_value() {
        assert_eq!(
            clean("腾讯验证码：FailedOperation.ImageDecodeFailed"),
            "腾讯验证码: FailedOperation.ImageDecodeFailed"
        );
        // Inside Chinese text it stays.
        assert_eq!(clean("原因：请检查签名"), "原因：请检查签名");
    }

    #[test]
    fn a_line_fenced_on_both_ends_is_inline_code() {
        assert_eq!(
            clean("```tos: status code error: StatusCode=400, RequestID=```").trim(),
            "tos: status code error: StatusCode=400, RequestID="
        );
        assert_eq!(clean("```xml\n<Error/>\n```").trim(), "<Error/>");
    }

    #[test]
    fn chat_damage() {
        assert_eq!(
            clean(
                "<HostId>[bucket.oss-cn-hangzhou.aliyuncs.com](http://bucket.oss-cn-hangzhou.aliyuncs.com/)</HostId>"
            ),
            "<HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>"
        );
        assert_eq!(clean("```\n<Error/>\n```").trim(), "<Error/>");
        assert_eq!(clean("`-46618`").trim(), "-46618");
        assert_eq!(
            clean("Error><Code>X</Code></Error>"),
            "<Error><Code>X</Code></Error>"
        );
        assert_eq!(
            clean("Error>\n  <Code>X</Code>\n  Message>m</Message>\n</Error>"),
            "<Error>\n  <Code>X</Code>\n  <Message>m</Message>\n</Error>"
        );
        assert_eq!(
            clean("<Error><Code>NoSuchBucket/Code><Message>m</Message></Error>"),
            "<Error><Code>NoSuchBucket</Code><Message>m</Message></Error>"
        );
        assert_eq!(
            clean("<Error><RequestId><REQUEST_ID></RequestId></Error>"),
            "<Error><RequestId>&lt;REQUEST_ID&gt;</RequestId></Error>"
        );
        assert_eq!(
            clean("Code：NoSuchKey，RequestId：5C3D"),
            "Code:NoSuchKey, RequestId:5C3D"
        );
        // In Chinese text they are the text's own.
        assert_eq!(clean("Key：报告，2024：终稿"), "Key:报告，2024：终稿");
        assert_eq!(clean("RequestId：5C3D"), "RequestId:5C3D");
    }
}
