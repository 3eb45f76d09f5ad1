//! Everything errdecode says on stderr goes through here.
//!
//! `eprintln!` panics when stderr cannot be written (a full disk, `2>/dev/full`, a
//! closed descriptor), and with `panic = "abort"` that is SIGABRT instead of the
//! documented exit status. A diagnostic that cannot be shown is not worth more than
//! the exit status that still reports the outcome, so these functions drop write
//! errors. The crate denies `clippy::print_stderr`, so nothing bypasses them.

use std::fmt;
use std::io::{self, Write};

/// Writes `errdecode: ` + `args` + a newline to stderr, as one write, ignoring errors.
pub fn say(args: fmt::Arguments<'_>) {
    let line = format!("errdecode: {args}\n");
    raw(&line);
}

/// Writes `text` to stderr exactly as given (no prefix, no newline), ignoring errors:
/// for a progress line redrawn in place.
pub fn raw(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// `say!("no match for {code}")`: [`say`] with `format!` arguments.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::diag::say(::std::format_args!($($arg)*))
    };
}
