//! What the fuzz targets share: a client to decode with (it never sends), a 200 answer with a
//! body, and the macros' path-template parser (a proc-macro crate cannot be linked, so its
//! dependency-free module is compiled in here from the same source file).

use graphwire_core::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use graphwire_core::reqwest::{StatusCode, Url};
use graphwire_core::{Cloud, GraphClient, RawResponse, StaticToken};

// Links graphwire-intune: its declarations are what the emulator targets serve and validate.
pub use graphwire_intune;

#[path = "../../graph-macros/src/endpoint/template.rs"]
#[allow(dead_code)]
pub mod template;

/// A client pointed at a closed port: decoders need one (for later pages), none sends.
pub fn client() -> GraphClient {
    static CLIENT: std::sync::OnceLock<GraphClient> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let Ok(closed_port) = Url::parse("http://127.0.0.1:9/") else {
                unreachable!("a fixed URL parses")
            };
            match GraphClient::builder()
                .cloud(Cloud::custom(closed_port.clone(), closed_port))
                .credential(StaticToken::new("fuzz"))
                .build()
            {
                Ok(client) => client,
                Err(e) => panic!("the fuzz client builds: {e}"),
            }
        })
        .clone()
}

/// A 200 JSON answer carrying `body`, as the transport hands it to a decoder.
pub fn json_answer(body: &[u8]) -> RawResponse {
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;odata.metadata=minimal"),
    );
    RawResponse::new(StatusCode::OK, headers, body.to_vec())
}

/// Keeps graphwire-intune linked: its endpoint and type registrations are what the emulator
/// targets route and validate against (the emulator binary does the same).
pub fn link_intune() {
    let _ = graphwire_intune::rules::COMPLIANCE_POLICY_CREATE.name;
}
