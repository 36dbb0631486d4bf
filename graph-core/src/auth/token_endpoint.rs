//! The identity platform's v2.0 token endpoint: form posts and its answers.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde::Deserialize;

use super::AccessToken;
use crate::body::{MAX_TOKEN_ANSWER_BYTES, ReadError, read_bounded};
use crate::error::AuthError;
use crate::secret::Secret;
use crate::types::Int64;
use crate::url_policy::{check_credential_destination, display_url};

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
    let sent_at = SystemTime::now();
    let (status, body) = post_form(http, "token endpoint", url, form).await?;
    read_token_answer(status, &body, sent_at)
}

/// A client credentials request proven by a client assertion (a JWT signed with the app's
/// certificate, or another provider's federated token).
pub(crate) async fn request_token_with_assertion(
    http: &reqwest::Client,
    url: &str,
    client_id: &str,
    assertion: &str,
    scopes: &[String],
) -> Result<AccessToken, AuthError> {
    let scope = scopes.join(" ");
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", assertion),
        ("scope", scope.as_str()),
    ];
    request_token(http, url, &form).await
}

/// Posts a credential's form to an identity endpoint (`what` names it in errors) and reads
/// the answer's status and body. The secret goes only over https or to loopback, is never
/// redirected, and the answer is read within [`MAX_TOKEN_ANSWER_BYTES`].
pub(crate) async fn post_form(
    http: &reqwest::Client,
    what: &str,
    url: &str,
    form: &[(&str, &str)],
) -> Result<(u16, Bytes), AuthError> {
    // Checked again here, not only at `build()`: the cache can be driven directly, and an
    // authority can come from anywhere.
    check_credential_destination(url).map_err(|e| AuthError::new(e.to_string()))?;
    let response = http
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| AuthError::new(format!("{what} {url} unreachable: {}", without_url(&e))))?;
    let status = response.status().as_u16();
    // The client's own HTTP stack follows no redirects; a caller's might have.
    if response.url().as_str() != url {
        return Err(AuthError {
            message: format!(
                "{what} {url} was redirected to {}; {}",
                display_url(response.url()),
                NOT_REDIRECTED
            ),
            oauth_error: None,
            status: Some(status),
            unavailable: false,
        });
    }
    if response.status().is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(
                |l| match url::Url::parse(url).and_then(|base| base.join(l)) {
                    Ok(target) => display_url(&target),
                    Err(_) => l.chars().take(200).collect(),
                },
            )
            .unwrap_or_else(|| "nowhere (no Location)".into());
        return Err(AuthError {
            message: format!(
                "{what} {url} answered {status}, a redirect to {location}; {NOT_REDIRECTED}"
            ),
            oauth_error: None,
            status: Some(status),
            unavailable: false,
        });
    }
    let body = read_bounded(response, MAX_TOKEN_ANSWER_BYTES)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge => AuthError {
                message: format!(
                    "{what} answered {status} with a body larger than {MAX_TOKEN_ANSWER_BYTES} bytes, the limit for identity answers"
                ),
                oauth_error: None,
                status: Some(status),
                unavailable: false,
            },
            ReadError::Transport(e) => AuthError {
                message: format!("{what} answer was cut off: {}", without_url(&e)),
                oauth_error: None,
                status: Some(status),
                unavailable: false,
            },
        })?;
    Ok((status, body))
}

/// Why a credential's request does not follow a redirect.
const NOT_REDIRECTED: &str = "credential requests are not redirected: a secret, assertion or device code goes only to the configured authority";

/// Reads a token endpoint's answer: the token and its lifetime from when the request was sent,
/// or the OAuth error. Bytes from the network: never trusted, never panics.
pub(crate) fn read_token_answer(
    status: u16,
    body: &[u8],
    sent_at: SystemTime,
) -> Result<AccessToken, AuthError> {
    let answer: TokenAnswer = serde_json::from_slice(body).map_err(|_| AuthError {
        message: format!(
            "token endpoint answered {status} with a body that is not a token response"
        ),
        oauth_error: None,
        status: Some(status),
        unavailable: false,
    })?;
    match (answer.access_token, answer.error) {
        (Some(token), None) if (200..300).contains(&status) && token.is_empty() => Err(AuthError {
            message: format!("token endpoint answered {status} with an empty access_token"),
            oauth_error: None,
            status: Some(status),
            unavailable: false,
        }),
        (Some(token), None) if (200..300).contains(&status) => {
            let lifetime = answer.expires_in.map_or(3600, |s| s.0.max(0)) as u64;
            Ok(AccessToken {
                token: Secret::new(token),
                // A lifetime past what the clock can count is no expiry at all (not a panic).
                expires_at: sent_at.checked_add(Duration::from_secs(lifetime)),
            })
        }
        (_, error) => Err(AuthError {
            message: oauth_error_message(
                "token endpoint",
                status,
                error.as_deref().unwrap_or("no access_token"),
                answer.error_description.as_deref(),
            ),
            oauth_error: error,
            status: Some(status),
            unavailable: false,
        }),
    }
}

/// An identity endpoint's OAuth error as an error message: `error` and `error_description`,
/// quoted as any text from outside is (a description may echo what was sent).
pub(crate) fn oauth_error_message(
    what: &str,
    status: u16,
    error: &str,
    description: Option<&str>,
) -> String {
    let quoted = match description {
        Some(description) => format!("{error}: {description}"),
        None => error.to_owned(),
    };
    format!(
        "{what} answered {status}: {}",
        crate::redact::quote(&quoted, 1000)
    )
}

/// reqwest's messages include the URL; the token URL holds no secret, but keep messages short.
pub(crate) fn without_url(error: &reqwest::Error) -> String {
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
        let sent_at = SystemTime::now();
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
    fn an_empty_access_token_is_refused() {
        let error = read_token_answer(
            200,
            br#"{"access_token":"","expires_in":3600}"#,
            SystemTime::now(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "authentication failed: token endpoint answered 200 with an empty access_token"
        );
        assert_eq!(error.status, Some(200));
    }

    #[test]
    fn answers_that_are_not_tokens_say_so() {
        let error = read_token_answer(502, b"<html>", SystemTime::now()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "authentication failed: token endpoint answered 502 with a body that is not a token response"
        );
        let error = read_token_answer(
            400,
            br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#,
            SystemTime::now(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "authentication failed: token endpoint answered 400: invalid_client: AADSTS7000215: Invalid client secret provided."
        );
        assert_eq!(error.oauth_error.as_deref(), Some("invalid_client"));
    }
}
