//! Matching request paths against the declared endpoint templates (read from the endpoint
//! metadata, so every `#[graph_endpoint]` in the program is served without a route of its own).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use graphwire_core::meta::{ApiVersion, Endpoint, HttpMethod, PathPart, ResponseShape};

/// One template segment.
#[derive(Debug, Clone)]
enum Part {
    Literal(String),
    /// A placeholder, possibly with text around it (`users('{id}')`); a function's segment
    /// may hold several (`f(a='{a}',b='{b}')`: the text between them in `middles`).
    Placeholder {
        prefix: String,
        middles: Vec<String>,
        suffix: String,
    },
}

/// How a path segment that reads a resource as one subtype begins
/// (`…/mobileApps/{id}/microsoft.graph.win32LobApp`).
const CAST_PREFIX: &str = "microsoft.graph.";

impl Part {
    /// The subtype a literal segment casts to (`win32LobApp`), when it is a cast.
    fn cast(&self) -> Option<&str> {
        match self {
            // `microsoft.graph.deviceManagement.getPortalNotifications()` names an operation of
            // a namespace of its own, not a type.
            Part::Literal(text) if !text.contains('(') => text
                .strip_prefix(CAST_PREFIX)
                .filter(|ty| !ty.contains('.')),
            _ => None,
        }
    }

    /// The key segment `segment` stands for, when this part accepts it.
    fn key_of(&self, segment: &str) -> Option<String> {
        match self {
            // A cast may name the namespace by its alias, as Kiota's SDKs write it
            // (`graph.win32LobApp`); Graph reads both.
            Part::Literal(text) => (text == segment
                || self
                    .cast()
                    .is_some_and(|ty| segment.strip_prefix("graph.") == Some(ty)))
            .then(|| segment.to_owned()),
            Part::Placeholder {
                prefix,
                middles,
                suffix,
            } if segment.len() > prefix.len() + suffix.len()
                && segment.starts_with(prefix.as_str())
                && segment.ends_with(suffix.as_str()) =>
            {
                let mut inner = &segment[prefix.len()..segment.len() - suffix.len()];
                // Each value up to the text that follows it; the values joined by commas.
                let mut values = Vec::new();
                for middle in middles {
                    let (value, rest) = inner.split_once(middle.as_str())?;
                    values.push(value);
                    inner = rest;
                }
                values.push(inner);
                let text = values.join(",");
                Some(if prefix.ends_with('\'') {
                    text.replace("''", "'")
                } else {
                    text
                })
            }
            Part::Placeholder { .. } => None,
        }
    }
}

/// A declared endpoint, ready to match.
#[derive(Debug)]
pub struct Route {
    pub endpoint: &'static Endpoint,
    parts: Vec<Part>,
    /// The parts without the casts: how the store keys what the path addresses.
    stored_parts: Vec<Part>,
}

/// A segment of a request's path that read the resource before it as a subtype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cast {
    /// How many segments of the store key precede it: the resource it casts is `key[..at]`.
    pub at: usize,
    /// The subtype, `microsoft.graph.win32LobApp`.
    pub odata_type: String,
}

/// What a request addresses, decided from the endpoint's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// GET of a collection.
    List,
    /// POST to a collection.
    Create,
    /// An item of a collection (template ends with a placeholder).
    Item,
    /// A single-valued resource (a singleton or single-valued navigation).
    Single,
    /// A bound action (POST).
    Action,
    /// A bound function (GET `…/name(…)`).
    Function,
    /// A `$count` segment.
    Count,
    /// A `$ref` segment: the reference a navigation holds.
    Reference,
    /// An item of a collection by an alternate key: `…/assignedUsers(userPrincipalName='…')`.
    AlternateKey,
}

impl Route {
    fn new(endpoint: &'static Endpoint) -> Self {
        let parts = segments_of(endpoint.path);
        let stored_parts = parts
            .iter()
            .filter(|p| p.cast().is_none())
            .cloned()
            .collect();
        Self {
            endpoint,
            parts,
            stored_parts,
        }
    }

