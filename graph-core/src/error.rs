//! Errors: one enum that says whether the request was sent and whether a retry is safe.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::cloud::NationalCloud;

/// The result of a Graph call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a Graph call can fail with. Cheap to clone: one failed `$batch` request hands
/// the same error to every call it carried.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub enum Error {
    /// An argument was unusable; nothing was sent.
    InvalidArgument {
        /// The parameter's name.
        argument: String,
        /// What was wrong and what was expected.
        reason: String,
    },
    /// The endpoint does not exist in the configured national cloud; nothing was sent.
    NotAvailableInCloud {
        /// The operation (method name).
        operation: &'static str,
        /// The configured cloud.
        cloud: NationalCloud,
        /// The clouds that have it.
        available: String,
    },
    /// No token could be had; nothing was sent to Graph.
    Auth(AuthError),
    /// The client refused to send (host not allowed, plain http, a redirect it will not follow).
    Refused {
        /// Where it would have gone (without query).
        url: String,
        /// Why not.
        reason: String,
    },
    /// The connection failed; `source` is the HTTP stack's error, with its own causes.
    Transport {
        /// Whether the request may have reached the server.
        sent: bool,
        /// What failed (the HTTP stack's error, without the URL).
        source: Arc<dyn std::error::Error + Send + Sync>,
    },
    /// The call took longer than one of its time limits.
    #[non_exhaustive]
    Timeout {
        /// The limit that ran out: how long it was.
        after: Duration,
        /// Which limit it was: one attempt's, or the whole call's deadline.
        limit: TimeoutLimit,
        /// Attempts started by the time it ran out (the first one included).
        attempts: u32,
    },
    /// Graph answered with an error status.
    Service(Box<ServiceError>),
    /// A request that may create something twice (a POST, or a `$batch` holding one) got an
    /// answer that does not say it was not processed (504, or 503 without `Retry-After`):
    /// the write may have been applied, so it was not sent again. Check before repeating it;
    /// [`RetryPolicy::with_write_retry`](crate::RetryPolicy::with_write_retry) opts back in.
    WriteMaybeApplied(Box<ServiceError>),
    /// Paging stopped before the last page: the service's `@odata.nextLink` led back to a
    /// page already read, or the caller's cap on pages or items was reached.
    Paging(PagingStop),
    /// Graph answered 2xx, but the body did not match the declared type.
    Decode(crate::DecodeError),
    /// A call inside [`GraphClient::batch`](crate::GraphClient::batch) could not take part in
    /// the batch, or the batch ended before answering it.
    Batch {
        /// Whether the call may have reached Graph.
        sent: bool,
        /// What happened.
        reason: String,
    },
    /// The response body was larger than the configured limit.
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
}

impl Error {
    /// True when the request may have reached Graph (so a non-idempotent call may have happened).
    pub fn was_sent(&self) -> bool {
        match self {
            Self::InvalidArgument { .. }
            | Self::NotAvailableInCloud { .. }
            | Self::Auth(_)
            | Self::Refused { .. } => false,
            Self::Transport { sent, .. } | Self::Batch { sent, .. } => *sent,
            Self::Timeout { .. }
            | Self::Service(_)
            | Self::WriteMaybeApplied(_)
            | Self::Decode(_)
            | Self::Paging(_)
            | Self::BodyTooLarge { .. } => true,
        }
    }

    /// True when repeating the same call later may succeed: transport failures, timeouts, and
    /// the statuses the retry policy repeats ([`is_retryable_status`](crate::is_retryable_status)).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } | Self::Timeout { .. } => true,
            Self::Service(e) => crate::retry::signals::is_retryable_status(e.status),
            _ => false,
        }
    }

    /// The Graph error, when Graph answered with one.
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) | Self::WriteMaybeApplied(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn invalid(argument: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            argument: argument.into(),
            reason: reason.into(),
        }
    }
}

