//! List the managed devices that are not compliant and ask the first one to sync
//! (`managedDevices?$filter=complianceState eq 'noncompliant'`, then the `syncDevice` action).
//!
//! ```text
//! cargo run -p graphwire-intune --example noncompliant_devices
//! ```
//!
//! Against the emulator (no credentials in the environment) it first stores three demo devices,
//! two of them non-compliant, so there is something to find.

use graphwire_core::{GraphClient, Query};
use graphwire_intune::IntuneExt;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    if let Some(emulator) = &connection.emulator {
        for (id, name, state) in [
            ("d-1", "LAPTOP-0142", "noncompliant"),
            ("d-2", "LAPTOP-0177", "compliant"),
            ("d-3", "IPHONE-0031", "noncompliant"),
        ] {
            emulator.put_resource(
                &format!("/deviceManagement/managedDevices/{id}"),
                json!({"@odata.type": "#microsoft.graph.managedDevice", "id": id,
                       "deviceName": name, "complianceState": state}),
            );
        }
    }
    let devices = connection.client.intune().managed_devices();
    let noncompliant = devices
        .list()
        .query(
            &Query::new()
                .filter("complianceState eq 'noncompliant'")
                .select(["id", "deviceName", "complianceState"]),
        )
        .await?
        .collect_all()
        .await?;
    println!("{} non-compliant device(s):", noncompliant.len());
    for device in &noncompliant {
        println!(
            "  {}  {}",
            device.id.as_deref().unwrap_or("-"),
            device.device_name.as_deref().unwrap_or("-")
        );
    }
    if let Some(id) = noncompliant.first().and_then(|d| d.id.clone()) {
        devices.sync_device(&id).await?;
        println!("asked {id} to sync");
    }
    if let Some(emulator) = connection.emulator {
        emulator.shutdown().await;
    }
    Ok(())
}
