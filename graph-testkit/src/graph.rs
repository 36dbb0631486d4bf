//! Graph semantics over the store: CRUD, single-valued navigation, actions, query options,
//! `$batch`, authorization and throttling. Transport-independent: the server and `$batch` both
//! call [`handle`].

use std::time::SystemTime;

use graphwire_core::meta::{ApiVersion, EntityMeta, HttpMethod, ResponseShape};
use serde_json::{Map, Value, json};

use crate::identity::{Claims, TokenProblem};
use crate::routes::{Route, Routed, Target};
use crate::server::State;
use crate::validate::check_object;

/// A request as the emulator sees it.
#[derive(Debug, Clone)]
pub struct EmuRequest {
    pub method: String,
    /// Percent-encoded, starting with `/v1.0/` or `/beta/`.
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl EmuRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the emulator answers.
#[derive(Debug, Clone)]
pub struct EmuResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Json(Value),
    Text(String, &'static str),
}

impl EmuResponse {
    fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Json(body),
        }
    }

    fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

/// A Graph error answer.
pub fn error(status: u16, code: &str, message: &str) -> EmuResponse {
    let date = httpdate::fmt_http_date(SystemTime::now());
    EmuResponse::json(
        status,
        json!({"error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": date,
                "request-id": uuid::Uuid::new_v4().to_string(),
            }
        }}),
    )
}

fn version_of(segment: &str) -> Option<ApiVersion> {
    match segment {
        "v1.0" => Some(ApiVersion::V1),
        "beta" => Some(ApiVersion::Beta),
        _ => None,
    }
}

fn method_of(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PATCH" => HttpMethod::Patch,
        "PUT" => HttpMethod::Put,
        "DELETE" => HttpMethod::Delete,
        _ => return None,
    })
}

fn decode_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// Authenticates, throttles, routes and serves one Graph request.
pub async fn handle(state: &State, request: &EmuRequest) -> EmuResponse {
    let claims = match authenticate(state, request) {
        Ok(claims) => claims,
        Err(response) => return response,
    };
    let write = request.method != "GET";
    let throttled = {
        let mut throttle = state.lock_throttle();
        state.config.throttling.as_ref().and_then(|limits| {
            throttle
                .admit(
                    limits,
                    &claims.tenant_id,
                    &claims.client_id,
                    write,
                    tokio::time::Instant::now(),
                )
                .err()
        })
    };
    if let Some(wait) = throttled {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return error(
            429,
            "TooManyRequests",
            "Too many requests from this application for this tenant.",
        )
        .with_header("Retry-After", seconds.max(1).to_string());
    }
    serve(state, request, &claims).await
}

fn authenticate(state: &State, request: &EmuRequest) -> Result<Claims, EmuResponse> {
    let token = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty());
    let problem = match token {
        None => TokenProblem::Missing,
        Some(token) => match state.signer.verify(token, state.now_secs()) {
            Ok(claims) => return Ok(claims),
            Err(problem) => problem,
        },
    };
    let (message, description) = match problem {
        TokenProblem::Missing => ("Access token is empty.", "no access token"),
        TokenProblem::Invalid => (
            "Access token validation failure. Invalid signature.",
            "invalid token",
        ),
        TokenProblem::Expired => (
            "Lifetime validation failed, the token is expired.",
            "the token is expired",
        ),
    };
    Err(error(401, "InvalidAuthenticationToken", message).with_header(
        "WWW-Authenticate",
        format!(
            "Bearer realm=\"\", authorization_uri=\"{}common/oauth2/authorize\", error=\"invalid_token\", error_description=\"{description}\"",
            state.base_url
        ),
    ))
}

