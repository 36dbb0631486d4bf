//! The HTTP side: an axum server on 127.0.0.1, the token endpoint, the journal, faults and the
//! headers every answer carries.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body as AxumBody;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::post;
use bytes::Bytes;
use graphwire_core::Cloud;
use serde_json::Value;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::config::{App, Fault, FaultPlan, Throttling};
use crate::graph::{Body, EmuRequest, EmuResponse, error, handle};
use crate::identity::{DeviceGrant, Identity, Signer};
use crate::journal::JournalEntry;
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
}

/// Shared state of a running emulator.
pub struct State {
    pub(crate) config: Config,
    pub(crate) base_url: String,
    pub(crate) signer: Signer,
    pub(crate) routes: RouteTable,
    store: Mutex<Store>,
    journal: Mutex<Vec<JournalEntry>>,
    throttle: Mutex<Throttle>,
    fault_rng: Mutex<fastrand::Rng>,
    grants: Mutex<Vec<DeviceGrant>>,
    started: Instant,
    started_unix: u64,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// Counts a Graph request as in flight until dropped.
struct InFlight<'a>(&'a State);

impl<'a> InFlight<'a> {
    fn enter(state: &'a State) -> Self {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Self(state)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a lock cannot leave these structures half-updated in a way that
    // matters to a test double; keep serving.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub(crate) fn lock_throttle(&self) -> MutexGuard<'_, Throttle> {
        lock(&self.throttle)
    }

    /// Seconds on the emulator's clock (follows tokio's clock, so paused-clock tests can
    /// expire tokens).
    pub(crate) fn now_secs(&self) -> u64 {
        self.started_unix + self.started.elapsed().as_secs()
    }
}

/// Configures and starts an [`Emulator`].
#[derive(Debug)]
pub struct EmulatorBuilder {
    config: Config,
    port: u16,
    seed_vectors: bool,
    seeds: Vec<(String, Value)>,
}

/// The app every emulator knows unless told otherwise: tenant `contoso`, client
/// `emulator-app`, secret `emulator-secret`, permission `DeviceManagementConfiguration.ReadWrite.All`.
pub fn default_app() -> App {
    App::new("contoso", "emulator-app", "emulator-secret")
        .with_roles(["DeviceManagementConfiguration.ReadWrite.All"])
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            config: Config {
                apps: Vec::new(),
                token_lifetime: Duration::from_secs(3600),
                throttling: None,
                faults: None,
            },
            port: 0,
            seed_vectors: true,
            seeds: Vec::new(),
        }
    }
}

