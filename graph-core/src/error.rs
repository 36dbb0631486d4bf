//! Errors.

use std::fmt;

/// A response body that does not match the declared type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    property: Option<String>,
    message: String,
}

impl DecodeError {
    pub(crate) fn from_path(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = error.path().to_string();
        let property = (path != ".").then_some(path);
        let inner = error.into_inner();
        Self {
            property,
            message: inner.to_string(),
        }
    }

    pub(crate) fn body(message: String) -> Self {
        Self {
            property: None,
            message,
        }
    }

    /// The path of the property that failed (`pendingCount`, `value[3].id`), if known.
    pub fn property(&self) -> Option<&str> {
        self.property.as_deref()
    }

    /// What was wrong, as the JSON decoder put it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.property {
            Some(property) => write!(
                f,
                "property `{property}` could not be decoded: {}",
                self.message
            ),
            None => write!(f, "response body could not be decoded: {}", self.message),
        }
    }
}
