//! What a running emulator shares between connections: its configuration, keys, routes,
//! store, journal, throttle and fault dice.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::config::{App, ClientLimits, FaultPlan, Throttling};
use crate::connections::Connections;
use crate::identity::{DeviceGrant, Identity, Signer};
use crate::journal::{Journal, JournalLimits};
use crate::routes::RouteTable;
use crate::store::{EMPTY, Store};
use crate::throttle::Throttle;

/// Everything a running emulator was configured with.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub apps: Vec<App>,
    /// The managed identities its IMDS and App Service endpoints serve.
    pub host_identities: Vec<crate::config::HostIdentity>,
    pub token_lifetime: Duration,
    pub throttling: Option<Throttling>,
    pub faults: Option<FaultPlan>,
    pub client_limits: ClientLimits,
    pub journal_limits: JournalLimits,
    /// Items per page when a list asks for no `$top`.
    pub page_size: usize,
    /// Faults of staged uploads (content files' blobs and commits).
    pub upload_faults: crate::config::UploadFaults,
}

/// Shared state of a running emulator.
pub(crate) struct State {
    pub config: Config,
    pub base_url: String,
    pub signer: Signer,
    /// What the App Service endpoint wants in `X-IDENTITY-HEADER` (made at start).
    pub identity_header: graphwire_core::Secret,
    pub routes: &'static RouteTable,
    pub journal: Journal,
    pub connections: Arc<Connections>,
    pub fault_rng: Mutex<fastrand::Rng>,
    /// Staged upload sessions (content files) and their blobs.
    pub uploads: Mutex<crate::upload_sessions::Sessions>,
    /// Each tenant's resources: data belongs to the tenant whose app wrote it, and another
    /// tenant's apps see none of it (Graph answers them 404).
    tenants: Mutex<BTreeMap<String, Store>>,
    /// The first registered app's tenant: where [`Emulator::resource`] looks.
    ///
    /// [`Emulator::resource`]: crate::Emulator::resource
    pub home_tenant: String,
    throttle: Mutex<Throttle>,
    grants: Mutex<Vec<DeviceGrant>>,
    started: Instant,
    started_unix: u64,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A lock that keeps serving after a panic elsewhere: these structures are never left
/// half-updated in a way that matters to a test double.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl State {
    pub fn new(config: Config, base_url: String) -> Self {
        let fault_seed = config.faults.as_ref().map_or(0, |f| f.seed);
        let journal = Journal::new(config.journal_limits.clone());
        let home_tenant = config
            .apps
            .first()
            .map(|app| app.tenant_id.clone())
            .unwrap_or_default();
        Self {
            config,
            base_url,
            signer: Signer::new(),
            identity_header: graphwire_core::Secret::new(uuid::Uuid::new_v4().simple().to_string()),
            routes: RouteTable::shared(),
            journal,
            connections: Arc::default(),
            fault_rng: Mutex::new(fastrand::Rng::with_seed(fault_seed)),
            uploads: Mutex::default(),
            home_tenant,
            tenants: Mutex::new(BTreeMap::new()),
            throttle: Mutex::new(Throttle::default()),
            grants: Mutex::new(Vec::new()),
            started: Instant::now(),
            started_unix: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// Forgets every stored resource (a fuzz input starts from an empty tenant).
    #[cfg(feature = "fuzzing")]
    pub fn clear_store(&self) {
        lock(&self.tenants).clear();
    }

    /// Gives every tenant with a registered app its own copy of `seeded`.
    pub fn seed_tenants(&self, seeded: &Store) {
        let mut tenants = lock(&self.tenants);
        for app in &self.config.apps {
            tenants
                .entry(app.tenant_id.clone())
                .or_insert_with(|| seeded.clone());
        }
    }

    /// Forgets every pending device code.
    #[cfg(feature = "fuzzing")]
    pub fn clear_grants(&self) {
        lock(&self.grants).clear();
    }

    /// One tenant's resources, locked until the guard drops.
    pub fn store(&self, tenant: &str) -> TenantStore<'_> {
        TenantStore {
            tenants: lock(&self.tenants),
            tenant: tenant.to_owned(),
        }
    }

    pub fn lock_throttle(&self) -> MutexGuard<'_, Throttle> {
        lock(&self.throttle)
    }

    /// Seconds on the emulator's clock (follows tokio's clock, so paused-clock tests can
    /// expire tokens).
    pub fn now_secs(&self) -> u64 {
        self.started_unix + self.started.elapsed().as_secs()
    }

    /// The identity platform of one tenant.
    pub fn identity(&self, tenant: &str) -> Identity<'_> {
        Identity {
            signer: &self.signer,
            apps: &self.config.apps,
            grants: &self.grants,
            audience: &self.base_url,
            token_url: format!("{}{tenant}/oauth2/v2.0/token", self.base_url),
            lifetime: self.config.token_lifetime,
            now: self.now_secs(),
        }
    }

    /// Counts a Graph request as in flight until the guard drops.
    pub fn enter(&self) -> InFlight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(self)
    }

    /// The most Graph requests served at the same time so far.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }
}

/// One tenant's resources while the store is locked: reads see an empty store until the
/// tenant's first write.
pub(crate) struct TenantStore<'a> {
    tenants: MutexGuard<'a, BTreeMap<String, Store>>,
    tenant: String,
}

impl Deref for TenantStore<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        self.tenants.get(&self.tenant).unwrap_or(&EMPTY)
    }
}

impl DerefMut for TenantStore<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.tenants.entry(self.tenant.clone()).or_default()
    }
}

/// A Graph request in flight; dropping it ends the count.
pub(crate) struct InFlight<'a>(&'a State);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