async fn serve(state: &State, request: &EmuRequest, claims: &Claims) -> EmuResponse {
    let segments = decode_segments(&request.path);
    let Some(version) = segments.first().and_then(|s| version_of(s)) else {
        return error(
            400,
            "BadRequest",
            "Invalid version: the path must start with /v1.0/ or /beta/.",
        );
    };
    let rest = &segments[1..];
    if request.method == "POST" && rest.len() == 1 && rest[0] == "$batch" {
        return Box::pin(crate::batch::handle_batch(state, request, &segments[0])).await;
    }
    let Some(method) = method_of(&request.method) else {
        return error(405, "BadRequest", "No method match route template");
    };
    let (route, key, target) = match state.routes.route(version, method, rest) {
        Routed::Found { route, key, target } => (route, key, target),
        Routed::MethodNotAllowed => {
            return error(
                405,
                "BadRequest",
                &format!(
                    "No method match route template: {} is not supported here.",
                    request.method
                ),
            );
        }
        Routed::NotFound => {
            let segment = rest.last().map(String::as_str).unwrap_or_default();
            return error(
                400,
                "BadRequest",
                &format!("Resource not found for the segment '{segment}'."),
            );
        }
    };
    let endpoint = route.endpoint;
    let allowed = claims
        .roles
        .iter()
        .any(|r| endpoint.application.contains(&r.as_str()))
        || claims
            .scopes
            .iter()
            .any(|s| endpoint.delegated.contains(&s.as_str()));
    if !allowed {
        let needed: Vec<&str> = if claims.scopes.is_empty() {
            endpoint.application.to_vec()
        } else {
            endpoint.delegated.to_vec()
        };
        return error(
            403,
            "Forbidden",
            &format!(
                "Application is not authorized to perform this operation. Application must have one of the following scopes: {}",
                needed.join(", ")
            ),
        );
    }
    let query = Query::parse(request.query.as_deref());
    let body = if matches!(
        method,
        HttpMethod::Post | HttpMethod::Patch | HttpMethod::Put
    ) && endpoint.request.is_some()
    {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(value) => Some(value),
            Err(_) => {
                return error(
                    400,
                    "BadRequest",
                    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
                );
            }
        }
    } else {
        None
    };
    let context = Context {
        state,
        route,
        key,
        query,
        version_segment: segments[0].clone(),
    };
    match target {
        Target::List => context.list(),
        Target::Count => context.count(),
        Target::Create => context.create(body),
        Target::Item | Target::Single => match method {
            HttpMethod::Get => context.read(target),
            HttpMethod::Patch | HttpMethod::Put => context.update(target, body),
            HttpMethod::Delete => context.delete(),
            HttpMethod::Post => context.action(body),
        },
        Target::Action => context.action(body),
    }
}

struct Context<'a> {
    state: &'a State,
    route: &'a Route,
    key: Vec<String>,
    query: Query,
    version_segment: String,
}

/// Properties the service sets, never the client.
const SERVICE_SET: &[&str] = &["id", "createdDateTime", "lastModifiedDateTime"];

fn not_found() -> EmuResponse {
    error(404, "ResourceNotFound", "Resource not found")
}

fn bad_request(message: String) -> EmuResponse {
    error(400, "BadRequest", &message)
}

fn now_text() -> String {
    graphwire_core::DateTimeOffset::now_utc().to_string()
}

