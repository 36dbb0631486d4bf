//! What generated code calls. Not a public API: names here change without notice.

pub use serde;
pub use serde_json;

pub use crate::entity::decode::{DecodeProperties, deserialize_entity};
pub use crate::entity::encode::{
    EncodeProperties, PropertyValue, property as encode_property, serialize_entity,
};
pub use crate::entity::enums::deserialize_enum;
pub use crate::entity::polymorphic::{
    decode_as, deserialize_polymorphic, same_type, serialize_unknown,
};

use crate::meta::Edm;
use crate::types::{DateTimeOffset, Guid, Int64, Nullable};

/// The Graph kind of a property's Rust type, for metadata.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Graph property type",
    note = "use a Graph primitive (String, bool, i32, Int64, f64, Guid, DateTimeOffset), a #[graph_enum], a #[graph_entity], a typed id, or a Vec of them, inside Option<T> or Nullable<T>"
)]
pub trait PropertyKind {
    /// The kind.
    const KIND: Edm;
}

/// The kind of `T`, as a function pointer (usable in `const` metadata for collections).
pub fn kind_of<T: PropertyKind>() -> Edm {
    T::KIND
}

macro_rules! primitive_kinds {
    ($($ty:ty => $kind:ident),* $(,)?) => {
        $(impl PropertyKind for $ty { const KIND: Edm = Edm::$kind; })*
    };
}

primitive_kinds! {
    String => String,
    bool => Boolean,
    i32 => Int32,
    Int64 => Int64,
    f64 => Double,
    Guid => Guid,
    DateTimeOffset => DateTimeOffset,
    serde_json::Value => Json,
}

impl<T: PropertyKind> PropertyKind for Option<T> {
    const KIND: Edm = T::KIND;
}

impl<T: PropertyKind> PropertyKind for Nullable<T> {
    const KIND: Edm = T::KIND;
}

impl<T: PropertyKind> PropertyKind for Vec<T> {
    const KIND: Edm = Edm::Collection(kind_of::<T>);
}

/// A value that can stand in a URL path segment (typed ids and plain strings).
pub trait PathSegment {
    /// The raw (not yet percent-encoded) segment.
    fn path_segment(&self) -> &str;
}

impl PathSegment for str {
    fn path_segment(&self) -> &str {
        self
    }
}

impl PathSegment for String {
    fn path_segment(&self) -> &str {
        self
    }
}

impl<T: PathSegment + ?Sized> PathSegment for &T {
    fn path_segment(&self) -> &str {
        (**self).path_segment()
    }
}

/// Shown in `Debug` output in place of a secret.
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

pub use crate::call::call;
pub use crate::client::RawResponse;
pub use crate::client::retry::parse_retry_after;

/// Parses an error answer as the client does (for tests and fuzzing).
pub fn parse_error_body(status: u16, body: &[u8]) -> crate::ServiceError {
    RawResponse {
        status: reqwest::StatusCode::from_u16(status)
            .unwrap_or(reqwest::StatusCode::INTERNAL_SERVER_ERROR),
        headers: reqwest::header::HeaderMap::new(),
        body: bytes::Bytes::copy_from_slice(body),
    }
    .service_error()
}
pub use crate::path::{Piece, build_path};
pub use crate::response::entity_from_response;
pub use inventory;

/// An endpoint's metadata, collected from every crate that declares endpoints.
pub struct Registered(pub &'static crate::meta::Endpoint);

inventory::collect!(Registered);

/// An entity type's metadata, collected from every crate that declares entities.
pub struct RegisteredType(pub &'static crate::meta::EntityMeta);

inventory::collect!(RegisteredType);
