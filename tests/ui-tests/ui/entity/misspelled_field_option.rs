use graphwire_core::graph_entity;

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    #[graph(raed_only)]
    pub id: Option<String>,
    #[graph(renmae = "x")]
    pub pending_count: Option<i32>,
}

fn main() {}
