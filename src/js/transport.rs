//! The one place that does I/O: a caller-supplied `fetch` (browser and Node 20 alike), with a
//! per-attempt timeout, an overall deadline, the caller's `AbortSignal`, and the retry policy of
//! `core::retry`. Rust decides; the small JS half in `pkg-template/src/transport.js` acts.
//! One attempt runs in a small JS function that settles once with a tagged result, so an odd
//! `fetch` or response can only produce an `Error`, never a trap.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use js_sys::{Array, Date, Function, Math, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::call::{self, Bounds};
pub use crate::core::call::{aborted, AttemptError};
use crate::core::error::Error;
use crate::core::event::{Event, Type};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::ops::{Kind, Vendor};
use crate::core::retry::is_unsent_cause;

/// The JS half of the transport (`pkg-template/src/transport.js`): one attempt, and a sleep.
/// Crossing into JS once per attempt, rather than once per header, timer, listener and await,
/// is what keeps a call close to a hand-written fetch.
#[wasm_bindgen]
extern "C" {
    pub type IoJs;
    /// One attempt: a promise that settles once with `[status, retryAfter, text]` or a tagged
    /// rejection. `head` is the method, URL and headers (see `head`).
    #[wasm_bindgen(method, catch, js_name = attempt)]
    fn attempt(
        this: &IoJs,
        fetch: &Function,
        head: &str,
        body: Option<&str>,
        timeout_ms: f64,
        signal: &JsValue,
        max_bytes: f64,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn sleep(this: &IoJs, ms: f64, signal: &JsValue) -> Result<JsValue, JsValue>;
    /// A promise that settles as `promise` does, or rejects as a timed-out attempt does after
    /// `ms`, whichever is first (its timer cleared either way).
    #[wasm_bindgen(method, catch)]
    fn within(this: &IoJs, promise: &Promise, ms: f64) -> Result<JsValue, JsValue>;
}

/// A client's JS half.
pub struct Io {
    js: IoJs,
}

impl Io {
    /// `{attempt, sleep, within, body, data}` as the JS entry passes it, with its two markers: `step`
    /// answers with one of them when the JS that holds the answer's text is to parse it itself
    /// (the whole body, or its `data`), so that neither the text nor the result crosses back.
    pub fn from_js(io: JsValue) -> Option<(Io, Markers)> {
        let get = |k: &str| Reflect::get(&io, &k.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
        let is_fn = |k: &str| get(k).is_some_and(|f| f.is_function());
        let marker = |k: &str| get(k).filter(JsValue::is_object);
        match (is_fn("attempt") && is_fn("sleep"), marker("body"), marker("data")) {
            (true, Some(body), Some(data)) => Some((Io { js: io.unchecked_into() }, Markers { body, data })),
            _ => None,
        }
    }

    /// One attempt through the JS half: its promise.
    fn attempt(&self, fetch: &Function, req: &HttpRequest, timeout_ms: f64, signal: &JsValue, max_bytes: f64) -> Result<JsValue, JsValue> {
        self.js.attempt(fetch, &head(req), req.body.as_deref(), timeout_ms, signal, max_bytes)
    }

    /// Awaits `promise` for at most `ms`: its value (undefined if it rejected), or None when the
    /// time ran out first. (A JS half without `within` waits for as long as it takes.)
    pub async fn within(&self, promise: Promise, ms: f64) -> Option<JsValue> {
        let raced = match self.js.within(&promise, ms) {
            Ok(raced) => Promise::resolve(&raced),
            Err(_) => promise,
        };
        match JsFuture::from(raced).await {
            Ok(value) => Some(value),
            Err(e) if matches!(attempt_error(&e), AttemptError::Timeout) => None,
            Err(_) => Some(JsValue::UNDEFINED),
        }
    }

    fn sleep(&self, ms: f64, signal: &JsValue) -> Result<JsValue, JsValue> {
        self.js.sleep(ms, signal)
    }
}

/// The transport's markers for "parse the text you hold": as the body, or as its `data`.
pub struct Markers {
    pub body: JsValue,
    pub data: JsValue,
}

#[derive(Clone)]
pub struct CallOptions {
    pub timeout_ms: f64,
    /// The whole call, every attempt and backoff included; attempts are cut to fit in it.
    pub deadline_ms: f64,
    pub max_retries: u32,
    /// The caller's `AbortSignal`, if any.
    pub signal: Option<JsValue>,
    /// An answer longer than this is cut off while it streams in.
    pub max_response_bytes: f64,
    /// Where the call's events go; None when the client has no `onEvent` (then no event is
    /// ever built, so a call costs what it did without the hook).
    pub trace: Option<Rc<Trace>>,
}

/// One call's events, for the client's `onEvent` hook.
pub struct Trace {
    /// The facade's wrapper of the hook: takes the event as JSON, never throws.
    pub hook: Function,
    pub vendor: Vendor,
    pub operation: String,
    /// The client's scrub set when the call began (a token fetched later is masked in the URL
    /// by its parameter name).
    pub scrub: Vec<String>,
    /// Attempts sent so far, counted across a resend with a fresh token.
    pub attempts: Cell<u32>,
    /// The method and URL of the last attempt, for the `error` event.
    pub last: RefCell<Option<(&'static str, String)>>,
    pub started: f64,
}

impl Trace {
    pub fn new(hook: &Function, vendor: Vendor, operation: &str, scrub: Vec<String>) -> Rc<Trace> {
        let (attempts, last) = (Cell::new(0), RefCell::new(None));
        Rc::new(Trace { hook: hook.clone(), vendor, operation: operation.to_string(), scrub, attempts, last, started: Date::now() })
    }

    /// An event of this call with the attempt number filled in.
    pub fn event(&self, kind: Type) -> Event<'_> {
        let mut e = Event::new(kind, self.vendor, &self.operation);
        e.attempt = Some(self.attempts.get());
        e
    }

    pub fn emit(&self, e: &Event) {
        // The wrapper catches whatever the hook does; a failure to call it is not the call's.
        let _ = self.hook.call1(&JsValue::NULL, &JsValue::from_str(&e.to_json(&self.scrub)));
    }

    /// The `error` event of a failed call: its code and status, the attempts made, the last
    /// request sent (if any) and the whole call's duration.
    pub fn failed(&self, err: &Error) {
        let last = self.last.borrow().clone();
        let mut e = self.event(Type::Error);
        e.request = last.as_ref().map(|(m, u)| (*m, u.as_str()));
        e.code = Some(err.code.as_str());
        e.status = err.status;
        e.duration_ms = Some(Date::now() - self.started);
        self.emit(&e);
    }

    fn request(&self, req: &HttpRequest) {
        self.attempts.set(self.attempts.get() + 1);
        self.last.replace(Some((req.method.as_str(), req.url.clone())));
        let mut e = self.event(Type::Request);
        e.request = Some((req.method.as_str(), &req.url));
        self.emit(&e);
    }

    fn answered(&self, kind: Type, req: &HttpRequest, status: Option<u16>, code: Option<&str>, started: f64, delay: Option<f64>) {
        let mut e = self.event(kind);
        e.request = Some((req.method.as_str(), &req.url));
        e.status = status;
        e.code = code;
        e.duration_ms = Some(Date::now() - started);
        e.delay_ms = delay;
        self.emit(&e);
    }
}

/// Whether `signal` is an AbortSignal already aborted.
fn is_aborted(signal: Option<&JsValue>) -> bool {
    signal.is_some_and(|s| Reflect::get(s, &"aborted".into()).ok().and_then(|v| v.as_bool()) == Some(true))
}

/// Sends `req`, retrying as the policy allows. A response of any status is `Ok`: reading it is
/// the vendor parser's job.
pub async fn send(io: &Io, fetch: &Function, req: &HttpRequest, kind: Kind, opts: &CallOptions) -> Result<HttpResponse, Error> {
    let mut attempts = Attempts::new(opts);
    loop {
        let outcome = match attempts.start(io, fetch, req, opts, Date::now()) {
            Ok(promise) => match JsFuture::from(promise.unchecked_into::<Promise>()).await {
                Ok(answer) => answer_of(&answer),
                Err(e) => Err(attempt_error(&e)),
            },
            Err(e) => Err(attempt_error(&e)),
        };
        match attempts.after(outcome, req, kind, opts) {
            Step::Done(result) => return result,
            Step::Retry(delay) => sleep(io, delay, opts.signal.as_ref()).await?,
        }
    }
}

/// What to do after an attempt.
pub enum Step {
    /// The call is over: the answer (any status), or why there is none.
    Done(Result<HttpResponse, Error>),
    /// Wait this many ms, then send again.
    Retry(f64),
}

/// The attempts of one request: `core::call`'s machine decides, with the clock and the random
/// draw read here; this starts each attempt through the JS half and reports the events.
/// `send` loops over them with awaits, the facade's fast path (`Client::start`, `step`) steps
/// through them from JS, so there is one policy whichever drives it.
pub struct Attempts(call::Attempts);

impl Attempts {
    pub fn new(opts: &CallOptions) -> Attempts {
        Attempts(call::Attempts::new(Bounds {
            timeout_ms: opts.timeout_ms,
            deadline_ms: opts.deadline_ms,
            max_retries: opts.max_retries,
            max_response_bytes: opts.max_response_bytes,
        }))
    }

    /// Starts one attempt (its `request` event first): the promise of the JS half, which
    /// settles once with `[status, retryAfter, text]` or a tagged rejection. `now`: the time.
    pub fn start(&mut self, io: &Io, fetch: &Function, req: &HttpRequest, opts: &CallOptions, now: f64) -> Result<JsValue, JsValue> {
        let timeout_ms = self.0.begin(now);
        // An attempt the caller aborted before it began sends nothing: no `request` event
        // (asked only with a hook: reading `aborted` is a crossing).
        if let Some(t) = opts.trace.as_ref().filter(|_| !is_aborted(opts.signal.as_ref())) {
            t.request(req);
        }
        let undefined = JsValue::UNDEFINED;
        let signal = opts.signal.as_ref().unwrap_or(&undefined);
        io.attempt(fetch, req, timeout_ms, signal, opts.max_response_bytes)
    }

    /// Decides after an attempt, as `core::call` does, now.
    pub fn after(&mut self, outcome: Result<HttpResponse, AttemptError>, req: &HttpRequest, kind: Kind, opts: &CallOptions) -> Step {
        let started = self.0.started();
        if let (Some(t), Ok(r)) = (&opts.trace, &outcome) {
            t.answered(Type::Response, req, Some(r.status), None, started, None);
        }
        match self.0.after(outcome, req, kind, Date::now(), Math::random()) {
            call::Step::Done(done) => Step::Done(done),
            call::Step::Retry { delay, status, code } => {
                if let Some(t) = &opts.trace {
                    t.answered(Type::Retry, req, status, Some(code), started, Some(delay));
                }
                Step::Retry(delay)
            }
        }
    }
}

pub fn attempt_error(rejection: &JsValue) -> AttemptError {
    let tag = rejection.as_string().unwrap_or_default();
    match tag.strip_prefix("workbridge:") {
        Some("timer") => AttemptError::Timeout,
        Some("abort") => AttemptError::Aborted,
        Some(rest) => match rest.split_once(':') {
            Some(("bad", why)) => AttemptError::Bad(why.to_string()),
            Some(("big", _)) => AttemptError::TooBig,
            Some(("redirect", what)) => {
                let (status, location) = what.split_once('\n').unwrap_or((what, ""));
                AttemptError::Redirect(status.to_string(), location.to_string())
            }
            Some(("net", what)) => {
                let (code, why) = what.split_once('\n').unwrap_or(("", what));
                if is_unsent_cause(code) {
                    AttemptError::Unsent(why.to_string())
                } else {
                    AttemptError::Network(why.to_string())
                }
            }
            _ => AttemptError::Network(rest.to_string()),
        },
        None => AttemptError::Network("fetch failed".into()),
    }
}

/// The method, the URL and the headers as one text, a line each (`POST\nurl\nname\nvalue…`):
/// one string to cross into JS rather than one per part (none of them can hold a line break).
fn head(req: &HttpRequest) -> String {
    let method = req.method.as_str();
    let size = method.len() + req.url.len() + req.headers.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>() + 1;
    let mut head = String::with_capacity(size);
    head.push_str(method);
    head.push('\n');
    head.push_str(&req.url);
    for (k, v) in &req.headers {
        head.push('\n');
        head.push_str(k);
        head.push('\n');
        head.push_str(v);
    }
    head
}

/// An attempt's answer as the JS half resolves it: `[status, retryAfter, text]` (the async
/// path; the stepped one gets the three as `step`'s arguments).
pub fn answer_of(answer: &JsValue) -> Result<HttpResponse, AttemptError> {
    let answer = answer.unchecked_ref::<Array>();
    answer_from(answer.get(0).as_f64(), answer.get(1).as_string(), answer.get(2).as_string())
}

/// The same answer as its three parts, as the facade hands them to `step` (three arguments
/// cost less than reading them back out of the array across the boundary).
pub fn answer_from(status: Option<f64>, retry_after: Option<String>, text: Option<String>) -> Result<HttpResponse, AttemptError> {
    let status = status.filter(|s| (100.0..=599.0).contains(s) && s.fract() == 0.0);
    let status = status.ok_or_else(|| AttemptError::Bad("the answer has no valid HTTP status".into()))?;
    Ok(HttpResponse { status: status as u16, retry_after, body: text.unwrap_or_default() })
}

/// Waits `ms` (a waiter polling a shared token store).
pub async fn pause(io: &Io, ms: f64) {
    let _ = sleep(io, ms, None).await;
}

/// Waits `ms`, or less if the caller aborts.
async fn sleep(io: &Io, ms: f64, signal: Option<&JsValue>) -> Result<(), Error> {
    let promise = io.sleep(ms, signal.unwrap_or(&JsValue::UNDEFINED)).map_err(|_| aborted())?;
    JsFuture::from(Promise::resolve(&promise)).await.map(|_| ()).map_err(|_| aborted())
}
