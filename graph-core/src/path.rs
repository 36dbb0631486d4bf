//! Building a request path from literal pieces and percent-encoded segments.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{Error, Result};

/// Everything but RFC 3986 unreserved characters is encoded in a path segment, so an id can
/// never add a segment (`/`), start a query (`?`) or fragment (`#`), or smuggle an escape (`%`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A value that can stand in a URL path segment: typed ids (`graph_id!` implements it) and
/// plain strings. The value is the raw text; the client percent-encodes it as one segment.
pub trait PathSegment {
    /// The raw (not yet percent-encoded) segment.
    fn path_segment(&self) -> &str;
}

impl PathSegment for str {
    fn path_segment(&self) -> &str {
        self
    }
}

impl PathSegment for String {
    fn path_segment(&self) -> &str {
        self
    }
}

impl<T: PathSegment + ?Sized> PathSegment for &T {
    fn path_segment(&self) -> &str {
        (**self).path_segment()
    }
}

/// A piece of a path: fixed text from the template, or a caller's value.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'a> {
    /// Template text, used as is.
    Literal(&'static str),
    /// A value for a placeholder: its name (for errors) and the raw value.
    Segment(&'static str, &'a str),
    /// A value inside OData key quotes `('…')`: single quotes are doubled first.
    QuotedSegment(&'static str, &'a str),
}

/// Joins the pieces into an encoded path; an empty value is an error before anything is sent.
///
/// ```
/// use graphwire_core::path::{Piece, build_path};
/// let path = build_path(&[Piece::Literal("/users/"), Piece::Segment("userId", "a/b c")]).unwrap();
/// assert_eq!(path, "/users/a%2Fb%20c");
/// ```
pub fn build_path(pieces: &[Piece<'_>]) -> Result<String> {
    let mut path = String::with_capacity(128);
    for piece in pieces {
        match *piece {
            Piece::Literal(text) => path.push_str(text),
            Piece::Segment(name, value) => {
                check_not_empty(name, value)?;
                path.extend(utf8_percent_encode(value, SEGMENT));
            }
            Piece::QuotedSegment(name, value) => {
                check_not_empty(name, value)?;
                let doubled = value.replace('\'', "''");
                path.extend(utf8_percent_encode(&doubled, SEGMENT));
            }
        }
    }
    Ok(path)
}

fn check_not_empty(name: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        Err(Error::invalid(
            name,
            "an id must not be empty (it would address the parent collection)",
        ))
    } else if value == "." || value == ".." {
        // URL parsers resolve these (even percent-encoded) as dot segments, so the request
        // would address another resource.
        Err(Error::invalid(
            name,
            format!("an id of `{value}` cannot be sent as a path segment"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_non_ascii() {
        let path = build_path(&[
            Piece::Literal("/a/"),
            Piece::Segment("id", "x/y?z#w%v u-é._~"),
            Piece::Literal("/b"),
        ])
        .unwrap();
        assert_eq!(path, "/a/x%2Fy%3Fz%23w%25v%20u-%C3%A9._~/b");
    }

    #[test]
    fn doubles_quotes_in_key_syntax() {
        let path = build_path(&[
            Piece::Literal("/users('"),
            Piece::QuotedSegment("id", "o'brien"),
            Piece::Literal("')"),
        ])
        .unwrap();
        assert_eq!(path, "/users('o%27%27brien')");
    }

    #[test]
    fn dot_segments_are_rejected() {
        for id in [".", ".."] {
            let err =
                build_path(&[Piece::Literal("/p/"), Piece::Segment("policyId", id)]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid argument `policyId`: an id of `{id}` cannot be sent as a path segment"
                )
            );
        }
        assert!(build_path(&[Piece::Segment("id", "...")]).is_ok());
    }

    #[test]
    fn empty_id_is_rejected() {
        let err = build_path(&[Piece::Literal("/p/"), Piece::Segment("policyId", "")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument `policyId`: an id must not be empty (it would address the parent collection)"
        );
    }
}
