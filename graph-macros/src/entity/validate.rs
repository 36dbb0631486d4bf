//! Checks of an entity model that need the whole struct.

use std::collections::HashMap;

use super::model::EntityModel;
use crate::common::Errors;

/// `#namespace.Name`, e.g. `#microsoft.graph.deviceComplianceUserOverview`.
pub fn check_odata_type(value: &str) -> Result<(), String> {
    let Some(name) = value.strip_prefix('#') else {
        return Err(format!(
            "`odata_type` must start with `#`, as Graph writes it: did you mean `#{value}`?"
        ));
    };
    let segments: Vec<&str> = name.split('.').collect();
    let valid_segment = |s: &&str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if segments.len() < 2 || !segments.iter().all(valid_segment) {
        return Err(format!(
            "`odata_type` = `{value}` is not a qualified OData type name; expected `#namespace.typeName`, e.g. `#microsoft.graph.deviceComplianceUserOverview`"
        ));
    }
    Ok(())
}

pub fn validate(model: &EntityModel, errors: &mut Errors) {
    match &model.odata_type {
        None if model.args_malformed || model.parameters.is_some() => {}
        Some(lit) if model.parameters.is_some() => errors.at(
            lit,
            "an action's `parameters` object has no OData type; remove `odata_type` or `parameters`",
        ),
        None => errors.at(
            &model.ident,
            "#[graph_entity] needs `odata_type`, e.g. #[graph_entity(odata_type = \"#microsoft.graph.deviceComplianceUserOverview\")], or `parameters` for an action's parameter object",
        ),
        Some(lit) => {
            if let Err(message) = check_odata_type(&lit.value()) {
                errors.at(lit, message);
            }
        }
    }
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    let mut base_seen = false;
    for field in &model.fields {
        if field.ident == "additional_data" {
            errors.at(
                &field.ident,
                "`additional_data` is added by #[graph_entity] to keep unknown members; rename this field",
            );
        }
        if field.args.base.is_some() {
            if base_seen {
                errors.at(
                    &field.ident,
                    "only one field can be the `base`: Graph types have single inheritance",
                );
            }
            base_seen = true;
            if field.args.rename.is_some() || field.args.read_only.is_some() || field.args.secret {
                errors.at(
                    &field.ident,
                    "a `base` field holds the inherited properties and takes no other option",
                );
            }
            continue;
        }
        if let Some(first) = seen.insert(field.json_name.as_str(), &field.ident) {
            errors.push(syn::Error::new(
                field.name_span,
                format!(
                    "two fields have the JSON name `{}` (`{first}` and `{}`); give one a #[graph(rename = \"…\")]",
                    field.json_name, field.ident
                ),
            ));
        }
        if !is_optional(&field.ty) {
            errors.at(
                &field.ty,
                "a Graph property can be absent from any response ($select); declare it as Option<T>, or Nullable<T> to send an explicit null",
            );
        }
    }
}

/// `Option<…>` or `Nullable<…>` by their last path segment.
fn is_optional(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Option" || s.ident == "Nullable"),
        _ => false,
    }
}
