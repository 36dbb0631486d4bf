//! JSON `$batch`: up to 20 requests, `dependsOn`, per-item status (424 for failed dependencies).

use serde_json::{Value, json};

use crate::graph::{Body, EmuRequest, EmuResponse, error, handle};
use crate::server::State;

const MAX_REQUESTS: usize = 20;

pub async fn handle_batch(state: &State, outer: &EmuRequest, version: &str) -> EmuResponse {
    let Ok(body) = serde_json::from_slice::<Value>(&outer.body) else {
        return error(400, "BadRequest", "Unable to read JSON request payload.");
    };
    let Some(requests) = body.get("requests").and_then(Value::as_array) else {
        return error(400, "BadRequest", "A $batch body has a `requests` array.");
    };
    if requests.len() > MAX_REQUESTS {
        return error(
            400,
            "BadRequest",
            &format!(
                "A $batch holds at most {MAX_REQUESTS} requests; this one has {}.",
                requests.len()
            ),
        );
    }
    let mut ids: Vec<String> = Vec::new();
    for request in requests {
        let Some(id) = request.get("id").and_then(Value::as_str) else {
            return error(400, "BadRequest", "Every $batch request needs an `id`.");
        };
        if ids.iter().any(|seen| seen.eq_ignore_ascii_case(id)) {
            return error(
                400,
                "BadRequest",
                &format!("The $batch request id `{id}` is used twice."),
            );
        }
        ids.push(id.to_owned());
    }
    let authorization = outer
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .cloned();
    let mut statuses: Vec<(String, u16)> = Vec::new();
    let mut responses = Vec::new();
    for request in requests {
        let id = request
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let depends: Vec<&str> = request
            .get("dependsOn")
            .and_then(Value::as_array)
            .map(|d| d.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let failed_dependency = depends.iter().any(|dep| {
            statuses
                .iter()
                .find(|(sid, _)| sid.eq_ignore_ascii_case(dep))
                .is_none_or(|(_, status)| *status >= 400)
        });
        let response = if failed_dependency {
            error(
                424,
                "FailedDependency",
                "A request this one depends on failed.",
            )
        } else {
            let method = request
                .get("method")
                .and_then(Value::as_str)
                .unwrap_or("GET")
                .to_ascii_uppercase();
            let url = request
                .get("url")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let (path, query) = match url.split_once('?') {
                Some((p, q)) => (p, Some(q.to_owned())),
                None => (url, None),
            };
            let mut headers: Vec<(String, String)> = request
                .get("headers")
                .and_then(Value::as_object)
                .map(|h| {
                    h.iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                        .collect()
                })
                .unwrap_or_default();
            headers.extend(authorization.clone());
            let inner = EmuRequest {
                method,
                path: format!("/{version}/{}", path.trim_start_matches('/')),
                query,
                headers,
                body: request
                    .get("body")
                    .map(|b| b.to_string().into_bytes())
                    .unwrap_or_default(),
            };
            handle(state, &inner).await
        };
        statuses.push((id.clone(), response.status));
        let headers: serde_json::Map<String, Value> = response
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .chain(std::iter::once((
                "Content-Type".to_owned(),
                json!("application/json"),
            )))
            .collect();
        let mut item = json!({"id": id, "status": response.status, "headers": headers});
        match response.body {
            Body::Json(body) => item["body"] = body,
            Body::Text(text, _) => item["body"] = json!(text),
            Body::Empty => {}
        }
        responses.push(item);
    }
    EmuResponse {
        status: 200,
        headers: Vec::new(),
        body: Body::Json(json!({"responses": responses})),
    }
}
