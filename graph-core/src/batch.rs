//! JSON `$batch`: calls made inside [`GraphClient::batch`] are collected and sent together.
//!
//! Any generated endpoint method works unchanged: inside a batch scope, `call` hands its
//! request to the scope's collector instead of the pipeline and waits for its item of the
//! batch answer, which it then decodes as usual, so each call keeps its own typed result.
//! Requests go in groups of at most 20 (one `$batch` per group); items answered 429 are sent
//! again, in a new batch, after the largest `Retry-After` among them.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::{Notify, oneshot};

use crate::client::retry::parse_retry_after;
use crate::client::{ClientInner, GraphClient, Outgoing, RawResponse};
use crate::error::{Error, Result};
use crate::meta::ApiVersion;

/// The most requests one `$batch` may carry.
pub const MAX_BATCH_SIZE: usize = 20;

tokio::task_local! {
    static SCOPE: Arc<Collector>;
}

struct Pending {
    id: String,
    method: Method,
    version: ApiVersion,
    /// Relative to the version root, with the query: `/deviceManagement/…?$select=id`.
    url: String,
    headers: Vec<(String, String)>,
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
    /// Set while a [`depends_on_previous`] future is polled.
    chain_next: AtomicBool,
    last_id: Mutex<Option<String>>,
}

impl Collector {
    fn take(&self) -> Vec<Pending> {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }
}

/// Inside a batch scope of `client`: queues the request and returns where its answer arrives.
pub(crate) fn capture(
    client: &GraphClient,
    method: &Method,
    version: ApiVersion,
    url: String,
    headers: &HeaderMap,
    body: Option<Bytes>,
) -> Option<oneshot::Receiver<Result<RawResponse>>> {
    SCOPE
        .try_with(|collector| {
            if !Arc::ptr_eq(&collector.client, &client.inner) {
                return None;
            }
            let id = (collector.next_id.fetch_add(1, Ordering::SeqCst) + 1).to_string();
            let depends_on = if collector.chain_next.load(Ordering::SeqCst) {
                collector.last_id.lock().ok().and_then(|last| last.clone())
            } else {
                None
            };
            if let Ok(mut last) = collector.last_id.lock() {
                *last = Some(id.clone());
            }
            let (reply, answer) = oneshot::channel();
            if let Ok(mut pending) = collector.pending.lock() {
                pending.push(Pending {
                    id,
                    method: method.clone(),
                    version,
                    url,
                    headers: headers
                        .iter()
                        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.to_string(), v.to_owned())))
                        .collect(),
                    body,
                    depends_on,
                    reply,
                    attempts: 0,
                });
            }
            collector.registered.notify_one();
            Some(answer)
        })
        .ok()
        .flatten()
}

/// Makes the call inside `future` depend on the call registered just before it (`dependsOn`):
/// it runs only if that one succeeded, and fails with a 424 otherwise.
pub async fn depends_on_previous<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(|cx| {
        let flag = SCOPE.try_with(|c| {
            c.chain_next.store(true, Ordering::SeqCst);
        });
        let result = future.as_mut().poll(cx);
        if flag.is_ok() {
            let _ = SCOPE.try_with(|c| c.chain_next.store(false, Ordering::SeqCst));
        }
        result
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
    ///         ids.iter().map(|id| intune.get_user_status_overview(id, &Query::new())),
    ///     ))
    ///     .await;                      // 25 ids: two $batch requests (20 + 5)
    /// ```
    ///
    /// Each result is the call's own typed `Result`. Inside `work`,
    /// [`depends_on_previous`] chains a call to the one before it (`dependsOn`).
    pub async fn batch<F: Future>(&self, work: F) -> F::Output {
        let collector = Arc::new(Collector {
            client: self.inner.clone(),
            pending: Mutex::new(Vec::new()),
            registered: Notify::new(),
            next_id: AtomicUsize::new(0),
            chain_next: AtomicBool::new(false),
            last_id: Mutex::new(None),
        });
        let mut work = std::pin::pin!(SCOPE.scope(collector.clone(), work));
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
        let requests: Vec<Value> = sendable
            .iter()
            .map(|p| {
                let mut request = json!({"id": p.id, "method": p.method.as_str(), "url": p.url});
                let mut headers: serde_json::Map<String, Value> = p
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                if let Some(body) = &p.body {
                    headers.insert("Content-Type".into(), json!("application/json"));
                    request["body"] = serde_json::from_slice(body).unwrap_or(Value::Null);
                }
                if !headers.is_empty() {
                    request["headers"] = Value::Object(headers);
                }
                if let Some(dep) = p.depends_on.as_ref().filter(|d| in_group.contains(d)) {
                    request["dependsOn"] = json!([dep]);
                }
                request
            })
            .collect();
        let url = format!(
            "{}{}/$batch",
            self.inner.cloud.graph_root(),
            version.as_str()
        );
        let outcome = async {
            let url = url::Url::parse(&url)
                .map_err(|e| Error::invalid("batch", format!("`{url}` is not a URL: {e}")))?;
            let body = serde_json::to_vec(&json!({ "requests": requests }))
                .map_err(|e| Error::invalid("batch", e.to_string()))?;
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
            let answer: Value = serde_json::from_slice(&response.body).map_err(|e| {
                Error::Decode(crate::DecodeError::body(format!("$batch answer: {e}")))
            })?;
            Ok::<Value, Error>(answer)
        }
        .await;
        let answer = match outcome {
            Ok(answer) => answer,
            Err(error) => {
                let message = error.to_string();
                for item in sendable {
                    failed_ids.push(item.id.clone());
                    let _ = item.reply.send(Err(Error::Transport {
                        sent: true,
                        message: format!("$batch failed: {message}"),
                    }));
                }
                return;
            }
        };
        let responses = answer
            .get("responses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for mut item in sendable {
            let Some(response) = responses
                .iter()
                .find(|r| r.get("id").and_then(Value::as_str) == Some(item.id.as_str()))
            else {
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
}

/// One item of a `$batch` answer as a response of its own.
fn item_response(item: &Value) -> RawResponse {
    let status = item
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::BAD_GATEWAY);
    let mut headers = HeaderMap::new();
    if let Some(map) = item.get("headers").and_then(Value::as_object) {
        for (name, value) in map {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::from_bytes(name.as_bytes()),
                value.as_str().map(HeaderValue::from_str),
            ) {
                headers.insert(name, value);
            }
        }
    }
    let body = match item.get("body") {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(text)) => Bytes::from(text.clone()),
        Some(other) => Bytes::from(other.to_string()),
    };
    RawResponse {
        status,
        headers,
        body,
    }
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
