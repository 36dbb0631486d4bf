//! Turning an answer into the declared return type.

use reqwest::StatusCode;
use serde::Deserialize;

use crate::GraphEntity;
use crate::client::{GraphClient, RawResponse};
use crate::entity::decode::from_slice;
use crate::error::{DecodeError, Result};
use crate::meta::ResponseShape;
use crate::paging::Pages;
use crate::types::Int64;

/// A type an endpoint method can return.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Graph response type",
    label = "an endpoint returns graphwire_core::Result<T> with T one of the response types",
    note = "use a #[graph_entity] type, `()` for 204 No Content, `Option<T>` (None on 204), `Vec<T>` (one page), `Pages<T>` (all pages) or `i64` (a $count)"
)]
pub trait FromResponse: Sized + Send {
    /// What the endpoint's metadata says it answers with.
    const SHAPE: ResponseShape;

    /// Decodes a 2xx answer. `sent` is the JSON body of the request, if any.
    #[doc(hidden)]
    fn from_response(
        response: RawResponse,
        client: &GraphClient,
        sent: Option<&[u8]>,
    ) -> Result<Self>;
}

fn no_body(response: &RawResponse) -> bool {
    response.status == StatusCode::NO_CONTENT || response.body.iter().all(u8::is_ascii_whitespace)
}

impl FromResponse for () {
    const SHAPE: ResponseShape = ResponseShape::NoContent;

    fn from_response(_: RawResponse, _: &GraphClient, _: Option<&[u8]>) -> Result<Self> {
        Ok(())
    }
}

/// Decodes one entity; implemented for each `#[graph_entity]` type by the macro (a blanket
/// impl would turn a wrong return type into a wall of trait-bound errors).
///
/// A 204 to a PATCH means "applied": the value is what was sent, decoded as `T`.
pub fn entity_from_response<T: GraphEntity>(
    response: RawResponse,
    sent: Option<&[u8]>,
) -> Result<T> {
    if no_body(&response) {
        return match sent {
            Some(sent) => Ok(from_slice(sent)?),
            None => Err(DecodeError::body(format!(
                "expected a {} in the body, got {} with no body",
                T::META.odata_type,
                response.status
            ))
            .into()),
        };
    }
    Ok(from_slice(&response.body)?)
}

impl<T: GraphEntity> FromResponse for Option<T> {
    const SHAPE: ResponseShape = ResponseShape::Entity(T::META);

    fn from_response(response: RawResponse, _: &GraphClient, _: Option<&[u8]>) -> Result<Self> {
        if no_body(&response) {
            return Ok(None);
        }
        Ok(Some(from_slice(&response.body)?))
    }
}

/// One page of a collection.
#[derive(Deserialize)]
#[serde(bound = "T: serde::de::DeserializeOwned")]
pub(crate) struct PageBody<T> {
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
    #[serde(rename = "@odata.count")]
    pub count: Option<Int64>,
}

impl<T: GraphEntity> FromResponse for Vec<T> {
    const SHAPE: ResponseShape = ResponseShape::Collection(T::META);

    fn from_response(response: RawResponse, _: &GraphClient, _: Option<&[u8]>) -> Result<Self> {
        Ok(from_slice::<PageBody<T>>(&response.body)?.value)
    }
}

impl<T: GraphEntity> FromResponse for Pages<T> {
    const SHAPE: ResponseShape = ResponseShape::Collection(T::META);

    fn from_response(
        response: RawResponse,
        client: &GraphClient,
        _: Option<&[u8]>,
    ) -> Result<Self> {
        let page = from_slice::<PageBody<T>>(&response.body)?;
        Ok(Pages::new(client.clone(), page))
    }
}

impl FromResponse for i64 {
    const SHAPE: ResponseShape = ResponseShape::Count;

    fn from_response(response: RawResponse, _: &GraphClient, _: Option<&[u8]>) -> Result<Self> {
        let text = String::from_utf8_lossy(&response.body);
        text.trim().parse().map_err(|_| {
            DecodeError::body(format!(
                "expected an integer count, got `{}`",
                text.chars().take(40).collect::<String>()
            ))
            .into()
        })
    }
}
