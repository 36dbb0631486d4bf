//! The hand-written overlay (`graph-intune/overlay.json`): what the metadata cannot say about
//! the live service. Regeneration reads it and never writes it.

use std::collections::BTreeMap;

use serde_json::Value;

/// Notes and test adjustments, keyed by `METHOD template` as generated
/// (`POST /deviceManagement/deviceCompliancePolicies`).
#[derive(Debug, Default)]
pub struct Overlay {
    /// A paragraph added to the method's documentation (known service problems).
    pub notes: BTreeMap<String, String>,
    /// A function (path) the end-to-end test passes the request body through before sending,
    /// where the service has a rule the metadata cannot express.
    pub e2e_body_through: BTreeMap<String, String>,
    /// Property names the service sets on every type that has them, though the metadata does
    /// not annotate them as computed (`createdDateTime`): written `#[graph(read_only)]`.
    pub service_set: Vec<String>,
    /// Snake words naming the resource at a template instead of its path's words (and so
    /// the start of every method name below it), where those make names over the limit.
    pub short_names: BTreeMap<String, String>,
    /// The singletons everything is reached from, in order (`deviceManagement`,
    /// `deviceAppManagement`): the first one's own endpoints are methods of `Intune`.
    pub roots: Vec<String>,
    /// The SDK's pairs we do not generate (`sdk_differences.sdk_only`): pair -> reason.
    pub sdk_only: BTreeMap<String, String>,
}

impl Overlay {
    /// Reads `overlay.json`.
    pub fn parse(json: &str) -> Result<Self, String> {
        let root: Value = serde_json::from_str(json).map_err(|e| format!("overlay.json: {e}"))?;
        let table = |key: &str| -> Result<BTreeMap<String, String>, String> {
            let Some(object) = root.get(key) else {
                return Ok(BTreeMap::new());
            };
            let object = object
                .as_object()
                .ok_or_else(|| format!("overlay.json: `{key}` is not an object"))?;
            object
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|s| (k.clone(), s.to_owned()))
                        .ok_or_else(|| format!("overlay.json: `{key}.{k}` is not a string"))
                })
                .collect()
        };
        let strings = |key: &str| -> Result<Vec<String>, String> {
            match root.get(key) {
                None => Ok(Vec::new()),
                Some(list) => list
                    .as_array()
                    .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect())
                    .ok_or_else(|| format!("overlay.json: `{key}` is not a list of strings")),
            }
        };
        Ok(Self {
            notes: table("notes")?,
            e2e_body_through: table("e2e_body_through")?,
            service_set: strings("service_set")?,
            short_names: table("short_names")?,
            roots: strings("roots")?,
            sdk_only: match root.get("sdk_differences").and_then(|d| d.get("sdk_only")) {
                None => BTreeMap::new(),
                Some(object) => object
                    .as_object()
                    .ok_or("overlay.json: `sdk_differences.sdk_only` is not an object")?
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect(),
            },
        })
    }

    /// Keys that name no generated endpoint (a stale overlay entry is an error, not a no-op).
    pub fn unknown_keys<'a>(&'a self, known: &[String]) -> Vec<&'a str> {
        self.notes
            .keys()
            .chain(self.e2e_body_through.keys())
            .filter(|k| !known.contains(k))
            .map(String::as_str)
            .collect()
    }
}
