//! `GraphClient`: one `Arc`, one connection pool, one fixed pipeline.

mod builder;
pub(crate) mod content_encoding;
mod limits;
pub(crate) mod pacing;
mod pipeline;
mod policy;
mod redirect;

pub use builder::GraphClientBuilder;
pub use pacing::Pacing;
pub(crate) use policy::tell_retry;
pub use policy::{RequestPolicy, RetryEvent};

pub(crate) use pipeline::{Counted, Outgoing, may_duplicate};

use std::sync::Arc;
use std::time::Duration;

use crate::auth::TokenCache;
use crate::cloud::Cloud;
use crate::retry::RetryPolicy;

/// A Microsoft Graph client. Cheap to clone: every clone shares one connection pool and one
/// token cache.
///
/// Each call goes through one fixed pipeline, in this order: availability check (cloud) →
/// concurrency limit → request ids and headers → caller policies → allowed-host check and
/// token → send → redirects (our own) → 401 refresh-and-retry → retries (429/503/504) → body
/// limit → gzip inflated (within the same limit) → decode. `ARCHITECTURE.md` describes each
/// step.
#[derive(Clone, Debug)]
pub struct GraphClient {
    pub(crate) inner: Arc<ClientInner>,
}

#[derive(Debug, Clone)]
pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) cloud: Cloud,
    pub(crate) tokens: Option<Arc<TokenCache>>,
    /// What a token cache for another credential ([`GraphClient::with_credential`]) needs.
    pub(crate) refresh_margin: Duration,
    pub(crate) token_store: Option<Arc<dyn crate::auth::TokenStore>>,
    /// The adaptive pacing, shared with the clients made by [`GraphClient::with_credential`];
    /// `None` with [`Pacing::Off`].
    pub(crate) pacer: Option<Arc<pacing::Pacer>>,
    /// This client's scope in the pacer (its credential's app and tenant); `None` with
    /// [`Pacing::Off`].
    pub(crate) pacing: Option<pacing::PacedScope>,
    pub(crate) scopes: Vec<String>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_redirects: usize,
    /// `host` or `host:port` values a token may be sent to.
    pub(crate) allowed_hosts: Vec<String>,
    pub(crate) policies: Vec<Arc<dyn RequestPolicy>>,
    pub(crate) limiter: Option<Arc<tokio::sync::Semaphore>>,
    pub(crate) rate: Option<Arc<limits::RateLimiter>>,
    pub(crate) max_response_bytes: usize,
    pub(crate) timeout: Duration,
}

impl GraphClient {
    /// A builder with the defaults: global cloud, 3 retries, 30 s timeout.
    pub fn builder() -> GraphClientBuilder {
        GraphClientBuilder::default()
    }

    /// A client for another credential (another tenant's app, for a service provider that
    /// manages many) that shares this one's connections, limits, policies and pacing: each
    /// credential's requests are paced in a scope of their own (its app in its tenant, as
    /// Graph throttles), so one throttled tenant does not slow the others. The credential's
    /// authority is checked as [`GraphClientBuilder::build`] checks it.
    ///
    /// ```
    /// use graphwire_core::{GraphClient, StaticToken};
    /// let provider = GraphClient::builder().build()?;
    /// let contoso = provider.with_credential(StaticToken::new("contoso-token"))?;
    /// let fabrikam = provider.with_credential(StaticToken::new("fabrikam-token"))?;
    /// # let _ = (contoso, fabrikam);
    /// # Ok::<(), graphwire_core::Error>(())
    /// ```
    pub fn with_credential(
        &self,
        credential: impl crate::auth::TokenCredential + 'static,
    ) -> crate::Result<GraphClient> {
        let credential: Arc<dyn crate::auth::TokenCredential> = Arc::new(credential);
        builder::check_authority(credential.as_ref(), &self.inner.cloud)?;
        let shared = &self.inner;
        Ok(GraphClient {
            inner: Arc::new(ClientInner {
                pacing: (shared.pacer.as_ref())
                    .map(|pacer| pacer.scope(&builder::pace_scope(Some(credential.as_ref())))),
                tokens: Some(Arc::new(builder::token_cache(
                    credential,
                    shared.refresh_margin,
                    shared.token_store.clone(),
                ))),
                ..ClientInner::clone(shared)
            }),
        })
    }

