//! The client against hostile servers on 127.0.0.1, as a security reviewer drives it: secrets
//! only over TLS, every read bounded, paging that ends, `$batch` retries per item, no
//! duplicated writes, time limits that say which one ran out. Every server here is bounded in
//! connections and in real time; waits run on tokio's paused clock.

use crate::common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{paused_builder_for, paused_retry, received};
use futures::future::join;
use graphwire_core::auth::{ClientCertificateCredential, DeviceCodeCredential, TokenCache};
use graphwire_core::batch::chain;
use graphwire_core::reqwest;
use graphwire_core::{
    ClientSecretCredential, Cloud, EnvironmentCredential, Error, GraphClient, PagingStop,
    RetryPolicy, StaticToken, TimeoutLimit, TokenCredential, TokenRequest, WriteRetry,
};
use graphwire_intune::{
    DeviceCompliancePolicy, DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt,
    IosCompliancePolicy,
};
use serde_json::{Value, json};
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CERTIFICATE_BUNDLE: &str = include_str!("../fixtures/certificate/test-app.pem");
/// A login host that is not loopback. Nothing here resolves it: requests for it can only
/// reach the loopback proxy of the test that configures one.
const REMOTE_LOGIN: &str = "http://login.example.test/";
const RULE: &str = "a client secret, client assertion or device code is sent only over https (plain http only to loopback addresses)";

type Overview = graphwire_core::Result<DeviceComplianceUserOverview>;

/// The user-status overview of policy `id`: the call most tests here make.
fn overview(client: &GraphClient, id: &str) -> graphwire_core::Call<DeviceComplianceUserOverview> {
    client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from(id))
}

/// The overviews of p-1 and p-2, made together in one `$batch` scope.
async fn two_overviews_batched(client: &GraphClient) -> (Overview, Overview) {
    client
        .batch(join(overview(client, "p-1"), overview(client, "p-2")))
        .await
}

/// The overview of p-2 chained after p-1's in one `$batch` scope.
async fn chained_overviews(client: &GraphClient) -> (Overview, Overview) {
    client
        .batch(chain(overview(client, "p-1"), overview(client, "p-2")))
        .await
}

// ---------------------------------------------------------------- a raw hostile server

/// How a [`RawServer`] answers every connection.
#[derive(Clone)]
enum Behaviour {
    /// Writes `head`, then `prefix`, then filler bytes up to `total` body bytes in all, or
    /// until the client hangs up.
    Stream {
        head: &'static str,
        prefix: &'static str,
        total: u64,
    },
    /// Reads the request and never answers (a proxy that must not be reached, a server that
    /// drips nothing).
    Silent,
}

/// A server on 127.0.0.1 on a thread and runtime of its own, so a test's paused clock never
/// touches it. Bounded: at most 64 connections, and it stops after 30 s of real time.
struct RawServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    /// Body bytes written so far.
    written: Arc<AtomicU64>,
    /// Each request's head, as received.
    requests: Arc<Mutex<Vec<String>>>,
}

const RAW_MAX_CONNECTIONS: usize = 64;
const RAW_LIFETIME: Duration = Duration::from_secs(30);

impl RawServer {
    fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = Self {
            addr,
            connections: Arc::default(),
            written: Arc::default(),
            requests: Arc::default(),
        };
        let (connections, written, requests) = (
            Arc::clone(&server.connections),
            Arc::clone(&server.written),
            Arc::clone(&server.requests),
        );
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            for socket in listener.incoming().take(RAW_MAX_CONNECTIONS) {
                let Ok(socket) = socket else { break };
                connections.fetch_add(1, Ordering::SeqCst);
                let (behaviour, written, requests) = (
                    behaviour.clone(),
                    Arc::clone(&written),
                    Arc::clone(&requests),
                );
                let left = RAW_LIFETIME.saturating_sub(started.elapsed());
                std::thread::spawn(move || serve(socket, behaviour, &written, &requests, left));
            }
        });
        server
    }

    fn root(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/", self.addr)).unwrap()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The connections accepted once the server's thread has caught up with `expected` (it
    /// accepts in real time, behind a client on the paused clock), waiting at most 5 s.
    fn connections_reaching(&self, expected: usize) -> usize {
        let started = std::time::Instant::now();
        while self.connections() < expected && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.connections()
    }
}

fn serve(
    mut socket: TcpStream,
    behaviour: Behaviour,
    written: &AtomicU64,
    requests: &Mutex<Vec<String>>,
    lifetime: Duration,
) {
    let _ = socket.set_read_timeout(Some(lifetime.max(Duration::from_millis(1))));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 << 10 {
        match socket.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    requests
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&head).into_owned());
    match behaviour {
        Behaviour::Stream {
            head,
            prefix,
            total,
        } => {
            if socket.write_all(head.as_bytes()).is_err() {
                return;
            }
            let filler = vec![b'a'; 64 << 10];
            let mut sent = 0u64;
            let mut chunk = prefix.as_bytes();
            while sent < total {
                let n = chunk.len().min((total - sent) as usize);
                if socket.write_all(&chunk[..n]).is_err() {
                    return;
                }
                sent += n as u64;
                written.fetch_add(n as u64, Ordering::SeqCst);
                chunk = &filler;
            }
        }
        Behaviour::Silent => std::thread::sleep(lifetime),
    }
}

