//! Families of types decoded by `@odata.type`, such as a policy and its platform subtypes.

use std::collections::BTreeMap;

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

    /// Decodes the JSON text `json` as the known subtype named `type_name` (without `#`);
    /// `None` when no variant has that type.
    fn decode_subtype(type_name: &str, json: &str) -> Option<Result<Self, serde_json::Error>>;

    /// Wraps a value whose `@odata.type` was missing or named the base type.
    fn from_base(base: Self::Base) -> Self;

    /// Wraps a value of an unknown subtype.
    fn from_unknown(unknown: UnknownSubtype<Self::Base>) -> Self;
}

/// True when two OData type names are the same, with or without the leading `#`.
pub fn same_type(a: &str, b: &str) -> bool {
    a.trim_start_matches('#') == b.trim_start_matches('#')
}

/// Decodes JSON text as `T`, naming the property that failed.
pub fn decode_as<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    // The same decoder as a whole body's (one compiled copy per type); a failure names the
    // property inside this value, where the body's decoder can only place the value.
    super::decode::decode_slice(json.as_bytes()).map_err(|e| named_failure(json, &e))
}

/// `error` prefixed with the path of the member it is about (`.` for the value itself); not
/// generic, so compiled once.
fn named_failure(json: &str, error: &serde_json::Error) -> serde_json::Error {
    let path = super::json_path::path_of(json.as_bytes(), error);
    serde_json::Error::custom(format_args!("{}: {error}", path.as_deref().unwrap_or(".")))
}

/// The text of `error` without its line and column. Those count from the start of the value
/// that was decoded again; serde_json would read them back from the message as the position of
/// the error in the whole body, where the body's decoder puts its own (the end of the container
/// it was reading: this value when a member or element follows it, else the one around it).
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// Only `@odata.type`; every other member is skipped without being built.
#[derive(serde::Deserialize)]
struct TypeTag {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
}

/// `@odata.type` when it is the object's first member (as Graph writes it) and a plain string.
fn leading_type(json: &str) -> Option<&str> {
    let rest = json
        .trim_start()
        .strip_prefix('{')?
        .trim_start()
        .strip_prefix("\"@odata.type\"")?
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let name = &rest[..rest.find('"')?];
    // An escape means the text is not the name as written; let the full parser read it.
    (!name.contains('\\')).then_some(name)
}

/// Deserializes a polymorphic value by its `@odata.type`.
///
/// The object is captured as raw JSON text, scanned once for `@odata.type` (other members are
/// skipped, not built), then decoded straight into the right type: no intermediate tree.
pub fn deserialize_polymorphic<'de, D: Deserializer<'de>, T: Polymorphic>(
    deserializer: D,
) -> Result<T, D::Error> {
    let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
    let json = raw.get();
    let odata_type = match leading_type(json) {
        Some(name) => Some(name.to_owned()),
        None => {
            serde_json::from_str::<TypeTag>(json)
                .map_err(D::Error::custom)?
                .odata_type
        }
    };
    let result = match odata_type {
        // Graph's docs wrap some single entities in `{"value": {...}}` (the plain decoder
        // accepts that shape too): dispatch on the inner object's own `@odata.type`.
        None if let Some(inner) = wrapped_value(json) => {
            let mut inner = serde_json::Deserializer::from_slice(inner.as_bytes());
            deserialize_polymorphic::<_, T>(&mut inner)
        }
        None => decode_as(json).map(T::from_base),
        Some(name) if same_type(&name, T::Base::META.odata_type) => {
            decode_as(json).map(T::from_base)
        }
        Some(name) => match T::decode_subtype(name.trim_start_matches('#'), json) {
            Some(result) => result,
            None => decode_as(json).map(|base| {
                T::from_unknown(UnknownSubtype {
                    odata_type: name,
                    base,
                })
            }),
        },
    };
    result.map_err(|e| D::Error::custom(without_position(&e)))
}

/// The inner object of `{"value": {...}}` (annotations beside it allowed), or `None`.
fn wrapped_value(json: &str) -> Option<&str> {
    use serde_json::value::RawValue;
    use std::borrow::Cow;
    if !json.contains("\"value\"") {
        return None;
    }
    let members: BTreeMap<Cow<'_, str>, &RawValue> = serde_json::from_str(json).ok()?;
    let mut members = members
        .into_iter()
        .filter(|(key, _)| !super::decode::is_annotation(key));
    match (members.next(), members.next()) {
        (Some((key, value)), None)
            if key == "value" && value.get().trim_start().starts_with('{') =>
        {
            Some(value.get())
        }
        _ => None,
    }
}

/// Serializes an unknown subtype with the `@odata.type` it came with.
pub fn serialize_unknown<S: Serializer, B: EncodeProperties>(
    unknown: &UnknownSubtype<B>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize_entity(&unknown.base, &unknown.odata_type, serializer)
}

#[cfg(test)]
mod tests {
    use super::leading_type;

    #[test]
    fn wrapped_value_shapes() {
        use super::wrapped_value;
        assert_eq!(
            wrapped_value(r##"{"@odata.context":"x","value":{"@odata.type":"#a.b"}}"##),
            Some(r##"{"@odata.type":"#a.b"}"##)
        );
        assert_eq!(wrapped_value(r#"{"value":{},"id":"1"}"#), None);
        assert_eq!(wrapped_value(r#"{"value":[{}]}"#), None);
        assert_eq!(wrapped_value(r#"{"id":"value"}"#), None);
    }

    #[test]
    fn leading_type_fast_path() {
        assert_eq!(
            leading_type(r##"{"@odata.type":"#a.b","x":1}"##),
            Some("#a.b")
        );
        assert_eq!(
            leading_type(r##" { "@odata.type" : "#a.b" }"##),
            Some("#a.b")
        );
        assert_eq!(leading_type(r##"{"x":1,"@odata.type":"#a.b"}"##), None);
        assert_eq!(leading_type(r##"{"@odata.type":"#a\u0062"}"##), None);
        assert_eq!(leading_type(r#"{"@odata.type":null}"#), None);
        assert_eq!(leading_type("[]"), None);
    }
}
