//! The hand-written overlay: what Microsoft's metadata cannot say about the live service.
//! `graph-codegen` never writes here; it reads `overlay.json` (notes on generated methods) at
//! the crate root.
//!
//! | known problem (reference §1.8) | where |
//! |---|---|
//! | D1: `POST`/`DELETE …/assignments` answer 400; `assign` works | notes on the generated methods; [`device_compliance_policies().assign`](crate::device_compliance_policies::DeviceCompliancePoliciesHandler::assign) |
//! | D2: the `scheduledActionsForRule` collection answers 400 | [`device_compliance_policies().scheduled_actions_expanded`](crate::device_compliance_policies::DeviceCompliancePoliciesHandler::scheduled_actions_expanded) |
//! | D3: a new compliance policy needs exactly one block action | [`with_required_block_action`](crate::with_required_block_action), [`rules`] (the emulator enforces it) |
//! | D4: device/user statuses cannot be read or deleted one by one | notes on the generated methods |
//! | D5: navigation properties only with `$expand` | notes on the generated methods; the D2 helper |

// The features whose types hold an assignment target (the generator gates the target family
// by the same list; `scripts/check-features.sh` proves the two agree).
#[cfg(any(
    feature = "compliance-management-partners",
    feature = "device-compliance-policies",
    feature = "device-configurations",
    feature = "device-enrollment-configurations",
    feature = "device-management-partners",
    feature = "terms-and-conditions"
))]
pub mod assignments;
#[cfg(feature = "device-compliance-policies")]
pub mod compliance;
pub mod emulator_seed;
pub mod limits;
#[cfg(feature = "reports")]
pub mod reporting;
pub mod rules;
#[cfg(feature = "win32-apps")]
pub mod win32;
