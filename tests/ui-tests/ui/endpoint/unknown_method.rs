#[allow(unused_imports)]
use graphwire_core::{graph_endpoint, graph_entity, GraphApi, GraphClient, Query};

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    pub id: Option<String>,
}

pub struct Api(GraphClient);
impl GraphApi for Api {
    fn graph_client(&self) -> &GraphClient {
        &self.0
    }
}

impl Api {
    #[graph_endpoint(PATHC, "/a", permissions = ["P"])]
    pub async fn f(&self) -> graphwire_core::Result<Overview>;
}

fn main() {}
