//! Our own redirect handling (reqwest's is off): a bounded count, no downgrade, no token
//! across origins.

use reqwest::{Method, StatusCode};
use url::Url;

use crate::error::{Error, Result};

/// Where a redirect leads and how to send the next request.
pub(crate) struct Hop {
    pub url: Url,
    pub method: Method,
    pub keep_body: bool,
}

/// The next hop for a redirect answer, or `None` when `status` is not a redirect.
pub(crate) fn next_hop(
    status: StatusCode,
    location: Option<&str>,
    current: &Url,
    method: &Method,
) -> Option<Result<Hop>> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = location?;
    let url = match current.join(location) {
        Ok(url) => url,
        Err(e) => {
            return Some(Err(Error::Refused {
                url: location.chars().take(200).collect(),
                reason: format!("redirect Location is not a URL: {e}"),
            }));
        }
    };
    if current.scheme() == "https" && url.scheme() != "https" {
        return Some(Err(Error::Refused {
            url: without_query(&url),
            reason: "redirect from https to a non-https URL".into(),
        }));
    }
    // 303 always becomes GET; 301/302 turn POST into GET as browsers do; 307/308 keep all.
    let to_get = status == StatusCode::SEE_OTHER
        || (matches!(status.as_u16(), 301 | 302) && *method == Method::POST);
    Some(Ok(Hop {
        url,
        method: if to_get { Method::GET } else { method.clone() },
        keep_body: !to_get,
    }))
}

/// Scheme, host and port equal.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A URL for messages: no query (it may carry skip tokens).
pub(crate) fn without_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}
