//! Assign a compliance policy to a group, excluding another, with the `assign` action (the
//! route that works; `POST …/assignments` answers 400 on the live service, reference §1.8 D1).
//!
//! ```text
//! cargo run -p graphwire-intune --example assign_policy -- [POLICY_ID] [GROUP_ID] [EXCLUDED_GROUP_ID]
//! ```

use graphwire_core::{GraphClient, Nullable};
use graphwire_intune::{
    DeviceAndAppManagementAssignmentTarget, DeviceCompliancePolicyAssignParameters,
    DeviceCompliancePolicyAssignment, DeviceCompliancePolicyId, ExclusionGroupAssignmentTarget,
    GroupAssignmentTargetBase, IntuneExt,
};

fn group(id: &str) -> GroupAssignmentTargetBase {
    GroupAssignmentTargetBase {
        group_id: Nullable::Value(id.to_owned()),
        ..Default::default()
    }
}

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
    let targets: [DeviceAndAppManagementAssignmentTarget; 2] = [
        group(&included).into(),
        // An exclusion has no properties of its own: its group's, and its `@odata.type`.
        ExclusionGroupAssignmentTarget {
            base: group(&excluded),
        }
        .into(),
    ];
    let body = DeviceCompliancePolicyAssignParameters {
        assignments: Some(
            targets
                .into_iter()
                .map(|target| DeviceCompliancePolicyAssignment {
                    target: Nullable::Value(target),
                    ..Default::default()
                })
                .collect(),
        ),
        ..Default::default()
    };
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
        println!(
            "  {}  {target}",
            assignment.id.as_ref().map_or("-", |id| id.as_str())
        );
    }
    if let Some(emulator) = connection.emulator {
        emulator.shutdown().await;
    }
    Ok(())
}
