//! GraphClient's pipeline against loopback servers: retries and waits (tokio's paused clock),
//! tokens, redirects, errors, policies and secrets.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use common::{builder_for, client_for, header, paused_builder_for, received};
use graphwire_core::{
    ClientSecretCredential, Cloud, Error, GraphClient, RequestPolicy, RetryPolicy, TimeoutLimit,
};
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{body_string, header as has_header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const OVERVIEW: &str = "/v1.0/deviceManagement/deviceCompliancePolicies/p-1/userStatusOverview";

fn overview_json() -> serde_json::Value {
    json!({"id": "p-1", "pendingCount": 1})
}

async fn get_overview(
    client: &GraphClient,
) -> graphwire_core::Result<DeviceComplianceUserOverview> {
    client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from("p-1"))
        .await
}

async fn patch_overview(
    client: &GraphClient,
) -> graphwire_core::Result<Option<DeviceComplianceUserOverview>> {
    let patch = DeviceComplianceUserOverview {
        pending_count: Some(1),
        ..Default::default()
    };
    client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(&DeviceCompliancePolicyId::from("p-1"), &patch)
        .await
}

fn throttled(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", retry_after)
        .set_body_raw(
            graphwire_intune::vectors::ERROR_THROTTLED,
            "application/json",
        )
}

/// Answers with `first` for the first `n` requests, then `then`.
struct Sequence {
    n: usize,
    first: ResponseTemplate,
    then: ResponseTemplate,
    seen: AtomicUsize,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.seen.fetch_add(1, Ordering::SeqCst) < self.n {
            self.first.clone()
        } else {
            self.then.clone()
        }
    }
}

fn sequence(n: usize, first: ResponseTemplate, then: ResponseTemplate) -> Sequence {
    Sequence {
        n,
        first,
        then,
        seen: AtomicUsize::new(0),
    }
}

fn ok_overview() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(overview_json())
}

// ---------------------------------------------------------------- retries

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_honoured_with_the_same_request_id() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(sequence(2, throttled("2"), ok_overview()))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    let overview = get_overview(&client).await.unwrap();
    assert_eq!(overview.pending_count, Some(1));
    assert_eq!(start.elapsed(), Duration::from_secs(4));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let attempts: Vec<Option<&str>> = requests
        .iter()
        .map(|r| header(r, "retry-attempt"))
        .collect();
    assert_eq!(attempts, [None, Some("1"), Some("2")]);
    let ids: Vec<&str> = requests
        .iter()
        .filter_map(|r| header(r, "client-request-id"))
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
}

#[tokio::test(start_paused = true)]
async fn fractional_retry_after() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(sequence(1, throttled("1.5"), ok_overview()))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    get_overview(&client).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_millis(1500));
}

#[tokio::test(start_paused = true)]
async fn http_date_retry_after() {
    let server = MockServer::builder().start().await;
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
    Mock::given(path(OVERVIEW))
        .respond_with(sequence(1, throttled(&at), ok_overview()))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    get_overview(&client).await.unwrap();
    // An HTTP-date has whole seconds, so the wait is 4 to 5 s.
    let waited = start.elapsed();
    assert!(
        waited > Duration::from_secs(3) && waited <= Duration::from_secs(5),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn exponential_backoff_with_jitter_without_retry_after() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(sequence(3, ResponseTemplate::new(503), ok_overview()))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server)
        .retry(common::paused_retry().with_base_delay(Duration::from_secs(1)))
        .build()
        .unwrap();
    let start = Instant::now();
    get_overview(&client).await.unwrap();
    // 1 s + 2 s + 4 s, each ±20 %.
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(5600) && waited <= Duration::from_millis(8400),
        "{waited:?}"
    );
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_the_retry_bound() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(throttled("1"))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    let err = get_overview(&client).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert_eq!(received(&server).await.len(), 4, "1 attempt + 3 retries");
    let service = err.service().unwrap();
    assert_eq!(service.status, 429);
    assert_eq!(service.code, "TooManyRequests");
    assert_eq!(service.retry_after, Some(Duration::from_secs(1)));
    assert_eq!(
        service.gave_up,
        Some(graphwire_core::GaveUp::RetriesUsed { attempts: 4 })
    );
    // Which limit ended the call, and after how many attempts.
    assert!(
        err.to_string()
            .ends_with("; not sent again: the retry policy's retries are used up (4 attempts)"),
        "{err}"
    );
    assert!(err.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn a_wait_beyond_the_cap_is_not_waited() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(throttled("600"))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let start = Instant::now();
    let err = get_overview(&client).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(
        err.service().unwrap().retry_after,
        Some(Duration::from_secs(600))
    );
}

