//! The token endpoint's form (`application/x-www-form-urlencoded`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|form: &[u8]| {
    graphwire_fuzz::link_intune();
    graphwire_testkit::fuzzing::token_form(form);
});
