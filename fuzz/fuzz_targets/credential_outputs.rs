//! What local credential sources and identity endpoints hand the client: the Azure CLI's
//! output, a managed identity endpoint's answer (any status), and any such text as an error
//! quotes it. Never a panic; an error's text never carries a JWT-shaped word, and a quote is
//! never longer than its bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// True when `text` holds a word that starts like a JWT and runs on (what redaction removes).
fn holds_a_jwt(text: &str) -> bool {
    let is_jwt_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    text.split(|c: char| !is_jwt_char(c))
        .any(|word| word.starts_with("eyJ") && word.len() >= 16)
}

fuzz_target!(|input: (u16, u8, &[u8])| {
    let (status, max, body) = input;
    let max = usize::from(max);
    let quoted = graphwire_core::fuzzing::quoted(body, max);
    assert!(quoted.chars().count() <= max, "over the bound: {quoted:?}");
    assert!(!holds_a_jwt(&quoted), "a JWT is quoted: {quoted:?}");
    if let Err(error) = graphwire_core::fuzzing::azure_cli_output(body) {
        let _ = error.to_string();
    }
    match graphwire_core::fuzzing::managed_identity_answer(status, body) {
        Ok(token) => assert!(!format!("{token:?}").contains("eyJ")),
        Err(error) => {
            let text = error.to_string();
            assert!(!holds_a_jwt(&text), "a JWT in the error: {text}");
        }
    }
});
