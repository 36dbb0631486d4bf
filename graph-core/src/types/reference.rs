//! `$ref` bodies: which entity a navigation property points to.

use serde::{Deserialize, Serialize};

/// What a `$ref` path answers with and takes: the `@odata.id` (the absolute URL) of the
/// entity a navigation property points to, as
/// `{"@odata.id": "https://graph.microsoft.com/v1.0/deviceManagement/deviceCategories/…"}`.
///
/// Build one for the client's cloud with
/// [`GraphClient::reference_to`](crate::GraphClient::reference_to).
///
/// ```
/// use graphwire_core::Reference;
/// let reference = Reference::new("https://graph.microsoft.com/v1.0/deviceManagement/deviceCategories/7");
/// assert_eq!(
///     graphwire_core::to_json(&reference).unwrap(),
///     r#"{"@odata.id":"https://graph.microsoft.com/v1.0/deviceManagement/deviceCategories/7"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "@odata.id")]
    odata_id: String,
}

impl Reference {
    /// A reference to the entity at this absolute URL.
    pub fn new(odata_id: impl Into<String>) -> Self {
        Self {
            odata_id: odata_id.into(),
        }
    }

    /// The entity's URL, as the service wrote it.
    pub fn odata_id(&self) -> &str {
        &self.odata_id
    }
}
