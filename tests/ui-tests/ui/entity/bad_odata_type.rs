use graphwire_core::graph_entity;

// Missing the leading `#`.
#[graph_entity(odata_type = "microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    pub pending_count: Option<i32>,
}

// Not a qualified name.
#[graph_entity(odata_type = "#device Compliance")]
pub struct Other {
    pub pending_count: Option<i32>,
}

fn main() {}
