//! Text in, fields out: the first stage after reading input.
//!
//! Strict parsers are tried from the most to the least structured form: an HTTP dump
//! (which may hold an XML or JSON body), a bare XML or JSON body, an SDK or log line,
//! and last a bare code. Each notation lives in its own file.

mod base64;
pub mod fields;
pub mod http;
pub mod json;
pub mod normalize;
pub mod resolve;
pub mod sdk;
pub mod template;
pub mod xml;

pub use base64::decode as base64_decode;
pub use fields::{Extra, Fields, Source};

/// A substring searcher for a fixed needle, built the first time it is used and kept:
/// building one costs a few thousand instructions, more than searching a record
/// with it, and scan mode decodes thousands of records.
macro_rules! finder {
    ($needle:expr) => {{
        static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
            std::sync::OnceLock::new();
        FINDER.get_or_init(|| memchr::memmem::Finder::new($needle))
    }};
}
pub(crate) use finder;

use crate::catalog::{self, SignalKind};
use crate::redact::{Redactor, Secret};

/// What the user pasted, as far as the parser could tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Code,
    Xml,
    Json,
    Http,
    Sdk,
}

impl InputKind {
    /// The stable identifier used in JSON output.
    pub fn id(self) -> &'static str {
        match self {
            InputKind::Code => "code",
            InputKind::Xml => "xml",
            InputKind::Json => "json",
            InputKind::Http => "http",
            InputKind::Sdk => "sdk",
        }
    }
}

/// A request or response header, as received. A secret header's value (by its
/// name: `Authorization`, `x-oss-security-token`, `Cookie`) is held as a
/// [`Secret`], so `Debug` never shows it, until the masking stage replaces it with
/// its masked form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    value: HeaderValue,
    /// What the name means, looked up once when the header is read.
    pub meaning: crate::notation::HeaderName,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum HeaderValue {
    Text(String),
    Secret(Secret),
}

impl Header {
    pub fn new(name: String, value: String) -> Header {
        let meaning = crate::notation::header_name(&name);
        let value = if meaning.secret.is_some() {
            HeaderValue::Secret(Secret::new(value))
        } else {
            HeaderValue::Text(value)
        };
        Header {
            name,
            value,
            meaning,
        }
    }

    /// The value: after the masking stage, a secret's masked form.
    pub fn value(&self) -> &str {
        match &self.value {
            HeaderValue::Text(text) => text,
            HeaderValue::Secret(secret) => secret.expose(),
        }
    }

    /// Replaces the value by its masked form (see `redact::mask`).
    pub fn mask(&mut self, redactor: &mut Redactor) {
        // The name was looked up once, when the header was read.
        let masked = match &self.value {
            HeaderValue::Text(text) => redactor.text(text),
            HeaderValue::Secret(secret) => redactor.value(&self.name, secret.expose()),
        };
        if let Some(masked) = masked {
            self.value = HeaderValue::Text(masked);
        }
    }
}

/// What the input says about the request that failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub method: Option<String>,
    /// The request target or full URL.
    pub target: Option<String>,
    pub host: Option<String>,
    /// Request headers as sent (curl -v `> ` lines, a pasted raw request).
    pub headers: Vec<Header>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(Header::value)
    }
}

/// Everything the parse stage learned from the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub kind: InputKind,
    pub fields: Fields,
    /// Response headers of the final response (HTTP dumps only).
    pub headers: Vec<Header>,
    pub request: Request,
    /// The XML declaration as written, for the quote-style signal.
    pub xml_declaration: Option<String>,
    /// The name of an XML body's root element (`Error`, `ErrorResponse`): evidence of
    /// the protocol that answered.
    pub xml_root: Option<String>,
    /// The SDK markers and URL fragments of `signals.tsv` found in free text:
    /// exception classes, fixed prefixes (`oss2.exceptions`, `TencentCloudSDK`), API
    /// paths quoted in a message (`/files/v2/`).
    pub text_markers: Vec<&'static str>,
    /// The repairs `normalize` applied before the readers ran, by name.
    pub repairs: Vec<&'static str>,
    /// The names of the values the masking stage masked (`redact::mask`).
    pub masked: Vec<String>,
    /// Where free text names a code, for telling several errors apart.
    pub sightings: Vec<Sighting>,
    /// The other errors of a paste that holds several, each read on its own.
    pub others: Vec<Parsed>,
    /// Errors past the ones read (`MAX_ERRORS`), counted only; `unread_at_least` when
    /// the paste held too many to count them all.
    pub unread_errors: usize,
    pub unread_at_least: bool,
}