/// A reqwest client that sends everything for `login.example.test` through `proxy` (and
/// nothing else), as a network on the way would see it.
fn proxied_http(proxy: &RawServer) -> reqwest::Client {
    let proxy_url = proxy.root();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(None)
        .proxy(reqwest::Proxy::custom(move |url| {
            (url.host_str() == Some("login.example.test")).then(|| proxy_url.clone())
        }))
        .build()
        .unwrap()
}

// ---------------------------------------------------------------- 1. secrets only over TLS

fn credentials() -> Vec<(&'static str, Arc<dyn TokenCredential>)> {
    let environment = EnvironmentCredential::from_lookup(|name| {
        Some(
            match name {
                "AZURE_TENANT_ID" => "contoso",
                "AZURE_CLIENT_ID" => "app",
                "AZURE_CLIENT_SECRET" => "s3cr3t",
                _ => return None,
            }
            .to_owned(),
        )
    })
    .unwrap()
    .unwrap();
    vec![
        (
            "client secret",
            Arc::new(ClientSecretCredential::new("contoso", "app", "s3cr3t")),
        ),
        (
            "certificate",
            Arc::new(
                ClientCertificateCredential::from_pem("contoso", "app", CERTIFICATE_BUNDLE)
                    .unwrap(),
            ),
        ),
        (
            "device code",
            Arc::new(DeviceCodeCredential::new("contoso", "app", |_| {})),
        ),
        ("environment", Arc::new(environment)),
    ]
}

#[test]
fn every_credential_refuses_a_plain_http_authority_at_build() {
    let graph = url::Url::parse("http://127.0.0.1:9/").unwrap();
    let cloud = Cloud::custom(graph, url::Url::parse(REMOTE_LOGIN).unwrap());
    for (name, credential) in credentials() {
        let err = GraphClient::builder()
            .cloud(cloud.clone())
            .shared_credential(credential)
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, Error::Refused { url, reason } if url == REMOTE_LOGIN && reason == RULE),
            "{name}: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("refused to send to {REMOTE_LOGIN}: {RULE}"),
            "{name}"
        );
    }
}

#[test]
fn an_authority_set_on_the_credential_is_checked_too() {
    let secret =
        ClientSecretCredential::new("contoso", "app", "s3cr3t").with_authority(REMOTE_LOGIN);
    let certificate = ClientCertificateCredential::from_pem("contoso", "app", CERTIFICATE_BUNDLE)
        .unwrap()
        .with_authority(REMOTE_LOGIN);
    let device = DeviceCodeCredential::new("contoso", "app", |_| {}).with_authority(REMOTE_LOGIN);
    let overridden: [Arc<dyn TokenCredential>; 3] =
        [Arc::new(secret), Arc::new(certificate), Arc::new(device)];
    for credential in overridden {
        let err = GraphClient::builder()
            .cloud(Cloud::global())
            .shared_credential(credential)
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("refused to send to {REMOTE_LOGIN}: {RULE}")
        );
    }
}

