//! Text from outside the client (an answer's body, a local tool's output) as an error quotes
//! it: tokens and secrets taken out, control characters folded, the length bounded. Every
//! place that quotes such text goes through [`quote`], so the promise that no token appears in
//! an error holds in one place (as Azure Identity's `sanitize_output` does for the CLI).

/// What stands in for a secret that was taken out.
pub(crate) const REDACTED: &str = "<redacted>";

/// `text` as an error may quote it: the values of members named like a token, secret,
/// password, assertion, key or signature (`"access_token": "…"`, `client_secret=…`,
/// `Authorization: Bearer …`) and every JWT-shaped word (`eyJ…`) become `<redacted>`; runs of
/// control characters become one space (a line break) or one U+FFFD; the result has at most
/// `max_chars` characters, its last one `…` where the text was cut. Secrets are taken out
/// before the text is cut, so a token cut in half is never shown either.
pub(crate) fn quote(text: &str, max_chars: usize) -> String {
    let redacted = redact_jwts(&redact_members(text));
    let mut out = String::with_capacity(redacted.len().min(max_chars.saturating_mul(4)));
    let mut kept = 0;
    let mut chars = redacted.chars().peekable();
    while let Some(c) = chars.next() {
        if kept == max_chars {
            // One character more than fits: the last kept one gives way to the mark.
            if out.pop().is_some() {
                out.push('…');
            }
            break;
        }
        if c.is_control() {
            let mut layout = matches!(c, '\n' | '\r' | '\t');
            while let Some(next) = chars.next_if(|n| n.is_control()) {
                layout &= matches!(next, '\n' | '\r' | '\t');
            }
            out.push(if layout { ' ' } else { '\u{FFFD}' });
        } else {
            out.push(c);
        }
        kept += 1;
    }
    out
}

/// Bytes from outside, as [`quote`] shows them (invalid UTF-8 as U+FFFD).
pub(crate) fn quote_bytes(bytes: &[u8], max_chars: usize) -> String {
    quote(&String::from_utf8_lossy(bytes), max_chars)
}

/// A member's name that says its value is a secret, in any case and with or without `_`/`-`
/// (`access_token`, `accessToken`, `refresh_token`, `client_secret`, `password`,
/// `client_assertion`, `macKey`, `sig`, `Authorization`).
fn names_a_secret(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    folded.ends_with("token")
        || folded.ends_with("key")
        || folded.contains("secret")
        || folded.contains("password")
        || folded.contains("assertion")
        || folded == "sig"
        || folded == "authorization"
        || folded == "bearer"
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Where an unquoted value ends.
fn ends_unquoted(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'&' | b'}' | b')' | b']' | b'"' | b'\'')
}

