//! Graph's primitive types and the property wrappers entities are built from.

mod datetime;
mod id;
mod int64;
mod nullable;
mod reference;

pub use datetime::{DateTimeOffset, DateTimeParseError};
pub use int64::Int64;
pub use nullable::Nullable;
pub use reference::Reference;

/// `Edm.Guid`.
pub type Guid = uuid::Uuid;

/// Members of a JSON object that the declared type does not know. Kept on decode and written
/// back on encode, so a round trip through an older client loses nothing.
pub type AdditionalData = serde_json::Map<String, serde_json::Value>;
