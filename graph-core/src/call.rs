//! A prepared call of one endpoint: what every generated endpoint method returns.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use url::Url;

use crate::client::{GraphClient, Outgoing, may_duplicate};
use crate::error::{Error, Result};
use crate::meta::Endpoint;
use crate::path::{Piece, build_path};
use crate::query::Query;
use crate::raw_response::RawResponse;

/// Decodes a 2xx answer into the endpoint's return type.
type Decode<R> = fn(RawResponse, &GraphClient) -> Result<R>;

/// A call of one endpoint, ready to send: `.await` it. Before that, add OData query options
/// with [`Call::query`] or request headers with [`Call::header`]; a call needs neither.
///
/// `.query` merges: each option it sets replaces the same option set before (by an earlier
/// `.query` or a declared `Query` parameter), and the others stay. Options belong before the
/// first poll: one set on a call already polled (through `&mut call` with `poll!` or
/// `select!`) would not reach the request on its way, so the next poll stops the call with
/// [`Error::InvalidArgument`] (argument `call`) instead of sending without it.
///
/// ```no_run
/// # async fn run(client: graphwire_core::GraphClient) -> graphwire_core::Result<()> {
/// # use graphwire_core::{graph_endpoint, graph_entity, GraphApi, GraphClient, Query};
/// # #[graph_entity(odata_type = "#microsoft.graph.deviceCategory")]
/// # pub struct Category { pub id: Option<String>, pub display_name: Option<String> }
/// # pub struct Api(GraphClient);
/// # impl GraphApi for Api { fn graph_client(&self) -> &GraphClient { &self.0 } }
/// # impl Api {
/// #     #[graph_endpoint(GET, "/deviceManagement/deviceCategories/{deviceCategoryId}", permissions = ["P"])]
/// #     pub async fn get_category(&self, device_category_id: &str) -> graphwire_core::Result<Category>;
/// # }
/// # let api = Api(client);
/// let whole = api.get_category("c1").await?;
/// let names = api.get_category("c1").query(&Query::new().select(["displayName"])).await?;
/// # let _ = (whole, names); Ok(()) }
/// ```
///
/// Nothing is sent until the call is awaited (or polled, as `join_all` and
/// [`GraphClient::batch`] do); a path or body that cannot be built is the awaited error.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<R> {
    state: State<R>,
    /// The option (`query`, `header`, `headers`) set after the first poll, if any.
    late_option: Option<&'static str>,
}

enum State<R> {
    Prepared(Box<Prepared<R>>),
    Running(Pin<Box<dyn Future<Output = Result<R>> + Send>>),
    Finished,
}

struct Prepared<R> {
    client: GraphClient,
    endpoint: &'static Endpoint,
    /// The encoded path below the version root, or why it could not be built.
    path: Result<String>,
    /// The JSON body, or why it could not be encoded.
    body: Result<Option<Bytes>>,
    query: Option<Query>,
    headers: HeaderMap,
    decode: Decode<R>,
}

/// Prepares a call: builds the path and encodes the body now (they borrow the caller's
/// arguments); sends nothing.
pub fn call<B, R>(
    client: &GraphClient,
    endpoint: &'static Endpoint,
    path: &[Piece<'_>],
    body: Option<&B>,
    decode: Decode<R>,
) -> Call<R>
where
    B: Serialize + ?Sized,
{
    let body = body
        .map(serde_json::to_vec)
        .transpose()
        .map(|bytes| bytes.map(Bytes::from))
        .map_err(|e| Error::invalid("body", format!("could not be encoded as JSON: {e}")));
    Call {
        state: State::Prepared(Box::new(Prepared {
            client: client.clone(),
            endpoint,
            path: build_path(path),
            body,
            query: None,
            headers: HeaderMap::new(),
            decode,
        })),
        late_option: None,
    }
}

impl<R> Call<R> {
    /// Adds OData query options (`$select`, `$filter`, `$top`, `$expand`, …), merged with
    /// those set before: an option given again replaces the earlier value.
    pub fn query(mut self, query: &Query) -> Self {
        match &mut self.state {
            State::Prepared(prepared) => {
                prepared.query = Some(Query::merge_onto(prepared.query.take(), query));
            }
            _ => self.late_option = Some("query"),
        }
        self
    }

    /// Adds a request header, such as `ConsistencyLevel: eventual` or `Prefer` (replacing
    /// one of the same name set before).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        match &mut self.state {
            State::Prepared(prepared) => {
                prepared.headers.insert(name, value);
            }
            _ => self.late_option = Some("header"),
        }
        self
    }

    /// Adds request headers (each replacing one of the same name set before).
    pub fn headers(mut self, headers: &HeaderMap) -> Self {
        match &mut self.state {
            State::Prepared(prepared) => {
                for (name, value) in headers {
                    prepared.headers.insert(name.clone(), value.clone());
                }
            }
            _ => self.late_option = Some("headers"),
        }
        self
    }
}

