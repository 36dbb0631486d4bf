//! Entities on the wire: the reference vectors, PATCH semantics, unknown members, polymorphism,
//! enums and decode errors.

use graphwire_core::{DateTimeOffset, GraphEntity, Int64, Nullable, from_json, graph_entity};
use graphwire_intune::vectors;
use graphwire_intune::*;
use serde_json::{Value, json};

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn documented_overview() -> DeviceComplianceUserOverview {
    DeviceComplianceUserOverview {
        pending_count: Some(12),
        not_applicable_count: Some(2),
        success_count: Some(12),
        error_count: Some(10),
        failed_count: Some(11),
        last_update_date_time: Some("2016-12-31T23:58:21.6459442-08:00".parse().unwrap()),
        configuration_version: Some(4),
        ..Default::default()
    }
}

#[test]
fn request_vector_is_produced_from_a_rust_value() {
    let body = serde_json::to_string(&documented_overview()).unwrap();
    assert_eq!(parse(&body), parse(vectors::UPDATE_USER_OVERVIEW_REQUEST));
    // The timestamp text itself, not just the instant: 7 digits and the -08:00 offset.
    assert!(body.contains(r#""lastUpdateDateTime":"2016-12-31T23:58:21.6459442-08:00""#));
    assert!(
        body.starts_with(r##"{"@odata.type":"#microsoft.graph.deviceComplianceUserOverview""##)
    );
}

#[test]
fn response_vector_decodes() {
    let overview: DeviceComplianceUserOverview =
        from_json(vectors::UPDATE_USER_OVERVIEW_RESPONSE).unwrap();
    assert_eq!(
        overview.id.as_deref(),
        Some("2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d")
    );
    assert_eq!(
        (
            overview.pending_count,
            overview.not_applicable_count,
            overview.success_count,
            overview.error_count,
            overview.failed_count,
            overview.configuration_version
        ),
        (Some(12), Some(2), Some(12), Some(10), Some(11), Some(4))
    );
    assert_eq!(
        overview.last_update_date_time.unwrap().to_string(),
        "2016-12-31T23:58:21.6459442-08:00"
    );
    assert!(
        overview.additional_data.is_empty(),
        "@odata.type is not an unknown member"
    );
}

#[test]
fn live_shape_decodes_and_ignores_context() {
    let overview: DeviceComplianceUserOverview =
        from_json(vectors::GET_USER_OVERVIEW_LIVE).unwrap();
    assert_eq!(overview.success_count, Some(3));
    assert_eq!(overview.failed_count, Some(1));
    assert_eq!(overview.configuration_version, Some(7));
    assert_eq!(
        overview.last_update_date_time.unwrap().to_string(),
        "2026-07-17T16:08:48Z"
    );
    assert!(overview.additional_data.is_empty());
    // Sent back, the annotation is not echoed and `id` is not sent.
    let echoed = parse(&serde_json::to_string(&overview).unwrap());
    assert_eq!(
        echoed,
        json!({
            "@odata.type": "#microsoft.graph.deviceComplianceUserOverview",
            "pendingCount": 0, "notApplicableCount": 0, "successCount": 3, "errorCount": 0,
            "failedCount": 1, "lastUpdateDateTime": "2026-07-17T16:08:48Z", "configurationVersion": 7
        })
    );
}

#[test]
fn documented_wrapped_shape_decodes() {
    let overview: DeviceComplianceDeviceOverview =
        from_json(vectors::GET_DEVICE_OVERVIEW_DOC).unwrap();
    assert_eq!(
        overview.id.as_deref(),
        Some("886f167b-167b-886f-7b16-6f887b166f88")
    );
    assert_eq!(overview.pending_count, Some(12));
    assert_eq!(overview.failed_count, Some(11));
}

#[test]
fn partial_select_response_decodes() {
    let overview: DeviceComplianceUserOverview = from_json(r#"{"successCount": 5}"#).unwrap();
    assert_eq!(
        overview,
        DeviceComplianceUserOverview {
            success_count: Some(5),
            ..Default::default()
        }
    );
}

#[test]
fn unknown_members_round_trip() {
    let text = r#"{"id":"p1","displayName":"Baseline","futureSetting":{"level":3,"tags":["a"]},"roleScopeTagIds":["0"]}"#;
    let policy: DeviceCompliancePolicyBase = from_json(text).unwrap();
    assert_eq!(policy.additional_data.len(), 2);
    assert_eq!(
        policy.additional_data["futureSetting"],
        json!({"level": 3, "tags": ["a"]})
    );
    let sent = parse(&serde_json::to_string(&policy).unwrap());
    assert_eq!(
        sent,
        json!({
            "@odata.type": "#microsoft.graph.deviceCompliancePolicy",
            "displayName": "Baseline",
            "futureSetting": {"level": 3, "tags": ["a"]},
            "roleScopeTagIds": ["0"]
        })
    );
}

#[test]
fn patch_sends_exactly_what_was_set_with_explicit_null() {
    let mut patch = Windows10CompliancePolicy::default();
    patch.base.description = Nullable::Null;
    patch.base.id = Some(DeviceCompliancePolicyId::from("must-not-be-sent"));
    patch.base.created_date_time = Some(DateTimeOffset::now_utc());
    patch.password_minimum_length = Nullable::Value(8);
    patch.os_minimum_version = Nullable::Null;
    patch.bit_locker_enabled = Some(true);
    let sent = parse(&serde_json::to_string(&patch).unwrap());
    assert_eq!(
        sent,
        json!({
            "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
            "description": null,
            "passwordMinimumLength": 8,
            "osMinimumVersion": null,
            "bitLockerEnabled": true
        })
    );
}

#[test]
fn read_only_properties_decode_but_are_not_sent() {
    let text = r##"{"@odata.type":"#microsoft.graph.deviceCompliancePolicy","id":"x","createdDateTime":"2017-01-01T00:02:43.5775965-08:00","lastModifiedDateTime":"2017-01-01T00:00:35.1329464-08:00","version":7}"##;
    let policy: DeviceCompliancePolicyBase = from_json(text).unwrap();
    assert_eq!(policy.id, Some(DeviceCompliancePolicyId::from("x")));
    assert_eq!(
        policy.created_date_time.unwrap().to_string(),
        "2017-01-01T00:02:43.5775965-08:00"
    );
    let sent = parse(&serde_json::to_string(&policy).unwrap());
    assert_eq!(
        sent,
        json!({"@odata.type": "#microsoft.graph.deviceCompliancePolicy", "version": 7})
    );
}

#[test]
fn list_vector_decodes_abstract_base_type() {
    #[derive(serde::Deserialize)]
    struct Page {
        value: Vec<DeviceCompliancePolicy>,
    }
    let page: Page = serde_json::from_str(vectors::LIST_COMPLIANCE_POLICIES).unwrap();
    assert_eq!(page.value.len(), 1);
    let DeviceCompliancePolicy::Base(policy) = &page.value[0] else {
        panic!("expected the base variant, got {:?}", page.value[0]);
    };
    assert_eq!(policy.display_name.as_deref(), Some("Display Name value"));
    assert_eq!(
        policy.description,
        Nullable::Value("Description value".to_string())
    );
    assert_eq!(policy.version, Some(7));
    assert_eq!(
        page.value[0].odata_type(),
        "#microsoft.graph.deviceCompliancePolicy"
    );
}

#[test]
fn polymorphic_known_subtype() {
    let text = r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","id":"i1","displayName":"iOS","passcodeRequired":true,"passcodeRequiredType":"numeric","deviceThreatProtectionRequiredSecurityLevel":"medium","passcodeMinimumLength":6}"##;
    let policy: DeviceCompliancePolicy = from_json(text).unwrap();
    let DeviceCompliancePolicy::Ios(ios) = &policy else {
        panic!("expected iOS, got {policy:?}");
    };
    assert_eq!(ios.passcode_required, Some(true));
    assert_eq!(
        ios.passcode_required_type,
        Some(RequiredPasswordType::Numeric)
    );
    assert_eq!(
        ios.device_threat_protection_required_security_level,
        Some(DeviceThreatProtectionLevel::Medium)
    );
    assert_eq!(ios.passcode_minimum_length, Nullable::Value(6));
    assert_eq!(
        policy.display_name.as_deref(),
        Some("iOS"),
        "derefs to the base"
    );
    assert_eq!(policy.id.as_ref().map(|id| id.as_str()), Some("i1"));
    // Without the leading '#', as Graph's docs sometimes write it.
    let bare: DeviceCompliancePolicy = from_json(
        r#"{"@odata.type":"microsoft.graph.macOSCompliancePolicy","firewallEnabled":true}"#,
    )
    .unwrap();
    assert!(
        matches!(bare, DeviceCompliancePolicy::MacOs(ref m) if m.firewall_enabled == Some(true))
    );
}

#[test]
fn polymorphic_missing_type_is_base() {
    let policy: DeviceCompliancePolicy =
        from_json(r#"{"id":"b","displayName":"no type"}"#).unwrap();
    assert!(
        matches!(&policy, DeviceCompliancePolicy::Base(b) if b.display_name.as_deref() == Some("no type"))
    );
}

#[test]
fn polymorphic_unknown_subtype_is_kept_whole() {
    let text = r##"{"@odata.type":"#microsoft.graph.aospDeviceOwnerCompliancePolicy","id":"u","displayName":"AOSP","passwordRequired":true,"minimumSecurityPatch":"2026-01"}"##;
    let policy: DeviceCompliancePolicy = from_json(text).unwrap();
    let DeviceCompliancePolicy::Unknown(unknown) = &policy else {
        panic!("expected Unknown, got {policy:?}");
    };
    assert_eq!(
        unknown.odata_type,
        "#microsoft.graph.aospDeviceOwnerCompliancePolicy"
    );
    assert_eq!(unknown.base.display_name.as_deref(), Some("AOSP"));
    let sent = parse(&serde_json::to_string(&policy).unwrap());
    assert_eq!(
        sent,
        json!({
            "@odata.type": "#microsoft.graph.aospDeviceOwnerCompliancePolicy",
            "displayName": "AOSP",
            "passwordRequired": true,
            "minimumSecurityPatch": "2026-01"
        })
    );
}

#[test]
fn subtype_round_trips_through_the_family() {
    let mut policy = AndroidCompliancePolicy::default();
    policy.base.display_name = Some("Android".into());
    policy.password_required_type = Some(AndroidRequiredPasswordType::AlphanumericWithSymbols);
    let family = DeviceCompliancePolicy::from(policy.clone());
    let text = serde_json::to_string(&family).unwrap();
    assert_eq!(
        parse(&text),
        json!({
            "@odata.type": "#microsoft.graph.androidCompliancePolicy",
            "displayName": "Android",
            "passwordRequiredType": "alphanumericWithSymbols"
        })
    );
    assert_eq!(from_json::<DeviceCompliancePolicy>(&text).unwrap(), family);
}

#[test]
fn assignment_target_always_carries_its_type() {
    let assignment = DeviceCompliancePolicyAssignment {
        target: Nullable::Value(
            ExclusionGroupAssignmentTarget {
                base: GroupAssignmentTargetBase {
                    group_id: Nullable::Value("g-1".into()),
                    ..Default::default()
                },
            }
            .into(),
        ),
        ..Default::default()
    };
    let sent = parse(&serde_json::to_string(&assignment).unwrap());
    assert_eq!(
        sent,
        json!({
            "@odata.type": "#microsoft.graph.deviceCompliancePolicyAssignment",
            "target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g-1"}
        })
    );
    let back: DeviceCompliancePolicyAssignment = from_json(&sent.to_string()).unwrap();
    assert_eq!(back, assignment);
}

#[test]
fn enums_keep_unknown_members() {
    let state: DeviceCompliancePolicySettingState =
        from_json(r#"{"state":"inGracePeriod","errorCode":"-2016281112"}"#).unwrap();
    assert_eq!(
        state.state,
        Some(ComplianceStatus::Unrecognized("inGracePeriod".into()))
    );
    assert_eq!(state.error_code, Some(Int64(-2016281112)));
    let sent = parse(&serde_json::to_string(&state).unwrap());
    assert_eq!(sent["state"], json!("inGracePeriod"));
    assert_eq!(
        sent["errorCode"],
        json!(-2016281112i64),
        "Int64 is sent as a number"
    );

    let summary: DeviceCompliancePolicySettingStateSummary =
        from_json(r#"{"platformType":"iOS"}"#).unwrap();
    assert_eq!(summary.platform_type, Some(PolicyPlatformType::IOS));
    assert_eq!(ComplianceStatus::Unknown.to_string(), "unknown");
    assert_eq!(PolicyPlatformType::MacOS.to_string(), "macOS");
}

#[test]
fn a_decode_error_never_quotes_a_token_from_the_body() {
    // serde's message quotes the value it could not read: a JWT there is taken out.
    let jwt = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    let err = from_json::<DeviceComplianceUserOverview>(&format!(r#"{{"pendingCount":"{jwt}"}}"#))
        .unwrap_err();
    assert_eq!(err.property(), Some("pendingCount"));
    assert_eq!(
        err.message(),
        "invalid type: string \"<redacted>\", expected i32 at line 1 column 65"
    );
}

#[test]
fn decode_errors_name_the_property_inside_lists_and_subtypes() {
    // An element of a list: its index, then the member.
    let err = from_json::<Vec<DeviceComplianceUserOverview>>(
        "[\n  {\"pendingCount\": 1},\n  {\"errorCount\": 2, \"pendingCount\": \"x\"}\n]",
    )
    .unwrap_err();
    assert_eq!(err.property(), Some("[1].pendingCount"));
    assert_eq!(
        err.message(),
        "invalid type: string \"x\", expected i32 at line 3 column 39"
    );

    // A subtype's member: the subtype's decoder names the member inside it; the body's
    // decoder places the failure where it stopped reading, the end of the container it was
    // in. That is the element itself when another follows it ...
    let ios =
        r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","passcodeMinimumLength":"six"}"##;
    let windows =
        r##"{"@odata.type":"#microsoft.graph.windows10CompliancePolicy","displayName":"a"}"##;
    let err = from_json::<Vec<DeviceCompliancePolicy>>(&format!("[{windows},{ios},{windows}]"))
        .unwrap_err();
    assert_eq!(err.property(), Some("[1]"));
    assert_eq!(
        err.message(),
        "passcodeMinimumLength: invalid type: string \"six\", expected i32 at line 1 column 165"
    );
    // ... and the list when it is the last (a known limit: the value was decoded whole, so the
    // list's end is the first place the body's decoder can report).
    let err = from_json::<Vec<DeviceCompliancePolicy>>(&format!("[{windows},{ios}]")).unwrap_err();
    assert_eq!(err.property(), None);
    assert_eq!(
        err.message(),
        "passcodeMinimumLength: invalid type: string \"six\", expected i32 at line 1 column 165"
    );
}

#[test]
fn decode_errors_name_the_property() {
    let err =
        from_json::<DeviceComplianceUserOverview>(r#"{"pendingCount": 3000000000}"#).unwrap_err();
    assert_eq!(err.property(), Some("pendingCount"));
    assert_eq!(
        err.to_string(),
        "property `pendingCount` could not be decoded: invalid value: integer `3000000000`, expected i32 at line 1 column 27"
    );

    let err = from_json::<DeviceComplianceUserOverview>(
        r#"{"lastUpdateDateTime": "2016-13-31T00:00:00Z"}"#,
    )
    .unwrap_err();
    assert_eq!(err.property(), Some("lastUpdateDateTime"));
    assert!(
        err.message().starts_with(
            "invalid DateTimeOffset `2016-13-31T00:00:00Z`: the month is out of range"
        ),
        "{err}"
    );

    let err =
        from_json::<DeviceComplianceUserOverview>(r#"{"successCount": "three"}"#).unwrap_err();
    assert_eq!(err.property(), Some("successCount"));
    assert!(
        err.message()
            .starts_with("invalid type: string \"three\", expected i32"),
        "{err}"
    );

    let err = from_json::<DeviceComplianceUserOverview>(r#"{"successCount": 1"#).unwrap_err();
    assert_eq!(
        err.message(),
        "EOF while parsing an object at line 1 column 18"
    );

    let err = from_json::<DeviceCompliancePolicy>(
        r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","passcodeMinimumLength":"six"}"##,
    )
    .unwrap_err();
    assert!(err.to_string().contains("passcodeMinimumLength"), "{err}");
}

#[test]
fn secret_fields_are_redacted_in_debug() {
    #[graph_entity(odata_type = "#microsoft.graph.passwordCredential")]
    struct PasswordCredential {
        display_name: Option<String>,
        #[graph(secret)]
        secret_text: Option<String>,
    }
    let credential = PasswordCredential {
        display_name: Some("ci".into()),
        secret_text: Some("Sup3r~Secret".into()),
        ..Default::default()
    };
    let debug = format!("{credential:?}");
    assert_eq!(
        debug,
        r#"PasswordCredential { display_name: Some("ci"), secret_text: <redacted>, additional_data: {} }"#
    );
    assert_eq!(
        PasswordCredential::META
            .property("secretText")
            .map(|p| p.secret),
        Some(true)
    );
}

#[test]
fn metadata_describes_the_declaration() {
    let meta = Windows10CompliancePolicy::META;
    assert_eq!(
        meta.odata_type,
        "#microsoft.graph.windows10CompliancePolicy"
    );
    assert_eq!(
        meta.base.map(|b| b.odata_type),
        Some("#microsoft.graph.deviceCompliancePolicy")
    );
    let structural = meta
        .all_properties()
        .into_iter()
        .filter(|p| !p.navigation)
        .count();
    assert_eq!(structural, 6 + 19);
    let created = meta.property("createdDateTime").unwrap();
    assert!(created.read_only);
    assert!(matches!(
        created.kind,
        graphwire_core::meta::Edm::DateTimeOffset
    ));
    assert!(meta.property("id").unwrap().read_only);
    assert!(matches!(
        meta.property("passwordRequiredType").unwrap().kind,
        graphwire_core::meta::Edm::Enum(e) if e.members == ["deviceDefault", "alphanumeric", "numeric"]
    ));
    let counts = [
        AndroidCompliancePolicy::META.properties.len(),
        AndroidWorkProfileCompliancePolicy::META.properties.len(),
        IosCompliancePolicy::META.properties.len(),
        MacOsCompliancePolicy::META.properties.len(),
        Windows10CompliancePolicy::META.properties.len(),
        Windows10MobileCompliancePolicy::META.properties.len(),
        Windows81CompliancePolicy::META.properties.len(),
        WindowsPhone81CompliancePolicy::META.properties.len(),
    ];
    assert_eq!(
        counts,
        [21, 21, 14, 17, 19, 16, 11, 11],
        "own properties per reference §1.3"
    );
}

#[test]
fn polymorphic_values_decode_from_a_json_tree_too() {
    let value =
        json!({"@odata.type": "#microsoft.graph.iosCompliancePolicy", "displayName": "tree"});
    let policy: DeviceCompliancePolicy = serde_json::from_value(value).unwrap();
    assert!(
        matches!(&policy, DeviceCompliancePolicy::Ios(p) if p.display_name.as_deref() == Some("tree"))
    );
}

/// With no options, a Graph enum whose members include `unknown` and `unknownFutureValue`
/// compiles, round-trips every member, and keeps a value it does not know.
#[test]
fn enums_with_a_member_named_unknown_need_no_options() {
    #[graphwire_core::graph_enum]
    pub enum ComplianceState {
        Unknown,
        Compliant,
        Noncompliant,
        Conflict,
        Error,
        InGracePeriod,
        ConfigManager,
        UnknownFutureValue,
    }
    let members = [
        (ComplianceState::Unknown, "unknown"),
        (ComplianceState::Compliant, "compliant"),
        (ComplianceState::Noncompliant, "noncompliant"),
        (ComplianceState::Conflict, "conflict"),
        (ComplianceState::Error, "error"),
        (ComplianceState::InGracePeriod, "inGracePeriod"),
        (ComplianceState::ConfigManager, "configManager"),
        (ComplianceState::UnknownFutureValue, "unknownFutureValue"),
    ];
    for (member, name) in members {
        let json = serde_json::to_string(&member).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(
            serde_json::from_str::<ComplianceState>(&json).unwrap(),
            member
        );
    }
    let future: ComplianceState = serde_json::from_str("\"retired\"").unwrap();
    assert_eq!(future, ComplianceState::Unrecognized("retired".into()));
    assert_eq!(serde_json::to_string(&future).unwrap(), "\"retired\"");
    assert_eq!(
        <ComplianceState as graphwire_core::GraphEnum>::META
            .members
            .len(),
        8
    );
}

/// An iOS policy with a member this crate does not know.
const IOS_WITH_NEW_MEMBER: &str = r##"{"@odata.type":"#microsoft.graph.iosCompliancePolicy","id":"p1","displayName":"iOS","passcodeRequired":true,"newMember":42}"##;

#[test]
fn unknown_members_are_the_same_through_the_family_the_variant_and_the_base() {
    let policy: DeviceCompliancePolicy = from_json(IOS_WITH_NEW_MEMBER).unwrap();
    let expected: graphwire_core::AdditionalData =
        serde_json::from_value(json!({"newMember": 42})).unwrap();
    // Through the family (Deref to the base properties).
    assert_eq!(policy.additional_data, expected);
    let DeviceCompliancePolicy::Ios(ios) = &policy else {
        panic!("decoded as {policy:?}");
    };
    // Through the variant, and its base.
    assert_eq!(ios.additional_data, expected);
    assert_eq!(ios.base.additional_data, expected);
    assert_eq!(ios.passcode_required, Some(true));
    // Written back once, unchanged (`id` is read-only: never sent).
    let mut sent = parse(IOS_WITH_NEW_MEMBER);
    sent.as_object_mut().unwrap().remove("id");
    assert_eq!(serde_json::to_value(&policy).unwrap(), sent);
}

#[test]
fn a_wrapped_single_entity_of_a_family_keeps_its_subtype() {
    // Microsoft's docs show some GET answers as {"value": {…}}.
    let wrapped = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceCompliancePolicies/$entity","value":{IOS_WITH_NEW_MEMBER}}}"#
    );
    let policy: DeviceCompliancePolicy = from_json(&wrapped).unwrap();
    let DeviceCompliancePolicy::Ios(ios) = &policy else {
        panic!("decoded as {policy:?}");
    };
    assert_eq!(ios.passcode_required, Some(true));
    assert_eq!(ios.display_name.as_deref(), Some("iOS"));
    assert_eq!(policy, from_json(IOS_WITH_NEW_MEMBER).unwrap());
    // Without `@odata.type` inside, it is the base type, unwrapped.
    let base: DeviceCompliancePolicy = from_json(r#"{"value":{"id":"p2"}}"#).unwrap();
    assert!(
        matches!(&base, DeviceCompliancePolicy::Base(b) if b.id.as_ref().map(|i| i.as_str()) == Some("p2"))
    );
    // Not a wrapper: `value` beside other members is an unknown member.
    let other: DeviceCompliancePolicy = from_json(r#"{"id":"p3","value":{"x":1}}"#).unwrap();
    assert_eq!(other.id.as_ref().map(|i| i.as_str()), Some("p3"));
    assert_eq!(other.additional_data["value"], json!({"x": 1}));
}

#[test]
fn an_as_received_export_keeps_the_read_only_members_the_request_encoder_drops() {
    let listed = parse(vectors::LIST_COMPLIANCE_POLICIES);
    let documented = &listed["value"][0];
    let policy: DeviceCompliancePolicy = serde_json::from_value(documented.clone()).unwrap();
    // Exactly as received: the key and the service-set timestamps included, digits kept.
    assert_eq!(
        graphwire_core::to_value_as_received(&policy).unwrap(),
        *documented
    );
    // The request encoder leaves out what a client may not send.
    let request = parse(&graphwire_core::to_json(&policy).unwrap());
    assert_eq!(
        request,
        json!({
            "@odata.type": "#microsoft.graph.deviceCompliancePolicy",
            "description": "Description value",
            "displayName": "Display Name value",
            "version": 7
        })
    );
    // And an export does not change what a request sends afterwards (the flag is scoped).
    assert_eq!(parse(&graphwire_core::to_json(&policy).unwrap()), request);
}
