//! What a metadata refresh may add without breaking users: members of generated enums,
//! subtypes of families, and fields of the `meta` structs. Code that would break on such an
//! addition does not compile now.
use graphwire_core::meta::ServiceLimits;
use graphwire_intune::{DeviceComplianceActionType, DeviceCompliancePolicy};

// Every member known today, and the catch-all: still not exhaustive.
fn action_name(action: &DeviceComplianceActionType) -> &'static str {
    match action {
        DeviceComplianceActionType::NoAction => "noAction",
        DeviceComplianceActionType::Notification => "notification",
        DeviceComplianceActionType::Block => "block",
        DeviceComplianceActionType::Retire => "retire",
        DeviceComplianceActionType::Wipe => "wipe",
        DeviceComplianceActionType::RemoveResourceAccessProfiles => "removeResourceAccessProfiles",
        DeviceComplianceActionType::PushNotification => "pushNotification",
        DeviceComplianceActionType::Unrecognized(_) => "other",
    }
}

fn is_ios(policy: &DeviceCompliancePolicy) -> bool {
    match policy {
        DeviceCompliancePolicy::Ios(_) => true,
        DeviceCompliancePolicy::Android(_)
        | DeviceCompliancePolicy::AndroidWorkProfile(_)
        | DeviceCompliancePolicy::MacOs(_)
        | DeviceCompliancePolicy::Windows10(_)
        | DeviceCompliancePolicy::Windows10Mobile(_)
        | DeviceCompliancePolicy::Windows81(_)
        | DeviceCompliancePolicy::WindowsPhone81(_)
        | DeviceCompliancePolicy::Base(_)
        | DeviceCompliancePolicy::Unknown(_) => false,
    }
}

// A literal, where `ServiceLimits::new` is the way to build one.
const LIMITS: ServiceLimits = ServiceLimits {
    window: std::time::Duration::from_secs(20),
    app_writes: 100,
    tenant_writes: 200,
    app_any: 1000,
    tenant_any: 2000,
};

fn main() {
    let _ = (action_name, is_ios, LIMITS);
}