#[tokio::test(start_paused = true)]
async fn retries_can_be_disabled_and_504_is_retried_but_500_is_not() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(throttled("1"))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server)
        .retry(RetryPolicy::none().without_deadline())
        .build()
        .unwrap();
    get_overview(&client).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1);

    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(sequence(1, ResponseTemplate::new(504), ok_overview()))
        .mount(&server)
        .await;
    get_overview(&paused_builder_for(&server).build().unwrap())
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);

    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let err = get_overview(&paused_builder_for(&server).build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(err.to_string(), "Graph answered 500 with an empty body");
}

#[tokio::test(start_paused = true)]
async fn connection_failures_are_retried_only_for_idempotent_methods() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let root = url::Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    drop(listener);
    let client = GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root.clone()))
        .http_client(common::reqwest_client())
        .retry(common::paused_retry().with_base_delay(Duration::from_secs(1)))
        .build()
        .unwrap();

    let start = Instant::now();
    let err = get_overview(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { sent: false, .. }),
        "{err:?}"
    );
    assert!(!err.was_sent());
    // The cause is kept as a source chain, not flattened into the message.
    let mut chain = Vec::new();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    assert!(chain.len() >= 2, "{chain:?}");
    assert_eq!(
        chain.last().map(String::as_str),
        Some("Connection refused (os error 111)")
    );
    assert!(
        !err.to_string().contains("Connection refused"),
        "the causes are a chain, not flattened into the message: {err}"
    );
    assert!(
        !err.to_string().contains(root.as_str()),
        "the URL is not repeated in the message: {err}"
    );
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(5600),
        "GET retried 3 times: {waited:?}"
    );

    let start = Instant::now();
    let err = patch_overview(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(start.elapsed(), Duration::ZERO, "PATCH is not retried");
}

#[tokio::test(start_paused = true)]
async fn a_slow_server_times_out() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(ok_overview().set_delay(Duration::from_secs(3600)))
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = get_overview(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, limit: TimeoutLimit::Attempt, attempts: 1, .. } if after == Duration::from_secs(5)),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "timed out after 5s (the per-attempt timeout) on attempt 1"
    );
}

// ---------------------------------------------------------------- tokens

fn token_answer(token: &str, expires_in: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer", "expires_in": expires_in, "access_token": token
    }))
}

/// Hands out `token-1`, `token-2`, … with the given lifetime.
struct TokenMint {
    issued: AtomicUsize,
    expires_in: u64,
}

impl Respond for TokenMint {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        token_answer(&format!("token-{n}"), json!(self.expires_in))
    }
}

/// A client for `server` signing in with a client secret at the server's token endpoint.
fn secret_builder(server: &MockServer) -> graphwire_core::GraphClientBuilder {
    let root = url::Url::parse(&format!("{}/", server.uri())).unwrap();
    GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .credential(ClientSecretCredential::new(
            "tenant-1",
            "app-1",
            "s3cr3t-value",
        ))
}

fn secret_client(
    server: &MockServer,
    http: Option<graphwire_core::reqwest::Client>,
) -> GraphClient {
    let builder = secret_builder(server);
    match http {
        // A timer-free client is for the paused clock: no call deadline either.
        Some(http) => builder.http_client(http).retry(common::paused_retry()),
        None => builder,
    }
    .build()
    .unwrap()
}

