//! The documented example objects every emulator starts with.

use serde_json::{Value, json};

use crate::store::{Store, key_of};
use crate::vectors;

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

pub fn seed_vectors(store: &mut Store) {
    let policies = "/deviceManagement/deviceCompliancePolicies";
    let policy = format!("{policies}/{SEED_POLICY_ID}");
    store.put(
        key_of(&policy),
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
    );
    let mut overview = without_annotations(parse(vectors::GET_USER_OVERVIEW_LIVE));
    overview["@odata.type"] = json!("#microsoft.graph.deviceComplianceUserOverview");
    store.put(key_of(&format!("{policy}/userStatusOverview")), overview);
    let mut device_overview = parse(vectors::GET_DEVICE_OVERVIEW_DOC)["value"].clone();
    device_overview["id"] = json!(SEED_POLICY_ID);
    store.put(
        key_of(&format!("{policy}/deviceStatusOverview")),
        device_overview,
    );
    let rule = format!("{policy}/scheduledActionsForRule/rule-1");
    store.put(
        key_of(&rule),
        json!({"@odata.type": "#microsoft.graph.deviceComplianceScheduledActionForRule", "id": "rule-1", "ruleName": "PasswordRequired"}),
    );
    store.put(
        key_of(&format!("{rule}/scheduledActionConfigurations/action-1")),
        json!({
            "@odata.type": "#microsoft.graph.deviceComplianceActionItem",
            "id": "action-1", "gracePeriodHours": 0, "actionType": "block",
            "notificationTemplateId": "", "notificationMessageCCList": []
        }),
    );
    if let Some(listed) = parse(vectors::LIST_COMPLIANCE_POLICIES)["value"].as_array() {
        for item in listed {
            if let Some(id) = item.get("id").and_then(Value::as_str) {
                store.put(key_of(&format!("{policies}/{id}")), item.clone());
            }
        }
    }
}
