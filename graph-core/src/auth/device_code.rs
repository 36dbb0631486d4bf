//! The device code flow (delegated): the user signs in on another device with a short code.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::token_endpoint::{post_form, request_token, token_url};
use super::{AccessToken, BoxFuture, TokenCredential, TokenRequest};
use crate::error::AuthError;

/// What to show the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCodeInfo {
    /// The code the user types.
    pub user_code: String,
    /// Where they type it.
    pub verification_uri: String,
    /// The identity platform's sentence with both.
    pub message: String,
    /// How long the code stays valid.
    pub expires_in: Duration,
}

type Prompt = Arc<dyn Fn(&DeviceCodeInfo) + Send + Sync>;

/// Signs a user in with the device code flow; `prompt` shows them the code.
///
/// ```
/// use graphwire_core::auth::DeviceCodeCredential;
/// let credential = DeviceCodeCredential::new("tenant-id", "client-id", |info| {
///     eprintln!("{}", info.message);
/// });
/// # let _ = credential;
/// ```
#[derive(Clone)]
pub struct DeviceCodeCredential {
    tenant_id: String,
    client_id: String,
    prompt: Prompt,
    authority: Option<String>,
}

impl std::fmt::Debug for DeviceCodeCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCodeCredential")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct DeviceCodeAnswer {
    device_code: Option<String>,
    user_code: Option<String>,
    verification_uri: Option<String>,
    message: Option<String>,
    expires_in: Option<crate::Int64>,
    interval: Option<crate::Int64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// The identity platform's minimum polling interval.
const DEFAULT_INTERVAL: u64 = 5;

impl DeviceCodeCredential {
    /// A credential for a public client app; `prompt` is called with the code to show.
    pub fn new(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        prompt: impl Fn(&DeviceCodeInfo) + Send + Sync + 'static,
    ) -> Self {
        Self {
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            prompt: Arc::new(prompt),
            authority: None,
        }
    }

    /// Uses this login authority instead of the cloud's.
    pub fn with_authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = Some(super::token_endpoint::with_trailing_slash(authority));
        self
    }

    async fn sign_in(&self, request: TokenRequest<'_>) -> Result<AccessToken, AuthError> {
        let authority = self.authority.as_deref().unwrap_or(request.authority);
        let device_url = format!("{authority}{}/oauth2/v2.0/devicecode", self.tenant_id);
        let scope = request.scopes.join(" ");
        let form = [
            ("client_id", self.client_id.as_str()),
            ("scope", scope.as_str()),
        ];
        let (status, body) =
            post_form(request.http, "device code endpoint", &device_url, &form).await?;
        let answer: DeviceCodeAnswer = serde_json::from_slice(&body).map_err(|_| AuthError {
            message: format!(
                "device code endpoint answered {status} with a body that is not a device code response"
            ),
            oauth_error: None,
            status: Some(status),
            unavailable: false,
        })?;
        let (Some(device_code), Some(user_code), Some(verification_uri)) = (
            answer.device_code,
            answer.user_code,
            answer.verification_uri,
        ) else {
            return Err(AuthError {
                message: super::token_endpoint::oauth_error_message(
                    "device code endpoint",
                    status,
                    answer.error.as_deref().unwrap_or("no device code"),
                    answer.error_description.as_deref(),
                ),
                oauth_error: answer.error,
                status: Some(status),
                unavailable: false,
            });
        };
        let expires_in = Duration::from_secs(answer.expires_in.map_or(900, |s| s.0.max(0) as u64));
        let mut interval = Duration::from_secs(
            answer
                .interval
                .map_or(DEFAULT_INTERVAL, |s| s.0.max(1) as u64),
        );
        (self.prompt)(&DeviceCodeInfo {
            message: answer.message.unwrap_or_else(|| {
                format!("To sign in, open {verification_uri} and enter the code {user_code}.")
            }),
            user_code,
            verification_uri,
            expires_in,
        });
        let token_url = token_url(authority, &self.tenant_id);
        let deadline = tokio::time::Instant::now() + expires_in;
        loop {
            tokio::time::sleep(interval).await;
            if tokio::time::Instant::now() >= deadline {
                return Err(AuthError::new(
                    "the device code expired before the user signed in",
                ));
            }
            let form = [
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", self.client_id.as_str()),
                ("device_code", device_code.as_str()),
            ];
            match request_token(request.http, &token_url, &form).await {
                Ok(token) => return Ok(token),
                Err(e) if e.oauth_error.as_deref() == Some("authorization_pending") => {}
                Err(e) if e.oauth_error.as_deref() == Some("slow_down") => {
                    interval += Duration::from_secs(5)
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl TokenCredential for DeviceCodeCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(self.sign_in(request))
    }

    fn authority<'a>(&'a self, cloud_authority: &'a str) -> Option<&'a str> {
        Some(self.authority.as_deref().unwrap_or(cloud_authority))
    }

    fn cache_key(&self) -> String {
        format!("device_code|{}|{}", self.tenant_id, self.client_id)
    }
}
