//! The one path every request takes: headers, token, send, redirects, 401 refresh, retries.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;
use url::Url;

use super::GraphClient;
use super::builder::host_key;
use super::redirect::{next_hop, same_origin, without_query};
use super::retry::parse_retry_after;
use crate::auth::TokenRequest;
use crate::error::{Error, Result, ServiceError};

/// One request as the typed layer hands it to the pipeline.
pub(crate) struct Outgoing {
    pub operation: &'static str,
    pub template: &'static str,
    pub method: Method,
    pub url: Url,
    /// Headers the endpoint's caller asked for (`ConsistencyLevel`, `Prefer`, …).
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
}

/// A response with its body read (what `FromResponse` decodes).
#[derive(Debug)]
#[doc(hidden)]
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Plain http only to loopback: tokens never cross a network in clear text.
pub(crate) fn check_scheme(url: &Url) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        _ => Err(Error::Refused {
            url: without_query(url),
            reason: "only https is allowed (plain http only to loopback addresses)".into(),
        }),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl GraphClient {
    /// True when a token may be sent to `url`'s host.
    pub(crate) fn host_allowed(&self, url: &Url) -> bool {
        let key = host_key(url);
        self.inner.allowed_hosts.contains(&key)
    }

    /// Sends one call through the pipeline and returns the final answer (any status).
    pub(crate) async fn execute(&self, outgoing: Outgoing) -> Result<RawResponse> {
        let span = tracing::info_span!(
            "graph.call",
            operation = outgoing.operation,
            method = %outgoing.method,
            path_template = outgoing.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.execute_in_span(outgoing).instrument(span).await
    }

    async fn execute_in_span(&self, outgoing: Outgoing) -> Result<RawResponse> {
        let inner = &self.inner;
        let _permit =
            match &inner.limiter {
                Some(limiter) => {
                    Some(limiter.clone().acquire_owned().await.map_err(|_| {
                        Error::invalid("client", "the concurrency limiter was closed")
                    })?)
                }
                None => None,
            };
        let client_request_id = uuid::Uuid::new_v4().to_string();
        let Outgoing {
            mut method,
            mut url,
            mut body,
            headers: extra_headers,
            ..
        } = outgoing;
        let origin = url.clone();
        let retry = super::retry::effective(&inner.retry);
        let (mut retries, mut redirects, mut refreshed) = (0u32, 0usize, false);
        loop {
            check_scheme(&url)?;
            if let Some(rate) = &inner.rate {
                rate.acquire().await;
            }
            let attempt = retries + 1;
            tracing::Span::current().record("attempt", attempt);
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            let headers = request.headers_mut();
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
            if let Ok(value) = HeaderValue::from_str(&client_request_id) {
                headers.insert("client-request-id", value);
            }
            if retries > 0 {
                headers.insert("Retry-Attempt", HeaderValue::from(retries));
            }
            match &body {
                Some(bytes) => {
                    headers.insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
                    *request.body_mut() = Some(bytes.clone().into());
                }
                None if matches!(method, Method::POST | Method::PUT | Method::PATCH) => {
                    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
                    *request.body_mut() = Some(Bytes::new().into());
                }
                None => {}
            }
            for (name, value) in &extra_headers {
                request.headers_mut().insert(name.clone(), value.clone());
            }
            for policy in &inner.policies {
                policy.on_request(&mut request);
            }
            // The token goes only to allowed hosts, and never across an origin change.
            let mut sent_token = None;
            if let Some(cache) = &inner.tokens {
                if self.host_allowed(&url) && same_origin(&url, &origin) {
                    let token = cache
                        .token(TokenRequest {
                            scopes: &inner.scopes,
                            authority: inner.cloud.authority(),
                            http: &inner.http,
                        })
                        .await?;
                    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                        .map_err(|_| {
                            Error::Auth(crate::AuthError::new(
                                "the token is not a valid header value",
                            ))
                        })?;
                    value.set_sensitive(true);
                    request.headers_mut().insert(header::AUTHORIZATION, value);
                    sent_token = Some(token);
                }
            }

            let response = match inner.http.execute(request).await {
                Ok(response) => response,
                Err(e) => {
                    let error = transport_error(&e, inner.timeout);
                    let may_retry = idempotent(&method) && retries < retry.max_retries();
                    if !may_retry {
                        return Err(error);
                    }
                    retries += 1;
                    let delay = retry.delay(retries, None);
                    tracing::warn!(error = %error, ?delay, "retrying after a transport error");
                    tokio::time::sleep(delay).await;
                    continue;
                }
            };
            let status = response.status();
            tracing::Span::current().record("status", status.as_u16());
            if let Some(id) = response
                .headers()
                .get("request-id")
                .and_then(|v| v.to_str().ok())
            {
                tracing::Span::current().record("request_id", id);
            }
            for policy in &inner.policies {
                policy.on_response(status.as_u16(), response.headers());
            }

            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok());
            if let Some(hop) = next_hop(status, location, &url, &method) {
                let hop = hop?;
                redirects += 1;
                if redirects > inner.max_redirects {
                    return Err(Error::Refused {
                        url: without_query(&hop.url),
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

            if status == StatusCode::UNAUTHORIZED && !refreshed {
                if let (Some(token), Some(cache)) = (&sent_token, &inner.tokens) {
                    refreshed = true;
                    cache.invalidate(token).await;
                    tracing::debug!("401: refreshing the token and retrying once");
                    continue;
                }
            }

            if retry.retries_status(status.as_u16()) && retries < retry.max_retries() {
                let retry_after = response
                    .headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                let delay = retry.delay(retries + 1, retry_after);
                if delay <= retry.max_delay() {
                    retries += 1;
                    tracing::info!(
                        status = status.as_u16(),
                        ?delay,
                        retry = retries,
                        "retrying"
                    );
                    drop(response);
                    tokio::time::sleep(delay).await;
                    continue;
                }
                tracing::warn!(?delay, "wait exceeds the retry cap; giving up");
            }

            let headers = response.headers().clone();
            let body = match read_limited(response, inner.max_response_bytes, inner.timeout).await {
                Ok(body) => body,
                // A body cut off in transit: as safe to repeat as a failed connection.
                Err(error @ Error::Transport { .. })
                    if idempotent(&method) && retries < retry.max_retries() =>
                {
                    retries += 1;
                    let delay = retry.delay(retries, None);
                    tracing::warn!(error = %error, ?delay, "retrying after a cut-off body");
                    tokio::time::sleep(delay).await;
                    continue;
                }
                Err(error) => return Err(error),
            };
            tracing::debug!(status = status.as_u16(), bytes = body.len(), "answered");
            return Ok(RawResponse {
                status,
                headers,
                body,
            });
        }
    }
}

fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

fn transport_error(error: &reqwest::Error, timeout: Duration) -> Error {
    if error.is_timeout() {
        return Error::Timeout { after: timeout };
    }
    let mut message = error.to_string();
    if let Some(url) = error.url() {
        message = message.replace(url.as_str(), &without_query(url));
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Error::Transport {
        sent: !error.is_connect(),
        message,
    }
}

/// Reads the body, stopping with an error past `limit` bytes.
async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Error::BodyTooLarge { limit });
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(Error::BodyTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(Bytes::from(body)),
            Err(e) => return Err(transport_error(&e, timeout)),
        }
    }
}

impl RawResponse {
    /// The answer as `Ok` for 2xx, or the Graph error it carries.
    pub(crate) fn error_for_status(self) -> Result<Self> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(Error::from(self.service_error()))
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Parses Graph's error body leniently (any case of `innerError`, HTML, empty).
    pub(crate) fn service_error(&self) -> ServiceError {
        let json: Option<serde_json::Value> = serde_json::from_slice(&self.body).ok();
        let error = json
            .as_ref()
            .and_then(|j| j.get("error"))
            .and_then(|e| e.as_object());
        let text = |key: &str| {
            error
                .and_then(|e| e.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let inner_error = error.and_then(|e| {
            e.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("innererror"))
                .map(|(_, v)| v.clone())
        });
        let inner_text = |keys: &[&str]| {
            inner_error.as_ref().and_then(|inner| {
                keys.iter()
                    .find_map(|k| inner.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
            })
        };
        let excerpt: String = String::from_utf8_lossy(&self.body)
            .chars()
            .take(512)
            .collect();
        ServiceError {
            status: self.status.as_u16(),
            code: text("code"),
            message: text("message"),
            request_id: self
                .header("request-id")
                .or_else(|| inner_text(&["request-id", "requestId"])),
            client_request_id: self
                .header("client-request-id")
                .or_else(|| inner_text(&["client-request-id", "clientRequestId"])),
            date: self.header("date").or_else(|| inner_text(&["date"])),
            retry_after: self
                .header("retry-after")
                .and_then(|v| parse_retry_after(&v, SystemTime::now())),
            inner_error,
            body_excerpt: excerpt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str, headers: &[(&'static str, &str)]) -> RawResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn throttled_vector_becomes_a_service_error() {
        let body = include_str!("../../../graph-testkit/vectors/error.throttled.response.json");
        let e = raw(429, body, &[("retry-after", "2.5")]).service_error();
        assert_eq!(e.status, 429);
        assert_eq!(e.code, "TooManyRequests");
        assert_eq!(
            e.message,
            "Too many requests from this application for this tenant."
        );
        assert_eq!(
            e.request_id.as_deref(),
            Some("6b2cbb2b-0c8b-4a8f-9a4b-7f0b3b0f2a11")
        );
        assert_eq!(e.date.as_deref(), Some("2026-11-28T13:00:00"));
        assert_eq!(e.retry_after, Some(Duration::from_millis(2500)));
        assert_eq!(
            e.to_string(),
            "Graph answered 429 TooManyRequests: Too many requests from this application for this tenant. (request-id 6b2cbb2b-0c8b-4a8f-9a4b-7f0b3b0f2a11)"
        );
    }

    #[test]
    fn html_and_empty_bodies() {
        let e = raw(502, "<html><body>Bad Gateway</body></html>", &[]).service_error();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("", ""));
        assert_eq!(
            e.to_string(),
            "Graph answered 502: body `<html><body>Bad Gateway</body></html>`"
        );
        let e = raw(500, "", &[("request-id", "r-1")]).service_error();
        assert_eq!(
            e.to_string(),
            "Graph answered 500 with an empty body (request-id r-1)"
        );
    }

    #[test]
    fn lowercase_innererror_and_header_ids_win() {
        let body = r#"{"error":{"code":"itemNotFound","message":"gone","innererror":{"requestId":"old","date":"2021-01-01T00:00:00"}}}"#;
        let e = raw(
            404,
            body,
            &[("request-id", "hdr"), ("client-request-id", "c-1")],
        )
        .service_error();
        assert_eq!(e.request_id.as_deref(), Some("hdr"));
        assert_eq!(e.client_request_id.as_deref(), Some("c-1"));
        assert_eq!(e.date.as_deref(), Some("2021-01-01T00:00:00"));
        assert!(e.inner_error.is_some());
    }

    #[test]
    fn http_only_to_loopback() {
        assert!(check_scheme(&Url::parse("http://127.0.0.1:8080/").unwrap()).is_ok());
        assert!(check_scheme(&Url::parse("http://localhost/").unwrap()).is_ok());
        assert!(check_scheme(&Url::parse("http://[::1]:9/").unwrap()).is_ok());
        let err = check_scheme(&Url::parse("http://graph.microsoft.com/v1.0/me?x=1").unwrap())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "refused to send to http://graph.microsoft.com/v1.0/me: only https is allowed (plain http only to loopback addresses)"
        );
    }
}