/// A known field seen in free text: where, under which key (as written, quoted when it
/// was) or SDK sentence, and the code when the field is the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub at: usize,
    pub key: String,
    pub code: Option<String>,
}

impl Parsed {
    pub fn new(kind: InputKind) -> Self {
        Parsed {
            kind,
            fields: Fields::default(),
            headers: Vec::new(),
            request: Request::default(),
            xml_declaration: None,
            xml_root: None,
            text_markers: Vec::new(),
            repairs: Vec::new(),
            masked: Vec::new(),
            sightings: Vec::new(),
            others: Vec::new(),
            unread_errors: 0,
            unread_at_least: false,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(Header::value)
    }
}

/// Why nothing could be parsed.
#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    /// The body looked like XML or JSON but was too deeply nested to read safely.
    TooDeep(&'static str),
}

impl std::error::Error for ParseError {}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Empty => f.write_str(crate::words::words().empty_input()),
            ParseError::TooDeep(what) => f.write_str(&crate::words::fill(
                crate::words::words().too_deep(),
                &[what, &xml::MAX_DEPTH],
            )),
        }
    }
}

/// Parses pasted text into fields; `Ok(None)`-like results are represented by a
/// `Parsed` of kind `Sdk` with empty fields, which later stages report as unrecognised.
///
/// Secrets are masked right after the readers, before the resolver weighs a value:
/// nothing that consumes a `Parsed` ever sees a secret whole (`redact::mask`).
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut repairs = Vec::new();
    let mut parsed = read(text, &mut repairs)?;
    parsed.repairs = repairs;
    parsed.masked = crate::redact::mask(&mut parsed);
    resolve::resolve(&mut parsed.fields);
    // Only free text is searched for markers: in a dump or a body, URLs are fields.
    // Each of several errors was searched in its own span.
    if parsed.kind == InputKind::Sdk && parsed.others.is_empty() {
        parsed.text_markers = text_markers(text);
    }
    for other in &mut parsed.others {
        other.repairs = parsed.repairs.clone();
        other.masked = crate::redact::mask(other);
        resolve::resolve(&mut other.fields);
    }
    fold_retellings(&mut parsed);
    Ok(parsed)
}

/// The SDK markers and URL fragments of `signals.tsv` that the text contains: one
/// search each, whatever notation wraps them.
fn text_markers(text: &str) -> Vec<&'static str> {
    let patterns = catalog::SIGNALS
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SignalKind::SdkMarker | SignalKind::Named | SignalKind::UrlContains
            )
        })
        .map(|s| s.pattern);
    // A short paste (a bare code) is searched without a searcher, as memmem::find
    // does below 64 bytes: building them all would cost a single decode more.
    if text.len() < 64 {
        return patterns
            .filter(|p| memchr::memmem::find(text.as_bytes(), p.as_bytes()).is_some())
            .collect();
    }
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        catalog::SIGNALS
            .iter()
            .filter(|s| {
                matches!(
                    s.kind,
                    SignalKind::SdkMarker | SignalKind::Named | SignalKind::UrlContains
                )
            })
            .map(|s| memchr::memmem::Finder::new(s.pattern))
            .collect()
    });
    patterns
        .zip(finders)
        .filter(|(_, f)| f.find(text.as_bytes()).is_some())
        .map(|(p, _)| p)
        .collect()
}

/// The readers that fit the text's shape, each adding candidates to one `Parsed`.
fn read(text: &str, repairs: &mut Vec<&'static str>) -> Result<Parsed, ParseError> {
    // Strict first: a body that reads as it is needs no repair, and a repair meant
    // for damaged pastes can only damage it (a `/Key>` or a fullwidth comma in a
    // message, `\u003c` inside valid JSON).
    let raw = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    // Several bodies are split first (`several_bodies`): the strict reader would
    // read the first and drop the others.
    let several = || {
        finder!("</Error>")
            .find_iter(raw.as_bytes())
            .nth(1)
            .is_some()
    };
    if raw.starts_with(['<', '{'])
        && !normalize::is_fragment(raw)
        && !several()
        && let Ok(Some(mut parsed)) = parse_body(raw, InputKind::Xml, xml::Reading::WellFormed)
        && parsed.fields.has(fields::Known::Code)
    {
        read_after_body(raw, &mut parsed);
        return Ok(parsed);
    }
    let (cleaned, applied) = normalize::clean(text);
    *repairs = applied;
    let text = cleaned.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    if let Some(parsed) = http::parse(text) {
        return parsed;
    }
    if let Some(parsed) = several_bodies(text) {
        return Ok(parsed);
    }
    read_repaired(text)
}

