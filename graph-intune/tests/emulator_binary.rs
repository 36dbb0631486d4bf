//! The `intune-emulator` binary starts, prints where it listens, and answers the seed's PATCH
//! with 200 and the documented response body.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_answers_the_seed_patch() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_intune-emulator"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut graph = None;
    let mut token_url = None;
    for line in lines.by_ref().take(12) {
        let line = line.unwrap();
        if let Some(url) = line.trim().strip_prefix("Graph:") {
            graph = Some(url.trim().to_owned());
        }
        if let Some(url) = line.trim().strip_prefix("Token URL:") {
            token_url = Some(url.trim().to_owned());
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let (graph, token_url) = (graph.unwrap(), token_url.unwrap());
    let root = graph.trim_end_matches("v1.0");
    let http = graphwire_core::reqwest::Client::new();
    let token: Value = http
        .post(&token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "emulator-app"),
            ("client_secret", "emulator-secret"),
            ("scope", &format!("{root}.default")),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let response = http
        .patch(format!(
            "{graph}/deviceManagement/deviceCompliancePolicies/{}/userStatusOverview",
            graphwire_testkit::SEED_POLICY_ID
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .header("content-type", "application/json")
        .body(graphwire_testkit::vectors::UPDATE_USER_OVERVIEW_REQUEST)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let documented: Value =
        serde_json::from_str(graphwire_testkit::vectors::UPDATE_USER_OVERVIEW_RESPONSE).unwrap();
    assert_eq!(body, documented);
}

#[test]
fn bad_flags_are_explained() {
    let output = Command::new(env!("CARGO_BIN_EXE_intune-emulator"))
        .args(["--port", "eighty"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: --port needs a port number, e.g. --port 8080"),
        "{stderr}"
    );
}
