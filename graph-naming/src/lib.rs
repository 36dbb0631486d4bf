//! The naming rules graphwire's macros and its generator share.
//!
//! `#[graph_entity]` spells a field on the wire with [`field_wire_name`], `#[graph_endpoint]`
//! binds a placeholder to the argument named by [`placeholder_argument`], and `#[graph_enum]`
//! spells a variant with [`variant_wire_name`]. The generator (`graph-codegen`) calls the same
//! functions to decide when a declaration needs an explicit `rename`: one implementation, so
//! the two cannot drift and change the wire silently.
//!
//! ```
//! use graphwire_naming::{field_wire_name, placeholder_argument, variant_wire_name};
//! assert_eq!(field_wire_name("pending_count"), "pendingCount");
//! assert_eq!(placeholder_argument("deviceCompliancePolicy-id"), "device_compliance_policy_id");
//! assert_eq!(variant_wire_name("IOS"), "iOS");
//! ```

/// How a field is spelled on the wire: `pending_count` -> `pendingCount`. A raw identifier's
/// `r#` and a trailing `_` (written to avoid a keyword: `type_`) are not part of the name.
pub fn field_wire_name(field: &str) -> String {
    let field = field.trim_start_matches("r#");
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The argument a path placeholder binds: `deviceCompliancePolicyId` and
/// `deviceCompliancePolicy-id` (the OpenAPI spelling) both bind `device_compliance_policy_id`.
pub fn placeholder_argument(placeholder: &str) -> String {
    let mut out = String::with_capacity(placeholder.len() + 4);
    for c in placeholder.chars() {
        if c == '-' || c == '_' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else if c.is_uppercase() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// How an enum variant is spelled on the wire: its first letter lowered (`NotApplicable` ->
/// `notApplicable`, `IOS` -> `iOS`), as Graph writes members.
pub fn variant_wire_name(variant: &str) -> String {
    let mut chars = variant.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        assert_eq!(field_wire_name("pending_count"), "pendingCount");
        assert_eq!(field_wire_name("id"), "id");
        assert_eq!(field_wire_name("r#type"), "type");
        assert_eq!(field_wire_name("type_"), "type");
        assert_eq!(field_wire_name("azure_ad_device_id"), "azureAdDeviceId");
        assert_eq!(
            field_wire_name("notification_message_cc_list"),
            "notificationMessageCcList"
        );
    }

    #[test]
    fn placeholder_arguments() {
        assert_eq!(
            placeholder_argument("deviceCompliancePolicyId"),
            "device_compliance_policy_id"
        );
        assert_eq!(
            placeholder_argument("deviceCompliancePolicy-id"),
            "device_compliance_policy_id"
        );
        assert_eq!(placeholder_argument("cloudPcId"), "cloud_pc_id");
        assert_eq!(placeholder_argument("id"), "id");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_wire_name("IOS"), "iOS");
        assert_eq!(variant_wire_name("NotApplicable"), "notApplicable");
        assert_eq!(variant_wire_name(""), "");
    }
}
