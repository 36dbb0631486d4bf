//! Graph enums: member-name strings with a catch-all that keeps values this crate does not know.

use std::fmt;

use serde::de::{self, Deserializer};

use crate::meta::EnumMeta;

/// A type declared with `#[graph_enum]`.
pub trait GraphEnum: Sized {
    /// The declared members.
    const META: &'static EnumMeta;

    /// The member name as Graph spells it (the original text for an unknown member).
    fn as_graph_str(&self) -> &str;

    /// The member for a name; unknown names become the catch-all variant.
    fn from_graph_str(name: &str) -> Self;
}

/// Deserializes a Graph enum from its member name.
pub fn deserialize_enum<'de, D: Deserializer<'de>, T: GraphEnum>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<T: GraphEnum> de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} member name", T::META.rust_name)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from_graph_str(v))
        }
    }
    deserializer.deserialize_str(Visitor(std::marker::PhantomData))
}
