//! Knowledge is data: no string literal in `src/` outside its tests names a vendor, a
//! product, a header, a host suffix, a `Server` value, a URL fragment or an SDK marker
//! that `catalog/` knows. Adding a vendor must stay a change to `catalog/` alone.
//!
//! The tokens come from the catalog itself, so a row added there is guarded at once.

use std::fs;
use std::path::Path;

/// Rows of a catalog TSV file: comments and the header row left out.
fn rows(file: &str) -> Vec<Vec<String>> {
    let text = fs::read_to_string(Path::new("catalog").join(file)).unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Everything the catalog says about who sent an error, lower-cased. Ids shorter than
/// five letters (`oss`, `ci`, `api`) are ordinary words inside other literals, so only
/// longer ones count; header names and markers count whatever their length.
fn knowledge() -> Vec<String> {
    let mut tokens = Vec::new();
    for row in rows("vendors.tsv") {
        if row[1].len() >= 5 {
            tokens.push(row[1].clone());
        }
        tokens.push(row[3].clone());
    }
    let evidence = [
        "header",
        "header-prefix",
        "server",
        "host-suffix",
        "host-prefix",
        "host-contains",
        "url-contains",
        "sdk-marker",
        "named",
        "key-prefix",
        "message",
    ];
    for row in rows("signals.tsv") {
        if evidence.contains(&row[0].as_str()) {
            tokens.push(row[1].clone());
        }
    }
    for row in rows("names.tsv") {
        if row[1].to_ascii_lowercase().starts_with("x-") {
            tokens.push(row[1].clone());
        }
    }
    let mut tokens: Vec<String> = tokens
        .into_iter()
        .map(|t| t.trim_matches('.').to_ascii_lowercase())
        .filter(|t| t.len() >= 4 && t != "-")
        .collect();
    tokens.sort();
    tokens.dedup();
    tokens
}

/// The string literals of Rust source, with their line numbers: plain, raw and byte
/// strings. Comments and char literals are skipped, so a `'"'` opens nothing.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let b = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    let line_at = |at: usize| source[..at].matches('\n').count() + 1;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = source[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = source[i + 2..]
                    .find("*/")
                    .map_or(b.len(), |n| i + 2 + n + 2);
            }
            b'\'' => {
                // A char literal ('x', '\'', '\u{..}') or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    i = source[i + 2..]
                        .find('\'')
                        .map_or(b.len(), |n| i + 2 + n + 1);
                } else if let Some(c) = source[i + 1..].chars().next() {
                    let after = i + 1 + c.len_utf8();
                    i = if b.get(after) == Some(&b'\'') {
                        after + 1
                    } else {
                        i + 1
                    };
                } else {
                    i += 1;
                }
            }
            b'r' if !is_ident(b, i) && matches!(b.get(i + 1), Some(b'"' | b'#')) => {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let open = i + 1 + hashes;
                if b.get(open) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let end = source[open + 1..]
                    .find(&close)
                    .map_or(b.len(), |n| open + 1 + n);
                found.push((line_at(i), source[open + 1..end].to_owned()));
                i = end + close.len();
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                found.push((line_at(i), source[i + 1..j.min(b.len())].to_owned()));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// Whether the byte before `at` continues an identifier (`bar"` is not a raw string).
fn is_ident(b: &[u8], at: usize) -> bool {
    at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_')
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn src_names_no_vendor_header_host_or_marker() {
    let tokens = knowledge();
    assert!(
        tokens.len() > 100,
        "the catalog gave only {} tokens",
        tokens.len()
    );
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let mut offences = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        // Each file keeps its unit tests last, under `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (line, literal) in string_literals(code) {
            let lower = literal.to_ascii_lowercase();
            if let Some(token) = tokens.iter().find(|t| lower.contains(t.as_str())) {
                offences.push(format!(
                    "{}:{line}: {token:?} in {literal:?}",
                    file.display()
                ));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "move these to catalog/ (or the help text to doc/):\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_lexer_skips_comments_and_char_literals() {
    let source =
        "let q = '\"'; // \"x-oss-ec\"\nlet s = r#\"a\"b\"#; let t = \"c\\\"d\"; 'a: loop {}";
    let found: Vec<String> = string_literals(source)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(found, ["a\"b", "c\\\"d"]);
}
