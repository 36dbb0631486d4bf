//! The emulator keeps tenants apart, keeps its journal bounded, and holds requests to Graph's
//! rules for `$batch` and paging options, as Microsoft documents them:
//! - JSON batching (learn.microsoft.com/graph/json-batching): at most 20 requests, `dependsOn`
//!   "fully sequential or fully parallel", no batch inside a batch;
//! - query parameters (learn.microsoft.com/graph/query-parameters) and paging
//!   (learn.microsoft.com/graph/paging): `$top` is a non-negative integer, `$skiptoken` is
//!   opaque and only ever the service's own.

use crate::common;

use common::bearer_for;
use common::raw::{Answer, call, get_as};
use graphwire_core::Query;
use graphwire_intune::emulator_seed::SEED_POLICY_ID;
use graphwire_intune::{DeviceCompliancePolicyId, IntuneExt};
use graphwire_testkit::{App, Emulator, JournalLimits, default_app};
use serde_json::{Value, json};

const POLICIES: &str = "deviceManagement/deviceCompliancePolicies";

fn policy(name: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.iosCompliancePolicy",
        "displayName": name,
        "scheduledActionsForRule": [{"ruleName": "PasswordRequired",
            "scheduledActionConfigurations": [{"actionType": "block", "gracePeriodHours": 0}]}]
    })
}

async fn post_as(emulator: &Emulator, auth: &str, path: &str, body: Value) -> Answer {
    call(
        emulator,
        "POST",
        path,
        &[("authorization", auth)],
        Some(body),
    )
    .await
}

