//! Fault injection: which requests a plan touches, which fault the seeded dice pick, and how a
//! response is cut off in transit.

use std::sync::Mutex;

use axum::body::Body as AxumBody;
use axum::http::HeaderValue;
use axum::response::Response;
use bytes::Bytes;

use crate::config::{Fault, FaultPlan};
use crate::message::EmuRequest;
use crate::state::lock;

/// True when the plan covers this request's path (below the version segment).
pub fn applies(plan: &FaultPlan, request: &EmuRequest) -> bool {
    let path = request
        .path
        .splitn(3, '/')
        .nth(2)
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    plan.path_prefix
        .as_deref()
        .is_none_or(|prefix| path.starts_with(prefix))
}

/// The fault for this request, if the dice pick one.
pub fn pick(
    plan: Option<&FaultPlan>,
    dice: &Mutex<fastrand::Rng>,
    request: &EmuRequest,
) -> Option<Fault> {
    let plan = plan?;
    if !applies(plan, request) || plan.pool.is_empty() {
        return None;
    }
    let mut rng = lock(dice);
    if rng.f64() >= plan.rate {
        return None;
    }
    plan.pool.get(rng.usize(..plan.pool.len())).cloned()
}

/// Sends the headers (with the full `Content-Length`), then cuts the connection: at once, or
/// after half the body.
pub async fn cut(response: Response, half: bool) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let sent = if half {
        bytes.slice(..bytes.len() / 2)
    } else {
        Bytes::new()
    };
    // Yield between the part that is sent and the reset, so hyper flushes the headers (and
    // the half body) first: the client sees a response, then a cut.
    let stream = futures::stream::unfold(0u8, move |step| {
        let sent = sent.clone();
        async move {
            match step {
                0 => Some((Ok::<Bytes, std::io::Error>(sent), 1)),
                1 => {
                    tokio::task::yield_now().await;
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    let reset =
                        std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected fault");
                    Some((Err(reset), 2))
                }
                _ => None,
            }
        }
    });
    let mut response = Response::from_parts(parts, AxumBody::from_stream(stream));
    if let Ok(length) = HeaderValue::from_str(&bytes.len().max(1).to_string()) {
        response.headers_mut().insert("content-length", length);
    }
    response
}
