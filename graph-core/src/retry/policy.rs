//! When and how long to wait before trying again.

use std::time::Duration;

/// Retries of throttled (429) and unavailable (503, 504) answers, and of connection failures
/// on idempotent methods, within one deadline for the whole call.
///
/// `Retry-After` is honoured as seconds (fractional too) or an HTTP-date; without it the wait
/// grows exponentially from `base_delay`, with ±20 % jitter. A wait longer than `max_delay`,
/// or one that would end past the call's deadline, is not waited: the error is returned
/// instead.
///
/// # Writes that may have been applied
///
/// A 429, and a 503 that carries `Retry-After` (Graph's throttling answers), say the request
/// was not processed: any request is sent again after them. A 504, or a 503 without
/// `Retry-After`, may come after the service applied the request. By default a request that
/// could then create something twice — a POST, or a `$batch` holding one — is not sent again
/// after those: the call ends with [`Error::WriteMaybeApplied`](crate::Error::WriteMaybeApplied).
/// GET, PUT, PATCH and DELETE set a state, so repeating them cannot duplicate anything, and
/// they are retried on all three statuses. [`WriteRetry::EvenIfMaybeApplied`] opts back in
/// to what Microsoft's SDKs do (Kiota's retry handler and the Azure SDK retry 429, 503 and
/// 504 for any request whose body they buffered).
///
/// A connection that fails after the request was sent, or an answer cut off, is retried only
/// for GET, HEAD, OPTIONS, PUT and DELETE (RFC 9110's idempotent methods).
///
/// # Time
///
/// Each attempt is bounded by the client's [`timeout`](crate::GraphClientBuilder::timeout)
/// (default 30 s) and the whole call — token, attempts and waits — by the policy's deadline
/// (default 5 minutes). A [`Error::Timeout`](crate::Error::Timeout) says which limit ran
/// out and after how many attempts.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    deadline: Option<Duration>,
    write_retry: WriteRetry,
    /// ±20 % on backoff waits (not on `Retry-After`), so many clients do not retry in step.
    jitter: bool,
}

/// Whether a request that may create something twice is retried after an answer that does
/// not say it was not processed; see [`RetryPolicy`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteRetry {
    /// Retried only after 429, or 503 with `Retry-After` (the default).
    #[default]
    OnlyIfNotProcessed,
    /// Also after 504 and 503 without `Retry-After`, as Microsoft's SDKs do: the service may
    /// apply the write twice.
    EvenIfMaybeApplied,
}

/// The default deadline of one call, every attempt and wait included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(300);

/// The most retries a policy may ask for.
pub const MAX_RETRIES: u32 = 10;

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(180),
            deadline: Some(DEFAULT_DEADLINE),
            write_retry: WriteRetry::default(),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self::default().with_max_retries(0)
    }

    /// At most `retries` retries after the first attempt (capped at 10).
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries.min(MAX_RETRIES);
        self
    }

    /// The first backoff wait when the server gives no `Retry-After`.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single wait; a longer one ends the call with the error.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The most time one call may take, its token, every attempt and every wait included.
    /// Default: 5 minutes ([`DEFAULT_DEADLINE`]).
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// No deadline for the whole call: only the per-attempt timeout, the retry count and the
    /// wait cap bound it.
    ///
    /// Tests on tokio's paused clock that talk to a real server need this (as they need an
    /// HTTP client without timeouts): while the runtime waits on a socket, the paused clock
    /// jumps to the next timer, which would be the deadline.
    pub fn without_deadline(mut self) -> Self {
        self.deadline = None;
        self
    }

    /// Whether a POST (or a `$batch` holding one) is retried after an answer that may come
    /// after it was applied. Default: [`WriteRetry::OnlyIfNotProcessed`].
    pub fn with_write_retry(mut self, write_retry: WriteRetry) -> Self {
        self.write_retry = write_retry;
        self
    }

    /// Backoff waits exactly as doubled, without jitter (IMDS, as Azure Identity waits for it).
    pub(crate) fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// The deadline of one call, if it has one.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// When a call that starts at `start` must end, if it has a deadline (none past what the
    /// clock can count).
    pub(crate) fn deadline_from(
        &self,
        start: tokio::time::Instant,
    ) -> Option<tokio::time::Instant> {
        self.deadline
            .and_then(|deadline| start.checked_add(deadline))
    }

    /// The rule for writes that may have been applied.
    pub fn write_retry(&self) -> WriteRetry {
        self.write_retry
    }

    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The longest single wait.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// True for the statuses worth retrying: see [`is_retryable_status`](crate::is_retryable_status).
    pub fn retries_status(&self, status: u16) -> bool {
        crate::retry::signals::is_retryable_status(status)
    }

    /// The wait before retry number `retry` (1-based): `Retry-After` if given, else backoff.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        retry_after.unwrap_or_else(|| {
            let exponent = retry.saturating_sub(1).min(16);
            let base = self.base_delay.saturating_mul(1 << exponent);
            if self.jitter {
                base.mul_f64(0.8 + fastrand::f64() * 0.4)
            } else {
                base
            }
        })
    }
}

tokio::task_local! {
    static OVERRIDE: RetryPolicy;
}

/// Runs `future` with `policy` in place of the client's retry policy, for the calls it makes.
///
/// ```no_run
/// # async fn run(client: graphwire_core::GraphClient) {
/// use graphwire_core::RetryPolicy;
/// // This one call gives up at once instead of waiting out throttling.
/// let result = graphwire_core::with_retry_policy(RetryPolicy::none(), async {
///     // client.intune().device_compliance_policies().user_status_overview_update(…).await
/// })
/// .await;
/// # }
/// ```
pub async fn with_retry_policy<F: std::future::Future>(
    policy: RetryPolicy,
    future: F,
) -> F::Output {
    OVERRIDE.scope(policy, future).await
}

/// The policy in force: a per-call override, else the client's.
pub(crate) fn effective(client_policy: &RetryPolicy) -> RetryPolicy {
    OVERRIDE
        .try_with(Clone::clone)
        .unwrap_or_else(|_| client_policy.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter() {
        let policy = RetryPolicy::default().with_base_delay(Duration::from_secs(1));
        for retry in 1..=4u32 {
            let nominal = Duration::from_secs(1 << (retry - 1));
            let delay = policy.delay(retry, None);
            assert!(
                delay >= nominal.mul_f64(0.8) && delay <= nominal.mul_f64(1.2),
                "{retry}: {delay:?}"
            );
        }
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(9))),
            Duration::from_secs(9)
        );
    }

    #[test]
    fn defaults_bound_the_call_and_keep_writes_single() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.deadline(), Some(Duration::from_secs(300)));
        assert_eq!(policy.clone().without_deadline().deadline(), None);
        assert_eq!(policy.write_retry(), WriteRetry::OnlyIfNotProcessed);
        let policy = policy
            .with_deadline(Duration::from_secs(20))
            .with_write_retry(WriteRetry::EvenIfMaybeApplied);
        assert_eq!(policy.deadline(), Some(Duration::from_secs(20)));
        assert_eq!(policy.write_retry(), WriteRetry::EvenIfMaybeApplied);
    }

    #[test]
    fn retries_are_capped_at_ten() {
        assert_eq!(
            RetryPolicy::default().with_max_retries(50).max_retries(),
            10
        );
        assert_eq!(RetryPolicy::default().max_retries(), 3);
    }
}