impl Context<'_> {
    fn request_meta(&self) -> Option<&'static EntityMeta> {
        self.route.endpoint.request
    }

    fn response_meta(&self) -> Option<&'static EntityMeta> {
        match self.route.endpoint.response {
            ResponseShape::Entity(m) | ResponseShape::Collection(m) => Some(m),
            _ => None,
        }
    }

    /// The parent of a nested resource exists (top-level singletons always do).
    fn parent_exists(&self, key: &[String]) -> bool {
        let parent = &key[..key.len().saturating_sub(1)];
        parent.len() <= 1 || self.state.store().contains(parent)
    }

    fn list(&self) -> EmuResponse {
        if !self.parent_exists(&self.key) {
            return not_found();
        }
        let items: Vec<(Vec<String>, Value)> = self.state.store().children(&self.key);
        let filter = match self.query.filter() {
            Ok(filter) => filter,
            Err(message) => return bad_request(message),
        };
        let mut items: Vec<(Vec<String>, Value)> = items
            .into_iter()
            .filter(|(_, v)| {
                filter
                    .as_ref()
                    .is_none_or(|(name, value)| v.get(name) == Some(value))
            })
            .collect();
        let total = items.len();
        let skip = self
            .query
            .get("$skiptoken")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0);
        let top = self.query.get("$top").and_then(|s| s.parse::<usize>().ok());
        let page_end = top.map_or(total, |t| skip.saturating_add(t).min(total));
        let page: Vec<Value> = items
            .drain(skip.min(total)..page_end)
            .map(|(key, value)| self.shape(&key, value))
            .collect();
        let mut out = Map::new();
        out.insert(
            "@odata.context".into(),
            json!(format!(
                "{}{}/$metadata#{}",
                self.state.base_url,
                self.version_segment,
                self.key.join("/")
            )),
        );
        if self.query.get("$count") == Some("true") {
            out.insert("@odata.count".into(), json!(total));
        }
        if page_end < total {
            let mut next = self.query.without("$skiptoken");
            next.push(("$skiptoken".into(), page_end.to_string()));
            out.insert(
                "@odata.nextLink".into(),
                json!(format!(
                    "{}{}/{}?{}",
                    self.state.base_url,
                    self.version_segment,
                    encode_path(&self.key),
                    encode_query(&next)
                )),
            );
        }
        out.insert("value".into(), Value::Array(page));
        EmuResponse::json(200, Value::Object(out))
    }

    fn count(&self) -> EmuResponse {
        let collection = &self.key[..self.key.len().saturating_sub(1)];
        let n = self.state.store().children(collection).len();
        EmuResponse {
            status: 200,
            headers: Vec::new(),
            body: Body::Text(n.to_string(), "text/plain"),
        }
    }

    /// Applies `$select` and `$expand` to a stored resource.
    fn shape(&self, key: &[String], value: Value) -> Value {
        let mut value = value;
        if let Some(expand) = self.query.get("$expand") {
            expand_into(self.state, key, &mut value, expand);
        }
        match (self.query.get("$select"), value) {
            (Some(select), Value::Object(members)) => {
                let wanted: Vec<&str> = select.split(',').map(str::trim).collect();
                Value::Object(
                    members
                        .into_iter()
                        .filter(|(k, _)| {
                            k == "@odata.type" || k == "id" || wanted.contains(&k.as_str())
                        })
                        .collect(),
                )
            }
            (_, value) => value,
        }
    }

    fn validated(&self, body: Option<Value>) -> Result<(Value, &'static EntityMeta), EmuResponse> {
        let (Some(body), Some(meta)) = (body, self.request_meta()) else {
            return Err(bad_request("A request body is required.".into()));
        };
        let actual = check_object(&body, meta, "").map_err(bad_request)?;
        Ok((body, actual))
    }

    fn create(&self, body: Option<Value>) -> EmuResponse {
        if !self.parent_exists(&self.key) {
            return not_found();
        }
        let (body, meta) = match self.validated(body) {
            Ok(ok) => ok,
            Err(response) => return response,
        };
        if let Some(response) = known_create_rules(&body, meta) {
            return response;
        }
        let Value::Object(mut members) = body else {
            return bad_request("The request body must be an object.".into());
        };
        let id = uuid::Uuid::new_v4().to_string();
        let mut item_key = self.key.clone();
        item_key.push(id.clone());
        strip_client_set(&mut members);
        members.insert("id".into(), json!(id));
        members.insert("@odata.type".into(), json!(meta.odata_type));
        for stamp in ["createdDateTime", "lastModifiedDateTime"] {
            if meta.property(stamp).is_some() {
                members.insert(stamp.into(), json!(now_text()));
            }
        }
        // Deep-inserted navigation collections become children of the new item.
        let mut store = self.state.store();
        for nav in meta.all_properties().into_iter().filter(|p| p.navigation) {
            if let Some(Value::Array(children)) = members.remove(nav.json_name) {
                let mut collection = item_key.clone();
                collection.push(nav.json_name.to_owned());
                store_children(&mut store, &collection, children);
            }
        }
        store.put(item_key, Value::Object(members.clone()));
        EmuResponse::json(201, Value::Object(members))
    }

    fn read(&self, target: Target) -> EmuResponse {
        let stored = self.state.store().get(&self.key).cloned();
        match stored {
            Some(value) => EmuResponse::json(200, self.shape(&self.key, value)),
            None if target == Target::Single && self.parent_exists(&self.key) => {
                EmuResponse::json(200, self.default_single())
            }
            None => not_found(),
        }
    }

    /// A single-valued resource exists while its parent does; before any write it is empty.
    fn default_single(&self) -> Value {
        let id = if self.key.len() >= 2 {
            self.key[self.key.len() - 2].clone()
        } else {
            self.key.join("/")
        };
        let mut members = Map::new();
        if let Some(meta) = self.response_meta() {
            members.insert("@odata.type".into(), json!(meta.odata_type));
        }
        members.insert("id".into(), json!(id));
        Value::Object(members)
    }

    fn update(&self, target: Target, body: Option<Value>) -> EmuResponse {
        let (body, meta) = match self.validated(body) {
            Ok(ok) => ok,
            Err(response) => return response,
        };
        let existing = self.state.store().get(&self.key).cloned();
        let current = match existing {
            Some(value) => value,
            None if target == Target::Single && self.parent_exists(&self.key) => {
                self.default_single()
            }
            None => return not_found(),
        };
        let (Value::Object(mut current), Value::Object(mut patch)) = (current, body) else {
            return bad_request("The request body must be an object.".into());
        };
        strip_client_set(&mut patch);
        for (name, value) in patch {
            if !name.contains('@') {
                current.insert(name, value);
            }
        }
        if meta.property("lastModifiedDateTime").is_some() && target == Target::Item {
            current.insert("lastModifiedDateTime".into(), json!(now_text()));
        }
        self.state
            .store()
            .put(self.key.clone(), Value::Object(current.clone()));
        EmuResponse::json(200, Value::Object(current))
    }

    fn delete(&self) -> EmuResponse {
        if self.state.store().remove_tree(&self.key) {
            EmuResponse::empty(204)
        } else {
            not_found()
        }
    }

    fn action(&self, body: Option<Value>) -> EmuResponse {
        let parent = &self.key[..self.key.len().saturating_sub(1)];
        if !self.parent_exists(&self.key)
            || (parent.len() > 1 && !self.state.store().contains(parent))
        {
            return not_found();
        }
        let body = match body {
            Some(body) => match self.request_meta() {
                Some(meta) => match check_object(&body, meta, "") {
                    Ok(_) => body,
                    Err(message) => return bad_request(message),
                },
                None => body,
            },
            None => Value::Null,
        };
        match self.route.endpoint.response {
            ResponseShape::Collection(_) => {
                // An action that answers with a collection replaces the parent's collection of
                // the same name (`assign` → `assignments`) and returns it.
                let Some((name, Value::Array(items))) = body
                    .as_object()
                    .and_then(|o| o.iter().find(|(_, v)| v.is_array()))
                else {
                    return EmuResponse::json(200, json!({"value": []}));
                };
                let mut collection = parent.to_vec();
                collection.push(name.clone());
                let mut store = self.state.store();
                store.clear_collection(&collection);
                let stored = store_children(&mut store, &collection, items.clone());
                EmuResponse::json(200, json!({"value": stored}))
            }
            _ => EmuResponse::empty(204),
        }
    }
}

