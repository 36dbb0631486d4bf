//! The main example: update a compliance policy's user-status overview.
//!
//! Placeholder until the endpoint macro, client and emulator land: it prints the PATCH body
//! the typed entity produces for the documented request.

use graph_intune::DeviceComplianceUserOverview;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let patch = DeviceComplianceUserOverview {
        pending_count: Some(12),
        not_applicable_count: Some(2),
        success_count: Some(12),
        error_count: Some(10),
        failed_count: Some(11),
        last_update_date_time: Some("2016-12-31T23:58:21.6459442-08:00".parse()?),
        configuration_version: Some(4),
        ..Default::default()
    };
    println!(
        "(placeholder: the client and emulator are not wired yet; this only encodes the body)"
    );
    println!("PATCH body:\n{}", graph_core::to_json(&patch)?);
    Ok(())
}
