//! The seven enums of the compliance surface (reference §1.6). Each keeps unknown members.

use graphwire_core::graph_enum;

/// `complianceStatus`. Graph has a member named `unknown`, so the catch-all is `Unrecognized`.
#[graph_enum(fallback = Unrecognized)]
pub enum ComplianceStatus {
    /// `unknown`
    Unknown,
    /// `notApplicable`
    NotApplicable,
    /// `compliant`
    Compliant,
    /// `remediated`
    Remediated,
    /// `nonCompliant`
    NonCompliant,
    /// `error`
    Error,
    /// `conflict`
    Conflict,
    /// `notAssigned`
    NotAssigned,
}

/// `deviceComplianceActionType`.
#[graph_enum]
pub enum DeviceComplianceActionType {
    /// `noAction`
    NoAction,
    /// `notification`
    Notification,
    /// `block`
    Block,
    /// `retire`
    Retire,
    /// `wipe`
    Wipe,
    /// `removeResourceAccessProfiles`
    RemoveResourceAccessProfiles,
    /// `pushNotification`
    PushNotification,
}

/// `deviceThreatProtectionLevel`.
#[graph_enum]
pub enum DeviceThreatProtectionLevel {
    /// `unavailable`
    Unavailable,
    /// `secured`
    Secured,
    /// `low`
    Low,
    /// `medium`
    Medium,
    /// `high`
    High,
    /// `notSet`
    NotSet,
}

/// `androidRequiredPasswordType`.
#[graph_enum]
pub enum AndroidRequiredPasswordType {
    /// `deviceDefault`
    DeviceDefault,
    /// `alphabetic`
    Alphabetic,
    /// `alphanumeric`
    Alphanumeric,
    /// `alphanumericWithSymbols`
    AlphanumericWithSymbols,
    /// `lowSecurityBiometric`
    LowSecurityBiometric,
    /// `numeric`
    Numeric,
    /// `numericComplex`
    NumericComplex,
    /// `any`
    Any,
}

/// `requiredPasswordType`.
#[graph_enum]
pub enum RequiredPasswordType {
    /// `deviceDefault`
    DeviceDefault,
    /// `alphanumeric`
    Alphanumeric,
    /// `numeric`
    Numeric,
}

/// `policyPlatformType`. The 2026 schema has `androidForWork`; the docs list
/// `androidWorkProfile` instead. Both are declared so either decodes to a named member.
#[graph_enum]
pub enum PolicyPlatformType {
    /// `android`
    Android,
    /// `androidForWork` (schema)
    AndroidForWork,
    /// `androidWorkProfile` (docs only)
    AndroidWorkProfile,
    /// `iOS`
    IOS,
    /// `macOS`
    MacOS,
    /// `windowsPhone81`
    WindowsPhone81,
    /// `windows81AndLater`
    Windows81AndLater,
    /// `windows10AndLater`
    Windows10AndLater,
    /// `all`
    All,
}

/// `settingSourceType`.
#[graph_enum]
pub enum SettingSourceType {
    /// `deviceConfiguration`
    DeviceConfiguration,
    /// `deviceIntent`
    DeviceIntent,
}
