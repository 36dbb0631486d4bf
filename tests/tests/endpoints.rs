//! Generated endpoint methods against a real HTTP server on loopback: the exact method, encoded
//! path, query string, headers and body sent for each response kind.

use crate::common;

use common::{client_for, header, received};
use graphwire_core::{
    Cloud, Error, GraphApi, GraphClient, NationalCloud, Pages, Query, graph_endpoint, graph_entity,
    graph_id,
};
use graphwire_intune::vectors;
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---- a library author's own endpoints, declared outside graphwire-intune ----

graph_id! {
    /// Key of a user.
    pub struct UserId;
}

#[graph_entity(odata_type = "#microsoft.graph.user")]
pub struct User {
    pub id: Option<UserId>,
    pub display_name: Option<String>,
}

pub struct Directory {
    client: GraphClient,
}

impl GraphApi for Directory {
    fn graph_client(&self) -> &GraphClient {
        &self.client
    }
}

impl Directory {
    /// OData key syntax.
    #[graph_endpoint(GET, "/users('{id}')", permissions = ["User.Read.All"])]
    pub async fn get_user_by_key(&self, id: &UserId) -> graphwire_core::Result<User>;

    /// A `$count` segment.
    #[graph_endpoint(GET, "/users/$count", permissions = ["User.Read.All"])]
    pub async fn count_users(&self, query: &Query) -> graphwire_core::Result<i64>;

    /// Extra headers (advanced queries need `ConsistencyLevel: eventual`).
    #[graph_endpoint(GET, "/users/$count", permissions = ["User.Read.All"])]
    pub async fn count_users_eventual(
        &self,
        query: &Query,
        headers: &graphwire_core::reqwest::header::HeaderMap,
    ) -> graphwire_core::Result<i64>;

    /// A beta endpoint, OpenAPI placeholder spelling, plain `&str` id.
    #[graph_endpoint(GET, "/users/{user-id}", version = "beta", permissions = ["User.Read.All"])]
    pub async fn get_user_beta(&self, user_id: &str) -> graphwire_core::Result<Option<User>>;

    /// An action with no body and no content.
    #[graph_endpoint(POST, "/users/{userId}/revokeSignInSessions", permissions = ["User.ReadWrite.All"])]
    pub async fn revoke_sessions(&self, user_id: &UserId) -> graphwire_core::Result<()>;

    /// Only in the global cloud.
    #[graph_endpoint(GET, "/users", permissions = ["User.Read.All"], clouds = [Global])]
    pub async fn list_users(&self, query: Query) -> graphwire_core::Result<Pages<User>>;

    /// One page only.
    #[graph_endpoint(GET, "/groups/{groupId}/members", permissions = ["GroupMember.Read.All"])]
    pub async fn first_members(&self, group_id: &str) -> graphwire_core::Result<Vec<User>>;
}

fn directory(server: &MockServer) -> Directory {
    Directory {
        client: client_for(server),
    }
}

const OVERVIEW_PATH: &str = "/v1.0/deviceManagement/deviceCompliancePolicies/2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d/userStatusOverview";

fn documented_patch() -> DeviceComplianceUserOverview {
    graphwire_core::from_json(vectors::UPDATE_USER_OVERVIEW_REQUEST).unwrap()
}

