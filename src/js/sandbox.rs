//! `Sandbox` for JS: the emulator behind the Node HTTP adapter and the demo page's in-page fetch.

use wasm_bindgen::prelude::*;

use crate::core::json::{self, Json};
use crate::sandbox::{self, Hangup, Request};

#[wasm_bindgen]
pub struct Sandbox {
    inner: sandbox::Sandbox,
}

/// One answer: status, headers as a JSON object, body text, and a masked log line.
#[wasm_bindgen(getter_with_clone)]
pub struct SandboxReply {
    pub status: u16,
    pub headers: String,
    pub body: String,
    pub log: String,
    /// An injected delay before answering, in ms.
    pub delay_ms: f64,
    /// An injected dropped connection: "" (none), "before" or "after" the request took effect.
    pub drop: String,
}

#[wasm_bindgen]
impl Sandbox {
    /// `config` is JSON such as `{"cam": {"apiToken": "..."}}`; absent values keep the sandbox defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(config: &str) -> Sandbox {
        Sandbox { inner: sandbox::Sandbox::new(&json::parse(config).unwrap_or(Json::Null)) }
    }

    /// `headers` is a JSON object of header names to values (Node's `req.headers`).
    pub fn handle(&mut self, method: &str, target: &str, headers: &str, body: &str, now_ms: f64) -> SandboxReply {
        let headers: Vec<(String, String)> = match json::parse(headers) {
            Ok(Json::Obj(members)) => members
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Json::Str(s) => Some((k, s)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let req = Request { method, target, headers: &headers, body, now_ms };
        let res = self.inner.handle(&req);
        let log = sandbox::Sandbox::log_line(&req, &res);
        let headers = Json::Obj(res.headers.into_iter().map(|(k, v)| (k, Json::Str(v))).collect());
        let drop = match res.drop {
            Hangup::No => "",
            Hangup::Before => "before",
            Hangup::After => "after",
        };
        SandboxReply {
            status: res.status,
            headers: headers.to_json_string(),
            body: res.body,
            log,
            delay_ms: res.delay_ms,
            drop: drop.into(),
        }
    }

    /// Replaces the fault rules; throws a message naming the rule it cannot read.
    #[wasm_bindgen(js_name = setFaults)]
    pub fn set_faults(&mut self, spec: &str) -> Result<(), JsValue> {
        self.inner.set_faults(spec).map_err(|e| JsValue::from_str(&e))
    }
}
