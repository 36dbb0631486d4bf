//! Microsoft's documented request and response bodies for Intune (copied from the project's
//! reference vectors): the emulator's seed ([`emulator_seed`](crate::emulator_seed)) and the
//! conformance tests read them.

/// The documented PATCH body of `userStatusOverview`.
pub const UPDATE_USER_OVERVIEW_REQUEST: &str =
    include_str!("../vectors/update-user-overview.request.json");
/// The documented 200 response of that PATCH.
pub const UPDATE_USER_OVERVIEW_RESPONSE: &str =
    include_str!("../vectors/update-user-overview.response.json");
/// A GET of `userStatusOverview` as the live service answers it.
pub const GET_USER_OVERVIEW_LIVE: &str =
    include_str!("../vectors/get-user-overview.live-shape.response.json");
/// The documented GET of `deviceStatusOverview`, wrapped in `{"value": …}` as the docs show it.
pub const GET_DEVICE_OVERVIEW_DOC: &str =
    include_str!("../vectors/get-device-overview.doc-shape.response.json");
/// The documented list of compliance policies (note the abstract base `@odata.type`).
pub const LIST_COMPLIANCE_POLICIES: &str =
    include_str!("../vectors/list-compliance-policies.response.json");
/// A Graph error body as sent with 429.
pub const ERROR_THROTTLED: &str = include_str!("../vectors/error.throttled.response.json");