/// The values of members named like secrets, in JSON (`"name": "value"`), forms and query
/// strings (`name=value`), headers (`Name: value`) and `Bearer value`.
fn redact_members(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !is_name_byte(bytes[i]) || (i > 0 && is_name_byte(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_name_byte(bytes[i]) {
            i += 1;
        }
        let name = &text[start..i];
        if !names_a_secret(name) {
            continue;
        }
        if let Some((value_start, value_end)) = value_after(bytes, i, name) {
            // All three are ASCII positions, so they are character boundaries.
            out.push_str(&text[copied..value_start]);
            out.push_str(REDACTED);
            copied = value_end;
            i = value_end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The value that follows a secret's name ending at `at`: after an optional closing quote, a
/// `:` or `=` (or, after `Bearer`, a space), and an optional opening quote. An
/// `Authorization` value runs to the end of its line (its scheme, then the credential).
fn value_after(bytes: &[u8], at: usize, name: &str) -> Option<(usize, usize)> {
    let mut j = at;
    if matches!(bytes.get(j), Some(b'"' | b'\'')) {
        j += 1;
    }
    let spaces = |mut k: usize| {
        while matches!(bytes.get(k), Some(b' ' | b'\t')) {
            k += 1;
        }
        k
    };
    let after_spaces = spaces(j);
    if name.eq_ignore_ascii_case("bearer") {
        if after_spaces == j {
            return None;
        }
        j = after_spaces;
    } else {
        j = after_spaces;
        if !matches!(bytes.get(j), Some(b':' | b'=')) {
            return None;
        }
        j = spaces(j + 1);
    }
    let quote = bytes.get(j).copied().filter(|b| matches!(b, b'"' | b'\''));
    let start = j + usize::from(quote.is_some());
    let mut end = start;
    match quote {
        Some(q) => {
            while end < bytes.len() && bytes[end] != q {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            end = end.min(bytes.len());
        }
        None if name.eq_ignore_ascii_case("authorization") => {
            while end < bytes.len() && !matches!(bytes[end], b'\n' | b'\r' | b'"' | b',') {
                end += 1;
            }
        }
        None => {
            while end < bytes.len() && !ends_unquoted(bytes[end]) {
                end += 1;
            }
        }
    }
    (end > start).then_some((start, end))
}

fn is_jwt_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Every word that starts like a JWT's header (`eyJ`, base64url of `{"`) and runs on for at
/// least 16 base64url characters and dots.
fn redact_jwts(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_jwt_byte(bytes[i - 1]);
        if starts_word && bytes[i..].starts_with(b"eyJ") {
            let mut end = i;
            while end < bytes.len() && is_jwt_byte(bytes[end]) {
                end += 1;
            }
            if end - i >= 16 {
                out.push_str(&text[copied..i]);
                out.push_str(REDACTED);
                copied = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJl";

    #[test]
    fn token_members_are_taken_out_in_every_spelling() {
        assert_eq!(
            quote(
                r#"{"access_token": "opaque-1", "expires_in": 3599, "refresh_token":"r2"}"#,
                500
            ),
            r#"{"access_token": "<redacted>", "expires_in": 3599, "refresh_token":"<redacted>"}"#
        );
        assert_eq!(
            quote(
                "client_secret=s3cr3t&client_id=app&client_assertion=abc",
                500
            ),
            "client_secret=<redacted>&client_id=app&client_assertion=<redacted>"
        );
        assert_eq!(
            quote("{'accessToken': 'tok\\'en', 'tokenType': 'Bearer'}", 500),
            "{'accessToken': '<redacted>', 'tokenType': 'Bearer'}"
        );
        assert_eq!(
            quote("Authorization: Bearer abc.def\nnext line", 500),
            "Authorization: <redacted> next line"
        );
        assert_eq!(
            quote("sent Bearer abcdef to x", 500),
            "sent Bearer <redacted> to x"
        );
        assert_eq!(
            quote(
                "https://x.blob.core.windows.net/c?sv=1&sig=AbC%2B&se=2",
                500
            ),
            "https://x.blob.core.windows.net/c?sv=1&sig=<redacted>&se=2"
        );
        // Names that only contain the words are left alone.
        assert_eq!(
            quote(
                r#"{"code":"InvalidAuthenticationToken","tokenType":"x"}"#,
                500
            ),
            r#"{"code":"InvalidAuthenticationToken","tokenType":"x"}"#
        );
    }

    #[test]
    fn jwts_are_taken_out_anywhere() {
        assert_eq!(
            quote(&format!("ERROR: got {JWT} from the cache"), 500),
            "ERROR: got <redacted> from the cache"
        );
        // A JWT cut off by an earlier limit is still a JWT's start.
        assert_eq!(quote(&JWT[..30], 500), "<redacted>");
        // `eyJ` inside a word, or too short to be a token, stays.
        assert_eq!(quote("keyJam eyJshort", 500), "keyJam eyJshort");
    }

    #[test]
    fn control_characters_fold_and_the_length_is_bounded() {
        let nuls = "\0".repeat(300);
        assert_eq!(quote(&format!("bad{nuls}output"), 500), "bad\u{FFFD}output");
        assert_eq!(quote("line one\r\n  line two", 500), "line one   line two");
        assert_eq!(quote("abcdef", 3), "ab…");
        assert_eq!(quote("abcdef", 0), "");
        assert_eq!(quote("abc", 3), "abc");
        // The secret goes before the cut: no half of it is shown.
        assert_eq!(
            quote(r#"{"access_token":"0123456789"}"#, 24),
            r#"{"access_token":"<redac…"#
        );
        assert_eq!(quote_bytes(b"\xff\xfeok", 10), "\u{FFFD}\u{FFFD}ok");
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            "token",
            "token=",
            "token:\"",
            "\"token\": \"\\",
            "Bearer",
            "Bearer ",
            "eyJ",
            "Authorization:",
            "é token=é",
        ] {
            let _ = quote(text, 5);
        }
        assert_eq!(quote("é token=é", 50), "é token=<redacted>");
    }
}
