//! A response with its body read: what endpoint return types decode, and the Graph error
//! body parsed out of a non-2xx one.

use std::time::SystemTime;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{Error, Result, ServiceError};
use crate::retry::GaveUp;
use crate::retry::signals::parse_retry_after;

/// A response with its body read: status, headers and body bytes. [`FromResponse`]
/// implementations decode it into an endpoint's return type.
///
/// [`FromResponse`]: crate::FromResponse
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// Why an answer the retry policy retries was not sent again (the error then says).
    pub(crate) gave_up: Option<GaveUp>,
}

impl RawResponse {
    /// A response from its parts (for tests and custom transports).
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers,
            body: body.into(),
            gave_up: None,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// True for `204 No Content` or a body of only white space.
    pub fn has_no_body(&self) -> bool {
        self.status == StatusCode::NO_CONTENT || self.body.iter().all(u8::is_ascii_whitespace)
    }
}

impl RawResponse {
    /// The answer as `Ok` for 2xx, or the Graph error it carries.
    pub fn error_for_status(self) -> Result<Self> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(Error::from(self.service_error()))
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Parses Graph's error body leniently (any case of `innerError`, HTML, empty).
    pub fn service_error(&self) -> ServiceError {
        let json: Option<serde_json::Value> = serde_json::from_slice(&self.body).ok();
        let error = json
            .as_ref()
            .and_then(|j| j.get("error"))
            .and_then(|e| e.as_object());
        let text = |key: &str| {
            error
                .and_then(|e| e.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let inner_error = error.and_then(|e| {
            e.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("innererror"))
                .map(|(_, v)| v.clone())
        });
        let inner_text = |keys: &[&str]| {
            inner_error.as_ref().and_then(|inner| {
                keys.iter()
                    .find_map(|k| inner.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
            })
        };
        // Graph's own text too: an error may echo what was sent.
        let excerpt = crate::redact::quote_bytes(&self.body, 512);
        ServiceError {
            status: self.status.as_u16(),
            code: text("code"),
            message: crate::redact::quote(&text("message"), 4096),
            request_id: self
                .header("request-id")
                .or_else(|| inner_text(&["request-id", "requestId"])),
            client_request_id: self
                .header("client-request-id")
                .or_else(|| inner_text(&["client-request-id", "clientRequestId"])),
            date: self.header("date").or_else(|| inner_text(&["date"])),
            retry_after: self
                .header("retry-after")
                .and_then(|v| parse_retry_after(&v, SystemTime::now())),
            inner_error,
            body_excerpt: excerpt,
            gave_up: self.gave_up,
        }
    }
}

impl ServiceError {
    /// Parses an error answer's body as the client does: Graph's `error` object (any case of
    /// `innerError`), or an HTML or empty page kept as an excerpt.
    ///
    /// ```
    /// let e = graphwire_core::ServiceError::from_body(
    ///     404,
    ///     br#"{"error":{"code":"ResourceNotFound","message":"Resource not found"}}"#,
    /// );
    /// assert_eq!((e.status, e.code.as_str()), (404, "ResourceNotFound"));
    /// ```
    pub fn from_body(status: u16, body: &[u8]) -> Self {
        RawResponse::new(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            HeaderMap::new(),
            Bytes::copy_from_slice(body),
        )
        .service_error()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::HeaderValue;

    use super::*;

    fn raw(status: u16, body: &str, headers: &[(&'static str, &str)]) -> RawResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        RawResponse::new(StatusCode::from_u16(status).unwrap(), map, body.to_owned())
    }

    #[test]
    fn throttled_vector_becomes_a_service_error() {
        let body = include_str!("../../graph-intune/vectors/error.throttled.response.json");
        let e = raw(429, body, &[("retry-after", "2.5")]).service_error();
        assert_eq!(e.status, 429);
        assert_eq!(e.code, "TooManyRequests");
        assert_eq!(
            e.message,
            "Too many requests from this application for this tenant."
        );
        assert_eq!(
            e.request_id.as_deref(),
            Some("6b2cbb2b-0c8b-4a8f-9a4b-7f0b3b0f2a11")
        );
        assert_eq!(e.date.as_deref(), Some("2026-11-28T13:00:00"));
        assert_eq!(e.retry_after, Some(Duration::from_millis(2500)));
        assert_eq!(
            e.to_string(),
            "Graph answered 429 TooManyRequests: Too many requests from this application for this tenant. (request-id 6b2cbb2b-0c8b-4a8f-9a4b-7f0b3b0f2a11)"
        );
    }

    #[test]
    fn html_and_empty_bodies() {
        let e = raw(502, "<html><body>Bad Gateway</body></html>", &[]).service_error();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("", ""));
        assert_eq!(
            e.to_string(),
            "Graph answered 502: body `<html><body>Bad Gateway</body></html>`"
        );
        let e = raw(500, "", &[("request-id", "r-1")]).service_error();
        assert_eq!(
            e.to_string(),
            "Graph answered 500 with an empty body (request-id r-1)"
        );
    }

    #[test]
    fn lowercase_innererror_and_header_ids_win() {
        let body = r#"{"error":{"code":"itemNotFound","message":"gone","innererror":{"requestId":"old","date":"2021-01-01T00:00:00"}}}"#;
        let e = raw(
            404,
            body,
            &[("request-id", "hdr"), ("client-request-id", "c-1")],
        )
        .service_error();
        assert_eq!(e.request_id.as_deref(), Some("hdr"));
        assert_eq!(e.client_request_id.as_deref(), Some("c-1"));
        assert_eq!(e.date.as_deref(), Some("2021-01-01T00:00:00"));
        assert!(e.inner_error.is_some());
    }
}
