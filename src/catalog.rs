//! The catalog compiled in from `catalog/` by `build.rs`, and look-ups over it.
//!
//! Look-ups return every entry a code can mean; ranking them against the input's
//! context is `rank`'s job, so this module never picks one silently.

use crate::lang;
use crate::message_key::message_key;
use std::borrow::Cow;
use std::fmt;

impl Product {
    /// Whether an error that looks like it came from `self` may be `other`'s: products
    /// of one family answer for each other (catalog/vendors.tsv says which).
    pub fn answers_for(self, other: Product) -> bool {
        self.family() == other.family()
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// Where a string lies in `TEXT`, the one text every entry's strings are stored in
/// (see build.rs `Interner`: offsets keep the tables free of load-time relocations).
/// Start and length share one `u32`, which halves the entry table against two
/// (the binary's size budget): the start takes the low `SPAN_START_BITS`.
#[derive(Clone, Copy, Debug)]
pub struct Span(u32);

const SPAN_START_BITS: u32 = 21;

static TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.txt"));

impl Span {
    /// The span of `TEXT[start..end]`; a text or string too long for the packing
    /// fails the build, as this runs in the generated statics' constant evaluation.
    const fn of(start: u32, end: u32) -> Span {
        let len = end - start;
        assert!(start < 1 << SPAN_START_BITS && len < 1 << (32 - SPAN_START_BITS));
        Span(start | len << SPAN_START_BITS)
    }

    fn text(self) -> &'static str {
        let start = (self.0 & ((1 << SPAN_START_BITS) - 1)) as usize;
        let len = (self.0 >> SPAN_START_BITS) as usize;
        &TEXT[start..start + len]
    }

    /// `None` for a column the catalog left empty.
    fn optional(self) -> Option<&'static str> {
        (self.0 >> SPAN_START_BITS != 0).then(|| self.text())
    }
}

/// One catalog row: what a code means in one section of one product.
pub struct Entry {
    pub vendor: Vendor,
    pub product: Product,
    code: Span,
    pub status: Option<u16>,
    section: Span,
    /// The literal the server sends, then the one its Chinese site sends.
    message: [Span; 2],
    /// English, then Chinese.
    meaning: [Span; 2],
    fix: [Span; 2],
    pub retryable: bool,
    source: Span,
    doc_url: Span,
    error_code: Span,
    /// `VARIANT`, `DOC_URL_ADDS_CODE`.
    flags: u8,
}

/// The entry is one cause of a code another entry lists in general (`is_variant`).
const VARIANT: u8 = 1;
/// The entry's link is `doc_url` then its code: one text for every EC's link.
const DOC_URL_ADDS_CODE: u8 = 2;

