//! Request bodies checked against the declared entity types, as Graph's OData layer does.

use graphwire_core::DateTimeOffset;
use graphwire_core::meta::{Edm, EntityMeta};
use serde_json::Value;

/// Checks `body` against `declared` (or the subtype its `@odata.type` names). The error names
/// the property and what was expected.
pub fn check_object(
    body: &Value,
    declared: &'static EntityMeta,
    path: &str,
) -> Result<&'static EntityMeta, String> {
    let Value::Object(members) = body else {
        return Err(format!(
            "{}: expected a JSON object of type {}",
            where_(path),
            declared.type_name()
        ));
    };
    let meta = match members.get("@odata.type").and_then(Value::as_str) {
        Some(name) => match EntityMeta::find(name) {
            Some(meta) if meta.derives_from(declared) => meta,
            Some(_) => {
                return Err(format!(
                    "{}: type '{}' is not compatible with '{}'",
                    where_(path),
                    name.trim_start_matches('#'),
                    declared.type_name()
                ));
            }
            None => {
                return Err(format!(
                    "{}: unknown type '{}'",
                    where_(path),
                    name.trim_start_matches('#')
                ));
            }
        },
        None => declared,
    };
    for (name, value) in members {
        if name.contains('@') {
            continue;
        }
        let property = meta.property(name).ok_or_else(|| {
            format!(
                "Property '{name}' does not exist on type '{}'",
                meta.type_name()
            )
        })?;
        if value.is_null() {
            continue;
        }
        check_value(value, property.kind, &join(path, name))?;
    }
    Ok(meta)
}

fn check_value(value: &Value, kind: Edm, path: &str) -> Result<(), String> {
    let expected = |what: &str| {
        Err(format!(
            "Property '{path}': expected {what}, got {}",
            show(value)
        ))
    };
    match kind {
        Edm::String | Edm::Guid => value
            .is_string()
            .then_some(())
            .map_or_else(|| expected("a string"), Ok),
        Edm::Boolean => value
            .is_boolean()
            .then_some(())
            .map_or_else(|| expected("true or false"), Ok),
        Edm::Int32 => match value.as_i64() {
            Some(n) if i32::try_from(n).is_ok() => Ok(()),
            Some(_) => expected("an Int32 (-2147483648 to 2147483647)"),
            None => expected("an Int32"),
        },
        Edm::Int64 => match value {
            Value::Number(n) if n.is_i64() => Ok(()),
            Value::String(s) if s.parse::<i64>().is_ok() => Ok(()),
            _ => expected("an Int64"),
        },
        Edm::Double => value
            .is_number()
            .then_some(())
            .map_or_else(|| expected("a number"), Ok),
        Edm::DateTimeOffset => match value.as_str().map(str::parse::<DateTimeOffset>) {
            Some(Ok(_)) => Ok(()),
            _ => expected("a DateTimeOffset such as 2016-12-31T23:58:21.6459442-08:00"),
        },
        Edm::Enum(meta) => match value.as_str() {
            Some(member) if meta.members.contains(&member) => Ok(()),
            _ => expected(&format!("one of {}", meta.members.join(", "))),
        },
        Edm::Object(meta) => check_object(value, meta, path).map(|_| ()),
        Edm::Collection(element) => match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| check_value(item, element(), &format!("{path}[{i}]"))),
            _ => expected("an array"),
        },
        Edm::Json => Ok(()),
    }
}

fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn where_(path: &str) -> String {
    if path.is_empty() {
        "The request body".to_owned()
    } else {
        format!("Property '{path}'")
    }
}
