//! `Retry-After`: delta-seconds or an HTTP date, against any clock.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u32)| {
    let (value, seconds) = input;
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(seconds) * 4);
    let _ = graphwire_core::parse_retry_after(value, now);
});