#[tokio::test]
async fn seed_patch_sends_the_documented_request() {
    let server = MockServer::builder().start().await;
    Mock::given(method("PATCH"))
        .and(path(OVERVIEW_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(vectors::UPDATE_USER_OVERVIEW_RESPONSE, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let policy = DeviceCompliancePolicyId::from("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d");
    let updated = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(&policy, &documented_patch())
        .await
        .unwrap()
        .expect("a 200 answer carries the resource");
    assert_eq!(
        updated.id.as_deref(),
        Some("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d")
    );
    assert_eq!(updated.failed_count, Some(11));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), OVERVIEW_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(request, "authorization"), Some("Bearer test-token"));
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(concat!("graphwire/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(
        header(request, "content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let request_id = header(request, "client-request-id").unwrap();
    assert_eq!(uuid_version(request_id), Some('4'), "{request_id}");
    assert_eq!(header(request, "retry-attempt"), None);
    assert!(
        header(request, "content-encoding").is_none(),
        "request bodies are not compressed"
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let expected: Value = serde_json::from_str(vectors::UPDATE_USER_OVERVIEW_REQUEST).unwrap();
    assert_eq!(body, expected);
    assert!(
        String::from_utf8_lossy(&request.body)
            .contains(r#""lastUpdateDateTime":"2016-12-31T23:58:21.6459442-08:00""#)
    );
}

fn uuid_version(id: &str) -> Option<char> {
    (id.len() == 36).then(|| id.chars().nth(14)).flatten()
}

/// An update answered `204 No Content` returns `None`: the server applied it and returned no
/// state, so nothing pretends to be the server's copy (the sent body has no `id`).
#[tokio::test]
async fn patch_answered_with_204_returns_none() {
    let server = MockServer::builder().start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let patch = documented_patch();
    let result = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(&DeviceCompliancePolicyId::from("p"), &patch)
        .await
        .unwrap();
    assert_eq!(result, None);
}

/// An endpoint declared to return an entity, answered without a body, is an error that says
/// what was expected and how to declare an endpoint that may answer 204.
#[tokio::test]
async fn an_entity_endpoint_answered_without_a_body_is_a_decode_error() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let err = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_get(&DeviceCompliancePolicyId::from("p"))
        .await
        .unwrap_err();
    assert!(matches!(err, graphwire_core::Error::Decode(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "response body could not be decoded: expected a #microsoft.graph.deviceComplianceUserOverview in the body, got 204 No Content with no body; declare the return type Option<T> where the service may answer without one"
    );
}

#[tokio::test]
async fn ids_are_percent_encoded_as_one_segment() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let api = directory(&server);
    let cases = [
        ("a/b", "/beta/users/a%2Fb"),
        ("what?x=1", "/beta/users/what%3Fx%3D1"),
        ("frag#ment", "/beta/users/frag%23ment"),
        ("100%", "/beta/users/100%25"),
        ("with space", "/beta/users/with%20space"),
        ("Zoë-数据", "/beta/users/Zo%C3%AB-%E6%95%B0%E6%8D%AE"),
    ];
    for (id, _) in cases {
        assert_eq!(api.get_user_beta(id).await.unwrap(), None, "204 gives None");
    }
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    let expected: Vec<&str> = cases.iter().map(|(_, p)| *p).collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn empty_id_is_rejected_before_sending() {
    let server = MockServer::builder().start().await;
    let client = client_for(&server);
    let err = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(&DeviceCompliancePolicyId::from(""), &documented_patch())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument { argument, .. } if argument == "device_compliance_policy_id"),
        "{err:?}"
    );
    assert!(!err.was_sent());
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn odata_key_syntax_doubles_quotes() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "o'brien", "displayName": "O"})),
        )
        .mount(&server)
        .await;
    let user = directory(&server)
        .get_user_by_key(&UserId::from("o'brien"))
        .await
        .unwrap();
    assert_eq!(user.display_name.as_deref(), Some("O"));
    assert_eq!(
        received(&server).await[0].url.path(),
        "/v1.0/users('o%27%27brien')"
    );
}

#[tokio::test]
async fn count_segment_and_query_options() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/$count"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("42", "text/plain"))
        .mount(&server)
        .await;
    let query = Query::new()
        .filter(format!(
            "startsWith(displayName,{})",
            Query::literal("A & B's")
        ))
        .search("\"display:ünïcode\"");
    let count = directory(&server).count_users(&query).await.unwrap();
    assert_eq!(count, 42);
    let request = &received(&server).await[0];
    assert_eq!(
        request.url.query(),
        Some(
            "$filter=startsWith(displayName,%27A%20%26%20B%27%27s%27)&$search=%22display:%C3%BCn%C3%AFcode%22"
        )
    );
}

