//! Bulk work with the defaults against Intune's throttling, scaled to 5 writes per second per
//! app (`INTUNE_LIMITS.scaled(0.05)`, what issue 36's user ran): the adaptive pacing learns
//! each tenant's pace from its first 429s and finishes the job, on tokio's paused clock.
//!
//! The emulator is in-process and answers over loopback; the paused clock also moves while an
//! answer is in transit, so a loaded machine can shift an arrival by a request or two. Counts
//! are exact where the pacing decides them, bounded where arrival order does.

use crate::common;

use graphwire_core::Error;
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::overlay::limits::INTUNE_LIMITS;
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
use graphwire_testkit::{App, Emulator, Throttling};

const WRITES_PER_SECOND: f64 = 5.0;

fn scaled_limits() -> Throttling {
    Throttling::from(INTUNE_LIMITS).scaled(0.05)
}

async fn throttled_emulator(apps: Vec<App>) -> Emulator {
    let mut builder = Emulator::builder().throttling(scaled_limits());
    for app in apps {
        builder = builder.app(app);
    }
    builder.start().await.unwrap()
}

fn patch(i: usize) -> DeviceComplianceUserOverview {
    DeviceComplianceUserOverview {
        pending_count: Some(i as i32),
        ..Default::default()
    }
}

/// The results' errors, for the assertion message.
fn failures<T: std::fmt::Debug>(results: &[graphwire_core::Result<T>]) -> Vec<String> {
    results
        .iter()
        .filter_map(|r| r.as_ref().err().map(Error::to_string))
        .take(3)
        .collect()
}

/// Every call succeeded, at 90 % or more of `allowed` writes per second since `start`.
fn all_at_the_pace<T: std::fmt::Debug>(
    results: &[graphwire_core::Result<T>],
    start: tokio::time::Instant,
    allowed: f64,
) {
    assert!(results.iter().all(Result::is_ok), "{:?}", failures(results));
    let elapsed = start.elapsed().as_secs_f64();
    let rate = results.len() as f64 / elapsed;
    assert!(
        rate >= 0.9 * allowed,
        "{rate:.2} writes/s in {elapsed:.1} s"
    );
}

#[tokio::test(start_paused = true)]
async fn five_hundred_concurrent_writes_all_succeed_with_the_defaults() {
    let emulator = throttled_emulator(Vec::new()).await;
    let client = common::emulator_client(&emulator).build().unwrap();
    let intune = client.intune();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let start = tokio::time::Instant::now();
    let results = futures::future::join_all((0..500).map(|i| {
        let (intune, policy) = (&intune, &policy);
        async move {
            intune
                .device_compliance_policies()
                .user_status_overview_update(policy, &patch(i))
                .await
        }
    }))
    .await;
    // Before the pacing: 20 of 500 (all at once, 3 retries each).
    all_at_the_pace(&results, start, WRITES_PER_SECOND);
    // Slow start lets 32 out before any answer: 5 admitted, 27 throttled, which teaches the
    // pace; the other 468 wait their turns and go at it (29 429s on an idle machine; 495
    // without slow start, 1,950 unpaced).
    let throttled = emulator.throttled_count();
    assert!((27..=37).contains(&throttled), "{throttled} 429s");
    // Nothing lost, nothing written twice: one stored write per call, the last one's value.
    let writes = emulator
        .journal()
        .iter()
        .filter(|e| e.method == "PATCH" && e.status == 200)
        .count();
    assert_eq!(writes, 500);
}

#[tokio::test(start_paused = true)]
async fn five_hundred_writes_through_batch_all_succeed_with_the_defaults() {
    let emulator = throttled_emulator(Vec::new()).await;
    let client = common::emulator_client(&emulator).build().unwrap();
    let intune = client.intune();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let start = tokio::time::Instant::now();
    let results = client
        .batch(futures::future::join_all((0..500).map(|i| {
            intune
                .device_compliance_policies()
                .user_status_overview_update(&policy, &patch(i))
        })))
        .await;
    // Before: 300 of 500 (`rate_limit` counted the `$batch` as one request, not its items).
    all_at_the_pace(&results, start, WRITES_PER_SECOND);
    // The first `$batch` of 20: 5 admitted, 15 throttled; from then on each group holds the
    // items whose turns have come.
    let throttled = emulator.throttled_count();
    assert!((15..=25).contains(&throttled), "{throttled} 429s");
    let items = emulator
        .journal()
        .iter()
        .filter(|e| e.path == "/v1.0/$batch")
        .map(|e| e.json()["requests"].as_array().map_or(0, Vec::len))
        .sum::<usize>();
    assert_eq!(
        items,
        500 + throttled as usize,
        "each item sent once more per 429"
    );
}

#[tokio::test(start_paused = true)]
async fn one_client_paces_twenty_tenants_each_at_its_own_budget() {
    let role = "DeviceManagementConfiguration.ReadWrite.All";
    let apps: Vec<App> = (0..20)
        .map(|i| App::new(format!("tenant-{i}"), "msp-app", "secret").with_roles([role]))
        .collect();
    let emulator = throttled_emulator(apps.clone()).await;
    // One client of a service provider, one credential per customer tenant.
    let provider = common::emulator_client(&emulator).build().unwrap();
    let tenants: Vec<_> = apps
        .iter()
        .map(|app| provider.with_credential(app.credential()).unwrap())
        .collect();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    // Tenant 0 has four times the work: it is throttled longest, and must slow no other.
    let work = |tenant: usize| if tenant == 0 { 200 } else { 50 };
    let start = tokio::time::Instant::now();
    let finished = futures::future::join_all(tenants.iter().enumerate().map(|(t, client)| {
        let policy = &policy;
        async move {
            let intune = client.intune();
            let results = futures::future::join_all((0..work(t)).map(|i| {
                let intune = &intune;
                async move {
                    intune
                        .device_compliance_policies()
                        .user_status_overview_update(policy, &patch(i))
                        .await
                }
            }))
            .await;
            (results, start.elapsed().as_secs_f64())
        }
    }))
    .await;
    for (tenant, (results, elapsed)) in finished.iter().enumerate() {
        assert!(
            results.iter().all(Result::is_ok),
            "tenant {tenant}: {:?}",
            failures(results)
        );
        // Each tenant at 85 % of its own limit or better, however long tenant 0 takes.
        let rate = work(tenant) as f64 / elapsed;
        assert!(
            rate >= 0.85 * WRITES_PER_SECOND,
            "tenant {tenant}: {rate:.2} writes/s in {elapsed:.1} s"
        );
    }
    let others = finished[1..].iter().map(|(_, e)| *e).fold(0.0, f64::max);
    assert!(
        others < finished[0].1 / 2.0,
        "the others took {others:.1} s, tenant 0 {:.1} s",
        finished[0].1
    );
}
