//! `Edm.Int64`: a JSON number on the wire, but accepted as a string too.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Graph's `Edm.Int64`.
///
/// Graph answers with numbers, but a client that asks for `IEEE754Compatible=true` gets
/// strings; both decode. It always encodes as a number.
///
/// ```
/// use graphwire_core::Int64;
/// let a: Int64 = serde_json::from_str("9007199254740993").unwrap();
/// let b: Int64 = serde_json::from_str("\"9007199254740993\"").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(serde_json::to_string(&a).unwrap(), "9007199254740993");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Int64(pub i64);

impl From<i64> for Int64 {
    fn from(value: i64) -> Self {
        Self(value)
    }
}

impl From<Int64> for i64 {
    fn from(value: Int64) -> Self {
        value.0
    }
}

impl fmt::Display for Int64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Int64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an Int64 as a JSON number or a string of digits")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Int64, E> {
                Ok(Int64(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Int64, E> {
                i64::try_from(v)
                    .map(Int64)
                    .map_err(|_| E::custom(format_args!("Int64 out of range: {v}")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Int64, E> {
                v.trim()
                    .parse()
                    .map(Int64)
                    .map_err(|_| E::custom(format_args!("invalid Int64 string `{v}`")))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_overflow_and_junk() {
        let err = serde_json::from_str::<Int64>("9223372036854775808").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Int64 out of range: 9223372036854775808 at line 1 column 19"
        );
        let err = serde_json::from_str::<Int64>("\"12a\"").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Int64 string `12a` at line 1 column 5"
        );
        let err = serde_json::from_str::<Int64>("1.5").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid type: floating point `1.5`, expected an Int64")
        );
    }

    #[test]
    fn negative_string() {
        assert_eq!(
            serde_json::from_str::<Int64>("\"-42\"").unwrap(),
            Int64(-42)
        );
    }
}
