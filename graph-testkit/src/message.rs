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

/// A Graph error answer.
pub fn error(status: u16, code: &str, message: &str) -> EmuResponse {
    let date = httpdate::fmt_http_date(SystemTime::now());
    EmuResponse::json(
        status,
        json!({"error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": date,
                "request-id": uuid::Uuid::new_v4().to_string(),
            }
        }}),
    )
}

/// A header's value in a list of `(name, value)` pairs, by case-insensitive name.
pub fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
