//! The supporting entities of the compliance surface (reference §1.4).

use graphwire_core::{DateTimeOffset, Nullable, graph_entity};

use super::complex::{DeviceAndAppManagementAssignmentTarget, DeviceCompliancePolicySettingState};
use super::enums::{ComplianceStatus, DeviceComplianceActionType, PolicyPlatformType};
use super::ids::*;

/// Device-status counts of one compliance policy (single-valued `deviceStatusOverview`).
///
/// OData type `#microsoft.graph.deviceComplianceDeviceOverview`.
#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceDeviceOverview")]
pub struct DeviceComplianceDeviceOverview {
    /// The key (read-only).
    pub id: Option<String>,
    /// `pendingCount`: Int32, non-null.
    pub pending_count: Option<i32>,
    /// `notApplicableCount`: Int32, non-null.
    pub not_applicable_count: Option<i32>,
    /// `successCount`: Int32, non-null.
    pub success_count: Option<i32>,
    /// `errorCount`: Int32, non-null.
    pub error_count: Option<i32>,
    /// `failedCount`: Int32, non-null.
    pub failed_count: Option<i32>,
    /// `lastUpdateDateTime`: DateTimeOffset, non-null.
    pub last_update_date_time: Option<DateTimeOffset>,
    /// `configurationVersion`: Int32, non-null.
    pub configuration_version: Option<i32>,
}

/// User-status counts of one compliance policy (single-valued `userStatusOverview`).
///
/// OData type `#microsoft.graph.deviceComplianceUserOverview`.
#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserOverview")]
pub struct DeviceComplianceUserOverview {
    /// The key (read-only).
    pub id: Option<String>,
    /// `pendingCount`: Int32, non-null.
    pub pending_count: Option<i32>,
    /// `notApplicableCount`: Int32, non-null.
    pub not_applicable_count: Option<i32>,
    /// `successCount`: Int32, non-null.
    pub success_count: Option<i32>,
    /// `errorCount`: Int32, non-null.
    pub error_count: Option<i32>,
    /// `failedCount`: Int32, non-null.
    pub failed_count: Option<i32>,
    /// `lastUpdateDateTime`: DateTimeOffset, non-null.
    pub last_update_date_time: Option<DateTimeOffset>,
    /// `configurationVersion`: Int32, non-null.
    pub configuration_version: Option<i32>,
}

/// Compliance status of one device for a policy.
///
/// OData type `#microsoft.graph.deviceComplianceDeviceStatus`.
#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceDeviceStatus")]
pub struct DeviceComplianceDeviceStatus {
    /// The key (read-only).
    pub id: Option<DeviceComplianceDeviceStatusId>,
    /// `deviceDisplayName`: String, nullable.
    pub device_display_name: Nullable<String>,
    /// `userName`: String, nullable.
    pub user_name: Nullable<String>,
    /// `deviceModel`: String, nullable.
    pub device_model: Nullable<String>,
    /// `complianceGracePeriodExpirationDateTime`: DateTimeOffset, non-null.
    pub compliance_grace_period_expiration_date_time: Option<DateTimeOffset>,
    /// `status`: `complianceStatus`, non-null.
    pub status: Option<ComplianceStatus>,
    /// `lastReportedDateTime`: DateTimeOffset, non-null.
    pub last_reported_date_time: Option<DateTimeOffset>,
    /// `userPrincipalName`: String, nullable.
    pub user_principal_name: Nullable<String>,
}

/// Compliance status of one user for a policy.
///
/// OData type `#microsoft.graph.deviceComplianceUserStatus`.
#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceUserStatus")]
pub struct DeviceComplianceUserStatus {
    /// The key (read-only).
    pub id: Option<DeviceComplianceUserStatusId>,
    /// `userDisplayName`: String, nullable.
    pub user_display_name: Nullable<String>,
    /// `devicesCount`: Int32, non-null.
    pub devices_count: Option<i32>,
    /// `status`: `complianceStatus`, non-null.
    pub status: Option<ComplianceStatus>,
    /// `lastReportedDateTime`: DateTimeOffset, non-null.
    pub last_reported_date_time: Option<DateTimeOffset>,
    /// `userPrincipalName`: String, nullable.
    pub user_principal_name: Nullable<String>,
}

