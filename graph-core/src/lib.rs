//! The runtime of a typed Microsoft Graph client.
//!
//! Types and endpoints declared with the macros re-exported here (`#[graph_entity]`,
//! `#[graph_enum]`, `#[graph_polymorphic]`, `#[graph_endpoint]`) serialize exactly as Graph
//! expects and call one generic function of this crate; see `ARCHITECTURE.md` at the
//! repository root for how a call travels from app code to the wire and back.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod batch;
mod body;
mod call;
mod client;
mod cloud;
pub mod entity;
mod error;
mod lock;
pub mod meta;
mod paging;
pub mod path;
mod query;
mod raw;
mod raw_response;
mod redact;
mod response;
mod retry;
mod secret;
mod types;
mod url_policy;

#[doc(hidden)]
pub mod __private;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use auth::{
    AccessToken, AzureCliCredential, ClientSecretCredential, DefaultAzureCredential,
    EnvironmentCredential, ManagedIdentity, ManagedIdentityCredential, StaticToken,
    TokenCredential, TokenRequest, WorkloadIdentityCredential,
};
pub use call::Call;
pub use client::{GraphApi, GraphClient, GraphClientBuilder, Pacing, RequestPolicy, RetryEvent};
pub use cloud::{Cloud, NationalCloud};
pub use entity::encode::{to_json_as_received, to_value_as_received};
pub use entity::{
    GraphEntity, GraphEnum, Polymorphic, PropertyKind, RequestBody, UnknownSubtype, from_json,
    to_json,
};
pub use error::{AuthError, DecodeError, Error, PagingStop, Result, ServiceError, TimeoutLimit};
pub use graphwire_macros::{graph_endpoint, graph_entity, graph_enum, graph_polymorphic};
pub use meta::ApiVersion;
pub use paging::{Items, Pages};
pub use path::PathSegment;
pub use query::Query;
pub use raw::RawRequest;
pub use raw_response::RawResponse;
pub use response::FromResponse;
pub use retry::signals::{is_retryable_status, parse_retry_after, says_not_processed};
pub use retry::{DEFAULT_DEADLINE, GaveUp, RetryPolicy, WriteRetry, with_retry_policy};
pub use secret::{Redacted, Secret};
pub use types::{
    AdditionalData, DateTimeOffset, DateTimeParseError, Guid, Int64, Nullable, Reference,
};

/// The HTTP client crate, for callers that pass their own client to
/// [`GraphClientBuilder::http_client`] or write a [`RequestPolicy`].
pub use reqwest;

/// JSON values, for reading and writing unknown members.
pub use serde_json::{Map as JsonMap, Value as JsonValue};

/// The crate README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
