//! What is generated: every resource reachable from the roots (the `deviceManagement` and
//! `deviceAppManagement` singletons, `overlay.json` `roots`) through contained navigation and
//! the type casts Microsoft publishes, the method+path pairs on each, and the closure of types
//! they use.

use std::collections::{BTreeMap, BTreeSet};

use crate::csdl::{Operation, Schema, TypeRef, Write};
use crate::naming::{lower_first, singular, snake, upper_camel};

/// The area of the first root's own endpoints: they are methods of `Intune` itself. Every
/// other root's own endpoints are an area of their own, named by the root
/// (`device_app_management`).
pub const ROOT_AREA: &str = "root";

/// The longest method name the generator writes: a longer one fails generation.
pub const MAX_NAME_LEN: usize = 64;
/// The most methods one handler may have: a larger area fails generation.
pub const MAX_METHODS_PER_HANDLER: usize = 100;

/// What one endpoint does.
#[derive(Debug, Clone)]
pub enum OpKind {
    /// GET a collection (all pages).
    List,
    /// POST to a collection.
    Create,
    /// GET `…/$count`.
    Count,
    /// GET an item or a single-valued resource.
    Get,
    /// PATCH it.
    Update,
    /// DELETE it.
    Delete,
    /// POST a bound action.
    Action(Operation),
    /// GET a bound function.
    Function(Operation),
    /// GET `…/$ref`: the reference a single-valued navigation holds.
    ReferenceGet,
    /// PUT `…/$ref`: point the navigation at another entity.
    ReferenceSet,
    /// DELETE `…/$ref`: remove the reference (the entity it pointed to stays).
    ReferenceDelete,
}

impl OpKind {
    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        match self {
            Self::List | Self::Count | Self::Get | Self::Function(_) | Self::ReferenceGet => "GET",
            Self::Create | Self::Action(_) => "POST",
            Self::Update => "PATCH",
            Self::ReferenceSet => "PUT",
            Self::Delete | Self::ReferenceDelete => "DELETE",
        }
    }

    /// The word the method name ends with.
    pub fn suffix(&self) -> String {
        match self {
            Self::List => "list".into(),
            Self::Create => "create".into(),
            Self::Count => "count".into(),
            Self::Get => "get".into(),
            Self::Update => "update".into(),
            Self::Delete => "delete".into(),
            Self::Action(op) | Self::Function(op) => operation_words(op),
            Self::ReferenceGet => "ref_get".into(),
            Self::ReferenceSet => "ref_set".into(),
            Self::ReferenceDelete => "ref_delete".into(),
        }
    }
}

/// An operation's method words: its name without a namespace
/// (`microsoft.graph.deviceManagement.getPortalNotifications` -> `get_portal_notifications`),
/// and `_action`/`_function` after a name the method of a path already ends with
/// (`policySet`'s action `update` beside its PATCH, `update`).
pub fn operation_words(op: &Operation) -> String {
    let words = snake(own_name(op));
    if ["list", "create", "count", "get", "update", "delete"].contains(&words.as_str()) {
        format!(
            "{words}_{}",
            if op.is_action { "action" } else { "function" }
        )
    } else {
        words
    }
}

/// An operation's name without its namespace: `getPortalNotifications` for
/// `microsoft.graph.deviceManagement.getPortalNotifications` (the path keeps it whole).
fn own_name(op: &Operation) -> &str {
    op.name.rsplit('.').next().unwrap_or(&op.name)
}

/// A placeholder of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathParam {
    /// As written in the template: `deviceCompliancePolicyId`.
    pub name: String,
    /// What it stands for.
    pub kind: ParamKind,
}

/// What a placeholder stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamKind {
    /// The key of an entity type (the root of its lineage): a typed id.
    Key(String),
    /// A value of this type written into the segment: a function's parameter, an alternate
    /// key, or one property of a key of several.
    Function(TypeRef),
}

/// One method+path pair.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// What it does.
    pub kind: OpKind,
    /// `/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}`.
    pub template: String,
    /// Its placeholders, in order.
    pub params: Vec<PathParam>,
    /// The Rust method name on its area's handler: the path after the area, items singular,
    /// then the operation (`assignment_get`, `sync_device`; `list` for the area itself).
    pub name: String,
    /// The entity type of the resource addressed (for actions: the binding type).
    pub resource_type: String,
    /// The navigation property that reached the resource, as `owner/name`; `None` for the root.
    pub navigation: Option<String>,
    /// The top-level navigation property it lives under ([`ROOT_AREA`] for the first root's
    /// own endpoints, the root's snake name for another root's).
    pub area: String,
    /// The root singleton it is under (`deviceManagement`).
    pub root: String,
    /// The subtype a segment of its path casts to (`…/mobileApps/{id}/microsoft.graph.win32LobApp/…`):
    /// its methods are on a handler of their own within the area, `as_win32_lob_app()`.
    pub cast: Option<String>,
    /// In an area too large for one handler, the navigation below the area's resource it lives
    /// under, in snake case (`cloud_pcs` of `virtualEndpoint/cloudPCs`): its methods are on a
    /// handler of their own within the area, `virtual_endpoint().cloud_pcs()`, named by what
    /// follows that navigation.
    pub group: Option<String>,
    /// True for collection endpoints (list, create, count, collection-bound operations).
    pub on_collection: bool,
}

impl Endpoint {
    /// The path without placeholder names, lower-cased, keys as `{id}`: how the permissions map
    /// writes it.
    pub fn permission_path(&self) -> String {
        crate::permissions::normalize(&self.template)
    }

    /// The handler whose method it is: its area, and within it the cast's or the navigation's
    /// handler if any.
    pub fn handler(&self) -> (&str, Option<Within<'_>>) {
        let within = match (&self.cast, &self.group) {
            (Some(ty), _) => Some(Within::Cast(ty)),
            (None, Some(group)) => Some(Within::Navigation(group)),
            (None, None) => None,
        };
        (self.area.as_str(), within)
    }
}

