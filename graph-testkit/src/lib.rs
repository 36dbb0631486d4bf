//! A local Microsoft Graph emulator, on loopback, that serves every endpoint declared with
//! `#[graph_endpoint]` in the program, from their metadata.
//!
//! It signs in apps with client credentials (signed, expiring JWTs), checks each request's
//! token and permissions, validates bodies against the declared entity types, keeps resources
//! in memory per tenant (seeded with what the linked crates registered), pages collections,
//! runs `$batch`, throttles by the limits it is given, injects seeded faults, and journals every
//! request.
//!
//! The emulator knows no service: it serves whatever the linked crates declared, and applies
//! the service rules they registered (`graphwire_core::register_service_rule!`). The crate
//! README's example declares two endpoints and calls them through it; graphwire-intune's
//! `intune-emulator` binary serves all of Intune's.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod azure_cli;
mod batch;
mod config;
mod connect;
mod connections;
mod emulator;
mod faults;
mod filter;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod gateway;
mod graph;
mod host_identity;
mod http;
mod identity;
mod journal;
mod message;
mod odata_query;
mod routes;
mod staged;
mod state;
mod store;
mod throttle;
#[cfg(feature = "tls")]
mod tls;
mod upload_sessions;
mod validate;

pub use azure_cli::FakeAzureCli;
pub use config::UploadFaults;
pub use config::{App, AppCertificate, ClientLimits, Fault, FaultPlan, Throttling};
pub use connect::{Connection, connect_or_emulate};
pub use emulator::{DEFAULT_PAGE_SIZE, Emulator, EmulatorBuilder, default_app, reader_app};
pub use journal::{JournalEntry, JournalLimits};
#[cfg(feature = "tls")]
#[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
pub use tls::LoopbackTls;

/// The crate README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
