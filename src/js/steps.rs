//! A call stepped through from JS: the facade's way of running one. `start` checks and prepares
//! it, `send` starts each attempt, `step`
//! takes an attempt's outcome and answers with the result (or a marker: the JS parses the text),
//! the error, or a retry after `delay`; the facade's `wbDrive` (pkg-template/src/transport.js)
//! chains them with plain JS promises. The same `Attempts` decide as in `transport::send`, so
//! the retry policy, the deadline and the events are the same; what goes is the Rust async
//! machinery of an awaited call (a task, a promise of it, two closures per attempt, a wake),
//! which cost more than the rest of the module's work per call.
//! A call that must first get a Yunzhijia token (a provider, credentials) is left to the async
//! path: `run` takes it over.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::client::{Client, Inner};
use crate::core::error::{Code, Error};
use crate::core::http::{HttpRequest, Method};
use crate::js::transport::{aborted, answer_from, attempt_error, Attempts, CallOptions, Step};
use crate::vendors::{self, yunzhijia::auth::Auth, yunzhijia::with_token, Prepared};

/// One call between its steps.
struct Pending {
    op: &'static str,
    prepared: Prepared,
    opts: CallOptions,
    attempts: Attempts,
    /// The backoff `step` asked for.
    delay: f64,
}

/// The calls under way, by number; a number is reused once its call is over.
#[derive(Default)]
pub struct Calls {
    slots: RefCell<Vec<Option<Pending>>>,
    free: RefCell<Vec<u32>>,
}

impl Calls {
    fn put(&self, p: Pending) -> u32 {
        let mut slots = self.slots.borrow_mut();
        match self.free.borrow_mut().pop() {
            Some(id) => {
                if let Some(slot) = slots.get_mut(id as usize) {
                    *slot = Some(p);
                }
                id
            }
            None => {
                slots.push(Some(p));
                (slots.len() - 1) as u32
            }
        }
    }

    /// The call, out of its slot while JS runs (a `fetch` or an `onEvent` hook may call the
    /// client again); `back` puts it in again, `release` frees the number.
    fn take(&self, id: u32) -> Result<Pending, Error> {
        let taken = self.slots.borrow_mut().get_mut(id as usize).and_then(Option::take);
        taken.ok_or_else(|| Error::new(Code::Internal, "internal error: no such call under way"))
    }

    fn back(&self, id: u32, p: Pending) {
        if let Some(slot) = self.slots.borrow_mut().get_mut(id as usize) {
            *slot = Some(p);
        }
    }

    fn release(&self, id: u32) {
        self.free.borrow_mut().push(id);
    }
}

impl Client {
    /// Starts the next attempt of call `id` through the JS half's `attempt`.
    fn attempt(&self, id: u32, now: f64) -> Result<JsValue, JsValue> {
        let inner = &self.inner;
        let mut p = inner.calls.take(id).map_err(|e| inner.failed(e, "call", None))?;
        let started = p.attempts.start(&inner.io, &inner.fetch, &p.prepared.request, &p.opts, now);
        inner.calls.back(id, p);
        started
    }
}

