//! Shared helpers of the integration tests.
#![allow(dead_code)]

pub mod harness;
pub mod raw;

use graphwire_core::{Cloud, GraphClient, GraphClientBuilder, RetryPolicy, StaticToken};
use wiremock::MockServer;

/// A client pointed at a loopback server, with a static token and no jitter-free surprises.
pub fn builder_for(server: &MockServer) -> GraphClientBuilder {
    let root = url::Url::parse(&format!("{}/", server.uri())).unwrap();
    GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .credential(StaticToken::new("test-token"))
        .retry(RetryPolicy::default())
}

pub fn client_for(server: &MockServer) -> GraphClient {
    builder_for(server).build().unwrap()
}

/// Requests the server received, as (method, raw path, query).
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

pub fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A client for tests under tokio's paused clock: no timers of its own (no timeouts, no idle
/// connection reaper, no call deadline), so the clock only jumps to the client's retry waits.
pub fn paused_builder_for(server: &MockServer) -> GraphClientBuilder {
    let http = reqwest_client();
    builder_for(server).http_client(http).retry(paused_retry())
}

/// The default retry policy without its call deadline, for clients on tokio's paused clock
/// (the clock would jump to the deadline while the runtime waits on a socket).
pub fn paused_retry() -> RetryPolicy {
    RetryPolicy::default().without_deadline()
}

pub fn reqwest_client() -> graphwire_core::reqwest::Client {
    graphwire_core::reqwest::Client::builder()
        .redirect(graphwire_core::reqwest::redirect::Policy::none())
        .pool_idle_timeout(None)
        .build()
        .unwrap()
}

// Tests start their servers with `MockServer::builder().start()`: a fresh server per test.
// `MockServer::start()` recycles pooled servers, and a request still in flight from an earlier
// test could then be counted by a later one.

/// A client signed in to `emulator` as its default app, with no timers of its own, so it is
/// safe on tokio's paused clock.
pub fn emulator_client(emulator: &graphwire_testkit::Emulator) -> GraphClientBuilder {
    GraphClient::builder()
        .retry(paused_retry())
        .cloud(emulator.cloud())
        .credential(graphwire_testkit::default_app().credential())
        .http_client(reqwest_client())
}

/// `Bearer …` for `app`, from the emulator's token endpoint (client credentials).
pub async fn bearer_for(
    emulator: &graphwire_testkit::Emulator,
    app: &graphwire_testkit::App,
) -> String {
    let answer: serde_json::Value = graphwire_core::reqwest::Client::new()
        .post(emulator.token_url(&app.tenant_id))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.expose()),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    format!("Bearer {}", answer["access_token"].as_str().unwrap())
}

/// What `on_retry` saw: operation, status, delay, attempt.
pub type Retried = (String, Option<u16>, std::time::Duration, u32);

/// Records what `on_retry` sees.
#[derive(Debug, Default)]
pub struct RetryLog {
    pub events: std::sync::Arc<std::sync::Mutex<Vec<Retried>>>,
}

impl graphwire_core::RequestPolicy for RetryLog {
    fn on_request(&self, _: &mut graphwire_core::reqwest::Request) {}
    fn on_retry(&self, retry: &graphwire_core::RetryEvent<'_>) {
        self.events.lock().unwrap().push((
            retry.operation.to_owned(),
            retry.status,
            retry.delay,
            retry.attempt,
        ));
    }
}
