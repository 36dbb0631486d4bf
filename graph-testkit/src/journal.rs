//! Every request the emulator received, for tests to assert on.

use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::http::HeaderMap;

/// One received request.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    /// The HTTP method.
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    /// The query as sent, without `?`.
    pub query: Option<String>,
    /// Headers, lower-case names; `authorization` values are redacted to `Bearer <redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
    /// The status the emulator answered with (0: the connection was dropped without one).
    pub status: u16,
}

impl JournalEntry {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::message::header_value(&self.headers, name)
    }

    /// The body as JSON (`Null` when empty or not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

/// The journal of a running emulator.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: Mutex<Vec<JournalEntry>>,
}

impl Journal {
    /// Records one request; `authorization` values are redacted.
    pub fn record(
        &self,
        method: &str,
        path: &str,
        query: Option<String>,
        headers: &HeaderMap,
        body: &[u8],
        status: u16,
    ) {
        let headers = headers
            .iter()
            .map(|(k, v)| {
                let value = if k.as_str().eq_ignore_ascii_case("authorization") {
                    "Bearer <redacted>".to_owned()
                } else {
                    v.to_str().unwrap_or("<binary>").to_owned()
                };
                (k.as_str().to_owned(), value)
            })
            .collect();
        self.entries_mut().push(JournalEntry {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
            status,
        });
    }

    fn entries_mut(&self) -> MutexGuard<'_, Vec<JournalEntry>> {
        // A panic elsewhere leaves whole entries only: keep journaling.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every entry so far.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries_mut().clone()
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.entries_mut().clear();
    }
}
