//! The OData query options a request carries (`$select`, `$filter`, `$top`, `$skiptoken`,
//! `$count`, `$expand`), decoded once.

use serde_json::{Value, json};

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

    pub fn without(&self, name: &str) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| k != name)
            .cloned()
            .collect()
    }

    /// `$filter=name eq value` (string in quotes, number, true/false).
    pub fn filter(&self) -> Result<Option<(String, Value)>, String> {
        let Some(text) = self.get("$filter") else {
            return Ok(None);
        };
        let invalid = || {
            format!("Invalid filter clause: `{text}`; the emulator supports `property eq value`.")
        };
        let mut parts = text.splitn(3, ' ');
        let (Some(name), Some("eq"), Some(literal)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let value = if let Some(inner) = literal
            .strip_prefix('\'')
            .and_then(|l| l.strip_suffix('\''))
        {
            json!(inner.replace("''", "'"))
        } else {
            serde_json::from_str(literal).map_err(|_| invalid())?
        };
        Ok(Some((name.to_owned(), value)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn filters() {
        let q = Query::parse(Some("$filter=displayName%20eq%20%27O%27%27Neil%27"));
        assert_eq!(
            q.filter(),
            Ok(Some(("displayName".into(), json!("O'Neil"))))
        );
        let q = Query::parse(Some("$filter=version eq 7"));
        assert_eq!(q.filter(), Ok(Some(("version".into(), json!(7)))));
        let q = Query::parse(Some("$filter=startswith(a,'b')"));
        assert!(q.filter().is_err());
    }
}