/// A server answering `GET /v1.0/users/$count` with 7.
async fn users_count_server() -> MockServer {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/$count"))
        .respond_with(ResponseTemplate::new(200).set_body_string("7"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn query_on_a_call_merges_with_the_declared_query() {
    let server = users_count_server().await;
    let declared = Query::new().filter("accountEnabled eq true").top(5);
    let count = directory(&server)
        .count_users(&declared)
        .query(&Query::new().top(10))
        .query(&Query::new().count(true))
        .await
        .unwrap();
    assert_eq!(count, 7);
    let request = &received(&server).await[0];
    // `$top` from the later `.query` replaced the declared one; `$filter` stayed.
    assert_eq!(
        request.url.query(),
        Some("$filter=accountEnabled%20eq%20true&$top=10&$count=true")
    );
}

#[tokio::test]
async fn an_option_after_the_first_poll_stops_the_call_with_an_error() {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::Poll;
    let server = users_count_server().await;
    let mut call = directory(&server).count_users(&Query::new());
    // One poll starts the call (as `select!` or `poll!` on `&mut call` would).
    std::future::poll_fn(|cx| {
        let _ = Pin::new(&mut call).poll(cx);
        Poll::Ready(())
    })
    .await;
    let error = call.query(&Query::new().top(1)).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { argument, .. } if argument == "call"));
    assert_eq!(
        error.to_string(),
        "invalid argument `call`: `.query(…)` was called after the call was first polled, too late to reach its request; set options before awaiting or polling the call"
    );
}

#[tokio::test]
async fn bodyless_post_sends_content_length_zero() {
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/u1/revokeSignInSessions"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    directory(&server)
        .revoke_sessions(&UserId::from("u1"))
        .await
        .unwrap();
    let request = &received(&server).await[0];
    assert_eq!(header(request, "content-length"), Some("0"));
    assert_eq!(header(request, "content-type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn paged_collection_follows_next_link_and_exposes_count() {
    let server = MockServer::builder().start().await;
    let next = format!("{}/v1.0/users?$top=2&$skiptoken=abc%3D%3D", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(wiremock::matchers::query_param("$skiptoken", "abc=="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "3", "displayName": "C"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "@odata.count": 3,
            "@odata.nextLink": next,
            "value": [{"id": "1", "displayName": "A"}, {"id": "2", "displayName": "B"}]
        })))
        .mount(&server)
        .await;
    let pages = directory(&server)
        .list_users(Query::new().top(2).count(true))
        .await
        .unwrap();
    assert_eq!(pages.count(), Some(3));
    let users = pages.collect_all().await.unwrap();
    let names: Vec<_> = users
        .iter()
        .filter_map(|u| u.display_name.clone())
        .collect();
    assert_eq!(names, ["A", "B", "C"]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url.query(), Some("$top=2&$count=true"));
    assert_eq!(
        requests[1].url.query(),
        Some("$top=2&$skiptoken=abc%3D%3D"),
        "nextLink used verbatim"
    );
    assert_eq!(
        header(&requests[1], "authorization"),
        Some("Bearer test-token")
    );
}

#[tokio::test]
async fn paged_collection_as_a_stream() {
    use futures::TryStreamExt;
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1"}, {"id": "2"}]
        })))
        .mount(&server)
        .await;
    let pages = directory(&server).list_users(Query::new()).await.unwrap();
    let ids: Vec<String> = pages
        .into_stream()
        .map_ok(|u| u.id.map(|i| i.to_string()).unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2"]);
}

/// Two pages: `1`, `2`, then `3` with a deltaLink, as a delta query's last page carries.
async fn two_pages_ending_in_a_delta_link(server: &MockServer) -> String {
    let next = format!("{}/v1.0/users?$skiptoken=p2", server.uri());
    let delta = format!("{}/v1.0/users/delta()?$deltatoken=d1", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(wiremock::matchers::query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.deltaLink": delta,
            "value": [{"id": "3"}]
        })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": next,
            "value": [{"id": "1"}, {"id": "2"}]
        })))
        .mount(server)
        .await;
    delta
}

