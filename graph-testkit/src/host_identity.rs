//! The endpoints an Azure host serves its workload's managed identity tokens on: IMDS
//! (`GET /metadata/identity/oauth2/token`, `Metadata: true`, API version 2018-02-01) and App
//! Service's (`GET /msi/token`, `X-IDENTITY-HEADER`, API version 2019-08-01).

use axum::http::{HeaderMap, Uri};
use serde_json::json;

use crate::config::HostIdentity;
use crate::identity::TokenAnswer;
use crate::state::State;

/// Which host endpoint a request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostEndpoint {
    Imds,
    AppService,
}

impl HostEndpoint {
    pub fn path(self) -> &'static str {
        match self {
            Self::Imds => "/metadata/identity/oauth2/token",
            Self::AppService => "/msi/token",
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            Self::Imds => "2018-02-01",
            Self::AppService => "2019-08-01",
        }
    }

    /// The query parameter naming a user-assigned identity by resource id.
    fn resource_id_parameter(self) -> &'static str {
        match self {
            Self::Imds => "msi_res_id",
            Self::AppService => "mi_res_id",
        }
    }
}

fn invalid(status: u16, description: &str) -> TokenAnswer {
    TokenAnswer {
        status,
        body: json!({"error": "invalid_request", "error_description": description}),
    }
}

/// Answers a host identity request: the token of the identity asked for, or the host's
/// error.
pub fn answer(
    state: &State,
    endpoint: HostEndpoint,
    headers: &HeaderMap,
    uri: &Uri,
) -> TokenAnswer {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match endpoint {
        HostEndpoint::Imds if header("metadata") != Some("true") => {
            return invalid(400, "Required metadata header not specified");
        }
        HostEndpoint::AppService
            if header("x-identity-header") != Some(state.identity_header.expose()) =>
        {
            return TokenAnswer {
                status: 401,
                body: json!({"statusCode": 401, "message": "Unauthorized: the X-IDENTITY-HEADER is missing or wrong."}),
            };
        }
        _ => {}
    }
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let field = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if field("api-version") != Some(endpoint.api_version()) {
        return invalid(
            400,
            &format!("The api-version must be {}.", endpoint.api_version()),
        );
    }
    let audience = state.base_url.trim_end_matches('/');
    let Some(resource) = field("resource") else {
        return invalid(400, "Required query variable 'resource' is missing");
    };
    if resource.trim_end_matches('/') != audience {
        return invalid(
            400,
            &format!("AADSTS500011: The resource principal named {resource} was not found."),
        );
    }
    let wanted = |identity: &HostIdentity| match (
        field("client_id"),
        field(endpoint.resource_id_parameter()),
    ) {
        (Some(client_id), _) => identity.client_id == client_id,
        (None, Some(resource_id)) => identity.resource_id.as_deref() == Some(resource_id),
        (None, None) => identity.resource_id.is_none(),
    };
    let app = state
        .config
        .host_identities
        .iter()
        .find(|identity| wanted(identity))
        .and_then(|identity| {
            state
                .config
                .apps
                .iter()
                .find(|app| app.client_id == identity.client_id)
        });
    match app {
        Some(app) => state.identity(&app.tenant_id).host_token(app, resource),
        None => invalid(400, "Identity not found"),
    }
}
