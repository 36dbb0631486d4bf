//! The permissions map behind Graph Explorer: which scopes allow which method on which path,
//! least privileged first, delegated and application separately.

use std::collections::BTreeMap;

use serde_json::Value;

/// The scopes for one method on one path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// Delegated (work or school) scopes.
    pub delegated: Vec<String>,
    /// Application roles.
    pub application: Vec<String>,
}

impl Scopes {
    /// Neither kind lists a scope.
    pub fn is_empty(&self) -> bool {
        self.delegated.is_empty() && self.application.is_empty()
    }
}

/// Where an endpoint's scopes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The map lists this method on this path.
    Exact,
    /// The map lists this method on the same path without its cast segments
    /// (`…/mobileApps/{id}/contentVersions` for `…/mobileApps/{id}/microsoft.graph.win32LobApp/
    /// contentVersions`): a cast reads the same resource.
    Uncast,
    /// The map lacks the path: the scopes of the nearest ancestor path it lists for the same
    /// method (for `$count`, the collection's GET).
    Ancestor,
    /// Nothing on the path or any ancestor.
    Missing,
}

/// One scope as listed for a path: whether it is marked least privileged for each scheme.
#[derive(Debug, Clone)]
struct Grant {
    scope: String,
    delegated: bool,
    application: bool,
    least_delegated: bool,
    least_application: bool,
}

/// `permissions.json`, indexed by method and path.
#[derive(Debug, Default)]
pub struct PermissionMap {
    /// (METHOD, lower-case path with `{id}` keys) -> grants.
    grants: BTreeMap<(String, String), Vec<Grant>>,
}

impl PermissionMap {
    /// Reads the map.
    pub fn parse(json: &str) -> Result<Self, String> {
        let root: Value =
            serde_json::from_str(json).map_err(|e| format!("permissions.json: {e}"))?;
        let scopes = root
            .get("permissions")
            .and_then(Value::as_object)
            .ok_or("permissions.json has no `permissions` object")?;
        let mut map = Self::default();
        for (scope, entry) in scopes {
            let Some(path_sets) = entry.get("pathSets").and_then(Value::as_array) else {
                continue;
            };
            for set in path_sets {
                let strings = |key: &str| -> Vec<String> {
                    set.get(key)
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let schemes = strings("schemeKeys");
                let delegated = schemes.iter().any(|s| s == "DelegatedWork");
                let application = schemes.iter().any(|s| s == "Application");
                let Some(paths) = set.get("paths").and_then(Value::as_object) else {
                    continue;
                };
                for method in strings("methods") {
                    for (path, marker) in paths {
                        let least = marker
                            .as_str()
                            .and_then(|m| {
                                m.split(';').find_map(|p| p.trim().strip_prefix("least="))
                            })
                            .unwrap_or("");
                        map.grants
                            .entry((method.to_uppercase(), normalize(path)))
                            .or_default()
                            .push(Grant {
                                scope: scope.clone(),
                                delegated,
                                application,
                                least_delegated: delegated && least.contains("DelegatedWork"),
                                least_application: application && least.contains("Application"),
                            });
                    }
                }
            }
        }
        Ok(map)
    }

    /// The scopes for `method` on `path` (written as [`crate::surface::Endpoint::permission_path`]).
    ///
    /// The rule for a pair the map lacks: `$count` takes its collection's GET; otherwise the
    /// same path's scopes for another method of the same kind (reads are GET; writes are POST,
    /// PATCH, PUT, DELETE), then the nearest ancestor path's, then those of paths below it (a
    /// resource's own actions), and only then the singleton's. A path with a cast segment
    /// (`microsoft.graph.…`) first takes what the map lists for it without the casts.
    pub fn scopes(&self, method: &str, path: &str) -> (Scopes, Source) {
        if !self
            .grants
            .contains_key(&(method.to_owned(), path.to_owned()))
            && path.contains("/microsoft.graph.")
        {
            let uncast = crate::surface::without_casts(path);
            // (A namespaced operation, `microsoft.graph.deviceManagement.…`, is no cast.)
            if uncast != path
                && let (scopes, Source::Exact) = self.scopes(method, &uncast)
            {
                return (scopes, Source::Uncast);
            }
        }
        if let Some(collection) = path.strip_suffix("/$count")
            && let Some(grants) = self.grants.get(&("GET".to_owned(), collection.to_owned()))
        {
            return (ordered(grants), Source::Ancestor);
        }
        if let Some(grants) = self.grants.get(&(method.to_owned(), path.to_owned())) {
            return (ordered(grants), Source::Exact);
        }
        let path = path.strip_suffix("/$count").unwrap_or(path);
        let write = method != "GET";
        let same_kind = |m: &str| (m != "GET") == write;
        let at = |p: &str| -> Vec<Grant> {
            self.grants
                .iter()
                .filter(|((m, q), _)| q == p && same_kind(m))
                .flat_map(|(_, g)| g.iter().cloned())
                .collect()
        };
        let root = path
            .split('/')
            .nth(1)
            .map(|r| format!("/{r}"))
            .unwrap_or_default();
        let mut candidate = path.to_owned();
        loop {
            if candidate != root || path == root {
                let grants = at(&candidate);
                if !grants.is_empty() {
                    return (ordered(&grants), Source::Ancestor);
                }
            }
            match candidate.rsplit_once('/') {
                Some((parent, _)) if parent.len() > root.len() => candidate = parent.to_owned(),
                _ => break,
            }
        }
        let below: Vec<Grant> = self
            .grants
            .iter()
            .filter(|((m, q), _)| same_kind(m) && q.starts_with(&format!("{path}/")))
            .flat_map(|(_, g)| g.iter().cloned())
            .collect();
        if !below.is_empty() {
            return (ordered(&below), Source::Ancestor);
        }
        let grants = at(&root);
        if grants.is_empty() {
            (Scopes::default(), Source::Missing)
        } else {
            (ordered(&grants), Source::Ancestor)
        }
    }
}

/// Lower case, every `{…}` as `{id}`, function arguments dropped: how the map writes a path.
pub fn normalize(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        let segment = segment.split('(').next().unwrap_or(segment);
        if segment.starts_with('{') {
            out.push_str("{id}");
        } else {
            out.push_str(&segment.to_lowercase());
        }
    }
    out
}

