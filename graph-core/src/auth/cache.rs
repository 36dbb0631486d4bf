//! One token cache for every credential: refresh ahead of expiry, one request in flight.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::store::{StoredToken, TokenStore};
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
    store: Option<Arc<dyn TokenStore>>,
}

impl TokenCache {
    /// A cache that refreshes `refresh_margin` before a token expires.
    pub fn new(credential: Arc<dyn TokenCredential>, refresh_margin: Duration) -> Self {
        Self {
            credential,
            current: Mutex::new(None),
            refresh_margin,
            store: None,
        }
    }

    /// Also keeps tokens in `store`, across processes.
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    fn fresh(&self, token: &AccessToken) -> bool {
        token
            .expires_at
            .is_none_or(|at| Instant::now() + self.refresh_margin < at)
    }

    /// The store key: authority, credential and scopes (never a secret).
    fn store_key(&self, request: &TokenRequest<'_>) -> String {
        format!(
            "{}|{}|{}",
            request.authority,
            self.credential.cache_key(),
            request.scopes.join(" ")
        )
    }

    /// A valid token: the cached one, or a new one fetched once for every waiting caller.
    pub async fn token(&self, request: TokenRequest<'_>) -> Result<Secret, AuthError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| self.fresh(t)) {
            return Ok(token.token.clone());
        }
        let key = self.store.as_ref().map(|_| self.store_key(&request));
        if let (Some(store), Some(key)) = (&self.store, &key)
            && let Some(stored) = store.load(key).await
        {
            let left = stored
                .expires_at
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            let token = AccessToken {
                token: stored.token,
                expires_at: Some(Instant::now() + left),
            };
            if self.fresh(&token) {
                let secret = token.token.clone();
                *current = Some(token);
                return Ok(secret);
            }
        }
        let token = self.credential.get_token(request).await?;
        if let (Some(store), Some(key), Some(at)) = (&self.store, &key, token.expires_at) {
            let expires_at = SystemTime::now() + at.saturating_duration_since(Instant::now());
            let stored = StoredToken {
                token: token.token.clone(),
                expires_at,
            };
            store.save(key, stored).await;
        }
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
