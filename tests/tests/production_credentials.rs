//! The credentials of production hosts against the testkit's stand-ins on loopback: managed
//! identity (IMDS and App Service endpoints), workload identity (a federated token file),
//! the Azure CLI (a fake `az`), and the chain that picks among them.

use crate::common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use graphwire_core::auth::{
    AzureCliCredential, DefaultAzureCredential, ManagedIdentity, ManagedIdentityCredential,
    WorkloadIdentityCredential,
};
use graphwire_core::{Error, GraphClient, TokenCredential, TokenRequest};
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::{DeviceCompliancePolicyId, IntuneExt};
use graphwire_testkit::{App, Emulator, FakeAzureCli};

const READ: &str = "DeviceManagementConfiguration.Read.All";
const USER_ASSIGNED: &str = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/intune-bot";

fn host_app() -> App {
    App::new("contoso", "host-identity", "unused").with_roles([READ])
}

fn bot_app() -> App {
    App::new("contoso", "bot-identity", "unused").with_roles([READ])
}

async fn emulator() -> Emulator {
    Emulator::builder()
        .managed_identity(host_app())
        .user_assigned_identity(bot_app(), USER_ASSIGNED)
        .start()
        .await
        .unwrap()
}

fn lookup(vars: &[(&str, String)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    move |name| vars.get(name).cloned()
}

fn client(emulator: &Emulator, credential: impl TokenCredential + 'static) -> GraphClient {
    GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(credential)
        .http_client(common::reqwest_client())
        .build()
        .unwrap()
}

/// Reads the seed policy's overview: proves the token is one Graph (the emulator) takes.
async fn read(client: &GraphClient) -> graphwire_core::Result<()> {
    client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from(SEED_POLICY_ID))
        .await
        .map(|_| ())
}

/// The identity requests the emulator received, as (path, query).
fn identity_requests(emulator: &Emulator) -> Vec<(String, Option<String>)> {
    emulator
        .journal()
        .into_iter()
        .filter(|e| !e.path.starts_with("/v1.0/"))
        .map(|e| (e.path, e.query))
        .collect()
}

fn encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graphwire-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn auth_error(error: Error) -> graphwire_core::AuthError {
    match error {
        Error::Auth(auth) => auth,
        other => panic!("expected an auth error, got {other:?}"),
    }
}

// ---- managed identity ----

#[tokio::test]
async fn imds_gives_the_hosts_own_identity_and_user_assigned_ones() {
    let emulator = emulator().await;
    let resource = emulator.imds_host();
    let at = |identity| {
        ManagedIdentityCredential::from_lookup(
            identity,
            lookup(&[("AZURE_POD_IDENTITY_AUTHORITY_HOST", emulator.imds_host())]),
        )
    };
    read(&client(&emulator, at(ManagedIdentity::SystemAssigned)))
        .await
        .unwrap();
    read(&client(
        &emulator,
        at(ManagedIdentity::ClientId("bot-identity".into())),
    ))
    .await
    .unwrap();
    read(&client(
        &emulator,
        at(ManagedIdentity::ResourceId(USER_ASSIGNED.into())),
    ))
    .await
    .unwrap();
    let base = format!("api-version=2018-02-01&resource={}", encoded(&resource));
    assert_eq!(
        identity_requests(&emulator),
        [
            ("/metadata/identity/oauth2/token".into(), Some(base.clone())),
            (
                "/metadata/identity/oauth2/token".into(),
                Some(format!("{base}&client_id=bot-identity"))
            ),
            (
                "/metadata/identity/oauth2/token".into(),
                Some(format!("{base}&msi_res_id={}", encoded(USER_ASSIGNED)))
            ),
        ]
    );
    let metadata: Vec<Option<String>> = emulator
        .journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/metadata/"))
        .map(|e| {
            e.headers
                .iter()
                .find(|(name, _)| name == "metadata")
                .map(|(_, value)| value.clone())
        })
        .collect();
    assert_eq!(
        metadata,
        [
            Some("true".into()),
            Some("true".into()),
            Some("true".into())
        ]
    );

    // An identity the host does not have: unavailable, so a chain goes on.
    let error = auth_error(
        read(&client(
            &emulator,
            at(ManagedIdentity::ClientId("nobody".into())),
        ))
        .await
        .unwrap_err(),
    );
    assert!(error.unavailable);
    assert_eq!(
        error.message,
        "IMDS has no managed identity with client id nobody for this host: invalid_request: Identity not found"
    );
}

