//! `Client`: one configured vendor client. State lives in `Rc<Inner>` and methods take `&self`,
//! so concurrent calls from JS never hit "recursive use of an object".

use crate::prelude::*;
use alloc::rc::Rc;

use js_sys::{Function, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error_to_js;
use super::token::{self, Tokens};
use super::token_store::SharedStore;
use crate::core::error::{Code, Error};
use crate::core::event::Type;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::{self, Json};
use crate::core::ops::Kind;
use crate::core::ops::{Output, Vendor};
use crate::core::secret::{request_secrets, scrub_text, secret_forms};
use crate::core::time::now_ms;
use crate::core::validate::Params;
use crate::js::steps::Calls;
use crate::js::transport::{self, CallOptions, Io, Markers, Trace};
use crate::vendors::yunzhijia::{auth::Auth, is_token_rejected, token_store::key as store_key, with_token};
use crate::vendors::{self, parse_params, Prepared};

const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_MAX_RESPONSE_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

pub(crate) struct Inner {
    pub client: vendors::Client,
    pub io: Io,
    pub fetch: Function,
    pub timeout_ms: f64,
    pub deadline_ms: f64,
    pub max_retries: u32,
    pub max_response_bytes: f64,
    /// `redactSecrets`: mask secrets in resolved results as in errors.
    pub redact_results: bool,
    /// `secrets`: values the caller's own I/O holds (a proxy's password, in the CLI's fetch),
    /// masked like the client's credentials.
    pub secrets: Vec<Box<str>>,
    /// Yunzhijia's `accessToken` when it is a function.
    pub token_provider: Option<Function>,
    pub tokens: Tokens,
    /// The facade's wrapper of `onEvent` (takes the event as JSON, never throws), if any.
    pub on_event: Option<Function>,
    /// Yunzhijia's `tokenStore`, shared with other processes, if any.
    pub store: Option<SharedStore>,
    /// The calls the facade is stepping through (`start`, `send`, `step`).
    pub calls: Calls,
    /// What `step` answers with when the facade is to parse the answer's text itself.
    pub markers: Markers,
}

#[wasm_bindgen]
pub struct Client {
    pub(crate) inner: Rc<Inner>,
}

const DEFAULT_DEADLINE_MS: f64 = 60_000.0;

fn millis(p: &Params, name: &str, default: f64) -> Result<f64, Error> {
    match p.get(name) {
        None => Ok(default),
        Some(Json::Num(n)) if *n >= 1.0 && *n <= 86_400_000.0 => Ok(*n),
        Some(_) => Err(Error::invalid(name, "must be a number of milliseconds from 1 to 86400000")),
    }
}

/// `maxResponseBytes`: from 1 byte to 1 GiB.
fn max_bytes(p: &Params, default: f64) -> Result<f64, Error> {
    match p.get("maxResponseBytes") {
        None => Ok(default),
        Some(Json::Num(n)) if *n >= 1.0 && *n <= 1_073_741_824.0 && n.fract() == 0.0 => Ok(*n),
        Some(_) => Err(Error::invalid("maxResponseBytes", "must be a whole number of bytes from 1 to 1073741824")),
    }
}

/// The `secrets` option: non-empty strings, each masked in every form as a credential is.
fn extra_secrets(p: &Params) -> Result<Vec<Box<str>>, Error> {
    let items = match p.get("secrets") {
        None => return Ok(Vec::new()),
        Some(Json::Arr(items)) => items,
        Some(_) => return Err(Error::invalid("secrets", "must be an array of strings")),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Json::Str(s) if !s.is_empty() => out.push(s.as_str().into()),
            _ => return Err(Error::invalid(format!("secrets[{i}]"), "must be a non-empty string")),
        }
    }
    Ok(out)
}

/// `timeoutMs` and `maxRetries`, from the constructor's options or a call's last argument.
fn limits(p: &Params, timeout_ms: f64, max_retries: u32) -> Result<(f64, u32), Error> {
    let timeout = millis(p, "timeoutMs", timeout_ms)?;
    let retries = match p.opt_int("maxRetries") {
        Ok(None) => max_retries,
        Ok(Some(n)) if (0..=10).contains(&n) => n as u32,
        _ => return Err(Error::invalid("maxRetries", "must be an integer from 0 to 10")),
    };
    Ok((timeout, retries))
}

