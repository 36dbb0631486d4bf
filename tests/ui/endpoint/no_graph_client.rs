use graph_core::graph_endpoint;

pub struct NotAnApi;

impl NotAnApi {
    #[graph_endpoint(DELETE, "/a/{id}", permissions = ["P"])]
    pub async fn f(&self, id: &str) -> graph_core::Result<()>;
}

fn main() {}