/// Stores a list of new children with fresh ids; returns them as stored.
fn store_children(
    store: &mut crate::store::Store,
    collection: &[String],
    items: Vec<Value>,
) -> Vec<Value> {
    let mut stored = Vec::new();
    for item in items {
        let Value::Object(mut members) = item else {
            continue;
        };
        let id = uuid::Uuid::new_v4().to_string();
        members.insert("id".into(), json!(id));
        // Nested deep inserts (a rule's action configurations) go one level further down.
        let nested: Vec<(String, Vec<Value>)> = members
            .iter()
            .filter_map(|(k, v)| match v {
                Value::Array(a) if a.iter().all(Value::is_object) && !a.is_empty() => {
                    Some((k.clone(), a.clone()))
                }
                _ => None,
            })
            .collect();
        let mut key = collection.to_vec();
        key.push(id);
        for (name, children) in nested {
            members.remove(&name);
            let mut child_collection = key.clone();
            child_collection.push(name);
            store_children(store, &child_collection, children);
        }
        store.put(key, Value::Object(members.clone()));
        stored.push(Value::Object(members));
    }
    stored
}

/// Attaches navigation children named in `$expand` (with nested `$expand` in parentheses).
fn expand_into(state: &State, key: &[String], value: &mut Value, expand: &str) {
    let Value::Object(members) = value else {
        return;
    };
    for (name, nested) in split_expand(expand) {
        let mut collection = key.to_vec();
        collection.push(name.clone());
        // Take the children first: the store lock must not be held while recursing.
        let stored = state.store().children(&collection);
        let children: Vec<Value> = stored
            .into_iter()
            .map(|(child_key, mut child)| {
                if let Some(inner) = nested.as_deref().and_then(|n| n.strip_prefix("$expand=")) {
                    expand_into(state, &child_key, &mut child, inner);
                }
                child
            })
            .collect();
        members.insert(name, Value::Array(children));
    }
}

