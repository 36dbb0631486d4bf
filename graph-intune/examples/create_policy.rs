//! Create a Windows 10 compliance policy. The service requires exactly one block action on
//! every new policy (reference §1.8, D3); `device_compliance_policies().create_with_block_action` adds it.
//!
//! ```text
//! cargo run -p graphwire-intune --example create_policy
//! ```

use graphwire_core::{GraphClient, Nullable};
use graphwire_intune::{
    DeviceCompliancePolicy, DeviceCompliancePolicyBase, IntuneExt, RequiredPasswordType,
    Windows10CompliancePolicy,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    let policy = Windows10CompliancePolicy {
        base: DeviceCompliancePolicyBase {
            display_name: Some("Windows 10: BitLocker and 12-character passwords".into()),
            description: Nullable::Value("Created by the graph-rs create_policy example".into()),
            ..Default::default()
        },
        bit_locker_enabled: Some(true),
        password_required: Some(true),
        password_minimum_length: Nullable::Value(12),
        password_required_type: Some(RequiredPasswordType::Alphanumeric),
        ..Default::default()
    };
    println!(
        "Sending:\n{}",
        graphwire_core::to_json(&graphwire_intune::with_required_block_action(
            policy.clone().into()
        ))?
    );
    let created = connection
        .client
        .intune()
        .device_compliance_policies()
        .create_with_block_action(policy.into())
        .await?;
    match &created {
        DeviceCompliancePolicy::Windows10(p) => println!(
            "\nCreated {} ({}), BitLocker required: {:?}",
            p.id.as_deref().unwrap_or("-"),
            p.display_name.as_deref().unwrap_or("-"),
            p.bit_locker_enabled
        ),
        other => println!("\nCreated a {}", other.odata_type()),
    }
    if let Some(emulator) = connection.emulator {
        emulator.shutdown().await;
    }
    Ok(())
}
