//! Credentials from `AZURE_*` environment variables.

use futures_core::future::BoxFuture;

use super::{AccessToken, ClientSecretCredential, TokenCredential, TokenRequest};
use crate::error::AuthError;

/// Reads `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, and `AZURE_CLIENT_SECRET` or (with the
/// `certificate` feature) `AZURE_CLIENT_CERTIFICATE_PATH`, a PEM with key and certificate.
#[derive(Debug, Clone)]
pub struct EnvironmentCredential {
    inner: std::sync::Arc<dyn TokenCredential>,
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
                inner: std::sync::Arc::new(ClientSecretCredential::new(tenant, client, secret)),
            })),
            (Some(tenant), Some(client), None, Some(path)) => {
                from_certificate_file(tenant, client, &path)
            }
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

    fn authority<'a>(&'a self, cloud_authority: &'a str) -> Option<&'a str> {
        self.inner.authority(cloud_authority)
    }

    fn cache_key(&self) -> String {
        self.inner.cache_key()
    }
}

#[cfg(feature = "certificate")]
fn from_certificate_file(
    tenant: String,
    client: String,
    path: &str,
) -> Result<Option<EnvironmentCredential>, AuthError> {
    // A PEM key and its chain: a few kilobytes; 1 MiB leaves room for long chains.
    let pem = super::local_file::read_small_file(
        std::path::Path::new(path),
        1024 * 1024,
        "AZURE_CLIENT_CERTIFICATE_PATH",
    )?;
    let credential = super::ClientCertificateCredential::from_pem(tenant, client, &pem)?;
    Ok(Some(EnvironmentCredential {
        inner: std::sync::Arc::new(credential),
    }))
}

#[cfg(not(feature = "certificate"))]
fn from_certificate_file(
    _: String,
    _: String,
    _: &str,
) -> Result<Option<EnvironmentCredential>, AuthError> {
    Err(AuthError::new(
        "AZURE_CLIENT_CERTIFICATE_PATH is set, but graphwire-core was built without the `certificate` feature; enable it or set AZURE_CLIENT_SECRET",
    ))
}
