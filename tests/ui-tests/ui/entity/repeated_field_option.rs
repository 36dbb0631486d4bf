use graphwire_core::graph_entity;

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    #[graph(rename = "pending")]
    #[graph(rename = "pendingCount")]
    pub pending_count: Option<i32>,
}

fn main() {}