/// The errors in what follows an XML body that reads alone (rclone's dumped body, then
/// the SDK's `AccessDenied: ... status code: 403` lines), as the paste's next errors:
/// `fold_retellings` takes the same error told again back into the first.
fn read_after_body(raw: &str, parsed: &mut Parsed) {
    let Some(end) = finder!("</Error>").find(raw.as_bytes()) else {
        return;
    };
    let tail = raw[end + "</Error>".len()..].trim();
    if tail.is_empty() {
        return;
    }
    // The tail holds no `</Error>` (`several` split those), so this reads it once.
    let mut repairs = Vec::new();
    let Ok(mut next) = read(tail, &mut repairs) else {
        return;
    };
    if !next.fields.has(fields::Known::Code) {
        return;
    }
    let later = std::mem::take(&mut next.others);
    parsed.unread_errors = next.unread_errors;
    parsed.unread_at_least = next.unread_at_least;
    let others = std::iter::once(next).chain(later).collect();
    keep_others(parsed, others);
}

/// Sets the errors after the first, the most that are read, and counts the rest.
fn keep_others(first: &mut Parsed, mut others: Vec<Parsed>) {
    first.unread_errors += others.len().saturating_sub(MAX_ERRORS - 1);
    others.truncate(MAX_ERRORS - 1);
    first.others = others;
}

/// Takes back into the first error each later one that retells it: the same code, and
/// no other request id. What the retelling adds (the SDK line's status) fills what the
/// first lacks; the first's own values stay.
fn fold_retellings(parsed: &mut Parsed) {
    let first = &mut parsed.fields;
    parsed.others.retain(|other| {
        let theirs = &other.fields;
        let retells = theirs.code.is_some()
            && theirs.code == first.code
            && (theirs.request_id.is_none() || theirs.request_id == first.request_id);
        if retells {
            for (mine, told) in [
                (&mut first.message, &theirs.message),
                (&mut first.request_id, &theirs.request_id),
                (&mut first.host_id, &theirs.host_id),
                (&mut first.trace_id, &theirs.trace_id),
                (&mut first.ec, &theirs.ec),
            ] {
                if mine.is_none() {
                    mine.clone_from(told);
                }
            }
            first.status = first.status.or(theirs.status);
        }
        !retells
    });
}

/// The readers after the repairs, for a text that is no HTTP dump and holds at most
/// one XML body.
fn read_repaired(text: &str) -> Result<Parsed, ParseError> {
    match parse_body(text, InputKind::Xml, xml::Reading::Tolerant) {
        Ok(Some(mut parsed)) => {
            read_after_body(text, &mut parsed);
            return Ok(parsed);
        }
        Ok(None) => {}
        // Too deep for the strict parser: the tolerant extractor may still find the
        // fields in the part that is not (`{"Code":"NoSuchKey","x":[[[[...`).
        Err(deep) => {
            let mut parsed = Parsed::new(InputKind::Sdk);
            sdk::parse(text, &mut parsed);
            return if parsed.fields.is_empty() {
                Err(deep)
            } else {
                Ok(parsed)
            };
        }
    }
    // A code copied with quotes, brackets or the end of its sentence: `"-46618"`,
    // `'AccessDenied'`, `(NoSuchKey)`, `NoSuchKey.`, `“NoSuchKey”`.
    let unquoted = text
        .trim_matches(['"', '\'', '“', '”', '‘', '’', '(', ')', '[', ']'])
        .trim_end_matches(['.', ',', ':', ';']);
    if let Some(code) = [unquoted, text].into_iter().find(|t| is_bare_code(t)) {
        let mut parsed = Parsed::new(InputKind::Code);
        parsed.fields.add(Source::Words, "Code", code);
        return Ok(parsed);
    }
    let mut parsed = Parsed::new(InputKind::Sdk);
    sdk::parse(text, &mut parsed);
    if let Some(ErrorSpans { spans, unread }) = error_spans(text, &parsed.sightings) {
        let at_least = parsed.sightings.len() >= sdk::MAX_SIGHTINGS;
        let mut errors = spans.into_iter().map(|span| {
            let mut error = Parsed::new(InputKind::Sdk);
            sdk::parse(&text[span.clone()], &mut error);
            error.text_markers = text_markers(&text[span]);
            error
        });
        let mut first = errors.next().unwrap_or(parsed);
        first.others = errors.collect();
        first.unread_errors = unread;
        first.unread_at_least = at_least;
        return Ok(first);
    }
    // A message alone (a headline's) can stand beside a code named only in prose
    // (`Error [NoSuchBucketError]: The specified bucket does not exist.`), and a
    // code beside an EC named so (`AccessDenied ...` then `0002-00000503 https://...`).
    // So can a code the catalog has beside a wrapper's own number (JindoSDK's
    // `ErrorCode : 25201 ... err: CopyNotExcecuted;`), which becomes a detail.
    if !parsed.fields.has(fields::Known::Code)
        || !parsed.fields.has(fields::Known::Ec)
        || only_foreign_numbers(&parsed.fields)
    {
        codes_in_prose(text, &mut parsed.fields);
    }
    if parsed.fields.is_empty() && is_plain_words(text) {
        // `Request has expired`, `access denied`, `The specified key does not exist.`:
        // a few words are a code with spaces, a misspelt code, or a message. Later
        // stages try them as each.
        parsed.kind = InputKind::Code;
        // Chinese words around a code (`一直返回-97，签名错误`) are prose, not a code
        // with spaces: the code is the one word shaped like one, if any.
        let prose = has_non_ascii_letters(text);
        let code = if prose {
            code_shaped_word(text)
        } else {
            Some(text)
        };
        if let Some(code) = code {
            parsed.fields.add(Source::Words, "Code", code);
        }
        parsed.fields.add(Source::Words, "Message", text);
        // Free text too: a message can quote the API path it was refused.
        parsed.text_markers = text_markers(text);
    }
    Ok(parsed)
}

