//! What one process knows about its Yunzhijia access token, as plain data: the cached token
//! and when to stop using it, the token the server just refused, and the recent tokens errors
//! must be scrubbed of. Pure, so its rules are tested natively; `js/token.rs` owns the one
//! in-flight request and the I/O.

use super::auth::Token;
use crate::core::secret::Secret;
use crate::prelude::*;

/// How many recent token values are kept for scrubbing after the cache moved on.
const SEEN: usize = 8;

#[derive(Default)]
pub struct TokenCache {
    cached: Option<Token>,
    /// The token the server just refused, until a fresh one is in: a shared store must not hand
    /// it back, and may be overwritten only while it still holds it.
    rejected: Option<Secret>,
    seen: Vec<Secret>,
}

impl TokenCache {
    /// The cached access token, while it may still be used at `now_ms`.
    pub fn usable(&self, now_ms: f64) -> Option<&str> {
        self.cached.as_ref().filter(|t| t.use_until > now_ms).map(|t| t.access.expose())
    }

    /// A fresh token is in: cache it, forget the refusal, and remember both its values.
    pub fn store(&mut self, token: Token) {
        self.remember(token.access.expose());
        if let Some(r) = &token.refresh {
            self.remember(r.expose());
        }
        self.cached = Some(token);
        self.rejected = None;
    }

    /// The server refused `stale`: stop using it, unless a newer token already replaced it.
    /// The refresh token is kept: the next fetch tries it before the secret.
    pub fn invalidate(&mut self, stale: &str) {
        if let Some(t) = self.cached.as_mut().filter(|t| t.access.expose() == stale) {
            t.use_until = 0.0;
            self.rejected = Some(Secret::new(stale));
        }
    }

    pub fn refresh_token(&self) -> Option<&str> {
        self.cached.as_ref().and_then(|t| t.refresh.as_ref()).map(Secret::expose)
    }

    pub fn rejected(&self) -> Option<&str> {
        self.rejected.as_ref().map(Secret::expose)
    }

    /// Keeps `token` among the values errors are scrubbed of (a provider's tokens too).
    pub fn remember(&mut self, token: &str) {
        if !self.seen.iter().any(|s| s.expose() == token) {
            if self.seen.len() >= SEEN {
                self.seen.remove(0);
            }
            self.seen.push(Secret::new(token));
        }
    }

    /// Every token value this process has held: the cached ones and the recent ones.
    pub fn each_seen(&self, mut f: impl FnMut(&str)) {
        if let Some(t) = &self.cached {
            f(t.access.expose());
            if let Some(r) = &t.refresh {
                f(r.expose());
            }
        }
        for s in &self.seen {
            f(s.expose());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(access: &str, refresh: Option<&str>, use_until: f64) -> Token {
        Token { access: Secret::new(access), refresh: refresh.map(Secret::new), use_until }
    }

    #[test]
    fn a_cached_token_is_used_until_its_margin_then_not() {
        let mut c = TokenCache::default();
        assert_eq!(c.usable(0.0), None);
        c.store(token("at-1", Some("rt-1"), 1_000.0));
        assert_eq!(c.usable(999.0), Some("at-1"));
        assert_eq!(c.usable(1_000.0), None);
        assert_eq!(c.refresh_token(), Some("rt-1"));
    }

    #[test]
    fn a_refused_token_stops_being_used_but_its_refresh_token_stays() {
        let mut c = TokenCache::default();
        c.store(token("at-1", Some("rt-1"), 10_000.0));
        c.invalidate("at-1");
        assert_eq!((c.usable(0.0), c.rejected(), c.refresh_token()), (None, Some("at-1"), Some("rt-1")));
        c.store(token("at-2", None, 10_000.0));
        assert_eq!((c.usable(0.0), c.rejected()), (Some("at-2"), None));
    }

    #[test]
    fn refusing_an_older_token_does_not_touch_a_newer_one() {
        let mut c = TokenCache::default();
        c.store(token("at-2", None, 10_000.0));
        c.invalidate("at-1");
        assert_eq!((c.usable(0.0), c.rejected()), (Some("at-2"), None));
    }

    #[test]
    fn recent_tokens_stay_in_the_scrub_set_after_the_cache_moved_on() {
        let mut c = TokenCache::default();
        for i in 0..12 {
            c.store(token(&format!("at-{i}"), Some(&format!("rt-{i}")), 1.0));
        }
        let mut seen = vec![];
        c.each_seen(|s| seen.push(s.to_string()));
        assert!(seen.contains(&"at-11".to_string()) && seen.contains(&"rt-11".to_string()) && seen.contains(&"at-8".to_string()));
        assert!(!seen.contains(&"at-0".to_string()), "only the last {SEEN} values are kept");
    }
}
