//! Entry points for the fuzz targets (`fuzz/`) into the readers of network bytes that are
//! private to this crate. Not an API: behind the `fuzzing` feature and hidden from the docs.

use crate::RawResponse;
use crate::auth::AccessToken;
use crate::batch::wire::BatchResponse;
use crate::error::AuthError;

/// Reads a `$batch` answer's body as the client does: the envelope, then each item as a
/// response of its own (status, headers, body by content type).
pub fn batch_answer(body: &[u8]) -> Result<Vec<RawResponse>, serde_json::Error> {
    let answer: BatchResponse = serde_json::from_slice(body)?;
    Ok(answer
        .responses
        .iter()
        .map(crate::batch::item_response)
        .collect())
}

/// Reads a token endpoint's answer given its HTTP status.
pub fn token_answer(status: u16, body: &[u8]) -> Result<AccessToken, AuthError> {
    crate::auth::token_endpoint::read_token_answer(status, body, std::time::SystemTime::now())
}

/// Reads a body that says it is gzip-encoded as the client does, within `limit` bytes.
pub fn gzip_answer(body: &[u8], limit: usize) -> crate::Result<bytes::Bytes> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::CONTENT_ENCODING,
        reqwest::header::HeaderValue::from_static("gzip"),
    );
    crate::client::content_encoding::decode(
        &mut headers,
        bytes::Bytes::copy_from_slice(body),
        limit,
    )
}

/// Reads `az account get-access-token`'s output as the Azure CLI credential does.
pub fn azure_cli_output(stdout: &[u8]) -> Result<AccessToken, AuthError> {
    crate::auth::azure_cli::read_output(stdout)
}

/// Reads a managed identity endpoint's answer (IMDS, App Service, Arc) given its status.
pub fn managed_identity_answer(status: u16, body: &[u8]) -> Result<AccessToken, AuthError> {
    crate::auth::managed_identity::read_answer(status, body, "IMDS")
}

/// Text from outside as an error quotes it (tokens and secrets redacted, bounded).
pub fn quoted(bytes: &[u8], max_chars: usize) -> String {
    crate::redact::quote_bytes(bytes, max_chars)
}
