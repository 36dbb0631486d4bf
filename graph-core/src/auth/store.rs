//! Persistent token storage: tokens that outlive the process (a file, a keychain, a database).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use super::BoxFuture;
use crate::secret::Secret;

/// A token as stored: the secret and its wall-clock expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// The bearer token.
    pub token: Secret,
    /// When it expires.
    pub expires_at: SystemTime,
}

/// Where the token cache keeps tokens between runs. The cache asks it before calling the
/// credential and tells it every new token; `key` names the cloud, credential and scopes.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The stored token for `key`, if any.
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>>;

    /// Stores a new token for `key`.
    fn save<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()>;
}

/// A store in memory, shared by the clients it is given to (tests; several clients of one app).
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, StoredToken>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many tokens it holds.
    pub fn len(&self) -> usize {
        self.tokens.lock().map_or(0, |t| t.len())
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<StoredToken>> {
        let token = self.tokens.lock().ok().and_then(|t| t.get(key).cloned());
        Box::pin(async move { token })
    }

    fn save<'a>(&'a self, key: &'a str, token: StoredToken) -> BoxFuture<'a, ()> {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(key.to_owned(), token);
        }
        Box::pin(async {})
    }
}
