//! The one path every request takes, in the order `ARCHITECTURE.md` lists: limits, headers,
//! caller policies, scheme and token checks, send, then one decision on the answer (follow a
//! redirect, refresh the token, retry after a wait, or done), then the body; all of it within
//! the call's deadline, each attempt in a span of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::GraphClient;
use super::content_encoding;
use super::pacing::Units;
use super::redirect::{Hop, next_hop};
use crate::auth::TokenRequest;
use crate::body::{ReadError, read_bounded};
use crate::error::{Error, Result, TimeoutLimit};
use crate::lock::lock;
use crate::raw_response::RawResponse;
use crate::retry::signals::{parse_retry_after, says_not_processed};
use crate::retry::{Classifier, Retries, RetryPolicy, WriteRetry};
use crate::secret::Secret;
use crate::url_policy::{check_scheme, display_url, host_key, same_origin};

/// One request as the typed layer hands it to the pipeline.
pub(crate) struct Outgoing {
    pub operation: &'static str,
    pub template: &'static str,
    pub method: Method,
    pub url: Url,
    /// Headers the endpoint's caller asked for (`ConsistencyLevel`, `Prefer`, …).
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
    /// Sending it twice may create something twice: a POST, or a `$batch` holding one.
    pub may_duplicate: bool,
    /// Sent with the client's token (to allowed hosts); false for a download link the
    /// service handed out, which carries its own signature.
    pub with_token: bool,
    /// How it counts against the service's throttling.
    pub counted: Counted,
}

/// How a request counts against the service's throttling, for the pacing and `rate_limit`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counted {
    /// One request of its method; the pipeline tells the pacing how it was answered.
    One,
    /// A `$batch` of these requests (Graph counts each); the batch tells the pacing how each
    /// item was answered.
    Batch(Units),
    /// Not Graph's (a download or upload link the service handed out): not paced.
    NotGraph,
}

impl Counted {
    /// Which answers are sent again: Graph's rules, or blob storage's behind a link.
    fn classifier(self) -> Classifier {
        match self {
            Self::One | Self::Batch(_) => Classifier::Graph,
            Self::NotGraph => Classifier::Storage,
        }
    }
}

/// True for the methods whose repetition may create something twice: POST (a create or an
/// action). GET, PUT, PATCH and DELETE set a state, which a second time leaves as it is.
pub(crate) fn may_duplicate(method: &Method) -> bool {
    *method == Method::POST
}

/// What to do after an answer's status and headers are in.
enum Decision {
    /// Send again to where the redirect leads.
    Redirect(Hop),
    /// 401 to a request that carried a token: drop that token, get a new one, send again.
    RefreshToken(Secret),
    /// A retryable status: wait (the server's `Retry-After`, if it gave one) and send again.
    Retry {
        retry_after: Option<Duration>,
        /// The answer says the request was not processed (429, or 503 with `Retry-After`).
        not_processed: bool,
    },
    /// A redirect that must not be followed (https to http, a Location that is no URL).
    Refuse(Error),
    /// Read the body and hand the answer back.
    Done,
}

impl GraphClient {
    /// True when a token may be sent to `url`'s host.
    pub(crate) fn host_allowed(&self, url: &Url) -> bool {
        self.inner.allowed_hosts.contains(&host_key(url))
    }

    /// A link the service gave (`what`: `@odata.nextLink`), parsed and checked: absolute, and
    /// on a host allowed to receive the token.
    pub(crate) fn followable(&self, link: &str, what: &str) -> Result<Url> {
        let url = Url::parse(link).map_err(|e| crate::Error::Refused {
            url: link.chars().take(200).collect(),
            reason: format!("{what} is not an absolute URL: {e}"),
        })?;
        if !self.host_allowed(&url) {
            return Err(crate::Error::Refused {
                url: crate::url_policy::display_url(&url),
                reason: format!("{what} points to a host that is not allowed to receive the token"),
            });
        }
        Ok(url)
    }

