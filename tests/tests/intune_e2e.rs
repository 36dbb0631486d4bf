//! End to end, as a story: the 53 endpoints of the device-compliance surface (reference §1.7)
//! called through `client.intune()` against the emulator in an order a user would, each result
//! checked; the journal proves all 53 were reached. (Every one of the 642 generated endpoints
//! is also called on its own by `generated_endpoints.rs`.)

use std::collections::BTreeSet;

use graphwire_core::meta::Endpoint;
use graphwire_core::{GraphClient, Nullable, Query};
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::*;
use graphwire_testkit::Emulator;

/// The device-compliance surface of reference §1.7.
const COMPLIANCE: &[&str] = &[
    "device_compliance_policies.list",
    "device_compliance_policies.create",
    "device_compliance_policies.get",
    "device_compliance_policies.update",
    "device_compliance_policies.delete",
    "device_compliance_policies.assign",
    "device_compliance_policies.schedule_actions_for_rules",
    "device_compliance_policies.assignments_list",
    "device_compliance_policies.assignments_create",
    "device_compliance_policies.assignment_get",
    "device_compliance_policies.assignment_update",
    "device_compliance_policies.assignment_delete",
    "device_compliance_policies.scheduled_actions_for_rule_list",
    "device_compliance_policies.scheduled_actions_for_rule_create",
    "device_compliance_policies.scheduled_actions_for_rule_get",
    "device_compliance_policies.scheduled_actions_for_rule_update",
    "device_compliance_policies.scheduled_actions_for_rule_delete",
    "device_compliance_policies.scheduled_actions_for_rule_configurations_list",
    "device_compliance_policies.scheduled_actions_for_rule_configurations_create",
    "device_compliance_policies.scheduled_actions_for_rule_configuration_get",
    "device_compliance_policies.scheduled_actions_for_rule_configuration_update",
    "device_compliance_policies.scheduled_actions_for_rule_configuration_delete",
    "device_compliance_policies.device_statuses_list",
    "device_compliance_policies.device_statuses_create",
    "device_compliance_policies.device_status_get",
    "device_compliance_policies.device_status_update",
    "device_compliance_policies.device_status_delete",
    "device_compliance_policies.user_statuses_list",
    "device_compliance_policies.user_statuses_create",
    "device_compliance_policies.user_status_get",
    "device_compliance_policies.user_status_update",
    "device_compliance_policies.user_status_delete",
    "device_compliance_policies.device_status_overview_get",
    "device_compliance_policies.device_status_overview_update",
    "device_compliance_policies.user_status_overview_get",
    "device_compliance_policies.user_status_overview_update",
    "device_compliance_policies.device_setting_state_summaries_list",
    "device_compliance_policies.device_setting_state_summaries_create",
    "device_compliance_policies.device_setting_state_summary_get",
    "device_compliance_policies.device_setting_state_summary_update",
    "device_compliance_policies.device_setting_state_summary_delete",
    "device_compliance_policy_device_state_summary.get",
    "device_compliance_policy_device_state_summary.update",
    "device_compliance_policy_setting_state_summaries.list",
    "device_compliance_policy_setting_state_summaries.create",
    "device_compliance_policy_setting_state_summaries.get",
    "device_compliance_policy_setting_state_summaries.update",
    "device_compliance_policy_setting_state_summaries.delete",
    "device_compliance_policy_setting_state_summaries.setting_states_list",
    "device_compliance_policy_setting_state_summaries.setting_states_create",
    "device_compliance_policy_setting_state_summaries.setting_state_get",
    "device_compliance_policy_setting_state_summaries.setting_state_update",
    "device_compliance_policy_setting_state_summaries.setting_state_delete",
];

