//! The one bounded reader every body the client reads goes through: Graph answers, `$batch`
//! answers, token and device-code answers. Nothing from the network is buffered past the
//! limit its reader sets, whatever `Content-Length` says or omits.

use bytes::{Bytes, BytesMut};

/// The most a token or device-code answer may hold. They are a few KB (a JWT and its
/// lifetime); anything larger is not an answer from an identity platform.
pub(crate) const MAX_TOKEN_ANSWER_BYTES: usize = 1 << 20;

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// More than the limit arrived, or was announced by `Content-Length`.
    TooLarge,
    /// The connection failed or timed out while reading.
    Transport(reqwest::Error),
}

/// Reads `response`'s body, stopping with [`ReadError::TooLarge`] as soon as it would pass
/// `limit` bytes.
pub(crate) async fn read_bounded(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, ReadError> {
    let announced = response.content_length();
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    // Reserve what was announced (at most the limit), so a truthful length costs one allocation.
    let mut body = BytesMut::with_capacity(announced.map_or(0, |n| n as usize));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(ReadError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
            Err(e) => return Err(ReadError::Transport(e)),
        }
    }
}
