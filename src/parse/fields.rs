//! The fields an error carries, whatever notation it came in.
//!
//! Every reader (XML, JSON, SDK text, headers, line templates) feeds named values
//! through [`Fields::add`], saying what kind of place each came from, and one alias
//! table decides which known field a name is. That keeps `RequestId`, `request_id`,
//! `requestid`, `Request Id` and `x-oss-request-id` one field. A known field's values
//! are candidates: readers never decide between them; `resolve` does, by one rule.

/// A field errdecode understands and shows by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    Code,
    Message,
    RequestId,
    HostId,
    TraceId,
    Ec,
    Recommend,
    Resource,
    Status,
}

impl Known {
    /// The field's key in JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Known::Code => "code",
            Known::Message => "message",
            Known::RequestId => "request_id",
            Known::HostId => "host_id",
            Known::TraceId => "trace_id",
            Known::Ec => "ec",
            Known::Recommend => "recommend",
            Known::Resource => "resource",
            Known::Status => "http_status",
        }
    }
}

/// A name's characters folded for comparison: ASCII lower case without `-`, `_` and spaces.
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .map(|c| c.to_ascii_lowercase())
}

/// Whether two names are the same once folded (`Trace ID` = `traceid`).
fn same_name(a: &str, b: &str) -> bool {
    // Most names already differ in their first letter: detection asks this of each
    // name for every element signal, and folding costs more than one comparison.
    let first = |s: &str| s.bytes().next().map(|c| c.to_ascii_lowercase());
    let separator = |c: Option<u8>| matches!(c, Some(b'-' | b'_' | b' '));
    let (fa, fb) = (first(a), first(b));
    if fa != fb && !separator(fa) && !separator(fb) {
        return false;
    }
    folded(a).eq(folded(b))
}

/// The known field a name stands for, if any (the table is `catalog/names.tsv`).
pub fn known(name: &str) -> Option<Known> {
    crate::notation::field(name)
}

/// What kind of place a value was read from, weakest first: the resolver prefers a
/// stronger source (see `resolve`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A line of plain words, tried as a code and as a message.
    Words,
    /// `Head: message` on the first line of SDK output.
    Headline,
    /// `code = x` in free text: the spacing of source code and wrappers too.
    SpacedKey,
    /// A line template: a fixed sentence an SDK prints around its fields.
    Template,
    /// `Code: x` or `Code=x` in free text.
    BareKey,
    /// `'code': 'x'`, `"Code": "x"` or `[ErrorCode]: x` in free text.
    QuotedKey,
    /// A response header.
    Header,
    /// An element of an XML or JSON body.
    Element,
    /// The HTTP status line of a dump.
    StatusLine,
}

impl Source {
    /// The stable identifier used in JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Source::Words => "words",
            Source::Headline => "headline",
            Source::SpacedKey => "spaced-key",
            Source::Template => "template",
            Source::BareKey => "key",
            Source::QuotedKey => "quoted-key",
            Source::Header => "header",
            Source::Element => "element",
            Source::StatusLine => "status-line",
        }
    }
}

/// One value a reader found for a known field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub field: Known,
    pub value: String,
    pub source: Source,
    /// The name as written in the input (`x-oss-request-id`, `ErrorCode`).
    pub key: String,
}

/// A value of an extra field: text, or a group of members (`AccessDeniedDetail`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extra {
    Text(String),
    Group(Vec<(String, String)>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    /// Every value read for a known field, in input order; `resolve` fills the fields
    /// below from them and leaves the ones that lost in `alternatives`.
    pub candidates: Vec<Candidate>,
    /// Candidates past `MAX_CANDIDATES`, counted, not kept.
    pub candidates_dropped: usize,
    pub alternatives: Vec<Candidate>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    pub trace_id: Option<String>,
    pub ec: Option<String>,
    pub recommend: Option<String>,
    pub resource: Option<String>,
    pub status: Option<u16>,
    /// Every other named value, in input order (StringToSign, Key, BucketName, ...).
    pub extras: Vec<(String, Extra)>,
    /// The names of every element or key seen, for detection (`EC`, `FormatString`).
    pub names: Vec<String>,
}

/// How many distinct names and extra fields one input may record (see `note_name`).
const MAX_NAMES: usize = 256;
const MAX_EXTRAS: usize = 64;
/// A real error has a handful of candidates per field; a hostile one could have
/// millions, each of which the resolver weighs.
const MAX_CANDIDATES: usize = 256;

/// Fields whose exact text matters line by line (a string-to-sign to diff against the
/// client's): kept verbatim, surrounding newlines included.
pub const VERBATIM: &[&str] = &["StringToSign", "FormatString", "CanonicalRequest"];

/// Values that mean "nothing here" in SDK output, and a separator where a value was
/// left empty (Go's `host id: : NoSuchKey`); `***`, `###` or `...` is a value masked.
fn is_absent(value: &str) -> bool {
    matches!(
        value,
        "" | "null" | "None" | "nil" | "Unknown" | "undefined"
    ) || value
        .chars()
        .all(|c| matches!(c, ':' | ';' | ',' | '=' | '|'))
}

