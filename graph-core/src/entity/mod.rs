//! Entities, complex types, enums and polymorphic families: the traits the macros implement
//! and the generic (de)serialization they call.

pub(crate) mod decode;
pub(crate) mod encode;
pub(crate) mod enums;
mod json_path;
mod kind;
pub(crate) mod polymorphic;

pub use enums::GraphEnum;
pub use kind::{PropertyKind, kind_of};
pub use polymorphic::{Polymorphic, UnknownSubtype};

use crate::meta::EntityMeta;

/// A type declared with `#[graph_entity]`: a Graph entity or complex type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Graph entity",
    label = "expected a type declared with #[graph_entity]",
    note = "add #[graphwire_core::graph_entity(odata_type = \"#microsoft.graph.…\")] to the struct"
)]
pub trait GraphEntity:
    serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static
{
    /// What the declaration says about the type.
    const META: &'static EntityMeta;
}

/// A type an endpoint method takes as its `body`: every `#[graph_entity]` and
/// `#[graph_polymorphic]` type, and [`Reference`](crate::Reference) (a `$ref`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Graph request body",
    label = "expected a type declared with #[graph_entity] or #[graph_polymorphic], or a Reference",
    note = "add #[graphwire_core::graph_entity(odata_type = \"#microsoft.graph.…\")] to the struct"
)]
pub trait RequestBody: serde::Serialize + Send + Sync {
    /// The body's type for the endpoint's metadata (what an emulator checks a body against);
    /// `None` for a `$ref` body.
    const META: Option<&'static EntityMeta>;
}

impl<T: GraphEntity> RequestBody for T {
    const META: Option<&'static EntityMeta> = Some(T::META);
}

impl RequestBody for crate::Reference {
    const META: Option<&'static EntityMeta> = None;
}

/// Decodes a JSON text into `T`, naming the property that was wrong.
///
/// ```
/// # use graphwire_core::{graph_entity, from_json};
/// #[graph_entity(odata_type = "#microsoft.graph.sample")]
/// pub struct Sample { pub count: Option<i32> }
/// let err = from_json::<Sample>(r#"{"count": 3000000000}"#).unwrap_err();
/// assert_eq!(err.property(), Some("count"));
/// ```
pub fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, crate::DecodeError> {
    decode::from_slice(json.as_bytes())
}

/// Encodes a value as the JSON body the client would send.
///
/// ```
/// # use graphwire_core::{graph_entity, to_json};
/// #[graph_entity(odata_type = "#microsoft.graph.sample")]
/// pub struct Sample { pub count: Option<i32> }
/// let body = to_json(&Sample { count: Some(1), ..Default::default() }).unwrap();
/// assert_eq!(body, r##"{"@odata.type":"#microsoft.graph.sample","count":1}"##);
/// ```
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(value)
}