impl Entry {
    pub fn code(&self) -> &'static str {
        self.code.text()
    }

    pub fn section(&self) -> &'static str {
        self.section.text()
    }

    /// The server's literal message, where a source quotes it: in Chinese output the
    /// one the vendor's Chinese site sends, when there is one.
    pub fn message(&self) -> Option<&'static str> {
        let [en, zh] = self.message.map(Span::optional);
        lang::pick([en.or(zh), zh.or(en)])
    }

    /// Every literal message the server sends for this entry, whatever the site.
    pub fn literals(&self) -> impl Iterator<Item = &'static str> {
        self.message.into_iter().filter_map(Span::optional)
    }

    /// What went wrong, in the process's language.
    pub fn meaning(&self) -> &'static str {
        lang::pick(self.meaning).text()
    }

    /// What to do, in the process's language.
    pub fn fix(&self) -> &'static str {
        lang::pick(self.fix).text()
    }

    /// The meaning and the fix in every language, for a search that finds an entry
    /// by its English or its Chinese words whatever the output language.
    pub fn texts(&self) -> impl Iterator<Item = (bool, &'static str)> {
        let meanings = self.meaning.iter().map(|s| (true, s.text()));
        meanings.chain(self.fix.iter().map(|s| (false, s.text())))
    }

    /// The seed file or public page the entry comes from.
    pub fn source(&self) -> &'static str {
        self.source.text()
    }

    /// A public documentation page a user can open for this entry: the vendor's page
    /// the source row comes from, the EC's troubleshooting link, or the product's
    /// error-code page. `source` keeps the exact provenance.
    pub fn doc_url(&self) -> Cow<'static, str> {
        let head = self.doc_url.text();
        if self.flags & DOC_URL_ADDS_CODE == 0 {
            return head.into();
        }
        format!("{head}{}", self.code()).into()
    }

    /// For an OSS EC entry: the `<Code>` it is sent with, when known.
    pub fn error_code(&self) -> Option<&'static str> {
        self.error_code.optional()
    }

    pub fn is_ec(&self) -> bool {
        is_ec_shape(self.code())
    }

    /// Whether this entry is one cause of a code that another entry of its product
    /// lists in general: its section is that entry's with the cause in brackets
    /// (`SELECT Object Content (not GZIP)` beside `SELECT Object Content`), and its
    /// literal message tells the cause apart. Decided by build.rs.
    pub fn is_variant(&self) -> bool {
        self.flags & VARIANT != 0
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("product", &self.product)
            .field("code", &self.code())
            .field("status", &self.status)
            .field("section", &self.section())
            .finish_non_exhaustive()
    }
}

/// A category of OSS EC values, keyed by the EC's first four digits.
#[derive(Debug)]
pub struct EcCategory {
    pub prefix: &'static str,
    pub name: &'static str,
    /// English, then Chinese: [`EcCategory::meaning`] picks.
    meaning: [&'static str; 2],
    pub source: &'static str,
}

impl EcCategory {
    /// What the module that raised the EC handles, in the process's language.
    pub fn meaning(&self) -> &'static str {
        lang::pick(self.meaning)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignalKind {
    Header,
    HeaderPrefix,
    Server,
    Element,
    HostSuffix,
    HostPrefix,
    HostContains,
    /// A gateway's endpoint suffix: counts for a host that no other product's host
    /// signal claims.
    GatewayHost,
    UrlContains,
    XmlDeclaration,
    RequestIdShape,
    HostIdShape,
    Message,
    SdkMarker,
    Named,
    KeyPrefix,
    CatalogMessage,
    CatalogCode,
}

/// One piece of evidence that points at a vendor (and maybe a product).
#[derive(Debug)]
pub struct Signal {
    pub kind: SignalKind,
    pub pattern: &'static str,
    /// `None` for vendors outside errdecode's scope (then `foreign` names them).
    pub vendor: Option<Vendor>,
    pub foreign: Option<&'static str>,
    pub product: Option<Product>,
    pub weight: i32,
    /// English, then Chinese: [`Signal::note`] picks.
    note: [Span; 2],
}

impl Signal {
    /// What the signal says about the sender, in the process's language.
    pub fn note(&self) -> &'static str {
        lang::pick(self.note).text()
    }
}

/// What an HTTP status (`403`) or class (`4xx`) means in general: the fallback for a
/// code the catalog does not have.
#[derive(Debug)]
pub struct StatusMeaning {
    pub status: &'static str,
    /// The reason phrase (`Forbidden`); `-` for a class.
    pub reason: &'static str,
    /// English, then Chinese: [`StatusMeaning::meaning`] picks.
    meaning: [&'static str; 2],
    fix: [&'static str; 2],
    pub retryable: bool,
    pub source: &'static str,
}

impl StatusMeaning {
    /// What the status means in general, in the process's language.
    pub fn meaning(&self) -> &'static str {
        lang::pick(self.meaning)
    }

    /// What to do about it, in the process's language.
    pub fn fix(&self) -> &'static str {
        lang::pick(self.fix)
    }
}

/// A request id's or HostId's shape, compiled by build.rs from a `request-id-shape` or
/// `host-id-shape` row of `signals.tsv` (whose header gives the syntax).
#[derive(Debug)]
pub struct IdShape {
    /// The index in `SIGNALS` of the first row with this shape.
    pub signal: u16,
    /// Matched against the id's base64 decoding (its head before a masking `*`).
    pub base64: bool,
    /// Anything may follow the runs.
    pub open: bool,
    /// Its runs' range in `ID_RUNS`.
    pub runs: (u16, u16),
}

/// One run of a shape: `min..=max` characters of `set` (ASCII: bit `c % 64` of word
/// `c / 64` for character `c`).
#[derive(Debug)]
pub struct Run {
    pub set: [u64; 2],
    pub min: u16,
    pub max: u16,
    /// The run is hex Unix seconds, which must be a time a service can have sent.
    pub time: bool,
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The first request-id shape of `signals.tsv` that `id` has, and the Unix seconds its
/// time run holds, if it has one.
pub fn id_shape(id: &str) -> Option<(&'static IdShape, Option<i64>)> {
    ID_SHAPES.iter().find_map(|shape| {
        let time = if shape.base64 {
            // Masking (`NjQ4ZDk0ZjBfOTBmYTUw****`) leaves the head: whole 4-character groups.
            let head = &id[..id.find('*').unwrap_or(id.len())];
            // Base64 is ASCII; checking first keeps the cut below on a char boundary.
            if !head.is_ascii() {
                return None;
            }
            // An open shape looks at no more than its runs' longest: only that much is
            // decoded (a log's scan asks this of every long token).
            let whole = head.len() / 4 * 4;
            let read = if shape.open {
                whole.min(shape.longest().div_ceil(3) * 4)
            } else {
                whole
            };
            shape.matches(&crate::parse::base64_decode(&head[..read])?)?
        } else {
            shape.matches(id.as_bytes())?
        };
        Some((shape, time))
    })
}

/// The first HostId shape of `signals.tsv` that `id` has.
pub fn host_id_shape(id: &str) -> Option<&'static IdShape> {
    HOST_ID_SHAPES
        .iter()
        .find(|shape| shape.matches(id.as_bytes()).is_some())
}

impl IdShape {
    /// The pattern as written in `signals.tsv`.
    pub fn text(&self) -> &'static str {
        SIGNALS[usize::from(self.signal)].pattern
    }

