//! One Graph request from arrival to answer: authenticate the token, throttle, then serve it
//! as a `$batch` or through the Graph semantics.

use crate::identity::authenticate;
use serde_json::Value;

use crate::message::{Body, EmuRequest, EmuResponse, error};
use crate::state::State;

/// Authenticates, throttles, routes and serves one Graph request.
pub fn handle(state: &State, request: &EmuRequest) -> EmuResponse {
    let claims = match authenticate(&state.signer, state.now_secs(), &state.base_url, request) {
        Ok(claims) => claims,
        Err(response) => return response,
    };
    let write = request.method != "GET";
    // Graph throttles the requests inside a `$batch`, each as it is served (below), not the
    // envelope.
    let throttled = if is_batch(request) {
        None
    } else {
        let mut throttle = state.lock_throttle();
        state.config.throttling.as_ref().and_then(|limits| {
            throttle
                .admit(
                    limits,
                    &claims.tenant_id,
                    &claims.client_id,
                    write,
                    tokio::time::Instant::now(),
                )
                .err()
        })
    };
    if let Some(wait) = throttled {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return throttled_answer(seconds.max(1));
    }
    if is_batch(request) {
        return crate::batch::handle_batch(state, request, handle);
    }
    crate::graph::serve(state, request, &claims)
}

/// Graph's 429: `Retry-After` in seconds, and an `innerError` that repeats the status
/// (reference §3.5).
fn throttled_answer(retry_after_seconds: u64) -> EmuResponse {
    let mut answer = error(429, "TooManyRequests", "Please retry again later.");
    if let Body::Json(body) = &mut answer.body
        && let Some(Value::Object(inner)) = body.pointer_mut("/error/innerError")
    {
        inner.insert("code".into(), "429".into());
        inner.insert("message".into(), "Please retry after".into());
        inner.insert("status".into(), "429".into());
    }
    answer.with_header("Retry-After", retry_after_seconds.to_string())
}

/// `POST /{version}/$batch`.
fn is_batch(request: &EmuRequest) -> bool {
    let segments = crate::store::key_of(&request.path);
    request.method == "POST" && segments.len() == 2 && segments[1] == "$batch"
}