#[wasm_bindgen]
impl Client {
    /// `options` is the constructor's options object as JSON (functions left out);
    /// `fetch` the function to send with.
    /// `token_provider` is Yunzhijia's `accessToken` when it is a function (else `undefined`);
    /// `io` is the JS half of the transport, `{attempt, sleep, within, body, data}`; `on_event` the facade's
    /// wrapper of `onEvent` and `token_store` its adapter over `tokenStore` (else `undefined`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        vendor: &str,
        options: &str,
        fetch: JsValue,
        token_provider: JsValue,
        io: JsValue,
        on_event: JsValue,
        token_store: JsValue,
    ) -> Result<Client, JsValue> {
        let built = (|| {
            let vendor = Vendor::from_id(vendor).ok_or_else(|| Error::invalid("vendor", "is not a known vendor"))?;
            let mut opts = json::parse(options).map_err(|_| Error::invalid("options", "must be a plain object"))?;
            let token_provider = token_provider.dyn_into::<Function>().ok();
            if let (Some(_), Json::Obj(members)) = (&token_provider, &mut opts) {
                members.push(("accessTokenProvider".into(), Json::Bool(true)));
            }
            let client = vendors::Client::new(vendor, &opts)?;
            let p = Params::new(&opts)?;
            let (timeout_ms, max_retries) = limits(&p, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_RETRIES).map_err(|e| e.at(vendor, "constructor"))?;
            let fetch = fetch.dyn_into::<Function>().map_err(|_| {
                Error::invalid("fetch", "must be a fetch-compatible function (no global fetch here?)").at(vendor, "constructor")
            })?;
            let (io, markers) =
                Io::from_js(io).ok_or_else(|| Error::invalid("io", "must be the package's transport").at(vendor, "constructor"))?;
            let tokens = Tokens::default();
            let deadline_ms = millis(&p, "deadlineMs", DEFAULT_DEADLINE_MS).map_err(|e| e.at(vendor, "constructor"))?;
            let max_response_bytes = max_bytes(&p, DEFAULT_MAX_RESPONSE_BYTES).map_err(|e| e.at(vendor, "constructor"))?;
            let redact_results = p.opt_bool("redactSecrets").map_err(|e| e.at(vendor, "constructor"))?.unwrap_or(false);
            let secrets = extra_secrets(&p).map_err(|e| e.at(vendor, "constructor"))?;
            let on_event = on_event.dyn_into::<Function>().ok();
            let store = match &client {
                _ if token_store.is_undefined() || token_store.is_null() => None,
                #[cfg(feature = "yunzhijia")]
                vendors::Client::Yunzhijia(c) => match &c.auth {
                    Auth::Credentials(creds) => SharedStore::from_js(token_store, store_key(&c.base_url, creds)),
                    _ => return Err(Error::invalid(
                        "tokenStore",
                        "shares the token the client gets with credentials (eid, appId, secret); with accessToken there is none to share",
                    )
                    .at(vendor, "constructor")),
                },
                #[allow(unreachable_patterns)]
                _ => return Err(Error::invalid("tokenStore", "is a Yunzhijia option: only its token is shared").at(vendor, "constructor")),
            };
            let inner = Inner {
                client,
                io,
                fetch,
                timeout_ms,
                deadline_ms,
                max_retries,
                max_response_bytes,
                redact_results,
                secrets,
                token_provider,
                tokens,
                on_event,
                store,
                calls: Calls::default(),
                markers,
            };
            Ok(Client { inner: Rc::new(inner) })
        })();
        built.map_err(|e: Error| error_to_js(&e))
    }

    /// Checks `params` as a call of `op` would, building the request but neither masking nor
    /// returning it: `client.batch` checks every item before the first is sent, and a dry run
    /// of each would cost it twice as much.
    pub fn check(&self, op: &str, params: &str) -> Result<(), JsValue> {
        parse_params(params)
            .and_then(|p| self.inner.client.prepare(op, &p))
            .map(|_| ())
            .map_err(|e| error_to_js(&e.at(self.inner.client.vendor(), op)))
    }

    /// The request `op` would send, credentials masked, as JSON; for `--dry-run` and the demo.
    #[wasm_bindgen(js_name = dryRun)]
    pub fn dry_run(&self, op: &str, params: &str) -> Result<String, JsValue> {
        let prepared = parse_params(params)
            .and_then(|p| self.inner.client.prepare(op, &p))
            .map_err(|e| error_to_js(&e.at(self.inner.client.vendor(), op)))?;
        #[allow(unused_mut)]
        let mut r = prepared.request;
        // A Yunzhijia request carries its access token in the URL, added as it is sent: shown
        // here too, masked, so that the URL is the one sent.
        #[cfg(feature = "yunzhijia")]
        if matches!(self.inner.client, vendors::Client::Yunzhijia(_)) {
            r = with_token(r, "***");
        }
        let headers = r.headers.iter().map(|(k, v)| (k.to_string(), Json::str(v.as_str()))).collect();
        Ok(masked_json(r.method.as_str(), &r.url, headers, r.body.as_deref()))
    }
}

