//! Every supported endpoint shape compiles.
use graphwire_core::{graph_endpoint, graph_entity, graph_id, GraphApi, GraphClient, Pages, Query};

graph_id! {
    /// Key of a policy.
    pub struct PolicyId;
}

#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct Overview {
    pub id: Option<String>,
}

pub struct Api(GraphClient);
impl GraphApi for Api {
    fn graph_client(&self) -> &GraphClient {
        &self.0
    }
}

impl Api {
    #[graph_endpoint(PATCH, "/p/{deviceCompliancePolicyId}/o", permissions = ["P"])]
    pub async fn docs_spelling(&self, device_compliance_policy_id: &PolicyId, body: &Overview) -> graphwire_core::Result<Overview>;

    #[graph_endpoint(PATCH, "/p/{deviceCompliancePolicy-id}/o", permissions = ["P"])]
    pub async fn openapi_spelling(&self, device_compliance_policy_id: &PolicyId, body: &Overview) -> graphwire_core::Result<Option<Overview>>;

    #[graph_endpoint(GET, "/users('{id}')", permissions = ["P"])]
    pub async fn key_syntax(&self, id: &str) -> graphwire_core::Result<Overview>;

    #[graph_endpoint(GET, "/p/$count", permissions = ["P"])]
    pub async fn count(&self, query: &Query) -> graphwire_core::Result<i64>;

    #[graph_endpoint(DELETE, "/p/{id}", permissions = ["P"])]
    pub async fn no_content(&self, id: &PolicyId) -> graphwire_core::Result<()>;

    #[graph_endpoint(GET, "/p", permissions = ["P"])]
    pub async fn paged(&self, query: Query) -> graphwire_core::Result<Pages<Overview>>;

    #[graph_endpoint(GET, "/p", version = "beta", delegated = ["A"], application = [], clouds = [Global, UsGov])]
    pub async fn beta(&self) -> graphwire_core::Result<Vec<Overview>>;

    #[graph_endpoint(POST, "/p", permissions = ["P"])]
    pub async fn create(&self, body: &Overview) -> graphwire_core::Result<Overview>;
}

fn main() {}
