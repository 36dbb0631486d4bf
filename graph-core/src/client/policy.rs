//! Caller-supplied steps in the pipeline: add headers, log, measure.

/// A step callers add to every request, run after the client's own headers are set and
/// before the token is attached.
pub trait RequestPolicy: Send + Sync + std::fmt::Debug {
    /// Adjusts the request (add a header, …) before each attempt is sent.
    fn on_request(&self, request: &mut reqwest::Request);

    /// Observes each response status before retries are decided.
    fn on_response(&self, _status: u16, _headers: &reqwest::header::HeaderMap) {}
}
