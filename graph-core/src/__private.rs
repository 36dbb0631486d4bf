//! What generated code calls: re-exports only, so the macros' output names one path. Not a
//! public API: names here change without notice.

#[doc(hidden)]
pub use inventory;
#[doc(hidden)]
pub use serde;
#[doc(hidden)]
pub use serde_json;

#[doc(hidden)]
pub use crate::call::call;
#[doc(hidden)]
pub use crate::entity::PropertyKind;
#[doc(hidden)]
pub use crate::entity::decode::{DecodeProperties, deserialize_entity};
#[doc(hidden)]
pub use crate::entity::encode::{
    EncodeProperties, PropertyValue, property as encode_property, read_only_property,
    serialize_entity,
};
#[doc(hidden)]
pub use crate::entity::enums::deserialize_enum;
#[doc(hidden)]
pub use crate::entity::polymorphic::{
    decode_as, deserialize_polymorphic, same_type, serialize_unknown,
};
#[doc(hidden)]
pub use crate::meta::{Registered, RegisteredEnum, RegisteredType};
#[doc(hidden)]
pub use crate::path::{PathSegment, Piece};
#[doc(hidden)]
pub use crate::response::entity_from_response;
#[doc(hidden)]
pub use crate::secret::Redacted;
