//! HTTP serving on 127.0.0.1: one hyper connection task per client (so a fault can drop a
//! connection before any response), the identity endpoints, the Graph entry with fault
//! injection and journaling, and the headers every answer carries.

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Body as AxumBody;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use bytes::Bytes;
use tokio::sync::{Notify, oneshot};

use crate::config::{ClientLimits, Fault};
use crate::identity::TokenAnswer;
use crate::message::{Body, EmuRequest, EmuResponse, error, stamp_request_ids};
use crate::state::State;
use crate::{faults, gateway, staged};

/// The identity platform's endpoints, `/{tenant}/oauth2/v2.0/{token|devicecode}`, on their
/// form bodies.
/// Where clients in any language read what the emulator received (not itself journaled).
pub const JOURNAL_PATH: &str = "/_emulator/journal";

/// `GET /_emulator/journal`: the requests kept, oldest first, as JSON
/// (`[{"seq", "method", "path", "query", "status", "headers", "body", "bodyBytes"}]`; tokens
/// redacted); `?last=N` for the newest N, `?since=SEQ` for those after a sequence number.
/// `DELETE` clears it.
async fn journal(AxumState(state): AxumState<Arc<State>>, method: Method, uri: Uri) -> Response {
    if method == Method::DELETE {
        state.journal.clear();
        return respond(&HeaderMap::new(), EmuResponse::empty(204));
    }
    let query = crate::odata_query::Query::parse(uri.query());
    let entries = match (query.whole_number("last"), query.whole_number("since")) {
        (Ok(Some(n)), Ok(None)) => state.journal.last(n),
        (Ok(None), Ok(Some(seq))) => state.journal.since(seq as u64),
        (Ok(None), Ok(None)) => state.journal.entries(),
        (Err(message), _) | (_, Err(message)) => {
            return respond(&HeaderMap::new(), error(400, "BadRequest", &message));
        }
        (Ok(Some(_)), Ok(Some(_))) => {
            return respond(
                &HeaderMap::new(),
                error(400, "BadRequest", "Use either `last` or `since`, not both."),
            );
        }
    };
    let entries: Vec<serde_json::Value> = entries
        .into_iter()
        .map(|entry| {
            serde_json::json!({
                "seq": entry.seq,
                "method": entry.method,
                "path": entry.path,
                "query": entry.query,
                "status": entry.status,
                "headers": entry.headers.into_iter().map(|(name, value)| (name, value.into())).collect::<serde_json::Map<_, _>>(),
                "body": entry.body,
                "bodyBytes": entry.body_bytes,
            })
        })
        .collect();
    respond(&HeaderMap::new(), EmuResponse::json(200, entries.into()))
}

async fn identity(
    AxumState(state): AxumState<Arc<State>>,
    Path((tenant, endpoint)): Path<(String, String)>,
    headers: HeaderMap,
    body: AxumBody,
) -> Response {
    let body = match read_body(&state.config.client_limits, body).await {
        Ok(body) => body,
        Err(answer) => return respond(&headers, answer),
    };
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let identity = state.identity(&tenant);
    let answer = match endpoint.as_str() {
        "token" => identity.token(&tenant, &form),
        "devicecode" => identity.device_code(&tenant, &form),
        _ => {
            return respond(
                &headers,
                error(404, "NotFound", "No such identity endpoint."),
            );
        }
    };
    identity_answer(
        &state,
        &format!("/{tenant}/oauth2/v2.0/{endpoint}"),
        &headers,
        answer,
    )
}

/// Journals an identity request (its form holds secrets, so not its body) and answers it.
fn identity_answer(
    state: &State,
    path: &str,
    headers: &HeaderMap,
    answer: TokenAnswer,
) -> Response {
    state.journal.record(
        "POST",
        path,
        None,
        headers,
        b"<form redacted>",
        answer.status,
    );
    respond(
        headers,
        EmuResponse {
            status: answer.status,
            headers: Vec::new(),
            body: Body::Json(answer.body),
        },
    )
}

async fn imds(AxumState(state): AxumState<Arc<State>>, headers: HeaderMap, uri: Uri) -> Response {
    host_identity(
        &state,
        crate::host_identity::HostEndpoint::Imds,
        &headers,
        &uri,
    )
}

async fn app_service(
    AxumState(state): AxumState<Arc<State>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    host_identity(
        &state,
        crate::host_identity::HostEndpoint::AppService,
        &headers,
        &uri,
    )
}

