//! Every request the emulator received, for tests to assert on.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::http::HeaderMap;

/// One received request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JournalEntry {
    /// Its place in the journal: 1 for the first request, counting on after a clear.
    pub seq: u64,
    /// The HTTP method.
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    /// The query as sent, without `?`.
    pub query: Option<String>,
    /// Headers, lower-case names; `authorization` values are redacted to `Bearer <redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body as text, cut to [`JournalLimits::max_body_bytes`].
    pub body: String,
    /// How long the body was, in bytes, before it was cut.
    pub body_bytes: usize,
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

/// How much of what it received the emulator keeps: the newest entries, each body cut to a
/// prefix, so a long-running emulator stays small (the defaults hold under about 50 MiB:
/// 32 MiB of bodies and the headers of 10,000 entries).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct JournalLimits {
    /// The most entries kept; the oldest go first. Default: 10,000.
    pub max_entries: usize,
    /// The most bytes of one request's body kept; the rest is cut
    /// ([`JournalEntry::body_bytes`] says how long it was). Default: 64 KiB.
    pub max_body_bytes: usize,
    /// The most body bytes kept across all entries; the oldest entries go first. Default:
    /// 32 MiB.
    pub max_total_body_bytes: usize,
}

impl Default for JournalLimits {
    fn default() -> Self {
        Self {
            max_entries: 10_000,
            max_body_bytes: 64 << 10,
            max_total_body_bytes: 32 << 20,
        }
    }
}

/// The journal of a running emulator: the newest entries within its limits.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    limits: JournalLimits,
    entries: VecDeque<JournalEntry>,
    /// Body bytes held by `entries`.
    body_total: usize,
    /// The sequence number of the last entry recorded (0 before any).
    last_seq: u64,
}

impl Journal {
    pub fn new(limits: JournalLimits) -> Self {
        Self {
            kept: Mutex::new(Kept {
                limits,
                ..Kept::default()
            }),
        }
    }

    /// Records one request; `authorization` values are redacted, the body is cut to the
    /// limit, and the oldest entries go when there are too many.
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
        let mut kept = self.kept_mut();
        let cut = &body[..body.len().min(kept.limits.max_body_bytes)];
        let entry_body = String::from_utf8_lossy(cut).into_owned();
        kept.last_seq += 1;
        kept.body_total += entry_body.len();
        let entry = JournalEntry {
            seq: kept.last_seq,
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body: entry_body,
            body_bytes: body.len(),
            status,
        };
        kept.entries.push_back(entry);
        while kept.entries.len() > kept.limits.max_entries
            || kept.body_total > kept.limits.max_total_body_bytes
        {
            let Some(oldest) = kept.entries.pop_front() else {
                break;
            };
            kept.body_total -= oldest.body.len();
        }
    }

    fn kept_mut(&self) -> MutexGuard<'_, Kept> {
        // A panic elsewhere leaves whole entries only: keep journaling.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every entry kept, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.kept_mut().entries.iter().cloned().collect()
    }

    /// The newest `n` entries, oldest first.
    pub fn last(&self, n: usize) -> Vec<JournalEntry> {
        let kept = self.kept_mut();
        let skip = kept.entries.len().saturating_sub(n);
        kept.entries.iter().skip(skip).cloned().collect()
    }

    /// The entries recorded after sequence number `seq`, oldest first.
    pub fn since(&self, seq: u64) -> Vec<JournalEntry> {
        self.kept_mut()
            .entries
            .iter()
            .filter(|e| e.seq > seq)
            .cloned()
            .collect()
    }

    /// Forgets every entry (sequence numbers go on from where they were).
    pub fn clear(&self) {
        let mut kept = self.kept_mut();
        kept.entries.clear();
        kept.body_total = 0;
    }
}
