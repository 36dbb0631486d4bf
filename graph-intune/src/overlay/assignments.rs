//! Assignment targets in one call each: `group(id)`, `exclusion_group(id)`, `all_devices()`,
//! `all_licensed_users()`, an assignment filter on any of them, and every assignment type made
//! from a target with `.into()`.
//!
//! ```
//! use graphwire_intune::assignments::{FilterMode, all_devices, exclusion_group, group};
//! use graphwire_intune::DeviceCompliancePolicyAssignParameters;
//!
//! let body = DeviceCompliancePolicyAssignParameters::new([
//!     group("0a1b…").with_filter("f-1", FilterMode::Include),
//!     exclusion_group("9f8e…"),
//! ]);
//! assert_eq!(
//!     graphwire_core::to_json(&body).unwrap(),
//!     concat!(
//!         r##"{"assignments":["##,
//!         r##"{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"0a1b…","deviceAndAppManagementAssignmentFilterId":"f-1","deviceAndAppManagementAssignmentFilterType":"include"}},"##,
//!         r##"{"@odata.type":"#microsoft.graph.deviceCompliancePolicyAssignment","target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"9f8e…"}}"##,
//!         r##"]}"##
//!     )
//! );
//! # let _ = all_devices();
//! ```

use graphwire_core::{JsonValue, Nullable};

use crate::generated::*;

/// A group's members are the target.
pub fn group(group_id: impl Into<String>) -> DeviceAndAppManagementAssignmentTarget {
    DeviceAndAppManagementAssignmentTarget::Group(GroupAssignmentTargetBase {
        group_id: Nullable::Value(group_id.into()),
        ..Default::default()
    })
}

/// A group's members are left out of the assignment's other targets.
pub fn exclusion_group(group_id: impl Into<String>) -> DeviceAndAppManagementAssignmentTarget {
    ExclusionGroupAssignmentTarget {
        base: GroupAssignmentTargetBase {
            group_id: Nullable::Value(group_id.into()),
            ..Default::default()
        },
    }
    .into()
}

/// Every managed device of the tenant.
pub fn all_devices() -> DeviceAndAppManagementAssignmentTarget {
    AllDevicesAssignmentTarget::default().into()
}

/// Every licensed user of the tenant.
pub fn all_licensed_users() -> DeviceAndAppManagementAssignmentTarget {
    AllLicensedUsersAssignmentTarget::default().into()
}

/// How an assignment filter applies to a target's devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterMode {
    /// Only the devices the filter matches.
    Include,
    /// All but the devices the filter matches.
    Exclude,
}

impl FilterMode {
    fn wire_name(self) -> &'static str {
        match self {
            Self::Include => "include",
            Self::Exclude => "exclude",
        }
    }
}

impl DeviceAndAppManagementAssignmentTarget {
    /// The target, narrowed by the assignment filter `filter_id`.
    ///
    /// The v1.0 schema does not declare the filter's two members
    /// (`deviceAndAppManagementAssignmentFilterId`, `…FilterType`; the beta schema does), and
    /// the v1.0 service takes and returns them: they are written as the target's unknown
    /// members, and read back the same way.
    pub fn with_filter(mut self, filter_id: impl Into<String>, mode: FilterMode) -> Self {
        // Every variant derefs to the base properties, where the unknown members live.
        let base: &mut DeviceAndAppManagementAssignmentTargetBase = &mut self;
        base.additional_data.insert(
            "deviceAndAppManagementAssignmentFilterId".into(),
            JsonValue::String(filter_id.into()),
        );
        base.additional_data.insert(
            "deviceAndAppManagementAssignmentFilterType".into(),
            JsonValue::String(mode.wire_name().into()),
        );
        self
    }
}

/// `From<DeviceAndAppManagementAssignmentTarget>` for the assignment types holding one.
macro_rules! assignment_from_target {
    ($($feature:literal => $assignment:ident),* $(,)?) => {$(
        #[cfg(feature = $feature)]
        impl From<DeviceAndAppManagementAssignmentTarget> for $assignment {
            /// An assignment to this target.
            fn from(target: DeviceAndAppManagementAssignmentTarget) -> Self {
                Self {
                    target: Nullable::Value(target),
                    ..Default::default()
                }
            }
        }
    )*};
}

assignment_from_target! {
    "device-compliance-policies" => DeviceCompliancePolicyAssignment,
    "device-configurations" => DeviceConfigurationAssignment,
    "device-enrollment-configurations" => EnrollmentConfigurationAssignment,
    "terms-and-conditions" => TermsAndConditionsAssignment,
    "compliance-management-partners" => ComplianceManagementPartnerAssignment,
    "device-management-partners" => DeviceManagementPartnerAssignment,
}
