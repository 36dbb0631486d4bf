//! Families of types decoded by `@odata.type`, such as a policy and its platform subtypes.

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::Serializer;

use super::encode::{EncodeProperties, serialize_entity};
use crate::GraphEntity;

/// A subtype this crate does not know: its `@odata.type` and everything it carried, decoded as
/// the base type (the subtype's own members are kept in the base's additional data and written
/// back unchanged).
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownSubtype<B> {
    /// The `@odata.type` the service sent.
    pub odata_type: String,
    /// The members, as the base type.
    pub base: B,
}

/// Implemented by `#[graph_polymorphic]`.
pub trait Polymorphic: Sized {
    /// The base type every member derives from.
    type Base: GraphEntity;

    /// Decodes the known subtype named `type_name` (without `#`), or hands the value back when
    /// no variant has that type.
    fn decode_subtype(
        type_name: &str,
        value: serde_json::Value,
    ) -> Result<Result<Self, serde_json::Error>, serde_json::Value>;

    /// Wraps a value whose `@odata.type` was missing or named the base type.
    fn from_base(base: Self::Base) -> Self;

    /// Wraps a value of an unknown subtype.
    fn from_unknown(unknown: UnknownSubtype<Self::Base>) -> Self;
}

/// True when two OData type names are the same, with or without the leading `#`.
pub fn same_type(a: &str, b: &str) -> bool {
    a.trim_start_matches('#') == b.trim_start_matches('#')
}

fn decode_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, serde_json::Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        serde_json::Error::custom(format_args!("{path}: {}", e.into_inner()))
    })
}

/// Decodes a known subtype (used by generated code).
pub fn decode_as<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, serde_json::Error> {
    decode_value(value)
}

/// Deserializes a polymorphic value by its `@odata.type`.
pub fn deserialize_polymorphic<'de, D: Deserializer<'de>, T: Polymorphic>(
    deserializer: D,
) -> Result<T, D::Error> {
    let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
    let odata_type = object
        .get("@odata.type")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    let value = serde_json::Value::Object(object);
    let result = match odata_type {
        None => decode_value(value).map(T::from_base),
        Some(name) if same_type(&name, T::Base::META.odata_type) => {
            decode_value(value).map(T::from_base)
        }
        Some(name) => match T::decode_subtype(name.trim_start_matches('#'), value) {
            Ok(result) => result,
            Err(value) => decode_value(value).map(|base| {
                T::from_unknown(UnknownSubtype {
                    odata_type: name,
                    base,
                })
            }),
        },
    };
    result.map_err(D::Error::custom)
}

/// Serializes an unknown subtype with the `@odata.type` it came with.
pub fn serialize_unknown<S: Serializer, B: EncodeProperties>(
    unknown: &UnknownSubtype<B>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize_entity(&unknown.base, &unknown.odata_type, serializer)
}