    /// The retry policy calls made here use: the one set with
    /// [`with_retry_policy`](crate::with_retry_policy) around them, else the client's.
    pub fn retry_policy(&self) -> RetryPolicy {
        crate::retry::effective(&self.inner.retry)
    }

    /// The configured cloud.
    pub fn cloud(&self) -> &Cloud {
        &self.inner.cloud
    }

    /// A `$ref` body pointing at the entity at `path` (`/deviceManagement/deviceCategories/7`)
    /// in this client's cloud: `https://graph.microsoft.com/v1.0/deviceManagement/…` for the
    /// global cloud. `path` is sent as written (encode its ids).
    ///
    /// ```
    /// use graphwire_core::{ApiVersion, Cloud, GraphClient, StaticToken};
    /// let client = GraphClient::builder()
    ///     .cloud(Cloud::us_gov())
    ///     .credential(StaticToken::new("token"))
    ///     .build()
    ///     .unwrap();
    /// let reference = client.reference_to(ApiVersion::V1, "/deviceManagement/deviceCategories/7");
    /// assert_eq!(
    ///     reference.odata_id(),
    ///     "https://graph.microsoft.us/v1.0/deviceManagement/deviceCategories/7"
    /// );
    /// ```
    pub fn reference_to(&self, version: crate::ApiVersion, path: &str) -> crate::Reference {
        let root = self.inner.cloud.graph_root();
        let separator = if path.starts_with('/') { "" } else { "/" };
        crate::Reference::new(format!("{root}{}{separator}{path}", version.as_str()))
    }
}

/// A type whose methods call Graph: it hands generated endpoint methods its client.
///
/// Implement it for the struct whose `impl` block holds `#[graph_endpoint]` methods.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not hold a GraphClient",
    label = "#[graph_endpoint] methods need `&self` to reach a client",
    note = "implement graphwire_core::GraphApi for `{Self}`: fn graph_client(&self) -> &GraphClient"
)]
pub trait GraphApi {
    /// The client calls go through.
    fn graph_client(&self) -> &GraphClient;
}

/// Declares a handler: a struct holding a [`GraphClient`], with `new(client)` and
/// [`GraphApi`], whose `impl` block then holds `#[graph_endpoint]` methods. Cloning it clones
/// the client (a shared handle); it borrows nothing.
///
/// ```
/// use graphwire_core::{graph_endpoint, graph_entity, graph_handler, GraphClient};
///
/// #[graph_entity(odata_type = "#microsoft.graph.deviceCategory")]
/// pub struct Category { pub id: Option<String>, pub display_name: Option<String> }
///
/// graph_handler! {
///     /// Device categories.
///     pub struct Categories;
/// }
///
/// impl Categories {
///     #[graph_endpoint(GET, "/deviceManagement/deviceCategories/{deviceCategoryId}", permissions = ["P"])]
///     pub async fn get(&self, device_category_id: &str) -> graphwire_core::Result<Category>;
/// }
///
/// # fn build(client: GraphClient) {
/// let categories = Categories::new(client);
/// let _call = categories.clone().get("c1");
/// # }
/// ```
#[macro_export]
macro_rules! graph_handler {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        $vis struct $name {
            client: $crate::GraphClient,
        }

        impl $name {
            /// Wraps a client.
            $vis fn new(client: $crate::GraphClient) -> Self {
                Self { client }
            }
        }

        impl $crate::GraphApi for $name {
            fn graph_client(&self) -> &$crate::GraphClient {
                &self.client
            }
        }
    };
}

impl GraphApi for GraphClient {
    fn graph_client(&self) -> &GraphClient {
        self
    }
}
