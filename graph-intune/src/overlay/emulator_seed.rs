//! The documented example objects an emulator starts with when this crate is linked:
//! registered as an [`EmulatorSeed`], so the emulator itself knows no Intune data.

use graphwire_core::meta::EmulatorSeed;
use serde_json::{Value, json};

use crate::vectors;

/// The compliance policy, its overviews and rule, and the documented list of policies.
pub static INTUNE_SEED: EmulatorSeed = EmulatorSeed::new(
    "Intune compliance policies from Microsoft's documented examples",
    resources,
);

graphwire_core::register_emulator_seed!(INTUNE_SEED);

/// The policy whose overviews the reference vectors describe.
pub const SEED_POLICY_ID: &str = "2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d";

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn without_annotations(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(k, _)| k == "@odata.type" || !k.contains('@'))
                .collect(),
        ),
        other => other,
    }
}

fn resources() -> Vec<(String, Value)> {
    let mut store = Vec::new();
    let policies = "/deviceManagement/deviceCompliancePolicies";
    let policy = format!("{policies}/{SEED_POLICY_ID}");
    store.push((
        policy.clone(),
        json!({
            "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
            "id": SEED_POLICY_ID,
            "createdDateTime": "2026-07-17T16:08:48Z",
            "lastModifiedDateTime": "2026-07-17T16:08:48Z",
            "displayName": "Windows 10 baseline (emulator seed)",
            "description": null,
            "version": 7,
            "passwordRequired": true,
            "passwordMinimumLength": 8,
            "bitLockerEnabled": true
        }),
    ));
    let mut overview = without_annotations(parse(vectors::GET_USER_OVERVIEW_LIVE));
    overview["@odata.type"] = json!("#microsoft.graph.deviceComplianceUserOverview");
    store.push((format!("{policy}/userStatusOverview"), overview));
    let mut device_overview = parse(vectors::GET_DEVICE_OVERVIEW_DOC)["value"].clone();
    device_overview["id"] = json!(SEED_POLICY_ID);
    store.push((format!("{policy}/deviceStatusOverview"), device_overview));
    let rule = format!("{policy}/scheduledActionsForRule/rule-1");
    store.push((
        rule.clone(),
        json!({"@odata.type": "#microsoft.graph.deviceComplianceScheduledActionForRule", "id": "rule-1", "ruleName": "PasswordRequired"}),
    ));
    store.push((
        format!("{rule}/scheduledActionConfigurations/action-1"),
        json!({
            "@odata.type": "#microsoft.graph.deviceComplianceActionItem",
            "id": "action-1", "gracePeriodHours": 0, "actionType": "block",
            "notificationTemplateId": "", "notificationMessageCCList": []
        }),
    ));
    if let Some(listed) = parse(vectors::LIST_COMPLIANCE_POLICIES)["value"].as_array() {
        for item in listed {
            if let Some(id) = item.get("id").and_then(Value::as_str) {
                store.push((format!("{policies}/{id}"), item.clone()));
            }
        }
    }
    store
}
