//! The decisions behind `tokenStore`, the Yunzhijia token shared by many processes (a cluster,
//! relays behind a load balancer, cron jobs): the key it is kept under, how long it is kept, how
//! long a refresh may hold the lock and how a waiter polls, and which token a process may take
//! or overwrite. Pure; the store calls themselves are in `src/js/token.rs`.

use super::auth::{Credentials, Token};
use crate::core::http::query_component;
use crate::core::sign::md5_hex;
use crate::prelude::*;

/// How long one store call may take before the client goes on without the store.
pub const STORE_CALL_MS: f64 = 1_000.0;
/// How long a token read from the store is used before the store is asked again. The store
/// gives no expiry, and its entries live `ttlMs`, that is until the margin before the token's
/// real end (a tenth of its life, up to five minutes): a minute of reuse stays inside it for
/// any token that lives ten minutes or more, and a token that dies sooner is refused by the
/// server and refreshed once, as any refused token is.
pub const REUSE_MS: f64 = 60_000.0;
/// The first and the longest pause between two polls of a process waiting on another's refresh.
const FIRST_POLL_MS: f64 = 25.0;
const LONGEST_POLL_MS: f64 = 500.0;

/// The longest stored value taken for a token. Yunzhijia's are tens of characters; a value
/// of kilobytes is a planted or corrupted entry, which would make every call's URL too long.
const LONGEST_TOKEN: usize = 2_048;

/// The key naming one token: the deployment (base URL), scope, eid, appId, each percent-encoded
/// so that no value can pass for another's, and a fingerprint of the secret, so that only the
/// secret's owner finds the token: a client with a wrong or revoked secret, or another
/// resource-group secret of the same eid, has a key of its own and fails or succeeds as it
/// would alone. Never the secret itself: a key is printed in store dashboards and logs.
pub fn key(base_url: &str, c: &Credentials) -> String {
    let part = |v: &Option<String>| v.as_deref().map(query_component).unwrap_or_default();
    format!(
        "workbridge:yunzhijia:token:{}:{}:{}:{}:{}",
        query_component(base_url),
        c.scope.as_str(),
        part(&c.eid),
        part(&c.app_id),
        secret_fingerprint(c.secret.expose())
    )
}

/// 16 hex digits (64 bits) of MD5 over a string that names its use: one-way, and unlike any
/// other hash of the secret this package or the vendor computes. It tells keys apart; it does
/// not protect a weak secret from guessing (Yunzhijia issues its secrets, long and random).
pub fn secret_fingerprint(secret: &str) -> String {
    let digest = md5_hex(format!("workbridge/yunzhijia/tokenStore key/v1\n{secret}").as_bytes());
    digest.get(..16).unwrap_or_default().to_string()
}

/// Whether a stored value may be a token: 1 to 2048 characters, each a letter, a digit or one
/// of `-._~+/=:`. Anything else (a 20 KB blob, JSON, text with spaces) is ignored, and replaced
/// by the next token fetched.
pub fn looks_like_token(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= LONGEST_TOKEN
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b':'))
}

/// The `ttlMs` a fetched token is stored with: until it stops being used (its life less the
/// margin), whole milliseconds; None when nothing is left to store.
pub fn ttl_ms(token: &Token, now_ms: f64) -> Option<f64> {
    let left = (token.use_until - now_ms).floor();
    (left >= 1.0).then_some(left)
}

/// How long the refresher holds the lock: the token request's own worst case (every attempt
/// timing out), within the call's deadline. A holder that dies frees it after this.
pub fn lock_ttl_ms(timeout_ms: f64, max_retries: u32, deadline_ms: f64) -> f64 {
    (timeout_ms * f64::from(max_retries + 1) + 1_000.0).min(deadline_ms).floor().max(1.0)
}

/// How long a process waits on another's lock before fetching a token of its own: the lock's
/// time, but no longer than one attempt of a token request (a live holder has stored its token
/// by then) nor half of the deadline of the call that is waiting, which then still has the rest
/// to fetch one. A lock key planted or left behind so costs a call that much, not the call.
pub fn lock_wait_ms(lock_ttl_ms: f64, timeout_ms: f64, call_deadline_ms: f64) -> f64 {
    lock_ttl_ms.min(timeout_ms).min(call_deadline_ms / 2.0).floor().max(1.0)
}

/// The pause before poll `n` (0-based) of a waiter: doubling from 25 ms to at most 500 ms.
pub fn poll_delay_ms(n: u32) -> f64 {
    (FIRST_POLL_MS * 2f64.powi(n.min(8) as i32)).min(LONGEST_POLL_MS)
}

/// Whether a token read from the store may be used: present, looking like a token, and not the
/// one the server just refused (`stale`), which another process has then not replaced yet.
pub fn usable<'a>(stored: Option<&'a str>, stale: Option<&str>) -> Option<&'a str> {
    stored.filter(|t| looks_like_token(t) && Some(*t) != stale)
}

