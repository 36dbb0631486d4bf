//! Complex types (reference §1.5): assignment targets and setting states.

use graphwire_core::{Int64, Nullable, graph_entity, graph_polymorphic};

use super::enums::{ComplianceStatus, SettingSourceType};

/// The abstract `deviceAndAppManagementAssignmentTarget`: no properties of its own in v1.0.
#[graph_entity(odata_type = "#microsoft.graph.deviceAndAppManagementAssignmentTarget")]
pub struct DeviceAndAppManagementAssignmentTargetBase {}

/// Every device.
#[graph_entity(odata_type = "#microsoft.graph.allDevicesAssignmentTarget")]
pub struct AllDevicesAssignmentTarget {
    /// Inherited (none in v1.0).
    #[graph(base)]
    pub base: DeviceAndAppManagementAssignmentTargetBase,
}

/// Every licensed user.
#[graph_entity(odata_type = "#microsoft.graph.allLicensedUsersAssignmentTarget")]
pub struct AllLicensedUsersAssignmentTarget {
    /// Inherited (none in v1.0).
    #[graph(base)]
    pub base: DeviceAndAppManagementAssignmentTargetBase,
}

/// The members of one group.
#[graph_entity(odata_type = "#microsoft.graph.groupAssignmentTarget")]
pub struct GroupAssignmentTarget {
    /// Inherited (none in v1.0).
    #[graph(base)]
    pub base: DeviceAndAppManagementAssignmentTargetBase,
    /// `groupId`: String, nullable.
    pub group_id: Nullable<String>,
}

/// Excludes the members of one group (derives from `groupAssignmentTarget`).
#[graph_entity(odata_type = "#microsoft.graph.exclusionGroupAssignmentTarget")]
pub struct ExclusionGroupAssignmentTarget {
    /// Inherited: `groupId`.
    #[graph(base)]
    pub base: GroupAssignmentTarget,
}

/// A Configuration Manager collection.
#[graph_entity(odata_type = "#microsoft.graph.configurationManagerCollectionAssignmentTarget")]
pub struct ConfigurationManagerCollectionAssignmentTarget {
    /// Inherited (none in v1.0).
    #[graph(base)]
    pub base: DeviceAndAppManagementAssignmentTargetBase,
    /// `collectionId`: String, nullable.
    pub collection_id: Nullable<String>,
}

/// An assignment target, decoded by `@odata.type`. Always written with its `@odata.type`,
/// because the declared type is abstract.
#[graph_polymorphic(base = DeviceAndAppManagementAssignmentTargetBase)]
pub enum DeviceAndAppManagementAssignmentTarget {
    /// `allDevicesAssignmentTarget`
    AllDevices(AllDevicesAssignmentTarget),
    /// `allLicensedUsersAssignmentTarget`
    AllLicensedUsers(AllLicensedUsersAssignmentTarget),
    /// `groupAssignmentTarget`
    Group(GroupAssignmentTarget),
    /// `exclusionGroupAssignmentTarget`
    ExclusionGroup(ExclusionGroupAssignmentTarget),
    /// `configurationManagerCollectionAssignmentTarget`
    ConfigurationManagerCollection(ConfigurationManagerCollectionAssignmentTarget),
}

/// Where a setting's value came from.
#[graph_entity(odata_type = "#microsoft.graph.settingSource")]
pub struct SettingSource {
    /// `id`: String, nullable (a complex type's plain property, not a key).
    #[graph(rename = "id")]
    pub source_id: Nullable<String>,
    /// `displayName`: String, nullable.
    pub display_name: Nullable<String>,
    /// `sourceType`: `settingSourceType`, non-null.
    pub source_type: Option<SettingSourceType>,
}

/// State of one setting of a compliance policy on a device.
#[graph_entity(odata_type = "#microsoft.graph.deviceCompliancePolicySettingState")]
pub struct DeviceCompliancePolicySettingState {
    /// `setting`: String, nullable.
    pub setting: Nullable<String>,
    /// `settingName`: String, nullable.
    pub setting_name: Nullable<String>,
    /// `instanceDisplayName`: String, nullable.
    pub instance_display_name: Nullable<String>,
    /// `state`: `complianceStatus`, non-null.
    pub state: Option<ComplianceStatus>,
    /// `errorCode`: Int64, non-null (the surface's only Int64: number or string on input).
    pub error_code: Option<Int64>,
    /// `errorDescription`: String, nullable.
    pub error_description: Nullable<String>,
    /// `userId`: String, nullable.
    pub user_id: Nullable<String>,
    /// `userName`: String, nullable.
    pub user_name: Nullable<String>,
    /// `userEmail`: String, nullable.
    pub user_email: Nullable<String>,
    /// `userPrincipalName`: String, nullable.
    pub user_principal_name: Nullable<String>,
    /// `sources`: collection of `settingSource`, nullable.
    pub sources: Nullable<Vec<SettingSource>>,
    /// `currentValue`: String, nullable.
    pub current_value: Nullable<String>,
}
