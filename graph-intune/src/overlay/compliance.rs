//! Helpers for the compliance policies' known service problems (reference §1.8, D2 and D3).

use graphwire_core::{Nullable, Query};

use crate::device_compliance_policies::DeviceCompliancePoliciesHandler;
use crate::generated::*;

/// The one block action the service requires on every new policy (known issue D3):
/// rule `PasswordRequired`, action `block`, no grace period.
pub fn required_block_action() -> DeviceComplianceScheduledActionForRule {
    DeviceComplianceScheduledActionForRule {
        rule_name: Nullable::Value("PasswordRequired".into()),
        scheduled_action_configurations: Some(vec![DeviceComplianceActionItem {
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

impl DeviceCompliancePoliciesHandler {
    /// Creates a policy with the block action the service requires (known issue D3) added when
    /// the policy has none: `client.intune().device_compliance_policies().create_with_block_action(policy)`.
    pub async fn create_with_block_action(
        &self,
        policy: DeviceCompliancePolicy,
    ) -> graphwire_core::Result<DeviceCompliancePolicy> {
        self.create(&with_required_block_action(policy)).await
    }

    /// Lists a policy's scheduled actions through `$expand`, the route that works (known issue
    /// D2: the `scheduledActionsForRule` collection itself answers 400).
    pub async fn scheduled_actions_expanded(
        &self,
        device_compliance_policy_id: &DeviceCompliancePolicyId,
    ) -> graphwire_core::Result<Vec<DeviceComplianceScheduledActionForRule>> {
        let query =
            Query::new().expand("scheduledActionsForRule($expand=scheduledActionConfigurations)");
        let policy = self.get(device_compliance_policy_id).query(&query).await?;
        Ok(policy
            .scheduled_actions_for_rule
            .clone()
            .unwrap_or_default())
    }
}
