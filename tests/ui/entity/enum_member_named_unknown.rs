use graphwire_core::graph_enum;

#[graph_enum]
pub enum ComplianceStatus {
    Unknown,
    Compliant,
    Tagged(String),
}

fn main() {}
