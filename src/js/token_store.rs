//! Yunzhijia's `tokenStore` at run time: one token, and with `lock` one refresh, shared by every
//! process using the same store. The decisions (key, ttl, lock time, polling, which token may be
//! taken or overwritten) are `vendors::yunzhijia::token_store`; this file makes the store calls.
//! A store that throws, answers nonsense or hangs (each call is cut at one second by the facade)
//! is reported through `onEvent` as a `store-error` and the client goes on without it: the store
//! can cost a call time, never its success.

use crate::prelude::*;
use alloc::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::client::Inner;
use super::token;
use crate::core::error::Error;
use crate::core::event::{Event, Type};
use crate::core::ops::Vendor;
use crate::core::secret::Secret;
use crate::core::time::now_ms;
use crate::js::transport;
use crate::vendors::yunzhijia::auth::Token;
use crate::vendors::yunzhijia::token_store::{self as decide, lock_ttl_ms, lock_wait_ms, may_overwrite, poll_delay_ms, ttl_ms, usable};

/// The facade's adapter over the caller's store (`storeAdapter` in facade.js): every method
/// resolves, within a second, with `[true, value]` or `[false, code, message]`.
#[wasm_bindgen]
extern "C" {
    pub type Store;
    #[wasm_bindgen(method, catch)]
    fn get(this: &Store, key: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn set(this: &Store, key: &str, token: &str, ttl_ms: f64) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn lock(this: &Store, key: &str, ttl_ms: f64) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn unlock(this: &Store, release: &JsValue) -> Result<Promise, JsValue>;
}

/// A client's store and the key of its token.
pub struct SharedStore {
    store: Store,
    key: String,
    has_lock: bool,
}

impl SharedStore {
    /// `adapter` is the facade's `storeAdapter(...)`, or undefined when there is no store.
    pub fn from_js(adapter: JsValue, key: String) -> Option<SharedStore> {
        if adapter.is_undefined() || adapter.is_null() {
            return None;
        }
        let has_lock = js_sys::Reflect::get(&adapter, &"hasLock".into()).is_ok_and(|v| v.as_bool() == Some(true));
        Some(SharedStore { store: adapter.unchecked_into(), key, has_lock })
    }
}

/// A token for the client: the one in the store unless it is the one just refused, else one
/// fetched (by this process alone when the store has `lock`) and written back.
/// `call_deadline_ms` is the deadline of the call that began this: another's lock is waited on
/// within it (`lock_wait_ms`).
pub async fn obtain(inner: &Rc<Inner>, call_deadline_ms: f64) -> Result<Token, Error> {
    let Some(shared) = inner.store.as_ref() else {
        return token::fetch_token(inner).await;
    };
    let stale = inner.tokens.rejected();
    let stale = stale.as_deref();
    match read(inner, shared).await {
        Err(()) => return token::fetch_token(inner).await, // the store is down: do without it
        Ok(v) => {
            if let Some(t) = usable(v.as_deref(), stale) {
                return Ok(from_store(inner, t));
            }
        }
    }
    let mut release = None;
    if shared.has_lock {
        let ttl = lock_ttl_ms(inner.timeout_ms, inner.max_retries, inner.deadline_ms);
        release = match take_lock(inner, shared, ttl).await {
            Ok(Some(r)) => Some(r),
            Ok(None) => match wait(inner, shared, stale, ttl, lock_wait_ms(ttl, inner.timeout_ms, call_deadline_ms)).await {
                Waited::Token(t) => return Ok(t),
                Waited::Lock(r) => Some(r),
                Waited::GaveUp => None,
            },
            Err(()) => None,
        };
        if let Some(r) = &release {
            // Another process may have stored one between our read and our lock.
            if let Ok(Some(t)) = read(inner, shared).await.map(|v| usable(v.as_deref(), stale).map(str::to_string)) {
                give_back(inner, shared, r).await;
                return Ok(from_store(inner, &t));
            }
        }
    }
    let fetched = token::fetch_token(inner).await;
    if let Some((t, ttl)) = fetched.as_ref().ok().and_then(|t| ttl_ms(t, now_ms()).map(|ttl| (t, ttl))) {
        // Compare first: a token another process stored meanwhile is newer than the one this
        // process had, and stays.
        if let Ok(current) = read(inner, shared).await {
            if may_overwrite(current.as_deref(), stale) {
                // A store's error may quote what it was given: the token is masked in it.
                inner.tokens.remember(t.access.expose());
                let _ = call(inner, "tokenStore.set", shared.store.set(&shared.key, t.access.expose(), ttl)).await;
            }
        }
    }
    if let Some(r) = &release {
        give_back(inner, shared, r).await;
    }
    fetched
}

enum Waited {
    Token(Token),
    Lock(JsValue),
    GaveUp,
}

/// Another process holds the lock: poll the store, backing off, until that process has stored
/// a token, or its lock is free (it failed, or died and the lock expired), or `wait_ms` is up
/// (then this process fetches its own; `ttl` is the lock's own time, for taking it).
async fn wait(inner: &Rc<Inner>, shared: &SharedStore, stale: Option<&str>, ttl: f64, wait_ms: f64) -> Waited {
    let until = now_ms() + wait_ms;
    let mut n = 0;
    loop {
        let left = until - now_ms();
        if left <= 0.0 {
            return Waited::GaveUp;
        }
        transport::pause(&inner.io, poll_delay_ms(n).min(left)).await;
        n += 1;
        match read(inner, shared).await {
            Err(()) => return Waited::GaveUp,
            Ok(v) => {
                if let Some(t) = usable(v.as_deref(), stale) {
                    return Waited::Token(from_store(inner, t));
                }
            }
        }
        match take_lock(inner, shared, ttl).await {
            Ok(Some(r)) => return Waited::Lock(r),
            Ok(None) => {}
            Err(()) => return Waited::GaveUp,
        }
    }
}

/// A token read from the store, used for `REUSE_MS` before the store is asked again. It keeps
/// the refresh token this process may hold: a refresh token is not tied to one access token.
fn from_store(inner: &Inner, access: &str) -> Token {
    let refresh = inner.tokens.refresh_token().map(Secret::new);
    Token { access: Secret::new(access), refresh, use_until: now_ms() + decide::REUSE_MS }
}

/// `get`: the stored token, None when there is none; Err after a reported failure.
async fn read(inner: &Inner, shared: &SharedStore) -> Result<Option<String>, ()> {
    let v = call(inner, "tokenStore.get", shared.store.get(&shared.key)).await?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_string() {
        Some(t) => Ok(Some(t)),
        None => {
            store_failed(
                inner,
                "tokenStore.get",
                "STORE_ERROR",
                "get resolved with something that is not a string, null or undefined",
                0.0,
            );
            Err(())
        }
    }
}

/// `lock`: the release function when this process holds the lock now, None when another does.
async fn take_lock(inner: &Inner, shared: &SharedStore, ttl: f64) -> Result<Option<JsValue>, ()> {
    let v = call(inner, "tokenStore.lock", shared.store.lock(&shared.key, ttl)).await?;
    if v.is_function() {
        Ok(Some(v))
    } else if v.is_undefined() || v.is_null() || v.as_bool() == Some(false) {
        Ok(None)
    } else {
        store_failed(inner, "tokenStore.lock", "STORE_ERROR", "lock resolved with something that is not a function or null", 0.0);
        Err(())
    }
}

async fn give_back(inner: &Inner, shared: &SharedStore, release: &JsValue) {
    let _ = call(inner, "tokenStore.unlock", shared.store.unlock(release)).await;
}

/// Awaits one adapter call: its value, or Err after a `store-error` event.
async fn call(inner: &Inner, operation: &'static str, started: Result<Promise, JsValue>) -> Result<JsValue, ()> {
    let t0 = now_ms();
    let answer = match started {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    let parts = answer.filter(Array::is_array).map(|v| Array::from(&v));
    match parts {
        Some(a) if a.get(0).as_bool() == Some(true) => Ok(a.get(1)),
        other => {
            let code = other.as_ref().and_then(|a| a.get(1).as_string()).filter(|c| c == "TIMEOUT").map_or("STORE_ERROR", |_| "TIMEOUT");
            let message = other.as_ref().and_then(|a| a.get(2).as_string()).unwrap_or_else(|| "the store failed".into());
            store_failed(inner, operation, code, &message, now_ms() - t0);
            Err(())
        }
    }
}

/// Reports a store failure through `onEvent` (nothing is built without a hook).
fn store_failed(inner: &Inner, operation: &str, code: &str, message: &str, duration_ms: f64) {
    if let Some(hook) = &inner.on_event {
        let mut e = Event::new(Type::StoreError, Vendor::Yunzhijia, operation);
        e.code = Some(code);
        e.message = Some(message);
        e.duration_ms = Some(duration_ms);
        let _ = hook.call1(&JsValue::NULL, &JsValue::from_str(&e.to_json(&inner.scrub_set(None))));
    }
}
