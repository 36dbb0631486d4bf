//! Rust names for Graph names: deterministic, never a keyword, never two items with one name.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; a field or argument with such a name gets a trailing `_`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// `cloudPCs` -> `cloud_pcs`; `azureADDeviceId` -> `azure_ad_device_id`.
pub fn snake(name: &str) -> String {
    // heck splits `PCs` as `P`, `Cs`; Graph means an acronym's plural.
    let name = name.replace("PCs", "Pcs");
    let out = name.to_snake_case();
    if KEYWORDS.contains(&out.as_str()) {
        format!("{out}_")
    } else {
        out
    }
}

/// `deviceCompliancePolicy` -> `DeviceCompliancePolicy`; `macOSCompliancePolicy` -> `MacOsCompliancePolicy`.
pub fn upper_camel(name: &str) -> String {
    name.replace("PCs", "Pcs").to_upper_camel_case()
}

/// `CloudPc` -> `cloudPc`: the first letter lowered, the rule `#[graph_enum]` spells members
/// with (one implementation, in graphwire-naming).
pub fn lower_first(name: &str) -> String {
    graphwire_naming::variant_wire_name(name)
}

/// The enum variant for a member; `#[graph_enum]` writes a variant with its first letter lowered,
/// so `iOS` is `IOS` and `notApplicable` is `NotApplicable`.
pub fn variant(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The Rust variant of each member of an enum, and whether it needs `#[graph(rename)]`
/// (`#[graph_enum]` spells a variant on the wire with its first letter lowered).
/// A member that is no identifier becomes UpperCamel (`V…` when it starts with a digit); two
/// spellings of one member (`remoteControlSoftware`, `remote_Control_Software`) are told apart
/// by numbering the later one.
pub fn enum_variants(members: &[String]) -> Vec<(String, bool)> {
    let mut taken: Vec<String> = Vec::new();
    members
        .iter()
        .map(|m| {
            let v = variant(m);
            let valid = syn::parse_str::<syn::Ident>(&v).is_ok() && v != "Self" && !v.contains('_');
            let mut rust = if valid {
                v
            } else if m.starts_with(|c: char| c.is_ascii_alphabetic()) {
                upper_camel(m)
            } else {
                format!("V{}", upper_camel(m))
            };
            let mut n = 1;
            while taken.contains(&rust) {
                n += 1;
                rust = format!("{}{n}", rust.trim_end_matches(|c: char| c.is_ascii_digit()));
            }
            taken.push(rust.clone());
            let renamed = !valid || lower_first(&rust) != *m;
            (rust, renamed)
        })
        .collect()
}

/// The singular of a collection's snake name, by the plural forms Graph's names use:
/// `device_compliance_policies` -> `device_compliance_policy`, `device_statuses` -> `device_status`,
/// `device_startup_processes` -> `device_startup_process`.
pub fn singular(snake: &str) -> String {
    let (head, last) = match snake.rsplit_once('_') {
        Some((head, last)) => (Some(head), last),
        None => (None, snake),
    };
    let last = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if last.ends_with("sses") || last.ends_with("uses") {
        last[..last.len() - 2].to_owned()
    } else if last.ends_with("ss") || last.ends_with("us") || last.ends_with("is") {
        last.to_owned()
    } else if let Some(stem) = last.strip_suffix('s') {
        stem.to_owned()
    } else {
        last.to_owned()
    };
    match head {
        Some(head) => format!("{head}_{last}"),
        None => last,
    }
}

/// Microsoft's description as one doc line: whitespace collapsed, and the characters rustdoc
/// would read as links or HTML escaped.
pub fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if matches!(c, '[' | ']' | '<' | '>' | '*' | '`' | '#' | '|') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake("cloudPCs"), "cloud_pcs");
        assert_eq!(snake("azureADDeviceId"), "azure_ad_device_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(graphwire_naming::field_wire_name("type_"), "type");
        assert_eq!(
            graphwire_naming::field_wire_name("azure_ad_device_id"),
            "azureAdDeviceId"
        );
        assert_eq!(
            upper_camel("macOSCompliancePolicy"),
            "MacOsCompliancePolicy"
        );
        assert_eq!(variant("iOS"), "IOS");
        assert_eq!(
            singular("device_compliance_policies"),
            "device_compliance_policy"
        );
        assert_eq!(singular("device_statuses"), "device_status");
        assert_eq!(singular("startup_processes"), "startup_process");
        assert_eq!(
            singular("scheduled_actions_for_rule"),
            "scheduled_actions_for_rule"
        );
        assert_eq!(singular("cloud_pcs"), "cloud_pc");
        assert_eq!(
            singular("windows_malware_information"),
            "windows_malware_information"
        );
        assert_eq!(doc_text("a  [b]\n <c>"), "a \\[b\\] \\<c\\>");
        let members: Vec<String> = [
            "iOS",
            "remoteControlSoftware",
            "remote_Control_Software",
            "1x",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            enum_variants(&members),
            [
                ("IOS".to_owned(), false),
                ("RemoteControlSoftware".to_owned(), false),
                ("RemoteControlSoftware2".to_owned(), true),
                ("V1x".to_owned(), true),
            ]
        );
    }
}
