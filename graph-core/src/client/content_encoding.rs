//! Compressed answers: the client asks for gzip and decodes it itself, after the body limit.
//!
//! Graph compresses list pages well, so every call says `Accept-Encoding: gzip`. The body is
//! read whole anyway (the JSON is decoded from one buffer), so inflating that buffer here
//! costs nothing at run time and spares every build reqwest's streaming decoder stack
//! (async-compression, tower-http's decompression layer, tokio-util). The decoded size has its
//! own limit, so a small compressed answer cannot expand without bound.

use std::io::Read;
use std::sync::Arc;

use bytes::Bytes;
use flate2::read::MultiGzDecoder;
use reqwest::header::{self, HeaderMap, HeaderValue};

use crate::error::{Error, Result};

/// The `Accept-Encoding` every call sends.
pub(crate) const ACCEPTED: HeaderValue = HeaderValue::from_static("gzip");

/// The body as the server meant it: inflated when it came gzip-encoded, untouched otherwise.
/// Once inflated, `Content-Encoding` and `Content-Length` no longer describe the body and
/// are removed from `headers`.
pub(crate) fn decode(headers: &mut HeaderMap, body: Bytes, limit: usize) -> Result<Bytes> {
    let Some(encoding) = headers.get(header::CONTENT_ENCODING) else {
        return Ok(body);
    };
    let Ok(encoding) = encoding.to_str() else {
        return Err(corrupt(
            "the answer's Content-Encoding is not text; only gzip was accepted".to_owned(),
        ));
    };
    let encoding = encoding.trim();
    if encoding.is_empty() || encoding.eq_ignore_ascii_case("identity") {
        return Ok(body);
    }
    if !(encoding.eq_ignore_ascii_case("gzip") || encoding.eq_ignore_ascii_case("x-gzip")) {
        return Err(corrupt(format!(
            "the answer is encoded as `{encoding}`; only gzip was accepted"
        )));
    }
    // A HEAD answer, a 204 or a 304 may name the encoding of a body they do not carry.
    let decoded = if body.is_empty() {
        body
    } else {
        inflate(&body, limit)?
    };
    headers.remove(header::CONTENT_ENCODING);
    headers.remove(header::CONTENT_LENGTH);
    Ok(decoded)
}

/// Inflates a gzip body (one or more members), stopping with an error past `limit` bytes.
fn inflate(compressed: &[u8], limit: usize) -> Result<Bytes> {
    let mut decoded = Vec::with_capacity(compressed.len().saturating_mul(4).min(limit));
    let allowed = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    MultiGzDecoder::new(compressed)
        .take(allowed)
        .read_to_end(&mut decoded)
        .map_err(|e| {
            corrupt(format!(
                "the gzip-encoded answer could not be inflated: {e}"
            ))
        })?;
    if decoded.len() > limit {
        return Err(Error::BodyTooLarge { limit });
    }
    Ok(Bytes::from(decoded))
}

/// A body that did not arrive as sent: as the transport's own failures are, once sent.
fn corrupt(reason: String) -> Error {
    Error::Transport {
        sent: true,
        source: Arc::new(std::io::Error::new(std::io::ErrorKind::InvalidData, reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Bytes {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(data).unwrap();
        Bytes::from(encoder.finish().unwrap())
    }

    fn encoded(encoding: &str, length: usize) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_ENCODING, encoding.parse().unwrap());
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        headers
    }

    #[test]
    fn gzip_answers_are_inflated_and_lose_their_encoding_headers() {
        let body = gzip(br#"{"value":[]}"#);
        let mut headers = encoded("GZIP", body.len());
        let decoded = decode(&mut headers, body, 1024).unwrap();
        assert_eq!(&decoded[..], br#"{"value":[]}"#);
        assert_eq!(headers.get(header::CONTENT_ENCODING), None);
        assert_eq!(headers.get(header::CONTENT_LENGTH), None);
        assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    }

    #[test]
    fn concatenated_members_are_one_body() {
        let mut both = gzip(b"{\"a\":").to_vec();
        both.extend_from_slice(&gzip(b"1}"));
        let decoded = decode(&mut encoded("x-gzip", both.len()), both.into(), 1024).unwrap();
        assert_eq!(&decoded[..], b"{\"a\":1}");
    }

    #[test]
    fn plain_and_identity_answers_are_untouched() {
        let mut plain = HeaderMap::new();
        plain.insert(header::CONTENT_LENGTH, HeaderValue::from(2));
        let decoded = decode(&mut plain, Bytes::from_static(b"{}"), 1).unwrap();
        assert_eq!(
            &decoded[..],
            b"{}",
            "the limit applied when the body was read"
        );
        assert_eq!(plain[header::CONTENT_LENGTH], "2");
        let mut identity = encoded("identity", 2);
        assert_eq!(
            &decode(&mut identity, Bytes::from_static(b"{}"), 1024).unwrap()[..],
            b"{}"
        );
        assert_eq!(identity[header::CONTENT_ENCODING], "identity");
    }

    #[test]
    fn an_empty_body_that_names_gzip_is_empty() {
        let decoded = decode(&mut encoded("gzip", 0), Bytes::new(), 1024).unwrap();
        assert!(decoded.is_empty());
    }

    #[test]
    fn a_body_that_inflates_past_the_limit_is_refused() {
        let bomb = gzip(&vec![b' '; 1 << 20]);
        assert!(bomb.len() < 4096, "{}", bomb.len());
        let error = decode(&mut encoded("gzip", bomb.len()), bomb.clone(), 1 << 16).unwrap_err();
        assert!(
            matches!(error, Error::BodyTooLarge { limit } if limit == 1 << 16),
            "{error:?}"
        );
        let exact = decode(&mut encoded("gzip", bomb.len()), bomb, 1 << 20).unwrap();
        assert_eq!(exact.len(), 1 << 20, "exactly the limit is allowed");
    }

    #[test]
    fn broken_gzip_is_a_transport_error_that_says_so() {
        let mut body = gzip(br#"{"value":[]}"#).to_vec();
        body.truncate(body.len() - 6);
        let error = decode(&mut encoded("gzip", body.len()), body.into(), 1024).unwrap_err();
        assert!(
            matches!(error, Error::Transport { sent: true, .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().starts_with(
                "transport error (after sending): the gzip-encoded answer could not be inflated: "
            ),
            "{error}"
        );
        let garbage = decode(&mut encoded("gzip", 3), Bytes::from_static(b"{}\n"), 1024)
            .unwrap_err()
            .to_string();
        assert!(garbage.contains("could not be inflated"), "{garbage}");
    }

    #[test]
    fn an_encoding_that_was_not_asked_for_is_named() {
        let error = decode(
            &mut encoded("br", 4),
            Bytes::from_static(b"\x0b\x01\x80{"),
            1024,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "transport error (after sending): the answer is encoded as `br`; only gzip was accepted"
        );
        let mut opaque = HeaderMap::new();
        opaque.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_bytes(b"gz\xffip").unwrap(),
        );
        let error = decode(&mut opaque, Bytes::from_static(b"{}"), 1024).unwrap_err();
        assert_eq!(
            error.to_string(),
            "transport error (after sending): the answer's Content-Encoding is not text; only gzip was accepted"
        );
    }
}
