//! JSON `$batch`: calls made inside [`GraphClient::batch`] are collected and sent together.
//!
//! Any generated endpoint method works unchanged: inside a batch scope, a call hands its
//! request to the scope's collector instead of the pipeline and waits for its item of the
//! batch answer, which it then decodes as usual, so each call keeps its own typed result.
//! Requests go in groups of at most 20 (one `$batch` per group); each item answered 429 is
//! sent again, in a new batch, when its own `Retry-After` is over (items due together share
//! one); an item whose wait is over the retry policy's cap fails alone.
//!
//! The edges, each tested:
//! - The scope belongs to one client (and its clones, which share it). A call made inside it
//!   through another client fails with [`Error::Batch`] before sending: it would otherwise
//!   leave the batch silently.
//! - [`chain`] makes one call depend on another (`dependsOn`) by naming both; which call
//!   depends on which never follows from the order in which futures happen to be polled.
//! - A failed `$batch` request hands each of its calls the real error (a `Service` error with
//!   its status, `Auth`, `Decode`, …).
//! - A [`chain`]ed call runs if and only if its first call succeeded: when the first is
//!   throttled, the second (answered 424 by the service, which never ran it) is sent again
//!   with it.
//! - An answer that holds no item, or two, for a request's id is a `Decode` error for that
//!   call.
//! - Each `$batch` has a `dependsOn` shape Graph runs (all parallel, one chain, or a fan-out
//!   from its first request; [`wire::supported_shape`]): calls that would mix shapes go in the
//!   next `$batch`, after what they depend on has answered.

pub mod wire;

/// Awaits every future of `calls` together, their outputs in order: the way to make calls
/// share `$batch` requests inside [`GraphClient::batch`] without depending on the `futures`
/// crate (it is futures-util's, as reqwest already builds it).
pub use futures_util::future::join_all;

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use serde_json::value::RawValue;
use tokio::sync::{Notify, oneshot};
use tokio::time::Instant;

use crate::client::pacing::{Lane, Units};
use crate::client::{ClientInner, Counted, GraphClient, Outgoing, may_duplicate};
use crate::error::{Error, Result};
use crate::lock::lock;
use crate::meta::ApiVersion;
use crate::raw_response::RawResponse;
use crate::retry::Retries;
use crate::retry::signals::parse_retry_after;
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
    /// Registration order (the id as a number): dependencies come first.
    order: usize,
    method: Method,
    version: ApiVersion,
    /// Relative to the version root, with the query: `/deviceManagement/…?$select=id`.
    url: String,
    headers: BTreeMap<String, String>,
    body: Option<Bytes>,
    depends_on: Option<String>,
    reply: oneshot::Sender<Result<RawResponse>>,
    /// The call's retries, under the policy in force where it was made and within its
    /// deadline from then: counted as the pipeline counts a call's.
    retries: Retries,
    /// The call's operation (`managed_devices.list`): for `RequestPolicy::on_retry`.
    operation: &'static str,
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

/// Runs `f` on the current scope's collector, if there is one.
fn in_scope<T>(f: impl FnOnce(&Collector) -> T) -> Option<T> {
    SCOPE.try_with(|c| f(c)).ok()
}

