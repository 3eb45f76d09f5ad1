//! `errdecode search WORDS...`: entries whose code, message, meaning or fix contain
//! every word, ignoring case, best first (ranked as `crate::find` says).

use std::io::{self, Write};

use super::Outcome;
use super::entries::{self, Format};
use crate::lookup::Scope;
use crate::render::sanitize::visible;

pub fn run(
    out: &mut impl Write,
    words: &[String],
    scope: Scope,
    format: Format,
) -> io::Result<Outcome> {
    let found = crate::find::search(words, scope);
    if found.is_empty() {
        // A word can be a pasted secret: quoted only masked.
        let mut redactor = crate::redact::Redactor::default();
        let asked: Vec<String> = words
            .iter()
            .map(|w| {
                let w = redactor.text(w).unwrap_or_else(|| w.clone());
                format!("`{}`", visible(&w))
            })
            .collect();
        crate::say!(
            "{}",
            crate::words::fill(
                crate::words::words().search_found_nothing(),
                &[&asked.join(" ")]
            )
        );
        return Ok(Outcome::NothingFound);
    }
    entries::write(out, &found, format)?;
    Ok(Outcome::Found)
}