#[tokio::test]
async fn client_secret_credential_posts_the_form_and_uses_the_token() {
    let server = MockServer::builder().start().await;
    let expected_form = format!(
        "grant_type=client_credentials&client_id=app-1&client_secret=s3cr3t-value&scope={}",
        url::form_urlencoded::byte_serialize(format!("{}/.default", server.uri()).as_bytes())
            .collect::<String>()
    );
    Mock::given(method("POST"))
        .and(path("/tenant-1/oauth2/v2.0/token"))
        .and(body_string(expected_form))
        .and(has_header(
            "content-type",
            "application/x-www-form-urlencoded",
        ))
        .respond_with(token_answer("minted", json!("3599")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .and(has_header("authorization", "Bearer minted"))
        .respond_with(ok_overview())
        .expect(2)
        .mount(&server)
        .await;
    let client = secret_client(&server, None);
    get_overview(&client).await.unwrap();
    get_overview(&client).await.unwrap();
}

#[tokio::test]
async fn a_thousand_concurrent_calls_make_one_token_request() {
    let server = MockServer::builder().start().await;
    Mock::given(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(TokenMint {
            issued: AtomicUsize::new(0),
            expires_in: 3600,
        })
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .and(has_header("authorization", "Bearer token-1"))
        .respond_with(ok_overview())
        .expect(1000)
        .mount(&server)
        .await;
    let client = secret_client(&server, None);
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { get_overview(&client).await })
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap().unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn tokens_are_refreshed_ahead_of_expiry() {
    let server = MockServer::builder().start().await;
    Mock::given(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(TokenMint {
            issued: AtomicUsize::new(0),
            expires_in: 600,
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .respond_with(ok_overview())
        .mount(&server)
        .await;
    let client = secret_client(&server, Some(common::reqwest_client()));
    get_overview(&client).await.unwrap();
    tokio::time::advance(Duration::from_secs(299)).await;
    get_overview(&client).await.unwrap();
    // Within the 5-minute margin of the 600 s lifetime: refreshed before use.
    tokio::time::advance(Duration::from_secs(2)).await;
    get_overview(&client).await.unwrap();
    let auth: Vec<String> = received(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == OVERVIEW)
        .filter_map(|r| header(r, "authorization").map(str::to_owned))
        .collect();
    assert_eq!(auth, ["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn a_401_is_answered_by_one_refresh_and_one_retry() {
    let server = MockServer::builder().start().await;
    Mock::given(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(TokenMint {
            issued: AtomicUsize::new(0),
            expires_in: 3600,
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .and(has_header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .and(has_header("authorization", "Bearer token-2"))
        .respond_with(ok_overview())
        .mount(&server)
        .await;
    let client = secret_client(&server, None);
    get_overview(&client).await.unwrap();
}

#[tokio::test]
async fn a_second_401_is_an_error() {
    let server = MockServer::builder().start().await;
    Mock::given(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(TokenMint {
            issued: AtomicUsize::new(0),
            expires_in: 3600,
        })
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}
        })))
        .mount(&server)
        .await;
    let client = secret_client(&server, None);
    let err = get_overview(&client).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Graph answered 401 InvalidAuthenticationToken: Access token is empty."
    );
    assert_eq!(
        received(&server)
            .await
            .iter()
            .filter(|r| r.url.path() == OVERVIEW)
            .count(),
        2
    );
}

#[tokio::test]
async fn token_endpoint_errors_never_show_the_secret() {
    let server = MockServer::builder().start().await;
    Mock::given(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided."
        })))
        .mount(&server)
        .await;
    let client = secret_client(&server, None);
    let err = get_overview(&client).await.unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(auth.oauth_error.as_deref(), Some("invalid_client"));
    assert_eq!(auth.status, Some(401));
    assert_eq!(
        err.to_string(),
        "authentication failed: token endpoint answered 401: invalid_client: AADSTS7000215: Invalid client secret provided."
    );
    assert!(!format!("{err:?}").contains("s3cr3t"));
    assert_eq!(
        received(&server)
            .await
            .iter()
            .filter(|r| r.url.path() == OVERVIEW)
            .count(),
        0
    );
}

// ---------------------------------------------------------------- redirects and hosts

#[tokio::test]
async fn same_origin_redirect_keeps_the_token() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/v1.0/moved"))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/moved"))
        .respond_with(ok_overview())
        .mount(&server)
        .await;
    get_overview(&client_for(&server)).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        header(&requests[1], "authorization"),
        Some("Bearer test-token")
    );
}

#[tokio::test]
async fn cross_origin_redirect_drops_the_token_and_keeps_method_and_body() {
    let server = MockServer::builder().start().await;
    let other = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("Location", format!("{}/elsewhere", other.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ok_overview())
        .mount(&other)
        .await;
    patch_overview(&client_for(&server)).await.unwrap();
    let hop = &received(&other).await[0];
    assert_eq!(hop.method.as_str(), "PATCH");
    assert_eq!(header(hop, "authorization"), None);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&hop.body).unwrap()["pendingCount"],
        json!(1)
    );
}