/// A handler within an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Within<'a> {
    /// The area's resources read as a subtype (`microsoft.graph.win32LobApp`): `as_win32_lob_app()`.
    Cast(&'a str),
    /// A navigation below the area's resource, in snake case, where the area is too large for
    /// one handler: `cloud_pcs()`.
    Navigation(&'a str),
}

impl Within<'_> {
    /// The area handler's method returning this handler: `as_win32_lob_app`, `cloud_pcs`.
    pub fn accessor(&self) -> String {
        match self {
            Within::Cast(ty) => cast_accessor(ty),
            Within::Navigation(group) => (*group).to_owned(),
        }
    }
}

/// The path segment that casts to a subtype: `microsoft.graph.win32LobApp`.
pub fn cast_segment(ty: &str) -> String {
    format!("microsoft.graph.{ty}")
}

/// Whether a path segment reads the resource as a subtype (`microsoft.graph.win32LobApp`).
pub fn is_cast_segment(segment: &str) -> bool {
    // A name with a namespace of its own after `microsoft.graph.` is an operation of that
    // namespace (`microsoft.graph.deviceManagement.getPortalNotifications()`), not a cast.
    segment
        .to_ascii_lowercase()
        .strip_prefix("microsoft.graph.")
        .is_some_and(|rest| !rest.contains('.') && !rest.contains('('))
}

/// The properties and values of a segment that addresses an item by a key of several
/// properties: `id='a',policyId='b'` -> `[("id", "a"), ("policyId", "b")]` (values as written,
/// quotes still doubled); `None` for any other segment (a function's `name(p='…')` included).
pub fn composite_key_parts(segment: &str) -> Option<Vec<(&str, &str)>> {
    if segment.contains('(') || !segment.contains("='") {
        return None;
    }
    segment
        .split(',')
        .map(|part| {
            let (name, value) = part.split_once("='")?;
            Some((name, value.strip_suffix('\'')?))
        })
        .collect()
}

/// A path (a template or a filled one, any case) without its cast segments: the resource
/// the casts read.
pub fn without_casts(path: &str) -> String {
    path.split('/')
        .filter(|s| !is_cast_segment(s))
        .collect::<Vec<_>>()
        .join("/")
}

/// The generated surface.
#[derive(Debug, Default)]
pub struct Surface {
    /// Every method+path pair, in walk order.
    pub endpoints: Vec<Endpoint>,
    /// Entity types used.
    pub entities: BTreeSet<String>,
    /// Complex types used.
    pub complexes: BTreeSet<String>,
    /// Enum types used.
    pub enums: BTreeSet<String>,
    /// Entity types whose key appears in a path: each gets a typed id.
    pub keyed: BTreeSet<String>,
    /// Types (entity or complex) with subtypes in the closure: each gets a family enum.
    pub families: BTreeSet<String>,
    /// Bound operations with parameters in a body (actions), by Rust parameter-struct name.
    pub parameter_structs: BTreeMap<String, Operation>,
    /// Types reached only through navigations that do not contain their targets (`user`, from
    /// a Cloud PC assignment's `assignedUsers`): their own contained navigations are neither
    /// walked nor fields, so one link does not pull in a whole other workload.
    pub shallow: BTreeSet<String>,
    /// The root singletons' types, in the overlay's order (their navigation properties are
    /// areas, not fields).
    pub roots: Vec<String>,
}

struct Walk<'a> {
    schema: &'a Schema,
    surface: Surface,
    types: TypeWalk<'a>,
    /// Targets of non-contained navigations: added to the closure after the contained walk,
    /// shallow where containment did not reach them.
    linked: Vec<String>,
    /// Shorter names for the resources at these templates (overlay `short_names`).
    short_names: &'a BTreeMap<String, String>,
    /// Areas too large for one handler: each navigation below the area's resource gets its own.
    split: &'a BTreeSet<String>,
}

/// A resource while walking: where it is and how it is named.
struct Node {
    template: String,
    params: Vec<PathParam>,
    /// Snake words naming the resource below its area (empty for an area and its items, and
    /// for the singleton).
    name: String,
    area: String,
    /// The root singleton the path starts at.
    root: String,
    /// True for a root itself: its navigation properties are areas.
    is_root: bool,
    /// The subtype the path casts to, if it does.
    cast: Option<String>,
    /// The navigation whose handler it is on, in an area split by navigation
    /// ([`Endpoint::group`]); names below it are relative to it.
    group: Option<String>,
}

impl Node {
    /// An item of the collection at this node, addressed by the key `segment`, with the
    /// path's placeholders `params`.
    fn item_at(&self, segment: &str, params: Vec<PathParam>, name: String) -> Node {
        Node {
            template: format!("{}/{segment}", self.template),
            params,
            name,
            area: self.area.clone(),
            root: self.root.clone(),
            is_root: false,
            cast: self.cast.clone(),
            group: self.group.clone(),
        }
    }
}

impl Surface {
    /// Walks the schema from the singleton. `short_names` replaces the name of the resource at
    /// a template (and so of everything below it) where the path's words make names too long.
    pub fn build(
        schema: &Schema,
        roots: &[String],
        short_names: &BTreeMap<String, String>,
    ) -> Result<Self, String> {
        let mut surface = Self::walk(schema, roots, short_names, &BTreeSet::new())?;
        let split = surface.areas_over(MAX_METHODS_PER_HANDLER);
        if !split.is_empty() {
            surface = Self::walk(schema, roots, short_names, &split)?;
        }
        surface.check_names(MAX_METHODS_PER_HANDLER)?;
        Ok(surface)
    }

    /// [`Surface::build`] keeping only the endpoints Microsoft's SDK publishes (see
    /// [`Surface::keep_published`]); names are checked on what is kept.
    pub fn build_published(
        schema: &Schema,
        roots: &[String],
        short_names: &BTreeMap<String, String>,
        pairs: &str,
        file: &str,
        not_generated: &BTreeMap<String, String>,
        max_methods: usize,
    ) -> Result<Self, String> {
        let mut surface = Self::walk(schema, roots, short_names, &BTreeSet::new())?;
        surface.keep_published(pairs, file, not_generated)?;
        // An area over the limit is walked again with a handler per navigation below it.
        let split = surface.areas_over(max_methods);
        if !split.is_empty() {
            surface = Self::walk(schema, roots, short_names, &split)?;
            surface.keep_published(pairs, file, not_generated)?;
        }
        surface.check_names(max_methods)?;
        Ok(surface)
    }