fn error_message(answer: &Answer) -> String {
    answer.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

// ---------------------------------------------------------------- tenants

/// An app in another tenant with the same permissions as the default app.
fn fabrikam_app() -> App {
    App::new("fabrikam", "fabrikam-app", "fabrikam-secret").with_roles(default_app().roles)
}

/// An emulator serving contoso's default app and fabrikam's, with a token for each.
async fn two_tenants() -> (Emulator, String, String) {
    let emulator = Emulator::builder()
        .app(default_app())
        .app(fabrikam_app())
        .start()
        .await
        .unwrap();
    let contoso = bearer_for(&emulator, &default_app()).await;
    let fabrikam = bearer_for(&emulator, &fabrikam_app()).await;
    (emulator, contoso, fabrikam)
}

#[tokio::test]
async fn another_tenants_app_sees_nothing_of_a_tenants_data() {
    let (emulator, contoso, fabrikam) = two_tenants().await;
    let created = post_as(&emulator, &contoso, POLICIES, policy("Contoso iOS")).await;
    assert_eq!(created.status, 201);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let item = format!("{POLICIES}/{id}");

    // As on Graph, another tenant's resource does not exist for it: 404, not 403.
    assert_eq!(get_as(&emulator, &fabrikam, &item).await.status, 404);
    let deleted = call(
        &emulator,
        "DELETE",
        &item,
        &[("authorization", &fabrikam)],
        None,
    )
    .await;
    assert_eq!(deleted.status, 404);
    let listed = get_as(&emulator, &fabrikam, POLICIES).await.json();
    let names: Vec<&str> = listed["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["displayName"].as_str())
        .collect();
    assert!(!names.contains(&"Contoso iOS"), "{names:?}");
    // The owner still has it.
    let own = get_as(&emulator, &contoso, &item).await;
    assert_eq!(
        (own.status.as_u16(), own.json()["displayName"].clone()),
        (200, json!("Contoso iOS"))
    );
    assert!(
        emulator
            .resource_in("fabrikam", &format!("/{item}"))
            .is_none()
    );
    assert!(
        emulator.resource(&format!("/{item}")).is_some(),
        "home tenant: contoso"
    );
}

#[tokio::test]
async fn each_tenant_starts_with_its_own_copy_of_the_seed() {
    let (emulator, contoso, fabrikam) = two_tenants().await;
    let seed = format!("{POLICIES}/{SEED_POLICY_ID}");
    let deleted = call(
        &emulator,
        "DELETE",
        &seed,
        &[("authorization", &fabrikam)],
        None,
    )
    .await;
    assert_eq!(deleted.status, 204, "fabrikam deletes its own copy");
    assert_eq!(get_as(&emulator, &fabrikam, &seed).await.status, 404);
    assert_eq!(
        get_as(&emulator, &contoso, &seed).await.status,
        200,
        "contoso's is untouched"
    );
}

// ---------------------------------------------------------------- the journal

#[test]
fn the_default_journal_limits_keep_a_long_running_emulator_small() {
    let limits = JournalLimits::default();
    assert_eq!(
        (
            limits.max_entries,
            limits.max_body_bytes,
            limits.max_total_body_bytes
        ),
        (10_000, 64 << 10, 32 << 20)
    );
}

fn small_journal() -> JournalLimits {
    let mut limits = JournalLimits::default();
    limits.max_entries = 100;
    limits.max_body_bytes = 1024;
    limits.max_total_body_bytes = 3000;
    limits
}

#[tokio::test]
async fn the_journal_keeps_the_newest_entries_within_its_limits() {
    let emulator = Emulator::builder()
        .journal_limits(small_journal())
        .start()
        .await
        .unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    for _ in 0..250 {
        get_as(&emulator, &auth, POLICIES).await;
    }
    let journal = emulator.journal();
    let seqs: Vec<u64> = journal.iter().map(|e| e.seq).collect();
    // The token request was entry 1; 251 in all, the newest 100 kept.
    assert_eq!(seqs, (152..=251).collect::<Vec<u64>>());

    // A 5,000-byte body is kept as its first 1,024 bytes, with its length.
    let big = json!({"displayName": "x".repeat(5000)}).to_string();
    let answer = call(
        &emulator,
        "POST",
        POLICIES,
        &[("authorization", &auth)],
        Some(serde_json::from_str(&big).unwrap()),
    )
    .await;
    assert_eq!(
        answer.status, 400,
        "no @odata.type: refused, journaled all the same"
    );
    let last = emulator.journal_last(1).remove(0);
    assert_eq!((last.body.len(), last.body_bytes), (1024, big.len()));

    // Bodies are bounded in all: 3,000 bytes hold two 1,024-byte prefixes, not three.
    for _ in 0..3 {
        post_as(
            &emulator,
            &auth,
            POLICIES,
            serde_json::from_str(&big).unwrap(),
        )
        .await;
    }
    let with_bodies = emulator
        .journal()
        .iter()
        .filter(|e| !e.body.is_empty())
        .count();
    let total: usize = emulator.journal().iter().map(|e| e.body.len()).sum();
    assert_eq!(with_bodies, 2);
    assert!(total <= 3000, "{total}");
}

/// The sequence numbers of a journal served as JSON.
fn seqs_of(entries: &Value) -> Vec<u64> {
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_journal_is_read_by_last_or_since_and_cleared_over_http() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    for _ in 0..5 {
        get_as(&emulator, &auth, POLICIES).await;
    }
    let http = graphwire_core::reqwest::Client::new();
    let url = format!("{}_emulator/journal", emulator.base_url());
    let read = |query: &'static str| {
        let request = http.get(format!("{url}{query}"));
        async move {
            let response = request.send().await.unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        }
    };
    let (status, all) = read("").await;
    assert_eq!((status, all.as_array().unwrap().len()), (200, 6));
    let (_, last) = read("?last=2").await;
    let seqs = seqs_of(&last);
    assert_eq!(seqs, [5, 6]);
    let (_, since) = read("?since=4").await;
    let seqs = seqs_of(&since);
    assert_eq!(seqs, [5, 6]);
    assert_eq!(since[0]["bodyBytes"], 0);
    let (status, error) = read("?last=abc").await;
    assert_eq!(status, 400);
    assert_eq!(
        error["error"]["message"],
        "Invalid value 'abc' for query option 'last': a non-negative integer is expected."
    );
    let cleared = http.delete(&url).send().await.unwrap();
    assert_eq!(cleared.status().as_u16(), 204);
    assert!(emulator.journal().is_empty());
    get_as(&emulator, &auth, POLICIES).await;
    assert_eq!(
        emulator.journal().iter().map(|e| e.seq).collect::<Vec<_>>(),
        [7],
        "numbers go on after a clear"
    );
}

// ---------------------------------------------------------------- $batch

async fn batch(emulator: &Emulator, auth: &str, requests: Value) -> Answer {
    post_as(emulator, auth, "$batch", json!({ "requests": requests })).await
}

fn get_item(id: &str, depends_on: &[&str]) -> Value {
    json!({"id": id, "method": "GET", "url": format!("/{POLICIES}/{SEED_POLICY_ID}"), "dependsOn": depends_on})
}

#[tokio::test]
async fn a_batch_inside_a_batch_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    let inner = json!({"requests": [get_item("1", &[])]});
    let answer = batch(
        &emulator,
        &auth,
        json!([{"id": "outer", "method": "POST", "url": "/$batch",
                "headers": {"Content-Type": "application/json"}, "body": inner}]),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        error_message(&answer),
        "The $batch request `outer` is itself a $batch; nested batches are not supported."
    );
    let graph_requests = emulator
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/v1.0"))
        .count();
    assert_eq!(graph_requests, 1, "nothing inside it ran");
}