/// Inside a batch scope: queues the request and returns where its answer arrives. `None`
/// outside any scope; an error when the scope belongs to another client.
pub(crate) fn capture(
    client: &GraphClient,
    operation: &'static str,
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
    let order = collector.next_id.fetch_add(1, Ordering::SeqCst) + 1;
    let id = order.to_string();
    *lock(&collector.last_registered) = Some(id.clone());
    let pending = Pending {
        id,
        order,
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
        retries: {
            let policy = crate::retry::effective(&client.inner.retry);
            let deadline = policy.deadline_from(Instant::now());
            Retries::new(policy, deadline)
        },
        operation,
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
    /// let policies = client.intune().device_compliance_policies();
    /// let overviews = client
    ///     .batch(graphwire_core::batch::join_all(
    ///         ids.iter().map(|id| policies.user_status_overview_get(id)),
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
        // Sends run beside `work`, so an item answered early (its own `Retry-After` over)
        // reaches its caller while other items still wait, and calls made after it join a
        // new `$batch` at once.
        let mut sending = FuturesUnordered::new();
        loop {
            tokio::select! {
                biased;
                output = &mut work => return output,
                () = collector.registered.notified() => {
                    // Everything `work` registered in the poll that just returned is queued.
                    let pending = collector.take();
                    sending.push(self.send_batches(pending));
                }
                Some(()) = sending.next(), if !sending.is_empty() => {}
            }
        }
    }

    /// Sends `pending` in groups, then each throttled item again when its own `Retry-After`
    /// (or backoff) is over, until every call is answered. An item whose wait is over the
    /// policy's cap, or that has no retries left, fails alone; a call that depends on a
    /// throttled one is held back and re-sent with it.
    async fn send_batches(&self, pending: Vec<Pending>) {
        let mut failed_ids: Vec<String> = Vec::new();
        let mut waiting: Vec<(Instant, Pending)> = Vec::new();
        let mut round = pending;
        loop {
            let mut queue = VecDeque::from(std::mem::take(&mut round));
            while !queue.is_empty() {
                let room = (self.inner.pacing.as_ref())
                    .map(|pacing| [Lane::Read, Lane::Write].map(|lane| pacing.room(lane)));
                let group = next_group(&mut queue, room, &mut waiting, &mut failed_ids);
                let held = self.send_group(group, &mut failed_ids).await;
                schedule(held, &self.inner.policies, &mut waiting, &mut failed_ids);
            }
            let Some(next) = waiting.iter().map(|(due, _)| *due).min() else {
                break;
            };
            tracing::info!(
                items = waiting.len(),
                wait = ?next.saturating_duration_since(Instant::now()),
                "retrying throttled $batch items"
            );
            tokio::time::sleep_until(next).await;
            let now = Instant::now();
            let (due, later): (Vec<_>, Vec<_>) =
                waiting.into_iter().partition(|(due, _)| *due <= now);
            waiting = later;
            round = due.into_iter().map(|(_, item)| item).collect();
            // Registration order: a dependency always goes before the calls that depend on it.
            round.sort_by_key(|item| item.order);
        }
    }

    /// Sends one group as one `$batch`; returns the items to send again (throttled, or
    /// answered 424 because what they depend on was throttled), in request order.
    async fn send_group(&self, sendable: Vec<Pending>, failed_ids: &mut Vec<String>) -> Vec<Held> {
        let Some(version) = sendable.first().map(|p| p.version) else {
            return Vec::new();
        };
        let in_group: Vec<String> = sendable.iter().map(|p| p.id.clone()).collect();
        let request = BatchRequest {
            requests: sendable.iter().map(|p| wire_item(p, &in_group)).collect(),
        };
        let may_duplicate = sendable.iter().any(|p| may_duplicate(&p.method));
        // Graph throttles each request inside a `$batch`: so do the pacing and `rate_limit`.
        let units = sendable.iter().fold(Units::default(), |units, p| {
            units.add(Lane::of(&p.method), 1)
        });
        // A group holds only the turns that have come: it goes about now.
        let sent_at = Instant::now();
        let answer = match self
            .post_batch(&request, version, may_duplicate, units)
            .await
        {
            Ok(answer) => answer,
            Err(error) => {
                for item in sendable {
                    failed_ids.push(item.id.clone());
                    let _ = item.reply.send(Err(error.clone()));
                }
                return Vec::new();
            }
        };
        let mut held = Vec::new();
        // Ids of this group's items that will be sent again: a 424 naming one of them is
        // the service's answer to a dependency it never ran, not the call's own failure.
        let mut held_ids: Vec<String> = Vec::new();
        for item in sendable {
            let mut answers = answer.responses.iter().filter(|r| r.id == item.id);
            let (Some(response), None) = (answers.next(), answers.next()) else {
                let count = answer.responses.iter().filter(|r| r.id == item.id).count();
                failed_ids.push(item.id.clone());
                let _ = item
                    .reply
                    .send(Err(Error::Decode(crate::DecodeError::body(if count == 0 {
                        format!("$batch answer has no response with id {}", item.id)
                    } else {
                        format!(
                            "$batch answer has {count} responses with id {}; each request has exactly one",
                            item.id
                        )
                    }))));
                continue;
            };
            let raw = item_response(response);
            let pacer = self.inner.pacing.as_ref();
            if raw.status == StatusCode::TOO_MANY_REQUESTS {
                let after = raw
                    .headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                if let Some(pacer) = pacer {
                    let lane = Lane::of(&item.method);
                    pacer.throttled(lane, after, sent_at);
                }
                held_ids.push(item.id.clone());
                held.push(Held::Throttled(item, after, raw));
                continue;
            }
            if raw.status == StatusCode::FAILED_DEPENDENCY
                && item
                    .depends_on
                    .as_ref()
                    .is_some_and(|d| held_ids.contains(d))
            {
                held_ids.push(item.id.clone());
                held.push(Held::Deferred(item));
                continue;
            }
            if let Some(pacer) = pacer {
                pacer.answered(Units::one(&item.method), sent_at);
            }
            if !raw.status.is_success() {
                failed_ids.push(item.id.clone());
            }
            let _ = item.reply.send(Ok(raw));
        }
        held
    }

    /// Sends one `$batch` through the pipeline; a failure is the real error of that request.
    async fn post_batch(
        &self,
        request: &BatchRequest,
        version: ApiVersion,
        may_duplicate: bool,
        units: Units,
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
                with_token: true,
                operation: "$batch",
                template: "/$batch",
                method: Method::POST,
                url,
                headers: HeaderMap::new(),
                body: Some(Bytes::from(body)),
                may_duplicate,
                counted: Counted::Batch(units),
            })
            .await?
            .error_for_status()?;
        serde_json::from_slice(&response.body)
            .map_err(|e| Error::Decode(crate::DecodeError::body(format!("$batch answer: {e}"))))
    }
}

