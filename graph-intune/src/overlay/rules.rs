//! Rules the Intune service enforces that the metadata cannot express (reference §1.2 and
//! known issue D3), registered for any emulator in the program. Hand-written overlay.

use graphwire_core::JsonValue;
use graphwire_core::meta::{EntityMeta, HttpMethod, RuleViolation, ServiceRule};

const POLICY_BASE: &str = "#microsoft.graph.deviceCompliancePolicy";

/// Creating a compliance policy: a platform type (not the abstract base), with exactly one
/// scheduled action rule holding exactly one `block` action.
pub static COMPLIANCE_POLICY_CREATE: ServiceRule = ServiceRule::new(
    "compliance policy create: a platform type with exactly one block action",
    HttpMethod::Post,
    POLICY_BASE,
    check_policy_create,
);

graphwire_core::register_service_rule!(COMPLIANCE_POLICY_CREATE);

fn check_policy_create(
    body: &JsonValue,
    body_type: &'static EntityMeta,
) -> Result<(), RuleViolation> {
    if body_type.odata_type == POLICY_BASE {
        return Err(bad_request(
            "Cannot create an instance of the abstract type 'microsoft.graph.deviceCompliancePolicy'; name a platform type in @odata.type.",
        ));
    }
    let rules = body
        .get("scheduledActionsForRule")
        .and_then(JsonValue::as_array);
    let blocks = rules
        .into_iter()
        .flatten()
        .flat_map(|rule| {
            rule.get("scheduledActionConfigurations")
                .and_then(JsonValue::as_array)
                .into_iter()
                .flatten()
        })
        .filter(|action| action.get("actionType").and_then(JsonValue::as_str) == Some("block"))
        .count();
    if rules.map_or(0, Vec::len) != 1 || blocks != 1 {
        return Err(bad_request(
            "Compliance policy must have one and only one block scheduled action",
        ));
    }
    Ok(())
}

fn bad_request(message: &str) -> RuleViolation {
    RuleViolation::new(400, "BadRequest", message)
}
