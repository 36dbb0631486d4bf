//! The emulator's identity platform: a v2.0 token endpoint for client credentials, and signed
//! JWT access tokens (HS256 with a per-emulator random key) that Graph requests are checked
//! against.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::config::App;

type HmacSha256 = Hmac<Sha256>;

/// The claims the emulator puts in and reads back from a token.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    /// `tid`
    pub tenant_id: String,
    /// `appid`
    pub client_id: String,
    /// `roles`
    pub roles: Vec<String>,
    /// `exp`, seconds on the emulator's clock.
    pub expires_at: u64,
}

/// Signs and verifies tokens.
pub struct Signer {
    /// One SHA-256 block: HMAC's native key size, so no key can be rejected.
    key: [u8; 64],
}

/// Why a token was refused (the `WWW-Authenticate` error description).
#[derive(Debug, Clone, PartialEq)]
pub enum TokenProblem {
    /// No `Authorization: Bearer` header.
    Missing,
    /// Not a token this emulator signed.
    Invalid,
    /// Signed, but past `exp`.
    Expired,
}

impl Signer {
    pub fn new() -> Self {
        let mut key = [0u8; 64];
        key.iter_mut().for_each(|b| *b = fastrand::u8(..));
        Self { key }
    }

    fn mac(&self) -> HmacSha256 {
        <HmacSha256 as KeyInit>::new(&self.key.into())
    }

    pub fn sign(&self, audience: &str, claims: &Claims, now: u64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = json!({
            "aud": audience,
            "iss": format!("https://sts.emulator.local/{}/v2.0", claims.tenant_id),
            "tid": claims.tenant_id,
            "appid": claims.client_id,
            "roles": claims.roles,
            "iat": now,
            "nbf": now,
            "exp": claims.expires_at,
        });
        let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
        let mut mac = self.mac();
        mac.update(format!("{header}.{payload}").as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{header}.{payload}.{signature}")
    }

    pub fn verify(&self, token: &str, now: u64) -> Result<Claims, TokenProblem> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenProblem::Invalid);
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenProblem::Invalid)?;
        let mut mac = self.mac();
        mac.update(format!("{header}.{payload}").as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| TokenProblem::Invalid)?;
        let payload: Value = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(TokenProblem::Invalid)?;
        let text = |k: &str| {
            payload
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let claims = Claims {
            tenant_id: text("tid"),
            client_id: text("appid"),
            roles: payload
                .get("roles")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            expires_at: payload.get("exp").and_then(Value::as_u64).unwrap_or(0),
        };
        if claims.expires_at <= now {
            return Err(TokenProblem::Expired);
        }
        Ok(claims)
    }
}

/// A token endpoint answer: status and JSON body.
pub struct TokenAnswer {
    pub status: u16,
    pub body: Value,
}

fn oauth_error(status: u16, error: &str, description: &str) -> TokenAnswer {
    TokenAnswer {
        status,
        body: json!({
            "error": error,
            "error_description": description,
            "error_codes": [],
            "timestamp": httpdate::fmt_http_date(std::time::SystemTime::now()),
        }),
    }
}

/// Handles `POST /{tenant}/oauth2/v2.0/token` with a form body.
pub fn token_endpoint(
    signer: &Signer,
    apps: &[App],
    tenant: &str,
    form: &[(String, String)],
    audience: &str,
    lifetime: Duration,
    now: u64,
) -> TokenAnswer {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match field("grant_type") {
        Some("client_credentials") => {}
        Some(other) => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                &format!("AADSTS70003: The emulator supports client_credentials, not `{other}`."),
            );
        }
        None => {
            return oauth_error(
                400,
                "invalid_request",
                "AADSTS900144: The request body must contain 'grant_type'.",
            );
        }
    }
    let Some(client_id) = field("client_id") else {
        return oauth_error(
            400,
            "invalid_request",
            "AADSTS900144: The request body must contain 'client_id'.",
        );
    };
    let scope = field("scope").unwrap_or_default();
    if !scope.ends_with("/.default") {
        return oauth_error(
            400,
            "invalid_scope",
            "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.",
        );
    }
    let Some(app) = apps
        .iter()
        .find(|a| a.client_id == client_id && a.tenant_id == tenant)
    else {
        return oauth_error(
            400,
            "unauthorized_client",
            &format!(
                "AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        );
    };
    if field("client_assertion").is_some() {
        return oauth_error(
            400,
            "invalid_request",
            "The emulator does not verify certificate assertions yet; use a client secret.",
        );
    }
    if field("client_secret") != Some(app.client_secret.expose()) {
        return oauth_error(
            401,
            "invalid_client",
            "AADSTS7000215: Invalid client secret provided.",
        );
    }
    let claims = Claims {
        tenant_id: app.tenant_id.clone(),
        client_id: app.client_id.clone(),
        roles: app.roles.clone(),
        expires_at: now + lifetime.as_secs(),
    };
    TokenAnswer {
        status: 200,
        body: json!({
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs(),
            "ext_expires_in": lifetime.as_secs(),
            "access_token": signer.sign(audience, &claims, now),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> Claims {
        Claims {
            tenant_id: "t".into(),
            client_id: "c".into(),
            roles: vec!["R".into()],
            expires_at: exp,
        }
    }

    #[test]
    fn signed_tokens_verify_and_expire() {
        let signer = Signer::new();
        let token = signer.sign("aud", &claims(100), 10);
        assert_eq!(signer.verify(&token, 50), Ok(claims(100)));
        assert_eq!(signer.verify(&token, 100), Err(TokenProblem::Expired));
        let other = Signer::new();
        assert_eq!(other.verify(&token, 50), Err(TokenProblem::Invalid));
        let mut tampered = token.clone();
        tampered.insert(token.len() / 2, 'x');
        assert_eq!(signer.verify(&tampered, 50), Err(TokenProblem::Invalid));
        assert_eq!(signer.verify("not-a-jwt", 50), Err(TokenProblem::Invalid));
    }
}
