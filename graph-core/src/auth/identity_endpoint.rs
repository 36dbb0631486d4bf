//! What the credentials that ask a host or a tool (managed identity, Azure CLI) share: a
//! scope as the resource they want, and a GET to a local identity endpoint read with the
//! rules of every identity answer.

use std::time::Duration;

use bytes::Bytes;
use url::Url;

use crate::body::{MAX_TOKEN_ANSWER_BYTES, ReadError, read_bounded};
use crate::error::AuthError;
use crate::url_policy::display_url;

use super::token_endpoint::without_url;

/// An identity endpoint's answer.
pub(crate) struct Answer {
    pub status: u16,
    /// `WWW-Authenticate`, for Azure Arc's challenge.
    pub www_authenticate: Option<String>,
    pub body: Bytes,
}

/// The resource a token is for, from the one scope asked for:
/// `https://graph.microsoft.com/.default` -> `https://graph.microsoft.com`.
pub(crate) fn resource_of(scopes: &[String]) -> Result<String, AuthError> {
    match scopes {
        [scope] => Ok(scope.strip_suffix("/.default").unwrap_or(scope).to_owned()),
        _ => Err(AuthError::new(format!(
            "a managed identity or Azure CLI token is for one resource; {} scopes were asked for ({})",
            scopes.len(),
            scopes.join(" ")
        ))),
    }
}

/// GETs `url` with `headers`, following no redirect (a redirect is an error naming both
/// URLs), reading the answer within [`MAX_TOKEN_ANSWER_BYTES`]. A connection that fails (or
/// takes longer than `timeout`) is an error saying the endpoint is unreachable.
pub(crate) async fn get(
    http: &reqwest::Client,
    what: &str,
    url: &Url,
    headers: &[(&str, &str)],
    timeout: Option<Duration>,
) -> Result<Answer, AuthError> {
    let shown = display_url(url);
    let mut request = http
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let response = request.send().await.map_err(|e| {
        AuthError::new(format!(
            "{what} {shown} unreachable: {}",
            if e.is_timeout() {
                "no answer in time".to_owned()
            } else {
                without_url(&e)
            }
        ))
    })?;
    let status = response.status().as_u16();
    let www_authenticate = response
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if response.url() != url || response.status().is_redirection() {
        return Err(AuthError {
            status: Some(status),
            ..AuthError::new(format!(
                "{what} {shown} answered {status} with a redirect; identity requests are not redirected"
            ))
        });
    }
    let body = read_bounded(response, MAX_TOKEN_ANSWER_BYTES)
        .await
        .map_err(|e| AuthError {
            status: Some(status),
            ..AuthError::new(match e {
                ReadError::TooLarge => format!(
                    "{what} answered {status} with a body larger than {MAX_TOKEN_ANSWER_BYTES} bytes, the limit for identity answers"
                ),
                ReadError::Transport(e) => {
                    format!("{what} answer was cut off: {}", without_url(&e))
                }
            })
        })?;
    Ok(Answer {
        status,
        www_authenticate,
        body,
    })
}
