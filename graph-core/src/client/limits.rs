//! Client-side bounds on load: how many requests are in flight, and how many start per interval.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A token bucket: `burst` requests at once, refilled at `burst` per `interval`.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    burst: f64,
    per_token: Duration,
    state: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    pub(crate) fn new(requests: u32, interval: Duration) -> Self {
        let requests = requests.max(1);
        Self {
            burst: f64::from(requests),
            per_token: interval / requests,
            state: Mutex::new(Bucket {
                tokens: f64::from(requests),
                updated: Instant::now(),
            }),
        }
    }

    /// Waits until a request may start, and takes its token.
    pub(crate) async fn acquire(&self) {
        loop {
            let wait = {
                let Ok(mut bucket) = self.state.lock() else {
                    return;
                };
                let now = Instant::now();
                let refill = now.duration_since(bucket.updated).as_secs_f64()
                    / self.per_token.as_secs_f64().max(f64::MIN_POSITIVE);
                bucket.tokens = (bucket.tokens + refill).min(self.burst);
                bucket.updated = now;
                if bucket.tokens >= 1.0 {
                    bucket.tokens -= 1.0;
                    return;
                }
                self.per_token.mul_f64(1.0 - bucket.tokens)
            };
            tokio::time::sleep(wait).await;
        }
    }
}
