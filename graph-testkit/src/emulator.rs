//! Starting, reaching and stopping an emulator: the public handle and its builder.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use graphwire_core::Cloud;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{App, ClientLimits, FaultPlan, Throttling};
use crate::journal::{JournalEntry, JournalLimits};
use crate::state::{Config, State};

/// Configures and starts an [`Emulator`].
#[derive(Debug)]
pub struct EmulatorBuilder {
    config: Config,
    port: u16,
    seed_vectors: bool,
    seeds: Vec<(String, Value)>,
    tls: bool,
}

/// Items per page of a list that asks for no `$top`, as Graph pages server-side: a client's
/// paging loop runs in every test that lists more.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The app every emulator knows unless told otherwise: tenant `contoso`, client
/// `emulator-app`, secret `emulator-secret`, granted every application permission the served
/// endpoints declare (so it can call all of them).
pub fn default_app() -> App {
    App::new("contoso", "emulator-app", "emulator-secret")
        .with_roles(declared_application_permissions().iter().copied())
}

/// A second app in the default app's tenant, `emulator-reader` with secret `reader-secret`,
/// granted only the read permissions (`….Read.All`) the served endpoints declare: its writes
/// are refused with 403, as a real tenant refuses an app that lacks the permission.
pub fn reader_app() -> App {
    let roles = declared_application_permissions()
        .iter()
        .copied()
        .filter(|role| role.ends_with(".Read.All"));
    App::new("contoso", "emulator-reader", "reader-secret").with_roles(roles)
}

/// Every application permission the linked endpoints declare, sorted, once per process (the
/// declarations are static; a test may start thousands of emulators).
fn declared_application_permissions() -> &'static [&'static str] {
    static ROLES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    ROLES.get_or_init(|| {
        let mut roles: Vec<&'static str> = graphwire_core::meta::Endpoint::all()
            .flat_map(|e| e.application.iter().copied())
            .collect();
        roles.sort_unstable();
        roles.dedup();
        roles
    })
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            config: Config {
                apps: Vec::new(),
                host_identities: Vec::new(),
                token_lifetime: Duration::from_secs(3600),
                throttling: None,
                faults: None,
                client_limits: ClientLimits::default(),
                journal_limits: JournalLimits::default(),
                page_size: DEFAULT_PAGE_SIZE,
                upload_faults: crate::config::UploadFaults::none(),
            },
            port: 0,
            seed_vectors: true,
            seeds: Vec::new(),
            tls: false,
        }
    }
}

impl EmulatorBuilder {
    /// Registers an app (the default app is used only when none is registered).
    pub fn app(mut self, app: App) -> Self {
        self.config.apps.push(app);
        self
    }

    /// Registers `app` as the host's own (system-assigned) managed identity: the IMDS and
    /// App Service endpoints ([`Emulator::imds_host`], [`Emulator::app_service_endpoint`])
    /// hand out its tokens, with its roles.
    pub fn managed_identity(mut self, app: App) -> Self {
        self.config
            .host_identities
            .push(crate::config::HostIdentity {
                client_id: app.client_id.clone(),
                resource_id: None,
            });
        self.config.apps.push(app);
        self
    }

    /// Registers `app` as a user-assigned managed identity with this Azure resource id, asked
    /// for by its client id or by the resource id.
    pub fn user_assigned_identity(mut self, app: App, resource_id: impl Into<String>) -> Self {
        self.config
            .host_identities
            .push(crate::config::HostIdentity {
                client_id: app.client_id.clone(),
                resource_id: Some(resource_id.into()),
            });
        self.config.apps.push(app);
        self
    }

    /// How long issued tokens live. Default: one hour.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// Turns throttling on with these limits (off by default).
    pub fn throttling(mut self, limits: Throttling) -> Self {
        self.config.throttling = Some(limits);
        self
    }

