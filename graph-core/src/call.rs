//! The one generic function every generated endpoint method calls.

use bytes::Bytes;
use serde::Serialize;
use url::Url;

use crate::client::{GraphClient, Outgoing};
use crate::error::{Error, Result};
use crate::meta::Endpoint;
use crate::path::{Piece, build_path};
use crate::query::Query;
use crate::raw_response::RawResponse;

/// Checks availability, builds the URL, encodes the body, sends, decodes with `decode`
/// (`<R as FromResponse>::from_response`, named once by the generated code so that a wrong
/// return type is one error, not one per use).
#[allow(clippy::too_many_arguments)]
pub async fn call<B, R>(
    client: &GraphClient,
    endpoint: &'static Endpoint,
    path: &[Piece<'_>],
    query: Option<&Query>,
    headers: Option<&reqwest::header::HeaderMap>,
    body: Option<&B>,
    decode: fn(RawResponse, &GraphClient) -> Result<R>,
) -> Result<R>
where
    B: Serialize + ?Sized,
{
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
    let method = reqwest::Method::from(endpoint.method);
    // Inside `GraphClient::batch`, the request joins the next `$batch` instead.
    let headers = headers.cloned().unwrap_or_default();
    let batched = crate::batch::capture(
        client,
        &method,
        endpoint.version,
        relative,
        &headers,
        body.clone(),
    )?;
    let response = match batched {
        Some(answer) => answer.await.map_err(|_| Error::Batch {
            sent: true,
            reason: "the $batch scope ended before this call was answered".into(),
        })??,
        None => {
            client
                .execute(Outgoing {
                    operation: endpoint.operation,
                    template: endpoint.template,
                    method,
                    url,
                    headers,
                    body,
                })
                .await?
        }
    }
    .error_for_status()?;
    decode(response, client)
}
