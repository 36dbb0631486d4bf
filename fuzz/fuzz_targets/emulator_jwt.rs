//! Bearer tokens as the emulator verifies them: raw text, and claims behind a valid signature.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &[u8])| {
    let (raw, payload) = input;
    graphwire_fuzz::link_intune();
    graphwire_testkit::fuzzing::verify_token(raw, payload);
});
