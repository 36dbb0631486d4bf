//! Client-side bounds on load: how many requests are in flight, and how many start per interval.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// At most `limit` request starts in any sliding `interval`: the same shape as Graph's
/// documented limits ("100 requests per 20 seconds"), so a client configured just under a
/// limit is never throttled for bursts a token bucket would allow.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: usize,
    interval: Duration,
    /// Start times within the last interval, oldest first. Held across the wait, so callers
    /// queue in order.
    starts: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32, interval: Duration) -> Self {
        Self {
            limit: limit.max(1) as usize,
            interval,
            starts: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits until `count` requests may start (a `$batch` counts its items), and records
    /// their start. A count over the limit waits for an empty window and takes all of it.
    pub(crate) async fn acquire(&self, count: u32) {
        let count = (count.max(1) as usize).min(self.limit);
        let mut starts = self.starts.lock().await;
        loop {
            let now = Instant::now();
            while starts
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.interval)
            {
                starts.pop_front();
            }
            if starts.len() + count <= self.limit {
                starts.extend(std::iter::repeat_n(now, count));
                return;
            }
            // The start that must leave the window for `count` more to fit.
            if let Some(blocking) = starts.get(starts.len() + count - self.limit - 1) {
                tokio::time::sleep_until(*blocking + self.interval).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_batch_takes_as_many_starts_as_it_holds_requests() {
        let limiter = RateLimiter::new(5, Duration::from_secs(1));
        let start = Instant::now();
        // Three, then three more: the second three wait for the first to leave the window.
        limiter.acquire(3).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(3).await;
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        // A `$batch` of 20 under a limit of 5 takes the whole window when it is empty.
        limiter.acquire(20).await;
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        limiter.acquire(1).await;
        assert_eq!(start.elapsed(), Duration::from_secs(3));
    }
}
