//! What a test configures: apps and their permissions, throttling limits, faults.

use std::time::Duration;

use graphwire_core::Secret;
use graphwire_core::meta::ServiceLimits;

/// An app registration the emulator's token endpoint knows.
#[derive(Debug, Clone)]
pub struct App {
    /// The tenant it signs in to.
    pub tenant_id: String,
    /// Its client id.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: Secret,
    /// Application permissions granted (the token's `roles`).
    pub roles: Vec<String>,
    /// Delegated permissions a user grants through the device code flow (the token's `scp`).
    pub delegated: Vec<String>,
    /// The registered certificate, for client assertions.
    pub certificate: Option<AppCertificate>,
    /// Token polls answered `authorization_pending` before the simulated user approves a
    /// device code.
    pub device_code_polls: u32,
    /// Federated credentials (issuer, subject): another provider's tokens it accepts as client
    /// assertions (workload identity).
    pub federated: Vec<(String, String)>,
}

/// A certificate registered for an app: its public key and SHA-1 thumbprint.
#[derive(Debug, Clone)]
pub struct AppCertificate {
    pub(crate) public_key: rsa::RsaPublicKey,
    pub(crate) thumbprint: Vec<u8>,
}

impl App {
    /// A client-secret credential that signs in as this app (to any emulator that knows it).
    pub fn credential(&self) -> graphwire_core::ClientSecretCredential {
        graphwire_core::ClientSecretCredential::new(
            self.tenant_id.clone(),
            self.client_id.clone(),
            self.client_secret.clone(),
        )
    }

    /// An app with no permissions yet.
    pub fn new(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self {
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            roles: Vec::new(),
            delegated: Vec::new(),
            certificate: None,
            device_code_polls: 1,
            federated: Vec::new(),
        }
    }

    /// Trusts tokens of `issuer` about `subject` as this app's client assertion (a federated
    /// credential, as workload identity on AKS or GitHub Actions uses): make one with
    /// [`Emulator::federated_token`](crate::Emulator::federated_token).
    pub fn with_federated_credential(
        mut self,
        issuer: impl Into<String>,
        subject: impl Into<String>,
    ) -> Self {
        self.federated.push((issuer.into(), subject.into()));
        self
    }

    /// Grants delegated permissions for device code sign-ins.
    pub fn with_delegated<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.delegated.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// Registers a certificate: its public key (`-----BEGIN PUBLIC KEY-----` PEM) and SHA-1
    /// thumbprint (hex, colons allowed). Assertions signed with the matching private key are
    /// accepted.
    pub fn with_certificate(
        mut self,
        public_key_pem: &str,
        thumbprint_hex: &str,
    ) -> Result<Self, String> {
        use rsa::pkcs8::DecodePublicKey;
        let public_key = rsa::RsaPublicKey::from_public_key_pem(public_key_pem)
            .map_err(|e| format!("not a PEM public key: {e}"))?;
        let digits: String = thumbprint_hex
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect();
        if digits.len() != 40 {
            return Err(format!(
                "a SHA-1 thumbprint has 40 hex digits, got `{thumbprint_hex}`"
            ));
        }
        let thumbprint = (0..20)
            .map(|i| u8::from_str_radix(&digits[i * 2..i * 2 + 2], 16).map_err(|e| e.to_string()))
            .collect::<Result<Vec<u8>, String>>()?;
        self.certificate = Some(AppCertificate {
            public_key,
            thumbprint,
        });
        Ok(self)
    }

    /// How many token polls a device code stays pending before it is approved.
    pub fn approving_device_codes_after(mut self, polls: u32) -> Self {
        self.device_code_polls = polls;
        self
    }

    /// Grants application permissions.
    pub fn with_roles<I, S>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.roles.extend(roles.into_iter().map(Into::into));
        self
    }
}

/// A managed identity the emulator's IMDS and App Service endpoints hand tokens for: an app
/// (its roles are the token's) that is the host's own identity, or a user-assigned one with
/// its Azure resource id.
#[derive(Debug, Clone)]
pub(crate) struct HostIdentity {
    pub client_id: String,
    /// `None` for the system-assigned identity.
    pub resource_id: Option<String>,
}

/// What one client may take of the emulator, so that a slow, greedy or idle client cannot
/// starve the others (the emulator is a server others point their clients at).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientLimits {
    /// A request's headers must arrive within this (slow clients are cut off); it also closes
    /// keep-alive connections idle that long. Default: off in-process, where a test that
    /// jumps a paused clock would otherwise see its pooled connections closed under it (idle
    /// and slow connections are still bounded by `max_connections`); the `intune-emulator`
    /// binary sets [`ClientLimits::server`]'s 30 s.
    pub header_timeout: Option<Duration>,
    /// A request's body must arrive within this. Default: 30 s.
    pub body_timeout: Duration,
    /// The largest request body: Graph takes at most 4 MB. Larger ones are answered 413.
    pub max_body_bytes: usize,
    /// The most open connections; a new one closes the connection idle the longest. Default:
    /// 4,096.
    pub max_connections: usize,
    /// The most bytes of request line and headers. Default: 64 KiB.
    pub max_header_bytes: usize,
}

