//! Captured `tracing` output of a call: the operation and template are there, secrets are not.
//! In its own test binary so no other test's threads race the subscriber's callsite cache.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use graphwire_core::{ClientSecretCredential, Cloud, GraphClient};
use graphwire_intune::{DeviceCompliancePolicyId, IntuneExt};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const OVERVIEW: &str = "/v1.0/deviceManagement/deviceCompliancePolicies/p-1/userStatusOverview";

/// 429 with `Retry-After: 0` three times, then the overview.
struct ThrottleThrice(AtomicUsize);

impl Respond for ThrottleThrice {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.0.fetch_add(1, Ordering::SeqCst) < 3 {
            ResponseTemplate::new(429).insert_header("Retry-After", "0")
        } else {
            ResponseTemplate::new(200)
                .insert_header("request-id", "rid-7")
                .set_body_json(json!({"id": "p-1"}))
        }
    }
}

/// Collects everything the subscriber formats.
#[derive(Clone, Default)]
struct Capture(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_name_the_operation_and_never_a_secret() {
    let server = MockServer::builder().start().await;
    Mock::given(path("/tenant-1/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "expires_in": 3600, "access_token": "eyJ-secret-token"
        })))
        .mount(&server)
        .await;
    Mock::given(path(OVERVIEW))
        .respond_with(ThrottleThrice(AtomicUsize::new(0)))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let root = url::Url::parse(&format!("{}/", server.uri())).unwrap();
    let client = GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root))
        .credential(ClientSecretCredential::new(
            "tenant-1",
            "app-1",
            "s3cr3t-value",
        ))
        .build()
        .unwrap();
    {
        let _guard = tracing::subscriber::set_default(subscriber);
        client
            .intune()
            .device_compliance_policies()
            .user_status_overview_get(&DeviceCompliancePolicyId::from("p-1"))
            .await
            .unwrap();
    }
    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("operation=\"device_compliance_policies.user_status_overview_get\""),
        "{text}"
    );
    assert!(
        text.contains("path_template=\"/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatusOverview\""),
        "{text}"
    );
    assert!(text.contains("retrying"), "{text}");
    // One span per attempt: every line carries its own attempt's fields once, never the
    // fields of the attempts before it.
    for line in text.lines() {
        for field in ["attempt=", "status=", "request_id="] {
            assert!(
                line.matches(field).count() <= 1,
                "`{field}` repeated in:\n{line}"
            );
        }
    }
    let retries: Vec<&str> = text.lines().filter(|l| l.contains("retrying")).collect();
    assert_eq!(retries.len(), 3, "{text}");
    for (n, line) in retries.iter().enumerate() {
        assert!(
            line.contains(&format!("graph.attempt{{attempt={} status=429}}", n + 1)),
            "{line}"
        );
    }
    let answered = text
        .lines()
        .find(|l| l.contains("answered"))
        .unwrap_or_default();
    assert!(
        answered.contains("graph.attempt{attempt=4 status=200 request_id=\"rid-7\"}"),
        "{text}"
    );
    assert!(
        !text.contains("p-1/"),
        "ids stay out of the span fields:\n{text}"
    );
    for secret in ["s3cr3t-value", "eyJ-secret-token", "Bearer"] {
        assert!(
            !text.contains(secret),
            "`{secret}` leaked into traces:\n{text}"
        );
    }
}
