//! Intune's API (Microsoft Graph v1.0 `/deviceManagement` and `/deviceAppManagement`), declared
//! with the graph macros: every entity, complex and enum type and every endpoint Microsoft's
//! v1.0 SDK publishes under the two singletons (contained navigation, the links and type casts
//! of Microsoft's OpenAPI), generated from Microsoft's metadata by `graph-codegen`, plus a
//! hand-written [`overlay`] for the service's known problems and Win32 app uploads.
//!
//! `client.intune()` gives an [`Intune`]; each area (a top-level navigation property of
//! `deviceManagement` or `deviceAppManagement`, such as `managedDevices` or `mobileApps`) is a
//! method of it that returns the area's handler, and each endpoint is a method of its handler
//! named by the path after the area, then the operation:
//!
//! - `client.intune().managed_devices().list()`, `.get(&id)`, `.sync_device(&id)`;
//! - `client.intune().mobile_apps().as_win32_lob_app().content_versions_create(&app, &body)`
//!   (a path that reads the resource as a subtype, `…/microsoft.graph.win32LobApp/…`, is a
//!   method of that subtype's handler);
//! - `client.intune().device_compliance_policies().assign(&id, &body)`;
//! - `client.intune().device_compliance_policies().assignment_get(&policy, &assignment)`
//!   (items of a nested collection are named in the singular).
//!
//! Ids are arguments, typed per entity (`ManagedDeviceId`, `DeviceCompliancePolicyId`).
//! The singleton's own endpoints are methods of [`Intune`] itself (`client.intune().get()`).
//!
//! Each area is a public module (`managed_devices`, `virtual_endpoint`, …) with its docs,
//! its handler, and a Cargo feature of the same name (`managed-devices`, `virtual-endpoint`);
//! the default features are `device-compliance-policies` and `managed-devices`, and `full`
//! turns on every area. The crate README maps every area to its feature and handler.
//!
//! ```no_run
//! use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
//! # async fn run(client: graphwire_core::GraphClient) -> graphwire_core::Result<()> {
//! let patch = DeviceComplianceUserOverview { pending_count: Some(0), ..Default::default() };
//! let policy = DeviceCompliancePolicyId::from("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d");
//! let overview = client.intune().device_compliance_policies().user_status_overview_update(&policy, &patch).await?;
//! # let _ = overview; Ok(()) }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

#[rustfmt::skip]
mod generated;
pub mod overlay;

pub use generated::*;
#[cfg(any(
    feature = "compliance-management-partners",
    feature = "device-compliance-policies",
    feature = "device-configurations",
    feature = "device-enrollment-configurations",
    feature = "device-management-partners",
    feature = "terms-and-conditions"
))]
pub use overlay::assignments;
#[cfg(feature = "device-compliance-policies")]
pub use overlay::compliance::{required_block_action, with_required_block_action};
#[cfg(feature = "reports")]
pub use overlay::reporting::{
    ExportError, ExportWait, ExportedReport, ReportColumn, ReportRow, ReportTable,
};
#[cfg(feature = "win32-apps")]
pub use overlay::win32;
pub use overlay::{emulator_seed, limits, rules};

pub mod vectors;

use graphwire_core::{GraphClient, graph_handler};

graph_handler! {
    /// Intune's endpoints, reached from a client with [`IntuneExt::intune`]: the singleton's own
    /// endpoints are its methods, and each area's are on the handler its accessor returns
    /// (`client.intune().managed_devices()`).
    ///
    /// `Intune` and every handler hold a [`GraphClient`], a shared handle (cloning one is an
    /// atomic increment): they borrow nothing, so they can be kept in a struct, moved into a
    /// task, or made from a client that is then dropped.
    pub struct Intune;
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
