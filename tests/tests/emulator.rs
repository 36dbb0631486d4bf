//! The emulator driven with graphwire-core's client and with a raw HTTP client: identity,
//! authorization, Graph semantics, validation, query options, $batch, throttling, faults and
//! the journal.

use crate::common;

use std::time::Duration;

use graphwire_core::reqwest::{Client as Http, StatusCode};
use graphwire_core::{ClientSecretCredential, Error, GraphClient, Nullable, Query, RetryPolicy};
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::vectors;
use graphwire_intune::*;
use graphwire_testkit::{App, Emulator, Fault, FaultPlan, Throttling};
use serde_json::{Value, json};

const SEED_OVERVIEW: &str = "deviceManagement/deviceCompliancePolicies/2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d/userStatusOverview";

fn client(emulator: &Emulator) -> GraphClient {
    common::emulator_client(emulator).build().unwrap()
}

async fn token(emulator: &Emulator, client_id: &str, secret: &str) -> (StatusCode, Value) {
    let response = Http::new()
        .post(emulator.token_url("contoso"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", &format!("{}.default", emulator.base_url())),
        ])
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn bearer(emulator: &Emulator) -> String {
    let (_, body) = token(emulator, "emulator-app", "emulator-secret").await;
    format!("Bearer {}", body["access_token"].as_str().unwrap())
}

async fn raw(
    emulator: &Emulator,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&str>,
) -> (
    StatusCode,
    graphwire_core::reqwest::header::HeaderMap,
    Value,
) {
    let mut request = Http::new().request(
        method.parse().unwrap(),
        format!("{}v1.0/{path}", emulator.base_url()),
    );
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn seed_patch_answers_with_the_documented_response() {
    let emulator = Emulator::start().await.unwrap();
    assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
    // It serves every endpoint linked into this binary: graphwire-intune's 1,331 (its two
    // roots) and the ones `endpoints.rs` declares for its own tests.
    let declared: Vec<_> = graphwire_core::meta::Endpoint::all().collect();
    let intune = declared
        .iter()
        .filter(|endpoint| {
            endpoint.template.starts_with("/deviceManagement")
                || endpoint.template.starts_with("/deviceAppManagement")
        })
        .count();
    assert_eq!(intune, 1331);
    assert_eq!(emulator.endpoint_count(), declared.len());
    let auth = bearer(&emulator).await;
    let (status, headers, body) = raw(
        &emulator,
        "PATCH",
        SEED_OVERVIEW,
        Some(&auth),
        Some(vectors::UPDATE_USER_OVERVIEW_REQUEST),
    )
    .await;
    assert_eq!(status, 200);
    let documented: Value = serde_json::from_str(vectors::UPDATE_USER_OVERVIEW_RESPONSE).unwrap();
    assert_eq!(body, documented);
    assert!(headers.get("request-id").is_some());
    assert!(headers.get("date").is_some());
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json;odata.metadata=minimal")
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn client_request_id_is_echoed_and_the_journal_records_everything() {
    let emulator = Emulator::start().await.unwrap();
    let overview = client(&emulator)
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from(SEED_POLICY_ID))
        .query(&Query::new().select(["successCount"]))
        .await
        .unwrap();
    assert_eq!(overview.success_count, Some(3));
    assert_eq!(overview.failed_count, None, "$select leaves it out");
    let journal = emulator.journal();
    assert_eq!(journal.len(), 2);
    assert_eq!(journal[0].method, "POST");
    assert_eq!(journal[0].path, "/contoso/oauth2/v2.0/token");
    assert_eq!(journal[0].body, "<form redacted>");
    let get = &journal[1];
    assert_eq!(get.method, "GET");
    assert_eq!(get.path, format!("/v1.0/{SEED_OVERVIEW}"));
    assert_eq!(get.query.as_deref(), Some("$select=successCount"));
    assert_eq!(get.header("authorization"), Some("Bearer <redacted>"));
    assert_eq!(get.status, 200);
    assert!(get.header("client-request-id").is_some());
}

#[tokio::test]
async fn tokens_are_required_valid_and_unexpired() {
    let emulator = Emulator::start().await.unwrap();
    let (status, headers, body) = raw(&emulator, "GET", SEED_OVERVIEW, None, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert_eq!(body["error"]["message"], "Access token is empty.");
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer realm=")
    );

    let (status, _, body) = raw(&emulator, "GET", SEED_OVERVIEW, Some("Bearer a.b.c"), None).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"]["message"],
        "Access token validation failure. Invalid signature."
    );

    let (status, body) = token(&emulator, "emulator-app", "wrong").await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
    let (status, body) = token(&emulator, "nobody", "x").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unauthorized_client");
}

#[tokio::test(start_paused = true)]
async fn expired_tokens_are_refused() {
    let emulator = Emulator::builder()
        .token_lifetime(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let auth = bearer(&emulator).await;
    let (status, _, _) = raw(&emulator, "GET", SEED_OVERVIEW, Some(&auth), None).await;
    assert_eq!(status, 200);
    tokio::time::advance(Duration::from_secs(61)).await;
    let (status, _, body) = raw(&emulator, "GET", SEED_OVERVIEW, Some(&auth), None).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );
}

#[tokio::test(start_paused = true)]
async fn the_client_refreshes_short_lived_tokens_against_the_emulator() {
    let emulator = Emulator::builder()
        .token_lifetime(Duration::from_secs(120))
        .start()
        .await
        .unwrap();
    let client = common::emulator_client(&emulator)
        .token_refresh_margin(Duration::from_secs(30))
        .build()
        .unwrap();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    for _ in 0..3 {
        client
            .intune()
            .device_compliance_policies()
            .user_status_overview_get(&policy)
            .await
            .unwrap();
        tokio::time::advance(Duration::from_secs(100)).await;
    }
    let token_requests = emulator
        .journal()
        .iter()
        .filter(|e| e.path.ends_with("/token"))
        .count();
    assert_eq!(
        token_requests, 3,
        "one token per 100 s with a 120 s lifetime and 30 s margin"
    );
}

#[tokio::test]
async fn missing_permission_is_403() {
    let emulator = Emulator::builder()
        .app(
            App::new("contoso", "reader", "pw")
                .with_roles(["DeviceManagementConfiguration.Read.All"]),
        )
        .start()
        .await
        .unwrap();
    let client = GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(ClientSecretCredential::new("contoso", "reader", "pw"))
        .build()
        .unwrap();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let read = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&policy)
        .await;
    assert!(read.is_ok(), "{read:?}");
    let err = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(&policy, &DeviceComplianceUserOverview::default())
        .await
        .unwrap_err();
    let service = err.service().unwrap();
    assert_eq!((service.status, service.code.as_str()), (403, "Forbidden"));
    assert_eq!(
        service.message,
        "Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.ReadWrite.All"
    );
}