#[tokio::test]
async fn the_token_expiry_is_a_system_time_from_expires_on() {
    let emulator = emulator().await;
    let credential = ManagedIdentityCredential::from_lookup(
        ManagedIdentity::SystemAssigned,
        lookup(&[("AZURE_POD_IDENTITY_AUTHORITY_HOST", emulator.imds_host())]),
    );
    let scopes = [emulator.cloud().scope().to_owned()];
    let http = common::reqwest_client();
    let before = SystemTime::now();
    let token = credential
        .get_token(TokenRequest {
            scopes: &scopes,
            authority: emulator.base_url(),
            http: &http,
        })
        .await
        .unwrap();
    let expires_at = token.expires_at.unwrap();
    // expires_on is in whole seconds from the emulator's clock: within a second of an hour.
    let lifetime = expires_at.duration_since(before).unwrap();
    assert!(
        (Duration::from_secs(3599)..=Duration::from_secs(3601)).contains(&lifetime),
        "{lifetime:?}"
    );
    assert_eq!(format!("{token:?}").matches("<redacted>").count(), 1);
}

#[tokio::test]
async fn app_service_needs_its_identity_header_and_never_sends_it_in_the_clear() {
    let emulator = emulator().await;
    let app_service = |header: &str| {
        ManagedIdentityCredential::from_lookup(
            ManagedIdentity::SystemAssigned,
            lookup(&[
                ("IDENTITY_ENDPOINT", emulator.app_service_endpoint()),
                ("IDENTITY_HEADER", header.to_owned()),
            ]),
        )
    };
    read(&client(&emulator, app_service(emulator.identity_header())))
        .await
        .unwrap();
    assert_eq!(
        identity_requests(&emulator),
        [(
            "/msi/token".into(),
            Some(format!(
                "api-version=2019-08-01&resource={}",
                encoded(&emulator.imds_host())
            ))
        )]
    );
    // The journal keeps no identity header.
    assert!(emulator.journal().iter().all(|e| {
        e.headers
            .iter()
            .all(|(name, _)| name != "x-identity-header")
    }));
    let credential = app_service("wrong");
    assert!(
        !format!("{credential:?}").contains("wrong"),
        "the header never shows"
    );
    let error = auth_error(read(&client(&emulator, credential)).await.unwrap_err());
    assert!(!error.unavailable);
    assert_eq!(error.status, Some(401));
    assert_eq!(
        error.message,
        r#"IDENTITY_ENDPOINT answered 401: {"message":"Unauthorized: the X-IDENTITY-HEADER is missing or wrong.","statusCode":401}"#
    );

    // A plain-http endpoint off this machine would carry the header in the clear.
    let remote = ManagedIdentityCredential::from_lookup(
        ManagedIdentity::SystemAssigned,
        lookup(&[
            (
                "IDENTITY_ENDPOINT",
                "http://identity.example.test/msi/token".into(),
            ),
            ("IDENTITY_HEADER", "h".into()),
        ]),
    );
    let error = auth_error(read(&client(&emulator, remote)).await.unwrap_err());
    assert_eq!(
        error.message,
        "refused to send to http://identity.example.test/msi/token: a client secret, client assertion or device code is sent only over https (plain http only to loopback addresses)"
    );
}

// ---- workload identity ----

