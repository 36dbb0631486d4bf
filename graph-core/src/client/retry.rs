//! When and how long to wait before trying again.

use std::time::Duration;

/// Retries of throttled (429) and unavailable (503, 504) answers, and of connection failures
/// on idempotent methods.
///
/// `Retry-After` is honoured as seconds (fractional too) or an HTTP-date; without it the wait
/// grows exponentially from `base_delay`, with ±20 % jitter. A wait longer than `max_delay`
/// is not waited: the error is returned instead.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

/// The most retries a policy may ask for.
pub const MAX_RETRIES: u32 = 10;

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(180),
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
        crate::retry_signals::is_retryable_status(status)
    }

    /// The wait before retry number `retry` (1-based): `Retry-After` if given, else backoff.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        retry_after.unwrap_or_else(|| {
            let exponent = retry.saturating_sub(1).min(16);
            let base = self.base_delay.saturating_mul(1 << exponent);
            base.mul_f64(0.8 + fastrand::f64() * 0.4)
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
///     // client.intune().device_compliance_policy_user_status_overview_update(…).await
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
    fn retries_are_capped_at_ten() {
        assert_eq!(
            RetryPolicy::default().with_max_retries(50).max_retries(),
            10
        );
        assert_eq!(RetryPolicy::default().max_retries(), 3);
    }
}