#[tokio::test]
async fn try_next_reads_item_by_item_and_keeps_the_delta_link() {
    let server = MockServer::builder().start().await;
    let delta = two_pages_ending_in_a_delta_link(&server).await;
    let mut pages = directory(&server).list_users(Query::new()).await.unwrap();
    let first = pages.try_next().await.unwrap().and_then(|u| u.id);
    assert_eq!(first.as_deref(), Some("1"));
    // What is left of the page comes first, then the next page.
    let rest = pages.next_page().await.unwrap().unwrap();
    assert_eq!(
        rest.iter()
            .filter_map(|u| u.id.as_deref())
            .collect::<Vec<_>>(),
        ["2"]
    );
    assert_eq!(pages.delta_link(), None, "not before the last page");
    let third = pages.try_next().await.unwrap().and_then(|u| u.id);
    assert_eq!(third.as_deref(), Some("3"));
    assert!(pages.try_next().await.unwrap().is_none());
    assert_eq!(pages.delta_link(), Some(delta.as_str()));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_item_stream_is_unpin_and_has_try_next() {
    fn unpin<S: Unpin + Send>(stream: S) -> S {
        stream
    }
    let server = MockServer::builder().start().await;
    two_pages_ending_in_a_delta_link(&server).await;
    let pages = directory(&server).list_users(Query::new()).await.unwrap();
    let mut items = unpin(pages.into_stream());
    let mut ids = Vec::new();
    while let Some(user) = items.try_next().await.unwrap() {
        ids.extend(user.id.map(|id| id.to_string()));
    }
    assert_eq!(ids, ["1", "2", "3"]);
}

#[tokio::test]
async fn a_kept_delta_link_resumes_the_listing_under_the_same_rules() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta()"))
        .and(wiremock::matchers::query_param("$deltatoken", "d1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.deltaLink": format!("{}/v1.0/users/delta()?$deltatoken=d2", server.uri()),
            "value": [{"id": "4", "displayName": "changed"}]
        })))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let link = format!("{}/v1.0/users/delta()?$deltatoken=d1", server.uri());
    let mut changes = Pages::<User>::resume(&client, &link).await.unwrap();
    let changed = changes.try_next().await.unwrap().unwrap();
    assert_eq!(changed.display_name.as_deref(), Some("changed"));
    assert!(changes.try_next().await.unwrap().is_none());
    assert_eq!(
        changes.delta_link(),
        Some(format!("{}/v1.0/users/delta()?$deltatoken=d2", server.uri()).as_str())
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.query(),
        Some("$deltatoken=d1"),
        "used verbatim"
    );
    assert_eq!(
        header(&requests[0], "authorization"),
        Some("Bearer test-token")
    );

    let err = Pages::<User>::resume(&client, "https://attacker.example/v1.0/users/delta()")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "refused to send to https://attacker.example/v1.0/users/delta(): the link points to a host that is not allowed to receive the token"
    );
    assert_eq!(
        received(&server).await.len(),
        1,
        "nothing sent to the other host"
    );
}

#[tokio::test]
async fn next_link_to_another_host_is_refused() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": "https://attacker.example/v1.0/users?$skiptoken=x",
            "value": [{"id": "1"}]
        })))
        .mount(&server)
        .await;
    let mut pages = directory(&server).list_users(Query::new()).await.unwrap();
    assert_eq!(pages.next_page().await.unwrap().map(|p| p.len()), Some(1));
    let err = pages.next_page().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "refused to send to https://attacker.example/v1.0/users: @odata.nextLink points to a host that is not allowed to receive the token"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn single_page_collection() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/groups/g%201/members"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": "ignored",
            "value": [{"id": "1"}]
        })))
        .mount(&server)
        .await;
    let members = directory(&server).first_members("g 1").await.unwrap();
    assert_eq!(members.len(), 1);
}

