//! The transport and the wasm facade, run in Node and in headless Chromium (`make test-wasm`):
//! exact requests, per-attempt timeouts, abort, and the retry rules, against scripted fetches.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use workbridge::js::client::Client;

const OPTS: &str = r#"{"apiToken":"tok-abc123","serverURL":"http://cam.test/cam"}"#;

/// A fetch scripted in JS: `answers` is a JS array expression of what each call returns:
/// `[status, body, headers]` for a response, `"hang"` to never answer, `"throw"` to reject.
/// Calls are recorded in `globalThis.__calls` as `[url, init]`.
fn scripted_fetch(answers: &str) -> JsValue {
    let body = format!(
        "globalThis.__calls = []; const answers = {answers};
         return function (url, init) {{
           const n = globalThis.__calls.push([url, init]) - 1;
           const a = answers[Math.min(n, answers.length - 1)];
           if (a === 'hang') return new Promise((resolve, reject) => {{
             init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
           }});
           if (a === 'throw') return Promise.reject(new TypeError('fetch failed'));
           if (a === 'garbage') return Promise.resolve(42);
           const [status, text, headers] = a;
           return Promise.resolve({{ status, headers: {{ get: (k) => (headers || {{}})[k.toLowerCase()] ?? null }}, text: () => Promise.resolve(text) }});
         }};"
    );
    Function::new_no_args(&body).call0(&JsValue::NULL).unwrap()
}

fn calls() -> js_sys::Array {
    Reflect::get(&js_sys::global(), &"__calls".into()).unwrap().unchecked_into()
}

/// The package's own JS half of the transport, loaded once from its one source file:
/// `{io, call}`, sharing the markers `step` answers with.
fn transport() -> JsValue {
    thread_local! {
        static TRANSPORT: JsValue = {
            let source = format!(
                "{}\nreturn {{ io: WB_IO, call(c, at, params, opts, signal) {{
                    try {{
                        const id = c.start(at, params, opts || undefined, signal);
                        return wbDrive(c, id, signal, (e) => e);
                    }} catch (e) {{
                        return Promise.reject(e);
                    }}
                }} }};",
                include_str!("../pkg-template/src/transport.js")
            );
            Function::new_no_args(&source).call0(&JsValue::NULL).unwrap()
        };
    }
    TRANSPORT.with(JsValue::clone)
}

fn io() -> JsValue {
    prop(&transport(), "io")
}