    /// The areas whose own handler (casts aside) would have more than `max` methods.
    fn areas_over(&self, max: usize) -> BTreeSet<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for e in self.endpoints.iter().filter(|e| e.cast.is_none()) {
            *counts.entry(e.area.as_str()).or_default() += 1;
        }
        counts
            .into_iter()
            .filter(|(area, n)| *n > max && *area != ROOT_AREA)
            .map(|(area, _)| area.to_owned())
            .collect()
    }

    fn walk(
        schema: &Schema,
        roots: &[String],
        short_names: &BTreeMap<String, String>,
        split: &BTreeSet<String>,
    ) -> Result<Self, String> {
        if roots.is_empty() {
            return Err("overlay.json names no `roots`".into());
        }
        let mut walk = Walk {
            schema,
            surface: Surface {
                roots: roots.to_vec(),
                ..Surface::default()
            },
            types: TypeWalk::new(schema, true, BTreeSet::new()),
            linked: Vec::new(),
            short_names,
            split,
        };
        // Which root each area belongs to: two roots may not share an area's name.
        let mut area_roots: BTreeMap<String, String> = BTreeMap::new();
        for (index, root) in roots.iter().enumerate() {
            // A root is a singleton of the entity type of the same name.
            if !schema.entities.contains_key(root) {
                return Err(format!(
                    "overlay.json roots: `{root}` is not an entity type of the schema"
                ));
            }
            let node = Node {
                template: format!("/{root}"),
                params: Vec::new(),
                name: String::new(),
                area: if index == 0 {
                    ROOT_AREA.into()
                } else {
                    snake(root)
                },
                root: root.clone(),
                is_root: true,
                cast: None,
                group: None,
            };
            let first = walk.surface.endpoints.len();
            walk.types.add(root, true);
            walk.endpoint(&node, OpKind::Get, root, None, false);
            walk.endpoint(&node, OpKind::Update, root, None, false);
            walk.resource(&node, root, &mut vec![root.clone()], true)?;
            for e in &walk.surface.endpoints[first..] {
                if let Some(other) = area_roots.insert(e.area.clone(), root.clone())
                    && other != *root
                {
                    return Err(format!(
                        "the area `{}` would be both `/{other}/…` and `/{root}/…`",
                        e.area
                    ));
                }
            }
        }
        let used: Vec<&String> = walk.short_names.keys().collect();
        if let Some(unused) = used.iter().find(|t| {
            !walk
                .surface
                .endpoints
                .iter()
                .any(|e| e.template.starts_with(t.as_str()))
        }) {
            return Err(format!(
                "overlay.json short_names: `{unused}` is no generated template"
            ));
        }
        walk.types.shallow_from_now = true;
        for target in std::mem::take(&mut walk.linked) {
            walk.types.add(&target, true);
        }
        let mut surface = walk.surface;
        surface.shallow = walk.types.shallow.clone();
        for name in walk.types.types {
            let set = if schema.enums.contains_key(&name) {
                &mut surface.enums
            } else if schema.entities.contains_key(&name) {
                &mut surface.entities
            } else {
                &mut surface.complexes
            };
            set.insert(name);
        }
        // A type with a subtype in the closure is a family.
        surface.families = surface
            .entities
            .iter()
            .chain(surface.complexes.iter())
            .filter(|name| {
                schema.subtypes(name).iter().any(|s| {
                    surface.entities.contains(&s.name) || surface.complexes.contains(&s.name)
                })
            })
            .cloned()
            .collect();
        Ok(surface)
    }

    /// Keeps the endpoints whose method+path Microsoft's SDK publishes (`pairs`: lines of
    /// `GET /deviceManagement/…`, the converter's listing, `file`): the SDK's path tree
    /// decides which paths exist. Fails naming the published pairs the walk does not reach,
    /// but for those the overlay lists as not generated (with their reason).
    fn keep_published(
        &mut self,
        pairs: &str,
        file: &str,
        not_generated: &BTreeMap<String, String>,
    ) -> Result<(), String> {
        let published: BTreeSet<String> = pairs
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(normalized_pair)
            .collect();
        let pair = |e: &Endpoint| normalized_pair(&format!("{} {}", e.kind.method(), e.template));
        self.endpoints.retain(|e| published.contains(&pair(e)));
        let ours: BTreeSet<String> = self.endpoints.iter().map(pair).collect();
        let listed: BTreeSet<String> = not_generated.keys().map(|k| normalized_pair(k)).collect();
        if let Some(stale) = listed
            .iter()
            .find(|l| ours.contains(*l) || !published.contains(*l))
        {
            return Err(format!(
                "overlay.json sdk_differences.sdk_only lists {stale}, which is generated or not published"
            ));
        }
        let missing: Vec<&String> = published
            .difference(&ours)
            .filter(|p| !listed.contains(*p))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} pairs of {file} are not generated: {}",
            missing.len(),
            missing
                .iter()
                .take(200)
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ))
    }

    /// The endpoints by area (the top-level navigation property they live under; `root` for
    /// the singleton's own), areas in name order, endpoints in walk order.
    pub fn by_area(&self) -> BTreeMap<&str, Vec<&Endpoint>> {
        let mut by_area: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
        for e in &self.endpoints {
            by_area.entry(e.area.as_str()).or_default().push(e);
        }
        by_area
    }

    /// Fails on two endpoints of one handler with one method name, one method+path generated
    /// twice, a name over [`MAX_NAME_LEN`] characters or a handler over
    /// [`MAX_METHODS_PER_HANDLER`] methods.
    fn check_names(&self, max_methods: usize) -> Result<(), String> {
        let mut names = BTreeMap::new();
        let mut pairs = BTreeSet::new();
        for e in &self.endpoints {
            if let Some(other) = names.insert(
                (
                    e.area.clone(),
                    e.cast.clone(),
                    e.group.clone(),
                    e.name.clone(),
                ),
                e.template.clone(),
            ) {
                return Err(format!(
                    "two endpoints of the `{}` handler are named `{}`: {} and {}",
                    handler_label(&e.area, e.handler().1),
                    e.name,
                    other,
                    e.template
                ));
            }
            // An operation's own name is Microsoft's (`search_cloud_certification_authority_
            // leaf_certificate_by_serial_number`): kept whole rather than renamed.
            let own_name = matches!(&e.kind, OpKind::Action(op) | OpKind::Function(op) if operation_words(op) == e.name);
            if e.name.len() > MAX_NAME_LEN && !own_name {
                return Err(format!(
                    "the method for {} {} would be named `{}`, {} characters (at most {MAX_NAME_LEN})",
                    e.kind.method(),
                    e.template,
                    e.name,
                    e.name.len()
                ));
            }
            if !pairs.insert((e.kind.method(), e.template.clone())) {
                return Err(format!(
                    "{} {} is generated twice",
                    e.kind.method(),
                    e.template
                ));
            }
        }
        let by_area = self.by_area();
        // The singleton's own methods share `Intune` with the handler accessors.
        for e in by_area.get(ROOT_AREA).into_iter().flatten() {
            if by_area.contains_key(e.name.as_str()) {
                return Err(format!(
                    "`Intune::{}` would be both {} {} and the `{}` handler",
                    e.name,
                    e.kind.method(),
                    e.template,
                    e.name
                ));
            }
        }
        let by_handler = self.by_handler();
        for ((area, within), endpoints) in &by_handler {
            if endpoints.len() > max_methods {
                return Err(format!(
                    "the `{}` handler would have {} methods (at most {}): split it",
                    handler_label(area, *within),
                    endpoints.len(),
                    max_methods
                ));
            }
            // A handler of a navigation and a cast's within one area: the area's own methods
            // may not take their accessors' names.
            if let Some(within) = within {
                let accessor = within.accessor();
                if let Some(e) = by_handler
                    .get(&(*area, None))
                    .into_iter()
                    .flatten()
                    .find(|e| e.name == accessor)
                {
                    return Err(format!(
                        "`{area}.{accessor}` would be both {} {} and the `{}` handler",
                        e.kind.method(),
                        e.template,
                        handler_label(area, Some(*within))
                    ));
                }
            }
        }
        Ok(())
    }

    /// The endpoints by handler (area, and the cast's or navigation's within it), in name
    /// order, endpoints in walk order.
    pub fn by_handler(&self) -> BTreeMap<(&str, Option<Within<'_>>), Vec<&Endpoint>> {
        let mut out: BTreeMap<(&str, Option<Within<'_>>), Vec<&Endpoint>> = BTreeMap::new();
        for e in &self.endpoints {
            out.entry(e.handler()).or_default().push(e);
        }
        out
    }

    /// The entity type whose key addresses items of `name` (the root of its lineage).
    pub fn key_root<'s>(schema: &'s Schema, name: &'s str) -> &'s str {
        schema
            .lineage(name)
            .last()
            .map_or(name, |t| t.name.as_str())
    }
}

