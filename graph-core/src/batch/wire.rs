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

/// Graph's answer to a batch whose `dependsOn` is neither fully parallel nor fully sequential.
pub const MIXED_DEPENDENCIES: &str = "Batch should be either fully sequential or fully parallel";

/// Whether Graph runs a batch whose request `i` depends on the earlier requests
/// `dependencies[i]` (indexes): all parallel (no `dependsOn`), one sequential chain (each
/// request after the first depends on the one before it), or a fan-out (each request after
/// the first depends on the first alone). Graph refuses other shapes.
pub fn supported_shape(dependencies: &[Vec<usize>]) -> bool {
    let after_first = |expected: &dyn Fn(usize) -> usize| {
        dependencies.iter().enumerate().all(|(i, deps)| match i {
            0 => deps.is_empty(),
            _ => deps.as_slice() == [expected(i)],
        })
    };
    dependencies.iter().all(Vec::is_empty) || after_first(&|i| i - 1) || after_first(&|_| 0)
}

/// Why Graph refuses these requests' `dependsOn`, if it does: an id that names no earlier
/// request of the batch (which also rules out cycles), or a shape
/// [`supported_shape`] refuses ([`MIXED_DEPENDENCIES`]). Ids compare case-insensitively.
pub fn dependency_error(requests: &[BatchRequestItem]) -> Option<String> {
    let mut dependencies = Vec::with_capacity(requests.len());
    for (index, request) in requests.iter().enumerate() {
        let mut deps = Vec::with_capacity(request.depends_on.len());
        for dependency in &request.depends_on {
            match requests[..index]
                .iter()
                .position(|earlier| earlier.id.eq_ignore_ascii_case(dependency))
            {
                Some(earlier) => deps.push(earlier),
                None => {
                    return Some(format!(
                        "Request '{}' depends on '{dependency}', which is not an earlier request of this batch.",
                        request.id
                    ));
                }
            }
        }
        dependencies.push(deps);
    }
    (!supported_shape(&dependencies)).then(|| MIXED_DEPENDENCIES.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(shape: &[(&str, &[&str])]) -> Vec<BatchRequestItem> {
        shape
            .iter()
            .map(|(id, deps)| BatchRequestItem {
                id: (*id).into(),
                method: "GET".into(),
                url: "/deviceManagement".into(),
                depends_on: deps.iter().map(|d| (*d).to_owned()).collect(),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn graph_runs_parallel_sequential_and_fan_out_batches_only() {
        for supported in [
            items(&[("1", &[]), ("2", &[]), ("3", &[])]),
            items(&[("1", &[]), ("2", &["1"]), ("3", &["2"])]),
            items(&[("a", &[]), ("b", &["A"]), ("c", &["a"])]),
            items(&[("1", &[])]),
        ] {
            assert_eq!(dependency_error(&supported), None, "{supported:?}");
        }
        for (mixed, why) in [
            (
                items(&[("1", &[]), ("2", &["1"]), ("3", &[])]),
                "a chain beside a free request",
            ),
            (
                items(&[("1", &[]), ("2", &["1"]), ("3", &["1", "2"])]),
                "two dependencies",
            ),
            (
                items(&[("1", &[]), ("2", &[]), ("3", &["2"])]),
                "a chain not from the first",
            ),
        ] {
            assert_eq!(
                dependency_error(&mixed).as_deref(),
                Some(MIXED_DEPENDENCIES),
                "{why}"
            );
        }
        assert_eq!(
            dependency_error(&items(&[("1", &["2"]), ("2", &[])])).as_deref(),
            Some("Request '1' depends on '2', which is not an earlier request of this batch.")
        );
        assert_eq!(
            dependency_error(&items(&[("1", &[]), ("2", &["2"])])).as_deref(),
            Some("Request '2' depends on '2', which is not an earlier request of this batch."),
            "a request cannot depend on itself (no cycles)"
        );
    }

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
