//! JSON `$batch`: calls made inside [`GraphClient::batch`] are collected and sent together.
//!
//! Any generated endpoint method works unchanged: inside a batch scope, a call hands its
//! request to the scope's collector instead of the pipeline and waits for its item of the
//! batch answer, which it then decodes as usual, so each call keeps its own typed result.
//! Requests go in groups of at most 20 (one `$batch` per group); items answered 429 are sent
//! again, in a new batch, after the largest `Retry-After` among them.
//!
//! The edges, each tested:
//! - The scope belongs to one client (and its clones, which share it). A call made inside it
//!   through another client fails with [`Error::Batch`] before sending: it would otherwise
//!   leave the batch silently.
//! - [`chain`] makes one call depend on another (`dependsOn`) by naming both; which call
//!   depends on which never follows from the order in which futures happen to be polled.
//! - A failed `$batch` request hands each of its calls the real error (a `Service` error with
//!   its status, `Auth`, `Decode`, …).

pub mod wire;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use serde_json::value::RawValue;
use tokio::sync::{Notify, oneshot};

use crate::client::{ClientInner, GraphClient, Outgoing};
use crate::error::{Error, Result};
use crate::meta::ApiVersion;
use crate::raw_response::RawResponse;
use crate::retry_signals::parse_retry_after;
use wire::{BatchRequest, BatchRequestItem, BatchResponse, BatchResponseItem};

/// The most requests one `$batch` may carry.
pub const MAX_BATCH_SIZE: usize = 20;

tokio::task_local! {
    static SCOPE: Arc<Collector>;
}

/// What a call registered in a scope depends on.
#[derive(Clone)]
enum Dependency {
    /// The request with this id must succeed first.
    On(String),
    /// The call it depends on failed before it could be sent: answer 424 without sending.
    Failed,
}

struct Pending {
    id: String,
    method: Method,
    version: ApiVersion,
    /// Relative to the version root, with the query: `/deviceManagement/…?$select=id`.
    url: String,
    headers: BTreeMap<String, String>,
    body: Option<Bytes>,
    depends_on: Option<String>,
    reply: oneshot::Sender<Result<RawResponse>>,
    attempts: u32,
}

struct Collector {
    client: Arc<ClientInner>,
    pending: Mutex<Vec<Pending>>,
    registered: Notify,
    next_id: AtomicUsize,
    /// Set by [`chain`] around one poll of its second call.
    dependency: Mutex<Option<Dependency>>,
    /// The id registered during the current poll of a [`chain`]'s first call.
    last_registered: Mutex<Option<String>>,
}

impl Collector {
    fn take(&self) -> Vec<Pending> {
        std::mem::take(&mut *lock(&self.pending))
    }
}

/// A lock that survives a panic elsewhere (the data is plain values, never half-written).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs `f` on the current scope's collector, if there is one.
fn in_scope<T>(f: impl FnOnce(&Collector) -> T) -> Option<T> {
    SCOPE.try_with(|c| f(c)).ok()
}

/// Inside a batch scope: queues the request and returns where its answer arrives. `None`
/// outside any scope; an error when the scope belongs to another client.
pub(crate) fn capture(
    client: &GraphClient,
    method: &Method,
    version: ApiVersion,
    url: String,
    headers: &HeaderMap,
    body: Option<Bytes>,
) -> Result<Option<oneshot::Receiver<Result<RawResponse>>>> {
    let Ok(collector) = SCOPE.try_with(Arc::clone) else {
        return Ok(None);
    };
    if !Arc::ptr_eq(&collector.client, &client.inner) {
        return Err(Error::Batch {
            sent: false,
            reason: "this call was made inside the $batch scope of another client; make it through that client (or a clone of it), or outside `batch`".into(),
        });
    }
    let (reply, answer) = oneshot::channel();
    let dependency = lock(&collector.dependency).clone();
    if let Some(Dependency::Failed) = dependency {
        let _ = reply.send(Ok(failed_dependency()));
        return Ok(Some(answer));
    }
    let id = (collector.next_id.fetch_add(1, Ordering::SeqCst) + 1).to_string();
    *lock(&collector.last_registered) = Some(id.clone());
    let pending = Pending {
        id,
        method: method.clone(),
        version,
        url,
        headers: headers
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.to_string(), v.to_owned())))
            .collect(),
        body,
        depends_on: match dependency {
            Some(Dependency::On(id)) => Some(id),
            _ => None,
        },
        reply,
        attempts: 0,
    };
    lock(&collector.pending).push(pending);
    collector.registered.notify_one();
    Ok(Some(answer))
}