impl Inner {
    /// Every secret this client holds or has derived, in every printable form: the given
    /// credentials, the access and refresh tokens it fetched or was given, and the signatures
    /// and headers of the request it sent. An error passes through this before anyone sees it.
    pub(crate) fn scrub_set(&self, sent: Option<&HttpRequest>) -> Vec<String> {
        let mut forms = self.client.secret_forms();
        self.tokens.each_seen(|s| secret_forms(s, &mut forms));
        for s in &self.secrets {
            secret_forms(s, &mut forms);
        }
        if let Some(req) = sent {
            for s in request_secrets(&req.url, req.headers.iter().map(|(k, v)| (*k, v.as_str()))) {
                secret_forms(s, &mut forms);
            }
        }
        forms
    }

    /// The events of one call of `operation`; None without a hook, so nothing is built.
    pub(crate) fn trace(&self, operation: &str) -> Option<Rc<Trace>> {
        self.on_event.as_ref().map(|hook| Trace::new(hook, self.client.vendor(), operation, self.scrub_set(None)))
    }

    /// Checks the params and options of a call of `op` and builds its request; nothing is sent.
    pub(crate) fn begin(
        &self,
        op: &str,
        params: &str,
        call_options: &str,
        signal: Option<JsValue>,
        trace: Option<Rc<Trace>>,
    ) -> Result<(Prepared, CallOptions), Error> {
        let prepared = parse_params(params).and_then(|p| self.client.prepare(op, &p))?;
        let (timeout_ms, max_retries, deadline_ms, max_response_bytes) = self.limits_of(call_options)?;
        Ok((prepared, CallOptions { timeout_ms, deadline_ms, max_retries, signal, max_response_bytes, trace }))
    }

    /// A call's `{timeoutMs, maxRetries, deadlineMs, maxResponseBytes}` (JSON; empty when the
    /// call has none, the common case, which takes the client's own without parsing anything).
    fn limits_of(&self, call_options: &str) -> Result<(f64, u32, f64, f64), Error> {
        if call_options.is_empty() {
            return Ok((self.timeout_ms, self.max_retries, self.deadline_ms, self.max_response_bytes));
        }
        let call_opts = json::parse(call_options).unwrap_or(Json::Null);
        let call_params = Params::new(&call_opts)?;
        // A typo (`timeout: 5`) must not be silently ignored: the options are a closed set.
        call_params
            .deny_unknown(&["timeoutMs", "maxRetries", "deadlineMs", "maxResponseBytes"])
            .map_err(|e| Error { field: Some(format!("options.{}", e.field.as_deref().unwrap_or_default()).into()), ..e })?;
        let (timeout_ms, max_retries) = limits(&call_params, self.timeout_ms, self.max_retries)?;
        let deadline_ms = millis(&call_params, "deadlineMs", self.deadline_ms)?;
        let max_response_bytes = max_bytes(&call_params, self.max_response_bytes)?;
        Ok((timeout_ms, max_retries, deadline_ms, max_response_bytes))
    }

