//! How a server message is compared with a catalog literal, shared by build.rs (which
//! sorts the literals by it) and the catalog's look-ups, so the two cannot drift.

/// `message` folded: trimmed, without a final period, in lower case, with hyphens read
/// as spaces (OSS writes `Query-string authentication`, SDKs and docs `Query string`).
pub fn message_key(message: &str) -> String {
    let trimmed = trimmed(message);
    // Lower-casing ASCII is a byte copy; most messages are ASCII.
    let lower = if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else {
        trimmed.to_lowercase()
    };
    if lower.contains('-') {
        lower.replace('-', " ")
    } else {
        lower
    }
}

/// Whether `a` and `b` have the same [`message_key`], without building either when
/// both are ASCII (a look-up compares one message with several literals).
#[allow(dead_code)] // build.rs only sorts by the key
pub fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (trimmed(a), trimmed(b));
    if !(a.is_ascii() && b.is_ascii()) {
        return message_key(a) == message_key(b);
    }
    let fold = |c: u8| {
        if c == b'-' {
            b' '
        } else {
            c.to_ascii_lowercase()
        }
    };
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| fold(x) == fold(y))
}

fn trimmed(message: &str) -> &str {
    message.trim().trim_end_matches('.').trim_end()
}
