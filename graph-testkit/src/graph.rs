//! Graph semantics over the store: CRUD, single-valued navigation, actions, `$count`,
//! `$select` and `$expand`, body validation against the declarations, and the service rules
//! the declaring crates registered. Transport-independent: requests arrive authenticated.

use graphwire_core::meta::{ApiVersion, Edm, EntityMeta, HttpMethod, ResponseShape, ServiceRule};
use serde_json::{Map, Value, json};

use crate::identity::Claims;
use crate::message::{Body, EmuRequest, EmuResponse, error};
use crate::odata_query::{Query, compare_values};
use crate::routes::{Route, Routed, Target};
use crate::state::State;
use crate::validate::check_object;

/// Routes an authenticated request to its declared endpoint and serves it from the store.
pub fn serve(state: &State, request: &EmuRequest, claims: &Claims) -> EmuResponse {
    let segments = crate::store::key_of(&request.path);
    let Some(version) = segments.first().and_then(|s| s.parse::<ApiVersion>().ok()) else {
        return error(
            400,
            "BadRequest",
            "Invalid version: the path must start with /v1.0/ or /beta/.",
        );
    };
    let rest = &segments[1..];
    let Ok(method) = request.method.parse::<HttpMethod>() else {
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
        Routed::NotFound { segment } => {
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
    let (key, casts) = route.split_casts(key);
    // A cast reads the resource before it as a subtype: the collection being listed or
    // counted is filtered to it; any other resource must be of it (Graph's 404 otherwise).
    let collection = match target {
        Target::List => Some(key.len()),
        Target::Count => Some(key.len().saturating_sub(1)),
        _ => None,
    };
    let mut item_cast = None;
    for cast in &casts {
        let Some(meta) = EntityMeta::find(&cast.odata_type) else {
            return not_found();
        };
        if Some(cast.at) == collection {
            item_cast = Some(meta);
        } else if !state
            .store(&claims.tenant_id)
            .get(&key[..cast.at])
            .is_some_and(|stored| is_of(stored, meta))
        {
            return not_found();
        }
    }
    let query = Query::parse(request.query.as_deref());
    let body = if matches!(
        method,
        HttpMethod::Post | HttpMethod::Patch | HttpMethod::Put
    ) && (endpoint.request.is_some() || target == Target::Reference)
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
        tenant: &claims.tenant_id,
        item_cast,
        path: rest.to_vec(),
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
        Target::Function => context.function(),
        Target::Reference => context.reference(method, body),
        Target::AlternateKey => context.by_alternate_key(),
    }
}

struct Context<'a> {
    state: &'a State,
    route: &'a Route,
    key: Vec<String>,
    query: Query,
    version_segment: String,
    /// The caller's tenant: the only one whose resources it sees.
    tenant: &'a str,
    /// The subtype a cast reads the listed or counted collection as: only its members of it.
    item_cast: Option<&'static EntityMeta>,
    /// The request's path after the version, casts included (`key` leaves them out): what
    /// the next page's link repeats.
    path: Vec<String>,
}