#[test]
fn https_loopback_and_a_fixed_token_are_accepted() {
    let loopback = url::Url::parse("http://127.0.0.1:9/").unwrap();
    for (name, credential) in credentials() {
        for cloud in [
            Cloud::global(),
            Cloud::custom(loopback.clone(), loopback.clone()),
            Cloud::custom(
                loopback.clone(),
                url::Url::parse("http://localhost:9/").unwrap(),
            ),
        ] {
            let built = GraphClient::builder()
                .cloud(cloud)
                .shared_credential(Arc::clone(&credential))
                .build();
            assert!(built.is_ok(), "{name}: {:?}", built.err());
        }
    }
    // A fixed token goes to no token endpoint: whatever the authority, nothing secret leaves.
    let cloud = Cloud::custom(loopback, url::Url::parse(REMOTE_LOGIN).unwrap());
    assert!(
        GraphClient::builder()
            .cloud(cloud)
            .credential(StaticToken::new("t"))
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn the_token_cache_driven_directly_sends_nothing_in_clear_text() {
    let proxy = RawServer::start(Behaviour::Silent);
    let http = proxied_http(&proxy);
    let scopes = vec!["https://graph.microsoft.com/.default".to_owned()];
    let cache = TokenCache::new(
        Arc::new(ClientSecretCredential::new("contoso", "app", "s3cr3t")),
        Duration::from_secs(300),
    );
    let err = cache
        .token(TokenRequest {
            scopes: &scopes,
            authority: REMOTE_LOGIN,
            http: &http,
        })
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "authentication failed: refused to send to {REMOTE_LOGIN}contoso/oauth2/v2.0/token: {RULE}"
        )
    );
    // The proxy is really on the way: a plain request for the host reaches it.
    let control = tokio::time::timeout(
        Duration::from_millis(300),
        http.get(format!("{REMOTE_LOGIN}probe")).send(),
    )
    .await;
    assert!(control.is_err(), "the silent proxy never answers");
    let requests = proxy.requests.lock().unwrap().clone();
    assert_eq!(
        requests.len(),
        1,
        "only the control went through: {requests:?}"
    );
    assert!(
        requests[0].starts_with("GET http://login.example.test/probe HTTP/1.1"),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_token_endpoint_redirect_is_not_followed() {
    let proxy = RawServer::start(Behaviour::Silent);
    let login = MockServer::builder().start().await;
    Mock::given(path("/contoso/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(307).insert_header(
            "Location",
            "http://login.example.test/contoso/oauth2/v2.0/token?stolen=1",
        ))
        .mount(&login)
        .await;
    let root = url::Url::parse(&format!("{}/", login.uri())).unwrap();
    let client = GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .credential(ClientSecretCredential::new("contoso", "app", "s3cr3t"))
        .http_client(proxied_http(&proxy))
        .build()
        .unwrap();
    let err = overview(&client, "p-1").await.unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("expected an Auth error, got {err:?}")
    };
    assert_eq!(auth.status, Some(307));
    assert_eq!(
        auth.message,
        format!(
            "token endpoint {}/contoso/oauth2/v2.0/token answered 307, a redirect to http://login.example.test/contoso/oauth2/v2.0/token; credential requests are not redirected: a secret, assertion or device code goes only to the configured authority",
            login.uri()
        )
    );
    assert!(!err.to_string().contains("s3cr3t"));
    assert_eq!(
        proxy.connections(),
        0,
        "nothing went to the redirect target"
    );
    assert_eq!(
        received(&login).await.len(),
        1,
        "one token request, no Graph call"
    );
}

// ---------------------------------------------------------------- 2. every read bounded

const TOKEN_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
const GIB: u64 = 1 << 30;

fn client_signing_in_at(server: &RawServer) -> GraphClient {
    GraphClient::builder()
        .cloud(Cloud::custom(server.root(), server.root()))
        .credential(ClientSecretCredential::new("contoso", "app", "s3cr3t"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_gibibyte_token_answer_is_cut_off_at_one_mebibyte() {
    let server = RawServer::start(Behaviour::Stream {
        head: TOKEN_HEAD,
        prefix: r#"{"token_type":"Bearer","access_token":""#,
        total: GIB,
    });
    let err = overview(&client_signing_in_at(&server), "p-1")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Auth(e) if e.status == Some(200)),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "authentication failed: token endpoint answered 200 with a body larger than 1048576 bytes, the limit for identity answers"
    );
    // What the server got out before the client hung up: the limit plus what sockets buffer.
    let written = server.written.load(Ordering::SeqCst);
    assert!(written < 64 << 20, "{written} bytes were written");
}

#[tokio::test]
async fn an_announced_gibibyte_is_refused_before_reading() {
    let server = RawServer::start(Behaviour::Stream {
        head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n",
        prefix: "",
        total: 0,
    });
    let err = overview(&client_signing_in_at(&server), "p-1")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "authentication failed: token endpoint answered 200 with a body larger than 1048576 bytes, the limit for identity answers"
    );
}

#[tokio::test]
async fn a_gibibyte_device_code_answer_is_cut_off_too() {
    let server = RawServer::start(Behaviour::Stream {
        head: TOKEN_HEAD,
        prefix: r#"{"device_code":""#,
        total: GIB,
    });
    let client = GraphClient::builder()
        .cloud(Cloud::custom(server.root(), server.root()))
        .credential(DeviceCodeCredential::new("contoso", "app", |_| {}))
        .build()
        .unwrap();
    let err = overview(&client, "p-1").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "authentication failed: device code endpoint answered 200 with a body larger than 1048576 bytes, the limit for identity answers"
    );
    assert!(
        server.requests.lock().unwrap()[0].starts_with("POST /contoso/oauth2/v2.0/devicecode ")
    );
}

#[tokio::test]
async fn a_batch_answer_past_the_response_limit_is_refused_for_every_call() {
    let server = MockServer::builder().start().await;
    let items: Vec<Value> = (1..=2)
        .map(|id| json!({"id": id.to_string(), "status": 200, "body": {"id": "x".repeat(2048)}}))
        .collect();
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "responses": items })))
        .mount(&server)
        .await;
    let client = common::builder_for(&server)
        .max_response_bytes(4096)
        .build()
        .unwrap();
    let (a, b) = two_overviews_batched(&client).await;
    for result in [a, b] {
        let err = result.unwrap_err();
        assert!(
            matches!(err, Error::BodyTooLarge { limit: 4096 }),
            "{err:?}"
        );
    }
}

// ---------------------------------------------------------------- 3. paging ends

const DEVICES: &str = "/v1.0/deviceManagement/managedDevices";

/// Answers every page request with `page(skiptoken)`: the `$skiptoken` of the request
/// (`None` for the first page).
struct Pager<F>(F);

impl<F: Fn(Option<&str>) -> Value + Send + Sync> Respond for Pager<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "$skiptoken")
            .map(|(_, v)| v.into_owned());
        ResponseTemplate::new(200).set_body_json((self.0)(token.as_deref()))
    }
}

