//! The polymorphic compliance-policy family decoded from a 200 answer. Structure-aware: a
//! JSON object whose `@odata.type` names one of the family (or not) and whose members have
//! the family's names, so inputs get past the JSON layer to the subtype decoders.
#![no_main]

use arbitrary::Arbitrary;
use graphwire_core::FromResponse;
use graphwire_fuzz::{client, json_answer};
use graphwire_intune::DeviceCompliancePolicy;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

const TYPES: &[&str] = &[
    "#microsoft.graph.deviceCompliancePolicy",
    "#microsoft.graph.androidCompliancePolicy",
    "#microsoft.graph.androidWorkProfileCompliancePolicy",
    "#microsoft.graph.iosCompliancePolicy",
    "#microsoft.graph.macOSCompliancePolicy",
    "#microsoft.graph.windows10CompliancePolicy",
    "#microsoft.graph.windows10MobileCompliancePolicy",
    "#microsoft.graph.windows81CompliancePolicy",
    "#microsoft.graph.windowsPhone81CompliancePolicy",
    "microsoft.graph.iosCompliancePolicy",
    "#microsoft.graph.unknownFuturePolicy",
];

const MEMBERS: &[&str] = &[
    "id",
    "displayName",
    "description",
    "version",
    "createdDateTime",
    "lastModifiedDateTime",
    "passwordRequired",
    "passwordMinimumLength",
    "passcodeMinimumLength",
    "osMinimumVersion",
    "minAndroidSecurityPatchLevel",
    "requiredPasswordType",
    "deviceThreatProtectionRequiredSecurityLevel",
    "scheduledActionsForRule",
    "assignments",
    "userStatusOverview",
    "validOperatingSystemBuildRanges",
    "storageRequireEncryption",
    "passwordExpirationDays",
    "@odata.context",
    "roleScopeTagIds",
];

#[derive(Arbitrary, Debug)]
enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Date(u8, u8, u8, i8),
    Nested(Vec<(u8, bool)>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    odata_type: Option<u8>,
    members: Vec<(u8, Scalar)>,
    raw_tail: Option<String>,
}

fn value(scalar: Scalar) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => json!(b),
        Scalar::Int(i) => json!(i),
        Scalar::Float(f) => json!(f),
        Scalar::Text(t) => json!(t),
        Scalar::Date(y, m, d, offset) => {
            json!(format!("20{:02}-{:02}-{:02}T10:00:00.{}{:+03}:00", y % 100, m % 14, d % 33, y, offset))
        }
        Scalar::Nested(items) => Value::Array(
            items
                .into_iter()
                .map(|(k, b)| {
                    json!({"ruleName": MEMBERS[k as usize % MEMBERS.len()], "actionType": if b { "block" } else { "notification" },
                           "gracePeriodHours": k, "@odata.type": TYPES[k as usize % TYPES.len()]})
                })
                .collect(),
        ),
    }
}

fuzz_target!(|input: Input| {
    let mut object = Map::new();
    if let Some(t) = input.odata_type {
        object.insert("@odata.type".into(), json!(TYPES[t as usize % TYPES.len()]));
    }
    for (name, scalar) in input.members {
        object.insert(MEMBERS[name as usize % MEMBERS.len()].into(), value(scalar));
    }
    let mut body = Value::Object(object).to_string();
    if let Some(tail) = input.raw_tail {
        body.push_str(&tail);
    }
    let _ = DeviceCompliancePolicy::from_response(json_answer(body.as_bytes()), &client());
});
