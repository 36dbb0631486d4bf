//! The macros' path-template parser (`"/a/{x}/b('{y}')"`), on any text a user might write.
#![no_main]

use graphwire_fuzz::template::{Segment, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|template: &str| {
    if let Ok(segments) = parse(template) {
        // What parses has its placeholders named, and literals only text outside braces.
        for segment in &segments {
            match segment {
                Segment::Placeholder { name, .. } => assert!(!name.is_empty()),
                Segment::Literal(text) => assert!(!text.contains('{') && !text.contains('}')),
            }
        }
    }
});
