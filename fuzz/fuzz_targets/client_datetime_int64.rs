//! `DateTimeOffset` and `Int64` text. Checks, besides not panicking: what parses formats to
//! text that parses to the same instant, and an Int64 read from a string equals the number.
#![no_main]

use std::str::FromStr;

use graphwire_core::{DateTimeOffset, Int64};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(value) = DateTimeOffset::from_str(text) {
        let written = value.to_string();
        let again = DateTimeOffset::from_str(&written)
            .unwrap_or_else(|e| panic!("`{text}` parsed, but its text `{written}` does not: {e}"));
        assert_eq!(
            again.as_offset_date_time(),
            value.as_offset_date_time(),
            "`{text}` -> `{written}` moved the instant"
        );
    }
    let as_string = serde_json::to_string(text).unwrap_or_default();
    let from_string = serde_json::from_str::<Int64>(&as_string);
    let from_number = serde_json::from_str::<Int64>(text);
    if let (Ok(a), Ok(b)) = (&from_string, &from_number) {
        assert_eq!(
            a, b,
            "`{text}` reads differently as a string and as a number"
        );
    }
});
