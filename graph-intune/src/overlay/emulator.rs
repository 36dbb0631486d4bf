//! What the emulator needs to behave as Intune, beyond the declarations, rules and seed that
//! are registered for it: Intune's throttling limits.

use std::time::Duration;

use graphwire_testkit::Throttling;

/// Intune's device-configuration limits (a 20 s window): 100 writes per app and 200 per
/// tenant, 1,000 requests per app and 2,000 per tenant. `throttling().scaled(0.05)` allows the
/// same rate over 1 s, for tests.
pub fn throttling() -> Throttling {
    Throttling {
        window: Duration::from_secs(20),
        app_writes: 100,
        tenant_writes: 200,
        app_any: 1000,
        tenant_any: 2000,
    }
}
