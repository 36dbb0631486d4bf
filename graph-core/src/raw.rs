//! Requests to any Graph path, for what no endpoint declares: the escape hatch, under every
//! rule of the pipeline.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use crate::call::{Route, dispatch};
use crate::client::GraphClient;
use crate::error::{Error, Result};
use crate::meta::{ApiVersion, HttpMethod};
use crate::query::Query;
use crate::raw_response::RawResponse;

/// A request to a path no endpoint declares, made with [`GraphClient::raw`]. It goes the way
/// every call goes: the client's cloud and token, the allowed hosts, retries (a POST only
/// where Graph said it did not process it), redirects, limits, the deadline, the answer-size
/// cap, traces, and the `$batch` in scope.
///
/// ```no_run
/// # async fn run(client: graphwire_core::GraphClient) -> graphwire_core::Result<()> {
/// use graphwire_core::{JsonValue, Query, meta::HttpMethod};
/// let report: JsonValue = client
///     .raw(HttpMethod::Get, "/deviceManagement/managedDevices")
///     .query(&Query::new().select(["id", "deviceName"]).top(5))
///     .json()
///     .await?;
/// client
///     .raw(HttpMethod::Post, "/deviceManagement/managedDevices/7/syncDevice")
///     .send()
///     .await?;
/// # let _ = report; Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a raw request sends nothing until `.send()` or `.json()` is awaited"]
pub struct RawRequest {
    client: GraphClient,
    method: HttpMethod,
    version: ApiVersion,
    path: String,
    query: Option<Query>,
    headers: HeaderMap,
    body: Result<Option<Bytes>>,
}

impl GraphClient {
    /// A request to `path` below the version root (`/deviceManagement/managedDevices`), sent
    /// as written: encode its ids yourself. `v1.0` unless [`RawRequest::version`] says
    /// otherwise. A path that is not one (no leading `/`, a scheme, a host, `?` or `#`), or
    /// that would leave the version root (a `.` or `..` segment, even percent-encoded, or a
    /// `\`, which URL parsing resolves) is [`Error::InvalidArgument`] when sent: query options
    /// go through [`RawRequest::query`].
    pub fn raw(&self, method: HttpMethod, path: &str) -> RawRequest {
        RawRequest {
            client: self.clone(),
            method,
            version: ApiVersion::V1,
            path: path.to_owned(),
            query: None,
            headers: HeaderMap::new(),
            body: Ok(None),
        }
    }
}

impl RawRequest {
    /// The API version (`v1.0` by default).
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// OData query options, merged with those set before.
    pub fn query(mut self, query: &Query) -> Self {
        self.query = Some(Query::merge_onto(self.query.take(), query));
        self
    }

    /// A request header (replacing one of the same name set before).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// The JSON body: any `Serialize` value (a `serde_json::Value`, an entity, your own
    /// struct). A value that cannot be encoded is the error the request ends with.
    pub fn body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = serde_json::to_vec(body)
            .map(|bytes| Some(Bytes::from(bytes)))
            .map_err(|e| Error::invalid("body", format!("could not be encoded as JSON: {e}")));
        self
    }

    /// Sends it: the answer as received for a 2xx status, the typed Graph error otherwise.
    pub async fn send(self) -> Result<RawResponse> {
        let relative = self.relative()?;
        let body = self.body?;
        dispatch(
            &self.client,
            Route {
                operation: "raw",
                template: "(raw request)",
                version: self.version,
            },
            reqwest::Method::from(self.method),
            relative,
            self.headers,
            body,
        )
        .await?
        .error_for_status()
    }

    /// Sends it and decodes the answer as JSON (`Null` for 204 No Content or an empty body).
    pub async fn json(self) -> Result<serde_json::Value> {
        let response = self.send().await?;
        if response.has_no_body() {
            return Ok(serde_json::Value::Null);
        }
        Ok(crate::entity::decode::from_slice(response.body())?)
    }

    fn relative(&self) -> Result<String> {
        let path = &self.path;
        let wrong = if !path.starts_with('/') || path.starts_with("//") {
            Some("must start with one `/`: a path below the version root, not a URL")
        } else if path.contains("://") {
            Some("must not hold a URL")
        } else if path.contains(['?', '#']) {
            Some("must not hold `?` or `#`: give query options with `.query(…)`")
        } else if path.chars().any(|c| c.is_control() || c == ' ') {
            Some("must not hold spaces or control characters: percent-encode them")
        } else if path.contains('\\') {
            Some("must not hold `\\`: URL parsing reads it as `/`")
        } else if path.split('/').any(is_dot_segment) {
            Some(
                "must not hold a `.` or `..` segment (even percent-encoded): URL parsing resolves it and the request would leave the version root",
            )
        } else {
            None
        };
        if let Some(reason) = wrong {
            return Err(Error::invalid(
                "path",
                format!("`{}` {reason}", path.chars().take(200).collect::<String>()),
            ));
        }
        let mut relative = path.clone();
        if let Some(query) = self.query.as_ref().filter(|q| !q.is_empty()) {
            relative.push('?');
            relative.push_str(&query.to_query_string());
        }
        Ok(relative)
    }
}

/// `.` or `..`, also as `%2e`/`%2E`: what URL parsing resolves away, taking the request to
/// another path than the one written.
fn is_dot_segment(segment: &str) -> bool {
    let unescaped = segment.to_ascii_lowercase().replace("%2e", ".");
    unescaped == "." || unescaped == ".."
}
