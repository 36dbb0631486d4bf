//! A request body checked against the metadata, as the emulator checks POST and PATCH bodies.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    graphwire_fuzz::link_intune();
    graphwire_testkit::fuzzing::validate_body(body);
});
