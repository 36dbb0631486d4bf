use graphwire_core::graph_enum;

#[graph_enum]
pub enum ComplianceStatus {
    Unknown,
    Compliant,
    Unrecognized,
}

fn main() {}
