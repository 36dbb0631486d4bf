//! A request and an answer as the emulator sees them, independent of HTTP, and Graph's error
//! resource.

use std::time::SystemTime;

use serde_json::{Value, json};

/// A request as the emulator sees it.
#[derive(Debug, Clone)]
pub struct EmuRequest {
    pub method: String,
    /// Percent-encoded, starting with `/v1.0/` or `/beta/`.
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl EmuRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

/// What the emulator answers.
#[derive(Debug, Clone)]
pub struct EmuResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

/// An answer's body.
#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Json(Value),
    Text(String, &'static str),
}

impl EmuResponse {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Json(body),
        }
    }

    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

/// A Graph error answer. Its `innerError` gets the answer's `request-id` and
/// `client-request-id` when the answer is sent ([`stamp_request_ids`]).
pub fn error(status: u16, code: &str, message: &str) -> EmuResponse {
    EmuResponse::json(
        status,
        json!({"error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": inner_error_date(SystemTime::now()),
            }
        }}),
    )
}

/// `innerError.date` as Graph writes it: ISO 8601 in UTC without an offset
/// (`2016-12-31T23:58:21`), which Microsoft's SDKs parse; not an HTTP date.
pub fn inner_error_date(at: SystemTime) -> String {
    let at = time::OffsetDateTime::from(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Writes the ids of the answer an error body travels in into its `innerError`: Graph's
/// header and body name the same request.
pub fn stamp_request_ids(body: &mut Body, request_id: &str, client_request_id: &str) {
    if let Body::Json(Value::Object(answer)) = body
        && let Some(Value::Object(error)) = answer.get_mut("error")
        && let Some(Value::Object(inner)) = error.get_mut("innerError")
    {
        inner.insert("request-id".into(), request_id.into());
        inner.insert("client-request-id".into(), client_request_id.into());
    }
}

/// A header's value in a list of `(name, value)` pairs, by case-insensitive name.
pub fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_error_date_is_iso_8601_without_offset() {
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_483_228_701);
        assert_eq!(inner_error_date(at), "2016-12-31T23:58:21");
    }

    #[test]
    fn error_bodies_carry_the_answer_ids() {
        let mut answer = error(404, "itemNotFound", "gone");
        stamp_request_ids(&mut answer.body, "r-1", "c-1");
        let Body::Json(body) = answer.body else {
            panic!("an error body is JSON");
        };
        let inner = &body["error"]["innerError"];
        assert_eq!(inner["request-id"], "r-1");
        assert_eq!(inner["client-request-id"], "c-1");
        assert_eq!(body["error"]["code"], "itemNotFound");
    }
}
