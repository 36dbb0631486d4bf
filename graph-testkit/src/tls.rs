//! The emulator's HTTPS mode: a certificate authority made at start, and a certificate it
//! signs for `127.0.0.1` and `localhost`. A client trusts the emulator by trusting the CA
//! alone (`NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`, or
//! `GraphClientBuilder::add_root_certificate`), never by turning verification off.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA made for this run and a certificate it signed for `127.0.0.1` and `localhost`: what
/// the emulator's HTTPS mode serves, and what a test's own HTTPS server on loopback can serve
/// ([`LoopbackTls::acceptor`]) for clients that trust [`LoopbackTls::ca_pem`].
pub struct LoopbackTls {
    ca_pem: String,
    server: Arc<rustls::ServerConfig>,
}

impl std::fmt::Debug for LoopbackTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackTls").finish_non_exhaustive()
    }
}

impl LoopbackTls {
    /// The CA certificate, PEM: what clients trust.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Accepts TLS on a loopback connection with the signed certificate.
    pub fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(Arc::clone(&self.server))
    }

    /// Makes the CA and the server certificate (new keys every time: nothing to leak). The
    /// error says which step failed.
    pub fn generate() -> Result<Self, String> {
        let failed = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
        let ca_key = KeyPair::generate().map_err(|e| failed("CA key", &e))?;
        let mut ca = CertificateParams::default();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        // A name of its own per run: clients that trust several emulators at once (one bundle
        // in NODE_EXTRA_CA_CERTS) find each server's issuer by name.
        ca.distinguished_name.push(
            DnType::CommonName,
            format!("graphwire emulator CA {}", uuid::Uuid::new_v4()),
        );
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_certificate = ca
            .self_signed(&ca_key)
            .map_err(|e| failed("CA certificate", &e))?;

        let server_key = KeyPair::generate().map_err(|e| failed("server key", &e))?;
        let mut server = CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])
            .map_err(|e| failed("server names", &e))?;
        server
            .distinguished_name
            .push(DnType::CommonName, "graphwire emulator");
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let issuer = Issuer::new(ca, ca_key);
        let server_certificate = server
            .signed_by(&server_key, &issuer)
            .map_err(|e| failed("server certificate", &e))?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| failed("TLS versions", &e))?
            .with_no_client_auth()
            .with_single_cert(
                vec![server_certificate.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .map_err(|e| failed("TLS configuration", &e))?;
        Ok(Self {
            ca_pem: ca_certificate.pem(),
            server: Arc::new(config),
        })
    }
}