impl<R> std::fmt::Debug for Call<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let operation = match &self.state {
            State::Prepared(prepared) => prepared.endpoint.operation,
            State::Running(_) => "(running)",
            State::Finished => "(finished)",
        };
        f.debug_struct("Call")
            .field("operation", &operation)
            .finish_non_exhaustive()
    }
}

impl<R: Send + 'static> Future for Call<R> {
    type Output = Result<R>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<R>> {
        if let Some(option) = self.late_option.take() {
            // Dropping the running future cancels what it was doing.
            self.state = State::Finished;
            return Poll::Ready(Err(Error::invalid(
                "call",
                format!(
                    "`.{option}(…)` was called after the call was first polled, too late to reach its request; set options before awaiting or polling the call"
                ),
            )));
        }
        // The first poll starts the call, inside whatever scope polls it (a `$batch`, a
        // retry-policy override).
        if matches!(self.state, State::Prepared(_))
            && let State::Prepared(prepared) = std::mem::replace(&mut self.state, State::Finished)
        {
            self.state = State::Running(Box::pin(send(*prepared)));
        }
        let State::Running(running) = &mut self.state else {
            return Poll::Ready(Err(Error::invalid(
                "call",
                "this call was already awaited to completion",
            )));
        };
        let output = running.as_mut().poll(cx);
        if output.is_ready() {
            self.state = State::Finished;
        }
        output
    }
}

/// Checks availability, builds the URL, sends (or joins the `$batch` in scope), decodes.
async fn send<R>(prepared: Prepared<R>) -> Result<R> {
    let Prepared {
        client,
        endpoint,
        path,
        body,
        query,
        headers,
        decode,
    } = prepared;
    let cloud = client.cloud().national_cloud();
    if !endpoint.clouds.contains(&cloud) {
        return Err(Error::NotAvailableInCloud {
            operation: endpoint.operation,
            cloud,
            available: endpoint
                .clouds
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let mut relative = path?;
    let body = body?;
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        relative.push('?');
        relative.push_str(&query.to_query_string());
    }
    let method = reqwest::Method::from(endpoint.method);
    let response = dispatch(
        &client,
        Route {
            operation: endpoint.operation,
            template: endpoint.template,
            version: endpoint.version,
        },
        method,
        relative,
        headers,
        body,
    )
    .await?
    .error_for_status()?;
    decode(response, &client)
}

/// What a request is, for traces and the `$batch` it may join.
pub(crate) struct Route {
    pub operation: &'static str,
    pub template: &'static str,
    pub version: crate::ApiVersion,
}

/// Sends a request for `relative` (the path below the version root, query included) through
/// the pipeline, or joins the `$batch` in scope: the part of a call after its path is built,
/// shared by generated endpoints and raw requests.
pub(crate) async fn dispatch(
    client: &GraphClient,
    route: Route,
    method: reqwest::Method,
    relative: String,
    headers: HeaderMap,
    body: Option<Bytes>,
) -> Result<RawResponse> {
    let text = format!(
        "{}{}{}",
        client.cloud().graph_root(),
        route.version.as_str(),
        relative
    );
    let url = Url::parse(&text)
        .map_err(|e| Error::invalid("path", format!("`{text}` is not a URL: {e}")))?;
    // Inside `GraphClient::batch`, the request joins the next `$batch` instead.
    let batched = crate::batch::capture(
        client,
        route.operation,
        &method,
        route.version,
        relative,
        &headers,
        body.clone(),
    )?;
    match batched {
        Some(answer) => answer.await.map_err(|_| Error::Batch {
            sent: true,
            reason: "the $batch scope ended before this call was answered".into(),
        })?,
        None => {
            client
                .execute(Outgoing {
                    with_token: true,
                    counted: crate::client::Counted::One,
                    operation: route.operation,
                    template: route.template,
                    may_duplicate: may_duplicate(&method),
                    method,
                    url,
                    headers,
                    body,
                })
                .await
        }
    }
}