#[tokio::test]
async fn batches_must_be_fully_parallel_fully_sequential_or_a_fan_out() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    let mixed = batch(
        &emulator,
        &auth,
        json!([
            get_item("1", &[]),
            get_item("2", &["1"]),
            get_item("3", &[])
        ]),
    )
    .await;
    assert_eq!(mixed.status, 400);
    assert_eq!(
        error_message(&mixed),
        "Batch should be either fully sequential or fully parallel"
    );
    let later = batch(
        &emulator,
        &auth,
        json!([get_item("1", &["2"]), get_item("2", &[])]),
    )
    .await;
    assert_eq!(later.status, 400);
    assert_eq!(
        error_message(&later),
        "Request '1' depends on '2', which is not an earlier request of this batch."
    );
    let cycle = batch(&emulator, &auth, json!([get_item("1", &["1"])])).await;
    assert_eq!(cycle.status, 400);
    for supported in [
        json!([get_item("1", &[]), get_item("2", &[]), get_item("3", &[])]),
        json!([
            get_item("1", &[]),
            get_item("2", &["1"]),
            get_item("3", &["2"])
        ]),
        json!([
            get_item("1", &[]),
            get_item("2", &["1"]),
            get_item("3", &["1"])
        ]),
    ] {
        let answer = batch(&emulator, &auth, supported.clone()).await;
        assert_eq!(answer.status, 200, "{supported}");
        let statuses: Vec<u64> = answer.json()["responses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_u64().unwrap())
            .collect();
        assert_eq!(statuses, [200, 200, 200]);
    }
}

#[tokio::test]
async fn the_client_sends_a_chain_beside_a_free_call_as_two_batches() {
    let emulator = Emulator::start().await.unwrap();
    let client = common::emulator_client(&emulator).build().unwrap();
    let intune = client.intune();
    let seed = DeviceCompliancePolicyId::from(SEED_POLICY_ID);
    let ((first, then), free) = client
        .batch(futures::future::join(
            graphwire_core::batch::chain(
                intune.device_compliance_policies().get(&seed),
                intune
                    .device_compliance_policies()
                    .user_status_overview_get(&seed),
            ),
            intune
                .device_compliance_policies()
                .device_status_overview_get(&seed),
        ))
        .await;
    assert!(
        first.is_ok() && then.is_ok() && free.is_ok(),
        "{first:?} {then:?} {free:?}"
    );
    let batches: Vec<Value> = emulator
        .journal()
        .iter()
        .filter(|e| e.path == "/v1.0/$batch")
        .map(|e| e.json()["requests"].clone())
        .collect();
    let shapes: Vec<Vec<(String, Value)>> = batches
        .iter()
        .map(|requests| {
            requests
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (r["id"].as_str().unwrap().to_owned(), r["dependsOn"].clone()))
                .collect()
        })
        .collect();
    assert_eq!(
        shapes,
        [
            vec![
                ("1".to_owned(), Value::Null),
                ("2".to_owned(), json!(["1"]))
            ],
            vec![("3".to_owned(), Value::Null)],
        ]
    );
}

// ---------------------------------------------------------------- paging options

