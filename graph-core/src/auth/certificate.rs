//! OAuth 2.0 client credentials with a certificate: an RS256-signed JWT client assertion.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use sha1::{Digest, Sha1};
use sha2::Sha256;

use super::token_endpoint::{request_token_with_assertion, token_url};
use super::{AccessToken, BoxFuture, TokenCredential, TokenRequest};
use crate::error::AuthError;

/// How long a client assertion is valid.
const ASSERTION_LIFETIME_SECS: u64 = 600;

/// An app's identity proven with a certificate's private key (application permissions).
///
/// The assertion's header carries `x5t`, the certificate's SHA-1 thumbprint, so the identity
/// platform can find the registered certificate. The private key never leaves this value and
/// never appears in `Debug`.
pub struct ClientCertificateCredential {
    tenant_id: String,
    client_id: String,
    key: SigningKey<Sha256>,
    thumbprint: [u8; 20],
    authority: Option<String>,
}

impl std::fmt::Debug for ClientCertificateCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificateCredential")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("thumbprint", &hex(&self.thumbprint))
            .field("private_key", &"<redacted>")
            .finish()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The `-----BEGIN …-----` … `-----END …-----` blocks of a PEM text.
fn pem_blocks(pem: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = &rest[start..];
        let Some(end) = block.find("-----END ") else {
            break;
        };
        let Some(close) = block[end + 9..].find("-----") else {
            break;
        };
        let stop = end + 9 + close + 5;
        blocks.push(&block[..stop]);
        rest = &block[stop..];
    }
    blocks
}

impl ClientCertificateCredential {
    /// From a PEM bundle holding the private key (`PRIVATE KEY` or `RSA PRIVATE KEY`) and the
    /// certificate (`CERTIFICATE`), as `AZURE_CLIENT_CERTIFICATE_PATH` files do.
    pub fn from_pem(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        pem: &str,
    ) -> Result<Self, AuthError> {
        let mut key = None;
        let mut thumbprint = None;
        for block in pem_blocks(pem) {
            if block.starts_with("-----BEGIN PRIVATE KEY-----") {
                key = Some(RsaPrivateKey::from_pkcs8_pem(block).map_err(|_| {
                    AuthError::new("the PRIVATE KEY block is not a PKCS#8 RSA key")
                })?);
            } else if block.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
                key = Some(RsaPrivateKey::from_pkcs1_pem(block).map_err(|_| {
                    AuthError::new("the RSA PRIVATE KEY block is not a PKCS#1 RSA key")
                })?);
            } else if block.starts_with("-----BEGIN CERTIFICATE-----") && thumbprint.is_none() {
                let (_, der) = pem_rfc7468::decode_vec(block.as_bytes())
                    .map_err(|_| AuthError::new("the CERTIFICATE block is not valid PEM"))?;
                thumbprint = Some(Sha1::digest(&der).into());
            }
        }
        let key = key.ok_or_else(|| AuthError::new("no RSA private key in the PEM"))?;
        let thumbprint =
            thumbprint.ok_or_else(|| AuthError::new("no CERTIFICATE block in the PEM"))?;
        Ok(Self {
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            key: SigningKey::new(key),
            thumbprint,
            authority: None,
        })
    }

    /// Uses this login authority instead of the cloud's.
    pub fn with_authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = Some(super::token_endpoint::with_trailing_slash(authority));
        self
    }

    /// The certificate's SHA-1 thumbprint, upper-case hex (as the portal shows it).
    pub fn thumbprint(&self) -> String {
        hex(&self.thumbprint)
    }

    /// The signed assertion for `audience` (the token endpoint URL).
    fn assertion(&self, audience: &str) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = serde_json::json!({
            "alg": "RS256",
            "typ": "JWT",
            "x5t": URL_SAFE_NO_PAD.encode(self.thumbprint),
        });
        let claims = serde_json::json!({
            "aud": audience,
            "iss": self.client_id,
            "sub": self.client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECS,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.key.sign(signing_input.as_bytes()).to_vec();
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

impl TokenCredential for ClientCertificateCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            let authority = self.authority.as_deref().unwrap_or(request.authority);
            let url = token_url(authority, &self.tenant_id);
            let assertion = self.assertion(&url);
            request_token_with_assertion(
                request.http,
                &url,
                &self.client_id,
                &assertion,
                request.scopes,
            )
            .await
        })
    }

    fn authority<'a>(&'a self, cloud_authority: &'a str) -> Option<&'a str> {
        Some(self.authority.as_deref().unwrap_or(cloud_authority))
    }

    fn cache_key(&self) -> String {
        format!(
            "certificate|{}|{}|{}",
            self.tenant_id,
            self.client_id,
            self.thumbprint()
        )
    }
}