/// A CAM client, moved into JS, where the facade's loop drives it.
fn client(fetch: JsValue) -> JsValue {
    Client::new("cam", OPTS, fetch, JsValue::UNDEFINED, io(), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .map_err(|e| format!("{:?}", e))
        .unwrap()
        .into()
}

/// A call the way the facade makes it: `start`, then `wbDrive` (the package's own, from
/// transport.js) stepping it through `send` and `step`.
fn call(c: &JsValue, op: &str, params: &str, opts: &str, signal: &JsValue) -> Promise {
    // The facade names an operation by its place in the vendor's table.
    let at = workbridge::vendors::cam::OPS.iter().position(|o| o.name == op).unwrap() as u32;
    let drive: Function = prop(&transport(), "call").unchecked_into();
    let args = js_sys::Array::of5(c, &at.into(), &params.into(), &opts.into(), signal);
    Reflect::apply(&drive, &JsValue::NULL, &args).unwrap().unchecked_into()
}

async fn run(c: &JsValue, op: &str, params: &str, opts: &str, signal: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(call(c, op, params, opts, &signal)).await
}

fn prop(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

const SEND: &str = r#"{"panelName":"messenger","message":"a&b","users":["u@x.com"]}"#;

#[wasm_bindgen_test]
async fn sends_the_exact_request_and_resolves_with_the_body() {
    let c = client(scripted_fetch(r#"[[200, '{"errors":null,"messageId":"m1"}']]"#));
    let out = run(&c, "sendMessage", SEND, "{}", JsValue::UNDEFINED).await.unwrap();
    assert_eq!(prop(&out, "messageId").as_string().as_deref(), Some("m1"));
    let call = calls().get(0);
    let init = js_sys::Array::from(&call).get(1);
    assert_eq!(js_sys::Array::from(&call).get(0).as_string().as_deref(), Some("http://cam.test/cam/sendMessage"));
    assert_eq!(prop(&init, "method").as_string().as_deref(), Some("POST"));
    assert_eq!(prop(&prop(&init, "headers"), "x-cam-apiToken").as_string().as_deref(), Some("tok-abc123"));
    let body = prop(&init, "body").as_string().unwrap();
    assert!(body.starts_with("message=%7B%22panelName%22"), "{body}");
    assert!(body.contains("a%26b"), "{body}");
}

#[wasm_bindgen_test]
async fn invalid_input_rejects_before_fetch_is_called() {
    let c = client(scripted_fetch("[[200, '{}']]"));
    let e = run(&c, "getConferenceRoomStatus", r#"{"yyyyMMdd":"201913"}"#, "{}", JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("INVALID_ARGUMENT"));
    assert_eq!(prop(&e, "field").as_string().as_deref(), Some("yyyyMMdd"));
    assert_eq!(calls().length(), 0);
}

#[wasm_bindgen_test]
async fn a_read_that_times_out_is_retried_then_rejects_with_timeout() {
    let c = client(scripted_fetch("['hang']"));
    let e = run(&c, "getConferenceRooms", "{}", r#"{"timeoutMs":30,"maxRetries":2}"#, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("TIMEOUT"));
    assert_eq!(prop(&e, "retryable"), JsValue::TRUE);
    assert_eq!(calls().length(), 3);
}

#[wasm_bindgen_test]
async fn a_write_that_times_out_is_not_sent_again() {
    let c = client(scripted_fetch("['hang']"));
    let e = run(&c, "sendMessage", SEND, r#"{"timeoutMs":30}"#, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("TIMEOUT"));
    assert_eq!(prop(&e, "retryable"), JsValue::FALSE);
    assert!(prop(&e, "message").as_string().unwrap().contains("not retried"));
    assert_eq!(calls().length(), 1);
}

#[wasm_bindgen_test]
async fn a_read_is_retried_on_503_and_succeeds() {
    let c = client(scripted_fetch(r#"[[503, 'busy'], [200, '{"conferenceRooms":[]}']]"#));
    let out = run(&c, "getConferenceMaster", "{}", "{}", JsValue::UNDEFINED).await.unwrap();
    assert!(js_sys::Array::is_array(&prop(&out, "conferenceRooms")));
    assert_eq!(calls().length(), 2);
}

#[wasm_bindgen_test]
async fn a_write_answered_503_is_not_retried() {
    let c = client(scripted_fetch("[[503, 'busy']]"));
    let e = run(&c, "sendMessage", SEND, "{}", JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("HTTP_ERROR"));
    assert_eq!(prop(&e, "status").as_f64(), Some(503.0));
    assert_eq!(calls().length(), 1);
}

#[wasm_bindgen_test]
async fn a_write_answered_429_waits_retry_after_then_goes_through() {
    let c = client(scripted_fetch(r#"[[429, '', {"retry-after": "0"}], [200, '{"errors":null}']]"#));
    run(&c, "sendMessage", SEND, "{}", JsValue::UNDEFINED).await.unwrap();
    assert_eq!(calls().length(), 2);
}

#[wasm_bindgen_test]
async fn the_callers_signal_aborts_with_aborted() {
    let c = client(scripted_fetch("['hang']"));
    let controller =
        Function::new_no_args("const c = new AbortController(); setTimeout(() => c.abort(), 20); return c;").call0(&JsValue::NULL).unwrap();
    let e = run(&c, "getConferenceRooms", "{}", "{}", prop(&controller, "signal")).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("ABORTED"));
    assert_eq!(calls().length(), 1);
    // An already-aborted signal sends nothing.
    let e = run(&c, "getConferenceRooms", "{}", "{}", prop(&controller, "signal")).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("ABORTED"));
    assert_eq!(calls().length(), 1);
}

#[wasm_bindgen_test]
async fn odd_fetch_results_become_errors_not_traps() {
    let c = client(scripted_fetch("['garbage']"));
    let e = run(&c, "getConferenceRooms", "{}", "{}", JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("BAD_RESPONSE"));
    let c = client(scripted_fetch("['throw']"));
    let e = run(&c, "getConferenceRooms", "{}", r#"{"maxRetries":0}"#, JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("NETWORK_ERROR"));
    // The module still works after all of the above.
    let c = client(scripted_fetch(r#"[[200, '{"ok":1}']]"#));
    assert!(run(&c, "getConferenceRooms", "{}", "{}", JsValue::UNDEFINED).await.is_ok());
}

#[wasm_bindgen_test]
async fn concurrent_calls_on_one_client_do_not_collide() {
    let c = client(scripted_fetch(r#"[[200, '{"errors":null}']]"#));
    let all: js_sys::Array = (0..20).map(|_| call(&c, "getConferenceMaster", "{}", "{}", &JsValue::UNDEFINED)).collect();
    let out = JsFuture::from(Promise::all(&all)).await.unwrap();
    assert_eq!(js_sys::Array::from(&out).length(), 20);
}

#[wasm_bindgen_test]
fn errors_never_carry_the_token() {
    let e = Client::new(
        "cam",
        r#"{"apiToken":"tok-abc123","serverURL":"nope"}"#,
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
        io(),
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    )
    .err()
    .unwrap();
    let printed = js_sys::JSON::stringify(&e).unwrap().as_string().unwrap();
    assert!(!printed.contains("tok-abc123"), "{printed}");
    assert!(printed.contains("serverURL"), "{printed}");
}

#[wasm_bindgen_test]
async fn a_call_aborted_during_a_backoff_ends_at_once() {
    // 429 with Retry-After 5 s: the caller aborts while the call waits, and it ends ABORTED at once.
    let c = client(scripted_fetch(r#"[[429, '', {"retry-after": "5"}]]"#));
    let controller =
        Function::new_no_args("const c = new AbortController(); setTimeout(() => c.abort(), 30); return c;").call0(&JsValue::NULL).unwrap();
    let started = js_sys::Date::now();
    let e = run(&c, "sendMessage", SEND, "{}", prop(&controller, "signal")).await.unwrap_err();
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("ABORTED"));
    assert!(js_sys::Date::now() - started < 2_000.0, "the backoff was cut short");
    assert_eq!(calls().length(), 1);
}
