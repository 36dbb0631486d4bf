//! The seed's PATCH end to end on loopback: the generated method against a hand-written
//! reqwest + serde_json call to the same server, same body, same HTTP client settings.
//! Also the cached-token path: 10,000 calls, one token request.
//!
//! `cargo bench -p graph-benches --bench calls`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use graphwire_core::auth::BoxFuture;
use graphwire_core::{
    AccessToken, AuthError, Cloud, GraphClient, Secret, TokenCredential, TokenRequest,
};
use graphwire_intune::vectors;
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};

mod common;
use common::{PlainOverview, fixed_answer_server};

fn http() -> graphwire_core::reqwest::Client {
    graphwire_core::reqwest::Client::builder()
        .redirect(graphwire_core::reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client")
}

/// Counts the tokens it hands out.
#[derive(Debug, Default)]
struct CountingCredential(Arc<AtomicUsize>);

impl TokenCredential for CountingCredential {
    fn get_token<'a>(
        &'a self,
        _: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(AccessToken {
                token: Secret::new("bench-token"),
                expires_at: None,
            })
        })
    }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let root = runtime.block_on(fixed_answer_server(vectors::UPDATE_USER_OVERVIEW_RESPONSE));
    let url = url::Url::parse(&root).expect("root");
    let issued = Arc::new(AtomicUsize::new(0));
    let client = GraphClient::builder()
        .cloud(Cloud::custom(url.clone(), url))
        .credential(CountingCredential(issued.clone()))
        .http_client(http())
        .build()
        .expect("client");
    let baseline = http();
    let policy = DeviceCompliancePolicyId::from("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d");
    let patch: DeviceComplianceUserOverview =
        graphwire_core::from_json(vectors::UPDATE_USER_OVERVIEW_REQUEST).expect("vector");
    let plain: PlainOverview =
        serde_json::from_str(vectors::UPDATE_USER_OVERVIEW_REQUEST).expect("vector");
    let target = format!(
        "{root}v1.0/deviceManagement/deviceCompliancePolicies/{}/userStatusOverview",
        policy.as_str()
    );

    let mut group = c.benchmark_group("seed PATCH on loopback");
    group.bench_function("hand-written reqwest + serde_json (baseline)", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = baseline
                .patch(&target)
                .bearer_auth("bench-token")
                .header("accept", "application/json")
                .header("content-type", "application/json")
                .header("client-request-id", uuid::Uuid::new_v4().to_string())
                .body(serde_json::to_vec(&plain).expect("encode"))
                .send()
                .await
                .expect("send");
            assert!(response.status().is_success());
            let bytes = response.bytes().await.expect("body");
            serde_json::from_slice::<PlainOverview>(&bytes).expect("decode")
        })
    });
    group.bench_function(
        "generated device_compliance_policy_user_status_overview_update",
        |b| {
            b.to_async(&runtime).iter(|| async {
                client
                    .intune()
                    .device_compliance_policies()
                    .user_status_overview_update(&policy, &patch)
                    .await
                    .expect("call")
            })
        },
    );
    // The same call without the call deadline: what its timer costs.
    let no_deadline = GraphClient::builder()
        .cloud(client.cloud().clone())
        .credential(CountingCredential(issued.clone()))
        .http_client(http())
        .retry(graphwire_core::RetryPolicy::default().without_deadline())
        .build()
        .expect("client");
    group.bench_function("generated, without the call deadline", |b| {
        b.to_async(&runtime).iter(|| async {
            no_deadline
                .intune()
                .device_compliance_policies()
                .user_status_overview_update(&policy, &patch)
                .await
                .expect("call")
        })
    });
    group.finish();

    // 10,000 calls with a cached token: one token request.
    issued.store(0, Ordering::SeqCst);
    let fresh = GraphClient::builder()
        .cloud(client.cloud().clone())
        .credential(CountingCredential(issued.clone()))
        .http_client(http())
        .build()
        .expect("client");
    runtime.block_on(async {
        for _ in 0..10_000 {
            fresh
                .intune()
                .device_compliance_policies()
                .user_status_overview_update(&policy, &patch)
                .await
                .expect("call");
        }
    });
    println!(
        "token requests for 10,000 calls with a cached token: {}",
        issued.load(Ordering::SeqCst)
    );
    assert_eq!(issued.load(Ordering::SeqCst), 1);
}

criterion_group!(benches, bench);
criterion_main!(benches);
