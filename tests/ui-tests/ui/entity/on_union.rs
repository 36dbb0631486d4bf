use graphwire_core::graph_entity;

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub union Overview {
    count: i32,
}

fn main() {}