    /// A matched key as the store keys it (the cast segments left out), and the casts.
    pub fn split_casts(&self, key: Vec<String>) -> (Vec<String>, Vec<Cast>) {
        let mut stored = Vec::with_capacity(key.len());
        let mut casts = Vec::new();
        for (part, segment) in self.parts.iter().zip(key) {
            match part.cast() {
                Some(ty) => casts.push(Cast {
                    at: stored.len(),
                    odata_type: format!("{CAST_PREFIX}{ty}"),
                }),
                None => stored.push(segment),
            }
        }
        (stored, casts)
    }

    /// The decoded key segments, when `segments` matches this template.
    fn matches(&self, segments: &[String]) -> Option<Vec<String>> {
        if segments.len() != self.parts.len() {
            return None;
        }
        self.parts
            .iter()
            .zip(segments)
            .map(|(part, segment)| part.key_of(segment))
            .collect()
    }

    /// How many leading segments this template resolves.
    fn resolved_prefix(&self, segments: &[String]) -> usize {
        self.parts
            .iter()
            .zip(segments)
            .take_while(|(part, segment)| part.key_of(segment).is_some())
            .count()
    }

    /// The properties of the key of several its last segment addresses an item by
    /// (`id='{}',policyId='{}'` -> `id`, `policyId`), if it does.
    fn composite_key(&self) -> Option<Vec<String>> {
        let Some(Part::Placeholder {
            prefix,
            middles,
            suffix,
        }) = self.parts.last()
        else {
            return None;
        };
        if middles.is_empty() || suffix != "'" || prefix.contains('(') {
            return None;
        }
        let mut names = vec![prefix.strip_suffix("='")?.to_owned()];
        for middle in middles {
            names.push(middle.strip_prefix("',")?.strip_suffix("='")?.to_owned());
        }
        Some(names)
    }

    fn ends_with_placeholder(&self) -> bool {
        matches!(self.parts.last(), Some(Part::Placeholder { .. }))
    }

    /// The keys of the items a request addresses on its way: every prefix of the store key
    /// `key` that ends at a key placeholder (`…/deviceCompliancePolicies/{id}`).
    pub fn addressed_items(&self, key: &[String]) -> Vec<Vec<String>> {
        self.stored_parts
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p, Part::Placeholder { prefix, middles, suffix } if prefix.is_empty() && middles.is_empty() && suffix.is_empty()))
            .filter(|(i, _)| *i < key.len())
            .map(|(i, _)| key[..=i].to_vec())
            .collect()
    }

    /// The last segment calls a function: `name(…)`.
    fn is_function(&self) -> bool {
        match self.parts.last() {
            Some(Part::Literal(text)) => text.ends_with(')'),
            Some(Part::Placeholder { suffix, .. }) => suffix.ends_with(')'),
            None => false,
        }
    }
}

/// The template the macro parsed, as one [`Part`] per `/`-separated segment.
fn segments_of(path: &[PathPart]) -> Vec<Part> {
    let mut segments = Vec::new();
    // The segment being built: text before its first parameter, between parameters, and
    // after the last once there is one.
    let mut before = String::new();
    let mut texts: Vec<String> = Vec::new();
    let mut flush = |before: &mut String, texts: &mut Vec<String>| {
        let part = match std::mem::take(texts) {
            mut texts if !texts.is_empty() => {
                let suffix = texts.pop().unwrap_or_default();
                Part::Placeholder {
                    prefix: std::mem::take(before),
                    middles: texts,
                    suffix,
                }
            }
            _ => Part::Literal(std::mem::take(before)),
        };
        if !matches!(&part, Part::Literal(text) if text.is_empty()) {
            segments.push(part);
        }
    };
    for part in path {
        match part {
            PathPart::Literal(text) => {
                for (index, piece) in text.split('/').enumerate() {
                    if index > 0 {
                        flush(&mut before, &mut texts);
                    }
                    match texts.last_mut() {
                        Some(after) => after.push_str(piece),
                        None => before.push_str(piece),
                    }
                }
            }
            PathPart::Parameter { .. } => texts.push(String::new()),
        }
    }
    flush(&mut before, &mut texts);
    segments
}

