//! Managed identity: the token an Azure host hands its own workload, from Azure VMs' and
//! scale sets' instance metadata service (IMDS) or App Service's and Functions' identity
//! endpoint.

use std::time::{Duration, SystemTime};

use futures_core::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::identity_endpoint::{get, resource_of};
use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::AuthError;
use crate::redact::{quote, quote_bytes};
use crate::retry::{Classifier, Retries, RetryPolicy};
use crate::secret::Secret;
use crate::types::Int64;

/// Azure's instance metadata service, as every VM sees it.
const IMDS_TOKEN_PATH: &str = "/metadata/identity/oauth2/token";
const IMDS_HOST: &str = "http://169.254.169.254";
/// How many times IMDS is asked again after 404, 410, 429 or 5xx (it answers them while the
/// identity is being set up or under load, as Azure Identity documents), and the first wait.
const IMDS_RETRIES: u32 = 3;
const IMDS_FIRST_WAIT: Duration = Duration::from_secs(1);

/// Which managed identity of the host to use.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManagedIdentity {
    /// The host's own (system-assigned) identity.
    SystemAssigned,
    /// A user-assigned identity, by its client (application) id.
    ClientId(String),
    /// A user-assigned identity, by its Azure resource id
    /// (`/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…`).
    ResourceId(String),
}

/// Where the host serves tokens.
#[derive(Debug, Clone)]
enum Source {
    /// App Service and Functions: `IDENTITY_ENDPOINT`, with `IDENTITY_HEADER` proving the
    /// caller runs on the host.
    AppService { endpoint: String, header: Secret },
    /// A VM's IMDS (`AZURE_POD_IDENTITY_AUTHORITY_HOST` moves it, as Azure Identity allows).
    Imds { endpoint: String },
    /// An Azure Arc-enabled server: `IDENTITY_ENDPOINT` with `IMDS_ENDPOINT`. It answers a
    /// first request with a challenge naming a key file only a local administrator (or the
    /// agent's group) can read; the key proves the caller runs on the machine.
    Arc {
        endpoint: String,
        /// Where the agent writes its keys: a challenge naming a file elsewhere is refused.
        key_directory: std::path::PathBuf,
    },
}

/// The Arc agent's key directory, as Azure Identity checks it.
fn arc_key_directory() -> std::path::PathBuf {
    if cfg!(windows) {
        let data = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        std::path::PathBuf::from(data)
            .join("AzureConnectedMachineAgent")
            .join("Tokens")
    } else {
        std::path::PathBuf::from("/var/opt/azcmagent/tokens")
    }
}

/// The largest Arc key file read (the agent's are a few dozen bytes).
const MAX_ARC_KEY_BYTES: u64 = 4096;

/// The token of an Azure host's managed identity: no secret to keep, the host proves who
/// the workload is.
///
/// Where it asks, from the environment as Azure Identity reads it: `IDENTITY_ENDPOINT` and
/// `IDENTITY_HEADER` (App Service, Functions; API version 2019-08-01), or `IDENTITY_ENDPOINT`
/// and `IMDS_ENDPOINT` (Azure Arc; API version 2020-06-01, the challenge's key file read only
/// from the agent's directory, system-assigned only), else IMDS at
/// `http://169.254.169.254/metadata/identity/oauth2/token` (VMs and scale sets; API version
/// 2018-02-01, the host given by `AZURE_POD_IDENTITY_AUTHORITY_HOST` if set). IMDS is asked
/// again up to 3 times (1 s, 2 s, 4 s apart) after 404, 410, 429 and 5xx.
///
/// Nothing is sent to the login authority, and the identity header only to an https or a
/// loopback endpoint. A host without a managed identity (no endpoint answers, or IMDS has no
/// identity for this VM) is [`AuthError::unavailable`].
///
/// An answer with a token but neither `expires_on` nor `expires_in` is refused, as Azure
/// Identity refuses it: a token of unknown lifetime could only be used until Graph refused it.
/// An error answer is quoted with tokens and secrets redacted.
///
/// ```no_run
/// use graphwire_core::GraphClient;
/// use graphwire_core::auth::{ManagedIdentity, ManagedIdentityCredential};
/// # fn build() -> graphwire_core::Result<GraphClient> {
/// let client = GraphClient::builder()
///     .credential(ManagedIdentityCredential::new(ManagedIdentity::ClientId("0f9e…".into())))
///     .build()?;
/// # Ok(client) }
/// ```
#[derive(Debug, Clone)]
pub struct ManagedIdentityCredential {
    identity: ManagedIdentity,
    source: Source,
    /// How long the first IMDS request may take before the host counts as having none (a
    /// chain probing a machine that is not on Azure); `None` for no limit of its own.
    probe_timeout: Option<Duration>,
}

