//! The runtime of a typed Microsoft Graph client.
//!
//! Types declared with the macros re-exported here (`#[graph_entity]`, `#[graph_enum]`,
//! `#[graph_polymorphic]`) serialize exactly as Graph expects; see `ARCHITECTURE.md` at the
//! repository root for how a call travels from app code to the wire and back.

pub mod entity;
mod error;
pub mod meta;
mod types;

#[doc(hidden)]
pub mod __private;

pub use entity::{GraphEntity, GraphEnum, Polymorphic, UnknownSubtype, from_json, to_json};
pub use error::DecodeError;
pub use graph_macros::{graph_entity, graph_enum, graph_polymorphic};
pub use types::{AdditionalData, DateTimeOffset, DateTimeParseError, Guid, Int64, Nullable};

/// JSON values, for reading and writing unknown members.
pub use serde_json::{Map as JsonMap, Value as JsonValue};
