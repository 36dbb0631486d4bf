//! Intune's API (Microsoft Graph v1.0 `/deviceManagement`), declared with the graph macros:
//! every entity, complex and enum type and every endpoint reachable from the `deviceManagement`
//! singleton through contained navigation, generated from Microsoft's metadata by
//! `graph-codegen`, plus a hand-written [`overlay`] for the service's known problems.
//!
//! Every endpoint is a method of [`Intune`] named after the resource path, then the operation:
//! `device_compliance_policies_list`, `device_compliance_policy_get`,
//! `managed_device_sync_device`, `device_compliance_policy_user_status_overview_update`. Type
//! the resource's name and code completion lists what can be done with it.
//!
//! Each area (a top-level navigation property of `deviceManagement`, such as `managedDevices`
//! or `virtualEndpoint`) is a Cargo feature named after it (`managed-devices`,
//! `virtual-endpoint`); the default ones are `device-compliance-policies` and
//! `managed-devices`, and `full` turns on every area. The singleton's own endpoints are always
//! there.
//!
//! ```no_run
//! use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
//! # async fn run(client: graphwire_core::GraphClient) -> graphwire_core::Result<()> {
//! let patch = DeviceComplianceUserOverview { pending_count: Some(0), ..Default::default() };
//! let policy = DeviceCompliancePolicyId::from("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d");
//! let overview = client.intune().device_compliance_policy_user_status_overview_update(&policy, &patch).await?;
//! # let _ = overview; Ok(()) }
//! ```

#[rustfmt::skip]
mod generated;
pub mod overlay;

pub use generated::*;
#[cfg(feature = "device-compliance-policies")]
pub use overlay::compliance::{required_block_action, with_required_block_action};
pub use overlay::{emulator_seed, rules};

pub mod vectors;

use graphwire_core::{GraphApi, GraphClient};

/// Intune's endpoints, reached from a client with [`IntuneExt::intune`].
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
    /// Intune's endpoints, sharing this client.
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