/// `a($expand=b),c` → [("a", Some("$expand=b")), ("c", None)].
fn split_expand(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out.into_iter()
        .filter(|s| !s.trim().is_empty())
        .map(|item| match item.find('(') {
            Some(open) => (
                item[..open].trim().to_owned(),
                Some(item[open + 1..item.len().saturating_sub(1)].to_owned()),
            ),
            None => (item.trim().to_owned(), None),
        })
        .collect()
}

/// Service-set properties and annotations never come from the client.
fn strip_client_set(members: &mut Map<String, Value>) {
    members.retain(|k, _| {
        !SERVICE_SET.contains(&k.as_str()) && (k == "@odata.type" || !k.contains('@'))
    });
}

/// The service's rules for creating compliance policies (reference §1.2, known issue D3).
fn known_create_rules(body: &Value, meta: &'static EntityMeta) -> Option<EmuResponse> {
    let policy_base = EntityMeta::find("#microsoft.graph.deviceCompliancePolicy")?;
    if !meta.derives_from(policy_base) {
        return None;
    }
    if std::ptr::eq(meta, policy_base) || meta.odata_type == policy_base.odata_type {
        return Some(bad_request(
            "Cannot create an instance of the abstract type 'microsoft.graph.deviceCompliancePolicy'; name a platform type in @odata.type.".into(),
        ));
    }
    let rules = body
        .get("scheduledActionsForRule")
        .and_then(Value::as_array);
    let blocks = rules
        .into_iter()
        .flatten()
        .flat_map(|rule| {
            rule.get("scheduledActionConfigurations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter(|action| action.get("actionType") == Some(&json!("block")))
        .count();
    if rules.map_or(0, Vec::len) != 1 || blocks != 1 {
        return Some(bad_request(
            "Compliance policy must have one and only one block scheduled action".into(),
        ));
    }
    None
}

/// Decoded query options.
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| {
                url::form_urlencoded::parse(q.replace('+', "%2B").as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        Self { pairs }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn without(&self, name: &str) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| k != name)
            .cloned()
            .collect()
    }

    /// `$filter=name eq value` (string in quotes, number, true/false).
    fn filter(&self) -> Result<Option<(String, Value)>, String> {
        let Some(text) = self.get("$filter") else {
            return Ok(None);
        };
        let invalid = || {
            format!("Invalid filter clause: `{text}`; the emulator supports `property eq value`.")
        };
        let mut parts = text.splitn(3, ' ');
        let (Some(name), Some("eq"), Some(literal)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let value = if let Some(inner) = literal
            .strip_prefix('\'')
            .and_then(|l| l.strip_suffix('\''))
        {
            json!(inner.replace("''", "'"))
        } else {
            serde_json::from_str(literal).map_err(|_| invalid())?
        };
        Ok(Some((name.to_owned(), value)))
    }
}

fn encode_path(key: &[String]) -> String {
    key.iter()
        .map(|s| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn encode_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            // Names stay literal (`$top`), as in Graph's own nextLinks; values are encoded.
            let key: String = url::form_urlencoded::byte_serialize(k.as_bytes())
                .collect::<String>()
                .replace("%24", "$");
            format!(
                "{key}={}",
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_specs() {
        assert_eq!(
            split_expand(
                "scheduledActionsForRule($expand=scheduledActionConfigurations),assignments"
            ),
            vec![
                (
                    "scheduledActionsForRule".to_string(),
                    Some("$expand=scheduledActionConfigurations".to_string())
                ),
                ("assignments".to_string(), None)
            ]
        );
    }

    #[test]
    fn filters() {
        let q = Query::parse(Some("$filter=displayName%20eq%20%27O%27%27Neil%27"));
        assert_eq!(
            q.filter(),
            Ok(Some(("displayName".into(), json!("O'Neil"))))
        );
        let q = Query::parse(Some("$filter=version eq 7"));
        assert_eq!(q.filter(), Ok(Some(("version".into(), json!(7)))));
        let q = Query::parse(Some("$filter=startswith(a,'b')"));
        assert!(q.filter().is_err());
    }
}