/// State of one compliance setting on one device.
///
/// OData type `#microsoft.graph.deviceComplianceSettingState`.
#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceSettingState")]
pub struct DeviceComplianceSettingState {
    /// The key (read-only).
    pub id: Option<DeviceComplianceSettingStateId>,
    /// `setting`: String, nullable.
    pub setting: Nullable<String>,
    /// `settingName`: String, nullable.
    pub setting_name: Nullable<String>,
    /// `deviceId`: String, nullable.
    pub device_id: Nullable<String>,
    /// `deviceName`: String, nullable.
    pub device_name: Nullable<String>,
    /// `userId`: String, nullable.
    pub user_id: Nullable<String>,
    /// `userEmail`: String, nullable.
    pub user_email: Nullable<String>,
    /// `userName`: String, nullable.
    pub user_name: Nullable<String>,
    /// `userPrincipalName`: String, nullable.
    pub user_principal_name: Nullable<String>,
    /// `deviceModel`: String, nullable.
    pub device_model: Nullable<String>,
    /// `state`: `complianceStatus`, non-null.
    pub state: Option<ComplianceStatus>,
    /// `complianceGracePeriodExpirationDateTime`: DateTimeOffset, non-null.
    pub compliance_grace_period_expiration_date_time: Option<DateTimeOffset>,
}

/// Per-setting device counts of one compliance policy.
///
/// OData type `#microsoft.graph.settingStateDeviceSummary`.
#[graph_entity(odata_type = "#microsoft.graph.settingStateDeviceSummary")]
pub struct SettingStateDeviceSummary {
    /// The key (read-only).
    pub id: Option<SettingStateDeviceSummaryId>,
    /// `settingName`: String, nullable.
    pub setting_name: Nullable<String>,
    /// `instancePath`: String, nullable.
    pub instance_path: Nullable<String>,
    /// `unknownDeviceCount`: Int32, non-null.
    pub unknown_device_count: Option<i32>,
    /// `notApplicableDeviceCount`: Int32, non-null.
    pub not_applicable_device_count: Option<i32>,
    /// `compliantDeviceCount`: Int32, non-null.
    pub compliant_device_count: Option<i32>,
    /// `remediatedDeviceCount`: Int32, non-null.
    pub remediated_device_count: Option<i32>,
    /// `nonCompliantDeviceCount`: Int32, non-null.
    pub non_compliant_device_count: Option<i32>,
    /// `errorDeviceCount`: Int32, non-null.
    pub error_device_count: Option<i32>,
    /// `conflictDeviceCount`: Int32, non-null.
    pub conflict_device_count: Option<i32>,
}

/// A rule whose actions run when a device is not compliant.
///
/// OData type `#microsoft.graph.deviceComplianceScheduledActionForRule`.
#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceScheduledActionForRule")]
pub struct DeviceComplianceScheduledActionForRule {
    /// The key (read-only).
    pub id: Option<DeviceComplianceScheduledActionForRuleId>,
    /// `ruleName`: String, nullable.
    pub rule_name: Nullable<String>,
    /// `scheduledActionConfigurations`: collection of `deviceComplianceActionItem`, nullable.
    #[graph(navigation)]
    pub scheduled_action_configurations: Nullable<Vec<DeviceComplianceActionItem>>,
}

/// One scheduled action: block, notify, retire, ...
///
/// OData type `#microsoft.graph.deviceComplianceActionItem`.
#[graph_entity(odata_type = "#microsoft.graph.deviceComplianceActionItem")]
pub struct DeviceComplianceActionItem {
    /// The key (read-only).
    pub id: Option<DeviceComplianceActionItemId>,
    /// `gracePeriodHours`: Int32, non-null.
    pub grace_period_hours: Option<i32>,
    /// `actionType`: `deviceComplianceActionType`, non-null.
    pub action_type: Option<DeviceComplianceActionType>,
    /// `notificationTemplateId`: String, nullable.
    pub notification_template_id: Nullable<String>,
    /// `notificationMessageCCList`: collection of String, nullable.
    #[graph(rename = "notificationMessageCCList")]
    pub notification_message_cc_list: Nullable<Vec<String>>,
}

