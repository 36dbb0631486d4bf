//! Typed entity keys: a policy id is not an assignment id.

/// Declares a typed key for an entity: a string newtype that serializes as a plain string and
/// can be used as a path segment of an endpoint.
///
/// ```
/// graphwire_core::graph_id! {
///     /// Key of a compliance policy.
///     pub struct PolicyId;
/// }
/// let id = PolicyId::from("abc");
/// assert_eq!(id.as_str(), "abc");
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"abc\"");
/// // `Deref<Target = str>`: an `Option<PolicyId>` reads as an `Option<&str>`.
/// let read: Option<PolicyId> = Some(id);
/// assert_eq!(read.as_deref(), Some("abc"));
/// assert_eq!(read.as_deref().unwrap_or("-").len(), 3);
/// assert_eq!(format!("{}", read.unwrap()), "abc");
/// ```
#[macro_export]
macro_rules! graph_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        $vis struct $name(::std::string::String);

        impl $name {
            /// Wraps a key as the service gave it.
            pub fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(id.into())
            }
            /// The key as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}({:?})", ::std::stringify!($name), self.0)
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self { Self(id.into()) }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(id: ::std::string::String) -> Self { Self(id) }
        }
        impl ::std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str { &self.0 }
        }
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(d).map(Self)
            }
        }
        impl $crate::path::PathSegment for $name {
            fn path_segment(&self) -> &str { &self.0 }
        }
        impl $crate::entity::PropertyKind for $name {
            const KIND: $crate::meta::Edm = $crate::meta::Edm::String;
        }
    };
}
