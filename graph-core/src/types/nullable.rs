//! The tri-state of a nullable property in a PATCH body: absent, `null`, or a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that can be left out, cleared with an explicit `null`, or set.
///
/// Graph's PATCH is a merge: an absent property keeps its value and `null` clears it. Use
/// `Nullable<T>` for properties the schema marks nullable; `Option<T>` for the rest, where
/// `None` simply means "not sent".
///
/// ```
/// use graphwire_core::Nullable;
/// let cleared: Nullable<String> = Nullable::Null;
/// assert_eq!(serde_json::to_string(&cleared).unwrap(), "null");
/// assert_eq!(Nullable::from("x".to_string()).value(), Some(&"x".to_string()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not in the body: PATCH leaves the property unchanged.
    #[default]
    Absent,
    /// An explicit JSON `null`: PATCH clears the property.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if one is set.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Turns the value into an `Option`: absent and `null` both become `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    /// A `Nullable` of a reference to the value, keeping absent and `null` apart.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(v),
        }
    }

    /// The value through `Deref`, as `Option::as_deref` does: `Option<&str>` for a
    /// `Nullable<String>` (absent and `null` both `None`).
    ///
    /// ```
    /// use graphwire_core::Nullable;
    /// let description: Nullable<String> = Nullable::Value("kiosk".into());
    /// assert_eq!(description.as_deref().unwrap_or("-"), "kiosk");
    /// assert_eq!(Nullable::<String>::Null.as_deref().unwrap_or("-"), "-");
    /// ```
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.value().map(|v| &**v)
    }

    /// Maps the value, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(v) => Nullable::Value(f(v)),
        }
    }

    /// The value, or `default` when absent or `null`.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// The value, or `T::default()` when absent or `null`.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_option().unwrap_or_default()
    }

    /// True when the property is left out of the body.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// True when the property is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes an explicit `null`.
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(v) => v.serialize(serializer),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// A present member decodes to `Null` or `Value`; an absent one stays `Absent` (the default).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[test]
    fn readers_keep_absent_and_null_apart_where_they_return_a_nullable() {
        let set: Nullable<String> = "kiosk".to_owned().into();
        assert_eq!(set.as_ref(), Nullable::Value(&"kiosk".to_owned()));
        assert_eq!(Nullable::<String>::Null.as_ref(), Nullable::Null);
        assert_eq!(Nullable::<String>::Absent.as_ref(), Nullable::Absent);
        assert_eq!(set.clone().map(|s| s.len()), Nullable::Value(5));
        assert_eq!(Nullable::<String>::Null.map(|s| s.len()), Nullable::Null);
        assert_eq!(
            Nullable::<String>::Absent.map(|s| s.len()),
            Nullable::Absent
        );
        assert_eq!(set.as_deref(), Some("kiosk"));
        assert_eq!(Nullable::<String>::Absent.as_deref(), None);
        assert_eq!(set.clone().unwrap_or_default(), "kiosk");
        assert_eq!(Nullable::<String>::Null.unwrap_or("-".into()), "-");
        assert_eq!(Nullable::<i32>::Absent.unwrap_or_default(), 0);
        assert_eq!(set.into_option().as_deref(), Some("kiosk"));
    }
}
