//! The credential chain Azure Identity calls `DefaultAzureCredential`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_core::future::BoxFuture;

use super::{
    AccessToken, AzureCliCredential, EnvironmentCredential, ManagedIdentity,
    ManagedIdentityCredential, TokenCredential, TokenRequest, WorkloadIdentityCredential,
};
use crate::error::AuthError;

/// How long IMDS gets to answer before the chain takes the machine for one off Azure.
const IMDS_PROBE: Duration = Duration::from_secs(1);
/// No link has answered yet.
const NONE_YET: usize = usize::MAX;

/// Tries the credentials where Intune automation runs, in Azure Identity's order:
/// [`EnvironmentCredential`] (`AZURE_CLIENT_SECRET` or a certificate), then
/// [`WorkloadIdentityCredential`] (`AZURE_FEDERATED_TOKEN_FILE`), then
/// [`ManagedIdentityCredential`] (App Service's endpoint, or IMDS probed for 1 s), then
/// [`AzureCliCredential`].
///
/// A credential that is not set up where this runs ([`AuthError::unavailable`]) passes to the
/// next; one that is set up and fails ends the chain with its error (a wrong secret is not
/// papered over by a developer's CLI login). The first that gives a token is used from then
/// on. When none is set up, the error lists why each was passed over.
///
/// `AZURE_CLIENT_ID` names a user-assigned managed identity, as in Azure Identity.
///
/// ```no_run
/// use graphwire_core::GraphClient;
/// use graphwire_core::auth::DefaultAzureCredential;
/// # fn build() -> graphwire_core::Result<GraphClient> {
/// let client = GraphClient::builder()
///     .credential(DefaultAzureCredential::from_env()?)
///     .build()?;
/// # Ok(client) }
/// ```
#[derive(Debug)]
pub struct DefaultAzureCredential {
    links: Vec<(&'static str, Arc<dyn TokenCredential>)>,
    /// The link that gave a token, used from then on.
    chosen: AtomicUsize,
    /// Why links were passed over when the chain was built (an incomplete environment).
    skipped: Vec<String>,
}

impl DefaultAzureCredential {
    /// The chain as the environment sets it up. An error only for an environment credential
    /// that is set up wrong (a variable missing, a certificate that cannot be read).
    pub fn from_env() -> Result<Self, AuthError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Same as [`DefaultAzureCredential::from_env`], reading from `lookup` (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, AuthError> {
        let mut links: Vec<(&'static str, Arc<dyn TokenCredential>)> = Vec::new();
        let mut skipped = Vec::new();
        // Without a secret or a certificate the environment does not describe this link; a
        // federated token file belongs to the next one.
        let secret_or_certificate = lookup("AZURE_CLIENT_SECRET").is_some()
            || lookup("AZURE_CLIENT_CERTIFICATE_PATH").is_some();
        if secret_or_certificate {
            // Set up: a complete credential, or the error naming what is missing.
            if let Some(environment) = EnvironmentCredential::from_lookup(&lookup)? {
                links.push(("EnvironmentCredential", Arc::new(environment)));
            }
        } else {
            skipped.push(
                "EnvironmentCredential: neither AZURE_CLIENT_SECRET nor AZURE_CLIENT_CERTIFICATE_PATH is set"
                    .to_owned(),
            );
        }
        match WorkloadIdentityCredential::from_lookup(&lookup)? {
            Some(workload) => links.push(("WorkloadIdentityCredential", Arc::new(workload))),
            None => skipped.push(
                "WorkloadIdentityCredential: AZURE_FEDERATED_TOKEN_FILE is not set".to_owned(),
            ),
        }
        let identity = match lookup("AZURE_CLIENT_ID") {
            Some(client_id) => ManagedIdentity::ClientId(client_id),
            None => ManagedIdentity::SystemAssigned,
        };
        links.push((
            "ManagedIdentityCredential",
            Arc::new(
                ManagedIdentityCredential::from_lookup(identity, &lookup)
                    .with_probe_timeout(IMDS_PROBE),
            ),
        ));
        links.push(("AzureCliCredential", Arc::new(AzureCliCredential::new())));
        Ok(Self::chain(links, skipped))
    }

    /// A chain of your own, tried in order with the same rules.
    pub fn with_credentials(credentials: Vec<Arc<dyn TokenCredential>>) -> Self {
        Self::chain(
            credentials.into_iter().map(|c| ("credential", c)).collect(),
            Vec::new(),
        )
    }

    fn chain(links: Vec<(&'static str, Arc<dyn TokenCredential>)>, skipped: Vec<String>) -> Self {
        Self {
            links,
            chosen: AtomicUsize::new(NONE_YET),
            skipped,
        }
    }
}

impl TokenCredential for DefaultAzureCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            let chosen = self.chosen.load(Ordering::Acquire);
            if let Some((_, credential)) = self.links.get(chosen) {
                return credential.get_token(request).await;
            }
            let mut passed_over = self.skipped.clone();
            for (index, (name, credential)) in self.links.iter().enumerate() {
                match credential.get_token(request).await {
                    Ok(token) => {
                        self.chosen.store(index, Ordering::Release);
                        return Ok(token);
                    }
                    Err(error) if error.unavailable => {
                        passed_over.push(format!("{name}: {}", error.message));
                    }
                    Err(error) => {
                        return Err(AuthError {
                            message: format!("{name}: {}", error.message),
                            ..error
                        });
                    }
                }
            }
            Err(AuthError::unavailable(format!(
                "no credential of the chain is set up here; {}",
                passed_over.join("; ")
            )))
        })
    }

    /// Checked per link as each sends: the chain itself sends nothing.
    fn authority<'a>(&'a self, _cloud_authority: &'a str) -> Option<&'a str> {
        None
    }

    fn cache_key(&self) -> String {
        match self.links.get(self.chosen.load(Ordering::Acquire)) {
            Some((_, credential)) => credential.cache_key(),
            None => "default_azure_credential".to_owned(),
        }
    }
}