    /// The most bytes its runs can take.
    fn longest(&self) -> usize {
        let (start, end) = self.runs;
        ID_RUNS[usize::from(start)..usize::from(end)]
            .iter()
            .map(|run| usize::from(run.max))
            .sum()
    }

    /// `None` when `text` does not have the shape, else the time run's seconds, if any.
    /// Each run takes all it can and gives nothing back (build.rs refuses shapes where
    /// that could matter), so this is one pass.
    fn matches(&self, text: &[u8]) -> Option<Option<i64>> {
        let (start, end) = self.runs;
        let mut at = 0;
        let mut time = None;
        for run in &ID_RUNS[usize::from(start)..usize::from(end)] {
            let from = at;
            let most = text.len().min(from + usize::from(run.max));
            while at < most {
                let c = text[at];
                if c >= 128 || run.set[usize::from(c >> 6)] >> (c & 63) & 1 == 0 {
                    break;
                }
                at += 1;
            }
            if at - from < usize::from(run.min) {
                return None;
            }
            if run.time {
                let hex = std::str::from_utf8(&text[from..at]).ok()?;
                let secs = i64::from_str_radix(hex, 16).ok()?;
                // 2012 to 2040: anything else is not a time a service sent.
                if !(1_325_376_000..2_208_988_800).contains(&secs) {
                    return None;
                }
                time = Some(secs);
            }
        }
        (self.open || at == text.len()).then_some(time)
    }
}