/// The token of a Yunzhijia client given a fixed `accessToken`: a call of it needs no await
/// before its first attempt.
fn fixed_token(client: &vendors::Client) -> Option<&str> {
    match client {
        #[cfg(feature = "yunzhijia")]
        vendors::Client::Yunzhijia(c) => match &c.auth {
            Auth::Fixed(t) => Some(t.expose()),
            _ => None,
        },
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

#[wasm_bindgen]
impl Client {
    /// Checks and prepares a call of operation `op` (its place in the vendor's table) as `call`
    /// does (the other arguments as for `call`; `call_options` undefined when there are none).
    /// Returns its number `n` for `send`/`step`, or `-1 - n` when the call must first get a
    /// Yunzhijia token: then `run(n)` runs it. Nothing is sent here.
    /// Throws the error object when the input is refused.
    /// `signal` is the caller's `AbortSignal` or `undefined`.
    pub fn start(&self, op: u32, params: &str, call_options: Option<String>, signal: Option<JsValue>) -> Result<f64, JsValue> {
        let inner = &self.inner;
        let Some(op) = inner.client.op_name(op) else {
            let e = Error::invalid("operation", "names no operation of this vendor");
            return Err(inner.failed(e, "call", None));
        };
        let trace = inner.trace(op);
        let (mut prepared, opts) = match inner.begin(op, params, call_options.as_deref().unwrap_or_default(), signal, trace.clone()) {
            Ok(begun) => begun,
            Err(e) => return Err(inner.failed(e, op, trace.as_deref())),
        };
        let direct = match &inner.client {
            #[cfg(feature = "yunzhijia")]
            vendors::Client::Yunzhijia(_) => match fixed_token(&inner.client) {
                Some(token) => {
                    let empty = HttpRequest { method: Method::Get, url: String::new(), headers: Vec::new(), body: None };
                    prepared.request = with_token(core::mem::replace(&mut prepared.request, empty), token);
                    true
                }
                None => false,
            },
            #[allow(unreachable_patterns)]
            _ => true,
        };
        let attempts = Attempts::new(&opts);
        let id = inner.calls.put(Pending { op, prepared, opts, attempts, delay: 0.0 });
        Ok(if direct { f64::from(id) } else { -1.0 - f64::from(id) })
    }

    /// Starts the next attempt of call `id` (`now`: JS's `Date.now()`): the promise of the JS
    /// half's `attempt`.
    pub fn send(&self, id: u32, now: f64) -> Promise {
        match self.attempt(id, now) {
            Ok(promise) => promise.unchecked_into(),
            // A transport that threw: `step` reads the rejection as it reads the JS half's.
            Err(e) => Promise::reject(&e),
        }
    }

    /// The outcome of call `id`'s attempt: `what` 0 with the answer's `text`, `status` and
    /// `retry_after`, 1 with the attempt's rejection as `why`, 2 when the caller aborted the
    /// backoff. Returns the call's result, or one of the transport's markers (`Markers`: the
    /// caller parses `text` itself), or `undefined` for a retry after `delay(id)`; throws the
    /// error object.
    pub fn step(
        &self,
        id: u32,
        what: u8,
        text: Option<String>,
        why: JsValue,
        status: Option<f64>,
        retry_after: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let inner = &self.inner;
        let mut p = inner.calls.take(id).map_err(|e| inner.failed(e, "call", None))?;
        let outcome = match what {
            0 => answer_from(status, retry_after, text),
            1 => Err(attempt_error(&why)),
            _ => {
                inner.calls.release(id);
                return Err(inner.failed(aborted(), p.op, p.opts.trace.as_deref()));
            }
        };
        let done = match p.attempts.after(outcome, &p.prepared.request, p.prepared.kind, &p.opts) {
            Step::Retry(delay) => {
                p.delay = delay;
                inner.calls.back(id, p);
                return Ok(JsValue::UNDEFINED);
            }
            Step::Done(done) => done,
        };
        inner.calls.release(id);
        // The request's own signatures are secrets too: scrubbed from its errors as in `run`.
        let result = done.and_then(|response| inner.result(&p.prepared, response, what == 0));
        result.map_err(|e| {
            let e = e.scrub(&inner.scrub_set(Some(&p.prepared.request)));
            inner.failed(e, p.op, p.opts.trace.as_deref())
        })
    }

    /// The backoff before call `id`'s next attempt, in ms.
    pub fn delay(&self, id: u32) -> f64 {
        self.inner.calls.slots.borrow().get(id as usize).and_then(Option::as_ref).map_or(0.0, |p| p.delay)
    }

    /// Runs call `id` (a `-1 - id` of `start`) the async way, getting its token first. Only
    /// Yunzhijia's calls go this way: the other builds leave the futures runtime out.
    #[cfg(feature = "yunzhijia")]
    pub fn run(&self, id: u32) -> Promise {
        let inner: Rc<Inner> = Rc::clone(&self.inner);
        let taken = inner.calls.take(id);
        inner.calls.release(id);
        wasm_bindgen_futures::future_to_promise(async move {
            let p = taken.map_err(|e| inner.failed(e, "call", None))?;
            let trace = p.opts.trace.clone();
            inner.run(p.prepared, p.opts).await.map_err(|e| inner.failed(e, p.op, trace.as_deref()))
        })
    }
}
