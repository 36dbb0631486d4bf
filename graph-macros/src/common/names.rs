//! Naming: Rust and Graph spellings of one name, and "did you mean" suggestions.

// The JSON-name, argument-name and variant-name rules live in graphwire-naming, shared with
// the generator, so a generated declaration and the macro agree on every name.
pub use graphwire_naming::{field_wire_name, placeholder_argument, variant_wire_name};

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ", did you mean `x`?" or nothing.
pub fn suggestion(word: &str, candidates: &[&str]) -> String {
    did_you_mean(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let old = row[j + 1];
            row[j + 1] = (old + 1).min(row[j] + 1).min(prev + usize::from(ca != *cb));
            prev = old;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("raed_only", &["read_only", "rename", "secret"]),
            Some("read_only")
        );
        assert_eq!(
            did_you_mean("xyz", &["read_only", "rename", "secret"]),
            None
        );
        assert_eq!(did_you_mean("PATHC", &["PATCH", "POST"]), Some("PATCH"));
    }
}
