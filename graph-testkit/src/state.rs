//! What a running emulator shares between connections: its configuration, keys, routes,
//! store, journal, throttle and fault dice.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::config::{App, ClientLimits, FaultPlan, Throttling};
use crate::connections::Connections;
use crate::identity::{DeviceGrant, Identity, Signer};
use crate::journal::Journal;
use crate::routes::RouteTable;
use crate::store::Store;
use crate::throttle::Throttle;

/// Everything a running emulator was configured with.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub apps: Vec<App>,
    pub token_lifetime: Duration,
    pub throttling: Option<Throttling>,
    pub faults: Option<FaultPlan>,
    pub client_limits: ClientLimits,
}

/// Shared state of a running emulator.
pub(crate) struct State {
    pub config: Config,
    pub base_url: String,
    pub signer: Signer,
    pub routes: RouteTable,
    pub journal: Journal,
    pub connections: Arc<Connections>,
    pub fault_rng: Mutex<fastrand::Rng>,
    store: Mutex<Store>,
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
        Self {
            config,
            base_url,
            signer: Signer::new(),
            routes: RouteTable::from_metadata(),
            journal: Journal::default(),
            connections: Arc::default(),
            fault_rng: Mutex::new(fastrand::Rng::with_seed(fault_seed)),
            store: Mutex::new(Store::default()),
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
        *lock(&self.store) = Store::default();
    }

    /// Forgets every pending device code.
    #[cfg(feature = "fuzzing")]
    pub fn clear_grants(&self) {
        lock(&self.grants).clear();
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
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

/// A Graph request in flight; dropping it ends the count.
pub(crate) struct InFlight<'a>(&'a State);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
