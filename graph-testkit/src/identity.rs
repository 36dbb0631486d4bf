//! The emulator's identity platform: a v2.0 token endpoint for client credentials, and signed
//! JWT access tokens (HS256 with a per-emulator random key) that Graph requests are checked
//! against.

use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::config::App;
use crate::message::{EmuRequest, EmuResponse, error, inner_error_date};

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
    /// `scp` (delegated permissions), split on spaces.
    pub scopes: Vec<String>,
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

    /// Signs a JSON payload as an HS256 JWT.
    pub fn sign_json(&self, payload: &Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
        let mut mac = self.mac();
        mac.update(format!("{header}.{payload}").as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{header}.{payload}.{signature}")
    }

    /// The payload of a token this signer signed, or `None`.
    pub fn verified_payload(&self, token: &str) -> Option<Value> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let mut mac = self.mac();
        mac.update(format!("{header}.{payload}").as_bytes());
        mac.verify_slice(&signature).ok()?;
        URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
    }

    pub fn sign(&self, audience: &str, claims: &Claims, now: u64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = json!({
            "aud": audience,
            "iss": format!("https://sts.emulator.local/{}/v2.0", claims.tenant_id),
            "tid": claims.tenant_id,
            "appid": claims.client_id,
            "roles": claims.roles,
            "scp": claims.scopes.join(" "),
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

    /// Signs an arbitrary payload (a fuzz target reaches the claims reader through it).
    #[cfg(feature = "fuzzing")]
    pub fn sign_payload(&self, payload: &[u8]) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(payload);
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
            scopes: text("scp").split_whitespace().map(str::to_owned).collect(),
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
            // Entra writes `2016-04-11 18:59:01Z` here (reference §4.4).
            "timestamp": format!("{}Z", inner_error_date(std::time::SystemTime::now()).replace('T', " ")),
            "trace_id": uuid::Uuid::new_v4().to_string(),
            "correlation_id": uuid::Uuid::new_v4().to_string(),
        }),
    }
}

/// A device code handed out and not yet redeemed.
#[derive(Debug, Clone)]
pub struct DeviceGrant {
    device_code: String,
    tenant: String,
    client_id: String,
    polls: u32,
    expires_at: u64,
}

/// What the identity endpoints need.
pub struct Identity<'a> {
    pub signer: &'a Signer,
    pub apps: &'a [App],
    pub grants: &'a Mutex<Vec<DeviceGrant>>,
    /// The Graph root tokens are for (`aud`).
    pub audience: &'a str,
    /// This tenant's token endpoint URL (the audience of client assertions).
    pub token_url: String,
    pub lifetime: Duration,
    pub now: u64,
}

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// The audience of a federated token Entra takes as a client assertion.
pub const TOKEN_EXCHANGE_AUDIENCE: &str = "api://AzureADTokenExchange";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

