//! Yunzhijia access tokens at run time: a fixed token, the caller's provider function, or
//! credentials with a cached token, refreshed with its refreshToken, fetched by one request
//! however many calls wait on it. The requests themselves are built and read by
//! `vendors::yunzhijia::auth`; this file only decides when to send them, and a `tokenStore`
//! (`token_store.rs`) shares them with other processes.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::client::Inner;
use crate::core::error::{Code, Error};
use crate::core::ops::Kind;
use crate::core::time::now_ms;
use crate::js::transport::{self, CallOptions};
use crate::vendors::{
    self,
    yunzhijia::auth::{self, Auth, Token},
    yunzhijia::token_cache::TokenCache,
    yunzhijia::Config,
};

#[derive(Default)]
pub struct Tokens {
    /// What this process knows of its token (pure: `vendors::yunzhijia::token_cache`).
    cache: RefCell<TokenCache>,
    /// The token request under way, shared by every call waiting on it. It resolves with the
    /// token, or `undefined` after putting the reason in `failure`.
    inflight: RefCell<Option<Promise>>,
    failure: RefCell<Option<Error>>,
}

impl Tokens {
    pub fn rejected(&self) -> Option<String> {
        self.cache.borrow().rejected().map(str::to_string)
    }

    /// The refresh token of the cached token, if this process has one.
    pub fn refresh_token(&self) -> Option<String> {
        self.cache.borrow().refresh_token().map(str::to_string)
    }

    /// Keeps `token` among the values errors and events are scrubbed of.
    pub fn remember(&self, token: &str) {
        self.cache.borrow_mut().remember(token);
    }

    /// Calls `f` with every token value this process has held.
    pub fn each_seen(&self, f: impl FnMut(&str)) {
        self.cache.borrow().each_seen(f);
    }
}

/// The access token to send now for a Yunzhijia client, waited for no longer than
/// `deadline_ms`, the call's (see `from_credentials`).
pub async fn access_token(inner: &Rc<Inner>, deadline_ms: f64) -> Result<String, Error> {
    match &config(inner)?.auth {
        Auth::Fixed(t) => Ok(t.expose().to_string()),
        Auth::Provider => {
            let token = from_provider(inner.token_provider.as_ref()).await?;
            inner.tokens.remember(&token);
            Ok(token)
        }
        Auth::Credentials(_) => from_credentials(inner, deadline_ms).await,
    }
}

fn config(inner: &Inner) -> Result<&Config, Error> {
    match &inner.client {
        #[cfg(feature = "yunzhijia")]
        vendors::Client::Yunzhijia(c) => Ok(c),
        #[allow(unreachable_patterns)]
        _ => Err(Error::new(Code::InvalidArgument, "access tokens are a Yunzhijia matter")),
    }
}

/// Forgets `stale` after the server refused it, unless a newer token already replaced it.
pub fn invalidate(inner: &Inner, stale: &str) {
    inner.tokens.cache.borrow_mut().invalidate(stale);
}

async fn from_provider(provider: Option<&Function>) -> Result<String, Error> {
    let failed = |why: String| Error::new(Code::AuthFailed, format!("the accessToken function failed: {why}"));
    let f = provider.ok_or_else(|| failed("it is missing".into()))?;
    let value = f.call0(&JsValue::UNDEFINED).map_err(|e| failed(js_message(&e)))?;
    let value = JsFuture::from(Promise::resolve(&value)).await.map_err(|e| failed(js_message(&e)))?;
    match value.as_string() {
        Some(t) if !t.trim().is_empty() => Ok(t),
        _ => Err(failed("it did not return a non-empty string".into())),
    }
}

fn js_message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// The cached token, or the one the token request under way (or begun here) gets. That request
/// is shared by every call waiting for it and runs on the client's own limits, so a call with a
/// shorter deadline stops waiting at its own: nothing of it was sent, and the request goes on
/// for the calls after it.
async fn from_credentials(inner: &Rc<Inner>, deadline_ms: f64) -> Result<String, Error> {
    let tokens = &inner.tokens;
    if let Some(t) = tokens.cache.borrow().usable(now_ms()) {
        return Ok(t.to_string());
    }
    let existing = tokens.inflight.borrow().clone();
    let promise = match existing {
        Some(p) => p,
        None => {
            let owner = Rc::clone(inner);
            let p = future_to_promise(async move {
                let outcome = super::token_store::obtain(&owner, deadline_ms).await;
                let tokens = &owner.tokens;
                tokens.inflight.borrow_mut().take();
                match outcome {
                    Ok(token) => {
                        let access = JsValue::from_str(token.access.expose());
                        tokens.cache.borrow_mut().store(token);
                        Ok(access)
                    }
                    Err(e) => {
                        tokens.failure.replace(Some(e));
                        Ok(JsValue::UNDEFINED)
                    }
                }
            });
            tokens.inflight.replace(Some(p.clone()));
            p
        }
    };
    let Some(value) = inner.io.within(promise, deadline_ms).await else {
        let detail = format!("no access token within the call's deadlineMs ({} ms); nothing was sent", deadline_ms as i64);
        return Err(Error::new(Code::Timeout, detail).retryable(true));
    };
    match value.as_string() {
        Some(t) => Ok(t),
        None => Err(tokens.failure.borrow().clone().unwrap_or_else(|| Error::new(Code::AuthFailed, "no access token"))),
    }
}

/// refreshToken when there is one, else (or if that fails) getAccessToken.
pub(crate) async fn fetch_token(inner: &Inner) -> Result<Token, Error> {
    let config = config(inner)?;
    let Auth::Credentials(creds) = &config.auth else {
        return Err(Error::new(Code::AuthFailed, "no credentials to get a token with"));
    };
    // Shared by every waiting call, so no one call's signal may cancel it.
    let opts = |operation: &str| CallOptions {
        timeout_ms: inner.timeout_ms,
        deadline_ms: inner.deadline_ms,
        max_retries: inner.max_retries,
        signal: None,
        max_response_bytes: inner.max_response_bytes,
        trace: inner.trace(operation),
    };
    let base = &config.base_url;
    let refresh = inner.tokens.refresh_token();
    if let Some(refresh) = refresh {
        let req = auth::build_refresh(creds, base, &refresh, now_ms());
        // Token requests change nothing a retry could duplicate: retried like reads.
        if let Ok(res) = transport::send(&inner.io, &inner.fetch, &req, Kind::Read, &opts("token.refreshToken")).await {
            if let Ok(token) = auth::parse_token(&res, now_ms()) {
                return Ok(token);
            }
        }
    }
    let req = auth::build_get_token(creds, base, now_ms());
    let res = transport::send(&inner.io, &inner.fetch, &req, Kind::Read, &opts("token.getAccessToken")).await?;
    auth::parse_token(&res, now_ms())
}
