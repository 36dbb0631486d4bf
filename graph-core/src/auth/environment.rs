//! Credentials from `AZURE_*` environment variables.

use futures::future::BoxFuture;

use super::{AccessToken, ClientSecretCredential, TokenCredential, TokenRequest};
use crate::error::AuthError;

/// Reads `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`.
#[derive(Debug, Clone)]
pub struct EnvironmentCredential {
    inner: ClientSecretCredential,
}

impl EnvironmentCredential {
    /// The credential the environment describes, or `None` when the variables are not set.
    ///
    /// An error names the variable that is missing or unsupported (never a value).
    pub fn from_env() -> Result<Option<Self>, AuthError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Same as [`EnvironmentCredential::from_env`], reading from `lookup` (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, AuthError> {
        let (tenant, client) = (lookup("AZURE_TENANT_ID"), lookup("AZURE_CLIENT_ID"));
        let secret = lookup("AZURE_CLIENT_SECRET");
        let certificate = lookup("AZURE_CLIENT_CERTIFICATE_PATH");
        match (tenant, client, secret, certificate) {
            (None, None, None, None) => Ok(None),
            (Some(tenant), Some(client), Some(secret), _) => Ok(Some(Self {
                inner: ClientSecretCredential::new(tenant, client, secret),
            })),
            (Some(_), Some(_), None, Some(_)) => Err(AuthError::new(
                "AZURE_CLIENT_CERTIFICATE_PATH is set, but certificate credentials are not supported yet; set AZURE_CLIENT_SECRET",
            )),
            (tenant, client, _, _) => {
                let missing: Vec<&str> = [
                    ("AZURE_TENANT_ID", tenant.is_none()),
                    ("AZURE_CLIENT_ID", client.is_none()),
                    ("AZURE_CLIENT_SECRET", true),
                ]
                .into_iter()
                .filter(|(_, missing)| *missing)
                .map(|(name, _)| name)
                .collect();
                Err(AuthError::new(format!(
                    "incomplete environment credential: set {}",
                    missing.join(", ")
                )))
            }
        }
    }
}

impl TokenCredential for EnvironmentCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move { self.inner.get_token(request).await })
    }
}
