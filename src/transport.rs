//! The one place that does I/O: a caller-supplied `fetch` (browser and Node 20 alike), with a
//! per-attempt timeout, an overall deadline, the caller's `AbortSignal`, and the retry policy of
//! `core::retry`. Rust decides; the small JS half in `pkg-template/src/transport.js` acts.
//! One attempt runs in a small JS function that settles once with a tagged result, so an odd
//! `fetch` or response can only produce an `Error`, never a trap.

use js_sys::{Array, Date, Function, Math, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::error::{Code, Error};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::ops::Kind;
use crate::core::retry::{is_retryable, parse_retry_after, Failure, Policy};

/// The JS half of the transport (`pkg-template/src/transport.js`): one attempt, and a sleep.
/// Crossing into JS once per attempt, rather than once per header, timer, listener and await,
/// is what keeps a call close to a hand-written fetch.
#[wasm_bindgen]
extern "C" {
    pub type Io;
    #[wasm_bindgen(method, catch)]
    fn attempt(this: &Io, fetch: &Function, url: &str, method: &str, header_lines: &str, body: Option<String>, timeout_ms: f64, signal: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn sleep(this: &Io, ms: f64, signal: &JsValue) -> Result<JsValue, JsValue>;
}

impl Io {
    /// `{attempt, sleep}` as the JS entry passes it.
    pub fn from_js(io: JsValue) -> Option<Io> {
        let is_fn = |k: &str| Reflect::get(&io, &k.into()).is_ok_and(|f| f.is_function());
        (is_fn("attempt") && is_fn("sleep")).then(|| io.unchecked_into())
    }
}

pub struct CallOptions {
    pub timeout_ms: f64,
    /// The whole call, every attempt and backoff included; attempts are cut to fit in it.
    pub deadline_ms: f64,
    pub max_retries: u32,
    /// The caller's `AbortSignal`, if any.
    pub signal: Option<JsValue>,
}

enum AttemptError {
    Timeout,
    Aborted,
    Network(String),
    Bad(String),
}

/// Sends `req`, retrying as the policy allows. A response of any status is `Ok`: reading it is
/// the vendor parser's job.
pub async fn send(io: &Io, fetch: &Function, req: &HttpRequest, kind: Kind, opts: &CallOptions) -> Result<HttpResponse, Error> {
    let policy = Policy { max_retries: opts.max_retries, ..Policy::default() };
    let deadline_at = Date::now() + opts.deadline_ms;
    let mut retries = 0;
    loop {
        let remaining = deadline_at - Date::now();
        let outcome = match attempt(io, fetch, req, opts.timeout_ms.min(remaining.max(1.0)), opts.signal.as_ref()).await {
            Ok(r) if r.status != 429 && r.status < 500 => return Ok(r),
            other => other,
        };
        let (failure, retry_after) = match &outcome {
            Ok(r) if r.retry_after.is_some() => {
                (Failure::Status(r.status), r.retry_after.as_deref().and_then(|v| parse_retry_after(v, Date::now())))
            }
            Ok(r) => (Failure::Status(r.status), None),
            Err(AttemptError::Timeout) => (Failure::Timeout, None),
            Err(AttemptError::Network(_)) => (Failure::Network, None),
            Err(AttemptError::Aborted) => return Err(Error::new(Code::Aborted, "aborted by the caller's signal")),
            Err(AttemptError::Bad(why)) => return Err(Error::new(Code::BadResponse, why.clone())),
        };
        let delay = policy.next_delay(kind, failure, retries, retry_after, Math::random());
        match delay.filter(|d| Date::now() + d < deadline_at) {
            Some(delay) => {
                sleep(io, delay, opts.signal.as_ref()).await?;
                retries += 1;
            }
            None => {
                return match outcome {
                    Ok(response) => Ok(response),
                    Err(e) => Err(final_error(e, kind, opts.timeout_ms, retries)),
                }
            }
        }
    }
}

fn final_error(e: AttemptError, kind: Kind, timeout_ms: f64, retries: u32) -> Error {
    let tries = if retries > 0 { format!(" (after {} attempts)", retries + 1) } else { String::new() };
    let (code, failure, what) = match e {
        AttemptError::Timeout => (Code::Timeout, Failure::Timeout, format!("no answer within {} ms{tries}", timeout_ms as i64)),
        AttemptError::Network(why) => (Code::NetworkError, Failure::Network, format!("network error: {why}{tries}")),
        AttemptError::Aborted => return Error::new(Code::Aborted, "aborted by the caller's signal"),
        AttemptError::Bad(why) => return Error::new(Code::BadResponse, why),
    };
    let what = if kind == Kind::Write {
        format!("{what}; not retried, since the request may have arrived: check before sending again")
    } else {
        what
    };
    Error::new(code, what).retryable(is_retryable(kind, failure))
}

fn attempt_error(rejection: &JsValue) -> AttemptError {
    let tag = rejection.as_string().unwrap_or_default();
    match tag.strip_prefix("workbridge:") {
        Some("timer") => AttemptError::Timeout,
        Some("abort") => AttemptError::Aborted,
        Some(rest) => match rest.split_once(':') {
            Some(("bad", why)) => AttemptError::Bad(why.to_string()),
            Some((_, why)) => AttemptError::Network(why.to_string()),
            None => AttemptError::Network(rest.to_string()),
        },
        None => AttemptError::Network("fetch failed".into()),
    }
}

async fn attempt(io: &Io, fetch: &Function, req: &HttpRequest, timeout_ms: f64, signal: Option<&JsValue>) -> Result<HttpResponse, AttemptError> {
    let mut header_lines = String::new();
    for (k, v) in &req.headers {
        if !header_lines.is_empty() {
            header_lines.push('\n');
        }
        header_lines.push_str(k);
        header_lines.push('\n');
        header_lines.push_str(v);
    }
    let signal = signal.cloned().unwrap_or(JsValue::UNDEFINED);
    let promise = io.attempt(fetch, &req.url, req.method.as_str(), &header_lines, req.body.clone(), timeout_ms, &signal).map_err(|e| attempt_error(&e))?;
    let answer = Array::from(&JsFuture::from(Promise::resolve(&promise)).await.map_err(|e| attempt_error(&e))?);
    let status = answer.get(0).as_f64().filter(|s| (100.0..=599.0).contains(s) && s.fract() == 0.0);
    let status = status.ok_or_else(|| AttemptError::Bad("the answer has no valid HTTP status".into()))?;
    Ok(HttpResponse { status: status as u16, retry_after: answer.get(1).as_string(), body: answer.get(2).as_string().unwrap_or_default() })
}

/// Waits `ms`, or less if the caller aborts.
async fn sleep(io: &Io, ms: f64, signal: Option<&JsValue>) -> Result<(), Error> {
    let aborted = |_| Error::new(Code::Aborted, "aborted by the caller's signal");
    let signal = signal.cloned().unwrap_or(JsValue::UNDEFINED);
    let promise = io.sleep(ms, &signal).map_err(aborted)?;
    JsFuture::from(Promise::resolve(&promise)).await.map(|_| ()).map_err(aborted)
}