    /// GETs an absolute URL (a `@odata.nextLink`) through the full pipeline.
    pub(crate) async fn get_absolute(&self, url: Url) -> Result<RawResponse> {
        self.execute(Outgoing {
            operation: "nextLink",
            template: "@odata.nextLink",
            method: Method::GET,
            url,
            headers: HeaderMap::new(),
            body: None,
            may_duplicate: false,
            with_token: true,
            counted: Counted::One,
        })
        .await
    }

    /// GETs a download link the service handed out (a report export's `url`: Azure Blob
    /// storage with its own signature) without the Graph token, whatever its host: https, or
    /// plain http only to loopback; within the answer-size limit, the retry policy and the
    /// deadline. A non-2xx answer is the typed error.
    pub async fn download(&self, url: &str) -> Result<RawResponse> {
        let parsed = Url::parse(url).map_err(|e| {
            Error::invalid(
                "url",
                format!(
                    "`{}` is not a URL: {e}",
                    url.chars().take(200).collect::<String>()
                ),
            )
        })?;
        // `execute` checks the scheme before each attempt (https, or http to loopback).
        self.execute(Outgoing {
            operation: "download",
            template: "(download link)",
            method: Method::GET,
            url: parsed,
            headers: HeaderMap::new(),
            body: None,
            may_duplicate: false,
            with_token: false,
            counted: Counted::NotGraph,
        })
        .await?
        .error_for_status()
    }

    /// PUTs `body` to a link the service handed out for an upload (an app content file's Azure
    /// Blob Storage SAS URL) without the Graph token, whatever its host: https, or plain http
    /// only to loopback; retried as any PUT is (a PUT sets a state, so sending it again is
    /// safe), within the deadline. Returns the answer whatever its status: the storage's own
    /// errors (403 once the signature expires) are the caller's to read.
    pub async fn put_to_link(
        &self,
        url: &str,
        headers: HeaderMap,
        body: impl Into<Bytes>,
    ) -> Result<RawResponse> {
        let body = body.into();
        let parsed = Url::parse(url)
            .map_err(|e| Error::invalid("url", format!("the upload link is not a URL: {e}")))?;
        self.execute(Outgoing {
            operation: "upload",
            template: "(upload link)",
            method: Method::PUT,
            url: parsed,
            headers,
            body: Some(body),
            may_duplicate: false,
            with_token: false,
            counted: Counted::NotGraph,
        })
        .await
    }

