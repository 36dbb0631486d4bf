//! Typed keys: each addressable entity has its own, so one cannot stand in for another.

use graphwire_core::graph_id;

graph_id! {
    /// Key of a `deviceCompliancePolicy`.
    pub struct DeviceCompliancePolicyId;
}
graph_id! {
    /// Key of a `deviceCompliancePolicyAssignment`.
    pub struct DeviceCompliancePolicyAssignmentId;
}
graph_id! {
    /// Key of a `deviceComplianceScheduledActionForRule`.
    pub struct DeviceComplianceScheduledActionForRuleId;
}
graph_id! {
    /// Key of a `deviceComplianceActionItem`.
    pub struct DeviceComplianceActionItemId;
}
graph_id! {
    /// Key of a `deviceComplianceDeviceStatus`.
    pub struct DeviceComplianceDeviceStatusId;
}
graph_id! {
    /// Key of a `deviceComplianceUserStatus`.
    pub struct DeviceComplianceUserStatusId;
}
graph_id! {
    /// Key of a `deviceComplianceSettingState`.
    pub struct DeviceComplianceSettingStateId;
}
graph_id! {
    /// Key of a `settingStateDeviceSummary`.
    pub struct SettingStateDeviceSummaryId;
}
graph_id! {
    /// Key of a `deviceCompliancePolicySettingStateSummary`.
    pub struct DeviceCompliancePolicySettingStateSummaryId;
}