impl EmulatorBuilder {
    /// Registers an app (the default app is used only when none is registered).
    pub fn app(mut self, app: App) -> Self {
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

    /// Listens on this port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Starts empty instead of with the documented example objects.
    pub fn without_vector_seed(mut self) -> Self {
        self.seed_vectors = false;
        self
    }

    /// Stores a resource at a path such as
    /// `/deviceManagement/deviceCompliancePolicies/p-1` before the first request.
    pub fn seed(mut self, path: impl Into<String>, value: Value) -> Self {
        self.seeds.push((path.into(), value));
        self
    }

    /// Binds 127.0.0.1 and serves until [`Emulator::shutdown`] or drop.
    pub async fn start(mut self) -> std::io::Result<Emulator> {
        if self.config.apps.is_empty() {
            self.config.apps.push(default_app());
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}/");
        let fault_seed = self.config.faults.as_ref().map_or(0, |f| f.seed);
        let state = Arc::new(State {
            config: self.config,
            base_url: base_url.clone(),
            signer: Signer::new(),
            routes: RouteTable::from_metadata(),
            store: Mutex::new(Store::default()),
            journal: Mutex::new(Vec::new()),
            throttle: Mutex::new(Throttle::default()),
            fault_rng: Mutex::new(fastrand::Rng::with_seed(fault_seed)),
            grants: Mutex::new(Vec::new()),
            started: Instant::now(),
            started_unix: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        {
            let mut store = state.store();
            if self.seed_vectors {
                crate::seed::seed_vectors(&mut store);
            }
            for (path, value) in self.seeds {
                store.put(crate::seed::key_of(&path), value);
            }
        }
        let app = axum::Router::new()
            .route("/{tenant}/oauth2/v2.0/token", post(token))
            .route("/{tenant}/oauth2/v2.0/devicecode", post(device_code))
            .fallback(graph)
            .with_state(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(accept_loop(listener, app, stopped));
        Ok(Emulator {
            addr,
            base_url,
            state,
            stop: Some(stop),
            task: Some(task),
        })
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
        lock(&self.state.journal).clone()
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        lock(&self.state.journal).clear();
    }

    /// The most Graph requests that were being served at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// How many 429s throttling has sent.
    pub fn throttled_count(&self) -> u64 {
        self.state.lock_throttle().throttled
    }

    /// The stored resource at a path such as `/deviceManagement/deviceCompliancePolicies/p-1`.
    pub fn resource(&self, path: &str) -> Option<Value> {
        self.state.store().get(&crate::seed::key_of(path)).cloned()
    }

    /// Stores a resource while running.
    pub fn put_resource(&self, path: &str, value: Value) {
        self.state.store().put(crate::seed::key_of(path), value);
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

impl State {
    fn identity(&self, tenant: &str) -> Identity<'_> {
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
}

async fn token(
    AxumState(state): AxumState<Arc<State>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    identity(&state, &tenant, "token", &headers, &body, |i, t, f| {
        i.token(t, f)
    })
}

async fn device_code(
    AxumState(state): AxumState<Arc<State>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    identity(&state, &tenant, "devicecode", &headers, &body, |i, t, f| {
        i.device_code(t, f)
    })
}

/// Runs one identity endpoint (`/{tenant}/oauth2/v2.0/{endpoint}`) on its form body.
fn identity(
    state: &State,
    tenant: &str,
    endpoint: &str,
    headers: &HeaderMap,
    body: &[u8],
    handler: fn(&Identity<'_>, &str, &[(String, String)]) -> crate::identity::TokenAnswer,
) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let answer = handler(&state.identity(tenant), tenant, &form);
    identity_answer(
        state,
        &format!("/{tenant}/oauth2/v2.0/{endpoint}"),
        headers,
        answer,
    )
}

/// Journals an identity request (its form holds secrets, so not its body) and answers it.
fn identity_answer(
    state: &State,
    path: &str,
    headers: &HeaderMap,
    answer: crate::identity::TokenAnswer,
) -> Response {
    record(
        state,
        "POST",
        path,
        None,
        headers,
        b"<form redacted>",
        answer.status,
    );
    respond(
        headers,
        EmuResponse {
            status: answer.status,
            headers: Vec::new(),
            body: Body::Json(answer.body),
        },
    )
}

/// Lets a handler close its own connection without answering.
#[derive(Clone)]
struct Hangup(Arc<Notify>);

/// Serves each connection with hyper directly (rather than `axum::serve`) so that a handler
/// can drop its connection before any response, as a failing network does.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    mut stopped: oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else {
            continue;
        };
        let hangup = Arc::new(Notify::new());
        let signal = hangup.clone();
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(Hangup(signal.clone()));
                tower_service::Service::call(&mut app.clone(), request)
            },
        );
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.header_read_timeout(None);
            let connection =
                builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                () = hangup.notified() => {}
            }
        });
    }
}

async fn graph(
    AxumState(state): AxumState<Arc<State>>,
    hangup: Option<axum::Extension<Hangup>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = EmuRequest {
        method: method.as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect(),
        body: body.to_vec(),
    };
    let _in_flight = InFlight::enter(&state);
    let fault = pick_fault(&state, &request);
    if let Some(latency) = state
        .config
        .faults
        .as_ref()
        .filter(|f| applies(f, &request))
        .and_then(|f| f.latency)
    {
        tokio::time::sleep(latency).await;
    }
    let response = match &fault {
        Some(Fault::DropConnection) => {
            record(
                &state,
                &request.method,
                &request.path,
                request.query.clone(),
                &headers,
                &request.body,
                0,
            );
            if let Some(axum::Extension(Hangup(signal))) = hangup {
                signal.notify_one();
            }
            // The connection task drops this future with the connection.
            return std::future::pending().await;
        }
        Some(Fault::Status(status)) => {
            let mut response = error(*status, "serviceNotAvailable", "Injected fault.");
            if matches!(status, 429 | 503) {
                response.headers.push(("Retry-After".into(), "1".into()));
            }
            response
        }
        Some(Fault::HtmlErrorPage) => EmuResponse {
            status: 502,
            headers: Vec::new(),
            body: Body::Text(
                "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
                "text/html",
            ),
        },
        _ => handle(&state, &request).await,
    };
    record(
        &state,
        &request.method,
        &request.path,
        request.query.clone(),
        &headers,
        &request.body,
        response.status,
    );
    let mut http = respond(&headers, response);
    if let Some(fault @ (Fault::ResetBeforeBody | Fault::TruncatedBody)) = fault {
        http = cut(http, fault == Fault::TruncatedBody).await;
    }
    http
}