/// The generic meaning of an HTTP error status, by exact status, else by class.
pub fn status_meaning(status: u16) -> Option<&'static StatusMeaning> {
    let exact = status.to_string();
    let class = format!("{}xx", status / 100);
    HTTP_STATUSES
        .iter()
        .find(|s| s.status == exact)
        .or_else(|| HTTP_STATUSES.iter().find(|s| s.status == class))
}

/// The reason phrase of an exact status (`403` → `Forbidden`).
pub fn reason_of(status: &str) -> Option<&'static str> {
    HTTP_STATUSES
        .iter()
        .find(|s| s.status == status && s.reason != "-")
        .map(|s| s.reason)
}

/// The status whose reason phrase `name` is, however it is spaced or cased
/// (`Forbidden`, `Not Found`, .NET's `NotFound`, `SERVICE_UNAVAILABLE`).
pub fn status_of_reason(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_end_matches('.');
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b" _-".contains(&b))
    {
        return None;
    }
    let folded = |text: &str| -> String {
        text.bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect()
    };
    let name = folded(name);
    HTTP_STATUSES
        .iter()
        .find(|s| s.reason != "-" && folded(s.reason) == name)
        .map(|s| s.status)
}

/// An OSS EC looks like `0003-00000201`.
pub fn is_ec_shape(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 13
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// How an entry matched the code that was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchKind {
    Exact,
    /// A templated code; the placeholder's name and the part of the code it stands for.
    Template {
        placeholder: &'static str,
        value: String,
    },
}

#[derive(Clone, Debug)]
pub struct Candidate {
    pub entry: &'static Entry,
    pub kind: MatchKind,
}

/// Entries whose code equals `code`, ignoring ASCII case, in catalog order.
pub fn exact(code: &str) -> impl Iterator<Item = &'static Entry> {
    let key = code.to_ascii_lowercase();
    let start = BY_CODE.partition_point(|(c, _)| c.text() < key.as_str());
    BY_CODE[start..]
        .iter()
        .take_while(move |(c, _)| c.text() == key)
        .map(|(_, i)| &ENTRIES[*i as usize])
}

/// Every entry `code` can mean: exact matches, then templates of products that have
/// no exact match for it (so `InvalidArgument` does not also match `Invalid{ParameterName}`).
pub fn candidates(code: &str) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = exact(code)
        .map(|entry| Candidate {
            entry,
            kind: MatchKind::Exact,
        })
        .collect();
    for &i in &TEMPLATES {
        let entry = &ENTRIES[i as usize];
        if found.iter().any(|c| c.entry.product == entry.product) {
            continue;
        }
        if let Some((placeholder, value)) = match_template(entry.code(), code) {
            found.push(Candidate {
                entry,
                kind: MatchKind::Template {
                    placeholder,
                    value: value.to_owned(),
                },
            });
        }
    }
    found
}

/// Matches `code` against a template such as `Invalid{ResourceType}.Unsupported`,
/// returning the placeholder name and the part of `code` it stands for.
pub fn match_template<'c>(
    template: &'static str,
    code: &'c str,
) -> Option<(&'static str, &'c str)> {
    let open = template.find('{')?;
    let close = open + template[open..].find('}')?;
    let (prefix, suffix) = (&template[..open], &template[close + 1..]);
    if code.len() <= prefix.len() + suffix.len()
        || !code.is_char_boundary(prefix.len())
        || !code.is_char_boundary(code.len() - suffix.len())
    {
        return None;
    }
    let (head, rest) = code.split_at(prefix.len());
    let (value, tail) = rest.split_at(rest.len() - suffix.len());
    let fits = head.eq_ignore_ascii_case(prefix)
        && tail.eq_ignore_ascii_case(suffix)
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        // Any case: users type `missingprojectname` too.
        && value.starts_with(|c: char| c.is_ascii_alphabetic());
    fits.then(|| (&template[open + 1..close], value))
}

