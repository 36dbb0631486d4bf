//! Building a `GraphClient`.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::pacing::{Pacer, Pacing};
use super::{ClientInner, GraphClient, RequestPolicy};
use crate::auth::{TokenCache, TokenCredential};
use crate::cloud::Cloud;
use crate::error::{Error, Result};
use crate::meta::ServiceLimits;
use crate::retry::RetryPolicy;

/// Builds a [`GraphClient`].
///
/// ```
/// use graphwire_core::{Cloud, GraphClient, RetryPolicy, StaticToken};
/// let client = GraphClient::builder()
///     .cloud(Cloud::us_gov())
///     .credential(StaticToken::new("token"))
///     .retry(RetryPolicy::default().with_max_retries(5))
///     .build()
///     .unwrap();
/// assert_eq!(client.cloud().graph_root(), "https://graph.microsoft.us/");
/// ```
#[derive(Debug, Default)]
pub struct GraphClientBuilder {
    cloud: Option<Cloud>,
    credential: Option<Arc<dyn TokenCredential>>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    policies: Vec<Arc<dyn RequestPolicy>>,
    extra_hosts: Vec<String>,
    http: Option<reqwest::Client>,
    max_concurrency: Option<usize>,
    rate: Option<(u32, Duration)>,
    max_response_bytes: Option<usize>,
    refresh_margin: Option<Duration>,
    max_redirects: Option<usize>,
    token_store: Option<Arc<dyn crate::auth::TokenStore>>,
    root_certificates: Vec<Vec<u8>>,
    pacing: Pacing,
    service_limits: Option<ServiceLimits>,
}

/// Default total timeout of one attempt.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default response body limit: 64 MiB.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;

