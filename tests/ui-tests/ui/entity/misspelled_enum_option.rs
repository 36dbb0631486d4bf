use graphwire_core::graph_enum;

#[graph_enum(fallbak = Other)]
pub enum ComplianceStatus {
    Unknown,
    Compliant,
}

fn main() {}
