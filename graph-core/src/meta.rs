//! Type and endpoint metadata as plain data, readable at run time (by the emulator, by
//! coverage tests, by tools) without any hand-written list.

/// The Graph (EDM) kind of a property, derived from its Rust type at compile time.
#[derive(Debug, Clone, Copy)]
pub enum Edm {
    /// `Edm.String` (and typed keys).
    String,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Int32`.
    Int32,
    /// `Edm.Int64`: a number, or a string of digits.
    Int64,
    /// `Edm.Double`.
    Double,
    /// `Edm.Guid`.
    Guid,
    /// `Edm.DateTimeOffset`.
    DateTimeOffset,
    /// A Graph enum: its name string.
    Enum(&'static EnumMeta),
    /// An entity or complex type: a JSON object.
    Object(&'static EntityMeta),
    /// A collection of the returned kind.
    Collection(fn() -> Edm),
    /// Any JSON value.
    Json,
}

/// What a `#[graph_entity]` declared. Built with [`EntityMeta::new`] (fields may be added).
#[derive(Debug)]
#[non_exhaustive]
pub struct EntityMeta {
    /// The Rust type name.
    pub rust_name: &'static str,
    /// The OData type, e.g. `#microsoft.graph.deviceComplianceUserOverview`.
    pub odata_type: &'static str,
    /// The base type whose properties this one inherits.
    pub base: Option<&'static EntityMeta>,
    /// The type's own properties, in declaration order.
    pub properties: &'static [PropertyMeta],
}

impl EntityMeta {
    /// The metadata of a type: its Rust name, OData type, base and own properties.
    pub const fn new(
        rust_name: &'static str,
        odata_type: &'static str,
        base: Option<&'static EntityMeta>,
        properties: &'static [PropertyMeta],
    ) -> Self {
        Self {
            rust_name,
            odata_type,
            base,
            properties,
        }
    }

    /// Every entity and complex type declared in the program (in every linked crate).
    pub fn all() -> impl Iterator<Item = &'static EntityMeta> {
        inventory::iter::<RegisteredType>.into_iter().map(|r| r.0)
    }

    /// The declared type with this OData type name (with or without `#`).
    pub fn find(odata_type: &str) -> Option<&'static EntityMeta> {
        let name = odata_type.trim_start_matches('#');
        Self::all().find(|m| !m.odata_type.is_empty() && m.type_name() == name)
    }

    /// True when `self` is `ancestor` or derives from it.
    pub fn derives_from(&self, ancestor: &EntityMeta) -> bool {
        std::ptr::eq(self, ancestor)
            || self.odata_type == ancestor.odata_type
            || self.base.is_some_and(|b| b.derives_from(ancestor))
    }

    /// Every property, inherited ones first.
    pub fn all_properties(&self) -> Vec<&'static PropertyMeta> {
        let mut all = self
            .base
            .map(EntityMeta::all_properties)
            .unwrap_or_default();
        all.extend(self.properties.iter());
        all
    }

    /// A property by its JSON name, searching base types too.
    pub fn property(&self, json_name: &str) -> Option<&'static PropertyMeta> {
        self.properties
            .iter()
            .find(|p| p.json_name == json_name)
            .or_else(|| self.base.and_then(|b| b.property(json_name)))
    }

    /// The OData type name without the leading `#`.
    pub fn type_name(&self) -> &'static str {
        self.odata_type.trim_start_matches('#')
    }
}

/// One property of an entity. Built with [`PropertyMeta::new`] and its setters (fields may
/// be added).
#[derive(Debug)]
#[non_exhaustive]
pub struct PropertyMeta {
    /// The JSON member name.
    pub json_name: &'static str,
    /// Its Graph kind.
    pub kind: Edm,
    /// Decoded from responses but never sent.
    pub read_only: bool,
    /// Redacted in `Debug`.
    pub secret: bool,
    /// A navigation property (related entities, present only with `$expand` or on create).
    pub navigation: bool,
}

impl PropertyMeta {
    /// A property sent and received, not secret, not a navigation.
    pub const fn new(json_name: &'static str, kind: Edm) -> Self {
        Self {
            json_name,
            kind,
            read_only: false,
            secret: false,
            navigation: false,
        }
    }

    /// Decoded from responses but never sent.
    pub const fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// Redacted in `Debug`.
    pub const fn secret(mut self, secret: bool) -> Self {
        self.secret = secret;
        self
    }

    /// A navigation property.
    pub const fn navigation(mut self, navigation: bool) -> Self {
        self.navigation = navigation;
        self
    }
}