/// How a handler is named in messages: `mobile_apps`, `mobile_apps.as_win32_lob_app` or
/// `virtual_endpoint.cloud_pcs`.
pub fn handler_label(area: &str, within: Option<Within<'_>>) -> String {
    match within {
        Some(within) => format!("{area}.{}", within.accessor()),
        None => area.to_owned(),
    }
}

/// The area handler's method returning a cast's handler: `as_win32_lob_app`.
pub fn cast_accessor(ty: &str) -> String {
    format!("as_{}", snake(ty))
}

impl Walk<'_> {
    /// The operations bound to `ty` (unless `operations` is false: Microsoft publishes none
    /// below a cast), its property paths and its navigations, recursively.
    fn resource(
        &mut self,
        node: &Node,
        ty: &str,
        visiting: &mut Vec<String>,
        operations: bool,
    ) -> Result<(), String> {
        let schema = self.schema;
        let lineage: Vec<String> = schema.lineage(ty).iter().map(|t| t.name.clone()).collect();
        if lineage.is_empty() {
            return Err(format!("`{ty}` is not an entity type of the schema"));
        }
        let mut seen = BTreeSet::new();
        // Microsoft's paths carry an operation only where the resource's declared type is its
        // binding type, not a type deriving from it: `assign`, bound to
        // `targetedManagedAppProtection`, has no path under `androidManagedAppProtections/{id}`.
        if operations {
            for op in schema.bound_to(ty, false) {
                // Overloads of a function are told apart by their parameters.
                let signature: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
                if seen.insert(format!("{}({})", op.name, signature.join(","))) {
                    self.operation(node, op, ty, false);
                }
            }
        }
        self.property_paths(node, &lineage);
        for owner in &lineage {
            let Some(owner_type) = schema.entities.get(owner) else {
                continue;
            };
            for nav in &owner_type.navigations {
                if !seen.insert(nav.name.clone()) {
                    continue;
                }
                if nav.ty.collection && schema.is_referenceable(owner, &nav.name) {
                    return Err(format!(
                        "`{owner}/{}` is a referenceable collection: its `$ref` paths (GET, POST, DELETE by id) are not generated yet",
                        nav.name
                    ));
                }
                if !nav.contained {
                    self.linked(node, owner, nav);
                    continue;
                }
                // A path takes each navigation property once (as Microsoft's OpenAPI
                // conversion does): `nextVersionDefinition/previousVersionDefinition` is a
                // path, `nextVersionDefinition/previousVersionDefinition/nextVersionDefinition`
                // is not.
                let key = format!("{owner}/{}", nav.name);
                if visiting.contains(&key) {
                    continue;
                }
                let target = nav.ty.name.clone();
                self.types.add(&nav.ty.name, true);
                let navigation = Some(key.clone());
                let (here, item_name) = self.child(node, &nav.name);
                visiting.push(key);
                // What Microsoft's capability annotations forbid on the target type is not
                // generated (Graph only reads `cloudPcServicePlan`s).
                let allowed = |kind: &OpKind| match kind {
                    OpKind::Create => schema.allows(&target, Write::Insert),
                    OpKind::Update => schema.allows(&target, Write::Update),
                    OpKind::Delete => schema.allows(&target, Write::Delete),
                    _ => true,
                };
                let casts = schema.cast_targets(owner, &nav.name, &target);
                if !casts.is_empty() && node.cast.is_some() {
                    return Err(format!(
                        "`{owner}/{}` casts to subtypes below the cast to `{}`: nested casts are not generated yet",
                        nav.name,
                        node.cast.as_deref().unwrap_or_default()
                    ));
                }
                if nav.ty.collection {
                    for kind in [OpKind::List, OpKind::Create, OpKind::Count] {
                        if allowed(&kind) {
                            self.endpoint(&here, kind, &target, navigation.clone(), true);
                        }
                    }
                    for op in schema.bound_to(&target, true) {
                        self.operation(&here, op, &target, true);
                    }
                    let item = self.item(&here, &target, item_name);
                    for kind in [OpKind::Get, OpKind::Update, OpKind::Delete] {
                        if allowed(&kind) {
                            self.endpoint(&item, kind, &target, navigation.clone(), false);
                        }
                    }
                    self.resource(&item, &target, visiting, true)?;
                    for cast in &casts {
                        // The collection read as one subtype: its list and count.
                        let all = self.cast(&here, cast);
                        self.types.add(cast, true);
                        for kind in [OpKind::List, OpKind::Count] {
                            self.endpoint(&all, kind, cast, navigation.clone(), true);
                        }
                        // An item read as the subtype, and what the subtype adds below it.
                        let one = self.cast(&item, cast);
                        self.endpoint(&one, OpKind::Get, cast, navigation.clone(), false);
                        self.resource(&one, cast, visiting, false)?;
                    }
                } else {
                    for kind in [OpKind::Get, OpKind::Update, OpKind::Delete] {
                        if allowed(&kind) {
                            self.endpoint(&here, kind, &target, navigation.clone(), false);
                        }
                    }
                    if schema.is_referenceable(owner, &nav.name) {
                        self.references(&here, &target, &navigation);
                    }
                    self.resource(&here, &target, visiting, true)?;
                    for cast in &casts {
                        let one = self.cast(&here, cast);
                        self.types.add(cast, true);
                        self.endpoint(&one, OpKind::Get, cast, navigation.clone(), false);
                        self.resource(&one, cast, visiting, false)?;
                    }
                }
                visiting.pop();
            }
        }
        Ok(())
    }

    /// The resource a navigation property leads to from `node`, and the name its items take.
    /// An area's own name is its handler's: methods are named by what follows it.
    fn child(&self, node: &Node, navigation: &str) -> (Node, String) {
        let template = format!("{}/{navigation}", node.template);
        // Directly below the resource of an area split by navigation (the area or its items):
        // a handler of its own, whose names start afresh.
        let starts_group = !node.is_root
            && node.name.is_empty()
            && node.cast.is_none()
            && node.group.is_none()
            && self.split.contains(&node.area);
        let mut group = node.group.clone();
        let (area, mut here_name, mut item_name) = if node.is_root {
            (snake(navigation), String::new(), String::new())
        } else if starts_group {
            group = Some(snake(navigation));
            (node.area.clone(), String::new(), String::new())
        } else {
            let words = without_parent_words(&snake(navigation), &node.template);
            (
                node.area.clone(),
                join_words(&node.name, &words),
                join_words(&node.name, &singular(&words)),
            )
        };
        if let Some(short) = self.short_names.get(&template) {
            if starts_group {
                group = Some(short.clone());
            } else {
                here_name = short.clone();
                item_name = singular(short);
            }
        }
        let here = Node {
            template,
            params: node.params.clone(),
            name: here_name,
            area,
            root: node.root.clone(),
            is_root: false,
            cast: node.cast.clone(),
            group,
        };
        (here, item_name)
    }

    /// The resource at `node` read as subtype `ty`: a handler of its own within the area, so
    /// its names start afresh.
    fn cast(&self, node: &Node, ty: &str) -> Node {
        Node {
            template: format!("{}/{}", node.template, cast_segment(ty)),
            params: node.params.clone(),
            name: String::new(),
            area: node.area.clone(),
            root: node.root.clone(),
            is_root: false,
            cast: Some(ty.to_owned()),
            group: None,
        }
    }

    /// An item of the collection at `here`, addressed by its type's key.
    fn item(&mut self, here: &Node, target: &str, name: String) -> Node {
        if let Some(key) = self.schema.composite_key(target) {
            return self.item_by_composite_key(here, target, key, name);
        }
        let key = Surface::key_root(self.schema, target).to_owned();
        self.surface.keyed.insert(key.clone());
        // Written so that the macro's snake_case of it is the argument's name; a second key of
        // the same type in one path is numbered, as Microsoft's paths number it
        // (`templates/{…Id}/migratableTo/{…Id1}`).
        let mut param = format!("{}Id", lower_first(&upper_camel(&key)));
        let first = param.clone();
        let mut n = 0;
        while here.params.iter().any(|p| p.name == param) {
            n += 1;
            param = format!("{first}{n}");
        }
        let mut params = here.params.clone();
        params.push(PathParam {
            name: param.clone(),
            kind: ParamKind::Key(key),
        });
        here.item_at(&format!("{{{param}}}"), params, name)
    }

    /// An item addressed by several of its properties
    /// (`…/deviceHealthScriptStates/id='{id}',policyId='{policyId}',deviceId='{deviceId}'`):
    /// each a value of the property's type, no typed id.
    fn item_by_composite_key(
        &mut self,
        here: &Node,
        target: &str,
        key: &[String],
        name: String,
    ) -> Node {
        let lineage = self.schema.lineage(target);
        let mut params = here.params.clone();
        let mut segment = Vec::new();
        for part in key {
            let ty = lineage
                .iter()
                .flat_map(|t| &t.properties)
                .find(|p| p.name == *part)
                .map_or_else(
                    || crate::csdl::TypeRef {
                        collection: false,
                        name: "Edm.String".into(),
                    },
                    |p| p.ty.clone(),
                );
            segment.push(format!("{part}='{{{part}}}'"));
            params.push(PathParam {
                name: part.clone(),
                kind: ParamKind::Function(ty),
            });
        }
        here.item_at(&segment.join(","), params, name)
    }

    /// A navigation that does not contain its targets (they live elsewhere in Graph, as
    /// `user`s do). Microsoft's paths read it, and for a collection count it and read an item
    /// by key or alternate key unless `IndexableByKey` is false, but go no deeper than the
    /// target's own addressable properties: no operations, no further navigation.
    fn linked(&mut self, node: &Node, owner: &str, nav: &crate::csdl::Navigation) {
        let schema = self.schema;
        let target = nav.ty.name.clone();
        self.linked.push(target.clone());
        let navigation = Some(format!("{owner}/{}", nav.name));
        let (here, item_name) = self.child(node, &nav.name);
        let lineage: Vec<String> = schema
            .lineage(&target)
            .iter()
            .map(|t| t.name.clone())
            .collect();
        if !nav.ty.collection {
            self.endpoint(&here, OpKind::Get, &target, navigation.clone(), false);
            if schema.is_referenceable(owner, &nav.name) {
                self.references(&here, &target, &navigation);
            }
            return;
        }
        self.endpoint(&here, OpKind::List, &target, navigation.clone(), true);
        if !schema.is_indexable(owner, &nav.name) {
            return;
        }
        self.endpoint(&here, OpKind::Count, &target, navigation.clone(), true);
        let item = self.item(&here, &target, item_name.clone());
        self.endpoint(&item, OpKind::Get, &target, navigation.clone(), false);
        for owner in &lineage {
            for key in schema.alternate_keys(owner) {
                let by_key = Node {
                    template: format!("{}({key}='{{{key}}}')", here.template),
                    params: here
                        .params
                        .iter()
                        .cloned()
                        .chain([PathParam {
                            name: key.clone(),
                            kind: ParamKind::Function(crate::csdl::TypeRef {
                                collection: false,
                                name: "Edm.String".into(),
                            }),
                        }])
                        .collect(),
                    name: join_words(&item_name, &format!("by_{}", snake(key))),
                    area: here.area.clone(),
                    root: here.root.clone(),
                    is_root: false,
                    cast: here.cast.clone(),
                    group: here.group.clone(),
                };
                self.endpoint(&by_key, OpKind::Get, &target, navigation.clone(), false);
            }
        }
        self.property_paths(&item, &lineage);
    }

    /// `$ref` of a single-valued navigation Microsoft marks referenceable: read, set and
    /// remove which entity it points to.
    fn references(&mut self, here: &Node, target: &str, navigation: &Option<String>) {
        let node = Node {
            template: format!("{}/$ref", here.template),
            params: here.params.clone(),
            name: here.name.clone(),
            area: here.area.clone(),
            root: here.root.clone(),
            is_root: false,
            cast: here.cast.clone(),
            group: here.group.clone(),
        };
        for kind in [
            OpKind::ReferenceGet,
            OpKind::ReferenceSet,
            OpKind::ReferenceDelete,
        ] {
            self.endpoint(&node, kind, target, navigation.clone(), false);
        }
    }

    /// Structural properties with a path of their own (`ReadRestrictions/Readable` on
    /// `user/mailboxSettings`): a GET, a PATCH where updatable, and for a collection a list
    /// and `$count`.
    fn property_paths(&mut self, node: &Node, lineage: &[String]) {
        let schema = self.schema;
        for owner in lineage {
            let Some(owner_type) = schema.struct_type(owner) else {
                continue;
            };
            for property in &owner_type.properties {
                let Some(updatable) = schema.property_path(owner, &property.name) else {
                    continue;
                };
                if property.ty.is_primitive() {
                    continue;
                }
                let navigation = Some(format!("{owner}/{}", property.name));
                let words = snake(&property.name);
                let here = Node {
                    template: format!("{}/{}", node.template, property.name),
                    params: node.params.clone(),
                    name: join_words(&node.name, &words),
                    area: node.area.clone(),
                    root: node.root.clone(),
                    is_root: false,
                    cast: node.cast.clone(),
                    group: node.group.clone(),
                };
                let ty = property.ty.name.clone();
                if property.ty.collection {
                    self.endpoint(&here, OpKind::List, &ty, navigation.clone(), true);
                    self.endpoint(&here, OpKind::Count, &ty, navigation, true);
                } else {
                    self.endpoint(&here, OpKind::Get, &ty, navigation.clone(), false);
                    if updatable {
                        self.endpoint(&here, OpKind::Update, &ty, navigation, false);
                    }
                }
            }
        }
    }

    fn operation(&mut self, node: &Node, op: &Operation, ty: &str, on_collection: bool) {
        for p in &op.parameters {
            self.types.add(&p.ty.name, true);
        }
        if let Some(r) = &op.returns {
            self.types.add(&r.name, true);
        }
        let mut here = Node {
            template: format!("{}/{}", node.template, op.name),
            params: node.params.clone(),
            name: node.name.clone(),
            area: node.area.clone(),
            root: node.root.clone(),
            is_root: false,
            cast: node.cast.clone(),
            group: node.group.clone(),
        };
        if op.is_action {
            if !op.parameters.is_empty() {
                let name = format!("{}Parameters", upper_camel(own_name(op)));
                let name = if self
                    .schema
                    .operations
                    .iter()
                    .filter(|o| o.is_action && o.name == op.name && !o.parameters.is_empty())
                    .count()
                    > 1
                {
                    format!("{}{name}", upper_camel(&op.binding.name))
                } else {
                    name
                };
                self.surface.parameter_structs.insert(name, op.clone());
            }
            self.endpoint(&here, OpKind::Action(op.clone()), ty, None, on_collection);
        } else {
            // A collection is written bare (`ids={ids}`), an optional parameter as an alias
            // whose value goes in the query (`p='@p'`), anything else quoted.
            let args: Vec<String> = op
                .parameters
                .iter()
                .map(|p| {
                    if p.optional {
                        format!("{}='@{}'", p.name, p.name)
                    } else if p.ty.collection {
                        format!("{}={{{}}}", p.name, p.name)
                    } else {
                        format!("{}='{{{}}}'", p.name, p.name)
                    }
                })
                .collect();
            here.template = format!("{}({})", here.template, args.join(","));
            here.params.extend(
                op.parameters
                    .iter()
                    .filter(|p| !p.optional)
                    .map(|p| PathParam {
                        name: p.name.clone(),
                        kind: ParamKind::Function(p.ty.clone()),
                    }),
            );
            self.endpoint(&here, OpKind::Function(op.clone()), ty, None, on_collection);
            // An overload of a function taking fewer parameters is named by what it adds:
            // `get_effective_permissions` and `get_effective_permissions_with_scope`.
            let overloaded = self.schema.operations.iter().any(|o| {
                !o.is_action
                    && o.name == op.name
                    && o.binding == op.binding
                    && o.parameters.len() < op.parameters.len()
            });
            if overloaded && let Some(last) = self.surface.endpoints.last_mut() {
                let added: Vec<String> = op.parameters.iter().map(|p| snake(&p.name)).collect();
                last.name = format!("{}_with_{}", last.name, added.join("_and_"));
            }
        }
    }

    fn endpoint(
        &mut self,
        node: &Node,
        kind: OpKind,
        ty: &str,
        navigation: Option<String>,
        on_collection: bool,
    ) {
        let template = match kind {
            OpKind::Count => format!("{}/$count", node.template),
            _ => node.template.clone(),
        };
        let name = join_words(&node.name, &kind.suffix());
        self.surface.endpoints.push(Endpoint {
            kind,
            template,
            params: node.params.clone(),
            name,
            resource_type: ty.to_owned(),
            navigation,
            area: node.area.clone(),
            root: node.root.clone(),
            cast: node.cast.clone(),
            group: node.group.clone(),
            on_collection,
        });
    }
}

