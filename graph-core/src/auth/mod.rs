//! Credentials and the token cache every one of them shares.

pub(crate) mod azure_cli;
mod cache;
#[cfg(feature = "certificate")]
mod certificate;
mod client_secret;
mod default;
mod device_code;
mod environment;
mod identity_endpoint;
mod local_file;
pub(crate) mod managed_identity;
mod static_token;
mod store;
pub(crate) mod token_endpoint;
mod workload_identity;

pub use azure_cli::AzureCliCredential;
pub use cache::TokenCache;
#[cfg(feature = "certificate")]
#[cfg_attr(docsrs, doc(cfg(feature = "certificate")))]
pub use certificate::ClientCertificateCredential;
pub use client_secret::ClientSecretCredential;
pub use default::DefaultAzureCredential;
pub use device_code::{DeviceCodeCredential, DeviceCodeInfo};
pub use environment::EnvironmentCredential;
pub use managed_identity::{ManagedIdentity, ManagedIdentityCredential};
pub use static_token::StaticToken;
pub use store::{MemoryTokenStore, StoredToken, TokenStore};
pub use workload_identity::WorkloadIdentityCredential;

use std::fmt;
use std::time::SystemTime;

/// The future a [`TokenCredential`] returns (re-exported so implementors need no other crate).
pub use futures_core::future::BoxFuture;

use crate::error::AuthError;
use crate::secret::Secret;

/// An access token and when it stops working.
#[derive(Clone, Debug)]
pub struct AccessToken {
    /// The bearer token.
    pub token: Secret,
    /// When it expires, by the system clock (`None`: never, as far as the credential knows).
    /// The cache turns it into a refresh time when the token arrives.
    pub expires_at: Option<SystemTime>,
}

/// What a credential is asked for.
#[derive(Debug, Clone, Copy)]
pub struct TokenRequest<'a> {
    /// The scopes, e.g. `https://graph.microsoft.com/.default`.
    pub scopes: &'a [String],
    /// The login authority of the configured cloud, ending with `/`.
    pub authority: &'a str,
    /// The client's HTTP pool, for credentials that call a token endpoint.
    pub http: &'a reqwest::Client,
}

/// Something that can produce an access token. Object-safe: the client holds an
/// `Arc<dyn TokenCredential>` and wraps it in one generic [`TokenCache`].
///
/// ```
/// use graphwire_core::{AccessToken, AuthError, Secret, TokenCredential, TokenRequest};
/// use graphwire_core::auth::BoxFuture;
///
/// #[derive(Debug)]
/// struct FromVault;
/// impl TokenCredential for FromVault {
///     fn get_token<'a>(&'a self, _request: TokenRequest<'a>) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
///         Box::pin(async { Ok(AccessToken { token: Secret::new("t"), expires_at: None }) })
///     }
/// }
/// ```
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// Fetches a new token (the cache decides when).
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>>;

    /// Names this identity (tenant and client, never a secret) for a persistent
    /// [`TokenStore`]; the default uses the `Debug` text, which must not contain secrets.
    fn cache_key(&self) -> String {
        format!("{self:?}")
    }

    /// The login authority this credential sends its secret, assertion or device code to,
    /// given the configured cloud's; `None` for one that sends nothing (a fixed token).
    ///
    /// [`GraphClientBuilder::build`](crate::GraphClientBuilder::build) refuses a credential
    /// whose authority is plain `http://` to a host that is not loopback, naming the URL and
    /// the rule. The default is the cloud's authority, so a credential added later is
    /// checked unless it says it sends nothing.
    fn authority<'a>(&'a self, cloud_authority: &'a str) -> Option<&'a str> {
        Some(cloud_authority)
    }
}
