use graphwire_core::graph_entity;

pub struct Opaque;

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    pub when: Option<std::time::Duration>,
}

fn main() {}