#[tokio::test]
async fn create_read_patch_delete_and_navigation_lifetime() {
    let emulator = Emulator::start().await.unwrap();
    let intune = client(&emulator).intune();
    let mut policy = IosCompliancePolicy::default();
    policy.base.display_name = Some("iOS baseline".into());
    policy.base.description = Nullable::Value("first".into());
    policy.passcode_required = Some(true);
    let created = intune
        .device_compliance_policies()
        .create_with_block_action(policy.into())
        .await
        .unwrap();
    let DeviceCompliancePolicy::Ios(created) = created else {
        panic!("expected iOS, got {created:?}")
    };
    let id = created.base.id.clone().unwrap();
    assert!(!id.as_str().is_empty());
    assert!(created.base.created_date_time.is_some());
    assert_eq!(emulator.journal().last().unwrap().status, 201);

    // PATCH merges: the description is cleared with an explicit null, the name stays.
    let mut patch = IosCompliancePolicy::default();
    patch.base.description = Nullable::Null;
    patch.passcode_minimum_length = Nullable::Value(6);
    intune
        .device_compliance_policies()
        .update(&id, &patch.into())
        .await
        .unwrap();
    let read = intune.device_compliance_policies().get(&id).await.unwrap();
    assert_eq!(read.display_name.as_deref(), Some("iOS baseline"));
    assert_eq!(read.description, Nullable::Null);
    assert!(
        matches!(&read, DeviceCompliancePolicy::Ios(p) if p.passcode_minimum_length == Nullable::Value(6))
    );

    // The block action was deep-inserted and comes back through $expand.
    let rules = intune
        .device_compliance_policies()
        .scheduled_actions_expanded(&id)
        .await
        .unwrap();
    assert_eq!(rules.len(), 1);
    let actions = rules[0].scheduled_action_configurations.as_ref().unwrap();
    assert_eq!(
        actions[0].action_type,
        Some(DeviceComplianceActionType::Block)
    );

    // A single-valued navigation property exists while its parent does.
    let overview = intune
        .device_compliance_policies()
        .user_status_overview_get(&id)
        .await
        .unwrap();
    assert_eq!(overview.id.as_deref(), Some(id.as_str()));

    intune
        .device_compliance_policies()
        .delete(&id)
        .await
        .unwrap();
    let err = intune
        .device_compliance_policies()
        .get(&id)
        .await
        .unwrap_err();
    assert_eq!(
        err.service().map(|e| (e.status, e.code.as_str())),
        Some((404, "ResourceNotFound"))
    );
    let err = intune
        .device_compliance_policies()
        .user_status_overview_get(&id)
        .await
        .unwrap_err();
    assert_eq!(err.service().map(|e| e.status), Some(404));
}