// Display, Error and From are written out rather than derived: thiserror's proc macro was
// the only one the error types needed, and build time is a feature.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidArgument { argument, reason } => {
                write!(f, "invalid argument `{argument}`: {reason}")
            }
            Self::NotAvailableInCloud {
                operation,
                cloud,
                available,
            } => write!(
                f,
                "`{operation}` is not available in the {cloud} cloud; it is available in: {available}"
            ),
            Self::Auth(e) => e.fmt(f),
            Self::Refused { url, reason } => write!(f, "refused to send to {url}: {reason}"),
            Self::Transport { sent, source } => {
                let when = if *sent {
                    "after sending"
                } else {
                    "before sending"
                };
                write!(f, "transport error ({when}): {source}")
            }
            Self::Timeout {
                after,
                limit: TimeoutLimit::Attempt,
                attempts,
            } => write!(
                f,
                "timed out after {after:?} (the per-attempt timeout) on attempt {attempts}"
            ),
            Self::Timeout {
                after,
                limit: TimeoutLimit::Call,
                attempts,
            } => write!(
                f,
                "timed out after {after:?} (the call's deadline) after {attempts} attempt{}",
                if *attempts == 1 { "" } else { "s" }
            ),
            Self::Service(e) => e.fmt(f),
            Self::WriteMaybeApplied(e) => write!(
                f,
                "{e}; the write may have been applied, so it was not sent again (not safe to retry: check before repeating it)"
            ),
            Self::Paging(stop) => stop.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::Batch { reason, .. } => write!(f, "$batch: {reason}"),
            Self::BodyTooLarge { limit } => {
                write!(f, "response body exceeds the limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent variants stand for their inner error: its causes are theirs.
            Self::Auth(e) => e.source(),
            Self::Service(e) | Self::WriteMaybeApplied(e) => e.source(),
            Self::Decode(e) => e.source(),
            Self::Transport { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        Self::Auth(e)
    }
}

impl From<crate::DecodeError> for Error {
    fn from(e: crate::DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Self::Service(Box::new(e))
    }
}

/// Which time limit a [`Error::Timeout`] hit.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutLimit {
    /// One attempt (connect, send, answer and body) took longer than the client's
    /// [`timeout`](crate::GraphClientBuilder::timeout).
    Attempt,
    /// The whole call, every attempt and wait included, passed the retry policy's
    /// [`deadline`](crate::RetryPolicy::with_deadline).
    Call,
}

/// Why paging stopped before the last page ([`Error::Paging`]).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingStop {
    /// `@odata.nextLink` pointed to a page already read in this listing: following it would
    /// never end.
    Loop {
        /// The link (without its query, which may carry filters).
        next_link: String,
        /// Pages read before it.
        pages: usize,
    },
    /// The next page would pass the cap set with [`Pages::max_pages`](crate::Pages::max_pages).
    MaxPages(usize),
    /// The items read would pass the cap set with [`Pages::max_items`](crate::Pages::max_items).
    MaxItems(usize),
}

impl fmt::Display for PagingStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Loop { next_link, pages } => write!(
                f,
                "paging stopped after {pages} pages: @odata.nextLink {next_link} leads to a page already read in this listing"
            ),
            Self::MaxPages(cap) => write!(
                f,
                "paging stopped: the listing has more than {cap} pages, the cap set with max_pages"
            ),
            Self::MaxItems(cap) => write!(
                f,
                "paging stopped: the listing has more than {cap} items, the cap set with max_items"
            ),
        }
    }
}