#[tokio::test]
async fn a_federated_token_file_is_the_client_assertion() {
    let issuer = "https://oidc.prod-aks.azure.com/tenant/cluster/";
    let subject = "system:serviceaccount:intune:bot";
    let app = App::new("contoso", "aks-bot", "unused")
        .with_roles([READ])
        .with_federated_credential(issuer, subject);
    let emulator = Emulator::builder().app(app).start().await.unwrap();
    let dir = scratch_dir("workload-identity");
    let file = dir.join("token");
    std::fs::write(&file, emulator.federated_token(issuer, subject)).unwrap();
    let credential = WorkloadIdentityCredential::from_lookup(lookup(&[
        ("AZURE_TENANT_ID", "contoso".into()),
        ("AZURE_CLIENT_ID", "aks-bot".into()),
        ("AZURE_FEDERATED_TOKEN_FILE", file.display().to_string()),
        ("AZURE_AUTHORITY_HOST", emulator.base_url().to_owned()),
    ]))
    .unwrap()
    .unwrap();
    read(&client(&emulator, credential.clone())).await.unwrap();
    assert_eq!(
        identity_requests(&emulator),
        [("/contoso/oauth2/v2.0/token".into(), None)]
    );

    // The file is read for each token: a token of another subject is refused.
    std::fs::write(
        &file,
        emulator.federated_token(issuer, "system:serviceaccount:other:app"),
    )
    .unwrap();
    let error = auth_error(read(&client(&emulator, credential)).await.unwrap_err());
    assert_eq!(error.oauth_error.as_deref(), Some("invalid_client"));
    assert_eq!(
        error.message,
        "token endpoint answered 401: invalid_client: AADSTS70021: No matching federated identity record found for presented assertion."
    );
    let missing = WorkloadIdentityCredential::from_lookup(lookup(&[(
        "AZURE_FEDERATED_TOKEN_FILE",
        file.display().to_string(),
    )]))
    .unwrap_err();
    assert_eq!(
        missing.message,
        "AZURE_FEDERATED_TOKEN_FILE is set: set AZURE_TENANT_ID and AZURE_CLIENT_ID too"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

// ---- Azure CLI ----

#[cfg(unix)]
#[tokio::test]
async fn the_azure_cli_account_is_used_as_signed_in() {
    let emulator = Emulator::builder().start().await.unwrap();
    let dir = scratch_dir("azure-cli");
    let expires_on = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let az = FakeAzureCli::signed_in(
        &dir,
        &emulator.access_token(&graphwire_testkit::default_app()),
        expires_on,
    )
    .unwrap();
    // `az` found on the PATH given, as on a machine with the CLI installed.
    let credential = AzureCliCredential::new()
        .with_search_path(az.folder())
        .with_tenant("contoso");
    read(&client(&emulator, credential)).await.unwrap();
    assert_eq!(
        az.last_arguments(),
        [
            "account",
            "get-access-token",
            "--output",
            "json",
            "--resource",
            emulator.imds_host().as_str(),
            "--tenant",
            "contoso"
        ]
    );

    let signed_out = FakeAzureCli::signed_out(&dir).unwrap();
    let error = auth_error(
        read(&client(
            &emulator,
            AzureCliCredential::new().with_program(signed_out.program()),
        ))
        .await
        .unwrap_err(),
    );
    assert!(error.unavailable);
    assert_eq!(
        error.message,
        "the Azure CLI failed (exit status: 1): ERROR: Please run 'az login' to setup account."
    );
    let absent = AzureCliCredential::new().with_program(dir.join("no-such-az"));
    let error = auth_error(read(&client(&emulator, absent)).await.unwrap_err());
    assert!(error.unavailable);
    assert_eq!(
        error.message,
        format!(
            "the Azure CLI (`{}`) is not installed: install it and run `az login`, or use another credential",
            dir.join("no-such-az").display()
        )
    );
    std::fs::remove_dir_all(dir).unwrap();
}

// ---- the chain ----

#[tokio::test]
async fn the_chain_passes_over_what_is_not_set_up_and_keeps_what_worked() {
    let emulator = emulator().await;
    // No AZURE_CLIENT_SECRET, no token file: managed identity is the first set up.
    let chain = DefaultAzureCredential::from_lookup(lookup(&[(
        "AZURE_POD_IDENTITY_AUTHORITY_HOST",
        emulator.imds_host(),
    )]))
    .unwrap();
    let client = client(&emulator, chain);
    read(&client).await.unwrap();
    assert_eq!(identity_requests(&emulator).len(), 1);
    assert_eq!(
        identity_requests(&emulator)[0].0,
        "/metadata/identity/oauth2/token"
    );

    // Nothing set up: the error says why each was passed over.
    let nowhere = DefaultAzureCredential::with_credentials(vec![
        Arc::new(
            ManagedIdentityCredential::from_lookup(
                ManagedIdentity::SystemAssigned,
                lookup(&[(
                    "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                    "http://127.0.0.1:1".into(),
                )]),
            )
            .with_probe_timeout(Duration::from_secs(1)),
        ),
        Arc::new(AzureCliCredential::new().with_program("/nonexistent/az")),
    ]);
    let error = auth_error(read(&self::client(&emulator, nowhere)).await.unwrap_err());
    assert!(error.unavailable);
    assert!(
        error.message.starts_with(
            "no credential of the chain is set up here; credential: the managed identity endpoint (IMDS) http://127.0.0.1:1/metadata/identity/oauth2/token unreachable: "
        ),
        "{}",
        error.message
    );
    assert!(
        error.message.ends_with(
            "; credential: the Azure CLI (`/nonexistent/az`) is not installed: install it and run `az login`, or use another credential"
        ),
        "{}",
        error.message
    );

    // Set up and refused: the chain stops there rather than trying a developer's login.
    let wrong_secret = DefaultAzureCredential::from_lookup(lookup(&[
        ("AZURE_TENANT_ID", "contoso".into()),
        ("AZURE_CLIENT_ID", "host-identity".into()),
        ("AZURE_CLIENT_SECRET", "wrong".into()),
        ("AZURE_POD_IDENTITY_AUTHORITY_HOST", emulator.imds_host()),
    ]))
    .unwrap();
    let error = auth_error(
        read(&self::client(&emulator, wrong_secret))
            .await
            .unwrap_err(),
    );
    assert!(!error.unavailable);
    assert_eq!(
        error.message,
        "EnvironmentCredential: token endpoint answered 401: invalid_client: AADSTS7000215: Invalid client secret provided."
    );
}

// ---- the production seam: one binary, Graph or an emulator by the environment ----

#[tokio::test]
async fn the_environment_points_production_code_at_an_emulator_without_linking_it() {
    let emulator = Emulator::builder().start().await.unwrap();
    let app = graphwire_testkit::default_app();
    let env = lookup(&[
        ("GRAPHWIRE_GRAPH_ROOT", emulator.base_url().to_owned()),
        ("AZURE_TENANT_ID", app.tenant_id.clone()),
        ("AZURE_CLIENT_ID", app.client_id.clone()),
        ("AZURE_CLIENT_SECRET", app.client_secret.expose().to_owned()),
    ]);
    // What an app's `main` writes, with `from_env` in place of `from_lookup`.
    let client = GraphClient::builder()
        .cloud(graphwire_core::Cloud::from_lookup(&env).unwrap())
        .credential(DefaultAzureCredential::from_lookup(&env).unwrap())
        .http_client(common::reqwest_client())
        .build()
        .unwrap();
    read(&client).await.unwrap();
    assert_eq!(
        identity_requests(&emulator),
        [(format!("/{}/oauth2/v2.0/token", app.tenant_id), None)]
    );
    let error =
        graphwire_core::Cloud::from_lookup(lookup(&[("AZURE_CLOUD", "mars".into())])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `AZURE_CLOUD`: `mars` is not a cloud: use global, usgov, usgovdod or china"
    );
}
