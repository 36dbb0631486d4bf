//! `deviceCompliancePolicy`: the abstract base and the polymorphic family of its subtypes.

use graphwire_core::{DateTimeOffset, Nullable, graph_entity};

use super::ids::DeviceCompliancePolicyId;
use super::supporting::{DeviceCompliancePolicyAssignment, DeviceComplianceScheduledActionForRule};

/// The properties every compliance policy has (the abstract `deviceCompliancePolicy`).
///
/// `id`, `createdDateTime` and `lastModifiedDateTime` are set by the service and never sent.
#[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicy")]
pub struct DeviceCompliancePolicyBase {
    /// The key (read-only).
    pub id: Option<DeviceCompliancePolicyId>,
    /// `createdDateTime`: DateTimeOffset, non-null, read-only.
    #[graph(read_only)]
    pub created_date_time: Option<DateTimeOffset>,
    /// `description`: String, nullable.
    pub description: Nullable<String>,
    /// `lastModifiedDateTime`: DateTimeOffset, non-null, read-only.
    #[graph(read_only)]
    pub last_modified_date_time: Option<DateTimeOffset>,
    /// `displayName`: String, non-null (required on create).
    pub display_name: Option<String>,
    /// `version`: Int32, non-null.
    pub version: Option<i32>,
    /// Navigation `scheduledActionsForRule`: present with `$expand`; deep-inserted on create
    /// (the service requires one block action, known issue D3).
    #[graph(navigation)]
    pub scheduled_actions_for_rule: Option<Vec<DeviceComplianceScheduledActionForRule>>,
    /// Navigation `assignments`: present with `$expand`.
    #[graph(navigation)]
    pub assignments: Option<Vec<DeviceCompliancePolicyAssignment>>,
}
