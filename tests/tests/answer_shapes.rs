//! The emulator's answers have Graph's shape for every status, as Microsoft's SDKs read them
//! (issue 13): the error resource with `innerError` (ISO 8601 date without offset, the
//! answer's own request ids), 401 challenges, 429 with `Retry-After`, `$count` as text, 204
//! without a body, `$batch` item bodies by content type, and the journal over HTTP.

#![allow(clippy::unwrap_used, clippy::panic)]

use crate::common;

use common::raw::{Answer, call, get_as};

use std::time::Duration;

use graphwire_core::reqwest::Client as Http;
use graphwire_testkit::{Emulator, Throttling, default_app, reader_app};
// Links graphwire-intune: its declarations are what the emulator serves.
extern crate graphwire_intune;
use serde_json::{Value, json};

const POLICIES: &str = "deviceManagement/deviceCompliancePolicies";

fn windows_policy(name: &str, version: i32) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
        "displayName": name,
        "version": version,
        "scheduledActionsForRule": [{"ruleName": "PasswordRequired",
            "scheduledActionConfigurations": [{"actionType": "block", "gracePeriodHours": 0}]}]
    })
}

/// Creates a Windows policy; the answer.
async fn create_policy(emulator: &Emulator, auth: &str, name: &str, version: i32) -> Answer {
    call(
        emulator,
        "POST",
        POLICIES,
        &[("authorization", auth)],
        Some(windows_policy(name, version)),
    )
    .await
}

/// `YYYY-MM-DDThh:mm:ss`, nothing more: Graph's `innerError.date`.
fn assert_graph_date(date: &str) {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let parsed = time::PrimitiveDateTime::parse(date, &format)
        .unwrap_or_else(|e| panic!("innerError.date `{date}` is not ISO 8601 without offset: {e}"));
    let now = time::OffsetDateTime::now_utc();
    let age = (now - parsed.assume_utc()).abs();
    assert!(age < time::Duration::minutes(5), "{date} is not now");
}

#[tokio::test]
async fn error_answers_carry_the_answers_own_ids_and_an_iso_date() {
    let emulator = Emulator::start().await.unwrap();
    let auth = common::bearer_for(&emulator, &default_app()).await;
    let answer = call(
        &emulator,
        "GET",
        &format!("{POLICIES}/missing"),
        &[("authorization", &auth), ("client-request-id", "my-call-1")],
        None,
    )
    .await;
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.header("content-type"),
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
    );
    let body = answer.json();
    let error = &body["error"];
    assert_eq!(error["code"], "ResourceNotFound");
    assert_eq!(error["message"], "Resource not found");
    let inner = error["innerError"].as_object().unwrap();
    let mut members: Vec<&str> = inner.keys().map(String::as_str).collect();
    members.sort_unstable();
    assert_eq!(members, ["client-request-id", "date", "request-id"]);
    assert_eq!(inner["request-id"], answer.header("request-id"));
    assert_eq!(inner["client-request-id"], "my-call-1");
    assert_eq!(answer.header("client-request-id"), "my-call-1");
    assert_graph_date(inner["date"].as_str().unwrap());
    assert!(
        body.get("@odata.context").is_none(),
        "error bodies have none"
    );
}

#[tokio::test]
async fn unauthenticated_and_unauthorized() {
    let emulator = Emulator::builder()
        .app(default_app())
        .app(reader_app())
        .start()
        .await
        .unwrap();
    let answer = call(&emulator, "GET", POLICIES, &[], None).await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.header("www-authenticate"),
        format!(
            "Bearer realm=\"\", authorization_uri=\"{}common/oauth2/authorize\", error=\"invalid_token\", error_description=\"no access token\"",
            emulator.base_url()
        )
    );
    let body = answer.json();
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert_eq!(
        body["error"]["innerError"]["request-id"],
        answer.header("request-id")
    );

    let reader = common::bearer_for(&emulator, &reader_app()).await;
    let read = get_as(&emulator, &reader, POLICIES).await;
    assert_eq!(read.status, 200);
    let write = call(
        &emulator,
        "POST",
        POLICIES,
        &[("authorization", &reader)],
        Some(windows_policy("Refused", 1)),
    )
    .await;
    assert_eq!(write.status, 403);
    assert_eq!(
        write.json()["error"]["message"],
        "Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.ReadWrite.All"
    );
}

