// A family without its base type: one error, and the family still works as a return type.
use graphwire_core::{GraphApi, GraphClient, graph_endpoint, graph_entity, graph_polymorphic};

#[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicy")]
pub struct PolicyBase {
    pub id: Option<String>,
}

#[graph_entity(odata_type = "#microsoft.graph.iosCompliancePolicy")]
pub struct IosPolicy {
    #[graph(base)]
    pub base: PolicyBase,
}

#[graph_polymorphic]
pub enum Policy {
    Ios(IosPolicy),
}

pub struct Api(GraphClient);
impl GraphApi for Api {
    fn graph_client(&self) -> &GraphClient {
        &self.0
    }
}

impl Api {
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}", permissions = ["P"])]
    pub async fn get(&self, device_compliance_policy_id: &str) -> graphwire_core::Result<Policy>;
}

fn main() {}
