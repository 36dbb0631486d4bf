//! A Graph error answer: any status, any body (Graph's error resource, HTML, nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &[u8])| {
    let (status, body) = input;
    let error = graphwire_core::ServiceError::from_body(status, body);
    // Display must hold for every decoded error.
    let _ = error.to_string();
});
