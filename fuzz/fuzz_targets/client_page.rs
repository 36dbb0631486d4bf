//! A collection page (`value`, `@odata.nextLink`, `@odata.count`) of the polymorphic family,
//! as the first page of a list call, then all of it as a `Vec`.
#![no_main]

use graphwire_core::{FromResponse, Pages};
use graphwire_fuzz::{client, json_answer};
use graphwire_intune::DeviceCompliancePolicy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(pages) = Pages::<DeviceCompliancePolicy>::from_response(json_answer(body), &client())
    {
        let _ = pages.count();
    }
    let _ = Vec::<DeviceCompliancePolicy>::from_response(json_answer(body), &client());
});