/// Codes starting with `prefix` (ignoring case), each once, in sorted order, as
/// (the code as written, its first entry): what a shell offers when completing a
/// code. A name an entry is also sent as (`QueueNotFound` for 1106) is offered as
/// that name, which decodes to it.
pub fn codes_with_prefix(prefix: &str) -> impl Iterator<Item = (&'static str, &'static Entry)> {
    let key = prefix.to_ascii_lowercase();
    let start = BY_CODE.partition_point(|(c, _)| c.text() < key.as_str());
    let mut last: Option<&str> = None;
    BY_CODE[start..]
        .iter()
        .map(|(c, i)| (c.text(), &ENTRIES[*i as usize]))
        .take_while(move |(c, _)| c.starts_with(&key))
        .filter_map(move |(c, entry)| {
            if last == Some(c) {
                return None;
            }
            last = Some(c);
            let written = match entry.message() {
                Some(name) if !c.eq_ignore_ascii_case(entry.code()) => name,
                _ => entry.code(),
            };
            Some((written, entry))
        })
}

/// The category of an OSS EC, from its first four digits.
pub fn ec_category(ec: &str) -> Option<&'static EcCategory> {
    let prefix = ec.get(..4)?;
    EC_CATEGORIES.iter().find(|c| c.prefix == prefix)
}

/// Codes close to `code` (a typo, a missing minus sign, another product's spelling),
/// best first, limited to `limit`; only products accepted by `allowed` are searched.
pub fn near_misses(
    code: &str,
    allowed: impl Fn(&Entry) -> bool,
    limit: usize,
) -> Vec<&'static str> {
    let lower = code.to_ascii_lowercase();
    if lower.bytes().all(|b| b.is_ascii_digit()) && !lower.is_empty() {
        let negative = format!("-{lower}");
        if let Some(e) = exact(&negative).find(|e| allowed(e)) {
            return vec![e.code()];
        }
    }
    let budget = (lower.len() / 5).clamp(1, 4);
    let wanted = byte_counts(&lower);
    let mut scored: Vec<(usize, &'static str)> = Vec::new();
    for (c, i) in &BY_CODE {
        let c = c.text();
        // The cheap tests first: most codes are ruled out by their length alone.
        if c.len().abs_diff(lower.len()) > budget || c == lower {
            continue;
        }
        let entry = &ENTRIES[*i as usize];
        // Suggest codes, not the names some are also sent as.
        if !c.eq_ignore_ascii_case(entry.code())
            || !allowed(entry)
            || bag_distance(&wanted, c) > budget
            || scored.iter().any(|(_, s)| *s == entry.code())
        {
            continue;
        }
        if let Some(d) = edit_distance_within(c, &lower, budget) {
            scored.push((d, entry.code()));
        }
    }
    scored.sort_by_key(|(d, _)| *d);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// How often each byte class (a letter, a digit, any other byte) occurs in `text`.
fn byte_counts(text: &str) -> [i16; 37] {
    let mut counts = [0i16; 37];
    for b in text.bytes() {
        let class = match b {
            b'a'..=b'z' => usize::from(b - b'a'),
            b'0'..=b'9' => 26 + usize::from(b - b'0'),
            _ => 36,
        };
        counts[class] = counts[class].saturating_add(1);
    }
    counts
}

/// A lower bound of the edit distance, from the bytes each side has that the other
/// lacks (an edit changes at most one of each): it rules out an unrelated code in one
/// pass over it.
fn bag_distance(wanted: &[i16; 37], candidate: &str) -> usize {
    let have = byte_counts(candidate);
    let (mut more, mut fewer) = (0usize, 0usize);
    for (w, h) in wanted.iter().zip(have) {
        let d = i32::from(h) - i32::from(*w);
        if d > 0 {
            more += d as usize;
        } else {
            fewer += (-d) as usize;
        }
    }
    more.max(fewer)
}

/// Levenshtein distance over bytes (codes are ASCII), when it is at most `budget`.
/// A row whose every cell is over the budget only grows: the search stops there, so
/// an unrelated code costs a few rows, not the whole table (scan decodes thousands of
/// unknown codes, each compared with every catalog code of about its length).
pub fn edit_distance_within(a: &str, b: &str, budget: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
            best = best.min(row[j + 1]);
        }
        if best > budget {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= budget)
}