/// A managed identity token request: journaled without the identity header, answered as the
/// host does.
fn host_identity(
    state: &State,
    endpoint: crate::host_identity::HostEndpoint,
    headers: &HeaderMap,
    uri: &Uri,
) -> Response {
    let answer = crate::host_identity::answer(state, endpoint, headers, uri);
    let mut journaled = headers.clone();
    journaled.remove("x-identity-header");
    state.journal.record(
        "GET",
        endpoint.path(),
        uri.query().map(str::to_owned),
        &journaled,
        b"",
        answer.status,
    );
    respond(
        headers,
        EmuResponse {
            status: answer.status,
            headers: Vec::new(),
            body: Body::Json(answer.body),
        },
    )
}

/// Lets a handler close its own connection without answering.
#[derive(Clone)]
struct Hangup(Arc<Notify>);

/// Serves each connection with hyper directly (rather than `axum::serve`) so that a handler
/// can drop its connection before any response, as a failing network does.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<State>,
    mut stopped: oneshot::Receiver<()>,
    tls: Option<Acceptor>,
) {
    let limits = state.config.client_limits.clone();
    let connections = Arc::clone(&state.connections);
    let app = axum::Router::new()
        .route("/{tenant}/oauth2/v2.0/{endpoint}", post(identity))
        .route(crate::host_identity::HostEndpoint::Imds.path(), get(imds))
        .route(
            crate::host_identity::HostEndpoint::AppService.path(),
            get(app_service),
        )
        .route(JOURNAL_PATH, get(journal).delete(journal))
        .route(crate::staged::BLOB_PATH, axum::routing::any(blob))
        .fallback(graph)
        // Bodies are read by `read_body`, with the emulator's own limit and Graph's 413.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(state);
    loop {
        let accepted = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else {
            continue;
        };
        // At the cap the idlest connection makes room; when all are busy, this one is closed.
        let Some(admitted) = connections.admit(limits.max_connections) else {
            continue;
        };
        let hangup = Arc::new(Notify::new());
        let signal = hangup.clone();
        let app = app.clone();
        let busy_on = Arc::clone(&connections);
        let id = admitted.id;
        let service = hyper::service::service_fn(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(Hangup(signal.clone()));
                let busy = busy_on.busy(id);
                let call = tower_service::Service::call(&mut app.clone(), request);
                async move {
                    let answer = call.await;
                    drop(busy);
                    answer
                }
            },
        );
        let closed_on = Arc::clone(&connections);
        let limits = limits.clone();
        // Without the `tls` feature the acceptor is uninhabited, and so `Copy`.
        #[cfg_attr(not(feature = "tls"), allow(clippy::clone_on_copy))]
        let tls = tls.clone();
        tokio::spawn(async move {
            let served = async {
                match tls {
                    None => serve_connection(stream, service, &limits).await,
                    #[cfg(feature = "tls")]
                    Some(acceptor) => {
                        // A client that never finishes its handshake is cut off like one that
                        // never finishes its headers.
                        let handshake = limits.header_timeout.unwrap_or(limits.body_timeout);
                        if let Ok(Ok(stream)) =
                            tokio::time::timeout(handshake, acceptor.accept(stream)).await
                        {
                            serve_connection(stream, service, &limits).await;
                        }
                    }
                    #[cfg(not(feature = "tls"))]
                    Some(never) => match never {},
                }
            };
            tokio::select! {
                () = served => {}
                () = hangup.notified() => {}
                () = admitted.close.notified() => {}
            }
            closed_on.closed(id);
        });
    }
}

/// What accepts TLS on a connection: a rustls acceptor with the `tls` feature, else nothing
/// (never constructed).
#[cfg(feature = "tls")]
pub(crate) type Acceptor = tokio_rustls::TlsAcceptor;
/// What accepts TLS on a connection: a rustls acceptor with the `tls` feature, else nothing
/// (never constructed).
#[cfg(not(feature = "tls"))]
pub(crate) type Acceptor = std::convert::Infallible;

/// Serves HTTP/1.1 on one connection, plain or TLS, within the client limits.
async fn serve_connection<I, S>(stream: I, service: S, limits: &ClientLimits)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    S: hyper::service::HttpService<hyper::body::Incoming>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S::ResBody: 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // hyper refuses a read buffer under 8 KiB.
        .max_buf_size(limits.max_header_bytes.max(8192));
    let _ = builder
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

/// Reads a request body within the client limits: Graph's 413 when it is larger than any
/// Graph body, 408 when it does not arrive in time. Never buffers more than the limit.
async fn read_body(limits: &ClientLimits, body: AxumBody) -> Result<Bytes, EmuResponse> {
    match tokio::time::timeout(
        limits.body_timeout,
        axum::body::to_bytes(body, limits.max_body_bytes),
    )
    .await
    {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(error(
            413,
            "RequestEntityTooLarge",
            &format!(
                "The request body is larger than the {} bytes a Graph request may carry.",
                limits.max_body_bytes
            ),
        )),
        Err(_) => Err(error(
            408,
            "RequestTimeout",
            "The request body did not arrive in time.",
        )),
    }
}

