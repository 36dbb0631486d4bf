//! The generic encoder every entity uses: `@odata.type`, the properties that are present, then
//! the unknown members it was decoded with.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::types::{AdditionalData, Nullable};

/// Implemented by `#[graph_entity]`: write each writable, present property.
pub trait EncodeProperties {
    /// Writes the type's own and inherited properties.
    fn encode_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    /// The unknown members to write back.
    fn additional_data(&self) -> &AdditionalData;
}

/// A property field's presence: absent fields are left out of the body.
pub trait PropertyValue: Serialize {
    /// True when the field is not to be sent.
    fn is_absent(&self) -> bool;
}

impl<T: Serialize> PropertyValue for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: Serialize> PropertyValue for Nullable<T> {
    fn is_absent(&self) -> bool {
        Nullable::is_absent(self)
    }
}

/// Writes one property unless it is absent.
pub fn property<M: SerializeMap, T: PropertyValue>(
    map: &mut M,
    json_name: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    if value.is_absent() {
        Ok(())
    } else {
        map.serialize_entry(json_name, value)
    }
}

/// Serializes an entity as a Graph request body.
pub fn serialize_entity<S: Serializer, T: EncodeProperties>(
    value: &T,
    odata_type: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    // Action parameter objects have no type name and are sent without one.
    if !odata_type.is_empty() {
        map.serialize_entry("@odata.type", odata_type)?;
    }
    value.encode_properties(&mut map)?;
    for (key, member) in value.additional_data() {
        if !super::decode::is_annotation(key) {
            map.serialize_entry(key, member)?;
        }
    }
    map.end()
}