/// The most errors of one paste that are read; the others are counted.
const MAX_ERRORS: usize = 16;

/// Where each error of SDK or log output holding several lies, or `None` for one.
///
/// A code starts a new error when it differs from the current error's, or when its
/// key was already seen in the current error (a second `ErrorCode=`: the same error
/// again, a retry). An error ends after the last line of its own fields before the
/// next error's code, so a next error's headline (`...OSSException: message`) goes
/// with it, and no field of one error is read into another.
fn error_spans(text: &str, sightings: &[Sighting]) -> Option<ErrorSpans> {
    let mut sightings: Vec<&Sighting> = sightings.iter().collect();
    sightings.sort_by_key(|s| s.at);
    // The index in `sightings` where each error's code is first seen.
    let mut starts: Vec<usize> = Vec::new();
    let mut code: Option<&str> = None;
    let mut keys: Vec<&str> = Vec::new();
    for (i, s) in sightings.iter().enumerate() {
        let Some(this) = s.code.as_deref() else {
            continue;
        };
        let again = keys.contains(&s.key.as_str());
        if code.is_none_or(|c| c != this || again) {
            starts.push(i);
            keys.clear();
        }
        code = Some(this);
        keys.push(&s.key);
    }
    if starts.len() < 2 {
        return None;
    }
    // One more start than is read: it ends the last error that is.
    let unread = starts.len().saturating_sub(MAX_ERRORS + 1);
    starts.truncate(MAX_ERRORS + 1);
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |n| n + 1);
    let after_line = |at: usize| text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
    let mut bounds = vec![0];
    for pair in starts.windows(2) {
        let next_code = sightings[pair[1]].at;
        let next_line = line_start(next_code);
        // The previous error's last field line before the next code's line.
        let fields = sightings[pair[0]..pair[1]].iter().map(|s| s.at);
        let last_field = fields.clone().filter(|&at| at < next_line).max();
        // The previous error goes on into the next code's line (two errors on one line;
        // Go's `request id: , host id: : NoSuchKey: ...`): the next starts at its code.
        let shares_line = fields.clone().any(|at| at >= next_line);
        let bound = match last_field {
            Some(at) if !shares_line => after_line(at),
            _ => next_code,
        };
        bounds.push(bound.max(*bounds.last().unwrap_or(&0)));
    }
    bounds.push(text.len());
    let mut spans: Vec<_> = bounds.windows(2).map(|b| b[0]..b[1]).collect();
    let unread = unread + spans.len().saturating_sub(MAX_ERRORS);
    spans.truncate(MAX_ERRORS);
    Some(ErrorSpans { spans, unread })
}

/// A paste of several XML error bodies (log lines that each quote one, bodies pasted
/// one after another): each body, with the text before it since the previous one, is
/// read as an error of its own, so no field of one is read into another and none is
/// dropped. `None` for one body or none.
fn several_bodies(text: &str) -> Option<Parsed> {
    const CLOSE: &str = "</Error>";
    let mut ends = finder!(CLOSE)
        .find_iter(text.as_bytes())
        .map(|at| at + CLOSE.len());
    let mut bounds = vec![0, ends.next()?, ends.next()?];
    let mut unread = 0;
    for end in ends {
        if bounds.len() <= MAX_ERRORS {
            bounds.push(end);
        } else {
            unread += 1;
        }
    }
    // What follows the last body read (an SDK's summary line) belongs to it.
    if unread == 0
        && let Some(last) = bounds.last_mut()
    {
        *last = text.len();
    }
    // A span's own next errors (an SDK line after its body) follow it in the list.
    let mut errors = bounds
        .windows(2)
        .filter_map(|span| read_repaired(text[span[0]..span[1]].trim()).ok())
        .flat_map(|mut error| {
            let next = std::mem::take(&mut error.others);
            std::iter::once(error).chain(next)
        });
    let mut first = errors.next()?;
    first.unread_errors = unread;
    let others = errors.collect();
    keep_others(&mut first, others);
    Some(first)
}

