//! The fields an error carries, whatever notation it came in.
//!
//! Every parser (XML, JSON, SDK text, headers) feeds named values through
//! [`Fields::set`], and one alias table decides which known field a name is. That keeps
//! `RequestId`, `request_id`, `requestid`, `Request Id` and `x-oss-request-id` one field.

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

/// Names (compared ignoring ASCII case, `-`, `_` and spaces) that mean a known field.
const ALIASES: &[(&str, Known)] = &[
    ("code", Known::Code),
    ("errorcode", Known::Code),
    ("errcode", Known::Code),
    ("xerrno", Known::Code),
    ("xcoserrorcode", Known::Code),
    ("message", Known::Message),
    ("errormessage", Known::Message),
    ("errormsg", Known::Message),
    ("errmsg", Known::Message),
    ("msg", Known::Message),
    ("requestid", Known::RequestId),
    ("xossrequestid", Known::RequestId),
    ("xcosrequestid", Known::RequestId),
    ("xcirequestid", Known::RequestId),
    ("xacsrequestid", Known::RequestId),
    ("hostid", Known::HostId),
    // The AWS SDKs' name for x-amz-id-2, which S3-compatible stores fill with the
    // HostId (OSS: the bucket's host).
    ("s3extendedrequestid", Known::HostId),
    ("traceid", Known::TraceId),
    ("xcostraceid", Known::TraceId),
    ("ec", Known::Ec),
    ("eccode", Known::Ec),
    ("xossec", Known::Ec),
    ("recommend", Known::Recommend),
    ("recommenddoc", Known::Recommend),
    ("resource", Known::Resource),
    ("status", Known::Status),
    ("statuscode", Known::Status),
    ("httpstatus", Known::Status),
    ("httpstatuscode", Known::Status),
];

/// A name's characters folded for comparison: ASCII lower case without `-`, `_` and spaces.
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .map(|c| c.to_ascii_lowercase())
}

/// Whether two names are the same once folded (`Trace ID` = `traceid`).
fn same_name(a: &str, b: &str) -> bool {
    folded(a).eq(folded(b))
}

/// The known field a name stands for, if any.
pub fn known(name: &str) -> Option<Known> {
    // Folded once into a buffer as long as the longest alias: every header and key of
    // the input comes through here.
    let mut buffer = [0u8; 24];
    let mut len = 0;
    for c in folded(name) {
        if !c.is_ascii() || len == buffer.len() {
            return None;
        }
        buffer[len] = c as u8;
        len += 1;
    }
    let name = &buffer[..len];
    ALIASES
        .iter()
        .find(|(alias, _)| alias.as_bytes() == name)
        .map(|(_, k)| *k)
}

/// A value of an extra field: text, or a group of members (`AccessDeniedDetail`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extra {
    Text(String),
    Group(Vec<(String, String)>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
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

/// Fields whose exact text matters line by line (a string-to-sign to diff against the
/// client's): kept verbatim, surrounding newlines included.
pub const VERBATIM: &[&str] = &["StringToSign", "FormatString", "CanonicalRequest"];

/// Values that mean "nothing here" in SDK output.
fn is_absent(value: &str) -> bool {
    matches!(
        value,
        "" | "null" | "None" | "nil" | "Unknown" | "undefined"
    )
}

impl Fields {
    /// Records a named value; the first value of a known field wins, because the
    /// body is parsed before the headers and the body is the more specific source.
    pub fn set(&mut self, name: &str, value: &str) {
        let verbatim = VERBATIM.iter().any(|v| v.eq_ignore_ascii_case(name));
        let value = if verbatim { value } else { value.trim() };
        self.note_name(name);
        if is_absent(value.trim()) {
            return;
        }
        let slot = match known(name) {
            Some(Known::Status) => {
                if self.status.is_none() {
                    self.status = value.parse().ok().filter(|s| (100..600).contains(s));
                }
                return;
            }
            Some(Known::Code) => &mut self.code,
            Some(Known::Message) => &mut self.message,
            Some(Known::RequestId) => &mut self.request_id,
            Some(Known::HostId) => &mut self.host_id,
            Some(Known::TraceId) => &mut self.trace_id,
            Some(Known::Ec) => &mut self.ec,
            Some(Known::Recommend) => &mut self.recommend,
            Some(Known::Resource) => &mut self.resource,
            None => {
                self.add_extra(name, || Extra::Text(value.to_owned()));
                return;
            }
        };
        if slot.is_none() {
            *slot = Some(value.to_owned());
        }
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

    /// Fills what `self` lacks from `other` (a body inside a header, say).
    pub fn merge(&mut self, other: Fields) {
        let fill = |a: &mut Option<String>, b: Option<String>| {
            if a.is_none() {
                *a = b;
            }
        };
        fill(&mut self.code, other.code);
        fill(&mut self.message, other.message);
        fill(&mut self.request_id, other.request_id);
        fill(&mut self.host_id, other.host_id);
        fill(&mut self.trace_id, other.trace_id);
        fill(&mut self.ec, other.ec);
        fill(&mut self.recommend, other.recommend);
        fill(&mut self.resource, other.resource);
        self.status = self.status.or(other.status);
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

    pub fn is_empty(&self) -> bool {
        self.code.is_none() && self.ec.is_none() && self.message.is_none()
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
    fn first_value_wins_and_absent_values_are_ignored() {
        let mut f = Fields::default();
        f.set("Code", "None");
        f.set("Code", "NoSuchKey");
        f.set("code", "Other");
        f.set("Key", "a.txt");
        assert_eq!(f.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(f.extra("key"), Some(&Extra::Text("a.txt".into())));
        assert!(f.has_name("code"));
    }

    #[test]
    fn status_must_be_an_http_status() {
        let mut f = Fields::default();
        f.set("status", "-2");
        assert_eq!(f.status, None);
        f.set("StatusCode", "403");
        assert_eq!(f.status, Some(403));
    }
}