impl ManagedIdentityCredential {
    /// The identity, asked for where the environment says.
    pub fn new(identity: ManagedIdentity) -> Self {
        Self::from_lookup(identity, |name| {
            std::env::var(name).ok().filter(|v| !v.is_empty())
        })
    }

    /// Same as [`ManagedIdentityCredential::new`], reading the environment from `lookup` (for
    /// tests, and hosts that pass settings another way).
    pub fn from_lookup(identity: ManagedIdentity, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let source = match (
            lookup("IDENTITY_ENDPOINT"),
            lookup("IDENTITY_HEADER"),
            lookup("IMDS_ENDPOINT"),
        ) {
            (Some(endpoint), Some(header), _) => Source::AppService {
                endpoint,
                header: Secret::new(header),
            },
            (Some(endpoint), None, Some(_)) => Source::Arc {
                endpoint,
                key_directory: arc_key_directory(),
            },
            _ => {
                let host = lookup("AZURE_POD_IDENTITY_AUTHORITY_HOST")
                    .unwrap_or_else(|| IMDS_HOST.to_owned());
                Source::Imds {
                    endpoint: format!("{}{IMDS_TOKEN_PATH}", host.trim_end_matches('/')),
                }
            }
        };
        Self {
            identity,
            source,
            probe_timeout: None,
        }
    }

    /// Gives IMDS `timeout` to answer the first request before the host counts as having no
    /// managed identity ([`DefaultAzureCredential`](super::DefaultAzureCredential) probes
    /// with 1 s, so a machine that is not on Azure moves on quickly).
    pub fn with_probe_timeout(mut self, timeout: Duration) -> Self {
        self.probe_timeout = Some(timeout);
        self
    }

