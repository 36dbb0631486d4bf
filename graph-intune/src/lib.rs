//! Intune's device-compliance API (Microsoft Graph v1.0), declared with the graph macros.
//!
//! ```no_run
//! use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
//! # async fn run(client: graphwire_core::GraphClient) -> graphwire_core::Result<()> {
//! let patch = DeviceComplianceUserOverview { pending_count: Some(0), ..Default::default() };
//! let policy = DeviceCompliancePolicyId::from("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d");
//! let overview = client.intune().update_user_status_overview(&policy, &patch).await?;
//! # let _ = overview; Ok(()) }
//! ```

mod actions;
mod api;
pub mod model;
pub mod rules;

pub use actions::{
    AssignParameters, ScheduleActionsForRulesParameters, required_block_action,
    with_required_block_action,
};
pub use model::*;

use graphwire_core::{GraphApi, GraphClient};

/// The device-compliance endpoints, reached from a client with [`IntuneExt::intune`].
#[derive(Debug, Clone)]
pub struct Intune {
    client: GraphClient,
}

impl Intune {
    /// Wraps a client.
    pub fn new(client: GraphClient) -> Self {
        Self { client }
    }
}

impl GraphApi for Intune {
    fn graph_client(&self) -> &GraphClient {
        &self.client
    }
}

/// Adds `.intune()` to [`GraphClient`].
pub trait IntuneExt {
    /// The Intune device-compliance endpoints, sharing this client.
    fn intune(&self) -> Intune;
}

impl IntuneExt for GraphClient {
    fn intune(&self) -> Intune {
        Intune::new(self.clone())
    }
}

/// The crate README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