#[tokio::test]
async fn creating_a_policy_without_the_block_action_fails_as_the_service_does() {
    let emulator = Emulator::start().await.unwrap();
    let mut policy = Windows10CompliancePolicy::default();
    policy.base.display_name = Some("no actions".into());
    let err = client(&emulator)
        .intune()
        .device_compliance_policies()
        .create(&policy.into())
        .await
        .unwrap_err();
    let service = err.service().unwrap();
    assert_eq!(service.status, 400);
    assert_eq!(
        service.message,
        "Compliance policy must have one and only one block scheduled action"
    );
}

#[tokio::test]
async fn bodies_are_validated_against_the_metadata() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer(&emulator).await;
    let cases = [
        (
            r#"{"pendingCount": 1, "colour": "red"}"#,
            "Property 'colour' does not exist on type 'microsoft.graph.deviceComplianceUserOverview'",
        ),
        (
            r#"{"pendingCount": "one"}"#,
            "Property 'pendingCount': expected an Int32, got \"one\"",
        ),
        (
            r#"{"pendingCount": 3000000000}"#,
            "Property 'pendingCount': expected an Int32 (-2147483648 to 2147483647), got 3000000000",
        ),
        (
            r#"{"lastUpdateDateTime": "yesterday"}"#,
            "Property 'lastUpdateDateTime': expected a DateTimeOffset such as 2016-12-31T23:58:21.6459442-08:00, got \"yesterday\"",
        ),
        (
            r#"{"pendingCount": 1"#,
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        ),
    ];
    for (body, message) in cases {
        let (status, _, answer) =
            raw(&emulator, "PATCH", SEED_OVERVIEW, Some(&auth), Some(body)).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["error"]["code"], "BadRequest");
        assert_eq!(answer["error"]["message"], message, "{body}");
    }
    // Nothing was changed by the refused requests.
    let stored = emulator.resource(&format!("/{SEED_OVERVIEW}")).unwrap();
    assert_eq!(stored["pendingCount"], json!(0));
}

