//! Bulk work under throttling, with the client's defaults: the emulator runs Intune's write
//! limit scaled to 5 writes per second per app (`INTUNE_LIMITS.scaled(0.05)`, 1 s windows), and
//! each case runs twice in the same process: with the adaptive pacing (the default) and with
//! `Pacing::Off` (the client before it), as the baseline.
//!
//! 1. `concurrent`: 500 PATCHes at once.
//! 2. `batch`: the same 500 through `client.batch`.
//! 3. `tenants`: 10,000 writes over 20 tenants (500 each), one client (`with_credential`).
//!
//! Each prints the calls that succeeded, the 429s, the time, the throughput as a share of the
//! allowed rate, and the writes the emulator applied (exactly one per successful call: none
//! lost, none twice).
//!
//! `cargo bench -p graph-benches --bench bulk_patch` (`BULK_CASES=concurrent,batch,tenants`,
//! `BULK_N` writes per tenant, default 500). Real time: about 100 s per paced case.

use std::time::{Duration, Instant};

use graphwire_core::{GraphClient, Pacing};
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::overlay::limits::INTUNE_LIMITS;
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
use graphwire_testkit::{App, Emulator, JournalLimits, Throttling};

const WRITES_PER_SECOND: f64 = 5.0;
const TENANTS: usize = 20;

/// What one run of a case gave.
struct Outcome {
    calls: usize,
    ok: usize,
    throttled: u64,
    elapsed: Duration,
    applied: usize,
    /// Writes per second of the slowest tenant, against one tenant's limit.
    slowest_tenant: Option<f64>,
}

fn main() {
    let per_tenant: usize = std::env::var("BULK_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let cases = std::env::var("BULK_CASES").unwrap_or_else(|_| "concurrent,batch,tenants".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for case in cases.split(',') {
        for pacing in [Pacing::Adaptive, Pacing::Off] {
            let outcome = runtime.block_on(run(case, pacing, per_tenant));
            report(case, pacing, &outcome);
        }
    }
}

async fn run(case: &str, pacing: Pacing, per_tenant: usize) -> Outcome {
    let role = "DeviceManagementConfiguration.ReadWrite.All";
    let apps: Vec<App> = (0..TENANTS)
        .map(|i| App::new(format!("tenant-{i}"), "msp-app", "secret").with_roles([role]))
        .collect();
    let mut journal = JournalLimits::default();
    journal.max_entries = 200_000;
    // The apps named replace the default one: it is named too.
    let mut builder = Emulator::builder()
        .throttling(Throttling::from(INTUNE_LIMITS).scaled(0.05))
        .journal_limits(journal)
        .app(graphwire_testkit::default_app());
    for app in &apps {
        builder = builder.app(app.clone());
    }
    let emulator = builder.start().await.expect("emulator");
    let client = GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(graphwire_testkit::default_app().credential())
        .pacing(pacing)
        .build()
        .expect("client");
    let start = Instant::now();
    let (results, slowest_tenant) = match case {
        "concurrent" => (concurrent(&client, per_tenant).await, None),
        "batch" => (batched(&client, per_tenant).await, None),
        "tenants" => {
            let clients: Vec<GraphClient> = apps
                .iter()
                .map(|app| client.with_credential(app.credential()).expect("client"))
                .collect();
            let per = futures::future::join_all(clients.iter().map(|client| async move {
                let results = concurrent(client, per_tenant).await;
                (results, start.elapsed())
            }))
            .await;
            let slowest = per
                .iter()
                .map(|(_, elapsed)| per_tenant as f64 / elapsed.as_secs_f64())
                .fold(f64::INFINITY, f64::min);
            (
                per.into_iter().flat_map(|(r, _)| r).collect(),
                Some(slowest),
            )
        }
        other => panic!("unknown case {other}: concurrent, batch or tenants"),
    };
    let elapsed = start.elapsed();
    Outcome {
        calls: results.len(),
        ok: results.iter().filter(|ok| **ok).count(),
        throttled: emulator.throttled_count(),
        elapsed,
        applied: applied_writes(&emulator),
        slowest_tenant,
    }
}

fn patch(i: usize) -> DeviceComplianceUserOverview {
    DeviceComplianceUserOverview {
        pending_count: Some((i % 1000) as i32),
        ..Default::default()
    }
}

/// Whether a call succeeded; the first failure of a run is printed, to see why.
fn succeeded<T>(result: graphwire_core::Result<T>) -> bool {
    static SHOWN: std::sync::Once = std::sync::Once::new();
    if let Err(error) = &result {
        SHOWN.call_once(|| println!("  first failure: {error}"));
    }
    result.is_ok()
}

/// `n` PATCHes at once; whether each succeeded.
async fn concurrent(client: &GraphClient, n: usize) -> Vec<bool> {
    let intune = client.intune();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    futures::future::join_all((0..n).map(|i| {
        let (intune, policy) = (&intune, &policy);
        async move {
            let result = intune
                .device_compliance_policies()
                .user_status_overview_update(policy, &patch(i))
                .await
                .map(drop);
            succeeded(result)
        }
    }))
    .await
}

/// `n` PATCHes through `client.batch`; whether each succeeded.
async fn batched(client: &GraphClient, n: usize) -> Vec<bool> {
    let intune = client.intune();
    let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    client
        .batch(futures::future::join_all((0..n).map(|i| {
            intune
                .device_compliance_policies()
                .user_status_overview_update(&policy, &patch(i))
        })))
        .await
        .into_iter()
        .map(succeeded)
        .collect()
}

/// Writes the emulator applied: PATCHes it answered 200, and `$batch` items it did not
/// throttle (an item is either applied or answered 429).
fn applied_writes(emulator: &Emulator) -> usize {
    let journal = emulator.journal();
    let direct = journal
        .iter()
        .filter(|e| e.method == "PATCH" && e.status == 200)
        .count();
    let batch_items: usize = journal
        .iter()
        .filter(|e| e.path.ends_with("/$batch"))
        .map(|e| e.json()["requests"].as_array().map_or(0, Vec::len))
        .sum();
    if batch_items == 0 {
        direct
    } else {
        batch_items.saturating_sub(emulator.throttled_count() as usize)
    }
}

fn report(case: &str, pacing: Pacing, outcome: &Outcome) {
    let seconds = outcome.elapsed.as_secs_f64();
    let tenants = if case == "tenants" {
        TENANTS as f64
    } else {
        1.0
    };
    let allowed = WRITES_PER_SECOND * tenants;
    let throughput = outcome.ok as f64 / seconds;
    println!(
        "{case} ({pacing:?}): {} of {} calls succeeded in {seconds:.1} s; {} 429s; {:.1} writes/s of {allowed} allowed ({:.1} %); {} writes applied",
        outcome.ok,
        outcome.calls,
        outcome.throttled,
        throughput,
        100.0 * throughput / allowed,
        outcome.applied,
    );
    if let Some(slowest) = outcome.slowest_tenant {
        println!(
            "  slowest tenant: {slowest:.2} writes/s of {WRITES_PER_SECOND} ({:.1} %)",
            100.0 * slowest / WRITES_PER_SECOND
        );
    }
}
