//! OAuth 2.0 client credentials with a client secret.

use futures_core::future::BoxFuture;

use super::token_endpoint::{request_token, token_url};
use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::AuthError;
use crate::secret::Secret;

/// An app's identity: tenant, client id and client secret (application permissions).
///
/// The token endpoint is `{authority}{tenant}/oauth2/v2.0/token`, where the authority is the
/// configured cloud's unless [`ClientSecretCredential::with_authority`] sets one.
#[derive(Debug, Clone)]
pub struct ClientSecretCredential {
    tenant_id: String,
    client_id: String,
    client_secret: Secret,
    authority: Option<String>,
}

impl ClientSecretCredential {
    /// A credential for one app in one tenant.
    pub fn new(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self {
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            authority: None,
        }
    }

    /// Uses this login authority instead of the cloud's (e.g. an emulator's).
    pub fn with_authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = Some(super::token_endpoint::with_trailing_slash(authority));
        self
    }
}

impl TokenCredential for ClientSecretCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            let authority = self.authority.as_deref().unwrap_or(request.authority);
            let url = token_url(authority, &self.tenant_id);
            let scope = request.scopes.join(" ");
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.client_secret.expose()),
                ("scope", scope.as_str()),
            ];
            request_token(request.http, &url, &form).await
        })
    }

    fn authority<'a>(&'a self, cloud_authority: &'a str) -> Option<&'a str> {
        Some(self.authority.as_deref().unwrap_or(cloud_authority))
    }

    fn cache_key(&self) -> String {
        format!("client_secret|{}|{}", self.tenant_id, self.client_id)
    }
}