#[tokio::test]
async fn see_other_becomes_a_get_without_body() {
    let server = MockServer::builder().start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(303).insert_header("Location", "/v1.0/result"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/result"))
        .respond_with(ok_overview())
        .mount(&server)
        .await;
    patch_overview(&client_for(&server)).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests[1].method.as_str(), "GET");
    assert!(requests[1].body.is_empty());
    assert_eq!(header(&requests[1], "content-type"), None);
}

#[tokio::test]
async fn redirect_loops_stop_after_five() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", OVERVIEW))
        .mount(&server)
        .await;
    let err = get_overview(&client_for(&server)).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 6);
    assert!(
        err.to_string()
            .ends_with(&format!("{OVERVIEW}: more than 5 redirects")),
        "{err}"
    );
}

#[tokio::test]
async fn next_link_to_an_extra_allowed_host_carries_the_token() {
    let server = MockServer::builder().start().await;
    let other = MockServer::builder().start().await;
    let statuses = "/v1.0/deviceManagement/deviceCompliancePolicies/p-1/deviceStatuses";
    Mock::given(path(statuses))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "s1"}], "@odata.nextLink": format!("{}/v1.0/next?$skiptoken=2", other.uri())
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/next"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "s2"}]})))
        .mount(&other)
        .await;
    let port = url::Url::parse(&other.uri()).unwrap().port().unwrap();
    let client = builder_for(&server)
        .allow_host(format!("127.0.0.1:{port}"))
        .build()
        .unwrap();
    let all = client
        .intune()
        .device_compliance_policies()
        .device_statuses_list(&DeviceCompliancePolicyId::from("p-1"))
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<String> = all
        .iter()
        .filter_map(|s| s.id.as_ref().map(|i| i.to_string()))
        .collect();
    assert_eq!(ids, ["s1", "s2"]);
    assert_eq!(
        header(&received(&other).await[0], "authorization"),
        Some("Bearer test-token")
    );
}

// ---------------------------------------------------------------- errors and limits

#[tokio::test]
async fn service_errors_carry_graph_fields() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "req-9")
                .set_body_json(json!({"error": {
                    "code": "ResourceNotFound", "message": "Resource not found",
                    "innerError": {"date": "2026-11-28T13:00:00", "request-id": "inner", "client-request-id": "c"}
                }})),
        )
        .mount(&server)
        .await;
    let err = get_overview(&client_for(&server)).await.unwrap_err();
    let e = err.service().unwrap();
    assert_eq!((e.status, e.code.as_str()), (404, "ResourceNotFound"));
    assert_eq!(e.request_id.as_deref(), Some("req-9"));
    // The Date header wins over innerError.date.
    assert!(
        httpdate::parse_http_date(e.date.as_deref().unwrap()).is_ok(),
        "{:?}",
        e.date
    );
    assert_eq!(
        e.inner_error.as_ref().unwrap()["request-id"],
        json!("inner")
    );
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "Graph answered 404 ResourceNotFound: Resource not found (request-id req-9)"
    );
}

#[tokio::test]
async fn malformed_and_mistyped_success_bodies_are_decode_errors() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"id\": ", "application/json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "p", "pendingCount": "many"})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = get_overview(&client).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "property `id` could not be decoded: EOF while parsing a value at line 1 column 7"
    );
    let err = get_overview(&client).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.property(), Some("pendingCount"));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(10_000)))
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = get_overview(&client).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "response body exceeds the limit of 1024 bytes"
    );
}

// ---------------------------------------------------------------- policies, clouds, secrets

#[derive(Debug, Default)]
struct Stamp {
    statuses: Arc<std::sync::Mutex<Vec<u16>>>,
}

impl RequestPolicy for Stamp {
    fn on_request(&self, request: &mut graphwire_core::reqwest::Request) {
        request.headers_mut().insert(
            "x-caller",
            graphwire_core::reqwest::header::HeaderValue::from_static("ops-bot"),
        );
    }
    fn on_response(&self, status: u16, _: &graphwire_core::reqwest::header::HeaderMap) {
        self.statuses.lock().unwrap().push(status);
    }
}

