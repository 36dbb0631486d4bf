//! The one retry engine: a policy ([`RetryPolicy`]), what an answer says
//! ([`signals`]: retryable, not processed, `Retry-After`), which answers a caller retries
//! ([`Classifier`], one per kind of caller, as smithy-rs gives each operation one), and the
//! count of one call's retries ([`Retries`]). The pipeline, the `$batch` items, IMDS and the
//! Win32 block uploads all retry through it.

mod policy;
pub(crate) mod signals;

pub(crate) use policy::effective;
pub use policy::{DEFAULT_DEADLINE, RetryPolicy, WriteRetry, with_retry_policy};

use std::time::Duration;

use tokio::time::Instant;

use std::fmt;

/// Why a call that Graph answered with a status the retry policy retries was not sent again.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GaveUp {
    /// Every retry the policy allows was made.
    RetriesUsed {
        /// Attempts made, the first one included.
        attempts: u32,
    },
    /// The wait Graph asked for is longer than the policy's longest.
    WaitOverCap {
        /// The wait asked for (`Retry-After`, or the backoff).
        wait: Duration,
        /// The policy's longest wait ([`RetryPolicy::with_max_delay`](crate::RetryPolicy::with_max_delay)).
        cap: Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// The wait would end past the call's deadline.
    PastDeadline {
        /// The wait asked for.
        wait: Duration,
        /// Attempts made.
        attempts: u32,
    },
}

/// "1 attempt", "4 attempts".
fn attempts_text(attempts: u32) -> String {
    if attempts == 1 {
        "1 attempt".into()
    } else {
        format!("{attempts} attempts")
    }
}

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RetriesUsed { attempts } => write!(
                f,
                "the retry policy's retries are used up ({})",
                attempts_text(*attempts)
            ),
            Self::WaitOverCap {
                wait,
                cap,
                attempts,
            } => write!(
                f,
                "the wait asked for ({wait:?}) is longer than the retry policy's longest ({cap:?}), after {}",
                attempts_text(*attempts)
            ),
            Self::PastDeadline { wait, attempts } => write!(
                f,
                "a wait of {wait:?} would end past the call's deadline, after {}",
                attempts_text(*attempts)
            ),
        }
    }
}

/// Which answers a kind of caller sends again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Classifier {
    /// Graph: 429, 503 and 504 ([`signals::is_retryable_status`]).
    Graph,
    /// Blob storage behind a link the service handed out (a Win32 app's content, a report's
    /// export): also 500, 502 and 408, which Azure Storage answers while it recovers.
    Storage,
    /// A managed identity endpoint (IMDS): also 404 and 410, which it answers while the
    /// identity is being set up, and every 5xx, as Azure Identity retries it.
    Imds,
}

impl Classifier {
    /// True when an answer of `status` is sent again.
    pub(crate) fn retries(self, status: u16) -> bool {
        match self {
            Self::Graph => signals::is_retryable_status(status),
            Self::Storage => {
                signals::is_retryable_status(status) || matches!(status, 408 | 500 | 502)
            }
            Self::Imds => matches!(status, 404 | 410 | 429 | 500..=599),
        }
    }
}

/// Retry bookkeeping for one call (or one `$batch` item, or one IMDS request): how many
/// retries were made, and whether another may be. The one place retries are counted.
pub(crate) struct Retries {
    policy: RetryPolicy,
    made: u32,
    /// The call's deadline: no wait is begun that would end after it. It moves later by the
    /// time the call waits its turns in the pacing.
    pub(crate) deadline: Option<Instant>,
}

impl Retries {
    /// No retries made yet, under `policy`, within `deadline`.
    pub(crate) fn new(policy: RetryPolicy, deadline: Option<Instant>) -> Self {
        Self {
            policy,
            made: 0,
            deadline,
        }
    }

    /// The policy these retries are counted under.
    pub(crate) fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Retries made so far.
    pub(crate) fn made(&self) -> u32 {
        self.made
    }

    /// The wait before the next retry, counting it; why not when the policy allows no more
    /// (all retries made, a wait longer than its cap, or one that would end past the
    /// deadline).
    pub(crate) fn next(&mut self, retry_after: Option<Duration>) -> Result<Duration, GaveUp> {
        let attempts = self.made + 1;
        if self.made >= self.policy.max_retries() {
            return Err(GaveUp::RetriesUsed { attempts });
        }
        let wait = self.policy.delay(self.made + 1, retry_after);
        if wait > self.policy.max_delay() {
            tracing::warn!(?wait, "wait exceeds the retry cap; giving up");
            return Err(GaveUp::WaitOverCap {
                wait,
                cap: self.policy.max_delay(),
                attempts,
            });
        }
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() + wait >= deadline)
        {
            tracing::warn!(?wait, "wait would end past the call's deadline; giving up");
            return Err(GaveUp::PastDeadline { wait, attempts });
        }
        self.made += 1;
        Ok(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn no_wait_begins_that_would_end_past_the_deadline() {
        let seconds = Duration::from_secs;
        let mut retries = Retries {
            policy: RetryPolicy::default().with_max_retries(10),
            made: 0,
            deadline: Some(Instant::now() + seconds(25)),
        };
        assert_eq!(retries.next(Some(seconds(10))), Ok(seconds(10)));
        tokio::time::advance(seconds(10)).await;
        assert_eq!(retries.next(Some(seconds(10))), Ok(seconds(10)));
        tokio::time::advance(seconds(10)).await;
        // At 20 s, a 10 s wait would end at 30 s, past the 25 s deadline: not begun.
        assert_eq!(
            retries.next(Some(seconds(10))),
            Err(GaveUp::PastDeadline {
                wait: seconds(10),
                attempts: 3
            })
        );
        assert_eq!(retries.made, 2);
        // A shorter one still fits.
        assert_eq!(retries.next(Some(seconds(4))), Ok(seconds(4)));
        // Without a deadline, only the count and the cap bound the waits.
        let mut unbounded = Retries {
            policy: RetryPolicy::default(),
            made: 0,
            deadline: None,
        };
        assert_eq!(unbounded.next(Some(seconds(179))), Ok(seconds(179)));
        assert_eq!(
            unbounded.next(Some(seconds(181))),
            Err(GaveUp::WaitOverCap {
                wait: seconds(181),
                cap: seconds(180),
                attempts: 2
            }),
            "over the 180 s cap"
        );
        // Three retries made: the fourth answer ends the call.
        let mut used = Retries {
            policy: RetryPolicy::default(),
            made: 3,
            deadline: None,
        };
        assert_eq!(
            used.next(Some(seconds(1))),
            Err(GaveUp::RetriesUsed { attempts: 4 })
        );
    }

    #[test]
    fn each_caller_retries_its_own_statuses() {
        let retried = |classifier: Classifier| {
            [404, 408, 410, 429, 500, 502, 503, 504]
                .into_iter()
                .filter(|status| classifier.retries(*status))
                .collect::<Vec<_>>()
        };
        assert_eq!(retried(Classifier::Graph), [429, 503, 504]);
        assert_eq!(retried(Classifier::Storage), [408, 429, 500, 502, 503, 504]);
        assert_eq!(
            retried(Classifier::Imds),
            [404, 410, 429, 500, 502, 503, 504]
        );
    }
}
