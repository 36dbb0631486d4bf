//! OData query options, built with types and encoded once.

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters encoded in a query value: those that would end or split it, non-ASCII, and `'`
/// (which URL parsers encode in http(s) queries anyway, so the wire form is the same).
const VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'=')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// OData query options: `$select`, `$filter`, `$expand`, `$top`, `$skip`, `$orderby`,
/// `$count`, `$search`.
///
/// ```
/// use graphwire_core::Query;
/// let q = Query::new()
///     .select(["id", "displayName"])
///     .filter(format!("displayName eq {}", Query::literal("Bob's & Co")))
///     .top(5)
///     .count(true);
/// assert_eq!(
///     q.to_query_string(),
///     "$select=id,displayName&$filter=displayName%20eq%20%27Bob%27%27s%20%26%20Co%27&$top=5&$count=true"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    options: Vec<(&'static str, String)>,
}

impl Query {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    fn set(mut self, name: &'static str, value: String) -> Self {
        self.options.retain(|(n, _)| *n != name);
        self.options.push((name, value));
        self
    }

    /// `$select`: only these properties.
    pub fn select<I, S>(self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let list: Vec<String> = properties
            .into_iter()
            .map(|p| p.as_ref().to_owned())
            .collect();
        self.set("$select", list.join(","))
    }

    /// `$filter`: an OData filter expression (quote string literals with [`Query::literal`]).
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.set("$filter", expression.into())
    }

    /// `$expand`: related entities to include, e.g. `scheduledActionsForRule($expand=scheduledActionConfigurations)`.
    pub fn expand(self, expression: impl Into<String>) -> Self {
        self.set("$expand", expression.into())
    }

    /// `$orderby`.
    pub fn order_by(self, expression: impl Into<String>) -> Self {
        self.set("$orderby", expression.into())
    }

    /// `$search`.
    pub fn search(self, expression: impl Into<String>) -> Self {
        self.set("$search", expression.into())
    }

    /// `$top`: the page size.
    pub fn top(self, count: u32) -> Self {
        self.set("$top", count.to_string())
    }

    /// `$skip`.
    pub fn skip(self, count: u32) -> Self {
        self.set("$skip", count.to_string())
    }

    /// `$count`: ask for `@odata.count`.
    pub fn count(self, include: bool) -> Self {
        self.set("$count", include.to_string())
    }

    /// An OData string literal: quoted, with single quotes doubled.
    pub fn literal(text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    /// `later` merged onto the options set before, if any: what `.query(…)` on a call or a
    /// raw request does.
    pub(crate) fn merge_onto(earlier: Option<Query>, later: &Query) -> Query {
        match earlier {
            Some(earlier) => earlier.merged_with(later),
            None => later.clone(),
        }
    }

    /// These options with `other`'s added: an option `other` sets replaces the same option
    /// here (`$top` from `other` wins), the rest are kept.
    ///
    /// ```
    /// use graphwire_core::Query;
    /// let base = Query::new().select(["id"]).top(5);
    /// let merged = base.merged_with(&Query::new().top(10).filter("isAssigned eq true"));
    /// assert_eq!(merged.to_query_string(), "$select=id&$top=10&$filter=isAssigned%20eq%20true");
    /// ```
    pub fn merged_with(mut self, other: &Query) -> Self {
        for (name, value) in &other.options {
            if let Some(slot) = self.options.iter_mut().find(|(n, _)| n == name) {
                slot.1.clone_from(value);
            } else {
                self.options.push((name, value.clone()));
            }
        }
        self
    }

    /// True when no option is set.
    pub fn is_empty(&self) -> bool {
        self.options.is_empty()
    }

    /// The encoded query string, without the leading `?`.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        for (i, (name, value)) in self.options.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            let _ = write!(out, "{name}={}", utf8_percent_encode(value, VALUE));
        }
        out
    }
}
