//! A token endpoint's answer (any status, any body): a token with its lifetime, or the OAuth
//! error. The error's text never carries the token.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &[u8])| {
    let (status, body) = input;
    match graphwire_core::fuzzing::token_answer(status, body) {
        Ok(token) => {
            let shown = format!("{token:?}");
            let secret = token.token.expose();
            assert!(
                secret.len() < 3 || !shown.contains(secret),
                "Debug shows the token: {shown}"
            );
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
