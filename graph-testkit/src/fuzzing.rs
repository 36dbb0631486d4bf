//! Entry points for the fuzz targets (`fuzz/`) into the emulator's readers of client bytes,
//! which are private to this crate. Not an API: behind the `fuzzing` feature and hidden.
//!
//! Each entry runs against one long-lived emulator state (building the route table for every
//! input would drown the fuzzer); what an input stores is cleared before the next.

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use crate::emulator::default_app;
use crate::identity::Claims;
use crate::message::EmuRequest;
use crate::state::{Config, State};

fn state() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(|| {
        let config = Config {
            apps: vec![default_app()],
            host_identities: Vec::new(),
            token_lifetime: Duration::from_secs(3600),
            throttling: None,
            faults: None,
            client_limits: crate::config::ClientLimits::default(),
            journal_limits: crate::journal::JournalLimits::default(),
            page_size: crate::emulator::DEFAULT_PAGE_SIZE,
            upload_faults: crate::config::UploadFaults::none(),
        };
        State::new(config, "http://127.0.0.1:1/".into())
    })
}

fn fresh_state() -> &'static State {
    let state = state();
    state.clear_store();
    state
}

/// A bearer token of the default app, which holds every declared permission (signed once).
fn bearer(state: &State) -> String {
    static BEARER: OnceLock<String> = OnceLock::new();
    BEARER
        .get_or_init(|| {
            let app = default_app();
            let claims = Claims {
                tenant_id: app.tenant_id,
                client_id: app.client_id,
                roles: app.roles,
                scopes: Vec::new(),
                expires_at: u64::MAX,
            };
            format!(
                "Bearer {}",
                state.signer.sign("https://graph.microsoft.com", &claims, 0)
            )
        })
        .clone()
}

/// A request body checked against the metadata of the type its `@odata.type` names (or the
/// compliance policy base), as the emulator checks a POST or PATCH.
pub fn validate_body(body: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let declared = value
        .get("@odata.type")
        .and_then(Value::as_str)
        .and_then(graphwire_core::meta::EntityMeta::find)
        .or_else(|| {
            graphwire_core::meta::EntityMeta::find("#microsoft.graph.deviceCompliancePolicy")
        });
    if let Some(declared) = declared {
        let _ = crate::validate::check_object(&value, declared, "");
    }
}

/// A query string read as the emulator reads it: every option, `$filter`, `$orderby`, and a
/// collection listed with it (paging, `$select`, `$expand`, `$count`).
pub fn query_options(query: &str) {
    let parsed = crate::odata_query::Query::parse(Some(query));
    // The filter parser against every declared type's properties.
    for meta in graphwire_core::meta::EntityMeta::all().take(8) {
        let _ = parsed.filter(meta);
    }
    let _ = parsed.order_by();
    let _ = parsed.without(&["$skiptoken"]);
    let _ = parsed.whole_number("$top");
    let state = fresh_state();
    let request = EmuRequest {
        method: "GET".into(),
        path: "/v1.0/deviceManagement/deviceCompliancePolicies".into(),
        query: Some(query.to_owned()),
        headers: vec![("authorization".into(), bearer(state))],
        body: Vec::new(),
    };
    let _ = crate::gateway::handle(state, &request);
}

/// A `POST /v1.0/$batch` body, served through the emulator's own gateway with a valid token.
pub fn batch_request(body: &[u8]) {
    let state = fresh_state();
    let request = EmuRequest {
        method: "POST".into(),
        path: "/v1.0/$batch".into(),
        query: None,
        headers: vec![
            ("authorization".into(), bearer(state)),
            ("content-type".into(), "application/json".into()),
        ],
        body: body.to_vec(),
    };
    let _ = crate::gateway::handle(state, &request);
}

/// A token endpoint form (`application/x-www-form-urlencoded`) for the default tenant.
pub fn token_form(body: &[u8]) {
    let state = state();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let _ = state.identity("contoso").token("contoso", &form);
    state.clear_grants();
}

/// A bearer token as the emulator verifies it: `raw` as sent, and `payload` as the claims of a
/// token the emulator signed (the claims reader is behind the signature check).
pub fn verify_token(raw: &str, payload: &[u8]) {
    let state = state();
    let _ = state.signer.verify(raw, 0);
    let signed = state.signer.sign_payload(payload);
    let _ = state.signer.verify(&signed, 0);
}