    /// The query parameters naming a user-assigned identity (`resource_id_name` differs:
    /// `msi_res_id` for IMDS, `mi_res_id` for App Service).
    fn identity_query<'a>(&'a self, resource_id_name: &'a str) -> Option<(&'a str, &'a str)> {
        match &self.identity {
            ManagedIdentity::SystemAssigned => None,
            ManagedIdentity::ClientId(id) => Some(("client_id", id.as_str())),
            ManagedIdentity::ResourceId(id) => Some((resource_id_name, id.as_str())),
        }
    }

    async fn imds(
        &self,
        endpoint: &str,
        resource: &str,
        http: &reqwest::Client,
    ) -> Result<AccessToken, AuthError> {
        let mut url = parse(endpoint, "the IMDS endpoint")?;
        url.query_pairs_mut()
            .append_pair("api-version", "2018-02-01")
            .append_pair("resource", resource)
            .extend_pairs(self.identity_query("msi_res_id"));
        let headers = [("Metadata", "true")];
        // The one retry engine, with IMDS's own statuses and waits (1 s, 2 s, 4 s).
        let mut retries = Retries::new(
            RetryPolicy::default()
                .with_max_retries(IMDS_RETRIES)
                .with_base_delay(IMDS_FIRST_WAIT)
                .without_jitter()
                .without_deadline(),
            None,
        );
        loop {
            let timeout = if retries.made() == 0 {
                self.probe_timeout
            } else {
                None
            };
            let answer = get(
                http,
                "the managed identity endpoint (IMDS)",
                &url,
                &headers,
                timeout,
            )
            .await
            // No IMDS here: not an Azure VM.
            .map_err(|e| AuthError::unavailable(e.message))?;
            if Classifier::Imds.retries(answer.status)
                && let Ok(wait) = retries.next(None)
            {
                tokio::time::sleep(wait).await;
                continue;
            }
            if answer.status == 400 {
                // IMDS's answer when this VM has no such identity.
                return Err(AuthError::unavailable(format!(
                    "IMDS has no managed identity {} for this host: {}",
                    self.describe(),
                    error_text(&answer.body)
                )));
            }
            return read_answer(answer.status, &answer.body, "IMDS");
        }
    }

    async fn app_service(
        &self,
        endpoint: &str,
        header: &Secret,
        resource: &str,
        http: &reqwest::Client,
    ) -> Result<AccessToken, AuthError> {
        let mut url = parse(endpoint, "IDENTITY_ENDPOINT")?;
        // The header proves the caller runs on the host: it goes only over TLS or to loopback.
        crate::url_policy::check_credential_destination(url.as_str())
            .map_err(|e| AuthError::new(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("api-version", "2019-08-01")
            .append_pair("resource", resource)
            .extend_pairs(self.identity_query("mi_res_id"));
        let answer = get(
            http,
            "the managed identity endpoint (IDENTITY_ENDPOINT)",
            &url,
            &[("X-IDENTITY-HEADER", header.expose())],
            None,
        )
        .await?;
        read_answer(answer.status, &answer.body, "IDENTITY_ENDPOINT")
    }

    async fn arc(
        &self,
        endpoint: &str,
        key_directory: &std::path::Path,
        resource: &str,
        http: &reqwest::Client,
    ) -> Result<AccessToken, AuthError> {
        if self.identity != ManagedIdentity::SystemAssigned {
            return Err(AuthError::new(format!(
                "Azure Arc has only the machine's system-assigned identity, not one {}",
                self.describe()
            )));
        }
        let mut url = parse(endpoint, "IDENTITY_ENDPOINT")?;
        url.query_pairs_mut()
            .append_pair("api-version", "2020-06-01")
            .append_pair("resource", resource);
        let what = "the managed identity endpoint (Azure Arc)";
        let challenge = get(http, what, &url, &[("Metadata", "true")], None).await?;
        if challenge.status != 401 {
            return Err(AuthError {
                status: Some(challenge.status),
                ..AuthError::new(format!(
                    "Azure Arc answered {} where it challenges with 401: {}",
                    challenge.status,
                    error_text(&challenge.body)
                ))
            });
        }
        let realm = challenge
            .www_authenticate
            .as_deref()
            .and_then(|value| value.split_once("Basic realm="))
            .map(|(_, path)| path.trim().trim_matches('"'))
            .ok_or_else(|| {
                AuthError::new(
                    "Azure Arc's challenge names no key file (`WWW-Authenticate: Basic realm=…`)",
                )
            })?;
        let key = read_arc_key(realm, key_directory).await?;
        let answer = get(
            http,
            what,
            &url,
            &[
                ("Metadata", "true"),
                ("Authorization", &format!("Basic {}", key.expose())),
            ],
            None,
        )
        .await?;
        read_answer(answer.status, &answer.body, "Azure Arc")
    }

    fn describe(&self) -> String {
        match &self.identity {
            ManagedIdentity::SystemAssigned => "(system-assigned)".into(),
            ManagedIdentity::ClientId(id) => format!("with client id {id}"),
            ManagedIdentity::ResourceId(id) => format!("with resource id {id}"),
        }
    }
}

impl TokenCredential for ManagedIdentityCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            let resource = resource_of(request.scopes)?;
            match &self.source {
                Source::Imds { endpoint } => self.imds(endpoint, &resource, request.http).await,
                Source::AppService { endpoint, header } => {
                    self.app_service(endpoint, header, &resource, request.http)
                        .await
                }
                Source::Arc {
                    endpoint,
                    key_directory,
                } => {
                    self.arc(endpoint, key_directory, &resource, request.http)
                        .await
                }
            }
        })
    }

    /// Sends nothing to the login authority.
    fn authority<'a>(&'a self, _cloud_authority: &'a str) -> Option<&'a str> {
        None
    }

    fn cache_key(&self) -> String {
        format!("managed_identity|{:?}", self.identity)
    }
}

