//! A gzip-encoded answer body: inflated within the limit, or a typed error; never more bytes
//! than the limit, however small the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &[u8])| {
    let (limit, body) = input;
    let limit = usize::from(limit);
    match graphwire_core::fuzzing::gzip_answer(body, limit) {
        Ok(decoded) => assert!(decoded.len() <= limit, "{} > {limit}", decoded.len()),
        Err(graphwire_core::Error::BodyTooLarge { limit: reported }) => assert_eq!(reported, limit),
        Err(graphwire_core::Error::Transport { sent: true, .. }) => {}
        Err(other) => panic!("unexpected error: {other:?}"),
    }
});
