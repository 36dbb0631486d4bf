//! A token the caller already has.

use futures_core::future::BoxFuture;

use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::AuthError;
use crate::secret::Secret;

/// A fixed bearer token (from another tool, or a test).
#[derive(Debug, Clone)]
pub struct StaticToken {
    token: Secret,
}

impl StaticToken {
    /// Wraps a token.
    pub fn new(token: impl Into<Secret>) -> Self {
        Self {
            token: token.into(),
        }
    }
}

impl TokenCredential for StaticToken {
    fn get_token<'a>(
        &'a self,
        _request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            Ok(AccessToken {
                token: self.token.clone(),
                expires_at: None,
            })
        })
    }

    /// A fixed token calls no token endpoint: no secret goes anywhere.
    fn authority<'a>(&'a self, _cloud_authority: &'a str) -> Option<&'a str> {
        None
    }
}
