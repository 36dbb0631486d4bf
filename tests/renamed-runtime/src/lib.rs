//! Declarations through a renamed runtime dependency (`crate = "core_alias"` on every macro).

use core_alias::{
    GraphApi, GraphClient, graph_endpoint, graph_entity, graph_enum, graph_polymorphic,
};

/// A device's compliance state.
#[graph_enum(crate = "core_alias")]
pub enum ComplianceState {
    /// Unknown.
    Unknown,
    /// Compliant.
    Compliant,
}

/// The base of a family.
#[graph_entity(
    crate = "core_alias",
    odata_type = "#microsoft.graph.deviceCompliancePolicy"
)]
pub struct PolicyBase {
    /// Key.
    pub id: Option<String>,
    /// Name.
    pub display_name: Option<String>,
    /// State.
    pub state: Option<ComplianceState>,
}

/// A subtype.
#[graph_entity(
    crate = "core_alias",
    odata_type = "#microsoft.graph.iosCompliancePolicy"
)]
pub struct IosPolicy {
    /// Inherited properties.
    #[graph(base)]
    pub base: PolicyBase,
    /// Passcode.
    pub passcode_required: Option<bool>,
}

/// The family.
#[graph_polymorphic(crate = "core_alias", base = PolicyBase)]
pub enum Policy {
    /// iOS.
    Ios(IosPolicy),
}

/// Endpoints.
pub struct Api(pub GraphClient);

impl GraphApi for Api {
    fn graph_client(&self) -> &GraphClient {
        &self.0
    }
}

impl Api {
    /// Read a policy.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}",
                     permissions = ["DeviceManagementConfiguration.Read.All"], crate = "core_alias")]
    pub async fn get_policy(&self, device_compliance_policy_id: &str)
    -> core_alias::Result<Policy>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_work_through_the_renamed_dependency() {
        let policy: Policy = core_alias::from_json(
            r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","id":"p","state":"compliant","passcodeRequired":true}"##,
        )
        .unwrap();
        assert!(matches!(&policy, Policy::Ios(ios) if ios.passcode_required == Some(true)));
        assert_eq!(policy.state, Some(ComplianceState::Compliant));
        assert_eq!(
            core_alias::to_json(&policy).unwrap(),
            r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","state":"compliant","passcodeRequired":true}"##
        );
        let endpoint = core_alias::meta::Endpoint::all()
            .find(|e| e.operation == "get_policy")
            .unwrap();
        assert_eq!(
            endpoint.path,
            [
                core_alias::meta::PathPart::Literal("/deviceManagement/deviceCompliancePolicies/"),
                core_alias::meta::PathPart::Parameter {
                    name: "deviceCompliancePolicyId",
                    quoted: false
                },
            ]
        );
    }
}