fn applies(plan: &FaultPlan, request: &EmuRequest) -> bool {
    let path = request
        .path
        .splitn(3, '/')
        .nth(2)
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    plan.path_prefix
        .as_deref()
        .is_none_or(|prefix| path.starts_with(prefix))
}

fn pick_fault(state: &State, request: &EmuRequest) -> Option<Fault> {
    let plan = state.config.faults.as_ref()?;
    if !applies(plan, request) || plan.pool.is_empty() {
        return None;
    }
    let mut rng = lock(&state.fault_rng);
    if rng.f64() >= plan.rate {
        return None;
    }
    plan.pool.get(rng.usize(..plan.pool.len())).cloned()
}

/// Sends the headers (with the full `Content-Length`), then cuts the connection: at once, or
/// after half the body.
async fn cut(response: Response, half: bool) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let sent = if half {
        bytes.slice(..bytes.len() / 2)
    } else {
        Bytes::new()
    };
    // Yield between the part that is sent and the reset, so hyper flushes the headers (and
    // the half body) first: the client sees a response, then a cut.
    let stream = futures::stream::unfold(0u8, move |step| {
        let sent = sent.clone();
        async move {
            match step {
                0 => Some((Ok::<Bytes, std::io::Error>(sent), 1)),
                1 => {
                    tokio::task::yield_now().await;
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    let reset =
                        std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected fault");
                    Some((Err(reset), 2))
                }
                _ => None,
            }
        }
    });
    let mut response = Response::from_parts(parts, AxumBody::from_stream(stream));
    if let Ok(length) = HeaderValue::from_str(&bytes.len().max(1).to_string()) {
        response.headers_mut().insert("content-length", length);
    }
    response
}

fn record(
    state: &State,
    method: &str,
    path: &str,
    query: Option<String>,
    headers: &HeaderMap,
    body: &[u8],
    status: u16,
) {
    let headers = headers
        .iter()
        .map(|(k, v)| {
            let value = if k.as_str().eq_ignore_ascii_case("authorization") {
                "Bearer <redacted>".to_owned()
            } else {
                v.to_str().unwrap_or("<binary>").to_owned()
            };
            (k.as_str().to_owned(), value)
        })
        .collect();
    lock(&state.journal).push(JournalEntry {
        method: method.to_owned(),
        path: path.to_owned(),
        query,
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
        status,
    });
}

/// Adds the headers Graph sends on every answer and turns the body into bytes.
fn respond(request_headers: &HeaderMap, response: EmuResponse) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = request_headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| request_id.clone(), str::to_owned);
    let (content_type, body) = match response.body {
        Body::Json(value) => (
            Some(
                "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
            ),
            Bytes::from(value.to_string()),
        ),
        Body::Text(text, content_type) => (Some(content_type), Bytes::from(text)),
        Body::Empty => (None, Bytes::new()),
    };
    let mut http = Response::new(AxumBody::from(body));
    *http.status_mut() =
        StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = http.headers_mut();
    let mut put = |name: &str, value: &str| {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    };
    put("request-id", &request_id);
    put("client-request-id", &client_request_id);
    put("date", &httpdate::fmt_http_date(SystemTime::now()));
    put(
        "x-ms-ags-diagnostic",
        r#"{"ServerInfo":{"DataCenter":"Loopback","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"emulator"}}"#,
    );
    if let Some(content_type) = content_type {
        put("content-type", content_type);
        put("odata-version", "4.0");
    }
    for (name, value) in &response.headers {
        put(name, value);
    }
    http
}
