//! Sliding-window throttling per tenant and per app, with `Retry-After`.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

use crate::config::Throttling;

#[derive(Default)]
pub struct Throttle {
    /// Request times per (scope key).
    windows: HashMap<String, VecDeque<Instant>>,
    /// 429s sent so far.
    pub throttled: u64,
}

impl Throttle {
    /// Admits a request, or says how long to wait. A request that is refused is not counted,
    /// so a retry that comes too early is refused again.
    pub fn admit(
        &mut self,
        limits: &Throttling,
        tenant: &str,
        app: &str,
        write: bool,
        now: Instant,
    ) -> Result<(), Duration> {
        let mut checks = vec![
            (format!("any|{tenant}"), limits.tenant_any),
            (format!("any|{tenant}|{app}"), limits.app_any),
        ];
        if write {
            checks.push((format!("write|{tenant}"), limits.tenant_writes));
            checks.push((format!("write|{tenant}|{app}"), limits.app_writes));
        }
        let mut wait = Duration::ZERO;
        for (key, limit) in &checks {
            let window = self.windows.entry(key.clone()).or_default();
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= limits.window)
            {
                window.pop_front();
            }
            if window.len() >= *limit as usize
                && let Some(oldest) = window.front()
            {
                wait = wait.max(limits.window.saturating_sub(now.duration_since(*oldest)));
            }
        }
        if wait > Duration::ZERO {
            self.throttled += 1;
            return Err(wait);
        }
        for (key, _) in checks {
            self.windows.entry(key).or_default().push_back(now);
        }
        Ok(())
    }
}