impl GraphClientBuilder {
    /// The national cloud (or a custom root such as an emulator). Default: global.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = Some(cloud);
        self
    }

    /// The credential tokens come from. Without one, requests carry no `Authorization`.
    pub fn credential(mut self, credential: impl TokenCredential + 'static) -> Self {
        self.credential = Some(Arc::new(credential));
        self
    }

    /// A shared credential.
    pub fn shared_credential(mut self, credential: Arc<dyn TokenCredential>) -> Self {
        self.credential = Some(credential);
        self
    }

    /// The retry policy. Default: 3 retries, 180 s cap.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Total time one attempt may take. Default: 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time to establish a connection. Default: 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent`. Default: `graphwire/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Adds a caller policy; policies run in the order added.
    pub fn policy(mut self, policy: impl RequestPolicy + 'static) -> Self {
        self.policies.push(Arc::new(policy));
        self
    }

    /// Another host (`host` or `host:port`) a token may be sent to, besides the cloud's Graph host.
    pub fn allow_host(mut self, host: impl Into<String>) -> Self {
        self.extra_hosts.push(host.into().to_ascii_lowercase());
        self
    }

    /// Uses the caller's reqwest client. It must not follow redirects itself
    /// (`reqwest::redirect::Policy::none()`), or the token rules cannot be enforced.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// At most `limit` requests in flight through this client (clones share the limit).
    pub fn max_concurrency(mut self, limit: usize) -> Self {
        self.max_concurrency = Some(limit.max(1));
        self
    }

    /// At most `requests` requests start in any sliding `interval` (retries count too, and a
    /// `$batch` counts as the requests inside it, as Graph counts them). A fixed bound on top
    /// of the adaptive [`pacing`](Self::pacing), which needs no number: for a budget the
    /// caller wants to keep below the service's.
    pub fn rate_limit(mut self, requests: u32, interval: Duration) -> Self {
        self.rate = Some((requests, interval));
        self
    }

    /// How requests are paced per tenant. Default: [`Pacing::Adaptive`], which learns the
    /// service's pace from its 429s, slows down when throttled and speeds up again when not;
    /// [`Pacing::Off`] sends as fast as callers ask.
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// A service's documented limits (for Intune, `graphwire_intune::limits::INTUNE_LIMITS`):
    /// the adaptive pacing starts at them, just under, instead of learning them from the
    /// first 429s. Per app per tenant: writes are paced to `app_writes`, reads to `app_any`
    /// in each `window`.
    pub fn service_limits(mut self, limits: ServiceLimits) -> Self {
        self.service_limits = Some(limits);
        self
    }

    /// The largest response body accepted. Default: 64 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// How long before expiry a token is refreshed. Default: 5 minutes; a token that lives
    /// less than twice the margin is refreshed halfway through its lifetime.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// Keeps tokens in a persistent store too (shared by clients, surviving restarts).
    pub fn token_store(mut self, store: Arc<dyn crate::auth::TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Also trusts this CA (PEM: one certificate or a bundle), besides the system's roots: for a TLS proxy
    /// or an emulator in HTTPS mode whose CA was made for the run. Verification stays on.
    /// With [`http_client`](Self::http_client), add it to that client instead: `build()`
    /// refuses both together.
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// How many redirects one call follows. Default: 5.
    pub fn max_redirects(mut self, limit: usize) -> Self {
        self.max_redirects = Some(limit);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<GraphClient> {
        let cloud = self.cloud.unwrap_or_default();
        let root = Url::parse(cloud.graph_root())
            .map_err(|e| Error::invalid("cloud", format!("Graph root is not a URL: {e}")))?;
        crate::url_policy::check_scheme(&root)?;
        // Where the credential will send its secret is known now: refuse clear text here,
        // before any call, rather than at the first token request.
        if let Some(credential) = &self.credential {
            check_authority(credential.as_ref(), &cloud)?;
        }
        let mut allowed_hosts = vec![crate::url_policy::host_key(&root)];
        allowed_hosts.extend(self.extra_hosts);
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let http = match self.http {
            Some(_) if !self.root_certificates.is_empty() => {
                return Err(Error::invalid(
                    "root certificate",
                    "a caller's own HTTP client is used as it is: add the root certificate to that reqwest client instead",
                ));
            }
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(timeout)
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .user_agent(self.user_agent.unwrap_or_else(|| {
                        concat!("graphwire/", env!("CARGO_PKG_VERSION")).to_owned()
                    }));
                for pem in &self.root_certificates {
                    // reqwest takes any text as a PEM bundle; a wrong file must not pass
                    // unnoticed.
                    let certificates = reqwest::Certificate::from_pem_bundle(pem)
                        .ok()
                        .filter(|found| !found.is_empty())
                        .ok_or_else(|| {
                            Error::invalid(
                                "root certificate",
                                "expected PEM text with at least one `-----BEGIN CERTIFICATE-----` block",
                            )
                        })?;
                    for certificate in certificates {
                        builder = builder.add_root_certificate(certificate);
                    }
                }
                builder
                    .build()
                    .map_err(|e| Error::invalid("http client", e.to_string()))?
            }
        };
        let refresh_margin = self.refresh_margin.unwrap_or(Duration::from_secs(300));
        let pace_scope = pace_scope(self.credential.as_deref());
        let pacer =
            (self.pacing == Pacing::Adaptive).then(|| Arc::new(Pacer::new(self.service_limits)));
        let tokens = self.credential.map(|credential| {
            Arc::new(token_cache(
                credential,
                refresh_margin,
                self.token_store.clone(),
            ))
        });
        Ok(GraphClient {
            inner: Arc::new(ClientInner {
                http,
                scopes: vec![cloud.scope()],
                cloud,
                tokens,
                refresh_margin,
                token_store: self.token_store,
                pacing: pacer.as_ref().map(|pacer| pacer.scope(&pace_scope)),
                pacer,
                retry: self.retry.unwrap_or_default(),
                max_redirects: self.max_redirects.unwrap_or(5),
                allowed_hosts,
                policies: self.policies,
                limiter: self
                    .max_concurrency
                    .map(|n| Arc::new(tokio::sync::Semaphore::new(n))),
                rate: self.rate.map(|(requests, interval)| {
                    Arc::new(super::limits::RateLimiter::new(requests, interval))
                }),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                timeout,
            }),
        })
    }
}

/// A token cache for `credential`, kept in `store` too if there is one.
pub(super) fn token_cache(
    credential: Arc<dyn TokenCredential>,
    refresh_margin: Duration,
    store: Option<Arc<dyn crate::auth::TokenStore>>,
) -> TokenCache {
    let cache = TokenCache::new(credential, refresh_margin);
    match store {
        Some(store) => cache.with_store(store),
        None => cache,
    }
}

/// The scope a credential's requests are paced in: its app in its tenant, as Graph throttles
/// (the key its tokens are cached under names both).
pub(super) fn pace_scope(credential: Option<&dyn TokenCredential>) -> String {
    credential.map_or_else(String::new, TokenCredential::cache_key)
}

/// Where `credential` will send its secret is known before any call: clear text is refused
/// there (https, or plain http only to loopback), not at the first token request.
pub(super) fn check_authority(credential: &dyn TokenCredential, cloud: &Cloud) -> Result<()> {
    match credential.authority(cloud.authority()) {
        Some(authority) => crate::url_policy::check_credential_destination(authority),
        None => Ok(()),
    }
}