/// Runs `first` and `then` inside one batch, `then` depending on `first` (`dependsOn`): Graph
/// runs it only if `first` succeeded, and answers it 424 Failed Dependency otherwise. If
/// `first` fails before it is sent, `then` is answered 424 without being sent.
///
/// ```no_run
/// # async fn run(client: graphwire_core::GraphClient) {
/// use graphwire_core::batch::chain;
/// # let (create, assign) = (async { 1 }, async { 2 });
/// // Inside client.batch(…): the assignment runs only if the update succeeded.
/// let (updated, assigned) = client.batch(chain(create, assign)).await;
/// # }
/// ```
///
/// Outside a batch scope the two calls simply run one after the other.
pub async fn chain<A: Future, B: Future>(first: A, then: B) -> (A::Output, B::Output) {
    if in_scope(|_| ()).is_none() {
        let first = first.await;
        return (first, then.await);
    }
    let mut first = std::pin::pin!(first);
    let mut then = std::pin::pin!(then);
    let (mut first_out, mut then_out) = (None, None);
    let mut first_id: Option<String> = None;
    std::future::poll_fn(|cx| {
        if first_out.is_none() {
            in_scope(|c| *lock(&c.last_registered) = None);
            if let std::task::Poll::Ready(out) = first.as_mut().poll(cx) {
                first_out = Some(out);
            }
            if first_id.is_none() {
                first_id = in_scope(|c| lock(&c.last_registered).take()).flatten();
            }
        }
        if then_out.is_none() {
            let dependency = match (&first_id, &first_out) {
                (Some(id), _) => Some(Dependency::On(id.clone())),
                (None, Some(_)) => Some(Dependency::Failed),
                // `first` has not registered yet: `then` waits for it.
                (None, None) => return std::task::Poll::Pending,
            };
            // Set around this one poll only; a nested chain's setting is restored after.
            let previous =
                in_scope(|c| std::mem::replace(&mut *lock(&c.dependency), dependency)).flatten();
            let polled = then.as_mut().poll(cx);
            in_scope(|c| *lock(&c.dependency) = previous);
            if let std::task::Poll::Ready(out) = polled {
                then_out = Some(out);
            }
        }
        if first_out.is_some()
            && then_out.is_some()
            && let (Some(a), Some(b)) = (first_out.take(), then_out.take())
        {
            return std::task::Poll::Ready((a, b));
        }
        std::task::Poll::Pending
    })
    .await
}

impl GraphClient {
    /// Runs `work`, sending the Graph calls it makes through this client as JSON `$batch`
    /// requests: calls made together (`join!`, `join_all`) share a round trip.
    ///
    /// ```text
    /// let intune = client.intune();
    /// let overviews = client
    ///     .batch(futures::future::join_all(
    ///         ids.iter().map(|id| intune.device_compliance_policy_user_status_overview_get().query(&id)),
    ///     ))
    ///     .await;                      // 25 ids: two $batch requests (20 + 5)
    /// ```
    ///
    /// Each result is the call's own typed `Result`. Inside `work`, [`chain`] makes one call
    /// depend on another (`dependsOn`). A call made through another client fails with
    /// [`Error::Batch`] rather than leaving the batch unnoticed.
    pub async fn batch<F: Future>(&self, work: F) -> F::Output {
        let collector = Arc::new(Collector {
            client: Arc::clone(&self.inner),
            pending: Mutex::new(Vec::new()),
            registered: Notify::new(),
            next_id: AtomicUsize::new(0),
            dependency: Mutex::new(None),
            last_registered: Mutex::new(None),
        });
        let mut work = std::pin::pin!(SCOPE.scope(Arc::clone(&collector), work));
        loop {
            tokio::select! {
                biased;
                output = &mut work => return output,
                () = collector.registered.notified() => {
                    // Everything `work` registered in the poll that just returned is queued.
                    let pending = collector.take();
                    self.send_batches(pending).await;
                }
            }
        }
    }

