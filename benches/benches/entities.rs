//! Entity encode and decode: `#[graph_entity]` types against plain serde structs with the same
//! fields, on the reference vectors and on a list of 1,000 policies.
//!
//! `cargo bench -p graph-benches --bench entities`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use graphwire_core::DateTimeOffset;
use graphwire_intune::vectors;
use graphwire_intune::{
    DeviceCompliancePolicy, DeviceComplianceUserOverview, Windows10CompliancePolicy,
};
use serde::{Deserialize, Serialize};

mod common;
use common::PlainOverview;

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PlainWindows10 {
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    odata_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_date_time: Option<DateTimeOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified_date_time: Option<DateTimeOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_block_simple: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_required_to_unlock_from_idle: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    require_healthy_device_report: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    early_launch_anti_malware_driver_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bit_locker_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secure_boot_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_integrity_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    storage_require_encryption: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_minutes_of_inactivity_before_lock: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_expiration_days: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_minimum_length: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_minimum_character_set_count: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_previous_password_block_count: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_required_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    os_minimum_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    os_maximum_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile_os_minimum_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile_os_maximum_version: Option<String>,
}

/// A collection page; the values are only decoded, never read.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Page<T> {
    value: Vec<T>,
}

fn policy_list(n: usize) -> String {
    let mut item: serde_json::Value = serde_json::from_str(SAMPLE).unwrap_or_default();
    item["@odata.type"] = "#microsoft.graph.windows10CompliancePolicy".into();
    let items: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let mut item = item.clone();
            item["id"] = format!("policy-{i}").into();
            item
        })
        .collect();
    serde_json::json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/deviceCompliancePolicies", "value": items }).to_string()
}

const SAMPLE: &str = r#"{"id": "value", "createdDateTime": "2016-12-31T23:58:21.6459442-08:00", "description": "value", "lastModifiedDateTime": "2016-12-31T23:58:21.6459442-08:00", "displayName": "value", "version": 12, "passwordRequired": true, "passwordBlockSimple": true, "passwordRequiredToUnlockFromIdle": true, "requireHealthyDeviceReport": true, "earlyLaunchAntiMalwareDriverEnabled": true, "bitLockerEnabled": true, "secureBootEnabled": true, "codeIntegrityEnabled": true, "storageRequireEncryption": true, "passwordMinutesOfInactivityBeforeLock": 12, "passwordExpirationDays": 12, "passwordMinimumLength": 12, "passwordMinimumCharacterSetCount": 12, "passwordPreviousPasswordBlockCount": 12, "passwordRequiredType": "alphanumeric", "osMinimumVersion": "value", "osMaximumVersion": "value", "mobileOsMinimumVersion": "value", "mobileOsMaximumVersion": "value"}"#;

fn bench(c: &mut Criterion) {
    let ours: DeviceComplianceUserOverview =
        graphwire_core::from_json(vectors::UPDATE_USER_OVERVIEW_REQUEST).unwrap_or_default();
    let plain: PlainOverview =
        serde_json::from_str(vectors::UPDATE_USER_OVERVIEW_REQUEST).unwrap_or_default();

    let mut encode = c.benchmark_group("encode: update-user-overview request");
    encode.bench_function("plain serde (baseline)", |b| {
        b.iter(|| serde_json::to_vec(black_box(&plain)))
    });
    encode.bench_function("graph_entity", |b| {
        b.iter(|| serde_json::to_vec(black_box(&ours)))
    });
    encode.finish();

    let response = vectors::UPDATE_USER_OVERVIEW_RESPONSE;
    let mut decode = c.benchmark_group("decode: update-user-overview response");
    decode.bench_function("plain serde (baseline)", |b| {
        b.iter(|| serde_json::from_str::<PlainOverview>(black_box(response)))
    });
    decode.bench_function("graph_entity", |b| {
        b.iter(|| serde_json::from_str::<DeviceComplianceUserOverview>(black_box(response)))
    });
    decode.finish();

    let list = policy_list(1000);
    let mut decode = c.benchmark_group("decode: 1,000 windows10 policies");
    decode.sample_size(30);
    decode.bench_function("plain serde (baseline)", |b| {
        b.iter(|| serde_json::from_str::<Page<PlainWindows10>>(black_box(&list)))
    });
    decode.bench_function("graph_entity", |b| {
        b.iter(|| serde_json::from_str::<Page<Windows10CompliancePolicy>>(black_box(&list)))
    });
    decode.bench_function("graph_polymorphic (by @odata.type)", |b| {
        b.iter(|| serde_json::from_str::<Page<DeviceCompliancePolicy>>(black_box(&list)))
    });
    decode.finish();

    let ids = [
        "2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d",
        "o'brien/with space?#%",
    ];
    let mut path = c.benchmark_group("path building (per call)");
    for id in ids {
        path.bench_function(format!("format! without encoding (baseline) {id:?}"), |b| {
            b.iter(|| {
                format!(
                    "/deviceManagement/deviceCompliancePolicies/{}/userStatusOverview",
                    black_box(id)
                )
            })
        });
        path.bench_function(format!("build_path with encoding {id:?}"), |b| {
            b.iter(|| {
                graphwire_core::path::build_path(&[
                    graphwire_core::path::Piece::Literal(
                        "/deviceManagement/deviceCompliancePolicies/",
                    ),
                    graphwire_core::path::Piece::Segment("id", black_box(id)),
                    graphwire_core::path::Piece::Literal("/userStatusOverview"),
                ])
            })
        });
    }
    path.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