/// Where the errors of a paste lie, and how many more it holds than are read.
struct ErrorSpans {
    spans: Vec<std::ops::Range<usize>>,
    unread: usize,
}

/// How many words of prose are looked up: a paste's code is near its start.
const MAX_PROSE_WORDS: usize = 4096;

/// The last resort: codes the catalog has, standing anywhere in prose, glued to
/// Chinese text, fullwidth punctuation, quotes or backticks (`-6101表示...`,
/// `出现403错误，"SignatureDoesNotMatch"`), or as an exception class
/// (`NoSuchBucketException`).
fn codes_in_prose(text: &str, fields: &mut Fields) {
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let words = text
        .split(|c: char| !is_word_char(c))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| w.len() > 2)
        .take(MAX_PROSE_WORDS);
    for word in words {
        // A number glued to a name by a colon is a line number (`ServiceUtils.java:533`).
        let at = word.as_ptr() as usize - text.as_ptr() as usize;
        let before = &text.as_bytes()[..at];
        if word.bytes().all(|b| b.is_ascii_digit())
            && before.ends_with(b":")
            && before.len() >= 2
            && before[before.len() - 2].is_ascii_alphanumeric()
        {
            continue;
        }
        // A class name is read by its last segment, and a class named after a code
        // without its suffix (`...s3.model.NoSuchBucketException`, ali-oss's
        // `NoSuchBucketError`); a code that ends so (`InternalError`) is itself.
        let class = word.rsplit('.').next().unwrap_or(word);
        let stems = [class.strip_suffix("Exception"), class.strip_suffix("Error")];
        let code = std::iter::once(word)
            .chain(stems.into_iter().flatten())
            .find(|code| {
                // A word of prose can be a code too (`Forbidden`, a status's reason
                // phrase): only compound codes (`NoSuchKey`) and numbered ones (`-6101`).
                // Capitals alone are a shouted word (`TIMEOUT: 60000` in a log), not one.
                let compound = (code.bytes().filter(u8::is_ascii_uppercase).count() >= 2
                    && code.bytes().any(|b| b.is_ascii_lowercase()))
                    || code
                        .bytes()
                        .any(|b| b.is_ascii_digit() || b == b'_' || b == b'.');
                // An EC's shape is its own: known or not, it is one.
                catalog::is_ec_shape(code)
                    || (is_bare_code(code) && compound && catalog::exact(code).next().is_some())
            });
        if let Some(code_after) = status_in_prose(text, word)
            && !fields.has(fields::Known::Status)
        {
            fields.add(Source::Words, "Status", word);
            // The status vouches for the code after it, known or misspelt
            // (`403 SignatureCanNotMatch`), which the look-up then corrects.
            if let Some(code) = code_after.filter(|_| !fields.has(fields::Known::Code)) {
                fields.add(Source::Words, "Code", code);
            }
            continue;
        }
        let glued = code
            .is_none()
            .then(|| glued_to_message(text, word))
            .flatten();
        if let Some((code, message)) = glued
            && !fields.has(fields::Known::Code)
        {
            // A headline without its colon.
            fields.add(Source::Headline, "Code", code);
            fields.add(Source::Headline, "Message", message);
            continue;
        }
        match code {
            // An OSS EC in prose (`0002-00000503 https://...`) is the EC, beside a code.
            Some(ec) if catalog::is_ec_shape(ec) && !fields.has(fields::Known::Ec) => {
                fields.add(Source::Words, "EC", ec)
            }
            Some(ec) if catalog::is_ec_shape(ec) => {}
            Some(code) if !fields.has(fields::Known::Code) || only_foreign_numbers(fields) => {
                fields.demote_code();
                fields.add(Source::Words, "Code", code);
            }
            _ => {}
        }
    }
}