    async fn send_batches(&self, mut pending: Vec<Pending>) {
        let retry = crate::client::retry::effective(&self.inner.retry);
        let mut failed_ids: Vec<String> = Vec::new();
        while !pending.is_empty() {
            let mut throttled: Vec<(Pending, Option<Duration>)> = Vec::new();
            let mut queue = std::mem::take(&mut pending);
            while !queue.is_empty() {
                let version = queue[0].version;
                let split = queue
                    .iter()
                    .take(MAX_BATCH_SIZE)
                    .take_while(|p| p.version == version)
                    .count();
                let rest = queue.split_off(split);
                let group = std::mem::replace(&mut queue, rest);
                self.send_group(group, version, &mut throttled, &mut failed_ids)
                    .await;
            }
            if throttled.is_empty() {
                break;
            }
            let wait = throttled
                .iter()
                .map(|(p, after)| retry.delay(p.attempts, *after))
                .max()
                .unwrap_or_default();
            let (again, give_up): (Vec<_>, Vec<_>) = throttled
                .into_iter()
                .partition(|(p, _)| p.attempts <= retry.max_retries() && wait <= retry.max_delay());
            for (item, _) in give_up {
                let _ = item.reply.send(Err(throttled_error(wait)));
            }
            if !again.is_empty() {
                tracing::info!(
                    items = again.len(),
                    ?wait,
                    "retrying throttled $batch items"
                );
                tokio::time::sleep(wait).await;
            }
            pending = again.into_iter().map(|(p, _)| p).collect();
        }
    }

    async fn send_group(
        &self,
        group: Vec<Pending>,
        version: ApiVersion,
        throttled: &mut Vec<(Pending, Option<Duration>)>,
        failed_ids: &mut Vec<String>,
    ) {
        let in_group: Vec<String> = group.iter().map(|p| p.id.clone()).collect();
        let mut sendable = Vec::new();
        for item in group {
            // A dependency answered in an earlier group: fail locally if it failed, else drop it.
            match &item.depends_on {
                Some(dep) if failed_ids.contains(dep) => {
                    failed_ids.push(item.id.clone());
                    let _ = item.reply.send(Ok(failed_dependency()));
                }
                _ => sendable.push(item),
            }
        }
        if sendable.is_empty() {
            return;
        }
        let request = BatchRequest {
            requests: sendable.iter().map(|p| wire_item(p, &in_group)).collect(),
        };
        let answer = match self.post_batch(&request, version).await {
            Ok(answer) => answer,
            Err(error) => {
                for item in sendable {
                    failed_ids.push(item.id.clone());
                    let _ = item.reply.send(Err(error.clone()));
                }
                return;
            }
        };
        for mut item in sendable {
            let Some(response) = answer.responses.iter().find(|r| r.id == item.id) else {
                failed_ids.push(item.id.clone());
                let _ = item
                    .reply
                    .send(Err(Error::Decode(crate::DecodeError::body(format!(
                        "$batch answer has no response with id {}",
                        item.id
                    )))));
                continue;
            };
            let raw = item_response(response);
            if raw.status == StatusCode::TOO_MANY_REQUESTS {
                let after = raw
                    .headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                item.attempts += 1;
                throttled.push((item, after));
                continue;
            }
            if !raw.status.is_success() {
                failed_ids.push(item.id.clone());
            }
            let _ = item.reply.send(Ok(raw));
        }
    }

