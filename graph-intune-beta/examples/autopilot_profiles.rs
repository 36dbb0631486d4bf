//! List the Windows Autopilot deployment profiles and, for each, the groups it is assigned to
//! (Graph beta `windowsAutopilotDeploymentProfiles` and their `assignments`).
//!
//! ```text
//! cargo run -p graphwire-intune-beta --features windows-autopilot-deployment-profiles --example autopilot_profiles
//! ```
//!
//! Against the emulator (no credentials in the environment) it first stores two demo profiles
//! and an assignment.

use graphwire_core::GraphClient;
use graphwire_intune_beta::{
    DeviceAndAppManagementAssignmentTarget, IntuneBetaExt, WindowsAutopilotDeploymentProfile,
};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    if let Some(emulator) = &connection.emulator {
        let base = "/deviceManagement/windowsAutopilotDeploymentProfiles";
        emulator.put_resource(
            &format!("{base}/p-1"),
            json!({"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
                   "id": "p-1", "displayName": "Cloud-joined laptops", "deviceNameTemplate": "LAP-%SERIAL%"}),
        );
        emulator.put_resource(
            &format!("{base}/p-2"),
            json!({"@odata.type": "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile",
                   "id": "p-2", "displayName": "Hybrid-joined desktops"}),
        );
        emulator.put_resource(
            &format!("{base}/p-1/assignments/a-1"),
            json!({"@odata.type": "#microsoft.graph.windowsAutopilotDeploymentProfileAssignment", "id": "a-1",
                   "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g-laptops"}}),
        );
    }
    let handler = connection
        .client
        .intune_beta()
        .windows_autopilot_deployment_profiles();
    for profile in handler.list().await?.collect_all().await? {
        let join = match &profile {
            WindowsAutopilotDeploymentProfile::AzureAd(_) => "Entra ID join",
            WindowsAutopilotDeploymentProfile::ActiveDirectory(_) => "hybrid join",
            _ => "other",
        };
        let Some(id) = profile.id.clone() else {
            continue;
        };
        println!(
            "{} ({join}): {}",
            profile.display_name.as_deref().unwrap_or("-"),
            id
        );
        for assignment in handler.assignments_list(&id).await?.collect_all().await? {
            let target = match assignment.target.value() {
                Some(DeviceAndAppManagementAssignmentTarget::Group(group)) => {
                    format!("group {}", group.group_id.as_deref().unwrap_or("?"))
                }
                Some(DeviceAndAppManagementAssignmentTarget::AllDevices(_)) => "all devices".into(),
                Some(other) => other
                    .odata_type()
                    .trim_start_matches("#microsoft.graph.")
                    .to_owned(),
                None => "no target".into(),
            };
            println!("  assigned to {target}");
        }
    }
    Ok(())
}
