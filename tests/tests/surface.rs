//! The declared Intune surface against the reference inventory (§1.7): every method and path
//! of the device-compliance surface present, with its permissions and clouds. (The whole
//! generated surface is compared with the metadata's closure in `graph-codegen/tests/`.)

use std::collections::BTreeSet;

use graphwire_core::NationalCloud;
use graphwire_core::meta::{ApiVersion, Endpoint, HttpMethod, ResponseShape};

const INVENTORY: &str = include_str!("../fixtures/inventory-1.7.md");

const READ: &[&str] = &[
    "DeviceManagementConfiguration.Read.All",
    "DeviceManagementConfiguration.ReadWrite.All",
];
const WRITE: &[&str] = &["DeviceManagementConfiguration.ReadWrite.All"];

/// (method, full template) rows of the reference table, abbreviations expanded.
fn inventory() -> Vec<(String, String)> {
    let p = "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}";
    let r = format!("{p}/scheduledActionsForRule/{{deviceComplianceScheduledActionForRuleId}}");
    let s = "/deviceManagement/deviceCompliancePolicySettingStateSummaries/{deviceCompliancePolicySettingStateSummaryId}";
    INVENTORY
        .lines()
        .filter(|l| l.starts_with("| ") && l.chars().nth(2).is_some_and(|c| c.is_ascii_digit()))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let method = cells[2]
                .trim_matches('*')
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            let path = cells[3].trim_matches('*').trim_matches('`');
            let expanded = if let Some(rest) = path.strip_prefix("DM") {
                format!("/deviceManagement{rest}")
            } else if let Some(rest) = path.strip_prefix('P') {
                format!("{p}{rest}")
            } else if let Some(rest) = path.strip_prefix('R') {
                format!("{r}{rest}")
            } else if let Some(rest) = path.strip_prefix('S') {
                format!("{s}{rest}")
            } else {
                path.to_owned()
            };
            (method, expanded)
        })
        .collect()
}

fn intune_endpoints() -> Vec<&'static Endpoint> {
    // Keep graphwire-intune linked so its registrations are collected.
    let _ = graphwire_intune::Intune::new;
    Endpoint::all()
        .filter(|e| e.template.starts_with("/deviceManagement"))
        .collect()
}

/// The declared endpoints the reference inventories.
fn compliance_endpoints() -> Vec<&'static Endpoint> {
    let rows: BTreeSet<(String, String)> = inventory().into_iter().collect();
    intune_endpoints()
        .into_iter()
        .filter(|e| rows.contains(&(e.method.as_str().to_owned(), e.template.to_owned())))
        .collect()
}

#[test]
fn every_inventoried_endpoint_is_declared_once() {
    let inventory = inventory();
    assert_eq!(inventory.len(), 53, "the reference lists 53 endpoints");
    let expected: BTreeSet<(String, String)> = inventory.into_iter().collect();
    let declared: Vec<(String, String)> = intune_endpoints()
        .iter()
        .map(|e| (e.method.as_str().to_owned(), e.template.to_owned()))
        .collect();
    let declared_set: BTreeSet<(String, String)> = declared.iter().cloned().collect();
    assert_eq!(
        declared.len(),
        declared_set.len(),
        "an endpoint is declared twice"
    );
    let missing: Vec<_> = expected.difference(&declared_set).collect();
    assert!(missing.is_empty(), "declared surface lacks: {missing:#?}");
    assert_eq!(compliance_endpoints().len(), 53);
}

#[test]
fn permissions_clouds_and_versions_match_the_reference() {
    for endpoint in compliance_endpoints() {
        let expected = if endpoint.method == HttpMethod::Get {
            READ
        } else {
            WRITE
        };
        assert_eq!(endpoint.delegated, expected, "{}", endpoint.operation);
        assert_eq!(endpoint.application, expected, "{}", endpoint.operation);
        assert_eq!(
            endpoint.clouds,
            NationalCloud::ALL,
            "{}",
            endpoint.operation
        );
        assert_eq!(endpoint.version, ApiVersion::V1, "{}", endpoint.operation);
    }
}

#[test]
fn response_shapes_follow_the_table() {
    let by_op = |op: &str| {
        intune_endpoints()
            .into_iter()
            .find(|e| e.operation == op)
            .unwrap()
    };
    assert!(
        matches!(by_op("device_compliance_policies.list").response, ResponseShape::Collection(m) if m.odata_type == "#microsoft.graph.deviceCompliancePolicy")
    );
    assert!(
        matches!(by_op("device_compliance_policies.assign").response, ResponseShape::Collection(m) if m.rust_name == "DeviceCompliancePolicyAssignment")
    );
    assert!(matches!(
        by_op("device_compliance_policies.schedule_actions_for_rules").response,
        ResponseShape::NoContent
    ));
    assert!(matches!(
        by_op("device_compliance_policies.delete").response,
        ResponseShape::NoContent
    ));
    assert!(
        matches!(by_op("device_compliance_policies.user_status_overview_update").response, ResponseShape::Entity(m) if m.rust_name == "DeviceComplianceUserOverview")
    );
    let declared: BTreeSet<&str> = graphwire_core::meta::EntityMeta::all()
        .map(|m| m.type_name())
        .collect();
    // §1.1: the abstract base, 8 platform subtypes, 11 supporting entities (20), the adjacent
    // deviceCompliancePolicyState, and the complex types of §1.5.
    let expected = [
        "deviceCompliancePolicy",
        "androidCompliancePolicy",
        "androidWorkProfileCompliancePolicy",
        "iosCompliancePolicy",
        "macOSCompliancePolicy",
        "windows10CompliancePolicy",
        "windows10MobileCompliancePolicy",
        "windows81CompliancePolicy",
        "windowsPhone81CompliancePolicy",
        "deviceComplianceDeviceOverview",
        "deviceComplianceUserOverview",
        "deviceComplianceDeviceStatus",
        "deviceComplianceUserStatus",
        "deviceComplianceSettingState",
        "settingStateDeviceSummary",
        "deviceComplianceScheduledActionForRule",
        "deviceComplianceActionItem",
        "deviceCompliancePolicyAssignment",
        "deviceCompliancePolicyDeviceStateSummary",
        "deviceCompliancePolicySettingStateSummary",
        "deviceCompliancePolicyState",
        "deviceAndAppManagementAssignmentTarget",
        "allDevicesAssignmentTarget",
        "allLicensedUsersAssignmentTarget",
        "configurationManagerCollectionAssignmentTarget",
        "groupAssignmentTarget",
        "exclusionGroupAssignmentTarget",
        "deviceCompliancePolicySettingState",
        "settingSource",
    ];
    let expected: BTreeSet<String> = expected
        .iter()
        .map(|n| format!("microsoft.graph.{n}"))
        .collect();
    let declared: BTreeSet<String> = declared
        .into_iter()
        .filter(|n| n.starts_with("microsoft.graph."))
        .map(str::to_owned)
        .collect();
    let missing: Vec<_> = expected.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "the §1.1 and §1.5 types are declared: {missing:?}"
    );
}
