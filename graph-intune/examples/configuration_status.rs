//! Read how a device configuration profile is doing: its device-status overview (succeeded,
//! failed, pending counts) and the devices that report an error.
//!
//! ```text
//! cargo run -p graphwire-intune --example configuration_status -- [DEVICE_CONFIGURATION_ID]
//! ```
//!
//! Against the emulator (no credentials in the environment) it first stores a demo Windows 10
//! profile with an overview and two device statuses.

use graphwire_core::{GraphClient, Query};
use graphwire_intune::{DeviceConfiguration, DeviceConfigurationId, IntuneExt};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    let profile =
        DeviceConfigurationId::from(std::env::args().nth(1).unwrap_or_else(|| "c-1".to_owned()));
    if let Some(emulator) = &connection.emulator {
        let base = format!("/deviceManagement/deviceConfigurations/{profile}");
        emulator.put_resource(
            &base,
            json!({
            "@odata.type": "#microsoft.graph.windows10GeneralConfiguration", "id": profile.as_str(),
            "displayName": "Windows 10 baseline", "version": 3}),
        );
        emulator.put_resource(
            &format!("{base}/deviceStatusOverview"),
            json!({
            "@odata.type": "#microsoft.graph.deviceConfigurationDeviceOverview", "id": "overview",
            "successCount": 41, "errorCount": 2, "failedCount": 0, "pendingCount": 5,
            "notApplicableCount": 1, "configurationVersion": 3}),
        );
        for (id, device, status) in [
            ("s-1", "LAPTOP-0142", "error"),
            ("s-2", "LAPTOP-0177", "compliant"),
        ] {
            emulator.put_resource(
                &format!("{base}/deviceStatuses/{id}"),
                json!({
                "@odata.type": "#microsoft.graph.deviceConfigurationDeviceStatus", "id": id,
                "deviceDisplayName": device, "status": status}),
            );
        }
    }
    let configurations = connection.client.intune().device_configurations();
    let configuration = configurations.get(&profile).await?;
    let kind = match &configuration {
        DeviceConfiguration::Windows10General(_) => "Windows 10 general".to_owned(),
        other => other
            .odata_type()
            .trim_start_matches("#microsoft.graph.")
            .to_owned(),
    };
    println!(
        "{} ({kind}), version {}",
        configuration.display_name.as_deref().unwrap_or("-"),
        configuration.version.unwrap_or_default()
    );
    let overview = configurations.device_status_overview_get(&profile).await?;
    println!(
        "succeeded {}, error {}, failed {}, pending {}, not applicable {}",
        overview.success_count.unwrap_or_default(),
        overview.error_count.unwrap_or_default(),
        overview.failed_count.unwrap_or_default(),
        overview.pending_count.unwrap_or_default(),
        overview.not_applicable_count.unwrap_or_default()
    );
    let failing = configurations
        .device_statuses_list(&profile)
        .query(&Query::new().filter("status eq 'error'"))
        .await?
        .collect_all()
        .await?;
    for status in failing {
        println!(
            "  error on {}",
            status.device_display_name.as_deref().unwrap_or("-")
        );
    }
    if let Some(emulator) = connection.emulator {
        emulator.shutdown().await;
    }
    Ok(())
}