#[tokio::test(start_paused = true)]
async fn caller_policies_run_on_every_attempt() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(sequence(1, throttled("1"), ok_overview()))
        .mount(&server)
        .await;
    let statuses = Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = paused_builder_for(&server)
        .policy(Stamp {
            statuses: statuses.clone(),
        })
        .build()
        .unwrap();
    get_overview(&client).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| header(r, "x-caller") == Some("ops-bot"))
    );
    assert_eq!(*statuses.lock().unwrap(), [429, 200]);
}

#[tokio::test(start_paused = true)]
async fn the_retry_hook_gets_the_status_the_wait_and_the_attempt() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(sequence(2, throttled("7"), ok_overview()))
        .mount(&server)
        .await;
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = paused_builder_for(&server)
        .policy(common::RetryLog {
            events: events.clone(),
        })
        .build()
        .unwrap();
    get_overview(&client).await.unwrap();
    assert_eq!(
        *events.lock().unwrap(),
        [
            (
                "device_compliance_policies.user_status_overview_get".to_owned(),
                Some(429),
                Duration::from_secs(7),
                1
            ),
            (
                "device_compliance_policies.user_status_overview_get".to_owned(),
                Some(429),
                Duration::from_secs(7),
                2
            ),
        ]
    );
    assert_eq!(received(&server).await.len(), 3);
}

#[test]
fn cloud_presets_set_hosts_and_scope_together() {
    let cases = [
        (
            Cloud::global(),
            "https://graph.microsoft.com/",
            "https://login.microsoftonline.com/",
        ),
        (
            Cloud::us_gov(),
            "https://graph.microsoft.us/",
            "https://login.microsoftonline.us/",
        ),
        (
            Cloud::us_gov_dod(),
            "https://dod-graph.microsoft.us/",
            "https://login.microsoftonline.us/",
        ),
        (
            Cloud::china(),
            "https://microsoftgraph.chinacloudapi.cn/",
            "https://login.chinacloudapi.cn/",
        ),
    ];
    for (cloud, graph, login) in cases {
        assert_eq!(cloud.graph_root(), graph);
        assert_eq!(cloud.authority(), login);
        assert_eq!(cloud.scope(), format!("{graph}.default"));
    }
    let china = Cloud::china()
        .with_authority(url::Url::parse("https://login.partner.microsoftonline.cn").unwrap());
    assert_eq!(
        china.authority(),
        "https://login.partner.microsoftonline.cn/"
    );
    assert_eq!(
        china.graph_root(),
        "https://microsoftgraph.chinacloudapi.cn/"
    );
}

#[test]
fn plain_http_is_refused_for_remote_hosts() {
    let root = url::Url::parse("http://graph.example.com/").unwrap();
    let err = GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "refused to send to http://graph.example.com/: only https is allowed (plain http only to loopback addresses)"
    );
}

#[test]
fn secrets_are_not_in_debug_output() {
    let credential = ClientSecretCredential::new("tenant-1", "app-1", "s3cr3t-value");
    let debug = format!("{credential:?}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    let client = GraphClient::builder()
        .credential(graphwire_core::StaticToken::new("eyJ.token.value"))
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("eyJ.token.value"), "{debug}");
}

#[tokio::test(start_paused = true)]
async fn retry_policy_can_be_overridden_per_call() {
    let server = MockServer::builder().start().await;
    Mock::given(path(OVERVIEW))
        .respond_with(throttled("1"))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let err = graphwire_core::with_retry_policy(
        RetryPolicy::none().without_deadline(),
        get_overview(&client),
    )
    .await
    .unwrap_err();
    assert_eq!(err.service().map(|e| e.status), Some(429));
    assert_eq!(
        received(&server).await.len(),
        1,
        "no retry inside the override"
    );
    let start = Instant::now();
    graphwire_core::with_retry_policy(
        common::paused_retry().with_max_retries(1),
        get_overview(&client),
    )
    .await
    .unwrap_err();
    assert_eq!(received(&server).await.len(), 3, "one retry");
    // The first call's `Retry-After` still holds the tenant's reads for 1 s: the second call
    // waits it out before its first attempt (its turn, not a retry), then 1 s before its retry.
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test]
async fn gzip_answers_are_accepted_and_request_bodies_are_not_compressed() {
    let server = MockServer::builder().start().await;
    serve_gzip(&server, gzip(overview_json().to_string().as_bytes())).await;
    let client = client_for(&server);
    let overview = patch_overview(&client).await.unwrap();
    assert_eq!(overview.and_then(|o| o.pending_count), Some(1));
    let request = &received(&server).await[0];
    assert!(header(request, "accept-encoding").is_some_and(|v| v.contains("gzip")));
    assert_eq!(header(request, "content-encoding"), None);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).unwrap()["pendingCount"],
        json!(1),
        "the body went as plain JSON"
    );
}

