//! Upload a remediation (a detection and a remediation PowerShell script, Graph beta
//! `deviceHealthScripts`), assign it to a group, and run it now on one device
//! (`initiateOnDemandProactiveRemediation`).
//!
//! ```text
//! cargo run -p graphwire-intune-beta --features device-health-scripts,managed-devices --example remediation_script -- [GROUP_ID] [MANAGED_DEVICE_ID]
//! ```
//!
//! Against the emulator unless real credentials are in the environment.

use base64::Engine as _;
use graphwire_core::{GraphClient, Nullable};
use graphwire_intune_beta::{
    DeviceAndAppManagementAssignmentTarget, DeviceHealthScript, DeviceHealthScriptAssignParameters,
    DeviceHealthScriptAssignment, GroupAssignmentTargetBase,
    InitiateOnDemandProactiveRemediationParameters, IntuneBetaExt, ManagedDeviceId,
    RunAsAccountType,
};
use serde_json::json;

const DETECTION: &str = "if (Test-Path 'C:\\Temp\\marker.txt') { exit 0 } else { exit 1 }";
const REMEDIATION: &str = "New-Item -ItemType File -Force -Path 'C:\\Temp\\marker.txt' | Out-Null";

/// Graph takes script content as base64 (`Edm.Binary`).
fn encode(script: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(script)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    let mut args = std::env::args().skip(1);
    let group = args
        .next()
        .unwrap_or_else(|| "b4b3a4c5-0000-4000-8000-000000000001".to_owned());
    let device = ManagedDeviceId::from(args.next().unwrap_or_else(|| "device-1".to_owned()));
    if let Some(emulator) = &connection.emulator {
        emulator.put_resource(
            &format!("/deviceManagement/managedDevices/{device}"),
            json!({"@odata.type": "#microsoft.graph.managedDevice", "id": device.as_str(), "deviceName": "LAPTOP-0142"}),
        );
    }

    let scripts = connection.client.intune_beta().device_health_scripts();
    let script = DeviceHealthScript {
        display_name: "Marker file".to_owned().into(),
        publisher: "graphwire example".to_owned().into(),
        detection_script_content: encode(DETECTION).into(),
        remediation_script_content: encode(REMEDIATION).into(),
        run_as_account: RunAsAccountType::System.into(),
        enforce_signature_check: false.into(),
        ..Default::default()
    };
    let created = scripts.create(&script).await?;
    let id = created
        .id
        .clone()
        .ok_or("the service returned the script without an id")?;
    println!("uploaded remediation {id}");

    let target = GroupAssignmentTargetBase {
        group_id: group.clone().into(),
        ..Default::default()
    };
    let assignment = DeviceHealthScriptAssignment {
        target: Nullable::Value(DeviceAndAppManagementAssignmentTarget::Group(target)),
        run_remediation_script: true.into(),
        ..Default::default()
    };
    scripts
        .assign(&id, &DeviceHealthScriptAssignParameters::new([assignment]))
        .await?;
    println!("assigned to group {group}");

    connection
        .client
        .intune_beta()
        .managed_devices()
        .initiate_on_demand_proactive_remediation(
            &device,
            &InitiateOnDemandProactiveRemediationParameters {
                script_policy_id: Some(id.as_str().to_owned()),
                ..Default::default()
            },
        )
        .await?;
    println!("asked {device} to run it now");
    Ok(())
}
