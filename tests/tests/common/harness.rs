//! The harness of the generated end-to-end tests (`generated_endpoints.rs`, and beta's in
//! `tests-beta/`, which compiles this file too): a fresh emulator holding one resource at every
//! path an endpoint addresses, and a client signed in to it.

use graphwire_core::GraphClient;
use graphwire_core::auth::DeviceCodeCredential;
use graphwire_testkit::{App, Emulator};
use serde_json::{Value, json};

pub struct Harness {
    pub emulator: Emulator,
    client: GraphClient,
}

impl Harness {
    /// Signed in as the emulator's default app (every declared application permission).
    /// `seeds`: (path, `@odata.type`); each resource's key is its path's last segment.
    pub async fn start(seeds: &[(&str, &str)]) -> Self {
        let emulator = Self::seeded(Emulator::builder(), seeds).await;
        let client = super::emulator_client(&emulator).build().unwrap();
        Self { emulator, client }
    }

    /// Signed in as a user holding `scopes` (device code, approved at the first poll), for
    /// endpoints no application permission allows.
    pub async fn start_delegated(seeds: &[(&str, &str)], scopes: &[&str]) -> Self {
        let app = App::new("contoso", "public-app", "none")
            .with_delegated(scopes.iter().copied())
            .approving_device_codes_after(0);
        let emulator = Self::seeded(Emulator::builder().app(app), seeds).await;
        let credential = DeviceCodeCredential::new("contoso", "public-app", |_| {});
        let client = GraphClient::builder()
            .cloud(emulator.cloud())
            .credential(credential)
            .http_client(super::reqwest_client())
            .build()
            .unwrap();
        Self { emulator, client }
    }

    async fn seeded(
        builder: graphwire_testkit::EmulatorBuilder,
        seeds: &[(&str, &str)],
    ) -> Emulator {
        let mut builder = builder.without_vector_seed();
        for (path, odata_type) in seeds {
            let id = path.rsplit('/').next().unwrap_or_default();
            builder = builder.seed(*path, json!({"@odata.type": odata_type, "id": id}));
        }
        builder.start().await.unwrap()
    }

    /// The signed-in client (`h.client().intune()`, `h.client().intune_beta()`).
    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    /// The resource the emulator holds at `path`, decoded as `T`.
    pub fn stored<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let value = self
            .emulator
            .resource(path)
            .unwrap_or_else(|| panic!("nothing stored at {path}"));
        serde_json::from_value(value).unwrap()
    }

    /// The one Graph request of this step: method, encoded path and body, exactly.
    pub fn expect(&self, method: &str, path: &str, body: Option<Value>, label: &str) {
        let graph: Vec<_> = self
            .emulator
            .journal()
            .into_iter()
            .filter(|e| e.path.starts_with("/v1.0/") || e.path.starts_with("/beta/"))
            .collect();
        assert_eq!(graph.len(), 1, "{label}: one Graph request, got {graph:?}");
        let request = &graph[0];
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            (method, path),
            "{label}"
        );
        match body {
            Some(body) => assert_eq!(request.json(), body, "{label}: the body sent"),
            None => assert!(request.body.is_empty(), "{label}: no body"),
        }
    }
}
