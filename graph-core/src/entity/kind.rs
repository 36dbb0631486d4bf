//! The Graph kind of a property's Rust type, read at compile time into the metadata.

use crate::meta::Edm;
use crate::types::{DateTimeOffset, Guid, Int64, Nullable};

/// A Rust type that can be a Graph property: it says which Graph (EDM) kind it is.
///
/// The macros implement it for every `#[graph_entity]`, `#[graph_enum]` and
/// `#[graph_polymorphic]` type, and `graph_id!` for typed ids. Implement it yourself only for
/// a hand-written type that (de)serializes as one of these kinds.
///
/// ```
/// use graphwire_core::entity::PropertyKind;
/// use graphwire_core::meta::Edm;
///
/// /// A hand-written wrapper that travels as a string.
/// pub struct Tag(pub String);
/// impl PropertyKind for Tag {
///     const KIND: Edm = Edm::String;
/// }
/// assert!(matches!(<Option<Tag> as PropertyKind>::KIND, Edm::String));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Graph property type",
    note = "use a Graph primitive (String, bool, i32, Int64, f64, Guid, DateTimeOffset), a #[graph_enum], a #[graph_entity], a typed id, or a Vec of them, inside Option<T> or Nullable<T>"
)]
pub trait PropertyKind {
    /// The kind.
    const KIND: Edm;
}

/// The kind of `T`, as a function pointer (usable in `const` metadata for collections).
pub fn kind_of<T: PropertyKind>() -> Edm {
    T::KIND
}

macro_rules! primitive_kinds {
    ($($ty:ty => $kind:ident),* $(,)?) => {
        $(impl PropertyKind for $ty { const KIND: Edm = Edm::$kind; })*
    };
}

primitive_kinds! {
    String => String,
    bool => Boolean,
    i32 => Int32,
    u8 => Int32,
    Int64 => Int64,
    f64 => Double,
    Guid => Guid,
    DateTimeOffset => DateTimeOffset,
    serde_json::Value => Json,
}

impl<T: PropertyKind> PropertyKind for Option<T> {
    const KIND: Edm = T::KIND;
}

impl<T: PropertyKind> PropertyKind for Nullable<T> {
    const KIND: Edm = T::KIND;
}

/// A boxed property: a type that holds itself (`groupPolicyDefinition/nextVersionDefinition`).
/// Its metadata says only "JSON": naming the type would make the type's metadata hold itself,
/// which a constant cannot.
impl<T: PropertyKind> PropertyKind for Box<T> {
    const KIND: Edm = Edm::Json;
}

impl<T: PropertyKind> PropertyKind for Vec<T> {
    const KIND: Edm = Edm::Collection(kind_of::<T>);
}