/// A method+path pair with its placeholders emptied and casts spelled in full, as the SDK's and
/// ours compare: `GET /a/{x%2Did}/graph.b` and `GET /a/{xId}/microsoft.graph.b` are one.
pub fn normalized_pair(pair: &str) -> String {
    let mut out = String::with_capacity(pair.len());
    let mut in_placeholder = false;
    for c in pair.replace("/graph.", "/microsoft.graph.").chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push('{');
            }
            '}' => {
                in_placeholder = false;
                out.push('}');
            }
            _ if in_placeholder => {}
            c => out.push(c),
        }
    }
    out
}

/// A navigation's snake words without the leading words it repeats from the resource it is on
/// (two or more, compared in the singular): `scheduled_action_configurations` under
/// `…/scheduledActionsForRule/{id}` -> `configurations`. One shared word is kept
/// (`device_statuses` under `deviceCompliancePolicies`), as it tells siblings apart.
fn without_parent_words(words: &str, parent_template: &str) -> String {
    let parent = parent_template
        .rsplit('/')
        .find(|s| !s.starts_with('{') && !s.contains('.'))
        .map(snake)
        .unwrap_or_default();
    let parent: Vec<String> = parent.split('_').map(singular).collect();
    let own: Vec<&str> = words.split('_').collect();
    let shared = parent
        .iter()
        .zip(&own)
        .take_while(|(p, o)| **p == singular(o))
        .count();
    if shared >= 2 && shared < own.len() {
        own[shared..].join("_")
    } else {
        words.to_owned()
    }
}

