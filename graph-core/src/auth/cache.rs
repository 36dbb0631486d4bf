//! One token cache for every credential: refresh ahead of expiry, one request in flight.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::store::{StoredToken, TokenStore};
use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::AuthError;
use crate::secret::Secret;

/// A token, when it expires on the runtime's clock, and the margin before that at which it
/// is refreshed.
#[derive(Debug)]
struct Cached {
    token: Secret,
    expires_at: Option<Instant>,
    margin: Duration,
}

impl Cached {
    /// Refreshed `refresh_margin` before expiry, or halfway through a lifetime shorter than
    /// twice the margin: a token living 60 s under a 5-minute margin would otherwise be
    /// stale on arrival and fetched again for every call. The system-clock expiry becomes a
    /// runtime instant now, as the token arrives (so tokio's paused clock drives refreshes).
    fn new(token: AccessToken, refresh_margin: Duration) -> Self {
        let lifetime = token.expires_at.map(|at| {
            at.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO)
        });
        let now = Instant::now();
        Self {
            token: token.token,
            expires_at: lifetime.map(|left| now.checked_add(left).unwrap_or(now)),
            margin: refresh_margin.min(lifetime.unwrap_or(Duration::MAX) / 2),
        }
    }

    fn fresh(&self) -> bool {
        self.expires_at
            .is_none_or(|at| Instant::now() + self.margin < at)
    }
}

/// Wraps a credential so that concurrent callers share one token and one refresh.
///
/// A token is refreshed `refresh_margin` before it expires, or halfway through its lifetime
/// when that is shorter than twice the margin.
#[derive(Debug)]
pub struct TokenCache {
    credential: Arc<dyn TokenCredential>,
    /// Held across the fetch: callers that arrive during a refresh wait for it (single flight).
    current: Mutex<Option<Cached>>,
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
        if let Some(cached) = current.as_ref().filter(|c| c.fresh()) {
            return Ok(cached.token.clone());
        }
        let key = self.store.as_ref().map(|_| self.store_key(&request));
        if let (Some(store), Some(key)) = (&self.store, &key)
            && let Some(stored) = store.load(key).await
        {
            let cached = Cached::new(
                AccessToken {
                    token: stored.token,
                    expires_at: Some(stored.expires_at),
                },
                self.refresh_margin,
            );
            if cached.fresh() {
                let secret = cached.token.clone();
                *current = Some(cached);
                return Ok(secret);
            }
        }
        let token = self.credential.get_token(request).await?;
        if let (Some(store), Some(key), Some(expires_at)) = (&self.store, &key, token.expires_at) {
            let stored = StoredToken {
                token: token.token.clone(),
                expires_at,
            };
            store.save(key, stored).await;
        }
        let secret = token.token.clone();
        *current = Some(Cached::new(token, self.refresh_margin));
        Ok(secret)
    }

    /// Forgets `rejected` (Graph answered 401 to it), unless a newer token already replaced it.
    pub async fn invalidate(&self, rejected: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|c| &c.token == rejected) {
            *current = None;
        }
    }
}