#[tokio::test]
async fn top_skip_and_skiptoken_must_be_whole_numbers() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    for (query, option, value) in [
        ("$top=-1", "$top", "-1"),
        ("$top=abc", "$top", "abc"),
        ("$top=1e12", "$top", "1e12"),
        ("$skip=x", "$skip", "x"),
        ("$skiptoken=not-ours", "$skiptoken", "not-ours"),
    ] {
        let answer = get_as(&emulator, &auth, &format!("{POLICIES}?{query}")).await;
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(answer.json()["error"]["code"], "BadRequest");
        assert_eq!(
            error_message(&answer),
            format!(
                "Invalid value '{value}' for query option '{option}': a non-negative integer is expected."
            )
        );
    }
}

#[tokio::test]
async fn top_zero_is_an_empty_page_without_a_next_link() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    let page = get_as(&emulator, &auth, &format!("{POLICIES}?$top=0"))
        .await
        .json();
    assert_eq!(page["value"], json!([]));
    assert!(page.get("@odata.nextLink").is_none(), "{page}");
    // And through the client, the listing ends instead of following itself.
    let client = common::emulator_client(&emulator).build().unwrap();
    let all = client
        .intune()
        .device_compliance_policies()
        .list()
        .query(&Query::new().top(0))
        .await
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn skip_skips() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    for name in ["a", "b", "c"] {
        post_as(&emulator, &auth, POLICIES, policy(name)).await;
    }
    let all = get_as(&emulator, &auth, POLICIES).await.json();
    let skipped = get_as(&emulator, &auth, &format!("{POLICIES}?$skip=2"))
        .await
        .json();
    let ids = |page: &Value| -> Vec<Value> {
        page["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].clone())
            .collect()
    };
    assert_eq!(ids(&skipped), ids(&all)[2..].to_vec());
}

#[tokio::test]
async fn lists_are_paged_by_the_service_without_top() {
    let (emulator, auth) = fleet().await;
    let first = get_as(&emulator, &auth, DEVICES).await.json();
    assert_eq!(first["value"].as_array().unwrap().len(), 100);
    let next = first["@odata.nextLink"].as_str().unwrap();
    assert_eq!(
        next,
        format!("{}v1.0/{DEVICES}?$skiptoken=100", emulator.base_url())
    );
    // The client's paging loop runs: 300 devices in three pages.
    let client = common::emulator_client(&emulator).build().unwrap();
    emulator.clear_journal();
    let pages = client.intune().managed_devices().list().await.unwrap();
    let all = pages.collect_all().await.unwrap();
    assert_eq!(all.len(), 300);
    let listed = emulator
        .journal()
        .iter()
        .filter(|e| e.path == format!("/v1.0/{DEVICES}"))
        .count();
    assert_eq!(listed, 3);
    // The page size is the builder's.
    let small = Emulator::builder().page_size(7).start().await.unwrap();
    let auth = bearer_for(&small, &default_app()).await;
    for name in ["a", "b", "c", "d", "e", "f", "g", "h"] {
        post_as(&small, &auth, POLICIES, policy(name)).await;
    }
    let page = get_as(&small, &auth, POLICIES).await.json();
    assert_eq!(page["value"].as_array().unwrap().len(), 7);
    assert!(page.get("@odata.nextLink").is_some());
}

// ---------------------------------------------------------------- errors name the right thing

#[tokio::test]
async fn not_found_names_the_first_segment_that_does_not_resolve() {
    let emulator = Emulator::start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    let answer = get_as(
        &emulator,
        &auth,
        "deviceManagement/deviceCompliancePoliciez/p-1/assignments",
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        error_message(&answer),
        "Resource not found for the segment 'deviceCompliancePoliciez'."
    );
    // A batch item URL with the version in it (a JavaScript client's bug): the version is
    // the segment Graph cannot resolve.
    let answer = batch(
        &emulator,
        &auth,
        json!([{"id": "1", "method": "GET", "url": format!("/v1.0/{POLICIES}")}]),
    )
    .await;
    let item = &answer.json()["responses"][0];
    assert_eq!(item["status"], 400);
    assert_eq!(
        item["body"]["error"]["message"],
        "Resource not found for the segment 'v1.0'."
    );
}