fn matches_template(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').skip(1).collect();
    let p: Vec<&str> = path.split('/').skip(2).collect(); // skip "" and "v1.0"
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

#[tokio::test]
async fn every_endpoint_works_against_the_emulator() {
    let emulator = Emulator::start().await.unwrap();
    let client = GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(graphwire_testkit::default_app().credential())
        .build()
        .unwrap();
    let intune = client.intune();
    let none = Query::new();
    let seed = DeviceCompliancePolicyId::from(SEED_POLICY_ID);

    // --- policies (1-5)
    let listed = intune
        .device_compliance_policies()
        .list()
        .query(&none)
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .any(|p| matches!(p, DeviceCompliancePolicy::Windows10(_)))
    );
    assert!(
        listed
            .iter()
            .any(|p| matches!(p, DeviceCompliancePolicy::Base(_))),
        "the documented base-typed item"
    );

    let mut android = AndroidCompliancePolicy::default();
    android.base.display_name = Some("Android e2e".into());
    android.password_required = Some(true);
    android.password_required_type = Some(AndroidRequiredPasswordType::NumericComplex);
    let created = intune
        .device_compliance_policies()
        .create(&with_required_block_action(android.into()))
        .await
        .unwrap();
    let DeviceCompliancePolicy::Android(created) = created else {
        panic!("{created:?}")
    };
    let policy = created.base.id.clone().unwrap();
    assert_eq!(
        created.password_required_type,
        Some(AndroidRequiredPasswordType::NumericComplex)
    );

    let read = intune
        .device_compliance_policies()
        .get(&policy)
        .query(&none)
        .await
        .unwrap();
    assert_eq!(read.display_name.as_deref(), Some("Android e2e"));

    let patch = AndroidCompliancePolicy {
        os_minimum_version: Nullable::Value("14.0".into()),
        ..Default::default()
    };
    let updated = intune
        .device_compliance_policies()
        .update(&policy, &patch.into())
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert!(
        matches!(&updated, DeviceCompliancePolicy::Android(a) if a.os_minimum_version == Nullable::Value("14.0".into()))
    );

    // --- actions (6, 7)
    let group_target: DeviceAndAppManagementAssignmentTarget = GroupAssignmentTargetBase {
        group_id: Nullable::Value("group-1".into()),
        ..Default::default()
    }
    .into();
    let assigned = intune
        .device_compliance_policies()
        .assign(
            &policy,
            &DeviceCompliancePolicyAssignParameters {
                assignments: Some(vec![DeviceCompliancePolicyAssignment {
                    target: Nullable::Value(group_target.clone()),
                    ..Default::default()
                }]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].target, Nullable::Value(group_target.clone()));
    intune
        .device_compliance_policies()
        .schedule_actions_for_rules(
            &policy,
            &ScheduleActionsForRulesParameters {
                device_compliance_scheduled_action_for_rules: Some(vec![required_block_action()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    // --- assignments (8-12)
    let assignments = intune
        .device_compliance_policies()
        .assignments_list(&policy)
        .query(&none)
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(assignments.len(), 1, "assign replaced the assignments");
    let all_devices: DeviceAndAppManagementAssignmentTarget =
        AllDevicesAssignmentTarget::default().into();
    let assignment = intune
        .device_compliance_policies()
        .assignments_create(
            &policy,
            &DeviceCompliancePolicyAssignment {
                target: Nullable::Value(all_devices.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let assignment_id = assignment.id.clone().unwrap();
    let got = intune
        .device_compliance_policies()
        .assignment_get(&policy, &assignment_id)
        .query(&none)
        .await
        .unwrap();
    assert_eq!(got.target, Nullable::Value(all_devices));
    let exclusion: DeviceAndAppManagementAssignmentTarget = ExclusionGroupAssignmentTarget {
        base: GroupAssignmentTargetBase {
            group_id: Nullable::Value("group-2".into()),
            ..Default::default()
        },
    }
    .into();
    let changed = intune
        .device_compliance_policies()
        .assignment_update(
            &policy,
            &assignment_id,
            &DeviceCompliancePolicyAssignment {
                target: Nullable::Value(exclusion.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(changed.target, Nullable::Value(exclusion));
    intune
        .device_compliance_policies()
        .assignment_delete(&policy, &assignment_id)
        .await
        .unwrap();

    // --- scheduled actions for rule (13-17) and their configurations (18-22)
    let rules = intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_list(&seed)
        .query(&none)
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        rules[0].rule_name,
        Nullable::Value("PasswordRequired".into())
    );
    let rule = intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_create(
            &seed,
            &DeviceComplianceScheduledActionForRule {
                rule_name: Nullable::Value("PasswordRequired".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let rule_id = rule.id.clone().unwrap();
    assert!(
        intune
            .device_compliance_policies()
            .scheduled_actions_for_rule_get(&seed, &rule_id)
            .query(&none)
            .await
            .is_ok()
    );
    let renamed = intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_update(
            &seed,
            &rule_id,
            &DeviceComplianceScheduledActionForRule {
                rule_name: Nullable::Null,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(renamed.rule_name, Nullable::Null);

    let configs = intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_configurations_list(
            &seed,
            &DeviceComplianceScheduledActionForRuleId::from("rule-1"),
        )
        .query(&none)
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        configs[0].action_type,
        Some(DeviceComplianceActionType::Block)
    );
    let item = intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_configurations_create(
            &seed,
            &rule_id,
            &DeviceComplianceActionItem {
                action_type: Some(DeviceComplianceActionType::Notification),
                grace_period_hours: Some(24),
                notification_message_cc_list: Nullable::Value(vec!["secops@contoso.com".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let item_id = item.id.clone().unwrap();
    let got = intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_configuration_get(&seed, &rule_id, &item_id)
        .query(&none)
        .await
        .unwrap();
    assert_eq!(got.grace_period_hours, Some(24));
    let longer = intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_configuration_update(
            &seed,
            &rule_id,
            &item_id,
            &DeviceComplianceActionItem {
                grace_period_hours: Some(48),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(
        (longer.grace_period_hours, longer.action_type),
        (Some(48), Some(DeviceComplianceActionType::Notification))
    );
    intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_configuration_delete(&seed, &rule_id, &item_id)
        .await
        .unwrap();
    intune
        .device_compliance_policies()
        .scheduled_actions_for_rule_delete(&seed, &rule_id)
        .await
        .unwrap();

    // --- device statuses (23-27)
    let status = intune
        .device_compliance_policies()
        .device_statuses_create(
            &seed,
            &DeviceComplianceDeviceStatus {
                device_display_name: Nullable::Value("LAPTOP-1".into()),
                status: Some(ComplianceStatus::NonCompliant),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let status_id = status.id.clone().unwrap();
    let statuses = intune
        .device_compliance_policies()
        .device_statuses_list(&seed)
        .query(&none)
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(statuses.len(), 1);
    assert_eq!(
        intune
            .device_compliance_policies()
            .device_status_get(&seed, &status_id)
            .query(&none)
            .await
            .unwrap()
            .status,
        Some(ComplianceStatus::NonCompliant)
    );
    let fixed = intune
        .device_compliance_policies()
        .device_status_update(
            &seed,
            &status_id,
            &DeviceComplianceDeviceStatus {
                status: Some(ComplianceStatus::Compliant),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(fixed.status, Some(ComplianceStatus::Compliant));
    intune
        .device_compliance_policies()
        .device_status_delete(&seed, &status_id)
        .await
        .unwrap();

    // --- user statuses (28-32)
    let user = intune
        .device_compliance_policies()
        .user_statuses_create(
            &seed,
            &DeviceComplianceUserStatus {
                user_display_name: Nullable::Value("Adele".into()),
                devices_count: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let user_id = user.id.clone().unwrap();
    assert_eq!(
        intune
            .device_compliance_policies()
            .user_statuses_list(&seed)
            .query(&none)
            .await
            .unwrap()
            .collect_all()
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        intune
            .device_compliance_policies()
            .user_status_get(&seed, &user_id)
            .query(&none)
            .await
            .unwrap()
            .devices_count,
        Some(2)
    );
    let more = intune
        .device_compliance_policies()
        .user_status_update(
            &seed,
            &user_id,
            &DeviceComplianceUserStatus {
                devices_count: Some(3),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(more.devices_count, Some(3));
    intune
        .device_compliance_policies()
        .user_status_delete(&seed, &user_id)
        .await
        .unwrap();

    // --- overviews (33-36)
    let device_overview = intune
        .device_compliance_policies()
        .device_status_overview_get(&seed)
        .query(&none)
        .await
        .unwrap();
    assert_eq!(device_overview.pending_count, Some(12));
    let device_overview = intune
        .device_compliance_policies()
        .device_status_overview_update(
            &seed,
            &DeviceComplianceDeviceOverview {
                pending_count: Some(0),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(
        (device_overview.pending_count, device_overview.failed_count),
        (Some(0), Some(11))
    );
    let user_overview = intune
        .device_compliance_policies()
        .user_status_overview_get(&seed)
        .query(&none)
        .await
        .unwrap();
    assert_eq!(user_overview.success_count, Some(3));
    let user_overview = intune
        .device_compliance_policies()
        .user_status_overview_update(
            &seed,
            &DeviceComplianceUserOverview {
                success_count: Some(4),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(user_overview.success_count, Some(4));

    // --- per-policy setting state summaries (37-41)
    let summary = intune
        .device_compliance_policies()
        .device_setting_state_summaries_create(
            &seed,
            &SettingStateDeviceSummary {
                setting_name: Nullable::Value("PasswordRequired".into()),
                compliant_device_count: Some(7),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let summary_id = summary.id.clone().unwrap();
    assert_eq!(
        intune
            .device_compliance_policies()
            .device_setting_state_summaries_list(&seed)
            .query(&none)
            .await
            .unwrap()
            .collect_all()
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        intune
            .device_compliance_policies()
            .device_setting_state_summary_get(&seed, &summary_id)
            .query(&none)
            .await
            .unwrap()
            .compliant_device_count,
        Some(7)
    );
    let summary = intune
        .device_compliance_policies()
        .device_setting_state_summary_update(
            &seed,
            &summary_id,
            &SettingStateDeviceSummary {
                error_device_count: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(
        (summary.compliant_device_count, summary.error_device_count),
        (Some(7), Some(1))
    );
    intune
        .device_compliance_policies()
        .device_setting_state_summary_delete(&seed, &summary_id)
        .await
        .unwrap();

    // --- tenant summaries (42-48) and setting states (49-53)
    let tenant = intune
        .device_compliance_policy_device_state_summary()
        .get()
        .query(&none)
        .await
        .unwrap();
    assert_eq!(tenant.id.as_deref(), Some("deviceManagement"));
    let tenant = intune
        .device_compliance_policy_device_state_summary()
        .update(&DeviceCompliancePolicyDeviceStateSummary {
            compliant_device_count: Some(40),
            ..Default::default()
        })
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(tenant.compliant_device_count, Some(40));

    let setting = intune
        .device_compliance_policy_setting_state_summaries()
        .create(&DeviceCompliancePolicySettingStateSummary {
            setting: Nullable::Value("Windows10CompliancePolicy.PasswordRequired".into()),
            platform_type: Some(PolicyPlatformType::Windows10AndLater),
            ..Default::default()
        })
        .await
        .unwrap();
    let setting_id = setting.id.clone().unwrap();
    assert_eq!(
        intune
            .device_compliance_policy_setting_state_summaries()
            .list()
            .query(&none)
            .await
            .unwrap()
            .collect_all()
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        intune
            .device_compliance_policy_setting_state_summaries()
            .get(&setting_id)
            .query(&none)
            .await
            .unwrap()
            .platform_type,
        Some(PolicyPlatformType::Windows10AndLater)
    );
    let setting = intune
        .device_compliance_policy_setting_state_summaries()
        .update(
            &setting_id,
            &DeviceCompliancePolicySettingStateSummary {
                conflict_device_count: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(setting.conflict_device_count, Some(2));

    let state = intune
        .device_compliance_policy_setting_state_summaries()
        .setting_states_create(
            &setting_id,
            &DeviceComplianceSettingState {
                device_name: Nullable::Value("LAPTOP-1".into()),
                state: Some(ComplianceStatus::Error),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let state_id = state.id.clone().unwrap();
    assert_eq!(
        intune
            .device_compliance_policy_setting_state_summaries()
            .setting_states_list(&setting_id)
            .query(&none)
            .await
            .unwrap()
            .collect_all()
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        intune
            .device_compliance_policy_setting_state_summaries()
            .setting_state_get(&setting_id, &state_id)
            .query(&none)
            .await
            .unwrap()
            .state,
        Some(ComplianceStatus::Error)
    );
    let state = intune
        .device_compliance_policy_setting_state_summaries()
        .setting_state_update(
            &setting_id,
            &state_id,
            &DeviceComplianceSettingState {
                state: Some(ComplianceStatus::Remediated),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .expect("the emulator answers an update with the resource");
    assert_eq!(state.state, Some(ComplianceStatus::Remediated));
    intune
        .device_compliance_policy_setting_state_summaries()
        .setting_state_delete(&setting_id, &state_id)
        .await
        .unwrap();
    intune
        .device_compliance_policy_setting_state_summaries()
        .delete(&setting_id)
        .await
        .unwrap();

    intune
        .device_compliance_policies()
        .delete(&policy)
        .await
        .unwrap();
    assert!(
        intune
            .device_compliance_policies()
            .get(&policy)
            .query(&none)
            .await
            .is_err()
    );

    // Every declared endpoint was reached, each answered with success.
    let endpoints: Vec<&Endpoint> = Endpoint::all()
        .filter(|e| COMPLIANCE.contains(&e.operation))
        .collect();
    assert_eq!(endpoints.len(), 53);
    let journal = emulator.journal();
    let mut reached = BTreeSet::new();
    for entry in journal.iter().filter(|e| e.path.starts_with("/v1.0/")) {
        let endpoint = endpoints
            .iter()
            .filter(|e| {
                e.method.as_str() == entry.method && matches_template(e.template, &entry.path)
            })
            // A literal segment beats a placeholder: prefer the template with fewer placeholders.
            .min_by_key(|e| e.template.matches('{').count());
        if let Some(endpoint) = endpoint
            && entry.status < 300
        {
            reached.insert(endpoint.operation);
        }
    }
    let missing: Vec<&str> = endpoints
        .iter()
        .map(|e| e.operation)
        .filter(|op| !reached.contains(op))
        .collect();
    assert!(missing.is_empty(), "not reached: {missing:?}");
    assert_eq!(reached.len(), 53);
}
