//! Families of types decoded by `@odata.type`, such as a policy and its platform subtypes.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde::ser::Serializer;
use serde_json::value::RawValue;

use super::decode::{Key, is_annotation};
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
    // property inside this value, where the outer decoder can only name the value.
    super::decode::decode_slice(json.as_bytes()).map_err(|e| named_failure(json, &e))
}

/// `error` prefixed with the path of the member it is about (`.` for the value itself); not
/// generic, so compiled once.
fn named_failure(json: &str, error: &serde_json::Error) -> serde_json::Error {
    let path = super::json_path::path_of(json.as_bytes(), error);
    serde_json::Error::custom(format_args!("{}: {error}", path.as_deref().unwrap_or(".")))
}

/// Deserializes a polymorphic value by its `@odata.type`.
///
/// The object's members are captured as raw JSON text (none is built), the object's text is
/// put back together, and it is decoded straight into the type `@odata.type` names: no
/// intermediate tree. Reading the members through the deserializer's own map, rather than
/// capturing the object whole, is what makes a failure's position the end of this value: the
/// body's decoder then names this member as the property, and the message the member inside.
pub fn deserialize_polymorphic<'de, D: Deserializer<'de>, T: Polymorphic>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(FamilyVisitor(PhantomData))
}

/// Reads one value of the family `T`.
struct FamilyVisitor<T>(PhantomData<T>);

impl<'de, T: Polymorphic> Visitor<'de> for FamilyVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object of type {}", T::Base::META.odata_type)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            members.push((key.0, map.next_value::<Box<RawValue>>()?));
        }
        let object = Object::new(&members);
        decode_object::<T>(&object).map_err(|e| A::Error::custom(without_position(&e)))
    }
}

/// A captured object: its text, its `@odata.type`, and the inner object when it has the shape
/// `{"value": {...}}` (annotations beside it allowed).
struct Object<'a> {
    json: String,
    odata_type: Option<String>,
    wrapped: Option<&'a str>,
}

impl<'a> Object<'a> {
    /// Not generic: one compiled copy however many families an app decodes.
    fn new(members: &'a [(Cow<'_, str>, Box<RawValue>)]) -> Self {
        let size: usize = members
            .iter()
            .map(|(k, v)| k.len() + v.get().len() + 4)
            .sum();
        let mut json = String::with_capacity(size + 2);
        json.push('{');
        let mut odata_type = None;
        for (at, (key, value)) in members.iter().enumerate() {
            if at > 0 {
                json.push(',');
            }
            // A `String` always serializes.
            json.push_str(&serde_json::to_string(key).unwrap_or_default());
            json.push(':');
            json.push_str(value.get());
            if key == "@odata.type" && odata_type.is_none() {
                odata_type = serde_json::from_str::<Option<String>>(value.get())
                    .ok()
                    .flatten();
            }
        }
        json.push('}');
        let mut plain = members.iter().filter(|(key, _)| !is_annotation(key));
        let wrapped = match (plain.next(), plain.next()) {
            (Some((key, value)), None)
                if key == "value" && value.get().trim_start().starts_with('{') =>
            {
                Some(value.get())
            }
            _ => None,
        };
        Self {
            json,
            odata_type,
            wrapped,
        }
    }
}

/// Decodes a captured object as the member of `T` its `@odata.type` names.
fn decode_object<T: Polymorphic>(object: &Object<'_>) -> Result<T, serde_json::Error> {
    let json = object.json.as_str();
    match &object.odata_type {
        // Graph's docs wrap some single entities in `{"value": {...}}` (the plain decoder
        // accepts that shape too): dispatch on the inner object's own `@odata.type`.
        None if let Some(inner) = object.wrapped => {
            super::decode::decode_slice::<Family<T>>(inner.as_bytes()).map(|family| family.0)
        }
        None => decode_as(json).map(T::from_base),
        Some(name) if same_type(name, T::Base::META.odata_type) => {
            decode_as(json).map(T::from_base)
        }
        Some(name) => match T::decode_subtype(name.trim_start_matches('#'), json) {
            Some(result) => result,
            None => decode_as(json).map(|base| {
                T::from_unknown(UnknownSubtype {
                    odata_type: name.clone(),
                    base,
                })
            }),
        },
    }
}

/// `T` decoded as a family, for the inner object of `{"value": {...}}`.
struct Family<T>(T);

impl<'de, T: Polymorphic> Deserialize<'de> for Family<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_polymorphic(deserializer).map(Family)
    }
}

/// The text of `error` without its line and column. Those count from the start of the value
/// that was decoded again; serde_json would read them back from the message as the position of
/// the error in the whole body, where the body's decoder puts its own.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
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
    use super::{Object, RawValue};
    use std::borrow::Cow;

    /// Members as the family decoder captures them: each name with its value's raw text.
    fn members_of(members: &[(&str, &str)]) -> Vec<(Cow<'static, str>, Box<RawValue>)> {
        members
            .iter()
            .map(|(key, value)| {
                let raw = RawValue::from_string((*value).to_owned()).unwrap();
                (Cow::Owned((*key).to_owned()), raw)
            })
            .collect()
    }

    #[test]
    fn an_object_is_put_back_together_with_its_type() {
        let members = members_of(&[
            ("@odata.type", r##""#a.b""##),
            ("x", r#"{"y": [1, 2]}"#),
            ("k\"", r#""v""#),
        ]);
        let object = Object::new(&members);
        assert_eq!(
            object.json,
            r##"{"@odata.type":"#a.b","x":{"y": [1, 2]},"k\"":"v"}"##
        );
        assert_eq!(object.odata_type.as_deref(), Some("#a.b"));
        assert_eq!(object.wrapped, None);

        let members = members_of(&[("@odata.type", "null"), ("x", "1")]);
        assert_eq!(Object::new(&members).odata_type, None);
        assert_eq!(Object::new(&[]).json, "{}");
    }

    #[test]
    fn the_value_wrapper_shape() {
        let members = members_of(&[
            ("@odata.context", r#""x""#),
            ("value", r##"{"@odata.type":"#a.b"}"##),
        ]);
        assert_eq!(
            Object::new(&members).wrapped,
            Some(r##"{"@odata.type":"#a.b"}"##)
        );
        let others: [&[(&str, &str)]; 3] = [
            &[("value", "{}"), ("id", r#""1""#)],
            &[("value", "[{}]")],
            &[("id", r#""value""#)],
        ];
        for other in others {
            let members = members_of(other);
            assert_eq!(Object::new(&members).wrapped, None, "{other:?}");
        }
    }
}
