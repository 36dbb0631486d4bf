// The enum's one mistake is the only error: the entity and the endpoint that use the enum
// still type-check (no "Clone", "PartialEq" or "not a Graph property type" errors).
use graphwire_core::{GraphApi, GraphClient, graph_endpoint, graph_entity, graph_enum};

#[graph_enum]
pub enum ComplianceState {
    Unknown,
    Compliant,
    Unrecognized,
}

#[graph_entity(odata_type = "#microsoft.graph.managedDevice")]
pub struct Device {
    pub id: Option<String>,
    pub compliance_state: Option<ComplianceState>,
    pub history: Option<Vec<ComplianceState>>,
}

pub struct Api(GraphClient);
impl GraphApi for Api {
    fn graph_client(&self) -> &GraphClient {
        &self.0
    }
}

impl Api {
    #[graph_endpoint(GET, "/deviceManagement/managedDevices/{managedDeviceId}", permissions = ["P"])]
    pub async fn get(&self, managed_device_id: &str) -> graphwire_core::Result<Device>;
}

fn main() {
    let device = Device::default();
    let _ = device.clone() == device;
}
