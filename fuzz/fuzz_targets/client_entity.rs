//! A plain entity decoded from a 200 answer (the seed's user-status overview).
#![no_main]

use graphwire_core::FromResponse;
use graphwire_fuzz::{client, json_answer};
use graphwire_intune::DeviceComplianceUserOverview;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = DeviceComplianceUserOverview::from_response(json_answer(body), &client());
});