fn page(uri: &str, items: usize, next: Option<&str>) -> Value {
    let value: Vec<Value> = (0..items).map(|i| json!({"id": format!("d{i}")})).collect();
    match next {
        Some(token) => {
            json!({"value": value, "@odata.nextLink": format!("{uri}{DEVICES}?$skiptoken={token}")})
        }
        None => json!({"value": value}),
    }
}

async fn pager_server<F>(answer: F) -> MockServer
where
    F: Fn(&str, Option<&str>) -> Value + Send + Sync + 'static,
{
    let server = MockServer::builder().start().await;
    let uri = server.uri();
    Mock::given(path(DEVICES))
        .respond_with(Pager(move |token: Option<&str>| answer(&uri, token)))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_self_referencing_next_link_is_a_loop_error() {
    let server = pager_server(|uri, _| page(uri, 10, Some("same"))).await;
    let client = common::client_for(&server);
    let pages = client.intune().managed_devices().list().await.unwrap();
    let err = pages.collect_all().await.unwrap_err();
    let loop_link = format!("{}{DEVICES}", server.uri());
    assert_eq!(
        err.to_string(),
        format!(
            "paging stopped after 2 pages: @odata.nextLink {loop_link} leads to a page already read in this listing"
        )
    );
    assert!(
        matches!(&err, Error::Paging(PagingStop::Loop { next_link, pages: 2 }) if *next_link == loop_link),
        "{err:?}"
    );
    assert_eq!(
        received(&server).await.len(),
        2,
        "the first page and one follow"
    );
}

/// The `$skiptoken` of each request the server received, in order.
async fn skiptokens(server: &MockServer) -> Vec<Option<String>> {
    received(server)
        .await
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "$skiptoken")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_two_page_cycle_is_a_loop_error() {
    let server = pager_server(|uri, token| match token {
        None | Some("b") => page(uri, 1, Some("a")),
        Some(_) => page(uri, 1, Some("b")),
    })
    .await;
    let client = common::client_for(&server);
    let pages = client.intune().managed_devices().list().await.unwrap();
    let err = pages.collect_all().await.unwrap_err();
    assert!(
        matches!(err, Error::Paging(PagingStop::Loop { pages: 3, .. })),
        "{err:?}"
    );
    assert_eq!(
        skiptokens(&server).await,
        [None, Some("a".into()), Some("b".into())]
    );
}

#[tokio::test]
async fn a_longer_cycle_behind_fresh_pages_is_a_loop_error() {
    // 0 → 1 → 2 → 3 → 4 → 5 → 3 → …: three fresh pages, then a cycle of three. The loop check
    // holds one link's hash (the one it keeps moves on at 1, 3, 7, … links), so it finds a
    // cycle within about twice its length; this one at its first repeat.
    let server = pager_server(|uri, token| {
        let n: u64 = token.and_then(|t| t.parse().ok()).unwrap_or(0);
        let next = if n == 5 { 3 } else { n + 1 };
        page(uri, 1, Some(&next.to_string()))
    })
    .await;
    let client = common::client_for(&server);
    let pages = client.intune().managed_devices().list().await.unwrap();
    let err = pages.collect_all().await.unwrap_err();
    assert!(
        matches!(err, Error::Paging(PagingStop::Loop { pages: 6, .. })),
        "{err:?}"
    );
    let tokens: Vec<String> = skiptokens(&server)
        .await
        .into_iter()
        .map(|token| token.unwrap_or_else(|| "-".into()))
        .collect();
    assert_eq!(tokens, ["-", "1", "2", "3", "4", "5"]);
}

#[tokio::test]
async fn a_next_link_longer_than_http_carries_is_refused_unsent_and_not_retried() {
    // A fresh 70,000-byte link: before, reqwest's "builder error" was reported as possibly
    // sent and retried 4 times over 7 s.
    let long = "x".repeat(70_000);
    let server = pager_server(move |uri, token| match token {
        None => page(uri, 1, Some(&long)),
        Some(_) => page(uri, 1, None),
    })
    .await;
    let client = common::client_for(&server);
    let pages = client.intune().managed_devices().list().await.unwrap();
    let err = pages.collect_all().await.unwrap_err();
    let Error::Refused { url, reason } = &err else {
        panic!("expected Refused, got {err:?}");
    };
    assert_eq!(
        reason,
        &format!(
            "the URL is {} bytes, more than the 65534 an HTTP request line can carry here; nothing was sent",
            format!("{}{DEVICES}?$skiptoken=", server.uri()).len() + 70_000
        )
    );
    // Shown without its query, as every URL in an error is.
    assert_eq!(url, &format!("{}{DEVICES}", server.uri()));
    assert!(!err.was_sent() && !err.is_retryable());
    assert_eq!(received(&server).await.len(), 1, "only the first page");
}

#[tokio::test]
async fn endless_empty_pages_stop_at_the_callers_page_cap() {
    let server = pager_server(|uri, token| {
        let n: u64 = token.and_then(|t| t.parse().ok()).unwrap_or(0);
        page(uri, 0, Some(&(n + 1).to_string()))
    })
    .await;
    let client = common::client_for(&server);
    let pages = client.intune().managed_devices().list().await.unwrap();
    let err = pages.max_pages(10).collect_all().await.unwrap_err();
    assert!(
        matches!(err, Error::Paging(PagingStop::MaxPages(10))),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "paging stopped: the listing has more than 10 pages, the cap set with max_pages"
    );
    assert_eq!(received(&server).await.len(), 10);
}

#[tokio::test]
async fn the_item_cap_stops_before_the_page_that_passes_it() {
    let server = pager_server(|uri, token| {
        let n: u64 = token.and_then(|t| t.parse().ok()).unwrap_or(0);
        page(uri, 2, Some(&(n + 1).to_string()))
    })
    .await;
    let client = common::client_for(&server);
    let mut pages = client
        .intune()
        .managed_devices()
        .list()
        .await
        .unwrap()
        .max_items(5);
    assert_eq!(pages.next_page().await.unwrap().map(|p| p.len()), Some(2));
    assert_eq!(pages.next_page().await.unwrap().map(|p| p.len()), Some(2));
    let err = pages.next_page().await.unwrap_err();
    assert!(
        matches!(err, Error::Paging(PagingStop::MaxItems(5))),
        "{err:?}"
    );
    assert_eq!(
        pages.next_page().await.unwrap().map(|p| p.len()),
        None,
        "ended"
    );
    assert_eq!(received(&server).await.len(), 3);
    // Under the caps, a listing that ends is read whole.
    let server = pager_server(|uri, token| match token {
        None => page(uri, 2, Some("2")),
        Some(_) => page(uri, 2, None),
    })
    .await;
    let client = common::client_for(&server);
    let all = client
        .intune()
        .managed_devices()
        .list()
        .await
        .unwrap()
        .max_pages(2)
        .max_items(4)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
}

// ---------------------------------------------------------------- 4, 5, 8. $batch items

/// Answers the n-th `$batch` (from 0) with `script(n, body)`; keeps every body it received.
struct BatchScript<F> {
    script: F,
    bodies: Arc<Mutex<Vec<Value>>>,
}

impl<F: Fn(usize, &Value) -> ResponseTemplate + Send + Sync> Respond for BatchScript<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let mut bodies = self.bodies.lock().unwrap();
        let n = bodies.len();
        bodies.push(body.clone());
        (self.script)(n, &body)
    }
}

