//! Type and endpoint metadata as plain data, readable at run time (by the emulator, by
//! coverage tests, by tools) without any hand-written list.

/// The Graph (EDM) kind of a property, derived from its Rust type at compile time.
#[derive(Debug, Clone, Copy)]
pub enum Edm {
    /// `Edm.String` (and typed keys).
    String,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Int32`.
    Int32,
    /// `Edm.Int64`: a number, or a string of digits.
    Int64,
    /// `Edm.Double`.
    Double,
    /// `Edm.Guid`.
    Guid,
    /// `Edm.DateTimeOffset`.
    DateTimeOffset,
    /// A Graph enum: its name string.
    Enum(&'static EnumMeta),
    /// An entity or complex type: a JSON object.
    Object(&'static EntityMeta),
    /// A collection of the returned kind.
    Collection(fn() -> Edm),
    /// Any JSON value.
    Json,
}

/// What a `#[graph_entity]` declared.
#[derive(Debug)]
pub struct EntityMeta {
    /// The Rust type name.
    pub rust_name: &'static str,
    /// The OData type, e.g. `#microsoft.graph.deviceComplianceUserOverview`.
    pub odata_type: &'static str,
    /// The base type whose properties this one inherits.
    pub base: Option<&'static EntityMeta>,
    /// The type's own properties, in declaration order.
    pub properties: &'static [PropertyMeta],
}

impl EntityMeta {
    /// Every property, inherited ones first.
    pub fn all_properties(&self) -> Vec<&'static PropertyMeta> {
        let mut all = self
            .base
            .map(EntityMeta::all_properties)
            .unwrap_or_default();
        all.extend(self.properties.iter());
        all
    }

    /// A property by its JSON name, searching base types too.
    pub fn property(&self, json_name: &str) -> Option<&'static PropertyMeta> {
        self.properties
            .iter()
            .find(|p| p.json_name == json_name)
            .or_else(|| self.base.and_then(|b| b.property(json_name)))
    }

    /// The OData type name without the leading `#`.
    pub fn type_name(&self) -> &'static str {
        self.odata_type.trim_start_matches('#')
    }
}

/// One property of an entity.
#[derive(Debug)]
pub struct PropertyMeta {
    /// The JSON member name.
    pub json_name: &'static str,
    /// Its Graph kind.
    pub kind: Edm,
    /// Decoded from responses but never sent.
    pub read_only: bool,
    /// Redacted in `Debug`.
    pub secret: bool,
}

/// What a `#[graph_enum]` declared.
#[derive(Debug)]
pub struct EnumMeta {
    /// The Rust type name.
    pub rust_name: &'static str,
    /// The member names as Graph spells them.
    pub members: &'static [&'static str],
}