async fn graph(
    AxumState(state): AxumState<Arc<State>>,
    hangup: Option<axum::Extension<Hangup>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: AxumBody,
) -> Response {
    let body = match read_body(&state.config.client_limits, body).await {
        Ok(body) => body,
        Err(answer) => return respond(&headers, answer),
    };
    let request = EmuRequest {
        method: method.as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect(),
        body: body.to_vec(),
    };
    let _in_flight = state.enter();
    let fault = faults::pick(state.config.faults.as_ref(), &state.fault_rng, &request);
    if let Some(latency) = state
        .config
        .faults
        .as_ref()
        .filter(|f| faults::applies(f, &request))
        .and_then(|f| f.latency)
    {
        tokio::time::sleep(latency).await;
    }
    let record = |status| {
        let query = request.query.clone();
        state.journal.record(
            &request.method,
            &request.path,
            query,
            &headers,
            &request.body,
            status,
        );
    };
    let response = match &fault {
        Some(Fault::DropConnection) => {
            record(0);
            if let Some(axum::Extension(Hangup(signal))) = hangup {
                signal.notify_one();
            }
            // The connection task drops this future with the connection.
            return std::future::pending().await;
        }
        Some(Fault::Status(status)) => {
            let mut response = error(*status, "serviceNotAvailable", "Injected fault.");
            if matches!(status, 429 | 503) {
                response.headers.push(("Retry-After".into(), "1".into()));
            }
            response
        }
        Some(Fault::HtmlErrorPage) => EmuResponse {
            status: 502,
            headers: Vec::new(),
            body: Body::Text(
                "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
                "text/html",
            ),
        },
        _ => gateway::handle(&state, &request),
    };
    record(response.status);
    let mut http = respond(&headers, response);
    if let Some(fault @ (Fault::ResetBeforeBody | Fault::TruncatedBody)) = fault {
        http = faults::cut(http, fault == Fault::TruncatedBody).await;
    }
    http
}

/// Adds the headers Graph sends on every answer and turns the body into bytes.
pub(crate) fn respond(request_headers: &HeaderMap, mut response: EmuResponse) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = request_headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| request_id.clone(), str::to_owned);
    stamp_request_ids(&mut response.body, &request_id, &client_request_id);
    let (content_type, body) = match response.body {
        Body::Json(value) => (
            Some(
                "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
            ),
            Bytes::from(value.to_string()),
        ),
        Body::Text(text, content_type) => (Some(content_type), Bytes::from(text)),
        Body::Empty => (None, Bytes::new()),
    };
    let mut http = Response::new(AxumBody::from(body));
    *http.status_mut() =
        StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = http.headers_mut();
    let mut put = |name: &str, value: &str| {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    };
    put("request-id", &request_id);
    put("client-request-id", &client_request_id);
    put("date", &httpdate::fmt_http_date(SystemTime::now()));
    put(
        "x-ms-ags-diagnostic",
        r#"{"ServerInfo":{"DataCenter":"Loopback","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"emulator"}}"#,
    );
    if let Some(content_type) = content_type {
        put("content-type", content_type);
        put("odata-version", "4.0");
    }
    for (name, value) in &response.headers {
        put(name, value);
    }
    http
}

/// `PUT {base}/_blob/{session}?comp=block&blockid=…` and `?comp=blocklist`: Azure Blob
/// Storage's Put Block and Put Block List, checked against the session's SAS signature.
async fn blob(
    AxumState(state): AxumState<Arc<State>>,
    Path(session_id): Path<String>,
    method: axum::http::Method,
    headers: HeaderMap,
    uri: Uri,
    body: AxumBody,
) -> Response {
    let answer = match axum::body::to_bytes(body, staged::MAX_BLOCK_BYTES).await {
        Ok(bytes) if method == axum::http::Method::PUT => {
            staged::put(&state, &session_id, uri.query(), bytes)
        }
        Ok(_) => staged::storage_error(
            405,
            "UnsupportedHttpVerb",
            "The resource doesn't support the specified HTTP verb.",
        ),
        Err(_) => {
            staged::storage_error(413, "RequestBodyTooLarge", "The request body is too large.")
        }
    };
    // Journaled without the signature (a credential) or the body (content).
    let query = uri.query().map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| {
                if k == "sig" {
                    format!("{k}=<redacted>")
                } else {
                    format!("{k}={v}")
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    state.journal.record(
        method.as_str(),
        &format!("/_blob/{session_id}"),
        query,
        &headers,
        b"<blob content>",
        answer.status,
    );
    respond(&headers, answer)
}
