//! Assign a compliance policy to a group, excluding another, with the `assign` action (the
//! route that works; `POST …/assignments` answers 400 on the live service, reference §1.8 D1).
//!
//! ```text
//! cargo run -p graphwire-intune --example assign_policy -- [POLICY_ID] [GROUP_ID] [EXCLUDED_GROUP_ID]
//! ```

use graphwire_core::GraphClient;
use graphwire_intune::assignments::{exclusion_group, group};
use graphwire_intune::{
    DeviceCompliancePolicyAssignParameters, DeviceCompliancePolicyId, IntuneExt,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    let policy = DeviceCompliancePolicyId::from(
        args.next()
            .unwrap_or_else(|| graphwire_intune::emulator_seed::SEED_POLICY_ID.to_owned()),
    );
    let included = args
        .next()
        .unwrap_or_else(|| "11111111-2222-3333-4444-555555555555".into());
    let excluded = args
        .next()
        .unwrap_or_else(|| "66666666-7777-8888-9999-000000000000".into());
    // Targets in one call each (`all_devices()`, `all_licensed_users()` too; `.with_filter(…)`
    // narrows one by an assignment filter); each becomes an assignment.
    let body =
        DeviceCompliancePolicyAssignParameters::new([group(&included), exclusion_group(&excluded)]);
    println!(
        "POST …/deviceCompliancePolicies/{policy}/assign\n{}",
        graphwire_core::to_json(&body)?
    );
    let assignments = connection
        .client
        .intune()
        .device_compliance_policies()
        .assign(&policy, &body)
        .await?;
    println!("\nThe policy now has {} assignments:", assignments.len());
    for assignment in &assignments {
        let target = assignment.target.value().map_or("-", |t| t.odata_type());
        println!("  {}  {target}", assignment.id.as_deref().unwrap_or("-"));
    }
    if let Some(emulator) = connection.emulator {
        emulator.shutdown().await;
    }
    Ok(())
}