impl Identity<'_> {
    fn issue(&self, app: &App, roles: Vec<String>, scopes: Vec<String>) -> TokenAnswer {
        let claims = Claims {
            tenant_id: app.tenant_id.clone(),
            client_id: app.client_id.clone(),
            roles,
            scopes,
            expires_at: self.now + self.lifetime.as_secs(),
        };
        TokenAnswer {
            status: 200,
            body: json!({
                "token_type": "Bearer",
                "expires_in": self.lifetime.as_secs(),
                "ext_expires_in": self.lifetime.as_secs(),
                "access_token": self.signer.sign(self.audience, &claims, self.now),
            }),
        }
    }

    /// A managed identity's token, as IMDS and App Service write it (numbers as strings).
    pub fn host_token(&self, app: &App, resource: &str) -> TokenAnswer {
        let issued = self.issue(app, app.roles.clone(), Vec::new());
        let lifetime = self.lifetime.as_secs();
        TokenAnswer {
            status: 200,
            body: json!({
                "access_token": issued.body["access_token"],
                "client_id": app.client_id,
                "expires_in": lifetime.to_string(),
                "expires_on": (self.now + lifetime).to_string(),
                "ext_expires_in": lifetime.to_string(),
                "not_before": self.now.to_string(),
                "resource": resource,
                "token_type": "Bearer",
            }),
        }
    }

    /// `POST /{tenant}/oauth2/v2.0/token` with a form body.
    pub fn token(&self, tenant: &str, form: &[(String, String)]) -> TokenAnswer {
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let Some(client_id) = field("client_id") else {
            return oauth_error(
                400,
                "invalid_request",
                "AADSTS900144: The request body must contain 'client_id'.",
            );
        };
        let Some(app) = self
            .apps
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
        match field("grant_type") {
            Some("client_credentials") => {}
            Some(DEVICE_CODE_GRANT) => {
                return self.redeem_device_code(app, field("device_code").unwrap_or_default());
            }
            Some(other) => {
                return oauth_error(
                    400,
                    "unsupported_grant_type",
                    &format!(
                        "AADSTS70003: The emulator supports client_credentials and device_code, not `{other}`."
                    ),
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
        if !field("scope").unwrap_or_default().ends_with("/.default") {
            return oauth_error(
                400,
                "invalid_scope",
                "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.",
            );
        }
        let proven = match (field("client_secret"), field("client_assertion")) {
            (_, Some(assertion)) => {
                if field("client_assertion_type") != Some(JWT_BEARER) {
                    return oauth_error(
                        400,
                        "invalid_request",
                        "AADSTS50027: client_assertion_type must be jwt-bearer.",
                    );
                }
                if app.certificate.is_none() && !app.federated.is_empty() {
                    self.check_federated(app, assertion)
                } else {
                    self.check_assertion(app, assertion)
                }
            }
            (Some(secret), None) if secret == app.client_secret.expose() => Ok(()),
            (Some(_), None) => Err("AADSTS7000215: Invalid client secret provided."),
            (None, None) => Err(
                "AADSTS7000218: The request body must contain 'client_assertion' or 'client_secret'.",
            ),
        };
        match proven {
            Ok(()) => self.issue(app, app.roles.clone(), Vec::new()),
            Err(message) => oauth_error(401, "invalid_client", message),
        }
    }

    /// A federated token (workload identity): signed by the provider (here the emulator's own
    /// signer stands in for it), for the token exchange audience, its issuer and subject
    /// those of one of the app's federated credentials, not expired.
    fn check_federated(&self, app: &App, assertion: &str) -> Result<(), &'static str> {
        let Some(claims) = self.signer.verified_payload(assertion) else {
            return Err("AADSTS50027: JWT token is invalid or malformed.");
        };
        let text = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
        if text("aud") != TOKEN_EXCHANGE_AUDIENCE {
            return Err(
                "AADSTS700212: No matching federated identity record found for presented assertion audience.",
            );
        }
        if !app
            .federated
            .iter()
            .any(|(issuer, subject)| issuer == text("iss") && subject == text("sub"))
        {
            return Err(
                "AADSTS70021: No matching federated identity record found for presented assertion.",
            );
        }
        if claims.get("exp").and_then(Value::as_u64).unwrap_or(0) <= self.now {
            return Err("AADSTS700024: Client assertion is not within its valid time range.");
        }
        Ok(())
    }

    /// An RS256 client assertion: signed by the registered certificate's key, `x5t` naming it,
    /// for this token endpoint, from this app, not expired.
    fn check_assertion(&self, app: &App, assertion: &str) -> Result<(), &'static str> {
        use rsa::pkcs1v15::{Signature, VerifyingKey};
        use rsa::signature::Verifier;
        let Some(certificate) = &app.certificate else {
            return Err("AADSTS700027: No certificate is registered for this application.");
        };
        let invalid = "AADSTS700027: Client assertion failed signature validation.";
        let mut parts = assertion.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid);
        };
        let decode = |part: &str| -> Option<Value> {
            URL_SAFE_NO_PAD
                .decode(part)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
        };
        let (Some(header_json), Some(claims)) = (decode(header), decode(payload)) else {
            return Err(invalid);
        };
        if header_json.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err("AADSTS5002730: Only RS256 client assertions are accepted.");
        }
        let x5t = header_json
            .get("x5t")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if URL_SAFE_NO_PAD.decode(x5t).ok().as_deref() != Some(certificate.thumbprint.as_slice()) {
            return Err(
                "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.",
            );
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::try_from(bytes.as_slice()).ok())
            .ok_or(invalid)?;
        VerifyingKey::<Sha256>::new(certificate.public_key.clone())
            .verify(format!("{header}.{payload}").as_bytes(), &signature)
            .map_err(|_| invalid)?;
        let text = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
        if text("aud") != self.token_url {
            return Err(
                "AADSTS700016: The client assertion's audience is not this token endpoint.",
            );
        }
        if text("iss") != app.client_id || text("sub") != app.client_id {
            return Err(
                "AADSTS700023: The client assertion's issuer and subject must be the client id.",
            );
        }
        if claims.get("exp").and_then(Value::as_u64).unwrap_or(0) <= self.now {
            return Err("AADSTS700024: The client assertion is expired.");
        }
        Ok(())
    }

    /// `POST /{tenant}/oauth2/v2.0/devicecode`.
    pub fn device_code(&self, tenant: &str, form: &[(String, String)]) -> TokenAnswer {
        let client_id = form
            .iter()
            .find(|(k, _)| k == "client_id")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        if !self
            .apps
            .iter()
            .any(|a| a.client_id == client_id && a.tenant_id == tenant && !a.delegated.is_empty())
        {
            return oauth_error(
                400,
                "unauthorized_client",
                &format!(
                    "AADSTS700016: Application '{client_id}' has no delegated permissions in '{tenant}' for the device code flow."
                ),
            );
        }
        let user_code = format!("EMU{:05}", fastrand::u32(..100_000));
        let grant = DeviceGrant {
            device_code: uuid::Uuid::new_v4().to_string(),
            tenant: tenant.to_owned(),
            client_id: client_id.to_owned(),
            polls: 0,
            expires_at: self.now + 900,
        };
        let device_code = grant.device_code.clone();
        if let Ok(mut grants) = self.grants.lock() {
            grants.push(grant);
        }
        let uri = format!("{}devicelogin", self.audience);
        TokenAnswer {
            status: 200,
            body: json!({
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": uri,
                "expires_in": 900,
                "interval": 1,
                "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
            }),
        }
    }

    fn redeem_device_code(&self, app: &App, device_code: &str) -> TokenAnswer {
        let Ok(mut grants) = self.grants.lock() else {
            return oauth_error(
                500,
                "temporarily_unavailable",
                "The emulator's grant store is unavailable.",
            );
        };
        let Some(index) = grants.iter().position(|g| {
            g.device_code == device_code
                && g.client_id == app.client_id
                && g.tenant == app.tenant_id
        }) else {
            return oauth_error(
                400,
                "bad_verification_code",
                "AADSTS70019: Verification code is not recognized.",
            );
        };
        if grants[index].expires_at <= self.now {
            grants.remove(index);
            return oauth_error(
                400,
                "expired_token",
                "AADSTS70019: Verification code expired.",
            );
        }
        if grants[index].polls < app.device_code_polls {
            grants[index].polls += 1;
            return oauth_error(
                400,
                "authorization_pending",
                "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.",
            );
        }
        grants.remove(index);
        drop(grants);
        self.issue(app, Vec::new(), app.delegated.clone())
    }
}