/// Longer than any literal message in the catalog, with room for a server's filled-in
/// placeholders (a tidy test checks the catalog's longest).
pub const MAX_LITERAL_BYTES: usize = 1024;

/// The entries whose literal message (one without placeholders) is `said`, both folded
/// by `message_key`: trimmed, any case, with or without a final period, `-` as a space.
pub fn entries_sending(said: &str) -> impl Iterator<Item = &'static Entry> {
    let key = (said.len() <= MAX_LITERAL_BYTES).then(|| message_key(said));
    let start = key.as_deref().map_or(BY_MESSAGE.len(), |key| {
        BY_MESSAGE.partition_point(|(m, _)| m.text() < key)
    });
    BY_MESSAGE[start..]
        .iter()
        .take_while(move |(m, _)| key.as_deref() == Some(m.text()))
        .map(|(_, i)| &ENTRIES[*i as usize])
}

/// Whether a server message is `literal`, one with words of its own (a literal that is
/// only a placeholder, `%s`, would agree with anything).
pub fn literal_fits(said: &str, literal: &str) -> bool {
    has_words(literal)
        && (message_fits(said, literal)
            || inner_parts(said).any(|part| message_fits(part, literal)))
}

/// The parts of a pasted message that may be a server's literal on their own: its first
/// sentence, and its last clause.
fn inner_parts(said: &str) -> impl Iterator<Item = &str> {
    first_sentence(said).into_iter().chain(last_clause(said))
}

/// A message's first sentence when more text follows it: servers append details to a
/// literal (IMG's `... is invalid.reason:Value must be digit`). The sentence ends at
/// the first period after a letter that is followed by a space or a letter.
fn first_sentence(said: &str) -> Option<&str> {
    let bytes = said.as_bytes();
    let end = (1..bytes.len().saturating_sub(1)).find(|&i| {
        bytes[i] == b'.'
            && bytes[i - 1].is_ascii_alphabetic()
            && (bytes[i + 1] == b' ' || bytes[i + 1].is_ascii_alphabetic())
    })?;
    let rest = said[end + 1..].trim();
    (!rest.is_empty()).then(|| &said[..end])
}

/// The clause after a message's last `": "`: an error chain puts its callers' words
/// before the server's (`storage: unable to send a request: The bucket you are ...`).
fn last_clause(said: &str) -> Option<&str> {
    let tail = said.rsplit_once(": ")?.1.trim();
    (!tail.is_empty()).then_some(tail)
}

/// The entries whose plain literal (one without placeholders) is `said` or one of its
/// inner parts: what a product alone can be told by (a placeholder fits too much).
pub fn entries_sending_in(said: &str) -> impl Iterator<Item = &'static Entry> {
    entries_sending(said).chain(inner_parts(said).flat_map(entries_sending))
}

/// Whether some entry's literal message is `said`.
pub fn is_literal_message(said: &str) -> bool {
    !entries_with_literal(said).is_empty()
}

/// The entries with a literal message (one with words of its own) that `said` is, in
/// catalog order: by binary search among the plain literals, then by matching the few
/// with placeholders, rather than each entry's literals one by one (scan asks this of
/// every record).
pub fn entries_with_literal(said: &str) -> Vec<&'static Entry> {
    let agrees = |e: &&'static Entry| e.literals().any(|m| literal_fits(said, m));
    let mut found: Vec<&'static Entry> = entries_sending_in(said).filter(agrees).collect();
    // No literal is this long: a long text is not folded once per placeholder literal.
    if said.len() <= MAX_LITERAL_BYTES {
        found.extend(
            PLACEHOLDER_LITERALS
                .iter()
                .map(|&i| &ENTRIES[usize::from(i)])
                .filter(agrees),
        );
    }
    // ENTRIES is one array: addresses are catalog order.
    found.sort_unstable_by_key(|e| *e as *const Entry);
    found.dedup_by_key(|e| *e as *const Entry);
    found
}

