//! How a server message is compared with a catalog literal, shared by build.rs (which
//! sorts the literals by it) and the catalog's look-ups, so the two cannot drift.

/// `message` folded: trimmed, without a final period, in lower case, with hyphens read
/// as spaces (OSS writes `Query-string authentication`, SDKs and docs `Query string`).
pub fn message_key(message: &str) -> String {
    message
        .trim()
        .trim_end_matches('.')
        .trim_end()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '-' { ' ' } else { c })
        .collect()
}
