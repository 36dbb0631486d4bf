//! The one generic function every generated endpoint method calls.

use bytes::Bytes;
use serde::Serialize;
use url::Url;

use crate::client::{GraphApi, Outgoing};
use crate::error::{Error, Result};
use crate::meta::{Endpoint, HttpMethod};
use crate::path::{Piece, build_path};
use crate::query::Query;
use crate::response::FromResponse;

/// Checks availability, builds the URL, encodes the body, sends, decodes.
pub async fn call<B, R>(
    api: &(impl GraphApi + ?Sized),
    endpoint: &'static Endpoint,
    path: &[Piece<'_>],
    query: Option<&Query>,
    headers: Option<&reqwest::header::HeaderMap>,
    body: Option<&B>,
) -> Result<R>
where
    B: Serialize + ?Sized,
    R: FromResponse,
{
    let client = api.graph_client();
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
    let mut relative = build_path(path)?;
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        relative.push('?');
        relative.push_str(&query.to_query_string());
    }
    let text = format!(
        "{}{}{}",
        client.cloud().graph_root(),
        endpoint.version.as_str(),
        relative
    );
    let url = Url::parse(&text)
        .map_err(|e| Error::invalid("path", format!("`{text}` is not a URL: {e}")))?;
    let body = body
        .map(serde_json::to_vec)
        .transpose()
        .map_err(|e| Error::invalid("body", format!("could not be encoded as JSON: {e}")))?
        .map(Bytes::from);
    let method = method(endpoint.method);
    // Inside `GraphClient::batch`, the request joins the next `$batch` instead.
    let headers = headers.cloned().unwrap_or_default();
    let batched = crate::batch::capture(
        client,
        &method,
        endpoint.version,
        relative,
        &headers,
        body.clone(),
    );
    let response = match batched {
        Some(answer) => answer.await.map_err(|_| Error::Transport {
            sent: false,
            message: "the $batch scope ended before this call was answered".into(),
        })??,
        None => {
            client
                .execute(Outgoing {
                    operation: endpoint.operation,
                    template: endpoint.template,
                    method,
                    url,
                    headers,
                    body: body.clone(),
                })
                .await?
        }
    }
    .error_for_status()?;
    R::from_response(response, client, body.as_deref())
}

fn method(method: HttpMethod) -> reqwest::Method {
    match method {
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Post => reqwest::Method::POST,
        HttpMethod::Patch => reqwest::Method::PATCH,
        HttpMethod::Put => reqwest::Method::PUT,
        HttpMethod::Delete => reqwest::Method::DELETE,
    }
}
