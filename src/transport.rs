//! The one place that does I/O: a caller-supplied `fetch` (browser and Node 20 alike), with a
//! per-attempt timeout, the caller's `AbortSignal`, and the retry policy of `core::retry`.
//! Everything from JS is duck-typed through `Reflect` with errors caught, so an odd `fetch`
//! or response can only produce an `Error`, never a trap.

use js_sys::{Array, Date, Function, Math, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::error::{Code, Error};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::ops::Kind;
use crate::core::retry::{is_retryable, parse_retry_after, Failure, Policy};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    type AbortController;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<AbortController, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AbortController) -> JsValue;
    #[wasm_bindgen(method)]
    fn abort(this: &AbortController);
}

/// Rejection values of our own timer and abort promises, told apart from `fetch`'s errors.
const TIMER_TAG: &str = "workbridge:timer";
const ABORT_TAG: &str = "workbridge:abort";

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
pub async fn send(fetch: &Function, req: &HttpRequest, kind: Kind, opts: &CallOptions) -> Result<HttpResponse, Error> {
    let policy = Policy { max_retries: opts.max_retries, ..Policy::default() };
    let deadline_at = Date::now() + opts.deadline_ms;
    let mut retries = 0;
    loop {
        let remaining = deadline_at - Date::now();
        let outcome = match attempt(fetch, req, opts.timeout_ms.min(remaining.max(1.0)), opts.signal.as_ref()).await {
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
                sleep(delay, opts.signal.as_ref()).await?;
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
        AttemptError::Timeout => (Code::Timeout, Failure::Timeout, format!("no answer within {timeout_ms} ms{tries}")),
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

/// A timer and an abort listener, raced against each awaited promise; dropping it clears both,
/// so no timer keeps Node alive and no listener stays on the caller's signal.
struct Race {
    timer: JsValue,
    timer_p: Promise,
    abort: Option<(JsValue, Function, Promise)>,
}

impl Race {
    fn new(ms: f64, signal: Option<&JsValue>) -> Result<Race, AttemptError> {
        if signal.is_some_and(is_aborted) {
            return Err(AttemptError::Aborted);
        }
        let mut timer = JsValue::UNDEFINED;
        let timer_p = Promise::new(&mut |_, reject| {
            let fire: Function = reject.bind1(&JsValue::NULL, &JsValue::from_str(TIMER_TAG)).unchecked_into();
            timer = set_timeout(&fire, ms);
        });
        let abort = signal.and_then(|signal| {
            let mut listener = None;
            let p = Promise::new(&mut |_, reject| listener = Some(reject.bind1(&JsValue::NULL, &JsValue::from_str(ABORT_TAG)).unchecked_into::<Function>()));
            let listener = listener?;
            call_method(signal, "addEventListener", &[JsValue::from_str("abort"), listener.clone().into()]).ok()?;
            Some((signal.clone(), listener, p))
        });
        Ok(Race { timer, timer_p, abort })
    }

    async fn run(&self, p: Promise) -> Result<JsValue, JsValue> {
        let all = Array::of2(&p, &self.timer_p);
        if let Some((_, _, abort_p)) = &self.abort {
            all.push(abort_p);
        }
        JsFuture::from(Promise::race(&all)).await
    }
}

impl Drop for Race {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let Some((signal, listener, _)) = &self.abort {
            let _ = call_method(signal, "removeEventListener", &[JsValue::from_str("abort"), listener.clone().into()]);
        }
    }
}

fn is_aborted(signal: &JsValue) -> bool {
    Reflect::get(signal, &"aborted".into()).map(|v| v.is_truthy()).unwrap_or(false)
}

fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(target, &name.into())?.dyn_into()?;
    f.apply(target, &args.iter().collect::<Array>())
}

fn tag_of(e: &JsValue) -> Option<String> {
    e.as_string().filter(|s| s == TIMER_TAG || s == ABORT_TAG)
}

/// A readable reason from whatever `fetch` rejected with (Node puts the cause's code aside).
fn describe_js_error(e: &JsValue) -> String {
    let field = |v: &JsValue, k: &str| Reflect::get(v, &k.into()).ok().and_then(|v| v.as_string());
    let message = field(e, "message").or_else(|| e.as_string()).unwrap_or_else(|| "fetch failed".into());
    let cause = Reflect::get(e, &"cause".into()).ok().filter(|c| c.is_object());
    match cause.and_then(|c| field(&c, "code")) {
        Some(code) => format!("{message} ({code})"),
        None => message,
    }
}

async fn attempt(fetch: &Function, req: &HttpRequest, timeout_ms: f64, signal: Option<&JsValue>) -> Result<HttpResponse, AttemptError> {
    let race = Race::new(timeout_ms, signal)?;
    let controller = AbortController::new().ok();
    let init = Object::new();
    let headers = Object::new();
    for (k, v) in &req.headers {
        let _ = Reflect::set(&headers, &(*k).into(), &v.into());
    }
    let _ = Reflect::set(&init, &"method".into(), &req.method.as_str().into());
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    if let Some(body) = &req.body {
        let _ = Reflect::set(&init, &"body".into(), &body.into());
    }
    if let Some(c) = &controller {
        let _ = Reflect::set(&init, &"signal".into(), &c.signal());
    }
    let on_fail = |e: JsValue| {
        if let Some(c) = &controller {
            c.abort();
        }
        match tag_of(&e).as_deref() {
            Some(TIMER_TAG) => AttemptError::Timeout,
            Some(_) => AttemptError::Aborted,
            None => AttemptError::Network(describe_js_error(&e)),
        }
    };
    let started = fetch.call2(&JsValue::UNDEFINED, &req.url.as_str().into(), &init).map_err(on_fail)?;
    let response = race.run(Promise::resolve(&started)).await.map_err(on_fail)?;

    let status = Reflect::get(&response, &"status".into()).ok().and_then(|s| s.as_f64()).unwrap_or(0.0);
    if !(100.0..=599.0).contains(&status) || status.fract() != 0.0 {
        return Err(AttemptError::Bad("fetch returned something that is not a Response".into()));
    }
    let retry_after = Reflect::get(&response, &"headers".into())
        .ok()
        .and_then(|h| call_method(&h, "get", &[JsValue::from_str("retry-after")]).ok())
        .and_then(|v| v.as_string());
    let text = call_method(&response, "text", &[]).map_err(on_fail)?;
    let body = race.run(Promise::resolve(&text)).await.map_err(|e| match on_fail(e) {
        // The status line came; a body cut off mid-way is a broken answer, not a lost request.
        AttemptError::Network(why) => AttemptError::Bad(format!("the answer was cut off: {why}")),
        other => other,
    })?;
    let body = body.as_string().ok_or_else(|| AttemptError::Bad("the answer's body is not text".into()))?;
    Ok(HttpResponse { status: status as u16, retry_after, body })
}

/// Waits `ms`, or less if the caller aborts. The race's timer firing is the normal end here.
async fn sleep(ms: f64, signal: Option<&JsValue>) -> Result<(), Error> {
    let aborted = || Error::new(Code::Aborted, "aborted by the caller's signal");
    let race = Race::new(ms, signal).map_err(|_| aborted())?;
    let never = Promise::new(&mut |_, _| {});
    match race.run(never).await {
        Err(e) if tag_of(&e).as_deref() == Some(TIMER_TAG) => Ok(()),
        _ => Err(aborted()),
    }
}