// ---------------------------------------------------------------- $filter

const DEVICES: &str = "deviceManagement/managedDevices";

/// 300 Windows devices, every third non-compliant, every other encrypted.
async fn fleet() -> (Emulator, String) {
    let mut builder = Emulator::builder().without_vector_seed();
    for i in 0..300 {
        builder = builder.seed(
            format!("/{DEVICES}/d{i:03}"),
            json!({
                "@odata.type": "#microsoft.graph.managedDevice",
                "id": format!("d{i:03}"),
                "deviceName": format!("Device {i:03}"),
                "operatingSystem": "Windows",
                "complianceState": if i % 3 == 0 { "noncompliant" } else { "compliant" },
                "isEncrypted": i % 2 == 0,
                "freeStorageSpaceInBytes": i * 1000,
                "lastSyncDateTime": format!("2026-11-{:02}T08:00:00Z", 1 + i % 30),
            }),
        );
    }
    let emulator = builder.start().await.unwrap();
    let auth = bearer_for(&emulator, &default_app()).await;
    (emulator, auth)
}

async fn filtered(emulator: &Emulator, auth: &str, filter: &str) -> Answer {
    get_as(emulator, auth, &format!("{DEVICES}?$filter={filter}")).await
}

/// How many items pass `filter` (`@odata.count`: the first page holds at most 100).
async fn count_of(emulator: &Emulator, auth: &str, filter: &str) -> u64 {
    let answer = get_as(
        emulator,
        auth,
        &format!("{DEVICES}?$count=true&$filter={filter}"),
    )
    .await;
    assert_eq!(answer.status, 200, "{filter}: {}", answer.text);
    answer.json()["@odata.count"].as_u64().unwrap()
}

#[tokio::test]
async fn the_operators_intune_documents_filter_as_graph_does() {
    let (emulator, auth) = fleet().await;
    for (filter, expected) in [
        // The report: 0 items, where Graph returns 100.
        (
            "complianceState eq 'noncompliant' and operatingSystem eq 'Windows'",
            100,
        ),
        ("complianceState ne 'noncompliant'", 200),
        ("not (complianceState eq 'compliant')", 100),
        (
            "complianceState eq 'noncompliant' or isEncrypted eq true",
            200,
        ),
        (
            "(complianceState eq 'noncompliant' or isEncrypted eq true) and freeStorageSpaceInBytes lt 6000",
            4,
        ),
        ("complianceState in ('noncompliant', 'conflict')", 100),
        ("startswith(deviceName, 'Device 00')", 10),
        ("endswith(deviceName, '99')", 3),
        ("contains(deviceName, 'ice 1')", 100),
        ("freeStorageSpaceInBytes ge 299000", 1),
        (
            "freeStorageSpaceInBytes gt 1000 and freeStorageSpaceInBytes le 3000",
            2,
        ),
        ("lastSyncDateTime ge 2026-11-30T00:00:00Z", 10),
        ("lastSyncDateTime lt 2026-11-02T08:00:00+00:00", 10),
        ("userPrincipalName eq null", 300),
        ("deviceName eq 'Device 007'", 1),
        ("operatingSystem eq 'windows'", 0),
    ] {
        assert_eq!(
            count_of(&emulator, &auth, filter).await,
            expected,
            "{filter}"
        );
    }
    // `$count` counts what the filter keeps.
    let count = get_as(
        &emulator,
        &auth,
        &format!("{DEVICES}/$count?$filter=complianceState eq 'noncompliant'"),
    )
    .await;
    assert_eq!(count.text, "100");
}

