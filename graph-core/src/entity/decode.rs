//! The generic decoder every entity uses: known members into fields, annotations dropped,
//! unknown members kept.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess};

use super::json_path;
use crate::types::AdditionalData;
use crate::{DecodeError, GraphEntity};

/// Implemented by `#[graph_entity]`: decode one member into the matching field.
pub trait DecodeProperties: Default {
    /// Reads the value of `key` into its field; `false` when the key is not a property.
    fn decode_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Where unknown members go.
    fn additional_data_mut(&mut self) -> &mut AdditionalData;
}

/// A member name, borrowed from the input when it can be.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// An annotation such as `@odata.context` or `prop@odata.nextLink`: dropped before typed decoding.
pub(crate) fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

/// Deserializes an entity with the generic decoder.
pub fn deserialize_entity<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DecodeProperties + GraphEntity,
{
    struct Visitor<T>(PhantomData<T>);
    impl<'de, T: DecodeProperties + GraphEntity> de::Visitor<'de> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a JSON object of type {}", T::META.odata_type)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut out = T::default();
            let mut known = 0usize;
            while let Some(Key(key)) = map.next_key()? {
                // Declared names never contain `@`, so try them first: the common case pays
                // for one match and nothing else.
                if out.decode_property(&key, &mut map)? {
                    known += 1;
                } else if is_annotation(&key) {
                    map.next_value::<IgnoredAny>()?;
                } else {
                    let value = map.next_value()?;
                    out.additional_data_mut().insert(key.into_owned(), value);
                }
            }
            // Graph's docs wrap some single entities in `{"value": {...}}`; accept that shape.
            let extra = out.additional_data_mut();
            if known == 0
                && extra.len() == 1
                && let Some(inner @ serde_json::Value::Object(_)) = extra.remove("value")
            {
                // Through the text decoder every other body takes: decoding the tree in place
                // would compile a second decoder of every entity type.
                return decode_slice(inner.to_string().as_bytes()).map_err(de::Error::custom);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Visitor(PhantomData))
}

/// Decodes JSON bytes, reporting the path of the member that failed.
///
/// Every typed decode in the crate goes through here (or [`decode_slice`]), so each type's
/// decoder is compiled for one deserializer, serde_json's over a byte slice.
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_slice(bytes).map_err(|error| named_failure(bytes, &error))
}

/// `error` with the path of the member it is about; not generic, so compiled once.
fn named_failure(bytes: &[u8], error: &serde_json::Error) -> DecodeError {
    DecodeError::at(json_path::path_of(bytes, error), error.to_string())
}

/// Decodes JSON bytes, trailing whitespace allowed, with serde_json's own error.
pub(crate) fn decode_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(bytes)
}