/// Whether a process that fetched a token may write it: only over nothing, over what is not a
/// token, or over the token it had itself (`stale`). Another process's newer token is left in
/// place, so two refreshers never undo each other.
pub fn may_overwrite(stored: Option<&str>, stale: Option<&str>) -> bool {
    usable(stored, stale).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::secret::{secret_forms, Secret};
    use crate::core::validate::Params;
    use crate::vendors::yunzhijia::auth::{Auth, Scope};

    fn creds(json: &str) -> Credentials {
        let opts = crate::core::json::parse(json).unwrap();
        match Auth::from_options(&Params::new(&opts).unwrap()).unwrap() {
            Auth::Credentials(c) => c,
            _ => panic!("not credentials"),
        }
    }

    #[test]
    fn the_key_names_deployment_scope_eid_and_app_and_never_the_secret() {
        let c = creds(r#"{"eid":"10109","appId":"app:1","secret":"10109-s3cret/+=","scope":"team"}"#);
        let k = key("https://yzj.example.com:8443/base", &c);
        let fp = secret_fingerprint("10109-s3cret/+=");
        assert_eq!(k, format!("workbridge:yunzhijia:token:https%3A%2F%2Fyzj.example.com%3A8443%2Fbase:team:10109:app%3A1:{fp}"));
        assert_eq!(fp.len(), 16);
        assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(fp, md5_hex(b"10109-s3cret/+=").get(..16).unwrap(), "not the plain hash of the secret");
        let mut forms = vec![];
        secret_forms("10109-s3cret/+=", &mut forms);
        assert!(forms.iter().all(|f| !k.contains(f.as_str())), "{k}");
        let other = creds(r#"{"eid":"10109","secret":"x"}"#);
        assert_eq!(other.scope, Scope::ResGroupSecret);
        assert_eq!(
            key("https://www.yunzhijia.com", &other),
            format!("workbridge:yunzhijia:token:https%3A%2F%2Fwww.yunzhijia.com:resGroupSecret:10109::{}", secret_fingerprint("x"))
        );
        assert_ne!(key("https://a", &other), key("https://b", &other), "one key per deployment");
        let another_secret = creds(r#"{"eid":"10109","secret":"y"}"#);
        assert_ne!(key("https://a", &other), key("https://a", &another_secret), "one key per secret");
    }

    #[test]
    fn ttl_is_the_life_less_the_margin() {
        let t = Token { access: Secret::new("t"), refresh: None, use_until: crate::vendors::yunzhijia::auth::use_until(1_000.0, 7200.0) };
        assert_eq!(ttl_ms(&t, 1_000.0), Some(7_200_000.0 - 300_000.0));
        let short = Token { use_until: crate::vendors::yunzhijia::auth::use_until(0.0, 100.0), ..t };
        assert_eq!(ttl_ms(&short, 0.0), Some(90_000.0));
        assert_eq!(ttl_ms(&short, 90_000.0), None, "nothing left to store");
    }

    #[test]
    fn the_lock_outlives_a_token_request_within_the_deadline() {
        assert_eq!(lock_ttl_ms(10_000.0, 2, 60_000.0), 31_000.0);
        assert_eq!(lock_ttl_ms(10_000.0, 10, 60_000.0), 60_000.0);
        assert_eq!(lock_ttl_ms(0.5, 0, 0.2), 1.0);
    }

    #[test]
    fn a_lock_held_elsewhere_is_waited_on_within_an_attempt_and_half_the_deadline() {
        assert_eq!(lock_wait_ms(31_000.0, 10_000.0, 60_000.0), 10_000.0);
        assert_eq!(lock_wait_ms(31_000.0, 10_000.0, 2_000.0), 1_000.0);
        assert_eq!(lock_wait_ms(500.0, 10_000.0, 60_000.0), 500.0);
        assert_eq!(lock_wait_ms(31_000.0, 10_000.0, 1.0), 1.0);
    }

    #[test]
    fn only_what_looks_like_a_token_is_taken_and_anything_else_is_replaced() {
        assert!(looks_like_token("sbx-at-0123456789abcdef") && looks_like_token("a+b/c=="));
        for bad in ["", " ", "a b", "{\"token\":1}", "t\n"] {
            assert!(!looks_like_token(bad), "{bad:?}");
            assert_eq!(usable(Some(bad), None), None);
            assert!(may_overwrite(Some(bad), None), "{bad:?} is replaced");
        }
        let poisoned = "x".repeat(20_000);
        assert!(!looks_like_token(&poisoned) && may_overwrite(Some(&poisoned), None));
        assert!(looks_like_token(&"x".repeat(2_048)) && !looks_like_token(&"x".repeat(2_049)));
    }

    #[test]
    fn waiters_back_off_from_25_to_500_ms() {
        let delays: Vec<f64> = (0..7).map(poll_delay_ms).collect();
        assert_eq!(delays, vec![25.0, 50.0, 100.0, 200.0, 400.0, 500.0, 500.0]);
        assert_eq!(poll_delay_ms(u32::MAX), 500.0);
    }

    #[test]
    fn a_refused_token_is_neither_taken_nor_kept() {
        assert_eq!(usable(Some("t2"), Some("t1")), Some("t2"));
        assert_eq!(usable(Some("t1"), Some("t1")), None, "the one just refused");
        assert_eq!(usable(Some(""), None), None);
        assert_eq!(usable(None, None), None);
        assert!(may_overwrite(None, None));
        assert!(may_overwrite(Some("t1"), Some("t1")), "our own refused token");
        assert!(!may_overwrite(Some("t2"), Some("t1")), "another process already replaced it");
        assert!(!may_overwrite(Some("t2"), None), "another process stored one first");
    }
}
