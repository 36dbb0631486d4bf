//! The OData query options of a list call, parsed and served by the emulator.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|query: &str| {
    graphwire_fuzz::link_intune();
    graphwire_testkit::fuzzing::query_options(query);
});
