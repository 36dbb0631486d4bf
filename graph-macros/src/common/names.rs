//! Naming: Rust and Graph spellings of one name, and "did you mean" suggestions.

/// `pending_count` -> `pendingCount`.
pub fn snake_to_camel(snake: &str) -> String {
    let snake = snake.trim_start_matches("r#");
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
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

/// `deviceCompliancePolicyId` or `deviceCompliancePolicy-id` -> `device_compliance_policy_id`.
pub fn camel_to_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
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

/// `NotApplicable` -> `notApplicable`; `IOS` -> `iOS` (Graph lowers only the first letter).
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ", did you mean `x`?" or nothing.
pub fn suggestion(word: &str, candidates: &[&str]) -> String {
    did_you_mean(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let old = row[j + 1];
            row[j + 1] = (old + 1).min(row[j] + 1).min(prev + usize::from(ca != *cb));
            prev = old;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions() {
        assert_eq!(snake_to_camel("pending_count"), "pendingCount");
        assert_eq!(snake_to_camel("id"), "id");
        assert_eq!(snake_to_camel("r#type"), "type");
        assert_eq!(
            snake_to_camel("notification_message_cc_list"),
            "notificationMessageCcList"
        );
        assert_eq!(
            camel_to_snake("deviceCompliancePolicyId"),
            "device_compliance_policy_id"
        );
        assert_eq!(
            camel_to_snake("deviceCompliancePolicy-id"),
            "device_compliance_policy_id"
        );
        assert_eq!(camel_to_snake("id"), "id");
        assert_eq!(lower_first("IOS"), "iOS");
        assert_eq!(lower_first("NotApplicable"), "notApplicable");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("raed_only", &["read_only", "rename", "secret"]),
            Some("read_only")
        );
        assert_eq!(
            did_you_mean("xyz", &["read_only", "rename", "secret"]),
            None
        );
        assert_eq!(did_you_mean("PATHC", &["PATCH", "POST"]), Some("PATCH"));
    }
}