#[tokio::test]
async fn endpoint_missing_from_the_cloud_fails_before_sending() {
    let server = MockServer::builder().start().await;
    let root = url::Url::parse(&format!("{}/", server.uri())).unwrap();
    let client = GraphClient::builder()
        .cloud(Cloud::custom(root.clone(), root).emulating(NationalCloud::China))
        .build()
        .unwrap();
    let api = Directory { client };
    let err = api.list_users(Query::new()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "`list_users` is not available in the china cloud; it is available in: global"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn endpoint_metadata_is_data() {
    use graphwire_core::meta::{ApiVersion, Endpoint, HttpMethod, ResponseShape};
    let find = |op: &str| Endpoint::all().find(|e| e.operation == op).unwrap();
    let seed = find("device_compliance_policies.user_status_overview_update");
    assert_eq!(seed.method, HttpMethod::Patch);
    assert_eq!(
        seed.template,
        "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatusOverview"
    );
    assert_eq!(seed.version, ApiVersion::V1);
    assert_eq!(
        seed.delegated,
        ["DeviceManagementConfiguration.ReadWrite.All"]
    );
    assert_eq!(
        seed.application,
        ["DeviceManagementConfiguration.ReadWrite.All"]
    );
    assert_eq!(seed.clouds, NationalCloud::ALL);
    assert_eq!(
        seed.request.map(|m| m.odata_type),
        Some("#microsoft.graph.deviceComplianceUserOverview")
    );
    assert!(
        matches!(seed.response, ResponseShape::Entity(m) if m.rust_name == "DeviceComplianceUserOverview")
    );
    let beta = find("get_user_beta");
    assert_eq!(beta.version, ApiVersion::Beta);
    assert!(matches!(
        find("list_users").response,
        ResponseShape::Collection(_)
    ));
    assert!(matches!(find("count_users").response, ResponseShape::Count));
    assert!(matches!(
        find("revoke_sessions").response,
        ResponseShape::NoContent
    ));
}

#[tokio::test]
async fn header_parameters_are_sent() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/$count"))
        .and(wiremock::matchers::header("consistencylevel", "eventual"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("7", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = graphwire_core::reqwest::header::HeaderMap::new();
    headers.insert("ConsistencyLevel", "eventual".parse().unwrap());
    let count = directory(&server)
        .count_users_eventual(&Query::new().search("\"displayName:ad\""), &headers)
        .await
        .unwrap();
    assert_eq!(count, 7);
}

/// Query options and headers can be added to any call before `.await`, and a GET needs
/// neither; nothing is sent until the call is awaited.
#[tokio::test]
async fn options_and_headers_are_added_to_the_call_and_nothing_is_sent_before_await() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(vectors::UPDATE_USER_OVERVIEW_RESPONSE, "application/json"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let intune = client.intune();
    let policy = DeviceCompliancePolicyId::from("p-1");
    let prepared = intune
        .device_compliance_policies()
        .user_status_overview_get(&policy);
    assert!(received(&server).await.is_empty(), "not sent before await");
    drop(prepared);
    assert!(
        received(&server).await.is_empty(),
        "a dropped call is never sent"
    );

    intune
        .device_compliance_policies()
        .user_status_overview_get(&policy)
        .await
        .unwrap();
    intune
        .device_compliance_policies()
        .user_status_overview_get(&policy)
        .query(&Query::new().select(["failedCount"]))
        .header(
            graphwire_core::reqwest::header::HeaderName::from_static("prefer"),
            graphwire_core::reqwest::header::HeaderValue::from_static("return=minimal"),
        )
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(header(&requests[0], "prefer"), None);
    assert_eq!(requests[1].url.query(), Some("$select=failedCount"));
    assert_eq!(header(&requests[1], "prefer"), Some("return=minimal"));
}

#[tokio::test]
async fn a_handler_outlives_the_client_it_was_made_from() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/deviceManagement/managedDevices/$count"))
        .respond_with(ResponseTemplate::new(200).set_body_string("3"))
        .mount(&server)
        .await;
    // The client is dropped at the end of the block; the handler holds its own.
    let devices = {
        let client = client_for(&server);
        client.intune().managed_devices()
    };
    let moved = tokio::spawn({
        let devices = devices.clone();
        async move { devices.count().await }
    });
    assert_eq!(moved.await.unwrap().unwrap(), 3);
    assert_eq!(devices.count().await.unwrap(), 3);
    assert_eq!(received(&server).await.len(), 2);
}

// ---- `$ref`: which entity a navigation points to ----

#[tokio::test]
async fn a_reference_is_set_read_and_removed_through_ref() {
    let server = MockServer::builder().start().await;
    let client = client_for(&server);
    let reference = client.reference_to(
        graphwire_core::ApiVersion::V1,
        "/deviceManagement/deviceCategories/category-7",
    );
    let url = format!(
        "{}/v1.0/deviceManagement/deviceCategories/category-7",
        server.uri()
    );
    assert_eq!(reference.odata_id(), url);
    let ref_path = "/v1.0/deviceManagement/managedDevices/device%201/deviceCategory/$ref";
    Mock::given(method("PUT"))
        .and(path(ref_path))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ref_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceCategories/$entity",
            "@odata.id": url,
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(ref_path))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let device = graphwire_intune::ManagedDeviceId::from("device 1");
    let devices = client.intune().managed_devices();
    let () = devices
        .device_category_ref_set(&device, &reference)
        .await
        .unwrap();
    let got = devices.device_category_ref_get(&device).await.unwrap();
    assert_eq!(got, reference);
    let () = devices.device_category_ref_delete(&device).await.unwrap();

    let requests = received(&server).await;
    let sent: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.url.path()))
        .collect();
    assert_eq!(
        sent,
        [("PUT", ref_path), ("GET", ref_path), ("DELETE", ref_path)]
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&requests[0].body).unwrap(),
        json!({ "@odata.id": url })
    );
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/json")
    );
    assert!(requests[1].body.is_empty() && requests[2].body.is_empty());
}

#[tokio::test]
async fn a_ref_answer_without_an_odata_id_is_a_decode_error() {
    let server = MockServer::builder().start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "category-7"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let devices = client.intune().managed_devices();
    let device = graphwire_intune::ManagedDeviceId::from("d");
    let err = devices.device_category_ref_get(&device).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "response body could not be decoded: missing field `@odata.id` at line 1 column 19"
    );
    let err = devices.device_category_ref_get(&device).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "response body could not be decoded: expected a reference (`@odata.id`) in the body, got 204 No Content with no body"
    );
}
