//! Bulk throughput under throttling: 10,000 PATCHes to the emulator with Intune's write limit
//! scaled to 250 per second, through the client's concurrency and rate controls.
//!
//! `cargo bench -p graph-benches --bench bulk_patch` (set BULK_N for another count)

use std::time::{Duration, Instant};

use graphwire_core::GraphClient;
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
use graphwire_testkit::{Emulator, Throttling};

const WRITES_PER_SECOND: u32 = 250;

fn main() {
    let n: usize = std::env::var("BULK_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let limits = Throttling {
            window: Duration::from_secs(1),
            app_writes: WRITES_PER_SECOND,
            tenant_writes: 2 * WRITES_PER_SECOND,
            app_any: 10 * WRITES_PER_SECOND,
            tenant_any: 20 * WRITES_PER_SECOND,
        };
        let emulator = Emulator::builder()
            .throttling(limits)
            .start()
            .await
            .expect("emulator");
        let client = GraphClient::builder()
            .cloud(emulator.cloud())
            .credential(graphwire_testkit::default_app().credential())
            .max_concurrency(64)
            // Just under the server's limit, in the same sliding-window shape.
            .rate_limit(WRITES_PER_SECOND * 98 / 100, Duration::from_secs(1))
            .build()
            .expect("client");
        let intune = client.intune();
        let policy = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
        let start = Instant::now();
        let calls = (0..n).map(|i| {
            let intune = &intune;
            let policy = &policy;
            async move {
                let patch = DeviceComplianceUserOverview {
                    pending_count: Some((i % 1000) as i32),
                    ..Default::default()
                };
                intune
                    .device_compliance_policies()
                    .user_status_overview_update(policy, &patch)
                    .await
            }
        });
        let results = futures::future::join_all(calls).await;
        let elapsed = start.elapsed();
        let failed = results.iter().filter(|r| r.is_err()).count();
        let throughput = n as f64 / elapsed.as_secs_f64();
        let allowed = f64::from(WRITES_PER_SECOND);
        println!("bulk PATCH: {n} calls in {:.2} s", elapsed.as_secs_f64());
        println!("  failed calls:        {failed}");
        println!("  429s received:       {}", emulator.throttled_count());
        println!(
            "  throughput:          {throughput:.1} writes/s of {allowed} allowed ({:.1} %)",
            100.0 * throughput / allowed
        );
    });
}
