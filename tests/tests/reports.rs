//! Intune's reports as data: the report table read into rows, and an export job run to its
//! file (create, poll on tokio's paused clock, download without the Graph token).

use crate::common;

use common::{header, paused_builder_for, received};
use graphwire_core::Nullable;
use graphwire_intune::{
    DeviceManagementExportJob, DeviceManagementReportFileFormat, ExportError, ExportWait,
    IntuneExt, ReportTable,
};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The shape Intune documents for `getDeviceNonComplianceReport`.
const NON_COMPLIANCE: &str = r#"{
  "TotalRowCount": 2,
  "Schema": [
    {"Column": "DeviceId", "PropertyType": "String"},
    {"Column": "DeviceName", "PropertyType": "String"},
    {"Column": "ComplianceState", "PropertyType": "String"},
    {"Column": "InGracePeriodCount", "PropertyType": "Int32"},
    {"Column": "IsSupervised", "PropertyType": "Boolean"}
  ],
  "Values": [
    ["d-1", "kiosk-1", "noncompliant", 0, true],
    ["d-2", "kiosk-2", "noncompliant", 1, false]
  ],
  "SessionId": ""
}"#;

#[graphwire_core::graph_entity(odata_type = "#microsoft.graph.reportRow")]
pub struct NonCompliantDevice {
    #[graph(rename = "DeviceName")]
    pub device_name: Option<String>,
    #[graph(rename = "InGracePeriodCount")]
    pub in_grace_period_count: Option<i32>,
}

#[test]
fn a_report_reads_into_rows_by_column_and_into_typed_rows() {
    let table = ReportTable::from_slice(NON_COMPLIANCE.as_bytes()).unwrap();
    assert_eq!(table.total_row_count(), Some(2));
    assert_eq!(table.session_id(), None);
    assert_eq!(table.len(), 2);
    let columns: Vec<(&str, &str)> = table
        .columns()
        .iter()
        .map(|c| (c.name.as_str(), c.property_type.as_str()))
        .collect();
    assert_eq!(
        columns,
        [
            ("DeviceId", "String"),
            ("DeviceName", "String"),
            ("ComplianceState", "String"),
            ("InGracePeriodCount", "Int32"),
            ("IsSupervised", "Boolean")
        ]
    );
    let rows: Vec<(Option<&str>, Option<i64>, Option<bool>)> = table
        .rows()
        .map(|r| {
            (
                r.str("DeviceName"),
                r.i64("InGracePeriodCount"),
                r.bool("IsSupervised"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (Some("kiosk-1"), Some(0), Some(true)),
            (Some("kiosk-2"), Some(1), Some(false))
        ]
    );
    assert_eq!(table.rows().next().unwrap().get("NoSuchColumn"), None);
    let typed: Vec<NonCompliantDevice> = table.rows_as().unwrap();
    assert_eq!(typed[1].device_name.as_deref(), Some("kiosk-2"));
    assert_eq!(typed[1].in_grace_period_count, Some(1));
    // Columns the struct does not declare are kept as unknown members.
    assert_eq!(typed[0].additional_data["DeviceId"], json!("d-1"));
}

#[test]
fn a_row_of_the_wrong_width_is_a_decode_error() {
    let error = ReportTable::from_slice(
        br#"{"Schema":[{"Column":"A","PropertyType":"String"}],"Values":[["x"],["y","z"]]}"#,
    )
    .unwrap_err();
    assert_eq!(error.message(), "report row 1 has 2 values for 1 columns");
}

fn job(id: &str, status: &str, url: Option<&str>) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.deviceManagementExportJob",
        "id": id,
        "reportName": "DeviceNonCompliance",
        "format": "csv",
        "status": status,
        "url": url,
    })
}

#[tokio::test(start_paused = true)]
async fn an_export_is_created_polled_and_downloaded_without_the_token() {
    let server = MockServer::builder().start().await;
    let download = format!("{}/blob/exports/j-1.zip?sv=2020&sig=abc", server.uri());
    Mock::given(method("POST"))
        .and(path("/v1.0/deviceManagement/reports/exportJobs"))
        .respond_with(ResponseTemplate::new(201).set_body_json(job("j-1", "notStarted", None)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/deviceManagement/reports/exportJobs/j-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("j-1", "inProgress", None)))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/deviceManagement/reports/exportJobs/j-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job(
            "j-1",
            "completed",
            Some(&download),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob/exports/j-1.zip"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"PK\x03\x04zip".to_vec(), "application/zip"),
        )
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let request = DeviceManagementExportJob {
        report_name: Some("DeviceNonCompliance".into()),
        format: Some(DeviceManagementReportFileFormat::Csv),
        select: Nullable::Value(vec!["DeviceName".into(), "ComplianceState".into()]),
        ..Default::default()
    };
    let started = tokio::time::Instant::now();
    let report = client.intune().reports().export(&request).await.unwrap();
    assert_eq!(report.content, b"PK\x03\x04zip");
    assert_eq!(report.job.url.as_deref(), Some(download.as_str()));
    // Polled after 1 s, 2 s and 4 s.
    assert_eq!(started.elapsed(), Duration::from_secs(7));
    let requests = received(&server).await;
    let sent: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.url.path()))
        .collect();
    assert_eq!(
        sent,
        [
            ("POST", "/v1.0/deviceManagement/reports/exportJobs"),
            ("GET", "/v1.0/deviceManagement/reports/exportJobs/j-1"),
            ("GET", "/v1.0/deviceManagement/reports/exportJobs/j-1"),
            ("GET", "/v1.0/deviceManagement/reports/exportJobs/j-1"),
            ("GET", "/blob/exports/j-1.zip"),
        ]
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&requests[0].body).unwrap(),
        json!({
            "@odata.type": "#microsoft.graph.deviceManagementExportJob",
            "format": "csv",
            "reportName": "DeviceNonCompliance",
            "select": ["DeviceName", "ComplianceState"]
        })
    );
    assert_eq!(
        header(&requests[1], "authorization"),
        Some("Bearer test-token")
    );
    assert_eq!(
        header(&requests[4], "authorization"),
        None,
        "the download carries its own signature"
    );
    assert_eq!(requests[4].url.query(), Some("sv=2020&sig=abc"));
}

#[tokio::test(start_paused = true)]
async fn a_failed_or_endless_export_is_a_typed_error() {
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(job("j-2", "notStarted", None)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/deviceManagement/reports/exportJobs/j-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("j-2", "failed", None)))
        .mount(&server)
        .await;
    let client = paused_builder_for(&server).build().unwrap();
    let reports = client.intune().reports();
    let error = reports
        .export(&DeviceManagementExportJob::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ExportError::Failed { job_id } if job_id == "j-2"),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "report export job j-2 failed");

    let stuck = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(job("j-3", "notStarted", None)))
        .mount(&stuck)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("j-3", "inProgress", None)))
        .mount(&stuck)
        .await;
    let client = paused_builder_for(&stuck).build().unwrap();
    let wait = ExportWait {
        first: Duration::from_secs(1),
        longest: Duration::from_secs(2),
        limit: Duration::from_secs(6),
    };
    let error = client
        .intune()
        .reports()
        .export_waiting(&DeviceManagementExportJob::default(), wait)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "report export job j-3 was not done after 5s (last status inProgress)"
    );
    // Waited 1 + 2 + 2 s; another 2 s would pass the limit.
    assert_eq!(received(&stuck).await.len(), 4);
}