/// The key file an Arc challenge names, read only if it is a `.key` file of at most
/// [`MAX_ARC_KEY_BYTES`] directly in the agent's directory (a challenge from anything else
/// could otherwise make the client read and send any file).
async fn read_arc_key(realm: &str, key_directory: &std::path::Path) -> Result<Secret, AuthError> {
    let path = std::path::Path::new(realm);
    let refused = |why: &str| {
        AuthError::new(format!(
            "Azure Arc's challenge names the key file {realm}, which {why}; keys are read only from {}",
            key_directory.display()
        ))
    };
    if path.parent() != Some(key_directory) {
        return Err(refused("is not in the agent's key directory"));
    }
    if path.extension().and_then(|e| e.to_str()) != Some("key") {
        return Err(refused("is not a .key file"));
    }
    let mut key = super::local_file::read_small_file_async(
        path.to_owned(),
        MAX_ARC_KEY_BYTES,
        "the Azure Arc key file",
    )
    .await?;
    let secret = Secret::new(key.trim());
    zeroize::Zeroize::zeroize(&mut key);
    Ok(secret)
}

fn parse(endpoint: &str, what: &str) -> Result<Url, AuthError> {
    Url::parse(endpoint).map_err(|e| {
        AuthError::new(format!(
            "{what} `{}` is not a URL: {e}",
            endpoint.chars().take(200).collect::<String>()
        ))
    })
}

#[derive(Deserialize)]
struct Answer {
    access_token: Option<String>,
    /// Seconds since 1970, as a string (IMDS, App Service) or a number.
    expires_on: Option<Int64>,
    /// Seconds from now (IMDS also sends it).
    expires_in: Option<Int64>,
}

/// A managed identity endpoint's answer: the token and its expiry, or what it said.
pub(crate) fn read_answer(status: u16, body: &[u8], what: &str) -> Result<AccessToken, AuthError> {
    if !(200..300).contains(&status) {
        return Err(AuthError {
            status: Some(status),
            ..AuthError::new(format!("{what} answered {status}: {}", error_text(body)))
        });
    }
    let answer: Answer = serde_json::from_slice(body).map_err(|_| AuthError {
        status: Some(status),
        ..AuthError::new(format!(
            "{what} answered {status} with a body that is not a token response"
        ))
    })?;
    let Some(token) = answer.access_token.filter(|t| !t.is_empty()) else {
        return Err(AuthError {
            status: Some(status),
            ..AuthError::new(format!("{what} answered {status} without an access_token"))
        });
    };
    let expires_at = match (answer.expires_on, answer.expires_in) {
        (Some(on), _) => {
            SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(on.0.max(0) as u64))
        }
        (None, Some(lifetime)) => {
            SystemTime::now().checked_add(Duration::from_secs(lifetime.0.max(0) as u64))
        }
        // Kept, such a token would be used until Graph refused it; Azure Identity refuses
        // the answer too.
        (None, None) => {
            return Err(AuthError {
                status: Some(status),
                ..AuthError::new(format!(
                    "{what} answered {status} with a token but neither expires_on nor expires_in: refused, since a token of unknown lifetime cannot be refreshed in time"
                ))
            });
        }
    };
    Ok(AccessToken {
        token: Secret::new(token),
        expires_at,
    })
}

