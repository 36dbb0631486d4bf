//! A local Microsoft Graph emulator, on loopback, that serves every endpoint declared with
//! `#[graph_endpoint]` in the program (graphwire-intune's and any other linked crate's) from their
//! metadata.
//!
//! It signs in apps with client credentials (signed, expiring JWTs), checks each request's
//! token and permissions, validates bodies against the declared entity types, keeps resources
//! in memory (seeded from the documented examples), pages collections, runs `$batch`,
//! throttles like Intune, injects seeded faults, and journals every request.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use graphwire_core::{ClientSecretCredential, GraphClient};
//! use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
//! use graphwire_testkit::Emulator;
//!
//! let emulator = Emulator::start().await?;
//! let client = GraphClient::builder()
//!     .cloud(emulator.cloud())
//!     .credential(ClientSecretCredential::new("contoso", "emulator-app", "emulator-secret"))
//!     .build()?;
//! let patch = DeviceComplianceUserOverview { failed_count: Some(0), ..Default::default() };
//! let policy = DeviceCompliancePolicyId::from(graphwire_testkit::SEED_POLICY_ID);
//! let updated = client.intune().update_user_status_overview(&policy, &patch).await?;
//! assert_eq!(updated.and_then(|o| o.failed_count), Some(0));
//! # Ok(()) }
//! ```

mod batch;
mod config;
mod connect;
mod graph;
mod identity;
mod journal;
mod routes;
mod seed;
mod server;
mod store;
mod throttle;
mod validate;
pub mod vectors;

pub use config::{App, AppCertificate, Fault, FaultPlan, Throttling};
pub use connect::{Connection, connect_or_emulate};
pub use journal::JournalEntry;
pub use seed::SEED_POLICY_ID;
pub use server::{Emulator, EmulatorBuilder, default_app};

/// Keeps graphwire-intune's declarations linked into every program that uses the emulator, so
/// their endpoint metadata is collected.
#[doc(hidden)]
pub fn intune_linked() -> &'static graphwire_core::meta::EntityMeta {
    <graphwire_intune::DeviceComplianceUserOverview as graphwire_core::GraphEntity>::META
}

/// The crate README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