impl Default for ClientLimits {
    fn default() -> Self {
        Self {
            header_timeout: None,
            body_timeout: Duration::from_secs(30),
            max_body_bytes: 4 * 1024 * 1024,
            max_connections: 4096,
            max_header_bytes: 64 * 1024,
        }
    }
}

impl ClientLimits {
    /// The limits of a standalone server others point their clients at: the defaults with a
    /// 30 s header timeout.
    pub fn server() -> Self {
        Self {
            header_timeout: Some(Duration::from_secs(30)),
            ..Self::default()
        }
    }
}

/// Request limits per sliding window, per tenant and per app in a tenant. The emulator knows no
/// service's limits: the declaring crate ships them as [`ServiceLimits`], and
/// `Throttling::from(limits)` takes them (graphwire-intune's `overlay::limits::INTUNE_LIMITS`).
#[derive(Debug, Clone, PartialEq)]
pub struct Throttling {
    /// The window the counts apply to.
    pub window: Duration,
    /// POST, PUT, PATCH, DELETE per app per tenant.
    pub app_writes: u32,
    /// POST, PUT, PATCH, DELETE per tenant, all apps.
    pub tenant_writes: u32,
    /// Any request per app per tenant.
    pub app_any: u32,
    /// Any request per tenant, all apps.
    pub tenant_any: u32,
}

impl From<ServiceLimits> for Throttling {
    fn from(limits: ServiceLimits) -> Self {
        Self {
            window: limits.window,
            app_writes: limits.app_writes,
            tenant_writes: limits.tenant_writes,
            app_any: limits.app_any,
            tenant_any: limits.tenant_any,
        }
    }
}

impl Throttling {
    /// The same limits over a shorter window (a test runs in less time, at the same rate
    /// ratio): `scaled(0.1)` allows 10 writes per app in 2 s.
    pub fn scaled(&self, factor: f64) -> Self {
        let scale = |n: u32| ((f64::from(n) * factor).round() as u32).max(1);
        Self {
            window: self.window.mul_f64(factor),
            app_writes: scale(self.app_writes),
            tenant_writes: scale(self.tenant_writes),
            app_any: scale(self.app_any),
            tenant_any: scale(self.tenant_any),
        }
    }
}

/// One kind of injected failure.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// An error status with a Graph error body (429 and 503 carry `Retry-After: 1`).
    Status(u16),
    /// A 502 with an HTML page, as a gateway sends.
    HtmlErrorPage,
    /// Headers promise a body, then the connection is cut before any of it.
    ResetBeforeBody,
    /// Half the body, then the connection is cut.
    TruncatedBody,
    /// The connection is closed without any response.
    DropConnection,
}

/// Seeded, reproducible fault injection.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// The random seed: the same seed and requests give the same faults.
    pub seed: u64,
    /// Probability (0..=1) that a request gets a fault.
    pub rate: f64,
    /// The faults to pick from, uniformly.
    pub pool: Vec<Fault>,
    /// Latency added to every request this plan applies to.
    pub latency: Option<Duration>,
    /// Only requests whose path (after the version) starts with this.
    pub path_prefix: Option<String>,
}

impl FaultPlan {
    /// Faults at `rate`, picked from the usual status pool (429, 500, 502, 503, 504).
    pub fn new(seed: u64, rate: f64) -> Self {
        Self {
            seed,
            rate,
            pool: [429, 500, 502, 503, 504]
                .into_iter()
                .map(Fault::Status)
                .collect(),
            latency: None,
            path_prefix: None,
        }
    }

    /// Picks from these faults instead.
    pub fn with_pool(mut self, pool: Vec<Fault>) -> Self {
        self.pool = pool;
        self
    }

    /// Adds latency to every request the plan applies to.
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = Some(latency);
        self
    }

    /// Applies only under this path, e.g. `/deviceManagement/deviceCompliancePolicies`.
    pub fn on_path(mut self, prefix: impl Into<String>) -> Self {
        self.path_prefix = Some(prefix.into());
        self
    }
}

/// Faults of staged uploads, set with the builder
/// ([`EmulatorBuilder::upload_faults`](crate::EmulatorBuilder::upload_faults)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadFaults {
    /// The first this many Put Block requests are answered 500 (the client retries them).
    pub failing_blocks: usize,
    /// After this many accepted blocks, the session's SAS URL has expired (403) until the
    /// client renews it.
    pub expire_after_blocks: Option<usize>,
    /// Every commit fails (`commitFileFailed`), whatever was uploaded.
    pub fail_commits: bool,
}

impl UploadFaults {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// The first `n` Put Block requests are answered 500.
    pub fn failing_blocks(mut self, n: usize) -> Self {
        self.failing_blocks = n;
        self
    }

    /// The SAS URL expires after `n` accepted blocks, until renewed.
    pub fn expire_after_blocks(mut self, n: usize) -> Self {
        self.expire_after_blocks = Some(n);
        self
    }

    /// Every commit fails.
    pub fn fail_commits(mut self) -> Self {
        self.fail_commits = true;
        self
    }
}
