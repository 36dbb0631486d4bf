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

    /// Waits until a request may start, and records its start.
    pub(crate) async fn acquire(&self) {
        let mut starts = self.starts.lock().await;
        loop {
            let now = Instant::now();
            while starts
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.interval)
            {
                starts.pop_front();
            }
            if starts.len() < self.limit {
                starts.push_back(now);
                return;
            }
            if let Some(oldest) = starts.front() {
                tokio::time::sleep_until(*oldest + self.interval).await;
            }
        }
    }
}