    /// Sends one `$batch` through the pipeline; a failure is the real error of that request.
    async fn post_batch(
        &self,
        request: &BatchRequest,
        version: ApiVersion,
    ) -> Result<BatchResponse> {
        let text = format!(
            "{}{}/$batch",
            self.inner.cloud.graph_root(),
            version.as_str()
        );
        let url = url::Url::parse(&text)
            .map_err(|e| Error::invalid("batch", format!("`{text}` is not a URL: {e}")))?;
        let body =
            serde_json::to_vec(request).map_err(|e| Error::invalid("batch", e.to_string()))?;
        let response = self
            .execute(Outgoing {
                operation: "$batch",
                template: "/$batch",
                method: Method::POST,
                url,
                headers: HeaderMap::new(),
                body: Some(Bytes::from(body)),
            })
            .await?
            .error_for_status()?;
        serde_json::from_slice(&response.body)
            .map_err(|e| Error::Decode(crate::DecodeError::body(format!("$batch answer: {e}"))))
    }
}

/// One pending call as an item of the `$batch` body.
fn wire_item(pending: &Pending, in_group: &[String]) -> BatchRequestItem {
    let mut headers = pending.headers.clone();
    let body = pending.body.as_ref().map(|body| {
        headers.insert("Content-Type".into(), "application/json".into());
        // Our own encoder wrote it, so it is JSON; `RawValue` only checks that and copies it.
        String::from_utf8(body.to_vec())
            .ok()
            .and_then(|text| RawValue::from_string(text).ok())
            .unwrap_or_else(|| RawValue::NULL.to_owned())
    });
    BatchRequestItem {
        id: pending.id.clone(),
        method: pending.method.as_str().to_owned(),
        url: pending.url.clone(),
        headers,
        body,
        depends_on: pending
            .depends_on
            .iter()
            .filter(|d| in_group.contains(d))
            .cloned()
            .collect(),
    }
}

/// One item of a `$batch` answer as a response of its own.
pub(crate) fn item_response(item: &BatchResponseItem) -> RawResponse {
    let status = StatusCode::from_u16(item.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut headers = HeaderMap::new();
    for (name, value) in &item.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    let body = match &item.body {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(text)) => Bytes::from(text_body(
            text,
            headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default(),
        )),
        Some(other) => Bytes::from(other.to_string()),
    };
    RawResponse {
        status,
        headers,
        body,
    }
}

/// A string body of a `$batch` answer item, by its content type (OData JSON batch): JSON or
/// `text/*` as is; any other type base64url-encoded (either alphabet, padded or not). Text
/// that does not decode is kept as it came rather than lost.
fn text_body(text: &str, content_type: &str) -> Vec<u8> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if media_type.starts_with("text/") || media_type.ends_with("json") || media_type.is_empty() {
        return text.as_bytes().to_vec();
    }
    let unpadded = text.trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(unpadded)
        .or_else(|_| STANDARD_NO_PAD.decode(unpadded))
        .unwrap_or_else(|_| text.as_bytes().to_vec())
}

fn failed_dependency() -> RawResponse {
    RawResponse {
        status: StatusCode::FAILED_DEPENDENCY,
        headers: HeaderMap::new(),
        body: Bytes::from_static(
            br#"{"error":{"code":"FailedDependency","message":"A request this one depends on failed."}}"#,
        ),
    }
}

fn throttled_error(wait: Duration) -> Error {
    Error::from(crate::ServiceError {
        status: 429,
        code: "TooManyRequests".into(),
        message: format!(
            "still throttled inside $batch; the next wait ({wait:?}) exceeds the retry policy"
        ),
        request_id: None,
        client_request_id: None,
        date: None,
        retry_after: Some(wait),
        inner_error: None,
        body_excerpt: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_bodies_follow_their_content_type() {
        // `$count` is text/plain: its text as is, even where it would decode as base64.
        assert_eq!(text_body("1234", "text/plain"), b"1234");
        // A photo is base64url; Graph has also been seen padding or using the other alphabet.
        assert_eq!(text_body("aGk_", "image/jpeg"), b"hi?");
        assert_eq!(text_body("aGk/", "application/octet-stream"), b"hi?");
        assert_eq!(text_body("aGk=", "image/png"), b"hi");
        // Not base64 at all: kept as sent rather than lost.
        assert_eq!(text_body("%%", "image/png"), b"%%");
    }
}