/// What a `#[graph_enum]` declared. Built with [`EnumMeta::new`] (fields may be added).
#[derive(Debug)]
#[non_exhaustive]
pub struct EnumMeta {
    /// The Rust type name.
    pub rust_name: &'static str,
    /// The member names as Graph spells them.
    pub members: &'static [&'static str],
}

impl EnumMeta {
    /// The metadata of an enum: its Rust name and members as Graph spells them.
    pub const fn new(rust_name: &'static str, members: &'static [&'static str]) -> Self {
        Self { rust_name, members }
    }

    /// Every enum declared in the program (in every linked crate).
    pub fn all() -> impl Iterator<Item = &'static EnumMeta> {
        inventory::iter::<RegisteredEnum>.into_iter().map(|r| r.0)
    }
}

/// An enum's registration, submitted by the code `#[graph_enum]` generates and collected from
/// every linked crate ([`EnumMeta::all`]).
pub struct RegisteredEnum(pub &'static EnumMeta);

inventory::collect!(RegisteredEnum);

/// An HTTP method an endpoint uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl std::str::FromStr for HttpMethod {
    type Err = UnknownName;

    /// Parses an upper-case method name (`GET`, `PATCH`, …).
    fn from_str(name: &str) -> Result<Self, UnknownName> {
        [Self::Get, Self::Post, Self::Patch, Self::Put, Self::Delete]
            .into_iter()
            .find(|m| m.as_str() == name)
            .ok_or_else(|| UnknownName(name.chars().take(40).collect()))
    }
}

impl From<HttpMethod> for reqwest::Method {
    fn from(method: HttpMethod) -> Self {
        match method {
            HttpMethod::Get => Self::GET,
            HttpMethod::Post => Self::POST,
            HttpMethod::Patch => Self::PATCH,
            HttpMethod::Put => Self::PUT,
            HttpMethod::Delete => Self::DELETE,
        }
    }
}

/// A method or version name that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a known name", self.0)
    }
}

impl std::error::Error for UnknownName {}

impl HttpMethod {
    /// The method's name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

/// The Graph API version an endpoint lives under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiVersion {
    /// `v1.0`
    #[default]
    V1,
    /// `beta`
    Beta,
}

impl std::str::FromStr for ApiVersion {
    type Err = UnknownName;

    /// Parses a version path segment: `v1.0` or `beta`.
    fn from_str(segment: &str) -> Result<Self, UnknownName> {
        [Self::V1, Self::Beta]
            .into_iter()
            .find(|v| v.as_str() == segment)
            .ok_or_else(|| UnknownName(segment.chars().take(40).collect()))
    }
}

impl ApiVersion {
    /// The path segment: `v1.0` or `beta`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1.0",
            Self::Beta => "beta",
        }
    }
}

/// What an endpoint answers with.
#[derive(Debug, Clone, Copy)]
pub enum ResponseShape {
    /// Nothing (204).
    NoContent,
    /// One entity.
    Entity(&'static EntityMeta),
    /// A collection `{"value": [...]}`, possibly paged.
    Collection(&'static EntityMeta),
    /// A bare integer (`/$count`).
    Count,
    /// A primitive or a collection of primitives in `{"value": …}` (what a function or action
    /// returning `Edm.String`, `Edm.Boolean` or `Collection(Edm.String)` answers with).
    Value(Edm),
    /// Bytes of any content type (`Edm.Stream`: reports).
    Stream,
    /// A `$ref`: `{"@odata.id": …}`, the entity a navigation points to.
    Reference,
}

/// One piece of a parsed path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as is, `/` included (`/deviceManagement/deviceCompliancePolicies/`).
    Literal(&'static str),
    /// A parameter, by its placeholder name; `quoted` inside OData key quotes (`('{id}')`).
    Parameter {
        /// The placeholder's name as written in the template.
        name: &'static str,
        /// Inside `'…'`: a quote in the value is doubled.
        quoted: bool,
    },
}

/// What a `#[graph_endpoint]` declared, as data. Built with [`Endpoint::new`] and its setters
/// (fields may be added).
#[derive(Debug)]
#[non_exhaustive]
pub struct Endpoint {
    /// The operation's name (the method's, or the declaration's `operation = "…"`), as
    /// traces and errors show it: `managed_devices.sync_device`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, e.g. `/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}`.
    pub template: &'static str,
    /// The template as the macro parsed it: literal text and parameters, in order.
    pub path: &'static [PathPart],
    /// `v1.0` or `beta`.
    pub version: ApiVersion,
    /// Delegated permissions, least privileged first.
    pub delegated: &'static [&'static str],
    /// Application permissions, least privileged first.
    pub application: &'static [&'static str],
    /// The national clouds that have it.
    pub clouds: &'static [crate::NationalCloud],
    /// The request body's type, when there is one.
    pub request: Option<&'static EntityMeta>,
    /// The response.
    pub response: ResponseShape,
}

