//! Workload identity federation: a token file another identity provider writes (Kubernetes'
//! service account token on AKS, GitHub Actions' OIDC token), traded for an Entra token.

use std::path::PathBuf;

use futures_core::future::BoxFuture;

use super::local_file::read_small_file_async;
use super::token_endpoint::{request_token_with_assertion, token_url, with_trailing_slash};
use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::AuthError;
use crate::secret::Secret;

/// The largest token file read: a JWT is a few kilobytes.
const MAX_TOKEN_FILE_BYTES: u64 = 64 * 1024;

/// An app that trusts another identity provider's token (a federated credential on the app
/// registration): the token in a file is sent as the client assertion of a client
/// credentials request. The file is read again for every new token, since its writer
/// rotates it. Only a regular file (or a link to one) of at most 64 KiB is read, and it is
/// opened without blocking: a FIFO, a device or a larger file is an error at once.
///
/// [`WorkloadIdentityCredential::from_env`] reads what AKS's workload identity webhook sets:
/// `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_FEDERATED_TOKEN_FILE`, and
/// `AZURE_AUTHORITY_HOST` if the login authority is not the cloud's.
#[derive(Debug, Clone)]
pub struct WorkloadIdentityCredential {
    tenant_id: String,
    client_id: String,
    token_file: PathBuf,
    authority: Option<String>,
}

impl WorkloadIdentityCredential {
    /// The app `client_id` in `tenant_id`, proving itself with the token in `token_file`.
    pub fn new(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> Self {
        Self {
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            token_file: token_file.into(),
            authority: None,
        }
    }

    /// From the environment; `None` when `AZURE_FEDERATED_TOKEN_FILE` is not set. An error
    /// names the variable that is missing.
    pub fn from_env() -> Result<Option<Self>, AuthError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Same as [`WorkloadIdentityCredential::from_env`], reading from `lookup` (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, AuthError> {
        let Some(file) = lookup("AZURE_FEDERATED_TOKEN_FILE") else {
            return Ok(None);
        };
        let (Some(tenant), Some(client)) = (lookup("AZURE_TENANT_ID"), lookup("AZURE_CLIENT_ID"))
        else {
            return Err(AuthError::new(
                "AZURE_FEDERATED_TOKEN_FILE is set: set AZURE_TENANT_ID and AZURE_CLIENT_ID too",
            ));
        };
        let credential = Self::new(tenant, client, file);
        Ok(Some(match lookup("AZURE_AUTHORITY_HOST") {
            Some(authority) => credential.with_authority(authority),
            None => credential,
        }))
    }

    /// Uses this login authority instead of the cloud's.
    pub fn with_authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = Some(with_trailing_slash(authority));
        self
    }

    async fn assertion(&self) -> Result<Secret, AuthError> {
        let mut text = read_small_file_async(
            self.token_file.clone(),
            MAX_TOKEN_FILE_BYTES,
            "the federated token file",
        )
        .await?;
        let token = Secret::new(text.trim());
        zeroize::Zeroize::zeroize(&mut text);
        if token.expose().is_empty() {
            return Err(AuthError::new(format!(
                "the federated token file {} is empty",
                self.token_file.display()
            )));
        }
        Ok(token)
    }
}

impl TokenCredential for WorkloadIdentityCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            let assertion = self.assertion().await?;
            let authority = self.authority.as_deref().unwrap_or(request.authority);
            let url = token_url(authority, &self.tenant_id);
            request_token_with_assertion(
                request.http,
                &url,
                &self.client_id,
                assertion.expose(),
                request.scopes,
            )
            .await
        })
    }

    fn authority<'a>(&'a self, cloud_authority: &'a str) -> Option<&'a str> {
        Some(self.authority.as_deref().unwrap_or(cloud_authority))
    }

    fn cache_key(&self) -> String {
        format!("workload_identity|{}|{}", self.tenant_id, self.client_id)
    }
}
