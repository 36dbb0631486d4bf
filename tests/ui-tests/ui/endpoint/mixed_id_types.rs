use graphwire_intune::{DeviceCompliancePolicyAssignmentId, DeviceComplianceUserOverview, IntuneExt};

async fn run(client: graphwire_core::GraphClient) {
    let assignment = DeviceCompliancePolicyAssignmentId::from("a-1");
    let patch = DeviceComplianceUserOverview::default();
    // An assignment id where a policy id is expected.
    let _ = client.intune().device_compliance_policies().user_status_overview_update(&assignment, &patch).await;
}

fn main() {
    let _ = run;
}