    /// Sends a prepared call (getting Yunzhijia's token first) and reads its answer.
    pub(crate) async fn run(self: &Rc<Self>, prepared: Prepared, opts: CallOptions) -> Result<JsValue, Error> {
        // The request's own signatures are secrets too; only this scope knows them.
        let scrub = |e: Error| e.scrub(&self.scrub_set(Some(&prepared.request)));
        let response = match self.client {
            #[cfg(feature = "yunzhijia")]
            vendors::Client::Yunzhijia(_) => self.send_with_token(&prepared.request, prepared.kind, &opts).await,
            #[allow(unreachable_patterns)]
            _ => transport::send(&self.io, &self.fetch, &prepared.request, prepared.kind, &opts).await,
        }
        .map_err(scrub)?;
        self.result(&prepared, response, false).map_err(scrub)
    }

    /// The value a call resolves with, from its answer. `text_in_js`: the JS that called holds
    /// the answer's text, so for a plain result this answers with a marker (`Markers`) and the
    /// JS parses the text itself, as the body or its `data`: neither crosses back.
    pub(crate) fn result(&self, prepared: &Prepared, response: HttpResponse, text_in_js: bool) -> Result<JsValue, Error> {
        let invalid = |_| Error::bad_response(response.status, "the answer is not valid JSON");
        let output = self.client.finish(prepared, &response)?;
        if output == Output::EmptyObject {
            return Ok(js_sys::Object::new().into());
        }
        // `redactSecrets`: a server may echo a credential inside a successful answer (CAM's
        // `errors` quoting the request). The CLI prints results, the relay and qing.call hand
        // them to a page, so they mask every secret form there too; library callers, who hold
        // the credentials anyway, do not pay for the search.
        let body = if self.redact_results {
            JSON::parse(&scrub_text(&response.body, &self.scrub_set(Some(&prepared.request))))
        } else if text_in_js {
            // The parser checked the text is JSON (and the envelope's members): JSON.parse in JS
            // takes the same keys (the last of repeated ones); an absent `data` is null there too.
            return Ok(match output {
                Output::Body => self.markers.body.clone(),
                Output::Data | Output::EmptyObject => self.markers.data.clone(),
            });
        } else {
            JSON::parse(&response.body)
        }
        .map_err(invalid)?;
        match output {
            Output::Body => Ok(body),
            // The parser checked the body with the same keys JSON.parse keeps (the last of
            // repeated ones); an absent `data` resolves as null.
            Output::Data | Output::EmptyObject => {
                let data = Reflect::get(&body, &JsValue::from_str("data")).map_err(invalid)?;
                Ok(if data.is_undefined() { JsValue::NULL } else { data })
            }
        }
    }

    /// A failed call's error as the facade gets it: named, scrubbed of every secret this client
    /// knows, and told to `onEvent`.
    pub(crate) fn failed(&self, e: Error, op: &str, trace: Option<&Trace>) -> JsValue {
        let e = e.at(self.client.vendor(), op).scrub(&self.scrub_set(None));
        if let Some(t) = trace {
            t.failed(&e);
        }
        error_to_js(&e)
    }

    /// Sends with `?accessToken=`; if the server refuses the token itself, gets a fresh one and
    /// sends once more (the refused call did nothing, so this cannot duplicate it).
    async fn send_with_token(self: &Rc<Self>, req: &HttpRequest, kind: Kind, opts: &CallOptions) -> Result<HttpResponse, Error> {
        let (token, opts) = &self.token_within(opts).await?;
        let response = transport::send(&self.io, &self.fetch, &with_token(req.clone(), token), kind, opts).await?;
        #[cfg(feature = "yunzhijia")]
        let fixed = matches!(&self.client, vendors::Client::Yunzhijia(c) if matches!(c.auth, Auth::Fixed(_)));
        #[cfg(not(feature = "yunzhijia"))]
        let fixed = true;
        if !is_token_rejected(&response) || fixed {
            return Ok(response);
        }
        if let Some(t) = &opts.trace {
            // The call is sent again with a fresh token: say so, as for any retry.
            let mut e = t.event(Type::Retry);
            let url = with_token(req.clone(), token).url;
            e.request = Some((req.method.as_str(), &url));
            e.status = Some(response.status);
            e.code = Some("AUTH_FAILED");
            t.emit(&e);
        }
        token::invalidate(self, token);
        let (fresh, opts) = &self.token_within(opts).await?;
        let again = transport::send(&self.io, &self.fetch, &with_token(req.clone(), fresh), kind, opts).await?;
        if !is_token_rejected(&again) {
            return Ok(again);
        }
        // Refused with a token fetched a moment ago: no refresh will cure that, and the caller
        // must hear it is the credentials' rights, not an expiry.
        let mut e = match crate::vendors::yunzhijia::parse_envelope(&again) {
            Err(e) => e,
            Ok(_) => Error::new(Code::AuthFailed, "the server refused the access token").with_status(again.status),
        };
        e.code = Code::AuthFailed;
        e.detail = format!(
            "{}; a freshly fetched token was refused too, so it is not an expired token: check that the secret is current and its scope has the rights to this API",
            e.detail
        )
        .into_boxed_str();
        Err(e)
    }

