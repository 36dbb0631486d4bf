//! JSON `$batch` through `GraphClient::batch` against the emulator: grouping by 20, typed
//! per-item results, per-item 429 retries after `Retry-After`, and `dependsOn`.

use crate::common;

use std::time::Duration;

use graphwire_core::batch::chain;
use graphwire_core::{Error, GraphClient, Query};
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
use graphwire_testkit::{Emulator, Throttling};
use serde_json::json;

fn client(emulator: &Emulator) -> GraphClient {
    common::emulator_client(emulator).build().unwrap()
}

/// The paths of the Graph requests the emulator received (token requests left out).
fn graph_paths(emulator: &Emulator) -> Vec<String> {
    emulator
        .journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/v1.0"))
        .map(|e| e.path)
        .collect()
}

fn policy_path(id: &str) -> String {
    format!("/deviceManagement/deviceCompliancePolicies/{id}")
}

async fn emulator_with_policies(n: usize, throttling: Option<Throttling>) -> Emulator {
    let mut builder = Emulator::builder();
    if let Some(limits) = throttling {
        builder = builder.throttling(limits);
    }
    for i in 0..n {
        builder = builder.seed(
            policy_path(&format!("p{i}")),
            json!({"@odata.type": "#microsoft.graph.iosCompliancePolicy", "id": format!("p{i}"), "displayName": format!("Policy {i}")}),
        );
    }
    builder.start().await.unwrap()
}

#[tokio::test]
async fn calls_made_together_share_batches_of_twenty() {
    let emulator = emulator_with_policies(24, None).await;
    let client = client(&emulator);
    let intune = client.intune();
    let mut ids: Vec<DeviceCompliancePolicyId> = (0..24)
        .map(|i| DeviceCompliancePolicyId::from(format!("p{i}")))
        .collect();
    ids.push(DeviceCompliancePolicyId::from("missing"));
    let query = Query::new().select(["displayName"]);
    let results = client
        .batch(futures::future::join_all(ids.iter().map(|id| {
            intune.device_compliance_policies().get(id).query(&query)
        })))
        .await;
    assert_eq!(results.len(), 25);
    for (i, result) in results.iter().take(24).enumerate() {
        let policy = result.as_ref().unwrap();
        assert_eq!(
            policy.display_name.as_deref(),
            Some(format!("Policy {i}").as_str())
        );
        assert!(matches!(
            policy,
            graphwire_intune::DeviceCompliancePolicy::Ios(_)
        ));
    }
    let err = results[24].as_ref().unwrap_err();
    assert_eq!(
        err.service().map(|e| (e.status, e.code.as_str())),
        Some((404, "ResourceNotFound"))
    );

    let journal = emulator.journal();
    let graph: Vec<_> = journal
        .iter()
        .filter(|e| e.path.starts_with("/v1.0"))
        .collect();
    assert_eq!(graph.len(), 2, "two $batch requests and nothing else");
    let sizes: Vec<usize> = graph
        .iter()
        .map(|e| {
            assert_eq!(
                (e.method.as_str(), e.path.as_str()),
                ("POST", "/v1.0/$batch")
            );
            e.json()["requests"].as_array().unwrap().len()
        })
        .collect();
    assert_eq!(sizes, [20, 5]);
    let first = &graph[0].json()["requests"][0];
    assert_eq!(first["method"], "GET");
    assert_eq!(
        first["url"],
        "/deviceManagement/deviceCompliancePolicies/p0?$select=displayName"
    );
}

#[tokio::test(start_paused = true)]
async fn throttled_items_are_retried_after_retry_after() {
    let limits = Throttling {
        window: Duration::from_secs(10),
        app_writes: 100,
        tenant_writes: 100,
        app_any: 6,
        tenant_any: 100,
    };
    let emulator = emulator_with_policies(8, Some(limits)).await;
    let client = client(&emulator);
    let intune = client.intune();
    let ids: Vec<DeviceCompliancePolicyId> = (0..8)
        .map(|i| DeviceCompliancePolicyId::from(format!("p{i}")))
        .collect();
    let start = tokio::time::Instant::now();
    let results = client
        .batch(futures::future::join_all(
            ids.iter()
                .map(|id| intune.device_compliance_policies().get(id)),
        ))
        .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // Graph throttles the requests inside a `$batch`, not the envelope: 6 items fit the
    // window of 6; 2 waited out Retry-After: 10. The pacing learned 6 reads per 10 s from
    // that answer (paced at 0.582 a second), so the two go one turn apart, 1.72 s, not
    // together into a window that has room for one more at a time.
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(11_718) && elapsed < Duration::from_secs(12),
        "{elapsed:?}"
    );
    let batches: Vec<usize> = emulator
        .journal()
        .iter()
        .filter(|e| e.path == "/v1.0/$batch")
        .map(|e| e.json()["requests"].as_array().unwrap().len())
        .collect();
    assert_eq!(batches, [8, 1, 1]);
    assert_eq!(emulator.throttled_count(), 2);
}

