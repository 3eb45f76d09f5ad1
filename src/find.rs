//! Finding catalog entries by the words of their code, message, meaning or fix, in
//! English or Chinese: `errdecode search`, and the suggestions for a Chinese sentence
//! that names no code.
//!
//! People search in their own words, not the catalog's: "signature expired" should
//! also find a meaning that says "signed" and "expires". So a word that appears
//! nowhere as typed may still match by its stem (see [`stem`]), ranked below a
//! literal hit. Ranking: the code equal to the query first, then entries with more
//! words in the code, then more literal hits, then hits in the more telling field
//! (message, then meaning, then fix); ties keep catalog order.

use std::cmp::Reverse;

use crate::catalog::{ENTRIES, Entry};
use crate::lookup::Scope;

/// Entries in `scope` that contain every word, best first. Each argument may hold
/// several words (`search "signature expired"`).
pub fn search(words: &[String], scope: Scope) -> Vec<&'static Entry> {
    let query: Vec<String> = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .map(str::to_lowercase)
        .collect();
    if query.is_empty() {
        return Vec::new();
    }
    let whole = words.join(" ");
    let mut ranked: Vec<(Rank, &'static Entry)> = ENTRIES
        .iter()
        .filter(|e| scope.allows(e))
        .filter_map(|e| rank(e, &query, &whole).map(|r| (r, e)))
        .collect();
    // Stable, so equal ranks keep catalog order.
    ranked.sort_by_key(|(rank, _)| Reverse(*rank));
    ranked.into_iter().map(|(_, e)| e).collect()
}

/// Where a word was found, weakest first; the discriminant is its weight in the rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Hit {
    Stem = 0,
    Fix = 1,
    Meaning = 2,
    Message = 3,
    Code = 4,
}

/// Compared field by field, so it orders entries exactly as the module doc says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    code_is_query: bool,
    words_in_code: usize,
    literal_hits: usize,
    weight: u32,
}

/// `None` unless every word of `query` (lower-cased) hits the entry.
fn rank(e: &Entry, query: &[String], whole: &str) -> Option<Rank> {
    // English and Chinese alike, whatever the output language: a query finds an entry
    // in the words it was typed in. Chinese has no spaces, so its words hit by
    // substring, as every word here does.
    let literals = e.literals().map(|m| (Hit::Message, m));
    let fields: Vec<(Hit, String)> = std::iter::once((Hit::Code, e.code()))
        .chain(literals)
        .chain(
            e.texts()
                .map(|(meaning, text)| (if meaning { Hit::Meaning } else { Hit::Fix }, text)),
        )
        .map(|(hit, text)| (hit, text.to_lowercase()))
        .collect();
    let mut rank = Rank {
        code_is_query: e.code().eq_ignore_ascii_case(whole),
        words_in_code: 0,
        literal_hits: 0,
        weight: 0,
    };
    for word in query {
        let literal = fields
            .iter()
            .find(|(_, text)| text.contains(word.as_str()))
            .map(|(hit, _)| *hit);
        let hit = literal.or_else(|| {
            let stem = stem(word)?;
            fields
                .iter()
                .any(|(_, text)| has_word_starting(text, stem))
                .then_some(Hit::Stem)
        })?;
        rank.words_in_code += usize::from(hit == Hit::Code);
        rank.literal_hits += usize::from(hit != Hit::Stem);
        rank.weight += hit as u32;
    }
    Some(rank)
}

/// A word without a common English ending (`signature` → `sign`, `expired` →
/// `expir`), or `None` when what is left would be too short to mean anything.
fn stem(word: &str) -> Option<&str> {
    const SUFFIXES: [&str; 6] = ["ature", "ation", "ing", "ed", "es", "s"];
    const MIN_STEM: usize = 4;
    SUFFIXES
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .filter(|stem| stem.chars().count() >= MIN_STEM)
}

/// Whether some word of `text` starts with `prefix`; "sign" matches "signed" but not
/// "assigned".
fn has_word_starting(text: &str, prefix: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(words: &[&str]) -> Vec<&'static str> {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        search(&words, Scope::default())
            .into_iter()
            .map(|e| e.code())
            .collect()
    }

    #[test]
    fn signature_expired_finds_every_product_spelling() {
        let found = codes(&["signature", "expired"]);
        for code in ["-46619", "SignatureExpired", "InvalidTimeStampExpired"] {
            assert!(found.contains(&code), "{code} missing from {found:?}");
        }
    }

    #[test]
    fn code_hits_rank_first() {
        let found = codes(&["signature", "expired"]);
        assert_eq!(found.first(), Some(&"SignatureExpired"));
    }

    #[test]
    fn the_code_itself_ranks_first_and_case_does_not_matter() {
        assert_eq!(codes(&["nosuchkey"]).first(), Some(&"NoSuchKey"));
        assert_eq!(codes(&["-46619"]).first(), Some(&"-46619"));
    }

    #[test]
    fn chinese_words_hit_by_substring_in_any_output_language() {
        let found = codes(&["签名", "过期"]);
        for code in [
            "-46619",
            "SignatureExpired",
            "AuthFailure.SignatureExpire",
            "1014",
        ] {
            assert!(found.contains(&code), "{code} missing from {found:?}");
        }
        assert!(codes(&["签名", "龘"]).is_empty());
        // A Chinese server literal is found whatever the output language.
        assert!(codes(&["请检查您的签名计算"]).contains(&"AuthFailure.SignatureFailure"));
    }

    #[test]
    fn every_word_must_hit() {
        assert!(codes(&["signature", "zzzzzz"]).is_empty());
        assert!(codes(&[]).is_empty());
    }

    #[test]
    fn stems_match_word_starts_only() {
        assert_eq!(stem("signature"), Some("sign"));
        assert_eq!(stem("keys"), None);
        assert!(has_word_starting("replay signed requests", "sign"));
        assert!(!has_word_starting("was assigned", "sign"));
    }

    #[test]
    fn scope_narrows() {
        let scope = Scope {
            vendor: None,
            product: Some(crate::catalog::Product::Cos),
        };
        let words = ["signature".to_owned(), "expired".to_owned()];
        let found = search(&words, scope);
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|e| e.product == crate::catalog::Product::Cos)
        );
    }
}