/// Answers the overview path with `body`, labelled gzip-encoded JSON.
async fn serve_gzip(server: &MockServer, body: Vec<u8>) {
    Mock::given(path(OVERVIEW))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .insert_header("content-type", "application/json")
                .set_body_bytes(body),
        )
        .mount(server)
        .await;
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_answer_that_inflates_past_the_limit_is_refused() {
    let server = MockServer::builder().start().await;
    // 1 KiB on the wire, 1 MiB once inflated.
    let mut inflated = br#"{"id":"p-1","pendingCount":1,"padding":""#.to_vec();
    inflated.extend(std::iter::repeat_n(b' ', 1 << 20));
    inflated.extend_from_slice(br#""}"#);
    let body = gzip(&inflated);
    assert!(body.len() < 4096, "{}", body.len());
    serve_gzip(&server, body).await;
    let client = builder_for(&server)
        .max_response_bytes(64 << 10)
        .build()
        .unwrap();
    let err = get_overview(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 65536 }),
        "{err:?}"
    );
    assert_eq!(received(&server).await.len(), 1, "not retried");
    let roomy = builder_for(&server)
        .max_response_bytes(2 << 20)
        .build()
        .unwrap();
    let overview = get_overview(&roomy).await.unwrap();
    assert_eq!(overview.pending_count, Some(1));
    assert_eq!(
        overview.additional_data["padding"].as_str().map(str::len),
        Some(1 << 20)
    );
}

#[tokio::test(start_paused = true)]
async fn a_corrupt_gzip_answer_is_a_transport_error_retried_like_a_cut_off_body() {
    let server = MockServer::builder().start().await;
    let mut body = gzip(overview_json().to_string().as_bytes());
    body.truncate(body.len() - 8);
    serve_gzip(&server, body).await;
    let client = paused_builder_for(&server).build().unwrap();
    let err = graphwire_core::with_retry_policy(
        common::paused_retry().with_max_retries(1),
        get_overview(&client),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Transport { sent: true, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(
            "transport error (after sending): the gzip-encoded answer could not be inflated: "
        ),
        "{err}"
    );
    assert_eq!(received(&server).await.len(), 2, "a GET is sent once more");
}

#[tokio::test]
async fn a_persistent_token_store_is_shared_by_clients() {
    let server = MockServer::builder().start().await;
    Mock::given(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(TokenMint {
            issued: AtomicUsize::new(0),
            expires_in: 3600,
        })
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .and(has_header("authorization", "Bearer token-1"))
        .respond_with(ok_overview())
        .expect(2)
        .mount(&server)
        .await;
    let store = Arc::new(graphwire_core::auth::MemoryTokenStore::new());
    let client = |store: Arc<graphwire_core::auth::MemoryTokenStore>| {
        secret_builder(&server).token_store(store).build().unwrap()
    };
    // Two clients, as two runs of a program would be: the second never asks for a token.
    get_overview(&client(store.clone())).await.unwrap();
    get_overview(&client(store.clone())).await.unwrap();
    assert_eq!(store.len(), 1);
    assert!(!format!("{store:?}").contains("s3cr3t"));
}

/// One definition of "retryable": the pipeline's policy and `Error::is_retryable` agree on
/// every status.
#[test]
fn retryable_statuses_have_one_definition() {
    let policy = RetryPolicy::default();
    for status in 400..600u16 {
        let error = Error::from(graphwire_core::ServiceError::from_body(status, b""));
        assert_eq!(
            error.is_retryable(),
            policy.retries_status(status),
            "{status}"
        );
        assert_eq!(
            graphwire_core::is_retryable_status(status),
            matches!(status, 429 | 503 | 504),
            "{status}"
        );
    }
}

// ---- raw requests: any path, under the pipeline's rules ----

#[tokio::test(start_paused = true)]
async fn a_raw_request_goes_through_the_pipeline() {
    use graphwire_core::meta::HttpMethod;
    let server = MockServer::builder().start().await;
    // A 503 first: a raw GET is retried like any other.
    Mock::given(method("GET"))
        .and(path("/beta/deviceManagement/managedDevices"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/deviceManagement/managedDevices"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "d-1"}]})))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/deviceManagement/managedDevices/d%201"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/deviceManagement/managedDevices/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "ResourceNotFound", "message": "Resource not found"}
        })))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();

    let listed = client
        .raw(HttpMethod::Get, "/deviceManagement/managedDevices")
        .version(graphwire_core::ApiVersion::Beta)
        .query(&graphwire_core::Query::new().select(["id"]))
        .query(&graphwire_core::Query::new().top(1))
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!({"value": [{"id": "d-1"}]}));

    let patched = client
        .raw(HttpMethod::Patch, "/deviceManagement/managedDevices/d%201")
        .body(&json!({"notes": "kiosk"}))
        .json()
        .await
        .unwrap();
    assert_eq!(patched, serde_json::Value::Null, "204: no body");

    let err = client
        .raw(HttpMethod::Delete, "/deviceManagement/managedDevices/gone")
        .send()
        .await
        .unwrap_err();
    let Error::Service(service) = &err else {
        panic!("expected the Graph error, got {err:?}")
    };
    assert_eq!(
        (service.status, service.code.as_str()),
        (404, "ResourceNotFound")
    );

    let requests = received(&server).await;
    let sent: Vec<(String, String, Option<String>)> = requests
        .iter()
        .map(|r| {
            (
                r.method.to_string(),
                r.url.path().to_owned(),
                r.url.query().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            (
                "GET".into(),
                "/beta/deviceManagement/managedDevices".into(),
                Some("$select=id&$top=1".into())
            ),
            (
                "GET".into(),
                "/beta/deviceManagement/managedDevices".into(),
                Some("$select=id&$top=1".into())
            ),
            (
                "PATCH".into(),
                "/v1.0/deviceManagement/managedDevices/d%201".into(),
                None
            ),
            (
                "DELETE".into(),
                "/v1.0/deviceManagement/managedDevices/gone".into(),
                None
            ),
        ]
    );
    assert!(
        requests
            .iter()
            .all(|r| header(r, "authorization") == Some("Bearer test-token"))
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[2].body).unwrap(),
        json!({"notes": "kiosk"})
    );
}

