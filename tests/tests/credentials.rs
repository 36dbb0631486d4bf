//! Each credential against a token endpoint on loopback (the emulator's): client secret is in
//! client.rs; here the certificate assertion (verified by the server side), the device code
//! flow, and the environment credential.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use graphwire_core::auth::{ClientCertificateCredential, DeviceCodeCredential, DeviceCodeInfo};
use graphwire_core::{EnvironmentCredential, Error, GraphClient, TokenCredential};
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
use graphwire_testkit::{App, Emulator};

const BUNDLE: &str = include_str!("../fixtures/certificate/test-app.pem");
const PUBLIC_KEY: &str = include_str!("../fixtures/certificate/test-app.pub.pem");
const OTHER_PUBLIC_KEY: &str = include_str!("../fixtures/certificate/other.pub.pem");
const THUMBPRINT: &str = "E7:5C:03:97:A2:40:2C:BC:05:02:34:4B:59:25:94:C0:09:F1:77:32";
const WRITE: &str = "DeviceManagementConfiguration.ReadWrite.All";

fn client(emulator: &Emulator, credential: impl TokenCredential + 'static) -> GraphClient {
    GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(credential)
        .http_client(common::reqwest_client())
        .build()
        .unwrap()
}

async fn read_overview(
    client: &GraphClient,
) -> graphwire_core::Result<DeviceComplianceUserOverview> {
    client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from(SEED_POLICY_ID))
        .await
}

#[tokio::test]
async fn certificate_assertions_are_verified_by_the_token_endpoint() {
    let app = App::new("contoso", "cert-app", "unused-secret")
        .with_roles([WRITE])
        .with_certificate(PUBLIC_KEY, THUMBPRINT)
        .unwrap();
    let emulator = Emulator::builder().app(app).start().await.unwrap();
    let credential = ClientCertificateCredential::from_pem("contoso", "cert-app", BUNDLE).unwrap();
    assert_eq!(
        credential.thumbprint(),
        "E75C0397A2402CBC0502344B592594C009F17732"
    );
    let debug = format!("{credential:?}");
    assert!(debug.contains("private_key: \"<redacted>\""), "{debug}");
    assert!(!debug.contains("MII"), "no key material in Debug: {debug}");

    let overview = read_overview(&client(&emulator, credential)).await.unwrap();
    assert_eq!(overview.success_count, Some(3));
    let token_request = &emulator.journal()[0];
    assert_eq!(token_request.path, "/contoso/oauth2/v2.0/token");
    assert_eq!(token_request.status, 200);
}

#[tokio::test]
async fn a_key_that_does_not_match_the_registered_certificate_is_refused() {
    let app = App::new("contoso", "cert-app", "unused-secret")
        .with_roles([WRITE])
        .with_certificate(OTHER_PUBLIC_KEY, THUMBPRINT)
        .unwrap();
    let emulator = Emulator::builder().app(app).start().await.unwrap();
    let credential = ClientCertificateCredential::from_pem("contoso", "cert-app", BUNDLE).unwrap();
    let err = read_overview(&client(&emulator, credential))
        .await
        .unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(auth.oauth_error.as_deref(), Some("invalid_client"));
    assert_eq!(
        auth.message,
        "token endpoint answered 401: invalid_client: AADSTS700027: Client assertion failed signature validation."
    );

    let wrong_thumbprint = App::new("contoso", "cert-app", "x")
        .with_certificate(
            PUBLIC_KEY,
            "00:5C:03:97:A2:40:2C:BC:05:02:34:4B:59:25:94:C0:09:F1:77:32",
        )
        .unwrap();
    let emulator = Emulator::builder()
        .app(wrong_thumbprint)
        .start()
        .await
        .unwrap();
    let credential = ClientCertificateCredential::from_pem("contoso", "cert-app", BUNDLE).unwrap();
    let err = read_overview(&client(&emulator, credential))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("is not registered on application"),
        "{err}"
    );
}

#[test]
fn malformed_certificate_pem_is_a_clear_error() {
    let err = ClientCertificateCredential::from_pem("t", "c", "not a pem").unwrap_err();
    assert_eq!(err.message, "no RSA private key in the PEM");
    let key_only = BUNDLE.split("-----BEGIN CERTIFICATE-----").next().unwrap();
    let err = ClientCertificateCredential::from_pem("t", "c", key_only).unwrap_err();
    assert_eq!(err.message, "no CERTIFICATE block in the PEM");
}

#[tokio::test(start_paused = true)]
async fn device_code_flow_polls_until_the_user_approves() {
    let app = App::new("contoso", "public-app", "none")
        .with_delegated(["DeviceManagementConfiguration.Read.All"])
        .approving_device_codes_after(2);
    let emulator = Emulator::builder().app(app).start().await.unwrap();
    let shown: Arc<Mutex<Vec<DeviceCodeInfo>>> = Arc::default();
    let seen = shown.clone();
    let credential = DeviceCodeCredential::new("contoso", "public-app", move |info| {
        seen.lock().unwrap().push(info.clone());
    });
    let client = client(&emulator, credential);
    let start = tokio::time::Instant::now();
    let overview = read_overview(&client).await.unwrap();
    assert_eq!(overview.success_count, Some(3));
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(3),
        "three polls, one second apart"
    );
    let shown = shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].user_code.starts_with("EMU"));
    assert!(shown[0].message.contains(&shown[0].user_code));
    assert_eq!(
        shown[0].verification_uri,
        format!("{}devicelogin", emulator.base_url())
    );
    let polls: Vec<u16> = emulator
        .journal()
        .iter()
        .filter(|e| e.path.ends_with("/token"))
        .map(|e| e.status)
        .collect();
    assert_eq!(
        polls,
        [400, 400, 200],
        "authorization_pending twice, then the token"
    );

    // The delegated token carries Read.All only: a write is forbidden.
    let err = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(
            &DeviceCompliancePolicyId::from(SEED_POLICY_ID),
            &Default::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.service().map(|e| e.status), Some(403));
}

#[test]
fn environment_credential_reads_the_azure_variables() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    assert!(
        EnvironmentCredential::from_lookup(env(&[]))
            .unwrap()
            .is_none()
    );
    let secret = EnvironmentCredential::from_lookup(env(&[
        ("AZURE_TENANT_ID", "t"),
        ("AZURE_CLIENT_ID", "c"),
        ("AZURE_CLIENT_SECRET", "s3cr3t"),
    ]))
    .unwrap()
    .unwrap();
    assert!(!format!("{secret:?}").contains("s3cr3t"));
    let err = EnvironmentCredential::from_lookup(env(&[("AZURE_CLIENT_ID", "c")])).unwrap_err();
    assert_eq!(
        err.message,
        "incomplete environment credential: set AZURE_TENANT_ID, AZURE_CLIENT_SECRET"
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/certificate/test-app.pem"
    );
    let lookup = move |name: &str| match name {
        "AZURE_TENANT_ID" => Some("t".to_owned()),
        "AZURE_CLIENT_ID" => Some("c".to_owned()),
        "AZURE_CLIENT_CERTIFICATE_PATH" => Some(path.to_owned()),
        _ => None,
    };
    let certificate = EnvironmentCredential::from_lookup(lookup).unwrap().unwrap();
    assert!(format!("{certificate:?}").contains("E75C0397A2402CBC0502344B592594C009F17732"));
}
