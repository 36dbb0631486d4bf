//! The path template parser: a small state machine over `"/a/{x}/b('{y}')"`, run at compile time.

/// A parsed piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text sent as is.
    Literal(String),
    /// A placeholder; `quoted` when it stands inside OData key quotes `('…')`.
    Placeholder { name: String, quoted: bool },
}

impl Segment {
    pub fn placeholder_name(&self) -> Option<&str> {
        match self {
            Self::Placeholder { name, .. } => Some(name),
            Self::Literal(_) => None,
        }
    }
}

/// Parses a template, reporting every problem found (not just the first).
pub fn parse(template: &str) -> Result<Vec<Segment>, Vec<String>> {
    let mut errors = Vec::new();
    let mut segments = Vec::new();
    if !template.starts_with('/') {
        errors.push(format!(
            "the path must start with `/`, e.g. \"/{}\"",
            template.trim_start_matches('/')
        ));
    }
    if let Some(c) = template.chars().find(|c| matches!(c, '?' | '#')) {
        errors.push(format!(
            "the path contains `{c}`: query text does not belong in the template; take a `query: &Query` parameter instead"
        ));
    }
    let mut literal = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    if c == '{' {
                        break;
                    }
                    name.push(c);
                }
                if !closed {
                    errors.push(format!(
                        "unbalanced `{{` in the path: `{{{name}` is never closed with `}}`"
                    ));
                    break;
                }
                if name.is_empty() {
                    errors.push(
                        "empty placeholder `{}` in the path; name it, e.g. `{deviceCompliancePolicyId}`"
                            .into(),
                    );
                    continue;
                }
                if let Some(bad) = name
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
                {
                    errors.push(format!(
                        "placeholder `{{{name}}}` contains `{bad}`; names use letters, digits, `-` and `_`"
                    ));
                    continue;
                }
                if segments
                    .iter()
                    .any(|s: &Segment| s.placeholder_name() == Some(name.as_str()))
                {
                    errors.push(format!(
                        "placeholder `{{{name}}}` appears twice in the path"
                    ));
                    continue;
                }
                let quoted = literal.ends_with('\'') && chars.peek() == Some(&'\'');
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(Segment::Placeholder { name, quoted });
            }
            '}' => errors.push("unbalanced `}` in the path: no `{` opens it".into()),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    if errors.is_empty() {
        Ok(segments)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Segment {
        Segment::Literal(s.into())
    }
    fn ph(s: &str, quoted: bool) -> Segment {
        Segment::Placeholder {
            name: s.into(),
            quoted,
        }
    }

    #[test]
    fn valid_templates() {
        let ok: &[(&str, Vec<Segment>)] = &[
            ("/deviceManagement", vec![lit("/deviceManagement")]),
            ("/a/{aId}/b", vec![lit("/a/"), ph("aId", false), lit("/b")]),
            ("/a/{a-id}", vec![lit("/a/"), ph("a-id", false)]),
            (
                "/users('{id}')",
                vec![lit("/users('"), ph("id", true), lit("')")],
            ),
            ("/a/$count", vec![lit("/a/$count")]),
            (
                "/a/{x}/{y}",
                vec![lit("/a/"), ph("x", false), lit("/"), ph("y", false)],
            ),
        ];
        for (template, expected) in ok {
            assert_eq!(parse(template).as_ref(), Ok(expected), "{template}");
        }
    }

    #[test]
    fn invalid_templates_report_every_problem() {
        let bad: &[(&str, &[&str])] = &[
            ("a/b", &["the path must start with `/`, e.g. \"/a/b\""]),
            (
                "/a/{",
                &["unbalanced `{` in the path: `{` is never closed with `}`"],
            ),
            (
                "/a/{}",
                &["empty placeholder `{}` in the path; name it, e.g. `{deviceCompliancePolicyId}`"],
            ),
            ("/a/}", &["unbalanced `}` in the path: no `{` opens it"]),
            (
                "/a/{x}/{x}",
                &["placeholder `{x}` appears twice in the path"],
            ),
            (
                "/a?$top=1",
                &[
                    "the path contains `?`: query text does not belong in the template; take a `query: &Query` parameter instead",
                ],
            ),
            (
                "/a/{x y}",
                &["placeholder `{x y}` contains ` `; names use letters, digits, `-` and `_`"],
            ),
            (
                "/a/{}/}",
                &[
                    "empty placeholder `{}` in the path; name it, e.g. `{deviceCompliancePolicyId}`",
                    "unbalanced `}` in the path: no `{` opens it",
                ],
            ),
        ];
        for (template, expected) in bad {
            let errors = parse(template).unwrap_err();
            let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            assert_eq!(errors, expected, "{template}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4000, failure_persistence: None, ..Default::default() })]

        /// Fuzzing on the stable toolchain: any text either parses or gives messages, never a
        /// panic; what parses rebuilds to the same text.
        #[test]
        fn fuzz_templates(template in "[/a-zA-Z{}'?#$ _-]{0,40}") {
            match parse(&template) {
                Ok(segments) => {
                    let rebuilt: String = segments
                        .iter()
                        .map(|s| match s {
                            Segment::Literal(text) => text.clone(),
                            Segment::Placeholder { name, .. } => format!("{{{name}}}"),
                        })
                        .collect();
                    proptest::prop_assert_eq!(rebuilt, template);
                }
                Err(messages) => proptest::prop_assert!(!messages.is_empty()),
            }
        }
    }
}