/// A `$batch` server; the returned list fills with the bodies it receives.
async fn batch_server<F>(script: F) -> (MockServer, Arc<Mutex<Vec<Value>>>)
where
    F: Fn(usize, &Value) -> ResponseTemplate + Send + Sync + 'static,
{
    let server = MockServer::builder().start().await;
    let bodies = Arc::new(Mutex::new(Vec::new()));
    Mock::given(path("/v1.0/$batch"))
        .respond_with(BatchScript {
            script,
            bodies: Arc::clone(&bodies),
        })
        .mount(&server)
        .await;
    (server, bodies)
}

fn batch_answer(items: &[Value]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "responses": items }))
}

fn item(id: &str, status: u16) -> Value {
    json!({"id": id, "status": status, "headers": {"Content-Type": "application/json"}, "body": {"id": format!("p-{id}")}})
}

fn throttled_item(id: &str, retry_after: &str) -> Value {
    json!({"id": id, "status": 429, "headers": {"Retry-After": retry_after}, "body": {"error": {"code": "TooManyRequests", "message": "Too many requests"}}})
}

/// Every item answered 200 with its request's id.
fn all_ok(body: &Value) -> ResponseTemplate {
    let items: Vec<Value> = body["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| item(r["id"].as_str().unwrap_or_default(), 200))
        .collect();
    batch_answer(&items)
}

/// Each `$batch` body's item ids, with their `dependsOn`.
fn batch_items(bodies: &Mutex<Vec<Value>>) -> Vec<Vec<(String, Vec<String>)>> {
    bodies
        .lock()
        .unwrap()
        .iter()
        .map(|body| {
            body["requests"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    let depends: Vec<String> = r["dependsOn"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|d| d.as_str().map(str::to_owned))
                        .collect();
                    (r["id"].as_str().unwrap_or_default().to_owned(), depends)
                })
                .collect()
        })
        .collect()
}

/// Each `$batch` body's item ids, in the order sent.
fn sent_ids(bodies: &Mutex<Vec<Value>>) -> Vec<Vec<String>> {
    batch_items(bodies)
        .into_iter()
        .map(|batch| batch.into_iter().map(|(id, _)| id).collect())
        .collect()
}

fn overview_id(result: &Overview) -> Option<&str> {
    result.as_ref().ok().and_then(|o| o.id.as_deref())
}