/// An error answer from Graph: status, Graph's `code` and `message`, and the ids support asks for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The HTTP status.
    pub status: u16,
    /// Graph's error code (`itemNotFound`, `TooManyRequests`, …); may be empty or contain spaces.
    pub code: String,
    /// Graph's message for developers; do not branch on it.
    pub message: String,
    /// The `request-id` header (or `innerError.request-id`).
    pub request_id: Option<String>,
    /// The `client-request-id` the client sent, as echoed.
    pub client_request_id: Option<String>,
    /// The `Date` header (or `innerError.date`).
    pub date: Option<String>,
    /// The `Retry-After` wait, when given.
    pub retry_after: Option<Duration>,
    /// `innerError`, as sent.
    pub inner_error: Option<serde_json::Value>,
    /// The start of the body (at most 512 characters), for HTML or empty error pages.
    pub body_excerpt: String,
    /// For a status the retry policy retries (429, 503, 504): why the call was not sent
    /// again, and after how many attempts.
    pub gave_up: Option<crate::retry::GaveUp>,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph answered {}", self.status)?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        } else if !self.body_excerpt.is_empty() {
            write!(
                f,
                ": body `{}`",
                self.body_excerpt.chars().take(120).collect::<String>()
            )?;
        } else {
            f.write_str(" with an empty body")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request-id {id})")?;
        }
        if let Some(gave_up) = &self.gave_up {
            write!(f, "; not sent again: {gave_up}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// A failure to get a token. Never contains the secret or the token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AuthError {
    /// What went wrong, including the identity platform's `error` and `error_description`.
    pub message: String,
    /// The OAuth error code (`invalid_client`, `authorization_pending`, …), when one was returned.
    pub oauth_error: Option<String>,
    /// The token endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// The credential is not set up where this runs (no environment variables, no managed
    /// identity endpoint, no Azure CLI), as opposed to set up and refused: a chain such as
    /// [`DefaultAzureCredential`](crate::auth::DefaultAzureCredential) tries the next one.
    pub unavailable: bool,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "authentication failed: {}", self.message)
    }
}

impl std::error::Error for AuthError {}

impl AuthError {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            oauth_error: None,
            status: None,
            unavailable: false,
        }
    }

    /// The credential is not set up where this runs (see [`AuthError::unavailable`]).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            unavailable: true,
            ..Self::new(message)
        }
    }
}

/// A response body that does not match the declared type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    property: Option<String>,
    message: String,
}

impl DecodeError {
    /// The member at `property` (`None`: the body as a whole) was wrong, as `message` says.
    pub(crate) fn at(property: Option<String>, message: String) -> Self {
        // The decoder's text can quote a value of the body, which may be a secret.
        Self {
            property,
            message: crate::redact::quote(&message, 2000),
        }
    }

    pub(crate) fn body(message: String) -> Self {
        Self::at(None, message)
    }

    /// A body that does not have the shape a reader of it expects (for readers outside the
    /// generic decoder, such as a report table's).
    pub fn new(message: impl Into<String>) -> Self {
        Self::body(message.into())
    }

    /// The path of the property that failed (`pendingCount`, `value[3].id`), if known.
    pub fn property(&self) -> Option<&str> {
        self.property.as_deref()
    }

    /// What was wrong, as the JSON decoder put it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::error::Error for DecodeError {}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.property {
            Some(property) => write!(
                f,
                "property `{property}` could not be decoded: {}",
                self.message
            ),
            None => write!(f, "response body could not be decoded: {}", self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn messages_and_causes() {
        let auth = Error::from(AuthError::new(
            "token endpoint answered 401: invalid_client",
        ));
        assert_eq!(
            auth.to_string(),
            "authentication failed: token endpoint answered 401: invalid_client"
        );
        assert!(auth.source().is_none());
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let transport = Error::Transport {
            sent: true,
            source: Arc::new(io),
        };
        assert_eq!(
            transport.to_string(),
            "transport error (after sending): reset by peer"
        );
        assert_eq!(transport.source().unwrap().to_string(), "reset by peer");
        let decode = Error::from(DecodeError::body("expected `{`".into()));
        assert_eq!(
            decode.to_string(),
            "response body could not be decoded: expected `{`"
        );
        let timeout = Error::Timeout {
            after: Duration::from_secs(3),
            limit: TimeoutLimit::Attempt,
            attempts: 4,
        };
        assert_eq!(
            timeout.to_string(),
            "timed out after 3s (the per-attempt timeout) on attempt 4"
        );
        let deadline = Error::Timeout {
            after: Duration::from_secs(60),
            limit: TimeoutLimit::Call,
            attempts: 1,
        };
        assert_eq!(
            deadline.to_string(),
            "timed out after 60s (the call's deadline) after 1 attempt"
        );
    }
}
