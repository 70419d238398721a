//! When to try again, as the README states it; the transport asks, this decides.
//! Pure (the random draw is passed in) so every branch is tested natively.

use crate::core::time::days_from_civil;
use crate::core::vendor::Kind;
use crate::prelude::*;

/// How an attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No response: connection refused, reset, DNS. A write may have arrived.
    Network,
    /// The per-attempt timer fired. A write may have arrived.
    Timeout,
    /// The request provably never left: connection refused, DNS or TLS failure before sending.
    /// Safe to send again, writes included.
    Unsent,
    /// A response with this status.
    Status(u16),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    pub max_retries: u32,
    /// First backoff ceiling; doubles each retry (full jitter draws from 0 to the ceiling).
    pub base_ms: f64,
    pub cap_ms: f64,
    /// A `Retry-After` longer than this is not waited for: the call fails and says so.
    pub max_retry_after_ms: f64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy { max_retries: 2, base_ms: 200.0, cap_ms: 5_000.0, max_retry_after_ms: 60_000.0 }
    }
}

/// Whether this failure may be cured by sending the same request again without risking a
/// duplicate: 429 means the server refused before acting, so even writes may retry on it.
pub fn is_retryable(kind: Kind, failure: Failure) -> bool {
    matches!(
        (kind, failure),
        (_, Failure::Status(429) | Failure::Unsent) | (Kind::Read, Failure::Network | Failure::Timeout | Failure::Status(502..=504))
    )
}

impl Policy {
    /// The delay before retry number `retries_done + 1`, or `None` to stop.
    /// `retry_after_ms` is the server's `Retry-After`, already parsed; `random` is in [0, 1).
    pub fn next_delay(&self, kind: Kind, failure: Failure, retries_done: u32, retry_after_ms: Option<f64>, random: f64) -> Option<f64> {
        if retries_done >= self.max_retries || !is_retryable(kind, failure) {
            return None;
        }
        if let Some(wait) = retry_after_ms {
            return (wait <= self.max_retry_after_ms).then_some(wait.max(0.0));
        }
        let ceiling = (self.base_ms * 2f64.powi(retries_done.min(30) as i32)).min(self.cap_ms);
        Some(ceiling * random.clamp(0.0, 1.0))
    }
}

/// Whether a network error's cause code (Node's `err.cause.code`) says the request never left
/// this machine: no connection was made, or the TLS handshake failed before any byte of it.
/// A reset or a closed socket is not on this list: the request may have arrived.
pub fn is_unsent_cause(code: &str) -> bool {
    const UNSENT: &[&str] = &[
        "ECONNREFUSED",
        "ENOTFOUND",
        "EAI_AGAIN",
        "EAI_FAIL",
        "EAI_NONAME",
        "EHOSTUNREACH",
        "ENETUNREACH",
        "EADDRNOTAVAIL",
        "UND_ERR_CONNECT_TIMEOUT",
        "ERR_TLS_CERT_ALTNAME_INVALID",
        "CERT_HAS_EXPIRED",
        "DEPTH_ZERO_SELF_SIGNED_CERT",
        "SELF_SIGNED_CERT_IN_CHAIN",
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        "ERR_SSL_WRONG_VERSION_NUMBER",
        "EPROTO",
        "ERR_PROXY_TUNNEL",
        // A port fetch blocks (named so by transport.js: undici gives it no code).
        "ERR_BAD_PORT",
    ];
    UNSENT.contains(&code)
}

/// `Retry-After` as delta-seconds or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
/// in milliseconds from `now_ms`.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let v = value.trim();
    if !v.is_empty() && v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse::<u64>().ok().map(|s| s as f64 * 1000.0);
    }
    let at = parse_http_date(v)?;
    Some((at - now_ms).max(0.0))
}

fn parse_http_date(v: &str) -> Option<f64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = crate::core::text::split_once(v, ", ")?.1;
    let parts: Vec<&str> = rest.split(' ').collect();
    if parts.len() != 5 || parts[4] != "GMT" {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| *m == parts[1])? as u32 + 1;
    let year: i64 = parts[2].parse().ok()?;
    let hms: Vec<u32> = parts[3].split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    if hms.len() != 3 || hms[0] > 23 || hms[1] > 59 || hms[2] > 60 || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + i64::from(hms[0] * 3600 + hms[1] * 60 + hms[2])) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Policy = Policy { max_retries: 2, base_ms: 200.0, cap_ms: 5_000.0, max_retry_after_ms: 60_000.0 };

    #[test]
    fn reads_retry_on_network_timeout_429_and_gateway_errors() {
        for f in
            [Failure::Network, Failure::Timeout, Failure::Status(429), Failure::Status(502), Failure::Status(503), Failure::Status(504)]
        {
            assert!(is_retryable(Kind::Read, f), "{f:?}");
        }
        for f in [Failure::Status(500), Failure::Status(400), Failure::Status(401), Failure::Status(404)] {
            assert!(!is_retryable(Kind::Read, f), "{f:?}");
        }
    }

    #[test]
    fn writes_retry_only_on_429_so_nothing_is_sent_twice() {
        assert!(is_retryable(Kind::Write, Failure::Status(429)));
        for f in [Failure::Network, Failure::Timeout, Failure::Status(502), Failure::Status(503), Failure::Status(504)] {
            assert!(!is_retryable(Kind::Write, f), "{f:?}");
        }
    }

    #[test]
    fn a_request_that_never_left_is_retried_even_for_writes() {
        assert!(is_retryable(Kind::Write, Failure::Unsent));
        assert!(is_retryable(Kind::Read, Failure::Unsent));
        assert_eq!(P.next_delay(Kind::Write, Failure::Unsent, 0, None, 0.5), Some(100.0));
        for code in ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "CERT_HAS_EXPIRED", "ERR_BAD_PORT"] {
            assert!(is_unsent_cause(code), "{code}");
        }
        for code in ["ECONNRESET", "UND_ERR_SOCKET", "EPIPE", "ETIMEDOUT", "", "econnrefused"] {
            assert!(!is_unsent_cause(code), "{code}");
        }
    }

    #[test]
    fn backoff_is_full_jitter_exponential_and_capped() {
        assert_eq!(P.next_delay(Kind::Read, Failure::Network, 0, None, 0.5), Some(100.0));
        assert_eq!(P.next_delay(Kind::Read, Failure::Network, 1, None, 1.0), Some(400.0));
        assert_eq!(P.next_delay(Kind::Read, Failure::Network, 2, None, 0.5), None);
        let many = Policy { max_retries: 50, ..P };
        assert_eq!(many.next_delay(Kind::Read, Failure::Timeout, 40, None, 1.0), Some(5_000.0));
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        assert_eq!(P.next_delay(Kind::Write, Failure::Status(429), 0, Some(3_000.0), 0.9), Some(3_000.0));
        assert_eq!(P.next_delay(Kind::Write, Failure::Status(429), 0, Some(120_000.0), 0.9), None);
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("3", 0.0), Some(3_000.0));
        let now = 784_111_777_000.0 - 5_000.0; // 5 s before Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(5_000.0));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now + 10_000.0), Some(0.0));
        for bad in ["", "-1", "soon", "Sun, 06 Nov 1994 08:49:37 CET", "Sun, 32 Nov 1994 08:49:37 GMT", "1.5"] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad}");
        }
    }
}