/// Verifies the request's bearer token: its claims, or Graph's 401 with `WWW-Authenticate`.
pub fn authenticate(
    signer: &Signer,
    now: u64,
    base_url: &str,
    request: &EmuRequest,
) -> Result<Claims, EmuResponse> {
    let token = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty());
    let problem = match token {
        None => TokenProblem::Missing,
        Some(token) => match signer.verify(token, now) {
            Ok(claims) => return Ok(claims),
            Err(problem) => problem,
        },
    };
    let (message, description) = match problem {
        TokenProblem::Missing => ("Access token is empty.", "no access token"),
        TokenProblem::Invalid => (
            "Access token validation failure. Invalid signature.",
            "invalid token",
        ),
        TokenProblem::Expired => (
            "Lifetime validation failed, the token is expired.",
            "the token is expired",
        ),
    };
    Err(error(401, "InvalidAuthenticationToken", message).with_header(
        "WWW-Authenticate",
        format!(
            "Bearer realm=\"\", authorization_uri=\"{}common/oauth2/authorize\", error=\"invalid_token\", error_description=\"{description}\"",
            base_url
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> Claims {
        Claims {
            tenant_id: "t".into(),
            client_id: "c".into(),
            roles: vec!["R".into()],
            scopes: Vec::new(),
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
