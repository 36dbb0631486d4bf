//! The JSON `$batch` request and answer as Graph writes them, shared by the client and the
//! emulator so both sides read and write one definition.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

/// The body of `POST /$batch`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BatchRequest {
    /// The requests, at most [`MAX_BATCH_SIZE`](super::MAX_BATCH_SIZE).
    pub requests: Vec<BatchRequestItem>,
}

/// One request inside a `$batch`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRequestItem {
    /// Unique within the batch; answers and `dependsOn` refer to it.
    pub id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// Relative to the version root, with its query: `/deviceManagement/…?$select=id`.
    pub url: String,
    /// Request headers (`Content-Type` is required with a body).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The JSON body, as text: a call's body is embedded as its encoder wrote it, never
    /// parsed and written again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Box<RawValue>>,
    /// Ids of requests that must succeed first; this one is answered 424 otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

/// The answer to `POST /$batch`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BatchResponse {
    /// One answer per request, in any order.
    pub responses: Vec<BatchResponseItem>,
}

/// The answer to one request of a `$batch`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BatchResponseItem {
    /// The request's id.
    pub id: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its headers (`Retry-After` on a 429, `Content-Type`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Its body: JSON, or a string for a text answer; absent for 204.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_is_written_as_graph_documents_it() {
        let request = BatchRequest {
            requests: vec![
                BatchRequestItem {
                    id: "1".into(),
                    method: "GET".into(),
                    url: "/deviceManagement/deviceCompliancePolicies?$select=id".into(),
                    ..Default::default()
                },
                BatchRequestItem {
                    id: "2".into(),
                    method: "PATCH".into(),
                    url: "/deviceManagement/deviceCompliancePolicies/p1".into(),
                    headers: BTreeMap::from([("Content-Type".into(), "application/json".into())]),
                    body: RawValue::from_string(r#"{"displayName":"x"}"#.into()).ok(),
                    depends_on: vec!["1".into()],
                },
            ],
        };
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            r#"{"requests":[{"id":"1","method":"GET","url":"/deviceManagement/deviceCompliancePolicies?$select=id"},{"id":"2","method":"PATCH","url":"/deviceManagement/deviceCompliancePolicies/p1","headers":{"Content-Type":"application/json"},"body":{"displayName":"x"},"dependsOn":["1"]}]}"#
        );
    }

    #[test]
    fn answer_items_read_with_or_without_headers_and_body() {
        let answer: BatchResponse = serde_json::from_str(
            r#"{"responses":[{"id":"2","status":204},{"id":"1","status":429,"headers":{"Retry-After":"3"},"body":{"error":{"code":"TooManyRequests"}}}]}"#,
        )
        .unwrap();
        assert_eq!(
            answer.responses[0],
            BatchResponseItem {
                id: "2".into(),
                status: 204,
                ..Default::default()
            }
        );
        assert_eq!(answer.responses[1].headers["Retry-After"], "3");
        assert_eq!(
            answer.responses[1].body.as_ref().unwrap()["error"]["code"],
            "TooManyRequests"
        );
    }
}