#[tokio::test(start_paused = true)]
async fn throttled_answers_say_when_to_retry() {
    let limits = Throttling::from(graphwire_intune::overlay::limits::INTUNE_LIMITS).scaled(0.05);
    let emulator = Emulator::builder()
        .without_vector_seed()
        .throttling(limits)
        .start()
        .await
        .unwrap();
    let auth = common::bearer_for(&emulator, &default_app()).await;
    for i in 0..5 {
        let made = create_policy(&emulator, &auth, &format!("P{i}"), i).await;
        assert_eq!(made.status, 201);
    }
    let refused = create_policy(&emulator, &auth, "P5", 5).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("retry-after"), "1");
    let body = refused.json();
    assert_eq!(body["error"]["code"], "TooManyRequests");
    assert_eq!(body["error"]["message"], "Please retry again later.");
    let inner = &body["error"]["innerError"];
    assert_eq!(
        (&inner["code"], &inner["status"], &inner["message"]),
        (&json!("429"), &json!("429"), &json!("Please retry after"))
    );
    assert_eq!(inner["request-id"], refused.header("request-id"));
    assert_graph_date(inner["date"].as_str().unwrap());
    tokio::time::advance(Duration::from_secs(1)).await;
    let retried = create_policy(&emulator, &auth, "P5", 5).await;
    assert_eq!(retried.status, 201);
}

#[tokio::test]
async fn counts_order_and_empty_answers() {
    let emulator = Emulator::builder()
        .without_vector_seed()
        .start()
        .await
        .unwrap();
    let auth = common::bearer_for(&emulator, &default_app()).await;
    let mut ids = Vec::new();
    for (name, version) in [("Echo", 1), ("Alpha", 2), ("Delta", 1), ("Bravo", 2)] {
        let made = create_policy(&emulator, &auth, name, version).await;
        assert_eq!(made.status, 201);
        ids.push(made.json()["id"].as_str().unwrap().to_owned());
    }
    let count = get_as(
        &emulator,
        &auth,
        &format!("{POLICIES}/$count?$filter=version%20eq%202"),
    )
    .await;
    assert_eq!(count.status, 200);
    assert_eq!(count.header("content-type"), "text/plain");
    assert_eq!(count.text, "2");

    let ordered = get_as(
        &emulator,
        &auth,
        &format!("{POLICIES}?$orderby=version%20desc,displayName&$select=displayName&$count=true"),
    )
    .await
    .json();
    let names: Vec<&str> = ordered["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alpha", "Bravo", "Delta", "Echo"]);
    assert_eq!(ordered["@odata.count"], 4);
    let bad = get_as(
        &emulator,
        &auth,
        &format!("{POLICIES}?$orderby=version%20sideways"),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json()["error"]["message"],
        "Invalid $orderby clause: `version sideways`; expected `property [asc|desc]`."
    );

    let deleted = call(
        &emulator,
        "DELETE",
        &format!("{POLICIES}/{}", ids[0]),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.text, "");
    assert!(deleted.headers.get("content-type").is_none());
    assert!(deleted.headers.get("request-id").is_some());
}

#[tokio::test]
async fn batch_items_are_shaped_as_graph_writes_them() {
    let emulator = Emulator::start().await.unwrap();
    let auth = common::bearer_for(&emulator, &default_app()).await;
    let batch = json!({"requests": [
        {"id": "count", "method": "GET", "url": format!("/{POLICIES}/$count")},
        {"id": "missing", "method": "GET", "url": format!("/{POLICIES}/missing"),
         "headers": {"client-request-id": "inner-1"}},
    ]});
    let answer = call(
        &emulator,
        "POST",
        "$batch",
        &[("authorization", &auth)],
        Some(batch),
    )
    .await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    let count = &body["responses"][0];
    assert_eq!(count["status"], 200);
    assert_eq!(count["headers"]["Content-Type"], "text/plain");
    // The two documented example policies; a text/plain body is a string as is.
    assert_eq!(count["body"], "2");
    let missing = &body["responses"][1];
    assert_eq!(missing["status"], 404);
    let inner = &missing["body"]["error"]["innerError"];
    assert_eq!(inner["client-request-id"], "inner-1");
    let inner_id = inner["request-id"].as_str().unwrap();
    assert_eq!(inner_id.len(), 36);
    assert_ne!(
        inner_id,
        answer.header("request-id"),
        "each item is its own request"
    );
}

#[tokio::test]
async fn the_journal_is_served_as_json_for_clients_in_any_language() {
    let emulator = Emulator::start().await.unwrap();
    let auth = common::bearer_for(&emulator, &default_app()).await;
    call(
        &emulator,
        "GET",
        &format!("{POLICIES}?$top=1"),
        &[("authorization", &auth), ("client-request-id", "c-7")],
        None,
    )
    .await;
    let journal: Value = Http::new()
        .get(format!("{}_emulator/journal", emulator.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = journal.as_array().unwrap();
    assert_eq!(
        entries.len(),
        2,
        "the token request and the GET; not itself"
    );
    assert_eq!(entries[0]["path"], "/contoso/oauth2/v2.0/token");
    assert_eq!(entries[0]["body"], "<form redacted>");
    let get = &entries[1];
    assert_eq!(
        (&get["method"], &get["path"], &get["query"], &get["status"]),
        (
            &json!("GET"),
            &json!(format!("/v1.0/{POLICIES}")),
            &json!("$top=1"),
            &json!(200)
        )
    );
    assert_eq!(get["headers"]["authorization"], "Bearer <redacted>");
    assert_eq!(get["headers"]["client-request-id"], "c-7");
}
