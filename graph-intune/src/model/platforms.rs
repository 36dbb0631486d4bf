//! The eight platform subtypes of `deviceCompliancePolicy` (reference §1.3).
//!
//! Non-null Booleans and enums are `Option` (absent when not selected); nullable Int32 and
//! String settings are `Nullable`, so a PATCH can clear them with an explicit `null`.

use graphwire_core::{Nullable, graph_entity};

use super::enums::{
    AndroidRequiredPasswordType, DeviceThreatProtectionLevel, RequiredPasswordType,
};
use super::policy::DeviceCompliancePolicyBase;

/// Android compliance policy.
///
/// OData type `#microsoft.graph.androidCompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.androidCompliancePolicy")]
pub struct AndroidCompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passwordRequired`: Boolean, non-null.
    pub password_required: Option<bool>,
    /// `securityPreventInstallAppsFromUnknownSources`: Boolean, non-null.
    pub security_prevent_install_apps_from_unknown_sources: Option<bool>,
    /// `securityDisableUsbDebugging`: Boolean, non-null.
    pub security_disable_usb_debugging: Option<bool>,
    /// `securityRequireVerifyApps`: Boolean, non-null.
    pub security_require_verify_apps: Option<bool>,
    /// `deviceThreatProtectionEnabled`: Boolean, non-null.
    pub device_threat_protection_enabled: Option<bool>,
    /// `securityBlockJailbrokenDevices`: Boolean, non-null.
    pub security_block_jailbroken_devices: Option<bool>,
    /// `storageRequireEncryption`: Boolean, non-null.
    pub storage_require_encryption: Option<bool>,
    /// `securityRequireSafetyNetAttestationBasicIntegrity`: Boolean, non-null.
    pub security_require_safety_net_attestation_basic_integrity: Option<bool>,
    /// `securityRequireSafetyNetAttestationCertifiedDevice`: Boolean, non-null.
    pub security_require_safety_net_attestation_certified_device: Option<bool>,
    /// `securityRequireGooglePlayServices`: Boolean, non-null.
    pub security_require_google_play_services: Option<bool>,
    /// `securityRequireUpToDateSecurityProviders`: Boolean, non-null.
    pub security_require_up_to_date_security_providers: Option<bool>,
    /// `securityRequireCompanyPortalAppIntegrity`: Boolean, non-null.
    pub security_require_company_portal_app_integrity: Option<bool>,
    /// `passwordMinimumLength`: Int32, nullable.
    pub password_minimum_length: Nullable<i32>,
    /// `passwordMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub password_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passwordExpirationDays`: Int32, nullable.
    pub password_expiration_days: Nullable<i32>,
    /// `passwordPreviousPasswordBlockCount`: Int32, nullable.
    pub password_previous_password_block_count: Nullable<i32>,
    /// `passwordRequiredType`: `androidRequiredPasswordType`, non-null.
    pub password_required_type: Option<AndroidRequiredPasswordType>,
    /// `deviceThreatProtectionRequiredSecurityLevel`: `deviceThreatProtectionLevel`, non-null.
    pub device_threat_protection_required_security_level: Option<DeviceThreatProtectionLevel>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
    /// `minAndroidSecurityPatchLevel`: String, nullable.
    pub min_android_security_patch_level: Nullable<String>,
}

/// Android Work Profile compliance policy.
///
/// OData type `#microsoft.graph.androidWorkProfileCompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.androidWorkProfileCompliancePolicy")]
pub struct AndroidWorkProfileCompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passwordRequired`: Boolean, non-null.
    pub password_required: Option<bool>,
    /// `securityPreventInstallAppsFromUnknownSources`: Boolean, non-null.
    pub security_prevent_install_apps_from_unknown_sources: Option<bool>,
    /// `securityDisableUsbDebugging`: Boolean, non-null.
    pub security_disable_usb_debugging: Option<bool>,
    /// `securityRequireVerifyApps`: Boolean, non-null.
    pub security_require_verify_apps: Option<bool>,
    /// `deviceThreatProtectionEnabled`: Boolean, non-null.
    pub device_threat_protection_enabled: Option<bool>,
    /// `securityBlockJailbrokenDevices`: Boolean, non-null.
    pub security_block_jailbroken_devices: Option<bool>,
    /// `storageRequireEncryption`: Boolean, non-null.
    pub storage_require_encryption: Option<bool>,
    /// `securityRequireSafetyNetAttestationBasicIntegrity`: Boolean, non-null.
    pub security_require_safety_net_attestation_basic_integrity: Option<bool>,
    /// `securityRequireSafetyNetAttestationCertifiedDevice`: Boolean, non-null.
    pub security_require_safety_net_attestation_certified_device: Option<bool>,
    /// `securityRequireGooglePlayServices`: Boolean, non-null.
    pub security_require_google_play_services: Option<bool>,
    /// `securityRequireUpToDateSecurityProviders`: Boolean, non-null.
    pub security_require_up_to_date_security_providers: Option<bool>,
    /// `securityRequireCompanyPortalAppIntegrity`: Boolean, non-null.
    pub security_require_company_portal_app_integrity: Option<bool>,
    /// `passwordMinimumLength`: Int32, nullable.
    pub password_minimum_length: Nullable<i32>,
    /// `passwordMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub password_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passwordExpirationDays`: Int32, nullable.
    pub password_expiration_days: Nullable<i32>,
    /// `passwordPreviousPasswordBlockCount`: Int32, nullable.
    pub password_previous_password_block_count: Nullable<i32>,
    /// `passwordRequiredType`: `androidRequiredPasswordType`, non-null.
    pub password_required_type: Option<AndroidRequiredPasswordType>,
    /// `deviceThreatProtectionRequiredSecurityLevel`: `deviceThreatProtectionLevel`, non-null.
    pub device_threat_protection_required_security_level: Option<DeviceThreatProtectionLevel>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
    /// `minAndroidSecurityPatchLevel`: String, nullable.
    pub min_android_security_patch_level: Nullable<String>,
}

/// iOS compliance policy.
///
/// OData type `#microsoft.graph.iosCompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.iosCompliancePolicy")]
pub struct IosCompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passcodeBlockSimple`: Boolean, non-null.
    pub passcode_block_simple: Option<bool>,
    /// `passcodeRequired`: Boolean, non-null.
    pub passcode_required: Option<bool>,
    /// `securityBlockJailbrokenDevices`: Boolean, non-null.
    pub security_block_jailbroken_devices: Option<bool>,
    /// `deviceThreatProtectionEnabled`: Boolean, non-null.
    pub device_threat_protection_enabled: Option<bool>,
    /// `managedEmailProfileRequired`: Boolean, non-null.
    pub managed_email_profile_required: Option<bool>,
    /// `passcodeExpirationDays`: Int32, nullable.
    pub passcode_expiration_days: Nullable<i32>,
    /// `passcodeMinimumLength`: Int32, nullable.
    pub passcode_minimum_length: Nullable<i32>,
    /// `passcodeMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub passcode_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passcodePreviousPasscodeBlockCount`: Int32, nullable.
    pub passcode_previous_passcode_block_count: Nullable<i32>,
    /// `passcodeMinimumCharacterSetCount`: Int32, nullable.
    pub passcode_minimum_character_set_count: Nullable<i32>,
    /// `passcodeRequiredType`: `requiredPasswordType`, non-null.
    pub passcode_required_type: Option<RequiredPasswordType>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
    /// `deviceThreatProtectionRequiredSecurityLevel`: `deviceThreatProtectionLevel`, non-null.
    pub device_threat_protection_required_security_level: Option<DeviceThreatProtectionLevel>,
}

/// macOS compliance policy.
///
/// OData type `#microsoft.graph.macOSCompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.macOSCompliancePolicy")]
pub struct MacOsCompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passwordRequired`: Boolean, non-null.
    pub password_required: Option<bool>,
    /// `passwordBlockSimple`: Boolean, non-null.
    pub password_block_simple: Option<bool>,
    /// `systemIntegrityProtectionEnabled`: Boolean, non-null.
    pub system_integrity_protection_enabled: Option<bool>,
    /// `deviceThreatProtectionEnabled`: Boolean, non-null.
    pub device_threat_protection_enabled: Option<bool>,
    /// `storageRequireEncryption`: Boolean, non-null.
    pub storage_require_encryption: Option<bool>,
    /// `firewallEnabled`: Boolean, non-null.
    pub firewall_enabled: Option<bool>,
    /// `firewallBlockAllIncoming`: Boolean, non-null.
    pub firewall_block_all_incoming: Option<bool>,
    /// `firewallEnableStealthMode`: Boolean, non-null.
    pub firewall_enable_stealth_mode: Option<bool>,
    /// `passwordExpirationDays`: Int32, nullable.
    pub password_expiration_days: Nullable<i32>,
    /// `passwordMinimumLength`: Int32, nullable.
    pub password_minimum_length: Nullable<i32>,
    /// `passwordMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub password_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passwordPreviousPasswordBlockCount`: Int32, nullable.
    pub password_previous_password_block_count: Nullable<i32>,
    /// `passwordMinimumCharacterSetCount`: Int32, nullable.
    pub password_minimum_character_set_count: Nullable<i32>,
    /// `passwordRequiredType`: `requiredPasswordType`, non-null.
    pub password_required_type: Option<RequiredPasswordType>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
    /// `deviceThreatProtectionRequiredSecurityLevel`: `deviceThreatProtectionLevel`, non-null.
    pub device_threat_protection_required_security_level: Option<DeviceThreatProtectionLevel>,
}

/// Windows 10 compliance policy.
///
/// OData type `#microsoft.graph.windows10CompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.windows10CompliancePolicy")]
pub struct Windows10CompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passwordRequired`: Boolean, non-null.
    pub password_required: Option<bool>,
    /// `passwordBlockSimple`: Boolean, non-null.
    pub password_block_simple: Option<bool>,
    /// `passwordRequiredToUnlockFromIdle`: Boolean, non-null.
    pub password_required_to_unlock_from_idle: Option<bool>,
    /// `requireHealthyDeviceReport`: Boolean, non-null.
    pub require_healthy_device_report: Option<bool>,
    /// `earlyLaunchAntiMalwareDriverEnabled`: Boolean, non-null.
    pub early_launch_anti_malware_driver_enabled: Option<bool>,
    /// `bitLockerEnabled`: Boolean, non-null.
    pub bit_locker_enabled: Option<bool>,
    /// `secureBootEnabled`: Boolean, non-null.
    pub secure_boot_enabled: Option<bool>,
    /// `codeIntegrityEnabled`: Boolean, non-null.
    pub code_integrity_enabled: Option<bool>,
    /// `storageRequireEncryption`: Boolean, non-null.
    pub storage_require_encryption: Option<bool>,
    /// `passwordMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub password_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passwordExpirationDays`: Int32, nullable.
    pub password_expiration_days: Nullable<i32>,
    /// `passwordMinimumLength`: Int32, nullable.
    pub password_minimum_length: Nullable<i32>,
    /// `passwordMinimumCharacterSetCount`: Int32, nullable.
    pub password_minimum_character_set_count: Nullable<i32>,
    /// `passwordPreviousPasswordBlockCount`: Int32, nullable.
    pub password_previous_password_block_count: Nullable<i32>,
    /// `passwordRequiredType`: `requiredPasswordType`, non-null.
    pub password_required_type: Option<RequiredPasswordType>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
    /// `mobileOsMinimumVersion`: String, nullable.
    pub mobile_os_minimum_version: Nullable<String>,
    /// `mobileOsMaximumVersion`: String, nullable.
    pub mobile_os_maximum_version: Nullable<String>,
}

/// Windows 10 Mobile compliance policy.
///
/// OData type `#microsoft.graph.windows10MobileCompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.windows10MobileCompliancePolicy")]
pub struct Windows10MobileCompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passwordRequired`: Boolean, non-null.
    pub password_required: Option<bool>,
    /// `passwordBlockSimple`: Boolean, non-null.
    pub password_block_simple: Option<bool>,
    /// `passwordRequireToUnlockFromIdle`: Boolean, non-null.
    pub password_require_to_unlock_from_idle: Option<bool>,
    /// `earlyLaunchAntiMalwareDriverEnabled`: Boolean, non-null.
    pub early_launch_anti_malware_driver_enabled: Option<bool>,
    /// `bitLockerEnabled`: Boolean, non-null.
    pub bit_locker_enabled: Option<bool>,
    /// `secureBootEnabled`: Boolean, non-null.
    pub secure_boot_enabled: Option<bool>,
    /// `codeIntegrityEnabled`: Boolean, non-null.
    pub code_integrity_enabled: Option<bool>,
    /// `storageRequireEncryption`: Boolean, non-null.
    pub storage_require_encryption: Option<bool>,
    /// `passwordMinimumLength`: Int32, nullable.
    pub password_minimum_length: Nullable<i32>,
    /// `passwordMinimumCharacterSetCount`: Int32, nullable.
    pub password_minimum_character_set_count: Nullable<i32>,
    /// `passwordPreviousPasswordBlockCount`: Int32, nullable.
    pub password_previous_password_block_count: Nullable<i32>,
    /// `passwordExpirationDays`: Int32, nullable.
    pub password_expiration_days: Nullable<i32>,
    /// `passwordMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub password_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passwordRequiredType`: `requiredPasswordType`, non-null.
    pub password_required_type: Option<RequiredPasswordType>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
}

/// Windows 8.1 compliance policy.
///
/// OData type `#microsoft.graph.windows81CompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.windows81CompliancePolicy")]
pub struct Windows81CompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passwordRequired`: Boolean, non-null.
    pub password_required: Option<bool>,
    /// `passwordBlockSimple`: Boolean, non-null.
    pub password_block_simple: Option<bool>,
    /// `storageRequireEncryption`: Boolean, non-null.
    pub storage_require_encryption: Option<bool>,
    /// `passwordExpirationDays`: Int32, nullable.
    pub password_expiration_days: Nullable<i32>,
    /// `passwordMinimumLength`: Int32, nullable.
    pub password_minimum_length: Nullable<i32>,
    /// `passwordMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub password_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passwordMinimumCharacterSetCount`: Int32, nullable.
    pub password_minimum_character_set_count: Nullable<i32>,
    /// `passwordPreviousPasswordBlockCount`: Int32, nullable.
    pub password_previous_password_block_count: Nullable<i32>,
    /// `passwordRequiredType`: `requiredPasswordType`, non-null.
    pub password_required_type: Option<RequiredPasswordType>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
}

/// Windows Phone 8.1 compliance policy.
///
/// OData type `#microsoft.graph.windowsPhone81CompliancePolicy`.
#[graph_entity(odata_type = "#microsoft.graph.windowsPhone81CompliancePolicy")]
pub struct WindowsPhone81CompliancePolicy {
    /// The properties every compliance policy has.
    #[graph(base)]
    pub base: DeviceCompliancePolicyBase,
    /// `passwordBlockSimple`: Boolean, non-null.
    pub password_block_simple: Option<bool>,
    /// `passwordRequired`: Boolean, non-null.
    pub password_required: Option<bool>,
    /// `storageRequireEncryption`: Boolean, non-null.
    pub storage_require_encryption: Option<bool>,
    /// `passwordExpirationDays`: Int32, nullable.
    pub password_expiration_days: Nullable<i32>,
    /// `passwordMinimumLength`: Int32, nullable.
    pub password_minimum_length: Nullable<i32>,
    /// `passwordMinutesOfInactivityBeforeLock`: Int32, nullable.
    pub password_minutes_of_inactivity_before_lock: Nullable<i32>,
    /// `passwordMinimumCharacterSetCount`: Int32, nullable.
    pub password_minimum_character_set_count: Nullable<i32>,
    /// `passwordPreviousPasswordBlockCount`: Int32, nullable.
    pub password_previous_password_block_count: Nullable<i32>,
    /// `passwordRequiredType`: `requiredPasswordType`, non-null.
    pub password_required_type: Option<RequiredPasswordType>,
    /// `osMinimumVersion`: String, nullable.
    pub os_minimum_version: Nullable<String>,
    /// `osMaximumVersion`: String, nullable.
    pub os_maximum_version: Nullable<String>,
}