/// An item of a group's answer that is sent again in a later round.
enum Held {
    /// Answered 429, with the `Retry-After` it carried, and the answer (its error if it is not
    /// sent again).
    Throttled(Pending, Option<Duration>, RawResponse),
    /// Answered 424 because the call it depends on was held back.
    Deferred(Pending),
}

/// The next `$batch` from the front of `queue`: at most 20 calls of one version whose
/// `dependsOn` makes a shape Graph runs ([`wire::supported_shape`]: all parallel, one chain,
/// or a fan-out), so `join(chain(a, b), c)` goes as `[a, b]` then `[c]`, and, where the
/// tenant is paced, no more reads and writes than `room` says may go now (Graph throttles
/// each item). Calls held back on the way ([`hold_back`]) are not in it.
fn next_group(
    queue: &mut VecDeque<Pending>,
    room: Option<[u32; 2]>,
    waiting: &mut Vec<(Instant, Pending)>,
    failed_ids: &mut Vec<String>,
) -> Vec<Pending> {
    let mut group: Vec<Pending> = Vec::new();
    let mut dependencies: Vec<Vec<usize>> = Vec::new();
    let mut taken = [0u32; 2];
    while let Some(item) = queue.pop_front() {
        let lane = Lane::of(&item.method) as usize;
        let paced_full = room.is_some_and(|room| taken[lane] >= room[lane]);
        let full = group.len() == MAX_BATCH_SIZE || paced_full;
        if full
            || group
                .first()
                .is_some_and(|first| first.version != item.version)
        {
            queue.push_front(item);
            break;
        }
        let Some(item) = hold_back(item, waiting, failed_ids) else {
            continue;
        };
        // A dependency answered in an earlier group is not named: it succeeded already.
        let in_group = item
            .depends_on
            .as_ref()
            .and_then(|dependency| group.iter().position(|p| &p.id == dependency));
        dependencies.push(in_group.into_iter().collect());
        if !wire::supported_shape(&dependencies) {
            queue.push_front(item);
            break;
        }
        taken[lane] += 1;
        group.push(item);
    }
    group
}

/// A call to send now, or `None` when it is not: answered 424 at once when what it depends
/// on failed, or put on the schedule beside a dependency that waits for a retry.
fn hold_back(
    item: Pending,
    waiting: &mut Vec<(Instant, Pending)>,
    failed_ids: &mut Vec<String>,
) -> Option<Pending> {
    let Some(dependency) = item.depends_on.as_deref() else {
        return Some(item);
    };
    if failed_ids.iter().any(|id| id == dependency) {
        failed_ids.push(item.id.clone());
        let _ = item.reply.send(Ok(failed_dependency()));
        None
    } else if let Some(due) = due_of(waiting, dependency) {
        waiting.push((due, item));
        None
    } else {
        // Answered in an earlier group (and succeeded), or in this one: sent now.
        Some(item)
    }
}

/// When the waiting call with `id` is sent again.
fn due_of(waiting: &[(Instant, Pending)], id: &str) -> Option<Instant> {
    waiting
        .iter()
        .find(|(_, item)| item.id == id)
        .map(|(due, _)| *due)
}

/// Puts each held item on the schedule: a throttled one after its own wait, unless it has no
/// retries left, the wait is over the policy's cap, or it would end past the call's deadline
/// (then it fails alone, with its own 429 saying why); a deferred one with the call it depends
/// on, or answered 424 if that one gave up. Each retry is told to the caller's policies.
fn schedule(
    held: Vec<Held>,
    policies: &[Arc<dyn crate::RequestPolicy>],
    waiting: &mut Vec<(Instant, Pending)>,
    failed_ids: &mut Vec<String>,
) {
    let now = Instant::now();
    for item in held {
        match item {
            Held::Throttled(mut item, after, mut answer) => match item.retries.next(after) {
                Ok(wait) => {
                    let retry = crate::RetryEvent {
                        operation: item.operation,
                        status: Some(429),
                        delay: wait,
                        attempt: item.retries.made(),
                    };
                    crate::client::tell_retry(policies, &retry);
                    waiting.push((now + wait, item));
                }
                Err(why) => {
                    failed_ids.push(item.id.clone());
                    answer.gave_up = Some(why);
                    let _ = item.reply.send(answer.error_for_status());
                }
            },
            Held::Deferred(item) => {
                let dependency = item.depends_on.as_deref().unwrap_or_default();
                match due_of(waiting, dependency) {
                    Some(due) => waiting.push((due, item)),
                    None => {
                        failed_ids.push(item.id.clone());
                        let _ = item.reply.send(Ok(failed_dependency()));
                    }
                }
            }
        }
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
    RawResponse::new(status, headers, body)
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
    RawResponse::new(
        StatusCode::FAILED_DEPENDENCY,
        HeaderMap::new(),
        Bytes::from_static(
            br#"{"error":{"code":"FailedDependency","message":"A request this one depends on failed."}}"#,
        ),
    )
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
