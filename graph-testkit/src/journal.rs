//! Every request the emulator received, for tests to assert on.

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
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when empty or not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}