#[tokio::test]
async fn a_failed_dependency_is_reported_as_such() {
    let emulator = emulator_with_policies(0, None).await;
    let client = client(&emulator);
    let intune = client.intune();
    let missing = DeviceCompliancePolicyId::from("missing");
    let seed = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let patch = DeviceComplianceUserOverview {
        failed_count: Some(0),
        ..Default::default()
    };
    let ((first, second), third) = client
        .batch(async {
            futures::join!(
                chain(
                    intune.device_compliance_policies().get(&missing),
                    intune
                        .device_compliance_policies()
                        .user_status_overview_update(&seed, &patch),
                ),
                intune
                    .device_compliance_policies()
                    .user_status_overview_get(&seed),
            )
        })
        .await;
    assert_eq!(first.unwrap_err().service().map(|e| e.status), Some(404));
    let err = second.unwrap_err();
    assert_eq!(
        err.service().map(|e| (e.status, e.code.as_str())),
        Some((424, "FailedDependency"))
    );
    assert_eq!(
        third.unwrap().failed_count,
        Some(1),
        "independent items still run; the PATCH did not"
    );
    let batch = emulator
        .journal()
        .into_iter()
        .find(|e| e.path == "/v1.0/$batch")
        .unwrap();
    let requests = batch.json()["requests"].clone();
    assert_eq!(requests[1]["dependsOn"], json!(["1"]));
    assert_eq!(requests[1]["headers"]["Content-Type"], "application/json");
    assert_eq!(requests[1]["body"]["failedCount"], json!(0));
    assert!(requests[2].get("dependsOn").is_none());
}

/// The `dependsOn` edge comes from `chain`'s two calls, whatever order the futures around it
/// are polled in: here the chain is polled last, after two unrelated calls registered.
#[tokio::test]
async fn a_chain_depends_on_its_own_first_call_whatever_the_poll_order() {
    let emulator = emulator_with_policies(2, None).await;
    let client = client(&emulator);
    let intune = client.intune();
    let (p0, p1) = (
        DeviceCompliancePolicyId::from("p0"),
        DeviceCompliancePolicyId::from("p1"),
    );
    let seed = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let patch = DeviceComplianceUserOverview {
        failed_count: Some(5),
        ..Default::default()
    };
    let (a, b, (read, updated)) = client
        .batch(async {
            futures::join!(
                intune.device_compliance_policies().get(&p0),
                intune.device_compliance_policies().get(&p1),
                chain(
                    intune
                        .device_compliance_policies()
                        .user_status_overview_get(&seed),
                    intune
                        .device_compliance_policies()
                        .user_status_overview_update(&seed, &patch),
                ),
            )
        })
        .await;
    assert_eq!(a.unwrap().display_name.as_deref(), Some("Policy 0"));
    assert_eq!(b.unwrap().display_name.as_deref(), Some("Policy 1"));
    assert_eq!(read.unwrap().failed_count, Some(1));
    assert_eq!(updated.unwrap().and_then(|o| o.failed_count), Some(5));
    // Graph runs a batch only fully parallel, fully sequential or fanned out from its first
    // request (learn.microsoft.com/graph/json-batching): three free calls and a chained one
    // go as two batches, the chained call after its own first call (id 3) has answered.
    let batches: Vec<Vec<(String, String, serde_json::Value)>> = emulator
        .journal()
        .into_iter()
        .filter(|e| e.path == "/v1.0/$batch")
        .map(|batch| {
            batch.json()["requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["id"].as_str().unwrap().to_owned(),
                        r["method"].as_str().unwrap().to_owned(),
                        r.get("dependsOn").cloned().unwrap_or(json!(null)),
                    )
                })
                .collect()
        })
        .collect();
    let item = |id: &str, method: &str| (id.to_owned(), method.to_owned(), json!(null));
    assert_eq!(
        batches,
        [
            vec![item("1", "GET"), item("2", "GET"), item("3", "GET")],
            vec![item("4", "PATCH")],
        ]
    );
}

