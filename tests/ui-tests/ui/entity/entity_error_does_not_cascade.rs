// The entity's one mistake is the only error: the entity that holds it and the endpoint that
// returns it still type-check.
use graphwire_core::{GraphApi, GraphClient, graph_endpoint, graph_entity};

#[graph_entity(odata_type = "microsoft.graph.deviceCategory")]
pub struct Category {
    pub id: Option<String>,
}

#[graph_entity(odata_type = "#microsoft.graph.managedDevice")]
pub struct Device {
    pub id: Option<String>,
    pub category: Option<Category>,
}

pub struct Api(GraphClient);
impl GraphApi for Api {
    fn graph_client(&self) -> &GraphClient {
        &self.0
    }
}

impl Api {
    #[graph_endpoint(GET, "/deviceManagement/deviceCategories/{deviceCategoryId}", permissions = ["P"])]
    pub async fn get(&self, device_category_id: &str) -> graphwire_core::Result<Category>;
}

fn main() {
    println!("{:?}", Device::default());
}
