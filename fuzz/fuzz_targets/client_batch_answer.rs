//! A `$batch` answer: the envelope, each item as a response of its own (body by content
//! type), then each item decoded as the calls would: an error or a policy.
#![no_main]

use graphwire_core::FromResponse;
use graphwire_fuzz::client;
use graphwire_intune::DeviceCompliancePolicy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let Ok(items) = graphwire_core::fuzzing::batch_answer(body) else {
        return;
    };
    for item in items {
        if item.status().is_success() {
            let _ = DeviceCompliancePolicy::from_response(item, &client());
        } else {
            let _ = item.error_for_status();
        }
    }
});
