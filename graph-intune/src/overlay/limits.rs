//! Intune's documented request limits, as data: for a client's pacing to start from
//! (`GraphClient::builder().service_limits(INTUNE_LIMITS)`) and for an emulator to throttle by
//! (`graphwire_testkit::Throttling::from(INTUNE_LIMITS)`).

use std::time::Duration;

use graphwire_core::meta::ServiceLimits;

/// Intune's device-configuration limits: in 20 s, 100 writes per app and 200 per tenant, 1,000
/// requests per app and 2,000 per tenant.
pub const INTUNE_LIMITS: ServiceLimits =
    ServiceLimits::new(Duration::from_secs(20), 100, 200, 1000, 2000);
