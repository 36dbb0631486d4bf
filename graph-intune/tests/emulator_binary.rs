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
            graphwire_intune::emulator_seed::SEED_POLICY_ID
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .header("content-type", "application/json")
        .body(graphwire_intune::vectors::UPDATE_USER_OVERVIEW_REQUEST)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let documented: Value =
        serde_json::from_str(graphwire_intune::vectors::UPDATE_USER_OVERVIEW_RESPONSE).unwrap();
    assert_eq!(body, documented);
}

/// `--tls`: the printed CA file is all a client needs to trust the emulator; a client that
/// does not trust it is refused.
#[tokio::test]
async fn binary_serves_https_with_the_ca_it_prints() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_intune-emulator"))
        .args(["--port", "0", "--tls", "--page-size", "1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let (mut journal, mut ca_file) = (None, None);
    for line in BufReader::new(stdout).lines().take(16) {
        let line = line.unwrap();
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Journal:") {
            journal = rest.split_whitespace().next().map(str::to_owned);
        }
        if let Some(rest) = line.strip_prefix("CA file:") {
            ca_file = rest.split_whitespace().next().map(str::to_owned);
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let (journal, ca_file) = (journal.unwrap(), ca_file.unwrap());
    assert!(journal.starts_with("https://127.0.0.1:"), "{journal}");
    let ca = std::fs::read(&ca_file).unwrap();
    let trusting = graphwire_core::reqwest::Client::builder()
        .add_root_certificate(graphwire_core::reqwest::Certificate::from_pem(&ca).unwrap())
        .build()
        .unwrap();
    let answer = trusting.get(&journal).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let untrusting = graphwire_core::reqwest::Client::new();
    assert!(untrusting.get(&journal).send().await.is_err());
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

#[test]
fn list_endpoints_prints_every_served_pair_in_order() {
    let output = Command::new(env!("CARGO_BIN_EXE_intune-emulator"))
        .arg("--list-endpoints")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1331);
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "name order");
    assert!(lines.contains(
        &"PATCH /v1.0/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatusOverview"
    ));
    assert!(lines.contains(&"GET /v1.0/deviceManagement/virtualEndpoint/servicePlans"));
    assert!(lines.contains(
        &"POST /v1.0/deviceAppManagement/mobileApps/{mobileAppId}/microsoft.graph.win32LobApp/contentVersions/{mobileAppContentId}/files/{mobileAppContentFileId}/commit"
    ));
    assert!(
        !lines.contains(&"POST /v1.0/deviceManagement/virtualEndpoint/servicePlans"),
        "Graph only reads service plans"
    );
}