/// Whether a stored resource's `@odata.type` is `meta` or derives from it.
fn is_of(stored: &Value, meta: &EntityMeta) -> bool {
    stored
        .get("@odata.type")
        .and_then(Value::as_str)
        .and_then(EntityMeta::find)
        .is_some_and(|ty| ty.derives_from(meta))
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

    /// The type of what the request reads: the entity, the collection's items, or for
    /// `…/$count` the items of the collection it counts.
    fn item_meta(&self) -> Option<&'static EntityMeta> {
        self.response_meta().or_else(|| {
            let counted = self.route.endpoint.template.strip_suffix("/$count")?;
            graphwire_core::meta::Endpoint::all()
                .filter(|e| e.version == self.route.endpoint.version && e.template == counted)
                .find_map(|e| match (e.method, e.response) {
                    (HttpMethod::Get, ResponseShape::Collection(m)) => Some(m),
                    _ => None,
                })
        })
    }

    /// `$select` and `$orderby` name properties of the type read; an unknown one is Graph's
    /// 400, not an answer that silently leaves it out.
    fn check_named_properties(&self) -> Result<(), EmuResponse> {
        let Some(meta) = self.item_meta() else {
            return Ok(());
        };
        let selected = self
            .query
            .get("$select")
            .map(|s| {
                s.split(',')
                    .map(str::trim)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let ordered = self
            .query
            .order_by()
            .map_err(bad_request)?
            .into_iter()
            .map(|key| key.property);
        for name in selected.into_iter().chain(ordered) {
            if name != "id" && crate::filter::find_property(meta, &name).is_none() {
                return Err(bad_request(format!(
                    "Could not find a property named '{name}' on type '{}'.",
                    meta.odata_type.trim_start_matches('#')
                )));
            }
        }
        Ok(())
    }

    /// The parent of a nested resource exists (top-level singletons always do).
    fn parent_exists(&self, key: &[String]) -> bool {
        let parent = &key[..key.len().saturating_sub(1)];
        parent.len() <= 1 || self.state.store(self.tenant).contains(parent)
    }

    fn list(&self) -> EmuResponse {
        if !self.parent_exists(&self.key) {
            return not_found();
        }
        if let Err(response) = self.check_named_properties() {
            return response;
        }
        let mut items = match self.filtered_children(&self.key) {
            Ok(items) => items,
            Err(response) => return response,
        };
        let order = match self.query.order_by() {
            Ok(order) => order,
            Err(message) => return bad_request(message),
        };
        if !order.is_empty() {
            items.sort_by(|(_, a), (_, b)| {
                order
                    .iter()
                    .map(|key| {
                        let ordering = compare_values(a.get(&key.property), b.get(&key.property));
                        if key.descending {
                            ordering.reverse()
                        } else {
                            ordering
                        }
                    })
                    .find(|ordering| ordering.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        let total = items.len();
        let (skip_token, skip, top) = match (
            self.query.whole_number("$skiptoken"),
            self.query.whole_number("$skip"),
            self.query.whole_number("$top"),
        ) {
            (Ok(token), Ok(skip), Ok(top)) => (token, skip, top),
            (Err(message), _, _) | (_, Err(message), _) | (_, _, Err(message)) => {
                return bad_request(message);
            }
        };
        let start = skip_token
            .unwrap_or(0)
            .saturating_add(skip.unwrap_or(0))
            .min(total);
        // `$top` sets the page size; without it the service pages by its own.
        let size = top.unwrap_or(self.state.config.page_size);
        let page_end = start.saturating_add(size).min(total);
        let page: Vec<Value> = items
            .drain(start..page_end)
            .map(|(key, value)| self.shape(&key, value))
            .collect();
        let mut out = Map::new();
        out.insert(
            "@odata.context".into(),
            json!(format!(
                "{}{}/$metadata#{}",
                self.state.base_url,
                self.version_segment,
                self.path.join("/")
            )),
        );
        if self.query.get("$count") == Some("true") {
            out.insert("@odata.count".into(), json!(total));
        }
        // `$top=0` asks for no items, so there is no next page to point to.
        if page_end < total && top != Some(0) {
            let mut next = self.query.without(&["$skiptoken", "$skip"]);
            next.push(("$skiptoken".into(), page_end.to_string()));
            out.insert(
                "@odata.nextLink".into(),
                json!(format!(
                    "{}{}/{}?{}",
                    self.state.base_url,
                    self.version_segment,
                    encode_path(&self.path),
                    encode_query(&next)
                )),
            );
        }
        out.insert("value".into(), Value::Array(page));
        EmuResponse::json(200, Value::Object(out))
    }

    /// The members of a collection that pass `$filter`.
    fn filtered_children(
        &self,
        collection: &[String],
    ) -> Result<Vec<(Vec<String>, Value)>, EmuResponse> {
        let filter = match self.item_meta() {
            Some(meta) => self.query.filter(meta).map_err(bad_request)?,
            None if self.query.get("$filter").is_some() => {
                return Err(bad_request(
                    "$filter is not supported on this collection.".into(),
                ));
            }
            None => None,
        };
        Ok(self
            .state
            .store(self.tenant)
            .children(collection)
            .into_iter()
            .filter(|(_, v)| self.item_cast.is_none_or(|meta| is_of(v, meta)))
            .filter(|(_, v)| filter.as_ref().is_none_or(|f| f.matches(v)))
            .collect())
    }

    /// `GET …/{collection}/$count`: the number of members that pass `$filter`, as text.
    fn count(&self) -> EmuResponse {
        let collection = &self.key[..self.key.len().saturating_sub(1)];
        let n = match self.filtered_children(collection) {
            Ok(items) => items.len(),
            Err(response) => return response,
        };
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
            expand_into(self.state, self.tenant, key, &mut value, expand);
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
        if let Some(response) = broken_rule(HttpMethod::Post, &body, meta) {
            return response;
        }
        let Value::Object(mut members) = body else {
            return bad_request("The request body must be an object.".into());
        };
        let id = uuid::Uuid::new_v4().to_string();
        strip_client_set(&mut members);
        members.insert("id".into(), json!(id));
        let mut item_key = self.key.clone();
        item_key.push(self.new_item_key(&id, &mut members));
        members.insert("@odata.type".into(), json!(meta.odata_type));
        for stamp in ["createdDateTime", "lastModifiedDateTime"] {
            if meta.property(stamp).is_some() {
                members.insert(stamp.into(), json!(now_text()));
            }
        }
        crate::staged::created(
            self.state,
            self.tenant,
            self.route.endpoint.template,
            &item_key,
            &mut members,
        );
        // Deep-inserted navigation collections become children of the new item.
        let mut store = self.state.store(self.tenant);
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

    /// Where a created item is stored: under its `id`, or where the collection's items are
    /// addressed by a key of several properties, under their values joined by commas (as a
    /// request by that key is routed). A key property the body leaves out is generated, as
    /// `id` is.
    fn new_item_key(&self, id: &str, members: &mut serde_json::Map<String, Value>) -> String {
        let endpoint = self.route.endpoint;
        let Some(key) = self
            .state
            .routes
            .composite_key(endpoint.version, endpoint.template)
        else {
            return id.to_owned();
        };
        let mut values = Vec::new();
        for property in key {
            let value = match members.get(property).and_then(Value::as_str) {
                Some(value) => value.to_owned(),
                None => {
                    let value = uuid::Uuid::new_v4().to_string();
                    members.insert(property.clone(), json!(value));
                    value
                }
            };
            values.push(value);
        }
        values.join(",")
    }

    fn read(&self, target: Target) -> EmuResponse {
        if let Err(response) = self.check_named_properties() {
            return response;
        }
        crate::staged::advance(
            self.state,
            self.tenant,
            self.route.endpoint.template,
            &self.key,
        );
        let stored = self.state.store(self.tenant).get(&self.key).cloned();
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
        let existing = self.state.store(self.tenant).get(&self.key).cloned();
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
            .store(self.tenant)
            .put(self.key.clone(), Value::Object(current.clone()));
        EmuResponse::json(200, Value::Object(current))
    }

    fn delete(&self) -> EmuResponse {
        if self.state.store(self.tenant).remove_tree(&self.key) {
            EmuResponse::empty(204)
        } else {
            not_found()
        }
    }

    /// Every item the path addresses exists (`…/managedDevices/{id}/syncDevice` needs the
    /// device).
    fn addressed_exist(&self) -> bool {
        let store = self.state.store(self.tenant);
        self.route
            .addressed_items(&self.key)
            .iter()
            .all(|item| store.contains(item))
    }

    /// `…/assignedUsers(userPrincipalName='…')`: the item of the collection whose property has
    /// that value (404 when none has).
    fn by_alternate_key(&self) -> EmuResponse {
        let last = self
            .route
            .endpoint
            .template
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let (Some((collection, rest)), Some((_, items_parent))) =
            (last.split_once('('), self.key.split_last())
        else {
            return not_found();
        };
        let property = rest.split_once('=').map_or(rest, |(p, _)| p);
        let value = self.key.last().cloned().unwrap_or_default();
        let mut collection_key = items_parent.to_vec();
        collection_key.push(collection.to_owned());
        if !self.addressed_exist() {
            return not_found();
        }
        let found = self
            .state
            .store(self.tenant)
            .children(&collection_key)
            .into_iter()
            .find(|(_, item)| item.get(property).and_then(Value::as_str) == Some(value.as_str()));
        match found {
            Some((key, item)) => EmuResponse::json(200, self.shape(&key, item)),
            None => not_found(),
        }
    }

    /// `…/$ref`: a stored `{"@odata.id": …}` read (404 while none is set, as Graph answers),
    /// set by PUT (204; a body without a string `@odata.id` is Graph's 400) and removed by
    /// DELETE (204, or 404 when none was set).
    fn reference(&self, method: HttpMethod, body: Option<Value>) -> EmuResponse {
        if !self.addressed_exist() {
            return not_found();
        }
        match method {
            HttpMethod::Get => match self.state.store(self.tenant).get(&self.key).cloned() {
                Some(value) => EmuResponse::json(200, value),
                None => not_found(),
            },
            HttpMethod::Put | HttpMethod::Post | HttpMethod::Patch => {
                let Some(id) = body
                    .as_ref()
                    .and_then(|b| b.get("@odata.id"))
                    .and_then(Value::as_str)
                else {
                    return bad_request(
                        "A $ref request body must be an object with an '@odata.id' string.".into(),
                    );
                };
                let value = json!({ "@odata.id": id });
                self.state.store(self.tenant).put(self.key.clone(), value);
                EmuResponse::empty(204)
            }
            HttpMethod::Delete => self.delete(),
        }
    }

    /// A bound function: answers with an empty value of its declared result.
    fn function(&self) -> EmuResponse {
        if !self.addressed_exist() {
            return not_found();
        }
        operation_result(self.route.endpoint.response)
    }

    fn action(&self, body: Option<Value>) -> EmuResponse {
        let parent = &self.key[..self.key.len().saturating_sub(1)];
        if !self.addressed_exist() {
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
        // A staged upload's commit or renewal moves its session on (the body checked above).
        if let Some(answer) = crate::staged::action(
            self.state,
            self.tenant,
            self.route.endpoint.template,
            &self.key,
            Some(&body),
        ) {
            return answer;
        }
        match self.route.endpoint.response {
            ResponseShape::Collection(_) => {
                // An action that answers with a collection replaces the parent's collection of
                // the same name (`assign` → `assignments`) and returns it.
                let Some((name, Value::Array(items))) = body
                    .as_object()
                    .and_then(|o| o.iter().find(|(_, v)| v.is_array()))
                    // Only an action bound to an item owns a collection beside it.
                    .filter(|_| {
                        self.route
                            .addressed_items(&self.key)
                            .last()
                            .map(Vec::as_slice)
                            == Some(parent)
                    })
                else {
                    return EmuResponse::json(200, json!({"value": []}));
                };
                let mut collection = parent.to_vec();
                collection.push(name.clone());
                let mut store = self.state.store(self.tenant);
                store.clear_collection(&collection);
                let stored = store_children(&mut store, &collection, items.clone());
                EmuResponse::json(200, json!({"value": stored}))
            }
            shape => operation_result(shape),
        }
    }
}

/// What an operation that the emulator only acknowledges answers: nothing, or an empty value
/// of the declared result (an object of the declared type, an empty collection, `false`, `""`,
/// or an empty JSON stream).
fn operation_result(shape: ResponseShape) -> EmuResponse {
    match shape {
        ResponseShape::NoContent => EmuResponse::empty(204),
        ResponseShape::Entity(meta) => {
            EmuResponse::json(200, json!({"@odata.type": meta.odata_type}))
        }
        ResponseShape::Collection(_) => EmuResponse::json(200, json!({"value": []})),
        ResponseShape::Count => EmuResponse {
            status: 200,
            headers: Vec::new(),
            body: Body::Text("0".into(), "text/plain"),
        },
        ResponseShape::Value(kind) => EmuResponse::json(200, json!({"value": empty_value(kind)})),
        ResponseShape::Stream => EmuResponse {
            status: 200,
            headers: Vec::new(),
            body: Body::Text("{}".into(), "application/octet-stream"),
        },
        // A reference is read from the store (`Context::reference`); an operation never
        // answers with one.
        ResponseShape::Reference => EmuResponse::empty(204),
    }
}

fn empty_value(kind: Edm) -> Value {
    match kind {
        Edm::Boolean => json!(false),
        Edm::String | Edm::Guid | Edm::DateTimeOffset => json!(""),
        // An enum answers its first member, a value its type can hold.
        Edm::Enum(meta) => json!(meta.members.first().copied().unwrap_or_default()),
        Edm::Int32 | Edm::Int64 | Edm::Double => json!(0),
        Edm::Collection(_) => json!([]),
        Edm::Object(_) | Edm::Json => json!({}),
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
fn expand_into(state: &State, tenant: &str, key: &[String], value: &mut Value, expand: &str) {
    let Value::Object(members) = value else {
        return;
    };
    for (name, nested) in split_expand(expand) {
        let mut collection = key.to_vec();
        collection.push(name.clone());
        // Take the children first: the store lock must not be held while recursing.
        let stored = state.store(tenant).children(&collection);
        let children: Vec<Value> = stored
            .into_iter()
            .map(|(child_key, mut child)| {
                if let Some(inner) = nested.as_deref().and_then(|n| n.strip_prefix("$expand=")) {
                    expand_into(state, tenant, &child_key, &mut child, inner);
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

/// The first registered service rule this request breaks, as the service's answer.
fn broken_rule(method: HttpMethod, body: &Value, meta: &'static EntityMeta) -> Option<EmuResponse> {
    ServiceRule::all()
        .filter(|rule| rule.applies_to(method, meta))
        .find_map(|rule| (rule.check)(body, meta).err())
        .map(|broken| error(broken.status, broken.code, &broken.message))
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
}
