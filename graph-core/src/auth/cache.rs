//! One token cache for every credential: refresh ahead of expiry, one request in flight.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::AuthError;
use crate::secret::Secret;

/// Wraps a credential so that concurrent callers share one token and one refresh.
#[derive(Debug)]
pub struct TokenCache {
    credential: Arc<dyn TokenCredential>,
    /// Held across the fetch: callers that arrive during a refresh wait for it (single flight).
    current: Mutex<Option<AccessToken>>,
    refresh_margin: Duration,
}

impl TokenCache {
    /// A cache that refreshes `refresh_margin` before a token expires.
    pub fn new(credential: Arc<dyn TokenCredential>, refresh_margin: Duration) -> Self {
        Self {
            credential,
            current: Mutex::new(None),
            refresh_margin,
        }
    }

    /// A valid token: the cached one, or a new one fetched once for every waiting caller.
    pub async fn token(&self, request: TokenRequest<'_>) -> Result<Secret, AuthError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref() {
            let fresh = token
                .expires_at
                .is_none_or(|at| Instant::now() + self.refresh_margin < at);
            if fresh {
                return Ok(token.token.clone());
            }
        }
        let token = self.credential.get_token(request).await?;
        let secret = token.token.clone();
        *current = Some(token);
        Ok(secret)
    }

    /// Forgets `rejected` (Graph answered 401 to it), unless a newer token already replaced it.
    pub async fn invalidate(&self, rejected: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| &t.token == rejected) {
            *current = None;
        }
    }
}
