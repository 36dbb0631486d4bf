//! The OData query options a request carries (`$select`, `$filter`, `$orderby`, `$top`,
//! `$skiptoken`, `$count`, `$expand`), decoded once.

use graphwire_core::meta::EntityMeta;
use serde_json::Value;

use crate::filter::Filter;

/// Decoded query options.
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| {
                url::form_urlencoded::parse(q.replace('+', "%2B").as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        Self { pairs }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The options other than `names`.
    pub fn without(&self, names: &[&str]) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| !names.contains(&k.as_str()))
            .cloned()
            .collect()
    }

    /// A whole-number option (`$top`, `$skip`, and `$skiptoken` as the emulator writes it):
    /// absent, a non-negative integer, or Graph's 400 message for anything else (`-1`, `abc`,
    /// `1e12`).
    pub fn whole_number(&self, name: &str) -> Result<Option<usize>, String> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "Invalid value '{text}' for query option '{name}': a non-negative integer is expected."
            ));
        }
        text.parse::<usize>().map(Some).map_err(|_| {
            format!("Invalid value '{text}' for query option '{name}': the number is too large.")
        })
    }

    /// `$filter`, parsed for items of `meta` ([`Filter`]); `None` when there is none.
    pub fn filter(&self, meta: &'static EntityMeta) -> Result<Option<Filter>, String> {
        self.get("$filter")
            .map(|text| Filter::parse(text, meta))
            .transpose()
    }
}

/// One `$orderby` key: a property, descending or not.
#[derive(Debug, PartialEq)]
pub struct OrderKey {
    pub property: String,
    pub descending: bool,
}

impl Query {
    /// `$orderby=name [asc|desc], …`.
    pub fn order_by(&self) -> Result<Vec<OrderKey>, String> {
        let Some(text) = self.get("$orderby") else {
            return Ok(Vec::new());
        };
        text.split(',')
            .map(|clause| {
                let mut words = clause.split_whitespace();
                let property = words.next().filter(|p| !p.is_empty());
                let direction = words.next();
                match (property, direction, words.next()) {
                    (Some(property), None | Some("asc") | Some("desc"), None) => Ok(OrderKey {
                        property: property.to_owned(),
                        descending: direction == Some("desc"),
                    }),
                    _ => Err(format!(
                        "Invalid $orderby clause: `{}`; expected `property [asc|desc]`.",
                        clause.trim()
                    )),
                }
            })
            .collect()
    }
}

/// Orders two JSON values as OData does for `$orderby`: null first, then by value (numbers
/// numerically, strings by code point, false before true).
pub fn compare_values(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let rank = |v: Option<&Value>| match v {
        None | Some(Value::Null) => 0,
        Some(Value::Bool(_)) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::String(_)) => 3,
        Some(_) => 4,
    };
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn orders() {
        let q = Query::parse(Some("$orderby=displayName%20desc,version"));
        assert_eq!(
            q.order_by(),
            Ok(vec![
                OrderKey {
                    property: "displayName".into(),
                    descending: true
                },
                OrderKey {
                    property: "version".into(),
                    descending: false
                },
            ])
        );
        let q = Query::parse(Some("$orderby=displayName sideways"));
        assert_eq!(
            q.order_by(),
            Err(
                "Invalid $orderby clause: `displayName sideways`; expected `property [asc|desc]`."
                    .into()
            )
        );
        use std::cmp::Ordering;
        assert_eq!(compare_values(None, Some(&json!("a"))), Ordering::Less);
        assert_eq!(
            compare_values(Some(&json!(10)), Some(&json!(9))),
            Ordering::Greater
        );
        assert_eq!(
            compare_values(Some(&json!("B")), Some(&json!("a"))),
            Ordering::Less
        );
    }
}
