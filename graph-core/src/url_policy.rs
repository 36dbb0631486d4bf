//! Where a request may go and what may travel with it: plain http only to loopback, the
//! token only to allowed hosts and never across an origin change, a credential's secret only
//! over https or to loopback, URLs shown without queries. Shared by the pipeline, paging and
//! the credentials, so it depends on nothing but the error type.

use url::Url;

use crate::error::{Error, Result};

/// `host` for default ports, `host:port` otherwise, lower case: how allowed hosts are keyed.
pub(crate) fn host_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// Plain http only to loopback: tokens never cross a network in clear text.
pub(crate) fn check_scheme(url: &Url) -> Result<()> {
    if encrypted_or_local(url) {
        return Ok(());
    }
    Err(Error::Refused {
        url: display_url(url),
        reason: "only https is allowed (plain http only to loopback addresses)".into(),
    })
}

/// Why a credential's secret may not go to a URL; shown by every refusal of one.
pub(crate) const CREDENTIAL_RULE: &str = "a client secret, client assertion or device code is sent only over https (plain http only to loopback addresses)";

/// The rule for where a credential sends its secret, assertion or device code: https, or
/// plain http to loopback (an emulator). `authority` is a login authority or a token URL.
pub(crate) fn check_credential_destination(authority: &str) -> Result<()> {
    let url = Url::parse(authority).map_err(|e| {
        Error::invalid(
            "credential",
            format!("the login authority `{authority}` is not a URL: {e}"),
        )
    })?;
    if encrypted_or_local(&url) {
        return Ok(());
    }
    Err(Error::Refused {
        url: display_url(&url),
        reason: CREDENTIAL_RULE.into(),
    })
}

/// https anywhere, or plain http to a loopback address.
fn encrypted_or_local(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback(url),
        _ => false,
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A URL for messages and traces: without its query, which may carry ids or filters.
pub(crate) fn display_url(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_to_loopback() {
        assert!(check_scheme(&Url::parse("http://127.0.0.1:8080/").unwrap()).is_ok());
        assert!(check_scheme(&Url::parse("http://localhost/").unwrap()).is_ok());
        assert!(check_scheme(&Url::parse("http://[::1]:9/").unwrap()).is_ok());
        let err = check_scheme(&Url::parse("http://graph.microsoft.com/v1.0/me?x=1").unwrap())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "refused to send to http://graph.microsoft.com/v1.0/me: only https is allowed (plain http only to loopback addresses)"
        );
    }

    #[test]
    fn credentials_go_only_over_https_or_to_loopback() {
        for allowed in [
            "https://login.microsoftonline.com/",
            "http://127.0.0.1:9000/",
            "http://localhost/",
        ] {
            assert!(check_credential_destination(allowed).is_ok(), "{allowed}");
        }
        let err =
            check_credential_destination("http://login.example.test/contoso/oauth2/v2.0/token?x=1")
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "refused to send to http://login.example.test/contoso/oauth2/v2.0/token: a client secret, client assertion or device code is sent only over https (plain http only to loopback addresses)"
        );
        let err = check_credential_destination("ftp://login.example.test/").unwrap_err();
        assert!(matches!(err, Error::Refused { .. }), "{err:?}");
        let err = check_credential_destination("login.example.test").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument `credential`: the login authority `login.example.test` is not a URL: relative URL without a base"
        );
    }

    #[test]
    fn host_keys_and_origins() {
        let a = Url::parse("https://Graph.Microsoft.com/v1.0/x").unwrap();
        let b = Url::parse("https://graph.microsoft.com:443/beta/y?q=1").unwrap();
        assert_eq!(host_key(&a), "graph.microsoft.com");
        assert_eq!(
            host_key(&Url::parse("http://127.0.0.1:8080/").unwrap()),
            "127.0.0.1:8080"
        );
        assert!(same_origin(&a, &b));
        assert!(!same_origin(
            &a,
            &Url::parse("http://graph.microsoft.com/").unwrap()
        ));
        assert_eq!(display_url(&b), "https://graph.microsoft.com/beta/y");
        for other in [
            "https://graph.microsoft.com:8443/",
            "http://graph.microsoft.com/",
            "https://graph.microsoft.us/",
        ] {
            assert!(!same_origin(&a, &Url::parse(other).unwrap()), "{other}");
        }
    }
}
