//! Proc macros that declare Microsoft Graph types and endpoints.
//!
//! Use them through `graphwire_core` (which re-exports them): generated code refers to the
//! runtime through one path, `::graphwire_core` (or the crate named with `crate = "…"`), and
//! only to re-exports under its `__private` module, so a crate that declares Graph types
//! depends on `graphwire-core` and nothing else. Each macro follows parse -> model -> validate
//! -> codegen, reports every error it finds spanned on the offending token, and after an error
//! still emits the item with stub impls so that only the real errors show.
//!
//! Every macro accepts `crate = "path"`, for a crate that depends on the runtime under another
//! name (`core_alias = { package = "graphwire-core", … }`):
//!
//! ```
//! use graphwire_core as core_alias; // stands in for a renamed dependency
//!
//! #[core_alias::graph_enum(crate = "core_alias")]
//! pub enum ComplianceState { Unknown, Compliant }
//!
//! #[core_alias::graph_entity(crate = "core_alias", odata_type = "#microsoft.graph.managedDevice")]
//! pub struct Device { pub id: Option<String>, pub compliance_state: Option<ComplianceState> }
//!
//! let device: Device = core_alias::from_json(r#"{"complianceState":"compliant"}"#).unwrap();
//! assert_eq!(device.compliance_state, Some(ComplianceState::Compliant));
//! ```

mod common;
mod endpoint;
mod entity;
mod graph_enum;
mod polymorphic;

use proc_macro::TokenStream;

/// Declares a Graph entity or complex type.
///
/// The struct's fields are its properties. The macro implements `Serialize`, `Deserialize`,
/// `Debug`, `Clone`, `Default`, `PartialEq` and `graphwire_core::GraphEntity`, and adds a public
/// `additional_data` field that keeps members this type does not declare.
///
/// On the wire:
/// - JSON names are the camelCase of the field names (`pending_count` → `pendingCount`);
/// - every body written starts with `@odata.type`;
/// - `None` (and `Nullable::Absent`) fields are left out, `Nullable::Null` is sent as `null`;
/// - read-only fields (`id`, and any marked `read_only`) are decoded but never sent;
/// - `@odata.context` and other annotations in a response are ignored; unknown members are
///   kept in `additional_data` and written back.
///
/// ```
/// use graphwire_core::{graph_entity, DateTimeOffset, Nullable};
///
/// #[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
/// pub struct UserOverview {
///     pub id: Option<String>,
///     pub pending_count: Option<i32>,
///     pub last_update_date_time: Option<DateTimeOffset>,
///     pub description: Nullable<String>,
/// }
///
/// let patch = UserOverview {
///     id: Some("ignored".into()),
///     pending_count: Some(12),
///     description: Nullable::Null,
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&patch).unwrap(),
///     r##"{"@odata.type":"#microsoft.graph.deviceComplianceUserOverview","pendingCount":12,"description":null}"##
/// );
/// ```
///
/// Options (each at most once; an unknown one is an error that lists the accepted forms):
/// - `odata_type = "#namespace.typeName"`: the OData type, written on every body;
/// - `parameters` (instead of `odata_type`): the struct is an action's parameter object, such as
///   `{"assignments": [...]}`, sent without `@odata.type`;
/// - `crate = "path"`: where the runtime is, for a renamed dependency (default `::graphwire_core`).
///
/// Field options, in `#[graph(...)]`:
/// - `rename = "jsonName"`: a JSON name other than the camelCase of the field;
/// - `read_only`: decoded from responses, never sent (`id` always is);
/// - `secret`: shown as `<redacted>` in `Debug`;
/// - `navigation`: a navigation property (related entities, sent only on create);
/// - `base`: the field holds the inherited properties of a base type (itself a
///   `#[graph_entity]`); the struct derefs to it.
///
/// ```
/// use graphwire_core::graph_entity;
///
/// #[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicy")]
/// pub struct PolicyBase {
///     pub id: Option<String>,
///     pub display_name: Option<String>,
///     #[graph(read_only)]
///     pub created_date_time: Option<graphwire_core::DateTimeOffset>,
/// }
///
/// #[graph_entity(odata_type = "#microsoft.graph.iosCompliancePolicy")]
/// pub struct IosPolicy {
///     #[graph(base)]
///     pub base: PolicyBase,
///     #[graph(rename = "passcodeRequired")]
///     pub requires_passcode: Option<bool>,
///     #[graph(secret)]
///     pub note: Option<String>,
/// }
///
/// let mut policy = IosPolicy { requires_passcode: Some(true), note: Some("s3cret".into()), ..Default::default() };
/// policy.base.display_name = Some("iOS baseline".into());
/// assert_eq!(policy.display_name.as_deref(), Some("iOS baseline")); // through Deref
/// assert_eq!(
///     serde_json::to_string(&policy).unwrap(),
///     r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","displayName":"iOS baseline","passcodeRequired":true,"note":"s3cret"}"##
/// );
/// assert!(!format!("{policy:?}").contains("s3cret"));
/// ```
#[proc_macro_attribute]
pub fn graph_entity(args: TokenStream, input: TokenStream) -> TokenStream {
    entity::STAGES.run(args.into(), input.into()).into()
}