/// `a` and `b` joined by `_`, or `b` alone when `a` is empty.
fn join_words(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a}_{b}")
    }
}

/// The types one area's endpoints need, by the same rules as the whole closure: a type, its
/// bases, the subtypes of what is used as a target, property and contained-navigation types.
/// The singleton's navigation properties are not followed (they are not generated: every area
/// would otherwise need every other).
pub fn types_of(
    schema: &Schema,
    roots: &[String],
    shallow: &BTreeSet<String>,
    endpoints: &[&Endpoint],
) -> BTreeSet<String> {
    let mut walk = TypeWalk::new(schema, false, shallow.clone());
    walk.roots = roots.to_vec();
    for e in endpoints {
        walk.add(&e.resource_type, true);
        for p in &e.params {
            if let ParamKind::Function(ty) = &p.kind {
                walk.add(&ty.name, true);
            }
        }
        if let OpKind::Action(op) | OpKind::Function(op) = &e.kind {
            for p in &op.parameters {
                walk.add(&p.ty.name, true);
            }
            if let Some(r) = &op.returns {
                walk.add(&r.name, true);
            }
        }
    }
    walk.types
}

/// The closure of types: a type, its bases, the subtypes of what is used as a target (a
/// property, navigation, parameter or return type, not a base), property and
/// contained-navigation types.
struct TypeWalk<'a> {
    schema: &'a Schema,
    /// Follow the singleton's navigation properties (the whole surface does; one area does
    /// not: they are not generated as fields).
    root_navigations: bool,
    /// The roots' types (see `root_navigations`).
    roots: Vec<String>,
    types: BTreeSet<String>,
    targets: BTreeSet<String>,
    /// Types whose contained navigations are not followed (see [`Surface::shallow`]).
    shallow: BTreeSet<String>,
    /// Every type added from now on is shallow (the targets of non-contained navigations,
    /// added after the contained walk).
    shallow_from_now: bool,
}

