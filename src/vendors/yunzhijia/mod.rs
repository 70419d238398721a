//! Yunzhijia 云之家 (seeds 001 and 004): smart meetings, room booking, groups, notices, banners.
//! Every call is `POST {baseURL}{path}?accessToken=…` with a JSON body; answers are the
//! `{success, errorCode, error, data}` envelope. Tokens are added by the runtime (`auth`).

use crate::prelude::*;

pub mod auth;
mod fields;
mod group;
mod meeting;
mod room_book;
pub mod token_cache;
pub mod token_store;

use crate::core::error::{Code, Error};
use crate::core::http::{base_url, query_component, HttpRequest, HttpResponse, Method};
use crate::core::json::Json;
use crate::core::ops::{Op, Output};
use crate::core::validate::Params;
use crate::vendors::{json_members, status_error};

pub const DEFAULT_BASE_URL: &str = "https://www.yunzhijia.com";

pub struct Config {
    pub base_url: String,
    pub auth: auth::Auth,
}

impl Config {
    pub fn from_options(opts: &Params) -> Result<Config, Error> {
        let base_url = match opts.opt_str("baseURL")? {
            Some(url) => base_url("baseURL", url)?,
            None => DEFAULT_BASE_URL.to_string(),
        };
        Ok(Config { base_url, auth: auth::Auth::from_options(opts)? })
    }

    pub fn secrets(&self) -> Vec<&str> {
        self.auth.secrets()
    }
}

/// The one table: meetings, room booking, then the group open API, in the seeds' order.
pub static OPS: &[Op<Config>] = &[
    meeting::CREATE,
    meeting::MODIFY,
    meeting::CANCEL,
    meeting::REPEAT_MEETING,
    meeting::BATCH_MODIFY,
    meeting::BATCH_CANCEL,
    meeting::QUERY_BY_DAY,
    room_book::HAS_NEW,
    room_book::BOOK_INFO,
    room_book::FREE_ROOMS,
    room_book::GET_ACTORS,
    group::CREATE_GROUP,
    group::ADD_GROUP_USER,
    group::GROUP_USERS,
    group::NOTICE_CREATE,
    group::BANNER_CREATE,
    group::CREATE_FOR_CLOUDFLOW,
];

/// A JSON POST to `path`; the access token is appended when the call is sent (`with_token`).
/// `POST <base URL><dir><name>` with a JSON body (its text). The URL is joined by hand:
/// `format!` costs more than the rest of building it, on every call.
fn post(c: &Config, dir: &str, name: &str, body: String) -> HttpRequest {
    let mut url = String::with_capacity(c.base_url.len() + dir.len() + name.len() + 48);
    url.push_str(&c.base_url);
    url.push_str(dir);
    url.push_str(name);
    HttpRequest { method: Method::Post, url, headers: vec![("Content-Type", "application/json".to_string())], body: Some(body) }
}

/// The request with `?accessToken=` appended, as every Yunzhijia call carries it.
pub fn with_token(mut req: HttpRequest, token: &str) -> HttpRequest {
    let sep = if req.url.contains('?') { '&' } else { '?' };
    req.url.push(sep);
    req.url.push_str("accessToken=");
    req.url.push_str(&query_component(token));
    req
}

/// Whether the server refused the access token itself (expired, revoked or unknown), so that a
/// fresh token may cure the call: HTTP 401; HTTP 414 or 431 (a URL or header too long: a
/// corrupted token, as a poisoned shared store hands out); the envelope's `errorCode` 401; or,
/// whatever the code, a refusal whose words name the token (`refuses_token`). The gateway's
/// codes for an expired or revoked token are in no source we found, and a code other than 401
/// inside HTTP 200 (as Feishu answers its expired tokens) must not leave a client refused for
/// the rest of the token's life. Asked of every answer, so the body is parsed only when it
/// could hold that code or those words.
pub fn is_token_rejected(res: &HttpResponse) -> bool {
    if matches!(res.status, 401 | 414 | 431) {
        return true;
    }
    let text = &res.body;
    if !(crate::core::text::contains(text, "401") || has_ascii_ci(text.as_bytes(), b"token")) {
        return false;
    }
    let Ok(body) = crate::core::json::parse(text) else { return false };
    let code = match body.get("errorCode") {
        Some(Json::Num(n)) => Some(*n),
        // As an integer, as parse_envelope reads it: a float parser would cost the wasm 20 KiB.
        Some(Json::Str(s)) => s.trim().parse::<i64>().ok().map(|n| n as f64),
        _ => None,
    };
    if code == Some(401.0) {
        return true;
    }
    let succeeded = matches!(body.get("success"), Some(Json::Bool(true))) && matches!(code, None | Some(0.0) | Some(200.0));
    !succeeded && ["error", "message", "msg", "errorMsg"].iter().any(|k| body.get(k).and_then(Json::as_str).is_some_and(refuses_token))
}