/// Assignment of a compliance policy to a target.
///
/// OData type `#microsoft.graph.deviceCompliancePolicyAssignment`.
#[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicyAssignment")]
pub struct DeviceCompliancePolicyAssignment {
    /// The key (read-only).
    pub id: Option<DeviceCompliancePolicyAssignmentId>,
    /// `target`: `deviceAndAppManagementAssignmentTarget`, nullable.
    pub target: Nullable<DeviceAndAppManagementAssignmentTarget>,
}

/// Tenant-wide device compliance counts (singleton).
///
/// OData type `#microsoft.graph.deviceCompliancePolicyDeviceStateSummary`.
#[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicyDeviceStateSummary")]
pub struct DeviceCompliancePolicyDeviceStateSummary {
    /// The key (read-only).
    pub id: Option<String>,
    /// `inGracePeriodCount`: Int32, non-null.
    pub in_grace_period_count: Option<i32>,
    /// `configManagerCount`: Int32, non-null.
    pub config_manager_count: Option<i32>,
    /// `unknownDeviceCount`: Int32, non-null.
    pub unknown_device_count: Option<i32>,
    /// `notApplicableDeviceCount`: Int32, non-null.
    pub not_applicable_device_count: Option<i32>,
    /// `compliantDeviceCount`: Int32, non-null.
    pub compliant_device_count: Option<i32>,
    /// `remediatedDeviceCount`: Int32, non-null.
    pub remediated_device_count: Option<i32>,
    /// `nonCompliantDeviceCount`: Int32, non-null.
    pub non_compliant_device_count: Option<i32>,
    /// `errorDeviceCount`: Int32, non-null.
    pub error_device_count: Option<i32>,
    /// `conflictDeviceCount`: Int32, non-null.
    pub conflict_device_count: Option<i32>,
}

/// Tenant-wide counts for one compliance setting.
///
/// OData type `#microsoft.graph.deviceCompliancePolicySettingStateSummary`.
#[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicySettingStateSummary")]
pub struct DeviceCompliancePolicySettingStateSummary {
    /// The key (read-only).
    pub id: Option<DeviceCompliancePolicySettingStateSummaryId>,
    /// `setting`: String, nullable.
    pub setting: Nullable<String>,
    /// `settingName`: String, nullable.
    pub setting_name: Nullable<String>,
    /// `platformType`: `policyPlatformType`, non-null.
    pub platform_type: Option<PolicyPlatformType>,
    /// `unknownDeviceCount`: Int32, non-null.
    pub unknown_device_count: Option<i32>,
    /// `notApplicableDeviceCount`: Int32, non-null.
    pub not_applicable_device_count: Option<i32>,
    /// `compliantDeviceCount`: Int32, non-null.
    pub compliant_device_count: Option<i32>,
    /// `remediatedDeviceCount`: Int32, non-null.
    pub remediated_device_count: Option<i32>,
    /// `nonCompliantDeviceCount`: Int32, non-null.
    pub non_compliant_device_count: Option<i32>,
    /// `errorDeviceCount`: Int32, non-null.
    pub error_device_count: Option<i32>,
    /// `conflictDeviceCount`: Int32, non-null.
    pub conflict_device_count: Option<i32>,
}

/// Compliance state of one policy on a managed device (reached from `managedDevice`).
///
/// OData type `#microsoft.graph.deviceCompliancePolicyState`.
#[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicyState")]
pub struct DeviceCompliancePolicyState {
    /// The key (read-only).
    pub id: Option<String>,
    /// `displayName`: String, nullable.
    pub display_name: Nullable<String>,
    /// `platformType`: `policyPlatformType`, non-null.
    pub platform_type: Option<PolicyPlatformType>,
    /// `settingCount`: Int32, non-null.
    pub setting_count: Option<i32>,
    /// `settingStates`: collection of `deviceCompliancePolicySettingState`, nullable.
    pub setting_states: Nullable<Vec<DeviceCompliancePolicySettingState>>,
    /// `state`: `complianceStatus`, non-null.
    pub state: Option<ComplianceStatus>,
    /// `version`: Int32, non-null.
    pub version: Option<i32>,
}
