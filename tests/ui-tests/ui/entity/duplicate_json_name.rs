use graphwire_core::graph_entity;

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    pub pending_count: Option<i32>,
    #[graph(rename = "pendingCount")]
    pub waiting: Option<i32>,
}

fn main() {}
