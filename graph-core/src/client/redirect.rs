//! Our own redirect handling (reqwest's is off): a bounded count, no downgrade, no token
//! across origins.

use reqwest::{Method, StatusCode};
use url::Url;

use crate::error::{Error, Result};
use crate::url_policy::display_url;

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
            url: display_url(&url),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(status: u16, location: &str, from: &str, method: Method) -> Result<Hop> {
        let current = Url::parse(from).unwrap();
        next_hop(
            StatusCode::from_u16(status).unwrap(),
            Some(location),
            &current,
            &method,
        )
        .unwrap()
    }

    #[test]
    fn https_to_http_is_refused() {
        let err = hop(
            302,
            "http://graph.microsoft.com/v1.0/me?x=1",
            "https://graph.microsoft.com/v1.0/me",
            Method::GET,
        )
        .err()
        .unwrap();
        assert_eq!(
            err.to_string(),
            "refused to send to http://graph.microsoft.com/v1.0/me: redirect from https to a non-https URL"
        );
    }

    #[test]
    fn methods_after_redirects() {
        let from = "https://graph.microsoft.com/v1.0/a";
        let h = hop(303, "/v1.0/b", from, Method::PATCH).unwrap();
        assert_eq!(
            (h.method, h.keep_body, h.url.as_str()),
            (Method::GET, false, "https://graph.microsoft.com/v1.0/b")
        );
        let h = hop(302, "b", from, Method::POST).unwrap();
        assert_eq!((h.method, h.keep_body), (Method::GET, false));
        let h = hop(307, "https://other.example/x", from, Method::POST).unwrap();
        assert_eq!((h.method, h.keep_body), (Method::POST, true));
        let h = hop(308, "/c", from, Method::PATCH).unwrap();
        assert_eq!((h.method, h.keep_body), (Method::PATCH, true));
        assert!(
            next_hop(
                StatusCode::OK,
                Some("/x"),
                &Url::parse(from).unwrap(),
                &Method::GET
            )
            .is_none()
        );
        assert!(
            next_hop(
                StatusCode::FOUND,
                None,
                &Url::parse(from).unwrap(),
                &Method::GET
            )
            .is_none()
        );
    }
}
