//! The compliance-policy family: every platform subtype, decoded by `@odata.type`.

use graphwire_core::graph_polymorphic;

use super::platforms::*;
use super::policy::DeviceCompliancePolicyBase;

/// A compliance policy of any platform, decoded by `@odata.type`.
///
/// `Base` holds a policy whose `@odata.type` is missing or names the abstract base (the
/// documented list example does this); `Unknown` holds a platform this crate does not know,
/// with every member kept.
#[graph_polymorphic(base = DeviceCompliancePolicyBase)]
pub enum DeviceCompliancePolicy {
    /// `androidCompliancePolicy`
    Android(AndroidCompliancePolicy),
    /// `androidWorkProfileCompliancePolicy`
    AndroidWorkProfile(AndroidWorkProfileCompliancePolicy),
    /// `iosCompliancePolicy`
    Ios(IosCompliancePolicy),
    /// `macOSCompliancePolicy`
    MacOs(MacOsCompliancePolicy),
    /// `windows10CompliancePolicy`
    Windows10(Windows10CompliancePolicy),
    /// `windows10MobileCompliancePolicy`
    Windows10Mobile(Windows10MobileCompliancePolicy),
    /// `windows81CompliancePolicy`
    Windows81(Windows81CompliancePolicy),
    /// `windowsPhone81CompliancePolicy`
    WindowsPhone81(WindowsPhone81CompliancePolicy),
}
