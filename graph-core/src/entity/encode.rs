//! The generic encoder every entity uses: `@odata.type`, the properties that are present, then
//! the unknown members it was decoded with.

use std::cell::Cell;

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

thread_local! {
    /// Set while [`to_json_as_received`] encodes: read-only members are written too. Serialization is synchronous, so the flag covers exactly that encoding.
    static AS_RECEIVED: Cell<bool> = const { Cell::new(false) };
}

/// Restores the flag when the encoding ends, however it ends.
struct AsReceived(bool);

impl AsReceived {
    fn begin() -> Self {
        Self(AS_RECEIVED.with(|flag| flag.replace(true)))
    }
}

impl Drop for AsReceived {
    fn drop(&mut self) {
        AS_RECEIVED.with(|flag| flag.set(self.0));
    }
}

fn as_received() -> bool {
    AS_RECEIVED.with(Cell::get)
}

/// Writes a read-only property (`id`, `createdDateTime`, …): never in a request body, but
/// in an export [`to_json_as_received`] makes.
pub fn read_only_property<M: SerializeMap, T: PropertyValue>(
    map: &mut M,
    json_name: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    if as_received() {
        property(map, json_name, value)
    } else {
        Ok(())
    }
}

/// Encodes a decoded entity (or family, or anything holding them) with every member it was
/// received with: its read-only properties (`id`, `createdDateTime`, …) included, which
/// [`to_json`](crate::to_json), the request encoder, leaves out, and the members its type does
/// not declare. OData annotations (`@odata.context`, `@odata.etag`) are not kept by the
/// decoder, so they are not in the export. For exports and backups; a request body is what
/// `to_json` writes.
///
/// ```
/// # use graphwire_core::{graph_entity, from_json, to_json, to_json_as_received};
/// #[graph_entity(odata_type = "#microsoft.graph.sample")]
/// pub struct Sample {
///     pub id: Option<String>,
///     #[graph(read_only)]
///     pub created_date_time: Option<String>,
///     pub display_name: Option<String>,
/// }
/// let received = r#"{"id":"7","createdDateTime":"2024-01-01T00:00:00Z","displayName":"A","newMember":1}"#;
/// let sample: Sample = from_json(received).unwrap();
/// assert_eq!(
///     to_json(&sample).unwrap(),
///     r##"{"@odata.type":"#microsoft.graph.sample","displayName":"A","newMember":1}"##
/// );
/// assert_eq!(
///     to_json_as_received(&sample).unwrap(),
///     r##"{"@odata.type":"#microsoft.graph.sample","id":"7","createdDateTime":"2024-01-01T00:00:00Z","displayName":"A","newMember":1}"##
/// );
/// ```
pub fn to_json_as_received<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let _as_received = AsReceived::begin();
    serde_json::to_string(value)
}

/// [`to_json_as_received`] as a JSON value.
pub fn to_value_as_received<T: Serialize + ?Sized>(
    value: &T,
) -> Result<serde_json::Value, serde_json::Error> {
    let _as_received = AsReceived::begin();
    serde_json::to_value(value)
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