#[tokio::test]
async fn a_raw_path_that_is_not_one_is_refused_before_sending() {
    use graphwire_core::meta::HttpMethod;
    let server = MockServer::builder().start().await;
    let client = client_for(&server);
    for (path, reason) in [
        (
            "deviceManagement",
            "must start with one `/`: a path below the version root, not a URL",
        ),
        (
            "//attacker.example/x",
            "must start with one `/`: a path below the version root, not a URL",
        ),
        (
            "/x?$top=1",
            "must not hold `?` or `#`: give query options with `.query(…)`",
        ),
        ("/redirect/https://attacker.example", "must not hold a URL"),
        (
            "/managedDevices/a b",
            "must not hold spaces or control characters: percent-encode them",
        ),
    ]
    .into_iter()
    .chain(
        // `..` out of the version root: before, `/../../contoso/oauth2/v2.0/token` was sent
        // to `/contoso/oauth2/v2.0/token` with the bearer token.
        [
            "/../../contoso/oauth2/v2.0/token",
            "/deviceManagement/..",
            "/deviceManagement/./managedDevices",
            "/%2e%2E/%2E%2e/contoso/oauth2/v2.0/token",
            "/.%2e/x",
        ]
        .map(|path| {
            (
                path,
                "must not hold a `.` or `..` segment (even percent-encoded): URL parsing resolves it and the request would leave the version root",
            )
        }),
    )
    .chain([(
        "/deviceManagement\\..\\..\\x",
        "must not hold `\\`: URL parsing reads it as `/`",
    )])
    {
        let err = client.raw(HttpMethod::Get, path).send().await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("invalid argument `path`: `{path}` {reason}")
        );
    }
    assert!(received(&server).await.is_empty());
    // Dots inside a segment are no dot segment: sent as written.
    let _ = client
        .raw(HttpMethod::Get, "/deviceManagement/managedDevices/a..b/.x")
        .send()
        .await;
    let sent = received(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].url.path(),
        "/v1.0/deviceManagement/managedDevices/a..b/.x"
    );
}