/// A code glued to the message after it, as some pages render an error's two fields
/// (`AccessDeniedAccess Denied`): a code the catalog has, then one of its literals.
/// Returns the code and the message.
fn glued_to_message<'t>(text: &'t str, word: &'t str) -> Option<(&'t str, &'t str)> {
    let at = word.as_ptr() as usize - text.as_ptr() as usize;
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    (3..word.len())
        .rev()
        .filter(|&i| word.as_bytes()[i].is_ascii_uppercase())
        .find_map(|i| {
            let rest = &text[at + i..line_end];
            let code = &word[..i];
            catalog::exact(code)
                .flat_map(|e| e.literals())
                .find_map(|literal| {
                    let said = rest.get(..literal.trim_end_matches('.').len())?;
                    catalog::literal_fits(said, literal).then_some((code, said))
                })
        })
}

/// Whether `word`, a word of `text`, is an error status the way prose writes one: a
/// known 4xx or 5xx status glued to Chinese text (`出现403错误`), followed by its
/// reason phrase, or by a code-shaped word (`遇到403 SignatureDoesNotMatch`), which is
/// given with it. A number
/// alone is too common in prose (sizes, counts, ports) to be taken for one.
fn status_in_prose<'a>(text: &'a str, word: &str) -> Option<Option<&'a str>> {
    let reason = catalog::reason_of(word)
        .filter(|_| word.len() == 3 && matches!(word.as_bytes()[0], b'4' | b'5'))?;
    let at = word.as_ptr() as usize - text.as_ptr() as usize;
    let after = &text[at + word.len()..];
    let says_reason = after
        .get(1..=reason.len())
        .is_some_and(|r| r.eq_ignore_ascii_case(reason));
    match after.chars().next() {
        Some(c) if !c.is_ascii() && c.is_alphabetic() => Some(None),
        // With its reason phrase (`a 503 Service Unavailable reply`).
        Some(' ') if says_reason => Some(None),
        Some(' ') => after[1..]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .filter(|w| code_shaped_word(w) == Some(*w) && w.as_bytes()[0].is_ascii_uppercase())
            .map(Some),
        _ => None,
    }
}

/// Whether every code read is a number the catalog lacks: a wrapper's own error
/// number (JindoSDK's 25201), which a code the catalog has, in the text, outranks.
fn only_foreign_numbers(fields: &Fields) -> bool {
    let mut codes = fields
        .candidates
        .iter()
        .filter(|c| c.field == fields::Known::Code)
        .peekable();
    codes.peek().is_some()
        && codes.all(|c| {
            c.value.bytes().all(|b| b.is_ascii_digit()) && catalog::exact(&c.value).next().is_none()
        })
}

/// The first word of `text` shaped like a code, known or not: numbered (`-97`,
/// `4010006`) or compound (`isv.SMS_SIGNATURE_ILLEGAL`, `NoSuchKey`).
fn code_shaped_word(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .map(|w| w.trim_end_matches('.'))
        .find(|w| {
            let compound = w.bytes().filter(u8::is_ascii_uppercase).count() >= 2
                || w.bytes()
                    .any(|b| b.is_ascii_digit() || b == b'_' || b == b'.');
            w.len() > 2 && compound && is_bare_code(w)
        })
}

/// Whether `text` has letters of a script other than ASCII's: Chinese prose, a label.
pub fn has_non_ascii_letters(text: &str) -> bool {
    text.chars().any(|c| !c.is_ascii() && c.is_alphabetic())
}

/// One short line of words, with none of the punctuation of a structured paste.
fn is_plain_words(text: &str) -> bool {
    text.len() <= 120
        && text.chars().any(char::is_alphabetic)
        && !text.contains(['\n', ':', '=', '<', '>', '{', '}', '[', ']', '"'])
}

/// Parses a response body (XML or JSON). `kind` is what to call a bare body; an
/// HTTP dump passes `Http`. `reading` says how forgiving the XML reader is (JSON is
/// always read strictly). Returns `None` when the text is neither.
fn parse_body(
    body: &str,
    kind: InputKind,
    reading: xml::Reading,
) -> Result<Option<Parsed>, ParseError> {
    let trimmed = body.trim();
    if trimmed.starts_with('<') {
        let mut parsed = Parsed::new(if kind == InputKind::Http {
            kind
        } else {
            InputKind::Xml
        });
        if xml::read(trimmed, &mut parsed, reading)? {
            return Ok(Some(parsed));
        }
    } else if trimmed.starts_with('{') {
        let mut parsed = Parsed::new(if kind == InputKind::Http {
            kind
        } else {
            InputKind::Json
        });
        if json::parse(trimmed, &mut parsed.fields)? {
            return Ok(Some(parsed));
        }
    }
    Ok(None)
}