    /// Sends one call through the pipeline and returns the final answer (any status), within
    /// the retry policy's deadline.
    pub(crate) async fn execute(&self, outgoing: Outgoing) -> Result<RawResponse> {
        // Fields recorded once, when the call ends; each attempt has a `graph.attempt` span.
        let span = tracing::info_span!(
            "graph.call",
            operation = outgoing.operation,
            method = %outgoing.method,
            path_template = outgoing.template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let policy = crate::retry::effective(&self.inner.retry);
        // One instant for both uses: the timer that cuts the call off, and the check that no
        // retry wait begins past it.
        let deadline = policy.deadline().zip(policy.deadline_from(Instant::now()));
        let attempts = AtomicU32::new(0);
        let queued = TurnTime::default();
        let run = self.attempts(
            outgoing,
            policy,
            deadline.map(|(_, at)| at),
            &attempts,
            &queued,
        );
        let result = match deadline {
            Some((after, at)) => match within_deadline(at, &queued, run)
                .instrument(span.clone())
                .await
            {
                Some(result) => result,
                None => Err(Error::Timeout {
                    after,
                    limit: TimeoutLimit::Call,
                    attempts: attempts.load(Ordering::Relaxed),
                }),
            },
            None => run.instrument(span.clone()).await,
        };
        span.record("attempts", attempts.load(Ordering::Relaxed));
        if let Ok(answer) = &result {
            span.record("status", answer.status.as_u16());
        }
        result
    }

    /// The attempts of one call, counted in `attempts` (read when the deadline cuts them off);
    /// the time spent waiting its turn in the pacing is added to `queued`, which the
    /// deadline does not count.
    async fn attempts(
        &self,
        outgoing: Outgoing,
        policy: RetryPolicy,
        deadline: Option<Instant>,
        attempts: &AtomicU32,
        queued: &TurnTime,
    ) -> Result<RawResponse> {
        let inner = &self.inner;
        let client_request_id = new_client_request_id();
        let Outgoing {
            mut method,
            mut url,
            mut body,
            headers: extra_headers,
            may_duplicate,
            operation,
            with_token,
            counted,
            ..
        } = outgoing;
        let units = match counted {
            Counted::One => Some(Units::one(&method)),
            Counted::Batch(units) => Some(units),
            Counted::NotGraph => None,
        };
        let pacer = inner.pacing.as_ref().zip(units);
        let on_retry = |status: Option<u16>, delay: Duration, attempt: u32| {
            let retry = super::policy::RetryEvent {
                operation,
                status,
                delay,
                attempt,
            };
            super::tell_retry(&inner.policies, &retry);
        };
        let origin = url.clone();
        let mut retries = Retries::new(policy, deadline);
        let (mut redirects, mut refreshed) = (0usize, false);
        loop {
            check_scheme(&url)?;
            // Its turn in the tenant's pace: a wait that is not a retry, and that the deadline
            // does not count. Held while this attempt is out (slow start counts what is out),
            // not across a retry's wait.
            let turn = match pacer {
                Some((pacer, units)) => {
                    queued.begin();
                    let turn = pacer.wait_turn(units).await;
                    queued.end(turn.waited);
                    retries.deadline = retries.deadline.map(|at| at + turn.waited);
                    Some(turn)
                }
                None => None,
            };
            if let Some(rate) = &inner.rate {
                rate.acquire(units.map_or(1, Units::total)).await;
            }
            // Held for this attempt only: a call waiting out a `Retry-After` holds no place.
            let _permit = match &inner.limiter {
                Some(limiter) => {
                    Some(Arc::clone(limiter).acquire_owned().await.map_err(|_| {
                        Error::invalid("client", "the concurrency limiter was closed")
                    })?)
                }
                None => None,
            };
            let attempt = attempts.fetch_add(1, Ordering::Relaxed) + 1;
            let span = tracing::info_span!(
                "graph.attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            set_headers(
                request.headers_mut(),
                &client_request_id,
                retries.made(),
                &extra_headers,
            );
            set_body(&mut request, &method, body.as_ref());
            for policy in &inner.policies {
                policy.on_request(&mut request);
            }
            let sent_token = if with_token {
                self.authorize(&mut request, &origin)
                    .instrument(span.clone())
                    .await?
            } else {
                None
            };

            let sent_at = Instant::now();
            let response = match inner.http.execute(request).instrument(span.clone()).await {
                Ok(response) => response,
                Err(e) if e.is_builder() => return Err(refused_locally(e, &url)),
                Err(e) => {
                    let error = transport_error(e, inner.timeout, attempt);
                    // A failed connection is safe to repeat only where the method is.
                    match retries.next(None).ok().filter(|_| idempotent(&method)) {
                        Some(delay) => {
                            span.in_scope(|| {
                                tracing::warn!(error = %error, ?delay, "retrying after a transport error");
                            });
                            on_retry(None, delay, attempt);
                            drop(turn);
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        None => return Err(error),
                    }
                }
            };
            let status = response.status();
            record_answer(&span, &response);
            for policy in &inner.policies {
                policy.on_response(status.as_u16(), response.headers());
            }

            let decision = self.decide(
                &response,
                &url,
                &method,
                sent_token,
                refreshed,
                counted.classifier(),
            );
            let mut gave_up = None;
            if let Some((pacer, units)) = pacer {
                match &decision {
                    Decision::Retry {
                        retry_after,
                        not_processed: true,
                    } => pacer.throttled(units.main_lane(), *retry_after, sent_at),
                    _ if matches!(counted, Counted::One) => {
                        pacer.answered(units, sent_at);
                    }
                    _ => {}
                }
            }
            match decision {
                Decision::Redirect(hop) => {
                    redirects += 1;
                    if redirects > inner.max_redirects {
                        return Err(Error::Refused {
                            url: display_url(&hop.url),
                            reason: format!("more than {} redirects", inner.max_redirects),
                        });
                    }
                    url = hop.url;
                    method = hop.method;
                    if !hop.keep_body {
                        body = None;
                    }
                    continue;
                }
                Decision::RefreshToken(token) => {
                    refreshed = true;
                    if let Some(cache) = &inner.tokens {
                        cache.invalidate(&token).await;
                    }
                    span.in_scope(|| {
                        tracing::debug!("401: refreshing the token and retrying once")
                    });
                    continue;
                }
                Decision::Retry {
                    retry_after,
                    not_processed,
                } => {
                    if may_duplicate
                        && !not_processed
                        && retries.policy().write_retry() == WriteRetry::OnlyIfNotProcessed
                    {
                        span.in_scope(|| {
                            tracing::warn!("not retried: the write may have been applied");
                        });
                        let answer = self
                            .read_answer(response, attempt)
                            .instrument(span.clone())
                            .await?;
                        return Err(Error::WriteMaybeApplied(Box::new(answer.service_error())));
                    }
                    match retries.next(retry_after) {
                        Ok(delay) => {
                            span.in_scope(|| tracing::info!(?delay, "retrying"));
                            on_retry(Some(status.as_u16()), delay, attempt);
                            drop(response);
                            drop(turn);
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        Err(why) => gave_up = Some(why),
                    }
                }
                Decision::Refuse(error) => return Err(error),
                Decision::Done => {}
            }

            match self
                .read_answer(response, attempt)
                .instrument(span.clone())
                .await
            {
                Ok(mut answer) => {
                    span.in_scope(|| tracing::debug!(bytes = answer.body.len(), "answered"));
                    answer.gave_up = gave_up;
                    return Ok(answer);
                }
                // A body cut off in transit (or inflating to garbage): as safe to repeat as a
                // failed connection.
                Err(error @ Error::Transport { .. }) if idempotent(&method) => {
                    match retries.next(None).ok() {
                        Some(delay) => {
                            span.in_scope(|| {
                                tracing::warn!(error = %error, ?delay, "retrying after a cut-off body");
                            });
                            on_retry(None, delay, attempt);
                            drop(turn);
                            tokio::time::sleep(delay).await;
                        }
                        None => return Err(error),
                    }
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Reads the answer's body within the response limit (through the one bounded reader),
    /// then inflates a gzip body within the same limit.
    async fn read_answer(&self, response: reqwest::Response, attempt: u32) -> Result<RawResponse> {
        let status = response.status();
        let mut headers = response.headers().clone();
        let limit = self.inner.max_response_bytes;
        let body = read_bounded(response, limit)
            .await
            .map_err(|error| match error {
                ReadError::TooLarge => Error::BodyTooLarge { limit },
                ReadError::Transport(e) => transport_error(e, self.inner.timeout, attempt),
            })?;
        let body = content_encoding::decode(&mut headers, body, limit)?;
        Ok(RawResponse {
            status,
            headers,
            body,
            gave_up: None,
        })
    }

    /// Adds the token, only for an allowed host and never across an origin change; returns
    /// the token sent, if any.
    async fn authorize(
        &self,
        request: &mut reqwest::Request,
        origin: &Url,
    ) -> Result<Option<Secret>> {
        let inner = &self.inner;
        let Some(cache) = &inner.tokens else {
            return Ok(None);
        };
        if !self.host_allowed(request.url()) || !same_origin(request.url(), origin) {
            return Ok(None);
        }
        let token = cache
            .token(TokenRequest {
                scopes: &inner.scopes,
                authority: inner.cloud.authority(),
                http: &inner.http,
            })
            .await?;
        if token.expose().is_empty() {
            // A bare `Bearer` would only earn a 401 and a pointless refresh.
            return Err(Error::Auth(crate::AuthError::new(
                "the credential gave an empty access token",
            )));
        }
        let mut value =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                Error::Auth(crate::AuthError::new(
                    "the token is not a valid header value",
                ))
            })?;
        value.set_sensitive(true);
        request.headers_mut().insert(header::AUTHORIZATION, value);
        Ok(Some(token))
    }

    /// The one decision on an answer: redirect, refresh the token, retry, or done.
    fn decide(
        &self,
        response: &reqwest::Response,
        url: &Url,
        method: &Method,
        sent_token: Option<Secret>,
        refreshed: bool,
        classifier: Classifier,
    ) -> Decision {
        let status = response.status();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        match next_hop(status, header(header::LOCATION), url, method) {
            Some(Ok(hop)) => return Decision::Redirect(hop),
            Some(Err(error)) => return Decision::Refuse(error),
            None => {}
        }
        if status == StatusCode::UNAUTHORIZED
            && !refreshed
            && let Some(token) = sent_token
        {
            return Decision::RefreshToken(token);
        }
        if classifier.retries(status.as_u16()) {
            let retry_after =
                header(header::RETRY_AFTER).and_then(|v| parse_retry_after(v, SystemTime::now()));
            return Decision::Retry {
                retry_after,
                not_processed: says_not_processed(status.as_u16(), retry_after),
            };
        }
        Decision::Done
    }
}

/// The headers every attempt carries.
fn set_headers(headers: &mut HeaderMap, client_request_id: &str, retries: u32, extra: &HeaderMap) {
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(header::ACCEPT_ENCODING, content_encoding::ACCEPTED);
    if let Ok(value) = HeaderValue::from_str(client_request_id) {
        headers.insert("client-request-id", value);
    }
    if retries > 0 {
        headers.insert("Retry-Attempt", HeaderValue::from(retries));
    }
    for (name, value) in extra {
        headers.insert(name.clone(), value.clone());
    }
}

/// The JSON body, or an explicit empty one where the method expects a body.
fn set_body(request: &mut reqwest::Request, method: &Method, body: Option<&Bytes>) {
    match body {
        Some(bytes) => {
            let headers = request.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            *request.body_mut() = Some(bytes.clone().into());
        }
        None if matches!(*method, Method::POST | Method::PUT | Method::PATCH) => {
            request
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
            *request.body_mut() = Some(Bytes::new().into());
        }
        None => {}
    }
}

/// Puts the answer's status and request id on its attempt's span.
fn record_answer(span: &tracing::Span, response: &reqwest::Response) {
    span.record("status", response.status().as_u16());
    if let Some(id) = response
        .headers()
        .get("request-id")
        .and_then(|v| v.to_str().ok())
    {
        span.record("request_id", id);
    }
}

fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// The transport failure as an error whose source chain is reqwest's (without the URL, whose
/// query may carry ids); reqwest's timeout is the per-attempt one.
fn transport_error(error: reqwest::Error, timeout: Duration, attempt: u32) -> Error {
    if error.is_timeout() {
        return Error::Timeout {
            after: timeout,
            limit: TimeoutLimit::Attempt,
            attempts: attempt,
        };
    }
    Error::Transport {
        sent: !error.is_connect(),
        source: Arc::new(error.without_url()),
    }
}

/// The HTTP stack would not build the request (a URL longer than its URI type holds, as a
/// hostile `@odata.nextLink` can be): refused here, so nothing was sent and nothing is to be
/// retried.
fn refused_locally(error: reqwest::Error, url: &url::Url) -> Error {
    let error = error.without_url();
    /// The longest URI the HTTP stack (the `http` crate) takes.
    const MAX_URI_BYTES: usize = u16::MAX as usize - 1;
    let shown = crate::url_policy::display_url(url);
    let length = url.as_str().len();
    let reason = if length > MAX_URI_BYTES {
        format!(
            "the URL is {length} bytes, more than the {MAX_URI_BYTES} an HTTP request line can carry here; nothing was sent"
        )
    } else {
        let mut chain = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        format!("the request could not be built ({chain}); nothing was sent")
    };
    Error::Refused {
        url: crate::redact::quote(&shown, 200),
        reason,
    }
}

/// The time a call has spent waiting its turns in the pacing, the wait under way included:
/// its deadline does not count it.
#[derive(Debug, Default)]
struct TurnTime {
    /// Turns waited out, in nanoseconds.
    done: AtomicU64,
    /// When the turn being waited for began to be waited for.
    waiting_since: std::sync::Mutex<Option<Instant>>,
}

impl TurnTime {
    fn begin(&self) {
        *lock(&self.waiting_since) = Some(Instant::now());
    }

    fn end(&self, waited: Duration) {
        *lock(&self.waiting_since) = None;
        let nanos = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        self.done.fetch_add(nanos, Ordering::Relaxed);
    }

    fn total(&self) -> Duration {
        let ongoing = lock(&self.waiting_since).map_or(Duration::ZERO, |since| since.elapsed());
        Duration::from_nanos(self.done.load(Ordering::Relaxed)) + ongoing
    }
}

/// Runs `work` until `at`, moved later by the time `turns` says it waited its turns: `None`
/// when that moved deadline passed first.
async fn within_deadline<F: std::future::Future>(
    at: Instant,
    turns: &TurnTime,
    work: F,
) -> Option<F::Output> {
    let mut work = std::pin::pin!(work);
    let mut timer = std::pin::pin!(tokio::time::sleep_until(at));
    loop {
        tokio::select! {
            biased;
            output = &mut work => return Some(output),
            () = &mut timer => {
                let moved = at + turns.total();
                if Instant::now() >= moved {
                    return None;
                }
                timer.as_mut().reset(moved);
            }
        }
    }
}

/// A fresh version-4 UUID for `client-request-id`. The id only has to be unique, not
/// unguessable, so its 122 random bits come from the generator the retry jitter uses rather
/// than from the operating system: every build is spared `getrandom`.
fn new_client_request_id() -> String {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes())
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{Instant, new_client_request_id};
    use std::collections::HashSet;
    use std::time::Duration;

    /// `seconds` of waiting a turn, recorded as the pipeline records it.
    async fn wait_a_turn(turns: &super::TurnTime, seconds: u64) {
        turns.begin();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        turns.end(Duration::from_secs(seconds));
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_moves_by_the_time_spent_waiting_a_turn() {
        let seconds = Duration::from_secs;
        // 20 s waiting its turn (past the deadline while it waits), then 8 s of its own:
        // within a 10 s deadline moved by 20 s.
        let turns = super::TurnTime::default();
        let at = Instant::now() + seconds(10);
        let work = async {
            wait_a_turn(&turns, 20).await;
            tokio::time::sleep(seconds(8)).await;
            "done"
        };
        assert_eq!(super::within_deadline(at, &turns, work).await, Some("done"));
        // 11 s of its own work is past it, turn or not.
        let turns = super::TurnTime::default();
        let at = Instant::now() + seconds(10);
        let work = async {
            wait_a_turn(&turns, 5).await;
            tokio::time::sleep(seconds(11)).await;
        };
        let start = Instant::now();
        assert_eq!(super::within_deadline(at, &turns, work).await, None);
        assert_eq!(start.elapsed(), seconds(15), "10 s, moved by the 5 s turn");
    }

    #[test]
    fn client_request_ids_are_distinct_version_4_uuids() {
        let ids: Vec<String> = (0..10_000).map(|_| new_client_request_id()).collect();
        for id in &ids {
            let parsed = uuid::Uuid::parse_str(id).unwrap_or_default();
            assert_eq!(parsed.get_version_num(), 4, "{id}");
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122, "{id}");
            assert_eq!(id.len(), 36, "{id}");
        }
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    }
}
