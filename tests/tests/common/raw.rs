//! Raw HTTP against the emulator, for tests of its answers as any client sees them.

use graphwire_core::reqwest::header::HeaderMap;
use graphwire_core::reqwest::{Client as Http, StatusCode};
use graphwire_testkit::Emulator;
use serde_json::Value;

/// An answer as received: status, headers, body text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers[name].to_str().unwrap()
    }
}

/// `method` on `{base}v1.0/{path_and_query}`, with `headers` and a JSON `body`.
pub async fn call(
    emulator: &Emulator,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Answer {
    let mut request = Http::new().request(
        method.parse().unwrap(),
        format!("{}v1.0/{path_and_query}", emulator.base_url()),
    );
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    Answer {
        status: response.status(),
        headers: response.headers().clone(),
        text: response.text().await.unwrap(),
    }
}

/// A signed-in GET of `path_and_query`.
pub async fn get_as(emulator: &Emulator, auth: &str, path_and_query: &str) -> Answer {
    call(
        emulator,
        "GET",
        path_and_query,
        &[("authorization", auth)],
        None,
    )
    .await
}
