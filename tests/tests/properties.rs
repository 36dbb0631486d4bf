//! Property tests (proptest) and stable-toolchain fuzzing: ids survive percent-encoding,
//! timestamps round-trip, entities round-trip with unknown members, and the decoders, the
//! error-body parser and the `Retry-After` parser never panic on arbitrary input.

use graphwire_core::path::{Piece, build_path};
use graphwire_core::{DateTimeOffset, from_json};
use graphwire_core::{ServiceError, parse_retry_after};
use graphwire_intune::{DeviceCompliancePolicy, DeviceComplianceUserOverview};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Arbitrary JSON values, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("#microsoft.graph.iosCompliancePolicy"),
            Just("#microsoft.graph.deviceCompliancePolicy"),
            Just("2016-12-31T23:58:21.6459442-08:00"),
            Just("pendingCount"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("@odata.type".to_owned()),
                        Just("pendingCount".to_owned()),
                        Just("lastUpdateDateTime".to_owned()),
                        Just("displayName".to_owned()),
                        Just("value".to_owned()),
                        "[a-zA-Z@.]{1,10}",
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_id_is_one_segment_and_comes_back_identical(id in "\\PC{1,24}|[/?#% '.~]{1,8}") {
        // `.` and `..` are refused before sending (dot segments); everything else must survive.
        prop_assume!(id != "." && id != "..");
        let path = build_path(&[Piece::Literal("/users/"), Piece::Segment("id", &id), Piece::Literal("/x")]).unwrap();
        // What the HTTP stack and then the server do with it.
        let url = url::Url::parse(&format!("https://graph.microsoft.com/v1.0{path}")).unwrap();
        let segments: Vec<&str> = url.path_segments().unwrap().collect();
        prop_assert_eq!(segments.len(), 4, "{} became {:?}", id, segments);
        let decoded = percent_encoding::percent_decode_str(segments[2]).decode_utf8().unwrap();
        prop_assert_eq!(decoded.as_ref(), id.as_str());
    }

    #[test]
    fn timestamps_round_trip_with_digits_and_offset(
        year in 1i32..=9999, month in 1u8..=12, day in 1u8..=28,
        hour in 0u8..24, minute in 0u8..60, second in 0u8..60,
        ticks in 0u32..10_000_000, digits in 0usize..=7,
        offset_minutes in -840i32..=840,
    ) {
        let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
        if digits > 0 {
            text.push('.');
            text.push_str(&format!("{ticks:07}")[..digits]);
        }
        if offset_minutes == 0 {
            text.push('Z');
        } else {
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let m = offset_minutes.abs();
            text.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
        }
        let parsed: DateTimeOffset = text.parse().unwrap();
        prop_assert_eq!(parsed.to_string(), text.clone());
        let again: DateTimeOffset = parsed.to_string().parse().unwrap();
        prop_assert_eq!(again, parsed);
    }

    #[test]
    fn entities_round_trip_with_unknown_members(
        counts in prop::collection::vec(prop::option::of(any::<i32>()), 6),
        extra in prop::collection::btree_map("[a-z]{1,8}Extra", json_value(), 0..4),
    ) {
        let overview = DeviceComplianceUserOverview {
            pending_count: counts[0],
            not_applicable_count: counts[1],
            success_count: counts[2],
            error_count: counts[3],
            failed_count: counts[4],
            configuration_version: counts[5],
            last_update_date_time: Some("2016-12-31T23:58:21.6459442-08:00".parse().unwrap()),
            additional_data: extra.into_iter().collect(),
            ..Default::default()
        };
        let text = graphwire_core::to_json(&overview).unwrap();
        let back: DeviceComplianceUserOverview = from_json(&text).unwrap();
        prop_assert_eq!(back, overview);
    }
}

proptest! {
    #![proptest_config(config(2000))]

    /// Response decoding: never a panic, whatever arrives.
    #[test]
    fn fuzz_response_decoding(value in json_value(), raw in ".{0,64}") {
        let text = value.to_string();
        let _ = from_json::<DeviceCompliancePolicy>(&text);
        let _ = from_json::<DeviceComplianceUserOverview>(&text);
        let _ = from_json::<DeviceCompliancePolicy>(&raw);
        let _ = from_json::<Vec<DeviceCompliancePolicy>>(&json!([value]).to_string());
    }

    /// Error bodies: any bytes and any status give a `ServiceError` with a bounded excerpt.
    #[test]
    fn fuzz_error_body_parsing(status in 100u16..600, value in json_value(), raw in prop::collection::vec(any::<u8>(), 0..700)) {
        let parsed = ServiceError::from_body(status, json!({"error": value}).to_string().as_bytes());
        prop_assert_eq!(parsed.status, status);
        let parsed = ServiceError::from_body(status, &raw);
        prop_assert!(parsed.body_excerpt.chars().count() <= 512);
    }

    /// `Retry-After`: any text parses to a wait or to nothing, never a panic.
    #[test]
    fn fuzz_retry_after(text in ".{0,40}|[0-9.e+-]{1,12}") {
        let _ = parse_retry_after(&text, std::time::SystemTime::now());
    }
}

#[test]
fn seeded_corpus_from_the_vectors_decodes() {
    use graphwire_intune::vectors::*;
    for vector in [
        UPDATE_USER_OVERVIEW_REQUEST,
        UPDATE_USER_OVERVIEW_RESPONSE,
        GET_USER_OVERVIEW_LIVE,
        GET_DEVICE_OVERVIEW_DOC,
    ] {
        assert!(from_json::<DeviceComplianceUserOverview>(vector).is_ok());
        // Every prefix of a vector is handled (truncated bodies).
        for cut in 0..vector.len() {
            if vector.is_char_boundary(cut) {
                let _ = from_json::<DeviceComplianceUserOverview>(&vector[..cut]);
            }
        }
    }
    let error = ServiceError::from_body(429, ERROR_THROTTLED.as_bytes());
    assert_eq!(error.code, "TooManyRequests");
}

proptest! {
    #![proptest_config(config(64))]

    /// The same through the whole client to a real server on loopback: the path the server
    /// received decodes back to the id.
    #[test]
    fn any_id_reaches_the_server_unchanged(id in "\\PC{1,16}|[/?#% '.~]{1,8}") {
        prop_assume!(id != "." && id != "..");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let received = runtime.block_on(async {
            use graphwire_intune::{DeviceCompliancePolicyId, IntuneExt};
            let server = wiremock::MockServer::builder().start().await;
            wiremock::Mock::given(wiremock::matchers::method("GET"))
                .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({"id": "x"})))
                .mount(&server)
                .await;
            let root = url::Url::parse(&format!("{}/", server.uri())).unwrap();
            let client = graphwire_core::GraphClient::builder()
                .cloud(graphwire_core::Cloud::custom(root.clone(), root))
                .build()
                .unwrap();
            client
                .intune()
                .device_compliance_policies().user_status_overview_get(&DeviceCompliancePolicyId::from(id.as_str()))
                .await
                .unwrap();
            server.received_requests().await.unwrap()[0].url.path().to_owned()
        });
        let segments: Vec<&str> = received.split('/').collect();
        prop_assert_eq!(segments.len(), 6, "{} arrived as {}", id, received);
        let decoded = percent_encoding::percent_decode_str(segments[4]).decode_utf8().unwrap();
        prop_assert_eq!(decoded.as_ref(), id.as_str());
    }
}
