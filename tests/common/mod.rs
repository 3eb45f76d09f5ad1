//! What the CLI test files share.

/// The caller's settings that would change errdecode's output, removed from every test
/// run: colour, width and terminal, and the locale (a Chinese one makes it Chinese).
pub const CALLER_SETTINGS: &[&str] = &[
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "TERM",
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
];
