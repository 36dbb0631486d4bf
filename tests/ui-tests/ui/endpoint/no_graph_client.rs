use graphwire_core::graph_endpoint;

pub struct NotAnApi;

impl NotAnApi {
    #[graph_endpoint(DELETE, "/a/{id}", permissions = ["P"])]
    pub async fn f(&self, id: &str) -> graphwire_core::Result<()>;
}

fn main() {}