/// Declares a Graph enum: unit variants, serialized as Graph's member names.
///
/// Member names are the variant names with the first letter lowered (`NotApplicable` →
/// `notApplicable`, `IOS` → `iOS`), or `#[graph(rename = "…")]`. The macro adds a catch-all
/// variant `Unrecognized(String)` that keeps a value this crate does not know and writes it back
/// unchanged. Graph's own `unknown` and `unknownFutureValue` members are ordinary members.
///
/// ```
/// use graphwire_core::graph_enum;
///
/// #[graph_enum]
/// pub enum ComplianceState { Unknown, Compliant, Noncompliant, InGracePeriod, UnknownFutureValue }
///
/// let s: ComplianceState = serde_json::from_str("\"unknown\"").unwrap();
/// assert_eq!(s, ComplianceState::Unknown);
/// let future: ComplianceState = serde_json::from_str("\"retired\"").unwrap();
/// assert_eq!(future, ComplianceState::Unrecognized("retired".into()));
/// assert_eq!(serde_json::to_string(&future).unwrap(), "\"retired\"");
/// ```
///
/// Options: `fallback = Name` names the catch-all otherwise (for an enum with a member
/// `unrecognized`); `crate = "path"` as for every macro. Member option: `rename = "…"`.
///
/// ```
/// use graphwire_core::graph_enum;
///
/// #[graph_enum(fallback = Other)]
/// pub enum Level { Unrecognized, #[graph(rename = "HIGH")] High }
///
/// assert_eq!(serde_json::to_string(&Level::High).unwrap(), "\"HIGH\"");
/// assert_eq!(serde_json::from_str::<Level>("\"x\"").unwrap(), Level::Other("x".into()));
/// ```
#[proc_macro_attribute]
pub fn graph_enum(args: TokenStream, input: TokenStream) -> TokenStream {
    graph_enum::STAGES.run(args.into(), input.into()).into()
}

/// Declares a family of subtypes decoded by `@odata.type`.
///
/// Each variant wraps one `#[graph_entity]` subtype (whose `#[graph(base)]` field is the base
/// type). The macro adds `Base(Base)` for a missing `@odata.type` or one naming the base type,
/// and `Unknown(UnknownSubtype<Base>)` for a subtype this crate does not know, kept whole.
/// The enum derefs (mutably too) to the base type. Options: `base = Type` (required) and
/// `crate = "path"`.
///
/// ```
/// use graphwire_core::{graph_entity, graph_polymorphic};
///
/// #[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicy")]
/// pub struct PolicyBase { pub id: Option<String>, pub display_name: Option<String> }
///
/// #[graph_entity(odata_type = "#microsoft.graph.iosCompliancePolicy")]
/// pub struct IosPolicy { #[graph(base)] pub base: PolicyBase, pub passcode_required: Option<bool> }
///
/// #[graph_polymorphic(base = PolicyBase)]
/// pub enum Policy { Ios(IosPolicy) }
///
/// let p: Policy = serde_json::from_str(r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","displayName":"a","passcodeRequired":true}"##).unwrap();
/// assert!(matches!(&p, Policy::Ios(ios) if ios.passcode_required == Some(true)));
/// assert_eq!(p.display_name.as_deref(), Some("a"));
/// let q: Policy = serde_json::from_str(r##"{"@odata.type":"#microsoft.graph.newPlatformPolicy","x":1}"##).unwrap();
/// assert_eq!(q.odata_type(), "#microsoft.graph.newPlatformPolicy");
/// ```
#[proc_macro_attribute]
pub fn graph_polymorphic(args: TokenStream, input: TokenStream) -> TokenStream {
    polymorphic::STAGES.run(args.into(), input.into()).into()
}

