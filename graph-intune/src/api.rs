//! The 53 endpoints of the v1.0 device-compliance surface (reference §1.7), declared.
//!
//! Each method is a declaration; `#[graph_endpoint]` writes its body. Known service problems
//! (reference §1.8) are noted on the method they affect, with the route that works.

use graphwire_core::{Pages, graph_endpoint};

use crate::Intune;
use crate::actions::{AssignParameters, ScheduleActionsForRulesParameters};
use crate::model::*;

impl Intune {
    /// List compliance policies of every platform, following `@odata.nextLink`.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_compliance_policies(
        &self,
    ) -> graphwire_core::Result<Pages<DeviceCompliancePolicy>>;

    /// Create a compliance policy of a concrete platform type.
    ///
    /// The service requires exactly one block action (known issue D3): build the body with
    /// [`crate::with_required_block_action`], or call [`Intune::create_compliance_policy_with_block_action`].
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_compliance_policy(
        &self,
        body: &DeviceCompliancePolicy,
    ) -> graphwire_core::Result<DeviceCompliancePolicy>;

    /// Read a compliance policy. Navigation properties appear only with `$expand` (known issue D5).
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_compliance_policy(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<DeviceCompliancePolicy>;

    /// Update a compliance policy: only the properties set in `body` change.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_compliance_policy(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &DeviceCompliancePolicy,
    ) -> graphwire_core::Result<Option<DeviceCompliancePolicy>>;

    /// Delete a compliance policy.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_compliance_policy(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<()>;

    /// Replace a policy's assignments (the `assign` action). This is the route that works for creating assignments (known issue D1).
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/assign", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn assign_compliance_policy(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &AssignParameters,
    ) -> graphwire_core::Result<Vec<DeviceCompliancePolicyAssignment>>;

    /// Replace a policy's scheduled actions (the `scheduleActionsForRules` action).
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduleActionsForRules", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn schedule_actions_for_rules(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &ScheduleActionsForRulesParameters,
    ) -> graphwire_core::Result<()>;

    /// List the assignments.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/assignments", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_assignments(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<Pages<DeviceCompliancePolicyAssignment>>;

    /// Create a assignment.
    ///
    /// **Known issue:** The live service answers 400 "No method match route template" (known issue D1); use [`Intune::assign_compliance_policy`].
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/assignments", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_assignment(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &DeviceCompliancePolicyAssignment,
    ) -> graphwire_core::Result<DeviceCompliancePolicyAssignment>;

    /// Read a assignment.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/assignments/{deviceCompliancePolicyAssignmentId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_assignment(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_policy_assignment_id: &DeviceCompliancePolicyAssignmentId,
    ) -> graphwire_core::Result<DeviceCompliancePolicyAssignment>;

    /// Update a assignment.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/assignments/{deviceCompliancePolicyAssignmentId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_assignment(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_policy_assignment_id: &DeviceCompliancePolicyAssignmentId,
        body: &DeviceCompliancePolicyAssignment,
    ) -> graphwire_core::Result<Option<DeviceCompliancePolicyAssignment>>;

    /// Delete a assignment.
    ///
    /// **Known issue:** The live service answers 400 "No method match route template" (known issue D1); use [`Intune::assign_compliance_policy`].
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/assignments/{deviceCompliancePolicyAssignmentId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_assignment(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_policy_assignment_id: &DeviceCompliancePolicyAssignmentId,
    ) -> graphwire_core::Result<()>;

    /// List the scheduled action for rules.
    ///
    /// **Known issue:** The live service answers 400 "No method match route template" (known issue D2); use [`Intune::list_scheduled_actions_expanded`].
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_scheduled_actions_for_rule(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<Pages<DeviceComplianceScheduledActionForRule>>;

    /// Create a scheduled action for rule.
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_scheduled_action_for_rule(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &DeviceComplianceScheduledActionForRule,
    ) -> graphwire_core::Result<DeviceComplianceScheduledActionForRule>;

    /// Read a scheduled action for rule.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_scheduled_action_for_rule(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
    ) -> graphwire_core::Result<DeviceComplianceScheduledActionForRule>;

    /// Update a scheduled action for rule.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_scheduled_action_for_rule(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
        body: &DeviceComplianceScheduledActionForRule,
    ) -> graphwire_core::Result<Option<DeviceComplianceScheduledActionForRule>>;

    /// Delete a scheduled action for rule.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_scheduled_action_for_rule(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
    ) -> graphwire_core::Result<()>;

    /// List the scheduled action configurations.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}/scheduledActionConfigurations", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_scheduled_action_configurations(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
    ) -> graphwire_core::Result<Pages<DeviceComplianceActionItem>>;

    /// Create a scheduled action configuration.
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}/scheduledActionConfigurations", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_scheduled_action_configuration(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
        body: &DeviceComplianceActionItem,
    ) -> graphwire_core::Result<DeviceComplianceActionItem>;

    /// Read a scheduled action configuration.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}/scheduledActionConfigurations/{deviceComplianceActionItemId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_scheduled_action_configuration(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
        device_compliance_action_item_id: &DeviceComplianceActionItemId,
    ) -> graphwire_core::Result<DeviceComplianceActionItem>;

    /// Update a scheduled action configuration.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}/scheduledActionConfigurations/{deviceComplianceActionItemId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_scheduled_action_configuration(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
        device_compliance_action_item_id: &DeviceComplianceActionItemId,
        body: &DeviceComplianceActionItem,
    ) -> graphwire_core::Result<Option<DeviceComplianceActionItem>>;

    /// Delete a scheduled action configuration.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/scheduledActionsForRule/{deviceComplianceScheduledActionForRuleId}/scheduledActionConfigurations/{deviceComplianceActionItemId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_scheduled_action_configuration(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_scheduled_action_for_rule_id: &DeviceComplianceScheduledActionForRuleId,
        device_compliance_action_item_id: &DeviceComplianceActionItemId,
    ) -> graphwire_core::Result<()>;

    /// List the device statuss.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceStatuses", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_device_statuses(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<Pages<DeviceComplianceDeviceStatus>>;

    /// Create a device status.
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceStatuses", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_device_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &DeviceComplianceDeviceStatus,
    ) -> graphwire_core::Result<DeviceComplianceDeviceStatus>;

    /// Read a device status.
    ///
    /// **Known issue:** The live service answers "no OData route" (known issue D4): statuses are computed; read them through the collection.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceStatuses/{deviceComplianceDeviceStatusId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_device_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_device_status_id: &DeviceComplianceDeviceStatusId,
    ) -> graphwire_core::Result<DeviceComplianceDeviceStatus>;

    /// Update a device status.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceStatuses/{deviceComplianceDeviceStatusId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_device_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_device_status_id: &DeviceComplianceDeviceStatusId,
        body: &DeviceComplianceDeviceStatus,
    ) -> graphwire_core::Result<Option<DeviceComplianceDeviceStatus>>;

    /// Delete a device status.
    ///
    /// **Known issue:** The live service answers "no OData route" (known issue D4): statuses are computed; read them through the collection.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceStatuses/{deviceComplianceDeviceStatusId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_device_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_device_status_id: &DeviceComplianceDeviceStatusId,
    ) -> graphwire_core::Result<()>;

    /// List the user statuss.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatuses", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_user_statuses(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<Pages<DeviceComplianceUserStatus>>;

    /// Create a user status.
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatuses", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_user_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &DeviceComplianceUserStatus,
    ) -> graphwire_core::Result<DeviceComplianceUserStatus>;

    /// Read a user status.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatuses/{deviceComplianceUserStatusId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_user_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_user_status_id: &DeviceComplianceUserStatusId,
    ) -> graphwire_core::Result<DeviceComplianceUserStatus>;

    /// Update a user status.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatuses/{deviceComplianceUserStatusId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_user_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_user_status_id: &DeviceComplianceUserStatusId,
        body: &DeviceComplianceUserStatus,
    ) -> graphwire_core::Result<Option<DeviceComplianceUserStatus>>;

    /// Delete a user status.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatuses/{deviceComplianceUserStatusId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_user_status(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        device_compliance_user_status_id: &DeviceComplianceUserStatusId,
    ) -> graphwire_core::Result<()>;

    /// Read a policy's device-status overview.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceStatusOverview", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_device_status_overview(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<DeviceComplianceDeviceOverview>;

    /// Update a policy's device-status overview.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceStatusOverview", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_device_status_overview(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &DeviceComplianceDeviceOverview,
    ) -> graphwire_core::Result<Option<DeviceComplianceDeviceOverview>>;

    /// Read a policy's user-status overview.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatusOverview", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_user_status_overview(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<DeviceComplianceUserOverview>;

    /// Update a policy's user-status overview: only the counts set in `body` change.
    ///
    /// ```no_run
    /// # async fn run(client: graphwire_core::GraphClient) -> graphwire_core::Result<()> {
    /// use graphwire_intune::{DeviceComplianceUserOverview, DeviceCompliancePolicyId, IntuneExt};
    /// let patch = DeviceComplianceUserOverview { failed_count: Some(0), ..Default::default() };
    /// let updated = client.intune()
    ///     .update_user_status_overview(&DeviceCompliancePolicyId::from("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d"), &patch)
    ///     .await?;
    /// // `None`: Graph applied the update and answered 204 without the resource.
    /// println!("{:?}", updated.and_then(|o| o.failed_count));
    /// # Ok(()) }
    /// ```
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatusOverview", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_user_status_overview(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &DeviceComplianceUserOverview,
    ) -> graphwire_core::Result<Option<DeviceComplianceUserOverview>>;

    /// List the device setting state summarys.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceSettingStateSummaries", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_device_setting_state_summaries(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<Pages<SettingStateDeviceSummary>>;

    /// Create a device setting state summary.
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceSettingStateSummaries", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_device_setting_state_summary(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        body: &SettingStateDeviceSummary,
    ) -> graphwire_core::Result<SettingStateDeviceSummary>;

    /// Read a device setting state summary.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceSettingStateSummaries/{settingStateDeviceSummaryId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_device_setting_state_summary(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        setting_state_device_summary_id: &SettingStateDeviceSummaryId,
    ) -> graphwire_core::Result<SettingStateDeviceSummary>;

    /// Update a device setting state summary.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceSettingStateSummaries/{settingStateDeviceSummaryId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_device_setting_state_summary(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        setting_state_device_summary_id: &SettingStateDeviceSummaryId,
        body: &SettingStateDeviceSummary,
    ) -> graphwire_core::Result<Option<SettingStateDeviceSummary>>;

    /// Delete a device setting state summary.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/deviceSettingStateSummaries/{settingStateDeviceSummaryId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_device_setting_state_summary(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
        setting_state_device_summary_id: &SettingStateDeviceSummaryId,
    ) -> graphwire_core::Result<()>;

    /// Read the tenant-wide device compliance summary.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicyDeviceStateSummary", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_device_state_summary(
        &self,
    ) -> graphwire_core::Result<DeviceCompliancePolicyDeviceStateSummary>;

    /// Update the tenant-wide device compliance summary.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicyDeviceStateSummary", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_device_state_summary(
        &self,
        body: &DeviceCompliancePolicyDeviceStateSummary,
    ) -> graphwire_core::Result<Option<DeviceCompliancePolicyDeviceStateSummary>>;

    /// List the per-setting compliance summaries.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicySettingStateSummaries", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_setting_state_summaries(
        &self,
    ) -> graphwire_core::Result<Pages<DeviceCompliancePolicySettingStateSummary>>;

    /// Create a per-setting compliance summary.
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicySettingStateSummaries", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_setting_state_summary(
        &self,
        body: &DeviceCompliancePolicySettingStateSummary,
    ) -> graphwire_core::Result<DeviceCompliancePolicySettingStateSummary>;

    /// Read a per-setting compliance summary.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_setting_state_summary(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
    ) -> graphwire_core::Result<DeviceCompliancePolicySettingStateSummary>;

    /// Update a per-setting compliance summary.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_setting_state_summary(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
        body: &DeviceCompliancePolicySettingStateSummary,
    ) -> graphwire_core::Result<Option<DeviceCompliancePolicySettingStateSummary>>;

    /// Delete a per-setting compliance summary.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_setting_state_summary(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
    ) -> graphwire_core::Result<()>;

    /// List the setting states.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}/deviceComplianceSettingStates", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn list_setting_states(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
    ) -> graphwire_core::Result<Pages<DeviceComplianceSettingState>>;

    /// Create a setting state.
    #[graph_endpoint(POST, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}/deviceComplianceSettingStates", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn create_setting_state(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
        body: &DeviceComplianceSettingState,
    ) -> graphwire_core::Result<DeviceComplianceSettingState>;

    /// Read a setting state.
    #[graph_endpoint(GET, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}/deviceComplianceSettingStates/{deviceComplianceSettingStateId}", delegated = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"], application = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn get_setting_state(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
        device_compliance_setting_state_id: &DeviceComplianceSettingStateId,
    ) -> graphwire_core::Result<DeviceComplianceSettingState>;

    /// Update a setting state.
    #[graph_endpoint(PATCH, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}/deviceComplianceSettingStates/{deviceComplianceSettingStateId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn update_setting_state(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
        device_compliance_setting_state_id: &DeviceComplianceSettingStateId,
        body: &DeviceComplianceSettingState,
    ) -> graphwire_core::Result<Option<DeviceComplianceSettingState>>;

    /// Delete a setting state.
    #[graph_endpoint(DELETE, "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}/deviceComplianceSettingStates/{deviceComplianceSettingStateId}", permissions = ["DeviceManagementConfiguration.ReadWrite.All"])]
    pub async fn delete_setting_state(
        &self,
        device_compliance_policy_setting_state_summary_id: &DeviceCompliancePolicySettingStateSummaryId,
        device_compliance_setting_state_id: &DeviceComplianceSettingStateId,
    ) -> graphwire_core::Result<()>;
}
