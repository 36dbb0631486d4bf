//! A `$batch` request served by the emulator. Structure-aware: requests with ids, methods,
//! URLs of served endpoints (or not), headers, bodies and `dependsOn` links, written as JSON;
//! or raw bytes, for the envelope's own reader.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const URLS: &[&str] = &[
    "/deviceManagement/deviceCompliancePolicies",
    "/deviceManagement/deviceCompliancePolicies/$count",
    "/deviceManagement/deviceCompliancePolicies/p1",
    "/deviceManagement/deviceCompliancePolicies/p1/assign",
    "/deviceManagement/deviceCompliancePolicies/p1/userStatusOverview",
    "/deviceManagement/managedDevices/d1/syncDevice",
    "/deviceManagement",
    "deviceManagement/deviceCategories?$top=1",
    "/$batch",
    "/nowhere",
];
const METHODS: &[&str] = &["GET", "POST", "PATCH", "DELETE", "PUT", "get", "TRACE"];

#[derive(Arbitrary, Debug)]
struct Item {
    id: u8,
    method: u8,
    url: u8,
    url_tail: Option<String>,
    body: Option<String>,
    depends_on: Vec<u8>,
    content_type: bool,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Structured(Vec<Item>),
    Raw(Vec<u8>),
}

fuzz_target!(|input: Input| {
    graphwire_fuzz::link_intune();
    let body = match input {
        Input::Raw(bytes) => bytes,
        Input::Structured(items) => {
            let requests: Vec<Value> = items
                .into_iter()
                .map(|item| {
                    let mut url = URLS[item.url as usize % URLS.len()].to_owned();
                    url.push_str(item.url_tail.as_deref().unwrap_or_default());
                    let mut request = json!({
                        "id": (item.id % 24).to_string(),
                        "method": METHODS[item.method as usize % METHODS.len()],
                        "url": url,
                        "dependsOn": item.depends_on.iter().map(|d| (d % 24).to_string()).collect::<Vec<_>>(),
                    });
                    if item.content_type {
                        request["headers"] = json!({"Content-Type": "application/json"});
                    }
                    if let Some(body) = item.body {
                        request["body"] = serde_json::from_str(&body).unwrap_or(Value::String(body));
                    }
                    request
                })
                .collect();
            json!({ "requests": requests }).to_string().into_bytes()
        }
    };
    graphwire_testkit::fuzzing::batch_request(&body);
});