/// All routes, built once per process ([`RouteTable::shared`]).
#[derive(Debug)]
pub struct RouteTable {
    routes: Vec<Route>,
    /// Collections whose items are addressed by a key of several properties
    /// (`…/deviceHealthScriptStates/id='{id}',policyId='{policyId}'`): the properties, in order.
    composite_keys: HashMap<(ApiVersion, &'static str), Vec<String>>,
    /// What each route addresses, by its index in `routes`: decided once from the whole
    /// table (a POST creates where its path is also a listing; `name(key='…')` reads an item
    /// where its prefix is a collection), not per request.
    targets: Vec<Target>,
}

/// The outcome of routing one request.
pub enum Routed<'a> {
    Found {
        route: &'a Route,
        key: Vec<String>,
        target: Target,
    },
    /// The path exists, the method does not.
    MethodNotAllowed,
    /// No template resolves the path: `segment` is the first one none resolves (Graph's
    /// "Resource not found for the segment '…'").
    NotFound { segment: String },
}

impl RouteTable {
    /// The table of what the linked crates declared, built once per process: the declarations
    /// are static, and an end-to-end test starts an emulator per step (thousands of them, over
    /// 3,700 beta endpoints), which must not rebuild it each time.
    pub fn shared() -> &'static RouteTable {
        static TABLE: OnceLock<RouteTable> = OnceLock::new();
        TABLE.get_or_init(RouteTable::from_metadata)
    }

    fn from_metadata() -> Self {
        let mut routes: Vec<Route> = Endpoint::all().map(Route::new).collect();
        // A literal segment beats a placeholder, and a placeholder inside text
        // (`name(arg='{x}')`) beats a bare one: try the most specific templates first.
        routes.sort_by_key(|r| {
            let bare = r
                .parts
                .iter()
                .filter(|p| matches!(p, Part::Placeholder { prefix, middles, suffix } if prefix.is_empty() && middles.is_empty() && suffix.is_empty()))
                .count();
            let all = r
                .parts
                .iter()
                .filter(|p| matches!(p, Part::Placeholder { .. }))
                .count();
            (bare, all, r.endpoint.template)
        });
        // The listings, to tell a POST that creates from an action, and an item by alternate
        // key from a function, without a scan of the table per route.
        let listings: HashSet<(ApiVersion, &'static str)> = routes
            .iter()
            .filter(|r| {
                r.endpoint.method == HttpMethod::Get
                    && matches!(r.endpoint.response, ResponseShape::Collection(_))
            })
            .map(|r| (r.endpoint.version, r.endpoint.template))
            .collect();
        let targets = routes.iter().map(|r| target(r, &listings)).collect();
        let composite_keys = routes
            .iter()
            .filter_map(|r| {
                let collection = r.endpoint.template.rsplit_once('/')?.0;
                Some(((r.endpoint.version, collection), r.composite_key()?))
            })
            .collect();
        Self {
            routes,
            composite_keys,
            targets,
        }
    }

    /// The properties keying the items of the collection at `template`, where a key of
    /// several addresses them.
    pub fn composite_key(&self, version: ApiVersion, template: &'static str) -> Option<&[String]> {
        self.composite_keys
            .get(&(version, template))
            .map(Vec::as_slice)
    }

    /// How many endpoints are served.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    pub fn route(
        &self,
        version: ApiVersion,
        method: HttpMethod,
        segments: &[String],
    ) -> Routed<'_> {
        let mut path_exists = false;
        for (route, target) in self
            .routes
            .iter()
            .zip(&self.targets)
            .filter(|(r, _)| r.endpoint.version == version)
        {
            let Some(key) = route.matches(segments) else {
                continue;
            };
            path_exists = true;
            if route.endpoint.method == method {
                return Routed::Found {
                    route,
                    key,
                    target: *target,
                };
            }
        }
        if path_exists {
            return Routed::MethodNotAllowed;
        }
        let resolved = self
            .routes
            .iter()
            .filter(|r| r.endpoint.version == version)
            .map(|r| r.resolved_prefix(segments))
            .max()
            .unwrap_or(0);
        // Every segment resolves yet no template ends there: the last one is the surplus.
        let index = resolved.min(segments.len().saturating_sub(1));
        Routed::NotFound {
            segment: segments.get(index).cloned().unwrap_or_default(),
        }
    }
}

