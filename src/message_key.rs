//! How a server message is compared with a catalog literal, shared by build.rs (which
//! sorts the literals by it) and the catalog's look-ups, so the two cannot drift.

/// `message` folded: trimmed, without a final period, in lower case, with hyphens read
/// as spaces (OSS writes `Query-string authentication`, SDKs and docs `Query string`).
pub fn message_key(message: &str) -> String {
    let trimmed = message.trim().trim_end_matches('.').trim_end();
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
