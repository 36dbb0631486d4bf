//! Parameter objects of the two bound actions, and helpers for the known service problems.

use graphwire_core::{Nullable, Query, graph_entity};

use crate::Intune;
use crate::model::*;

/// The body of `assign`: the policy's complete new list of assignments.
#[graph_entity(parameters)]
pub struct AssignParameters {
    /// `assignments`: the assignments that replace the current ones.
    pub assignments: Option<Vec<DeviceCompliancePolicyAssignment>>,
}

/// The body of `scheduleActionsForRules`.
#[graph_entity(parameters)]
pub struct ScheduleActionsForRulesParameters {
    /// `deviceComplianceScheduledActionForRules`: the rules that replace the current ones.
    pub device_compliance_scheduled_action_for_rules:
        Option<Vec<DeviceComplianceScheduledActionForRule>>,
}

/// The one block action the service requires on every new policy (known issue D3):
/// rule `PasswordRequired`, action `block`, no grace period.
pub fn required_block_action() -> DeviceComplianceScheduledActionForRule {
    DeviceComplianceScheduledActionForRule {
        rule_name: Nullable::Value("PasswordRequired".into()),
        scheduled_action_configurations: Nullable::Value(vec![DeviceComplianceActionItem {
            action_type: Some(DeviceComplianceActionType::Block),
            grace_period_hours: Some(0),
            notification_template_id: Nullable::Value(String::new()),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

/// Adds [`required_block_action`] to a policy that has no scheduled actions yet.
pub fn with_required_block_action(mut policy: DeviceCompliancePolicy) -> DeviceCompliancePolicy {
    // Every variant derefs to the base properties.
    let base: &mut DeviceCompliancePolicyBase = &mut policy;
    if base
        .scheduled_actions_for_rule
        .as_ref()
        .is_none_or(Vec::is_empty)
    {
        base.scheduled_actions_for_rule = Some(vec![required_block_action()]);
    }
    policy
}

impl Intune {
    /// Creates a policy with the block action the service requires (known issue D3) added when
    /// the policy has none.
    pub async fn create_compliance_policy_with_block_action(
        &self,
        policy: DeviceCompliancePolicy,
    ) -> graphwire_core::Result<DeviceCompliancePolicy> {
        self.create_compliance_policy(&with_required_block_action(policy))
            .await
    }

    /// Lists a policy's scheduled actions through `$expand`, the route that works (known issue
    /// D2: the `scheduledActionsForRule` collection itself answers 400).
    pub async fn list_scheduled_actions_expanded(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<Vec<DeviceComplianceScheduledActionForRule>> {
        let query =
            Query::new().expand("scheduledActionsForRule($expand=scheduledActionConfigurations)");
        let policy = self
            .get_compliance_policy(device_compliance_policy_id)
            .query(&query)
            .await?;
        Ok(policy
            .scheduled_actions_for_rule
            .clone()
            .unwrap_or_default())
    }
}