impl Endpoint {
    /// An endpoint with no permissions, in every national cloud, without a request body;
    /// add those with the setters.
    pub const fn new(
        operation: &'static str,
        method: HttpMethod,
        template: &'static str,
        path: &'static [PathPart],
        version: ApiVersion,
        response: ResponseShape,
    ) -> Self {
        Self {
            operation,
            method,
            template,
            path,
            version,
            delegated: &[],
            application: &[],
            clouds: crate::NationalCloud::ALL,
            request: None,
            response,
        }
    }

    /// Delegated permissions, least privileged first.
    pub const fn delegated(mut self, permissions: &'static [&'static str]) -> Self {
        self.delegated = permissions;
        self
    }

    /// Application permissions, least privileged first.
    pub const fn application(mut self, permissions: &'static [&'static str]) -> Self {
        self.application = permissions;
        self
    }

    /// The national clouds that have it.
    pub const fn clouds(mut self, clouds: &'static [crate::NationalCloud]) -> Self {
        self.clouds = clouds;
        self
    }

    /// The request body's type.
    pub const fn request(mut self, request: &'static EntityMeta) -> Self {
        self.request = Some(request);
        self
    }

    /// The request body's type, if it is an entity (what [`RequestBody::META`](crate::RequestBody::META) says: `None`
    /// for a `$ref`'s [`Reference`](crate::Reference)).
    pub const fn request_body(mut self, request: Option<&'static EntityMeta>) -> Self {
        self.request = request;
        self
    }

    /// Every endpoint declared in the program (in every linked crate).
    pub fn all() -> impl Iterator<Item = &'static Endpoint> {
        inventory::iter::<Registered>.into_iter().map(|r| r.0)
    }
}

