use graphwire_core::graph_entity;

#[graph_entity(odata_typ = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    pub pending_count: Option<i32>,
}

fn main() {}
