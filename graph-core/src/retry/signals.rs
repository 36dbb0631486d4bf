//! What an answer says about trying again: whether its status is worth repeating, and how long
//! `Retry-After` asks to wait (in responses, `$batch` items and errors alike).

use std::time::{Duration, SystemTime};

/// The one definition of a retryable answer, used by the pipeline and by
/// [`Error::is_retryable`](crate::Error::is_retryable): 429 (throttled), 503 (unavailable) and
/// 504 (gateway timeout), as in Microsoft's SDKs. Other 5xx answers are not repeated: the
/// request may have had its effect.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// True when a retryable answer says the request was not processed, so even a write may be
/// sent again: 429, and 503 with a `Retry-After` (Graph's throttling answers). A 504, or a
/// 503 without `Retry-After`, may come after the service applied it.
pub fn says_not_processed(status: u16, retry_after: Option<Duration>) -> bool {
    status == 429 || (status == 503 && retry_after.is_some())
}

/// Parses `Retry-After`: delay-seconds (fractional allowed) or an HTTP-date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).ok())
            .flatten();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_throttling_answers_say_not_processed() {
        let after = Some(Duration::from_secs(1));
        assert!(says_not_processed(429, None));
        assert!(says_not_processed(429, after));
        assert!(says_not_processed(503, after));
        assert!(!says_not_processed(503, None));
        assert!(!says_not_processed(504, after));
        assert!(!says_not_processed(504, None));
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("10", now), Some(Duration::from_secs(10)));
        assert_eq!(
            parse_retry_after("2.128", now),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        assert_eq!(parse_retry_after("1e400", now), None);
    }
}