#[tokio::test(start_paused = true)]
async fn a_chained_call_is_sent_again_with_its_throttled_dependency() {
    let (server, bodies) = batch_server(|n, body| match n {
        // Graph runs neither: the first is throttled, so the second fails its dependency.
        0 => batch_answer(&[throttled_item("1", "1"), item("2", 424)]),
        _ => all_ok(body),
    })
    .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    let (first, then) = chained_overviews(&client).await;
    assert_eq!(overview_id(&first), Some("p-1"), "{first:?}");
    assert_eq!(overview_id(&then), Some("p-2"), "{then:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    let batches = batch_items(&bodies);
    assert_eq!(batches.len(), 2);
    assert_eq!(
        batches[1],
        [("1".into(), vec![]), ("2".into(), vec!["1".to_owned()])],
        "re-sent together, the dependency kept"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_chain_whose_first_call_gives_up_never_runs_its_second() {
    let (server, bodies) =
        batch_server(|_, _| batch_answer(&[throttled_item("1", "999999"), item("2", 424)])).await;
    let client = paused_builder_for(&server).build().unwrap();
    let (first, then) = chained_overviews(&client).await;
    assert_eq!(first.unwrap_err().service().map(|e| e.status), Some(429));
    assert_eq!(then.unwrap_err().service().map(|e| e.status), Some(424));
    assert_eq!(batch_items(&bodies).len(), 1, "nothing was sent again");
}

#[tokio::test(start_paused = true)]
async fn each_throttled_item_waits_its_own_retry_after() {
    let (server, bodies) = batch_server(|n, body| match n {
        0 => batch_answer(&[throttled_item("1", "1"), throttled_item("2", "5")]),
        _ => all_ok(body),
    })
    .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    let answered_at = |id| {
        let call = overview(&client, id);
        async move { (call.await, start.elapsed()) }
    };
    let (a, b) = client
        .batch(join(answered_at("p-1"), answered_at("p-2")))
        .await;
    assert_eq!(
        (overview_id(&a.0), a.1),
        (Some("p-1"), Duration::from_secs(1))
    );
    assert_eq!(
        (overview_id(&b.0), b.1),
        (Some("p-2"), Duration::from_secs(5))
    );
    assert_eq!(sent_ids(&bodies), [vec!["1", "2"], vec!["1"], vec!["2"]]);
}

#[tokio::test(start_paused = true)]
async fn each_retry_of_a_batch_item_reaches_the_retry_hook() {
    let (server, _) = batch_server(|n, body| match n {
        0 => batch_answer(&[throttled_item("1", "3"), item("2", 200)]),
        _ => all_ok(body),
    })
    .await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let client = paused_builder_for(&server)
        .policy(common::RetryLog {
            events: Arc::clone(&events),
        })
        .build()
        .unwrap();
    let (a, b) = two_overviews_batched(&client).await;
    assert_eq!(
        (overview_id(&a), overview_id(&b)),
        (Some("p-1"), Some("p-2"))
    );
    // The item's own operation, status, wait and attempt, as a call's retry reports them
    // (before, `$batch` items were retried without telling the hook).
    assert_eq!(
        *events.lock().unwrap(),
        [(
            "device_compliance_policies.user_status_overview_get".to_owned(),
            Some(429),
            Duration::from_secs(3),
            1
        )]
    );
}

#[tokio::test(start_paused = true)]
async fn an_item_whose_wait_is_over_the_cap_fails_alone() {
    let (server, bodies) = batch_server(|n, body| match n {
        0 => batch_answer(&[throttled_item("1", "1"), throttled_item("2", "999999")]),
        _ => all_ok(body),
    })
    .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    let (a, b) = two_overviews_batched(&client).await;
    assert_eq!(overview_id(&a), Some("p-1"));
    let err = b.unwrap_err();
    // The item's own 429, and why it was not sent again (before: "still throttled inside
    // $batch; the next wait (999999s) exceeds the retry policy", for any reason).
    assert_eq!(
        err.to_string(),
        "Graph answered 429 TooManyRequests: Too many requests; not sent again: the wait asked for (999999s) is longer than the retry policy's longest (180s), after 1 attempt"
    );
    assert_eq!(
        err.service().and_then(|e| e.gave_up),
        Some(graphwire_core::GaveUp::WaitOverCap {
            wait: Duration::from_secs(999_999),
            cap: Duration::from_secs(180),
            attempts: 1
        })
    );
    assert_eq!(
        err.service().and_then(|e| e.retry_after),
        Some(Duration::from_secs(999_999))
    );
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    assert_eq!(sent_ids(&bodies), [vec!["1", "2"], vec!["1"]]);
}

#[tokio::test]
async fn duplicate_ids_in_a_batch_answer_are_a_decode_error() {
    let (server, _) =
        batch_server(|_, _| batch_answer(&[item("1", 200), item("1", 404), item("2", 200)])).await;
    let client = common::client_for(&server);
    let (a, b) = two_overviews_batched(&client).await;
    let err = a.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "response body could not be decoded: $batch answer has 2 responses with id 1; each request has exactly one"
    );
    assert_eq!(overview_id(&b), Some("p-2"));
}

// ---------------------------------------------------------------- 6. time limits

#[tokio::test(start_paused = true)]
async fn dripped_headers_are_cut_off_by_the_call_deadline() {
    let server = RawServer::start(Behaviour::Silent);
    let client = GraphClient::builder()
        .cloud(Cloud::custom(server.root(), server.root()))
        .credential(StaticToken::new("t"))
        .timeout(Duration::from_secs(30))
        .retry(RetryPolicy::default().with_deadline(Duration::from_secs(70)))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = overview(&client, "p-1").await.unwrap_err();
    // 30 s, a ~1 s wait, 30 s, a ~2 s wait, then the third attempt meets the deadline.
    assert!(
        matches!(err, Error::Timeout { limit: TimeoutLimit::Call, attempts: 3, after, .. } if after == Duration::from_secs(70)),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "timed out after 70s (the call's deadline) after 3 attempts"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(70));
    assert_eq!(server.connections_reaching(3), 3);
}

#[tokio::test(start_paused = true)]
async fn without_a_nearer_deadline_the_per_attempt_timeout_says_which_attempt() {
    let server = RawServer::start(Behaviour::Silent);
    let client = GraphClient::builder()
        .cloud(Cloud::custom(server.root(), server.root()))
        .credential(StaticToken::new("t"))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let err = overview(&client, "p-1").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "timed out after 30s (the per-attempt timeout) on attempt 4"
    );
    assert!(
        matches!(
            err,
            Error::Timeout {
                limit: TimeoutLimit::Attempt,
                attempts: 4,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadline_is_overridden_per_call_like_the_retry_policy() {
    let server = RawServer::start(Behaviour::Silent);
    let client = GraphClient::builder()
        .cloud(Cloud::custom(server.root(), server.root()))
        .credential(StaticToken::new("t"))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = graphwire_core::with_retry_policy(
        RetryPolicy::default().with_deadline(Duration::from_secs(5)),
        overview(&client, "p-1"),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "timed out after 5s (the call's deadline) after 1 attempt"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

// ---------------------------------------------------------------- 7. no duplicated writes

const POLICIES: &str = "/v1.0/deviceManagement/deviceCompliancePolicies";

/// Applies every create it receives (counts it), then answers the first `n` with `first`.
struct ApplyThenAnswer {
    n: usize,
    first: ResponseTemplate,
    applied: AtomicUsize,
}

impl Respond for ApplyThenAnswer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let seen = self.applied.fetch_add(1, Ordering::SeqCst);
        if seen < self.n {
            self.first.clone()
        } else {
            ResponseTemplate::new(201).set_body_json(json!({
                "@odata.type": "#microsoft.graph.iosCompliancePolicy",
                "id": format!("new-{}", seen + 1),
                "displayName": "iOS baseline"
            }))
        }
    }
}

async fn create_server(first: ResponseTemplate) -> MockServer {
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .and(path(POLICIES))
        .respond_with(ApplyThenAnswer {
            n: 1,
            first,
            applied: AtomicUsize::new(0),
        })
        .mount(&server)
        .await;
    server
}

fn new_policy() -> DeviceCompliancePolicy {
    let mut policy = IosCompliancePolicy::default();
    policy.base.display_name = Some("iOS baseline".into());
    policy.into()
}

async fn create(client: &GraphClient) -> graphwire_core::Result<DeviceCompliancePolicy> {
    client
        .intune()
        .device_compliance_policies()
        .create(&new_policy())
        .await
}

fn unavailable(retry_after: Option<&str>) -> ResponseTemplate {
    let answer = ResponseTemplate::new(503).set_body_json(json!({
        "error": {"code": "ServiceUnavailable", "message": "Try again later"}
    }));
    match retry_after {
        Some(after) => answer.insert_header("Retry-After", after),
        None => answer,
    }
}

#[tokio::test(start_paused = true)]
async fn a_create_that_may_have_been_applied_is_not_sent_again() {
    for (status, answer) in [(504, ResponseTemplate::new(504)), (503, unavailable(None))] {
        let server = create_server(answer).await;
        let client = paused_builder_for(&server).build().unwrap();
        let err = create(&client).await.unwrap_err();
        assert!(matches!(err, Error::WriteMaybeApplied(_)), "{err:?}");
        assert_eq!(err.service().map(|e| e.status), Some(status));
        assert!(!err.is_retryable());
        assert!(
            err.to_string().ends_with(
                "; the write may have been applied, so it was not sent again (not safe to retry: check before repeating it)"
            ),
            "{err}"
        );
        assert_eq!(received(&server).await.len(), 1, "{status}: sent once");
    }
    let server = create_server(unavailable(None)).await;
    let client = paused_builder_for(&server).build().unwrap();
    let err = create(&client).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Graph answered 503 ServiceUnavailable: Try again later; the write may have been applied, so it was not sent again (not safe to retry: check before repeating it)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_create_answered_not_processed_is_retried() {
    for answer in [
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        unavailable(Some("1")),
    ] {
        let server = create_server(answer).await;
        let client = paused_builder_for(&server).build().unwrap();
        let start = Instant::now();
        let created = create(&client).await.unwrap();
        assert_eq!(created.id.as_ref().map(|id| id.as_str()), Some("new-2"));
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        assert_eq!(received(&server).await.len(), 2);
    }
}

#[tokio::test(start_paused = true)]
async fn writes_can_opt_back_in_to_every_retryable_status() {
    let server = create_server(ResponseTemplate::new(504)).await;
    let client = paused_builder_for(&server)
        .retry(paused_retry().with_write_retry(WriteRetry::EvenIfMaybeApplied))
        .build()
        .unwrap();
    let created = create(&client).await.unwrap();
    // The server applied both: the duplicate Microsoft's SDKs risk, chosen knowingly.
    assert_eq!(created.id.as_ref().map(|id| id.as_str()), Some("new-2"));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_update_is_still_retried_after_a_gateway_timeout() {
    let server = MockServer::builder().start().await;
    let overview = "/v1.0/deviceManagement/deviceCompliancePolicies/p-1/userStatusOverview";
    Mock::given(method("PATCH"))
        .and(path(overview))
        .respond_with(ApplyThenAnswer {
            n: 1,
            first: ResponseTemplate::new(504),
            applied: AtomicUsize::new(0),
        })
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let patch = DeviceComplianceUserOverview {
        pending_count: Some(1),
        ..Default::default()
    };
    // The 201 answer stands in for the second PATCH's: what matters is that it was sent.
    let _ = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(&"p-1".into(), &patch)
        .await;
    assert_eq!(
        received(&server).await.len(),
        2,
        "PATCH sets a state: safe to repeat"
    );
}

#[tokio::test(start_paused = true)]
async fn a_batch_of_creates_answered_504_is_not_sent_again() {
    let (server, bodies) = batch_server(|_, _| ResponseTemplate::new(504)).await;
    let client = paused_builder_for(&server).build().unwrap();
    let intune = client.intune();
    let policy = new_policy();
    let results = client
        .batch(futures::future::join_all(
            (0..5).map(|_| intune.device_compliance_policies().create(&policy)),
        ))
        .await;
    for result in results {
        let err = result.unwrap_err();
        assert!(
            matches!(&err, Error::WriteMaybeApplied(e) if e.status == 504),
            "{err:?}"
        );
    }
    assert_eq!(batch_items(&bodies).len(), 1, "5 creates sent once, not 10");
}

#[tokio::test(start_paused = true)]
async fn a_batch_of_reads_answered_504_is_sent_again() {
    let (server, bodies) = batch_server(|n, body| match n {
        0 => ResponseTemplate::new(504),
        _ => all_ok(body),
    })
    .await;
    let client = paused_builder_for(&server).build().unwrap();
    let (a, b) = two_overviews_batched(&client).await;
    assert_eq!(
        (overview_id(&a), overview_id(&b)),
        (Some("p-1"), Some("p-2"))
    );
    assert_eq!(batch_items(&bodies).len(), 2);
}

// ---------------------------------------------------------------- 8. tokens

async fn token_server(answer: Value) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::builder().start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&issued);
    Mock::given(path("/contoso/oauth2/v2.0/token"))
        .respond_with(move |_: &Request| {
            counter.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(answer.clone())
        })
        .mount(&server)
        .await;
    Mock::given(path(
        "/v1.0/deviceManagement/deviceCompliancePolicies/p-1/userStatusOverview",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p-1"})))
    .mount(&server)
    .await;
    (server, issued)
}

fn secret_client_for(server: &MockServer) -> GraphClient {
    let root = url::Url::parse(&format!("{}/", server.uri())).unwrap();
    GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .credential(ClientSecretCredential::new("contoso", "app", "s3cr3t"))
        .http_client(common::reqwest_client())
        .retry(paused_retry())
        .build()
        .unwrap()
}

fn graph_requests(requests: &[Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path().starts_with("/v1.0"))
        .count()
}

#[tokio::test]
async fn an_empty_access_token_is_an_auth_error_and_nothing_is_sent() {
    let (server, _) =
        token_server(json!({"token_type": "Bearer", "access_token": "", "expires_in": 3600})).await;
    let err = overview(&secret_client_for(&server), "p-1")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "authentication failed: token endpoint answered 200 with an empty access_token"
    );
    assert_eq!(graph_requests(&received(&server).await), 0);

    let server = MockServer::builder().start().await;
    let root = url::Url::parse(&format!("{}/", server.uri())).unwrap();
    let client = GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .credential(StaticToken::new(""))
        .build()
        .unwrap();
    let err = overview(&client, "p-1").await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "authentication failed: the credential gave an empty access token"
    );
    assert!(
        received(&server).await.is_empty(),
        "no bare `Bearer` was sent"
    );
}

#[tokio::test(start_paused = true)]
async fn a_short_lived_token_is_refreshed_halfway_not_on_every_call() {
    let (server, issued) =
        token_server(json!({"token_type": "Bearer", "access_token": "t", "expires_in": 60})).await;
    let client = secret_client_for(&server);
    for _ in 0..20 {
        overview(&client, "p-1").await.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1, "20 calls, one token");
    tokio::time::advance(Duration::from_secs(29)).await;
    overview(&client, "p-1").await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1, "29 s of 60: still fresh");
    tokio::time::advance(Duration::from_secs(2)).await;
    overview(&client, "p-1").await.unwrap();
    assert_eq!(
        issued.load(Ordering::SeqCst),
        2,
        "past half its lifetime: refreshed"
    );
}