/// `error` and `error_description` of an identity endpoint's error body, or a short excerpt;
/// either quoted as any text from outside is, so a token in the body is never shown.
fn error_text(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: Option<String>,
        error_description: Option<String>,
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody {
            error: Some(error),
            error_description,
        }) => match error_description {
            Some(description) => quote(&format!("{error}: {description}"), 1000),
            None => quote(&error, 1000),
        },
        _ => quote_bytes(body, 200),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expiry_is_read_from_expires_on_in_either_spelling() {
        let token = read_answer(
            200,
            br#"{"access_token":"t","expires_on":"1700000000"}"#,
            "IMDS",
        )
        .unwrap();
        assert_eq!(
            token.expires_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        let token = read_answer(
            200,
            br#"{"access_token":"t","expires_on":1700000000}"#,
            "IMDS",
        )
        .unwrap();
        assert_eq!(
            token.expires_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
    }

    #[test]
    fn error_answers_say_what_the_endpoint_said_and_never_the_body_of_a_token() {
        let error = read_answer(
            500,
            br#"{"error":"unknown","error_description":"busy"}"#,
            "IDENTITY_ENDPOINT",
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "IDENTITY_ENDPOINT answered 500: unknown: busy"
        );
        assert_eq!(error.status, Some(500));
        let error = read_answer(200, br#"{"access_token":""}"#, "IMDS").unwrap_err();
        assert_eq!(error.message, "IMDS answered 200 without an access_token");
    }

    #[test]
    fn a_token_in_an_error_answer_is_never_quoted() {
        // IMDS answering 403 with a token's body, no `error` member: the excerpt is redacted.
        let error = read_answer(
            403,
            br#"{"access_token": "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.sig", "expires_in": "3599", "resource": "https://graph.microsoft.com"}"#,
            "IMDS",
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            r#"IMDS answered 403: {"access_token": "<redacted>", "expires_in": "3599", "resource": "https://graph.microsoft.com"}"#
        );
        // A JWT quoted in the description is taken out too.
        let error = read_answer(
            400,
            br#"{"error":"invalid_request","error_description":"token eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2ln was refused"}"#,
            "IDENTITY_ENDPOINT",
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "IDENTITY_ENDPOINT answered 400: invalid_request: token <redacted> was refused"
        );
    }

    #[test]
    fn a_token_without_an_expiry_is_refused() {
        let error = read_answer(
            200,
            br#"{"access_token":"t","resource":"https://graph.microsoft.com","token_type":"Bearer"}"#,
            "IMDS",
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "IMDS answered 200 with a token but neither expires_on nor expires_in: refused, since a token of unknown lifetime cannot be refreshed in time"
        );
        assert_eq!(error.status, Some(200));
    }

    /// An Arc credential whose agent key directory is `dir` (the real one is a system path).
    fn arc_at(endpoint: String, dir: &std::path::Path) -> ManagedIdentityCredential {
        let mut credential =
            ManagedIdentityCredential::from_lookup(ManagedIdentity::SystemAssigned, |n| match n {
                "IDENTITY_ENDPOINT" => Some(endpoint.clone()),
                "IMDS_ENDPOINT" => Some("http://127.0.0.1:40342".into()),
                _ => None,
            });
        let Source::Arc { key_directory, .. } = &mut credential.source else {
            panic!("expected Arc, got {:?}", credential.source)
        };
        *key_directory = dir.to_path_buf();
        credential
    }

    /// A Graph token from `credential`.
    async fn arc_token(credential: &ManagedIdentityCredential) -> Result<AccessToken, AuthError> {
        let scopes = ["https://graph.microsoft.com/.default".to_owned()];
        // No idle-connection timer: tokio's paused clock would jump to it.
        let http = reqwest::Client::builder()
            .pool_idle_timeout(None)
            .build()
            .unwrap();
        credential
            .get_token(TokenRequest {
                scopes: &scopes,
                authority: "https://login.microsoftonline.com/",
                http: &http,
            })
            .await
    }

    #[tokio::test]
    async fn azure_arc_answers_its_challenge_with_the_agents_key_file() {
        use wiremock::matchers::{header, method, path, query_param};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        let dir = std::env::temp_dir().join(format!("graphwire-arc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key = dir.join("machine.key");
        std::fs::write(&key, "arc-secret\n").unwrap();
        Mock::given(method("GET"))
            .and(path("/metadata/identity/oauth2/token"))
            .and(header("authorization", "Basic arc-secret"))
            .and(header("metadata", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "arc-token", "expires_on": "1700000000", "token_type": "Bearer"
            })))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/metadata/identity/oauth2/token"))
            .and(query_param("api-version", "2020-06-01"))
            .and(query_param("resource", "https://graph.microsoft.com"))
            .respond_with(ResponseTemplate::new(401).insert_header(
                "WWW-Authenticate",
                format!("Basic realm={}", key.display()).as_str(),
            ))
            .mount(&server)
            .await;
        let endpoint = format!("{}/metadata/identity/oauth2/token", server.uri());
        let token = arc_token(&arc_at(endpoint.clone(), &dir)).await.unwrap();
        assert_eq!(token.token.expose(), "arc-token");
        assert_eq!(server.received_requests().await.unwrap().len(), 2);

        // A challenge naming a file outside the agent's directory is not read.
        let elsewhere = arc_at(endpoint, &dir.join("other"));
        let error = arc_token(&elsewhere).await.unwrap_err();
        assert_eq!(
            error.message,
            format!(
                "Azure Arc's challenge names the key file {}, which is not in the agent's key directory; keys are read only from {}",
                key.display(),
                dir.join("other").display()
            )
        );
        let user_assigned = ManagedIdentityCredential {
            identity: ManagedIdentity::ClientId("c".into()),
            ..arc_at(String::new(), &dir)
        };
        assert_eq!(
            arc_token(&user_assigned).await.unwrap_err().message,
            "Azure Arc has only the machine's system-assigned identity, not one with client id c"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn imds_is_asked_again_after_410_and_5xx_with_doubling_waits() {
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/metadata/identity/oauth2/token"))
            .respond_with(ResponseTemplate::new(410))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/metadata/identity/oauth2/token"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/metadata/identity/oauth2/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "vm-token", "expires_in": "3599"
            })))
            .mount(&server)
            .await;
        let uri = server.uri();
        let credential =
            ManagedIdentityCredential::from_lookup(ManagedIdentity::SystemAssigned, |n| {
                (n == "AZURE_POD_IDENTITY_AUTHORITY_HOST").then(|| uri.clone())
            });
        let started = tokio::time::Instant::now();
        let token = arc_token(&credential).await.unwrap();
        assert_eq!(token.token.expose(), "vm-token");
        assert_eq!(started.elapsed(), Duration::from_secs(3), "1 s, then 2 s");
        assert_eq!(server.received_requests().await.unwrap().len(), 3);

        // Past the retries, the last answer is the error.
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&server)
            .await;
        let error = arc_token(&credential).await.unwrap_err();
        assert_eq!(error.status, Some(500));
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            4,
            "1 + 3 retries"
        );
    }

    #[test]
    fn the_environment_picks_the_endpoint() {
        let app_service =
            ManagedIdentityCredential::from_lookup(ManagedIdentity::SystemAssigned, |n| match n {
                "IDENTITY_ENDPOINT" => Some("http://127.0.0.1:41234/msi/token".into()),
                "IDENTITY_HEADER" => Some("h".into()),
                _ => None,
            });
        assert!(matches!(app_service.source, Source::AppService { .. }));
        // The header never shows.
        assert!(!format!("{app_service:?}").contains("\"h\""));
        let imds =
            ManagedIdentityCredential::from_lookup(ManagedIdentity::SystemAssigned, |_| None);
        let Source::Imds { endpoint } = &imds.source else {
            panic!("expected IMDS")
        };
        assert_eq!(
            endpoint,
            "http://169.254.169.254/metadata/identity/oauth2/token"
        );
        let moved = ManagedIdentityCredential::from_lookup(ManagedIdentity::SystemAssigned, |n| {
            (n == "AZURE_POD_IDENTITY_AUTHORITY_HOST").then(|| "http://127.0.0.1:9/".into())
        });
        let Source::Imds { endpoint } = &moved.source else {
            panic!("expected IMDS")
        };
        assert_eq!(
            endpoint,
            "http://127.0.0.1:9/metadata/identity/oauth2/token"
        );
    }
}