impl Fields {
    /// Records a named value read from `source`: a candidate for a known field, else an
    /// extra field (whose first value is kept).
    pub fn add(&mut self, source: Source, name: &str, value: &str) {
        let verbatim = VERBATIM.iter().any(|v| v.eq_ignore_ascii_case(name));
        let value = if verbatim { value } else { value.trim() };
        self.note_name(name);
        if is_absent(value.trim()) {
            return;
        }
        match known(name) {
            Some(field) => self.add_candidate(Candidate {
                field,
                value: value.to_owned(),
                source,
                key: name.to_owned(),
            }),
            None => self.add_extra(name, || Extra::Text(value.to_owned())),
        }
    }

    /// Records a value that a reader knows the field of (a line template's capture);
    /// `key` says where it was read (the template's name).
    pub fn add_known(&mut self, source: Source, field: Known, key: &str, value: &str) {
        let value = value.trim();
        if !is_absent(value) {
            self.add_candidate(Candidate {
                field,
                value: value.to_owned(),
                source,
                key: key.to_owned(),
            });
        }
    }

    fn add_candidate(&mut self, candidate: Candidate) {
        if self.candidates.len() < MAX_CANDIDATES {
            self.candidates.push(candidate);
        } else {
            self.candidates_dropped += 1;
        }
    }

    /// Keeps the codes read so far (if any) as extra fields under the names they were
    /// read by (a wrapper's own error number shown beside the service's code).
    pub fn demote_code(&mut self) {
        let (codes, others) = std::mem::take(&mut self.candidates)
            .into_iter()
            .partition::<Vec<_>, _>(|c| c.field == Known::Code);
        self.candidates = others;
        for code in codes {
            self.add_extra(&code.key, || Extra::Text(code.value));
        }
    }

    /// Whether any reader found a value for `field`.
    pub fn has(&self, field: Known) -> bool {
        self.candidates.iter().any(|c| c.field == field)
    }

    /// Records a group of members such as `AccessDeniedDetail`.
    pub fn set_group(&mut self, name: &str, members: Vec<(String, String)>) {
        self.note_name(name);
        if !members.is_empty() {
            self.add_extra(name, || Extra::Group(members));
        }
    }

    /// Remembers a name once. Each is looked for before it is added, so the lists are
    /// capped: a real error has a few dozen names, and a hostile body with hundreds of
    /// thousands of distinct ones would otherwise make reading it quadratic.
    fn note_name(&mut self, name: &str) {
        if self.names.len() < MAX_NAMES && !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_owned());
        }
    }

    /// Keeps the first value of an extra field, within the same kind of cap.
    fn add_extra(&mut self, name: &str, value: impl FnOnce() -> Extra) {
        if self.extras.len() < MAX_EXTRAS && !self.extras.iter().any(|(n, _)| n == name) {
            self.extras.push((name.to_owned(), value()));
        }
    }

    /// Adds what `other` read (a body inside a header, say) to what `self` read.
    pub fn merge(&mut self, other: Fields) {
        for candidate in other.candidates {
            self.add_candidate(candidate);
        }
        self.candidates_dropped += other.candidates_dropped;
        for (name, value) in other.extras {
            self.add_extra(&name, || value);
        }
        for name in &other.names {
            self.note_name(name);
        }
    }

    /// Whether the input had a field of this name in any spelling (`TraceId`, `Trace ID`).
    pub fn has_name(&self, name: &str) -> bool {
        self.names.iter().any(|n| same_name(n, name))
    }

    pub fn extra(&self, name: &str) -> Option<&Extra> {
        self.extras
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// Whether nothing was read that identifies an error: no code, EC or message.
    pub fn is_empty(&self) -> bool {
        !self
            .candidates
            .iter()
            .any(|c| matches!(c.field, Known::Code | Known::Ec | Known::Message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_field_are_one_field() {
        for name in [
            "RequestId",
            "request_id",
            "requestid",
            "Request Id",
            "x-oss-request-id",
        ] {
            assert_eq!(known(name), Some(Known::RequestId), "{name}");
        }
        assert_eq!(known("StringToSign"), None);
    }

    #[test]
    fn values_are_candidates_and_absent_values_are_ignored() {
        let mut f = Fields::default();
        f.add(Source::BareKey, "Code", "None");
        f.add(Source::BareKey, "Code", "NoSuchKey");
        f.add(Source::Element, "code", "Other");
        f.add(Source::BareKey, "Key", "a.txt");
        let codes: Vec<_> = f.candidates.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(codes, ["NoSuchKey", "Other"]);
        assert_eq!(f.extra("key"), Some(&Extra::Text("a.txt".into())));
        assert!(f.has_name("code"));
        assert!(f.has(Known::Code) && !f.is_empty());
    }
}