/// Whether a refusal's words are about the access token: they name it (`token`, which
/// `accessToken` and `access_token` contain, any case) and say it is no good (失效, 过期, 无效,
/// 非法, 不存在, expired, invalid, revoked).
pub fn refuses_token(message: &str) -> bool {
    let m = message.as_bytes();
    has_ascii_ci(m, b"token")
        && (["失效", "过期", "无效", "非法", "不存在"].iter().any(|w| crate::core::text::contains(message, w))
            || [b"expired" as &[u8], b"invalid", b"revoked"].iter().any(|w| has_ascii_ci(m, w)))
}

/// Whether `text` holds `word` in any ASCII case.
fn has_ascii_ci(text: &[u8], word: &[u8]) -> bool {
    text.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word))
}

/// `{success, errorCode, error, data}`: success with `errorCode` 0 or 200 (createForCloudflow's
/// "no error") gives `data`; anything else is the vendor refusing.
pub fn parse_envelope(res: &HttpResponse) -> Result<Output, Error> {
    let token_refused = || Error::new(Code::AuthFailed, "the server refused the access token").with_status(res.status);
    if matches!(res.status, 401 | 414 | 431) {
        return Err(token_refused());
    }
    if let Some(e) = status_error(res) {
        return Err(e);
    }
    // Only the envelope's own members: `data` is checked but not built, as JS parses the body.
    let body = json_members(res, &["success", "errorCode", "error"])?;
    let success = match body.get("success") {
        Some(Json::Bool(b)) => *b,
        Some(Json::Str(s)) => s == "true",
        _ => return Err(Error::bad_response(res.status, "the answer has no `success`")),
    };
    let code = match body.get("errorCode") {
        None | Some(Json::Null) => 0.0,
        Some(Json::Num(n)) => *n,
        Some(Json::Str(s)) => s.trim().parse::<i64>().map_or(-1.0, |n| n as f64),
        Some(_) => return Err(Error::bad_response(res.status, "`errorCode` is not a number")),
    };
    if success && (code == 0.0 || code == 200.0) {
        return Ok(Output::Data);
    }
    let message = match body.get("error") {
        Some(Json::Str(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    if code == 401.0 || message.as_deref().is_some_and(refuses_token) {
        let code = crate::core::num::f64_to_string(code);
        let detail = format!("the server refused the access token (errorCode {code}): {}", message.as_deref().unwrap_or("no reason given"));
        return Err(Error::new(Code::AuthFailed, detail).with_status(res.status).vendor_said(Some(code), message));
    }
    let code = crate::core::num::f64_to_string(code);
    let detail = format!("Yunzhijia refused (errorCode {code}): {}", message.as_deref().unwrap_or("no reason given"));
    Err(Error::new(Code::VendorError, detail).with_status(res.status).vendor_said(Some(code), message))
}

/// The chat-history link of seed 004, for a QR code the mobile app scans.
pub fn history_url(p: &Params) -> Result<String, Error> {
    p.deny_unknown(&["mid", "eid", "baseURL"])?;
    let base = match p.opt_str("baseURL")? {
        Some(url) => base_url("baseURL", url)?,
        None => DEFAULT_BASE_URL.to_string(),
    };
    let (mid, eid) = (p.non_empty("mid")?, p.non_empty("eid")?);
    Ok(format!("{base}/imbu/chat/history.html?mid={}&eid={}", query_component(mid), query_component(eid)))
}
