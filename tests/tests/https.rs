//! HTTPS end to end: the emulator's HTTPS mode with a CA made for the run, a client that
//! trusts it (`GraphClientBuilder::add_root_certificate`), and the client's https rules on
//! the wire (a redirect from https to plain http is refused before anything is sent there).

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use graphwire_core::{Cloud, Error, GraphClient, Query, StaticToken};
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::{DeviceCompliancePolicyId, IntuneExt};
use graphwire_testkit::{Emulator, LoopbackTls};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The seed policy's user-status overview, through `client`.
fn seed_overview(
    client: &GraphClient,
) -> graphwire_core::Call<graphwire_intune::DeviceComplianceUserOverview> {
    client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from(SEED_POLICY_ID))
}

#[tokio::test]
async fn a_client_that_trusts_the_ca_calls_the_emulator_over_https() {
    let emulator = Emulator::builder().tls().start().await.unwrap();
    assert!(
        emulator.base_url().starts_with("https://127.0.0.1:"),
        "{}",
        emulator.base_url()
    );
    let ca = emulator.ca_certificate_pem().unwrap();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
    let client = GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(graphwire_testkit::default_app().credential())
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let overview = seed_overview(&client).await.unwrap();
    assert_eq!(overview.id.as_deref(), Some(SEED_POLICY_ID));
    // Paging over https: each nextLink is an https URL of the same host, and is followed.
    let list = || async {
        client
            .intune()
            .device_compliance_policies()
            .list()
            .query(&Query::new().top(1))
            .await
            .unwrap()
            .collect_all()
            .await
            .unwrap()
    };
    let seeded = list().await.len();
    for name in ["a", "b", "c"] {
        let mut policy = graphwire_intune::IosCompliancePolicy::default();
        policy.base.display_name = Some(name.into());
        client
            .intune()
            .device_compliance_policies()
            .create_with_block_action(policy.into())
            .await
            .unwrap();
    }
    assert_eq!(
        list().await.len(),
        seeded + 3,
        "the seed and three created, one per page"
    );
    let journal = emulator.journal();
    assert_eq!(
        journal[0].path, "/contoso/oauth2/v2.0/token",
        "the token over https too"
    );
    assert!(journal.iter().all(|e| e.status < 400), "{journal:?}");
}

#[tokio::test]
async fn without_the_ca_the_emulators_certificate_is_refused() {
    let emulator = Emulator::builder().tls().start().await.unwrap();
    let client = GraphClient::builder()
        .cloud(emulator.cloud())
        .credential(StaticToken::new("t"))
        // A refused certificate is a connection that failed: not worth waiting to repeat here.
        .retry(graphwire_core::RetryPolicy::none())
        .build()
        .unwrap();
    let err = seed_overview(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { sent: false, .. }),
        "{err:?}"
    );
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(&err);
    while let Some(error) = source {
        chain.push(error.to_string());
        source = error.source();
    }
    assert!(
        chain.iter().any(|text| text.contains("UnknownIssuer")),
        "{chain:#?}"
    );
    assert!(emulator.journal().is_empty(), "nothing reached Graph");
}

#[tokio::test]
async fn a_redirect_from_https_to_plain_http_is_refused_on_the_wire() {
    // Where the redirect points: a plain-http server that must never be reached.
    let plain = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    let reached = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&reached);
    tokio::spawn(async move {
        while plain.accept().await.is_ok() {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    // An HTTPS server on loopback answering every request with that redirect.
    let tls = LoopbackTls::generate().unwrap();
    let acceptor = tls.acceptor();
    let secure = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let secure_port = secure.local_addr().unwrap().port();
    tokio::spawn(async move {
        for _ in 0..8 {
            let Ok((stream, _)) = secure.accept().await else {
                return;
            };
            let Ok(mut stream) = acceptor.accept(stream).await else {
                continue;
            };
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head).await;
            let answer = format!(
                "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{plain_port}/v1.0/elsewhere\r\nContent-Length: 0\r\n\r\n"
            );
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    let root = url::Url::parse(&format!("https://127.0.0.1:{secure_port}/")).unwrap();
    let client = GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .credential(StaticToken::new("t"))
        .add_root_certificate(tls.ca_pem())
        .build()
        .unwrap();
    let err = seed_overview(&client).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "refused to send to http://127.0.0.1:{plain_port}/v1.0/elsewhere: redirect from https to a non-https URL"
        )
    );
    assert_eq!(
        reached.load(Ordering::SeqCst),
        0,
        "the plain-http target was never contacted"
    );
}

#[test]
fn root_certificates_are_checked_at_build() {
    let err = GraphClient::builder()
        .add_root_certificate("not a certificate")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `root certificate`: expected PEM text with at least one `-----BEGIN CERTIFICATE-----` block"
    );
    let tls = LoopbackTls::generate().unwrap();
    let err = GraphClient::builder()
        .http_client(common::reqwest_client())
        .add_root_certificate(tls.ca_pem())
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `root certificate`: a caller's own HTTP client is used as it is: add the root certificate to that reqwest client instead"
    );
}
