use graphwire_core::graph_entity;

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
#[derive(Debug)]
pub struct Overview {
    #[serde(rename = "pending")]
    pub pending_count: Option<i32>,
}

fn main() {}