/// Least privileged first; then read-only scopes before read-write ones; then by name.
fn ordered(grants: &[Grant]) -> Scopes {
    let rank = |least: bool, scope: &str| (!least, scope.contains("ReadWrite"), scope.to_owned());
    let mut delegated: Vec<_> = grants
        .iter()
        .filter(|g| g.delegated)
        .map(|g| rank(g.least_delegated, &g.scope))
        .collect();
    let mut application: Vec<_> = grants
        .iter()
        .filter(|g| g.application)
        .map(|g| rank(g.least_application, &g.scope))
        .collect();
    delegated.sort();
    application.sort();
    let names = |v: Vec<(bool, bool, String)>| {
        let mut out: Vec<String> = Vec::new();
        for (_, _, s) in v {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    };
    Scopes {
        delegated: names(delegated),
        application: names(application),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = r#"{"permissions": {
        "DeviceManagementConfiguration.Read.All": {"pathSets": [{"schemeKeys": ["DelegatedWork", "Application"], "methods": ["GET"],
            "paths": {"/devicemanagement/devicecompliancepolicies/{id}/userstatusoverview": "least=DelegatedWork,Application"}}]},
        "DeviceManagementConfiguration.ReadWrite.All": {"pathSets": [{"schemeKeys": ["DelegatedWork", "Application"], "methods": ["GET", "PATCH"],
            "paths": {"/devicemanagement/devicecompliancepolicies/{id}/userstatusoverview": "least=DelegatedWork,Application",
                      "/devicemanagement/devicecompliancepolicies": ""}}]}
    }}"#;

    #[test]
    fn least_privileged_first_per_method_and_ancestors_for_missing_paths() {
        let map = PermissionMap::parse(MAP).unwrap();
        let path = "/devicemanagement/devicecompliancepolicies/{id}/userstatusoverview";
        let (get, source) = map.scopes("GET", path);
        assert_eq!(source, Source::Exact);
        assert_eq!(
            get.delegated,
            [
                "DeviceManagementConfiguration.Read.All",
                "DeviceManagementConfiguration.ReadWrite.All"
            ]
        );
        let (patch, _) = map.scopes("PATCH", path);
        assert_eq!(
            patch.application,
            ["DeviceManagementConfiguration.ReadWrite.All"]
        );
        let (count, source) =
            map.scopes("GET", "/devicemanagement/devicecompliancepolicies/$count");
        assert_eq!((count.delegated.len(), source), (1, Source::Ancestor));
        let (assign, source) = map.scopes(
            "POST",
            "/devicemanagement/devicecompliancepolicies/{id}/assign",
        );
        assert_eq!(source, Source::Ancestor);
        assert_eq!(
            assign.delegated,
            ["DeviceManagementConfiguration.ReadWrite.All"]
        );
        let (_, source) = map.scopes("DELETE", "/users/{id}");
        assert_eq!(source, Source::Missing);
        let (cast, source) = map.scopes(
            "GET",
            "/devicemanagement/devicecompliancepolicies/{id}/microsoft.graph.windows10compliancepolicy/userstatusoverview",
        );
        assert_eq!(source, Source::Uncast);
        assert_eq!(cast, get);
    }
}
