//! How an endpoint form of `catalog/endpoints.tsv` (`{service}.{region}.aliyuncs.com`)
//! reads the calling service from a host: shared by build.rs, which checks each form's
//! example with it, and the report, so the two cannot read a form differently.

/// The `{service}` of `form` in `host`: the shortest that lets the rest of the form
/// match, each placeholder standing for letters, digits and `-`.
pub fn service<'h>(form: &str, host: &'h str) -> Option<&'h str> {
    let (before, after) = form.split_once("{service}")?;
    let host = host.strip_prefix(before)?;
    (1..=host.len())
        .take_while(|&n| is_label(host.as_bytes()[n - 1]))
        .find(|&n| rest_matches(after, &host[n..]))
        .map(|n| &host[..n])
}

/// Whether `host` has the rest of a form, whose placeholders are `{...}`.
fn rest_matches(form: &str, host: &str) -> bool {
    let Some(open) = form.find('{') else {
        return form == host;
    };
    let Some(host) = host.strip_prefix(&form[..open]) else {
        return false;
    };
    let after = form[open..]
        .find('}')
        .map_or("", |close| &form[open + close + 1..]);
    (1..=host.len())
        .take_while(|&n| is_label(host.as_bytes()[n - 1]))
        .any(|n| rest_matches(after, &host[n..]))
}

/// A byte of a placeholder: slicing only after such bytes keeps to char boundaries.
fn is_label(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
}
