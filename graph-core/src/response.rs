//! Turning an answer into the declared return type.

use crate::GraphEntity;
use crate::client::GraphClient;
use crate::entity::decode::from_slice;
use crate::error::{DecodeError, Result};
use crate::meta::{Edm, ResponseShape};
use crate::raw_response::RawResponse;

/// A type an endpoint method can return.
///
/// Implemented for `()` (204 No Content), `Option<T>` (`None` on 204), `i64` (`$count`),
/// `Vec<T>` and [`Pages<T>`](crate::Pages) (collections), `bool`, `String` and `Vec<String>`
/// (an operation's primitive result in `{"value": …}`), [`RawResponse`] (an `Edm.Stream`: the
/// bytes as sent), [`Reference`](crate::Reference) (a `$ref`), and by the macros for every `#[graph_entity]` and `#[graph_polymorphic]`
/// type (one entity in the body).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Graph response type",
    label = "an endpoint returns graphwire_core::Result<T> with T one of the response types",
    note = "use a #[graph_entity] type, `()` for 204 No Content, `Option<T>` (None on 204), `Vec<T>` (one page), `Pages<T>` (all pages), `i64` (a $count), `bool`, `String`, `Int64`, `Vec<String>` or a #[graph_enum] (a primitive result), or `RawResponse` (a stream)"
)]
pub trait FromResponse: Sized + Send {
    /// What the endpoint's metadata says it answers with.
    const SHAPE: ResponseShape;

    /// Decodes a 2xx answer. `client` is the client that made the call (for later pages).
    fn from_response(response: RawResponse, client: &GraphClient) -> Result<Self>;
}

impl FromResponse for () {
    const SHAPE: ResponseShape = ResponseShape::NoContent;

    fn from_response(_: RawResponse, _: &GraphClient) -> Result<Self> {
        Ok(())
    }
}

/// Decodes one entity from the body; implemented for each `#[graph_entity]` type by the macro
/// (a blanket impl would turn a wrong return type into a wall of trait-bound errors).
///
/// An answer without a body is an error that says so: the server did not return the entity.
/// Declare `Option<T>` where the service may answer `204 No Content` (an update applied
/// without returning the resource, as `Prefer: return=minimal` asks).
pub fn entity_from_response<T: GraphEntity>(response: RawResponse) -> Result<T> {
    if response.has_no_body() {
        return Err(DecodeError::body(format!(
            "expected a {} in the body, got {} with no body; declare the return type Option<T> where the service may answer without one",
            T::META.odata_type,
            response.status
        ))
        .into());
    }
    Ok(from_slice(&response.body)?)
}

impl<T: GraphEntity> FromResponse for Option<T> {
    const SHAPE: ResponseShape = ResponseShape::Entity(T::META);

    /// `None` when the service answered without a body (204): it applied the request and
    /// returned nothing, so there is no server state to hand back.
    fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
        if response.has_no_body() {
            return Ok(None);
        }
        Ok(Some(from_slice(&response.body)?))
    }
}

impl FromResponse for crate::Reference {
    const SHAPE: ResponseShape = ResponseShape::Reference;

    /// The `{"@odata.id": …}` a `$ref` GET answers with; an answer without one is an error.
    fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
        if response.has_no_body() {
            return Err(DecodeError::body(format!(
                "expected a reference (`@odata.id`) in the body, got {} with no body",
                response.status
            ))
            .into());
        }
        Ok(from_slice(&response.body)?)
    }
}

impl FromResponse for i64 {
    const SHAPE: ResponseShape = ResponseShape::Count;

    fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
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

/// An operation's primitive result: `{"value": …}`.
#[derive(serde::Deserialize)]
struct ValueBody<T> {
    value: T,
}

fn value_from_response<T: serde::de::DeserializeOwned>(response: &RawResponse) -> Result<T> {
    if response.has_no_body() {
        return Err(DecodeError::body(format!(
            "expected {{\"value\": …}} in the body, got {} with no body",
            response.status
        ))
        .into());
    }
    Ok(from_slice::<ValueBody<T>>(&response.body)?.value)
}

macro_rules! value_responses {
    ($($ty:ty => $kind:expr),* $(,)?) => {$(
        impl FromResponse for $ty {
            const SHAPE: ResponseShape = ResponseShape::Value($kind);

            fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
                value_from_response(&response)
            }
        }
    )*};
}

value_responses! {
    bool => Edm::Boolean,
    String => Edm::String,
    crate::Int64 => Edm::Int64,
    Vec<String> => Edm::Collection(crate::entity::kind_of::<String>),
}

/// A Graph enum result (`chromeOSOnboardingStatus`): `{"value": "…"}`.
impl<T: crate::GraphEnum + serde::de::DeserializeOwned + Send + 'static> FromResponse for T {
    const SHAPE: ResponseShape = ResponseShape::Value(Edm::Enum(T::META));

    fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
        value_from_response(&response)
    }
}

/// An `Edm.Stream` result: the answer as sent (status, headers, bytes), for the caller to read
/// as its content type says.
impl FromResponse for RawResponse {
    const SHAPE: ResponseShape = ResponseShape::Stream;

    fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
        Ok(response)
    }
}