    /// Injects faults.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.config.faults = Some(plan);
        self
    }

    /// What one client may take (header and body timeouts, body size, open connections).
    pub fn client_limits(mut self, limits: ClientLimits) -> Self {
        self.config.client_limits = limits;
        self
    }

    /// Listens on this port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How much of what it received the emulator keeps (default [`JournalLimits::default`]:
    /// the newest 10,000 requests, bodies cut at 64 KiB, 32 MiB of bodies in all).
    pub fn journal_limits(mut self, limits: JournalLimits) -> Self {
        self.config.journal_limits = limits;
        self
    }

    /// Items per page when a list asks for no `$top` (default [`DEFAULT_PAGE_SIZE`], 100);
    /// later pages are reached through `@odata.nextLink` with a `$skiptoken`. At least 1.
    pub fn page_size(mut self, items: usize) -> Self {
        self.config.page_size = items.max(1);
        self
    }

    /// Starts empty instead of with the seeds the linked crates registered
    /// (`graphwire_core::register_emulator_seed!`; graphwire-intune's documented examples).
    pub fn without_vector_seed(mut self) -> Self {
        self.seed_vectors = false;
        self
    }

    /// Stores a resource at a path such as
    /// `/deviceManagement/deviceCompliancePolicies/p-1` before the first request, in every
    /// registered app's tenant (each tenant gets its own copy: what one tenant changes, the
    /// others never see).
    pub fn seed(mut self, path: impl Into<String>, value: Value) -> Self {
        self.seeds.push((path.into(), value));
        self
    }

    /// Serves HTTPS instead of plain HTTP, with a certificate for `127.0.0.1` and `localhost`
    /// signed by a CA made at start ([`Emulator::ca_certificate_pem`]): for clients that
    /// attach tokens or strip nextLink origins only for `https://` URLs, such as Microsoft's
    /// JavaScript Graph client. Trust the CA, never skip verification.
    #[cfg(feature = "tls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
    pub fn tls(mut self) -> Self {
        self.tls = true;
        self
    }

    /// Faults of staged uploads (an app content file's blob and commit): failing blocks, a
    /// SAS URL that expires mid-upload, failing commits.
    pub fn upload_faults(mut self, faults: crate::config::UploadFaults) -> Self {
        self.config.upload_faults = faults;
        self
    }

    /// Binds 127.0.0.1 and serves until [`Emulator::shutdown`] or drop.
    pub async fn start(mut self) -> std::io::Result<Emulator> {
        if self.config.apps.is_empty() {
            self.config.apps.push(default_app());
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let (acceptor, ca_pem) = self.tls_acceptor()?;
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{addr}/");
        let state = Arc::new(State::new(self.config, base_url.clone()));
        let mut seeded = crate::store::Store::new();
        if self.seed_vectors {
            // What the linked crates registered (graphwire-intune: its documented examples).
            for seed in graphwire_core::meta::EmulatorSeed::all() {
                for (path, value) in (seed.resources)() {
                    seeded.put(crate::store::key_of(&path), value);
                }
            }
        }
        for (path, value) in self.seeds {
            seeded.put(crate::store::key_of(&path), value);
        }
        state.seed_tenants(&seeded);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(crate::http::serve(
            listener,
            Arc::clone(&state),
            stopped,
            acceptor,
        ));
        Ok(Emulator {
            addr,
            base_url,
            ca_pem,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

impl EmulatorBuilder {
    /// The TLS acceptor and the CA's PEM, when HTTPS was asked for.
    #[cfg(feature = "tls")]
    fn tls_acceptor(&self) -> std::io::Result<(Option<crate::http::Acceptor>, Option<String>)> {
        if !self.tls {
            return Ok((None, None));
        }
        let tls = crate::tls::LoopbackTls::generate().map_err(std::io::Error::other)?;
        Ok((Some(tls.acceptor()), Some(tls.ca_pem().to_owned())))
    }

    /// Without the `tls` feature the emulator serves plain HTTP only.
    #[cfg(not(feature = "tls"))]
    fn tls_acceptor(&self) -> std::io::Result<(Option<crate::http::Acceptor>, Option<String>)> {
        let _ = self.tls;
        Ok((None, None))
    }
}

/// A running Microsoft Graph emulator on loopback.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let emulator = graphwire_testkit::Emulator::start().await?;
/// println!("Graph at {}, tokens at {}", emulator.graph_url(), emulator.token_url("contoso"));
/// emulator.shutdown().await;
/// # Ok(()) }
/// ```
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    ca_pem: Option<String>,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// A builder.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Starts one with the defaults: the default app, the vector seed, no throttling or faults.
    pub async fn start() -> std::io::Result<Self> {
        Self::builder().start().await
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// In HTTPS mode, the PEM of the CA that signed the emulator's certificate: what a client
    /// trusts (write it to a file for `NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE` or
    /// `REQUESTS_CA_BUNDLE`, or pass it to `GraphClientBuilder::add_root_certificate`).
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The root, e.g. `http://127.0.0.1:39001/` (Graph under `v1.0/`, tokens under `{tenant}/`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `…/v1.0`
    pub fn graph_url(&self) -> String {
        format!("{}v1.0", self.base_url)
    }

    /// The token endpoint of a tenant.
    pub fn token_url(&self, tenant: &str) -> String {
        format!("{}{tenant}/oauth2/v2.0/token", self.base_url)
    }

    /// The host of its IMDS stand-in (`GET /metadata/identity/oauth2/token`, `Metadata: true`),
    /// as `AZURE_POD_IDENTITY_AUTHORITY_HOST` takes it: `http://127.0.0.1:39001`.
    pub fn imds_host(&self) -> String {
        self.base_url.trim_end_matches('/').to_owned()
    }

    /// Its App Service identity endpoint, as `IDENTITY_ENDPOINT` takes it
    /// (`…/msi/token`, API version 2019-08-01).
    pub fn app_service_endpoint(&self) -> String {
        format!("{}msi/token", self.base_url)
    }

    /// The `IDENTITY_HEADER` its App Service endpoint wants (made at start).
    pub fn identity_header(&self) -> &str {
        self.state.identity_header.expose()
    }

    /// A token of identity provider `issuer` about `subject`, for `api://AzureADTokenExchange`,
    /// valid for an hour: what AKS or GitHub Actions writes to `AZURE_FEDERATED_TOKEN_FILE`.
    /// An app with [`App::with_federated_credential`] for the pair accepts it as its client
    /// assertion.
    pub fn federated_token(&self, issuer: &str, subject: &str) -> String {
        let now = self.state.now_secs();
        self.state.signer.sign_json(&serde_json::json!({
            "iss": issuer,
            "sub": subject,
            "aud": crate::identity::TOKEN_EXCHANGE_AUDIENCE,
            "iat": now,
            "exp": now + 3600,
        }))
    }

    /// An access token for `app` (registered or not), with its roles, valid for the token
    /// lifetime: what a tool that signs in on its own (the Azure CLI) would hand over.
    pub fn access_token(&self, app: &App) -> String {
        let answer = self
            .state
            .identity(&app.tenant_id)
            .host_token(app, self.base_url.trim_end_matches('/'));
        answer.body["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// A cloud whose Graph root and login authority are this emulator.
    pub fn cloud(&self) -> Cloud {
        let url = url::Url::parse(&self.base_url);
        match url {
            Ok(url) => Cloud::custom(url.clone(), url),
            Err(_) => Cloud::global(),
        }
    }

    /// How many declared endpoints it serves.
    pub fn endpoint_count(&self) -> usize {
        self.state.routes.len()
    }

    /// Every request received so far.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.state.journal.entries()
    }

    /// The newest `n` requests journaled, oldest first.
    pub fn journal_last(&self, n: usize) -> Vec<JournalEntry> {
        self.state.journal.last(n)
    }

    /// The requests journaled after sequence number `seq` ([`JournalEntry::seq`]), oldest
    /// first: poll with the last `seq` seen to read only what is new.
    pub fn journal_since(&self, seq: u64) -> Vec<JournalEntry> {
        self.state.journal.since(seq)
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        self.state.journal.clear();
    }

    /// How many client connections are open now.
    pub fn open_connections(&self) -> usize {
        self.state.connections.open()
    }

    /// How many idle connections were closed to make room for new ones.
    pub fn evicted_connections(&self) -> u64 {
        self.state.connections.evicted()
    }

    /// The most Graph requests that were being served at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight()
    }

    /// How many 429s throttling has sent.
    pub fn throttled_count(&self) -> u64 {
        self.state.lock_throttle().throttled
    }

    /// The stored resource at a path such as `/deviceManagement/deviceCompliancePolicies/p-1`,
    /// in the first registered app's tenant (`contoso` for the default app).
    pub fn resource(&self, path: &str) -> Option<Value> {
        self.resource_in(&self.state.home_tenant, path)
    }

    /// The stored resource at a path in one tenant.
    pub fn resource_in(&self, tenant: &str, path: &str) -> Option<Value> {
        self.state
            .store(tenant)
            .get(&crate::store::key_of(path))
            .cloned()
    }

    /// Stores a resource while running, in the first registered app's tenant.
    pub fn put_resource(&self, path: &str, value: Value) {
        self.put_resource_in(&self.state.home_tenant.clone(), path, value);
    }

    /// Stores a resource while running, in one tenant.
    pub fn put_resource_in(&self, tenant: &str, path: &str, value: Value) {
        self.state
            .store(tenant)
            .put(crate::store::key_of(path), value);
    }

    /// Stops accepting and waits for the server task to end.
    pub async fn shutdown(mut self) {
        self.stop_now();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_now();
    }
}