/// A chain whose first call fails before it is sent: the second is answered 424, unsent.
#[tokio::test]
async fn a_chain_after_a_call_that_was_never_sent_is_not_sent_either() {
    let emulator = emulator_with_policies(0, None).await;
    let client = client(&emulator);
    let intune = client.intune();
    let empty = DeviceCompliancePolicyId::from("");
    let seed = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let patch = DeviceComplianceUserOverview::default();
    let (first, second) = client
        .batch(chain(
            intune.device_compliance_policies().get(&empty),
            intune
                .device_compliance_policies()
                .user_status_overview_update(&seed, &patch),
        ))
        .await;
    assert!(
        matches!(first, Err(Error::InvalidArgument { .. })),
        "{first:?}"
    );
    assert_eq!(second.unwrap_err().service().map(|e| e.status), Some(424));
    assert!(
        emulator.journal().iter().all(|e| e.path != "/v1.0/$batch"),
        "nothing was sent"
    );
}

/// Outside a batch scope, `chain` runs its calls one after the other.
#[tokio::test]
async fn a_chain_outside_a_batch_runs_in_order() {
    let emulator = emulator_with_policies(1, None).await;
    let client = client(&emulator);
    let intune = client.intune();
    let (p0, seed) = (
        DeviceCompliancePolicyId::from("p0"),
        DeviceCompliancePolicyId::from(SEED_POLICY_ID),
    );
    let (a, b) = chain(
        intune.device_compliance_policies().get(&p0),
        intune
            .device_compliance_policies()
            .user_status_overview_get(&seed),
    )
    .await;
    assert!(a.is_ok() && b.is_ok());
    let paths = graph_paths(&emulator);
    assert_eq!(
        paths,
        [
            "/v1.0/deviceManagement/deviceCompliancePolicies/p0".to_owned(),
            format!(
                "/v1.0/deviceManagement/deviceCompliancePolicies/{SEED_POLICY_ID}/userStatusOverview"
            ),
        ]
    );
}

/// A call made inside one client's batch through another client is refused, not sent past
/// the batch; calls outside any scope go directly.
#[tokio::test]
async fn a_call_through_another_client_inside_a_batch_is_refused() {
    let emulator = emulator_with_policies(1, None).await;
    let batching = client(&emulator);
    let other = client(&emulator);
    let id = DeviceCompliancePolicyId::from("p0");
    let err = batching
        .batch(other.intune().device_compliance_policies().get(&id))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Batch { sent: false, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "$batch: this call was made inside the $batch scope of another client; make it through that client (or a clone of it), or outside `batch`"
    );
    // A clone shares the scope: its call joins the batch.
    let clone = batching.clone();
    let policy = batching
        .batch(clone.intune().device_compliance_policies().get(&id))
        .await
        .unwrap();
    assert_eq!(policy.display_name.as_deref(), Some("Policy 0"));
    let direct = other
        .intune()
        .device_compliance_policies()
        .get(&id)
        .await
        .unwrap();
    assert_eq!(direct.display_name.as_deref(), Some("Policy 0"));
    let paths = graph_paths(&emulator);
    assert_eq!(
        paths,
        [
            "/v1.0/$batch",
            "/v1.0/deviceManagement/deviceCompliancePolicies/p0"
        ]
    );
}

/// A `$batch` request that fails as a whole hands every call the real error: here the token
/// request's `invalid_client`, not a transport error.
#[tokio::test]
async fn a_failed_batch_request_hands_each_call_the_real_error() {
    let emulator = Emulator::start().await.unwrap();
    let app = graphwire_testkit::default_app();
    let client = GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(graphwire_core::ClientSecretCredential::new(
            &app.tenant_id,
            &app.client_id,
            "wrong-secret",
        ))
        .retry(graphwire_core::RetryPolicy::none())
        .build()
        .unwrap();
    let intune = client.intune();
    let (p0, p1) = (
        DeviceCompliancePolicyId::from("p0"),
        DeviceCompliancePolicyId::from("p1"),
    );
    let (a, b) = client
        .batch(async {
            futures::join!(
                intune.device_compliance_policies().get(&p0),
                intune.device_compliance_policies().get(&p1)
            )
        })
        .await;
    for result in [a.map(|_| ()), b.map(|_| ())] {
        match result.unwrap_err() {
            Error::Auth(e) => assert_eq!(e.oauth_error.as_deref(), Some("invalid_client")),
            other => panic!("expected the token error, got {other:?}"),
        }
    }
}