/// The lines of `text` without their `\n` or `\r\n`, as `str::lines` gives them,
/// found with the SIMD memchr: every parser walks the lines of a whole paste.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        let Some(end) = ends.next() else {
            // The last line has no `\n`, and so keeps a `\r` of its own.
            let last = (start < text.len()).then(|| &text[start..]);
            start = text.len();
            return last;
        };
        let line = &text[start..end];
        start = end + 1;
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// The host of a URL or of `host:port/path`.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', ':', '?']).unwrap_or(rest.len());
    &rest[..end]
}

/// A single token that can be a code: `AccessDenied`, `Throttling.User`, `-46618`,
/// `1013`, `0002-00000201`, `Missing{ParameterName}`.
pub fn is_bare_code(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let body_ok = text.len() <= 80
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '{' | '}'));
    let start_ok = first.is_ascii_alphanumeric()
        || (first == '-' && chars.next().is_some_and(|c| c.is_ascii_digit()));
    body_ok && start_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_bodies_are_several_errors() {
        let oss =
            "<Error><Code>NoSuchKey</Code><RequestId>5C3D9175B6FC201293AD4877</RequestId></Error>";
        let cos = "<Error><Code>AccessDenied</Code><RequestId>NjQ4ZDk0ZjBfOTBmYTUwMGVfMjYyMTFfZmU3NWQ=</RequestId></Error>";
        for paste in [
            format!("{oss}\n{cos}\n"),
            format!("12:00:00 ERROR put failed: {oss}\n12:00:01 ERROR put failed: {cos}"),
        ] {
            let parsed = parse(&paste).unwrap();
            assert_eq!(parsed.fields.code.as_deref(), Some("NoSuchKey"), "{paste}");
            assert_eq!(parsed.others.len(), 1, "{paste}");
            let other = &parsed.others[0].fields;
            assert_eq!(other.code.as_deref(), Some("AccessDenied"));
            assert!(
                other
                    .request_id
                    .as_deref()
                    .is_some_and(|id| id.starts_with("NjQ4"))
            );
        }
        // Past the most that are read, the rest are counted.
        let many: String = (0..MAX_ERRORS + 5)
            .map(|i| format!("<Error><Code>NoSuchKey</Code><RequestId>{i}</RequestId></Error>\n"))
            .collect();
        let parsed = parse(&many).unwrap();
        assert_eq!(
            (parsed.others.len(), parsed.unread_errors),
            (MAX_ERRORS - 1, 5)
        );
    }

    #[test]
    fn an_sdk_line_after_a_body_is_the_same_error_told_again_or_the_next() {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
                    <Message>Access Denied.</Message><RequestId>1638DF6E60AB82E0</RequestId></Error>";
        let line = |id: &str| {
            format!(
                "{body}\n2020/09/28 08:42:13 ERROR : Failed to copy: AccessDenied: Access Denied.\n\
                 \tstatus code: 403, request id: {id}, host id:\n"
            )
        };
        let told_again = parse(&line("1638DF6E60AB82E0")).unwrap();
        assert_eq!(told_again.fields.status, Some(403));
        assert!(told_again.others.is_empty());
        // Another request id is another request: a second error, its fields its own.
        let next = parse(&line("1638DF6E60AB82E1")).unwrap();
        assert_eq!(next.fields.status, None);
        assert_eq!(next.others.len(), 1);
        assert_eq!(next.others[0].fields.status, Some(403));
    }

    #[test]
    fn an_error_that_goes_on_into_the_next_ones_line_keeps_its_fields() {
        // aws-sdk-go v1 wrapped twice: the first error's status line holds the second's
        // code, and the server sent no ids.
        let text = "error listing: NoSuchKey: The specified key does not exist.\n\
                    \tstatus code: 404, request id: , host id: : NoSuchKey: The specified key does not exist.\n\
                    \tstatus code: 404, request id: , host id:\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.fields.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(parsed.fields.status, Some(404));
        // An empty id printed before a separator is no id (`:`).
        assert_eq!(parsed.fields.host_id, None);
        // The same error told twice, with no id to tell them apart, is one.
        assert!(parsed.others.is_empty());
    }

    #[test]
    fn a_status_with_its_reason_phrase_in_prose_is_the_status() {
        let parsed =
            parse("PUT /b/k resulted in a 503 Service Unavailable reply, 稍后重试").unwrap();
        assert_eq!(parsed.fields.status, Some(503));
    }

    #[test]
    fn a_code_glued_to_its_own_literal_is_split_from_it() {
        // A page title that rendered S3's two fields with nothing between them.
        let parsed = parse("\"AccessDeniedAccess Denied\" error in Status & FF").unwrap();
        assert_eq!(parsed.fields.code.as_deref(), Some("AccessDenied"));
        assert_eq!(parsed.fields.message.as_deref(), Some("Access Denied"));
        // Only a literal of that code is split off: a class name stays whole.
        let parsed = parse("thrown: AccessDeniedHandler failed").unwrap();
        assert_ne!(parsed.fields.code.as_deref(), Some("AccessDenied"));
    }

    #[test]
    fn bare_codes_are_codes() {
        for code in [
            "AccessDenied",
            "Throttling.User",
            "-46618",
            "1013",
            "0003-00000201",
        ] {
            let parsed = parse(code).unwrap();
            assert_eq!(parsed.kind, InputKind::Code, "{code}");
            assert_eq!(parsed.fields.code.as_deref(), Some(code));
        }
    }

    #[test]
    fn words_are_not_a_bare_code() {
        assert!(!is_bare_code("access denied"));
        assert!(!is_bare_code("--json"));
        assert!(!is_bare_code("-"));
    }

    #[test]
    fn lines_are_split_as_str_lines_splits_them() {
        for text in ["", "a", "a\n", "a\r\nb", "\n\nx\r\n", "a\rb\n", "x\r"] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn catalog_codes_are_found_in_prose() {
        for (text, code) in [
            ("返回 -6101表示图片不存在", "-6101"),
            (
                "deleteObject的时候出现403错误，\"SignatureDoesNotMatch\"",
                "SignatureDoesNotMatch",
            ),
            (
                "it threw com.amazonaws.services.s3.model.NoSuchBucketException: x",
                "NoSuchBucket",
            ),
            (
                "Error [NoSuchBucketError]: The specified bucket does not exist.",
                "NoSuchBucket",
            ),
            ("it failed with InternalError again", "InternalError"),
            ("Error: x\n at a.b(ServiceUtils.java:533) -46618", "-46618"),
        ] {
            assert_eq!(
                parse(text).unwrap().fields.code.as_deref(),
                Some(code),
                "{text}"
            );
        }
        // A reason phrase in prose is no code, and neither is a lower-case word.
        for text in [
            "<p>403 Forbidden</p> sign it again",
            "\"Forbidden\", said the server",
        ] {
            let code = parse(text).unwrap().fields.code;
            assert!(code.is_none(), "{text}: {code:?}");
        }
    }

    #[test]
    fn a_catalog_code_in_the_text_outranks_a_wrappers_own_number() {
        let p = parse("java.io.IOException: ErrorCode : 25201 , ErrorMsg: OSS Op Error. err: CopyNotExcecuted;").unwrap();
        assert_eq!(p.fields.code.as_deref(), Some("CopyNotExcecuted"));
        assert_eq!(
            p.fields.extra("ErrorCode"),
            Some(&Extra::Text("25201".into()))
        );
        // A number the catalog has stays the code, and so does one with nothing better.
        let p = parse("ErrorCode: -46618, then InternalError").unwrap();
        assert_eq!(p.fields.code.as_deref(), Some("-46618"));
        let p = parse("ErrorCode : 25201 , ErrorMsg: failed").unwrap();
        assert_eq!(p.fields.code.as_deref(), Some("25201"));
    }

    #[test]
    fn a_status_in_prose_is_glued_to_chinese_or_before_a_code() {
        for (text, status) in [
            (
                "deleteObject的时候出现403错误，\"SignatureDoesNotMatch\"",
                Some(403),
            ),
            ("上传失败遇到403 SignatureDoesNotMatch错误", Some(403)),
            ("it said 404 NoSuchKey twice", Some(404)),
            ("异常信息是403 SignatureCanNotMatch，好像", Some(403)),
            // A port, a count or a size is no status, even beside a capitalised word.
            ("listening on 443 Server started, then InternalError", None),
            ("it retried 500 times with InternalError", None),
            ("returned 443错误 NoSuchKey", None),
        ] {
            assert_eq!(parse(text).unwrap().fields.status, status, "{text}");
        }
        // The code after the status is read even when the catalog lacks it (a typo).
        let p = parse("异常信息是403 SignatureCanNotMatch，好像").unwrap();
        assert_eq!(p.fields.code.as_deref(), Some("SignatureCanNotMatch"));
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(parse(" \n\u{feff}"), Err(ParseError::Empty));
    }

    #[test]
    fn a_bom_is_ignored() {
        let parsed = parse("\u{feff}<Error><Code>NoSuchKey</Code></Error>").unwrap();
        assert_eq!(parsed.kind, InputKind::Xml);
        assert_eq!(parsed.fields.code.as_deref(), Some("NoSuchKey"));
    }
}
