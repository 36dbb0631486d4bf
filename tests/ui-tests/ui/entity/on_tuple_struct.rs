use graphwire_core::graph_entity;

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview(Option<i32>);

fn main() {}