#[tokio::test]
async fn filters_the_metadata_refuses_are_graphs_400() {
    let (emulator, auth) = fleet().await;
    for (filter, message) in [
        (
            "colour eq 'red'",
            "Could not find a property named 'colour' on type 'microsoft.graph.managedDevice'.",
        ),
        (
            "tolower(deviceName) eq 'x'",
            "Invalid filter clause: the function 'tolower' is not supported (startswith, endswith, contains).",
        ),
        (
            "isEncrypted eq 'yes'",
            "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and the literal 'yes' for property 'isEncrypted'.",
        ),
        (
            "freeStorageSpaceInBytes eq '12'",
            "A binary operator with incompatible types was detected. Found operand types 'Edm.Int64' and the literal '12' for property 'freeStorageSpaceInBytes'.",
        ),
        (
            "complianceState eq 'bogus'",
            "The string 'bogus' is not a valid enumeration value for 'complianceState' (members: unknown, compliant, noncompliant, conflict, error, inGracePeriod, configManager).",
        ),
        (
            "deviceName eq 'unterminated",
            "Invalid filter clause: the string literal starting at position 14 is not closed in `deviceName eq 'unterminated`.",
        ),
        (
            "deviceName has 'x'",
            "Invalid filter clause: 'has' is not a supported operator (eq, ne, gt, ge, lt, le, in).",
        ),
        (
            "deviceName eq 'a' extra",
            "Invalid filter clause: syntax error at 'extra' in `deviceName eq 'a' extra`.",
        ),
    ] {
        let answer = filtered(&emulator, &auth, filter).await;
        assert_eq!(answer.status, 400, "{filter}: {}", answer.text);
        assert_eq!(answer.json()["error"]["code"], "BadRequest", "{filter}");
        assert_eq!(error_message(&answer), message, "{filter}");
    }
    for query in ["$orderby=colour", "$select=deviceName,colour"] {
        let answer = get_as(&emulator, &auth, &format!("{DEVICES}?{query}")).await;
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(
            error_message(&answer),
            "Could not find a property named 'colour' on type 'microsoft.graph.managedDevice'."
        );
    }
}

mod filter_property {
    //! The emulator's `$filter` against a reference evaluation written here, over random
    //! collections and random filters.

    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct Device {
        name: Option<&'static str>,
        state: Option<&'static str>,
        encrypted: Option<bool>,
        free: Option<i64>,
    }