/// What a route addresses; `listings` are the (version, template) pairs of collection GETs.
fn target(route: &Route, listings: &HashSet<(ApiVersion, &'static str)>) -> Target {
    let endpoint = route.endpoint;
    let is_listing = |template: &str| listings.contains(&(endpoint.version, template));
    match (endpoint.method, endpoint.response) {
        _ if endpoint.template.ends_with("/$ref") => Target::Reference,
        (_, ResponseShape::Count) => Target::Count,
        // `…/assignedUsers(userPrincipalName='{userPrincipalName}')` is an item by alternate
        // key, not a function: what precedes the parentheses is a collection.
        (HttpMethod::Get, _) if route.is_function() => {
            let by_alternate_key = endpoint
                .template
                .rsplit_once('(')
                .is_some_and(|(collection, _)| is_listing(collection));
            if by_alternate_key {
                Target::AlternateKey
            } else {
                Target::Function
            }
        }
        (HttpMethod::Get, ResponseShape::Collection(_)) => Target::List,
        (HttpMethod::Post, _) if is_listing(endpoint.template) => Target::Create,
        (HttpMethod::Post, _) => Target::Action,
        _ if route.ends_with_placeholder() => Target::Item,
        _ => Target::Single,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(parts: &[Part]) -> Vec<String> {
        parts
            .iter()
            .map(|p| match p {
                Part::Literal(text) => text.clone(),
                Part::Placeholder {
                    prefix,
                    middles,
                    suffix,
                } => {
                    let inner: String = middles.iter().map(|m| format!("{{}}{m}")).collect();
                    format!("{prefix}{inner}{{}}{suffix}")
                }
            })
            .collect()
    }

    #[test]
    fn segments_come_from_the_parsed_template() {
        let path = [
            PathPart::Literal("/deviceManagement/deviceCompliancePolicies/"),
            PathPart::Parameter {
                name: "deviceCompliancePolicyId",
                quoted: false,
            },
            PathPart::Literal("/assignments"),
        ];
        assert_eq!(
            shown(&segments_of(&path)),
            [
                "deviceManagement",
                "deviceCompliancePolicies",
                "{}",
                "assignments"
            ]
        );
        let keyed = [
            PathPart::Literal("/users('"),
            PathPart::Parameter {
                name: "id",
                quoted: true,
            },
            PathPart::Literal("')/manager"),
        ];
        assert_eq!(shown(&segments_of(&keyed)), ["users('{}')", "manager"]);
        assert_eq!(
            shown(&segments_of(&[PathPart::Literal(
                "/deviceManagement/managedDevices/$count"
            )])),
            ["deviceManagement", "managedDevices", "$count"]
        );
    }

    #[test]
    fn a_post_creates_where_its_own_version_lists_the_same_path() {
        static CREATE: Endpoint = Endpoint::new(
            "scripts.create",
            HttpMethod::Post,
            "/deviceManagement/scripts",
            &[PathPart::Literal("/deviceManagement/scripts")],
            ApiVersion::Beta,
            ResponseShape::NoContent,
        );
        static BY_NAME: Endpoint = Endpoint::new(
            "scripts.get_by_name",
            HttpMethod::Get,
            "/deviceManagement/scripts(name='{name}')",
            &[
                PathPart::Literal("/deviceManagement/scripts(name='"),
                PathPart::Parameter {
                    name: "name",
                    quoted: true,
                },
                PathPart::Literal("')"),
            ],
            ApiVersion::Beta,
            ResponseShape::Stream,
        );
        let create = Route::new(&CREATE);
        let listed_in = |version| HashSet::from([(version, "/deviceManagement/scripts")]);
        assert_eq!(
            target(&create, &listed_in(ApiVersion::Beta)),
            Target::Create
        );
        // v1.0 listing the same path does not make beta's POST a create.
        assert_eq!(target(&create, &listed_in(ApiVersion::V1)), Target::Action);
        assert_eq!(target(&create, &HashSet::new()), Target::Action);
        // `scripts(name='…')` reads an item by alternate key where its version lists
        // `scripts`, and is a function elsewhere.
        let by_name = Route::new(&BY_NAME);
        assert_eq!(
            target(&by_name, &listed_in(ApiVersion::Beta)),
            Target::AlternateKey
        );
        assert_eq!(
            target(&by_name, &listed_in(ApiVersion::V1)),
            Target::Function
        );
    }

    #[test]
    fn an_item_segment_of_several_quoted_values_names_its_key() {
        static BY_KEY: Endpoint = Endpoint::new(
            "states.get",
            HttpMethod::Get,
            "/deviceManagement/states/id='{id}',deviceId='{deviceId}'",
            &[
                PathPart::Literal("/deviceManagement/states/id='"),
                PathPart::Parameter {
                    name: "id",
                    quoted: true,
                },
                PathPart::Literal("',deviceId='"),
                PathPart::Parameter {
                    name: "deviceId",
                    quoted: true,
                },
                PathPart::Literal("'"),
            ],
            ApiVersion::Beta,
            ResponseShape::Stream,
        );
        static FUNCTION: Endpoint = Endpoint::new(
            "states.run",
            HttpMethod::Get,
            "/deviceManagement/run(id='{id}',deviceId='{deviceId}')",
            &[
                PathPart::Literal("/deviceManagement/run(id='"),
                PathPart::Parameter {
                    name: "id",
                    quoted: true,
                },
                PathPart::Literal("',deviceId='"),
                PathPart::Parameter {
                    name: "deviceId",
                    quoted: true,
                },
                PathPart::Literal("')"),
            ],
            ApiVersion::Beta,
            ResponseShape::Stream,
        );
        let by_key = Route::new(&BY_KEY);
        assert_eq!(
            by_key.composite_key(),
            Some(vec!["id".to_owned(), "deviceId".to_owned()])
        );
        assert_eq!(target(&by_key, &HashSet::new()), Target::Item);
        // The values, quotes undoubled, joined by commas: where the item is stored.
        let segments: Vec<String> = ["deviceManagement", "states", "id='a',deviceId='o''b'"]
            .map(str::to_owned)
            .into();
        assert_eq!(
            by_key.matches(&segments),
            Some(vec![
                "deviceManagement".to_owned(),
                "states".to_owned(),
                "a,o'b".to_owned()
            ])
        );
        assert_eq!(Route::new(&FUNCTION).composite_key(), None);
    }

    #[test]
    fn a_function_segment_takes_several_parameters() {
        let path = [
            PathPart::Literal(
                "/deviceManagement/virtualEndpoint/cloudPCs/getProvisionedCloudPCs(groupId='",
            ),
            PathPart::Parameter {
                name: "groupId",
                quoted: true,
            },
            PathPart::Literal("',servicePlanId='"),
            PathPart::Parameter {
                name: "servicePlanId",
                quoted: true,
            },
            PathPart::Literal("')"),
        ];
        let parts = segments_of(&path);
        assert_eq!(
            shown(&parts)[3],
            "getProvisionedCloudPCs(groupId='{}',servicePlanId='{}')"
        );
        assert_eq!(
            parts[3].key_of("getProvisionedCloudPCs(groupId='g-1',servicePlanId='it''s')"),
            Some("g-1,it's".to_owned())
        );
        assert_eq!(
            parts[3].key_of("getProvisionedCloudPCs(groupId='g-1')"),
            None
        );
    }

    #[test]
    fn a_namespaced_operation_is_no_cast() {
        let cast = Part::Literal("microsoft.graph.win32LobApp".into());
        let operation =
            Part::Literal("microsoft.graph.deviceManagement.setPortalNotificationAsSent".into());
        assert_eq!(cast.cast(), Some("win32LobApp"));
        assert_eq!(operation.cast(), None);
    }
}
