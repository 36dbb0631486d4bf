use graphwire_core::graph_entity;

#[graph_entity(odata_type = "#microsoft.graph.complianceStatus")]
pub enum ComplianceStatus {
    Compliant,
}

fn main() {}