    /// The access token, waited for no longer than the call's deadline, and the call's options
    /// with what is left of it: the wait was part of the call, and the attempts get the rest.
    async fn token_within(self: &Rc<Self>, opts: &CallOptions) -> Result<(String, CallOptions), Error> {
        let begun = now_ms();
        let token = token::access_token(self, opts.deadline_ms).await?;
        Ok((token, CallOptions { deadline_ms: (opts.deadline_ms - (now_ms() - begun)).max(1.0), ..opts.clone() }))
    }
}

/// XuanXuan's token over a query string (exported as `xuanxuanToken`).
#[cfg(feature = "xuanxuan")]
#[wasm_bindgen(js_name = xuanxuanToken)]
pub fn xuanxuan_token(query: &str, key: &str) -> String {
    crate::core::sign::xuanxuan_token(query, key)
}

/// YTX's `Sign` (exported as `ytxSign`).
#[cfg(feature = "ytx")]
#[wasm_bindgen(js_name = ytxSign)]
pub fn ytx_sign(account_sid: &str, auth_token: &str, timestamp: &str) -> String {
    crate::core::sign::ytx_sign(account_sid, auth_token, timestamp)
}

/// YTX's `Authorization` header (exported as `ytxAuthorization`).
#[cfg(feature = "ytx")]
#[wasm_bindgen(js_name = ytxAuthorization)]
pub fn ytx_authorization(account_sid: &str, timestamp: &str) -> String {
    crate::core::sign::ytx_authorization(account_sid, timestamp)
}

/// The chat-history link of seed 004 (`YunzhijiaClient.historyUrl`); `params` is JSON.
#[cfg(feature = "yunzhijia")]
#[wasm_bindgen(js_name = yunzhijiaHistoryUrl)]
pub fn yunzhijia_history_url(params: &str) -> Result<String, JsValue> {
    parse_params(params)
        .and_then(|p| crate::vendors::yunzhijia::history_url(&Params::new(&p)?))
        .map_err(|e| error_to_js(&e.at(Vendor::Yunzhijia, "historyUrl")))
}

/// The wasm linear memory in bytes: flat under load unless something leaks (tests, bench).
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}

/// A request as a person may see it, credentials masked by the same rules as everywhere else:
/// `{method, url, headers, body}` as JSON in and out (the demo page shows what went out).
#[wasm_bindgen(js_name = maskRequest)]
pub fn mask_request(request: &str) -> String {
    let r = json::parse(request).unwrap_or(Json::Null);
    let text = |k: &str| r.get(k).and_then(Json::as_str).unwrap_or_default();
    let headers = r.get("headers").and_then(Json::as_object).unwrap_or_default().to_vec();
    masked_json(text("method"), text("url"), headers, r.get("body").and_then(Json::as_str))
}

/// `{method, url, headers, body}` as JSON, every credential masked (`dryRun`, `maskRequest`).
fn masked_json(method: &str, url: &str, headers: Vec<(String, Json)>, body: Option<&str>) -> String {
    use crate::core::secret::{is_secret_header, mask_body, mask_url};
    let headers = headers.into_iter().map(|(k, v)| if is_secret_header(&k) { (k, Json::str("***")) } else { (k, v) }).collect();
    Json::Obj(vec![
        ("method".into(), Json::str(method)),
        ("url".into(), Json::Str(mask_url(url))),
        ("headers".into(), Json::Obj(headers)),
        ("body".into(), body.map_or(Json::Null, |b| Json::Str(mask_body(b)))),
    ])
    .to_json_string()
}