impl<'a> TypeWalk<'a> {
    fn new(schema: &'a Schema, root_navigations: bool, shallow: BTreeSet<String>) -> Self {
        Self {
            schema,
            root_navigations,
            roots: Vec::new(),
            types: BTreeSet::new(),
            targets: BTreeSet::new(),
            shallow,
            shallow_from_now: false,
        }
    }

    fn add(&mut self, name: &str, as_target: bool) {
        let schema = self.schema;
        if name.starts_with("Edm.") {
            return;
        }
        if schema.enums.contains_key(name) {
            self.types.insert(name.to_owned());
            return;
        }
        let Some(def) = schema.struct_type(name) else {
            return;
        };
        let new = self.types.insert(name.to_owned());
        let new_target = as_target && self.targets.insert(name.to_owned());
        if !new && !new_target {
            return;
        }
        if new && self.shallow_from_now {
            self.shallow.insert(name.to_owned());
        }
        if new {
            if let Some(base) = &def.base {
                self.add(base, false);
            }
            for p in &def.properties {
                self.add(&p.ty.name, true);
            }
            if (self.root_navigations || !self.roots.iter().any(|r| r == name))
                && !self.shallow.contains(name)
            {
                for n in def.navigations.iter().filter(|n| n.contained) {
                    self.add(&n.ty.name, true);
                }
            }
        }
        if new_target {
            for sub in schema.subtypes(name) {
                self.add(&sub.name, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(area: &str, name: &str, template: &str) -> Endpoint {
        Endpoint {
            kind: OpKind::Get,
            template: template.into(),
            params: Vec::new(),
            name: name.into(),
            resource_type: "entity".into(),
            navigation: None,
            area: area.into(),
            root: "deviceManagement".into(),
            cast: None,
            group: None,
            on_collection: false,
        }
    }

    #[test]
    fn a_segment_of_quoted_key_values_reads_as_its_parts() {
        assert_eq!(
            composite_key_parts("id='a',policyId='o''b'"),
            Some(vec![("id", "a"), ("policyId", "o''b")])
        );
        assert_eq!(composite_key_parts("getRunCount(since='{since}')"), None);
        assert_eq!(composite_key_parts("{managedDeviceId}"), None);
    }

    #[test]
    fn a_name_taken_twice_in_one_handler_fails_generation() {
        let surface = Surface {
            endpoints: vec![
                endpoint(
                    "managed_devices",
                    "users_get",
                    "/deviceManagement/managedDevices/{a}/users",
                ),
                endpoint(
                    "managed_devices",
                    "users_get",
                    "/deviceManagement/managedDevices/{a}/user",
                ),
                endpoint(
                    "audit_events",
                    "users_get",
                    "/deviceManagement/auditEvents/{a}/users",
                ),
            ],
            ..Surface::default()
        };
        assert_eq!(
            surface.check_names(MAX_METHODS_PER_HANDLER),
            Err("two endpoints of the `managed_devices` handler are named `users_get`: /deviceManagement/managedDevices/{a}/users and /deviceManagement/managedDevices/{a}/user".to_owned())
        );
    }

    #[test]
    fn a_root_method_named_like_an_accessor_fails_generation() {
        let surface = Surface {
            endpoints: vec![
                endpoint("root", "reports", "/deviceManagement/reports()"),
                endpoint("reports", "get", "/deviceManagement/reports"),
            ],
            ..Surface::default()
        };
        assert_eq!(
            surface.check_names(MAX_METHODS_PER_HANDLER),
            Err("`Intune::reports` would be both GET /deviceManagement/reports() and the `reports` handler".to_owned())
        );
    }

    #[test]
    fn repeated_leading_words_are_dropped() {
        assert_eq!(
            without_parent_words(
                "scheduled_action_configurations",
                "/deviceManagement/deviceCompliancePolicies/{a}/scheduledActionsForRule/{b}"
            ),
            "configurations"
        );
        // One shared word tells siblings apart (`device_statuses`, `user_statuses`): kept.
        assert_eq!(
            without_parent_words(
                "device_statuses",
                "/deviceManagement/deviceCompliancePolicies/{a}"
            ),
            "device_statuses"
        );
    }

    #[test]
    fn cast_segments_are_subtypes_of_this_namespace() {
        assert!(is_cast_segment("microsoft.graph.win32LobApp"));
        assert!(is_cast_segment("Microsoft.Graph.Win32LobApp"));
        assert!(!is_cast_segment(
            "microsoft.graph.deviceManagement.getPortalNotifications()"
        ));
        assert!(!is_cast_segment(
            "microsoft.graph.deviceManagement.setPortalNotificationAsSent"
        ));
        assert!(!is_cast_segment("mobileApps"));
        assert_eq!(
            without_casts("/a/{id}/microsoft.graph.b/c/microsoft.graph.x.op"),
            "/a/{id}/c/microsoft.graph.x.op"
        );
    }

    #[test]
    fn published_pairs_decide_which_endpoints_stay() {
        let mut surface = Surface {
            endpoints: vec![
                endpoint(
                    "apps",
                    "get",
                    "/deviceAppManagement/mobileApps/{mobileAppId}",
                ),
                endpoint(
                    "apps",
                    "get",
                    "/deviceAppManagement/mobileApps/{mobileAppId}/microsoft.graph.x",
                ),
            ],
            ..Surface::default()
        };
        let pairs = "GET /deviceAppManagement/mobileApps/{mobileApp%2Did}/graph.x\n";
        surface
            .keep_published(pairs, "pairs.txt", &BTreeMap::new())
            .unwrap();
        assert_eq!(
            surface
                .endpoints
                .iter()
                .map(|e| e.template.as_str())
                .collect::<Vec<_>>(),
            ["/deviceAppManagement/mobileApps/{mobileAppId}/microsoft.graph.x"]
        );
        let missing = "GET /deviceAppManagement/mobileApps/{a}/graph.x\nDELETE /deviceAppManagement/mobileApps/{a}\n";
        assert_eq!(
            surface.keep_published(missing, "pairs.txt", &BTreeMap::new()),
            Err(
                "1 pairs of pairs.txt are not generated: DELETE /deviceAppManagement/mobileApps/{}"
                    .to_owned()
            )
        );
        let listed: BTreeMap<String, String> = [(
            "DELETE /deviceAppManagement/mobileApps/{a}".to_owned(),
            "why".to_owned(),
        )]
        .into();
        assert_eq!(
            surface.keep_published(missing, "pairs.txt", &listed),
            Ok(())
        );
        let stale: BTreeMap<String, String> = [(
            "GET /deviceAppManagement/mobileApps/{a}/graph.x".to_owned(),
            "why".to_owned(),
        )]
        .into();
        assert_eq!(
            surface.keep_published(missing, "pairs.txt", &stale),
            Err("overlay.json sdk_differences.sdk_only lists GET /deviceAppManagement/mobileApps/{}/microsoft.graph.x, which is generated or not published".to_owned())
        );
    }
}
