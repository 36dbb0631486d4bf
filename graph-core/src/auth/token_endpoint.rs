//! The identity platform's v2.0 token endpoint: form posts and its answers.

use std::time::Duration;

use serde::Deserialize;
use tokio::time::Instant;

use super::AccessToken;
use crate::error::AuthError;
use crate::secret::Secret;
use crate::types::Int64;

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    /// A number or a string, depending on the endpoint's mood.
    expires_in: Option<Int64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// An authority URL with the trailing `/` the endpoint paths are appended to.
pub(crate) fn with_trailing_slash(authority: impl Into<String>) -> String {
    let mut authority = authority.into();
    if !authority.ends_with('/') {
        authority.push('/');
    }
    authority
}

/// `{authority}{tenant}/oauth2/v2.0/token`.
pub(crate) fn token_url(authority: &str, tenant: &str) -> String {
    format!("{authority}{tenant}/oauth2/v2.0/token")
}

/// Posts a form to a token endpoint and reads the token or the OAuth error.
pub(crate) async fn request_token(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<AccessToken, AuthError> {
    let sent_at = Instant::now();
    let response = http
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| {
            AuthError::new(format!(
                "token endpoint {url} unreachable: {}",
                without_url(&e)
            ))
        })?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| {
        AuthError::new(format!(
            "token endpoint answer was cut off: {}",
            without_url(&e)
        ))
    })?;
    read_token_answer(status, &body, sent_at)
}

/// Reads a token endpoint's answer: the token and its lifetime from when the request was sent,
/// or the OAuth error. Bytes from the network: never trusted, never panics.
pub(crate) fn read_token_answer(
    status: u16,
    body: &[u8],
    sent_at: Instant,
) -> Result<AccessToken, AuthError> {
    let answer: TokenAnswer = serde_json::from_slice(body).map_err(|_| AuthError {
        message: format!(
            "token endpoint answered {status} with a body that is not a token response"
        ),
        oauth_error: None,
        status: Some(status),
    })?;
    match (answer.access_token, answer.error) {
        (Some(token), None) if (200..300).contains(&status) => {
            let lifetime = answer.expires_in.map_or(3600, |s| s.0.max(0)) as u64;
            Ok(AccessToken {
                token: Secret::new(token),
                // A lifetime past what the clock can count is no expiry at all (not a panic).
                expires_at: sent_at.checked_add(Duration::from_secs(lifetime)),
            })
        }
        (_, error) => Err(AuthError {
            message: format!(
                "token endpoint answered {status}: {}{}",
                error.as_deref().unwrap_or("no access_token"),
                answer
                    .error_description
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
            oauth_error: error,
            status: Some(status),
        }),
    }
}

/// reqwest's messages include the URL; the token URL holds no secret, but keep messages short.
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "");
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lifetime_past_the_clock_is_no_expiry_not_a_panic() {
        let sent_at = Instant::now();
        let token = read_token_answer(
            200,
            br#"{"token_type":"Bearer","access_token":"t","expires_in":9223372036854775807}"#,
            sent_at,
        )
        .unwrap();
        assert_eq!(token.expires_at, None);
        let token = read_token_answer(200, br#"{"access_token":"t","expires_in":"3599"}"#, sent_at)
            .unwrap();
        assert_eq!(token.expires_at, Some(sent_at + Duration::from_secs(3599)));
    }

    #[test]
    fn answers_that_are_not_tokens_say_so() {
        let error = read_token_answer(502, b"<html>", Instant::now()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "authentication failed: token endpoint answered 502 with a body that is not a token response"
        );
        let error = read_token_answer(
            400,
            br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
            Instant::now(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "authentication failed: token endpoint answered 400: invalid_client: AADSTS7000215: Invalid client secret provided."
        );
        assert_eq!(error.oauth_error.as_deref(), Some("invalid_client"));
    }
}
