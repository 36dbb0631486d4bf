//! JSON `$batch`: up to 20 requests, `dependsOn` in the shapes Graph runs (400 for others, for
//! ids that name no earlier request, and for a batch inside a batch), per-item status (424 for
//! failed dependencies), read and written with the client's own wire types.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use graphwire_core::batch::MAX_BATCH_SIZE;
use graphwire_core::batch::wire::{
    BatchRequest, BatchResponse, BatchResponseItem, dependency_error,
};
use serde_json::Value;

use crate::message::{Body, EmuRequest, EmuResponse, error, stamp_request_ids};
use crate::state::State;

/// Serves one request of the batch (the gateway's own entry, passed in so this module does not
/// depend on it).
pub type ServeOne = fn(&State, &EmuRequest) -> EmuResponse;

pub fn handle_batch(state: &State, outer: &EmuRequest, serve_one: ServeOne) -> EmuResponse {
    let Ok(batch) = serde_json::from_slice::<BatchRequest>(&outer.body) else {
        return error(
            400,
            "BadRequest",
            "Unable to read JSON request payload: a $batch body is {\"requests\": [{\"id\", \"method\", \"url\", …}]}.",
        );
    };
    if batch.requests.len() > MAX_BATCH_SIZE {
        return error(
            400,
            "BadRequest",
            &format!(
                "A $batch holds at most {MAX_BATCH_SIZE} requests; this one has {}.",
                batch.requests.len()
            ),
        );
    }
    for (index, request) in batch.requests.iter().enumerate() {
        let path = request.url.split('?').next().unwrap_or_default();
        if path.trim_matches('/').rsplit('/').next() == Some("$batch") {
            // Graph runs no batch inside a batch: one request could otherwise fan out 20×20.
            return error(
                400,
                "BadRequest",
                &format!(
                    "The $batch request `{}` is itself a $batch; nested batches are not supported.",
                    request.id
                ),
            );
        }
        // "When a body is included with the request, the headers object must contain a value
        // for Content-Type" (learn.microsoft.com/graph/json-batching).
        if request.body.is_some()
            && !request
                .headers
                .keys()
                .any(|name| name.eq_ignore_ascii_case("content-type"))
        {
            return error(
                400,
                "BadRequest",
                &format!(
                    "Write request id : {} does not contain Content-Type header or body.",
                    request.id
                ),
            );
        }
        if request.id.is_empty() {
            return error(400, "BadRequest", "Every $batch request needs an `id`.");
        }
        if batch.requests[..index]
            .iter()
            .any(|seen| seen.id.eq_ignore_ascii_case(&request.id))
        {
            return error(
                400,
                "BadRequest",
                &format!("The $batch request id `{}` is used twice.", request.id),
            );
        }
    }
    // Graph checks `dependsOn` before running anything: an id that names no earlier request
    // (or a cycle), or a shape that is neither parallel nor one chain nor a fan-out.
    if let Some(message) = dependency_error(&batch.requests) {
        return error(400, "BadRequest", &message);
    }
    let version = outer
        .path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    let authorization = outer.header("authorization").map(str::to_owned);
    let mut responses: Vec<BatchResponseItem> = Vec::new();
    for request in batch.requests {
        let failed_dependency = request.depends_on.iter().any(|dep| {
            responses
                .iter()
                .find(|done| done.id.eq_ignore_ascii_case(dep))
                .is_none_or(|done| done.status >= 400)
        });
        // Each item is a request of its own to the service, with its own id.
        let request_id = uuid::Uuid::new_v4().to_string();
        let client_request_id = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("client-request-id"))
            .map_or_else(|| request_id.clone(), |(_, value)| value.clone());
        let mut response = if failed_dependency {
            error(
                424,
                "FailedDependency",
                "A request this one depends on failed.",
            )
        } else {
            let (path, query) = match request.url.split_once('?') {
                Some((p, q)) => (p, Some(q.to_owned())),
                None => (request.url.as_str(), None),
            };
            let mut headers: Vec<(String, String)> = request.headers.into_iter().collect();
            if let Some(authorization) = &authorization {
                headers.push(("authorization".into(), authorization.clone()));
            }
            let inner = EmuRequest {
                method: request.method.to_ascii_uppercase(),
                path: format!("/{version}/{}", path.trim_start_matches('/')),
                query,
                headers,
                body: request
                    .body
                    .map(|b| b.get().as_bytes().to_vec())
                    .unwrap_or_default(),
            };
            serve_one(state, &inner)
        };
        stamp_request_ids(&mut response.body, &request_id, &client_request_id);
        let mut headers: std::collections::BTreeMap<String, String> =
            response.headers.into_iter().collect();
        let body = match response.body {
            Body::Json(body) => {
                headers.insert("Content-Type".into(), "application/json".into());
                Some(body)
            }
            // OData JSON batch: a text/* body is a string as is; any other body that is not
            // JSON is base64url-encoded.
            Body::Text(text, content_type) => {
                headers.insert("Content-Type".into(), content_type.into());
                Some(Value::String(if content_type.starts_with("text/") {
                    text
                } else {
                    URL_SAFE_NO_PAD.encode(text)
                }))
            }
            Body::Empty => None,
        };
        responses.push(BatchResponseItem {
            id: request.id,
            status: response.status,
            headers,
            body,
        });
    }
    let answer = BatchResponse { responses };
    match serde_json::to_value(&answer) {
        Ok(body) => EmuResponse::json(200, body),
        Err(e) => error(500, "InternalServerError", &e.to_string()),
    }
}