    #[derive(Debug, Clone)]
    enum Expr {
        Name(&'static str, &'static str),
        State(&'static str, &'static str),
        Encrypted(bool),
        Free(&'static str, i64),
        StateIn(Vec<&'static str>),
        Text(&'static str, &'static str),
        IsNull(&'static str),
        And(Box<Expr>, Box<Expr>),
        Or(Box<Expr>, Box<Expr>),
        Not(Box<Expr>),
    }

    const NAMES: &[&str] = &["a", "ab", "b", "ba", "o'x"];
    const STATES: &[&str] = &["compliant", "noncompliant", "conflict"];
    const OPS: &[&str] = &["eq", "ne", "gt", "ge", "lt", "le"];

    fn quoted(text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    fn render(expr: &Expr) -> String {
        match expr {
            Expr::Name(op, v) => format!("deviceName {op} {}", quoted(v)),
            Expr::State(op, v) => format!("complianceState {op} {}", quoted(v)),
            Expr::Encrypted(v) => format!("isEncrypted eq {v}"),
            Expr::Free(op, v) => format!("freeStorageSpaceInBytes {op} {v}"),
            Expr::StateIn(vs) => format!(
                "complianceState in ({})",
                vs.iter().map(|v| quoted(v)).collect::<Vec<_>>().join(", ")
            ),
            Expr::Text(function, v) => format!("{function}(deviceName, {})", quoted(v)),
            Expr::IsNull(property) => format!("{property} eq null"),
            Expr::And(a, b) => format!("({}) and ({})", render(a), render(b)),
            Expr::Or(a, b) => format!("({}) or ({})", render(a), render(b)),
            Expr::Not(a) => format!("not ({})", render(a)),
        }
    }

    fn ordered<T: Ord>(op: &str, stored: Option<T>, literal: T) -> bool {
        match (op, stored) {
            ("eq", Some(s)) => s == literal,
            ("ne", Some(s)) => s != literal,
            ("ne", None) => true,
            ("gt", Some(s)) => s > literal,
            ("ge", Some(s)) => s >= literal,
            ("lt", Some(s)) => s < literal,
            ("le", Some(s)) => s <= literal,
            _ => false,
        }
    }

    fn holds(expr: &Expr, d: &Device) -> bool {
        match expr {
            Expr::Name(op, v) => ordered(op, d.name, *v),
            Expr::State(op, v) => ordered(op, d.state, *v),
            Expr::Encrypted(v) => d.encrypted == Some(*v),
            Expr::Free(op, v) => ordered(op, d.free, *v),
            Expr::StateIn(vs) => d.state.is_some_and(|s| vs.contains(&s)),
            Expr::Text(function, v) => d.name.is_some_and(|n| match *function {
                "startswith" => n.starts_with(v),
                "endswith" => n.ends_with(v),
                _ => n.contains(v),
            }),
            Expr::IsNull(property) => match *property {
                "deviceName" => d.name.is_none(),
                "complianceState" => d.state.is_none(),
                _ => d.free.is_none(),
            },
            Expr::And(a, b) => holds(a, d) && holds(b, d),
            Expr::Or(a, b) => holds(a, d) || holds(b, d),
            Expr::Not(a) => !holds(a, d),
        }
    }

    fn device() -> impl Strategy<Value = Device> {
        (
            proptest::option::of(proptest::sample::select(NAMES)),
            proptest::option::of(proptest::sample::select(STATES)),
            proptest::option::of(any::<bool>()),
            proptest::option::of(-3i64..4),
        )
            .prop_map(|(name, state, encrypted, free)| Device {
                name,
                state,
                encrypted,
                free,
            })
    }

    fn expr() -> impl Strategy<Value = Expr> {
        let op = proptest::sample::select(OPS);
        let leaf = prop_oneof![
            (op.clone(), proptest::sample::select(NAMES)).prop_map(|(o, v)| Expr::Name(o, v)),
            (op.clone(), proptest::sample::select(STATES)).prop_map(|(o, v)| Expr::State(o, v)),
            any::<bool>().prop_map(Expr::Encrypted),
            (op, -3i64..4).prop_map(|(o, v)| Expr::Free(o, v)),
            proptest::sample::subsequence(STATES, 1..=3).prop_map(Expr::StateIn),
            (
                proptest::sample::select(&["startswith", "endswith", "contains"][..]),
                proptest::sample::select(&["a", "b", "'", "x"][..])
            )
                .prop_map(|(f, v)| Expr::Text(f, v)),
            proptest::sample::select(
                &["deviceName", "complianceState", "freeStorageSpaceInBytes"][..]
            )
            .prop_map(Expr::IsNull),
        ];
        leaf.prop_recursive(3, 12, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
                inner.prop_map(|a| Expr::Not(Box::new(a))),
            ]
        })
    }

    fn stored(i: usize, d: &Device) -> Value {
        let mut item =
            json!({"@odata.type": "#microsoft.graph.managedDevice", "id": format!("d{i}")});
        if let Some(name) = d.name {
            item["deviceName"] = json!(name);
        }
        if let Some(state) = d.state {
            item["complianceState"] = json!(state);
        }
        if let Some(encrypted) = d.encrypted {
            item["isEncrypted"] = json!(encrypted);
        }
        if let Some(free) = d.free {
            item["freeStorageSpaceInBytes"] = json!(free);
        }
        item
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn the_emulator_filters_as_the_reference_does(
            devices in proptest::collection::vec(device(), 0..24),
            filter in expr(),
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let (got, text) = runtime.block_on(async {
                let mut builder = Emulator::builder().without_vector_seed();
                for (i, d) in devices.iter().enumerate() {
                    builder = builder.seed(format!("/{DEVICES}/d{i}"), stored(i, d));
                }
                let emulator = builder.start().await.unwrap();
                let auth = bearer_for(&emulator, &default_app()).await;
                let text = render(&filter);
                let encoded = percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC);
                let answer = get_as(&emulator, &auth, &format!("{DEVICES}?$filter={encoded}")).await;
                assert_eq!(answer.status, 200, "{text}: {}", answer.text);
                let got: Vec<String> = answer.json()["value"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["id"].as_str().unwrap().to_owned())
                    .collect();
                (got, text)
            });
            let expected: Vec<String> = devices
                .iter()
                .enumerate()
                .filter(|(_, d)| holds(&filter, d))
                .map(|(i, _)| format!("d{i}"))
                .collect();
            prop_assert_eq!(got, expected, "{}", text);
        }
    }
}