/// Whether a server message matches a catalog literal, where `%s` and `{Name}` stand
/// for any text; folded as `entries_sending` folds, so a final period does not count
/// (COS sends `Request has expired`, OSS `Request has expired.`).
fn message_fits(said: &str, literal: &str) -> bool {
    if said.len() > MAX_LITERAL_BYTES {
        return false;
    }
    if !has_placeholders(literal) {
        return crate::message_key::same_key(said, literal);
    }
    let (said, literal) = (message_key(said), message_key(literal));
    let mut rest = said.as_str();
    let mut parts = split_placeholders(&literal).into_iter().peekable();
    let mut first = true;
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        if first {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
            first = false;
            if last {
                return rest.is_empty() || literal.ends_with('}') || literal.ends_with("%s");
            }
        } else if last {
            return part.is_empty() || rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(i) => rest = &rest[i + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// A literal with some text of its own, not just a placeholder such as `%s`.
fn has_words(literal: &str) -> bool {
    if !has_placeholders(literal) {
        return literal.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    }
    split_placeholders(literal)
        .iter()
        .any(|part| part.chars().filter(|c| c.is_alphabetic()).count() >= 3)
}

/// Whether `literal` has a part `split_placeholders` would cut out.
fn has_placeholders(literal: &str) -> bool {
    literal.contains("%s")
        || literal
            .find('{')
            .is_some_and(|i| literal[i..].contains('}'))
}

fn split_placeholders(literal: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = literal;
    loop {
        let brace = rest.find('{').filter(|&i| rest[i..].contains('}'));
        let percent = rest.find("%s");
        let next = match (brace, percent) {
            (Some(b), Some(p)) => Some(b.min(p)),
            (b, p) => b.or(p),
        };
        let Some(i) = next else {
            parts.push(rest);
            return parts;
        };
        parts.push(&rest[..i]);
        let skip = if rest[i..].starts_with("%s") {
            2
        } else {
            rest[i..].find('}').map_or(1, |e| e + 1)
        };
        rest = &rest[i + skip..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_fit_with_placeholders() {
        assert!(message_fits(
            "The specified key does not exist.",
            "The specified key does not exist."
        ));
        assert!(message_fits(
            "ProjectName is mandatory for this action.",
            "{ParameterName} is mandatory for this action."
        ));
        assert!(message_fits(
            "The payload size exceeds maximum allowed size (1024 bytes).",
            "The payload size exceeds maximum allowed size (%s bytes)."
        ));
        assert!(message_fits("anything at all", "%s"));
        assert!(!literal_fits("anything at all", "%s"));
        assert!(!message_fits(
            "Access Denied.",
            "The specified key does not exist."
        ));
    }

    #[test]
    fn a_literal_agrees_with_a_message_that_goes_on_after_it() {
        let literal = "The value: %s of parameter: %s is invalid.";
        let said = "The value: image of parameter: quality is invalid.reason:Value must be digit";
        assert!(!message_fits(said, literal));
        assert!(literal_fits(said, literal));
        assert!(literal_fits(
            "The specified key does not exist. Key: a/b.png",
            "The specified key does not exist."
        ));
        // A period inside a name is no sentence end, and nothing after it is no detail.
        assert_eq!(first_sentence("Bucket a.b is gone"), Some("Bucket a"));
        assert_eq!(first_sentence("Access Denied."), None);
        assert_eq!(first_sentence("Version 1.2 is old"), None);
        assert!(!entries_with_literal("Access Denied. See the policy").is_empty());
        // An error chain's callers speak first; the server's literal comes last.
        let chain = "alertmanager storage: unable to send a request to object storage: \
                     The bucket you are attempting to access must be addressed using COS virtual-styled domain";
        assert_eq!(last_clause(chain).map(|c| &c[..10]), Some("The bucket"));
        let senders: Vec<&str> = entries_with_literal(chain)
            .iter()
            .map(|e| e.code())
            .collect();
        assert_eq!(senders, ["PathStyleDomainForbidden"]);
    }

    #[test]
    fn exact_lookup_ignores_case_and_lists_every_product() {
        let products: Vec<Product> = exact("accessdenied").map(|e| e.product).collect();
        for p in [
            Product::Oss,
            Product::OssImg,
            Product::Imm,
            Product::Ci,
            Product::Cos,
        ] {
            assert!(products.contains(&p), "AccessDenied missing in {p:?}");
        }
    }

    #[test]
    fn negative_codes_in_two_sections_are_two_entries() {
        let sections: Vec<&str> = exact("-3006").map(|e| e.section()).collect();
        assert_eq!(sections.len(), 2, "{sections:?}");
    }

    #[test]
    fn templates_match_concrete_codes_but_not_exact_ones() {
        assert_eq!(
            match_template("Missing{ParameterName}", "MissingProjectName"),
            Some(("ParameterName", "ProjectName"))
        );
        assert_eq!(
            match_template(
                "Invalid{ResourceType}.Unsupported",
                "InvalidVideo.Unsupported"
            ),
            Some(("ResourceType", "Video"))
        );
        assert_eq!(match_template("Missing{ParameterName}", "Missing"), None);
        let found = candidates("InvalidArgument");
        assert!(found.iter().all(|c| c.kind == MatchKind::Exact));
    }

    #[test]
    fn a_missing_minus_sign_is_suggested() {
        assert_eq!(near_misses("46618", |_| true, 3), vec!["-46618"]);
    }

    #[test]
    fn another_products_spelling_is_suggested() {
        let imm_only = near_misses("SignatureDoesNotMatch", |e| e.product == Product::Imm, 3);
        assert_eq!(imm_only.first(), Some(&"SignatureNotMatch"));
    }

    #[test]
    fn prefix_completion_lists_each_code_once() {
        let codes: Vec<&str> = codes_with_prefix("-466").map(|(code, _)| code).collect();
        assert_eq!(
            codes,
            [
                "-46614", "-46616", "-46617", "-46618", "-46619", "-46620", "-46621", "-46627",
                "-46628", "-46642", "-46646", "-46661"
            ]
        );
    }

    #[test]
    fn statuses_fall_back_to_their_class() {
        assert_eq!(status_meaning(403).map(|s| s.status), Some("403"));
        assert_eq!(status_meaning(418).map(|s| s.status), Some("4xx"));
        assert!(status_meaning(200).is_none());
    }

    #[test]
    fn ec_shape_and_category() {
        assert!(is_ec_shape("0003-00000201"));
        assert!(!is_ec_shape("0003-0000020"));
        assert_eq!(ec_category("0002-00000999").map(|c| c.name), Some("AUTH"));
    }

    #[test]
    fn edit_distance_counts_insertions() {
        assert_eq!(
            edit_distance_within("signaturenotmatch", "signaturedoesnotmatch", 9),
            Some(4)
        );
        assert_eq!(edit_distance_within("", "abc", 3), Some(3));
        // Over the budget, whether it is seen early or only at the end.
        assert_eq!(
            edit_distance_within("tencentcloudsdkexception", "accessdenied", 4),
            None
        );
        assert_eq!(edit_distance_within("abcd", "abce", 0), None);
        // The bound never exceeds the distance.
        for (a, b) in [
            ("signaturenotmatch", "signaturedoesnotmatch"),
            ("acess", "access"),
            ("ab", "ba"),
        ] {
            let d = edit_distance_within(a, b, 99).unwrap();
            assert!(bag_distance(&byte_counts(a), b) <= d, "{a} {b}");
        }
    }
}
