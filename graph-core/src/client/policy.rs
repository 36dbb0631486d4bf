//! Caller-supplied steps in the pipeline: add headers, log, measure.

use std::sync::Arc;
use std::time::Duration;

/// A step callers add to every request, run after the client's own headers are set and
/// before the token is attached.
pub trait RequestPolicy: Send + Sync + std::fmt::Debug {
    /// Adjusts the request (add a header, …) before each attempt is sent.
    fn on_request(&self, request: &mut reqwest::Request);

    /// Observes each response status before retries are decided.
    fn on_response(&self, _status: u16, _headers: &reqwest::header::HeaderMap) {}

    /// Observes each retry as its wait begins: the status that caused it, the wait, the
    /// attempt that failed (for metrics and alerts on throttling).
    fn on_retry(&self, _retry: &RetryEvent<'_>) {}
}

/// A retry about to wait, as [`RequestPolicy::on_retry`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryEvent<'a> {
    /// The call's operation (`managed_devices.list`, `raw`, `nextLink`, `$batch`).
    pub operation: &'a str,
    /// The answer's status (429, 503, …); `None` when the attempt got no whole answer (a
    /// failed connection, a timeout, a body cut off in transit).
    pub status: Option<u16>,
    /// How long the client waits before the next attempt (the server's `Retry-After`, or the
    /// policy's backoff).
    pub delay: Duration,
    /// The attempt that failed: 1 for the first send.
    pub attempt: u32,
}

/// Tells every caller policy of a retry about to wait: the one place the hook is called, for a
/// call's retries and a `$batch` item's alike.
pub(crate) fn tell_retry(policies: &[Arc<dyn RequestPolicy>], retry: &RetryEvent<'_>) {
    for policy in policies {
        policy.on_retry(retry);
    }
}