/// Turns a method declaration into a typed call of a Graph endpoint.
///
/// The declaration `async fn name(&self, …) -> graphwire_core::Result<T>;` becomes
/// `fn name(&self, …) -> graphwire_core::Call<T>`: a future that sends when awaited, and takes
/// `.query(&Query)` and `.header(name, value)` before that.
///
/// ```
/// use graphwire_core::{graph_endpoint, graph_entity, graph_id, GraphApi, GraphClient, Query, Pages};
///
/// graph_id! {
///     /// Key of a policy.
///     pub struct PolicyId;
/// }
///
/// #[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
/// pub struct UserOverview { pub id: Option<String>, pub pending_count: Option<i32> }
///
/// pub struct Compliance { client: GraphClient }
/// impl GraphApi for Compliance {
///     fn graph_client(&self) -> &GraphClient { &self.client }
/// }
///
/// impl Compliance {
///     /// Update a policy's user-status overview.
///     #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatusOverview",
///                      permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
///     pub async fn update_overview(&self, device_compliance_policy_id: &PolicyId, body: &UserOverview)
///         -> graphwire_core::Result<UserOverview>;
///
///     /// The same resource, with the OpenAPI placeholder spelling and query options.
///     #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicy-id}/userStatusOverview",
///                      delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"],
///                      application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"],
///                      clouds = [Global, UsGov])]
///     pub async fn get_overview(&self, device_compliance_policy_id: &str, query: &Query)
///         -> graphwire_core::Result<UserOverview>;
///
///     /// A beta collection, paged; its documented example reads `compliance.list_overviews()`.
///     #[graph_endpoint(GET, "/deviceManagement/userOverviews", version = "beta", permissions = ["DeviceManagementConfiguration.Read.All"],
///                      operation = "compliance.list_overviews", example = "compliance")]
///     pub async fn list_overviews(&self) -> graphwire_core::Result<Pages<UserOverview>>;
/// }
///
/// # async fn calls(api: Compliance) -> graphwire_core::Result<()> {
/// let id = PolicyId::from("p-1");
/// let overview = api.get_overview("p-1", &Query::new()).await?;        // a declared Query parameter
/// let listed = api.list_overviews().query(&Query::new().top(5)).await?; // or options on any call
/// # let _ = (id, overview, listed); Ok(()) }
/// let endpoint = graphwire_core::meta::Endpoint::all().find(|e| e.operation == "update_overview").unwrap();
/// assert_eq!(endpoint.method.as_str(), "PATCH");
/// assert_eq!(endpoint.application, ["DeviceManagementConfiguration.ReadWrite.All"]);
/// assert_eq!(endpoint.clouds.len(), 4);
/// assert!(graphwire_core::meta::Endpoint::all().any(|e| e.operation == "compliance.list_overviews"));
/// ```
///
/// Arguments: the HTTP method (`GET`, `POST`, `PATCH`, `PUT`, `DELETE`), then the path
/// template, then options:
/// - `permissions = ["…"]`: delegated and application permissions, least privileged first;
///   or `delegated = [...]` and `application = [...]` separately (one of them is required);
/// - `version = "beta"`: the endpoint lives under `/beta` (default `v1.0`);
/// - `clouds = [Global, UsGov, UsGovDod, China]`: where it exists (default: all four). A call
///   in another cloud fails before sending;
/// - `operation = "managed_devices.sync_device"`: the operation's name in
///   [`meta::Endpoint`](https://docs.rs/graphwire-core/latest/graphwire_core/meta/struct.Endpoint.html),
///   traces (`graph.operation`) and errors (default: the method's name), for methods whose
///   name is short because their type says the rest;
/// - `example = "client.intune().managed_devices()"`: the expression the method's documented
///   example line calls it on (default `api`), so the doc shows the call as users write it;
/// - `crate = "path"`: where the runtime is, for a renamed dependency.
///
/// Parameters bind by name: one per placeholder (`{deviceCompliancePolicyId}` and
/// `{deviceCompliancePolicy-id}` both bind `device_compliance_policy_id`; any `&str` or typed
/// id), `body` (POST/PATCH/PUT; required on PATCH/PUT), one `Query`, and one `&HeaderMap` of
/// extra headers (`ConsistencyLevel`, `Prefer`). The return type is
/// `graphwire_core::Result<T>` with `T` an entity (an answer without a body is an error),
/// `()` (204), `Option<T>` (`None` on 204: declare updates this way, since Graph may apply a
/// PATCH without returning the resource), `Vec<T>` (one page), `Pages<T>` (follows
/// `@odata.nextLink`) or `i64` (`$count`).
#[proc_macro_attribute]
pub fn graph_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    endpoint::expand(args.into(), input.into()).into()
}

/// The crate README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
