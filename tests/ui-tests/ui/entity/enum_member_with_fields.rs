use graphwire_core::graph_enum;

#[graph_enum]
pub enum ComplianceStatus {
    Compliant,
    Tagged(String),
}

fn main() {}