/// An endpoint's registration, submitted by the code `#[graph_endpoint]` generates and
/// collected from every linked crate ([`Endpoint::all`]).
pub struct Registered(pub &'static Endpoint);

inventory::collect!(Registered);

/// An entity type's registration, submitted by the code `#[graph_entity]` generates and
/// collected from every linked crate ([`EntityMeta::all`]).
pub struct RegisteredType(pub &'static EntityMeta);

inventory::collect!(RegisteredType);

/// A rule a service enforces that its declarations cannot express, such as Intune's "a
/// compliance policy is created with exactly one block action". The crate that declares the
/// service registers it with [`register_service_rule!`](crate::register_service_rule), next to
/// its endpoints; an emulator applies every registered rule to the requests it matches, so it
/// serves any crate's endpoints with that crate's rules and knows no service itself.
///
/// Built with [`ServiceRule::new`] (fields may be added).
#[derive(Debug)]
#[non_exhaustive]
pub struct ServiceRule {
    /// What the rule is called, for messages and tests.
    pub name: &'static str,
    /// The method of the requests it checks.
    pub method: HttpMethod,
    /// The OData type whose request bodies it checks (its subtypes' too), e.g.
    /// `#microsoft.graph.deviceCompliancePolicy`.
    pub body_type: &'static str,
    /// Checks a body (already valid against `body_type`'s declaration, which it receives);
    /// `Err` is the service's answer.
    pub check: fn(&serde_json::Value, &'static EntityMeta) -> Result<(), RuleViolation>,
}

/// How the service answers a request that breaks a [`ServiceRule`]. Built with
/// [`RuleViolation::new`] (fields may be added).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleViolation {
    /// The HTTP status, usually 400.
    pub status: u16,
    /// Graph's error code, e.g. `BadRequest`.
    pub code: &'static str,
    /// Graph's error message.
    pub message: String,
}

impl RuleViolation {
    /// The answer: status, Graph error code and message.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
}

impl ServiceRule {
    /// A rule named `name` checking `method` requests whose body is a `body_type` (or a
    /// subtype) with `check`.
    pub const fn new(
        name: &'static str,
        method: HttpMethod,
        body_type: &'static str,
        check: fn(&serde_json::Value, &'static EntityMeta) -> Result<(), RuleViolation>,
    ) -> Self {
        Self {
            name,
            method,
            body_type,
            check,
        }
    }

    /// Every rule registered in the program (in every linked crate).
    pub fn all() -> impl Iterator<Item = &'static ServiceRule> {
        inventory::iter::<RegisteredRule>.into_iter().map(|r| r.0)
    }

    /// True when the rule checks a `method` request whose body is of type `body`.
    pub fn applies_to(&self, method: HttpMethod, body: &EntityMeta) -> bool {
        self.method == method
            && EntityMeta::find(self.body_type).is_some_and(|ancestor| body.derives_from(ancestor))
    }
}

/// A service rule's registration, submitted by [`register_service_rule!`](crate::register_service_rule).
pub struct RegisteredRule(pub &'static ServiceRule);

inventory::collect!(RegisteredRule);

/// Registers a [`ServiceRule`] (a `static`) for every emulator in the program.
///
/// ```
/// use graphwire_core::meta::{HttpMethod, RuleViolation, ServiceRule};
///
/// static NAMED: ServiceRule = ServiceRule::new(
///     "categories have a name",
///     HttpMethod::Post,
///     "#microsoft.graph.deviceCategory",
///     |body, _| match body.get("displayName") {
///         Some(_) => Ok(()),
///         None => Err(RuleViolation::new(400, "BadRequest", "displayName is required")),
///     },
/// );
/// graphwire_core::register_service_rule!(NAMED);
/// assert!(ServiceRule::all().any(|r| r.name == "categories have a name"));
/// ```
#[macro_export]
macro_rules! register_service_rule {
    ($rule:path) => {
        $crate::__private::inventory::submit! { $crate::meta::RegisteredRule(&$rule) }
    };
}

/// A service's documented request limits per sliding window, given by the crate that declares
/// the service (as data: an emulator throttles by them, and knows no service's numbers).
///
/// Built with [`ServiceLimits::new`] (fields may be added).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceLimits {
    /// The window the counts apply to.
    pub window: std::time::Duration,
    /// Writes (POST, PUT, PATCH, DELETE) per app per tenant.
    pub app_writes: u32,
    /// Writes per tenant, all apps.
    pub tenant_writes: u32,
    /// Any request per app per tenant.
    pub app_any: u32,
    /// Any request per tenant, all apps.
    pub tenant_any: u32,
}

impl ServiceLimits {
    /// Limits per `window`: writes per app and per tenant, any request per app and per tenant.
    pub const fn new(
        window: std::time::Duration,
        app_writes: u32,
        tenant_writes: u32,
        app_any: u32,
        tenant_any: u32,
    ) -> Self {
        Self {
            window,
            app_writes,
            tenant_writes,
            app_any,
            tenant_any,
        }
    }
}

/// Resources an emulator starts with, given by the crate that declares the service (its
/// documented examples), as its [`ServiceRule`]s are: an emulator seeds every tenant with what
/// the linked crates registered and knows no service itself. Registered with
/// [`register_emulator_seed!`](crate::register_emulator_seed).
///
/// Built with [`EmulatorSeed::new`] (fields may be added).
#[derive(Debug)]
#[non_exhaustive]
pub struct EmulatorSeed {
    /// What the seed holds, for messages and docs.
    pub name: &'static str,
    /// The resources: each path below the version root
    /// (`/deviceManagement/deviceCompliancePolicies/{id}`) with its JSON.
    pub resources: fn() -> Vec<(String, serde_json::Value)>,
}

impl EmulatorSeed {
    /// A seed named `name` whose resources `resources` builds.
    pub const fn new(
        name: &'static str,
        resources: fn() -> Vec<(String, serde_json::Value)>,
    ) -> Self {
        Self { name, resources }
    }

    /// Every seed registered in the program (in every linked crate).
    pub fn all() -> impl Iterator<Item = &'static EmulatorSeed> {
        inventory::iter::<RegisteredSeed>.into_iter().map(|s| s.0)
    }
}

/// A seed's registration, submitted by [`register_emulator_seed!`](crate::register_emulator_seed).
pub struct RegisteredSeed(pub &'static EmulatorSeed);

inventory::collect!(RegisteredSeed);

/// Registers an [`EmulatorSeed`] (a `static`) for every emulator in the program.
///
/// ```
/// use graphwire_core::meta::EmulatorSeed;
///
/// static CATEGORIES: EmulatorSeed = EmulatorSeed::new("a device category", || {
///     vec![(
///         "/deviceManagement/deviceCategories/c1".into(),
///         serde_json::json!({"id": "c1", "displayName": "Kiosks"}),
///     )]
/// });
/// graphwire_core::register_emulator_seed!(CATEGORIES);
/// assert!(EmulatorSeed::all().any(|s| s.name == "a device category"));
/// ```
#[macro_export]
macro_rules! register_emulator_seed {
    ($seed:path) => {
        $crate::__private::inventory::submit! { $crate::meta::RegisteredSeed(&$seed) }
    };
}

/// An upload a service stages in Azure Blob Storage and then commits (an Intune app's content
/// file), given by the crate that declares the service as its rules are: an emulator serves the
/// session's states, a blob endpoint on loopback for its SAS URL, and the commit's check.
/// Registered with [`register_staged_upload!`](crate::register_staged_upload).
///
/// Built with [`StagedUpload::new`] (fields may be added).
#[derive(Debug)]
#[non_exhaustive]
pub struct StagedUpload {
    /// What the upload is, for messages and docs.
    pub name: &'static str,
    /// The items created in a collection whose template ends so are upload sessions
    /// (`/contentVersions/{mobileAppContentId}/files`).
    pub collection_suffix: &'static str,
    /// The property names and state values the service uses.
    pub wire: UploadWire,
    /// Checks the committed content against the commit's body (the encryption info): `Err`
    /// says what is wrong, and the commit fails.
    pub verify: fn(content: &[u8], commit: &serde_json::Value) -> Result<(), String>,
}

/// How an upload session reads on the wire: its properties and the values of its state.
#[derive(Debug, Clone, Copy)]
pub struct UploadWire {
    /// The state property (`uploadState`).
    pub state: &'static str,
    /// The SAS URL property (`azureStorageUri`).
    pub uri: &'static str,
    /// When the SAS URL expires (`azureStorageUriExpirationDateTime`).
    pub uri_expiry: &'static str,
    /// The size the committed content must have (`sizeEncrypted`).
    pub size: &'static str,
    /// Set true once committed (`isCommitted`).
    pub committed: &'static str,
    /// The action that commits (`commit`) and the one that renews the SAS URL (`renewUpload`).
    pub commit_action: &'static str,
    /// See `commit_action`.
    pub renew_action: &'static str,
    /// States: the SAS URL asked for, and given.
    pub uri_pending: &'static str,
    /// See `uri_pending`.
    pub uri_ready: &'static str,
    /// States: a renewal asked for, and given.
    pub renew_pending: &'static str,
    /// See `renew_pending`.
    pub renew_ready: &'static str,
    /// States: a commit asked for, done, and failed.
    pub commit_pending: &'static str,
    /// See `commit_pending`.
    pub commit_success: &'static str,
    /// See `commit_pending`.
    pub commit_failed: &'static str,
}

impl StagedUpload {
    /// An upload named `name`, staged for items created below `collection_suffix`.
    pub const fn new(
        name: &'static str,
        collection_suffix: &'static str,
        wire: UploadWire,
        verify: fn(&[u8], &serde_json::Value) -> Result<(), String>,
    ) -> Self {
        Self {
            name,
            collection_suffix,
            wire,
            verify,
        }
    }

    /// Every staged upload registered in the program (in every linked crate).
    pub fn all() -> impl Iterator<Item = &'static StagedUpload> {
        inventory::iter::<RegisteredUpload>.into_iter().map(|s| s.0)
    }
}

/// A staged upload's registration, submitted by
/// [`register_staged_upload!`](crate::register_staged_upload).
pub struct RegisteredUpload(pub &'static StagedUpload);

inventory::collect!(RegisteredUpload);

/// Registers a [`StagedUpload`] (a `static`) for every emulator in the program.
#[macro_export]
macro_rules! register_staged_upload {
    ($upload:path) => {
        $crate::__private::inventory::submit! { $crate::meta::RegisteredUpload(&$upload) }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_versions_parse_from_their_names_and_back() {
        for method in [
            HttpMethod::Get,
            HttpMethod::Post,
            HttpMethod::Patch,
            HttpMethod::Put,
            HttpMethod::Delete,
        ] {
            assert_eq!(method.as_str().parse::<HttpMethod>(), Ok(method));
            assert_eq!(reqwest::Method::from(method).as_str(), method.as_str());
        }
        assert_eq!(
            "get".parse::<HttpMethod>(),
            Err(UnknownName("get".into())),
            "names are upper case, as on the wire"
        );
        assert_eq!("v1.0".parse::<ApiVersion>(), Ok(ApiVersion::V1));
        assert_eq!("beta".parse::<ApiVersion>(), Ok(ApiVersion::Beta));
        assert_eq!(
            "v2.0".parse::<ApiVersion>().unwrap_err().to_string(),
            "`v2.0` is not a known name"
        );
    }
}