#[tokio::test]
async fn collections_page_select_count_and_filter() {
    let mut builder = Emulator::builder().without_vector_seed();
    for i in 0..5 {
        builder = builder.seed(
            format!("/deviceManagement/deviceCompliancePolicies/p{i}"),
            json!({"@odata.type": "#microsoft.graph.windows10CompliancePolicy", "id": format!("p{i}"),
                   "displayName": format!("Policy {i}"), "version": i % 2}),
        );
    }
    let emulator = builder.start().await.unwrap();
    let intune = client(&emulator).intune();
    let mut pages = intune
        .device_compliance_policies()
        .list()
        .query(&Query::new().top(2).count(true).select(["displayName"]))
        .await
        .unwrap();
    assert_eq!(pages.count(), Some(5));
    let mut sizes = Vec::new();
    let mut names = Vec::new();
    while let Some(page) = pages.next_page().await.unwrap() {
        sizes.push(page.len());
        names.extend(page.iter().filter_map(|p| p.display_name.clone()));
        assert!(
            page.iter().all(|p| p.version.is_none()),
            "$select keeps only displayName"
        );
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(
        names,
        ["Policy 0", "Policy 1", "Policy 2", "Policy 3", "Policy 4"]
    );
    let next = &emulator.journal()[2];
    assert_eq!(
        next.query.as_deref(),
        Some("$top=2&$count=true&$select=displayName&$skiptoken=2")
    );

    let odd = intune
        .device_compliance_policies()
        .list()
        .query(&Query::new().filter("version eq 1"))
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<String> = odd
        .iter()
        .filter_map(|p| p.id.as_ref().map(|i| i.to_string()))
        .collect();
    assert_eq!(ids, ["p1", "p3"]);
}

#[tokio::test]
async fn batch_runs_requests_with_dependencies() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer(&emulator).await;
    // Graph runs `dependsOn` fully sequential or fanned out from the first request
    // (learn.microsoft.com/graph/json-batching); mixed shapes are emulator_rules.rs's.
    let statuses = |body: &Value| -> Vec<(String, u64)> {
        body["responses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_owned(),
                    r["status"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let fan_out = json!({"requests": [
        {"id": "1", "method": "GET", "url": format!("/{SEED_OVERVIEW}")},
        {"id": "2", "method": "PATCH", "url": format!("/{SEED_OVERVIEW}"), "dependsOn": ["1"],
         "headers": {"Content-Type": "application/json"}, "body": {"failedCount": 0}},
        {"id": "3", "method": "GET", "url": "/deviceManagement/deviceCompliancePolicies", "dependsOn": ["1"]}
    ]});
    let (status, _, body) = raw(
        &emulator,
        "POST",
        "$batch",
        Some(&auth),
        Some(&fan_out.to_string()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        statuses(&body),
        [("1".into(), 200), ("2".into(), 200), ("3".into(), 200)]
    );
    assert_eq!(body["responses"][1]["body"]["failedCount"], json!(0));

    let chain = json!({"requests": [
        {"id": "1", "method": "GET", "url": "/deviceManagement/deviceCompliancePolicies/missing"},
        {"id": "2", "method": "GET", "url": "/deviceManagement/deviceCompliancePolicies", "dependsOn": ["1"]},
        {"id": "3", "method": "GET", "url": format!("/{SEED_OVERVIEW}"), "dependsOn": ["2"]}
    ]});
    let (status, _, body) = raw(
        &emulator,
        "POST",
        "$batch",
        Some(&auth),
        Some(&chain.to_string()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        statuses(&body),
        [("1".into(), 404), ("2".into(), 424), ("3".into(), 424)]
    );

    let too_many = json!({"requests": (0..21).map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/deviceManagement/deviceCompliancePolicies"})).collect::<Vec<_>>()});
    let (status, _, body) = raw(
        &emulator,
        "POST",
        "$batch",
        Some(&auth),
        Some(&too_many.to_string()),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "A $batch holds at most 20 requests; this one has 21."
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_rethrottles_early_retries() {
    let limits = Throttling {
        window: Duration::from_secs(20),
        app_writes: 3,
        tenant_writes: 10,
        app_any: 100,
        tenant_any: 100,
    };
    let emulator = Emulator::builder()
        .throttling(limits)
        .start()
        .await
        .unwrap();
    let auth = bearer(&emulator).await;
    for _ in 0..3 {
        let (status, _, _) = raw(&emulator, "PATCH", SEED_OVERVIEW, Some(&auth), Some("{}")).await;
        assert_eq!(status, 200);
    }
    let (status, headers, body) =
        raw(&emulator, "PATCH", SEED_OVERVIEW, Some(&auth), Some("{}")).await;
    assert_eq!(status, 429);
    assert_eq!(headers["retry-after"], "20");
    assert_eq!(body["error"]["code"], "TooManyRequests");
    tokio::time::advance(Duration::from_secs(5)).await;
    let (status, headers, _) =
        raw(&emulator, "PATCH", SEED_OVERVIEW, Some(&auth), Some("{}")).await;
    assert_eq!(status, 429, "a retry before Retry-After is throttled again");
    assert_eq!(headers["retry-after"], "15");
    let (status, _, _) = raw(&emulator, "GET", SEED_OVERVIEW, Some(&auth), None).await;
    assert_eq!(status, 200, "reads have their own, higher limit");
    tokio::time::advance(Duration::from_secs(15)).await;
    let (status, _, _) = raw(&emulator, "PATCH", SEED_OVERVIEW, Some(&auth), Some("{}")).await;
    assert_eq!(status, 200);
    assert_eq!(emulator.throttled_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_client_rides_out_throttling() {
    let emulator = Emulator::builder()
        .throttling(Throttling::from(graphwire_intune::overlay::limits::INTUNE_LIMITS).scaled(0.05))
        .start()
        .await
        .unwrap();
    let client = common::emulator_client(&emulator)
        .retry(common::paused_retry().with_max_retries(10))
        .build()
        .unwrap();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let patch = DeviceComplianceUserOverview {
        failed_count: Some(1),
        ..Default::default()
    };
    for _ in 0..12 {
        client
            .intune()
            .device_compliance_policies()
            .user_status_overview_update(&policy, &patch)
            .await
            .unwrap();
    }
    // 5 writes per second-long window: the sixth is throttled, which teaches the client the
    // pace (5 a second, paced at 4.85), and the other six go at it without another 429.
    // Unpaced, 12 writes in a row met at least two.
    assert_eq!(emulator.throttled_count(), 1);
}

fn faulty(pool: Vec<Fault>) -> FaultPlan {
    FaultPlan::new(7, 1.0).with_pool(pool)
}

async fn with_fault(
    fault: Fault,
) -> (
    Emulator,
    graphwire_core::Result<DeviceComplianceUserOverview>,
) {
    let emulator = Emulator::builder()
        .faults(faulty(vec![fault]).on_path("/deviceManagement"))
        .start()
        .await
        .unwrap();
    let client = GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(graphwire_testkit::default_app().credential())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let result = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from(SEED_POLICY_ID))
        .await;
    (emulator, result)
}

#[tokio::test]
async fn each_fault_kind_gives_a_typed_error() {
    let (_e, result) = with_fault(Fault::Status(503)).await;
    let err = result.unwrap_err();
    assert_eq!(
        err.service().map(|e| (e.status, e.retry_after)),
        Some((503, Some(Duration::from_secs(1))))
    );

    let (_e, result) = with_fault(Fault::HtmlErrorPage).await;
    let err = result.unwrap_err();
    let service = err.service().unwrap();
    assert_eq!((service.status, service.code.as_str()), (502, ""));
    assert_eq!(
        service.body_excerpt,
        "<html><body><h1>502 Bad Gateway</h1></body></html>"
    );

    let (_e, result) = with_fault(Fault::ResetBeforeBody).await;
    assert!(
        matches!(result, Err(Error::Transport { sent: true, .. })),
        "{result:?}"
    );

    let (_e, result) = with_fault(Fault::TruncatedBody).await;
    assert!(
        matches!(result, Err(Error::Transport { sent: true, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn faults_are_reproducible_from_the_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let emulator = Emulator::builder()
            .faults(FaultPlan::new(seed, 0.5))
            .start()
            .await
            .unwrap();
        let auth = bearer(&emulator).await;
        for _ in 0..20 {
            raw(&emulator, "GET", SEED_OVERVIEW, Some(&auth), None).await;
        }
        emulator
            .journal()
            .iter()
            .skip(1)
            .map(|e| e.status)
            .collect()
    }
    let first = statuses(42).await;
    assert_eq!(first, statuses(42).await);
    assert_ne!(first, statuses(43).await);
    let faults = first.iter().filter(|s| **s != 200).count();
    assert!((4..=16).contains(&faults), "about half of 20: {first:?}");
    assert!(
        first
            .iter()
            .all(|s| [200, 429, 500, 502, 503, 504].contains(s)),
        "{first:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_concurrency_limit_bounds_requests_in_flight() {
    let emulator = Emulator::builder()
        .faults(FaultPlan::new(1, 0.0).with_latency(Duration::from_millis(100)))
        .start()
        .await
        .unwrap();
    let client = common::emulator_client(&emulator)
        .max_concurrency(3)
        .build()
        .unwrap();
    let intune = client.intune();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let start = tokio::time::Instant::now();
    let results = futures::future::join_all((0..20).map(|_| {
        intune
            .device_compliance_policies()
            .user_status_overview_get(&policy)
    }))
    .await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(emulator.max_in_flight(), 3);
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(700),
        "ceil(20 / 3) rounds of 100 ms"
    );

    let unbounded = common::emulator_client(&emulator).build().unwrap();
    let intune = unbounded.intune();
    futures::future::join_all((0..20).map(|_| {
        intune
            .device_compliance_policies()
            .user_status_overview_get(&policy)
    }))
    .await;
    assert_eq!(
        emulator.max_in_flight(),
        20,
        "without a limit all 20 are served at once"
    );
}

#[tokio::test(start_paused = true)]
async fn the_rate_limit_spaces_requests() {
    let emulator = Emulator::start().await.unwrap();
    let client = common::emulator_client(&emulator)
        .rate_limit(5, Duration::from_secs(1))
        .build()
        .unwrap();
    let intune = client.intune();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let start = tokio::time::Instant::now();
    let results = futures::future::join_all((0..15).map(|_| {
        intune
            .device_compliance_policies()
            .user_status_overview_get(&policy)
    }))
    .await;
    assert!(results.iter().all(Result::is_ok));
    // At most 5 starts in any second: 5 at 0 s, 5 at 1 s, 5 at 2 s.
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test]
async fn a_ref_is_absent_until_set_and_takes_only_an_odata_id() {
    let emulator = Emulator::builder()
        .without_vector_seed()
        .seed(
            "/deviceManagement/managedDevices/device-1",
            json!({"@odata.type": "#microsoft.graph.managedDevice", "id": "device-1"}),
        )
        .start()
        .await
        .unwrap();
    let auth = bearer(&emulator).await;
    let path = "deviceManagement/managedDevices/device-1/deviceCategory/$ref";
    let (status, _, body) = raw(&emulator, "GET", path, Some(&auth), None).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "ResourceNotFound");

    let (status, _, body) = raw(&emulator, "PUT", path, Some(&auth), Some(r#"{"id": "c"}"#)).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "A $ref request body must be an object with an '@odata.id' string."
    );

    let reference =
        r#"{"@odata.id": "https://graph.microsoft.com/v1.0/deviceManagement/deviceCategories/c"}"#;
    let (status, _, _) = raw(&emulator, "PUT", path, Some(&auth), Some(reference)).await;
    assert_eq!(status, 204);
    let (status, _, body) = raw(&emulator, "GET", path, Some(&auth), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"@odata.id": "https://graph.microsoft.com/v1.0/deviceManagement/deviceCategories/c"})
    );
    let (status, _, _) = raw(&emulator, "DELETE", path, Some(&auth), None).await;
    assert_eq!(status, 204);
    let (status, _, _) = raw(&emulator, "DELETE", path, Some(&auth), None).await;
    assert_eq!(status, 404);

    // Under a device that does not exist there is no reference to set.
    let missing = "deviceManagement/managedDevices/nobody/deviceCategory/$ref";
    let (status, _, _) = raw(&emulator, "PUT", missing, Some(&auth), Some(reference)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_cast_segment_reads_only_resources_of_that_subtype() {
    let emulator = Emulator::builder()
        .seed(
            "/deviceAppManagement/mobileApps/w1",
            json!({"@odata.type": "#microsoft.graph.win32LobApp", "id": "w1", "displayName": "Agent"}),
        )
        .seed(
            "/deviceAppManagement/mobileApps/a1",
            json!({"@odata.type": "#microsoft.graph.androidLobApp", "id": "a1"}),
        )
        .start()
        .await
        .unwrap();
    let auth = bearer(&emulator).await;
    let apps = "deviceAppManagement/mobileApps";
    // The collection read as the subtype: its members of it only, listed and counted.
    let (status, _, body) = raw(
        &emulator,
        "GET",
        &format!("{apps}/microsoft.graph.win32LobApp"),
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["w1"]);
    let (status, _, body) = raw(
        &emulator,
        "GET",
        &format!("{apps}/microsoft.graph.win32LobApp/$count"),
        Some(&auth),
        None,
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!(1)));
    let (_, _, body) = raw(
        &emulator,
        "GET",
        &format!("{apps}/$count"),
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(body, json!(2));
    // An item read as the subtype it is; as another, Graph's 404.
    let (status, _, body) = raw(
        &emulator,
        "GET",
        &format!("{apps}/w1/microsoft.graph.win32LobApp"),
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(
        (status, body["displayName"].as_str()),
        (StatusCode::OK, Some("Agent"))
    );
    let (status, _, body) = raw(
        &emulator,
        "GET",
        &format!("{apps}/a1/microsoft.graph.win32LobApp"),
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "ResourceNotFound");
    // Below a cast the resource is the same one: what is created there is under the item.
    let (status, _, created) = raw(
        &emulator,
        "POST",
        &format!("{apps}/w1/microsoft.graph.win32LobApp/contentVersions"),
        Some(&auth),
        Some("{}"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let version = created["id"].as_str().unwrap();
    assert!(
        emulator
            .resource(&format!("/{apps}/w1/contentVersions/{version}"))
            .is_some()
    );
    let (status, _, _) = raw(
        &emulator,
        "POST",
        &format!("{apps}/a1/microsoft.graph.win32LobApp/contentVersions"),
        Some(&auth),
        Some("{}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Kiota's SDKs write the namespace's alias; Graph reads it the same.
    let (status, _, body) = raw(
        &emulator,
        "GET",
        &format!("{apps}/w1/graph.win32LobApp"),
        Some(&auth),
        None,
    )
    .await;
    assert_eq!((status, body["id"].as_str()), (StatusCode::OK, Some("w1")));
}
